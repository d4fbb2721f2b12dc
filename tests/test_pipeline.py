"""The coder's spaCy pipeline sets what spaCy's own components would, only faster.

The memoised attribute ruler and lemmatizer are checked against spaCy's AttributeRuler and
Lemmatizer, token by token, and ``ner`` over windows around the speakers who may be named persons
against ``ner`` over every statement (the same claims). The actor ruler is checked against an
EntityRuler in test_scale.py.
"""

from __future__ import annotations

from typing import Any

import pytest
import spacy

from harbinger.extract.coder import ATTRIBUTE_RULER, LEMMATIZER, Coder, load_pipeline
from harbinger.extract.context import Sentence
from harbinger.ingest import iter_documents
from harbinger.records import Document
from tests.helpers import EXAMPLES, SAMPLE, coder

#: Sentences our examples lack: contractions the ruler's multi-token rules are about, spaces.
ODD_TEXTS = [
    "I ai n't gon na wait , y' all , and we wanna  leave   now.",
    "Let 's see what they 've done.\n\nThe mayor's office said  so.",
    "He can't and won't say; she 's gotta go.",
]


def _texts() -> list[str]:
    docs = [d for d in iter_documents([EXAMPLES]) if isinstance(d, Document)]
    texts = [d.text for d in docs] + ODD_TEXTS
    if SAMPLE.exists():
        texts.append(SAMPLE.read_text(encoding="utf-8"))
    return texts


def _annotations(doc: Any) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_memoised_attribute_ruler_and_lemmatizer_set_what_spacys_set() -> None:
    model = coder().settings.spacy_model
    ours = load_pipeline(model, coder().settings.theatre)
    assert ATTRIBUTE_RULER in ours.pipe_names and "attribute_ruler" not in ours.pipe_names
    assert LEMMATIZER in ours.pipe_names and "lemmatizer" not in ours.pipe_names
    theirs = spacy.load(model, exclude=["ner"])
    texts = _texts()
    entity = ["ner", "harbinger_actor_ruler"]
    mine = [_annotations(d) for d in ours.pipe(texts, disable=entity)]
    spacys = [_annotations(d) for d in theirs.pipe(texts)]
    assert sum(len(d) for d in mine) > 1500
    assert mine == spacys
    # The rules over several tokens were exercised: "gon na" has the lemmas "go" and "to".
    odd = mine[len(texts) - len(ODD_TEXTS) - int(SAMPLE.exists())]
    assert [a[4] for a in odd if a[0] in ("gon", "na")] == ["go", "to"]


def test_ner_only_where_a_speaker_may_be_a_person_gives_the_same_claims(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = [d for d in iter_documents([EXAMPLES]) if isinstance(d, Document)]
    if SAMPLE.exists():
        docs += [d for d in iter_documents([SAMPLE]) if isinstance(d, Document)]
    asked: list[tuple[int, list[tuple[int, int]]]] = []
    real = Coder._ner_windows

    def counting(self: Coder, s: Sentence) -> list[tuple[int, int]]:
        answer = real(self, s)
        asked.append((len(s.doc or ()), answer))
        return answer

    monkeypatch.setattr(Coder, "_ner_windows", counting)
    fast = [c.to_dict()["claims"] for c in Coder().code_many(docs)]
    assert any(not windows for _, windows in asked)  # statements that need no ner
    # ... and windows shorter than their sentence.
    assert any(windows and sum(b - a for a, b in windows) < n for n, windows in asked)
    monkeypatch.setattr(Coder, "_ner_windows", lambda self, s: [(0, len(s.doc))])
    every = [c.to_dict()["claims"] for c in Coder().code_many(docs)]
    assert sum(len(c) for c in every) >= 5
    assert fast == every
