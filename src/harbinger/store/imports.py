"""Storing the rows of a coded-event table (ACLED, UCDP GED, GTD) read by ``ingest.tables``.

``store_table`` takes what a table reader yields, ``ImportedRow``s and ``Skipped`` rows, and
stores the events in batches, each one transaction of ``Store.save_many`` with the table's format
as the events' origin and each row's own id as their source event id; the skipped rows are
recorded in the store at the end. Synthetic document ids derive from the dataset's own ids, so
storing a table twice stores every event once and counts the second time as already stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from harbinger.records import ImportedRow, ImportReport, Skipped, capped

if TYPE_CHECKING:
    from harbinger.store import Store

__all__ = ["store_table"]


def _save_batch(store: Store, batch: Sequence[ImportedRow], origin: str) -> tuple[int, int]:
    """Store one batch in one transaction; (stored, already stored). See ``Store.save_many``."""
    return store.save_many(
        (item.coded for item in batch),
        origin=origin,
        source_event_ids={item.event.id: item.source_event_id for item in batch},
        batch_size=max(1, len(batch)),
    )


def store_table(
    store: Store,
    items: Iterable[ImportedRow | Skipped],
    fmt: str,
    *,
    batch_size: int = 1000,
    on_row: Callable[[int], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> ImportReport:
    """Store the rows of a coded-event table; storing a table twice stores its events once.

    ``items`` is what ``harbinger.ingest.tables.read_table`` yields for the format ``fmt``.
    Rows are committed in batches of ``batch_size``; ``on_row(n)`` is called after each batch
    with the rows it held (for a progress bar) and ``on_skip`` with each skipped row as it is
    met. Skipped rows are also recorded in the store.

    Example::

        report = store_table(store, read_table(path, "ucdp"), "ucdp")
    """
    rows = stored = already = 0
    skipped: list[Skipped] = []
    excluded: list[Skipped] = []
    batch: list[ImportedRow] = []

    def flush() -> None:
        nonlocal stored, already
        if batch:
            new, old = _save_batch(store, batch, fmt)
            stored += new
            already += old
            if on_row is not None:
                on_row(len(batch))
            batch.clear()

    for item in items:
        rows += 1
        if isinstance(item, Skipped) and item.excluded:
            excluded.append(item)  # left out by design: counted, not a skip to report
            if on_row is not None:
                on_row(1)
            continue
        if isinstance(item, Skipped):
            skipped.append(item)
            if on_skip is not None:
                on_skip(item)
            if on_row is not None:
                on_row(1)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    for item in capped(skipped):
        store.record_skipped(item)
    return ImportReport(fmt, rows, stored, already, tuple(skipped), tuple(excluded))
