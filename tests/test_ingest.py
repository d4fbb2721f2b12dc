"""Tests of the ingest stage: header parsing, document ids, JSON Lines, and bad inputs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import harbinger.ingest as ingest
import harbinger.ingest.reader as reader
from harbinger.errors import EmptyInput, EncodingError, InputError, UnreadableInput
from harbinger.ingest import (
    decode_bytes,
    document_id,
    iter_documents,
    iter_jsonl,
    parse_date_line,
    parse_header,
    parse_text,
    read_text_file,
)
from harbinger.records import Document, Skipped

DATA = Path(__file__).parent / "data" / "ingest"
AUG_11 = dt.date(2019, 8, 11)


def one(path: str | Path, **kwargs: int) -> Document | Skipped:
    results = list(iter_documents([path], **kwargs))
    assert len(results) == 1, results
    return results[0]


def skipped(path: str | Path, **kwargs: int) -> Skipped:
    result = one(path, **kwargs)
    assert isinstance(result, Skipped), result
    return result


def document(path: str | Path, **kwargs: int) -> Document:
    result = one(path, **kwargs)
    assert isinstance(result, Document), result
    return result


def test_all_matches_public_names() -> None:
    public = {
        name
        for name, value in vars(ingest).items()
        if not name.startswith("_") and not isinstance(value, ModuleType) and name != "annotations"
    }
    assert set(ingest.__all__) == public


# --- dates and header lines -------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "2019 / 8 / 11",
        "2019/08/11",
        "2019-08-11",
        "11 August 2019",
        "August 11, 2019",
        "Sunday, 11 August 2019",
        "Published: August 11, 2019",
        "Date: 2019 / 8 / 11",
        "Published on 11 Aug 2019 10:30 GMT",
        # "11/08/2019" is no longer read alone: day-first and month-first both make a date (see
        # tests/test_headers.py, which checks it is settled by the dateline or left unread).
    ],
)
def test_date_line_shapes(line: str) -> None:
    assert parse_date_line(line) == AUG_11


@pytest.mark.parametrize(
    "line",
    [
        "Warnings about the return of Daesh !!",
        "May 5 attacks shake Mosul",
        "Daesh returns in 2019",
        "August 2019",
        "2019 / 13 / 40",
        "Date palms burn near Basra",
        "The attack of 11 August 2019 left four dead and many more wounded in the town",
    ],
)
def test_titles_are_never_dates(line: str) -> None:
    assert parse_date_line(line) is None


def test_title_author_slash_date() -> None:
    doc = document(DATA / "slash_date.txt")
    assert doc.title == "Night raids return to the villages south of Kirkuk"
    assert doc.author == "Mariam Haddad"
    assert doc.published == dt.date(2021, 3, 14)
    assert doc.text[doc.body_start :].startswith("Residents of three villages")
    assert doc.source == str(DATA / "slash_date.txt")
    assert doc.language == "en"
    assert doc.ingested_at is None
    assert doc.url is None


def test_by_author_and_weekday_date() -> None:
    doc = document(DATA / "month_name_date.txt")
    assert doc.title == "Border guards report more crossings near Al-Qaim"
    assert doc.author == "Omar Saleh"  # "By" stripped
    assert doc.published == AUG_11
    assert doc.text[doc.body_start :].startswith("Guards on the Iraqi-Syrian frontier")


def test_author_after_date_without_blank_lines() -> None:
    doc = document(DATA / "date_then_author.txt")
    assert doc.title == "Why the desert matters again"
    assert doc.published == AUG_11
    assert doc.author == "Layla Mansour"
    assert doc.text[doc.body_start :].startswith("The Badia is wide")


def test_text_without_header() -> None:
    doc = document(DATA / "no_header.txt")
    assert (doc.title, doc.author, doc.published, doc.body_start) == (None, None, None, 0)


def test_text_is_kept_exactly_and_body_start_indexes_it() -> None:
    raw = (DATA / "slash_date.txt").read_text(encoding="utf-8")
    doc = parse_text(raw, "x")
    assert doc.text == raw  # the repairs are not applied to Document.text
    assert " .The army" in doc.text


def test_title_is_repaired_and_crlf_header() -> None:
    text = (
        "Warnings  about the return of Daesh !!\r\n\r\n"
        "Jalal Alasady\r\n\r\n2019 / 8 / 11\r\n\r\nBody."
    )
    header = parse_header(text)
    assert header.title == "Warnings about the return of Daesh!!"
    assert header.author == "Jalal Alasady"
    assert header.published == AUG_11
    assert text[header.body_start :] == "Body."


def test_short_lines_that_are_not_authors() -> None:
    # A sentence with a period, a lowercase line, and a long line are body, not authors.
    for second in ["Security is worse.", "more attacks were reported", "A B C D E F G H"]:
        header = parse_header(f"Title here\n\n{second}\n\nBody text.")
        assert header.author is None, second
        assert header.title == "Title here"


def test_single_line_text_is_all_body() -> None:
    header = parse_header("Only one line here")
    assert header == ingest.HeaderInfo(None, None, None, 0)


def test_text_opening_with_a_date() -> None:
    header = parse_header("2019-08-11\n\nThe body starts here and goes on.")
    assert header.title is None
    assert header.published == AUG_11
    assert header.body_start == len("2019-08-11\n\n")


def test_markdown_heading_marker_is_not_in_the_title() -> None:
    assert parse_header("# A heading\n\nBody text.").title == "A heading"


_header_lines = st.sampled_from(
    ["Title", "By Jane Roe", "2019 / 8 / 11", "August 11, 2019", "", "  ", "Body text here."]
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.lists(_header_lines, max_size=8).map("\n".join), st.text(max_size=80)))
def test_header_parsing_never_fails_and_body_start_is_in_range(text: str) -> None:
    doc = parse_text(text, "x")
    assert doc.text == text
    assert 0 <= doc.body_start <= len(text)
    assert doc.title is None or doc.title.strip() == doc.title != ""


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_decode_bytes_raises_only_input_errors(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "x")
    except InputError:
        return
    assert encoding in {"utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1256", "cp1252"}
    assert isinstance(text, str)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_jsonl_reader_never_raises(text: str) -> None:
    for result in iter_jsonl(Path("x.jsonl"), text):
        assert isinstance(result, Document | Skipped)


# --- document ids ---------------------------------------------------------------------------------


def test_id_is_stable_across_whitespace_line_endings_and_encodings(tmp_path: Path) -> None:
    text = "Title\n\n2019-08-11\n\nفي الموصل, the café was closed .\n"
    variants = {
        "utf8.txt": text.encode("utf-8"),
        "bom.txt": text.encode("utf-8-sig"),
        "utf16.txt": text.encode("utf-16"),
        "crlf_trailing.txt": (text.replace("\n", "\r\n") + "   \n\n").encode("utf-8"),
        "cp1256.txt": text.encode("cp1256"),
    }
    ids = set()
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        ids.add(document(tmp_path / name).id)
    assert ids == {document_id(text)}
    assert len(document_id(text)) == 64
    assert document_id(text) != document_id(text.replace("closed", "open"))


# --- encodings -----------------------------------------------------------------------------------


def test_windows_1256_arabic_and_english(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = (
        "تقرير أمني\n\nاستهدف هجوم نقطة تفتيش قرب الموصل.\nAn attack hit a checkpoint near Mosul.\n"
    )
    path = tmp_path / "arabic.txt"
    path.write_bytes(text.encode("cp1256"))
    with caplog.at_level(logging.WARNING, logger="harbinger.ingest.reader"):
        doc = document(path)
    assert doc.text == text
    assert "Windows-1256" in caplog.text


def test_latin1_cafe(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "Le café près de la gare, à Mossoul, a rouvert. Straße, Ñandú, Éric.\n"
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    with caplog.at_level(logging.WARNING, logger="harbinger.ingest.reader"):
        doc = document(path)
    assert doc.text == text
    assert "café" in doc.text
    assert "Windows-1252" in caplog.text


def test_utf16_with_bom_and_without(tmp_path: Path) -> None:
    text = "Title line\n\nSome body text.\n"
    (tmp_path / "with_bom.txt").write_bytes(text.encode("utf-16"))
    assert document(tmp_path / "with_bom.txt").text == text
    (tmp_path / "no_bom.txt").write_bytes(text.encode("utf-16-le"))
    assert "UTF-16 without a byte-order mark" in skipped(tmp_path / "no_bom.txt").reason


def test_undecodable_bytes() -> None:
    # Not UTF-8; 0x81 and 0x8d are undefined in cp1252; too few high bytes look Arabic.
    data = b"Plain words \x81 then \x8d more words here and there."
    with pytest.raises(EncodingError, match="Windows-1252"):
        decode_bytes(data, "x.txt")


# --- bad inputs: each a Skipped with a specific reason, and the batch goes on --------------------


def test_missing_file(tmp_path: Path) -> None:
    result = skipped(tmp_path / "nope.txt")
    assert "no such file" in result.reason
    assert result.source == str(tmp_path / "nope.txt")


def test_broken_symlink(tmp_path: Path) -> None:
    (tmp_path / "link.txt").symlink_to(tmp_path / "gone.txt")
    assert "broken symbolic link" in skipped(tmp_path / "link.txt").reason


def test_folder_with_nothing_readable(tmp_path: Path) -> None:
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    result = skipped(tmp_path)
    assert "holds no files to read" in result.reason
    assert "picture.png" in result.reason


def test_empty_folder(tmp_path: Path) -> None:
    assert "holds no files to read" in skipped(tmp_path).reason


def test_binary_file_with_nuls(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"GIF89a\x00\x01\x02\x00binary\x00")
    assert "NUL bytes" in skipped(path).reason


def test_binary_file_with_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    path.write_bytes(bytes(range(1, 9)) * 20 + b"some text")
    assert "control characters" in skipped(path).reason


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "is empty (0 bytes)" in skipped(path).reason


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\t\r\n  \n")
    assert "only whitespace" in skipped(path).reason
    with pytest.raises(EmptyInput):
        read_text_file(path)


def test_file_over_a_small_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    reason = skipped(path, max_bytes=100).reason
    assert "500 bytes, over the limit of 100 bytes" in reason
    assert "max_bytes" in reason
    assert isinstance(one(path, max_bytes=500), Document)  # the limit is inclusive


def test_real_50_mb_file_is_skipped_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        chunk = b"Daesh " * 100_000
        for _ in range(50_000_000 // len(chunk) + 1):
            handle.write(chunk)
    size = path.stat().st_size
    assert size > 50_000_000
    reason = skipped(path).reason
    assert f"{size:,} bytes, over the limit of 5,000,000 bytes" in reason


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    # Opening a FIFO with no writer would block forever; it must be refused from stat alone.
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert "FIFO (named pipe), not a regular file" in skipped(path).reason


def test_permission_denied_real(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Title\n\nBody.", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: file permissions do not stop reading")
        assert "permission denied" in skipped(path).reason
    finally:
        path.chmod(0o600)


def test_permission_denied_emulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests run as root, for whom chmod 000 does not stop reading, so the OS error is
    # emulated: the reader's open() raises PermissionError exactly as the kernel would.
    path = tmp_path / "secret.txt"
    path.write_text("Title\n\nBody.", encoding="utf-8")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(reader, "open", denied, raising=False)
    result = skipped(path)
    assert "permission denied" in result.reason
    with pytest.raises(UnreadableInput, match="permission denied"):
        read_text_file(path)


def test_a_batch_goes_on_past_bad_inputs(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    results = list(
        iter_documents([tmp_path / "missing.txt", tmp_path / "empty.txt", DATA / "slash_date.txt"])
    )
    assert [type(r).__name__ for r in results] == ["Skipped", "Skipped", "Document"]


def test_folder_is_read_recursively_sorted_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.md").write_text("Z title\n\nZ body.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A title\n\nA body.", encoding="utf-8")
    (tmp_path / "NOEXT").write_text("N title\n\nN body.", encoding="utf-8")
    (tmp_path / ".git" / "c.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")
    results = list(iter_documents([str(tmp_path)]))
    assert all(isinstance(r, Document) for r in results)
    assert [r.source for r in results] == [
        os.path.join(str(tmp_path), name) for name in ["NOEXT", "a.txt", os.path.join("b", "z.md")]
    ]


def test_a_single_path_string_is_one_input() -> None:
    results = list(iter_documents(str(DATA / "slash_date.txt")))  # type: ignore[arg-type]
    assert len(results) == 1


# --- JSON Lines ---------------------------------------------------------------------------------


def test_jsonl_good_bad_and_missing_text() -> None:
    results = list(iter_documents([DATA / "mixed.jsonl"]))
    docs = [r for r in results if isinstance(r, Document)]
    skips = [r for r in results if isinstance(r, Skipped)]
    assert len(docs) == 1
    assert [s.line for s in skips] == [2, 3]
    assert "not valid JSON" in skips[0].reason
    assert "no 'text' key" in skips[1].reason
    assert skips[0].message().startswith(f"skipped {DATA / 'mixed.jsonl'}:2: ")
    doc = docs[0]
    assert doc.source == f"{DATA / 'mixed.jsonl'}:1"
    assert doc.url == "https://example.org/a"
    # No title or date in the object: header detection on its text found them.
    assert doc.title == "Checkpoint attacked"
    assert doc.published == dt.date(2022, 5, 2)
    assert doc.text[doc.body_start :].startswith("Gunmen fired")


def test_a_jsonl_file_is_read_line_by_line_whatever_its_size(tmp_path: Path) -> None:
    # Forty records of about 100 bytes against a 1,000-byte limit: the limit holds for a line (one
    # record), not for the file, so an export of any size is read.
    lines = [
        json.dumps({"text": f"Report {i}. Gunmen attacked a checkpoint near Mosul."})
        for i in range(40)
    ]
    long_line = json.dumps({"text": "word " * 400})
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join([*lines[:20], long_line, "", *lines[20:]]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 3_000
    results = list(iter_documents([path], max_bytes=1_000))
    docs = [r for r in results if isinstance(r, Document)]
    skips = [r for r in results if isinstance(r, Skipped)]
    assert [d.text.split(".")[0] for d in docs] == [f"Report {i}" for i in range(40)]
    assert docs[25].source == f"{path}:28"  # line numbers count the long and the blank line
    assert len(skips) == 1 and skips[0].line == 21
    assert "longer than the limit of 1,000 bytes for one record" in skips[0].reason


def test_a_jsonl_file_with_a_bom_a_legacy_line_and_binary_bytes(tmp_path: Path) -> None:
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": "First."}).encode() + b"\n")
    assert [r.text for r in iter_documents([bom]) if isinstance(r, Document)] == ["First."]
    legacy = tmp_path / "legacy.jsonl"
    legacy.write_bytes(
        json.dumps({"text": "Caf\u00e9 d\u00e9j\u00e0"}, ensure_ascii=False).encode("cp1252")
    )
    assert [r.text for r in iter_documents([legacy]) if isinstance(r, Document)] == ["Café déjà"]
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(json.dumps({"text": "ok"}).encode() + b"\n\x00\x01\x02\n\x00\x00\n")
    results = list(iter_documents([binary]))
    assert isinstance(results[0], Document)
    assert len(results) == 2 and isinstance(results[1], Skipped)  # one skip, not one per line
    assert results[1].line == 2 and "binary" in results[1].reason
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_text(json.dumps({"text": "Wide."}) + "\n", encoding="utf-16")
    assert [r.text for r in iter_documents([utf16]) if isinstance(r, Document)] == ["Wide."]
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"  \n\n")
    assert "only whitespace" in one(blank).reason  # type: ignore[union-attr]


def test_jsonl_fields_win_and_line_errors() -> None:
    lines = [
        {"text": "Head line\n\n2019-08-11\n\nBody.", "published": "2020-01-02", "title": "T"},
        {"text": "x", "published": "not a date at all"},
        {"text": "   "},
        ["not", "an", "object"],
        {"text": "Body only.", "source": "feed-7", "language": "ar", "author": "A. Writer"},
        {"text": "Body.", "published": "2019-08-11T10:00:00Z", "title": 5},
        {"text": "Body.", "published": "11 August 2019"},
    ]
    text = "\n".join(json.dumps(x) for x in lines) + "\n\n"
    results = list(iter_jsonl(Path("feed.jsonl"), text))
    assert len(results) == 7
    first, bad_date, empty, not_obj, fifth, bad_type, seventh = results
    assert isinstance(first, Document)
    assert first.published == dt.date(2020, 1, 2)  # the object's date wins
    assert first.title == "T"
    assert isinstance(bad_date, Skipped) and bad_date.line == 2
    assert "is not a date" in bad_date.reason
    assert isinstance(empty, Skipped) and "'text' is empty" in empty.reason
    assert isinstance(not_obj, Skipped) and "got list" in not_obj.reason
    assert isinstance(fifth, Document)
    assert (fifth.source, fifth.language, fifth.author) == ("feed-7", "ar", "A. Writer")
    assert isinstance(bad_type, Skipped) and "'title' must be a string" in bad_type.reason
    assert isinstance(seventh, Document) and seventh.published == AUG_11


def test_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"text": "One body."}, {"title": "no text"}]), encoding="utf-8")
    results = list(iter_documents([path]))
    assert isinstance(results[0], Document)
    assert results[0].source == f"{path}#1"
    assert isinstance(results[1], Skipped)
    assert results[1].reason.startswith("item 2: ")
