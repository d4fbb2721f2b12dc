"""The report stage: what leaves Harbinger as files for people and other tools.

``situation`` writes a situation report (Markdown, HTML or PDF) of a period's events, warnings,
statements and indicators with its plots: ``collect`` gathers a ``ReportData``, ``render`` writes
it, ``write_report`` does both. ``brief`` writes a resurgence brief of one actor family
(``brief.collect_brief``, ``brief.render_brief``) in the same three formats. ``export`` writes
stored events as ACLED's CSV, GeoJSON or JSON Lines. All read the store and the analyses; none
knows the command line.
"""

from __future__ import annotations

from harbinger.report.situation import ReportData, ReportError, collect, render, write_report

__all__ = ["ReportData", "ReportError", "collect", "render", "write_report"]
