"""From records to rows: what saving a coded document writes.

One function per kind of record turns a frozen ``harbinger.records`` value into the column dict of
its table in ``models`` (a place flattened into its columns, an indicator's number kept apart from
its text, evidence as rows of its owner), and ``_insert`` writes new documents and everything
coded from them with one statement per table. ``_utc`` is the one rule for timestamps, written
or read: naive values (as SQLite returns them) are UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from harbinger.records import Claim, CodedDocument, Event, Evidence, Indicator
from harbinger.store.models import (
    ClaimRow,
    DocumentRow,
    DocumentSourceRow,
    EventRow,
    EvidenceRow,
    IndicatorRow,
)


def _utc(value: dt.datetime | None) -> dt.datetime:
    """A timezone-aware UTC datetime; naive values (as SQLite returns them) are taken as UTC."""
    if value is None:
        return dt.datetime.now(dt.UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _event_row(event: Event, origin: str, source_event_id: str | None) -> dict[str, Any]:
    p = event.place
    return {
        "id": event.id,
        "document_id": event.document_id,
        "date": event.date,
        "time_precision": event.time_precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "assoc_actor1": event.assoc_actor1,
        "actor2": event.actor2,
        "assoc_actor2": event.assoc_actor2,
        "inter1": event.inter1,
        "inter2": event.inter2,
        "interaction": event.interaction,
        "country": p.country if p else None,
        "country_code": p.country_code if p else None,
        "admin1": p.admin1 if p else None,
        "admin1_code": p.admin1_code if p else None,
        "admin2": p.admin2 if p else None,
        "location": p.name if p else None,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
        "geo_precision": p.precision if p else None,
        "gazetteer_id": p.gazetteer_id if p else None,
        "fatalities": event.fatalities,
        "fatalities_low": event.fatalities_low,
        "fatalities_high": event.fatalities_high,
        "wounded": event.wounded,
        "arrests": event.arrests,
        "confidence": event.confidence,
        "notes": event.notes,
        "origin": origin,
        "source_event_id": source_event_id,
    }


def _claim_row(claim: Claim) -> dict[str, Any]:
    p = claim.place
    return {
        "id": claim.id,
        "document_id": claim.document_id,
        "speaker": claim.speaker,
        "speaker_title": claim.speaker_title,
        "stance": claim.stance,
        "text": claim.text,
        "about_actor": claim.about_actor,
        "place": p.name if p else None,
        "admin1_code": p.admin1_code if p else None,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
    }


def _indicator_row(indicator: Indicator) -> dict[str, Any]:
    value = indicator.value
    # Numbers keep their exact value in value_num (what aggregations use); the text column keeps
    # what was written. A string is never parsed here: "about 50,000" stays text.
    value_num = (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    )
    p = indicator.place
    return {
        "id": indicator.id,
        "document_id": indicator.document_id,
        "kind": indicator.kind,
        "value": None if value is None else str(value),
        "value_num": value_num,
        "low": indicator.low,
        "high": indicator.high,
        "actor": indicator.actor,
        "place": p.name if p else None,
        "admin1_code": p.admin1_code if p else None,
    }


def _evidence_rows(
    kind: str, owner_id: str, document_id: str | None, evidence: Iterable[Evidence]
) -> list[dict[str, Any]]:
    return [
        {
            "owner_kind": kind,
            "owner_id": owner_id,
            "document_id": document_id,
            "sentence": e.sentence,
            "start": e.start,
            "end": e.end,
        }
        for e in evidence
    ]


def _insert(
    conn: sa.Connection,
    items: Sequence[CodedDocument],
    origin: str,
    source_event_ids: Mapping[str, str],
    now: dt.datetime,
) -> None:
    """Insert new documents and everything coded from them: one statement per table."""
    docs = [c.document for c in items]
    conn.execute(
        sa.insert(DocumentRow),
        [
            {
                "id": doc.id,
                "source": doc.source,
                "url": doc.url,
                "title": doc.title,
                "author": doc.author,
                "published": doc.published,
                "language": doc.language,
                "text": doc.text,
                "body_start": doc.body_start,
                "ingested_at": _utc(doc.ingested_at or now),
            }
            for doc in docs
        ],
    )
    conn.execute(
        sa.insert(DocumentSourceRow),
        [{"document_id": d.id, "source": d.source, "url": d.url, "seen_at": now} for d in docs],
    )
    events = [e for c in items for e in c.events]
    claims = [c for item in items for c in item.claims]
    indicators = [i for c in items for i in c.indicators]
    evidence: list[dict[str, Any]] = []
    if events:
        conn.execute(
            sa.insert(EventRow),
            [_event_row(e, origin, source_event_ids.get(e.id)) for e in events],
        )
        for e in events:
            evidence += _evidence_rows("event", e.id, e.document_id, e.evidence)
    if claims:
        conn.execute(sa.insert(ClaimRow), [_claim_row(c) for c in claims])
        for c in claims:
            evidence += _evidence_rows("claim", c.id, c.document_id, c.evidence)
    if indicators:
        conn.execute(sa.insert(IndicatorRow), [_indicator_row(i) for i in indicators])
        for i in indicators:
            evidence += _evidence_rows("indicator", i.id, i.document_id, i.evidence)
    if evidence:
        conn.execute(sa.insert(EvidenceRow), evidence)
