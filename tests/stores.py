"""Small stores for the tests of the analysis and the reports: events as imported rows (so that
none is merged with another or taken for a near-copy), statements and indicators."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from conftest import MOSUL, RAMADI, RecordFactory
from harbinger.records import CodedDocument, Evidence, Place
from harbinger.store import Store

IS_IRAQ = "Islamic State (Iraq)"
ARMY = "Military Forces of Iraq (2018-2022)"


class StoreBuilder:
    """Puts events, statements and indicators into a store, one document each."""

    def __init__(self, store: Store, make: RecordFactory, *, titled: bool = False) -> None:
        self.store, self.make, self.n = store, make, 0
        #: Whether statement reports carry a title (a report lists them under it).
        self.titled = titled

    def event(
        self,
        day: dt.date,
        place: Place = MOSUL,
        *,
        actor1: str = ARMY,
        actor2: str | None = IS_IRAQ,
        sentence: str = "Soldiers clashed with militants.",
        **fields: Any,
    ) -> str:
        self.n += 1
        doc = self.make.document(f"Row {self.n}: {sentence}", published=day)
        values: dict[str, Any] = {
            "date": day,
            "place": place,
            "actor1": actor1,
            "actor2": actor2,
            "fatalities": 1,
            "notes": sentence,
            "evidence": (Evidence(sentence, 0, len(sentence)),),
        }
        ev = self.make.event(doc.id, **(values | fields))
        self.store.save(CodedDocument(doc, (ev,)), origin="acled", source_event_ids={ev.id: ev.id})
        return ev.id

    def text(
        self, day: dt.date, *, claims: tuple[Any, ...] = (), indicators: tuple[Any, ...] = ()
    ) -> str:
        self.n += 1
        title = {"title": f"Officials on the group {self.n}"} if self.titled else {}
        doc = self.make.document(f"Statement report {self.n} of {day}.", published=day, **title)
        # The records' ids follow their document: the factory made them for another one.
        claims = tuple(dataclasses.replace(c, document_id=doc.id) for c in claims)
        indicators = tuple(dataclasses.replace(i, document_id=doc.id) for i in indicators)
        self.store.save(CodedDocument(doc, (), claims, indicators))
        return doc.id

    def claim(self, day: dt.date, **fields: Any) -> str:
        c = self.make.claim("pending", **fields)
        self.text(day, claims=(c,))
        return c.id

    def indicator(self, day: dt.date, **fields: Any) -> str:
        i = self.make.indicator("pending", **fields)
        self.text(day, indicators=(i,))
        return i.id

    def history(self) -> None:
        """An old event of another actor: the store covers the months before the question."""
        self.event(dt.date(2018, 1, 10), RAMADI, actor1=ARMY, actor2="Civilians (Iraq)")
