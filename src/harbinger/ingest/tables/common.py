"""What the ACLED, UCDP GED and GTD table readers share: reading the CSV, parsing its fields, and
turning a mapped row into Harbinger's records. ``open_csv`` decodes a file (UTF-8, or the GTD's
Windows-1252), honours Excel's ``sep=`` line and yields each record with the line it starts on;
the ``field_*`` and ``parse_*`` helpers read blanks, whole numbers, coordinates, dates and inter
codes, raising ``RowError`` with the field and the reason; ``resolve_place`` finds the country and
the governorate (with its ISO 3166-2 code) through the gazetteer, ``actor_side`` an actor's
ACLED-style name and inter code through the theatre's actor knowledge; ``synthetic_row`` wraps an
event in a ``Document`` whose id is derived from the dataset and the row's own id.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from harbinger import wording
from harbinger.errors import MalformedRecord, UnreadableInput
from harbinger.ingest.reader import looks_arabic
from harbinger.records import (
    CodedDocument,
    Document,
    Event,
    Evidence,
    GeoPrecision,
    ImportedRow,
    Place,
)

if TYPE_CHECKING:
    from harbinger.geo import Gazetteer
    from harbinger.knowledge import ActorEntry, Theatre

logger = logging.getLogger(__name__)

__all__ = [
    "CONFIDENCE",
    "RowError",
    "Side",
    "actor_by_id",
    "actor_side",
    "country_code_of",
    "field_coord",
    "field_int",
    "field_text",
    "is_blank",
    "open_csv",
    "parse_date",
    "parse_inter",
    "placeholder_event",
    "resolve_place",
    "synthetic_row",
]

#: Values that mean "no value" in these files (GTD-derived files write "N/A").
_BLANKS = frozenset({"", "n/a", "na", "nan", "null", "none", "-99", "-9"})

#: A salt of the synthetic document ids: bump it only if the mapping changes incompatibly.
_ID_SCHEME = "harbinger-import-v1"

#: Confidence of an imported event: ACLED's own coding is taken as it is; UCDP and GTD events
#: were mapped onto ACLED's taxonomy by the tables of their modules, which loses detail.
CONFIDENCE = {"acled": 1.0, "ucdp": 0.8, "gtd": 0.8}


class RowError(Exception):
    """A row cannot be mapped; the message says which field and why."""


class RowExcluded(RowError):
    """A valid row that Harbinger leaves out by design, as ACLED would (a year-only date)."""


# -- knowledge ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    from harbinger.geo import Gazetteer

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
def country_code_of(name: str) -> str | None:
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


def _lines(path: Path) -> Iterator[str]:
    """The lines of a table file, decoded one by one and read as they are needed (a table of
    hundreds of megabytes is never held whole).

    UTF-8 lines stay UTF-8; a line that is not (one row pasted from a Windows-1252 file into a
    UTF-8 export, or the GTD's own Windows-1252 distribution) is read as Windows-1256 when it is
    Arabic, else Windows-1252, and a notice names those lines at the end. UTF-8 never has a newline
    byte inside a character, so lines split cleanly before they are decoded.
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise UnreadableInput(str(path), "no such file; check the path") from exc
    except IsADirectoryError as exc:
        raise UnreadableInput(str(path), "is a folder; give one CSV file") from exc
    except OSError as exc:
        raise UnreadableInput(str(path), f"cannot be read: {exc.strerror}") from exc
    legacy: list[int] = []
    encodings: set[str] = set()
    with handle:
        if b"\x00" in handle.peek(4096)[:4096]:
            raise UnreadableInput(str(path), "is binary, not a CSV file (unzip it first?)")
        try:
            for number, raw in enumerate(handle, start=1):
                try:
                    yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    text, encoding = _legacy(raw)
                    legacy.append(number)
                    encodings.add(encoding)
                    yield text
        except OSError as exc:
            raise UnreadableInput(str(path), f"cannot be read: {exc.strerror}") from exc
    if legacy:
        shown = ", ".join(str(n) for n in legacy[:10])
        if len(legacy) > 10:
            shown += f" and {len(legacy) - 10:,} more"
        logger.warning(
            "%s: %s not UTF-8, read as %s (check those rows): %s %s",
            path,
            wording.count(len(legacy), "line"),
            " or ".join(sorted(encodings)),
            "line" if len(legacy) == 1 else "lines",
            shown,
        )


def _legacy(line: bytes) -> tuple[str, str]:
    """A line in a legacy single-byte encoding: Windows-1256 when it reads as Arabic (the text
    reader's test), else 1252."""
    arabic = line.decode("cp1256")  # every byte is defined in cp1256
    if looks_arabic(arabic):
        return arabic, "Windows-1256"
    return line.decode("cp1252", errors="replace"), "Windows-1252"


#: A record that ends in a different line from the one it began on, with the wrong number of
#: fields, has swallowed the lines after it into an unclosed quote.
_RUNAWAY = "its quoting is not closed (a field opens a quote that never ends); the lines after it are read again as rows"


def open_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str] | str]]]:
    """The header of a CSV file and its records as (line of the record's start, fields), or
    (line, reason) for a record that cannot be read: a row whose quote never closes is reported
    on its own line, and the rows after it are read again, so that none is lost uncounted."""
    stream = _lines(path)
    replay: list[str] = []  # lines to read again after a broken record
    taken: list[str] = []  # the lines of the record being read
    position = [0]  # lines handed to the csv reader so far

    def feed() -> Iterator[str]:
        while True:
            if replay:
                line = replay.pop(0)
            else:
                try:
                    line = next(stream)
                except StopIteration:
                    return
            position[0] += 1
            taken.append(line)
            yield line

    first = next(stream, "")
    offset = 0
    if first.strip().lower().startswith("sep="):
        # Excel's separator hint line: "sep=;".
        delimiter = first.strip()[4:5] or ","
        offset = 1
    else:
        delimiter = ";" if first.count(";") > first.count(",") else ","
        replay.append(first)
    reader = csv.reader(feed(), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise MalformedRecord(str(path), "is empty: no header row", line=1 + offset) from None
    except csv.Error as exc:
        raise MalformedRecord(str(path), f"the header is not CSV: {exc}", line=1 + offset) from exc

    def records() -> Iterator[tuple[int, list[str] | str]]:
        nonlocal reader
        while True:
            begin = position[0]
            taken.clear()
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problem: str | None = f"is not CSV ({exc}); the rows after it are read again"
            else:
                spanned = position[0] - begin
                problem = _RUNAWAY if spanned > 1 and len(fields) != len(header) else None
            if problem is not None:
                yield begin + 1 + offset, problem
                replay[:0] = taken[1:]  # the lines the broken record swallowed
                position[0] = begin + 1
                reader = csv.reader(feed(), delimiter=delimiter)
                continue
            if fields and any(f.strip() for f in fields):
                yield begin + 1 + offset, fields

    return header, records()


# -- field parsers ---------------------------------------------------------------------------


def is_blank(value: str | None) -> bool:
    return value is None or value.strip().lower() in _BLANKS


def field_text(row: Mapping[str, str], key: str) -> str | None:
    value = row.get(key)
    return None if is_blank(value) else cast(str, value).strip()


def field_int(row: Mapping[str, str], key: str, *, required: bool = False) -> int | None:
    value = row.get(key)
    if is_blank(value):
        if required:
            raise RowError(f"{key} is empty; a number is needed")
        return None
    try:
        number = float(cast(str, value).replace(",", ""))
    except ValueError:
        raise RowError(f"{key} {value!r} is not a number") from None
    if number != number or number < 0 or number != int(number):
        raise RowError(f"{key} {value!r} is not a whole number >= 0")
    return int(number)


def field_coord(row: Mapping[str, str], key: str, limit: float) -> float | None:
    value = row.get(key)
    if is_blank(value):
        return None
    try:
        number = float(cast(str, value))
    except ValueError:
        raise RowError(f"{key} {value!r} is not a number") from None
    if not -limit <= number <= limit:
        raise RowError(f"{key} {value!r} is out of range (-{limit:g} to {limit:g})")
    return number


def parse_date(value: str | None, key: str) -> dt.date:
    if is_blank(value):
        raise RowError(f"{key} is empty; the event has no date")
    text = cast(str, value).strip()
    # ACLED's exports write "2020-05-09" today and "9-May-20" (D-Mon-YY) in the 2020 layout.
    for fmt in (
        "%Y-%m-%d",
        "%d %B %Y",
        "%d-%B-%Y",
        "%d %b %Y",
        "%d-%b-%Y",
        "%d-%b-%y",
        "%Y-%m-%d %H:%M:%S",
    ):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(f"{key} {text!r} is not a date like 2019-08-11, 11 August 2019 or 11-Aug-19")


def parse_inter(value: str | None) -> int | None:
    if is_blank(value):
        return None
    text = cast(str, value).strip()
    if text.isdigit():
        code = int(text)
        return code if 1 <= code <= 8 else None
    return _inter_codes().get(text.casefold())


# -- actors and places ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Side:
    """An actor of an event: its ACLED-style name and inter code."""

    name: str
    inter: int | None


def actor_side(name: str, table: Mapping[str, str], country: str | None, day: dt.date) -> Side:
    """An ACLED-style name and inter code for a dataset's actor name."""
    actor_id = table.get(name) or _actor_index().get(name.casefold())
    if actor_id is None:
        return Side(name, None)
    entry: ActorEntry = _theatre().actor(actor_id)
    return Side(entry.acled_name(country, day.year, day.month), entry.inter)


def actor_by_id(actor_id: str, country: str | None, day: dt.date) -> Side | None:
    theatre = _theatre()
    if actor_id not in theatre.actor_by_id:
        return None
    entry = theatre.actor(actor_id)
    return Side(entry.acled_name(country, day.year, day.month), entry.inter)


# -- records ---------------------------------------------------------------------------------


def synthetic_row(
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


def resolve_place(
    location: str | None,
    country: str | None,
    admin1: str | None,
    admin2: str | None,
    lat: float | None,
    lon: float | None,
    precision: GeoPrecision,
) -> Place:
    code = country_code_of(country) if country else None
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


def placeholder_event(**fields: Any) -> Event:
    base: dict[str, Any] = {"id": "", "document_id": ""}
    base.update(fields)
    return Event(**base)
