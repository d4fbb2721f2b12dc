"""Counts written in Arabic: digits of either script, number words of both genders, teens
("ثلاثة عشر"), compounds joined by و ("خمسة وعشرون"), hundreds and thousands, duals ("جنديان")
and vague quantities ("عشرات", "بضعة"), read from normalised words (``knowledge.arabic``).

The words are those of ``arabic.yaml``; qualifiers ("نحو", "أكثر من") are skipped and the figure
kept, as ACLED keeps the most conservative number a report gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ArabicCounts", "Number"]

#: Years and figures this large in a sentence about a toll are not tolls.
_MAX_TOLL = 5000


@dataclass(frozen=True, slots=True)
class Number:
    """A number read at word ``start``; the words up to ``end`` (exclusive) spell it."""

    value: int
    start: int
    end: int


class ArabicCounts:
    """Reads numbers from a sequence of normalised Arabic words.

    ``singulars`` are nouns of people whose dual is a count of two ("جنديان", "مقاتلين"), but
    those of ``sound_plurals`` only in "-ان": their "-ين" is also the plural ("مدنيين").
    """

    def __init__(
        self,
        numbers: dict[str, Any],
        *,
        singulars: Iterable[str] = (),
        sound_plurals: Iterable[str] = (),
    ) -> None:
        self.singulars = frozenset(singulars)
        self.sound_plurals = frozenset(sound_plurals)
        self.units: dict[str, int] = numbers["units"]
        self.tens: dict[str, int] = numbers["tens"]
        self.hundreds: dict[str, int] = numbers["hundreds"]
        self.thousands: dict[str, int] = numbers["thousands"]
        self.duals: dict[str, int] = numbers["duals"]
        self.vague: dict[str, int] = numbers["vague"]
        self.teen = frozenset(numbers["teen"])
        self.qualifiers = tuple(
            tuple(q.split()) for key in ("at_least", "approximate", "at_most") for q in numbers[key]
        )

    def _simple(self, word: str) -> int | None:
        if word.isdigit():
            value = int(word)
            return value if value <= _MAX_TOLL and not 1900 <= value <= 2100 else None
        for table in (self.units, self.tens, self.hundreds, self.thousands, self.vague):
            if word in table:
                return table[word]
        return self._joined_hundreds(word)

    def _joined_hundreds(self, word: str) -> int | None:
        """300 to 900 written as one word, a unit joined to مئة ("ثلاثمئة", "ستمائة")."""
        for hundred, value in self.hundreds.items():
            if value == 100 and word.endswith(hundred) and len(word) > len(hundred):
                unit = self.units.get(word[: -len(hundred)])
                if unit is not None and 3 <= unit <= 9:
                    return unit * value
        return None

    def dual(self, word: str) -> bool:
        """Whether ``word`` is the dual of a noun of people ("جنديان", "عنصرين"): two of them."""
        stems = [word, word[2:]] if word.startswith("ال") and len(word) > 5 else [word]
        for stem in stems:
            ending, singular = stem[-2:], stem[:-2]
            if ending not in ("ان", "ين"):
                continue
            # "امرأتان": the taa marbuta of the singular is written ت before the ending.
            for noun in (singular, singular[:-1] + "ه" if singular.endswith("ت") else None):
                if noun is None or noun not in self.singulars:
                    continue
                # "الإرهابيين" is the plural as "إرهابيين" is (the article changes nothing).
                bare = noun[2:] if noun.startswith("ال") else noun
                if ending == "ان" or not {noun, bare} & self.sound_plurals:
                    return True
        return False

    def qualifier_end(self, words: Sequence[str], i: int) -> int:
        """Past a qualifier ("نحو", "أكثر من") starting at ``i``, else ``i``."""
        for q in self.qualifiers:
            if tuple(words[i : i + len(q)]) == q:
                return i + len(q)
        return i

    def read(self, words: Sequence[str], i: int, *, conjoined: bool = False) -> Number | None:
        """The number spelled from word ``i`` on, or None; ``conjoined`` also reads one joined to
        the conjunction و ("و17", "وسبعة": the next figure of a list)."""
        if i >= len(words):
            return None
        word = words[i]
        if conjoined and word.startswith("و") and len(word) > 1:
            inner = self.read([word[1:], *words[i + 1 :]], 0)
            if inner is not None:
                return Number(inner.value, i, i + inner.end)
        if word in self.duals:
            return Number(self.duals[word], i, i + 1)
        if self.dual(word):
            return Number(2, i, i + 1)
        two = " ".join(words[i : i + 2])
        if two in self.vague:
            return Number(self.vague[two], i, i + 2)
        value = self._simple(word)
        if value is None:
            return None
        j = i + 1
        if word in self.units and j < len(words) and words[j] in self.teen and value < 10:
            value += 10  # "ثلاثة عشر", "أحد عشر", "اثنا عشر"
            j += 1
        elif j < len(words) and words[j] in self.hundreds and value < 10:
            value *= self.hundreds[words[j]]
            j += 1
        if j < len(words) and words[j] in self.thousands and value < 1000:
            value *= self.thousands[words[j]]
            j += 1
        # Compounds joined by و: "خمسة وعشرون", "مئة وعشرون".
        while j < len(words) and words[j].startswith("و") and len(words[j]) > 2:
            part = self._simple(words[j][1:])
            if part is None or (part >= value and value >= 10 and part >= 100):
                break
            value += part
            j += 1
        return Number(value, i, j)
