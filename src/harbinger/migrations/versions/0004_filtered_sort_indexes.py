"""Indexes that hold pages in the order they are asked for.

A page newest first is ordered by date descending, then by id ascending (``queries._order``).
Revision 0003's indexes hold date and id both ascending: read backwards they give the dates in
order but the ids of a day the wrong way round, so SQLite sorted every day's rows again up to the
page's offset (12 ms for a page 30,000 events in). An index of ``date DESC, id`` is that order
itself, read front to back with nothing sorted (2 ms); it replaces 0003's (date, id) and
(admin1_code, date, id), whose ascending order it serves as well as they did. A governorate's
page in fatality order, and an event type's in either order, made SQLite read every matching row
and sort it (a page of 100 Battles took some 60 ms): (admin1_code, fatalities, id),
(event_type, date DESC, id) and (event_type, fatalities, id) hold them in order, and replace the
index on event_type alone (their prefix). Every index carries ``merged_into``, which every read
tests, so the ids of a page come from the index alone. Only portable DDL (a descending column is
SQL-92), so it applies on SQLite and PostgreSQL alike; the names with DESC are given by hand.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: name -> columns of the indexes of the events table this revision adds.
_INDEXES: dict[str, list[str | sa.TextClause]] = {
    "ix_events_date_desc_id_merged_into": [sa.text("date DESC"), "id", "merged_into"],
    "ix_events_admin1_code_date_desc_id": [
        "admin1_code",
        sa.text("date DESC"),
        "id",
        "merged_into",
    ],
    "ix_events_admin1_code_fatalities_id_merged_into": [
        "admin1_code",
        "fatalities",
        "id",
        "merged_into",
    ],
    "ix_events_event_type_date_desc_id": ["event_type", sa.text("date DESC"), "id", "merged_into"],
    "ix_events_event_type_fatalities_id_merged_into": [
        "event_type",
        "fatalities",
        "id",
        "merged_into",
    ],
}

#: The indexes they replace.
_REPLACED = {
    "ix_events_event_type": ["event_type"],
    "ix_events_date_id_merged_into": ["date", "id", "merged_into"],
    "ix_events_admin1_code_date_id_merged_into": ["admin1_code", "date", "id", "merged_into"],
}


def upgrade() -> None:
    for name in _REPLACED:
        op.drop_index(op.f(name), table_name="events")
    for name, columns in _INDEXES.items():
        op.create_index(op.f(name), "events", columns)


def downgrade() -> None:
    for name in reversed(_INDEXES):
        op.drop_index(op.f(name), table_name="events")
    for name, columns in _REPLACED.items():
        op.create_index(op.f(name), "events", columns)
