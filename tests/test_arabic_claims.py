"""Statements and indicators in Arabic: speakers who are not in the actor file (a title, where
it serves, the person holding it), a statement continued without its speaker ("مشيرا إلى أن"),
what a statement is about, and whose forces withdraw. Sentences written for this test."""

from __future__ import annotations

import pytest

from harbinger.extract.coder import Coder
from harbinger.ingest.text import parse_text
from harbinger.records import CodedDocument
from tests.helpers import coder

HEADER = "خبر\n\nالمحرر\n\nالأحد 14 آب 2022\n\n"


@pytest.fixture(scope="module")
def arabic_coder() -> Coder:
    return coder()


def _code(c: Coder, body: str) -> CodedDocument:
    return c.code(parse_text(HEADER + body + "\n", "claims.txt"))


@pytest.mark.parametrize(
    ("body", "stance", "speaker", "about"),
    [
        # A title and the person holding it: the person, from the actor file.
        (
            "حذر المتحدث باسم قوات سوريا الديمقراطية فرهاد شامي، اليوم الأحد، من عودة نشاط "
            "خلايا داعش في ريف دير الزور.",
            "warning",
            "Farhad Shami",
            "Islamic State (Syria)",
        ),
        # A title and the place it serves, no actor: the Arabic words, up to the date.
        (
            "قال قائد عمليات نينوى، اليوم، إن القوات الأمنية تسيطر على الوضع بشكل كامل في "
            "صحراء الحضر.",
            "reassurance",
            "قائد عمليات نينوى",
            None,
        ),
        (
            "حذر مسؤول محلي في قضاء سنجار من أن التنظيم يستغل الفراغ الأمني.",
            "warning",
            "مسؤول محلي في قضاء سنجار",
            "Islamic State (Iraq)",
        ),
        # A title that names its body next; what follows is what was denied.
        (
            "نفى الناطق باسم وزارة الداخلية وجود أي تهديد لداعش في بغداد.",
            "denial",
            "الناطق باسم وزارة الداخلية",
            "Islamic State (Iraq)",
        ),
        (
            "نفى مصدر أمني وجود أي تحركات لعناصر التنظيم قرب الحدود في قضاء القائم.",
            "denial",
            "مصدر أمني",
            "Islamic State (Iraq)",
        ),
        (
            "وحذر شيخ عشيرة العبيد من عودة التنظيم إلى القرى المحاذية لوادي الشاي.",
            "warning",
            "شيخ عشيرة العبيد",
            "Islamic State (Iraq)",
        ),
        # A speaker named by an actor of the file.
        (
            "أكد الجيش العراقي أن فلول داعش تحت السيطرة في جبال حمرين.",
            "reassurance",
            "Military Forces of Iraq (2022-)",
            "Islamic State (Iraq)",
        ),
    ],
)
def test_speakers_and_what_they_speak_of(
    arabic_coder: Coder, body: str, stance: str, speaker: str, about: str | None
) -> None:
    claims = _code(arabic_coder, body).claims
    assert [(c.stance, c.speaker, c.about_actor) for c in claims][:1] == [(stance, speaker, about)]


def test_a_statement_continued_without_its_speaker_keeps_it(arabic_coder: Coder) -> None:
    coded = _code(
        arabic_coder,
        "وحذر مسؤول محلي في قضاء سنجار من أن التنظيم يستغل الفراغ الأمني، مشيرا إلى أن "
        "الخلايا النائمة تتنقل بين الوديان.",
    )
    assert [c.speaker for c in coded.claims] == ["مسؤول محلي في قضاء سنجار"] * 2
    assert coded.claims[1].text.startswith("الخلايا النائمة")  # not "إلى أن"


def test_two_statements_of_one_sentence_each_have_their_words(arabic_coder: Coder) -> None:
    coded = _code(
        arabic_coder,
        "نفى قائد عمليات ديالى وجود أي تهديد حقيقي، مؤكدا أن القوات الأمنية تسيطر على الوضع.",
    )
    assert [(c.stance, c.text) for c in coded.claims] == [
        ("denial", "وجود أي تهديد حقيقي"),
        ("reassurance", "القوات الأمنية تسيطر على الوضع."),
    ]
    assert {c.speaker for c in coded.claims} == {"قائد عمليات ديالى"}


@pytest.mark.parametrize(
    ("body", "actor"),
    [
        (
            "قال مسؤولون إن انسحاب القوات الأمريكية من قاعدة عين الأسد قد يترك فراغا أمنيا.",
            "Military Forces of the United States",
        ),
        (
            "وأضاف أن انسحاب بعض القطعات العسكرية من القرى النائية في ديالى ترك فراغا أمنيا.",
            "Military Forces of Iraq",
        ),
    ],
)
def test_the_withdrawing_side_is_the_force_that_leaves(
    arabic_coder: Coder, body: str, actor: str
) -> None:
    withdrawals = [i for i in _code(arabic_coder, body).indicators if i.kind == "withdrawal"]
    assert len(withdrawals) == 1  # one per sentence, however many cues
    assert withdrawals[0].actor is not None and withdrawals[0].actor.startswith(actor)


def test_the_group_leaving_is_no_withdrawal_of_forces(arabic_coder: Coder) -> None:
    coded = _code(arabic_coder, "وأكد محافظ الأنبار انسحاب عناصر داعش من الصحراء بعد الضربات.")
    assert not [i for i in coded.indicators if i.kind == "withdrawal"]


def test_a_resurgence_is_the_group_the_cue_names_not_the_speaker(arabic_coder: Coder) -> None:
    coded = _code(
        arabic_coder,
        "حذر المتحدث باسم قوات سوريا الديمقراطية من عودة نشاط خلايا داعش في ريف الحسكة.",
    )
    (resurgence,) = [i for i in coded.indicators if i.kind == "resurgence"]
    assert resurgence.actor == "Islamic State (Syria)"
