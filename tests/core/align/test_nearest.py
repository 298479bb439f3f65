"""A fact one outlet reports alone names the other outlet's sentence that came closest (Group.nearest)."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import article

from reader.align.features import PairTable, relative_positions
from reader.align.grouping import AlignmentBasis, group, nearest_rows
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
def test_nearest_rows_match_the_obvious_loop(seed):
    rng = np.random.default_rng(seed)
    n = 12
    art = rng.integers(0, 3, n)
    pairs = {(a, b): float(rng.choice([0.1, 0.3, 0.3, 0.5, 0.7])) for a in range(n) for b in range(a + 1, n)
             if art[a] != art[b] and rng.random() < 0.5}
    floor = 0.3
    got = nearest_rows(_table(pairs), n, floor)
    for r in range(n):
        mine = [(s, k) for k, ((a, b), s) in enumerate(sorted(pairs.items())) if r in (a, b) and s >= floor]
        if not mine:
            assert got[r] == -1
            continue
        best = max(s for s, _ in mine)
        # ties: the pair listed first (as the row's i side, then as its j side)
        sides = [(b if a == r else a, a == r, k) for k, ((a, b), s) in enumerate(sorted(pairs.items()))
                 if r in (a, b) and s == best]
        first = sorted(sides, key=lambda x: (not x[1], x[2]))[0][0]
        assert got[r] == first


STORY = (
    ("Dam Daily", ["The dam at Orlen burst on Tuesday night.", "Farmers lost their spring crop."]),
    ("River Post", ["Orlen's dam gave way late on Tuesday.", "The harvest is gone, growers say."]),
    ("Valley Wire", ["Rain is forecast for the weekend."]),
)


def test_group_points_a_lone_fact_to_the_outlet_that_came_near():
    arts = [article(f"a{k}", outlet, sentences) for k, (outlet, sentences) in enumerate(STORY, 1)]
    ids = tuple(s.id for a in arts for s in a.sentences)
    art = np.asarray([0, 0, 1, 1, 2])
    t = threshold(0.5)
    table = _table({(0, 2): 0.9, (1, 3): t - LINK_SLACK / 2, (1, 4): t - 2 * LINK_SLACK, (3, 4): 0.05})
    basis = AlignmentBasis("fake", ids, art, relative_positions(art), table)
    groups = group(basis, 0.5)
    by_first = {g.sentences[0]: g for g in groups}
    assert by_first[ids[0]].sentences == (ids[0], ids[2]) and by_first[ids[0]].nearest is None  # shared fact
    assert by_first[ids[1]].nearest == ids[3] and by_first[ids[3]].nearest == ids[1]  # near, not matched
    assert by_first[ids[4]].nearest is None  # nothing came within t - slack
    table_ = build_fact_table(Comparison(tuple(arts), groups, (), (), "fake", 0.5))
    lone = table_.facts[table_.index_of_sentence(ids[1])]
    assert lone.nearest is not None and lone.nearest.article == "a2"
    assert lone.nearest.fact == table_.index_of_sentence(ids[3]) + 1
    # a stricter slider moves t up past the near pair's score: no pointer below t - slack
    assert all(g.nearest is None for g in group(basis, 1.0))
