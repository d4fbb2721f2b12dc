"""The scorer's arithmetic and name matching: pure functions, no I/O.

Classification scores (accuracy, macro and weighted F1, per-label precision/recall/F1, the
confusion table) come from ``sklearn.metrics`` so that their definitions are the standard ones.
The rest is small: shares of correct rows, distances and their median, date matching against a
gold day or span, binary F1, and the normalisations that let a coded value be compared with a
dataset's spelling of it: country and governorate names through the gazetteer's variants of each
ISO code, town names through gazetteer ids and name variants, "is this actor the Islamic State",
ACLED actor names without their regime years (``actor_key``) and the F1 of the pair of sides,
and UCDP actor names through a small table of ACLED-style equivalents (``UCDP_SIDES``).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from harbinger.geo import Gazetteer, distance_km
from harbinger.knowledge.phrases import fold
from harbinger.records import Event, Place

__all__ = [
    "UCDP_SIDES",
    "ClassificationScores",
    "LabelScores",
    "SideCounts",
    "actor_key",
    "admin1_codes",
    "binary_f1",
    "classification_scores",
    "coded_actors",
    "country_code",
    "date_matches",
    "distance",
    "headline_names_place",
    "is_islamic_state",
    "median",
    "place_word",
    "same_admin1",
    "same_location",
    "share",
    "side_counts",
    "side_matches",
    "within",
]


# -- classification -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Precision, recall and F1 of one label, and its number of gold rows."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class ClassificationScores:
    """Scores of a single-label classification against gold labels."""

    n: int
    accuracy: float
    macro_f1: float
    weighted_f1: float
    per_label: Mapping[str, LabelScores]
    #: gold label -> predicted label -> count (only non-zero cells).
    confusion: Mapping[str, Mapping[str, int]]


def classification_scores(gold: Sequence[str], predicted: Sequence[str]) -> ClassificationScores:
    """Accuracy, macro and weighted F1 (sklearn's definitions), per-label scores and confusion.

    The label set is sklearn's default: every label that occurs in the gold or the predictions, so
    a label that is only ever predicted counts in the macro average with an F1 of 0.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    if not gold:
        return ClassificationScores(0, 0.0, 0.0, 0.0, {}, {})
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    labels = sorted(set(gold) | set(predicted))
    p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    per_label = {
        label: LabelScores(float(p[i]), float(r[i]), float(f[i]), int(s[i]))
        for i, label in enumerate(labels)
    }
    confusion: dict[str, dict[str, int]] = {}
    for g, q in zip(gold, predicted, strict=True):
        row = confusion.setdefault(g, {})
        row[q] = row.get(q, 0) + 1
    return ClassificationScores(
        n=len(gold),
        accuracy=float(accuracy_score(gold, predicted)),
        macro_f1=float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)),
        weighted_f1=float(
            f1_score(gold, predicted, labels=labels, average="weighted", zero_division=0)
        ),
        per_label=per_label,
        confusion={g: dict(sorted(row.items())) for g, row in sorted(confusion.items())},
    )


def binary_f1(gold: Sequence[bool], predicted: Sequence[bool]) -> float | None:
    """F1 of the positive class (sklearn's ``f1_score``); None when there is no positive at all,
    gold or coded: an F1 of nothing is not 0."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold values but {len(predicted)} predictions")
    if not any(gold) and not any(predicted):
        return None
    from sklearn.metrics import f1_score

    return float(f1_score(list(gold), list(predicted), pos_label=True, zero_division=0))


# -- shares, distances, dates ---------------------------------------------------------------------


def share(flags: Iterable[bool]) -> float | None:
    """The share of True values, or None when there are none to count."""
    values = list(flags)
    return sum(values) / len(values) if values else None


def distance(place: Place | None, latitude: float | None, longitude: float | None) -> float | None:
    """Kilometres from a coded place to gold coordinates; None if either side has no point."""
    if place is None or place.latitude is None or place.longitude is None:
        return None
    if latitude is None or longitude is None:
        return None
    return distance_km(place.latitude, place.longitude, latitude, longitude)


def within(distances: Iterable[float | None], km: float) -> float | None:
    """Share of rows within ``km`` of the gold point; a row without a distance is a miss."""
    return share(d is not None and d <= km for d in distances)


def median(values: Iterable[float | None]) -> float | None:
    """Median of the values that are not None (None when there are none)."""
    present = [v for v in values if v is not None]
    return float(statistics.median(present)) if present else None


def date_matches(predicted: dt.date | None, start: dt.date, end: dt.date | None = None) -> bool:
    """True when the predicted day is the gold day, or falls in the gold span start..end."""
    if predicted is None:
        return False
    return start <= predicted <= (end or start)


# -- places ---------------------------------------------------------------------------------------

_AFTER_DASH = re.compile(r"\s+[-–—]\s+")
_GOVERNORATE = re.compile(r"\s+(?:governorate|province)$", re.IGNORECASE)


def country_code(gazetteer: Gazetteer, name: str) -> str | None:
    """The ISO 3166-1 code of a dataset's country name ("Iraq" -> "IQ"), or None if unknown."""
    if not name.strip():
        return None
    for entry in gazetteer.lookup(name.strip()):
        if entry.kind == "country" and entry.country_code:
            return entry.country_code
    return None


def admin1_codes(gazetteer: Gazetteer, name: str, country_code: str | None = None) -> set[str]:
    """The ISO 3166-2 codes a dataset's governorate name stands for.

    The name is looked up among the gazetteer's spelling variants ("Nineveh", "Ninewa", "Al
    Anbar", "Idleb", "Deir ez Zor", "Rif Dimashq Governorate" ...); only governorate entries count,
    so "Hamah" the province is not confused with Hama the town. When the lookup finds none, the
    name is compared with every governorate's folded names. ``country_code`` narrows the answer
    when a name exists in both countries.
    """
    name = name.strip()
    if not name:
        return set()
    codes = {e.admin1_code for e in gazetteer.lookup(name) if e.kind == "admin1" and e.admin1_code}
    if not codes:
        bare = fold(_GOVERNORATE.sub("", name))
        codes = {
            e.admin1_code
            for e in gazetteer.admin1_entries()
            if e.admin1_code and bare in gazetteer.admin1_names(e.admin1_code)
        }
    if country_code and len(codes) > 1:
        narrowed = {c for c in codes if c.startswith(country_code.upper() + "-")}
        codes = narrowed or codes
    return codes


def same_admin1(place: Place | None, gold_codes: set[str]) -> bool:
    """True when the coded place lies in one of the gold governorates."""
    return place is not None and place.admin1_code is not None and place.admin1_code in gold_codes


def _name_forms(name: str) -> list[str]:
    """A location name, and for ACLED's "Town - Part" form also the town alone."""
    forms = [name.strip()]
    parts = _AFTER_DASH.split(name.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0]:
        forms.append(parts[0])
    return forms


def same_location(gazetteer: Gazetteer, place: Place | None, gold_name: str) -> bool:
    """True when the coded place is the gold town (or site).

    Matched by gazetteer id (the coded entry is one of the entries the gold name looks up to) or by
    name variant (the coded name and the gold name fold to the same text, or look up to a common
    entry). ACLED's "Mosul - Old City" is also matched at "Mosul". Only a coded *place* counts: a
    governorate or country coded for a town of the same name ("Baghdad") is not a match.
    """
    if place is None or place.kind != "place" or not gold_name.strip():
        return False
    coded_ids = {place.gazetteer_id} if place.gazetteer_id else set()
    coded_ids |= {e.id for e in gazetteer.lookup(place.name) if e.kind == "place"}
    for form in _name_forms(gold_name):
        if fold(form) == fold(place.name):
            return True
        gold_ids = {e.id for e in gazetteer.lookup(form) if e.kind == "place"}
        if place.gazetteer_id in gold_ids or (coded_ids & gold_ids):
            return True
    return False


# -- actors ---------------------------------------------------------------------------------------

#: An actor name that *is* the Islamic State starts with one of its names; a name that only
#: mentions it ("Global Coalition Against Daesh") is another actor.
_IS_NAMES = re.compile(r"(?:islamic state|da['’]?[ei]sh|isil|isis)\b", re.IGNORECASE)
_IS_ACRONYM = re.compile(r"IS\b")


def is_islamic_state(name: str | None) -> bool:
    """True when an actor name is the Islamic State: it starts with Islamic State, ISIL, ISIS,
    IS, Daesh ("Islamic State of Iraq and the Levant (ISIL)", "Islamic State (Syria)", "IS").

    A name that only mentions the group is not it ("Global Coalition Against Daesh"), and "IS"
    counts only in capitals, so that the English verb is not read as the group.
    """
    if not name:
        return False
    name = name.strip()
    return bool(_IS_NAMES.match(name) or _IS_ACRONYM.match(name))


def coded_actors(event: Event | None) -> list[str]:
    """Every actor name of a coded event: actor1, actor2 and each '; '-joined associated actor."""
    if event is None:
        return []
    names: list[str] = []
    for value in (event.actor1, event.actor2, event.assoc_actor1, event.assoc_actor2):
        if value:
            names.extend(v.strip() for v in value.split(";") if v.strip())
    return names


#: ACLED's regime period after a state force's name: "(2020-)", "(2018-2022)". A date format of the
#: dataset's names, not a word of any language.
_REGIME_YEARS = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")
_SPACES = re.compile(r"\s+")


def actor_key(name: str | None) -> str:
    """An ACLED actor name without its regime years, folded: what two names must share to be the
    same actor. "Military Forces of Iraq (2020-)" and "Military Forces of Iraq (2018-2022)" are
    one actor; "Islamic State (Iraq)" and "Islamic State (Syria)" stay two, and a unit stays part
    of the name ("Military Forces of Iraq (2022-) Peshmerga" is not the army)."""
    if not name:
        return ""
    return _SPACES.sub(" ", fold(_REGIME_YEARS.sub(" ", name))).strip()


@dataclass(frozen=True, slots=True)
class SideCounts:
    """Actors of one row compared as an unordered pair: the shared ones, the gold and the coded."""

    matched: int
    gold: int
    coded: int

    def __add__(self, other: SideCounts) -> SideCounts:
        return SideCounts(
            self.matched + other.matched, self.gold + other.gold, self.coded + other.coded
        )

    @property
    def f1(self) -> float | None:
        """Micro F1 over the actors counted (None when neither side has one)."""
        if self.gold + self.coded == 0:
            return None
        return 2 * self.matched / (self.gold + self.coded)


def side_counts(gold: Iterable[str | None], coded: Iterable[str | None]) -> SideCounts:
    """Compare gold actor1/actor2 with coded actor1/actor2 as sets of ``actor_key`` names.

    The order is ignored (ACLED's actor order means nothing outside violence against civilians,
    and the victim rule is the sub-event type's business), empty slots are not actors, and an
    actor named on both sides counts once.
    """
    gold_keys = {k for k in map(actor_key, gold) if k}
    coded_keys = {k for k in map(actor_key, coded) if k}
    return SideCounts(len(gold_keys & coded_keys), len(gold_keys), len(coded_keys))


#: UCDP GED actor names -> the ACLED-style names (prefixes) the coder writes for them. A coded
#: name matches when it starts with one of the prefixes, so every regime period and unit of a state
#: force counts ("Military Forces of Syria (2000-2024) Syrian Arab Air Force"). UCDP names not in
#: the table are compared by folded name (see ``side_matches``).
UCDP_SIDES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "IS": ("Islamic State",),
        "Government of Syria": (
            "Military Forces of Syria",
            "Police Forces of Syria",
            "QDW: National Defense Forces",
        ),
        "Government of Iraq": ("Military Forces of Iraq", "Police Forces of Iraq"),
        "Government of Turkey": ("Military Forces of Turkey",),
        "Government of Israel": ("Military Forces of Israel",),
        "Government of Iran": ("Military Forces of Iran",),
        "Government of Russia (Soviet Union)": ("Military Forces of Russia",),
        "SDF": ("QSD: Syrian Democratic Forces", "YPG: Peoples Protection Units"),
        "Syrian insurgents": (
            "Opposition Rebels (Syria)",
            "Islamist Rebels (Syria)",
            "Free Syrian Army",
        ),
        "FSA": ("Free Syrian Army",),
        "SNA": ("SNA: Syrian National Army",),
        "HTS": ("HTS: Hayat Tahrir al Sham",),
        "Jabhat Fateh al-Sham": ("JFS: Jabhat Fateh al Sham", "HTS: Hayat Tahrir al Sham"),
        "Ahrar al-Sham": ("AAS: Ahrar al Sham",),
        "Jaysh al-Islam": ("Jaysh al Islam",),
        "Sham Legion": ("Al Sham Corps",),
        "National Front for Liberation": ("NFL: National Front for Liberation",),
        "Civilians": ("Civilians",),
        "Hezbollah": ("Hezbollah",),
    }
)

_PUNCT = re.compile(r"[\s\-‐–—'’`.,]+")


def _plain(name: str) -> str:
    """Folded name without an "ABBR: " prefix, a "(Country)" suffix or punctuation."""
    name = re.sub(r"^[A-Z]{2,6}:\s*", "", name.strip())
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    return _PUNCT.sub(" ", fold(name)).strip()


def side_matches(side: str, coded: Sequence[str]) -> bool:
    """True when one of the coded actor names stands for one of a UCDP side's actors.

    A UCDP side may list several actors (", "-joined). Each is looked up in ``UCDP_SIDES``; a name
    not in the table matches a coded name equal to it once case, hyphens and apostrophes, an
    "ABBR: " prefix and a "(Country)" suffix are set aside ("Nour al-Din al-Zenki").
    """
    for member in (m.strip() for m in side.split(",")):
        if not member:
            continue
        prefixes = UCDP_SIDES.get(member)
        for name in coded:
            if prefixes is not None:
                if any(name.startswith(p) for p in prefixes):
                    return True
            elif _plain(name) == _plain(member):
                return True
    return False


# -- UCDP row selection ---------------------------------------------------------------------------

#: Words that start a UCDP place name without naming it: Arabic articles and directions.
_NOT_A_NAME = frozenset(
    {
        "al", "el", "ar", "as", "ash", "ad", "adh", "az", "an", "at", "ath", "the",
        "eastern", "western", "northern", "southern", "central", "east", "west", "north", "south",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _words(text: str) -> list[str]:
    """Folded words of a text, hyphens and apostrophes taken as breaks ("Deir ez-Zor")."""
    return _WORD.findall(fold(text).replace("'", " ").replace("’", " "))


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def place_word(where: str) -> str | None:
    """The word of a UCDP ``where_coordinates`` that names the place: its first word once Arabic
    articles and direction words are set aside ("Ash Shaykh Miskin town" -> "shaykh"), if it has
    at least three letters."""
    for word in _words(where):
        if word in _NOT_A_NAME:
            continue
        return word if len(word) >= 3 else None
    return None


def headline_names_place(headline: str, where: str, adm_1: str) -> bool:
    """The UCDP selection rule: the headline names the event's place or its governorate.

    True when the headline holds ``place_word(where)`` as a whole word, or the governorate name of
    ``adm_1`` without "Governorate" and a leading article ("Ar Raqqah Governorate" -> "raqqah") as
    whole words; case, accents, hyphens and apostrophes are ignored.
    """
    words = _words(headline)
    word = place_word(where)
    if word and word in words:
        return True
    governorate = _words(_GOVERNORATE.sub("", adm_1.strip()))
    while governorate and governorate[0] in _NOT_A_NAME:
        governorate = governorate[1:]
    return _contains(words, governorate)
