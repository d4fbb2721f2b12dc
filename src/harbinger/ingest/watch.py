"""The watcher: poll folders, feeds and pages, and ingest only what is new since last time.

A watch *round* walks every source once. Folders are listed recursively (as ``ingest`` reads
them); a file is read again only when its size or modification time changed. A feed (a URL or a
file, recognised by content as in ``ingest.reader``) is fetched with ``If-None-Match`` /
``If-Modified-Since``; only entries never ingested before have their linked page fetched. A
plain page URL is fetched conditionally too, and coded again only when its bytes changed. What
comes in is coded and saved exactly as ``harbinger ingest`` does (the store de-duplicates by
document id, so a copy seen twice is stored once with both sources). Bad inputs are reported and
recorded as skipped, and the round goes on.

**Memory across restarts.** What a watcher has seen lives in a small SQLite file of its own,
:class:`WatchState`, by default next to the database file (``harbinger.db`` →
``harbinger.db.watch.sqlite``; for PostgreSQL or an in-memory database,
``harbinger-watch.sqlite`` in the working directory; ``--state`` chooses another file). It is not
a table of the store because it is about *sources* (file fingerprints, feed entry ids, HTTP
validators), belongs to one watcher rather than to the shared database, and can be deleted at
any time: the next round then re-reads everything, and the store's de-duplication keeps that
harmless. The file records which database it serves and refuses to be used with another one.
A key is remembered only *after* the documents it produced were committed to the store, so a
crash or a Ctrl-C mid-round loses nothing: the next round re-reads what was not remembered. A
failed download is never remembered (it is retried next round); a bad file is remembered with its
fingerprint (it is reported again only once it changes).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from harbinger.errors import InputError, StoreError
from harbinger.ingest.fetch import Fetched, Fetcher
from harbinger.ingest.reader import (
    iter_content,
    list_folder,
    looks_like_feed,
    read_file_bytes,
    url_of,
)
from harbinger.records import CodedDocument, Document, Skipped
from harbinger.settings import mask_url
from harbinger.wording import count


class DocumentSink(Protocol):
    """Where a round puts what it coded and what it skipped (``harbinger.store.Store`` is one)."""

    def save(self, coded: CodedDocument) -> bool:
        """Store a coded document; False when it was stored already."""
        ...

    def record_skipped(self, skipped: Skipped) -> None:
        """Keep a record of input that was skipped, and why."""
        ...


__all__ = [
    "STATE_SUFFIX",
    "DocumentSink",
    "RoundReport",
    "WatchState",
    "default_state_path",
    "parse_interval",
    "watch_round",
]

#: Appended to the SQLite database file's name to name the watch state file beside it.
STATE_SUFFIX = ".watch.sqlite"
#: The state file used when the database is not a file (PostgreSQL, in-memory SQLite).
FALLBACK_STATE_FILE = "harbinger-watch.sqlite"
# Remembered keys are written in groups: a crash forgets at most this many, which the store's
# de-duplication makes harmless, and a 100k-file first round does not pay one commit per file.
_COMMIT_EVERY = 50
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


def parse_interval(text: str) -> float:
    """Seconds in an interval like ``10m``, ``30s``, ``1h30m``, ``2d`` or ``90`` (seconds).

    Raise ``ValueError`` with the accepted forms for anything else or an interval under 1 s.
    """
    value = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    elif value and _INTERVAL_PART.sub("", value) == "":
        seconds = sum(float(n) * _UNITS[unit] for n, unit in _INTERVAL_PART.findall(value))
    else:
        raise ValueError(f"{text!r} is not an interval; write e.g. 30s, 10m, 1h30m or 90")
    if seconds < 1:
        raise ValueError(f"{text!r} is shorter than one second; poll at most once a second")
    return seconds


def _sqlite_file(db_url: str) -> str | None:
    """The file of a SQLite database URL, or None (another database, in-memory, unparsable)."""
    try:
        url = make_url(db_url)
    except (ArgumentError, ValueError):
        return None  # the Store reports a bad URL; here it just has no file
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return url.database
    return None


def default_state_path(db_url: str) -> Path:
    """Where the watch state of a database lives by default (see the module docstring)."""
    database = _sqlite_file(db_url)
    return Path(f"{database}{STATE_SUFFIX}") if database else Path(FALLBACK_STATE_FILE)


def _database_identity(db_url: str) -> str:
    """The database a state file serves: a SQLite file's absolute path, else the masked URL."""
    database = _sqlite_file(db_url)
    return f"sqlite:///{Path(database).resolve()}" if database else mask_url(db_url)


class WatchState:
    """What a watcher has already ingested: keys (file, entry, URL) and their fingerprints.

    Backed by a SQLite file (standard-library ``sqlite3``); ``put`` is buffered and written by
    ``commit`` (and every few dozen puts). Raises ``StoreError`` when the file cannot be opened or
    belongs to another database.
    """

    def __init__(self, path: str | Path, *, db_url: str) -> None:
        self.path = Path(path)
        identity = _database_identity(db_url)
        try:
            self._conn = sqlite3.connect(self.path)
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the watch state file {self.path}: {exc}; check that its folder "
                "exists and is writable, or pass --state with another file"
            ) from exc
        try:
            with self._conn:
                self._conn.execute(
                    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
                self._conn.execute(
                    "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
                    "seen_at REAL NOT NULL)"
                )
                row = self._conn.execute("SELECT value FROM meta WHERE key = 'database'").fetchone()
                if row is None:
                    self._conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('database', ?)", (identity,)
                    )
        except sqlite3.Error as exc:
            self._conn.close()
            raise StoreError(
                f"cannot use {self.path} as a watch state file: {exc}; delete it or pass "
                "--state with another file"
            ) from exc
        if row is not None and row[0] != identity:
            self._conn.close()
            raise StoreError(
                f"the watch state file {self.path} remembers what was stored in {row[0]}, not in "
                f"{identity}; pass --state with another file (or delete it to start afresh)"
            )
        self._pending: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        """The fingerprint remembered for ``key``, or None."""
        if key in self._pending:
            return self._pending[key]
        row = self._conn.execute("SELECT value FROM seen WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row is not None else None

    def put(self, key: str, value: str) -> None:
        """Remember ``key`` with its fingerprint (written at the next commit)."""
        self._pending[key] = value
        if len(self._pending) >= _COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        """Write what was remembered since the last commit."""
        if not self._pending:
            return
        now = time.time()
        try:
            with self._conn:
                self._conn.executemany(
                    "INSERT INTO seen (key, value, seen_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                    "seen_at = excluded.seen_at",
                    [(k, v, now) for k, v in self._pending.items()],
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the watch state file {self.path}: {exc}") from exc
        self._pending.clear()

    def __len__(self) -> int:
        self.commit()
        return int(self._conn.execute("SELECT count(*) FROM seen").fetchone()[0])

    def close(self) -> None:
        """Commit and close the file."""
        try:
            self.commit()
        finally:
            self._conn.close()

    def __enter__(self) -> WatchState:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class RoundReport:
    """What one watch round did."""

    new: int = 0
    same: int = 0
    events: int = 0
    claims: int = 0
    indicators: int = 0
    #: Files, pages, feeds and feed entries passed over because they were seen unchanged.
    unchanged: int = 0
    skipped: tuple[Skipped, ...] = ()

    def summary(self) -> str:
        """One line for the log."""
        return (
            f"{count(self.new, 'new document')} stored ({count(self.events, 'event')}, "
            f"{count(self.claims, 'statement')}, {count(self.indicators, 'indicator')}); "
            f"{self.same} already stored; {count(self.unchanged, 'unchanged source')} passed "
            f"over; {len(self.skipped)} skipped."
        )


@dataclass(slots=True)
class _Unit:
    """Items read from one source (a file, a page, a feed entry) and the key to remember after."""

    key: str | None
    fingerprint: str
    items: Iterable[Document | Skipped]


@dataclass(slots=True)
class _Tally:
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def _validators(fetched: Fetched, digest: str) -> str:
    return json.dumps(
        {"etag": fetched.etag, "last_modified": fetched.last_modified, "sha256": digest},
        sort_keys=True,
    )


def _entry_units(
    data: bytes,
    source: str,
    state: WatchState,
    fetcher: Fetcher,
    tally: _Tally,
    fetched: Fetched | None,
) -> Generator[_Unit, None, bool]:
    """A unit per feed entry not yet ingested; returns whether all went well (nothing skipped)."""
    from harbinger.ingest.feeds import entry_document, parse_feed

    try:
        feed = parse_feed(
            data,
            source,
            url=fetched.url if fetched else None,
            content_type=fetched.content_type if fetched else None,
        )
    except InputError as exc:
        yield _Unit(None, "", [Skipped(exc.source, exc.reason, exc.line)])
        return False
    complete = not feed.problems
    if feed.problems:
        yield _Unit(None, "", feed.problems)
    for entry in feed.entries:
        key = f"entry:{source} {entry.key}"
        if state.get(key) is not None:
            tally.unchanged += 1
            continue
        try:
            item: Document | Skipped = entry_document(entry, fetcher=fetcher)
        except InputError as exc:
            # Not remembered: the page may come back, and the entry is tried again next round.
            complete = False
            yield _Unit(None, "", [Skipped(exc.source, exc.reason, exc.line)])
            continue
        yield _Unit(key, "1", [item])
    return complete


def _url_units(url: str, state: WatchState, fetcher: Fetcher, tally: _Tally) -> Iterator[_Unit]:
    key = f"url:{url}"
    previous = json.loads(state.get(key) or "{}")
    try:
        fetched = fetcher.get(
            url, etag=previous.get("etag"), last_modified=previous.get("last_modified")
        )
    except InputError as exc:
        yield _Unit(None, "", [Skipped(exc.source, exc.reason, exc.line)])
        return
    if fetched.not_modified:
        tally.unchanged += 1
        return
    digest = hashlib.sha256(fetched.data).hexdigest()
    if previous.get("sha256") == digest:
        tally.unchanged += 1
        return
    if looks_like_feed(fetched.data):
        complete = yield from _entry_units(fetched.data, url, state, fetcher, tally, fetched)
        if complete:
            # Remember the feed's validators only once every entry is in: a 304 next round
            # must not hide an entry that failed this time.
            yield _Unit(key, _validators(fetched, digest), ())
        return
    yield _Unit(
        key,
        _validators(fetched, digest),
        iter_content(fetched.data, url, fetched=fetched, fetcher=fetcher),
    )


def _file_units(
    path: Path, source: str, state: WatchState, fetcher: Fetcher, max_bytes: int, tally: _Tally
) -> Iterator[_Unit]:
    try:
        info = os.stat(path)
        key = f"file:{path.resolve()}"
    except OSError:
        # Missing, a broken link, no permission: read_file_bytes says which, every round.
        key = None
        info = None
    fingerprint = f"{info.st_size}:{info.st_mtime_ns}" if info is not None else ""
    if key is not None and state.get(key) == fingerprint:
        tally.unchanged += 1
        return
    try:
        data = read_file_bytes(path, max_bytes=max_bytes, source=source)
    except InputError as exc:
        yield _Unit(key, fingerprint, [Skipped(exc.source, exc.reason, exc.line)])
        return
    if looks_like_feed(data):
        # A feed file is parsed every round and its entries remembered one by one, so an entry
        # whose page failed is tried again even when the file has not changed.
        yield from _entry_units(data, source, state, fetcher, tally, None)
        return
    items = iter_content(data, source, suffix=path.suffix.lower(), fetcher=fetcher)
    yield _Unit(key, fingerprint, items)


def _units(
    given: str | Path, state: WatchState, fetcher: Fetcher, max_bytes: int, tally: _Tally
) -> Iterator[_Unit]:
    url = url_of(given)
    if url is not None:
        yield from _url_units(url, state, fetcher, tally)
        return
    source = str(given)
    path = Path(given)
    if path.is_dir():
        listing = list_folder(path, source)
        if listing.problems:
            yield _Unit(None, "", listing.problems)
        # An empty folder is normal for a watcher (nothing has arrived yet): no report.
        for rel in listing.files:
            yield from _file_units(
                path / rel, os.path.join(source, rel), state, fetcher, max_bytes, tally
            )
        return
    yield from _file_units(path, source, state, fetcher, max_bytes, tally)


def watch_round(
    sources: Sequence[str | Path],
    *,
    code: Callable[[Iterable[Document]], Iterable[CodedDocument]],
    store: DocumentSink,
    state: WatchState,
    fetcher: Fetcher,
    max_bytes: int = 5_000_000,
    on_skipped: Callable[[Skipped], None] | None = None,
    on_stored: Callable[[CodedDocument, bool], None] | None = None,
) -> RoundReport:
    """One pass over ``sources``: code and store what is new, remember it, report the rest.

    ``code`` maps documents to coded documents in the same order (``Coder.code_many``). Bad input
    never raises: it is reported through ``on_skipped``, recorded in the store, and listed in the
    report. Store failures raise ``StoreError``; what was committed before stays, and is
    remembered.
    """
    tally = _Tally()
    # ("doc", id) for each document handed to the coder, ("mark", key, fingerprint) after the
    # last item of each unit. Coding keeps the order, so once a document is saved every mark
    # before the next document's entry belongs to a unit whose documents are all stored.
    pending: deque[tuple[str, str, str]] = deque()

    def documents() -> Iterator[Document]:
        for given in sources:
            for unit in _units(given, state, fetcher, max_bytes, tally):
                for item in unit.items:
                    if isinstance(item, Skipped):
                        tally.skipped.append(item)
                        if on_skipped is not None:
                            on_skipped(item)
                        store.record_skipped(item)
                    else:
                        pending.append(("doc", item.id, ""))
                        yield item
                if unit.key is not None:
                    pending.append(("mark", unit.key, unit.fingerprint))

    def release_marks() -> None:
        while pending and pending[0][0] == "mark":
            _kind, key, fingerprint = pending.popleft()
            state.put(key, fingerprint)

    new = same = events = claims = indicators = 0
    for coded in code(documents()):
        # Marks queued before this document's entry belong to units already saved in full.
        release_marks()
        saved = store.save(coded)
        if saved:
            new += 1
            events += len(coded.events)
            claims += len(coded.claims)
            indicators += len(coded.indicators)
        else:
            same += 1
        if on_stored is not None:
            on_stored(coded, saved)
        if pending and pending[0] == ("doc", coded.document.id, ""):
            pending.popleft()
        release_marks()
    # Units that produced no document (all skipped, or nothing new) and the last ones.
    while pending:
        kind, key, fingerprint = pending.popleft()
        if kind == "mark":
            state.put(key, fingerprint)
    state.commit()
    return RoundReport(
        new=new,
        same=same,
        events=events,
        claims=claims,
        indicators=indicators,
        unchanged=tally.unchanged,
        skipped=tuple(tally.skipped),
    )
