"""Situation reports: a period's events, warnings, statements and indicators, as Markdown, HTML or PDF.

``collect`` reads what a report shows from the store and the analyses into a ``ReportData``;
``render`` writes it in the format its file's extension names; ``write_report`` does both. The rows
and words every format shares are in ``content``, the plots in ``figures``, and each format in its
own module (``markdown``, ``html_page``, ``pdf``). A period that holds nothing gets a short report
saying so, with where the stored data lies, instead of empty sections.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harbinger.errors import HarbingerError
from harbinger.wording import count

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from harbinger.analyze.series import SeriesPoint
    from harbinger.geo import Gazetteer
    from harbinger.records import Warning
    from harbinger.store import Store, StoredClaim, StoredEvent, StoredIndicator

__all__ = ["ReportData", "ReportError", "collect", "render", "write_report"]


class ReportError(HarbingerError):
    """The report cannot be written (unknown format, unwritable path)."""


@dataclass(frozen=True, slots=True)
class ReportData:
    """What a report shows, and what the store holds besides (for a period that holds nothing)."""

    title: str
    #: The region as asked for (an ISO code, a governorate name, a region id), or None for all.
    region: str | None
    #: The region's ISO code or region id when the gazetteer knows it, else None.
    region_code: str | None
    #: The region as the report names it: "Nineveh (IQ-NI)", "Jazira", "Iraq and Syria".
    where: str
    since: dt.date
    until: dt.date
    events: list[StoredEvent]
    warnings: list[Warning]
    claims: list[StoredClaim]
    indicators: list[StoredIndicator]
    series: list[SeriesPoint] = field(default_factory=list)
    #: Events in the whole store, and the day of the newest one.
    stored_events: int = 0
    newest_event: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        """True when the period holds no event, warning, statement or indicator."""
        return not (self.events or self.warnings or self.claims or self.indicators)

    def nothing_message(self) -> str:
        """What a report of an empty period says, and where the stored data lies."""
        text = (
            f"Nothing is stored for {self.where} between {self.since.isoformat()} and "
            f"{self.until.isoformat()}: no events, warnings, statements or indicators."
        )
        if self.region and self.region_code is None:
            text += f" {self.region!r} is no governorate or region the gazetteer knows."
        if self.stored_events and self.newest_event:
            text += (
                f" The store holds {count(self.stored_events, 'event')}, the newest of "
                f"{self.newest_event.isoformat()}; choose another period or region."
            )
        elif not self.stored_events:
            text += " The store holds no events yet: ingest reports first."
        return text


def region_names(region: str, gazetteer: Gazetteer) -> tuple[str | None, str]:
    """The region's code (ISO code or region id; None when unknown) and its name for people."""
    label = gazetteer.area_labels().get(region.strip().lower())
    if label is None:
        return None, region
    code, _, name = label.partition(" ")
    # Governorates are named with their ISO code ("Nineveh (IQ-NI)"), regions by name alone.
    return code, (f"{name} ({code})" if "-" in code else name)


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
    from harbinger.analyze.series import events_frame, select, weekly_series
    from harbinger.analyze.warnings import compute_warnings, latest_event_date

    if gazetteer is None:
        from harbinger.geo import configured_gazetteer

        gazetteer = configured_gazetteer()
    newest = latest_event_date(store)
    until = until or newest or dt.date.today()
    since = since or until - dt.timedelta(weeks=12)
    if since > until:
        raise ReportError(f"--from {since} is after --to {until}; swap them")
    code, where = region_names(region, gazetteer) if region else (None, "Iraq and Syria")
    events = store.events(since=since, until=until)
    if region:
        frame = events_frame(events, gazetteer)
        keep = set(select(frame, region=region)["id"]) if not frame.empty else set()
        events = [e for e in events if e.id in keep]
    warnings = compute_warnings(store, as_of=until, gazetteer=gazetteer, region=region)
    claims = [c for c in store.claims() if c.published and since <= c.published <= until]
    indicators = [i for i in store.indicators() if i.published and since <= i.published <= until]
    if region:
        names = {region.strip().lower(), (code or "").lower(), where.split(" (")[0].lower()}
        names.discard("")
        claims = [
            c for c in claims if {(c.admin1_code or "").lower(), (c.place or "").lower()} & names
        ]
        indicators = [
            i
            for i in indicators
            if {(i.admin1_code or "").lower(), (i.place or "").lower()} & names
        ]
    series = (
        weekly_series(store, admin1=region, since=since, until=until, gazetteer=gazetteer)
        if events
        else []
    )
    title = f"Situation report: {where}, {since.isoformat()} to {until.isoformat()}"
    return ReportData(
        title=title,
        region=region,
        region_code=code,
        where=where,
        since=since,
        until=until,
        events=events,
        warnings=warnings,
        claims=claims,
        indicators=indicators,
        series=series,
        stored_events=store.counts()["events"],
        newest_event=newest,
    )


def _renderers() -> dict[str, Callable[[ReportData, Path], Path]]:
    from harbinger.report.html_page import render_html
    from harbinger.report.markdown import render_markdown
    from harbinger.report.pdf import render_pdf

    return {".md": render_markdown, ".html": render_html, ".htm": render_html, ".pdf": render_pdf}


def check_out(out: Path) -> None:
    if out.suffix.lower() not in (".md", ".html", ".htm", ".pdf"):
        raise ReportError(f"{out}: unknown report format {out.suffix!r}; use .md, .html or .pdf")
    if not out.parent.exists():
        raise ReportError(f"{out}: folder {out.parent} does not exist")


def render_with(renderers: Mapping[str, Callable[[Any, Path], Path]], data: Any, out: Path) -> Path:
    """Write collected data with the renderer the file's extension (.md, .html, .pdf) names."""
    check_out(out)
    try:
        return renderers[out.suffix.lower()](data, out)
    except OSError as exc:
        raise ReportError(f"cannot write {out}: {exc.strerror}") from exc


def render(data: ReportData, out: Path) -> Path:
    """Write collected data as the format the file's extension (.md, .html, .pdf) names."""
    return render_with(_renderers(), data, out)


def write_report(
    store: Store,
    out: Path,
    *,
    region: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Path:
    """Write a situation report; the file's extension (.md, .html, .pdf) chooses the format."""
    check_out(out)
    return render(collect(store, region=region, since=since, until=until), out)
