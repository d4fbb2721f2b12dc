"""The ``harbinger serve`` command: the dashboard and REST API under uvicorn.

Registered on the CLI's ``app`` in ``harbinger.cli``. It opens the store (a bad URL is a one-line
error, not a traceback), warns when the browser libraries were not installed by ``make setup``,
and serves until interrupted.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer

from harbinger.cli.common import DbOption, Failed, err, load_settings
from harbinger.errors import HarbingerError

#: A token shorter than this is guessed too easily to guard a server others can reach.
MIN_TOKEN_LENGTH = 16


def _exposure_warning(host: str, token: str) -> str | None:
    """What to tell someone serving on an address other machines can reach, if anything."""
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host.lower() == "localhost"
    if loopback:
        return None
    if not token:
        return (
            f"serving on {host}, reachable from other machines, with no $HARBINGER_API_TOKEN: "
            "anyone who can reach it reads everything stored (writes are refused)"
        )
    if len(token) < MIN_TOKEN_LENGTH:
        return (
            f"serving on {host}, reachable from other machines, with a $HARBINGER_API_TOKEN of "
            f"{len(token)} characters: use {MIN_TOKEN_LENGTH} or more (e.g. openssl rand -hex 24)"
        )
    return None


def serve_command(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
) -> None:
    """Serve the analyst dashboard and the REST API (/api, documented at /docs).

    Writes (POST /api/documents) need the token set in $HARBINGER_API_TOKEN; without it the
    server is read-only.

    Example:

        harbinger serve --db sqlite:///harbinger.db --port 8000
    """
    import uvicorn

    from harbinger.web.app import STATIC_DIR, TOKEN_ENV, create_app

    settings = load_settings(db)
    try:
        application = create_app(settings.db_url, settings=settings)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    if not (STATIC_DIR / "vendor" / "leaflet" / "leaflet.js").exists():
        err.print(
            "Warning: the map library is not installed (run 'make setup'); the map stays empty.",
            markup=False,
            highlight=False,
        )
    exposure = _exposure_warning(host, os.environ.get(TOKEN_ENV, "").strip())
    if exposure:
        err.print(f"Warning: {exposure}", markup=False, highlight=False)
    err.print(f"Harbinger dashboard on http://{host}:{port}/", markup=False, highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")
