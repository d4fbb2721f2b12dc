"""How Harbinger words counts in the messages it gives: "1 event", "2 events", "an ACLED file".

One place for one rule, so that a summary line never reads "1 events" or "a ACLED file".
"""

from __future__ import annotations

__all__ = ["count", "with_article"]

#: Plurals that are not the word plus "s".
_PLURALS = {"entry": "entries", "country": "countries", "indicator": "indicators"}

#: Names read as words or letters whose sound starts with a vowel ("an ACLED file", "a UCDP file").
_VOWEL_SOUND = frozenset({"ACLED", "RSS", "HTML", "SQLite"})


def count(n: int, word: str, plural: str | None = None) -> str:
    """``n`` and the word, singular for one: ``count(1, "event")`` is "1 event"."""
    if n == 1:
        return f"1 {word}"
    return f"{n:,} {plural or _PLURALS.get(word, word + 's')}"


def with_article(name: str) -> str:
    """``name`` after "a" or "an" by its sound: "an ACLED", "a UCDP", "a GTD", "an export"."""
    first = name.split()[0] if name.split() else name
    vowel = first in _VOWEL_SOUND or (first[:1].lower() in "aeio" and not first.isupper())
    return f"{'an' if vowel else 'a'} {name}"
