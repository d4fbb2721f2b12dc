"""The actor lens: what an analyst types resolves to every name the actor family takes in events."""

from __future__ import annotations

import pytest

from harbinger.knowledge.lens import actor_lens


@pytest.mark.parametrize("typed", ["Islamic State", "islamic state", "IS", "Daesh", "ISIS", "ISIL"])
def test_the_group_by_any_of_its_names_takes_both_branches(typed: str) -> None:
    lens = actor_lens(typed)
    assert lens.known
    assert lens.label == "Islamic State"
    assert {"Islamic State (Iraq)", "Islamic State (Syria)"} <= lens.names
    assert lens.matches("Islamic State (Syria)")
    assert not lens.matches("QSD: Syrian Democratic Forces")


def test_a_branch_by_its_country_name_is_that_branch_only() -> None:
    lens = actor_lens("Islamic State (Iraq)")
    assert lens.matches("Islamic State (Iraq)")
    assert not lens.matches("Islamic State (Syria)")


def test_a_state_force_takes_its_periods_and_units() -> None:
    lens = actor_lens("Military Forces of Iraq")
    assert lens.known
    assert lens.matches("Military Forces of Iraq (2014-2018)")
    assert lens.matches("Military Forces of Iraq (2014-2018) Peshmerga")
    assert not lens.matches("Military Forces of Iraq-ish")
    assert not lens.matches("Islamic State (Iraq)")


def test_an_unknown_name_is_matched_as_written() -> None:
    lens = actor_lens("  Some   Local Brigade ")
    assert not lens.known
    assert lens.names == frozenset({"Some Local Brigade"})
    assert lens.matches("Some Local Brigade")
    assert not lens.matches("Some Local")


def test_party_and_side() -> None:
    lens = actor_lens("Daesh")
    assert lens.is_side("Military Forces of Syria (2000-2024)", "Islamic State (Syria)")
    assert lens.is_party("Civilians (Iraq)", None, "Islamic State (Iraq); Tribesmen", None)
    assert not lens.is_side("Civilians (Iraq)", None)


def test_an_empty_name_is_refused() -> None:
    with pytest.raises(ValueError):
        actor_lens("   ")
