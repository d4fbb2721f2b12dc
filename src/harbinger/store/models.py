"""The store's tables as SQLAlchemy 2 typed declarative models.

One table per record of DESIGN.md (documents, events, claims, indicators) plus the sources a
document was seen in, the evidence spans behind every coded value, the inputs that were
skipped, and the duplicate-finding tables of revision 0002: each coded event as reported by its
document (``event_reports``, several of which may merge into one ``events`` row), and the
MinHash signature and LSH band keys of each coded document (``document_minhashes``,
``document_bands``), and from revision 0003 the store's change counter (``store_state``) and the
indexes that keep paging, counting and the map's aggregates fast on 100,000 events (0003 to
0005). Only portable types are used (Text, Integer, Float, Date, timezone-aware DateTime) so
the same schema runs on SQLite and PostgreSQL 15. Constraint and index names come from one naming
convention, so the hand-written Alembic migration and these models name things identically and
autogenerate's comparison finds no difference.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "ClaimRow",
    "DocumentBandRow",
    "DocumentMinhashRow",
    "DocumentRow",
    "DocumentSourceRow",
    "EventReportRow",
    "EventRow",
    "EvidenceRow",
    "IndicatorRow",
    "SkippedRow",
    "StoreStateRow",
]

#: Deterministic constraint names: the migration spells them out, and PostgreSQL error messages
#: then name something a reader can find in the schema.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Values of ``evidence.owner_kind``.
OWNER_KINDS = ("event", "claim", "indicator")


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def _document_fk() -> sa.ForeignKey:
    # Deleting a document takes everything coded from it along.
    return sa.ForeignKey("documents.id", ondelete="CASCADE")


class DocumentRow(Base):
    """An ingested document; ``id`` is the SHA-256 of its normalised text."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    source: Mapped[str] = mapped_column(sa.Text)
    url: Mapped[str | None] = mapped_column(sa.Text)
    title: Mapped[str | None] = mapped_column(sa.Text)
    author: Mapped[str | None] = mapped_column(sa.Text)
    published: Mapped[dt.date | None] = mapped_column(sa.Date)
    language: Mapped[str] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    body_start: Mapped[int] = mapped_column(sa.Integer)
    ingested_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class DocumentSourceRow(Base):
    """A source a document was seen in; a copy from another source adds a row, not a document."""

    __tablename__ = "document_sources"
    __table_args__ = (sa.UniqueConstraint("document_id", "source"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(sa.Text, _document_fk())
    source: Mapped[str] = mapped_column(sa.Text)
    url: Mapped[str | None] = mapped_column(sa.Text)
    seen_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class EventRow(Base):
    """An event in ACLED's taxonomy, its place flattened into columns."""

    __tablename__ = "events"
    __table_args__ = (
        sa.Index(None, "document_id"),
        sa.Index(None, "merged_into"),
        # Revision 0003: the map's summary per governorate, country and type, and its points
        # and grid cells in a box, each read from an index alone (merged_into included: every
        # read leaves merged reports out); pages in fatality order.
        sa.Index(None, "fatalities", "id", "merged_into"),
        # Revision 0004: pages of one governorate or event type in fatality order (the pages
        # newest first have indexes with date descending, after this class).
        sa.Index(None, "admin1_code", "fatalities", "id", "merged_into"),
        sa.Index(None, "event_type", "fatalities", "id", "merged_into"),
        sa.Index(
            "ix_events_map_summary",
            "admin1_code",
            "country_code",
            "event_type",
            "geo_precision",
            "latitude",
            "longitude",
            "fatalities",
            "date",
            "merged_into",
        ),
        sa.Index(
            "ix_events_map_points",
            "latitude",
            "longitude",
            "geo_precision",
            "event_type",
            "fatalities",
            "merged_into",
        ),
        # Revision 0005: the map's counts, grid and points of a period, from the index alone.
        sa.Index(
            "ix_events_map_dated",
            "date",
            "geo_precision",
            "latitude",
            "longitude",
            "event_type",
            "fatalities",
            "admin1_code",
            "country_code",
            "merged_into",
            "id",
        ),
    )

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    # Nullable: events imported from ACLED/UCDP/GTD tables come from no stored document.
    document_id: Mapped[str | None] = mapped_column(sa.Text, _document_fk())
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    time_precision: Mapped[int] = mapped_column(sa.Integer)
    event_type: Mapped[str] = mapped_column(sa.Text)
    sub_event_type: Mapped[str] = mapped_column(sa.Text)
    actor1: Mapped[str | None] = mapped_column(sa.Text)
    assoc_actor1: Mapped[str | None] = mapped_column(sa.Text)
    actor2: Mapped[str | None] = mapped_column(sa.Text)
    assoc_actor2: Mapped[str | None] = mapped_column(sa.Text)
    inter1: Mapped[int | None] = mapped_column(sa.Integer)
    inter2: Mapped[int | None] = mapped_column(sa.Integer)
    interaction: Mapped[int | None] = mapped_column(sa.Integer)
    country: Mapped[str | None] = mapped_column(sa.Text)
    country_code: Mapped[str | None] = mapped_column(sa.Text)
    admin1: Mapped[str | None] = mapped_column(sa.Text)
    admin1_code: Mapped[str | None] = mapped_column(sa.Text)
    admin2: Mapped[str | None] = mapped_column(sa.Text)
    location: Mapped[str | None] = mapped_column(sa.Text)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    geo_precision: Mapped[int | None] = mapped_column(sa.Integer)
    gazetteer_id: Mapped[str | None] = mapped_column(sa.Text)
    fatalities: Mapped[int] = mapped_column(sa.Integer)
    fatalities_low: Mapped[int | None] = mapped_column(sa.Integer)
    fatalities_high: Mapped[int | None] = mapped_column(sa.Integer)
    wounded: Mapped[int | None] = mapped_column(sa.Integer)
    arrests: Mapped[int | None] = mapped_column(sa.Integer)
    confidence: Mapped[float] = mapped_column(sa.Float)
    notes: Mapped[str] = mapped_column(sa.Text)
    #: "coded" for events Harbinger coded; "acled" / "ucdp" / "gtd" for imported ones.
    origin: Mapped[str] = mapped_column(sa.Text)
    #: The dataset's own id of an imported event (e.g. ACLED's event_id_cnty).
    source_event_id: Mapped[str | None] = mapped_column(sa.Text)
    #: The id of the event this report was merged into (revision 0002); None for an event in its
    #: own right. Merged rows keep the report's own coding, so that it can lead again later.
    merged_into: Mapped[str | None] = mapped_column(sa.Text)


# Revision 0004 (in place of 0003's (date, id), (admin1_code, date, id) and of the index on
# event_type alone): pages newest first, of everything, of one governorate or of one event type,
# in the index's own order (date descending, then id ascending: ``queries._order``), nothing
# sorted. Declared here, not in __table_args__, because a descending column needs the column.
sa.Index(
    "ix_events_date_desc_id_merged_into",
    EventRow.date.desc(),
    EventRow.id,
    EventRow.merged_into,
)
sa.Index(
    "ix_events_admin1_code_date_desc_id",
    EventRow.admin1_code,
    EventRow.date.desc(),
    EventRow.id,
    EventRow.merged_into,
)
sa.Index(
    "ix_events_event_type_date_desc_id",
    EventRow.event_type,
    EventRow.date.desc(),
    EventRow.id,
    EventRow.merged_into,
)


class EventReportRow(Base):
    """One coded event as its own document reported it, and the merged event it belongs to.

    ``event_id`` is the coder's event id (its evidence rows are owned by it); ``merged_id`` is the
    id of the ``events`` row that stands for the incident (the event's own id when no other
    report joined it; the other reports' ``events`` rows point to it in ``merged_into``). The
    matching fields and the report's own figures are kept so that merging needs neither the
    documents nor the merged row.
    Only events coded by Harbinger have reports; imported dataset rows are never merged.
    """

    __tablename__ = "event_reports"
    __table_args__ = (
        sa.Index(None, "merged_id"),
        sa.Index(None, "date"),
        sa.Index(None, "document_id"),
    )

    event_id: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    merged_id: Mapped[str] = mapped_column(sa.Text)
    document_id: Mapped[str] = mapped_column(sa.Text, _document_fk())
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    time_precision: Mapped[int] = mapped_column(sa.Integer)
    event_type: Mapped[str] = mapped_column(sa.Text)
    sub_event_type: Mapped[str] = mapped_column(sa.Text)
    actor1: Mapped[str | None] = mapped_column(sa.Text)
    actor2: Mapped[str | None] = mapped_column(sa.Text)
    country_code: Mapped[str | None] = mapped_column(sa.Text)
    location: Mapped[str | None] = mapped_column(sa.Text)
    gazetteer_id: Mapped[str | None] = mapped_column(sa.Text)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    geo_precision: Mapped[int | None] = mapped_column(sa.Integer)
    confidence: Mapped[float] = mapped_column(sa.Float)
    fatalities: Mapped[int] = mapped_column(sa.Integer)
    fatalities_low: Mapped[int | None] = mapped_column(sa.Integer)
    fatalities_high: Mapped[int | None] = mapped_column(sa.Integer)


class DocumentMinhashRow(Base):
    """The MinHash signature of a coded document's body (128 little-endian 64-bit values)."""

    __tablename__ = "document_minhashes"

    document_id: Mapped[str] = mapped_column(sa.Text, _document_fk(), primary_key=True)
    signature: Mapped[bytes] = mapped_column(sa.LargeBinary)


class DocumentBandRow(Base):
    """One LSH band key of a document; documents sharing a key are near-copy candidates.

    The primary key (key, document_id) is the index a lookup by key uses.
    """

    __tablename__ = "document_bands"

    key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    document_id: Mapped[str] = mapped_column(sa.Text, _document_fk(), primary_key=True)


class EvidenceRow(Base):
    """A span of a document's original text behind an event, claim or indicator."""

    __tablename__ = "evidence"
    __table_args__ = (
        sa.CheckConstraint(sa.column("owner_kind").in_(OWNER_KINDS), name="owner_kind"),
        sa.Index(None, "owner_kind", "owner_id"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    owner_kind: Mapped[str] = mapped_column(sa.Text)
    owner_id: Mapped[str] = mapped_column(sa.Text)
    document_id: Mapped[str | None] = mapped_column(sa.Text, _document_fk())
    sentence: Mapped[str] = mapped_column(sa.Text)
    start: Mapped[int] = mapped_column(sa.Integer)
    end: Mapped[int] = mapped_column(sa.Integer)


class ClaimRow(Base):
    """Reported speech with its stance toward the threat."""

    __tablename__ = "claims"
    __table_args__ = (sa.Index(None, "document_id"),)

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    document_id: Mapped[str] = mapped_column(sa.Text, _document_fk())
    speaker: Mapped[str] = mapped_column(sa.Text)
    speaker_title: Mapped[str | None] = mapped_column(sa.Text)
    stance: Mapped[str] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    about_actor: Mapped[str | None] = mapped_column(sa.Text)
    place: Mapped[str | None] = mapped_column(sa.Text)
    admin1_code: Mapped[str | None] = mapped_column(sa.Text)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)


class IndicatorRow(Base):
    """A non-event signal; ``value`` as written, ``value_num`` when it is a number."""

    __tablename__ = "indicators"
    __table_args__ = (sa.Index(None, "document_id"),)

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    document_id: Mapped[str] = mapped_column(sa.Text, _document_fk())
    kind: Mapped[str] = mapped_column(sa.Text)
    value: Mapped[str | None] = mapped_column(sa.Text)
    value_num: Mapped[float | None] = mapped_column(sa.Float)
    low: Mapped[float | None] = mapped_column(sa.Float)
    high: Mapped[float | None] = mapped_column(sa.Float)
    actor: Mapped[str | None] = mapped_column(sa.Text)
    place: Mapped[str | None] = mapped_column(sa.Text)
    admin1_code: Mapped[str | None] = mapped_column(sa.Text)


class SkippedRow(Base):
    """An input that could not be read, kept so that a run's losses can be reported."""

    __tablename__ = "skipped"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(sa.Text)
    line: Mapped[int | None] = mapped_column(sa.Integer)
    reason: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class StoreStateRow(Base):
    """The store's change counter (one row, id 1): every write transaction adds one to it."""

    __tablename__ = "store_state"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(sa.Integer)
