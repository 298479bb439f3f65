"""Products of the shared-word vectors (``features.LexicalVectors``) with numpy alone, on a story's size.

scipy.sparse computes these products in C, but importing it costs 0.12-0.19 s on a 2-core machine
(its array-API layer clones numpy's namespace, which imports numpy.f2py, numpy.ma and numpy.testing),
paid by every command-line run and every app start that compares. Up to ``WORK_LIMIT`` word
products, numpy gives the same numbers bit for bit and in the same order as scipy:

- a product of two rows is a float32 sum over their shared words, in ascending word order, each term
  rounded to float32 first (scipy's ``csr_matmat`` loop), started from 0;
- a row of a block's product lists its columns in the order scipy's kernel emits them (the reverse
  of the order they were first reached): order matters, since ``candidates.top_k_of_each`` keeps the
  earlier of tied values;
- the per-pair sums of ``pair_lexical`` are scipy's ``multiply(...).sum(axis=1)``: the products in
  word order, added by ``np.add.reduceat`` as scipy itself does.

Above the limit (thousands of sentences) scipy runs: the numpy way holds every word product of a
block at once. ``tests/core/align/test_wordproducts.py`` holds the two ways equal, bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Word products (per word, the number of sentences holding it, squared, summed) up to which numpy runs.
# numpy takes about 150 ns a product here against scipy's 15 ns plus its 0.12-0.19 s import: 500,000
# (~70 ms, ~600 news sentences) stays under the import; the demo needs ~100,000 (10 ms).
WORK_LIMIT = 500_000


def work(indices: np.ndarray) -> int:
    """How many word products a full product of the matrix against itself makes."""
    df = np.bincount(np.asarray(indices, dtype=np.int64))
    return int(np.dot(df, df))


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of equal neighbours in ``keys``."""
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else np.zeros(0, np.int64)
    return starts, np.diff(np.concatenate([starts, [len(keys)]]))


def _sequential_sums(starts: np.ndarray, lengths: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """Per run, ``((0 + t0) + t1) + ...`` in float32, left to right, as a C loop adds them."""
    out = np.zeros(len(starts), dtype=np.float32)
    if not len(starts):
        return out
    position = np.arange(len(terms)) - np.repeat(starts, lengths)
    run = np.repeat(np.arange(len(starts)), lengths)
    order = np.argsort(position, kind="stable")  # all first terms, then all second terms, ...
    edges = np.concatenate([[0], np.cumsum(np.bincount(position))])
    for t in range(len(edges) - 1):
        at = order[edges[t] : edges[t + 1]]
        out[run[at]] += terms[at]  # runs are distinct within one position: a plain fancy add
    return out


def _expand(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entry positions of ``rows`` (each row's entries in order) and which of ``rows`` each is from."""
    counts = indptr[rows + 1] - indptr[rows]
    owner = np.repeat(np.arange(len(rows)), counts)
    offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return indptr[rows][owner] + offset, owner


def transpose(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, columns: int):
    """The CSR arrays of the transpose (each word's sentences in ascending order), as scipy's ``.T.tocsr()``."""
    order = np.argsort(indices, kind="stable")  # entries are by row already: stable keeps rows ascending
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    t_indptr = np.concatenate([[0], np.cumsum(np.bincount(indices, minlength=columns))]).astype(np.int64)
    return t_indptr, rows[order].astype(np.int64), data[order]


def block_products(indptr, indices, data, transposed, r0: int, r1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns and values of ``lex[r0:r1] @ lex.T`` (zeros left out), in scipy's order."""
    indptr = np.asarray(indptr, dtype=np.int64)
    t_indptr, t_rows, t_data = transposed
    rows = np.arange(r0, r1, dtype=np.int64)
    at, owner = _expand(indptr, rows)  # the block's entries: row ascending, word ascending
    words = np.asarray(indices, dtype=np.int64)[at]
    where, entry = _expand(t_indptr, words)  # every sentence holding each word, ascending
    i = rows[owner][entry]
    j = t_rows[where]
    terms = data[at][entry] * t_data[where]  # float32 * float32, as scipy's v * Bx[kk]
    # group by (i, j), keeping the loop's order inside a group (words ascending)
    n = int(t_rows.max()) + 1 if len(t_rows) else 1
    order = np.argsort(i * n + j, kind="stable")
    starts, lengths = _runs((i * n + j)[order])
    sums = _sequential_sums(starts, lengths, terms[order])
    first = order[starts]  # where the loop first reached each (i, j)
    gi, gj = i[first], j[first]
    # scipy emits a row's columns latest-reached first
    emit = np.lexsort((-first, gi))
    keep = sums[emit] != 0
    return gi[emit][keep], gj[emit][keep], sums[emit][keep]


def pair_products(indptr, indices, data, columns: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Per pair, the dot product of rows ``i`` and ``j``: scipy's ``lex[i].multiply(lex[j]).sum(axis=1)``."""
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    out = np.zeros(len(i), dtype=np.float32)
    if not len(i):
        return out
    at, pair = _expand(indptr, i)  # row i's words of every pair, ascending
    row_of = np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))
    keys = row_of * columns + indices  # ascending: rows in order, words ascending within a row
    wanted = j[pair] * columns + indices[at]
    hit = np.minimum(np.searchsorted(keys, wanted), max(0, len(keys) - 1))
    shared = (keys[hit] == wanted) if len(keys) else np.zeros(len(wanted), dtype=bool)
    terms = data[at[shared]] * data[hit[shared]]
    pair = pair[shared]
    nonzero = terms != 0  # scipy's elementwise product keeps no zeros
    terms, pair = terms[nonzero], pair[nonzero]
    if len(terms):
        starts, _ = _runs(pair)
        out[pair[starts]] = np.add.reduceat(terms, starts)
    return out


class Products:
    """A story's shared-word products: blocks of ``lex @ lex.T`` and per-pair dot products, by numpy
    when the story is small enough (no scipy import) and by scipy.sparse otherwise; the same numbers."""

    def __init__(self, indptr, indices, data, columns: int, *, use_numpy: bool | None = None) -> None:
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices)
        self.data = np.asarray(data, dtype=np.float32)
        self.columns = int(columns)
        self.rows = len(self.indptr) - 1
        self.numpy = work(self.indices) <= WORK_LIMIT if use_numpy is None else use_numpy
        self._transposed: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._scipy: tuple[Any, Any] | None = None  # the matrix and its transpose, made once

    @classmethod
    def from_scipy(cls, lex, *, use_numpy: bool | None = None) -> Products:
        """From a scipy CSR matrix with sorted indices (rows L2-normalised)."""
        return cls(lex.indptr, lex.indices, lex.data, lex.shape[1], use_numpy=use_numpy)

    def _sp(self):
        if self._scipy is None:
            from scipy.sparse import csr_matrix

            lex = csr_matrix((self.data, self.indices, self.indptr), shape=(self.rows, self.columns))
            self._scipy = (lex, lex.T.tocsr())
        return self._scipy

    def block(self, r0: int, r1: int, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows (int64), columns (int64) and float32 values at or above ``floor`` of rows ``r0:r1`` of
        ``lex @ lex.T``, in scipy's order (a row's columns as its sparse product emits them)."""
        if self.numpy:
            if self._transposed is None:
                self._transposed = transpose(self.indptr, self.indices, self.data, self.columns)
            i, j, v = block_products(self.indptr, self.indices, self.data, self._transposed, r0, r1)
            at = np.flatnonzero(v >= floor)
            return i[at], j[at], v[at]
        lex, lex_t = self._sp()
        prod = lex[r0:r1] @ lex_t
        # the floor first, on the product's own arrays: rows and columns are then made for the few
        # survivors only, not for every shared word of every pair (most of the time on large stories)
        at = np.flatnonzero(prod.data >= floor)
        i = np.searchsorted(prod.indptr, at, side="right").astype(np.int64) - 1 + r0
        return i, prod.indices[at].astype(np.int64), prod.data[at].astype(np.float32)

    def pairs(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Per pair, the float32 dot product of rows ``i`` and ``j``."""
        out = np.empty(len(i), dtype=np.float32)
        step = 65536
        for s in range(0, len(i), step):
            a, b = i[s : s + step], j[s : s + step]
            if self.numpy:
                out[s : s + step] = pair_products(self.indptr, self.indices, self.data, self.columns, a, b)
            else:
                lex = self._sp()[0]
                out[s : s + step] = np.asarray(lex[a].multiply(lex[b]).sum(axis=1)).ravel()
        return out
