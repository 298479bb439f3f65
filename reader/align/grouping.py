"""Sentence alignment across N outlets: which sentences report the same fact.

Two steps, because the strictness slider must answer at once:

``prepare`` embeds every sentence once (through the cache), and the pieces a
long sentence splits into at punctuation, and computes all
strictness-independent evidence for a sparse set of candidate pairs
(``reader.align.features``: topic-relative cosine, best piece cosine, shared
rare words, neighbours, position). ``group`` turns that evidence into groups for one
strictness, in milliseconds for a normal comparison.

The grouping rules live in ``reader.align.linking`` (``cluster``): links between
mutual best matches, joins only when most pairs across two groups agree (no
chains of look-alikes), splits, merged sentences, restatements and runs of up to
three sentences of one outlet that together tell one fact.
Every sentence ends up in at least one group; singletons are facts one outlet
reports alone. Groups are ordered to follow the story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reader.align.features import LexicalVectors, PairTable, Pieces, lexical_vectors, pair_table, piece_spans
from reader.align.linking import (
    LINK_SLACK,
    MAX_GROUPS_PER_SENTENCE,
    MAX_PER_OUTLET,
    ONE_SIDED_MARGIN,
    cluster,
    threshold,
)
from reader.align.remarks import quoted_words
from reader.embedding.embed import Embedder, embed_with_pieces
from reader.model import Article, Group
from reader.progress import NEVER, CancelToken, Progress, ProgressCallback, no_progress


@dataclass(frozen=True)
class AlignmentBasis:
    """Everything alignment needs that does not depend on strictness."""

    model: str
    sentence_ids: tuple[str, ...]
    article_of: np.ndarray  # int, per row
    positions: np.ndarray  # relative position in its article, per row
    pairs: PairTable


def story_order(groups: list[list[int]], article_of: np.ndarray, positions: np.ndarray) -> list[list[int]]:
    """Order groups as the story runs: shared facts by their members' mean position; a fact one
    outlet reports alone right after the group holding the sentence before it in that outlet."""
    art = np.asarray(article_of).tolist()
    key: dict[int, float] = {}
    first_group_of: dict[int, int] = {}
    for g, rows in enumerate(groups):
        for r in rows:
            first_group_of.setdefault(r, g)
        if len({art[r] for r in rows}) > 1:
            key[g] = float(np.mean([positions[r] for r in rows]))
    prev_row: dict[int, int] = {}
    last: dict[int, int] = {}
    for r, a in enumerate(art):
        if a in last:
            prev_row[r] = last[a]
        last[a] = r
    for g, rows in enumerate(groups):
        if g in key:
            continue
        r = rows[0]
        chain = 1
        anchor = prev_row.get(r)
        while anchor is not None and first_group_of[anchor] not in key and chain < len(art):
            anchor, chain = prev_row.get(anchor), chain + 1
        base = key[first_group_of[anchor]] if anchor is not None else 0.0
        key[g] = base + 1e-4 * chain + 1e-7 * r
    return [groups[g] for g in sorted(range(len(groups)), key=lambda g: (key[g], groups[g][0]))]


def align_embeddings(
    embeddings: np.ndarray,
    article_of: Sequence[int],
    *,
    strictness: float = 0.5,
    lexical: LexicalVectors | None = None,
    positions: Sequence[float] | None = None,
    pieces: Pieces | None = None,
) -> list[list[int]]:
    """Pure alignment: rows of one article must be in reading order. Groups of row indices, story order."""
    arts = np.asarray(article_of, dtype=np.int64)
    pos = None if positions is None else np.asarray(positions, dtype=np.float32)
    table = pair_table(embeddings, arts, lexical, pos, pieces=pieces)
    return _ordered(table, arts, pos, strictness)


def _ordered(table: PairTable, arts: np.ndarray, pos: np.ndarray | None, strictness: float) -> list[list[int]]:
    from reader.align.features import relative_positions

    positions = relative_positions(arts) if pos is None else pos
    return story_order(cluster(table, arts, strictness), arts, positions)


def prepare(
    articles: Sequence[Article],
    embedder: Embedder,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
) -> AlignmentBasis:
    sentences = [s for a in articles for s in a.sentences]
    article_of = np.asarray([ai for ai, a in enumerate(articles) for _ in a.sentences], dtype=np.int64)
    texts = [s.text for s in sentences]
    # a long sentence's pieces are pooled from its own forward pass (the model reads each sentence once);
    # an embedder that cannot pool (the tests' fake) encodes each piece as a text of its own instead
    pooled = embed_with_pieces(embedder, texts, [piece_spans(t) for t in texts], progress=progress, cancel=cancel)
    emb = pooled.sentences
    pieces = Pieces(
        np.asarray(pooled.pieces, dtype=np.float32), np.asarray(pooled.owner, dtype=np.int64),
        in_context=pooled.in_context,
    )
    cancel.check()
    progress(Progress("align", 0, len(sentences), "Matching sentences"))
    from reader.align.features import relative_positions

    positions = relative_positions(article_of)
    # original text, not ``norm``: the casefolded form would hide which words are names
    lexical = lexical_vectors([s.text for s in sentences])
    cancel.check()
    table = pair_table(
        emb, article_of, lexical, positions, pieces=pieces, quoted=quoted_words(texts), progress=progress, cancel=cancel
    )
    progress(Progress("align", len(sentences), len(sentences), "Sentences matched"))
    return AlignmentBasis(embedder.name, tuple(s.id for s in sentences), article_of, positions, table)


def group(basis: AlignmentBasis, strictness: float, *, cancel: CancelToken = NEVER) -> tuple[Group, ...]:
    cancel.check()
    rows_groups = _ordered(basis.pairs, basis.article_of, basis.positions, strictness)
    cancel.check()
    scores = _PairLookup(basis.pairs, len(basis.sentence_ids))
    best_score = np.zeros(len(basis.sentence_ids), dtype=np.float32)
    np.maximum.at(best_score, basis.pairs.i, basis.pairs.score)
    np.maximum.at(best_score, basis.pairs.j, basis.pairs.score)
    near = nearest_by_outlet(basis.pairs, basis.article_of, threshold(strictness) - LINK_SLACK)
    art = basis.article_of
    out: list[Group] = []
    for k, rows in enumerate(rows_groups, start=1):
        ids = tuple(basis.sentence_ids[r] for r in rows)
        present = {int(art[r]) for r in rows}
        best: dict[int, tuple[float, int]] = {}  # absent outlet -> (score, its closest row)
        for r in rows:
            for outlet, other, score in near.get(r, ()):
                if outlet not in present and (outlet not in best or score > best[outlet][0]):
                    best[outlet] = (score, other)
        closest = tuple(basis.sentence_ids[best[o][1]] for o in sorted(best))
        out.append(Group(f"g{k}", ids, _confidence(rows, basis, scores, best_score), closest))
    return tuple(out)


def nearest_by_outlet(
    table: PairTable, article_of: np.ndarray, floor: float
) -> dict[int, list[tuple[int, int, float]]]:
    """Per row, for each other article it has a candidate in scoring at least ``floor``: (article, its best
    row there, the score); ties go to the pair listed first. ``floor`` is the bar at which a pair counts
    towards a join (t - slack): near enough to support a fact, not to start one, so the two rows may be
    one fact in other words."""
    art = np.asarray(article_of, dtype=np.int64)
    rows = np.concatenate([table.i, table.j]).astype(np.int64)
    other = np.concatenate([table.j, table.i]).astype(np.int64)
    score = np.concatenate([table.score, table.score])
    keep = score >= floor
    rows, other, score = rows[keep], other[keep], score[keep]
    out: dict[int, list[tuple[int, int, float]]] = {}
    if not len(rows):
        return out
    key = rows * (int(art.max()) + 1) + art[other]
    order = np.lexsort((-score, key))  # by (row, article), best first; lexsort is stable
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    picked = order[first]
    for r, o, s in zip(rows[picked].tolist(), other[picked].tolist(), score[picked].tolist(), strict=True):
        out.setdefault(r, []).append((int(art[o]), o, float(s)))
    return out


class _PairLookup:
    """Scores of given pairs by binary search in the table's sorted keys: a dict of every candidate pair
    cost more than the grouping itself at thousands of sentences, and the slider runs this each move."""

    def __init__(self, table: PairTable, n: int) -> None:
        self._n = max(1, n)
        self._keys = table.i.astype(np.int64) * self._n + table.j
        self._order = np.argsort(self._keys, kind="stable")
        self._sorted = self._keys[self._order]
        self._score = table.score

    def many(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        want = np.minimum(a, b).astype(np.int64) * self._n + np.maximum(a, b)
        if len(self._sorted) == 0:
            return np.zeros(len(want), dtype=np.float32)
        at = np.clip(np.searchsorted(self._sorted, want), 0, len(self._sorted) - 1)
        hit = self._sorted[at] == want
        return np.where(hit, self._score[self._order[at]], 0.0).astype(np.float32)


def _confidence(rows: list[int], basis: AlignmentBasis, scores: _PairLookup, best: np.ndarray) -> float:
    art = basis.article_of
    if len(rows) == 1:
        # how sure we are that nobody else reports it: the closer the best candidate, the less sure
        return round(max(0.0, min(1.0, 1.0 - float(best[rows[0]]))), 3)
    r = np.asarray(rows, dtype=np.int64)
    a, b = np.triu_indices(len(r), 1)
    cross = art[r[a]] != art[r[b]]
    vals = scores.many(r[a][cross], r[b][cross])
    return round(max(0.0, min(1.0, float(np.mean(vals.astype(np.float64))) if len(vals) else 0.0)), 3)


def align(articles: Sequence[Article], embedder: Embedder, strictness: float = 0.5) -> tuple[Group, ...]:
    return group(prepare(articles, embedder), strictness)


__all__ = [
    "LINK_SLACK", "MAX_GROUPS_PER_SENTENCE", "MAX_PER_OUTLET", "ONE_SIDED_MARGIN", "AlignmentBasis", "align",
    "align_embeddings", "cluster", "group", "prepare", "story_order", "threshold",
]
