"""The Harbinger web application: the analyst dashboard, the document pages and the REST API.

``create_app`` builds a FastAPI application over one ``Store``. Pages are Jinja2 templates with
autoescaping (every piece of document text is untrusted and shown as text); the dashboard's
behaviour lives in static JavaScript files, and a Content-Security-Policy forbids inline script.
The API under ``/api`` answers JSON (and GeoJSON), documented at ``/openapi.json`` and ``/docs``;
every error, whatever raised it, has the one body shape built by ``error_body``. Writes
(``POST /api/documents``) need ``Authorization: Bearer <token>`` with the token of
``HARBINGER_API_TOKEN``; with no token configured writes are refused. Request bodies past a cap are
refused with 413 before they are read into memory whole. The coder (spaCy) is loaded on the first
write or document page, not at start-up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import jinja2
from fastapi import FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, Field
from starlette.exceptions import HTTPException

from harbinger.errors import HarbingerError, InputError
from harbinger.settings import Settings
from harbinger.store import Store, StoredEvent
from harbinger.web import highlight

__all__ = ["DEFAULT_MAX_BODY_BYTES", "TOKEN_ENV", "create_app", "error_body"]

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"
BOUNDARIES = HERE / "data" / "governorates.geojson"
#: Environment variable holding the bearer token that writes need.
TOKEN_ENV = "HARBINGER_API_TOKEN"
#: Request bodies larger than this are refused with 413 (an article is rarely over 200 KB).
DEFAULT_MAX_BODY_BYTES = 1_000_000
#: Most events one list or GeoJSON request returns.
MAX_PAGE = 5000

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


class _Services:
    """The store, the settings, the write token and the lazily built coder of one app."""

    def __init__(self, store: Store, settings: Settings, token: str | None) -> None:
        self.store = store
        self.settings = settings
        self.token = token
        self._coder: Any = None
        self._lock = threading.Lock()

    def coder(self) -> Any:
        # spaCy takes seconds to load: only the first write or document page pays for it.
        with self._lock:
            if self._coder is None:
                from harbinger.extract import Coder

                self._coder = Coder(self.settings)
            return self._coder


@lru_cache(maxsize=1)
def _boundaries() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    return data


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


def _sorted(rows: list[StoredEvent], sort: str) -> list[StoredEvent]:
    key = sort.lstrip("-")
    reverse = sort.startswith("-")

    def value(e: StoredEvent) -> tuple[bool, Any, str]:
        v = getattr(e, key)
        if isinstance(v, str):
            v = v.casefold()
        # Missing values go last whichever the direction.
        return (v is None) != reverse, v if v is not None else 0, e.id

    present = [e for e in rows if getattr(e, key) is not None]
    missing = [e for e in rows if getattr(e, key) is None]
    present.sort(key=lambda e: value(e)[1:], reverse=reverse)
    return present + missing


def _feature(e: StoredEvent) -> dict[str, Any]:
    props = e.to_dict()
    props.pop("evidence")
    return {
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]},
        "properties": props,
    }


def _analysis() -> tuple[Any, Any]:
    """The analysis stage's functions, or a 503 naming what is missing."""
    try:
        from harbinger.analyze.series import weekly_series
        from harbinger.analyze.warnings import compute_warnings
    except ImportError as exc:
        raise HTTPException(
            503,
            f"the analysis stage is not available ({exc}); install a Harbinger with "
            "harbinger.analyze to get warnings and series",
        ) from exc
    return compute_warnings, weekly_series


def _series_point(p: Any) -> dict[str, Any]:
    return {
        "week_start": p.week_start.isoformat(),
        "events": p.events,
        "fatalities": p.fatalities,
        "baseline": round(float(p.baseline), 3),
        "low": round(float(p.low), 3),
        "high": round(float(p.high), 3),
    }


# -- the application ---------------------------------------------------------------------------


def create_app(
    store_url: str | None = None,
    *,
    settings: Settings | None = None,
    api_token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """The web application over the store at ``store_url`` (default: the settings' database).

    ``api_token`` defaults to ``$HARBINGER_API_TOKEN``; without one, writes are refused (403).
    Raises ``StoreError`` when the store cannot be opened.
    """
    settings = settings or Settings.from_env()
    url = store_url or settings.db_url
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

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard() -> HTMLResponse:
        counts = services.store.counts()
        regions = sorted(
            (f["properties"] for f in _boundaries()["features"]),
            key=lambda p: (p["country"], p["name"]),
        )
        return page("dashboard.html", counts=counts, regions=regions, event_types=EVENT_TYPES)

    @app.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(document_id: str) -> HTMLResponse:
        doc = services.store.document(document_id)
        if doc is None:
            raise HTTPException(404, f"no document {document_id!r} is stored")
        events = services.store.events(document_id=document_id)
        claims = services.store.claims(document_id)
        indicators = services.store.indicators(document_id)
        spans: list[highlight.Span] = []
        for kind, items in (("event", events), ("claim", claims), ("indicator", indicators)):
            for item in items:
                for ev in item.evidence:
                    spans.append(highlight.Span(ev.start, ev.end, kind, item.id))
        spans += highlight.mention_spans(services.coder(), doc.to_document())
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

    @app.get(
        "/api/events", tags=["events"], responses={200: _JSON_OR_GEOJSON, **_responses(422, 503)}
    )
    def list_events(
        since: Since = None,
        until: Until = None,
        country: Annotated[
            str | None, Query(max_length=100, description="Country name or ISO code.")
        ] = None,
        admin1: Admin1 = None,
        event_type: EventType = None,
        actor: Annotated[
            str | None, Query(max_length=200, description="Part of an actor name.")
        ] = None,
        limit: Annotated[int, Query(ge=0, le=MAX_PAGE, description="Events per page.")] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000, description="Events to skip.")] = 0,
        sort: Annotated[SortKey, Query(description="Sort key; '-' for descending.")] = "-date",
        format: Annotated[
            Literal["json", "geojson"],
            Query(description="json, or geojson (events without coordinates are left out)."),
        ] = "json",
    ) -> Response:
        """Stored events matching every filter given, sorted and paged.

        JSON: ``{total, limit, offset, sort, events: [...]}`` (each event as in the JSON
        contract, plus document_id, title, source). GeoJSON: a FeatureCollection of Points.
        """
        filters: dict[str, Any] = {
            "since": since,
            "until": until,
            "country": country,
            "admin1": admin1,
            "event_type": event_type,
            "actor": actor,
        }
        store = services.store
        if sort == "-date":
            # The store's own order: count cheaply, then fetch only the page with its evidence.
            total = len(store.events(**filters, with_evidence=False))
            rows = store.events(**filters, limit=limit, offset=offset)
        else:
            everything = _sorted(store.events(**filters), sort)
            total = len(everything)
            rows = everything[offset : offset + limit]
        if format == "geojson":
            located = [e for e in rows if e.latitude is not None and e.longitude is not None]
            body: dict[str, Any] = {
                "type": "FeatureCollection",
                "total": total,
                "features": [_feature(e) for e in located],
            }
            return JSONResponse(body, media_type="application/geo+json")
        return JSONResponse(
            {
                "total": total,
                "limit": limit,
                "offset": offset,
                "sort": sort,
                "events": [e.to_dict() for e in rows],
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
            events=[e.to_dict() for e in coded.events],
            claims=[c.to_dict() for c in coded.claims],
            indicators=[i.to_dict() for i in coded.indicators],
        )

    @app.get("/api/warnings", tags=["analysis"], responses=_responses(422, 503))
    def list_warnings(
        as_of: Annotated[
            IsoDate | None, Query(description="Assess as of this date (default: the latest event).")
        ] = None,
        admin1: Admin1 = None,
    ) -> dict[str, Any]:
        """Active warnings, highest level first: region, period, level, score, reason, evidence."""
        compute_warnings, _ = _analysis()
        warnings = compute_warnings(services.store, as_of=as_of)
        if admin1:
            wanted = admin1.strip().casefold()
            warnings = [
                w
                for w in warnings
                if (w.region_code or "").casefold() == wanted or w.region.casefold() == wanted
            ]
        rank = {"alert": 0, "warning": 1, "watch": 2}
        warnings = sorted(warnings, key=lambda w: (rank.get(w.level, 3), -w.score, w.id))
        return {"warnings": [w.to_dict() for w in warnings]}

    @app.get(
        "/api/regions", tags=["regions"], responses={200: _JSON_OR_GEOJSON, **_responses(422, 503)}
    )
    def list_regions(
        format: Annotated[
            Literal["json", "geojson"],
            Query(description="json, or geojson for the (approximate) boundaries."),
        ] = "json",
    ) -> Response:
        """The governorates with their event counts; GeoJSON gives their approximate outlines."""
        counts: dict[str, int] = {}
        for e in services.store.events(with_evidence=False):
            if e.admin1_code:
                counts[e.admin1_code] = counts.get(e.admin1_code, 0) + 1
        data = _boundaries()
        if format == "geojson":
            features = [
                {
                    **f,
                    "properties": {
                        **f["properties"],
                        "events": counts.get(f["properties"]["code"], 0),
                    },
                }
                for f in data["features"]
            ]
            return JSONResponse(
                {
                    "type": "FeatureCollection",
                    "attribution": data.get("attribution"),
                    "features": features,
                },
                media_type="application/geo+json",
            )
        regions = [
            {**f["properties"], "events": counts.get(f["properties"]["code"], 0)}
            for f in data["features"]
        ]
        return JSONResponse({"regions": sorted(regions, key=lambda r: r["code"])})

    @app.get("/api/series", tags=["analysis"], responses=_responses(422, 503))
    def series(
        admin1: Admin1 = None,
        event_type: EventType = None,
        since: Since = None,
        until: Until = None,
        by_type: Annotated[
            bool, Query(description="Also give one series per event type (for stacked charts).")
        ] = False,
    ) -> dict[str, Any]:
        """Weekly events and fatalities with the baseline band (low-high) of the region."""
        _, weekly_series = _analysis()
        store = services.store
        points = weekly_series(
            store, admin1=admin1, event_type=event_type, since=since, until=until
        )
        out: dict[str, Any] = {
            "admin1": admin1,
            "type": event_type,
            "points": [_series_point(p) for p in points],
        }
        if by_type:
            out["by_type"] = {
                t: [
                    _series_point(p)
                    for p in weekly_series(
                        store, admin1=admin1, event_type=t, since=since, until=until
                    )
                ]
                for t in EVENT_TYPES
                if event_type is None or event_type == t
            }
        return out

    return app
