"""Dates written in Arabic, resolved against the publication date.

Three kinds, in the order they win within a sentence: a calendar date (a day and a month of either
system, MSA "مايو" or Levantine/Iraqi "أيار", with or without a year; or "2020 / 5 / 2"), a
weekday phrase ("فجر اليوم السبت", "مساء الثلاثاء", "يوم الأحد": the most recent such day on or
before publication), and a relative day ("اليوم", "أمس", "أول أمس"). The words are those of
``arabic.yaml``; dateparser does not know the Levantine months, Arabic-Indic digits nor the weekday
phrases (DEPENDENCIES.md, "Arabic").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from harbinger.knowledge.arabic import ArabicWords, normalise_phrase

__all__ = ["ArabicDate", "ArabicDates"]

_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?!\d)")
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")


@dataclass(frozen=True, slots=True)
class ArabicDate:
    """A date read in a sentence: its value, how it was written (rank: lower wins), and where."""

    date: dt.date
    rank: int
    word: int


def _on_or_before(weekday: int, published: dt.date) -> dt.date:
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


class ArabicDates:
    """Finds dates among normalised Arabic words."""

    def __init__(self, words: ArabicWords) -> None:
        self.months = {tuple(k.split()): v for k, v in words.months.items()}
        self.weekdays = words.weekdays
        self.ambiguous = words.ambiguous_weekdays
        self.day_parts = frozenset(normalise_phrase(p) for p in words.day_parts)
        self.relative = {tuple(k.split()): v for k, v in words.relative_days.items()}

    def _month_at(self, words: Sequence[str], i: int) -> tuple[int, int] | None:
        for n in (2, 1):
            month = self.months.get(tuple(words[i : i + n]))
            if month is not None:
                return month, i + n
        return None

    def find(self, words: Sequence[str], text: str, published: dt.date | None) -> list[ArabicDate]:
        """Dates of a sentence given as its normalised words and its normalised text (with its
        punctuation: "2020 / 5 / 2")."""
        found: list[ArabicDate] = []
        for m in _YEAR_FIRST.finditer(text):
            _add(found, int(m.group(1)), int(m.group(2)), int(m.group(3)), 0, 0)
        for m in _DAY_FIRST.finditer(text):
            _add(found, int(m.group(3)), int(m.group(2)), int(m.group(1)), 0, 0)
        for i, word in enumerate(words):
            if word.isdigit() and 1 <= int(word) <= 31 and i + 1 < len(words):
                month = self._month_at(words, i + 1)
                if month is not None:
                    number, after = month
                    if after < len(words) and words[after].isdigit() and len(words[after]) == 4:
                        year = int(words[after])
                    elif published is None:
                        continue  # a day and month alone need the publication's year
                    else:
                        # The most recent such day on or before publication.
                        year = published.year
                        try:
                            if dt.date(year, number, int(word)) > published:
                                year -= 1
                        except ValueError:
                            continue
                    _add(found, year, number, int(word), 0, i)
                    continue
            if published is None:
                continue  # weekdays and relative days count from the publication date
            weekday = self.weekdays.get(word)
            if weekday is not None:
                before = words[i - 1] if i else ""
                if word in self.ambiguous and before not in self.day_parts:
                    continue
                found.append(ArabicDate(_on_or_before(weekday, published), 1, i))
                continue
            for key, offset in self.relative.items():
                if tuple(words[i : i + len(key)]) == key:
                    following = words[i + len(key)] if i + len(key) < len(words) else ""
                    if following in self.weekdays:
                        break  # "اليوم السبت", "أمس الجمعة": the weekday decides
                    found.append(ArabicDate(published + dt.timedelta(days=offset), 2, i))
                    break
        return found

    @staticmethod
    def best(dates: Sequence[ArabicDate]) -> ArabicDate | None:
        """The date a sentence gives: a calendar date, else a weekday, else a relative day."""
        return min(dates, key=lambda d: (d.rank, d.word)) if dates else None


def _add(found: list[ArabicDate], year: int, month: int, day: int, rank: int, word: int) -> None:
    with contextlib.suppress(ValueError):  # 31 April is no day
        found.append(ArabicDate(dt.date(year, month, day), rank, word))
