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


def test_one_thing_told_with_other_nouns_but_the_same_description() -> None:
    # "shirts with paint on them" and "clothes smeared with paint" are the paint-stained clothing either way
    (d,) = _found(
        ["Investigators said they found two shirts with green paint in his shed, the report said."],
        ["Officers also found clothes in his locker smeared with green paint."],
    )
    assert d.kind == "claim" and d.detail == "place" and d.confidence < 0.6
    assert [v.text for v in d.values] == ["his shed", "his locker"]
    assert "shirts / clothes" in d.summary and "paint" in d.why


def test_things_with_nothing_in_common_or_told_by_a_clause_of_their_own_are_two_things() -> None:
    # a knife and gloves share nothing; "when the storm hit" is another event, not what the thing was like
    assert not _found(
        ["Officers found a knife with a black handle in his garage."],
        ["Officers found gloves in his truck."],
    )
    # a phrase before the verb sets the scene; an "of" says which thing it is, not where it was
    assert not _found(
        ["Rebels took control in the old quarter, residents said."],
        ["Rebels also took control of the market area in Halvik province, officers said."],
    )
    assert not _found(
        ["In the latest raid, police found the stolen van."], ["Police found the stolen van in a quarry."]
    )
    # a state, not a place: "found in contempt" / "in violation of the order"
    assert not _found(
        ["The judge found the ferry company in contempt."],
        ["The judge found the ferry company in violation of the order."],
    )
    assert not _found(
        ["Hunters found a dog in a ravine during the morning search."],
        ["Hunters found a calf in a creek during the morning search."],
    )
    assert not _found(
        ["Neighbours found a dog in the cellar when the storm hit."],
        ["Neighbours found a cat in the attic when the storm hit."],
    )
