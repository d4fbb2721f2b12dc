"""The store stage: a SQLite (default) or PostgreSQL database of coded documents.

``Store`` is the whole public surface: open by URL (the schema is migrated with the Alembic
scripts shipped in ``harbinger/migrations``), ``save`` coded documents, and read events, claims
and indicators back as the frozen ``Stored*`` records re-exported here.
"""

from __future__ import annotations

from harbinger.store.store import (
    Store,
    StoredClaim,
    StoredDocument,
    StoredEvent,
    StoredIndicator,
    mask_url,
)

__all__ = [
    "Store",
    "StoredClaim",
    "StoredDocument",
    "StoredEvent",
    "StoredIndicator",
    "mask_url",
]
