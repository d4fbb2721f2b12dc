"""The surge backtest: surge definition, scores, baselines, zero-filled months, no future leak."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from harbinger.analyze.backtest import (
    UcdpRow,
    actor_model,
    actor_panel,
    backtest_file,
    is_party_of,
    panel_from_rows,
    read_ucdp_rows,
    run_backtest,
)
from harbinger.analyze.forecast import (
    DEFAULT_FEATURES,
    FEATURES,
    NEIGHBOUR_FEATURES,
    Panel,
    SurgeModel,
    _fit_platt,
    _fit_ridge,
    _parse_adjacency,
    adjacency_matrix,
    brier_score,
    climatology,
    hdx_rule,
    load_adjacency,
    persistence,
    roc_auc,
    surge_labels,
    trailing_mean,
)
from harbinger.cli import app
from harbinger.errors import KnowledgeError
from harbinger.geo import Gazetteer
from harbinger.knowledge.lens import actor_lens

DEV_FILE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "dev"
    / "ucdp-ged-syria"
    / "ged_syria_2016-2019.csv"
)


def _series(*values: float) -> np.ndarray:
    return np.array([values], dtype=float)


# -- the surge -------------------------------------------------------------------------------


def test_trailing_mean_uses_the_six_months_before() -> None:
    mean = trailing_mean(_series(1, 2, 3, 4, 5, 6, 7, 8))
    assert np.isnan(mean[0, :6]).all()
    assert mean[0, 6] == pytest.approx(3.5)  # months 0..5
    assert mean[0, 7] == pytest.approx(4.5)  # months 1..6


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (15, 1.0),  # 15 >= 10 and 15 >= 1.5 x 10
        (14, 0.0),  # below 1.5 x the mean
        (9, 0.0),
    ],
)
def test_surge_needs_ten_events_and_one_and_a_half_times_the_mean(
    last: int, expected: float
) -> None:
    labels = surge_labels(_series(10, 10, 10, 10, 10, 10, last))
    assert np.isnan(labels[0, :6]).all()
    assert labels[0, 6] == expected


def test_surge_needs_at_least_ten_events_even_from_zero() -> None:
    assert surge_labels(_series(0, 0, 0, 0, 0, 0, 9))[0, 6] == 0.0
    assert surge_labels(_series(0, 0, 0, 0, 0, 0, 10))[0, 6] == 1.0
    # An exact tie with 1.5 x the mean counts: mean 8 -> threshold 12.
    assert surge_labels(_series(8, 8, 8, 8, 8, 8, 12))[0, 6] == 1.0


# -- scores ----------------------------------------------------------------------------------


def test_brier_score_on_hand_made_numbers() -> None:
    assert brier_score([1.0, 0.0], [1, 1]) == pytest.approx(0.5)
    assert brier_score([0.2, 0.7, 0.5], [0, 1, 1]) == pytest.approx((0.04 + 0.09 + 0.25) / 3)
    with pytest.raises(ValueError):
        brier_score([0.5], [1, 0])


def test_roc_auc_on_hand_made_numbers() -> None:
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == pytest.approx(0.75)
    assert roc_auc([0.9, 0.1], [1, 0]) == 1.0
    assert roc_auc([0.5, 0.5], [0, 1]) == 0.5  # ties count half
    assert roc_auc([0.2, 0.3], [1, 1]) is None


def test_baselines_on_a_small_series() -> None:
    events = _series(0, 0, 0, 0, 0, 0, 12, 0, 20)
    labels = surge_labels(events)
    assert list(labels[0, 6:]) == [1.0, 0.0, 1.0]
    assert list(persistence(labels)[0, 6:]) == [0.0, 1.0, 0.0]
    assert list(climatology(labels)[0, 6:]) == [0.0, 1.0, 0.5]
    # Month 7 sees month 6 (12) above every month before it; month 8 sees 0.
    assert list(hdx_rule(events)[0, 6:]) == [0.0, 1.0, 0.0]


# -- panel -----------------------------------------------------------------------------------


def test_gaps_between_months_are_filled_with_zeros() -> None:
    rows = [
        UcdpRow("Aleppo governorate", "2016-01"),
        UcdpRow("Aleppo governorate", "2016-01"),
        UcdpRow("unknown", "2016-04", islamic_state=True, type_of_violence=3, fatalities=4),
    ]
    panel = panel_from_rows(rows)
    assert panel.months == ("2016-01", "2016-02", "2016-03", "2016-04")
    assert panel.units == ("Aleppo governorate", "unknown")
    assert panel.events.tolist() == [[2, 0, 0, 0], [0, 0, 0, 1]]
    assert panel.is_events[1, 3] == 1 and panel.onesided[1, 3] == 1
    assert panel.fatalities[1, 3] == 4
    assert list(panel.first_seen) == [0, 3]


def _random_rows(rng: np.random.Generator, units: list[str], months: list[str]) -> list[UcdpRow]:
    rows = []
    for u in units:
        level = rng.uniform(2, 25)
        for m in months:
            for _ in range(rng.poisson(level * rng.choice([0.5, 1.0, 2.5], p=[0.3, 0.5, 0.2]))):
                rows.append(
                    UcdpRow(
                        u,
                        m,
                        islamic_state=bool(rng.random() < 0.3),
                        type_of_violence=int(rng.integers(1, 4)),
                        fatalities=int(rng.poisson(3)),
                    )
                )
    return rows


MONTHS = [f"{2016 + i // 12}-{i % 12 + 1:02d}" for i in range(30)]


def test_forecasts_never_see_the_future() -> None:
    rng = np.random.default_rng(7)
    units = ["A governorate", "B governorate", "C governorate", "D governorate"]
    base = _random_rows(rng, units, MONTHS)
    cut = 18  # change everything from this month on
    other = _random_rows(np.random.default_rng(99), [*units, "E governorate"], MONTHS[cut:])
    changed = [r for r in base if r.month < MONTHS[cut]] + other
    a = run_backtest(panel_from_rows(base))
    b = run_backtest(panel_from_rows(changed))
    assert a.panel.months == b.panel.months
    fa, fb = a.forecasts["model"], b.forecasts["model"]
    for g, unit in enumerate(a.panel.units):
        h = b.panel.units.index(unit)
        # Forecasts for months up to and including the first changed month use only data before it.
        np.testing.assert_allclose(fa[g, 6 : cut + 1], fb[h, 6 : cut + 1], rtol=1e-9, atol=1e-12)
    # ... and the change does reach the months after it.
    assert not np.allclose(fa[:, cut + 1 :], fb[: len(units), cut + 1 :])


def test_neighbour_features_never_see_the_future() -> None:
    # The spillover features read other units' series: a change from month `cut` on, in any
    # unit, must not reach a forecast up to `cut` through a neighbour either.
    rng = np.random.default_rng(11)
    units = ["A", "B", "C", "D"]
    codes = ("SY-RA", "SY-DY", "SY-HA", "SY-HL")  # Raqqa borders the three others
    base = _random_rows(rng, units, MONTHS)
    cut = 17
    other = _random_rows(np.random.default_rng(12), units, MONTHS[cut:])
    changed = [r for r in base if r.month < MONTHS[cut]] + other
    model = SurgeModel(features=(*DEFAULT_FEATURES, *sorted(NEIGHBOUR_FEATURES)))
    with_codes = [dataclasses.replace(panel_from_rows(r), codes=codes) for r in (base, changed)]
    fa, fb = (model.forecast(p) for p in with_codes)
    np.testing.assert_allclose(fa[:, 6 : cut + 1], fb[:, 6 : cut + 1], rtol=1e-9, atol=1e-12)
    assert not np.allclose(fa[:, cut + 1 :], fb[:, cut + 1 :])
    # ... and the neighbours do enter: without codes (no borders) the forecasts differ.
    plain = model.forecast(panel_from_rows(base))
    assert not np.allclose(plain[:, 8:], fa[:, 8:])


def _warned_surges(seed: int) -> list[UcdpRow]:
    """Quiet series (about 2 events a month) where a month of 9 announces a month of 40."""
    rng = np.random.default_rng(seed)
    rows: list[UcdpRow] = []
    for unit in "ABCDEF":
        counts = rng.poisson(2, len(MONTHS + MONTHS[:6]))
        for start in range(7, len(counts) - 1, 7):
            at = start + int(rng.integers(0, 3))
            if at + 1 < len(counts):
                counts[at], counts[at + 1] = 9, 40
        months = MONTHS + [f"2018-{i:02d}" for i in range(7, 13)]
        for month, count in zip(months, counts, strict=True):
            rows += [UcdpRow(f"{unit} governorate", month)] * int(count)
    return rows


@pytest.mark.parametrize("seed", [1, 2])
def test_model_learns_a_leading_signal_the_baselines_miss(seed: int) -> None:
    result = run_backtest(panel_from_rows(_warned_surges(seed)), scored=("2017-07", "2018-12"))
    scores = result.scores()
    model_auc = scores["model"].auc
    assert model_auc is not None and model_auc > 0.8
    assert scores["model"].brier < scores["climatology"].brier - 0.02
    assert scores["model"].brier < scores["persistence"].brier


def test_model_is_deterministic_and_checks_its_features() -> None:
    panel = panel_from_rows(_random_rows(np.random.default_rng(4), ["A", "B"], MONTHS))
    np.testing.assert_array_equal(SurgeModel().forecast(panel), SurgeModel().forecast(panel))
    with pytest.raises(ValueError, match="unknown feature"):
        SurgeModel(scale_features=("mean7",))
    with pytest.raises(ValueError, match="at least one feature"):
        SurgeModel(features=())


def test_ridge_fits_a_line_and_shrinks_with_its_penalty() -> None:
    x = np.arange(10, dtype=float)[:, None]
    y = 3.0 + 2.0 * x[:, 0]
    exact = _fit_ridge(x, y, 0.0)
    np.testing.assert_allclose(exact(np.array([[20.0]])), [43.0])
    shrunk = _fit_ridge(x, y, 100.0)
    # The penalty pulls the slope towards 0, never the intercept: the mean prediction stays.
    assert shrunk(np.array([[20.0]]))[0] < 43.0
    assert shrunk(x).mean() == pytest.approx(y.mean())


def test_forecasts_are_probabilities_and_csv_covers_every_unit_month(tmp_path: Path) -> None:
    rows = _random_rows(np.random.default_rng(3), ["A", "B", "unknown"], MONTHS)
    result = run_backtest(panel_from_rows(rows), scored=("2017-01", "2018-06"))
    model = result.forecasts["model"]
    assert np.isnan(model[:, :6]).all()
    assert ((model[:, 6:] >= 0) & (model[:, 6:] <= 1)).all()
    out = tmp_path / "f.csv"
    with out.open("w", newline="") as fh:
        n = result.write_forecasts(fh)
    with out.open(newline="") as fh:
        written = list(csv.DictReader(fh))
    assert n == len(written) == 3 * (30 - 6)
    scored = {(r["admin1"], r["month"]) for r in written if "2017-01" <= r["month"] <= "2018-06"}
    assert scored == {(u, m) for u in ("A", "B", "unknown") for m in MONTHS[12:30]}
    assert result.n() == 3 * 18


# -- adjacency -------------------------------------------------------------------------------


def test_adjacency_covers_every_governorate_of_the_gazetteer() -> None:
    adjacency = load_adjacency()
    codes = {e.admin1_code for e in Gazetteer.load().admin1_entries()}
    assert set(adjacency) == codes
    for code, neighbours in adjacency.items():
        assert neighbours <= codes
        assert all(code in adjacency[n] for n in neighbours)
    assert "IQ-AN" in adjacency["SY-DY"]


def test_one_sided_adjacency_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "adjacency.yaml"
    path.write_text("version: 1\nadjacency:\n  SY-DI: [SY-RD]\n  SY-RD: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="SY-RD does not list SY-DI"):
        _parse_adjacency(path)


# -- the command -----------------------------------------------------------------------------


def _write_ucdp(path: Path, rows: list[UcdpRow]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "adm_1", "date_start", "side_a", "side_b", "type_of_violence", "best"])
        for i, r in enumerate(rows):
            side = "IS" if r.islamic_state else "SDF"
            adm = "" if r.adm_1 == "unknown" else r.adm_1
            w.writerow(
                [
                    i,
                    adm,
                    f"{r.month}-15",
                    "Government of Syria",
                    side,
                    r.type_of_violence,
                    r.fatalities,
                ]
            )
        w.writerow([len(rows), "Homs governorate", "not a date", "IS", "SDF", 1, 1])


def test_backtest_command_writes_csv_and_json(tmp_path: Path) -> None:
    rows = _random_rows(np.random.default_rng(5), ["Aleppo governorate", "unknown"], MONTHS)
    src = tmp_path / "ged.csv"
    _write_ucdp(src, rows)
    out, js = tmp_path / "f.csv", tmp_path / "f.json"
    result = CliRunner().invoke(
        app, ["backtest", "ucdp", str(src), "--forecasts", str(out), "--json", str(js)]
    )
    assert result.exit_code == 0, result.output
    assert f"{src}:{len(rows) + 2}" in result.output  # the bad date, with its line
    data = json.loads(js.read_text())
    assert set(data["baselines"]) == {"climatology", "persistence", "hdx_signals_rule"}
    assert data["scored_period"] == {"from": "2018-01", "to": "2019-11"}
    assert data["n"] == 2 * 6  # 2018-01 .. 2018-06, the last month of the file
    assert "location-scale" in data["model"]["description"]
    assert {r["admin1"] for r in csv.DictReader(out.open())} == {"Aleppo governorate", "unknown"}


@pytest.mark.reference
def test_dev_file_scores_beat_the_baselines() -> None:
    if not DEV_FILE.exists():
        pytest.skip(f"{DEV_FILE} is absent (the shared reference data is not beside this clone)")
    result = backtest_file(DEV_FILE)
    assert len(result.panel.units) == 15 and result.n() == 15 * 23
    scores = result.scores()
    assert scores["climatology"].brier == pytest.approx(0.120, abs=5e-4)
    assert scores["persistence"].brier == pytest.approx(0.125, abs=5e-4)
    assert scores["model"].brier < 0.092
    model_auc = scores["model"].auc
    assert model_auc is not None and model_auc > 0.84
    # The development years, on which every modelling choice was made (docs/warnings.md).
    dev = result.scores(result.development)
    assert dev["model"].brier < 0.114 < dev["climatology"].brier
    rows = list(result.rows())
    scored = {(u, m) for u, m, _ in rows if "2018-01" <= m <= "2019-11"}
    assert len(scored) == 15 * 23


# -- the actor's task (backtest --actor) --------------------------------------------------------


def test_actor_surge_needs_five_events_and_one_and_a_half_times_the_mean() -> None:
    assert surge_labels(_series(0, 0, 0, 0, 0, 0, 4), min_events=5)[0, 6] == 0.0
    assert surge_labels(_series(0, 0, 0, 0, 0, 0, 5), min_events=5)[0, 6] == 1.0
    assert surge_labels(_series(4, 4, 4, 4, 4, 4, 5), min_events=5)[0, 6] == 0.0  # < 1.5 x 4
    assert surge_labels(_series(4, 4, 4, 4, 4, 4, 6), min_events=5)[0, 6] == 1.0
    assert actor_model().min_events == 5 and SurgeModel().min_events == 10


def _sides(adm: str, month: str, side_a: str, side_b: str, n: int) -> list[UcdpRow]:
    day = dt.date(int(month[:4]), int(month[5:7]), 10)
    return [
        UcdpRow(adm, month, side_a=side_a, side_b=side_b, country="Syria", date=day,
                type_of_violence=1)
    ] * n  # fmt: skip


def test_actor_rows_are_resolved_as_the_importer_resolves_them() -> None:
    rows = [
        *_sides("A", "2017-01", "Government of Syria", "IS", 1),
        *_sides("A", "2017-01", "IS", "SDF", 1),
        *_sides("A", "2017-01", "Government of Syria, Hezbollah", "IS", 1),
        *_sides("A", "2017-01", "SDF", "Syrian insurgents", 1),
        *_sides("A", "2017-01", "Government of Syria", "Khalid ibn al-Walid Army", 1),
        *_sides("A", "2017-01", "ISIS Fan Club", "SDF", 1),  # not a name the knowledge knows
    ]
    assert is_party_of(rows, actor_lens("Islamic State")) == [True, True, True, False, True, False]
    assert is_party_of(rows, actor_lens("Daesh")) == is_party_of(rows, actor_lens("IS"))
    assert is_party_of(rows, actor_lens("Hezbollah")) == [False, False, True, False, False, False]


def test_actor_panel_counts_the_actors_rows_and_keeps_every_unit() -> None:
    rows = [
        *_sides("A", "2016-01", "Government of Syria", "IS", 2),
        *_sides("A", "2016-01", "Government of Syria", "Syrian insurgents", 3),
        *_sides("B", "2016-03", "SDF", "Syrian insurgents", 4),
    ]
    panel = actor_panel(rows, actor_lens("Islamic State"))
    assert panel.units == ("A", "B") and panel.months == ("2016-01", "2016-02", "2016-03")
    assert panel.events.tolist() == [[2, 0, 0], [0, 0, 0]]
    assert panel.context is not None and panel.context.tolist() == [[5, 0, 0], [0, 0, 4]]


def _actor_file(path: Path) -> int:
    """Two governorates, 14 months: the Islamic State surges in A (5 events after none) while
    every row surges in B (20 rows of another war); returns the number of data rows."""
    months = [f"2016-{m:02d}" for m in range(1, 13)] + ["2017-01", "2017-02"]
    plan: list[tuple[str, str, str, str, int]] = []
    for i, month in enumerate(months):
        plan.append(("Aleppo governorate", month, "Government of Syria", "Syrian insurgents", 2))
        plan.append(("Hasakah governorate", month, "SDF", "Syrian insurgents", 20 if i == 9 else 2))
        if i == 8:
            plan.append(("Aleppo governorate", month, "Government of Syria", "IS", 5))
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "country", "adm_1", "date_start", "side_a", "side_b",
                    "type_of_violence", "best"])  # fmt: skip
        for adm, month, a, b, count in plan:
            for _ in range(count):
                n += 1
                w.writerow([n, "Syria", adm, f"{month}-12", a, b, 1, 2])
    return n


def test_actor_backtest_labels_only_the_actors_surges(tmp_path: Path) -> None:
    src = tmp_path / "ged.csv"
    _actor_file(src)
    result = backtest_file(src, actor="Islamic State", scored=("2016-07", "2017-02"))
    a, b = (
        result.panel.units.index("Aleppo governorate"),
        result.panel.units.index("Hasakah governorate"),
    )
    assert result.panel.events[a].sum() == 5 and result.panel.events[b].sum() == 0
    assert result.labels[a, 8] == 1.0  # 5 of its events after none: a surge at 5
    assert np.nansum(result.labels[b]) == 0  # another war's 20 rows are no surge of the actor
    everything = backtest_file(src, scored=("2016-07", "2017-02"))
    assert everything.labels[b, 9] == 1.0 and everything.labels[a, 8] == 0.0
    assert set(result.forecasts) == {
        "model", "climatology", "persistence", "hdx_signals_rule", "all_events_model",
    }  # fmt: skip
    # The all-events model is the default model on every row, forecasting its own surges.
    np.testing.assert_allclose(
        result.forecasts["all_events_model"], everything.forecasts["model"], equal_nan=True
    )


def test_actor_model_never_sees_the_future_of_the_context() -> None:
    rng = np.random.default_rng(21)
    base = _random_rows(rng, ["A", "B", "C"], MONTHS)
    cut = 16
    other = _random_rows(np.random.default_rng(22), ["A", "B", "C"], MONTHS[cut:])
    changed = [r for r in base if r.month < MONTHS[cut]] + other
    marks = [[r.islamic_state for r in rows] for rows in (base, changed)]
    panels = [panel_from_rows(r, counted=m) for r, m in zip((base, changed), marks, strict=True)]
    fa, fb = (actor_model().forecast(p) for p in panels)
    np.testing.assert_allclose(fa[:, 6 : cut + 1], fb[:, 6 : cut + 1], rtol=1e-9, atol=1e-12)
    assert not np.allclose(fa[:, cut + 1 :], fb[:, cut + 1 :])


def test_backtest_command_with_an_actor(tmp_path: Path) -> None:
    src = tmp_path / "ged.csv"
    _actor_file(src)
    out, js = tmp_path / "f.csv", tmp_path / "f.json"
    result = CliRunner().invoke(
        app,
        ["backtest", "ucdp", str(src), "--actor", "Islamic State", "--forecasts", str(out),
         "--json", str(js)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Surge forecasts of Islamic State" in result.stdout
    data = json.loads(js.read_text())
    assert data["actor"] == {
        "query": "Islamic State", "label": "Islamic State", "known": True, "events": 5,
    }  # fmt: skip
    assert data["task"].startswith("events = rows with Islamic State as side_a or side_b")
    assert "surge = events >= 5 and" in data["task"]
    # The file ends in 2017: its forecasts are scored on the development period only.
    assert set(data["development_period"]["scores"]) == {
        "model", "climatology", "persistence", "hdx_signals_rule", "all_events_model",
    }  # fmt: skip
    units = {r["admin1"] for r in csv.DictReader(out.open())}
    assert units == {"Aleppo governorate", "Hasakah governorate"}
    blank = CliRunner().invoke(
        app, ["backtest", "ucdp", str(src), "--actor", "", "--forecasts", str(out)]
    )
    assert blank.exit_code == 2


@pytest.mark.reference
def test_dev_file_actor_scores() -> None:
    if not DEV_FILE.exists():
        pytest.skip(f"{DEV_FILE} is absent (the shared reference data is not beside this clone)")
    result = backtest_file(DEV_FILE, actor="Islamic State")
    assert int(result.panel.events.sum()) == 6472  # SOURCE.md: IS is a side in 6,472 events
    assert len(result.panel.units) == 15 and result.n() == 15 * 23
    scores, dev = result.scores(), result.scores(result.development)
    # The figures of docs/warnings.md (2 cores, numpy 2.4), rounded the safe way: the model was
    # chosen on the development years; the scoring period was computed once, afterwards.
    assert dev["model"].brier <= 0.0966
    dev_auc = dev["model"].auc
    assert dev_auc is not None and dev_auc >= 0.804
    assert scores["model"].brier <= 0.0658
    model_auc = scores["model"].auc
    assert model_auc is not None and model_auc >= 0.779
    assert scores["climatology"].brier == pytest.approx(0.0737, abs=5e-4)
    for name in ("climatology", "persistence", "all_events_model"):
        assert scores["model"].brier < scores[name].brier
        assert dev["model"].brier < dev[name].brier
    # The spread features found the bordering governorates: every unit but `unknown` has a code.
    assert sum(code is not None for code in result.panel.codes) == 14


# -- the actor's new signals: spread, return after quiet, losses, recency, recalibration -------


def _district_rows(plan: dict[int, list[str]], adm: str = "A") -> list[UcdpRow]:
    """One event per listed district in each month index of MONTHS."""
    return [
        UcdpRow(adm, MONTHS[t], adm_2=d, fatalities=2, civilian_deaths=1)
        for t, districts in sorted(plan.items())
        for d in districts
    ]


def test_new_districts_are_those_with_three_quiet_months_before() -> None:
    rows = _district_rows({0: ["x"], 1: ["x", "y"], 4: ["x"], 5: ["x", "y"], 6: ["z", ""]})
    panel = panel_from_rows(rows)
    assert panel.districts is not None and panel.new_districts is not None
    assert panel.districts[0].tolist() == [1, 2, 0, 0, 1, 2, 1]  # a blank adm_2 is no district
    # x (months 0, 1, 4, 5) is new only in 0: month 1 is within 3 months of 4. y (1, 5) is new
    # in both, with 2..4 quiet; z in 6.
    assert panel.new_districts[0].tolist() == [1, 1, 0, 0, 0, 1, 1]
    assert panel.civilian_deaths is not None and panel.civilian_deaths[0, 1] == 2


def test_actor_panel_counts_districts_of_the_actors_rows_only() -> None:
    day = dt.date(2016, 1, 5)
    rows = [
        UcdpRow("A", "2016-01", side_a="Government of Syria", side_b="IS", country="Syria",
                date=day, type_of_violence=1, adm_2="x"),
        UcdpRow("A", "2016-01", side_a="Government of Syria", side_b="Syrian insurgents",
                country="Syria", date=day, type_of_violence=1, adm_2="y"),
    ]  # fmt: skip
    panel = actor_panel(rows, actor_lens("Islamic State"), resolve_codes=False)
    assert panel.districts is not None and panel.districts.tolist() == [[1]]


def test_spread_counts_bordering_units_active_in_the_last_three_months() -> None:
    # Raqqa (SY-RA) borders Deir ez-Zor (SY-DY) and Hasakah (SY-HA), not Damascus (SY-DI).
    events = np.array(
        [
            [0, 0, 0, 0, 0, 0, 0, 0],  # RA
            [3, 0, 0, 0, 0, 1, 0, 0],  # DY: active in month 5
            [0, 0, 0, 0, 2, 0, 0, 9],  # HA: active in month 4 (and 7, the target: unseen)
            [5, 5, 5, 5, 5, 5, 5, 5],  # DI: not a neighbour
        ],
        dtype=float,
    )
    zeros = np.zeros_like(events)
    panel = Panel(
        units=("RA", "DY", "HA", "DI"),
        months=tuple(MONTHS[:8]),
        events=events,
        is_events=zeros,
        fatalities=zeros,
        nonstate=zeros,
        onesided=zeros,
        codes=("SY-RA", "SY-DY", "SY-HA", "SY-DI"),
    )
    a = adjacency_matrix(panel.codes, load_adjacency())
    model = SurgeModel(features=("spread", "spread3"))
    x = model.matrix(panel, 7, a)
    assert x[0].tolist() == [0.0, 2.0]  # RA: no neighbour active in 6; DY and HA in 4..6
    assert x[1].tolist() == [0.0, 1.0]  # DY: RA quiet, HA active in 4 (its 7 is the target)
    assert x[3].tolist() == [0.0, 0.0]  # DI borders Rif Dimashq only
    earlier = model.matrix(panel, 6, a)
    assert earlier[0].tolist() == [1.0, 2.0] and earlier[2].tolist() == [1.0, 1.0]


def test_quiet_months_losses_and_trend_features() -> None:
    events = np.array([[4, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0]], dtype=float)
    fatalities = np.array([[8, 0, 0, 0, 0, 0, 0, 0], [2, 2, 2, 2, 2, 2, 8, 0]], dtype=float)
    civilians = np.array([[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 4, 0]], dtype=float)
    zeros = np.zeros_like(events)
    panel = Panel(
        units=("A", "B"),
        months=tuple(MONTHS[:8]),
        events=events,
        is_events=zeros,
        fatalities=fatalities,
        nonstate=zeros,
        onesided=zeros,
        civilian_deaths=civilians,
    )
    names = ("quiet", "since_last", "fatality_trend", "civilian_share", "long_run")
    x = SurgeModel(features=names).matrix(panel, 7)
    # A: last event in month 0, 7 months before the target; B: an event in month 6.
    np.testing.assert_allclose(x[:, 0], [np.log1p(6), 0.0])
    np.testing.assert_allclose(x[:, 1], [np.log1p(7), np.log1p(1)])
    np.testing.assert_allclose(x[1, 2], np.log1p(8) - np.log1p(3))  # 8 against a mean of 3
    np.testing.assert_allclose(x[1, 3], 6 / 13)  # 6 civilians of 12 deaths in months 4..6
    np.testing.assert_allclose(x[:, 4], [np.log1p(4 / 7), np.log1p(1.0)])
    # A source without civilian deaths: the share is 0, not an error.
    bare = dataclasses.replace(panel, civilian_deaths=None)
    assert SurgeModel(features=("civilian_share",)).matrix(bare, 7).tolist() == [[0.0], [0.0]]


def _sparse_panel(rng: np.random.Generator, months: int = 20) -> Panel:
    """Four bordering governorates whose series are empty about half the time."""

    def draw() -> np.ndarray:
        return rng.poisson(3.0, (4, months)) * (rng.random((4, months)) < 0.5)

    events = draw().astype(float)
    return Panel(
        units=("RA", "DY", "HA", "HL"),
        months=tuple(MONTHS[:months]),
        events=events,
        is_events=events.copy(),
        fatalities=draw().astype(float),
        nonstate=np.minimum(events, draw()).astype(float),
        onesided=np.zeros_like(events),
        codes=("SY-RA", "SY-DY", "SY-HA", "SY-HL"),
        context=events + draw(),
        districts=np.minimum(events, 3).astype(float),
        new_districts=np.minimum(events, draw()).astype(float),
        civilian_deaths=draw().astype(float),
    )


def test_no_feature_reads_the_target_month_or_later() -> None:
    # Every feature of month t, computed on a panel whose every array is redrawn from t on,
    # must not change: a feature that reads month t (or later) leaks the outcome.
    panel = _sparse_panel(np.random.default_rng(41))
    model = SurgeModel(features=tuple(FEATURES))
    a = adjacency_matrix(panel.codes, load_adjacency())
    names = ("events", "is_events", "fatalities", "nonstate", "onesided", "context",
             "districts", "new_districts", "civilian_deaths")  # fmt: skip
    for t in range(6, 20):
        other = _sparse_panel(np.random.default_rng(100 + t))
        redrawn = {n: getattr(panel, n).copy() for n in names}
        for n in names:
            redrawn[n][:, t:] = getattr(other, n)[:, t:]
        changed = dataclasses.replace(panel, **redrawn)
        np.testing.assert_array_equal(model.matrix(panel, t, a), model.matrix(changed, t, a))


def test_actor_model_and_its_options_never_see_the_future() -> None:
    # A burst of the actor's events in every unit from month `cut` on (surges, so that the
    # recalibration's outcomes change too) must not reach a forecast up to `cut`.
    rng = np.random.default_rng(31)
    units, codes = ["A", "B", "C"], ("SY-RA", "SY-DY", "SY-HA")
    base = [
        dataclasses.replace(row, adm_2=f"d{int(rng.integers(0, 4))}")
        for row in _random_rows(rng, units, MONTHS)
        if rng.random() < 0.5
    ]
    cut = 15
    burst = [
        UcdpRow(u, m, islamic_state=True, adm_2=f"new{k % 5}", fatalities=5)
        for u in units
        for m in MONTHS[cut:]
        for k in range(60)
    ]
    changed = base + burst
    panels = [
        dataclasses.replace(panel_from_rows(r, counted=[x.islamic_state for x in r]), codes=codes)
        for r in (base, changed)
    ]
    model = actor_model()
    assert {"new_districts", "spread3"} <= set(model.features)
    for variant in (
        model,
        dataclasses.replace(model, half_life=6.0),
        dataclasses.replace(model, recalibrate=True),
    ):
        fa, fb = (variant.forecast(p) for p in panels)
        np.testing.assert_allclose(fa[:, 6 : cut + 1], fb[:, 6 : cut + 1], rtol=1e-9, atol=1e-12)
        assert not np.allclose(fa[:, cut + 1 :], fb[:, cut + 1 :])
    plain = model.forecast(panels[0])
    for option in ({"half_life": 6.0}, {"recalibrate": True}):
        # ... and each option does change the forecasts.
        assert not np.allclose(dataclasses.replace(model, **option).forecast(panels[0])[:, 8:],
                               plain[:, 8:])  # fmt: skip


def test_weighted_ridge_equals_repeating_rows() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(12, 2))
    y = x @ np.array([1.0, -2.0]) + rng.normal(size=12)
    twice = np.array([2.0] * 6 + [1.0] * 6)
    repeated = _fit_ridge(np.vstack([x, x[:6]]), np.concatenate([y, y[:6]]), 0.0)
    weighted = _fit_ridge(x, y, 0.0, twice)
    q = rng.normal(size=(3, 2))
    np.testing.assert_allclose(weighted(q), repeated(q), rtol=1e-9)


def test_platt_fit_recovers_a_known_map() -> None:
    rng = np.random.default_rng(8)
    x = rng.normal(size=4000)
    y = (rng.random(4000) < 1 / (1 + np.exp(-(-1.0 + 0.5 * x)))).astype(float)
    a, b = _fit_platt(x, y, penalty=0.0)
    assert a == pytest.approx(-1.0, abs=0.15) and b == pytest.approx(0.5, abs=0.1)
    # The penalty pulls toward the identity map (a=0, b=1).
    a2, b2 = _fit_platt(x[:40], y[:40], penalty=1000.0)
    assert abs(a2) < 0.05 and abs(b2 - 1.0) < 0.05


def test_reader_takes_districts_and_civilian_deaths_when_present(tmp_path: Path) -> None:
    src = tmp_path / "ged.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["adm_1", "adm_2", "date_start", "side_a", "side_b", "type_of_violence",
                    "best", "deaths_civilians"])  # fmt: skip
        w.writerow(["Homs governorate", "Tadmur district", "2017-03-02", "IS", "SDF", 1, 7, 3])
        w.writerow(["Homs governorate", "", "2017-03-04", "IS", "SDF", 1, 2, ""])
    rows, skipped = read_ucdp_rows(src)
    assert not skipped
    assert (rows[0].adm_2, rows[0].civilian_deaths) == ("Tadmur district", 3)
    assert (rows[1].adm_2, rows[1].civilian_deaths) == ("", 0)
