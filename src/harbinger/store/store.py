"""The store stage's one class: ``Store``, a database of coded documents opened by URL.

``Store`` opens a SQLite (default) or PostgreSQL database by SQLAlchemy URL and brings its schema to
the newest Alembic revision (``engine``), saves each ``CodedDocument`` in one transaction (a
document already stored is never stored twice; near-copies and reports of one incident are
resolved as it is saved, see ``merge``), and reads events, claims and indicators back as the
frozen records of ``stored``, which carry their evidence and their document's title, source and
URL. Totals are COUNT queries and the map's aggregates GROUP BY queries (``count_events``,
``event_groups``, ``event_points``), so no read loads every event to count or place them; the
web's pages and map points are built from the rows straight into the records' JSON dicts
(``event_dicts``, ``point_dicts``), on a Core connection rather than an ORM session. Every
write transaction that changes what is stored bumps ``revision``, so a reader (the web's cache)
knows when what it computed is stale, whichever process wrote. Every statement goes through
SQLAlchemy Core/ORM with bound parameters. Failures surface as ``StoreError`` naming the database
(password masked) and what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic.util import CommandError
from datasketch import MinHash
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from harbinger import dedup
from harbinger.errors import StoreError
from harbinger.records import CodedDocument, Evidence, Skipped
from harbinger.store.engine import (
    _make_engine,
    _make_read_only_engine,
    _open_hint,
    _reason,
    _upgrade,
    mask_url,
    read_only_file,
)
from harbinger.store.merge import _body, _merge, _near_copy_of, _report, _report_row
from harbinger.store.models import (
    ClaimRow,
    DocumentBandRow,
    DocumentMinhashRow,
    DocumentRow,
    DocumentSourceRow,
    EventReportRow,
    EventRow,
    IndicatorRow,
    SkippedRow,
    StoreStateRow,
)
from harbinger.store.queries import (
    _CHUNK,
    BBox,
    EventFacts,
    EventGroup,
    EventPoint,
    EventSummary,
    _actor_names_query,
    _count_query,
    _events_query,
    _evidence,
    _facts_query,
    _groups,
    _groups_query,
    _located_count_query,
    _located_probe_query,
    _points_query,
    _reports,
    _summary_query,
    point_dict,
)
from harbinger.store.rows import _insert, _utc
from harbinger.store.stored import (
    EventSource,
    StoredClaim,
    StoredDocument,
    StoredEvent,
    StoredIndicator,
    event_dict,
)

__all__ = ["Store"]

#: Tries of a batch that met rows another writer stored meanwhile.
_BATCH_ATTEMPTS = 3


def _event_rows(
    conn: sa.Connection, query: sa.Select[Any], with_evidence: bool
) -> tuple[Sequence[sa.RowMapping], dict[str, list[EventSource]], dict[str, list[Evidence]]]:
    """The rows of an ``_events_query`` (by column name), every row's reports (a merged
    event's each, the keeper first; another event's own report, built from its row), and the
    evidence of those reports when asked."""
    rows = conn.execute(query).mappings().all()
    reports = _reports(conn, [row["id"] for row in rows if row["origin"] == "coded"])
    for row in rows:
        if row["id"] not in reports:
            reports[row["id"]] = [
                EventSource(
                    document_id=row["document_id"],
                    event_id=row["id"],
                    title=row["doc_title"],
                    source=row["doc_source"],
                    url=row["doc_url"],
                    fatalities=row["fatalities"],
                    fatalities_low=row["fatalities_low"],
                    fatalities_high=row["fatalities_high"],
                )
            ]
    evidence: dict[str, list[Evidence]] = {}
    if with_evidence:
        # A merged event's evidence is that of each of its reports, the keeper's first.
        owners = [s.event_id for row in rows for s in reports[row["id"]]]
        evidence = _evidence(conn, "event", owners)
    return rows, reports, evidence


class Store:
    """A Harbinger database: open by URL, save coded documents, query what was coded.

    Example::

        store = Store("sqlite:///harbinger.db")
        store.save(coded)                      # True the first time, False after
        store.events(admin1="Nineveh", since=date(2019, 7, 1))
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._masked = mask_url(url)
        engine: sa.Engine | None = None
        readonly = read_only_file(url)
        try:
            engine = _make_engine(url) if readonly is None else _make_read_only_engine(readonly)
            _upgrade(engine, url)
        except (SQLAlchemyError, CommandError, OSError, ImportError, ValueError) as exc:
            if engine is not None:
                engine.dispose()
            raise StoreError(
                f"cannot open the store at {self._masked}: {_reason(exc)}; {_open_hint(exc, url)}"
            ) from exc
        self._engine = engine

    def __repr__(self) -> str:
        return f"Store({self._masked!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _reading(self, what: str) -> Iterator[Session]:
        try:
            with Session(self._engine) as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read {what} from {self._masked}: {_reason(exc)}") from exc

    @contextmanager
    def _connected(self, what: str) -> Iterator[sa.Connection]:
        """A Core connection for reads that need no ORM (cheaper than a Session per request)."""
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read {what} from {self._masked}: {_reason(exc)}") from exc

    # -- writing -----------------------------------------------------------------------------

    def save(
        self,
        coded: CodedDocument,
        *,
        origin: str = "coded",
        source_event_ids: Mapping[str, str] | None = None,
    ) -> bool:
        """Store a coded document and everything coded from it, in one transaction.

        Returns False, and only records the new source (if it differs), when the document id is
        already stored or, for coded documents, when it is a near-copy of a stored one (its
        source is then added to the original and its own coding is not stored). Coded events
        that report the same incident as events of other documents merge with them. ``origin``
        and ``source_event_ids`` (event id -> the dataset's own id) are for events imported from
        ACLED/UCDP/GTD tables. On failure nothing of the document is kept and a StoreError
        names it.
        """
        doc = coded.document
        now = dt.datetime.now(dt.UTC)
        ids = source_event_ids or {}
        # The signature is computed outside the transaction: it needs no database.
        sketch = dedup.minhash(_body(doc)) if origin == "coded" else None
        try:
            with self._engine.begin() as conn:
                if self._stored(conn, doc.id):
                    if self._add_sources(conn, [(doc.id, doc.source, doc.url)], now):
                        self._bump(conn)
                    return False
                saved = self._save_new(conn, coded, origin, ids, sketch, now)
                self._bump(conn)
                return saved
        except IntegrityError as exc:
            # Another writer may have saved the same document between our check and insert.
            if self.has_document(doc.id):
                with self._engine.begin() as conn:
                    if self._add_sources(conn, [(doc.id, doc.source, doc.url)], now):
                        self._bump(conn)
                return False
            raise StoreError(
                f"cannot save document {doc.id} ({doc.source}) in {self._masked}: {_reason(exc)}; "
                "nothing of it was stored. Event, claim and indicator ids must be unique "
                "across all documents"
            ) from exc
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot save document {doc.id} ({doc.source}) in {self._masked}: {_reason(exc)}; "
                "nothing of it was stored"
            ) from exc

    def save_many(
        self,
        items: Iterable[CodedDocument],
        *,
        origin: str = "coded",
        source_event_ids: Mapping[str, str] | None = None,
        batch_size: int = 500,
    ) -> tuple[int, int]:
        """Store many coded documents, committing every ``batch_size``; (stored, already there).

        Each batch is one transaction: a failure stores nothing of its batch and keeps every
        batch before it (the StoreError says how many documents those held). Documents are
        handled as ``save`` handles them (near-copies, merging of coded events); imported
        documents (``origin`` other than "coded") are written with one statement per table per
        batch, which is what makes a dataset of tens of thousands of rows quick to import.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be 1 or more, got {batch_size}")
        ids = source_event_ids or {}
        stored = already = 0
        batch: list[CodedDocument] = []
        for coded in items:
            batch.append(coded)
            if len(batch) >= batch_size:
                new, old = self._save_batch(batch, origin, ids, stored + already)
                stored, already = stored + new, already + old
                batch = []
        if batch:
            new, old = self._save_batch(batch, origin, ids, stored + already)
            stored, already = stored + new, already + old
        return stored, already

    def _save_batch(
        self,
        batch: Sequence[CodedDocument],
        origin: str,
        ids: Mapping[str, str],
        done: int,
    ) -> tuple[int, int]:
        now = dt.datetime.now(dt.UTC)
        coded_origin = origin == "coded"
        sketches = (
            dedup.minhashes([_body(c.document) for c in batch])
            if coded_origin
            else [None] * len(batch)
        )
        for attempt in range(_BATCH_ATTEMPTS):
            try:
                return self._try_batch(batch, origin, ids, sketches, now)
            except IntegrityError as exc:
                # Another writer stored some of these documents between our look and our insert
                # (two imports of one table at once): look again, and those are "already there".
                if attempt + 1 < _BATCH_ATTEMPTS:
                    continue
                raise self._batch_error(batch, done, exc) from exc
            except SQLAlchemyError as exc:
                raise self._batch_error(batch, done, exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _batch_error(self, batch: Sequence[CodedDocument], done: int, exc: Exception) -> StoreError:
        first = batch[0].document
        return StoreError(
            f"cannot save a batch of {len(batch)} documents (the first {first.id}, "
            f"{first.source}) in {self._masked}: {_reason(exc)}; nothing of this batch was "
            f"stored, the {done} documents of the batches before it were. Event, claim and "
            "indicator ids must be unique across all documents"
        )

    def _try_batch(
        self,
        batch: Sequence[CodedDocument],
        origin: str,
        ids: Mapping[str, str],
        sketches: Sequence[MinHash | None],
        now: dt.datetime,
    ) -> tuple[int, int]:
        """One attempt at a batch, in one transaction; (stored, already there)."""
        coded_origin = origin == "coded"
        stored = 0
        with self._engine.begin() as conn:
            wanted = list({c.document.id for c in batch})
            known: set[str] = set()
            for start in range(0, len(wanted), _CHUNK):
                known.update(
                    conn.execute(
                        sa.select(DocumentRow.id).where(
                            DocumentRow.id.in_(wanted[start : start + _CHUNK])
                        )
                    ).scalars()
                )
            sources: list[tuple[str, str, str | None]] = []
            plain: list[CodedDocument] = []
            for coded, sketch in zip(batch, sketches, strict=True):
                doc = coded.document
                if doc.id in known:
                    sources.append((doc.id, doc.source, doc.url))
                    continue
                known.add(doc.id)
                if not coded_origin:
                    plain.append(coded)
                    stored += 1
                elif self._save_new(conn, coded, origin, ids, sketch, now):
                    stored += 1
            if plain:
                _insert(conn, plain, origin, ids, now)
            added = self._add_sources(conn, sources, now)
            if stored or added:
                self._bump(conn)
        return stored, len(batch) - stored

    def _save_new(
        self,
        conn: sa.Connection,
        coded: CodedDocument,
        origin: str,
        ids: Mapping[str, str],
        sketch: MinHash | None,
        now: dt.datetime,
    ) -> bool:
        """Insert a document whose id is not stored yet; False when it is a near-copy."""
        doc = coded.document
        if sketch is not None:
            original = _near_copy_of(conn, sketch)
            if original is not None:
                self._add_sources(conn, [(original, doc.source, doc.url)], now)
                return False
        _insert(conn, [coded], origin, ids, now)
        if origin != "coded":
            return True
        if sketch is not None:
            conn.execute(
                sa.insert(DocumentMinhashRow),
                [{"document_id": doc.id, "signature": dedup.signature_to_bytes(sketch)}],
            )
            conn.execute(
                sa.insert(DocumentBandRow),
                [{"key": key, "document_id": doc.id} for key in dedup.band_keys(sketch)],
            )
        if coded.events:
            reports = [_report(e) for e in coded.events]
            conn.execute(sa.insert(EventReportRow), [_report_row(r) for r in reports])
            # Sorted: each merge's outcome is order-free, sorting only makes the work repeatable.
            for report in sorted(reports, key=lambda r: r.event_id):
                _merge(conn, report)
        return True

    @staticmethod
    def _stored(conn: sa.Connection, document_id: str) -> bool:
        found = conn.execute(sa.select(DocumentRow.id).where(DocumentRow.id == document_id))
        return found.first() is not None

    @staticmethod
    def _bump(conn: sa.Connection) -> None:
        """Count one more change of what is stored (last in a write transaction: on PostgreSQL
        the row stays locked until the commit, so concurrent writers queue here briefly)."""
        conn.execute(
            sa.update(StoreStateRow)
            .where(StoreStateRow.id == 1)
            .values(revision=StoreStateRow.revision + 1)
        )

    @staticmethod
    def _add_sources(
        conn: sa.Connection, sources: Sequence[tuple[str, str, str | None]], now: dt.datetime
    ) -> bool:
        """Record (document id, source, url) sightings not recorded yet; True if any was new."""
        if not sources:
            return False
        ids = sorted({doc_id for doc_id, _, _ in sources})
        seen: set[tuple[str, str]] = set()
        for start in range(0, len(ids), _CHUNK):
            seen.update(
                (doc_id, source)
                for doc_id, source in conn.execute(
                    sa.select(DocumentSourceRow.document_id, DocumentSourceRow.source).where(
                        DocumentSourceRow.document_id.in_(ids[start : start + _CHUNK])
                    )
                )
            )
        rows = []
        for doc_id, source, url in sources:
            if (doc_id, source) not in seen:
                seen.add((doc_id, source))
                rows.append({"document_id": doc_id, "source": source, "url": url, "seen_at": now})
        if rows:
            conn.execute(sa.insert(DocumentSourceRow), rows)
        return bool(rows)

    def record_skipped(self, skipped: Skipped) -> None:
        """Keep an input that could not be read, so a run's losses can be reported."""
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    sa.insert(SkippedRow),
                    [
                        {
                            "source": skipped.source,
                            "line": skipped.line,
                            "reason": skipped.reason,
                            "at": dt.datetime.now(dt.UTC),
                        }
                    ],
                )
                self._bump(conn)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot record {skipped.message()!r} in {self._masked}: {_reason(exc)}"
            ) from exc

    # -- reading -----------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        """Whether a document with this id is stored."""
        with self._reading(f"document {document_id}") as session:
            found = session.execute(
                sa.select(DocumentRow.id).where(DocumentRow.id == document_id)
            ).first()
            return found is not None

    def document(self, document_id: str) -> StoredDocument | None:
        """The stored document with every source it was seen in, or None."""
        with self._reading(f"document {document_id}") as session:
            row = session.get(DocumentRow, document_id)
            if row is None:
                return None
            sources = session.scalars(
                sa.select(DocumentSourceRow.source)
                .where(DocumentSourceRow.document_id == document_id)
                .order_by(DocumentSourceRow.id)
            ).all()
            return StoredDocument(
                id=row.id,
                source=row.source,
                text=row.text,
                title=row.title,
                author=row.author,
                published=row.published,
                url=row.url,
                language=row.language,
                body_start=row.body_start,
                ingested_at=_utc(row.ingested_at),
                sources=tuple(sources),
            )

    def events(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        with_evidence: bool = True,
        ids: Sequence[str] | None = None,
        document_id: str | None = None,
        sort: str = "-date",
    ) -> list[StoredEvent]:
        """Events matching every filter given, newest first (then by id), or in ``sort`` order.

        ``country`` matches the country name or its ISO code (alpha-2 or alpha-3); ``admin1`` the
        governorate name or its ISO 3166-2 code; ``event_type`` the event type or sub-event type;
        ``actor`` an actor family through the actor lens (``knowledge.lens``: "Islamic State", "IS"
        or "Daesh" take both branches), or for a name the knowledge does not know a substring of
        actor1, actor2 or an associated actor. All ignore case;
        ``since`` and ``until`` are inclusive. ``ids`` keeps the events with these ids;
        ``document_id`` those a document reports (its own, and merged events it is a source of).
        ``sort`` is one of date, fatalities, event_type, admin1, location, actor1, with '-' in
        front for descending; missing values sort last either way, then the event id.
        """
        query = _events_query(
            since=since,
            until=until,
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
            limit=limit,
            offset=offset,
            ids=ids,
            document_id=document_id,
            sort=sort,
        )
        with self._connected("events") as conn:
            rows, reports, evidence = _event_rows(conn, query, with_evidence)
        out: list[StoredEvent] = []
        for row in rows:
            ev = row  # the events columns by name, and the document's as doc_*
            sources = reports[ev["id"]]
            ingested = ev["doc_ingested_at"]
            out.append(
                StoredEvent(
                    id=ev["id"],
                    document_id=ev["document_id"],
                    date=ev["date"],
                    time_precision=ev["time_precision"],
                    event_type=ev["event_type"],
                    sub_event_type=ev["sub_event_type"],
                    actor1=ev["actor1"],
                    assoc_actor1=ev["assoc_actor1"],
                    actor2=ev["actor2"],
                    assoc_actor2=ev["assoc_actor2"],
                    inter1=ev["inter1"],
                    inter2=ev["inter2"],
                    interaction=ev["interaction"],
                    country=ev["country"],
                    country_code=ev["country_code"],
                    admin1=ev["admin1"],
                    admin1_code=ev["admin1_code"],
                    admin2=ev["admin2"],
                    location=ev["location"],
                    latitude=ev["latitude"],
                    longitude=ev["longitude"],
                    geo_precision=ev["geo_precision"],
                    gazetteer_id=ev["gazetteer_id"],
                    fatalities=ev["fatalities"],
                    fatalities_low=ev["fatalities_low"],
                    fatalities_high=ev["fatalities_high"],
                    wounded=ev["wounded"],
                    arrests=ev["arrests"],
                    confidence=ev["confidence"],
                    notes=ev["notes"],
                    origin=ev["origin"],
                    source_event_id=ev["source_event_id"],
                    evidence=tuple(e for s in sources for e in evidence.get(s.event_id, ())),
                    title=ev["doc_title"],
                    source=ev["doc_source"],
                    url=ev["doc_url"],
                    published=ev["doc_published"],
                    ingested_at=_utc(ingested) if ingested is not None else None,
                    sources=tuple(sources),
                    merged_from=tuple(
                        sorted(s.event_id for s in sources if s.event_id != ev["id"])
                    ),
                )
            )
        return out

    def event_dicts(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        sort: str = "-date",
    ) -> list[dict[str, Any]]:
        """``[e.to_dict() for e in events(...)]`` with the same arguments, built straight from
        the rows: the API's pages, where building the records cost more than reading them."""
        query = _events_query(
            since=since,
            until=until,
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
            limit=limit,
            offset=offset,
            sort=sort,
        )
        with self._connected("events") as conn:
            rows, reports, evidence = _event_rows(conn, query, with_evidence=True)
        out = []
        for row in rows:
            sources = reports[row["id"]]
            found = [e for s in sources for e in evidence.get(s.event_id, ())]
            out.append(event_dict(row, sources, found))
        return out

    def count_events(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
    ) -> int:
        """How many events match the filters (as ``events`` takes them), by one COUNT query."""
        query = _count_query(
            since=since,
            until=until,
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
        )
        with self._connected("the number of events") as conn:
            return int(conn.scalar(query) or 0)

    def event_groups(
        self,
        by: str,
        *,
        cell: float | None = None,
        bbox: BBox | None = None,
        areas_only: bool = False,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
    ) -> list[EventGroup]:
        """Events and fatalities per event type and per governorate, country or grid cell.

        ``by="admin1"``: every event with a governorate; ``by="country"``: the events known only
        to a country (no governorate); ``by="cell"``: the events placed at a point (geo
        precision 1 or 2) in squares of ``cell`` degrees, inside ``bbox`` (west, south, east,
        north) when given, each group with the mean point of its events. ``areas_only`` keeps the
        events known only to an area (geo precision 3, or no point). The filters are those of
        ``events``.
        """
        query = _groups_query(
            by,
            cell,
            bbox,
            areas_only,
            since=since,
            until=until,
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
        )
        with self._connected("event counts") as conn:
            return _groups(conn.execute(query).all(), by)

    def event_facts(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
    ) -> list[EventFacts]:
        """The events matching the filters (as ``events`` takes them) as ``EventFacts``, in no
        particular order: their own values only, read in one query, for analyses over many."""
        query = _facts_query(
            since=since,
            until=until,
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
        )
        with self._connected("events") as conn:
            return [EventFacts(*row) for row in conn.execute(query)]

    def event_summary(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
    ) -> list[EventSummary]:
        """Events and fatalities per governorate, country, event type and kind of place (known
        only to an area, or placed at a point), in one pass. The filters are those of ``events``;
        the events add up to ``count_events`` with the same filters."""
        query = _summary_query(
            since=since,
            until=until,
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
        )
        with self._connected("event counts") as conn:
            return [
                EventSummary(a1, cc, kind, bool(area), int(n), int(dead))
                for a1, cc, kind, area, n, dead in conn.execute(query)
            ]

    def event_points(
        self,
        *,
        bbox: BBox | None = None,
        limit: int | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
    ) -> list[EventPoint]:
        """The events placed at a point (geo precision 1 or 2) inside ``bbox``, deadliest first,
        with only what a map marker needs."""
        filters: dict[str, Any] = {
            "since": since,
            "until": until,
            "country": country,
            "admin1": admin1,
            "event_type": event_type,
            "actor": actor,
        }
        with self._connected("event points") as conn:
            return [
                EventPoint(
                    id=r[0],
                    latitude=float(r[1]),
                    longitude=float(r[2]),
                    event_type=r[3],
                    sub_event_type=r[4],
                    date=r[5],
                    location=r[6],
                    admin1=r[7],
                    fatalities=int(r[8] or 0),
                    geo_precision=int(r[9]),
                )
                for r in conn.execute(_points_query(bbox, limit, **filters))
            ]

    def point_dicts(
        self,
        *,
        bbox: BBox | None = None,
        limit: int | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
    ) -> list[dict[str, Any]]:
        """``[p.to_dict() for p in event_points(...)]`` with the same arguments, built straight
        from the rows (a map's view holds up to a thousand)."""
        filters: dict[str, Any] = {
            "since": since,
            "until": until,
            "country": country,
            "admin1": admin1,
            "event_type": event_type,
            "actor": actor,
        }
        with self._connected("event points") as conn:
            return [point_dict(r) for r in conn.execute(_points_query(bbox, limit, **filters))]

    def count_located(
        self,
        *,
        bbox: BBox | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
    ) -> int:
        """How many events ``event_points`` would give without a limit (one COUNT query)."""
        query = _located_count_query(
            bbox,
            since=since,
            until=until,
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
        )
        with self._connected("the number of located events") as conn:
            return int(conn.scalar(query) or 0)

    def actor_names(self, limit: int = 200) -> list[tuple[str, int]]:
        """The actor names events carry (actor 1 or 2) with their events, most frequent first."""
        if limit < 0:
            raise ValueError(f"limit must be 0 or more, got {limit}")
        with self._connected("actor names") as conn:
            return [(str(n), int(k)) for n, k in conn.execute(_actor_names_query(limit))]

    def count_located_upto(
        self,
        limit: int,
        *,
        bbox: BBox | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
    ) -> int:
        """``count_located`` when it is at most ``limit``, else ``limit + 1``: it stops reading
        there, so asking "more than 1,500 in view?" does not count the 50,000 that are."""
        query = _located_probe_query(
            bbox,
            limit + 1,
            since=since,
            until=until,
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
        )
        with self._connected("the number of located events") as conn:
            return int(conn.scalar(query) or 0)

    def revision(self) -> int:
        """A number that grows with every write that changes what is stored (any process's).

        Equal numbers mean nothing was stored in between: what was computed from the store then
        still holds.
        """
        with self._connected("the store's revision") as conn:
            return int(
                conn.scalar(sa.select(StoreStateRow.revision).where(StoreStateRow.id == 1)) or 0
            )

    def event(self, event_id: str) -> StoredEvent | None:
        """One event by id; the id of a report merged into another event finds that event."""
        with self._reading(f"event {event_id}") as session:
            merged = session.scalar(
                sa.select(EventReportRow.merged_id).where(EventReportRow.event_id == event_id)
            )
        found = self.events(ids=[merged or event_id])
        return found[0] if found else None

    def claims(self, document_id: str | None = None) -> list[StoredClaim]:
        """All claims, or those of one document, ordered by document then id."""
        query = (
            sa.select(
                ClaimRow,
                DocumentRow.title,
                DocumentRow.source,
                DocumentRow.url,
                DocumentRow.published,
            )
            .join(DocumentRow, ClaimRow.document_id == DocumentRow.id)
            .order_by(ClaimRow.document_id, ClaimRow.id)
        )
        if document_id is not None:
            query = query.where(ClaimRow.document_id == document_id)
        with self._reading("claims") as session:
            rows = session.execute(query).all()
            evidence = _evidence(session, "claim", [r[0].id for r in rows])
            out: list[StoredClaim] = []
            for row in rows:
                c: ClaimRow = row[0]
                out.append(
                    StoredClaim(
                        id=c.id,
                        document_id=c.document_id,
                        speaker=c.speaker,
                        speaker_title=c.speaker_title,
                        stance=c.stance,
                        text=c.text,
                        about_actor=c.about_actor,
                        place=c.place,
                        admin1_code=c.admin1_code,
                        latitude=c.latitude,
                        longitude=c.longitude,
                        evidence=tuple(evidence.get(c.id, ())),
                        title=row[1],
                        source=row[2],
                        url=row[3],
                        published=row[4],
                    )
                )
            return out

    def indicators(self, document_id: str | None = None) -> list[StoredIndicator]:
        """All indicators, or those of one document, ordered by document then id."""
        query = (
            sa.select(
                IndicatorRow,
                DocumentRow.title,
                DocumentRow.source,
                DocumentRow.url,
                DocumentRow.published,
            )
            .join(DocumentRow, IndicatorRow.document_id == DocumentRow.id)
            .order_by(IndicatorRow.document_id, IndicatorRow.id)
        )
        if document_id is not None:
            query = query.where(IndicatorRow.document_id == document_id)
        with self._reading("indicators") as session:
            rows = session.execute(query).all()
            evidence = _evidence(session, "indicator", [r[0].id for r in rows])
            out: list[StoredIndicator] = []
            for row in rows:
                i: IndicatorRow = row[0]
                out.append(
                    StoredIndicator(
                        id=i.id,
                        document_id=i.document_id,
                        kind=i.kind,
                        value=i.value_num if i.value_num is not None else i.value,
                        value_num=i.value_num,
                        low=i.low,
                        high=i.high,
                        actor=i.actor,
                        place=i.place,
                        admin1_code=i.admin1_code,
                        evidence=tuple(evidence.get(i.id, ())),
                        title=row[1],
                        source=row[2],
                        url=row[3],
                        published=row[4],
                    )
                )
            return out

    def counts(self) -> dict[str, int]:
        """Rows per kind: documents, events, claims, indicators, skipped."""
        tables = {
            "documents": DocumentRow,
            "events": EventRow,
            "claims": ClaimRow,
            "indicators": IndicatorRow,
            "skipped": SkippedRow,
        }
        with self._reading("counts") as session:
            counts = {
                name: int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)
                for name, model in tables.items()
            }
            # Events merged into another one are counted once, as that event.
            counts["events"] = int(
                session.scalar(
                    sa.select(sa.func.count())
                    .select_from(EventRow)
                    .where(EventRow.merged_into.is_(None))
                )
                or 0
            )
            return counts

    def close(self) -> None:
        """Release the database connections (the store cannot be used afterwards)."""
        self._engine.dispose()
