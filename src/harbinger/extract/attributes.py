"""spaCy's attribute ruler and lemmatizer, asked once per distinct word and not once per token.

The attribute ruler of the English pipelines maps each fine-grained tag to its part of speech and
morphology and sets lemma and morphology exceptions: 179 rules in en_core_web_sm, tried by spaCy's
``Matcher`` at every token, which made it as slow as the tagger and parser together (30 µs a
token). Nearly all the rules test one token, and only its words, tag and dependency label; their
outcome for a token is then a function of (word, tag, label), which repeats all the time in news.
:class:`MemoAttributeRuler` asks the ruler's own rules once per such triple (on a document of the
new triples of a sentence, each word given its tag and label) and remembers which rules matched; rules over several
tokens still go through a ``Matcher`` over the whole sentence. The matches are then applied in the
ruler's order (later rules take precedence), so the annotations are the ruler's own (tested against
it token by token). A ruler whose single-token rules read anything else is used as it is.

The rule lemmatizer likewise gives a word's lemma from its text, part of speech and morphology
alone, but remembers only some of them (not the base forms, most nouns) and pays Python's price per
token for the rest; :class:`MemoLemmatizer` remembers every answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc

#: Token attributes a single-token rule may test for its outcome to depend on (word, tag, label)
#: alone: the word fixes ORTH, TEXT, LOWER and IS_SPACE.
_WORD_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "IS_SPACE", "TAG", "DEP"})


def _single_token(pattern: list[dict[str, Any]]) -> bool:
    return len(pattern) == 1 and "OP" not in pattern[0]


class MemoAttributeRuler:
    """Sets what ``ruler`` sets, with its single-token rules matched once per (word, tag, label)."""

    #: Words remembered before the memory is dropped (running text brings new words forever).
    LIMIT = 200_000

    @staticmethod
    def memoisable(ruler: object) -> bool:
        """Whether ``ruler`` is spaCy's attribute ruler and its single-token rules read only the
        word, the tag and the label."""
        from spacy.pipeline import AttributeRuler

        if not isinstance(ruler, AttributeRuler):
            return False
        for key in range(len(ruler.attrs)):
            _, patterns = ruler.matcher.get(str(key))
            for pattern in patterns:
                if _single_token(pattern) and not set(pattern[0]) <= _WORD_ATTRS:
                    return False
        return True

    def __init__(self, nlp: Language, ruler: AttributeRuler) -> None:
        from spacy.matcher import Matcher

        self.vocab = nlp.vocab
        self.ruler = ruler
        self._single = Matcher(nlp.vocab)
        self._multi = Matcher(nlp.vocab)
        # The first words of the rules over several tokens: a sentence where no word could begin
        # one ("gon na", "there is") need not be matched against them.
        self._starts = Matcher(nlp.vocab)
        self._always_multi = False
        for key in range(len(ruler.attrs)):
            _, patterns = ruler.matcher.get(str(key))
            single = [p for p in patterns if _single_token(p)]
            multi = [p for p in patterns if not _single_token(p)]
            if single:
                self._single.add(str(key), single)
            if multi:
                self._multi.add(str(key), multi)
                firsts = [[p[0]] for p in multi]
                if any(not _single_token(f) or not set(f[0]) <= _WORD_ATTRS for f in firsts):
                    self._always_multi = True
                self._starts.add(str(key), firsts)
        self._keys: dict[int, int] = {}  # match id -> the rule's number (its precedence)
        # (word, tag, label) -> the single-token rules that match, and whether a longer one may
        # begin there.
        self._memo: dict[tuple[int, int, int], tuple[tuple[int, ...], bool]] = {}

    def _rule(self, match_id: int) -> int:
        number = self._keys.get(match_id)
        if number is None:
            number = self._keys[match_id] = int(self.vocab.strings[match_id])
        return number

    def _learn(
        self, keys: list[tuple[int, int, int]]
    ) -> dict[tuple[int, int, int], tuple[tuple[int, ...], bool]]:
        """Ask the single-token rules about new (word, tag, label) triples, all in one document:
        a single-token rule reads one token, so its matches are those of a document of one."""
        from spacy.tokens import Doc

        if len(self._memo) + len(keys) > self.LIMIT:
            self._memo.clear()
        words = [self.vocab.strings[orth] for orth, _, _ in keys]
        probe = Doc(self.vocab, words=words, spaces=[True] * len(words))
        for token, (_, tag, dep) in zip(probe, keys, strict=True):
            token.tag = tag
            token.dep = dep
        rules: list[set[int]] = [set() for _ in keys]
        for match_id, start, _end in self._single(probe, allow_missing=True, as_spans=False):
            rules[start].add(self._rule(match_id))
        starts = {s for _, s, _ in self._starts(probe, allow_missing=True, as_spans=False)}
        learned = {key: (tuple(sorted(rules[i])), i in starts) for i, key in enumerate(keys)}
        self._memo.update(learned)
        return learned

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs  # what the ruler itself calls

        keys = [(token.orth, token.tag, token.dep) for token in doc]
        # The answers for this document, kept here: another thread may clear the memory meanwhile.
        answers = {key: self._memo.get(key) for key in keys}
        new = [key for key, known in answers.items() if known is None]
        if new:
            answers.update(self._learn(new))
        matches: list[tuple[int, int, int]] = []
        may_start = self._always_multi
        for i, key in enumerate(keys):
            known = answers[key]
            assert known is not None
            rules, starts = known
            may_start = may_start or starts
            matches.extend((r, i, i + 1) for r in rules)
        if may_start and len(self._multi):
            found = self._multi(doc, allow_missing=True, as_spans=False)
            matches.extend((self._rule(m), s, e) for m, s, e in found)
        matches.sort()
        attrs, indices = self.ruler.attrs, self.ruler.indices
        for rule, start, end in matches:
            index = indices[rule]
            at = (start if index >= 0 else end) + index
            if not start <= at < end:
                raise ValueError(
                    f"attribute rule {rule} sets token {index} of a match of {end - start} tokens"
                )
            set_token_attrs(doc[at], attrs[rule])
        return doc

    def pipe(self, stream: Any, batch_size: int = 128) -> Any:
        del batch_size
        for doc in stream:
            yield self(doc)


class MemoLemmatizer:
    """Sets what spaCy's rule or lookup ``lemmatizer`` sets, asking it once per (word, part of
    speech, morphology), on which alone its answer depends in those modes."""

    #: Answers remembered before the memory is dropped (running text brings new words forever).
    LIMIT = 200_000

    def __init__(self, nlp: Language, lemmatizer: Any) -> None:
        self.vocab = nlp.vocab
        self.lemmatizer = lemmatizer
        self._memo: dict[tuple[int, int, int], int] = {}
        # The rule lemmatizer asks whether a candidate lemma is a known word of its part of speech
        # with ``in`` on the lists of its "lemma_index" table (57,528 nouns): a scan per question.
        # The same words as sets answer the same, at once; the table is this pipeline's own copy.
        if lemmatizer.mode == "rule" and lemmatizer.lookups.has_table("lemma_index"):
            table = lemmatizer.lookups.get_table("lemma_index")
            for key, words in list(table.items()):
                if isinstance(words, list):
                    table[key] = frozenset(words)

    @staticmethod
    def memoisable(lemmatizer: object) -> bool:
        from spacy.pipeline import Lemmatizer

        return isinstance(lemmatizer, Lemmatizer) and lemmatizer.mode in ("rule", "lookup")

    def __call__(self, doc: Doc) -> Doc:
        memo = self._memo
        overwrite = self.lemmatizer.overwrite
        for token in doc:
            if overwrite or token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
                lemma = memo.get(key)
                if lemma is None:
                    if len(memo) >= self.LIMIT:
                        memo.clear()
                    text = self.lemmatizer.lemmatize(token)[0]
                    lemma = memo[key] = self.vocab.strings.add(text)
                token.lemma = lemma
        return doc

    def pipe(self, stream: Any, batch_size: int = 128) -> Any:
        del batch_size
        for doc in stream:
            yield self(doc)
