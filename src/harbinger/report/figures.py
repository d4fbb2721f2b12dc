"""The plots of a situation report, drawn with matplotlib into axes the caller places.

``draw_series`` draws the weekly events by type with the region's baseline band; ``draw_map`` the
period's events over the governorate boundaries, with the governorates' names, each event a disc
coloured by its type and sized by its fatalities. The PDF places both axes on its own pages (vector
graphics); Markdown and HTML take them as PNG from ``series_figure`` and ``map_figure``. Figures are
made with ``matplotlib.figure.Figure`` rather than pyplot, so a report leaves no global state behind
and needs no display.

Every text drawn comes from reports and is passed with ``parse_math=False`` (a "$" in a name is a
dollar, not mathematics) and through ``drawable`` (characters the font lacks are replaced rather than
left to a "Glyph missing" warning on stderr), then through ``rtl.drawn`` (Arabic shaped and put in
display order when the installed matplotlib does not do it itself).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harbinger.errors import HarbingerError
from harbinger.report.rtl import drawn
from harbinger.wording import count

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from harbinger.report.situation import ReportData
    from harbinger.store import StoredEvent

__all__ = [
    "TYPE_COLOURS",
    "Boundaries",
    "around",
    "draw_governorates",
    "draw_map",
    "draw_series",
    "drawable",
    "governorate_points",
    "label_point",
    "load_boundaries",
    "located_where",
    "map_aspect",
    "map_figure",
    "marker_size",
    "outer_rings",
    "png",
    "series_figure",
]

#: Colours of ACLED's event types, shared by the plots and the tables' swatches.
TYPE_COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d",
}
OTHER_COLOUR = "#95a5a6"
FONT = "DejaVu Sans"
#: The theatre's extent (longitude, latitude): Syria and Iraq with a small margin.
THEATRE = (35.4, 48.9, 29.0, 37.5)


def drawable(text: str) -> str:
    """``text`` with the characters the report's font cannot draw replaced by "?"."""
    glyphs = _font_charmap()
    return "".join(ch if ord(ch) in glyphs or ch in "\n\t" else "?" for ch in text)


@functools.cache
def _font_charmap() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=True)
    return frozenset(FT2Font(path).get_charmap())


# -- the weekly series ---------------------------------------------------------------------------


def _day_number(day: dt.date) -> float:
    """Matplotlib's day number (days since 1970-01-01), so the axis can show dates."""
    return float((day - dt.date(1970, 1, 1)).days)


def draw_series(ax: Axes, data: ReportData) -> None:
    """Weekly events by type (stacked bars) and the region's baseline band, on an integer axis."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import MaxNLocator

    from harbinger.analyze.series import week_start

    first, last = week_start(data.since), week_start(data.until)
    weeks = [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    by_type: dict[str, Counter[dt.date]] = {}
    for e in data.events:
        if e.date is not None:
            by_type.setdefault(e.event_type, Counter())[week_start(e.date)] += 1
    xs = [_day_number(w) for w in weeks]
    bottom = [0] * len(weeks)
    order = [t for t in TYPE_COLOURS if t in by_type] + sorted(set(by_type) - set(TYPE_COLOURS))
    for etype in order:
        values = [by_type[etype].get(w, 0) for w in weeks]
        ax.bar(
            xs,
            values,
            width=6,
            bottom=bottom,
            color=TYPE_COLOURS.get(etype, OTHER_COLOUR),
            label=etype,
            align="edge",
            zorder=2,
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    points = [p for p in data.series if first <= p.week_start <= last]
    if points:
        band_x = [_day_number(p.week_start) for p in points]
        band_x.append(band_x[-1] + 7)  # the step of the last week reaches its end
        ax.fill_between(
            band_x,
            [p.low for p in points] + [points[-1].low],
            [p.high for p in points] + [points[-1].high],
            step="post",
            color="#5d6d7e",
            alpha=0.18,
            lw=0,
            label="baseline band (5–95%)",
            zorder=1,
        )
        ax.step(
            band_x,
            [p.baseline for p in points] + [points[-1].baseline],
            where="post",
            color="#1b2631",
            lw=1.2,
            label="baseline (26-week mean)",
            zorder=3,
        )
    ax.set_xlim(_day_number(first), _day_number(last) + 7)
    top = max([*bottom, *(p.high for p in points), 1])
    ax.set_ylim(0, top * 1.08)
    # Weekly counts are whole numbers: a sparse series must not get ticks at 0.2, 0.4, ...
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=2))
    # matplotlib.dates ships without type hints for these two.
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.tick_params(labelsize=8)
    ax.set_ylabel("events per week", fontsize=8)
    ax.grid(axis="y", color="#e5e5e5", lw=0.6, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    if handles:  # a legend of nothing is a matplotlib warning on stderr
        ax.legend(
            handles,
            labels,
            fontsize=7,
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(0.0, -0.14),
            ncol=3,
        )


def series_figure(data: ReportData) -> Figure:
    """The weekly series as a figure of its own (for Markdown and HTML)."""
    from matplotlib.figure import Figure

    # Drawn about as wide as a page of text, so that its labels keep their size on screen.
    fig = Figure(figsize=(7, 3.3), dpi=150, layout="constrained")
    draw_series(fig.add_subplot(), data)
    return fig


# -- the map -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Boundaries:
    """Governorate outlines (GeoJSON features) and the line that credits them."""

    features: list[dict[str, Any]]
    attribution: str


def load_boundaries() -> Boundaries:
    """The governorates of Natural Earth's admin-1 boundaries (``harbinger.geo.boundaries``), or no
    outlines and a line saying why when they have not been built (the events are still drawn)."""
    from harbinger.geo.boundaries import governorates

    try:
        collection = governorates()
    except HarbingerError as exc:
        return Boundaries([], f"No governorate boundaries: {exc}")
    # The first clause of the collection's credit line; the rest (codes) is for the dashboard.
    credit = str(collection.get("attribution") or "Boundaries: Natural Earth (public domain)")
    return Boundaries(list(collection.get("features", [])), credit.split(";")[0])


def outer_rings(geometry: dict[str, Any] | None) -> list[list[tuple[float, float]]]:
    """The outer rings of a Polygon or MultiPolygon (lon, lat). Holes are not drawn: a hole in a
    governorate is the territory of another one, whose own fill covers it."""
    if not geometry:
        return []
    coords = geometry.get("coordinates") or []
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return []
    return [[(float(x), float(y)) for x, y, *_ in polygon[0]] for polygon in polygons if polygon]


def _ring_area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a ring by the shoelace formula (two lines; shapely is no dependency)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def label_point(
    feature: dict[str, Any], rings: list[list[tuple[float, float]]]
) -> tuple[float, float]:
    """Where a governorate's name goes: Natural Earth's label point, else its largest ring's
    centroid."""
    props = feature.get("properties") or {}
    lat, lon = props.get("label_lat"), props.get("label_lon")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return float(lon), float(lat)
    _, x, y = max(_ring_area_centroid(r) for r in rings)
    return x, y


def marker_size(fatalities: int) -> float:
    """Marker area in points² for an event: the disc's area grows with its fatalities (its diameter
    with their square root): 4 pt across for none, 5.8 pt for one death, 31 pt for 230."""
    diameter = 4.0 + 1.8 * math.sqrt(max(0, fatalities))
    return diameter * diameter


def located_where(event: StoredEvent) -> str:
    """How finely an event is placed: "point", "governorate" (coded only to its governorate) or
    "country" (no finer than the country, or no coordinates at all)."""
    location = (event.location or "").strip().lower()
    if event.latitude is None or event.longitude is None:
        return "country"
    if location in ((event.country or "").lower(), (event.country_code or "").lower()):
        return "country"
    if event.geo_precision == 3:
        if not event.admin1_code:
            return "country"
        if location in ((event.admin1 or "").lower(), ""):
            return "governorate"
    return "point"


def _extent(data: ReportData, features: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    """The theatre, or the chosen governorate (with its events) and a margin around it."""
    xs, ys = governorate_points(features, data.region_code or "")
    if data.region and not xs:  # a knowledge region (jazira): its events show where it is
        for e in data.events:
            if e.longitude is not None and e.latitude is not None and located_where(e) == "point":
                xs.append(e.longitude)
                ys.append(e.latitude)
    return around(xs, ys)


def around(xs: list[float], ys: list[float]) -> tuple[float, float, float, float]:
    """The extent (x0, x1, y0, y1) of points with a margin, or the theatre when there are none."""
    if not xs:
        return THEATRE
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    # At least 3 degrees across, so that one town or a small governorate still shows its neighbours.
    half_w, half_h = max(1.5, (x1 - x0) / 2 + 0.4), max(1.2, (y1 - y0) / 2 + 0.4)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - half_w, cx + half_w, cy - half_h, cy + half_h


def governorate_points(
    features: list[dict[str, Any]], code: str
) -> tuple[list[float], list[float]]:
    """The longitudes and latitudes of a governorate's outline (empty when it has none)."""
    xs: list[float] = []
    ys: list[float] = []
    for feature in features:
        props = feature.get("properties") or {}
        if code and str(props.get("code", "")).upper() == code.upper():
            for ring in outer_rings(feature.get("geometry")):
                xs += [x for x, _ in ring]
                ys += [y for _, y in ring]
    return xs, ys


def _draw_governorates(
    ax: Axes, data: ReportData, boundaries: Boundaries, extent: tuple[float, float, float, float]
) -> None:
    """The governorates with their names; the chosen one outlined, those holding events coded
    only to them hatched."""
    draw_governorates(
        ax,
        boundaries,
        extent,
        chosen=data.region_code or "",
        hatched={e.admin1_code or "" for e in data.events if located_where(e) == "governorate"},
    )


def draw_governorates(
    ax: Axes,
    boundaries: Boundaries,
    extent: tuple[float, float, float, float],
    *,
    chosen: str = "",
    hatched: set[str] | frozenset[str] = frozenset(),
    highlighted: set[str] | frozenset[str] = frozenset(),
    highlight: tuple[str, str] = ("#f9d9d4", "#c0392b"),
) -> None:
    """The governorates with their names: ``chosen`` outlined, ``hatched`` hatched, the
    ``highlighted`` ones filled and edged in the ``highlight`` colours (fill, edge). Names too
    small for the scale (Damascus city) or off the map are left out."""
    import matplotlib.patheffects as pe
    from matplotlib.collections import PolyCollection

    x0, x1, y0, y1 = extent
    view = max(x1 - x0, y1 - y0)
    chosen = chosen.upper()
    shaded = {c.upper() for c in hatched}
    marked = {c.upper() for c in highlighted}
    rings_all: list[list[tuple[float, float]]] = []
    fills: list[str] = []
    edges: list[str] = []
    widths: list[float] = []
    hatch_rings: list[list[tuple[float, float]]] = []
    labels: list[tuple[float, float, str]] = []
    for feature in boundaries.features:
        props = feature.get("properties") or {}
        code = str(props.get("code", "")).upper()
        rings = outer_rings(feature.get("geometry"))
        if not rings:
            continue
        rings_all += rings
        if code in marked:
            fills += [highlight[0]] * len(rings)
            edges += [highlight[1]] * len(rings)
            widths += [1.0] * len(rings)
        else:
            fills += ["#fbf7ef" if code == chosen else "#f4f1ea"] * len(rings)
            edges += ["#444444" if code == chosen else "#9a9a9a"] * len(rings)
            widths += [1.3 if code == chosen else 0.5] * len(rings)
        if code in shaded:
            hatch_rings += rings
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        lx, ly = label_point(feature, rings)
        margin = 0.02 * view
        inside = x0 + margin < lx < x1 - margin and y0 + margin < ly < y1 - margin
        big_enough = max(max(xs) - min(xs), max(ys) - min(ys)) >= 0.03 * view
        if inside and big_enough and props.get("name"):
            labels.append((lx, ly, drawn(drawable(str(props["name"])))))
    ax.add_collection(
        PolyCollection(rings_all, facecolors=fills, edgecolors=edges, linewidths=widths, zorder=1)
    )
    if hatch_rings:
        ax.add_collection(
            PolyCollection(
                hatch_rings,
                facecolors="none",
                edgecolors="#8e8e8e",
                hatch="////",
                linewidths=0,
                zorder=1.5,
            )
        )
    halo = [pe.withStroke(linewidth=2.2, foreground="white")]
    for lx, ly, name in labels:
        ax.text(
            lx,
            ly,
            name,
            fontsize=6.5,
            color="#555555",
            ha="center",
            va="center",
            zorder=4,  # over the discs: a governorate's name stays legible under its events
            clip_on=True,
            parse_math=False,
            path_effects=halo,
        )


def _draw_legends(ax: Axes, points: list[StoredEvent], in_governorates: int) -> None:
    """The event types (with counts) at the lower left, the disc sizes at the upper right."""
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    types = Counter(e.event_type for e in points)
    order = [t for t in TYPE_COLOURS if t in types] + sorted(set(types) - set(TYPE_COLOURS))
    handles: list[Any] = [
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=6,
            markerfacecolor=TYPE_COLOURS.get(t, OTHER_COLOUR),
            markeredgecolor="white",
            label=drawn(drawable(f"{t} ({types[t]:,})")),
        )
        for t in order
    ]
    if in_governorates:
        handles.append(
            Patch(
                facecolor="#f4f1ea",
                edgecolor="#8e8e8e",
                hatch="////",
                label=f"located only to a governorate ({in_governorates:,})",
            )
        )
    if handles:
        labels = [str(h.get_label()) for h in handles]
        ax.add_artist(
            Legend(
                ax,
                handles,
                labels,
                loc="lower left",
                fontsize=6.5,
                framealpha=0.9,
                title="events",
                title_fontsize=7,
            )
        )
    top = max((e.fatalities for e in points), default=0)
    if not top:
        return
    # Keys up to 100 only: a key as large as the gravest disc would hide a third of the map; its
    # figure goes in the title instead.
    steps = sorted({n for n in (1, 10, 100) if n <= top} | ({top} if top < 100 else set()))
    sizes = [
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=math.sqrt(marker_size(n)),
            markerfacecolor="#cccccc",
            markeredgecolor="#888888",
            label=f"{n:,}",
        )
        for n in steps
    ]
    biggest = math.sqrt(marker_size(steps[-1])) / 6.5  # in font sizes, as Legend measures
    ax.add_artist(
        Legend(
            ax,
            sizes,
            [str(h.get_label()) for h in sizes],
            loc="upper right",
            fontsize=6.5,
            framealpha=0.9,
            title=f"fatalities (most {top:,})" if top > steps[-1] else "fatalities",
            title_fontsize=7,
            ncols=len(sizes),
            handleheight=biggest,
            handlelength=biggest,
            columnspacing=1.0,
        )
    )


def draw_map(ax: Axes, data: ReportData, boundaries: Boundaries) -> None:
    """The period's events over the governorates: discs coloured by type and sized by
    fatalities; events coded only to a governorate hatch it; those placed no finer than the
    country are counted under the map, not drawn at the country's centre."""
    extent = _extent(data, boundaries.features)
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    # Degrees of longitude shrink with latitude: this keeps the map's shapes true at its centre.
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_facecolor("#eef2f5")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")
    _draw_governorates(ax, data, boundaries, extent)

    placement = Counter(located_where(e) for e in data.events)
    points = sorted(
        (e for e in data.events if located_where(e) == "point"),
        key=lambda e: -e.fatalities,  # big discs first, so the small ones stay visible on top
    )
    if points:
        ax.scatter(
            [e.longitude or 0.0 for e in points],  # located_where: never None for a "point"
            [e.latitude or 0.0 for e in points],
            s=[marker_size(e.fatalities) for e in points],
            c=[TYPE_COLOURS.get(e.event_type, OTHER_COLOUR) for e in points],
            edgecolors="white",
            linewidths=0.6,
            alpha=0.85,
            zorder=3,
        )
    _draw_legends(ax, points, placement["governorate"])
    notes = [boundaries.attribution]
    if placement["country"]:
        unplaced = count(placement["country"], "event")
        notes.insert(0, f"{unplaced} located only to a country: not drawn")
    ax.set_xlabel(drawn(drawable(". ".join(notes))), fontsize=6, color="#666666", loc="right")


def map_aspect(data: ReportData, boundaries: Boundaries) -> float:
    """The map's height over its width."""
    x0, x1, y0, y1 = _extent(data, boundaries.features)
    return (y1 - y0) / (x1 - x0) / math.cos(math.radians((y0 + y1) / 2))


def map_figure(
    data: Any,
    boundaries: Boundaries | None = None,
    draw: Callable[[Axes, Any, Boundaries], None] | None = None,
    aspect: Callable[[Any, Boundaries], float] | None = None,
) -> Figure:
    """A map as a figure of its own (for Markdown and HTML), drawn by ``draw`` in the shape
    ``aspect`` gives (default: the situation report's ``draw_map`` and ``map_aspect``; the brief
    passes its map of returns, whose extent takes the returns in)."""
    from matplotlib.figure import Figure

    boundaries = boundaries or load_boundaries()
    width = 7.0
    ratio = (aspect or map_aspect)(data, boundaries)
    fig = Figure(figsize=(width, min(8.0, width * ratio + 0.4)), dpi=150, layout="constrained")
    (draw or draw_map)(fig.add_subplot(), data, boundaries)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
