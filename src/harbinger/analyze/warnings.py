"""Warnings: regions whose activity rises above their own baseline, with the evidence behind them.

For every governorate and every region of the theatre's knowledge files, the events of the last
``window_weeks`` weeks (4) are compared with that region's baseline (``series.Baseline``: a negative
binomial rate fitted to the 26 weeks before the window). The surge statistic is the probability of
seeing at least that many events under the baseline; its ``-log10`` is the event score (2 means a
1-in-100 surprise). Text signals coded from reports in the same window add to the score with the
weights of ``WarningSettings`` (statements warning of the threat, sleeper cells, regrouping,
withdrawals of forces, strength estimates), capped so that text alone can raise a watch but never a
warning or an alert: reports are leading indicators, events are the evidence.

Levels: ``alert`` (score >= 3 and at least 8 events), ``warning`` (score >= 2 and at least 5
events), ``watch`` (score >= 1.3, about a 1-in-20 surprise, or strong text signals).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from harbinger.analyze.series import (
    BASELINE_WEEKS,
    events_frame,
    fit_baseline,
    shifted,
    week_start,
    weekly_counts,
)
from harbinger.records import Evidence, Warning, WarningLevel

if TYPE_CHECKING:
    from harbinger.geo import Gazetteer
    from harbinger.store import Store, StoredClaim, StoredEvent, StoredIndicator


def _default_weights() -> dict[str, float]:
    # Why these weights: a warning-stance statement or a regrouping report is the kind of signal
    # analysts act on but is often rhetorical, so one is worth a quarter to a half of a "1-in-10"
    # event surprise (score 1); tactics that precede attacks (sleeper cells, assassinations, IEDs)
    # and the withdrawal of forces weigh the same; concern from residents weighs less (fear
    # follows events as often as it precedes them); reassurance weighs nothing either way.
    return {
        "claim:warning": 0.5,
        "claim:concern": 0.25,
        "claim:denial": 0.0,
        "claim:reassurance": 0.0,
        "claim:claim of responsibility": 0.5,
        "indicator:resurgence": 0.5,
        "indicator:tactic": 0.4,
        "indicator:withdrawal": 0.5,
        "indicator:strength": 0.4,
        "indicator:leadership": 0.2,
        "indicator:losses": 0.0,
    }


@dataclass(frozen=True, slots=True)
class WarningSettings:
    """Settings of the warning rules, with their defaults."""

    #: Weeks under test (the "current period").
    window_weeks: int = 4
    #: Weeks of history the baseline is fitted on, before the window.
    baseline_weeks: int = BASELINE_WEEKS
    #: Score thresholds of the levels (-log10 of the surge probability, plus text signals).
    watch_score: float = 1.3
    warning_score: float = 2.0
    alert_score: float = 3.0
    #: Fewest events in the window for each level (small counts are noise whatever the model says).
    watch_events: int = 3
    warning_events: int = 5
    alert_events: int = 8
    #: The window's count must be at least this multiple of the baseline's expectation.
    min_ratio: float = 1.5
    #: Weight of each kind of text signal, and the most text signals can add.
    signal_weights: dict[str, float] = field(default_factory=_default_weights)
    signal_cap: float = 1.5


@dataclass(frozen=True, slots=True)
class _Unit:
    code: str
    name: str


def _window(as_of: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    return shifted(as_of, -(7 * weeks - 1)), as_of


def latest_event_date(store: Store) -> dt.date | None:
    newest = store.events(limit=1, with_evidence=False)
    return newest[0].date if newest and newest[0].date else None


def compute_warnings(
    store: Store,
    *,
    as_of: dt.date | None = None,
    settings: WarningSettings | None = None,
    gazetteer: Gazetteer | None = None,
    region: str | None = None,
) -> list[Warning]:
    """Warnings as of a date (default: the date of the newest event in the store), most severe first."""
    settings = settings or WarningSettings()
    if gazetteer is None:
        from harbinger.geo import configured_gazetteer

        gazetteer = configured_gazetteer()
    as_of = as_of or latest_event_date(store) or dt.date.today()
    start, end = _window(as_of, settings.window_weeks)
    history_start = shifted(start, -7 * settings.baseline_weeks)
    frame = events_frame(
        store.events(since=history_start, until=end, with_evidence=False), gazetteer
    )
    claims = [c for c in store.claims() if c.published and start <= c.published <= end]
    indicators = [i for i in store.indicators() if i.published and start <= i.published <= end]
    units = _units(frame, claims, indicators, gazetteer)
    if region:
        units = [u for u in units if region.lower() in (u.code.lower(), u.name.lower())]
    window_events: dict[str, StoredEvent] | None = None
    warnings: list[Warning] = []
    for unit in units:
        rows = _rows_of(frame, unit)
        signals = _signals_of(unit, claims, indicators, gazetteer)
        result = _assess(unit, rows, signals, start, end, settings)
        if result is None:
            continue
        if window_events is None:
            window_events = {e.id: e for e in store.events(since=start, until=end)}
        warnings.append(_warning(unit, result, signals, window_events, start, end))
    order = {"alert": 0, "warning": 1, "watch": 2}
    warnings.sort(key=lambda w: (order[w.level], -w.score, w.region))
    return warnings


def _units(
    frame: pd.DataFrame,
    claims: list[StoredClaim],
    indicators: list[StoredIndicator],
    gazetteer: Gazetteer,
) -> list[_Unit]:
    codes: set[str] = set(frame["admin1_code"]) if not frame.empty else set()
    codes |= {c.admin1_code for c in claims if c.admin1_code}
    codes |= {i.admin1_code for i in indicators if i.admin1_code}
    codes.discard("")
    units = []
    for code in sorted(codes):
        entry = gazetteer.admin1(code)
        units.append(_Unit(code, entry.name if entry else code))
    region_ids: set[str] = set()
    if not frame.empty:
        for regions in frame["regions"]:
            region_ids.update(regions)
    places = [c.place for c in claims] + [i.place for i in indicators]
    for place in places:
        rid = _region_of_place(place, gazetteer)
        if rid:
            region_ids.add(rid)
    by_id = {r.id: r for r in gazetteer.regions()}
    for rid in sorted(region_ids):
        if rid in by_id:
            units.append(_Unit(rid, by_id[rid].name))
    return units


def _region_of_place(place: str | None, gazetteer: Gazetteer) -> str | None:
    if not place:
        return None
    for entry in gazetteer.lookup(place):
        if entry.kind == "region":
            return entry.id
    return None


def _rows_of(frame: pd.DataFrame, unit: _Unit) -> pd.DataFrame:
    if frame.empty:
        return frame
    if unit.code.startswith("reg:"):
        return frame[frame["regions"].apply(lambda rs: unit.code in rs)]
    return frame[frame["admin1_code"] == unit.code]


def _in_unit(unit: _Unit, admin1_code: str | None, place: str | None, gazetteer: Gazetteer) -> bool:
    if unit.code.startswith("reg:"):
        return _region_of_place(place, gazetteer) == unit.code
    return admin1_code == unit.code


Signal = tuple[str, "StoredClaim | StoredIndicator"]


def _signals_of(
    unit: _Unit, claims: list[StoredClaim], indicators: list[StoredIndicator], gazetteer: Gazetteer
) -> list[Signal]:
    out: list[Signal] = []
    for c in claims:
        if _in_unit(unit, c.admin1_code, c.place, gazetteer):
            out.append((f"claim:{c.stance}", c))
    for i in indicators:
        if _in_unit(unit, i.admin1_code, i.place, gazetteer):
            out.append((f"indicator:{i.kind}", i))
    return out


@dataclass(frozen=True, slots=True)
class _Assessment:
    level: WarningLevel
    score: float
    observed: int
    expected: float
    ratio: float
    reason: str
    event_ids: tuple[str, ...]


def _assess(
    unit: _Unit,
    rows: pd.DataFrame,
    signals: list[Signal],
    start: dt.date,
    end: dt.date,
    settings: WarningSettings,
) -> _Assessment | None:
    in_window = rows[(rows["date"] >= start) & (rows["date"] <= end)] if not rows.empty else rows
    before = rows[rows["date"] < start] if not rows.empty else rows
    history = weekly_counts(
        before, shifted(start, -7 * settings.baseline_weeks), shifted(start, -1)
    )
    history = history[history["week"] < week_start(start)]
    base = fit_baseline(history["events"].tolist()[-settings.baseline_weeks :])
    observed = len(in_window)
    weeks = settings.window_weeks
    expected = base.mean * weeks
    ratio = observed / expected if expected > 0 else (math.inf if observed else 0.0)
    p = base.surprise(observed, weeks)
    event_score = min(-math.log10(max(p, 1e-12)), 10.0)
    if observed < settings.watch_events or ratio < settings.min_ratio:
        event_score = 0.0
    weights = settings.signal_weights
    signal_score = min(sum(weights.get(kind, 0.0) for kind, _ in signals), settings.signal_cap)
    score = event_score + signal_score
    level: WarningLevel | None = None
    if score >= settings.alert_score and observed >= settings.alert_events:
        level = "alert"
    elif score >= settings.warning_score and observed >= settings.warning_events:
        level = "warning"
    elif score >= settings.watch_score:
        level = "watch"
    if level is None:
        return None
    reason = _reason(unit, in_window, before, observed, expected, ratio, signals, settings)
    ordered = in_window.sort_values(["fatalities", "date"], ascending=[False, False])
    return _Assessment(level, score, observed, expected, ratio, reason, tuple(ordered["id"]))


def _reason(
    unit: _Unit,
    in_window: pd.DataFrame,
    before: pd.DataFrame,
    observed: int,
    expected: float,
    ratio: float,
    signals: list[Signal],
    settings: WarningSettings,
) -> str:
    weeks = settings.window_weeks
    parts = []
    noun = "event" if observed == 1 else "events"
    if observed:
        if expected > 0 and ratio >= 1:
            parts.append(
                f"{observed} {noun} in {unit.name} in the last {weeks} weeks, {ratio:.1f}x the "
                f"{settings.baseline_weeks}-week baseline ({expected:.1f} expected)"
            )
        elif expected > 0:
            parts.append(
                f"{observed} {noun} in {unit.name} in the last {weeks} weeks, below the "
                f"{settings.baseline_weeks}-week baseline ({expected:.1f} expected)"
            )
        else:
            parts.append(
                f"{observed} {noun} in {unit.name} in the last {weeks} weeks, none in the "
                f"{settings.baseline_weeks} weeks before"
            )
        per_week_now = in_window["islamic_state"].sum() / weeks
        per_week_then = (
            before["islamic_state"].sum() / settings.baseline_weeks if len(before) else 0
        )
        if per_week_now > per_week_then and in_window["islamic_state"].sum() >= 2:
            parts.append(
                f"Islamic State events rising ({per_week_then:.1f} to {per_week_now:.1f} a week)"
            )
        top = Counter(in_window["sub_event_type"]).most_common(1)
        if top:
            parts.append(f"mostly {top[0][0].lower()} ({top[0][1]})")
        fatalities = int(in_window["fatalities"].sum())
        if fatalities:
            parts.append(f"{fatalities} reported fatalities")
    else:
        parts.append(f"no events coded in {unit.name} in the last {weeks} weeks")
    if signals:
        kinds = Counter(kind for kind, _ in signals)
        words = {
            "claim:warning": "statement(s) warning of the threat",
            "claim:concern": "statement(s) of concern",
            "claim:reassurance": "reassurance(s)",
            "claim:denial": "denial(s)",
            "claim:claim of responsibility": "claim(s) of responsibility",
            "indicator:resurgence": "report(s) of regrouping",
            "indicator:tactic": "report(s) of insurgent tactics",
            "indicator:withdrawal": "report(s) of forces withdrawing",
            "indicator:strength": "strength estimate(s)",
            "indicator:leadership": "leadership report(s)",
            "indicator:losses": "loss figure(s)",
        }
        listed = ", ".join(f"{n} {words.get(k, k)}" for k, n in kinds.most_common())
        parts.append(f"text signals: {listed}")
    return "; ".join(parts) + "."


def _warning(
    unit: _Unit,
    a: _Assessment,
    signals: list[Signal],
    window_events: dict[str, StoredEvent],
    start: dt.date,
    end: dt.date,
) -> Warning:
    evidence: list[Evidence] = []
    for eid in a.event_ids[:10]:
        ev = window_events.get(eid)
        if ev is not None:
            evidence.extend(ev.evidence[:1])
    claim_ids = tuple(s.id for k, s in signals if k.startswith("claim:"))
    indicator_ids = tuple(s.id for k, s in signals if k.startswith("indicator:"))
    for _, s in signals:
        evidence.extend(s.evidence[:1])
    seen: set[tuple[int, int, str]] = set()
    unique = []
    for e in evidence:
        mark = (e.start, e.end, e.sentence)
        if mark not in seen:
            seen.add(mark)
            unique.append(e)
    evidence = unique
    key = f"{unit.code}:{start.isoformat()}:{end.isoformat()}"
    return Warning(
        id="wa-" + hashlib.sha256(key.encode()).hexdigest()[:16],
        region=unit.name,
        region_code=unit.code,
        period_start=start,
        period_end=end,
        level=a.level,
        score=a.score,
        reason=a.reason,
        event_ids=a.event_ids,
        claim_ids=claim_ids,
        indicator_ids=indicator_ids,
        evidence=tuple(evidence),
    )


__all__ = ["WarningSettings", "compute_warnings", "latest_event_date"]
