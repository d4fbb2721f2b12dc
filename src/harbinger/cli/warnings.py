"""The ``harbinger warnings`` and ``harbinger backtest`` commands: regions above their own
baseline with the evidence, and the surge forecast backtested on a UCDP GED file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from harbinger.cli.common import (
    DbOption,
    Failed,
    check_region,
    err,
    load_settings,
    open_store,
    out,
    parse_day,
    report_skipped,
)
from harbinger.errors import HarbingerError


def warnings_command(
    db: DbOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Date the warnings are for (default: the newest event's date)."
        ),
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Only this governorate (name or ISO code) or region.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    evidence: Annotated[
        bool, typer.Option("--evidence/--no-evidence", help="Quote the evidence sentences.")
    ] = True,
) -> None:
    """List warnings: regions whose activity rises above their own baseline, with the evidence.

    The last 4 weeks of each governorate and region are compared with a negative binomial
    baseline of the 26 weeks before; statements and indicators coded in the window add to the
    score. See docs/warnings.md for the method and the settings.

    Example:

        harbinger warnings --as-of 2019-11-30 --format json
    """
    from harbinger.analyze.warnings import compute_warnings, latest_event_date

    if format not in ("table", "json"):
        raise typer.BadParameter("use 'table' or 'json'", param_hint="--format")
    day = parse_day(as_of, "--as-of")
    settings = load_settings(db)
    check_region(region, settings)
    store = open_store(settings)
    try:
        day = day or latest_event_date(store) or dt.date.today()
        found = compute_warnings(store, as_of=day, region=region)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    finally:
        store.close()
    if format == "json":
        payload = {"as_of": day.isoformat(), "warnings": [w.to_dict() for w in found]}
        out.print_json(json.dumps(payload, ensure_ascii=False), highlight=False)
        return
    if not found:
        out.print(f"No warnings as of {day.isoformat()}.")
        return
    table = Table(
        title=f"{len(found)} warning(s) as of {day.isoformat()}",
        title_justify="left",
        show_lines=True,
    )
    for col in ("level", "region", "period", "score", "reason"):
        table.add_column(col, overflow="fold")
    colours = {"alert": "bold red", "warning": "bold yellow", "watch": "cyan"}
    for w in found:
        reason = escape(w.reason)
        if evidence and w.evidence:
            quotes = "\n".join(f'  "{escape(_short(e.sentence, 160))}"' for e in w.evidence[:3])
            reason += f"\n[dim]{quotes}[/dim]"
        table.add_row(
            f"[{colours[w.level]}]{w.level}[/]",
            escape(w.region) + (f"\n[dim]{escape(w.region_code or '')}[/dim]"),
            f"{w.period_start.isoformat()}\n{w.period_end.isoformat()}",
            f"{w.score:.2f}",
            reason,
        )
    out.print(table)


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


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

    from harbinger.analyze.backtest import backtest_file

    if format.strip().lower() != "ucdp":
        raise typer.BadParameter(
            "only 'ucdp' (a UCDP GED CSV file) is supported", param_hint="FORMAT"
        )
    try:
        result = backtest_file(path)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    except ValueError as exc:
        raise Failed(f"{path}: {exc}") from exc
    for skipped in result.skipped:
        report_skipped(skipped)
    try:
        with forecasts.open("w", encoding="utf-8", newline="") as fh:
            n = result.write_forecasts(fh)
        if json_out is not None:
            with json_out.open("w", encoding="utf-8") as fh:
                result.write_json(fh)
    except OSError as exc:
        raise Failed(f"cannot write {exc.filename}: {exc.strerror}") from exc
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
    out.print(table)
    err.print(f"{n} forecast(s) written to {forecasts}.", markup=False, highlight=False)
