"""Tests of duplicate finding: near-copies of documents, and reports of one incident merged.

The articles in tests/data/dedup were written for these tests. Four report one invented car bomb
in Tuz Khurmatu on 14 March 2021 with different tolls: five killed (a local report), "at least
seven" (an agency), "between six and nine" (the ministry), and a wire copy of the local report
under a new headline. A fifth reports another car bomb the same day in Kirkuk, about 68 km away.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from datasketch import MinHashLSH
from typer.testing import CliRunner

from conftest import MOSUL, RAMADI, RecordFactory
from harbinger import dedup
from harbinger.cli import app
from harbinger.dedup import ReportKey
from harbinger.errors import StoreError
from harbinger.extract import Coder
from harbinger.ingest import iter_documents
from harbinger.ingest.text import parse_text
from harbinger.records import CodedDocument, Document
from harbinger.settings import Settings
from harbinger.store import Store, StoredEvent
from harbinger.store.engine import MIGRATIONS_DIR

DATA = Path(__file__).parent / "data" / "dedup"
LOCAL, AGENCY, MINISTRY, WIRE, KIRKUK = (
    "report_a_local.txt",
    "report_b_agency.txt",
    "report_c_ministry.txt",
    "report_d_wire_copy.txt",
    "report_e_kirkuk.txt",
)


@pytest.fixture(scope="module")
def reports() -> dict[str, CodedDocument]:
    """The five articles coded once, by file name."""
    coder = Coder(Settings())
    docs = [d for d in iter_documents([DATA]) if isinstance(d, Document)]
    return {Path(c.document.source).name: c for c in coder.code_many(iter(docs))}


def _save_all(store: Store, reports: dict[str, CodedDocument], order: Sequence[str]) -> None:
    for name in order:
        store.save(reports[name])


def _tuz(store: Store) -> StoredEvent:
    [event] = [e for e in store.events() if e.location == "Tuz Khurmatu"]
    return event


# -- the pure functions ------------------------------------------------------------------------


def test_lsh_bands_are_what_datasketch_chooses() -> None:
    lsh = MinHashLSH(threshold=dedup.THRESHOLD, num_perm=dedup.NUM_PERM)
    assert (lsh.b, lsh.r) == (dedup.BANDS, dedup.ROWS)


def test_shingles_ignore_case_and_spacing_and_skip_short_texts() -> None:
    text = (
        "A car bomb exploded near the market in Tuz Khurmatu on Sunday killing five people and "
        "wounding fourteen others a local police officer told reporters at the scene"
    )
    assert dedup.shingles(text) == dedup.shingles("  " + text.upper().replace(" ", "\n  "))
    assert dedup.shingles(text)[0] == b"a car bomb exploded near"
    assert dedup.shingles("Five killed in Tuz Khurmatu.") == []
    assert dedup.minhash("Five killed.") is None


def test_similarity_of_copies_edits_and_other_reports() -> None:
    local = (DATA / LOCAL).read_text()
    body = local.split("\n\n", 3)[3]
    # One edit in a body of 90 words changes 5 of its 86 shingles (Jaccard about 0.89); in
    # articles of 300 words and more a few such edits stay above the threshold.
    edited = body.replace("began searching", "were searching")
    agency = (DATA / AGENCY).read_text().split("\n\n", 3)[3]
    a, b, c = dedup.minhashes([body, edited, agency])
    assert a is not None and b is not None and c is not None
    assert dedup.jaccard(a, dedup.minhash(body) or b) == 1.0
    assert dedup.jaccard(a, b) >= dedup.THRESHOLD
    assert dedup.jaccard(a, c) < 0.2
    # Stored signatures round-trip, and a near-copy shares at least one band key here.
    assert dedup.jaccard(a, dedup.signature_from_bytes(dedup.signature_to_bytes(a))) == 1.0
    assert set(dedup.band_keys(a)) & set(dedup.band_keys(b))
    assert not set(dedup.band_keys(a)) & set(dedup.band_keys(c))
    assert len(dedup.band_keys(a)) == dedup.BANDS


def _key(**fields: object) -> ReportKey:
    values: dict[str, object] = {
        "event_id": "e1",
        "document_id": "d1",
        "date": dt.date(2021, 3, 14),
        "time_precision": 1,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "actor1": "Islamic State (Iraq)",
        "actor2": "Civilians (Iraq)",
        "country_code": "IQ",
        "location": "Tuz Khurmatu",
        "gazetteer_id": "cur:tuz_khurmatu",
        "latitude": 34.88808,
        "longitude": 44.63256,
        "geo_precision": 1,
        "confidence": 0.8,
        "fatalities": 5,
        "fatalities_low": None,
        "fatalities_high": None,
    }
    values.update(fields)
    return ReportKey(**values)  # type: ignore[arg-type]


def test_same_incident_rules() -> None:
    a = _key()
    other = {"event_id": "e2", "document_id": "d2"}
    assert dedup.same_incident(a, _key(**other))
    assert not dedup.same_incident(a, _key(event_id="e2"))  # the same document
    # Date: one day apart is the same incident, two days are not; vague dates never merge.
    assert dedup.same_incident(a, _key(**other, date=dt.date(2021, 3, 15)))
    assert not dedup.same_incident(a, _key(**other, date=dt.date(2021, 3, 16)))
    assert not dedup.same_incident(a, _key(**other, time_precision=2))
    assert not dedup.same_incident(a, _key(**other, date=None))
    # Type: the same event type will do (a suicide car bomb in one report, a car bomb in another).
    assert dedup.same_incident(a, _key(**other, sub_event_type="Suicide bomb"))
    assert not dedup.same_incident(a, _key(**other, event_type="Battles"))
    # Place: another name within 10 km, not 12 km; a governorate centroid is never "near".
    near = {"gazetteer_id": None, "location": "Market district", "latitude": 34.93}
    assert dedup.same_incident(a, _key(**other, **near))
    assert not dedup.same_incident(a, _key(**other, **(near | {"latitude": 34.996})))
    assert not dedup.same_incident(a, _key(**other, **near, geo_precision=3))
    # Actors: an unknown side is compatible, a different known one is not.
    assert dedup.same_incident(a, _key(**other, actor1="Unidentified Armed Group (Iraq)"))
    assert dedup.same_incident(a, _key(**other, actor1=None))
    assert not dedup.same_incident(a, _key(**other, actor1="PKK: Kurdistan Workers Party"))
    # Sides may be swapped, except in violence against civilians (the victim is always 2nd).
    battle = {"event_type": "Battles", "actor2": "Military Forces of Iraq (2020-2022)"}
    swapped = {"actor1": battle["actor2"], "actor2": "Islamic State (Iraq)"}
    assert dedup.same_incident(_key(**battle), _key(**other, **battle | swapped))
    vac = {"event_type": "Violence against civilians"}
    assert not dedup.same_incident(
        _key(**vac), _key(**other, **vac, actor1="Civilians (Iraq)", actor2="Islamic State (Iraq)")
    )


def test_reconcile_takes_the_median_and_the_extremes() -> None:
    five = _key(fatalities=5)
    seven = _key(fatalities=7, fatalities_low=7)
    range_6_9 = _key(fatalities=6, fatalities_low=6, fatalities_high=9)
    assert dedup.reconcile([five, seven, range_6_9]) == (6, 5, 9)
    # An even number of reports: the lower middle figure, the conservative side.
    assert dedup.reconcile([five, seven]) == (5, 5, 7)
    # A report that gives no deaths does not pull the figures to zero...
    assert dedup.reconcile([five, _key(fatalities=0), seven]) == (5, 5, 7)
    # ...unless no report gives any.
    assert dedup.reconcile([_key(fatalities=0), _key(fatalities=0)]) == (0, 0, 0)


def test_representative_prefers_precision_then_confidence_then_id() -> None:
    keys = [
        _key(event_id="b", geo_precision=2),
        _key(event_id="c", confidence=0.9),
        _key(event_id="a"),
    ]
    assert min(keys, key=dedup.representative_order).event_id == "c"
    assert sorted(k.event_id for k in sorted(keys, key=dedup.representative_order)) == [
        "a",
        "b",
        "c",
    ]


# -- the store, on the written articles --------------------------------------------------------


def test_the_articles_code_as_the_tests_expect(reports: dict[str, CodedDocument]) -> None:
    # Guards the tests below: each article gives one car bomb on 14 March 2021.
    for name, coded in reports.items():
        [event] = coded.events
        assert event.date == dt.date(2021, 3, 14), name
        assert event.event_type == "Explosions/Remote violence", name
    tolls = {n: (c.events[0].fatalities, c.events[0].fatalities_high) for n, c in reports.items()}
    assert tolls == {
        LOCAL: (5, None),
        AGENCY: (7, None),
        MINISTRY: (6, 9),
        WIRE: (5, None),
        KIRKUK: (3, None),
    }


def test_one_incident_in_four_reports(fresh_db: Store, reports: dict[str, CodedDocument]) -> None:
    _save_all(fresh_db, reports, [LOCAL, AGENCY, MINISTRY, WIRE, KIRKUK])
    # The wire copy is stored once, as a second source of the local report.
    assert fresh_db.counts()["documents"] == 4
    local = fresh_db.document(reports[LOCAL].document.id)
    assert local is not None
    assert local.sources == (str(DATA / LOCAL), str(DATA / WIRE))
    assert not fresh_db.has_document(reports[WIRE].document.id)

    # Two events: the Tuz Khurmatu bombing once, the Kirkuk bombing 68 km away on its own.
    events = fresh_db.events()
    assert sorted(e.location or "" for e in events) == ["Kirkuk", "Tuz Khurmatu"]
    tuz = _tuz(fresh_db)
    assert (tuz.fatalities, tuz.fatalities_low, tuz.fatalities_high) == (6, 5, 9)
    # Every report of it is kept, with its own figures and its evidence.
    own = {s.document_id: (s.fatalities, s.fatalities_high) for s in tuz.sources}
    assert own == {
        reports[LOCAL].document.id: (5, None),
        reports[AGENCY].document.id: (7, None),
        reports[MINISTRY].document.id: (6, 9),
    }
    ids = {n: reports[n].events[0].id for n in (LOCAL, AGENCY, MINISTRY)}
    assert tuz.id == tuz.sources[0].event_id == min(ids.values())
    assert sorted([tuz.id, *tuz.merged_from]) == sorted(ids.values())
    for name in (LOCAL, AGENCY, MINISTRY):
        for evidence in reports[name].events[0].evidence:
            assert evidence in tuz.evidence
    data = tuz.to_dict()
    assert data["merged_from"] == list(tuz.merged_from) and len(data["merged_from"]) == 2
    assert {s["title"] for s in data["sources"]} == {
        reports[n].document.title for n in (LOCAL, AGENCY, MINISTRY)
    }
    assert {"fatalities", "url", "source", "document_id"} <= set(data["sources"][0])
    [kirkuk] = [e for e in events if e.location == "Kirkuk"]
    assert kirkuk.merged_from == () and kirkuk.fatalities == 3
    assert [s.document_id for s in kirkuk.sources] == [reports[KIRKUK].document.id]


def test_an_event_found_by_id_and_by_the_documents_that_report_it(
    fresh_db: Store, reports: dict[str, CodedDocument]
) -> None:
    _save_all(fresh_db, reports, [LOCAL, AGENCY, MINISTRY, WIRE, KIRKUK])
    tuz = _tuz(fresh_db)
    for event_id in (tuz.id, *tuz.merged_from):  # a merged report's id finds the merged event
        found = fresh_db.event(event_id)
        assert found is not None and found.id == tuz.id and found.evidence == tuz.evidence
    assert fresh_db.event("ev-no-such-event") is None
    for name in (LOCAL, AGENCY, MINISTRY):
        assert [e.id for e in fresh_db.events(document_id=reports[name].document.id)] == [tuz.id]
    [kirkuk] = fresh_db.events(document_id=reports[KIRKUK].document.id)
    assert kirkuk.location == "Kirkuk"
    assert fresh_db.events(document_id="no-such-document") == []
    assert [e.id for e in fresh_db.events(ids=[kirkuk.id, tuz.id])] == [
        e.id for e in fresh_db.events()
    ]


def test_merging_does_not_depend_on_order(
    db_url: str, reports: dict[str, CodedDocument], tmp_path: Path
) -> None:
    names = [LOCAL, AGENCY, MINISTRY, KIRKUK]
    results = []
    for n, order in enumerate([names, names[::-1], [MINISTRY, KIRKUK, LOCAL, AGENCY]]):
        url = db_url if n == 0 else f"sqlite:///{tmp_path / f'order{n}.db'}"
        with Store(url) as store:
            _save_all(store, reports, order)
            results.append([e.to_dict() for e in store.events()])
    assert results[0] == results[1] == results[2]
    assert len(results[0]) == 2


@pytest.mark.parametrize("order", list(itertools.permutations([LOCAL, AGENCY, WIRE]))[::2])
def test_figures_do_not_depend_on_order_with_a_wire_copy(
    fresh_db: Store, reports: dict[str, CodedDocument], order: Sequence[str]
) -> None:
    _save_all(fresh_db, reports, [*order, MINISTRY])
    tuz = _tuz(fresh_db)
    assert (tuz.fatalities, tuz.fatalities_low, tuz.fatalities_high) == (6, 5, 9)
    assert len(tuz.sources) == 3
    assert fresh_db.counts()["documents"] == 3


def test_ingesting_again_changes_nothing(
    fresh_db: Store, reports: dict[str, CodedDocument]
) -> None:
    everything = [LOCAL, AGENCY, MINISTRY, WIRE, KIRKUK]
    _save_all(fresh_db, reports, everything)
    before = ([e.to_dict() for e in fresh_db.events()], fresh_db.counts())
    assert fresh_db.save_many(reports[n] for n in everything[::-1]) == (0, 5)
    assert ([e.to_dict() for e in fresh_db.events()], fresh_db.counts()) == before


def test_save_many_equals_saving_one_by_one(
    fresh_db: Store, reports: dict[str, CodedDocument], tmp_path: Path
) -> None:
    order = [KIRKUK, WIRE, MINISTRY, LOCAL, AGENCY]
    assert fresh_db.save_many((reports[n] for n in order), batch_size=2) == (4, 1)
    with Store(f"sqlite:///{tmp_path / 'one.db'}") as one:
        _save_all(one, reports, order)
        assert [e.to_dict() for e in one.events()] == [e.to_dict() for e in fresh_db.events()]


def test_the_near_copy_index_survives_a_restart(
    db_url: str, reports: dict[str, CodedDocument]
) -> None:
    with Store(db_url) as store:
        assert store.save(reports[LOCAL])
    with Store(db_url) as store:
        assert not store.save(reports[WIRE])
        assert store.counts() == {
            "documents": 1,
            "events": 1,
            "claims": len(reports[LOCAL].claims),
            "indicators": len(reports[LOCAL].indicators),
            "skipped": 0,
        }


def test_a_copy_with_a_few_words_edited_is_a_near_copy(
    fresh_db: Store, reports: dict[str, CodedDocument], make: RecordFactory
) -> None:
    fresh_db.save(reports[LOCAL])
    text = (
        (DATA / LOCAL)
        .read_text()
        .replace("Car bomb kills five", "Five dead in")
        .replace("began searching", "were searching")
    )
    edited = parse_text(text, "feeds/regional.xml")
    assert not fresh_db.save(CodedDocument(document=edited))
    local = fresh_db.document(reports[LOCAL].document.id)
    assert local is not None and local.sources[-1] == "feeds/regional.xml"
    # Short texts are never taken for copies of one another.
    assert fresh_db.save(CodedDocument(document=make.document("Car bomb in Tuz Khurmatu.")))


# -- the store, on made-up records -------------------------------------------------------------


def test_imported_events_are_never_merged(fresh_db: Store, make: RecordFactory) -> None:
    first, second, coded = make.coded(), make.coded(), make.coded()
    fresh_db.save(first, origin="ucdp")
    fresh_db.save(second, origin="ucdp")
    fresh_db.save(coded)  # the same incident as both, by Harbinger's coding
    events = fresh_db.events()
    assert len(events) == 3
    assert all(e.merged_from == () and len(e.sources) == 1 for e in events)


def test_daily_events_in_one_town_do_not_chain_into_one(
    fresh_db: Store, make: RecordFactory
) -> None:
    # Days 20 and 22 are two days apart; a report of day 21 matches both, but an incident is
    # formed around one leader, so the three never become one event.
    docs = [make.document() for _ in range(3)]
    days = [dt.date(2019, 7, 20), dt.date(2019, 7, 22), dt.date(2019, 7, 21)]
    for doc, day, toll in zip(docs, days, [2, 10, 4], strict=True):
        event = make.event(doc.id, date=day, fatalities=toll)
        fresh_db.save(CodedDocument(document=doc, events=(event,)))
    events = fresh_db.events()
    assert len(events) == 2
    assert fresh_db.counts()["events"] == 2
    [merged] = [e for e in events if e.merged_from]
    assert len(merged.sources) == 2 and len(merged.evidence) == 4
    tolls = sorted(s.fatalities for s in merged.sources)
    assert tolls in ([2, 4], [4, 10])
    assert (merged.fatalities_low, merged.fatalities_high) == (tolls[0], tolls[1])
    assert merged.fatalities == tolls[0]  # the lower of two middle figures


def test_a_better_report_takes_over_and_a_former_follower_leads_again(
    fresh_db: Store, make: RecordFactory
) -> None:
    # A precise report of day 21 leads, and the day-20 report joins it. Then a report of day 22
    # that is more precise still (higher confidence) arrives: the day-21 report joins it, and
    # the day-20 report, too far from day 22, becomes an event of its own again, with its own
    # figures and its own row.
    docs = [make.document() for _ in range(3)]
    first = make.event(docs[0].id, date=dt.date(2019, 7, 21), fatalities=4, confidence=0.8)
    second = make.event(docs[1].id, date=dt.date(2019, 7, 20), fatalities=2, confidence=0.7)
    third = make.event(docs[2].id, date=dt.date(2019, 7, 22), fatalities=6, confidence=0.9)
    for doc, event in zip(docs, (first, second, third), strict=True):
        fresh_db.save(CodedDocument(document=doc, events=(event,)))
        if event is second:
            [merged] = fresh_db.events()
            assert merged.id == first.id and merged.fatalities_low == 2
    events = {e.id: e for e in fresh_db.events()}
    assert set(events) == {third.id, second.id}
    assert events[third.id].merged_from == (first.id,)
    assert (events[third.id].fatalities_low, events[third.id].fatalities_high) == (4, 6)
    alone = events[second.id]
    # Its row is the report as coded again (fatalities 2, no range), nothing merged into it.
    assert alone.to_event() == second
    assert alone.merged_from == () and [x.event_id for x in alone.sources] == [second.id]


def test_events_elsewhere_or_other_actors_stay_apart(fresh_db: Store, make: RecordFactory) -> None:
    base = make.document()
    fresh_db.save(CodedDocument(document=base, events=(make.event(base.id),)))
    variants: list[dict[str, object]] = [
        {"place": RAMADI},
        {"actor2": "QSD: Syrian Democratic Forces"},
        {"date": dt.date(2019, 7, 23)},
        {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"},
    ]
    for fields in variants:
        doc = make.document()
        fresh_db.save(CodedDocument(document=doc, events=(make.event(doc.id, **fields),)))
    assert len(fresh_db.events()) == 5
    # The same incident reported again (the same Mosul clash) does merge.
    doc = make.document()
    fresh_db.save(CodedDocument(document=doc, events=(make.event(doc.id, place=MOSUL),)))
    assert len(fresh_db.events()) == 5


def test_save_many_keeps_the_batches_before_a_failure(fresh_db: Store, make: RecordFactory) -> None:
    good = [
        make.coded(events=0, claims=1, indicators=0),
        make.coded(events=0, claims=1, indicators=0),
    ]
    bad = make.coded(events=0, claims=1, indicators=0)
    bad = dataclasses.replace(
        bad, claims=(dataclasses.replace(bad.claims[0], id=good[0].claims[0].id),)
    )
    later = make.coded(events=0, claims=1, indicators=0)
    with pytest.raises(StoreError) as info:
        fresh_db.save_many([*good, bad, later], batch_size=2)
    assert "the 2 documents of the batches before it were" in str(info.value)
    assert bad.document.id in str(info.value)
    assert fresh_db.counts()["documents"] == 2
    assert not fresh_db.has_document(later.document.id)
    with pytest.raises(ValueError):
        fresh_db.save_many([], batch_size=0)


def test_migration_0002_gives_stored_events_their_own_report(
    db_url: str, make: RecordFactory
) -> None:
    # A database at revision 0001 with a coded event, then opened by this Harbinger.
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", db_url)
    command.upgrade(config, "0001")
    doc = make.document()
    old = make.event(doc.id, fatalities=4)
    engine = sa.create_engine(db_url)
    meta = sa.MetaData()
    documents = sa.Table("documents", meta, autoload_with=engine)
    events = sa.Table("events", meta, autoload_with=engine)
    row = dict.fromkeys(events.c.keys()) | {
        "id": old.id,
        "document_id": doc.id,
        "date": old.date,
        "time_precision": 1,
        "event_type": old.event_type,
        "sub_event_type": old.sub_event_type,
        "actor1": old.actor1,
        "actor2": old.actor2,
        "country_code": "IQ",
        "location": "Mosul",
        "latitude": MOSUL.latitude,
        "longitude": MOSUL.longitude,
        "geo_precision": 1,
        "fatalities": 4,
        "confidence": 0.8,
        "notes": "",
        "origin": "coded",
    }
    try:
        with engine.begin() as conn:
            conn.execute(
                documents.insert(),
                {
                    "id": doc.id,
                    "source": doc.source,
                    "text": doc.text,
                    "language": "en",
                    "body_start": 0,
                    "ingested_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                },
            )
            conn.execute(events.insert(), row)
    finally:
        engine.dispose()
    with Store(db_url) as store:
        newer = make.document()
        store.save(CodedDocument(document=newer, events=(make.event(newer.id, fatalities=8),)))
        [merged] = store.events()
    assert sorted(s.fatalities for s in merged.sources) == [4, 8]
    assert {s.document_id for s in merged.sources} == {doc.id, newer.id}
    assert (merged.fatalities, merged.fatalities_low, merged.fatalities_high) == (4, 4, 8)


# -- the command line --------------------------------------------------------------------------


def test_harbinger_ingest_stores_the_wire_copy_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(app, ["ingest", str(DATA), "--db", url])
    assert result.exit_code == 0, result.stderr
    assert "4 new documents" in result.stderr
    assert "1 already stored" in result.stderr
    with Store(url) as store:
        assert store.counts()["documents"] == 4
        tuz = _tuz(store)
        assert (tuz.fatalities, tuz.fatalities_low, tuz.fatalities_high) == (6, 5, 9)


# -- the REST API ------------------------------------------------------------------------------


def test_the_api_shows_the_merge(tmp_path: Path, reports: dict[str, CodedDocument]) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from harbinger.web import create_app

    url = f"sqlite:///{tmp_path / 'api.db'}"
    with Store(url) as store:
        _save_all(store, reports, [LOCAL, AGENCY, MINISTRY, WIRE, KIRKUK])
        tuz = _tuz(store)
    with TestClient(create_app(url)) as client:
        event = client.get(f"/api/events/{tuz.id}").json()
        assert (event["fatalities"], event["fatalities_low"], event["fatalities_high"]) == (6, 5, 9)
        assert len(event["sources"]) == 3 and len(event["merged_from"]) == 2
        # A merged report's own id, and each report's document, lead to the merged event.
        assert client.get(f"/api/events/{tuz.merged_from[0]}").json()["id"] == tuz.id
        agency = client.get(f"/api/documents/{reports[AGENCY].document.id}").json()
        assert [e["id"] for e in agency["events"]] == [tuz.id]
