"""The words and rows of a resurgence brief, the same for Markdown, HTML and PDF.

Every renderer shows these and none computes its own: the summary (the actor, the period, the
overall level and each region's level with its one-sentence reason), the table of activity against
the baseline, the returns, the repertoire by month, the statements (warnings against reassurances),
the strength estimates and the appendix of the events cited. References to the appendix ("E12")
are kept apart from the text (``refs`` fields), so that HTML can make them links. The rows hold
plain text: each renderer escapes it for its own format. Counts are written as integers ("6",
"1,234"); only expectations, which are means, carry a decimal ("2.2 expected").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harbinger.report.brief.collect import REASSURING_STANCES, WARNING_STANCES
from harbinger.report.content import number, quote, source_label
from harbinger.wording import count

if TYPE_CHECKING:
    from harbinger.analyze.resurgence import ResurgenceWarning
    from harbinger.report.brief.collect import BriefData
    from harbinger.store import StoredClaim, StoredEvent

__all__ = [
    "AREA_WORDS",
    "ActivityRow",
    "AppendixRow",
    "LevelLine",
    "ReturnRow",
    "StatementRow",
    "StrengthRow",
    "Summary",
    "activity_rows",
    "appendix_rows",
    "event_source",
    "level_lines",
    "period_line",
    "quiet_months",
    "refs_text",
    "return_rows",
    "section_note",
    "statement_rows",
    "strength_rows",
    "summary",
    "with_refs",
]

#: How a region of the analysis is called in a table.
AREA_WORDS = {
    "theatre": "theatre",
    "country": "country",
    "admin1": "governorate",
    "region": "region",
}
#: What each section of the brief is called where the appendix cites it.
SECTIONS = {
    1: "summary",
    2: "activity against baseline",
    3: "where it reappeared",
    4: "repertoire",
}
#: The most references a line lists before it counts the rest.
MOST_REFS = 8


def with_refs(text: str, refs: list[str], most: int = MOST_REFS) -> str:
    """A sentence with its references before its full stop: "It appeared in 3 places (E2, E3)."."""
    if not refs:
        return text
    body, stop = (text[:-1], ".") if text.endswith(".") else (text, "")
    return f"{body} ({refs_text(refs, most)}){stop}"


def refs_text(refs: list[str], most: int = MOST_REFS) -> str:
    """References as a line says them: "E3, E7, E9 and 12 more"."""
    if not refs:
        return ""
    shown = ", ".join(refs[:most])
    return shown + (f" and {len(refs) - most:,} more" if len(refs) > most else "")


def period_line(data: BriefData) -> str:
    """What the brief covers and how its levels are read, under the title."""
    return (
        f"Harbinger resurgence brief, issued {dt.date.today().isoformat()}. Levels as of "
        f"{data.until.isoformat()}: the last {data.window_weeks} weeks of {data.actor}'s own "
        f"events against the {data.baseline_weeks} weeks before (docs/warnings.md). "
        f"\u201c{data.actor}\u201d takes {_family(data)}."
    )


def _family(data: BriefData) -> str:
    """The actor family in a few words: its own names, and how many others (affiliates, leaders)
    it takes; all of them are in ``harbinger warnings --actor ... --format json``."""
    if not data.known:
        return f"the actor names that contain {data.query!r}, as written"
    own = [n for n in data.names if n.startswith(data.actor)]
    others = len(data.names) - len(own)
    words = ", ".join(own) or data.actor
    if others:
        words += f" and {count(others, 'other name')} of its affiliates and leaders"
    return words


def _place(event: StoredEvent) -> str:
    where = event.location or event.admin1 or event.country or "-"
    if event.admin1 and event.location and event.admin1.lower() != event.location.lower():
        where += f" ({event.admin1})"
    return where


def _region(w: ResurgenceWarning) -> str:
    """A region as a line names it: "Aleppo (SY-HL)", "Jazira", "Iraq and Syria"."""
    return f"{w.region} ({w.region_code})" if w.area in ("admin1", "country") else w.region


# -- 1. summary --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelLine:
    """A region with a level: the level, the region, the score, the reason and its events."""

    level: str
    region: str
    score: str
    reason: str
    refs: list[str]


def level_lines(data: BriefData) -> list[LevelLine]:
    """Each region with a level, most severe first, with the references of its events."""
    return [
        LevelLine(
            level=w.level or "",
            region=_region(w),
            score=f"{w.score:.2f}",
            reason=w.reason,
            refs=data.refs_of(w.event_ids),
        )
        for w in data.with_level
    ]


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary: sentences on the actor and the period, the sentence of the overall level (the
    regions' own lines follow it: ``level_lines``), then sentences on its returns, repertoire,
    statements and strength; each sentence with the references it cites."""

    opening: list[tuple[str, list[str]]]
    overall: str
    rest: list[tuple[str, list[str]]]


def summary(data: BriefData) -> Summary:
    """The summary's sentences (see ``Summary``)."""
    out: list[tuple[str, list[str]]] = []
    period = f"between {data.since.isoformat()} and {data.until.isoformat()}"
    span = (data.until - data.since).days + 1
    events = len(data.events)
    if events:
        governorates = {e.admin1_code for e in data.events if e.admin1_code}
        line = (
            f"{data.actor} was a party to {count(events, 'event')} in {data.where} {period}, "
            f"with {count(data.fatalities, 'reported fatality', 'reported fatalities')}"
        )
        if governorates:
            line += f", in {count(len(governorates), 'governorate')}"
        line += f"; {number(data.events_before)} in the {span:,} days before."
    else:
        line = f"No events of {data.actor} in {data.where} {period}."
    out.append((line, []))
    deadliest = [c for c in data.cited if 1 in c.sections]
    if deadliest:
        gravest = sorted(deadliest, key=lambda c: (-c.event.fatalities, c.ref))
        parts = [
            f"{c.event.date.isoformat() if c.event.date else '-'}, "
            f"{c.event.sub_event_type.lower()} at {_place(c.event)}, "
            f"{count(c.event.fatalities, 'fatality', 'fatalities')} ({c.ref})"
            for c in gravest
        ]
        out.append(("The deadliest: " + "; ".join(parts) + ".", []))  # each names its own ref

    overall = data.overall
    if overall is None:
        line = (
            f"As of {data.until.isoformat()} no region reaches a resurgence level: "
            f"{data.actor}'s last {data.window_weeks} weeks are within its own baseline everywhere."
        )
    else:
        areas = {"theatre": 0, "country": 1, "admin1": 2, "region": 3}
        by_level: dict[str, list[str]] = {}
        for w in sorted(data.with_level, key=lambda w: areas.get(w.area, 4)):
            name = "the theatre as a whole" if w.area == "theatre" else w.region
            by_level.setdefault(w.level or "", []).append(name)
        listed = "; ".join(
            f"{lvl} in {_and(by_level[lvl])}"
            for lvl in ("alert", "warning", "watch")
            if lvl in by_level
        )
        line = (
            f"As of {data.until.isoformat()} the overall level is {overall.upper()}, the most "
            f"severe of any region: {listed}. The reasons follow."
        )
    opening, overall_line, out = out, line, []

    if data.returns:
        whole = sorted({r.place for r in data.returns if r.governorate})
        line = (
            f"It appeared in {count(len(data.returns), 'place')} after {data.quiet_weeks} or more "
            "weeks without its events there"
        )
        if whole:
            what = "a whole governorate" if len(whole) == 1 else "whole governorates"
            line += f", {len(whole)} of them {what}: {_and(whole)}"
        line += "."
        out.append((line, data.refs_of(r.event.id for r in data.returns)))
    elif data.events:
        out.append(
            (
                f"It appeared in no place after {data.quiet_weeks} or more weeks without its "
                "events there.",
                [],
            )
        )

    months = [m for m in data.repertoire if m.events]
    if months:
        insurgent = sum(m.insurgent for m in months)
        total = sum(m.events for m in months)
        line = f"Insurgent tactics in {insurgent:,} of {count(total, 'event')} ({insurgent / total:.0%})"
        if len(months) > 1:
            line += (
                f": {months[0].share or 0:.0%} in {months[0].month}, "
                f"{months[-1].share or 0:.0%} in {months[-1].month}"
            )
        tops: dict[str, int] = {}
        for m in months:
            for label, n in m.mentions:
                tops[label] = tops.get(label, 0) + n
        if tops:
            best = max(tops.items(), key=lambda kv: (kv[1], kv[0]))
            line += f"; most often {best[0]} ({best[1]:,})"
        out.append((line + ".", []))

    warned = [c for c in data.statements if c.stance in WARNING_STANCES]
    reassured = [c for c in data.statements if c.stance in REASSURING_STANCES]
    if data.statements:
        newest = data.statements[-1]
        who = newest.speaker + (f", {newest.speaker_title}" if newest.speaker_title else "")
        line = (
            f"{count(len(warned), 'warning or concern', 'warnings and concerns')} about it against "
            f"{count(len(reassured), 'reassurance or denial', 'reassurances and denials')}; "
            f"the newest, a {newest.stance} by {who} on "
            f"{newest.published.isoformat() if newest.published else '-'}."
        )
        out.append((line, []))
    if data.strength:
        s = data.strength[-1]
        line = (
            f"The newest estimate of its strength: {_value(s.value, s.low, s.high)} "
            f"({s.date.isoformat()}, {source_label(s.source, s.url)}); "
            f"{count(len(data.strength), 'estimate')} up to {data.until.isoformat()}."
        )
        out.append((line, []))
    return Summary(opening, overall_line, out)


def _and(names: list[str]) -> str:
    """Names in a sentence: "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# -- 2. activity against baseline --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """A region's row: its level, its last weeks against the baseline, and its whole period."""

    region: str
    area: str
    level: str
    score: str
    events: str
    expected: str
    fatalities: str
    expected_fatalities: str
    period_events: str
    period_fatalities: str
    refs: list[str]


def activity_rows(data: BriefData) -> list[ActivityRow]:
    """Every region of the analysis, levels first (as ``analyze.resurgence`` orders them)."""
    rows = []
    for a in data.activity:
        w = a.warning
        activity, deaths = w.signal("activity"), w.signal("fatalities")
        rows.append(
            ActivityRow(
                region=_region(w),
                area=AREA_WORDS.get(w.area, w.area),
                level=w.level or "-",
                score=f"{w.score:.2f}",
                events=number(activity.value or 0) if activity else "0",
                expected=f"{activity.baseline or 0:.1f}" if activity else "-",
                fatalities=number(deaths.value or 0) if deaths else "0",
                expected_fatalities=f"{deaths.baseline or 0:.1f}" if deaths else "-",
                period_events=f"{a.period_events:,}",
                period_fatalities=f"{a.period_fatalities:,}",
                refs=data.refs_of(activity.event_ids if activity else ()),
            )
        )
    return rows


# -- 3. returns ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReturnRow:
    date: str
    place: str
    kind: str
    event: str
    fatalities: str
    previous: str
    ref: str


def return_rows(data: BriefData) -> list[ReturnRow]:
    """The returns, oldest first: where, what, and the actor's previous event there."""
    return [
        ReturnRow(
            date=r.event.date.isoformat() if r.event.date else "-",
            place=r.place,
            kind="governorate" if r.governorate else "district",
            event=f"{r.event.sub_event_type} at {r.event.location or r.place}",
            fatalities=number(r.event.fatalities),
            previous=r.previous.isoformat() if r.previous else "none in the year before",
            ref=data.refs.get(r.event.id, ""),
        )
        for r in data.returns
    ]


# -- 5. what officials said ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementRow:
    """A statement: when, who and their title, the stance, what was said, and where it was read."""

    date: str
    speaker: str
    speaker_title: str
    stance: str
    text: str
    source: str
    title: str

    @property
    def who(self) -> str:
        return f"{self.speaker}, {self.speaker_title}" if self.speaker_title else self.speaker

    @property
    def where(self) -> str:
        """The source with the report's title: "example.org: Pentagon watchdog warns ..."."""
        return f"{self.source}: {self.title}" if self.title else self.source


def statement_rows(claims: tuple[StoredClaim, ...], stances: tuple[str, ...]) -> list[StatementRow]:
    """The statements of some stances, newest first; one said twice in a report is shown once."""
    seen: set[tuple[str, str, str]] = set()
    rows: list[StatementRow] = []
    for c in sorted(claims, key=lambda c: (c.published or dt.date.min, c.id), reverse=True):
        if c.stance not in stances:
            continue
        key = (c.document_id, c.speaker.lower(), " ".join(c.text.split()).lower())
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            StatementRow(
                date=c.published.isoformat() if c.published else "-",
                speaker=c.speaker,
                speaker_title=c.speaker_title or "",
                stance=c.stance,
                text=quote(c.text),
                source=source_label(c.source, c.url),
                title=quote(c.title or "", 90),
            )
        )
    return rows


# -- 6. strength ---------------------------------------------------------------------------------


def _value(value: float, low: float | None, high: float | None) -> str:
    if low is not None and high is not None and low != high:
        if value in (low, high):
            return f"{number(low)}–{number(high)}"
        return f"{number(value)} ({number(low)}–{number(high)})"
    return number(value)


@dataclass(frozen=True, slots=True)
class StrengthRow:
    date: str
    value: str
    place: str
    source: str
    title: str
    said: str
    in_period: bool


def strength_rows(data: BriefData) -> list[StrengthRow]:
    """The estimates, newest first, with the sentence each was read from."""
    return [
        StrengthRow(
            date=s.date.isoformat(),
            value=_value(s.value, s.low, s.high),
            place=s.place or "-",
            source=source_label(s.source, s.url),
            title=quote(s.title or "", 90),
            said=quote(s.evidence[0].sentence, 200) if s.evidence else "",
            in_period=data.since <= s.date <= data.until,
        )
        for s in reversed(data.strength)
    ]


# -- 7. appendix -------------------------------------------------------------------------------


def event_source(event: StoredEvent) -> str:
    """An event's id and where it was read: a dataset's row by its own id ("UCDP 282482"), a
    coded event by its id and its report's site or file ("ev-8fe1… · example.org +1")."""
    if event.origin != "coded" and event.source_event_id:
        return f"{event.origin.upper()} {event.source_event_id}"
    label = source_label(event.source, event.url)
    label += f" +{len(event.sources) - 1}" if len(event.sources) > 1 else ""
    return f"{event.id} · {label}"


@dataclass(frozen=True, slots=True)
class AppendixRow:
    ref: str
    date: str
    event_id: str
    source: str
    place: str
    event_type: str
    sub_event_type: str
    actors: str
    fatalities: str
    sections: str
    why: str


def appendix_rows(data: BriefData) -> list[AppendixRow]:
    """The events the brief cites, oldest first, with the sections citing them and why."""
    return [
        AppendixRow(
            ref=c.ref,
            date=c.event.date.isoformat() if c.event.date else "-",
            event_id=c.event.id,
            source=event_source(c.event),
            place=_place(c.event),
            event_type=c.event.event_type,
            sub_event_type=c.event.sub_event_type,
            actors=" vs ".join(a for a in (c.event.actor1, c.event.actor2) if a) or "-",
            fatalities=number(c.event.fatalities),
            sections=", ".join(str(s) for s in c.sections),
            why="; ".join(c.why),
        )
        for c in data.cited
    ]


def quiet_months(data: BriefData) -> str:
    """The line under a repertoire table that leaves out the months without events."""
    quiet = sum(1 for m in data.repertoire if not m.events)
    return f"{count(quiet, 'month')} without its events left out." if quiet else ""


def section_note(data: BriefData, section: int) -> str:
    """The line that sends a reader from a section to its events in the appendix."""
    n = sum(1 for c in data.cited if section in c.sections)
    if not n:
        return ""
    return (
        f"The {count(n, 'event')} behind this section {'is' if n == 1 else 'are'} marked "
        f"{section} in the appendix (section 7)."
    )
