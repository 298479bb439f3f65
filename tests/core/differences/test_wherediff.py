"""Where one thing was found or left, told two ways, on invented stories (a missing hiker, a stolen boat)."""

from __future__ import annotations

from fakes import article as _article

from reader.differences.mentions import index_sentences
from reader.differences.wherediff import place_findings
from reader.model import Group


def _found(a: list[str], b: list[str]):
    arts = [_article("a1", "Valley Post", a), _article("a2", "Ridge Radio", b)]
    groups = [Group(f"g{i}", (s.id,), 0.9) for i, s in enumerate((s for x in arts for s in x.sentences), start=1)]
    return place_findings(arts, groups, index_sentences(arts))


def test_one_thing_left_in_two_places_is_worth_a_look() -> None:
    (d,) = _found(
        ["Police said the suspect admitted hiding the stolen rifle in the shed behind the farmhouse."],
        ["The suspect told detectives he had hidden the stolen rifle in a nearby barn, the sheriff said."],
    )
    assert d.kind == "claim" and d.detail == "place" and d.confidence < 0.6
    assert "“the shed”" in d.summary and "“a nearby barn”" in d.summary and "rifle" in d.summary
    assert [v.text for v in d.values] == ["the shed", "a nearby barn"]


def test_places_that_are_not_a_conflict() -> None:
    # two things, or the same place named in both, or a part and a time rather than a place: nothing
    assert not _found(
        ["Rescuers found the hiker in a ravine on Sunday."], ["Rescuers found the dog in a creek on Sunday."]
    )
    assert not _found(
        ["Rescuers found the hiker in a ravine near the creek."], ["Rescuers found the hiker in the creek bed."]
    )
    assert not _found(
        ["Rescuers found the hiker at the end of a ravine."], ["Rescuers found the hiker in the morning."]
    )
