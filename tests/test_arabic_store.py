"""Arabic past the coder: near-copies found in two outlets' spellings, two outlets' reports of
one incident merged as English ones are, the store keeping every Arabic character (text, title,
byline, evidence, speakers), and the exports writing them in UTF-8 with the original words.

The three reports in ``tests/data/arabic/dedup`` were written for these tests (an invented
roadside bomb near Sulaiman Bek on 9 March 2021): a local agency's report (four killed), a
Kurdish outlet's (five killed, other words), and the first republished under a new headline with
diacritics, another hamza and tanween added.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from harbinger import dedup
from harbinger.ingest.text import parse_text
from harbinger.records import CodedDocument
from harbinger.report.export import export_acled_csv, export_geojson, export_jsonl
from harbinger.store import Store
from tests.helpers import coder

DATA = Path(__file__).parent / "data" / "arabic" / "dedup"
LOCAL, KURDISH, COPY = "a_local_agency.txt", "b_kurdish_outlet.txt", "c_republished_copy.txt"


@pytest.fixture(scope="module")
def reports() -> dict[str, CodedDocument]:
    c = coder()
    return {
        name: c.code(parse_text((DATA / name).read_text(encoding="utf-8"), str(DATA / name)))
        for name in (LOCAL, KURDISH, COPY)
    }


def _body(coded: CodedDocument) -> str:
    return coded.document.text[coded.document.body_start :]


def test_the_reports_code_as_the_tests_expect(reports: dict[str, CodedDocument]) -> None:
    for name, coded in reports.items():
        assert coded.document.language == "ar", name
        (event,) = coded.events
        assert event.sub_event_type == "Remote explosive/landmine/IED", name
        assert event.place is not None and event.place.name == "Sulaiman Bek", name
    assert [reports[n].events[0].fatalities for n in (LOCAL, KURDISH, COPY)] == [4, 5, 4]


def test_a_copy_in_other_spellings_is_a_near_copy(reports: dict[str, CodedDocument]) -> None:
    local, copy, kurdish = (dedup.minhash(_body(reports[n])) for n in (LOCAL, COPY, KURDISH))
    assert local is not None and copy is not None and kurdish is not None
    assert dedup.jaccard(local, copy) >= dedup.THRESHOLD
    assert dedup.jaccard(local, kurdish) < 0.3  # another outlet's words: no copy
    # Diacritics, tatweel and the hamza forms do not make two words of one.
    assert dedup.shingles("قُتِلَ " * 30) == dedup.shingles("قتل " * 30)
    assert dedup.shingles("إستهدفت " * 30) == dedup.shingles("استهدفت " * 30)


def test_english_shingles_are_unchanged() -> None:
    text = "Five people were killed on Tuesday when a car bomb exploded in a market. " * 3
    words = text.casefold().replace(".", " ").split()
    expected = [" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)]
    assert dedup.shingles(text) == expected


def test_two_outlets_reports_of_one_incident_merge(
    fresh_db: Store, reports: dict[str, CodedDocument]
) -> None:
    for name in (LOCAL, KURDISH, COPY):
        fresh_db.save(reports[name])
    # The republished copy is a second source of the local report, not a document of its own.
    assert fresh_db.counts()["documents"] == 2
    local = fresh_db.document(reports[LOCAL].document.id)
    assert local is not None and local.sources[-1] == str(DATA / COPY)
    # One incident, both outlets' reports with their own tolls, reconciled.
    (event,) = fresh_db.events()
    assert {s.document_id: s.fatalities for s in event.sources} == {
        reports[LOCAL].document.id: 4,
        reports[KURDISH].document.id: 5,
    }
    assert (event.fatalities_low, event.fatalities_high) == (4, 5)
    for name in (LOCAL, KURDISH):
        for evidence in reports[name].events[0].evidence:
            assert evidence in event.evidence


def test_the_store_keeps_every_arabic_character(
    fresh_db: Store, reports: dict[str, CodedDocument]
) -> None:
    coded = reports[LOCAL]
    fresh_db.save(coded)
    stored = fresh_db.document(coded.document.id)
    assert stored is not None
    assert stored.text == coded.document.text
    assert (stored.title, stored.author, stored.language) == (
        "مقتل أربعة من الحشد بانفجار عبوة ناسفة شمال طوزخورماتو",
        "شفق نيوز",
        "ar",
    )
    (event,) = fresh_db.events()
    assert event.title == stored.title
    evidence = event.evidence[0]
    assert evidence.sentence.startswith("قتل أربعة من مقاتلي الحشد الشعبي")
    for each in event.evidence:
        assert stored.text[each.start : each.end] == each.sentence
    assert event.notes.endswith("«" + evidence.sentence + "»")
    claims = fresh_db.claims(coded.document.id)
    assert [c.speaker for c in claims] == [c.speaker for c in coded.claims]
    assert stored.to_document().text == coded.document.text


def test_exports_write_the_arabic_words_in_utf8(
    fresh_db: Store, reports: dict[str, CodedDocument], tmp_path: Path
) -> None:
    fresh_db.save(reports[LOCAL])
    events = fresh_db.events()
    sentence = events[0].evidence[0].sentence

    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        assert export_acled_csv(events, fh) == 1
    raw = path.read_bytes()
    assert sentence.encode("utf-8") in raw  # the notes carry the sentence, as UTF-8
    with path.open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["notes"].endswith("«" + sentence + "»")
    assert row["location"] == "Sulaiman Bek" and row["event_type"] == "Explosions/Remote violence"

    lines = io.StringIO()
    export_jsonl(events, lines)
    (record,) = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert record["evidence"][0]["sentence"] == sentence
    assert sentence in lines.getvalue()  # written as itself, not as \\u escapes

    geo = io.StringIO()
    export_geojson(events, geo)
    feature = json.loads(geo.getvalue())["features"][0]
    assert (
        feature["properties"]["title"] == "مقتل أربعة من الحشد بانفجار عبوة ناسفة شمال طوزخورماتو"
    )
