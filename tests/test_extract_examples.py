"""The project's own example articles (examples/*.txt): what each must code, as docs/examples.md says."""

from __future__ import annotations

import datetime as dt

import pytest

from harbinger.ingest import iter_documents
from harbinger.records import CodedDocument, Document, Event
from tests.helpers import EXAMPLES, coder


@pytest.fixture(scope="module")
def coded() -> dict[str, CodedDocument]:
    docs = [d for d in iter_documents([EXAMPLES]) if isinstance(d, Document)]
    assert len(docs) == 6
    return {
        d.source.rsplit("/", 1)[-1]: c for d, c in zip(docs, coder().code_many(docs), strict=True)
    }


def only_event(c: CodedDocument) -> Event:
    assert len(c.events) == 1, [(e.sub_event_type, e.date) for e in c.events]
    return c.events[0]


def test_headers(coded: dict[str, CodedDocument]) -> None:
    published = {name: c.document.published for name, c in coded.items()}
    assert published == {
        "airstrike_hamrin.txt": dt.date(2020, 6, 17),
        "clashes_deir_ezzor.txt": dt.date(2018, 12, 3),
        "reassurance_nineveh.txt": dt.date(2023, 6, 5),
        "suicide_bombing_baghdad.txt": dt.date(2021, 1, 22),
        "sweep_arrests_anbar.txt": dt.date(2022, 4, 14),
        "warning_report_badia.txt": dt.date(2019, 8, 7),
    }
    assert coded["sweep_arrests_anbar.txt"].document.author == "Sami Hadi Karim"


def test_sweep_with_arrests(coded: dict[str, CodedDocument]) -> None:
    c = coded["sweep_arrests_anbar.txt"]
    ev = only_event(c)
    assert (ev.event_type, ev.sub_event_type) == ("Strategic developments", "Arrests")
    assert ev.date == dt.date(2022, 4, 12) and ev.time_precision == 1  # "on Tuesday"
    assert ev.actor1 is not None and ev.actor1.startswith("Military Forces of Iraq")
    assert ev.assoc_actor1 is not None and "Popular Mobilization Forces" in ev.assoc_actor1
    assert ev.actor2 == "Islamic State (Iraq)"
    assert ev.place is not None and (ev.place.name, ev.place.admin1_code) == ("Rawa", "IQ-AN")
    assert ev.place.precision == 2  # "villages near the town of Rawa"
    assert ev.arrests == 11 and ev.fatalities == 0
    stances = {(cl.speaker, cl.stance) for cl in c.claims}
    assert ("Ali Hamid al-Zubaidi", "reassurance") in stances
    assert ("Farmers around Rawa", "concern") in stances


def test_suicide_bombing_with_disputed_toll(coded: dict[str, CodedDocument]) -> None:
    c = coded["suicide_bombing_baghdad.txt"]
    ev = only_event(c)
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Suicide bomb")
    assert ev.date == dt.date(2021, 1, 21)
    # The perpetrator comes from the claim of responsibility; the victims are civilians.
    assert (ev.actor1, ev.actor2) == ("Islamic State (Iraq)", "Civilians (Iraq)")
    assert ev.place is not None and ev.place.admin1_code == "IQ-BG"
    # "at least 32" and "between 30 and 35": the conservative figure and the range; injuries apart.
    # ACLED counts the two bombers in a suicide bombing's fatalities.
    assert (ev.fatalities, ev.fatalities_low, ev.fatalities_high) == (32, 32, 37)
    assert ev.wounded == 110
    assert any(
        cl.stance == "claim of responsibility" and cl.speaker == "Islamic State" for cl in c.claims
    )


def test_clashes_with_deaths_on_both_sides(coded: dict[str, CodedDocument]) -> None:
    c = coded["clashes_deir_ezzor.txt"]
    ev = only_event(c)
    assert (ev.event_type, ev.sub_event_type) == ("Battles", "Armed clash")
    assert ev.date == dt.date(2018, 12, 1)  # "on Saturday", published Monday 3 December
    assert ev.actor1 == "QSD: Syrian Democratic Forces"
    assert ev.actor2 == "Islamic State (Syria)"
    assert ev.place is not None and ev.place.admin1_code == "SY-DY" and ev.place.precision == 2
    assert ev.fatalities == 17 + 12  # 17 SDF fighters and "dozens" (12) of IS militants
    assert any(i.kind == "strength" and i.value == 2000 for i in c.indicators)


def test_air_strike(coded: dict[str, CodedDocument]) -> None:
    ev = only_event(coded["airstrike_hamrin.txt"])
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert ev.date == dt.date(2020, 6, 16)
    assert ev.actor1 is not None and ev.actor1.startswith("Military Forces of Iraq")
    assert ev.actor2 == "Islamic State (Iraq)"
    assert ev.fatalities == 9  # "nine militants"
    assert ev.place is not None and ev.place.admin1_code == "IQ-SD" and ev.place.precision == 3


def test_reassurance_codes_statements_not_events(coded: dict[str, CodedDocument]) -> None:
    c = coded["reassurance_nineveh.txt"]
    # The denied checkpoints and the 2017 retaking of Mosul (background) are not events.
    assert c.events == ()
    stances = {(cl.speaker, cl.stance) for cl in c.claims}
    assert ("Khalid Saadi al-Nuaimi", "reassurance") in stances
    assert ("Mahdi Jassim al-Rubaie", "denial") in stances
    assert any(stance == "concern" for _, stance in stances)


def test_warning_report_indicators(coded: dict[str, CodedDocument]) -> None:
    c = coded["warning_report_badia.txt"]
    assert c.events == ()
    strength = [i for i in c.indicators if i.kind == "strength"]
    assert [(i.value, i.low, i.high) for i in strength] == [(14000, 14000, 18000)]
    kinds = {(i.kind, i.value) for i in c.indicators}
    assert ("leadership", "at large") in kinds
    assert ("tactic", "sleeper cells") in kinds
    assert ("tactic", "assassinations") in kinds
    assert any(k == "withdrawal" for k, _ in kinds)
    regions = {i.place.name for i in c.indicators if i.kind == "resurgence" and i.place}
    assert {"Badia", "Jazira"} <= regions
    assert any(cl.stance == "warning" and "Inspector General" in cl.speaker for cl in c.claims)


def test_every_evidence_span_is_in_its_sentence(coded: dict[str, CodedDocument]) -> None:
    for c in coded.values():
        text = c.document.text
        for item in [*c.events, *c.claims, *c.indicators]:
            assert item.evidence
            for e in item.evidence:
                span = " ".join(text[e.start : e.end].split())
                assert span and span in " ".join(e.sentence.split())


def test_ids_are_stable(coded: dict[str, CodedDocument]) -> None:
    c = coded["clashes_deir_ezzor.txt"]
    again = coder().code(c.document)
    assert [e.id for e in again.events] == [e.id for e in c.events]
    assert [e.to_dict() for e in again.events] == [e.to_dict() for e in c.events]
