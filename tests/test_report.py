"""Situation reports in the three formats, on a store we fill with our own records."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.text import Text
from typer.testing import CliRunner

from harbinger.cli import app
from harbinger.records import Claim, CodedDocument, Document, Event, Evidence, Indicator, Place
from harbinger.report import ReportData, ReportError, collect, write_report
from harbinger.report.content import main_events, number, tracked_indicators
from harbinger.report.figures import draw_series, load_boundaries, map_figure, marker_size
from harbinger.report.pdf import pdf_pages
from harbinger.store import Store
from tests.test_warnings import distinct_text

MOSUL = Place("Mosul", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.34, 43.13, 1, "cur:mosul")
TAL_AFAR = Place("Tal Afar", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.37, 42.45, 1)
BAAJ = Place("Baaj", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.03, 41.72, 1)
NINEVEH = Place("Nineveh", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.2, 42.6, 3)
IRAQ = Place("Iraq", "Iraq", "IQ", None, None, None, 33.0, 44.0, 3)
EVIL = "<script>alert(1)</script><img src=x onerror=alert(1)>"
FIRST = dt.date(2019, 7, 1)


def _doc(n: int, first: str = "Clashes near Mosul", **fields: object) -> Document:
    return Document(
        f"doc-{n}",
        f"reports/r{n}.txt",
        distinct_text(str(n), first),
        published=FIRST + dt.timedelta(days=7 * (n % 6)),
        **fields,  # type: ignore[arg-type]
    )


def _event(n: int, fatalities: int, place: Place = MOSUL, **fields: object) -> Event:
    values: dict[str, object] = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "date": FIRST + dt.timedelta(days=n),
        "time_precision": 1,
        "actor1": "Military Forces of Iraq",
        "actor2": "Islamic State (Iraq)",
        "place": place,
        "fatalities": fatalities,
        "evidence": (Evidence(f"Clashes near Mosul {EVIL}", 0, 7),),
    }
    values.update(fields)
    return Event(f"ev-{n}", f"doc-{n}", **values)  # type: ignore[arg-type]


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    """Six weeks of clashes near Mosul (0 to 5 killed) and a warning said each week."""
    s = Store(f"sqlite:///{tmp_path / 'r.db'}")
    for i in range(6):
        claim = Claim(
            f"cl-{i}",
            f"doc-{i}",
            f"Governor {EVIL}",
            "warning",
            f"the group returns {EVIL}",
            place=MOSUL,
            evidence=(Evidence("x", 0, 1),),
        )
        ev = _event(i, i, date=FIRST + dt.timedelta(days=7 * i), actor1=f"Army {EVIL}")
        s.save(CodedDocument(_doc(i, f"Clashes near Mosul {EVIL}"), (ev,), (claim,)))
    return s


def _texts(fig: Figure) -> list[str]:
    """Every text drawn on a figure, its axes' included."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf"])
def test_formats(store: Store, tmp_path: Path, suffix: str) -> None:
    out = write_report(store, tmp_path / f"report{suffix}", region="IQ-NI")
    data = out.read_bytes()
    if suffix == ".pdf":
        assert data.startswith(b"%PDF") and len(data) > 10_000
    elif suffix == ".md":
        text = data.decode()
        assert "# Situation report: Nineveh (IQ-NI)" in text
        assert (tmp_path / "report_series.png").read_bytes().startswith(b"\x89PNG")
        assert (tmp_path / "report_map.png").stat().st_size > 5_000
        assert "<script>" not in text  # text from reports is escaped in Markdown too
    else:
        text = data.decode()
        assert "data:image/png;base64," in text
        assert "<script>" not in text and "<img src=x" not in text
        assert "&lt;script&gt;" in text
        assert "6 events" in text


def test_bad_format_and_dates(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="unknown report format"):
        write_report(store, tmp_path / "report.docx")
    with pytest.raises(ReportError, match="after"):
        write_report(store, tmp_path / "r.md", since=dt.date(2020, 1, 1), until=dt.date(2019, 1, 1))


# -- the table of main events ------------------------------------------------------------------


@pytest.fixture()
def battles(tmp_path: Path) -> Store:
    """Twenty events of 0 to 19 deaths, one of 230 (the oldest), and a tie at 19 (newer wins)."""
    s = Store(f"sqlite:///{tmp_path / 'b.db'}")
    places = [MOSUL, TAL_AFAR, BAAJ]
    for i in range(20):
        fields = {}
        if i % 2:
            fields = {
                "event_type": "Explosions/Remote violence",
                "sub_event_type": "Remote explosive/landmine/IED",
            }
        s.save(CodedDocument(_doc(i), (_event(i, i, places[i % 3], **fields),)))
    s.save(CodedDocument(_doc(20), (_event(20, 230, BAAJ, date=FIRST - dt.timedelta(days=1)),)))
    s.save(CodedDocument(_doc(21), (_event(21, 19, MOSUL, date=FIRST + dt.timedelta(days=40)),)))
    return s


def test_main_events_gravest_first_with_the_rest_counted(battles: Store, tmp_path: Path) -> None:
    data = collect(battles, since=dt.date(2019, 6, 1), until=dt.date(2019, 9, 30))
    ranked = main_events(data.events)
    assert [r.fatalities for r in ranked.rows][:4] == ["230", "19", "19", "18"]
    assert ranked.rows[1].date == "2019-08-10"  # of two with 19 dead, the newer first
    assert len(ranked.rows) == 15 and ranked.rest == 7
    assert ranked.rest_fatalities == sum(range(0, 7))  # the seven lightest: 0 to 6 killed
    assert ranked.more("event") == "… and 7 more events (21 reported fatalities)."

    md = write_report(battles, tmp_path / "b.md", since=data.since, until=data.until).read_text()
    table = md[md.index("## Main events") :]
    first_row = table.splitlines()[4]
    assert "| 2019-06-30 |" in first_row and "| 230 |" in first_row and "Baaj" in first_row
    assert "r20.txt" in first_row  # the source
    assert "… and 7 more events (21 reported fatalities)." in md

    html = write_report(battles, tmp_path / "b.html", since=data.since, until=data.until)
    page = html.read_text()
    assert page.index(">230<") < page.index(">19<") < page.index(">18<")
    assert "… and 7 more events" in page


def test_integers_print_as_integers(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'n.db'}")
    ind = Indicator("i-1", "doc-1", "strength", 14000.0, actor="Islamic State", place=MOSUL)
    ranged = Indicator("i-2", "doc-1", "strength", 2000.0, 2000.0, 3000.0, actor="IS", place=BAAJ)
    s.save(CodedDocument(_doc(1), (_event(1, 12500),), indicators=(ind, ranged)))
    until = FIRST + dt.timedelta(days=30)
    md = write_report(s, tmp_path / "n.md", since=FIRST, until=until).read_text()
    html = write_report(s, tmp_path / "n.html", since=FIRST, until=until).read_text()
    html = re.sub(r"<style>.*?</style>|data:image/png;base64,[^'\"]*", "", html, flags=re.S)
    pages = pdf_pages(collect(s, since=FIRST, until=until))
    pdf_text = "\n".join(t for page in pages for t in _texts(page))
    for text in (md, html, pdf_text):
        assert "14000.0" not in text and "14000" not in text
        assert "14,000" in text
        assert "2,000–3,000" in text  # a range, not "2000.0 (2000.0-3000.0)"
        assert "12,500 reported fatalities" in text
        assert not re.search(r"\d\.0\b", text), "a float printed as x.0"
    assert number(14000.0) == "14,000" and number(2.5) == "2.5" and number(1234567) == "1,234,567"


def test_indicators_are_collapsed_with_a_count(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'i.db'}")
    for n in range(3):
        ied = Indicator(f"i-{n}", f"doc-{n}", "tactic", "IEDs", actor="Islamic State")
        s.save(CodedDocument(_doc(n), indicators=(ied,)))
    other = Indicator("i-9", "doc-9", "tactic", "IEDs", actor="Islamic State", place=MOSUL)
    s.save(CodedDocument(_doc(9), indicators=(other,)))
    data = collect(s, since=FIRST, until=FIRST + dt.timedelta(days=60))
    rows = tracked_indicators(data.indicators).rows
    assert [(r.value, r.place, r.reports) for r in rows] == [("IEDs", "-", 3), ("IEDs", "Mosul", 1)]
    md = write_report(s, tmp_path / "i.md", since=data.since, until=data.until).read_text()
    assert md.count("| tactic | IEDs | Islamic State | - |") == 1
    assert "| tactic | IEDs | Islamic State | - | 3 |" in md


def test_statements_carry_date_speaker_title_and_source(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 's.db'}")
    said = Claim(
        "c-1",
        "doc-1",
        "Khalid al-Nuaimi",
        "reassurance",
        "Daesh will not return to Mosul",
        speaker_title="governor of Nineveh",
        place=MOSUL,
    )
    # The same statement coded again for another place it names is shown once.
    again = Claim(
        "c-2",
        "doc-1",
        "Khalid al-Nuaimi",
        "reassurance",
        "Daesh will not return to Mosul",
        speaker_title="governor of Nineveh",
        place=NINEVEH,
    )
    doc = _doc(1, url="https://www.example.org/news/governor")
    s.save(CodedDocument(doc, claims=(said, again)))
    day = doc.published
    assert day is not None
    md = write_report(s, tmp_path / "s.md", since=FIRST, until=FIRST + dt.timedelta(days=30))
    row = next(line for line in md.read_text().splitlines() if "al-Nuaimi" in line)
    assert row.startswith(f"| {day.isoformat()} | Khalid al-Nuaimi, governor of Nineveh |")
    assert "| reassurance |" in row and row.endswith("| example.org |")
    assert md.read_text().count("al-Nuaimi") == 1
    html = write_report(s, tmp_path / "s.html", since=FIRST, until=FIRST + dt.timedelta(days=30))
    page = html.read_text()
    cells = page[page.index("<h2>Key statements</h2>") :]
    for piece in (day.isoformat(), "Khalid al-Nuaimi", "governor of Nineveh", "example.org"):
        assert piece in cells


def test_html_escapes_every_text_from_reports(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'e.db'}")
    evil_place = Place(f"Mosul {EVIL}", "Iraq", "IQ", "Nineveh", "IQ-NI", None, 36.3, 43.1, 1)
    ev = _event(1, 3, evil_place, actor1=EVIL, actor2=EVIL, sub_event_type=f"Armed {EVIL}")
    claim = Claim("c", "doc-1", EVIL, "warning", EVIL, speaker_title=EVIL, place=MOSUL)
    ind = Indicator("i", "doc-1", EVIL, EVIL, actor=EVIL, place=evil_place)
    doc = _doc(1, url=f"https://example.org/{EVIL}")
    s.save(CodedDocument(doc, (ev,), (claim,), (ind,)))
    page = write_report(s, tmp_path / "e.html", since=FIRST, until=FIRST + dt.timedelta(days=30))
    text = page.read_text()
    assert "<script>" not in text and "<img src=x" not in text
    assert text.count("&lt;script&gt;") >= 8


# -- what must not happen: stray output, blank pages, empty sections ----------------------------


@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf"])
def test_nothing_reaches_stderr(
    store: Store, tmp_path: Path, suffix: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """An unknown region, an empty period and a one-event series draw no legend of nothing, no
    identical axis limits and no missing glyphs: no warning of any kind, nothing on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_report(store, tmp_path / f"a{suffix}", region="narnia")
        write_report(
            store, tmp_path / f"b{suffix}", since=dt.date(2001, 1, 1), until=dt.date(2001, 2, 1)
        )
        write_report(store, tmp_path / f"c{suffix}", since=FIRST, until=FIRST)
        s = Store(f"sqlite:///{tmp_path / 'x.db'}")
        odd = _event(1, 1, actor1="Army $x$ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e", actor2="\U0001f600")
        s.save(CodedDocument(_doc(1), (odd,)))
        write_report(s, tmp_path / f"d{suffix}", since=FIRST, until=FIRST + dt.timedelta(days=9))
    assert [str(w.message) for w in caught] == []
    out, err = capfd.readouterr()
    assert err == "" and out == ""


@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf"])
def test_an_empty_period_says_so(store: Store, tmp_path: Path, suffix: str) -> None:
    out = write_report(
        store, tmp_path / f"e{suffix}", since=dt.date(2001, 1, 1), until=dt.date(2001, 2, 1)
    )
    if suffix == ".pdf":
        data = collect(store, since=dt.date(2001, 1, 1), until=dt.date(2001, 2, 1))
        pages = pdf_pages(data)
        assert len(pages) == 1
        text = " ".join(_texts(pages[0]))
    else:
        text = out.read_text()
        assert "Main events" not in text and "Indicators" not in text
        assert not (tmp_path / "e_map.png").exists()
    text = " ".join(text.split())
    assert "Nothing is stored for Iraq and Syria between 2001-01-01 and 2001-02-01" in text
    assert "The store holds 6 events, the newest of 2019-08-05" in text


def test_an_unknown_region_is_named_in_the_message(store: Store) -> None:
    data = collect(store, region="narnia")
    assert data.is_empty and data.region_code is None
    assert "'narnia' is no governorate or region the gazetteer knows" in data.nothing_message()


def test_the_first_pdf_page_carries_the_summary_and_the_main_events(battles: Store) -> None:
    data = collect(battles, since=dt.date(2019, 6, 1), until=dt.date(2019, 9, 30))
    pages = pdf_pages(data)
    first = _texts(pages[0])
    assert pages[0].texts[0].get_text() == data.title  # the title opens the first page
    assert any(t.startswith("22 events with 439 reported fatalities") for t in first)
    assert "Main events" in first and "230" in first and "2019-06-30" in first
    # No page is left holding a lone heading and its line.
    for page in pages:
        assert len([t for t in _texts(page) if not t.startswith(("page ", "Situation"))]) > 2


# -- the plots ---------------------------------------------------------------------------------


def test_a_sparse_series_has_an_integer_axis(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'one.db'}")
    s.save(CodedDocument(_doc(1), (_event(1, 0),)))
    data = collect(s, since=FIRST, until=FIRST + dt.timedelta(weeks=8))
    ax = Figure().add_subplot()
    draw_series(ax, data)
    ticks = [t for t in ax.get_yticks() if 0 <= t <= ax.get_ylim()[1]]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks


def test_the_map_sizes_by_fatalities_colours_by_type_and_draws_governorates(
    battles: Store,
) -> None:
    boundaries = load_boundaries()
    assert len(boundaries.features) == 32, boundaries.attribution  # built by `make setup`
    data = collect(battles, since=dt.date(2019, 6, 1), until=dt.date(2019, 9, 30))
    fig = map_figure(data, boundaries)
    ax = fig.axes[0]
    discs = next(c for c in ax.collections if isinstance(c, PathCollection))
    sizes = list(discs.get_sizes())
    assert len(sizes) == 22
    assert max(sizes) == marker_size(230) > 10 * marker_size(1)  # a 230-death battle stands out
    assert len({tuple(c) for c in discs.get_facecolors()}) == 2  # two event types, two colours
    outlines = next(c for c in ax.collections if isinstance(c, PolyCollection))
    assert len(outlines.get_paths()) >= 32
    labels = {t.get_text() for t in ax.texts}
    assert {"Nineveh", "Anbar", "Deir ez-Zor"} <= labels
    assert "Natural Earth" in ax.get_xlabel()


def test_the_map_shades_governorate_only_events_and_counts_country_only_ones(
    tmp_path: Path,
) -> None:
    s = Store(f"sqlite:///{tmp_path / 'g.db'}")
    s.save(CodedDocument(_doc(1), (_event(1, 4, NINEVEH),)))
    s.save(CodedDocument(_doc(2), (_event(2, 2, IRAQ),)))
    s.save(CodedDocument(_doc(3), (_event(3, 1, MOSUL),)))
    data = collect(s, since=FIRST, until=FIRST + dt.timedelta(days=9))
    ax = map_figure(data).axes[0]
    discs = next(c for c in ax.collections if isinstance(c, PathCollection))
    assert len(discs.get_offsets()) == 1  # Mosul alone is a point
    hatched = [c for c in ax.collections if isinstance(c, PolyCollection) and c.get_hatch()]
    assert len(hatched) == 1
    assert "1 event located only to a country: not drawn" in ax.get_xlabel()


def test_a_region_zooms_the_map_to_it(store: Store) -> None:
    whole = map_figure(collect(store)).axes[0]
    nineveh = map_figure(collect(store, region="Nineveh")).axes[0]
    assert nineveh.get_xlim()[1] - nineveh.get_xlim()[0] < whole.get_xlim()[1] - whole.get_xlim()[0]
    x0, x1 = nineveh.get_xlim()
    assert x0 < MOSUL.longitude < x1  # type: ignore[operator]


# -- the command -------------------------------------------------------------------------------


def test_cli(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--db", store.url, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert result.stderr.strip() == f"Report written to {out}."
    bad = CliRunner().invoke(app, ["report", "--db", store.url, "--out", str(tmp_path / "r.txt")])
    assert bad.exit_code == 2


def test_cli_says_when_the_period_holds_nothing(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    args = ["report", "--db", store.url, "--out", str(out), "--from", "2001-01-01"]
    result = CliRunner().invoke(app, [*args, "--to", "2001-02-01"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("harbinger: Nothing is stored for Iraq and Syria between 2001-01-01")
    assert lines[-1] == f"Report written to {out}."
    assert out.read_bytes().startswith(b"%PDF")


def test_report_data_is_a_record() -> None:
    assert ReportData.__dataclass_params__.frozen  # type: ignore[attr-defined]
