"""Repair the typographic damage of scraped and translated news text, keeping a map to the original.

Reports reach Harbinger through translation tools, keyword filters and copy-paste: words broken by
filter hyphens (``-dir-ty``), spaces before punctuation (``Syria ,``), a missing space after a
full stop (``Daesh .The``), runs of spaces, non-breaking and zero-width characters. The NLP
pipeline reads the repaired text, but every span Harbinger reports must point into the
*original* text (the evidence an analyst checks), so :func:`repair` returns, with the repaired
text, the index in the original of every repaired character. :func:`normalise_for_id` gives the
whitespace-insensitive form a document id is hashed from.

Each repair is a pass from one text to the next that also returns, for each output character,
the index of the input character it came from; the passes' maps are composed. Newlines and curly
quotes are left as they are: paragraphs matter to sentence splitting and quotes to attribution.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Repaired", "normalise_for_id", "repair"]


@dataclass(frozen=True, slots=True)
class Repaired:
    """A repaired text and, for each of its characters, the index of its source in the original.

    ``offsets`` has ``len(text) + 1`` entries; the last one is ``len(original)``. A space that
    the repair inserted maps to the original index of the character that follows it.
    """

    text: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``text[start:end]`` of the repaired text to a span of the original.

        The end is taken from the last character of the span (not from ``offsets[end]``) so that
        characters the repair deleted after the span, such as the space of ``now .``, stay
        outside it.
        """
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise ValueError(f"span ({start}, {end}) is outside the repaired text of length {n}")
        if start == end:
            return self.offsets[start], self.offsets[start]
        last = end - 1
        # An inserted space shares its offset with the next character; it covers nothing.
        inserted = self.offsets[last] == self.offsets[last + 1]
        orig_end = self.offsets[last] if inserted else self.offsets[last] + 1
        return self.offsets[start], max(orig_end, self.offsets[start])


# A pass maps a text to a new text and, for each new character (plus one past the end), the index
# of the input character it comes from; None when it changed nothing (most texts, most passes).
_Pass = Callable[[str], tuple[str, list[int] | None]]

# Spaces that are not U+0020: no-break spaces (common in text copied from web pages and Word), the
# typographic spaces U+2000-U+200A, the ideographic space. Tokenizers treat them inconsistently.
_ODD_SPACES = frozenset(
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
# Invisible characters that only split words for a tokenizer: zero-width space, word joiner, BOM,
# soft hyphen (a hyphenation hint that breaks keyword look-ups if kept).
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad")
# Zero-width (non-)joiners shape Arabic and Persian script and emoji; they are removed only when
# they sit next to Latin text, where they are noise from copy-paste.
_JOINERS = frozenset("\u200c\u200d")
_LINE_BREAKS = frozenset("\x0b\x0c\x85\u2028\u2029")

# Everything _normalise_characters changes: CR, tab, the sets above, and control characters.
_NEEDS_NORMALISING = re.compile(
    "[\r\t\x00-\x08\x0b-\x1f\x7f-\x9f"
    + re.escape("".join(sorted(_ODD_SPACES | _INVISIBLE | _JOINERS | _LINE_BREAKS)))
    + "]"
)


def _words(words: str) -> frozenset[str]:
    """A word list written as one space-separated string (easier to read than a set literal)."""
    return frozenset(words.split())


def _is_dropped(ch: str) -> bool:
    """Whether the character normalisation removes ``ch`` (outside the joiner rule)."""
    if ch in _INVISIBLE or ch in _JOINERS:
        return True
    return ch not in "\t\n\r" and ch not in _LINE_BREAKS and unicodedata.category(ch) == "Cc"


def _latin_neighbour(text: str, i: int, step: int) -> bool:
    """Whether the nearest kept character before/after ``i`` is Latin, a space, or the text edge.

    Characters that are removed anyway are looked through, so that the decision is the same when
    the repaired text is repaired again (repair is idempotent).
    """
    j = i + step
    while 0 <= j < len(text) and _is_dropped(text[j]):
        j += step
    if not 0 <= j < len(text):
        return True
    ch = text[j]
    return ch.isspace() or ch in _ODD_SPACES or ord(ch) <= 0x024F


def _normalise_characters(text: str) -> tuple[str, list[int] | None]:
    """Odd spaces and tabs to a space, odd line breaks to newlines, invisible characters out."""
    if not _NEEDS_NORMALISING.search(text):
        # Most text has none of these; skip the per-character loop.
        return text, None
    out: list[str] = []
    offsets: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch == "\r":
            # CRLF -> LF keeps the id stable across Windows and Unix copies; a lone CR is a break.
            if i + 1 < n and text[i + 1] == "\n":
                continue
            out.append("\n")
        elif ch in _LINE_BREAKS:
            out.append("\n")
        elif ch == "\t" or ch in _ODD_SPACES:
            out.append(" ")
        elif ch in _INVISIBLE:
            continue
        elif ch in _JOINERS:
            if _latin_neighbour(text, i, -1) or _latin_neighbour(text, i, 1):
                continue
            out.append(ch)
        elif ch != "\n" and unicodedata.category(ch) == "Cc":
            # Stray control characters (a few survive in otherwise good text) confuse tokenizers.
            continue
        else:
            out.append(ch)
        offsets.append(i)
    offsets.append(n)
    return "".join(out), offsets


# A word with hyphens in it, possibly led by one: ``-dir-ty``, ``ter-ror-ists``, ``al-Qaeda``.
# The letter runs are possessive: giving letters back could never reach a hyphen, and trying cost
# a third of the scan.
_HYPHENATED = re.compile(r"(?<![\w-])-?[^\W\d_]++(?:-[^\W\d_]++)+(?![\w-])")
# Words that join real compounds (``hit-and-run``, ``mother-in-law``, ``day-to-day``): their
# presence means the hyphens are meant.
_CONNECTORS = _words(
    "a an and as at by de for in into of off on or out over per the to up upon vs with"
)
# Arabic article and name particles: ``al-Baghdadi``, ``ez-Zor``, ``abu-Bakr`` are names, not
# filtered words, even when written in lower case.
_ARABIC_PARTICLES = _words(
    "al el ad ag ak ar as ash at ath az dh ed er es et ez abu abou bin ibn bint bani beni umm um"
)
# Short everyday words: a hyphenated chain of them (``one-day-old``, ``ten-man``) is a compound.
_COMMON_WORDS = _words(
    "one two three four five six seven eight nine ten all any day old new man men big "
    "low high top end run far old year week time way non pro anti pre post sub self "
    "full half well long short hard part free last next air sea war key red blue cut "
    "set get let put go no not yes his her its our you we they"
)


def _is_filter_broken(token: str) -> bool:
    """Whether a hyphenated token is a word broken by a profanity/keyword filter.

    Filters that ``clean`` reports insert hyphens at syllable breaks (``ter-ror-ists``) and
    sometimes before the word (``-dir-ty``). Real compounds differ: capitals after the first
    letter (``Iraqi-Syrian``, ``al-Qaeda``), Arabic particles (``al-``, ``ez-``), connectors
    (``hit-and-run``), long parts (``well-known`` has one hyphen; ``state-sponsored`` has long
    parts), or parts that are all everyday words (``one-day-old``).
    """
    leading = token.startswith("-")
    parts = token.lstrip("-").split("-")
    # Capitals inside the token mark names and proper compounds.
    if any(ch.isupper() for ch in token.lstrip("-")[1:]):
        return False
    lowered = [p.lower() for p in parts]
    if lowered[0] in _ARABIC_PARTICLES or any(p in _CONNECTORS for p in lowered):
        return False
    if all(p in _COMMON_WORDS for p in lowered):
        return False
    if leading:
        # A dash glued to a lowercase fragment is never punctuation before a compound word:
        # ``-dir-ty``. Require short fragments so ``-well-known`` is not joined.
        return parts[0].islower() and all(len(p) <= 4 for p in parts)
    if len(parts) < 3:
        # One hyphen is how English writes compounds (``well-known``, ``ex-fighter``).
        return False
    # Syllable-sized pieces; the last may carry a suffix (``ter-ror-ists``, ``ex-tre-mists``).
    return all(len(p) <= 3 for p in parts[:-1]) and len(parts[-1]) <= 5


def _join_filter_hyphens(text: str) -> tuple[str, list[int] | None]:
    """``-dir-ty`` -> ``dirty``, ``ter-ror-ists`` -> ``terrorists``; compounds kept."""
    if "-" not in text:
        return text, None  # no hyphenated word: skip the regular expression
    delete: set[int] = set()
    for m in _HYPHENATED.finditer(text):
        if _is_filter_broken(m.group()):
            delete.update(m.start() + k for k, ch in enumerate(m.group()) if ch == "-")
    return _drop(text, delete)


# Horizontal space before closing punctuation, as left by translation tools: ``Syria ,``,
# ``now .``, ``Daesh !!``. Not before ``.5`` or ``,000`` (a number), and not at a line start.
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[^\s]) +(?=[,.;:!?](?!\d))")


def _remove_space_before_punctuation(text: str) -> tuple[str, list[int] | None]:
    delete: set[int] = set()
    for m in _SPACE_BEFORE_PUNCT.finditer(text):
        delete.update(range(m.start(), m.end()))
    return _drop(text, delete)


# End punctuation glued to the next sentence: ``Daesh.The``. The capital must begin a word of
# lowercase letters so that ``U.S.`` and ``U.N.`` stay intact.
_GLUED_SENTENCE = re.compile(r"(?<=[^\W_])[.!?]+(?=[A-Z][a-z])")


def _insert_space_after_sentence_end(text: str) -> tuple[str, list[int] | None]:
    out: list[str] = []
    offsets: list[int] = []
    prev = 0
    for m in _GLUED_SENTENCE.finditer(text):
        # The word before the period: a web address or e-mail (``www.Example.com``) or an
        # abbreviation with inner periods is not a sentence end. A space inserted before this
        # word counts as a word break, as it will when the repaired text is repaired again.
        word_start = max(
            text.rfind(" ", 0, m.start()) + 1, text.rfind("\n", 0, m.start()) + 1, prev
        )
        before = text[word_start : m.start()].lower()
        if "/" in before or "@" in before or before.startswith("www") or "." in before:
            # A URL, an address, or an abbreviation with inner periods such as ``e.g``.
            continue
        out.append(text[prev : m.end()])
        offsets.extend(range(prev, m.end()))
        # The inserted space maps to the character that follows it in the original.
        out.append(" ")
        offsets.append(m.end())
        prev = m.end()
    if not out:
        return text, None
    out.append(text[prev:])
    offsets.extend(range(prev, len(text) + 1))
    return "".join(out), offsets


# Runs of spaces collapse to one; spaces at the start or end of a line go.
_SPACE_RUN = re.compile(r" {2,}|(?<=\n) +| +(?=\n)|^ +| +$")


def _collapse_spaces(text: str) -> tuple[str, list[int] | None]:
    if not (
        "  " in text or "\n " in text or " \n" in text or text.startswith(" ") or text.endswith(" ")
    ):
        # Nothing _SPACE_RUN can match (substring tests are much faster than its alternation).
        return text, None
    delete: set[int] = set()
    for m in _SPACE_RUN.finditer(text):
        keep_one = m.group().startswith("  ") and m.start() > 0 and m.end() < len(text)
        keep_one = keep_one and text[m.start() - 1] != "\n" and text[m.end()] != "\n"
        delete.update(range(m.start() + (1 if keep_one else 0), m.end()))
    return _drop(text, delete)


def _drop(text: str, delete: set[int]) -> tuple[str, list[int] | None]:
    """Remove the characters at the given indexes, keeping the index map (None: unchanged)."""
    if not delete:
        return text, None
    parts: list[str] = []
    offsets: list[int] = []
    prev = 0
    for i in sorted(delete):
        parts.append(text[prev:i])
        offsets.extend(range(prev, i))
        prev = i + 1
    parts.append(text[prev:])
    offsets.extend(range(prev, len(text) + 1))
    return "".join(parts), offsets


# Order matters: characters are normalised before anything looks at spaces; filter hyphens are
# joined before a glued sentence end is split (``.Ter-ror-ists``); spaces before punctuation go
# before a missing space is inserted (``Daesh .The`` -> ``Daesh.The`` -> ``Daesh. The``);
# collapsing runs of spaces comes last, after the other passes removed some.
_PASSES: tuple[_Pass, ...] = (
    _normalise_characters,
    _join_filter_hyphens,
    _remove_space_before_punctuation,
    _insert_space_after_sentence_end,
    _collapse_spaces,
)


def repair(text: str) -> Repaired:
    """Repair ``text`` for the NLP pipeline and map every repaired character to the original."""
    current = text
    offsets: list[int] | None = None
    for step in _PASSES:
        current, step_offsets = step(current)
        if step_offsets is not None:
            offsets = step_offsets if offsets is None else [offsets[j] for j in step_offsets]
    if offsets is None:
        return Repaired(current, tuple(range(len(text) + 1)))
    return Repaired(current, tuple(offsets))


def normalise_for_id(text: str) -> str:
    """The repaired text with all whitespace collapsed to single spaces and stripped.

    Two copies of one document that differ only in line endings, trailing whitespace, blank
    lines or encoding get the same normalised form, hence the same id.
    """
    return " ".join(repair(text).text.split())
