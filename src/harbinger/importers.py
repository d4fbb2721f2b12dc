"""Importers of coded-event tables: ACLED exports, UCDP GED and GTD CSV files into the store.

Analysts mix the events Harbinger codes from their own reports with the big coded datasets. This
module reads one such table, maps each row onto Harbinger's records (ACLED-style actor names
through the theatre's actor knowledge, ACLED event and sub-event types, the governorate with its
ISO 3166-2 code through the gazetteer, coordinates, date with ACLED's time precision,
fatalities) and stores it with its origin (``acled``, ``ucdp``, ``gtd``) and the dataset's own
event id. Each row becomes one synthetic ``Document`` whose id is derived from the dataset and
the row's own id (not from the file or its position), so importing a file twice, or a later
release of the same dataset, stores every event once. A row that cannot be read (no date, a bad
number, a short row) is reported with its line number and skipped; the rest goes on. A file whose
header lacks the columns of its format is refused as a whole. The mapping tables below say, beside
each entry, where UCDP's and the GTD's coding does not fit ACLED's and what was chosen.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from harbinger.errors import MalformedRecord, UnreadableInput
from harbinger.records import (
    CodedDocument,
    Document,
    Event,
    Evidence,
    GeoPrecision,
    Place,
    Skipped,
    TimePrecision,
)

if TYPE_CHECKING:
    from harbinger.extract.gazetteer import Gazetteer
    from harbinger.knowledge import ActorEntry, Theatre
    from harbinger.store import Store

__all__ = [
    "FORMATS",
    "ImportFormat",
    "ImportReport",
    "ImportedRow",
    "count_records",
    "import_table",
    "read_table",
]

ImportFormat = Literal["acled", "ucdp", "gtd"]
FORMATS: tuple[ImportFormat, ...] = ("acled", "ucdp", "gtd")

#: Columns a file must have to be read as each format (alternatives separated by "|").
_REQUIRED: dict[str, tuple[str, ...]] = {
    "acled": (
        "event_id_cnty",
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "fatalities",
    ),
    "ucdp": (
        "id",
        "type_of_violence",
        "side_a",
        "side_b",
        "country",
        "adm_1",
        "where_coordinates",
        "latitude",
        "longitude",
        "date_prec",
        "date_start",
        "date_end",
        "best",
        "low",
        "high",
    ),
    "gtd": (
        "eventid",
        "iyear|year",
        "imonth|month",
        "iday|day",
        "country_txt",
        "provstate",
        "city",
        "latitude",
        "longitude",
        "attacktype1_txt",
        "gname",
        "nkill",
    ),
}

#: Values that mean "no value" in these files (GTD-derived files write "N/A").
_BLANKS = frozenset({"", "n/a", "na", "nan", "null", "none", "-99", "-9"})

#: A salt of the synthetic document ids: bump it only if the mapping changes incompatibly.
_ID_SCHEME = "harbinger-import-v1"

#: Confidence of an imported event: ACLED's own coding is taken as it is; UCDP and GTD events
#: were mapped onto ACLED's taxonomy by the tables below, which loses detail.
_CONFIDENCE = {"acled": 1.0, "ucdp": 0.8, "gtd": 0.8}

# -- mapping tables --------------------------------------------------------------------------

#: UCDP GED actor names -> actor ids of the theatre's actors.yaml (ACLED names come from there,
#: by country and year). Names not listed are looked up among the actors' names and aliases, and
#: kept as UCDP writes them when that finds nothing.
_UCDP_ACTORS: dict[str, str] = {
    "IS": "islamic-state",
    "SDF": "sdf",
    "Government of Syria": "syria-military",
    "Government of Iraq": "iraq-military",
    "Government of Turkey": "turkey-military",
    "Government of Russia (Soviet Union)": "russia-military",
    "Government of Israel": "israel-military",
    "Government of United States of America": "us-military",
    "Government of Iran": "iran-military",
    "Syrian insurgents": "syrian-opposition-rebels",
    "Civilians": "civilians",
    "HTS": "hts",
    "Jabhat Fateh al-Sham": "hts",
    "SNA": "sna",
    "National Front for Liberation": "nfl",
    "Ahrar al-Sham": "ahrar-al-sham",
    "Jaysh al-Islam": "jaysh-al-islam",
    "Sham Legion": "faylaq-al-sham",
    "Rahman Corps": "faylaq-al-sham",
    "Nour al-Din al-Zenki": "nour-al-din-al-zenki",
    "Hezbollah": "hezbollah",
    "PKK": "pkk",
    "YPG": "ypg",
    "al-Qaida": "al-qaeda",
    "Liwa al-Sultan Murad": "sultan-murad-division",
    "Hamza Division": "hamza-division",
    "Jaysh al-Nukhba": "jaysh-al-nukhba",
}

#: GTD perpetrator group names (gname) -> actor ids of actors.yaml.
_GTD_ACTORS: dict[str, str] = {
    "Islamic State of Iraq and the Levant (ISIL)": "islamic-state",
    "Khorasan Chapter of the Islamic State": "islamic-state",
    "Al-Qaida in Iraq": "al-qaeda-in-iraq",
    "Al-Nusrah Front": "hts",
    "Hay'at Tahrir al-Sham": "hts",
    "Kurdistan Workers' Party (PKK)": "pkk",
    "People's Protection Units (YPG)": "ypg",
    "Syrian Democratic Forces": "sdf",
    "Free Syrian Army": "fsa",
    "Ahrar al-Sham": "ahrar-al-sham",
    "Jaysh al-Islam": "jaysh-al-islam",
    "Popular Mobilization Forces (PMF)": "iraq-pmf",
    "Asa'ib Ahl al-Haqq": "asaib-ahl-al-haq",
    "Kata'ib Hizballah": "kataib-hezbollah",
    "Hizballah": "hezbollah",
    "Unknown": "unidentified-armed-group",
}

#: GTD target types -> the actor id standing for the victim (actor 2); others leave it empty.
_GTD_TARGETS: dict[str, str] = {
    "Private Citizens & Property": "civilians",
    "Educational Institution": "civilians",
    "Religious Figures/Institutions": "civilians",
    "Journalists & Media": "civilians",
    "Military": "{state}-military",
    "Police": "{state}-police",
}

#: GTD targets that are armed: an armed assault on them is a battle, not violence against civilians.
_GTD_ARMED_TARGETS = frozenset({"Military", "Police", "Terrorists/Non-State Militia"})

#: GTD attack types -> (event type, sub-event type) in ACLED's taxonomy. The GTD codes an attack
#: by its tactic, ACLED by what happened, so this is an approximation:
#: - Armed Assault becomes Battles/Armed clash when the target is armed (military, police, a
#:   militia) and Violence against civilians/Attack otherwise;
#: - Bombing/Explosion becomes Suicide bomb when the GTD's ``suicide`` flag is 1;
#: - Facility/Infrastructure Attack becomes Looting/property destruction (ACLED codes arson and
#:   sabotage without casualties there);
#: - Unknown becomes Violence against civilians/Attack, the commonest GTD outcome.
_GTD_ATTACKS: dict[str, tuple[str, str]] = {
    "Assassination": ("Violence against civilians", "Attack"),
    "Armed Assault": ("Violence against civilians", "Attack"),
    "Bombing/Explosion": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "Hijacking": ("Violence against civilians", "Abduction/forced disappearance"),
    "Hostage Taking (Barricade Incident)": (
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    "Hostage Taking (Kidnapping)": ("Violence against civilians", "Abduction/forced disappearance"),
    "Facility/Infrastructure Attack": ("Strategic developments", "Looting/property destruction"),
    "Unarmed Assault": ("Violence against civilians", "Attack"),
    "Unknown": ("Violence against civilians", "Attack"),
}

#: UCDP where_prec -> ACLED geo precision (5 "larger than a province" and 6 "country" -> 3: the
#: event is kept, its point says little).
_UCDP_GEO: dict[int, GeoPrecision] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
#: UCDP date_prec -> ACLED time precision; 5 (the year only) is dropped, as ACLED drops it.
_UCDP_TIME: dict[int, TimePrecision] = {1: 1, 2: 2, 3: 2, 4: 3}
#: GTD specificity -> ACLED geo precision.
_GTD_GEO: dict[int, GeoPrecision] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}


# -- records ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """One table row as Harbinger's records: a synthetic document carrying one event."""

    coded: CodedDocument
    source_event_id: str
    line: int

    @property
    def event(self) -> Event:
        return self.coded.events[0]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: rows read, events stored, rows already stored, rows skipped."""

    path: Path
    format: str
    rows: int
    stored: int
    already: int
    skipped: tuple[Skipped, ...] = ()


class _RowError(Exception):
    """A row cannot be mapped; the message says which field and why."""


# -- knowledge ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    from harbinger.extract.gazetteer import Gazetteer

    return Gazetteer.load()


@lru_cache(maxsize=1)
def _theatre() -> Theatre:
    from harbinger.knowledge import load_theatre

    return load_theatre()


@lru_cache(maxsize=1)
def _actor_index() -> dict[str, str]:
    """Case-folded actor names and aliases -> actor id (the first actor holding a form wins)."""
    index: dict[str, str] = {}
    for actor in _theatre().actors:
        if actor.kind == "official":
            continue
        forms = [actor.name, *(n for _, _, n in actor.names_by_period)]
        forms += [a.text for a in actor.aliases]
        for form in forms:
            index.setdefault(form.casefold(), actor.id)
    return index


@lru_cache(maxsize=1)
def _inter_codes() -> dict[str, int]:
    from harbinger.taxonomy import taxonomy

    return {label.casefold(): code for code, label in taxonomy().inter_labels.items()}


@lru_cache(maxsize=64)
def _country_code(name: str) -> str | None:
    import pycountry

    text = name.strip()
    if not text:
        return None
    for entry in _gazetteer().lookup(text):
        if entry.kind == "country" and entry.country_code:
            return entry.country_code
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        return None
    return str(found.alpha_2)


@lru_cache(maxsize=512)
def _admin1(name: str, country_code: str | None) -> tuple[str | None, str | None]:
    """(common name, ISO 3166-2 code) of a governorate written in any known spelling."""
    for entry in _gazetteer().lookup(name):
        if entry.kind != "admin1" or not entry.admin1_code:
            continue
        if country_code and not entry.admin1_code.startswith(country_code + "-"):
            continue
        return entry.name, entry.admin1_code
    return None, None


# -- reading ---------------------------------------------------------------------------------


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableInput(str(path), "no such file; check the path") from exc
    except IsADirectoryError as exc:
        raise UnreadableInput(str(path), "is a folder; give one CSV file") from exc
    except OSError as exc:
        raise UnreadableInput(str(path), f"cannot be read: {exc.strerror}") from exc
    if b"\x00" in raw[:4096]:
        raise UnreadableInput(str(path), "is binary, not a CSV file (unzip it first?)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # The GTD's own distribution is Windows-1252; ACLED and UCDP are UTF-8.
        return raw.decode("cp1252", errors="replace")


def _open_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header of a CSV file and its records as (line of the record's start, fields)."""
    text = _decode(path)
    first = text.split("\n", 1)[0]
    offset = 0
    if first.strip().lower().startswith("sep="):
        # Excel's separator hint line: "sep=;".
        delimiter = first.strip()[4:5] or ","
        text = text.split("\n", 1)[1] if "\n" in text else ""
        offset = 1
    else:
        delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise MalformedRecord(str(path), "is empty: no header row", line=1 + offset) from None
    except csv.Error as exc:
        raise MalformedRecord(str(path), f"the header is not CSV: {exc}", line=1 + offset) from exc

    def records() -> Iterator[tuple[int, list[str]]]:
        last = reader.line_num
        while True:
            start = last + 1 + offset
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise MalformedRecord(
                    str(path), f"not CSV from here on ({exc}); fix the quoting", line=start
                ) from exc
            last = reader.line_num
            if fields and any(f.strip() for f in fields):
                yield start, fields

    return header, records()


def _check_header(path: Path, header: Sequence[str], fmt: str) -> None:
    have = set(header)
    missing = [c for c in _REQUIRED[fmt] if not any(a in have for a in c.split("|"))]
    if not missing:
        return
    hint = ""
    for other in FORMATS:
        if other != fmt and all(any(a in have for a in c.split("|")) for c in _REQUIRED[other]):
            hint = f"; it looks like a {other.upper()} file: use 'harbinger import {other}'"
            break
    raise MalformedRecord(
        str(path),
        f"unknown column set for a {fmt.upper()} file: missing {', '.join(missing)}{hint}",
        line=1,
    )


def count_records(path: Path) -> int:
    """Data rows of a CSV file, for a progress bar (quoted line breaks are counted right)."""
    _header, records = _open_csv(path)
    return sum(1 for _ in records)


def read_table(path: Path, fmt: str) -> Iterator[ImportedRow | Skipped]:
    """Each row of an ACLED, UCDP GED or GTD CSV file as an ``ImportedRow``, or a ``Skipped``.

    Raises ``UnreadableInput`` when the file cannot be read and ``MalformedRecord`` when its
    header lacks the columns of ``fmt`` (the message lists them).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(FORMATS)}")
    mapper = _MAPPERS[fmt]
    source = str(path)
    header, records = _open_csv(path)
    _check_header(path, header, fmt)
    for line, fields in records:
        if len(fields) != len(header):
            yield Skipped(
                source,
                f"{len(fields)} fields where the header has {len(header)}; "
                "check the quoting of this row",
                line=line,
            )
            continue
        row = {h: v.strip() for h, v in zip(header, fields, strict=True)}
        try:
            yield mapper(row, source, line)
        except _RowError as exc:
            yield Skipped(source, str(exc), line=line)


# -- field parsers ---------------------------------------------------------------------------


def _blank(value: str | None) -> bool:
    return value is None or value.strip().lower() in _BLANKS


def _text(row: Mapping[str, str], key: str) -> str | None:
    value = row.get(key)
    return None if _blank(value) else cast(str, value).strip()


def _int(row: Mapping[str, str], key: str, *, required: bool = False) -> int | None:
    value = row.get(key)
    if _blank(value):
        if required:
            raise _RowError(f"{key} is empty; a number is needed")
        return None
    try:
        number = float(cast(str, value).replace(",", ""))
    except ValueError:
        raise _RowError(f"{key} {value!r} is not a number") from None
    if number != number or number < 0 or number != int(number):
        raise _RowError(f"{key} {value!r} is not a whole number >= 0")
    return int(number)


def _coord(row: Mapping[str, str], key: str, limit: float) -> float | None:
    value = row.get(key)
    if _blank(value):
        return None
    try:
        number = float(cast(str, value))
    except ValueError:
        raise _RowError(f"{key} {value!r} is not a number") from None
    if not -limit <= number <= limit:
        raise _RowError(f"{key} {value!r} is out of range (-{limit:g} to {limit:g})")
    return number


def _date(value: str | None, key: str) -> dt.date:
    if _blank(value):
        raise _RowError(f"{key} is empty; the event has no date")
    text = cast(str, value).strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _RowError(f"{key} {text!r} is not a date like 2019-08-11 or 11 August 2019")


def _inter(value: str | None) -> int | None:
    if _blank(value):
        return None
    text = cast(str, value).strip()
    if text.isdigit():
        code = int(text)
        return code if 1 <= code <= 8 else None
    return _inter_codes().get(text.casefold())


@dataclass(frozen=True, slots=True)
class _Side:
    """An actor of an event: its ACLED-style name and inter code."""

    name: str
    inter: int | None


def _actor(name: str, table: Mapping[str, str], country: str | None, day: dt.date) -> _Side:
    """An ACLED-style name and inter code for a dataset's actor name."""
    actor_id = table.get(name) or _actor_index().get(name.casefold())
    if actor_id is None:
        return _Side(name, None)
    entry: ActorEntry = _theatre().actor(actor_id)
    return _Side(entry.acled_name(country, day.year, day.month), entry.inter)


def _synthetic(
    origin: str,
    source_event_id: str,
    source: str,
    text: str,
    title: str,
    published: dt.date | None,
    event: Event,
    line: int,
) -> ImportedRow:
    doc = Document(
        id=_document_id(origin, source_event_id),
        source=source,
        text=text,
        title=title,
        published=published,
    )
    evidence = (Evidence(text, 0, len(text)),) if text else ()
    ev = replace(event, id=f"{origin}:{source_event_id}", document_id=doc.id, evidence=evidence)
    return ImportedRow(CodedDocument(document=doc, events=(ev,)), source_event_id, line)


def _document_id(origin: str, source_event_id: str) -> str:
    """The synthetic document id of an imported row: the dataset and its own id, hashed."""
    return hashlib.sha256(f"{_ID_SCHEME}:{origin}:{source_event_id}".encode()).hexdigest()


def _place(
    location: str | None,
    country: str | None,
    admin1: str | None,
    admin2: str | None,
    lat: float | None,
    lon: float | None,
    precision: GeoPrecision,
) -> Place:
    code = _country_code(country) if country else None
    admin1_name, admin1_code = _admin1(admin1, code) if admin1 else (None, None)
    # No governorate given: the nearest known town's (only inside the theatre's countries).
    if admin1 is None and lat is not None and lon is not None and code in ("IQ", "SY"):
        admin1_code = _gazetteer().admin1_of_point(lat, lon)
        entry = _gazetteer().admin1(admin1_code) if admin1_code else None
        admin1_name = entry.name if entry else None
    return Place(
        name=location or admin1 or country or "unknown",
        country=country,
        country_code=code,
        admin1=admin1_name or admin1,
        admin1_code=admin1_code,
        admin2=admin2,
        latitude=lat,
        longitude=lon,
        precision=precision,
    )


def _placeholder_event(**fields: Any) -> Event:
    base: dict[str, Any] = {"id": "", "document_id": ""}
    base.update(fields)
    return Event(**base)


# -- ACLED -----------------------------------------------------------------------------------


def _map_acled(row: Mapping[str, str], source: str, line: int) -> ImportedRow:
    event_id = _text(row, "event_id_cnty")
    if event_id is None:
        raise _RowError("event_id_cnty is empty; every ACLED row has one")
    day = _date(row.get("event_date"), "event_date")
    precision = _int(row, "time_precision") or 1
    if precision not in (1, 2, 3):
        raise _RowError(f"time_precision {precision} is not 1, 2 or 3")
    event_type, sub_type = _text(row, "event_type"), _text(row, "sub_event_type")
    if event_type is None or sub_type is None:
        raise _RowError("event_type or sub_event_type is empty")
    geo = _int(row, "geo_precision") or 1
    if geo not in (1, 2, 3):
        raise _RowError(f"geo_precision {geo} is not 1, 2 or 3")
    fatalities = _int(row, "fatalities", required=True) or 0
    place = _place(
        _text(row, "location"),
        _text(row, "country"),
        _text(row, "admin1"),
        _text(row, "admin2"),
        _coord(row, "latitude", 90),
        _coord(row, "longitude", 180),
        cast(GeoPrecision, geo),
    )
    notes = _text(row, "notes") or ""
    event = _placeholder_event(
        event_type=event_type,
        sub_event_type=sub_type,
        date=day,
        time_precision=cast(TimePrecision, precision),
        actor1=_text(row, "actor1"),
        assoc_actor1=_text(row, "assoc_actor_1"),
        actor2=_text(row, "actor2"),
        assoc_actor2=_text(row, "assoc_actor_2"),
        inter1=_inter(row.get("inter1")),
        inter2=_inter(row.get("inter2")),
        place=place,
        fatalities=fatalities,
        confidence=_CONFIDENCE["acled"],
        notes=notes,
    )
    title = f"ACLED {event_id}: {sub_type}, {place.name}"
    return _synthetic("acled", event_id, source, notes, title, day, event, line)


# -- UCDP GED --------------------------------------------------------------------------------


def _ucdp_side(value: str | None, country: str | None, day: dt.date) -> tuple[_Side, str | None]:
    """A UCDP side: its first group as the actor, the others as associated actors."""
    if value is None:
        return _Side("", None), None
    # Coalitions are written "Ahrar al-Sham, HTS, Southern Front"; "Government of X" has no comma.
    names = [n.strip() for n in value.split(",") if n.strip()]
    mapped = [_actor(n, _UCDP_ACTORS, country, day) for n in names]
    assoc = "; ".join(dict.fromkeys(a.name for a in mapped[1:])) or None
    return mapped[0], assoc


def _map_ucdp(row: Mapping[str, str], source: str, line: int) -> ImportedRow:
    event_id = _text(row, "id")
    if event_id is None:
        raise _RowError("id is empty; every UCDP GED row has one")
    start = _date(row.get("date_start"), "date_start")
    end = _date(row.get("date_end"), "date_end") if not _blank(row.get("date_end")) else start
    if end < start:
        raise _RowError(f"date_end {end} is before date_start {start}")
    prec = _int(row, "date_prec", required=True) or 0
    if prec == 5:
        raise _RowError("date known only to the year (date_prec 5): dropped, as ACLED drops it")
    if prec not in _UCDP_TIME:
        raise _RowError(f"date_prec {prec} is not 1 to 5")
    precision = _UCDP_TIME[prec]
    # ACLED dates a week- or month-precise event on the middle day of its span.
    day = start if precision == 1 else start + (end - start) / 2
    violence = _int(row, "type_of_violence", required=True)
    if violence not in (1, 2, 3):
        raise _RowError(f"type_of_violence {violence} is not 1, 2 or 3")
    best = _int(row, "best", required=True) or 0
    low, high = _int(row, "low"), _int(row, "high")
    where = _int(row, "where_prec") or 4
    country = _text(row, "country")
    code = _country_code(country) if country else None
    admin1 = _text(row, "adm_1")
    place = _place(
        _text(row, "where_coordinates"),
        country,
        admin1,
        _text(row, "adm_2"),
        _coord(row, "latitude", 90),
        _coord(row, "longitude", 180),
        _UCDP_GEO.get(where, 3),
    )
    side_a, assoc_a = _ucdp_side(_text(row, "side_a"), code, day)
    side_b, assoc_b = _ucdp_side(_text(row, "side_b"), code, day)
    if violence == 3:
        # One-sided violence: an organised actor against unarmed people (always actor 2).
        event_type, sub_type = "Violence against civilians", "Attack"
        if not side_b.name or side_b.inter is None:
            side_b = _actor("Civilians", _UCDP_ACTORS, code, day)
    else:
        # State-based (1) and non-state (2) conflict: two organised armed sides. UCDP does not
        # tell ground fighting from shelling or air strikes, so all of it is an armed clash.
        event_type, sub_type = "Battles", "Armed clash"
    headline = _text(row, "source_headline") or ""
    kind = {1: "state-based", 2: "non-state", 3: "one-sided"}[violence]
    notes = (
        f"UCDP GED {event_id} ({kind}, {_text(row, 'conflict_name') or 'conflict not named'}): "
        f"{_text(row, 'side_a') or '?'} - {_text(row, 'side_b') or '?'} at {place.name}"
        f"{f' ({admin1})' if admin1 else ''}, {start.isoformat()}"
        f"{f' to {end.isoformat()}' if end != start else ''}; deaths best {best}"
        f"{f' (low {low}, high {high})' if low is not None or high is not None else ''}."
    )
    event = _placeholder_event(
        event_type=event_type,
        sub_event_type=sub_type,
        date=day,
        time_precision=precision,
        actor1=side_a.name or None,
        assoc_actor1=assoc_a,
        actor2=side_b.name or None,
        assoc_actor2=assoc_b,
        inter1=side_a.inter,
        inter2=side_b.inter,
        place=place,
        fatalities=best,
        fatalities_low=low,
        fatalities_high=high,
        confidence=_CONFIDENCE["ucdp"],
        notes=notes,
    )
    # Several sources write several dates ("2016-01-23;2016-02-08"): the first report counts.
    published = None
    for part in (_text(row, "source_date") or "").split(";"):
        try:
            published = _date(part, "source_date")
            break
        except _RowError:
            continue
    text = headline or notes
    title = f"UCDP GED {event_id}: {_text(row, 'dyad_name') or kind}, {place.name}"
    return _synthetic("ucdp", event_id, source, text, title, published or day, event, line)


# -- GTD -------------------------------------------------------------------------------------


def _first(row: Mapping[str, str], *keys: str) -> str | None:
    for key in keys:
        if key in row:
            return row[key]
    return None


def _map_gtd(row: Mapping[str, str], source: str, line: int) -> ImportedRow:
    event_id = _text(row, "eventid")
    if event_id is None:
        raise _RowError("eventid is empty; every GTD row has one")
    year = _int({"year": _first(row, "iyear", "year") or ""}, "year", required=True) or 0
    month = _int({"month": _first(row, "imonth", "month") or ""}, "month") or 0
    day_n = _int({"day": _first(row, "iday", "day") or ""}, "day") or 0
    if month == 0:
        raise _RowError("month unknown (imonth 0): dropped, as ACLED drops year-only events")
    try:
        # An unknown day (iday 0) is the month: ACLED's precision 3, dated mid-month.
        day = dt.date(year, month, day_n or 15)
    except ValueError:
        raise _RowError(f"{year}-{month}-{day_n} is not a date") from None
    precision: TimePrecision = 1 if day_n else 3
    country = _text(row, "country_txt")
    code = _country_code(country) if country else None
    attack = _text(row, "attacktype1_txt") or "Unknown"
    if attack not in _GTD_ATTACKS:
        raise _RowError(f"attacktype1_txt {attack!r} is not a GTD attack type")
    event_type, sub_type = _GTD_ATTACKS[attack]
    target = _text(row, "targtype1_txt")
    if attack == "Armed Assault" and target in _GTD_ARMED_TARGETS:
        event_type, sub_type = "Battles", "Armed clash"
    if attack == "Bombing/Explosion" and _text(row, "suicide") == "1":
        sub_type = "Suicide bomb"
    nkill = _int(row, "nkill") or 0
    nkillter = _int(row, "nkillter")
    specificity = _int(row, "specificity") or 1
    place = _place(
        _text(row, "city"),
        country,
        _text(row, "provstate"),
        None,
        _coord(row, "latitude", 90),
        _coord(row, "longitude", 180),
        _GTD_GEO.get(specificity, 3),
    )
    perpetrator = _actor(_text(row, "gname") or "Unknown", _GTD_ACTORS, code, day)
    others = [_text(row, k) for k in ("gname2", "gname3")]
    assoc = [_actor(n, _GTD_ACTORS, code, day).name for n in others if n]
    victim: _Side | None = None
    if target in _GTD_TARGETS:
        state = {"IQ": "iraq", "SY": "syria"}.get(code or "")
        target_id = _GTD_TARGETS[target]
        if "{state}" not in target_id:
            victim = _actor_by_id(target_id, code, day)
        elif state:
            victim = _actor_by_id(target_id.replace("{state}", state), code, day)
    summary = _text(row, "summary") or ""
    event = _placeholder_event(
        event_type=event_type,
        sub_event_type=sub_type,
        date=day,
        time_precision=precision,
        actor1=perpetrator.name,
        assoc_actor1="; ".join(assoc) or None,
        actor2=victim.name if victim else None,
        inter1=perpetrator.inter,
        inter2=victim.inter if victim else None,
        place=place,
        fatalities=nkill,
        fatalities_low=max(0, nkill - nkillter) if nkillter is not None else None,
        wounded=_int(row, "nwound"),
        confidence=_CONFIDENCE["gtd"],
        notes=summary,
    )
    title = f"GTD {event_id}: {attack}, {place.name}"
    return _synthetic("gtd", event_id, source, summary, title, day, event, line)


def _actor_by_id(actor_id: str, country: str | None, day: dt.date) -> _Side | None:
    theatre = _theatre()
    if actor_id not in theatre.actor_by_id:
        return None
    entry = theatre.actor(actor_id)
    return _Side(entry.acled_name(country, day.year, day.month), entry.inter)


_MAPPERS: dict[str, Callable[[Mapping[str, str], str, int], ImportedRow]] = {
    "acled": _map_acled,
    "ucdp": _map_ucdp,
    "gtd": _map_gtd,
}


# -- storing ---------------------------------------------------------------------------------


def _save_batch(store: Store, batch: Sequence[ImportedRow], origin: str) -> tuple[int, int]:
    """Store one batch in one transaction; (stored, already stored). See ``Store.save_many``."""
    return store.save_many(
        (item.coded for item in batch),
        origin=origin,
        source_event_ids={item.event.id: item.source_event_id for item in batch},
        batch_size=max(1, len(batch)),
    )


def import_table(
    path: Path,
    fmt: str,
    store: Store,
    *,
    batch_size: int = 1000,
    on_row: Callable[[int], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> ImportReport:
    """Read a coded-event table and store its events; importing a file twice stores once.

    Rows are committed in batches of ``batch_size``; ``on_row(n)`` is called after each batch
    with the rows it held (for a progress bar) and ``on_skip`` with each skipped row as it is
    met. Skipped rows are also recorded in the store.
    """
    rows = stored = already = 0
    skipped: list[Skipped] = []
    batch: list[ImportedRow] = []

    def flush() -> None:
        nonlocal stored, already
        if batch:
            new, old = _save_batch(store, batch, fmt)
            stored += new
            already += old
            if on_row is not None:
                on_row(len(batch))
            batch.clear()

    for item in read_table(path, fmt):
        rows += 1
        if isinstance(item, Skipped):
            skipped.append(item)
            if on_skip is not None:
                on_skip(item)
            if on_row is not None:
                on_row(1)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    for item in skipped:
        store.record_skipped(item)
    return ImportReport(path, fmt, rows, stored, already, tuple(skipped))
