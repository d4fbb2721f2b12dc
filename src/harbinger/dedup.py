"""Duplicate finding: near-copies of documents and several reports of one event.

Two kinds of duplicate reach a desk. *Near-copies* of a document (a wire story re-published with
a new headline or a few words edited) are found with MinHash LSH: a document's body is cut into
overlapping word 5-grams of its normalised text, summarised by a 128-permutation MinHash
(datasketch), and the signature is split into ``BANDS`` bands of ``ROWS`` rows, the split
datasketch's ``MinHashLSH`` chooses for a Jaccard threshold of 0.8. Each band is hashed into a
short text key; the store keeps the keys in an indexed table and looks a new document's keys up
with one ``IN`` query, so the index survives restarts and never has to be loaded whole (9 rows per
document: under a million rows for 100k documents). Candidates are confirmed by the Jaccard
similarity estimated from the stored signatures. *Reports of one event* in different documents
are recognised by ``same_incident`` (same event type, the same place or within 10 km, dates within
one day, compatible actors) and their death tolls reconciled UCDP-style by ``reconcile``. This
module holds only the pure functions; ``harbinger.store`` applies them inside its transactions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from harbinger.ingest.repair import normalise_for_id
from harbinger.knowledge.arabic import fold

__all__ = [
    "BANDS",
    "MAX_DISTANCE_KM",
    "MIN_WORDS",
    "NUM_PERM",
    "ROWS",
    "SHINGLE_WORDS",
    "THRESHOLD",
    "ReportKey",
    "band_keys",
    "distance_km",
    "jaccard",
    "mergeable",
    "minhash",
    "minhashes",
    "reconcile",
    "representative_order",
    "same_incident",
    "shingles",
    "signature_from_bytes",
    "signature_to_bytes",
]

#: Jaccard similarity of word 5-grams above which a document is a near-copy of another.
THRESHOLD = 0.8
#: Permutations of the MinHash; 128 estimates a Jaccard of 0.8 within about +-0.035.
NUM_PERM = 128
#: LSH bands and rows per band: what ``MinHashLSH(threshold=0.8, num_perm=128)`` chooses
#: (a test keeps the two in step). 9 x 13 = 117 of the 128 values are used for banding.
BANDS = 9
ROWS = 13
#: Words per shingle: long enough that two different reports of one incident share few.
SHINGLE_WORDS = 5
#: Bodies shorter than this are not compared: the same one-line bulletin ("Two killed in a
#: blast in Mosul") can report different incidents on different days. Exact copies of short
#: texts are still stored once, by their id.
MIN_WORDS = 25
#: Events farther apart than this are not one incident.
MAX_DISTANCE_KM = 10.0
#: Dates of one incident differ by at most this many days between reports.
MAX_DAYS_APART = 1

_WORD = re.compile(r"\w+")
# Event types whose sub-types are different things rather than different views of one thing:
# an arrest and a ceasefire on the same day in one town are two developments.
_SUB_TYPE_MUST_MATCH = frozenset({"Strategic developments", "Protests", "Riots"})
_VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
_UNKNOWN_PREFIXES = ("unidentified", "unknown")


# -- near-copies of documents ----------------------------------------------------------------


def shingles(text: str) -> list[bytes]:
    """The word 5-grams of the normalised, case-folded text, as UTF-8 bytes (none if too short).

    Arabic is folded as for matching (``knowledge.arabic.fold``: diacritics and tatweel dropped,
    the alef, yaa, taa marbuta and hamza forms and Arabic-Indic digits folded), so that two
    outlets' spellings of one report are a near-copy ("قُتِلَ" and "قتل", "أكثر" and "اكثر");
    a text without Arabic letters gives the shingles it always gave.
    """
    words = _WORD.findall(fold(normalise_for_id(text)).casefold())
    if len(words) < MIN_WORDS:
        return []
    return [
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    ]


def minhash(text: str) -> MinHash | None:
    """The MinHash of a document body, or None when it is too short to compare."""
    grams = shingles(text)
    if not grams:
        return None
    sketch = MinHash(num_perm=NUM_PERM)
    sketch.update_batch(grams)
    return sketch


def minhashes(texts: Sequence[str]) -> list[MinHash | None]:
    """``minhash`` of many bodies at once (one permutation setup for all: faster in batches)."""
    grams = [shingles(t) for t in texts]
    present = [g for g in grams if g]
    built = iter(MinHash.bulk(present, num_perm=NUM_PERM)) if present else iter(())
    return [next(built) if g else None for g in grams]


def band_keys(sketch: MinHash) -> list[str]:
    """The LSH keys of a signature: one short text per band, prefixed with the band number.

    Two documents share a key when all 13 values of a band agree, which happens for at least one
    of the 9 bands with probability 1 - (1 - s^13)^9 at Jaccard similarity s (0.5 at s = 0.8).
    """
    values = np.asarray(sketch.hashvalues, dtype="<u8")
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=10).hexdigest()
        keys.append(f"{band}:{digest}")
    return keys


def signature_to_bytes(sketch: MinHash) -> bytes:
    """The signature as little-endian 64-bit integers (what the store keeps)."""
    return np.asarray(sketch.hashvalues, dtype="<u8").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    """A stored signature back as an array of hash values."""
    return np.frombuffer(data, dtype="<u8")


def jaccard(a: MinHash | np.ndarray, b: MinHash | np.ndarray) -> float:
    """The Jaccard similarity estimated from two signatures of the same permutations."""
    va = a.hashvalues if isinstance(a, MinHash) else a
    vb = b.hashvalues if isinstance(b, MinHash) else b
    if len(va) != len(vb):
        return 0.0
    return float(np.count_nonzero(np.asarray(va) == np.asarray(vb))) / len(va)


# -- reports of one event --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportKey:
    """What decides whether two coded events report one incident, and their own figures."""

    event_id: str
    document_id: str
    date: dt.date | None
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    country_code: str | None
    location: str | None
    gazetteer_id: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    confidence: float
    fatalities: int
    fatalities_low: int | None
    fatalities_high: int | None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _unknown(actor: str | None) -> bool:
    return actor is None or actor.strip().casefold().startswith(_UNKNOWN_PREFIXES)


def _side_ok(a: str | None, b: str | None) -> bool:
    return _unknown(a) or _unknown(b) or a == b


def _actors_compatible(a: ReportKey, b: ReportKey) -> bool:
    if _side_ok(a.actor1, b.actor1) and _side_ok(a.actor2, b.actor2):
        return True
    # ACLED's actor order means nothing except in violence against civilians (victim second).
    if a.event_type == _VIOLENCE_AGAINST_CIVILIANS:
        return False
    return _side_ok(a.actor1, b.actor2) and _side_ok(a.actor2, b.actor1)


def _same_place(a: ReportKey, b: ReportKey) -> bool:
    if a.gazetteer_id and a.gazetteer_id == b.gazetteer_id:
        return True
    if (
        a.location
        and b.location
        and a.location.casefold() == b.location.casefold()
        and a.country_code == b.country_code
    ):
        return True
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return False
    # Precision 3 places are a governorate's centroid: being near one says nothing.
    if (a.geo_precision or 3) >= 3 or (b.geo_precision or 3) >= 3:
        return False
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= MAX_DISTANCE_KM


def mergeable(report: ReportKey) -> bool:
    """Whether a coded event may merge at all: an exact day (ACLED time precision 1) and a place."""
    return (
        report.date is not None
        and report.time_precision == 1
        and (report.location is not None or report.latitude is not None)
    )


def same_incident(a: ReportKey, b: ReportKey) -> bool:
    """Whether two coded events from different documents report one incident.

    Same event type (same sub-event type too for strategic developments, protests and riots,
    whose sub-types are different acts), the same gazetteer place or location name or within
    10 km, exact dates at most one day apart, and compatible actors: each side the same, or
    unknown ("Unidentified Armed Group", none) in one report, sides swapped allowed except in
    violence against civilians.
    """
    if a.document_id == b.document_id or not (mergeable(a) and mergeable(b)):
        return False
    if a.event_type != b.event_type:
        return False
    if a.event_type in _SUB_TYPE_MUST_MATCH and a.sub_event_type != b.sub_event_type:
        return False
    if a.date is None or b.date is None or abs((a.date - b.date).days) > MAX_DAYS_APART:
        return False
    return _same_place(a, b) and _actors_compatible(a, b)


def representative_order(report: ReportKey) -> tuple[int, int, float, str]:
    """Sort key of reports: the first one lends the merged event its fields and its id.

    The most precise place, then the most precise date, then the highest confidence, then the
    smallest event id: a total order, so the choice does not depend on the order of ingestion.
    """
    return (
        report.geo_precision or 9,
        report.time_precision,
        -round(report.confidence, 6),
        report.event_id,
    )


def reconcile(reports: Iterable[ReportKey]) -> tuple[int, int, int]:
    """(best, low, high) fatalities of reports of one incident, the way UCDP reports them.

    low is the lowest figure any report gives (its own low end when it gives a range), high the
    highest. best is the median of the reports' own best figures, the lower middle one when
    their number is even. The median keeps one outlying early or inflated count from moving the
    estimate (UCDP's "most likely" figure), and taking the lower middle leans, like ACLED, to the
    conservative side. Reports that give no deaths (coded 0) are left out when another report
    gives some: not mentioning deaths does not contradict a count.
    """
    items = list(reports)
    counted = [r for r in items if r.fatalities > 0 or (r.fatalities_high or 0) > 0]
    if not counted:
        return 0, 0, 0
    bests = sorted(r.fatalities for r in counted)
    lows = [r.fatalities_low if r.fatalities_low is not None else r.fatalities for r in counted]
    highs = [r.fatalities_high if r.fatalities_high is not None else r.fatalities for r in counted]
    best = bests[(len(bests) - 1) // 2]
    low, high = min(lows), max(highs)
    return best, min(low, best), max(high, best)
