"""Harbinger: early warning of insurgent resurgence from open-source text.

The library entry points: ``code_text`` codes one text, ``Coder`` codes many documents,
``iter_documents`` reads files and folders, ``Store`` keeps what was coded. The records passed
between stages are frozen dataclasses (``Document``, ``Event``, ``Claim``, ``Indicator``, ...).
"""

from __future__ import annotations

import datetime as dt

from harbinger.errors import (
    EmptyInput,
    EncodingError,
    HarbingerError,
    InputError,
    KnowledgeError,
    MalformedRecord,
    ModelError,
    StoreError,
    UnreadableInput,
)
from harbinger.records import (
    Actor,
    Claim,
    CodedDocument,
    Document,
    Event,
    Evidence,
    Indicator,
    Mention,
    Place,
    Skipped,
)
from harbinger.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Claim",
    "CodedDocument",
    "Document",
    "EmptyInput",
    "EncodingError",
    "Event",
    "Evidence",
    "HarbingerError",
    "Indicator",
    "InputError",
    "KnowledgeError",
    "MalformedRecord",
    "Mention",
    "ModelError",
    "Place",
    "Settings",
    "Skipped",
    "StoreError",
    "UnreadableInput",
    "__version__",
    "code_text",
]


def code_text(
    text: str,
    *,
    source: str = "<text>",
    published: dt.date | None = None,
    settings: Settings | None = None,
) -> CodedDocument:
    """Code one text (with or without a title/author/date header) and return what was coded.

    Example::

        coded = code_text(open("report.txt").read(), source="report.txt")
        for event in coded.events: print(event.sub_event_type, event.place)
    """
    from dataclasses import replace

    from harbinger.extract import Coder
    from harbinger.ingest import parse_text

    document = parse_text(text, source)
    if published is not None:
        document = replace(document, published=published)
    return Coder(settings).code(document)
