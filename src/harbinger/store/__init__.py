"""The store stage: a SQLite (default) or PostgreSQL database of coded documents.

``Store`` is the whole public surface: open by URL (the schema is migrated with the Alembic
scripts shipped in ``harbinger/migrations``), ``save`` or ``save_many`` coded documents (near-copies
and reports of one incident are merged as they are saved), and read events, claims and indicators
back as the frozen ``Stored*`` records (and each event's ``EventSource`` reports) re-exported here.
"""

from __future__ import annotations

from harbinger.store.engine import mask_url
from harbinger.store.imports import store_table
from harbinger.store.store import Store
from harbinger.store.stored import (
    EventSource,
    StoredClaim,
    StoredDocument,
    StoredEvent,
    StoredIndicator,
)

__all__ = [
    "EventSource",
    "Store",
    "StoredClaim",
    "StoredDocument",
    "StoredEvent",
    "StoredIndicator",
    "mask_url",
    "store_table",
]
