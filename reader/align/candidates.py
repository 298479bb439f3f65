"""Sparse candidate pairs for alignment: each sentence's closest sentences in other articles.

A pair is a candidate when it is among either sentence's ``k`` best by (topic-relative) cosine,
or by shared rare words, and reaches ``floor`` on that signal. Nothing here builds an all-pairs
matrix: cosines are computed in float32 blocks of the upper triangle only (the matrix is
symmetric, so half the products are never made), values under ``floor`` are dropped as soon as a
block is made, and a row's best are picked by sorting the few survivors rather than partitioning
whole rows (numpy's ``argpartition`` over 20,000 columns was most of the time at 20,000 sentences).
The cosines found on the way are returned with the pairs, so the evidence never gathers the
vectors of half a million pairs again.
"""

from __future__ import annotations

import numpy as np

from reader.align.wordproducts import Products
from reader.progress import NEVER, CancelToken, Progress, ProgressCallback, no_progress

BLOCK = 1024  # rows and columns of one float32 product block: 4 MB, and a cancel check at most this apart


BINS = 64  # value bins per row in ``top_k_of_each``'s first pass


def top_k_of_each(ends: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Mask of the entries among the ``k`` largest values of their ``ends`` row (ties: the earlier entry).

    Sorting every entry was most of the candidate search's time at 20,000 sentences (millions of
    survivors, each row keeping 48). So values are first cut into ``BINS`` equal bins and counted per
    row (one ``bincount``): the bins above the one holding a row's k-th value are kept whole, the ones
    below dropped, and only the entries of that one bin are sorted to pick the rest."""
    m = len(ends)
    if m == 0:
        return np.zeros(0, dtype=bool)
    ends = np.asarray(ends, dtype=np.int64)
    values = np.asarray(values, dtype=np.float32)
    lo, hi = float(values.min()), float(values.max())
    if hi <= lo:
        return _top_k_sorted(ends, values, np.full(int(ends.max()) + 1, k, dtype=np.int64))
    # equal values fall in one bin, and a higher bin holds only strictly larger values
    bins = np.minimum(((values - lo) * ((BINS - 1) / (hi - lo))).astype(np.int64), BINS - 1)
    rows = int(ends.max()) + 1
    count = np.bincount(ends * BINS + bins, minlength=rows * BINS).reshape(rows, BINS)
    above = np.cumsum(count[:, ::-1], axis=1)[:, ::-1] - count  # per row and bin: entries in higher bins
    # the bin holding each row's k-th value: the highest bin with fewer than k above it and k within reach
    reach = above + count >= k
    kth = np.where(reach.any(axis=1), BINS - 1 - np.argmax(reach[:, ::-1], axis=1), -1)
    row_kth = kth[ends]
    keep = bins > row_kth
    edge = np.flatnonzero(bins == row_kth)
    if len(edge):
        quota = np.zeros(rows, dtype=np.int64)
        has = kth >= 0
        quota[has] = k - above[np.flatnonzero(has), kth[has]]
        keep[edge[_top_k_sorted(ends[edge], values[edge], quota)]] = True
    return keep


def _top_k_sorted(ends: np.ndarray, values: np.ndarray, quota: np.ndarray) -> np.ndarray:
    """Mask of each row's ``quota[row]`` largest values (ties: the earlier entry), by one sort of one
    int64 key (row in the high half, the value's float32 bits turned descending in the low half)."""
    # + 0.0 turns -0.0 into 0.0: equal values must tie
    bits = (np.asarray(values, dtype=np.float32) + np.float32(0.0)).view(np.int32).astype(np.int64)
    # float32 bits sort like the floats once negatives are flipped; then reversed for "largest first"
    ordered = np.where(bits < 0, bits ^ 0x7FFFFFFF, bits)
    key = (np.asarray(ends, dtype=np.int64) << 32) | (0x7FFFFFFF - ordered)  # 0 .. 2**32 - 1
    # equal values keep their input order (stable sort): deterministic without a second key
    order = np.argsort(key, kind="stable")
    sorted_ends = ends[order]
    run_start = np.flatnonzero(np.concatenate([[True], sorted_ends[1:] != sorted_ends[:-1]]))
    run_len = np.diff(np.concatenate([run_start, [len(order)]]))
    rank = np.arange(len(order)) - np.repeat(run_start, run_len)
    keep = np.zeros(len(ends), dtype=bool)
    keep[order[rank < quota[sorted_ends]]] = True
    return keep


def _true_positions(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.nonzero`` of a sparse 2-D boolean block, twice as fast: the block is read as 64-bit words
    first and only the words holding a True are looked at byte by byte (a block is ~1% True)."""
    flat = mask.reshape(-1)
    if flat.size % 8 or not flat.flags.c_contiguous:
        rows, cols = np.nonzero(mask)
        return rows, cols
    words = np.flatnonzero(flat.view(np.uint64))
    at = (words[:, None] * 8 + np.arange(8)).ravel()
    at = at[flat[at]]
    return np.divmod(at, mask.shape[1])


def _best_of_pairs(i: np.ndarray, j: np.ndarray, v: np.ndarray, k: int) -> np.ndarray:
    """Mask of the pairs (i < j) among the ``k`` best of either of their two sentences."""
    m = len(i)
    keep = top_k_of_each(np.concatenate([i, j]), np.concatenate([v, v]), k)
    return keep[:m] | keep[m:]


def cosine_candidates(
    emb: np.ndarray,
    article_of: np.ndarray,
    k: int,
    floor: float,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j, different articles) among either side's ``k`` best cosines at or above ``floor``,
    with those cosines; rows of ``emb`` must be unit length."""
    n = emb.shape[0]
    emb = np.ascontiguousarray(emb, dtype=np.float32)
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    found_v: list[np.ndarray] = []
    for r0 in range(0, n, BLOCK):
        cancel.check()
        progress(Progress("align", (r0 * (2 * n - r0)) // max(1, n), n, "Matching sentences"))
        r1 = min(n, r0 + BLOCK)
        sims = emb[r0:r1] @ emb[r0:].T  # this block of rows against itself and every later row
        sims[:, : r1 - r0][np.tril_indices(r1 - r0)] = -2.0  # the diagonal and what lies under it
        a, b = _true_positions(sims >= floor)
        i, j = a + r0, b + r0
        cross = article_of[i] != article_of[j]
        i, j = i[cross], j[cross]
        v = sims[a[cross], b[cross]]
        if len(i) > 2 * k * (n - r0):
            # bound the memory on stories whose sentences are all alike: a pair outside the k best of
            # both its rows within this block cannot be among their k best overall
            keep = _best_of_pairs(i, j, v, k)
            i, j, v = i[keep], j[keep], v[keep]
        found_i.append(i)
        found_j.append(j)
        found_v.append(v)
    if not found_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    i, j, v = np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_v)
    keep = _best_of_pairs(i, j, v, k)
    return i[keep], j[keep], v[keep]


def lexical_candidates(lex, article_of: np.ndarray, k: int, floor: float, *, cancel: CancelToken = NEVER):
    """Pairs (i < j, different articles) among either side's ``k`` best shared-word scores at or above
    ``floor``. ``lex`` is a ``wordproducts.Products`` (or a scipy CSR matrix), rows L2-normalised: its
    products are sparse, never dense."""
    products = lex if isinstance(lex, Products) else Products.from_scipy(lex)
    n = products.rows
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    found_v: list[np.ndarray] = []
    for r0 in range(0, n, BLOCK):
        cancel.check()
        i, j, v = products.block(r0, min(n, r0 + BLOCK), floor)
        ok = article_of[i] != article_of[j]
        i, j, v = i[ok], j[ok], v[ok]
        keep = top_k_of_each(i, v, k)  # each row's k best, over every column
        found_i.append(i[keep])
        found_j.append(j[keep])
        found_v.append(v[keep])
    if not found_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    i, j = np.concatenate(found_i), np.concatenate(found_j)
    return np.minimum(i, j), np.maximum(i, j)


def candidate_pairs(
    emb: np.ndarray,
    article_of: np.ndarray,
    lexical,
    *,
    k: int,
    floor: float,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Unique candidate pairs (i < j, sorted by i then j) and, per pair, its cosine and whether the
    cosine is known (False for pairs that only shared words brought in: their cosine is to compute)."""
    n = emb.shape[0]
    article_of = np.asarray(article_of, dtype=np.int64)
    ci, cj, cv = cosine_candidates(emb, article_of, k, floor, progress=progress, cancel=cancel)
    keys = ci * n + cj
    if lexical is not None:
        li, lj = lexical_candidates(lexical.products(), article_of, k, floor, cancel=cancel)
        keys = np.concatenate([keys, li * n + lj])
    values = np.concatenate([cv, np.full(len(keys) - len(cv), np.nan, dtype=np.float32)])
    keys, first = np.unique(keys, return_index=True)  # a pair both signals found keeps its cosine
    cos = values[first]
    known = ~np.isnan(cos)
    return (keys // max(1, n)), (keys % max(1, n)), np.where(known, cos, 0.0).astype(np.float32), known
