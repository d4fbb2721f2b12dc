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
        self.ordinals = {tuple(k.split()): v for k, v in words.day_ordinals.items()}
        self.current = tuple(tuple(normalise_phrase(p).split()) for p in words.current_month)
        self.past = frozenset(normalise_phrase(p) for p in words.past_markers)
        self.nights = frozenset(normalise_phrase(p) for p in words.night_parts)
        self.joins = frozenset(normalise_phrase(p) for p in words.night_joins)

    def _month_at(
        self, words: Sequence[str], i: int, published: dt.date | None
    ) -> tuple[int, int] | None:
        """The month named at word ``i`` ("أيار", "كانون الثاني", "من حزيران", "من الشهر
        الجاري": the month of publication), and the word after it."""
        if i < len(words) and words[i] == "من":
            i += 1  # "العاشر من حزيران", "12 من الشهر الجاري"
        for n in (2, 1):
            month = self.months.get(tuple(words[i : i + n]))
            if month is not None:
                after = i + n
                for m in (2, 1):
                    # One month in both systems ("10 سبتمبر أيلول 2019", "أيلول سبتمبر").
                    if self.months.get(tuple(words[after : after + m])) == month:
                        after += m
                        break
                return month, after
        if published is not None:
            for phrase in self.current:
                if tuple(words[i : i + len(phrase)]) == phrase:
                    return published.month, i + len(phrase)
        return None

    def _day_at(self, words: Sequence[str], i: int) -> tuple[int, int] | None:
        """A day of the month at word ``i``, in digits or as an ordinal, and the word after it."""
        word = words[i]
        if word.isdigit():
            return (int(word), i + 1) if 1 <= int(word) <= 31 else None
        for n in (2, 1):
            day = self.ordinals.get(tuple(words[i : i + n]))
            if day is not None:
                return day, i + n
        return None

    def find(self, words: Sequence[str], text: str, published: dt.date | None) -> list[ArabicDate]:
        """Dates of a sentence given as its normalised words and its normalised text (with its
        punctuation: "2020 / 5 / 2")."""
        found: list[ArabicDate] = []
        skip = -1  # the second weekday of a night already read
        for m in _YEAR_FIRST.finditer(text):
            _add(found, int(m.group(1)), int(m.group(2)), int(m.group(3)), 0, 0)
        for m in _DAY_FIRST.finditer(text):
            _add(found, int(m.group(3)), int(m.group(2)), int(m.group(1)), 0, 0)
        for i, word in enumerate(words):
            day_at = self._day_at(words, i)
            month = self._month_at(words, day_at[1], published) if day_at is not None else None
            if day_at is not None and month is not None:
                day = day_at[0]
                number, after = month
                if after < len(words) and words[after].isdigit() and len(words[after]) == 4:
                    year = int(words[after])
                elif published is None:
                    continue  # a day and month alone need the publication's year
                else:
                    # The most recent such day on or before publication.
                    year = published.year
                    try:
                        if dt.date(year, number, day) > published:
                            year -= 1
                    except ValueError:
                        continue
                _add(found, year, number, day, 0, i)
                continue
            if published is None:
                continue  # weekdays and relative days count from the publication date
            weekday = self.weekdays.get(word)
            if weekday is not None:
                before = words[i - 1] if i else ""
                after_word = words[i + 1] if i + 1 < len(words) else ""
                if word in self.ambiguous and before not in self.day_parts:
                    continue
                if before in self.nights:
                    # "ليل الأربعاء الخميس", "ليلة السبت على الأحد": the night ends on the second
                    # day, which the event is dated by.
                    j = i + 1 + int(after_word in self.joins)
                    second = self.weekdays.get(words[j]) if j < len(words) else None
                    if second is not None:
                        found.append(ArabicDate(_on_or_before(second, published), 1, i))
                        skip = j
                        continue
                if i <= skip:
                    continue
                when = _on_or_before(weekday, published)
                if after_word in self.past and when == published:
                    when -= dt.timedelta(days=7)  # "يوم الأحد الماضي" in a report of a Sunday
                found.append(ArabicDate(when, 1, i))
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
