"""What the coder knows about one document while coding it: sentences, hits and context.

The cheap pass (dictionary automata over actors, places and cue words; no statistical model) fills
these structures for every sentence; the parser is then run only on the sentences that carry an
event trigger, a reported statement or an indicator. Offsets here are in the *repaired* body text;
``DocumentContext.evidence`` maps them back to the original document text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harbinger.extract.dates import DateHit
from harbinger.knowledge import ActorEntry
from harbinger.records import Document, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from harbinger.geo import GazetteerEntry
    from harbinger.ingest.repair import Repaired


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue word of some kind: an event trigger, an outcome, a speech verb, an indicator phrase."""

    kind: str
    key: str
    weight: int = 1
    data: Any = None


@dataclass(slots=True)
class Hit:
    """A span of the body text with what it was recognised as."""

    start: int
    end: int
    text: str
    actor: ActorEntry | None = None
    anaphor: bool = False
    places: tuple[GazetteerEntry, ...] = ()
    cues: tuple[Cue, ...] = ()


@dataclass(slots=True)
class Sentence:
    """One sentence of the body, its hits, and (when it was worth it) its parse."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    actors: list[Hit] = field(default_factory=list)
    places: list[Hit] = field(default_factory=list)
    events: list[Hit] = field(default_factory=list)
    speech: list[Hit] = field(default_factory=list)
    indicators: list[Hit] = field(default_factory=list)
    dates: list[DateHit] = field(default_factory=list)
    doc: Doc | None = None

    @property
    def parsed(self) -> bool:
        return self.doc is not None

    def token_at(self, offset: int) -> Token | None:
        """The parsed token covering a body offset (None when unparsed or out of range)."""
        if self.doc is None:
            return None
        rel = offset - self.start
        if not 0 <= rel < len(self.text):  # the parsed text is as long (masks keep lengths)
            return None
        span = self.doc.char_span(rel, rel + 1, alignment_mode="expand")  # a binary search
        if span is None or len(span) == 0:
            return None
        tok = span[0]
        return tok if tok.idx <= rel < tok.idx + len(tok.text) else None

    def span_tokens(self, start: int, end: int) -> Span | None:
        if self.doc is None:
            return None
        return self.doc.char_span(start - self.start, end - self.start, alignment_mode="expand")


@dataclass(slots=True)
class DocumentContext:
    """A document being coded: its repaired body, sentences and the context they share."""

    document: Document
    repaired: Repaired
    sentences: list[Sentence]
    countries: list[str] = field(default_factory=list)
    admin1_codes: list[str] = field(default_factory=list)
    relevant: bool = False
    #: Actors named in the title: what the document is about weighs in resolving "the group".
    title_actors: list[str] = field(default_factory=list)

    #: A headline, a feed title or a one-line note: present tense reports what happened.
    short: bool = field(init=False)
    #: Where each insurgent group is named (sorted offsets), built on the first question about
    #: "the group" (the actor hits are complete by then): one scan, not one per question.
    _rebels: dict[str, tuple[ActorEntry, list[int]]] | None = field(
        default=None, init=False, repr=False
    )

    #: Where each actor is first named (not by a generic word), built on the first question.
    _first_named: dict[str, int] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.short = len(self.repaired.text.split()) <= 60

    def first_named(self, actor_id: str) -> int | None:
        """The offset where the document first names an actor by its own name, or None."""
        if self._first_named is None:
            first: dict[str, int] = {}
            for s in self.sentences:
                for h in s.actors:
                    if h.actor is not None and not h.anaphor:
                        first.setdefault(h.actor.id, h.start)
            self._first_named = first
        return self._first_named.get(actor_id)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Body offsets of the repaired text -> offsets in the document's original text."""
        o_start, o_end = self.repaired.to_original(start, end)
        base = self.document.body_start
        return base + o_start, base + o_end

    def evidence(
        self, sentence: Sentence, start: int | None = None, end: int | None = None
    ) -> Evidence:
        """Evidence for a value: the sentence as written in the original, and the value's span."""
        s_start, s_end = self.original_span(sentence.start, sentence.end)
        if start is None or end is None:
            start, end = sentence.start, sentence.end
        # A value's span never reaches outside its sentence.
        start = min(max(start, sentence.start), sentence.end)
        end = min(max(end, start), sentence.end)
        v_start, v_end = self.original_span(start, end)
        return Evidence(self.document.text[s_start:s_end].strip(), v_start, v_end)

    def year(self) -> int | None:
        return self.document.published.year if self.document.published else None

    def main_country(self) -> str | None:
        return self.countries[0] if self.countries else None

    def last_armed_nonstate(self, before: int) -> ActorEntry | None:
        """What "the group" or "the militants" refers to: the insurgent group the document is most
        about (most often named up to that point; the latest named breaks a tie), else the first
        one named after it."""
        if self._rebels is None:
            rebels: dict[str, tuple[ActorEntry, list[int]]] = {}
            for s in self.sentences:
                for h in s.actors:
                    if h.actor is None or h.anaphor or h.actor.kind != "rebel":
                        continue
                    rebels.setdefault(h.actor.id, (h.actor, []))[1].append(h.start)
            for _actor, starts in rebels.values():
                starts.sort()
            self._rebels = rebels
        title_weight = {a: 2 for a in self.title_actors}
        best: tuple[int, int] | None = None
        chosen: ActorEntry | None = None
        later: tuple[int, ActorEntry] | None = None
        for actor_id, (actor, starts) in self._rebels.items():
            n = bisect.bisect_left(starts, before)
            if n:
                key = (n + title_weight.get(actor_id, 0), starts[n - 1])
                if best is None or key > best:
                    best, chosen = key, actor
            elif starts and (later is None or starts[0] < later[0]):
                later = (starts[0], actor)
        if chosen is not None:
            return chosen
        return later[1] if later is not None else None

    def resolve(self, h: Hit) -> ActorEntry | None:
        """The actor a hit names: itself, or for "the group"/"militants" the group the text is
        about (a generic noun falls back to its own actor, ACLED's unidentified armed group)."""
        if h.anaphor:
            return self.last_armed_nonstate(h.start) or h.actor
        return h.actor

    def salient_nonstate(self) -> ActorEntry | None:
        """The insurgent group named most often in the whole document."""
        end = self.sentences[-1].end + 1 if self.sentences else 0
        return self.last_armed_nonstate(end)
