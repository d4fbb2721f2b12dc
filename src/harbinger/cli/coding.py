"""The ``harbinger analyze`` and ``harbinger ingest`` commands: code reports, print or store them.

``analyze`` codes and prints (a table per document, or the JSON contract of
docs/json-contract.md); ``ingest`` codes and stores, one commit per document, on this process or
on Dask workers. Skipped input is reported one line each and the batch goes on; it exits 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from harbinger.cli.common import (
    DbOption,
    Failed,
    ModelOption,
    SkipReporter,
    count_inputs,
    err,
    esc,
    load_settings,
    make_coder,
    open_store,
    out,
    progress_bar,
    short,
)
from harbinger.errors import HarbingerError
from harbinger.records import CodedDocument, Document, Skipped, capped
from harbinger.settings import Settings
from harbinger.wording import count

if TYPE_CHECKING:
    from harbinger.extract import Coder
    from harbinger.scale import DaskCoder

__all__ = ["analyze", "ingest", "print_coded"]


def _coded_stream(
    paths: list[Path],
    settings: Settings,
    skipped: list[Skipped],
    coder: Coder | DaskCoder | None = None,
) -> Iterator[CodedDocument]:
    from harbinger.ingest import iter_documents

    coder = coder or make_coder(settings)
    report = SkipReporter()

    def documents() -> Iterator[Document]:
        for item in iter_documents(paths, max_bytes=settings.max_document_bytes):
            if isinstance(item, Skipped):
                skipped.append(item)
                report(item)
            else:
                yield item

    yield from coder.code_many(documents())
    report.finish()


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
    settings = load_settings(model=model)
    skipped: list[Skipped] = []
    coded: list[CodedDocument] = []
    try:
        with progress_bar(count_inputs(paths), "coding") as progress:
            task = progress.add_task("coding", total=count_inputs(paths))
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
        f"\n[bold]{esc(d.title or d.source)}[/bold]  ({esc(d.author or 'author unknown')}, "
        f"{published})  [dim]{esc(d.source)} · {d.id[:12]}[/dim]"
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
                esc(e.actor1 or "-") + (f"\n+ {esc(e.assoc_actor1)}" if e.assoc_actor1 else ""),
                esc(e.actor2 or "-"),
                esc(where),
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
            t.add_row(esc(who), c.stance, esc(c.about_actor or "-"), esc(short(c.text, 110)))
        out.print(t)
    if coded.indicators:
        t = Table(title="Indicators", title_justify="left")
        for col in ("kind", "value", "range", "actor", "place"):
            t.add_column(col, overflow="fold")
        for i in coded.indicators:
            rng = f"{i.low:g}-{i.high:g}" if i.low is not None and i.high is not None else "-"
            t.add_row(
                i.kind,
                esc(str(i.value)),
                rng,
                esc(i.actor or "-"),
                esc(i.place.name if i.place else "-"),
            )
        out.print(t)
    if not (coded.events or coded.claims or coded.indicators):
        out.print("[dim]Nothing of the theatre was coded from this document.[/dim]")


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
    settings = load_settings(db, model)
    # The coder before the store: a bad --model must not leave a new database.
    if engine == "dask":
        dask_coder = _dask_coder(settings, scheduler, workers)
        try:
            _ingest(paths, settings, dask_coder, show)
        finally:
            dask_coder.close()
    else:
        _ingest(paths, settings, make_coder(settings), show)


def _dask_coder(settings: Settings, scheduler: str | None, workers: int | None) -> DaskCoder:
    from harbinger.scale import DaskCoder

    try:
        return DaskCoder(settings, scheduler=scheduler, workers=workers)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc


def _ingest(paths: list[Path], settings: Settings, coder: Coder | DaskCoder, show: bool) -> None:
    store = open_store(settings)
    skipped: list[Skipped] = []
    new = same = 0
    totals = {"events": 0, "claims": 0, "indicators": 0}
    try:
        with progress_bar(count_inputs(paths), "ingesting") as progress:
            task = progress.add_task("ingesting", total=count_inputs(paths))
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
        for s in capped(skipped):
            store.record_skipped(s)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    finally:
        store.close()
    err.print(
        f"{count(new, 'new document')} stored ({count(totals['events'], 'event')}, "
        f"{count(totals['claims'], 'statement')}, {count(totals['indicators'], 'indicator')}); "
        f"{same} already stored; {len(skipped)} skipped.",
        markup=False,
        highlight=False,
    )
    if skipped:
        raise typer.Exit(code=1)
