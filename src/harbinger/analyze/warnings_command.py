"""The ``harbinger warnings`` command: regions above their own baseline, with the evidence."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harbinger.errors import HarbingerError
from harbinger.options import parse_day

out = Console(soft_wrap=False)
err = Console(stderr=True)


def warnings_command(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (default: $HARBINGER_DB or sqlite:///harbinger.db).",
            show_default=False,
        ),
    ] = None,
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
    from harbinger.settings import Settings
    from harbinger.store import Store

    if format not in ("table", "json"):
        raise typer.BadParameter("use 'table' or 'json'", param_hint="--format")
    day = parse_day(as_of, "--as-of")
    settings = Settings.from_env(db_url=db)
    try:
        store = Store(settings.db_url)
    except HarbingerError as exc:
        err.print(f"Error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from exc
    try:
        day = day or latest_event_date(store) or dt.date.today()
        found = compute_warnings(store, as_of=day, region=region)
    except HarbingerError as exc:
        err.print(f"Error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from exc
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
