"""The store's read queries, every filter a bound parameter.

``_conditions`` turns the event filters (date, country, governorate, event type, actor, ids,
document) into WHERE conditions shared by every query here: ``_events_query`` (the SELECT behind
``Store.events``, sorted and paged in SQL), ``_count_query`` (COUNT(*) for totals), and the map's
aggregates: ``_groups_query`` (events and fatalities per governorate, country or grid cell and
event type) and ``_points_query`` (the few columns a marker needs, ``point_dict`` making its
row the JSON of an ``EventPoint``). ``_reports`` fetches the
reports of merged events and ``_evidence`` the evidence of events, claims or indicators,
``_CHUNK`` ids per IN (...) list so that a long list stays under SQLite's bound-parameter limit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pycountry
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from harbinger.knowledge.lens import actor_lens
from harbinger.records import Evidence
from harbinger.store.models import DocumentRow, EventReportRow, EventRow, EvidenceRow
from harbinger.store.stored import EventSource
from harbinger.taxonomy import event_types

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
    exact names, and units after a state's name and period ("Military Forces of Iraq (2014-2018)
    Peshmerga");
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
    stems = sorted(lens.stems)
    # This condition is evaluated on every row a filter reaches, so it is kept short: units
    # follow a state's name and period ("Military Forces of Iraq (2014-2018) Peshmerga"), so
    # only such names are prefixes, and none that a stem ("Military Forces of Iraq (") already
    # covers; patterns are built here, not in SQL ("? || '%'"); associated actors (mostly NULL)
    # are looked into only when present.
    prefixes = [
        _like_escape(n) + " %"
        for n in names
        if _ENDS_WITH_PERIOD.search(n) and not any(n.startswith(s + " (") for s in stems)
    ]
    prefixes += [_like_escape(s) + " (%" for s in stems]
    inside = ["%" + _like_escape(n) + "%" for n in names]
    tests: list[sa.ColumnElement[bool]] = [e.actor1.in_(names), e.actor2.in_(names)]
    for column in (e.actor1, e.actor2):
        tests += [column.like(p, escape="/") for p in prefixes]
    # Associated actors are stored joined by "; ".
    for column in (e.assoc_actor1, e.assoc_actor2):
        tests.append(
            sa.and_(column.is_not(None), sa.or_(*(column.like(p, escape="/") for p in inside)))
        )
    return sa.or_(*tests)


#: A name that ends with ACLED's period of a state: "Military Forces of Iraq (2014-2018)".
_ENDS_WITH_PERIOD = re.compile(r"\(\d{4}-(?:\d{4})?\)$")


def _like_escape(text: str) -> str:
    """``text`` matched literally by LIKE ... ESCAPE '/'."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


#: Sort keys of ``Store.events`` ('-' in front for descending): the column each one orders by.
SORT_KEYS = ("date", "fatalities", "event_type", "admin1", "location", "actor1")
#: Text columns sort without regard to case.
_TEXT_KEYS = frozenset({"event_type", "admin1", "location", "actor1"})
#: Geo precisions of an event placed at a point (ACLED: 1 the place itself, 2 near it or a part
#: of the area it names); precision 3, or no coordinates, is an event known only to an area.
_LOCATED = (1, 2)


#: An ISO 3166-2 subdivision code (IQ-NI, SY-DY), in any case.
_ADMIN1_CODE = re.compile(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}")


@lru_cache(maxsize=1)
def _taxonomy_names() -> dict[str, tuple[str, str]]:
    """Folded name -> (column, ACLED's spelling) of every event type and sub-event type."""
    out: dict[str, tuple[str, str]] = {}
    for kind, subs in event_types().items():
        out[kind.casefold()] = ("event_type", kind)
        for sub in subs:
            out.setdefault(sub.casefold(), ("sub_event_type", sub))
    return out


def _event_type_condition(value: str) -> sa.ColumnElement[bool]:
    """An event type or sub-event type, in any case: ACLED's names are stored as ACLED spells
    them, so a known one is an exact (indexed) match; another is compared without case."""
    known = _taxonomy_names().get(value.casefold())
    if known is not None:
        column, name = known
        return getattr(EventRow, column) == name  # type: ignore[no-any-return]
    wanted = value.lower()
    return sa.or_(
        sa.func.lower(EventRow.event_type) == wanted,
        sa.func.lower(EventRow.sub_event_type) == wanted,
    )


def _conditions(
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    country: str | None = None,
    admin1: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    ids: Sequence[str] | None = None,
    document_id: str | None = None,
) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of the event filters (``Store.events`` documents them)."""
    e = EventRow
    # Reports merged into another event are that event's sources, not events of their own.
    # Written so that no index is used for it: nearly every row passes, and SQLite (without
    # statistics) would otherwise walk the merged_into index instead of the one that helps.
    where: list[sa.ColumnElement[bool]] = [sa.func.coalesce(e.merged_into, "") == ""]
    if ids is not None:
        where.append(e.id.in_(list(ids)))
    if document_id is not None:
        # The document's own events, and the merged events it is one of the reports of.
        merged = sa.select(EventReportRow.merged_id).where(
            EventReportRow.document_id == document_id
        )
        where.append(sa.or_(e.document_id == document_id, e.id.in_(merged)))
    if since is not None:
        where.append(e.date >= since)
    if until is not None:
        where.append(e.date <= until)
    if country:
        where.append(
            sa.or_(
                sa.func.lower(e.country) == country.strip().lower(),
                sa.func.lower(e.country_code).in_(sorted(_country_codes(country.strip()))),
            )
        )
    if admin1:
        wanted = admin1.strip()
        if _ADMIN1_CODE.fullmatch(wanted):
            # Codes are stored as ISO writes them (IQ-NI): an exact match uses the index.
            where.append(e.admin1_code == wanted.upper())
        else:
            where.append(sa.func.lower(e.admin1) == wanted.lower())
    if event_type:
        where.append(_event_type_condition(event_type.strip()))
    if actor:
        where.append(actor_condition(actor))
    return where


def _order(sort: str) -> list[sa.ColumnElement[Any]]:
    """ORDER BY of a sort key: missing values last whichever the direction, then by id.

    Newest first breaks ties by id ascending (pages of a day are short); fatalities, which an
    index holds with the id, break ties in the sort's own direction so that the index is read
    in order instead of sorting tens of thousands of equal counts (half of all events have 0).
    """
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)} (or '-' + one), not {sort!r}")
    descending = sort.startswith("-")
    column: sa.ColumnElement[Any] = getattr(EventRow, key).expression
    if key in _TEXT_KEYS:
        column = sa.func.lower(column)
    ordered = column.desc() if descending else column.asc()
    if key == "fatalities":  # never NULL: no NULLS clause, which would keep the index unused
        ids = EventRow.id.desc() if descending else EventRow.id.asc()
        return [ordered, ids]
    # NULLS LAST spelled out: SQLite and PostgreSQL disagree on where NULLs sort.
    return [ordered.nulls_last(), EventRow.id.expression]


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
    sort: str = "-date",
) -> sa.Select[*tuple[Any, ...]]:
    """The SELECT behind ``Store.events``: every filter a bound parameter, newest first.

    Plain columns, not ORM entities (a page is read, never written back, and building
    entities was a third of a page's time): every column of ``events`` by its name, and the
    document's as ``doc_title``, ``doc_source``, ``doc_url``, ``doc_published`` and
    ``doc_ingested_at``. A negative ``limit`` or ``offset`` is a ValueError.
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 or more, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be 0 or more, got {offset}")
    e = EventRow
    query = sa.select(
        *EventRow.__table__.columns,
        DocumentRow.title.label("doc_title"),
        DocumentRow.source.label("doc_source"),
        DocumentRow.url.label("doc_url"),
        DocumentRow.published.label("doc_published"),
        DocumentRow.ingested_at.label("doc_ingested_at"),
    ).outerjoin(DocumentRow, e.document_id == DocumentRow.id)
    where = _conditions(
        since=since,
        until=until,
        country=country,
        admin1=admin1,
        event_type=event_type,
        actor=actor,
        ids=ids,
        document_id=document_id,
    )
    order = _order(sort)
    if limit is None and not offset:
        return query.where(*where).order_by(*order)
    # A page: its ids first (read from an index when the filters allow: skipping 20,000 rows
    # of ids is cheap, skipping 20,000 whole rows joined to their documents is not), then the
    # rows of those ids.
    page = sa.select(e.id).where(*where).order_by(*order).offset(offset)
    if limit is not None:
        page = page.limit(limit)
    return query.where(e.id.in_(page.scalar_subquery())).order_by(*order)


def _count_query(**filters: Any) -> sa.Select[int]:
    """SELECT COUNT(*) of the events matching the filters (no join, no rows loaded)."""
    return sa.select(sa.func.count()).select_from(EventRow).where(*_conditions(**filters))


# -- aggregates for maps -----------------------------------------------------------------------


class _floor(sa.sql.functions.GenericFunction[int]):
    """FLOOR(x) as an integer; SQLite (whose FLOOR is optional) gets CAST, exact for x >= 0."""

    type = sa.Integer()
    name = "harbinger_floor"
    inherit_cache = True


@compiles(_floor)
def _floor_default(element: _floor, compiler: Any, **kw: Any) -> str:
    return f"CAST(FLOOR({compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(_floor, "sqlite")
def _floor_sqlite(element: _floor, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS INTEGER)"


@dataclass(frozen=True, slots=True)
class EventGroup:
    """Events of one type in one governorate, country or grid cell: how many, and their dead.

    ``key`` is the governorate's ISO 3166-2 code, the country code, or "row:col" of a grid
    cell; ``latitude``/``longitude`` are the mean point of a cell's events (None otherwise).
    """

    key: str
    event_type: str
    events: int
    fatalities: int
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class EventPoint:
    """What a map marker needs of an event placed at a point (no evidence, no document)."""

    id: str
    latitude: float
    longitude: float
    event_type: str
    sub_event_type: str
    date: dt.date | None
    location: str | None
    admin1: str | None
    fatalities: int
    geo_precision: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "date": self.date.isoformat() if self.date else None,
            "location": self.location,
            "admin1": self.admin1,
            "fatalities": self.fatalities,
            "geo_precision": self.geo_precision,
        }


def point_dict(row: Sequence[Any]) -> dict[str, Any]:
    """``EventPoint.to_dict()`` of a row of ``_points_query``, without the ``EventPoint``."""
    event_id, lat, lon, kind, sub, date, location, admin1, dead, precision = row
    return {
        "id": event_id,
        "latitude": float(lat),
        "longitude": float(lon),
        "event_type": kind,
        "sub_event_type": sub,
        "date": date.isoformat() if date else None,
        "location": location,
        "admin1": admin1,
        "fatalities": int(dead or 0),
        "geo_precision": int(precision),
    }


#: (west, south, east, north) in degrees.
BBox = tuple[float, float, float, float]


def _located(bbox: BBox | None, scan: bool = False) -> list[sa.ColumnElement[bool]]:
    """Events placed at a point (precision 1 or 2, coordinates known), inside the box if given.

    ``scan``: written so that no index serves it (``latitude + longitude`` is NULL when either
    is), for a query that reads every row anyway (see ``_reads_every_row``).
    """
    e = EventRow
    known: list[sa.ColumnElement[bool]] = (
        [(e.latitude + e.longitude).is_not(None)]
        if scan
        else [e.latitude.is_not(None), e.longitude.is_not(None)]
    )
    where: list[sa.ColumnElement[bool]] = [e.geo_precision.in_(_LOCATED), *known]
    if bbox is not None:
        west, south, east, north = bbox
        where += [e.latitude.between(south, north), e.longitude.between(west, east)]
    return where


def _area_only() -> sa.ColumnElement[bool]:
    """Events not placed at a point: geo precision 3 (or none), or no coordinates."""
    e = EventRow
    return sa.or_(
        e.geo_precision.is_(None),
        e.geo_precision.not_in(_LOCATED),
        e.latitude.is_(None),
        e.longitude.is_(None),
    )


def _groups_query(
    by: str, cell: float | None, bbox: BBox | None, areas_only: bool = False, **filters: Any
) -> sa.Select[*tuple[Any, ...]]:
    """Events and fatalities per (governorate | country | grid cell, event type)."""
    e = EventRow
    where = _conditions(**filters)
    if areas_only:
        where.append(_area_only())
    counts = (sa.func.count().label("events"), sa.func.coalesce(sa.func.sum(e.fatalities), 0))
    if by == "admin1":
        return (
            sa.select(e.admin1_code, e.event_type, *counts)
            .where(*where, e.admin1_code.is_not(None))
            .group_by(e.admin1_code, e.event_type)
        )
    if by == "country":
        # Events known to a country and no governorate of it (geo precision 3, or no point).
        return (
            sa.select(e.country_code, e.event_type, *counts)
            .where(*where, e.admin1_code.is_(None), e.country_code.is_not(None))
            .group_by(e.country_code, e.event_type)
        )
    if by == "cell" and cell:
        row = _floor((e.latitude + 90.0) / cell)
        col = _floor((e.longitude + 180.0) / cell)
        return (
            sa.select(
                row,
                col,
                e.event_type,
                *counts,
                sa.func.avg(e.latitude),
                sa.func.avg(e.longitude),
            )
            .where(*where, *_located(bbox, scan=bbox is None and _reads_every_row(filters)))
            .group_by(row, col, e.event_type)
        )
    raise ValueError(f"group events by admin1, country or cell (with a size), not {by!r}")


@dataclass(frozen=True, slots=True)
class EventSummary:
    """Events of one type with the same governorate, country and kind of place.

    ``area`` is true for events known only to an area (geo precision 3, or no point): those of
    a governorate are drawn as it, those with no governorate as their country.
    """

    admin1_code: str | None
    country_code: str | None
    event_type: str
    area: bool
    events: int
    fatalities: int


def _reads_every_row(filters: dict[str, Any]) -> bool:
    """Whether an aggregate with these filters reads every event's row whatever index it takes:
    the actor filter's columns are in no index. SQLite, without statistics, still walked the
    map's indexes in their own order (for the grouping, or for "latitude IS NOT NULL") and
    looked each row up: the table read in its own order is faster (the Daesh filter's summary
    and grid over 100,000 events, 122 → 74 ms each with the pages in memory; several times
    that when they are read from disk)."""
    return bool(filters.get("actor"))


def _summary_query(**filters: Any) -> sa.Select[*tuple[Any, ...]]:
    """One pass over the matching events: their number and fatalities per governorate,
    country, event type and kind of place, from which a map takes all it draws zoomed out."""
    e = EventRow
    area = sa.case((_area_only(), 1), else_=0)
    groups: tuple[Any, ...] = (e.admin1_code, e.country_code, e.event_type)
    # Grouped by the kind of place first, the summary index's order is no use to the grouping,
    # and the rows are read in the table's order (``_reads_every_row``).
    groups = (area, *groups) if _reads_every_row(filters) else (*groups, area)
    return (
        sa.select(
            e.admin1_code,
            e.country_code,
            e.event_type,
            area,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(e.fatalities), 0),
        )
        .where(*_conditions(**filters))
        .group_by(*groups)
    )


def _groups(rows: Iterable[Sequence[Any]], by: str) -> list[EventGroup]:
    out: list[EventGroup] = []
    for row in rows:
        if by == "cell":
            r, c, kind, events, dead, lat, lon = row
            out.append(EventGroup(f"{r}:{c}", kind, int(events), int(dead), float(lat), float(lon)))
        else:
            key, kind, events, dead = row
            out.append(EventGroup(str(key), kind, int(events), int(dead)))
    return out


def _points_query(
    bbox: BBox | None, limit: int | None, **filters: Any
) -> sa.Select[*tuple[Any, ...]]:
    """The located events in a box, the deadliest first (so a capped answer keeps those).

    With a period, the ids first, from the index that holds a period's places and types with
    the ids (revision 0005's ``ix_events_map_dated``), then the rows of those ids: SQLite
    otherwise read every row of the period (a year: 11,000) through the date index to find the
    few in view (20 ms against 3). Without one, the points index finds the rows in view and
    only those are read, which is quicker than going through their ids (10 ms against 15 for
    a view of 900 events).
    """
    e = EventRow
    order = (e.fatalities.desc(), e.id)
    columns = (
        e.id,
        e.latitude,
        e.longitude,
        e.event_type,
        e.sub_event_type,
        e.date,
        e.location,
        e.admin1,
        e.fatalities,
        e.geo_precision,
    )
    where = [*_conditions(**filters), *_located(bbox)]
    if filters.get("since") is None and filters.get("until") is None:
        query = sa.select(*columns).where(*where).order_by(*order)
        return query.limit(limit) if limit is not None else query
    ids = sa.select(e.id).where(*where)
    if limit is not None:
        ids = ids.order_by(*order).limit(limit)
    return sa.select(*columns).where(e.id.in_(ids.scalar_subquery())).order_by(*order)


@dataclass(frozen=True, slots=True)
class EventFacts:
    """An event's own values without evidence, sources or document: what an analysis over tens
    of thousands of events reads (the weekly series), at a fraction of a ``StoredEvent``'s cost."""

    id: str
    date: dt.date | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    assoc_actor1: str | None
    assoc_actor2: str | None
    country: str | None
    country_code: str | None
    admin1: str | None
    admin1_code: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int
    origin: str


def _facts_query(**filters: Any) -> sa.Select[*tuple[Any, ...]]:
    e = EventRow
    columns = [getattr(e, name) for name in EventFacts.__slots__]
    return sa.select(*columns).where(*_conditions(**filters))


def _actor_names_query(limit: int) -> sa.Select[*tuple[Any, ...]]:
    """The actor names of events (actor 1 or 2), the most frequent first."""
    e = EventRow
    live = sa.func.coalesce(e.merged_into, "") == ""
    names = sa.union_all(
        sa.select(e.actor1.label("name")).where(live, e.actor1.is_not(None)),
        sa.select(e.actor2.label("name")).where(live, e.actor2.is_not(None)),
    ).subquery()
    events = sa.func.count().label("events")
    return (
        sa.select(names.c.name, events)
        .group_by(names.c.name)
        .order_by(events.desc(), names.c.name)
        .limit(limit)
    )


def _located_probe_query(bbox: BBox | None, limit: int, **filters: Any) -> sa.Select[int]:
    """How many located events are in the box, counted up to ``limit``: enough to tell "at
    most so many". The probe selects the latitude, not the id: the map's points index holds
    the latitude (and every column the box tests), so without other filters no row is read."""
    e = EventRow
    probe = sa.select(e.latitude).where(*_conditions(**filters), *_located(bbox)).limit(limit)
    return sa.select(sa.func.count()).select_from(probe.subquery())


def _located_count_query(bbox: BBox | None, **filters: Any) -> sa.Select[int]:
    return (
        sa.select(sa.func.count())
        .select_from(EventRow)
        .where(*_conditions(**filters), *_located(bbox))
    )


#: The reports of merged events, one statement built once (ids bound as one expanding list:
#: ``in_(list)`` coerced every id of a page's hundred on every call).
_REPORTS_QUERY = (
    sa.select(
        EventReportRow.merged_id,
        EventReportRow.event_id,
        EventReportRow.document_id,
        DocumentRow.title,
        DocumentRow.source,
        DocumentRow.url,
        EventReportRow.fatalities,
        EventReportRow.fatalities_low,
        EventReportRow.fatalities_high,
    )
    .outerjoin(DocumentRow, EventReportRow.document_id == DocumentRow.id)
    .where(EventReportRow.merged_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(EventReportRow.merged_id, EventReportRow.event_id)
)


def _reports(
    session: Session | sa.Connection, merged_ids: Sequence[str]
) -> dict[str, list[EventSource]]:
    """The reports of each merged event: the keeper first, then by event id."""
    out: dict[str, list[EventSource]] = {}
    for start in range(0, len(merged_ids), _CHUNK):
        chunk = list(merged_ids[start : start + _CHUNK])
        rows = session.execute(_REPORTS_QUERY, {"ids": chunk})
        for merged_id, event_id, doc_id, title, source, url, deaths, low, high in rows:
            item = EventSource(doc_id, event_id, title, source, url, deaths, low, high)
            out.setdefault(merged_id, []).append(item)
    for merged_id, items in out.items():
        keeper = merged_id
        items.sort(key=lambda s: (s.event_id != keeper, s.event_id))
    return out


#: Evidence of owners of one kind, in the order it was saved (built once, as _REPORTS_QUERY).
_EVIDENCE_QUERY = (
    sa.select(EvidenceRow.owner_id, EvidenceRow.sentence, EvidenceRow.start, EvidenceRow.end)
    .where(
        EvidenceRow.owner_kind == sa.bindparam("kind"),
        EvidenceRow.owner_id.in_(sa.bindparam("ids", expanding=True)),
    )
    .order_by(EvidenceRow.id)
)


def _evidence(
    session: Session | sa.Connection, kind: str, owner_ids: Sequence[str]
) -> dict[str, list[Evidence]]:
    """Evidence per owner id, in the order it was saved."""
    out: dict[str, list[Evidence]] = {}
    for start in range(0, len(owner_ids), _CHUNK):
        chunk = owner_ids[start : start + _CHUNK]
        rows = session.execute(_EVIDENCE_QUERY, {"kind": kind, "ids": list(chunk)})
        for owner_id, sentence, begin, end in rows:
            out.setdefault(owner_id, []).append(Evidence(sentence, begin, end))
    return out
