"""A town written in a spelling no name list has, found by its consonants within a governorate.

Arabic names reach English text in many spellings: Muqdadiyah, Miqdadiya, Maqdadiyah; Dujail,
Dujayl, Dejail; Qamishli, Quamishli, Kamishly. The gazetteer's own variant index folds the
spellings that differ only as transliteration does (``names._skeleton``) and keeps the vowels; it
is used everywhere in running text, so it must be strict. Here the vowels go too (the short vowels
are not written in Arabic, so writers guess them), which merges far more spellings and would
also merge unrelated names ("Hassan", "Husayniyah"). It is therefore asked only about a name the
text itself marks as a place ("in X town", "X village, Diyala governorate") and only among the
places of the governorates the text names, and the match must be the only one there and look
alike letter by letter (``difflib``'s ratio: the standard library's, enough for two short words;
rapidfuzz is not a dependency).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable

from harbinger.geo.names import GazetteerEntry

#: Digraphs of English transliteration that stand for one Arabic letter, and letters that
#: writers swap (q/k/c, the emphatic consonants written plainly).
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("q", "k"),
    ("c", "k"),
    ("z", "d"),  # dh/z/d for the same letter (Dhuluiya, Zuluiya, Duluiya)
)
_APOSTROPHES = re.compile(r"['‘’ʿʾ`´-]")
_NOT_LETTER = re.compile(r"[^a-z ]")
#: Weak letters: vowels, and w/y/h that English writes for long vowels and the feminine ending.
_WEAK = re.compile(r"[aeiouyw]|h(?= |$)")
_DOUBLE = re.compile(r"(.)\1+")

#: Fewest consonants a skeleton must keep to be asked about: two are too few to tell names apart.
MIN_CONSONANTS = 3
#: How alike (difflib ratio of the folded spellings) a guess must be to its place's name.
MIN_RATIO = 0.6
#: ... when no governorate narrows the search.
MIN_RATIO_ANYWHERE = 0.8


def fold(name: str) -> str:
    """Lower-case letters of a name without accents, apostrophes or hyphens."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub(" ", text)
    return " ".join(_NOT_LETTER.sub("", text).split())


def consonants(name: str, articles: Collection[str]) -> str:
    """The consonant skeleton of a name: articles, vowels, weak letters and doubling removed."""
    words = [w for w in fold(name).split() if w not in articles]
    text = " ".join(words)
    for digraph, letter in _DIGRAPHS:
        text = text.replace(digraph, letter)
    text = _WEAK.sub("", text)
    return _DOUBLE.sub(r"\1", text.replace(" ", ""))


class SpellingGuess:
    """Places by consonant skeleton and governorate, to recognise an unknown spelling."""

    def __init__(
        self, names: Iterable[tuple[str, GazetteerEntry]], articles: Collection[str]
    ) -> None:
        """``names``: (a Latin-script name, its entry) for every name of every place."""
        self._articles = frozenset(articles)
        self._by_key: dict[tuple[str, str], list[tuple[str, GazetteerEntry]]] = {}
        for name, entry in names:
            if entry.kind != "place" or not entry.admin1_code or entry.latitude is None:
                continue
            key = consonants(name, self._articles)
            if len(key) < MIN_CONSONANTS:
                continue
            bucket = self._by_key.setdefault((entry.admin1_code, key), [])
            bucket.append((self._bare(name), entry))
        self._codes = sorted({code for code, _ in self._by_key})

    def _bare(self, name: str) -> str:
        return " ".join(w for w in fold(name).split() if w not in self._articles)

    def guess(self, surface: str, admin1_codes: Collection[str] | None) -> GazetteerEntry | None:
        """The one place of these governorates that ``surface`` spells another way, or None.

        With no governorate to look in (``None``), the whole theatre is searched and the
        spelling must be closer (``MIN_RATIO_ANYWHERE``): one town in thousands, not in dozens.
        """
        key = consonants(surface, self._articles)
        if len(key) < MIN_CONSONANTS or (admin1_codes is not None and not admin1_codes):
            return None
        bare = self._bare(surface)
        codes = admin1_codes if admin1_codes is not None else self._codes
        least = MIN_RATIO if admin1_codes is not None else MIN_RATIO_ANYWHERE
        found: dict[str, GazetteerEntry] = {}
        for code in codes:
            for name, entry in self._by_key.get((code, key), ()):
                if difflib.SequenceMatcher(None, bare, name).ratio() >= least:
                    found[entry.id] = entry
        if len(found) != 1:
            return None  # none, or several alike: not a guess to make
        return next(iter(found.values()))
