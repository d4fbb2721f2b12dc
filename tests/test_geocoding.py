"""The event's place among a sentence's places (issue 11, item 5), on sentences written for these
tests.

The text says where a name lies ("X town, Diyala governorate, Iraq"; "X neighbourhood of Baghdad
city"): a candidate of X outside that place is another place of the same name and gives way to
the enclosing one; a town by the border of the governorate the text names takes that governorate.
A known name that only begins a longer unknown one ("Bab al-Qamar") is no mention of the known
place. A place of origin or destination ("gunmen from X", "pilgrims heading to X") is not where
the event happened. A list ("Mosul, Kirkuk and Baghdad") puts no name inside another.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harbinger.errors import KnowledgeError
from harbinger.geo import Gazetteer
from harbinger.geo.curated import _knowledge_path, _rules_from
from harbinger.ingest import parse_text
from harbinger.records import Event
from tests.helpers import coder

HEADER = "A report for the tests\n\nBy Test Writer\n\n{date}\n\n"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(imported=False)


def first_event(body: str, date: str = "12 March 2021") -> Event:
    doc = parse_text(HEADER.format(date=date) + body, "test.txt")
    events = list(coder().code(doc).events)
    assert events, "no event coded"
    return events[0]


def place_of(body: str) -> tuple[str | None, str | None, int | None]:
    place = first_event(body).place
    assert place is not None
    return place.name, place.admin1, place.precision


# -- a namesake elsewhere gives way to the place the text puts the name in ----------------------


def test_namesake_in_another_country_gives_way_to_the_governorate_named() -> None:
    # The gazetteer knows only Syrian places of this name; the text puts it in Nineveh, Iraq.
    name, admin1, precision = place_of(
        "A car bomb exploded in Qahtaniyah town, Nineveh province, Iraq, on Thursday, "
        "killing six people."
    )
    assert (name, admin1, precision) == ("Nineveh", "Nineveh", 3)


def test_namesake_far_from_the_governorate_named_is_dropped() -> None:
    # Rutba lies in Anbar, hundreds of kilometres from Diyala: the text means another village.
    name, admin1, precision = place_of(
        "Gunmen attacked Rutba village, Diyala governorate, Iraq, on Thursday, killing a farmer."
    )
    assert (admin1, precision) == ("Diyala", 3)
    assert name == "Diyala"


def test_neighbourhood_of_a_city_keeps_the_city_when_the_name_is_unknown() -> None:
    name, admin1, precision = place_of(
        "A bomb exploded in Tal Mashmash neighbourhood of Baghdad city, Baghdad governorate, "
        "Iraq, on Thursday, killing three people."
    )
    assert (name, admin1, precision) == ("Baghdad", "Baghdad", 1)


def test_a_known_name_that_only_begins_an_unknown_one_is_not_that_place() -> None:
    # "Bab" alone is Al-Bab in Aleppo; "Bab al-Qamar" (a made-up quarter) is no place we know.
    name, admin1, _ = place_of(
        "A roadside bomb exploded in the Bab al-Qamar area, Baghdad, Iraq, on Thursday, "
        "killing two people."
    )
    assert (name, admin1) == ("Baghdad", "Baghdad")


def test_a_place_in_the_countryside_of_another_governorate_is_not_that_village() -> None:
    # The only Khanasir the gazetteer knows is in Aleppo; the text puts this one in Hama.
    place = first_event(
        "Regime forces shelled Khanasir village in the eastern countryside of Hama on "
        "Thursday, killing two civilians."
    ).place
    assert place is not None
    assert place.admin1 == "Hama"


# -- a town by the border takes the governorate the text names ----------------------------------


def test_border_town_takes_the_governorate_the_text_names() -> None:
    # Sulaiman Bek is Salah al-Din's in the gazetteer and lies by the Kirkuk border.
    name, admin1, precision = place_of(
        "An explosive device detonated near a police patrol in Sulaiman Bek town, Kirkuk "
        "province, Iraq, on Thursday, killing two policemen."
    )
    assert (name, admin1, precision) == ("Sulaiman Bek", "Kirkuk", 1)


def test_resolve_within_a_governorate(gaz: Gazetteer) -> None:
    kirkuk = tuple(gaz.lookup("Kirkuk province"))
    diyala = tuple(gaz.lookup("Diyala"))
    border = gaz.resolve("Sulaiman Bek", within=(kirkuk,))
    assert border is not None and border.admin1_code == "IQ-KI" and border.name == "Sulaiman Bek"
    assert gaz.resolve("Rutba", within=(diyala,)) is None
    plain = gaz.resolve("Rutba")
    assert plain is not None and plain.admin1_code == "IQ-AN"


# -- origin and destination are not where the event happened ------------------------------------


def test_place_of_origin_is_not_the_event_place() -> None:
    name, admin1, _ = place_of(
        "Gunmen who had come from Kirkuk attacked a checkpoint in Tuz Khurmatu on Thursday, "
        "killing two policemen."
    )
    assert (name, admin1) == ("Tuz Khurmatu", "Salah al-Din")


def test_destination_is_not_the_event_place() -> None:
    name, admin1, _ = place_of(
        "A roadside bomb struck a bus of pilgrims heading to Karbala in Jurf al-Sakhar on "
        "Thursday, killing four people."
    )
    assert (name, admin1) == ("Jurf al-Sakhar", "Babil")


def test_only_a_place_of_origin_still_places_the_event() -> None:
    # "abducted from Baiji town, Salah al-Din province": the town, not its governorate.
    name, admin1, precision = place_of(
        "Militants abducted five shepherds from Baiji town, Salah al-Din province, on Thursday "
        "and killed two of them."
    )
    assert (name, admin1, precision) == ("Baiji", "Salah al-Din", 1)


def test_away(gaz: Gazetteer) -> None:
    assert gaz.away("reinforcements arrived from ")
    assert gaz.away("a convoy heading to the ")
    assert not gaz.away("a bomb exploded in ")
    assert not gaz.away("the bombers came ")


# -- chains and lists -----------------------------------------------------------------------------


def spans(gaz: Gazetteer, text: str) -> list[tuple[int, int, tuple[object, ...]]]:
    return [(h.start, h.end, h.payloads) for h in gaz.find(text)]


def test_containers_follow_the_chain(gaz: Gazetteer) -> None:
    text = "in Khanaqin town, Diyala governorate, Iraq"
    found = gaz.containers(text, spans(gaz, text))  # type: ignore[arg-type]
    assert [len(chain) for chain in found] == [2, 1, 0]
    kinds = [{e.kind for e in container} for container in found[0]]
    assert "admin1" in kinds[0] and kinds[1] == {"country"}


def test_a_list_of_places_puts_none_inside_another(gaz: Gazetteer) -> None:
    text = "bombings in Mosul, Kirkuk and Baghdad"
    assert all(chain == () for chain in gaz.containers(text, spans(gaz, text)))  # type: ignore[arg-type]
    text = "clashes in Fallujah, Ramadi, Hit and Haditha"
    assert all(chain == () for chain in gaz.containers(text, spans(gaz, text)))  # type: ignore[arg-type]


def test_a_place_beside_another_is_not_inside_it(gaz: Gazetteer) -> None:
    text = "in Tarmiyah, north of Baghdad"
    assert gaz.containers(text, spans(gaz, text))[0] == ()  # type: ignore[arg-type]


def test_listed_towns_keep_their_own_governorates() -> None:
    place = first_event(
        "Car bombs exploded in Mosul, Kirkuk and Baghdad on Thursday, killing 12 people."
    ).place
    assert place is not None
    assert (place.name, place.admin1) == ("Mosul", "Nineveh")


# -- the words are data ---------------------------------------------------------------------------


def test_text_context_is_validated(tmp_path: Path) -> None:
    path = _knowledge_path("iraq_syria")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert {"links", "fillers", "away", "lists"} <= set(data["text_context"])
    data["text_context"]["links"] = "of"
    with pytest.raises(KnowledgeError, match=r"text_context\.links"):
        _rules_from(tmp_path / "places.yaml", data)
