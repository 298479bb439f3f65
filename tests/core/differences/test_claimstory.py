"""Claims across the whole story on invented events (a bus crash, a ferry fire): how badly people were hurt."""

from __future__ import annotations

from fakes import article as _article

from reader.differences.claimstory import severity_findings, story_claim_findings
from reader.differences.mentions import index_sentences
from reader.model import Group


def _run(finder, *texts: list[str]):
    arts = [
        _article(f"a{i}", name, t)
        for i, (name, t) in enumerate(zip(("Bay Post", "Coast Radio", "Isle Wire"), texts, strict=False), start=1)
    ]
    groups = [Group(f"g{i}", (s.id,), 0.9) for i, s in enumerate((s for a in arts for s in a.sentences), start=1)]
    return finder(arts, groups, index_sentences(arts))


def test_minor_injuries_only_against_someone_in_critical_condition() -> None:
    (d,) = _run(
        severity_findings,
        ["A bus left the road near Tarn on Sunday.", "The six passengers who were hurt suffered minor injuries."],
        ["Six people were hurt, including a driver who was in critical condition on Monday."],
    )
    assert d.kind == "claim" and d.detail == "severity" and d.confidence < 0.6
    assert "minor injuries" in d.summary and "critical condition" in d.summary
    assert [v.text for v in d.values] == ["minor injuries", "in critical condition"]


def test_an_outlet_that_tells_the_range_is_no_conflict() -> None:
    both = ["Two passengers were critically injured and four had minor injuries."]
    assert not _run(severity_findings, both, ["Six people were hurt, two of them in serious condition."])
    assert not _run(severity_findings, ["Four had minor injuries."], ["Six people were hurt in the crash."])
    # the story-wide entry runs this finder too
    assert _run(story_claim_findings, ["Four had minor injuries."], ["One man was seriously injured."])


def test_the_comparison_runs_the_story_wide_claims() -> None:
    from reader.differences.discrepancies import find_discrepancies

    arts = [
        _article("a1", "Bay Post", ["A bus left the road near Tarn on Sunday.", "Four passengers had minor injuries."]),
        _article("a2", "Coast Radio", ["The bus crashed near Tarn.", "One man was seriously injured, police said."]),
    ]
    groups = [Group(f"g{i}", (s.id,), 0.9) for i, s in enumerate((s for a in arts for s in a.sentences), start=1)]
    assert any(d.kind == "claim" and d.detail == "severity" for d in find_discrepancies(arts, groups))
