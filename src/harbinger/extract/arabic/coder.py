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

from harbinger.errors import KnowledgeError
from harbinger.extract.arabic.dates import ArabicDate, ArabicDates
from harbinger.extract.arabic.numbers import ArabicCounts, Number
from harbinger.extract.context import Cue, DocumentContext, Hit, Sentence
from harbinger.ingest.repair import repair
from harbinger.knowledge import ActorEntry, Theatre
from harbinger.knowledge.arabic import (
    ArabicPhraseIndex,
    ArabicTrigger,
    ArabicWords,
    Normalised,
    is_arabic_letter,
    load_arabic_words,
    normalise,
    normalise_phrase,
    prefix_variants,
    suffix_variants,
    tokens,
)
from harbinger.knowledge.headers import load_header_words
from harbinger.records import Claim, CodedDocument, Document, Event, Indicator, Place
from harbinger.taxonomy import event_type_of

if TYPE_CHECKING:
    from harbinger.geo import Gazetteer, GazetteerEntry

__all__ = ["ArabicCoder"]

#: Words between a result word and the count it reports ("مقتل ثلاثة", "لقي ثلاثة عشر منتسبا").
_TOLL_GAP = 3
#: Words after a result word within which a named side is the side that lost men.
_VICTIM_WINDOW = 5
#: Words of a subject between a verb and the rest of its phrase ("ألقت قوات الأمن القبض").
_SUBJECT_GAP = 4
#: Words looked at before an actor for what makes it a side.
_MARKER_WINDOW = 3
#: Words after a speech verb within which a date is the statement's ("أعلنت الوزارة، اليوم
#: الثلاثاء، ارتفاع عدد ضحايا التفجير ... فجر يوم الأحد": Tuesday is the announcement's day).
_STATEMENT_DATE_WINDOW = 8
#: A verb of targeting this close after another trigger is that trigger's verb.
_ECHO_WINDOW = 3
#: Added to the rank of a statement's date (see ``ArabicDate.rank``): any other date wins.
_STATEMENT_RANK = 10
#: Endings of a verb's plural and dual persons ("قتلوا", "يقتلون", "قتلتا").
_PLURAL_ENDINGS = ("وا", "ون", "ان", "ين", "تا", "هم", "هن")
#: The endings "their" of a noun of the dead ("جثثهم", "مصرعهن").
_THEIR = ("هم", "هن")
#: Words around a toll's figure within which a running total's words make it one.
_RUNNING_WINDOW = 4
#: Words of a pluperfect sentence within which its particle follows its verb ("وكان انتحاري ... قد").
_PLUPERFECT_WINDOW = 8
#: Words after a speaker's title within which a place may close where the speaker serves.
_TITLE_REACH = 3
#: Words after a speech verb within which the word that opens what was said closes the speaker.
_SPEAKER_REACH = 10
#: Words of a speaker with no title and no actor named ("نواب عن محافظة نينوى").
_MAX_SPEAKER_WORDS = 4
#: Characters of the Arabic sentence quoted in an event's notes.
_NOTE_QUOTE_CHARS = 300
#: Words of a dateline's place glued to an agency ("حمص-سانا"), and the marks that glue them.
_DATELINE_WORDS = 3
_DATELINE_MARKS = "-\u2013\u2014/\u0640"  # the tatweel is written as a dash ("القامشلي ـ هاوار")
#: Words of a relative clause after a trigger read for a time before the news ("الذي ...").
_RELATIVE_REACH = 15
#: Words a calendar date may take ("3 تموز 2016").
_DATE_WORDS = 3
#: Words of a trigger's noun phrase before the relative pronoun that follows it.
_NOUN_PHRASE = 4
#: Days before the report from which a date in such a clause is an earlier incident's.
_RECALL_DAYS = 14
#: The side of the dead named by a group of victims' words (``victims`` of ``arabic.yaml``).
_VICTIM_SIDES = {
    "militants": "militants",
    "civilians": "civilians",
    "state": "forces",
    "police": "forces",
    "positions": "forces",
}
#: Kinds of place, most specific first: the place an event happened is the most specific named.
_SPECIFICITY = {"place": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 0}
#: Brackets and quotes that open an outlet's name ("لـ(بغداد اليوم)", "«دير الزور 24»").
_OPENING_MARKS = "(«\"“'[{"
_CLAUSE_PUNCTUATION = frozenset(',.;:!?()"«»،؛؟')
_COUNTRY_NAMES = {"IQ": "Iraq", "SY": "Syria"}
#: How ACLED's names of a country's forces begin, by the victims' side that names them.
_GENERIC_FORCES = {"state": "Military Forces", "police": "Police Forces"}
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
    #: Each sentence's toll and the part of it that is the attackers' own dead.
    tolls: list[tuple[int, int]] = field(default_factory=list)
    #: For each toll, whether its sentence gives another source's figure ("غير أن المرصد ...").
    sources: list[bool] = field(default_factory=list)
    #: The clause a split-off clause came after: where it happened when it names no place.
    inherit: Sentence | None = None


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What the coder read from one sentence."""

    words: list[_Word]
    dates: list[ArabicDate]
    triggers: list[tuple[ArabicTrigger, int]]  # trigger, body offset
    outcomes: list[tuple[str, int, int]]  # kind, word index, body offset
    victims: list[str]
    toll: int
    bombers: tuple[int, int]  # counted, and of a plural of no number
    separate: bool
    background: bool
    clash: bool
    #: A pluperfect sentence ("وكان ... قد"), and whether it names another incident ("مماثل").
    pluperfect: bool = False
    other_incident: bool = False
    #: The victims named within a few words after a result word, in order.
    struck: list[str] = field(default_factory=list)
    #: The part of ``toll`` that is the attackers' own dead ("وقتل أحد المهاجمين").
    militant: int = 0
    #: For a clause split off a sentence, the index of the clause before it, and whether a joiner
    #: ("فيما") split it (a separator, "وفي هجوم آخر", says it is another incident outright).
    follows: int | None = None
    joined: bool = False
    #: Places of a dateline glued to the start of the body ("حمص-سانا").
    dateline_places: list[Hit] = field(default_factory=list)
    #: Spans of an earlier incident recalled ("مجزرة سجن بادوش التي ارتكبها ... عام 2014"): their
    #: places are not where the news happened.
    recalled: list[tuple[int, int]] = field(default_factory=list)
    #: Whether the sentence gives its figure as another source's ("في المقابل، ذكرت مصادر").
    other_source: bool = False
    #: Whether it tells of "a similar" act ("وقفة احتجاجية مماثلة").
    similar: bool = False
    #: Whether it says it happened where the one before did ("في المنطقة ذاتها").
    same_place: bool = False


def _event_dates(
    dates: list[ArabicDate], said: list[int], acts: list[int], opened: list[int] | None = None
) -> list[ArabicDate]:
    """The dates of a sentence, those of a statement ranked last: a date right after a speech
    verb, or anywhere between it and the word that opens what was said ("وقال التنظيم في بيان
    نشره عبر معرفاته، مساء الجمعة، إن"), and before any word of the act is the day it was said
    ("أعلنت الوزارة، اليوم الثلاثاء، ارتفاع عدد الضحايا"), not necessarily the day it happened."""

    def of_statement(d: ArabicDate) -> bool:
        for n, verb in enumerate(said):
            first_act = next((a for a in acts if a >= verb), None)
            reach = verb + _STATEMENT_DATE_WINDOW
            if opened is not None and n < len(opened) and opened[n] > verb:
                reach = max(reach, opened[n])
            if verb <= d.word < reach and (first_act is None or d.word < first_act):
                return True
        return False

    return [replace(d, rank=d.rank + _STATEMENT_RANK) if of_statement(d) else d for d in dates]


def _other_day(known: ArabicDate | None, found: ArabicDate | None) -> bool:
    """Whether a sentence's date puts it on another day than its event's (a statement's date
    says nothing of the day of the act)."""
    if known is None or found is None or known.date == found.date:
        return False
    return known.rank < _STATEMENT_RANK and found.rank < _STATEMENT_RANK


def _sooner(known: ArabicDate | None, found: ArabicDate | None) -> ArabicDate | None:
    """An event's date after one more sentence: the first one given, unless it was a statement's
    and the sentence gives the day of the act."""
    if known is None:
        return found
    if found is not None and known.rank >= _STATEMENT_RANK > found.rank:
        return found
    return known


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether the words hold the phrase, word for word."""
    return f" {' '.join(phrase)} " in f" {' '.join(words)} "


def _phrases(items: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalise_phrase(p).split()) for p in items if normalise_phrase(p))


class _Markers:
    """Marker phrases by their last word: whether a window of words ends with one of them, each
    phrase checked as ``_ends_with`` (or ``_marks``, with ``endings``) checks it, but only the few
    whose last word the window's could be (the role of every actor asks this many times)."""

    def __init__(self, phrases: tuple[tuple[str, ...], ...], *, endings: bool = False) -> None:
        self.by_last: dict[str, list[tuple[str, ...]]] = {}
        for p in phrases:
            self.by_last.setdefault(p[-1], []).append(p)
        self.endings = endings

    def ends(self, window: list[str]) -> bool:
        last = window[-1]
        forms = [last, *(suffix_variants(last)[1:] if self.endings else ())]
        keys = {k for form in forms for k in (form, *(st for st, _ in prefix_variants(form)))}
        check = _marks if self.endings else _ends_with
        return any(check(window, p) for k in keys for p in self.by_last.get(k, ()))


def _marks(words: list[str], phrase: tuple[str, ...]) -> bool:
    """``_ends_with``, the marker's last word also with an ending when it is a noun of four
    letters or more ("مواقعهم", "أوكارهم"); short function words ("على", "مع") take none."""
    if _ends_with(words, phrase):
        return True
    if len(phrase[-1]) < 4 or not words:
        return False
    last = words[-1]
    return any(_ends_with([*words[:-1], variant], phrase) for variant in suffix_variants(last)[1:])


def _starts_with(words: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether the words begin with the phrase, its first word with proclitics ("وبينما")."""
    n = len(phrase)
    if n == 0 or len(words) < n or tuple(words[1:n]) != phrase[1:]:
        return False
    return any(stem == phrase[0] for stem, _ in prefix_variants(words[0]))


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
        self.counts = ArabicCounts(
            w.numbers,
            singulars=(normalise_phrase(p) for p in w.singular_victims),
            sound_plurals=w.sound_plurals,
        )
        self.dates = ArabicDates(w)
        self.actors: ArabicPhraseIndex[ActorEntry | None] = ArabicPhraseIndex()
        for actor in theatre.actors:
            for alias in actor.aliases:
                if any("\u0600" <= ch <= "\u06ff" for ch in alias.text):
                    self.actors.add(alias.text, actor)
        for actor_id, names in w.actor_names.items():
            if actor_id not in theatre.actor_by_id:
                raise KnowledgeError(
                    f"arabic.yaml of {theatre_name}: actor_names: {actor_id!r} is no actor of "
                    "actors.yaml (use an actor's id)"
                )
            for name in names:
                self.actors.add(name, theatre.actor_by_id[actor_id])
        for phrase in w.anaphora:
            self.actors.add(phrase, None)
        for country, actor_id in w.default_insurgent.items():
            if actor_id not in theatre.actor_by_id:
                raise KnowledgeError(
                    f"arabic.yaml of {theatre_name}: default_insurgent: {country}: "
                    f"{actor_id!r} is no actor of actors.yaml"
                )
        for actor_id in w.governing_groups:
            if actor_id not in theatre.actor_by_id:
                raise KnowledgeError(
                    f"arabic.yaml of {theatre_name}: governing_groups: {actor_id!r} is no actor "
                    "of actors.yaml"
                )
        self._governing = frozenset(w.governing_groups)
        self.places: ArabicPhraseIndex[GazetteerEntry] = ArabicPhraseIndex(suffixes=False)
        for name, entry in gazetteer.arabic_names():
            if not entry.curated and normalise_phrase(name) in w.place_stoplist:
                continue
            self.places.add(name, entry)
        self.triggers: ArabicPhraseIndex[ArabicTrigger] = ArabicPhraseIndex()
        for trig in w.triggers:
            for word in trig.words:
                self.triggers.add(word, trig)
            for phrase in trig.verb_phrases:
                self.triggers.add(phrase, trig, gap=_SUBJECT_GAP)
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
            # "فتح مسلحو داعش النار": the subject between the verb and its fire.
            gap = _SUBJECT_GAP if normalise_phrase(word).endswith(" النار") else 0
            self._clash.add(word, True, gap=gap)
        self._agent = _phrases(w.agent_markers)
        self._members = _phrases(w.member_markers)
        self._member_words = frozenset(
            {x for p in self._members for x in p} | {normalise_phrase(p) for p in w.actor_heads}
        ) | {"من"}
        self._pluperfect_verbs = frozenset(normalise_phrase(p) for p in w.pluperfect_verbs)
        self._pluperfect_particles = frozenset(normalise_phrase(p) for p in w.pluperfect_particles)
        self._other_incident = _phrases(w.other_incident)
        self._dead = frozenset(normalise_phrase(p) for p in w.dead_nouns)
        self._bomber_phrases = _phrases(w.bomber_phrases)
        self._titles = _phrases(w.speaker_titles)
        self._title_of = frozenset(normalise_phrase(p) for p in w.speaker_title_of)
        self._time_words = frozenset(
            {normalise_phrase(p) for p in w.day_parts}
            | set(w.weekdays)
            | {x for k in w.relative_days for x in k.split()}
        )
        self._target = _phrases(w.target_markers)
        self._support = _phrases(w.support_markers)
        self._support_at = _Markers(self._support)
        self._target_at = _Markers(self._target, endings=True)
        self._agent_at = _Markers(self._agent)
        self._members_at = _Markers(self._members)
        self._separate = _phrases(w.separate_markers)
        self._background = _phrases(w.background_markers)
        self._breakdown = frozenset(normalise_phrase(p) for p in w.toll_breakdown)
        self._running = _phrases(w.running_total)
        self._running_by_first: dict[str, list[tuple[str, ...]]] = {}
        for p in self._running:
            self._running_by_first.setdefault(p[0], []).append(p)
        self._singular = frozenset(normalise_phrase(p) for p in w.singular_victims)
        # Nouns of people, of one word: what a count before a verb of death counts.
        self._people = frozenset(
            n
            for phrase in (*w.singular_victims, *(p for ps in w.victims.values() for p in ps))
            if len((n := normalise_phrase(phrase)).split()) == 1
        )
        self._away = _phrases(w.away_markers)
        self._heads = frozenset(normalise_phrase(p) for p in w.actor_heads)
        self._countryside = _phrases(w.countryside)
        self._openers = frozenset(normalise_phrase(p) for p in w.speech_openers if p.strip(":"))
        self._agencies = frozenset(
            tuple(normalise_phrase(name).split())
            for name in load_header_words(theatre_name).agencies
            if any(is_arabic_letter(ch) for ch in name) and normalise_phrase(name)
        )
        self._clause_joiners = _phrases(w.clause_joiners)
        self._clause_separators = _phrases(w.clause_separators)
        self._recall_at = _Markers(_phrases(w.recall_markers))
        self._relatives = frozenset(normalise_phrase(p) for p in w.relative_pronouns)
        self._recall_times = _phrases(w.recall_times)
        self._negations = frozenset(normalise_phrase(p) for p in w.negations)
        self._verb_particles = frozenset(normalise_phrase(p) for p in w.verb_particles)
        # Nouns of the wounded: a count right before one counts them, not the dead.
        self._wounded_nouns = frozenset(normalise_phrase(p) for p in w.wounded_nouns)
        self._targeting = frozenset(normalise_phrase(p) for p in w.targeting_verbs)
        self._same_place = _phrases(w.same_place_markers)
        self._similar = frozenset(normalise_phrase(p) for p in w.similar_markers)
        self._multiples = w.bomber_multiples
        self._directions = _phrases(w.direction_words)
        self._other_source = _phrases(w.other_source_markers)
        self._demands = frozenset(normalise_phrase(p) for p in w.demand_words)
        self._habitual = _phrases(w.habitual_markers)
        self._landmarks = _phrases(w.landmark_markers)
        self._place_nouns = frozenset(normalise_phrase(p) for p in w.place_nouns) | {"العاصمه"}
        self._position_words = frozenset(
            normalise_phrase(p)
            for group in ("state", "positions", "police", "civilians")
            for p in w.victims.get(group, ())
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
        if not sentences:
            return CodedDocument(document)
        norm = normalise(text)
        toks = tokens(norm)
        words = self._words(text, norm)
        word_starts = [w.start for w in words]
        actor_all = self.actors.find_tokens(norm, toks, text)
        place_all = self.places.find_tokens(norm, toks, text)
        trig_all = self.triggers.find_tokens(norm, toks, text)
        outcome_all = self.outcomes.find_tokens(norm, toks, text)
        victim_all = self.victims.find_tokens(norm, toks, text)
        # Two events in one sentence ("... فيما قتل عشرة من البيشمركة"): its clauses are read as
        # sentences of their own; ``follows`` says which clause each split-off one came after.
        found: dict[str, list[Any]] = {
            "triggers": trig_all,
            "outcomes": outcome_all,
            "victims": victim_all,
            "actors": actor_all,
            "places": place_all,
        }
        sentences, follows = self._clauses(text, sentences, words, word_starts, found)
        ctx = DocumentContext(doc, repaired, sentences)
        starts = [s.start for s in sentences]
        # "حمص-سانا" glued to the start of the body: a dateline, whose place is no place of the
        # event when the event's sentences name another.
        dateline = self._dateline(text, words)

        def sentence_of(offset: int) -> Sentence | None:
            i = bisect.bisect_right(starts, offset) - 1
            if i >= 0 and sentences[i].start <= offset < sentences[i].end:
                return sentences[i]
            return None

        for h in actor_all:
            s = sentence_of(h.start)
            if s is None:
                continue
            actor = h.payloads[0]
            s.actors.append(Hit(h.start, h.end, h.text, actor=actor, anaphor=actor is None))
        admin1s: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        datelined: dict[int, list[Hit]] = {}
        outlets = self._outlets(text, words)
        for ph in place_all:
            s = sentence_of(ph.start)
            if s is None or any(
                a.start <= ph.start and ph.end <= a.end and a.end - a.start > ph.end - ph.start
                for a in s.actors
            ):
                continue  # "قوات سوريا الديمقراطية" names no place
            if any(a <= ph.start < b for a, b in outlets):
                continue  # "قال المصدر لـ(بغداد اليوم)": an outlet's name names no place
            entries = tuple(sorted(set(ph.payloads), key=self._rank))
            hit = Hit(ph.start, ph.end, ph.text, places=entries)
            if dateline is not None and dateline[0] <= ph.start < dateline[1]:
                datelined.setdefault(s.index, []).append(hit)
                if entries[0].country_code:
                    countries[entries[0].country_code] += 1
                continue
            s.places.append(hit)
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

        def hits_by_sentence(index: ArabicPhraseIndex[Any] | list[Any]) -> dict[int, list[Any]]:
            found: dict[int, list[Any]] = {}
            hits = index if isinstance(index, list) else index.find_tokens(norm, toks, text)
            for h in hits:
                s = sentence_of(h.start)
                if s is not None:
                    found.setdefault(s.index, []).append(h)
            return found

        trig_hits = hits_by_sentence(trig_all)
        outcome_hits = hits_by_sentence(outcome_all)
        victim_hits = hits_by_sentence(victim_all)
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
            # A trigger's word inside a place's name is the name ("ساحة الطيران"); one in what a
            # warning, a reassurance or a denial says is a threat or a rumour, not an event
            # ("حذر من أن التنظيم قد يهاجم", "نفى وقوع هجوم").
            muted = self._muted(s, sw)
            # An earlier incident recalled ("على غرار هجوم", "الهجوم الذي شنه ... مطلع العام"):
            # neither its trigger nor its dead nor its date are the news.
            found_dates = self.dates.find(texts, norm_text, document.published)
            recalled = self._recalled(
                sw, trig_hits.get(s.index, []), found_dates, document.published
            )
            triggers = [
                (h.payloads[0], h.start)
                for h in trig_hits.get(s.index, [])
                if not any(p.start <= h.start and h.end <= p.end for p in s.places)
                and not any(a <= h.start < b for a, b in muted + recalled)
            ]
            triggers = self._without_echoes(sw, triggers)
            outcomes = self._outcomes_of(sw, outcome_hits.get(s.index, []), recalled)
            found_dates = [
                d for d in found_dates if not any(a <= sw[d.word].start < b for a, b in recalled)
            ]
            # A word of victims inside an actor's name ("جنود الخلافة") or a speaker's words ("مصدر
            # في شرطة المحافظة") names no victim.
            voices = self._voices(s, sw)
            sw_starts0 = [w.start for w in sw]
            named_victims = [
                h
                for h in victim_hits.get(s.index, [])
                if not any(
                    a.start <= h.start and h.end <= a.end and a.end - a.start > h.end - h.start
                    for a in s.actors
                )
                and not any(a <= h.start < b for a, b in voices)
                and not self._landmark_at(texts, bisect.bisect_right(sw_starts0, h.start) - 1)
            ]
            victims = [h.payloads[0] for h in named_victims]
            # The victims named right after a result word ("مقتل خمسة جنود"); others may be
            # description ("يرتدون زيا عسكريا").
            result_words = [k for _, k, _ in outcomes]
            struck = [
                h.payloads[0]
                for h in named_victims
                if any(
                    0
                    < bisect.bisect_right([w.start for w in sw], h.start) - 1 - k
                    <= _VICTIM_WINDOW
                    for k in result_words
                )
            ]
            sw_starts = [w.start for w in sw]
            said = [bisect.bisect_left(sw_starts, h.end) for h in speech_hits.get(s.index, [])]
            opened = [
                next(
                    (
                        k
                        for k in range(v, min(v + _RELATIVE_REACH, len(texts)))
                        if texts[k] in self._openers
                    ),
                    -1,
                )
                for v in said
            ]
            acts = sorted(
                bisect.bisect_right(sw_starts, offset) - 1
                for offset in [t[1] for t in triggers] + [o[2] for o in outcomes]
            )
            parts = self._toll_parts(sw, outcomes)
            sides = self._dead_sides(sw, parts, self._side_marks(named_victims, s.actors))
            bombers = self._bombers(texts)
            for n, (k, value, at) in enumerate(parts):
                if bombers[0] and value == 1 and at == k and n not in sides and texts[k][-1] == "ه":
                    sides[n] = "militants"  # "ففجر نفسه ولقي حتفه": the bomber's own death
            parsed[s.index] = _Parsed(
                sw,
                _event_dates(found_dates, said, acts, opened),
                triggers,
                outcomes,
                victims,
                sum(v for _, v, _ in parts),
                bombers,
                any(_ends_with(texts[: len(p)], p) for p in self._separate)
                or (s.index in follows and not follows[s.index][1]),
                self._is_background(texts),
                bool(clash_hits.get(s.index)),
                self._is_pluperfect(texts),
                any(_contains(texts, p) for p in self._other_incident),
                struck,
                militant=sum(v for n, (_, v, _) in enumerate(parts) if sides.get(n) == "militants"),
                follows=follows.get(s.index, (None, False))[0],
                joined=follows.get(s.index, (None, False))[1],
                dateline_places=datelined.get(s.index, []),
                recalled=recalled,
                other_source=any(_contains(texts, p) for p in self._other_source),
                similar=any(st in self._similar for w in texts for st, _ in prefix_variants(w)),
                same_place=any(_contains(texts, p) for p in self._same_place),
            )

        drafts = self._drafts(sentences, parsed)
        claimant = self._claimant(ctx, parsed)
        events = [
            e
            for d in drafts
            if (e := self._event(ctx, d, parsed, title_admin1, claimant)) is not None
        ]
        claims = self._claims(ctx, parsed)
        indicators = self._indicators(ctx, indicator_hits)
        coded = replace(document, language="ar")
        return CodedDocument(coded, tuple(events), tuple(claims), tuple(indicators))

    def _without_echoes(
        self, words: list[_Word], triggers: list[tuple[ArabicTrigger, int]]
    ) -> list[tuple[ArabicTrigger, int]]:
        """The triggers without a verb of targeting that tells what the act before it hit
        ("تفجيرا آخر استهدف حافلة": the bombing targeted the bus; no assault of its own)."""
        starts = [w.start for w in words]
        at = [bisect.bisect_right(starts, o) - 1 for _, o in triggers]
        out = []
        for n, (trig, offset) in enumerate(triggers):
            word = words[at[n]].text if at[n] >= 0 else ""
            if any(st in self._targeting for st, _ in prefix_variants(word)) and any(
                0 < at[n] - at[m] <= _ECHO_WINDOW and other.id != trig.id
                for m, (other, _) in enumerate(triggers)
            ):
                continue
            out.append((trig, offset))
        return out

    def _muted(self, s: Sentence, words: list[_Word]) -> list[tuple[int, int]]:
        """What the warnings, reassurances, denials and concerns of a sentence say: from the word
        that opens it (or the verb) to the next speech verb or the end of the sentence."""
        spans: list[tuple[int, int]] = []
        for n, sp in enumerate(s.speech):
            if _stance(sp) in ("neutral", "claim of responsibility"):
                continue
            limit = s.speech[n + 1].start if n + 1 < len(s.speech) else s.end
            after = [w for w in words if sp.end <= w.start < limit][:_SPEAKER_REACH]
            opener = next((w for w in after if w.text in self._openers), None)
            spans.append((opener.end if opener is not None else sp.end, limit))
        # What a demand or an appeal asks for is not done ("مطالبين قوات البيشمركة بطرد ...").
        for w in words:
            if any(stem in self._demands for stem, _ in prefix_variants(w.text)):
                limit = next((sp.start for sp in s.speech if sp.start > w.end), s.end)
                spans.append((w.end, limit))
        return spans

    def _voices(self, s: Sentence, words: list[_Word]) -> list[tuple[int, int]]:
        """The spans of a sentence that name who speaks: from a speech verb to the word that opens
        what was said ("قال مصدر في شرطة المحافظة بأن"), when one does within a few words."""
        spans: list[tuple[int, int]] = []
        for sp in s.speech:
            after = [w for w in words if w.start >= sp.end][:_SPEAKER_REACH]
            opener = next((w for w in after if w.text in self._openers), None)
            if opener is not None:
                spans.append((sp.end, opener.start))
        return spans

    def _is_pluperfect(self, texts: list[str]) -> bool:
        """ "وكان انتحاري ... قد فجر": the verb كان near the start and its particle قد after it."""
        for i, word in enumerate(texts[:3]):
            if any(stem in self._pluperfect_verbs for stem, _ in prefix_variants(word)):
                after = texts[i + 1 : i + 1 + _PLUPERFECT_WINDOW]
                return any(w in self._pluperfect_particles for w in after)
        return False

    def _bombers(self, texts: list[str]) -> tuple[int, int]:
        """The bombers a sentence names, counted (the count before the word: "ثلاثة انتحاريين";
        the word's own number: "انتحاريان") and of a plural of no number ("انتحاريون")."""
        counted = vague = 0
        if any(_starts_with(texts[i:], p) for p in self._bomber_phrases for i in range(len(texts))):
            counted = 1  # "فجر سيارته المفخخة": one bomber, his own bomb
        for i, word in enumerate(texts):
            stem = next((s for s, _ in prefix_variants(word) if s in self.words.bombers), None)
            if stem is None:
                continue
            before = None
            for start in (i - 1, i - 2):
                if start >= 0:
                    number = self.counts.read(texts, start)
                    if number is not None and number.end == i:
                        before = number.value
                        break
            after = texts[i + 1] if i + 1 < len(texts) else ""
            times = next(
                (self._multiples[x] for x, _ in prefix_variants(after) if x in self._multiples), 0
            )
            if before is not None:
                counted = max(counted, before)
            elif times:
                counted = max(counted, times)  # "هجوم انتحاري مزدوج": two bombers
            elif stem in self.words.vague_bombers:
                vague = max(vague, self.words.bombers[stem])
            else:
                counted = max(counted, self.words.bombers[stem])
        return counted, vague

    def _is_background(self, texts: list[str]) -> bool:
        if any(_contains(texts, p) for p in self._habitual):
            return True  # "وتشن خلايا داعش بين حين وآخر هجمات": a pattern, not an event
        head = texts[:4]
        for phrase in self._background:
            n = len(phrase)
            for i in range(len(head)):
                if _ends_with(texts[: i + n], phrase) and i < 3:
                    return True
        return False

    # -- clauses, datelines and incidents recalled ----------------------------------------------

    def _dateline(self, text: str, words: list[_Word]) -> tuple[int, int] | None:
        """The place words of a dateline glued to an agency at the start of the body ("حمص-سانا",
        "بغداد/واع", "الحسكة-هاوار"): a few words, a hyphen, dash or slash with or without spaces
        on one line, then an agency of ``headers.yaml``; None when the body opens otherwise."""
        if not words or text[: words[0].start].strip():
            return None
        texts = [w.text for w in words[: _DATELINE_WORDS + 4]]
        for k in range(1, min(_DATELINE_WORDS, len(texts) - 1) + 1):
            between = text[words[k - 1].end : words[k].start]
            if not between.strip(" \t") or between.strip(" \t").strip(_DATELINE_MARKS):
                continue
            if any(tuple(texts[k : k + len(a)]) == a for a in self._agencies):
                return words[0].start, words[k - 1].end
            return None
        return self._dated_dateline(text, words)

    def _dated_dateline(self, text: str, words: list[_Word]) -> tuple[int, int] | None:
        """The place words of a wire dateline with its date and its agency in brackets opening
        the body ("بغداد 14 ديسمبر 2022 (شينخوا) قتل ..."): a few words, a digit, then within a
        few words an agency of ``headers.yaml`` in brackets."""
        texts = [w.text for w in words[: _DATELINE_WORDS + 8]]
        first_digit = next((k for k, t in enumerate(texts) if t.isdigit()), None)
        if first_digit is None or not 1 <= first_digit <= _DATELINE_WORDS:
            return None
        for k in range(first_digit + 1, len(texts)):
            opened = text[words[k - 1].end : words[k].start]
            if "(" in opened and any(tuple(texts[k : k + len(a)]) == a for a in self._agencies):
                return words[0].start, words[first_digit - 1].end
        return None

    def _outlets(self, text: str, words: list[_Word]) -> list[tuple[int, int]]:
        """Spans of an agency's or outlet's name of ``headers.yaml`` in brackets or quotes ("قال
        المصدر لـ(بغداد اليوم)", "لـ«دير الزور 24»"): a place in it is the outlet's name."""
        spans: list[tuple[int, int]] = []
        texts = [w.text for w in words]
        for i, w in enumerate(words):
            opened = text[max(0, w.start - 3) : w.start].rstrip()
            if not opened or opened[-1] not in _OPENING_MARKS:
                continue
            for agency in self._agencies:
                if tuple(texts[i : i + len(agency)]) == agency:
                    spans.append((w.start, words[i + len(agency) - 1].end))
        return spans

    def _clauses(
        self,
        text: str,
        sentences: list[Sentence],
        words: list[_Word],
        word_starts: list[int],
        hits: dict[str, list[Any]],
    ) -> tuple[list[Sentence], dict[int, tuple[int, bool]]]:
        """The sentences with those that hold two events cut in two at the word that joins them
        (see ``_cuts``); for each clause cut off, the index of the one before it and whether a
        joiner ("فيما") rather than a separator ("وفي هجوم آخر") cut it."""
        out: list[Sentence] = []
        follows: dict[int, tuple[int, bool]] = {}
        seen: set[str] = set()  # the places of the sentences before
        for s in sentences:
            lo = bisect.bisect_left(word_starts, s.start)
            hi = bisect.bisect_left(word_starts, s.end)
            sw = words[lo:hi]
            begin = 0
            start = s.start
            for j, joined in self._cuts(sw, hits, seen):
                if j <= begin:
                    continue
                end = sw[j - 1].end
                out.append(Sentence(len(out), start, end, text[start:end], s.paragraph))
                follows[len(out)] = (len(out) - 1, joined)
                begin, start = j, sw[j].start
            out.append(Sentence(len(out), start, s.end, text[start : s.end], s.paragraph))
            seen.update(
                e.name for h in hits["places"] if s.start <= h.start < s.end for e in h.payloads[:1]
            )
        return out, follows

    def _cuts(
        self, sw: list[_Word], hits: dict[str, list[Any]], seen: set[str] | None = None
    ) -> list[tuple[int, bool]]:
        """Where a sentence holds two events: at a separator ("وفي هجوم آخر") with a trigger on
        both sides; at a joiner ("فيما", "بينما", "في حين") with dead on both sides, those after
        it not the attackers and of another side than those before or in a place of their own.
        The word index of each cut and whether a joiner made it."""
        if len(sw) < 6:
            return []
        texts = [w.text for w in sw]
        lo, hi = sw[0].start, sw[-1].end

        def within(kind: str, a: int, b: int) -> list[Any]:
            return [h for h in hits[kind] if a <= h.start < b and lo <= h.start < hi]

        cuts: list[tuple[int, bool]] = []
        begin = 0
        for j in range(2, len(sw) - 2):
            sep = any(_starts_with(texts[j:], p) for p in self._clause_separators)
            join = not sep and any(_starts_with(texts[j:], p) for p in self._clause_joiners)
            if not (sep or join):
                continue
            before, after = sw[begin:j], sw[j:]
            b0, b1, a0, a1 = before[0].start, before[-1].end, after[0].start, after[-1].end
            if sep:
                if within("triggers", b0, b1) and within("triggers", a0, a1):
                    cuts.append((j, False))
                    begin = j
                continue
            sides = []
            for part, p0, p1 in ((before, b0, b1), (after, a0, a1)):
                outcomes = self._outcomes_of(part, within("outcomes", p0, p1), [])
                tolls = self._toll_parts(part, outcomes)
                marks = self._side_marks(within("victims", p0, p1), within("actors", p0, p1))
                dead = self._dead_sides(part, tolls, marks)
                killed = [n for n, (_, v, _) in enumerate(tolls) if v > 0]
                sides.append(([dead.get(n) for n in killed], killed))
            (before_sides, before_dead), (after_sides, after_dead) = sides

            def named(a: int, b: int) -> set[str]:
                # Places of the clause, not those inside an actor's name ("قوات سوريا ...").
                actors = within("actors", a, b)
                return {
                    e.name
                    for h in within("places", a, b)
                    if not any(x.start <= h.start and h.end <= x.end for x in actors)
                    for e in h.payloads[:1]
                }

            # A place of its own: not named before in the clause or the report ("فيما اقتادوا
            # الطلاب إلى جهة يرجح أنها مدينة منبج" after "قرب مدينة منبج").
            own_place = named(a0, a1) - named(b0, b1) - (seen or set())
            # Its own act in its own place ("بينما أصيب ثلاثة جنود بانفجار آخر في بادية تدمر"),
            # or its own dead, not the attackers, of another side than those before.
            if (own_place and within("triggers", a0, a1) and within("triggers", b0, b1)) or (
                before_dead
                and after_dead
                and set(after_sides) != {"militants"}
                and after_sides[0] != before_sides[0]
            ):
                cuts.append((j, True))
                begin = j
        return cuts

    def _recalled(
        self,
        sw: list[_Word],
        triggers: list[Any],
        dates: list[ArabicDate],
        published: dt.date | None,
    ) -> list[tuple[int, int]]:
        """The spans of a sentence that recall an earlier incident: a trigger just after a word of
        recall ("على غرار هجوم", "منذ هجوم", "في الذكرى الثالثة لمجزرة"), or followed by a
        relative clause that names a time before the news ("الهجوم الذي شنه عناصره على السجن
        مطلع العام الحالي", "في 2019", a date weeks before the report); each from the trigger
        to the next pause."""
        texts = [w.text for w in sw]
        starts = [w.start for w in sw]
        spans: list[tuple[int, int]] = []
        for h in triggers:
            t = bisect.bisect_right(starts, h.start) - 1
            last = bisect.bisect_right(starts, h.end - 1) - 1
            if t < 0 or any(a <= h.start < b for a, b in spans):
                continue
            if t > 0 and texts[t - 1] in self._negations:
                spans.append((h.start, h.end))  # "لا خوف من أي تسلل": denied, no event
                continue
            recalled = any(
                back > 0 and self._recall_at.ends(texts[max(0, back - 4) : back])
                for back in (t, t - 1)
            )
            stop = last + 1
            # The relative pronoun after the trigger's noun phrase ("مجزرة سجن بادوش التي").
            for r in range(last + 1, min(last + 1 + _NOUN_PHRASE, len(texts))):
                if recalled or sw[r].pause:
                    break
                if texts[r] not in self._relatives:
                    continue
                end = r + 1
                while end < len(sw) and end - r < _RELATIVE_REACH and not sw[end].pause:
                    end += 1
                past = self._names_past(texts, r, end, dates, published)
                if past:
                    recalled, stop = True, past
                break
            if not recalled:
                continue
            if stop == last + 1:
                # A word of recall before it: to the next pause ("على غرار هجوم ... ،").
                while stop < len(sw) and stop - t < _RELATIVE_REACH and not sw[stop].pause:
                    stop += 1
            spans.append((sw[t].start, sw[stop - 1].end))
        return spans

    def _names_past(
        self,
        texts: list[str],
        lo: int,
        hi: int,
        dates: list[ArabicDate],
        published: dt.date | None,
    ) -> int:
        """Where a time before the news named among words ``lo:hi`` ends (0 when none is): a
        phrase of ``recall_times``, an earlier year, or a date weeks before the report. A relative
        clause ends with its time ("التي ارتكبها التنظيم عام 2014 في ..."): what follows is the
        news again."""
        ends = [
            i + len(p)
            for i in range(lo, hi)
            for p in self._recall_times
            if tuple(texts[i : i + len(p)]) == p and i + len(p) <= hi
        ]
        if published is not None:
            ends += [
                i + 1
                for i in range(lo, hi)
                if texts[i].isdigit()
                and len(texts[i]) == 4
                and 1990 <= int(texts[i]) < published.year
            ]
            ends += [
                min(d.word + _DATE_WORDS, hi)
                for d in dates
                if lo <= d.word < hi and (published - d.date).days >= _RECALL_DAYS
            ]
        return max(ends, default=0)

    def _outcomes_of(
        self, sw: list[_Word], hits: list[Any], recalled: list[tuple[int, int]]
    ) -> list[tuple[str, int, int]]:
        """The result words of some words: kind, word index, body offset (none recalled)."""
        starts = [w.start for w in sw]
        out = []
        for h in hits:
            if any(a <= h.start < b for a, b in recalled):
                continue
            k = bisect.bisect_right(starts, h.start) - 1
            out.append((h.payloads[0], max(k, 0), h.start))
        return out

    def _side_marks(self, victims: list[Any], actors: list[Any]) -> list[tuple[int, str]]:
        """Where a side is named among some words: victims' words by their group, actors by their
        kind (a group that does not govern ground, unnamed gunmen and "the attackers" are the
        attackers: ``militants``)."""
        marks = [(h.start, _VICTIM_SIDES.get(h.payloads[0], "")) for h in victims]
        for h in actors:
            actor = h.actor if isinstance(h, Hit) else h.payloads[0]
            marks.append((h.start, self._actor_side(actor)))
        return sorted(marks)

    def _actor_side(self, actor: ActorEntry | None) -> str:
        if actor is None or actor.name.startswith("Unidentified"):
            return "militants"
        root = self.theatre.root_of(actor)
        if root.kind == "rebel" and not self._governs(actor):
            return "militants"
        return "civilians" if root.kind == "civilians" else "forces"

    @staticmethod
    def _dead_sides(
        sw: list[_Word], parts: list[tuple[int, int, int]], marks: list[tuple[int, str]]
    ) -> dict[int, str]:
        """For each part of a toll (see ``_toll_parts``, by its index), the side of the dead: the
        first side named from its count on, within a few words and before the next figure
        ("وقتل أحد المهاجمين": the attackers; "مقتل خمسة جنود": the forces)."""
        sides: dict[int, str] = {}
        last = len(sw) - 1
        for n, (k, _value, at) in enumerate(parts):
            lo = sw[at].start if at > k else sw[min(k, last)].end
            hi = sw[min(at + _VICTIM_WINDOW, last)].end
            if at < k:
                lo, hi = sw[at].start, sw[k].start  # "ثلاثة من عناصر التنظيم قتلوا"
            if n + 1 < len(parts) and parts[n + 1][0] == k and parts[n + 1][2] > at:
                hi = min(hi, sw[parts[n + 1][2]].start)
            side = next((m for start, m in marks if lo <= start < hi and m), None)
            if side is not None:
                sides[n] = side
        return sides

    # -- tolls ----------------------------------------------------------------------------------

    def _toll_parts(
        self, sw: list[_Word], outcomes: list[tuple[str, int, int]]
    ) -> list[tuple[int, int, int]]:
        """The dead each word of death reports, figure by figure: the word of death's index, the
        count, and the index of the word the count starts at ("مقتل 23 من عناصرها و17 من
        المهاجمين": two parts, each followed by whose dead they are)."""
        texts = [w.text for w in sw]
        # A figure next to these words is a running total ("منذ بداية العام"), not this toll.
        running = [
            i
            for i, word in enumerate(texts)
            for stem, _ in prefix_variants(word)
            for p in self._running_by_first.get(stem, ())
            if i + len(p) <= len(texts) and _ends_with(texts[: i + len(p)], p)
        ]
        used: set[int] = set()
        parts: list[tuple[int, int, int]] = []
        wounded = {k for kind, k, _ in outcomes if kind == "wounded"}
        for kind, k, _ in outcomes:
            if kind != "killed":
                continue
            value = 0
            found = False
            word = texts[k]
            mine: list[tuple[int, int, int]] = []
            if any(word.endswith(x) and len(word) > 3 for x in ("له",)) and not word.endswith("هم"):
                value, found = 1, True  # "مقتله": one man
                mine.append((k, 1, k))
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
                    if number.end < len(texts) and any(
                        st in self._wounded_nouns for st, _ in prefix_variants(texts[number.end])
                    ):
                        break  # "ستة قتلى وأكثر من 20 جريحا": the count of the wounded
                    value += number.value
                    mine.append((k, number.value, number.start))
                    used.update(range(number.start, number.end))
                    found = True
                    j, gap = number.end, 0
                    continue
                if found and texts[j] == "مع":
                    gap = 0
                    j += 1
                    continue
                if (
                    gap <= 1
                    and self._is_singular(texts[j])
                    and (not found or (texts[j].startswith("و") and not sw[j].pause))
                ):
                    # "مقتل ضابط", and one more joined to a figure ("ضابط ومنتسب", "ضابط
                    # وجنديين": the dual is read as a number above).
                    value += 1
                    mine.append((k, 1, j))
                    found = True
                    j, gap = j + 1, 0
                    continue
                if self._is_time_word(texts[j]):
                    j += 1  # "قتلوا، مساء أمس الجمعة، مختار القرية": the time is no gap
                    continue
                if found and gap == 0 and not sw[j].pause and j + 1 < len(texts):
                    gap += 1  # a word of the noun phrase ("ضابط كبير")
                    j += 1
                    continue
                gap += 1
                j += 1
            if found and any(k < r <= j + _RUNNING_WINDOW for r in running):
                value, mine = 0, []  # "ارتفع عدد القتلى منذ بداية العام إلى 40"
            if not found and any(s in self._dead for s, _ in prefix_variants(word)):
                # "إلى 250 قتيلا", "سقوط خمسة قتلى": the count stands before the noun of the dead.
                for start in (k - 1, k - 2, k - 3):
                    number = self.counts.read(texts, start) if start >= 0 else None
                    if (
                        number is not None
                        and number.end == k
                        and not any(i in used for i in range(number.start, number.end))
                        and not (len(texts[start]) == 4 and texts[start].isdigit())
                    ):
                        if not any(start - _RUNNING_WINDOW <= r <= k + 1 for r in running):
                            value = number.value
                        used.update(range(number.start, number.end))
                        found = True
                        break
            if not found and k >= 2 and not sw[k].pause and not sw[k - 1].pause:
                # "بأن 35 شخصا قتلوا": the count and the people before the verb of death.
                number = self.counts.read(texts, k - 2)
                if (
                    number is not None
                    and number.end == k - 1
                    and any(st in self._people for st, _ in prefix_variants(texts[k - 1]))
                    and not any(i in used for i in range(number.start, number.end))
                    and not (len(texts[k - 2]) == 4 and texts[k - 2].isdigit())
                ):
                    value, found = number.value, True
                    used.update(range(number.start, number.end))
            if not found and k >= 3:
                # "بأن ثلاثة من عناصر التنظيم قتلوا": the count, "of" its group, the verb.
                for start in range(k - 3, max(-1, k - 7), -1):
                    number = self.counts.read(texts, start)
                    if (
                        number is None
                        or number.end >= k
                        or texts[number.end] != "من"
                        or any(sw[x].pause for x in range(number.end, k + 1))
                        or any(i in used for i in range(number.start, number.end))
                        or (len(texts[start]) == 4 and texts[start].isdigit())
                    ):
                        continue
                    if all(
                        self._is_member_word(x)
                        or any(st in self._people for st, _ in prefix_variants(x))
                        for x in texts[number.end + 1 : k]
                    ):
                        value, found = number.value, True
                        mine.append((k, number.value, number.start))
                        used.update(range(number.start, number.end))
                    break
            if (
                not found
                and word.endswith("ه")
                and len(word) > 3
                and not any(st in self._dead for st, _ in prefix_variants(word))
            ):
                # "وقتلوه", "لقي حتفه", "لقي مصرعه": a verb or a noun of death with "him".
                value, found = 1, True
            if (
                not found
                and k >= 1
                and texts[k - 1] in self._verb_particles
                and not word.startswith("ال")
                and not word.endswith(_PLURAL_ENDINGS)
            ):
                # "قبل أن يقتل برصاص الجنود": a verb of death in the singular, its subject one man.
                value, found = 1, True
            if not found and word.endswith(_THEIR) and len(word) > 4:
                # "اختطفوا ثلاثة رعاة ... ثم عثر على جثثهم": their bodies are the three.
                earlier = self._last_count(texts, k)
                if earlier is not None and not any(
                    i in used for i in range(earlier.start, earlier.end)
                ):
                    value = earlier.value
                    used.update(range(earlier.start, earlier.end))
            if value and not mine:
                mine.append((k, value, k))
            parts.extend(mine)
        return parts

    def _last_count(self, texts: list[str], before: int) -> Number | None:
        """The last number of a sentence before word ``before`` (not a year)."""
        for i in range(before - 1, -1, -1):
            number = self.counts.read(texts, i)
            if number is not None and number.end <= before:
                if len(texts[i]) == 4 and texts[i].isdigit():
                    return None
                return number
        return None

    def _is_singular(self, word: str) -> bool:
        stems = {s for s, _ in prefix_variants(word)}
        stems |= {s[2:] for s in stems if s.startswith("ال") and len(s) > 4}
        # The feminine of a person named singly ("طفلة", "مواطنة" of "طفل", "مواطن").
        stems |= {s[:-1] for s in stems if s.endswith("ه") and len(s) > 3}
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
            if p.pluperfect:
                # What happened before the news: more of the event reported ("وكان انتحاري قد
                # فجر ..." after a toll update), unless it names another day, place or incident.
                if (
                    current is None
                    or p.separate
                    or p.other_incident
                    or _other_day(current.date, date)
                    or self._other_place(current, s)
                ):
                    continue
                current.sentences.append(s)
                current.triggers.extend(p.triggers)
                current.tolls.append((p.toll, p.militant))
                current.sources.append(p.other_source)
                current.date = _sooner(current.date, date)
                continue
            new = current is None or p.separate or p.joined
            if current is not None and not new:
                if _other_day(current.date, date):
                    new = bool(p.triggers)
                elif self._other_place(current, s):
                    # Another governorate: its own dead, or "a similar" act there ("وفي
                    # السليمانية، نظم ... وقفة احتجاجية مماثلة"), is another event.
                    new = bool(p.triggers) and (p.toll > 0 or p.similar)
            if new:
                if not p.triggers:
                    continue
                inherit = None
                if p.same_place and current is not None:
                    # "في المنطقة ذاتها": where the event before happened.
                    inherit = next((x for x in reversed(current.sentences) if x.places), None)
                if p.follows is not None and current is not None:
                    # A clause cut off its sentence happened when the clause before it did and,
                    # joined by "فيما", where it did unless it names its own place.
                    date = date or current.date
                    inherit = sentences[p.follows] if p.joined else None
                drafts.append(
                    _Draft(
                        [s],
                        date,
                        list(p.triggers),
                        [(p.toll, p.militant)],
                        [p.other_source],
                        inherit=inherit,
                    )
                )
                continue
            assert current is not None
            current.sentences.append(s)
            current.triggers.extend(p.triggers)
            current.tolls.append((p.toll, p.militant))
            current.sources.append(p.other_source)
            current.date = _sooner(current.date, date)
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

    def _subject_of(self, texts: list[str], verb: int, i: int, h: Hit, words: list[_Word]) -> bool:
        """Whether the actor at word ``i`` is the subject of the verb of death at ``verb``: only
        members' words between them, and a count of the dead within a few words after it (words
        of time aside: "قتلت خلايا داعش، مساء أمس، راعيين")."""
        between = texts[verb + 1 : i]
        if not all(self._is_member_word(b) and b != "من" for b in between):
            return False
        other = 0
        for j in range(bisect.bisect_left([w.start for w in words], h.end), len(texts)):
            if self.counts.read(texts, j) is not None:
                return True
            if not self._is_time_word(texts[j]):
                other += 1
                if other == 2:
                    break
        return False

    def _is_member_word(self, word: str) -> bool:
        return any(stem in self._member_words for stem, _ in prefix_variants(word))

    def _role(self, s: Sentence, h: Hit, parsed: _Parsed) -> str | None:
        """What an actor is in its sentence: agent, target, member (of a group named as its men:
        "عناصر X"), support, speaker, announcer, or None."""
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
            if h.end <= sp.start and not [w for w in words if h.end <= w.start < sp.start]:
                # "وكانت وزارة الداخلية في حكومة النظام السوري ذكرت": the subject before its
                # speech verb speaks.
                return "speaker"
            gap = [w for w in words if sp.end <= w.start < h.start]
            if sp.end <= h.start and len(gap) <= 1:
                stance = _stance(sp)
                if stance == "claim of responsibility" and self._denied(words, sp):
                    return "speaker"  # "ولم يتبن التنظيم الهجوم": no claim
                if stance == "claim of responsibility":
                    return "agent"  # "تبنى تنظيم داعش الهجوم": the claimant is the attacker
                announces = normalise_phrase(sp.text).startswith(_ANNOUNCE)
                return "announcer" if announces else "speaker"
        texts = [w.text for w in words]
        for kind, k, offset in parsed.outcomes:
            # "قتل أربعة عناصر من قوات سوريا الديمقراطية": the dead are of this side; but in
            # "قتلت خلايا داعش راعيين" the verb's object, counted after the group, are the dead
            # and the group, named right after the verb, its subject.
            if (
                kind == "killed"
                and offset < h.start
                and 0 <= i - k <= _VICTIM_WINDOW
                and not any(offset < t < h.start for _, t in parsed.triggers)
                and not self._subject_of(texts, k, i, h, words)
            ):
                return "target"
        starts = [w.start for w in words]
        for _trigger, offset in parsed.triggers:
            # "هاجم مسلحو داعش", "سيطر عناصر التنظيم": the subject after the verb, its members
            # named first, acts.
            k = bisect.bisect_right(starts, offset) - 1
            between = [w.text for w in words[k + 1 : i]] if 0 <= k < i else []
            if between and len(between) <= 3 and all(self._is_member_word(b) for b in between):
                return "agent"
        for n in range(1, len(before) + 1):
            if self._support_at.ends(before[-n:]):
                return "support"  # "عملية مشتركة مع جهاز مكافحة الإرهاب": a partner, not a target
        for n in range(1, len(before) + 1):
            window = before[-n:]
            if self._target_at.ends(window):
                # "قرب حاجز للجيش": where it happened, not whom it hit.
                ahead = before[: len(before) - n]
                if any(_ends_with(ahead, lm) for lm in self._landmarks):
                    return "landmark"
                return "target"
            if self._agent_at.ends(window):
                return "agent"
            if self._members_at.ends(window):
                return "member"
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

    def _claimant(self, ctx: DocumentContext, parsed: dict[int, _Parsed]) -> ActorEntry | None:
        """The armed group the report says claimed its attacks ("وتبنى تنظيم الدولة الإسلامية
        التفجيرات في حمص والسيدة زينب"), when one does and no claim is denied ("ولم يتبن")."""
        for s in ctx.sentences:
            p = parsed[s.index]
            for sp in s.speech:
                if _stance(sp) != "claim of responsibility":
                    continue
                if any(a <= sp.start < b for a, b in p.recalled) or self._denied(p.words, sp):
                    continue
                for h in s.actors:
                    gap = [w for w in p.words if sp.end <= w.start < h.start]
                    actor = ctx.resolve(h)
                    if (
                        h.start >= sp.end
                        and len(gap) <= 1
                        and actor is not None
                        and self.theatre.root_of(actor).kind == "rebel"
                        and not actor.name.startswith("Unidentified")
                    ):
                        return actor
        return None

    def _event(
        self,
        ctx: DocumentContext,
        d: _Draft,
        parsed: dict[int, _Parsed],
        title_admin1: set[str],
        claimant: ActorEntry | None = None,
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
                    _stance(sp) == "claim of responsibility"
                    and sp.end <= h.start
                    and not self._denied(p.words, sp)
                    for sp in s.speech
                ):
                    speakers_claim.append(actor)
                bucket = roles.setdefault(role, [])
                if all(a.id != actor.id for a in bucket):
                    bucket.append(actor)
        named_attacker = any(
            a.kind == "rebel" and not a.name.startswith("Unidentified")
            for role in ("agent", "member")
            for a in roles.get(role, [])
        ) or bool(speakers_claim)
        if named_attacker:
            # "مسلحون" beside a group named as the attacker are its men, not another side.
            for role in ("agent", "member", "unknown", "announcer"):
                if role in roles:
                    roles[role] = [a for a in roles[role] if not a.name.startswith("Unidentified")]
        victims = {g for s in d.sentences for g in parsed[s.index].victims}
        # The first victims the report names are whom the event hit ("قتل 53 شخصا، بينهم ...");
        # a position hit ("مقر") says the other side was armed, not whose men died there.
        named = [v for s in d.sentences for v in parsed[s.index].struck if v != "positions"]
        named += [v for s in d.sentences for v in parsed[s.index].victims if v != "positions"]
        primary = named[0] if named else None
        clash = any(parsed[s.index].clash for s in d.sentences)
        # The lead sentence says what happened; later ones add detail ("استعادت السيطرة على أجزاء
        # من السجن" after an assault is no capture).
        lead = [t for t in d.triggers if d.sentences[0].start <= t[1] < d.sentences[0].end]
        trig, _ = max(lead or d.triggers, key=lambda t: (t[0].weight, -t[1]))
        finer = [t for t in d.triggers if t[0].id in trig.refined_by]
        if finer:
            # "التفجير" then "انتحاري يقود شاحنة": the later sentence says how it was done.
            trig, _ = max(finer, key=lambda t: (t[0].weight, -t[1]))
        sub = trig.sub_event_type
        agents = list(roles.get("agent", []))
        targets = list(roles.get("target", []))
        members = list(roles.get("member", []))
        if sub in _STATE_ACTS:
            targets += [a for a in members if all(a.id != t.id for t in targets)]
        else:
            agents += [a for a in members if all(a.id != t.id for t in agents)]
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
        # A raid by a state's or a foreign force (or a group that governs ground) names the event
        # over what the raided did ("داهمت القوات منزلا ... ففجر نفسه"): a battle of the two.
        killed = max((t for t, _ in d.tolls), default=0) > 0
        raid = next(
            (
                t
                for t, _ in lead or d.triggers
                if t.outranks
                and trig.id in t.outranks | {t.id}
                # A raid that ends in arrests is the arrests, unless someone was killed in it.
                and (killed or trig.sub_event_type not in _STATE_ACTS)
            ),
            None,
        )
        force = (
            first(agents, state_kinds)
            or first(others + roles.get("announcer", []) + speakers, state_kinds)
            or first([a for a in agents if self._governs(a)], rebel)
        )
        raided = (
            first(targets + others + agents, rebel, force)
            or self._insurgent(ctx, d, parsed, country)
            or self._generic("unidentified", country)  # "داهمت القوات وكرا": no group named
            if raid is not None and force is not None
            else None
        )
        raiding = raid is not None and raided is not None and raided is not force
        if raiding:
            assert raid is not None
            sub = raid.sub_event_type
            actor1, actor2 = force, raided
        elif sub in _STATE_ACTS:
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
                    # A group that governs ground acts as a state does ("نفذت قسد ... اعتقلت").
                    or first([a for a in agents if all(a.id != t.id for t in targets)], rebel)
                )
            insurgent = self._insurgent(ctx, d, parsed, country)
            actor2 = (
                first(targets + others + agents, rebel, actor1)
                # A strike on a state's or a militia's position ("قصف مقرا للحشد").
                or (
                    first(targets + others, state_kinds, actor1)
                    if sub not in ("Arrests", "Government regains territory")
                    else None
                )
                or (insurgent if insurgent is not actor1 else None)
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
                actor1 = self._insurgent(ctx, d, parsed, country)
            if (
                actor1 is None
                and d.inherit is not None
                and all(t.weight <= 1 for t, _ in d.triggers)
            ):
                # "... بينما قتل مدني كان قرب الموقع": a death told with no act of its own, cut off
                # the clause before it, is by the attacker of that clause.
                actor1 = self._attacker_of(ctx, d.inherit, parsed[d.inherit.index])
            civilians_hit = primary == "civilians"
            forces_hit = bool(victims & {"state", "police", "positions"})
            # Who speaks or announces is no party ("وأوضحت قيادة العمليات المشتركة أن ..."),
            # unless the forces were hit and nobody else is named: then the force that tells of
            # the attack on its men is the attacked ("أعلن الجيش صد هجوم").
            armed_target = first(
                [a for a in targets + roles.get("unknown", []) + agents],
                state_kinds | rebel,
                actor1,
            ) or (
                first(speakers + roles.get("announcer", []), state_kinds, actor1)
                if forces_hit and not civilians_hit
                else None
            )
            if trig.by_target:
                wanted = (
                    "armed"
                    if (armed_target is not None or forces_hit) and not civilians_hit
                    else "civilians"
                )
                sub = dict(trig.by_target).get(wanted, sub)
            if (
                clash
                and (armed_target is not None or forces_hit)
                and not civilians_hit
                and sub not in self.words.clash_keeps
            ):
                sub = "Armed clash"
            if max((t for t, _ in d.tolls), default=0) and sub in self.theatre.when_killed:
                sub = self.theatre.when_killed[sub]  # the gravest act names the event (ACLED)
            if event_type_of(sub) == "Protests":
                # The protesters are the actor; what they protest is no party ("احتجاجا على
                # هجمات داعش").
                actor1, actor2 = self._generic("protesters", country), None
            elif event_type_of(sub) == "Violence against civilians":
                actor2 = self._generic("civilians", country)
            elif armed_target is not None:
                actor2 = armed_target
            elif primary == "police" or ("police" in victims and "state" not in victims):
                actor2 = self._generic("police", country)
            elif civilians_hit:
                # The first victims named decide over soldiers of a background clause ("وبعد
                # أيام من إعلان واشنطن خفض عدد قواتها إلى 2500 عسكري").
                actor2 = self._generic("civilians", country)
            elif forces_hit:
                actor2 = self._generic("state", country)
            elif "civilians" in victims:
                actor2 = self._generic("civilians", country)
            else:
                actor2 = None
            if claimant is not None and (actor1 is None or actor1.name.startswith("Unidentified")):
                # The group that claimed the report's attacks is the attacker its sentences
                # leave unnamed (ACLED codes the claimant).
                actor1 = claimant
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
        fatalities = _fatalities(d.tolls, d.sources)
        if raiding and not any(m for _, m in d.tolls):
            # The wanted man who blew himself up, when the toll did not count him.
            fatalities += max((parsed[s.index].bombers[0] for s in d.sentences), default=0)
        if sub == "Suicide bomb" and not any(m for _, m in d.tolls):
            # The bombers, unless the toll already counted them ("ولقي حتفه").
            counted = max((parsed[s.index].bombers[0] for s in d.sentences), default=0)
            vague = max((parsed[s.index].bombers[1] for s in d.sentences), default=0)
            fatalities += counted or vague
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
            notes=_notes(date, precision, name1, sub, name2, place, fatalities, s0.text),
            evidence=evidence,
        )

    def _attacker_of(self, ctx: DocumentContext, s: Sentence, p: _Parsed) -> ActorEntry | None:
        """The armed group a sentence names as the one acting (an agent or its members)."""
        for h in s.actors:
            actor = ctx.resolve(h)
            if (
                actor is not None
                and self.theatre.root_of(actor).kind == "rebel"
                and self._role(s, h, p) in ("agent", "member")
            ):
                return actor
        return None

    def _governs(self, actor: ActorEntry) -> bool:
        """A group that governs ground (ACLED's de facto authority: the SDF) raids as a state."""
        return self.theatre.root_of(actor).id in self._governing

    def _insurgent(
        self, ctx: DocumentContext, d: _Draft, parsed: dict[int, _Parsed], country: str | None
    ) -> ActorEntry | None:
        """The group "the organisation" or "the terrorists" stand for: the one the report names
        most, else where it names none, the country's default (``default_insurgent``)."""
        named = ctx.salient_nonstate()
        if named is not None:
            return named
        militants = any(h.anaphor for s in d.sentences for h in s.actors) or any(
            "militants" in parsed[s.index].victims or any(parsed[s.index].bombers)
            for s in d.sentences
        )
        default = self.words.default_insurgent.get(country or "")
        if militants and default is not None:
            return self.theatre.actor_by_id.get(default)
        return None

    def _default_group(self, ctx: DocumentContext) -> ActorEntry | None:
        """The insurgent group of the report, else the country's default one."""
        named = ctx.salient_nonstate()
        if named is not None:
            return named
        default = self.words.default_insurgent.get(ctx.main_country() or "")
        return self.theatre.actor_by_id.get(default) if default else None

    def _generic(self, kind: str, country: str | None) -> ActorEntry | None:
        """ACLED's generic actors, as the English builder picks them."""
        for a in self.theatre.actors:
            if a.parent is not None:
                continue
            if kind in ("civilians", "protesters") and a.kind == kind and "{country}" in a.name:
                return a
            if kind == "unidentified" and a.name.startswith("Unidentified Armed Group"):
                return a
            if (
                kind in _GENERIC_FORCES
                and a.kind == "state"
                and a.country == country
                and any(n.startswith(_GENERIC_FORCES[kind]) for _, _, n in a.names_by_period)
            ):
                return a
        return None

    def _rank(self, entry: GazetteerEntry) -> tuple[int, int]:
        return (-_SPECIFICITY.get(entry.kind, 0), -entry.population)

    def _place(
        self, ctx: DocumentContext, d: _Draft, parsed: dict[int, _Parsed], title_admin1: set[str]
    ) -> Place | None:
        best: tuple[tuple[float, int], GazetteerEntry, Hit, bool] | None = None
        sources = [
            (
                s,
                [
                    h
                    for h in s.places
                    if not any(a <= h.start < b for a, b in parsed[s.index].recalled)
                ],
            )
            for s in d.sentences
        ]
        if not any(hits for _, hits in sources):
            if d.inherit is not None and d.inherit.places:
                sources = [(d.inherit, d.inherit.places)]  # the clause it was cut from
            elif not ctx.admin1_codes:
                # Only the dateline names a place ("حمص-سانا"): it is the best there is.
                sources = [(s, parsed[s.index].dateline_places) for s in d.sentences]
        admin1_named = {
            e.admin1_code
            for _, hits in sources
            for h in hits
            for e in h.places
            if e.kind == "admin1" and e.admin1_code
        }
        for order, (s, hits) in enumerate(sources):
            words = parsed[s.index].words
            for h in hits:
                i = bisect.bisect_right([w.start for w in words], h.start) - 1
                before = [w.text for w in words[max(0, i - 2) : max(i, 0)]]
                bare = self._without_place_nouns(
                    [w.text for w in words[max(0, i - 4) : max(i, 0)]]
                )[-2:]
                away = any(
                    _ends_with(seen[-n:], p)
                    for seen in (before, bare)
                    for p in self._away
                    for n in (1, 2)
                    if len(p) <= n
                )
                entry = self._choose(h.places, admin1_named | title_admin1, ctx)
                if (
                    not away
                    and entry.kind in ("place", "admin2")
                    and self._directed(before)
                    and any(
                        x.start < h.start
                        and (
                            x.places[0].kind in ("place", "admin2")
                            or (
                                x.places[0].kind == "admin1"
                                and x.places[0].admin1_code != entry.admin1_code
                            )
                        )
                        for x in hits
                    )
                ):
                    # "في قضاء الطارمية شمال العاصمة بغداد", "بمحافظة صلاح الدين شمالي بغداد":
                    # the place (or another governorate) named first is where; the one after a
                    # direction is a landmark. Alone ("جنوب غرب مدينة السخنة") or after its own
                    # governorate ("محافظة صلاح الدين ... جنوب شرقي قضاء بلد") it is where ACLED
                    # codes the event.
                    away = True
                if not away and self._namesake(words, h, hits, entry, admin1_named, ctx):
                    away = True
                around = bool(before) and any(_ends_with(before[-1:], p) for p in self._countryside)
                if around and any(e.kind == "admin1" for e in h.places):
                    # "بريف الحسكة": the countryside of a governorate's seat is the governorate.
                    region = self.gazetteer.admin1(entry.admin1_code or "")
                    if region is not None:
                        entry, around = region, False
                # "بادية تدمر", "ريف الميادين": near a town that is no seat (precision 2).
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
                    best = (key, entry, h, around)
        if best is None:
            for code in ctx.admin1_codes[:1] or sorted(title_admin1)[:1]:
                governorate = self.gazetteer.admin1(code)
                if governorate is not None:
                    return self.gazetteer.place(governorate, 3)
            return None
        (score, _), entry, _h, around = best
        if score < 0 and ctx.admin1_codes:
            region = self.gazetteer.admin1(ctx.admin1_codes[0])
            if region is not None:
                return self.gazetteer.place(region, 3)
        if entry.kind in ("admin1", "region", "country"):
            return self.gazetteer.place(entry, 3)
        if entry.kind == "admin2" or around:
            return self.gazetteer.place(entry, 2)
        return self.gazetteer.place(entry, 1)

    def _namesake(
        self,
        words: list[_Word],
        h: Hit,
        hits: list[Hit],
        entry: GazetteerEntry,
        admin1: set[str],
        ctx: DocumentContext,
    ) -> bool:
        """Whether the place is a namesake in another governorate than the place that contains
        it, named right after it ("في حي الزهراء بمدينة حمص": not the Zahraa of Aleppo)."""
        starts = [w.start for w in words]
        i = bisect.bisect_right(starts, h.end - 1)
        for x in hits:
            if x.start < h.end:
                continue
            j = bisect.bisect_right(starts, x.start) - 1
            between = [w.text for w in words[i:j]]
            inside = (
                1 <= len(between) <= 2
                and not between[0].startswith("و")
                and all(
                    b == "في" or any(st in self._place_nouns for st, _ in prefix_variants(b))
                    for b in between
                )
            ) or (not between and words[j].text.startswith("ب"))
            if not inside:
                return False
            outer = self._choose(x.places, admin1, ctx)
            return bool(
                outer.admin1_code and entry.admin1_code and outer.admin1_code != entry.admin1_code
            )
        return False

    def _denied(self, words: list[_Word], sp: Hit) -> bool:
        """Whether a negation stands right before a speech verb ("ولم يتبن التنظيم الهجوم")."""
        k = bisect.bisect_left([w.start for w in words], sp.start)
        return k > 0 and any(st in self._negations for st, _ in prefix_variants(words[k - 1].text))

    def _landmark_at(self, texts: list[str], i: int) -> bool:
        """Whether the word at ``i`` follows a word of nearness ("قرب حاجز"): a landmark."""
        return i > 0 and any(_ends_with(texts[:i], lm) for lm in self._landmarks)

    def _without_place_nouns(self, before: list[str]) -> list[str]:
        """The words before a place without the place nouns right before it ("مقاطعة", "مدينة")."""
        while before and any(st in self._place_nouns for st, _ in prefix_variants(before[-1])):
            before = before[:-1]
        return before

    def _directed(self, before: list[str]) -> bool:
        """Whether a direction comes before a place ("شمال بغداد", "شمالي العاصمة بغداد"): the
        place is a point of reference (a place noun between them aside)."""
        before = self._without_place_nouns(before)
        return any(_ends_with(before, p) for p in self._directions)

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
        last_speaker: tuple[int, str] | None = None  # sentence index, speaker
        for s in ctx.sentences:
            for n, sp in enumerate(s.speech):
                stance = _stance(sp)
                words = parsed[s.index].words
                if stance == "claim of responsibility" and self._denied(words, sp):
                    continue  # "ولم يتبن التنظيم الهجوم": no one claimed it
                # What was said runs to the next speech verb of the sentence ("نفى X وجود تهديد،
                # مؤكدا أن ...": two statements).
                limit = s.speech[n + 1].start if n + 1 < len(s.speech) else s.end
                after = [w for w in words if sp.end <= w.start < limit]
                opener = next(
                    (k for k, w in enumerate(after[:12]) if w.text in self._openers), None
                )
                span = after[:opener] if opener is not None else after[:8]
                if opener is not None:
                    while opener + 1 < len(after) and after[opener + 1].text in self._openers:
                        opener += 1  # "مشيرا إلى أن"
                    content_start = after[opener].end
                else:
                    content_start = self._speaker_end(ctx, s, span) or sp.end
                content = s.text[content_start - s.start : limit - s.start].strip(" ،,:")
                if stance == "neutral":
                    votes = Counter(c for h in self.cues.find(content) for c in h.payloads)
                    if not votes:
                        continue
                    stance = votes.most_common(1)[0][0]
                speaker = self._speaker(ctx, s, span)
                if speaker is None:
                    # "مشيرا إلى أن", "وأضاف أن": the speaker of the statement before.
                    if last_speaker is None or s.index - last_speaker[0] > 1:
                        continue
                    speaker = last_speaker[1]
                last_speaker = (s.index, speaker)
                # What the statement is about: a group named in what was said, else elsewhere in
                # the sentence but not as the speaker ("حذر المتحدث باسم قسد من عودة داعش").
                spoken = [h for h in s.actors if h.start >= content_start] + [
                    h for h in s.actors if h.start < sp.start
                ]
                group = next(
                    (a for h in spoken if (a := ctx.resolve(h)) is not None and a.kind == "rebel"),
                    None,
                )
                if group is None and any(h.anaphor for h in spoken):
                    group = self._default_group(ctx)  # "التنظيم" in an Iraqi report
                about = group.acled_name(ctx.main_country(), ctx.year()) if group else None
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

    def _speaker_end(self, ctx: DocumentContext, s: Sentence, span: list[_Word]) -> int | None:
        """Where the speaker's words end (what was said starts there) when no opener shows it."""
        words = self._speaker_words(ctx, s, span)
        return words[-1].end if words else None

    def _speaker(self, ctx: DocumentContext, s: Sentence, span: list[_Word]) -> str | None:
        """Who speaks, from the words between a speech verb and what was said ("قال المتحدث
        باسم قسد فرهاد شامي إن"): a person of the actor file, else an actor named there, else
        the words from a title ("مسؤول محلي", "قائد عمليات ديالى"), else the words; each up to
        a pause or a word of time ("حذر مسؤول أمني، الثلاثاء، من")."""
        words = self._speaker_words(ctx, s, span)
        if not words:
            return None
        lo, hi = words[0].start, words[-1].end
        named = [a for h in s.actors if lo <= h.start < hi and (a := ctx.resolve(h)) is not None]
        person = next((a for a in named if a.kind == "official"), None)
        if person is not None:
            return person.name
        if named:
            return named[0].name
        return s.text[words[0].start - s.start : words[-1].end - s.start]

    def _speaker_words(self, ctx: DocumentContext, s: Sentence, span: list[_Word]) -> list[_Word]:
        """The words that name a speaker after its verb (see ``_speaker``)."""
        while span and self._is_time_word(span[0].text):
            span = span[1:]  # "أعلنت، اليوم، خلية الإعلام الأمني"
        words: list[_Word] = []
        for k, w in enumerate(span):
            if (k and w.pause) or self._is_time_word(w.text):
                break
            words.append(w)
        if not words:
            return []
        texts = [w.text for w in words]
        title = max((len(t) for t in self._titles if _ends_with(texts[: len(t)], t)), default=0)
        if title:
            # A title and whom or where it serves, when an actor or a place closes it within a
            # few words ("المتحدث باسم قسد", "مسؤول أمني في محافظة ديالى", "قائد عمليات ديالى");
            # a title that names its body next takes two words ("الناطق باسم وزارة الداخلية",
            # "شيخ عشيرة العبيد"); else the title alone ("نفى مصدر أمني وجود ...": what follows
            # is what he denied).
            named = list(s.places) + list(s.actors)
            ends = [
                k
                for k, w in enumerate(words[: title + _TITLE_REACH])
                if k >= title and any(w.start < h.end and h.start < w.end for h in named)
            ]
            if ends:
                words = words[: ends[-1] + 1]
            elif texts[title - 1] in self._title_of:
                words = words[: title + 2]
            else:
                words = words[:title]
            # The person holding the title, named next ("المتحدث باسم قسد فرهاد شامي").
            person = next(
                (
                    h
                    for h in s.actors
                    if h.actor is not None
                    and h.actor.kind == "official"
                    and 0 <= h.start - words[-1].end <= 2
                ),
                None,
            )
            if person is not None:
                words = words + [w for w in span if words[-1].end < w.start < person.end]
            return words
        actors = [h for h in s.actors if words[0].start <= h.start < words[-1].end]
        if actors:
            # The first actor named is the speaker ("نفى الجيش العراقي وجود تهديد لداعش").
            first_end = min(actors, key=lambda h: h.start).end
            return [w for w in words if w.start < first_end]
        return words[:_MAX_SPEAKER_WORDS]  # a bare noun phrase ("ناشطون محليون")

    def _is_time_word(self, word: str) -> bool:
        stems = {stem for stem, _ in prefix_variants(word)}
        return bool(stems & self._time_words) or word.isdigit()

    def _indicators(self, ctx: DocumentContext, hits: dict[int, list[Any]]) -> list[Indicator]:
        found: list[Indicator] = []
        config = self.theatre.indicators
        for s in ctx.sentences:
            seen: set[tuple[str, str]] = set()
            for h in hits.get(s.index, []):
                kind, key = h.payloads[0]
                if (kind, key) in seen:
                    continue  # "انسحاب القطعات ... ترك فراغا أمنيا": one withdrawal
                seen.add((kind, key))
                if kind == "tactic":
                    value: str | None = key
                else:
                    value = str(config.get(kind, {}).get("value", kind))
                actor: str | None
                if kind == "withdrawal":
                    leaving, actor = self._withdrawing(ctx, s, h)
                    if not leaving:
                        continue  # "انسحب عناصر داعش": the group leaving, no forces' withdrawal
                else:
                    # The group the cue is about: named in or after it ("عودة نشاط خلايا
                    # داعش"), else before it, else the report's (or the country's default).
                    ordered = [x for x in s.actors if x.end > h.start] + [
                        x for x in reversed(s.actors) if x.end <= h.start
                    ]
                    rebel = next(
                        (
                            a
                            for x in ordered
                            if (a := ctx.resolve(x)) is not None and a.kind == "rebel"
                        ),
                        None,
                    ) or self._default_group(ctx)
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

    def _withdrawing(self, ctx: DocumentContext, s: Sentence, cue: Hit) -> tuple[bool, str | None]:
        """Whether forces withdraw, and whose: the state or foreign force named in or after the
        cue ("انسحاب القوات الأمريكية"), else before it (None when none is named); no withdrawal
        of forces when the first party after the cue is a rebel group (its own retreat)."""
        country = ctx.main_country()
        after = [a for x in s.actors if x.end > cue.start and (a := ctx.resolve(x)) is not None]
        before = [
            a
            for x in reversed(s.actors)
            if x.end <= cue.start and (a := ctx.resolve(x)) is not None
        ]
        forces = {"state", "external"}
        if (
            after
            and self.theatre.root_of(after[0]).kind == "rebel"
            and not any(self.theatre.root_of(a).kind in forces for a in after)
        ):
            return False, None
        for a in after + before:
            if self.theatre.root_of(a).kind in forces:
                return True, a.acled_name(country, ctx.year())
        return True, None


def _fatalities(tolls: list[tuple[int, int]], sources: list[bool] | None = None) -> int:
    """An event's toll from its sentences' (toll, attackers' part), in order. A later sentence
    restating or updating the toll ("ارتفعت حصيلة ...") gives the largest figure, not a sum; one
    that gives another source's figure ("غير أن المرصد أفاد بأن الحصيلة 30") conflicts with it,
    and ACLED takes the lower; a later sentence whose dead are only the attackers ("وقتل أحد
    المهاجمين") adds them, as ACLED counts every death of an event, unless the figure before
    already counted them."""
    base = before = counted = added = 0
    for n, (toll, attackers) in enumerate(tolls):
        if not toll:
            continue
        if attackers < toll and base and sources is not None and n < len(sources) and sources[n]:
            base, counted = min(base, toll), min(counted, attackers)
        elif attackers < toll:
            base, counted = max(base, toll), max(counted, attackers)
        elif base:
            added = max(added, attackers)
        else:
            before = max(before, toll)  # the attackers' dead first: a later total holds them
    return max(base, before) + max(0, added - counted)


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
    quote: str,
) -> str:
    """The English builder's one-line summary ("On 21 July 2019, X: attack against Y in Z."),
    then the Arabic sentence it was coded from, so that an export carries the original words."""
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
    if len(quote) > _NOTE_QUOTE_CHARS:
        quote = quote[:_NOTE_QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    return text + f" Coded from Arabic: «{quote}»"
