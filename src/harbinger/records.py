"""The typed records that the stages of Harbinger hand to each other.

Every record is a frozen dataclass named as in DESIGN.md. Values extracted from a text carry
their evidence: the document id, the character span in the document's *original* text (not the
repaired text the NLP pipeline saw) and the sentence they came from. ``to_dict`` methods give the
stable JSON shape documented in ``docs/json-contract.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: ACLED time_precision: 1 = the day, 2 = the week (middle day), 3 = the month (mid-month).
TimePrecision = Literal[1, 2, 3]
#: ACLED geo_precision: 1 = the place itself, 2 = near it / part of a region, 3 = only a wider region.
GeoPrecision = Literal[1, 2, 3]

MentionKind = Literal["actor", "place", "date", "count", "trigger"]
Stance = Literal["warning", "reassurance", "concern", "denial", "claim of responsibility"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value was read: a character span of the original text and its sentence."""

    sentence: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Document:
    """One article, report or statement as ingested.

    ``text`` is the text as read (after decoding); ``id`` is the SHA-256 of its normalised form
    (repaired, whitespace collapsed), so a re-ingested copy gets the same id.
    """

    id: str
    source: str
    text: str
    title: str | None = None
    author: str | None = None
    published: dt.date | None = None
    url: str | None = None
    language: str = "en"
    body_start: int = 0
    ingested_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved location (gazetteer entry) with ACLED's geo precision."""

    name: str
    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: GeoPrecision = 1
    gazetteer_id: str | None = None
    kind: str = "place"


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved actor: canonical ACLED-style name, inter code and country."""

    name: str
    kind: str
    inter: int | None = None
    country: str | None = None
    actor_id: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the text that names an actor, a place, a date, a count or an event trigger.

    ``value`` is the resolved value where there is one: an ``Actor``, a ``Place``, a
    ``datetime.date``, an ``int`` count, or the trigger's event pattern id.
    """

    kind: MentionKind
    text: str
    start: int
    end: int
    sentence_index: int
    value: Any = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A coded event in ACLED's taxonomy."""

    id: str
    document_id: str
    event_type: str
    sub_event_type: str
    date: dt.date | None
    time_precision: TimePrecision
    actor1: str | None
    actor2: str | None = None
    assoc_actor1: str | None = None
    assoc_actor2: str | None = None
    inter1: int | None = None
    inter2: int | None = None
    place: Place | None = None
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    wounded: int | None = None
    arrests: int | None = None
    confidence: float = 0.5
    notes: str = ""
    evidence: tuple[Evidence, ...] = ()

    @property
    def interaction(self) -> int | None:
        """ACLED interaction code: 10 x the lower inter code + the higher (or 10 x a lone one)."""
        codes = sorted(c for c in (self.inter1, self.inter2) if c)
        if not codes:
            return None
        if len(codes) == 1:
            return 10 * codes[0]
        return 10 * codes[0] + codes[1]

    def to_dict(self) -> dict[str, Any]:
        p = self.place
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
            "country": p.country if p else None,
            "admin1": p.admin1 if p else None,
            "admin1_code": p.admin1_code if p else None,
            "admin2": p.admin2 if p else None,
            "location": p.name if p else None,
            "latitude": p.latitude if p else None,
            "longitude": p.longitude if p else None,
            "geo_precision": p.precision if p else None,
            "fatalities": self.fatalities,
            "fatalities_low": self.fatalities_low,
            "fatalities_high": self.fatalities_high,
            "wounded": self.wounded,
            "arrests": self.arrests,
            "confidence": round(self.confidence, 3),
            "notes": self.notes,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """Reported speech: who said what, with its stance toward the threat."""

    id: str
    document_id: str
    speaker: str
    stance: Stance
    text: str
    speaker_title: str | None = None
    about_actor: str | None = None
    place: Place | None = None
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_title": self.speaker_title,
            "stance": self.stance,
            "text": self.text,
            "about_actor": self.about_actor,
            "place": self.place.name if self.place else None,
            "admin1_code": self.place.admin1_code if self.place else None,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Indicator:
    """A non-event signal: strength, losses, withdrawal, leadership status, tactic, ..."""

    id: str
    document_id: str
    kind: str
    value: float | str | None
    low: float | None = None
    high: float | None = None
    actor: str | None = None
    place: Place | None = None
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "actor": self.actor,
            "place": self.place.name if self.place else None,
            "admin1_code": self.place.admin1_code if self.place else None,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class CodedDocument:
    """A document with everything coded from it."""

    document: Document
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    mentions: tuple[Mention, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        d = self.document
        return {
            "id": d.id,
            "source": d.source,
            "url": d.url,
            "title": d.title,
            "author": d.author,
            "published": d.published.isoformat() if d.published else None,
            "language": d.language,
            "events": [e.to_dict() for e in self.events],
            "claims": [c.to_dict() for c in self.claims],
            "indicators": [i.to_dict() for i in self.indicators],
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be read, with the reason in words (file, line, why)."""

    source: str
    reason: str
    line: int | None = None
    #: A valid row left out by design (a UCDP event known only to its year, which ACLED drops
    #: too), not bad input: counted and summarised, not reported one by one nor an exit code 1.
    excluded: bool = False

    def message(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{'left out' if self.excluded else 'skipped'} {where}: {self.reason}"


def capped(skipped: Sequence[Skipped], keep: int = 100) -> list[Skipped]:
    """The first ``keep`` skips of each source, and for a source with more, one more record that
    counts the rest: a file of garbage lines is a few lines of report, not a line per line."""
    seen: dict[str, int] = {}
    kept: list[Skipped] = []
    for item in skipped:
        seen[item.source] = seen.get(item.source, 0) + 1
        if seen[item.source] <= keep:
            kept.append(item)
    for source, n in seen.items():
        if n > keep:
            kept.append(
                Skipped(source, f"and {n - keep:,} more skipped (the first {keep} are listed)")
            )
    return kept


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """One row of a coded-event table (ACLED, UCDP GED, GTD): a synthetic document with one event."""

    coded: CodedDocument
    source_event_id: str
    line: int

    @property
    def event(self) -> Event:
        return self.coded.events[0]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What storing a table did: rows read, events stored, rows already stored, rows skipped."""

    format: str
    rows: int
    stored: int
    already: int
    skipped: tuple[Skipped, ...] = ()
    #: Valid rows left out by design, with the reason (``Skipped.excluded``).
    excluded: tuple[Skipped, ...] = ()


def place_to_dict(place: Place | None) -> dict[str, Any] | None:
    """A place as a plain dict (for JSON and the store)."""
    return asdict(place) if place else None


WarningLevel = Literal["watch", "warning", "alert"]


@dataclass(frozen=True, slots=True)
class Warning:
    """A region whose activity rises above its own baseline, with the evidence behind it."""

    id: str
    region: str
    region_code: str | None
    period_start: dt.date
    period_end: dt.date
    level: WarningLevel
    score: float
    reason: str
    event_ids: tuple[str, ...] = ()
    claim_ids: tuple[str, ...] = ()
    indicator_ids: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "region": self.region,
            "region_code": self.region_code,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "level": self.level,
            "score": round(self.score, 3),
            "reason": self.reason,
            "event_ids": list(self.event_ids),
            "claim_ids": list(self.claim_ids),
            "indicator_ids": list(self.indicator_ids),
            "evidence": [e.to_dict() for e in self.evidence],
        }
