"""Read indexes and the store's change counter.

Indexes that keep the web's reads fast with 100,000 events stored. Every read leaves out the
reports merged into another event (``merged_into``), so the indexes carry that column and a
read needs no table row to apply it: pages in date order (ids read from the index, ``date, id``,
which replaces the index on date alone), of one governorate (``admin1_code, date, id``, which
replaces the index on admin1_code alone) or in fatality order, the map's summary (events per
governorate, country, type and kind of place), and its points and grid cells in a box of
latitudes and longitudes.
``store_state`` holds one row whose ``revision`` every write transaction adds one to, so a reader
can tell that nothing changed since it computed something (the web caches by it).
Only portable DDL, so it applies on SQLite and PostgreSQL alike.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: name -> columns of the indexes of the events table this revision adds.
_INDEXES = {
    "ix_events_date_id_merged_into": ["date", "id", "merged_into"],
    "ix_events_fatalities_id_merged_into": ["fatalities", "id", "merged_into"],
    "ix_events_admin1_code_date_id_merged_into": ["admin1_code", "date", "id", "merged_into"],
    # Named by hand: the convention's names would pass PostgreSQL's 63 characters.
    "ix_events_map_summary": [
        "admin1_code",
        "country_code",
        "event_type",
        "geo_precision",
        "latitude",
        "longitude",
        "fatalities",
        "date",
        "merged_into",
    ],
    "ix_events_map_points": [
        "latitude",
        "longitude",
        "geo_precision",
        "event_type",
        "fatalities",
        "merged_into",
    ],
}


#: The indexes they replace (each a prefix of a new one).
_REPLACED = {"ix_events_date": ["date"], "ix_events_admin1_code": ["admin1_code"]}


def upgrade() -> None:
    for name in _REPLACED:
        op.drop_index(op.f(name), table_name="events")
    for name, columns in _INDEXES.items():
        op.create_index(op.f(name), "events", columns)
    op.create_table(
        "store_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_state")),
    )
    state = sa.table("store_state", sa.column("id"), sa.column("revision"))
    op.execute(sa.insert(state).values(id=1, revision=0))


def downgrade() -> None:
    op.drop_table("store_state")
    for name in reversed(_INDEXES):
        op.drop_index(op.f(name), table_name="events")
    for name, columns in _REPLACED.items():
        op.create_index(op.f(name), "events", columns)
