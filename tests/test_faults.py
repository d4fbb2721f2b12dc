"""A process killed mid-batch loses nothing already committed, and a re-run completes it (#12).

``ingest`` and ``import`` run as real processes and are killed with SIGKILL once the database
holds some of their work (polled, not a timed sleep): at a different point each round. The
database must open, and running the command again must leave it exactly as one uninterrupted
run leaves it: the same documents, events and sources, nothing twice.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harbinger.store import Store
from tests.helpers import EXAMPLES, ROOT
from tests.test_concurrency import _big_ucdp_table


def _run(args: list[str], data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "harbinger.cli", *args],
        cwd=ROOT,
        env={**os.environ, "HARBINGER_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _rows(db: Path, table: str) -> int:
    """Rows of a table, read with sqlite3 directly (0 while the schema is not there yet)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0


def _kill_when(proc: subprocess.Popen[str], db: Path, table: str, at_least: int) -> bool:
    """SIGKILL the process once ``table`` holds ``at_least`` rows; False if it finished first."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if _rows(db, table) >= at_least:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            return True
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"{table} never reached {at_least} rows")


def _snapshot(url: str) -> tuple[dict[str, int], list[tuple[str, str | None, int]]]:
    with Store(url) as store:
        events = sorted(
            (e.id, e.source_event_id, e.fatalities) for e in store.events(with_evidence=False)
        )
        return store.counts(), events


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirty-eight different reports: the examples and the reports corpus of the tests."""
    folder = tmp_path_factory.mktemp("reports")
    for path in [
        *sorted(EXAMPLES.glob("*.txt")),
        *sorted((ROOT / "tests/data/reports").glob("*.txt")),
    ]:
        shutil.copy(path, folder / path.name)
    return folder


def test_ingest_killed_mid_batch_then_run_again(reports: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    proc = _run(["ingest", str(reports), "--db", f"sqlite:///{whole}"], tmp_path)
    assert proc.wait(timeout=600) == 0, proc.stderr.read() if proc.stderr else ""
    expected = _snapshot(f"sqlite:///{whole}")
    for at in (1, 12, 25):
        db = tmp_path / f"killed{at}.db"
        url = f"sqlite:///{db}"
        killed = _kill_when(
            _run(["ingest", str(reports), "--db", url], tmp_path), db, "documents", at
        )
        assert killed, "the ingest finished before it could be killed"
        partial = _snapshot(url)  # the database opens: nothing half-written
        assert at <= partial[0]["documents"] < expected[0]["documents"]
        again = _run(["ingest", str(reports), "--db", url], tmp_path)
        assert again.wait(timeout=600) == 0
        assert _snapshot(url) == expected


def test_import_killed_mid_table_then_run_again(tmp_path: Path) -> None:
    table = tmp_path / "ged.csv"
    _big_ucdp_table(table, 6000)
    whole = tmp_path / "whole.db"
    assert (
        _run(["import", "ucdp", str(table), "--db", f"sqlite:///{whole}"], tmp_path).wait(600) == 0
    )
    expected = _snapshot(f"sqlite:///{whole}")
    for at in (1000, 3000):
        db = tmp_path / f"killed{at}.db"
        url = f"sqlite:///{db}"
        proc = _run(["import", "ucdp", str(table), "--db", url], tmp_path)
        assert _kill_when(proc, db, "events", at), "the import finished before it could be killed"
        partial = _snapshot(url)
        assert partial[0]["events"] % 1000 == 0  # whole batches only
        assert at <= partial[0]["events"] < 6000
        assert _run(["import", "ucdp", str(table), "--db", url], tmp_path).wait(600) == 0
        assert _snapshot(url) == expected


def _unshare_available() -> str | None:
    """Why a read-only mount cannot be made here, or None when it can (root, mount namespaces)."""
    if shutil.which("unshare") is None:
        return "the unshare command is absent"
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            "mount --bind / /mnt 2>/dev/null || mount -t tmpfs none /mnt",
        ],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return f"no private mount namespace here: {probe.stderr.strip() or probe.returncode}"
    return None


def test_a_database_on_a_read_only_mount_can_be_read(tmp_path: Path) -> None:
    """#12 item 4: events, warnings and report read a database on a read-only file system."""
    reason = _unshare_available()
    if reason is not None:
        pytest.skip(f"cannot make a read-only mount: {reason}")
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "h.db"
    url = f"sqlite:///{db}"
    assert _run(["ingest", str(EXAMPLES), "--db", url], tmp_path).wait(600) == 0
    expected = _snapshot(url)
    out = tmp_path / "out"
    out.mkdir()
    python = f"{sys.executable} -m harbinger.cli"
    script = " && ".join(
        [
            f"mount --bind {folder} {folder}",
            f"mount -o remount,ro,bind {folder} {folder}",
            f"! touch {folder}/probe 2>/dev/null",  # the mount is read-only indeed
            f"{python} events --db {url} --format json > {out}/events.json",
            f"{python} warnings --db {url} --format json > {out}/warnings.json",
            f"{python} report --db {url} --out {out}/report.md",
        ]
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        cwd=ROOT,
        env={**os.environ, "HARBINGER_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    events = json.loads((out / "events.json").read_text(encoding="utf-8"))["events"]
    assert len(events) == expected[0]["events"]
    assert "warnings" in json.loads((out / "warnings.json").read_text(encoding="utf-8"))
    assert (out / "report.md").read_text(encoding="utf-8").startswith("#")
