"""Small questions asked of a spaCy dependency parse: which verb governs a word, did it happen,
which role does a phrase play in the clause (agent, target, ally).

These read Universal-Dependencies-style labels of spaCy's English models (ClearNLP scheme: nsubj,
nsubjpass, dobj, pobj, agent, conj, ccomp, xcomp, advcl, aux, neg).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

_PAST_TAGS = {"VBD", "VBN"}
_MODALS = {"will", "would", "could", "may", "might", "can", "should", "must", "shall", "'ll", "wo"}
_NEG_WORDS = {"not", "n't", "never", "no", "none", "neither", "nor", "nobody"}
# Prepositions that introduce the target of an action ("attack on", "operations against").
TARGET_PREPS = {"against", "on", "at", "targeting", "of", "for", "upon", "into", "in", "from"}
# Verbs whose "with" introduces the other side, not an ally ("clashed with").
RECIPROCAL_VERBS = {"clash", "fight", "battle", "engage", "skirmish", "exchange", "trade", "spar"}
# Verbs that speak about an event reported elsewhere ("claimed responsibility for the attack",
# "condemned the bombing"): a trigger under them is a reference, not a new report.
_REFERENCE_LEMMAS = {"condemn", "blame", "accuse", "investigate", "mourn", "denounce",
                     "praise", "commemorate", "remember", "recall"}  # fmt: skip
# Verbs whose complement is reported as untrue: what they deny did not happen.
_DENIAL_LEMMAS = {"deny", "reject", "dismiss", "refute", "rule"}
# Prepositions and participles that introduce an ally ("with the support of", "backed by").
ALLY_WORDS = {"support", "backing", "help", "assistance", "cover", "backed", "supported", "aided",
              "alongside", "with"}  # fmt: skip


def governing_verb(tok: Token) -> Token:
    """The nearest verb above a word (the word itself if it is a verb), or the root."""
    cur = tok
    for _ in range(12):
        if cur.pos_ in ("VERB", "AUX") or cur.tag_.startswith("VB"):
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _negated(tok: Token) -> bool:
    for child in tok.children:
        if child.dep_ == "neg" or (child.lower_ in _NEG_WORDS and child.dep_ in ("det", "advmod")):
            return True
        # "no one of the leaders ... were arrested": the subject itself is negative.
        if child.dep_ in ("nsubj", "nsubjpass") and child.left_edge.lower_ in (
            "no",
            "none",
            "nobody",
            "neither",
        ):
            return True
    return False


#: Adjectives that make a plural event noun the history of a place or a group ("repeated
#: attacks", "frequent bombings", "previous raids"), closed-class grammar like "such" above.
_HABITUAL = frozenset(
    ("repeated", "frequent", "recurring", "regular", "sporadic", "occasional", "previous", "past",
     "earlier", "prior", "periodic")
)  # fmt: skip


def is_factual(tok: Token, headline: bool = False) -> bool:
    """True when the word reports something that happened: not negated, not modal, not a purpose
    or plan ("to carry out"), and in a past-tense clause (or a noun under one)."""
    if _negated(tok):
        return False
    if any(c.lower_ in ("such", "similar") for c in tok.children):
        return False  # "few such bombings": a kind of event, not this one
    if tok.tag_ == "NNS" and any(c.lower_ in _HABITUAL for c in tok.children):
        return False  # "has seen repeated attacks by the group": the place's past, no event
    verb = governing_verb(tok)
    if not (verb.pos_ in ("VERB", "AUX") or verb.tag_.startswith("VB")):
        return True  # no verb at all: a headline or note ("IS drone attack on Syrian forces")
    if verb.i != tok.i and verb.lemma_.lower() in _REFERENCE_LEMMAS:
        return False
    # The rest asks about the clause, the same for every word under its verb: asked once per
    # parsed sentence (the words of one clause often carry several cues).
    memo: dict[tuple[int, bool, bool], bool | None] = verb.doc.user_data.setdefault(
        "harbinger.factual_clauses", {}
    )
    key = (verb.i, headline, verb.i == tok.i)
    if key not in memo:
        memo[key] = _factual_clause(verb, headline, verb.i == tok.i)
    answer = memo[key]
    if answer is not None:
        return answer
    return verb.tag_ == "VBZ" and verb.dep_ == "ROOT" and tok.i != verb.i and tok.pos_ == "NOUN"


def _factual_clause(verb: Token, headline: bool, verb_is_word: bool) -> bool | None:
    """Whether the clause of ``verb`` reports something that happened; None when that depends on
    the word asked about (a noun under a present-tense root)."""
    chain = [verb]
    # A participle or infinitive hangs off another verb: check the chain up to the finite verb.
    cur = verb
    for _ in range(4):
        if cur.dep_ in ("xcomp", "acl", "advcl", "conj", "relcl", "pcomp") and cur.head.i != cur.i:
            cur = governing_verb(cur.head)
            chain.append(cur)
        else:
            break
    above = verb
    for _ in range(6):
        if above.lemma_ in _DENIAL_LEMMAS and not (above.i == verb.i and verb_is_word):
            return False
        if above.head.i == above.i:
            break
        above = governing_verb(above.head)
    for v in chain:
        if _negated(v):
            return False
        for child in v.children:
            if child.dep_ == "aux" and child.lower_ in _MODALS:
                return False
    perfect = any(c.lower_ in ("have", "having") for c in verb.children)
    if (
        verb.dep_ in ("xcomp", "advcl")
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
        and not perfect  # "claimed to have launched": reported as done
    ):
        return False  # "to search", "to carry out": a purpose, not an event
    if verb.tag_ in _PAST_TAGS:
        return True
    if verb.tag_ == "VBG":
        if (
            verb_is_word
            and verb.dep_ == "ROOT"
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
        ):
            # No finite verb, the act itself the head: a note ("On 28 April, shelling exchange
            # between ..."). Not what it governs ("IS planning attacks": a plan).
            return True
        return any(v.tag_ in _PAST_TAGS for v in chain[1:]) or verb.dep_ in (
            "acl",
            "advcl",
            "pcomp",
        )
    # Present tense reports in headlines and wire copy ("Suicide bomber kills 32"): a finite
    # present verb with a past auxiliary or a "has/have" perfect counts too.
    if any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in ("has", "have", "had", "was", "were")
        for c in verb.children
    ):
        return True
    if headline and verb.tag_ in ("VBZ", "VBP") and verb.dep_ in ("ROOT", "conj"):
        return True  # headlines report in the present: "Warplanes kill 6 in a village east of Hama"
    return None


#: Verbs of a purpose that keep its object from happening ("to prevent a protest").
_PREVENTING = frozenset(
    ("prevent", "stop", "ban", "block", "forbid", "thwart", "avert", "foil", "preempt", "deter",
     "pre-empt", "hold", "organise", "organize", "plan", "stage", "call")
)  # fmt: skip


def object_of_done_purpose(tok: Token) -> bool:
    """True for a noun that is the object of a purpose ("fired into the air to disperse a
    protest") whose main verb reports something done: the protest took place, whether or not it
    was dispersed."""
    verb = tok.head
    if tok.dep_ not in ("dobj", "pobj") or tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if verb.dep_ not in ("xcomp", "advcl") or not any(
        c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children
    ):
        return False
    if verb.lemma_.lower() in _PREVENTING:
        return False  # "deployed to prevent a protest": none took place
    main = governing_verb(verb.head)
    return main.i != verb.i and is_factual(main)


def in_support_phrase(tok: Token) -> bool:
    """True for a word inside "with the support of ..." / "backed by ..." above its verb: air
    support in a ground operation does not make the operation an air strike (ACLED codes the
    highest-ranked type of the engagement, i.e. the battle)."""
    verb = governing_verb(tok)
    path = path_to(tok, verb) or []
    support = ALLY_WORDS - {"with", "alongside"}
    return any(t.lower_ in support for t in path[1:]) or verb.lower_ in ("backed", "supported")


def path_to(tok: Token, top: Token) -> list[Token] | None:
    """Tokens from ``tok`` up to (not including) ``top``, or None if ``top`` is not above it."""
    path: list[Token] = []
    cur = tok
    for _ in range(20):
        if cur.i == top.i:
            return path
        path.append(cur)
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def role_in_clause(tok: Token, verb: Token) -> str | None:
    """The role of a phrase (by its head word) in the clause of ``verb``: 'agent', 'target' or 'ally'."""
    path = path_to(tok, verb)
    if path is None:
        return _shared_subject_role(tok, verb)
    for t in path[1:]:
        # A clause with its own subject in between: the phrase plays its role there, not here.
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            return None
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    words = {t.lower_ for t in path}
    top = path[-1] if path else tok
    reciprocal = verb.lemma_ in RECIPROCAL_VERBS
    if any(
        t.dep_ == "prep" and t.lower_ == "with" and t.head.lemma_ in RECIPROCAL_VERBS
        for t in path[1:]
    ):
        return "target"  # "attacked the prison, ... clashing with the guards": the other side
    if (words & ALLY_WORDS - {"with"} and top.dep_ == "prep") or (
        not reciprocal
        and any(t.dep_ == "pobj" and t.head.lower_ == "with" for t in path)
        and words & ALLY_WORDS
    ):
        return "ally"
    between = next(
        (i for i, t in enumerate(path) if t.dep_ == "prep" and t.lower_ == "between"), None
    )
    if between is not None:
        # "clashes between X and Y": X is one side, the conjunct Y the other.
        return "target" if any(t.dep_ == "conj" for t in path[:between]) else "agent"
    if top.dep_ == "nsubj":
        # "joint forces and tribes conducted": a conjunct of the subject is an ally of it.
        if any(t.dep_ == "conj" for t in path[:-1]):
            return "ally"
        return "target" if passive else "agent"
    if top.dep_ == "agent":
        return "agent"
    if top.dep_ in ("nsubjpass", "dobj", "attr", "oprd"):
        return "target"
    if top.dep_ == "prep":
        if top.lower_ in ("by",):
            return "agent"
        if top.lower_ == "with" and verb.lemma_ in RECIPROCAL_VERBS:
            return "target"  # "clashed with X": X is the other side
        if top.lower_ in ("with", "alongside"):
            return "ally"
        if top.lower_ in TARGET_PREPS:
            return "target"
    if top.dep_ in ("advcl", "xcomp", "ccomp", "conj"):
        return None
    return None


def _shared_subject_role(tok: Token, verb: Token) -> str | None:
    """The role of the subject of the verb before a coordinated verb that has none of its own
    ("forces backed by helicopters [and] detained a leader": the forces detained), or of the verb
    a purpose hangs from ("fighters fired into the air to disperse a protest": they dispersed)."""
    if verb.dep_ == "acl" and verb.head.i == tok.i and verb.tag_ == "VBD":
        # "Peshmerga forces, backed by aircraft, fought with ...": a finite verb the parser hung
        # on its subject. (Participles hung on a noun describe it: "forces arresting Muslims".)
        return "agent"
    purpose = verb.dep_ in ("xcomp", "advcl") and any(
        c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children
    )
    if (verb.dep_ != "conj" and not purpose) or verb.head.i == verb.i:
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return None
    path = path_to(tok, verb.head)
    if not path or path[-1].dep_ != "nsubj" or any(t.dep_ == "conj" for t in path[:-1]):
        return None
    return "target" if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) else "agent"


def subtree_span(tok: Token) -> tuple[int, int]:
    """Character span (relative to the parsed text) of a word's subtree."""
    last = tok.right_edge
    return tok.left_edge.idx, last.idx + len(last.text)


def first(tokens: Iterable[Token]) -> Token | None:
    for t in tokens:
        return t
    return None
