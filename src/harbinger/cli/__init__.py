"""The ``harbinger`` command line: thin wrappers that parse options, call the library, print.

One module per command or group of commands (``coding``: analyze and ingest; ``events``: events
and export; ``tables``: import; ``warnings``: warnings and backtest; ``report``; ``serve``;
``watch``; ``eval``; ``train``; ``gazetteer``), and ``common`` for what they share. Library errors
(``HarbingerError``) become one line on stderr and exit code 1; usage errors exit 2 (Click's
convention); a batch in which some input was skipped exits 1 after finishing the rest. Nothing
outside this package imports it: the library never prints or exits.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import typer

from harbinger.cli.coding import analyze, ingest
from harbinger.cli.common import err
from harbinger.cli.eval import eval_command
from harbinger.cli.events import events, export
from harbinger.cli.gazetteer import gazetteer_app
from harbinger.cli.report import report_command
from harbinger.cli.serve import serve_command
from harbinger.cli.tables import import_command
from harbinger.cli.train import train_command
from harbinger.cli.warnings import backtest_command, warnings_command
from harbinger.cli.watch import watch_command
from harbinger.errors import HarbingerError

__all__ = ["app", "main"]


class _Notices(logging.StreamHandler):  # type: ignore[type-arg]
    """The library's notices (a feed recovered in part, a file read as Windows-1256): one line
    each on whatever stderr is now, with the prefix of every other message."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("harbinger: %(message)s"))

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass  # always the current stderr (a test runner swaps it)


def _log_to_stderr() -> None:
    logger = logging.getLogger("harbinger")
    if not any(isinstance(h, _Notices) for h in logger.handlers):
        logger.addHandler(_Notices())
        logger.setLevel(logging.WARNING)
        logger.propagate = False


app = typer.Typer(
    callback=_log_to_stderr,
    name="harbinger",
    help="Harbinger: code news reports about the Islamic State in Iraq and Syria into ACLED-style "
    "events, statements and indicators; store them; follow each region against its baseline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# The order of registration is the order of `harbinger --help`.
app.command()(analyze)
app.command()(ingest)
app.command()(events)
app.command()(export)
app.command(name="eval")(eval_command)
app.command(name="train")(train_command)
app.command(name="serve")(serve_command)
app.command(name="warnings")(warnings_command)
app.command(name="report")(report_command)
app.command(name="import")(import_command)
app.command(name="backtest")(backtest_command)
app.command(name="watch")(watch_command)
app.add_typer(gazetteer_app, name="gazetteer")


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except HarbingerError as exc:  # pragma: no cover - commands catch their own
        err.print(f"Error: {exc}", markup=False, highlight=False)
        sys.exit(1)
