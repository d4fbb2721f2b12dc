"""Spans of a document to highlight on its page, cut into non-overlapping runs of text.

The document page shows the article with what was coded from it marked where it was read: the
sentences events, statements and indicators came from (their stored evidence), and inside those
sentences the values each record holds: an event's actors, place, date, counts (fatalities,
wounded, arrests) and trigger words; a statement's speech verb; an indicator's figure. Words the
coder recognised but did not code ("some", "one", a town named in passing) are not marked: a
reader should see why the event says what it says, not every number word of the article.

The mentions are not stored, so ``coded_spans`` re-runs the coder's cheap dictionary pass (no
statistical parse) over the document and keeps the mentions that agree with a stored record.
``segments`` turns overlapping spans into a flat list of runs, each with the set of kinds
covering it, which a template renders as escaped text inside ``<span>`` elements.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from harbinger.extract.coder import Coder
from harbinger.extract.dates import find_dates
from harbinger.records import Document
from harbinger.store import StoredClaim, StoredEvent, StoredIndicator

__all__ = ["Segment", "Span", "coded_spans", "segments"]

#: Item kinds (whole evidence spans, linked to a coded record) and mention kinds (single values).
ITEM_KINDS = ("event", "claim", "indicator")
MENTION_KINDS = ("actor", "place", "trigger", "date", "count", "speech")
#: Cue kinds that name what happened (the words a sub-event type was coded from).
_TRIGGER_CUES = ("trigger", "weapon", "combo")


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted range of the document text: its kind, and the coded record it belongs to."""

    start: int
    end: int
    kind: str
    item_id: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same spans (possibly none)."""

    text: str
    kinds: tuple[str, ...] = ()
    item_ids: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    anchor: str | None = None


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """The text cut at every span boundary; each run lists the kinds and items covering it.

    Spans outside the text are clipped; empty ones are ignored. The first run of each item gets
    ``anchor`` set to the item id, so a page can link to ``#item-<id>``.
    """
    n = len(text)
    clipped = [
        Span(max(0, s.start), min(n, s.end), s.kind, s.item_id, s.label)
        for s in spans
        if min(n, s.end) > max(0, s.start)
    ]
    cuts = sorted({0, n, *(s.start for s in clipped), *(s.end for s in clipped)})
    anchored: set[str] = set()
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        covering = [s for s in clipped if s.start <= a and b <= s.end]
        kinds = tuple(sorted({s.kind for s in covering}))
        items = tuple(dict.fromkeys(s.item_id for s in covering if s.item_id))
        labels = tuple(dict.fromkeys(s.label for s in covering if s.label))
        anchor = None
        for item in items:
            if item not in anchored:
                anchored.add(item)
                anchor = anchor or item
        out.append(Segment(text[a:b], kinds, items, labels, anchor))
    return out


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    kind: str
    #: What the mention was read as: actor or place names, a date, a count's values, a
    #: trigger's sub-event type.
    values: tuple[str, ...]


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _mentions(coder: Coder, document: Document) -> list[_Mention]:
    """Every actor, place, trigger, speech verb, date and count the dictionary pass finds,
    with offsets in the document's original text (as the stored evidence has them)."""
    ctx = coder.prepare(document, force=True)
    out: list[_Mention] = []
    for sentence in ctx.sentences:
        found: list[tuple[int, int, str, tuple[str, ...]]] = []
        for hit in sentence.actors:
            if hit.actor is not None:
                found.append((hit.start, hit.end, "actor", (hit.actor.name,)))
        for hit in sentence.places:
            names = tuple(n for p in hit.places for n in (p.name, p.output_name))
            found.append((hit.start, hit.end, "place", names))
        for hit in sentence.events:
            subs = tuple(
                str(getattr(getattr(c.data, "trigger", c.data), "sub_event_type", "") or "")
                for c in hit.cues
                if c.kind in _TRIGGER_CUES
            )
            if subs:
                found.append((hit.start, hit.end, "trigger", subs))
        for hit in sentence.speech:
            found.append((hit.start, hit.end, "speech", ()))
        for date in find_dates(sentence.text, document.published):
            found.append(
                (
                    sentence.start + date.start,
                    sentence.start + date.end,
                    "date",
                    (date.date.isoformat(),),
                )
            )
        for count in coder.counts.find(sentence.text):
            figures = sorted({v for v in (count.value, count.low, count.high) if v is not None})
            found.append(
                (
                    sentence.start + count.start,
                    sentence.start + count.end,
                    "count",
                    tuple(str(v) for v in figures),
                )
            )
        for start, end, kind, values in found:
            o_start, o_end = ctx.original_span(start, end)
            out.append(_Mention(o_start, o_end, kind, values))
    return out


#: What brackets hold in actor names: a period ("(2018-2020)"), a country ("(Iraq)") or the
#: knowledge's placeholder for one ("({country})").
_BRACKETS = re.compile(r"\s*\([^)]*\)")


def _actor_key(name: str) -> str:
    return _fold(_BRACKETS.sub("", name))


def _actor_matches(read: str, coded: Sequence[str]) -> bool:
    """A knowledge actor name agrees with a coded actor: the same once periods and countries
    are set aside ("Military Forces of Iraq (2022-) Iraqi Air Force" is the coded "Military
    Forces of Iraq (2018-2020) Iraqi Air Force"), or the coded one is a unit of it."""
    name = _actor_key(read)
    return bool(name) and any(
        name == key or key.startswith(name + " ") for key in map(_actor_key, coded)
    )


def _event_spans(event: StoredEvent, mentions: Sequence[_Mention]) -> list[Span]:
    actors = [
        a.strip()
        for a in (
            event.actor1,
            event.actor2,
            *(event.assoc_actor1 or "").split(";"),
            *(event.assoc_actor2 or "").split(";"),
        )
        if a and a.strip()
    ]
    places = {_fold(p) for p in (event.location, event.admin2, event.admin1) if p}
    figures = {
        "fatalities": {event.fatalities, event.fatalities_low, event.fatalities_high},
        "wounded": {event.wounded},
        "arrests": {event.arrests},
    }
    date = event.date.isoformat() if event.date else None
    out: list[Span] = []
    for ev in event.evidence:
        for m in mentions:
            if not (ev.start <= m.start and m.end <= ev.end):
                continue
            label: str | None = None
            if m.kind == "actor" and any(_actor_matches(v, actors) for v in m.values):
                label = f"actor: {m.values[0]}"
            elif m.kind == "place" and any(
                _fold(v) in places or any(p.startswith(_fold(v)) for p in places) for v in m.values
            ):
                label = f"place: {event.location or event.admin1}"
            elif m.kind == "date" and date is not None and date in m.values:
                label = f"date: {date}"
            elif m.kind == "count":
                for what, values in figures.items():
                    if any(str(v) in m.values for v in values if v):
                        label = (
                            f"{what}: {m.values[0] if len(m.values) == 1 else '-'.join(m.values)}"
                        )
                        break
            elif m.kind == "trigger" and (event.sub_event_type in m.values or not any(m.values)):
                label = f"{event.sub_event_type}"
            if label is not None:
                out.append(Span(m.start, m.end, m.kind, None, label))
    return out


def _claim_spans(claim: StoredClaim, mentions: Sequence[_Mention]) -> list[Span]:
    speaker = _fold(claim.speaker)
    out: list[Span] = []
    for ev in claim.evidence:
        for m in mentions:
            if not (ev.start <= m.start and m.end <= ev.end):
                continue
            if m.kind == "speech":
                out.append(Span(m.start, m.end, "speech", None, f"statement: {claim.stance}"))
            elif m.kind == "actor" and any(_fold(v) in speaker for v in m.values):
                out.append(Span(m.start, m.end, "actor", None, f"speaker: {claim.speaker}"))
    return out


def _indicator_spans(indicator: StoredIndicator, mentions: Sequence[_Mention]) -> list[Span]:
    figures = {
        str(int(v)) for v in (indicator.value_num, indicator.low, indicator.high) if v is not None
    }
    out: list[Span] = []
    for ev in indicator.evidence:
        for m in mentions:
            inside = ev.start <= m.start and m.end <= ev.end
            if inside and m.kind == "count" and figures & set(m.values):
                out.append(Span(m.start, m.end, "count", None, f"{indicator.kind}"))
    return out


def coded_spans(
    coder: Coder,
    document: Document,
    events: Iterable[StoredEvent],
    claims: Iterable[StoredClaim],
    indicators: Iterable[StoredIndicator],
) -> list[Span]:
    """The evidence of every record, and inside it the values that record was coded with."""
    mentions = _mentions(coder, document)
    text = document.text
    spans: list[Span] = []
    for kind, items in (("event", events), ("claim", claims), ("indicator", indicators)):
        for item in items:
            # A merged event carries the evidence of every report of it: only this document's
            # own spans (the text at the offsets is in the evidence sentence) are marked here.
            own = tuple(
                ev
                for ev in item.evidence
                if ev.end > ev.start and text[ev.start : ev.end] in ev.sentence
            )
            if not own:
                continue
            for ev in own:
                spans.append(Span(ev.start, ev.end, kind, item.id))
            item = replace(item, evidence=own)
            if isinstance(item, StoredEvent):
                spans += _event_spans(item, mentions)
            elif isinstance(item, StoredClaim):
                spans += _claim_spans(item, mentions)
            elif isinstance(item, StoredIndicator):
                spans += _indicator_spans(item, mentions)
    return spans
