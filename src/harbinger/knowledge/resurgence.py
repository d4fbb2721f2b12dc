"""The resurgence knowledge of a theatre: the insurgent repertoire and the weights of the signals.

``resurgence.yaml`` beside the theatre's other files lists the tactics of an insurgency rebuilding
itself (each with ACLED sub-event types, words and target words that mark an event as that tactic),
the words of text signals (prison breaks), the leadership values that mean "at large", and the
weights with which ``harbinger.analyze.resurgence`` combines its signals. ``load_resurgence`` reads
and validates it once; a bad file raises ``KnowledgeError`` naming the file and the entry.
``Repertoire.tactics_of`` finds the tactics of one event with the knowledge's phrase index (whole
words, case and accents ignored), so the words stay data and a second language is more words.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harbinger.errors import KnowledgeError
from harbinger.knowledge import _str_list, read_yaml, theatre_dir
from harbinger.knowledge.phrases import PhraseIndex
from harbinger.taxonomy import is_sub_event_type

__all__ = [
    "EVENT_SIGNALS",
    "TEXT_SIGNALS",
    "Repertoire",
    "ResurgenceKnowledge",
    "Tactic",
    "load_resurgence",
    "parse_resurgence",
]

FILE = "resurgence.yaml"
#: The event signals, whose weights the file must give.
EVENT_SIGNALS = ("activity", "fatalities", "spread", "repertoire", "claims")
#: The text signals, whose weights the file must give (under ``weights.text``).
TEXT_SIGNALS = (
    "prison_break",
    "withdrawal",
    "strength_rising",
    "strength",
    "regrouping",
    "tactics_reported",
    "leaders_at_large",
    "warning_statements",
    "reassurances",
)


@dataclass(frozen=True, slots=True)
class Tactic:
    """One tactic of the insurgent repertoire and what marks an event as it."""

    id: str
    label: str
    sub_event_types: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    target_sub_event_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Repertoire:
    """The tactics, with a phrase index over their words and target words."""

    tactics: tuple[Tactic, ...]
    _index: PhraseIndex[tuple[str, str]] = field(repr=False, compare=False)

    @classmethod
    def of(cls, tactics: Iterable[Tactic]) -> Repertoire:
        tactics = tuple(tactics)
        index: PhraseIndex[tuple[str, str]] = PhraseIndex()
        for t in tactics:
            index.add_all((w, (t.id, "word"), False) for w in t.words)
            index.add_all((w, (t.id, "target"), False) for w in t.targets)
        return cls(tactics, index)

    def label(self, tactic_id: str) -> str:
        return next((t.label for t in self.tactics if t.id == tactic_id), tactic_id)

    def tactics_of(self, sub_event_type: str, texts: Iterable[str]) -> tuple[str, ...]:
        """The ids of the tactics an event shows, in the file's order (empty when none)."""
        found: set[str] = {t.id for t in self.tactics if sub_event_type in t.sub_event_types}
        for text in texts:
            if not text:
                continue
            for hit in self._index.find(text):
                for tactic_id, how in hit.payloads:
                    # A target word counts only in the events its tactic names (a mukhtar shot).
                    targets = self._tactic(tactic_id).target_sub_event_types
                    if how == "word" or sub_event_type in targets:
                        found.add(tactic_id)
        return tuple(t.id for t in self.tactics if t.id in found)

    def _tactic(self, tactic_id: str) -> Tactic:
        return next(t for t in self.tactics if t.id == tactic_id)


@dataclass(frozen=True)
class ResurgenceKnowledge:
    """A theatre's resurgence file, validated."""

    repertoire: Repertoire
    #: Text-signal kind -> its words (``prison_break``).
    text_words: Mapping[str, tuple[str, ...]]
    #: Leadership indicator values meaning a leader is at large.
    leaders_at_large: frozenset[str]
    #: Signal -> weight: the event signals and ``text:<kind>`` for each text signal.
    weights: Mapping[str, float]
    #: The most text signals add to a score together.
    text_cap: float
    _text_index: PhraseIndex[str] = field(repr=False, compare=False)

    def text_kinds(self, text: str) -> tuple[str, ...]:
        """The text-signal kinds whose words a sentence holds (``prison_break``)."""
        kinds: list[str] = []
        for hit in self._text_index.find(text):
            kinds.extend(k for k in hit.payloads if k not in kinds)
        return tuple(kinds)


def _weight(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise KnowledgeError(f"{where}: a weight must be a number of 0 or more, got {value!r}")
    return float(value)


def _sub_types(value: Any, where: str) -> frozenset[str]:
    names = _str_list(value, where)
    for name in names:
        if not is_sub_event_type(name):
            raise KnowledgeError(
                f"{where}: {name!r} is not an ACLED sub-event type; use one of the taxonomy's names"
            )
    return frozenset(names)


def _tactic(raw: Any, where: str) -> Tactic:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: expected a mapping with id, label and words")
    unknown = set(raw) - {
        "id",
        "label",
        "sub_event_types",
        "words",
        "targets",
        "target_sub_event_types",
    }
    if unknown:
        raise KnowledgeError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    tactic_id, label = raw.get("id"), raw.get("label")
    if not isinstance(tactic_id, str) or not tactic_id or not isinstance(label, str) or not label:
        raise KnowledgeError(f"{where}: every tactic needs an id and a label")
    where = f"{where} ({tactic_id})"
    tactic = Tactic(
        id=tactic_id,
        label=label,
        sub_event_types=_sub_types(raw.get("sub_event_types"), f"{where}: sub_event_types"),
        words=_str_list(raw.get("words"), f"{where}: words"),
        targets=_str_list(raw.get("targets"), f"{where}: targets"),
        target_sub_event_types=_sub_types(
            raw.get("target_sub_event_types"), f"{where}: target_sub_event_types"
        ),
    )
    if not (tactic.sub_event_types or tactic.words or tactic.targets):
        raise KnowledgeError(f"{where}: give sub_event_types, words or targets")
    if tactic.targets and not tactic.target_sub_event_types:
        raise KnowledgeError(
            f"{where}: targets need target_sub_event_types (the events in which a target counts)"
        )
    return tactic


def parse_resurgence(data: Mapping[str, Any], source: str) -> ResurgenceKnowledge:
    """The resurgence knowledge from a parsed file (``source`` names it in errors)."""
    raw_tactics = data.get("tactics")
    if not isinstance(raw_tactics, list) or not raw_tactics:
        raise KnowledgeError(f"{source}: needs a list 'tactics'")
    tactics = [_tactic(t, f"{source}: tactic {i + 1}") for i, t in enumerate(raw_tactics)]
    ids = [t.id for t in tactics]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise KnowledgeError(f"{source}: tactic id(s) listed twice: {', '.join(duplicates)}")
    raw_words = data.get("text_words") or {}
    if not isinstance(raw_words, dict):
        raise KnowledgeError(f"{source}: text_words must map a kind to a list of words")
    text_words = {str(k): _str_list(v, f"{source}: text_words: {k}") for k, v in raw_words.items()}
    text_index: PhraseIndex[str] = PhraseIndex()
    for kind, words in text_words.items():
        text_index.add_all((w, kind, False) for w in words)
    raw_weights = data.get("weights")
    if not isinstance(raw_weights, dict) or not isinstance(raw_weights.get("text"), dict):
        raise KnowledgeError(f"{source}: needs 'weights' with the event signals and 'text'")
    weights: dict[str, float] = {}
    for name in EVENT_SIGNALS:
        if name not in raw_weights:
            raise KnowledgeError(f"{source}: weights: '{name}' is missing")
        weights[name] = _weight(raw_weights[name], f"{source}: weights: {name}")
    raw_text = raw_weights["text"]
    for name in TEXT_SIGNALS:
        if name not in raw_text:
            raise KnowledgeError(f"{source}: weights: text: '{name}' is missing")
        weights[f"text:{name}"] = _weight(raw_text[name], f"{source}: weights: text: {name}")
    extra = (set(raw_weights) - {*EVENT_SIGNALS, "text", "text_cap"}) | (
        set(raw_text) - set(TEXT_SIGNALS)
    )
    if extra:
        raise KnowledgeError(f"{source}: weights: unknown signal(s) {', '.join(sorted(extra))}")
    return ResurgenceKnowledge(
        repertoire=Repertoire.of(tactics),
        text_words=text_words,
        leaders_at_large=frozenset(
            v.casefold() for v in _str_list(data.get("leaders_at_large"), f"{source}: leaders")
        ),
        weights=weights,
        text_cap=_weight(raw_weights.get("text_cap", 1.5), f"{source}: weights: text_cap"),
        _text_index=text_index,
    )


@functools.lru_cache(maxsize=4)
def load_resurgence(theatre: str = "iraq_syria") -> ResurgenceKnowledge:
    """The theatre's ``resurgence.yaml``, read and validated once."""
    path = theatre_dir(theatre) / FILE
    data = read_yaml(path)
    if data.get("version") != 1:
        raise KnowledgeError(f"{path}: version must be 1")
    return parse_resurgence(data, str(path))
