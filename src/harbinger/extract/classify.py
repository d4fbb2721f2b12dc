"""Classify a short text (a snippet, a headline, an ACLED note) into one event class.

The coder codes events that are dated and placed; a classifier answers a simpler question about any
text: which ACLED sub-event type does it report, or, when it reports none, which other kind of text is
it (a statement of responsibility, diplomacy, organised crime, a disaster; ``other_classes`` in
``events.yaml``). It uses the same triggers, factuality test and ACLED hierarchy as the coder, over
every sentence of the text, without requiring a date or a place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harbinger.extract.coder import Coder
from harbinger.extract.context import DocumentContext, Sentence
from harbinger.extract.events import TextClass
from harbinger.extract.trained import CONFIDENT
from harbinger.knowledge import read_yaml
from harbinger.knowledge.phrases import PhraseIndex, words_pattern
from harbinger.records import Document
from harbinger.taxonomy import case_label

if TYPE_CHECKING:
    from spacy.tokens import Token

#: The label of a text that shows no class at all.
NO_CLASS = "OTHER"
_DISASTERS = {"NATURAL_DISASTER", "MAN_MADE_DISASTER"}
#: Main verbs whose clause is itself the news: a statement of responsibility (CASE's ATTRIB:
#: claiming, accusing, denying) or a diplomatic act (DIPLO).
_MAIN_VERBS = {
    "ATTRIB": {"claim", "deny", "accuse", "blame", "take", "attribute", "hold", "describe", "reject"},
    "DIPLO": {"sanction", "expel", "summon", "recall", "condemn", "denounce", "urge", "impose",
              "unveil", "announce", "call", "praise", "welcome", "warn"},
}  # fmt: skip
#: Types that police work against crime resembles (arrests, seizures, raids).
_POLICE_TYPES = {
    "Arrests", "Disrupted weapons use", "Abduction/forced disappearance", "Change to group/activity",
    "Attack", "Looting/property destruction", "Armed clash", "Other", "Grenade",
}  # fmt: skip
_CROWD = {
    "Peaceful protest", "Protest with intervention", "Excessive force against protesters",
    "Violent demonstration", "Mob violence",
}  # fmt: skip
#: Triggers at or below this weight (generic blasts, bare outcomes) give way to disaster cues.
_WEAK = 3
#: Violence that needs someone armed or something made to harm: with neither an armed actor nor a
#: weapon named, a blast, a toxic cloud or a "battle" beside a disaster cue is an accident or a hazard
#: (gas cylinders explode, chlorine leaks from a plant).
_NEEDS_ARMS = {"Remote explosive/landmine/IED", "Chemical weapon", "Armed clash"}
#: Acts that are meant by those who do them: a kidnapping is never a disaster, whatever disaster
#: word stands beside it ("as cases of disappearances climb"). (Arrests are left out: police act
#: after an accident, and "captured" also takes footage.)
_INTENDED = {
    *_CROWD, "Looting/property destruction", "Abduction/forced disappearance", "Sexual violence",
}  # fmt: skip
#: The ACLED sub-event type of displacement caused by fighting (ACLED: Other).
_DISPLACEMENT = "Other"


@dataclass(frozen=True, slots=True)
class Label:
    """A text's class: an ACLED sub-event type, or a non-ACLED class, with a confidence."""

    sub_event_type: str | None
    other: str | None
    confidence: float

    @property
    def case_label(self) -> str:
        """The CASE 2021 label (ACLED sub-event types map one-to-one, see the taxonomy file)."""
        if self.sub_event_type:
            return case_label(self.sub_event_type)
        return self.other or NO_CLASS


class SnippetClassifier:
    """Classifies texts with a coder's knowledge. Build once, reuse."""

    def __init__(self, coder: Coder) -> None:
        self.coder = coder
        events = read_yaml(coder.theatre.path / "events.yaml")
        self.others: PhraseIndex[str] = PhraseIndex()
        for label, words in (events.get("other_classes") or {}).items():
            for w in words:
                self.others.add(str(w), str(label))
        rules = coder.theatre.protest_rules
        # ACLED's protest questions, each a group of words matched as whole words.
        self.protest: dict[str, re.Pattern[str]] = {
            key: words_pattern(rules.get(key, ()))
            for key in ("context", "violence", "force", "intervention")
        }
        harm = [w for k in ("fatalities", "wounded") for w in coder.theatre.outcomes.get(k, ())]
        self.harm = words_pattern(harm)
        self.cause = {w.lower() for w in rules.get("cause", ())}
        self.crowd_words = {w.lower() for w in rules.get("context", ())}
        # The weapons the triggers name (bomb, rocket, drone): a text naming one speaks of an attack.
        self.weapons: PhraseIndex[str] = PhraseIndex()
        for trigger in coder.theatre.triggers:
            for w in trigger.weapon_words:
                self.weapons.add(w, trigger.id)

    def classify(self, text: str) -> Label:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Iterable[str]) -> list[Label]:
        items = list(texts)
        labels = self._by_patterns(items)
        model = self.coder.events.classifier
        if model is None:
            return labels
        # A trained model (``--model``) decides where it is confident; the patterns elsewhere.
        return [
            Label(sub, None, prob) if prob >= CONFIDENT else label
            for label, (sub, prob) in zip(labels, model.predict_many(items), strict=True)
        ]

    def _by_patterns(self, texts: Iterable[str]) -> list[Label]:
        docs = [
            Document(id=hashlib.sha256(t.encode()).hexdigest(), source="<snippet>", text=t)
            for t in texts
        ]
        contexts = [self.coder.prepare(d, force=True) for d in docs]
        self.coder.parse(contexts)
        labels = []
        for ctx in contexts:
            found = self.coder.events.classify(ctx)
            labels.append(
                self._label(
                    ctx.document.text,
                    found,
                    self._attribution(ctx),
                    self._displaced(ctx),
                    self._crowd(ctx, found.sub_event_type),
                )
            )
        return labels

    def _attribution(self, ctx: DocumentContext) -> str | None:
        """ATTRIB or DIPLO when the first sentence that speaks of responsibility or diplomacy is
        itself a claim, denial or accusation ("IS claimed responsibility for a car bomb") or a
        diplomatic act ("Canada announced new sanctions over the attack"): the text reports that
        statement, not the attack it refers to. A text that first reports an event and then what
        someone said of it reports the event; an accusation of a crime ("accused of robbery") is
        news of the crime, not a statement of responsibility for an attack."""
        for s in ctx.sentences:
            found = {p for h in self.others.find(s.text) for p in h.payloads}
            labels = found & set(_MAIN_VERBS)
            if not labels:
                if _reports_event(s):
                    return None
                continue
            if "ORG_CRIME" in found:
                labels.discard("ATTRIB")
            doc = s.doc if s.doc is not None else self.coder.nlp(s.text)
            roots = {t.lemma_.lower() for t in doc if t.dep_ == "ROOT"}
            for label in sorted(labels):
                if roots & _MAIN_VERBS[label]:
                    return label
            return None
        return None

    def _displaced(self, ctx: DocumentContext) -> bool:
        """Whether the first sentence's main verb is itself displacement ("Thousands have fled the
        city after ...") done by people who are not an armed group: ACLED codes displacement
        caused by fighting as Other, and the fighting named in the subordinate clause is its cause,
        not the news. Fighters who flee are part of the battle."""
        for s in ctx.sentences:
            if s.doc is None:
                continue
            root = next((t for t in s.doc if t.dep_ == "ROOT"), None)
            if root is None:
                return False
            if not _displacement_word(s, root):
                # "..., the UN said": the reported clause is the news.
                root = next((c for c in root.children if c.dep_ == "ccomp"), root)
                if not _displacement_word(s, root):
                    return False
            subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
            armed_nouns = self.coder.theatre.attack_targets.get("armed", frozenset())
            for subj in subjects:
                if subj.lemma_.lower() in armed_nouns or subj.lower_ in armed_nouns:
                    return False  # "the militants fled": a retreat, part of the fighting
                lo, hi = s.start + subj.left_edge.idx, s.start + subj.right_edge.idx + 1
                for h in s.actors:
                    actor = ctx.resolve(h)
                    if lo <= h.start < hi and actor is not None and actor.armed:
                        return False
            return bool(subjects)
        return False

    def _crowd(self, ctx: DocumentContext, coded: str | None) -> str | None:
        """ACLED's protest questions asked of the whole snippet (it reports one gathering, and the
        stones may be thrown a sentence after the march), leaving out the grievance: what the
        crowd demands, mourns or marches against is no act of this protest. Deaths and injuries
        count when the coder found them in the protest's own sentences (``coded``) and they are
        not the grievance. None when the text speaks of no crowd."""
        text = " ".join(self._without_cause(s) for s in ctx.sentences).lower()
        if not self.protest["context"].search(text):
            return None
        if self.protest["violence"].search(text):
            return "Violent demonstration"
        harmed = coded == "Excessive force against protesters" and self.harm.search(text)
        if self.protest["force"].search(text) or harmed:
            return "Excessive force against protesters"
        if self.protest["intervention"].search(text):
            return "Protest with intervention"
        return "Peaceful protest"

    def _without_cause(self, s: Sentence) -> str:
        """A sentence with its grievance phrases blanked out (see ``protest_rules.cause``)."""
        if s.doc is None:
            return s.text
        chars = list(s.text)
        for tok in s.doc:
            if tok.lower_ not in self.cause:
                continue
            if tok.dep_ == "prep":
                # "demonstrations against gun violence": only a grievance of a crowd word.
                if tok.head.lower_ not in self.crowd_words and tok.head.lemma_ not in self.cause:
                    continue
                parts = [tok]
            elif tok.pos_ == "VERB":
                # What is demanded or mourned ("demanding justice for ..."); of a protest verb only
                # its object: "protested in the square where police fired" keeps its force.
                deps = {"dobj"} if tok.lower_ in self.crowd_words else _COMPLEMENTS
                parts = [c for c in tok.children if c.dep_ in deps]
            else:
                continue
            for part in parts:
                for t in part.subtree:
                    if t.i != tok.i:
                        chars[t.idx : t.idx + len(t)] = " " * len(t)
        return "".join(chars)

    def _label(
        self,
        text: str,
        found: TextClass,
        attribution: str | None = None,
        displaced: bool = False,
        crowd: str | None = None,
    ) -> Label:
        sub, confidence, factual = found.sub_event_type, found.confidence, found.factual
        others = self._others(text)
        if attribution == "ATTRIB" or (
            attribution == "DIPLO" and not (factual and sub in ("Agreement",))
        ):
            # A ceasefire announced is still an agreement; sanctions announced are diplomacy.
            return Label(None, attribution, 0.6)
        if "ORG_CRIME" in others and not found.nonstate and (sub is None or sub in _POLICE_TYPES):
            # Police work against crime: ACLED codes no political event here.
            return Label(None, "ORG_CRIME", 0.5)
        disaster = {k: v for k, v in others.items() if k in _DISASTERS}
        intended = sub in _INTENDED
        weak = (
            found.weight <= _WEAK
            or (sub == "Chemical weapon" and not found.attack_words)
            or (sub in _NEEDS_ARMS and not self.weapons.find(text))
        )
        if disaster and not found.armed and weak and not intended:
            # Deaths in a flood or a blast in a factory: no armed actor, no weapon named.
            best = max(disaster, key=lambda k: disaster[k])
            return Label(None, best, 0.6)
        if displaced:
            return Label(_DISPLACEMENT, None, 0.6)
        if sub and factual:
            if sub in _CROWD and crowd is not None:
                sub = crowd
            return Label(sub, None, confidence)
        if others:
            best = max(others, key=lambda k: others[k])
            return Label(None, best, min(0.3 + 0.1 * others[best], 0.8))
        if sub:
            return Label(sub, None, confidence * 0.6)
        return Label(None, None, 0.0)

    def _others(self, text: str) -> dict[str, int]:
        scores: dict[str, int] = {}
        for hit in self.others.find(text):
            for label in hit.payloads:
                scores[label] = scores.get(label, 0) + 1
        return scores


#: The dependents of a verb that say what it is about (its grievance when it is a protest's).
_COMPLEMENTS = {"dobj", "prep", "xcomp", "ccomp"}


def _reports_event(s: Sentence) -> bool:
    """Whether a sentence names an act of ACLED's (a trigger or a weapon in use)."""
    return any(c.kind in ("trigger", "weapon", "combo") for h in s.events for c in h.cues)


def _displacement_word(s: Sentence, tok: Token) -> bool:
    """Whether a token is a trigger of displacement (fled, displaced: ACLED's Other)."""
    at = s.start + tok.idx
    return any(
        h.start <= at < h.end
        and any(c.kind == "trigger" and c.data.sub_event_type == _DISPLACEMENT for c in h.cues)
        for h in s.events
    )


def case_labels(classifier: SnippetClassifier, texts: Sequence[str]) -> list[str]:
    """CASE 2021 labels of texts (batched)."""
    return [label.case_label for label in classifier.classify_many(texts)]
