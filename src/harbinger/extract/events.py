"""Events: from the triggers of parsed sentences to ACLED-coded ``Event`` records.

A sentence yields an event when an event trigger (or an outcome such as "killed" with actors
around it) is *factual* (not negated, not modal, not a plan, in a past-tense clause) and anchored
(a date, a place below the country, or a reference back to the event of the sentence before, as in
"The operations resulted in ..."). The sub-event type follows the strongest trigger and ACLED's
hierarchy; the actors follow the clause (agent, target, ally); counts follow the outcome words
they hang from, kept apart as killed, wounded and arrested, with the most conservative figure as
``fatalities`` and the range as ``fatalities_low``/``fatalities_high``. Sentences about the same
actor, place and day are one event, as ACLED codes them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from harbinger import wording
from harbinger.extract.claims import speaker_subject, speech_verbs
from harbinger.extract.context import Cue, DocumentContext, Hit, Sentence
from harbinger.extract.counts import Count, CountReader
from harbinger.extract.dates import DateHit, best_date
from harbinger.extract.syntax import (
    governing_verb,
    in_support_phrase,
    is_factual,
    object_of_done_purpose,
    role_in_clause,
)
from harbinger.knowledge import ARMED_KINDS, ActorEntry, Combination, Theatre, Trigger
from harbinger.knowledge.phrases import words_pattern
from harbinger.records import Event, Evidence, Place, TimePrecision
from harbinger.taxonomy import event_type_of, taxonomy

if TYPE_CHECKING:
    from spacy.tokens import Token

    from harbinger.geo import Gazetteer

_NEAR = re.compile(
    r"(?:near|nearby|outskirts of|around|close to|vicinity of|north of|south of|east of|west of|"
    r"northeast of|northwest of|southeast of|southwest of|km from|kilometres from|kilometers from|"
    r"miles from|villages near|area of|areas of|desert of|countryside of|rural|outside|outside of)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_COUNTRYSIDE_BEFORE = re.compile(
    r"(?:countryside of|rural|province of|governorate of|outskirts of|desert of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_COUNTRYSIDE_AFTER = re.compile(
    r"^\s*(?:countryside|province|governorate|rural areas|desert|region)\b", re.IGNORECASE
)
_THEN_COUNTRY = re.compile(r"^\s*,\s*(?:Iraq|Syria)\b")
# "near the village of X": the place noun between the preposition and the name is dropped first.
_PLACE_NOUN = re.compile(
    r"(?:,\s*)?(?:the\s+)?(?:village|villages|town|towns|city|hamlet|area|district|region|"
    r"countryside|outskirts|vicinity|edge|desert)\s+(?:of\s+)?$",
    re.IGNORECASE,
)
_SD_TYPES = {"Change to group/activity", "Arrests"}
#: Types a demonstration may be mistaken for before the protest questions are asked.
_CONTROL_TYPES = frozenset(("Government regains territory", "Non-state actor overtakes territory"))
_CROWD_TYPES = {
    "Peaceful protest", "Protest with intervention", "Excessive force against protesters",
    "Violent demonstration", "Mob violence", "Armed clash", "Attack", "Change to group/activity",
    "Looting/property destruction",
}  # fmt: skip
# Words that introduce the parts of a total counted just before.
_BREAKDOWN = re.compile(
    r"\b(?:including|among them|among whom|of whom|of them|most of them|amongst them)\s+(?:at least\s+|about\s+)?$",
    re.IGNORECASE,
)
_BREAKDOWN_NEXT = re.compile(
    r"\b(?:including|among them|among whom|of whom|amongst them)\b", re.IGNORECASE
)
#: The most sentences kept as an event's evidence; the notes say how many reported it in all.
MAX_EVIDENCE = 25
#: How many sentences after an event a follow-up sentence (figures, detail) may stand.
_FOLLOW_UP = 5
_COUNTRY_NAMES = {"IQ": "Iraq", "SY": "Syria"}


def place_kind(place: Place) -> str:
    """'country', 'admin1', 'region' or 'place', from the gazetteer id's prefix."""
    gid = place.gazetteer_id or ""
    if gid.startswith("cty:"):
        return "country"
    if gid.startswith("adm1:"):
        return "admin1"
    if gid.startswith("reg:"):
        return "region"
    return "place"


@dataclass(frozen=True, slots=True)
class TextClass:
    """What a whole text reports: a sub-event type, how sure, whether a factual trigger decided it,
    the weight of that trigger (0 when only an outcome such as "killed" did), and whether an armed
    actor is named."""

    sub_event_type: str | None
    confidence: float
    factual: bool
    weight: int
    armed: bool
    nonstate: bool = False
    #: Whether an attack verb or noun stands in the text ("attacked", "fired", "strike").
    attack_words: bool = False


@dataclass(slots=True)
class _Tally:
    """Counts of one kind (killed, wounded, arrested) for one group of victims."""

    best: int
    low: int | None
    high: int | None
    vague: bool = False

    def merge(self, other: _Tally) -> None:
        # Two statements of the same toll: keep the conservative figure, widen the range. A vague
        # word ("many", "dozens") gives way to a stated number.
        if other.vague and not self.vague:
            return
        if self.vague and not other.vague:
            self.best, self.low, self.high, self.vague = other.best, other.low, other.high, False
            return
        self.best = min(self.best, other.best)
        lows = [v for v in (self.low, other.low, self.best) if v is not None]
        highs = [v for v in (self.high, other.high, self.best, other.best) if v is not None]
        self.low = min(lows)
        self.high = max(highs)


@dataclass(slots=True)
class _Draft:
    sentences: list[Sentence]
    triggers: list[tuple[Trigger, Hit]]
    outcomes: set[str]
    agents: list[ActorEntry] = field(default_factory=list)
    targets: list[ActorEntry] = field(default_factory=list)
    allies: list[ActorEntry] = field(default_factory=list)
    place: Place | None = None
    place_from_text: bool = False
    date: dt.date | None = None
    time_precision: TimePrecision = 1
    date_from_text: bool = False
    fatalities: dict[str, _Tally] = field(default_factory=dict)
    wounded: dict[str, _Tally] = field(default_factory=dict)
    arrests: dict[str, _Tally] = field(default_factory=dict)
    combined: int | None = None
    victims: set[str] = field(default_factory=set)
    spans: list[tuple[Sentence, int, int]] = field(default_factory=list)
    sub_event_type: str | None = None
    classifier_confidence: float | None = None
    #: Indexes of ``sentences``, kept by ``_absorb``.
    held: set[int] = field(default_factory=set)
    #: The next sentences of the paragraph that are no event's own: what became of a crowd
    #: ("Police fired tear gas to disperse them") is told after the protest.
    after: str = ""
    #: The sentence names an earlier act as the cause of its own ("following the targeting of
    #: ..."): that act's words and counts are no part of this event.
    cause_cut: bool = False


@dataclass(slots=True)
class _Speech:
    """The reported speech of a sentence: its speech verbs, its speakers' tokens, each verb's
    speaker in words, and the source of "according to X" (which covers the whole sentence)."""

    verbs: set[int] = field(default_factory=set)
    speakers: set[int] = field(default_factory=set)
    by_verb: dict[int, str] = field(default_factory=dict)
    whole: str = ""


class EventBuilder:
    """Builds the events of a prepared, parsed document."""

    def __init__(
        self,
        theatre: Theatre,
        gazetteer: Gazetteer,
        counts: CountReader,
        max_event_age_days: int = 90,
    ) -> None:
        self.theatre = theatre
        #: Generic forms that name another country's forces (knowledge: an alias's by_country).
        self._by_country: dict[tuple[str, str], dict[str, ActorEntry]] = {
            (a.id, alias.text.casefold()): {c: theatre.actor(i) for c, i in alias.by_country}
            for a in theatre.actors
            for alias in a.aliases
            if alias.by_country
        }
        self.max_event_age_days = max_event_age_days
        self.gazetteer = gazetteer
        self.counts = counts
        self.rank = {s.name: i for i, s in enumerate(taxonomy().sub_event_types)}
        self.classifier: Any = None
        self._victim_lemmas = {
            str(group): {str(w).lower() for w in words}
            for group, words in (theatre.language.get("victim_groups") or {}).items()
        }
        self._weapons = {w.lower(): t for t in theatre.triggers for w in t.weapon_words}
        self.weapon_lemmas = {
            w.lower().split()[-1] for t in theatre.triggers for w in t.weapon_words
        } | {"warplane", "jet", "aircraft", "drone", "helicopter"}
        self._additive = _words(theatre, "additive_counts")
        self._back_references = _words(theatre, "back_references")
        self._definite = _words(theatre, "definite_articles")
        self._bomber_included = tuple(
            str(w).lower() for w in theatre.language.get("bomber_included") or []
        )
        self._singular_articles = _words(theatre, "singular_articles")
        self._watching_words = _words(theatre, "watching_words")
        self._cause_words = _words(theatre, "cause_words")
        self._civilian_bodies = _words(theatre, "civilian_bodies")
        self._state_markers = _words(theatre, "state_markers")
        self._police_words = _words(theatre, "police_words")
        self._discovery_verbs = _words(theatre, "discovery_verbs")
        self._remains_nouns = _words(theatre, "remains_nouns")
        self.attack_verbs = set(theatre.outcome_rules.get("attack_verbs", "").split(","))
        self.attack_nouns = set(theatre.outcome_rules.get("attack_nouns", "").split(","))

    # -- per sentence --------------------------------------------------------------------------
    def _factual_hits(
        self, ctx: DocumentContext, s: Sentence
    ) -> tuple[list[tuple[Trigger, Hit, Token]], set[str], list[Token], bool, bool]:
        """The sentence's factual triggers, outcome keys and outcome words, whether it refers
        back to the event before, and whether it names an earlier act as its own act's cause
        (then that act's words are left out here, and its counts and parties by the caller)."""
        triggers: list[tuple[Trigger, Hit, Token]] = []
        outcomes: set[str] = set()
        outcome_tokens: list[Token] = []
        outcome_keys: list[tuple[str, Token]] = []
        anaphoric = False
        names = [(a.start, a.end, s.span_tokens(a.start, a.end)) for a in s.actors]
        memo: dict[int, bool] = {}

        def in_cause(t: Token) -> bool:
            if t.i not in memo:
                memo[t.i] = self._in_cause_phrase(t)
            return memo[t.i]

        cause_hit = False  # a word of an act or outcome stands in a cause phrase
        for h in s.events:
            span = s.span_tokens(h.start, h.end)
            if span is None or len(span) == 0:
                continue
            tok = span.root
            cause_hit = cause_hit or in_cause(tok)
            if any(
                a <= h.start and h.end <= b and name is not None and len(name) and name.root != tok
                for a, b, name in names
            ):
                continue  # a modifier in an actor's name ("Air Force Intelligence"): no event
            # "reconnaissance drones" overhead: watching, no strike (an "observation post" is
            # still a post set up).
            watching = any(
                c.dep_ in ("amod", "compound") and c.lower_ in self._watching_words
                for c in tok.children
            )
            factual: bool | None = None  # asked once per word, whatever the number of its cues
            for cue in h.cues:
                if watching and (cue.kind == "weapon" or _cue_sub(cue) == "Air/drone strike"):
                    continue
                if cue.kind == "event_anaphor":
                    anaphoric = (
                        anaphoric or (h.start - s.start) < 25 or tok.dep_ in ("nsubj", "nsubjpass")
                    )
                    continue
                if factual is None:
                    factual = is_factual(tok, headline=ctx.short)
                if not factual and not (
                    cue.kind == "trigger"
                    and cue.data.sub_event_type is not None
                    and event_type_of(cue.data.sub_event_type) == "Protests"
                    and object_of_done_purpose(tok)
                ):
                    continue
                if cue.kind == "weapon" and not self._in_attack(tok):
                    continue
                if cue.kind == "combo":
                    verb = governing_verb(tok)
                    if self._combo_applies(cue.data, verb) and _object_of(tok, verb):
                        triggers.append((_main(cue.data.trigger, verb), h, verb))
                        continue
                    # Not seized, found or set up: the weapon it names may still be fired
                    # ("fired mortar shells at the base").
                    weapon = self._weapon_trigger(s.text[h.start - s.start : h.end - s.start], tok)
                    if (
                        weapon is not None
                        and not watching
                        and self._in_attack(tok)
                        and not in_support_phrase(tok)
                    ):
                        triggers.append((_main(weapon, tok), h, tok))
                    continue
                if cue.kind in ("trigger", "weapon"):
                    if in_support_phrase(tok):
                        continue
                    triggers.append((_main(cue.data, tok), h, tok))
                elif cue.kind == "outcome":
                    outcome_keys.append((cue.key, tok))
                    outcome_tokens.append(tok)
        # "raids and arrests ... following the targeting of a vehicle with an IED, which killed
        # 3": the act named as the cause of the day's event is an earlier one, no part of it,
        # when the sentence tells an act of its own outside that phrase.
        cause = {t.i for _, _, t in triggers if in_cause(t)}
        if cause and any(t.i not in cause for _, _, t in triggers):
            triggers = [x for x in triggers if x[2].i not in cause]
            outcome_keys = [(k, t) for k, t in outcome_keys if not in_cause(t)]
            outcome_tokens = [t for t in outcome_tokens if not in_cause(t)]
        outcomes.update(k for k, _ in outcome_keys)
        cause_cut = cause_hit and not any(in_cause(t) for _, _, t in triggers)
        return triggers, outcomes, outcome_tokens, anaphoric, cause_cut

    def _in_cause_phrase(self, tok: Token) -> bool:
        """Whether a word stands in a phrase that names the cause of the sentence's act
        ("following the targeting of ...", "after an offensive that ...", "in retaliation for
        ...")."""
        cur = tok
        for _ in range(12):
            if cur.head.i == cur.i:
                return False
            if cur.i != tok.i and (
                (cur.dep_ == "prep" and cur.lower_ in self._cause_words)
                or (cur.pos_ == "NOUN" and cur.lemma_.lower() in self._cause_words)
            ):
                # Only an act told with a clause of its own ("an attack that killed two", "an
                # IED, which killed 3") is another event: "fled after clashes with the army"
                # tells the clashes of the day.
                return any(t.dep_ == "relcl" for t in cur.subtree)
            cur = cur.head
        return False

    def _clause_dates(self, s: Sentence, verbs: list[Token]) -> list[DateHit]:
        """The dates said of the event's own clause: "... attacked positions, and the front line
        was unchanged on Sunday" does not date the attack to Sunday."""
        if not verbs or not s.dates:
            return s.dates
        keep = []
        for d in s.dates:
            tok = s.token_at(s.start + d.start)
            if tok is None or any(_in_clause(tok, v) for v in verbs):
                keep.append(d)
            elif tok.sent.root.pos_ not in ("VERB", "AUX"):
                keep.append(d)  # a sentence with no main verb: "On 28 April, an exchange of ..."
        # "killed on 29 April ..., his body was found on 8 May": the day a body was found or a
        # death announced is not the day of the event, when the sentence gives another.
        acts = [d for d in keep if not self._discovery_date(s, d)]
        if not acts and keep:
            acts = [d for d in s.dates if not self._discovery_date(s, d)]
        return acts or keep

    def _discovery_date(self, s: Sentence, d: DateHit) -> bool:
        tok = s.token_at(s.start + d.start)
        if tok is None:
            return False
        verb = governing_verb(tok)
        if verb.lemma_.lower() not in self._discovery_verbs:
            return False
        return any(
            c.dep_ in ("nsubjpass", "dobj", "nsubj") and c.lemma_.lower() in self._remains_nouns
            for c in verb.children
        )

    def _hit_objects(self, tok: Token) -> list[Token]:
        """The words for what an act hit: the objects under its verb and itself, not the doers'
        own words ("members manning a checkpoint opened fire at a man")."""
        verb = governing_verb(tok)
        doers = {t.i for c in verb.children if c.dep_ in ("nsubj", "agent") for t in c.subtree}
        return [
            t
            for t in (*verb.subtree, *tok.subtree)
            if t.dep_ in ("dobj", "pobj", "nsubjpass", "compound")
            and t.i != tok.i
            and t.i not in doers
        ]

    def _state_posts_hit(self, tok: Token, draft: _Draft) -> None:
        """A battle that names the state's posts it hit ("attacked an army checkpoint", "a police
        patrol") has the state's side hit, the police when the text says police."""
        armed = self.theatre.attack_targets.get("armed", frozenset())
        for t in self._hit_objects(tok):
            if t.lower_ not in armed and t.lemma_.lower() not in armed:
                continue
            if self._police(t):
                draft.victims.update(("state", _POLICE))
            elif self._state_marked(t) or t.lower_ in self._state_markers:
                draft.victims.add("state")

    def _by_target(self, trig: Trigger, tok: Token, draft: _Draft) -> Trigger:
        """An attack on armed forces or their positions is a battle; on anyone else, an Attack."""
        if any(a.kind in ARMED_KINDS for a in draft.targets):
            return replace(trig, sub_event_type="Armed clash")
        if any(a.kind == "civilians" for a in draft.targets) or "civilians" in draft.victims:
            return replace(trig, sub_event_type="Attack")
        targets = self.theatre.attack_targets
        for t in self._hit_objects(tok):
            lemma = t.lemma_.lower()
            # The people a count would name count as targets too ("opened fire at a man").
            group = self._victim_group(t) if t.pos_ in ("NOUN", "PROPN") else "unknown"
            armed = lemma in targets.get("armed", ()) or t.lower_ in targets.get("armed", ())
            if group in ("state", "civilians"):
                # The people attacked are the side hit ("shot two soldiers": the state's forces).
                draft.victims.add(group)
            if (group == "state" or armed) and self._police(t):
                # "a police checkpoint": the state's side hit, and the police, not the army.
                draft.victims.update(("state", _POLICE))
            elif armed and (self._state_marked(t) or t.lower_ in self._state_markers):
                draft.victims.add("state")  # "an army checkpoint", "regime positions"
            if armed or group in ("state", "militants"):
                return replace(trig, sub_event_type="Armed clash")
            civilian = lemma in targets.get("civilian", ()) or t.lower_ in targets.get(
                "civilian", ()
            )
            if civilian or group == "civilians":
                return replace(trig, sub_event_type="Attack")
        return trig

    def _uncounted_bombers(self, d: _Draft) -> int:
        """How many bombers a suicide bombing's toll leaves out: none when a perpetrator is
        counted among the dead or the text says "including the bomber"; else the number the text
        gives ("two suicide bombers"), or one."""
        if "militants" in d.victims or any(v.startswith("actor:") for v in d.victims):
            return 0
        text = " ".join(x.text for x in d.sentences).lower()
        if any(cue in text for cue in self._bomber_included):
            return 0
        for s in d.sentences:
            for count in self.counts.find(s.text):
                tok = s.token_at(s.start + count.start)
                if tok is not None and self._count_noun(tok).lemma_.lower() == "bomber":
                    return count.value
        return 1

    def _weapon_trigger(self, text: str, root: Token) -> Trigger | None:
        """The trigger whose weapon the words name: the whole phrase, else its head word."""
        return self._weapons.get(text.lower()) or self._weapons.get(root.lower_)

    def _combo_applies(self, combo: Combination, verb: Token) -> bool:
        lemma = verb.lemma_.lower()
        if lemma not in combo.verbs or not is_factual(verb):
            return False
        if lemma == "set" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children):
            return False  # "set up a base", not "set upon a base"
        # "warplanes destroyed the arms depot": an attack, not a seizure.
        return not any(
            c.dep_ == "nsubj" and c.lemma_.lower() in self.weapon_lemmas for c in verb.children
        )

    def _in_attack(self, tok: Token) -> bool:
        """A weapon noun in an attack: governed by an attack verb or standing with an attack noun."""
        verb = governing_verb(tok)
        if verb.lemma_.lower() in self.attack_verbs:
            return True
        near = [tok.head, *tok.children, *tok.head.children]
        return any(t.lemma_.lower() in self.attack_nouns for t in near if t.i != tok.i)

    def _resolve_actor(self, ctx: DocumentContext, h: Hit) -> ActorEntry | None:
        actor = ctx.resolve(h)
        if actor is not None and self._by_country and not h.anaphor:
            # "security forces" in a report about Syria are the Syrian state's.
            variants = self._by_country.get((actor.id, h.text.casefold()))
            country = ctx.main_country()
            if variants and country in variants:
                return variants[country]
        return actor

    def _owner_of_target(self, tok: Token) -> bool:
        """Whether a name is the owner of an armed target ("a patrol of the SDF", "the
        headquarters of the police"): whose patrol or post an act hit."""
        of = tok.head
        if tok.dep_ != "pobj" or of.lower_ != "of" or of.head.i == of.i:
            return False
        owned = of.head
        return owned.lower_ in self.theatre.attack_targets.get(
            "armed", frozenset()
        ) and owned.dep_ in (
            "dobj",
            "pobj",
            "nsubjpass",
        )

    def _roles(
        self,
        ctx: DocumentContext,
        s: Sentence,
        verbs: list[Token],
        draft: _Draft,
        speech: _Speech,
    ) -> None:
        unplaced: list[ActorEntry] = []
        named_later = {h.actor.id for h in s.actors if h.actor is not None and not h.anaphor}
        for h in s.actors:
            actor = self._resolve_actor(ctx, h)
            if (
                h.anaphor
                and h.actor is not None
                and actor is not None
                and actor.id in named_later
                and (ctx.first_named(actor.id) or 0) > h.start
            ):
                # "Gunmen attacked the headquarters of the Asayish": the unknown men are not the
                # group named after them in their own sentence (nothing named before they are).
                actor = h.actor
            if actor is None or actor.kind == "official":
                continue
            span = s.span_tokens(h.start, h.end)
            if (
                draft.cause_cut
                and span is not None
                and len(span)
                and self._in_cause_phrase(span.root)
            ):
                continue  # a party to the earlier act named as the cause ("an Ahrar vehicle")
            role = None
            if span is not None and len(span):
                speaker = span.root.i in speech.speakers
                for verb in verbs:
                    if speaker and verb.i in speech.verbs:
                        continue  # saying is no part in the event
                    role = role_in_clause(span.root, verb)
                    if role:
                        break
                if role is None and speaker:
                    continue  # who announces the event ("the Joint Operations Command said") is no party
            if role is None and span is not None and len(span) and self._owner_of_target(span.root):
                role = "target"  # "a device went off beside a patrol of the SDF": the patrol's side
            if (
                role is None
                and span is not None
                and len(span)
                and verbs
                and not any(_in_clause(span.root, v) for v in verbs)
            ):
                continue  # named in another clause ("since the government declared victory over the group")
            bucket = {"agent": draft.agents, "target": draft.targets, "ally": draft.allies}.get(
                role or "", unplaced
            )
            if all(a.id != actor.id for a in bucket):
                bucket.append(actor)
        for actor in unplaced:
            known = draft.agents + draft.targets + draft.allies
            if any(self.theatre.root_of(a).id == self.theatre.root_of(actor).id for a in known):
                continue
            # No role from the parse: state and foreign forces act, insurgents are acted upon,
            # unless the insurgents are the only armed side named (then they act).
            if actor.kind in ("state", "external", "political_militia", "identity_militia"):
                (draft.agents if not draft.agents else draft.allies).append(actor)
            elif actor.kind in ("civilians", "protesters") or any(
                a.kind == "state" for a in draft.agents
            ):
                draft.targets.append(actor)
            elif not draft.agents:
                draft.agents.append(actor)
            else:
                draft.targets.append(actor)

    def _refers_back(self, tok: Token) -> bool:
        """Whether the subject of a trigger's clause is a definite reference to the doers of an
        event already told ("the attackers", "the gunmen")."""
        verb = governing_verb(tok)
        for subj in verb.children:
            if subj.dep_ not in ("nsubj", "nsubjpass"):
                continue
            definite = any(c.dep_ == "det" and c.lower_ in self._definite for c in subj.children)
            if definite and (
                subj.lower_ in self._back_references or subj.lemma_.lower() in self._back_references
            ):
                return True
        return False

    def _speech(self, s: Sentence) -> _Speech:
        """Who speaks in a sentence, read once for the roles and the tolls."""
        speech = _Speech()
        if not s.parsed:
            return speech
        for _hit, verb in speech_verbs(s):
            speech.verbs.add(verb.i)
            subj = speaker_subject(verb)
            if subj is None:
                continue
            speech.speakers.update(t.i for t in subj.subtree)
            words = " ".join(t.lower_ for t in subj.subtree if not t.is_punct)
            if verb.lower_ == "according":
                speech.whole = speech.whole or words
            else:
                speech.by_verb[verb.i] = words
        return speech

    def _count_noun(self, tok: Token) -> Token:
        """The noun a number counts ("15 members" -> members; "dozens of fighters" -> fighters)."""
        if tok.dep_ in ("nummod", "quantmod", "amod", "compound") and tok.head.pos_ in (
            "NOUN",
            "PROPN",
        ):
            return tok.head
        if tok.dep_ in ("nummod", "quantmod") and tok.head.dep_ in ("nummod", "quantmod"):
            return tok.head.head
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj
        return tok

    def _antecedent(self, pronoun: Token) -> Token | None:
        """The nearest noun for people before a plural pronoun of its sentence ("a car carrying
        truffle hunters ... killing four of them": the hunters)."""
        for t in reversed(pronoun.doc[: pronoun.i]):
            if (
                t.pos_ in ("NOUN", "PROPN")
                and t.tag_ in ("NNS", "NNPS")
                and self._victim_group(t) not in ("unknown", "unknown_people")
            ):
                return t
        return None

    def _outcome_of(
        self,
        s: Sentence,
        tok: Token,
        outcome_tokens: list[Token],
        count: Count,
        kind_of: dict[int, set[str]],
        other_acts: set[int],
    ) -> set[str]:
        kinds: set[str] = set()
        by_index = {t.i: t for t in outcome_tokens}
        # "Six people were killed and three more injured": the parse hangs the elided clause's
        # verb on its number ("three" <- "injured"), and the number on the first verb.
        for c in tok.children:
            if c.dep_ in ("amod", "acl", "relcl") and c.i in by_index:
                return set(kind_of.get(c.i, set()))
        cur = tok
        for _ in range(5):
            if cur.i in other_acts:
                # "killed seven shepherds and kidnapped two others": the two were kidnapped, not
                # killed; a figure shared by "kidnapped and killed four" still counts as killed.
                for c in cur.children:
                    if c.dep_ == "conj" and c.i in by_index and cur.i < c.i < tok.i:
                        kinds |= kind_of.get(c.i, set())
                return kinds
            if cur.i in by_index:
                kinds |= kind_of.get(cur.i, set())
                # "the killing and arresting of 15 members": the figure comes after both verbs
                # and is shared by them; in "killing 32 people and wounding 110" it is not.
                for c in cur.children:
                    shared = c.dep_ == "conj" and c.i in by_index and cur.i < c.i < tok.i
                    if shared and not any(x.dep_ in ("dobj", "pobj") for x in c.children):
                        kinds |= kind_of.get(c.i, set())
                break
            if cur.head.i == cur.i:
                break
            cur = cur.head
        if not kinds:
            # No path in the parse: the nearest outcome word within a few words either side.
            c_start = s.start + count.start
            best: tuple[int, set[str]] | None = None
            for h in s.events:
                ks = {c.key for c in h.cues if c.kind == "outcome"}
                if not ks:
                    continue
                gap = h.start - (s.start + count.end) if h.start >= c_start else c_start - h.end
                if 0 <= gap <= 30 and (best is None or gap < best[0]):
                    best = (gap, ks)
            if best:
                kinds = best[1]
        return kinds

    def _act_tokens(self, s: Sentence, kind_of: dict[int, set[str]]) -> set[int]:
        """Root tokens of the sentence's event words that carry no count of their own
        (kidnapped, shelled, stormed): a number governed by one of them counts something else."""
        acts: set[int] = set()
        for h in s.events:
            if not any(c.kind == "trigger" for c in h.cues):
                continue
            span = s.span_tokens(h.start, h.end)
            if span is None or len(span) == 0 or span.root.i in kind_of:
                continue
            if span.root.pos_ == "VERB":
                acts.add(span.root.i)
        return acts

    def _outcome_kinds(self, s: Sentence) -> dict[int, set[str]]:
        out: dict[int, set[str]] = {}
        for h in s.events:
            span = s.span_tokens(h.start, h.end)
            if span is None or len(span) == 0:
                continue
            ks = {c.key for c in h.cues if c.kind == "outcome"}
            ks |= {"arrests" for c in h.cues if c.kind == "trigger" and c.key == "arrest"}
            if ks:
                out.setdefault(span.root.i, set()).update(ks)
        return out

    def _victim_group(self, noun: Token) -> str:
        """'civilians', 'state', 'militants', or 'unknown' when the noun counts no people we know."""
        lemma = noun.lemma_.lower()
        word = noun.lower_
        if any(
            c.lower_ == "of" and any(o.lemma_.lower() in self._civilian_bodies for o in c.children)
            for c in noun.children
        ):
            return "civilians"  # "a member of the local council", "relatives of the mayor's family"
        for group, lemmas in self._victim_lemmas.items():
            if lemma in lemmas or word in lemmas:
                if group == "militants" and self._state_marked(noun):
                    return "state"  # "a regime fighter", "the regime's fighters"
                return group
        if word.endswith(("men", "man")) and len(word) > 4:
            return (
                "militants" if word.startswith(("militia", "gun", "tribes")) else "unknown_people"
            )
        return "unknown"

    @functools.cached_property
    def _attribution(self) -> re.Pattern[str]:
        """The words after which a report names whom it holds responsible (language.yaml)."""
        return words_pattern(self.theatre.language.get("attribution_cues", []))

    def _state_marked(self, noun: Token) -> bool:
        """Whether a noun for fighters is qualified as the state's ("regime", "army's")."""
        return any(
            c.dep_ in ("compound", "amod", "poss", "nmod") and c.lower_ in self._state_markers
            for c in noun.children
        )

    def _side_of(
        self,
        ctx: DocumentContext,
        s: Sentence,
        noun: Token,
        speakers: set[int] | frozenset[int] = frozenset(),
    ) -> ActorEntry | None:
        """The actor named inside a counted noun phrase ("17 SDF fighters" -> SDF); the phrases
        coordinated with it count other people ("three soldiers and two civilians")."""
        others = {t.i for c in noun.children if c.dep_ in ("conj", "cc") for t in c.subtree}
        own = [t for t in noun.subtree if t.i not in others]
        lo = s.start + min(t.idx for t in own)
        hi = s.start + max(t.idx + len(t.text) for t in own)
        for h in s.actors:
            if lo <= h.start and h.end <= hi:
                return self._resolve_actor(ctx, h)
        if speakers and any(
            c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children
        ):
            # "The SDF said 22 of its guards were killed": the speaker's own people.
            for h in s.actors:
                span = s.span_tokens(h.start, h.end)
                actor = self._resolve_actor(ctx, h)
                if span is not None and len(span) and span.root.i in speakers and actor is not None:
                    return actor if actor.armed else None
        return None

    def _counts(
        self,
        ctx: DocumentContext,
        s: Sentence,
        outcome_tokens: list[Token],
        draft: _Draft,
        speech: _Speech,
    ) -> None:
        parts_from: int | None = None  # where "including ..." begins after a counted total
        # The sentence's outcome words and its other acts, read once for all its counts.
        kind_of = self._outcome_kinds(s)
        other_acts = self._act_tokens(s, kind_of)
        for count in self._counts_with_singulars(s, outcome_tokens):
            tok = s.token_at(s.start + count.start)
            if tok is None:
                continue
            if draft.cause_cut and self._in_cause_phrase(tok):
                continue  # "... following an attack that killed 3": that attack's toll
            if parts_from is not None and count.start >= parts_from:
                continue  # "84 people, including 3 children, 29 women": parts of the total
            # A single person named without a number ("the mukhtar of the village") is its own
            # noun; a number counts the noun it qualifies ("dozens of fighters").
            singular = count.value == 1 and count.text == tok.text and tok.pos_ == "NOUN"
            noun = tok if singular else self._count_noun(tok)
            group = self._victim_group(noun)
            if noun.pos_ == "PRON" and noun.lower_ in ("them", "whom", "those", "these"):
                # "a car carrying truffle hunters ... killing four of them": the hunters
                antecedent = self._antecedent(noun)
                group = self._victim_group(antecedent) if antecedent is not None else group
            side = self._side_of(ctx, s, noun, speech.speakers) if noun.i != tok.i else None
            if side is not None:
                # Deaths attributed to a side: keep the side apart (and it is a party to the event).
                group = "civilians" if side.kind == "civilians" else f"actor:{side.id}"
            kinds = self._outcome_of(s, noun, outcome_tokens, count, kind_of, other_acts)
            if not kinds:
                continue
            if group == "unknown_people":
                group = "unknown"
            elif (
                noun.i != tok.i
                and group == "unknown"
                and side is None
                and noun.pos_ == "NOUN"
                and noun.lower_ not in ("dead", "wounded", "injured", "bodies", "lives", "deaths")
            ):
                continue  # "a dozen mortar rounds": not people
            if count.vague and re.match(r"\s*of\s+(?:the|them|those|these)\b", s.text[count.end :]):
                continue  # "many of the wounded": part of a group counted elsewhere
            if _BREAKDOWN.search(s.text[max(0, count.start - 25) : count.start]):
                continue  # "122 were killed, including 33 soldiers": a part of a total, not more
            if "fatalities" in kinds and re.match(
                r"\s*(?:\w+\s+){0,3}?(?:killed|dead)\s+or\s+(?:wounded|injured)",
                s.text[count.end :],
            ):
                kinds = {
                    "fatalities",
                    "arrests",
                }  # "28 killed or wounded": no split, kept as a range
            tally = _Tally(count.value, count.low, count.high, count.vague)
            source = self._toll_source(noun, speech)
            draft.spans.append((s, s.start + count.start, s.start + count.end))
            m = _BREAKDOWN_NEXT.search(s.text, count.end)
            if m is not None and parts_from is None:
                parts_from = m.end()
            if "fatalities" in kinds and "arrests" in kinds:
                draft.combined = max(draft.combined or 0, count.value)
                draft.victims.add(group)
                continue
            for kind, table in (
                ("fatalities", draft.fatalities),
                ("wounded", draft.wounded),
                ("arrests", draft.arrests),
            ):
                if kind in kinds:
                    key = f"{source}{_KEY_SEP}{group}"
                    if key in table:
                        table[key].merge(tally)
                    else:
                        table[key] = _Tally(tally.best, tally.low, tally.high, tally.vague)
                    if kind in ("fatalities", "wounded"):
                        draft.victims.add(group)  # who was harmed is a side of the event
                        if group == "state" and self._police(noun):
                            draft.victims.add(_POLICE)
                    break

    def _counts_with_singulars(self, s: Sentence, outcome_tokens: list[Token]) -> list[Count]:
        """The sentence's counts, and one for each single person killed or hurt ("a soldier was
        killed", "killing a shepherd"): ACLED counts them, though no number is written."""
        counts = list(self.counts.find(s.text))
        if not outcome_tokens or not self._singular_articles:
            return counts
        taken = [(c.start, c.end) for c in counts]
        for out in outcome_tokens:
            # Who was killed: the verb's object or passive subject, or whose death or body it is
            # ("a man's body", "the body of a woman").
            # "shot and killed a soldier": the phrase's head is "shot", its object is killed's.
            # "shot dead the mukhtar": the parser may hang the object on "dead".
            heads = [
                out,
                *(c for c in out.children if c.dep_ == "conj" and c.pos_ == "VERB"),
                *(c for c in out.children if c.dep_ in ("oprd", "acomp")),
            ]
            nouns = [
                c for v in heads for c in v.children if c.dep_ in ("nsubjpass", "dobj", "poss")
            ]
            if not nouns and out.dep_ in ("xcomp", "oprd", "acomp", "conj"):
                # "a man was found killed", "a soldier was found dead", "a man was found
                # handcuffed and killed": the one found (the subject of the verb it hangs on).
                nouns = [c for c in out.head.children if c.dep_ == "nsubjpass"]
            nouns += [
                p
                for c in out.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for p in c.children
                if p.dep_ == "pobj"
            ]
            for noun in nouns:
                if noun.tag_ != "NN":
                    continue
                det = next((c for c in noun.children if c.dep_ == "det"), None)
                if det is None:
                    # "a regime's fighter": the article stands before the possessor.
                    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
                    det = (
                        next((c for c in owner.children if c.dep_ == "det"), None)
                        if owner
                        else None
                    )
                if det is None or det.lower_ not in self._singular_articles:
                    continue
                if self._victim_group(noun) in ("unknown", "unknown_people"):
                    continue
                if any(a <= det.idx < b or a <= noun.idx < b for a, b in taken):
                    continue
                # The count's span is the noun: it is what the count is of, and its evidence.
                counts.append(Count(1, None, None, noun.idx, noun.idx + len(noun.text), noun.text))
        return sorted(counts, key=lambda c: c.start)

    def _toll_source(self, noun: Token, speech: _Speech) -> str:
        """Whose toll a count is: the speaker of the speech verb it is said under, "+" for a
        count that adds to the others ("two civilians were also killed"), "" when unattributed."""
        near = [noun, *noun.children, noun.head, *noun.head.children]
        if any(t.lower_ in self._additive for t in near):
            return "+"
        for anc in noun.ancestors:
            if anc.i in speech.by_verb:
                return speech.by_verb[anc.i]
        return speech.whole

    @functools.cached_property
    def _compound_place(self) -> re.Pattern[str]:
        """A hyphenated name of two capitalised words before a place noun ("Bab-Sinjar area")."""
        nouns = "|".join(
            re.escape(str(w)) for w in self.theatre.language.get("compound_place_nouns", [])
        )
        return re.compile(rf"\b[A-Z][\w']*(?:-[A-Z][\w']*)+\s+(?:{nouns})\b")

    def _in_compound(self, s: Sentence, h: Hit) -> bool:
        """Whether a name is a part of a hyphenated name of a town's part ("Bab" of Bab-Sinjar)."""
        a, b = h.start - s.start, h.end - s.start
        articles = self.gazetteer.articles
        for m in self._compound_place.finditer(s.text):
            name = m.group(0)[: m.group(0).rfind(" ")]
            parts = name.split("-")
            while parts and parts[0].lower() in articles:
                parts = parts[1:]  # "Al-Hawi area": an article and one name
            if len(parts) < 2:
                continue
            if m.start() <= a and b <= m.start() + len(name) and (b - a) < len(name):
                return True
        return False

    @functools.cached_property
    def _marked_names(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """Capitalised names the text marks as places: "X town" and "in (the (western) town of)
        X"."""
        language = self.theatre.language
        nouns = "|".join(re.escape(str(w)) for w in language.get("place_marking_nouns", []))
        preps = "|".join(re.escape(str(w)) for w in language.get("place_marking_prepositions", []))
        articles = "|".join(re.escape(a) for a in sorted(self.gazetteer.articles, key=len))
        name = rf"((?:(?i:{articles})[-\s])?[A-Z][A-Za-z'’]+(?:[-\s](?:(?i:{articles})-)?[A-Z][A-Za-z'’]+)?)"
        return (
            re.compile(rf"\b{name}\s+(?:{nouns})\b"),
            re.compile(
                rf"\b(?:{preps})\s+(?:the\s+)?(?:(?:[a-z]+\s+){{0,2}}?(?:{nouns})\s+of\s+)?{name}"
            ),
        )

    def _spelled_otherwise(
        self, ctx: DocumentContext, s: Sentence, codes: list[str] | None
    ) -> Place | None:
        """A town the sentence marks as a place that no name list spells its way ("in
        Maqdadiyah city"), among the towns of the governorates the text names (geo.guess)."""
        taken = [(h.start - s.start, h.end - s.start) for h in (*s.places, *s.actors)]
        for pattern in self._marked_names:
            for m in pattern.finditer(s.text):
                a, b = m.span(1)
                # A known name that is only a part of the marked one ("Qarah" of "Qarah Tapah
                # town") does not stop the guess; one that covers it or runs past it does.
                if any(
                    x < b and a < y and not (a <= x and y <= b and (x, y) != (a, b))
                    for x, y in taken
                ):
                    continue
                entry = self.gazetteer.guess(m.group(1), codes)
                if entry is not None:
                    near = bool(_NEAR.search(s.text[max(0, a - 45) : a]))
                    return self.gazetteer.place(entry, 2 if near else 1)
        return None

    def _place(self, ctx: DocumentContext, s: Sentence, anchor: int) -> Place | None:
        best: tuple[tuple[int, int, int, int], Place] | None = None
        order = {"place": 0, "region": 1, "admin1": 2, "country": 3}
        # The countries the sentence itself names ("..., Nineveh governorate, Iraq"): a town of
        # another country that shares a name is not the place here.
        # A governorate counts, and a country written as the last part of an address (", Iraq"):
        # "Turkish-backed" or "Iranian" name countries, not where the event is.
        named_countries = {
            e.country_code
            for h in s.places
            for i, e in enumerate(h.places)
            if e.country_code
            and (
                e.kind == "admin1"  # any reading of the name: "Ar-Raqqa" the city or governorate
                or (
                    i == 0
                    and e.kind == "country"
                    and s.text[: h.start - s.start].rstrip().endswith(",")
                    and s.text[h.end - s.start :].lstrip()[:1] in ("", ".", ",", ";", ")")
                )
            )
        }
        # Where the sentence itself puts each name ("X town, Diyala governorate, Iraq").
        spans = [(h.start - s.start, h.end - s.start, h.places) for h in s.places]
        enclosing = self.gazetteer.containers(s.text, spans)
        away_from: set[int] = set()  # "from Samarra city, Saladin governorate": both away
        # The hits that enclose a town found before them ("Daret Azza in Aleppo"): a name that is
        # both a city and a governorate stands for the governorate there.
        encloses_town: set[int] = set()
        for i, (h, within) in enumerate(zip(s.places, enclosing, strict=True)):
            if i in encloses_town and any(e.kind == "admin1" for e in h.places):
                governorate_entry = next(e for e in h.places if e.kind == "admin1")
                best_key = (int(i in away_from), order["admin1"], 1, abs(h.start - anchor))
                if best is None or best_key < best[0]:
                    best = (best_key, self.gazetteer.place(governorate_entry, 3))
                continue
            written = s.text[max(0, h.start - s.start - 45) : h.start - s.start]
            before = _PLACE_NOUN.sub("", written)
            after = s.text[h.end - s.start : h.end - s.start + 25]
            # "on the outskirts of X", "the countryside of X": the place noun that _PLACE_NOUN
            # drops is itself the "near" cue; "the X countryside" names the area around X too.
            near = bool(
                _NEAR.search(before) or _NEAR.search(written) or _COUNTRYSIDE_AFTER.match(after)
            )
            # "fighters from X", "pilgrims walking to X": where they came from or went, not where
            # the event happened; nor is the governorate the text puts X in.
            if not near and self.gazetteer.away(before):
                away_from.update(range(i, i + len(within) + 1))
            governorate = next((e for e in h.places if e.kind == "admin1"), None)
            if governorate is not None and (
                _COUNTRYSIDE_BEFORE.search(before)
                or _COUNTRYSIDE_AFTER.match(after)
                or _THEN_COUNTRY.match(after)
            ):
                # "the countryside of Idleb", "rural Deir ez Zor", "Rasha, Hamah, Syria": the name
                # that is both a town and a governorate stands for the governorate here.
                place: Place | None = self.gazetteer.place(governorate, 3)
            else:
                place = self.gazetteer.resolve(
                    h.text,
                    countries=ctx.countries,
                    admin1_codes=ctx.admin1_codes,
                    near=near,
                    within=within,
                )
            if place is None:
                continue
            if named_countries and place.country_code not in named_countries:
                continue
            if within and place_kind(place) == "place":
                encloses_town.update(range(i + 1, i + len(within) + 1))
            if self._in_compound(s, h):
                continue
            kind = place_kind(place)
            if kind == "region" and place.admin1_code is None:
                place = self._region_admin1(ctx, s, h, place)
            entry = h.places[0] if h.places else None
            # A base, a field, a district named with its town is the more exact place of the two.
            finer = 0 if entry is not None and (entry.facility or entry.parent) else 1
            key = (int(i in away_from), order[kind], finer, abs(h.start - anchor))
            if best is None or key < best[0]:
                best = (key, place)
        if best is None or place_kind(best[1]) != "place":
            # Only a governorate or a country: a town the text marks may be spelled another way.
            codes = [
                e.admin1_code
                for h in s.places
                for e in h.places[:1]
                if e.kind == "admin1" and e.admin1_code
            ] or ([best[1].admin1_code] if best and best[1].admin1_code else list(ctx.admin1_codes))
            # Nothing names a governorate: the whole theatre, with a closer spelling asked for.
            guessed = self._spelled_otherwise(ctx, s, codes or None)
            if guessed is not None:
                return guessed
        return best[1] if best else None

    def _region_admin1(self, ctx: DocumentContext, s: Sentence, h: Hit, place: Place) -> Place:
        """A region that spans several governorates, placed in the one the text names with it
        ("the Hamrin mountains in Salah al-Din"), or the only one of them the document names."""
        spans = next((set(e.admin1_codes) for e in h.places if e.kind == "region"), set())
        named = [
            e.admin1_code
            for p in s.places
            for e in p.places[:1]
            if e.kind == "admin1" and e.admin1_code in spans
        ]
        if not named:
            named = (
                [c for c in ctx.admin1_codes if c in spans][:1]
                if len([c for c in ctx.admin1_codes if c in spans]) == 1
                else []
            )
        if not named or named[0] is None:
            return place
        entry = self.gazetteer.admin1(named[0])
        return replace(place, admin1_code=named[0], admin1=entry.name if entry else None)

    def _draft(self, ctx: DocumentContext, s: Sentence) -> tuple[_Draft, bool, bool] | None:
        triggers, outcomes, outcome_tokens, anaphoric, cause_cut = self._factual_hits(ctx, s)
        if not triggers and not outcomes:
            return None
        draft = _Draft([s], [(t, h) for t, h, _ in triggers], outcomes, cause_cut=cause_cut)
        # "The attackers withdrew into the desert": "the attackers" are the doers of the event
        # just reported, so the sentence tells more of it (when it gives no date of its own).
        anaphoric = anaphoric or any(self._refers_back(tok) for _, _, tok in triggers)
        verbs = [governing_verb(tok) for _, _, tok in triggers]
        verbs += [governing_verb(t) for t in outcome_tokens]
        seen: set[int] = set()
        verbs = [v for v in verbs if not (v.i in seen or seen.add(v.i))]  # type: ignore[func-returns-value]
        speech = self._speech(s)
        self._roles(ctx, s, verbs, draft, speech)
        self._counts(ctx, s, outcome_tokens, draft, speech)
        draft.triggers = [
            (self._by_target(t, tok, draft) if t.by_target else t, h) for t, h, tok in triggers
        ]
        for t, _, tok in triggers:
            if not t.by_target and t.sub_event_type == "Armed clash":
                self._state_posts_hit(tok, draft)
        anchor = triggers[0][1].start if triggers else s.start
        place = self._place(ctx, s, anchor)
        hit = best_date(self._clause_dates(s, verbs), anchor - s.start)
        if hit is not None:
            draft.date, draft.time_precision, draft.date_from_text = hit.date, hit.precision, True
            draft.spans.append((s, s.start + hit.start, s.start + hit.end))
        if place is not None:
            draft.place, draft.place_from_text = place, True
        for _, h in draft.triggers:
            draft.spans.append((s, h.start, h.end))
        below_country = place is not None and place_kind(place) != "country"
        # A country alone places an event only with its exact day ("in Iraq on 21 July").
        anchored = below_country or (hit is not None and (place is not None or hit.precision == 1))
        if not triggers and not (draft.agents or draft.targets or draft.victims):
            return None  # "10,000 were killed" with nobody named: a loss figure, not an event
        return draft, anchored, anaphoric

    def classify(self, ctx: DocumentContext) -> TextClass:
        """The sub-event type a whole text reports, without asking for a date or place."""
        drafts = []
        for s in ctx.sentences:
            if s.parsed and s.events:
                result = self._draft(ctx, s)
                if result is not None:
                    drafts.append(result[0])
        named = [a for s in ctx.sentences for h in s.actors if (a := ctx.resolve(h)) is not None]
        attack_words = any(
            t.lemma_.lower() in self.attack_verbs or t.lemma_.lower() in self.attack_nouns
            for s in ctx.sentences
            if s.doc is not None
            for t in s.doc
        )
        armed = any(a.armed for a in named)
        nonstate = any(a.armed and a.kind != "state" and a.kind != "external" for a in named)
        if drafts:
            main = drafts[0]
            for d in drafts[1:]:
                _absorb(main, d)
            weight = max((t.weight for t, _ in main.triggers), default=0)
            sub = self._decide_type(main)
            return TextClass(
                sub, 0.7 if weight else 0.5, True, weight, armed, nonstate, attack_words
            )
        # No factual trigger: the strongest trigger word at all (a headline, a plan, a quote).
        best: tuple[int, int, str] | None = None
        for s in ctx.sentences:
            for h in s.events:
                for cue in h.cues:
                    if cue.kind in ("trigger", "weapon") and cue.data.sub_event_type:
                        sub = cue.data.sub_event_type
                        key = (cue.weight, -self.rank.get(sub, 99), sub)
                        if best is None or key[:2] > best[:2]:
                            best = key
        if best is None:
            return TextClass(None, 0.0, False, 0, armed, nonstate, attack_words)
        return TextClass(best[2], 0.4, False, best[0], armed, nonstate, attack_words)

    def _same_parties(self, prev: _Draft, draft: _Draft) -> bool:
        """True when a sentence names no party the earlier event does not already have."""
        known = {self.theatre.root_of(a).id for a in prev.agents + prev.targets + prev.allies}
        named = {
            self.theatre.root_of(a).id
            for a in draft.agents + draft.targets + draft.allies
            if a.armed  # victims named in a follow-up ("killing 2 civilians") are no new party
        }
        return named <= known

    def _claimant(self, ctx: DocumentContext) -> ActorEntry | None:
        """The group that claimed responsibility in this document, or to which the report
        attributes the attack ("sources attributed the attack to the Islamic State")."""
        for s in ctx.sentences:
            claimed = any(c.key == "claim of responsibility" for h in s.speech for c in h.cues)
            attributed = self._attribution.search(s.text.lower())
            if not claimed and not attributed:
                continue
            after = s.start + attributed.end() if attributed and not claimed else s.start
            for h in s.actors:
                actor = ctx.resolve(h)
                if h.start >= after and actor is not None and actor.armed and actor.kind != "state":
                    return actor
        return None

    # -- the document --------------------------------------------------------------------------
    def build(self, ctx: DocumentContext) -> list[Event]:
        drafts: list[_Draft] = []
        last_place: tuple[int, int, Place] | None = None
        scene: Sentence | None = None  # the last sentence that named a place
        published = ctx.document.published
        for s in ctx.sentences:
            if not s.parsed or not s.events:
                if s.places:
                    scene = s
                continue
            result = self._draft(ctx, s)
            if s.places:
                scene = s
            if result is None:
                continue
            draft, anchored, anaphoric = result
            prev = drafts[-1] if drafts else None
            near_prev = prev is not None and s.index - prev.sentences[-1].index <= _FOLLOW_UP
            if prev is not None and near_prev and not draft.date_from_text:
                # "... shot dead the mukhtar of a village. The mukhtar was killed in front of his
                # house in Imam Gharbi": the same victim told again, the same event.
                anaphoric = anaphoric or self._same_victim(prev.sentences[-1], s)
            if prev is not None and near_prev:
                same_day = draft.date is None or prev.date == draft.date
                # "The operations resulted in ...", or a sentence that adds only figures or
                # detail to the event before it: the same event, more evidence.
                if same_day and (anaphoric or (not anchored and self._same_parties(prev, draft))):
                    finer = draft.place if self._within(draft.place, prev.place) else None
                    _absorb(prev, draft)
                    if finer is not None:
                        prev.place = (
                            finer  # "a bomb in Baghdad ... the blast struck Tayaran Square"
                        )
                    continue
            if (
                not anchored
                and not drafts
                and (draft.fatalities or draft.wounded)
                and draft.place is None
                and scene is not None
                and scene.paragraph == s.paragraph
                and 0 < s.index - scene.index <= 2
            ):
                # "Gunmen set up a fake checkpoint in Tal Afar. Eight civilians were killed": the
                # sentence before set the scene of the event it tells (the report's first event
                # only, and one that harmed people: later unplaced tolls are more often background
                # than news, and "residents heard gunfire" is no event of its own).
                place = self._place(ctx, scene, scene.start)
                if place is not None and place_kind(place) != "country":
                    draft.place, anchored = place, True
            if not anchored:
                continue
            if (
                published is not None
                and draft.date is not None
                and draft.date_from_text
                and (published - draft.date).days > self.max_event_age_days
            ):
                continue  # background ("Mosul was retaken in July 2017"), not news of the day
            if (
                draft.place is None
                and last_place
                and last_place[0] == s.paragraph
                and s.index - last_place[1] <= 2
            ):
                draft.place = last_place[2]
            if draft.place is not None and draft.place_from_text:
                last_place = (s.paragraph, s.index, draft.place)
            drafts.append(draft)
        drafts = self._merge_same_event(ctx, drafts)
        held = {x.index for d in drafts for x in d.sentences}
        for d in drafts:
            last = d.sentences[-1]
            d.after = " ".join(
                x.text
                for x in ctx.sentences[last.index + 1 : last.index + 3]
                if x.paragraph == last.paragraph and x.index not in held
            )
        claimant = self._claimant(ctx)
        events = [self._finalise(ctx, d, claimant) for d in drafts]
        return [e for e in events if e is not None]

    def _same_victim(self, before: Sentence, s: Sentence) -> bool:
        """Whether a sentence's subject is "the X" for a person X that the sentence before
        named as the one hit ("the mukhtar", "the soldier")."""
        if before.doc is None or s.doc is None:
            return False
        hit = {
            t.lemma_.lower()
            for t in before.doc
            if t.dep_ in ("dobj", "nsubjpass") and t.pos_ == "NOUN"
        }
        return any(
            t.dep_ in ("nsubj", "nsubjpass")
            and t.lemma_.lower() in hit
            and self._victim_group(t) not in ("unknown", "unknown_people")
            and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
            for t in s.doc
        )

    def _merge_same_event(self, ctx: DocumentContext, drafts: list[_Draft]) -> list[_Draft]:
        out: list[_Draft] = []
        for d in drafts:
            target = None
            for o in out:
                same_place = self._same_place(o.place, d.place) or (
                    d.place is None or not d.place_from_text
                )
                same_day = d.date is None or not d.date_from_text or o.date == d.date
                agents_d = {self.theatre.root_of(a).id for a in d.agents}
                agents_o = {self.theatre.root_of(a).id for a in o.agents}
                compatible = not agents_d or not agents_o or bool(agents_d & agents_o)
                if (
                    same_place
                    and same_day
                    and compatible
                    and (d.date_from_text or d.place_from_text)
                ):
                    target = o
                    break
            if target is not None:
                finer = d.place if self._within(d.place, target.place) else None
                _absorb(target, d)
                if finer is not None:
                    target.place = finer  # "Baghdad" then "Tayaran Square": the square
            else:
                out.append(d)
        return out

    def _within(self, inner: Place | None, outer: Place | None) -> bool:
        """Whether a place is a district of the city the other place is ("Mosul - Al-Zuhur" of
        Mosul)."""
        if inner is None or outer is None or not inner.gazetteer_id or not outer.gazetteer_id:
            return False
        entry = self.gazetteer.get(inner.gazetteer_id)
        return entry is not None and entry.parent == outer.gazetteer_id

    def _same_place(self, a: Place | None, b: Place | None) -> bool:
        """The same place, or a city and one of its districts (one incident told twice)."""
        if a is None or b is None:
            return False
        return a.name == b.name or self._within(a, b) or self._within(b, a)

    def _decide_type(self, d: _Draft) -> str:
        agents_kinds = {a.kind for a in d.agents}
        fitted: list[tuple[int, int, str]] = []  # (weight, -rank, sub-event type) per trigger
        for trig, _ in d.triggers:
            sub = trig.sub_event_type
            if sub is None:
                continue
            if (
                trig.requires_agent_kind
                and agents_kinds
                and not agents_kinds & set(trig.requires_agent_kind)
            ):
                sub = {
                    "Government regains territory": "Non-state actor overtakes territory",
                    "Non-state actor overtakes territory": "Government regains territory",
                    "Arrests": "Abduction/forced disappearance",
                }.get(sub, sub)
            fitted.append((trig.weight, -self.rank.get(sub, 99), sub))
        # The heaviest act; at equal weight the first in ACLED's order (max keeps the first).
        best = max(fitted, key=lambda f: f[:2]) if fitted else None
        captures = [f for f in fitted if f[2] in _CONTROL_TYPES and f[0] >= 3]
        if best is not None and best[2] == "Armed clash" and captures:
            # ACLED: a battle in which a place changes hands is coded as the change of control
            # ("recaptured the town after an offensive"); an advance, which weighs less, is not.
            best = max(captures, key=lambda f: f[:2])
        sub = best[2] if best else None
        text = " ".join(x.text for x in d.sentences).lower()
        for mod in self.theatre.modifiers:
            if sub in mod.from_types and any(
                re.search(rf"\b{re.escape(c.lower())}\b", text) for c in mod.cues
            ):
                sub = mod.to_type
        killed = bool(d.fatalities) or d.combined is not None or "fatalities" in d.outcomes
        armed_targets = [a for a in d.targets if a.kind in ARMED_KINDS]
        civilian_victims = any(a.kind == "civilians" for a in d.targets) or "civilians" in d.victims
        rules = self.theatre.outcome_rules
        # Wounding is violence too: "gunmen wounded two soldiers" is a clash, not a development.
        harmed = killed or bool(d.wounded) or "wounded" in d.outcomes
        if sub is None or (sub in _SD_TYPES and killed):
            if civilian_victims and not armed_targets and (harmed or sub is None):
                sub = rules.get("civilians_target", "Attack")
            elif harmed:
                sub = rules.get("two_armed_sides", "Armed clash")
            elif sub is None:
                sub = "Arrests" if d.arrests else "Change to group/activity"
        if killed and sub in self.theatre.when_killed:
            sub = self.theatre.when_killed[sub]  # the gravest act names the event (ACLED)
        armed_victims = bool({"state", "militants"} & d.victims) or any(
            v.startswith("actor:") for v in d.victims
        )
        if sub == "Attack" and (armed_targets or armed_victims) and not civilian_victims:
            sub = "Armed clash"  # ACLED: violence against armed, organised groups is a battle
        return self._protest_type(sub, f"{text} {d.after.lower()}", d)

    @functools.cached_property
    def _protest_patterns(self) -> dict[str, re.Pattern[str]]:
        """One pattern per group of protest words: any of them, as a whole word."""
        return {
            k: re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in words) + r")\b")
            for k, words in self.theatre.protest_rules.items()
            if words
        }

    def _protest_type(self, sub: str, text: str, d: _Draft) -> str:
        """Demonstrations by ACLED's questions: violent (riot), met with lethal force, dispersed, or
        peaceful. Applies when the text is about a crowd and no armed group fights in it."""
        rules = self.theatre.protest_rules
        if not rules or sub not in _CROWD_TYPES:
            return sub
        has = {k: bool(pattern.search(text)) for k, pattern in self._protest_patterns.items()}
        if not has.get("context"):
            return sub
        rebels = [a for a in d.agents + d.targets if a.kind == "rebel"]
        if rebels and not (has.get("intervention") and any(a.kind == "rebel" for a in d.agents)):
            return sub  # an armed group in the crowd's story, and it is not the one dispersing it
        if has.get("violence"):
            return "Violent demonstration"
        harmed = bool(d.fatalities or d.wounded) or bool({"fatalities", "wounded"} & d.outcomes)
        if has.get("force") or harmed:
            # Peaceful protesters killed or hurt: ACLED's excessive force against protesters.
            return "Excessive force against protesters"
        if has.get("intervention"):
            return "Protest with intervention"
        return "Peaceful protest"

    def _coalitions(
        self, agents: list[ActorEntry], targets: list[ActorEntry], allies: list[ActorEntry]
    ) -> tuple[list[ActorEntry], list[ActorEntry], list[ActorEntry]]:
        """A coalition named with its members stands in their place (ACLED: "Turkish forces and
        factions operating under OPS" are Operation Peace Spring), on the side they are on."""
        for coalition in [a for a in agents + targets + allies if a.members]:
            members = set(coalition.members)
            for side in (agents, targets):
                if any(a.id in members for a in side):
                    kept = [a for a in side if a.id not in members and a.id != coalition.id]
                    side[:] = [coalition, *kept]
            if any(a.id == coalition.id for a in agents + targets):
                allies = [a for a in allies if a.id != coalition.id and a.id not in members]
        return agents, targets, allies

    def _police(self, noun: Token) -> bool:
        """Whether a noun of the state's people or posts is the police's ("policemen", "a police
        checkpoint", "police officers")."""
        words = self._police_words
        if noun.lemma_.lower() in words or noun.lower_ in words:
            return True
        return any(
            c.dep_ in ("compound", "amod") and (c.lower_ in words or c.lemma_.lower() in words)
            for c in noun.children
        )

    def _intervening_force(self, d: _Draft) -> str | None:
        """'police' or 'state' when the state's people are the doers of a clause of the event
        ("police dispersed them", "troops fired tear gas", "dispersed by soldiers")."""
        doers = [
            t
            for x in d.sentences
            if x.doc is not None
            for said in [{verb.i for _, verb in speech_verbs(x)}]
            for t in x.doc
            if (t.dep_ == "nsubj" and t.head.i not in said)
            or (t.dep_ == "pobj" and t.head.dep_ == "agent")
        ]
        if any(self._police(t) for t in doers):
            return "police"
        if any(self._victim_group(t) == "state" for t in doers):
            return "state"
        return None

    def _state_hit(self, d: _Draft, country: str | None) -> ActorEntry | None:
        """The state's forces an event hit: the police when the text says so, else the army."""
        if _POLICE in d.victims:
            police = self._generic("police", country)
            if police is not None:
                return police
        return self._generic("state", country)

    def _generic(self, kind: str, country: str | None) -> ActorEntry | None:
        """ACLED's generic actors: Civilians (Country), Unidentified Armed Group (Country), and the
        state's military forces."""
        for a in self.theatre.actors:
            if a.parent is not None:
                continue
            if (
                kind in ("civilians", "protesters", "rioters")
                and a.kind == kind
                and "{country}" in a.name
            ):
                return a
            if kind == "unidentified" and a.name.startswith("Unidentified Armed Group"):
                return a
            if (
                kind in ("state", "police")
                and a.kind == "state"
                and a.country == country
                and any(
                    n.startswith("Military Forces" if kind == "state" else "Police Forces")
                    for _, _, n in a.names_by_period
                )
            ):
                return a
        return None

    def _finalise(
        self, ctx: DocumentContext, d: _Draft, claimant: ActorEntry | None
    ) -> Event | None:
        s0 = d.sentences[0]
        sub = self._decide_type(d)
        confidence = 0.45
        if self.classifier is not None:
            label, prob = self.classifier.predict_one(" ".join(x.text for x in d.sentences))
            if label and prob >= 0.5:
                sub, confidence = label, 0.3 + 0.6 * prob
        event_type = event_type_of(sub)
        place = d.place
        country_code = place.country_code if place else ctx.main_country()
        if place is None:
            if country_code is None or not d.date_from_text or d.time_precision != 1:
                return None
            place = self.gazetteer.resolve(_COUNTRY_NAMES.get(country_code, country_code))
            if place is None:
                return None
        date, precision = d.date, d.time_precision
        if date is None:
            # No date in the text: the report's week (ACLED's time precision 2).
            date, precision = ctx.document.published, 2
        year = date.year if date else ctx.year()

        agents, targets, allies = self._coalitions(list(d.agents), list(d.targets), list(d.allies))
        targets = [a for a in targets if all(a.id != x.id for x in agents)]
        allies = [a for a in allies if all(a.id != x.id for x in agents + targets)]
        if not targets and d.victims:
            # ACLED: civilians killed in a battle are counted in its toll, and the armed side hit is
            # actor 2; civilians are actor 2 only of violence against civilians or when alone.
            first: tuple[str, ...] = (
                ("civilians",) if event_type == "Violence against civilians" else ()
            )
            order = (*first, "state", "militants", "civilians")
            group = next((g for g in order if g in d.victims), next(iter(sorted(d.victims))))
            implied = {
                "civilians": self._generic("civilians", country_code),
                "state": self._state_hit(d, country_code),
                # The attackers killed are of the group named before, or of the group that
                # claimed the attack ("two assailants were killed ... IS claimed responsibility").
                "militants": ctx.last_armed_nonstate(s0.end) or claimant,
            }.get(group)
            if group.startswith("actor:"):  # "17 SDF fighters": the side the dead belonged to
                implied = self.theatre.actor_by_id.get(group.removeprefix("actor:"))
            if implied is not None and all(implied.id != a.id for a in agents):
                targets.append(implied)
        generic = all(a.name.startswith("Unidentified") for a in agents)
        if generic and claimant is not None and all(claimant.id != t.id for t in targets):
            # The group that claimed the attack, or that the report attributes it to, in place of
            # "assailants" or "gunmen".
            agents = [claimant]
        elif (
            claimant is not None
            and not targets
            and agents
            and all(a.kind in ("state", "external") for a in agents)
        ):
            # "Security forces destroyed two car bombs ... IS claimed the attack": the group
            # whose attack the forces met is the other side.
            targets = [claimant]
        if sub == "Government regains territory" and not any(a.kind == "state" for a in agents):
            state = self._generic("state", country_code)
            if state is not None:
                agents.insert(0, state)
        if (agents and not targets and sub in self.theatre.civilians_when_no_target) or (
            event_type == "Violence against civilians"
            and not any(t.kind == "civilians" for t in targets)
        ):
            civ = self._generic("civilians", country_code)
            if civ:
                targets = [civ]
        if not agents and targets and event_type != "Violence against civilians":
            armed = [t for t in targets if t.kind in ARMED_KINDS]
            if armed and len(targets) > 1:
                agents.append(armed[0])
                targets.remove(armed[0])

        if not agents and (
            (targets and event_type == "Violence against civilians")
            or event_type == "Explosions/Remote violence"
        ):
            # A bombing or killing with no named perpetrator: ACLED's "Unidentified Armed Group"
            # (a shell or a bomb was fired or laid by someone, even with nobody named as hit).
            unknown = self._generic("unidentified", country_code)
            if unknown is not None:
                agents.append(unknown)
        if (
            event_type == "Explosions/Remote violence"
            and "state" in d.victims
            and targets
            and all(t.kind == "civilians" for t in targets)
        ):
            # ACLED: the forces a bomb hit are actor 2; civilians it harmed too are associated.
            state = self._state_hit(d, country_code)
            if state is not None and all(state.id != a.id for a in agents):
                targets.insert(0, state)
        if not agents and targets:
            agents, targets = targets[:1], targets[1:]  # a one-sided event: its actor is actor1
        crowd = {"Protests": "protesters", "Riots": "rioters"}.get(event_type)
        crowd_actor = self._generic(crowd, country_code) if crowd else None
        if crowd_actor is not None:
            # ACLED names a crowd by what it does: "Protesters (Syria)", "Rioters (Iraq)", whoever
            # the report says they were (residents, graduates, workers).
            # Whoever else is named (police dispersing them, a group they attacked) is actor 2.
            people = ("civilians", "protesters", "rioters")
            others = [a for a in agents + targets if a.kind not in people]
            others = [o for i, o in enumerate(others) if o not in others[:i]]
            # A peaceful protest has no second side: whom it denounces is not a party to it.
            if not others and sub in (
                "Protest with intervention",
                "Excessive force against protesters",
            ):
                # "Police fired tear gas", "troops dispersed them": the state's forces of the
                # country intervened (actor 2), the police when the text says police.
                force = self._intervening_force(d)
                state = self._generic(force, country_code) if force else None
                others = [state] if state is not None else []
            agents, targets = [crowd_actor], (others if sub != "Peaceful protest" else [])
        month = date.month if date else 6

        def names(actors: list[ActorEntry], exclude: set[str]) -> list[str]:
            out: list[str] = []
            for a in actors:
                # Units keep ACLED's unit form ("Military Forces of Iraq (2022-) Peshmerga").
                n = a.acled_name(country_code, year, month)
                if n not in out and n not in exclude:
                    out.append(n)
            return out

        first1 = names(agents[:1], set())
        first2 = names(targets[:1], set(first1))
        rest1 = names(agents[1:] + allies, set(first1) | set(first2))
        rest2 = names(targets[1:], set(first1) | set(first2) | set(rest1))
        actor1 = first1[0] if first1 else None
        actor2 = first2[0] if first2 else None
        assoc1 = "; ".join(rest1) or None
        assoc2 = "; ".join(rest2) or None
        inter1 = self.theatre.root_of(agents[0]).inter if agents else None
        inter2 = self.theatre.root_of(targets[0]).inter if targets and actor2 else None

        fatal = _sum(d.fatalities)
        fat_best = fat_low = fat_high = None
        if fatal:
            fat_best, fat_low, fat_high = fatal
        if d.combined is not None:
            fat_best = fat_best or 0
            fat_low = fat_low if fat_low is not None else 0
            fat_high = max(fat_high or 0, d.combined + (fat_best or 0))
        bombers = self._uncounted_bombers(d) if sub == "Suicide bomb" else 0
        if bombers:
            # ACLED: the bombers are counted in a suicide bombing's fatalities; reports give the
            # victims ("in addition to the bomber, five people were killed").
            fat_best = (fat_best or 0) + bombers
            fat_low = fat_low + bombers if fat_low is not None else None
            fat_high = fat_high + bombers if fat_high is not None else None
        wounded = _sum(d.wounded)
        arrests = _sum(d.arrests)

        confidence += 0.15 if d.date_from_text else 0
        confidence += (
            0.15 if d.place_from_text and place.precision == 1 else 0.05 if d.place_from_text else 0
        )
        confidence += 0.1 if actor1 and actor2 else 0
        confidence += 0.05 if fatal or arrests else 0
        confidence = min(confidence, 0.95)

        spans: list[Evidence] = []
        seen: set[int] = set()
        for s in d.sentences:
            if s.index not in seen:
                seen.add(s.index)
                if len(spans) < MAX_EVIDENCE:
                    spans.append(ctx.evidence(s))
        key = f"{ctx.document.id}:{s0.start}:{sub}"
        event_id = "ev-" + hashlib.sha256(key.encode()).hexdigest()[:16]
        notes = _notes(
            date,
            precision,
            actor1,
            assoc1,
            sub,
            actor2,
            place,
            fat_best,
            fat_low,
            fat_high,
            arrests[0] if arrests else None,
            d.combined,
        )
        if len(seen) > MAX_EVIDENCE:
            notes += f" Evidence: the first {MAX_EVIDENCE} of the {len(seen):,} sentences that report it."

        return Event(
            id=event_id,
            document_id=ctx.document.id,
            event_type=event_type,
            sub_event_type=sub,
            date=date,
            time_precision=precision,
            actor1=actor1,
            actor2=actor2,
            assoc_actor1=assoc1,
            assoc_actor2=assoc2,
            inter1=inter1,
            inter2=inter2,
            place=place,
            fatalities=fat_best or 0,
            fatalities_low=fat_low,
            fatalities_high=fat_high,
            wounded=wounded[0] if wounded else None,
            arrests=arrests[0] if arrests else None,
            confidence=confidence,
            notes=notes,
            evidence=tuple(spans),
        )


#: Prepositions through which a noun is still what a verb acts on ("took control of the town",
#: "stormed into the village"); "took place in the town" acts on nothing.
_OBJECT_PREPS = frozenset({"of", "over", "into"})


def _words(theatre: Theatre, key: str) -> frozenset[str]:
    """A word list of the theatre's language.yaml, lower-cased, for membership tests."""
    return frozenset(str(w).lower() for w in theatre.language.get(key) or [])


def _cue_sub(cue: Cue) -> str | None:
    """The sub-event type a trigger, weapon or combination cue names."""
    data = cue.data.trigger if cue.kind == "combo" else cue.data
    return getattr(data, "sub_event_type", None)


def _object_of(tok: Token, verb: Token) -> bool:
    """Whether a noun is what ``verb`` acts on: its object, its passive subject, or joined to one
    ("the town and two villages", "control of the town"), not a noun of a place or time phrase."""
    cur = tok
    for _ in range(6):
        if cur.i == verb.i:
            return True
        if cur.dep_ == "pobj" and cur.head.lower_ not in _OBJECT_PREPS:
            return False
        if cur.dep_ == "nsubj" or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _main(trig: Trigger, tok: Token) -> Trigger:
    """A trigger of the main clause outweighs the same weight in a subordinate one: the main
    clause carries the event the text reports."""
    verb = governing_verb(tok)
    if verb.dep_ == "ROOT" and trig.sub_event_type is not None:
        return replace(trig, weight=trig.weight + 1)
    return trig


def _in_clause(tok: Token, verb: Token) -> bool:
    """True when a word belongs to the clause of ``verb`` and not to another clause with its own
    subject joined to it (a conjunct, a complement, an adverbial clause)."""
    cur = tok
    for _ in range(20):
        if cur.i == verb.i:
            return True
        if cur.head.i == cur.i:
            return False
        clause = cur.dep_ in ("conj", "ccomp", "advcl", "parataxis", "relcl", "acl")
        if (
            clause
            and cur.pos_ in ("VERB", "AUX")
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children)
        ):
            return False
        cur = cur.head
    return False


def _absorb(into: _Draft, other: _Draft) -> None:
    # A set of the sentences held: a long report of one incident told again and again merges
    # thousands of sentences, and a list lookup each time made that quadratic.
    if not into.held:
        into.held.update(x.index for x in into.sentences)
    for x in other.sentences:
        if x.index not in into.held:
            into.held.add(x.index)
            into.sentences.append(x)
    if not into.triggers:
        # A follow-up sentence adds figures and detail; the event's type stays the one of the
        # sentence that reported it ("booby-trapped houses" in a quote does not make a clash a bombing).
        into.triggers.extend(other.triggers)
    into.outcomes |= other.outcomes
    for src, dst in (
        (other.agents, into.agents),
        (other.targets, into.targets),
        (other.allies, into.allies),
    ):
        for a in src:
            if all(a.id != b.id for b in into.agents + into.targets + into.allies):
                dst.append(a)
    if into.place is None or (not into.place_from_text and other.place_from_text):
        into.place, into.place_from_text = other.place, other.place_from_text
    elif (
        other.place_from_text
        and other.place is not None
        and into.place.precision > other.place.precision
    ):
        into.place = other.place
    if into.date is None or (not into.date_from_text and other.date_from_text):
        into.date, into.time_precision, into.date_from_text = (
            other.date,
            other.time_precision,
            other.date_from_text,
        )
    for src_t, dst_t in (
        (other.fatalities, into.fatalities),
        (other.wounded, into.wounded),
        (other.arrests, into.arrests),
    ):
        for group, tally in src_t.items():
            if group in dst_t:
                dst_t[group].merge(tally)
            else:
                dst_t[group] = tally
    if other.combined is not None:
        into.combined = max(into.combined or 0, other.combined)
    into.victims |= other.victims
    into.spans.extend(other.spans)


#: A draft's victims include the police (beside "state"): the state's side hit is its police.
_POLICE = "state:police"

#: Separates a toll's source from its victim group in the keys of a draft's tallies.
_KEY_SEP = "\x1f"


def _sum(table: dict[str, _Tally]) -> tuple[int, int | None, int | None] | None:
    """The toll of an event: the groups of one source added up; several sources' tolls of one
    incident give the most conservative as best and their range as low/high (never their sum)."""
    if not table:
        return None
    by_source: dict[str, dict[str, _Tally]] = {}
    for key, tally in table.items():
        source, _, group = key.rpartition(_KEY_SEP)
        by_source.setdefault(source, {})[group] = tally
    extra = by_source.pop("+", {})
    if len(by_source) > 1:
        totals = [_total({**groups, **extra}) for groups in by_source.values()]
        best = min(t[0] for t in totals)
        low = min(t[1] if t[1] is not None else t[0] for t in totals)
        high = max(t[2] if t[2] is not None else t[0] for t in totals)
        return best, low, high
    return _total(table)


def _total(table: dict[str, _Tally]) -> tuple[int, int | None, int | None]:
    """One source's toll: its groups added up, with the range of each."""
    best = sum(t.best for t in table.values())
    lows = [t.low if t.low is not None else t.best for t in table.values()]
    highs = [t.high for t in table.values()]
    low = sum(lows) if any(t.low is not None for t in table.values()) else None
    high = (
        sum(h if h is not None else t.best for h, t in zip(highs, table.values(), strict=True))
        if any(h is not None for h in highs)
        else None
    )
    return best, low, high


def _notes(
    date: dt.date | None,
    precision: int,
    actor1: str | None,
    assoc1: str | None,
    sub: str,
    actor2: str | None,
    place: Place,
    fatalities: int | None,
    low: int | None,
    high: int | None,
    arrests: int | None,
    combined: int | None,
) -> str:
    """A one-line ACLED-style summary: "On 21 July 2019, <actor1> ... in <place> (<admin1>)."""
    when = ""
    if date:
        when = (
            f"On {date.day} {date:%B %Y}"
            if precision == 1
            else (
                f"Around the week of {date.day} {date:%B %Y}"
                if precision == 2
                else f"In {date:%B %Y}"
            )
        )
    who = actor1 or "Unidentified actors"
    if assoc1:
        who += f" (with {assoc1})"
    where = place.name
    if place.admin1 and place.admin1 != place.name:
        where += f" ({place.admin1}, {place.country})" if place.country else f" ({place.admin1})"
    head = f"{when}, {who}" if when else who
    parts = [f"{head}: {sub.lower()}" + (f" against {actor2}" if actor2 else "") + f" in {where}."]
    if fatalities:
        rng = (
            f" (reports range {low}-{high})"
            if low is not None and high is not None and low != high
            else ""
        )
        parts.append(f"{wording.count(fatalities, 'fatality', 'fatalities')}{rng}.")
    if arrests:
        parts.append(f"{arrests} arrested.")
    if combined is not None:
        parts.append(
            f"The report gives {combined} killed or arrested together without a split; "
            f"fatalities coded conservatively, the combined figure kept as the upper bound."
        )
    return " ".join(parts)


__all__ = ["Cue", "EventBuilder"]
