"""How far a measure goes, told two ways, on an invented story (a town budget that trims or ends bus passes)."""

from __future__ import annotations

from fakes import article as _article

from reader.differences.degreediff import degree_findings
from reader.differences.mentions import by_outlet, index_sentences
from reader.model import Group


def _found(a: str, b: str):
    arts = [_article("a1", "Town Crier", [a]), _article("a2", "Valley FM", [b])]
    group = Group("g1", ("a1.s1", "a2.s1"), 0.9)
    return degree_findings(group, by_outlet(group, index_sentences(arts)))


def test_a_cut_told_as_an_end_is_worth_a_look() -> None:
    (d,) = _found(
        "The budget was expected to reduce student bus passes by about $15 a term for most families.",
        "The council's budget trimmed $2 million from transport, eliminating bus passes for about 4,000 pupils.",
    )
    assert d.kind == "claim" and d.detail == "degree" and d.confidence < 0.6
    assert [v.text for v in d.values] == ["reduce student bus passes", "eliminating bus passes"]
    assert "reduced" in d.why and "ended" in d.why
    (d,) = _found("Bus passes were cut in the budget.", "The budget eliminates bus passes for pupils.")  # a passive
    assert [v.text for v in d.values] == ["Bus passes were cut", "eliminates bus passes"]


def test_one_degree_in_other_words_or_a_passive_is_no_difference() -> None:
    assert not _found("The budget cuts bus passes for pupils.", "The budget trims bus passes for pupils.")
    assert not _found("Bus passes were scrapped in the budget.", "The budget abolishes bus passes.")


def test_look_alikes_are_not_flagged() -> None:
    # cutting ties ends them
    assert not _found("The council cut ties with the bus company.", "The council ended its ties with the bus company.")
    # a counted object is gone either way
    assert not _found("The depot will cut 40 jobs next year.", "The depot will eliminate 40 jobs next year.")
    # two kinds of one thing, or one thing for two purposes
    assert not _found("The budget cuts housing benefits.", "The budget eliminates fuel benefits.")
    assert not _found("The budget cuts the grant for libraries.", "The budget scraps the grant for museums.")
    # a sentence that tells both tells the range
    assert not _found(
        "The budget reduces bus passes for most pupils and ends bus passes for older ones.",
        "The budget eliminates bus passes.",
    )
    # what the budget does not do is no degree
    assert not _found("The budget does not eliminate bus passes.", "The budget cuts bus passes.")
