"""Tolls and actors by role (issue 11, items 3 and 4), on short reports written for these tests.

One incident reported with several figures gets the most conservative as ``fatalities`` and the
range as ``fatalities_low``/``fatalities_high``, never the sum of the sources; several outcomes in
one clause take the type of the gravest act, each count in its own field; whoever announces an
event is not a party to it; a rocket-propelled grenade fired in an ambush is no hand grenade.
"""

from __future__ import annotations

import datetime as dt

import pytest

from harbinger.ingest import parse_text
from tests.helpers import REPORT_HEADER, coder, events_of, only_event

# -- tolls -----------------------------------------------------------------------------------------


def test_two_sources_of_one_toll_give_the_lower_and_a_range_not_the_sum() -> None:
    e = only_event(
        "Islamic State fighters ambushed a bus carrying soldiers near Palmyra in the Homs desert "
        "on Tuesday. The state news agency said 25 soldiers were killed. A war monitor said 37 "
        "people were killed, most of them soldiers."
    )
    assert (e.fatalities, e.fatalities_low, e.fatalities_high) == (25, 25, 37)
    # The soldiers are the side hit; "people" in the monitor's toll does not make them civilians.
    assert e.actor2 is not None and e.actor2.startswith("Military Forces of Syria")
    assert e.sub_event_type == "Armed clash"


def test_two_sources_in_one_sentence() -> None:
    e = only_event(
        "Militants attacked an army post near Khanaqin in Diyala province on Wednesday, killing "
        "eight soldiers according to the army, while a local official said 11 soldiers died."
    )
    assert (e.fatalities, e.fatalities_low, e.fatalities_high) == (8, 8, 11)


def test_counts_that_add_to_a_toll_are_added() -> None:
    e = only_event(
        "Islamic State militants attacked a checkpoint near Tarmiyah north of Baghdad on Monday, "
        "killing four soldiers, the army said. Two civilians were also killed in the attack."
    )
    assert e.fatalities == 6


def test_groups_of_one_unattributed_report_are_added() -> None:
    e = only_event(
        "A roadside bomb killed three soldiers and two civilians near Tuz Khurmatu on Thursday."
    )
    assert e.fatalities == 5
    # ACLED: the forces a bomb hit are actor 2, the civilians it harmed associated with them.
    assert e.actor2 is not None and e.actor2.startswith("Military Forces of Iraq")
    assert e.assoc_actor2 == "Civilians (Iraq)"


# -- the gravest act -------------------------------------------------------------------------------


def test_killing_and_kidnapping_in_one_clause_is_an_attack_with_the_dead_as_its_toll() -> None:
    e = only_event(
        "Gunmen killed seven shepherds and kidnapped two others in the desert west of Rutba on "
        "Tuesday, a security source said.",
        date="4 February 2021",
    )
    assert e.sub_event_type == "Attack"
    assert e.fatalities == 7
    assert e.actor2 == "Civilians (Iraq)"


def test_kidnapping_alone_stays_an_abduction() -> None:
    e = only_event(
        "Gunmen kidnapped three shepherds in the desert west of Rutba on Tuesday, a security "
        "source said.",
        date="4 February 2021",
    )
    assert e.sub_event_type == "Abduction/forced disappearance"
    assert e.fatalities == 0


def test_a_figure_shared_by_kidnapped_and_killed_counts_as_killed() -> None:
    e = only_event(
        "Islamic State militants kidnapped and killed four herders near Rutba on Tuesday.",
        date="4 February 2021",
    )
    assert e.sub_event_type == "Attack"
    assert e.fatalities == 4


@pytest.mark.parametrize("weapon", ["rocket-propelled grenades", "RPGs"])
def test_rocket_propelled_grenades_in_an_ambush_are_a_clash_not_a_grenade(weapon: str) -> None:
    e = only_event(
        "Islamic State militants ambushed an army convoy near Khanaqin in Diyala province on "
        f"Wednesday, firing {weapon} and machine guns at the vehicles, killing three soldiers."
    )
    assert e.sub_event_type == "Armed clash"
    assert e.fatalities == 3


def test_a_hand_grenade_is_still_a_grenade() -> None:
    e = only_event(
        "An unidentified man threw a hand grenade at a shop in Kirkuk on Wednesday, wounding two "
        "people."
    )
    assert e.sub_event_type == "Grenade"


# -- actors by role ---------------------------------------------------------------------------------


def test_the_command_that_announces_an_operation_is_not_a_party() -> None:
    e = only_event(
        "Iraqi forces killed four Islamic State militants in an operation south of Kirkuk, the "
        "Joint Operations Command said in a statement on Sunday.",
        date="20 June 2021",
    )
    assert e.actor1 is not None and e.actor1.startswith("Military Forces of Iraq")
    assert e.assoc_actor1 is None
    assert e.actor2 == "Islamic State (Iraq)"


def test_a_spokesman_of_a_command_does_not_make_it_an_ally() -> None:
    e = only_event(
        "Security forces arrested five Islamic State suspects in Fallujah on Saturday, according "
        "to a statement from the Joint Operations Command.",
        date="20 June 2021",
    )
    assert e.sub_event_type == "Arrests"
    assert e.arrests == 5
    assert e.assoc_actor1 is None


def test_an_actor_the_text_makes_a_party_stays_one() -> None:
    e = only_event(
        "Iraqi troops and fighters of the Popular Mobilization Forces clashed with Islamic State "
        "militants near Baiji on Friday, the army said.",
        date="20 June 2021",
    )
    assert e.assoc_actor1 is not None and "Popular Mobilization Forces" in e.assoc_actor1


def test_notes_without_a_date_do_not_begin_with_a_comma() -> None:
    doc = parse_text(
        "Islamic State militants attacked an army post near Khanaqin in Diyala province, killing "
        "two soldiers.",
        "undated.txt",
    )
    events = coder().code(doc).events
    assert events
    assert not events[0].notes.startswith(",")
    assert events[0].notes.startswith("Islamic State")


def test_event_dates_are_those_of_the_report() -> None:
    e = only_event(
        "Islamic State militants attacked an army post near Khanaqin in Diyala province on "
        "Wednesday, killing two soldiers."
    )
    assert e.date == dt.date(2021, 3, 10)


# -- words in their grammar ------------------------------------------------------------------------


def test_a_place_phrase_is_not_what_a_verb_takes() -> None:
    # "took place in the town" takes no town (a verb-object pattern needs the object).
    e = only_event(
        "On Friday, clashes took place between two rebel factions in the Ashrafieh neighbourhood "
        "of Afrin city. No casualties were reported.",
        date="10 May 2021",
    )
    assert e.sub_event_type == "Armed clash"


def test_capturing_a_town_is_still_a_change_of_territory() -> None:
    e = only_event(
        "Iraqi forces recaptured the village of Imam Gharbi from Islamic State militants on Friday.",
        date="10 May 2021",
    )
    assert e.sub_event_type == "Government regains territory"


def test_a_word_inside_an_actors_name_is_no_trigger() -> None:
    # "Air Force" names an intelligence branch here, not an air strike.
    e = only_event(
        "On Monday, two members of the regime's Air Force Intelligence were killed when unidentified "
        "gunmen opened fire on them near Nahta in Daraa.",
        date="10 May 2021",
    )
    assert e.sub_event_type == "Armed clash"
    assert e.fatalities == 2


def test_an_unidentified_drone_is_still_a_drone_strike() -> None:
    e = only_event(
        "On Monday, an unidentified drone struck a militia position near Mayadin in Deir ez-Zor.",
        date="10 May 2021",
    )
    assert e.sub_event_type == "Air/drone strike"


def test_weapons_named_in_a_seizure_phrase_can_still_be_fired() -> None:
    e = only_event(
        "Assailants fired mortar shells at an army headquarters in Samarra on Saturday.",
        date="26 October 2015",
    )
    assert e.sub_event_type == "Shelling/artillery/missile attack"


def test_weapons_that_are_seized_are_disrupted_weapons_use() -> None:
    e = only_event(
        "Iraqi troops seized a cache of mortar shells in a farmhouse near Rawa on Saturday.",
        date="26 October 2015",
    )
    assert e.sub_event_type == "Disrupted weapons use"


@pytest.mark.parametrize(
    ("sentence", "fatalities"),
    [
        ("On Friday, a young boy was killed by stray gunfire in the town of Sarmada.", 1),
        ("On Friday, Islamic State fighters shot dead a soldier near Palmyra.", 1),
        ("On Friday, a roadside bomb killed a farmer and wounded two others near Tuz Khurmatu.", 1),
    ],
)
def test_a_single_person_killed_counts_one(sentence: str, fatalities: int) -> None:
    assert only_event(sentence, date="10 May 2021").fatalities == fatalities


def test_killing_a_soldier_is_a_battle_against_the_state() -> None:
    e = only_event(
        "On Friday, Islamic State fighters shot dead a soldier near Palmyra.", "10 May 2021"
    )
    assert e.sub_event_type == "Armed clash"
    assert e.actor2 is not None and e.actor2.startswith("Military Forces of Syria")


def test_opening_fire_at_a_person_is_an_attack() -> None:
    e = only_event(
        "On Thursday, gunmen opened fire at a man near a checkpoint in Daraa city, wounding him.",
        date="10 May 2021",
    )
    assert e.sub_event_type == "Attack"
    assert e.actor2 == "Civilians (Syria)"


def test_a_crowd_is_named_as_acled_names_it() -> None:
    e = only_event(
        "On Friday, a large demonstration took place in the town of Sarmada in Idlib province, "
        "denouncing plans to open trade crossings.",
        date="10 May 2021",
    )
    assert e.sub_event_type == "Peaceful protest"
    assert e.actor1 == "Protesters (Syria)"
    e = only_event(
        "On Friday, residents of Raqqa protested against fuel prices, marching to the council.",
        date="10 May 2021",
    )
    assert e.actor1 == "Protesters (Syria)"


def test_burning_crops_is_property_destruction_by_the_group() -> None:
    e = only_event(
        "On Friday, Islamic State militants set fire to wheat fields near Makhmour.",
        date="10 May 2021",
    )
    assert e.sub_event_type == "Looting/property destruction"
    assert e.actor1 == "Islamic State (Iraq)"


def test_protesters_burning_a_building_is_a_riot() -> None:
    e = only_event(
        "On Friday, angry protesters set fire to the provincial council building in Nasiriyah.",
        date="10 May 2021",
    )
    assert e.sub_event_type == "Violent demonstration"
    assert e.actor1 == "Rioters (Iraq)"


def test_whom_a_peaceful_protest_denounces_is_no_party() -> None:
    e = only_event(
        "On Friday, hundreds of people demonstrated in the town of Ariha in Idlib province against "
        "the plans of Hayat Tahrir al-Sham to open crossings.",
        date="10 May 2021",
    )
    assert e.sub_event_type == "Peaceful protest"
    assert (e.actor1, e.actor2) == ("Protesters (Syria)", None)


@pytest.mark.parametrize(
    "sentence",
    [
        "On Friday, unidentified gunmen assassinated a police colonel in Raqqa city.",
        "On Thursday, the body of a farmer with gunshot wounds was found in fields near Rutba.",
        "On Wednesday, a man's body was found on a road near Rutba.",
    ],
)
def test_one_death_without_a_number(sentence: str) -> None:
    assert only_event(sentence, date="10 May 2021").fatalities == 1


@pytest.mark.parametrize(
    ("sentence", "killed", "wounded"),
    [
        (
            "A car bomb exploded in Hillah on Monday. Six people were killed and three more injured.",
            6,
            3,
        ),
        (
            "A car bomb exploded in Hillah on Monday. One person was killed and another five injured.",
            1,
            5,
        ),
        (
            "Militants attacked a police post in Hillah on Monday. Two police officers were killed and "
            "another two injured in the assault.",
            2,
            2,
        ),
    ],
)
def test_killed_and_elided_injured(sentence: str, killed: int, wounded: int) -> None:
    e = only_event(sentence, date="10 May 2021")
    assert (e.fatalities, e.wounded) == (killed, wounded)


@pytest.mark.parametrize(
    ("sentence", "fatalities"),
    [
        (
            "A suicide bomber blew himself up at a checkpoint in Kut on Monday. In addition to the "
            "bomber, five people were killed.",
            6,
        ),
        (
            "A suicide bomber blew himself up at a checkpoint in Kut on Monday, killing six people, "
            "including the bomber.",
            6,
        ),
    ],
)
def test_a_suicide_bombing_counts_its_bomber(sentence: str, fatalities: int) -> None:
    assert only_event(sentence, date="10 May 2021").fatalities == fatalities


def test_two_suicide_bombers_are_two_more_deaths() -> None:
    e = only_event(
        "Two suicide bombers blew themselves up at a market in Kut on Monday, killing 12 people.",
        date="10 May 2021",
    )
    assert e.fatalities == 14


def test_aircraft_that_strike_make_an_air_strike() -> None:
    e = only_event(
        "Iraqi army aircraft struck a hideout of Islamic State militants in the Makhoul "
        "mountains near Baiji on Monday, the army said.",
        date="11 May 2021",
    )
    assert e.sub_event_type == "Air/drone strike"
    assert e.actor1 is not None and e.actor1.startswith("Military Forces of Iraq")
    assert e.actor2 == "Islamic State (Iraq)"


def test_a_year_after_since_is_no_toll() -> None:
    events = events_of(
        "Islamic State militants attacked an army post near Khanaqin on Monday, killing two "
        "soldiers. The number of soldiers killed in the province since the beginning of 2021 has "
        "thus risen to 312.",
        date="11 May 2021",
    )
    assert all(e.fatalities < 300 for e in events)


def test_a_line_without_punctuation_is_cut_into_sentences_the_parser_can_take() -> None:
    words = "the militants moved across the desert near Rutba and the farmers watched them go"
    doc = parse_text(REPORT_HEADER.format(date="10 May 2021") + " ".join([words] * 400), "long.txt")
    ctx = coder().prepare(doc, force=True)
    assert len(ctx.sentences) > 10
    assert max(len(s.text.split()) for s in ctx.sentences) <= 160


def test_evidence_is_capped_and_the_count_kept() -> None:
    sentence = (
        "Islamic State militants attacked an army checkpoint near Tarmiyah on Sunday, killing "
        "two soldiers. "
    )
    events = events_of(sentence * 60, date="10 May 2021")
    assert len(events) == 1
    assert len(events[0].evidence) == 25
    assert "the first 25 of the 60 sentences that report it" in events[0].notes


def test_nobody_claiming_is_no_claim_and_a_shelling_has_an_unidentified_actor() -> None:
    doc = parse_text(
        REPORT_HEADER.format(date="11 May 2021")
        + "A mortar round hit farmland near Tarmiyah on Monday, wounding a farmer. "
        "No group claimed responsibility.",
        "test.txt",
    )
    coded = coder().code(doc)
    assert not any(c.speaker.lower().startswith("no ") for c in coded.claims)
    assert [e.actor1 for e in coded.events] == ["Unidentified Armed Group (Iraq)"]


def test_the_attackers_withdrawing_is_more_of_the_same_event() -> None:
    events = events_of(
        "Islamic State militants attacked a police checkpoint near Samarra on Tuesday, killing two "
        "policemen. The attackers withdrew into the desert of the Jazira region after a firefight "
        "that lasted about half an hour, the officer said.",
        date="12 May 2021",
    )
    assert len(events) == 1
    assert events[0].fatalities == 2


# -- generic forms by country, wounding as violence (issue 11, item 4) ----------------------------


@pytest.mark.parametrize(
    ("body", "force"),
    [
        ("Security forces arrested a dozen smugglers in Homs on Monday.", "Police Forces of Syria"),
        (
            "Security forces arrested a dozen smugglers in Basra on Monday.",
            "Military Forces of Iraq",
        ),
        (
            "Government forces shelled a village near Maarat al-Numan in Idlib on Monday.",
            "Military Forces of Syria",
        ),
        (
            "Government forces clashed with militants near Rawa in Anbar on Monday.",
            "Military Forces of Iraq",
        ),
    ],
)
def test_a_generic_force_is_the_state_of_the_country_reported_on(body: str, force: str) -> None:
    e = only_event(body)
    assert e.actor1 is not None and e.actor1.startswith(force), e.actor1


def test_shooting_a_person_is_an_attack_and_wounding_makes_the_victim_a_side() -> None:
    e = only_event("Gunmen shot and wounded a school teacher in Tafas in Daraa on Sunday.")
    assert (e.event_type, e.sub_event_type) == ("Violence against civilians", "Attack")
    assert e.actor2 == "Civilians (Syria)"
    e = only_event("Gunmen wounded three policemen near Baquba in Diyala on Sunday.")
    assert e.sub_event_type == "Armed clash"  # not a strategic development: people were hurt
    assert e.actor2 is not None
    assert e.actor2.startswith(("Military Forces of Iraq", "Police Forces of Iraq"))
    assert e.fatalities == 0


def test_the_people_an_attack_is_aimed_at_are_its_side_hit() -> None:
    e = only_event("Islamic State snipers shot two soldiers near Tuz Khurmatu on Sunday.")
    assert e.sub_event_type == "Armed clash"
    assert e.actor1 == "Islamic State (Iraq)"
    assert e.actor2 is not None
    assert e.actor2.startswith(("Military Forces of Iraq", "Police Forces of Iraq"))


def test_one_found_dead_is_a_death() -> None:
    e = only_event("A shepherd was found killed near Rutba in Anbar province on Sunday.")
    assert e.fatalities == 1
    assert (e.sub_event_type, e.actor2) == ("Attack", "Civilians (Iraq)")


def test_a_coalition_named_with_its_members_stands_in_their_place() -> None:
    e = only_event(
        "Turkish forces and Turkish-backed factions operating under OPS clashed with the SDF near "
        "Ain Issa in Raqqa on Sunday."
    )
    assert {e.actor1, e.actor2} == {"Operation Peace Spring", "QSD: Syrian Democratic Forces"}
    # Without the coalition's name, the members are coded as themselves.
    e = only_event("Turkish forces clashed with the SDF near Ain Issa in Raqqa on Sunday.")
    assert {e.actor1, e.actor2} == {
        "Military Forces of Turkey (2016-)",
        "QSD: Syrian Democratic Forces",
    }


def test_a_place_named_tell_is_not_a_speech_verb() -> None:
    # "Tell Abiad": the speaker rule must not take the subject for one who speaks.
    e = only_event("Russian forces clashed with the SDF near Tell Abiad in Raqqa on Sunday.")
    assert e.actor1 is not None and e.actor1.startswith("Military Forces of Russia")


def test_an_assault_is_a_clash_or_an_attack_by_its_target() -> None:
    e = only_event(
        "Fighters of a rebel faction assaulted a shopkeeper in Afrin in Aleppo on Sunday."
    )
    assert (e.event_type, e.sub_event_type) == ("Violence against civilians", "Attack")
    e = only_event(
        "Islamic State militants launched an assault on army posts near Baiji on Sunday."
    )
    assert e.sub_event_type == "Armed clash"


# -- places: what the sentence itself says about where ---------------------------------------------


def test_a_town_of_another_country_is_not_the_place_of_an_address() -> None:
    # "Bab" and "Sinjar" are both towns, but here parts of one name of a part of Mosul; and a
    # town of Syria cannot be the place of an address that ends in "Nineveh governorate, Iraq".
    e = only_event(
        "A car bomb exploded in the Bab-Sinjar area of Mosul city, Nineveh governorate, Iraq, "
        "on Monday, killing two people."
    )
    assert e.place is not None
    assert (e.place.country_code, e.place.admin1_code) == ("IQ", "IQ-NI")
    assert e.place.name.startswith("Mosul")  # the city, or its district "Mosul - Bab Sinjar"


def test_an_article_and_a_name_is_one_name() -> None:
    e = only_event("A drone struck a militia base in the Al-Hawi area of Deir ez-Zor on Monday.")
    assert e.place is not None and e.place.name != "Deir ez-Zor"


def test_shot_and_killed_counts_the_one_killed() -> None:
    e = only_event("Gunmen shot and killed a soldier in Kirkuk on Monday.")
    assert e.fatalities == 1
    assert e.sub_event_type == "Armed clash"
    assert e.actor2 is not None and "Forces of Iraq" in e.actor2


def test_the_sentence_before_sets_the_scene_of_the_first_event() -> None:
    e = only_event(
        "Gunmen set up a fake checkpoint near Tal Afar in Nineveh province on Monday. Seven "
        "travellers were stopped and killed by the gunmen."
    )
    assert e.fatalities == 7
    assert e.place is not None and e.place.name == "Tal Afar"


def test_clashes_between_two_sides_name_both() -> None:
    e = only_event(
        "Clashes broke out between regime forces and Turkish forces near Ain Issa on Monday."
    )
    assert {e.actor1, e.actor2} == {
        "Military Forces of Syria (2000-2024)",
        "Military Forces of Turkey (2016-)",
    }


def test_what_became_of_a_crowd_is_told_after_the_protest() -> None:
    e = only_event(
        "Hundreds of people demonstrated in Nasiriyah in Dhi Qar on Monday against power cuts. "
        "Police fired tear gas to disperse them."
    )
    assert (e.event_type, e.sub_event_type) == ("Protests", "Protest with intervention")
    assert e.actor1 == "Protesters (Iraq)"


def test_the_police_hit_is_the_police_not_the_army() -> None:
    e = only_event("A roadside bomb killed three policemen in Kirkuk on Monday.")
    assert e.actor2 is not None and e.actor2.startswith("Police Forces of Iraq")
    e = only_event("Islamic State militants attacked a police checkpoint near Tarmiyah on Monday.")
    assert e.actor2 is not None and e.actor2.startswith("Police Forces of Iraq")
    e = only_event("A roadside bomb killed three soldiers near Tarmiyah on Monday.")
    assert e.actor2 is not None and e.actor2.startswith("Military Forces of Iraq")


def test_a_city_then_its_district_is_one_event_at_the_district() -> None:
    e = only_event(
        "A car bomb killed five people in Baghdad on Monday. The bomb exploded in Tayaran "
        "Square, wounding 20 others."
    )
    assert e.place is not None and e.place.name == "Baghdad - Tayaran Square"
    assert e.fatalities == 5


def test_the_doers_own_words_are_not_the_target() -> None:
    # "manning a checkpoint" describes the shooters; the man they shot at is the target.
    e = only_event(
        "Members of the regime's security services manning a checkpoint in Tafas in Daraa "
        "opened fire at a man on Monday."
    )
    assert (e.event_type, e.actor2) == ("Violence against civilians", "Civilians (Syria)")


def test_a_regime_fighter_is_the_state_side() -> None:
    e = only_event("Islamic State fighters shot dead two regime fighters near Palmyra on Monday.")
    assert e.sub_event_type == "Armed clash"
    assert e.actor2 is not None and e.actor2.startswith("Military Forces of Syria")
    assert e.fatalities == 2


def test_outside_of_a_town_is_near_it() -> None:
    e = only_event(
        "Gunmen attacked a checkpoint outside of Muqdadiyah city in Diyala on Monday, killing "
        "two soldiers."
    )
    assert e.place is not None
    assert (e.place.name, e.place.precision) == ("Muqdadiyah", 2)


def test_one_person_named_with_a_possessor_is_one_death_of_that_side() -> None:
    # "a regime's fighter": the article stands before the possessor, and the fighter is the state's.
    e = only_event("Islamic State fighters shot dead a regime's fighter near Mayadin on Tuesday.")
    assert e.fatalities == 1
    assert e.event_type == "Battles"
    assert e.actor2 is not None and e.actor2.startswith("Military Forces of Syria")


def test_the_victim_told_again_is_the_same_event_and_one_death() -> None:
    e = only_event(
        "Gunmen believed to belong to the Islamic State shot dead the mukhtar of a village south "
        "of Mosul on Saturday night, police said. The mukhtar, a father of five, was killed in "
        "front of his house near Qayyarah."
    )
    assert e.fatalities == 1
    assert e.actor1 == "Islamic State (Iraq)"  # "believed to belong to": the group held responsible


def test_another_person_killed_the_next_day_is_another_event() -> None:
    events = events_of(
        "Gunmen shot dead the mukhtar of a village south of Mosul on Saturday night. On Monday, "
        "a shepherd was killed near Qayyarah."
    )
    assert len(events) == 2


def test_a_capture_after_fighting_is_the_change_of_control() -> None:
    # ACLED: a battle in which a place changes hands is coded as the change of control.
    e = only_event(
        "Iraqi forces recaptured the town of Tal Afar from the Islamic State group on Thursday, "
        "the prime minister announced, after an offensive that began on August 20."
    )
    assert e.sub_event_type == "Government regains territory"


def test_an_advance_during_a_clash_stays_a_clash() -> None:
    e = only_event(
        "Iraqi forces clashed with Islamic State fighters near Tal Afar on Thursday as they "
        "advanced on the town."
    )
    assert e.sub_event_type == "Armed clash"


def test_the_act_named_as_the_cause_is_no_part_of_the_days_event() -> None:
    e = only_event(
        "Iraqi troops shelled villages near Rawa on Tuesday in retaliation for an attack that "
        "killed two soldiers."
    )
    assert e.sub_event_type == "Shelling/artillery/missile attack"
    assert e.fatalities == 0


def test_raids_following_a_bombing_do_not_take_its_toll_or_its_victims() -> None:
    e = only_event(
        "Turkish forces carried out raids near Suluk on Tuesday following the targeting of an "
        "Ahrar al-Sharqiya vehicle with an IED, which killed three of its fighters."
    )
    assert e.fatalities == 0
    assert e.actor2 is None or "Ahrar" not in e.actor2


def test_a_death_after_an_attack_told_in_a_clause_is_still_the_events() -> None:
    # "after" heading a clause (not a noun phrase) tells the event itself.
    e = only_event(
        "Two soldiers were killed near Rawa on Tuesday after Islamic State fighters attacked their post."
    )
    assert e.fatalities == 2
    assert e.actor1 == "Islamic State (Iraq)"


@pytest.mark.parametrize(
    ("body", "sub"),
    [
        (
            "Regime forces shelled villages in the Ghab plain on Tuesday amid the overflight of "
            "Russian reconnaissance drones.",
            "Shelling/artillery/missile attack",
        ),
        ("A surveillance drone was shot down near Idlib on Tuesday.", "Disrupted weapons use"),
        (
            "A Turkish drone struck a car near Qamishli on Tuesday, killing two people.",
            "Air/drone strike",
        ),
    ],
)
def test_a_watching_drone_is_no_strike(body: str, sub: str) -> None:
    assert only_event(body).sub_event_type == sub
