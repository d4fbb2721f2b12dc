"""Arabic text for matching: a normaliser with an offset map, a clitic-aware phrase index, the
script detector, and the theatre's Arabic words (``arabic.yaml``).

Normalisation is for matching only: diacritics and tatweel go, the alef forms fold to ا, ى to ي,
ة to ه, ؤ to و, ئ to ي, presentation forms to their letters, Arabic-Indic digits to 0-9. Every
character of the normalised text remembers the original character it came from
(:class:`Normalised`), so a match is reported as a span of the text as written.

Arabic writes conjunctions, prepositions and the article joined to the word that follows them
(و ف ب ل ك, ال) and possessive and plural endings joined to the word before ("لتنظيم داعش",
"بمحافظة صلاح الدين", "عناصره"). :class:`ArabicPhraseIndex` matches phrases word by word with those
clitics allowed on the first word (before) and the last word (after). The light stemming is
hand-written because the morphological analysers for Arabic that run offline are GPL (qalsadi,
Tashaphyne, PyArabic: DEPENDENCIES.md, "Arabic") and the project is MIT.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from harbinger.errors import KnowledgeError
from harbinger.knowledge import read_yaml, theatre_dir
from harbinger.knowledge.phrases import PhraseHit

__all__ = [
    "ArabicPhraseIndex",
    "ArabicTrigger",
    "ArabicWords",
    "Normalised",
    "arabic_share",
    "detect_language",
    "fold",
    "is_arabic_letter",
    "load_arabic_words",
    "normalise",
    "normalise_phrase",
    "prefix_variants",
    "suffix_variants",
    "verb_forms",
]

P = TypeVar("P")

_FILE = "arabic.yaml"

#: Harakat, Quranic marks, superscript alef and tatweel: dropped for matching.
_DROPPED = frozenset(
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
)
_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ی": "ي",  # Persian yeh
    "ک": "ك",  # keheh
    "،": ",",
    "؛": ";",
    "؟": "?",
    "«": '"',
    "»": '"',
}
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _FOLD[chr(0x06F0 + _i)] = str(_i)  # Extended (Persian) digits

#: Proclitics: a conjunction (و ف) then a preposition (ب ل ك) before a word.
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")
#: Enclitics (after a word), longest first: possessive pronouns and plural or dual endings.
_SUFFIXES = (
    "هما",
    "كما",
    "يين",
    "يون",
    "ها",
    "هم",
    "هن",
    "كم",
    "نا",
    "ات",
    "ون",
    "ين",
    "ان",
    "ه",
    "ي",
    "ا",
)
#: A stem keeps at least this many letters when a clitic is taken off.
_MIN_STEM = 2
#: A word: digits, Latin letters, and the letters of the Arabic script, with those of Persian and
#: Kurdish (چ پ گ ژ ڤ ە ۆ ێ) that Iraqi and Syrian reports write in names ("قرەچوغ").
_WORD = re.compile(r"[0-9A-Za-z\u0621-\u064a\u066e-\u06d3\u06d5]+")


def is_arabic_letter(ch: str) -> bool:
    """Whether a character is a letter of the Arabic script (base block or presentation forms)."""
    return (
        ("\u0620" <= ch <= "\u064a") or ("\u066e" <= ch <= "\u06d3") or ("\ufb50" <= ch <= "\ufefc")
    )


def arabic_share(text: str) -> float:
    """The share of Arabic-script letters among the letters of ``text`` (0.0 without letters)."""
    arabic = latin = 0
    for ch in text:
        if is_arabic_letter(ch):
            arabic += 1
        elif ch.isalpha():
            latin += 1
    total = arabic + latin
    return arabic / total if total else 0.0


def detect_language(text: str, default: str = "en") -> str:
    """ "ar" when most letters of ``text`` are Arabic script, else ``default``: from the script,
    with no model (a report in Arabic quotes English names and numbers, not the other way)."""
    return "ar" if arabic_share(text) > 0.5 else default


@dataclass(frozen=True, slots=True)
class Normalised:
    """Text normalised for matching, and for each of its characters the original offset.

    ``offsets`` has one entry more than ``text``: the original length, so that an end offset maps.
    """

    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Normalised offsets -> offsets of the text as written (the end past its last character)."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _DROPPED:
        return ""
    if ch in _FOLD:
        return _FOLD[ch]
    if "\ufb50" <= ch <= "\ufeff" or "\u0622" <= ch <= "\u0626":
        # Presentation forms (ﻻ -> لا) and composed hamza letters, then the same folding.
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed != ch:
            return "".join(_fold_char(c) for c in decomposed)
    return ch.lower() if ch.isascii() else ch


#: ``fold`` as a translation table: what ``_fold_char`` does to every character it changes
#: outside the presentation forms (those decompose first, in ``fold``).
_TABLE: dict[int, str | None] = {ord(ch): None for ch in _DROPPED}
_TABLE.update({ord(k): v for k, v in _FOLD.items()})
_TABLE.update({ord(ch): "ا" for ch in "أإآٱ"})
_TABLE.update({ord(ch): ch.lower() for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")


def fold(text: str) -> str:
    """``normalise(text).text`` without the offset map, and fast: for comparing whole texts
    (near-copies of one report in two outlets' spellings). Text without Arabic comes back as it
    was but for ASCII letters, lower-cased as ``normalise`` does."""
    if _PRESENTATION.search(text):
        text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return text.translate(_TABLE)


def normalise(text: str) -> Normalised:
    """Text normalised for matching Arabic (see the module docstring), with its offset map."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        for c in folded:
            out.append(c)
            offsets.append(i)
    offsets.append(len(text))
    return Normalised("".join(out), tuple(offsets))


def normalise_phrase(phrase: str) -> str:
    """A phrase of a knowledge file as its normalised words joined by single spaces."""
    return " ".join(_WORD.findall(normalise(phrase).text))


@functools.lru_cache(maxsize=65536)
def prefix_variants(word: str) -> tuple[tuple[str, int], ...]:
    """The word and its stems without proclitics, each with how many letters were taken off.

    "وبالموصل" gives itself, "بالموصل" (1) and "الموصل" (2); "للجيش" also gives "الجيش" (the
    article's alef is not written after ل).
    """
    found: list[tuple[str, int]] = [(word, 0)]
    if len(word) - 1 >= _MIN_STEM and word.startswith(_CONJUNCTIONS):
        found.append((word[1:], 1))
    for stem, cut in list(found):
        if len(stem) - 1 >= _MIN_STEM and stem.startswith(_PREPOSITIONS):
            found.append((stem[1:], cut + 1))
            if stem.startswith("لل") and len(stem) >= 4:
                found.append(("ا" + stem[1:], cut + 1))
    # The article before a word written without it ("الهجوم" for "هجوم"); the span keeps it.
    for stem, cut in list(found):
        if stem.startswith("ال") and len(stem) - 2 >= _MIN_STEM + 1:
            found.append((stem[2:], cut))
    return tuple(found)


@functools.lru_cache(maxsize=65536)
def suffix_variants(word: str) -> tuple[str, ...]:
    """The word and its stems without one enclitic; a stem ending in ت also ends in ة (ه)."""
    found = [word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            stem = word[: -len(suffix)]
            found.append(stem)
            if stem.endswith("ت"):
                found.append(stem[:-1] + "ه")
    if word.endswith("ت") and len(word) > _MIN_STEM:
        found.append(word[:-1] + "ه")  # "محافظت" of "محافظتها"
    return tuple(found)


def _imperfect_stem(verb: str) -> str | None:
    """The letters a verb's imperfect puts after its prefix (ي ت), or None where they differ from
    the perfect's in more than the first alef (hollow verbs: "قال" -> "يقول")."""
    if len(verb) == 3 and verb[1] == "ا":
        return None
    # Derived forms drop the alef of their perfect ("اعتقل" -> "يعتقل", "استهدف" -> "يستهدف",
    # "احرق" of "أحرق" -> "يحرق"); a three-letter verb keeps its hamza ("اسر" -> "ياسر").
    return verb[1:] if verb.startswith("ا") and len(verb) >= 4 else verb


def verb_forms(phrase: str, *, objects: bool = False, imperfect: bool = True) -> tuple[str, ...]:
    """The written forms of a verb phrase given in the perfect, third person masculine singular.

    The phrase's first word is conjugated (normalised, unvowelled): the perfect of the other
    persons of the third person ("قتل": قتلت، قتلوا، قتلا، قتلتا، قتلن; the passive is written
    alike), the imperfect ("يقتل"، "تقتل"، "يقتلون"), with the weak final letter of "ألقى" and
    "لقي" dropped where Arabic drops it ("ألقت"، "ألقوا"، "يلقون"); the other words follow
    unchanged ("ألقى القبض": "ألقت القبض"). ``objects`` adds the object pronouns ("شنه"، "نفذها",
    "قتلوهم"; not to a verb of a weak final letter, whose forms with them are other words: "لقوة").
    ``imperfect=False`` leaves the imperfect out (a trigger in the imperfect is a state or a
    headline, not the news: "القوات تسيطر على الوضع").
    Hand-written because the conjugators of Arabic that run offline are GPL (see the module
    docstring); the forms are a superset, which matching against real text tolerates.
    """
    words = normalise_phrase(phrase).split()
    if not words:
        return ()
    verb, rest = words[0], words[1:]
    forms: list[str] = [verb]
    weak = verb.endswith("ي") and len(verb) >= 3
    base = verb[:-1] if weak else verb
    plural = base + "وا"
    forms += [base + "ت", verb + "ت", plural, verb + "ا", base + "تا", verb + "ن"]
    present = _imperfect_stem(verb) if imperfect else None
    if present is not None:
        present_base = present[:-1] if weak else present
        for prefix in ("ي", "ت"):
            forms += [prefix + present, prefix + present_base + "ون", prefix + present_base + "وا"]
            forms.append(prefix + present + "ان")
    if objects and not weak:
        stems = [verb, base + "ت", base + "و"]
        forms += [s + pronoun for s in stems for pronoun in ("ه", "ها", "هم", "هما")]
    seen: dict[str, None] = {}
    for form in forms:
        if len(form) >= _MIN_STEM:
            seen[" ".join([form, *rest])] = None
    return tuple(seen)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of normalised text: its letters and its span in the normalised text."""

    text: str
    start: int
    end: int


def tokens(norm: Normalised) -> list[Token]:
    """The words (letters and digits) of a normalised text."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(norm.text)]


class ArabicPhraseIndex(Generic[P]):
    """Arabic phrases with payloads, found word by word with clitics allowed around them.

    The first word of a phrase may carry proclitics in the text (و ف ب ل ك, and ل before the
    article), the last word an enclitic (a possessive or a plural ending); the words between are
    matched as normalised. A one-word phrase allows both. Occurrences are the longest, leftmost,
    non-overlapping ones; the span starts after the proclitics. A phrase added with a ``gap``
    may have that many words between its first word and the rest: a verb and its object with
    the subject between them, as Arabic orders them ("ألقت قوات الأمن القبض على").
    """

    def __init__(self, *, suffixes: bool = True) -> None:
        self._phrases: dict[str, list[tuple[tuple[str, ...], P, int]]] = {}
        self._longest = 0
        #: Whether a phrase's last word may carry an ending in the text (place names do not).
        self._suffixes = suffixes

    def add(self, phrase: str, payload: P, *, gap: int = 0) -> None:
        words = tuple(normalise_phrase(phrase).split())
        if not words or (len(words) == 1 and len(words[0]) < _MIN_STEM):
            return
        self._phrases.setdefault(words[0], []).append(
            (words, payload, gap if len(words) > 1 else 0)
        )
        self._longest = max(self._longest, len(words))

    def add_all(self, items: Iterable[tuple[str, P]]) -> None:
        for phrase, payload in items:
            self.add(phrase, payload)

    def __len__(self) -> int:
        return sum(len(v) for v in self._phrases.values())

    def find(self, text: str | Normalised) -> list[PhraseHit[P]]:
        """Occurrences in ``text`` (spans in the text as written when given a plain string)."""
        norm = text if isinstance(text, Normalised) else normalise(text)
        original = text if isinstance(text, str) else None
        words = tokens(norm)
        return list(self._find(norm, words, original))

    def find_tokens(
        self, norm: Normalised, words: list[Token], original: str | None = None
    ) -> list[PhraseHit[P]]:
        """As ``find``, over words already split (one tokenisation serves several indexes)."""
        return list(self._find(norm, words, original))

    def _find(
        self, norm: Normalised, words: list[Token], original: str | None
    ) -> Iterator[PhraseHit[P]]:
        candidates: list[tuple[int, int, int, tuple[P, ...]]] = []  # (start, end, cut, payloads)
        for i, tok in enumerate(words):
            for stem, cut in prefix_variants(tok.text):
                singles = self._phrases.get(stem, [])
                found: dict[tuple[int, int], list[P]] = {}
                for phrase, payload, gap in singles:
                    n = len(phrase)
                    if n == 1:
                        found.setdefault((tok.start + cut, tok.end), []).append(payload)
                        continue
                    for g in range(gap + 1):
                        if i + g + n > len(words):
                            break
                        # The words after the first, ``g`` words further on.
                        rest = words[i + g + 1 : i + g + n]
                        if any(rest[k - 1].text != phrase[k] for k in range(1, n - 1)):
                            continue
                        last = rest[-1].text
                        if phrase[-1] == last or (
                            self._suffixes and phrase[-1] in suffix_variants(last)
                        ):
                            found.setdefault((tok.start + cut, rest[-1].end), []).append(payload)
                            break
                for suffixed in suffix_variants(stem)[1:] if self._suffixes else ():
                    for phrase, payload, _gap in self._phrases.get(suffixed, []):
                        if len(phrase) == 1:
                            found.setdefault((tok.start + cut, tok.end), []).append(payload)
                for (start, end), payloads in found.items():
                    candidates.append((start, end, cut, tuple(payloads)))
        last_end = -1
        taken: list[tuple[int, int, int, tuple[P, ...]]] = []
        # Longest first among those that start at one word; then leftmost without overlap.
        for cand in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0], c[2])):
            if any(cand[0] < t[1] and t[0] < cand[1] for t in taken):
                continue
            taken.append(cand)
        for start, end, _cut, chosen in sorted(taken):
            if start < last_end:
                continue
            last_end = end
            o_start, o_end = norm.original_span(start, end)
            surface = original[o_start:o_end] if original is not None else norm.text[start:end]
            yield PhraseHit(o_start, o_end, surface, _unique(chosen))


def _unique(payloads: tuple[P, ...]) -> tuple[P, ...]:
    out: list[P] = []
    for p in payloads:
        if not any(p is q for q in out):
            out.append(p)
    return tuple(out)


# -- the words of arabic.yaml ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArabicTrigger:
    """An event trigger in Arabic: its words and the ACLED sub-event type they point to."""

    id: str
    sub_event_type: str
    weight: int
    words: tuple[str, ...]
    by_agent: tuple[tuple[str, str], ...] = ()
    by_target: tuple[tuple[str, str], ...] = ()
    #: Triggers that say more precisely how it was done: when this trigger leads an event and
    #: a later sentence of it names one of these ("التفجير" ... "انتحاري"), that one names it.
    refined_by: frozenset[str] = frozenset()
    #: Verb phrases of several words, matched with the subject between the verb and the rest.
    verb_phrases: tuple[str, ...] = ()
    #: Triggers that do not name an event this trigger is in when a state's or a foreign force
    #: does it: a raid in which the target blows himself up is the raid's battle, not his bombing.
    outranks: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ArabicWords:
    """The theatre's Arabic words, validated (``arabic.yaml``); phrases as written there."""

    triggers: tuple[ArabicTrigger, ...]
    clash_words: tuple[str, ...]
    clash_keeps: frozenset[str]
    outcomes: dict[str, tuple[str, ...]]
    toll_breakdown: tuple[str, ...]
    running_total: tuple[str, ...]
    singular_victims: tuple[str, ...]
    bombers: dict[str, int]
    victims: dict[str, tuple[str, ...]]
    anaphora: tuple[str, ...]
    agent_markers: tuple[str, ...]
    actor_heads: tuple[str, ...]
    place_stoplist: frozenset[str]
    countryside: tuple[str, ...]
    target_markers: tuple[str, ...]
    support_markers: tuple[str, ...]
    speaker_only: frozenset[str]
    separate_markers: tuple[str, ...]
    background_markers: tuple[str, ...]
    place_nouns: tuple[str, ...]
    away_markers: tuple[str, ...]
    numbers: dict[str, Any]
    months: dict[str, int]
    weekdays: dict[str, int]
    ambiguous_weekdays: frozenset[str]
    day_parts: tuple[str, ...]
    relative_days: dict[str, int]
    speech_verbs: dict[str, tuple[str, ...]]
    speech_openers: tuple[str, ...]
    content_cues: dict[str, tuple[str, ...]]
    indicators: dict[str, Any]
    #: Words before an actor that make it a group's members ("عناصر X", "خلايا X"): the ones
    #: who act in an attack, the ones acted on in an arrest or a strike.
    member_markers: tuple[str, ...] = ()
    #: The verb and particle of the pluperfect ("وكان ... قد"): what happened before the news.
    pluperfect_verbs: tuple[str, ...] = ()
    pluperfect_particles: tuple[str, ...] = ()
    #: Words that make a sentence about another, earlier incident ("هجوم مماثل").
    other_incident: tuple[str, ...] = ()
    #: Bomber words of no number ("انتحاريون"): their count gives way to one of another sentence.
    vague_bombers: frozenset[str] = frozenset()
    #: Phrases of one bomber with his own bomb ("فجر سيارته المفخخة").
    bomber_phrases: tuple[str, ...] = ()
    #: Nouns of the dead: a count before them is a toll ("250 قتيلا").
    dead_nouns: tuple[str, ...] = ()
    #: Singular nouns of people whose sound plural is written as their dual ("مدنيين").
    sound_plurals: frozenset[str] = frozenset()
    #: Day numbers as ordinal words ("العاشر من حزيران"), and words of the current month.
    day_ordinals: dict[str, int] = field(default_factory=dict)
    current_month: tuple[str, ...] = ()
    #: Words after a weekday that put it in the week before ("يوم الأحد الماضي").
    past_markers: tuple[str, ...] = ()
    #: Words of the night before two weekdays ("ليل الأربعاء الخميس") and what joins them ("على").
    night_parts: tuple[str, ...] = ()
    night_joins: tuple[str, ...] = ()
    #: Words that open a speaker who is no actor of the file ("المتحدث باسم", "مسؤول محلي").
    speaker_titles: tuple[str, ...] = ()
    #: The last words of titles that take the name of a body after them ("باسم", "عشيرة").
    speaker_title_of: tuple[str, ...] = ()
    #: Names of actors in the words of one kind of source (the group's own claims), by actor id.
    actor_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: By country code, the group "the terrorists" means when a report names none (an actor id).
    default_insurgent: dict[str, str] = field(default_factory=dict)
    #: Words just before a trigger that make it an earlier incident recalled ("على غرار هجوم").
    recall_markers: tuple[str, ...] = ()
    #: Relative pronouns ("الذي"), and the words of a time before the news that, in the relative
    #: clause after a trigger, make it an earlier incident ("الهجوم الذي شنه ... مطلع العام").
    relative_pronouns: tuple[str, ...] = ()
    recall_times: tuple[str, ...] = ()
    #: Words just before a trigger that deny or leave it hypothetical ("لا خوف من أي تسلل").
    negations: tuple[str, ...] = ()
    #: Particles before a verb of death in the singular with no count ("قبل أن يقتل"): one dead.
    verb_particles: tuple[str, ...] = ()
    #: Words joining two clauses of one sentence ("فيما", "بينما"), each of which may be an event
    #: of its own; and words inside a sentence that announce another incident ("وفي هجوم آخر").
    clause_joiners: tuple[str, ...] = ()
    clause_separators: tuple[str, ...] = ()
    #: Armed groups that govern ground (ACLED's de facto authorities): they raid as a state does,
    #: and their men killed are not "the attackers" of an attack on them (actor ids).
    governing_groups: tuple[str, ...] = ()
    #: Words after a bomber's word that multiply it ("هجوم انتحاري مزدوج": two bombers).
    bomber_multiples: dict[str, int] = field(default_factory=dict)
    #: Verbs of targeting ("استهدف"): right after another trigger, they tell what it hit.
    targeting_verbs: tuple[str, ...] = ()
    #: Words of "the same place" ("في المنطقة ذاتها"): where the event before happened.
    same_place_markers: tuple[str, ...] = ()
    #: Nouns of the wounded: a count right before one is theirs ("وأكثر من 20 جريحا").
    wounded_nouns: tuple[str, ...] = ()
    #: Words of "a similar" act ("وقفة احتجاجية مماثلة"): in another governorate, another event.
    similar_markers: tuple[str, ...] = ()
    #: Words of a direction before a place ("شمال بغداد", "جنوبي العاصمة"): the place is where
    #: the event is measured from, not where it happened, when the report names another.
    direction_words: tuple[str, ...] = ()
    #: Words of a figure from another source than the one before ("غير أن المرصد", "في
    #: المقابل", "من جهته"): a different toll there is a conflicting figure, not an update.
    other_source_markers: tuple[str, ...] = ()
    #: Words of a demand or an appeal ("مطالبين ب", "داعين إلى"): what is demanded is no event.
    demand_words: tuple[str, ...] = ()
    #: Words of what happens repeatedly ("بين حين وآخر"): a sentence with one tells a pattern.
    habitual_markers: tuple[str, ...] = ()
    #: Words before a target marker that make it a landmark ("قرب حاجز للجيش"): no party.
    landmark_markers: tuple[str, ...] = ()


def _list(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise KnowledgeError(f"{where}: '{key}' must be a non-empty list of phrases")
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise KnowledgeError(f"{where}: {key}[{i}] must be a phrase (quote it), not {item!r}")
        if not str(item).strip():
            raise KnowledgeError(f"{where}: {key}[{i}] is empty")
        out.append(str(item).strip())
    return tuple(out)


def _mapping(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict) or not value:
        raise KnowledgeError(f"{where}: '{key}' must be a non-empty mapping")
    return value


def _counts(data: dict[str, Any], key: str, where: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for word, n in _mapping(data, key, where).items():
        if isinstance(n, bool) or not isinstance(n, int):
            raise KnowledgeError(f"{where}: {key}: {word!r} must map to a whole number, not {n!r}")
        out[normalise_phrase(str(word))] = n
    return out


def _numbered(data: dict[str, Any], key: str, where: str, count: int) -> dict[str, int]:
    value = data.get(key)
    if not isinstance(value, list) or len(value) != count:
        raise KnowledgeError(f"{where}: '{key}' must list {count} entries, each a list of names")
    out: dict[str, int] = {}
    for i, names in enumerate(value):
        for name in _list({key: names}, key, f"{where}: {key}[{i}]"):
            norm = normalise_phrase(name)
            if out.get(norm, i) != i:
                raise KnowledgeError(f"{where}: {key}: {name!r} names two different entries")
            out[norm] = i
    return out


def parse_arabic_words(data: dict[str, Any], where: str) -> ArabicWords:
    """Validate the mapping of an Arabic words file; ``where`` names the file in errors."""
    if data.get("version") != 1:
        raise KnowledgeError(f"{where}: 'version' must be 1")
    raw_triggers = data.get("triggers")
    if not isinstance(raw_triggers, list) or not raw_triggers:
        raise KnowledgeError(f"{where}: 'triggers' must be a non-empty list")
    from harbinger.taxonomy import is_sub_event_type

    triggers: list[ArabicTrigger] = []
    for i, raw in enumerate(raw_triggers):
        w = f"{where}: triggers[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise KnowledgeError(f"{w} must be a mapping with an 'id'")
        sub = raw.get("sub_event_type")
        if not isinstance(sub, str) or not is_sub_event_type(sub):
            raise KnowledgeError(f"{w} ({raw['id']}): {sub!r} is not an ACLED sub-event type")
        weight = raw.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise KnowledgeError(f"{w} ({raw['id']}): 'weight' must be a whole number")
        renames: dict[str, tuple[tuple[str, str], ...]] = {}
        for key in ("by_agent", "by_target"):
            given = raw.get(key) or {}
            if not isinstance(given, dict):
                raise KnowledgeError(f"{w} ({raw['id']}): '{key}' must be a mapping")
            for name in given.values():
                if not is_sub_event_type(str(name)):
                    raise KnowledgeError(f"{w} ({raw['id']}): {key}: {name!r} is no sub-event type")
            renames[key] = tuple((str(k), str(v)) for k, v in given.items())
        words = _list(raw, "words", f"{w} ({raw['id']})")
        phrases: tuple[str, ...] = ()
        if raw.get("verbs") is not None:
            verbs = _list(raw, "verbs", f"{w} ({raw['id']})")
            forms = [f for v in verbs for f in verb_forms(v, imperfect=False)]
            words += tuple(f for f in forms if " " not in f)
            phrases = tuple(f for f in forms if " " in f)
        refined = raw.get("refined_by") or []
        if not isinstance(refined, list):
            raise KnowledgeError(f"{w} ({raw['id']}): 'refined_by' must be a list of trigger ids")
        outranks = raw.get("outranks") or []
        if not isinstance(outranks, list):
            raise KnowledgeError(f"{w} ({raw['id']}): 'outranks' must be a list of trigger ids")
        triggers.append(
            ArabicTrigger(
                raw["id"],
                sub,
                weight,
                words,
                renames["by_agent"],
                renames["by_target"],
                frozenset(str(r) for r in refined),
                phrases,
                frozenset(str(r) for r in outranks),
            )
        )
    ids = {t.id for t in triggers}
    for trig in triggers:
        for key, named in (("refined_by", trig.refined_by), ("outranks", trig.outranks)):
            unknown = sorted(named - ids)
            if unknown:
                raise KnowledgeError(
                    f"{where}: trigger {trig.id}: {key} names no trigger: {', '.join(unknown)}"
                )
    numbers = _mapping(data, "numbers", where)
    nums: dict[str, Any] = {
        key: _counts(numbers, key, f"{where}: numbers")
        for key in ("units", "tens", "hundreds", "thousands", "duals", "vague")
    }
    for key in ("teen", "at_least", "approximate", "at_most"):
        nums[key] = tuple(normalise_phrase(p) for p in _list(numbers, key, f"{where}: numbers"))
    speech = _mapping(data, "speech_verbs", where)
    cues = _mapping(data, "content_cues", where)
    indicators = _mapping(data, "indicators", where)
    outcomes = _mapping(data, "outcomes", where)
    victims = _mapping(data, "victims", where)
    outcome_words = {
        k: _list(outcomes, k, f"{where}: outcomes")
        + _verbs(data, "outcome_verbs", k, f"{where}: outcome_verbs", objects=True)
        for k in outcomes
    }
    speech_words = {
        k: _list(speech, k, f"{where}: speech_verbs")
        + _verbs(data, "speech_verb_stems", k, f"{where}: speech_verb_stems")
        for k in speech
    }
    agent = _list(data, "agent_markers", where)
    if data.get("agent_verbs") is not None:
        agent += tuple(
            f
            for v in _list(data, "agent_verbs", where)
            for f in verb_forms(v, objects=True, imperfect=False)
        )
    names = data.get("actor_names") or {}
    if not isinstance(names, dict):
        raise KnowledgeError(f"{where}: 'actor_names' must map actor ids to lists of names")
    return ArabicWords(
        triggers=tuple(triggers),
        clash_words=_list(data, "clash_words", where),
        clash_keeps=frozenset(_list(data, "clash_keeps", where)),
        outcomes=outcome_words,
        toll_breakdown=_list(data, "toll_breakdown", where),
        running_total=_list(data, "running_total", where),
        singular_victims=_list(data, "singular_victims", where),
        bombers=_counts(data, "bombers", where),
        victims={k: _list(victims, k, f"{where}: victims") for k in victims},
        anaphora=_list(data, "anaphora", where),
        agent_markers=agent,
        actor_heads=_list(data, "actor_heads", where),
        place_stoplist=frozenset(normalise_phrase(p) for p in _list(data, "place_stoplist", where)),
        countryside=_list(data, "countryside", where),
        target_markers=_list(data, "target_markers", where),
        support_markers=_list(data, "support_markers", where),
        speaker_only=frozenset(_list(data, "speaker_only", where)),
        separate_markers=_list(data, "separate_markers", where),
        background_markers=_list(data, "background_markers", where),
        place_nouns=_list(data, "place_nouns", where),
        away_markers=_list(data, "away_markers", where),
        numbers=nums,
        months={k: v + 1 for k, v in _numbered(data, "months", where, 12).items()},
        weekdays=_numbered(data, "weekdays", where, 7),
        ambiguous_weekdays=frozenset(
            normalise_phrase(p) for p in _list(data, "ambiguous_weekdays", where)
        ),
        day_parts=_list(data, "day_parts", where),
        relative_days=_counts(data, "relative_days", where),
        speech_verbs=speech_words,
        speech_openers=_list(data, "speech_openers", where),
        content_cues={k: _list(cues, k, f"{where}: content_cues") for k in cues},
        indicators=indicators,
        member_markers=_optional(data, "member_markers", where),
        pluperfect_verbs=tuple(
            f
            for v in _optional(data, "pluperfect_verbs", where)
            for f in verb_forms(v, imperfect=False)
        ),
        pluperfect_particles=_optional(data, "pluperfect_particles", where),
        other_incident=_optional(data, "other_incident", where),
        dead_nouns=_optional(data, "dead_nouns", where),
        bomber_phrases=_optional(data, "bomber_phrases", where),
        vague_bombers=frozenset(
            normalise_phrase(p) for p in _optional(data, "vague_bombers", where)
        ),
        sound_plurals=frozenset(
            normalise_phrase(p) for p in _optional(data, "sound_plurals", where)
        ),
        day_ordinals=_counts(data, "day_ordinals", where) if data.get("day_ordinals") else {},
        current_month=_optional(data, "current_month", where),
        past_markers=_optional(data, "past_markers", where),
        night_parts=_optional(data, "night_parts", where),
        night_joins=_optional(data, "night_joins", where),
        speaker_titles=_optional(data, "speaker_titles", where),
        speaker_title_of=_optional(data, "speaker_title_of", where),
        actor_names={str(k): _list(names, k, f"{where}: actor_names") for k in names},
        default_insurgent={
            str(k): str(v) for k, v in (data.get("default_insurgent") or {}).items()
        },
        recall_markers=_optional(data, "recall_markers", where),
        relative_pronouns=_optional(data, "relative_pronouns", where),
        recall_times=_optional(data, "recall_times", where),
        negations=_optional(data, "negations", where),
        verb_particles=_optional(data, "verb_particles", where),
        clause_joiners=_optional(data, "clause_joiners", where),
        clause_separators=_optional(data, "clause_separators", where),
        governing_groups=_optional(data, "governing_groups", where),
        bomber_multiples=(
            _counts(data, "bomber_multiples", where) if data.get("bomber_multiples") else {}
        ),
        direction_words=_optional(data, "direction_words", where),
        similar_markers=_optional(data, "similar_markers", where),
        wounded_nouns=_optional(data, "wounded_nouns", where),
        targeting_verbs=_optional(data, "targeting_verbs", where),
        same_place_markers=_optional(data, "same_place_markers", where),
        other_source_markers=_optional(data, "other_source_markers", where),
        demand_words=_optional(data, "demand_words", where),
        habitual_markers=_optional(data, "habitual_markers", where),
        landmark_markers=_optional(data, "landmark_markers", where),
    )


def _optional(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    """A list of phrases that a words file may leave out (empty then)."""
    return _list(data, key, where) if data.get(key) is not None else ()


def _verbs(
    data: dict[str, Any], key: str, kind: str, where: str, *, objects: bool = False
) -> tuple[str, ...]:
    """The forms of the verbs listed under ``key``/``kind`` (see :func:`verb_forms`)."""
    table = data.get(key)
    if table is None:
        return ()
    if not isinstance(table, dict):
        raise KnowledgeError(f"{where}: must be a mapping of lists of verbs")
    if table.get(kind) is None:
        return ()
    return tuple(f for v in _list(table, kind, where) for f in verb_forms(v, objects=objects))


def read_arabic_words(path: Any) -> ArabicWords:
    """Read and validate one Arabic words file (any path: tests point it at broken copies)."""
    return parse_arabic_words(read_yaml(path), str(path))


@functools.lru_cache(maxsize=4)
def load_arabic_words(theatre: str = "iraq_syria") -> ArabicWords:
    """The Arabic words of a theatre, read and validated once per process."""
    return read_arabic_words(theatre_dir(theatre) / _FILE)
