"""Run the coder over a human-coded dataset and score it: one function per dataset, one result type.

Each runner reads its file (``datasets``), keeps the rows of the part asked for (the tune half, the
score half, or all: ``datasets.select_part``), turns every row into the input Harbinger gets in
real use (a snippet, an event summary, a headline with its report date), codes the rows in batches
with the one ``Coder`` it is given, compares the first coded event of a row with the row's gold
fields (``scoring``) and returns an ``EvalResult``: the metrics in the order of the JSON contract,
their numerators and denominators, the rows skipped and the per-row outcomes for failure analysis.
The drone, GTD and ACLED runners share one incident scorer (place, date, toll, Islamic State
actor); ACLED adds type, actors and precision. The reports runner reads whole news reports (header
and all) and, since a report may hold several events or none, first pairs the coded events with the
gold ones (``match_events``: by date and place, then type) and then scores each field of each pair,
counting the gold events left unmatched as missed and the coded ones as invented. The rules that decide what is compared with what are
documented in ``docs/accuracy.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from harbinger.evaluate import scoring
from harbinger.evaluate.datasets import (
    SPLIT_SALT,
    AcledRow,
    CaseRow,
    DroneRow,
    GoldEvent,
    GtdRow,
    Loaded,
    Part,
    ReportCase,
    UcdpRow,
    load_acled,
    load_case2021,
    load_drone,
    load_gtd,
    load_reports,
    load_ucdp,
    select_part,
)
from harbinger.records import CodedDocument, Document, Event, Skipped

if TYPE_CHECKING:
    from harbinger.extract.coder import Coder

__all__ = [
    "DATASETS",
    "AcledOutcome",
    "CaseOutcome",
    "DroneOutcome",
    "EvalResult",
    "EventPair",
    "Incident",
    "IncidentOutcome",
    "Metric",
    "ReportOutcome",
    "UcdpOutcome",
    "evaluate",
    "leading_date",
    "match_events",
    "opening_date",
    "run_acled",
    "run_case2021",
    "run_drone",
    "run_gtd",
    "run_reports",
    "run_ucdp",
    "text_date",
]

Dataset = Literal["case2021", "drone", "ucdp", "acled", "gtd", "reports"]
DATASETS: tuple[Dataset, ...] = ("case2021", "drone", "ucdp", "acled", "gtd", "reports")
#: Called as rows are coded: (rows done, rows in all).
ProgressFn = Callable[[int, int], None]
#: CASE labels of a batch of texts, one per text.
Labeller = Callable[[Sequence[str]], Sequence[str]]

#: The radius of ``within_25km``.
NEAR_KM = 25.0
#: Rows classified per call of the snippet classifier (progress is reported between calls).
_CHUNK = 32
_GTD_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*:")


@dataclass(frozen=True, slots=True)
class Metric:
    """One score: its JSON key, its value (None when nothing could be counted), and its counts.

    ``correct`` is the numerator of a share (None for a median or an F1); ``total`` is the number
    of rows it was computed over.
    """

    key: str
    value: float | None
    correct: int | None
    total: int
    label: str


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """A CASE row and the label the classifier gave it."""

    row: CaseRow
    predicted: str


@dataclass(frozen=True, slots=True)
class UcdpOutcome:
    """A selected UCDP row, the first event coded from its headline, and what was right."""

    row: UcdpRow
    event: Event | None
    admin1_ok: bool
    side_ok: bool
    date_ok: bool
    fatalities_ok: bool
    km: float | None


@dataclass(frozen=True, slots=True)
class EvalResult:
    """The scores of one run over one dataset."""

    dataset: Dataset
    path: Path
    n: int
    metrics: tuple[Metric, ...]
    skipped: tuple[Skipped, ...] = ()
    #: Sub-objects the contract allows beside the metrics (``confusion``, ``per_label``).
    tables: Mapping[str, Any] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)
    outcomes: tuple[
        CaseOutcome | IncidentOutcome | AcledOutcome | UcdpOutcome | ReportOutcome, ...
    ] = ()
    #: The rows scored: the tune half, the score half, or all (``datasets.split_part``).
    part: Part = "all"

    def metric(self, key: str) -> Metric:
        """The metric with this key (KeyError if this dataset has none)."""
        for m in self.metrics:
            if m.key == key:
                return m
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``harbinger eval --json``: ``n``, the metrics, the tables, ``details``."""
        out: dict[str, Any] = {"n": self.n}
        for m in self.metrics:
            out[m.key] = None if m.value is None else round(m.value, 4)
        out.update(self.tables)
        out["details"] = {
            "dataset": self.dataset,
            "path": str(self.path),
            "part": self.part,
            "counts": {m.key: {"correct": m.correct, "total": m.total} for m in self.metrics},
            **self.details,
            "skipped": [{"line": s.line, "reason": s.reason} for s in self.skipped],
        }
        return out


def _share(key: str, flags: Sequence[bool], label: str) -> Metric:
    return Metric(key, scoring.share(flags), sum(flags), len(flags), label)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _doc_id(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _limited(rows: Sequence[Any], limit: int | None) -> Sequence[Any]:
    return rows if limit is None else rows[:limit]


def _split_details(loaded: Loaded[Any], part: Part, key: str) -> dict[str, Any]:
    """The rows in the file and in the part scored, and how the part was chosen."""
    return {
        "rows_in_file": loaded.seen,
        "rows_in_part": len(select_part(loaded.rows, part)),
        "split": {
            "key": key,
            "salt": SPLIT_SALT,
            "rule": "sha256(salt, key): even tune, odd score",
        },
    }


def _coded(
    coder: Coder,
    documents: Sequence[Document],
    progress: ProgressFn | None,
    failures: list[str],
) -> Iterator[Event | None]:
    """The first event coded from each document, in order (None when none was coded); see
    ``_coded_documents`` for how a failing batch is handled."""
    for c in _coded_documents(coder, documents, progress, failures):
        yield c.events[0] if c is not None and c.events else None


# -- CASE 2021 ------------------------------------------------------------------------------------


def run_case2021(
    loaded: Loaded[CaseRow],
    coder: Coder,
    *,
    limit: int | None = None,
    progress: ProgressFn | None = None,
    labeller: Labeller | None = None,
    part: Part = "all",
) -> EvalResult:
    """Classify every snippet and score the CASE labels (accuracy, macro and weighted F1).

    ``labeller`` gives the CASE labels of a batch of texts; by default the coder's
    ``SnippetClassifier`` (another classifier can be scored the same way).
    """
    if labeller is None:
        from harbinger.extract.classify import SnippetClassifier

        classifier = SnippetClassifier(coder)

        def labeller(texts: Sequence[str]) -> list[str]:
            return [label.case_label for label in classifier.classify_many(texts)]

    rows: Sequence[CaseRow] = _limited(select_part(loaded.rows, part), limit)
    predicted: list[str] = []
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        labels = list(labeller([r.text for r in chunk]))
        if len(labels) != len(chunk):
            raise ValueError(f"the labeller gave {len(labels)} labels for {len(chunk)} texts")
        predicted.extend(labels)
        if progress is not None:
            progress(len(predicted), len(rows))
    scores = scoring.classification_scores([r.label for r in rows], predicted)
    correct = sum(r.label == p for r, p in zip(rows, predicted, strict=True))
    n = len(rows)
    return EvalResult(
        dataset="case2021",
        path=loaded.path,
        n=n,
        metrics=(
            Metric("weighted_f1", scores.weighted_f1 if n else None, None, n, "weighted F1"),
            Metric("macro_f1", scores.macro_f1 if n else None, None, n, "macro F1"),
            Metric("accuracy", scores.accuracy if n else None, correct, n, "accuracy"),
        ),
        skipped=loaded.skipped,
        part=part,
        tables={
            "confusion": scores.confusion,
            "per_label": {
                label: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for label, s in scores.per_label.items()
            },
        },
        details=_split_details(loaded, part, "id (else snippet)"),
        outcomes=tuple(CaseOutcome(r, p) for r, p in zip(rows, predicted, strict=True)),
    )


# -- incidents: the drone table, GTD and ACLED exports ------------------------------------------


def leading_date(text: str) -> dt.date | None:
    """The date of a GTD summary's "MM/DD/YYYY:" opening, or None (no such opening, or no day)."""
    m = _GTD_DATE.match(text)
    if m is None:
        return None
    month, day, year = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def opening_date(text: str) -> dt.date | None:
    """The day a text opens with: a GTD "MM/DD/YYYY:" opening, or else the first date expression
    of the text when it names a day on its own (ACLED's "On 9 May 2020, ..."); None otherwise."""
    day = leading_date(text)
    if day is not None:
        return day
    from harbinger.extract.dates import find_dates

    hits = find_dates(text, None)
    return hits[0].date if hits and hits[0].precision == 1 else None


def text_date(text: str) -> Literal["leading", "in text"] | None:
    """Whether a text carries a day date of its own, and how.

    "leading": a GTD "MM/DD/YYYY:" opening; "in text": a date that resolves to a day without a
    publication date (``find_dates`` with none), i.e. a written-out day with its year such as
    ACLED's "On 3 March 2021, ..."; None otherwise.
    """
    if leading_date(text) is not None:
        return "leading"
    from harbinger.extract.dates import find_dates

    if any(h.precision == 1 for h in find_dates(text, None)):
        return "in text"
    return None


@dataclass(frozen=True, slots=True)
class Incident:
    """The gold fields the incident datasets share: where, when, the toll, and whether the
    Islamic State is a party. Each runner fills it from its own columns."""

    country: str
    admin1: str
    town: str
    latitude: float | None
    longitude: float | None
    date: dt.date | None
    deaths: int | None
    is_actor: bool


@dataclass(frozen=True, slots=True)
class IncidentOutcome:
    """A row, the first event coded from its text, and what was right about place, date, toll
    and the Islamic State actor."""

    row: DroneRow | GtdRow | AcledRow
    event: Event | None
    gold_admin1: frozenset[str]
    admin1_ok: bool
    location_ok: bool
    km: float | None
    date_carried: bool
    date_ok: bool
    fatalities_ok: bool
    gold_is: bool
    coded_is: bool


#: The outcome of a drone row (the name of ``IncidentOutcome`` before GTD and ACLED shared it).
DroneOutcome = IncidentOutcome


@dataclass(frozen=True, slots=True)
class AcledOutcome:
    """An ACLED row's incident outcome, and what was right about type, actors and precision."""

    incident: IncidentOutcome
    event_type_ok: bool
    sub_event_type_ok: bool
    sides: scoring.SideCounts
    geo_precision_ok: bool


def _code_incidents(
    path: Path,
    rows: Sequence[DroneRow | GtdRow | AcledRow],
    golds: Sequence[Incident],
    coder: Coder,
    published: Callable[[str], dt.date | None],
    progress: ProgressFn | None,
    failures: list[str],
) -> list[IncidentOutcome]:
    """Code each row's text as of ``published(text)`` and compare the first event with its gold."""
    gazetteer = coder.gazetteer
    documents = [
        Document(
            id=_doc_id(r.id, r.text),
            source=f"{path}:{r.line}",
            text=r.text,
            published=published(r.text),
        )
        for r in rows
    ]
    outcomes: list[IncidentOutcome] = []
    coded = _coded(coder, documents, progress, failures)
    for row, gold, event in zip(rows, golds, coded, strict=True):
        place = event.place if event else None
        gold_admin1 = frozenset(
            scoring.admin1_codes(
                gazetteer, gold.admin1, scoring.country_code(gazetteer, gold.country)
            )
        )
        outcomes.append(
            IncidentOutcome(
                row=row,
                event=event,
                gold_admin1=gold_admin1,
                admin1_ok=scoring.same_admin1(place, set(gold_admin1)),
                location_ok=scoring.same_location(gazetteer, place, gold.town),
                km=scoring.distance(place, gold.latitude, gold.longitude),
                date_carried=text_date(row.text) is not None,
                date_ok=gold.date is not None
                and scoring.date_matches(event.date if event else None, gold.date),
                fatalities_ok=event is not None and event.fatalities == gold.deaths,
                gold_is=gold.is_actor,
                coded_is=any(scoring.is_islamic_state(a) for a in scoring.coded_actors(event)),
            )
        )
    return outcomes


def _place_metrics(outcomes: Sequence[IncidentOutcome], golds: Sequence[Incident]) -> list[Metric]:
    """admin1, town, within 25 km and the median distance, each over the rows with that gold."""
    pairs = list(zip(outcomes, golds, strict=True))
    with_point = [o for o, g in pairs if g.latitude is not None and g.longitude is not None]
    kms = [o.km for o in with_point]
    return [
        _share("admin1_accuracy", [o.admin1_ok for o, g in pairs if g.admin1], "province (admin1)"),
        _share("location_accuracy", [o.location_ok for o, g in pairs if g.town], "town (location)"),
        _share(
            "within_25km", [k is not None and k <= NEAR_KM for k in kms], f"within {NEAR_KM:g} km"
        ),
        Metric(
            "median_km",
            scoring.median(kms),
            None,
            sum(k is not None for k in kms),
            "median distance (km)",
        ),
    ]


def _date_and_toll_metrics(
    outcomes: Sequence[IncidentOutcome], golds: Sequence[Incident]
) -> list[Metric]:
    """The day, over rows whose text carries one and whose gold day is known; the exact toll,
    over rows whose gold toll is a number."""
    pairs = list(zip(outcomes, golds, strict=True))
    dated = [o.date_ok for o, g in pairs if o.date_carried and g.date is not None]
    counted = [o.fatalities_ok for o, g in pairs if g.deaths is not None]
    return [
        _share("date_accuracy", dated, "date (day)"),
        _share("fatalities_accuracy", counted, "fatalities (exact)"),
    ]


def _is_metric(outcomes: Sequence[IncidentOutcome]) -> Metric:
    return Metric(
        "actor_is_f1",
        scoring.binary_f1([o.gold_is for o in outcomes], [o.coded_is for o in outcomes])
        if outcomes
        else None,
        None,
        len(outcomes),
        "Islamic State actor (F1)",
    )


def _incident_details(
    outcomes: Sequence[IncidentOutcome], golds: Sequence[Incident], failures: list[str]
) -> dict[str, Any]:
    """What every incident dataset reports beside its metrics."""
    pairs = list(zip(outcomes, golds, strict=True))
    return {
        "rows_with_event": sum(o.event is not None for o in outcomes),
        "coder_errors": failures,
        "unresolved_gold_admin1": sorted(
            {g.admin1 for o, g in pairs if g.admin1 and not o.gold_admin1}
        ),
        "fatalities_left_out": sum(g.deaths is None for g in golds),
        "actor_is": {
            "gold_positive": sum(o.gold_is for o in outcomes),
            "coded_positive": sum(o.coded_is for o in outcomes),
            "true_positive": sum(o.gold_is and o.coded_is for o in outcomes),
        },
    }


def _gtd_incident(row: DroneRow | GtdRow) -> Incident:
    return Incident(
        country=row.country,
        admin1=row.admin1,
        town=row.city,
        latitude=row.latitude,
        longitude=row.longitude,
        date=row.date,
        deaths=row.nkill,
        is_actor=scoring.is_islamic_state(row.gname),
    )


def _incident_metrics(
    outcomes: Sequence[IncidentOutcome], golds: Sequence[Incident]
) -> tuple[Metric, ...]:
    """The metrics of the drone and GTD tables: places, date and deaths, the IS actor."""
    return (
        *_place_metrics(outcomes, golds),
        *_date_and_toll_metrics(outcomes, golds),
        _is_metric(outcomes),
    )


def run_drone(
    loaded: Loaded[DroneRow],
    coder: Coder,
    *,
    limit: int | None = None,
    progress: ProgressFn | None = None,
    part: Part = "all",
) -> EvalResult:
    """Code every summary and score province, town, distance, date, deaths and the IS actor."""
    rows: Sequence[DroneRow] = _limited(select_part(loaded.rows, part), limit)
    golds = [_gtd_incident(r) for r in rows]
    # ACLED notes carry a written-out date ("On 3 March 2021, ...") the coder reads without a
    # publication date. GTD summaries open with "MM/DD/YYYY:", which the date reader does not
    # parse (a numeric date is ambiguous in running text): that date is given as the publication
    # date instead, which is what a GTD summary's leading date is.
    failures: list[str] = []
    outcomes = _code_incidents(loaded.path, rows, golds, coder, leading_date, progress, failures)
    metrics = _incident_metrics(outcomes, golds)
    by_origin: dict[str, dict[str, Any]] = {}
    for origin in sorted({r.origin for r in rows}):
        sub = [o for o, r in zip(outcomes, rows, strict=True) if r.origin == origin]
        by_origin[origin] = {
            "rows": len(sub),
            "with_event": sum(o.event is not None for o in sub),
            "admin1_accuracy": _rounded(scoring.share(o.admin1_ok for o in sub if o.row.admin1)),
            "date_accuracy": _rounded(
                scoring.share(o.date_ok for o in sub if o.date_carried and o.row.date is not None)
            ),
        }
    return EvalResult(
        dataset="drone",
        path=loaded.path,
        n=len(rows),
        metrics=metrics,
        skipped=loaded.skipped,
        part=part,
        details={
            **_split_details(loaded, part, "eventid"),
            **_incident_details(outcomes, golds, failures),
            "by_origin": by_origin,
        },
        outcomes=tuple(outcomes),
    )


def run_gtd(
    loaded: Loaded[GtdRow],
    coder: Coder,
    *,
    limit: int | None = None,
    progress: ProgressFn | None = None,
    part: Part = "all",
) -> EvalResult:
    """Code every GTD summary and score province, town, distance, date, deaths and the IS actor,
    as for the drone table: a summary is coded as of the date it opens with."""
    rows: Sequence[GtdRow] = _limited(select_part(loaded.rows, part), limit)
    golds = [_gtd_incident(r) for r in rows]
    failures: list[str] = []
    outcomes = _code_incidents(loaded.path, rows, golds, coder, leading_date, progress, failures)
    metrics = _incident_metrics(outcomes, golds)
    return EvalResult(
        dataset="gtd",
        path=loaded.path,
        n=len(rows),
        metrics=metrics,
        skipped=loaded.skipped,
        part=part,
        details={
            **_split_details(loaded, part, "eventid (else summary)"),
            **_incident_details(outcomes, golds, failures),
            "attack_types": dict(sorted(Counter(r.attack_type or "-" for r in rows).items())),
        },
        outcomes=tuple(outcomes),
    )


def run_acled(
    loaded: Loaded[AcledRow],
    coder: Coder,
    *,
    limit: int | None = None,
    progress: ProgressFn | None = None,
    part: Part = "all",
) -> EvalResult:
    """Code every ACLED note and score type, sub-type, actors, province, town, distance, date,
    deaths and geo precision against ACLED's own coding of the event."""
    rows: Sequence[AcledRow] = _limited(select_part(loaded.rows, part), limit)
    golds = [
        Incident(
            country=r.country,
            admin1=r.admin1,
            town=r.location,
            latitude=r.latitude,
            longitude=r.longitude,
            date=r.date,
            deaths=r.fatalities,
            is_actor=any(
                scoring.is_islamic_state(a.strip())
                for value in (r.actor1, r.actor2, r.assoc_actor1, r.assoc_actor2)
                for a in value.split(";")
            ),
        )
        for r in rows
    ]
    # An ACLED note has no report date of its own; it opens with the event's day ("On 9 May 2020,
    # ..."), which is given as the publication date, as a GTD summary's opening is.
    failures: list[str] = []
    incidents = _code_incidents(loaded.path, rows, golds, coder, opening_date, progress, failures)
    outcomes: list[AcledOutcome] = []
    for row, o in zip(rows, incidents, strict=True):
        e = o.event
        outcomes.append(
            AcledOutcome(
                incident=o,
                event_type_ok=e is not None and e.event_type == row.event_type,
                sub_event_type_ok=e is not None and e.sub_event_type == row.sub_event_type,
                sides=scoring.side_counts(
                    (row.actor1, row.actor2), (e.actor1, e.actor2) if e else ()
                ),
                geo_precision_ok=e is not None
                and e.place is not None
                and e.place.precision == row.geo_precision,
            )
        )
    sides = sum((o.sides for o in outcomes), scoring.SideCounts(0, 0, 0))
    place_metrics = _place_metrics(incidents, golds)
    date_toll = _date_and_toll_metrics(incidents, golds)
    metrics = (
        _share("event_type_accuracy", [o.event_type_ok for o in outcomes], "event type"),
        _share(
            "sub_event_type_accuracy", [o.sub_event_type_ok for o in outcomes], "sub-event type"
        ),
        Metric("actor_f1", sides.f1, None, len(outcomes), "actor1/actor2 (F1, regime years aside)"),
        *place_metrics,
        *date_toll,
        _share(
            "geo_precision_accuracy",
            [o.geo_precision_ok for o, r in zip(outcomes, rows, strict=True) if r.geo_precision],
            "geo precision",
        ),
    )
    by_type: dict[str, dict[str, Any]] = {}
    for event_type in sorted({r.event_type for r in rows}):
        sub = [o for o, r in zip(outcomes, rows, strict=True) if r.event_type == event_type]
        by_type[event_type] = {
            "rows": len(sub),
            "event_type_accuracy": _rounded(scoring.share(o.event_type_ok for o in sub)),
            "sub_event_type_accuracy": _rounded(scoring.share(o.sub_event_type_ok for o in sub)),
        }
    return EvalResult(
        dataset="acled",
        path=loaded.path,
        n=len(rows),
        metrics=metrics,
        skipped=loaded.skipped,
        part=part,
        details={
            **_split_details(loaded, part, "event_id_cnty (else notes)"),
            **_incident_details(incidents, golds, failures),
            "actors": {"matched": sides.matched, "gold": sides.gold, "coded": sides.coded},
            "by_event_type": by_type,
        },
        outcomes=tuple(outcomes),
    )


# -- UCDP GED -------------------------------------------------------------------------------------


def run_ucdp(
    loaded: Loaded[UcdpRow],
    coder: Coder,
    *,
    limit: int | None = None,
    progress: ProgressFn | None = None,
    part: Part = "all",
) -> EvalResult:
    """Code the headlines that name their place and score province, sides, date and deaths."""
    selected = [
        r
        for r in select_part(loaded.rows, part)
        if r.headline and scoring.headline_names_place(r.headline, r.where, r.adm_1)
    ]
    rows: Sequence[UcdpRow] = _limited(selected, limit)
    gazetteer = coder.gazetteer
    # The headline is coded as of its report date (source_date), which is what Harbinger is given
    # in real use; the gold event date is never passed in.
    documents = [
        Document(
            id=_doc_id(r.id, r.headline),
            source=f"{loaded.path}:{r.line}",
            text=r.headline,
            published=r.source_date,
        )
        for r in rows
    ]
    failures: list[str] = []
    outcomes: list[UcdpOutcome] = []
    for row, event in zip(rows, _coded(coder, documents, progress, failures), strict=True):
        place = event.place if event else None
        actors = scoring.coded_actors(event)
        outcomes.append(
            UcdpOutcome(
                row=row,
                event=event,
                admin1_ok=scoring.same_admin1(
                    place, scoring.admin1_codes(gazetteer, row.adm_1, "SY")
                ),
                side_ok=scoring.side_matches(row.side_a, actors)
                or scoring.side_matches(row.side_b, actors),
                date_ok=scoring.date_matches(
                    event.date if event else None, row.date_start, row.date_end
                ),
                fatalities_ok=event is not None and event.fatalities == row.best,
                km=scoring.distance(place, row.latitude, row.longitude),
            )
        )
    with_admin1 = [o for o in outcomes if o.row.adm_1]
    counted = [o for o in outcomes if o.row.best is not None]
    with_point = [o for o in outcomes if o.row.latitude is not None]
    metrics = (
        _share("admin1_accuracy", [o.admin1_ok for o in with_admin1], "province (admin1)"),
        _share("side_accuracy", [o.side_ok for o in outcomes], "a side among the actors"),
        _share("date_accuracy", [o.date_ok for o in outcomes], "date in the gold span"),
        _share("fatalities_accuracy", [o.fatalities_ok for o in counted], "fatalities = best"),
    )
    unmapped = sorted(
        {
            member.strip()
            for o in outcomes
            for side in (o.row.side_a, o.row.side_b)
            for member in side.split(",")
            if member.strip() and member.strip() not in scoring.UCDP_SIDES
        }
    )
    return EvalResult(
        dataset="ucdp",
        path=loaded.path,
        n=len(rows),
        metrics=metrics,
        skipped=loaded.skipped,
        part=part,
        details={
            **_split_details(loaded, part, "id"),
            "rows_read": len(loaded.rows),
            "selected": len(selected),
            "selection_rule": "the headline names the first word of where_coordinates (after "
            "articles and directions) or the adm_1 governorate name",
            "rows_with_event": sum(o.event is not None for o in outcomes),
            "coder_errors": failures,
            "within_25km": _rounded(scoring.within((o.km for o in with_point), NEAR_KM)),
            "median_km": _rounded(scoring.median(o.km for o in with_point)),
            "sides_not_in_table": unmapped,
            # The file's own advice: tune on 2016-2017, report 2018-2019 as out of sample.
            "by_year": {
                str(year): _ucdp_scores([o for o in outcomes if o.row.date_start.year == year])
                for year in sorted({o.row.date_start.year for o in outcomes})
            },
        },
        outcomes=tuple(outcomes),
    )


def _ucdp_scores(outcomes: Sequence[UcdpOutcome]) -> dict[str, Any]:
    return {
        "n": len(outcomes),
        "admin1_accuracy": _rounded(scoring.share(o.admin1_ok for o in outcomes if o.row.adm_1)),
        "side_accuracy": _rounded(scoring.share(o.side_ok for o in outcomes)),
        "date_accuracy": _rounded(scoring.share(o.date_ok for o in outcomes)),
        "fatalities_accuracy": _rounded(
            scoring.share(o.fatalities_ok for o in outcomes if o.row.best is not None)
        ),
    }


# -- news reports ---------------------------------------------------------------------------------

#: The fields of an event that ``eval reports`` scores, in the order of the JSON and the table.
#: ``actor1`` and ``actor2`` are scored as the unordered pair (see ``_actor_slots``).
REPORT_FIELDS = (
    "date", "event_type", "sub_event_type", "actor1", "actor2", "admin1", "location", "fatalities",
)  # fmt: skip

#: Tells whether a coded event stands at the gold event's location (the gazetteer's name matching
#: in real runs; a plain comparison in the matcher's unit tests).
LocationCheck = Callable[[GoldEvent, Event], bool]


@dataclass(frozen=True, slots=True)
class EventPair:
    """A gold event and the coded event matched to it, and which fields the coded one got right.

    ``right`` maps each of ``REPORT_FIELDS`` to True or False, or to None for a field the gold
    leaves open (a ``location`` of null).
    """

    gold: GoldEvent
    coded: Event
    right: Mapping[str, bool | None]
    sides: scoring.SideCounts


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """A report: the published date read from its header, and its events matched to the gold."""

    report: ReportCase
    published: dt.date | None
    pairs: tuple[EventPair, ...]
    missed: tuple[GoldEvent, ...]
    invented: tuple[Event, ...]

    @property
    def published_ok(self) -> bool:
        """The header's date is the gold published date (both absent counts as right)."""
        return self.published == self.report.published


def _actor_slots(gold: GoldEvent, coded: Sequence[str | None]) -> tuple[bool, bool]:
    """Whether the gold actor1 and actor2 are among the coded event's actors (order aside).

    Names are compared by ``scoring.actor_key`` (regime years aside), as in the other runners'
    actor F1. A gold actor2 left empty is right when the coder named no actor but the gold
    actor1: a protest coded with the protesters alone, as ACLED codes it.
    """
    coded_keys = {k for k in map(scoring.actor_key, coded) if k}
    first = scoring.actor_key(gold.actor1)
    second = scoring.actor_key(gold.actor2)
    return first in coded_keys, (second in coded_keys) if second else coded_keys <= {first}


def _pair_fields(
    gold: GoldEvent, event: Event, location_ok: LocationCheck
) -> dict[str, bool | None]:
    actor1_ok, actor2_ok = _actor_slots(gold, (event.actor1, event.actor2))
    return {
        "date": event.date == gold.date,
        "event_type": event.event_type == gold.event_type,
        "sub_event_type": event.sub_event_type == gold.sub_event_type,
        "actor1": actor1_ok,
        "actor2": actor2_ok,
        "admin1": scoring.same_admin1(event.place, {gold.admin1}),
        "location": None if gold.location is None else location_ok(gold, event),
        "fatalities": event.fatalities == gold.fatalities,
    }


def match_events(
    golds: Sequence[GoldEvent], coded: Sequence[Event], location_ok: LocationCheck
) -> tuple[list[EventPair], list[GoldEvent], list[Event]]:
    """Pair coded events with gold events, one to one: (pairs, gold missed, coded invented).

    A pair is possible when the two agree on the date, the governorate, the location or the event
    type; agreeing on none, they are two events. Possible pairs are taken greedily, best first:
    most of date, governorate and location in agreement, then the event type, then the sub-event
    type, then the actors; ties go to the earlier gold event and then the earlier coded event, so
    the result does not depend on dictionary order. What is left unpaired is missed (gold) or
    invented (coded).
    """
    candidates: list[tuple[tuple[int, int, int, int], int, int, dict[str, bool | None]]] = []
    for gi, gold in enumerate(golds):
        for ci, event in enumerate(coded):
            right = _pair_fields(gold, event, location_ok)
            where_when = sum(bool(right[f]) for f in ("date", "admin1", "location"))
            if where_when == 0 and not right["event_type"]:
                continue
            actors = int(bool(right["actor1"])) + int(bool(right["actor2"]))
            key = (
                where_when,
                int(bool(right["event_type"])),
                int(bool(right["sub_event_type"])),
                actors,
            )
            candidates.append((key, gi, ci, right))
    candidates.sort(key=lambda c: (tuple(-k for k in c[0]), c[1], c[2]))
    used_gold: set[int] = set()
    used_coded: set[int] = set()
    pairs: dict[int, EventPair] = {}
    for _, gi, ci, right in candidates:
        if gi in used_gold or ci in used_coded:
            continue
        used_gold.add(gi)
        used_coded.add(ci)
        gold, event = golds[gi], coded[ci]
        sides = scoring.side_counts((gold.actor1, gold.actor2), (event.actor1, event.actor2))
        pairs[gi] = EventPair(gold, event, right, sides)
    ordered = [pairs[gi] for gi in sorted(pairs)]
    missed = [g for gi, g in enumerate(golds) if gi not in used_gold]
    invented = [e for ci, e in enumerate(coded) if ci not in used_coded]
    return ordered, missed, invented


def _coded_documents(
    coder: Coder,
    documents: Sequence[Document],
    progress: ProgressFn | None,
    failures: list[str],
) -> Iterator[CodedDocument | None]:
    """Every coded document, in order (None where the coder failed).

    Documents are coded in batches; when the coder raises on a batch, that batch is coded again
    one document at a time, and a document the coder still fails on gets no prediction (it counts
    as wrong) and a line in ``failures`` (its source and the error), so one bad row does not end
    the run.
    """
    total = len(documents)
    size = max(1, coder.settings.batch_size)
    done = 0
    for start in range(0, total, size):
        chunk = documents[start : start + size]
        try:
            coded: list[CodedDocument | None] = list(coder.code_many(chunk))
        except Exception:
            coded = []
            for document in chunk:
                try:
                    coded.append(coder.code(document))
                except Exception as exc:  # a coder bug: recorded, scored as no prediction
                    failures.append(f"{document.source}: {type(exc).__name__}: {exc}")
                    coded.append(None)
        for c in coded:
            done += 1
            if progress is not None:
                progress(done, total)
            yield c


def _gold_json(g: GoldEvent) -> dict[str, Any]:
    return {
        "date": g.date.isoformat(),
        "event_type": g.event_type,
        "sub_event_type": g.sub_event_type,
        "actor1": g.actor1,
        "actor2": g.actor2,
        "admin1": g.admin1,
        "location": g.location,
        "fatalities": g.fatalities,
    }


def _coded_json(e: Event) -> dict[str, Any]:
    return {
        "date": e.date.isoformat() if e.date else None,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "actor1": e.actor1,
        "actor2": e.actor2,
        "admin1": e.place.admin1_code if e.place else None,
        "location": e.place.name if e.place else None,
        "fatalities": e.fatalities,
    }


def _report_details(o: ReportOutcome) -> dict[str, Any]:
    """One report's outcome for failure analysis: what was wrong, next to the gold."""
    return {
        "published": {
            "gold": o.report.published.isoformat() if o.report.published else None,
            "coded": o.published.isoformat() if o.published else None,
        },
        "pairs": [
            {
                "wrong": [f for f in REPORT_FIELDS if p.right[f] is False],
                "gold": _gold_json(p.gold),
                "coded": _coded_json(p.coded),
            }
            for p in o.pairs
        ],
        "missed": [_gold_json(g) for g in o.missed],
        "invented": [_coded_json(e) for e in o.invented],
    }


def run_reports(
    loaded: Loaded[ReportCase],
    coder: Coder,
    *,
    limit: int | None = None,
    progress: ProgressFn | None = None,
    part: Part = "all",
) -> EvalResult:
    """Read each report as a user's file is read (header, byline, dateline), code it, match its
    events to the gold and score the published date and each field of each event.

    A field's share counts every gold event: one the coder missed has every field wrong. The actor
    F1 is the other runners' (names without regime years, order aside) summed over pairs, missed
    and invented events. ``fields_right`` is the share of right fields over the published date of
    every report and the eight fields of every gold event and of every invented event (which has
    them all wrong), so that an invented event costs as much as a missed one.
    """
    from harbinger.ingest.text import parse_text

    reports: Sequence[ReportCase] = _limited(select_part(loaded.rows, part), limit)
    gazetteer = coder.gazetteer

    def location_ok(gold: GoldEvent, event: Event) -> bool:
        return gold.location is not None and scoring.same_location(
            gazetteer, event.place, gold.location
        )

    documents = [parse_text(r.text, str(r.path)) for r in reports]
    failures: list[str] = []
    outcomes: list[ReportOutcome] = []
    for report, document, coded in zip(
        reports, documents, _coded_documents(coder, documents, progress, failures), strict=True
    ):
        events = list(coded.events) if coded is not None else []
        pairs, missed, invented = match_events(report.events, events, location_ok)
        outcomes.append(
            ReportOutcome(report, document.published, tuple(pairs), tuple(missed), tuple(invented))
        )
    n_gold = sum(len(r.events) for r in reports)
    n_coded = sum(len(o.pairs) + len(o.invented) for o in outcomes)
    n_invented = sum(len(o.invented) for o in outcomes)
    n_missed = sum(len(o.missed) for o in outcomes)

    def field_flags(name: str) -> list[bool]:
        flags = [
            bool(p.right[name]) for o in outcomes for p in o.pairs if p.right[name] is not None
        ]
        gold_open = name == "location"
        flags += [
            False for o in outcomes for g in o.missed if not (gold_open and g.location is None)
        ]
        return flags

    sides = scoring.SideCounts(0, 0, 0)
    for o in outcomes:
        for p in o.pairs:
            sides = sides + p.sides
        for g in o.missed:
            sides = sides + scoring.side_counts((g.actor1, g.actor2), ())
        for e in o.invented:
            sides = sides + scoring.side_counts((), (e.actor1, e.actor2))
    published = [o.published_ok for o in outcomes]
    right = sum(published) + sum(
        bool(p.right[f]) for o in outcomes for p in o.pairs for f in REPORT_FIELDS
    )
    total = (
        len(published)
        + sum(sum(p.right[f] is not None for f in REPORT_FIELDS) for o in outcomes for p in o.pairs)
        + sum(len(REPORT_FIELDS) - (g.location is None) for o in outcomes for g in o.missed)
        + n_invented * len(REPORT_FIELDS)
    )
    metrics = (
        Metric("fields_right", right / total if total else None, right, total, "fields right"),
        _share("published_accuracy", published, "published date"),
        _share("date_accuracy", field_flags("date"), "event date"),
        _share("event_type_accuracy", field_flags("event_type"), "event type"),
        _share("sub_event_type_accuracy", field_flags("sub_event_type"), "sub-event type"),
        Metric("actor_f1", sides.f1, None, n_gold, "actor1/actor2 (F1, regime years aside)"),
        _share("admin1_accuracy", field_flags("admin1"), "province (admin1)"),
        _share("location_accuracy", field_flags("location"), "location"),
        _share("fatalities_accuracy", field_flags("fatalities"), "fatalities (exact)"),
        Metric(
            "events_missed", n_missed / n_gold if n_gold else None, n_missed, n_gold,
            "gold events missed (lower is better)",
        ),
        Metric(
            "events_invented", n_invented / n_coded if n_coded else None, n_invented, n_coded,
            "coded events invented (lower is better)",
        ),
    )  # fmt: skip
    return EvalResult(
        dataset="reports",
        path=loaded.path,
        n=len(reports),
        metrics=metrics,
        skipped=loaded.skipped,
        part=part,
        details={
            **_split_details(loaded, part, "file name"),
            "events_gold": n_gold,
            "events_coded": n_coded,
            "match_rule": "pairs agree on date, admin1, location or event type; best first by "
            "date+admin1+location, then type, sub-type, actors",
            "coder_errors": failures,
            "actors": {"matched": sides.matched, "gold": sides.gold, "coded": sides.coded},
            "reports": {o.report.name: _report_details(o) for o in outcomes},
        },
        outcomes=tuple(outcomes),
    )


# -- entry point ----------------------------------------------------------------------------------


def evaluate(
    dataset: Dataset,
    path: Path,
    *,
    coder: Coder | None = None,
    limit: int | None = None,
    progress: ProgressFn | None = None,
    part: Part = "all",
) -> EvalResult:
    """Read a dataset file, keep the rows of ``part``, code them with ``coder`` (one is built from
    the environment if None) and score them; ``limit`` counts rows of that part. Raises
    ``InputError`` when the file cannot be read, ``ValueError`` for an unknown dataset or part."""
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    runners: dict[str, tuple[Callable[[Path], Loaded[Any]], Callable[..., EvalResult]]] = {
        "case2021": (load_case2021, run_case2021),
        "drone": (load_drone, run_drone),
        "ucdp": (load_ucdp, run_ucdp),
        "acled": (load_acled, run_acled),
        "gtd": (load_gtd, run_gtd),
        "reports": (load_reports, run_reports),
    }
    if dataset not in runners:
        raise ValueError(f"unknown dataset {dataset!r}; use one of {', '.join(DATASETS)}")
    select_part((), part)  # an unknown part fails before the file is read
    load, run = runners[dataset]
    loaded = load(path)  # read first: a bad path fails before spaCy loads
    if coder is None:
        from harbinger.extract.coder import Coder
        from harbinger.settings import Settings

        coder = Coder(Settings.from_env())
    return run(loaded, coder, limit=limit, progress=progress, part=part)
