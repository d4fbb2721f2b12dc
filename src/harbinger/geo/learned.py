"""Places learned from coded-event tables, and the districts of GeoNames: files the gazetteer reads.

Coded datasets name thousands of villages, city districts and areas that neither the curated
``places.yaml`` nor GeoNames' towns know, each with its governorate, district and coordinates.
Two kinds of file hold such places, in one format (``PLACES_HEADER``): the theatre's
``places_ucdp.tsv``, built from UCDP GED (CC BY 4.0) by ``scripts/build_ucdp_places.py`` and shipped
with the package, and the files ``add_table_places`` writes into the user's data dir when
``harbinger import acled|ucdp|gtd`` stores a table, so that a user's own export codes its villages
afterwards. ``coded_place_name`` turns the way a table writes a place ("Nubl town",
"Tadmur/Palmyra town", "Baghdad - Sadr City") into names, or None when the text is no place name
("area between ...", "Afrin district"). ``districts_geonames.tsv`` holds GeoNames' district
(admin2) names per governorate (CC BY 4.0), without coordinates. The gazetteer (``_Builder``)
reads all of them; this module only reads, validates and writes the files.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from harbinger.errors import KnowledgeError, UnreadableInput
from harbinger.geo.geonames import dumps_dir
from harbinger.geo.names import _Rules
from harbinger.records import Place

PLACES_HEADER = "#harbinger-places-v1"
_PLACE_COLUMNS = (
    "name",
    "aliases",
    "country_code",
    "admin1_code",
    "admin2",
    "latitude",
    "longitude",
    "precision",
    "feature",
    "source",
)
DISTRICTS_HEADER = "#harbinger-districts-v1"
_DISTRICT_COLUMNS = ("admin1_code", "name", "asciiname", "geonames_code", "geonameid")

#: The separator of a place's other names in the ``aliases`` column and of its sources.
_LIST_SEP = "|"
#: ACLED's "City - District" location form.
_CITY_DISTRICT = " - "
#: The most exact geo precision a table's row may have to give a place: a GTD row of
#: specificity 2 names its town but gives the centroid of a district (ACLED precision 2 here),
#: while ACLED's and UCDP's precision-2 rows carry the point of the town they name.
_MAX_PRECISION = {"acled": 2, "ucdp": 2, "gtd": 1}


@dataclass(frozen=True, slots=True)
class CodedName:
    """The names of a place as a table writes it: the first is the main one."""

    names: tuple[str, ...]
    #: True when the table calls it an area ("Orm area"): geo precision 2 when named.
    area: bool = False


@dataclass(frozen=True, slots=True)
class LearnedPlace:
    """One place of a places file: names, governorate, district, point and where it came from."""

    name: str
    aliases: tuple[str, ...]
    country_code: str
    admin1_code: str | None
    admin2: str | None
    latitude: float
    longitude: float
    precision: int
    feature: str = ""
    sources: tuple[str, ...] = ()

    def identity(self) -> tuple[str, str, str, str, str, str]:
        """What makes two rows one place (the sources aside)."""
        return (
            self.country_code,
            self.admin1_code or "",
            self.name,
            self.admin2 or "",
            f"{self.latitude:.5f}",
            f"{self.longitude:.5f}",
        )


@dataclass(frozen=True, slots=True)
class District:
    """A GeoNames district (admin2) of a governorate, without coordinates."""

    admin1_code: str
    name: str
    asciiname: str
    geonames_code: str
    geonameid: int


@dataclass(frozen=True, slots=True)
class TablePlaces:
    """What ``add_table_places`` did: the file written, places new to it, and all it holds."""

    path: Path
    added: int
    total: int


# -- names as tables write them ----------------------------------------------------------------


def coded_place_name(raw: str, rules: _Rules) -> CodedName | None:
    """The names of a place as written in a table's location column, or None if it is none.

    Bracketed parts are dropped (UCDP puts another name or the nearby town there); "/" separates
    other names of one place; trailing settlement and area words are dropped. A name is refused
    when a word is neither capitalised nor an Arabic article ("area between X and Y", "Silos east
    of Palmyra", "Sugar factory": descriptions, not names), or when it ends in a word of an admin
    unit ("Afrin district", "Aleppo Governorate"): then the whole location is refused, so that no
    other name of it points at a description's coordinates.
    """
    coded = rules.coded
    text = re.sub(r"\([^()]*\)", " ", raw)
    if "(" in text or ")" in text or not text.strip():
        return None
    names: list[str] = []
    area = False
    for part in text.split("/"):
        sides = [" ".join(s.split()) for s in part.split(_CITY_DISTRICT)]
        if len(sides) > 2:
            return None
        cleaned: list[str] = []
        for side in sides:
            words = side.split()
            while words and words[-1].lower() in coded.settlement | coded.area:
                area = area or words[-1].lower() in coded.area
                words.pop()
            if not words or words[-1].lower() in coded.not_place:
                return None
            if not all(_name_word(w, rules) for w in words):
                return None
            cleaned.append(" ".join(words))
        names.append(_CITY_DISTRICT.join(cleaned))
    return CodedName(tuple(dict.fromkeys(names)), area)


def _name_word(word: str, rules: _Rules) -> bool:
    """A word of a place name: capitalised or a number, an article, or such words hyphenated."""
    word = word.strip("'’`ʿʾ")
    if not word:
        return False
    parts = [p for p in re.split(r"[-‐]", word) if p]
    if not parts:
        return False
    for part in parts:
        part = part.lstrip("'’`ʿʾ")
        if not part or not (part[0].isupper() or part[0].isdigit() or part in rules.articles):
            return False
    return True


# -- places files ------------------------------------------------------------------------------


def read_places(path: Path) -> list[LearnedPlace]:
    """The places of a places file, validated; ``KnowledgeError`` names the line that is not."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(str(path), f"cannot be read as UTF-8 text: {exc}") from exc
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if line.startswith(PLACES_HEADER)), None)
    if header_at is None:
        raise KnowledgeError(
            f"{path}: not a places file (no {PLACES_HEADER!r} line); rebuild or re-import it"
        )
    columns = lines[header_at].split("\t")[1:]
    if tuple(columns) != _PLACE_COLUMNS:
        raise KnowledgeError(
            f"{path}: line {header_at + 1}: columns {columns} are not {list(_PLACE_COLUMNS)}"
        )
    places: list[LearnedPlace] = []
    for number, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            places.append(_parse_place(line.split("\t")))
        except ValueError as exc:
            raise KnowledgeError(
                f"{path}: line {number}: {exc}; rebuild the file (scripts/build_ucdp_places.py) "
                "or import the table again"
            ) from None
    return places


def _parse_place(fields: list[str]) -> LearnedPlace:
    if len(fields) != len(_PLACE_COLUMNS):
        raise ValueError(
            f"expected {len(_PLACE_COLUMNS)} tab-separated columns, found {len(fields)}"
        )
    name, aliases, country, admin1, admin2, lat, lon, precision, feature, source = fields
    if not name.strip():
        raise ValueError("the name is empty")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ValueError(f"country code {country!r} is not two capital letters")
    if admin1 and not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", admin1):
        raise ValueError(f"admin1 code {admin1!r} is not an ISO 3166-2 code")
    try:
        latitude, longitude = float(lat), float(lon)
    except ValueError:
        raise ValueError(f"latitude/longitude {lat!r}, {lon!r} are not numbers") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"latitude/longitude {latitude}, {longitude} out of range")
    if precision not in ("1", "2"):
        raise ValueError(f"precision {precision!r} is not 1 or 2")
    if feature not in ("", "area"):
        raise ValueError(f"feature {feature!r} is not 'area' or empty")
    return LearnedPlace(
        name=name.strip(),
        aliases=tuple(a for a in aliases.split(_LIST_SEP) if a),
        country_code=country,
        admin1_code=admin1 or None,
        admin2=admin2 or None,
        latitude=latitude,
        longitude=longitude,
        precision=int(precision),
        feature=feature,
        sources=tuple(s for s in source.split(_LIST_SEP) if s),
    )


def write_places(path: Path, places: Iterable[LearnedPlace], comments: Sequence[str] = ()) -> None:
    """Write a places file: sorted, one row per place, the same bytes for the same places.

    ``comments`` become "# " lines above the header (attribution). Written aside, then renamed,
    so that a failed write never leaves half a file for the gazetteer to read.
    """
    rows = sorted(places, key=lambda p: (p.identity(), p.aliases))
    lines = [f"# {c}" if c else "#" for c in comments]
    lines.append(PLACES_HEADER + "\t" + "\t".join(_PLACE_COLUMNS))
    for p in rows:
        values = [
            p.name,
            _LIST_SEP.join(p.aliases),
            p.country_code,
            p.admin1_code or "",
            p.admin2 or "",
            f"{p.latitude:.5f}",
            f"{p.longitude:.5f}",
            str(p.precision),
            p.feature,
            _LIST_SEP.join(sorted(set(p.sources))),
        ]
        lines.append("\t".join(" ".join(v.split()) for v in values))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A temporary name of its own: two imports at once each write whole and rename, and the
        # last rename wins with a whole file (the same one, for the same table).
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=path.name, suffix=".tmp", delete=False
        ) as fh:
            fh.write("\n".join(lines) + "\n")
        Path(fh.name).replace(path)
    except OSError as exc:
        raise UnreadableInput(str(path), f"cannot write the places file: {exc}") from exc


def read_districts(path: Path) -> list[District]:
    """The districts of a districts file, validated; ``KnowledgeError`` names a bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot be read as UTF-8 text: {exc}") from exc
    districts: list[District] = []
    seen_header = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(DISTRICTS_HEADER):
            if tuple(line.split("\t")[1:]) != _DISTRICT_COLUMNS:
                raise KnowledgeError(f"{path}: line {number}: expected {list(_DISTRICT_COLUMNS)}")
            seen_header = True
            continue
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        ok = (
            seen_header
            and len(fields) == len(_DISTRICT_COLUMNS)
            and re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", fields[0]) is not None
            and bool(fields[1].strip())
            and re.fullmatch(r"[A-Z]{2}\.\w+\.\w+", fields[3]) is not None
            and fields[4].isdigit()
        )
        if not ok:
            raise KnowledgeError(
                f"{path}: line {number}: expected {DISTRICTS_HEADER!r} and then the columns "
                f"{', '.join(_DISTRICT_COLUMNS)}; rebuild it with scripts/build_ucdp_places.py"
            )
        districts.append(
            District(fields[0], fields[1].strip(), fields[2].strip(), fields[3], int(fields[4]))
        )
    return districts


# -- the user's places, from imported tables -------------------------------------------------


def places_dir(data_dir: Path | None = None) -> Path:
    """The folder of places learned from imported tables in a data dir (default if None)."""
    return dumps_dir(data_dir) / "places"


def imported_places(data_dir: Path | None = None) -> list[Path]:
    """The places files of imported tables in a data dir (``default_data_dir()`` if None)."""
    folder = places_dir(data_dir)
    return sorted(folder.glob("*.tsv")) if folder.is_dir() else []


def table_place(place: Place, origin: str, source: str, rules: _Rules) -> LearnedPlace | None:
    """The place a table's row gives the gazetteer, or None: no point, no country, only the
    governorate (or, for GTD, only a district's centroid), or no place name."""
    if place.latitude is None or place.longitude is None or not place.country_code:
        return None
    if place.precision > _MAX_PRECISION.get(origin, 2):
        return None
    coded = coded_place_name(place.name, rules)
    if coded is None:
        return None
    return LearnedPlace(
        name=coded.names[0],
        aliases=coded.names[1:],
        country_code=place.country_code,
        admin1_code=place.admin1_code,
        admin2=place.admin2,
        latitude=round(place.latitude, 5),
        longitude=round(place.longitude, 5),
        precision=place.precision,
        feature="area" if coded.area else "",
        sources=(f"{origin}:{source}",),
    )


def merge_places(old: Iterable[LearnedPlace], new: Iterable[LearnedPlace]) -> list[LearnedPlace]:
    """One row per place: rows with one identity merge their other names and sources, and keep
    the more exact precision."""
    merged: dict[tuple[str, ...], LearnedPlace] = {}
    for p in (*old, *new):
        key = p.identity()
        seen = merged.get(key)
        if seen is None:
            merged[key] = p
            continue
        merged[key] = LearnedPlace(
            name=seen.name,
            aliases=tuple(sorted({*seen.aliases, *p.aliases})),
            country_code=seen.country_code,
            admin1_code=seen.admin1_code,
            admin2=seen.admin2,
            latitude=seen.latitude,
            longitude=seen.longitude,
            precision=min(seen.precision, p.precision),
            feature=seen.feature if seen.feature == p.feature else "",
            sources=tuple(sorted({*seen.sources, *p.sources})),
        )
    return list(merged.values())


def add_table_places(
    places: Iterable[Place],
    origin: str,
    source: str,
    *,
    data_dir: Path | None = None,
    theatre: str = "iraq_syria",
) -> TablePlaces:
    """Add the places of an imported table's rows to the user's gazetteer in the data dir.

    ``origin`` is the table's format (acled, ucdp, gtd) and names the file
    (``places_dir(data_dir)/<origin>.tsv``); ``source`` (the table's file name) is kept with each
    place, as where it came from. Rows without coordinates, with only the governorate's precision
    or without a place name add nothing. The file keeps the places of earlier imports too, one
    row per place, sorted: importing the same table again writes the same file. The gazetteer
    (``Gazetteer.load``) reads it by itself.
    """
    from harbinger.geo.curated import _knowledge_path, _read_yaml, _rules_from

    rules = _rules_from(_knowledge_path(theatre), _read_yaml(_knowledge_path(theatre)))
    found = [
        learned
        for place in places
        if (learned := table_place(place, origin, source, rules)) is not None
    ]
    if not re.fullmatch(r"[a-z0-9_]+", origin):
        raise ValueError(f"origin {origin!r} must be a format name such as 'acled'")
    path = places_dir(data_dir) / f"{origin}.tsv"
    old = read_places(path) if path.exists() else []
    merged = merge_places(old, found)
    before = {p.identity() for p in old}
    added = len({p.identity() for p in merged} - before)
    if merged or path.exists():
        write_places(
            path,
            merged,
            comments=(
                f"Places of the {origin.upper()} tables imported with 'harbinger import {origin}'.",
                "Written by Harbinger; read by its gazetteer. Re-importing a table rewrites it.",
            ),
        )
    return TablePlaces(path=path, added=added, total=len(merged))
