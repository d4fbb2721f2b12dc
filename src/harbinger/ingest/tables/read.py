"""Reading a coded-event table: the format dispatch, the header check and the row count.

``read_table`` opens an ACLED export, a UCDP GED or a GTD CSV file, refuses it as a whole when its
header lacks the columns of its format (naming the format it does look like), and yields each row
mapped by that format's module as an ``ImportedRow``, or a ``Skipped`` with the line and the
reason when the row cannot be read (a short row, no date, a bad number); the rest goes on.
``count_records`` counts the data rows for a progress bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal

from harbinger.errors import MalformedRecord
from harbinger.ingest.tables import acled, gtd, ucdp
from harbinger.ingest.tables.common import RowError, RowExcluded, open_csv
from harbinger.records import ImportedRow, Skipped
from harbinger.wording import with_article

__all__ = ["FORMATS", "ImportFormat", "count_records", "read_table"]

ImportFormat = Literal["acled", "ucdp", "gtd"]
FORMATS: tuple[ImportFormat, ...] = ("acled", "ucdp", "gtd")

#: Columns a file must have to be read as each format (alternatives separated by "|").
_REQUIRED: dict[str, tuple[str, ...]] = {
    "acled": acled.REQUIRED,
    "ucdp": ucdp.REQUIRED,
    "gtd": gtd.REQUIRED,
}

_MAPPERS: dict[str, Callable[[Mapping[str, str], str, int], ImportedRow]] = {
    "acled": acled.map_row,
    "ucdp": ucdp.map_row,
    "gtd": gtd.map_row,
}


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
        f"unknown column set for {with_article(fmt.upper())} file: missing "
        f"{', '.join(missing)}{hint}",
        line=1,
    )


def count_records(path: Path) -> int:
    """Data rows of a CSV file, for a progress bar (quoted line breaks are counted right)."""
    _header, records = open_csv(path)
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
    header, records = open_csv(path)
    _check_header(path, header, fmt)
    for line, fields in records:
        if isinstance(fields, str):
            yield Skipped(source, fields, line=line)
            continue
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
        except RowExcluded as exc:
            yield Skipped(source, str(exc), line=line, excluded=True)
        except RowError as exc:
            yield Skipped(source, str(exc), line=line)
