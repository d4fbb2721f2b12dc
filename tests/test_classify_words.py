"""The snippet classifier on classes of language: each case is a sentence we wrote to stand for a
kind of wording (an inflection or synonym of a trigger, a sense the rules confused, a definition of
ACLED's or of the CASE 2021 organisers), and asserts the CASE 2021 label it must get."""

from __future__ import annotations

import functools

import pytest

from harbinger.extract.classify import SnippetClassifier
from tests.helpers import coder


@functools.lru_cache(maxsize=1)
def classifier() -> SnippetClassifier:
    return SnippetClassifier(coder())


CASES = [
    # Inflections and synonyms of triggers.
    ("Police in the northern province have jailed 40 suspected militants ahead of the elections.",
     "ARREST"),
    ("Insurgents gained control of the police station in the district after two days of fighting.",
     "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("The two governments began indirect talks in May over the future of the border region.",
     "AGREEMENT"),
    ("Army troops advanced on the rebel-held town from the south on Tuesday.",
     "GOV_REGAINS_TERIT"),
    ("A shootout between gunmen and soldiers left three soldiers hurt near the checkpoint.",
     "ARMED_CLASH"),
    # A weapon that destroys something attacks it.
    ("Government warplanes destroyed an arms depot of the insurgents near the river.",
     "AIR_STRIKE"),
    # A blast that kills those who set it off is a suicide attack.
    ("Two gunmen detonated explosives, killing themselves, when police surrounded their house.",
     "SUIC_BOMB"),
    # No armed actor and no weapon: an explosion, a toxic leak or a "battle" beside a hazard.
    ("Several gas cylinders exploded during a fire at a warehouse, and firefighters fought the "
     "blaze for hours.", "MAN_MADE_DISASTER"),
    ("Dozens of workers were treated after a chlorine leakage at a water treatment site.",
     "MAN_MADE_DISASTER"),
    ("Roads were closed as flooded fields spread across the valley after days of heavy rain.",
     "NATURAL_DISASTER"),
    # A kidnapping is meant: no disaster word makes it one.
    ("Residents say unknown men abducted six students last week as cases of disappearances rise.",
     "ABDUCT_DISSAP"),
    # Organised crime words, and an accusation of a crime.
    ("A man was held for selling pornographic videos online, police said.", "ORG_CRIME"),
    ("He was accused of several robberies and thefts across the city.", "ORG_CRIME"),
    # A text that reports an attack first, and a statement about it after, reports the attack.
    ("Militants attacked an army outpost near the border on Sunday night. The group accused the "
     "army of shelling its villages.", "ARMED_CLASH"),
    # Displacement is the news when it is the main clause; the fighting is its cause.
    ("Some 5,000 villagers have fled their homes because of rebel attacks, an aid agency said.",
     "OTHER"),
    ("Thousands of families are fleeing the city after it was retaken by the army.", "OTHER"),
    # A protest's grievance is no act of the protest.
    ("Hundreds of students marched to mourn classmates killed by police last year.",
     "PEACE_PROTEST"),
    ("Crowds rallied in the capital against violence towards women.", "PEACE_PROTEST"),
    ("Protesters demanded the release of activists detained last month.", "PEACE_PROTEST"),
    # ACLED's questions over the whole snippet: stones thrown a sentence after the march.
    ("Thousands of protesters marched to the ministry on Monday. Some of them later blocked the "
     "main road with burning tyres.", "VIOL_DEMONSTR"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "label"), CASES, ids=[label for _, label in CASES])
def test_label(text: str, label: str) -> None:
    assert classifier().classify(text).case_label == label


def test_unchanged_neighbours() -> None:
    """The rules above leave their neighbours alone: a chemical attack by a named armed group is
    still one, an explosion of a bomb is still an IED, police dispersing a march with tear gas is
    still a protest with intervention, armed men fleeing are no displacement, a protest's place
    is no grievance (nor its grievance a use of force), and an adjective "advanced" is no advance."""
    cases = {
        "Rebels fired shells filled with chlorine gas into the town, medics said.": "CHEM_WEAP",
        "A roadside bomb exploded near a bus station, wounding four people.": "REM_EXPLOS",
        "Police fired tear gas to disperse hundreds of protesters in the capital.": (
            "PROTEST_WITH_INTER"
        ),
        "The militants fled the village after clashes with the army.": "ARMED_CLASH",
        "Thousands protested in the square where police fired live ammunition at them.": (
            "FORCE_AGAINST_PROTEST"
        ),
        "Islamic State militants have acquired advanced weapons, officials said.": "OTHER",
        "Students are protesting the killing of a classmate by police last week.": "PEACE_PROTEST",
    }
    got = {text: classifier().classify(text).case_label for text in cases}
    assert got == cases
