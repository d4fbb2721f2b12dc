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
