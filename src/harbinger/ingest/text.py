"""Turn the plain text of a report into a ``Document``, reading its header and wire dateline.

Reports pasted or saved as text open with a header: a title line, a byline (``By Jane Roe``,
``By X, Y and Z``, ``Jane Roe | Reuters``, ``AFP``, ``Staff report``), one or more date lines
(``2019 / 8 / 11``, ``11 August 2019``, ``Published: Aug. 11, 2019 9:14 PM GMT``, ``Updated ...``)
in any order, each present or absent, and often a wire dateline at the start of the body
(``BAGHDAD, March 3 (Reuters) -``, ``DEIR EZZOR, Syria (AP) —``). :func:`parse_header` reads them
with the words of ``headers.yaml`` (see :mod:`harbinger.knowledge.headers`; the shapes are code
here, the words are data), keeps the original text untouched, and records where the body starts
(``Document.body_start``, after the dateline) so that the extract stage codes the body and neither
the header nor the dateline. A line it does not recognise never costs the date line after it. A
text that opens straight into a paragraph has no header: title, author and date stay ``None``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import dateparser

from harbinger.ingest.repair import normalise_for_id, repair
from harbinger.knowledge.arabic import detect_language
from harbinger.knowledge.headers import HeaderWords, load_header_words, read_arabic_date_line
from harbinger.records import Document

__all__ = ["HeaderInfo", "document_id", "parse_date_line", "parse_header", "parse_text"]

# A title is a line, not a paragraph: longer lines (or several sentences) start the body.
_MAX_TITLE_WORDS = 25
_MAX_TITLE_CHARS = 200
_MAX_AUTHOR_WORDS = 6
_MAX_AUTHOR_CHARS = 80
# Date lines are short; a long line that merely contains a date is body text.
_MAX_DATE_WORDS = 8
# Header lines looked at (title, standfirst, bylines, date lines): the body begins by then.
_MAX_HEADER_LINES = 8
# Unrecognised short lines (a rubric, a photo credit, a byline in a form not in headers.yaml)
# passed over when a date line or a byline follows them.
_MAX_UNKNOWN_RUN = 2
# A segment of a "|"-separated header line that is neither a byline nor a date ("Hasakah | North
# Press Agency | 2021-02-14", "World | 3 May 2021") is a place or a section name when it is this
# short and a date sits on the same line; a longer one is a headline, and the line is no header.
_MAX_SECTION_WORDS = 3
# A dateline is a few words before a dash; farther in, a dash is punctuation of the sentence.
_MAX_DATELINE_CHARS = 100
_MAX_PLACE_WORDS = 4
# A dateline of a lone capitalised place ("BAGHDAD —") is told from a shouted title
# ("ISIS - A Comeback?") by the sentence after it.
_MIN_WORDS_AFTER_BARE_DATELINE = 6
# The lead sentence of a body, read for a date given as today's when the header gives none.
_MAX_LEAD_CHARS = 400
_LEAD_END = re.compile(r"[.!?\n\u061f]")
# A yearless dateline with no header date takes its year from the latest full date of the body
# only when it falls this soon after it: wires are filed within days of what they report, and a
# background date ("in July 2017") says nothing of the year of filing.
_DATELINE_AFTER_BODY_DATE_DAYS = 31

# Year-first numeric dates, with or without spaces around the separators: ``2019 / 8 / 11``,
# ``2019/08/11``, ``2019-08-11``, ``2019.08.11``. The spaced form is how Arabic-language outlets
# (and their translations) print dates, and the order is unambiguous once the year comes first.
_YEAR_FIRST = re.compile(r"^(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
# Day and month before a four-digit year (``25/08/2019``, ``08/25/2019``): read only when the
# order is unambiguous (see :func:`_numeric_readings`).
_NUMERIC = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_NUMERIC_ANY = re.compile(r"^\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A clock time, not the start of a numeric date (``11.08.2019``).
_CLOCK = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?![.:/\-]?\d)"
# A time zone after a clock time: capitals (``GMT``, ``AST``), an offset, or both.
_ZONE = r"(?-i:[A-Z]{2,5})(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|(?-i:Z)"
_SEGMENT_BREAK = re.compile(r"\s*[|•·]\s*")
# A dash that ends a dateline: an en or em dash, or a hyphen with a space before it (not the
# hyphen inside ``Deir ez-Zor``).
_DATELINE_DASH = re.compile(r"\s*[–—]+\s*|\s+-{1,2}\s*")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
# A place and a country in brackets before a dateline's agency ("أطمة (سوريا) (أ ف ب) -").
_BRACKETED_TAIL = re.compile(r"^([^()]+)\(([^()]+)\)$")
# The comma of the Latin script and of the Arabic one ("الخميس، 21 كانون الثاني 2021"): wherever
# the header grammar takes a comma it takes either (the string is also a regex character class).
_COMMAS = ",\u060c"
_COMMA_SPLIT = re.compile(f"[{_COMMAS}]")
# Punctuation stripped around a header segment or a date.
_STRIP = " ;|\u061b" + _COMMAS


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    """What the header of a text says, and where its body starts (an index into the text).

    ``dateline`` is the wire dateline as written (``MOSUL (Reuters) -``), which ``body_start``
    lies after.
    """

    title: str | None
    author: str | None
    published: dt.date | None
    body_start: int
    dateline: str | None = None


@dataclass(frozen=True, slots=True)
class _DateLine:
    """A date line: ``published`` or ``updated``; an ambiguous numeric date has two readings."""

    kind: str
    date: dt.date | None
    readings: tuple[dt.date, ...] = ()


@dataclass(frozen=True, slots=True)
class _Byline:
    people: tuple[str, ...]
    outlet: str | None


@dataclass(frozen=True, slots=True)
class _Dateline:
    text: str
    end: int
    agency: str | None
    month: int | None
    day: int | None
    year: int | None


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any run of spaces."""
    items = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in items)


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The header words compiled into the patterns of this module, once per theatre."""

    words: HeaderWords
    prefix: re.Pattern[str]
    weekday: re.Pattern[str]
    time: re.Pattern[str]
    day_month: re.Pattern[str]
    month_day: re.Pattern[str]
    full_date: re.Pattern[str]
    opener: re.Pattern[str]
    joiner: re.Pattern[str]
    link: re.Pattern[str] | None


@functools.lru_cache(maxsize=4)
def _grammar(theatre: str) -> _Grammar:
    w = load_header_words(theatre)
    month = f"(?:{_alternation(w.months)})"
    suffix = f"(?:{_alternation(w.ordinal_suffixes)})?"
    day = rf"(?P<d>\d{{1,2}}){suffix}"
    year = rf"(?:[{_COMMAS}]?\s+(?P<y>\d{{4}}))?"
    prefixes = _alternation((*w.published_prefixes, *w.updated_prefixes))
    times = _alternation(w.time_words) if w.time_words else r"(?!)"
    full_day = rf"\d{{1,2}}{suffix}"
    link = _alternation(w.outlet_links) if w.outlet_links else None
    return _Grammar(
        words=w,
        prefix=re.compile(
            rf"^(?P<p>{prefixes})(?=$|[\s:{_COMMAS}\-–—])[\s:{_COMMAS}\-–—]*", re.IGNORECASE
        ),
        weekday=re.compile(
            rf"^(?:{_alternation(w.weekdays)})\.?(?=$|[\s{_COMMAS}])[\s{_COMMAS}]*", re.IGNORECASE
        ),
        time=re.compile(
            rf"(?:(?<=\s)|^)(?:(?:{times})\s+)*{_CLOCK}(?:\s*(?:{times})(?=$|[\s,)]))*"
            rf"(?:\s*\(?(?:{_ZONE})\)?(?=$|[\s{_COMMAS}]))?",
            re.IGNORECASE,
        ),
        day_month=re.compile(rf"^{day}\.?\s+(?P<m>{month})\.?{year}$", re.IGNORECASE),
        month_day=re.compile(rf"^(?P<m>{month})\.?\s+{day}{year}$", re.IGNORECASE),
        full_date=re.compile(
            rf"\b(?:{full_day}\s+(?:{month})\.?[{_COMMAS}]?\s+\d{{4}}"
            rf"|(?:{month})\.?\s+{full_day}[{_COMMAS}]?\s+\d{{4}}"
            r"|\d{4}-\d{2}-\d{2})\b",
            re.IGNORECASE,
        ),
        opener=re.compile(rf"^(?:{_alternation(w.byline_openers)})(?=$|\s)\s*", re.IGNORECASE),
        joiner=re.compile(
            rf"\s*[{_COMMAS}]\s*(?:(?:{_alternation(w.name_joiners)})\s+)?"
            rf"|\s+(?:{_alternation(w.name_joiners)})\s+",
            re.IGNORECASE,
        ),
        link=re.compile(rf"\s+(?:{link})\s+", re.IGNORECASE) if link else None,
    )


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line with the index of its first character; ``\\r`` line endings are removed."""
    pos = 0
    for raw in text.split("\n"):
        yield pos, raw.rstrip("\r")
        pos += len(raw) + 1


def _clean(line: str) -> str:
    """A header line as the repaired, single-spaced string that goes into the record."""
    return " ".join(repair(line).text.split())


# --- dates ------------------------------------------------------------------------------------


def _month_of(g: _Grammar, word: str) -> int:
    return g.words.months[word.lower().rstrip(".")]


def _month_day_year(g: _Grammar, s: str) -> tuple[int, int, int | None] | None:
    """``11 August 2019``, ``Aug. 11, 2019``, ``March 3`` as (month, day, year or None)."""
    s = " ".join(s.split()).strip(" " + _COMMAS)
    m = g.day_month.match(s) or g.month_day.match(s)
    if m is None:
        return None
    month, day = _month_of(g, " ".join(m.group("m").split())), int(m.group("d"))
    year = int(m.group("y")) if m.group("y") else None
    try:  # 31 April is no day; a yearless 29 February is checked against a leap year
        dt.date(year or 2000, month, day)
    except ValueError:
        return None
    return month, day, year


def _numeric_readings(day_or_month: int, month_or_day: int, year: int) -> tuple[dt.date, ...]:
    """The calendar dates ``a/b/yyyy`` can be: day first and month first, deduplicated.

    Iraqi, Syrian and British outlets write the day first, American ones the month first, and a
    header date sets the day of every weekday in the body: ``11/08/2019`` is therefore no date
    on its own (a wrong month would silently move every event), while ``25/08/2019`` can only be
    read one way. The caller may settle the ambiguity with the dateline's month and day.
    """
    out: list[dt.date] = []
    for d, m in ((day_or_month, month_or_day), (month_or_day, day_or_month)):
        try:
            date = dt.date(year, m, d)
        except ValueError:
            continue
        if date not in out:
            out.append(date)
    return tuple(out)


def _read_date_line(g: _Grammar, line: str) -> _DateLine | None:
    """A date line as its kind and date, or ``None`` when the line is not (only) a date; an
    Arabic line the grammar does not read is read by ``read_arabic_date_line`` (both calendars,
    "الموافق", a weekday after a dash, Arabic-Indic digits)."""
    found = _read_english_date_line(g, line)
    if found is None and any("\u0600" <= ch <= "\u06ff" for ch in line):
        date = read_arabic_date_line(g.words, line)
        if date is not None:
            m = g.prefix.match(" ".join(line.split()))
            updated = (
                m is not None and " ".join(m.group("p").lower().split()) in g.words.updated_prefixes
            )
            return _DateLine("updated" if updated else "published", date)
    return found


def _read_english_date_line(g: _Grammar, line: str) -> _DateLine | None:
    s = " ".join(line.split())
    kind = "published"
    m = g.prefix.match(s)
    if m is not None:
        kind = (
            "updated"
            if " ".join(m.group("p").lower().split()) in g.words.updated_prefixes
            else kind
        )
        s = s[m.end() :]
    s = s.strip(_STRIP)
    if not s or len(s.split()) > _MAX_DATE_WORDS or not any(ch.isdigit() for ch in s):
        return None
    if _ISO_DATETIME.match(s):
        try:
            return _DateLine(kind, dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date())
        except ValueError:
            pass
    s = g.weekday.sub("", s, count=1)
    s = g.time.sub(" ", s)
    s = " ".join(s.split()).strip(_STRIP + "–—-")
    if not s:
        return None
    m = _YEAR_FIRST.match(s)
    if m:
        try:
            return _DateLine(kind, dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4))))
        except ValueError:
            return None
    m = _NUMERIC.match(s)
    if m:
        readings = _numeric_readings(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if not readings:
            return None
        return _DateLine(kind, readings[0] if len(readings) == 1 else None, readings)
    if _NUMERIC_ANY.match(s):
        return None  # a two-digit year: even the position of the year is a guess
    mdy = _month_day_year(g, s)
    if mdy is not None:
        month, day, year = mdy
        if year is None:
            return None  # a date line gives the year; "May 5" alone is a title's words
        return _DateLine(kind, dt.date(year, month, day))
    if not _YEAR.search(s):
        return None
    # Other spellings of a full date ("the 11th of August, 2019"): dateparser, strict, so a day,
    # a month and a year are all required and a title such as "Daesh returns in 2019" is none.
    parsed = dateparser.parse(s, languages=["en"], settings={"STRICT_PARSING": True})
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    return _DateLine(kind, parsed.date())


def parse_date_line(line: str) -> dt.date | None:
    """The date a header line gives, or ``None`` when the line is not (only) a date.

    Accepts ``2019 / 8 / 11``, ``2019-08-11`` (and ISO date-times), ``11 August 2019``,
    ``August 11, 2019 9:14 PM GMT``, ``Aug. 11, 2019``, ``Sunday, 11 August 2019``, numeric
    ``25/08/2019`` when only one order makes a date, with an optional ``Published:`` or
    ``Updated:`` prefix (the words are in ``headers.yaml``). A day, a month and a year are all
    required: a title like ``May 5 attacks`` or ``Daesh returns in 2019`` is never a date.
    """
    found = _read_date_line(_grammar("iraq_syria"), line)
    return found.date if found is not None else None


def _latest_full_date(g: _Grammar, text: str) -> dt.date | None:
    latest: dt.date | None = None
    for m in g.full_date.finditer(text):
        found = _read_date_line(g, m.group(0))
        if found is not None and found.date is not None and (latest is None or found.date > latest):
            latest = found.date
    return latest


def _on_or_before(month: int, day: int, ref: dt.date) -> dt.date | None:
    """The most recent ``month``/``day`` not after ``ref`` (29 February looks back to a leap year)."""
    for year in range(ref.year, ref.year - 8, -1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date <= ref:
            return date
    return None


def _on_or_after(month: int, day: int, ref: dt.date) -> dt.date | None:
    for year in range(ref.year, ref.year + 8):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date >= ref:
            return date
    return None


# --- bylines ----------------------------------------------------------------------------------


def _is_name(g: _Grammar, s: str, *, min_words: int) -> bool:
    """A person's name: short, no digits, every word capitalised (name particles aside)."""
    if not s or len(s) > _MAX_AUTHOR_CHARS or s.endswith((".", ":", "?", "!", ";", *_COMMAS)):
        return False
    words = s.split()
    if not min_words <= len(words) <= _MAX_AUTHOR_WORDS or any(ch.isdigit() for ch in s):
        return False
    particles = g.words.name_particles
    named = [w for w in words if w.lower() not in particles]
    if not named:
        return False
    for w in named:
        head = w.split("-", 1)[0].lower() if "-" in w else ""
        if head in particles:
            continue  # "al-Baghdadi", "ez-Zor"
        if not (w[0].isalpha() or w[0] in "'’") or w[0].islower():
            return False
    # A shouted line in capitals is a headline unless it is as short as a name.
    return not (all(w.isupper() for w in named) and len(named) > 3)


def _outlet(g: _Grammar, s: str) -> str | None:
    """An agency or desk written as ``s`` (case aside), in the spelling of ``headers.yaml``."""
    key = " ".join(s.split()).lower().strip(" ." + _COMMAS)
    return g.words.agencies.get(key) or g.words.desks.get(key)


def _read_byline(g: _Grammar, segment: str, *, bare_name: bool) -> _Byline | None:
    """A byline segment: people, an outlet, or both; ``None`` when the segment is not one.

    Without an opener (``By``) a segment is a byline when it is an agency or a desk, a person
    "for" an agency, or (``bare_name``: the line after the title) a name of two words or more.
    """
    s = " ".join(segment.split()).strip()
    m = g.opener.match(s)
    opened = m is not None
    if m is not None:
        s = s[m.end() :].strip()
    if not s:
        return None
    outlet = _outlet(g, s)
    if outlet is not None:
        return _Byline((), outlet)
    people: list[str] = []
    outlets: list[str] = []
    for piece in g.joiner.split(s):
        piece = piece.strip()
        if not piece:
            return None
        known = _outlet(g, piece)
        if known is not None:
            outlets.append(known)
            continue
        person = piece
        if g.link is not None:
            parts = g.link.split(piece, maxsplit=1)
            if len(parts) == 2:
                linked = _outlet(g, parts[1])
                # "By Jane Roe for The National"; without "By", only a known agency or desk
                # ("Jane Roe for Reuters"): a headline says "Justice Delayed For Mosul Victims".
                if linked is None and not (opened and _is_name(g, parts[1], min_words=1)):
                    return None
                outlets.append(linked or _clean(parts[1]))
                person = parts[0]
        if not _is_name(g, person, min_words=1 if opened else 2):
            return None
        people.append(_clean(person))
    if not people and not outlets:
        return None
    # A name alone, without "By" and without an outlet, is a byline only where one is expected.
    if not opened and not outlets and not bare_name:
        return None
    return _Byline(tuple(people), outlets[0] if outlets else None)


def _is_section(g: _Grammar, segment: str) -> bool:
    """A place or a section name beside a date on a header line: a few capitalised words."""
    s = " ".join(segment.split())
    return len(s.split()) <= _MAX_SECTION_WORDS and _place_words(g, s)


def _classify(
    g: _Grammar, line: str, *, bare_name: bool
) -> tuple[_Byline | None, _DateLine | None] | None:
    """A header line as its byline and date (``Jane Roe | Reuters | 11 August 2019``), or None.

    Each segment between ``|`` or ``•`` must be a byline or a date for the line to be header.
    """
    byline: _Byline | None = None
    date: _DateLine | None = None
    segments = [s for s in _SEGMENT_BREAK.split(line.strip()) if s]
    if not segments:
        return None
    dates = [_read_date_line(g, seg) for seg in segments]
    for seg, found_date in zip(segments, dates, strict=True):
        if found_date is not None:
            date = date or found_date
            continue
        found = _read_byline(g, seg, bare_name=bare_name or len(segments) > 1)
        if found is None:
            if len(segments) > 1 and any(dates) and _is_section(g, seg):
                continue  # "Hasakah | North Press Agency | 2021-02-14": a place or a section
            return None
        if byline is None:
            byline = found
        else:
            byline = _Byline(byline.people + found.people, byline.outlet or found.outlet)
    return byline, date


# --- wire datelines ---------------------------------------------------------------------------


def _place_words(g: _Grammar, s: str) -> bool:
    words = s.split()
    if not 1 <= len(words) <= _MAX_PLACE_WORDS:
        return False
    particles = g.words.name_particles
    for w in words:
        if w.lower() in particles or w.split("-", 1)[0].lower() in particles:
            continue
        if not w[0].isalpha() or w[0].islower() or not all(c.isalpha() or c in "-'’." for c in w):
            return False
    return True


def _arabic_word(word: str) -> bool:
    """A word written in the Arabic script (its letters, not its punctuation)."""
    from harbinger.knowledge.arabic import is_arabic_letter

    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(is_arabic_letter(c) for c in letters)


def _is_capitals(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _read_dateline(g: _Grammar, text: str, start: int) -> _Dateline | None:
    """A wire dateline at ``start`` (``BAGHDAD, March 3 (Reuters) -``), or ``None``.

    Its shape: a place in capitals or capitalised words, optionally ``, Country``, optionally
    ``, <month and day[, year]>``, optionally ``(Agency)``, then a dash. A place in capitals
    stands alone; a place in ordinary case needs a date or a known agency to be told from a
    sentence ("Meanwhile, Daesh — ...").
    """
    window = text[start : start + _MAX_DATELINE_CHARS]
    eol = window.find("\n")
    line = window if eol < 0 else window[:eol]
    dash = _DATELINE_DASH.search(line)
    if dash is None or dash.start() == 0:
        return None
    prefix = line[: dash.start()].strip()
    agency: str | None = None
    known_agency = False
    # "Baghdad – INA" (Arabic-language agencies and their translations): the agency after the
    # dash ends the dateline, alone on its line or before a colon.
    after_agency = _agency_after_dash(g, line[dash.end() :])
    if after_agency is not None and "(" not in prefix:
        agency, known_agency = after_agency[0], True
        dash_end = dash.end() + after_agency[1]
    else:
        dash_end = dash.end()
    if prefix.endswith(")"):
        open_at = prefix.rfind("(")
        if open_at <= 0:
            return None
        inside = " ".join(prefix[open_at + 1 : -1].split())
        prefix = prefix[:open_at].strip().rstrip(_COMMAS).strip()
        known = g.words.agencies.get(inside.lower())
        words = inside.split()
        # The Arabic script has no capitals: a short name of Arabic words in brackets after an
        # Arabic place ("أربيل (كوردستان 24) -") is an agency by its shape alone.
        arabic = any(_arabic_word(w) for w in words) and all(
            _arabic_word(w) or w.isdigit() for w in words
        )
        if known is None and not (
            1 <= len(words) <= 4 and all(w[0].isupper() or w[0].isdigit() or arabic for w in words)
        ):
            return None
        agency, known_agency = known or inside, known is not None
        # "أطمة (سوريا) (أ ف ب) -": the country in brackets after the place, as after a comma.
        country = _BRACKETED_TAIL.match(prefix)
        if country is not None:
            prefix = f"{country.group(1).strip()}, {country.group(2).strip()}"
        if arabic and prefix.split() and _arabic_word(prefix.split()[0]):
            known_agency = True
    pieces = [p.strip() for p in _COMMA_SPLIT.split(prefix)]
    if not pieces or not _place_words(g, pieces[0]):
        return None
    rest = pieces[1:]
    mdy = _month_day_year(g, ", ".join(rest)) if rest else None
    if rest and mdy is None:
        if not _place_words(g, rest[0]):
            return None
        if len(rest) > 1:
            mdy = _month_day_year(g, ", ".join(rest[1:]))
            if mdy is None:
                return None
    capitals = _is_capitals(pieces[0])
    if not (capitals or mdy is not None or known_agency):
        return None
    after = text[start + dash_end :]
    body = after.lstrip()
    if not body:
        return None
    bare = capitals and mdy is None and agency is None and not rest
    if bare and len(body.split("\n", 1)[0].split()) < _MIN_WORDS_AFTER_BARE_DATELINE:
        return None
    end = start + dash_end + (len(after) - len(body))
    month, day, year = mdy if mdy is not None else (None, None, None)
    return _Dateline(text[start : start + dash_end].strip(), end, agency, month, day, year)


def _agency_after_dash(g: _Grammar, tail: str) -> tuple[str, int] | None:
    """A known agency that is all of the rest of a dateline's line (or all of it before a colon):
    its spelling in ``headers.yaml`` and how many characters of ``tail`` it and the colon take."""
    colon = tail.find(":")
    name = tail if colon < 0 else tail[:colon]
    known = g.words.agencies.get(" ".join(name.split()).lower())
    if known is None:
        return None
    return known, len(tail) if colon < 0 else colon + 1


# --- a date in the lead -----------------------------------------------------------------------


def _today_in_lead(g: _Grammar, body: str, theatre: str) -> dt.date | None:
    """The date the first sentence of a body gives as today's ("أعلنت قسد، اليوم الثلاثاء 17
    تشرين الأول 2017، ..."): the publication date of a report with no date line.

    A full date counts only right after a word for today and an optional weekday; any other date
    in a lead may be the day of the event or of background. The words for today are the Arabic
    words file's relative days of offset 0 (a report in Arabic writes the date so; English
    reports put it in the header or the dateline).
    """
    from harbinger.knowledge.arabic import load_arabic_words, normalise_phrase

    lead = _LEAD_END.split(body[:_MAX_LEAD_CHARS], maxsplit=1)[0]
    if not lead.strip():
        return None
    words = load_arabic_words(theatre)
    today = {k for k, v in words.relative_days.items() if v == 0}
    weekdays = set(words.weekdays)
    for m in g.full_date.finditer(lead):
        before = normalise_phrase(lead[: m.start()]).split()
        if before and before[-1] in weekdays:
            before.pop()
        if not any(" ".join(before[-len(t.split()) :]) == t for t in today):
            continue
        found = _read_date_line(g, m.group(0))
        if found is not None and found.date is not None:
            return found.date
    return None


# --- the header -------------------------------------------------------------------------------


def _is_title(line: str) -> bool:
    words = line.split()
    if len(words) > _MAX_TITLE_WORDS or len(line) > _MAX_TITLE_CHARS:
        return False
    # Two sentences on one line make a paragraph, not a title.
    return not _SENTENCE_BREAK.search(line.strip())


def parse_header(text: str, *, theatre: str = "iraq_syria") -> HeaderInfo:
    """Find the title, byline, date lines and dateline at the top of ``text``, and the body.

    Lines are read in any order: a date line (``Published:``/``Updated:`` or none; the published
    one wins), a byline (an opener, an agency, a desk, people joined by ``,``/``and``), the title
    (the first line, or the first title-like line after bylines and dates), an unrecognised short
    line when a date line or byline follows it. Every header line but a date line needs a further
    non-empty line after it (a text of one line is all body). The first body line may open with a
    wire dateline: the body starts after it; its date is the publication date when no date line
    gives one (a dateline without a year: the most recent such day on or before the header's
    date, else the first on or after the latest full date in the body within a month, else none).
    """
    g = _grammar(theatre)
    lines: list[tuple[int, str]] = []
    for pos, line in _lines(text):
        if line.strip():
            lines.append((pos, line))
            if len(lines) > _MAX_HEADER_LINES + _MAX_UNKNOWN_RUN + 1:
                break
    title: str | None = None
    bylines: list[_Byline] = []
    dates: list[_DateLine] = []
    classified: dict[int, tuple[_Byline | None, _DateLine | None] | None] = {}

    def classify(j: int) -> tuple[_Byline | None, _DateLine | None] | None:
        if j not in classified:
            # A bare name is a byline only after the title and before any other byline.
            bare = title is not None and not bylines
            classified[j] = _classify(g, lines[j][1], bare_name=bare)
        return classified[j]

    i = 0
    unknown_run = 0
    # A dateline alone on its line above the date line ("بغداد - رويترز", then the date): a
    # header line; the body starts below the date.
    header_dateline: _Dateline | None = None
    while i < len(lines) and i < _MAX_HEADER_LINES:
        pos, line = lines[i]
        last = i == len(lines) - 1
        found_dateline = _read_dateline(g, text, pos + len(line) - len(line.lstrip()))
        if found_dateline is not None:
            alone = found_dateline.end > pos + len(line)
            if (
                alone
                and header_dateline is None
                and i + 1 < len(lines)
                and (after := classify(i + 1)) is not None
                and after[1] is not None
            ):
                header_dateline = found_dateline
                i += 1
                classified.clear()
                continue
            break  # the first line of the body
        found = classify(i)
        if found is not None:
            byline, date = found
            if last and byline is not None:
                break  # a lone byline is not a document's header
            if byline is not None:
                bylines.append(byline)
            if date is not None:
                dates.append(date)
            unknown_run = 0
            i += 1
            classified.clear()  # a bare name's eligibility depends on what came before
            continue
        if last:
            break
        stripped = line.strip()
        if title is None and _is_title(stripped) and unknown_run == 0:
            first = i == 0
            # Below a byline or a date, a title has no final period: that is a paragraph.
            if first or not stripped.endswith((".", ";", ":", *_COMMAS)):
                title = _clean(stripped.lstrip("#")) or None
                i += 1
                classified.clear()
                continue
        # An unrecognised short line is header only when a byline or a date line follows it.
        if _is_title(stripped) and unknown_run < _MAX_UNKNOWN_RUN:
            ahead = range(i + 1, min(len(lines), i + 1 + _MAX_UNKNOWN_RUN - unknown_run))
            if any(classify(j) is not None for j in ahead):
                unknown_run += 1
                i += 1
                continue
        break

    if i < len(lines):
        pos, line = lines[i]
        body_start = pos + (len(line) - len(line.lstrip()))
    else:
        body_start = len(text)
    dateline = _read_dateline(g, text, body_start) if body_start < len(text) else None
    if dateline is not None:
        body_start = dateline.end
    else:
        dateline = header_dateline

    published = next((d.date for d in dates if d.kind == "published" and d.date), None)
    updated = next((d.date for d in dates if d.kind == "updated" and d.date), None)
    if published is None and any(d.readings for d in dates) and detect_language(text) == "ar":
        # Arabic writes a numeric date day first ("04/08/2014" is 4 August).
        published = next(d.readings[0] for d in dates if d.readings)
    if (
        dateline is not None
        and published is None
        and dateline.month is not None
        and dateline.day is not None
    ):
        month, day = dateline.month, dateline.day
        # An ambiguous numeric date line (11/08/2019) is settled by the dateline's day.
        settled = [r for d in dates for r in d.readings if (r.month, r.day) == (month, day)]
        if settled:
            published = settled[0]
        elif dateline.year is not None:
            published = dt.date(dateline.year, month, day)
        elif updated is not None:
            published = _on_or_before(month, day, updated)
        else:
            latest = _latest_full_date(g, text[body_start:])
            if latest is not None:
                candidate = _on_or_after(month, day, latest)
                if candidate and (candidate - latest).days <= _DATELINE_AFTER_BODY_DATE_DAYS:
                    published = candidate
    if published is None:
        published = updated
    if published is None:
        published = _today_in_lead(g, text[body_start:], theatre)

    people = tuple(dict.fromkeys(p for b in bylines for p in b.people))
    outlet = next((b.outlet for b in bylines if b.outlet), None)
    if people:
        author: str | None = ", ".join(people)
    else:
        author = outlet or (dateline.agency if dateline is not None else None)
    return HeaderInfo(
        title, author, published, body_start, dateline.text if dateline is not None else None
    )


def document_id(text: str) -> str:
    """SHA-256 hex digest of the normalised text (see :func:`normalise_for_id`)."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()


def parse_text(
    text: str, source: str, *, url: str | None = None, theatre: str = "iraq_syria"
) -> Document:
    """A ``Document`` from the decoded text of a report; ``text`` is kept exactly as given."""
    header = parse_header(text, theatre=theatre)
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
