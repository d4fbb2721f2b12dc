"""Turn a saved or fetched HTML page into a ``Document``: its main text, title, author and date.

News pages wrap a few paragraphs of report in menus, share buttons, related links and comment
threads. :func:`parse_html` hands the page to trafilatura, which finds the main text and reads the
page's metadata (``<title>``/``og:title``, ``author`` meta tags, ``article:published_time``,
``<time>`` elements, a date in the URL). The ``Document`` keeps the *extracted* text as its text,
so evidence spans point into what the coder read, and the page URL (or the canonical URL a saved
page declares) as its ``url``. Dates are taken only from the page's markup and URL: trafilatura's
"extensive" search is off because it reads a copyright line ("© 2019") as a publication date.
A page whose main text is missing or shorter than :data:`MIN_MAIN_TEXT_WORDS` words (a menu, a
log-in wall, an index page) raises ``EmptyInput``, which the readers report as a ``Skipped``.
:func:`decode_html` turns the bytes into text, trusting in order a byte-order mark, the HTTP
charset, the page's ``<meta charset>``, and then the reader's own UTF-8 / legacy-encoding guess.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re

import trafilatura

from harbinger.errors import EmptyInput, UnreadableInput
from harbinger.ingest.fetch import Fetched, is_url
from harbinger.ingest.reader import decode_bytes, first_element, looks_like_html
from harbinger.ingest.text import document_id, parse_text
from harbinger.records import Document

__all__ = [
    "MIN_MAIN_TEXT_WORDS",
    "decode_html",
    "parse_html",
    "read_html",
    "read_page",
]

#: A main text with fewer words is boilerplate (a menu, a cookie notice), not a report.
MIN_MAIN_TEXT_WORDS = 8

# Bytes searched for a declared charset or language.
_HEAD_BYTES = 4096
# A byte-order mark overrides any declared charset (as in browsers); decode_bytes reads it.
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HTML_LANG = re.compile(r"""<html[^>]*\blang\s*=\s*["']?([A-Za-z]{2,3})""", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_SPACES = re.compile(r"\s+")


def decode_html(data: bytes, source: str, charset: str | None = None) -> str:
    """The text of an HTML page's bytes; ``charset`` is the one an HTTP header declared.

    A byte-order mark wins, then ``charset``, then the page's ``<meta charset>``. A declared
    charset that is unknown or does not fit the bytes is ignored (pages lie about their encoding
    often enough) and the reader's own detection decides; that raises ``UnreadableInput`` /
    ``EncodingError`` for binary data or bytes that are no text.
    """
    if not data.startswith(_BOMS):
        if charset is None:
            declared = _META_CHARSET.search(data[:_HEAD_BYTES])
            if declared:
                charset = declared.group(1).decode("ascii")
        if charset is not None:
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
    text, _encoding = decode_bytes(data, source)
    return text


def _date(value: str | None) -> dt.date | None:
    match = _ISO_DATE.match(value or "")
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _one_line(value: str | None) -> str | None:
    if value is None:
        return None
    return _SPACES.sub(" ", value).strip() or None


def _body_start(text: str, title: str | None) -> int:
    """Where the body starts: after the first line when that line repeats the title."""
    if not title:
        return 0
    first, newline, _rest = text.partition("\n")
    if newline and _SPACES.sub(" ", first).strip().casefold() == title.casefold():
        return len(first) + 1
    return 0


def parse_html(html: str, source: str, *, url: str | None = None) -> Document:
    """A ``Document`` from the text of an HTML page; raise ``EmptyInput`` when it has no main text.

    ``source`` names the page in messages and becomes ``Document.source``; ``url`` is the page's
    address when it was fetched (it also lets trafilatura read a date in the URL). A saved page
    gets the canonical URL it declares, if that is an http(s) URL.
    """
    extracted = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if extracted is None or isinstance(extracted, dict):
        raise EmptyInput(
            source, "no main text found in the page (is it HTML? a menu or log-in page?)"
        )
    text = (extracted.text or "").strip()
    words = len(text.split())
    if words < MIN_MAIN_TEXT_WORDS:
        raise EmptyInput(
            source,
            f"the page's main text has {words} word(s), fewer than {MIN_MAIN_TEXT_WORDS}: it "
            "looks like a menu, an index or a log-in page rather than a report",
        )
    title = _one_line(extracted.title)
    page_url = url
    if page_url is None and extracted.url and is_url(extracted.url):
        page_url = extracted.url
    language = extracted.language
    if not language:
        declared = _HTML_LANG.search(html[:_HEAD_BYTES])
        language = declared.group(1) if declared else None
    return Document(
        id=document_id(text),
        source=source,
        text=text,
        title=title,
        author=_one_line(extracted.author),
        published=_date(extracted.date),
        url=page_url,
        language=(language or "en").lower()[:3].split("-")[0],
        body_start=_body_start(text, title),
    )


def read_html(
    data: bytes, source: str, *, url: str | None = None, charset: str | None = None
) -> Document:
    """A ``Document`` from the bytes of a page (saved or fetched); raise an ``InputError``.

    Raises ``UnreadableInput`` for bytes that are not a page (binary data), ``EncodingError``
    for undecodable bytes, ``EmptyInput`` for a page without main text.
    """
    if not data.strip():
        raise EmptyInput(source, "is empty (0 bytes of page)")
    text = decode_html(data, source, charset)
    if "<" not in text:
        raise UnreadableInput(source, "is not HTML: it contains no markup at all")
    return parse_html(text, source, url=url)


def read_page(fetched: Fetched, source: str) -> Document:
    """A ``Document`` from a fetched page: HTML, or plain text with an optional header.

    The media type decides, and the content when the server sent none. Raises an ``InputError``
    for XML that is not a page (a feed is read by ``iter_feed``, not here), binary data, and
    pages without main text.
    """
    data = fetched.data
    kind = fetched.content_type
    if not data.strip():
        raise EmptyInput(source, "is empty: the server sent no content")
    if kind in _HTML_TYPES or looks_like_html(data):
        return read_html(data, source, url=fetched.url, charset=fetched.charset)
    if kind == "text/plain" or (kind is None and first_element(data) is None):
        text = decode_html(data, source, fetched.charset)
        if not text.strip():
            raise EmptyInput(source, "contains only whitespace")
        return parse_text(text, source, url=fetched.url)
    root = first_element(data)
    what = f"XML whose first element is <{root}>" if root else f"{kind or 'of unknown type'}"
    raise UnreadableInput(source, f"is {what}: neither a web page nor an RSS/Atom feed")
