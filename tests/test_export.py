"""Tests of harbinger.report.export (ACLED CSV, GeoJSON, JSON Lines) and harbinger.taxonomy."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest

from conftest import DEIR_EZ_ZOR, NOWHERE, RAMADI, RecordFactory
from harbinger.errors import KnowledgeError
from harbinger.records import CodedDocument, Place
from harbinger.report.export import ACLED_COLUMNS, export_acled_csv, export_geojson, export_jsonl
from harbinger.store import Store, StoredEvent
from harbinger.taxonomy import (
    case_label,
    disorder_type,
    event_type_of,
    event_types,
    is_sub_event_type,
    load_taxonomy,
    taxonomy,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture
def stored(fresh_db: Store, make: RecordFactory) -> list[StoredEvent]:
    """Four stored events: a battle in Mosul, an IED on civilians in Ramadi, a protest crackdown
    in Deir ez-Zor, and an air strike somewhere in the desert with no coordinates."""
    doc = make.document()
    events = (
        make.event(doc.id, id="ev-mosul"),
        make.event(
            doc.id,
            id="ev-ramadi",
            place=RAMADI,
            event_type="Explosions/Remote violence",
            sub_event_type="Remote explosive/landmine/IED",
            actor1="Islamic State (Iraq)",
            actor2="Civilians (Iraq)",
            inter1=2,
            inter2=7,
            fatalities=2,
            notes='On 1 August 2019, an IED "hit" a bus, killing 2, near Ramadi.',
        ),
        make.event(
            doc.id,
            id="ev-deir",
            place=DEIR_EZ_ZOR,
            event_type="Protests",
            sub_event_type="Excessive force against protesters",
            actor1="Protesters (Syria)",
            actor2="QSD: Syrian Democratic Forces",
            inter1=6,
            inter2=2,
        ),
        make.event(
            doc.id,
            id="ev-desert",
            place=NOWHERE,
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            actor1="Global Coalition Against Daesh",
            actor2=None,
            inter1=8,
            inter2=None,
        ),
    )
    fresh_db.save(CodedDocument(document=doc, events=events))
    by_id = {e.id: e for e in fresh_db.events()}
    return [by_id[i] for i in ("ev-mosul", "ev-ramadi", "ev-deir", "ev-desert")]


# -- ACLED CSV ---------------------------------------------------------------------------------


def _acled(events: list[StoredEvent]) -> tuple[int, list[str], list[dict[str, str]]]:
    out = io.StringIO(newline="")
    n = export_acled_csv(events, out)
    out.seek(0)
    reader = csv.DictReader(out)
    rows = list(reader)
    return n, list(reader.fieldnames or []), rows


def test_acled_csv_has_acleds_columns_in_order(stored: list[StoredEvent]) -> None:
    n, columns, rows = _acled(stored)
    assert n == len(rows) == 4
    assert columns == list(ACLED_COLUMNS)
    assert columns[:5] == [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "disorder_type",
    ]
    assert columns[-1] == "timestamp" and len(columns) == 31


def test_acled_csv_values(stored: list[StoredEvent]) -> None:
    _, _, rows = _acled(stored)
    mosul, ramadi, deir, desert = rows
    assert mosul["event_id_cnty"] == "ev-mosul"
    assert mosul["event_date"] == "2019-07-21"
    assert mosul["year"] == "2019"
    assert mosul["time_precision"] == "1"
    assert mosul["disorder_type"] == "Political violence"
    assert mosul["event_type"] == "Battles"
    assert mosul["actor1"] == "Military Forces of Iraq (2018-2022)"
    assert (mosul["inter1"], mosul["inter2"], mosul["interaction"]) == ("1", "2", "12")
    assert mosul["civilian_targeting"] == ""
    assert mosul["iso"] == "368"
    assert mosul["region"] == "Middle East"
    assert (mosul["country"], mosul["admin1"], mosul["admin2"]) == ("Iraq", "Nineveh", "Mosul")
    assert mosul["admin3"] == ""
    assert mosul["location"] == "Mosul"
    assert (mosul["latitude"], mosul["longitude"]) == ("36.3350", "43.1189")
    assert mosul["geo_precision"] == "1"
    assert mosul["source"] == "tests/data/report.txt"
    assert mosul["fatalities"] == "3"
    assert mosul["timestamp"] == "1714564800"  # 2024-05-01T12:00:00Z, the ingestion time

    assert ramadi["civilian_targeting"] == "Civilians targeted"
    assert ramadi["interaction"] == "27"
    # Quotes and commas in notes survive the round trip.
    assert ramadi["notes"] == 'On 1 August 2019, an IED "hit" a bus, killing 2, near Ramadi.'

    assert deir["iso"] == "760"
    assert deir["disorder_type"] == "Political violence; Demonstrations"
    assert deir["admin2"] == ""

    assert desert["actor2"] == "" and desert["inter2"] == "" and desert["interaction"] == "80"
    assert desert["latitude"] == "" and desert["geo_precision"] == "3"


def test_acled_csv_imported_event_keeps_dataset_id(fresh_db: Store, make: RecordFactory) -> None:
    coded = make.coded(events=1, claims=0, indicators=0)
    fresh_db.save(coded, origin="acled", source_event_ids={coded.events[0].id: "IRQ4521"})
    _, _, [row] = _acled(fresh_db.events())
    assert row["event_id_cnty"] == "IRQ4521"


def test_acled_csv_unknown_country_and_sub_type_left_blank(
    fresh_db: Store, make: RecordFactory
) -> None:
    doc = make.document()
    somewhere = Place(name="Atlantis", country="Atlantis", latitude=1.0, longitude=2.0)
    event = make.event(doc.id, place=somewhere, sub_event_type="Teleportation")
    fresh_db.save(CodedDocument(document=doc, events=(event,)))
    _, _, [row] = _acled(fresh_db.events())
    assert (row["iso"], row["region"], row["disorder_type"]) == ("", "", "")
    assert row["country"] == "Atlantis"


def test_acled_csv_country_found_by_name_without_code(fresh_db: Store, make: RecordFactory) -> None:
    doc = make.document()
    place = Place(name="Raqqa", country="Syria", latitude=35.95, longitude=39.01)
    fresh_db.save(CodedDocument(document=doc, events=(make.event(doc.id, place=place),)))
    _, _, [row] = _acled(fresh_db.events())
    assert (row["iso"], row["region"]) == ("760", "Middle East")


def test_acled_csv_of_nothing_is_a_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        assert export_acled_csv([], out) == 0
    assert path.read_text(encoding="utf-8") == ",".join(ACLED_COLUMNS) + "\n"


# -- GeoJSON -----------------------------------------------------------------------------------


def test_geojson_points_and_skipped_count(stored: list[StoredEvent]) -> None:
    out = io.StringIO()
    assert export_geojson(stored, out) == 3
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection"
    assert data["skipped_without_coordinates"] == 1
    features = data["features"]
    assert [f["id"] for f in features] == ["ev-mosul", "ev-ramadi", "ev-deir"]
    mosul = features[0]
    assert mosul["type"] == "Feature"
    assert mosul["geometry"] == {"type": "Point", "coordinates": [43.11889, 36.335]}
    assert mosul["properties"] == stored[0].to_dict()
    assert mosul["properties"]["evidence"][0]["start"] == 10


def test_geojson_of_nothing_is_valid(make: RecordFactory) -> None:
    out = io.StringIO()
    assert export_geojson(iter(()), out) == 0
    assert json.loads(out.getvalue()) == {
        "type": "FeatureCollection",
        "features": [],
        "skipped_without_coordinates": 0,
    }


def test_geojson_skips_impossible_coordinates(stored: list[StoredEvent]) -> None:
    import dataclasses

    broken = [
        dataclasses.replace(stored[0], latitude=math.nan),
        dataclasses.replace(stored[1], longitude=200.0),
        stored[2],
    ]
    out = io.StringIO()
    assert export_geojson(broken, out) == 1
    assert json.loads(out.getvalue())["skipped_without_coordinates"] == 2


# -- JSON Lines --------------------------------------------------------------------------------


def test_jsonl_one_event_per_line(stored: list[StoredEvent]) -> None:
    out = io.StringIO()
    assert export_jsonl(stored, out) == 4
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    decoded = [json.loads(line) for line in lines]
    assert decoded == [e.to_dict() for e in stored]
    assert decoded[1]["origin"] == "coded" and decoded[1]["document_id"] == stored[1].document_id


def test_jsonl_keeps_non_ascii(fresh_db: Store, make: RecordFactory) -> None:
    doc = make.document()
    place = Place(name="الموصل", country="Iraq", country_code="IQ", latitude=36.3, longitude=43.1)
    fresh_db.save(CodedDocument(document=doc, events=(make.event(doc.id, place=place),)))
    out = io.StringIO()
    export_jsonl(fresh_db.events(), out)
    assert "الموصل" in out.getvalue()
    assert json.loads(out.getvalue())["location"] == "الموصل"


# -- taxonomy ----------------------------------------------------------------------------------


def test_taxonomy_has_acleds_6_types_and_25_sub_types() -> None:
    types = event_types()
    assert list(types) == [
        "Battles",
        "Protests",
        "Riots",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Strategic developments",
    ]
    assert sum(len(subs) for subs in types.values()) == 25
    assert types["Violence against civilians"] == [
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ]
    # A fresh dict each call: a caller's change does not leak into the next.
    types["Battles"].append("Invented")
    assert "Invented" not in event_types()["Battles"]


@pytest.mark.parametrize(
    ("sub", "event_type", "disorder", "label"),
    [
        ("Armed clash", "Battles", "Political violence", "ARMED_CLASH"),
        ("Government regains territory", "Battles", "Political violence", "GOV_REGAINS_TERIT"),
        ("Peaceful protest", "Protests", "Demonstrations", "PEACE_PROTEST"),
        ("Mob violence", "Riots", "Political violence", "MOB_VIOL"),
        (
            "Shelling/artillery/missile attack",
            "Explosions/Remote violence",
            "Political violence",
            "ART_MISS_ATTACK",
        ),
        (
            "Looting/property destruction",
            "Strategic developments",
            "Strategic developments",
            "PROPERTY_DISTRUCT",
        ),
        ("arrests", "Strategic developments", "Strategic developments", "ARREST"),
    ],
)
def test_taxonomy_lookups(sub: str, event_type: str, disorder: str, label: str) -> None:
    assert event_type_of(sub) == event_type
    assert disorder_type(sub) == disorder
    assert case_label(sub) == label
    assert is_sub_event_type(sub)


def test_unknown_sub_event_type_is_a_knowledge_error() -> None:
    assert not is_sub_event_type("Teleportation")
    with pytest.raises(KnowledgeError, match=r"'Teleportation'.*Armed clash"):
        disorder_type("Teleportation")


def test_taxonomy_is_loaded_once() -> None:
    assert taxonomy() is taxonomy()
    assert taxonomy().inter_labels[7] == "Civilians"
    assert taxonomy().regions["IQ"] == "Middle East"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("taxonomy_bad_disorder.yaml", r"disorder 'Civil unrest' is not one of"),
        ("taxonomy_duplicate_label.yaml", r"case_label 'ARMED_CLASH' is used twice"),
        ("taxonomy_not_yaml.yaml", r"not valid YAML"),
        ("no_such_taxonomy.yaml", r"cannot read"),
    ],
)
def test_invalid_taxonomy_files_name_the_file(name: str, expected: str) -> None:
    path = DATA / name
    with pytest.raises(KnowledgeError, match=expected) as info:
        load_taxonomy(path)
    assert str(path) in str(info.value)
