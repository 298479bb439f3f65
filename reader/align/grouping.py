"""Sentence alignment across N outlets: which sentences report the same fact.

Two steps, because the strictness slider must answer at once:

``prepare`` embeds every sentence once (through the cache), and the pieces a
long sentence splits into at punctuation, and computes all
strictness-independent evidence for a sparse set of candidate pairs
(``reader.align.features``: topic-relative cosine, best piece cosine, shared
rare words, neighbours, position). ``group`` turns that evidence into groups for one
strictness, in milliseconds for a normal comparison.

Grouping rules (``cluster``), with ``t`` the threshold the strictness sets:
1. Links are pairs scoring at least ``t`` that are each other's best match in
   the other's article; a one-sided pair needs a margin more. Links are taken
   strongest first.
2. Two groups join only if most of the sentence pairs across them (not just
   the one link) clear ``t - LINK_SLACK``: a new member must match most of the
   group, so chains of look-alikes cannot glue unrelated facts together. They
   must share no outlet, except as a split: two consecutive sentences of one
   outlet that together say what another outlet says in one (one split a group).
3. A sentence left alone whose neighbour already sits in a group joins it as
   such a split when it matches most of the group's other outlets.
4. Merge: a sentence that reports two facts may also sit in a second group,
   when that group already spans outlets and the sentence matches most of its
   members at ``t`` (at most two groups per sentence).
5. Restatement: wire copy often gives a fact twice, far apart. Last, after
   every split and merge, a sentence may join a group that already holds one
   sentence of its outlet (no split there yet) when the group spans at least
   two other outlets and it matches most of their members at ``t`` itself. A
   sentence alone moves there; one already sharing a fact with other outlets
   keeps that group and takes this one as its second (cap of rule 4), unless
   the two sentences of its outlet already sit together elsewhere.
Every sentence ends up in at least one group; singletons are facts one outlet
reports alone. Groups are ordered to follow the story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reader.align.features import LexicalVectors, PairTable, Pieces, lexical_vectors, pair_table, split_pieces
from reader.embedding.embed import Embedder, embed_texts
from reader.model import Article, Group
from reader.progress import NEVER, CancelToken, Progress, ProgressCallback, no_progress

LINK_SLACK = 0.05
ONE_SIDED_MARGIN = 0.10
MAX_GROUPS_PER_SENTENCE = 2


def threshold(strictness: float) -> float:
    """Strictness 0..1 to a score threshold; 0.5 is the default a journalist starts from."""
    s = min(1.0, max(0.0, float(strictness)))
    # scores are topic-relative (reader.align.features.centred), so lower than raw cosines would be;
    # 0.32 at the default gave the best pairwise F1 on our invented stories (jirgal-quake, tessel-flood;
    # the demo's keys were held out); 0.3 and 0.7 stay near that plateau, 0 and 1 well off it
    return 0.20 + 0.24 * s


@dataclass(frozen=True)
class AlignmentBasis:
    """Everything alignment needs that does not depend on strictness."""

    model: str
    sentence_ids: tuple[str, ...]
    article_of: np.ndarray  # int, per row
    positions: np.ndarray  # relative position in its article, per row
    pairs: PairTable


class _Scores:
    """Symmetric lookup of pair scores; pairs that were never candidates score 0."""

    def __init__(self, table: PairTable, floor: float) -> None:
        keep = table.score >= floor
        self._d: dict[tuple[int, int], float] = {
            (int(a), int(b)): float(s)
            for a, b, s in zip(table.i[keep], table.j[keep], table.score[keep], strict=True)
        }

    def get(self, a: int, b: int) -> float:
        return self._d.get((a, b) if a < b else (b, a), 0.0)


def _matches_most(scores: _Scores, x: int, members: Sequence[int], t_link: float) -> bool:
    if not members:
        return False
    good = sum(1 for m in members if scores.get(x, m) >= t_link)
    return 2 * good > len(members)


def cluster(table: PairTable, article_of: np.ndarray, strictness: float) -> list[list[int]]:
    """Groups of row indices (unordered) for one strictness. See the module docstring for the rules."""
    art = np.asarray(article_of).tolist()
    n = len(art)
    t = threshold(strictness)
    t_link = t - LINK_SLACK
    scores = _Scores(table, t_link)
    order = np.lexsort((table.j, table.i, -table.score))  # strongest first; ties by row for determinism
    cl_of = list(range(n))
    members: dict[int, list[int]] = {r: [r] for r in range(n)}
    arts: dict[int, set[int]] = {r: {art[r]} for r in range(n)}
    leftovers: list[int] = []
    for p in order.tolist():
        s = float(table.score[p])
        if s < t:
            break
        a, b = int(table.i[p]), int(table.j[p])
        ca, cb = cl_of[a], cl_of[b]
        if ca == cb:
            continue
        if not table.mutual[p] and s < t + ONE_SIDED_MARGIN:
            leftovers.append(p)
            continue
        if not arts[ca].isdisjoint(arts[cb]) and not _split_allowed(ca, cb, members, arts, art):
            leftovers.append(p)
            continue
        if not _most_pairs_link(members[ca], members[cb], art, scores, t_link):
            leftovers.append(p)
            continue
        keep, gone = (ca, cb) if ca < cb else (cb, ca)
        for r in members[gone]:
            cl_of[r] = keep
        members[keep].extend(members.pop(gone))
        arts[keep] |= arts.pop(gone)
    groups = {c: list(m) for c, m in members.items()}
    extra: dict[int, int] = {}  # row -> how many groups it sits in beyond its own
    # restatements come last, in a pass of their own: taken earlier they would use up the one doubled
    # outlet a group may hold, or a sentence's second group, before a split or a merge is weighed
    for p, restating in [(p, False) for p in leftovers] + [(p, True) for p in leftovers]:
        a, b = int(table.i[p]), int(table.j[p])
        # Weigh every possible move for this pair and make the strongest: trying one direction first would
        # make the result depend on row numbers, i.e. on the order the articles were added.
        options: list[tuple[float, int, int, int]] = []
        for x, y in ((a, b), (b, a)):
            strength = None if restating else _split_strength(x, y, groups, cl_of, art, scores, t_link)
            if strength is not None:
                options.append((strength, 1, x, y))
            strength = None if restating else _merge_strength(x, y, groups, cl_of, arts, art, scores, t, extra)
            if strength is not None:
                options.append((strength, 0, x, y))
            strength = _restate_strength(x, y, groups, cl_of, art, scores, t, extra) if restating else None
            if strength is not None:
                options.append((strength, -1, x, y))
        if not options:
            continue
        _, kind, x, y = max(options)
        if kind == 1:
            groups[cl_of[y]].append(x)
            del groups[cl_of[x]]
            cl_of[x] = cl_of[y]
        elif kind == -1 and len(groups[cl_of[y]]) == 1:
            groups[cl_of[x]].append(y)
            del groups[cl_of[y]]
            cl_of[y] = cl_of[x]
        else:
            groups[cl_of[x]].append(y)
            arts[cl_of[x]].add(art[y])
            extra[y] = extra.get(y, 0) + 1
    return [sorted(g) for g in groups.values()]


def _most_pairs_link(first: list[int], second: list[int], art: list[int], scores: _Scores, t_link: float) -> bool:
    """More than half of the cross-outlet pairs clear ``t_link``; stops as soon as the answer is known,
    which matters when one fact is reported by hundreds of outlets."""
    total = sum(1 for x in first for y in second if art[x] != art[y])
    good = bad = 0
    for x in first:
        for y in second:
            if art[x] == art[y]:
                continue
            if scores.get(x, y) >= t_link:
                good += 1
                if 2 * good > total:
                    return True
            else:
                bad += 1
                if 2 * bad >= total:
                    return False
    return 2 * good > total


def _split_allowed(ca: int, cb: int, members, arts, art: list[int]) -> bool:
    """Two groups sharing an outlet may join only as a split: one outlet, two consecutive sentences."""
    shared = arts[ca] & arts[cb]
    if len(shared) != 1 or len(members[ca]) != len(arts[ca]) or len(members[cb]) != len(arts[cb]):
        return False  # more than one outlet in common, or one side already holds a split
    outlet = next(iter(shared))
    (x,) = [r for r in members[ca] if art[r] == outlet]
    (y,) = [r for r in members[cb] if art[r] == outlet]
    return _adjacent(x, y, art)


def _split_strength(x, y, groups, cl_of, art, scores, t_link) -> float | None:
    """x alone, its neighbour in the same article already grouped with y: x may join that group.
    Returns how well x matches the group's other outlets, or None when the move is not allowed."""
    cx, cy = cl_of[x], cl_of[y]
    if cx == cy or len(groups[cx]) != 1:
        return None
    group = groups[cy]
    same = [m for m in group if art[m] == art[x]]
    if len(same) != 1 or not _adjacent(x, same[0], art) or len({art[m] for m in group}) < len(group):
        return None  # one split per group: a second would make the row unreadable
    others = [m for m in group if art[m] != art[x]]
    if not _matches_most(scores, x, others, t_link):
        return None
    return sum(scores.get(x, m) for m in others) / len(others)


def _adjacent(x: int, y: int, art: list[int]) -> bool:
    lo, hi = min(x, y), max(x, y)
    return all(art[r] != art[x] for r in range(lo + 1, hi))


def _merge_strength(x, y, groups, cl_of, arts, art, scores, t, extra) -> float | None:
    """y reports x's fact as well as its own: y may also sit in x's group. Returns how well y matches
    that group, or None when the move is not allowed.

    A second home needs corroboration (x's group already spans outlets): a lone look-alike of
    y's true partner would otherwise pull y into a second group. It must match most members at
    ``t`` itself (a join asks only ``t - LINK_SLACK``): asking every member made a second home the
    harder to find the more outlets confirm the fact, since one terse outlet's wording was enough
    to refuse a sentence the others match; asking only a join's bar let look-alikes in."""
    gx = groups.get(cl_of[x])
    if gx is None or art[y] in arts[cl_of[x]]:
        return None
    if len(groups[cl_of[y]]) == 1 or extra.get(y, 0) + 1 >= MAX_GROUPS_PER_SENTENCE or len(gx) < 2:
        return None
    if not _matches_most(scores, y, gx, t):
        return None
    return sum(scores.get(y, m) for m in gx) / len(gx)


def _restate_strength(x, y, groups, cl_of, art, scores, t, extra) -> float | None:
    """y restates the fact of x's group, where y's outlet already has a sentence: y may join it as that
    outlet's second sentence. Returns how well y matches the group's other outlets, or None.

    Wire copy often repeats a fact far from where it first gave it, so adjacency is not asked; a
    stricter bar is instead: most of the other outlets' members at ``t`` itself, not ``t - LINK_SLACK``.
    A y that already shares a fact with other outlets keeps that group and takes this one only as its
    second (the cap on groups per sentence holds)."""
    gx = groups.get(cl_of[x])
    if gx is None or y in gx:
        return None
    same = [m for m in gx if art[m] == art[y]]
    if len(same) != 1 or len({art[m] for m in gx}) < len(gx):
        return None  # one doubled outlet a group, as for a split: a row stays readable
    if len(groups[cl_of[y]]) > 1 and extra.get(y, 0) + 1 >= MAX_GROUPS_PER_SENTENCE:
        return None
    others = [m for m in gx if art[m] != art[y]]
    if len({art[m] for m in others}) < 2 or not _matches_most(scores, y, others, t):
        # one other outlet is no corroboration: y may be just a look-alike of its partner
        return None
    if any(y in g and same[0] in g for g in groups.values()):
        return None  # the two sentences already sit together: twice would only repeat that group
    return sum(scores.get(y, m) for m in others) / len(others)


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
    # pieces of long sentences are embedded with them, in one pass (one progress bar, one cache)
    piece_texts, owner = split_pieces(texts)
    both = embed_texts(embedder, texts + piece_texts, progress=progress, cancel=cancel)
    emb = both[: len(texts)]
    pieces = Pieces(np.asarray(both[len(texts) :], dtype=np.float32), np.asarray(owner, dtype=np.int64))
    cancel.check()
    progress(Progress("align", 0, len(sentences), "Matching sentences"))
    from reader.align.features import relative_positions

    positions = relative_positions(article_of)
    # original text, not ``norm``: the casefolded form would hide which words are names
    lexical = lexical_vectors([s.text for s in sentences])
    cancel.check()
    table = pair_table(emb, article_of, lexical, positions, pieces=pieces, progress=progress, cancel=cancel)
    progress(Progress("align", len(sentences), len(sentences), "Sentences matched"))
    return AlignmentBasis(embedder.name, tuple(s.id for s in sentences), article_of, positions, table)


def group(basis: AlignmentBasis, strictness: float, *, cancel: CancelToken = NEVER) -> tuple[Group, ...]:
    cancel.check()
    rows_groups = _ordered(basis.pairs, basis.article_of, basis.positions, strictness)
    cancel.check()
    scores = _Scores(basis.pairs, 0.0)
    best = np.zeros(len(basis.sentence_ids), dtype=np.float32)
    np.maximum.at(best, basis.pairs.i, basis.pairs.score)
    np.maximum.at(best, basis.pairs.j, basis.pairs.score)
    out: list[Group] = []
    for k, rows in enumerate(rows_groups, start=1):
        out.append(Group(f"g{k}", tuple(basis.sentence_ids[r] for r in rows), _confidence(rows, basis, scores, best)))
    return tuple(out)


def _confidence(rows: list[int], basis: AlignmentBasis, scores: _Scores, best: np.ndarray) -> float:
    art = basis.article_of
    if len(rows) == 1:
        # how sure we are that nobody else reports it: the closer the best candidate, the less sure
        return round(max(0.0, min(1.0, 1.0 - float(best[rows[0]]))), 3)
    vals = [scores.get(a, b) for x, a in enumerate(rows) for b in rows[x + 1 :] if art[a] != art[b]]
    return round(max(0.0, min(1.0, float(np.mean(vals)) if vals else 0.0)), 3)


def align(articles: Sequence[Article], embedder: Embedder, strictness: float = 0.5) -> tuple[Group, ...]:
    return group(prepare(articles, embedder), strictness)
