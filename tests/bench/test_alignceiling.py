"""The evidence-ceiling diagnosis (bench.alignceiling) on small cases worked out by hand."""

from __future__ import annotations

import numpy as np

from bench.alignceiling import auc, best_threshold_f1, ceiling, fit_logistic
from bench.aligndiag import Case
from reader.align.features import PairTable


def test_auc_ranks_and_ties():
    assert auc(np.array([3.0, 4.0]), np.array([1.0, 2.0])) == 1.0
    assert auc(np.array([1.0, 2.0]), np.array([3.0, 4.0])) == 0.0
    assert auc(np.array([1.0]), np.array([1.0])) == 0.5  # a tie counts half
    assert auc(np.array([2.0, 0.0]), np.array([1.0])) == 0.5


def test_best_threshold_counts_gold_that_never_became_candidates():
    values = np.array([0.9, 0.8, 0.7, 0.1])
    y = np.array([True, False, True, False])
    # four gold pairs in all, two of them candidates: at 0.7, P 2/3 and R 2/4
    f1, p, r = best_threshold_f1(values, y, gold=4)
    assert (round(p, 3), r) == (0.667, 0.5)
    assert abs(f1 - 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)) < 1e-9


def test_logistic_fit_points_the_right_way():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 2))
    y = (x[:, 0] - 0.5 * x[:, 1] > 0).astype(float)
    w = fit_logistic(x, y)
    assert w[0] > 0 > w[1]


def _case(name: str, scores: dict[tuple[int, int], float]) -> Case:
    """Two outlets of two sentences each; the key pairs 0-2 and 1-3."""
    pairs = sorted(scores)
    arr = np.asarray
    s = arr([scores[p] for p in pairs], dtype=np.float32)
    mutual = arr([p in {(0, 2), (1, 3)} for p in pairs], dtype=bool)
    table = PairTable(arr([p[0] for p in pairs], np.int32), arr([p[1] for p in pairs], np.int32), s, s, s, s, mutual)
    return Case(name, ("a", "b", "c", "d"), (0, 0, 1, 1), table, (frozenset({0, 2}), frozenset({1, 3})), True)


def test_ceiling_on_a_clean_story_reaches_one_everywhere():
    good = {(0, 2): 0.9, (1, 3): 0.8, (0, 3): 0.1, (1, 2): 0.05}
    lines = ceiling([_case("one", good), _case("two", good)], 0.5)
    assert lines[0].startswith("2 stories, 4 gold pairs, 4 of them candidates")
    assert "grouping  (strictness 0.5) F1 1.000" in lines[1]
    assert any("threshold (best on score)     F1 1.000" in line for line in lines)
    assert any(line.startswith("  AUC score  1.000") for line in lines)


def test_ceiling_shows_a_grouping_below_what_its_scores_allow():
    # the gold pair 1-3 scores under the link threshold: the grouping misses it, a lower threshold would not
    weak = {(0, 2): 0.9, (1, 3): 0.15, (0, 3): 0.1, (1, 2): 0.05}
    lines = ceiling([_case("one", weak)], 0.5)
    assert "grouping  (strictness 0.5) F1 0.667" in lines[1]
    assert any("threshold (best on score)     F1 1.000" in line for line in lines)
