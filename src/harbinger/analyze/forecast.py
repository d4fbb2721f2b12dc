"""Monthly surge forecasts per governorate: the surge definition, the model, the baselines, scores.

A ``Panel`` holds monthly counts per unit (a governorate) with zero-filled gaps: events, events
involving the Islamic State, fatalities, non-state and one-sided events. A *surge* in month m is
events(m) >= 10 and events(m) >= 1.5 x the mean of events(m-6 .. m-1), so it is defined from the
seventh month on. ``SurgeModel`` forecasts P(surge in m) from data up to the end of m-1 only: every
month it refits, on the months already seen, a location-scale model of log(1 + count): a ridge
regression of the level on the unit's recent levels and mix, and a regression of the size of its
errors on the recent level. The probability of reaching the surge threshold (known at forecast
time) comes from the empirical distribution of the scaled past errors. The baselines
(climatology, persistence, an HDX-Signals-style rule) and the Brier score and ROC AUC live here
too, so that the backtest and the tests share one definition of each.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from numpy.typing import NDArray
from scipy.special import expit
from scipy.special import logit as logit_fn

from harbinger.errors import KnowledgeError

__all__ = [
    "ACTOR_FEATURES",
    "ACTOR_SCALE_FEATURES",
    "ACTOR_SURGE_MIN_EVENTS",
    "DEFAULT_FEATURES",
    "FEATURES",
    "NEIGHBOUR_FEATURES",
    "SCALE_FEATURES",
    "SURGE_MIN_EVENTS",
    "SURGE_RATIO",
    "WINDOW",
    "Panel",
    "SurgeModel",
    "brier_score",
    "climatology",
    "hdx_rule",
    "load_adjacency",
    "persistence",
    "roc_auc",
    "surge_labels",
    "surge_threshold",
    "trailing_mean",
]

Array = NDArray[np.float64]

#: A surge needs at least this many events in the month ...
SURGE_MIN_EVENTS = 10
#: ... or this many of one actor's events, in the actor's task (``backtest --actor``).
ACTOR_SURGE_MIN_EVENTS = 5
#: ... and at least this multiple of the mean of the previous WINDOW months.
SURGE_RATIO = 1.5
WINDOW = 6

#: Features the model can use (name -> what it is); all computed from months before the target.
FEATURES: dict[str, str] = {
    "last": "log(1 + events in m-1)",
    "mean3": "log(1 + mean events in m-3..m-1)",
    "mean6": "log(1 + mean events in m-6..m-1)",
    "nonstate_share": "share of non-state-conflict events in m-3..m-1",
    "onesided_share": "share of one-sided-violence events in m-3..m-1",
    "fatalities3": "log(1 + mean fatalities in m-3..m-1)",
    "fatalities_per_event": "log(1 + fatalities per event in m-3..m-1)",
    "is_share": "share of events with the Islamic State as a side in m-3..m-1",
    "neighbours": "log(1 + events in m-1 in the bordering governorates)",
    "neighbour_trend": "log ratio of neighbours' events in m-1 to their 6-month mean",
    "long_trend": "log ratio of the 6-month to the 12-month mean",
    "volatility": "coefficient of variation of events in m-6..m-1 (std / (mean + 1))",
    "last_vs_max": "log(1 + events in m-1) - log(1 + highest month of m-6..m-1)",
    "all_trend": "log(1 + all events, every actor, in m-1) - log(1 + their mean in m-6..m-1)",
    "context_share": "share of the unit's events (every actor's) that are counted, m-3..m-1",
    "spread": "bordering units with events in m-1",
    "spread3": "bordering units with events in m-3..m-1",
    "quiet": "log(1 + empty months between the unit's last event and m), capped at 23",
    "since_last": "log(1 + months since the unit's last event), capped at 24",
    "fatality_trend": "log(1 + fatalities in m-1) - log(1 + their mean in m-6..m-1)",
    "civilian_share": "civilian deaths / (fatalities + 1) in m-3..m-1",
    "districts": "log(1 + districts (adm_2) with events in m-1)",
    "new_districts": "log(1 + districts with events in m-1 and none in the 3 months before)",
    "long_run": "log(1 + mean events of every month before m)",
    "theatre_trend": "log(1 + all units' events in m-1) - log(1 + their mean in m-6..m-1)",
}
#: Features that read other units' series through the adjacency file.
NEIGHBOUR_FEATURES = frozenset({"neighbours", "neighbour_trend", "spread", "spread3"})
#: Chosen on the development years (2016-07 .. 2017-12) only: no other feature, added to these
#: or dropped from them, moved both development windows by more than noise (docs/warnings.md).
DEFAULT_FEATURES: tuple[str, ...] = (
    "last",
    "mean3",
    "mean6",
    "nonstate_share",
    "onesided_share",
    "fatalities3",
    "fatalities_per_event",
)
#: What the spread of the count depends on: its recent level (chosen on the development years).
SCALE_FEATURES: tuple[str, ...] = ("mean6",)
#: The actor's task (one actor's events, surges from 5 events): chosen on its development years
#: only (docs/warnings.md): the trend of all the unit's events (a front line moving in on the
#: actor raises its clashes), the actor's spread (districts it reappears in after 3 months
#: without, bordering governorates where it was active), and one error scale for all units.
ACTOR_FEATURES: tuple[str, ...] = (*DEFAULT_FEATURES, "all_trend", "new_districts", "spread3")
ACTOR_SCALE_FEATURES: tuple[str, ...] = ()


@dataclass(frozen=True)
class Panel:
    """Monthly series per unit; every array has shape (units, months), gaps filled with zeros.

    ``codes`` gives each unit's ISO 3166-2 code where known (for the neighbours features);
    ``first_seen`` the index of the first month with an event of the unit. ``context`` holds all
    the unit's events, every actor's, when ``events`` are one actor's (None: ``events`` are all).
    """

    units: tuple[str, ...]
    months: tuple[str, ...]
    events: Array
    is_events: Array
    fatalities: Array
    nonstate: Array
    onesided: Array
    codes: tuple[str | None, ...] = ()
    first_seen: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    context: Array | None = None
    #: Districts (adm_2) with events, and those among them with none in the 3 months before;
    #: civilian deaths (None where the source has no such column).
    districts: Array | None = None
    new_districts: Array | None = None
    civilian_deaths: Array | None = None

    def __post_init__(self) -> None:
        shape = (len(self.units), len(self.months))
        for name in (
            "events",
            "is_events",
            "fatalities",
            "nonstate",
            "onesided",
            "context",
            "districts",
            "new_districts",
            "civilian_deaths",
        ):
            value = getattr(self, name)
            if value is not None and value.shape != shape:
                raise ValueError(f"panel array {name} has shape {value.shape}")
        if not self.codes:
            object.__setattr__(self, "codes", (None,) * len(self.units))
        if len(self.first_seen) != len(self.units):
            seen = np.array(
                [int(np.argmax(row > 0)) if row.any() else len(self.months) for row in self.events],
                dtype=np.int64,
            )
            object.__setattr__(self, "first_seen", seen)


# -- the surge -------------------------------------------------------------------------------


def trailing_mean(events: Array, window: int = WINDOW) -> Array:
    """Mean of each series over the ``window`` months before each month (NaN before it has them)."""
    out = np.full(events.shape, np.nan)
    for t in range(window, events.shape[1]):
        out[:, t] = events[:, t - window : t].mean(axis=1)
    return out


def surge_threshold(events: Array, t: int, min_events: int = SURGE_MIN_EVENTS) -> Array:
    """The count month ``t`` must reach to be a surge (needs only months before ``t``)."""
    mean = events[:, t - WINDOW : t].mean(axis=1)
    return np.asarray(np.maximum(float(min_events), SURGE_RATIO * mean), dtype=float)


def surge_labels(events: Array, min_events: int = SURGE_MIN_EVENTS) -> Array:
    """1.0 where a month is a surge, 0.0 where not, NaN for the first WINDOW months.

    A surge is at least ``min_events`` events and at least 1.5 x the mean of the 6 months before.
    """
    mean = trailing_mean(events)
    out = np.full(events.shape, np.nan)
    t = slice(WINDOW, events.shape[1])
    # A small tolerance: 1.5 x a mean of sixths must not miss an exact tie by rounding.
    hit = (events[:, t] >= min_events) & (events[:, t] >= SURGE_RATIO * mean[:, t] - 1e-9)
    out[:, t] = hit.astype(float)
    return out


# -- scores ----------------------------------------------------------------------------------


def brier_score(probabilities: Sequence[float] | Array, outcomes: Sequence[float] | Array) -> float:
    """Mean squared difference between forecast probabilities and 0/1 outcomes."""
    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(outcomes, dtype=float)
    if p.shape != y.shape or p.size == 0:
        raise ValueError("brier_score needs two non-empty sequences of the same length")
    return float(np.mean((p - y) ** 2))


def roc_auc(scores: Sequence[float] | Array, outcomes: Sequence[float] | Array) -> float | None:
    """Area under the ROC curve (ties count half); None when only one class occurs."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(outcomes, dtype=float)
    if s.shape != y.shape:
        raise ValueError("roc_auc needs two sequences of the same length")
    pos, neg = s[y == 1], s[y == 0]
    if pos.size == 0 or neg.size == 0:
        return None
    # Mann-Whitney: the chance a random positive outranks a random negative.
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (pos.size * neg.size))


# -- baselines -------------------------------------------------------------------------------


def climatology(labels: Array) -> Array:
    """The base rate of surges over all units and the months before each month (0 at first)."""
    out = np.full(labels.shape, np.nan)
    for t in range(WINDOW, labels.shape[1]):
        past = labels[:, WINDOW:t]
        out[:, t] = float(np.nanmean(past)) if past.size else 0.0
    return out


def persistence(labels: Array) -> Array:
    """Last month's surge state (0 where last month has no label yet)."""
    out = np.full(labels.shape, np.nan)
    for t in range(WINDOW, labels.shape[1]):
        prev = labels[:, t - 1]
        out[:, t] = np.where(np.isnan(prev), 0.0, prev)
    return out


def hdx_rule(events: Array, lookback: int = 12) -> Array:
    """1 where last month's level exceeds the highest of the ``lookback`` months before it.

    In the style of OCHA's HDX Signals, which flags a 30-day level above the past year's highest.
    """
    out = np.full(events.shape, np.nan)
    for t in range(WINDOW, events.shape[1]):
        last = events[:, t - 1]
        before = events[:, max(0, t - 1 - lookback) : t - 1]
        out[:, t] = (last > before.max(axis=1)).astype(float) if before.size else 0.0
    return out


# -- adjacency -------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def load_adjacency(theatre: str = "iraq_syria") -> dict[str, frozenset[str]]:
    """Governorate code -> the codes it borders, from the theatre's adjacency.yaml (validated)."""
    from harbinger.knowledge import theatre_dir

    path = Path(theatre_dir(theatre)) / "adjacency.yaml"
    return _parse_adjacency(path)


def _parse_adjacency(path: Path) -> dict[str, frozenset[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: cannot read the adjacency file: {exc}") from exc
    raw = data.get("adjacency") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: needs a mapping 'adjacency: {{CODE: [CODE, ...]}}'")
    out: dict[str, frozenset[str]] = {}
    for code, neighbours in raw.items():
        if not isinstance(neighbours, list) or not all(isinstance(n, str) for n in neighbours):
            raise KnowledgeError(f"{path}: {code}: neighbours must be a list of ISO codes")
        if code in neighbours:
            raise KnowledgeError(f"{path}: {code} lists itself as a neighbour")
        out[str(code)] = frozenset(neighbours)
    for code, neighbours in out.items():
        for other in neighbours:
            if code not in out.get(other, frozenset()):
                raise KnowledgeError(
                    f"{path}: {code} lists {other} but {other} does not list {code}; "
                    "list every border from both sides"
                )
    return out


def adjacency_matrix(codes: Sequence[str | None], adjacency: Mapping[str, frozenset[str]]) -> Array:
    """1 where unit i borders unit j (units without a code border nothing)."""
    n = len(codes)
    out = np.zeros((n, n))
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            if a and b and b in adjacency.get(a, frozenset()):
                out[i, j] = 1.0
    return out


# -- the model -------------------------------------------------------------------------------


def _share(part: Array, whole: Array, t: int, months: int = 3) -> Array:
    lo = max(0, t - months)
    return np.asarray(part[:, lo:t].sum(axis=1) / (whole[:, lo:t].sum(axis=1) + 1.0))


def _log1p_mean(x: Array, t: int, months: int) -> Array:
    return np.asarray(np.log1p(x[:, max(0, t - months) : t].mean(axis=1)))


def _months_since_last(x: Array, t: int, cap: int) -> Array:
    """Months from the last month before ``t`` with events to ``t`` (1: m-1), at most ``cap``."""
    out = np.full(len(x), float(cap))
    for back in range(1, min(cap, t) + 1):
        hit = (x[:, t - back] > 0) & (out == cap)
        out[hit] = float(back)
    return out


def _optional(values: Array | None, like: Array) -> Array:
    """A panel array that the source may lack (zeros then: the feature carries nothing)."""
    return values if values is not None else np.zeros_like(like)


def _normal_sf(x: Array) -> Array:
    erfc = np.frompyfunc(math.erfc, 1, 1)
    return np.asarray(0.5 * erfc(x / math.sqrt(2.0)), dtype=float)


def _poisson_sf(k: Array, mu: Array) -> Array:
    """P(X >= k) for X ~ Poisson(mu), elementwise (k whole, small)."""
    out = np.empty(len(k))
    for i, (kk, m) in enumerate(zip(k, mu, strict=True)):
        m = max(float(m), 1e-9)
        below = sum(math.exp(j * math.log(m) - m - math.lgamma(j + 1)) for j in range(int(kk)))
        out[i] = max(0.0, 1.0 - below)
    return out


@dataclass(frozen=True)
class SurgeModel:
    """P(surge in m) per unit from data up to m-1, refit every month on the months already seen.

    A *location-scale* model of log(1 + count), refit every month over every unit already seen
    and every labelled month before the target:

    - location: a ridge regression (penalty ``ridge`` on standardised features) of
      log(1 + events in month s) on ``features`` of the months before s;
    - scale: a ridge regression of log(|residual| + ``floor``) on ``scale_features``, so that a
      governorate at a low level (where a few events more or less are a big relative change)
      gets a wider spread than a busy one;
    - tail: P(count >= surge threshold of the target month), with the residuals divided by their
      scale and their empirical distribution smoothed by a normal kernel of width ``bandwidth``.

    Before any month can be trained on, a Poisson tail around the last 3 months' mean stands in.
    """

    features: tuple[str, ...] = DEFAULT_FEATURES
    scale_features: tuple[str, ...] = SCALE_FEATURES
    ridge: float = 1.0
    bandwidth: float = 0.3
    floor: float = 0.05
    #: The fewest events of a surge (10; 5 in the actor's task).
    min_events: int = SURGE_MIN_EVENTS
    #: Weight of a training month halves every ``half_life`` months back (None: equal weights).
    half_life: float | None = None
    #: Platt-recalibrate on the model's own past forecasts and outcomes (causal, refit monthly).
    recalibrate: bool = False

    def __post_init__(self) -> None:
        unknown = [f for f in (*self.features, *self.scale_features) if f not in FEATURES]
        if unknown:
            raise ValueError(f"unknown feature(s) {unknown}; use some of {sorted(FEATURES)}")
        if not self.features:
            raise ValueError("the model needs at least one feature")

    def describe(self) -> str:
        scale = ", ".join(self.scale_features) or "nothing (one scale for all)"
        return (
            "location-scale model of log(1 + events), refit every month on all units and months "
            "seen so far (expanding window): ridge regression (penalty "
            f"{self.ridge:g}, standardised features) on {', '.join(self.features)}; "
            f"log residual scale regressed on {scale}; "
            f"P(surge) = P(count >= max({self.min_events}, 1.5 x 6-month mean)) under the "
            "empirical distribution of the scaled past residuals (normal kernel, width "
            f"{self.bandwidth:g})"
            + (
                f"; training months weighted, half-life {self.half_life:g}"
                if self.half_life
                else ""
            )
            + ("; Platt-recalibrated on its own past forecasts" if self.recalibrate else "")
        )

    def matrix(
        self, panel: Panel, t: int, adjacency: Array | None = None, names: Sequence[str] = ()
    ) -> Array:
        """Features of month ``t`` for every unit, from months before ``t`` only.

        ``names`` defaults to the model's features.
        """
        e = panel.events
        cols: list[Array] = []
        for name in names or self.features:
            if name == "last":
                col = np.log1p(e[:, t - 1])
            elif name == "mean3":
                col = _log1p_mean(e, t, 3)
            elif name == "mean6":
                col = _log1p_mean(e, t, 6)
            elif name == "nonstate_share":
                col = _share(panel.nonstate, e, t)
            elif name == "onesided_share":
                col = _share(panel.onesided, e, t)
            elif name == "is_share":
                col = _share(panel.is_events, e, t)
            elif name == "fatalities3":
                col = _log1p_mean(panel.fatalities, t, 3)
            elif name == "fatalities_per_event":
                col = np.log1p(_share(panel.fatalities, e, t))
            elif name == "neighbours":
                a = adjacency if adjacency is not None else np.zeros((len(e), len(e)))
                col = np.log1p(a @ e[:, t - 1])
            elif name == "neighbour_trend":
                a = adjacency if adjacency is not None else np.zeros((len(e), len(e)))
                col = np.log1p(a @ e[:, t - 1]) - np.log1p(a @ e[:, max(0, t - 6) : t].mean(axis=1))
            elif name == "long_trend":
                col = _log1p_mean(e, t, 6) - _log1p_mean(e, t, 12)
            elif name == "volatility":
                window = e[:, max(0, t - 6) : t]
                col = window.std(axis=1) / (window.mean(axis=1) + 1.0)
            elif name == "all_trend":
                a = panel.context if panel.context is not None else e
                col = np.log1p(a[:, t - 1]) - _log1p_mean(a, t, 6)
            elif name == "context_share":
                col = _share(e, panel.context if panel.context is not None else e, t)
            elif name in ("spread", "spread3"):
                a = adjacency if adjacency is not None else np.zeros((len(e), len(e)))
                months = 1 if name == "spread" else 3
                col = a @ (e[:, max(0, t - months) : t].sum(axis=1) > 0).astype(float)
            elif name in ("quiet", "since_last"):
                col = np.log1p(_months_since_last(e, t, cap=24) - (1 if name == "quiet" else 0))
            elif name == "fatality_trend":
                f = panel.fatalities
                col = np.log1p(f[:, t - 1]) - _log1p_mean(f, t, 6)
            elif name == "civilian_share":
                civilians = _optional(panel.civilian_deaths, e)
                col = _share(civilians, panel.fatalities, t)
            elif name == "districts":
                col = np.log1p(_optional(panel.districts, e)[:, t - 1])
            elif name == "new_districts":
                col = np.log1p(_optional(panel.new_districts, e)[:, t - 1])
            elif name == "long_run":
                col = _log1p_mean(e, t, t)
            elif name == "theatre_trend":
                total = e.sum(axis=0, keepdims=True)
                trend = np.log1p(total[:, t - 1]) - _log1p_mean(total, t, 6)
                col = np.repeat(trend, len(e))
            else:  # last_vs_max
                col = np.log1p(e[:, t - 1]) - np.log1p(e[:, max(0, t - 6) : t].max(axis=1))
            cols.append(np.asarray(col, dtype=float))
        return np.column_stack(cols)

    def forecast(self, panel: Panel) -> Array:
        """P(surge) for every unit and month from month WINDOW+1 on (NaN before)."""
        e = panel.events
        n_months = e.shape[1]
        out = np.full(e.shape, np.nan)
        adjacency = None
        if NEIGHBOUR_FEATURES & {*self.features, *self.scale_features}:
            adjacency = adjacency_matrix(panel.codes, load_adjacency())
        rows = {s: self.matrix(panel, s, adjacency) for s in range(WINDOW, n_months)}
        scale_rows = {
            s: self.matrix(panel, s, adjacency, self.scale_features)
            for s in range(WINDOW, n_months)
            if self.scale_features
        }
        for t in range(WINDOW, n_months):
            threshold = np.ceil(surge_threshold(e, t, self.min_events) - 1e-9)
            # Units first seen after m-1 are unknown at forecast time: they neither train the
            # model nor change it (so data of later months cannot reach earlier forecasts).
            known = panel.first_seen <= t - 1
            months = range(WINDOW, t)
            if not months or not known.any():
                level = e[:, t - 3 : t].mean(axis=1)
                out[:, t] = _poisson_sf(threshold, level)
                continue
            y = np.log1p(np.concatenate([e[known, s] for s in months]))
            x = np.vstack([rows[s][known] for s in months])
            w = None
            if self.half_life is not None:
                age = np.concatenate([np.full(int(known.sum()), t - 1 - s) for s in months])
                w = np.power(0.5, age / self.half_life)
                w = w / w.mean()
            location = _fit_ridge(x, y, self.ridge, w)
            residuals = y - location(x)
            mean = location(rows[t])
            if self.scale_features:
                xs = np.vstack([scale_rows[s][known] for s in months])
                # Regress the log of the residual's size; its exp is a scale, not a standard
                # deviation: the empirical distribution of scaled residuals absorbs the factor.
                log_scale = _fit_ridge(xs, np.log(np.abs(residuals) + self.floor), self.ridge, w)
                scale_past = np.exp(log_scale(xs))
                scale_now = np.exp(log_scale(scale_rows[t]))
            else:
                scale_past = np.ones(len(y))
                scale_now = np.ones(len(mean))
            need = (np.log1p(threshold) - mean) / scale_now
            z = residuals / scale_past
            # P(scaled residual >= need), the empirical residuals smoothed by a normal kernel.
            tail = _normal_sf((need[:, None] - z[None, :]) / self.bandwidth)
            out[:, t] = tail.mean(axis=1) if w is None else tail @ w / w.sum()
        if self.recalibrate:
            out = _recalibrate(out, surge_labels(e, self.min_events), panel.first_seen)
        return out


#: Recalibration waits for this many past surges among the forecasts it learns from.
_PLATT_MIN_SURGES = 5


def _recalibrate(raw: Array, labels: Array, first_seen: NDArray[np.int64]) -> Array:
    """Each month's forecasts mapped through a Platt fit on the earlier months' forecasts and
    outcomes (only months already labelled at forecast time: no look ahead)."""
    out = raw.copy()
    logit = logit_fn(np.clip(raw, 1e-4, 1 - 1e-4))
    for t in range(WINDOW + 1, raw.shape[1]):
        known = first_seen <= t - 1
        x = logit[known, WINDOW:t].ravel()
        y = labels[known, WINDOW:t].ravel()
        if y.sum() < _PLATT_MIN_SURGES:
            continue
        a, b = _fit_platt(x, y)
        out[:, t] = expit(a + b * logit[:, t])
    return out


def _fit_platt(x: Array, y: Array, penalty: float = 1.0) -> tuple[float, float]:
    """Logistic regression of y on x (intercept and slope), by Newton steps from the identity.

    Hand-written rather than scikit-learn's: two parameters, a ridge pull toward the identity
    map (a=0, b=1) that scikit-learn cannot express, and a closed loop with no solver warnings.
    """
    beta = np.array([0.0, 1.0])
    prior = beta.copy()
    design = np.column_stack([np.ones(len(x)), x])
    for _ in range(25):
        p = expit(design @ beta)
        grad = design.T @ (y - p) - penalty * (beta - prior)
        hess = design.T @ (design * (p * (1 - p))[:, None]) + penalty * np.eye(2)
        step = np.linalg.solve(hess, grad)
        beta = beta + step
        if np.abs(step).max() < 1e-9:
            break
    return float(beta[0]), float(beta[1])


def _fit_ridge(
    x: Array, y: Array, penalty: float, sample_weight: Array | None = None
) -> Callable[[Array], Array]:
    """Least squares with an L2 penalty on standardised features (the intercept unpenalised).

    Returns the fitted function of raw (unstandardised) features. Solved in closed form, so the
    result is exact and deterministic. ``sample_weight`` (mean 1) weights the squared errors.
    """
    centre, spread = x.mean(axis=0), x.std(axis=0)
    spread[spread == 0] = 1.0
    design = np.column_stack([np.ones(len(x)), (x - centre) / spread])
    weights = np.full(design.shape[1], penalty)
    weights[0] = 0.0
    if sample_weight is None:
        beta = np.linalg.solve(design.T @ design + np.diag(weights), design.T @ y)
    else:
        weighted = design * sample_weight[:, None]
        beta = np.linalg.solve(weighted.T @ design + np.diag(weights), weighted.T @ y)

    def predict(q: Array) -> Array:
        return np.asarray(beta[0] + ((q - centre) / spread) @ beta[1:], dtype=float)

    return predict
