"""Bad inputs through ``harbinger analyze`` and ``harbinger ingest``: skipped by name, batch goes on.

Each bad input is given together with one good example file. The command must finish the batch
(the good report is coded, or stored), name the bad input and the reason on one line of stderr
(with the line number for a JSON Lines record), print no traceback, and exit 1. Files in a legacy
encoding (Windows-1256 with Arabic, Latin-1) are not bad: they are read and coded, and the batch
exits 0. The inputs are written to a temporary folder; the JSON Lines file is tests/data/cli/.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner, Result

from harbinger.cli import app
from harbinger.store import Store
from harbinger.store.models import SkippedRow
from harbinger.wording import count

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "examples" / "sweep_arrests_anbar.txt"
GOOD_TITLE = "Eleven Islamic State suspects held in sweep near Rawa"
JSONL = ROOT / "tests" / "data" / "cli" / "three_lines.jsonl"

#: The size limit (Settings.max_document_bytes) and the size of the file written over it.
LIMIT = 5_000_000
BIG = 50 * 1024 * 1024

#: An English report with Arabic in its header and in its first sentence (the place name).
ARABIC_REPORT = (
    "Militants killed in clashes near Tikrit\n"
    "\n"
    "2019 / 8 / 12\n"
    "\n"
    "تقرير أمني من محافظة صلاح الدين\n"
    "\n"
    "Iraqi security forces killed three Islamic State militants in clashes near Tikrit (تكريت) "
    "in Salahuddin governorate on Monday, a police officer said.\n"
)
#: An English report whose author and first sentence have Latin-1 letters.
LATIN1_REPORT = (
    "Militants killed in clashes near Tikrit\n"
    "\n"
    "José Müller\n"
    "\n"
    "2019 / 8 / 12\n"
    "\n"
    "Iraqi security forces killed three Islamic State militants in clashes near Tikrit, the "
    "town's café owners and a police officer said on Monday.\n"
)

runner = CliRunner()


def run(*args: str | Path) -> Result:
    """Invoke ``harbinger``; an uncaught exception (a traceback for a user) fails the test."""
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"harbinger {' '.join(map(str, args))} raised {result.exception!r}\n{result.output}"
        ) from result.exception
    assert "Traceback" not in result.output
    return result


def skip_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("harbinger: skipped ")]


# -- the bad inputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A bad input: the path to give, and what each skip line must say (one line per skip)."""

    path: Path
    #: (line number or None, words of the reason) for each expected skip, in order.
    skips: tuple[tuple[int | None, str], ...]


def _missing(folder: Path) -> Bad:
    return Bad(folder / "no-such-report.txt", ((None, "no such file or folder"),))


def _nothing_readable(folder: Path) -> Bad:
    path = folder / "nothing-readable"
    path.mkdir()
    (path / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (path / ".notes.txt").write_text("hidden files are not read", encoding="utf-8")
    (path / ".git").mkdir()
    (path / ".git" / "HEAD.txt").write_text("ref: refs/heads/main", encoding="utf-8")
    return Bad(path, ((None, "the folder holds no files to read"),))


def _binary(folder: Path) -> Bad:
    path = folder / "report.txt"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 8)
    return Bad(path, ((None, "looks binary: it contains NUL bytes"),))


def _empty(folder: Path) -> Bad:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return Bad(path, ((None, "is empty (0 bytes)"),))


def _whitespace(folder: Path) -> Bad:
    path = folder / "blank.txt"
    path.write_bytes(b"  \n\t\r\n   \n\n")
    return Bad(path, ((None, "contains only whitespace"),))


def _too_large(folder: Path) -> Bad:
    # A real file of 50 MB, all text: if the limit were not checked before reading, it would be
    # decoded and coded, which takes minutes; the skip must be immediate.
    path = folder / "huge.txt"
    chunk = b"Islamic State fighters attacked a checkpoint near Mosul. " * 18_000
    with path.open("wb") as fh:
        written = 0
        while written < BIG:
            written += fh.write(chunk[: BIG - written])
    assert path.stat().st_size == BIG
    return Bad(path, ((None, f"is {BIG:,} bytes, over the limit of {LIMIT:,} bytes"),))


def _jsonl(folder: Path) -> Bad:
    path = folder / JSONL.name
    shutil.copyfile(JSONL, path)
    return Bad(path, ((2, "not valid JSON"), (3, "no 'text' key")))


MAKERS: dict[str, Callable[[Path], Bad]] = {
    "missing-file": _missing,
    "folder-with-nothing-readable": _nothing_readable,
    "binary-file": _binary,
    "empty-file": _empty,
    "whitespace-only": _whitespace,
    "over-the-size-limit": _too_large,
    "jsonl-bad-lines": _jsonl,
}


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Bad]]:
    inputs = {}
    for name, make in MAKERS.items():
        inputs[name] = make(tmp_path_factory.mktemp(name))
    yield inputs
    # Do not leave 50 MB behind in the kept temporary folders.
    inputs["over-the-size-limit"].path.unlink(missing_ok=True)


@pytest.fixture(scope="module", autouse=True)
def warm_coder() -> None:
    """Load the spaCy pipeline once, so the timing of the size-limit test measures the reader."""
    result = run("analyze", GOOD, "--format", "json")
    assert result.exit_code == 0, result.output


def assert_skip_lines(result: Result, bad: Bad) -> None:
    lines = skip_lines(result)
    assert len(lines) == len(bad.skips), result.stderr
    for line, (number, reason) in zip(lines, bad.skips, strict=True):
        where = str(bad.path) if number is None else f"{bad.path}:{number}"
        assert line.startswith(f"harbinger: skipped {where}: "), line
        assert reason in line, line


# -- analyze -------------------------------------------------------------------------------------


def analyze_json(*paths: Path) -> tuple[Result, dict[str, Any]]:
    result = run("analyze", *paths, "--format", "json")
    payload: dict[str, Any] = json.loads(result.stdout)
    return result, payload


@pytest.mark.parametrize("name", list(MAKERS))
def test_analyze_skips_a_bad_input_and_codes_the_rest(
    name: str, bad_inputs: dict[str, Bad]
) -> None:
    bad = bad_inputs[name]
    started = time.perf_counter()
    # The bad input first: what comes after it must still be coded.
    result, payload = analyze_json(bad.path, GOOD)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1, result.output
    assert_skip_lines(result, bad)
    # Nothing but the skip lines on stderr (no traceback, no second message).
    assert len(result.stderr.splitlines()) == len(bad.skips), result.stderr
    skipped = payload["skipped"]
    assert [(s["source"], s["line"]) for s in skipped] == [
        (str(bad.path), number) for number, _ in bad.skips
    ]
    sources = [d["source"] for d in payload["documents"]]
    assert str(GOOD) in sources
    good = payload["documents"][sources.index(str(GOOD))]
    assert good["title"] == GOOD_TITLE
    assert any(e["sub_event_type"] == "Arrests" for e in good["events"])
    if name == "over-the-size-limit":
        assert elapsed < 5, f"skipping a {BIG:,}-byte file took {elapsed:.1f}s"


def test_analyze_codes_the_good_line_of_a_jsonl_file(bad_inputs: dict[str, Bad]) -> None:
    bad = bad_inputs["jsonl-bad-lines"]
    result, payload = analyze_json(bad.path)
    assert result.exit_code == 1
    [doc] = payload["documents"]
    assert doc["source"] == f"{bad.path}:1"
    assert doc["title"] == "Three militants killed near Tikrit"
    assert doc["published"] == "2019-08-12"
    assert doc["events"], "the good line reports a clash"


def test_analyze_a_batch_of_every_bad_input(bad_inputs: dict[str, Bad]) -> None:
    bads = list(bad_inputs.values())
    result, payload = analyze_json(*(b.path for b in bads), GOOD)
    assert result.exit_code == 1
    expected = [(str(b.path) if n is None else f"{b.path}:{n}") for b in bads for n, _ in b.skips]
    lines = skip_lines(result)
    assert [line.split(": ", 2)[1][len("skipped ") :] for line in lines] == expected
    assert len(payload["skipped"]) == len(expected)
    assert sorted(d["source"] for d in payload["documents"]) == sorted(
        [str(GOOD), f"{bad_inputs['jsonl-bad-lines'].path}:1"]
    )


# -- legacy encodings: read, not skipped ---------------------------------------------------------


@pytest.fixture(scope="module")
def legacy_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("encodings")
    arabic = folder / "arabic-cp1256.txt"
    arabic.write_bytes(ARABIC_REPORT.encode("cp1256"))
    latin = folder / "latin1.txt"
    latin.write_bytes(LATIN1_REPORT.encode("latin-1"))
    # Make sure the files really are not UTF-8, or the test would prove nothing.
    for path in (arabic, latin):
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    return {"cp1256": (arabic, ARABIC_REPORT), "latin-1": (latin, LATIN1_REPORT)}


@pytest.mark.parametrize("encoding", ["cp1256", "latin-1"])
def test_analyze_reads_a_legacy_encoding(
    encoding: str, legacy_files: dict[str, tuple[Path, str]]
) -> None:
    path, text = legacy_files[encoding]
    result, payload = analyze_json(path, GOOD)
    assert result.exit_code == 0, result.output
    assert skip_lines(result) == []
    assert payload["skipped"] == []
    docs = {d["source"]: d for d in payload["documents"]}
    assert set(docs) == {str(path), str(GOOD)}
    doc = docs[str(path)]
    assert doc["title"] == "Militants killed in clashes near Tikrit"
    assert doc["published"] == "2019-08-12"
    if encoding == "latin-1":
        assert doc["author"] == "José Müller"
    assert doc["events"], f"the {encoding} report of a clash codes an event"
    # Evidence offsets index the decoded text, and the sentence keeps the non-ASCII letters.
    sentences = []
    for event in doc["events"]:
        for evidence in event["evidence"]:
            span = text[evidence["start"] : evidence["end"]]
            assert span.strip()
            assert span in evidence["sentence"]
            sentences.append(evidence["sentence"])
    word = "تكريت" if encoding == "cp1256" else "café"
    assert any(word in s for s in sentences), sentences


# -- ingest --------------------------------------------------------------------------------------


def _skipped_rows(url: str) -> list[tuple[str, int | None, str]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(SkippedRow.source, SkippedRow.line, SkippedRow.reason).order_by(
                    SkippedRow.id
                )
            ).all()
    finally:
        engine.dispose()
    return [(r[0], r[1], r[2]) for r in rows]


@pytest.mark.parametrize("name", list(MAKERS))
def test_ingest_skips_a_bad_input_stores_the_rest_and_records_the_skip(
    name: str, bad_inputs: dict[str, Bad], tmp_path: Path
) -> None:
    bad = bad_inputs[name]
    url = f"sqlite:///{tmp_path / 'harbinger.db'}"
    result = run("ingest", bad.path, GOOD, "--db", url)
    assert result.exit_code == 1, result.output
    assert_skip_lines(result, bad)
    # Besides the skip lines, stderr holds the summary and nothing else.
    summary = [line for line in result.stderr.splitlines() if line not in skip_lines(result)]
    good_docs = 2 if name == "jsonl-bad-lines" else 1
    assert len(summary) == 1, result.stderr
    assert summary[0].startswith(count(good_docs, "new document") + " stored"), summary
    assert summary[0].endswith(f"0 already stored; {len(bad.skips)} skipped."), summary
    with Store(url) as store:
        counts = store.counts()
        stored = store.events(event_type="Arrests")
    assert counts["documents"] == good_docs
    assert counts["skipped"] == len(bad.skips)
    assert [e.source for e in stored] == [str(GOOD)]
    rows = _skipped_rows(url)
    assert [(source, line) for source, line, _ in rows] == [
        (str(bad.path), number) for number, _ in bad.skips
    ]
    for (_, _, reason), (_, words) in zip(rows, bad.skips, strict=True):
        assert words in reason


def test_ingest_a_batch_of_every_bad_input_then_again(
    bad_inputs: dict[str, Bad], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'harbinger.db'}"
    bads = list(bad_inputs.values())
    n_skips = sum(len(b.skips) for b in bads)
    paths = [*(b.path for b in bads), GOOD]
    first = run("ingest", *paths, "--db", url)
    assert first.exit_code == 1
    assert len(skip_lines(first)) == n_skips
    assert "2 new documents stored" in first.stderr
    # A second run skips the same inputs again (and records them again: each run's losses are
    # kept) but stores nothing twice.
    second = run("ingest", *paths, "--db", url)
    assert second.exit_code == 1
    assert "0 new documents stored" in second.stderr
    assert f"2 already stored; {n_skips} skipped." in second.stderr
    with Store(url) as store:
        counts = store.counts()
    assert counts["documents"] == 2
    assert counts["skipped"] == 2 * n_skips


@pytest.mark.parametrize("encoding", ["cp1256", "latin-1"])
def test_ingest_stores_a_legacy_encoding_as_decoded_text(
    encoding: str, legacy_files: dict[str, tuple[Path, str]], tmp_path: Path
) -> None:
    path, text = legacy_files[encoding]
    url = f"sqlite:///{tmp_path / 'harbinger.db'}"
    result = run("ingest", path, GOOD, "--db", url)
    assert result.exit_code == 0, result.output
    assert skip_lines(result) == []
    assert "2 new documents stored" in result.stderr
    with Store(url) as store:
        assert store.counts()["skipped"] == 0
        events = [e for e in store.events() if e.source == str(path)]
        assert events, f"the {encoding} report of a clash codes an event"
        assert events[0].document_id is not None
        stored = store.document(events[0].document_id)
    assert stored is not None
    assert stored.text == text
