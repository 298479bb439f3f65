"""Why the aligner misses gold pairs and makes false ones, per answer key (tests/data/eval/*.json).

    .venv/bin/python -m bench.aligndiag [strictness]        (default 0.5)

Missed gold pairs (recall) are put under the first cause that applies to the
pair itself, replaying the link pass of ``reader.align.grouping.cluster``:

- ``not candidate``: the pair never made the sparse candidate table;
- ``score < t-slack``: a candidate, but too weak even to count for a join majority;
- ``t-slack <= score < t``: strong enough to support a join, not to start one;
- ``one-sided``: above ``t`` but not each other's best, and under the margin;
- ``shared outlet``: above ``t``, refused because the two groups already share an outlet;
- ``join majority``: above ``t``, refused because most cross pairs of the two groups do not link;
- ``linked, then apart``: cannot happen (groups only grow) unless a later move took it elsewhere.

``cap`` is the gold recall an ideal grouping could reach under one-sentence-per-outlet
(plus one split): the best of the gold facts cut down to one sentence per outlet.

False pairs (complete keys only) are broken down by the pair's own score (a direct
link, or only carried in by other members) and by what the sentences are in the key.
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter

import numpy as np

from bench.evalkey import _Story, gold_pairs
from bench.evalrun import load_cases
from reader.align.grouping import (
    LINK_SLACK,
    ONE_SIDED_MARGIN,
    _most_pairs_link,
    _Scores,
    _split_allowed,
    cluster,
    threshold,
)


def link_outcomes(table, article_of, strictness: float) -> dict[tuple[int, int], str]:
    """The link pass of ``cluster``, recording what happened to every edge at or above ``t``."""
    art = np.asarray(article_of).tolist()
    n = len(art)
    t = threshold(strictness)
    scores = _Scores(table, t - LINK_SLACK)
    order = np.lexsort((table.j, table.i, -table.score))
    cl_of = list(range(n))
    members = {r: [r] for r in range(n)}
    arts = {r: {art[r]} for r in range(n)}
    out: dict[tuple[int, int], str] = {}
    for p in order.tolist():
        s = float(table.score[p])
        if s < t:
            break
        a, b = int(table.i[p]), int(table.j[p])
        ca, cb = cl_of[a], cl_of[b]
        if ca == cb:
            out[a, b] = "already together"
            continue
        if not table.mutual[p] and s < t + ONE_SIDED_MARGIN:
            out[a, b] = "one-sided"
            continue
        if not arts[ca].isdisjoint(arts[cb]) and not _split_allowed(ca, cb, members, arts, art):
            out[a, b] = "shared outlet"
            continue
        if not _most_pairs_link(members[ca], members[cb], art, scores, t - LINK_SLACK):
            out[a, b] = "join majority"
            continue
        out[a, b] = "linked"
        keep, gone = (ca, cb) if ca < cb else (cb, ca)
        for r in members[gone]:
            cl_of[r] = keep
        members[keep].extend(members.pop(gone))
        arts[keep] |= arts.pop(gone)
    return out


def one_per_outlet_cap(case, story: _Story, row_of: dict[str, int]) -> int:
    """Gold pairs an ideal one-sentence-per-outlet grouping (one split allowed per fact) could hold.
    Each fact is cut down to its best selection greedily: one sentence per outlet, keeping the ones
    that bring the most pairs; the sentences left over count nothing (a lower bound of the true cap,
    close enough to show the ceiling)."""
    art = story.article_of
    reachable: set[tuple[str, str]] = set()
    for fact in case.key.facts:
        ids = sorted({story.find(n) for n in fact})
        per: dict[str, list[str]] = {}
        for sid in ids:
            per.setdefault(art[sid], []).append(sid)
        chosen = [v[0] for v in per.values()]
        # one split: the outlet with two consecutive sentences, if any, keeps both
        for v in per.values():
            rows = sorted(row_of[s] for s in v)
            if any(b - a == 1 for a, b in itertools.pairwise(rows)):
                k = next(i for i, (a, b) in enumerate(itertools.pairwise(rows)) if b - a == 1)
                chosen = [c for c in chosen if art[c] != art[v[0]]]
                sids = {row_of[s]: s for s in v}
                chosen += [sids[rows[k]], sids[rows[k + 1]]]
                break
        reachable |= story.cross_pairs(chosen)
    return len(reachable)


def diagnose(case, strictness: float) -> None:
    story = _Story(case.articles)
    ids = list(case.basis.sentence_ids)
    row_of = {sid: r for r, sid in enumerate(ids)}
    table = case.basis.pairs
    art = case.basis.article_of
    t = threshold(strictness)
    score_of = {(int(a), int(b)): float(s) for a, b, s in zip(table.i, table.j, table.score, strict=True)}
    outcomes = link_outcomes(table, art, strictness)
    groups = cluster(table, art, strictness)
    together: set[tuple[int, int]] = set()
    for g in groups:
        for x in range(len(g)):
            for y in g[x + 1 :]:
                if art[g[x]] != art[y]:
                    together.add((min(g[x], y), max(g[x], y)))
    gold = {tuple(sorted((row_of[a], row_of[b]))) for a, b in gold_pairs(case.key, case.articles)}
    missed = gold - together
    causes: Counter[str] = Counter()
    for a, b in missed:
        s = score_of.get((a, b))
        if s is None:
            causes["not candidate"] += 1
        elif s < t - LINK_SLACK:
            causes["score < t-slack"] += 1
        elif s < t:
            causes["t-slack <= score < t"] += 1
        else:
            causes[outcomes.get((a, b), "?")] += 1
    fact_rows = [{row_of[story.find(n)] for n in fact} for fact in case.key.facts]
    homes: dict[int, list[set[int]]] = {}
    for g in groups:
        for r in g:
            homes.setdefault(r, []).append(set(g))
    slot_taken = 0
    for a, b in missed:
        facts = [f for f in fact_rows if a in f and b in f]
        if any(
            any(m != y and art[m] == art[y] and m in f for m in g for f in facts)
            for x, y in ((a, b), (b, a))
            for g in homes[x]
        ):
            slot_taken += 1
    cap = one_per_outlet_cap(case, story, row_of) if case.key.facts else len(gold)
    print(
        f"{case.key.name}: gold {len(gold)}, found {len(gold & together)}, missed {len(missed)}; "
        f"one-per-outlet cap {cap} (recall <= {cap / max(1, len(gold)):.2f})"
    )
    for cause, k in causes.most_common():
        print(f"   missed  {cause:24s} {k:4d}")
    print(f"   (of the missed, {slot_taken}: the outlet already sits in the group with another sentence of the fact)")
    if not case.key.complete:
        return
    false = together - gold
    fact_of: dict[int, set[int]] = {}
    for f, fact in enumerate(case.key.facts):
        for n in fact:
            fact_of.setdefault(row_of[story.find(n)], set()).add(f)
    fcause: Counter[str] = Counter()
    for a, b in false:
        s = score_of.get((a, b), 0.0)
        how = "direct >= t" if s >= t else ("direct >= t-slack" if s >= t - LINK_SLACK else "carried in")
        what = "both in facts" if a in fact_of and b in fact_of else "one or both in no fact"
        fcause[f"{how}, {what}"] += 1
    print(f"   false pairs {len(false)} of {len(together)} predicted")
    for cause, k in fcause.most_common():
        print(f"   false   {cause:40s} {k:4d}")


def main(argv: list[str]) -> int:
    from reader.embedding.embed import default_embedder

    strictness = float(argv[0]) if argv else 0.5
    t = threshold(strictness)
    print(f"strictness {strictness}: t = {t:.3f}, t - slack = {t - LINK_SLACK:.3f}")
    for case in load_cases(default_embedder()):
        diagnose(case, strictness)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
