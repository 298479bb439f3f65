"""How far the alignment evidence itself can go: is it the grouping or the scores that miss gold pairs?

    .venv/bin/python -m bench.aligndiag --real --ceiling     real-news tuning half (never the held-out half)
    .venv/bin/python -m bench.aligndiag --ceiling            invented stories and demo

Pairwise F1 against the keys' gold pairs (all of them: pairs that never became candidates count as
misses), for:

- ``grouping``: the aligner's groups at the strictness given (what ``bench.realeval`` scores, here on
  body rows only);
- ``threshold``: every candidate pair whose score reaches one threshold, the best threshold chosen
  after the fact, so an upper bound for any grouping that reads the same score pair by pair;
- ``refit``: the same, on a logistic model of the table's signals (cos, lex, ctx, score, mutual) fitted
  on every other story and scored on this one (leave one story out), so an estimate of what reweighting
  the evidence could give on a story it was not fitted on.

Per signal, the AUC says how well it ranks gold pairs above the other candidates. An incomplete key
counts only pairs of sentences it names, as ``bench.realkey`` does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bench.aligndiag import Case, gold_pairs, table_art
from reader.align.linking import cluster

SIGNALS = ("cos", "lex", "ctx", "score")


def _labels(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate pair: gold or not, and whether the key can judge it (complete, or names both)."""
    gold = gold_pairs(case)
    named = set().union(*case.facts) if case.facts else set()
    t = case.table
    pairs = list(zip(t.i.tolist(), t.j.tolist(), strict=True))
    y = np.asarray([p in gold for p in pairs], dtype=bool)
    judged = np.asarray([case.complete or (a in named and b in named) for a, b in pairs], dtype=bool)
    return y, judged


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a gold pair outranks another (ties count half): Mann-Whitney U over both sizes."""
    if not len(pos) or not len(neg):
        return float("nan")
    both = np.concatenate([pos, neg])
    order = both.argsort(kind="stable")
    ranks = np.empty(len(both))
    ranks[order] = np.arange(1, len(both) + 1)
    for v in np.unique(both):  # ties share their mean rank
        at = both == v
        ranks[at] = ranks[at].mean()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def best_threshold_f1(values: np.ndarray, y: np.ndarray, gold: int) -> tuple[float, float, float]:
    """(F1, precision, recall) of the best single threshold on ``values`` over judged candidates."""
    order = np.argsort(-values, kind="stable")
    tp = np.cumsum(y[order])
    predicted = np.arange(1, len(order) + 1)
    precision, recall = tp / predicted, tp / max(1, gold)
    f1 = np.where(tp > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    if not len(f1):
        return 0.0, 0.0, 0.0
    k = int(np.argmax(f1))
    return float(f1[k]), float(precision[k]), float(recall[k])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 25) -> np.ndarray:
    """Weights (last one the intercept) of a logistic model by Newton's method, features standardised
    by the caller; a small ridge keeps a separable sample finite."""
    a = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(a.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(a @ w)))
        grad = a.T @ (p - y) + l2 * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + l2 * np.eye(a.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


def _features(case: Case) -> np.ndarray:
    t = case.table
    return np.stack([t.cos, t.lex, t.ctx, t.score, t.mutual.astype(np.float32)], axis=1).astype(np.float64)


def ceiling(cases: Sequence[Case], strictness: float) -> list[str]:
    data = []
    for case in cases:
        y, judged = _labels(case)
        data.append((_features(case)[judged], y[judged], len(gold_pairs(case)), case))
    gold = sum(g for _, _, g, _ in data)
    found = predicted = right = 0
    for _, _, _, case in data:
        art = case.article_of
        together: set[tuple[int, int]] = set()
        for g in cluster(case.table, table_art(case), strictness):
            rows = sorted(g)
            together |= {(a, b) for n, a in enumerate(rows) for b in rows[n + 1 :] if art[a] != art[b]}
        named = set().union(*case.facts) if case.facts else set()
        counted = together if case.complete else {p for p in together if p[0] in named and p[1] in named}
        truth = gold_pairs(case)
        found, predicted, right = found + len(truth & together), predicted + len(counted), right + len(counted & truth)
    p, r = right / max(1, predicted), found / max(1, gold)
    lines = [f"{len(cases)} stories, {gold} gold pairs, {sum(int(y.sum()) for _, y, _, _ in data)} of them candidates"]
    lines.append(f"  grouping  (strictness {strictness}) F1 {2 * p * r / max(1e-12, p + r):.3f}  P {p:.2f}  R {r:.2f}")
    x = np.vstack([d[0] for d in data]) if data else np.zeros((0, 5))
    y = np.concatenate([d[1] for d in data]) if data else np.zeros(0, bool)
    for k, name in enumerate(SIGNALS):
        lines.append(f"  AUC {name:6s} {auc(x[y, k], x[~y, k]):.3f}")
    f, p, r = best_threshold_f1(x[:, 3], y, gold)
    lines.append(f"  threshold (best on score)     F1 {f:.3f}  P {p:.2f}  R {r:.2f}")
    refit = np.zeros(len(y))
    at = np.cumsum([0] + [len(d[1]) for d in data])
    for k in range(len(data)):
        train = np.ones(len(y), dtype=bool)
        train[at[k] : at[k + 1]] = False
        if len(data) < 2 or not y[train].any():
            continue
        mu, sd = x[train].mean(axis=0), x[train].std(axis=0) + 1e-9
        w = fit_logistic((x[train] - mu) / sd, y[train].astype(np.float64))
        refit[at[k] : at[k + 1]] = ((x[at[k] : at[k + 1]] - mu) / sd) @ w[:-1] + w[-1]
    f, p, r = best_threshold_f1(refit, y, gold)
    lines.append(f"  refit (leave one story out)   F1 {f:.3f}  P {p:.2f}  R {r:.2f}")
    return lines
