"""The report stage: what leaves Harbinger as files for people and other tools.

``situation`` writes a situation report (Markdown, HTML or PDF) of a period's events, warnings,
statements and indicators with its plots: ``collect`` gathers a ``ReportData``, ``render`` writes
it, ``write_report`` does both. ``export`` writes stored events as ACLED's CSV, GeoJSON or JSON
Lines. Both read the store and the analyses; neither knows the command line.
"""

from __future__ import annotations

from harbinger.report.situation import ReportData, ReportError, collect, render, write_report

__all__ = ["ReportData", "ReportError", "collect", "render", "write_report"]
