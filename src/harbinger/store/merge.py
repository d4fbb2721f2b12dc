"""Duplicates resolved at save time, in the document's transaction, by ``harbinger.dedup``.

A near-copy of a stored document (MinHash LSH over the body's word 5-grams, band keys in
``document_bands``) is found by ``_near_copy_of`` and only adds its source to the original; a coded
event that reports the same incident as events of other documents is merged by ``_merge`` with them
into one ``events`` row whose fatalities are reconciled UCDP-style, while ``event_reports`` keeps
each report's own figures and evidence. ``Store`` applies neither to events imported from datasets
(origin other than "coded"): a dataset row is already one event, and the datasets' coding and
Harbinger's are kept apart so that either can be compared with the other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from datasketch import MinHash

from harbinger import dedup
from harbinger.records import Document, Event
from harbinger.store.models import DocumentBandRow, DocumentMinhashRow, EventReportRow, EventRow
from harbinger.store.queries import _CHUNK


def _body(doc: Document) -> str:
    """The text a near-copy is judged on: the body, so that a new headline does not count."""
    body = doc.text[doc.body_start :]
    return body if body.strip() else doc.text


def _near_copy_of(conn: sa.Connection, sketch: MinHash) -> str | None:
    """The id of the stored document this one is a near-copy of, or None.

    Candidates share at least one LSH band key (one indexed IN query); the most similar one at
    or above the threshold wins, the smallest id breaking a tie.
    """
    candidates = sorted(
        set(
            conn.execute(
                sa.select(DocumentBandRow.document_id).where(
                    DocumentBandRow.key.in_(dedup.band_keys(sketch))
                )
            ).scalars()
        )
    )
    if not candidates:
        return None
    best: tuple[float, str] | None = None
    for start in range(0, len(candidates), _CHUNK):
        rows = conn.execute(
            sa.select(DocumentMinhashRow.document_id, DocumentMinhashRow.signature).where(
                DocumentMinhashRow.document_id.in_(candidates[start : start + _CHUNK])
            )
        )
        for doc_id, signature in rows:
            similarity = dedup.jaccard(sketch, dedup.signature_from_bytes(bytes(signature)))
            if similarity >= dedup.THRESHOLD and (best is None or (-similarity, doc_id) < best):
                best = (-similarity, doc_id)
    return None if best is None else best[1]


def _report(event: Event) -> dedup.ReportKey:
    p = event.place
    return dedup.ReportKey(
        event_id=event.id,
        document_id=event.document_id,
        date=event.date,
        time_precision=event.time_precision,
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        actor1=event.actor1,
        actor2=event.actor2,
        country_code=p.country_code if p else None,
        location=p.name if p else None,
        gazetteer_id=p.gazetteer_id if p else None,
        latitude=p.latitude if p else None,
        longitude=p.longitude if p else None,
        geo_precision=p.precision if p else None,
        confidence=event.confidence,
        fatalities=event.fatalities,
        fatalities_low=event.fatalities_low,
        fatalities_high=event.fatalities_high,
    )


def _report_row(report: dedup.ReportKey) -> dict[str, Any]:
    row = {name: getattr(report, name) for name in _REPORT_FIELDS}
    row["merged_id"] = report.event_id
    return row


#: The columns of event_reports that make up a ``dedup.ReportKey``.
_REPORT_FIELDS = tuple(dedup.ReportKey.__dataclass_fields__)


def _report_from_row(row: Any) -> dedup.ReportKey:
    return dedup.ReportKey(**{name: getattr(row, name) for name in _REPORT_FIELDS})


def _merge(conn: sa.Connection, report: dedup.ReportKey) -> None:
    """Merge a new report's event with the stored incidents it reports, if any.

    Incidents are formed by leader clustering in one fixed order (``dedup.representative_order``):
    each report joins the first leader it reports the same incident as, or leads an incident of
    its own. A report is compared with leaders, not with every member, so that daily events in
    one town do not chain into one (single linkage would join Monday to Wednesday through
    Tuesday). The new report is compared with the leaders around it; it and the incidents it
    matches are re-clustered together, so the result does not depend on which arrived first
    (exactly so whenever the reports of an incident all match each other; a chain of reports
    each a day apart may still split differently by order). A leader's events row is the
    incident, with reconciled fatalities; the other reports' rows stay, hidden by
    ``merged_into``, so that any of them can lead again.
    """
    if not dedup.mergeable(report) or report.date is None:
        return
    r = EventReportRow
    # Core rows of the table (attribute access by column name), not ORM objects: this runs on
    # the transaction's Connection.
    table = EventReportRow.__table__
    day = dt.timedelta(days=dedup.MAX_DAYS_APART)
    # The date window and event type narrow the candidates by index; place, actors and the
    # other document are checked in Python, where the 10 km distance can be computed.
    query = sa.select(table).where(
        r.date >= report.date - day,
        r.date <= report.date + day,
        r.event_type == report.event_type,
        r.time_precision == 1,
        r.document_id != report.document_id,
        r.merged_id == r.event_id,
    )
    if report.country_code is not None:
        query = query.where(r.country_code == report.country_code)
    leaders = sorted(
        row.event_id
        for row in conn.execute(query)
        if dedup.same_incident(report, _report_from_row(row))
    )
    if not leaders:
        return
    members = [report] + [
        _report_from_row(row)
        for row in conn.execute(sa.select(table).where(r.merged_id.in_(leaders)))
    ]
    clusters: list[list[dedup.ReportKey]] = []
    for member in sorted(members, key=dedup.representative_order):
        home = next((c for c in clusters if dedup.same_incident(member, c[0])), None)
        if home is None:
            clusters.append([member])
        else:
            home.append(member)
    for cluster in clusters:
        keeper = cluster[0]
        ids = [m.event_id for m in cluster]
        figures: dict[str, int | None]
        if len(cluster) > 1:
            best, low, high = dedup.reconcile(cluster)
            figures = {"fatalities": best, "fatalities_low": low, "fatalities_high": high}
        else:
            figures = {
                "fatalities": keeper.fatalities,
                "fatalities_low": keeper.fatalities_low,
                "fatalities_high": keeper.fatalities_high,
            }
        conn.execute(sa.update(r).where(r.event_id.in_(ids)).values(merged_id=keeper.event_id))
        conn.execute(
            sa.update(EventRow).where(EventRow.id.in_(ids[1:])).values(merged_into=keeper.event_id)
        )
        conn.execute(
            sa.update(EventRow)
            .where(EventRow.id == keeper.event_id)
            .values(merged_into=None, **figures)
        )
