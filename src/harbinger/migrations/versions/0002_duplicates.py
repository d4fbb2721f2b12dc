"""Duplicates: event reports merged into events, MinHash signatures and LSH band keys.

``events.merged_into`` names the event a report was merged into (None for an event in its own
right).

``event_reports`` keeps every coded event as its document reported it and the merged event it
belongs to; ``document_minhashes`` and ``document_bands`` let the store find near-copies of a
document with one indexed query. Existing coded events get a report of their own (each its own
merged event), so later reports can merge with them; documents stored before this revision have
no signature and are not found as near-copies (re-ingesting them is still caught by their id).
Only portable types (Text, Integer, Float, Date, LargeBinary) so it applies on SQLite and
PostgreSQL alike.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The columns an existing coded event's own report copies from its events row.
_REPORT_COLUMNS = (
    "document_id",
    "date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country_code",
    "location",
    "gazetteer_id",
    "latitude",
    "longitude",
    "geo_precision",
    "confidence",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
)


def _document_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["document_id"],
        ["documents.id"],
        name=op.f(f"fk_{table}_document_id_documents"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("merged_into", sa.Text(), nullable=True))
        batch.create_index(batch.f("ix_events_merged_into"), ["merged_into"])
    op.create_table(
        "event_reports",
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("merged_id", sa.Text(), nullable=False),
        sa.Column("document_id", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("time_precision", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("sub_event_type", sa.Text(), nullable=False),
        sa.Column("actor1", sa.Text(), nullable=True),
        sa.Column("actor2", sa.Text(), nullable=True),
        sa.Column("country_code", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("gazetteer_id", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("geo_precision", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=False),
        sa.Column("fatalities_low", sa.Integer(), nullable=True),
        sa.Column("fatalities_high", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_reports")),
        _document_fk("event_reports"),
    )
    op.create_index(op.f("ix_event_reports_merged_id"), "event_reports", ["merged_id"])
    op.create_index(op.f("ix_event_reports_date"), "event_reports", ["date"])
    op.create_index(op.f("ix_event_reports_document_id"), "event_reports", ["document_id"])
    op.create_table(
        "document_minhashes",
        sa.Column("document_id", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_minhashes")),
        _document_fk("document_minhashes"),
    )
    op.create_table(
        "document_bands",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("document_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", "document_id", name=op.f("pk_document_bands")),
        _document_fk("document_bands"),
    )
    # Every coded event already stored becomes its own report (INSERT ... SELECT is portable).
    events = sa.table(
        "events", sa.column("id"), sa.column("origin"), *map(sa.column, _REPORT_COLUMNS)
    )
    reports = sa.table(
        "event_reports",
        sa.column("event_id"),
        sa.column("merged_id"),
        *map(sa.column, _REPORT_COLUMNS),
    )
    select = sa.select(
        events.c.id, events.c.id, *(events.c[name] for name in _REPORT_COLUMNS)
    ).where(events.c.origin == "coded", events.c.document_id.is_not(None))
    op.execute(sa.insert(reports).from_select(["event_id", "merged_id", *_REPORT_COLUMNS], select))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_index(batch.f("ix_events_merged_into"))
        batch.drop_column("merged_into")
    op.drop_table("document_bands")
    op.drop_table("document_minhashes")
    op.drop_index(op.f("ix_event_reports_document_id"), table_name="event_reports")
    op.drop_index(op.f("ix_event_reports_date"), table_name="event_reports")
    op.drop_index(op.f("ix_event_reports_merged_id"), table_name="event_reports")
    op.drop_table("event_reports")
