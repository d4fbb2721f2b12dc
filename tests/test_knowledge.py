"""The knowledge loader validates the theatre's files and names the file and entry on error."""

from __future__ import annotations

from pathlib import Path

import pytest

from harbinger.errors import KnowledgeError
from harbinger.knowledge import _parse_actor, load_theatre, read_yaml, theatre_dir
from harbinger.knowledge.phrases import PhraseIndex, fold
from harbinger.taxonomy import is_sub_event_type


def test_theatre_loads_and_triggers_use_acled_types() -> None:
    t = load_theatre("iraq_syria")
    assert len(t.actors) >= 80
    assert t.triggers and all(
        tr.sub_event_type is None or is_sub_event_type(tr.sub_event_type) for tr in t.triggers
    )
    assert t.actor("islamic-state").acled_name("IQ", 2019) == "Islamic State (Iraq)"
    assert t.actor("islamic-state").acled_name("SY", 2019) == "Islamic State (Syria)"


def test_state_forces_are_named_by_regime_period() -> None:
    army = load_theatre().actor("iraq-military")
    assert army.acled_name("IQ", 2023) == "Military Forces of Iraq (2022-)"
    assert army.acled_name("IQ", 2016).startswith("Military Forces of Iraq (2014-2018)")


def test_unknown_theatre() -> None:
    with pytest.raises(KnowledgeError, match="no knowledge folder"):
        theatre_dir("sahel-that-does-not-exist")


def test_bad_yaml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "actors.yaml"
    bad.write_text("actors: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"actors\.yaml: not valid YAML"):
        read_yaml(bad)


def test_bad_actor_names_the_entry() -> None:
    with pytest.raises(KnowledgeError, match=r"actor 3 \(x\): kind 'wizard'"):
        _parse_actor({"id": "x", "name": "X", "kind": "wizard"}, "actors.yaml: actor 3")


def test_bare_no_in_a_word_list_is_caught(tmp_path: Path) -> None:
    from harbinger.knowledge import _str_list

    with pytest.raises(KnowledgeError, match="quote the word"):
        _str_list([True, "never"], "language.yaml: negation")


def test_package_ships_every_theatre_file() -> None:
    folder = theatre_dir("iraq_syria")
    names = {p.name for p in folder.glob("*.yaml")}
    assert {
        "actors.yaml",
        "events.yaml",
        "claims.yaml",
        "indicators.yaml",
        "numbers.yaml",
        "language.yaml",
        "places.yaml",
    } <= names


def test_phrase_index_word_boundaries_and_case() -> None:
    idx: PhraseIndex[str] = PhraseIndex()
    idx.add("IS", "is", case_sensitive=True)
    idx.add("Daesh", "daesh")
    idx.add("Nineveh", "admin1")
    idx.add("Nineveh Operations Command", "unit")
    hits = idx.find("This is what IS did; the Nineveh Operations Command hit DAESH, not Daeshi.")
    assert [(h.text, h.payloads) for h in hits] == [
        ("IS", ("is",)),
        ("Nineveh Operations Command", ("unit",)),
        ("DAESH", ("daesh",)),
    ]


def test_fold_keeps_length() -> None:
    for text in ["Nīnawá", "Ma’arrat al-Nu‘man", "الموصل", "Ḥasakah"]:
        assert len(fold(text)) == len(text)
