"""The ingest stage: files, folders and JSON Lines in; ``Document`` records (or ``Skipped``) out.

``iter_documents`` is the entry point; ``parse_text`` reads the header of one plain-text report;
``iter_jsonl`` reads JSON Lines; ``repair`` cleans text for the NLP pipeline while keeping a map
back to the original characters, which is where every reported span points.
"""

from __future__ import annotations

from harbinger.ingest.jsonl import iter_json, iter_jsonl, record_to_document
from harbinger.ingest.reader import decode_bytes, iter_documents, read_text_file
from harbinger.ingest.repair import Repaired, normalise_for_id, repair
from harbinger.ingest.text import (
    HeaderInfo,
    document_id,
    parse_date_line,
    parse_header,
    parse_text,
)

__all__ = [
    "HeaderInfo",
    "Repaired",
    "decode_bytes",
    "document_id",
    "iter_documents",
    "iter_json",
    "iter_jsonl",
    "normalise_for_id",
    "parse_date_line",
    "parse_header",
    "parse_text",
    "read_text_file",
    "record_to_document",
    "repair",
]
