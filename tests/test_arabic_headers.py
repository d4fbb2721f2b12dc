"""Headers of Arabic reports read by ``ingest/text.py``: a wire dateline alone on its line above
the date line, the Arabic comma wherever the header grammar takes a comma, and the date a report
with no date line gives as today's in its lead; the English sentence splitter's guard for a
"sentence" that is only a period (``extract/coder.py``); and Arabic date lines of both calendars
(``knowledge/headers.read_arabic_date_line``) and the double month names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from harbinger.errors import KnowledgeError
from harbinger.ingest import parse_header
from harbinger.ingest.text import parse_date_line, parse_text
from harbinger.knowledge import theatre_dir
from harbinger.knowledge.headers import load_header_words, read_arabic_date_line, read_header_words
from tests.helpers import coder

BODY = "قتل خمسة جنود في هجوم لداعش على نقطة تفتيش قرب كركوك."


@pytest.mark.parametrize(
    ("dateline", "author"),
    [
        ("بغداد - رويترز", "رويترز"),
        ("الموصل، العراق - رويترز", "رويترز"),
        ("BAGHDAD - Reuters", "Reuters"),
    ],
)
def test_a_dateline_alone_above_the_date_line_is_header(dateline: str, author: str) -> None:
    text = f"عنوان التقرير\n\n{dateline}\n\nالأحد 24 كانون الثاني 2021\n\n{BODY}\n"
    info = parse_header(text)
    assert info.published == dt.date(2021, 1, 24)
    assert info.author == author and info.dateline == dateline
    assert text[info.body_start :].startswith("قتل")  # the date line is not in the body


def test_a_dateline_alone_before_the_body_still_starts_it() -> None:
    text = f"عنوان\n\nبغداد - رويترز\n\n{BODY}\n"
    info = parse_header(text)
    assert info.author == "رويترز" and text[info.body_start :].startswith("قتل")


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("الأحد، 24 كانون الثاني، 2021", dt.date(2021, 1, 24)),
        ("24 كانون الثاني، 2021", dt.date(2021, 1, 24)),
        ("نشر في، 3 آذار 2019", dt.date(2019, 3, 3)),
        ("الخميس، 2019/3/7", dt.date(2019, 3, 7)),
    ],
)
def test_the_arabic_comma_is_a_comma(line: str, date: dt.date) -> None:
    assert parse_date_line(line) == date


def test_bylines_joined_by_the_arabic_comma() -> None:
    text = f"عنوان\n\nبقلم: علي حسين، سارة أحمد\n\n2021/1/24\n\n{BODY}\n"
    assert parse_header(text).author == "علي حسين, سارة أحمد"


def test_the_lead_gives_the_publication_date_as_today() -> None:
    text = (
        "قسد تسيطر على الرقة\n\nالرقة (رويترز) - أعلنت قوات سوريا الديمقراطية، اليوم الثلاثاء "
        "17 تشرين الأول 2017، السيطرة على مدينة الرقة.\n"
    )
    assert parse_header(text).published == dt.date(2017, 10, 17)


def test_a_date_in_the_lead_that_is_not_today_is_not_the_publication_date() -> None:
    text = (
        "ذكرى تحرير الموصل\n\nالموصل (رويترز) - في 10 تموز 2017 أعلنت الحكومة تحرير الموصل "
        "من تنظيم داعش.\n"
    )
    assert parse_header(text).published is None


def test_a_sentence_that_is_only_a_period_is_split_without_error() -> None:
    # The English splitter mends "Lt." and "Gen." by looking at the word before a period; a
    # lone "." has none (it raised IndexError).
    text = "Title\n\n.\n\n.\n\nGunmen killed two shepherds near Rutba on Monday.\n"
    coded = coder().code(parse_text(text, "period.txt"))
    assert [e.sub_event_type for e in coded.events] == ["Attack"]
    assert coded.events[0].fatalities == 2


@pytest.mark.parametrize(
    ("line", "agency"),
    [
        # Arabic has no capitals: a short Arabic name in brackets is an agency by its shape.
        ("السليمانية (روداو نيوز) - ", "روداو نيوز"),
        ("القامشلي (نورث برس 2) - ", "نورث برس 2"),
        # A country in brackets after the place, then the agency.
        ("منبج (سوريا) (أ ف ب) - ", "أ ف ب"),
    ],
)
def test_arabic_wire_datelines_with_an_agency_in_brackets(line: str, agency: str) -> None:
    text = f"عنوان\n\n2021-12-03\n\n{line}{BODY}\n"
    info = parse_header(text)
    assert info.author == agency
    assert text[info.body_start :].startswith("قتل")


def test_an_english_dateline_with_a_country_in_brackets() -> None:
    text = "Title\n\n3 February 2022\n\nAtmeh (Syria) (AFP) - The leader was killed in a raid.\n"
    info = parse_header(text)
    assert info.author == "AFP" and text[info.body_start :].startswith("The leader")


@pytest.mark.parametrize(
    ("dateline", "author"),
    [("بغداد - واع", "واع"), ("دمشق – سانا", "سانا"), ("القامشلي - هاوار", "هاوار")],
)
def test_short_arabic_agencies_make_a_dateline_line(dateline: str, author: str) -> None:
    # Above the date line or between it and the body, the line is the dateline, not the body.
    for text in (
        f"عنوان\n\n{dateline}\n\nالأحد 24 كانون الثاني 2021\n\n{BODY}\n",
        f"عنوان\n\nالأحد 24 كانون الثاني 2021\n\n{dateline}\n\n{BODY}\n",
    ):
        info = parse_header(text)
        assert info.published == dt.date(2021, 1, 24) and info.author == author
        assert text[info.body_start :].startswith("قتل")


def test_a_dateline_glued_to_its_agency_stays_in_the_body() -> None:
    # "حمص-سانا" (a hyphen, no spaces) is read by the Arabic coder, not by the header reader: a
    # hyphen without a space is no dateline's dash ("Deir ez-Zor").
    text = f"عنوان\n\nالأحد 24 كانون الثاني 2021\n\nحمص-سانا {BODY}\n"
    info = parse_header(text)
    assert text[info.body_start :].startswith("حمص-سانا")
    (event,) = coder().code(parse_text(text, "glued.txt")).events
    assert event.place is not None and event.place.admin1_code == "IQ-KI"  # Kirkuk, not Homs


# -- Arabic date lines of both calendars (knowledge/headers.py) ---------------------------------


@pytest.mark.parametrize(
    ("line", "date"),
    [
        # The Hijri date beside the Gregorian one, before or after it, with or without "الموافق".
        ("الأحد - 17 رجب 1440 هـ - 24 مارس 2019 مـ", dt.date(2019, 3, 24)),
        ("الأربعاء 5 ذو الحجة 1443 هـ الموافق 6 تموز 2022", dt.date(2022, 7, 6)),
        ("6 تموز 2022 م الموافق 7 ذي الحجة 1443 هـ", dt.date(2022, 7, 6)),
        ("السبت، 1 ربيع الأول 1442 هجري - 17 أكتوبر 2020 ميلادي", dt.date(2020, 10, 17)),
        ("الخميس 1 محرم 1445 / 20 يوليو 2023", dt.date(2023, 7, 20)),
        ("الاثنين 12 شوال 1444هـ - 01 مايو 2023م", dt.date(2023, 5, 1)),
        # Arabic-Indic digits, a numeric date day first as Arabic writes it.
        ("الجمعة ٢١ محرم ١٤٤١ هـ - ٢٠/٩/٢٠١٩", dt.date(2019, 9, 20)),
        ("٠٣/٠٨/٢٠١٥", dt.date(2015, 8, 3)),
        ("04/08/2014", dt.date(2014, 8, 4)),
        ("2021/11/26", dt.date(2021, 11, 26)),
        # One month in both systems, in either order, with a space, a slash or brackets.
        ("الثلاثاء 10 سبتمبر أيلول 2019", dt.date(2019, 9, 10)),
        ("10 أيلول سبتمبر 2019", dt.date(2019, 9, 10)),
        ("3 شباط/ فبراير 2020", dt.date(2020, 2, 3)),
        ("3 آذار (مارس) 2021", dt.date(2021, 3, 3)),
        # A clock time and a prefix.
        ("نشر في: 21 كانون الثاني/يناير 2021 - 19:45", dt.date(2021, 1, 21)),
        ("الخميس، 21 كانون الثاني 2021 - 10:20", dt.date(2021, 1, 21)),
    ],
)
def test_arabic_date_lines_of_both_calendars(line: str, date: dt.date) -> None:
    assert read_arabic_date_line(load_header_words(), line) == date


@pytest.mark.parametrize(
    "line",
    [
        "17 رجب 1440 هـ",  # a Hijri date alone is not converted
        "القامشلي: «الشرق الأوسط»",
        "قتل خمسة جنود في 3 آذار 2019",  # a sentence, not a date line
        "3 آذار 2019 - 5 نيسان 2019",  # two Gregorian dates: no one date
        "31/02/2020",
    ],
)
def test_what_is_no_arabic_date_line(line: str) -> None:
    assert read_arabic_date_line(load_header_words(), line) is None


def test_the_double_month_names_reach_the_header_reader() -> None:
    # The pairs are made by the loader, so the ingest stage's own grammar reads them.
    assert parse_date_line("الثلاثاء 10 سبتمبر أيلول 2019") == dt.date(2019, 9, 10)
    assert parse_date_line("10 أيلول / سبتمبر 2019") == dt.date(2019, 9, 10)
    assert parse_date_line("May 5, 2019") == dt.date(2019, 5, 5)  # English as before


def test_a_malformed_hijri_month_list_is_refused(tmp_path: Path) -> None:
    source = theatre_dir("iraq_syria") / "headers.yaml"
    broken = source.read_text(encoding="utf-8").replace("    - [شوال]\n", "", 1)
    path = tmp_path / "headers.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="hijri_months"):
        read_header_words(path)
