"""Tests of ``harbinger eval``: the dataset readers, the scoring functions, the runners, the
tune/score split and the CLI.

The runners are fed a fake coder whose events are written here by hand, so that the scores of the
tiny files under ``tests/data/eval`` (invented rows in each dataset's format: CASE, the drone
table, UCDP GED, ACLED's 2020 and current exports, GTD) are known exactly and do not move when the
real coder changes. The CLI tests run the real coder on tiny files and check the shape of what it
writes, not its scores.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harbinger.cli import app
from harbinger.errors import MalformedRecord, UnreadableInput
from harbinger.evaluate import scoring
from harbinger.evaluate.datasets import (
    SPLIT_SALT,
    UNSEEN_CASE_LABELS,
    case_labels,
    load_acled,
    load_case2021,
    load_drone,
    load_gtd,
    load_ucdp,
    select_part,
    split_part,
)
from harbinger.evaluate.runner import (
    AcledOutcome,
    EvalResult,
    evaluate,
    leading_date,
    opening_date,
    run_acled,
    run_case2021,
    run_drone,
    run_gtd,
    run_ucdp,
    text_date,
)
from harbinger.geo import Gazetteer, distance_km
from harbinger.records import CodedDocument, Document, Event, Place
from harbinger.settings import Settings

DATA = Path(__file__).resolve().parent / "data" / "eval"
CASE_TINY = DATA / "case_snippets_tiny.tsv"
CASE_BAD = DATA / "case_snippets_bad.tsv"
DRONE_TINY = DATA / "drone_tiny.csv"
DRONE_BAD = DATA / "drone_bad.csv"
UCDP_TINY = DATA / "ucdp_tiny.csv"
UCDP_BAD = DATA / "ucdp_bad.csv"
ACLED_2020 = DATA / "acled_2020_tiny.csv"
ACLED_NOW = DATA / "acled_current_tiny.csv"
GTD_TINY = DATA / "gtd_tiny.csv"
GTD_NO_ID = DATA / "gtd_no_eventid.csv"

#: The top-level JSON keys of each dataset (docs/accuracy.md).
CASE_KEYS = {"n", "weighted_f1", "macro_f1", "accuracy", "confusion", "per_label", "details"}
DRONE_KEYS = {
    "n",
    "admin1_accuracy",
    "location_accuracy",
    "within_25km",
    "median_km",
    "date_accuracy",
    "fatalities_accuracy",
    "actor_is_f1",
    "details",
}
UCDP_KEYS = {
    "n",
    "admin1_accuracy",
    "side_accuracy",
    "date_accuracy",
    "fatalities_accuracy",
    "details",
}
ACLED_KEYS = {
    "n",
    "event_type_accuracy",
    "sub_event_type_accuracy",
    "actor_f1",
    "admin1_accuracy",
    "location_accuracy",
    "within_25km",
    "median_km",
    "date_accuracy",
    "fatalities_accuracy",
    "geo_precision_accuracy",
    "details",
}
GTD_KEYS = DRONE_KEYS


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


# -- a coder whose answers are written by hand ----------------------------------------------------


class FakeCoder:
    """Codes a document into the events listed for its first words; raises for texts in ``bad``."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        events: dict[str, list[Event]],
        bad: Iterable[str] = (),
        batch_size: int = 4,
    ) -> None:
        self.gazetteer = gazetteer
        self.settings = Settings(batch_size=batch_size)
        self._events = events
        self._bad = set(bad)
        self.published: dict[str, dt.date | None] = {}

    def _events_of(self, document: Document) -> tuple[Event, ...]:
        self.published[document.text] = document.published
        for prefix, events in self._events.items():
            if document.text.startswith(prefix):
                return tuple(events)
        return ()

    def code(self, document: Document) -> CodedDocument:
        if any(document.text.startswith(b) for b in self._bad):
            raise ValueError("a coder bug")
        return CodedDocument(document, self._events_of(document))

    def code_many(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        docs = list(documents)
        if any(d.text.startswith(b) for d in docs for b in self._bad):
            raise ValueError("a coder bug")
        for d in docs:
            yield CodedDocument(d, self._events_of(d))


def event(
    place: Place | None,
    *,
    date: dt.date | None,
    fatalities: int = 0,
    actor1: str | None = "Unidentified Armed Group (Iraq)",
    actor2: str | None = None,
    assoc_actor1: str | None = None,
    event_type: str = "Explosions/Remote violence",
    sub_event_type: str = "Air/drone strike",
) -> Event:
    return Event(
        id="e",
        document_id="d",
        event_type=event_type,
        sub_event_type=sub_event_type,
        date=date,
        time_precision=1,
        actor1=actor1,
        actor2=actor2,
        assoc_actor1=assoc_actor1,
        place=place,
        fatalities=fatalities,
    )


def resolved(gazetteer: Gazetteer, name: str) -> Place:
    place = gazetteer.resolve(name)
    assert place is not None, name
    return place


# -- readers --------------------------------------------------------------------------------------


def test_case_reader_reads_rows_and_reports_malformed_ones_by_line() -> None:
    tiny = load_case2021(CASE_TINY)
    assert [r.label for r in tiny.rows] == [
        "AIR_STRIKE",
        "AIR_STRIKE",
        "ARMED_CLASH",
        "PEACE_PROTEST",
        "DIPLO",
        "ARREST",
    ]
    assert tiny.rows[0].line == 2 and tiny.skipped == ()

    bad = load_case2021(CASE_BAD)
    assert [r.id for r in bad.rows] == ["1", "5"]
    assert bad.rows[0].text == 'Gunmen attacked a bus, killing two "passengers".'
    assert [(s.line, s.reason) for s in bad.skipped] == [
        (3, "2 tab-separated fields where the header has 3"),
        (4, bad.skipped[1].reason),
        (5, "empty EventSnippet"),
    ]
    assert "unknown CASE label 'SHIPWRECK'" in bad.skipped[1].reason
    assert (
        bad.skipped[0].message()
        == f"skipped {CASE_BAD}:3: 2 tab-separated fields where the header has 3"
    )
    assert bad.seen == 5


def test_case_labels_are_the_taxonomy_and_the_unseen_classes() -> None:
    labels = case_labels()
    assert len(labels) == 30
    assert {"ARMED_CLASH", "PROPERTY_DISTRUCT", *UNSEEN_CASE_LABELS} <= labels


def test_drone_reader_counts_lines_of_quoted_multiline_rows() -> None:
    tiny = load_drone(DRONE_TINY)
    assert [r.line for r in tiny.rows] == [2, 3, 4, 5, 7, 8]
    sidakan = tiny.rows[3]
    assert sidakan.nkill is None  # "N/A"
    assert sidakan.text.startswith("On 14 June 2024") and "\n" in sidakan.text
    assert tiny.rows[1].origin == "GTD" and tiny.rows[1].date == dt.date(2017, 5, 20)

    bad = load_drone(DRONE_BAD)
    assert [r.id for r in bad.rows] == ["TST0101", "TST0106"]
    assert bad.rows[1].latitude is None and bad.rows[1].nkill is None
    lines = {s.line: s.reason for s in bad.skipped}
    assert set(lines) == {4, 5, 6, 7}
    assert lines[4] == "latitude 'north' is not a number"
    assert lines[5] == "13 fields where the header has 14"
    assert lines[6] == "2019-2-30 is not a calendar date"
    assert lines[7] == "empty summary"


def test_ucdp_reader_skips_bad_dates_with_their_line() -> None:
    tiny = load_ucdp(UCDP_TINY)
    assert len(tiny.rows) == 7 and tiny.skipped == ()
    assert tiny.rows[4].date_start == dt.date(2019, 1, 9)
    assert tiny.rows[4].date_end == dt.date(2019, 1, 10)
    assert tiny.rows[6].adm_1 == ""
    bad = load_ucdp(UCDP_BAD)
    assert [r.id for r in bad.rows] == ["900102"]
    assert [(s.line, s.reason) for s in bad.skipped] == [
        (2, "date_start '2018-13-05' is not a date (YYYY-MM-DD)"),
        (4, "date_end 2018-11-07 is before date_start 2018-11-08"),
    ]


def test_reader_errors_name_the_file_and_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="no such file"):
        load_drone(tmp_path / "missing.csv")
    with pytest.raises(MalformedRecord) as caught:
        load_drone(DATA / "drone_no_columns.csv")
    assert caught.value.line == 1
    assert "the header lacks month, day, country_txt" in str(caught.value)
    with pytest.raises(MalformedRecord, match="lacks id, EventSnippet, SubType"):
        load_case2021(DATA / "drone_no_columns.csv")
    empty = tmp_path / "empty.tsv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(MalformedRecord, match="empty file"):
        load_case2021(empty)


# -- scoring functions ----------------------------------------------------------------------------


def test_classification_scores_by_hand() -> None:
    gold = ["AIR_STRIKE", "AIR_STRIKE", "ARMED_CLASH", "PEACE_PROTEST", "DIPLO", "ARREST"]
    pred = ["AIR_STRIKE", "ARMED_CLASH", "ARMED_CLASH", "PEACE_PROTEST", "DIPLO", "OTHER"]
    s = scoring.classification_scores(gold, pred)
    assert s.n == 6
    assert s.accuracy == pytest.approx(4 / 6)
    # F1: AIR_STRIKE 2/3, ARMED_CLASH 2/3, PEACE_PROTEST 1, DIPLO 1, ARREST 0, OTHER 0 (no gold).
    assert s.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1 + 1) / 6)
    assert s.weighted_f1 == pytest.approx((2 * 2 / 3 + 2 / 3 + 1 + 1) / 6)
    assert s.per_label["AIR_STRIKE"].precision == 1.0
    assert s.per_label["AIR_STRIKE"].recall == 0.5
    assert s.per_label["ARMED_CLASH"].precision == 0.5
    assert s.per_label["OTHER"].support == 0
    assert s.confusion == {
        "AIR_STRIKE": {"AIR_STRIKE": 1, "ARMED_CLASH": 1},
        "ARMED_CLASH": {"ARMED_CLASH": 1},
        "ARREST": {"OTHER": 1},
        "DIPLO": {"DIPLO": 1},
        "PEACE_PROTEST": {"PEACE_PROTEST": 1},
    }
    with pytest.raises(ValueError, match="2 gold labels but 1"):
        scoring.classification_scores(["A", "B"], ["A"])


def test_binary_f1_and_shares() -> None:
    assert scoring.binary_f1([True, True, False, False], [True, False, True, False]) == 0.5
    assert scoring.binary_f1([True, False], [True, False]) == 1.0
    # No positive at all, gold or coded: an F1 of nothing is n/a, not 0 (#12 item 9).
    assert scoring.binary_f1([False, False], [False, False]) is None
    assert scoring.share([True, True, True, False]) == 0.75
    assert scoring.share([]) is None


def test_distances_within_and_median() -> None:
    mosul = Place("Mosul", latitude=36.335, longitude=43.11889)
    assert scoring.distance(mosul, 36.335, 43.11889) == 0.0
    erbil_km = scoring.distance(mosul, 36.19257, 44.01062)
    assert erbil_km == pytest.approx(distance_km(36.335, 43.11889, 36.19257, 44.01062))
    assert 75 < erbil_km < 85  # Mosul to Erbil is about 80 km
    assert scoring.distance(Place("somewhere"), 36.0, 43.0) is None
    assert scoring.distance(None, 36.0, 43.0) is None
    assert scoring.distance(mosul, None, None) is None
    # A row without a distance is a miss for within, and left out of the median.
    assert scoring.within([0.0, 25.0, 30.0, None], 25) == 0.5
    assert scoring.median([3.0, None, 1.0, 10.0]) == 3.0
    assert scoring.median([None]) is None


def test_date_matching() -> None:
    day = dt.date(2019, 7, 21)
    assert scoring.date_matches(day, day)
    assert not scoring.date_matches(dt.date(2019, 7, 22), day)
    assert scoring.date_matches(dt.date(2019, 7, 22), day, dt.date(2019, 7, 23))
    assert not scoring.date_matches(dt.date(2019, 7, 24), day, dt.date(2019, 7, 23))
    assert not scoring.date_matches(None, day)


def test_leading_dates_and_dates_carried_by_text() -> None:
    assert leading_date("05/20/2017: Assailants ...") == dt.date(2017, 5, 20)
    assert leading_date("00/20/2017: unknown month") is None
    assert leading_date("Assailants on 05/20/2017: ...") is None
    assert text_date("05/20/2017: Assailants ...") == "leading"
    assert text_date("On 3 March 2021, a drone struck ...") == "in text"
    assert text_date("On 3 March, a drone struck ...") is None  # no year: needs a report date
    assert text_date("A drone struck a checkpoint.") is None


@pytest.mark.parametrize(
    ("name", "country", "codes"),
    [
        ("Nineveh", None, {"IQ-NI"}),
        ("Ninewa", "IQ", {"IQ-NI"}),
        ("Al Anbar", "IQ", {"IQ-AN"}),
        ("Saladin", None, {"IQ-SD"}),
        ("Salah Al Din", None, {"IQ-SD"}),
        ("Hamah", "SY", {"SY-HM"}),
        ("Idleb", "SY", {"SY-ID"}),
        ("Deir ez Zor", "SY", {"SY-DY"}),
        ("Deir ez Zor Governorate", "SY", {"SY-DY"}),
        ("Rif Dimashq Governorate", "SY", {"SY-RD"}),
        ("Al Hasakeh", "SY", {"SY-HA"}),
        ("Dihok", None, {"IQ-DA"}),
        ("Atlantis", None, set()),
        ("", None, set()),
    ],
)
def test_governorate_names_normalise_to_iso_codes(
    gazetteer: Gazetteer, name: str, country: str | None, codes: set[str]
) -> None:
    assert scoring.admin1_codes(gazetteer, name, country) == codes


def test_same_admin1() -> None:
    assert scoring.same_admin1(Place("x", admin1_code="IQ-NI"), {"IQ-NI"})
    assert not scoring.same_admin1(Place("x", admin1_code="IQ-AN"), {"IQ-NI"})
    assert not scoring.same_admin1(Place("x"), {"IQ-NI"})
    assert not scoring.same_admin1(None, {"IQ-NI"})


def test_same_location_by_id_variant_and_town_part(gazetteer: Gazetteer) -> None:
    mosul = resolved(gazetteer, "Mosul")
    assert scoring.same_location(gazetteer, mosul, "Mosul")
    assert scoring.same_location(gazetteer, mosul, "Mosul - Old City")  # ACLED's Town - Part
    assert scoring.same_location(gazetteer, resolved(gazetteer, "Tal Afar"), "Tall Afar")
    assert scoring.same_location(gazetteer, resolved(gazetteer, "Raqqa"), "Ar Raqqah")
    assert not scoring.same_location(gazetteer, mosul, "Tal Afar")
    # The governorate coded for a town of the same name is not the town.
    baghdad_governorate = gazetteer.place(gazetteer.admin1("IQ-BG"), 3)  # type: ignore[arg-type]
    assert not scoring.same_location(gazetteer, baghdad_governorate, "Baghdad")
    assert not scoring.same_location(gazetteer, None, "Mosul")
    assert not scoring.same_location(gazetteer, mosul, "")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Islamic State of Iraq and the Levant (ISIL)", True),
        ("Islamic State (Syria)", True),
        ("ISIS", True),
        ("IS", True),
        ("Daesh", True),
        ("Da'ish", True),
        ("Islamic Resistance in Iraq", False),
        ("Global Coalition Against Daesh", False),
        ("Is it", False),
        ("Unidentified Armed Group (Iraq)", False),
        ("this is it", False),
        ("Dash", False),
        (None, False),
    ],
)
def test_is_islamic_state(name: str | None, expected: bool) -> None:
    assert scoring.is_islamic_state(name) is expected


def test_coded_actors_split_associated_actors() -> None:
    e = event(
        None,
        date=None,
        actor1="Military Forces of Iraq (2018-2020)",
        actor2="Islamic State (Iraq)",
        assoc_actor1="Military Forces of Iraq (2018-2020) Popular Mobilization Forces; Civilians (Iraq)",
    )
    assert scoring.coded_actors(e) == [
        "Military Forces of Iraq (2018-2020)",
        "Islamic State (Iraq)",
        "Military Forces of Iraq (2018-2020) Popular Mobilization Forces",
        "Civilians (Iraq)",
    ]
    assert scoring.coded_actors(None) == []


def test_ucdp_sides_through_the_table_and_by_folded_name() -> None:
    coded = ["Military Forces of Syria (2000-2024) Syrian Arab Air Force", "Civilians (Syria)"]
    assert scoring.side_matches("Government of Syria", coded)
    assert scoring.side_matches("Civilians", coded)
    assert not scoring.side_matches("IS", coded)
    assert scoring.side_matches("IS", ["Islamic State (Syria)"])
    assert scoring.side_matches("SDF", ["QSD: Syrian Democratic Forces"])
    # A side listing several actors matches any of them.
    assert scoring.side_matches("Ahrar al-Sham, HTS, Southern Front", ["HTS: Hayat Tahrir al Sham"])
    # Names not in the table: case, hyphens, ABBR prefix and (Country) suffix set aside.
    assert scoring.side_matches("Nour al-Din al-Zenki", ["Nour al Din al Zenki"])
    assert not scoring.side_matches("Nour al-Din al-Zenki", ["Nour al Din"])
    assert not scoring.side_matches("", coded)


def test_ucdp_selection_rule() -> None:
    assert scoring.place_word("Ash Shaykh Miskin town") == "shaykh"
    assert scoring.place_word("Eastern Ghouta") == "ghouta"
    assert scoring.place_word("Al Bab town") == "bab"
    assert scoring.place_word("Al Ha") is None  # too short to select on
    assert scoring.headline_names_place("Clashes in Hajin", "Hajin town", "Deir ez Zor Governorate")
    assert scoring.headline_names_place(
        "Shelling on Deir ez-Zor city", "Al Jurah neighbourhood", "Deir ez Zor Governorate"
    )
    assert scoring.headline_names_place("Battles in Raqqah", "Tabqa town", "Ar Raqqah Governorate")
    assert not scoring.headline_names_place(
        "32 days of the truce", "Duma town", "Rif Dimashq Governorate"
    )
    assert not scoring.headline_names_place("Hajinah market", "Hajin town", "")


# -- runners on the tiny files (fake coder: exact scores) -----------------------------------------


def test_case_runner_scores_and_json_keys() -> None:
    answers = {
        "Warplanes": "AIR_STRIKE",
        "A helicopter": "ARMED_CLASH",
        "Soldiers": "ARMED_CLASH",
        "Several": "PEACE_PROTEST",
        "The foreign": "DIPLO",
        "Police": "OTHER",
    }

    def labeller(texts: Sequence[str]) -> list[str]:
        return [next(v for k, v in answers.items() if t.startswith(k)) for t in texts]

    result = run_case2021(load_case2021(CASE_TINY), None, labeller=labeller)  # type: ignore[arg-type]
    data = result.to_dict()
    assert set(data) == CASE_KEYS
    assert data["n"] == 6
    assert data["accuracy"] == round(4 / 6, 4)
    assert data["macro_f1"] == round(5 / 9, 4)
    assert data["weighted_f1"] == round(4 / 6, 4)
    assert data["confusion"]["ARREST"] == {"OTHER": 1}
    assert data["per_label"]["AIR_STRIKE"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "support": 2,
    }
    assert data["details"]["counts"]["accuracy"] == {"correct": 4, "total": 6}
    json.dumps(data)  # serialisable

    limited = run_case2021(load_case2021(CASE_TINY), None, labeller=labeller, limit=2)  # type: ignore[arg-type]
    assert limited.n == 2 and limited.metric("accuracy").value == 0.5


def drone_coder(gazetteer: Gazetteer, **kwargs: Any) -> FakeCoder:
    ramadi = resolved(gazetteer, "Ramadi")
    return FakeCoder(
        gazetteer,
        {
            # right on everything
            "On 3 March 2021": [
                event(
                    resolved(gazetteer, "Tal Afar"),
                    date=dt.date(2021, 3, 3),
                    fatalities=2,
                    actor1="Islamic State (Iraq)",
                    actor2="Military Forces of Iraq (2020-2022)",
                )
            ],
            # right place and date, wrong toll, IS missed
            "05/20/2017": [
                event(resolved(gazetteer, "Mosul"), date=dt.date(2017, 5, 20), fatalities=1)
            ],
            # the governorate's capital for a town 43 km away
            "On 9 August 2023": [
                event(resolved(gazetteer, "Deir ez-Zor"), date=dt.date(2023, 8, 9), fatalities=0)
            ],
            # wrong governorate, wrong day, IS coded where it is not
            "On 14 June 2024": [
                event(
                    resolved(gazetteer, "Amadiya"),
                    date=dt.date(2024, 6, 15),
                    actor1="Military Forces of Iraq (2022-) Peshmerga",
                    assoc_actor1="Islamic State (Iraq)",
                )
            ],
            # "Assailants flew ..." (Hama): nothing coded
            "11/02/2016": [event(ramadi, date=dt.date(2016, 11, 2), actor1=None)],
        },
        **kwargs,
    )


def test_drone_runner_exact_scores(gazetteer: Gazetteer) -> None:
    coder = drone_coder(gazetteer)
    result = run_drone(load_drone(DRONE_TINY), coder)  # type: ignore[arg-type]
    data = result.to_dict()
    assert set(data) == DRONE_KEYS
    assert data["n"] == 6
    counts = data["details"]["counts"]
    # Provinces: Nineveh, Ninewa, Deir ez Zor, Al Anbar right; Erbil wrong; Hamah not coded.
    assert counts["admin1_accuracy"] == {"correct": 4, "total": 6}
    assert counts["location_accuracy"] == {"correct": 3, "total": 6}
    assert counts["within_25km"] == {"correct": 3, "total": 6}
    # Dates: the five texts with a date (ACLED "On 3 March 2021", GTD "05/20/2017:"); the GTD
    # row without its leading date is left out. Four right, the Sidakan day wrong.
    assert counts["date_accuracy"] == {"correct": 4, "total": 5}
    assert data["date_accuracy"] == 0.8
    # Tolls: "N/A" left out; 2=2, 1!=3, 0=0, no event for Hama, 0=0.
    assert counts["fatalities_accuracy"] == {"correct": 3, "total": 5}
    assert data["details"]["fatalities_left_out"] == 1
    # IS: gold rows 1 and 2; coded rows 1 and 4 -> P = R = 1/2.
    assert data["actor_is_f1"] == 0.5
    assert data["details"]["actor_is"] == {
        "gold_positive": 2,
        "coded_positive": 2,
        "true_positive": 1,
    }
    kms = [
        0.0,
        0.0,
        distance_km(35.33588, 40.14084, 35.01982, 40.45154),
        distance_km(37.09214, 43.48769, 36.798, 44.671),
        0.0,
    ]
    assert data["median_km"] == round(sorted(kms)[2], 4) == 0.0
    assert result.metric("median_km").total == 5
    assert data["details"]["rows_with_event"] == 5
    assert data["details"]["by_origin"]["GTD"]["rows"] == 3
    # GTD rows are coded as of their leading date; ACLED rows with no publication date.
    assert coder.published[
        "05/20/2017: Assailants dropped explosives from a drone on a market in Mosul, Ninewa, Iraq. Three civilians were killed in the blast."
    ] == dt.date(2017, 5, 20)
    assert all(v is None for k, v in coder.published.items() if k.startswith(("On ", "Assailants")))


def test_drone_runner_survives_a_coder_error(gazetteer: Gazetteer) -> None:
    coder = drone_coder(gazetteer, bad=["On 9 August 2023"], batch_size=4)
    result = run_drone(load_drone(DRONE_TINY), coder)  # type: ignore[arg-type]
    errors = result.details["coder_errors"]
    assert errors == [f"{DRONE_TINY}:4: ValueError: a coder bug"]
    # The failed row counts as no prediction; the rest of its batch is still coded.
    assert result.metric("admin1_accuracy").correct == 3
    assert result.details["rows_with_event"] == 4


def test_ucdp_runner_selects_rows_and_scores_them(gazetteer: Gazetteer) -> None:
    coder = FakeCoder(
        gazetteer,
        {
            "Clashes between SDF": [
                event(
                    resolved(gazetteer, "Hajin"),
                    date=dt.date(2018, 11, 5),
                    fatalities=4,
                    actor1="QSD: Syrian Democratic Forces",
                    actor2="Islamic State (Syria)",
                )
            ],
            "Regime warplanes": [
                event(
                    resolved(gazetteer, "Idlib"),
                    date=dt.date(2019, 5, 2),
                    actor1="Military Forces of Syria (2000-2024) Syrian Arab Air Force",
                )
            ],
            "Jaysh al-Islam repels": [
                event(
                    resolved(gazetteer, "Douma"),
                    date=dt.date(2018, 2, 20),
                    fatalities=3,
                    actor1="Jaysh al Islam",
                )
            ],
            "Explosion in Azaz": [
                event(
                    resolved(gazetteer, "Azaz"),
                    date=dt.date(2017, 9, 14),
                    fatalities=1,
                    actor1="Unidentified Armed Group (Syria)",
                    actor2="Civilians (Syria)",
                )
            ],
        },
    )
    result = run_ucdp(load_ucdp(UCDP_TINY), coder)  # type: ignore[arg-type]
    data = result.to_dict()
    assert set(data) == UCDP_KEYS
    # Selected: Hajin, Idlib (governorate), Tal Rifaat, (Eastern) Ghouta, Azaz; not the truce
    # round-up (Duma) nor Palmyra (UCDP writes Tadmur, in Homs).
    assert data["n"] == 5
    assert data["details"]["selected"] == 5 and data["details"]["rows_read"] == 7
    counts = data["details"]["counts"]
    assert counts["admin1_accuracy"] == {"correct": 3, "total": 4}  # Azaz has no adm_1
    assert data["admin1_accuracy"] == 0.75
    assert counts["side_accuracy"] == {"correct": 4, "total": 5}
    assert counts["date_accuracy"] == {"correct": 3, "total": 5}
    assert counts["fatalities_accuracy"] == {"correct": 3, "total": 5}
    assert data["details"]["sides_not_in_table"] == []
    assert data["details"]["by_year"]["2019"] == {
        "n": 2,
        "admin1_accuracy": 0.5,
        "side_accuracy": 0.5,
        "date_accuracy": 0.0,
        "fatalities_accuracy": 0.0,
    }
    # The headline is coded as of its report date, never the gold event date.
    assert coder.published["Regime warplanes bomb the Idlib countryside"] == dt.date(2019, 5, 2)

    limited = run_ucdp(load_ucdp(UCDP_TINY), coder, limit=2)  # type: ignore[arg-type]
    assert limited.n == 2 and limited.details["selected"] == 5


def test_evaluate_checks_its_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown dataset 'bogus'"):
        evaluate("bogus", CASE_TINY)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown part 'half'; use one of tune, score, all"):
        evaluate("drone", DRONE_TINY, part="half")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="limit must be at least 1"):
        evaluate("drone", DRONE_TINY, limit=0)
    # The file is read before any model loads.
    with pytest.raises(UnreadableInput, match="no such file"):
        evaluate("ucdp", tmp_path / "none.csv")


def test_result_json_puts_skipped_rows_in_details() -> None:
    result = EvalResult("case2021", CASE_BAD, 0, (), load_case2021(CASE_BAD).skipped)
    assert result.to_dict()["details"]["skipped"][0] == {
        "line": 3,
        "reason": "2 tab-separated fields where the header has 3",
    }


# -- the command ----------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_eval_writes_the_documented_json(tmp_path: Path) -> None:
    out = tmp_path / "case.json"
    result = runner.invoke(app, ["eval", "case2021", str(CASE_BAD), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "weighted_f1" in result.stdout and "accuracy" in result.stdout
    # Each malformed row is reported on stderr with its line.
    assert f"skipped {CASE_BAD}:3: 2 tab-separated fields where the header has 3" in result.stderr
    assert f"skipped {CASE_BAD}:5: empty EventSnippet" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == CASE_KEYS
    assert data["n"] == 2
    assert len(data["details"]["skipped"]) == 3
    assert sum(sum(row.values()) for row in data["confusion"].values()) == 2


def test_cli_eval_limit_and_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "drone", str(tmp_path / "none.csv")])
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {tmp_path / 'none.csv'}: no such file; check the path (see docs/accuracy.md)"
    )
    result = runner.invoke(app, ["eval", "bogus", str(DRONE_TINY)])
    assert result.exit_code == 2
    # A file of another dataset is refused whole, naming what its header lacks.
    result = runner.invoke(app, ["eval", "acled", str(DRONE_TINY)])
    assert result.exit_code == 1
    assert "not an ACLED export file: the header lacks event_id_cnty, event_date" in result.stderr
    result = runner.invoke(app, ["eval", "drone", str(DRONE_TINY), "--part", "half"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["eval", "drone", str(DRONE_TINY), "--limit", "0"])
    assert result.exit_code == 2
    out = tmp_path / "drone.json"
    result = runner.invoke(
        app, ["eval", "drone", str(DRONE_TINY), "--limit", "2", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == DRONE_KEYS and data["n"] == 2


# -- ACLED exports and GTD files ------------------------------------------------------------------


def test_acled_reader_reads_both_date_layouts_and_reports_bad_rows() -> None:
    old = load_acled(ACLED_2020)
    assert [r.id for r in old.rows] == ["IRQ900001", "SYR900002", "SYR900003"]
    assert [r.date for r in old.rows] == [
        dt.date(2020, 5, 9),  # 9-May-20
        dt.date(2020, 5, 3),
        dt.date(2020, 4, 28),
    ]
    first = old.rows[0]
    assert first.text.startswith("On 9 May 2020, Iraqi army soldiers")
    assert (first.actor1, first.actor2) == (
        "Military Forces of Iraq (2020-)",
        "Islamic State (Iraq)",
    )
    assert (first.admin1, first.location, first.geo_precision) == ("Kirkuk", "Hawija", 1)
    assert (first.fatalities, first.time_precision) == (3, 1)
    assert old.rows[2].actor2 == ""
    assert [(s.line, s.reason) for s in old.skipped] == [
        (5, "event_date '31-Feb-20' is not a date (YYYY-MM-DD or D-Mon-YY)"),
        (6, "geo_precision '5' is not a whole number from 1 to 3"),
        (7, "empty notes"),
    ]

    now = load_acled(ACLED_NOW)  # YYYY-MM-DD, with disorder_type, civilian_targeting and tags
    assert [r.date for r in now.rows] == [dt.date(2024, 3, 14), dt.date(2024, 3, 16)]
    assert now.rows[0].assoc_actor2 == "Farmers (Iraq)"
    assert now.rows[1].sub_event_type == "Peaceful protest" and now.rows[1].actor2 == ""
    assert [(s.line, s.reason) for s in now.skipped] == [
        (4, "event_date '14/03/2024' is not a date (YYYY-MM-DD or D-Mon-YY)")
    ]


def test_gtd_reader_reads_gtd_columns_with_or_without_eventid() -> None:
    gtd = load_gtd(GTD_TINY)
    assert [r.id for r in gtd.rows] == ["201405120001", "201611030002", ""]
    tal_afar = gtd.rows[0]
    assert (tal_afar.admin1, tal_afar.city, tal_afar.nkill) == ("Nineveh", "Tal Afar", 4)
    assert tal_afar.date == dt.date(2014, 5, 12) and tal_afar.country == "Iraq"
    assert tal_afar.attack_type == "Bombing/Explosion"
    assert gtd.rows[2].date is None  # GTD's 0 for an unknown day
    assert [(s.line, s.reason) for s in gtd.skipped] == [
        (5, "iyear/imonth/iday '2015'/'7'/'x' are not numbers")
    ]
    # Without an eventid column (nor country_txt), a row is keyed by its summary.
    bare = load_gtd(GTD_NO_ID)
    assert [r.id for r in bare.rows] == ["", ""] and bare.rows[0].country == ""
    assert bare.rows[0].split_key == bare.rows[0].text
    with pytest.raises(MalformedRecord, match="not a GTD file: the header lacks iyear, imonth"):
        load_gtd(DRONE_TINY)


def test_actor_names_compare_without_regime_years() -> None:
    assert scoring.actor_key("Military Forces of Iraq (2020-)") == scoring.actor_key(
        "Military Forces of Iraq (2018-2022)"
    )
    assert scoring.actor_key("Islamic State (Iraq)") != scoring.actor_key("Islamic State (Syria)")
    # A unit is another actor than the army it belongs to.
    assert scoring.actor_key("Military Forces of Iraq (2022-) Peshmerga") != scoring.actor_key(
        "Military Forces of Iraq (2022-)"
    )
    assert scoring.actor_key(None) == "" == scoring.actor_key("")
    counts = scoring.side_counts(
        ["Military Forces of Iraq (2020-)", "Islamic State (Iraq)"],
        ["Islamic State (Iraq)", "Military Forces of Iraq (2018-2022)"],  # order set aside
    )
    assert counts == scoring.SideCounts(2, 2, 2) and counts.f1 == 1.0
    one_of_two = scoring.side_counts(["Protesters (Syria)", ""], ["Civilians (Syria)", None])
    assert one_of_two == scoring.SideCounts(0, 1, 1)
    total = counts + one_of_two + scoring.side_counts(["Civilians (Iraq)"], [])
    assert total == scoring.SideCounts(2, 4, 3) and total.f1 == pytest.approx(4 / 7)
    assert scoring.SideCounts(0, 0, 0).f1 is None


def test_opening_date_of_notes_and_summaries() -> None:
    assert opening_date("On 9 May 2020, soldiers fought near Hit.") == dt.date(2020, 5, 9)
    assert opening_date("05/12/2014: A car bomb ...") == dt.date(2014, 5, 12)
    assert opening_date("08/00/2013: A bomb ...") is None  # no day
    assert opening_date("On 9 May, soldiers fought near Hit.") is None  # no year: no day alone
    assert opening_date("Soldiers fought near Hit.") is None


def acled_coder(gazetteer: Gazetteer) -> FakeCoder:
    return FakeCoder(
        gazetteer,
        {
            # right on everything; the army's regime years differ from the gold's
            "On 9 May 2020": [
                event(
                    resolved(gazetteer, "Hawija"),
                    date=dt.date(2020, 5, 9),
                    fatalities=3,
                    actor1="Military Forces of Iraq (2018-2022)",
                    actor2="Islamic State (Iraq)",
                    event_type="Battles",
                    sub_event_type="Armed clash",
                )
            ],
            # right type, wrong sub-type and actor1, the governorate's capital 43 km away
            "On 3 May 2020": [
                event(
                    resolved(gazetteer, "Deir ez-Zor"),
                    date=dt.date(2020, 5, 3),
                    fatalities=2,
                    actor1="Islamic State (Syria)",
                    actor2="Civilians (Syria)",
                )
            ],
            # "On 28 April 2020" (the protest): nothing coded
        },
    )


def test_acled_runner_exact_scores(gazetteer: Gazetteer) -> None:
    coder = acled_coder(gazetteer)
    result = run_acled(load_acled(ACLED_2020), coder)  # type: ignore[arg-type]
    data = result.to_dict()
    assert set(data) == ACLED_KEYS
    assert data["n"] == 3
    counts = data["details"]["counts"]
    assert counts["event_type_accuracy"] == {"correct": 2, "total": 3}
    assert counts["sub_event_type_accuracy"] == {"correct": 1, "total": 3}
    # Actors: gold 2 + 2 + 1, coded 2 + 2 + 0, shared 2 + 1 (Civilians) -> F1 = 6 / 9.
    assert data["details"]["actors"] == {"matched": 3, "gold": 5, "coded": 4}
    assert data["actor_f1"] == round(6 / 9, 4)
    assert counts["admin1_accuracy"] == {"correct": 2, "total": 3}  # "Deir-ez-Zor" resolves
    assert counts["location_accuracy"] == {"correct": 1, "total": 3}
    assert counts["within_25km"] == {"correct": 1, "total": 3}
    assert data["median_km"] == round(
        (0.0 + distance_km(35.33588, 40.14084, 35.01982, 40.45154)) / 2, 4
    )
    assert counts["date_accuracy"] == {"correct": 2, "total": 3}
    assert counts["fatalities_accuracy"] == {"correct": 2, "total": 3}
    # Hawija coded at precision 1 (gold 1); Deir ez-Zor coded at 1 where ACLED wrote 2.
    assert counts["geo_precision_accuracy"] == {"correct": 1, "total": 3}
    assert data["details"]["by_event_type"]["Protests"] == {
        "rows": 1,
        "event_type_accuracy": 0.0,
        "sub_event_type_accuracy": 0.0,
    }
    assert data["details"]["actor_is"]["gold_positive"] == 1
    assert len(data["details"]["skipped"]) == 3
    assert all(isinstance(o, AcledOutcome) for o in result.outcomes)
    # A note is coded as of the day it opens with, never the gold event_date column.
    assert coder.published[load_acled(ACLED_2020).rows[0].text] == dt.date(2020, 5, 9)
    json.dumps(data)


def test_gtd_runner_scores_like_the_drone_runner(gazetteer: Gazetteer) -> None:
    coder = FakeCoder(
        gazetteer,
        {
            "05/12/2014": [
                event(
                    resolved(gazetteer, "Tal Afar"),
                    date=dt.date(2014, 5, 12),
                    fatalities=4,
                    actor1="Islamic State (Iraq)",
                    actor2="Police Forces of Iraq (2014-2018)",
                )
            ],
            # the right province, another town (Tikrit, about 50 km from Samarra), IS missed
            "11/03/2016": [event(resolved(gazetteer, "Tikrit"), date=dt.date(2016, 11, 4))],
            "08/00/2013": [event(resolved(gazetteer, "Ramadi"), date=None, fatalities=1)],
        },
    )
    result = run_gtd(load_gtd(GTD_TINY), coder)  # type: ignore[arg-type]
    data = result.to_dict()
    assert set(data) == GTD_KEYS
    counts = data["details"]["counts"]
    assert data["n"] == 3
    assert counts["admin1_accuracy"] == {"correct": 3, "total": 3}  # Saladin, Al Anbar resolve
    assert counts["location_accuracy"] == {"correct": 2, "total": 3}
    assert counts["within_25km"] == {"correct": 2, "total": 3}
    # The Ramadi row has no known day: left out. Samarra's day is wrong.
    assert counts["date_accuracy"] == {"correct": 1, "total": 2}
    assert counts["fatalities_accuracy"] == {"correct": 2, "total": 3}
    # Gold IS: rows 1 and 2; coded IS: row 1 -> P 1, R 1/2, F1 2/3.
    assert data["actor_is_f1"] == round(2 / 3, 4)
    assert data["details"]["attack_types"] == {"Armed Assault": 1, "Bombing/Explosion": 2}
    assert coder.published[load_gtd(GTD_TINY).rows[1].text] == dt.date(2016, 11, 3)


# -- the tune/score split -------------------------------------------------------------------------


def test_split_is_fixed_by_the_id_and_salt() -> None:
    # These answers pin the salt and the rule: changing either moves rows between the halves,
    # and every figure measured before would no longer be comparable.
    assert SPLIT_SALT == "harbinger-eval-split-2026-v1"
    assert [split_part(k) for k in ("IRQ900001", "SYR900003", "1", "2", " 2 ")] == [
        "score",
        "tune",
        "tune",
        "score",
        "score",  # surrounding spaces are not part of the id
    ]
    share = sum(split_part(f"IRQ{n}") == "tune" for n in range(4000)) / 4000
    assert 0.45 < share < 0.55


def test_split_halves_are_disjoint_cover_the_file_and_ignore_its_order(tmp_path: Path) -> None:
    loaded = load_drone(DRONE_TINY)
    tune = select_part(loaded.rows, "tune")
    score = select_part(loaded.rows, "score")
    assert tune and score
    assert {r.id for r in tune}.isdisjoint({r.id for r in score})
    assert len(tune) + len(score) == len(loaded.rows)
    assert {r.id for r in tune} | {r.id for r in score} == {r.id for r in loaded.rows}
    assert select_part(loaded.rows, "all") == loaded.rows
    # The same file with its rows in the opposite order splits the same way.
    lines = CASE_TINY.read_text(encoding="utf-8").splitlines()
    reordered = tmp_path / "reordered.tsv"
    reordered.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    forward = {r.id for r in select_part(load_case2021(CASE_TINY).rows, "score")}
    backward = {r.id for r in select_part(load_case2021(reordered).rows, "score")}
    assert forward == backward == {"2", "4", "5"}
    with pytest.raises(ValueError, match="unknown part"):
        select_part(loaded.rows, "half")  # type: ignore[arg-type]


def test_the_same_event_is_in_the_same_half_in_every_dataset() -> None:
    # An ACLED event_id_cnty that is also a drone eventid: one key, one half.
    acled = load_acled(ACLED_2020).rows[0]
    assert split_part(acled.split_key) == split_part("IRQ900001") == "score"
    gtd = load_gtd(GTD_TINY).rows
    assert gtd[2].split_key == gtd[2].text  # no eventid: the summary decides


def test_runners_score_one_half_and_limit_counts_after_the_split(gazetteer: Gazetteer) -> None:
    loaded = load_acled(ACLED_2020)
    score = run_acled(loaded, acled_coder(gazetteer), part="score")  # type: ignore[arg-type]
    tune = run_acled(loaded, acled_coder(gazetteer), part="tune")  # type: ignore[arg-type]
    assert (score.n, tune.n) == (2, 1)
    assert score.to_dict()["details"]["part"] == "score"
    assert score.details["rows_in_part"] == 2 and score.details["rows_in_file"] == 6
    assert score.details["split"]["key"] == "event_id_cnty (else notes)"
    assert tune.metric("event_type_accuracy").value == 0.0  # only the protest, not coded
    assert score.metric("event_type_accuracy").value == 1.0
    assert run_acled(loaded, acled_coder(gazetteer)).to_dict()["details"]["part"] == "all"

    def labeller(texts: Sequence[str]) -> list[str]:
        return ["AIR_STRIKE"] * len(texts)

    tiny = load_case2021(CASE_TINY)
    limited = run_case2021(tiny, None, labeller=labeller, part="tune", limit=2)  # type: ignore[arg-type]
    # The first two rows of the tune half (ids 1 and 3), not the first two of the file.
    assert [o.row.id for o in limited.outcomes] == ["1", "3"]  # type: ignore[union-attr]
    assert limited.details["rows_in_part"] == 3

    # UCDP: the half is taken before the headline selection, and only its rows are scored.
    ucdp_rows = load_ucdp(UCDP_TINY)
    every = run_ucdp(ucdp_rows, FakeCoder(gazetteer, {}))  # type: ignore[arg-type]
    halves = [run_ucdp(ucdp_rows, FakeCoder(gazetteer, {}), part=p) for p in ("tune", "score")]  # type: ignore[arg-type]
    assert halves[0].n + halves[1].n == every.n
    tune_ids = {r.id for r in select_part(ucdp_rows.rows, "tune")}
    assert {o.row.id for o in halves[0].outcomes} <= tune_ids  # type: ignore[union-attr]
    assert halves[0].to_dict()["details"]["part"] == "tune"


def test_cli_eval_acled_and_gtd_by_part(tmp_path: Path) -> None:
    out = tmp_path / "acled.json"
    result = runner.invoke(
        app, ["eval", "acled", str(ACLED_2020), "--part", "score", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "score half" in result.stdout and "event_type_accuracy" in result.stdout
    assert f"skipped {ACLED_2020}:6: geo_precision '5' is not a whole number" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == ACLED_KEYS
    assert data["n"] == 2 and data["details"]["part"] == "score"
    assert data["details"]["dataset"] == "acled"
    out = tmp_path / "gtd.json"
    result = runner.invoke(app, ["eval", "gtd", str(GTD_TINY), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == GTD_KEYS and data["n"] == 3 and data["details"]["part"] == "all"
    assert f"skipped {GTD_TINY}:5: iyear/imonth/iday" in result.stderr
