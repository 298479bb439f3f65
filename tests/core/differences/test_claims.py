"""Claim cues: outcomes, hedges, attribution."""

from __future__ import annotations

from reader.differences.claims import find_cues, outcome_pair


def _values(text: str, kind: str) -> list[str]:
    return [c.value for c in find_cues(text) if c.kind == kind]


def test_outcomes() -> None:
    assert _values("Rebels captured the port town on Friday.", "outcome") == ["took the place"]
    assert _values("Defenders repelled the raid on the port town.", "outcome") == ["held off the attack"]
    assert outcome_pair("held off the attack", "took the place")
    assert _values("The defendant was acquitted on all counts.", "outcome") == ["acquitted"]
    # both sides in one sentence is a narrative, not a verdict
    assert _values("Troops recaptured the town rebels had seized.", "outcome") == []


def test_hedges_and_attribution() -> None:
    assert _values("The striker is said to have signed a five-year deal.", "hedge") == ["hedged"]
    assert _values("The count could not be confirmed by observers.", "hedge") == ["hedged"]
    assert _values("The striker signed a five-year deal.", "hedge") == []
    assert _values("The rebel group claimed the attack.", "attribution") == ["claimed by the other side"]
    assert _values("Flood damage was severe, officials said.", "attribution") == ["said by authorities"]


def test_abilities_aims_and_denials_are_not_outcomes() -> None:
    assert _values("The coalition is confident its troops can repel any assault on the bridge.", "outcome") == []
    assert _values("Rebels tried to seize the airfield at dawn.", "outcome") == []
    assert _values("Government troops did not capture the ridge.", "outcome") == []
    assert _values("Government troops captured the ridge.", "outcome") == ["took the place"]
    # present and participle forms of one outcome count as that outcome, so a narrative holds both sides
    assert _values("The garrison held off the assault that saw rebels seize the valley.", "outcome") == []
    assert _values("Rebels captured three villages, but two were later retaken.", "outcome") == []


def test_an_active_defeat_is_a_win_and_unrelated_verbs_are_no_opposite() -> None:
    from reader.differences.claimdiff import claim_findings
    from reader.differences.mentions import Mention
    from reader.model import Group, Sentence

    def m(outlet: str, order: int, text: str) -> Mention:
        return Mention(outlet, order, Sentence(f"a{order}.s1", text, 0, 0, len(text)))

    won = m("A", 1, "Mayor Ilse Varn defeated her challenger by 412 votes to 300.")
    also = m("B", 2, "Ilse Varn won the mayoral vote on Sunday by a wide margin.")
    assert claim_findings(Group("g1", (), 1), [won, also]) == []
    lost = m("A", 1, "The council had lost its connection with voters, critics said.")
    elected = m("B", 2, "Ilse Varn was re-elected mayor on Sunday.")
    assert claim_findings(Group("g1", (), 1), [lost, elected]) == []
