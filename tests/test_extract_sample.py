"""The sample op-ed of 2019-08-11 (read from ../shared, never copied): what an analyst expects."""

from __future__ import annotations

import datetime as dt

import pytest

from harbinger.ingest import iter_documents
from harbinger.records import CodedDocument, Document
from tests.helpers import SAMPLE, coder, require


@pytest.fixture(scope="module")
def coded() -> CodedDocument:
    (doc,) = [d for d in iter_documents([require(SAMPLE)]) if isinstance(d, Document)]
    return coder().code(doc)


def _span_ok(coded: CodedDocument, ev: object) -> None:
    text = coded.document.text
    for e in ev.evidence:  # type: ignore[attr-defined]
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end].strip()
        assert " ".join(text[e.start : e.end].split()) in " ".join(e.sentence.split())


def test_header(coded: CodedDocument) -> None:
    d = coded.document
    assert d.title is not None and d.title.startswith("Warnings about the return of Daesh")
    assert d.author == "Jalal Alasady"
    assert d.published == dt.date(2019, 8, 11)


def test_event_of_21_july_in_iraq(coded: CodedDocument) -> None:
    events = [e for e in coded.events if e.date == dt.date(2019, 7, 21)]
    assert len(events) == 1
    ev = events[0]
    assert ev.time_precision == 1
    assert ev.place is not None and ev.place.country == "Iraq"
    assert ev.actor1 is not None and ev.actor1.startswith("Military Forces of Iraq")
    assert ev.actor2 == "Islamic State (Iraq)"
    assert ev.assoc_actor1 is not None and "Coalition" in ev.assoc_actor1
    # "the killing and arresting of 15 members": no split, so 15 is kept as the upper bound.
    assert ev.fatalities_high == 15
    assert ev.fatalities == 0 and ev.fatalities_low == 0
    assert "15 killed or arrested" in ev.notes
    assert any("July 21st" in e.sentence for e in ev.evidence)
    assert any("killing and arresting of 15" in e.sentence for e in ev.evidence)
    _span_ok(coded, ev)


def test_sweep_in_the_nineveh_desert(coded: CodedDocument) -> None:
    sweeps = [e for e in coded.events if e.place and e.place.admin1_code == "IQ-NI"]
    assert len(sweeps) == 1
    ev = sweeps[0]
    assert ev.place is not None and ev.place.precision == 3
    assert ev.actor1 is not None and ev.actor1.startswith("Military Forces of Iraq")
    assert any("Nineveh desert" in e.sentence for e in ev.evidence)
    _span_ok(coded, ev)


def test_no_events_from_opinion_sentences(coded: CodedDocument) -> None:
    # "10000 were killed", "were arrested" (negated), "to carry out assassinations": not events.
    assert len(coded.events) == 2


@pytest.mark.parametrize(
    ("speaker", "stance", "fragment"),
    [
        ("Abdul Amir Yarallah", "reassurance", "will not be able to return"),
        ("US Defense", "warning", "strengthened"),
        ("residents in Mosul", "concern", "fears"),
    ],
)
def test_statements(coded: CodedDocument, speaker: str, stance: str, fragment: str) -> None:
    claims = [c for c in coded.claims if speaker in c.speaker]
    assert len(claims) == 1, [c.speaker for c in coded.claims]
    claim = claims[0]
    assert claim.stance == stance
    assert fragment in claim.text
    ev = claim.evidence[0]
    assert fragment in coded.document.text[ev.start : ev.end]


def test_yarallah_title(coded: CodedDocument) -> None:
    (claim,) = [c for c in coded.claims if "Yarallah" in c.speaker]
    assert claim.speaker_title is not None and "Deputy Chief of Staff" in claim.speaker_title
    assert claim.about_actor == "Islamic State"


def test_indicators(coded: CodedDocument) -> None:
    by_kind = {(i.kind, i.value) for i in coded.indicators}
    assert ("strength", 50000) in by_kind
    assert ("losses", 10000) in by_kind
    assert ("leadership", "at large") in by_kind
    assert any(k == "withdrawal" for k, _ in by_kind)
    assert ("tactic", "assassinations") in by_kind
    regions = {i.place.name for i in coded.indicators if i.kind == "resurgence" and i.place}
    assert {"Jazira", "Badia"} <= regions
    strength = next(i for i in coded.indicators if i.kind == "strength")
    assert strength.actor == "Islamic State"
    assert coded.document.text[strength.evidence[0].start : strength.evidence[0].end].startswith(
        "50000"
    )


def test_evidence_points_at_the_original_text(coded: CodedDocument) -> None:
    # The text is repaired for parsing ("-dir-ty", "Daesh .The"), the spans still index the original.
    assert "-dir-ty" in coded.document.text
    for item in [*coded.events, *coded.claims, *coded.indicators]:
        for e in item.evidence:
            assert coded.document.text[e.start : e.end].strip()
