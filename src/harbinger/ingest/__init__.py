"""The ingest stage: files, folders, JSONL, pages and feeds in; ``Document``s or ``Skipped`` out.

``iter_documents`` is the entry point (paths, folders and http(s) URLs); ``parse_text`` reads the
header of one plain-text report; ``iter_jsonl`` reads JSON Lines; ``Fetcher`` downloads within a
timeout and a size cap; ``repair`` cleans text for the NLP pipeline while keeping a map back to
the original characters, which is where every reported span points. The HTML and feed readers
(``harbinger.ingest.html``, ``harbinger.ingest.feeds``) are imported from their modules, not
from here, so that reading plain text does not load trafilatura and feedparser.
"""

from __future__ import annotations

from harbinger.ingest.fetch import Fetched, Fetcher, is_url
from harbinger.ingest.jsonl import iter_json, iter_jsonl, record_to_document
from harbinger.ingest.reader import (
    decode_bytes,
    iter_content,
    iter_documents,
    iter_url,
    looks_like_feed,
    looks_like_html,
    read_file_bytes,
    read_text_file,
)
from harbinger.ingest.repair import Repaired, normalise_for_id, repair
from harbinger.ingest.text import (
    HeaderInfo,
    document_id,
    parse_date_line,
    parse_header,
    parse_text,
)

__all__ = [
    "Fetched",
    "Fetcher",
    "HeaderInfo",
    "Repaired",
    "decode_bytes",
    "document_id",
    "is_url",
    "iter_content",
    "iter_documents",
    "iter_json",
    "iter_jsonl",
    "iter_url",
    "looks_like_feed",
    "looks_like_html",
    "normalise_for_id",
    "parse_date_line",
    "parse_header",
    "parse_text",
    "read_file_bytes",
    "read_text_file",
    "record_to_document",
    "repair",
]
