"""The store stage: coded documents in, rows out; SQLite by default, PostgreSQL by URL.

``Store`` opens a database by SQLAlchemy URL, brings its schema to the newest Alembic revision
(shipped inside the package, so no alembic.ini is needed), saves each ``CodedDocument`` in one
transaction (a document already stored is never stored twice), and reads events, claims and
indicators back as frozen ``Stored*`` records that carry their evidence and their document's
title, source and URL. Duplicates are resolved at save time, in the document's transaction (see
``harbinger.dedup``): a near-copy of a stored document (MinHash LSH over the body's word 5-grams,
band keys in ``document_bands``) only adds its source to the original; a coded event that
reports the same incident as events of other documents merges with them into one ``events`` row
whose fatalities are reconciled UCDP-style, while ``event_reports`` keeps each report's own
figures and evidence. Events imported from datasets (origin other than "coded") are never
merged, with each other or with coded ones: a dataset row is already one event, and the
datasets' coding and Harbinger's are kept apart so that either can be compared with the other. Every statement goes through SQLAlchemy Core/ORM with bound parameters.
Failures surface as ``StoreError`` naming the database (password masked) and what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pycountry
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from datasketch import MinHash
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from harbinger import dedup
from harbinger.errors import StoreError
from harbinger.records import (
    Claim,
    CodedDocument,
    Document,
    Event,
    Evidence,
    GeoPrecision,
    Indicator,
    Place,
    Skipped,
    TimePrecision,
)
from harbinger.store.models import (
    ClaimRow,
    DocumentBandRow,
    DocumentMinhashRow,
    DocumentRow,
    DocumentSourceRow,
    EventReportRow,
    EventRow,
    EvidenceRow,
    IndicatorRow,
    SkippedRow,
)

__all__ = [
    "MIGRATIONS_DIR",
    "EventSource",
    "Store",
    "StoredClaim",
    "StoredDocument",
    "StoredEvent",
    "StoredIndicator",
    "mask_url",
]

#: The Alembic scripts, shipped as package data beside this package.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

#: Key of the PostgreSQL advisory lock that serialises schema upgrades of concurrent workers.
_MIGRATION_LOCK_KEY = 0x4841524247  # "HARBG"

#: Rows per IN (...) list when fetching evidence; well under SQLite's bound-parameter limit.
_CHUNK = 500


# -- records read back -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventSource:
    """One report of an event: its document and the figures that document gave."""

    document_id: str | None
    event_id: str
    title: str | None
    source: str | None
    url: str | None
    fatalities: int
    fatalities_low: int | None
    fatalities_high: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "event_id": self.event_id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "fatalities": self.fatalities,
            "fatalities_low": self.fatalities_low,
            "fatalities_high": self.fatalities_high,
        }


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event row with its evidence and its document's title, source, URL and dates."""

    id: str
    document_id: str | None
    date: dt.date | None
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor1: str | None
    actor2: str | None
    assoc_actor2: str | None
    inter1: int | None
    inter2: int | None
    interaction: int | None
    country: str | None
    country_code: str | None
    admin1: str | None
    admin1_code: str | None
    admin2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    gazetteer_id: str | None
    fatalities: int
    fatalities_low: int | None
    fatalities_high: int | None
    wounded: int | None
    arrests: int | None
    confidence: float
    notes: str
    origin: str
    source_event_id: str | None
    evidence: tuple[Evidence, ...] = ()
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    ingested_at: dt.datetime | None = None
    #: Every report of the event (the one lending its fields first), each with its own figures.
    sources: tuple[EventSource, ...] = ()
    #: The ids of the coded events of other reports merged into this one (sorted).
    merged_from: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The keys of ``records.Event.to_dict()`` plus document_id, source, title, origin,
        sources (each report: document_id, event_id, title, source, url and its own fatalities,
        fatalities_low, fatalities_high) and merged_from (ids of the events merged into it)."""
        return {
            "id": self.id,
            "date": self.date.isoformat() if self.date else None,
            "time_precision": self.time_precision,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1,
            "assoc_actor1": self.assoc_actor1,
            "actor2": self.actor2,
            "assoc_actor2": self.assoc_actor2,
            "inter1": self.inter1,
            "inter2": self.inter2,
            "interaction": self.interaction,
            "country": self.country,
            "admin1": self.admin1,
            "admin1_code": self.admin1_code,
            "admin2": self.admin2,
            "location": self.location,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geo_precision": self.geo_precision,
            "fatalities": self.fatalities,
            "fatalities_low": self.fatalities_low,
            "fatalities_high": self.fatalities_high,
            "wounded": self.wounded,
            "arrests": self.arrests,
            "confidence": round(self.confidence, 3),
            "notes": self.notes,
            "evidence": [e.to_dict() for e in self.evidence],
            "document_id": self.document_id,
            "source": self.source,
            "title": self.title,
            "origin": self.origin,
            "sources": [r.to_dict() for r in self.sources],
            "merged_from": list(self.merged_from),
        }

    def to_event(self) -> Event:
        """The row as a ``records.Event`` again (for the analysis stage)."""
        place = None
        if self.location is not None:
            place = Place(
                name=self.location,
                country=self.country,
                country_code=self.country_code,
                admin1=self.admin1,
                admin1_code=self.admin1_code,
                admin2=self.admin2,
                latitude=self.latitude,
                longitude=self.longitude,
                precision=cast(GeoPrecision, self.geo_precision or 3),
                gazetteer_id=self.gazetteer_id,
            )
        return Event(
            id=self.id,
            document_id=self.document_id or "",
            event_type=self.event_type,
            sub_event_type=self.sub_event_type,
            date=self.date,
            time_precision=cast(TimePrecision, self.time_precision),
            actor1=self.actor1,
            actor2=self.actor2,
            assoc_actor1=self.assoc_actor1,
            assoc_actor2=self.assoc_actor2,
            inter1=self.inter1,
            inter2=self.inter2,
            place=place,
            fatalities=self.fatalities,
            fatalities_low=self.fatalities_low,
            fatalities_high=self.fatalities_high,
            wounded=self.wounded,
            arrests=self.arrests,
            confidence=self.confidence,
            notes=self.notes,
            evidence=self.evidence,
        )


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document row with every source it was seen in (first source first)."""

    id: str
    source: str
    text: str
    title: str | None
    author: str | None
    published: dt.date | None
    url: str | None
    language: str
    body_start: int
    ingested_at: dt.datetime
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The document keys of ``records.CodedDocument.to_dict()`` plus text and sources."""
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "body_start": self.body_start,
            "ingested_at": self.ingested_at.isoformat(),
            "sources": list(self.sources),
            "text": self.text,
        }

    def to_document(self) -> Document:
        """The row as a ``records.Document`` again."""
        return Document(
            id=self.id,
            source=self.source,
            text=self.text,
            title=self.title,
            author=self.author,
            published=self.published,
            url=self.url,
            language=self.language,
            body_start=self.body_start,
            ingested_at=self.ingested_at,
        )


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A claim row with its evidence and its document's title and source."""

    id: str
    document_id: str
    speaker: str
    speaker_title: str | None
    stance: str
    text: str
    about_actor: str | None
    place: str | None
    admin1_code: str | None
    latitude: float | None
    longitude: float | None
    evidence: tuple[Evidence, ...] = ()
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The keys of ``records.Claim.to_dict()`` plus document_id, source, title."""
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_title": self.speaker_title,
            "stance": self.stance,
            "text": self.text,
            "about_actor": self.about_actor,
            "place": self.place,
            "admin1_code": self.admin1_code,
            "evidence": [e.to_dict() for e in self.evidence],
            "document_id": self.document_id,
            "source": self.source,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True)
class StoredIndicator:
    """An indicator row; ``value`` is a float when it was stored as a number."""

    id: str
    document_id: str
    kind: str
    value: float | str | None
    value_num: float | None
    low: float | None
    high: float | None
    actor: str | None
    place: str | None
    admin1_code: str | None
    evidence: tuple[Evidence, ...] = ()
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The keys of ``records.Indicator.to_dict()`` plus document_id, source, title."""
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "actor": self.actor,
            "place": self.place,
            "admin1_code": self.admin1_code,
            "evidence": [e.to_dict() for e in self.evidence],
            "document_id": self.document_id,
            "source": self.source,
            "title": self.title,
        }


# -- helpers ---------------------------------------------------------------------------------


def mask_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (also for strings SQLAlchemy cannot parse)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _reason(exc: BaseException) -> str:
    """The driver's own message, without SQLAlchemy's statement dump and background link."""
    if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None:
        return str(exc.orig)
    return str(exc)


def _utc(value: dt.datetime | None) -> dt.datetime:
    """A timezone-aware UTC datetime; naive values (as SQLite returns them) are taken as UTC."""
    if value is None:
        return dt.datetime.now(dt.UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Constant PRAGMAs on the raw DB-API connection, before SQLAlchemy starts a transaction:
    # SQLite leaves foreign keys off per connection unless asked, and WAL lets readers (the web
    # app) run while the pipeline writes.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _make_engine(url: str) -> sa.Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)
    if parsed.database in (None, "", ":memory:"):
        # An in-memory database lives in one connection: share it, or each checkout is empty.
        engine = sa.create_engine(
            parsed,
            poolclass=sa.pool.StaticPool,
            connect_args={"check_same_thread": False},
        )
    else:
        engine = sa.create_engine(parsed)
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _upgrade(engine: sa.Engine, url: str) -> None:
    """``alembic upgrade head`` on the store's own connection, configured without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolates "%": a URL-encoded password must be escaped to survive.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Workers opening the store at once would race to create the tables.
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _open_hint(exc: BaseException, url: str) -> str:
    text = str(exc).lower()
    if isinstance(exc, ModuleNotFoundError):
        return (
            f"the database driver {exc.name!r} is not installed; install it "
            "(for PostgreSQL: pip install 'psycopg[binary]' and use postgresql+psycopg://...)"
        )
    if isinstance(exc, CommandError) and "can't locate revision" in text:
        return "the database was migrated by a newer Harbinger; upgrade harbinger to open it"
    if isinstance(exc, ArgumentError) or "no such module" in text or "can't load plugin" in text:
        return "check the URL, e.g. sqlite:///harbinger.db or postgresql+psycopg://user@host/db"
    if url.startswith("sqlite") and "unable to open" in text:
        return "check that the folder of the database file exists and is writable"
    return "check the URL, that the server is running, and that you may connect and create tables"


def _event_row(event: Event, origin: str, source_event_id: str | None) -> dict[str, Any]:
    p = event.place
    return {
        "id": event.id,
        "document_id": event.document_id,
        "date": event.date,
        "time_precision": event.time_precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "assoc_actor1": event.assoc_actor1,
        "actor2": event.actor2,
        "assoc_actor2": event.assoc_actor2,
        "inter1": event.inter1,
        "inter2": event.inter2,
        "interaction": event.interaction,
        "country": p.country if p else None,
        "country_code": p.country_code if p else None,
        "admin1": p.admin1 if p else None,
        "admin1_code": p.admin1_code if p else None,
        "admin2": p.admin2 if p else None,
        "location": p.name if p else None,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
        "geo_precision": p.precision if p else None,
        "gazetteer_id": p.gazetteer_id if p else None,
        "fatalities": event.fatalities,
        "fatalities_low": event.fatalities_low,
        "fatalities_high": event.fatalities_high,
        "wounded": event.wounded,
        "arrests": event.arrests,
        "confidence": event.confidence,
        "notes": event.notes,
        "origin": origin,
        "source_event_id": source_event_id,
    }


def _claim_row(claim: Claim) -> dict[str, Any]:
    p = claim.place
    return {
        "id": claim.id,
        "document_id": claim.document_id,
        "speaker": claim.speaker,
        "speaker_title": claim.speaker_title,
        "stance": claim.stance,
        "text": claim.text,
        "about_actor": claim.about_actor,
        "place": p.name if p else None,
        "admin1_code": p.admin1_code if p else None,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
    }


def _indicator_row(indicator: Indicator) -> dict[str, Any]:
    value = indicator.value
    # Numbers keep their exact value in value_num (what aggregations use); the text column keeps
    # what was written. A string is never parsed here: "about 50,000" stays text.
    value_num = (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    )
    p = indicator.place
    return {
        "id": indicator.id,
        "document_id": indicator.document_id,
        "kind": indicator.kind,
        "value": None if value is None else str(value),
        "value_num": value_num,
        "low": indicator.low,
        "high": indicator.high,
        "actor": indicator.actor,
        "place": p.name if p else None,
        "admin1_code": p.admin1_code if p else None,
    }


def _evidence_rows(
    kind: str, owner_id: str, document_id: str | None, evidence: Iterable[Evidence]
) -> list[dict[str, Any]]:
    return [
        {
            "owner_kind": kind,
            "owner_id": owner_id,
            "document_id": document_id,
            "sentence": e.sentence,
            "start": e.start,
            "end": e.end,
        }
        for e in evidence
    ]


def _country_codes(value: str) -> set[str]:
    """The lower-cased ways a country filter may appear in the country_code column."""
    codes = {value.casefold()}
    # Accept ISO alpha-3 ("IRQ") as well as the alpha-2 codes the gazetteer stores.
    if len(value) == 3 and value.isalpha():
        found = pycountry.countries.get(alpha_3=value.upper())
        if found is not None:
            codes.add(str(found.alpha_2).casefold())
    return codes


def _events_query(
    *,
    since: dt.date | None,
    until: dt.date | None,
    country: str | None,
    admin1: str | None,
    event_type: str | None,
    actor: str | None,
    limit: int | None,
    offset: int,
    ids: Sequence[str] | None = None,
    document_id: str | None = None,
) -> sa.Select[EventRow, str | None, str, str | None, dt.date | None, dt.datetime]:
    """The SELECT behind ``Store.events``: every filter a bound parameter, newest first."""
    e = EventRow
    query = sa.select(
        e,
        DocumentRow.title,
        DocumentRow.source,
        DocumentRow.url,
        DocumentRow.published,
        DocumentRow.ingested_at,
    ).outerjoin(DocumentRow, e.document_id == DocumentRow.id)
    # Reports merged into another event are that event's sources, not events of their own.
    query = query.where(e.merged_into.is_(None))
    if ids is not None:
        query = query.where(e.id.in_(list(ids)))
    if document_id is not None:
        # The document's own events, and the merged events it is one of the reports of.
        merged = sa.select(EventReportRow.merged_id).where(
            EventReportRow.document_id == document_id
        )
        query = query.where(sa.or_(e.document_id == document_id, e.id.in_(merged)))
    if since is not None:
        query = query.where(e.date >= since)
    if until is not None:
        query = query.where(e.date <= until)
    if country:
        query = query.where(
            sa.or_(
                sa.func.lower(e.country) == country.strip().lower(),
                sa.func.lower(e.country_code).in_(sorted(_country_codes(country.strip()))),
            )
        )
    if admin1:
        wanted = admin1.strip().lower()
        query = query.where(
            sa.or_(sa.func.lower(e.admin1) == wanted, sa.func.lower(e.admin1_code) == wanted)
        )
    if event_type:
        wanted = event_type.strip().lower()
        query = query.where(
            sa.or_(
                sa.func.lower(e.event_type) == wanted,
                sa.func.lower(e.sub_event_type) == wanted,
            )
        )
    if actor:
        needle = actor.strip().lower()
        columns = (e.actor1, e.actor2, e.assoc_actor1, e.assoc_actor2)
        query = query.where(
            sa.or_(*(sa.func.lower(c).contains(needle, autoescape=True) for c in columns))
        )
    # NULLS LAST spelled out: SQLite and PostgreSQL disagree on where NULL dates sort.
    query = query.order_by(e.date.desc().nulls_last(), e.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return query


# -- writing helpers ---------------------------------------------------------------------------


def _body(doc: Document) -> str:
    """The text a near-copy is judged on: the body, so that a new headline does not count."""
    body = doc.text[doc.body_start :]
    return body if body.strip() else doc.text


def _insert(
    conn: sa.Connection,
    items: Sequence[CodedDocument],
    origin: str,
    source_event_ids: Mapping[str, str],
    now: dt.datetime,
) -> None:
    """Insert new documents and everything coded from them: one statement per table."""
    docs = [c.document for c in items]
    conn.execute(
        sa.insert(DocumentRow),
        [
            {
                "id": doc.id,
                "source": doc.source,
                "url": doc.url,
                "title": doc.title,
                "author": doc.author,
                "published": doc.published,
                "language": doc.language,
                "text": doc.text,
                "body_start": doc.body_start,
                "ingested_at": _utc(doc.ingested_at or now),
            }
            for doc in docs
        ],
    )
    conn.execute(
        sa.insert(DocumentSourceRow),
        [{"document_id": d.id, "source": d.source, "url": d.url, "seen_at": now} for d in docs],
    )
    events = [e for c in items for e in c.events]
    claims = [c for item in items for c in item.claims]
    indicators = [i for c in items for i in c.indicators]
    evidence: list[dict[str, Any]] = []
    if events:
        conn.execute(
            sa.insert(EventRow),
            [_event_row(e, origin, source_event_ids.get(e.id)) for e in events],
        )
        for e in events:
            evidence += _evidence_rows("event", e.id, e.document_id, e.evidence)
    if claims:
        conn.execute(sa.insert(ClaimRow), [_claim_row(c) for c in claims])
        for c in claims:
            evidence += _evidence_rows("claim", c.id, c.document_id, c.evidence)
    if indicators:
        conn.execute(sa.insert(IndicatorRow), [_indicator_row(i) for i in indicators])
        for i in indicators:
            evidence += _evidence_rows("indicator", i.id, i.document_id, i.evidence)
    if evidence:
        conn.execute(sa.insert(EvidenceRow), evidence)


def _near_copy_of(conn: sa.Connection, sketch: MinHash) -> str | None:
    """The id of the stored document this one is a near-copy of, or None.

    Candidates share at least one LSH band key (one indexed IN query); the most similar one at
    or above the threshold wins, the smallest id breaking a tie.
    """
    candidates = sorted(
        set(
            conn.execute(
                sa.select(DocumentBandRow.document_id).where(
                    DocumentBandRow.key.in_(dedup.band_keys(sketch))
                )
            ).scalars()
        )
    )
    if not candidates:
        return None
    best: tuple[float, str] | None = None
    for start in range(0, len(candidates), _CHUNK):
        rows = conn.execute(
            sa.select(DocumentMinhashRow.document_id, DocumentMinhashRow.signature).where(
                DocumentMinhashRow.document_id.in_(candidates[start : start + _CHUNK])
            )
        )
        for doc_id, signature in rows:
            similarity = dedup.jaccard(sketch, dedup.signature_from_bytes(bytes(signature)))
            if similarity >= dedup.THRESHOLD and (best is None or (-similarity, doc_id) < best):
                best = (-similarity, doc_id)
    return None if best is None else best[1]


def _report(event: Event) -> dedup.ReportKey:
    p = event.place
    return dedup.ReportKey(
        event_id=event.id,
        document_id=event.document_id,
        date=event.date,
        time_precision=event.time_precision,
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        actor1=event.actor1,
        actor2=event.actor2,
        country_code=p.country_code if p else None,
        location=p.name if p else None,
        gazetteer_id=p.gazetteer_id if p else None,
        latitude=p.latitude if p else None,
        longitude=p.longitude if p else None,
        geo_precision=p.precision if p else None,
        confidence=event.confidence,
        fatalities=event.fatalities,
        fatalities_low=event.fatalities_low,
        fatalities_high=event.fatalities_high,
    )


def _report_row(report: dedup.ReportKey) -> dict[str, Any]:
    row = {name: getattr(report, name) for name in _REPORT_FIELDS}
    row["merged_id"] = report.event_id
    return row


#: The columns of event_reports that make up a ``dedup.ReportKey``.
_REPORT_FIELDS = tuple(dedup.ReportKey.__dataclass_fields__)


def _report_from_row(row: Any) -> dedup.ReportKey:
    return dedup.ReportKey(**{name: getattr(row, name) for name in _REPORT_FIELDS})


def _merge(conn: sa.Connection, report: dedup.ReportKey) -> None:
    """Merge a new report's event with the stored incidents it reports, if any.

    Incidents are formed by leader clustering in one fixed order (``dedup.representative_order``):
    each report joins the first leader it reports the same incident as, or leads an incident of
    its own. A report is compared with leaders, not with every member, so that daily events in
    one town do not chain into one (single linkage would join Monday to Wednesday through
    Tuesday). The new report is compared with the leaders around it; it and the incidents it
    matches are re-clustered together, so the result does not depend on which arrived first
    (exactly so whenever the reports of an incident all match each other; a chain of reports
    each a day apart may still split differently by order). A leader's events row is the
    incident, with reconciled fatalities; the other reports' rows stay, hidden by
    ``merged_into``, so that any of them can lead again.
    """
    if not dedup.mergeable(report) or report.date is None:
        return
    r = EventReportRow
    # Core rows of the table (attribute access by column name), not ORM objects: this runs on
    # the transaction's Connection.
    table = EventReportRow.__table__
    day = dt.timedelta(days=dedup.MAX_DAYS_APART)
    # The date window and event type narrow the candidates by index; place, actors and the
    # other document are checked in Python, where the 10 km distance can be computed.
    query = sa.select(table).where(
        r.date >= report.date - day,
        r.date <= report.date + day,
        r.event_type == report.event_type,
        r.time_precision == 1,
        r.document_id != report.document_id,
        r.merged_id == r.event_id,
    )
    if report.country_code is not None:
        query = query.where(r.country_code == report.country_code)
    leaders = sorted(
        row.event_id
        for row in conn.execute(query)
        if dedup.same_incident(report, _report_from_row(row))
    )
    if not leaders:
        return
    members = [report] + [
        _report_from_row(row)
        for row in conn.execute(sa.select(table).where(r.merged_id.in_(leaders)))
    ]
    clusters: list[list[dedup.ReportKey]] = []
    for member in sorted(members, key=dedup.representative_order):
        home = next((c for c in clusters if dedup.same_incident(member, c[0])), None)
        if home is None:
            clusters.append([member])
        else:
            home.append(member)
    for cluster in clusters:
        keeper = cluster[0]
        ids = [m.event_id for m in cluster]
        figures: dict[str, int | None]
        if len(cluster) > 1:
            best, low, high = dedup.reconcile(cluster)
            figures = {"fatalities": best, "fatalities_low": low, "fatalities_high": high}
        else:
            figures = {
                "fatalities": keeper.fatalities,
                "fatalities_low": keeper.fatalities_low,
                "fatalities_high": keeper.fatalities_high,
            }
        conn.execute(sa.update(r).where(r.event_id.in_(ids)).values(merged_id=keeper.event_id))
        conn.execute(
            sa.update(EventRow).where(EventRow.id.in_(ids[1:])).values(merged_into=keeper.event_id)
        )
        conn.execute(
            sa.update(EventRow)
            .where(EventRow.id == keeper.event_id)
            .values(merged_into=None, **figures)
        )


# -- the store ---------------------------------------------------------------------------------


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
        try:
            engine = _make_engine(url)
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
                    self._add_sources(conn, [(doc.id, doc.source, doc.url)], now)
                    return False
                return self._save_new(conn, coded, origin, ids, sketch, now)
        except IntegrityError as exc:
            # Another writer may have saved the same document between our check and insert.
            if self.has_document(doc.id):
                with self._engine.begin() as conn:
                    self._add_sources(conn, [(doc.id, doc.source, doc.url)], now)
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
        stored = 0
        try:
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
                self._add_sources(conn, sources, now)
        except SQLAlchemyError as exc:
            first = batch[0].document
            raise StoreError(
                f"cannot save a batch of {len(batch)} documents (the first {first.id}, "
                f"{first.source}) in {self._masked}: {_reason(exc)}; nothing of this batch was "
                f"stored, the {done} documents of the batches before it were. Event, claim and "
                "indicator ids must be unique across all documents"
            ) from exc
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
    def _add_sources(
        conn: sa.Connection, sources: Sequence[tuple[str, str, str | None]], now: dt.datetime
    ) -> None:
        """Record (document id, source, url) sightings not recorded yet."""
        if not sources:
            return
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
    ) -> list[StoredEvent]:
        """Events matching every filter given, newest first (then by id).

        ``country`` matches the country name or its ISO code (alpha-2 or alpha-3); ``admin1`` the
        governorate name or its ISO 3166-2 code; ``event_type`` the event type or sub-event type;
        ``actor`` is a substring of actor1, actor2 or an associated actor. All ignore case;
        ``since`` and ``until`` are inclusive. ``ids`` keeps the events with these ids;
        ``document_id`` those a document reports (its own, and merged events it is a source of).
        """
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be 0 or more, got {limit}")
        if offset < 0:
            raise ValueError(f"offset must be 0 or more, got {offset}")
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
        )
        with self._reading("events") as session:
            rows = session.execute(query).all()
            reports = self._reports(
                session, [row[0].id for row in rows if row[0].origin == "coded"]
            )
            evidence: dict[str, list[Evidence]] = {}
            if with_evidence:
                # A merged event's evidence is that of each of its reports, the keeper's first.
                owners = [s.event_id for row in rows for s in reports.get(row[0].id, ())]
                owners += [row[0].id for row in rows if row[0].id not in reports]
                evidence = self._evidence(session, "event", owners)
            out: list[StoredEvent] = []
            for row in rows:
                ev: EventRow = row[0]
                sources = reports.get(ev.id) or [
                    EventSource(
                        document_id=ev.document_id,
                        event_id=ev.id,
                        title=row[1],
                        source=row[2],
                        url=row[3],
                        fatalities=ev.fatalities,
                        fatalities_low=ev.fatalities_low,
                        fatalities_high=ev.fatalities_high,
                    )
                ]
                out.append(
                    StoredEvent(
                        id=ev.id,
                        document_id=ev.document_id,
                        date=ev.date,
                        time_precision=ev.time_precision,
                        event_type=ev.event_type,
                        sub_event_type=ev.sub_event_type,
                        actor1=ev.actor1,
                        assoc_actor1=ev.assoc_actor1,
                        actor2=ev.actor2,
                        assoc_actor2=ev.assoc_actor2,
                        inter1=ev.inter1,
                        inter2=ev.inter2,
                        interaction=ev.interaction,
                        country=ev.country,
                        country_code=ev.country_code,
                        admin1=ev.admin1,
                        admin1_code=ev.admin1_code,
                        admin2=ev.admin2,
                        location=ev.location,
                        latitude=ev.latitude,
                        longitude=ev.longitude,
                        geo_precision=ev.geo_precision,
                        gazetteer_id=ev.gazetteer_id,
                        fatalities=ev.fatalities,
                        fatalities_low=ev.fatalities_low,
                        fatalities_high=ev.fatalities_high,
                        wounded=ev.wounded,
                        arrests=ev.arrests,
                        confidence=ev.confidence,
                        notes=ev.notes,
                        origin=ev.origin,
                        source_event_id=ev.source_event_id,
                        evidence=tuple(e for s in sources for e in evidence.get(s.event_id, ())),
                        title=row[1],
                        source=row[2],
                        url=row[3],
                        published=row[4],
                        ingested_at=_utc(row[5]) if row[5] is not None else None,
                        sources=tuple(sources),
                        merged_from=tuple(
                            sorted(s.event_id for s in sources if s.event_id != ev.id)
                        ),
                    )
                )
            return out

    def event(self, event_id: str) -> StoredEvent | None:
        """One event by id; the id of a report merged into another event finds that event."""
        with self._reading(f"event {event_id}") as session:
            merged = session.scalar(
                sa.select(EventReportRow.merged_id).where(EventReportRow.event_id == event_id)
            )
        found = self.events(ids=[merged or event_id])
        return found[0] if found else None

    @staticmethod
    def _reports(session: Session, merged_ids: Sequence[str]) -> dict[str, list[EventSource]]:
        """The reports of each merged event: the keeper first, then by event id."""
        out: dict[str, list[EventSource]] = {}
        r = EventReportRow
        for start in range(0, len(merged_ids), _CHUNK):
            chunk = merged_ids[start : start + _CHUNK]
            rows = session.execute(
                sa.select(
                    r.merged_id,
                    r.event_id,
                    r.document_id,
                    DocumentRow.title,
                    DocumentRow.source,
                    DocumentRow.url,
                    r.fatalities,
                    r.fatalities_low,
                    r.fatalities_high,
                )
                .outerjoin(DocumentRow, r.document_id == DocumentRow.id)
                .where(r.merged_id.in_(chunk))
                .order_by(r.merged_id, r.event_id)
            )
            for merged_id, event_id, doc_id, title, source, url, deaths, low, high in rows:
                item = EventSource(doc_id, event_id, title, source, url, deaths, low, high)
                out.setdefault(merged_id, []).append(item)
        for merged_id, items in out.items():
            keeper = merged_id
            items.sort(key=lambda s: (s.event_id != keeper, s.event_id))
        return out

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
            evidence = self._evidence(session, "claim", [r[0].id for r in rows])
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
            evidence = self._evidence(session, "indicator", [r[0].id for r in rows])
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

    @staticmethod
    def _evidence(
        session: Session, kind: str, owner_ids: Sequence[str]
    ) -> dict[str, list[Evidence]]:
        """Evidence per owner id, in the order it was saved."""
        out: dict[str, list[Evidence]] = {}
        for start in range(0, len(owner_ids), _CHUNK):
            chunk = owner_ids[start : start + _CHUNK]
            rows = session.execute(
                sa.select(
                    EvidenceRow.owner_id, EvidenceRow.sentence, EvidenceRow.start, EvidenceRow.end
                )
                .where(EvidenceRow.owner_kind == kind, EvidenceRow.owner_id.in_(chunk))
                .order_by(EvidenceRow.id)
            )
            for owner_id, sentence, begin, end in rows:
                out.setdefault(owner_id, []).append(Evidence(sentence, begin, end))
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
