"""The ``harbinger train`` command: an analyst's coded notes in, an event-type model file out.

A thin wrapper over ``harbinger.extract.trained``: it reads the CSV (rows it cannot use are listed
on stderr with their line and reason, and skipped), measures a model trained on the rest against a
held-out part, prints the scores in a table, then trains on every usable row and writes the model
as JSON. ``harbinger analyze --model MODEL.json`` and ``ingest --model`` switch the model on. It is
registered on the CLI's ``app`` in ``harbinger.cli``; the heavy imports (scikit-learn) wait until the
command runs, so the other commands start as fast as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

if TYPE_CHECKING:
    from harbinger.extract.trained import Evaluation


def train_command(
    data: Annotated[
        Path,
        typer.Argument(
            help="CSV with a header (an ACLED export, say); a .tsv file is read tab-separated.",
            show_default=False,
        ),
    ],
    out_path: Annotated[
        Path, typer.Option("--out", "-o", help="Model file to write (JSON).", show_default=False)
    ],
    text_column: Annotated[
        str, typer.Option("--text-column", help="Column of the text to learn from.")
    ] = "notes",
    label_column: Annotated[
        str,
        typer.Option(
            "--label-column",
            help="Column of the ACLED sub-event type (ACLED's names or CASE labels like ARMED_CLASH).",
        ),
    ] = "sub_event_type",
    test_size: Annotated[
        float,
        typer.Option(
            "--test-size",
            min=0.0,
            max=0.9,
            help="Share of each sub-event type held out to measure the model (0: do not measure).",
        ),
    ] = 0.2,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the split and the solver.")] = 0,
) -> None:
    """Train an event-type classifier on coded notes and save it for --model.

    The held-out scores are those of a model trained on the other rows; the saved model is then
    trained on every usable row. Rows with an empty text or a label that is not an ACLED
    sub-event type are listed with their line and skipped (the command still succeeds).

    Example:

        harbinger train acled_export.csv --out model.json --test-size 0.2

    Then: harbinger analyze --model model.json REPORT.txt
    """
    from harbinger.cli.common import Failed, err, out, report_skipped_rows
    from harbinger.errors import HarbingerError
    from harbinger.extract import trained

    try:
        rows = trained.read_training_data(data, text_column=text_column, label_column=label_column)
        report_skipped_rows(rows.skipped, "row(s) skipped")
        settings = trained.TrainSettings(seed=seed)
        evaluation = None
        if test_size > 0:
            fit_idx, test_idx = trained.split_holdout(rows.labels, test_size, seed)
            if test_idx and len({rows.labels[i] for i in fit_idx}) >= 2:
                held_out = trained.train(
                    [rows.texts[i] for i in fit_idx],
                    [rows.labels[i] for i in fit_idx],
                    settings=settings,
                    source=str(data),
                )
                evaluation = trained.evaluate(
                    held_out, [rows.texts[i] for i in test_idx], [rows.labels[i] for i in test_idx]
                )
            else:
                err.print(
                    "harbinger: too few rows to hold any out; the model is not measured",
                    markup=False,
                    highlight=False,
                )
        model = trained.train(rows.texts, rows.labels, settings=settings, source=str(data))
        if evaluation is not None:
            model.info["evaluation"] = _as_dict(evaluation)
        model.save(out_path)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    if evaluation is not None:
        out.print(_table(evaluation, len(rows.texts) - evaluation.rows))
    err.print(
        f"Model written to {out_path}: {len(rows.texts)} row(s), {len(model.classes)} sub-event "
        f"types; {len(rows.skipped)} row(s) skipped. Use it with: harbinger analyze --model "
        f"{out_path} REPORT.txt",
        markup=False,
        highlight=False,
    )


def _as_dict(evaluation: Evaluation) -> dict[str, object]:
    from dataclasses import asdict

    return asdict(evaluation)


def _table(evaluation: Evaluation, trained_on: int) -> Table:
    from harbinger.extract.trained import CONFIDENT

    confident = (
        f"{evaluation.confident_accuracy:.3f}" if evaluation.confident_accuracy is not None else "-"
    )
    t = Table(
        title=(
            f"Held-out scores ({evaluation.rows} rows; trained on {trained_on}): "
            f"accuracy {evaluation.accuracy:.3f}, weighted F1 {evaluation.weighted_f1:.3f}, "
            f"macro F1 {evaluation.macro_f1:.3f}"
        ),
        caption=(
            f"The model decides where its probability is >= {CONFIDENT}: "
            f"{evaluation.confident_share:.0%} of these rows, accuracy {confident} there."
        ),
        title_justify="left",
        caption_justify="left",
    )
    t.add_column("sub-event type")
    for col in ("precision", "recall", "F1", "support"):
        t.add_column(col, justify="right")
    for c in evaluation.per_class:
        t.add_row(c.label, f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}", str(c.support))
    return t
