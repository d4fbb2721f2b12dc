"""Readers of the human-coded reference datasets that ``harbinger eval`` scores the coder against.

Six formats: the CASE 2021 Task 2 snippets (TSV: ``id``, ``EventSnippet``, ``SubType``), the
ACLED/GTD drone table (CSV in GTD's schema, text in ``summary``), a UCDP GED country file (CSV,
text in ``source_headline``), an ACLED export (CSV in its 2020 or current layout, text in
``notes``), a GTD file (GTD's own columns, text in ``summary``) and a folder of news reports
(``NAME.txt`` beside a gold ``NAME.json``: the published date and the events as ACLED would code
them). Each reader returns the rows it
could read as typed records and the rows it could not as ``Skipped`` records naming the file and
the line where the row starts, so one bad row is reported and skipped rather than ending the run.
A file that cannot be opened, or whose header lacks a column the scorer needs, raises an
``InputError`` that says which. ``split_part`` and ``select_part`` hold the fixed tune/score split
of every dataset's rows (docs/accuracy.md, "Tune and score halves").
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Literal, Protocol, TypeVar

from harbinger.errors import EncodingError, MalformedRecord, UnreadableInput
from harbinger.records import Skipped
from harbinger.taxonomy import taxonomy

__all__ = [
    "PARTS",
    "SPLIT_SALT",
    "UNSEEN_CASE_LABELS",
    "AcledRow",
    "CaseRow",
    "DroneRow",
    "GoldEvent",
    "GtdRow",
    "Loaded",
    "Part",
    "ReportCase",
    "UcdpRow",
    "case_labels",
    "load_acled",
    "load_case2021",
    "load_drone",
    "load_gtd",
    "load_reports",
    "load_ucdp",
    "select_part",
    "split_part",
]

#: CASE 2021 classes that are no ACLED sub-event type (subtasks 2 and 3 of Task 2).
UNSEEN_CASE_LABELS = ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB")

#: GTD and ACLED write an unknown value as one of these.
_MISSING = frozenset({"", "n/a", "na", "nan", "none", "null", "unknown", "-99", "-9"})

R = TypeVar("R")

#: Which rows of a file are scored: the half one may read and tune on, the half one only scores,
#: or every row.
Part = Literal["tune", "score", "all"]
PARTS: tuple[Part, ...] = ("tune", "score", "all")
#: Mixed into the hash of every row id. Fixed for good: changing it would move rows between the
#: halves and make every figure measured before it incomparable with those after.
SPLIT_SALT = "harbinger-eval-split-2026-v1"


def case_labels() -> frozenset[str]:
    """Every label a CASE 2021 Task 2 row may carry: the 25 ACLED ones and the 5 unseen ones."""
    return frozenset(s.case_label for s in taxonomy().sub_event_types) | set(UNSEEN_CASE_LABELS)


@dataclass(frozen=True, slots=True)
class Loaded(Generic[R]):
    """What a reader got out of a file: the rows read, the rows skipped, and the rows seen."""

    path: Path
    rows: tuple[R, ...]
    skipped: tuple[Skipped, ...]

    @property
    def seen(self) -> int:
        """Data rows in the file (read or skipped)."""
        return len(self.rows) + len(self.skipped)


class _Keyed(Protocol):
    @property
    def split_key(self) -> str: ...


K = TypeVar("K", bound=_Keyed)


def split_part(key: str) -> Literal["tune", "score"]:
    """The half a row belongs to, from its own id (or its text when it has no id).

    The SHA-256 of ``SPLIT_SALT``, a newline and the key (surrounding spaces removed) is read as a
    number: even is "tune", odd is "score". It depends on nothing but the key, so a row stays in
    its half whatever the order of the file, the rows around it, or the release it comes in, and
    the same event (an ACLED ``event_id_cnty`` that is also a drone ``eventid``) is in the same
    half in every file that holds it.
    """
    digest = hashlib.sha256(f"{SPLIT_SALT}\n{key.strip()}".encode()).digest()
    return "tune" if int.from_bytes(digest[:8], "big") % 2 == 0 else "score"


def select_part(rows: Sequence[K], part: Part) -> tuple[K, ...]:
    """The rows of one half, in file order (every row for "all")."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; use one of {', '.join(PARTS)}")
    if part == "all":
        return tuple(rows)
    return tuple(r for r in rows if split_part(r.split_key) == part)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A CASE 2021 Task 2 snippet and its gold label."""

    line: int
    id: str
    text: str
    label: str

    @property
    def split_key(self) -> str:
        """What decides the row's half: its ``id``, or its snippet when the id is empty."""
        return self.id or self.text


@dataclass(frozen=True, slots=True)
class DroneRow:
    """A row of the ACLED/GTD drone table: the text and the gold fields the scorer reads."""

    line: int
    id: str
    text: str
    origin: str  # "ACLED" or "GTD" (column adatforras)
    country: str
    admin1: str
    city: str
    latitude: float | None
    longitude: float | None
    date: dt.date | None
    nkill: int | None
    gname: str

    @property
    def split_key(self) -> str:
        """What decides the row's half: its ``eventid`` (never empty here)."""
        return self.id


@dataclass(frozen=True, slots=True)
class AcledRow:
    """An event of an ACLED export: its notes (the text) and the gold fields the scorer reads."""

    line: int
    id: str  # event_id_cnty
    text: str
    country: str
    admin1: str
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    date: dt.date
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor1: str
    actor2: str
    assoc_actor2: str
    fatalities: int | None

    @property
    def split_key(self) -> str:
        """What decides the row's half: its ``event_id_cnty``, or its notes when that is empty."""
        return self.id or self.text


@dataclass(frozen=True, slots=True)
class GtdRow:
    """An incident of a GTD file: its summary (the text) and the gold fields the scorer reads."""

    line: int
    id: str  # eventid, "" when the file has none
    text: str
    country: str
    admin1: str
    city: str
    latitude: float | None
    longitude: float | None
    date: dt.date | None
    nkill: int | None
    gname: str
    attack_type: str

    @property
    def split_key(self) -> str:
        """What decides the row's half: its ``eventid``, or its summary when it has none."""
        return self.id or self.text


@dataclass(frozen=True, slots=True)
class UcdpRow:
    """A UCDP GED event: the headline(s), the report date and the gold fields the scorer reads."""

    line: int
    id: str
    headline: str
    source_date: dt.date | None
    side_a: str
    side_b: str
    where: str
    adm_1: str
    latitude: float | None
    longitude: float | None
    date_start: dt.date
    date_end: dt.date
    date_prec: int | None
    best: int | None

    @property
    def split_key(self) -> str:
        """What decides the row's half: its ``id`` (never empty here)."""
        return self.id


def _a(what: str) -> str:
    """The dataset's name with its article: "an ACLED export", "a GTD", "a UCDP GED"."""
    return ("an " if what[:1] in "AEIO" else "a ") + what


class _BadRow(Exception):
    """A row that cannot be read; the message says why."""


# -- reading --------------------------------------------------------------------------------------


def _open_text(path: Path) -> str:
    if not path.exists():
        raise UnreadableInput(str(path), "no such file; check the path (see docs/accuracy.md)")
    if not path.is_file():
        raise UnreadableInput(str(path), "not a regular file; give the dataset file itself")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            str(path), f"not UTF-8 (byte {exc.start}); re-save the file as UTF-8"
        ) from exc
    except OSError as exc:
        raise UnreadableInput(str(path), f"cannot read: {exc.strerror}") from exc


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Rows of a CSV/TSV text with the line number each row starts on (the header is line 1)."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, [f"\x00{exc}"]  # a sentinel the caller reports as a malformed row
            start = reader.line_num + 1
            continue
        yield start, row
        start = reader.line_num + 1


def _load(
    path: Path,
    delimiter: str,
    required: Sequence[str],
    build: Callable[[int, dict[str, str]], R],
    what: str,
) -> Loaded[R]:
    text = _open_text(path)
    records = _records(text, delimiter)
    header_row = next(records, None)
    if header_row is None or not any(c.strip() for c in header_row[1]):
        raise MalformedRecord(str(path), f"empty file: expected {_a(what)} header row", line=1)
    header = [c.strip() for c in header_row[1]]
    sep = "tab" if delimiter == "\t" else repr(delimiter)
    _require_columns(path, header, required, what, f"{sep}-separated columns including")
    rows: list[R] = []
    skipped: list[Skipped] = []
    for line, values in records:
        if not values or all(not v.strip() for v in values):
            continue  # blank line
        if values[0].startswith("\x00"):
            skipped.append(Skipped(str(path), f"unreadable row: {values[0][1:]}", line))
            continue
        if len(values) != len(header):
            skipped.append(
                Skipped(
                    str(path),
                    f"{len(values)} fields where the header has {len(header)}",
                    line,
                )
            )
            continue
        try:
            rows.append(build(line, dict(zip(header, values, strict=True))))
        except _BadRow as exc:
            skipped.append(Skipped(str(path), str(exc), line))
    return Loaded(path, tuple(rows), tuple(skipped))


# -- field parsers --------------------------------------------------------------------------------


def _text(record: dict[str, str], column: str) -> str:
    value = record[column].strip()
    if not value:
        raise _BadRow(f"empty {column}")
    return value


def _optional(record: dict[str, str], column: str) -> str:
    value = record.get(column, "").strip()
    return "" if value.lower() in _MISSING else value


def _float(record: dict[str, str], column: str, limit: float) -> float | None:
    value = _optional(record, column)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise _BadRow(f"{column} {value!r} is not a number") from None
    if not -limit <= number <= limit:
        raise _BadRow(f"{column} {value!r} is out of range (±{limit:g})")
    return number


def _count(record: dict[str, str], column: str) -> int | None:
    """A death toll: a non-negative whole number, or None when the dataset does not know it."""
    value = _optional(record, column)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None  # GTD writes a few tolls as words; such rows are left out of the metric
    if number < 0 or number != int(number):
        return None
    return int(number)


def _iso_date(record: dict[str, str], column: str) -> dt.date:
    value = record[column].strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise _BadRow(f"{column} {value!r} is not a date (YYYY-MM-DD)") from None


def _first_iso_date(value: str) -> dt.date | None:
    """The earliest of ';'-joined report dates (UCDP joins one per source), or None."""
    dates: list[dt.date] = []
    for part in value.split(";"):
        try:
            dates.append(dt.date.fromisoformat(part.strip()[:10]))
        except ValueError:
            continue
    return min(dates) if dates else None


# -- the three formats ----------------------------------------------------------------------------


def load_case2021(path: Path) -> Loaded[CaseRow]:
    """Read a CASE 2021 Task 2 TSV (``id``, ``EventSnippet``, ``SubType``)."""
    valid = case_labels()

    def build(line: int, r: dict[str, str]) -> CaseRow:
        label = _text(r, "SubType").upper()
        if label not in valid:
            raise _BadRow(f"unknown CASE label {label!r}; use one of {', '.join(sorted(valid))}")
        return CaseRow(line, r["id"].strip(), _text(r, "EventSnippet"), label)

    # Snippets may hold '"': a TSV here is split on tabs only, with no quoting.
    return _load_tsv(path, ("id", "EventSnippet", "SubType"), build, "CASE 2021 Task 2")


def _require_columns(
    path: Path, header: Sequence[str], required: Sequence[str], what: str, expected: str
) -> None:
    """A header that lacks a needed column refuses the whole file, naming what is missing."""
    missing = [c for c in required if c not in header]
    if missing:
        raise MalformedRecord(
            str(path),
            f"not {_a(what)} file: the header lacks {', '.join(missing)} "
            f"(expected {expected} {', '.join(required)})",
            line=1,
        )


def _load_tsv(
    path: Path,
    required: Sequence[str],
    build: Callable[[int, dict[str, str]], CaseRow],
    what: str,
) -> Loaded[CaseRow]:
    text = _open_text(path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise MalformedRecord(str(path), f"empty file: expected {_a(what)} header row", line=1)
    header = [c.strip() for c in lines[0].split("\t")]
    _require_columns(path, header, required, what, "tab-separated columns")
    rows: list[CaseRow] = []
    skipped: list[Skipped] = []
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        values = raw.split("\t")
        if len(values) != len(header):
            reason = f"{len(values)} tab-separated fields where the header has {len(header)}"
            skipped.append(Skipped(str(path), reason, number))
            continue
        try:
            rows.append(build(number, dict(zip(header, values, strict=True))))
        except _BadRow as exc:
            skipped.append(Skipped(str(path), str(exc), number))
    return Loaded(path, tuple(rows), tuple(skipped))


def _gtd_date(
    r: dict[str, str], columns: tuple[str, str, str] = ("year", "month", "day")
) -> dt.date | None:
    """year/month/day of a GTD-schema row; GTD writes 0 for an unknown month or day."""
    try:
        year, month, day = (int(float(r[c].strip())) for c in columns)
    except ValueError:
        values = "/".join(repr(r[c]) for c in columns)
        raise _BadRow(f"{'/'.join(columns)} {values} are not numbers") from None
    if month == 0 or day == 0:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _BadRow(f"{year}-{month}-{day} is not a calendar date") from None


_DRONE_COLUMNS = (
    "eventid", "year", "month", "day", "country_txt", "provstate", "city", "latitude",
    "longitude", "summary", "nkill", "gname", "adatforras",
)  # fmt: skip


def load_drone(path: Path) -> Loaded[DroneRow]:
    """Read the ACLED/GTD drone table (GTD schema, comma-separated, "N/A" for unknown)."""

    def build(line: int, r: dict[str, str]) -> DroneRow:
        return DroneRow(
            line=line,
            id=_text(r, "eventid"),
            text=_text(r, "summary"),
            origin=r["adatforras"].strip().upper(),
            country=_optional(r, "country_txt"),
            admin1=_optional(r, "provstate"),
            city=_optional(r, "city"),
            latitude=_float(r, "latitude", 90),
            longitude=_float(r, "longitude", 180),
            date=_gtd_date(r),
            nkill=_count(r, "nkill"),
            gname=_optional(r, "gname"),
        )

    return _load(path, ",", _DRONE_COLUMNS, build, "GTD-schema drone")


_UCDP_COLUMNS = (
    "id", "side_a", "side_b", "source_date", "source_headline", "where_coordinates", "adm_1",
    "latitude", "longitude", "date_prec", "date_start", "date_end", "best",
)  # fmt: skip


def load_ucdp(path: Path) -> Loaded[UcdpRow]:
    """Read a UCDP GED CSV (GED 19.1 variables)."""

    def build(line: int, r: dict[str, str]) -> UcdpRow:
        start = _iso_date(r, "date_start")
        end = _iso_date(r, "date_end") if r["date_end"].strip() else start
        if end < start:
            raise _BadRow(f"date_end {end} is before date_start {start}")
        prec = r["date_prec"].strip()
        return UcdpRow(
            line=line,
            id=_text(r, "id"),
            headline=r["source_headline"].strip(),
            source_date=_first_iso_date(r["source_date"]),
            side_a=r["side_a"].strip(),
            side_b=r["side_b"].strip(),
            where=r["where_coordinates"].strip(),
            adm_1=r["adm_1"].strip(),
            latitude=_float(r, "latitude", 90),
            longitude=_float(r, "longitude", 180),
            date_start=start,
            date_end=end,
            date_prec=int(prec) if re.fullmatch(r"\d+", prec) else None,
            best=_count(r, "best"),
        )

    return _load(path, ",", _UCDP_COLUMNS, build, "UCDP GED")


_ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country",
    "admin1", "location", "latitude", "longitude", "geo_precision", "notes", "fatalities",
)  # fmt: skip
#: ``event_date`` as ACLED's exports write it: today's ISO day, the 2020 layout's "9-May-20", and
#: the "09 May 2020" of some API exports. These are the export's formats, not words of a text.
_ACLED_DATE_FORMATS = ("%Y-%m-%d", "%d-%b-%y", "%d %B %Y")


def _acled_date(record: dict[str, str]) -> dt.date:
    value = record["event_date"].strip()
    for fmt in _ACLED_DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise _BadRow(f"event_date {value!r} is not a date (YYYY-MM-DD or D-Mon-YY)")


def _small_int(record: dict[str, str], column: str, low: int, high: int) -> int | None:
    """A code such as geo_precision: a whole number in low..high, or None when missing."""
    value = _optional(record, column)
    if not value:
        return None
    if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
        raise _BadRow(f"{column} {value!r} is not a whole number from {low} to {high}")
    return int(value)


def load_acled(path: Path) -> Loaded[AcledRow]:
    """Read an ACLED export: the 2020 layout (``event_date`` like ``9-May-20``) or today's
    (``YYYY-MM-DD``, with ``disorder_type``, ``civilian_targeting`` and ``tags``, which are not
    scored). Columns beyond the scored ones are ignored, so either layout reads the same."""

    def build(line: int, r: dict[str, str]) -> AcledRow:
        return AcledRow(
            line=line,
            id=r["event_id_cnty"].strip(),
            text=_text(r, "notes"),
            country=_optional(r, "country"),
            admin1=_optional(r, "admin1"),
            location=_optional(r, "location"),
            latitude=_float(r, "latitude", 90),
            longitude=_float(r, "longitude", 180),
            geo_precision=_small_int(r, "geo_precision", 1, 3),
            date=_acled_date(r),
            time_precision=_small_int(r, "time_precision", 1, 3),
            event_type=_text(r, "event_type"),
            sub_event_type=_text(r, "sub_event_type"),
            actor1=_optional(r, "actor1"),
            assoc_actor1=_optional(r, "assoc_actor_1"),
            actor2=_optional(r, "actor2"),
            assoc_actor2=_optional(r, "assoc_actor_2"),
            fatalities=_count(r, "fatalities"),
        )

    return _load(path, ",", _ACLED_COLUMNS, build, "ACLED export")


_GTD_COLUMNS = (
    "iyear", "imonth", "iday", "provstate", "city", "latitude", "longitude", "gname",
    "attacktype1_txt", "nkill", "summary",
)  # fmt: skip


def load_gtd(path: Path) -> Loaded[GtdRow]:
    """Read a GTD file in GTD's own column names; ``eventid`` and ``country_txt`` are used when
    present (a row without an eventid is split by its summary)."""

    def build(line: int, r: dict[str, str]) -> GtdRow:
        return GtdRow(
            line=line,
            id=r.get("eventid", "").strip(),
            text=_text(r, "summary"),
            country=_optional(r, "country_txt"),
            admin1=_optional(r, "provstate"),
            city=_optional(r, "city"),
            latitude=_float(r, "latitude", 90),
            longitude=_float(r, "longitude", 180),
            date=_gtd_date(r, ("iyear", "imonth", "iday")),
            nkill=_count(r, "nkill"),
            gname=_optional(r, "gname"),
            attack_type=_optional(r, "attacktype1_txt"),
        )

    return _load(path, ",", _GTD_COLUMNS, build, "GTD")


# -- news reports ---------------------------------------------------------------------------------

#: The keys of a gold event in a report's ``NAME.json``: every one is required (``actor2`` may be
#: null, and so may ``location`` when the report names no place below the governorate).
_GOLD_EVENT_KEYS = (
    "date", "event_type", "sub_event_type", "actor1", "actor2", "admin1", "location", "fatalities",
)  # fmt: skip
_ADMIN1_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One event of a report as ACLED would code it: the fields ``eval reports`` scores."""

    date: dt.date
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str | None
    admin1: str  # ISO 3166-2, e.g. "IQ-KI"
    location: str | None
    fatalities: int


@dataclass(frozen=True, slots=True)
class ReportCase:
    """A news report (its file and text) and its gold: the published date and the events."""

    line: int  # always 1: a report is a whole file
    name: str  # the file name without ".txt"
    path: Path
    text: str
    published: dt.date | None
    events: tuple[GoldEvent, ...]

    @property
    def split_key(self) -> str:
        """What decides the report's half: its file name (without the extension)."""
        return self.name


def _gold_date(value: object, what: str) -> dt.date:
    if not isinstance(value, str):
        raise _BadRow(f"{what} must be a date written YYYY-MM-DD, not {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _BadRow(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def _gold_text(value: object, what: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _BadRow(f"{what} must be a non-empty string{' or null' if optional else ''}")
    return value.strip()


def _gold_event(index: int, raw: object) -> GoldEvent:
    where = f"events[{index}]"
    if not isinstance(raw, dict):
        raise _BadRow(f"{where} must be an object")
    missing = [k for k in _GOLD_EVENT_KEYS if k not in raw]
    if missing:
        raise _BadRow(f"{where} lacks {', '.join(missing)}")
    sub = _gold_text(raw["sub_event_type"], f"{where}.sub_event_type") or ""
    event_type = _gold_text(raw["event_type"], f"{where}.event_type") or ""
    known = {(s.event_type, s.name) for s in taxonomy().sub_event_types}
    if (event_type, sub) not in known:
        raise _BadRow(f"{where}: {event_type!r} / {sub!r} is no ACLED event and sub-event type")
    admin1 = _gold_text(raw["admin1"], f"{where}.admin1") or ""
    if not _ADMIN1_CODE.match(admin1):
        raise _BadRow(f"{where}.admin1 {admin1!r} is not an ISO 3166-2 code such as IQ-NI")
    fatalities = raw["fatalities"]
    if not isinstance(fatalities, int) or isinstance(fatalities, bool) or fatalities < 0:
        raise _BadRow(f"{where}.fatalities must be a whole number of 0 or more")
    return GoldEvent(
        date=_gold_date(raw["date"], f"{where}.date"),
        event_type=event_type,
        sub_event_type=sub,
        actor1=_gold_text(raw["actor1"], f"{where}.actor1") or "",
        actor2=_gold_text(raw["actor2"], f"{where}.actor2", optional=True),
        admin1=admin1,
        location=_gold_text(raw["location"], f"{where}.location", optional=True),
        fatalities=fatalities,
    )


def _report_case(text_path: Path) -> ReportCase:
    gold_path = text_path.with_suffix(".json")
    if not gold_path.is_file():
        raise _BadRow(f"no gold file {gold_path.name} beside the report")
    text = _open_text(text_path)
    try:
        gold = json.loads(_open_text(gold_path))
    except json.JSONDecodeError as exc:
        raise _BadRow(f"{gold_path.name}: not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(gold, dict) or "published" not in gold or "events" not in gold:
        raise _BadRow(f"{gold_path.name}: expected an object with published and events")
    published = None if gold["published"] is None else _gold_date(gold["published"], "published")
    if not isinstance(gold["events"], list):
        raise _BadRow(f"{gold_path.name}: events must be a list")
    try:
        events = tuple(_gold_event(i, e) for i, e in enumerate(gold["events"]))
    except _BadRow as exc:
        raise _BadRow(f"{gold_path.name}: {exc}") from None
    return ReportCase(1, text_path.stem, text_path, text, published, events)


def load_reports(path: Path) -> Loaded[ReportCase]:
    """Read a folder of news reports: every ``NAME.txt`` with its gold ``NAME.json``.

    The gold file holds ``published`` (YYYY-MM-DD or null) and ``events``: a list of objects with
    ``date``, ``event_type``, ``sub_event_type``, ``actor1``, ``actor2`` (or null), ``admin1`` (an
    ISO 3166-2 code), ``location`` (or null) and ``fatalities``; other keys (a ``note``) are
    ignored. A report whose gold is missing or malformed is skipped with the reason; reports are
    read in the order of their names.
    """
    if not path.exists():
        raise UnreadableInput(str(path), "no such folder; give the folder of NAME.txt/NAME.json")
    if not path.is_dir():
        raise UnreadableInput(str(path), "not a folder; give the folder of NAME.txt/NAME.json")
    rows: list[ReportCase] = []
    skipped: list[Skipped] = []
    for text_path in sorted(path.glob("*.txt")):
        try:
            rows.append(_report_case(text_path))
        except _BadRow as exc:
            skipped.append(Skipped(str(text_path), str(exc)))
        except (EncodingError, UnreadableInput) as exc:
            skipped.append(Skipped(str(text_path), str(exc)))
    return Loaded(path, tuple(rows), tuple(skipped))
