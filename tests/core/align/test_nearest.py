"""A fact one outlet reports alone names the other outlet's sentence that came closest (Group.nearest)."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import article

from reader.align.features import PairTable, relative_positions
from reader.align.grouping import AlignmentBasis, group, nearest_by_outlet
from reader.align.linking import LINK_SLACK, threshold
from reader.facts import build_fact_table
from reader.model import Comparison


def _table(pairs: dict[tuple[int, int], float]) -> PairTable:
    keys = sorted(pairs)
    s = np.asarray([pairs[k] for k in keys], dtype=np.float32)
    arr = np.asarray
    mutual = np.ones(len(keys), dtype=bool)
    return PairTable(arr([k[0] for k in keys], np.int32), arr([k[1] for k in keys], np.int32), s, s, s, s, mutual)


@pytest.mark.parametrize("seed", range(20))
def test_nearest_by_outlet_matches_the_obvious_loop(seed):
    rng = np.random.default_rng(seed)
    n = 12
    art = rng.integers(0, 3, n)
    pairs = {
        (a, b): float(rng.choice([0.1, 0.3, 0.3, 0.5, 0.7]))
        for a in range(n)
        for b in range(a + 1, n)
        if art[a] != art[b] and rng.random() < 0.5
    }
    floor = 0.3
    got = nearest_by_outlet(_table(pairs), art, floor)
    listed = sorted(pairs.items())
    for r in range(n):
        want = []
        for outlet in sorted(set(art.tolist()) - {int(art[r])}):
            # (score, listed as the row's i side first, place in the list) of its pairs into that outlet
            mine = [
                (s, a != r, k, b if a == r else a)
                for k, ((a, b), s) in enumerate(listed)
                if r in (a, b) and art[b if a == r else a] == outlet and s >= floor
            ]
            if mine:
                s, _, _, other = sorted(mine, key=lambda x: (-x[0], x[1], x[2]))[0]
                want.append((outlet, other, s))
        assert [(o, x, round(s, 6)) for o, x, s in got.get(r, [])] == [(o, x, round(s, 6)) for o, x, s in want]


STORY = (
    ("Dam Daily", ["The dam at Orlen burst on Tuesday night.", "Farmers lost their spring crop."]),
    ("River Post", ["Orlen's dam gave way late on Tuesday.", "The harvest is gone, growers say."]),
    ("Valley Wire", ["Rain is forecast for the weekend."]),
)


def test_group_points_an_absent_outlet_to_where_it_came_near():
    arts = [article(f"a{k}", outlet, sentences) for k, (outlet, sentences) in enumerate(STORY, 1)]
    ids = tuple(s.id for a in arts for s in a.sentences)
    art = np.asarray([0, 0, 1, 1, 2])
    t = threshold(0.5)
    near, far = t - LINK_SLACK / 2, t - 2 * LINK_SLACK
    # the burst dam is shared by two outlets; the wire's weekend rain came near it, far from the rest
    table = _table({(0, 2): 0.9, (1, 3): near, (1, 4): far, (3, 4): 0.05, (2, 4): near, (0, 4): near - 0.01})
    basis = AlignmentBasis("fake", ids, art, relative_positions(art), table)
    groups = group(basis, 0.5)
    by_first = {g.sentences[0]: g for g in groups}
    dam = by_first[ids[0]]
    assert dam.sentences == (ids[0], ids[2]) and dam.nearest == (ids[4],)  # the wire, absent, came near
    assert by_first[ids[1]].nearest == (ids[3],) and by_first[ids[3]].nearest == (ids[1],)  # near, not matched
    # the wire's lone sentence: each absent outlet's closest sentence within reach, in article order (the
    # gazette's crop sentence is farther than its dam sentence, and under the bar anyway)
    assert by_first[ids[4]].nearest == (ids[0], ids[2])
    facts = build_fact_table(Comparison(tuple(arts), groups, (), (), "fake", 0.5))
    lone = facts.facts[facts.index_of_sentence(ids[1])]
    assert [(n.article, n.fact) for n in lone.nearest] == [("a2", facts.index_of_sentence(ids[3]) + 1)]
    assert lone.nearest_in("a2") is not None and lone.nearest_in("a3") is None
    # a stricter slider moves t up past those scores: no pointer below t - slack
    assert all(g.nearest == () for g in group(basis, 1.0))
