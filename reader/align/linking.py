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
   two other outlets and it matches most of their members at ``t`` itself; with
   one other outlet (no corroboration), only when it matches every member of
   that outlet at ``t + RESTATE_MARGIN`` and within ``LINK_SLACK`` of how well
   its own outlet's sentence does (as good a partner as the fact was built on). A
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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from reader.align.features import PairTable
from reader.align.pairscores import Scores, matches_most, mean_score

LINK_SLACK = 0.05
ONE_SIDED_MARGIN = 0.10
MAX_GROUPS_PER_SENTENCE = 2
MAX_PER_OUTLET = 3  # sentences of one outlet in one fact (rule 6): more and a row stops being one fact
RUN_GAP = 2  # rule 6: how far (in the outlet's own sentences) a run may reach from its member
# rule 6's bar above t; chosen on the real-news tuning half (0, 0.03, 0.06 with gaps 1-3 measured):
# pooled F1 0.377 -> 0.403 with no more look-alikes joined, invented stories unchanged (0.712)
RUN_MARGIN = 0.03
# Rule 5 with one other outlet: how far above t the restating sentence must match it. Tuning half of the
# real-news corpus: 0.1, 0.2 and 0.3 gave the same grouping; the middle is kept.
RESTATE_MARGIN = 0.2


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


def cluster(
    table: PairTable, article_of: np.ndarray, strictness: float, *, trace: Trace | None = None
) -> list[list[int]]:
    """Groups of row indices (unordered) for one strictness. See the module docstring for the rules."""
    art = np.asarray(article_of).tolist()
    t = threshold(strictness)
    t_link = t - LINK_SLACK
    scores = Scores(table, t_link)
    linked = _Linked(art)
    leftovers = linked.link(table, scores, t, trace)
    groups = {c: list(m) for c, m in linked.members.items()}
    _second_homes(table, leftovers, groups, linked.cl_of, linked.arts, art, scores, t, trace)
    out = [sorted(g) for g in groups.values()]
    return _runs(out, art, table, scores, t + RUN_MARGIN, trace)


class _Linked:
    """The link pass's groups as they grow (rules 1 and 2): ``cl_of`` maps a row to its group id, a group
    keeps the smaller id of the two it joins, and ``members``, ``arts`` (outlets) and ``msets`` (members
    as a set) are kept per id."""

    def __init__(self, art: list[int]) -> None:
        n = len(art)
        self.art = art
        self.cl_of = list(range(n))
        self.members: dict[int, list[int]] = {r: [r] for r in range(n)}
        self.arts: dict[int, set[int]] = {r: {art[r]} for r in range(n)}
        self.msets: dict[int, set[int]] = {r: {r} for r in range(n)}
        # A join majority depends only on the two groups, and a group id of a given size always holds the
        # same rows (groups only grow, and keep the smaller id): on large stories hundreds of strong pairs
        # ask again about the same two groups, so each answer is kept.
        self.majority: dict[tuple[int, int, int, int], bool] = {}

    def link(self, table: PairTable, scores: Scores, t: float, note: Trace | None) -> list[int]:
        """Take the pairs scoring ``t`` or more, strongest first; returns the refused ones that a later
        pass may still use (one-sided, shared outlet, join majority), in the order they were weighed."""
        order = np.lexsort((table.j, table.i, -table.score))  # strongest first; ties by row for determinism
        leftovers: list[int] = []
        for p in order.tolist():
            s = float(table.score[p])
            if s < t:
                break
            a, b = int(table.i[p]), int(table.j[p])
            outcome = self._outcome(bool(table.mutual[p]), s, a, b, scores, t)
            if outcome == "linked":
                self._join(self.cl_of[a], self.cl_of[b])
            elif outcome != "already together":
                leftovers.append(p)
            if note is not None:
                note(TraceEvent("link", a, b, s, outcome))
        return leftovers

    def _outcome(self, mutual: bool, s: float, a: int, b: int, scores: Scores, t: float) -> str:
        ca, cb = self.cl_of[a], self.cl_of[b]
        if ca == cb:
            return "already together"
        if not mutual and s < t + ONE_SIDED_MARGIN:
            return "one-sided"
        members, arts, art = self.members, self.arts, self.art
        if not arts[ca].isdisjoint(arts[cb]) and not _split_allowed(ca, cb, members, arts, art):
            return "shared outlet"
        if not _joins(ca, cb, members, self.msets, arts, art, scores, t - LINK_SLACK, self.majority):
            return "join majority"
        return "linked"

    def _join(self, ca: int, cb: int) -> None:
        keep, gone = (ca, cb) if ca < cb else (cb, ca)
        for r in self.members[gone]:
            self.cl_of[r] = keep
        self.members[keep].extend(self.members.pop(gone))
        self.arts[keep] |= self.arts.pop(gone)
        if len(self.msets[keep]) < len(self.msets[gone]):
            self.msets[keep], self.msets[gone] = self.msets[gone], self.msets[keep]
        self.msets[keep] |= self.msets.pop(gone)


def _second_homes(table: PairTable, leftovers: list[int], groups: dict[int, list[int]], cl_of: list[int],
                  arts: dict[int, set[int]], art: list[int], scores: Scores, t: float, note: Trace | None) -> None:
    """Rules 3 to 5 on the pairs the link pass refused: splits and merges first, then restatements."""
    extra: dict[int, int] = {}  # row -> how many groups it sits in beyond its own
    # restatements come last, in a pass of their own: taken earlier they would use up the one doubled
    # outlet a group may hold, or a sentence's second group, before a split or a merge is weighed
    for p, restating in [(p, False) for p in leftovers] + [(p, True) for p in leftovers]:
        a, b = int(table.i[p]), int(table.j[p])
        # Weigh every possible move for this pair and make the strongest: trying one direction first would
        # make the result depend on row numbers, i.e. on the order the articles were added.
        options: list[tuple[float, int, int, int]] = []
        for x, y in ((a, b), (b, a)):
            if restating:
                weighed = [(-1, _restate_strength(x, y, groups, cl_of, art, scores, t, extra))]
            else:
                weighed = [(1, _split_strength(x, y, groups, cl_of, art, scores, t - LINK_SLACK)),
                           (0, _merge_strength(x, y, groups, cl_of, arts, art, scores, t, extra))]
            options.extend((strength, kind, x, y) for kind, strength in weighed if strength is not None)
        if options:
            event = _move(max(options), groups, cl_of, arts, art, extra)
            if note is not None:
                note(event)


def _move(option: tuple[float, int, int, int], groups: dict[int, list[int]], cl_of: list[int],
          arts: dict[int, set[int]], art: list[int], extra: dict[int, int]) -> TraceEvent:
    """Make one weighed move (kind 1 split, 0 merge, -1 restatement) and say what it did."""
    strength, kind, x, y = option
    if kind == 1:  # x, alone, joins y's group as its outlet's second sentence
        groups[cl_of[y]].append(x)
        del groups[cl_of[x]]
        cl_of[x] = cl_of[y]
        return TraceEvent("split", y, x, strength, "joined")
    if kind == -1 and len(groups[cl_of[y]]) == 1:  # a restating y that was alone moves
        groups[cl_of[x]].append(y)
        del groups[cl_of[y]]
        cl_of[y] = cl_of[x]
    else:  # y keeps its group and takes x's as its second
        groups[cl_of[x]].append(y)
        arts[cl_of[x]].add(art[y])
        extra[y] = extra.get(y, 0) + 1
    return TraceEvent("restate" if kind == -1 else "merge", x, y, strength, "joined")


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
    if not matches_most(scores, x, others, t_link):
        return None
    return mean_score(scores, x, others)


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
    if not matches_most(scores, y, gx, t):
        return None
    return mean_score(scores, y, gx)


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
    if len({art[m] for m in others}) < 2:
        # One other outlet is no corroboration: y may be just a look-alike of its partner. It restates the
        # fact only if it matches every other member about as well as its own outlet's sentence does
        # (within LINK_SLACK) and by a clear margin over t: as good a partner as the fact was built on.
        bar = max([t + RESTATE_MARGIN] + [scores.get(same[0], m) - LINK_SLACK for m in others])
        if any(scores.get(y, m) < bar for m in others):
            return None
    elif not matches_most(scores, y, others, t):
        return None
    if any(y in g and same[0] in g for g in groups.values()):
        return None  # the two sentences already sit together: twice would only repeat that group
    return mean_score(scores, y, others)


def _runs(
    groups: list[list[int]], art: list[int], table: PairTable, scores: Scores, bar: float, note: Trace | None
) -> list[list[int]]:
    """Rule 6: sentences near their outlet's member of a shared fact join it when they match most of
    the other outlets' members at ``bar``. Candidates are weighed against the groups as they stand
    when the pass starts and taken strongest first, so the result does not depend on row numbers."""
    candidates = _run_candidates(groups, art, table, scores, bar)
    homes = [0] * len(art)
    for g in groups:
        for r in g:
            homes[r] += 1
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
    return _distinct(groups, gone)


def _run_candidates(
    groups: list[list[int]], art: list[int], table: PairTable, scores: Scores, bar: float
) -> list[tuple[float, int, int]]:
    """(mean score with the other outlets' members, group index, row) for every row within ``RUN_GAP`` of
    its outlet's member in a group that spans outlets and has room for it, matching most of the others."""
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
                    candidates.append((mean_score(scores, r, others), k, r))
    return candidates


def _distinct(groups: list[list[int]], gone: set[int]) -> list[list[int]]:
    """The groups left, sorted: two groups grown into the same set would only repeat one row, so the
    first is kept."""
    seen: set[tuple[int, ...]] = set()
    out: list[list[int]] = []
    for k, g in enumerate(groups):
        members = tuple(sorted(g))
        if k not in gone and members not in seen:
            seen.add(members)
            out.append(list(members))
    return out
