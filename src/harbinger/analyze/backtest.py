"""The backtest of surge forecasts on a UCDP GED file: a fixed task, so results stay comparable.

Units are the governorates of the file (``adm_1``, blank as ``unknown``), months run from the
first to the last month of ``date_start`` with zero-filled gaps, and events(g, m) is the number of
rows with that ``adm_1`` whose ``date_start`` falls in m. For every unit and every month from the
seventh on, the model and three baselines (climatology, persistence, an HDX-Signals-style rule)
forecast P(surge in m) from data up to the end of m-1 (see ``forecast``). The result holds every
forecast, and the Brier score and ROC AUC of each forecaster on a scored period (by default
2018-01 .. 2019-11, the out-of-sample years of the development file) and on the development
period before it.

The actor's task (``actor=``, ``harbinger backtest --actor``) counts only the rows where the actor
is side A or side B: each side is mapped to actors as ``harbinger import ucdp`` maps it (UCDP's
"IS" becomes "Islamic State (Syria)"), then through the actor lens; a surge is then 5 events and
1.5 x the mean of the 6 months before. The units and months stay those of the whole file, and the
all-events model (the default model fed every row, forecasting its own surges) is one more
baseline, scored on the actor's surges.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from harbinger.analyze.forecast import (
    ACTOR_FEATURES,
    ACTOR_SCALE_FEATURES,
    ACTOR_SURGE_MIN_EVENTS,
    NEIGHBOUR_FEATURES,
    SURGE_MIN_EVENTS,
    WINDOW,
    Array,
    Panel,
    SurgeModel,
    brier_score,
    climatology,
    hdx_rule,
    persistence,
    roc_auc,
    surge_labels,
)
from harbinger.errors import HarbingerError, MalformedRecord, UnreadableInput
from harbinger.records import Skipped

if TYPE_CHECKING:
    from harbinger.geo import Gazetteer
    from harbinger.knowledge.lens import ActorLens

__all__ = [
    "BacktestResult",
    "Score",
    "UcdpRow",
    "actor_model",
    "actor_panel",
    "backtest_file",
    "is_party_of",
    "panel_from_rows",
    "read_ucdp_rows",
    "run_backtest",
]

#: The UCDP columns the backtest reads.
_COLUMNS = ("adm_1", "date_start", "side_a", "side_b", "type_of_violence", "best")
UNKNOWN = "unknown"
SCORED_FROM, SCORED_TO = "2018-01", "2019-11"
DEV_FROM, DEV_TO = "2016-07", "2017-12"


@dataclass(frozen=True, slots=True)
class UcdpRow:
    """The fields of one UCDP GED row that the backtest uses."""

    adm_1: str
    month: str
    islamic_state: bool = False
    type_of_violence: int | None = None
    fatalities: int = 0
    #: The sides as UCDP writes them, the country, and the first day (for the actor's task).
    side_a: str = ""
    side_b: str = ""
    country: str = ""
    date: dt.date | None = None
    #: The district (UCDP's optional ``adm_2``) and the civilian deaths (``deaths_civilians``).
    adm_2: str = ""
    civilian_deaths: int = 0


@dataclass(frozen=True, slots=True)
class Score:
    """A forecaster's Brier score and ROC AUC over a period."""

    brier: float
    auc: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "brier": round(self.brier, 4),
            "auc": None if self.auc is None else round(self.auc, 4),
        }


@dataclass(frozen=True)
class BacktestResult:
    """Forecasts of the model and the baselines, labels, and their scores."""

    panel: Panel
    labels: Array
    forecasts: dict[str, Array]
    description: str
    scored: tuple[str, str] = (SCORED_FROM, SCORED_TO)
    development: tuple[str, str] = (DEV_FROM, DEV_TO)
    skipped: tuple[Skipped, ...] = field(default=())
    #: The actor of the actor's task (None: every row counts).
    actor: ActorLens | None = None
    min_events: int = SURGE_MIN_EVENTS

    def _columns(self, period: tuple[str, str]) -> list[int]:
        lo, hi = period
        return [i for i, m in enumerate(self.panel.months) if lo <= m <= hi and i >= WINDOW]

    def scores(self, period: tuple[str, str] | None = None) -> dict[str, Score]:
        """Brier and AUC of every forecaster on a period (the scored one by default)."""
        cols = self._columns(period or self.scored)
        if not cols:
            return {}
        y = self.labels[:, cols].ravel()
        return {
            name: Score(brier_score(p[:, cols].ravel(), y), roc_auc(p[:, cols].ravel(), y))
            for name, p in self.forecasts.items()
        }

    def base_rate(self, period: tuple[str, str] | None = None) -> float | None:
        cols = self._columns(period or self.scored)
        return float(np.mean(self.labels[:, cols])) if cols else None

    def n(self, period: tuple[str, str] | None = None) -> int:
        return len(self._columns(period or self.scored)) * len(self.panel.units)

    def rows(self) -> Iterator[tuple[str, str, float]]:
        """(admin1, month, probability) of the model for every unit and forecast month."""
        model = self.forecasts["model"]
        for t, month in enumerate(self.panel.months):
            if t < WINDOW:
                continue
            for g, unit in enumerate(self.panel.units):
                yield unit, month, float(model[g, t])

    def write_forecasts(self, out: TextIO) -> int:
        """The model's forecasts as ``admin1,month,probability`` CSV; returns the row count."""
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["admin1", "month", "probability"])
        n = 0
        for unit, month, p in self.rows():
            writer.writerow([unit, month, f"{p:.6f}"])
            n += 1
        return n

    def to_dict(self) -> dict[str, Any]:
        scored, dev = self.scores(), self.scores(self.development)
        counted = (
            f"events = rows with {self.actor.label} as side_a or side_b"
            if self.actor is not None
            else "events = all rows"
        )
        out: dict[str, Any] = {
            "task": (
                f"{counted}; surge = events >= {self.min_events} and >= 1.5 x mean of the 6 "
                "previous months; units = UCDP adm_1 (blank as unknown); forecasts from data up "
                "to m-1"
            ),
        }
        if self.actor is not None:
            out["actor"] = {
                "query": self.actor.query,
                "label": self.actor.label,
                "known": self.actor.known,
                "events": int(self.panel.events.sum()),
            }
        return out | {
            "scored_period": {"from": self.scored[0], "to": self.scored[1]},
            "n": self.n(),
            "base_rate": _round(self.base_rate()),
            "model": {"description": self.description, **_score(scored, "model")},
            "baselines": {name: _score(scored, name) for name in scored if name != "model"},
            "development_period": {
                "from": self.development[0],
                "to": self.development[1],
                "n": self.n(self.development),
                "base_rate": _round(self.base_rate(self.development)),
                "scores": {name: s.to_dict() for name, s in dev.items()},
            },
            "units": list(self.panel.units),
            "months": {"first": self.panel.months[0], "last": self.panel.months[-1]},
            "skipped_rows": len(self.skipped),
        }

    def write_json(self, out: TextIO) -> None:
        json.dump(self.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _score(scores: dict[str, Score], name: str) -> dict[str, Any]:
    found = scores.get(name)
    return found.to_dict() if found else {"brier": None, "auc": None}


# -- reading ---------------------------------------------------------------------------------


def read_ucdp_rows(path: Path) -> tuple[list[UcdpRow], list[Skipped]]:
    """The rows of a UCDP GED CSV file; rows without a readable ``date_start`` are skipped."""
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError as exc:
        raise UnreadableInput(str(path), "no such file; check the path") from exc
    except OSError as exc:
        raise UnreadableInput(str(path), f"cannot be read: {exc.strerror}") from exc
    rows: list[UcdpRow] = []
    skipped: list[Skipped] = []
    with fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise MalformedRecord(
                str(path),
                f"not a UCDP GED file: missing column(s) {', '.join(missing)}",
                line=1,
            )
        last = reader.line_num
        try:
            for raw in reader:
                line, last = last + 1, reader.line_num
                try:
                    day = dt.date.fromisoformat((raw.get("date_start") or "").strip()[:10])
                except ValueError:
                    skipped.append(
                        Skipped(
                            str(path),
                            f"date_start {raw.get('date_start')!r} is not a date like 2019-08-11",
                            line=line,
                        )
                    )
                    continue
                rows.append(_row(raw, day))
        except UnicodeDecodeError as exc:
            raise UnreadableInput(str(path), f"not UTF-8 text: {exc.reason}") from exc
        except csv.Error as exc:
            raise MalformedRecord(str(path), f"not CSV: {exc}", line=last + 1) from exc
    return rows, skipped


def _row(raw: dict[str, str | None], day: dt.date) -> UcdpRow:
    def number(key: str) -> int | None:
        try:
            return int(float((raw.get(key) or "").strip()))
        except ValueError:
            return None

    side_a, side_b = (raw.get("side_a") or "").strip(), (raw.get("side_b") or "").strip()
    return UcdpRow(
        adm_1=(raw.get("adm_1") or "").strip() or UNKNOWN,
        month=f"{day.year:04d}-{day.month:02d}",
        islamic_state="IS" in (side_a, side_b),
        type_of_violence=number("type_of_violence"),
        fatalities=max(0, number("best") or 0),
        side_a=side_a,
        side_b=side_b,
        country=(raw.get("country") or "").strip(),
        date=day,
        adm_2=(raw.get("adm_2") or "").strip(),
        civilian_deaths=max(0, number("deaths_civilians") or 0),
    )


@lru_cache(maxsize=256)
def _iso_code(name: str) -> str | None:
    """The ISO 3166-2 code of a governorate written as UCDP writes it ("Aleppo governorate")."""
    for entry in _gazetteer().lookup(name):
        if entry.kind == "admin1":
            return entry.admin1_code
    return None


def _gazetteer() -> Gazetteer:
    from harbinger.geo import configured_gazetteer

    return configured_gazetteer()


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def panel_from_rows(
    rows: Sequence[UcdpRow],
    *,
    resolve_codes: bool = False,
    counted: Sequence[bool] | None = None,
) -> Panel:
    """Monthly series per ``adm_1`` from first to last month, gaps filled with zeros.

    ``counted`` marks the rows whose events count (one actor's); the units and months stay
    those of every row, and ``context`` then holds every row's events.
    """
    if not rows:
        raise ValueError("no rows with a date: nothing to backtest")
    if counted is not None and len(counted) != len(rows):
        raise ValueError("counted must mark every row")
    units = sorted({r.adm_1 for r in rows})
    months = _month_range(min(r.month for r in rows), max(r.month for r in rows))
    gi = {u: i for i, u in enumerate(units)}
    ti = {m: i for i, m in enumerate(months)}
    shape = (len(units), len(months))
    events, is_events, fatalities, nonstate, onesided = (np.zeros(shape) for _ in range(5))
    context, civilians = np.zeros(shape), np.zeros(shape)
    active: dict[tuple[int, str], set[int]] = {}
    for i, r in enumerate(rows):
        g, t = gi[r.adm_1], ti[r.month]
        context[g, t] += 1
        if counted is not None and not counted[i]:
            continue
        events[g, t] += 1
        fatalities[g, t] += r.fatalities
        civilians[g, t] += r.civilian_deaths
        if r.adm_2:
            active.setdefault((g, r.adm_2), set()).add(t)
        if r.islamic_state:
            is_events[g, t] += 1
        if r.type_of_violence == 2:
            nonstate[g, t] += 1
        elif r.type_of_violence == 3:
            onesided[g, t] += 1
    codes = tuple(_iso_code(u) if resolve_codes and u != UNKNOWN else None for u in units)
    districts, new_districts = np.zeros(shape), np.zeros(shape)
    for (g, _), seen in active.items():
        for t in seen:
            districts[g, t] += 1
            # New: no events in the district in the 3 months before (the spread signal).
            if not any(t - back in seen for back in (1, 2, 3)):
                new_districts[g, t] += 1
    return Panel(
        units=tuple(units),
        months=tuple(months),
        events=events,
        is_events=is_events,
        fatalities=fatalities,
        nonstate=nonstate,
        onesided=onesided,
        codes=codes,
        context=context if counted is not None else None,
        districts=districts,
        new_districts=new_districts,
        civilian_deaths=civilians,
    )


def is_party_of(rows: Sequence[UcdpRow], lens: ActorLens) -> list[bool]:
    """Whether the actor is side A or side B of each row, its sides mapped as the importer maps
    them (``ingest.tables.ucdp``: "IS" -> "Islamic State (Syria)"; a coalition "A, B" -> actor A
    with B associated, and an associated actor is a side too), then matched through the lens.
    """
    cache: dict[tuple[str, str, str, int, int | None], bool] = {}
    out: list[bool] = []
    for r in rows:
        day = r.date or dt.date(int(r.month[:4]), int(r.month[5:7]), 1)
        # Names by period change at most once a year: one look-up per sides, country and year.
        key = (r.side_a, r.side_b, r.country, day.year, r.type_of_violence)
        if key not in cache:
            cache[key] = _sides_match(r, day, lens)
        out.append(cache[key])
    return out


def _sides_match(r: UcdpRow, day: dt.date, lens: ActorLens) -> bool:
    from harbinger.ingest.tables.common import RowError, RowExcluded
    from harbinger.ingest.tables.ucdp import map_row

    # The importer's own row mapping, on a row holding only the sides, country and date: the
    # backtest then resolves UCDP's names exactly as `harbinger import ucdp` stores them.
    minimal = {
        "id": "backtest",
        "type_of_violence": str(r.type_of_violence if r.type_of_violence in (1, 2, 3) else 1),
        "side_a": r.side_a,
        "side_b": r.side_b,
        "country": r.country,
        "date_prec": "1",
        "date_start": day.isoformat(),
        "date_end": day.isoformat(),
        "best": "0",
    }
    try:
        event = map_row(minimal, "backtest", 0).event
    except (RowError, RowExcluded, HarbingerError):
        return False
    return lens.is_party(event.actor1, event.actor2, event.assoc_actor1, event.assoc_actor2)


def actor_panel(rows: Sequence[UcdpRow], lens: ActorLens, *, resolve_codes: bool = True) -> Panel:
    """The panel of the actor's task: the actor's rows counted, every row as context (and the
    units' ISO codes, which the spread feature needs to find the bordering governorates)."""
    return panel_from_rows(rows, resolve_codes=resolve_codes, counted=is_party_of(rows, lens))


def actor_model() -> SurgeModel:
    """The model of the actor's task, as chosen on the development years (docs/warnings.md)."""
    return SurgeModel(
        features=ACTOR_FEATURES,
        scale_features=ACTOR_SCALE_FEATURES,
        min_events=ACTOR_SURGE_MIN_EVENTS,
    )


# -- running ---------------------------------------------------------------------------------


def run_backtest(
    panel: Panel,
    model: SurgeModel | None = None,
    *,
    scored: tuple[str, str] = (SCORED_FROM, SCORED_TO),
    skipped: Sequence[Skipped] = (),
    all_events: Panel | None = None,
    actor: ActorLens | None = None,
) -> BacktestResult:
    """Forecast every unit-month from month 7 on with the model and the baselines.

    ``all_events`` (the actor's task) adds the all-events model's forecast as a baseline.
    """
    model = model or SurgeModel()
    labels = surge_labels(panel.events, model.min_events)
    forecasts = {
        "model": model.forecast(panel),
        "climatology": climatology(labels),
        "persistence": persistence(labels),
        "hdx_signals_rule": hdx_rule(panel.events),
    }
    if all_events is not None:
        if all_events.units != panel.units or all_events.months != panel.months:
            raise ValueError("the all-events panel must have the actor panel's units and months")
        # The default model on every row, forecasting its own surges (10 events): what a
        # forecaster blind to the actor would say, scored on the actor's surges.
        forecasts["all_events_model"] = SurgeModel().forecast(all_events)
    return BacktestResult(
        panel=panel,
        labels=labels,
        forecasts=forecasts,
        description=model.describe(),
        scored=scored,
        skipped=tuple(skipped),
        actor=actor,
        min_events=model.min_events,
    )


def backtest_file(
    path: Path,
    model: SurgeModel | None = None,
    *,
    scored: tuple[str, str] = (SCORED_FROM, SCORED_TO),
    actor: ActorLens | str | None = None,
) -> BacktestResult:
    """Read a UCDP GED CSV file and run the backtest on it (on one actor's events with
    ``actor``: a lens or what an analyst typed, "Islamic State")."""
    if isinstance(actor, str):
        from harbinger.knowledge.lens import actor_lens

        actor = actor_lens(actor)
    model = model or (actor_model() if actor is not None else SurgeModel())
    rows, skipped = read_ucdp_rows(path)
    needs_codes = bool(NEIGHBOUR_FEATURES & {*model.features, *model.scale_features})
    if actor is None:
        panel = panel_from_rows(rows, resolve_codes=needs_codes)
        return run_backtest(panel, model, scored=scored, skipped=skipped)
    counted = is_party_of(rows, actor)
    panel = panel_from_rows(rows, resolve_codes=needs_codes, counted=counted)
    everything = panel_from_rows(rows)
    return run_backtest(
        panel, model, scored=scored, skipped=skipped, all_events=everything, actor=actor
    )
