"""ACLED's event taxonomy, loaded once from ``knowledge/acled_taxonomy.yaml`` and validated.

The taxonomy (6 event types, 25 sub-event types, each with its disorder type and CASE 2021
label, plus ACLED's inter-code labels and regions) is data, not code: this module reads it, checks
its shape with errors that name the file and the entry at fault, and answers the questions the
extractor and the exporters ask: which event type a sub-event type belongs to, its disorder type,
its CASE label. Look-ups accept any letter case and return ACLED's spelling.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from harbinger.errors import KnowledgeError

__all__ = [
    "SubEventType",
    "Taxonomy",
    "case_label",
    "disorder_type",
    "event_type_of",
    "event_types",
    "is_sub_event_type",
    "load_taxonomy",
    "taxonomy",
]

_CASE_LABEL = re.compile(r"^[A-Z][A-Z_]*$")


@dataclass(frozen=True, slots=True)
class SubEventType:
    """One ACLED sub-event type with the event type and disorder type it belongs to."""

    name: str
    event_type: str
    disorder_type: str
    case_label: str


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """The validated taxonomy file."""

    #: Event type names in ACLED's hierarchy order.
    event_type_names: tuple[str, ...]
    #: Sub-event types in file order.
    sub_event_types: tuple[SubEventType, ...]
    #: Inter code -> ACLED's text label ("State forces", ...).
    inter_labels: Mapping[int, str]
    #: ISO 3166-1 alpha-2 country code -> ACLED region.
    regions: Mapping[str, str]
    source: str

    def find(self, sub_event_type: str) -> SubEventType | None:
        """The sub-event type of that name (any letter case), or None."""
        wanted = sub_event_type.strip().casefold()
        for sub in self.sub_event_types:
            if sub.name.casefold() == wanted:
                return sub
        return None

    def get(self, sub_event_type: str) -> SubEventType:
        """The sub-event type of that name; a KnowledgeError listing valid names if unknown."""
        found = self.find(sub_event_type)
        if found is None:
            valid = ", ".join(s.name for s in self.sub_event_types)
            raise KnowledgeError(
                f"unknown ACLED sub-event type {sub_event_type!r} (taxonomy {self.source}); "
                f"use one of: {valid}"
            )
        return found


def _fail(source: str, where: str, problem: str) -> KnowledgeError:
    return KnowledgeError(f"{source}: {where}: {problem}; fix the taxonomy file")


def _text(value: Any, source: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, where, f"expected a non-empty string, got {value!r}")
    return value.strip()


def _parse(data: Any, source: str) -> Taxonomy:
    if not isinstance(data, dict):
        raise _fail(source, "top level", "expected a mapping with 'event_types'")
    disorders_raw = data.get("disorder_types")
    if not isinstance(disorders_raw, list) or not disorders_raw:
        raise _fail(source, "disorder_types", "expected a non-empty list")
    disorders = {_text(d, source, "disorder_types") for d in disorders_raw}

    types_raw = data.get("event_types")
    if not isinstance(types_raw, list) or not types_raw:
        raise _fail(source, "event_types", "expected a non-empty list")
    type_names: list[str] = []
    subs: list[SubEventType] = []
    seen_subs: set[str] = set()
    seen_labels: set[str] = set()
    for i, entry in enumerate(types_raw):
        where = f"event_types[{i}]"
        if not isinstance(entry, dict):
            raise _fail(source, where, "expected a mapping with 'name' and 'sub_event_types'")
        type_name = _text(entry.get("name"), source, f"{where}.name")
        if type_name in type_names:
            raise _fail(source, where, f"event type {type_name!r} is listed twice")
        type_names.append(type_name)
        subs_raw = entry.get("sub_event_types")
        if not isinstance(subs_raw, list) or not subs_raw:
            raise _fail(source, f"{where} ({type_name})", "expected a non-empty sub_event_types")
        for j, sub in enumerate(subs_raw):
            sub_where = f"{where}.sub_event_types[{j}]"
            if not isinstance(sub, dict):
                raise _fail(source, sub_where, "expected {name, disorder, case_label}")
            name = _text(sub.get("name"), source, f"{sub_where}.name")
            disorder = _text(sub.get("disorder"), source, f"{sub_where}.disorder")
            label = _text(sub.get("case_label"), source, f"{sub_where}.case_label")
            # A sub-type may belong to two disorder types ("Political violence; Demonstrations").
            for part in disorder.split(";"):
                if part.strip() not in disorders:
                    raise _fail(
                        source,
                        f"{sub_where} ({name})",
                        f"disorder {part.strip()!r} is not one of {sorted(disorders)}",
                    )
            if not _CASE_LABEL.match(label):
                raise _fail(source, f"{sub_where} ({name})", f"case_label {label!r} not UPPER_CASE")
            if name.casefold() in seen_subs:
                raise _fail(source, sub_where, f"sub-event type {name!r} is listed twice")
            if label in seen_labels:
                raise _fail(source, sub_where, f"case_label {label!r} is used twice")
            seen_subs.add(name.casefold())
            seen_labels.add(label)
            subs.append(SubEventType(name, type_name, disorder, label))

    inter_raw = data.get("inter_codes", {})
    if not isinstance(inter_raw, dict):
        raise _fail(source, "inter_codes", "expected a mapping of code to label")
    inter: dict[int, str] = {}
    for code, label in inter_raw.items():
        if not isinstance(code, int) or not 1 <= code <= 8:
            raise _fail(source, f"inter_codes.{code}", "inter codes are the integers 1 to 8")
        inter[code] = _text(label, source, f"inter_codes.{code}")

    regions_raw = data.get("regions", {})
    if not isinstance(regions_raw, dict):
        raise _fail(source, "regions", "expected a mapping of ISO alpha-2 code to region")
    regions: dict[str, str] = {}
    for code, region in regions_raw.items():
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
            raise _fail(source, f"regions.{code}", "keys are ISO 3166-1 alpha-2 codes like IQ")
        regions[code] = _text(region, source, f"regions.{code}")

    return Taxonomy(tuple(type_names), tuple(subs), inter, regions, source)


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and validate a taxonomy file (uncached; ``taxonomy()`` caches the packaged one)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(
            f"{path}: cannot read the ACLED taxonomy ({exc.strerror}); reinstall harbinger"
        ) from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML ({exc}); fix the taxonomy file") from exc
    return _parse(data, str(path))


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """The packaged ACLED taxonomy, read and validated once."""
    ref = resources.files("harbinger") / "knowledge" / "acled_taxonomy.yaml"
    with resources.as_file(ref) as path:
        return load_taxonomy(path)


def event_types() -> dict[str, list[str]]:
    """Event type -> its sub-event types, in ACLED's order (a fresh dict the caller may change)."""
    tax = taxonomy()
    out: dict[str, list[str]] = {name: [] for name in tax.event_type_names}
    for sub in tax.sub_event_types:
        out[sub.event_type].append(sub.name)
    return out


def is_sub_event_type(sub_event_type: str) -> bool:
    """Whether the name is one of ACLED's 25 sub-event types (any letter case)."""
    return taxonomy().find(sub_event_type) is not None


def disorder_type(sub_event_type: str) -> str:
    """ACLED's disorder type of a sub-event type ("Political violence", ...)."""
    return taxonomy().get(sub_event_type).disorder_type


def case_label(sub_event_type: str) -> str:
    """The CASE 2021 Task 2 label of a sub-event type ("ARMED_CLASH", ...)."""
    return taxonomy().get(sub_event_type).case_label


def event_type_of(sub_event_type: str) -> str:
    """The event type a sub-event type belongs to ("Battles", ...)."""
    return taxonomy().get(sub_event_type).event_type
