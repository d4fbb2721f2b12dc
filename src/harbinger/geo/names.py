"""Place names and how they are matched: the entry record, spelling keys, and the variant index.

Transliterations of one Arabic name vary ("Shaddadah", "Shadadah"), so names and text words are
both reduced to one spelling skeleton: lookups key on it, and the variant index matches
capitalised text against it where no exact name matched. Short, lower-case and common-word
alternate names are not indexed, and skeleton matches must be capitalised.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from harbinger.knowledge.phrases import fold

#: Curated places, then admin1, regions, districts, countries; then places learned from coded
#: tables (UCDP GED, the user's imports), and GeoNames towns last, when nothing else decides.
_TIER = {"place": 7, "admin1": 6, "region": 5, "admin2": 4, "country": 3}
_LEARNED_TIER = 2
_GEONAMES_TIER = 1
#: Id prefixes of entries that do not come from places.yaml: GeoNames towns, places learned from
#: UCDP GED (shipped) and from the user's imported tables, and GeoNames districts.
_GEONAMES_PREFIX = "gn:"
_LEARNED_PREFIXES = ("ucdp:", "tbl:")
_DISTRICT_PREFIX = "adm2:"
#: Feature codes of a small area rather than a point: ACLED geo precision 2.
_AREA_FEATURES = frozenset({"area", "ADM2", "ADM3", "ADM4", "ADMD", "PPLX", "MT", "MTS", "VAL"})
#: GeoNames feature class A codes that are admin areas (class P is always kept).
_ADMIN_FEATURES = frozenset({"ADM1", "ADM2", "ADM3", "ADM4", "ADMD"})
_APOSTROPHES = re.compile(r"['`’‘ʿʾ´ʻ]")
_SEPARATORS = re.compile(r"[-‐–—_./,()]+")
_ARABIC_LETTERS = re.compile(r"[\u0600-\u06FF]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None}
)
#: A name written with an Arabic article glued on ("Al-Qaim", "Ash Shaddadah", "el-Bab").
_LEADING_ARTICLE = re.compile(
    r"^(?:al|el|ar|as|ash|ad|adh|az|an|at|ath)[-\s]+(?=\w)", re.IGNORECASE | re.UNICODE
)
_ADMIN1_SUFFIXES = ("province", "governorate")


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One named thing of the gazetteer: a country, governorate, region or place.

    ``id`` is stable: ``cur:<id>`` for curated places, ``gn:<geonameid>`` for GeoNames ones,
    ``adm1:<ISO 3166-2>``, ``reg:<id>``, ``cty:<ISO2>``, ``adm2:<geonameid>`` for GeoNames
    districts, ``ucdp:<n>`` for places learned from UCDP GED and ``tbl:<origin>:<n>`` for places
    of the tables the user imported.
    """

    id: str
    name: str
    kind: str
    country_code: str | None
    admin1_code: str | None
    admin1: str | None
    admin2: str | None
    latitude: float | None
    longitude: float | None
    population: int = 0
    admin1_codes: tuple[str, ...] = ()
    #: GeoNames feature code, or "area" for a curated place that is an area (precision 2).
    feature_code: str = ""
    #: The id of the city a district or neighbourhood belongs to ("cur:mosul"), else None.
    parent: str | None = None
    #: ACLED's name of a district, "City - District" ("Mosul - Al-Hadbaa"); "" for other entries.
    acled_name: str = ""
    #: The kind of facility ("airbase", "oil_field", "crossing", ...), "" for other places.
    facility: str = ""

    @property
    def curated(self) -> bool:
        """True for entries of places.yaml (as opposed to GeoNames or coded tables)."""
        return not self.id.startswith((_GEONAMES_PREFIX, _DISTRICT_PREFIX, *_LEARNED_PREFIXES))

    @property
    def learned(self) -> bool:
        """True for places learned from coded-event tables (UCDP GED, the user's imports)."""
        return self.id.startswith(_LEARNED_PREFIXES)

    @property
    def output_name(self) -> str:
        """The name to code: ACLED's "City - District" form for districts, else ``name``."""
        return self.acled_name or self.name


@dataclass(frozen=True, slots=True)
class _CodedNames:
    """How coded-event tables write a place around its name (places.yaml ``coded_names``).

    Words are lower-cased. ``settlement`` and ``area`` words trail a name and are dropped ("Nubl
    town" is Nubl; an "area" is a place of geo precision 2); a name ending in a ``not_place``
    word is no point ("Afrin district"); ``district`` words trail and ``district_prefixes`` lead
    the name of a district ("Azaz District", "Mintaqat Azaz"); ``district_forms`` are how text
    names a district ("{} district"), matched only as written.
    """

    settlement: frozenset[str] = frozenset()
    area: frozenset[str] = frozenset()
    not_place: frozenset[str] = frozenset()
    district: frozenset[str] = frozenset()
    district_prefixes: frozenset[str] = frozenset()
    district_forms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _TextContext:
    """How running text places one name inside another (places.yaml ``text_context``).

    Words are lower-cased. Between a name and the name that contains it stand only ``links``
    ("," "of" "in"), at least one of them, and ``fillers`` ("X town, Y governorate", "X district
    of Y"); ``away`` words just before a name make it a place of origin or destination, and
    ``lists`` words join the names of a list ("Mosul, Kirkuk and Baghdad").
    """

    links: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    away: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Rules:
    """Normalisation and filtering data of the theatre (from places.yaml)."""

    stoplist: frozenset[str]
    articles: frozenset[str]
    token_variants: Mapping[str, str]
    blockers: tuple[str, ...] = ()
    coded: _CodedNames = field(default_factory=_CodedNames)
    context: _TextContext = field(default_factory=_TextContext)


@dataclass(slots=True)
class _Names:
    """Names collected for one entry while loading: for find() and for lookup()."""

    # (surface, case_sensitive)
    phrases: list[tuple[str, bool]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    # names found in text only when the entry's parent city is named in the same text
    with_parent: list[str] = field(default_factory=list)
    # keys of the names find() matches case-insensitively, for spelling-variant matching
    variant_keys: set[str] = field(default_factory=set)


def _fold(text: str) -> str:
    """``phrases.fold``, with a fast path: for ASCII text it is exactly ``str.lower``."""
    return text.lower() if text.isascii() else fold(text)


def _is_arabic(text: str) -> bool:
    return bool(_ARABIC_LETTERS.search(text))


def _is_latin(text: str) -> bool:
    for ch in text:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def _key(surface: str, rules: _Rules) -> str:
    """The lookup key of a name: spelling variants of one name map to the same key.

    Folds case and accents, drops apostrophes, treats hyphens as spaces, drops Arabic articles
    ("al", "ez", "ash") as words, maps common name words to one spelling ("tell" -> "tal") and
    reduces each word to its spelling skeleton (``_skeleton``).
    """
    text = unicodedata.normalize("NFKD", surface.strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    if _is_arabic(text):
        text = text.translate(_ARABIC_FOLD)
        # The article is written joined in Arabic: "الموصل" and "موصل" are one name.
        bare = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in text.split()]
        return " ".join(bare)
    text = _APOSTROPHES.sub("", text)
    text = _SEPARATORS.sub(" ", text)
    words = [_normal_word(word, rules) for word in text.split()]
    return " ".join(w for w in words if w)


def _normal_word(word: str, rules: _Rules) -> str:
    """One lower-cased, accent-free word of a name as ``_key`` writes it ("" for an article)."""
    if word in rules.articles:
        return ""
    return _skeleton(rules.token_variants.get(word, word))


#: The spelling-variant rules of ``_skeleton``, applied in this order (see its docstring).
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"ou|oo"), "u"),  # Qusour = Qusur, Mahmoudiya = Mahmudiya
    (re.compile(r"ee"), "i"),  # Hadeetha = Haditha
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: Shaddadah = Shadadah, Hadbaa = Hadba
    (re.compile(r"o"), "u"),  # Arabic has no o: Mosul = Musul, Qosor = Qusur
    (re.compile(r"dh"), "d"),  # Dhiban = Diban, Hadhar = Hadar
    (re.compile(r"ey(?=[aeiu])"), "iy"),  # Malikeyeh = Malikiyeh
    (re.compile(r"[ea]i"), "ay"),  # Deir = Dayr, Baiji = Bayji, Kwaires = Kwayres
    (re.compile(r"uw(?=[aeiuy])"), "w"),  # Kuweires = Kweires, Suwayda = Swayda
    (re.compile(r"(?<=...)[ae]h$"), "a"),  # Hamah = Hama, Raqqah = Raqqa, Malikiyeh = Malikiya
    (re.compile(r"(?<=..[^aeiuy])e$"), "a"),  # Amude = Amuda, Akre = Akra
    (re.compile(r"^q"), "k"),  # Qayyarah = Kayara, Qaim = Kaim
)


@functools.lru_cache(maxsize=65536)
def _skeleton(word: str) -> str:
    """The spelling skeleton of one lower-cased word of a transliterated Arabic (or Kurdish) name.

    English spellings of one Arabic name differ in ways that carry no information: doubled
    consonants (Shaddadi, Shadadi), vowel digraphs (ou/oo/u, ee/i), "o" for "u" (Arabic has no
    o), ei/ai for ay, dh for d, the feminine ending (-ah/-eh/-a, -iyah/-iyeh/-iyyeh/-eyyeh) and
    q/k at the start. Each of those is reduced to one form, so "Al-Malikeyyeh" and "Malikiyah",
    "Kwaires" and "Kuweires", "Hamah" and "Hama" share a skeleton. The rules are deliberately few
    and only ever merge spellings that differ in a way transliteration does; vowels that differ
    in the name itself (Dihok / Duhok) are left to aliases.
    """
    for pattern, replacement in _SKELETON_RULES:
        word = pattern.sub(replacement, word)
    return word


def _surface_variants(name: str, *, bare: bool = True) -> Iterator[str]:
    """The ways a name is written in text: hyphen or space, with or without article/apostrophes.

    The form without the article ("Qaim" for "Al-Qaim") is given only when ``bare`` and when it
    keeps 5+ characters: shorter ones ("Hol", "Bab", "Hai") are English words or noise.
    """
    name = " ".join(name.split())
    seen: set[str] = set()
    bases = [name, name.replace("-", " "), re.sub(r"\b(al|el|Al|El)\s", r"\1-", name)]
    without = _LEADING_ARTICLE.sub("", name)
    if bare and without != name and len(without) >= 5:
        bases += [without, without.replace("-", " ")]
    for base in bases:
        for variant in (base, _APOSTROPHES.sub("", base)):
            if variant and variant not in seen:
                seen.add(variant)
                yield variant


def _geonames_name_ok(name: str, rules: _Rules) -> bool:
    """Whether a GeoNames (alternate) name may be matched in running text."""
    if _is_arabic(name):
        return len(name) >= 3
    if not _is_latin(name) or len(name) < 4:
        return False
    letters = [c for c in name if c.isalpha()]
    if not letters or not any(c.isupper() for c in letters):
        return False  # machine transliterations ("swldw", "al tartr") and lower-case words
    if len(letters) <= 5 and all(c.isupper() for c in letters):
        return False  # airport and other codes ("BGW")
    words = _fold(name).replace("-", " ").split()
    if all(w in rules.stoplist or w in rules.articles for w in words):
        return False  # "As Seen", an alternate name of As Si'in: English words and articles only
    return _fold(name) not in rules.stoplist


def _case_sensitive(name: str, rules: _Rules, *, curated: bool) -> bool:
    """Short names and names that are also English words match only as written ("Hit").

    Curated names are vetted, so only those of up to 4 characters count as short; GeoNames
    names of up to 5 ("Dana", "Seen", "Badra") are matched only as written.
    """
    if _is_arabic(name):
        return False
    return len(name) <= (4 if curated else 5) or _fold(name) in rules.stoplist


@functools.lru_cache(maxsize=1)
def _world_country_names() -> tuple[str, ...]:
    """Names of every country (pycountry's ISO 3166-1 names, common and official)."""
    try:
        import pycountry
    except ImportError:  # pragma: no cover - a declared dependency
        return ()
    names: list[str] = []
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if isinstance(value, str):
                names.append(value)
    return tuple(names)


#: A word of running text for variant matching: letters, with inner apostrophes ("Ma'arrat").
_TEXT_WORD = re.compile(r"[^\W\d_]+(?:['`’ʿʾ][^\W\d_]+)*")
#: A word that may begin a name: the regex skips lower-case words in C, which is most of them
#: (the Latin Extended ranges mix cases, so the caller still checks ``isupper``).
_CAPITALISED_WORD = re.compile(r"(?<![^\W_])[A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ][^\W\d_]*(?:['`’ʿʾ][^\W\d_]+)*")
#: What may stand between two words of one name in text: spaces and dashes ("Omar - Oil Fields").
_NAME_GAP = re.compile(r"(?:[^\S\n]|[-‐–—])*")
#: Words of a spelling-variant match have at least this many letters in all (skeleton letters).
_MIN_VARIANT_LETTERS = 5
#: Longest name, in words, matched by spelling variant.
_MAX_VARIANT_WORDS = 6


class _VariantIndex:
    """Names by spelling skeleton, to find in text the spellings no alias lists.

    Built from the keys of the names ``find`` matches exactly and case-insensitively (so
    lookup-only, stoplisted, short and case-sensitive names stay out), less those whose skeleton
    is that of a stoplist word
    ("Hussein" and "Husayn" both stay out). A match must begin with a capital letter, and so
    must the word after a leading article ("As seen" is no "As Si'in"). It is used only where
    no exact name matched: it adds names, it never overrides one.
    """

    def __init__(
        self,
        entries: Mapping[str, GazetteerEntry],
        names: Mapping[str, _Names],
        rules: _Rules,
    ) -> None:
        self._rules = rules
        self._cache: dict[str, str] = {}
        # Common words and the world's country names must not be read as a place's variant
        # ("Chile" is a skeleton of an alternate name of Hillah).
        stop = {_key(w, rules) for w in (*rules.stoplist, *_world_country_names())}
        self._names: dict[tuple[str, ...], list[GazetteerEntry]] = {}
        for entry_id, collected in names.items():
            entry = entries[entry_id]
            for key in collected.variant_keys:
                words = tuple(key.split())
                letters = sum(len(w) for w in words)
                if not words or len(words) > _MAX_VARIANT_WORDS or key in stop:
                    continue
                if letters < _MIN_VARIANT_LETTERS:
                    continue
                bucket = self._names.setdefault(words, [])
                if entry not in bucket:
                    bucket.append(entry)
        self._first = {words[0] for words in self._names}
        self._articles = {a.lower() for a in rules.articles}
        self._longest = max((len(w) for w in self._names), default=0)
        # An article joined to the name ("al-Bab", "as-Suwayda", "Al Bab"); not English "the".
        joined = "|".join(sorted((re.escape(a) for a in rules.articles if a != "the"), key=len))
        self._lead = re.compile(rf"(?<![^\W\d_])(?:(?:{joined})[-‐]|(?:al|el)\s+)$", re.IGNORECASE)

    def _word(self, word: str) -> str:
        key = self._cache.get(word)
        if key is None:
            folded = unicodedata.normalize("NFKD", word.lower())
            folded = "".join(c for c in folded if not unicodedata.combining(c))
            key = _normal_word(_APOSTROPHES.sub("", folded), self._rules)
            if len(self._cache) > 200_000:  # bounded: running text brings new words forever
                self._cache.clear()
            self._cache[word] = key
        return key

    def find(
        self, text: str, taken: Sequence[tuple[int, int]]
    ) -> list[tuple[int, int, list[GazetteerEntry]]]:
        """(start, end, entries) of names spelled another way, outside the ``taken`` spans.

        Only capitalised words whose skeleton begins a name are looked at (few in running
        text); from each, the following words joined by spaces or dashes are tried, longest
        first. An Arabic article written before the name ("al-", "Al ") is part of the span.
        """
        found: list[tuple[int, int, list[GazetteerEntry]]] = []
        if not self._names:
            return found
        # Overlap with the taken spans by binary search: a span [first, end) overlaps one of them
        # when, among those starting before ``end``, the furthest end lies past ``first``. (A scan
        # of every span for every candidate made a long text quadratic.)
        spans = sorted(taken)
        starts = [s for s, _ in spans]
        reach = list(itertools.accumulate((e for _, e in spans), max))
        done = 0  # end of the last match: matches do not overlap
        for match in _CAPITALISED_WORD.finditer(text):
            start = match.start()
            if start < done or not match.group()[0].isupper():
                continue
            word, end = _without_possessive(match.group(), match.end())
            key = self._word(word)
            if key not in self._first:
                continue
            keys, ends, capitals = [key], [end], [True]
            after_article = word.lower() in self._articles  # "As Si'in", "Al Bab"
            position = end
            possessive = end != match.end()  # a possessive ends the name
            while not possessive and len(keys) < self._longest:
                gap = _NAME_GAP.match(text, position)
                if gap is None or gap.end() == position:
                    break
                nxt = _TEXT_WORD.match(text, gap.end())
                if nxt is None:
                    break
                word, position = _without_possessive(nxt.group(), nxt.end())
                possessive = position != nxt.end()
                key = self._word(word)
                if key:  # an article inside a name ("Ain al-Asad") is skipped
                    keys.append(key)
                    ends.append(position)
                    capitals.append(any(c.isupper() for c in word))
            for n in range(len(keys), 0, -1):
                entries = self._names.get(tuple(keys[:n]))
                if entries is None:
                    continue
                if after_article and n > 1 and not capitals[1]:
                    # The name proper after an article is capitalised: "As seen" is no "As Si'in".
                    # (Lower-case words after it are fine: "Kwaires airport".)
                    break
                lead = self._lead.search(text, max(0, start - 8), start)
                first = lead.start() if lead else start
                before = bisect.bisect_left(starts, ends[n - 1])
                if not (before and reach[before - 1] > first):
                    found.append((first, ends[n - 1], entries))
                    done = ends[n - 1]
                break
        return found


def _without_possessive(word: str, end: int) -> tuple[str, int]:
    """A word without a final "'s" ("Shadadah's"), and where it then ends."""
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2], end - 2
    return word, end
