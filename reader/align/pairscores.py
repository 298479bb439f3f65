"""Pair scores as the grouping asks for them (``reader.align.linking``): one pair's score, and which
rows score a bar or more with a row, so a group's majority is counted by set intersections."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reader.align.features import PairTable


class Scores:
    """Symmetric lookup of pair scores; pairs that were never candidates score 0. ``near(x, bar)`` is the
    set of rows scoring ``bar`` or more with x, so majorities are counted by set intersections (in C)
    rather than one lookup per pair: two groups of a hundred sentences are 10,000 pairs."""

    def __init__(self, table: PairTable, floor: float) -> None:
        keep = table.score >= floor
        # one int per pair, not a tuple: ``get`` runs hundreds of thousands of times on large stories
        self._n = n = int(max(table.i.max(initial=-1), table.j.max(initial=-1))) + 1
        self._i, self._j = table.i[keep], table.j[keep]
        self._s = table.score[keep].astype(np.float64)  # compared as Python floats are, in float64
        keys = self._i.astype(np.int64) * n + self._j
        self._d: dict[int, float] = dict(zip(keys.tolist(), self._s.tolist(), strict=True))
        self._lists: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        self._near: dict[tuple[float, int], set[int]] = {}

    def get(self, a: int, b: int) -> float:
        return self._d.get(a * self._n + b if a < b else b * self._n + a, 0.0)

    def near(self, x: int, bar: float) -> set[int]:
        found = self._near.get((bar, x))
        if found is None:
            lists = self._lists.get(bar)
            if lists is None:  # every row's neighbours at this bar, as one sorted array (numpy, once)
                ok = self._s >= bar
                ends = np.concatenate([self._i[ok], self._j[ok]]).astype(np.int64)
                others = np.concatenate([self._j[ok], self._i[ok]])
                order = np.argsort(ends, kind="stable")
                start = np.concatenate([[0], np.cumsum(np.bincount(ends, minlength=self._n))])
                lists = self._lists[bar] = (start, others[order])
            start, nbrs = lists
            # a set only for rows that are asked about: most never are
            found = self._near[bar, x] = set(nbrs[start[x] : start[x + 1]].tolist()) if x < self._n else set()
        return found


def matches_most(scores: Scores, x: int, members: Sequence[int], bar: float) -> bool:
    """More than half of ``members`` score ``bar`` or more with x (``bar`` at least the lookup's floor)."""
    if not members:
        return False
    near = scores.near(x, bar)
    good = sum(1 for m in members if m in near)
    return 2 * good > len(members)


def mean_score(scores: Scores, x: int, members: Sequence[int]) -> float:
    return sum(scores.get(x, m) for m in members) / len(members)
