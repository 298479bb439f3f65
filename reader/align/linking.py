"""Facts from pair evidence: which sentences go together at one strictness (``cluster``).

Grouping rules, with ``t`` the threshold the strictness sets:
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
5. Restatement: wire copy often gives a fact twice, far apart. After every
   split and merge, a sentence may join a group that already holds one
   sentence of its outlet (no split there yet) when the group spans at least
   two other outlets and it matches most of their members at ``t`` itself. A
   sentence alone moves there; one already sharing a fact with other outlets
   keeps that group and takes this one as its second (cap of rule 4), unless
   the two sentences of its outlet already sit together elsewhere.
6. Runs: real outlets tell one fact over two or three sentences close together
   (the real-news keys: most of one outlet's sentences of a fact lie within two
   of each other). Last, a sentence within ``RUN_GAP`` sentences of its outlet's
   member in a group that spans outlets joins it when it matches most of the
   other outlets' members at ``t + RUN_MARGIN``: stricter than a link, because
   nothing but the group itself vouches for it. At most ``MAX_PER_OUTLET``
   sentences of one outlet per group; a sentence alone moves there, one already
   in a shared fact takes it as its second (cap of rule 4).

``trace`` receives one ``TraceEvent`` per decision, so ``bench/aligndiag.py`` can
explain a grouping without copying this loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from reader.align.features import PairTable

LINK_SLACK = 0.05
ONE_SIDED_MARGIN = 0.10
MAX_GROUPS_PER_SENTENCE = 2
MAX_PER_OUTLET = 3  # sentences of one outlet in one fact (rule 6): more and a row stops being one fact
RUN_GAP = 2  # rule 6: how far (in the outlet's own sentences) a run may reach from its member
# rule 6's bar above t; chosen on the real-news tuning half (0, 0.03, 0.06 with gaps 1-3 measured):
# pooled F1 0.377 -> 0.403 with no more look-alikes joined, invented stories unchanged (0.712)
RUN_MARGIN = 0.03


def threshold(strictness: float) -> float:
    """Strictness 0..1 to a score threshold; 0.5 is the default a journalist starts from."""
    s = min(1.0, max(0.0, float(strictness)))
    # scores are topic-relative (reader.align.features.centred), so lower than raw cosines would be;
    # 0.32 at the default gave the best pairwise F1 on our invented stories (jirgal-quake, tessel-flood;
    # the demo's keys were held out); 0.3 and 0.7 stay near that plateau, 0 and 1 well off it
    return 0.20 + 0.24 * s


@dataclass(frozen=True)
class TraceEvent:
    """One decision of ``cluster``: in the link pass (``step == "link"``) what became of the candidate
    pair (a, b) scoring ``score``; in a later pass (``"split"``, ``"merge"``, ``"restate"``, ``"run"``)
    that row ``b`` joined the group holding ``a``, matching its members by ``score`` on average."""

    step: str
    a: int
    b: int
    score: float
    outcome: str  # link: "linked", "already together", "one-sided", "shared outlet", "join majority"


Trace = Callable[[TraceEvent], None]


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


def _matches_most(scores: Scores, x: int, members: Sequence[int], bar: float) -> bool:
    """More than half of ``members`` score ``bar`` or more with x (``bar`` at least the lookup's floor)."""
    if not members:
        return False
    near = scores.near(x, bar)
    good = sum(1 for m in members if m in near)
    return 2 * good > len(members)


def _mean(scores: Scores, x: int, members: Sequence[int]) -> float:
    return sum(scores.get(x, m) for m in members) / len(members)


def cluster(
    table: PairTable, article_of: np.ndarray, strictness: float, *, trace: Trace | None = None
) -> list[list[int]]:
    """Groups of row indices (unordered) for one strictness. See the module docstring for the rules."""
    art = np.asarray(article_of).tolist()
    n = len(art)
    t = threshold(strictness)
    t_link = t - LINK_SLACK
    scores = Scores(table, t_link)
    note = trace
    order = np.lexsort((table.j, table.i, -table.score))  # strongest first; ties by row for determinism
    cl_of = list(range(n))
    members: dict[int, list[int]] = {r: [r] for r in range(n)}
    arts: dict[int, set[int]] = {r: {art[r]} for r in range(n)}
    msets: dict[int, set[int]] = {r: {r} for r in range(n)}
    # A join majority depends only on the two groups, and a group id of a given size always holds the same
    # rows (groups only grow, and keep the smaller id): on large stories hundreds of strong pairs ask again
    # about the same two groups, so each answer is kept.
    majority: dict[tuple[int, int, int, int], bool] = {}
    leftovers: list[int] = []
    for p in order.tolist():
        s = float(table.score[p])
        if s < t:
            break
        a, b = int(table.i[p]), int(table.j[p])
        ca, cb = cl_of[a], cl_of[b]
        if ca == cb:
            outcome = "already together"
        elif not table.mutual[p] and s < t + ONE_SIDED_MARGIN:
            outcome = "one-sided"
        elif not arts[ca].isdisjoint(arts[cb]) and not _split_allowed(ca, cb, members, arts, art):
            outcome = "shared outlet"
        elif not _joins(ca, cb, members, msets, arts, art, scores, t_link, majority):
            outcome = "join majority"
        else:
            outcome = "linked"
            keep, gone = (ca, cb) if ca < cb else (cb, ca)
            for r in members[gone]:
                cl_of[r] = keep
            members[keep].extend(members.pop(gone))
            arts[keep] |= arts.pop(gone)
            if len(msets[keep]) < len(msets[gone]):
                msets[keep], msets[gone] = msets[gone], msets[keep]
            msets[keep] |= msets.pop(gone)
        if outcome in ("one-sided", "shared outlet", "join majority"):
            leftovers.append(p)
        if note is not None:
            note(TraceEvent("link", a, b, s, outcome))
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
        strength, kind, x, y = max(options)
        if kind == 1:
            groups[cl_of[y]].append(x)
            del groups[cl_of[x]]
            cl_of[x] = cl_of[y]
            if note is not None:
                note(TraceEvent("split", y, x, strength, "joined"))
            continue
        if kind == -1 and len(groups[cl_of[y]]) == 1:
            groups[cl_of[x]].append(y)
            del groups[cl_of[y]]
            cl_of[y] = cl_of[x]
        else:
            groups[cl_of[x]].append(y)
            arts[cl_of[x]].add(art[y])
            extra[y] = extra.get(y, 0) + 1
        if note is not None:
            note(TraceEvent("restate" if kind == -1 else "merge", x, y, strength, "joined"))
    out = [sorted(g) for g in groups.values()]
    return _runs(out, art, table, scores, t + RUN_MARGIN, note)


def _joins(ca, cb, members, msets, arts, art: list[int], scores: Scores, t_link: float, memo) -> bool:
    """Rule 2's majority for groups ca and cb, remembered by (ids, sizes); see ``_most_pairs_link``."""
    key = (ca, cb, len(members[ca]), len(members[cb])) if ca < cb else (cb, ca, len(members[cb]), len(members[ca]))
    found = memo.get(key)
    if found is None:
        found = memo[key] = _most_pairs_link(members[ca], members[cb], msets[ca], msets[cb], arts, ca, cb, art,
                                             scores, t_link)
    return found


def _most_pairs_link(first, second, first_set, second_set, arts, ca, cb, art, scores: Scores, t_link: float) -> bool:
    """More than half of the cross-outlet pairs of two groups clear ``t_link``. Counted by set intersections
    from the smaller group (in C), which matters when one fact is reported by hundreds of outlets."""
    total = len(first) * len(second)
    for outlet in arts[ca] & arts[cb]:  # pairs inside one outlet are no pairs (at most a split's one)
        total -= sum(art[x] == outlet for x in first) * sum(art[y] == outlet for y in second)
    if len(first) > len(second):
        first, second_set = second, first_set
    # candidate pairs are always cross-outlet, so every row near x in the other group counts
    good = sum(len(scores.near(x, t_link) & second_set) for x in first)
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
        return None  # one split per group here; longer runs are rule 6's, at a stricter bar
    others = [m for m in group if art[m] != art[x]]
    if not _matches_most(scores, x, others, t_link):
        return None
    return _mean(scores, x, others)


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
    return _mean(scores, y, gx)


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
    return _mean(scores, y, others)


def _runs(
    groups: list[list[int]], art: list[int], table: PairTable, scores: Scores, bar: float, note: Trace | None
) -> list[list[int]]:
    """Rule 6: sentences near their outlet's member of a shared fact join it when they match most of
    the other outlets' members at ``bar``. Candidates are weighed against the groups as they stand
    when the pass starts and taken strongest first, so the result does not depend on row numbers."""
    place: list[int] = [0] * len(art)  # a row's index among its article's rows
    rows_of: dict[int, list[int]] = {}
    for r, a in enumerate(art):
        place[r] = len(rows_of.setdefault(a, []))
        rows_of[a].append(r)
    strong: dict[int, set[int]] = {}  # row -> rows it scores ``bar`` or more with: majorities by set sizes
    keep = table.score >= bar
    for a, b in zip(table.i[keep].tolist(), table.j[keep].tolist(), strict=True):
        strong.setdefault(a, set()).add(b)
        strong.setdefault(b, set()).add(a)
    homes = [0] * len(art)
    for g in groups:
        for r in g:
            homes[r] += 1
    candidates: list[tuple[float, int, int]] = []
    for k, g in enumerate(groups):
        outlets = {art[m] for m in g}
        if len(outlets) < 2:
            continue
        for outlet in sorted(outlets):
            mine = [m for m in g if art[m] == outlet]
            if len(mine) >= MAX_PER_OUTLET:
                continue
            others = [m for m in g if art[m] != outlet]
            rows = rows_of[outlet]
            near = {rows[q] for m in mine for q in range(max(0, place[m] - RUN_GAP), place[m] + RUN_GAP + 1)
                    if q < len(rows)}
            other_set = set(others)
            for r in sorted(near - set(mine)):
                if 2 * len(strong.get(r, set()) & other_set) > len(others):
                    candidates.append((_mean(scores, r, others), k, r))
    alone = {r: k for k, g in enumerate(groups) if len(g) == 1 for r in g}
    gone: set[int] = set()
    # strongest first; ties by the group's and the row's place in the story, not by row numbers alone
    for strength, k, r in sorted(candidates, key=lambda c: (-c[0], min(groups[c[1]]), c[2])):
        g = groups[k]
        if k in gone or r in g or sum(art[m] == art[r] for m in g) >= MAX_PER_OUTLET:
            continue
        if r in alone and alone[r] not in gone:
            gone.add(alone.pop(r))
        elif homes[r] >= MAX_GROUPS_PER_SENTENCE:
            continue
        else:
            homes[r] += 1
        g.append(r)
        if note is not None:
            note(TraceEvent("run", g[0], r, strength, "joined"))
    # two groups grown into the same set would only repeat one row: keep the first
    seen: set[tuple[int, ...]] = set()
    out: list[list[int]] = []
    for k, g in enumerate(groups):
        members = tuple(sorted(g))
        if k not in gone and members not in seen:
            seen.add(members)
            out.append(list(members))
    return out
