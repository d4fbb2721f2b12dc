"""The plots of a resurgence brief, drawn with matplotlib into axes the caller places.

``draw_panel`` draws one region's weekly events of the actor with its baseline band and the window
its level is read on; ``draw_returns_map`` the places it reappeared in over the governorate
boundaries; ``draw_repertoire`` the share of its events showing each insurgent tactic by month;
``draw_strength`` its strength estimates over time. The PDF places these axes on its pages;
Markdown and HTML take them as PNG from the ``*_figure`` functions. As in ``report.figures``, every
text from reports goes through ``drawable`` and ``rtl.drawn`` with ``parse_math=False``, and nothing is drawn that
would make matplotlib warn (a legend of nothing, equal axis limits).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from harbinger.report.figures import (
    Boundaries,
    around,
    draw_governorates,
    drawable,
    governorate_points,
    located_where,
    map_figure,
    marker_size,
)
from harbinger.report.rtl import drawn

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from harbinger.report.brief.collect import BriefData, Panel

__all__ = [
    "LEVEL_COLOURS",
    "RETURN_COLOUR",
    "draw_panel",
    "draw_repertoire",
    "draw_returns_map",
    "draw_strength",
    "map_aspect",
    "panel_grid",
    "panels_caption",
    "panels_figure",
    "repertoire_figure",
    "repertoire_legend_depth",
    "returns_map_figure",
    "strength_figure",
    "tactic_colours",
]

LEVEL_COLOURS = {"alert": "#c0392b", "warning": "#d68910", "watch": "#2471a3"}
RETURN_COLOUR = "#c0392b"
EVENT_COLOUR = "#5d6d7e"
#: The tactics' colours, in the knowledge file's order of tactics (a qualitative palette).
_PALETTE = (
    "#1f77b4",
    "#d62728",
    "#9467bd",
    "#ff7f0e",
    "#2ca02c",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#7f7f7f",
)


def tactic_colours(labels: tuple[str, ...]) -> dict[str, str]:
    """Each tactic's colour, the same in every chart and table."""
    return {label: _PALETTE[i % len(_PALETTE)] for i, label in enumerate(labels)}


def _day(day: dt.date) -> float:
    """Matplotlib's day number (days since 1970-01-01)."""
    return float((day - dt.date(1970, 1, 1)).days)


def _date_axis(ax: Axes, size: float = 7) -> None:
    import matplotlib.dates as mdates

    # matplotlib.dates ships without type hints for these two.
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.tick_params(labelsize=size)


# -- 2. activity against baseline: small multiples -------------------------------------------------


def panel_grid(n: int) -> tuple[int, int]:
    """Rows and columns of ``n`` small multiples: one column for one, else two."""
    cols = 1 if n <= 1 else 2
    return math.ceil(n / cols), cols


def draw_panel(ax: Axes, panel: Panel, data: BriefData, *, ylabel: bool = True) -> None:
    """A region's weekly events of the actor (bars), its baseline (the mean of the 26 weeks before
    each week) with the 5–95% band, and the last weeks its level is read on, shaded."""
    from matplotlib.ticker import MaxNLocator

    points = panel.points
    if not points:
        ax.set_axis_off()
        return
    xs = [_day(p.week_start) for p in points]
    # A week's bar is 6 days wide; over years that is a hairline, so it is drawn at least 1/150
    # of the axis wide (a lone event must stay visible in a brief of five years).
    width = max(6.0, (xs[-1] - xs[0]) / 150)
    ax.bar(xs, [p.events for p in points], width=width, align="edge", color=EVENT_COLOUR, zorder=2)
    band_x = [*xs, xs[-1] + 7]  # the step of the last week reaches its end
    ax.fill_between(
        band_x,
        [p.low for p in points] + [points[-1].low],
        [p.high for p in points] + [points[-1].high],
        step="post",
        color="#5d6d7e",
        alpha=0.15,
        lw=0,
        zorder=1,
    )
    ax.step(
        band_x,
        [p.baseline for p in points] + [points[-1].baseline],
        where="post",
        color="#1b2631",
        lw=1.0,
        zorder=3,
    )
    window_start = data.until - dt.timedelta(days=7 * data.window_weeks - 1)
    colour = LEVEL_COLOURS.get(panel.level or "", "#aaaaaa")
    ax.axvspan(_day(window_start), _day(data.until) + 1, color=colour, alpha=0.14, lw=0, zorder=0)
    top = max([*(p.events for p in points), *(p.high for p in points), 1])
    ax.set_ylim(0, top * 1.15)
    ax.set_xlim(xs[0], max(xs[-1] + 7, _day(data.until) + 1))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=2, nbins=4))
    _date_axis(ax, 6.5)
    ax.grid(axis="y", color="#e5e5e5", lw=0.5, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    if ylabel:
        ax.set_ylabel("events per week", fontsize=6.5)
    ax.set_title(drawn(drawable(panel.region)), fontsize=8, loc="left", parse_math=False)
    ax.set_title(
        (panel.level or "no level").upper() if panel.level else "no level",
        fontsize=7,
        loc="right",
        color=colour if panel.level else "#888888",
        fontweight="bold" if panel.level else "normal",
    )


def panels_caption(data: BriefData) -> str:
    return (
        f"Bars: {data.actor}'s events per week. Line and band: the mean of the 26 weeks before "
        f"each week and its 5–95% range. Shaded: the last {data.window_weeks} weeks, on which the "
        "level is read."
    )


def panels_figure(data: BriefData) -> Figure:
    """The small multiples as one figure (for Markdown and HTML)."""
    from matplotlib.figure import Figure

    rows, cols = panel_grid(len(data.panels))
    fig = Figure(
        figsize=(7, 0.4 + (1.75 if cols > 1 else 2.4) * rows), dpi=150, layout="constrained"
    )
    axes = fig.subplots(rows, cols, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i < len(data.panels):
            draw_panel(ax, data.panels[i], data, ylabel=i % cols == 0)
        else:
            ax.set_axis_off()
    return fig


# -- 3. where it reappeared --------------------------------------------------------------------


def _map_extent(
    data: BriefData, features: list[dict[str, Any]]
) -> tuple[float, float, float, float]:
    """The chosen governorate, else the actor's placed events (and the returns) with a margin."""
    xs, ys = governorate_points(features, data.region_code or "")
    if not xs:
        for e in [*data.events, *(r.event for r in data.returns)]:
            if e.longitude is not None and e.latitude is not None and located_where(e) == "point":
                xs.append(e.longitude)
                ys.append(e.latitude)
    return around(xs, ys)


def map_aspect(data: BriefData, boundaries: Boundaries) -> float:
    """The map's height over its width."""
    x0, x1, y0, y1 = _map_extent(data, boundaries.features)
    return (y1 - y0) / (x1 - x0) / math.cos(math.radians((y0 + y1) / 2))


def draw_returns_map(ax: Axes, data: BriefData, boundaries: Boundaries) -> None:
    """The actor's events of the period as grey discs sized by fatalities; its returns (events in
    a place after ``quiet_weeks`` or more without one there) as red discs with their references;
    the governorates it returned to as a whole filled red."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    extent = _map_extent(data, boundaries.features)
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_facecolor("#eef2f5")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")
    whole = {r.event.admin1_code or "" for r in data.returns if r.governorate}
    draw_governorates(ax, boundaries, extent, chosen=data.region_code or "", highlighted=whole)

    returning = {r.event.id for r in data.returns}
    points = sorted(
        (e for e in data.events if located_where(e) == "point" and e.id not in returning),
        key=lambda e: -e.fatalities,
    )
    if points:
        ax.scatter(
            [e.longitude or 0.0 for e in points],
            [e.latitude or 0.0 for e in points],
            s=[marker_size(e.fatalities) for e in points],
            c=EVENT_COLOUR,
            edgecolors="white",
            linewidths=0.5,
            alpha=0.45,
            zorder=3,
        )
    placed = [r for r in data.returns if located_where(r.event) == "point"]
    if placed:
        ax.scatter(
            [r.event.longitude or 0.0 for r in placed],
            [r.event.latitude or 0.0 for r in placed],
            s=[marker_size(r.event.fatalities) * 1.6 for r in placed],
            c=RETURN_COLOUR,
            edgecolors="#641e16",
            linewidths=0.8,
            zorder=5,
        )
        import matplotlib.patheffects as pe

        halo = [pe.withStroke(linewidth=2, foreground="white")]
        for r in placed:
            ref = data.refs.get(r.event.id)
            if ref:
                ax.annotate(
                    ref,
                    (r.event.longitude or 0.0, r.event.latitude or 0.0),
                    xytext=(4, 3),
                    textcoords="offset points",
                    fontsize=6,
                    color="#641e16",
                    zorder=6,
                    path_effects=halo,
                    annotation_clip=True,
                )
    handles: list[Any] = [
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=6,
            markerfacecolor=EVENT_COLOUR,
            markeredgecolor="white",
            alpha=0.6,
            label=f"its events in the period ({len(points):,})",
        ),
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=7,
            markerfacecolor=RETURN_COLOUR,
            markeredgecolor="#641e16",
            label=f"in a place after {data.quiet_weeks}+ weeks without ({len(placed):,})",
        ),
    ]
    if whole:
        handles.append(
            Patch(facecolor="#f9d9d4", edgecolor=RETURN_COLOUR, label="governorate returned to")
        )
    # ax.legend, not an added Legend artist: an added artist is clipped to the axes, and a narrow
    # map (one tall governorate) would cut the legend's words.
    ax.legend(
        handles=handles,
        loc="best",  # where it hides the fewest events (the corners of Syria hold some)
        fontsize=6.5,
        framealpha=0.9,
        title="discs sized by fatalities",
        title_fontsize=6.5,
    )
    unplaced = sum(1 for e in data.events if located_where(e) != "point")
    notes = [boundaries.attribution]
    if unplaced:
        notes.insert(0, f"{unplaced:,} events located only to a governorate or country: not drawn")
    ax.set_xlabel(drawn(drawable(".\n".join(notes))), fontsize=6, color="#666666", loc="right")


def returns_map_figure(data: BriefData, boundaries: Boundaries | None = None) -> Figure:
    return map_figure(data, boundaries, draw=draw_returns_map, aspect=map_aspect)


# -- 4. repertoire -------------------------------------------------------------------------------


def draw_repertoire(ax: Axes, data: BriefData) -> None:
    """The share of the actor's events showing each insurgent tactic, by month (stacked: each
    event under the first of its tactics), with the month's count of events over its bar."""
    from matplotlib.ticker import PercentFormatter

    months = list(data.repertoire)
    colours = tactic_colours(data.tactic_labels)
    xs = list(range(len(months)))
    bottom = [0.0] * len(months)
    used = _tactics_used(data)
    for label in used:
        heights = [dict(m.by_tactic).get(label, 0) / m.events if m.events else 0.0 for m in months]
        ax.bar(
            xs,
            heights,
            bottom=bottom,
            color=colours[label],
            label=drawn(drawable(label)),
            width=0.7,
            zorder=2,
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    top = max([*bottom, 0.1])
    for x, m, b in zip(xs, months, bottom, strict=True):
        if m.events:  # a month without events has no bar to count
            ax.text(
                x,
                b + top * 0.02,
                f"{m.events:,}",
                ha="center",
                va="bottom",
                fontsize=6,
                color="#555555",
            )
    ax.set_ylim(0, min(1.0, top * 1.18) if top < 0.85 else 1.08)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xticks(xs)
    step = max(1, math.ceil(len(months) / 14))
    ax.set_xticklabels(
        [m.month if i % step == 0 else "" for i, m in enumerate(months)],
        rotation=0 if len(months) <= 8 else 45,
        fontsize=6.5,
    )
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.tick_params(labelsize=6.5)
    ax.set_ylabel("share of its events", fontsize=7)
    ax.grid(axis="y", color="#e5e5e5", lw=0.5, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(
            handles,
            labels,
            fontsize=6.5,
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(0.0, -0.1 if len(months) <= 8 else -0.2),
            ncol=3,
        )


def _tactics_used(data: BriefData) -> list[str]:
    return [
        label
        for label in data.tactic_labels
        if any(dict(m.by_tactic).get(label) for m in data.repertoire)
    ]


def repertoire_legend_depth(data: BriefData) -> float:
    """Inches under the repertoire chart for its month labels and its legend (3 tactics a row)."""
    rows = math.ceil(len(_tactics_used(data)) / 3)
    return (0.3 if len(data.repertoire) <= 8 else 0.5) + 0.15 * rows


def repertoire_figure(data: BriefData) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 2.6 + repertoire_legend_depth(data)), dpi=150, layout="constrained")
    draw_repertoire(fig.add_subplot(), data)
    return fig


# -- 6. strength ---------------------------------------------------------------------------------


def draw_strength(ax: Axes, data: BriefData) -> None:
    """Each dated strength estimate as a point with its range; those in the period filled."""
    from matplotlib.ticker import FuncFormatter

    estimates = list(data.strength)
    for s in estimates:
        inside = data.since <= s.date <= data.until
        low = s.low if s.low is not None else s.value
        high = s.high if s.high is not None else s.value
        x = _day(s.date)
        if high > low:
            ax.plot([x, x], [low, high], color="#1b2631", lw=1.2, zorder=2)
        ax.plot(
            [x],
            [s.value],
            ls="",
            marker="o",
            markersize=6,
            zorder=3,
            markerfacecolor="#1b2631" if inside else "white",
            markeredgecolor="#1b2631",
        )
        label = f"{s.value:,.0f}" if high <= low else f"{low:,.0f}–{high:,.0f}"
        ax.annotate(
            label,
            (x, s.value),
            xytext=(6, 0),
            textcoords="offset points",
            fontsize=6.5,
            va="center",
            color="#333333",
            annotation_clip=False,
        )
    days = [_day(s.date) for s in estimates]
    pad = max(20.0, (max(days) - min(days)) * 0.08)
    ax.set_xlim(min(days) - pad, max(days) + 2 * pad)  # room for the newest one's label
    top = max((s.high if s.high is not None else s.value) for s in estimates)
    ax.set_ylim(0, top * 1.15 or 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    _date_axis(ax)
    ax.set_ylabel("fighters (estimate)", fontsize=7)
    ax.grid(axis="y", color="#e5e5e5", lw=0.5, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)


def strength_figure(data: BriefData) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 2.4), dpi=150, layout="constrained")
    draw_strength(fig.add_subplot(), data)
    return fig
