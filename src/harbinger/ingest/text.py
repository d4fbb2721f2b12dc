"""Turn the plain text of a report into a ``Document``, reading its header lines.

Reports pasted or saved as text usually open with a header: a title line, an author line and a
date line (``2019 / 8 / 11``, ``11 August 2019``, ``Published: August 11, 2019``), in that order
or with the author after the date, then the body. :func:`parse_text` finds those lines, keeps the
original text untouched, and records where the body starts (``Document.body_start``) so that the
extract stage codes the body and not the header. A text that opens straight into a paragraph has
no header: title, author and date stay ``None``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import dateparser

from harbinger.ingest.repair import normalise_for_id, repair
from harbinger.records import Document

__all__ = ["HeaderInfo", "document_id", "parse_date_line", "parse_header", "parse_text"]

# A title is a line, not a paragraph: longer lines (or several sentences) start the body.
_MAX_TITLE_WORDS = 25
_MAX_TITLE_CHARS = 200
_MAX_AUTHOR_WORDS = 6
_MAX_AUTHOR_CHARS = 80
# Date lines are short; a long line that merely contains a date is body text.
_MAX_DATE_WORDS = 8

_DATE_PREFIX = re.compile(
    r"^(?:published|date|dated|posted|updated|first published)(?:\s+on)?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
# Year-first numeric dates, with or without spaces around the separators: ``2019 / 8 / 11``,
# ``2019/08/11``, ``2019-08-11``, ``2019.08.11``. They are read here rather than by dateparser
# because the spaced form is how Arabic-language outlets (and their translations) print dates,
# the order is unambiguous once the year comes first, and it saves a dateparser call per line.
_YEAR_FIRST = re.compile(r"^(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
# Day-first or month-first numeric dates (``11/08/2019``): dateparser decides with DATE_ORDER.
_NUMERIC = re.compile(r"^\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}$")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_TRAILING_TIME = re.compile(
    r"[\s,|–—-]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?$",
    re.IGNORECASE,
)
_BY_PREFIX = re.compile(r"^(?:by|written by|author\s*:)\s+", re.IGNORECASE)


def _words(words: str) -> frozenset[str]:
    """A word list written as one space-separated string (easier to read than a set literal)."""
    return frozenset(words.split())


# Lowercase words allowed inside a name: ``Abu Bakr al-Baghdadi``, ``Ludwig van Beethoven``.
_NAME_PARTICLES = _words("al el bin ibn bint abu de da del der van von la le and")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    """What the header of a text says, and where its body starts (an index into the text)."""

    title: str | None
    author: str | None
    published: dt.date | None
    body_start: int


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line with the index of its first character; ``\\r`` line endings are removed."""
    pos = 0
    for raw in text.split("\n"):
        yield pos, raw.rstrip("\r")
        pos += len(raw) + 1


def _clean(line: str) -> str:
    """A header line as the repaired, single-spaced string that goes into the record."""
    return " ".join(repair(line).text.split())


def parse_date_line(line: str) -> dt.date | None:
    """The date a header line gives, or ``None`` when the line is not (only) a date.

    Accepts ``2019 / 8 / 11``, ``2019/08/11``, ``2019-08-11``, ``11 August 2019``,
    ``August 11, 2019``, ``Sunday, 11 August 2019``, with an optional ``Published:`` or ``Date:``
    prefix and a trailing time. dateparser runs with ``STRICT_PARSING`` so a day, a month and a
    year are all required: a title like ``May 5 attacks`` or ``Daesh returns in 2019`` is never
    read as a date.
    """
    s = " ".join(line.split())
    s = _DATE_PREFIX.sub("", s).strip(" ,.")
    if not s or len(s.split()) > _MAX_DATE_WORDS:
        return None
    m = _YEAR_FIRST.match(s)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            return None
    if not _YEAR.search(s) and not _NUMERIC.match(s):
        # Cheap rejection before dateparser: a full date has a four-digit year here.
        return None
    s = _TRAILING_TIME.sub("", s)
    # Day-first is how Iraqi, Syrian and British sources write numeric dates (``11/08/2019``);
    # for dates with a month name the order is clear and dateparser's default applies.
    settings: dict[str, object] = {"STRICT_PARSING": True}
    if _NUMERIC.match(s):
        settings["DATE_ORDER"] = "DMY"
    parsed = dateparser.parse(s, languages=["en"], settings=settings)
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    return parsed.date()


def _author_name(line: str) -> str | None:
    """The name on an author line (``By`` stripped), or ``None`` when the line is not one.

    An author line is short (at most six words), has no final period, and its words are
    capitalised (or uncased, as in Arabic script), name particles such as ``al`` aside.
    """
    s = " ".join(line.split())
    had_by = bool(_BY_PREFIX.match(s))
    s = _BY_PREFIX.sub("", s).strip()
    if not s or len(s) > _MAX_AUTHOR_CHARS or s.endswith((".", ":", "?", "!", ",", ";")):
        return None
    words = s.split()
    if len(words) > _MAX_AUTHOR_WORDS or any(ch.isdigit() for ch in s):
        return None
    # A lone word is a dateline (``BAGHDAD``) or a rubric (``Analysis``) unless ``By`` says so.
    if len(words) < 2 and not had_by:
        return None
    named = [w for w in words if w.lower() not in _NAME_PARTICLES]
    if not named:
        return None
    capitalised = sum(1 for w in named if (w[0].isalpha() or w[0] in "'’") and not w[0].islower())
    if capitalised < len(named):
        return None
    # Every named word capitalised, but not a shouted headline in capitals unless it is short.
    if not had_by and all(w.isupper() for w in named) and len(named) > 3:
        return None
    return s


def _is_title(line: str) -> bool:
    words = line.split()
    if len(words) > _MAX_TITLE_WORDS or len(line) > _MAX_TITLE_CHARS:
        return False
    # Two sentences on one line make a paragraph, not a title.
    return not _SENTENCE_BREAK.search(line.strip())


def parse_header(text: str) -> HeaderInfo:
    """Find the title, author and date lines at the top of ``text`` and where the body starts.

    The shape read: first non-empty line = title; then an optional author line; then an optional
    date line; an author line may also follow the date. Each header line needs a further
    non-empty line after it (a text of one line is all body). Without a title-like first line
    there is no header and the body starts at 0.
    """
    lines = [(pos, line) for pos, line in _lines(text) if line.strip()]
    none = HeaderInfo(None, None, None, 0)
    if len(lines) < 2 or not _is_title(lines[0][1]):
        return none
    author: str | None = None
    published = parse_date_line(lines[0][1])
    # A text that opens with its date has no title line; the date is still its header.
    # A Markdown heading marker (``# Title``) is not part of the title.
    title = None if published is not None else _clean(lines[0][1].lstrip().lstrip("#")) or None
    i = 1
    # Title, [author], [date], [author]: at most three more header lines, each keeping a body line
    # after it. A date line may be the last line (a header with an empty body).
    while i < len(lines) and i <= 3:
        line = lines[i][1]
        if published is None:
            date = parse_date_line(line)
            if date is not None:
                published = date
                i += 1
                continue
        if author is None and i + 1 < len(lines):
            name = _author_name(line)
            if name is not None and parse_date_line(line) is None:
                author = _clean(name)
                i += 1
                continue
        break
    if i < len(lines):
        pos, line = lines[i]
        body_start = pos + (len(line) - len(line.lstrip()))
    else:
        body_start = len(text)
    return HeaderInfo(title, author, published, body_start)


def document_id(text: str) -> str:
    """SHA-256 hex digest of the normalised text (see :func:`normalise_for_id`)."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()


def parse_text(text: str, source: str, *, url: str | None = None) -> Document:
    """A ``Document`` from the decoded text of a report; ``text`` is kept exactly as given."""
    header = parse_header(text)
    return Document(
        id=document_id(text),
        source=source,
        text=text,
        title=header.title,
        author=header.author,
        published=header.published,
        url=url,
        body_start=header.body_start,
    )
