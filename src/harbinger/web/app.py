"""The Harbinger web application: the analyst dashboard, the document pages and the REST API.

``create_app`` builds a FastAPI application over one ``Store``. Pages are Jinja2 templates with
autoescaping (every piece of document text is untrusted and shown as text); the dashboard's
behaviour lives in static JavaScript files, and a Content-Security-Policy forbids inline script.
The API under ``/api`` answers JSON (and GeoJSON), documented at ``/openapi.json`` and ``/docs``;
every error, whatever raised it, has the one body shape built by ``error_body``. Lists are paged
with COUNT queries for their totals; the map asks ``/api/map`` for aggregates (per governorate
when zoomed out, grid cells or points when zoomed in), never for every event. Answers that take
the store's whole history (warnings, series, totals, the governorate aggregates) are cached per
store revision and parameters: any write to the store, by any process, makes them stale; so is
the map's encoded answer for each view asked. Pages and points are built from the rows straight
into JSON dicts (no records in between), and bodies are encoded by pydantic-core. The routes run
in a thread pool of one thread per core (``create_app``'s ``threads``), not anyio's forty, which
only took turns at the GIL. Serving the configured database, the answers every dashboard asks
for first are computed at start-up, before the first request is taken (``create_app``'s
``warm_up``). Writes
(``POST /api/documents``) need ``Authorization: Bearer <token>`` with the token of
``HARBINGER_API_TOKEN``; with no token configured writes are refused. Request bodies past a cap are
refused with 413 before they are read into memory whole. The coder (spaCy) is loaded on the first
write or document page, not at start-up.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, cast

import anyio
import jinja2
import pydantic_core
from fastapi import FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, Field
from starlette.exceptions import HTTPException

from harbinger.errors import HarbingerError, InputError
from harbinger.geo.boundaries import BoundariesMissing, governorate_names, governorates
from harbinger.settings import Settings
from harbinger.store import Store
from harbinger.store.queries import SORT_KEYS, EventGroup, EventSummary
from harbinger.web import highlight

__all__ = ["DEFAULT_MAX_BODY_BYTES", "TOKEN_ENV", "create_app", "error_body"]

_log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"
#: Environment variable holding the bearer token that writes need.
TOKEN_ENV = "HARBINGER_API_TOKEN"
#: Request bodies larger than this are refused with 413 (an article is rarely over 200 KB).
DEFAULT_MAX_BODY_BYTES = 1_000_000
#: Most events one page of ``/api/events`` holds (page through the rest with ``offset``).
MAX_PAGE = 5000
#: Below this zoom the map gets one aggregate per governorate.
GOVERNORATE_ZOOM = 7
#: Most located events ``/api/map`` sends as points; more in view are sent as grid cells.
MAX_POINTS = 1000
#: Up to this zoom the grid of the whole theatre is computed once (per store revision and
#: filters) and cut to each view; closer in, each view's cells are counted on their own.
GRID_ZOOM = 10
#: The side of a grid cell on screen, in pixels (a Web Mercator tile is 256 pixels wide).
CELL_PIXELS = 48
#: Answers kept per app (each a few kilobytes at most).
CACHE_SIZE = 512
#: The map's answers for views kept per app (each up to 1,000 points, some 250 KB).
VIEWS_CACHED = 128

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)
SortKey = Literal[
    "date",
    "-date",
    "fatalities",
    "-fatalities",
    "event_type",
    "-event_type",
    "admin1",
    "-admin1",
    "location",
    "-location",
    "actor1",
    "-actor1",
]
assert {k.lstrip("-") for k in SortKey.__args__} == set(SORT_KEYS)  # type: ignore[attr-defined]


class _Json(JSONResponse):
    """JSON encoded by pydantic's encoder (pydantic-core, in Rust; FastAPI's own dependency)
    instead of ``json.dumps``: the same bytes for the API's bodies, three times as fast on a
    page of 100 events (0.35 ms against 1.1). A NaN or infinity, which JSON has no word for,
    becomes null."""

    def render(self, content: Any) -> bytes:
        return pydantic_core.to_json(content, inf_nan_mode="null")


# -- the one error shape -----------------------------------------------------------------------


class ErrorDetail(BaseModel):
    """What went wrong: the HTTP status, a short code and a sentence saying how to fix it."""

    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = Field(default_factory=list)


class ErrorBody(BaseModel):
    """The body of every error response of the API."""

    error: ErrorDetail


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "internal_error",
    503: "unavailable",
}


def error_body(
    status: int, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON body of an error: ``{"error": {"status", "code", "message", "details"}}``."""
    return {
        "error": {
            "status": status,
            "code": _CODES.get(status, "error"),
            "message": message,
            "details": details or [],
        }
    }


def _error_response(
    status: int, message: str, details: list[dict[str, Any]] | None = None
) -> JSONResponse:
    headers = {"www-authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(status, message, details), status_code=status, headers=headers)


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {
        code: {"model": ErrorBody, "description": _CODES[code].replace("_", " ")} for code in codes
    }


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD strings (or dates): pydantic alone would take "0" as 1970-01-01."""
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError(f"{value!r} is not a date like 2019-08-11")


#: A date written YYYY-MM-DD.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

Since = Annotated[IsoDate | None, Query(description="First date (YYYY-MM-DD), inclusive.")]
Until = Annotated[IsoDate | None, Query(description="Last date (YYYY-MM-DD), inclusive.")]
Admin1 = Annotated[
    str | None,
    Query(max_length=100, description="Governorate name or ISO 3166-2 code (Nineveh, IQ-NI)."),
]
EventType = Annotated[
    str | None,
    Query(alias="type", max_length=100, description="ACLED event type or sub-event type."),
]
Country = Annotated[str | None, Query(max_length=100, description="Country name or ISO code.")]
Actor = Annotated[
    str | None,
    Query(
        max_length=200,
        description="An actor or actor family (Islamic State, Daesh, SDF: through the actor "
        "knowledge, branches and periods included), or part of an actor name it does not know.",
    ),
]


#: The 200 response of endpoints with ``?format=geojson``.
_JSON_OR_GEOJSON: dict[str, Any] = {
    "description": "JSON, or GeoJSON with format=geojson",
    "content": {"application/json": {}, "application/geo+json": {}},
}

# -- request models ----------------------------------------------------------------------------


class DocumentIn(BaseModel):
    """A report to code and store."""

    text: str = Field(min_length=1, description="The text of the report (plain text).")
    title: str | None = Field(default=None, max_length=1000)
    published: IsoDate | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    source: str | None = Field(default=None, max_length=2000, description="Where it came from.")
    url: str | None = Field(default=None, max_length=2000)


class CodedOut(BaseModel):
    """What was coded from a posted report and stored."""

    id: str
    stored: bool = Field(description="False when the same document was already stored.")
    language: str = Field(description='The language it was coded in: "en" or "ar".')
    events: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    indicators: list[dict[str, Any]]


# -- middleware --------------------------------------------------------------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Guard:
    """ASGI middleware: security headers on every response; request bodies capped in size.

    The body is buffered up to the cap (and no further) and then replayed to the application,
    so a client that lies about Content-Length, or sends chunks, is stopped all the same.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        too_large = _error_response(
            413,
            f"the request body is larger than {self.max_body_bytes} bytes; send a shorter "
            "document (split long reports) or raise the server's limit",
        )
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_body_bytes:
                    await too_large(scope, receive, send_with_headers)
                    return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send_with_headers)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await too_large(scope, receive, send_with_headers)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_headers)


# -- services shared by the routes -------------------------------------------------------------


T = TypeVar("T")


class _Cache:
    """Answers computed from the store, kept while the store's revision stays the same.

    The revision grows with every write (``Store.revision``), so an answer is never served
    after the data it came from changed. One computation per key at a time: clients asking the
    same question meanwhile wait for it instead of repeating it.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, revision: int, compute: Callable[[], T]) -> T:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and hit[0] == revision:
                self._data.move_to_end(key)
                return hit[1]  # type: ignore[no-any-return]
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                hit = self._data.get(key)
                if hit is not None and hit[0] == revision:
                    return hit[1]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                self._data[key] = (revision, value)
                self._data.move_to_end(key)
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
                self._computing.pop(key, None)
            return value


class _Services:
    """The store, the settings, the write token, the cache and the lazily built coder of one app."""

    def __init__(self, store: Store, settings: Settings, token: str | None) -> None:
        self.store = store
        self.settings = settings
        self.token = token
        self.cache = _Cache()
        #: The map's answers for the views asked, encoded (up to some 250 KB each).
        self.views = _Cache(size=VIEWS_CACHED)
        #: The analysis's tables of events behind series (megabytes each: a few are kept).
        self.frames = _Cache(size=4)
        self._coder: Any = None
        self._lock = threading.Lock()

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or what it gave for ``key`` while the store has not changed since."""
        return self.cache.get(key, self.store.revision(), compute)

    def coder(self) -> Any:
        # spaCy takes seconds to load: only the first write or document page pays for it.
        with self._lock:
            if self._coder is None:
                from harbinger.extract import Coder

                self._coder = Coder(self.settings)
            return self._coder


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,  # every template, whatever its extension
    )
    env.filters["safe_url"] = _safe_url
    return env


def _safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a ``javascript:`` URL must never become a link."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _feature(event: dict[str, Any]) -> dict[str, Any]:
    """An event (as ``StoredEvent.to_dict()`` gives it) as a GeoJSON Point, without evidence."""
    props = {k: v for k, v in event.items() if k != "evidence"}
    return {
        "type": "Feature",
        "id": event["id"],
        "geometry": {"type": "Point", "coordinates": [event["longitude"], event["latitude"]]},
        "properties": props,
    }


def _entry() -> dict[str, Any]:
    return {"events": 0, "fatalities": 0, "by_type": {}}


def _add(entry: dict[str, Any], event_type: str, events: int, fatalities: int) -> None:
    entry["events"] += events
    entry["fatalities"] += fatalities
    entry["by_type"][event_type] = entry["by_type"].get(event_type, 0) + events


def _summary(rows: list[EventSummary]) -> dict[str, Any]:
    """What the map draws zoomed out, from one pass over the events: per governorate (every
    event of it), per governorate the events known only to it (``areas``), per country the
    events known to no governorate, and the total."""
    governorates: dict[str, dict[str, Any]] = {}
    areas: dict[str, dict[str, Any]] = {}
    countries: dict[str, dict[str, Any]] = {}
    total = 0
    for r in rows:
        total += r.events
        if r.admin1_code:
            _add(
                governorates.setdefault(r.admin1_code, _entry()),
                r.event_type,
                r.events,
                r.fatalities,
            )
            if r.area:
                _add(
                    areas.setdefault(r.admin1_code, _entry()), r.event_type, r.events, r.fatalities
                )
        elif r.country_code:
            _add(
                countries.setdefault(r.country_code, _entry()), r.event_type, r.events, r.fatalities
            )
    return {"total": total, "governorates": governorates, "areas": areas, "countries": countries}


def _cells(groups: list[EventGroup], factor: int = 1) -> list[dict[str, Any]]:
    """Grid groups ("row:col", event type) folded into cells, each at the mean point of its
    events; ``factor`` merges factor x factor cells into one (the grid of a zoom further out:
    each zoom's cells are twice the size of the next one's and nest in them exactly)."""
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    for g in groups:
        row, col = (int(x) // factor for x in g.key.split(":"))
        cell = cells.setdefault(
            (row, col), {"lat": 0.0, "lon": 0.0, "events": 0, "fatalities": 0, "by_type": {}}
        )
        n = cell["events"] + g.events
        # The mean point of the cell's events, weighted by each group's events.
        cell["lat"] += ((g.latitude or 0.0) - cell["lat"]) * g.events / n
        cell["lon"] += ((g.longitude or 0.0) - cell["lon"]) * g.events / n
        cell["events"] = n
        cell["fatalities"] += g.fatalities
        cell["by_type"][g.event_type] = cell["by_type"].get(g.event_type, 0) + g.events
    for cell in cells.values():
        cell["lat"], cell["lon"] = round(cell["lat"], 4), round(cell["lon"], 4)
    return sorted(cells.values(), key=lambda c: -c["events"])


@lru_cache(maxsize=1)
def _label_points() -> dict[str, tuple[float, float]]:
    """Each governorate's label point (latitude, longitude); BoundariesMissing without them."""
    return {
        f["properties"]["code"]: (f["properties"]["label_lat"], f["properties"]["label_lon"])
        for f in governorates()["features"]
    }


def _event_filters(
    since: dt.date | None,
    until: dt.date | None,
    country: str | None,
    admin1: str | None,
    event_type: str | None,
    actor: str | None,
) -> dict[str, Any]:
    """The store's event filters from a request's parameters (a governorate name as its code)."""
    return {
        "since": since,
        "until": until,
        "country": country,
        "admin1": _admin1(admin1),
        "event_type": event_type,
        "actor": actor,
    }


def _admin1(value: str | None) -> str | None:
    """A governorate's name as its ISO code (the store finds a code by its index, a name by
    reading every row); anything else as given (the store matches the stored name)."""
    if not value:
        return value
    wanted = value.strip().casefold()
    for r in governorate_names():
        if r["name"].casefold() == wanted:
            return str(r["code"])
    return value


#: An ISO 3166-2 code (IQ-NI), as the store stores them.
_ADMIN1_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")

#: Four decimal numbers: west,south,east,north.
_BBOX = r"^ *-?[0-9]{1,3}(\.[0-9]{1,12})? *(, *-?[0-9]{1,3}(\.[0-9]{1,12})? *){3}$"


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` (the pattern checked) as a box within the world, or None.

    Out-of-range values are clamped and reversed sides put in order: a map scrolled past the
    antimeridian or the poles asks for more than the world, and gets the world.
    """
    if value is None or not value.strip():
        return None
    west, south, east, north = (float(x) for x in value.split(","))
    lon = sorted(max(-180.0, min(180.0, v)) for v in (west, east))
    lat = sorted(max(-90.0, min(90.0, v)) for v in (south, north))
    return (lon[0], lat[0], lon[1], lat[1])


def _analysis() -> Any:
    """The analysis stage's modules (series, warnings), or a 503 naming what is missing."""
    try:
        from harbinger.analyze import series, warnings
    except ImportError as exc:
        raise HTTPException(
            503,
            f"the analysis stage is not available ({exc}); install a Harbinger with "
            "harbinger.analyze to get warnings and series",
        ) from exc
    return series, warnings


def _series_point(p: Any) -> dict[str, Any]:
    return {
        "week_start": p.week_start.isoformat(),
        "events": p.events,
        "fatalities": p.fatalities,
        "baseline": round(float(p.baseline), 3),
        "low": round(float(p.low), 3),
        "high": round(float(p.high), 3),
    }


def _threads() -> int:
    """Requests a server process works on at once by default: one per core, at least two (so
    that a slow one, a first series or a posted document, does not hold up the rest)."""
    return max(2, os.cpu_count() or 1)


# -- the application ---------------------------------------------------------------------------


def create_app(
    store_url: str | None = None,
    *,
    settings: Settings | None = None,
    api_token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    warm_up: bool | None = None,
    threads: int | None = None,
) -> FastAPI:
    """The web application over the store at ``store_url`` (default: the settings' database).

    ``api_token`` defaults to ``$HARBINGER_API_TOKEN``; without one, writes are refused (403).
    ``warm_up``: compute at start-up, before the first request is taken, the answers every dashboard asks
    for first (the unfiltered map aggregates and grid, the total, the warnings, the actor
    names and the actor knowledge), so that the first clients do not wait for them; by default
    only when serving the configured database (``harbinger serve``, or ``uvicorn --factory``
    with no argument), not for an app built over another store (tests). ``threads``: requests
    worked on at once by this process (default: one per core, at least 2).
    Raises ``StoreError`` when the store cannot be opened.
    """
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be 1 or more, got {threads}")
    settings = settings or Settings.from_env()
    url = store_url or settings.db_url
    if warm_up is None:
        warm_up = url == settings.db_url
    settings = replace(settings, db_url=url)
    # An empty token is no token: it must never match an empty "Bearer " header.
    token = (api_token if api_token is not None else os.environ.get(TOKEN_ENV, "")).strip() or None
    services = _Services(Store(url), settings, token)
    templates = _templates()

    app = FastAPI(
        title="Harbinger API",
        version="0.1.0",
        summary="Conflict events, statements, indicators and warnings coded from news reports.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    app.add_middleware(_Guard, max_body_bytes=max_body_bytes)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    def page(name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
        html = templates.get_template(name).render(**context)
        return HTMLResponse(html, status_code=http_status)

    # -- errors ----------------------------------------------------------------------------

    def wants_html(request: Request) -> bool:
        path = request.url.path
        return path == "/" or path.startswith("/documents/")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = str(exc.detail) if exc.detail else _CODES.get(exc.status_code, "error")
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}; the API is documented at /docs"
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        if wants_html(request):
            return page("error.html", exc.status_code, status=exc.status_code, message=message)
        response = _error_response(exc.status_code, message)
        # Keep the headers the exception carries (Allow on 405, WWW-Authenticate on 401).
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {
                "location": ".".join(str(p) for p in err.get("loc", ())),
                "problem": err.get("msg", ""),
            }
            for err in exc.errors()
        ]
        first = details[0] if details else {"location": "request", "problem": "invalid"}
        return _error_response(422, f"{first['location']}: {first['problem']}", details)

    @app.exception_handler(HarbingerError)
    async def harbinger_error(request: Request, exc: HarbingerError) -> Response:
        return _error_response(503, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:  # pragma: no cover
        return _error_response(
            500, f"the server failed on {request.url.path}: {type(exc).__name__}"
        )

    # -- pages -----------------------------------------------------------------------------

    def actor_choices() -> list[str]:
        """Actor names for the filter's suggestions: the families first, then the store's names."""

        def compute() -> list[str]:
            from harbinger.knowledge import load_theatre
            from harbinger.knowledge.lens import actor_lens

            names = [n for n, _ in services.store.actor_names(300)]
            # The families (actors at the top of the knowledge's parent chains) that some stored
            # name belongs to: "Islamic State" takes both branches, its leaders and affiliates.
            families = []
            for entry in load_theatre(services.settings.theatre).actors:
                if entry.parent or "{" in entry.name or entry.name in names:
                    continue
                lens = actor_lens(entry.name, services.settings.theatre)
                if len(lens.names) > 1 and any(lens.matches(n) for n in names):
                    families.append(entry.name)
            return [*sorted(families), *names]

        return services.cached(("actor-names",), compute)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard() -> HTMLResponse:
        counts = services.cached(("counts",), services.store.counts)
        return page(
            "dashboard.html",
            counts=counts,
            regions=governorate_names(),
            event_types=EVENT_TYPES,
            actors=actor_choices(),
        )

    @app.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(document_id: str) -> HTMLResponse:
        doc = services.store.document(document_id)
        if doc is None:
            raise HTTPException(404, f"no document {document_id!r} is stored")
        events = services.store.events(document_id=document_id)
        claims = services.store.claims(document_id)
        indicators = services.store.indicators(document_id)
        spans = highlight.coded_spans(
            services.coder(), doc.to_document(), events, claims, indicators
        )
        return page(
            "document.html",
            doc=doc,
            url=_safe_url(doc.url),
            segments=highlight.segments(doc.text, spans),
            events=events,
            claims=claims,
            indicators=indicators,
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        schema = app.openapi()
        return page("api_docs.html", schema=schema, paths=schema.get("paths", {}))

    # -- API -------------------------------------------------------------------------------

    def total(filters: dict[str, Any]) -> int:
        """Events matching the filters (COUNT, cached while the store does not change)."""
        key = ("total", *sorted(filters.items()))
        return services.cached(key, lambda: services.store.count_events(**filters))

    @app.get(
        "/api/events", tags=["events"], responses={200: _JSON_OR_GEOJSON, **_responses(422, 503)}
    )
    def list_events(
        since: Since = None,
        until: Until = None,
        country: Country = None,
        admin1: Admin1 = None,
        event_type: EventType = None,
        actor: Actor = None,
        limit: Annotated[int, Query(ge=0, le=MAX_PAGE, description="Events per page.")] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000, description="Events to skip.")] = 0,
        sort: Annotated[SortKey, Query(description="Sort key; '-' for descending.")] = "-date",
        format: Annotated[
            Literal["json", "geojson"],
            Query(description="json, or geojson (events without coordinates are left out)."),
        ] = "json",
    ) -> Response:
        """Stored events matching every filter given, sorted and paged.

        JSON: ``{total, limit, offset, sort, next_offset, events: [...]}`` (each event as in the
        JSON contract, plus document_id, title, source); ``next_offset`` is None on the last
        page. GeoJSON: a FeatureCollection of the page's located events as Points, with
        ``total``. For a map of many events, ask ``/api/map``: it aggregates.
        """
        filters = _event_filters(since, until, country, admin1, event_type, actor)
        matching = total(filters)
        rows = (
            services.store.event_dicts(**filters, limit=limit, offset=offset, sort=sort)
            if limit and offset < matching
            else []
        )
        if format == "geojson":
            located = [e for e in rows if e["latitude"] is not None and e["longitude"] is not None]
            body: dict[str, Any] = {
                "type": "FeatureCollection",
                "total": matching,
                "features": [_feature(e) for e in located],
            }
            return _Json(body, media_type="application/geo+json")
        after = offset + len(rows)
        return _Json(
            {
                "total": matching,
                "limit": limit,
                "offset": offset,
                "sort": sort,
                "next_offset": after if rows and after < matching else None,
                "events": rows,
            }
        )

    @app.get("/api/events/{event_id}", tags=["events"], responses=_responses(404, 422, 503))
    def get_event(event_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """One event with its evidence (the sentences it was coded from)."""
        found = services.store.event(event_id)
        if found is None:
            raise HTTPException(404, f"no event {event_id!r} is stored")
        return found.to_dict()

    @app.get(
        "/api/documents/{document_id}", tags=["documents"], responses=_responses(404, 422, 503)
    )
    def get_document(document_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """A stored document (text included) with every event, statement and indicator of it."""
        store = services.store
        doc = store.document(document_id)
        if doc is None:
            raise HTTPException(404, f"no document {document_id!r} is stored")
        out = doc.to_dict()
        out["events"] = [e.to_dict() for e in store.events(document_id=document_id)]
        out["claims"] = [c.to_dict() for c in store.claims(document_id)]
        out["indicators"] = [i.to_dict() for i in store.indicators(document_id)]
        return out

    @app.post(
        "/api/documents",
        tags=["documents"],
        status_code=201,
        response_model=CodedOut,
        responses={
            200: {"model": CodedOut, "description": "The document was already stored."},
            **_responses(400, 401, 403, 413, 422, 503),
        },
    )
    def post_document(
        body: DocumentIn,
        response: Response,
        authorization: Annotated[
            str | None, Header(description="Bearer <HARBINGER_API_TOKEN>")
        ] = None,
    ) -> CodedOut:
        """Code a report and store it; returns what was coded (201, or 200 when already stored).

        Needs ``Authorization: Bearer <token>`` (the server's ``HARBINGER_API_TOKEN``).
        """
        if services.token is None:
            raise HTTPException(
                403,
                f"writes are disabled on this server: start it with {TOKEN_ENV} set to enable them",
            )
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(
            given.strip().encode(), services.token.encode()
        ):
            raise HTTPException(401, "send 'Authorization: Bearer <token>' with the server's token")
        from harbinger.ingest.reader import check_text
        from harbinger.ingest.text import parse_text

        try:
            # The checks a file passes on the command line: no empty or binary documents.
            check_text(body.text, "text")
        except InputError as exc:
            raise HTTPException(422, f"the document's {exc.reason}") from exc
        doc = parse_text(body.text, body.source or "api", url=body.url)
        overrides: dict[str, Any] = {}
        if body.title:
            overrides["title"] = body.title
        if body.published:
            overrides["published"] = body.published
        doc = replace(doc, **overrides)
        coded = services.coder().code(doc)
        stored = services.store.save(coded)
        if not stored:
            response.status_code = 200
        return CodedOut(
            id=doc.id,
            stored=stored,
            language=coded.document.language,
            events=[e.to_dict() for e in coded.events],
            claims=[c.to_dict() for c in coded.claims],
            indicators=[i.to_dict() for i in coded.indicators],
        )

    def warning_list(as_of: dt.date | None, actor: str | None) -> dict[str, Any]:
        _, warnings_mod = _analysis()

        def compute() -> dict[str, Any]:
            day = as_of or warnings_mod.latest_event_date(services.store) or dt.date.today()
            rank = {"alert": 0, "warning": 1, "watch": 2}
            if actor:
                # One actor: its resurgence against its own past (analyze.resurgence), each
                # warning with its signals besides the fields of every warning.
                from harbinger.analyze.resurgence import resurgence
                from harbinger.knowledge.lens import actor_lens

                lens = actor_lens(actor)
                levels = resurgence(services.store, lens, as_of=day)
                levels = sorted(levels, key=lambda w: (rank.get(w.level or "", 3), -w.score))
                return {
                    "as_of": day.isoformat(),
                    "actor": lens.label,
                    "kind": "resurgence",
                    "warnings": [w.to_dict() for w in levels if w.level is not None],
                }
            found = warnings_mod.compute_warnings(services.store, as_of=day)
            found = sorted(found, key=lambda w: (rank.get(w.level, 3), -w.score, w.id))
            return {
                "as_of": day.isoformat(),
                "actor": None,
                "kind": "activity",
                "warnings": [w.to_dict() for w in found],
            }

        return services.cached(("warnings", as_of, actor), compute)

    @app.get("/api/warnings", tags=["analysis"], responses=_responses(422, 503))
    def list_warnings(
        as_of: Annotated[
            IsoDate | None, Query(description="Assess as of this date (default: the latest event).")
        ] = None,
        admin1: Admin1 = None,
        actor: Actor = None,
    ) -> Response:
        """Active warnings, highest level first: region, period, level, score, reason, evidence.

        ``{as_of, actor, kind, warnings}``: ``as_of`` is the day assessed (the latest event's date
        unless given). Without ``actor`` (``kind`` "activity") every event of a region counts
        against the region's baseline; with one (``kind`` "resurgence", ``actor`` the name it
        resolved to) the actor's activity, spread, repertoire, claims and text signals are set
        against its own past, and each warning carries its ``signals`` (docs/warnings.md).
        """
        body = dict(warning_list(as_of, actor.strip() if actor else None))
        if admin1:
            wanted = admin1.strip().casefold()
            body["warnings"] = [
                w
                for w in body["warnings"]
                if (w.get("region_code") or "").casefold() == wanted
                or str(w.get("region", "")).casefold() == wanted
            ]
        return _Json(body)

    def summary(filters: dict[str, Any]) -> dict[str, Any]:
        key = ("summary", *sorted(filters.items()))
        return services.cached(key, lambda: _summary(services.store.event_summary(**filters)))

    def grid(zoom: int, filters: dict[str, Any]) -> list[dict[str, Any]]:
        """The theatre's grid at a zoom up to GRID_ZOOM: the GRID_ZOOM grid is counted once per
        store revision and filters, the grids further out merged from it."""

        def base() -> list[EventGroup]:
            cell = 360 / 2**GRID_ZOOM * CELL_PIXELS / 256
            return services.store.event_groups("cell", cell=cell, **filters)

        def merged() -> list[dict[str, Any]]:
            groups = services.cached(("grid", *sorted(filters.items())), base)
            return _cells(groups, 2 ** (GRID_ZOOM - zoom))

        return services.cached(("cells", zoom, *sorted(filters.items())), merged)

    def boundaries() -> dict[str, Any]:
        try:
            return governorates()
        except BoundariesMissing as exc:
            raise HTTPException(503, str(exc)) from exc

    @app.get(
        "/api/regions", tags=["regions"], responses={200: _JSON_OR_GEOJSON, **_responses(422, 503)}
    )
    def list_regions(
        format: Annotated[
            Literal["json", "geojson"],
            Query(description="json, or geojson for the governorates' boundaries."),
        ] = "json",
    ) -> Response:
        """The governorates with their event counts; GeoJSON gives their boundaries.

        The boundaries are Natural Earth's (public domain) with today's codes (Kirkuk IQ-KI,
        Halabja within IQ-SU); each feature has code, name, country_code, country,
        kurdistan_region, label_lat/label_lon (a point inside it for its label) and events.
        """
        counts = summary({})["governorates"]
        if format == "geojson":
            data = boundaries()
            for f in data["features"]:
                f["properties"]["events"] = counts.get(f["properties"]["code"], {}).get("events", 0)
            return _Json(data, media_type="application/geo+json")
        regions = [
            {**r, "events": counts.get(r["code"], {}).get("events", 0)} for r in governorate_names()
        ]
        return _Json({"regions": sorted(regions, key=lambda r: r["code"])})

    @app.get("/api/map", tags=["regions"], responses=_responses(422, 503))
    def event_map(
        zoom: Annotated[
            int, Query(ge=0, le=20, description="The map's zoom (Web Mercator levels).")
        ] = 6,
        bbox: Annotated[
            str | None,
            Query(
                max_length=100,
                pattern=_BBOX,
                description="The view: west,south,east,north in degrees (default: everywhere).",
            ),
        ] = None,
        since: Since = None,
        until: Until = None,
        country: Country = None,
        admin1: Admin1 = None,
        event_type: EventType = None,
        actor: Actor = None,
    ) -> Response:
        """What the map draws for a view: aggregates, never a capped list of every event.

        Always: ``governorates`` (per governorate: events, fatalities, events by type, for the
        choropleth and, zoomed out, one marker each) and ``countries`` (events known only to a
        country: drawn as its area, not a point). ``mode`` says what else is there: zoomed out
        (zoom < 7) ``governorates`` only; zoomed in, ``points`` (the located events in the
        view, at most 1,000) or, with more in view, ``cells`` (a grid of about 48 pixels: events,
        fatalities, events by type, the mean point), with ``areas``: per governorate, the events
        known only to it (geo precision 3), drawn as its area.
        """
        box = _bbox(bbox)
        filters = _event_filters(since, until, country, admin1, event_type, actor)

        def view() -> dict[str, Any]:
            names = {r["code"]: r for r in governorate_names()}
            try:
                labels = _label_points()
            except BoundariesMissing:
                labels = {}

            def entries(groups: dict[str, Any], places: dict[str, Any]) -> list[dict[str, Any]]:
                out = []
                for code, g in sorted(groups.items()):
                    entry = {"code": code, "name": places.get(code, {}).get("name", code), **g}
                    if code in labels:
                        entry["label_lat"], entry["label_lon"] = labels[code]
                    out.append(entry)
                return out

            countries = {r["country_code"]: {"name": r["country"]} for r in names.values()}
            seen = summary(filters)
            body: dict[str, Any] = {
                "zoom": zoom,
                "bbox": list(box) if box else None,
                "total": seen["total"],
                "governorates": entries(seen["governorates"], names),
                "countries": entries(seen["countries"], countries),
            }
            if zoom < GOVERNORATE_ZOOM:
                body["mode"] = "governorates"
                return body
            body["areas"] = entries(seen["areas"], names)
            in_view = services.store.count_located_upto(MAX_POINTS, bbox=box, **filters)
            if in_view <= MAX_POINTS:
                body["mode"] = "points"
                body["in_view"] = in_view
                body["points"] = services.store.point_dicts(bbox=box, **filters)
                return body
            body["mode"] = "cells"
            cell = 360 / 2**zoom * CELL_PIXELS / 256
            body["cell"] = cell
            if zoom <= GRID_ZOOM:
                # The view is the cells of the theatre's grid whose events' mean point lies in it.
                west, south, east, north = box or (-180.0, -90.0, 180.0, 90.0)
                cells = [
                    c
                    for c in grid(zoom, filters)
                    if south <= c["lat"] <= north and west <= c["lon"] <= east
                ]
            else:
                cells = _cells(services.store.event_groups("cell", cell=cell, bbox=box, **filters))
            body["cells"] = cells
            body["in_view"] = sum(c["events"] for c in cells)
            return body

        # The answer for a view, encoded once: the dashboard asks for the same views again (its
        # first view, a governorate it returns to), and a write makes the answer stale.
        key = ("map", zoom, box, *sorted(filters.items()))
        content = services.views.get(key, services.store.revision(), lambda: _Json(view()).body)
        return Response(content, media_type="application/json")

    @app.get("/api/actors", tags=["events"], responses=_responses(503))
    def list_actors() -> Response:
        """Actor names to filter by: actor families the knowledge knows, then the names stored
        events carry (actor 1 or 2), the most frequent first."""
        return _Json({"actors": actor_choices()})

    def frame(region: str | None, event_type: str | None, actor: str | None) -> Any:
        """The events behind a series as the analysis's table, built once per store revision."""
        series_mod, _ = _analysis()

        def compute() -> Any:
            gazetteer = None
            code = region if region and _ADMIN1_CODE.fullmatch(region) else None
            if region and code is None:
                from harbinger.geo import configured_gazetteer

                gazetteer = configured_gazetteer()
            # Only the columns the table needs (EventFacts carries every attribute events_frame
            # reads of a StoredEvent): a hundred thousand StoredEvents take seconds to build.
            facts = services.store.event_facts(admin1=code, event_type=event_type, actor=actor)
            table = series_mod.events_frame(cast(Any, facts), gazetteer)
            return series_mod.select(table, region=region, event_type=event_type)

        return services.frames.get(
            ("frame", region, event_type, actor), services.store.revision(), compute
        )

    @app.get("/api/series", tags=["analysis"], responses=_responses(422, 503))
    def series(
        admin1: Admin1 = None,
        event_type: EventType = None,
        since: Since = None,
        until: Until = None,
        actor: Actor = None,
        weeks: Annotated[
            int | None,
            Query(
                ge=1,
                le=2000,
                description="Only the latest weeks: this many up to 'until' (or the last event), "
                "when 'since' is not given.",
            ),
        ] = None,
        by_type: Annotated[
            bool, Query(description="Also give one series per event type (for stacked charts).")
        ] = False,
    ) -> Response:
        """Weekly events and fatalities with the baseline band (low-high) of the region."""
        series_mod, _ = _analysis()
        region = admin1.strip() if admin1 else None

        def compute() -> dict[str, Any]:
            rows = frame(region, event_type, actor)
            start = since
            if weeks and since is None and not rows.empty:
                last = until or max(rows["date"])
                start = last - dt.timedelta(weeks=weeks - 1)
            out: dict[str, Any] = {
                "admin1": admin1,
                "type": event_type,
                "actor": actor,
                "points": [
                    _series_point(p)
                    for p in series_mod.series_points(rows, since=start, until=until)
                ],
            }
            if by_type:
                out["by_type"] = {
                    t: [
                        _series_point(p)
                        for p in series_mod.series_points(
                            series_mod.select(rows, event_type=t), since=start, until=until
                        )
                    ]
                    for t in EVENT_TYPES
                    if event_type is None or event_type.casefold() == t.casefold()
                }
            return out

        key = ("series", region, event_type, since, until, actor, weeks, by_type)
        return _Json(services.cached(key, compute))

    def warm() -> None:
        """The answers a dashboard asks for first, computed into the cache (for the store's
        revision at start-up: a write makes them stale like any other). What a filter selects
        is computed when first asked: there are too many filters to compute them all."""
        unfiltered: dict[str, Any] = dict.fromkeys(
            ("since", "until", "country", "admin1", "event_type", "actor")
        )
        steps: list[Callable[[], object]] = [
            actor_choices,  # loads the actor knowledge that every actor filter reads
            lambda: total(unfiltered),
            lambda: summary(unfiltered),
            # The theatre's grid, and its cells at each zoom the grid serves (a few ms each).
            *(partial(grid, z, unfiltered) for z in range(GRID_ZOOM, GOVERNORATE_ZOOM - 1, -1)),
            lambda: services.cached(("counts",), services.store.counts),
            lambda: warning_list(None, None),
        ]
        for step in steps:
            try:
                step()
            except Exception:  # the request that asks again reports it
                _log.warning("warming the cache up failed", exc_info=True)
                return

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The routes are plain functions, run in the server's thread pool: as many threads as
        # cores, not anyio's 40. Twenty requests at once in forty threads took turns at the GIL
        # and each cold aggregate took twenty times as long while the requests that wanted it
        # waited; the benchmark's map answered 50 % more requests a second with two threads
        # on two cores, and its p95 was halved (docs/benchmarks.md).
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads or _threads()
        if warm_up:
            # Before the server takes its first request: uvicorn starts listening (one process)
            # or this worker starts accepting (several) once start-up is over, so no client
            # waits behind the warm-up, nor meets a worker that has not done it.
            await anyio.to_thread.run_sync(warm)
            # What start-up built (the knowledge, the boundaries, the warmed answers) lives as
            # long as the server: out of the collector's sight, a full collection no longer
            # walks it. Each took 140-240 ms with every request waiting; 2-12 ms after this.
            gc.collect()
            gc.freeze()
        yield

    app.router.lifespan_context = lifespan

    return app
