"""Resurgence briefs: one actor family against its own past, as Markdown, HTML or PDF.

``collect_brief`` gathers a ``BriefData`` from the store and ``analyze.resurgence`` (``collect``);
``render_brief`` writes it in the format its file's extension names; ``write_brief`` does both. The
words and rows every format shares are in ``content``, the plots in ``figures``, and each format in
its own module (``markdown``, ``html_page``, ``pdf``), as for the situation report. A period that
holds nothing about the actor gets a one-page brief saying so, with where its data lies.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from harbinger.report.brief.collect import BriefData, collect_brief
from harbinger.report.situation import check_out, render_with

if TYPE_CHECKING:
    from collections.abc import Callable

    from harbinger.store import Store

__all__ = ["BriefData", "collect_brief", "render_brief", "write_brief"]


def _renderers() -> dict[str, Callable[[BriefData, Path], Path]]:
    from harbinger.report.brief.html_page import render_brief_html
    from harbinger.report.brief.markdown import render_brief_markdown
    from harbinger.report.brief.pdf import render_brief_pdf

    return {
        ".md": render_brief_markdown,
        ".html": render_brief_html,
        ".htm": render_brief_html,
        ".pdf": render_brief_pdf,
    }


def render_brief(data: BriefData, out: Path) -> Path:
    """Write a collected brief as the format the file's extension (.md, .html, .pdf) names."""
    return render_with(_renderers(), data, out)


def write_brief(
    store: Store,
    actor: str,
    out: Path,
    *,
    region: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Path:
    """Write a resurgence brief of ``actor``; the file's extension chooses the format."""
    check_out(out)
    return render_brief(collect_brief(store, actor, region=region, since=since, until=until), out)
