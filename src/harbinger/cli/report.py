"""The ``harbinger report`` command: a situation report, or with --actor a resurgence brief, as
Markdown, HTML or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harbinger.cli.common import (
    DbOption,
    Failed,
    check_region,
    err,
    load_settings,
    open_store,
    parse_day,
)
from harbinger.errors import HarbingerError


def report_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="FILE.md, FILE.html or FILE.pdf.")],
    db: DbOption = None,
    region: Annotated[
        str | None, typer.Option(help="A governorate (name or ISO code) or a region id (jazira).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--from", help="First day (default: 12 weeks back; with --actor, 26 weeks back)."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--to", help="Last day (default: the newest event; with --actor, its own)."),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            help="Write a resurgence brief of this actor or family instead ('Islamic State', "
            "'IS' or 'Daesh' take both branches).",
        ),
    ] = None,
) -> None:
    """Write a situation report: a summary, the active warnings with their evidence, a table of the
    main events (gravest first), events by week and type with the baseline band, a map sized by
    fatalities, key statements and indicators. A period that holds nothing gets a short report
    saying so (and a line on stderr).

    With --actor, a resurgence brief of that actor instead: a summary with its level in each region
    and the reason, its activity against its own baseline per region (a table and weekly small
    multiples), a map of the places it reappeared in after 3 months without its events, its
    insurgent repertoire by month, what officials said (warnings against reassurances), its
    strength estimates, and an appendix of the events behind every claim. See docs/warnings.md.

    Example:

        harbinger report --region IQ-NI --from 2019-06-01 --to 2019-08-31 --out nineveh.pdf

        harbinger report --actor "Islamic State" --from 2018-10-01 --to 2019-03-31 --out brief.pdf
    """
    from harbinger.geo import configured_gazetteer
    from harbinger.report import collect, render

    first, last = parse_day(since, "--from"), parse_day(until, "--to")
    if out.suffix.lower() not in (".md", ".html", ".htm", ".pdf"):
        raise typer.BadParameter("the file must end in .md, .html or .pdf", param_hint="--out")
    if actor is not None and not actor.strip():
        raise typer.BadParameter("give an actor name such as 'Islamic State'", param_hint="--actor")
    try:
        settings = load_settings(db)
        check_region(region, settings)
        with open_store(settings) as store:
            if actor is not None:
                from harbinger.analyze.resurgence import ResurgenceSettings
                from harbinger.report.brief import collect_brief, render_brief

                brief = collect_brief(
                    store,
                    actor,
                    region=region,
                    since=first,
                    until=last,
                    gazetteer=configured_gazetteer(settings),
                    settings=ResurgenceSettings(theatre=settings.theatre),
                )
                written = render_brief(brief, out)
                empty, message = brief.is_empty, brief.nothing_message
                unknown = not brief.known
            else:
                data = collect(
                    store,
                    region=region,
                    since=first,
                    until=last,
                    gazetteer=configured_gazetteer(settings),
                )
                written = render(data, out)
                empty, message, unknown = data.is_empty, data.nothing_message, False
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    if unknown and not empty:
        err.print(
            f"harbinger: {actor!r} is not in the actor knowledge; events whose actor names "
            "contain it are used as written.",
            markup=False,
            highlight=False,
        )
    if empty:
        err.print(f"harbinger: {message()}", markup=False, highlight=False)
    err.print(f"Report written to {written}.", markup=False, highlight=False)
