"""Fetch web pages and feeds over HTTP(S) for the ingest stage, with every limit spelled out.

:class:`Fetcher` is a small, immutable set of limits (a timeout for the whole download, a size
cap, the content types accepted) and :meth:`Fetcher.get` downloads one URL with the standard
library's ``urllib``. Only ``http`` and ``https`` are fetched, redirects included (``urllib``
alone would follow a redirect to ``ftp://``). The size cap is checked against ``Content-Length``
before any byte of the body is read and again while reading, so a lying or missing header costs
at most ``max_bytes + 1`` bytes. The timeout bounds every socket operation *and* the download as a
whole, so a server that trickles one byte a second cannot hold a batch. Conditional requests
(``ETag`` / ``Last-Modified``) let the ``watch`` loop skip a page or feed that has not changed: a
``304 Not Modified`` answer comes back as a :class:`Fetched` with ``not_modified`` set. Every
failure (bad scheme, DNS, refused connection, HTTP 4xx/5xx, timeout, too large, wrong content
type) raises ``UnreadableInput`` naming the URL and saying why, which the readers turn into a
``Skipped``.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import IO

from harbinger.errors import UnreadableInput

__all__ = [
    "ACCEPTED_TYPES",
    "DEFAULT_TIMEOUT",
    "Fetched",
    "Fetcher",
    "is_url",
]

#: Seconds allowed for one download, from connecting to the last byte.
DEFAULT_TIMEOUT = 20.0
#: Media types read as pages, feeds or plain text; anything else is refused before its body is read.
ACCEPTED_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/plain",
    }
)
_SCHEMES = ("http", "https")
_CHUNK = 64 * 1024
_USER_AGENT = "Harbinger/0.1 (open-source conflict event coder; +https://github.com/harbinger)"
_ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, text/plain;q=0.8"
)


def is_url(value: str) -> bool:
    """Whether ``value`` is an ``http://`` or ``https://`` URL (the only kinds fetched)."""
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    return scheme in _SCHEMES and value[len(scheme) :].startswith("://")


@dataclass(frozen=True, slots=True)
class Fetched:
    """The answer to one GET: the final URL (after redirects), its media type and body.

    ``not_modified`` is set (and ``data`` empty) when the server answered 304 to a conditional
    request; ``etag`` and ``last_modified`` are the validators to send next time.
    """

    url: str
    data: bytes
    content_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs; ``urllib`` would also follow one to ``ftp://``."""

    max_redirections = 5

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_url(newurl):
            raise UnreadableInput(
                req.full_url,
                f"redirects (HTTP {code}) to {newurl!r}; only http and https URLs are fetched",
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass(frozen=True, slots=True)
class Fetcher:
    """Limits of a download; :meth:`get` fetches one URL within them.

    ``timeout`` is in seconds for the whole download; ``max_bytes`` caps the body (larger bodies
    are refused, not truncated); ``accepted_types`` are the media types read (a response without
    a ``Content-Type`` is accepted and its content sniffed by the reader).
    """

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = 5_000_000
    accepted_types: frozenset[str] = ACCEPTED_TYPES
    user_agent: str = _USER_AGENT

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ValueError(f"timeout must be positive, got {self.timeout}")
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be at least 1, got {self.max_bytes}")

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """Download ``url``; raise ``UnreadableInput`` (naming the URL and why) when it fails.

        Pass the ``etag`` / ``last_modified`` of an earlier :class:`Fetched` to make the request
        conditional.
        """
        if not is_url(url):
            raise UnreadableInput(url, "is not an http:// or https:// URL; only those are fetched")
        if not urllib.parse.urlsplit(url).hostname:
            raise UnreadableInput(url, "has no host name; check the URL")
        headers = {"User-Agent": self.user_agent, "Accept": _ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(url, headers=headers, method="GET")
        # build_opener keeps urllib's default handlers (proxies from the environment included)
        # and swaps in the redirect handler that refuses non-HTTP targets. A proxy cannot reach
        # this machine's loopback address, so a local server is always asked directly.
        handlers: list[urllib.request.BaseHandler] = [_HttpOnlyRedirects()]
        if _is_loopback(urllib.parse.urlsplit(url).hostname):
            handlers.append(urllib.request.ProxyHandler({}))
        opener = urllib.request.build_opener(*handlers)
        deadline = time.monotonic() + self.timeout
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return self._read(url, response, deadline)
        except UnreadableInput:
            raise
        except urllib.error.HTTPError as exc:
            exc.close()  # the error holds the open response
            if exc.code == 304:
                return Fetched(
                    url=url, data=b"", etag=etag, last_modified=last_modified, not_modified=True
                )
            raise UnreadableInput(url, _http_error(exc.code, exc.reason)) from None
        except urllib.error.URLError as exc:
            raise UnreadableInput(url, _network_error(exc.reason, self.timeout)) from None
        except TimeoutError:
            raise UnreadableInput(url, _timed_out(self.timeout)) from None
        except (http.client.HTTPException, OSError, ValueError) as exc:
            # A server that closes mid-headers, sends garbage, or an invalid URL (bad port).
            raise UnreadableInput(
                url, f"the download failed: {exc or type(exc).__name__}"
            ) from None

    def _read(self, url: str, response: http.client.HTTPResponse, deadline: float) -> Fetched:
        final_url = response.geturl() or url
        # get_content_type() says text/plain when the header is missing: keep "unknown" apart.
        has_type = bool(response.headers.get("Content-Type"))
        content_type = response.headers.get_content_type() if has_type else None
        if content_type is not None and content_type not in self.accepted_types:
            raise UnreadableInput(
                url,
                f"is {content_type}, not a web page, feed or text; Harbinger reads HTML, "
                "RSS/Atom and plain text",
            )
        length = response.headers.get("Content-Length")
        if length is not None and length.strip().isdigit() and int(length) > self.max_bytes:
            raise UnreadableInput(url, _too_large(int(length), self.max_bytes))
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise UnreadableInput(url, _timed_out(self.timeout))
            # read1 returns what one socket read brings; read(n) would block until n bytes
            # came and let a trickling server outlast the deadline.
            chunk = response.read1(min(_CHUNK, self.max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_bytes:
                raise UnreadableInput(url, _too_large(None, self.max_bytes))
        charset = response.headers.get_content_charset()
        return Fetched(
            url=final_url,
            data=b"".join(chunks),
            content_type=content_type,
            charset=charset,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _http_error(code: int, reason: object) -> str:
    text = f"HTTP {code} {reason}".rstrip()
    if code == 404 or code == 410:
        return f"{text}: the page is not there; check the URL"
    if code in (401, 403):
        return f"{text}: the server refuses access; Harbinger reads public pages only"
    if code == 429 or code >= 500:
        return f"{text}: the server failed or is busy; try again later"
    return f"{text}: the server refused the request"


def _network_error(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return _timed_out(timeout)
    if isinstance(reason, socket.gaierror):
        return "the host name cannot be resolved; check the URL and the network"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused; check the URL and that the server is running"
    text = getattr(reason, "strerror", None) or str(reason)
    return f"cannot connect: {text}"


def _timed_out(timeout: float) -> str:
    return f"timed out after {timeout:g} s; the server is slow or unreachable, try again later"


def _too_large(size: int | None, max_bytes: int) -> str:
    what = f"is {size:,} bytes, over" if size is not None else "is larger than"
    return (
        f"{what} the limit of {max_bytes:,} bytes; raise the limit "
        "(Settings.max_document_bytes) to read it"
    )
