"""A situation report as PDF, composed on A4 pages with matplotlib (no browser, no TeX).

The first page opens with the summary, the warnings and the table of main events, then the weekly
series and the map follow as vector drawings, then the statements and indicators as tables.
Matplotlib has no flowing text or tables, so ``Pages`` does that small part by hand: it measures
words with the font's own metrics, wraps them into the column widths, and starts a new page (with
the table's header again) where one is full. Reportlab would do it too, but is not a dependency
and matplotlib already draws the plots. Text is wrapped in its logical order (as read and
stored) and each line is then handed to ``rtl.drawn`` as it is drawn, so an Arabic line holds the
words read on it, shaped and in display order when matplotlib does not do that itself.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from harbinger.report import content
from harbinger.report.figures import (
    FONT,
    OTHER_COLOUR,
    TYPE_COLOURS,
    draw_map,
    draw_series,
    drawable,
    load_boundaries,
    map_aspect,
)
from harbinger.report.rtl import drawn

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from harbinger.report.situation import ReportData

__all__ = ["Column", "Pages", "pdf_pages", "render_pdf", "wrap"]

#: A4 portrait and its margins, in inches.
PAGE_W, PAGE_H = 8.27, 11.69
LEFT, TOP, BOTTOM = 0.65, 0.7, 0.8
WIDTH = PAGE_W - 2 * LEFT
LEVEL_COLOURS = {"alert": "#c0392b", "warning": "#d68910", "watch": "#2471a3"}
INK, GREY, RULE = "#222222", "#666666", "#d0d0d0"


@functools.cache
def _advance(word: str, size: float, bold: bool) -> float:
    """The width of ``word`` in inches at ``size`` points, from the font's metrics."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    width, _, _ = text_to_path.get_text_width_height_descent(word, prop, ismath=False)
    return float(width) / 72


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` inches (a word longer than a line, such
    as a URL, is broken where it must be). The lines are in logical order; Arabic words are
    measured as they will be drawn (joined)."""
    space = _advance(" ", size, bold)
    lines: list[str] = []
    for paragraph in drawable(text).split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            w = _advance(drawn(word), size, bold)
            while w > width:  # cut an over-long word to the line's width, after a "_" if it can
                cut = len(word)
                while cut > 1 and _advance(drawn(word[:cut]), size, bold) > width:
                    cut -= 1
                seps = [i + 1 for i, ch in enumerate(word[:cut]) if ch in "_-/.:" and i > 0]
                cut = seps[-1] if seps and seps[-1] < cut else cut
                if line:
                    lines.append(line)
                lines.append(word[:cut])
                line, used, word = "", 0.0, word[cut:]
                w = _advance(drawn(word), size, bold)
            if line and used + space + w > width:
                lines.append(line)
                line, used = "", 0.0
            line, used = (f"{line} {word}", used + space + w) if line else (word, w)
        lines.append(line)
    return lines


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header, its width in inches, and how its cells align."""

    header: str
    width: float
    align: Literal["left", "right"] = "left"


class Pages:
    """Flows headings, paragraphs, tables and plots down A4 pages (matplotlib figures)."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.y = TOP
        self._new_page()

    @property
    def fig(self) -> Figure:
        return self.figures[-1]

    def _new_page(self) -> None:
        from matplotlib.figure import Figure

        self.figures.append(Figure(figsize=(PAGE_W, PAGE_H)))
        self.y = TOP

    def need(self, height: float) -> bool:
        """Start a new page unless ``height`` inches fit on this one; True if one was started."""
        if self.y + height > PAGE_H - BOTTOM and self.y > TOP:
            self._new_page()
            return True
        return False

    def page_break(self) -> None:
        """Go on on a new page (unless this one is still empty)."""
        if self.y > TOP:
            self._new_page()

    def text(self, x: float, y: float, text: str, size: float, **style: object) -> None:
        """One line of text with its top-left corner at (x, y) inches from the page's top-left;
        ``text`` in logical order (``rtl.drawn`` turns it for display)."""
        self.fig.text(
            x / PAGE_W,
            1 - y / PAGE_H,
            drawn(text),
            fontsize=size,
            family=FONT,
            va="top",
            parse_math=False,
            **style,  # type: ignore[arg-type]
        )

    def rule(self, y: float, colour: str = RULE, width: float = 0.5) -> None:
        from matplotlib.lines import Line2D

        yy = 1 - y / PAGE_H
        self.fig.add_artist(
            Line2D([LEFT / PAGE_W, (LEFT + WIDTH) / PAGE_W], [yy, yy], color=colour, lw=width)
        )

    def space(self, height: float) -> None:
        self.y += height

    def heading(self, text: str, size: float = 12.0, keep: float = 0.7) -> None:
        """A section's title, on the page of the first ``keep`` inches of what follows it."""
        self.need(size / 72 * 1.6 + 0.12 + keep)
        self.space(0.12)
        self.text(LEFT, self.y, drawable(text), size, weight="bold", color=INK)
        self.y += size / 72 * 1.7

    def paragraph(
        self,
        text: str,
        size: float = 9.0,
        indent: float = 0.0,
        colour: str = INK,
        style: str = "normal",
        bold: bool = False,
    ) -> None:
        height = size / 72 * 1.35
        for line in wrap(text, WIDTH - indent, size, bold):
            self.need(height)
            self.text(
                LEFT + indent,
                self.y,
                line,
                size,
                color=colour,
                style=style,
                weight="bold" if bold else "normal",
            )
            self.y += height
        self.y += height * 0.3

    def table(
        self,
        columns: list[Column],
        rows: list[list[str]],
        swatches: dict[int, list[str]] | None = None,
        size: float = 7.5,
    ) -> None:
        """Rows of cells wrapped into their columns; ``swatches`` maps a column to each row's
        colour, drawn as a dot before the cell's text (the event type's colour on the map)."""
        line = size / 72 * 1.3
        pad = 0.045
        dot = 0.13

        # A header may hold a line break ("events\nexpected"); its lines stand bottom-aligned.
        heads = [col.header.split("\n") for col in columns]
        depth = max(len(h) for h in heads)

        def header() -> None:
            x = LEFT
            for col, head in zip(columns, heads, strict=True):
                self.y += (depth - len(head)) * line
                self._cell(x, col, head, size, line, weight="bold", color=GREY)
                self.y -= (depth - len(head)) * line
                x += col.width
            self.y += depth * line + pad
            self.rule(self.y - pad / 2, colour="#888888", width=0.7)

        self.need((depth + 1) * line + 3 * pad + 0.3)
        header()
        for r, row in enumerate(rows):
            cells = [
                wrap(cell, col.width - 0.08 - (dot if swatches and c in swatches else 0), size)
                for c, (col, cell) in enumerate(zip(columns, row, strict=True))
            ]
            height = max(len(c) for c in cells) * line + pad
            if self.need(height + pad):
                header()
            x = LEFT
            for c, (col, lines) in enumerate(zip(columns, cells, strict=True)):
                shift = 0.0
                if swatches and c in swatches:
                    self.text(x, self.y - 0.005, "●", size, color=swatches[c][r])
                    shift = dot
                self._cell(x + shift, col, lines, size, line, color=INK)
                x += col.width
            self.y += height
            self.rule(self.y - pad / 2)
        self.y += pad

    def _cell(
        self, x: float, col: Column, lines: list[str], size: float, line: float, **style: object
    ) -> None:
        for i, text in enumerate(lines):
            if col.align == "right":
                self.text(x + col.width - 0.08, self.y + i * line, text, size, ha="right", **style)
            else:
                self.text(x, self.y + i * line, text, size, **style)

    def axes(self, height: float, below: float = 0.0) -> Axes:
        """Axes across the text width, ``height`` inches tall (and ``below`` inches kept free
        under them, for a legend)."""
        self.need(height + below)
        ax = self.fig.add_axes(
            (
                (LEFT + 0.45) / PAGE_W,
                1 - (self.y + height) / PAGE_H,
                (WIDTH - 0.5) / PAGE_W,
                height / PAGE_H,
            )
        )
        self.y += height + below
        return ax

    def grid(self, rows: int, cols: int, height: float, gap: float = 0.45) -> list[Axes]:
        """``rows`` x ``cols`` axes across the text width, each row ``height`` inches tall with
        room for a title above it and ``gap`` inches under it (for its date labels), row by row; a
        row that does not fit starts a new page."""
        axes: list[Axes] = []
        left = LEFT + 0.45
        col_gap = 0.45
        width = (WIDTH - 0.5 - col_gap * (cols - 1)) / cols
        title = 0.22  # room above each axes for its title
        for _ in range(rows):
            self.need(title + height + gap)
            self.y += title
            for c in range(cols):
                axes.append(
                    self.fig.add_axes(
                        (
                            (left + c * (width + col_gap)) / PAGE_W,
                            1 - (self.y + height) / PAGE_H,
                            width / PAGE_W,
                            height / PAGE_H,
                        )
                    )
                )
            self.y += height + gap
        return axes

    def finish(self, footer: str) -> list[Figure]:
        """Number the pages, each with the report's title."""
        total = len(self.figures)
        for n, fig in enumerate(self.figures, 1):
            fig.text(
                LEFT / PAGE_W,
                0.4 / PAGE_H,
                drawn(drawable(footer)),
                fontsize=7,
                color=GREY,
                family=FONT,
                parse_math=False,
            )
            fig.text(
                (LEFT + WIDTH) / PAGE_W,
                0.4 / PAGE_H,
                f"page {n} of {total}",
                fontsize=7,
                color=GREY,
                family=FONT,
                ha="right",
            )
        return self.figures


EVENT_COLUMNS = [
    Column("date", 0.72),
    Column("type", 1.45),
    Column("actors", 1.75),
    Column("place", 1.2),
    Column("fatalities", 0.7, "right"),
    Column("source", 1.15),
]
STATEMENT_COLUMNS = [
    Column("date", 0.72),
    Column("speaker", 1.5),
    Column("stance", 0.85),
    Column("statement", 2.8),
    Column("source", 1.1),
]
INDICATOR_COLUMNS = [
    Column("indicator", 0.85),
    Column("value", 1.55),
    Column("actor", 2.05),
    Column("place", 1.15),
    Column("reports", 0.6, "right"),
    Column("latest", 0.77),
]


def pdf_pages(data: ReportData) -> list[Figure]:
    """The report's pages as matplotlib figures, first page first: the title, the summary, the
    warnings and the main events open the first page, so that it is never blank."""
    pages = Pages()
    pages.text(LEFT, pages.y, drawable(data.title), 15, weight="bold", color=INK)
    pages.space(15 / 72 * 1.6)
    pages.paragraph(
        f"Harbinger situation report, issued {dt.date.today().isoformat()}.", size=8, colour=GREY
    )
    pages.space(0.05)
    if data.is_empty:
        pages.paragraph(data.nothing_message(), size=10)
        return pages.finish(data.title)
    for line in content.summary(
        data.events, data.warnings, data.claims, data.indicators, data.since, data.until
    ):
        pages.paragraph(line, size=9.5)
    _warnings(pages, data)
    _main_events(pages, data)
    if data.events:
        _plots(pages, data)
    _statements_and_indicators(pages, data)
    return pages.finish(data.title)


def _warnings(pages: Pages, data: ReportData, most: int = 12) -> None:
    pages.heading("Warnings")
    if not data.warnings:
        pages.paragraph(f"None as of {data.until.isoformat()}.")
    for w in data.warnings[:most]:
        pages.need(0.4)
        pages.text(LEFT, pages.y, w.level.upper(), 8, weight="bold", color=LEVEL_COLOURS[w.level])
        pages.paragraph(
            f"{w.region}, {w.period_start} to {w.period_end}, score {w.score:.2f}: {w.reason}",
            indent=0.75,
        )
        for q in w.evidence[:2]:
            pages.paragraph(
                f"\u201c{content.quote(q.sentence, 300)}\u201d",
                size=8,
                indent=0.95,
                colour=GREY,
                style="italic",
            )
    if len(data.warnings) > most:
        pages.paragraph(f"… and {len(data.warnings) - most:,} more warnings.", colour=GREY)


def _main_events(pages: Pages, data: ReportData) -> None:
    pages.heading("Main events")
    ranked = content.main_events(data.events)
    if not ranked.rows:
        pages.paragraph("No events in the period.")
        return
    pages.table(
        EVENT_COLUMNS,
        [
            [r.date, r.sub_event_type, r.actors, r.place, r.fatalities, r.source]
            for r in ranked.rows
        ],
        swatches={1: [TYPE_COLOURS.get(r.event_type, OTHER_COLOUR) for r in ranked.rows]},
    )
    if ranked.rest:
        pages.paragraph(ranked.more("event"), size=8, colour=GREY)


def _plots(pages: Pages, data: ReportData) -> None:
    pages.heading("Events by week", keep=2.85)
    draw_series(pages.axes(2.3, below=0.55), data)  # the legend goes below the axes
    boundaries = load_boundaries()
    height = min(5.8, (WIDTH - 0.5) * map_aspect(data, boundaries))
    pages.heading("Map", keep=height + 0.3)
    ax = pages.axes(height, below=0.3)  # the caption (credit, events not drawn) goes below
    ax.set_anchor("N")
    draw_map(ax, data, boundaries)


def _statements_and_indicators(pages: Pages, data: ReportData) -> None:
    if not (data.claims or data.indicators):  # one line, not two empty sections
        pages.heading("Statements and indicators", keep=0.2)
        pages.paragraph("None in the period.")
        return
    pages.heading("Key statements")
    said = content.statements(data.claims)
    if said.rows:
        pages.table(
            STATEMENT_COLUMNS,
            [[s.date, s.who, s.stance, f"\u201c{s.text}\u201d", s.source] for s in said.rows],
        )
        if said.rest:
            pages.paragraph(said.more("statement"), size=8, colour=GREY)
    else:
        pages.paragraph("None in the period.")
    pages.heading("Indicators")
    tracked = content.tracked_indicators(data.indicators)
    if tracked.rows:
        pages.table(
            INDICATOR_COLUMNS,
            [[i.kind, i.value, i.actor, i.place, f"{i.reports:,}", i.latest] for i in tracked.rows],
        )
        if tracked.rest:
            pages.paragraph(tracked.more("indicator"), size=8, colour=GREY)
    else:
        pages.paragraph("None in the period.")


def render_pdf(data: ReportData, out: Path) -> Path:
    """Write the report as PDF at ``out``."""
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(out, metadata={"Title": data.title, "Creator": "Harbinger"}) as pdf:
        for fig in pdf_pages(data):
            pdf.savefig(fig)
    return out
