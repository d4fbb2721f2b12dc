"""The ``harbinger report`` command: a situation report as Markdown, HTML or PDF."""

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
        str | None, typer.Option("--from", help="First day (default: 12 weeks back).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="Last day (default: the newest event).")
    ] = None,
) -> None:
    """Write a situation report: a summary, the active warnings with their evidence, a table of the
    main events (gravest first), events by week and type with the baseline band, a map sized by
    fatalities, key statements and indicators. A period that holds nothing gets a short report
    saying so (and a line on stderr).

    Example:

        harbinger report --region IQ-NI --from 2019-06-01 --to 2019-08-31 --out nineveh.pdf
    """
    from harbinger.geo import configured_gazetteer
    from harbinger.report import collect, render

    first, last = parse_day(since, "--from"), parse_day(until, "--to")
    if out.suffix.lower() not in (".md", ".html", ".htm", ".pdf"):
        raise typer.BadParameter("the file must end in .md, .html or .pdf", param_hint="--out")
    try:
        settings = load_settings(db)
        check_region(region, settings)
        with open_store(settings) as store:
            data = collect(
                store,
                region=region,
                since=first,
                until=last,
                gazetteer=configured_gazetteer(settings),
            )
            written = render(data, out)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    if data.is_empty:
        err.print(f"harbinger: {data.nothing_message()}", markup=False, highlight=False)
    err.print(f"Report written to {written}.", markup=False, highlight=False)
