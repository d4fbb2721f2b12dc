"""The Arabic coder: an Arabic document in, its events, claims and indicators out.

spaCy has no trained Arabic pipeline (DEPENDENCIES.md, "Arabic"), so Arabic is coded with rules
over the words, clause by clause. ``spacy.blank("ar")`` and the rule-based sentencizer split the
body into sentences; the body is normalised for matching (``knowledge.arabic``: diacritics, letter
variants, Arabic-Indic digits; every offset still points at the text as written) and the theatre's
Arabic words (``arabic.yaml``), the actors' Arabic aliases and the gazetteer's Arabic place names
are found with Arabic clitics allowed ("لتنظيم داعش", "بمحافظة صلاح الدين").

A sentence with an event trigger opens an event, or adds to the one before it when it names no
other day or governorate and does not announce another incident ("وفي حادث منفصل"). The event's
sub-event type is its strongest trigger's, renamed by its sides as ``events.yaml`` does in English
(an attack on forces is a battle, a rebel group taking ground overtakes it); its sides come from the
words around each actor (``agent_markers``: "هجوم شنه X", "لتنظيم X"; ``target_markers``: "على X";
the subject after a verb: "هاجم X"), then from the victims ("مقتل خمسة جنود": the state's forces);
its day from the calendar dates, weekday phrases and relative days of its sentences; its place from
the most specific place named where it happened (not a road's end nor a destination); its toll from
the counts after the words of death ("مقتل 23 من عناصرها و17 من المهاجمين": 40), with the bombers
of a suicide bombing added. Output values are ACLED's English names, the evidence the Arabic text.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from harbinger.extract.arabic.dates import ArabicDate, ArabicDates
from harbinger.extract.arabic.numbers import ArabicCounts
from harbinger.extract.context import Cue, DocumentContext, Hit, Sentence
from harbinger.ingest.repair import repair
from harbinger.knowledge import ActorEntry, Theatre
from harbinger.knowledge.arabic import (
    ArabicPhraseIndex,
    ArabicTrigger,
    ArabicWords,
    Normalised,
    load_arabic_words,
    normalise,
    normalise_phrase,
    prefix_variants,
    tokens,
)
from harbinger.records import Claim, CodedDocument, Document, Event, Indicator, Place
from harbinger.taxonomy import event_type_of

if TYPE_CHECKING:
    from harbinger.geo import Gazetteer, GazetteerEntry

__all__ = ["ArabicCoder"]

#: Words between a result word and the count it reports ("مقتل ثلاثة", "لقي ثلاثة عشر منتسبا").
_TOLL_GAP = 3
#: Words after a result word within which a named side is the side that lost men.
_VICTIM_WINDOW = 5
#: Words looked at before an actor for what makes it a side.
_MARKER_WINDOW = 3
#: Kinds of place, most specific first: the place an event happened is the most specific named.
_SPECIFICITY = {"place": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 0}
_CLAUSE_PUNCTUATION = frozenset(',.;:!?()"«»،؛؟')
_COUNTRY_NAMES = {"IQ": "Iraq", "SY": "Syria"}
#: A speaker who "announces" (أعلن) a capture or arrests is often its author: a side, not a voice.
_ANNOUNCE = ("اعلن",)
_STATE_SIDE = frozenset({"state", "external", "political_militia", "identity_militia"})
_STATE_ACTS = frozenset(
    {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Arrests",
        "Government regains territory",
        "Disrupted weapons use",
    }
)


@dataclass(frozen=True, slots=True)
class _Word:
    """A normalised word and its span in the repaired body; whether punctuation precedes it."""

    text: str
    start: int
    end: int
    pause: bool


@dataclass(slots=True)
class _Draft:
    """An event being put together from its sentences."""

    sentences: list[Sentence]
    date: ArabicDate | None = None
    triggers: list[tuple[ArabicTrigger, int]] = field(default_factory=list)
    tolls: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What the coder read from one sentence."""

    words: list[_Word]
    dates: list[ArabicDate]
    triggers: list[tuple[ArabicTrigger, int]]  # trigger, body offset
    outcomes: list[tuple[str, int, int]]  # kind, word index, body offset
    victims: list[str]
    toll: int
    bombers: int
    separate: bool
    background: bool
    clash: bool


def _phrases(items: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalise_phrase(p).split()) for p in items if normalise_phrase(p))


def _ends_with(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    if n == 0 or len(words) < n:
        return False
    tail = words[-n:]
    if tuple(tail[1:]) != phrase[1:]:
        return False
    return any(stem == phrase[0] for stem, _ in prefix_variants(tail[0]))


class ArabicCoder:
    """Codes Arabic documents of one theatre into the records the English coder makes."""

    def __init__(self, theatre: Theatre, gazetteer: Gazetteer, theatre_name: str) -> None:
        self.theatre = theatre
        self.gazetteer = gazetteer
        self.words: ArabicWords = load_arabic_words(theatre_name)
        w = self.words
        self.counts = ArabicCounts(w.numbers)
        self.dates = ArabicDates(w)
        self.actors: ArabicPhraseIndex[ActorEntry | None] = ArabicPhraseIndex()
        for actor in theatre.actors:
            for alias in actor.aliases:
                if any("\u0600" <= ch <= "\u06ff" for ch in alias.text):
                    self.actors.add(alias.text, actor)
        for phrase in w.anaphora:
            self.actors.add(phrase, None)
        self.places: ArabicPhraseIndex[GazetteerEntry] = ArabicPhraseIndex(suffixes=False)
        for name, entry in gazetteer.arabic_names():
            if not entry.curated and normalise_phrase(name) in w.place_stoplist:
                continue
            self.places.add(name, entry)
        self.triggers: ArabicPhraseIndex[ArabicTrigger] = ArabicPhraseIndex()
        for trig in w.triggers:
            for word in trig.words:
                self.triggers.add(word, trig)
        self.outcomes: ArabicPhraseIndex[str] = ArabicPhraseIndex()
        for kind, words in w.outcomes.items():
            for word in words:
                self.outcomes.add(word, kind)
        self.victims: ArabicPhraseIndex[str] = ArabicPhraseIndex()
        for group, words in w.victims.items():
            for word in words:
                self.victims.add(word, group)
        self.speech: ArabicPhraseIndex[str] = ArabicPhraseIndex()
        for stance, words in w.speech_verbs.items():
            for word in words:
                self.speech.add(word, stance)
        self.cues: ArabicPhraseIndex[str] = ArabicPhraseIndex()
        for stance, words in w.content_cues.items():
            for word in words:
                self.cues.add(word, stance)
        self.indicator_cues: ArabicPhraseIndex[tuple[str, str]] = ArabicPhraseIndex()
        for kind, value in w.indicators.items():
            if isinstance(value, dict):
                for key, words in value.items():
                    for word in words:
                        self.indicator_cues.add(str(word), (str(kind), str(key)))
            else:
                for word in value:
                    self.indicator_cues.add(str(word), (str(kind), str(kind)))
        self._clash = ArabicPhraseIndex[bool]()
        for word in w.clash_words:
            self._clash.add(word, True)
        self._agent = _phrases(w.agent_markers)
        self._target = _phrases(w.target_markers)
        self._support = _phrases(w.support_markers)
        self._separate = _phrases(w.separate_markers)
        self._background = _phrases(w.background_markers)
        self._breakdown = frozenset(normalise_phrase(p) for p in w.toll_breakdown)
        self._running = _phrases(w.running_total)
        self._singular = frozenset(normalise_phrase(p) for p in w.singular_victims)
        self._away = _phrases(w.away_markers)
        self._heads = frozenset(normalise_phrase(p) for p in w.actor_heads)
        self._countryside = _phrases(w.countryside)
        self._openers = frozenset(normalise_phrase(p) for p in w.speech_openers if p.strip(":"))
        self._position_words = frozenset(
            normalise_phrase(p) for p in w.victims.get("state", ()) + w.victims.get("civilians", ())
        )

    # -- sentences and words --------------------------------------------------------------------

    @functools.cached_property
    def _nlp(self) -> Any:
        import spacy
        from spacy.pipeline import Sentencizer

        nlp = spacy.blank("ar")
        nlp.add_pipe("sentencizer", config={"punct_chars": [*Sentencizer.default_punct_chars, "؛"]})
        return nlp

    def _sentences(self, text: str) -> list[Sentence]:
        out: list[Sentence] = []
        paragraph = 0
        prev_end = 0
        for sent in self._nlp(text).sents:
            start = sent.start_char
            offset = start
            for line in text[start : sent.end_char].split("\n"):
                stripped = line.strip()
                if stripped:
                    s = offset + (len(line) - len(line.lstrip()))
                    if "\n" in text[prev_end:s]:
                        paragraph += 1
                    out.append(Sentence(len(out), s, s + len(stripped), stripped, paragraph))
                    prev_end = s + len(stripped)
                offset += len(line) + 1
        return out

    @staticmethod
    def _words(text: str, norm: Normalised) -> list[_Word]:
        words: list[_Word] = []
        prev = 0
        for tok in tokens(norm):
            start, end = norm.original_span(tok.start, tok.end)
            pause = any(ch in _CLAUSE_PUNCTUATION for ch in text[prev:start])
            words.append(_Word(tok.text, start, end, pause))
            prev = end
        return words

    # -- coding ---------------------------------------------------------------------------------

    def code(self, document: Document, *, start: int | None = None) -> CodedDocument:
        """Code a document's Arabic sentences (all of its body unless ``start`` says otherwise)."""
        body_start = document.body_start if start is None else start
        body = document.text[body_start:]
        repaired = repair(body)
        text = repaired.text
        doc = replace(document, body_start=body_start)
        sentences = self._sentences(text)
        ctx = DocumentContext(doc, repaired, sentences)
        if not sentences:
            return CodedDocument(document)
        norm = normalise(text)
        toks = tokens(norm)
        words = self._words(text, norm)
        word_starts = [w.start for w in words]
        starts = [s.start for s in sentences]

        def sentence_of(offset: int) -> Sentence | None:
            i = bisect.bisect_right(starts, offset) - 1
            if i >= 0 and sentences[i].start <= offset < sentences[i].end:
                return sentences[i]
            return None

        for h in self.actors.find_tokens(norm, toks, text):
            s = sentence_of(h.start)
            if s is None:
                continue
            actor = h.payloads[0]
            s.actors.append(Hit(h.start, h.end, h.text, actor=actor, anaphor=actor is None))
        admin1s: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        for ph in self.places.find_tokens(norm, toks, text):
            s = sentence_of(ph.start)
            if s is None:
                continue
            entries = tuple(sorted(set(ph.payloads), key=self._rank))
            s.places.append(Hit(ph.start, ph.end, ph.text, places=entries))
            if entries[0].admin1_code and entries[0].kind != "region":
                admin1s[entries[0].admin1_code] += 1
            if entries[0].country_code:
                countries[entries[0].country_code] += 1
        if not countries:
            for s in sentences:
                for a in s.actors:
                    if a.actor is not None and a.actor.country in _COUNTRY_NAMES:
                        countries[a.actor.country] += 1
        ctx.countries = [c for c, _ in countries.most_common()]
        ctx.admin1_codes = [c for c, _ in admin1s.most_common()]
        ctx.relevant = True
        title_admin1: set[str] = set()
        if document.title:
            for ph in self.places.find(document.title):
                title_admin1.update(e.admin1_code for e in ph.payloads if e.admin1_code)
            ctx.title_actors = [
                a.id
                for h in self.actors.find(document.title)
                for a in h.payloads[:1]
                if a is not None and a.kind == "rebel"
            ]

        def hits_by_sentence(index: ArabicPhraseIndex[Any]) -> dict[int, list[Any]]:
            found: dict[int, list[Any]] = {}
            for h in index.find_tokens(norm, toks, text):
                s = sentence_of(h.start)
                if s is not None:
                    found.setdefault(s.index, []).append(h)
            return found

        trig_hits = hits_by_sentence(self.triggers)
        outcome_hits = hits_by_sentence(self.outcomes)
        victim_hits = hits_by_sentence(self.victims)
        clash_hits = hits_by_sentence(self._clash)
        speech_hits = hits_by_sentence(self.speech)
        indicator_hits = hits_by_sentence(self.indicator_cues)

        parsed: dict[int, _Parsed] = {}
        for s in sentences:
            lo = bisect.bisect_left(word_starts, s.start)
            hi = bisect.bisect_left(word_starts, s.end)
            sw = words[lo:hi]
            texts = [w.text for w in sw]
            norm_text = normalise(s.text).text
            for h in speech_hits.get(s.index, []):
                s.speech.append(Hit(h.start, h.end, h.text, cues=(Cue("speech", h.payloads[0]),)))
            triggers = [(h.payloads[0], h.start) for h in trig_hits.get(s.index, [])]
            outcomes = []
            for h in outcome_hits.get(s.index, []):
                k = bisect.bisect_right([w.start for w in sw], h.start) - 1
                outcomes.append((h.payloads[0], max(k, 0), h.start))
            victims = [h.payloads[0] for h in victim_hits.get(s.index, [])]
            parsed[s.index] = _Parsed(
                sw,
                self.dates.find(texts, norm_text, document.published),
                triggers,
                outcomes,
                victims,
                self._toll(sw, outcomes),
                max((self.words.bombers.get(t, 0) for t in texts), default=0),
                any(_ends_with(texts[: len(p)], p) for p in self._separate),
                self._is_background(texts),
                bool(clash_hits.get(s.index)),
            )

        drafts = self._drafts(sentences, parsed)
        events = [e for d in drafts if (e := self._event(ctx, d, parsed, title_admin1)) is not None]
        claims = self._claims(ctx, parsed)
        indicators = self._indicators(ctx, indicator_hits)
        coded = replace(document, language="ar")
        return CodedDocument(coded, tuple(events), tuple(claims), tuple(indicators))

    def _is_background(self, texts: list[str]) -> bool:
        head = texts[:4]
        for phrase in self._background:
            n = len(phrase)
            for i in range(len(head)):
                if _ends_with(texts[: i + n], phrase) and i < 3:
                    return True
        return False

    # -- tolls ----------------------------------------------------------------------------------

    def _toll(self, sw: list[_Word], outcomes: list[tuple[str, int, int]]) -> int:
        texts = [w.text for w in sw]
        joined = " ".join(texts)
        if any(" ".join(p) in joined for p in self._running):
            return 0  # a running total ("منذ بداية العام")
        used: set[int] = set()
        total = 0
        wounded = {k for kind, k, _ in outcomes if kind == "wounded"}
        for kind, k, _ in outcomes:
            if kind != "killed":
                continue
            value = 0
            found = False
            word = texts[k]
            if any(word.endswith(x) and len(word) > 3 for x in ("له",)) and not word.endswith("هم"):
                value, found = 1, True  # "مقتله": one man
            j, gap = k + 1, 0
            while j < len(texts) and gap <= _TOLL_GAP:
                if j in wounded or texts[j] in self._breakdown:
                    break
                if sw[j].pause and found:
                    break
                j2 = self.counts.qualifier_end(texts, j)
                number = self.counts.read(texts, j2, conjoined=found)
                if number is not None and not any(
                    i in used for i in range(number.start, number.end)
                ):
                    if len(texts[j2]) == 4 and texts[j2].isdigit():
                        break  # a year
                    value += number.value
                    used.update(range(number.start, number.end))
                    found = True
                    j, gap = number.end, 0
                    continue
                if found and texts[j] == "مع":
                    gap = 0
                    j += 1
                    continue
                if not found and gap <= 1 and self._is_singular(texts[j]):
                    value, found = 1, True
                    break
                gap += 1
                j += 1
            total += value
        return total

    def _is_singular(self, word: str) -> bool:
        stems = {s for s, _ in prefix_variants(word)}
        stems |= {s[2:] for s in stems if s.startswith("ال") and len(s) > 4}
        return bool(stems & self._singular)

    # -- events ---------------------------------------------------------------------------------

    def _drafts(self, sentences: list[Sentence], parsed: dict[int, _Parsed]) -> list[_Draft]:
        drafts: list[_Draft] = []
        for s in sentences:
            p = parsed[s.index]
            if not p.triggers and not (drafts and p.toll):
                continue
            if p.background and not p.separate:
                continue
            date = ArabicDates.best(p.dates)
            current = drafts[-1] if drafts else None
            new = current is None or p.separate
            if current is not None and not new:
                if date is not None and current.date is not None and date.date != current.date.date:
                    new = bool(p.triggers)
                elif self._other_place(current, s):
                    new = bool(p.triggers) and p.toll > 0
            if new:
                if not p.triggers:
                    continue
                drafts.append(_Draft([s], date, list(p.triggers), [p.toll]))
                continue
            assert current is not None
            current.sentences.append(s)
            current.triggers.extend(p.triggers)
            current.tolls.append(p.toll)
            if current.date is None:
                current.date = date
        return drafts

    def _other_place(self, draft: _Draft, s: Sentence) -> bool:
        mine = {
            e.admin1_code for h in s.places for e in h.places[:1] if e.admin1_code and e.curated
        }
        theirs = {
            e.admin1_code
            for x in draft.sentences
            for h in x.places
            for e in h.places[:1]
            if e.curated
        }
        return bool(mine) and bool(theirs - {None}) and not (mine & theirs)

    def _role(self, s: Sentence, h: Hit, parsed: _Parsed) -> str | None:
        """What an actor is in its sentence: agent, target, support, speaker, or None."""
        words = parsed.words
        i = bisect.bisect_right([w.start for w in words], h.start) - 1
        if i < 0:
            return None
        before = [w.text for w in words[max(0, i - _MARKER_WINDOW - 1) : i]]
        while before and any(stem in self._heads for stem, _ in prefix_variants(before[-1])):
            before.pop()  # "عناصر تنظيم داعش": the marker is before the head noun
        before = before[-_MARKER_WINDOW:]
        prefix = normalise(s.text[words[i].start - s.start : h.start - s.start]).text
        for sp in s.speech:
            gap = [w for w in words if sp.end <= w.start < h.start]
            if sp.end <= h.start and len(gap) <= 1:
                stance = _stance(sp)
                if stance == "claim of responsibility":
                    return "agent"  # "تبنى تنظيم داعش الهجوم": the claimant is the attacker
                announces = normalise_phrase(sp.text).startswith(_ANNOUNCE)
                return "announcer" if announces else "speaker"
        for kind, k, offset in parsed.outcomes:
            # "قتل أربعة عناصر من قوات سوريا الديمقراطية": the dead are of this side.
            if (
                kind == "killed"
                and offset < h.start
                and 0 <= i - k <= _VICTIM_WINDOW
                and not any(offset < t < h.start for _, t in parsed.triggers)
            ):
                return "target"
        for n in range(1, len(before) + 1):
            window = before[-n:]
            if any(_ends_with(window, p) for p in self._support):
                return "support"
            if any(_ends_with(window, p) for p in self._target if len(p) <= n):
                return "target"
            if any(_ends_with(window, p) for p in self._agent if len(p) <= n):
                return "agent"
        if prefix.startswith(("ل", "ول", "فل")):
            if before and any(
                stem in self._position_words for stem, _ in prefix_variants(before[-1])
            ):
                return "target"
            return "agent"
        for _trigger, offset in parsed.triggers:
            gap = [w for w in words if offset < w.start < h.start]
            if offset < h.start and len(gap) <= 2:
                return "agent"
        return None

    def _event(
        self,
        ctx: DocumentContext,
        d: _Draft,
        parsed: dict[int, _Parsed],
        title_admin1: set[str],
    ) -> Event | None:
        document = ctx.document
        place = self._place(ctx, d, parsed, title_admin1)
        country = place.country_code if place else ctx.main_country()
        if place is None and country in _COUNTRY_NAMES:
            place = self.gazetteer.resolve(_COUNTRY_NAMES[country])
        if place is None:
            return None
        roles: dict[str, list[ActorEntry]] = {}
        speakers_claim: list[ActorEntry] = []
        for s in d.sentences:
            p = parsed[s.index]
            for h in s.actors:
                actor = ctx.resolve(h)
                if actor is None or actor.id in self.words.speaker_only:
                    continue
                if actor.kind == "official":
                    continue
                if actor.name.startswith("Unidentified") and any(
                    x.actor is not None and x.actor.kind == "rebel" and not x.anaphor
                    for x in s.actors
                ):
                    continue  # "مسلحون من تنظيم داعش": the gunmen are the group's
                role = self._role(s, h, p) or "unknown"
                if any(
                    _stance(sp) == "claim of responsibility" and sp.end <= h.start
                    for sp in s.speech
                ):
                    speakers_claim.append(actor)
                bucket = roles.setdefault(role, [])
                if all(a.id != actor.id for a in bucket):
                    bucket.append(actor)
        victims = {g for s in d.sentences for g in parsed[s.index].victims}
        # The first victims the report names are whom the event hit ("قتل 53 شخصا، بينهم ...").
        primary = next((v for s in d.sentences for v in parsed[s.index].victims[:1]), None)
        clash = any(parsed[s.index].clash for s in d.sentences)
        # The lead sentence says what happened; later ones add detail ("استعادت السيطرة على أجزاء
        # من السجن" after an assault is no capture).
        lead = [t for t in d.triggers if d.sentences[0].start <= t[1] < d.sentences[0].end]
        trig, _ = max(lead or d.triggers, key=lambda t: (t[0].weight, -t[1]))
        sub = trig.sub_event_type
        agents = list(roles.get("agent", []))
        targets = list(roles.get("target", []))
        others = roles.get("unknown", []) + roles.get("announcer", [])
        speakers = roles.get("speaker", [])

        def first(
            pool: list[ActorEntry], kinds: set[str], exclude: ActorEntry | None = None
        ) -> ActorEntry | None:
            for a in pool:
                if self.theatre.root_of(a).kind in kinds and (
                    exclude is None or a.id != exclude.id
                ):
                    return a
            return None

        state_kinds = set(_STATE_SIDE)
        rebel = {"rebel"}
        actor1: ActorEntry | None
        actor2: ActorEntry | None
        if sub in _STATE_ACTS:
            if sub == "Government regains territory":
                # Who took the ground: the side that announces it or acts, not the group it was
                # taken from ("آخر جيب لتنظيم داعش", "من سيطرة داعش").
                taken = {a.id for a in targets}
                pool = [
                    a for a in roles.get("announcer", []) + agents + others if a.id not in taken
                ]
                actor1 = first(pool, state_kinds) or first(pool, rebel)
            else:
                actor1 = (
                    first(agents, state_kinds)
                    or first(others, state_kinds)
                    or first(roles.get("announcer", []) + speakers, state_kinds)
                )
            actor2 = first(targets + others + agents, rebel, actor1) or (
                ctx.salient_nonstate() if ctx.salient_nonstate() is not actor1 else None
            )
            if actor1 is None:
                actor1 = self._generic("state", country)
            if actor1 is not None and actor1.kind == "rebel":
                renamed = dict(trig.by_agent).get("rebel")
                if renamed:
                    sub = renamed
        else:
            actor1 = (
                first(agents, rebel)
                or (speakers_claim[0] if speakers_claim else None)
                or first(others, rebel)
                or first(agents, state_kinds)
            )
            if actor1 is None and any(h.anaphor for s in d.sentences for h in s.actors):
                actor1 = ctx.salient_nonstate()
            armed_target = first(targets + others + agents + speakers, state_kinds | rebel, actor1)
            civilians_hit = primary == "civilians"
            if trig.by_target:
                wanted = (
                    "armed"
                    if (armed_target is not None or "state" in victims) and not civilians_hit
                    else "civilians"
                )
                sub = dict(trig.by_target).get(wanted, sub)
            if clash and armed_target is not None and sub not in self.words.clash_keeps:
                sub = "Armed clash"
            if event_type_of(sub) == "Violence against civilians":
                actor2 = self._generic("civilians", country)
            elif armed_target is not None:
                actor2 = armed_target
            elif "state" in victims:
                actor2 = self._generic("state", country)
            elif "civilians" in victims:
                actor2 = self._generic("civilians", country)
            else:
                actor2 = None
            if actor1 is None:
                actor1 = self._generic("unidentified", country)
        if actor2 is not None and actor1 is not None and actor2.id == actor1.id:
            actor2 = None
        event_type = event_type_of(sub)
        date_hit = d.date
        date: dt.date | None
        if date_hit is not None:
            date, precision = date_hit.date, 1
        else:
            date, precision = document.published, 2
        year = date.year if date else None
        month = date.month if date else 6
        name1 = actor1.acled_name(country, year, month) if actor1 else None
        name2 = actor2.acled_name(country, year, month) if actor2 else None
        inter1 = self.theatre.root_of(actor1).inter if actor1 else None
        inter2 = self.theatre.root_of(actor2).inter if actor2 else None
        fatalities = max(d.tolls, default=0)
        if sub == "Suicide bomb":
            fatalities += max((parsed[s.index].bombers for s in d.sentences), default=0)
        s0 = d.sentences[0]
        key = f"{document.id}:{s0.start}:{sub}"
        evidence = tuple(ctx.evidence(s) for s in d.sentences[:25])
        confidence = 0.45 + (0.15 if date_hit else 0) + (0.15 if place.precision == 1 else 0.05)
        confidence += 0.1 if name1 and name2 else 0
        return Event(
            id="ev-" + hashlib.sha256(key.encode()).hexdigest()[:16],
            document_id=document.id,
            event_type=event_type,
            sub_event_type=sub,
            date=date,
            time_precision=precision,  # type: ignore[arg-type]
            actor1=name1,
            actor2=name2,
            inter1=inter1,
            inter2=inter2,
            place=place,
            fatalities=fatalities,
            confidence=min(confidence, 0.9),
            notes=_notes(date, precision, name1, sub, name2, place, fatalities),
            evidence=evidence,
        )

    def _generic(self, kind: str, country: str | None) -> ActorEntry | None:
        """ACLED's generic actors, as the English builder picks them."""
        for a in self.theatre.actors:
            if a.parent is not None:
                continue
            if kind == "civilians" and a.kind == "civilians" and "{country}" in a.name:
                return a
            if kind == "unidentified" and a.name.startswith("Unidentified Armed Group"):
                return a
            if (
                kind == "state"
                and a.kind == "state"
                and a.country == country
                and any(n.startswith("Military Forces") for _, _, n in a.names_by_period)
            ):
                return a
        return None

    def _rank(self, entry: GazetteerEntry) -> tuple[int, int]:
        return (-_SPECIFICITY.get(entry.kind, 0), -entry.population)

    def _place(
        self, ctx: DocumentContext, d: _Draft, parsed: dict[int, _Parsed], title_admin1: set[str]
    ) -> Place | None:
        best: tuple[tuple[float, int], GazetteerEntry, Hit, Sentence] | None = None
        admin1_named = {
            e.admin1_code
            for s in d.sentences
            for h in s.places
            for e in h.places
            if e.kind == "admin1" and e.admin1_code
        }
        for order, s in enumerate(d.sentences):
            words = parsed[s.index].words
            for h in s.places:
                i = bisect.bisect_right([w.start for w in words], h.start) - 1
                before = [w.text for w in words[max(0, i - 2) : max(i, 0)]]
                away = any(
                    _ends_with(before[-n:], p) for p in self._away for n in (1, 2) if len(p) <= n
                )
                entry = self._choose(h.places, admin1_named | title_admin1, ctx)
                if before and any(_ends_with(before[-1:], p) for p in self._countryside):
                    # "بريف الحسكة": the governorate, not its seat.
                    region = self.gazetteer.admin1(entry.admin1_code or "")
                    if region is not None:
                        entry = region
                score = float(_SPECIFICITY.get(entry.kind, 0))
                if away:
                    score -= 5
                if entry.admin1_code and entry.admin1_code in title_admin1:
                    score += 0.5
                if (
                    entry.admin1_code
                    and entry.admin1_code in admin1_named
                    and entry.kind != "admin1"
                ):
                    score += 0.5
                score -= 0.25 * order
                key = (score, -h.start)
                if best is None or key > best[0]:
                    best = (key, entry, h, s)
        if best is None:
            for code in ctx.admin1_codes[:1] or sorted(title_admin1)[:1]:
                governorate = self.gazetteer.admin1(code)
                if governorate is not None:
                    return self.gazetteer.place(governorate, 3)
            return None
        (score, _), entry, _h, _s = best
        if score < 0 and ctx.admin1_codes:
            region = self.gazetteer.admin1(ctx.admin1_codes[0])
            if region is not None:
                return self.gazetteer.place(region, 3)
        if entry.kind in ("admin1", "region", "country"):
            return self.gazetteer.place(entry, 3)
        if entry.kind == "admin2":
            return self.gazetteer.place(entry, 2)
        return self.gazetteer.place(entry, 1)

    def _choose(
        self, entries: tuple[GazetteerEntry, ...], admin1: set[str], ctx: DocumentContext
    ) -> GazetteerEntry:
        countries = set(ctx.countries[:1])

        def score(e: GazetteerEntry) -> tuple[int, int, int, int]:
            return (
                int(not countries or e.country_code in countries),
                int(bool(e.admin1_code) and e.admin1_code in admin1),
                _SPECIFICITY.get(e.kind, 0) + (1 if e.curated else 0),
                e.population,
            )

        return max(entries, key=score)

    # -- claims and indicators ------------------------------------------------------------------

    def _claims(self, ctx: DocumentContext, parsed: dict[int, _Parsed]) -> list[Claim]:
        claims: list[Claim] = []
        for s in ctx.sentences:
            for sp in s.speech:
                stance = _stance(sp)
                words = parsed[s.index].words
                after = [w for w in words if w.start >= sp.end]
                content_start = next((w.end for w in after[:10] if w.text in self._openers), sp.end)
                content = s.text[content_start - s.start :].strip(" ،,:")
                if stance == "neutral":
                    votes = Counter(c for h in self.cues.find(content) for c in h.payloads)
                    if not votes:
                        continue
                    stance = votes.most_common(1)[0][0]
                speaker_hit = next(
                    (h for h in s.actors if h.start >= sp.end and h.start - sp.end <= 30), None
                )
                if speaker_hit is not None and (actor := ctx.resolve(speaker_hit)) is not None:
                    speaker = actor.name
                else:
                    upto = [
                        w
                        for w in after[:6]
                        if w.end <= content_start and w.text not in self._openers
                    ]
                    if not upto:
                        continue
                    speaker = s.text[upto[0].start - s.start : upto[-1].end - s.start]
                about = next(
                    (
                        a.acled_name(ctx.main_country(), ctx.year())
                        for h in s.actors
                        if (a := ctx.resolve(h)) is not None and a.kind == "rebel"
                    ),
                    None,
                )
                place = None
                if s.places:
                    entry = self._choose(s.places[0].places, set(ctx.admin1_codes[:1]), ctx)
                    place = self.gazetteer.place(entry, 3 if entry.kind != "place" else 1)
                key = f"{ctx.document.id}:{sp.start}:{stance}"
                claims.append(
                    Claim(
                        id="cl-" + hashlib.sha256(key.encode()).hexdigest()[:16],
                        document_id=ctx.document.id,
                        speaker=speaker,
                        stance=stance,  # type: ignore[arg-type]
                        text=content or s.text,
                        about_actor=about,
                        place=place,
                        evidence=(ctx.evidence(s, sp.start, sp.end),),
                    )
                )
        return claims

    def _indicators(self, ctx: DocumentContext, hits: dict[int, list[Any]]) -> list[Indicator]:
        found: list[Indicator] = []
        config = self.theatre.indicators
        for s in ctx.sentences:
            for h in hits.get(s.index, []):
                kind, key = h.payloads[0]
                if kind == "tactic":
                    value: str | None = key
                else:
                    value = str(config.get(kind, {}).get("value", kind))
                rebel = (
                    next(
                        (
                            a
                            for x in s.actors
                            if (a := ctx.resolve(x)) is not None and a.kind == "rebel"
                        ),
                        None,
                    )
                    or ctx.salient_nonstate()
                )
                actor = rebel.acled_name(ctx.main_country(), ctx.year()) if rebel else None
                place = None
                if s.places:
                    entry = self._choose(s.places[0].places, set(ctx.admin1_codes[:1]), ctx)
                    place = self.gazetteer.place(entry, 3 if entry.kind != "place" else 1)
                ident = f"{ctx.document.id}:{kind}:{h.start}:{key}"
                found.append(
                    Indicator(
                        id="in-" + hashlib.sha256(ident.encode()).hexdigest()[:16],
                        document_id=ctx.document.id,
                        kind="tactic" if kind == "tactic" else kind,
                        value=value,
                        actor=actor,
                        place=place,
                        evidence=(ctx.evidence(s, h.start, h.end),),
                    )
                )
        return found


def _stance(hit: Hit) -> str:
    return hit.cues[0].key if hit.cues else "neutral"


def _notes(
    date: dt.date | None,
    precision: int,
    actor1: str | None,
    sub: str,
    actor2: str | None,
    place: Place,
    fatalities: int,
) -> str:
    """The English builder's one-line summary ("On 21 July 2019, X: attack against Y in Z.")."""
    when = ""
    if date:
        when = (
            f"On {date.day} {date:%B %Y}"
            if precision == 1
            else f"Around the week of {date.day} {date:%B %Y}"
        )
    who = actor1 or "Unidentified actors"
    where = place.name
    if place.admin1 and place.admin1 != place.name:
        where += f" ({place.admin1}, {place.country})" if place.country else f" ({place.admin1})"
    head = f"{when}, {who}" if when else who
    text = f"{head}: {sub.lower()}" + (f" against {actor2}" if actor2 else "") + f" in {where}."
    if fatalities:
        text += f" {fatalities} {'fatality' if fatalities == 1 else 'fatalities'}."
    return text + " Coded from Arabic."
