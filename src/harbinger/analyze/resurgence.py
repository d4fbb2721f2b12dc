"""Resurgence warnings: one actor, or a family of actors, against its own past, region by region.

``resurgence(store, lens)`` looks at the events, statements and indicators of one actor family
(``knowledge.lens.ActorLens``: "Islamic State" takes its Iraq and Syria branches, whatever name a
report or a table used) in every country, governorate and knowledge region where it appears, on the
last ``window_weeks`` (4) weeks up to a day, against the ``baseline_weeks`` (26) weeks before. Each
signal is a weekly series with its own baseline and its evidence:

- **activity**: events where the actor is a party (actor 1 or 2, or associated with either);
- **fatalities**: the deaths in those events;
- **spread**: places (districts and governorates) with its events after at least ``quiet_weeks``
  (13, three months) without any, provided the store covers those weeks;
- **repertoire**: the share of its events that show an insurgent's tactics (IEDs, assassinations of
  local figures, attacks on checkpoints, night raids, kidnapping, extortion, crop burning), from
  sub-event types, target words and trigger words in the evidence (``resurgence.yaml``);
- **claims**: its claims of responsibility;
- **text signals**: strength estimates over time, withdrawals of the forces that contain it, prison
  breaks, leaders at large, reports of regrouping and of its tactics, warning statements.

Event signals score ``-log10`` of the probability of the window's value under the unit's own
baseline (a negative binomial rate for counts, a binomial for the repertoire's share); text signals
score each item beyond what the baseline weeks held. The weights come from the theatre's
``resurgence.yaml``; text adds at most ``text_cap``. Levels (``ResurgenceSettings``): **alert** at
a score of 4 with 8 events and two event signals fired; **warning** at 2.5 with 5 events and one;
**watch** at 1.3. Every result names its region, level, the reason in one sentence, each signal with
its series, baseline and value, and the ids of the events, statements and indicators behind it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from scipy import stats

from harbinger.analyze.series import BASELINE_WEEKS, fit_baseline, regions_at, shifted
from harbinger.analyze.warnings import latest_event_date
from harbinger.knowledge.lens import ActorLens, actor_lens
from harbinger.knowledge.resurgence import TEXT_SIGNALS, ResurgenceKnowledge, load_resurgence
from harbinger.records import Evidence, Warning, WarningLevel

if TYPE_CHECKING:
    from harbinger.geo import Gazetteer
    from harbinger.store import Store, StoredClaim, StoredEvent

__all__ = [
    "EVENT_SIGNAL_NAMES",
    "RepertoireMonth",
    "ResurgenceSettings",
    "ResurgenceWarning",
    "Signal",
    "SignalPoint",
    "StrengthEstimate",
    "actor_statements",
    "repertoire_by_month",
    "resurgence",
    "strength_estimates",
]

#: The event signals, in the order every result lists them.
EVENT_SIGNAL_NAMES = ("activity", "fatalities", "spread", "repertoire", "claims")
AreaKind = Literal["theatre", "country", "admin1", "region"]
SignalKind = Literal["event", "text"]
_LEVEL_ORDER = {"alert": 0, "warning": 1, "watch": 2, None: 3}


@dataclass(frozen=True, slots=True)
class ResurgenceSettings:
    """Settings of the resurgence signals and levels, with their defaults."""

    #: Weeks under test, up to the day asked for.
    window_weeks: int = 4
    #: Weeks of history before the window that every baseline is fitted on.
    baseline_weeks: int = BASELINE_WEEKS
    #: Weeks without the actor's events after which its return to a place counts as spread.
    quiet_weeks: int = 13
    #: Fewest events (and fatalities) in the window for activity (and fatalities) to score.
    min_events: int = 3
    min_fatalities: int = 5
    #: The window must hold at least this multiple of what the baseline expects.
    min_ratio: float = 1.5
    #: Fewest insurgent-tactic events, and the least rise of their share over the baseline's.
    repertoire_min_events: int = 2
    repertoire_min_shift: float = 0.1
    #: Weight (in events) of the actor's theatre-wide share as the prior of a unit's share.
    repertoire_prior: float = 5.0
    #: Fewest claims of responsibility in the window for the claims signal to score.
    min_claims: int = 2
    #: An event signal fires at this score (a 1-in-20 surprise); no signal counts for more than cap.
    fire_score: float = 1.3
    signal_cap: float = 5.0
    #: Score thresholds of the levels, fewest events and event signals fired for each.
    watch_score: float = 1.3
    warning_score: float = 2.5
    alert_score: float = 4.0
    warning_events: int = 5
    alert_events: int = 8
    warning_signals: int = 1
    alert_signals: int = 2
    #: The theatre whose resurgence.yaml gives the repertoire and the weights.
    theatre: str = "iraq_syria"
    #: Weights that replace the file's (``activity``, ``text:prison_break``, ...).
    weights: Mapping[str, float] = field(default_factory=dict)
    #: The most text signals add together (None: the file's ``text_cap``).
    text_cap: float | None = None


@dataclass(frozen=True, slots=True)
class SignalPoint:
    """One week of a signal's series: its first day and its value (None: nothing to measure)."""

    start: dt.date
    value: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "value": None if self.value is None else round(self.value, 4),
        }


@dataclass(frozen=True, slots=True)
class Signal:
    """One resurgence signal of one region: its series, baseline, window value, score, evidence."""

    #: ``activity``, ``fatalities``, ``spread``, ``repertoire``, ``claims`` or ``text:<kind>``.
    name: str
    kind: SignalKind
    #: The window's value: a count, or a share for the repertoire, or the newest strength estimate.
    value: float | None
    #: What the unit's own baseline expects over the window (the same unit as ``value``).
    baseline: float | None
    #: Before the weight: -log10 of the window's probability under the baseline (event signals),
    #: or the items beyond the baseline (text signals).
    score: float
    weight: float
    #: ``weight * score``: what the signal adds (text signals together at most the text cap).
    contribution: float
    fired: bool
    #: The signal's clause of the reason ("" when it says nothing).
    summary: str
    series: tuple[SignalPoint, ...] = ()
    #: Counts behind the value: tactics, places returned to, kinds of text.
    breakdown: tuple[tuple[str, int], ...] = ()
    event_ids: tuple[str, ...] = ()
    claim_ids: tuple[str, ...] = ()
    indicator_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "value": None if self.value is None else round(self.value, 4),
            "baseline": None if self.baseline is None else round(self.baseline, 4),
            "score": round(self.score, 3),
            "weight": self.weight,
            "contribution": round(self.contribution, 3),
            "fired": self.fired,
            "summary": self.summary,
            "series": [p.to_dict() for p in self.series],
            "breakdown": [{"label": k, "count": n} for k, n in self.breakdown],
            "event_ids": list(self.event_ids),
            "claim_ids": list(self.claim_ids),
            "indicator_ids": list(self.indicator_ids),
        }


@dataclass(frozen=True, slots=True)
class ResurgenceWarning:
    """An actor's resurgence level in one region, with the reason, the signals and the evidence."""

    id: str
    #: The actor family (``ActorLens.label``: "Islamic State").
    actor: str
    region: str
    region_code: str
    area: AreaKind
    period_start: dt.date
    period_end: dt.date
    #: None only in the quiet regions that ``include_quiet`` adds.
    level: WarningLevel | None
    score: float
    reason: str
    signals: tuple[Signal, ...] = ()
    event_ids: tuple[str, ...] = ()
    claim_ids: tuple[str, ...] = ()
    indicator_ids: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def signal(self, name: str) -> Signal | None:
        return next((s for s in self.signals if s.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "actor": self.actor,
            "region": self.region,
            "region_code": self.region_code,
            "area": self.area,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "level": self.level,
            "score": round(self.score, 3),
            "reason": self.reason,
            "signals": [s.to_dict() for s in self.signals],
            "event_ids": list(self.event_ids),
            "claim_ids": list(self.claim_ids),
            "indicator_ids": list(self.indicator_ids),
            "evidence": [e.to_dict() for e in self.evidence],
        }

    def to_warning(self) -> Warning:
        """The result as a plain ``records.Warning`` (for faces that list warnings of any kind)."""
        if self.level is None:
            raise ValueError(f"{self.region}: a quiet region has no warning level")
        return Warning(
            id=self.id,
            region=self.region,
            region_code=self.region_code,
            period_start=self.period_start,
            period_end=self.period_end,
            level=self.level,
            score=self.score,
            reason=self.reason,
            event_ids=self.event_ids,
            claim_ids=self.claim_ids,
            indicator_ids=self.indicator_ids,
            evidence=self.evidence,
        )


# -- the rows the signals are computed from ---------------------------------------------------

_Unit = tuple[AreaKind, str]


@dataclass(frozen=True, slots=True)
class _Row:
    """One of the actor's events, binned into the weeks of the question."""

    id: str
    date: dt.date
    #: The week of the question (-baseline_weeks .. window_weeks-1); None for the quiet weeks
    #: before the baseline, read only to tell a return from a continuation.
    week: int | None
    units: frozenset[_Unit]
    places: tuple[tuple[str, str], ...]
    fatalities: int
    tactics: tuple[str, ...]
    text_kinds: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class _Item:
    """A statement or an indicator as a text signal (or a claim of responsibility)."""

    signal: str
    id: str
    source: Literal["event", "claim", "indicator"]
    date: dt.date
    week: int | None
    units: frozenset[_Unit]
    evidence: tuple[Evidence, ...]
    value: float | None = None


@dataclass(frozen=True)
class _Question:
    lens: ActorLens
    knowledge: ResurgenceKnowledge
    settings: ResurgenceSettings
    weights: Mapping[str, float]
    text_cap: float
    start: dt.date
    end: dt.date

    @property
    def weeks(self) -> int:
        return self.settings.window_weeks

    @property
    def base(self) -> int:
        return self.settings.baseline_weeks

    def week_of(self, day: dt.date) -> int | None:
        """The week of a day: 0 .. window-1 inside the window, -baseline .. -1 before it."""
        k = (day - self.start).days // 7
        return k if -self.base <= k < self.weeks and day <= self.end else None

    def week_start(self, k: int) -> dt.date:
        return shifted(self.start, 7 * k)


def resurgence(
    store: Store,
    lens: ActorLens | str,
    *,
    as_of: dt.date | None = None,
    region: str | None = None,
    gazetteer: Gazetteer | None = None,
    settings: ResurgenceSettings | None = None,
    include_quiet: bool = False,
) -> list[ResurgenceWarning]:
    """The actor's resurgence level per region as of a day, most severe first.

    ``lens`` is an ``ActorLens`` or what an analyst typed ("Islamic State", "IS", "Daesh");
    ``as_of`` defaults to the date of the newest event in the store; ``region`` keeps one
    country, governorate or knowledge region (its code or name); ``include_quiet`` also returns
    the regions where the actor appears without reaching a level (``level`` None), so that a
    brief can show its activity against the baseline everywhere.
    """
    settings = settings or ResurgenceSettings()
    if isinstance(lens, str):
        lens = actor_lens(lens, settings.theatre)
    if gazetteer is None:
        from harbinger.geo import configured_gazetteer

        gazetteer = configured_gazetteer()
    knowledge = load_resurgence(settings.theatre)
    as_of = as_of or latest_event_date(store) or dt.date.today()
    start = shifted(as_of, -(7 * settings.window_weeks - 1))
    q = _Question(
        lens=lens,
        knowledge=knowledge,
        settings=settings,
        weights={**knowledge.weights, **settings.weights},
        text_cap=knowledge.text_cap if settings.text_cap is None else settings.text_cap,
        start=start,
        end=as_of,
    )
    base_start = shifted(start, -7 * settings.baseline_weeks)
    fetch_start = shifted(base_start, -7 * settings.quiet_weeks)
    events = _actor_events(store, lens, fetch_start, as_of)
    covered_from = _covered_from(store, fetch_start, as_of)
    rows = [_row(e, q, gazetteer) for e in events if e.date is not None]
    returns = _returns(rows, q, covered_from)
    items = _items(store, q, gazetteer, rows)
    units = _units_of(rows, items, q)
    if region:
        wanted = region.strip().lower()
        units = [
            u for u in units if wanted in (u[1].lower(), _unit_name(u, gazetteer).lower())
        ] or [u for u in units if wanted == u[1].lower().removeprefix("reg:")]
    pooled = _pooled_share(rows)
    out: list[ResurgenceWarning] = []
    for unit in units:
        found = _assess(unit, q, rows, returns, items, pooled, gazetteer)
        if found.level is not None or include_quiet:
            out.append(found)
    areas = {"theatre": 0, "country": 1, "admin1": 2, "region": 3}
    out.sort(key=lambda w: (_LEVEL_ORDER[w.level], -w.score, areas[w.area], w.region))
    return out


def _actor_events(
    store: Store, lens: ActorLens, since: dt.date | None, until: dt.date | None
) -> list[StoredEvent]:
    # The store's own actor filter (the same lens, in SQL) keeps the read small; a name the
    # knowledge does not know is then a substring, as in `harbinger events --actor`.
    found = store.events(since=since, until=until, actor=lens.query)
    if not lens.known:
        return found
    return [e for e in found if lens.is_party(e.actor1, e.actor2, e.assoc_actor1, e.assoc_actor2)]


def _covered_from(store: Store, fetch_start: dt.date, end: dt.date) -> dt.date:
    """The first day the store holds events of any actor for (a return needs quiet weeks seen)."""
    if store.events(until=shifted(fetch_start, -1), limit=1, with_evidence=False):
        return dt.date.min
    dates = [
        e.date
        for e in store.events(since=fetch_start, until=end, with_evidence=False)
        if e.date is not None
    ]
    return min(dates) if dates else end


def _row(e: StoredEvent, q: _Question, gazetteer: Gazetteer) -> _Row:
    assert e.date is not None
    units: set[_Unit] = {("theatre", q.settings.theatre)}
    country = e.country_code or (e.admin1_code[:2] if e.admin1_code else None)
    if country:
        units.add(("country", country))
    if e.admin1_code:
        units.add(("admin1", e.admin1_code))
    if e.latitude is not None and e.longitude is not None:
        units.update(("region", rid) for rid in regions_at(gazetteer, e.latitude, e.longitude))
    places: list[tuple[str, str]] = []
    if e.admin1_code:
        places.append(("admin1", e.admin1_code))
        if e.admin2:
            places.append(("admin2", f"{e.admin1_code}/{e.admin2}"))
    texts = [e.notes, *(ev.sentence for ev in e.evidence)]
    kinds: list[str] = []
    for text in texts:
        kinds.extend(k for k in q.knowledge.text_kinds(text or "") if k not in kinds)
    return _Row(
        id=e.id,
        date=e.date,
        week=q.week_of(e.date),
        units=frozenset(units),
        places=tuple(places),
        fatalities=int(e.fatalities or 0),
        tactics=q.knowledge.repertoire.tactics_of(e.sub_event_type, texts),
        text_kinds=tuple(kinds),
        evidence=e.evidence,
    )


@dataclass(frozen=True, slots=True)
class _Return:
    place: tuple[str, str]
    row: _Row


def _returns(rows: Sequence[_Row], q: _Question, covered_from: dt.date) -> list[_Return]:
    """The actor's first event in a place after ``quiet_weeks`` without one there.

    A return needs the store to cover the quiet weeks before it (events of any actor from
    ``covered_from`` on): a store that begins last month cannot tell a return from its start.
    """
    quiet = 7 * q.settings.quiet_weeks
    by_place: dict[tuple[str, str], list[_Row]] = {}
    for r in rows:
        for place in r.places:
            by_place.setdefault(place, []).append(r)
    out: list[_Return] = []
    for place, place_rows in by_place.items():
        place_rows.sort(key=lambda r: (r.date, r.id))
        previous: dt.date | None = None
        for r in place_rows:
            gap_from = shifted(r.date, -quiet)
            if (
                r.week is not None
                and (previous is None or previous < gap_from)
                and covered_from <= gap_from
            ):
                out.append(_Return(place, r))
            previous = r.date
    # A governorate the actor returns to holds districts it returns to by the same event: the
    # event counts once, for the governorate.
    governorates = {x.row.id for x in out if x.place[0] == "admin1"}
    return [x for x in out if x.place[0] == "admin1" or x.row.id not in governorates]


def _region_of_place(place: str | None, gazetteer: Gazetteer) -> list[_Unit]:
    if not place:
        return []
    units: list[_Unit] = []
    for entry in gazetteer.lookup(place):
        if entry.kind == "region":
            units.append(("region", entry.id))
        elif entry.kind == "country" and entry.id.startswith("cty:"):
            units.append(("country", entry.id.removeprefix("cty:")))
        if units:
            break
    return units


def _item_units(
    admin1_code: str | None, place: str | None, gazetteer: Gazetteer, theatre: str
) -> frozenset[_Unit]:
    # Every statement and indicator counts for the theatre, placed or not ("it has 14,000
    # fighters" names no governorate), and for the areas its place names.
    units: set[_Unit] = {("theatre", theatre)}
    if admin1_code:
        units.add(("admin1", admin1_code))
        units.add(("country", admin1_code[:2]))
    else:
        units.update(_region_of_place(place, gazetteer))
    return frozenset(units)


def _items(store: Store, q: _Question, gazetteer: Gazetteer, rows: Sequence[_Row]) -> list[_Item]:
    lens, k = q.lens, q.knowledge
    first = q.week_start(-q.base)
    out: list[_Item] = []

    def family_or_none(name: str | None) -> bool:
        return name is None or lens.matches(name)

    for c in store.claims():
        if c.published is None or c.published > q.end:
            continue
        units = _item_units(c.admin1_code, c.place, gazetteer, q.settings.theatre)
        week = q.week_of(c.published)
        texts = [c.text, *(e.sentence for e in c.evidence)]
        signals: list[str] = []
        if c.stance == "claim of responsibility" and (
            lens.matches(c.about_actor) or lens.matches(c.speaker)
        ):
            signals.append("claims")
        elif c.stance == "warning" and lens.matches(c.about_actor):
            signals.append("text:warning_statements")
        elif c.stance in ("reassurance", "denial") and lens.matches(c.about_actor):
            signals.append("text:reassurances")
        if family_or_none(c.about_actor) and _says(k, texts, "prison_break"):
            signals.append("text:prison_break")
        for signal in signals:
            if c.published >= first:
                out.append(_Item(signal, c.id, "claim", c.published, week, units, c.evidence))
    for i in store.indicators():
        if i.published is None or i.published > q.end:
            continue
        units = _item_units(i.admin1_code, i.place, gazetteer, q.settings.theatre)
        week = q.week_of(i.published)
        texts = [str(i.value or ""), *(e.sentence for e in i.evidence)]
        signals = []
        if i.kind == "strength" and lens.matches(i.actor) and i.value_num is not None:
            # Every estimate counts, however old: the newest is judged against the earlier ones.
            out.append(
                _Item(
                    "text:strength",
                    i.id,
                    "indicator",
                    i.published,
                    week,
                    units,
                    i.evidence,
                    value=i.value_num,
                )
            )
            continue
        if i.kind == "resurgence" and lens.matches(i.actor):
            signals.append("text:regrouping")
        elif i.kind == "tactic" and lens.matches(i.actor):
            signals.append("text:tactics_reported")
        elif (
            i.kind == "leadership"
            and family_or_none(i.actor)
            and str(i.value or "").casefold() in k.leaders_at_large
        ):
            signals.append("text:leaders_at_large")
        elif i.kind == "withdrawal" and not lens.matches(i.actor):
            # The forces that contain it withdrawing: any actor but the family itself.
            signals.append("text:withdrawal")
        if family_or_none(i.actor) and _says(k, texts, "prison_break"):
            signals.append("text:prison_break")
        for signal in signals:
            if i.published >= first:
                out.append(_Item(signal, i.id, "indicator", i.published, week, units, i.evidence))
    for r in rows:
        if "prison_break" in r.text_kinds and r.week is not None:
            out.append(
                _Item("text:prison_break", r.id, "event", r.date, r.week, r.units, r.evidence)
            )
    return out


def _says(k: ResurgenceKnowledge, texts: Iterable[str], kind: str) -> bool:
    return any(kind in k.text_kinds(t) for t in texts if t)


def _units_of(rows: Sequence[_Row], items: Sequence[_Item], q: _Question) -> list[_Unit]:
    units: set[_Unit] = set()
    for r in rows:
        if r.week is not None:
            units |= r.units
    for it in items:
        if it.week is not None:
            units |= it.units
    order = {"theatre": 0, "country": 1, "admin1": 2, "region": 3}
    return sorted(units, key=lambda u: (order[u[0]], u[1]))


def _unit_name(unit: _Unit, gazetteer: Gazetteer) -> str:
    kind, code = unit
    if kind == "theatre":
        # The theatre by its countries ("Iraq and Syria"), those of its governorates.
        codes = sorted({e.country_code for e in gazetteer.admin1_entries() if e.country_code})
        names = [n.name for n in (gazetteer.get(f"cty:{c}") for c in codes) if n is not None]
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or code
    if kind == "admin1":
        entry = gazetteer.admin1(code)
    elif kind == "country":
        entry = gazetteer.get(f"cty:{code}")
    else:
        entry = gazetteer.get(code)
    return entry.name if entry is not None else code


def _pooled_share(rows: Sequence[_Row]) -> float | None:
    """The actor's share of insurgent-tactic events across the theatre in the baseline weeks."""
    before = [r for r in rows if r.week is not None and r.week < 0]
    if not before:
        return None
    return sum(1 for r in before if r.tactics) / len(before)


# -- the signals -----------------------------------------------------------------------------


def _weekly(q: _Question, values: Mapping[int, float]) -> list[float]:
    return [float(values.get(k, 0.0)) for k in range(-q.base, q.weeks)]


def _series(q: _Question, weekly: Sequence[float | None]) -> tuple[SignalPoint, ...]:
    return tuple(
        SignalPoint(q.week_start(k), v)
        for k, v in zip(range(-q.base, q.weeks), weekly, strict=True)
    )


def _count_signal(
    q: _Question,
    weekly: Sequence[float],
    *,
    minimum: float,
) -> tuple[float, float, float]:
    """Window total, its expectation under the baseline, and -log10 P(at least the total)."""
    history, window = weekly[: q.base], weekly[q.base :]
    base = fit_baseline(history)
    observed = float(sum(window))
    expected = base.mean * q.weeks
    ratio = observed / expected if expected > 0 else (math.inf if observed else 0.0)
    if observed < minimum or ratio < q.settings.min_ratio:
        return observed, expected, 0.0
    p = base.surprise(round(observed), q.weeks)
    return observed, expected, min(-math.log10(max(p, 1e-12)), q.settings.signal_cap)


def _event_signal(
    name: str,
    q: _Question,
    score: float,
    value: float | None,
    baseline: float | None,
    weekly: Sequence[float | None],
    summary: str,
    *,
    breakdown: Sequence[tuple[str, int]] = (),
    event_ids: Sequence[str] = (),
    claim_ids: Sequence[str] = (),
) -> Signal:
    weight = q.weights.get(name, 0.0)
    return Signal(
        name=name,
        kind="event",
        value=value,
        baseline=baseline,
        score=score,
        weight=weight,
        contribution=weight * score,
        fired=score >= q.settings.fire_score,
        summary=summary if score > 0 else "",
        series=_series(q, weekly),
        breakdown=tuple(breakdown),
        event_ids=tuple(event_ids),
        claim_ids=tuple(claim_ids),
    )


def _week(r: _Row) -> int:
    """The week of a row of the question's weeks (the quiet weeks before never get here)."""
    assert r.week is not None
    return r.week


def _ordered(rows: Iterable[_Row]) -> list[_Row]:
    return sorted(rows, key=lambda r: (-r.fatalities, -r.date.toordinal(), r.id))


def _activity(q: _Question, name: str, rows: Sequence[_Row]) -> tuple[Signal, Signal, list[_Row]]:
    counts: Counter[int] = Counter(_week(r) for r in rows)
    deaths: Counter[int] = Counter()
    for r in rows:
        deaths[_week(r)] += r.fatalities
    weekly = _weekly(q, counts)
    observed, expected, score = _count_signal(q, weekly, minimum=q.settings.min_events)
    window = _ordered(r for r in rows if _week(r) >= 0)
    noun = "event" if observed == 1 else "events"
    if expected > 0:
        compare = (
            f"{observed / expected:.1f}x its {q.base}-week baseline ({expected:.1f} expected)"
            if observed >= expected
            else f"below its {q.base}-week baseline ({expected:.1f} expected)"
        )
    else:
        compare = f"none in the {q.base} weeks before"
    summary = f"{observed:.0f} {noun} in {name} in the last {q.weeks} weeks, {compare}"
    activity = _event_signal(
        "activity", q, score, observed, expected, weekly, summary,
        event_ids=[r.id for r in window],
    )  # fmt: skip
    # The activity clause opens every reason, fired or not.
    activity = replace(activity, summary=summary)
    weekly_deaths = _weekly(q, deaths)
    f_obs, f_exp, f_score = _count_signal(q, weekly_deaths, minimum=q.settings.min_fatalities)
    if observed < q.settings.min_events:
        # One event's toll is one number, however large: fatalities confirm activity only.
        f_score = 0.0
    f_summary = f"{f_obs:.0f} fatalities ({f_exp:.1f} expected)"
    fatalities = _event_signal(
        "fatalities", q, f_score, f_obs, f_exp, weekly_deaths, f_summary,
        event_ids=[r.id for r in window if r.fatalities],
    )  # fmt: skip
    return activity, fatalities, window


def _spread(q: _Question, unit: _Unit, returns: Sequence[_Return], gazetteer: Gazetteer) -> Signal:
    mine = [x for x in returns if unit in x.row.units]
    weekly = _weekly(q, Counter(_week(x.row) for x in mine))
    observed, expected, score = _count_signal(q, weekly, minimum=1)
    window = [x for x in mine if _week(x.row) >= 0]
    labels = Counter(_place_label(x.place, gazetteer) for x in window)
    shown = ", ".join(label for label, _ in labels.most_common(3))
    more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
    noun = "place" if observed == 1 else "places"
    summary = (
        f"back in {observed:.0f} {noun} after {q.settings.quiet_weeks}+ weeks without its "
        f"events ({shown}{more})"
    )
    return _event_signal(
        "spread", q, score, observed, expected, weekly, summary,
        breakdown=labels.most_common(),
        event_ids=list(dict.fromkeys(x.row.id for x in window)),
    )  # fmt: skip


def _place_label(place: tuple[str, str], gazetteer: Gazetteer) -> str:
    kind, key = place
    if kind == "admin1":
        entry = gazetteer.admin1(key)
        return entry.name if entry else key
    return key.split("/", 1)[1]


def _repertoire(q: _Question, rows: Sequence[_Row], pooled: float | None) -> Signal:
    s = q.settings
    totals: Counter[int] = Counter(_week(r) for r in rows)
    insurgent: Counter[int] = Counter(_week(r) for r in rows if r.tactics)
    weekly: list[float | None] = [
        insurgent[k] / totals[k] if totals[k] else None for k in range(-q.base, q.weeks)
    ]
    before = [r for r in rows if _week(r) < 0]
    window = [r for r in rows if _week(r) >= 0]
    k0, n0 = sum(1 for r in before if r.tactics), len(before)
    prior = pooled if pooled is not None else 0.5
    p0 = (k0 + s.repertoire_prior * prior) / (n0 + s.repertoire_prior)
    p0 = min(max(p0, 0.02), 0.98)
    tactic_rows = _ordered(r for r in window if r.tactics)
    k, n = len(tactic_rows), len(window)
    share = k / n if n else None
    score = 0.0
    if n and k >= s.repertoire_min_events and k / n >= p0 + s.repertoire_min_shift:
        p = float(stats.binom.sf(k - 1, n, p0))
        score = min(-math.log10(max(p, 1e-12)), s.signal_cap)
    tactics = Counter(
        q.knowledge.repertoire.label(t) for r in tactic_rows for t in r.tactics
    ).most_common()
    listed = ", ".join(f"{label} {count}" for label, count in tactics[:4])
    summary = (
        f"insurgent tactics in {k} of {n} events ({(share or 0):.0%}, {p0:.0%} expected"
        f"{': ' + listed if listed else ''})"
    )
    return _event_signal(
        "repertoire", q, score, share, p0, weekly, summary,
        breakdown=tactics, event_ids=[r.id for r in tactic_rows],
    )  # fmt: skip


def _claims(q: _Question, items: Sequence[_Item]) -> Signal:
    weekly = _weekly(q, Counter(it.week for it in items if it.week is not None))
    observed, expected, score = _count_signal(q, weekly, minimum=q.settings.min_claims)
    window = [it for it in items if it.week is not None and it.week >= 0]
    noun = "claim" if observed == 1 else "claims"
    summary = f"{observed:.0f} {noun} of responsibility ({expected:.1f} expected)"
    return _event_signal(
        "claims", q, score, observed, expected, weekly, summary,
        claim_ids=[it.id for it in window],
    )  # fmt: skip


_TEXT_WORDS = {
    "text:prison_break": ("prison break", "prison breaks"),
    "text:withdrawal": ("withdrawal of forces", "withdrawals of forces"),
    "text:regrouping": ("report of regrouping", "reports of regrouping"),
    "text:tactics_reported": ("report of its tactics", "reports of its tactics"),
    "text:leaders_at_large": ("leader at large", "reports of leaders at large"),
    "text:warning_statements": ("statement warning of it", "statements warning of it"),
    "text:reassurances": ("reassurance", "reassurances"),
}


def _text_signal(q: _Question, name: str, items: Sequence[_Item]) -> Signal:
    weekly = _weekly(q, Counter(it.week for it in items if it.week is not None))
    window = [it for it in items if it.week is not None and it.week >= 0]
    before = sum(weekly[: q.base])
    expected = before * q.weeks / q.base
    observed = float(len(window))
    score = max(0.0, observed - expected)
    weight = q.weights.get(name, 0.0)
    one, many = _TEXT_WORDS.get(name, (name, name))
    summary = f"{observed:.0f} {one if observed == 1 else many}" if observed else ""
    return Signal(
        name=name,
        kind="text",
        value=observed,
        baseline=expected,
        score=score,
        weight=weight,
        contribution=weight * score,
        fired=weight * score > 0,
        summary=summary,
        series=_series(q, weekly),
        event_ids=tuple(it.id for it in window if it.source == "event"),
        claim_ids=tuple(it.id for it in window if it.source == "claim"),
        indicator_ids=tuple(it.id for it in window if it.source == "indicator"),
    )


def _strength(q: _Question, items: Sequence[_Item]) -> Signal:
    """The newest estimate in the window against the median of the earlier ones."""
    ordered = sorted(items, key=lambda it: (it.date, it.id))
    window = [it for it in ordered if it.week is not None and it.week >= 0]
    earlier = [it.value for it in ordered if it.date < q.start and it.value is not None]
    newest = window[-1] if window else None
    baseline = statistics.median(earlier) if earlier else None
    name = "text:strength"
    score = 0.0
    if newest is not None and newest.value is not None:
        if baseline is None:
            score, name = 1.0, "text:strength"
        elif newest.value > 1.1 * baseline:
            score, name = 1.0, "text:strength_rising"
    weight = q.weights.get(name, 0.0)
    if newest is None or newest.value is None:
        summary = ""
    elif baseline is None:
        summary = f"a strength estimate of {newest.value:,.0f}"
    else:
        way = "up from" if newest.value > baseline else "against"
        summary = f"a strength estimate of {newest.value:,.0f}, {way} {baseline:,.0f} before"
    weekly: list[float | None] = [None] * (q.base + q.weeks)
    for it in ordered:
        if it.week is not None:
            weekly[it.week + q.base] = it.value
    return Signal(
        name=name,
        kind="text",
        value=newest.value if newest else None,
        baseline=baseline,
        score=score,
        weight=weight,
        contribution=weight * score,
        fired=weight * score > 0,
        summary=summary,
        series=_series(q, weekly),
        indicator_ids=tuple(it.id for it in window),
    )


# -- one unit --------------------------------------------------------------------------------


def _assess(
    unit: _Unit,
    q: _Question,
    all_rows: Sequence[_Row],
    returns: Sequence[_Return],
    items: Sequence[_Item],
    pooled: float | None,
    gazetteer: Gazetteer,
) -> ResurgenceWarning:
    s = q.settings
    name = _unit_name(unit, gazetteer)
    rows = [r for r in all_rows if unit in r.units and r.week is not None]
    mine = [it for it in items if unit in it.units]
    activity, fatalities, window = _activity(q, name, rows)
    signals = [
        activity,
        fatalities,
        _spread(q, unit, returns, gazetteer),
        _repertoire(q, rows, pooled),
        _claims(q, [it for it in mine if it.signal == "claims"]),
    ]
    # The text signals in the order of their weights in the knowledge file (prison breaks first).
    rank = {f"text:{name}": i for i, name in enumerate(TEXT_SIGNALS)}
    text_names = sorted(
        {it.signal for it in mine if it.signal.startswith("text:")},
        key=lambda n: (rank.get(n, len(rank)), n),
    )
    for text_name in text_names:
        of_kind = [it for it in mine if it.signal == text_name]
        if text_name == "text:strength":
            signals.append(_strength(q, of_kind))
        else:
            signals.append(_text_signal(q, text_name, of_kind))
    event_part = sum(x.contribution for x in signals if x.kind == "event")
    text_part = min(sum(x.contribution for x in signals if x.kind == "text"), q.text_cap)
    score = event_part + text_part
    fired = sum(1 for x in signals if x.kind == "event" and x.fired)
    observed = len(window)
    level: WarningLevel | None = None
    if score >= s.alert_score and observed >= s.alert_events and fired >= s.alert_signals:
        level = "alert"
    elif score >= s.warning_score and observed >= s.warning_events and fired >= s.warning_signals:
        level = "warning"
    elif score >= s.watch_score:
        level = "watch"
    reason = _reason(q, signals, text_part)
    event_ids = list(dict.fromkeys(i for x in signals for i in x.event_ids))
    # The window's events first (most deadly first), then those only text signals name.
    ordered_ids = [r.id for r in window] + [i for i in event_ids if i not in {r.id for r in window}]
    claim_ids = tuple(dict.fromkeys(i for x in signals for i in x.claim_ids))
    indicator_ids = tuple(dict.fromkeys(i for x in signals for i in x.indicator_ids))
    evidence = _evidence(
        [r for r in all_rows if r.id in set(ordered_ids[:10])],
        [it for it in mine if it.id in set(claim_ids) | set(indicator_ids)],
    )
    key = f"{q.lens.label}:{unit[0]}:{unit[1]}:{q.start.isoformat()}:{q.end.isoformat()}"
    return ResurgenceWarning(
        id="rw-" + hashlib.sha256(key.encode()).hexdigest()[:16],
        actor=q.lens.label,
        region=name,
        region_code=unit[1],
        area=unit[0],
        period_start=q.start,
        period_end=q.end,
        level=level,
        score=score,
        reason=reason,
        signals=tuple(signals),
        event_ids=tuple(ordered_ids),
        claim_ids=claim_ids,
        indicator_ids=indicator_ids,
        evidence=evidence,
    )


def _reason(q: _Question, signals: Sequence[Signal], text_part: float) -> str:
    parts = [f"{q.lens.label}: {signals[0].summary}"]
    for x in signals[1:]:
        if x.kind == "event" and x.score > 0 and x.summary:
            parts.append(x.summary)
    texts = [x.summary for x in signals if x.kind == "text" and x.summary]
    if texts:
        note = "" if text_part > 0 else " (no more than in the baseline weeks)"
        parts.append("text signals: " + ", ".join(texts) + note)
    return "; ".join(parts) + "."


def _evidence(rows: Sequence[_Row], items: Sequence[_Item]) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    seen: set[tuple[int, int, str]] = set()
    for ev in [*(e for r in _ordered(rows) for e in r.evidence[:1]),
               *(e for it in items for e in it.evidence[:1])]:  # fmt: skip
        mark = (ev.start, ev.end, ev.sentence)
        if mark not in seen:
            seen.add(mark)
            out.append(ev)
    return tuple(out)


# -- for briefs: the actor's series over a longer span ---------------------------------------


@dataclass(frozen=True, slots=True)
class StrengthEstimate:
    """One estimate of the actor's strength, with its source."""

    indicator_id: str
    date: dt.date
    value: float
    low: float | None
    high: float | None
    place: str | None
    admin1_code: str | None
    source: str | None
    title: str | None
    url: str | None
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator_id": self.indicator_id,
            "date": self.date.isoformat(),
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "place": self.place,
            "admin1_code": self.admin1_code,
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "evidence": [e.to_dict() for e in self.evidence],
        }


def strength_estimates(
    store: Store,
    lens: ActorLens | str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[StrengthEstimate]:
    """The actor's strength estimates over time (oldest first), each with its source."""
    lens = actor_lens(lens) if isinstance(lens, str) else lens
    out: list[StrengthEstimate] = []
    for i in store.indicators():
        if i.kind != "strength" or i.value_num is None or i.published is None:
            continue
        if not lens.matches(i.actor) or not _in_span(i.published, since, until):
            continue
        out.append(
            StrengthEstimate(
                indicator_id=i.id,
                date=i.published,
                value=i.value_num,
                low=i.low,
                high=i.high,
                place=i.place,
                admin1_code=i.admin1_code,
                source=i.source,
                title=i.title,
                url=i.url,
                evidence=i.evidence,
            )
        )
    out.sort(key=lambda x: (x.date, x.indicator_id))
    return out


def actor_statements(
    store: Store,
    lens: ActorLens | str,
    *,
    stances: Sequence[str] = ("warning", "reassurance", "concern", "denial"),
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[StoredClaim]:
    """Statements about the actor (warnings, reassurances, ...) by date of publication."""
    lens = actor_lens(lens) if isinstance(lens, str) else lens
    found = [
        c
        for c in store.claims()
        if c.stance in stances
        and lens.matches(c.about_actor)
        and c.published is not None
        and _in_span(c.published, since, until)
    ]
    found.sort(key=lambda c: (c.published or dt.date.min, c.id))
    return found


@dataclass(frozen=True, slots=True)
class RepertoireMonth:
    """The actor's events of one month and how many of them show each insurgent tactic."""

    month: str
    events: int
    insurgent: int
    tactics: tuple[tuple[str, int], ...]
    event_ids: tuple[str, ...] = ()

    @property
    def share(self) -> float | None:
        return self.insurgent / self.events if self.events else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "events": self.events,
            "insurgent": self.insurgent,
            "share": None if self.share is None else round(self.share, 4),
            "tactics": [{"label": k, "count": n} for k, n in self.tactics],
            "event_ids": list(self.event_ids),
        }


def repertoire_by_month(
    store: Store,
    lens: ActorLens | str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    theatre: str = "iraq_syria",
) -> list[RepertoireMonth]:
    """The actor's repertoire over time: per month, its events and those of each tactic."""
    lens = actor_lens(lens, theatre) if isinstance(lens, str) else lens
    repertoire = load_resurgence(theatre).repertoire
    months: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for e in _actor_events(store, lens, since, until):
        if e.date is None:
            continue
        texts = [e.notes, *(ev.sentence for ev in e.evidence)]
        tactics = repertoire.tactics_of(e.sub_event_type, texts)
        months.setdefault(f"{e.date.year:04d}-{e.date.month:02d}", []).append((e.id, tactics))
    out: list[RepertoireMonth] = []
    for month in sorted(months):
        rows = months[month]
        counts = Counter(repertoire.label(t) for _, ts in rows for t in ts)
        out.append(
            RepertoireMonth(
                month=month,
                events=len(rows),
                insurgent=sum(1 for _, ts in rows if ts),
                tactics=tuple(counts.most_common()),
                event_ids=tuple(i for i, ts in rows if ts),
            )
        )
    return out


def _in_span(day: dt.date, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)
