"""A resurgence brief as Markdown, with its plots as PNG files beside it.

``brief.md`` gets ``brief_activity.png``, ``brief_map.png``, ``brief_repertoire.png`` and (with two
or more strength estimates) ``brief_strength.png`` next to it. Text read from reports is escaped
with ``report.markdown.escape``, so that it can neither break a table nor add markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harbinger.report.brief import content
from harbinger.report.brief.collect import REASSURING_STANCES, WARNING_STANCES
from harbinger.report.markdown import escape

if TYPE_CHECKING:
    from harbinger.report.brief.collect import BriefData

__all__ = ["render_brief_markdown"]


def _sentences(items: list[tuple[str, list[str]]]) -> str:
    # The references are ours ("E12"), the text is escaped before they are put in.
    return " ".join(content.with_refs(escape(text), refs) for text, refs in items)


def _statements(rows: list[content.StatementRow]) -> list[str]:
    if not rows:
        return ["None in the period."]
    lines = ["| date | speaker | stance | statement | source |", "|---|---|---|---|---|"]
    lines += [
        f"| {s.date} | {escape(s.who)} | {escape(s.stance)} | \u201c{escape(s.text)}\u201d "
        f"| {escape(s.where)} |"
        for s in rows
    ]
    return lines


def render_brief_markdown(data: BriefData, out: Path) -> Path:
    """Write the brief as Markdown at ``out`` (and its plots beside it)."""
    from harbinger.report.brief.figures import (
        panels_caption,
        panels_figure,
        repertoire_figure,
        returns_map_figure,
        strength_figure,
    )
    from harbinger.report.figures import png

    lines = [f"# {escape(data.title)}", "", escape(content.period_line(data)), ""]
    if data.is_empty:
        lines.append(escape(data.nothing_message()))
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return out
    stem = out.with_suffix("")

    def image(name: str, alt: str, raw: bytes) -> list[str]:
        path = Path(f"{stem}_{name}.png")
        path.write_bytes(raw)
        return ["", f"![{alt}]({path.name})", ""]

    said = content.summary(data)
    lines += ["## 1 Summary", "", _sentences(said.opening), "", f"**{escape(said.overall)}**", ""]
    for lvl in content.level_lines(data):
        line = f"- **{lvl.level.upper()}** {escape(lvl.region)}, score {lvl.score}: "
        line += escape(lvl.reason)
        if lvl.refs:
            line += f" Events: {content.refs_text(lvl.refs)}."
        lines.append(line)
    if said.rest:
        lines += ["", _sentences(said.rest)]

    lines += ["", "## 2 Activity against baseline", ""]
    rows = content.activity_rows(data)
    if rows:
        w = data.window_weeks
        lines += [
            f"Per region: its events and fatalities in the last {w} weeks to "
            f"{data.until.isoformat()} against what its own {data.baseline_weeks} weeks before "
            "expect, the level they give, and its events in the whole period.",
            "",
            f"| region | area | level | score | events, last {w} weeks | expected "
            f"| fatalities, last {w} weeks | expected | events, period | fatalities, period "
            "| events |",
            "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
        ]
        lines += [
            f"| {escape(r.region)} | {r.area} | {r.level} | {r.score} | {r.events} | {r.expected} "
            f"| {r.fatalities} | {r.expected_fatalities} | {r.period_events} "
            f"| {r.period_fatalities} | {content.refs_text(r.refs, 4)} |"
            for r in rows
        ]
    else:
        lines.append(
            f"{escape(data.actor)} appears in no region in the 30 weeks up to "
            f"{data.until.isoformat()}."
        )
    if data.panels:
        lines += image(
            "activity",
            "Weekly events of the actor per region with the baseline band",
            png(panels_figure(data)),
        )
        lines.append(escape(panels_caption(data)))
    note = content.section_note(data, 2)
    lines += ["", note] if note else []

    lines += ["", "## 3 Where it reappeared", ""]
    lines.append(
        f"Places (districts, or whole governorates) with its events after {data.quiet_weeks} or "
        "more weeks without any there, as the resurgence analysis's spread signal finds them in "
        "the period."
    )
    if data.events:
        lines += image("map", "Where the actor reappeared", png(returns_map_figure(data)))
    returns = content.return_rows(data)
    if returns:
        lines += [
            "| date | place returned to | kind | event | fatalities | its previous event there "
            "| ref |",
            "|---|---|---|---|--:|---|---|",
        ]
        lines += [
            f"| {r.date} | {escape(r.place)} | {r.kind} | {escape(r.event)} | {r.fatalities} "
            f"| {r.previous} | {r.ref} |"
            for r in returns
        ]
    else:
        lines.append(
            f"No returns in the period: {escape(data.actor)} appeared in no place after "
            f"{data.quiet_weeks} or more weeks without its events there."
        )
    note = content.section_note(data, 3)
    lines += ["", note] if note else []

    lines += ["", "## 4 Repertoire over time", ""]
    if data.events:
        lines.append(
            "The share of its events each month that show an insurgent's tactics, each event "
            "counted under the first of its tactics; its count of events over each bar."
        )
        lines += image(
            "repertoire", "Share of insurgent tactics by month", png(repertoire_figure(data))
        )
        lines += [
            "| month | events | insurgent tactics | share | events showing each tactic |",
            "|---|--:|--:|--:|---|",
        ]
        lines += [
            f"| {m.month} | {m.events:,} | {m.insurgent:,} | {m.share or 0:.0%} | "
            + (escape(", ".join(f"{label} {n:,}" for label, n in m.mentions)) or "-")
            + " |"
            for m in data.repertoire
            if m.events
        ]
        quiet = content.quiet_months(data)
        lines += ["", quiet] if quiet else []
    else:
        lines.append("No events of it in the period.")
    note = content.section_note(data, 4)
    lines += ["", note] if note else []

    lines += ["", "## 5 What officials said", ""]
    warned = content.statement_rows(data.statements, WARNING_STANCES)
    reassured = content.statement_rows(data.statements, REASSURING_STANCES)
    if warned or reassured:
        lines += ["### Warnings and concerns", "", *_statements(warned), ""]
        lines += ["### Reassurances and denials", "", *_statements(reassured)]
    else:
        lines.append(f"No statements about {escape(data.actor)} in the period.")

    lines += ["", "## 6 Strength estimates", ""]
    strength = content.strength_rows(data)
    if strength:
        lines += ["| date | estimate | place | source | said |", "|---|---|---|---|---|"]
        lines += [
            f"| {s.date}{'' if s.in_period else ' (before the period)'} | {escape(s.value)} "
            f"| {escape(s.place)} | {escape(s.source + (': ' + s.title if s.title else ''))} "
            f"| {chr(8220) + escape(s.said) + chr(8221) if s.said else '-'} |"
            for s in strength
        ]
        if len(data.strength) >= 2:
            lines += image("strength", "Strength estimates over time", png(strength_figure(data)))
    else:
        lines.append(f"No estimate of its strength up to {data.until.isoformat()}.")

    lines += ["", "## 7 Appendix: the events behind the brief", ""]
    appendix = content.appendix_rows(data)
    if appendix:
        query = data.query.replace("`", "'")  # typed by the analyst, inside a code span
        lines += [
            f"{len(appendix):,} events, oldest first. Cited in: 1 summary (the deadliest), "
            f"2 activity (the last {data.window_weeks} weeks of each region), 3 returns, "
            f"4 insurgent tactics. All {len(data.events):,} of its events in the period: "
            f'`harbinger events --actor "{query}" --since {data.since.isoformat()} '
            f"--until {data.until.isoformat()}`.",
            "",
            "| ref | date | event | place | type | actors | fatalities | cited in |",
            "|---|---|---|---|---|---|--:|---|",
        ]
        lines += [
            f"| {r.ref} | {r.date} | {escape(r.source)} | {escape(r.place)} "
            f"| {escape(r.sub_event_type)} | {escape(r.actors)} | {r.fatalities} "
            f"| {r.sections}: {escape(r.why)} |"
            for r in appendix
        ]
    else:
        lines.append("The brief cites no events.")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
