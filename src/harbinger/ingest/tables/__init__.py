"""Readers of coded-event tables: ACLED exports, UCDP GED and GTD CSV files, as Harbinger's records.

Analysts mix the events Harbinger codes from their own reports with the big coded datasets.
``read_table`` reads one such table and maps each row onto Harbinger's records (ACLED-style actor
names through the theatre's actor knowledge, ACLED event and sub-event types, the governorate
with its ISO 3166-2 code through the gazetteer, coordinates, the date with ACLED's time
precision, fatalities), yielding an ``ImportedRow`` that keeps the dataset's own event id, or a
``Skipped`` naming the line and the reason; the store stage (``harbinger.store.store_table``)
stores them with their origin (``acled``, ``ucdp``, ``gtd``). Each row becomes one synthetic
``Document`` whose id is derived from the dataset and the row's own id (not from the file or its
position), so importing a file twice, or a later release of the same dataset, stores every event
once. A file whose header lacks the columns of its format is refused as a whole. What the formats
share is in ``common``, the dispatch in ``read``, and each format's columns and mapping tables
(with where its coding does not fit ACLED's) in ``acled``, ``ucdp`` and ``gtd``.
"""

from __future__ import annotations

from harbinger.ingest.tables.read import FORMATS, ImportFormat, count_records, read_table
from harbinger.records import ImportedRow

__all__ = ["FORMATS", "ImportFormat", "ImportedRow", "count_records", "read_table"]
