"""Dates resolved against the publication date, with ACLED's time precision."""

from __future__ import annotations

import datetime as dt

import pytest

from harbinger.extract.dates import best_date, find_dates

SUNDAY = dt.date(2019, 8, 11)


def test_weekday_with_written_date_takes_the_written_date() -> None:
    hits = find_dates("Iraqi forces on Sunday (July 21st) conducted operations", SUNDAY)
    best = best_date(hits)
    assert best is not None and (best.date, best.precision) == (dt.date(2019, 7, 21), 1)


def test_weekday_named_on_its_own_day_is_that_day() -> None:
    (hit,) = find_dates("The army said on Sunday that", SUNDAY)
    assert hit.date == SUNDAY


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("Saturday", dt.date(2019, 8, 10)),
        ("Monday", dt.date(2019, 8, 5)),
        ("Friday", dt.date(2019, 8, 9)),
    ],
)
def test_weekday_is_the_last_such_day_before_publication(day: str, expected: dt.date) -> None:
    (hit,) = find_dates(f"clashes erupted on {day} near the town", SUNDAY)
    assert (hit.date, hit.precision) == (expected, 1)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("on 21 January 2021 at dawn", dt.date(2021, 1, 21), 1),
        ("on January 21, 2021", dt.date(2021, 1, 21), 1),
        ("reported on 2021-01-21", dt.date(2021, 1, 21), 1),
        ("yesterday", dt.date(2021, 1, 21), 1),
        ("in early January", dt.date(2021, 1, 1), 3),
        ("last month", dt.date(2020, 12, 15), 3),
        ("in December 2017", dt.date(2017, 12, 15), 3),
    ],
)
def test_shapes(text: str, expected: dt.date, precision: int) -> None:
    best = best_date(find_dates(text, dt.date(2021, 1, 22)))
    assert best is not None and (best.date, best.precision) == (expected, precision)


def test_last_week_is_the_middle_of_that_week() -> None:
    best = best_date(find_dates("fighting last week", SUNDAY))
    assert best is not None and best.precision == 2
    assert best.date.weekday() == 3 and best.date < SUNDAY - dt.timedelta(days=6)


def test_future_dates_modal_may_and_no_publication_date() -> None:
    assert find_dates("elections on 3 October 2030", SUNDAY) == []
    assert find_dates("the group may return", SUNDAY) == []
    assert find_dates("on Sunday", None) == []


def test_without_publication_date_only_dates_with_a_year() -> None:
    (hit,) = find_dates("On 3 March 2017, drones struck near Mosul on Sunday", None)
    assert (hit.date, hit.precision) == (dt.date(2017, 3, 3), 1)


def _written_dates() -> list[tuple[str, str]]:
    """Written-out dates of every shape the patterns take, some of them no calendar date."""
    import random

    rng = random.Random(7)
    months = ["January", "Feb", "March", "apr.", "May", "June", "July", "Aug", "Sept.", "Oct",
              "November", "dec"]  # fmt: skip
    out: list[tuple[str, str]] = []
    for _ in range(150):
        month, day = rng.choice(months), rng.choice([1, 2, 9, 10, 21, 28, 29, 30, 31])
        suffix = rng.choice(["", "st", "th"])
        year = rng.choice(["", ", 2019", " 2016", " 2024", ", 2020"])
        out.append(("mdy", f"{month} {day}{suffix}{year}"))
        out.append(("dmy", f"{day}{suffix} {rng.choice(['', 'of '])}{month}{year}"))
    out += [("iso", "2019-07-21"), ("iso", "2019-02-30"), ("mdy", "Feb 29"), ("dmy", "29 Feb 2020")]
    return out


@pytest.mark.parametrize(
    "published", [dt.date(2019, 8, 11), dt.date(2020, 2, 29), dt.date(2021, 1, 1)]
)
def test_written_dates_are_read_as_dateparser_reads_them(published: dt.date) -> None:
    from harbinger.extract.dates import _PATTERNS, _explicit_date, _parse_explicit

    patterns = dict(_PATTERNS)
    checked = 0
    for kind, text in _written_dates():
        match = patterns[kind].fullmatch(text)
        if match is None:
            continue  # not a shape the patterns take, so never read
        checked += 1
        assert _explicit_date(kind, text, published) == _parse_explicit(text, published), text
    assert checked > 250


# --- weekdays as news writes them, against the publication date -------------------------------

TUESDAY = dt.date(2019, 8, 13)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Militants attacked the post on Monday, officials said.", dt.date(2019, 8, 12)),
        ("Gunmen struck late on Sunday near the river.", dt.date(2019, 8, 11)),
        ("A bomb went off on Monday night in the market.", dt.date(2019, 8, 12)),
        ("The raid began early Tuesday, residents said.", TUESDAY),
        ("Shelling resumed on Tuesday afternoon.", TUESDAY),  # the day of publication itself
        ("Clashes broke out on Wednesday.", dt.date(2019, 8, 7)),  # the one before publication
        ("In the early hours of Saturday, drones hit a depot.", dt.date(2019, 8, 10)),
        ("Fighting went on overnight Thursday.", dt.date(2019, 8, 8)),
    ],
)
def test_weekday_forms_resolve_against_publication(sentence: str, expected: dt.date) -> None:
    best = best_date(find_dates(sentence, TUESDAY))
    assert best is not None and (best.date, best.precision) == (expected, 1)


def test_wire_dateline_is_header_so_the_weekday_dates_the_event() -> None:
    # The dateline's day (the day of filing) was read as the event's day while it sat in the
    # body; as header it sets the publication date, and "late on Monday" is the Monday before.
    from harbinger.ingest import parse_text

    text = (
        "Convoy hit west of Ramadi\n\nPublished: 13 August 2019\n\n"
        "RAMADI, Iraq, Aug. 13 (Reuters) - A roadside bomb hit an army convoy west of Ramadi "
        "late on Monday, two officers said."
    )
    doc = parse_text(text, "x")
    assert doc.published == TUESDAY
    body = doc.text[doc.body_start :]
    assert body.startswith("A roadside bomb")
    best = best_date(find_dates(body, doc.published))
    assert best is not None and best.date == dt.date(2019, 8, 12)
    # Had the dateline stayed in the body, its written day would have won over the weekday.
    stale = best_date(find_dates(text.split("\n\n")[2], doc.published))
    assert stale is not None and stale.date == TUESDAY


def test_weekday_without_publication_date_is_no_date() -> None:
    assert find_dates("Militants attacked late on Monday.", None) == []
