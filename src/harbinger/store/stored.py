"""The records the store reads back: frozen rows with their evidence and their document.

``StoredEvent``, ``StoredDocument``, ``StoredClaim`` and ``StoredIndicator`` are what ``Store``'s
reads return: each carries its evidence and its document's title, source and URL, gives the JSON
shape of its ``harbinger.records`` counterpart with ``to_dict()``, and (events and documents) turns
back into a ``records.Event`` or ``records.Document``. ``EventSource`` is one report of an event
with the figures that report gave, so that a merged event lists every document behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from harbinger.records import Document, Event, Evidence, GeoPrecision, Place, TimePrecision

__all__ = [
    "EventSource",
    "StoredClaim",
    "StoredDocument",
    "StoredEvent",
    "StoredIndicator",
    "event_dict",
]


@dataclass(frozen=True, slots=True)
class EventSource:
    """One report of an event: its document and the figures that document gave."""

    document_id: str | None
    event_id: str
    title: str | None
    source: str | None
    url: str | None
    fatalities: int
    fatalities_low: int | None
    fatalities_high: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "event_id": self.event_id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "fatalities": self.fatalities,
            "fatalities_low": self.fatalities_low,
            "fatalities_high": self.fatalities_high,
        }


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event row with its evidence and its document's title, source, URL and dates."""

    id: str
    document_id: str | None
    date: dt.date | None
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor1: str | None
    actor2: str | None
    assoc_actor2: str | None
    inter1: int | None
    inter2: int | None
    interaction: int | None
    country: str | None
    country_code: str | None
    admin1: str | None
    admin1_code: str | None
    admin2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    gazetteer_id: str | None
    fatalities: int
    fatalities_low: int | None
    fatalities_high: int | None
    wounded: int | None
    arrests: int | None
    confidence: float
    notes: str
    origin: str
    source_event_id: str | None
    evidence: tuple[Evidence, ...] = ()
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    ingested_at: dt.datetime | None = None
    #: Every report of the event (the one lending its fields first), each with its own figures.
    sources: tuple[EventSource, ...] = ()
    #: The ids of the coded events of other reports merged into this one (sorted).
    merged_from: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The keys of ``records.Event.to_dict()`` plus document_id, source, title, origin,
        sources (each report: document_id, event_id, title, source, url and its own fatalities,
        fatalities_low, fatalities_high) and merged_from (ids of the events merged into it)."""
        return {
            "id": self.id,
            "date": self.date.isoformat() if self.date else None,
            "time_precision": self.time_precision,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1,
            "assoc_actor1": self.assoc_actor1,
            "actor2": self.actor2,
            "assoc_actor2": self.assoc_actor2,
            "inter1": self.inter1,
            "inter2": self.inter2,
            "interaction": self.interaction,
            "country": self.country,
            "admin1": self.admin1,
            "admin1_code": self.admin1_code,
            "admin2": self.admin2,
            "location": self.location,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geo_precision": self.geo_precision,
            "fatalities": self.fatalities,
            "fatalities_low": self.fatalities_low,
            "fatalities_high": self.fatalities_high,
            "wounded": self.wounded,
            "arrests": self.arrests,
            "confidence": round(self.confidence, 3),
            "notes": self.notes,
            "evidence": [e.to_dict() for e in self.evidence],
            "document_id": self.document_id,
            "source": self.source,
            "title": self.title,
            "origin": self.origin,
            "sources": [r.to_dict() for r in self.sources],
            "merged_from": list(self.merged_from),
        }

    def to_event(self) -> Event:
        """The row as a ``records.Event`` again (for the analysis stage)."""
        place = None
        if self.location is not None:
            place = Place(
                name=self.location,
                country=self.country,
                country_code=self.country_code,
                admin1=self.admin1,
                admin1_code=self.admin1_code,
                admin2=self.admin2,
                latitude=self.latitude,
                longitude=self.longitude,
                precision=cast(GeoPrecision, self.geo_precision or 3),
                gazetteer_id=self.gazetteer_id,
            )
        return Event(
            id=self.id,
            document_id=self.document_id or "",
            event_type=self.event_type,
            sub_event_type=self.sub_event_type,
            date=self.date,
            time_precision=cast(TimePrecision, self.time_precision),
            actor1=self.actor1,
            actor2=self.actor2,
            assoc_actor1=self.assoc_actor1,
            assoc_actor2=self.assoc_actor2,
            inter1=self.inter1,
            inter2=self.inter2,
            place=place,
            fatalities=self.fatalities,
            fatalities_low=self.fatalities_low,
            fatalities_high=self.fatalities_high,
            wounded=self.wounded,
            arrests=self.arrests,
            confidence=self.confidence,
            notes=self.notes,
            evidence=self.evidence,
        )


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document row with every source it was seen in (first source first)."""

    id: str
    source: str
    text: str
    title: str | None
    author: str | None
    published: dt.date | None
    url: str | None
    language: str
    body_start: int
    ingested_at: dt.datetime
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The document keys of ``records.CodedDocument.to_dict()`` plus text and sources."""
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "body_start": self.body_start,
            "ingested_at": self.ingested_at.isoformat(),
            "sources": list(self.sources),
            "text": self.text,
        }

    def to_document(self) -> Document:
        """The row as a ``records.Document`` again."""
        return Document(
            id=self.id,
            source=self.source,
            text=self.text,
            title=self.title,
            author=self.author,
            published=self.published,
            url=self.url,
            language=self.language,
            body_start=self.body_start,
            ingested_at=self.ingested_at,
        )


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A claim row with its evidence and its document's title and source."""

    id: str
    document_id: str
    speaker: str
    speaker_title: str | None
    stance: str
    text: str
    about_actor: str | None
    place: str | None
    admin1_code: str | None
    latitude: float | None
    longitude: float | None
    evidence: tuple[Evidence, ...] = ()
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The keys of ``records.Claim.to_dict()`` plus document_id, source, title."""
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_title": self.speaker_title,
            "stance": self.stance,
            "text": self.text,
            "about_actor": self.about_actor,
            "place": self.place,
            "admin1_code": self.admin1_code,
            "evidence": [e.to_dict() for e in self.evidence],
            "document_id": self.document_id,
            "source": self.source,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True)
class StoredIndicator:
    """An indicator row; ``value`` is a float when it was stored as a number."""

    id: str
    document_id: str
    kind: str
    value: float | str | None
    value_num: float | None
    low: float | None
    high: float | None
    actor: str | None
    place: str | None
    admin1_code: str | None
    evidence: tuple[Evidence, ...] = ()
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The keys of ``records.Indicator.to_dict()`` plus document_id, source, title."""
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "actor": self.actor,
            "place": self.place,
            "admin1_code": self.admin1_code,
            "evidence": [e.to_dict() for e in self.evidence],
            "document_id": self.document_id,
            "source": self.source,
            "title": self.title,
        }


def event_dict(
    row: Mapping[Any, Any], sources: Sequence[EventSource], evidence: Sequence[Evidence]
) -> dict[str, Any]:
    """``StoredEvent.to_dict()`` of an events row (its columns by name, as ``Store.events``
    reads them) and its reports and evidence, without building the ``StoredEvent``.

    The API's pages are built this way: a page of 100 events spent more time building the
    records (forty attributes each, read by name from the row) than reading them.
    """
    event_id = row["id"]
    date = row["date"]
    return {
        "id": event_id,
        "date": date.isoformat() if date else None,
        "time_precision": row["time_precision"],
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "actor1": row["actor1"],
        "assoc_actor1": row["assoc_actor1"],
        "actor2": row["actor2"],
        "assoc_actor2": row["assoc_actor2"],
        "inter1": row["inter1"],
        "inter2": row["inter2"],
        "interaction": row["interaction"],
        "country": row["country"],
        "admin1": row["admin1"],
        "admin1_code": row["admin1_code"],
        "admin2": row["admin2"],
        "location": row["location"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "geo_precision": row["geo_precision"],
        "fatalities": row["fatalities"],
        "fatalities_low": row["fatalities_low"],
        "fatalities_high": row["fatalities_high"],
        "wounded": row["wounded"],
        "arrests": row["arrests"],
        "confidence": round(row["confidence"], 3),
        "notes": row["notes"],
        "evidence": [e.to_dict() for e in evidence],
        "document_id": row["document_id"],
        "source": row["doc_source"],
        "title": row["doc_title"],
        "origin": row["origin"],
        "sources": [s.to_dict() for s in sources],
        "merged_from": sorted(s.event_id for s in sources if s.event_id != event_id),
    }
