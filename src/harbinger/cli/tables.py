"""The ``harbinger import`` command: a coded-event table (ACLED, UCDP GED, GTD) into the store.

``harbinger.ingest.tables`` reads the rows as records; ``harbinger.store.store_table`` stores them
in batches. This module parses the options, shows a progress bar on a terminal, and turns a
``HarbingerError`` into one line on stderr with exit code 1. An import that skipped rows finishes
the rest and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harbinger.cli.common import (
    DbOption,
    Failed,
    err,
    load_settings,
    open_store,
    progress_bar,
    report_skipped,
)
from harbinger.errors import HarbingerError
from harbinger.records import Skipped

__all__ = ["import_command"]


def import_command(
    format: Annotated[str, typer.Argument(help="The table's format: acled, ucdp or gtd.")],
    path: Annotated[Path, typer.Argument(help="The CSV file (ACLED export, UCDP GED, GTD).")],
    db: DbOption = None,
) -> None:
    """Import a coded-event table (ACLED, UCDP GED or GTD CSV) into the store.

    Each row becomes one event with its origin and the dataset's own id; importing the same
    file again stores nothing new. Rows that cannot be read are reported with their line number
    and skipped.

    Example:

        harbinger import ucdp ged_syria_2016-2019.csv --db sqlite:///harbinger.db
    """
    from harbinger.ingest.tables import FORMATS, count_records, read_table
    from harbinger.store import store_table

    fmt = format.strip().lower()
    if fmt not in FORMATS:
        raise typer.BadParameter("use 'acled', 'ucdp' or 'gtd'", param_hint="FORMAT")
    settings = load_settings(db)

    def report(skipped: Skipped) -> None:
        report_skipped(skipped)

    try:
        total = count_records(path)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    store = open_store(settings)
    try:
        with progress_bar(total, f"importing {fmt}") as progress:
            task = progress.add_task(f"importing {fmt}", total=total)
            result = store_table(
                store,
                read_table(path, fmt),
                fmt,
                on_row=lambda n: progress.advance(task, n),
                on_skip=report,
            )
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    finally:
        store.close()
    err.print(
        f"{result.stored} new event(s) stored from {result.rows} row(s) of {path}; "
        f"{result.already} already stored; {len(result.skipped)} skipped.",
        markup=False,
        highlight=False,
    )
    if result.skipped:
        raise typer.Exit(code=1)
