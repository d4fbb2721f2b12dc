"""Several processes on one database at once (#12): nothing lost, nothing stored twice, no error.

Real processes (``python -m harbinger.cli``), as users run them: six commands opening one new
SQLite database at the same moment (the schema is created once, under SQLite's write lock), three
``ingest`` runs over overlapping folders, and two ``import`` runs of one table.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

from harbinger.ingest.tables import read_table
from harbinger.records import ImportedRow
from harbinger.store import Store
from tests.helpers import EXAMPLES, ROOT

DATA = ROOT / "tests" / "data"


def _start(*args: str, data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "harbinger.cli", *args],
        cwd=ROOT,
        env={**os.environ, "HARBINGER_DATA_DIR": str(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    out = []
    for p in procs:
        _, err = p.communicate(timeout=600)
        out.append((p.returncode, err))
    return out


def _counts(url: str) -> dict[str, int]:
    with Store(url) as store:
        return store.counts()


def test_many_processes_open_a_new_database_at_once(tmp_path: Path) -> None:
    # The race is on the first open: several rounds of six, each on a database of its own.
    for round_ in range(3):
        url = f"sqlite:///{tmp_path / f'new{round_}.db'}"
        results = _finish(
            [_start("events", "--db", url, "--format", "json", data_dir=tmp_path) for _ in range(6)]
        )
        for code, err in results:
            assert code == 0, err
        assert _counts(url)["documents"] == 0


def test_three_ingests_of_overlapping_folders_store_what_one_run_stores(tmp_path: Path) -> None:
    reports = sorted(EXAMPLES.glob("*.txt"))
    folders = [tmp_path / "a", tmp_path / "b", tmp_path / "c"]
    for folder, chosen in zip(folders, (reports[:4], reports[2:], reports), strict=True):
        folder.mkdir()
        for path in chosen:
            shutil.copy(path, folder / path.name)
    together = f"sqlite:///{tmp_path / 'together.db'}"
    results = _finish(
        [_start("ingest", str(f), "--db", together, data_dir=tmp_path) for f in folders]
    )
    for code, err in results:
        assert code == 0, err
    alone = f"sqlite:///{tmp_path / 'alone.db'}"
    for folder in folders:
        code, err = _finish([_start("ingest", str(folder), "--db", alone, data_dir=tmp_path)])[0]
        assert code == 0, err
    assert _counts(together) == _counts(alone)
    assert _counts(together)["documents"] == len(reports)


def _big_ucdp_table(path: Path, rows: int) -> None:
    """A UCDP GED table of ``rows`` events made from the rows written for the import tests."""
    source = DATA / "import" / "ucdp_ged.csv"
    good = {
        item.source_event_id for item in read_table(source, "ucdp") if isinstance(item, ImportedRow)
    }
    with source.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        template = [r for r in reader if r["id"] in good]
        header = reader.fieldnames
    assert header and template
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for i in range(rows):
            row = dict(template[i % len(template)])
            row["id"] = str(5_000_000 + i)
            writer.writerow(row)


def test_two_imports_of_one_table_at_once_store_it_once(tmp_path: Path) -> None:
    table = tmp_path / "ged.csv"
    _big_ucdp_table(table, 4000)
    for round_ in range(2):
        url = f"sqlite:///{tmp_path / f'imports{round_}.db'}"
        procs = [
            _start("import", "ucdp", str(table), "--db", url, data_dir=tmp_path) for _ in range(2)
        ]
        results = _finish(procs)
        for code, err in results:
            assert code == 0, err
            assert "cannot save" not in err
        assert _counts(url)["events"] == 4000
