"""Classify a short text (a snippet, a headline, an ACLED note) into one event class.

The coder codes events that are dated and placed; a classifier answers a simpler question about any
text: which ACLED sub-event type does it report, or, when it reports none, which other kind of text is
it (a statement of responsibility, diplomacy, organised crime, a disaster; ``other_classes`` in
``events.yaml``). It uses the same triggers, factuality test and ACLED hierarchy as the coder, over
every sentence of the text, without requiring a date or a place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from harbinger.extract.coder import Coder
from harbinger.extract.context import DocumentContext
from harbinger.extract.events import TextClass
from harbinger.extract.trained import CONFIDENT
from harbinger.knowledge import read_yaml
from harbinger.knowledge.phrases import PhraseIndex
from harbinger.records import Document
from harbinger.taxonomy import case_label

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
        return [
            self._label(ctx.document.text, self.coder.events.classify(ctx), self._attribution(ctx))
            for ctx in contexts
        ]

    def _attribution(self, ctx: DocumentContext) -> str | None:
        """ATTRIB or DIPLO when the first sentence that speaks of responsibility or diplomacy is
        itself a claim, denial or accusation ("IS claimed responsibility for a car bomb") or a
        diplomatic act ("Canada announced new sanctions over the attack"): the text reports that
        statement, not the attack it refers to."""
        for s in ctx.sentences:
            labels = {p for h in self.others.find(s.text) for p in h.payloads} & set(_MAIN_VERBS)
            if not labels:
                continue
            doc = s.doc if s.doc is not None else self.coder.nlp(s.text)
            roots = {t.lemma_.lower() for t in doc if t.dep_ == "ROOT"}
            for label in sorted(labels):
                if roots & _MAIN_VERBS[label]:
                    return label
            return None
        return None

    def _label(self, text: str, found: TextClass, attribution: str | None = None) -> Label:
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
        intended = sub in _CROWD or sub == "Looting/property destruction"
        weak = found.weight <= _WEAK or (sub == "Chemical weapon" and not found.attack_words)
        if disaster and not found.armed and weak and not intended:
            # Deaths in a flood or a blast in a factory: no armed actor, no weapon named.
            best = max(disaster, key=lambda k: disaster[k])
            return Label(None, best, 0.6)
        if sub and factual:
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


def case_labels(classifier: SnippetClassifier, texts: Sequence[str]) -> list[str]:
    """CASE 2021 labels of texts (batched)."""
    return [label.case_label for label in classifier.classify_many(texts)]
