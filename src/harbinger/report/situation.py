"""Situation reports: a period's events, warnings, statements and indicators, as Markdown, HTML or PDF.

The plots are drawn with matplotlib (the Agg backend, no display): the weekly events by type with the
region's baseline band, and a map of the period's events over the governorates. Markdown gets the
plots as PNG files next to it; HTML embeds them (and escapes every piece of text read from reports);
PDF is composed page by page with matplotlib's ``PdfPages``, so no browser or TeX is needed.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harbinger.errors import HarbingerError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from harbinger.geo import Gazetteer
    from harbinger.records import Warning
    from harbinger.store import Store, StoredClaim, StoredEvent, StoredIndicator

#: Colours of ACLED's event types, shared by the plots (and by the dashboard's legend).
TYPE_COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d",
}
BOUNDARIES = Path(__file__).parent / "web" / "data" / "governorates.geojson"


class ReportError(HarbingerError):
    """The report cannot be written (unknown format, unwritable path)."""


@dataclass(frozen=True, slots=True)
class ReportData:
    """What a report shows."""

    title: str
    region: str | None
    since: dt.date
    until: dt.date
    events: list[StoredEvent]
    warnings: list[Warning]
    claims: list[StoredClaim]
    indicators: list[StoredIndicator]


def collect(
    store: Store,
    *,
    region: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    gazetteer: Gazetteer | None = None,
) -> ReportData:
    """Gather a period's events, warnings, statements and indicators (default: the 12 weeks up to
    the newest event in the store)."""
    from harbinger.analyze.series import events_frame, select
    from harbinger.analyze.warnings import compute_warnings, latest_event_date

    if gazetteer is None:
        from harbinger.geo import configured_gazetteer

        gazetteer = configured_gazetteer()
    until = until or latest_event_date(store) or dt.date.today()
    since = since or until - dt.timedelta(weeks=12)
    if since > until:
        raise ReportError(f"--from {since} is after --to {until}; swap them")
    events = store.events(since=since, until=until)
    if region:
        frame = events_frame(events, gazetteer)
        keep = set(select(frame, region=region)["id"]) if not frame.empty else set()
        events = [e for e in events if e.id in keep]
    warnings = compute_warnings(store, as_of=until, gazetteer=gazetteer, region=region)
    claims = [c for c in store.claims() if c.published and since <= c.published <= until]
    indicators = [i for i in store.indicators() if i.published and since <= i.published <= until]
    if region:
        low = region.lower()
        claims = [
            c for c in claims if low in ((c.admin1_code or "").lower(), (c.place or "").lower())
        ]
        indicators = [
            i for i in indicators if low in ((i.admin1_code or "").lower(), (i.place or "").lower())
        ]
    where = region or "Iraq and Syria"
    title = f"Situation report: {where}, {since.isoformat()} to {until.isoformat()}"
    return ReportData(title, region, since, until, events, warnings, claims, indicators)


# -- plots ------------------------------------------------------------------------------------


def series_figure(data: ReportData, store: Store) -> Figure:
    """Weekly events by type (stacked bars) with the region's baseline band."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from harbinger.analyze.series import week_start, weekly_series

    points = weekly_series(store, admin1=data.region, since=data.since, until=data.until)
    weeks = [
        week_start(data.since) + dt.timedelta(weeks=i)
        for i in range((week_start(data.until) - week_start(data.since)).days // 7 + 1)
    ]
    by_type: dict[str, Counter[dt.date]] = {t: Counter() for t in TYPE_COLOURS}
    for e in data.events:
        if e.date is not None:
            by_type.setdefault(e.event_type, Counter())[week_start(e.date)] += 1
    fig, ax = plt.subplots(figsize=(10, 3.6), dpi=120)
    x_weeks = _date_nums(weeks)
    bottom = [0] * len(weeks)
    for etype, counts in by_type.items():
        values = [counts.get(w, 0) for w in weeks]
        if any(values):
            ax.bar(
                x_weeks,
                values,
                width=5,
                bottom=bottom,
                color=TYPE_COLOURS.get(etype, "#95a5a6"),
                label=etype,
                align="edge",
                zorder=2,
                alpha=0.9,
            )
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if points:
        xs = _date_nums([p.week_start for p in points])
        ax.fill_between(
            xs,
            [p.low for p in points],
            [p.high for p in points],
            step="post",
            color="#5d6d7e",
            alpha=0.18,
            label="baseline band (5-95%)",
            zorder=1,
        )
        ax.step(
            xs,
            [p.baseline for p in points],
            where="post",
            color="#1b2631",
            lw=1.4,
            label="baseline (26-week mean)",
            zorder=3,
        )
    ax.xaxis_date()
    ax.set_ylabel("events per week")
    ax.set_title(f"Weekly events, {data.region or 'all regions'}", loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _date_nums(days: list[dt.date]) -> list[float]:
    """Matplotlib's day numbers (days since 1970-01-01), so the axes can be shown as dates."""
    epoch = dt.date(1970, 1, 1)
    return [float((d - epoch).days) for d in days]


def map_figure(data: ReportData) -> Figure:
    """The period's events over the governorate outlines (approximate; see the boundaries' README)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 6), dpi=120)
    if BOUNDARIES.exists():
        shapes = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
        for feature in shapes.get("features", []):
            geom = feature.get("geometry") or {}
            polys = geom.get("coordinates", [])
            if geom.get("type") == "Polygon":
                polys = [polys]
            for poly in polys:
                for ring in poly[:1]:
                    xs = [pt[0] for pt in ring]
                    ys = [pt[1] for pt in ring]
                    ax.fill(xs, ys, facecolor="#f4f1ea", edgecolor="#9a9a9a", lw=0.5)
    for etype, colour in TYPE_COLOURS.items():
        pts = [
            (e.longitude, e.latitude)
            for e in data.events
            if e.event_type == etype and e.latitude is not None and e.longitude is not None
        ]
        if pts:
            ax.scatter(
                [p[0] for p in pts],
                [p[1] for p in pts],
                s=22,
                color=colour,
                edgecolor="white",
                lw=0.5,
                label=f"{etype} ({len(pts)})",
                zorder=3,
            )
    ax.set_xlim(35.5, 48.8)
    ax.set_ylim(29.0, 37.6)
    ax.set_aspect("equal")
    ax.set_title("Events in the period", loc="left", fontsize=11)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.legend(fontsize=7, frameon=True, loc="lower left")
    ax.text(
        0.99,
        0.01,
        "Governorate outlines approximate",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=6,
        color="#777777",
    )
    fig.tight_layout()
    return fig


def _png(fig: Figure) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


# -- text --------------------------------------------------------------------------------------


def _summary(data: ReportData) -> list[str]:
    types = Counter(e.event_type for e in data.events)
    fatalities = sum(e.fatalities for e in data.events)
    lines = [
        f"{len(data.events)} events ({fatalities} reported fatalities) between "
        f"{data.since.isoformat()} and {data.until.isoformat()}.",
    ]
    if types:
        lines.append("By type: " + ", ".join(f"{t} {n}" for t, n in types.most_common()) + ".")
    levels = Counter(w.level for w in data.warnings)
    if data.warnings:
        lines.append(
            "Active warnings: " + ", ".join(f"{n} {lvl}" for lvl, n in levels.most_common()) + "."
        )
    else:
        lines.append("No active warnings at the end of the period.")
    return lines


def _top_events(data: ReportData, n: int = 15) -> list[StoredEvent]:
    return sorted(data.events, key=lambda e: (-e.fatalities, e.date or dt.date.min))[:n]


def _claims(data: ReportData, n: int = 12) -> list[StoredClaim]:
    order = {
        "warning": 0,
        "claim of responsibility": 1,
        "concern": 2,
        "denial": 3,
        "reassurance": 4,
    }
    return sorted(data.claims, key=lambda c: (order.get(c.stance, 9), c.published or dt.date.min))[
        :n
    ]


def _quote(text: str, width: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _md(text: str) -> str:
    """Text from reports inside Markdown: no table breaks, no markup."""
    out = " ".join(str(text).split())
    for ch in "\\|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def render_markdown(data: ReportData, out: Path, store: Store) -> Path:
    stem = out.with_suffix("")
    series_png = Path(f"{stem}_series.png")
    map_png = Path(f"{stem}_map.png")
    series_png.write_bytes(_png(series_figure(data, store)))
    map_png.write_bytes(_png(map_figure(data)))
    lines = [f"# {_md(data.title)}", "", *(_md(s) for s in _summary(data)), ""]
    lines += [
        "## Events by week",
        "",
        f"![Weekly events with baseline band]({series_png.name})",
        "",
    ]
    lines += ["## Map", "", f"![Events in the period]({map_png.name})", ""]
    lines += ["## Warnings", ""]
    if not data.warnings:
        lines.append("None.")
    for w in data.warnings:
        lines.append(
            f"- **{w.level.upper()}** {_md(w.region)} ({w.period_start} to {w.period_end}, "
            f"score {w.score:.2f}): {_md(w.reason)}"
        )
        for quote in w.evidence[:3]:
            lines.append(f"  > {_md(_quote(quote.sentence))}")
    lines += [
        "",
        "## Main events",
        "",
        "| date | type | actors | place | fatalities | source |",
        "|---|---|---|---|---|---|",
    ]
    for e in _top_events(data):
        actors = " vs ".join(a for a in (e.actor1, e.actor2) if a)
        lines.append(
            f"| {e.date} | {_md(e.sub_event_type)} | {_md(actors)} | "
            f"{_md(e.location or '-')} ({_md(e.admin1 or '-')}) | {e.fatalities} | "
            f"{_md(Path(e.source or '').name or e.origin)} |"
        )
    lines += ["", "## Key statements", ""]
    for c in _claims(data):
        who = c.speaker + (f" ({c.speaker_title})" if c.speaker_title else "")
        lines.append(f"- *{_md(c.stance)}*: {_md(who)}: \u201c{_md(_quote(c.text))}\u201d")
    if not data.claims:
        lines.append("None in the period.")
    lines += ["", "## Indicators", ""]
    for i in data.indicators[:20]:
        rng = f" ({i.low:g}-{i.high:g})" if i.low is not None and i.high is not None else ""
        lines.append(
            f"- {_md(i.kind)}: {_md(str(i.value))}{rng}; {_md(i.actor or '-')}; "
            f"{_md(i.place or '-')}"
        )
    if not data.indicators:
        lines.append("None in the period.")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def render_html(data: ReportData, out: Path, store: Store) -> Path:
    esc = html.escape
    series = base64.b64encode(_png(series_figure(data, store))).decode()
    mapping = base64.b64encode(_png(map_figure(data))).decode()
    colours = {"alert": "#c0392b", "warning": "#d68910", "watch": "#2471a3"}
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(data.title)}</title>",
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}"
        "h1{font-size:1.5em}h2{border-bottom:1px solid #ddd;margin-top:1.6em}"
        "table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #eee;"
        "padding:4px 6px;text-align:left;vertical-align:top}blockquote{margin:.3em 0 .3em 1em;"
        "color:#555;border-left:3px solid #ccc;padding-left:.6em}.lvl{color:#fff;padding:1px 6px;"
        "border-radius:3px;font-size:12px;text-transform:uppercase}img{max-width:100%}</style>",
        "</head><body>",
        f"<h1>{esc(data.title)}</h1>",
        *(f"<p>{esc(s)}</p>" for s in _summary(data)),
        "<h2>Events by week</h2>",
        f"<img alt='Weekly events by type with the baseline band' src='data:image/png;base64,{series}'>",
        "<h2>Map</h2>",
        f"<img alt='Events in the period' src='data:image/png;base64,{mapping}'>",
        "<h2>Warnings</h2>",
    ]
    if not data.warnings:
        parts.append("<p>None.</p>")
    for w in data.warnings:
        parts.append(
            f"<p><span class='lvl' style='background:{colours[w.level]}'>{esc(w.level)}</span> "
            f"<b>{esc(w.region)}</b> {w.period_start} to {w.period_end}, score {w.score:.2f}: "
            f"{esc(w.reason)}</p>"
        )
        parts += [f"<blockquote>{esc(_quote(q.sentence))}</blockquote>" for q in w.evidence[:3]]
    parts += [
        "<h2>Main events</h2><table><tr><th>date</th><th>type</th><th>actors</th>"
        "<th>place</th><th>fatalities</th><th>source</th></tr>"
    ]
    for e in _top_events(data):
        actors = " vs ".join(a for a in (e.actor1, e.actor2) if a)
        parts.append(
            f"<tr><td>{e.date}</td><td>{esc(e.sub_event_type)}</td><td>{esc(actors)}</td>"
            f"<td>{esc(e.location or '-')} ({esc(e.admin1 or '-')})</td><td>{e.fatalities}</td>"
            f"<td>{esc(Path(e.source or '').name or e.origin)}</td></tr>"
        )
    parts.append("</table><h2>Key statements</h2><ul>")
    for c in _claims(data):
        who = c.speaker + (f" ({c.speaker_title})" if c.speaker_title else "")
        parts.append(
            f"<li><i>{esc(c.stance)}</i>: {esc(who)}: &ldquo;{esc(_quote(c.text))}&rdquo;</li>"
        )
    parts.append("</ul><h2>Indicators</h2><ul>")
    for i in data.indicators[:20]:
        rng = f" ({i.low:g}-{i.high:g})" if i.low is not None and i.high is not None else ""
        parts.append(
            f"<li>{esc(i.kind)}: {esc(str(i.value))}{rng}; {esc(i.actor or '-')}; "
            f"{esc(i.place or '-')}</li>"
        )
    parts.append(
        "</ul><p style='color:#777;font-size:12px'>Generated by Harbinger. Governorate "
        "outlines are approximate. Every figure points back to its reports.</p></body></html>"
    )
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def render_pdf(data: ReportData, out: Path, store: Store) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    def text_page(title: str, lines: list[str]) -> Any:
        fig = plt.figure(figsize=(8.27, 11.69))
        fig.text(0.07, 0.95, title, fontsize=14, weight="bold", va="top")
        y = 0.91
        for line in lines:
            for wrapped in textwrap.wrap(line, 100) or [""]:
                if y < 0.05:
                    break
                fig.text(0.07, y, wrapped, fontsize=8.5, va="top", family="DejaVu Sans")
                y -= 0.018
        return fig

    with PdfPages(out) as pdf:
        first = [*_summary(data), ""]
        for w in data.warnings[:12]:
            first.append(f"[{w.level.upper()}] {w.region}: {w.reason}")
            first += [f'    "{_quote(q.sentence, 180)}"' for q in w.evidence[:2]]
        if not data.warnings:
            first.append("No active warnings.")
        for fig in (
            text_page(data.title, first),
            series_figure(data, store),
            map_figure(data),
            text_page(
                "Key statements and indicators",
                [
                    f"{c.stance}: {c.speaker}: \u201c{_quote(c.text, 200)}\u201d"
                    for c in _claims(data)
                ]
                + [""]
                + [
                    f"{i.kind}: {i.value}; {i.actor or '-'}; {i.place or '-'}"
                    for i in data.indicators[:25]
                ],
            ),
        ):
            pdf.savefig(fig)
            plt.close(fig)
    return out


def write_report(
    store: Store,
    out: Path,
    *,
    region: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Path:
    """Write a situation report; the file's extension (.md, .html, .pdf) chooses the format."""
    renderers = {
        ".md": render_markdown,
        ".html": render_html,
        ".htm": render_html,
        ".pdf": render_pdf,
    }
    suffix = out.suffix.lower()
    if suffix not in renderers:
        raise ReportError(f"{out}: unknown report format {suffix!r}; use .md, .html or .pdf")
    if not out.parent.exists():
        raise ReportError(f"{out}: folder {out.parent} does not exist")
    data = collect(store, region=region, since=since, until=until)
    try:
        return renderers[suffix](data, out, store)
    except OSError as exc:
        raise ReportError(f"cannot write {out}: {exc.strerror}") from exc
