"""Alignment quality on the invented stories and the demo: the ONE source of every such figure.

    .venv/bin/python -m bench.evalrun [strictness ...]     (default 0.3 0.5 0.7)

Every ``tests/data/eval/*.json`` is discovered; its ``story`` field says where
the texts are ("demo" = the bundled demo, otherwise a folder under tests/data).
After the per-key lines, the macro-average F1 per strictness over the keys that
are not the demo's (held out from every design decision) and over all keys.

``make bench`` (``bench/bench_align.py``) prints ``report()``'s lines unchanged, and
``tests/core/align/test_align_quality.py`` floors the figures ``Case.scores`` gives, so
the bench, this command and the tests cannot disagree. Two choices are made here once:

- the scorer is ``bench.evalkey.score``. On a partial key it counts as wrong every
  predicted pair whose two sentences the key names in different facts, not only the
  key's listed look-alikes, so it is the stricter of the two scorers the benches used to
  have (the lenient one gave the demo's partial key F1 0.83 where this gives 0.67);
- the embedder is ``quality_embedder()``: the product's runtime, what users get.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import load_articles, story_paths  # noqa: E402
from bench.evalkey import Key, KeyFileError, Scores, load_key, score  # noqa: E402
from reader.align.grouping import AlignmentBasis, group, prepare  # noqa: E402
from reader.embedding.embed import Embedder  # noqa: E402
from reader.model import Article  # noqa: E402

EVAL_DIR = ROOT / "tests" / "data" / "eval"
LEVELS = (0.3, 0.5, 0.7)
SCORER = "bench.evalkey.score (a partial key's precision: over the pairs whose two sentences it names)"


def quality_embedder() -> Embedder:
    """The product's runtime, as the app and the command line encode (``reader.embedding.minilm``: ONNX
    Runtime where its graph is installed, else torch, bf16 there when the CPU has it natively), without
    the disk cache: the cache is keyed by model name only, so vectors another runtime once wrote there
    would be read back as this one's. The tests' ``real_embedder`` fixture makes the same call.

    Not the sentence-transformers reference (``ModelEmbedder``): it has no ``encode_pieces``, so under it
    the aligner's sentence pieces were encoded out of context, a path no user runs (demo-full F1 0.44 there,
    0.43 here; jirgal-quake recall 0.83 there, 0.79 here)."""
    from reader.embedding.embed import load_model_embedder

    return load_model_embedder()


def describe(embedder: Embedder) -> str:
    """Which embedder made the figures: its name, and its runtime once it has loaded one."""
    runtime = getattr(embedder, "runtime", "")
    if not runtime:
        return embedder.name
    return f"{embedder.name} on {runtime} {'bf16' if getattr(embedder, 'bf16', False) else 'fp32'}, no cache"


@dataclass(frozen=True)
class Case:
    key: Key
    articles: tuple[Article, ...]
    basis: AlignmentBasis

    def scores(self, strictness: float) -> tuple[Scores, int]:
        """The key's scores for the grouping at ``strictness``, and how many groups it made."""
        groups = group(self.basis, strictness)
        return score(self.key, self.articles, groups), len(groups)


def key_paths(keys_dir: Path | None = None) -> list[Path]:
    return sorted((keys_dir or EVAL_DIR).glob("*.json"))


def load_case(path: Path, embedder: Embedder) -> Case:
    key = load_key(path)
    paths = story_paths(key.story)
    if not paths:
        raise KeyFileError(f"{Path(path).name}: its story {key.story!r} has no .txt files")
    articles = tuple(load_articles(paths))
    return Case(key, articles, prepare(articles, embedder))


def load_cases(embedder: Embedder, keys_dir: Path | None = None) -> list[Case]:
    return [load_case(p, embedder) for p in key_paths(keys_dir)]


def evaluate(cases: Sequence[Case], levels: Sequence[float]) -> dict[tuple[str, float], tuple[Scores, int]]:
    return {(case.key.name, s): case.scores(s) for case in cases for s in levels}


def quality_cases(keys_dir: Path | None = None) -> tuple[Embedder, list[Case]]:
    """Every answer key's story, encoded by ``quality_embedder()``: what every quality figure is made from."""
    embedder = quality_embedder()
    return embedder, load_cases(embedder, keys_dir)


def report(embedder: Embedder, cases: Sequence[Case], levels: Sequence[float] = LEVELS) -> list[str]:
    """Every alignment-quality line, as both ``python -m bench.evalrun`` and ``make bench`` print it."""
    results = evaluate(cases, levels)
    lines = [
        f"embedder {describe(embedder)}",
        f"scorer   {SCORER}",
        f"{'key':<16} {'kind':<8} {'s':>4}  {'P':>5}  {'R':>5}  {'F1':>5}  look-alikes joined  gold pairs  groups",
    ]
    for case in cases:
        kind = "complete" if case.key.complete else "partial"
        for s in levels:
            sc, n_groups = results[case.key.name, s]
            joined = f"{sc.lookalikes_joined}/{sc.lookalikes}"
            lines.append(
                f"{case.key.name:<16} {kind:<8} {s:4.2f}  {sc.precision:.3f}  {sc.recall:.3f}  {sc.f1:.3f}  "
                f"{joined:>18}  {sc.gold_pairs:>10}  {n_groups:>6}"
            )
    for s in levels:
        held = [results[c.key.name, s][0].f1 for c in cases if c.key.story != "demo"]
        every = [results[c.key.name, s][0].f1 for c in cases]
        lines.append(
            f"macro F1 s={s:.2f}  non-demo ({len(held)} keys) {sum(held) / max(1, len(held)):.3f}  "
            f"all ({len(every)} keys) {sum(every) / max(1, len(every)):.3f}"
        )
    return lines


def main(argv: list[str]) -> int:
    try:
        levels = [float(x) for x in argv] or list(LEVELS)
    except ValueError:
        print(f"evalrun: strictness levels are numbers from 0 to 1, got {' '.join(argv)!r}", file=sys.stderr)
        return 2
    embedder, cases = quality_cases()
    print("\n".join(report(embedder, cases, levels)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
