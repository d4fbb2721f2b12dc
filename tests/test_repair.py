"""Tests of text repair: each repair, the offset map back to the original, and its properties."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from harbinger.ingest.repair import Repaired, normalise_for_id, repair


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # words broken by profanity/keyword filters
        ("the -dir-ty war", "the dirty war"),
        ("ter-ror-ists struck", "terrorists struck"),
        ("Ter-ror-ists struck", "Terrorists struck"),
        ("ex-tre-mists", "extremists"),
        # spaces before punctuation
        ("Iraq and Syria , where", "Iraq and Syria, where"),
        ("up to now .", "up to now."),
        ("return of Daesh !!", "return of Daesh!!"),
        ("In addition to , the lack", "In addition to, the lack"),
        ("why ? because", "why? because"),
        # a missing space after a sentence end
        ("Daesh .The operations", "Daesh. The operations"),
        ("in 2019.Then", "in 2019. Then"),
        ("now!What", "now! What"),
        # runs of spaces and tabs, odd spaces and invisible characters
        ("a  \t b", "a b"),
        ("no\u00a0break", "no break"),
        ("zero\u200bwidth", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("trailing   \nnext", "trailing\nnext"),
        ("x\r\ny", "x\ny"),
    ],
)
def test_repairs(before: str, after: str) -> None:
    assert repair(before).text == after


@pytest.mark.parametrize(
    "kept",
    [
        "al-Qaeda",
        "Iraqi-Syrian border",
        "Lt.-Gen. Abdul",
        "a well-known figure",
        "Abu Bakr al-Baghdadi",
        "Deir ez-Zor",
        "al-baghdadi",
        "a hit-and-run attack",
        "one-on-one talks",
        "a one-day-old truce",
        "mother-in-law",
        "a so-called caliphate",
        "the state-sponsored campaign",
        "U.S. forces",
        "U.S.Army",
        "see www.Example.com for more",
        "about .5 percent",
        "“quoted words” and ‘single’ ones",
        "line one\n\nline two",
        "تنظيم\u200cداعش",  # a joiner inside Arabic script shapes the letters: kept
    ],
)
def test_left_alone(kept: str) -> None:
    assert repair(kept).text == kept


def test_offsets_of_joined_word_and_inserted_space() -> None:
    original = "the -dir-ty war .Then"
    r = repair(original)
    assert r.text == "the dirty war. Then"
    start = r.text.index("dirty")
    assert r.to_original(start, start + 5) == (5, 11)
    assert original[5:11] == "dir-ty"
    space = r.text.index(". ") + 1
    assert r.offsets[space] == original.index("Then")  # inserted space -> next char
    assert r.to_original(space, space + 1) == (17, 17)  # it covers nothing of the original
    word = r.text.index("war")
    assert r.to_original(word, word + 4) == (12, 17)  # "war." spans the deleted space
    assert original[12:17] == "war ."
    assert r.to_original(word, word + 3) == (12, 15)
    assert r.offsets[-1] == len(original)


def test_to_original_rejects_bad_spans() -> None:
    r = repair("abc")
    with pytest.raises(ValueError):
        r.to_original(2, 5)


def test_normalise_for_id() -> None:
    assert normalise_for_id("  A  title\r\n\r\n\tBody ,  text .  \n") == "A title Body, text."


# --- properties ---------------------------------------------------------------------------------

# Text that exercises the repairs: letters, hyphens, punctuation, spaces of all kinds, newlines,
# invisible characters, Arabic letters and joiners, and anything else Unicode has.
_pieces = st.sampled_from(
    [
        *"aAbTz- .,!?;:\n\r\t\u00a0\u200b\u200c\u200d\u00ad\ufeff\u0628\u062a5“",
        *["ter-ror-ists", "-dir-ty", "al-Qaeda", " .The", "U.S.", "www.x", "  ", "\r\n"],
    ]
)
texts = st.one_of(
    st.lists(_pieces, max_size=40).map("".join),
    st.text(max_size=60),
)


def _inserted(r: Repaired, i: int) -> bool:
    return r.offsets[i] == r.offsets[i + 1]


@settings(max_examples=400, deadline=None)
@given(texts)
@example("Daesh .The -dir-ty  x\u200c\u200cY")
def test_offset_properties(original: str) -> None:
    r = repair(original)
    assert len(r.offsets) == len(r.text) + 1
    assert r.offsets[-1] == len(original)
    assert all(0 <= o <= len(original) for o in r.offsets)
    assert all(a <= b for a, b in zip(r.offsets, r.offsets[1:], strict=False))
    for i, ch in enumerate(r.text):
        source = original[r.offsets[i]] if r.offsets[i] < len(original) else ""
        if ch == source:
            continue
        if ch == " ":
            # A normalised space (tab, no-break space) or a space the repair inserted.
            assert source.isspace() or _inserted(r, i), (i, original, r.text)
        elif ch == "\n":
            assert source in "\r\x0b\x0c\x85\u2028\u2029", (i, original, r.text)
        else:
            raise AssertionError(f"repaired char {ch!r} at {i} != original {source!r}")


@settings(max_examples=400, deadline=None)
@given(texts)
def test_repair_is_idempotent(original: str) -> None:
    once = repair(original).text
    assert repair(once).text == once


@settings(max_examples=200, deadline=None)
@given(texts)
def test_spans_map_into_the_original(original: str) -> None:
    r = repair(original)
    n = len(r.text)
    for start in range(0, n + 1, 3):
        for end in range(start, min(n, start + 7) + 1):
            a, b = r.to_original(start, end)
            assert 0 <= a <= b <= len(original)
