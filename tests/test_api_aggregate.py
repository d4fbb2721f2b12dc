"""The API's aggregates and fast paths agree with the live queries, and follow every write.

The map's summary, grid and points, and the pages of ``/api/events``, are built by paths made
for speed (rows straight to JSON dicts, the ids of a view read from an index first, answers for
a view kept per store revision). Each is checked here against the plain path or the COUNT query
for the same filters, on a store whose events are of every kind the map treats apart: placed at
a town, near one, known only to a governorate or a country, with no point at all, undated,
merged from several reports, imported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from harbinger.records import CodedDocument, Evidence, Place
from harbinger.store import Store
from harbinger.web import app as web_app
from harbinger.web import create_app
from tests.conftest import DEIR_EZ_ZOR, MOSUL, NOWHERE, RAMADI, RecordFactory

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

NEAR_MOSUL = dataclasses.replace(MOSUL, name="Hammam al-Alil", latitude=36.16, longitude=43.26, precision=2)  # fmt: skip
NINEVEH_ONLY = Place("Nineveh", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.2, 42.7, 3)
IRAQ_ONLY = Place("Iraq", "Iraq", "IQ", None, None, None, 33.0, 44.0, 3)
PLACES = (MOSUL, RAMADI, DEIR_EZ_ZOR, NEAR_MOSUL, NINEVEH_ONLY, IRAQ_ONLY, NOWHERE, MOSUL)
KINDS = (
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Battles", "Government regains territory"),
)
ACTORS = (
    ("Islamic State (Iraq)", "Military Forces of Iraq (2018-2022)"),
    ("SDF: Syrian Democratic Forces", "Islamic State (Syria)"),
    ("Military Forces of Iraq (2018-2022) Peshmerga", None),
    ("Protesters (Iraq)", None),
    ("Unidentified Armed Group (Iraq)", "Civilians (Iraq)"),
)
#: Filters the map and the pages both take; the period starts and ends mid-month.
FILTERS: tuple[dict[str, Any], ...] = (
    {},
    {"since": "2019-07-15", "until": "2020-02-10"},
    {"admin1": "Nineveh"},
    {"admin1": "IQ-AN"},
    {"type": "Battles"},
    {"type": "Armed clash"},
    {"actor": "Daesh"},
    {"country": "Syria"},
    {"since": "2019-03-01", "until": "2020-12-31", "type": "Battles", "actor": "Islamic State"},
)
#: The theatre, and a view around Mosul.
THEATRE = "33,28,50,38"
MOSUL_VIEW = "42.5,35.8,43.8,36.8"


def fill(store: Store, make: RecordFactory, n: int = 64) -> None:
    """``n`` imported events, one per document, cycling through places, types and actors,
    every 11 days from 2019 (one undated), then three coded reports of one incident (merged)."""
    for i in range(n):
        doc = make.document(f"Imported row {i}.")
        kind, sub = KINDS[i % len(KINDS)]
        actor1, actor2 = ACTORS[i % len(ACTORS)]
        event = make.event(
            doc.id,
            date=None if i == 7 else dt.date(2019, 1, 3) + dt.timedelta(days=11 * i),
            place=PLACES[i % len(PLACES)],
            event_type=kind,
            sub_event_type=sub,
            actor1=actor1,
            actor2=actor2,
            fatalities=(i * 7) % 13,
            notes=f"Row {i}.",
            evidence=(Evidence(f"Row {i}.", 0, 6),),
        )
        store.save(CodedDocument(doc, (event,)), origin="acled", source_event_ids={event.id: "x"})
    for toll, confidence in ((4, 0.8), (2, 0.7), (6, 0.75)):
        doc = make.document()
        event = make.event(
            doc.id, date=dt.date(2019, 7, 21), fatalities=toll, confidence=confidence
        )
        store.save(CodedDocument(doc, (event,)))


@pytest.fixture
def filled(fresh_db: Store, make: RecordFactory) -> Store:
    fill(fresh_db, make)
    return fresh_db


@pytest.fixture
def client(tmp_path: Path, make: RecordFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'aggregate.db'}"
    with Store(url) as store:
        fill(store, make)
    with TestClient(create_app(url)) as c:
        yield c


def get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def store_filters(params: dict[str, Any]) -> dict[str, Any]:
    """The API's query parameters as ``Store`` keyword arguments."""
    out = {("event_type" if k == "type" else k): v for k, v in params.items()}
    for key in ("since", "until"):
        if key in out:
            out[key] = dt.date.fromisoformat(out[key])
    return out


# -- the store's fast paths ------------------------------------------------------------------


def test_event_dicts_are_the_records_dicts(filled: Store) -> None:
    merged = [e for e in filled.events() if e.merged_from]
    assert merged and len(merged[0].sources) == 3  # the merge is in the store
    for params in FILTERS:
        filters = store_filters(params)
        for sort in ("-date", "fatalities", "-admin1"):
            for limit, offset in ((None, 0), (5, 0), (7, 10), (100, 60)):
                fast = filled.event_dicts(**filters, limit=limit, offset=offset, sort=sort)
                slow = filled.events(**filters, limit=limit, offset=offset, sort=sort)
                assert fast == [e.to_dict() for e in slow], (params, sort, limit, offset)
    assert len(filled.event_dicts()) == filled.count_events() == 64 + 1


def test_point_dicts_are_the_points_dicts(filled: Store) -> None:
    boxes = (None, (42.5, 35.8, 43.8, 36.8), (30.0, 20.0, 50.0, 40.0), (0.0, 0.0, 1.0, 1.0))
    for params in FILTERS:
        filters = store_filters(params)
        for box in boxes:
            points = filled.point_dicts(bbox=box, **filters)
            assert points == [p.to_dict() for p in filled.event_points(bbox=box, **filters)]
            assert len(points) == filled.count_located(bbox=box, **filters)
            deaths = [p["fatalities"] for p in points]
            assert deaths == sorted(deaths, reverse=True)
            # A capped answer keeps the deadliest, in the same order.
            assert filled.point_dicts(bbox=box, limit=3, **filters) == points[:3]
            for cap in (0, 2, len(points)):
                assert filled.count_located_upto(cap, bbox=box, **filters) == min(
                    len(points), cap + 1
                )


# -- the map against the live counts ---------------------------------------------------------


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(p) or "none")
def test_map_aggregates_agree_with_the_live_counts(
    client: TestClient, params: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    total = get(client, "/api/events", limit=0, **params)["total"]
    located = {
        e["id"]
        for e in get(client, "/api/events", limit=5000, **params)["events"]
        if e["geo_precision"] in (1, 2) and e["latitude"] is not None
    }
    # Zoomed out: every event once, in its governorate or (known to no governorate) country.
    out = get(client, "/api/map", zoom=5, bbox=THEATRE, **params)
    assert out["total"] == total
    counted = sum(g["events"] for g in out["governorates"])
    assert counted + sum(c["events"] for c in out["countries"]) == total
    for g in out["governorates"]:
        if "admin1" not in params:
            assert (
                g["events"]
                == get(client, "/api/events", limit=0, admin1=g["code"], **params)["total"]
            )
        assert sum(g["by_type"].values()) == g["events"]
    # Zoomed in: the located events of the view as points, or (too many) as cells of the
    # theatre's grid (zoom <= GRID_ZOOM) or of the view's own (further in); the same events.
    near = get(client, "/api/map", zoom=11, bbox=THEATRE, **params)
    assert near["mode"] == "points" and {p["id"] for p in near["points"]} == located
    assert near["in_view"] == len(located)
    monkeypatch.setattr(web_app, "MAX_POINTS", 0)  # views not asked before: none is kept
    for zoom in (8, web_app.GRID_ZOOM, 12):
        cells = get(client, "/api/map", zoom=zoom, bbox=THEATRE, **params)
        if located:
            assert cells["mode"] == "cells"
        assert sum(c["events"] for c in cells.get("cells", [])) == len(located), zoom
        assert cells["total"] == total


def test_the_period_of_the_map_is_the_period_of_the_pages(client: TestClient) -> None:
    # Periods that cut months, years and the undated event out; each day counts.
    for since, until in (("2019-07-20", "2019-07-21"), ("2019-01-03", "2019-01-03"), ("2019-02-01", "2021-02-28")):  # fmt: skip
        pages = get(client, "/api/events", limit=0, since=since, until=until)["total"]
        assert get(client, "/api/map", zoom=5, since=since, until=until)["total"] == pages
    assert get(client, "/api/map", zoom=5, since="2019-07-21", until="2019-07-21")["total"] >= 1


# -- writes -----------------------------------------------------------------------------------


def test_a_write_makes_the_cached_views_stale(tmp_path: Path, make: RecordFactory) -> None:
    url = f"sqlite:///{tmp_path / 'views.db'}"
    with Store(url) as store:
        fill(store, make, n=16)
    app = create_app(url)
    with TestClient(app) as c, Store(url) as writer:
        views = app.state.services.views
        first = get(c, "/api/map", zoom=10, bbox=MOSUL_VIEW)
        assert get(c, "/api/map", zoom=10, bbox=MOSUL_VIEW) == first
        assert any(k[0] == "map" for k in views._data)  # answered from the kept view
        theatre = get(c, "/api/map", zoom=5)
        # Another process stores an event in the view: every kept answer is stale at once.
        doc = make.document("A new report from Mosul.")
        event = make.event(doc.id, date=dt.date(2021, 5, 5), fatalities=99)
        writer.save(CodedDocument(doc, (event,)))
        after = get(c, "/api/map", zoom=10, bbox=MOSUL_VIEW)
        assert after["in_view"] == first["in_view"] + 1
        assert after["points"][0]["id"] == event.id  # the deadliest first
        assert get(c, "/api/map", zoom=5)["total"] == theatre["total"] + 1
        nineveh = {g["code"]: g["events"] for g in get(c, "/api/map", zoom=5)["governorates"]}
        assert nineveh["IQ-NI"] == {g["code"]: g["events"] for g in theatre["governorates"]}["IQ-NI"] + 1  # fmt: skip


# -- the server's threads ---------------------------------------------------------------------


def test_the_server_works_on_as_many_requests_at_once_as_asked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'threads.db'}"

    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    with TestClient(create_app(url, threads=3)) as c:
        assert c.portal is not None and c.portal.call(tokens) == 3
        assert c.get("/api/events").status_code == 200
    with TestClient(create_app(url)) as c:
        assert c.portal is not None and c.portal.call(tokens) == web_app._threads() >= 2
    with pytest.raises(ValueError, match="threads"):
        create_app(url, threads=0)
