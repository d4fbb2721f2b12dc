"""The ``harbinger import`` and ``harbinger backtest`` commands (registered in ``harbinger.cli``).

Thin wrappers in the style of the other commands: they parse options, call ``importers`` or
``analyze.backtest``, show a progress bar on a terminal, and turn a ``HarbingerError`` into one
line on stderr with exit code 1. An import that skipped rows finishes the rest and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harbinger.errors import HarbingerError
from harbinger.records import Skipped

__all__ = ["backtest_command", "import_command"]


def import_command(
    format: Annotated[str, typer.Argument(help="The table's format: acled, ucdp or gtd.")],
    path: Annotated[Path, typer.Argument(help="The CSV file (ACLED export, UCDP GED, GTD).")],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (default: $HARBINGER_DB or sqlite:///harbinger.db).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Import a coded-event table (ACLED, UCDP GED or GTD CSV) into the store.

    Each row becomes one event with its origin and the dataset's own id; importing the same
    file again stores nothing new. Rows that cannot be read are reported with their line number
    and skipped.

    Example:

        harbinger import ucdp ged_syria_2016-2019.csv --db sqlite:///harbinger.db
    """
    from harbinger import cli
    from harbinger.importers import FORMATS, count_records, import_table

    fmt = format.strip().lower()
    if fmt not in FORMATS:
        raise typer.BadParameter("use 'acled', 'ucdp' or 'gtd'", param_hint="FORMAT")
    settings = cli._settings(db)

    def report(skipped: Skipped) -> None:
        cli._report_skipped(skipped)

    try:
        total = count_records(path)
    except HarbingerError as exc:
        raise cli.Failed(str(exc)) from exc
    store = cli._open_store(settings)
    try:
        with cli._progress(total, f"importing {fmt}") as progress:
            task = progress.add_task(f"importing {fmt}", total=total)
            result = import_table(
                path,
                fmt,
                store,
                on_row=lambda n: progress.advance(task, n),
                on_skip=report,
            )
    except HarbingerError as exc:
        raise cli.Failed(str(exc)) from exc
    finally:
        store.close()
    cli.err.print(
        f"{result.stored} new event(s) stored from {result.rows} row(s) of {path}; "
        f"{result.already} already stored; {len(result.skipped)} skipped.",
        markup=False,
        highlight=False,
    )
    if result.skipped:
        raise typer.Exit(code=1)


def backtest_command(
    format: Annotated[str, typer.Argument(help="The file's format: ucdp (UCDP GED CSV).")],
    path: Annotated[Path, typer.Argument(help="A UCDP GED CSV file.")],
    forecasts: Annotated[
        Path, typer.Option("--forecasts", help="Write admin1,month,probability CSV here.")
    ],
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Write the scores (model and baselines) as JSON here."),
    ] = None,
) -> None:
    """Backtest monthly surge forecasts per governorate against baselines on a UCDP GED file.

    A surge is a month with >= 10 events and >= 1.5 x the mean of the 6 months before. Every
    forecast uses data up to the month before only. Prints Brier score and ROC AUC on
    2018-01..2019-11 for the model, climatology, persistence and an HDX-Signals-style rule.

    Example:

        harbinger backtest ucdp ged_syria_2016-2019.csv --forecasts out.csv --json out.json
    """
    from rich.table import Table

    from harbinger import cli
    from harbinger.analyze.backtest import backtest_file

    if format.strip().lower() != "ucdp":
        raise typer.BadParameter(
            "only 'ucdp' (a UCDP GED CSV file) is supported", param_hint="FORMAT"
        )
    try:
        result = backtest_file(path)
    except HarbingerError as exc:
        raise cli.Failed(str(exc)) from exc
    except ValueError as exc:
        raise cli.Failed(f"{path}: {exc}") from exc
    for skipped in result.skipped:
        cli._report_skipped(skipped)
    try:
        with forecasts.open("w", encoding="utf-8", newline="") as fh:
            n = result.write_forecasts(fh)
        if json_out is not None:
            with json_out.open("w", encoding="utf-8") as fh:
                result.write_json(fh)
    except OSError as exc:
        raise cli.Failed(f"cannot write {exc.filename}: {exc.strerror}") from exc
    lo, hi = result.scored
    table = Table(
        title=f"Surge forecasts {lo}..{hi}: n={result.n()}, base rate "
        f"{(result.base_rate() or 0):.3f}",
        title_justify="left",
    )
    for col in ("forecaster", "Brier", "ROC AUC"):
        table.add_column(col)
    for name, score in result.scores().items():
        auc = "-" if score.auc is None else f"{score.auc:.3f}"
        table.add_row(name, f"{score.brier:.4f}", auc)
    cli.out.print(table)
    cli.err.print(f"{n} forecast(s) written to {forecasts}.", markup=False, highlight=False)
