"""Shared fixtures: a fresh store per test and factories of records to put in it.

``fresh_db`` is a ``Store`` on a temporary SQLite file. When the environment variable
``HARBINGER_TEST_PG_URL`` holds a PostgreSQL URL (e.g. ``postgresql+psycopg://postgres@127.0.0.1:
5433/harbinger_test``), every test using ``fresh_db`` or ``db_url`` runs a second time against it;
its tables are dropped before and after each test, so point it at a throwaway database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from harbinger.records import (
    Claim,
    CodedDocument,
    Document,
    Event,
    Evidence,
    Indicator,
    Place,
)
from harbinger.store import Store
from harbinger.store.models import Base

PG_ENV = "HARBINGER_TEST_PG_URL"


@pytest.fixture(scope="session", autouse=True)
def _own_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests' own Harbinger data dir: an import in a test must not add places to the
    gazetteer of the person running the tests, nor theirs change what the tests code."""
    before = os.environ.get("HARBINGER_DATA_DIR")
    os.environ["HARBINGER_DATA_DIR"] = str(tmp_path_factory.mktemp("harbinger-data"))
    yield
    if before is None:
        os.environ.pop("HARBINGER_DATA_DIR", None)
    else:
        os.environ["HARBINGER_DATA_DIR"] = before


MOSUL = Place(
    name="Mosul",
    country="Iraq",
    country_code="IQ",
    admin1="Nineveh",
    admin1_code="IQ-NI",
    admin2="Mosul",
    latitude=36.335,
    longitude=43.11889,
    precision=1,
    gazetteer_id="geonames:99072",
)
RAMADI = Place(
    name="Ramadi",
    country="Iraq",
    country_code="IQ",
    admin1="Anbar",
    admin1_code="IQ-AN",
    admin2="Ramadi",
    latitude=33.42056,
    longitude=43.30778,
    precision=1,
)
DEIR_EZ_ZOR = Place(
    name="Deir ez-Zor",
    country="Syria",
    country_code="SY",
    admin1="Deir ez-Zor",
    admin1_code="SY-DY",
    latitude=35.33588,
    longitude=40.14084,
    precision=1,
)
#: A place the gazetteer could not put on the map.
NOWHERE = Place(name="the desert", country="Syria", country_code="SY", precision=3)


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


def _drop_everything(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            sa.Table("alembic_version", sa.MetaData()).drop(conn, checkfirst=True)
    finally:
        engine.dispose()


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a temporary SQLite file, or the test PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'harbinger-test.db'}"
        return
    url = os.environ[PG_ENV]
    _drop_everything(url)
    yield url
    _drop_everything(url)


@pytest.fixture
def fresh_db(db_url: str) -> Iterator[Store]:
    """A migrated, empty ``Store``, closed after the test."""
    store = Store(db_url)
    yield store
    store.close()


class RecordFactory:
    """Builds valid records with unique ids; keyword arguments override any field."""

    def __init__(self) -> None:
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def document(self, text: str | None = None, **fields: Any) -> Document:
        n = self._next()
        text = text if text is not None else f"Report number {n}. Attack near Mosul."
        values: dict[str, Any] = {
            "id": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "source": "tests/data/report.txt",
            "text": text,
            "title": f"Report {n}",
            "author": "A. Writer",
            "published": dt.date(2019, 8, 11),
            "url": f"https://example.org/report/{n}",
            "ingested_at": dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC),
        }
        values.update(fields)
        return Document(**values)

    def event(self, document_id: str, **fields: Any) -> Event:
        n = self._next()
        values: dict[str, Any] = {
            "id": f"{document_id[:12]}-e{n}",
            "document_id": document_id,
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "date": dt.date(2019, 7, 21),
            "time_precision": 1,
            "actor1": "Military Forces of Iraq (2018-2022)",
            "actor2": "Islamic State (Iraq)",
            "inter1": 1,
            "inter2": 2,
            "place": MOSUL,
            "fatalities": 3,
            "confidence": 0.8,
            "notes": "Iraqi forces clashed with IS near Mosul.",
            "evidence": (
                Evidence("Iraqi forces clashed with IS near Mosul.", 10, 50),
                Evidence("Three militants were killed.", 51, 79),
            ),
        }
        values.update(fields)
        return Event(**values)

    def claim(self, document_id: str, **fields: Any) -> Claim:
        n = self._next()
        values: dict[str, Any] = {
            "id": f"{document_id[:12]}-c{n}",
            "document_id": document_id,
            "speaker": "Lahur Talabany",
            "speaker_title": "counter-terrorism chief",
            "stance": "warning",
            "text": "They are much more dangerous now.",
            "about_actor": "Islamic State (Iraq)",
            "place": RAMADI,
            "evidence": (Evidence("He said they are much more dangerous now.", 5, 47),),
        }
        values.update(fields)
        return Claim(**values)

    def indicator(self, document_id: str, **fields: Any) -> Indicator:
        n = self._next()
        values: dict[str, Any] = {
            "id": f"{document_id[:12]}-i{n}",
            "document_id": document_id,
            "kind": "strength",
            "value": 50000.0,
            "low": 40000.0,
            "high": 60000.0,
            "actor": "Islamic State (Iraq)",
            "place": MOSUL,
            "evidence": (Evidence("about 50,000 fighters", 100, 121),),
        }
        values.update(fields)
        return Indicator(**values)

    def coded(
        self,
        text: str | None = None,
        *,
        events: int = 1,
        claims: int = 1,
        indicators: int = 1,
        **document_fields: Any,
    ) -> CodedDocument:
        doc = self.document(text, **document_fields)
        return CodedDocument(
            document=doc,
            events=tuple(self.event(doc.id) for _ in range(events)),
            claims=tuple(self.claim(doc.id) for _ in range(claims)),
            indicators=tuple(self.indicator(doc.id) for _ in range(indicators)),
        )


@pytest.fixture
def make() -> RecordFactory:
    """A factory of records (documents, events, claims, indicators, coded documents)."""
    return RecordFactory()
