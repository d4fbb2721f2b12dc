"""Tests of web ingest: HTML pages, RSS/Atom feeds and URLs, served from a local HTTP server.

Nothing here touches the internet: ``LocalSite`` is ``http.server`` in a thread on 127.0.0.1 and
a free port, serving the pages and feeds of ``tests/data/web`` (``{{BASE}}`` in a file becomes
the server's address) and routes each test adds (errors, slow or huge answers, redirects).
``tests/test_watch.py`` uses the same server.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import http.server
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import harbinger.cli as cli
import harbinger.cli.coding as cli_coding
from harbinger.errors import EmptyInput, UnreadableInput
from harbinger.ingest import Fetcher, iter_content, iter_documents, looks_like_feed
from harbinger.ingest.feeds import entry_document, parse_feed
from harbinger.ingest.html import parse_html, read_html
from harbinger.records import Document, Skipped
from harbinger.store import Store
from tests import helpers

DATA = Path(__file__).parent / "data" / "web"
PAGES = DATA / "pages"
FEEDS = DATA / "feeds"
KIRKUK_SENTENCE = "Suspected Islamic State militants shot dead two shepherds on Sunday"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/rss+xml",
    ".txt": "text/plain; charset=utf-8",
}


# -- the local server ----------------------------------------------------------------------------


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    etag: str | None = None
    #: Send the body a byte at a time, 50 ms apart (a server that never quite finishes).
    trickle: bool = False
    send_length: bool = True
    headers: dict[str, str] = field(default_factory=dict)


class LocalSite:
    """An HTTP server on 127.0.0.1 with routes set by the test, counting the hits per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: collections.Counter[str] = collections.Counter()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.answer(self)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep the test output clean

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **route: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **route)  # type: ignore[arg-type]
        return self.url(path)

    def add_file(self, path: str, file: Path, **route: object) -> str:
        body = file.read_bytes().replace(b"{{BASE}}", self.base.encode("ascii"))
        route.setdefault("content_type", CONTENT_TYPES.get(file.suffix, "text/html"))
        return self.add(path, body, **route)

    def answer(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        self.hits[path] += 1
        if path.startswith("/status/"):
            code = int(path.split("/")[2])
            handler.send_error(code)
            return
        route = self.routes.get(path)
        if route is None:
            handler.send_error(404)
            return
        if route.delay:
            time.sleep(route.delay)
        if route.etag and handler.headers.get("If-None-Match") == route.etag:
            handler.send_response(304)
            handler.end_headers()
            return
        try:
            handler.send_response(route.status)
            if route.content_type:
                handler.send_header("Content-Type", route.content_type)
            if route.send_length:
                handler.send_header("Content-Length", str(len(route.body)))
            if route.etag:
                handler.send_header("ETag", route.etag)
            for name, value in route.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            if route.trickle:
                for i in range(len(route.body)):
                    handler.wfile.write(route.body[i : i + 1])
                    handler.wfile.flush()
                    time.sleep(0.05)
            else:
                handler.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


@contextlib.contextmanager
def serving() -> Iterator[LocalSite]:
    """A running local site serving tests/data/web under /pages/ and /feeds/."""
    server = LocalSite()
    for folder in (PAGES, FEEDS):
        for file in sorted(folder.iterdir()):
            server.add_file(f"/{folder.name}/{file.name}", file)
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


@pytest.fixture
def site() -> Iterator[LocalSite]:
    """A running local site serving tests/data/web under /pages/ and /feeds/."""
    with serving() as server:
        yield server


FAST = Fetcher(timeout=2.0)


def read(*inputs: str | Path, fetcher: Fetcher = FAST) -> list[Document | Skipped]:
    return list(iter_documents(list(inputs), fetcher=fetcher))


def only(items: list[Document | Skipped], kind: type) -> list:  # type: ignore[type-arg]
    return [i for i in items if isinstance(i, kind)]


# -- HTML pages ----------------------------------------------------------------------------------


def test_html_file_gives_main_text_title_author_and_date() -> None:
    [doc] = read(PAGES / "kirkuk_attack.html")
    assert isinstance(doc, Document)
    assert doc.title == "Militants kill two shepherds near Tuz Khurmatu"
    assert doc.author == "Layla Hassan"
    assert doc.published == dt.date(2019, 7, 22)
    assert KIRKUK_SENTENCE in doc.text
    # Menus, related links, footers and scripts are not part of the report.
    for boilerplate in ("Subscribe", "Football results", "All rights reserved", "analytics"):
        assert boilerplate not in doc.text
    # The title line that opens the main text is header, not body.
    assert doc.text[doc.body_start :].startswith("Suspected Islamic State")
    assert doc.source == str(PAGES / "kirkuk_attack.html")
    # A saved page keeps the canonical address it declares.
    assert doc.url == "https://tigris-observer.example/2019/07/22/tuz-khurmatu-shepherds"


def test_time_element_gives_the_date_but_a_copyright_line_does_not() -> None:
    [arrests] = read(PAGES / "anbar_arrests.html")
    assert isinstance(arrests, Document) and arrests.published == dt.date(2019, 8, 5)
    html = (
        "<html><body><article><p>Gunmen attacked a police post near Hit on Friday night and "
        "fled before reinforcements arrived, officials said.</p></article>"
        "<footer>Copyright 2019 Example</footer></body></html>"
    )
    assert parse_html(html, "page").published is None


def test_copies_of_a_page_under_different_layouts_get_one_id() -> None:
    first, copy = read(PAGES / "kirkuk_attack.html", PAGES / "kirkuk_attack_copy.html")
    assert isinstance(first, Document) and isinstance(copy, Document)
    assert first.id == copy.id
    assert first.source != copy.source


def test_page_in_a_declared_legacy_encoding() -> None:
    [doc] = read(PAGES / "mosul_checkpoint_cp1256.html")
    assert isinstance(doc, Document)
    assert "داعش" in doc.text
    assert doc.language == "ar"


def test_page_without_main_text_is_skipped_with_the_reason() -> None:
    [skip] = read(PAGES / "menu_only.html")
    assert isinstance(skip, Skipped)
    assert skip.source == str(PAGES / "menu_only.html")
    assert "main text has 3 word(s)" in skip.reason


def test_html_file_that_is_not_html_is_skipped(tmp_path: Path) -> None:
    binary = tmp_path / "scan.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    plain = tmp_path / "notes.html"
    plain.write_text("Just a line of notes with no markup at all.", encoding="utf-8")
    empty = tmp_path / "empty.htm"
    empty.write_bytes(b"")
    reasons = {Path(s.source).name: s.reason for s in only(read(binary, plain, empty), Skipped)}
    assert "looks binary" in reasons["scan.html"]
    assert "not HTML" in reasons["notes.html"]
    assert "empty" in reasons["empty.htm"]


def test_read_html_raises_input_errors() -> None:
    with pytest.raises(EmptyInput):
        read_html(b"<html><body><nav>Home</nav></body></html>", "x.html")
    with pytest.raises(UnreadableInput, match="not HTML"):
        read_html(b"plain words only", "x.html")


# -- pages by URL --------------------------------------------------------------------------------


def test_page_url_is_fetched_and_read(site: LocalSite) -> None:
    url = site.url("/pages/kirkuk_attack.html")
    [doc] = read(url)
    assert isinstance(doc, Document)
    assert doc.source == url
    assert doc.url == url  # the page's own address wins over the canonical one it declares
    assert KIRKUK_SENTENCE in doc.text
    assert site.hits["/pages/kirkuk_attack.html"] == 1


def test_url_that_became_a_path_is_still_fetched(site: LocalSite) -> None:
    # The CLI's arguments are pathlib.Paths, which collapse "//" into "/".
    url = site.url("/pages/anbar_arrests.html")
    [doc] = read(Path(url))
    assert isinstance(doc, Document)
    assert doc.source == url


def test_plain_text_url_is_read_with_its_header(site: LocalSite) -> None:
    url = site.add(
        "/report.txt",
        "Raid in Hawija\nBy Sara Ali\n2019 / 8 / 3\n\nIraqi forces raided a village near Hawija.",
        content_type="text/plain; charset=utf-8",
    )
    [doc] = read(url)
    assert isinstance(doc, Document)
    assert (doc.title, doc.author, doc.published) == (
        "Raid in Hawija",
        "Sara Ali",
        dt.date(2019, 8, 3),
    )


def test_http_errors_are_skipped_and_the_batch_goes_on(site: LocalSite) -> None:
    items = read(
        site.url("/status/404/gone"),
        site.url("/status/500/broken"),
        site.url("/status/503/busy"),
        site.url("/pages/anbar_arrests.html"),
    )
    skips = only(items, Skipped)
    assert [s.source for s in skips] == [
        site.url("/status/404/gone"),
        site.url("/status/500/broken"),
        site.url("/status/503/busy"),
    ]
    assert "HTTP 404" in skips[0].reason and "check the URL" in skips[0].reason
    assert "HTTP 500" in skips[1].reason and "try again later" in skips[1].reason
    assert "HTTP 503" in skips[2].reason
    assert isinstance(items[-1], Document)


def test_a_slow_server_times_out(site: LocalSite) -> None:
    url = site.add("/slow.html", "<html></html>", delay=1.5)
    started = time.monotonic()
    [skip] = read(url, fetcher=Fetcher(timeout=0.3))
    assert isinstance(skip, Skipped)
    assert "timed out after 0.3 s" in skip.reason
    assert time.monotonic() - started < 1.4


def test_a_trickling_server_hits_the_overall_deadline(site: LocalSite) -> None:
    # Each byte arrives well within the socket timeout; the whole body would take 10 s.
    body = (PAGES / "anbar_arrests.html").read_bytes()[:200]
    url = site.add("/trickle.html", body, trickle=True)
    started = time.monotonic()
    [skip] = read(url, fetcher=Fetcher(timeout=0.5))
    assert isinstance(skip, Skipped)
    assert "timed out" in skip.reason
    assert time.monotonic() - started < 2.0


def test_too_large_answers_are_refused(site: LocalSite) -> None:
    big = b"<html><body>" + b"<p>word </p>" * 2000 + b"</body></html>"
    declared = site.add("/big.html", big)
    undeclared = site.add("/big-unannounced.html", big, send_length=False)
    small = Fetcher(timeout=2.0, max_bytes=5_000)
    first, second = read(declared, undeclared, fetcher=small)
    assert isinstance(first, Skipped) and f"is {len(big):,} bytes, over" in first.reason
    assert isinstance(second, Skipped) and "larger than the limit of 5,000 bytes" in second.reason


def test_wrong_content_type_is_refused_before_reading(site: LocalSite) -> None:
    url = site.add("/photo", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    [skip] = read(url)
    assert isinstance(skip, Skipped)
    assert "is image/png, not a web page, feed or text" in skip.reason


def test_only_http_and_https_are_fetched(site: LocalSite) -> None:
    redirect = site.add("/moved", status=302, headers={"Location": "ftp://127.0.0.1/x"})
    [skip] = read(redirect)
    assert isinstance(skip, Skipped)
    assert "only http and https" in skip.reason
    with pytest.raises(UnreadableInput, match="only those are fetched"):
        FAST.get("file:///etc/passwd")


def test_an_http_redirect_is_followed(site: LocalSite) -> None:
    target = site.url("/pages/anbar_arrests.html")
    moved = site.add("/old-address", status=301, headers={"Location": target})
    [doc] = read(moved)
    assert isinstance(doc, Document)
    assert doc.source == moved and doc.url == target


def test_connection_refused_is_skipped(site: LocalSite) -> None:
    port = site.server.server_address[1]
    site.server.shutdown()
    site.server.server_close()
    [skip] = read(f"http://127.0.0.1:{port}/gone.html")
    assert isinstance(skip, Skipped)
    assert "refused" in skip.reason or "cannot connect" in skip.reason


# -- feeds ---------------------------------------------------------------------------------------


def test_rss_feed_entries_become_their_linked_pages(site: LocalSite) -> None:
    feed = site.url("/feeds/desk_rss.xml")
    items = read(feed)
    docs = {d.title: d for d in only(items, Document)}
    assert set(docs) == {
        "Militants kill two shepherds near Tuz Khurmatu",
        "Security forces detain five suspects in Ramadi",
        "Checkpoint attacked south of Mosul",
        "Convoy ambushed on the Baiji road",
    }
    # Linked pages were fetched and their main text used, not the one-line description.
    kirkuk = docs["Militants kill two shepherds near Tuz Khurmatu"]
    assert KIRKUK_SENTENCE in kirkuk.text
    assert kirkuk.source == site.url("/pages/kirkuk_attack.html")
    assert site.hits["/pages/kirkuk_attack.html"] == 1
    # The page has no date of its own here, the entry's fills in.
    ramadi = docs["Security forces detain five suspects in Ramadi"]
    assert ramadi.published == dt.date(2019, 8, 5)


def test_a_failed_link_falls_back_to_the_entry_content(
    site: LocalSite, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        items = read(site.url("/feeds/desk_rss.xml"))
    checkpoint = next(
        d for d in only(items, Document) if d.title == "Checkpoint attacked south of Mosul"
    )
    assert checkpoint.text.startswith("Gunmen believed to belong to the Islamic State")
    assert "<p>" not in checkpoint.text
    assert checkpoint.author == "Karim Nouri"
    assert checkpoint.published == dt.date(2019, 8, 11)
    assert checkpoint.url == site.url("/status/404/checkpoint")
    assert "HTTP 404" in caplog.text and "using the entry's own content" in caplog.text
    # An entry without a link is read from its description.
    convoy = next(
        d for d in only(items, Document) if d.title == "Convoy ambushed on the Baiji road"
    )
    assert "one driver was killed" in convoy.text


def test_an_entry_with_nothing_usable_is_skipped_with_both_reasons(site: LocalSite) -> None:
    [skip] = only(read(site.url("/feeds/desk_rss.xml")), Skipped)
    assert skip.source == site.url("/pages/menu_only.html")
    assert "the linked page could not be read" in skip.reason
    assert "main text has 3 word(s)" in skip.reason
    assert "own content has 2 word(s)" in skip.reason


def test_atom_feed_file_on_disk_fetches_its_links(site: LocalSite, tmp_path: Path) -> None:
    feed = tmp_path / "wire.atom"
    feed.write_bytes(
        (FEEDS / "wire_atom.xml").read_bytes().replace(b"{{BASE}}", site.base.encode())
    )
    items = read(feed)
    docs = only(items, Document)
    assert [d.title for d in docs] == [
        "Security forces detain five suspects in Ramadi",
        "Airstrike hits hideout in the Badia",
    ]
    assert docs[0].source == site.url("/pages/anbar_arrests.html")
    assert docs[1].source == f"{feed}#urn:harbinger-test:wire:badia-strike"
    assert docs[1].author == "Wire staff"
    assert site.hits["/pages/anbar_arrests.html"] == 1


def test_a_feed_is_recognised_by_content_whatever_its_name_or_type(
    site: LocalSite, tmp_path: Path
) -> None:
    body = (FEEDS / "wire_atom.xml").read_bytes().replace(b"{{BASE}}", site.base.encode())
    # Served as text/html, and saved with no extension and as .txt.
    url = site.add("/latest", body, content_type="text/html")
    (tmp_path / "latest").write_bytes(body)
    (tmp_path / "latest.txt").write_bytes(body)
    for source in (url, tmp_path / "latest", tmp_path / "latest.txt"):
        titles = [d.title for d in only(read(source), Document)]
        assert titles == [
            "Security forces detain five suspects in Ramadi",
            "Airstrike hits hideout in the Badia",
        ], source


def test_looks_like_feed_sniffs_the_first_element() -> None:
    assert looks_like_feed(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><rss version="2.0">')
    assert looks_like_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'>")
    assert looks_like_feed(b"<rdf:RDF xmlns:rdf='x'>")
    assert looks_like_feed("<?xml version='1.0'?><rss>".encode("utf-16"))
    assert not looks_like_feed(b"<!DOCTYPE html><html><body>rss</body></html>")
    assert not looks_like_feed(b"The <rss> tag is explained below.")


def test_a_cut_off_feed_keeps_what_was_recovered_and_reports_the_rest() -> None:
    items = read(FEEDS / "truncated_rss.xml")
    [skip] = only(items, Skipped)
    assert skip.source == str(FEEDS / "truncated_rss.xml")
    assert "entry 2" in skip.reason and "not well-formed XML at line 12" in skip.reason
    [doc] = only(items, Document)
    assert doc.title == "Convoy ambushed on the Baiji road"


def test_malformed_feeds_are_skipped_and_the_batch_goes_on(site: LocalSite) -> None:
    not_xml = site.add("/not-xml.rss", "this is no feed", content_type="application/rss+xml")
    empty = site.add("/empty.rss", b"", content_type="application/rss+xml")
    no_entries = site.add(
        "/no-entries.rss",
        "<rss version='2.0'><channel><title>Quiet</title></channel></rss>",
        content_type="application/rss+xml",
    )
    items = read(
        FEEDS / "garbage_rss.xml",
        FEEDS / "sitemap.xml",
        not_xml,
        empty,
        no_entries,
        PAGES / "anbar_arrests.html",
    )
    reasons = [s.reason for s in only(items, Skipped)]
    assert len(reasons) == 5, reasons
    assert "not a readable feed: not well-formed XML at line" in reasons[0]
    assert "first element is <urlset>, not an RSS or Atom feed" in reasons[1]
    assert "is application/rss+xml: neither a web page nor an RSS/Atom feed" in reasons[2]
    assert "empty" in reasons[3]
    assert "the feed has no entries" in reasons[4]
    assert isinstance(items[-1], Document)


def test_parse_feed_and_entry_document_without_following_links() -> None:
    data = (FEEDS / "desk_rss.xml").read_bytes().replace(b"{{BASE}}", b"http://127.0.0.1:9")
    feed = parse_feed(data, "desk.xml")
    assert feed.title == "Regional desk: Iraq and Syria"
    assert [e.key for e in feed.entries][:2] == ["desk-2019-0722-01", "desk-2019-0805-02"]
    # With no fetcher the entry's own content is the document.
    doc = entry_document(feed.entries[2], fetcher=None)
    assert doc.text.startswith("Gunmen believed")


# -- folders and the command line ----------------------------------------------------------------


def test_a_folder_is_read_recursively_with_pages_and_feeds(tmp_path: Path) -> None:
    (tmp_path / "2019" / "08").mkdir(parents=True)
    (tmp_path / "2019" / "08" / "ramadi.html").write_bytes(
        (PAGES / "anbar_arrests.html").read_bytes()
    )
    (tmp_path / "2019" / "cut.xml").write_bytes((FEEDS / "truncated_rss.xml").read_bytes())
    (tmp_path / "notes.txt").write_text("A title\n\nA short report body.", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    items = list(iter_documents([tmp_path], fetcher=FAST))
    sources = [i.source for i in items]
    assert sources == [
        str(tmp_path / "2019" / "08" / "ramadi.html"),
        str(tmp_path / "2019" / "cut.xml"),  # the skipped entry 2
        str(tmp_path / "2019" / "cut.xml") + "#cut-01",
        str(tmp_path / "notes.txt"),
    ]


def test_ingest_command_takes_urls_and_a_rerun_stores_nothing_new(
    site: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One spaCy pipeline for the whole test session instead of one per command.
    monkeypatch.setattr(cli_coding, "make_coder", lambda settings: helpers.coder())
    db = f"sqlite:///{tmp_path / 'web.db'}"
    page = site.url("/pages/kirkuk_attack.html")
    copy = site.add_file("/mirror/copy.html", PAGES / "kirkuk_attack_copy.html")
    runner = CliRunner()
    first = runner.invoke(cli.app, ["ingest", page, copy, site.url("/status/500/x"), "--db", db])
    assert first.exit_code == 1, first.output  # one input was skipped
    assert "skipped " + site.url("/status/500/x") + ": HTTP 500" in first.stderr
    assert "1 new document stored" in first.stderr
    assert "1 already stored" in first.stderr  # the wire copy
    again = runner.invoke(cli.app, ["ingest", page, copy, "--db", db])
    assert again.exit_code == 0, again.output
    assert "0 new documents stored" in again.stderr
    with Store(db) as store:
        [attack] = [e for e in store.events() if e.sub_event_type == "Attack"]
        assert attack.location == "Tuz Khurmatu"
        assert attack.source == page
        stored = store.document(attack.document_id)
        assert stored is not None and stored.sources == (page, copy)


# -- untrusted input -----------------------------------------------------------------------------


#: Pieces of markup that malformed pages and feeds are made of, shuffled with random text.
MARKUP = st.sampled_from(
    [
        "<rss version='2.0'>",
        "<feed xmlns='http://www.w3.org/2005/Atom'>",
        "<?xml version='1.0'?>",
        "<!DOCTYPE html>",
        "<html>",
        "<body>",
        "<p>",
        "<channel>",
        "<item>",
        "</item>",
        "<entry>",
        "<link>",
        "</link>",
        "<guid>",
        "<title>",
        "<content type='html'>",
        "<meta charset='utf-16'>",
        "<meta charset='bogus'>",
        "<![CDATA[",
        "]]>",
        "&amp;",
        "&#0;",
        "\x00",
    ]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(st.one_of(MARKUP, st.text(max_size=40)), max_size=30).map(
            lambda parts: "".join(parts).encode("utf-8", "replace")
        ),
    ),
    suffix=st.sampled_from(["", ".html", ".xml", ".txt"]),
)
def test_bad_bytes_never_raise(data: bytes, suffix: str) -> None:
    # Links are not followed (fetcher=None): whatever the bytes, only Documents and Skipped.
    for item in iter_content(data, "fuzz" + suffix, suffix=suffix, fetcher=None):
        assert isinstance(item, Document | Skipped)
