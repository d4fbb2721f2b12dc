"""Arabic in the PDF report: shaped (joined letters) and in display order, English untouched."""

from __future__ import annotations

import datetime as dt
import unicodedata
import warnings
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from harbinger.records import CodedDocument, Evidence, Place
from harbinger.report import collect, write_report
from harbinger.report.figures import FONT
from harbinger.report.pdf import pdf_pages, wrap
from harbinger.report.rtl import display, drawn, has_arabic
from harbinger.store import Store
from tests.conftest import RecordFactory

MOSUL_AR = Place("الموصل", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.34, 43.13, 1)


def _is_form(ch: str) -> bool:
    """A presentation form (the joined shape of a letter), not a letter of the base block."""
    return 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF


def test_pure_arabic_is_joined_and_reversed() -> None:
    out = display("قتل جنود")
    assert all(_is_form(ch) for ch in out.replace(" ", ""))
    # Read right to left: the last word is drawn first, each word from its last letter.
    assert out.split(" ") == [display("جنود"), display("قتل")]
    assert [unicodedata.name(ch) for ch in display("قتل")] == [
        "ARABIC LETTER LAM FINAL FORM",
        "ARABIC LETTER TEH MEDIAL FORM",
        "ARABIC LETTER QAF INITIAL FORM",
    ]


def test_numbers_keep_their_place_and_order() -> None:
    assert display("قتل 5 جنود") == f"{display('جنود')} 5 {display('قتل')}"
    out = display("قتل 25 جنديا و1,250 مدنيا")
    assert "25" in out and "52" not in out and "1,250" in out
    assert out.index("1,250") < out.index("25 ")  # the later number stands further left


def test_mixed_arabic_and_english() -> None:
    # An Arabic line: the Latin word keeps its letters' order, the Arabic runs around it swap.
    assert display("هاجم ISIS الموصل") == f"{display('الموصل')} ISIS {display('هاجم')}"
    # A line opening in Latin letters reads left to right; its Arabic run is reversed in place,
    # with the number after it (a number after Arabic letters belongs to the Arabic run).
    assert display("ISIS in الموصل") == f"ISIS in {display('الموصل')}"
    assert display("ISIS in الموصل 2019") == f"ISIS in 2019 {display('الموصل')}"
    # Brackets in a right-to-left run are mirrored, so they still open before the words.
    assert display("هجوم (داعش)") == f"({display('داعش')}) {display('هجوم')}"


@pytest.mark.parametrize(
    "text", ["", "Clashes near Mosul (Nineveh) [2019]", "1,000 killed; $x$ 50%", "a\nb  c "]
)
def test_english_is_unchanged(text: str) -> None:
    assert not has_arabic(text)
    assert display(text) is text and drawn(text) is text


def _laid_out(text: str) -> str:
    """The characters matplotlib draws for ``text``, left to right, presentation forms folded to
    their letters (libraqm draws an isolated letter with the base letter's glyph where ``display``
    gives its isolated form: the same shape)."""
    from matplotlib._text_helpers import layout  # the layout every backend uses

    font = FT2Font(font_manager.findfont(font_manager.FontProperties(family=FONT)))
    char_of = {glyph: code for code, glyph in font.get_charmap().items()}
    laid = "".join(
        chr(char_of[i.glyph_index]) for i in sorted(layout(text, font), key=lambda i: i.x)
    )
    return unicodedata.normalize("NFKC", laid)


def test_matplotlib_draws_the_arabic_in_display_order() -> None:
    """Whichever matplotlib is installed (libraqm shapes and reorders since 3.11, earlier ones draw
    characters as given), ``drawn(text)`` comes out in ``display(text)``'s order: never reversed
    twice."""
    for text in ("قتل 5 جنود", "هاجم ISIS الموصل"):
        assert _laid_out(drawn(text)) == unicodedata.normalize("NFKC", display(text))


@pytest.mark.parametrize(
    "text",
    [
        "ISIS in الموصل 2019",
        "هجوم (داعش) في 2020/5/2 قتل 1,000",
        "\u201cقال المسؤول إن التنظيم\u201d",
        "قتل 25 جنديا و1,250 مدنيا",
        "Army هاجم [x] 5 بلدات",
    ],
)
def test_the_order_agrees_with_libraqm(text: str) -> None:
    """Where matplotlib lays text out with libraqm (a full bidi implementation), its visual order
    of the logical text is ``display``'s, letter for letter."""
    from matplotlib import ft2font

    if not hasattr(ft2font, "__libraqm_version__"):
        pytest.skip("this matplotlib has no libraqm to compare with (3.11 and later have it)")
    assert _laid_out(text) == unicodedata.normalize("NFKC", display(text))


def test_lines_break_at_the_logical_words() -> None:
    text = " ".join(["قتل خمسة جنود في هجوم على الموصل"] * 4)
    lines = wrap(text, 1.5, 9.0)
    assert len(lines) > 2
    assert " ".join(lines) == text  # logical order kept; each line is turned when drawn


def test_a_report_with_arabic_draws_it_without_a_warning(
    fresh_db: Store, make: RecordFactory, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    sentence = "قتل 5 جنود عراقيين في هجوم شنه تنظيم داعش على الموصل"
    doc = make.document("Body. " + sentence, title="هجوم على الموصل")
    event = make.event(
        doc.id,
        place=MOSUL_AR,
        fatalities=5,
        evidence=(Evidence(sentence, 6, 6 + len(sentence)),),
    )
    claim = make.claim(
        doc.id, speaker="محافظ نينوى", text="التنظيم ما زال يشكل خطرا", place=MOSUL_AR
    )
    fresh_db.save(make.coded(events=0, claims=0, indicators=0))  # an English one beside it
    fresh_db.save(CodedDocument(doc, (event,), (claim,)))
    since, until = dt.date(2019, 7, 1), dt.date(2019, 8, 31)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = write_report(fresh_db, tmp_path / "ar.pdf", since=since, until=until)
        pages = pdf_pages(collect(fresh_db, since=since, until=until))
    assert [str(w.message) for w in caught] == []
    out_text, err = capfd.readouterr()
    assert err == "" and out_text == ""
    assert out.read_bytes().startswith(b"%PDF")
    drawn_texts = [t.get_text() for page in pages for t in page.findobj(Text)]
    for words in ("محافظ نينوى", "التنظيم ما زال يشكل خطرا"):
        assert any(drawn(words) in t for t in drawn_texts), words
