"""What the commands share: the consoles, the common options, the one-line error, progress bars,
skip reports, and opening the settings, the coder and the store with a one-line failure.

One place for one rule: every command turns a library error (``HarbingerError``) into one line
on stderr and exit code 1 through ``Failed``, lists skipped input the same way, and checks dates
the same way. Nothing outside ``harbinger.cli`` imports this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from harbinger.errors import HarbingerError
from harbinger.records import Skipped
from harbinger.settings import Settings

if TYPE_CHECKING:
    from harbinger.extract import Coder
    from harbinger.store import Store

__all__ = [
    "LIST_AT_MOST",
    "DbOption",
    "Failed",
    "ModelOption",
    "SkipReporter",
    "check_region",
    "count_inputs",
    "err",
    "esc",
    "load_settings",
    "make_coder",
    "open_store",
    "out",
    "parse_day",
    "progress_bar",
    "report_skipped",
    "report_skipped_rows",
    "short",
]

# No emoji: a skipped line 100 is "file:100:", not a hundred-points sign.
out = Console(soft_wrap=False, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False)

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


def parse_day(value: str | None, name: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or a usage error (exit 2) that names the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not a date like 2019-08-11", param_hint=name
        ) from exc


def check_region(region: str | None, settings: Settings) -> None:
    """A usage error (exit 2) listing the known governorates and regions when ``region`` is
    none of them: an empty answer about Narnia would read as "no warnings there"."""
    if region is None:
        return
    from harbinger.geo import configured_gazetteer

    try:
        labels = configured_gazetteer(settings).area_labels()
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    if region.strip().lower() not in labels:
        known = ", ".join(sorted(set(labels.values())))
        raise typer.BadParameter(
            f"{region!r} is no governorate or region of the theatre; use one of: {known}",
            param_hint="--region",
        )


def load_settings(db: str | None = None, model: str | None = None) -> Settings:
    """The settings of the environment, with the command's --db and --model."""
    return Settings.from_env(db_url=db, model_path=model)


def report_skipped(skipped: Skipped) -> None:
    """One line on stderr for one skipped input."""
    err.print(f"harbinger: {skipped.message()}", markup=False, highlight=False)


#: Skipped rows listed one by one before the rest are counted.
LIST_AT_MOST = 20


def report_skipped_rows(skipped: Sequence[Skipped], rest: str) -> None:
    """Up to ``LIST_AT_MOST`` skipped rows on stderr, then "... and N more {rest}"."""
    for item in skipped[:LIST_AT_MOST]:
        report_skipped(item)
    if len(skipped) > LIST_AT_MOST:
        err.print(
            f"harbinger: ... and {len(skipped) - LIST_AT_MOST} more {rest}",
            markup=False,
            highlight=False,
        )


class SkipReporter:
    """Skipped input on stderr: the first ``LIST_AT_MOST`` of each source one by one, then, from
    ``finish``, how many more each had (200 MB of garbage lines is a few lines of report)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def __call__(self, skipped: Skipped) -> None:
        n = self.counts[skipped.source] = self.counts.get(skipped.source, 0) + 1
        if n <= LIST_AT_MOST:
            report_skipped(skipped)

    def finish(self) -> None:
        for source, n in self.counts.items():
            if n > LIST_AT_MOST:
                err.print(
                    f"harbinger: ... and {n - LIST_AT_MOST:,} more skipped in {source}",
                    markup=False,
                    highlight=False,
                )


def progress_bar(total: int | None, label: str) -> Progress:
    """A progress bar on stderr, shown only on a terminal and for more than one item."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal or (total is not None and total < 2),
    )


def count_inputs(paths: list[Path]) -> int | None:
    """The number of documents in ``paths`` when it is known before reading (plain files)."""
    if all(p.is_file() for p in paths) and not any(
        p.suffix in (".jsonl", ".ndjson", ".json") for p in paths
    ):
        return len(paths)
    return None


def make_coder(settings: Settings) -> Coder:
    """The coder (knowledge, gazetteer, a trained model if asked for), or a one-line failure."""
    from harbinger.extract import Coder

    try:
        return Coder(settings)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc


def open_store(settings: Settings) -> Store:
    """The store of ``settings.db_url``, or a one-line failure."""
    from harbinger.store import Store

    try:
        return Store(settings.db_url)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc


def esc(text: str) -> str:
    """Text shown inside Rich markup, its brackets escaped."""
    return escape(text)


def short(text: str, n: int) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
