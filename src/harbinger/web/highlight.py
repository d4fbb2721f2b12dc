"""Spans of a document to highlight on its page, cut into non-overlapping runs of text.

The document page shows the article with every value read from it marked at its span: the
sentences events, statements and indicators came from (stored evidence), and inside them the
actors, places, event words, dates and counts the coder recognised. The mentions are not stored,
so ``mention_spans`` re-runs the coder's cheap dictionary pass (no statistical parse) over the
document. ``segments`` turns overlapping spans into a flat list of runs, each with the set of
kinds covering it, which a template renders as escaped text inside ``<span>`` elements.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from harbinger.extract.coder import Coder
from harbinger.extract.dates import find_dates
from harbinger.records import Document

__all__ = ["Segment", "Span", "mention_spans", "segments"]

#: Item kinds (whole evidence spans, linked to a coded record) and mention kinds (single values).
ITEM_KINDS = ("event", "claim", "indicator")
MENTION_KINDS = ("actor", "place", "trigger", "date", "count", "speech")


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


def mention_spans(coder: Coder, document: Document) -> list[Span]:
    """Actors, places, event words, speech verbs, dates and counts the coder finds in a document.

    Offsets are in the document's original text, as the stored evidence is.
    """
    ctx = coder.prepare(document, force=True)
    out: list[Span] = []
    for sentence in ctx.sentences:
        found: list[tuple[int, int, str, str | None]] = []
        for hit in sentence.actors:
            found.append((hit.start, hit.end, "actor", hit.actor.name if hit.actor else None))
        for hit in sentence.places:
            found.append((hit.start, hit.end, "place", hit.places[0].name if hit.places else None))
        for hit in sentence.events:
            found.append((hit.start, hit.end, "trigger", None))
        for hit in sentence.speech:
            found.append((hit.start, hit.end, "speech", None))
        for date in find_dates(sentence.text, document.published):
            found.append(
                (sentence.start + date.start, sentence.start + date.end, "date", str(date.date))
            )
        for count in coder.counts.find(sentence.text):
            found.append((sentence.start + count.start, sentence.start + count.end, "count", None))
        for start, end, kind, label in found:
            o_start, o_end = ctx.original_span(start, end)
            out.append(Span(o_start, o_end, kind, None, label))
    return out
