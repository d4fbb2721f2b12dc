"""The words of Harbinger's messages (#12 item 9): counts in the singular for one, articles by
sound, no emoji, no wrapping of one-line errors, the prefix on every notice, n/a for an F1 of
nothing, and a watcher's first line for what it will do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harbinger.cli import app
from harbinger.evaluate.scoring import binary_f1
from harbinger.wording import count, with_article

runner = CliRunner()


@pytest.mark.parametrize(
    ("n", "word", "expected"),
    [(0, "event", "0 events"), (1, "event", "1 event"), (2, "entry", "2 entries"),
     (12345, "row", "12,345 rows"), (1, "new document", "1 new document")],
)  # fmt: skip
def test_count(n: int, word: str, expected: str) -> None:
    assert count(n, word) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ACLED", "an ACLED"), ("UCDP", "a UCDP"), ("GTD", "a GTD"), ("export", "an export")],
)
def test_article_by_sound(name: str, expected: str) -> None:
    assert with_article(name) == expected


def test_a_skip_on_line_100_keeps_its_line_number(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": f"Report number {i} about nothing in particular."}) for i in range(99)
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([*lines, "{not json"]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert f"{path}:100:" in result.stderr
    assert "\N{HUNDRED POINTS SYMBOL}" not in result.stderr


def test_one_document_and_one_event_are_singular(tmp_path: Path) -> None:
    report = tmp_path / "one.txt"
    report.write_text(
        "Checkpoint attacked\n\nBy Test Writer\n\n10 May 2021\n\nIslamic State militants "
        "attacked an army checkpoint near Tarmiyah on Sunday, killing two soldiers.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", str(report), "--db", f"sqlite:///{tmp_path / 'h.db'}"])
    assert result.exit_code == 0, result.output
    assert "1 new document stored (1 event, " in result.stderr


def test_long_errors_stay_on_one_line(tmp_path: Path) -> None:
    url = "notadb://" + "x" * 120
    for command in (["warnings"], ["report", "--out", str(tmp_path / "r.md")], ["events"]):
        result = runner.invoke(app, [*command, "--db", url])
        assert result.exit_code == 1, command
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("Error: "), (command, lines)


def test_a_table_of_another_format_is_named_with_its_article(tmp_path: Path) -> None:
    path = tmp_path / "not_acled.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(
        app, ["import", "acled", str(path), "--db", f"sqlite:///{tmp_path / 'h.db'}"]
    )
    assert result.exit_code == 1
    assert "an ACLED file" in result.stderr


def test_a_cut_feed_is_reported_with_the_prefix_and_without_a_false_count(tmp_path: Path) -> None:
    feed = tmp_path / "cut.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>a</title></item><item><title>b",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["analyze", str(feed)])
    assert result.exit_code == 1
    notice = [line for line in result.stderr.splitlines() if "lenient parser" in line]
    assert notice and notice[0].startswith("harbinger: ")
    assert "no usable entry recovered" in notice[0] and "the 0 entries" not in result.stderr


def test_watch_once_says_it_runs_one_round(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    result = runner.invoke(
        app, ["watch", str(tmp_path / "inbox"), "--once", "--db", f"sqlite:///{tmp_path / 'h.db'}"]
    )
    assert result.exit_code == 0, result.output
    assert "one round over 1 source" in result.stderr
    assert "every 10m" not in result.stderr


def test_an_f1_of_nothing_is_not_zero() -> None:
    assert binary_f1([False, False], [False, False]) is None
    assert binary_f1([True, False], [False, False]) == 0.0
    assert binary_f1([True, False], [True, False]) == 1.0


@pytest.mark.parametrize("command", [["warnings"], ["report", "--out", "r.md"]])
def test_an_unknown_region_is_a_usage_error_that_lists_the_known_ones(
    tmp_path: Path, command: list[str]
) -> None:
    args = [*command, "--region", "Narnia", "--db", f"sqlite:///{tmp_path / 'h.db'}"]
    result = runner.invoke(app, [a.replace("r.md", str(tmp_path / "r.md")) for a in args])
    assert result.exit_code == 2
    assert "Narnia" in result.output and "IQ-NI Nineveh" in result.output
    assert "jazira Jazira" in result.output
    assert not (tmp_path / "r.md").exists()


@pytest.mark.parametrize("region", ["IQ-NI", "nineveh", "Jazira", "badia"])
def test_known_regions_are_accepted(tmp_path: Path, region: str) -> None:
    result = runner.invoke(
        app, ["warnings", "--region", region, "--db", f"sqlite:///{tmp_path / 'h.db'}"]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("host", "token", "warned"),
    [
        ("127.0.0.1", "", False),
        ("localhost", "", False),
        ("::1", "short", False),
        ("0.0.0.0", "", True),
        ("192.0.2.10", "short-token", True),
        ("0.0.0.0", "a-token-of-twenty-four-c", False),
    ],
)
def test_serving_beyond_this_machine_without_a_strong_token_is_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str, token: str, warned: bool
) -> None:
    import uvicorn

    served: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, log_level: served.append(host))
    monkeypatch.setenv("HARBINGER_API_TOKEN", token)
    result = runner.invoke(app, ["serve", "--host", host, "--db", f"sqlite:///{tmp_path / 'h.db'}"])
    assert result.exit_code == 0, result.output
    assert served == [host]
    assert ("Warning: serving on" in result.stderr) is warned


def test_a_file_of_punctuation_is_skipped_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "dots.txt"
    path.write_text("... !!! ---\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 1
    assert f"skipped {path}: contains no letters or digits" in result.stderr
