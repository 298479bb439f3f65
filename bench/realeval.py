"""Parallax measured on real news: every built cluster of .realnews/ that has a key in bench/realkeys/.

    .venv/bin/python -m bench.realeval [--half tuning|held-out|all] [--strictness S] [--explain CLUSTER]

Per cluster and per half (tuning and held-out apart, never pooled together):
alignment precision / recall / F1 and look-alikes joined; differences: must and
optional found, flags that match a key difference, hit a trap or are not in the
key; agreements right. ``--explain`` prints, for one cluster, each missed must,
each false flag, each wrong agreement and each missed or false sentence pair with
its sentences, so a person can read them. Scoring rules: bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.realkey import AlignScore, DiffScore, Locator, RealKey, load_realkey, score_alignment, score_differences  # noqa: E402
from bench.realnews import CLUSTERS, DEFAULT_OUT, KEYS_DIR, Cluster, cluster_files  # noqa: E402
from reader.model import SURE_CONFIDENCE, Comparison  # noqa: E402

NOT_BUILT = (
    "real-news corpus not built: python -m bench.realnews build --basil GITDIR --multinews GITDIR (see bench/README.md)"
)


@dataclass(frozen=True)
class Result:
    cluster: Cluster
    key: RealKey
    comparison: Comparison
    locator: Locator
    align: AlignScore
    diffs: DiffScore


def evaluate(cluster: Cluster, key: RealKey, embedder, strictness: float, corpus: Path = DEFAULT_OUT) -> Result:
    from reader.align.grouping import prepare
    from reader.pipeline import build_comparison, load_articles

    articles = load_articles([str(p) for p in cluster_files(corpus / cluster.id)])
    comparison = build_comparison(articles, prepare(articles, embedder), strictness)
    loc = Locator(articles)
    return Result(
        cluster, key, comparison, loc, score_alignment(key, loc, comparison), score_differences(key, loc, comparison)
    )


def _pct(num: int, den: int) -> str:
    return f"{num}/{den}" if den else "-"


def _row(name: str, r_align: list[AlignScore], r_diff: list[DiffScore]) -> str:
    gold = sum(a.gold for a in r_align)
    found = sum(a.found for a in r_align)
    pred = sum(a.predicted for a in r_align)
    correct = sum(a.correct for a in r_align)
    p = correct / pred if pred else 1.0
    r = found / gold if gold else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    macro = sum(a.f1 for a in r_align) / len(r_align) if r_align else 0.0
    looks = f"{sum(a.lookalikes_joined for a in r_align)}/{sum(a.lookalikes for a in r_align)}"
    shown = sum(a.sentences_shown for a in r_align)
    s_p = sum(a.partner_share for a in r_align) / shown if shown else 1.0
    s_gold = sum(a.sentences_gold for a in r_align)
    s_r = sum(a.sentences_found for a in r_align) / s_gold if s_gold else 1.0
    flags = sum(len(d.flags) for d in r_diff)
    right = sum(d.count("right") for d in r_diff)
    trap = sum(d.count("trap") for d in r_diff)
    other = sum(d.count("unmentioned") for d in r_diff)
    # The app lists flags under SURE apart, as "worth a look": the confident ones are counted alone too.
    sure = [f for d in r_diff for f in d.flags if f.flag.confidence >= SURE_CONFIDENCE]
    sure_right = _pct(sum(1 for f in sure if f.verdict == "right"), len(sure))
    sure_trap = sum(1 for f in sure if f.verdict == "trap")
    must = _pct(sum(d.must_found for d in r_diff), sum(d.must for d in r_diff))
    opt = _pct(sum(d.optional_found for d in r_diff), sum(d.optional for d in r_diff))
    agr = _pct(sum(d.agreements_right() for d in r_diff), sum(len(d.agreements) for d in r_diff))
    kagr = _pct(sum(d.key_agreements_found for d in r_diff), sum(d.key_agreements for d in r_diff))
    return (
        f"{name:22s} P={p:.2f} R={r:.2f} F1={f1:.2f} (macro {macro:.2f}) sentences P={s_p:.2f} R={s_r:.2f} "
        f"look-alikes joined {looks:7s} | "
        f"must {must:6s} optional {opt:6s} | flags {flags:3d}: right {right:3d} trap {trap:2d} not in key {other:3d} "
        f"(sure: right {sure_right:6s} trap {sure_trap}) | "
        f"agreements right {agr:7s} key's found {kagr}"
    )


def _losses(r: Result) -> str:
    lost, heads = r.align.lost_sentences, r.align.headline_pairs
    if not lost and not heads:
        return ""
    return f"   (key sentences cleaning lost: {lost}; gold pairs on headlines, not counted: {heads})"


def flag_listing(r: Result) -> list[str]:
    """Every flag that matches no key difference, with its sentences, for a person to read."""
    out = []
    for f in r.diffs.flags:
        if f.verdict == "right":
            continue
        why = f" (trap: {f.entry.kind}, {f.entry.what})" if f.entry else ""
        out.append(f"  [{f.verdict}] [{f.flag.kind}/{f.flag.detail} {f.flag.confidence:.2f}] {f.flag.summary}{why}")
        out += [f"      {v.text!r} in {_text(r, v.sentence)}" for v in f.flag.values]
    return out


def summary(results: list[Result], *, flags: bool = False) -> list[str]:
    lines = []
    for half in ("tuning", "held-out"):
        part = [r for r in results if r.cluster.held_out == (half == "held-out")]
        if not part:
            continue
        lines.append(f"--- {half} half ({len(part)} clusters)")
        for r in part:
            lines.append(_row(r.cluster.id, [r.align], [r.diffs]) + _losses(r))
            if flags:
                lines += flag_listing(r)
        rounds = sorted({r.cluster.round for r in part})
        if len(rounds) > 1:
            for rnd in rounds:
                sub = [r for r in part if r.cluster.round == rnd]
                lines.append(_row(f"TOTAL {half} r{rnd}", [r.align for r in sub], [r.diffs for r in sub]))
        lines.append(_row(f"TOTAL {half}", [r.align for r in part], [r.diffs for r in part]))
    return lines


def _text(r: Result, sid: str) -> str:
    if sid not in r.comparison.sentence_index:
        return f"[{sid}]"
    art = r.comparison.article_of(sid)
    return f"{art.outlet} {sid}: {r.comparison.sentence(sid).text}"


def explain(r: Result) -> list[str]:
    out = [f"=== {r.cluster.id} ({'held-out' if r.cluster.held_out else 'tuning'}): {r.cluster.beat}"]
    out.append(_row(r.cluster.id, [r.align], [r.diffs]))
    out.append(
        f"lost key sentences: {r.align.lost_sentences}; gold pairs on headlines (not counted): "
        f"{r.align.headline_pairs}; key differences on headlines only: {r.diffs.headline_only}"
    )
    out.append("\n-- key differences missed")
    for d in r.diffs.missed:
        out.append(f"* [{d.level} {d.kind}] {d.what}")
        out += [f"    {v.words!r} in {_text(r, r.locator.find(v.ref))}" for v in d.values]
    for verdict in ("trap", "unmentioned"):
        out.append(f"\n-- flags: {verdict}")
        for f in r.diffs.flags:
            if f.verdict != verdict:
                continue
            why = f" (trap: {f.entry.kind}, {f.entry.what})" if f.entry else ""
            out.append(f"* [{f.flag.kind}/{f.flag.detail} {f.flag.confidence:.2f}] {f.flag.summary}{why}")
            out += [f"    {v.text!r} in {_text(r, v.sentence)}" for v in f.flag.values]
    out.append("\n-- flags: right")
    out += [
        f"* [{f.flag.kind}] {f.flag.summary}  = key: {f.entry.what}"
        for f in r.diffs.flags
        if f.verdict == "right" and f.entry
    ]
    out.append("\n-- agreements not right")
    for a in r.diffs.agreements:
        if a.verdict != "right":
            out.append(f"* {a.verdict}: {a.agreement.value!r}")
            out += [f"    {_text(r, s)}" for s in a.agreement.sentences]
    out.append("\n-- missed sentence pairs, by key fact")
    missed = set(r.align.missed)
    for fact in r.key.facts:
        ids = {r.locator.find(x) for x in fact.refs}
        pairs = [p for p in missed if p[0] in ids and p[1] in ids]
        if pairs:
            out.append(f"* {fact.label} ({len(pairs)} pairs)")
            for a, b in pairs:
                out += [f"    {_text(r, a)}", f"  ~ {_text(r, b)}"]
    out.append("\n-- false sentence pairs")
    for a, b in r.align.false:
        out += [f"    {_text(r, a)}", f"  ~ {_text(r, b)}"]
    return out


def committed(path: Path) -> bool:
    """A key is used only once it is committed as it stands: keys are written blind and committed before
    Parallax first runs on their cluster, and this keeps it so (outside a git checkout, every key counts)."""
    import subprocess

    if not (ROOT / ".git").exists():
        return True
    rel = str(path.relative_to(ROOT))
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", rel], cwd=ROOT, capture_output=True)
    changed = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", rel], cwd=ROOT, capture_output=True)
    return tracked.returncode == 0 and changed.returncode == 0


def run(
    half: str = "all",
    strictness: float = 0.5,
    explain_id: str | None = None,
    corpus: Path = DEFAULT_OUT,
    *,
    flags: bool = False,
    rounds: frozenset[int] | None = None,
) -> int:
    if not corpus.is_dir() or not any(corpus.iterdir()):
        print(NOT_BUILT)
        return 0
    from reader.embedding.embed import default_embedder

    embedder = default_embedder()
    wanted = [c for c in CLUSTERS if (corpus / c.id).is_dir() and (KEYS_DIR / f"{c.id}.json").is_file()]
    unready = [c.id for c in wanted if not committed(KEYS_DIR / f"{c.id}.json")]
    if unready:
        print(f"not scored, their keys are not committed as they stand: {', '.join(unready)}")
        wanted = [c for c in wanted if c.id not in unready]
    if explain_id:
        wanted = [c for c in wanted if c.id == explain_id]
        if not wanted:
            print(f"realeval: no built, keyed cluster named {explain_id!r}", file=sys.stderr)
            return 2
    elif half != "all":
        wanted = [c for c in wanted if c.held_out == (half == "held-out")]
    if rounds is not None and not explain_id:
        wanted = [c for c in wanted if c.round in rounds]
    results = [evaluate(c, load_realkey(KEYS_DIR / f"{c.id}.json"), embedder, strictness, corpus) for c in wanted]
    lines = explain(results[0]) if explain_id else summary(results, flags=flags)
    print("\n".join(lines))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realeval")
    parser.add_argument("--half", choices=("tuning", "held-out", "all"), default="all")
    parser.add_argument("--strictness", type=float, default=0.5)
    parser.add_argument("--explain", metavar="CLUSTER")
    parser.add_argument("--flags", action="store_true", help="list every flag the key does not match, with sentences")
    parser.add_argument("--round", choices=("1", "2", "3", "all"), default="all", help="the clusters of one round only")
    args = parser.parse_args(argv)
    rounds = None if args.round == "all" else frozenset({int(args.round)})
    return run(args.half, args.strictness, args.explain, flags=args.flags, rounds=rounds)


if __name__ == "__main__":
    raise SystemExit(main())
