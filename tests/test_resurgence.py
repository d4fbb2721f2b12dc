"""Resurgence warnings: each signal of one actor against its own past, on small stores we build."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import MOSUL, RecordFactory
from harbinger.analyze.resurgence import (
    EVENT_SIGNAL_NAMES,
    ResurgenceSettings,
    ResurgenceWarning,
    actor_statements,
    repertoire_by_month,
    resurgence,
    strength_estimates,
)
from harbinger.analyze.warnings import compute_warnings
from harbinger.cli import app
from harbinger.errors import KnowledgeError
from harbinger.knowledge import read_yaml, theatre_dir
from harbinger.knowledge.lens import actor_lens
from harbinger.knowledge.resurgence import load_resurgence, parse_resurgence
from harbinger.records import Evidence, Place
from harbinger.store import Store
from tests.stores import ARMY, IS_IRAQ, StoreBuilder

AS_OF = dt.date(2019, 11, 24)  # a Sunday
WINDOW_START = AS_OF - dt.timedelta(days=27)
SINJAR = Place("Sinjar", "Iraq", "IQ", "Nineveh", "IQ-NI", "Sinjar", 36.32, 41.87, 1)
TAL_AFAR = Place("Tal Afar", "Iraq", "IQ", "Nineveh", "IQ-NI", "Tal Afar", 36.37, 42.45, 1)
HASAKAH = Place("Hasakah", "Syria", "SY", "Hasakah", "SY-HA", "Hasakah", 36.50, 40.75, 1)


def week(n: int, day: int = 2) -> dt.date:
    """A day of the n-th week from the window's first (0 .. 3 inside, -26 .. -1 before it)."""
    return WINDOW_START + dt.timedelta(weeks=n, days=day)


@pytest.fixture
def build(fresh_db: Store, make: RecordFactory) -> StoreBuilder:
    return StoreBuilder(fresh_db, make)


def _in(found: list[ResurgenceWarning], code: str) -> ResurgenceWarning:
    by_code = {w.region_code: w for w in found}
    assert code in by_code, f"no result for {code}: {sorted(by_code)}"
    return by_code[code]


# -- activity and fatalities ------------------------------------------------------------------


def test_activity_counts_only_the_actor_family_against_its_own_baseline(
    build: StoreBuilder,
) -> None:
    build.history()
    for n in range(-26, 0, 4):  # one Islamic State event every 4 weeks before the window
        build.event(week(n))
    ids = {build.event(week(n % 4, n % 7), fatalities=3) for n in range(8)}
    # Other actors' fighting in the same governorate does not count.
    for n in range(12):
        build.event(week(n % 4), actor1=ARMY, actor2="Civilians (Iraq)")
    found = resurgence(build.store, "Islamic State", as_of=AS_OF, include_quiet=True)
    w = _in(found, "IQ-NI")
    activity = w.signal("activity")
    assert activity is not None and activity.value == 8 and activity.fired
    assert activity.baseline == pytest.approx(7 / 26 * 4)
    assert set(activity.event_ids) == ids
    assert [p.value for p in activity.series[-4:]] == [2, 2, 2, 2]
    assert len(activity.series) == 30 and activity.series[-4].start == WINDOW_START
    fatalities = w.signal("fatalities")
    assert fatalities is not None and fatalities.value == 24 and fatalities.score > 0
    assert w.level in ("warning", "alert")
    assert w.reason.startswith("Islamic State: 8 events in Nineveh in the last 4 weeks, 7.4x")
    assert set(w.event_ids) == ids
    # "Daesh", "IS" and the Iraq branch's own name are the same family here.
    for query in ("Daesh", "IS", IS_IRAQ):
        again = _in(resurgence(build.store, query, as_of=AS_OF, include_quiet=True), "IQ-NI")
        assert again.signal("activity").value == 8  # type: ignore[union-attr]


def test_another_actors_surge_raises_no_actor_warning(build: StoreBuilder) -> None:
    build.history()
    for n in range(12):
        build.event(week(n % 4), HASAKAH, actor1="Military Forces of Turkey", actor2="SDF")
    build.event(week(-10), HASAKAH, actor1="SDF", actor2="Islamic State (Syria)")
    assert any(w.region_code == "SY-HA" for w in compute_warnings(build.store, as_of=AS_OF))
    assert resurgence(build.store, "Islamic State", as_of=AS_OF) == []


def test_steady_activity_raises_nothing(build: StoreBuilder) -> None:
    build.history()
    for n in range(-26, 4):
        build.event(week(n))
    found = resurgence(build.store, "Islamic State", as_of=AS_OF, include_quiet=True)
    w = _in(found, "IQ-NI")
    assert w.level is None
    assert w.signal("activity").score == 0  # type: ignore[union-attr]
    assert resurgence(build.store, "Islamic State", as_of=AS_OF) == []


# -- spread ------------------------------------------------------------------------------------


def test_spread_counts_places_after_three_quiet_months(build: StoreBuilder) -> None:
    build.history()
    for n in range(-26, 4):  # Mosul: every week, so never a return
        build.event(week(n))
    build.event(week(-20), SINJAR)  # Sinjar: seen, then 19 weeks without
    back = build.event(week(1), SINJAR)
    build.event(week(2), SINJAR)  # the same return, not a second one
    new = build.event(week(2), TAL_AFAR)  # never seen, in a store that covers the months before
    build.event(week(-6), HASAKAH, actor1="SDF", actor2="Islamic State (Syria)")
    not_yet = build.event(week(3), HASAKAH, actor1="SDF", actor2="Islamic State (Syria)")
    found = resurgence(build.store, "Islamic State", as_of=AS_OF, include_quiet=True)
    spread = _in(found, "IQ-NI").signal("spread")
    assert spread is not None
    assert spread.value == 2 and set(spread.event_ids) == {back, new}
    assert dict(spread.breakdown) == {"Sinjar": 1, "Tal Afar": 1}
    assert "back in 2 places after 13+ weeks without its events" in _in(found, "IQ-NI").reason
    # Hasakah's events were 9 weeks apart: no return.
    hasakah = _in(found, "SY-HA").signal("spread")
    assert hasakah is not None and hasakah.value == 0 and not_yet not in hasakah.event_ids


def test_a_governorate_return_counts_once_and_needs_covered_weeks(
    build: StoreBuilder, tmp_path: Path, make: RecordFactory
) -> None:
    build.history()
    back = build.event(week(1), HASAKAH, actor1="SDF", actor2="Islamic State (Syria)")
    found = resurgence(build.store, "Islamic State", as_of=AS_OF, include_quiet=True)
    spread = _in(found, "SY-HA").signal("spread")
    assert spread is not None and spread.event_ids == (back,)
    assert dict(spread.breakdown) == {"Hasakah": 1}  # the governorate, not also its district
    # A store that begins with the window cannot tell a return from its own beginning.
    young = StoreBuilder(Store(f"sqlite:///{tmp_path / 'young.db'}"), make)
    young.event(week(1), HASAKAH, actor1="SDF", actor2="Islamic State (Syria)")
    found = resurgence(young.store, "Islamic State", as_of=AS_OF, include_quiet=True)
    assert _in(found, "SY-HA").signal("spread").value == 0  # type: ignore[union-attr]
    young.store.close()


# -- repertoire --------------------------------------------------------------------------------


def test_repertoire_recognises_tactics_from_types_targets_and_words() -> None:
    repertoire = load_resurgence().repertoire
    assert repertoire.tactics_of("Remote explosive/landmine/IED", []) == ("ied",)
    assert repertoire.tactics_of("Attack", ["Gunmen shot the mukhtar of the village."]) == (
        "assassination",
    )
    # A target word counts only in the events its tactic names: a mukhtar who speaks of a clash.
    assert repertoire.tactics_of("Armed clash", ["The mukhtar said the clashes went on."]) == ()
    assert repertoire.tactics_of("Armed clash", ["Militants attacked an army checkpoint."]) == (
        "checkpoint",
    )
    assert repertoire.tactics_of("Armed clash", ["Militants attacked a village overnight."]) == (
        "night_raid",
    )
    assert repertoire.tactics_of("Looting/property destruction", ["They burned wheat fields."]) == (
        "crop_burning",
    )
    assert repertoire.tactics_of("Armed clash", ["Soldiers clashed with militants."]) == ()


def test_repertoire_share_rises_against_the_baseline_share(build: StoreBuilder) -> None:
    build.history()
    for n in range(-26, 0, 2):
        build.event(week(n))  # 13 armed clashes, no insurgent tactic
    tactic_ids = {
        build.event(week(0), sub_event_type="Remote explosive/landmine/IED",
                    event_type="Explosions/Remote violence"),
        build.event(week(1), sub_event_type="Attack", event_type="Violence against civilians",
                    actor2="Civilians (Iraq)", actor1=IS_IRAQ,
                    sentence="Militants assassinated the mukhtar of a village."),
        build.event(week(2), sentence="Militants attacked an army checkpoint at night."),
        build.event(week(3), sentence="Militants kidnapped two shepherds."),
    }  # fmt: skip
    plain = build.event(week(3), sentence="The mukhtar said clashes continued.")
    found = resurgence(build.store, "Islamic State", as_of=AS_OF, include_quiet=True)
    signal = _in(found, "IQ-NI").signal("repertoire")
    assert signal is not None and signal.fired
    assert signal.value == pytest.approx(4 / 5)
    assert signal.baseline is not None and signal.baseline < 0.1
    assert set(signal.event_ids) == tactic_ids and plain not in signal.event_ids
    labels = dict(signal.breakdown)
    assert labels["IEDs and mines"] == 1 and labels["attacks on checkpoints and posts"] == 1
    assert labels["assassinations of local figures"] == 1 and labels["kidnapping"] == 1
    assert "insurgent tactics in 4 of 5 events (80%" in _in(found, "IQ-NI").reason
    months = repertoire_by_month(build.store, "Daesh", since=WINDOW_START)
    assert sum(m.insurgent for m in months) == 4 and sum(m.events for m in months) == 5


# -- claims and text signals --------------------------------------------------------------------


def test_claims_of_responsibility_count_only_the_actors_own(build: StoreBuilder) -> None:
    build.history()
    build.event(week(-20))
    mine = {
        build.claim(week(k), stance="claim of responsibility", speaker="Islamic State",
                    about_actor="Islamic State", place=MOSUL)
        for k in range(3)
    }  # fmt: skip
    build.claim(week(1), stance="claim of responsibility", speaker="PKK", about_actor="PKK",
                place=MOSUL)  # fmt: skip
    found = resurgence(build.store, "Islamic State", as_of=AS_OF, include_quiet=True)
    claims = _in(found, "IQ-NI").signal("claims")
    assert claims is not None and claims.value == 3 and claims.fired
    assert set(claims.claim_ids) == mine
    assert set(_in(found, "IQ-NI").claim_ids) >= mine
    assert "3 claims of responsibility" in _in(found, "IQ-NI").reason


def test_text_signals_raise_at_most_a_watch_and_name_their_evidence(build: StoreBuilder) -> None:
    build.history()
    earlier = build.indicator(week(-30), kind="strength", value=10000.0, actor="Islamic State")
    rising = build.indicator(week(1), kind="strength", value=20000.0, actor="Islamic State")
    pullout = build.indicator(
        week(2), kind="withdrawal", value="withdrawal of forces",
        actor="Military Forces of the United States", place=MOSUL,
    )  # fmt: skip
    # Its own "withdrawal" is not the withdrawal of the forces that contain it.
    build.indicator(week(2), kind="withdrawal", value="withdrawal", actor="Islamic State")
    at_large = build.indicator(week(0), kind="leadership", value="at large", actor=None)
    breakout = build.claim(
        week(3), stance="concern", about_actor="Islamic State", text="Inmates escaped.",
        place=MOSUL,
        evidence=(Evidence("Dozens of detainees escaped after militants stormed the prison.",
                           0, 60),),
    )  # fmt: skip
    unplaced = build.indicator(
        week(1), kind="resurgence", value="regrouping", actor="Islamic State", place=None
    )
    found = resurgence(build.store, "Islamic State", as_of=AS_OF)
    # A report that names no place counts for the theatre as a whole, not for Nineveh.
    theatre = _in(found, "iraq_syria")
    assert theatre.area == "theatre" and theatre.region == "Iraq and Syria"
    assert unplaced in theatre.indicator_ids
    w = _in(found, "IQ-NI")
    assert unplaced not in w.indicator_ids
    assert w.level == "watch"  # text alone: never a warning
    names = {s.name: s for s in w.signals}
    assert names["text:strength_rising"].value == 20000 and names["text:strength_rising"].fired
    assert names["text:strength_rising"].baseline == 10000
    assert names["text:withdrawal"].indicator_ids == (pullout,)
    assert names["text:leaders_at_large"].indicator_ids == (at_large,)
    assert names["text:prison_break"].claim_ids == (breakout,)
    assert w.score == pytest.approx(1.5)  # capped: 0.5 + 0.5 + 0.3 + 0.8 > 1.5
    assert {rising, pullout, at_large} <= set(w.indicator_ids) and earlier not in w.indicator_ids
    assert "text signals:" in w.reason and "1 prison break" in w.reason
    lower = ResurgenceSettings(text_cap=1.0)
    assert resurgence(build.store, "Islamic State", as_of=AS_OF, settings=lower) == []
    estimates = strength_estimates(build.store, "Daesh")
    assert [(e.value, e.indicator_id) for e in estimates] == [(10000, earlier), (20000, rising)]


def test_routine_statements_add_nothing_beyond_their_baseline(build: StoreBuilder) -> None:
    build.history()
    for n in range(-26, 4, 4):  # a warning statement every 4 weeks, window included
        build.claim(week(n), stance="warning", about_actor="Islamic State", place=MOSUL)
    build.claim(week(1), stance="reassurance", about_actor="Islamic State", place=MOSUL)
    found = resurgence(build.store, "Islamic State", as_of=AS_OF, include_quiet=True)
    w = _in(found, "IQ-NI")
    warnings = w.signal("text:warning_statements")
    assert warnings is not None and warnings.value == 1 and warnings.score == 0
    assert w.level is None
    said = actor_statements(build.store, "IS", since=WINDOW_START)
    assert [c.stance for c in said] == ["reassurance", "warning"]


# -- the record and its JSON --------------------------------------------------------------------


def test_result_shape_is_stable(build: StoreBuilder) -> None:
    build.history()
    for n in range(8):
        build.event(week(n % 4))
    found = resurgence(build.store, actor_lens("Islamic State"), as_of=AS_OF, region="Nineveh")
    assert [w.region_code for w in found] == ["IQ-NI"]
    d = json.loads(json.dumps(found[0].to_dict()))
    assert set(d) == {
        "id", "actor", "region", "region_code", "area", "period_start", "period_end", "level",
        "score", "reason", "signals", "event_ids", "claim_ids", "indicator_ids", "evidence",
    }  # fmt: skip
    assert [s["name"] for s in d["signals"]][:5] == list(EVENT_SIGNAL_NAMES)
    assert set(d["signals"][0]) == {
        "name", "kind", "value", "baseline", "score", "weight", "contribution", "fired",
        "summary", "series", "breakdown", "event_ids", "claim_ids", "indicator_ids",
    }  # fmt: skip
    assert set(d["signals"][0]["series"][0]) == {"start", "value"}
    assert d["actor"] == "Islamic State" and d["area"] == "admin1"
    plain = found[0].to_warning()
    assert plain.level == d["level"] and plain.event_ids == found[0].event_ids


def test_knowledge_file_is_validated(tmp_path: Path) -> None:
    data = read_yaml(theatre_dir("iraq_syria") / "resurgence.yaml")
    parse_resurgence(data, "resurgence.yaml")  # the shipped file is valid
    bad = dict(data, tactics=[{"id": "x", "label": "X", "sub_event_types": ["Ambush"]}])
    with pytest.raises(KnowledgeError, match="'Ambush' is not an ACLED sub-event type"):
        parse_resurgence(bad, "resurgence.yaml")
    weights = dict(data["weights"])
    del weights["spread"]
    with pytest.raises(KnowledgeError, match="weights: 'spread' is missing"):
        parse_resurgence(dict(data, weights=weights), "resurgence.yaml")
    loose = {"id": "y", "label": "Y", "targets": ["mukhtar"]}
    with pytest.raises(KnowledgeError, match="targets need target_sub_event_types"):
        parse_resurgence(dict(data, tactics=[loose]), "resurgence.yaml")


# -- the commands ------------------------------------------------------------------------------


def test_warnings_command_with_an_actor(build: StoreBuilder) -> None:
    build.history()
    for n in range(-26, 0, 4):
        build.event(week(n))
    for n in range(8):
        build.event(week(n % 4), fatalities=3)
    url = build.store.url
    runner = CliRunner()
    result = runner.invoke(
        app, ["warnings", "--db", url, "--actor", "Daesh", "--as-of", AS_OF.isoformat(), "-f",
              "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["as_of"] == AS_OF.isoformat()
    assert payload["actor"]["label"] == "Islamic State" and payload["actor"]["known"] is True
    assert {"Islamic State (Iraq)", "Islamic State (Syria)"} <= set(payload["actor"]["names"])
    nineveh = next(w for w in payload["warnings"] if w["region_code"] == "IQ-NI")
    assert nineveh["level"] in ("warning", "alert") and len(nineveh["event_ids"]) == 8
    table = runner.invoke(app, ["warnings", "--db", url, "--actor", "Islamic State",
                                "--as-of", AS_OF.isoformat(), "--region", "IQ-NI"])  # fmt: skip
    assert table.exit_code == 0, table.output
    assert "resurgence warning(s) for Islamic State" in table.stdout
    assert "behind it: 8 events" in table.stdout
    nobody = runner.invoke(app, ["warnings", "--db", url, "--actor", "Nobody Brigade"])
    assert nobody.exit_code == 0
    assert "'Nobody Brigade' is not in the actor knowledge" in nobody.stderr
    assert "No resurgence warnings for Nobody Brigade" in nobody.stdout
    empty = runner.invoke(app, ["warnings", "--db", url, "--actor", " "])
    assert empty.exit_code == 2


def test_events_command_takes_the_family_through_the_lens(build: StoreBuilder) -> None:
    mine = {
        build.event(week(0)),
        build.event(week(1), HASAKAH, actor1="SDF", actor2="Islamic State (Syria)"),
    }
    build.event(week(1), HASAKAH, actor1="Military Forces of Turkey", actor2="SDF")
    runner = CliRunner()
    for query in ("Daesh", "IS", "Islamic State"):
        result = runner.invoke(
            app, ["events", "--db", build.store.url, "--actor", query, "-f", "json"]
        )
        assert result.exit_code == 0, result.output
        assert {e["id"] for e in json.loads(result.stdout)["events"]} == mine, query
    help_text = runner.invoke(app, ["events", "--help"]).stdout
    assert "Daesh" in " ".join(help_text.split())
