"""The words of report headers (``headers.yaml``): bylines, agencies, desks, date-line words.

The ingest stage reads a report's title, byline, date line and wire dateline with these words
(:mod:`harbinger.ingest.text`); the shapes (a line, a bracket, a dash) are code there, the words are
data here so that another language is a new file. :func:`load_header_words` reads and validates the
file once per process and raises :class:`~harbinger.errors.KnowledgeError` naming the file and the
key when it is malformed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harbinger.errors import KnowledgeError
from harbinger.knowledge import read_yaml, theatre_dir

__all__ = ["HeaderWords", "load_header_words", "parse_header_words", "read_header_words"]

_FILE = "headers.yaml"


@dataclass(frozen=True, slots=True)
class HeaderWords:
    """The header vocabulary, lowercased; phrase lists are sorted longest first."""

    byline_openers: tuple[str, ...]
    name_joiners: tuple[str, ...]
    outlet_links: tuple[str, ...]
    #: lowercase phrase -> the name as the file writes it ("afp" -> "AFP").
    agencies: dict[str, str]
    desks: dict[str, str]
    published_prefixes: tuple[str, ...]
    updated_prefixes: tuple[str, ...]
    #: lowercase name or abbreviation -> month number (1-12).
    months: dict[str, int]
    #: lowercase name or abbreviation -> weekday number (Monday 0).
    weekdays: dict[str, int]
    ordinal_suffixes: tuple[str, ...]
    time_words: tuple[str, ...]
    name_particles: frozenset[str]


def _phrases(data: dict[str, Any], key: str, where: str, *, required: bool = True) -> list[str]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not value:
        raise KnowledgeError(f"{where}: '{key}' must be a non-empty list of phrases")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            # YAML reads a bare no/yes/on/off as a boolean: the word must be quoted.
            raise KnowledgeError(f"{where}: {key}[{i}] must be a phrase (quote it), not {item!r}")
        phrase = " ".join(str(item).split())
        if not phrase:
            raise KnowledgeError(f"{where}: {key}[{i}] is empty")
        out.append(phrase)
    return out


def _longest_first(phrases: list[str]) -> tuple[str, ...]:
    return tuple(sorted({p.lower() for p in phrases}, key=lambda p: (-len(p), p)))


def _numbered(data: dict[str, Any], key: str, where: str, count: int) -> dict[str, int]:
    """A list of ``count`` name lists (months, weekdays) as name -> position."""
    value = data.get(key)
    if not isinstance(value, list) or len(value) != count:
        raise KnowledgeError(f"{where}: '{key}' must list {count} entries, each a list of names")
    out: dict[str, int] = {}
    for i, names in enumerate(value):
        for name in _phrases({key: names}, key, f"{where}: {key}[{i}]"):
            low = name.lower()
            if out.get(low, i) != i:
                raise KnowledgeError(f"{where}: {key}: {name!r} names two different entries")
            out[low] = i
    return out


def parse_header_words(data: dict[str, Any], where: str) -> HeaderWords:
    """Validate the mapping of a headers file; ``where`` names the file in errors."""
    if data.get("version") != 1:
        raise KnowledgeError(f"{where}: 'version' must be 1")
    prefixes = data.get("date_prefixes")
    if not isinstance(prefixes, dict):
        raise KnowledgeError(
            f"{where}: 'date_prefixes' must map 'published' and 'updated' to lists"
        )
    pub = _phrases(prefixes, "published", f"{where}: date_prefixes")
    upd = _phrases(prefixes, "updated", f"{where}: date_prefixes")
    both = {p.lower() for p in pub} & {p.lower() for p in upd}
    if both:
        raise KnowledgeError(
            f"{where}: date_prefixes: {sorted(both)} are both published and updated"
        )
    months = {k: v + 1 for k, v in _numbered(data, "months", where, 12).items()}
    return HeaderWords(
        byline_openers=_longest_first(_phrases(data, "byline_openers", where)),
        name_joiners=_longest_first(_phrases(data, "name_joiners", where)),
        outlet_links=_longest_first(_phrases(data, "outlet_links", where, required=False)),
        agencies={p.lower(): p for p in _phrases(data, "agencies", where)},
        desks={p.lower(): p for p in _phrases(data, "desks", where)},
        published_prefixes=_longest_first(pub),
        updated_prefixes=_longest_first(upd),
        months=months,
        weekdays=_numbered(data, "weekdays", where, 7),
        ordinal_suffixes=_longest_first(_phrases(data, "ordinal_suffixes", where)),
        time_words=_longest_first(_phrases(data, "time_words", where, required=False)),
        name_particles=frozenset(
            p.lower() for p in _phrases(data, "name_particles", where, required=False)
        ),
    )


def read_header_words(path: Path) -> HeaderWords:
    """Read and validate one headers file (any path: tests point it at broken copies)."""
    return parse_header_words(read_yaml(path), str(path))


@functools.lru_cache(maxsize=4)
def load_header_words(theatre: str = "iraq_syria") -> HeaderWords:
    """The header words of a theatre, read and validated once per process."""
    return read_header_words(theatre_dir(theatre) / _FILE)
