"""A resurgence brief as PDF, on A4 pages flowed by ``report.pdf.Pages`` (matplotlib, vector).

Seven numbered sections, as an analyst would write them: the summary with each region's level and
reason; activity against the baseline (a table and small multiples); where the actor reappeared (a
map and a table); its repertoire by month; what officials said; its strength estimates; and the
appendix of the events behind every claim, referenced from each section as "E12".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harbinger.report.brief import content
from harbinger.report.brief.collect import REASSURING_STANCES, WARNING_STANCES
from harbinger.report.brief.figures import (
    LEVEL_COLOURS,
    draw_panel,
    draw_repertoire,
    draw_returns_map,
    draw_strength,
    map_aspect,
    panel_grid,
    panels_caption,
    repertoire_legend_depth,
    tactic_colours,
)
from harbinger.report.figures import drawable, load_boundaries
from harbinger.report.pdf import GREY, LEFT, WIDTH, Column, Pages

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure

    from harbinger.report.brief.collect import BriefData

__all__ = ["brief_pages", "render_brief_pdf"]

ACTIVITY_COLUMNS = [
    Column("region", 1.62),
    Column("area", 0.72),
    Column("level", 0.6),
    Column("score", 0.45, "right"),
    Column("last 4 wk\nevents", 0.62, "right"),
    Column("\nexpected", 0.58, "right"),
    Column("last 4 wk\nfatalities", 0.68, "right"),
    Column("\nexpected", 0.58, "right"),
    Column("period\nevents", 0.52, "right"),
    Column("period\nfatalities", 0.6, "right"),
]
RETURN_COLUMNS = [
    Column("date", 0.7),
    Column("place returned to", 1.65),
    Column("kind", 0.75),
    Column("event", 1.95),
    Column("fatalities", 0.62, "right"),
    Column("its previous\nevent there", 0.88),
    Column("ref", 0.42),
]
REPERTOIRE_COLUMNS = [
    Column("month", 0.62),
    Column("events", 0.55, "right"),
    Column("insurgent\ntactics", 0.7, "right"),
    Column("share", 0.5, "right"),
    Column("events showing each tactic (an event may show several)", 4.6),
]
STATEMENT_COLUMNS = [
    Column("date", 0.72),
    Column("speaker", 1.45),
    Column("stance", 0.75),
    Column("statement", 2.55),
    Column("source", 1.5),
]
STRENGTH_COLUMNS = [
    Column("date", 0.72),
    Column("estimate", 1.0),
    Column("place", 0.85),
    Column("source", 1.6),
    Column("said", 2.8),
]
APPENDIX_COLUMNS = [
    Column("ref", 0.36),
    Column("date", 0.66),
    Column("event", 1.0),
    Column("place", 1.15),
    Column("type", 0.85),
    Column("actors", 1.3),
    Column("fatal.", 0.38, "right"),
    Column("cited in", 1.27),
]


def brief_pages(data: BriefData) -> list[Figure]:
    """The brief's pages as matplotlib figures, first page first."""
    pages = Pages()
    pages.paragraph(data.title, size=14, bold=True)
    pages.paragraph(content.period_line(data), size=7.5, colour=GREY)
    pages.space(0.05)
    if data.is_empty:
        pages.paragraph(data.nothing_message(), size=10)
        return pages.finish(data.title)
    _summary(pages, data)
    _activity(pages, data)
    _returns(pages, data)
    _repertoire(pages, data)
    _statements(pages, data)
    _strength(pages, data)
    _appendix(pages, data)
    return pages.finish(data.title)


def _note(pages: Pages, data: BriefData, section: int) -> None:
    note = content.section_note(data, section)
    if note:
        pages.paragraph(note, size=7.5, colour=GREY)


def _summary(pages: Pages, data: BriefData) -> None:
    pages.heading("1  Summary")
    said = content.summary(data)
    pages.paragraph(" ".join(content.with_refs(t, r) for t, r in said.opening), size=9.5)
    pages.paragraph(said.overall, size=9.5, bold=data.overall is not None)
    for line in content.level_lines(data):
        pages.need(0.4)
        pages.text(
            LEFT, pages.y, line.level.upper(), 8, weight="bold", color=LEVEL_COLOURS[line.level]
        )
        text = f"{line.region}, score {line.score}: {line.reason}"
        pages.paragraph(text, size=8.5, indent=0.75)
        if line.refs:
            pages.paragraph(
                f"Events: {content.refs_text(line.refs)}.", size=7.5, indent=0.75, colour=GREY
            )
    if said.rest:
        pages.space(0.04)
        pages.paragraph(" ".join(content.with_refs(t, r) for t, r in said.rest), size=9.5)


def _activity(pages: Pages, data: BriefData) -> None:
    pages.heading("2  Activity against baseline", keep=1.6)
    rows = content.activity_rows(data)
    if not rows:
        pages.paragraph(
            f"{data.actor} appears in no region in the 30 weeks up to {data.until.isoformat()}."
        )
    else:
        pages.paragraph(
            f"Per region: its events and fatalities in the last {data.window_weeks} weeks to "
            f"{data.until.isoformat()} against what its own {data.baseline_weeks} weeks before "
            f"expect, the level they give, and its events in the whole period.",
            size=8,
            colour=GREY,
        )
        pages.table(
            ACTIVITY_COLUMNS,
            [
                [
                    r.region,
                    r.area,
                    r.level,
                    r.score,
                    r.events,
                    r.expected,
                    r.fatalities,
                    r.expected_fatalities,
                    r.period_events,
                    r.period_fatalities,
                ]
                for r in rows
            ],
            swatches={2: [LEVEL_COLOURS.get(r.level, "#bbbbbb") for r in rows]},
            size=7,
        )
    if data.panels:
        nrows, cols = panel_grid(len(data.panels))
        pages.heading(f"Weekly events of {data.actor} against its baseline", size=10, keep=2.1)
        axes = pages.grid(nrows, cols, 1.1 if cols > 1 else 1.8, gap=0.4)
        for i, ax in enumerate(axes):
            if i < len(data.panels):
                draw_panel(ax, data.panels[i], data, ylabel=i % cols == 0)
            else:
                ax.set_axis_off()
        pages.paragraph(panels_caption(data), size=7.5, colour=GREY)
    _note(pages, data, 2)


def _returns(pages: Pages, data: BriefData) -> None:
    boundaries = load_boundaries()
    height = min(5.6, (WIDTH - 0.5) * map_aspect(data, boundaries))
    pages.heading("3  Where it reappeared", keep=height + 0.6)
    pages.paragraph(
        f"Places (districts, or whole governorates) with its events after {data.quiet_weeks} or "
        "more weeks without any there, as the resurgence analysis's spread signal finds them in "
        "the period.",
        size=8,
        colour=GREY,
    )
    if data.events or data.returns:
        ax = pages.axes(height, below=0.3)
        ax.set_anchor("N")
        draw_returns_map(ax, data, boundaries)
    rows = content.return_rows(data)
    if rows:
        pages.table(
            RETURN_COLUMNS,
            [[r.date, r.place, r.kind, r.event, r.fatalities, r.previous, r.ref] for r in rows],
            size=7,
        )
    else:
        pages.paragraph(
            f"No returns in the period: {data.actor} appeared in no place after "
            f"{data.quiet_weeks} or more weeks without its events there."
        )
    _note(pages, data, 3)


def _repertoire(pages: Pages, data: BriefData) -> None:
    pages.heading("4  Repertoire over time", keep=3.4)
    months = [m for m in data.repertoire if m.events]
    if not months:
        pages.paragraph("No events of it in the period.")
        return
    pages.paragraph(
        "The share of its events each month that show an insurgent's tactics (IEDs, "
        "assassinations of local figures, attacks on checkpoints, night raids, kidnapping, "
        "extortion, burning of crops; resurgence.yaml), each event counted under the first of its "
        "tactics; its count of events over each bar.",
        size=8,
        colour=GREY,
    )
    draw_repertoire(pages.axes(2.2, below=repertoire_legend_depth(data)), data)
    colours = tactic_colours(data.tactic_labels)
    pages.table(
        REPERTOIRE_COLUMNS,
        [
            [
                m.month,
                f"{m.events:,}",
                f"{m.insurgent:,}",
                f"{m.share or 0:.0%}",
                ", ".join(f"{label} {n:,}" for label, n in m.mentions) or "-",
            ]
            for m in months
        ],
        swatches={
            4: [
                colours.get(m.mentions[0][0], "#ffffff") if m.mentions else "#ffffff"
                for m in months
            ]
        },
        size=7,
    )
    if len(months) < len(data.repertoire):
        pages.paragraph(content.quiet_months(data), size=7.5, colour=GREY)
    _note(pages, data, 4)


def _statements(pages: Pages, data: BriefData) -> None:
    pages.heading("5  What officials said", keep=1.3)
    warned = content.statement_rows(data.statements, WARNING_STANCES)
    reassured = content.statement_rows(data.statements, REASSURING_STANCES)
    if not (warned or reassured):
        pages.paragraph(f"No statements about {data.actor} in the period.")
        return
    pages.paragraph(
        f"{len(warned):,} warning{'s' if len(warned) != 1 else ''} and concerns against "
        f"{len(reassured):,} reassurance{'s' if len(reassured) != 1 else ''} and denials, "
        "newest first.",
        size=8,
        colour=GREY,
    )
    for title, rows in (("Warnings and concerns", warned), ("Reassurances and denials", reassured)):
        pages.heading(title, size=10)
        if rows:
            pages.table(
                STATEMENT_COLUMNS,
                [[s.date, s.who, s.stance, f"\u201c{s.text}\u201d", s.where] for s in rows],
                size=7,
            )
        else:
            pages.paragraph("None in the period.", size=8.5)


def _strength(pages: Pages, data: BriefData) -> None:
    pages.heading("6  Strength estimates", keep=1.3)
    rows = content.strength_rows(data)
    if not rows:
        pages.paragraph(f"No estimate of {data.actor}'s strength up to {data.until.isoformat()}.")
        return
    pages.paragraph(
        f"Every estimate of its strength up to {data.until.isoformat()}, newest first (those "
        "before the period marked), with the sentence it was read from. An estimate is what a "
        "source says, not a count.",
        size=8,
        colour=GREY,
    )
    pages.table(
        STRENGTH_COLUMNS,
        [
            [
                r.date + ("" if r.in_period else " (before)"),
                r.value,
                r.place,
                r.source + (f": {r.title}" if r.title else ""),
                f"\u201c{r.said}\u201d" if r.said else "-",
            ]
            for r in rows
        ],
        size=7,
    )
    if len(data.strength) >= 2:
        draw_strength(pages.axes(1.8, below=0.35), data)
        pages.paragraph(
            "Filled: estimates in the period; hollow: before it. Lines: the range the source gave.",
            size=7.5,
            colour=GREY,
        )


def _appendix(pages: Pages, data: BriefData) -> None:
    pages.page_break()
    pages.heading("7  Appendix: the events behind the brief")
    rows = content.appendix_rows(data)
    if not rows:
        pages.paragraph("The brief cites no events.")
        return
    pages.paragraph(
        f"{len(rows):,} events, oldest first. Cited in: 1 summary (the deadliest), 2 activity "
        f"(the last {data.window_weeks} weeks of each region), 3 returns, 4 insurgent tactics. "
        f"All {len(data.events):,} of its events in the period: harbinger events --actor "
        f'"{data.query}" --since {data.since.isoformat()} --until {data.until.isoformat()}.',
        size=8,
        colour=GREY,
    )
    pages.table(
        APPENDIX_COLUMNS,
        [
            [
                r.ref,
                r.date,
                r.source,
                r.place,
                r.sub_event_type,
                r.actors,
                r.fatalities,
                f"{r.sections}: {r.why}",
            ]
            for r in rows
        ],
        size=6.5,
    )


def render_brief_pdf(data: BriefData, out: Path) -> Path:
    """Write the brief as PDF at ``out``."""
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(out, metadata={"Title": drawable(data.title), "Creator": "Harbinger"}) as pdf:
        for fig in brief_pages(data):
            pdf.savefig(fig)
    return out
