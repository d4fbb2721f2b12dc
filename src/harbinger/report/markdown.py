"""A situation report as Markdown, with its plots as PNG files beside it.

``report.md`` gets ``report_series.png`` and ``report_map.png`` next to it (none when the period holds
no events). Text read from reports is escaped so that it can neither break a table nor add markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harbinger.report import content

if TYPE_CHECKING:
    from harbinger.report.situation import ReportData

__all__ = ["escape", "render_markdown"]


def escape(text: object) -> str:
    """Text from reports inside Markdown: one line, no table breaks, no markup, no HTML."""
    out = " ".join(str(text).split())
    for ch in "\\|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def _more(line: str) -> list[str]:
    return ["", escape(line)] if line else []


def render_markdown(data: ReportData, out: Path) -> Path:
    """Write the report as Markdown at ``out`` (and its plots beside it)."""
    from harbinger.report.figures import map_figure, png, series_figure

    lines = [f"# {escape(data.title)}", ""]
    if data.is_empty:
        lines += [escape(data.nothing_message())]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return out
    lines += [
        escape(s)
        for s in content.summary(
            data.events, data.warnings, data.claims, data.indicators, data.since, data.until
        )
    ]
    lines += ["", "## Warnings", ""]
    if not data.warnings:
        lines.append(f"None as of {data.until.isoformat()}.")
    for w in data.warnings:
        lines.append(
            f"- **{w.level.upper()}** {escape(w.region)} ({w.period_start} to {w.period_end}, "
            f"score {w.score:.2f}): {escape(w.reason)}"
        )
        lines += [f"  > {escape(content.quote(q.sentence))}" for q in w.evidence[:3]]

    lines += ["", "## Main events", ""]
    ranked = content.main_events(data.events)
    if ranked.rows:
        lines += [
            "| date | type | actors | place | fatalities | source |",
            "|---|---|---|---|--:|---|",
        ]
        lines += [
            f"| {r.date} | {escape(r.sub_event_type)} | {escape(r.actors)} | {escape(r.place)} "
            f"| {escape(r.fatalities)} | {escape(r.source)} |"
            for r in ranked.rows
        ]
        lines += _more(ranked.more("event"))
    else:
        lines.append("No events in the period.")

    if data.events:
        stem = out.with_suffix("")
        series_png = Path(f"{stem}_series.png")
        map_png = Path(f"{stem}_map.png")
        series_png.write_bytes(png(series_figure(data)))
        map_png.write_bytes(png(map_figure(data)))
        lines += [
            "",
            "## Events by week",
            "",
            f"![Weekly events by type with the baseline band]({series_png.name})",
            "",
            "## Map",
            "",
            f"![The period's events, sized by fatalities]({map_png.name})",
        ]

    if not (data.claims or data.indicators):
        lines += ["", "## Statements and indicators", "", "None in the period."]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return out
    lines += ["", "## Key statements", ""]
    said = content.statements(data.claims)
    if said.rows:
        lines += ["| date | speaker | stance | statement | source |", "|---|---|---|---|---|"]
        lines += [
            f"| {s.date} | {escape(s.who)} | {escape(s.stance)} | \u201c{escape(s.text)}\u201d "
            f"| {escape(s.source)} |"
            for s in said.rows
        ]
        lines += _more(said.more("statement"))
    else:
        lines.append("None in the period.")

    lines += ["", "## Indicators", ""]
    tracked = content.tracked_indicators(data.indicators)
    if tracked.rows:
        lines += [
            "| indicator | value | actor | place | reports | latest |",
            "|---|---|---|---|--:|---|",
        ]
        lines += [
            f"| {escape(i.kind)} | {escape(i.value)} | {escape(i.actor)} | {escape(i.place)} "
            f"| {i.reports:,} | {i.latest} |"
            for i in tracked.rows
        ]
        lines += _more(tracked.more("indicator"))
    else:
        lines.append("None in the period.")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
