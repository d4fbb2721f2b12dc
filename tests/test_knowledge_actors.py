"""Guards the Iraq/Syria actor dictionary (knowledge/iraq_syria/actors.yaml).

The extractor trusts this file: these tests check its schema (ids, kinds, inter codes, parents,
years, period names), the uniqueness of aliases as the phrase matcher will see them, that the
actors the pipeline depends on are present with their ACLED names, and that the aliases find the
right actors in a few sentences of news-like text written for this test.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from harbinger.knowledge.phrases import PhraseIndex, fold

ACTORS_PATH = Path(__file__).parents[1] / "src/harbinger/knowledge/iraq_syria/actors.yaml"

KIND_INTER = {
    "state": {1},
    "rebel": {2},
    "political_militia": {3},
    "identity_militia": {4},
    "rioters": {5},
    "protesters": {6},
    "civilians": {7},
    "external": {8},
    "official": set(range(1, 9)),
    "other": set(range(1, 9)),
}
REQUIRED_KEYS = {"id", "name", "kind", "inter", "country", "parent", "aliases"}
OPTIONAL_KEYS = {"country_names", "names_by_period", "years", "title", "members"}
ALIAS_KEYS = {"text", "case_sensitive", "years", "by_country"}
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ISO2_RE = re.compile(r"[A-Z]{2}")
ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
# Forms that must never be matched case-insensitively (ordinary English words or anaphora).
FORBIDDEN_FOLDED = {
    "is",
    "us",
    "it",
    "as",
    "at",
    "an",
    "had",
    "tip",
    "jam",
    "badr",
    "group",
    "organization",
    "army",
    "forces",
    "troops",
    "police",
    "government",
    "fighters",
    "suicide bomber",
    "the group",
    "the militants",
    "the organization",
    "the organisation",
}


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    with ACTORS_PATH.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict)
    return data


def _actors() -> list[dict[str, Any]]:
    actors = _load()["actors"]
    assert isinstance(actors, list)
    return actors


def _by_id() -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in _actors()}


def _aliases(actor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {al["text"]: al for al in actor["aliases"]}


def _is_year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100


def _check_span(span: object, where: str) -> tuple[int, int | None]:
    assert isinstance(span, list) and len(span) == 2, f"{where}: years must be [from, to]"
    start, end = span
    assert _is_year(start), f"{where}: 'from' must be a year, got {start!r}"
    assert end is None or _is_year(end), f"{where}: 'to' must be a year or null, got {end!r}"
    if end is not None:
        assert start <= end, f"{where}: from {start} is after to {end}"
    return start, end


# --------------------------------------------------------------------------- file and records


def test_file_has_version_and_enough_actors() -> None:
    data = _load()
    assert data["version"] == 1
    assert len(_actors()) >= 80


def test_records_have_exactly_the_schema_keys() -> None:
    for actor in _actors():
        keys = set(actor)
        where = actor.get("id", actor)
        assert keys >= REQUIRED_KEYS, f"{where}: missing {REQUIRED_KEYS - keys}"
        assert keys <= REQUIRED_KEYS | OPTIONAL_KEYS, (
            f"{where}: unknown {keys - REQUIRED_KEYS - OPTIONAL_KEYS}"
        )
        assert isinstance(actor["name"], str) and actor["name"].strip() == actor["name"] != ""
        assert isinstance(actor["aliases"], list) and actor["aliases"], f"{where}: no aliases"


def test_ids_are_unique_slugs() -> None:
    ids = [a["id"] for a in _actors()]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"
    bad = [i for i in ids if not isinstance(i, str) or not ID_RE.fullmatch(i)]
    assert not bad, f"ids must match [a-z0-9-]+: {bad}"


def test_kind_and_inter_agree() -> None:
    for actor in _actors():
        kind, inter = actor["kind"], actor["inter"]
        assert kind in KIND_INTER, f"{actor['id']}: unknown kind {kind!r}"
        assert isinstance(inter, int) and not isinstance(inter, bool), (
            f"{actor['id']}: inter must be an int"
        )
        assert inter in KIND_INTER[kind], f"{actor['id']}: inter {inter} does not fit kind {kind}"


def test_officials_have_titles_and_others_do_not() -> None:
    for actor in _actors():
        title = actor.get("title")
        if actor["kind"] == "official":
            assert isinstance(title, str) and title.strip(), (
                f"{actor['id']}: an official needs a title"
            )
            assert actor["parent"] is not None, (
                f"{actor['id']}: an official needs the body as parent"
            )
        else:
            assert title is None, f"{actor['id']}: only officials carry a title"


def test_official_inter_is_that_of_their_body() -> None:
    by_id = _by_id()
    for actor in _actors():
        if actor["kind"] == "official":
            assert actor["inter"] == by_id[actor["parent"]]["inter"], actor["id"]


def test_countries_are_iso_alpha2_or_null() -> None:
    for actor in _actors():
        country = actor["country"]
        valid = country is None or (isinstance(country, str) and ISO2_RE.fullmatch(country))
        assert valid, f"{actor['id']}: country must be ISO alpha-2 or null"
        for key, value in (actor.get("country_names") or {}).items():
            assert ISO2_RE.fullmatch(key), f"{actor['id']}: country_names key {key!r}"
            assert isinstance(value, str) and value, f"{actor['id']}: empty country name for {key}"


def test_country_placeholder_only_on_generic_actors() -> None:
    placeholders = [a for a in _actors() if "{country}" in a["name"]]
    assert {a["id"] for a in placeholders} >= {
        "unidentified-armed-group",
        "civilians",
        "protesters",
        "rioters",
    }
    for actor in _actors():
        rest = actor["name"].replace("{country}", "")
        assert "{" not in rest and "}" not in rest, f"{actor['id']}: stray brace in name"
        if "{country}" in actor["name"]:
            assert actor["country"] is None, (
                f"{actor['id']}: a placeholder name takes its country from the event"
            )


# --------------------------------------------------------------------------- parents and years


def test_parents_exist_and_form_no_cycle() -> None:
    by_id = _by_id()
    for actor in _actors():
        seen = {actor["id"]}
        parent = actor["parent"]
        while parent is not None:
            assert parent in by_id, f"{actor['id']}: unknown parent {parent!r}"
            assert parent not in seen, f"{actor['id']}: parent cycle through {parent}"
            seen.add(parent)
            parent = by_id[parent]["parent"]


def test_years_are_well_formed() -> None:
    for actor in _actors():
        if "years" in actor:
            _check_span(actor["years"], actor["id"])
        for alias in actor["aliases"]:
            if "years" in alias:
                _check_span(alias["years"], f"{actor['id']} / {alias['text']}")


def test_alias_years_lie_within_actor_years() -> None:
    for actor in _actors():
        if "years" not in actor:
            continue
        start, end = actor["years"]
        for alias in actor["aliases"]:
            if "years" not in alias:
                continue
            a_start, a_end = alias["years"]
            where = f"{actor['id']} / {alias['text']}"
            assert a_start >= start, f"{where}: alias starts before the actor"
            if end is not None:
                assert a_end is not None and a_end <= end, f"{where}: alias outlives the actor"


def test_names_by_period_are_contiguous_and_end_with_name() -> None:
    for actor in _actors():
        periods = actor.get("names_by_period")
        if periods is None:
            continue
        where = actor["id"]
        assert isinstance(periods, list) and periods, f"{where}: empty names_by_period"
        for i, period in enumerate(periods):
            assert set(period) == {"from", "to", "name"}, f"{where}: period keys {set(period)}"
            _, end = _check_span([period["from"], period["to"]], f"{where} period {i}")
            assert isinstance(period["name"], str) and period["name"], f"{where}: empty period name"
            if i + 1 < len(periods):
                assert end is not None, f"{where}: only the last period may be open"
                assert periods[i + 1]["from"] == end, f"{where}: gap or overlap after {end}"
        assert periods[-1]["name"] == actor["name"], f"{where}: name must be the last period's name"
        if "years" in actor:
            assert periods[-1]["to"] == actor["years"][1], (
                f"{where}: last period must end with the actor"
            )


def test_unit_names_extend_their_state_period_names() -> None:
    by_id = _by_id()
    for actor in _actors():
        if actor["kind"] != "state" or actor["parent"] is None:
            continue
        root = actor
        while root["parent"] is not None and by_id[root["parent"]]["kind"] == "state":
            root = by_id[root["parent"]]
        assert actor.get("names_by_period"), f"{actor['id']}: a state unit needs names_by_period"
        root_names = {(p["from"], p["to"]): p["name"] for p in root["names_by_period"]}
        for period in actor["names_by_period"]:
            key = (period["from"], period["to"])
            assert key in root_names, f"{actor['id']}: period {key} not a period of {root['id']}"
            assert period["name"].startswith(root_names[key] + " "), (
                f"{actor['id']}: {period['name']!r}"
            )


# --------------------------------------------------------------------------- aliases


def test_alias_records_are_clean() -> None:
    for actor in _actors():
        for alias in actor["aliases"]:
            where = f"{actor['id']} / {alias}"
            assert isinstance(alias, dict) and set(alias) <= ALIAS_KEYS and "text" in alias, where
            text = alias["text"]
            assert isinstance(text, str) and text == " ".join(text.split()) and text, where
            assert isinstance(alias.get("case_sensitive", False), bool), where


def test_aliases_are_unique_as_the_matcher_sees_them() -> None:
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    clashes = []
    for actor in _actors():
        for alias in actor["aliases"]:
            text = alias["text"]
            if alias.get("case_sensitive", False):
                if text in exact and exact[text] != actor["id"]:
                    clashes.append((text, exact[text], actor["id"]))
                exact[text] = actor["id"]
            else:
                key = fold(text)
                # The same actor may spell a name two ways the matcher folds together
                # ("al-Qaeda", "al Qaeda"); two actors may not share one.
                if key in folded and folded[key] != actor["id"]:
                    clashes.append((text, folded[key], actor["id"]))
                folded[key] = actor["id"]
    # A case-sensitive form must not also be reachable case-insensitively on another actor.
    for text, owner in exact.items():
        other = folded.get(fold(text))
        if other is not None and other != owner:
            clashes.append((text, other, owner))
    assert not clashes, f"aliases on more than one actor: {clashes}"


def test_no_english_word_or_anaphor_is_matched_case_insensitively() -> None:
    for actor in _actors():
        for alias in actor["aliases"]:
            if not alias.get("case_sensitive", False):
                assert fold(alias["text"]) not in FORBIDDEN_FOLDED, (
                    f"{actor['id']}: {alias['text']!r}"
                )


def test_short_uppercase_acronyms_that_are_words_are_case_sensitive() -> None:
    words = set(
        [
            "IS",
            "US",
            "KH",
            "SNA",
            "TIP",
            "JAM",
            "NFL",
            "ISF",
            "SAA",
            "CTS",
            "HTS",
            "SDF",
            "QSD",
            "FSA",
            "NDF",
            "PMF",
        ]
    )
    for actor in _actors():
        for alias in actor["aliases"]:
            if alias["text"] in words:
                assert alias.get("case_sensitive") is True, (
                    f"{actor['id']}: {alias['text']} must be case-sensitive"
                )


# --------------------------------------------------------------------------- required content


def test_islamic_state_names_and_period_aliases() -> None:
    state = _by_id()["islamic-state"]
    assert state["country_names"] == {"IQ": "Islamic State (Iraq)", "SY": "Islamic State (Syria)"}
    assert state["kind"] == "rebel" and state["inter"] == 2
    aliases = _aliases(state)
    for name in ("ISIS", "ISIL"):
        assert aliases[name]["years"] == [2013, 2014], name
    assert aliases["IS"]["case_sensitive"] is True
    assert aliases["IS"]["years"][0] == 2014
    assert aliases["Islamic State of Iraq"]["years"][1] == 2013
    assert {"Daesh", "داعش", "الدولة الإسلامية"} <= set(aliases)


def test_iraqi_army_is_named_by_regime_period() -> None:
    army = _by_id()["iraq-military"]
    assert army["kind"] == "state" and army["country"] == "IQ"
    names = {(p["from"], p["to"]): p["name"] for p in army["names_by_period"]}
    assert names[(2006, 2014)] == "Military Forces of Iraq (2006-2014)"
    assert names[(2014, 2018)] == "Military Forces of Iraq (2014-2018)"
    assert names[(2018, 2020)] == "Military Forces of Iraq (2018-2020)"
    assert names[(2020, 2022)] == "Military Forces of Iraq (2020-2022)"
    assert names[(2022, None)] == army["name"] == "Military Forces of Iraq (2022-)"
    assert {"Iraqi forces", "Iraqi troops", "Iraqi army", "الجيش العراقي"} <= set(_aliases(army))


def test_syrian_army_spans_the_fall_of_assad() -> None:
    army = _by_id()["syria-military"]
    periods = [(p["from"], p["to"], p["name"]) for p in army["names_by_period"]]
    assert periods == [
        (2000, 2024, "Military Forces of Syria (2000-2024)"),
        (2024, None, "Military Forces of Syria (2024-)"),
    ]
    aliases = _aliases(army)
    assert aliases["regime forces"]["years"] == [2011, 2024]
    assert aliases["transitional government forces"]["years"][0] == 2024


@pytest.mark.parametrize(
    ("actor_id", "name", "inter"),
    [
        ("sdf", "QSD: Syrian Democratic Forces", 2),
        ("ypg", "YPG: Peoples Protection Units", 2),
        ("pkk", "PKK: Kurdistan Workers Party", 2),
        ("hts", "HTS: Hayat Tahrir al Sham", 2),
        ("global-coalition", "Global Coalition Against Daesh", 8),
        ("iraq-peshmerga", "Military Forces of Iraq (2022-) Peshmerga", 1),
        ("iraq-asayish", "Police Forces of Iraq (2022-) Asayish", 1),
        ("iraq-pmf", "Military Forces of Iraq (2022-) Popular Mobilization Forces", 1),
        ("unidentified-armed-group", "Unidentified Armed Group ({country})", 3),
        ("civilians", "Civilians ({country})", 7),
        ("protesters", "Protesters ({country})", 6),
    ],
)
def test_required_actor(actor_id: str, name: str, inter: int) -> None:
    actor = _by_id()[actor_id]
    assert actor["name"] == name
    assert actor["inter"] == inter


def test_required_groups_present() -> None:
    ids = set(_by_id())
    required = set(
        [
            "kataib-hezbollah",
            "asaib-ahl-al-haq",
            "badr-organization",
            "kataib-sayyid-al-shuhada",
            "harakat-al-nujaba",
            "saraya-al-salam",
            "islamic-resistance-in-iraq",
            "liwa-fatemiyoun",
            "liwa-zainabiyoun",
            "hezbollah",
            "iraq-cts",
            "iraq-federal-police",
            "iraq-air-force",
            "iraq-border-guards",
            "iraq-tribal-hashd",
            "sahwa",
            "iraq-nineveh-operations-command",
            "iraq-anbar-operations-command",
            "iraq-salahuddin-operations-command",
            "iraq-baghdad-operations-command",
            "syria-air-force",
            "ndf",
            "syria-military-intelligence",
            "syria-4th-division",
            "syria-republican-guard",
            "syria-tiger-forces",
            "syria-general-security",
            "al-qaeda-in-iraq",
            "hurras-al-din",
            "ahrar-al-sham",
            "jaysh-al-islam",
            "fsa",
            "sna",
            "sultan-murad-division",
            "hamza-division",
            "ahrar-al-sharqiya",
            "nfl",
            "naqshbandi-army",
            "ansar-al-islam",
            "1920-revolution-brigades",
            "ypj",
            "syria-asayish",
            "manbij-military-council",
            "deir-ez-zor-military-council",
            "hpg",
            "ybs",
            "kdp-peshmerga",
            "puk-peshmerga",
            "us-military",
            "russia-military",
            "turkey-military",
            "irgc",
            "quds-force",
            "israel-military",
            "france-military",
            "uk-military",
            "tribal-militia",
            "rioters",
            "abu-bakr-al-baghdadi",
            "abu-ibrahim-al-hashimi-al-qurashi",
            "abu-al-hasan-al-hashimi-al-qurashi",
            "abu-al-husayn-al-husayni-al-qurashi",
            "abu-hafs-al-hashimi-al-qurashi",
            "abu-musab-al-zarqawi",
            "abu-omar-al-baghdadi",
            "abu-mohammed-al-adnani",
            "haider-al-abadi",
            "bashar-al-assad",
        ]
    )
    assert not required - ids, f"missing: {sorted(required - ids)}"


def test_main_groups_have_arabic_script_names() -> None:
    by_id = _by_id()
    for actor_id in (
        "islamic-state",
        "iraq-pmf",
        "sdf",
        "hts",
        "iraq-military",
        "syria-military",
        "kataib-hezbollah",
    ):
        texts = _aliases(by_id[actor_id])
        assert any(ARABIC_RE.search(t) for t in texts), f"{actor_id}: no Arabic-script alias"


# ------------------------------------------------------------------ behaviour with the matcher


@lru_cache(maxsize=1)
def _index() -> PhraseIndex[str]:
    index: PhraseIndex[str] = PhraseIndex()
    for actor in _actors():
        for alias in actor["aliases"]:
            index.add(alias["text"], actor["id"], case_sensitive=alias.get("case_sensitive", False))
    return index


def _found(text: str) -> list[tuple[str, str]]:
    return [(hit.text, hit.payloads[0]) for hit in _index().find(text)]


def test_matcher_resolves_a_mixed_report() -> None:
    text = (
        "Backed by US-led coalition aircraft, Iraqi troops and the Hashd al-Shaabi pushed Daesh "
        "remnants out of three villages, while Kataib Hezbollah denied any role. In Syria, regime "
        "forces and Russian warplanes shelled positions held by Hayat Tahrir al-Sham, and the SDF "
        "said IS sleeper cells killed two civilians."
    )
    assert _found(text) == [
        ("US-led coalition", "global-coalition"),
        ("Iraqi troops", "iraq-military"),
        ("Hashd al-Shaabi", "iraq-pmf"),
        ("Daesh", "islamic-state"),
        ("Kataib Hezbollah", "kataib-hezbollah"),
        ("regime forces", "syria-military"),
        ("Russian warplanes", "russia-military"),
        ("Hayat Tahrir al-Sham", "hts"),
        ("SDF", "sdf"),
        ("IS", "islamic-state"),
        ("sleeper cells", "islamic-state"),
        ("civilians", "civilians"),
    ]


def test_case_sensitive_acronyms_do_not_fire_on_words() -> None:
    text = "This is what us officials said; he had a tip about the badr festival and sna snacks."
    assert _found(text) == []


def test_longest_alias_wins_over_embedded_ones() -> None:
    hits = _found(
        "Fighters of the Free Syrian Army and Harakat Hezbollah al-Nujaba met Tribal Hashd leaders."
    )
    assert hits == [
        ("Free Syrian Army", "fsa"),
        ("Harakat Hezbollah al-Nujaba", "harakat-al-nujaba"),
        ("Tribal Hashd", "iraq-tribal-hashd"),
    ]


def test_officials_and_arabic_names_are_found() -> None:
    hits = _found(
        "قال أبو بكر البغدادي إن داعش باقية، ورد حيدر العبادي. "
        "Later Abu Ibrahim al-Hashimi al-Qurashi spoke."
    )
    assert ("أبو بكر البغدادي", "abu-bakr-al-baghdadi") in hits
    assert ("داعش", "islamic-state") in hits
    assert ("حيدر العبادي", "haider-al-abadi") in hits
    assert ("Abu Ibrahim al-Hashimi al-Qurashi", "abu-ibrahim-al-hashimi-al-qurashi") in hits
