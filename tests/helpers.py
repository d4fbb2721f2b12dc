"""Shared test helpers: where the reference data lives, and one Coder per test session."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from harbinger.extract import Coder
from harbinger.ingest import parse_text
from harbinger.records import Event

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = SHARED / "samples" / "daesh_return_2019-08-11.txt"
EXAMPLES = ROOT / "examples"


@functools.lru_cache(maxsize=1)
def coder() -> Coder:
    return Coder()


#: The header of the short reports tests write: a title, a byline and the publication date.
REPORT_HEADER = "A report for the tests\n\nBy Test Writer\n\n{date}\n\n"


def events_of(body: str, date: str = "12 March 2021") -> list[Event]:
    """The events coded from a short report of the tests: ``body`` under ``REPORT_HEADER``."""
    doc = parse_text(REPORT_HEADER.format(date=date) + body, "test.txt")
    return list(coder().code(doc).events)


def only_event(body: str, date: str = "12 March 2021") -> Event:
    """The one event of a short report (the test fails, naming them, if it codes another count)."""
    events = events_of(body, date)
    assert len(events) == 1, [e.notes for e in events]
    return events[0]


def require(path: Path) -> Path:
    """Skip (with the reason) when a file of ../shared is absent, as on a user's fresh clone."""
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared reference data is not beside this clone)")
    return path
