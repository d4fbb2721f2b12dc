"""Claims: reported speech (who said, warned or denied what) with its stance toward the threat.

A speech verb from ``claims.yaml`` ("said", "warned", "expressed their fears", "according to")
opens a statement; its subject is the speaker (a person with the title written before the name, a
written report and whoever issued it, or a group such as "residents in Mosul"); its clausal
complement is what was said. The stance is the verb's own (weight 2) plus the content cues, matched
longest-first so that "not be able to return" outweighs "able to return". Statements with no stance
(neutral reporting) are not kept as claims.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from harbinger.extract.context import DocumentContext, Hit, Sentence
from harbinger.extract.syntax import governing_verb
from harbinger.knowledge import Theatre
from harbinger.knowledge.phrases import PhraseIndex
from harbinger.records import Claim, Place, Stance

if TYPE_CHECKING:
    from spacy.tokens import Token

    from harbinger.geo import Gazetteer

_LEADING = {
    "some",
    "many",
    "several",
    "the",
    "a",
    "an",
    "most",
    "few",
    "other",
    "all",
    "these",
    "those",
}


#: The content-cue index of each theatre object (theatres are loaded once; dicts do not hash).
_CONTENT_INDEXES: dict[int, tuple[Theatre, PhraseIndex[tuple[str, int]]]] = {}


def _content_index(theatre: Theatre) -> PhraseIndex[tuple[str, int]]:
    known = _CONTENT_INDEXES.get(id(theatre))
    if known is not None and known[0] is theatre:
        return known[1]
    index: PhraseIndex[tuple[str, int]] = PhraseIndex()
    for stance, groups in theatre.claims["content_cues"].items():
        for group in groups:
            for cue in group["cue"]:
                index.add(str(cue), (stance, int(group["weight"])))
    _CONTENT_INDEXES[id(theatre)] = (theatre, index)
    return index


def _text_of(tokens: list[Token]) -> str:
    """The words of a token run as written (the parser may have seen a masked acronym)."""
    if not tokens:
        return ""
    doc = tokens[0].doc
    text = doc.user_data.get("text")
    if text is None:
        text = doc.text  # joined from the tokens: only when the words as written were not kept
    return str(text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)])


def _whole_words(tokens: list[Token]) -> list[Token]:
    """Extend a token run over hyphen-joined pieces ("al" - "Nuaimi" -> "al-Nuaimi")."""
    if not tokens:
        return tokens
    doc = tokens[0].doc
    lo, hi = tokens[0].i, tokens[-1].i
    while hi + 1 < len(doc) and (
        doc[hi].text == "-"
        or doc[hi + 1].text == "-"
        or (not doc[hi].whitespace_ and doc[hi + 1].is_alpha and doc[hi].is_alpha)
    ):
        hi += 1
    while lo > 0 and (doc[lo - 1].text == "-" or (doc[lo].text == "-" and doc[lo - 1].is_alpha)):
        lo -= 1
    return [doc[i] for i in range(lo, hi + 1)]


def _strip_leading(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].lower_ in _LEADING or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    return tokens


def speech_verbs(s: Sentence) -> Iterator[tuple[Hit, Token]]:
    """The speech verbs of a parsed sentence, each once, with the cue that found it."""
    done: set[int] = set()
    for h in s.speech:
        if any(p.start <= h.start < p.end for p in s.places):
            continue  # a word of a place's name ("Tell Abiad", "Port Said"), not speech
        span = s.span_tokens(h.start, h.end)
        if span is None or len(span) == 0:
            continue
        verb = governing_verb(span.root) if span.root.lower_ != "according" else span.root
        if span[0].lower_ == "according":
            verb = span[0]
        if verb.i in done:
            continue
        done.add(verb.i)
        yield h, verb


def speaker_subject(verb: Token) -> Token | None:
    """The head word of whoever speaks through a speech verb ("X said", "according to X")."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None and verb.dep_ == "conj":
        subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subj is None and verb.lower_ == "according":
        prep = next((c for c in verb.children if c.dep_ == "prep"), None)
        subj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
    return subj


def person_windows(s: Sentence, margin: int = 6) -> list[tuple[int, int]]:
    """Token windows of a parsed sentence where ``ner`` must look for a speaker's name: each
    speaker's words that may hold a named person, ``margin`` tokens either side, overlaps joined.

    The only entities read are PERSONs within a speaker's words. A speaker whose words hold no
    proper noun and no capitalised word past the sentence's first ("officials said", "he
    warned", "according to the ministry") is no named person, nor one whose capitalised words are
    all names of the theatre's actors (the actor ruler sets those, and ``ner`` keeps them) or of
    its places ("residents of Rawa said"): no window. ``ner`` decides a word from the words a few
    either side (its convolutions see four), so the margin gives it the context it would have in
    the whole sentence; it costs more than the tagger and the parser together, and the windows
    are a third of the words of the sentences that report a statement.
    """
    known = [(h.start - s.start, h.end - s.start) for h in (*s.actors, *s.places)]
    windows: list[tuple[int, int]] = []
    for _hit, verb in speech_verbs(s):
        subj = speaker_subject(verb)
        if subj is None or not any(
            (t.pos_ == "PROPN" or (t.i > 0 and t.text[:1].isupper()))
            and not any(a <= t.idx < b for a, b in known)
            for t in subj.subtree
        ):
            continue
        windows.append(
            (max(0, subj.left_edge.i - margin), min(len(subj.doc), subj.right_edge.i + 1 + margin))
        )
    windows.sort()
    joined: list[tuple[int, int]] = []
    for start, end in windows:
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def _speaker(
    verb: Token, document_nouns: set[str], titles: list[str]
) -> tuple[str, str | None, Token | None]:
    """(speaker, title, head token) of a speech verb."""
    subj = speaker_subject(verb)
    if subj is None:
        return "", None, None
    tokens = list(subj.subtree)
    if subj.lower_ in document_nouns:
        # "a report issued from the US Defense": the issuer speaks through the report.
        for tok in subj.subtree:
            if (
                tok.dep_ in ("prep", "agent")
                and tok.lower_ in ("from", "by", "of")
                and tok.i != subj.i
            ):
                pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    # The issuer's name: the noun and what precedes it ("the Lead Inspector General"),
                    # not its appositions and clauses.
                    head = [t for t in pobj.subtree if t.i <= pobj.i]
                    return _text_of(_strip_leading(head)), subj.lower_, subj
        return _text_of(_strip_leading(tokens)), None, subj
    persons = [
        e
        for e in subj.doc.ents
        if e.label_ == "PERSON" and e.start >= tokens[0].i and e.end <= tokens[-1].i + 1
    ]
    if persons:
        person = persons[-1]
        name_tokens = [t for t in person if not t.is_punct]
        # NER sometimes swallows a title ("Gen. Abdul ..."): move known title words back out.
        lowered_titles = {t.lower().rstrip(".") for title in titles for t in title.split()}
        while name_tokens and name_tokens[0].lower_.rstrip(".") in lowered_titles:
            name_tokens = name_tokens[1:]
        if not name_tokens:
            name_tokens = list(person)
        before = [t for t in tokens if t.i < name_tokens[0].i]
        after = [t for t in tokens if t.i > name_tokens[-1].i]
        title_tokens = _strip_leading(before)
        title = _text_of(title_tokens) if title_tokens else None
        if not title and after and after[0].is_punct:
            title = _text_of(_strip_leading(after)) or None
        return _text_of(name_tokens), title, subj
    cut = {
        t.i
        for c in subj.children
        if c.dep_ in ("relcl", "appos", "acl", "punct", "advcl")
        for t in c.subtree
    }
    kept = _strip_leading([t for t in tokens if t.i not in cut])
    if kept and kept[0].lower_ == "of":
        kept = kept[1:]
    if not kept or all(t.pos_ == "PRON" for t in kept):
        return "", None, subj
    return _text_of(_whole_words(kept)), None, subj


def _content(verb: Token) -> list[Token]:
    if verb.lower_ == "according":
        # "..., according to X": what was said is the rest of the sentence.
        skip = {t.i for t in verb.subtree}
        return [
            t
            for t in verb.doc
            if (t.i not in skip and not t.is_punct)
            or (t.i not in skip and t.i not in (0, len(verb.doc) - 1))
        ]
    for dep in ("ccomp", "xcomp"):
        child = next((c for c in verb.children if c.dep_ == dep), None)
        if child is not None:
            said = [t for t in child.subtree if t.dep_ != "mark" or t.head.i != child.i]
            # A conjunction at the end is one whose conjunct the parse put in another clause
            # ("despite its attempts here and" | "there and Iraqi forces seek"): it ends nothing.
            while said and (said[-1].dep_ == "cc" or said[-1].is_punct):
                said.pop()
            return said
    dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if dobj is not None:
        rest = list(dobj.subtree)
        # "expressed their fears of X ... and asked the government to do more": keep the conjuncts.
        for c in verb.children:
            if c.dep_ == "conj":
                rest += list(c.subtree)
        return sorted(rest, key=lambda t: t.i)
    return [t for t in verb.doc if t.i > verb.i]


# A quotation; the opening mark may have gone to the sentence before (sentence splitters often
# leave it there), so a quotation may also run from the start of the sentence.
_QUOTE = re.compile(r"(?:[\"“”«»]|^)\s*([^\"“”«»]{12,}?)\s*[\"“”«»]")


def _adjacent_quote(text: str, verb: Token, subj: Token | None) -> tuple[int, int] | None:
    """A quotation next to its speaker: '"...," al-Zubaidi told reporters' or 'said: "..."'."""
    first = min([verb.idx, *([subj.left_edge.idx] if subj is not None else [])])
    last = verb.idx + len(verb.text)
    for m in _QUOTE.finditer(text):
        before_speaker = 0 <= first - m.end() <= 3
        after_verb = 0 <= m.start() - last <= 25
        if before_speaker or after_verb:
            return m.start(1), m.end(1)
    return None


def build_claims(ctx: DocumentContext, theatre: Theatre, gazetteer: Gazetteer) -> list[Claim]:
    """The claims of a prepared, parsed document."""
    cues = _content_index(theatre)
    document_nouns = {str(n).lower() for n in theatre.claims.get("document_nouns", [])}
    titles = [str(t) for t in theatre.claims.get("titles", [])]
    claims: list[Claim] = []
    memory: dict[
        str, str
    ] = {}  # the last person and the last issuer of a report, for "he", "the report"
    for s in ctx.sentences:
        if not s.parsed or not s.speech:
            continue
        for h, verb in speech_verbs(s):
            claim = _claim(
                ctx, theatre, s, h, verb, cues, document_nouns, titles, gazetteer, memory
            )
            if claim is not None:
                claims.append(claim)
    return claims


def _claim(
    ctx: DocumentContext,
    theatre: Theatre,
    s: Sentence,
    h: Hit,
    verb: Token,
    cues: PhraseIndex[tuple[str, int]],
    document_nouns: set[str],
    titles: list[str],
    gazetteer: Gazetteer,
    memory: dict[str, str],
) -> Claim | None:
    speaker, title, subj = _speaker(verb, document_nouns, titles)
    if not speaker:
        return None
    negation = {str(w).lower() for w in theatre.language.get("negation", [])}
    if subj is not None and any(
        c.dep_ in ("det", "neg") and c.lower_ in negation for c in subj.children
    ):
        return None  # "No group claimed responsibility": nobody said anything
    low = speaker.lower()
    if low in ("he", "she"):
        if "person" not in memory:
            return None
        speaker, title = memory["person"], memory.get("person_title") or None
    elif low in ("they", "them", "it", "we", "i", "you"):
        return None
    elif "person" in memory and memory["person"].endswith(" " + speaker):
        speaker, title = memory["person"], title or memory.get("person_title") or None
    elif (
        subj is not None and subj.lower_ in document_nouns and title is None and "issuer" in memory
    ):
        # "The quarterly report said": the report issued by whoever was named before.
        speaker, title = memory["issuer"], subj.lower_
    if title in document_nouns:
        memory["issuer"] = speaker
    elif (
        subj is not None
        and any(
            e.label_ == "PERSON"
            for e in subj.doc.ents
            if e.start <= subj.i < e.end or subj.i in range(e.start, e.end)
        )
    ) or (
        subj is not None
        and any(
            e.label_ == "PERSON"
            for e in subj.doc.ents
            if subj.left_edge.i <= e.start < subj.right_edge.i + 1
        )
    ):
        memory["person"], memory["person_title"] = speaker, title or ""
    quote = _adjacent_quote(s.text, verb, subj)
    if quote is not None:
        c_start, c_end = s.start + quote[0], s.start + quote[1]
    else:
        content = _content(verb)
        if not content:
            return None
        c_start = s.start + content[0].idx
        c_end = s.start + content[-1].idx + len(content[-1].text)
    content_text = s.text[c_start - s.start : c_end - s.start]
    scores: dict[str, int] = defaultdict(int)
    verb_stance = next((c.key for c in h.cues if c.kind == "speech"), "neutral")
    if verb_stance != "neutral":
        scores[verb_stance] += 2
    for cue_hit in cues.find(content_text):
        stance, weight = cue_hit.payloads[0]
        scores[stance] += weight
    if not scores:
        return None
    stance = max(scores, key=lambda k: (scores[k], k == verb_stance))
    # The speaker's span, for the evidence and for places named with the speaker ("residents in Mosul").
    sp_start = s.start + (min(t.idx for t in subj.subtree) if subj is not None else verb.idx)
    about = None
    for a in s.actors:
        if c_start <= a.start < c_end:
            actor = ctx.resolve(a)
            if actor is not None and actor.kind != "official":
                about = theatre.root_of(actor).acled_name(ctx.main_country(), ctx.year())
                if actor.kind == "rebel":
                    about = theatre.root_of(actor).name
                break
    if about is None and stance in ("warning", "reassurance", "concern"):
        salient = ctx.salient_nonstate()  # a statement in a report about a group is about it
        if salient is not None:
            about = theatre.root_of(salient).name
    place: Place | None = None
    lo, hi = min(sp_start, c_start), max(c_end, sp_start)
    for p in sorted(s.places, key=lambda p: (not (sp_start <= p.start < c_start), p.start)):
        if lo <= p.start < hi:
            place = gazetteer.resolve(
                p.text, countries=ctx.countries, admin1_codes=ctx.admin1_codes
            )
            if place is not None:
                break
    start = min(sp_start, s.start + verb.idx)
    end = max(c_end, s.start + verb.idx + len(verb.text))
    key = f"{ctx.document.id}:{start}:{speaker}"
    return Claim(
        id="cl-" + hashlib.sha256(key.encode()).hexdigest()[:16],
        document_id=ctx.document.id,
        speaker=speaker,
        speaker_title=title,
        stance=cast(Stance, stance),
        text=content_text.strip(' ,;:"“”'),
        about_actor=about,
        place=place,
        evidence=(ctx.evidence(s, start, end),),
    )
