"""Arabic text handling: the normaliser and its offset map, clitic-aware matching, the script
detector, number words, dates of both month systems and weekday phrases, Arabic headers, and the
words file's validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbinger.errors import KnowledgeError
from harbinger.extract.arabic.dates import ArabicDates
from harbinger.extract.arabic.numbers import ArabicCounts
from harbinger.ingest import parse_header
from harbinger.ingest.reader import iter_content
from harbinger.knowledge import read_yaml, theatre_dir
from harbinger.knowledge.arabic import (
    ArabicPhraseIndex,
    arabic_share,
    detect_language,
    load_arabic_words,
    normalise,
    normalise_phrase,
    parse_arabic_words,
)

# -- normalisation ------------------------------------------------------------------------------


def test_normalise_folds_diacritics_tatweel_letters_and_digits() -> None:
    assert normalise("قُتِلَ").text == "قتل"
    assert normalise("داعـــش").text == "داعش"
    assert normalise("أإآٱ").text == "اااا"
    assert normalise("مدينة ى").text == "مدينه ي"
    assert normalise("مسؤول بريئة").text == "مسوول برييه"
    assert normalise("٢٠٢٢ / ١١ / ١٣").text == "2022 / 11 / 13"
    assert normalise("۱۵").text == "15"  # extended (Persian) digits


def test_offsets_point_at_the_original_characters() -> None:
    text = "هاجم مسلّحو داعـــش القريةَ"
    norm = normalise(text)
    start = norm.text.index("داعش")
    o_start, o_end = norm.original_span(start, start + len("داعش"))
    assert text[o_start:o_end] == "داعـــش"


@given(st.text(alphabet=st.sampled_from("قُتِلَ داعـــش ٣٢ أإآ ىة ﻻ abc.،")))
def test_offset_map_is_monotonic_and_in_range(text: str) -> None:
    norm = normalise(text)
    assert len(norm.offsets) == len(norm.text) + 1
    assert list(norm.offsets) == sorted(norm.offsets)
    assert all(0 <= o <= len(text) for o in norm.offsets)


# -- matching with clitics ----------------------------------------------------------------------


def _index(*phrases: str) -> ArabicPhraseIndex[str]:
    index: ArabicPhraseIndex[str] = ArabicPhraseIndex()
    for p in phrases:
        index.add(p, p)
    return index


@pytest.mark.parametrize(
    ("text", "phrase", "surface"),
    [
        ("هجوم لتنظيم داعش فجرا", "تنظيم داعش", "تنظيم داعش"),
        ("اشتباكات بمحافظة صلاح الدين", "محافظة صلاح الدين", "محافظة صلاح الدين"),
        ("وبالموصل انفجرت عبوة", "الموصل", "الموصل"),
        ("قصف مواقع للجيش العراقي", "الجيش العراقي", "لجيش العراقي"),
        ("قتل أحد عناصره", "عناصر", "عناصره"),
        ("وقع الهجوم ليلا", "هجوم", "الهجوم"),
        ("في مُحافَظَةِ صلاحِ الدين", "محافظة صلاح الدين", "مُحافَظَةِ صلاحِ الدين"),
    ],
)
def test_phrases_match_through_clitics(text: str, phrase: str, surface: str) -> None:
    hits = _index(phrase).find(text)
    assert [(h.text, h.payloads) for h in hits] == [(surface, (phrase,))]


def test_matching_keeps_word_boundaries_and_prefers_the_longest() -> None:
    index = _index("داعش", "تنظيم داعش", "الدين")
    assert [h.payloads[0] for h in index.find("لتنظيم داعش")] == ["تنظيم داعش"]
    assert index.find("المتدينين") == []  # "الدين" is no part of another word
    assert [h.payloads[0] for h in index.find("الداعشيين")] == ["داعش"]  # an ending, not a word


def test_place_names_take_no_endings() -> None:
    index: ArabicPhraseIndex[str] = ArabicPhraseIndex(suffixes=False)
    index.add("قنوات", "Qanawat")
    assert index.find("عبر قنواته") == []
    assert [h.text for h in index.find("في قنوات")] == ["قنوات"]


# -- language from the script --------------------------------------------------------------------


def test_language_follows_the_script() -> None:
    assert detect_language("قتل 32 مدنيا في بغداد") == "ar"
    assert detect_language("Two killed in Baghdad") == "en"
    assert detect_language("Iraqi army: الجيش") == "en"
    assert arabic_share("1234") == 0.0


def test_reader_marks_an_arabic_text_file() -> None:
    data = "عنوان الخبر\n\nقتل ثلاثة جنود بانفجار عبوة ناسفة في كركوك.".encode()
    (doc,) = list(iter_content(data, "x.txt", suffix=".txt"))
    assert getattr(doc, "language", None) == "ar"
    (eng,) = list(iter_content(b"A title\n\nThree soldiers were killed.", "y.txt", suffix=".txt"))
    assert getattr(eng, "language", None) == "en"


# -- numbers ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def counts() -> ArabicCounts:
    return ArabicCounts(load_arabic_words().numbers)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("خمسة جنود", 5),
        ("خمس نساء", 5),
        ("عشرة", 10),
        ("أحد عشر جنديا", 11),
        ("إحدى عشرة امرأة", 11),
        ("ثلاثة عشر منتسبا", 13),
        ("اثنا عشر", 12),
        ("خمسة وعشرون", 25),
        ("عشرات المدنيين", 10),
        ("٣٢ مدنيا", 32),
        ("جنديان", 2),
        ("ثلاثة آلاف", 3000),
    ],
)
def test_number_words(counts: ArabicCounts, words: str, value: int) -> None:
    tokens = normalise_phrase(words).split()
    number = counts.read(tokens, 0)
    assert number is not None and number.value == value


def test_qualifiers_are_skipped_and_the_figure_kept(counts: ArabicCounts) -> None:
    tokens = normalise_phrase("أكثر من مئة").split()
    start = counts.qualifier_end(tokens, 0)
    number = counts.read(tokens, start)
    assert start == 2 and number is not None and number.value == 100


def test_a_year_or_a_word_is_no_number(counts: ArabicCounts) -> None:
    assert counts.read(["2021"], 0) is None
    assert counts.read(normalise_phrase("الجيش").split(), 0) is None


# -- dates --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dates() -> ArabicDates:
    return ArabicDates(load_arabic_words())


SATURDAY = dt.date(2020, 5, 2)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("وقع الهجوم في 2 أيار 2020", dt.date(2020, 5, 2)),
        ("وقع الهجوم في 2 مايو 2020", dt.date(2020, 5, 2)),
        ("في 27 تشرين الأول", dt.date(2019, 10, 27)),  # the most recent one before publication
        ("بتاريخ 2020 / 5 / 2", dt.date(2020, 5, 2)),
        ("في ١٥ حزيران ٢٠١٩", dt.date(2019, 6, 15)),
        ("فجر اليوم السبت", SATURDAY),
        ("مساء الثلاثاء", dt.date(2020, 4, 28)),
        ("يوم الأحد", dt.date(2020, 4, 26)),
        ("مساء أمس", dt.date(2020, 5, 1)),
        ("أول أمس", dt.date(2020, 4, 30)),
    ],
)
def test_dates_resolve_against_publication(
    dates: ArabicDates, sentence: str, expected: dt.date
) -> None:
    norm = normalise(sentence).text
    best = ArabicDates.best(dates.find(normalise_phrase(sentence).split(), norm, SATURDAY))
    assert best is not None and best.date == expected


def test_an_ambiguous_weekday_needs_a_word_of_time(dates: ArabicDates) -> None:
    # "الأحد" is also "the one", "الاثنين" also "the two".
    norm = normalise_phrase("قتل الاثنين في الهجوم")
    assert dates.find(norm.split(), norm, SATURDAY) == []


# -- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "author", "published"),
    [
        ("بغداد - خاص\n\nالخميس 21 كانون الثاني 2021", None, dt.date(2021, 1, 21)),
        ("المحرر السياسي\n\n١٣ تشرين الثاني ٢٠٢٢", "المحرر السياسي", dt.date(2022, 11, 13)),
        ("بقلم: علي حسين\n\nالسبت، 2 أيار/مايو 2020", "علي حسين", dt.date(2020, 5, 2)),
        ("مراسلنا\n\n2020 / 5 / 2", "مراسلنا", dt.date(2020, 5, 2)),
        ("16 يناير 2019", None, dt.date(2019, 1, 16)),
    ],
)
def test_arabic_headers(header: str, author: str | None, published: dt.date) -> None:
    text = f"عنوان التقرير\n\n{header}\n\nقتل ثلاثة جنود بانفجار عبوة ناسفة في كركوك."
    info = parse_header(text)
    assert info.title == "عنوان التقرير"
    assert info.author == author
    assert info.published == published
    assert text[info.body_start :].startswith("قتل")


def test_wire_dateline_with_an_arabic_agency() -> None:
    text = "عنوان\n\n16 يناير 2019\n\nمنبج (فرانس برس) - فجر انتحاري نفسه قرب مطعم."
    info = parse_header(text)
    assert info.dateline == "منبج (فرانس برس) -"
    assert text[info.body_start :].startswith("فجر")


# -- the words file -----------------------------------------------------------------------------


def test_words_file_is_valid_and_has_both_month_systems() -> None:
    words = load_arabic_words()
    assert words.months[normalise_phrase("أيار")] == words.months[normalise_phrase("مايو")] == 5
    assert words.months[normalise_phrase("كانون الثاني")] == 1
    assert {t.sub_event_type for t in words.triggers} >= {
        "Armed clash",
        "Air/drone strike",
        "Suicide bomb",
        "Remote explosive/landmine/IED",
        "Shelling/artillery/missile attack",
        "Arrests",
        "Abduction/forced disappearance",
        "Attack",
        "Government regains territory",
    }


def test_a_bad_sub_event_type_is_refused_naming_the_file(tmp_path: Path) -> None:
    data = read_yaml(theatre_dir("iraq_syria") / "arabic.yaml")
    data["triggers"][0]["sub_event_type"] = "Skirmish"
    with pytest.raises(KnowledgeError, match=r"bad\.yaml: triggers\[0\].*Skirmish"):
        parse_arabic_words(data, str(tmp_path / "bad.yaml"))


def test_every_month_and_weekday_is_named() -> None:
    data = read_yaml(theatre_dir("iraq_syria") / "arabic.yaml")
    data["weekdays"] = data["weekdays"][:6]
    with pytest.raises(KnowledgeError, match="weekdays"):
        parse_arabic_words(data, "x.yaml")
