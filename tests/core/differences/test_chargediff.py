"""What someone is charged with, told two ways, on an invented case (a warehouse fire in a river town)."""

from __future__ import annotations

from fakes import article as _article

from reader.differences.chargediff import charge_findings
from reader.differences.mentions import index_sentences
from reader.model import Group


def _found(a: list[str], b: list[str]):
    arts = [_article("a1", "Delta Courier", a), _article("a2", "Harbour FM", b)]
    groups = [Group(f"g{i}", (s.id,), 0.9) for i, s in enumerate((s for x in arts for s in x.sentences), start=1)]
    return charge_findings(arts, groups, index_sentences(arts))


def test_two_offences_for_one_person_are_worth_a_look() -> None:
    (d,) = _found(
        ["Nadia Vorst, 44, was arrested on Friday.", "She was charged with first-degree arson and fraud, police said."],
        ["Prosecutors charged Vorst with second-degree arson on Saturday.", "Vorst was held without bail."],
    )
    assert d.kind == "claim" and d.detail == "charge" and d.confidence < 0.6
    assert [v.text for v in d.values] == ["first-degree arson", "second-degree arson"]
    assert "Nadia Vorst" in d.summary
    (d,) = _found(["Ivo Kral was charged with arson."], ["Ivo Kral was charged with attempted arson."])
    assert [v.text for v in d.values] == ["arson", "attempted arson"]


def test_fewer_charges_a_fuller_name_of_one_or_another_person_or_step_are_no_difference() -> None:
    # one outlet names fewer charges, or the same charge more fully: nothing left in conflict
    assert not _found(["Nadia Vorst was charged with arson and fraud."], ["Prosecutors charged Vorst with arson."])
    assert not _found(["Nadia Vorst was charged with arson."], ["Vorst was charged with first-degree arson."])
    # two people
    assert not _found(["Nadia Vorst was charged with arson."], ["Her partner Emil Stan was charged with fraud."])
    # two steps of one case: a suspicion at arrest, a charge later
    assert not _found(
        ["Nadia Vorst was arrested on suspicion of arson."], ["Nadia Vorst was later charged with fraud."]
    )
    # what someone is not charged with
    assert not _found(["Nadia Vorst was not charged with arson."], ["Nadia Vorst was charged with fraud."])
