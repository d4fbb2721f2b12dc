"""Build the gazetteer's shipped places from UCDP GED and its districts from GeoNames.

UCDP GED (Uppsala Conflict Data Program, CC BY 4.0) codes each event to a place with its name
(``where_coordinates``), governorate (``adm_1``), district (``adm_2``), coordinates and the
precision of that point (``where_prec``). This script keeps ONLY those place fields, of the rows
whose point is the place itself or close to it (``where_prec`` 1 or 2), cleans the names the way
the gazetteer cleans a table's locations (``harbinger.geo.learned.coded_place_name``: "Nubl town"
is Nubl, "Tadmur/Palmyra town" has two names, descriptions such as "area between ..." are no
names), maps ``adm_1`` to the ISO 3166-2 code through the gazetteer, and writes one row per
distinct place, sorted, to ``places_ucdp.tsv`` beside the theatre's ``places.yaml``. Headlines,
actors, dates and every other column of the file are never read. Where UCDP gives one name in one
governorate several points, the point most rows give is kept (ties: the more exact precision,
then the lower coordinates), so the output depends only on the input.

GeoNames' district (admin2) names of Iraq and Syria (``admin2Codes.txt`` rows, CC BY 4.0) are
written to ``districts_geonames.tsv`` with the ISO 3166-2 code of their governorate (GeoNames'
admin1 numbers are mapped by ``geonames_admin1`` of places.yaml).

Run from the repository root::

    .venv/bin/python scripts/build_ucdp_places.py \\
        --ucdp ../shared/data/dev/ucdp-ged-syria/ged_syria_2016-2019.csv \\
        --geonames-admin2 ../shared/data/reference/geonames/admin2Codes_IQ_SY.txt
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from harbinger.geo import Gazetteer
from harbinger.geo.curated import _Builder, _knowledge_path, _read_yaml
from harbinger.geo.learned import (
    _DISTRICT_COLUMNS,
    DISTRICTS_HEADER,
    LearnedPlace,
    coded_place_name,
    write_places,
)

UCDP_ATTRIBUTION = (
    "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program, CC BY 4.0; "
    "Sundberg & Melander 2013, JPR 50(4); Högbladh 2019, UCDP GED Codebook 19.1"
)
GEONAMES_ATTRIBUTION = "GeoNames, geonames.org, CC BY 4.0"
#: The only columns read from the UCDP file.
_UCDP_COLUMNS = ("where_coordinates", "where_prec", "adm_1", "adm_2", "latitude", "longitude")
_SOURCE = "ucdp-ged"


def admin1_code(gazetteer: Gazetteer, name: str) -> str | None:
    """The ISO 3166-2 code of a governorate as UCDP writes it ("Hamah Governorate")."""
    for entry in gazetteer.lookup(name):
        if entry.kind == "admin1" and entry.admin1_code:
            return entry.admin1_code
    return None


def ucdp_places(path: Path, theatre: str = "iraq_syria") -> tuple[list[LearnedPlace], Counter[str]]:
    """The distinct places of a UCDP GED CSV file, and why other rows gave none."""
    places_yaml = _knowledge_path(theatre)
    rules = _Builder(places_yaml, _read_yaml(places_yaml)).rules
    gazetteer = Gazetteer.load(theatre, imported=False, learned=False)
    dropped: Counter[str] = Counter()
    # (admin1 code, names, admin2) -> (lat, lon, prec) -> rows
    points: dict[tuple[str, tuple[str, ...], str, bool], Counter[tuple[float, float, int]]] = (
        defaultdict(Counter)
    )
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _UCDP_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{path}: not a UCDP GED file: missing {', '.join(missing)}")
        for row in reader:
            fields = {c: (row.get(c) or "").strip() for c in _UCDP_COLUMNS}
            if fields["where_prec"] not in ("1", "2"):
                dropped["where_prec not 1-2"] += 1
                continue
            coded = coded_place_name(fields["where_coordinates"], rules)
            if coded is None:
                dropped["not a place name"] += 1
                continue
            code = admin1_code(gazetteer, fields["adm_1"])
            if code is None:
                dropped["governorate unknown"] += 1
                continue
            try:
                lat, lon = round(float(fields["latitude"]), 5), round(float(fields["longitude"]), 5)
            except ValueError:
                dropped["no coordinates"] += 1
                continue
            admin2 = " ".join(fields["adm_2"].split())
            points[(code, coded.names, admin2, coded.area)][
                (lat, lon, int(fields["where_prec"]))
            ] += 1
    places = []
    for (code, names, admin2, area), counts in points.items():
        (lat, lon, prec), _ = min(counts.items(), key=lambda kv: (-kv[1], kv[0][2], kv[0][:2]))
        places.append(
            LearnedPlace(
                name=names[0],
                aliases=names[1:],
                country_code=code[:2],
                admin1_code=code,
                admin2=admin2 or None,
                latitude=lat,
                longitude=lon,
                precision=prec,
                feature="area" if area else "",
                sources=(_SOURCE,),
            )
        )
    return places, dropped


def geonames_districts(path: Path, theatre: str = "iraq_syria") -> list[tuple[str, ...]]:
    """Rows (admin1 code, name, ascii name, GeoNames code, geonameid) of GeoNames' admin2 file."""
    places_yaml = _knowledge_path(theatre)
    builder = _Builder(places_yaml, _read_yaml(places_yaml))
    builder.add_curated()
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[0].count(".") != 2 or not fields[3].isdigit():
            raise SystemExit(f"{path}: line {number}: expected code, name, ascii name, geonameid")
        country, gn_admin1, _ = fields[0].split(".")
        code = builder.geonames_admin1.get((country, gn_admin1))
        if code is None:
            continue  # not a governorate of the theatre
        rows.append((code, fields[1].strip(), fields[2].strip(), fields[0], fields[3]))
    return sorted(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ucdp", type=Path, help="the UCDP GED CSV file")
    parser.add_argument("--geonames-admin2", type=Path, help="GeoNames admin2Codes rows (TSV)")
    parser.add_argument("--theatre", default="iraq_syria")
    args = parser.parse_args(argv)
    folder = _knowledge_path(args.theatre).parent
    if args.geonames_admin2:
        rows = geonames_districts(args.geonames_admin2, args.theatre)
        lines = [
            f"# Districts (admin2) of the theatre's governorates: {GEONAMES_ATTRIBUTION}.",
            "# Built by scripts/build_ucdp_places.py from GeoNames' admin2Codes.txt; no coordinates.",
            DISTRICTS_HEADER + "\t" + "\t".join(_DISTRICT_COLUMNS),
            *("\t".join(r) for r in rows),
        ]
        out = folder / "districts_geonames.tsv"
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{out}: {len(rows)} districts", file=sys.stderr)
    if args.ucdp:
        places, dropped = ucdp_places(args.ucdp, args.theatre)
        out = folder / "places_ucdp.tsv"
        write_places(
            out,
            places,
            comments=(
                f"Places of {UCDP_ATTRIBUTION}.",
                "Only place names, governorates, districts and coordinates are taken (rows with",
                "where_prec 1-2); built by scripts/build_ucdp_places.py. See docs/attribution.md.",
            ),
        )
        print(f"{out}: {len(places)} places; rows dropped: {dict(dropped)}", file=sys.stderr)
    if not (args.ucdp or args.geonames_admin2):
        parser.error("give --ucdp and/or --geonames-admin2")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
