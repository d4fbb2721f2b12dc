"""A dictionary automaton: find every known phrase (actor alias, place name, trigger) in a text.

Built on pyahocorasick (one pass over the text whatever the number of phrases). The automaton
itself matches raw substrings, so word boundaries are checked here, and overlapping hits are
reduced to the longest leftmost ones. Matching is case-insensitive unless a phrase asks to be
matched as written (short acronyms such as "IS" that collide with English words).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

P = TypeVar("P")


def words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of the words or phrases, whole, in lower-case text (a pattern that never matches when
    there are none). For short cue lists read against one sentence; PhraseIndex is for the large
    lists (aliases, places) read against whole documents."""
    alternatives = "|".join(re.escape(str(w).lower()) for w in words)
    return re.compile(rf"\b(?:{alternatives})\b" if alternatives else r"(?!x)x")


def fold(text: str) -> str:
    """Case- and accent-folded text of the *same length* as the input (so offsets carry over).

    Characters whose folded form is not exactly one character are kept as they are.
    """
    if text.isascii():
        # The common case, and the same result as _fold_char. Hyphens match spaces:
        # "Deir-ez-Zor" is "Deir ez Zor", "al-Qaeda" is "al Qaeda".
        return text.lower().replace("-", " ")
    # ASCII letters by bytes.lower() (which leaves the bytes of other characters alone), then
    # the other characters one by one: a per-character loop over the whole text cost most of
    # the cheap pass on English text with a few curly quotes.
    ascii_folded = (
        text.encode("utf-8", "surrogatepass")
        .lower()
        .replace(b"-", b" ")
        .decode("utf-8", "surrogatepass")
    )
    return _NON_ASCII.sub(_fold_run, ascii_folded)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Typographic apostrophes and dashes fold to ASCII so "Ma’arrat" matches "Ma'arrat".
_PUNCTUATION = {"’": "'", "‘": "'", "ʿ": "'", "ʾ": "'", "–": " ", "—": " ", "‐": " ", "-": " "}


def _fold_run(match: re.Match[str]) -> str:
    return "".join(map(_fold_char, match.group()))


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = unicodedata.normalize("NFD", low)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    if len(stripped) == 1:
        low = stripped
    return _PUNCTUATION.get(low, low)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True, slots=True)
class PhraseHit(Generic[P]):
    """One occurrence of a phrase: its span in the scanned text and the payloads registered for it."""

    start: int
    end: int
    text: str
    payloads: tuple[P, ...]


class PhraseIndex(Generic[P]):
    """Phrases with payloads; ``find`` returns their non-overlapping occurrences in a text."""

    def __init__(self) -> None:
        self._folded: dict[str, list[P]] = {}
        self._exact: dict[str, list[P]] = {}
        self._auto: ahocorasick.Automaton | None = None

    def add(self, phrase: str, payload: P, *, case_sensitive: bool = False) -> None:
        phrase = " ".join(phrase.split())
        if not phrase:
            return
        if case_sensitive:
            self._exact.setdefault(phrase, []).append(payload)
        else:
            self._folded.setdefault(fold(phrase), []).append(payload)
        self._auto = None

    def add_all(self, items: Iterable[tuple[str, P, bool]]) -> None:
        for phrase, payload, case_sensitive in items:
            self.add(phrase, payload, case_sensitive=case_sensitive)

    def __len__(self) -> int:
        return len(self._folded) + len(self._exact)

    def _build(self) -> ahocorasick.Automaton:
        auto = ahocorasick.Automaton()
        keys: dict[str, tuple[bool, bool]] = {}
        for key in self._folded:
            keys[key] = (True, keys.get(key, (False, False))[1])
        for key in self._exact:
            folded = fold(key)
            had = keys.get(folded, (False, False))
            keys[folded] = (had[0], True)
        for key, flags in keys.items():
            auto.add_word(key, (key, flags))
        auto.make_automaton()
        return auto

    def find(self, text: str) -> list[PhraseHit[P]]:
        """Longest, leftmost, non-overlapping occurrences at word boundaries."""
        if not self._folded and not self._exact:
            return []
        if self._auto is None:
            self._auto = self._build()
        folded = fold(text)
        candidates: list[tuple[int, int, tuple[P, ...]]] = []
        for end_idx, (key, (has_folded, has_exact)) in self._auto.iter(folded):
            end = end_idx + 1
            start = end - len(key)
            if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
                continue
            if end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
                continue
            found: list[P] = []
            if has_folded:
                found.extend(self._folded[key])
            if has_exact:
                surface = text[start:end]
                found.extend(self._exact.get(surface, []))
            if found:
                candidates.append((start, end, tuple(found)))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        hits: list[PhraseHit[P]] = []
        last_end = -1
        for start, end, payloads in candidates:
            if start < last_end:
                continue
            hits.append(PhraseHit(start, end, text[start:end], payloads))
            last_end = end
        return hits
