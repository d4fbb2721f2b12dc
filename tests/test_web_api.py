"""The REST API: every endpoint, filters, paging, GeoJSON, errors, writes and a schema fuzz.

The store is filled once per session by coding the project's examples/ and the short reports of
tests/data/dashboard (a burst of events in Nineveh in March 2022, two in Deir ez-Zor, one in Anbar and
one whose title and text carry HTML). ``fill_store`` is imported by the other web test files.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from harbinger.geo.boundaries import BOUNDARIES_FILE
from harbinger.ingest import iter_documents
from harbinger.records import CodedDocument, Document, Place
from harbinger.store import Store
from harbinger.web import app as web_app
from harbinger.web import create_app
from harbinger.web.app import EVENT_TYPES
from tests.conftest import PG_ENV, RecordFactory, _backends, _drop_everything
from tests.helpers import EXAMPLES, ROOT, coder

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

WEB_DATA = ROOT / "tests" / "data" / "dashboard"
TOKEN = "test-token-3f9a"


@functools.lru_cache(maxsize=1)
def coded_documents() -> tuple[CodedDocument, ...]:
    """The examples and tests/data/dashboard coded once per session."""
    docs = [d for d in iter_documents([EXAMPLES, WEB_DATA]) if isinstance(d, Document)]
    return tuple(coder().code_many(docs))


def fill_store(url: str) -> None:
    with Store(url) as store:
        for coded in coded_documents():
            store.save(coded)


@pytest.fixture(scope="module", params=_backends())
def store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The filled store, on SQLite and (under ``make test``) on PostgreSQL too."""
    if request.param == "postgresql":
        url = os.environ[PG_ENV]
        _drop_everything(url)
        fill_store(url)
        yield url
        _drop_everything(url)
        return
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    fill_store(url)
    yield url


@pytest.fixture(scope="module")
def client(store_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(store_url, api_token=TOKEN)) as c:
        yield c


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[TestClient]:
    """A client over an empty store that accepts writes with TOKEN."""
    with TestClient(create_app(f"sqlite:///{tmp_path / 'w.db'}", api_token=TOKEN)) as c:
        yield c


def all_events(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/api/events", params={"limit": 5000, **params})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def assert_error(r: Any, status: int) -> dict[str, Any]:
    """The one error body shape."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"status", "code", "message", "details"}
    assert err["status"] == status
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and len(err["message"]) > 10
    assert isinstance(err["details"], list)
    return dict(err)


# -- events -------------------------------------------------------------------------------------


def test_events_list_has_every_stored_event_newest_first(client: TestClient) -> None:
    body = all_events(client)
    events = body["events"]
    assert body["total"] == len(events) >= 12
    dates = [e["date"] for e in events if e["date"]]
    assert dates == sorted(dates, reverse=True)
    first = events[0]
    for key in (
        "id",
        "event_type",
        "sub_event_type",
        "actor1",
        "admin1_code",
        "latitude",
        "evidence",
    ):
        assert key in first
    assert first["evidence"] and first["evidence"][0]["sentence"]
    assert first["document_id"] and first["title"]


def test_events_filters(client: TestClient) -> None:
    nineveh = all_events(client, admin1="IQ-NI")["events"]
    assert len(nineveh) >= 5 and {e["admin1_code"] for e in nineveh} == {"IQ-NI"}
    by_name = all_events(client, admin1="nineveh")["events"]
    assert [e["id"] for e in by_name] == [e["id"] for e in nineveh]
    clashes = all_events(client, type="Battles")["events"]
    assert clashes and {e["event_type"] for e in clashes} == {"Battles"}
    syria = all_events(client, country="SY")["events"]
    assert syria and {e["country"] for e in syria} == {"Syria"}
    sdf = all_events(client, actor="syrian democratic")["events"]
    assert sdf and all(
        "Syrian Democratic" in (e["actor1"] or "") + (e["actor2"] or "") for e in sdf
    )
    march = all_events(client, since="2022-03-01", until="2022-03-31")["events"]
    assert march and all("2022-03-01" <= e["date"] <= "2022-03-31" for e in march)
    assert all_events(client, admin1="IQ-NI", type="Protests")["total"] == 0


def test_events_paging_is_stable_and_complete(client: TestClient) -> None:
    everything = [e["id"] for e in all_events(client)["events"]]
    pages: list[str] = []
    offset: int | None = 0
    while offset is not None:
        body = client.get("/api/events", params={"limit": 5, "offset": offset}).json()
        assert body["total"] == len(everything)
        assert body["limit"] == 5 and body["offset"] == offset
        pages += [e["id"] for e in body["events"]]
        offset = body["next_offset"]
    assert pages == everything
    past = client.get("/api/events", params={"offset": 10_000}).json()
    assert past["events"] == [] and past["total"] == len(everything)


def test_events_sorting(client: TestClient) -> None:
    desc = [e["fatalities"] for e in all_events(client, sort="-fatalities")["events"]]
    assert desc == sorted(desc, reverse=True) and desc[0] > desc[-1]
    asc = [e["fatalities"] for e in all_events(client, sort="fatalities")["events"]]
    assert asc == sorted(asc)
    places = [e["location"] for e in all_events(client, sort="location")["events"] if e["location"]]
    assert places == sorted(places, key=str.casefold)
    paged = client.get("/api/events", params={"sort": "-fatalities", "limit": 2}).json()
    assert [e["fatalities"] for e in paged["events"]] == desc[:2]


def test_events_geojson(client: TestClient) -> None:
    r = client.get("/api/events", params={"format": "geojson", "limit": 5000})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    geo = r.json()
    assert geo["type"] == "FeatureCollection" and geo["features"]
    for f in geo["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point"
        assert 34 < lon < 49 and 29 < lat < 38  # Iraq and Syria, lon/lat order
        assert f["properties"]["id"] == f["id"]
    filtered = client.get("/api/events", params={"format": "geojson", "admin1": "SY-DY"}).json()
    assert {f["properties"]["admin1_code"] for f in filtered["features"]} == {"SY-DY"}


def test_event_by_id_has_its_evidence(client: TestClient) -> None:
    listed = all_events(client, admin1="SY-DY")["events"]
    for e in listed:
        one = client.get(f"/api/events/{e['id']}").json()
        assert one == e
        assert one["evidence"][0]["sentence"]


def test_unknown_ids_are_404(client: TestClient) -> None:
    assert_error(client.get("/api/events/ev-nope"), 404)
    assert_error(client.get("/api/documents/0123"), 404)
    assert_error(client.get("/api/nothing-here"), 404)
    assert client.get("/documents/0123").status_code == 404


# -- documents ----------------------------------------------------------------------------------


def test_document_has_text_and_everything_coded_from_it(client: TestClient) -> None:
    event = all_events(client, admin1="IQ-SD")["events"][0]
    doc = client.get(f"/api/documents/{event['document_id']}").json()
    assert doc["id"] == event["document_id"]
    assert "Hamrin" in doc["text"] and doc["title"].startswith("Iraqi jets")
    assert [e["id"] for e in doc["events"]] == [event["id"]]
    assert doc["indicators"] and all("kind" in i for i in doc["indicators"])
    assert isinstance(doc["claims"], list)
    ev = doc["events"][0]["evidence"][0]
    assert doc["text"][ev["start"] : ev["end"]] == ev["sentence"]


def test_post_needs_the_token(writable: TestClient) -> None:
    body = {"text": "Islamic State militants attacked a checkpoint near Baiji on 2 May 2022."}
    err = assert_error(writable.post("/api/documents", json=body), 401)
    assert "Bearer" in err["message"]
    assert_error(
        writable.post("/api/documents", json=body, headers={"Authorization": "Bearer wrong"}), 401
    )
    assert_error(writable.post("/api/documents", json=body, headers={"Authorization": TOKEN}), 401)
    assert writable.get("/api/events").json()["total"] == 0


def test_post_codes_and_stores(writable: TestClient) -> None:
    body = {
        "title": "Checkpoint attacked near Baiji",
        "text": "Islamic State militants attacked an army checkpoint near Baiji in Salah al-Din "
        "on Monday, May 2, killing three soldiers, a security source said.",
        "published": "2022-05-03",
        "source": "test-wire",
        "url": "https://example.org/baiji",
    }
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.post("/api/documents", json=body, headers=auth)
    assert r.status_code == 201, r.text
    out = r.json()
    assert set(out) >= {"id", "events", "claims", "indicators"} and out["stored"] is True
    assert out["events"] and out["events"][0]["date"] == "2022-05-02"
    stored = writable.get(f"/api/documents/{out['id']}").json()
    assert stored["title"] == body["title"] and stored["published"] == "2022-05-03"
    assert [e["id"] for e in stored["events"]] == [e["id"] for e in out["events"]]
    again = writable.post("/api/documents", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["stored"] is False


def test_writes_refused_without_a_configured_token(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'ro.db'}", api_token="")
    with TestClient(app) as c:
        r = c.post("/api/documents", json={"text": "x"}, headers={"Authorization": "Bearer "})
        err = assert_error(r, 403)
        assert "HARBINGER_API_TOKEN" in err["message"]
        assert c.get("/api/events").status_code == 200


def test_token_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBINGER_API_TOKEN", "from-env")
    with TestClient(create_app(f"sqlite:///{tmp_path / 'env.db'}")) as c:
        r = c.post(
            "/api/documents",
            json={"text": "", "title": "t"},
            headers={"Authorization": "Bearer from-env"},
        )
        assert_error(r, 422)  # past the token check, stopped by validation


def test_body_over_the_cap_is_413(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'cap.db'}", api_token=TOKEN, max_body_bytes=2000)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app) as c:
        err = assert_error(c.post("/api/documents", json={"text": "x" * 5000}, headers=auth), 413)
        assert "2000 bytes" in err["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 500
            yield b'"}'

        assert_error(c.post("/api/documents", content=chunks(), headers=auth), 413)


def test_every_error_has_one_shape(client: TestClient) -> None:
    assert_error(client.get("/api/events", params={"limit": -1}), 422)
    assert_error(client.get("/api/events", params={"since": "last tuesday"}), 422)
    assert_error(client.get("/api/events", params={"sort": "color"}), 422)
    assert_error(client.get("/api/events", params={"format": "xml"}), 422)
    assert_error(client.delete("/api/events"), 405)
    assert_error(
        client.post(
            "/api/documents",
            content=b"{not json",
            headers={"Authorization": f"Bearer {TOKEN}", "content-type": "application/json"},
        ),
        422,
    )
    assert_error(
        client.post(
            "/api/documents",
            json={"title": "no text"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        ),
        422,
    )


# -- analysis -----------------------------------------------------------------------------------


def test_warnings(client: TestClient) -> None:
    body = client.get("/api/warnings").json()
    assert isinstance(body["warnings"], list)
    # As of the latest event's date unless asked, and said so.
    assert body["as_of"] == all_events(client, limit=1)["events"][0]["date"]
    assert client.get("/api/warnings", params={"as_of": "2022-03-20"}).json()["as_of"] == (
        "2022-03-20"
    )
    for w in body["warnings"]:
        assert w["level"] in ("watch", "warning", "alert")
        assert w["reason"] and w["period_start"] <= w["period_end"]
    ranks = [("alert", "warning", "watch").index(w["level"]) for w in body["warnings"]]
    assert ranks == sorted(ranks)
    nineveh = client.get("/api/warnings", params={"admin1": "IQ-NI"}).json()["warnings"]
    assert all(w["region_code"] == "IQ-NI" for w in nineveh)
    assert_error(client.get("/api/warnings", params={"as_of": "soon"}), 422)


def test_regions(client: TestClient) -> None:
    regions = client.get("/api/regions").json()["regions"]
    codes = {r["code"] for r in regions}
    assert {"IQ-NI", "IQ-AN", "IQ-KI", "SY-DY", "SY-RA"} <= codes and len(codes) == 32
    by_code = {r["code"]: r for r in regions}
    assert by_code["IQ-NI"]["events"] == all_events(client, admin1="IQ-NI")["total"]
    assert by_code["IQ-KI"]["name"] == "Kirkuk" and by_code["SY-DY"]["country"] == "Syria"
    r = client.get("/api/regions", params={"format": "geojson"})
    if not BOUNDARIES_FILE.exists():
        # Without the polygons 'make setup' builds, the outlines are refused with the remedy.
        assert "make setup" in assert_error(r, 503)["message"]
        return
    geo = r.json()
    assert geo["type"] == "FeatureCollection" and "Natural Earth" in geo["attribution"]
    assert {f["properties"]["code"] for f in geo["features"]} == codes
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])
    props = {f["properties"]["code"]: f["properties"] for f in geo["features"]}
    assert props["IQ-NI"]["events"] == by_code["IQ-NI"]["events"]
    assert {c for c, p in props.items() if p["kurdistan_region"]} == {"IQ-AR", "IQ-DA", "IQ-SU"}


# -- the map ------------------------------------------------------------------------------------


def map_of(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/api/map", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_map_zoomed_out_is_one_aggregate_per_governorate(client: TestClient) -> None:
    body = map_of(client, zoom=5, bbox="33,28,50,38")
    assert body["mode"] == "governorates" and "points" not in body and "cells" not in body
    total = all_events(client)["total"]
    assert body["total"] == total
    # Every event is in its governorate's aggregate or, known only to a country, in that one's.
    counted = sum(g["events"] for g in body["governorates"]) + sum(
        c["events"] for c in body["countries"]
    )
    assert counted == total
    nineveh = next(g for g in body["governorates"] if g["code"] == "IQ-NI")
    assert nineveh["events"] == all_events(client, admin1="IQ-NI")["total"]
    assert sum(nineveh["by_type"].values()) == nineveh["events"]
    assert nineveh["name"] == "Nineveh"
    if BOUNDARIES_FILE.exists():
        assert 35 < nineveh["label_lat"] < 37.5 and 41 < nineveh["label_lon"] < 44
    # The period and the other filters apply to the aggregates (the choropleth's figures).
    march = map_of(client, zoom=5, since="2022-03-01", until="2022-03-31")
    assert march["total"] == all_events(client, since="2022-03-01", until="2022-03-31")["total"]
    assert march["total"] < total


def test_map_zoomed_in_gives_the_located_events_in_view(client: TestClient) -> None:
    body = map_of(client, zoom=9, bbox="42.5,35.8,43.8,36.8")  # around Mosul
    assert body["mode"] == "points" and body["points"]
    assert body["in_view"] == len(body["points"])
    for p in body["points"]:
        assert 35.8 <= p["latitude"] <= 36.8 and 42.5 <= p["longitude"] <= 43.8
        assert p["geo_precision"] in (1, 2)  # an event known only to an area is no point
        assert p["event_type"] in EVENT_TYPES
    fatalities = [p["fatalities"] for p in body["points"]]
    assert fatalities == sorted(fatalities, reverse=True)
    assert_error(client.get("/api/map", params={"zoom": 9, "bbox": "1,2,3"}), 422)
    assert_error(client.get("/api/map", params={"zoom": 9, "bbox": "1,2,3,x"}), 422)
    assert_error(client.get("/api/map", params={"zoom": 99}), 422)
    # A view past the poles or the antimeridian is the world, sides in order.
    world = map_of(client, zoom=9, bbox="200,95,-200,-95")
    assert world["bbox"] == [-180, -90, 180, 90] and world["total"] == all_events(client)["total"]


def test_map_sends_cells_when_the_view_holds_too_many_points(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_app, "MAX_POINTS", 2)
    body = map_of(client, zoom=7, bbox="33,28,50,38")
    assert body["mode"] == "cells" and body["in_view"] > 2
    assert sum(c["events"] for c in body["cells"]) == body["in_view"]
    assert all(sum(c["by_type"].values()) == c["events"] for c in body["cells"])
    # Each cell sits at the mean point of its events, inside the view.
    assert all(28 <= c["lat"] <= 38 and 33 <= c["lon"] <= 50 for c in body["cells"])


def test_map_draws_events_known_only_to_an_area_as_that_area(
    tmp_path: Path, make: RecordFactory
) -> None:
    url = f"sqlite:///{tmp_path / 'areas.db'}"
    doc = make.document()
    governorate = Place("Nineveh", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.2, 42.7, 3)
    country = Place("Iraq", "Iraq", "IQ", None, None, None, 33.0, 44.0, 3)
    events = (
        make.event(doc.id, fatalities=230),  # Mosul, precision 1
        make.event(doc.id, place=governorate, event_type="Explosions/Remote violence"),
        make.event(doc.id, place=country),
    )
    with Store(url) as store:
        store.save(CodedDocument(document=doc, events=events))
    with TestClient(create_app(url)) as c:
        out = map_of(c, zoom=5)
        assert [(g["code"], g["events"]) for g in out["governorates"]] == [("IQ-NI", 2)]
        assert [(k["code"], k["events"], k["name"]) for k in out["countries"]] == [
            ("IQ", 1, "Iraq")
        ]
        near = map_of(c, zoom=10, bbox="32,28,50,38")
        # The country's event is not drawn at 33.0, 44.0; the governorate's is its area.
        assert [p["fatalities"] for p in near["points"]] == [230]
        assert [(a["code"], a["by_type"]) for a in near["areas"]] == [
            ("IQ-NI", {"Explosions/Remote violence": 1})
        ]


def test_actor_filter_takes_the_family_everywhere(client: TestClient) -> None:
    daesh = all_events(client, actor="Daesh")
    names = {n for e in daesh["events"] for n in (e["actor1"], e["actor2"]) if n}
    assert daesh["total"] > 0 and any(n.startswith("Islamic State") for n in names)
    by_name = {e["id"] for e in all_events(client, actor="Islamic State")["events"]}
    assert {e["id"] for e in daesh["events"]} == by_name
    assert map_of(client, zoom=5, actor="Daesh")["total"] == daesh["total"]
    weeks = client.get("/api/series", params={"actor": "Daesh"}).json()
    assert weeks["actor"] == "Daesh"
    assert sum(p["events"] for p in weeks["points"]) == sum(1 for e in daesh["events"] if e["date"])
    warned = client.get("/api/warnings", params={"actor": "Daesh"}).json()
    assert (warned["actor"], warned["kind"]) == ("Islamic State", "resurgence")
    assert all(w["level"] in ("watch", "warning", "alert") for w in warned["warnings"])
    assert all("signals" in w for w in warned["warnings"])
    assert client.get("/api/warnings").json()["kind"] == "activity"
    actors = client.get("/api/actors").json()["actors"]
    assert "Islamic State" in actors and len(actors) == len(set(actors))


def test_cached_answers_follow_the_store(tmp_path: Path, make: RecordFactory) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    with TestClient(create_app(url)) as c, Store(url) as writer:
        assert c.get("/api/events").json()["total"] == 0
        assert map_of(c, zoom=5)["total"] == 0
        before = c.get("/api/series").json()["points"]
        writer.save(make.coded())  # another process writes: the revision moves on
        assert c.get("/api/events").json()["total"] == 1
        assert map_of(c, zoom=5)["total"] == 1
        assert c.get("/api/series").json()["points"] != before


def test_series_has_weeks_and_a_baseline_band(client: TestClient) -> None:
    body = client.get(
        "/api/series",
        params={"admin1": "IQ-NI", "since": "2022-02-01", "until": "2022-04-30", "by_type": True},
    ).json()
    points = body["points"]
    assert points and body["admin1"] == "IQ-NI"
    assert (
        sum(p["events"] for p in points)
        == all_events(client, admin1="IQ-NI", since="2022-02-01", until="2022-04-30")["total"]
    )
    for p in points:
        assert p["low"] <= p["baseline"] <= p["high"] or p["high"] == p["low"]
    weeks = [p["week_start"] for p in points]
    assert weeks == sorted(weeks)
    assert sum(p["events"] for p in body["by_type"]["Battles"]) >= 3
    typed = client.get("/api/series", params={"admin1": "IQ-NI", "type": "Battles"}).json()
    assert typed["type"] == "Battles" and "by_type" not in typed


def test_series_of_the_latest_weeks(client: TestClient) -> None:
    full = client.get("/api/series").json()["points"]
    latest = client.get("/api/series", params={"weeks": 4, "by_type": True}).json()
    assert [p["week_start"] for p in latest["points"]] == [p["week_start"] for p in full[-4:]]
    assert latest["points"] == full[-4:]  # the same baseline: the history before still counts
    weeks = {p["week_start"] for p in latest["points"]}
    # Each type's series keeps to those weeks (a type with no event there has fewer or none).
    assert all({p["week_start"] for p in s} <= weeks for s in latest["by_type"].values())
    assert any(latest["by_type"].values())
    assert_error(client.get("/api/series", params={"weeks": 0}), 422)


def test_openapi_and_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in (
        "/api/events",
        "/api/map",
        "/api/actors",
        "/api/events/{event_id}",
        "/api/documents",
        "/api/documents/{document_id}",
        "/api/warnings",
        "/api/regions",
        "/api/series",
    ):
        assert path in schema["paths"], path
    assert "ErrorBody" in schema["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/series" in docs.text and "<script" not in docs.text


# -- fuzzing from the schema --------------------------------------------------------------------


# The schema is read from an app over an empty store at import (cheap); the store is filled
# just before the fuzz runs, so the fuzzer meets real ids and rows.
_FUZZ_DB = Path(tempfile.mkdtemp(prefix="harbinger-fuzz-")) / "fuzz.db"
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(f"sqlite:///{_FUZZ_DB}", api_token="")
)


@pytest.fixture(scope="module")
def fuzz_store() -> None:
    fill_store(f"sqlite:///{_FUZZ_DB}")


@pytest.mark.usefixtures("fuzz_store")
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    # No shrinking: a failure is reported as found (shrinking a slow API call can take minutes).
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
def test_api_matches_its_schema(case: Any) -> None:
    case.call_and_validate()


@pytest.mark.parametrize(
    "query",
    [
        "/api/warnings?as_of=0001-01-01",
        "/api/warnings?as_of=9999-12-31",
        "/api/series?since=0001-01-01&until=9999-12-31",
        "/api/series?since=0001-01-01",
        "/api/series?until=9999-12-31",
        "/api/events?since=0001-01-01&until=9999-12-31",
    ],
)
def test_the_ends_of_the_calendar_are_answered_not_a_500(client: TestClient, query: str) -> None:
    assert client.get(query).status_code == 200


def test_the_ends_of_the_calendar_on_an_empty_store(tmp_path: Path) -> None:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'empty.db'}")) as empty:
        assert empty.get("/api/warnings?as_of=0001-01-01").json() == {
            "as_of": "0001-01-01",
            "actor": None,
            "kind": "activity",
            "warnings": [],
        }
        r = empty.get("/api/series?since=0001-01-01&until=9999-12-31")
        assert r.status_code == 200
        weeks = r.json()["points"]
        # Zeros over the most recent weeks asked for, not 520,000 weeks of them.
        assert weeks and all(p["events"] == 0 for p in weeks) and len(weeks) < 2000


@pytest.mark.parametrize(
    "text", ["   ", "\n\t \n", "\x00\x01\x02\x03\x04", "...!!! ---", "\x07" * 40 + "ab"]
)
def test_an_empty_or_binary_document_is_refused_as_the_cli_skips_it(
    writable: TestClient, text: str
) -> None:
    r = writable.post(
        "/api/documents", json={"text": text}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    body = assert_error(r, 422)
    assert "document" in json.dumps(body)
    assert writable.get("/api/events").json()["total"] == 0


def test_warm_up_fills_the_cache_before_the_first_request(store_url: str) -> None:
    # The server computes the dashboard's first answers at start-up (the FastAPI lifespan):
    # the map's summary and grid and the warnings are cached before any request, for the
    # store's revision, and the answers served from them are those computed on demand.
    app = create_app(store_url, api_token=TOKEN, warm_up=True)
    keys = app.state.services.cache._data
    assert not keys  # nothing before start-up
    with TestClient(app) as warmed:
        cached = {k[0] for k in keys}
        assert {"total", "summary", "grid", "cells", "counts", "warnings"} <= cached
        warm_map = warmed.get("/api/map", params={"zoom": 8}).json()
        warm_warnings = warmed.get("/api/warnings").json()
    with TestClient(create_app(store_url, api_token=TOKEN)) as cold:
        assert not cold.app.state.services.cache._data  # warm_up is off for another store
        assert cold.get("/api/map", params={"zoom": 8}).json() == warm_map
        assert cold.get("/api/warnings").json() == warm_warnings
