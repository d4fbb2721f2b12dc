"""The ``harbinger warnings`` and ``harbinger backtest`` commands: regions above their own
baseline with the evidence, and the surge forecast backtested on a UCDP GED file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from harbinger.wording import count

if TYPE_CHECKING:
    from harbinger.settings import Settings


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
    actor: Annotated[
        str | None,
        typer.Option(
            help="Resurgence warnings of this actor or family against its own past "
            "('Islamic State', 'IS' or 'Daesh' take both branches).",
        ),
    ] = None,
) -> None:
    """List warnings: regions whose activity rises above their own baseline, with the evidence.

    The last 4 weeks of each governorate and region are compared with a negative binomial
    baseline of the 26 weeks before; statements and indicators coded in the window add to the
    score. With --actor, the actor's own signals instead (activity, fatalities, spread to places
    quiet for 3 months, insurgent repertoire, claims, text signals) give a resurgence level per
    country, governorate and region. See docs/warnings.md for the method and the settings.

    Example:

        harbinger warnings --as-of 2019-11-30 --format json

        harbinger warnings --actor "Islamic State" --as-of 2019-03-31
    """
    from harbinger.analyze.warnings import compute_warnings, latest_event_date

    if format not in ("table", "json"):
        raise typer.BadParameter("use 'table' or 'json'", param_hint="--format")
    if actor is not None and not actor.strip():
        raise typer.BadParameter("give an actor name such as 'Islamic State'", param_hint="--actor")
    day = parse_day(as_of, "--as-of")
    settings = load_settings(db)
    check_region(region, settings)
    if actor is not None:
        _actor_warnings(actor, day, region, format, evidence, settings)
        return
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


def _actor_warnings(
    query: str,
    day: dt.date | None,
    region: str | None,
    format: str,
    evidence: bool,
    settings: Settings,
) -> None:
    """``warnings --actor``: the actor's resurgence levels (``analyze.resurgence``)."""
    from harbinger.analyze.resurgence import ResurgenceSettings, resurgence
    from harbinger.analyze.warnings import latest_event_date
    from harbinger.geo import configured_gazetteer
    from harbinger.knowledge.lens import actor_lens

    try:
        lens = actor_lens(query, settings.theatre)
        gazetteer = configured_gazetteer(settings)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    if not lens.known:
        err.print(
            f"harbinger: {query!r} is not in the actor knowledge; events whose actor names "
            "contain it are used as written.",
            markup=False,
            highlight=False,
        )
    store = open_store(settings)
    try:
        day = day or latest_event_date(store) or dt.date.today()
        found = resurgence(
            store,
            lens,
            as_of=day,
            region=region,
            gazetteer=gazetteer,
            settings=ResurgenceSettings(theatre=settings.theatre),
        )
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    finally:
        store.close()
    if format == "json":
        payload = {
            "as_of": day.isoformat(),
            "actor": {
                "query": lens.query,
                "label": lens.label,
                "known": lens.known,
                "names": sorted(lens.names),
            },
            "warnings": [w.to_dict() for w in found],
        }
        out.print_json(json.dumps(payload, ensure_ascii=False), highlight=False)
        return
    if not found:
        out.print(
            f"No resurgence warnings for {escape(lens.label)} as of {day.isoformat()}.",
            highlight=False,
        )
        return
    table = Table(
        title=f"{len(found)} resurgence warning(s) for {escape(lens.label)} as of "
        f"{day.isoformat()}",
        title_justify="left",
        show_lines=True,
    )
    for col in ("level", "region", "score", "reason"):
        table.add_column(col, overflow="fold")
    colours = {"alert": "bold red", "warning": "bold yellow", "watch": "cyan"}
    for w in found:
        reason = escape(w.reason)
        behind = ", ".join(
            count(n, noun)
            for n, noun in (
                (len(w.event_ids), "event"),
                (len(w.claim_ids), "statement"),
                (len(w.indicator_ids), "indicator"),
            )
            if n
        )
        if behind:
            reason += f"\n[dim]behind it: {escape(behind)} (their ids: --format json)[/dim]"
        if evidence and w.evidence:
            quotes = "\n".join(f'  "{escape(_short(e.sentence, 160))}"' for e in w.evidence[:3])
            reason += f"\n[dim]{quotes}[/dim]"
        level = w.level or "-"
        table.add_row(
            f"[{colours.get(level, 'dim')}]{level}[/]",
            escape(w.region) + f"\n[dim]{escape(w.region_code)}[/dim]",
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
    actor: Annotated[
        str | None,
        typer.Option(
            help="Count only the rows where this actor is side A or B (UCDP's names mapped as "
            "the importer maps them: 'Islamic State' takes UCDP's 'IS'); surges from 5 events.",
        ),
    ] = None,
) -> None:
    """Backtest monthly surge forecasts per governorate against baselines on a UCDP GED file.

    A surge is a month with >= 10 events and >= 1.5 x the mean of the 6 months before. Every
    forecast uses data up to the month before only. Prints Brier score and ROC AUC on
    2018-01..2019-11 for the model, climatology, persistence and an HDX-Signals-style rule.
    With --actor, only the actor's events count, a surge needs >= 5 of them, and the all-events
    model's own forecast is one more baseline.

    Example:

        harbinger backtest ucdp ged_syria_2016-2019.csv --forecasts out.csv --json out.json

        harbinger backtest ucdp ged.csv --actor "Islamic State" --forecasts is.csv
    """
    from rich.table import Table

    from harbinger.analyze.backtest import backtest_file

    if format.strip().lower() != "ucdp":
        raise typer.BadParameter(
            "only 'ucdp' (a UCDP GED CSV file) is supported", param_hint="FORMAT"
        )
    lens = None
    if actor is not None:
        from harbinger.knowledge.lens import actor_lens

        if not actor.strip():
            raise typer.BadParameter(
                "give an actor name such as 'Islamic State'", param_hint="--actor"
            )
        try:
            lens = actor_lens(actor)
        except HarbingerError as exc:
            raise Failed(str(exc)) from exc
        if not lens.known:
            err.print(
                f"harbinger: {actor!r} is not in the actor knowledge; only sides named exactly "
                "so count.",
                markup=False,
                highlight=False,
            )
    try:
        result = backtest_file(path, actor=lens)
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
    whose = f" of {result.actor.label}" if result.actor is not None else ""
    table = Table(
        title=f"Surge forecasts{escape(whose)} {lo}..{hi}: n={result.n()}, base rate "
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
