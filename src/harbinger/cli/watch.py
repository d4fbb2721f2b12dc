"""The ``harbinger watch`` command: poll sources every so often and ingest what is new.

The polling itself (rounds, the state file that remembers what was seen across restarts) is
``harbinger.ingest.watch``; this module parses the options, opens the coder, the store and the
state, runs rounds until told to stop (Ctrl-C or SIGTERM), and reports each round on stderr.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from harbinger.cli.common import (
    DbOption,
    Failed,
    ModelOption,
    err,
    load_settings,
    make_coder,
    open_store,
    report_skipped,
)
from harbinger.errors import HarbingerError
from harbinger.ingest.fetch import DEFAULT_TIMEOUT, Fetcher
from harbinger.ingest.watch import WatchState, default_state_path, parse_interval, watch_round
from harbinger.wording import count

__all__ = ["watch_command"]


def watch_command(
    sources: Annotated[
        list[str],
        typer.Argument(help="Folders, files, feed URLs or page URLs to poll.", show_default=False),
    ],
    every: Annotated[
        str, typer.Option("--every", help="Time between rounds: 30s, 10m, 1h, 1h30m.")
    ] = "10m",
    db: DbOption = None,
    once: Annotated[
        bool, typer.Option("--once", help="Run one round and exit (for cron and tests).")
    ] = False,
    state_file: Annotated[
        Path | None,
        typer.Option(
            "--state",
            help="Watch state file (default: next to a SQLite database, "
            "else ./harbinger-watch.sqlite).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds allowed per download.")
    ] = DEFAULT_TIMEOUT,
    model: ModelOption = None,
) -> None:
    """Poll folders, feeds and pages; code and store what is new since the last round.

    What was seen is remembered across restarts in a small state file (by default next to the
    database: harbinger.db.watch.sqlite), so a restarted watcher fetches and codes only what is
    new. Ctrl-C (or SIGTERM) stops cleanly after saving what was stored. With --once, exits 1
    when some input was skipped.

    Example:

        harbinger watch reports/ https://example.org/rss.xml --every 10m

        harbinger watch reports/ --once --db sqlite:///harbinger.db
    """
    try:
        seconds = parse_interval(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from exc
    settings = load_settings(db, model)
    coder = make_coder(settings)  # before the store: a bad --model must not leave a new database
    store = open_store(settings)
    try:
        state = WatchState(
            state_file or default_state_path(settings.db_url), db_url=settings.db_url
        )
    except HarbingerError as exc:
        store.close()
        raise Failed(str(exc)) from exc
    fetcher = Fetcher(timeout=timeout, max_bytes=settings.max_document_bytes)
    stop = threading.Event()

    def on_term(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    # SIGTERM (systemd, docker stop) ends the loop like Ctrl-C; signals only reach the main thread.
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_term) if in_main else None
    rounds = 0
    skipped_any = False
    err.print(
        (
            f"one round over {count(len(sources), 'source')}"
            if once
            else f"watching {count(len(sources), 'source')} every {every}"
        )
        + f"; what was seen is kept in {state.path}",
        markup=False,
        highlight=False,
    )
    try:
        while True:
            started = time.monotonic()
            report = watch_round(
                sources,
                code=coder.code_many,
                store=store,
                state=state,
                fetcher=fetcher,
                max_bytes=settings.max_document_bytes,
                on_skipped=report_skipped,
            )
            rounds += 1
            skipped_any = skipped_any or bool(report.skipped)
            err.print(f"round {rounds}: {report.summary()}", markup=False, highlight=False)
            if once:
                break
            if stop.wait(max(0.0, seconds - (time.monotonic() - started))):
                err.print(
                    f"stopped after {rounds} round(s) (terminated)", markup=False, highlight=False
                )
                break
    except KeyboardInterrupt:
        err.print(
            f"stopped after {rounds} complete round(s); what was stored is kept",
            markup=False,
            highlight=False,
        )
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    finally:
        if in_main:
            # None means a handler installed outside Python; the default is the best we can do.
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        try:
            state.close()
        finally:
            store.close()
    if once and skipped_any:
        raise typer.Exit(code=1)
