"""Tests of ``harbinger gazetteer import`` and ``lookup`` (harbinger.cli.gazetteer), via the CLI."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from harbinger.cli import app
from harbinger.geo import Gazetteer, default_data_dir, imported_dumps
from harbinger.geo import gazetteer as geo_gazetteer

DATA = Path(__file__).parent / "data"
VILLAGES = DATA / "geonames_villages.txt"
MALFORMED = DATA / "geonames_malformed.txt"

runner = CliRunner()


def run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"raised {result.exception!r}\n{result.output}") from result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data dir as $HARBINGER_DATA_DIR, and no gazetteer cached by the coder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("HARBINGER_DATA_DIR", str(folder))
    geo_gazetteer._load_gazetteer.cache_clear()
    yield folder
    geo_gazetteer._load_gazetteer.cache_clear()


def test_import_reports_bad_rows_and_writes_the_places(data_dir: Path) -> None:
    result = run("gazetteer", "import", VILLAGES)
    assert result.exit_code == 0, result.output
    # Line 4: a latitude that is not a number; line 5: a row cut short. Both named, both skipped.
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 2
    assert f"{VILLAGES}:4:" in errors[0] and "latitude" in errors[0]
    assert f"{VILLAGES}:5:" in errors[1] and "19" in errors[1]
    assert "Imported 3 place(s)" in result.stdout  # two villages of the theatre and a Turkish one
    assert "1 row(s) of other features ignored" in result.stdout  # the wadi
    assert "2 malformed row(s) skipped" in result.stdout
    assert imported_dumps(data_dir) == [data_dir / "gazetteer" / "geonames_villages.tsv"]


def test_imported_village_is_coded_with_its_coordinates(data_dir: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(
        "On 3 March 2024, Islamic State militants attacked an army checkpoint in Tall Qurnat "
        "Saba, west of Mosul, killing two soldiers.\n",
        encoding="utf-8",
    )
    before = run("analyze", report, "--format", "json")
    assert before.exit_code == 0, before.output
    event = json.loads(before.stdout)["documents"][0]["events"][0]
    assert event["location"] == "Mosul"  # the village is unknown before the import

    assert run("gazetteer", "import", VILLAGES).exit_code == 0
    geo_gazetteer._load_gazetteer.cache_clear()  # a new process would load the gazetteer afresh
    after = run("analyze", report, "--format", "json")
    assert after.exit_code == 0, after.output
    event = json.loads(after.stdout)["documents"][0]["events"][0]
    assert event["location"] == "Tall Qurnat Saba"
    assert (event["latitude"], event["longitude"]) == (35.914, 42.618)
    assert event["admin1_code"] == "IQ-NI" and event["geo_precision"] == 1


def test_reimport_replaces(data_dir: Path) -> None:
    assert run("gazetteer", "import", VILLAGES).exit_code == 0
    first = Gazetteer.load(data_dir=data_dir)
    assert run("gazetteer", "import", VILLAGES).exit_code == 0
    assert len(imported_dumps(data_dir)) == 1
    again = Gazetteer.load(data_dir=data_dir)
    assert len(again) == len(first)
    assert [e.id for e in again.lookup("Tall Qurnat Saba")] == ["gn:9910001"]


def test_only_the_theatres_countries_are_loaded(data_dir: Path) -> None:
    assert run("gazetteer", "import", VILLAGES).exit_code == 0
    gazetteer = Gazetteer.load(data_dir=data_dir)
    assert gazetteer.get("gn:9910002") is not None  # Syria
    assert gazetteer.get("gn:9910005") is None  # Turkey: imported, not part of this theatre
    village = gazetteer.resolve("Umm Zawiyah")
    assert village is not None and village.admin1_code == "SY-DY"
    assert Gazetteer.load(data_dir=data_dir, imported=False).get("gn:9910001") is None


def test_data_dir_option_beats_the_environment(data_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    result = run("gazetteer", "import", VILLAGES, "--data-dir", other)
    assert result.exit_code == 0, result.output
    assert imported_dumps(other) and not imported_dumps(data_dir)
    found = run("gazetteer", "lookup", "Tall Qurnat Saba", "--data-dir", other)
    assert found.exit_code == 0 and "gn:9910001" in found.stdout
    missing = run("gazetteer", "lookup", "Tall Qurnat Saba")
    assert missing.exit_code == 1
    assert "not in the gazetteer" in missing.stderr


def test_file_without_valid_rows_fails_and_keeps_the_earlier_import(data_dir: Path) -> None:
    target = data_dir / "gazetteer" / "geonames_malformed.tsv"
    assert run("gazetteer", "import", VILLAGES).exit_code == 0
    result = run("gazetteer", "import", MALFORMED)
    assert result.exit_code == 1
    assert "no valid GeoNames row" in result.stderr and "line 1" in result.stderr
    assert not target.exists()
    assert imported_dumps(data_dir) == [data_dir / "gazetteer" / "geonames_villages.tsv"]


def test_missing_file(data_dir: Path) -> None:
    result = run("gazetteer", "import", DATA / "geonames_nowhere.txt")
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_zip_as_downloaded(data_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "IQ.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "GeoNames readme\n")
        z.writestr("IQ.txt", VILLAGES.read_text(encoding="utf-8"))
    result = run("gazetteer", "import", archive)
    assert result.exit_code == 0, result.output
    assert imported_dumps(data_dir) == [data_dir / "gazetteer" / "IQ.tsv"]


def test_lookup_json(data_dir: Path) -> None:
    result = run("gazetteer", "lookup", "Kwaires Military Airbase", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["chosen"]["gazetteer_id"] == "cur:kuweires_airbase"
    assert payload["chosen"]["admin1_code"] == "SY-HL"
    assert payload["candidates"][0]["id"] == "cur:kuweires_airbase"


def test_lookup_country_context(data_dir: Path) -> None:
    result = run("gazetteer", "lookup", "Sinjar", "--country", "SY", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["chosen"]["country_code"] == "SY"


def test_default_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HARBINGER_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "harbinger"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_data_dir() == tmp_path / ".local" / "share" / "harbinger"
    monkeypatch.setenv("HARBINGER_DATA_DIR", str(tmp_path / "mine"))
    assert default_data_dir() == tmp_path / "mine"
