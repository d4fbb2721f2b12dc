"""The ``harbinger eval`` command: score the coder against a human-coded dataset.

A thin wrapper over ``runner.evaluate``: it shows a progress bar on stderr, prints the scores as a
table on stdout, writes the JSON of ``EvalResult.to_dict`` when ``--json`` is given, reports each
skipped row on stderr, and turns a library error into one line on stderr with exit code 1.
``--part`` scores the tune half, the score half or all of a file (``datasets.split_part``).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from harbinger.cli.common import Failed, err, out, report_skipped
from harbinger.errors import HarbingerError
from harbinger.evaluate.runner import EvalResult, evaluate

__all__ = ["EvalDataset", "EvalPart", "eval_command", "print_result"]


class EvalDataset(StrEnum):
    """The reference datasets ``harbinger eval`` knows how to read."""

    case2021 = "case2021"
    drone = "drone"
    ucdp = "ucdp"
    acled = "acled"
    gtd = "gtd"
    reports = "reports"


class EvalPart(StrEnum):
    """Which rows of a file are scored (the fixed split of ``datasets.split_part``)."""

    tune = "tune"
    score = "score"
    all = "all"


def print_result(result: EvalResult, console: Console) -> None:
    """The scores of a run as a table: metric, value, and the rows it was counted over."""
    part = "" if result.part == "all" else f", {result.part} half"
    table = Table(title=f"harbinger eval {result.dataset}: {result.path} ({result.n} rows{part})")
    table.add_column("metric")
    table.add_column("key")
    table.add_column("value", justify="right")
    table.add_column("rows", justify="right")
    for m in result.metrics:
        if m.value is None:
            value = "n/a"
        elif m.key == "median_km":
            value = f"{m.value:.1f}"
        else:
            value = f"{m.value:.3f}"
        rows = f"{m.correct}/{m.total}" if m.correct is not None else str(m.total)
        table.add_row(m.label, m.key, value, rows)
    console.print(table)
    if result.dataset == "ucdp":
        d = result.details
        console.print(
            f"{d['selected']} of {d['rows_read']} rows selected (the headline names the place)"
            + (f"; {result.n} scored (--limit)" if result.n != d["selected"] else ""),
            markup=False,
            highlight=False,
        )


def eval_command(
    dataset: Annotated[
        EvalDataset,
        typer.Argument(
            help="The dataset format: case2021 (TSV), drone (GTD-schema CSV), ucdp, "
            "acled (an ACLED export), gtd (GTD's own columns), reports (a folder of NAME.txt "
            "news reports with gold NAME.json)."
        ),
    ],
    path: Annotated[Path, typer.Argument(help="The dataset file (for reports: the folder).")],
    json_out: Annotated[
        Path | None,
        typer.Option(
            "--json", help="Also write the scores as JSON to this file.", show_default=False
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            help="Score only the first N rows (after --part and the UCDP selection).",
            show_default=False,
        ),
    ] = None,
    part: Annotated[
        EvalPart,
        typer.Option(
            "--part",
            help="Score the half of the rows one tunes on (tune), the half one only scores "
            "(score), or every row (all). Each row's half is fixed by a hash of its id.",
        ),
    ] = EvalPart.all,
) -> None:
    """Score the coder against a human-coded dataset and print the scores.

    case2021 scores the CASE 2021 Task 2 event classes of snippets (accuracy, macro and weighted
    F1); drone codes ACLED/GTD event summaries and scores province, town, distance, date,
    fatalities and the Islamic State actor; ucdp codes UCDP GED headlines that name their place and
    scores province, sides, date and fatalities; acled codes the notes of an ACLED export and
    scores event type, sub-event type, actors, province, town, distance, date, fatalities and geo
    precision; gtd codes GTD summaries and scores what drone does; reports reads a folder of news
    reports (NAME.txt, header and all, with the gold NAME.json), matches the coded events to the
    gold ones and scores the published date, event date, types, actors, admin1, location and
    fatalities, the events missed and invented, and the share of fields right. --part tune|score
    picks one of two fixed halves of the file (of the reports, by file name). Rules and measured
    numbers: docs/accuracy.md.

    Example:

        harbinger eval drone data/drone_iraq_syria.csv --json drone.json --limit 50
        harbinger eval acled acled_export.csv --part score --json acled-score.json
        harbinger eval reports tests/data/reports --json reports.json
    """
    progress = Progress(
        TextColumn(f"eval {dataset.value}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    try:
        with progress:
            task = progress.add_task("coding", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            result = evaluate(dataset.value, path, limit=limit, progress=advance, part=part.value)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    for s in result.skipped:
        report_skipped(s)
    print_result(result, out)
    if json_out is not None:
        try:
            json_out.write_text(
                json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
        except OSError as exc:
            raise Failed(f"cannot write {json_out}: {exc.strerror}") from exc
