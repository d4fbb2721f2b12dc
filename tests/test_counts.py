"""Counts coded as ACLED codes fatalities: conservative value, low/high, vague quantities."""

from __future__ import annotations

import pytest

from harbinger.extract.counts import CountReader
from harbinger.knowledge import load_theatre


@pytest.fixture(scope="module")
def reader() -> CountReader:
    return CountReader(load_theatre().numbers)


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("15 members", 15, None, None),
        ("about 50000 fighters", 50000, None, None),
        ("about 50,000 fighters", 50000, None, None),
        ("at least 32 people", 32, 32, None),
        ("up to 40 people", 40, None, 40),
        ("between 30 and 35 people", 30, 30, 35),
        ("between 14,000 and 18,000 fighters", 14000, 14000, 18000),
        ("nine militants", 9, None, None),
        ("twenty-five soldiers", 25, None, None),
        ("dozens of militants", 12, None, None),
        ("tens of fighters", 10, None, None),
        ("hundreds of civilians", 100, None, None),
        ("1.5 million people", 1_500_000, None, None),
    ],
)
def test_figures(
    reader: CountReader, text: str, value: int, low: int | None, high: int | None
) -> None:
    (count,) = reader.find(text)
    assert (count.value, count.low, count.high) == (value, low, high)


@pytest.mark.parametrize(
    "text",
    ["on July 21st", "in 2019 the group", "at 10:30", "on 3 August", "a 5 km road", "40 percent"],
)
def test_not_counts(reader: CountReader, text: str) -> None:
    assert reader.find(text) == []


def test_vague_is_marked(reader: CountReader) -> None:
    (count,) = reader.find("several soldiers")
    assert count.vague and count.value == 3
