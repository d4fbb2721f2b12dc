"""Arabic text made drawable by a renderer that neither shapes nor reorders it.

Matplotlib before 3.11 draws the characters of a string one after the other, left to right, each
in its isolated form: Arabic comes out unjoined and backwards. ``display`` turns a line of
logical text (the order it is read and stored in) into what such a renderer must be given: the
letters shaped into their joined presentation forms (``arabic-reshaper``), then put in display
order, left to right on the page. Matplotlib 3.11 and later lay out text with libraqm, which
shapes and reorders by itself, so ``drawn`` (what the report's drawing code calls) converts only
when the installed matplotlib lacks it: converting twice would reverse the Arabic back.

Text without an Arabic letter is returned unchanged, so English reports are drawn as before.
Wrap the logical text into lines first and convert each line: a line holds the words the reader
reads on it only if it was cut before being reordered.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

__all__ = ["display", "drawn", "has_arabic"]

#: The Arabic blocks: letters, supplement, extended-A, and both presentation-form blocks.
_ARABIC = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")
_STRONG = {"L": 0, "R": 1, "AL": 1}


def has_arabic(text: str) -> bool:
    """Whether ``text`` holds a character of the Arabic script."""
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _ARABIC)


def display(text: str) -> str:
    """``text`` shaped and in display order, line by line; unchanged if it has no Arabic."""
    if not has_arabic(text):
        return text
    return "\n".join(_visual(_shape(line)) for line in text.split("\n"))


def drawn(text: str) -> str:
    """``text`` as the installed matplotlib must be given it: ``display(text)`` if matplotlib does
    not shape and reorder text itself (before 3.11, without libraqm), else ``text``."""
    if not has_arabic(text) or _matplotlib_lays_out():
        return text
    return display(text)


@functools.cache
def _matplotlib_lays_out() -> bool:
    from matplotlib import ft2font

    return hasattr(ft2font, "__libraqm_version__")


@functools.cache
def _reshaper() -> Any:
    import arabic_reshaper  # type: ignore[import-untyped]  # ships no types

    return arabic_reshaper.ArabicReshaper()


def _shape(line: str) -> str:
    return str(_reshaper().reshape(line))


# Hand-written rather than python-bidi, which is LGPL (Harbinger takes no copyleft dependency).
# It is the part of the Unicode bidirectional algorithm (UAX #9) a single line of report text
# needs: the paragraph's direction from its first strong character (rules P2-P3); numbers after
# Arabic letters as Arabic numbers, separators inside a number and terminators next to one taken
# into it, digits after a Latin letter as Latin (W1-W7); neutrals between two characters of one
# direction in that direction, else in the paragraph's (N1-N2); levels (I1-I2); trailing spaces at
# the paragraph's level (L1); runs reversed from the highest level down (L2), so right-to-left runs
# read backwards while Latin words and numbers inside them keep their order; and brackets, angle
# brackets and guillemets mirrored in right-to-left runs (L4). Not covered: explicit embeddings,
# overrides and isolates (LRE, RLO, FSI, ...), bracket pairs (N0), mirrored characters other than
# those above (such as ≤ ≥ ∈), and a text's several paragraphs (each line is one paragraph).
def _visual(line: str) -> str:
    if not line:
        return line
    kinds = [unicodedata.bidirectional(ch) or "L" for ch in line]
    para = next((_STRONG[k] for k in kinds if k in _STRONG), 0)
    sos = "R" if para else "L"
    # W1: a combining mark takes the class of the character before it.
    for i, k in enumerate(kinds):
        if k == "NSM":
            kinds[i] = kinds[i - 1] if i else sos
    # W2-W3: European digits after an Arabic letter are Arabic numbers; Arabic letters are R.
    last = sos
    for i, k in enumerate(kinds):
        if k in _STRONG:
            last = k
        elif k == "EN" and last == "AL":
            kinds[i] = "AN"
    kinds = ["R" if k == "AL" else k for k in kinds]
    # W4: one separator between two numbers of a kind belongs to them ("1,000", "2020/5/2").
    for i in range(1, len(kinds) - 1):
        before, k, after = kinds[i - 1], kinds[i], kinds[i + 1]
        number = before == after == "EN" and k in ("ES", "CS")
        if number or (before == after == "AN" and k == "CS"):
            kinds[i] = before
    # W5: terminators ("%", "$", "#") next to European digits join them.
    for i, k in enumerate(kinds):
        if k == "EN":
            j = i - 1
            while j >= 0 and kinds[j] == "ET":
                kinds[j] = "EN"
                j -= 1
            j = i + 1
            while j < len(kinds) and kinds[j] == "ET":
                kinds[j] = "EN"
                j += 1
    # W6-W7: what separators are left is neutral; European digits after a Latin letter are Latin.
    last = sos
    for i, k in enumerate(kinds):
        if k in ("ES", "CS", "ET", "BN", "B", "S", "WS", "ON"):
            kinds[i] = "ON"
        elif k in ("L", "R"):
            last = k
        elif k == "EN" and last == "L":
            kinds[i] = "L"
        elif k not in ("EN", "AN"):
            kinds[i] = "ON"  # explicit formatting characters: treated as neutrals (not covered)
    # N1-N2: a run of neutrals takes the direction of its two sides if they agree (numbers count
    # as right-to-left), else the paragraph's.
    i = 0
    while i < len(kinds):
        if kinds[i] != "ON":
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] == "ON":
            j += 1
        before = sos if i == 0 else ("L" if kinds[i - 1] == "L" else "R")
        after = sos if j == len(kinds) else ("L" if kinds[j] == "L" else "R")
        side = before if before == after else sos
        kinds[i:j] = [side] * (j - i)
        i = j
    # I1-I2: the levels.
    if para == 0:
        levels = [0 if k == "L" else 1 if k == "R" else 2 for k in kinds]
    else:
        levels = [1 if k == "R" else 2 for k in kinds]
    # L1: trailing white space goes back to the paragraph's level.
    j = len(line)
    while j > 0 and line[j - 1].isspace():
        j -= 1
        levels[j] = para
    # L2: from the highest level to the lowest odd one, reverse every run at that level or above.
    chars = [ch.translate(_MIRRORED) if lv % 2 else ch for ch, lv in zip(line, levels, strict=True)]
    order = list(range(len(chars)))
    lowest_odd = min(lv for lv in levels if lv % 2) if any(lv % 2 for lv in levels) else None
    if lowest_odd is not None:
        for level in range(max(levels), lowest_odd - 1, -1):
            i = 0
            while i < len(order):
                if levels[order[i]] < level:
                    i += 1
                    continue
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
    return "".join(chars[k] for k in order)
