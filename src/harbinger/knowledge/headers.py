"""The words of report headers (``headers.yaml``): bylines, agencies, desks, date-line words.

The ingest stage reads a report's title, byline, date line and wire dateline with these words
(:mod:`harbinger.ingest.text`); the shapes (a line, a bracket, a dash) are code there, the words are
data here so that another language is a new file. :func:`load_header_words` reads and validates the
file once per process and raises :class:`~harbinger.errors.KnowledgeError` naming the file and the
key when it is malformed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harbinger.errors import KnowledgeError
from harbinger.knowledge import read_yaml, theatre_dir

__all__ = [
    "HeaderWords",
    "load_header_words",
    "parse_header_words",
    "read_arabic_date_line",
    "read_header_words",
]

_FILE = "headers.yaml"


@dataclass(frozen=True, slots=True)
class HeaderWords:
    """The header vocabulary, lowercased; phrase lists are sorted longest first."""

    byline_openers: tuple[str, ...]
    name_joiners: tuple[str, ...]
    outlet_links: tuple[str, ...]
    #: lowercase phrase -> the name as the file writes it ("afp" -> "AFP").
    agencies: dict[str, str]
    desks: dict[str, str]
    published_prefixes: tuple[str, ...]
    updated_prefixes: tuple[str, ...]
    #: lowercase name or abbreviation -> month number (1-12).
    months: dict[str, int]
    #: lowercase name or abbreviation -> weekday number (Monday 0).
    weekdays: dict[str, int]
    ordinal_suffixes: tuple[str, ...]
    time_words: tuple[str, ...]
    name_particles: frozenset[str]
    #: Arabic date lines: the Hijri months (a Hijri date is read past, not converted), the
    #: words after a year that name its era ("هـ", "م"), and the words that join the dates of
    #: both calendars ("الموافق").
    hijri_months: dict[str, int] = field(default_factory=dict)
    era_markers: tuple[str, ...] = ()
    calendar_joiners: tuple[str, ...] = ()


def _phrases(data: dict[str, Any], key: str, where: str, *, required: bool = True) -> list[str]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not value:
        raise KnowledgeError(f"{where}: '{key}' must be a non-empty list of phrases")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            # YAML reads a bare no/yes/on/off as a boolean: the word must be quoted.
            raise KnowledgeError(f"{where}: {key}[{i}] must be a phrase (quote it), not {item!r}")
        phrase = " ".join(str(item).split())
        if not phrase:
            raise KnowledgeError(f"{where}: {key}[{i}] is empty")
        out.append(phrase)
    return out


def _longest_first(phrases: list[str]) -> tuple[str, ...]:
    return tuple(sorted({p.lower() for p in phrases}, key=lambda p: (-len(p), p)))


def _numbered(data: dict[str, Any], key: str, where: str, count: int) -> dict[str, int]:
    """A list of ``count`` name lists (months, weekdays) as name -> position."""
    value = data.get(key)
    if not isinstance(value, list) or len(value) != count:
        raise KnowledgeError(f"{where}: '{key}' must list {count} entries, each a list of names")
    out: dict[str, int] = {}
    for i, names in enumerate(value):
        for name in _phrases({key: names}, key, f"{where}: {key}[{i}]"):
            low = name.lower()
            if out.get(low, i) != i:
                raise KnowledgeError(f"{where}: {key}: {name!r} names two different entries")
            out[low] = i
    return out


def parse_header_words(data: dict[str, Any], where: str) -> HeaderWords:
    """Validate the mapping of a headers file; ``where`` names the file in errors."""
    if data.get("version") != 1:
        raise KnowledgeError(f"{where}: 'version' must be 1")
    prefixes = data.get("date_prefixes")
    if not isinstance(prefixes, dict):
        raise KnowledgeError(
            f"{where}: 'date_prefixes' must map 'published' and 'updated' to lists"
        )
    pub = _phrases(prefixes, "published", f"{where}: date_prefixes")
    upd = _phrases(prefixes, "updated", f"{where}: date_prefixes")
    both = {p.lower() for p in pub} & {p.lower() for p in upd}
    if both:
        raise KnowledgeError(
            f"{where}: date_prefixes: {sorted(both)} are both published and updated"
        )
    months = _with_month_pairs({k: v + 1 for k, v in _numbered(data, "months", where, 12).items()})
    arabic = data.get("arabic_dates") or {}
    if not isinstance(arabic, dict):
        raise KnowledgeError(f"{where}: 'arabic_dates' must be a mapping")
    hijri = (
        {
            k: v + 1
            for k, v in _numbered(arabic, "hijri_months", f"{where}: arabic_dates", 12).items()
        }
        if "hijri_months" in arabic
        else {}
    )
    return HeaderWords(
        byline_openers=_longest_first(_phrases(data, "byline_openers", where)),
        name_joiners=_longest_first(_phrases(data, "name_joiners", where)),
        outlet_links=_longest_first(_phrases(data, "outlet_links", where, required=False)),
        agencies={p.lower(): p for p in _phrases(data, "agencies", where)},
        desks={p.lower(): p for p in _phrases(data, "desks", where)},
        published_prefixes=_longest_first(pub),
        updated_prefixes=_longest_first(upd),
        months=months,
        weekdays=_numbered(data, "weekdays", where, 7),
        ordinal_suffixes=_longest_first(_phrases(data, "ordinal_suffixes", where)),
        time_words=_longest_first(_phrases(data, "time_words", where, required=False)),
        name_particles=frozenset(
            p.lower() for p in _phrases(data, "name_particles", where, required=False)
        ),
        hijri_months=hijri,
        era_markers=_longest_first(
            _phrases(arabic, "era_markers", f"{where}: arabic_dates", required=False)
        ),
        calendar_joiners=_longest_first(
            _phrases(arabic, "calendar_joiners", f"{where}: arabic_dates", required=False)
        ),
    )


def _arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _with_month_pairs(months: dict[str, int]) -> dict[str, int]:
    """The months with the Arabic names of one month written together, in either order, as
    outlets write them: "سبتمبر أيلول", "أيلول سبتمبر", "أيلول/ سبتمبر", "آذار (مارس)". The
    pairs are made here, not listed in the file, so that every month has every pair."""
    out = dict(months)
    names: dict[int, list[str]] = {}
    for name, number in months.items():
        if _arabic(name) and "/" not in name:
            names.setdefault(number, []).append(name)
    for number, group in names.items():
        for a in group:
            for b in group:
                if a == b or a.split()[0] == b.split()[0]:
                    continue  # "تشرين الأول" and "تشرين أول" are one name spelled twice
                for joined in (f"{a} {b}", f"{a}/{b}", f"{a} / {b}", f"{a}/ {b}", f"{a} ({b})"):
                    out.setdefault(joined, number)
    return out


# Arabic-Indic and Persian digits as ASCII ones.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMERIC_DAY_FIRST = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_NUMERIC_YEAR_FIRST = re.compile(r"^(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
#: What is left between the parts of a date line: dashes, commas, brackets, a separator bar.
_PUNCTUATION = " \t-–—_|/,،:;()«»\u200f\u200e"
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\b")
_MAX_ARABIC_DATE_WORDS = 16


def _alternation(phrases: list[str] | tuple[str, ...]) -> str:
    items = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(r"\s*".join(re.escape(w) for w in p.split()) for p in items)


_PATTERNS: dict[int, tuple[HeaderWords, tuple[re.Pattern[str], ...]]] = {}


def _arabic_patterns(words: HeaderWords) -> tuple[re.Pattern[str], ...]:
    """The patterns of :func:`read_arabic_date_line`, compiled once per words file (the words
    hold dicts, so they are no key of ``functools.lru_cache``)."""
    cached = _PATTERNS.get(id(words))
    if cached is None or cached[0] is not words:
        cached = _PATTERNS[id(words)] = (words, _compile_arabic(words))
    return cached[1]


def _compile_arabic(words: HeaderWords) -> tuple[re.Pattern[str], ...]:
    b = r"(?<!\w)"
    e = r"(?!\w)"
    months = _alternation([m for m in words.months if _arabic(m) or m.isalpha()])
    hijri = _alternation(list(words.hijri_months)) or r"(?!)"
    eras = _alternation(list(words.era_markers)) or r"(?!)"
    weekdays = _alternation([w.rstrip("،,") for w in words.weekdays])
    joiners = _alternation(list(words.calendar_joiners)) or r"(?!)"
    prefixes = _alternation([*words.published_prefixes, *words.updated_prefixes])
    return (
        # A Hijri date: "21 محرم 1441 هـ", its marker optional.
        re.compile(rf"{b}\d{{1,2}}\s*(?:{hijri}){e}\s*\d{{4}}(?:\s*(?:{eras}){e})?", re.I),
        # A Gregorian date written with its month: "24 مارس 2019", "10 سبتمبر أيلول 2019".
        re.compile(rf"{b}(?P<d>\d{{1,2}})\s*(?P<m>{months}){e}\s*[,،]?\s*(?P<y>\d{{4}})", re.I),
        re.compile(rf"{b}(?:{eras}){e}", re.I),
        re.compile(rf"{b}(?:{weekdays}){e}", re.I),
        re.compile(rf"{b}(?:{joiners}){e}", re.I),
        re.compile(rf"^(?:{prefixes}){e}", re.I),
    )


def read_arabic_date_line(words: HeaderWords, line: str) -> dt.date | None:
    """The Gregorian date of an Arabic date line, or None when the line is not (only) a date.

    The forms of Arabic outlets: a weekday anywhere ("الأحد - 17 رجب 1440 هـ - 24 مارس 2019
    مـ"); a Hijri date beside the Gregorian one, before or after it, with its era marker and
    "الموافق" ("21 رجب 1440 هـ الموافق 28 آذار 2019"); one month in both systems ("10 سبتمبر
    أيلول 2019"); Arabic-Indic digits ("٢٠/٩/٢٠١٩"); a numeric date day first, as Arabic writes
    it ("04/08/2014" is 4 August); a clock time. A Hijri date alone is not converted (None): the
    Gregorian date is what the record keeps, and every outlet seen gives it.
    """
    s = " ".join(line.translate(_DIGITS).split())
    if not s or len(s.split()) > _MAX_ARABIC_DATE_WORDS:
        return None
    hijri, gregorian, era, weekday, joiner, prefix = _arabic_patterns(words)
    s = prefix.sub(" ", s, count=1)
    s = hijri.sub(" ", s)
    s = _CLOCK.sub(" ", s)
    found = [m for m in gregorian.finditer(s)]
    if len(found) > 1:
        return None
    date: dt.date | None = None
    if found:
        m = found[0]
        month = words.months.get(" ".join(m.group("m").lower().split()))
        if month is None:
            month = next(
                (
                    v
                    for k, v in words.months.items()
                    if "".join(k.split()) == "".join(m.group("m").lower().split())
                ),
                None,
            )
        if month is None:
            return None
        try:
            date = dt.date(int(m.group("y")), month, int(m.group("d")))
        except ValueError:
            return None
        s = s[: m.start()] + " " + s[m.end() :]
    for pattern in (era, weekday, joiner):
        s = pattern.sub(" ", s)
    rest = s.strip(_PUNCTUATION).strip()
    if date is not None:
        return date if not rest.strip(_PUNCTUATION) else None
    rest = " ".join(rest.split())
    numeric = _NUMERIC_DAY_FIRST.match(rest)
    try:
        if numeric:
            return dt.date(int(numeric.group(4)), int(numeric.group(3)), int(numeric.group(1)))
        numeric = _NUMERIC_YEAR_FIRST.match(rest)
        if numeric:
            return dt.date(int(numeric.group(1)), int(numeric.group(3)), int(numeric.group(4)))
    except ValueError:
        return None
    return None


def read_header_words(path: Path) -> HeaderWords:
    """Read and validate one headers file (any path: tests point it at broken copies)."""
    return parse_header_words(read_yaml(path), str(path))


@functools.lru_cache(maxsize=4)
def load_header_words(theatre: str = "iraq_syria") -> HeaderWords:
    """The header words of a theatre, read and validated once per process."""
    return read_header_words(theatre_dir(theatre) / _FILE)
