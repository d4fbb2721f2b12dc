"""Who intervened in a protest, and whom an act hit when the text says it indirectly (issue 11).

Short reports written for these tests: the state's forces that disperse a crowd are actor 2 (the
police when the text says police); an armed group that disperses one is too; a protest that forces
"fired into the air to disperse" took place; crops burnt with no victim named are the civilians';
"four of them" counts the people named before.
"""

from __future__ import annotations

import pytest

from tests.helpers import events_of, only_event


@pytest.mark.parametrize(
    ("body", "actor2"),
    [
        ("Police dispersed a protest in Basra on Tuesday.", "Police Forces of Iraq"),
        (
            "Hundreds of graduates protested in Basra on Tuesday demanding jobs. Riot police "
            "fired tear gas to disperse them.",
            "Police Forces of Iraq",
        ),
        (
            "Troops fired tear gas to disperse protesters in Nasiriyah on Tuesday.",
            "Military Forces of Iraq",
        ),
        ("Protesters were dispersed by soldiers in Basra on Tuesday.", "Military Forces of Iraq"),
    ],
)
def test_the_state_forces_that_disperse_a_crowd_are_actor2(body: str, actor2: str) -> None:
    e = only_event(body)
    assert (e.event_type, e.sub_event_type) == ("Protests", "Protest with intervention")
    assert e.actor1 == "Protesters (Iraq)"
    assert e.actor2 is not None and e.actor2.startswith(actor2)


def test_whoever_only_reports_a_dispersal_is_not_the_force() -> None:
    e = only_event("Protesters were dispersed with tear gas in Basra on Tuesday, an official said.")
    assert e.sub_event_type == "Protest with intervention"
    assert e.actor2 is None


def test_a_peaceful_protest_has_no_second_side() -> None:
    e = only_event(
        "Hundreds of graduates protested in Basra on Tuesday demanding jobs, a police officer said."
    )
    assert e.sub_event_type == "Peaceful protest"
    assert e.actor2 is None


def test_an_armed_group_that_disperses_a_protest_fired_to_disperse_it() -> None:
    e = only_event(
        "Fighters of the Syrian Democratic Forces fired into the air to disperse a protest in the "
        "town of Thiban in the eastern countryside of Deir Ezzor on Tuesday evening and arrested "
        "five of the demonstrators, local sources said."
    )
    assert (e.event_type, e.sub_event_type) == ("Protests", "Protest with intervention")
    assert (e.actor1, e.actor2) == ("Protesters (Syria)", "QSD: Syrian Democratic Forces")
    assert e.date is not None and e.date.isoformat() == "2021-03-09"
    assert e.place is not None and e.place.name == "Dhiban"  # "Thiban", another spelling


def test_a_protest_planned_is_no_protest() -> None:
    events = events_of("Residents gathered in Basra on Friday to organise a protest.")
    assert all(e.event_type != "Protests" for e in events)


@pytest.mark.parametrize(
    ("body", "actor2"),
    [
        (
            "Suspected Islamic State militants set fire to wheat and barley fields in three "
            "villages near Daquq on Sunday, burning hundreds of dunams of crops.",
            "Civilians (Iraq)",
        ),
        (
            "Islamic State militants torched houses in a village near Hawija on Sunday.",
            "Civilians (Iraq)",
        ),
    ],
)
def test_property_destroyed_with_no_victim_named_is_the_civilians(body: str, actor2: str) -> None:
    e = only_event(body)
    assert e.sub_event_type == "Looting/property destruction"
    assert e.actor1 == "Islamic State (Iraq)"
    assert e.actor2 == actor2


@pytest.mark.parametrize(
    ("body", "actor2", "fatalities"),
    [
        (
            "A landmine left by the Islamic State group exploded under a car carrying truffle "
            "hunters near Uqayribat in the eastern Hama desert on Monday, killing four of them.",
            "Civilians (Syria)",
            4,
        ),
        (
            "Islamic State fighters attacked a convoy of soldiers near Rawa on Monday, killing three "
            "of them.",
            "Military Forces of Iraq",
            3,
        ),
    ],
)
def test_of_them_counts_the_people_named_before(body: str, actor2: str, fatalities: int) -> None:
    e = only_event(body)
    assert e.actor2 is not None and e.actor2.startswith(actor2)
    assert e.fatalities == fatalities
