"""The store's read queries, every filter a bound parameter.

``_events_query`` is the SELECT behind ``Store.events`` (the filters by date, country, governorate,
event type, actor, ids and document, newest first); ``_reports`` fetches the reports of merged
events and ``_evidence`` the evidence of events, claims or indicators, ``_CHUNK`` ids per IN (...)
list so that a long list stays under SQLite's bound-parameter limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pycountry
import sqlalchemy as sa
from sqlalchemy.orm import Session

from harbinger.knowledge.lens import actor_lens
from harbinger.records import Evidence
from harbinger.store.models import DocumentRow, EventReportRow, EventRow, EvidenceRow
from harbinger.store.stored import EventSource

#: Rows per IN (...) list when fetching evidence; well under SQLite's bound-parameter limit.
_CHUNK = 500


def _country_codes(value: str) -> set[str]:
    """The lower-cased ways a country filter may appear in the country_code column."""
    codes = {value.casefold()}
    # Accept ISO alpha-3 ("IRQ") as well as the alpha-2 codes the gazetteer stores.
    if len(value) == 3 and value.isalpha():
        found = pycountry.countries.get(alpha_3=value.upper())
        if found is not None:
            codes.add(str(found.alpha_2).casefold())
    return codes


def actor_condition(actor: str) -> sa.ColumnElement[bool]:
    """Events the actor is a party to (actor 1 or 2, or associated with either).

    The name goes through the actor lens (``knowledge.lens``): a known actor selects its family's
    exact names, and units after a state's name ("Military Forces of Iraq (2014-2018) Peshmerga");
    a name the knowledge does not know is a case-insensitive substring of the actor columns, as
    before the lens existed.
    """
    e = EventRow
    lens = actor_lens(actor)
    columns = (e.actor1, e.actor2, e.assoc_actor1, e.assoc_actor2)
    if not lens.known:
        needle = lens.query.lower()
        return sa.or_(*(sa.func.lower(c).contains(needle, autoescape=True) for c in columns))
    names = sorted(lens.names)
    tests: list[sa.ColumnElement[bool]] = [e.actor1.in_(names), e.actor2.in_(names)]
    for name in names:
        tests += [e.actor1.startswith(name + " ", autoescape=True)]
        tests += [e.actor2.startswith(name + " ", autoescape=True)]
        # Associated actors are stored joined by "; ".
        tests += [e.assoc_actor1.contains(name, autoescape=True)]
        tests += [e.assoc_actor2.contains(name, autoescape=True)]
    for stem in sorted(lens.stems):
        tests += [c.startswith(stem + " (", autoescape=True) for c in (e.actor1, e.actor2)]
    return sa.or_(*tests)


def _events_query(
    *,
    since: dt.date | None,
    until: dt.date | None,
    country: str | None,
    admin1: str | None,
    event_type: str | None,
    actor: str | None,
    limit: int | None,
    offset: int,
    ids: Sequence[str] | None = None,
    document_id: str | None = None,
) -> sa.Select[EventRow, str | None, str, str | None, dt.date | None, dt.datetime]:
    """The SELECT behind ``Store.events``: every filter a bound parameter, newest first."""
    e = EventRow
    query = sa.select(
        e,
        DocumentRow.title,
        DocumentRow.source,
        DocumentRow.url,
        DocumentRow.published,
        DocumentRow.ingested_at,
    ).outerjoin(DocumentRow, e.document_id == DocumentRow.id)
    # Reports merged into another event are that event's sources, not events of their own.
    query = query.where(e.merged_into.is_(None))
    if ids is not None:
        query = query.where(e.id.in_(list(ids)))
    if document_id is not None:
        # The document's own events, and the merged events it is one of the reports of.
        merged = sa.select(EventReportRow.merged_id).where(
            EventReportRow.document_id == document_id
        )
        query = query.where(sa.or_(e.document_id == document_id, e.id.in_(merged)))
    if since is not None:
        query = query.where(e.date >= since)
    if until is not None:
        query = query.where(e.date <= until)
    if country:
        query = query.where(
            sa.or_(
                sa.func.lower(e.country) == country.strip().lower(),
                sa.func.lower(e.country_code).in_(sorted(_country_codes(country.strip()))),
            )
        )
    if admin1:
        wanted = admin1.strip().lower()
        query = query.where(
            sa.or_(sa.func.lower(e.admin1) == wanted, sa.func.lower(e.admin1_code) == wanted)
        )
    if event_type:
        wanted = event_type.strip().lower()
        query = query.where(
            sa.or_(
                sa.func.lower(e.event_type) == wanted,
                sa.func.lower(e.sub_event_type) == wanted,
            )
        )
    if actor:
        query = query.where(actor_condition(actor))
    # NULLS LAST spelled out: SQLite and PostgreSQL disagree on where NULL dates sort.
    query = query.order_by(e.date.desc().nulls_last(), e.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return query


def _reports(session: Session, merged_ids: Sequence[str]) -> dict[str, list[EventSource]]:
    """The reports of each merged event: the keeper first, then by event id."""
    out: dict[str, list[EventSource]] = {}
    r = EventReportRow
    for start in range(0, len(merged_ids), _CHUNK):
        chunk = merged_ids[start : start + _CHUNK]
        rows = session.execute(
            sa.select(
                r.merged_id,
                r.event_id,
                r.document_id,
                DocumentRow.title,
                DocumentRow.source,
                DocumentRow.url,
                r.fatalities,
                r.fatalities_low,
                r.fatalities_high,
            )
            .outerjoin(DocumentRow, r.document_id == DocumentRow.id)
            .where(r.merged_id.in_(chunk))
            .order_by(r.merged_id, r.event_id)
        )
        for merged_id, event_id, doc_id, title, source, url, deaths, low, high in rows:
            item = EventSource(doc_id, event_id, title, source, url, deaths, low, high)
            out.setdefault(merged_id, []).append(item)
    for merged_id, items in out.items():
        keeper = merged_id
        items.sort(key=lambda s: (s.event_id != keeper, s.event_id))
    return out


def _evidence(session: Session, kind: str, owner_ids: Sequence[str]) -> dict[str, list[Evidence]]:
    """Evidence per owner id, in the order it was saved."""
    out: dict[str, list[Evidence]] = {}
    for start in range(0, len(owner_ids), _CHUNK):
        chunk = owner_ids[start : start + _CHUNK]
        rows = session.execute(
            sa.select(
                EvidenceRow.owner_id, EvidenceRow.sentence, EvidenceRow.start, EvidenceRow.end
            )
            .where(EvidenceRow.owner_kind == kind, EvidenceRow.owner_id.in_(chunk))
            .order_by(EvidenceRow.id)
        )
        for owner_id, sentence, begin, end in rows:
            out.setdefault(owner_id, []).append(Evidence(sentence, begin, end))
    return out
