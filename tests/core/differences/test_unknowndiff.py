"""What one outlet says is not known and another states, on invented events (a warehouse fire, a ferry crash)."""

from __future__ import annotations

from fakes import article as _article

from reader.differences.mentions import index_sentences
from reader.differences.unknowndiff import unknown_findings
from reader.model import Group


def _found(a: list[str], b: list[str]):
    arts = [_article("a1", "Delta Courier", a), _article("a2", "Harbour FM", b)]
    groups = [Group(f"g{i}", (s.id,), 0.9) for i, s in enumerate((s for x in arts for s in x.sentences), start=1)]
    return unknown_findings(arts, groups, index_sentences(arts))


def test_a_cause_left_open_and_stated_is_worth_a_look() -> None:
    (d,) = _found(
        [
            "Fire crews fought the warehouse blaze for six hours.",
            "The cause of the warehouse fire is under investigation.",
        ],
        ["Investigators said the warehouse fire was caused by a faulty heater in the loading bay."],
    )
    assert d.kind == "claim" and d.detail == "not known" and d.confidence < 0.6
    assert d.values[0].text == "cause of the warehouse fire is under investigation"
    assert d.values[1].text.startswith("caused by a faulty heater")
    (d,) = _found(  # the wire's own phrase for it
        ["It was not immediately clear what caused the warehouse fire."],
        ["The warehouse fire was blamed on a faulty heater."],
    )
    assert d.values[0].text == "was not immediately clear what caused the warehouse fire"


def test_who_someone_is_or_how_they_are_related() -> None:
    (d,) = _found(
        ["The ferry's captain has not been identified."],
        ["The coast guard identified the ferry's captain as Lena Voss, 52."],
    )
    assert "who it is" in d.summary and "Lena Voss" in d.values[1].text
    (d,) = _found(
        ["The relationship of the man who died to the ferry's owner was unclear."],
        ["The brother of the ferry's owner was killed in the crash."],
    )
    assert "related" in d.summary and d.values[1].text == "brother of the ferry"


def test_look_alikes_are_not_flagged() -> None:
    # the open outlet gives the answer itself, later in its story
    assert not _found(
        ["The cause of the warehouse fire was unclear at first.", "Later the warehouse fire was blamed on a heater."],
        ["The warehouse fire was caused by a faulty heater."],
    )
    # another event's cause: nothing named in common
    assert not _found(
        ["It is not known what caused the ferry crash."], ["The warehouse fire was caused by a faulty heater."]
    )
    # "how many" asks for a count, not a cause
    assert not _found(
        ["It is unclear how many people were in the warehouse when the fire started."],
        ["The warehouse fire was caused by a faulty heater."],
    )
    # a family word in a sentence about nobody hurt says nothing about the victim
    assert not _found(
        ["The relationship of the man who died to the ferry's owner was unclear."],
        ["The ferry's owner and his brother run the harbour cafe."],
    )
