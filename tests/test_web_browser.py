"""The dashboard in a real browser: Debian's chromium, headless, driven by Playwright.

A uvicorn server on 127.0.0.1 and a free port serves the app over a store of the examples and
tests/data/dashboard. The tests skip (saying why) only when /usr/bin/chromium is absent; ``make test``
installs it. The pages are photographed on every run; the pictures go to docs/screenshots/ only
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
        not (STATIC_DIR / "vendor" / "leaflet" / "leaflet.js").exists(),
        reason="the map libraries are not installed: run 'make setup' (npm ci)",
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


def test_dashboard_shows_markers_timeline_warnings_and_table(page: Any) -> None:
    page.wait_for_selector("#map[data-markers]")
    markers = int(page.get_attribute("#map", "data-markers"))
    assert markers >= 10
    # Leaflet drew the markers (single circles or numbered clusters) and the boundaries.
    page.wait_for_selector(".leaflet-overlay-pane path")
    drawn = page.locator(".leaflet-marker-icon, .leaflet-interactive").count()
    assert drawn > 32
    assert "Event type" in page.inner_text(".map-legend")
    assert "approximate" in page.inner_text(".leaflet-control-attribution")
    page.wait_for_selector("#timeline svg rect")
    assert page.locator("#timeline polygon.band").count() == 1
    page.wait_for_selector("#warnings li")
    page.wait_for_selector("#events tbody tr[data-id]")
    assert len(_rows(page)) == 10
    assert "of" in page.inner_text("#page-info")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)


def test_filter_changes_table_map_and_timeline(page: Any) -> None:
    page.wait_for_selector("#events tbody tr[data-id]")
    before = _rows(page)
    page.select_option("#f-admin1", "SY-DY")
    # Waits use selectors, not page.wait_for_function: the CSP forbids the eval() it relies on.
    expect(page.locator("#table-count")).to_have_text(re.compile(r"^3 matching"))
    after = _rows(page)
    assert after != before and len(after) == 3
    assert all("Deir ez-Zor" in row for row in after)
    expect(page.locator("#map")).to_have_attribute("data-markers", "3")
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
    page.screenshot(path=str(SHOTS / "evidence.png"))
    # The article link opens the document with the event's sentence in focus.
    page.click("#evidence a[href^='/documents/']")
    page.wait_for_selector("#doc-text .focus")
    focused = " ".join(page.locator("#doc-text .focus").all_inner_texts())
    assert "Hamrin mountains" in focused
    assert page.locator("#doc-text .hl-place").count() >= 1
    assert page.locator("#doc-text .hl-actor").count() >= 1
    page.screenshot(path=str(SHOTS / "document.png"), full_page=True)


def test_clicking_a_warning_opens_its_evidence(page: Any) -> None:
    page.wait_for_selector("#warnings li[data-id]")
    page.click("#warnings li[data-id]")
    page.wait_for_selector("#evidence:not([hidden]) .level")
    assert page.inner_text("#evidence .level").lower() in ("watch", "warning", "alert")
