"""The words and rows of a situation report, the same for Markdown, HTML and PDF.

Every renderer shows these rows and none computes its own: the main events ranked by gravity
(fatalities, then the newest) with a count of the rest; the statements with their date, speaker,
speaker's title and source; the indicators with repeats (same kind, value, actor and place)
collapsed into one row and a count; the summary lines; and the message of a period that holds
nothing. Numbers are written as people write them (14,000, not 14000.0). The rows hold plain text:
each renderer escapes it for its own format.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Generic, TypeVar
from urllib.parse import urlsplit

from harbinger.wording import count

if TYPE_CHECKING:
    from harbinger.records import Warning
    from harbinger.store import StoredClaim, StoredEvent, StoredIndicator

__all__ = [
    "IndicatorRow",
    "Ranked",
    "StatementRow",
    "TableRow",
    "main_events",
    "number",
    "quote",
    "source_label",
    "statements",
    "summary",
    "tracked_indicators",
]

#: How many rows each table shows before it counts the rest.
MAIN_EVENTS = 15
STATEMENTS = 12
INDICATORS = 20

#: Statements most worth reading first: a warning before a reassurance.
_STANCE_ORDER = {
    "warning": 0,
    "claim of responsibility": 1,
    "concern": 2,
    "denial": 3,
    "reassurance": 4,
}


def number(value: float) -> str:
    """A count or figure as people write it: ``14,000`` for 14000.0, ``2.5`` for 2.5."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def quote(text: str, width: int = 240) -> str:
    """A quotation on one line, cut at ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def source_label(source: str | None, url: str | None = None) -> str:
    """Where a report came from, short: the site of its URL, else the name of its file."""
    for candidate in (url, source):
        if candidate and "://" in candidate:
            host = urlsplit(candidate).hostname
            if host:
                return host.removeprefix("www.")
    return PurePath(source).name if source else "-"


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "-"


def _newest_first(day: dt.date | None) -> int:
    """A sort key putting later days first and unknown days last."""
    return -(day or dt.date.min).toordinal()


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Ranked(Generic[T]):
    """The first rows of a ranking, and how many did not fit."""

    rows: list[T]
    rest: int
    #: For events: the fatalities of those that did not fit.
    rest_fatalities: int = 0

    def more(self, word: str, plural: str | None = None) -> str:
        """The line under a cut table: "… and 12 more events (45 reported fatalities)."."""
        if not self.rest:
            return ""
        line = f"… and {count(self.rest, word, plural).replace(' ', ' more ', 1)}"
        if self.rest_fatalities:
            line += f" ({count(self.rest_fatalities, 'reported fatality', 'reported fatalities')})"
        return line + "."


@dataclass(frozen=True, slots=True)
class TableRow:
    """One of the main events as the report shows it."""

    event_id: str
    date: str
    event_type: str
    sub_event_type: str
    actors: str
    place: str
    fatalities: str
    source: str


def _place(event: StoredEvent) -> str:
    where = event.location or event.admin1 or event.country or "-"
    if event.admin1 and event.location and event.admin1.lower() != event.location.lower():
        where += f" ({event.admin1})"
    return where


def _fatalities(event: StoredEvent) -> str:
    low, high = event.fatalities_low, event.fatalities_high
    if low is not None and high is not None and low != high:
        return f"{number(event.fatalities)} ({number(low)}–{number(high)})"
    return number(event.fatalities)


def main_events(events: list[StoredEvent], limit: int = MAIN_EVENTS) -> Ranked[TableRow]:
    """The gravest events first (most fatalities, then the newest), at most ``limit`` of them."""
    ranked = sorted(events, key=lambda e: (-e.fatalities, _newest_first(e.date), e.id))
    rows = []
    for e in ranked[:limit]:
        if e.origin != "coded" and e.source_event_id:  # a row of an imported dataset: its own id
            source = f"{e.origin.upper()} {e.source_event_id}"
        else:
            source = source_label(e.source, e.url)
        if len(e.sources) > 1:
            source += f" +{len(e.sources) - 1}"
        rows.append(
            TableRow(
                event_id=e.id,
                date=_day(e.date),
                event_type=e.event_type,
                sub_event_type=e.sub_event_type,
                actors=" vs ".join(a for a in (e.actor1, e.actor2) if a) or "-",
                place=_place(e),
                fatalities=_fatalities(e),
                source=source,
            )
        )
    rest = ranked[limit:]
    return Ranked(rows, len(rest), sum(e.fatalities for e in rest))


@dataclass(frozen=True, slots=True)
class StatementRow:
    """A statement: when, who (and their title), with what stance, what was said, where."""

    date: str
    speaker: str
    speaker_title: str
    stance: str
    text: str
    source: str

    @property
    def who(self) -> str:
        """The speaker with their title: "Khalid al-Nuaimi, governor of Nineveh"."""
        return f"{self.speaker}, {self.speaker_title}" if self.speaker_title else self.speaker


def statements(claims: list[StoredClaim], limit: int = STATEMENTS) -> Ranked[StatementRow]:
    """Warnings first, then the other stances, newest first within each; a statement coded twice
    from one report (once per place it names) is shown once."""
    ranked = sorted(
        claims,
        key=lambda c: (_STANCE_ORDER.get(c.stance, 9), _newest_first(c.published), c.id),
    )
    seen: set[tuple[str, str, str]] = set()
    rows: list[StatementRow] = []
    for c in ranked:
        key = (c.document_id, c.speaker.lower(), " ".join(c.text.split()).lower())
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            StatementRow(
                date=_day(c.published),
                speaker=c.speaker,
                speaker_title=c.speaker_title or "",
                stance=c.stance,
                text=quote(c.text),
                source=source_label(c.source, c.url),
            )
        )
    return Ranked(rows[:limit], max(0, len(rows) - limit))


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """Indicators of one kind, value, actor and place, however many reports gave them."""

    kind: str
    value: str
    actor: str
    place: str
    reports: int
    latest: str


def _value(indicator: StoredIndicator) -> str:
    value = indicator.value
    text = number(value) if isinstance(value, float) else str(value or "-")
    low, high = indicator.low, indicator.high
    if low is None or high is None or low == high:
        return text
    if isinstance(value, float) and value in (low, high):
        return f"{number(low)}–{number(high)}"  # "14,000–18,000", not "14,000 (14,000–18,000)"
    return f"{text} ({number(low)}–{number(high)})"


def tracked_indicators(
    indicators: list[StoredIndicator], limit: int = INDICATORS
) -> Ranked[IndicatorRow]:
    """Indicators with repeats collapsed: the most often reported first, then the newest."""
    groups: dict[tuple[str, str, str, str], list[StoredIndicator]] = {}
    for i in indicators:
        key = (i.kind, _value(i), i.actor or "-", i.place or "-")
        groups.setdefault(key, []).append(i)
    rows = [
        IndicatorRow(
            kind,
            value,
            actor,
            place,
            len(group),
            _day(max((i.published for i in group if i.published), default=None)),
        )
        for (kind, value, actor, place), group in groups.items()
    ]
    # ISO days sort as text; "-" (no day) sorts before any of them, so it comes last reversed.
    rows.sort(key=lambda r: (r.reports, r.latest), reverse=True)
    return Ranked(rows[:limit], max(0, len(rows) - limit))


def summary(
    events: list[StoredEvent],
    warnings: list[Warning],
    claims: list[StoredClaim],
    indicators: list[StoredIndicator],
    since: dt.date,
    until: dt.date,
) -> list[str]:
    """The report's opening lines: events and fatalities, by type, warnings, statements."""
    fatalities = sum(e.fatalities for e in events)
    period = f"between {since.isoformat()} and {until.isoformat()}"
    if events:
        deaths = count(fatalities, "reported fatality", "reported fatalities")
        lines = [f"{count(len(events), 'event')} with {deaths} {period}."]
    else:
        lines = [f"No events {period}."]
    types = Counter(e.event_type for e in events)
    if types:
        lines.append("By type: " + ", ".join(f"{t} {n:,}" for t, n in types.most_common()) + ".")
    if warnings:
        levels: Counter[str] = Counter(w.level for w in warnings)
        order = [lvl for lvl in ("alert", "warning", "watch") if levels[lvl]]
        lines.append(
            f"Active warnings as of {until.isoformat()}: "
            + ", ".join(f"{levels[lvl]:,} {lvl}" for lvl in order)
            + "."
        )
    else:
        lines.append(f"No active warnings as of {until.isoformat()}.")
    said = statements(claims, limit=0).rest
    if said or indicators:
        line = f"{count(said, 'statement')} and {count(len(indicators), 'indicator')}."
    else:
        line = "No statements or indicators."
    # Every report behind a coded event (a merged event has several), not the datasets' rows.
    documents = {r.document_id for e in events if e.origin == "coded" for r in e.sources}
    documents |= {e.document_id for e in events if e.origin == "coded"}
    documents |= {c.document_id for c in claims} | {i.document_id for i in indicators}
    documents.discard(None)
    if documents:
        line += f" Read from {count(len(documents), 'report')}."
    imported = Counter(e.origin for e in events if e.origin != "coded")
    for origin, n in sorted(imported.items()):
        line += f" {count(n, 'event')} imported from {origin.upper()}."
    lines.append(line)
    return lines
