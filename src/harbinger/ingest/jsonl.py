"""Read documents from JSON Lines (one JSON object per line) and from JSON files of records.

Scrapers and exports hand Harbinger articles as JSON Lines with the keys ``text`` (required),
``title``, ``author``, ``published`` (an ISO date or a date string), ``source``, ``url`` and
``language``. A bad line (not JSON, not an object, no text, empty text, a date that cannot be read,
a field of the wrong type) becomes a ``Skipped`` naming the line and the reason, and the other
lines go on. Fields an object gives win over what header detection finds in its text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from harbinger.errors import MalformedRecord
from harbinger.ingest.text import document_id, parse_date_line, parse_header
from harbinger.records import Document, Skipped

__all__ = ["KNOWN_KEYS", "iter_json", "iter_jsonl", "iter_jsonl_lines", "record_to_document"]

#: The keys a record may carry; others are ignored.
KNOWN_KEYS = ("text", "title", "author", "published", "source", "url", "language")
_STRING_KEYS = ("title", "author", "source", "url", "language")


def _published(value: object) -> dt.date | None:
    """The date of a ``published`` value, or raise ``ValueError`` saying why it is unreadable."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"'published' must be a date string, not {type(value).__name__}")
    s = value.strip()
    if not s:
        return None
    # ISO first: it is what exports write, and fromisoformat is exact (no guessing of order).
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    date = parse_date_line(s)
    if date is None:
        raise ValueError(
            f"'published' value {value!r} is not a date (use ISO 8601, e.g. 2019-08-11)"
        )
    return date


def record_to_document(record: Any, source: str, line: int | None = None) -> Document:
    """A ``Document`` from one decoded JSON record; raise ``MalformedRecord`` when it is bad.

    ``source`` is the default source (``<path>:<line>``) used when the record names none.
    """
    where = source
    if not isinstance(record, dict):
        raise MalformedRecord(
            where, f"expected a JSON object with a 'text' key, got {type(record).__name__}", line
        )
    if "text" not in record:
        raise MalformedRecord(where, "the object has no 'text' key (the article text)", line)
    text = record["text"]
    if not isinstance(text, str):
        raise MalformedRecord(where, f"'text' must be a string, not {type(text).__name__}", line)
    if not text.strip():
        raise MalformedRecord(where, "'text' is empty", line)
    for key in _STRING_KEYS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise MalformedRecord(
                where, f"'{key}' must be a string or null, not {type(value).__name__}", line
            )
    try:
        published = _published(record.get("published"))
    except ValueError as exc:
        raise MalformedRecord(where, str(exc), line) from None

    # Header detection always runs: it finds where the body starts, and fills the fields the
    # record leaves out. A field the record gives wins.
    header = parse_header(text)

    def given(key: str) -> str | None:
        value = record.get(key)
        return (value.strip() or None) if isinstance(value, str) else None

    return Document(
        id=document_id(text),
        source=given("source") or source,
        text=text,
        title=given("title") or header.title,
        author=given("author") or header.author,
        published=published or header.published,
        url=given("url"),
        language=given("language") or "en",
        body_start=header.body_start,
    )


def iter_jsonl(path: Path, text: str) -> Iterator[Document | Skipped]:
    """Documents from the decoded text of a JSON Lines file; a bad line yields ``Skipped``.

    Line numbers count from 1; blank lines are passed over silently (a trailing newline is
    normal). ``Skipped.source`` is the path as given; the line is in ``Skipped.line``.
    """
    return iter_jsonl_lines(path, enumerate(text.split("\n"), start=1))


def iter_jsonl_lines(path: Path, lines: Iterable[tuple[int, str]]) -> Iterator[Document | Skipped]:
    """Documents from numbered, decoded lines of a JSON Lines file (as :func:`iter_jsonl`); the
    lines may come from a file read one at a time."""
    for number, raw in lines:
        line = raw.strip()
        if not line:
            continue
        default_source = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(
                str(path),
                f"not valid JSON ({exc.msg} at column {exc.colno}); "
                "each line must hold one JSON object",
                number,
            )
            continue
        except RecursionError:
            yield Skipped(str(path), "JSON nested too deeply to read", number)
            continue
        try:
            yield record_to_document(record, default_source, number)
        except MalformedRecord as exc:
            yield Skipped(str(path), exc.reason, number)


def iter_json(path: Path, text: str) -> Iterator[Document | Skipped]:
    """Documents from a ``.json`` file: one object, an array of objects, or JSON Lines inside.

    An array item that is bad yields ``Skipped`` naming the item (``line`` stays ``None``,
    since the items of a pretty-printed array have no single line). A file that is not one JSON
    value is read as JSON Lines, which many ``.json`` exports really are.
    """
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        yield from iter_jsonl(path, text)
        return
    items = value if isinstance(value, list) else [value]
    if not items:
        yield Skipped(str(path), "the JSON array is empty: no records to read")
        return
    for index, record in enumerate(items, start=1):
        default_source = f"{path}#{index}" if isinstance(value, list) else str(path)
        try:
            yield record_to_document(record, default_source)
        except MalformedRecord as exc:
            label = f"item {index}: " if isinstance(value, list) else ""
            yield Skipped(str(path), label + exc.reason)
