"""Series, baselines and warnings on small histories we construct."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harbinger.analyze.series import fit_baseline, series_points, week_start, weekly_counts
from harbinger.analyze.warnings import WarningSettings, compute_warnings
from harbinger.cli import app
from harbinger.records import Claim, CodedDocument, Document, Event, Evidence, Indicator, Place
from harbinger.store import Store

AS_OF = dt.date(2019, 11, 24)  # a Sunday
NINEVEH = Place("Mosul", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.34, 43.13, 1, "cur:mosul")
ANBAR = Place("Ramadi", "Iraq", "IQ", "Anbar", "IQ-AN", None, 33.42, 43.30, 1, "cur:ramadi")
BADIA = Place("Badia", "Syria", "SY", None, None, None, 34.6, 38.6, 3, "reg:badia")


def _event(n: int, day: dt.date, place: Place, actor1: str = "Islamic State (Iraq)") -> Event:
    return Event(
        id=f"ev-{place.admin1_code}-{n}",
        document_id=f"doc-{place.admin1_code}-{n}",
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        date=day,
        time_precision=1,
        actor1=actor1,
        place=place,
        fatalities=1,
        evidence=(Evidence(f"A roadside bomb exploded near {place.name}.", 0, 10),),
    )


_WORDS = [
    "convoy",
    "patrol",
    "village",
    "checkpoint",
    "market",
    "road",
    "bridge",
    "river",
    "farm",
    "school",
    "mosque",
    "district",
    "town",
    "north",
    "south",
    "east",
    "west",
    "night",
    "morning",
    "fighters",
    "police",
    "army",
    "residents",
    "officials",
    "sources",
    "blast",
    "device",
    "vehicle",
    "truck",
    "border",
    "desert",
    "valley",
    "hill",
    "orchard",
    "well",
    "pump",
    "station",
    "clinic",
    "council",
]


def distinct_text(seed: str, first: str) -> str:
    """A text of its own for each report, so that near-duplicate detection keeps them apart."""
    import random

    rng = random.Random(seed)
    return first + " " + " ".join(rng.choice(_WORDS) for _ in range(40)) + "."


def _save(
    store: Store,
    events: list[Event],
    claims: tuple[Claim, ...] = (),
    indicators: tuple[Indicator, ...] = (),
    published: dt.date | None = None,
) -> None:
    for e in events:
        doc = Document(
            id=e.document_id,
            source=f"{e.document_id}.txt",
            text=distinct_text(e.id, e.evidence[0].sentence),
            published=published or e.date,
        )
        store.save(CodedDocument(doc, (e,)))
    if claims or indicators:
        doc = Document(id="doc-text", source="report.txt", text="A report.", published=published)
        store.save(CodedDocument(doc, (), claims, indicators))


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'w.db'}")
    events = []
    # Nineveh: one event a week for 26 weeks, then 3 a week for the last 4 weeks (a surge).
    start = AS_OF - dt.timedelta(weeks=30) + dt.timedelta(days=1)
    n = 0
    for week in range(30):
        per_week = 1 if week < 26 else 3
        for k in range(per_week):
            n += 1
            events.append(_event(n, start + dt.timedelta(weeks=week, days=2 * k), NINEVEH))
    # Anbar: one event a week throughout (no surge).
    for week in range(30):
        events.append(_event(1000 + week, start + dt.timedelta(weeks=week), ANBAR))
    _save(s, events)
    return s


def test_baseline_and_band() -> None:
    base = fit_baseline([1, 1, 1, 1, 0, 2, 1, 1])
    assert base.mean == pytest.approx(1.0)
    low, high = base.band()
    assert low <= 1 <= high
    # More events are less likely under the same baseline.
    assert base.surprise(12, 4) < base.surprise(6, 4) < base.surprise(4, 4) <= 1.0
    # An overdispersed history makes the same count less surprising than a steady one.
    steady = fit_baseline([2] * 26)
    bursty = fit_baseline([0, 0, 0, 8] * 6 + [0, 4])
    assert steady.mean == pytest.approx(2.0)
    assert bursty.surprise(14, 4) > steady.surprise(14, 4)


def test_weekly_counts_fill_gaps_with_zeros() -> None:
    import pandas as pd

    rows = pd.DataFrame(
        {
            "id": ["a", "b"],
            "week": [week_start(dt.date(2019, 1, 2)), week_start(dt.date(2019, 1, 30))],
            "fatalities": [2, 0],
        }
    )
    counts = weekly_counts(rows, dt.date(2019, 1, 1), dt.date(2019, 2, 3))
    assert counts["events"].tolist() == [1, 0, 0, 0, 1]
    assert counts["fatalities"].tolist() == [2, 0, 0, 0, 0]


def test_series_band_uses_only_earlier_weeks() -> None:
    import pandas as pd

    days = [dt.date(2019, 1, 7) + dt.timedelta(weeks=w) for w in range(30)]
    rows = pd.DataFrame(
        {
            "id": [str(i) for i in range(30)],
            "date": days,
            "week": [week_start(d) for d in days],
            "fatalities": [0] * 30,
        }
    )
    points = series_points(rows, since=days[0])
    assert [p.events for p in points] == [1] * 30
    assert points[0].baseline == 0.0  # nothing before the first week
    assert points[-1].baseline == pytest.approx(1.0)


def test_surge_gives_a_warning_with_evidence(store: Store) -> None:
    found = compute_warnings(store, as_of=AS_OF)
    by_region = {w.region_code: w for w in found}
    assert "IQ-AN" not in by_region  # steady: no warning
    w = by_region["IQ-NI"]
    assert w.level in ("warning", "alert")
    assert w.period_end == AS_OF and (w.period_end - w.period_start).days == 27
    assert w.reason.startswith(
        "12 events in Nineveh in the last 4 weeks, 3.0x the 26-week baseline"
    )
    assert "Islamic State events rising" in w.reason
    assert len(w.event_ids) == 12 and all(e.startswith("ev-IQ-NI") for e in w.event_ids)
    assert w.evidence and "roadside bomb" in w.evidence[0].sentence


def test_no_future_leak_in_warnings(store: Store) -> None:
    before = compute_warnings(store, as_of=AS_OF - dt.timedelta(weeks=5))
    assert all(w.region_code != "IQ-NI" for w in before)  # the surge had not begun


def test_text_signals_raise_at_most_a_watch(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 't.db'}")
    day = dt.date(2019, 8, 11)
    ev = (Evidence("The group is regrouping in the Badia.", 0, 10),)
    claims = tuple(
        Claim(
            f"cl-{i}",
            "doc-text",
            "UN monitors",
            "warning",
            "the group is regrouping",
            about_actor="Islamic State",
            place=BADIA,
            evidence=ev,
        )
        for i in range(3)
    )
    indicators = tuple(
        Indicator(
            f"in-{i}",
            "doc-text",
            "resurgence",
            "regrouping",
            actor="Islamic State",
            place=BADIA,
            evidence=ev,
        )
        for i in range(3)
    )
    _save(s, [], claims, indicators, published=day)
    found = compute_warnings(s, as_of=day)
    assert [(w.region_code, w.level) for w in found] == [("reg:badia", "watch")]
    assert "text signals" in found[0].reason
    assert set(found[0].claim_ids) == {"cl-0", "cl-1", "cl-2"}
    # Text is capped: the same signals with a lower cap raise nothing.
    quiet = WarningSettings(signal_cap=1.0)
    assert compute_warnings(s, as_of=day, settings=quiet) == []


def test_cli_json(store: Store, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["warnings", "--db", store.url, "--as-of", AS_OF.isoformat(), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["as_of"] == AS_OF.isoformat()
    w = payload["warnings"][0]
    assert set(w) == {
        "id",
        "region",
        "region_code",
        "period_start",
        "period_end",
        "level",
        "score",
        "reason",
        "event_ids",
        "claim_ids",
        "indicator_ids",
        "evidence",
    }
    bad = CliRunner().invoke(app, ["warnings", "--db", store.url, "--as-of", "soon"])
    assert bad.exit_code == 2
