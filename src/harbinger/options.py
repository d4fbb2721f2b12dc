"""Command-line option parsing shared by the commands (one place for one rule)."""

from __future__ import annotations

import datetime as dt

import typer


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
