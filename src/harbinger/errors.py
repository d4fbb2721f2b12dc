"""Harbinger's exceptions, one small hierarchy.

::

    HarbingerError
    ├── InputError            an input (file, line, record) cannot be read; the batch goes on
    │   ├── UnreadableInput   missing, a directory, no permission, binary, too large
    │   ├── EncodingError     not decodable as text in any supported encoding
    │   ├── EmptyInput        nothing but whitespace
    │   └── MalformedRecord   a JSONL line or CSV row that is not what it should be
    ├── KnowledgeError        a knowledge file of a theatre is missing or invalid
    ├── ModelError            the spaCy pipeline (or a trained classifier) cannot be loaded
    └── StoreError            the database cannot be opened or migrated
"""

from __future__ import annotations


class HarbingerError(Exception):
    """Root of every error Harbinger raises on purpose."""


class InputError(HarbingerError):
    """An input cannot be read; the message names it (and the line) and says why."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class UnreadableInput(InputError):
    """The input is missing, not a regular file, not permitted, binary or too large."""


class EncodingError(InputError):
    """The bytes are not text in any encoding Harbinger tries."""


class EmptyInput(InputError):
    """The input holds no text."""


class MalformedRecord(InputError):
    """A record (JSONL line, CSV row) is malformed."""


class KnowledgeError(HarbingerError):
    """A knowledge file of a theatre is missing or fails validation."""


class ModelError(HarbingerError):
    """A spaCy pipeline or trained classifier cannot be loaded."""


class StoreError(HarbingerError):
    """The database cannot be opened, migrated or written."""


class ClusterError(HarbingerError):
    """The Dask cluster cannot be started or reached, or a worker failed while coding."""
