"""The dashboard in a real browser: Debian's chromium, headless, driven by Playwright.

A uvicorn server on 127.0.0.1 and a free port serves the app over a store of the examples and
tests/data/dashboard. The tests skip (saying why) only when /usr/bin/chromium is absent (``make
test`` installs it) or when ``make setup`` has not installed Leaflet and built the governorate
polygons. The pages are photographed on every run; the pictures go to docs/screenshots/ only
with HARBINGER_SCREENSHOTS=1 (``make screenshots``), so that ``make test`` leaves the tree clean.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harbinger.geo.boundaries import BOUNDARIES_FILE
from harbinger.web import create_app
from harbinger.web.app import STATIC_DIR
from tests.helpers import ROOT
from tests.test_web_api import TOKEN, fill_store

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("HARBINGER_SCREENSHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="harbinger-screenshots-"))
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is absent: 'make test' installs it (apt-get install chromium)",
    ),
    pytest.mark.skipif(
        not (STATIC_DIR / "vendor" / "leaflet" / "leaflet.js").exists()
        or not BOUNDARIES_FILE.exists(),
        reason="the map library or the governorate polygons are missing: run 'make setup' (npm ci)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'b.db'}"
    fill_store(url)
    port = _free_port()
    config = uvicorn.Config(
        create_app(url, api_token=TOKEN), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    pg.goto(server + "/")
    yield pg
    context.close()
    assert not errors, f"errors in the page: {errors}"


def _rows(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#events tbody tr").all_inner_texts()]


def _api(server: str, path: str, **params: Any) -> dict[str, Any]:
    import httpx

    body: dict[str, Any] = httpx.get(server + path, params=params, timeout=30).json()
    return body


def _shot(page: Any, name: str, full_page: bool = False, mouse_away: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    if mouse_away:
        page.mouse.move(2, 2)  # no tooltip left open where the last click was
    page.wait_for_timeout(300)  # the map's last tiles of SVG settle
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


def test_dashboard_shows_the_map_timeline_warnings_and_table(page: Any, server: str) -> None:
    # Zoomed out: 32 governorate polygons and one aggregate (a pie) per governorate with events.
    page.wait_for_selector("#map[data-mode=governorates][data-markers]")
    expect(page.locator("#map")).to_have_attribute("data-governorates", "32")
    assert page.locator(".leaflet-governorates-pane path").count() == 32
    aggregates = _api(server, "/api/map", zoom=5)["governorates"]
    assert int(page.get_attribute("#map", "data-markers")) == len(aggregates) >= 3
    assert page.locator(".leaflet-marker-pane .pie-icon").count() == len(aggregates)
    assert "Natural Earth" in page.inner_text(".leaflet-control-attribution")
    # The legend starts folded away; it opens on a click.
    assert page.inner_text(".map-legend").strip() == "Legend"
    page.click(".map-legend summary")
    legend = page.inner_text(".map-legend")
    assert "Event type" in legend and "Kurdistan Region" in legend
    # Names of the governorates wide enough on screen to hold them; small ones wait for a zoom.
    shown = page.locator(".gov-label:not(.hidden)").all_inner_texts()
    assert "Anbar" in shown and "Nineveh" in shown and "Quneitra" not in shown
    page.wait_for_selector("#timeline svg rect")
    assert page.locator("#timeline polygon.band").count() == 1
    # The chart is drawn at its pixel size: its labels are 12 px on screen, its legend one line.
    sizes = page.locator("#timeline .axis text").evaluate_all(
        "nodes => nodes.map(n => n.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 11
    items = page.locator("#timeline .chart-legend .legend-item").evaluate_all(
        "nodes => nodes.map(n => n.getClientRects().length)"
    )
    assert items and set(items) == {1}  # no legend item broken over two lines
    page.wait_for_selector("#warnings li")
    latest = _api(server, "/api/events", limit=1)["events"][0]["date"]
    expect(page.locator("#warnings-asof")).to_have_text(f"as of {latest}")
    page.wait_for_selector("#events tbody tr[data-id]")
    assert len(_rows(page)) == 10
    assert "of" in page.inner_text("#page-info")
    _shot(page, "dashboard.png", full_page=True)


def test_zoomed_in_the_map_shows_events_coloured_by_type_and_sized_by_fatalities(
    page: Any, server: str
) -> None:
    page.wait_for_selector("#map[data-mode=governorates] .pie-icon")
    page.wait_for_load_state("networkidle")  # the map has settled on the whole theatre
    # Clicking Nineveh's aggregate zooms to Nineveh: the events are points there.
    nineveh = _api(server, "/api/map", zoom=5)["governorates"]
    n = [g["code"] for g in nineveh].index("IQ-NI")
    page.locator(".leaflet-marker-pane .pie-icon").nth(n).click()
    page.wait_for_selector("#map[data-mode=points]")
    page.wait_for_selector(".leaflet-points-pane path.event-point")
    colours = set(
        page.locator("path.event-point").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")
    )
    assert colours and colours <= {
        "#c0392b",
        "#e67e22",
        "#8e44ad",
        "#2980b9",
        "#8d6e63",
        "#27ae60",
    }
    assert "placed in view" in page.inner_text("#map-count")
    # More names at this zoom than zoomed out.
    assert page.locator(".gov-label:not(.hidden)").count() >= 3
    _shot(page, "map-zoomed-in.png", mouse_away=True)


def test_choropleth_shades_governorates_by_events_and_by_warning_level(page: Any) -> None:
    page.wait_for_selector("#map[data-mode=governorates][data-markers]")
    expect(page.locator("#map")).to_have_attribute("data-shaded", "0")
    page.select_option("#shade", "events")
    expect(page.locator("#map")).to_have_attribute("data-shade", "events")
    assert int(page.get_attribute("#map", "data-shaded")) >= 3
    assert "Events per governorate" in page.inner_text(".map-legend")
    fills = set(
        page.locator(".leaflet-governorates-pane path").evaluate_all(
            "ps => ps.map(p => p.getAttribute('fill'))"
        )
    )
    assert len(fills) >= 3  # several classes, not one colour
    _shot(page, "map-choropleth.png", mouse_away=True)
    page.wait_for_selector("#warnings li[data-id]")
    page.select_option("#shade", "warnings")
    expect(page.locator("#map")).to_have_attribute("data-shade", "warnings")
    assert int(page.get_attribute("#map", "data-shaded")) >= 1
    assert "Warning level" in page.inner_text(".map-legend")


def test_date_inputs_take_iso_dates_only(page: Any, server: str) -> None:
    page.wait_for_selector("#events tbody tr[data-id]")
    since = page.locator("#f-since")
    assert since.get_attribute("type") == "text"
    assert since.get_attribute("placeholder") == "yyyy-mm-dd"
    since.fill("2022-03-01")
    since.dispatch_event("change")
    page.locator("#f-until").fill("2022-03-31")
    page.locator("#f-until").dispatch_event("change")
    march = _api(server, "/api/events", since="2022-03-01", until="2022-03-31")["total"]
    expect(page.locator("#table-count")).to_have_text(f"{march} matching")
    expect(page.locator("#warnings-asof")).to_have_text("as of 2022-03-31")
    # A date in the browser's locale form is refused, not guessed at.
    since.fill("03/01/2022")
    since.dispatch_event("change")
    expect(since).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#table-count")).to_have_text(f"{march} matching")


def test_actor_filter_suggests_families_and_filters_everything(page: Any, server: str) -> None:
    page.wait_for_selector("#events tbody tr[data-id]")
    options = page.locator("#actor-list option").evaluate_all("os => os.map(o => o.value)")
    assert "Islamic State" in options
    # "SDF" is a family: the Syrian Democratic Forces under any of their names, and councils.
    page.fill("#f-actor", "SDF")
    sdf = _api(server, "/api/events", actor="SDF")
    assert 0 < sdf["total"] < _api(server, "/api/events")["total"]
    assert all(
        "Syrian Democratic" in (e["actor1"] or "") + (e["actor2"] or "") for e in sdf["events"]
    )
    expect(page.locator("#table-count")).to_have_text(f"{sdf['total']} matching")
    expect(page.locator("#map-count")).to_have_text(re.compile(rf"^{sdf['total']} events? match"))
    expect(page.locator("#timeline-region")).to_have_text(re.compile("SDF"))


def test_filter_changes_table_map_and_timeline(page: Any) -> None:
    page.wait_for_selector("#events tbody tr[data-id]")
    before = _rows(page)
    page.select_option("#f-admin1", "SY-DY")
    # Waits use selectors, not page.wait_for_function: the CSP forbids the eval() it relies on.
    expect(page.locator("#table-count")).to_have_text(re.compile(r"^3 matching"))
    after = _rows(page)
    assert after != before and len(after) == 3
    assert all("Deir ez-Zor" in row for row in after)
    expect(page.locator("#map-count")).to_have_text(re.compile(r"^3 events match"))
    assert "Deir ez-Zor" in page.inner_text("#timeline-region")
    # Sorting by fatalities (descending on first click) reorders the table.
    page.select_option("#f-admin1", "")
    expect(page.locator("#events tbody tr[data-id]")).to_have_count(10)
    page.click("th[data-sort=fatalities]")
    page.wait_for_selector("th[data-sort=fatalities][aria-sort=descending]")
    expect(page.locator("#events tbody td.num").first).to_have_text(
        "32"
    )  # the Baghdad bombing: 30 killed and its two bombers
    fatalities = [int(x) for x in page.locator("#events tbody td.num").all_inner_texts()]
    assert fatalities == sorted(fatalities, reverse=True)
    page.click("#next")
    expect(page.locator("#page-info")).to_have_text(re.compile(r"^11"))


def test_clicking_an_event_opens_its_evidence(page: Any, server: str) -> None:
    page.wait_for_selector("#events tbody tr[data-id]")
    page.select_option("#f-admin1", "IQ-SD")
    expect(page.locator("#events tbody tr[data-id]")).to_have_count(1)
    page.click("#events tbody tr[data-id]")
    page.wait_for_selector("#evidence:not([hidden]) mark")
    mark = page.inner_text("#evidence mark")
    assert "Hamrin mountains" in mark and "killing nine militants" in mark
    assert "Air/drone strike" in page.inner_text("#evidence h2")
    assert page.get_attribute("#evidence blockquote", "dir") == "auto"
    _shot(page, "evidence.png")
    # The article link opens the document with the event's sentence in focus.
    page.click("#evidence a[href^='/documents/']")
    page.wait_for_selector("#doc-text .focus")
    focused = " ".join(page.locator("#doc-text .focus").all_inner_texts())
    assert "Hamrin mountains" in focused
    assert page.get_attribute("#doc-text", "dir") == "auto"
    # What was coded is marked: the event's place, actor and count ("nine") ...
    assert page.locator("#doc-text .hl-place").count() >= 1
    assert page.locator("#doc-text .hl-actor").count() >= 1
    counts = page.locator("#doc-text .hl-count")
    assert "nine" in counts.all_inner_texts()
    # ... and only inside the sentences something was coded from, each with what it holds.
    classes = counts.evaluate_all("ns => ns.map(n => n.className)")
    assert all(any(k in c for k in ("hl-event", "hl-claim", "hl-indicator")) for c in classes)
    assert all(counts.nth(i).get_attribute("title") for i in range(counts.count()))
    _shot(page, "document.png", full_page=True)


def test_clicking_a_warning_opens_its_evidence(page: Any) -> None:
    page.wait_for_selector("#warnings li[data-id]")
    page.click("#warnings li[data-id]")
    page.wait_for_selector("#evidence:not([hidden]) .level")
    assert page.inner_text("#evidence .level").lower() in ("watch", "warning", "alert")
