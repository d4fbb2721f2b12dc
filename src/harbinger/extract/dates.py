"""Dates in news text, resolved against the publication date, with ACLED's time precision.

Explicit dates ("July 21st", "21 January 2021", "2019-07-21") are parsed with dateparser
(``languages=["en"]``, relative to the publication date, preferring the past). Weekdays are resolved
here rather than by dateparser, because for news a weekday names the most recent such day *on or
before* publication, and dateparser moves a weekday equal to the base date a week back. Week-level
("last week") and month-level ("in July", "earlier this month") expressions get ACLED's precision 2
and 3 and its convention of the middle day. Anything vaguer (a bare year, "recently") is no date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import dateparser

from harbinger.records import TimePrecision

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b")),
    ("mdy", re.compile(rf"\b{_MON}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.IGNORECASE)),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?\b", re.IGNORECASE)),
    ("weekday", re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(?:today|this morning|tonight|this evening)\b", re.IGNORECASE)),
    ("week", re.compile(r"\b(?:last|this|past) week(?:end)?\b", re.IGNORECASE)),
    ("month", re.compile(
        rf"\b(?:(?:early|mid|late|earlier|later)[- ]?(?:in\s+)?)?(?:in\s+)?{_MON}(?:\s+{_YEAR})?\b"
        r"|\b(?:earlier|later) this month\b|\blast month\b|\bthis month\b",
        re.IGNORECASE)),
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date expression in a sentence, resolved: its span, the date and ACLED's time precision."""

    start: int
    end: int
    text: str
    date: dt.date
    precision: TimePrecision
    explicit: bool = False


def _weekday_on_or_before(name: str, published: dt.date) -> dt.date:
    target = _WEEKDAYS.index(name.lower())
    return published - dt.timedelta(days=(published.weekday() - target) % 7)


def _parse_explicit(text: str, published: dt.date) -> dt.date | None:
    """A written-out date by dateparser, relative to the publication day, preferring the past."""
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text)
    parsed = dateparser.parse(
        cleaned,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(published, dt.time(12)),
            "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    return parsed.date() if parsed else None


_NUMBER = re.compile(r"\d+")


def _explicit_date(kind: str, text: str, published: dt.date) -> dt.date | None:
    """A date the patterns matched whole ("21 July", "July 21st, 2019", "2019-07-21").

    The patterns have already found the day, the month and maybe the year, so the date is built
    from them here: dateparser takes a millisecond per call to find them again, which was half of
    the cheap pass over conflict articles. The result is dateparser's (a missing year is the
    publication year, or the year before when that would be after publication; tested against
    :func:`_parse_explicit`), which still reads what does not make a calendar date.
    """
    if kind == "iso":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return _parse_explicit(text, published)
    month_match = re.search(_MON, text, re.IGNORECASE)
    numbers = [int(n) for n in _NUMBER.findall(text)]
    if month_match is None or not numbers:
        return _parse_explicit(text, published)
    word = month_match.group(0).lower()
    month = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(word[:3]))
    day = numbers[0]
    year = numbers[1] if len(numbers) > 1 else None
    try:
        date = dt.date(year or published.year, month, day)
    except ValueError:
        return _parse_explicit(text, published)
    if year is None and date > published:
        try:
            date = date.replace(year=date.year - 1)
        except ValueError:  # 29 February
            return _parse_explicit(text, published)
    return date


def _month_date(text: str, published: dt.date) -> tuple[dt.date, TimePrecision] | None:
    low = text.lower()
    if "last month" in low:
        first = published.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=15), 3
    if "this month" in low:
        return published.replace(day=min(15, published.day)), 3
    month_match = re.search(_MON, low)
    if not month_match:
        return None
    word = month_match.group(0).rstrip(".")
    month = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(word[:3]))
    year_match = re.search(_YEAR, low)
    year = int(year_match.group(0)) if year_match else published.year
    if not year_match and month > published.month:
        year -= 1  # a month named without a year is the last one before publication
    day = 15
    if "early" in low:
        day = 1
    elif "late" in low:
        day = 28
    return dt.date(year, month, day), 3


def find_dates(sentence: str, published: dt.date | None) -> list[DateHit]:
    """Date expressions of a sentence that resolve to a day, week or month on or before publication.

    Without a publication date only dates that carry their year can be resolved ("On 3 March
    2017"); weekdays and "last week" need the day the text was written.
    """
    absolute_only = published is None
    if published is None:
        published = dt.date.today()
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            text = m.group(0)
            if absolute_only and not re.search(_YEAR, text):
                continue
            date: dt.date | None = None
            precision: TimePrecision = 1
            if kind in ("iso", "mdy", "dmy"):
                date = _explicit_date(kind, text, published)
            elif kind == "weekday":
                date = _weekday_on_or_before(text, published)
            elif kind == "yesterday":
                date = published - dt.timedelta(days=1)
            elif kind == "today":
                date = published
            elif kind == "week":
                # ACLED codes a known week at its middle day.
                back = 0 if text.lower().startswith(("this", "past")) else 7
                monday = published - dt.timedelta(days=published.weekday() + back)
                date, precision = monday + dt.timedelta(days=3), 2
            else:
                if text.lower().strip() in {"may", "march"}:
                    continue  # the modal verb and the verb "march", not the months
                resolved = _month_date(text, published)
                if resolved is None:
                    continue
                date, precision = resolved
            if date is None or date > published:
                continue
            explicit = kind in ("iso", "mdy", "dmy")
            hits.append(DateHit(m.start(), m.end(), text, date, precision, explicit))
            taken.append((m.start(), m.end()))
    hits.sort(key=lambda h: h.start)
    return hits


def best_date(hits: list[DateHit], anchor: int | None = None) -> DateHit | None:
    """The date an event in this sentence takes: the most precise, then the nearest to the trigger."""
    if not hits:
        return None

    def key(h: DateHit) -> tuple[int, bool, int]:
        distance = abs(h.start - anchor) if anchor is not None else h.start
        # A written-out date beats a weekday ("on Sunday (July 21st)"): it carries the month.
        return (h.precision, not h.explicit, distance)

    return min(hits, key=key)
