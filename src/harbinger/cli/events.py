"""The ``harbinger events`` and ``harbinger export`` commands: stored events listed or exported."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from harbinger.cli.common import (
    DbOption,
    Failed,
    err,
    esc,
    load_settings,
    open_store,
    out,
    parse_day,
)
from harbinger.errors import HarbingerError
from harbinger.wording import count

__all__ = ["EVENT_COLUMNS", "events", "export"]


EVENT_COLUMNS = [
    "id",
    "date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor1",
    "actor2",
    "assoc_actor2",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "arrests",
    "confidence",
    "document_id",
    "source",
    "title",
]


def events(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="First date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last date (YYYY-MM-DD).")] = None,
    country: Annotated[
        str | None, typer.Option(help="Country name or ISO code (Iraq, SY).")
    ] = None,
    admin1: Annotated[
        str | None, typer.Option(help="Governorate name or ISO 3166-2 code (Nineveh, IQ-NI).")
    ] = None,
    type: Annotated[
        str | None, typer.Option("--type", help="Event type or sub-event type.")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            help="An actor or a family of actors through the actor knowledge: 'Islamic State', "
            "'IS', 'Daesh' or 'ISIS' take both branches, 'Islamic State (Iraq)' one; a name the "
            "knowledge does not know matches part of an actor name.",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=0, help="At most this many events.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
) -> None:
    """List stored events, newest first, with filters.

    Example:

        harbinger events --admin1 IQ-NI --since 2019-01-01 --format csv

        harbinger events --actor Daesh --since 2019-01-01
    """
    if format not in ("table", "json", "csv"):
        raise typer.BadParameter("use 'table', 'json' or 'csv'", param_hint="--format")
    # Dates are checked before the store is opened: a usage error must not create a database.
    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    settings = load_settings(db)
    store = open_store(settings)
    try:
        rows = store.events(
            since=first,
            until=last,
            country=country,
            admin1=admin1,
            event_type=type,
            actor=actor,
            limit=limit,
        )
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    finally:
        store.close()
    dicts = [r.to_dict() for r in rows]
    if format == "json":
        out.print_json(json.dumps({"events": dicts}, ensure_ascii=False), highlight=False)
    elif format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=EVENT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for d in dicts:
            writer.writerow(d)
    else:
        t = Table(title=count(len(dicts), "event"), title_justify="left")
        for col in (
            "date",
            "sub-event type",
            "actor1",
            "actor2",
            "location",
            "admin1",
            "fatal.",
            "source",
        ):
            t.add_column(col, overflow="fold")
        for d in dicts:
            t.add_row(
                str(d["date"] or "-"),
                d["sub_event_type"],
                esc(d["actor1"] or "-"),
                esc(d["actor2"] or "-"),
                esc(d["location"] or "-"),
                esc(str(d["admin1_code"] or d["admin1"] or "-")),
                str(d["fatalities"]),
                esc(Path(str(d.get("source") or "")).name),
            )
        out.print(t)


def export(
    format: Annotated[str, typer.Option("--format", "-f", help="acled-csv, geojson or jsonl.")],
    db: DbOption = None,
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export stored events: ACLED-style CSV (ACLED's column names), GeoJSON or JSON Lines.

    Example:

        harbinger export --format acled-csv --out events.csv
    """
    from harbinger.report import export as exporters

    writers = {
        "acled-csv": exporters.export_acled_csv,
        "geojson": exporters.export_geojson,
        "jsonl": exporters.export_jsonl,
    }
    if format not in writers:
        raise typer.BadParameter("use 'acled-csv', 'geojson' or 'jsonl'", param_hint="--format")
    settings = load_settings(db)
    store = open_store(settings)
    try:
        rows = store.events()
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    finally:
        store.close()
    if output is None:
        n = writers[format](rows, sys.stdout)
    else:
        try:
            with output.open("w", encoding="utf-8", newline="") as fh:
                n = writers[format](rows, fh)
        except OSError as exc:
            raise Failed(f"cannot write {output}: {exc.strerror}") from exc
    err.print(f"{count(n, 'event')} exported.", markup=False, highlight=False)
