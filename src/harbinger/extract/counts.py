"""Counts in text: "15 members", "about 50,000 fighters", "between 30 and 35", "dozens", "nine".

Figures are read the way ACLED codes fatalities: the most conservative figure is the value, a range
keeps its low and high, vague quantities take ACLED's conventions ("dozens" = 12, "tens" = 10,
"hundreds" = 100) from ``numbers.yaml``. The parsing is a small regular grammar over the sentence text
rather than spaCy's ``like_num``, because the qualifiers around the number ("at least", "between ... and")
decide low/high and spaCy does not attach them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any


@dataclass(frozen=True, slots=True)
class Count:
    """A figure read from text: the value coded, its low/high, and its span in the sentence."""

    value: int
    low: int | None
    high: int | None
    start: int
    end: int
    text: str
    vague: bool = False


#: Sentences whose counts are remembered (the whole memory is dropped when it is full).
_FOUND_CACHE = 4096


class CountReader:
    """Finds counts in sentences using the number words of a theatre's ``numbers.yaml``."""

    def __init__(self, numbers: dict[str, Any]) -> None:
        self.words: dict[str, int] = {str(k).lower(): int(v) for k, v in numbers["words"].items()}
        self.vague: dict[str, int] = {str(k).lower(): int(v) for k, v in numbers["vague"].items()}
        self.multipliers: dict[str, int] = {
            str(k).lower(): int(v) for k, v in numbers["multipliers"].items()
        }
        self.at_least = [s.lower() for s in numbers.get("at_least", [])]
        self.at_most = [s.lower() for s in numbers.get("at_most", [])]
        self.approx = [s.lower() for s in numbers.get("approximate", [])]
        self._found: dict[str, tuple[Count, ...]] = {}

    @cached_property
    def _number(self) -> str:
        # Word numbers are matched as whole words; "a"/"an" only before "dozen"/"hundred"/"thousand".
        words = sorted(
            (w for w in self.words if w not in {"a", "an", "single"}), key=len, reverse=True
        )
        word_alt = "|".join(re.escape(w) for w in words)
        mult = "|".join(re.escape(m) for m in self.multipliers)
        digit = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
        return (
            rf"(?:(?:{digit})(?:\s+(?:{mult}))?"
            rf"|(?:{word_alt})(?:[- ](?:{word_alt}))?(?:\s+(?:{mult}))?)"
        )

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        num = self._number
        digits = r"\d{1,3}(?:,\d{3})+|\d+"
        vague = "|".join(re.escape(v) for v in sorted(self.vague, key=len, reverse=True))
        return re.compile(
            rf"\b(?:between\s+(?P<lo>{num})\s+and\s+(?P<hi>{num})"
            rf"|(?P<a>{digits})\s*(?:-|–|to)\s*(?P<b>{digits})(?=\s+[A-Za-z])"
            rf"|(?P<n>{num})"
            rf"|(?P<v>{vague}))\b",
            re.IGNORECASE,
        )

    def number(self, text: str) -> int | None:
        """The value of one number expression ("50,000", "fifteen", "twenty-five", "1.5 million")."""
        t = text.lower().strip()
        mult = 1
        for m, factor in self.multipliers.items():
            if t.endswith(" " + m):
                mult = factor
                t = t[: -len(m) - 1].strip()
                break
        t = t.replace(",", "")
        try:
            return round(float(t) * mult)
        except ValueError:
            pass
        parts = re.split(r"[- ]", t)
        if all(p in self.words for p in parts):
            return sum(self.words[p] for p in parts) * mult
        return None

    def find(self, sentence: str) -> list[Count]:
        """Every count in a sentence, with ACLED's conservative value and low/high."""
        # The event and indicator builders ask again for the same sentence; counts are immutable.
        found = self._found.get(sentence)
        if found is None:
            if len(self._found) >= _FOUND_CACHE:
                self._found.clear()
            found = self._found[sentence] = tuple(self._find(sentence))
        return list(found)

    def _find(self, sentence: str) -> list[Count]:
        out: list[Count] = []
        for m in self._pattern.finditer(sentence):
            before = sentence[max(0, m.start() - 20) : m.start()].lower()
            if m.group("lo") is not None:
                lo, hi = self.number(m.group("lo")), self.number(m.group("hi"))
                if lo is None or hi is None:
                    continue
                lo, hi = min(lo, hi), max(lo, hi)
                out.append(Count(lo, lo, hi, m.start(), m.end(), m.group(0)))
            elif m.group("a") is not None:
                lo, hi = self.number(m.group("a")), self.number(m.group("b"))
                if lo is None or hi is None or lo >= hi:
                    continue
                out.append(Count(lo, lo, hi, m.start(), m.end(), m.group(0)))
            elif m.group("n") is not None:
                value = self.number(m.group("n"))
                if value is None:
                    continue
                if _is_year_or_date(sentence, m.start(), m.end(), value):
                    continue
                low = high = None
                if any(before.endswith(q + " ") for q in self.at_least):
                    low = value
                elif any(before.endswith(q + " ") for q in self.at_most):
                    high = value
                out.append(Count(value, low, high, m.start(), m.end(), m.group(0)))
            else:
                word = m.group("v").lower()
                out.append(
                    Count(self.vague[word], None, None, m.start(), m.end(), m.group(0), vague=True)
                )
        return out


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE_CONTEXT = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.IGNORECASE)
_DATE_AFTER = re.compile(rf"^\s*(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)


def _is_year_or_date(sentence: str, start: int, end: int, value: int) -> bool:
    """Numbers that are years, days of a month, clock times or ordinals are not counts."""
    token = sentence[start:end]
    after = sentence[end : end + 12]
    if re.match(r"^(?:st|nd|rd|th)\b", after):
        return True
    if (
        1900 <= value <= 2100
        and "," not in token
        # "2021 fighters" counts; "since 2021 has risen" and "in 2021 was" are years.
        and not re.match(
            r"^\s+(?!(?:has|was|is|as|this|its)\b)(?:[a-z]+s\b|people|men|women|children)", after
        )
    ):
        return True
    before = sentence[max(0, start - 12) : start]
    if value <= 31 and (_DATE_CONTEXT.search(before) or _DATE_AFTER.match(after)):
        return True
    if re.match(
        r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|%|percent|per cent|km|kilomet|mile|metre|meter)",
        after,
        re.IGNORECASE,
    ):
        return True
    return bool(re.match(r"^[:/]\d", after) or re.search(r"\d[:/]$", before))
