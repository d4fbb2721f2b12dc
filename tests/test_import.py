"""Import of ACLED, UCDP GED and GTD tables: mapping, malformed rows, idempotent re-import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from harbinger.cli import app
from harbinger.errors import InputError, MalformedRecord
from harbinger.ingest.tables import read_table
from harbinger.records import ImportedRow, Skipped
from harbinger.store import Store, store_table

DATA = Path(__file__).parent / "data" / "import"
ACLED = DATA / "acled_export.csv"
UCDP = DATA / "ucdp_ged.csv"
GTD = DATA / "gtd.csv"


def _split(path: Path, fmt: str) -> tuple[dict[str, ImportedRow], list[Skipped]]:
    rows: dict[str, ImportedRow] = {}
    skipped: list[Skipped] = []
    for item in read_table(path, fmt):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            rows[item.source_event_id] = item
    return rows, skipped


def test_malformed_acled_rows_are_skipped_with_their_line_numbers() -> None:
    rows, skipped = _split(ACLED, "acled")
    assert sorted(rows) == ["IRQ90001", "SYR90004"]
    by_line = {s.line: s.reason for s in skipped}
    assert sorted(by_line) == [3, 4, 6]
    assert "event_date is empty" in by_line[3]
    assert "fatalities 'two' is not a number" in by_line[4]
    assert "fields where the header has" in by_line[6]
    assert all(s.source == str(ACLED) for s in skipped)


def test_acled_row_is_stored_as_given() -> None:
    rows, _ = _split(ACLED, "acled")
    ev = rows["IRQ90001"].event
    assert (ev.event_type, ev.sub_event_type) == ("Battles", "Armed clash")
    assert ev.actor1 == "Military Forces of Iraq (2018-2020)"
    assert ev.actor2 == "Islamic State (Iraq)"
    # Text inter labels of the current export become ACLED's numbers.
    assert (ev.inter1, ev.inter2, ev.interaction) == (1, 2, 12)
    assert ev.date == dt.date(2019, 7, 21) and ev.time_precision == 1
    assert ev.place is not None
    assert (ev.place.admin1_code, ev.place.country_code) == ("IQ-NI", "IQ")
    assert (ev.place.name, ev.place.precision) == ("Badush", 2)
    assert (ev.place.latitude, ev.place.longitude) == (36.39, 42.99)
    assert ev.fatalities == 2
    assert ev.evidence[0].sentence.startswith("On 21 July 2019, Iraqi forces clashed")
    week = rows["SYR90004"].event
    assert week.date == dt.date(2019, 8, 11) and week.time_precision == 2
    assert week.place is not None and week.place.admin1_code == "SY-DY"
    assert (week.inter1, week.inter2) == (8, 2)


def test_acled_2020_layout_dates_are_read(tmp_path: Path) -> None:
    # ACLED's 2020 exports write event_date as D-Mon-YY ("21-Jul-19"); today's as YYYY-MM-DD.
    text = ACLED.read_text(encoding="utf-8").replace("IRQ90001,2019-07-21,", "IRQ90001,21-Jul-19,")
    assert "21-Jul-19" in text
    path = tmp_path / "acled_2020_layout.csv"
    path.write_text(text, encoding="utf-8")
    rows, _ = _split(path, "acled")
    assert rows["IRQ90001"].event.date == dt.date(2019, 7, 21)


def test_ucdp_rows_map_onto_acled_names_types_and_precision() -> None:
    rows, skipped = _split(UCDP, "ucdp")
    assert sorted(rows) == ["900001", "900002", "900006"]
    reasons = {s.line: s.reason for s in skipped}
    assert "date_prec 5" in reasons[4]
    assert "best 'many' is not a number" in reasons[5]
    assert "date_start is empty" in reasons[6]

    battle = rows["900001"].event
    assert (battle.event_type, battle.sub_event_type) == ("Battles", "Armed clash")
    assert battle.actor1 == "Military Forces of Syria (2000-2024)"
    assert battle.actor2 == "Islamic State (Syria)"
    assert (battle.inter1, battle.inter2) == (1, 2)
    assert battle.place is not None
    # "Dayr Az Zawr governorate" resolved through the gazetteer's governorate aliases.
    assert (battle.place.admin1_code, battle.place.admin1) == ("SY-DY", "Deir ez-Zor")
    assert battle.place.precision == 1
    assert (battle.fatalities, battle.fatalities_low, battle.fatalities_high) == (5, 4, 7)
    assert battle.id == "ucdp:900001"
    assert rows["900001"].coded.document.published == dt.date(2017, 5, 2)

    one_sided = rows["900002"].event
    assert (one_sided.event_type, one_sided.sub_event_type) == (
        "Violence against civilians",
        "Attack",
    )
    assert one_sided.actor2 == "Civilians (Syria)" and one_sided.inter2 == 7
    # date_prec 2 (2-6 days) -> ACLED week precision, dated on the middle day of the span.
    assert one_sided.date == dt.date(2017, 3, 3) and one_sided.time_precision == 2
    assert one_sided.place is not None and one_sided.place.precision == 3

    coalition = rows["900006"].event
    assert coalition.actor2 == "AAS: Ahrar al Sham"
    assert coalition.assoc_actor2 is not None and "Southern Front" in coalition.assoc_actor2


def test_gtd_rows_map_attack_types_targets_and_month_precision() -> None:
    rows, skipped = _split(GTD, "gtd")
    assert sorted(rows) == ["201707150001", "201708000002"]
    assert {s.line for s in skipped} == {4, 5}
    bomb = rows["201707150001"].event
    assert (bomb.event_type, bomb.sub_event_type) == ("Explosions/Remote violence", "Suicide bomb")
    assert bomb.actor1 == "Islamic State (Iraq)"
    assert bomb.actor2 is not None and bomb.actor2.startswith("Military Forces of Iraq")
    assert (bomb.fatalities, bomb.fatalities_low, bomb.wounded) == (5, 4, 12)
    assert bomb.place is not None and bomb.place.admin1_code == "IQ-NI"
    assault = rows["201708000002"].event
    assert (assault.event_type, assault.sub_event_type) == ("Violence against civilians", "Attack")
    assert assault.actor2 == "Civilians (Syria)"
    assert assault.date == dt.date(2017, 8, 15) and assault.time_precision == 3
    assert assault.place is not None and assault.place.precision == 2


def test_a_file_of_another_format_is_refused_with_a_hint() -> None:
    with pytest.raises(MalformedRecord) as info:
        list(read_table(UCDP, "acled"))
    message = str(info.value)
    assert "missing event_id_cnty" in message and "harbinger import ucdp" in message
    assert info.value.line == 1


def test_importing_twice_stores_once(fresh_db: Store) -> None:
    first = store_table(fresh_db, read_table(UCDP, "ucdp"), "ucdp", batch_size=2)
    # Of the three rows not stored, the year-only one is left out by design, not skipped.
    assert (first.rows, first.stored, first.already) == (6, 3, 0)
    assert (len(first.skipped), len(first.excluded)) == (2, 1)
    assert "date_prec 5" in first.excluded[0].reason
    counts = fresh_db.counts()
    second = store_table(fresh_db, read_table(UCDP, "ucdp"), "ucdp")
    assert (second.stored, second.already) == (0, 3)
    after = fresh_db.counts()
    assert (
        (after["documents"], after["events"]) == (counts["documents"], counts["events"]) == (3, 3)
    )
    stored = {e.source_event_id: e for e in fresh_db.events()}
    assert set(stored) == {"900001", "900002", "900006"}
    assert {e.origin for e in stored.values()} == {"ucdp"}
    assert stored["900001"].admin1_code == "SY-DY"
    assert stored["900001"].evidence[0].sentence.startswith("Invented headline")


def test_import_command_reports_skipped_lines_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The import adds the table's places to the gazetteer of the data dir: a temporary one.
    monkeypatch.setenv("HARBINGER_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'h.db'}"
    result = CliRunner().invoke(app, ["import", "gtd", str(GTD), "--db", url])
    assert result.exit_code == 1
    assert f"{GTD}:5" in result.output  # bad input: reported with its line
    # A year-only row (line 4) is valid GTD, left out by design: summarised, not listed.
    assert f"{GTD}:4" not in result.output
    assert "1 row left out: month unknown (imonth 0)" in result.output
    assert "2 new events stored from 4 rows" in result.output
    places = tmp_path / "data" / "gazetteer" / "places" / "gtd.tsv"
    assert "place(s) added to the gazetteer" in result.output and str(places) in result.output
    written = places.read_text(encoding="utf-8")
    again = CliRunner().invoke(app, ["import", "gtd", str(GTD), "--db", url])
    assert "0 new events" in again.output and "2 already stored" in again.output
    assert "0 place(s) added to the gazetteer" in again.output
    assert places.read_text(encoding="utf-8") == written  # re-importing writes the same file


def test_import_command_refuses_an_unknown_format() -> None:
    result = CliRunner().invoke(app, ["import", "icews", str(GTD)])
    assert result.exit_code == 2


def test_rows_left_out_by_design_are_summarised_and_exit_0(tmp_path: Path) -> None:
    """UCDP's own rows known only to their year are valid; ACLED drops them, so Harbinger does,
    and says so in one line per reason, with exit code 0 (#12 item 10)."""
    with UCDP.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keep = [r for r in rows if r["id"] in ("900001", "900002", "900006")]
    years = [dict(keep[0], id=str(990000 + i), date_prec="5") for i in range(3)]
    table = tmp_path / "clean.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(keep + years)
    result = CliRunner().invoke(
        app, ["import", "ucdp", str(table), "--db", f"sqlite:///{tmp_path / 'h.db'}"]
    )
    assert result.exit_code == 0, result.output
    assert "3 new events stored from 6 rows" in result.stderr
    assert "0 skipped; 3 left out by design." in result.stderr
    left_out = [line for line in result.stderr.splitlines() if "left out:" in line]
    assert left_out == [
        "harbinger: 3 rows left out: date known only to the year (date_prec 5): dropped, as "
        "ACLED drops it"
    ]


def _acled_rows(n: int) -> list[dict[str, str]]:
    with ACLED.open(encoding="utf-8", newline="") as fh:
        template = next(csv.DictReader(fh))
    return [dict(template, event_id_cnty=f"IRQ9{i:04d}") for i in range(n)]


def test_one_legacy_row_does_not_garble_a_utf8_table(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """#12 item 5: a UTF-8 export with one row pasted from a Windows-1252 file."""
    rows = _acled_rows(4)
    for row in rows:
        row["location"] = "الموصل"
    header = list(rows[0])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows[:3])
    data = buf.getvalue().encode("utf-8")
    legacy = dict(
        rows[3], location="Qayyarah", notes="On 21 July 2019, a caf\u00e9 was hit near Badush."
    )
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=header, lineterminator="\n").writerow(legacy)
    data += buf.getvalue().encode("cp1252")
    table = tmp_path / "mixed.csv"
    table.write_bytes(data)
    with caplog.at_level("WARNING"):
        items = list(read_table(table, "acled"))
    imported = [i for i in items if isinstance(i, ImportedRow)]
    assert len(imported) == 4
    assert [i.event.place.name for i in imported[:3] if i.event.place] != []
    texts = [i.coded.document.text for i in imported]
    assert not any("Ø" in t for t in texts)  # no mojibake of the Arabic rows
    assert "café" in texts[3]
    notice = " ".join(r.getMessage() for r in caplog.records)
    assert "1 line not UTF-8, read as Windows-1252" in notice and "line 5" in notice


def test_an_unclosed_quote_loses_no_row(tmp_path: Path) -> None:
    """#12 item 6: five rows, the second opens a quote it never closes."""
    rows = _acled_rows(5)
    header = list(rows[0])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    lines = buf.getvalue().splitlines(keepends=True)
    lines[2] = lines[2].replace('killed."', "killed.", 1)  # the notes' quote never closes
    table = tmp_path / "quote.csv"
    table.write_text("".join(lines), encoding="utf-8")
    items = list(read_table(table, "acled"))
    skipped = [i for i in items if isinstance(i, Skipped)]
    imported = [i for i in items if isinstance(i, ImportedRow)]
    assert len(imported) + len(skipped) == 5, items
    assert [s.line for s in skipped] == [3]
    assert "quoting is not closed" in skipped[0].reason
    assert sorted(i.source_event_id for i in imported) == [
        "IRQ90000",
        "IRQ90002",
        "IRQ90003",
        "IRQ90004",
    ]


def test_a_table_of_garbage_is_a_short_report(tmp_path: Path) -> None:
    """#12 item 7: a valid header, then hundreds of garbage lines: each counted, twenty listed,
    the rest summed up; the store keeps the first hundred and one line for the rest."""
    table = tmp_path / "garbage.csv"
    with UCDP.open(encoding="utf-8") as fh:
        header = fh.readline()
    table.write_text(header + "not,a,row\n" * 500, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'h.db'}"
    result = CliRunner().invoke(app, ["import", "ucdp", str(table), "--db", db])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len([line for line in lines if line.startswith("harbinger: skipped")]) == 20
    assert f"harbinger: ... and 480 more skipped in {table}" in lines
    assert "0 new events stored from 500 rows" in result.stderr
    with Store(db) as store:
        assert store.counts()["skipped"] == 101


_HEADERS = {
    fmt: path.read_text(encoding="utf-8").splitlines()[0]
    for fmt, path in (("acled", ACLED), ("ucdp", UCDP), ("gtd", GTD))
}


@given(
    fmt=st.sampled_from(sorted(_HEADERS)),
    body=st.binary(max_size=3000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8")),
    keep_header=st.booleans(),
)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_bytes_give_records_or_reasons_never_a_traceback(
    tmp_path: Path, fmt: str, body: bytes, keep_header: bool
) -> None:
    """#12: every table reader, fed any bytes, yields rows or skips with a line and a reason, or
    refuses the file with one InputError; no row of the file is lost uncounted."""
    path = tmp_path / "fuzz.csv"
    path.write_bytes((_HEADERS[fmt].encode("utf-8") + b"\n" if keep_header else b"") + body)
    try:
        items = list(read_table(path, fmt))
    except InputError as exc:
        assert str(path) in str(exc)
        return
    lines = path.read_bytes().count(b"\n") + 1
    for item in items:
        assert isinstance(item, ImportedRow | Skipped)
        line = item.line
        assert line is not None and 2 <= line <= lines, (line, lines)
        if isinstance(item, Skipped):
            assert item.reason
    # Every record the csv module sees is one item: rows in = stored + skipped + left out.
    starts = [i.line for i in items]
    assert len(starts) == len(set(starts))
