"""Situation reports in the three formats, on a store we fill with our own records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harbinger.cli import app
from harbinger.records import Claim, CodedDocument, Document, Event, Evidence, Place
from harbinger.report import ReportError, write_report
from harbinger.store import Store
from tests.test_warnings import distinct_text

MOSUL = Place("Mosul", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.34, 43.13, 1, "cur:mosul")
EVIL = "<script>alert(1)</script><img src=x onerror=alert(1)>"


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'r.db'}")
    day = dt.date(2019, 7, 1)
    for i in range(6):
        d = day + dt.timedelta(days=7 * i)
        ev = Event(
            f"ev-{i}",
            f"doc-{i}",
            "Battles",
            "Armed clash",
            d,
            1,
            "Military Forces of Iraq",
            "Islamic State (Iraq)",
            place=MOSUL,
            fatalities=i,
            evidence=(Evidence(f"Clashes near Mosul {EVIL}", 0, 7),),
        )
        doc = Document(
            f"doc-{i}",
            f"r{i}.txt",
            distinct_text(str(i), f"Clashes near Mosul {EVIL}"),
            published=d,
        )
        claim = Claim(
            f"cl-{i}",
            f"doc-{i}",
            f"Governor {EVIL}",
            "warning",
            f"the group returns {EVIL}",
            place=MOSUL,
            evidence=(Evidence("x", 0, 1),),
        )
        s.save(CodedDocument(doc, (ev,), (claim,)))
    return s


@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf"])
def test_formats(store: Store, tmp_path: Path, suffix: str) -> None:
    out = write_report(store, tmp_path / f"report{suffix}", region="IQ-NI")
    data = out.read_bytes()
    if suffix == ".pdf":
        assert data.startswith(b"%PDF") and len(data) > 10_000
    elif suffix == ".md":
        text = data.decode()
        assert "# Situation report: IQ-NI" in text
        assert (tmp_path / "report_series.png").read_bytes().startswith(b"\x89PNG")
        assert (tmp_path / "report_map.png").stat().st_size > 5_000
        assert "<script>" not in text  # text from reports is escaped in Markdown too
    else:
        text = data.decode()
        assert "data:image/png;base64," in text
        assert "<script>" not in text and "onerror=alert" not in text.replace(
            "onerror=alert(1)&gt;", ""
        )
        assert "&lt;script&gt;" in text
        assert "6 events" in text


def test_bad_format_and_dates(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="unknown report format"):
        write_report(store, tmp_path / "report.docx")
    with pytest.raises(ReportError, match="after"):
        write_report(store, tmp_path / "r.md", since=dt.date(2020, 1, 1), until=dt.date(2019, 1, 1))


def test_cli(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--db", store.url, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()
    bad = CliRunner().invoke(app, ["report", "--db", store.url, "--out", str(tmp_path / "r.txt")])
    assert bad.exit_code == 2
