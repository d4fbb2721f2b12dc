"""The REST API with an Arabic report: POST /api/documents codes it natively (events with ACLED's
English values and the Arabic evidence), and the stored document says language "ar" and gives
back every Arabic character. The report was written for this test."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from harbinger.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "arabic-test-token-7c1e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

REPORT = """مقتل ثلاثة جنود بهجوم لداعش قرب بيجي

تكريت - مراسلنا

الاثنين 2 أيار 2022

قُتل ثلاثة جنود من الجيش العراقي، مساء اليوم الاثنين، بهجوم شنه مسلحو تنظيم داعش على نقطة تفتيش قرب قضاء بيجي شمال محافظة صلاح الدين.

وحذر مسؤول محلي في القضاء من عودة نشاط الخلايا النائمة في المناطق الصحراوية المحيطة.
"""


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'ar.db'}", api_token=TOKEN)) as c:
        yield c


def test_an_arabic_report_is_coded_and_stored(writable: TestClient) -> None:
    r = writable.post("/api/documents", json={"text": REPORT, "source": "ar-wire"}, headers=AUTH)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["language"] == "ar"
    (event,) = out["events"]
    assert event["date"] == "2022-05-02" and event["time_precision"] == 1
    assert event["sub_event_type"] == "Armed clash"
    assert event["actor1"] == "Islamic State (Iraq)"
    assert event["actor2"].startswith("Military Forces of Iraq")
    assert event["fatalities"] == 3
    assert event["evidence"][0]["sentence"].startswith("قُتل ثلاثة جنود من الجيش العراقي")
    assert [c["stance"] for c in out["claims"]] == ["warning"]
    assert out["claims"][0]["speaker"] == "مسؤول محلي"  # no place named: the title alone

    stored = writable.get(f"/api/documents/{out['id']}").json()
    assert stored["language"] == "ar"
    assert stored["text"] == REPORT
    assert stored["title"] == "مقتل ثلاثة جنود بهجوم لداعش قرب بيجي"
    assert stored["published"] == "2022-05-02"
    evidence = stored["events"][0]["evidence"][0]
    assert REPORT[evidence["start"] : evidence["end"]] == evidence["sentence"]

    listed = writable.get("/api/events", params={"admin1": "IQ-SD"}).json()
    assert [e["id"] for e in listed["events"]] == [event["id"]]


def test_an_english_report_stays_english(writable: TestClient) -> None:
    text = (
        "Checkpoint attacked near Baiji\n\nBy Jane Roe\n\n3 May 2022\n\nIslamic State militants "
        "attacked an army checkpoint near Baiji on Monday, killing three soldiers.\n"
    )
    out = writable.post("/api/documents", json={"text": text}, headers=AUTH).json()
    assert out["language"] == "en"
    assert writable.get(f"/api/documents/{out['id']}").json()["language"] == "en"
