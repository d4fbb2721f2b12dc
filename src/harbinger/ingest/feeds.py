"""Read RSS and Atom feeds: each entry becomes the ``Document`` of the page it links to.

A feed is recognised by its content, not its name: its first element (after the XML declaration,
comments and a doctype) is ``<rss>``, ``<feed>`` (Atom) or ``<rdf:RDF>`` (RSS 1.0); see
``reader.looks_like_feed``. :func:`parse_feed` reads the bytes with feedparser (given a stream, never
a string, which feedparser would take for a file name or URL to open) into :class:`FeedEntry`
records. For each entry, :func:`entry_document` fetches the linked page and reads it as HTML; when
the entry has no http(s) link, or fetching or reading the page fails, the entry's own content (or
summary) is used instead, and the failure is logged. Feeds are often slightly broken: feedparser's
lenient parser recovers what it can, and a feed is only skipped as a whole when nothing usable is
left (not XML, not a feed, no entries); entries with neither a link nor content are reported one
by one. Nothing here raises for bad input once the feed has been parsed: :func:`iter_feed` yields a
``Skipped`` naming the feed (or the entry) and the reason, and the batch goes on.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
import logging
import re
import time
import urllib.parse
import xml.sax
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import feedparser

from harbinger.errors import EmptyInput, InputError, UnreadableInput
from harbinger.ingest.fetch import Fetcher, is_url
from harbinger.ingest.html import MIN_MAIN_TEXT_WORDS, read_page
from harbinger.ingest.reader import first_element, looks_like_feed
from harbinger.ingest.text import document_id
from harbinger.records import Document, Skipped
from harbinger.wording import count

__all__ = [
    "FeedEntry",
    "ParsedFeed",
    "entry_document",
    "iter_feed",
    "parse_feed",
]

logger = logging.getLogger(__name__)

# Block-level tags after which the text of an entry's HTML content starts a new line.
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
# "jane@example.org (Jane Roe)", the RSS 2.0 author form: the name is in the parentheses.
_EMAIL_AUTHOR = re.compile(r"^\S+@\S+\s*\((.+)\)$")
_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed, as much as the ingest stage needs of it.

    ``key`` identifies the entry across fetches of the feed (its id or guid, else its link, else
    a hash of its title and content); ``link`` is an http(s) URL resolved against the feed's URL;
    ``content`` is the entry's HTML (or text) content or summary.
    """

    feed: str
    index: int
    key: str
    link: str | None = None
    title: str | None = None
    author: str | None = None
    published: dt.date | None = None
    content: str | None = None

    @property
    def source(self) -> str:
        """What names the entry in messages and in ``Document.source``."""
        return self.link or f"{self.feed}#{self.key}"


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """The entries of a feed, and entries that could not be used (as ``Skipped``)."""

    source: str
    title: str | None
    entries: tuple[FeedEntry, ...]
    problems: tuple[Skipped, ...] = ()


class _TextOfHtml(HTMLParser):
    """The text of an HTML fragment, one line per block element, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)

    def text(self) -> str:
        lines = (_SPACES.sub(" ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _fragment_text(fragment: str) -> str:
    """Plain text of an entry's content, which may be HTML or already text."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    parser = _TextOfHtml()
    parser.feed(fragment)
    parser.close()
    return parser.text()


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            # feedparser normalises to UTC; timegm keeps it there.
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).date()
    return None


def _entry_author(entry: Any) -> str | None:
    author = entry.get("author")
    if not isinstance(author, str) or not author.strip():
        return None
    author = " ".join(author.split())
    email = _EMAIL_AUTHOR.match(author)
    return email.group(1).strip() if email else author


def _entry_content(entry: Any) -> str | None:
    # Full content first (Atom <content>, RSS <content:encoded>), then the summary/description.
    for item in entry.get("content") or ():
        value = item.get("value") if isinstance(item, dict) else None
        if isinstance(value, str) and value.strip():
            return value
    summary = entry.get("summary")
    return summary if isinstance(summary, str) and summary.strip() else None


def _entry_link(entry: Any, base: str | None) -> str | None:
    candidates: list[str] = []
    link = entry.get("link")
    if isinstance(link, str):
        candidates.append(link)
    for item in entry.get("links") or ():
        href = item.get("href") if isinstance(item, dict) else None
        if isinstance(href, str) and item.get("rel", "alternate") == "alternate":
            candidates.append(href)
    for candidate in candidates:
        resolved = urllib.parse.urljoin(base, candidate.strip()) if base else candidate.strip()
        if is_url(resolved):
            return resolved
    return None


def _entry_key(entry: Any, link: str | None, title: str | None, content: str | None) -> str:
    for value in (entry.get("id"), link):
        if isinstance(value, str) and value.strip():
            return value.strip()
    digest = hashlib.sha256(f"{title or ''}\n{content or ''}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


def _xml_error(exc: BaseException) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        return (
            f"not well-formed XML at line {exc.getLineNumber()}, column {exc.getColumnNumber()}: "
            f"{exc.getMessage()}"
        )
    return str(exc) or type(exc).__name__


def parse_feed(
    data: bytes, source: str, *, url: str | None = None, content_type: str | None = None
) -> ParsedFeed:
    """The entries of a feed; raise an ``InputError`` when there is no usable feed at all.

    ``url`` is where the feed was fetched from: relative entry links are resolved against it.
    ``content_type`` is the HTTP media type, which lets feedparser honour a declared charset.
    """
    if not data.strip():
        raise EmptyInput(source, "is empty: no feed to read")
    if not looks_like_feed(data):
        root = first_element(data)
        what = f"its first element is <{root}>" if root else "it does not start with markup"
        raise UnreadableInput(
            source, f"is not an RSS or Atom feed: {what}, not <rss>, <feed> or <rdf:RDF>"
        )
    headers: dict[str, str] = {}
    if url:
        headers["content-location"] = url
    # feedparser reports a missing Content-Type as an error of its own: always give one.
    headers["content-type"] = content_type or "application/xml"
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    malformed = isinstance(problem, xml.sax.SAXException)
    raw_entries = list(parsed.get("entries") or ())
    if not raw_entries:
        if malformed and problem is not None:
            raise UnreadableInput(source, f"is not a readable feed: {_xml_error(problem)}")
        raise EmptyInput(source, "the feed has no entries")
    base = url or None
    entries: list[FeedEntry] = []
    problems: list[Skipped] = []
    for index, entry in enumerate(raw_entries, start=1):
        title = entry.get("title")
        title = (" ".join(title.split()) or None) if isinstance(title, str) else None
        link = _entry_link(entry, base)
        content = _entry_content(entry)
        if link is None and content is None:
            why = "has neither an http(s) link nor any content"
            if malformed and problem is not None:
                why += f" (the feed is {_xml_error(problem)}; it may be cut off)"
            label = f"entry {index}" + (f" ({title!r})" if title else "")
            problems.append(Skipped(source, f"{label} {why}"))
            continue
        entries.append(
            FeedEntry(
                feed=source,
                index=index,
                key=_entry_key(entry, link, title, content),
                link=link,
                title=title,
                author=_entry_author(entry),
                published=_entry_date(entry),
                content=content,
            )
        )
    if malformed and problem is not None:
        logger.warning(
            "%s: %s; %s recovered by the lenient parser",
            source,
            _xml_error(problem),
            count(len(entries), "usable entry") if entries else "no usable entry",
        )
    feed_title = parsed.get("feed", {}).get("title")
    return ParsedFeed(
        source=source,
        title=feed_title if isinstance(feed_title, str) else None,
        entries=tuple(entries),
        problems=tuple(problems),
    )


def _content_document(entry: FeedEntry, failure: str | None) -> Document:
    text = _fragment_text(entry.content or "")
    words = len(text.split())
    if words < MIN_MAIN_TEXT_WORDS:
        reason = (
            f"the entry's own content has {words} word(s), fewer than {MIN_MAIN_TEXT_WORDS}"
            if entry.content
            else "the entry has no content of its own"
        )
        if failure is not None:
            reason = f"the linked page could not be read ({failure}) and {reason}"
        raise EmptyInput(entry.source, reason)
    return Document(
        id=document_id(text),
        source=entry.source,
        text=text,
        title=entry.title,
        author=entry.author,
        published=entry.published,
        url=entry.link,
    )


def entry_document(entry: FeedEntry, *, fetcher: Fetcher | None) -> Document:
    """The ``Document`` of one entry: its linked page, else its own content.

    With ``fetcher=None`` links are not followed (the content is used). The page's own title,
    author and date win over the entry's; the entry's fill in what the page lacks. Raises an
    ``InputError`` when neither the page nor the content gives a report.
    """
    failure: str | None = None
    if entry.link is not None and fetcher is not None:
        try:
            page = read_page(fetcher.get(entry.link), entry.link)
        except InputError as exc:
            failure = exc.reason
            logger.warning(
                "%s: the linked page of entry %s of %s could not be read (%s); using the entry's "
                "own content",
                entry.link,
                entry.index,
                entry.feed,
                exc.reason,
            )
        else:
            return Document(
                id=page.id,
                source=entry.link,
                text=page.text,
                title=page.title or entry.title,
                author=page.author or entry.author,
                published=page.published or entry.published,
                url=page.url or entry.link,
                language=page.language,
                body_start=page.body_start,
            )
    return _content_document(entry, failure)


def iter_feed(
    data: bytes,
    source: str,
    *,
    fetcher: Fetcher | None,
    url: str | None = None,
    content_type: str | None = None,
) -> Iterator[Document | Skipped]:
    """A ``Document`` per entry of a feed, or a ``Skipped`` for the feed or an entry; never raises.

    ``fetcher`` fetches the pages the entries link to (``None``: use the entries' own content).
    """
    try:
        feed = parse_feed(data, source, url=url, content_type=content_type)
    except InputError as exc:
        yield Skipped(exc.source, exc.reason, exc.line)
        return
    yield from feed.problems
    for entry in feed.entries:
        try:
            yield entry_document(entry, fetcher=fetcher)
        except InputError as exc:
            yield Skipped(exc.source, exc.reason, exc.line)
