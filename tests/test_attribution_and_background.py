"""Who a report holds responsible, whom an attack hit, and what is a place's past (issue 11).

Short reports written for these tests: officials who blame a group for an attack by "gunmen" name
its perpetrator; "repeated attacks" that a town "has seen" are its history, not the day's event;
a member of a local council is a civilian; a subject shared by two coordinated verbs acts in both.
"""

from __future__ import annotations

import pytest

from tests.helpers import events_of, only_event


@pytest.mark.parametrize(
    "blame",
    [
        "Security officials blamed Islamic State militants for the blast.",
        "Local officials blamed the Islamic State for the attack.",
        "Police laid the blame on Islamic State cells.",
        "The authorities accused Islamic State sleeper cells of planting the device.",
        "Officials blamed the bombing on the Islamic State.",
    ],
)
def test_the_group_blamed_for_an_attack_by_unidentified_men_is_its_perpetrator(blame: str) -> None:
    e = only_event(
        "A roadside bomb struck a vehicle carrying three farmers near Tuz Khurmatu on Tuesday, "
        f"killing two of them, police said. {blame}"
    )
    assert e.actor1 == "Islamic State (Iraq)"
    assert e.fatalities == 2


def test_without_blame_the_perpetrator_stays_unidentified() -> None:
    e = only_event(
        "A roadside bomb struck a vehicle carrying three farmers near Tuz Khurmatu on Tuesday, "
        "killing two of them, police said. No group claimed responsibility."
    )
    assert e.actor1 == "Unidentified Armed Group (Iraq)"


def test_a_blamed_state_force_is_no_perpetrator_of_its_own_kind() -> None:
    # Only an armed group other than the state takes the place of "gunmen".
    e = only_event(
        "Gunmen shot dead a shopkeeper in the town of Hajin on Monday evening, activists said. "
        "Relatives blamed the security forces for failing to protect him."
    )
    assert e.actor1 == "Unidentified Armed Group (Syria)"


@pytest.mark.parametrize(
    "background",
    [
        "The town has seen repeated attacks by Islamic State cells this year.",
        "The district has suffered frequent bombings by the Islamic State since 2019.",
        "Previous raids by Islamic State fighters on the town killed dozens.",
    ],
)
def test_a_places_past_is_no_part_of_the_days_event(background: str) -> None:
    e = only_event(
        "Three mortar rounds fired by unidentified assailants landed on farmland in Tarmiyah on "
        f"Thursday, wounding a farmer, police said. {background}"
    )
    assert e.actor1 == "Unidentified Armed Group (Iraq)"
    assert e.actor2 == "Civilians (Iraq)"


def test_ongoing_clashes_of_the_day_are_still_an_event() -> None:
    e = only_event(
        "Ongoing clashes between Islamic State fighters and the army killed four soldiers near "
        "Rawa on Tuesday."
    )
    assert e.event_type == "Battles"
    assert e.fatalities == 4


@pytest.mark.parametrize(
    "victim",
    [
        "a member of the local civil council",
        "two members of the municipal council",
        "a member of the provincial council",
    ],
)
def test_members_of_a_civilian_body_are_civilians(victim: str) -> None:
    e = only_event(f"Unknown gunmen shot dead {victim} in the town of Hajin on Tuesday evening.")
    assert (e.event_type, e.sub_event_type) == ("Violence against civilians", "Attack")
    assert e.actor2 == "Civilians (Syria)"


def test_members_of_the_group_are_no_civilians() -> None:
    e = only_event(
        "Iraqi troops killed two members of the Islamic State in clashes near Tikrit on Tuesday."
    )
    assert e.actor2 == "Islamic State (Iraq)"
    assert e.event_type == "Battles"


def test_a_subject_shared_by_two_verbs_acts_in_both() -> None:
    # The parser makes "backed" the main verb and "detained" its conjunct: the forces still detain.
    e = only_event(
        "Syrian Democratic Forces backed by U.S.-led coalition helicopters detained an Islamic "
        "State cell leader in a night raid on the town of al-Shuhayl on Sunday, the SDF said."
    )
    assert e.actor1 == "QSD: Syrian Democratic Forces"
    assert e.actor2 != "QSD: Syrian Democratic Forces"


def test_the_side_met_in_a_nested_clash_is_the_other_side_and_its_losses_are_its_own() -> None:
    e = only_event(
        "Islamic State fighters attacked a prison in the city of Hasakah late on Thursday, "
        "setting off a car bomb at its gate and clashing with Syrian Democratic Forces guards. "
        "The SDF said 22 of its guards and fighters and 17 attackers were killed."
    )
    assert (e.actor1, e.actor2) == ("Islamic State (Syria)", "QSD: Syrian Democratic Forces")
    assert e.assoc_actor1 is None
    assert e.fatalities == 39


def test_a_verb_hung_on_its_subject_keeps_the_subject_acting() -> None:
    e = only_event(
        "Peshmerga forces, backed by coalition aircraft, fought with Islamic State militants near "
        "Makhmour on Monday."
    )
    assert e.actor1 is not None and e.actor1.endswith("Peshmerga")
    assert e.actor2 == "Islamic State (Iraq)"


def test_the_group_that_claimed_an_attack_the_forces_met_is_the_other_side() -> None:
    e = only_event(
        "Security forces identified and destroyed two explosives-laden vehicles near Karma on "
        "Tuesday. The Islamic State claimed responsibility for the attack."
    )
    assert e.actor1 is not None and e.actor1.startswith("Military Forces of Iraq")
    assert e.actor2 == "Islamic State (Iraq)"


def test_a_name_spelled_another_way_is_looked_for_in_the_governorate_the_text_names() -> None:
    # "Al-Khalidiyah" is spelled so for towns of Homs, Aleppo and Anbar; in Raqqa the list has
    # "Khaldiya". The text's governorate wins over a namesake by its border.
    e = only_event("Regime forces shelled Al-Khalidiyah village in Raqqa province on Tuesday.")
    assert e.place is not None
    assert e.place.admin1_code == "SY-RA"
    assert e.place.precision == 1
    assert e.place.name == "Khaldiya"


def test_a_town_marked_by_a_part_of_it_is_found_spelled_another_way() -> None:
    e = only_event(
        "Unidentified gunmen attacked a checkpoint in the western neighborhood of Quamishli with a "
        "grenade on Tuesday."
    )
    assert e.place is not None and e.place.name == "Qamishli"


def test_the_day_a_body_was_found_is_not_the_day_of_the_killing() -> None:
    e = only_event(
        "On 8 March 2021, a man was found handcuffed and killed near Tabqa in Raqqa province, "
        "his body was found on 11 March."
    )
    assert e.date is not None and e.date.isoformat() == "2021-03-08"


def test_a_body_found_with_no_other_date_is_dated_the_day_it_was_found() -> None:
    e = only_event("The body of a shepherd was found on Wednesday near Tabqa in Raqqa province.")
    assert e.date is not None and e.date.isoformat() == "2021-03-10"


@pytest.mark.parametrize(
    "body",
    [
        "On 9 March 2021, shelling exchange between regime forces and Turkish forces near Tal Tamr.",
        "On 9 March 2021, an exchange of shelling between regime forces and Turkish forces near "
        "Tal Tamr.",
    ],
)
def test_a_note_with_no_main_verb_is_an_event_of_its_date(body: str) -> None:
    e = only_event(body)
    assert e.sub_event_type == "Shelling/artillery/missile attack"
    assert e.date is not None and e.date.isoformat() == "2021-03-09"


def test_a_plan_under_a_verbless_headline_stays_no_event() -> None:
    assert events_of("Turkish forces are shelling villages near Tal Tamr.") == []


@pytest.mark.parametrize(
    ("body", "actor2"),
    [
        (
            "Militants attacked an army checkpoint near Tikrit on Saturday.",
            "Military Forces of Iraq",
        ),
        (
            "Islamic State fighters attacked a military convoy near Sukhnah on Saturday.",
            "Military Forces of Syria",
        ),
        (
            "Islamic State fighters clashed with a police patrol near Rutba on Saturday.",
            "Police Forces of Iraq",
        ),
    ],
)
def test_the_state_posts_a_battle_hit_make_the_state_the_other_side(body: str, actor2: str) -> None:
    e = only_event(body)
    assert e.event_type == "Battles"
    assert e.actor2 is not None and e.actor2.startswith(actor2)


def test_unknown_gunmen_are_not_the_group_whose_post_they_attacked() -> None:
    e = only_event("Gunmen attacked the headquarters of the Asayish in Qamishli on Saturday.")
    assert e.actor1 == "Unidentified Armed Group (Syria)"
    assert e.actor2 == "Asayish (North and East Syria)"


def test_the_owner_of_a_patrol_hit_by_a_bomb_is_the_side_hit() -> None:
    e = only_event(
        "An explosive device went off beside a patrol of the Syrian Democratic Forces in Hasakah "
        "city on Saturday, wounding two fighters. No group claimed the attack."
    )
    assert e.actor1 == "Unidentified Armed Group (Syria)"
    assert e.actor2 == "QSD: Syrian Democratic Forces"


def test_a_governorate_the_sentence_names_rules_out_a_namesake_of_another_country() -> None:
    # "Khaldiyah" alone is a town of Anbar (Iraq) in the lists; the sentence puts the shelling in
    # Ar-Raqqa, Syria, whether "Ar-Raqqa" is read as the city or the governorate.
    e = only_event(
        "Turkish forces shelled Al-Khaldiyah village and the M4 Highway in the countryside of Ein "
        "Issa in Ar-Raqqa on Tuesday."
    )
    assert e.place is not None and e.place.admin1_code == "SY-RA"


def test_a_marked_town_whose_first_word_is_another_place_is_still_guessed() -> None:
    # "Qarah" alone is a Syrian town; "Qarah Tapah town, Diyala governorate" is Diyala's Qara Tapa.
    e = only_event("Gunmen killed a man in Qarah Tapah town, Diyala governorate, Iraq on Monday.")
    assert e.place is not None and e.place.name == "Qara Tapa"
    assert e.place.precision == 1


def test_a_city_that_encloses_a_known_town_stands_for_its_governorate() -> None:
    # "Daret Azza in Aleppo": the town, not the city of Aleppo 30 km away.
    e = only_event(
        "Several residents of Daret Azza in Aleppo held a vigil on Tuesday protesting arrests."
    )
    assert e.place is not None and e.place.name == "Daret Azza"


def test_a_city_that_encloses_an_unknown_part_stays_the_city() -> None:
    e = only_event(
        "A bomb exploded in the Zzzyq neighbourhood of Baghdad on Monday, killing two people."
    )
    assert e.place is not None and e.place.name == "Baghdad" and e.place.precision == 1
