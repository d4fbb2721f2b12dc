"""Resurgence briefs (``harbinger report --actor``) on small stores we build, in the three formats."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.text import Text
from typer.testing import CliRunner

from conftest import MOSUL, RAMADI, RecordFactory
from harbinger.analyze.resurgence import repertoire_by_month, resurgence
from harbinger.cli import app
from harbinger.records import Evidence, Place
from harbinger.report import ReportError
from harbinger.report.brief import BriefData, collect_brief, write_brief
from harbinger.report.brief import content as brief_content
from harbinger.report.brief.figures import RETURN_COLOUR, draw_returns_map
from harbinger.report.brief.pdf import brief_pages
from harbinger.report.figures import load_boundaries
from harbinger.store import Store
from tests.stores import ARMY, IS_IRAQ, StoreBuilder

AS_OF = dt.date(2019, 11, 24)  # a Sunday: the window is the 4 weeks up to it
WINDOW_START = AS_OF - dt.timedelta(days=27)
SINCE = dt.date(2019, 6, 1)
TAL_AFAR = Place("Tal Afar", "Iraq", "IQ", "Nineveh", "IQ-NI", "Tal Afar", 36.37, 42.45, 1)
EVIL = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def week(n: int, day: int = 2) -> dt.date:
    """A day of the n-th week from the window's first (0 .. 3 inside, -26 .. -1 before it)."""
    return WINDOW_START + dt.timedelta(weeks=n, days=day)


@dataclasses.dataclass
class World:
    """A store holding an Islamic State surge in Nineveh, a return to Anbar after months without
    its events, a return to a district of Nineveh, IEDs, statements and strength estimates."""

    store: Store
    surge: set[str]
    ieds: set[str]
    anbar_before: str
    anbar_return: str
    tal_afar: str
    other_actor: str


@pytest.fixture
def world(fresh_db: Store, make: RecordFactory) -> World:
    b = StoreBuilder(fresh_db, make, titled=True)
    b.event(dt.date(2018, 1, 10), RAMADI, actor2="Civilians (Iraq)")  # the store covers 2018
    for n in range(-26, 0, 4):  # Mosul: one event every 4 weeks before the window
        b.event(week(n))
    surge = {b.event(week(n % 4, n % 7), fatalities=3) for n in range(8)}
    ieds = {
        b.event(
            week(n),
            event_type="Explosions/Remote violence",
            sub_event_type="Remote explosive/landmine/IED",
            actor1=IS_IRAQ,
            actor2="Civilians (Iraq)",
            fatalities=2,
        )
        for n in (2, 3)
    }
    anbar_before = b.event(dt.date(2019, 2, 1), RAMADI)  # then nothing in Anbar for 9 months
    anbar_return = b.event(week(1), RAMADI, fatalities=4)
    tal_afar = b.event(week(2), TAL_AFAR)  # Nineveh is busy, but Tal Afar never had its events
    other_actor = b.event(week(1), RAMADI, actor1=ARMY, actor2="Civilians (Iraq)")
    b.claim(week(-3), stance="warning", about_actor=IS_IRAQ)
    b.claim(
        week(1),
        speaker="Khalid al-Nuaimi",
        speaker_title="governor of Nineveh",
        stance="reassurance",
        text="The group has no chance of returning.",
        about_actor="Islamic State",
        place=MOSUL,
    )
    b.claim(week(1), speaker="A spokesman", stance="warning", about_actor="SDF")
    b.indicator(dt.date(2019, 1, 15), value=2000.0, low=None, high=None)  # before the period
    b.indicator(week(0), value=14000.0, low=14000.0, high=18000.0)
    return World(fresh_db, surge, ieds, anbar_before, anbar_return, tal_afar, other_actor)


def _brief(world: World, **kw: Any) -> BriefData:
    return collect_brief(world.store, "Islamic State", since=SINCE, until=AS_OF, **kw)


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


# -- what the brief says -------------------------------------------------------------------------


def test_the_summary_names_the_overall_level_and_each_regions_reason(world: World) -> None:
    data = _brief(world)
    found = resurgence(world.store, "Islamic State", as_of=AS_OF)
    assert found and data.overall == found[0].level
    said = brief_content.summary(data)
    assert said.overall.startswith(
        f"As of 2019-11-24 the overall level is {found[0].level.upper()}"
    )
    assert "Nineveh" in said.overall
    lines = brief_content.level_lines(data)
    # Every region with a level, in the analysis's order, with the analysis's own sentence.
    assert [(line.level, line.reason) for line in lines] == [(w.level, w.reason) for w in found]
    nineveh = next(line for line in lines if line.region == "Nineveh (IQ-NI)")
    assert set(nineveh.refs) >= {data.refs[i] for i in world.surge}
    opening = " ".join(text for text, _ in said.opening)
    assert (
        "Islamic State was a party to" in opening and "between 2019-06-01 and 2019-11-24" in opening
    )
    assert world.other_actor not in {e.id for e in data.events}


def test_activity_rows_are_the_analysis_figures_with_integers_as_integers(world: World) -> None:
    data = _brief(world)
    rows = {r.region: r for r in brief_content.activity_rows(data)}
    nineveh = rows["Nineveh (IQ-NI)"]
    # 8 clashes, 2 IEDs and the return to Tal Afar in the last 4 weeks; 7 events in the 26 before.
    assert nineveh.events == "11" and nineveh.expected == f"{7 / 26 * 4:.1f}"
    assert nineveh.fatalities == str(8 * 3 + 2 * 2 + 1)
    in_period = [
        e
        for e in world.store.events(since=SINCE, until=AS_OF)
        if e.admin1_code == "IQ-NI" and IS_IRAQ in (e.actor1, e.actor2)
    ]
    assert nineveh.period_events == str(len(in_period))
    assert nineveh.level in ("warning", "alert")
    assert rows["Anbar (IQ-AN)"].events == "1"
    for row in rows.values():  # counts print as integers, never "8.0"
        for cell in (row.events, row.fatalities, row.period_events, row.period_fatalities):
            assert re.fullmatch(r"\d[\d,]*", cell), cell


def test_returns_after_quiet_months_are_placed_mapped_and_cited(world: World) -> None:
    data = _brief(world)
    by_event = {r.event.id: r for r in data.returns}
    assert set(by_event) == {world.anbar_return, world.tal_afar}
    anbar = by_event[world.anbar_return]
    assert anbar.governorate and anbar.place == "Anbar"
    assert anbar.previous == dt.date(2019, 2, 1)  # its last event there, nine months before
    tal_afar = by_event[world.tal_afar]
    assert not tal_afar.governorate and tal_afar.place == "Tal Afar (Nineveh)"
    assert tal_afar.previous is None
    rows = brief_content.return_rows(data)
    assert [r.kind for r in rows] == ["governorate", "district"]
    assert all(r.ref == data.refs[r_id] for r, r_id in zip(rows, by_event, strict=True))

    fig = Figure()
    ax = fig.add_subplot()
    draw_returns_map(ax, data, load_boundaries())
    discs = [c for c in ax.collections if isinstance(c, PathCollection)]
    red = [c for c in discs if tuple(c.get_facecolors()[0][:3]) == _rgb(RETURN_COLOUR)]
    assert len(red) == 1 and len(red[0].get_offsets()) == 2
    # The discs grow with fatalities: the 4 killed in Anbar draw bigger than Tal Afar's 1.
    sizes = dict(zip([tuple(o) for o in red[0].get_offsets()], red[0].get_sizes(), strict=True))
    assert (
        sizes[(RAMADI.longitude, RAMADI.latitude)] > sizes[(TAL_AFAR.longitude, TAL_AFAR.latitude)]
    )
    highlighted = next(
        c for c in ax.collections if isinstance(c, PolyCollection) and not c.get_hatch()
    )
    fills = {tuple(round(v, 3) for v in f[:3]) for f in highlighted.get_facecolors()}
    assert tuple(round(v, 3) for v in _rgb("#f9d9d4")) in fills  # Anbar, returned to as a whole
    assert {data.refs[world.anbar_return], data.refs[world.tal_afar]} <= {
        t.get_text() for t in ax.texts
    }


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def test_the_repertoire_is_the_analysis_repertoire_by_month(world: World) -> None:
    data = _brief(world)
    theirs = {
        m.month: m
        for m in repertoire_by_month(world.store, "Islamic State", since=SINCE, until=AS_OF)
    }
    ours = {m.month: m for m in data.repertoire if m.events}
    assert set(ours) == set(theirs)
    for month, m in ours.items():
        assert (m.events, m.insurgent) == (theirs[month].events, theirs[month].insurgent)
        assert sum(n for _, n in m.by_tactic) == m.insurgent  # each event stacked once
        assert set(m.event_ids) == set(theirs[month].event_ids)
    assert any(dict(m.by_tactic).get("IEDs and mines") == 2 for m in data.repertoire)
    # Months without events stand in the chart as gaps, not as missing bars.
    assert [m.month for m in data.repertoire] == [
        "2019-06",
        "2019-07",
        "2019-08",
        "2019-09",
        "2019-10",
        "2019-11",
    ]


def test_what_officials_said_sets_warnings_against_reassurances(world: World) -> None:
    data = _brief(world)
    warned = brief_content.statement_rows(data.statements, ("warning", "concern"))
    reassured = brief_content.statement_rows(data.statements, ("reassurance", "denial"))
    assert [s.speaker for s in warned] == ["Lahur Talabany"]  # not the warning about the SDF
    assert warned[0].speaker_title == "counter-terrorism chief"
    assert warned[0].date == week(-3).isoformat() and warned[0].source == "example.org"
    assert warned[0].title.startswith("Officials on the group")
    assert [(s.speaker, s.stance) for s in reassured] == [("Khalid al-Nuaimi", "reassurance")]
    assert reassured[0].who == "Khalid al-Nuaimi, governor of Nineveh"


def test_strength_estimates_over_time_with_their_sources(world: World) -> None:
    data = _brief(world)
    rows = brief_content.strength_rows(data)
    assert [(r.date, r.value, r.in_period) for r in rows] == [
        (week(0).isoformat(), "14,000–18,000", True),
        ("2019-01-15", "2,000", False),
    ]
    assert rows[0].source == "example.org" and rows[0].said == "about 50,000 fighters"
    pages = brief_pages(data)
    labels = [ax.get_ylabel() for page in pages for ax in page.axes]
    assert "fighters (estimate)" in labels  # two dated estimates: a chart
    one = dataclasses.replace(data, strength=data.strength[-1:])
    labels = [ax.get_ylabel() for page in brief_pages(one) for ax in page.axes]
    assert "fighters (estimate)" not in labels


def test_every_claim_points_to_events_in_the_appendix(world: World, tmp_path: Path) -> None:
    data = _brief(world)
    appendix = {r.ref: r for r in brief_content.appendix_rows(data)}
    assert list(appendix) == [f"E{n}" for n in range(1, len(appendix) + 1)]
    dates = [appendix[f"E{n}"].date for n in range(1, len(appendix) + 1)]
    assert dates == sorted(dates)  # oldest first
    cited = {c.event.id: c for c in data.cited}
    assert world.surge <= set(cited) and all(2 in cited[i].sections for i in world.surge)
    assert all(4 in cited[i].sections for i in world.ieds)
    assert 3 in cited[world.anbar_return].sections
    assert "return to Anbar" in cited[world.anbar_return].why
    for line in brief_content.level_lines(data):
        assert set(line.refs) <= set(appendix)
    for section in (2, 3, 4):
        assert f"marked {section} in the appendix" in brief_content.section_note(data, section)
    page = write_brief(world.store, "Islamic State", tmp_path / "b.html", since=SINCE, until=AS_OF)
    html = page.read_text()
    links = set(re.findall(r'href="#(E\d+)"', html))
    anchors = set(re.findall(r'<tr id="(E\d+)"', html))
    assert links and links <= anchors and anchors == set(appendix)


# -- the formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf"])
def test_formats(world: World, tmp_path: Path, suffix: str) -> None:
    out = write_brief(world.store, "Daesh", tmp_path / f"brief{suffix}", since=SINCE, until=AS_OF)
    sections = [
        "1 Summary",
        "2 Activity against baseline",
        "3 Where it reappeared",
        "4 Repertoire over time",
        "5 What officials said",
        "6 Strength estimates",
        "7 Appendix: the events behind the brief",
    ]
    if suffix == ".pdf":
        assert out.read_bytes().startswith(b"%PDF")
        text = " ".join(t for page in brief_pages(_brief(world)) for t in _texts(page))
        text = text.replace("  ", " ")
    else:
        text = out.read_text()
        if suffix == ".md":
            for name in ("activity", "map", "repertoire", "strength"):
                png = tmp_path / f"brief_{name}.png"
                assert png.read_bytes().startswith(b"\x89PNG") and f"]({png.name})" in text
    for heading in sections:
        assert heading in text, heading
    assert "Resurgence brief: Islamic State, Iraq and Syria, 2019-06-01 to 2019-11-24" in text
    assert "Situation report" not in text


def test_html_escapes_every_text_from_reports(
    fresh_db: Store, make: RecordFactory, tmp_path: Path
) -> None:
    b = StoreBuilder(fresh_db, make, titled=True)
    b.event(dt.date(2018, 1, 10), RAMADI, actor2="Civilians (Iraq)")
    evil_place = Place(f"Mosul {EVIL}", "Iraq", "IQ", "Nineveh", "IQ-NI", EVIL, 36.3, 43.1, 1)
    for n in range(4):
        b.event(week(n), evil_place, actor1=EVIL, sub_event_type=f"Armed {EVIL}", sentence=EVIL)
    b.claim(week(1), speaker=EVIL, speaker_title=EVIL, text=EVIL, about_actor=IS_IRAQ)
    b.indicator(week(1), evidence=(Evidence(EVIL, 0, 5),))
    page = write_brief(fresh_db, "Islamic State", tmp_path / "e.html", since=SINCE, until=AS_OF)
    text = page.read_text()
    assert "<script>" not in text and "<img src=x" not in text
    assert text.count("&lt;script&gt;") >= 8
    md = write_brief(fresh_db, "Islamic State", tmp_path / "e.md", since=SINCE, until=AS_OF)
    assert "<script>" not in md.read_text()


@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf"])
def test_nothing_reaches_stderr(
    world: World, tmp_path: Path, suffix: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """A full brief, an empty one, an unknown actor and odd glyphs: no warning, no output."""
    b = StoreBuilder(world.store, RecordFactory(), titled=True)
    b.event(week(2), TAL_AFAR, actor1="Army $x$ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e", actor2="Islamic State \U0001f600")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_brief(world.store, "IS", tmp_path / f"a{suffix}", since=SINCE, until=AS_OF)
        write_brief(
            world.store,
            "IS",
            tmp_path / f"b{suffix}",
            since=dt.date(2001, 1, 1),
            until=dt.date(2001, 2, 1),
        )
        write_brief(world.store, "Narnian Front", tmp_path / f"c{suffix}", until=AS_OF)
        write_brief(world.store, "Islamic State", tmp_path / f"d{suffix}", since=AS_OF, until=AS_OF)
    assert [str(w.message) for w in caught] == []
    out, err = capfd.readouterr()
    assert err == "" and out == ""


@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf"])
def test_no_data_gives_a_one_page_message(world: World, tmp_path: Path, suffix: str) -> None:
    first, last = dt.date(2001, 1, 1), dt.date(2001, 2, 1)
    out = write_brief(
        world.store, "Islamic State", tmp_path / f"e{suffix}", since=first, until=last
    )
    data = collect_brief(world.store, "Islamic State", since=first, until=last)
    assert data.is_empty
    if suffix == ".pdf":
        pages = brief_pages(data)
        assert len(pages) == 1
        text = " ".join(_texts(pages[0]))
    else:
        text = out.read_text()
        assert "Appendix" not in text and "Activity against baseline" not in text
        assert not list(tmp_path.glob("e_*.png"))
    text = " ".join(text.split())
    assert (
        "Nothing is stored about Islamic State in Iraq and Syria between 2001-01-01 and "
        "2001-02-01" in text
    )
    newest = max(e.date for e in world.store.events() if e.date and IS_IRAQ in (e.actor1, e.actor2))
    assert f"the newest of {newest.isoformat()}" in text


def test_an_unknown_actor_is_said_so(world: World) -> None:
    data = collect_brief(world.store, "Narnian Front", until=AS_OF)
    assert data.is_empty and not data.known
    message = data.nothing_message()
    assert "'Narnian Front' is not in the actor knowledge" in message
    assert "none of them of Narnian Front" in message


def test_a_region_keeps_that_region(world: World) -> None:
    data = _brief(world, region="IQ-AN")
    assert data.where == "Anbar (IQ-AN)"
    assert {e.admin1_code for e in data.events} == {"IQ-AN"}
    assert [w.region_code for w in data.warnings] == ["IQ-AN"]
    assert [r.event.id for r in data.returns] == [world.anbar_return]
    assert [p.code for p in data.panels] == ["IQ-AN"]
    # The warning is placed in Anbar; the reassurance, placed in Nineveh, is left out.
    assert [c.speaker for c in data.statements] == ["Lahur Talabany"]


def test_the_weekly_panels_cover_the_period_with_a_baseline(world: World) -> None:
    data = _brief(world)
    assert data.panels[0].region == "Iraq and Syria" and len(data.panels) <= 6
    nineveh = next(p for p in data.panels if p.code == "IQ-NI")
    assert nineveh.level in ("warning", "alert")
    weeks = [p.week_start for p in nineveh.points]
    assert weeks[0] <= SINCE < weeks[0] + dt.timedelta(days=7) and weeks[-1] > AS_OF - dt.timedelta(
        7
    )
    # Before the window, Mosul had one event every 4 weeks: the baseline is near 1/4 a week.
    assert 0.1 < nineveh.points[-5].baseline < 0.5
    assert sum(p.events for p in nineveh.points[-5:]) >= 11


def test_bad_dates(world: World, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="after --to"):
        collect_brief(world.store, "IS", since=dt.date(2020, 1, 1), until=dt.date(2019, 1, 1))
    with pytest.raises(ReportError, match="newest event of Islamic State; give --to"):
        collect_brief(world.store, "IS", since=dt.date(2030, 1, 1))
    with pytest.raises(ReportError, match="unknown report format"):
        write_brief(world.store, "IS", tmp_path / "b.docx")


# -- the command ---------------------------------------------------------------------------------


def test_cli_with_and_without_an_actor(world: World, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["report", "--db", world.store.url, "--from", "2019-06-01", "--to", "2019-11-24"]
    brief = tmp_path / "brief.md"
    result = runner.invoke(app, [*args, "--actor", "Islamic State", "--out", str(brief)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"Report written to {brief}."
    assert brief.read_text().startswith("# Resurgence brief: Islamic State, Iraq and Syria")
    situation = tmp_path / "situation.md"
    result = runner.invoke(app, [*args, "--out", str(situation)])
    assert result.exit_code == 0, result.output
    assert situation.read_text().startswith("# Situation report: Iraq and Syria")
    blank = runner.invoke(app, [*args, "--actor", " ", "--out", str(brief)])
    assert blank.exit_code == 2
    empty = runner.invoke(
        app,
        [
            "report",
            "--db",
            world.store.url,
            "--actor",
            "IS",
            "--from",
            "2001-01-01",
            "--to",
            "2001-02-01",
            "--out",
            str(tmp_path / "e.pdf"),
        ],
    )
    assert empty.exit_code == 0, empty.output
    lines = empty.stderr.splitlines()
    assert lines[0].startswith("harbinger: Nothing is stored about Islamic State in Iraq and Syria")
    assert (tmp_path / "e.pdf").read_bytes().startswith(b"%PDF")


def test_brief_data_is_a_record() -> None:
    assert BriefData.__dataclass_params__.frozen  # type: ignore[attr-defined]
