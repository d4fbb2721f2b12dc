"""The ``harbinger import`` command: a coded-event table (ACLED, UCDP GED, GTD) into the store.

``harbinger.ingest.tables`` reads the rows as records; ``harbinger.store.store_table`` stores them
in batches; ``harbinger.geo.add_table_places`` adds their places to the user's gazetteer. This module parses the options, shows a progress bar on a terminal, and turns a
``HarbingerError`` into one line on stderr with exit code 1. An import that skipped rows finishes
the rest and exits 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from harbinger.cli.common import (
    DbOption,
    Failed,
    SkipReporter,
    err,
    load_settings,
    open_store,
    progress_bar,
)
from harbinger.errors import HarbingerError
from harbinger.records import Skipped
from harbinger.wording import count

__all__ = ["import_command"]


def import_command(
    format: Annotated[str, typer.Argument(help="The table's format: acled, ucdp or gtd.")],
    path: Annotated[Path, typer.Argument(help="The CSV file (ACLED export, UCDP GED, GTD).")],
    db: DbOption = None,
) -> None:
    """Import a coded-event table (ACLED, UCDP GED or GTD CSV) into the store.

    Each row becomes one event with its origin and the dataset's own id; importing the same
    file again stores nothing new. Rows that cannot be read are reported with their line number
    and skipped. The places of the rows (name, governorate, district, coordinates; rows of
    governorate precision or without coordinates add none) are added to the gazetteer in the
    data dir ($HARBINGER_DATA_DIR), so that reports naming them are coded to them afterwards.

    Example:

        harbinger import ucdp ged_syria_2016-2019.csv --db sqlite:///harbinger.db
    """
    from harbinger.geo import add_table_places, default_data_dir
    from harbinger.ingest.tables import FORMATS, count_records, read_table
    from harbinger.records import ImportedRow, Place
    from harbinger.store import store_table

    fmt = format.strip().lower()
    if fmt not in FORMATS:
        raise typer.BadParameter("use 'acled', 'ucdp' or 'gtd'", param_hint="FORMAT")
    settings = load_settings(db)

    report = SkipReporter()

    try:
        total = count_records(path)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    places: list[Place] = []

    def rows() -> Iterator[ImportedRow | Skipped]:
        # The places of the rows, kept on the way to the store for the user's gazetteer.
        for item in read_table(path, fmt):
            if isinstance(item, ImportedRow) and item.event.place is not None:
                places.append(item.event.place)
            yield item

    store = open_store(settings)
    try:
        with progress_bar(total, f"importing {fmt}") as progress:
            task = progress.add_task(f"importing {fmt}", total=total)
            result = store_table(
                store,
                rows(),
                fmt,
                on_row=lambda n: progress.advance(task, n),
                on_skip=report,
            )
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    finally:
        store.close()
    report.finish()
    err.print(
        f"{count(result.stored, 'new event')} stored from {count(result.rows, 'row')} of {path}; "
        f"{result.already} already stored; {len(result.skipped)} skipped"
        + (f"; {len(result.excluded)} left out by design" if result.excluded else "")
        + ".",
        markup=False,
        highlight=False,
    )
    reasons = Counter(item.reason for item in result.excluded)
    for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        err.print(f"harbinger: {count(n, 'row')} left out: {reason}", markup=False, highlight=False)
    data_dir = Path(settings.data_dir).expanduser() if settings.data_dir else default_data_dir()
    try:
        added = add_table_places(
            places, fmt, path.name, data_dir=data_dir, theatre=settings.theatre
        )
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    err.print(
        f"{added.added} place(s) added to the gazetteer ({added.path}).",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if result.skipped:
        raise typer.Exit(code=1)
