"""Read files and folders of reports safely into ``Document`` records, skipping bad inputs.

This is the front door of the ingest stage. :func:`iter_documents` takes files and folders and
yields a ``Document`` for each report, or a ``Skipped`` that says which input was passed over and
why (missing, not a regular file, no permission, binary, empty, too large, undecodable, a bad JSON
line), and the batch goes on: one bad file among a hundred thousand must not stop a run. Sizes are
checked with ``stat`` before any byte is read. Text is decoded as UTF-8 (with or without a BOM),
UTF-16/32 when a BOM says so, and otherwise as Windows-1256 (Arabic) or Windows-1252/Latin-1,
chosen from the bytes; a file read in a legacy encoding is logged as a warning.

Folders are read recursively in sorted order. Files and folders whose names start with a dot are
skipped (editor back-ups, ``.git``), and so are files whose extension is not one of
:data:`TEXT_SUFFIXES`, :data:`JSONL_SUFFIXES`, :data:`JSON_SUFFIXES`; files with no extension are
read, since scraped articles are often saved without one (a binary one is reported as such).
A file named directly is read whatever its extension.

Web pages and feeds come in too. An ``http://`` or ``https://`` argument is fetched (see
``ingest.fetch``: timeout, size cap, content-type check) and read as a page or a feed. A feed is
recognised by *content sniffing*, never by its name or the server's media type alone: bytes whose
first element (after the XML declaration, comments and a doctype) is ``<rss>``, ``<feed>`` or
``<rdf:RDF>`` are a feed (:func:`looks_like_feed`), whether they come from a URL, a ``.xml`` /
``.rss`` / ``.atom`` file, or a file with any other name; each of its entries becomes the
``Document`` of the page it links to (or of its own content). ``.html``/``.htm``/``.xhtml`` files,
and other files or responses that open with an HTML doctype or ``<html>``, are read as pages with
trafilatura. A ``pathlib.Path`` made from a URL loses one slash (``https:/host/...``); such a
path is read as the URL it was. The web readers are imported on first use, so reading plain text
does not pay for trafilatura and feedparser.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from harbinger.errors import EmptyInput, EncodingError, InputError, UnreadableInput
from harbinger.ingest.fetch import Fetched, Fetcher, is_url
from harbinger.ingest.jsonl import iter_json, iter_jsonl, iter_jsonl_lines
from harbinger.ingest.text import parse_text
from harbinger.knowledge.arabic import detect_language
from harbinger.records import Document, Skipped

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FEED_SUFFIXES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "JSON_SUFFIXES",
    "READ_SUFFIXES",
    "TEXT_SUFFIXES",
    "FolderListing",
    "decode_bytes",
    "first_element",
    "iter_content",
    "iter_documents",
    "iter_url",
    "list_folder",
    "looks_like_feed",
    "looks_like_html",
    "read_file_bytes",
    "read_text_file",
    "url_of",
]

logger = logging.getLogger(__name__)

#: The default size limit, as ``Settings.max_document_bytes``.
DEFAULT_MAX_BYTES = 5_000_000
#: Extensions read as plain text reports (besides files with no extension).
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
#: Extensions read as JSON Lines, one record per line.
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
#: Extensions read as one JSON value (an object or an array of objects).
JSON_SUFFIXES = frozenset({".json"})
#: Extensions read as HTML pages.
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
#: Extensions a folder scan reads as possible feeds (the content decides: see looks_like_feed).
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
#: Extensions read from folders ("" = files with no extension).
READ_SUFFIXES = (
    TEXT_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | {""}
)

_ENCODINGS_HINT = (
    "Harbinger reads UTF-8, UTF-16 with a byte-order mark, Windows-1256 and Windows-1252/Latin-1; "
    "re-save the file as UTF-8"
)
# Control characters that text never holds (tab, newline, CR, vertical tab and form feed aside).
# C1 controls count too: they appear when bytes of another encoding are read as Latin-1/UTF-16.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Above this share of control characters a "text" is binary data (random bytes have ~25%).
_MAX_CONTROL_SHARE = 0.02
# cp1256 puts Arabic letters where Latin-1 has accented capitals, so any Latin-1 text decodes in
# cp1256 too; these thresholds tell the two apart (see looks_arabic).
_MIN_ARABIC_SHARE = 0.6
_MAX_MIXED_SHARE = 0.2
_MIN_IN_WORDS = 0.5
_BOMS = (
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff"


def looks_arabic(text: str) -> bool:
    """Whether text decoded as cp1256 is Arabic rather than misread Latin-1/cp1252.

    In real Arabic most non-ASCII characters are Arabic letters, and they come in words of their
    own: runs of Arabic letters, not isolated ones. Latin-1 read as cp1256 also yields Arabic
    letters (``ß``, ``É`` and friends land on them), but those sit inside Latin words, next to
    ASCII letters (``Straße`` becomes ``Stra`` + an Arabic letter + ``e``), and French accents
    stay Latin (cp1256 keeps é, è, à ... where Latin-1 has them).
    """
    high = [i for i, ch in enumerate(text) if ord(ch) > 0x7F]
    arabic = [i for i in high if _is_arabic(text[i])]
    if not high or len(arabic) < _MIN_ARABIC_SHARE * len(high):
        return False

    def ascii_letter(j: int) -> bool:
        return 0 <= j < len(text) and text[j].isascii() and text[j].isalpha()

    def arabic_letter(j: int) -> bool:
        return 0 <= j < len(text) and _is_arabic(text[j])

    mixed = sum(1 for i in arabic if ascii_letter(i - 1) or ascii_letter(i + 1))
    in_words = sum(1 for i in arabic if arabic_letter(i - 1) or arabic_letter(i + 1))
    return mixed <= _MAX_MIXED_SHARE * len(arabic) and in_words >= _MIN_IN_WORDS * len(arabic)


def _check_not_binary(text: str, source: str, encoding: str) -> None:
    controls = len(_CONTROL.findall(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise UnreadableInput(
            source,
            f"looks binary: {controls:,} of its {len(text):,} characters (read as {encoding}) are "
            "control characters; Harbinger reads text files only",
        )


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode the bytes of a text file; return the text and the name of the encoding used.

    Raise ``UnreadableInput`` for binary content and ``EncodingError`` for bytes that are text in
    no supported encoding. ``source`` names the input in messages and logs.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    source,
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"({exc.reason} at byte {exc.start}); {_ENCODINGS_HINT}",
                ) from None
            _check_not_binary(text, source, encoding)
            return text, encoding
    nul = data.find(b"\x00")
    if nul >= 0:
        # UTF-16 without a BOM has a NUL in every other byte; say so, it is fixable.
        odd, even = data[1::2], data[0::2]
        if len(data) >= 4 and (odd.count(0) >= 0.9 * len(odd) or even.count(0) >= 0.9 * len(even)):
            raise EncodingError(
                source, f"looks like UTF-16 without a byte-order mark; {_ENCODINGS_HINT}"
            )
        raise UnreadableInput(
            source, f"looks binary: it contains NUL bytes (the first at byte {nul:,})"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start:,}"
    else:
        _check_not_binary(text, source, "utf-8")
        return text, "utf-8"

    # Not UTF-8: a legacy single-byte encoding. Arabic outlets still publish Windows-1256; western
    # ones Windows-1252 (a superset of Latin-1's printable characters).
    arabic = data.decode("cp1256")  # every byte is defined in cp1256: this cannot fail
    if looks_arabic(arabic):
        _check_not_binary(arabic, source, "cp1256")
        logger.warning(
            "%s: not UTF-8 (%s); read as Windows-1256 because its non-ASCII bytes decode to "
            "Arabic words",
            source,
            utf8_error,
        )
        return arabic, "cp1256"
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        # The bytes cp1252 leaves undefined are C1 control codes in Latin-1, which no Latin-1
        # text contains: the file is in some other encoding.
        raise EncodingError(
            source,
            f"is not UTF-8 ({utf8_error}), does not read as Arabic in Windows-1256, and byte "
            f"0x{data[exc.start]:02x} at {exc.start:,} is not Windows-1252/Latin-1 text; "
            f"{_ENCODINGS_HINT}",
        ) from None
    _check_not_binary(western, source, "cp1252")
    logger.warning(
        "%s: not UTF-8 (%s); read as Windows-1252/Latin-1 (its non-ASCII bytes are not Arabic "
        "words in Windows-1256)",
        source,
        utf8_error,
    )
    return western, "cp1252"


# -- sniffing the kind of a file ----------------------------------------------------------------

# Bytes looked at to sniff what a file or response is.
_HEAD_BYTES = 4096
# Whatever may come before the first element: the XML declaration and other processing
# instructions, comments, a doctype, whitespace.
_PROLOGUE = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.IGNORECASE | re.DOTALL)
_FIRST_TAG = re.compile(r"<([A-Za-z][\w.:-]*)")
_HTML_DOCTYPE = re.compile(r"<!DOCTYPE\s+html", re.IGNORECASE)
_HTML_ROOTS = frozenset({"html", "head", "body"})
# Root elements of RSS 0.9x/2.0, Atom, and RSS 1.0 (RDF).
_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf"})


def _head_text(data: bytes) -> str:
    """The first few kilobytes as text: enough to find tags, not to read the document."""
    head = data[:_HEAD_BYTES]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore")
    # Latin-1 maps every byte to a character, so ASCII markup survives whatever the encoding.
    return head.decode("latin-1")


def first_element(data: bytes) -> str | None:
    """The lower-cased name of the first element (``rss``, ``feed``, ``html`` ...), or None.

    The XML declaration, comments, a doctype and whitespace before it are passed over. ``None``
    when the data does not start with markup (plain text, binary data).
    """
    text = _head_text(data).lstrip("\ufeff")
    prologue = _PROLOGUE.match(text)
    found = _FIRST_TAG.match(text, prologue.end() if prologue else 0)
    return found.group(1).lower() if found else None


def looks_like_feed(data: bytes) -> bool:
    """Whether the bytes are an RSS or Atom feed: their first element is rss, feed or rdf:RDF."""
    root = first_element(data)
    if root is None:
        return False
    # A prefixed root (<atom:feed>) is still a feed.
    return root in _FEED_ROOTS or root.rsplit(":", 1)[-1] in {"rss", "feed"}


def looks_like_html(data: bytes) -> bool:
    """Whether the bytes are an HTML page: an HTML doctype, or <html>/<head>/<body> first."""
    if _HTML_DOCTYPE.search(_head_text(data)[:1024]):
        return True
    return first_element(data) in _HTML_ROOTS


def url_of(given: str | Path) -> str | None:
    """The http(s) URL an argument names, or None for a path.

    ``pathlib`` collapses the ``//`` of a URL turned into a ``Path`` (``https:/host/page``); the
    CLI's arguments are Paths, so such a path is read as the URL it was.
    """
    text = str(given)
    if is_url(text):
        return text
    if isinstance(given, Path):
        mangled = re.match(r"^(https?):/(?!/)(.+)$", given.as_posix(), re.IGNORECASE)
        if mangled:
            return f"{mangled.group(1)}://{mangled.group(2)}"
    return None


# -- reading files -----------------------------------------------------------------------------


def read_file_bytes(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, source: str | None = None
) -> bytes:
    """The bytes of one regular file; raise an ``InputError`` subclass when it is bad.

    The size is checked with ``stat`` before reading, so a huge file costs nothing; a file that
    grows past the limit while being read is caught too. An empty file raises ``EmptyInput``.
    """
    name = source if source is not None else str(path)
    info = _regular_file(path, name)
    if info.st_size > max_bytes:
        raise UnreadableInput(name, _too_large(info.st_size, max_bytes))
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise UnreadableInput(name, _NO_PERMISSION) from None
    except OSError as exc:
        raise UnreadableInput(name, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise UnreadableInput(name, _too_large(len(data), max_bytes, growing=True))
    if not data:
        raise EmptyInput(name, "is empty (0 bytes)")
    return data


_NO_PERMISSION = "permission denied: the file cannot be opened for reading; check its permissions"


def _regular_file(path: str | Path, name: str) -> os.stat_result:
    """``stat`` of a path that must be a regular file; raise ``UnreadableInput`` saying why not."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise UnreadableInput(
                name, "is a broken symbolic link (its target is missing)"
            ) from None
        raise UnreadableInput(name, "no such file or folder; check the path") from None
    except PermissionError:
        raise UnreadableInput(
            name, "permission denied while looking up the path; check the folder's permissions"
        ) from None
    except OSError as exc:
        raise UnreadableInput(name, f"cannot be read: {exc.strerror or exc}") from None
    for is_kind, kind in _FILE_KINDS:
        if is_kind(info.st_mode):
            # Opening a FIFO or device would block or read forever: never open one.
            raise UnreadableInput(name, f"is {kind}, not a regular file; only files are read")
    return info


def _decode_text(data: bytes, name: str) -> str:
    text, _encoding = decode_bytes(data, name)
    if not text.strip():
        raise EmptyInput(name, f"contains only whitespace ({len(data):,} bytes)")
    check_text(text, name)
    return text


def check_text(text: str, source: str) -> None:
    """The checks a file's text passes, for text that comes some other way (the API): raise
    ``EmptyInput`` for text with no words and ``UnreadableInput`` for text that looks binary."""
    if not text.strip():
        raise EmptyInput(source, "contains only whitespace")
    _check_not_binary(text, source, "text")
    if not any(ch.isalnum() for ch in text):
        raise EmptyInput(source, "contains no letters or digits")


def read_text_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, source: str | None = None
) -> str:
    """The decoded text of one regular file; raise an ``InputError`` subclass when it is bad.

    The size is checked with ``stat`` before reading, so a huge file costs nothing; a file that
    grows past the limit while being read is caught too.
    """
    name = source if source is not None else str(path)
    return _decode_text(read_file_bytes(path, max_bytes=max_bytes, source=name), name)


def _too_large(size: int, max_bytes: int, *, growing: bool = False) -> str:
    what = "grew past" if growing else f"is {size:,} bytes, over"
    return (
        f"{what} the limit of {max_bytes:,} bytes; raise the limit "
        "(max_bytes= / Settings.max_document_bytes) or split the file"
    )


def with_language(item: Document | Skipped) -> Document | Skipped:
    """A document whose body is mostly Arabic script gets ``language="ar"`` (from the script
    alone: no model); others keep the language they were read with."""
    if (
        isinstance(item, Document)
        and item.language != "ar"
        and detect_language(item.text[item.body_start :]) == "ar"
    ):
        return dataclasses.replace(item, language="ar")
    return item


def iter_content(
    data: bytes,
    source: str,
    *,
    suffix: str = "",
    fetched: Fetched | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Document | Skipped]:
    """Documents from the bytes of one file or response; bad content yields ``Skipped``.

    A document written mostly in Arabic script is marked ``language="ar"`` (``with_language``).
    """
    for item in _iter_content(data, source, suffix=suffix, fetched=fetched, fetcher=fetcher):
        yield with_language(item)


def _iter_content(
    data: bytes,
    source: str,
    *,
    suffix: str = "",
    fetched: Fetched | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Document | Skipped]:
    """``iter_content`` before the language is set from the script.

    What the bytes are is decided in this order: JSON Lines / JSON by extension; a feed by its
    first element (whatever the extension or media type); an HTML page by extension, media type
    or its doctype / first element; XML that is neither is skipped; anything else is plain text.
    ``suffix`` is the file's extension (lower case); ``fetched`` the response the bytes came
    from (its URL and media type); ``fetcher`` fetches the pages a feed's entries link to.
    """
    try:
        if suffix in JSONL_SUFFIXES:
            yield from iter_jsonl(Path(source), _decode_text(data, source))
        elif suffix in JSON_SUFFIXES:
            yield from iter_json(Path(source), _decode_text(data, source))
        elif looks_like_feed(data):
            from harbinger.ingest.feeds import iter_feed

            yield from iter_feed(
                data,
                source,
                fetcher=fetcher,
                url=fetched.url if fetched else None,
                content_type=fetched.content_type if fetched else None,
            )
        elif fetched is not None:
            from harbinger.ingest.html import read_page

            yield read_page(fetched, source)
        elif suffix in HTML_SUFFIXES or looks_like_html(data):
            from harbinger.ingest.html import read_html

            yield read_html(data, source)
        elif suffix in FEED_SUFFIXES and first_element(data) is not None:
            root = first_element(data)
            yield Skipped(
                source,
                f"is XML whose first element is <{root}>, not an RSS or Atom feed "
                "(<rss>, <feed> or <rdf:RDF>)",
            )
        else:
            yield parse_text(_decode_text(data, source), source)
    except InputError as exc:
        yield Skipped(exc.source, exc.reason, exc.line)


def iter_url(url: str, *, fetcher: Fetcher) -> Iterator[Document | Skipped]:
    """Documents from a URL: a page, or every entry of a feed; failures yield ``Skipped``."""
    try:
        fetched = fetcher.get(url)
    except InputError as exc:
        yield Skipped(exc.source, exc.reason, exc.line)
        return
    yield from iter_content(fetched.data, url, fetched=fetched, fetcher=fetcher)


def _iter_jsonl_file(path: Path, source: str, max_bytes: int) -> Iterator[Document | Skipped]:
    """A local JSON Lines file, read one line at a time: the file may be of any size (an export
    of a hundred thousand articles), each line (one record) at most ``max_bytes``.

    Lines are UTF-8 (a BOM on the first is dropped); a line that is not is decoded as
    :func:`decode_bytes` decodes a file. A line with NUL bytes, or that reads as binary, ends the
    file (one skip, not one per line); UTF-16 and UTF-32 files, whose lines cannot be cut as
    bytes, are read whole, within ``max_bytes``.
    """
    try:
        info = _regular_file(path, source)
        if info.st_size == 0:
            raise EmptyInput(source, "is empty (0 bytes)")
        handle = open(path, "rb")  # noqa: SIM115 (a with-block follows, once it is open)
    except PermissionError:
        yield Skipped(source, _NO_PERMISSION)
        return
    except OSError as exc:
        yield Skipped(source, f"cannot be read: {exc.strerror or exc}")
        return
    except InputError as exc:
        yield Skipped(exc.source, exc.reason, exc.line)
        return
    with handle:
        head = handle.read(4)
        if any(head.startswith(bom) for bom, encoding in _BOMS if encoding != "utf-8-sig"):
            handle.close()
            yield from _iter_file(path, source, max_bytes, None, whole=True)
            return
        handle.seek(0)
        records = 0
        number = 0
        while raw := handle.readline(max_bytes + 1):
            number += 1
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of the line, a MB at a time
                    raw = handle.readline(1 << 20)
                yield Skipped(
                    source,
                    f"the line is longer than the limit of {max_bytes:,} bytes for one record; "
                    "raise the limit (max_bytes= / Settings.max_document_bytes)",
                    number,
                )
                continue
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if not raw.strip():
                continue
            try:
                if b"\x00" in raw:
                    raise UnreadableInput(source, "looks binary: it contains NUL bytes")
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    text, _encoding = decode_bytes(raw, f"{source}:{number}")
            except EncodingError as exc:
                yield Skipped(source, exc.reason, number)
                continue
            except UnreadableInput as exc:
                yield Skipped(source, exc.reason, number)
                return
            records += 1
            yield from map(with_language, iter_jsonl_lines(Path(source), [(number, text)]))
        if not records:
            yield Skipped(source, f"contains only whitespace ({info.st_size:,} bytes)")


def _iter_file(
    path: Path, source: str, max_bytes: int, fetcher: Fetcher | None, *, whole: bool = False
) -> Iterator[Document | Skipped]:
    if path.suffix.lower() in JSONL_SUFFIXES and not whole:
        yield from _iter_jsonl_file(path, source, max_bytes)
        return
    try:
        data = read_file_bytes(path, max_bytes=max_bytes, source=source)
    except InputError as exc:
        yield Skipped(exc.source, exc.reason, exc.line)
        return
    yield from iter_content(data, source, suffix=path.suffix.lower(), fetcher=fetcher)


@dataclass(frozen=True, slots=True)
class FolderListing:
    """The files of a folder tree that are read (relative paths, in reading order), and problems.

    ``problems`` are sub-folders that could not be listed; ``ignored`` files whose extension is
    not read.
    """

    files: tuple[str, ...]
    problems: tuple[Skipped, ...] = ()
    ignored: tuple[str, ...] = ()


def list_folder(path: Path, source: str) -> FolderListing:
    """The files to read under ``path``, recursively, hidden files and folders left out."""
    listing_errors: list[OSError] = []
    found: list[tuple[tuple[str, ...], str]] = []
    ignored: list[str] = []
    for root, dirs, files in os.walk(path, onerror=listing_errors.append):
        # Hidden folders (.git, .cache) hold no reports; sorting makes the order reproducible.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel_root = os.path.relpath(root, path)
        for name in files:
            if name.startswith("."):
                continue
            rel = name if rel_root == "." else os.path.join(rel_root, name)
            if Path(name).suffix.lower() in READ_SUFFIXES:
                found.append((Path(rel).parts, rel))
            else:
                ignored.append(rel)
    problems: list[Skipped] = []
    for error in listing_errors:
        where = error.filename if isinstance(error.filename, str) else source
        if isinstance(error, PermissionError):
            problems.append(Skipped(where, "permission denied: the folder cannot be listed"))
        else:
            problems.append(
                Skipped(where, f"the folder cannot be listed: {error.strerror or error}")
            )
    return FolderListing(
        files=tuple(rel for _parts, rel in sorted(found)),
        problems=tuple(problems),
        ignored=tuple(sorted(ignored)),
    )


def _iter_folder(
    path: Path, source: str, max_bytes: int, fetcher: Fetcher
) -> Iterator[Document | Skipped]:
    listing = list_folder(path, source)
    yield from listing.problems
    if not listing.files:
        if listing.problems:
            return
        readable = ", ".join(sorted(READ_SUFFIXES - {""}))
        reason = f"the folder holds no files to read (looked for {readable} or no extension)"
        if listing.ignored:
            reason += f"; ignored {len(listing.ignored)} other file(s), e.g. {listing.ignored[0]}"
        yield Skipped(source, reason)
        return
    for rel in listing.files:
        yield from _iter_file(path / rel, os.path.join(source, rel), max_bytes, fetcher)


def iter_documents(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetcher: Fetcher | None = None,
) -> Iterator[Document | Skipped]:
    """Documents from files, folders and URLs; each bad input yields a ``Skipped``, the batch goes on.

    ``.jsonl``/``.ndjson`` files are JSON Lines, ``.json`` files one object or an array of
    objects, feeds (sniffed, see the module docstring) one document per entry, HTML pages their
    main text, everything else plain text with an optional header. Files larger than
    ``max_bytes`` are skipped, not truncated. ``Document.source`` is the path or URL as given
    (joined with the path inside a given folder; a feed entry's is its link). ``fetcher`` sets
    the limits of downloads (default: a ``Fetcher`` with ``max_bytes`` as its size cap). Bad input
    never raises; a bad argument (``max_bytes`` < 1) does.
    """
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be at least 1, got {max_bytes}")
    fetcher = fetcher or Fetcher(max_bytes=max_bytes)
    if isinstance(paths, (str, Path)):
        # A lone path is a common slip; iterating a string would read one file per character.
        paths = [paths]
    for given in paths:
        url = url_of(given)
        if url is not None:
            yield from iter_url(url, fetcher=fetcher)
            continue
        source = str(given)
        path = Path(given)
        try:
            is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_folder = False  # read_file_bytes reports what is wrong with the path
        if is_folder:
            yield from _iter_folder(path, source, max_bytes, fetcher)
        else:
            yield from _iter_file(path, source, max_bytes, fetcher)
