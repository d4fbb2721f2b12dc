"""Tests of the ``harbinger`` command line: help, the JSON contract, ingest, queries, exports, errors.

Commands run in-process through Typer's ``CliRunner``. This Typer (0.29) vendors its own Click and
its runner always keeps the streams apart (there is no ``mix_stderr``): ``result.stdout``,
``result.stderr``, and ``result.output`` with both interleaved.
Coding loads spaCy once per process, so the documents are coded in a few module-scoped fixtures
and the query and export tests share one ingested database.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner, Result

from harbinger.cli import app
from harbinger.store import Store
from harbinger.wording import count

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ARRESTS = EXAMPLES / "sweep_arrests_anbar.txt"
AIRSTRIKE = EXAMPLES / "airstrike_hamrin.txt"

#: The documented commands; the help test also covers any command added later.
COMMANDS = {"analyze", "ingest", "events", "export"}

#: Keys of a document in ``analyze --format json`` (docs/json-contract.md).
DOCUMENT_KEYS = {
    "id",
    "source",
    "title",
    "author",
    "published",
    "language",
    "events",
    "claims",
    "indicators",
}
#: Keys of an event in ``analyze --format json`` (docs/json-contract.md).
EVENT_KEYS = {
    "id",
    "date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor1",
    "actor2",
    "assoc_actor2",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "arrests",
    "confidence",
    "evidence",
}
#: The header of ``harbinger events --format csv``, in order.
EVENTS_CSV_HEADER = [
    "id",
    "date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor1",
    "actor2",
    "assoc_actor2",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "arrests",
    "confidence",
    "document_id",
    "source",
    "title",
]

runner = CliRunner()


def run(*args: str | Path) -> Result:
    """Invoke ``harbinger`` with the arguments; fail on an uncaught exception (a traceback)."""
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"harbinger {' '.join(map(str, args))} raised {result.exception!r}\n{result.output}"
        ) from result.exception
    assert "Traceback" not in result.output
    return result


def stderr_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# -- help ----------------------------------------------------------------------------------------


def _commands() -> dict[str, Any]:
    """The registered commands by name (Typer's vendored Click objects, so typed loosely)."""
    group: Any = typer.main.get_command(app)
    return dict(group.commands)


def test_the_documented_commands_are_registered() -> None:
    assert set(_commands()) >= COMMANDS


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help_with_a_working_example(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0, result.output
    help_text = result.stdout
    assert "Example" in help_text, f"'harbinger {name} --help' has no Example section"
    # Each example line runs this very command with options it really has.
    after = help_text.split("Example", 1)[1]
    examples = [
        line.strip() for line in after.splitlines() if line.strip().startswith("harbinger ")
    ]
    assert examples, f"the Example section of {name} shows no 'harbinger {name} ...' line"
    options = {opt for param in _commands()[name].params for opt in param.opts}
    for line in examples:
        words = shlex.split(line)
        assert words[1] == name, line
        for word in words[2:]:
            if word.startswith("-"):
                assert word.split("=", 1)[0] in options, f"{word} in '{line}' is not an option"


def test_no_arguments_shows_the_commands() -> None:
    result = run()
    # no_args_is_help: Click prints the help and exits with the usage-error code.
    assert result.exit_code in (0, 2)
    for name in COMMANDS:
        assert name in result.output


# -- analyze -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analyzed() -> dict[str, Any]:
    result = run("analyze", ARRESTS, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "skipped" not in result.stderr
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def test_analyze_json_has_the_documented_keys(analyzed: dict[str, Any]) -> None:
    assert set(analyzed) >= {"documents", "skipped"}
    assert analyzed["skipped"] == []
    assert len(analyzed["documents"]) == 1
    doc = analyzed["documents"][0]
    assert set(doc) >= DOCUMENT_KEYS
    assert doc["source"] == str(ARRESTS)
    assert doc["title"] == "Eleven Islamic State suspects held in sweep near Rawa"
    assert doc["published"] == "2022-04-14"
    assert re.fullmatch(r"[0-9a-f]{64}", doc["id"])
    assert doc["events"], "the arrests example codes at least one event"
    for event in doc["events"]:
        missing = EVENT_KEYS - set(event)
        assert not missing, f"event {event.get('id')} lacks {sorted(missing)}"
        assert event["time_precision"] in (1, 2, 3)
        assert 0 <= event["confidence"] <= 1
        assert event["evidence"], f"event {event['id']} has no evidence"
        for evidence in event["evidence"]:
            assert set(evidence) >= {"sentence", "start", "end"}


def test_analyze_json_codes_the_arrests(analyzed: dict[str, Any]) -> None:
    events = analyzed["documents"][0]["events"]
    arrests = [e for e in events if e["sub_event_type"] == "Arrests"]
    assert len(arrests) == 1
    event = arrests[0]
    assert event["event_type"] == "Strategic developments"
    assert event["arrests"] == 11
    assert event["admin1_code"] == "IQ-AN"
    assert event["fatalities"] == 0


def test_analyze_evidence_spans_point_into_the_original_text(analyzed: dict[str, Any]) -> None:
    # Offsets are into the text as read (docs/json-contract.md): decode the bytes ourselves, so
    # no newline translation moves them.
    text = ARRESTS.read_bytes().decode("utf-8")
    doc = analyzed["documents"][0]
    spans = 0
    for kind in ("events", "claims", "indicators"):
        for item in doc[kind]:
            for evidence in item["evidence"]:
                start, end = evidence["start"], evidence["end"]
                assert 0 <= start < end <= len(text), (kind, item["id"], start, end)
                span = text[start:end]
                assert span.strip(), (kind, item["id"], start, end)
                assert span in evidence["sentence"], (kind, item["id"], span, evidence)
                spans += 1
    assert spans >= len(doc["events"])


def test_analyze_table_prints_the_document_and_its_events() -> None:
    result = run("analyze", ARRESTS)
    assert result.exit_code == 0, result.output
    assert "Eleven Islamic State suspects held in sweep near Rawa" in result.stdout
    assert "Events" in result.stdout
    assert "Arrests" in result.stdout
    # Tables are for people; nothing on stdout is JSON.
    assert not result.stdout.lstrip().startswith("{")


# -- ingest, events, export -----------------------------------------------------------------------


@dataclass(frozen=True)
class Ingested:
    url: str
    first: Result
    second: Result
    counts_after_first: dict[str, int]
    counts_after_second: dict[str, int]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    """Two examples ingested twice into one SQLite file (the second time with --show)."""
    url = sqlite_url(tmp_path_factory.mktemp("cli-db") / "harbinger.db")
    first = run("ingest", ARRESTS, AIRSTRIKE, "--db", url, "--quiet")
    with Store(url) as store:
        counts_first = store.counts()
    second = run("ingest", ARRESTS, AIRSTRIKE, "--db", url, "--show")
    with Store(url) as store:
        counts_second = store.counts()
    return Ingested(url, first, second, counts_first, counts_second)


def _summary(result: Result) -> re.Match[str]:
    match = re.search(
        r"([\d,]+) new documents? stored \(([\d,]+) events?, ([\d,]+) statements?, ([\d,]+) indicators?\); "
        r"(\d+) already stored; (\d+) skipped\.",
        result.stderr,
    )
    assert match, result.stderr
    return match


def test_ingest_stores_new_documents(ingested: Ingested) -> None:
    assert ingested.first.exit_code == 0, ingested.first.output
    new, events, claims, indicators, same, skipped = (
        int(g.replace(",", "")) for g in _summary(ingested.first).groups()
    )
    assert (new, same, skipped) == (2, 0, 0)
    counts = ingested.counts_after_first
    assert counts["documents"] == 2
    assert events == counts["events"] >= 2
    assert claims == counts["claims"]
    assert indicators == counts["indicators"]
    assert counts["skipped"] == 0
    # --quiet prints no tables: stdout stays empty.
    assert ingested.first.stdout.strip() == ""


def test_ingest_twice_stores_nothing_new(ingested: Ingested) -> None:
    assert ingested.second.exit_code == 0, ingested.second.output
    assert _summary(ingested.second).groups() == ("0", "0", "0", "0", "2", "0")
    assert ingested.counts_after_second == ingested.counts_after_first
    # --show prints what was coded, even for documents already stored.
    assert "Eleven Islamic State suspects held in sweep near Rawa" in ingested.second.stdout


def events_json(url: str, *options: str) -> list[dict[str, Any]]:
    result = run("events", "--db", url, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)["events"]
    return rows


def test_events_json_lists_the_stored_events_newest_first(ingested: Ingested) -> None:
    rows = events_json(ingested.url)
    assert len(rows) == ingested.counts_after_second["events"]
    assert set(rows[0]) >= EVENT_KEYS | {"document_id", "source", "title"}
    assert {r["source"] for r in rows} == {str(ARRESTS), str(AIRSTRIKE)}
    dates = [r["date"] for r in rows if r["date"] is not None]
    assert dates == sorted(dates, reverse=True)
    assert all(r["evidence"] for r in rows)


def test_events_csv_has_the_documented_header(ingested: Ingested) -> None:
    result = run("events", "--db", ingested.url, "--format", "csv")
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames == EVENTS_CSV_HEADER
    rows = list(reader)
    assert len(rows) == ingested.counts_after_second["events"]
    assert {r["sub_event_type"] for r in rows} >= {"Arrests"}


def test_events_table(ingested: Ingested) -> None:
    result = run("events", "--db", ingested.url)
    assert result.exit_code == 0, result.output
    assert count(ingested.counts_after_second["events"], "event") in result.stdout
    assert "Arrests" in result.stdout


def test_events_filter_by_governorate_code(ingested: Ingested) -> None:
    every = events_json(ingested.url)
    # The filter must have something to exclude: the airstrike is not in Anbar.
    assert any(r["admin1_code"] != "IQ-AN" for r in every)
    anbar = events_json(ingested.url, "--admin1", "IQ-AN")
    assert anbar
    assert {r["admin1_code"] for r in anbar} == {"IQ-AN"}
    assert anbar == [r for r in every if r["admin1_code"] == "IQ-AN"]
    # Codes and names both work, in any case.
    assert events_json(ingested.url, "--admin1", "iq-an") == anbar
    assert events_json(ingested.url, "--admin1", "Anbar") == anbar


def test_events_filter_by_type(ingested: Ingested) -> None:
    every = events_json(ingested.url)
    assert any(r["sub_event_type"] != "Arrests" for r in every)
    arrests = events_json(ingested.url, "--type", "Arrests")
    assert arrests
    assert {r["sub_event_type"] for r in arrests} == {"Arrests"}
    strategic = events_json(ingested.url, "--type", "Strategic developments")
    assert {r["id"] for r in arrests} <= {r["id"] for r in strategic}


def test_events_filters_combine_and_limit(ingested: Ingested) -> None:
    every = events_json(ingested.url)
    assert len(events_json(ingested.url, "--limit", "1")) == 1
    assert events_json(ingested.url, "--limit", "1")[0] == every[0]
    newest = every[0]["date"]
    assert events_json(ingested.url, "--since", newest) == [r for r in every if r["date"] == newest]
    assert events_json(ingested.url, "--country", "IQ") == every
    assert events_json(ingested.url, "--admin1", "IQ-AN", "--type", "Air/drone strike") == []


@pytest.mark.parametrize(
    "options",
    [
        ["--admin1", "IQ-NI"],
        ["--type", "Protests"],
        ["--country", "Syria"],
        ["--actor", "no such actor"],
        ["--since", "2030-01-01"],
        ["--until", "1990-01-01"],
    ],
)
def test_a_filter_matching_nothing_gives_an_empty_list(
    ingested: Ingested, options: list[str]
) -> None:
    assert events_json(ingested.url, *options) == []
    result = run("events", "--db", ingested.url, "--format", "csv", *options)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [",".join(EVENTS_CSV_HEADER)]


def _export(url: str, fmt: str, out: Path) -> Result:
    result = run("export", "--format", fmt, "--db", url, "--out", out)
    assert result.exit_code == 0, result.output
    assert out.is_file()
    return result


def test_export_acled_csv(ingested: Ingested, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = _export(ingested.url, "acled-csv", out)
    n = ingested.counts_after_second["events"]
    assert f"{count(n, 'event')} exported." in result.stderr
    assert result.stdout == ""  # everything went to the file
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert set(reader.fieldnames or ()) >= {
        "event_date",
        "sub_event_type",
        "actor1",
        "admin1",
        "fatalities",
    }
    assert len(rows) == n
    arrests = [r for r in rows if r["sub_event_type"] == "Arrests"]
    assert len(arrests) == 1
    assert arrests[0]["admin1"] == "Anbar"
    assert arrests[0]["event_date"] == "2022-04-12"
    assert arrests[0]["fatalities"] == "0"


def test_export_geojson(ingested: Ingested, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    _export(ingested.url, "geojson", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    assert 1 <= len(features) <= ingested.counts_after_second["events"]
    for feature in features:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        # Iraq and Syria, longitude first as GeoJSON wants.
        assert 35 < lon < 49 and 29 < lat < 38
        assert feature["properties"]["sub_event_type"]


def test_export_jsonl(ingested: Ingested, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    _export(ingested.url, "jsonl", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == ingested.counts_after_second["events"]
    assert {r["id"] for r in records} == {r["id"] for r in events_json(ingested.url)}


def test_export_to_a_missing_folder_is_one_line(ingested: Ingested, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "folder" / "events.csv"
    result = run("export", "--format", "acled-csv", "--db", ingested.url, "--out", out)
    assert result.exit_code == 1
    assert stderr_lines(result) == [f"Error: cannot write {out}: No such file or directory"]


# -- usage errors and bad databases ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["analyze", str(ARRESTS), "--format", "xml"], "--format"),
        (["events", "--format", "xml"], "--format"),
        (["export", "--format", "xml"], "--format"),
        (["export"], "--format"),
        (["events", "--since", "notadate"], "notadate"),
        (["events", "--until", "2019-13-45"], "2019-13-45"),
        (["events", "--limit", "-1"], "--limit"),
        (["events", "--limit", "many"], "--limit"),
        (["analyze"], "Missing argument"),
        (["ingest"], "Missing argument"),
        (["no-such-command"], "no-such-command"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_usage_errors_exit_2(args: list[str], says: str, tmp_path: Path) -> None:
    db = tmp_path / "untouched.db"
    if args[0] in ("events", "export", "ingest"):
        args = [*args, "--db", sqlite_url(db)]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr
    assert says in result.stderr
    assert result.stdout == ""
    # A usage error is caught before anything happens: no database is created.
    assert not db.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["events"],
        ["export", "--format", "jsonl"],
        ["ingest", str(ARRESTS)],
    ],
    ids=lambda v: v[0],
)
@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("notadb://x", "notadb"),
        ("sqlite:////no/such/folder/harbinger.db", "folder of the database file exists"),
    ],
    ids=["unknown-scheme", "missing-folder"],
)
def test_a_bad_database_url_is_one_line_and_exit_1(command: list[str], url: str, says: str) -> None:
    result = run(*command, "--db", url)
    assert result.exit_code == 1, result.output
    lines = stderr_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: cannot open the store at ")
    assert url in lines[0]
    assert says in lines[0]
    assert result.stdout == ""


def test_a_password_in_a_bad_url_is_not_printed() -> None:
    result = run("events", "--db", "postgresql+nosuchdriver://ana:s3cret@127.0.0.1:1/db")
    assert result.exit_code == 1
    assert "s3cret" not in result.output
    assert "ana:***@127.0.0.1" in result.stderr


def test_the_console_script_prints_no_traceback() -> None:
    # In-process runs catch exceptions themselves; a real process shows what a user would see.
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "harbinger.cli", "events", "--db", "notadb://x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.strip()] == [
        line for line in proc.stderr.splitlines() if line.startswith("Error: ")
    ]
    assert "notadb://x" in proc.stderr
