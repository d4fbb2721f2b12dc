"""Tests of harbinger.store: schema and migration, saving, idempotence, atomicity, queries."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from conftest import DEIR_EZ_ZOR, NOWHERE, RAMADI, RecordFactory
from harbinger.errors import StoreError
from harbinger.records import CodedDocument, Evidence, Skipped
from harbinger.store import Store, StoredEvent, mask_url
from harbinger.store.models import Base

# -- schema ------------------------------------------------------------------------------------


def test_migration_creates_exactly_the_models_schema(db_url: str) -> None:
    Store(db_url).close()
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            tables = set(sa.inspect(conn).get_table_names())
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
    assert tables == {*Base.metadata.tables, "alembic_version"}
    assert version == "0005"


def test_schema_comparison_would_notice_a_missing_index(db_url: str) -> None:
    # Guards the test above: the comparison is not vacuous.
    Store(db_url).close()
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            # Drop it through a reflected copy: the models' metadata must stay untouched.
            reflected = sa.Table("events", sa.MetaData(), autoload_with=conn)
            [index] = [
                i for i in reflected.indexes if i.name == "ix_events_date_desc_id_merged_into"
            ]
            index.drop(conn)
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert [d[0] for d in diff] == ["add_index"]
    assert diff[0][1].name == "ix_events_date_desc_id_merged_into"


def test_constraint_names_follow_the_models(db_url: str) -> None:
    # compare_metadata does not look at CHECK constraints or primary-key names; a named-twice
    # "ck_evidence_ck_evidence_owner_kind" slipped through once.
    Store(db_url).close()
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            checks = [c["name"] for c in inspector.get_check_constraints("evidence")]
            uniques = [u["name"] for u in inspector.get_unique_constraints("document_sources")]
            fks = [f["name"] for f in inspector.get_foreign_keys("events")]
            with pytest.raises(sa.exc.IntegrityError):
                conn.execute(
                    sa.insert(Base.metadata.tables["evidence"]),
                    {"owner_kind": "nope", "owner_id": "x", "sentence": "s", "start": 0, "end": 1},
                )
    finally:
        engine.dispose()
    assert checks == ["ck_evidence_owner_kind"]
    assert uniques == ["uq_document_sources_document_id_source"]
    assert fks == ["fk_events_document_id_documents"]


def test_opening_twice_is_idempotent_and_keeps_data(db_url: str, make: RecordFactory) -> None:
    with Store(db_url) as store:
        assert store.save(make.coded())
    with Store(db_url) as store:
        assert store.counts()["documents"] == 1


def test_migrations_run_without_an_alembic_ini(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CLI runs from any folder; no alembic.ini must be needed in it.
    monkeypatch.chdir(tmp_path)
    with Store("sqlite:///relative.db") as store:
        assert store.counts()["events"] == 0
    assert (tmp_path / "relative.db").is_file()


def test_in_memory_sqlite_keeps_its_schema_across_connections(make: RecordFactory) -> None:
    with Store("sqlite://") as store:
        assert store.save(make.coded())
        assert store.counts()["documents"] == 1


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# -- opening errors ----------------------------------------------------------------------------


def test_unopenable_sqlite_file_names_the_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'h.db'}"
    with pytest.raises(StoreError) as info:
        Store(url)
    message = str(info.value)
    assert url in message
    assert "folder" in message and "exists" in message


def test_password_is_masked_in_errors() -> None:
    # Port 1 on localhost: refused if the driver is installed, ImportError if not.
    with pytest.raises(StoreError) as info:
        Store("postgresql+psycopg://analyst:s3cret@127.0.0.1:1/harbinger")
    message = str(info.value)
    assert "s3cret" not in message
    assert "analyst:***@127.0.0.1:1/harbinger" in message


@pytest.mark.parametrize("url", ["nosuchdb://somewhere/x", "not a url at all"])
def test_bad_url_says_how_to_fix_it(url: str) -> None:
    with pytest.raises(StoreError, match=r"sqlite:///harbinger\.db"):
        Store(url)


def test_database_from_a_newer_harbinger_is_refused(db_url: str) -> None:
    Store(db_url).close()
    engine = sa.create_engine(db_url)
    version = sa.table("alembic_version", sa.column("version_num"))
    try:
        with engine.begin() as conn:
            conn.execute(sa.update(version).values(version_num="9999_future"))
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="newer Harbinger"):
        Store(db_url)


def test_mask_url_on_unparseable_strings() -> None:
    assert mask_url("weird://u:pw@host/db") == "weird://u:***@host/db"
    assert "pw" not in mask_url("postgresql://u:pw@h/d")


# -- saving ------------------------------------------------------------------------------------


def test_saving_the_same_document_twice_stores_it_once(
    fresh_db: Store, make: RecordFactory
) -> None:
    coded = make.coded(events=2, claims=1, indicators=1)
    assert fresh_db.save(coded) is True
    before = fresh_db.counts()
    assert fresh_db.save(coded) is False
    assert (
        fresh_db.counts()
        == before
        == {
            "documents": 1,
            "events": 2,
            "claims": 1,
            "indicators": 1,
            "skipped": 0,
        }
    )
    stored = fresh_db.document(coded.document.id)
    assert stored is not None
    assert stored.sources == ("tests/data/report.txt",)


def test_same_document_from_another_source_adds_a_source_row(
    fresh_db: Store, make: RecordFactory
) -> None:
    coded = make.coded(text="The same wire story.")
    copy = make.coded(text="The same wire story.", source="feeds/other.xml", events=5)
    assert copy.document.id == coded.document.id
    assert fresh_db.save(coded)
    assert not fresh_db.save(copy)
    assert not fresh_db.save(copy)  # a second sighting of the same source adds nothing
    stored = fresh_db.document(coded.document.id)
    assert stored is not None
    assert stored.sources == ("tests/data/report.txt", "feeds/other.xml")
    assert stored.source == "tests/data/report.txt"
    # The copy's own events were not stored: the document was already coded.
    assert fresh_db.counts()["events"] == 1


@pytest.mark.parametrize("collides", ["event", "indicator"])
def test_a_failing_document_leaves_nothing_and_keeps_earlier_ones(
    fresh_db: Store, make: RecordFactory, collides: str
) -> None:
    # Three days apart: reports of one incident would merge into one event.
    saved = [
        dataclasses.replace(c, events=(dataclasses.replace(c.events[0], date=day),))
        for c, day in (
            (make.coded(), dt.date(2019, 7, 21) + dt.timedelta(days=3 * n)) for n in range(3)
        )
    ]
    for coded in saved:
        assert fresh_db.save(coded)
    bad = make.coded(events=2, claims=2, indicators=2)
    # The 4th document's second event (or indicator) reuses an id of the first document, so its
    # insert fails after the document row and other rows were written in the same transaction.
    if collides == "event":
        clash = dataclasses.replace(bad.events[1], id=saved[0].events[0].id)
        bad = dataclasses.replace(bad, events=(bad.events[0], clash))
    else:
        other = dataclasses.replace(bad.indicators[1], id=saved[0].indicators[0].id)
        bad = dataclasses.replace(bad, indicators=(bad.indicators[0], other))
    with pytest.raises(StoreError) as info:
        fresh_db.save(bad)
    assert bad.document.id in str(info.value)
    assert "nothing of it was stored" in str(info.value)

    assert not fresh_db.has_document(bad.document.id)
    assert fresh_db.document(bad.document.id) is None
    assert fresh_db.claims(bad.document.id) == []
    assert fresh_db.indicators(bad.document.id) == []
    assert {e.document_id for e in fresh_db.events()} == {c.document.id for c in saved}
    assert fresh_db.counts() == {
        "documents": 3,
        "events": 3,
        "claims": 3,
        "indicators": 3,
        "skipped": 0,
    }
    # The surviving event still has its own evidence only (no rows of the failed document).
    first = next(e for e in fresh_db.events() if e.id == saved[0].events[0].id)
    assert first.evidence == saved[0].events[0].evidence
    # The store is still usable after the failure.
    assert fresh_db.save(make.coded())


def test_foreign_keys_are_enforced(fresh_db: Store, make: RecordFactory) -> None:
    doc = make.document()
    orphan = make.event("0" * 64)  # points at a document that does not exist
    with pytest.raises(StoreError):
        fresh_db.save(CodedDocument(document=doc, events=(orphan,)))
    assert fresh_db.counts()["documents"] == 0


def test_record_skipped_counts(fresh_db: Store) -> None:
    fresh_db.record_skipped(Skipped("feeds/bad.jsonl", "not JSON", line=7))
    fresh_db.record_skipped(Skipped("empty.txt", "no text"))
    assert fresh_db.counts()["skipped"] == 2


# -- reading back ------------------------------------------------------------------------------


def test_event_round_trip_matches_the_record(fresh_db: Store, make: RecordFactory) -> None:
    coded = make.coded(events=1)
    fresh_db.save(coded)
    [stored] = fresh_db.events()
    event = coded.events[0]
    assert stored.to_dict() == event.to_dict() | {
        "document_id": coded.document.id,
        "source": "tests/data/report.txt",
        "title": coded.document.title,
        "origin": "coded",
        # A lone report: its own document, its own figures, nothing merged into it.
        "sources": [
            {
                "document_id": coded.document.id,
                "event_id": event.id,
                "title": coded.document.title,
                "source": "tests/data/report.txt",
                "url": coded.document.url,
                "fatalities": 3,
                "fatalities_low": None,
                "fatalities_high": None,
            }
        ],
        "merged_from": [],
    }
    # Place fields that Event.to_dict() leaves out are flattened into the row too.
    assert stored.country_code == "IQ"
    assert stored.gazetteer_id == "geonames:99072"
    assert stored.url == coded.document.url
    assert stored.published == dt.date(2019, 8, 11)
    assert stored.to_event() == event


def test_imported_events_keep_origin_and_dataset_id(fresh_db: Store, make: RecordFactory) -> None:
    coded = make.coded(events=1, claims=0, indicators=0)
    fresh_db.save(coded, origin="acled", source_event_ids={coded.events[0].id: "IRQ12345"})
    [stored] = fresh_db.events()
    assert stored.origin == "acled"
    assert stored.source_event_id == "IRQ12345"
    assert stored.to_dict()["origin"] == "acled"


def test_document_round_trip(fresh_db: Store, make: RecordFactory) -> None:
    doc = make.document("Title\n\nBody text here.", body_start=7, language="en")
    fresh_db.save(CodedDocument(document=doc))
    stored = fresh_db.document(doc.id)
    assert stored is not None
    assert stored.to_document() == doc
    assert stored.ingested_at.tzinfo is not None
    assert stored.to_dict()["text"] == "Title\n\nBody text here."
    assert fresh_db.has_document(doc.id)
    assert fresh_db.document("f" * 64) is None
    assert not fresh_db.has_document("f" * 64)


def test_claims_and_indicators_round_trip(fresh_db: Store, make: RecordFactory) -> None:
    first = make.coded(claims=2, indicators=1)
    doc = make.document()
    second = CodedDocument(
        document=doc,
        claims=(make.claim(doc.id, place=None, stance="denial"),),
        indicators=(
            make.indicator(doc.id, kind="tactic", value="sleeper cells", low=None, high=None),
            make.indicator(doc.id, kind="losses", value=None, place=None),
            make.indicator(doc.id, kind="strength", value=14000),
        ),
    )
    fresh_db.save(first)
    fresh_db.save(second)

    claims = fresh_db.claims()
    assert len(claims) == 3
    mine = fresh_db.claims(first.document.id)
    assert sorted(c.id for c in mine) == sorted(c.id for c in first.claims)
    original = {c.id: c for c in first.claims}
    for stored in mine:
        expected = original[stored.id].to_dict() | {
            "document_id": first.document.id,
            "source": "tests/data/report.txt",
            "title": first.document.title,
        }
        assert stored.to_dict() == expected
        assert (stored.latitude, stored.longitude) == (RAMADI.latitude, RAMADI.longitude)
    [denial] = fresh_db.claims(doc.id)
    assert denial.stance == "denial" and denial.place is None

    values = {i.kind: i for i in fresh_db.indicators(doc.id)}
    assert values["tactic"].value == "sleeper cells"
    assert values["tactic"].value_num is None
    assert values["losses"].value is None
    assert values["strength"].value == 14000.0
    assert values["strength"].value_num == 14000.0
    [strength] = fresh_db.indicators(first.document.id)
    assert strength.to_dict() == first.indicators[0].to_dict() | {
        "document_id": first.document.id,
        "source": "tests/data/report.txt",
        "title": first.document.title,
    }
    assert len(fresh_db.indicators()) == 4


def test_evidence_of_many_events_is_fetched_in_chunks(fresh_db: Store, make: RecordFactory) -> None:
    coded = make.coded(events=620, claims=0, indicators=0)
    fresh_db.save(coded)
    events = fresh_db.events()
    assert len(events) == 620
    assert all(len(e.evidence) == 2 for e in events)
    assert events[0].evidence[0] == Evidence("Iraqi forces clashed with IS near Mosul.", 10, 50)
    assert all(e.evidence == () for e in fresh_db.events(with_evidence=False))


# -- queries -----------------------------------------------------------------------------------


@pytest.fixture
def populated(fresh_db: Store, make: RecordFactory) -> Store:
    """Four events in two documents: Mosul, Ramadi, Deir ez-Zor, and one with no date."""
    doc = make.document()
    other = make.document()
    events_a = (
        make.event(doc.id, id="a-mosul", date=dt.date(2019, 7, 21)),
        make.event(
            doc.id,
            id="b-ramadi",
            date=dt.date(2019, 8, 1),
            place=RAMADI,
            event_type="Explosions/Remote violence",
            sub_event_type="Remote explosive/landmine/IED",
            actor1="Islamic State (Iraq)",
            actor2="Civilians (Iraq)",
            assoc_actor2="Farmers (Iraq)",
            inter1=2,
            inter2=7,
        ),
    )
    events_b = (
        make.event(
            other.id,
            id="c-deir",
            date=dt.date(2019, 6, 2),
            place=DEIR_EZ_ZOR,
            actor1="QSD: Syrian Democratic Forces",
            actor2="Islamic State (Syria)",
        ),
        make.event(other.id, id="d-undated", date=None, place=NOWHERE, actor2=None),
    )
    fresh_db.save(CodedDocument(document=doc, events=events_a))
    fresh_db.save(CodedDocument(document=other, events=events_b))
    return fresh_db


def _ids(events: list[StoredEvent]) -> list[str]:
    return [e.id for e in events]


def test_events_newest_first_undated_last(populated: Store) -> None:
    assert _ids(populated.events()) == ["b-ramadi", "a-mosul", "c-deir", "d-undated"]


def test_events_date_range_is_inclusive(populated: Store) -> None:
    assert _ids(populated.events(since=dt.date(2019, 7, 21))) == ["b-ramadi", "a-mosul"]
    assert _ids(populated.events(until=dt.date(2019, 7, 21))) == ["a-mosul", "c-deir"]
    assert _ids(populated.events(since=dt.date(2019, 7, 1), until=dt.date(2019, 7, 31))) == [
        "a-mosul"
    ]


@pytest.mark.parametrize("country", ["Iraq", "iraq", "IQ", "iq", "IRQ"])
def test_events_by_country_name_or_code(populated: Store, country: str) -> None:
    assert _ids(populated.events(country=country)) == ["b-ramadi", "a-mosul"]


@pytest.mark.parametrize("admin1", ["Anbar", "ANBAR", "IQ-AN", "iq-an"])
def test_events_by_admin1_name_or_code(populated: Store, admin1: str) -> None:
    assert _ids(populated.events(admin1=admin1)) == ["b-ramadi"]


def test_events_by_type_or_sub_type(populated: Store) -> None:
    assert _ids(populated.events(event_type="Explosions/Remote violence")) == ["b-ramadi"]
    assert _ids(populated.events(event_type="remote explosive/landmine/IED")) == ["b-ramadi"]
    assert _ids(populated.events(event_type="Armed clash")) == ["a-mosul", "c-deir", "d-undated"]
    assert populated.events(event_type="Battle") == []


def test_events_by_actor_substring(populated: Store) -> None:
    assert _ids(populated.events(actor="islamic state")) == ["b-ramadi", "a-mosul", "c-deir"]
    assert _ids(populated.events(actor="(syria)")) == ["c-deir"]
    assert _ids(populated.events(actor="farmers")) == ["b-ramadi"]  # an associated actor
    # LIKE wildcards in the filter are taken literally.
    assert populated.events(actor="%") == []
    assert populated.events(actor="_") == []


@pytest.mark.parametrize("typed", ["Daesh", "IS", "ISIS", "Islamic State"])
def test_events_by_actor_family_through_the_lens(populated: Store, typed: str) -> None:
    # The group by any of its names: both branches, as actor 1 or actor 2, and nothing else.
    assert _ids(populated.events(actor=typed)) == ["b-ramadi", "a-mosul", "c-deir"]
    assert _ids(populated.events(actor="Islamic State (Syria)")) == ["c-deir"]
    # A state force by its name across periods.
    assert _ids(populated.events(actor="Military Forces of Iraq")) == ["a-mosul", "d-undated"]


def test_events_filters_combine(populated: Store) -> None:
    assert _ids(populated.events(country="SY", actor="QSD")) == ["c-deir"]
    assert populated.events(country="SY", admin1="IQ-NI") == []


def test_events_limit_and_offset(populated: Store) -> None:
    assert _ids(populated.events(limit=2)) == ["b-ramadi", "a-mosul"]
    assert _ids(populated.events(limit=2, offset=2)) == ["c-deir", "d-undated"]
    assert populated.events(offset=10) == []
    assert populated.events(limit=0) == []
    with pytest.raises(ValueError):
        populated.events(limit=-1)


def test_event_without_place_or_date(populated: Store) -> None:
    [undated] = [e for e in populated.events() if e.id == "d-undated"]
    assert undated.date is None and undated.to_dict()["date"] is None
    assert undated.latitude is None and undated.geo_precision == 3


# -- counts, sorting and the map's aggregates (issue 13) ---------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"country": "IQ"},
        {"admin1": "IQ-AN"},
        {"admin1": "anbar"},
        {"event_type": "armed clash"},
        {"event_type": "Battles"},
        {"actor": "Daesh"},
        {"actor": "farmers"},
        {"since": dt.date(2019, 7, 21)},
    ],
)
def test_count_events_is_the_number_events_gives(populated: Store, filters: dict) -> None:
    assert populated.count_events(**filters) == len(populated.events(**filters))


@pytest.mark.parametrize("sort", ["date", "-date", "fatalities", "-fatalities", "location",
                                  "-location", "actor1", "-actor1", "admin1", "-admin1"])  # fmt: skip
def test_events_sort_in_sql_with_missing_values_last(
    fresh_db: Store, make: RecordFactory, sort: str
) -> None:
    doc = make.document()
    events = [
        make.event(doc.id, id="e1", fatalities=5, date=dt.date(2020, 1, 3)),
        make.event(doc.id, id="e2", fatalities=0, date=None, place=RAMADI, actor1="Zeta (Iraq)"),
        make.event(doc.id, id="e3", fatalities=12, date=dt.date(2020, 1, 1), place=NOWHERE),
        make.event(doc.id, id="e4", fatalities=5, date=dt.date(2020, 1, 3), actor1="alpha (Iraq)"),
    ]
    fresh_db.save(CodedDocument(document=doc, events=tuple(events)))
    key = sort.lstrip("-")
    got = fresh_db.events(sort=sort)
    values = [getattr(e, key) for e in got]
    present = [v for v in values if v is not None]
    folded = [v.casefold() if isinstance(v, str) else v for v in present]
    assert folded == sorted(folded, reverse=sort.startswith("-"))
    assert values[len(present) :] == [None] * (len(values) - len(present))  # missing ones last
    # A page is the same slice of that order.
    assert [e.id for e in fresh_db.events(sort=sort, limit=2, offset=1)] == [e.id for e in got[1:3]]
    with pytest.raises(ValueError):
        fresh_db.events(sort="notes")


def test_the_map_aggregates_add_up(populated: Store) -> None:
    summary = populated.event_summary()
    assert sum(s.events for s in summary) == populated.count_events() == 4
    by_admin1 = {s.admin1_code: s.events for s in summary if s.admin1_code}
    assert by_admin1 == {"IQ-NI": 1, "IQ-AN": 1, "SY-DY": 1}
    # The undated event is known only to Syria: an area, with no governorate.
    [syria] = [s for s in summary if s.admin1_code is None]
    assert (syria.country_code, syria.area) == ("SY", True)
    groups = populated.event_groups("admin1")
    assert {(g.key, g.event_type, g.events) for g in groups} == {
        ("IQ-NI", "Battles", 1),
        ("IQ-AN", "Explosions/Remote violence", 1),
        ("SY-DY", "Battles", 1),
    }
    assert [(g.key, g.events) for g in populated.event_groups("country")] == [("SY", 1)]
    assert populated.event_groups("admin1", areas_only=True) == []
    cells = populated.event_groups("cell", cell=0.5)
    # Mosul, Ramadi and Deir ez-Zor are far apart: three cells, each at its town.
    assert sorted(round(g.latitude or 0, 2) for g in cells) == [33.42, 35.34, 36.34]
    iraq_box = (42.0, 33.0, 44.0, 37.0)
    assert sum(g.events for g in populated.event_groups("cell", cell=0.5, bbox=iraq_box)) == 2
    with pytest.raises(ValueError):
        populated.event_groups("district")


def test_event_points_are_the_located_events_in_the_box(
    fresh_db: Store, make: RecordFactory
) -> None:
    doc = make.document()
    fresh_db.save(
        CodedDocument(
            document=doc,
            events=(
                make.event(doc.id, id="small", fatalities=1),
                make.event(doc.id, id="big", fatalities=230),
                make.event(doc.id, id="syria", place=NOWHERE),  # no point: not a marker
                make.event(doc.id, id="far", place=DEIR_EZ_ZOR),
            ),
        )
    )
    box = (42.0, 35.0, 44.0, 37.0)  # around Mosul
    points = fresh_db.event_points(bbox=box)
    assert [p.id for p in points] == ["big", "small"]  # the deadliest first
    assert points[0].to_dict()["fatalities"] == 230 and points[0].geo_precision == 1
    assert fresh_db.count_located(bbox=box) == 2 and fresh_db.count_located() == 3
    assert fresh_db.count_located_upto(1, bbox=box) == 2  # "more than 1"
    assert fresh_db.count_located_upto(5, bbox=box) == 2
    assert [p.id for p in fresh_db.event_points(bbox=box, limit=1)] == ["big"]


def test_revision_moves_with_every_write_and_only_then(
    fresh_db: Store, make: RecordFactory
) -> None:
    start = fresh_db.revision()
    coded = make.coded()
    fresh_db.save(coded)
    after_save = fresh_db.revision()
    assert after_save > start
    fresh_db.save(coded)  # already stored, same source: nothing changes
    assert fresh_db.revision() == after_save
    fresh_db.save(
        dataclasses.replace(coded, document=dataclasses.replace(coded.document, source="b"))
    )
    assert fresh_db.revision() > after_save  # a new source of it was recorded
    before_batch = fresh_db.revision()
    fresh_db.save_many([make.coded(), make.coded()], batch_size=1)
    assert fresh_db.revision() >= before_batch + 2
    before_skip = fresh_db.revision()
    fresh_db.record_skipped(Skipped("x.txt", "empty"))
    assert fresh_db.revision() > before_skip
    # Another connection to the same database sees the same revision.
    with Store(fresh_db.url) as other:
        assert other.revision() == fresh_db.revision()


def test_actor_names_and_event_facts(populated: Store) -> None:
    names = dict(populated.actor_names())
    assert names["Islamic State (Iraq)"] == 2  # actor 1 at Ramadi, actor 2 at Mosul
    assert names["QSD: Syrian Democratic Forces"] == 1
    assert populated.actor_names(limit=1)[0][1] == max(names.values())
    facts = {f.id: f for f in populated.event_facts()}
    for e in populated.events():
        f = facts[e.id]
        assert (f.date, f.admin1_code, f.event_type, f.actor1, f.fatalities, f.latitude) == (
            e.date,
            e.admin1_code,
            e.event_type,
            e.actor1,
            e.fatalities,
            e.latitude,
        )
    assert {f.id for f in populated.event_facts(actor="Daesh")} == {"a-mosul", "b-ramadi", "c-deir"}
