"""Why the aligner misses gold pairs and makes false ones: the invented stories' keys, or real news.

    .venv/bin/python -m bench.aligndiag [--strictness S]                 invented stories and demo (tests/data/eval)
    .venv/bin/python -m bench.aligndiag --real [CLUSTER ...] [--show]   real-news clusters, tuning half only
    .venv/bin/python -m bench.aligndiag [--real] --ceiling              evidence or grouping? (bench.alignceiling)

The grouping is run once with ``reader.align.linking.cluster``'s trace hook, so
the causes below are what the aligner itself decided, never a copy of its loop.
Missed gold pairs (recall) are put under the first cause that applies to the pair:

- ``not candidate``: the pair never made the sparse candidate table;
- ``score < t-slack``: a candidate, but too weak even to count for a join majority;
- ``t-slack <= score < t``: strong enough to support a join, not to start one;
- ``one-sided``: above ``t`` but not each other's best, and under the margin;
- ``shared outlet``: above ``t``, refused because the two groups already share an outlet;
- ``join majority``: above ``t``, refused because most cross pairs of the two groups do not link;
- ``linked, then apart`` / ``already together``: the link pass held them together (cannot stay
  missed) or another link had already put them in one group.

``cap`` is the gold recall an ideal grouping could reach when a fact holds at most
``MAX_PER_OUTLET`` sentences of each outlet (the first ones of the key's list).

False pairs (complete keys only) are broken down by the pair's own score (a direct
link, or only carried in by other members), by the pass that brought the second
sentence in, and by what the sentences are in the key. ``--show`` prints every
missed and false pair's sentences (real clusters: tuning half only, never held out).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reader.align.features import PairTable
from reader.align.linking import LINK_SLACK, MAX_PER_OUTLET, TraceEvent, cluster, threshold

Pair = tuple[int, int]


@dataclass(frozen=True)
class Case:
    """One keyed story, reduced to rows: what the diagnosis needs from either kind of key."""

    name: str
    texts: tuple[str, ...]
    article_of: tuple[int, ...]
    table: PairTable
    facts: tuple[frozenset[int], ...]  # gold facts as body rows
    complete: bool
    lost_pairs: int = 0  # gold pairs on sentences cleaning removed: misses no grouping can find


def _cross(rows, art: Sequence[int]) -> set[Pair]:
    ordered = sorted(set(rows))
    return {(a, b) for x, a in enumerate(ordered) for b in ordered[x + 1 :] if art[a] != art[b]}


def gold_pairs(case: Case) -> set[Pair]:
    out: set[Pair] = set()
    for fact in case.facts:
        out |= _cross(fact, case.article_of)
    return out


def capped(case: Case) -> int:
    """Gold pairs reachable when each fact keeps at most MAX_PER_OUTLET sentences of each outlet."""
    art = case.article_of
    reach: set[Pair] = set()
    for fact in case.facts:
        per: dict[int, list[int]] = {}
        for r in sorted(fact):
            per.setdefault(art[r], []).append(r)
        reach |= _cross([r for rows in per.values() for r in rows[:MAX_PER_OUTLET]], art)
    return len(reach)


def diagnose(case: Case, strictness: float, show: bool = False) -> list[str]:
    art = list(case.article_of)
    table = case.table
    t = threshold(strictness)
    events: list[TraceEvent] = []
    groups = cluster(table, table_art(case), strictness, trace=events.append)
    outcome = {(min(e.a, e.b), max(e.a, e.b)): e.outcome for e in events if e.step == "link"}
    brought = {e.b: e.step for e in events if e.step != "link"}  # last pass that moved a row in
    score = {(int(a), int(b)): float(s) for a, b, s in zip(table.i, table.j, table.score, strict=True)}
    together: set[Pair] = set()
    for g in groups:
        together |= _cross(g, art)
    gold = gold_pairs(case)
    missed = gold - together
    causes: Counter[str] = Counter()
    for pair in missed:
        s = score.get(pair)
        if s is None:
            cause = "not candidate"
        elif s < t - LINK_SLACK:
            cause = "score < t-slack"
        elif s < t:
            cause = "t-slack <= score < t"
        else:
            cause = outcome.get(pair, "?")
        causes[cause] += 1
    total = len(gold) + case.lost_pairs
    cap = capped(case)
    out = [
        f"{case.name}: gold {total} ({case.lost_pairs} on lost sentences), found {len(gold & together)}, "
        f"missed {len(missed) + case.lost_pairs}; cap {cap} (recall <= {cap / max(1, total):.2f})"
    ]
    out += [f"   missed  {cause:24s} {k:4d}" for cause, k in causes.most_common()]
    passes = Counter(e.step for e in events if e.step != "link")
    out.append("   later passes: " + (", ".join(f"{k} {v}" for k, v in sorted(passes.items())) or "none"))
    false = together - gold if case.complete else set()
    if case.complete:
        in_fact = {r for f in case.facts for r in f}
        fcause: Counter[str] = Counter()
        for a, b in false:
            s = score.get((a, b), 0.0)
            how = "direct >= t" if s >= t else ("direct >= t-slack" if s >= t - LINK_SLACK else "carried in")
            via = brought.get(b) or brought.get(a) or "link"
            what = "both in facts" if a in in_fact and b in in_fact else "one or both in no fact"
            fcause[f"{how}, via {via}, {what}"] += 1
        out.append(f"   false pairs {len(false)} of {len(together)} predicted")
        out += [f"   false   {cause:52s} {k:4d}" for cause, k in fcause.most_common()]
    if show:
        for label, pairs in (("missed", sorted(missed)), ("false", sorted(false))):
            for a, b in pairs:
                s = score.get((a, b))
                why = "" if label == "false" else f" [{outcome.get((a, b), '-')}]"
                out.append(f"   {label} {'-' if s is None else f'{s:.3f}'}{why}")
                out.append(f"      {a}: {case.texts[a]}")
                out.append(f"      {b}: {case.texts[b]}")
    return out


def table_art(case: Case):
    import numpy as np

    return np.asarray(case.article_of, dtype=np.int64)


def invented_cases(embedder) -> list[Case]:
    from bench.evalkey import _Story
    from bench.evalrun import load_cases

    out = []
    for c in load_cases(embedder):
        story = _Story(c.articles)
        row_of = {sid: r for r, sid in enumerate(c.basis.sentence_ids)}
        facts = [frozenset(row_of[story.find(n)] for n in fact) for fact in c.key.facts]
        facts += [frozenset((row_of[story.find(a)], row_of[story.find(b)])) for a, b in c.key.pairs]
        texts = tuple(s.text for a in c.articles for s in a.sentences)
        out.append(Case(c.key.name, texts, tuple(c.basis.article_of.tolist()), c.basis.pairs, tuple(facts),
                        c.key.complete))
    return out


def real_cases(embedder, wanted: Sequence[str]) -> list[Case]:
    """Tuning-half clusters only: the held-out half is scored by bench.realeval, never explained."""
    from bench.realeval import committed
    from bench.realkey import Locator, is_body, is_headline, load_realkey
    from bench.realnews import CLUSTERS, DEFAULT_OUT, KEYS_DIR, cluster_files
    from reader.align.grouping import prepare
    from reader.pipeline import load_articles

    known = {c.id: c for c in CLUSTERS}
    for name in wanted:
        if name not in known:
            raise SystemExit(f"aligndiag: no real-news cluster named {name!r}")
        if known[name].held_out:
            raise SystemExit(f"aligndiag: {name} is in the held-out half; it is scored by bench.realeval only")
    out = []
    for c in CLUSTERS:
        key_path = KEYS_DIR / f"{c.id}.json"
        if c.held_out or (wanted and c.id not in wanted) or not (DEFAULT_OUT / c.id).is_dir():
            continue
        if not key_path.is_file() or not committed(key_path):
            continue
        articles = load_articles([str(p) for p in cluster_files(DEFAULT_OUT / c.id)])
        basis = prepare(articles, embedder)
        loc = Locator(articles)
        key = load_realkey(key_path)
        row_of = {sid: r for r, sid in enumerate(basis.sentence_ids)}
        facts = tuple(frozenset(row_of[loc.find(r)] for r in f.refs if is_body(loc.find(r))) for f in key.facts)
        every: set[tuple[str, str]] = set()
        for f in key.facts:
            ids = sorted({loc.find(r) for r in f.refs if not is_headline(loc.find(r))})
            every |= {(x, y) for n, x in enumerate(ids) for y in ids[n + 1 :] if x.split(".")[0] != y.split(".")[0]}
        lost = sum(1 for x, y in every if not (is_body(x) and is_body(y)))
        texts = tuple(s.text for a in articles for s in a.sentences)
        out.append(Case(c.id, texts, tuple(basis.article_of.tolist()), basis.pairs, facts, key.complete, lost))
    return out


def main(argv: list[str]) -> int:
    from reader.embedding.embed import default_embedder

    parser = argparse.ArgumentParser(prog="python -m bench.aligndiag")
    parser.add_argument("--strictness", type=float, default=0.5)
    parser.add_argument("--real", nargs="*", metavar="CLUSTER", help="real-news clusters (tuning half); none = all")
    parser.add_argument("--show", action="store_true", help="print every missed and false pair's sentences")
    parser.add_argument(
        "--ceiling", action="store_true", help="evidence or grouping? best threshold and refit F1"
    )
    args = parser.parse_args(argv)
    t = threshold(args.strictness)
    print(f"strictness {args.strictness}: t = {t:.3f}, t - slack = {t - LINK_SLACK:.3f}")
    embedder = default_embedder()
    cases = real_cases(embedder, args.real) if args.real is not None else invented_cases(embedder)
    if args.ceiling:
        from bench.alignceiling import ceiling

        print("\n".join(ceiling(cases, args.strictness)))
        return 0
    for case in cases:
        print("\n".join(diagnose(case, args.strictness, args.show)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
