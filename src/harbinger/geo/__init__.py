"""Geography of a theatre: the gazetteer, its regions and their polygons, and the admin lookups.

Read by every stage that needs to know where a place is: extract (geocoding names in text),
the table readers (governorates of imported rows), analyze (series and warnings per
governorate and region), evaluate (distances) and the web (the map). It depends only on the
records, the errors and the theatre's knowledge files; nothing here imports a stage above it.
"""

from harbinger.geo.gazetteer import Gazetteer, configured_gazetteer
from harbinger.geo.geometry import distance_km
from harbinger.geo.geonames import (
    DUMP_HEADER,
    GeoNamesImport,
    default_data_dir,
    dumps_dir,
    import_geonames_dump,
    imported_dumps,
)
from harbinger.geo.learned import (
    LearnedPlace,
    TablePlaces,
    add_table_places,
    coded_place_name,
    imported_places,
    places_dir,
    read_places,
)
from harbinger.geo.names import GazetteerEntry

__all__ = [
    "DUMP_HEADER",
    "Gazetteer",
    "GazetteerEntry",
    "GeoNamesImport",
    "LearnedPlace",
    "TablePlaces",
    "add_table_places",
    "coded_place_name",
    "configured_gazetteer",
    "default_data_dir",
    "distance_km",
    "dumps_dir",
    "import_geonames_dump",
    "imported_dumps",
    "imported_places",
    "places_dir",
    "read_places",
]
