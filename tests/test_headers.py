"""Headers as reports write them: title, byline, date lines and wire datelines in any order.

Every opening below is one we invented for these tests (no line of any real report or data set);
each names the title, the author, the publication date and the first words of the body that the
header reader must find. The property tests feed it any text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from harbinger.errors import KnowledgeError
from harbinger.ingest import parse_date_line, parse_header, parse_text
from harbinger.knowledge import theatre_dir
from harbinger.knowledge.headers import load_header_words, read_header_words

D = dt.date
T = "Militants torch wheat fields east of Tikrit"  # a title used where the title is not the point
BODY = "Farmers in two villages said fires were set overnight."

# (text, title, author, published, the body's first words)
FORMS: list[tuple[str, str | None, str | None, dt.date | None, str]] = [
    # --- bylines -------------------------------------------------------------------------------
    (f"{T}\n\nBy Rana Kadhim\n\n2022-05-14\n\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14), "Farmers"),
    (f"{T}\nBy Rana Kadhim and Idris Mahmoud\n14 May 2022\n{BODY}", T,
     "Rana Kadhim, Idris Mahmoud", D(2022, 5, 14), "Farmers"),
    (f"{T}\nBy Rana Kadhim, Idris Mahmoud and Sara Lund\nMay 14, 2022\n{BODY}", T,
     "Rana Kadhim, Idris Mahmoud, Sara Lund", D(2022, 5, 14), "Farmers"),
    (f"{T}\nBY RANA KADHIM\n2022/05/14\n{BODY}", T, "RANA KADHIM", D(2022, 5, 14), "Farmers"),
    (f"{T}\nReuters\n14 May 2022\n{BODY}", T, "Reuters", D(2022, 5, 14), "Farmers"),
    (f"{T}\nAFP\n2022-05-14\n{BODY}", T, "AFP", D(2022, 5, 14), "Farmers"),
    (f"{T}\nAssociated Press\nMay 14, 2022\n{BODY}", T, "Associated Press", D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nStaff report\n14 May 2022\n{BODY}", T, "Staff report", D(2022, 5, 14), "Farmers"),
    (f"{T}\nStaff writer\n14 May 2022\n{BODY}", T, "Staff writer", D(2022, 5, 14), "Farmers"),
    (f"{T}\nFrom our correspondent\n14 May 2022\n{BODY}", T, "From our correspondent",
     D(2022, 5, 14), "Farmers"),
    (f"{T}\nAgencies\n14 May 2022\n{BODY}", T, "Agencies", D(2022, 5, 14), "Farmers"),
    (f"{T}\nWeb desk\n14 May 2022\n{BODY}", T, "Web desk", D(2022, 5, 14), "Farmers"),
    (f"{T}\nRana Kadhim | Reuters\n14 May 2022\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nRana Kadhim for AFP\n14 May 2022\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nBy Rana Kadhim for The Desert Ledger\n14 May 2022\n{BODY}", T, "Rana Kadhim",
     D(2022, 5, 14), "Farmers"),
    (f"{T}\nBy Rana Kadhim, Staff Writer\n14 May 2022\n{BODY}", T, "Rana Kadhim",
     D(2022, 5, 14), "Farmers"),
    (f"{T}\nBy Staff Reporter\n14 May 2022\n{BODY}", T, "Staff reporter", D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nRana Kadhim | Reuters | 14 May 2022\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nBy Yusuf al-Tikriti\n14 May 2022\n{BODY}", T, "Yusuf al-Tikriti", D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nRana Kadhim\n14 May 2022\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14), "Farmers"),
    (f"{T}\n14 May 2022\n{BODY}", T, None, D(2022, 5, 14), "Farmers"),
    # --- an unknown byline never costs the date -------------------------------------------------
    (f"{T}\nNotes from the Tigris, No. 4\n14 May 2022\n{BODY}", T, None, D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nreporting team in the north\n14 May 2022\n{BODY}", T, None, D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nA standfirst that sums the story up\nBy Rana Kadhim\n14 May 2022\n{BODY}", T,
     "Rana Kadhim", D(2022, 5, 14), "Farmers"),
    # --- date lines -----------------------------------------------------------------------------
    (f"{T}\nBy Rana Kadhim\nMay 14, 2022 9:14 PM GMT\n{BODY}", T, "Rana Kadhim",
     D(2022, 5, 14), "Farmers"),
    (f"{T}\nBy Rana Kadhim\nMay. 14, 2022\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14), "Farmers"),
    (f"{T}\nBy Rana Kadhim\nSept. 4, 2022\n{BODY}", T, "Rana Kadhim", D(2022, 9, 4), "Farmers"),
    (f"{T}\nBy Rana Kadhim\nSaturday, 14 May 2022\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nBy Rana Kadhim\n2022-05-14T18:40:00Z\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nBy Rana Kadhim\n2022 / 5 / 14\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14), "Farmers"),
    (f"{T}\nBy Rana Kadhim\n25/05/2022\n{BODY}", T, "Rana Kadhim", D(2022, 5, 25), "Farmers"),
    (f"{T}\nBy Rana Kadhim\n05/25/2022\n{BODY}", T, "Rana Kadhim", D(2022, 5, 25), "Farmers"),
    # Both orders make a date: no date rather than a guessed month (see text.py).
    (f"{T}\nBy Rana Kadhim\n04/05/2022\n{BODY}", T, "Rana Kadhim", None, "Farmers"),
    (f"{T}\nPublished: 14 May 2022\n{BODY}", T, None, D(2022, 5, 14), "Farmers"),
    (f"{T}\nUpdated: 15 May 2022\nPublished: 14 May 2022\n{BODY}", T, None, D(2022, 5, 14),
     "Farmers"),
    (f"{T}\nPublished: 14 May 2022\nLast updated 15 May 2022 08:02\n{BODY}", T, None,
     D(2022, 5, 14), "Farmers"),
    (f"{T}\nLast updated: 15 May 2022\n{BODY}", T, None, D(2022, 5, 15), "Farmers"),
    (f"{T}\nPosted on 14th May 2022 at 10:30 am\nBy Rana Kadhim\n{BODY}", T, "Rana Kadhim",
     D(2022, 5, 14), "Farmers"),
    # --- any order ------------------------------------------------------------------------------
    (f"{T}\n14 May 2022\nBy Rana Kadhim\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14), "Farmers"),
    (f"By Rana Kadhim\n{T}\n14 May 2022\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14), "Farmers"),
    (f"14 May 2022\n{T}\nBy Rana Kadhim\n{BODY}", T, "Rana Kadhim", D(2022, 5, 14), "Farmers"),
    (f"# {T}\n\nStaff writer | 14 May 2022\n\n{BODY}", T, "Staff writer", D(2022, 5, 14),
     "Farmers"),
    # --- wire datelines -------------------------------------------------------------------------
    (f"{T}\nBy Rana Kadhim\n14 May 2022\nTIKRIT, May 14 (Reuters) - {BODY}", T, "Rana Kadhim",
     D(2022, 5, 14), "Farmers"),
    (f"{T}\n\nTIKRIT, May 14 (Reuters) - {BODY}\n\nIn 2022 the harvest was the largest in years.",
     T, "Reuters", None, "Farmers"),
    (f"{T}\nTIKRIT, Iraq — {BODY}", T, None, None, "Farmers"),
    (f"{T}\nDEIR EZZOR, Syria (AP) — {BODY}", T, "AP", None, "Farmers"),
    (f"{T}\nTIKRIT (Reuters) - {BODY}", T, "Reuters", None, "Farmers"),
    (f"{T}\nTikrit, 14 May 2022 (AFP) — {BODY}", T, "AFP", D(2022, 5, 14), "Farmers"),
    (f"{T}\nTikrit, Iraq, May 14, 2022 (AFP) — {BODY}", T, "AFP", D(2022, 5, 14), "Farmers"),
    (f"TIKRIT, May 14 (Reuters) - {BODY} They had reaped on 12 May 2022 and waited.", None,
     "Reuters", D(2022, 5, 14), "Farmers"),
    (f"{T}\nUpdated: 16 May 2022\nTIKRIT, May 14 (Reuters) - {BODY}", T, "Reuters",
     D(2022, 5, 14), "Farmers"),
    (f"{T}\nUpdated: 3 January 2023\nTIKRIT, Dec. 31 (Reuters) - {BODY}", T, "Reuters",
     D(2022, 12, 31), "Farmers"),
    # An ambiguous numeric date is settled by the day the dateline gives.
    (f"{T}\n04/05/2022\nTIKRIT, May 4 (Reuters) - {BODY}", T, "Reuters", D(2022, 5, 4),
     "Farmers"),
    (f"{T}\n04/05/2022\nTIKRIT, April 5 (Reuters) - {BODY}", T, "Reuters", D(2022, 4, 5),
     "Farmers"),
    # A dateline that names a different day does not override the header's date.
    (f"{T}\n15 May 2022\nTIKRIT, May 14 (Reuters) - {BODY}", T, "Reuters", D(2022, 5, 15),
     "Farmers"),
    # --- no header ------------------------------------------------------------------------------
    (f"{BODY} More fires were reported the next day.\n\nA second paragraph.", None, None, None,
     "Farmers"),
]  # fmt: skip


def _id(form: tuple[str, str | None, str | None, dt.date | None, str]) -> str:
    text = form[0]
    return text.replace(T, "T").replace(BODY, "B")[:60]


@pytest.mark.parametrize(
    ("text", "title", "author", "published", "body"), FORMS, ids=[_id(f) for f in FORMS]
)
def test_header_forms(
    text: str, title: str | None, author: str | None, published: dt.date | None, body: str
) -> None:
    doc = parse_text(text, "x")
    assert (doc.title, doc.author, doc.published) == (title, author, published)
    assert doc.text[doc.body_start :].startswith(body)
    assert doc.text == text


def test_there_are_at_least_forty_forms() -> None:
    assert len(FORMS) >= 40


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("TIKRIT, May 14 (Reuters) -", "TIKRIT, May 14 (Reuters) -"),
        ("Tikrit, 14 May 2022 (AFP) —", "Tikrit, 14 May 2022 (AFP) —"),
        ("DEIR EZZOR, Syria (AP) —", "DEIR EZZOR, Syria (AP) —"),
    ],
)
def test_dateline_is_header_not_body(line: str, expected: str) -> None:
    text = f"{T}\n\n{line} {BODY}"
    header = parse_header(text)
    assert header.dateline == expected
    assert text[header.body_start :] == BODY


@pytest.mark.parametrize(
    "first",
    [
        # Sentences with a dash that are not datelines: the body starts at their first word.
        "Meanwhile, Daesh — weakened but not gone — kept attacking the farms at night.",
        "Islamic State - or what remains of it - still raids villages east of the river.",
        "The attack (claimed by the group) — the third this month — left two dead.",
        "ISIS — The Comeback",
        "Iraq's Prime Minister (PM) - speaking in Baghdad - promised compensation.",
    ],
)
def test_dashes_in_sentences_are_not_datelines(first: str) -> None:
    text = f"{T}\n\n{first}\n\nMore text."
    header = parse_header(text)
    assert header.dateline is None
    assert text[header.body_start :].startswith(first)


def test_titles_in_headline_case_are_not_bylines() -> None:
    header = parse_header("Justice Delayed For Mosul Victims\n\n14 May 2022\n\n" + BODY)
    assert (header.title, header.author) == ("Justice Delayed For Mosul Victims", None)


def test_yearless_dateline_far_from_any_dated_day_gives_no_date() -> None:
    # The only full date in the body is background years before: it does not give the year.
    text = f"{T}\n\nTIKRIT, May 14 (Reuters) - {BODY} The town was retaken on 20 July 2015."
    assert parse_header(text).published is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: Aug. 11, 2019", D(2019, 8, 11)),
        ("Last updated 12 August 2019, 07:15 AST", D(2019, 8, 12)),
        ("Sun, 11 Aug 2019 21:14:00 +0000", D(2019, 8, 11)),
        ("11.08.2019", None),
        ("31/08/2019", D(2019, 8, 31)),
        ("11/08/19", None),
        ("May 5", None),
    ],
)
def test_date_line_forms(line: str, expected: dt.date | None) -> None:
    assert parse_date_line(line) == expected


# --- the knowledge file -------------------------------------------------------------------------


def test_header_words_load_once_and_hold_the_words() -> None:
    words = load_header_words()
    assert load_header_words() is words
    assert words.months["sept"] == 9 and words.weekdays["sun"] == 6
    assert words.agencies["afp"] == "AFP" and "staff report" in words.desks
    assert "last updated" in words.updated_prefixes


def _copy_with(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load((theatre_dir("iraq_syria") / "headers.yaml").read_text("utf-8"))
    data.update(changes)
    path = tmp_path / "headers.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"months": [["january"]]}, r"headers\.yaml: 'months' must list 12 entries"),
        ({"agencies": []}, r"headers\.yaml: 'agencies' must be a non-empty list"),
        ({"desks": ["Staff", True]}, r"headers\.yaml: desks\[1\] must be a phrase \(quote it\)"),
        ({"version": 2}, r"headers\.yaml: 'version' must be 1"),
        (
            {"date_prefixes": {"published": ["posted"], "updated": ["posted"]}},
            r"\['posted'\] are both published and updated",
        ),
    ],
)
def test_a_bad_headers_file_is_a_clear_error(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(KnowledgeError, match=message):
        read_header_words(_copy_with(tmp_path, **changes))


# --- any text -----------------------------------------------------------------------------------

_pieces = st.sampled_from(
    [
        T, "By Rana Kadhim", "Reuters", "Staff report", "Rana Kadhim | AFP", "14 May 2022",
        "Updated: 15 May 2022", "04/05/2022", "TIKRIT, May 14 (Reuters) - ", "DEIR EZZOR (AP) —",
        "Tikrit, Iraq —", BODY, "", "  ", "\r", "—", "(", "By", "May 14",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(_pieces, max_size=10).map("\n".join),
        st.lists(_pieces, max_size=6).map(" ".join),
        st.text(max_size=200),
    )
)
def test_any_text_gives_a_document_with_offsets_in_range(text: str) -> None:
    doc = parse_text(text, "x")
    assert doc.text == text
    assert 0 <= doc.body_start <= len(text)
    assert doc.title is None or doc.title.strip() == doc.title != ""
    assert doc.author is None or doc.author.strip() == doc.author != ""
    assert doc.published is None or 1900 <= doc.published.year <= 2100
    # Nothing but the header lies before the body: the body never starts inside a word.
    assert doc.body_start in (0, len(text)) or not text[doc.body_start - 1].isalnum()


# --- reports the old header reader did not know now get their events dated ----------------------

REPORTS = [
    # A wire report: two people in the byline, a date line with its weekday, a dateline of the
    # day of filing and the event "late on Monday" (the old reader took the dateline's day).
    pytest.param(
        "Militants kill four soldiers in ambush near Kirkuk\n\n"
        "By Hana Qasim and Tom Ardell\n\nTuesday, 3 March 2020\n\n"
        "KIRKUK, March 3 (Reuters) - Islamic State militants killed four Iraqi soldiers in an "
        "ambush south-west of Kirkuk late on Monday, two security officials said.\n",
        "Hana Qasim, Tom Ardell",
        D(2020, 3, 2),
        id="wire-late-on-monday",
    ),
    # A desk byline the old reader stopped at, losing the date line after it.
    pytest.param(
        "Gunmen attack checkpoint west of Samarra\nStaff report\n14 April 2021\n"
        "Islamic State militants attacked an army checkpoint west of Samarra in Salah al-Din on "
        "Tuesday, killing two soldiers, a police officer said.\n",
        "Staff report",
        D(2021, 4, 13),
        id="staff-report",
    ),
    # A dateline without a year, an "Updated" line two days later: the dateline's day (the
    # Tuesday) is the day of publication and "on Monday" the day before.
    pytest.param(
        "Roadside bomb hits convoy near Mosul\n\nUpdated: June 10, 2021 8:05 AM GMT\n\n"
        "MOSUL, June 8 (AFP) — A roadside bomb planted by Islamic State militants struck a convoy "
        "of the Popular Mobilization Forces west of Mosul on Monday, killing three fighters, "
        "officials said.\n",
        "AFP",
        D(2021, 6, 7),
        id="dateline-without-year",
    ),
]


@pytest.mark.parametrize(("text", "author", "date"), REPORTS)
def test_reports_with_new_headers_get_dated_events(text: str, author: str, date: dt.date) -> None:
    from tests.helpers import coder

    doc = parse_text(text, "x")
    assert doc.author == author
    coded = coder().code(doc)
    assert coded.events, "the report's event was not coded"
    for event in coded.events:
        assert (event.date, event.time_precision) == (date, 1)
        assert not event.notes.startswith(", ")
        assert event.notes.startswith(f"On {date.day} {date:%B %Y}, ")
        # Evidence stays on the original text, inside the body (after the dateline).
        for span in event.evidence:
            assert doc.body_start <= span.start <= span.end <= len(doc.text)
