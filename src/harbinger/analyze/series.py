"""Event series per region and week, and each series' baseline from its own history.

The unit of analysis is a region: a governorate (admin1, by ISO 3166-2 code) or a region of the
theatre's knowledge files (the Jazira, the Badia, ... by the point-in-polygon test of the event's
coordinates). Weeks start on Monday. The baseline model is a negative binomial rate fitted by the
method of moments to the trailing 26 weeks of the same series (zeros included, the weeks under test
excluded): mean ``mu``, variance ``max(var, mu)``. The band is the 5th–95th percentile of that
distribution. A negative binomial rather than a Poisson because conflict counts are overdispersed:
quiet weeks and bursts are both common, and a Poisson band would flag every burst.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

if TYPE_CHECKING:
    from harbinger.geo import Gazetteer
    from harbinger.store import Store, StoredEvent

#: Weeks of history a baseline is fitted on.
BASELINE_WEEKS = 26
#: The most weeks a series holds (about twenty years).
MAX_WEEKS = 1040
#: Actor names that mark an event as the Islamic State's (actor1, actor2 or associated).
ISLAMIC_STATE_MARKERS = ("Islamic State",)


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One week of a series with its baseline band."""

    week_start: dt.date
    events: int
    fatalities: int
    baseline: float
    low: float
    high: float

    def to_dict(self) -> dict[str, object]:
        return {
            "week_start": self.week_start.isoformat(),
            "events": self.events,
            "fatalities": self.fatalities,
            "baseline": round(self.baseline, 3),
            "low": round(self.low, 3),
            "high": round(self.high, 3),
        }


@dataclass(frozen=True, slots=True)
class Baseline:
    """A negative binomial rate per week: mean and variance, from ``weeks`` weeks of history."""

    mean: float
    variance: float
    weeks: int

    def _params(self, horizon: int) -> tuple[float, float] | None:
        mu = self.mean * horizon
        var = max(self.variance * horizon, mu)
        if mu <= 0:
            return None
        if var <= mu * (1 + 1e-9):
            return None  # Poisson
        r = mu * mu / (var - mu)
        return r, r / (r + mu)

    def band(
        self, horizon: int = 1, low_q: float = 0.05, high_q: float = 0.95
    ) -> tuple[float, float]:
        params = self._params(horizon)
        mu = self.mean * horizon
        if mu <= 0:
            return 0.0, 0.0
        if params is None:
            return float(stats.poisson.ppf(low_q, mu)), float(stats.poisson.ppf(high_q, mu))
        r, p = params
        return float(stats.nbinom.ppf(low_q, r, p)), float(stats.nbinom.ppf(high_q, r, p))

    def surprise(self, observed: int, horizon: int) -> float:
        """P(X >= observed) over ``horizon`` weeks under the baseline: small means unusual."""
        if observed <= 0:
            return 1.0
        mu = self.mean * horizon
        if mu <= 0:
            # Nothing in the history: any activity is unusual; a floor keeps one event from being
            # infinitely surprising (one event in 26 quiet weeks is about a 1-in-26 weekly rate).
            mu = 1.0 / max(self.weeks, 1) * horizon
            return float(stats.poisson.sf(observed - 1, mu))
        params = self._params(horizon)
        if params is None:
            return float(stats.poisson.sf(observed - 1, mu))
        r, p = params
        return float(stats.nbinom.sf(observed - 1, r, p))


def fit_baseline(history: Sequence[float]) -> Baseline:
    """The baseline of a series from its history (weekly counts, zeros included)."""
    values = np.asarray(history, dtype=float)
    if values.size == 0:
        return Baseline(0.0, 0.0, 0)
    mean = float(values.mean())
    var = float(values.var(ddof=1)) if values.size > 1 else mean
    return Baseline(mean, max(var, mean), int(values.size))


def shifted(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, held within the calendar (0001-01-01 .. 9999-12-31): a question
    about the year 1 or 9999 has no weeks beyond them, which is no error."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def events_frame(events: Iterable[StoredEvent], gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Dated events as a table: id, date, week, admin1 (code and name), regions, type, actor flags."""
    rows = []
    for e in events:
        if e.date is None:
            continue
        names = " ".join(x or "" for x in (e.actor1, e.actor2, e.assoc_actor1, e.assoc_actor2))
        regions: tuple[str, ...] = ()
        if gazetteer is not None and e.latitude is not None and e.longitude is not None:
            regions = _regions_at(gazetteer, round(e.latitude, 2), round(e.longitude, 2))
        rows.append(
            {
                "id": e.id,
                "date": e.date,
                "week": week_start(e.date),
                "admin1_code": e.admin1_code or "",
                "admin1": e.admin1 or "",
                "country": e.country or "",
                "regions": regions,
                "event_type": e.event_type,
                "sub_event_type": e.sub_event_type,
                "fatalities": int(e.fatalities or 0),
                "islamic_state": any(m in names for m in ISLAMIC_STATE_MARKERS),
                "origin": e.origin,
            }
        )
    columns = ["id", "date", "week", "admin1_code", "admin1", "country", "regions", "event_type",
               "sub_event_type", "fatalities", "islamic_state", "origin"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _regions_at(gazetteer: Gazetteer, lat: float, lon: float) -> tuple[str, ...]:
    return _cached_regions(gazetteer, lat, lon)


def regions_at(gazetteer: Gazetteer, lat: float, lon: float) -> tuple[str, ...]:
    """The ids of the knowledge regions containing a point (rounded to 0.01°, cached)."""
    return _cached_regions(gazetteer, round(lat, 2), round(lon, 2))


@functools.lru_cache(maxsize=65536)
def _cached_regions(gazetteer: Gazetteer, lat: float, lon: float) -> tuple[str, ...]:
    return tuple(r.id for r in gazetteer.regions_containing(lat, lon))


def select(
    frame: pd.DataFrame,
    *,
    region: str | None = None,
    event_type: str | None = None,
    islamic_state: bool | None = None,
) -> pd.DataFrame:
    """Rows of one region (an admin1 code, an admin1 name, or a knowledge region id) and type."""
    out = frame
    if region:
        low = region.lower()
        mask = (out["admin1_code"].str.lower() == low) | (out["admin1"].str.lower() == low)
        mask |= out["regions"].apply(lambda rs: any(r.lower() in (low, f"reg:{low}") for r in rs))
        out = out[mask]
    if event_type:
        low = event_type.lower()
        out = out[
            (out["event_type"].str.lower() == low) | (out["sub_event_type"].str.lower() == low)
        ]
    if islamic_state is not None:
        out = out[out["islamic_state"] == islamic_state]
    return out


def weekly_counts(rows: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Events and fatalities per week from the week of ``first`` to that of ``last``, gaps as 0."""
    weeks = pd.date_range(week_start(first), week_start(last), freq="7D").date
    if rows.empty:
        return pd.DataFrame({"week": weeks, "events": 0, "fatalities": 0})
    grouped = rows.groupby("week").agg(events=("id", "count"), fatalities=("fatalities", "sum"))
    grouped = grouped.reindex(weeks, fill_value=0)
    grouped.index.name = "week"
    return grouped.reset_index()


def weekly_series(
    store: Store,
    *,
    admin1: str | None = None,
    event_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[SeriesPoint]:
    """Weekly events of a region (and type) with each week's baseline band from the 26 weeks before.

    ``admin1`` is an ISO 3166-2 code, a governorate name or a knowledge region id (``jazira``);
    None means every event in the store.
    """
    if gazetteer is None and admin1 and admin1.upper()[:3] not in ("IQ-", "SY-"):
        from harbinger.geo import configured_gazetteer

        gazetteer = configured_gazetteer()
    frame = events_frame(store.events(with_evidence=False), gazetteer)
    rows = select(frame, region=admin1, event_type=event_type)
    return series_points(rows, since=since, until=until)


def series_points(
    rows: pd.DataFrame, *, since: dt.date | None = None, until: dt.date | None = None
) -> list[SeriesPoint]:
    """Weekly points with baseline bands for already-selected rows."""
    if rows.empty and (since is None or until is None):
        return []
    if rows.empty:
        # No events: the asked weeks are zeros, the most recent MAX_WEEKS of them at most.
        assert since is not None and until is not None
        first, last = max(since, shifted(until, -7 * MAX_WEEKS)), until
    else:
        first, last = min(rows["date"]), max(rows["date"])
    # Weeks before the first event and after the last one carry nothing but zeros: a request for
    # "since the year 507" is answered from the data's own span (and never more than MAX_WEEKS).
    start = max(since or first, shifted(first, -7 * BASELINE_WEEKS))
    end = min(until or last, max(last, start))
    if (end - start).days > 7 * MAX_WEEKS:
        start = shifted(end, -7 * MAX_WEEKS)
    history_start = shifted(min(first, start), -7 * BASELINE_WEEKS)
    counts = weekly_counts(rows, history_start, end)
    values = counts["events"].to_numpy(dtype=float)
    points: list[SeriesPoint] = []
    for i, row in counts.iterrows():
        idx = int(str(i))
        week = row["week"]
        if week < week_start(start):
            continue
        base = fit_baseline(values[max(0, idx - BASELINE_WEEKS) : idx])
        low, high = base.band()
        points.append(
            SeriesPoint(week, int(row["events"]), int(row["fatalities"]), base.mean, low, high)
        )
    return points


__all__ = [
    "BASELINE_WEEKS",
    "Baseline",
    "SeriesPoint",
    "events_frame",
    "fit_baseline",
    "regions_at",
    "select",
    "series_points",
    "week_start",
    "weekly_counts",
    "weekly_series",
]
