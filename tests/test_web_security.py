"""Security of the web app: untrusted text is escaped, CSP forbids inline script, filters are data.

tests/data/dashboard/xss.txt carries ``<script>alert(1)</script>`` and ``<img src=x onerror=alert(1)>``
in its title and text; it is coded and stored like any report.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harbinger.web import create_app
from tests.test_web_api import TOKEN, fill_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('sec') / 'sec.db'}"
    fill_store(url)
    with TestClient(create_app(url, api_token=TOKEN)) as c:
        yield c


@pytest.fixture(scope="module")
def hostile_id(client: TestClient) -> str:
    events = client.get("/api/events", params={"admin1": "IQ-KI", "limit": 50}).json()["events"]
    ids = {e["document_id"] for e in events if SCRIPT in (e["title"] or "")}
    assert len(ids) == 1
    return ids.pop()


def test_api_json_keeps_the_text_as_data(client: TestClient, hostile_id: str) -> None:
    doc = client.get(f"/api/documents/{hostile_id}").json()
    assert SCRIPT in doc["title"] and IMG in doc["title"]
    assert SCRIPT in doc["text"] and IMG in doc["text"]
    r = client.get(f"/api/documents/{hostile_id}")
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["x-content-type-options"] == "nosniff"


class _Page(HTMLParser):
    """Elements, attributes and visible text of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.script_bodies if self._in_script else self.text).append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_document_page_shows_markup_as_text(client: TestClient, hostile_id: str) -> None:
    r = client.get(f"/documents/{hostile_id}")
    assert r.status_code == 200
    page = parse(r.text)
    assert not [t for t, _ in page.tags if t in ("img", "iframe", "object", "embed")]
    assert not [(t, a) for t, a in page.tags for name in a if name.startswith("on")]
    scripts = [a for t, a in page.tags if t == "script"]
    assert scripts and all((a.get("src") or "").startswith("/static/") for a in scripts)
    assert all(not body.strip() for body in page.script_bodies)
    visible = "".join(page.text)
    assert SCRIPT in visible and IMG in visible  # shown as the text it is
    assert r.text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # title and body


def test_dashboard_escapes_and_has_no_inline_script(client: TestClient) -> None:
    html = client.get("/").text
    assert "<script>" not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert "style=" not in html


@pytest.mark.parametrize("path", ["/", "/docs", "/documents/nope", "/api/events", "/api/nope"])
def test_every_response_has_the_csp(client: TestClient, path: str) -> None:
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_document_page_hash_link_is_not_a_javascript_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    with TestClient(create_app(url, api_token=TOKEN)) as c:
        body = {"text": "A plain report about nothing.", "url": "javascript:alert(1)"}
        out = c.post("/api/documents", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert out.status_code == 201
        html = c.get(f"/documents/{out.json()['id']}").text
        assert 'href="javascript:' not in html


@pytest.mark.parametrize(
    "value",
    [
        "' OR 1=1 --",
        "IQ-NI'; DROP TABLE events; --",
        '" OR ""="',
        "%",
        "_",
        "\\",
        "Robert'); DELETE FROM documents;--",
    ],
)
def test_sql_ish_filters_are_harmless(client: TestClient, value: str) -> None:
    before = client.get("/api/events", params={"limit": 0}).json()["total"]
    for name in ("admin1", "type", "actor", "country"):
        r = client.get("/api/events", params={name: value})
        assert r.status_code == 200, r.text
        assert r.json()["total"] == 0  # matched as plain text, and no row has it
    assert client.get("/api/events", params={"limit": 0}).json()["total"] == before
    assert client.get("/api/series", params={"admin1": value}).status_code == 200
    assert client.get(f"/api/events/{value}").status_code in (404, 405)
