"""The ``harbinger`` command line: thin wrappers that parse options, call the library, print.

Library errors (``HarbingerError``) become one line on stderr and exit code 1; usage errors exit 2
(Click's convention); a batch in which some input was skipped exits 1 after finishing the rest.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from harbinger.errors import HarbingerError
from harbinger.options import parse_day
from harbinger.records import CodedDocument, Document, Skipped
from harbinger.settings import Settings

if TYPE_CHECKING:
    from harbinger.extract import Coder
    from harbinger.scale import DaskCoder
    from harbinger.store import Store

app = typer.Typer(
    name="harbinger",
    help="Harbinger: code news reports about the Islamic State in Iraq and Syria into ACLED-style "
    "events, statements and indicators; store them; follow each region against its baseline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $HARBINGER_DB or sqlite:///harbinger.db).",
        show_default=False,
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="A classifier trained with 'harbinger train' to type events.",
        show_default=False,
    ),
]


class Failed(typer.Exit):
    """Exit 1 after a one-line message on stderr."""

    def __init__(self, message: str) -> None:
        err.print(f"Error: {message}", markup=False, highlight=False)
        super().__init__(code=1)


def _settings(db: str | None = None, model: str | None = None) -> Settings:
    return Settings.from_env(db_url=db, model_path=model)


def _report_skipped(skipped: Skipped) -> None:
    err.print(f"harbinger: {skipped.message()}", markup=False, highlight=False)


#: Skipped rows listed one by one before the rest are counted.
LIST_AT_MOST = 20


def report_skipped_rows(skipped: Sequence[Skipped], rest: str) -> None:
    """Up to ``LIST_AT_MOST`` skipped rows on stderr, then "... and N more {rest}"."""
    for item in skipped[:LIST_AT_MOST]:
        _report_skipped(item)
    if len(skipped) > LIST_AT_MOST:
        err.print(
            f"harbinger: ... and {len(skipped) - LIST_AT_MOST} more {rest}",
            markup=False,
            highlight=False,
        )


def _progress(total: int | None, label: str) -> Progress:
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal or (total is not None and total < 2),
    )


def _count_inputs(paths: list[Path]) -> int | None:
    if all(p.is_file() for p in paths) and not any(
        p.suffix in (".jsonl", ".ndjson", ".json") for p in paths
    ):
        return len(paths)
    return None


def _coder(settings: Settings) -> Coder:
    """The coder (knowledge, gazetteer, a trained model if asked for), or a one-line failure."""
    from harbinger.extract import Coder

    try:
        return Coder(settings)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc


def _coded_stream(
    paths: list[Path],
    settings: Settings,
    skipped: list[Skipped],
    coder: Coder | DaskCoder | None = None,
) -> Iterator[CodedDocument]:
    from harbinger.ingest import iter_documents

    coder = coder or _coder(settings)

    def documents() -> Iterator[Document]:
        for item in iter_documents(paths, max_bytes=settings.max_document_bytes):
            if isinstance(item, Skipped):
                skipped.append(item)
                _report_skipped(item)
            else:
                yield item

    yield from coder.code_many(documents())


@app.command()
def analyze(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders of reports (.txt, .jsonl).")
    ],
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    model: ModelOption = None,
) -> None:
    """Code reports and print what was coded, without storing anything.

    Example:

        harbinger analyze examples/airstrike_hamrin.txt --format json
    """
    if format not in ("table", "json"):
        raise typer.BadParameter("use 'table' or 'json'", param_hint="--format")
    settings = _settings(model=model)
    skipped: list[Skipped] = []
    coded: list[CodedDocument] = []
    try:
        with _progress(_count_inputs(paths), "coding") as progress:
            task = progress.add_task("coding", total=_count_inputs(paths))
            for doc in _coded_stream(paths, settings, skipped):
                coded.append(doc)
                progress.advance(task)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    if format == "json":
        payload = {
            "documents": [c.to_dict() for c in coded],
            "skipped": [{"source": s.source, "line": s.line, "reason": s.reason} for s in skipped],
        }
        out.print_json(json.dumps(payload, ensure_ascii=False), indent=2, highlight=False)
    else:
        for c in coded:
            print_coded(c)
    if skipped:
        raise typer.Exit(code=1)


def print_coded(coded: CodedDocument) -> None:
    """Readable tables of one document's events, statements and indicators."""
    d = coded.document
    published = d.published.isoformat() if d.published else "date unknown"
    out.print(
        f"\n[bold]{_esc(d.title or d.source)}[/bold]  ({_esc(d.author or 'author unknown')}, "
        f"{published})  [dim]{_esc(d.source)} · {d.id[:12]}[/dim]"
    )
    if coded.events:
        t = Table(title="Events", title_justify="left", show_lines=False, expand=False)
        for col in (
            "date",
            "type / sub-event type",
            "actor1",
            "actor2",
            "place",
            "fatal.",
            "arrests",
        ):
            t.add_column(col, overflow="fold")
        for e in coded.events:
            p = e.place
            where = (
                "-"
                if p is None
                else f"{p.name}"
                + (f", {p.admin1_code}" if p.admin1_code else "")
                + f" (geo {p.precision})"
            )
            fat = str(e.fatalities)
            if e.fatalities_high is not None and e.fatalities_high != e.fatalities:
                fat += f" ({e.fatalities_low or 0}-{e.fatalities_high})"
            t.add_row(
                f"{e.date.isoformat() if e.date else '-'} (t{e.time_precision})",
                f"{e.event_type} / {e.sub_event_type}",
                _esc(e.actor1 or "-") + (f"\n+ {_esc(e.assoc_actor1)}" if e.assoc_actor1 else ""),
                _esc(e.actor2 or "-"),
                _esc(where),
                fat,
                str(e.arrests) if e.arrests is not None else "-",
            )
        out.print(t)
    if coded.claims:
        t = Table(title="Statements", title_justify="left")
        for col in ("speaker", "stance", "about", "what was said"):
            t.add_column(col, overflow="fold")
        for c in coded.claims:
            who = c.speaker + (f" ({c.speaker_title})" if c.speaker_title else "")
            t.add_row(_esc(who), c.stance, _esc(c.about_actor or "-"), _esc(_short(c.text, 110)))
        out.print(t)
    if coded.indicators:
        t = Table(title="Indicators", title_justify="left")
        for col in ("kind", "value", "range", "actor", "place"):
            t.add_column(col, overflow="fold")
        for i in coded.indicators:
            rng = f"{i.low:g}-{i.high:g}" if i.low is not None and i.high is not None else "-"
            t.add_row(
                i.kind,
                _esc(str(i.value)),
                rng,
                _esc(i.actor or "-"),
                _esc(i.place.name if i.place else "-"),
            )
        out.print(t)
    if not (coded.events or coded.claims or coded.indicators):
        out.print("[dim]Nothing of the theatre was coded from this document.[/dim]")


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _open_store(settings: Settings) -> Store:
    from harbinger.store import Store

    try:
        return Store(settings.db_url)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders of reports (.txt, .jsonl).")
    ],
    db: DbOption = None,
    show: Annotated[bool, typer.Option("--show/--quiet", help="Print what was coded.")] = False,
    model: ModelOption = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local (this process) or dask (workers of a Dask cluster; see docs/scale.md).",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Address of a running Dask scheduler (tcp://HOST:PORT); with --engine dask.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Worker processes of a local Dask cluster (default: the CPUs); with --engine dask.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Code reports and store them; a document already stored is not stored again.

    Each document is committed on its own: an interrupted batch keeps what was done.
    With --engine dask the coding runs on Dask workers and this process stores the results
    in input order; what is stored is the same as with the local engine.

    Example:

        harbinger ingest examples/ --db sqlite:///harbinger.db
        harbinger ingest reports/ --engine dask --workers 2
    """
    if engine not in ("local", "dask"):
        raise typer.BadParameter("use 'local' or 'dask'", param_hint="--engine")
    if engine == "local" and (scheduler is not None or workers is not None):
        raise typer.BadParameter(
            "--scheduler and --workers go with --engine dask", param_hint="--engine"
        )
    if scheduler is not None and workers is not None:
        raise typer.BadParameter(
            "give --scheduler (a running cluster) or --workers (a local one), not both",
            param_hint="--workers",
        )
    settings = _settings(db, model)
    # The coder before the store: a bad --model must not leave a new database.
    if engine == "dask":
        dask_coder = _dask_coder(settings, scheduler, workers)
        try:
            _ingest(paths, settings, dask_coder, show)
        finally:
            dask_coder.close()
    else:
        _ingest(paths, settings, _coder(settings), show)


def _dask_coder(settings: Settings, scheduler: str | None, workers: int | None) -> DaskCoder:
    from harbinger.scale import DaskCoder

    try:
        return DaskCoder(settings, scheduler=scheduler, workers=workers)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc


def _ingest(paths: list[Path], settings: Settings, coder: Coder | DaskCoder, show: bool) -> None:
    store = _open_store(settings)
    skipped: list[Skipped] = []
    new = same = 0
    totals = {"events": 0, "claims": 0, "indicators": 0}
    try:
        with _progress(_count_inputs(paths), "ingesting") as progress:
            task = progress.add_task("ingesting", total=_count_inputs(paths))
            for coded in _coded_stream(paths, settings, skipped, coder):
                if store.save(coded):
                    new += 1
                    totals["events"] += len(coded.events)
                    totals["claims"] += len(coded.claims)
                    totals["indicators"] += len(coded.indicators)
                else:
                    same += 1
                if show:
                    print_coded(coded)
                progress.advance(task)
        for s in skipped:
            store.record_skipped(s)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    finally:
        store.close()
    err.print(
        f"{new} new document(s) stored ({totals['events']} events, {totals['claims']} statements, "
        f"{totals['indicators']} indicators); {same} already stored; {len(skipped)} skipped.",
        markup=False,
        highlight=False,
    )
    if skipped:
        raise typer.Exit(code=1)


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


@app.command()
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
    actor: Annotated[str | None, typer.Option(help="Part of an actor name.")] = None,
    limit: Annotated[int | None, typer.Option(min=0, help="At most this many events.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
) -> None:
    """List stored events, newest first, with filters.

    Example:

        harbinger events --admin1 IQ-NI --since 2019-01-01 --format csv
    """
    if format not in ("table", "json", "csv"):
        raise typer.BadParameter("use 'table', 'json' or 'csv'", param_hint="--format")
    # Dates are checked before the store is opened: a usage error must not create a database.
    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    settings = _settings(db)
    store = _open_store(settings)
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
        t = Table(title=f"{len(dicts)} event(s)", title_justify="left")
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
                _esc(d["actor1"] or "-"),
                _esc(d["actor2"] or "-"),
                _esc(d["location"] or "-"),
                _esc(str(d["admin1_code"] or d["admin1"] or "-")),
                str(d["fatalities"]),
                _esc(Path(str(d.get("source") or "")).name),
            )
        out.print(t)


@app.command()
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
    from harbinger import export as exporters

    writers = {
        "acled-csv": exporters.export_acled_csv,
        "geojson": exporters.export_geojson,
        "jsonl": exporters.export_jsonl,
    }
    if format not in writers:
        raise typer.BadParameter("use 'acled-csv', 'geojson' or 'jsonl'", param_hint="--format")
    settings = _settings(db)
    store = _open_store(settings)
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
    err.print(f"{n} event(s) exported.", markup=False, highlight=False)


def _rows(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [i.to_dict() for i in items]


from harbinger.evaluate.command import eval_command  # noqa: E402

app.command(name="eval")(eval_command)


from harbinger.train_command import train_command  # noqa: E402

app.command(name="train")(train_command)


from harbinger.web.command import serve_command  # noqa: E402

app.command(name="serve")(serve_command)


from harbinger.analyze.warnings_command import warnings_command  # noqa: E402
from harbinger.report_command import report_command  # noqa: E402

app.command(name="warnings")(warnings_command)
app.command(name="report")(report_command)


from harbinger.analyze.commands import backtest_command, import_command  # noqa: E402

app.command(name="import")(import_command)
app.command(name="backtest")(backtest_command)


from harbinger.watch import watch_command  # noqa: E402

app.command(name="watch")(watch_command)


from harbinger.gazetteer_command import gazetteer_app  # noqa: E402

app.add_typer(gazetteer_app, name="gazetteer")


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except HarbingerError as exc:  # pragma: no cover - commands catch their own
        err.print(f"Error: {exc}", markup=False, highlight=False)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
