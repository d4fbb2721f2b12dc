"""What a resurgence brief shows, gathered from the store and the resurgence analysis.

``collect_brief(store, "Islamic State", since=..., until=...)`` reads the actor family's events
(``knowledge.lens``: the group with its Iraq and Syria branches, whatever name a report or a table
used), asks ``analyze.resurgence`` for its level in every region as of the last day, and gathers:
the weekly events of the regions that matter with their baseline bands; the places it returned to
after ``quiet_weeks`` without its events; its insurgent repertoire by month; the statements about it
(warnings against reassurances) and its strength estimates; and the events behind each of these,
numbered for the appendix. The renderers compute nothing: they show a ``BriefData``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol, TypeVar

from harbinger.report.situation import ReportError, region_names
from harbinger.wording import count

if TYPE_CHECKING:
    from harbinger.analyze.resurgence import (
        ResurgenceSettings,
        ResurgenceWarning,
        StrengthEstimate,
    )
    from harbinger.analyze.series import SeriesPoint
    from harbinger.geo import Gazetteer
    from harbinger.knowledge.lens import ActorLens
    from harbinger.records import WarningLevel
    from harbinger.store import Store, StoredClaim, StoredEvent

__all__ = [
    "BriefData",
    "Cited",
    "Panel",
    "RegionActivity",
    "Return",
    "TacticMonth",
    "collect_brief",
]

#: The longest default period: six months up to the actor's newest event.
DEFAULT_WEEKS = 26
#: At most this many small multiples of weekly events.
PANELS = 6
#: The deadliest events of the period that the summary names.
DEADLIEST = 3
#: Stances on each side of "what officials said".
WARNING_STANCES = ("warning", "concern")
REASSURING_STANCES = ("reassurance", "denial")

_Unit = tuple[str, str]  # (area kind, code) as the resurgence analysis names its regions


class _Placed(Protocol):
    """What ``_placed`` reads of a statement or a strength estimate."""

    @property
    def admin1_code(self) -> str | None: ...


_P = TypeVar("_P", bound=_Placed)


@dataclass(frozen=True, slots=True)
class Panel:
    """One small multiple: a region's weekly events of the actor with its baseline band."""

    region: str
    code: str
    level: WarningLevel | None
    points: tuple[SeriesPoint, ...]


@dataclass(frozen=True, slots=True)
class RegionActivity:
    """A region's level as of the last day, and the actor's events there in the whole period."""

    warning: ResurgenceWarning
    period_events: int
    period_fatalities: int


@dataclass(frozen=True, slots=True)
class Return:
    """An event of the actor in a place after ``quiet_weeks`` or more without one there."""

    event: StoredEvent
    #: The place returned to: the governorate ("Sweida") or the district ("Afrin district").
    place: str
    #: True when the whole governorate had been quiet (it is highlighted on the map).
    governorate: bool
    #: The actor's previous event in that place, when the store holds one in the year before.
    previous: dt.date | None


@dataclass(frozen=True, slots=True)
class TacticMonth:
    """The actor's events of one month and those showing the insurgent tactics."""

    month: str
    events: int
    #: Events showing at least one tactic.
    insurgent: int
    #: Each event counted once, under the first of its tactics in the knowledge file's order.
    by_tactic: tuple[tuple[str, int], ...]
    #: Events showing each tactic (an event may show several).
    mentions: tuple[tuple[str, int], ...]
    event_ids: tuple[str, ...] = ()

    @property
    def share(self) -> float | None:
        return self.insurgent / self.events if self.events else None


@dataclass(frozen=True, slots=True)
class Cited:
    """An event of the appendix: its reference ("E12"), the event, and why the brief cites it."""

    ref: str
    event: StoredEvent
    #: The sections citing it (1 summary, 2 activity, 3 returns, 4 repertoire).
    sections: tuple[int, ...]
    #: Why, in a few words each: "deadliest", "last 4 weeks", "return to Afrin district", "IEDs".
    why: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BriefData:
    """Everything a resurgence brief shows (the renderers compute nothing)."""

    title: str
    #: The actor family as the knowledge names it ("Islamic State"), and as typed ("Daesh").
    actor: str
    query: str
    #: Whether the name resolved through the actor knowledge (else: matched as written).
    known: bool
    #: The stored actor names the family takes.
    names: tuple[str, ...]
    region: str | None
    region_code: str | None
    where: str
    since: dt.date
    until: dt.date
    #: Weeks of the resurgence window (the last ones up to ``until``), its baseline, the quiet.
    window_weeks: int
    baseline_weeks: int
    quiet_weeks: int
    #: The actor's level in each region as of ``until`` (levels first, then the quiet regions).
    warnings: tuple[ResurgenceWarning, ...]
    #: The same regions with the actor's events and fatalities there in the whole period.
    activity: tuple[RegionActivity, ...]
    #: The actor's events in the period (and region), newest first.
    events: tuple[StoredEvent, ...]
    #: Its events in as many days before the period (for the comparison in the summary).
    events_before: int
    panels: tuple[Panel, ...]
    returns: tuple[Return, ...]
    repertoire: tuple[TacticMonth, ...]
    #: The tactics' labels in the knowledge file's order (their colours follow it).
    tactic_labels: tuple[str, ...]
    #: Statements about the actor in the period, oldest first.
    statements: tuple[StoredClaim, ...]
    #: Its strength estimates up to ``until`` (those before the period too), oldest first.
    strength: tuple[StrengthEstimate, ...]
    #: The events the brief cites, oldest first, numbered E1, E2, ...
    cited: tuple[Cited, ...]
    #: Event id -> its reference.
    refs: Mapping[str, str] = field(default_factory=dict)
    #: Events in the whole store, and the actor's with the day of its newest one.
    stored_events: int = 0
    actor_events: int = 0
    newest_actor_event: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        """True when the period holds no event of the actor, no statement and no estimate."""
        return not (self.events or self.statements or self.strength_in_period)

    @property
    def strength_in_period(self) -> tuple[StrengthEstimate, ...]:
        return tuple(s for s in self.strength if self.since <= s.date <= self.until)

    @property
    def with_level(self) -> tuple[ResurgenceWarning, ...]:
        return tuple(w for w in self.warnings if w.level is not None)

    @property
    def overall(self) -> WarningLevel | None:
        """The most severe level of any region (None: no region reaches a level)."""
        levels = {w.level for w in self.warnings}
        return next((lvl for lvl in ("alert", "warning", "watch") if lvl in levels), None)

    @property
    def fatalities(self) -> int:
        return sum(e.fatalities for e in self.events)

    def refs_of(self, event_ids: Iterable[str]) -> list[str]:
        """The references of those of the events the appendix holds, in the appendix's order."""
        found = {self.refs[i] for i in event_ids if i in self.refs}
        return sorted(found, key=lambda r: int(r[1:]))

    def nothing_message(self) -> str:
        """What the brief of a period that holds nothing about the actor says instead."""
        text = (
            f"Nothing is stored about {self.actor} in {self.where} between "
            f"{self.since.isoformat()} and {self.until.isoformat()}: no events where it is a "
            "party, no statements about it and no estimates of its strength."
        )
        if not self.known:
            text += (
                f" {self.query!r} is not in the actor knowledge: events whose actor names contain "
                "it were looked for as written."
            )
        if self.region and self.region_code is None:
            text += f" {self.region!r} is no governorate or region the gazetteer knows."
        if self.actor_events and self.newest_actor_event:
            text += (
                f" The store holds {count(self.actor_events, 'event')} of {self.actor}, the "
                f"newest of {self.newest_actor_event.isoformat()}; choose another period or region."
            )
        elif self.stored_events:
            text += (
                f" The store holds {count(self.stored_events, 'event')}, none of them of "
                f"{self.actor}."
            )
        else:
            text += " The store holds no events yet: ingest reports or import a table first."
        return text


# -- gathering ----------------------------------------------------------------------------------


def collect_brief(
    store: Store,
    actor: str | ActorLens,
    *,
    region: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    gazetteer: Gazetteer | None = None,
    settings: ResurgenceSettings | None = None,
) -> BriefData:
    """Gather a resurgence brief of ``actor`` (default period: the 26 weeks up to its newest
    event). Levels are as of the period's last day, from ``analyze.resurgence``."""
    from harbinger.analyze.resurgence import (
        ResurgenceSettings,
        actor_statements,
        resurgence,
        strength_estimates,
    )
    from harbinger.analyze.series import shifted
    from harbinger.knowledge.lens import actor_lens

    settings = settings or ResurgenceSettings()
    lens = actor_lens(actor, settings.theatre) if isinstance(actor, str) else actor
    if gazetteer is None:
        from harbinger.geo import configured_gazetteer

        gazetteer = configured_gazetteer()
    newest = _newest(store, lens)
    asked_until = until
    until = until or newest or dt.date.today()
    since = since or shifted(until, -7 * DEFAULT_WEEKS + 1)
    if since > until:
        if asked_until is None:
            raise ReportError(
                f"--from {since} is after {until}, the day of the newest event of {lens.label}; "
                "give --to as well"
            )
        raise ReportError(f"--from {since} is after --to {until}; swap them")
    code, where = region_names(region, gazetteer) if region else (None, "Iraq and Syria")
    unit = _unit_of(code, gazetteer) if code else None
    span = (until - since).days + 1
    # History before the period: the baselines of the weekly series (26 weeks before its first
    # week), the comparison with as long a span, and the previous event of a return (a year).
    history_start = min(
        shifted(since, -span),
        shifted(since, -7 * (settings.baseline_weeks + 1)),
        shifted(since, -365),
    )
    fetched = _actor_events(store, lens, history_start, until)
    everywhere = fetched
    if unit is not None:
        fetched = [e for e in fetched if _in_unit(e, unit, gazetteer)]
    elif region:  # a region the gazetteer does not know holds nothing
        fetched = []
    events = [e for e in fetched if e.date is not None and since <= e.date <= until]
    before_start = shifted(since, -span)
    events_before = sum(1 for e in fetched if e.date is not None and before_start <= e.date < since)

    warnings: list[ResurgenceWarning] = []
    returns: list[Return] = []
    if unit is not None or not region:
        warnings = resurgence(
            store,
            lens,
            as_of=until,
            region=region,
            gazetteer=gazetteer,
            settings=settings,
            include_quiet=True,
        )
        returns = _returns(store, lens, since, until, region, gazetteer, settings, everywhere)

    statements = _placed(
        actor_statements(
            store, lens, stances=(*WARNING_STANCES, *REASSURING_STANCES), since=since, until=until
        ),
        code,
        gazetteer,
    )
    strength = _placed(strength_estimates(store, lens, until=until), code, gazetteer)
    repertoire, labels, tactics = _repertoire(events, settings.theatre)
    panels = _panels(fetched, warnings, unit, since, until, gazetteer)
    cited = _cited(events, warnings, returns, tactics, settings.window_weeks)
    counts = store.counts()
    title = f"Resurgence brief: {lens.label}, {where}, {since.isoformat()} to {until.isoformat()}"
    return BriefData(
        title=title,
        actor=lens.label,
        query=lens.query,
        known=lens.known,
        names=tuple(sorted(lens.names)),
        region=region,
        region_code=code,
        where=where,
        since=since,
        until=until,
        window_weeks=settings.window_weeks,
        baseline_weeks=settings.baseline_weeks,
        quiet_weeks=settings.quiet_weeks,
        warnings=tuple(warnings),
        activity=tuple(
            RegionActivity(
                w,
                sum(1 for e in events if _in_unit(e, (w.area, w.region_code), gazetteer)),
                sum(
                    e.fatalities for e in events if _in_unit(e, (w.area, w.region_code), gazetteer)
                ),
            )
            for w in warnings
        ),
        events=tuple(sorted(events, key=lambda e: (e.date or dt.date.min, e.id), reverse=True)),
        events_before=events_before,
        panels=panels,
        returns=tuple(returns),
        repertoire=repertoire,
        tactic_labels=labels,
        statements=tuple(statements),
        strength=tuple(strength),
        cited=cited,
        refs={c.event.id: c.ref for c in cited},
        stored_events=counts["events"],
        # Read only for the message of an empty brief (a count of every event of the actor).
        actor_events=(
            len(_actor_events(store, lens, None, None, with_evidence=False)) if not events else 0
        ),
        newest_actor_event=newest,
    )


def _actor_events(
    store: Store,
    lens: ActorLens,
    since: dt.date | None,
    until: dt.date | None,
    *,
    with_evidence: bool = True,
) -> list[StoredEvent]:
    """The events the family is a party to (as ``analyze.resurgence`` counts them)."""
    found = store.events(since=since, until=until, actor=lens.query, with_evidence=with_evidence)
    if not lens.known:
        return found
    return [e for e in found if lens.is_party(e.actor1, e.actor2, e.assoc_actor1, e.assoc_actor2)]


def _newest(store: Store, lens: ActorLens) -> dt.date | None:
    for e in store.events(actor=lens.query, limit=50, with_evidence=False):
        if e.date is not None and (
            not lens.known or lens.is_party(e.actor1, e.actor2, e.assoc_actor1, e.assoc_actor2)
        ):
            return e.date
    return None


def _unit_of(code: str, gazetteer: Gazetteer) -> _Unit:
    """The resurgence analysis's region for a code of ``region_names``: a governorate's ISO code
    ("SY-HL") or a knowledge region's id ("jazira", which the analysis calls "reg:jazira")."""
    if gazetteer.admin1(code) is not None:
        return ("admin1", code)
    return ("region", code if code.startswith("reg:") else f"reg:{code}")


def _in_unit(event: StoredEvent, unit: _Unit, gazetteer: Gazetteer) -> bool:
    """Whether an event lies in one of the analysis's regions (as ``analyze.resurgence`` places
    it: by its governorate code, its country, or its point inside a knowledge region)."""
    from harbinger.analyze.series import regions_at

    kind, code = unit
    if kind == "theatre":
        return True
    if kind == "country":
        country = event.country_code or (event.admin1_code or "")[:2]
        return country == code
    if kind == "admin1":
        return event.admin1_code == code
    if event.latitude is None or event.longitude is None:
        return False
    return code in regions_at(gazetteer, event.latitude, event.longitude)


def _placed(items: Sequence[_P], code: str | None, gazetteer: Gazetteer) -> list[_P]:
    """For a governorate's brief: the items placed in it, and those placed in no governorate
    (a statement about the group as a whole). A knowledge region keeps every item: statements
    name governorates, not the region's outline."""
    if code is None or gazetteer.admin1(code) is None:
        return list(items)
    return [i for i in items if i.admin1_code in (None, code)]


# -- returns -------------------------------------------------------------------------------------


def _returns(
    store: Store,
    lens: ActorLens,
    since: dt.date,
    until: dt.date,
    region: str | None,
    gazetteer: Gazetteer,
    settings: ResurgenceSettings,
    history: Sequence[StoredEvent],
) -> list[Return]:
    """The actor's returns in the period: the analysis's spread signal, asked once with a window
    as long as the period (its levels are not used: only which events are returns), then each
    return placed in its governorate (when the whole governorate had been quiet) or its district."""
    from harbinger.analyze.resurgence import resurgence
    from harbinger.analyze.series import shifted

    weeks = -(-((until - since).days + 1) // 7)
    found = resurgence(
        store,
        lens,
        as_of=until,
        region=region,
        gazetteer=gazetteer,
        settings=replace(settings, window_weeks=weeks),
        include_quiet=True,
    )
    if not found:
        return []
    # The widest region asked about holds every return of the narrower ones.
    order = {"theatre": 0, "country": 1, "admin1": 2, "region": 3}
    widest = min(found, key=lambda w: order[w.area])
    spread = widest.signal("spread")
    ids = list(spread.event_ids) if spread is not None else []
    by_id = {e.id: e for e in history}
    missing = [i for i in ids if i not in by_id]
    if missing:
        by_id.update({e.id: e for e in store.events(ids=missing)})
    quiet = 7 * settings.quiet_weeks
    out: list[Return] = []
    for event_id in ids:
        e = by_id.get(event_id)
        if e is None or e.date is None or e.date < since:
            continue
        start = shifted(e.date, -quiet)
        in_admin1 = [
            h.date
            for h in history
            if h.date is not None and h.date < e.date and h.admin1_code == e.admin1_code
        ]
        governorate = not any(d >= start for d in in_admin1) or not e.admin2
        if governorate:
            previous = max(in_admin1, default=None)
            place = e.admin1 or e.admin1_code or e.location or "?"
        else:
            previous = max(
                (
                    h.date
                    for h in history
                    if h.date is not None
                    and h.date < e.date
                    and h.admin1_code == e.admin1_code
                    and h.admin2 == e.admin2
                ),
                default=None,
            )
            place = f"{e.admin2} ({e.admin1})" if e.admin1 else str(e.admin2)
        out.append(Return(e, place, governorate, previous))
    out.sort(key=lambda r: (r.event.date or dt.date.min, r.event.id))
    return out


# -- repertoire ----------------------------------------------------------------------------------


def _repertoire(
    events: Sequence[StoredEvent], theatre: str
) -> tuple[tuple[TacticMonth, ...], tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The months of the period with their insurgent tactics, the tactics' labels in the file's
    order, and each insurgent event's tactics (labels). An event's tactics are read as the
    analysis reads them (``Repertoire.tactics_of`` on its sub-event type, notes and evidence)."""
    from harbinger.knowledge.resurgence import load_resurgence

    repertoire = load_resurgence(theatre).repertoire
    labels = tuple(t.label for t in repertoire.tactics)
    tactics: dict[str, tuple[str, ...]] = {}
    months: dict[str, list[StoredEvent]] = {}
    for e in events:
        if e.date is None:
            continue
        months.setdefault(f"{e.date.year:04d}-{e.date.month:02d}", []).append(e)
        texts = [e.notes, *(ev.sentence for ev in e.evidence)]
        found = repertoire.tactics_of(e.sub_event_type, texts)
        if found:
            tactics[e.id] = tuple(repertoire.label(t) for t in found)
    out: list[TacticMonth] = []
    for month in _months(min(months, default=""), max(months, default="")):
        rows = sorted(months.get(month, []), key=lambda e: (e.date or dt.date.min, e.id))
        insurgent = [e for e in rows if e.id in tactics]
        first = Counter(tactics[e.id][0] for e in insurgent)
        every = Counter(label for e in insurgent for label in tactics[e.id])
        out.append(
            TacticMonth(
                month=month,
                events=len(rows),
                insurgent=len(insurgent),
                by_tactic=tuple((label, first[label]) for label in labels if first[label]),
                mentions=tuple(every.most_common()),
                event_ids=tuple(e.id for e in insurgent),
            )
        )
    return tuple(out), labels, tactics


def _months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` ("2018-10" .. "2019-03"), a month without events
    included (a gap in the chart is a month of none, not a missing bar)."""
    if not first:
        return []
    year, month = int(first[:4]), int(first[5:])
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# -- the weekly series of the regions that matter --------------------------------------------------


def _panels(
    events: Sequence[StoredEvent],
    warnings: Sequence[ResurgenceWarning],
    unit: _Unit | None,
    since: dt.date,
    until: dt.date,
    gazetteer: Gazetteer,
) -> tuple[Panel, ...]:
    """The region asked for (or the whole theatre), then the regions with a level, most severe
    first, then the governorates with the most events in the period, up to ``PANELS``."""
    by_code: dict[_Unit, ResurgenceWarning] = {(w.area, w.region_code): w for w in warnings}
    in_period = [e for e in events if e.date is not None and since <= e.date <= until]
    chosen: list[_Unit] = []
    if unit is not None:
        chosen.append(unit)
    elif warnings:
        theatre = next((w for w in warnings if w.area == "theatre"), None)
        if theatre is not None:
            chosen.append(("theatre", theatre.region_code))
        for w in warnings:
            own: _Unit = (w.area, w.region_code)
            if w.level is None or own in chosen or len(chosen) >= PANELS:
                continue
            if w.area == "country" and _same_events(in_period, own, chosen, gazetteer):
                continue  # a store of one country: its panel would repeat the theatre's
            chosen.append(own)
        busy = Counter(e.admin1_code for e in in_period if e.admin1_code)
        for admin1, _ in busy.most_common():
            if len(chosen) >= PANELS:
                break
            if ("admin1", admin1) not in chosen:
                chosen.append(("admin1", admin1))
    panels: list[Panel] = []
    for key in chosen:
        found = by_code.get(key)
        if found is not None:
            name = found.region
        elif key[0] == "admin1":
            entry = gazetteer.admin1(key[1])
            name = entry.name if entry else key[1]
        else:
            entry = gazetteer.get(key[1])
            name = entry.name if entry else key[1]
        mine = [e for e in events if _in_unit(e, key, gazetteer)]
        panels.append(
            Panel(name, key[1], found.level if found else None, tuple(_weekly(mine, since, until)))
        )
    return tuple(panels)


def _same_events(
    events: Sequence[StoredEvent], unit: _Unit, chosen: Sequence[_Unit], gazetteer: Gazetteer
) -> bool:
    """Whether a country holds every event of the period while the theatre is already shown."""
    if not any(c[0] == "theatre" for c in chosen):
        return False
    return all(_in_unit(e, unit, gazetteer) for e in events)


def _weekly(events: Sequence[StoredEvent], since: dt.date, until: dt.date) -> list[SeriesPoint]:
    """The weeks of the period with each week's baseline band from the 26 weeks before it, as
    ``analyze.series`` fits it (``series_points`` ends a series at its last event: a region the
    actor left must show its quiet weeks up to the period's end)."""
    from harbinger.analyze.series import (
        BASELINE_WEEKS,
        SeriesPoint,
        events_frame,
        fit_baseline,
        shifted,
        week_start,
        weekly_counts,
    )

    first, last = week_start(since), week_start(until)
    history = shifted(first, -7 * BASELINE_WEEKS)
    frame = events_frame(e for e in events if e.date is not None and history <= e.date <= until)
    counts = weekly_counts(frame, history, last)
    values = counts["events"].to_numpy(dtype=float)
    points: list[SeriesPoint] = []
    for idx, (week, n, deaths) in enumerate(
        zip(counts["week"], counts["events"], counts["fatalities"], strict=True)
    ):
        if week < first:
            continue
        base = fit_baseline(values[max(0, idx - BASELINE_WEEKS) : idx])
        low, high = base.band()
        points.append(SeriesPoint(week, int(n), int(deaths), base.mean, low, high))
    return points


# -- the events behind each section ----------------------------------------------------------------


def _cited(
    events: Sequence[StoredEvent],
    warnings: Sequence[ResurgenceWarning],
    returns: Sequence[Return],
    tactics: Mapping[str, tuple[str, ...]],
    window_weeks: int,
) -> tuple[Cited, ...]:
    """The events the sections cite, oldest first: the deadliest of the period (1), those of the
    last weeks behind each region's level (2), the returns (3) and the insurgent tactics (4)."""
    by_id = {e.id: e for e in events}
    why: dict[str, dict[int, list[str]]] = {}

    def cite(event_id: str, section: int, reason: str) -> None:
        if event_id in by_id:
            reasons = why.setdefault(event_id, {}).setdefault(section, [])
            if reason not in reasons:
                reasons.append(reason)

    deadliest = sorted(
        (e for e in events if e.fatalities > 0), key=lambda e: (-e.fatalities, e.id)
    )[:DEADLIEST]
    for e in deadliest:
        cite(e.id, 1, "deadliest")
    for w in warnings:
        for event_id in w.event_ids:
            cite(event_id, 2, f"last {window_weeks} weeks")
    for r in returns:
        cite(r.event.id, 3, f"return to {r.place}")
    for event_id, labels in tactics.items():
        for label in labels:
            cite(event_id, 4, label)
    ordered = sorted(why, key=lambda i: (by_id[i].date or dt.date.min, i))
    return tuple(
        Cited(
            ref=f"E{n}",
            event=by_id[event_id],
            sections=tuple(sorted(why[event_id])),
            why=tuple(r for s in sorted(why[event_id]) for r in why[event_id][s]),
        )
        for n, event_id in enumerate(ordered, 1)
    )
