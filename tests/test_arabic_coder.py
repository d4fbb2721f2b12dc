"""The Arabic coder: Arabic reports coded natively into the English pipeline's records, scored on
our own Arabic corpus (``tests/data/arabic``), and mixed documents coded sentence by sentence.

The corpus was written for this test from public reporting of real incidents (our own words, no
copied text), each report with the gold an ACLED coder would give it. ``tune/`` (62 reports) is
what the rules were written and tuned on: the first 20 reports, the 12 of the first held-out set
once it had been scored, 10 written for the classes the second one found, and the 20 of a second
unseen set, written blind and scored once before they were moved here (docs/arabic.md).
``heldout/`` (13 reports, written in the styles of a state agency, Kurdish outlets, a monitor, a
tribal source, a Security Media Cell statement, a wire and the group's own claim) was written after
the rules were done and scored once before any change (docs/arabic.md gives that first score); the
classes of its failures have been fixed since, so its floors are now the score after those fixes
and guard against regression only: it is no longer a measure of unseen reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harbinger.evaluate.datasets import load_reports
from harbinger.evaluate.runner import EvalResult, evaluate
from harbinger.extract.coder import Coder
from harbinger.ingest.text import parse_text
from tests.helpers import coder

ARABIC = Path(__file__).resolve().parent / "data" / "arabic"

#: Regression floors, measured and rounded DOWN to two decimals (see tests/test_reports_corpus.py).
TUNE_FLOORS = {
    # The published dates of four reports (an Amaq, an Asharq al-Awsat, a BasNews and a Xinhua
    # header) wait for the ingest stage to read Arabic date lines (docs/arabic.md).
    "published_accuracy": 0.93,  # 58/62
    "date_accuracy": 0.93,  # 60/64
    "event_type_accuracy": 0.98,  # 63/64
    "sub_event_type_accuracy": 0.98,  # 63/64
    "actor_f1": 0.99,  # 0.992
    "admin1_accuracy": 1.00,  # 64/64
    "fatalities_accuracy": 1.00,  # 64/64
    "fields_right": 0.96,  # 541/558
}
#: The held-out part after the class fixes its first run prompted (not a held-out figure: the
#: first run scored 0.724 fields right, 89/123, docs/arabic.md).
HELDOUT_FLOORS = {
    "published_accuracy": 1.00,  # 13/13 (first run 13/13)
    "date_accuracy": 1.00,  # 13/13 (first run 11/13)
    "event_type_accuracy": 1.00,  # 13/13 (first run 10/13)
    "sub_event_type_accuracy": 1.00,  # 13/13 (first run 9/13)
    "actor_f1": 1.00,  # 1.000 (first run 0.745)
    "admin1_accuracy": 1.00,  # 13/13 (first run 12/13)
    "fatalities_accuracy": 1.00,  # 13/13 (first run 8/13)
    "fields_right": 1.00,  # 115/115 (first run 89/123)
}


@pytest.fixture(scope="module")
def arabic_coder() -> Coder:
    return coder()


@pytest.fixture(scope="module")
def tune(arabic_coder: Coder) -> EvalResult:
    return evaluate("reports", ARABIC / "tune", coder=arabic_coder)


@pytest.fixture(scope="module")
def heldout(arabic_coder: Coder) -> EvalResult:
    return evaluate("reports", ARABIC / "heldout", coder=arabic_coder)


def test_corpus_has_thirty_reports_in_two_parts_each_with_a_valid_gold() -> None:
    tune, held = load_reports(ARABIC / "tune"), load_reports(ARABIC / "heldout")
    assert tune.skipped == () and held.skipped == ()
    assert len(tune.rows) + len(held.rows) >= 30 and len(held.rows) >= 10
    assert not {r.name for r in tune.rows} & {r.name for r in held.rows}
    rows = tune.rows + held.rows
    assert any(len(r.events) >= 2 for r in rows) and any(not r.events for r in rows)


@pytest.mark.parametrize("key", sorted(TUNE_FLOORS))
def test_tune_part_stays_at_or_above_its_floor(tune: EvalResult, key: str) -> None:
    value = tune.metric(key).value
    assert value is not None and value >= TUNE_FLOORS[key], (key, value)


@pytest.mark.parametrize("key", sorted(HELDOUT_FLOORS))
def test_heldout_part_stays_at_or_above_its_floor(heldout: EvalResult, key: str) -> None:
    value = heldout.metric(key).value
    assert value is not None and value >= HELDOUT_FLOORS[key], (key, value)


REPORT = """هجوم لداعش في ديالى

المحرر الأمني

الجمعة 21 كانون الثاني 2022

قتل أحد عشر جنديا من الجيش العراقي فجر اليوم الجمعة بهجوم شنه مسلحو تنظيم داعش على مقر سرية في ناحية العظيم بمحافظة ديالى.

وحذر مسؤول محلي من عودة نشاط الخلايا النائمة في المنطقة.
"""


def test_an_arabic_report_is_coded_natively_with_english_values_and_arabic_evidence(
    arabic_coder: Coder,
) -> None:
    coded = arabic_coder.code(parse_text(REPORT, "diyala.txt"))
    assert coded.document.language == "ar"
    (event,) = coded.events
    assert event.sub_event_type == "Armed clash" and event.event_type == "Battles"
    assert event.actor1 == "Islamic State (Iraq)"
    assert event.actor2 is not None and event.actor2.startswith("Military Forces of Iraq")
    assert event.place is not None and event.place.admin1_code == "IQ-DI"
    assert event.fatalities == 11
    assert str(event.date) == "2022-01-21" and event.time_precision == 1
    (evidence,) = event.evidence
    assert evidence.sentence.startswith("قتل أحد عشر جنديا")
    assert REPORT[evidence.start : evidence.end] == evidence.sentence
    assert [c.stance for c in coded.claims] == ["warning"]
    assert "resurgence" in {i.kind for i in coded.indicators}
    quoted = coded.indicators[0].evidence[0]
    assert (
        "الخلايا النائمة" in REPORT[quoted.start : quoted.end]
        or "عودة" in REPORT[quoted.start : quoted.end]
    )


def test_a_mixed_document_is_coded_sentence_by_sentence(arabic_coder: Coder) -> None:
    english = (
        "Clashes in Hasakah\n\nBy Jane Roe\n\n21 January 2022\n\n"
        "Islamic State militants attacked a checkpoint in Tal Afar on Thursday, killing three "
        "Iraqi soldiers, the army said.\n\n"
    )
    arabic = "وقتل أربعة عناصر من قوات سوريا الديمقراطية مساء الخميس بهجوم لداعش في بلدة الشحيل.\n"
    text = english + arabic
    coded = arabic_coder.code(parse_text(text, "mixed.txt"))
    places = {e.place.admin1_code for e in coded.events if e.place}
    assert {"IQ-NI", "SY-DY"} <= places, coded.events
    syrian = next(e for e in coded.events if e.place and e.place.admin1_code == "SY-DY")
    assert syrian.fatalities == 4
    assert text[syrian.evidence[0].start : syrian.evidence[0].end].startswith("وقتل")
    assert coded.document.text == text  # the document as written, not the blanked copy
    assert coded.document.language == "en"  # mostly English


def test_an_english_document_does_not_load_the_arabic_coder() -> None:
    fresh = Coder()
    fresh.code(parse_text("Title\n\nNothing happened in Mosul today.", "en.txt"))
    assert "arabic" not in vars(fresh)


def test_english_evidence_of_a_mixed_document_keeps_its_arabic_words(arabic_coder: Coder) -> None:
    # The English pipeline reads a copy with the Arabic blanked; its quotes are of the text.
    text = (
        "Clash near Tikrit\n\n12 August 2019\n\nIraqi security forces killed three Islamic State "
        "militants in clashes near Tikrit (تكريت) on Monday, a police officer said.\n\n"
        "وقتل أربعة عناصر من قوات سوريا الديمقراطية مساء الأحد بهجوم لداعش في بلدة الشحيل.\n"
    )
    coded = arabic_coder.code(parse_text(text, "mixed.txt"))
    quotes = [ev for e in coded.events for ev in e.evidence]
    assert any("Tikrit (تكريت)" in ev.sentence for ev in quotes), quotes
    for ev in quotes:
        assert text[ev.start : ev.end] == ev.sentence
