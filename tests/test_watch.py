"""Tests of ``harbinger watch``: rounds that ingest only what is new, memory across restarts.

Feeds and pages come from the local server of ``tests/test_ingest_web.py`` (127.0.0.1, never the
internet). Most tests code with ``code_plainly`` (a document in, a coded document with nothing
coded out) because what is under test is what gets read, stored and remembered, not the coding.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import harbinger.cli as cli
import harbinger.cli.watch as cli_watch
from harbinger.errors import StoreError
from harbinger.ingest import Fetcher
from harbinger.ingest.watch import (
    RoundReport,
    WatchState,
    default_state_path,
    parse_interval,
    watch_round,
)
from harbinger.records import CodedDocument, Document
from harbinger.store import Store
from tests.test_ingest_web import FEEDS, PAGES, LocalSite, serving

FAST = Fetcher(timeout=2.0)


@pytest.fixture
def site() -> Iterator[LocalSite]:
    """The local site of tests/test_ingest_web.py (pages and feeds of tests/data/web)."""
    with serving() as server:
        yield server


class CountingCoder:
    """Codes nothing, in order, and counts the documents it was given."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def code_many(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        for document in documents:
            self.seen.append(document.source)
            yield CodedDocument(document)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[Store, WatchState]]:
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    store = Store(url)
    state = WatchState(default_state_path(url), db_url=url)
    yield store, state
    state.close()
    store.close()


def run(
    sources: list[str | Path],
    store: Store,
    state: WatchState,
    coder: CountingCoder | None = None,
) -> RoundReport:
    return watch_round(
        sources,
        code=(coder or CountingCoder()).code_many,
        store=store,
        state=state,
        fetcher=FAST,
    )


def write(path: Path, text: str, mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def report(title: str) -> str:
    return f"{title}\n\nIraqi forces said they had cleared {title.lower()} on Sunday."


# -- options -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("10m", 600), ("30s", 30), ("1h30m", 5400), ("2d", 172800), ("90", 90), (" 1.5M ", 90)],
)
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "ten minutes", "10x", "m", "0", "0.5s", "-5m"])
def test_parse_interval_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match=r"interval|shorter than one second"):
        parse_interval(text)


def test_the_state_file_sits_next_to_a_sqlite_database() -> None:
    assert default_state_path("sqlite:///data/h.db") == Path("data/h.db.watch.sqlite")
    assert default_state_path("sqlite:///:memory:") == Path("harbinger-watch.sqlite")
    assert default_state_path("postgresql+psycopg://u@host/db") == Path("harbinger-watch.sqlite")


def test_a_state_file_refuses_another_database(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    WatchState(path, db_url=f"sqlite:///{tmp_path / 'a.db'}").close()
    with pytest.raises(StoreError, match=r"remembers what was stored in sqlite:///.*a\.db"):
        WatchState(path, db_url=f"sqlite:///{tmp_path / 'b.db'}")
    # Another spelling of the same file is the same database.
    WatchState(path, db_url=f"sqlite:///{tmp_path}/./a.db").close()


# -- folders -------------------------------------------------------------------------------------


def test_a_folder_round_reads_only_new_and_changed_files(
    tmp_path: Path, db: tuple[Store, WatchState]
) -> None:
    store, state = db
    inbox = tmp_path / "inbox"
    write(inbox / "a.txt", report("Route A"), mtime=1_000_000)
    write(inbox / "deep" / "b.html", (PAGES / "anbar_arrests.html").read_text(), mtime=1_000_000)
    coder = CountingCoder()
    first = run([inbox], store, state, coder)
    assert (first.new, first.same, first.unchanged, first.skipped) == (2, 0, 0, ())

    # A restarted watcher: a new WatchState on the same file.
    state.close()
    state2 = WatchState(state.path, db_url=store.url)
    second = run([inbox], store, state2, coder)
    assert (second.new, second.unchanged) == (0, 2)
    assert len(coder.seen) == 2  # nothing was read, let alone coded, again

    write(inbox / "a.txt", report("Route A, corrected"), mtime=1_000_100)
    write(inbox / "c.txt", report("Route C"))
    third = run([inbox], store, state2, coder)
    assert (third.new, third.unchanged) == (2, 1)
    assert coder.seen[2:] == [str(inbox / "a.txt"), str(inbox / "c.txt")]
    state2.close()


def test_an_empty_folder_is_not_an_error_for_a_watcher(
    tmp_path: Path, db: tuple[Store, WatchState]
) -> None:
    store, state = db
    (tmp_path / "inbox").mkdir()
    assert run([tmp_path / "inbox"], store, state) == RoundReport()


def test_a_bad_file_is_reported_once_until_it_changes(
    tmp_path: Path, db: tuple[Store, WatchState]
) -> None:
    store, state = db
    bad = tmp_path / "inbox" / "scan.txt"
    bad.parent.mkdir()
    bad.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    first = run([bad.parent], store, state)
    [skip] = first.skipped
    assert skip.source == str(bad) and "looks binary" in skip.reason
    assert run([bad.parent], store, state).skipped == ()
    assert store.counts()["skipped"] == 1


def test_a_missing_source_is_reported_every_round(
    tmp_path: Path, db: tuple[Store, WatchState]
) -> None:
    store, state = db
    for _ in range(2):
        [skip] = run([tmp_path / "nowhere.txt"], store, state).skipped
        assert "no such file" in skip.reason


# -- feeds and pages -----------------------------------------------------------------------------


def test_a_feed_round_fetches_only_new_entries(
    site: LocalSite, db: tuple[Store, WatchState]
) -> None:
    store, state = db
    body = (FEEDS / "wire_atom.xml").read_bytes().replace(b"{{BASE}}", site.base.encode())
    feed = site.add("/wire", body, content_type="application/atom+xml", etag='"v1"')
    first = run([feed], store, state)
    assert (first.new, first.skipped) == (2, ())
    assert site.hits["/pages/anbar_arrests.html"] == 1

    # Unchanged: the server answers 304 and nothing else is fetched.
    second = run([feed], store, state)
    assert (second.new, second.unchanged) == (0, 1)
    assert site.hits["/wire"] == 2 and site.hits["/pages/anbar_arrests.html"] == 1

    # A new entry: only its page is fetched.
    entry = (
        f"<entry><title>Shepherds killed</title><id>urn:new</id>"
        f'<link href="{site.base}/pages/kirkuk_attack.html"/></entry></feed>'
    ).encode()
    site.add(
        "/wire", body.replace(b"</feed>", entry), content_type="application/atom+xml", etag='"v2"'
    )
    third = run([feed], store, state)
    assert (third.new, third.unchanged) == (1, 2)  # two old entries passed over
    assert site.hits["/pages/kirkuk_attack.html"] == 1
    assert site.hits["/pages/anbar_arrests.html"] == 1


def test_an_entry_whose_page_fails_is_retried_next_round(
    site: LocalSite, db: tuple[Store, WatchState]
) -> None:
    store, state = db
    feed = site.add(
        "/flaky-feed",
        f"<rss version='2.0'><channel><title>F</title><item><title>Later</title><guid>g1</guid>"
        f"<link>{site.base}/flaky.html</link></item></channel></rss>",
        content_type="application/rss+xml",
        etag='"same"',
    )
    site.add("/flaky.html", "", status=500)
    [skip] = run([feed], store, state).skipped
    assert skip.source == site.url("/flaky.html") and "HTTP 500" in skip.reason
    # The feed's ETag was not remembered either: a 304 must not hide the failed entry.
    assert len(run([feed], store, state).skipped) == 1
    assert site.hits["/flaky.html"] == 2
    site.add_file("/flaky.html", PAGES / "kirkuk_attack.html")
    assert run([feed], store, state).new == 1
    assert run([feed], store, state).new == 0
    assert site.hits["/flaky.html"] == 3


def test_a_page_is_coded_again_only_when_it_changes(
    site: LocalSite, db: tuple[Store, WatchState]
) -> None:
    store, state = db
    page = site.add_file("/live.html", PAGES / "anbar_arrests.html")
    coder = CountingCoder()
    assert run([page], store, state, coder).new == 1
    assert run([page], store, state, coder).unchanged == 1
    assert coder.seen == [page]
    site.add_file("/live.html", PAGES / "kirkuk_attack.html")
    assert run([page], store, state, coder).new == 1
    assert coder.seen == [page, page]


def test_a_feed_file_in_a_watched_folder_remembers_its_entries(
    site: LocalSite, tmp_path: Path, db: tuple[Store, WatchState]
) -> None:
    store, state = db
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    body = (FEEDS / "desk_rss.xml").read_bytes().replace(b"{{BASE}}", site.base.encode())
    (inbox / "desk.xml").write_bytes(body)
    first = run([inbox], store, state)
    assert first.new == 4 and len(first.skipped) == 1  # the menu-only entry
    second = run([inbox], store, state)
    assert (second.new, second.unchanged) == (0, 4)
    assert len(second.skipped) == 1  # retried, still failing
    assert site.hits["/pages/kirkuk_attack.html"] == 1


# -- failures ------------------------------------------------------------------------------------


class FailingStore(Store):
    """A store whose save fails for one document source, as a full disk or a lost server would."""

    fail_on = ""

    def save(self, coded: CodedDocument, **kwargs: object) -> bool:  # type: ignore[override]
        if coded.document.source == self.fail_on:
            raise StoreError(f"cannot save document {coded.document.id}: disk I/O error")
        return super().save(coded)


def test_a_crash_mid_round_keeps_what_was_committed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    inbox = tmp_path / "inbox"
    write(inbox / "a.txt", report("Route A"))
    write(inbox / "b.txt", report("Route B"))
    write(inbox / "c.txt", report("Route C"))
    failing = FailingStore(url)
    failing.fail_on = str(inbox / "b.txt")
    state = WatchState(tmp_path / "state.sqlite", db_url=url)
    with pytest.raises(StoreError, match="disk I/O error"):
        run([inbox], failing, state)
    state.close()  # as the command does on its way out
    failing.close()
    with Store(url) as store, WatchState(tmp_path / "state.sqlite", db_url=url) as again:
        assert store.counts()["documents"] == 1
        after = run([inbox], store, again)
        # a.txt is remembered; b.txt and c.txt are read now; nothing is stored twice.
        assert (after.new, after.same, after.unchanged) == (2, 0, 1)
        assert store.counts()["documents"] == 3


# -- the command ---------------------------------------------------------------------------------


@pytest.fixture
def quick_coder(monkeypatch: pytest.MonkeyPatch) -> CountingCoder:
    coder = CountingCoder()
    monkeypatch.setattr(cli_watch, "make_coder", lambda settings: coder)
    return coder


def test_watch_once_twice(tmp_path: Path, quick_coder: CountingCoder) -> None:
    write(tmp_path / "inbox" / "a.txt", report("Route A"))
    db = f"sqlite:///{tmp_path / 'h.db'}"
    runner = CliRunner()
    first = runner.invoke(cli.app, ["watch", str(tmp_path / "inbox"), "--once", "--db", db])
    assert first.exit_code == 0, first.output
    assert f"kept in {tmp_path / 'h.db'}.watch.sqlite" in first.stderr
    assert "round 1: 1 new document stored" in first.stderr
    second = runner.invoke(cli.app, ["watch", str(tmp_path / "inbox"), "--once", "--db", db])
    assert second.exit_code == 0, second.output
    assert "round 1: 0 new documents stored" in second.stderr
    assert "1 unchanged source passed over" in second.stderr
    assert (tmp_path / "h.db.watch.sqlite").is_file()


def test_watch_once_exits_1_when_something_was_skipped(
    site: LocalSite, tmp_path: Path, quick_coder: CountingCoder
) -> None:
    db = f"sqlite:///{tmp_path / 'h.db'}"
    result = CliRunner().invoke(
        cli.app, ["watch", site.url("/status/404/feed"), "--once", "--db", db, "--timeout", "2"]
    )
    assert result.exit_code == 1
    assert f"skipped {site.url('/status/404/feed')}: HTTP 404" in result.stderr


def test_watch_refuses_a_bad_interval(tmp_path: Path, quick_coder: CountingCoder) -> None:
    result = CliRunner().invoke(cli.app, ["watch", str(tmp_path), "--every", "soon"])
    assert result.exit_code == 2
    assert "'soon' is not an interval" in result.output


def test_ctrl_c_stops_the_loop_cleanly(tmp_path: Path, quick_coder: CountingCoder) -> None:
    write(tmp_path / "inbox" / "a.txt", report("Route A"))
    state = tmp_path / "state.sqlite"
    db = f"sqlite:///{tmp_path / 'h.db'}"
    before = signal.getsignal(signal.SIGTERM)

    def interrupt_after_the_first_round() -> None:
        # Rows appear in the state file only at the end of a round, inside the loop, where
        # Ctrl-C is handled; never interrupt before that (it would hit the test runner).
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with sqlite3.connect(state) as conn:
                    if conn.execute("SELECT count(*) FROM seen").fetchone()[0]:
                        break
            except sqlite3.Error:
                pass
            time.sleep(0.05)
        else:
            return
        time.sleep(0.2)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    threading.Thread(target=interrupt_after_the_first_round, daemon=True).start()
    result = CliRunner().invoke(
        cli.app,
        ["watch", str(tmp_path / "inbox"), "--every", "1h", "--db", db, "--state", str(state)],
    )
    assert result.exit_code == 0, result.output
    assert "round 1: 1 new document stored" in result.stderr
    assert "stopped after 1 complete round(s); what was stored is kept" in result.stderr
    assert signal.getsignal(signal.SIGTERM) == before
    with Store(db) as store:
        assert store.counts()["documents"] == 1
