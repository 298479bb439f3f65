"""Pairwise P/R/F1 of the aligner on every answer key in tests/data/eval, at a few strictness levels.

    .venv/bin/python -m bench.evalrun [strictness ...]     (default 0.3 0.5 0.7)

Every ``tests/data/eval/*.json`` is discovered; its ``story`` field says where
the texts are ("demo" = the bundled demo, otherwise a folder under tests/data).
After the per-key lines, the macro-average F1 per strictness over the keys that
are not the demo's (held out from every design decision) and over all keys.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evalkey import Key, Scores, load_key, score  # noqa: E402
from reader.align.grouping import AlignmentBasis, group, prepare  # noqa: E402
from reader.model import Article  # noqa: E402

EVAL_DIR = ROOT / "tests" / "data" / "eval"


@dataclass(frozen=True)
class Case:
    key: Key
    articles: list[Article]
    basis: AlignmentBasis


def story_folder(story: str) -> Path:
    return ROOT / "resources" / "demo" / "tal-afar" if story == "demo" else ROOT / "tests" / "data" / story


def load_cases(embedder) -> list[Case]:
    from reader.pipeline import load_articles

    cases = []
    for path in sorted(EVAL_DIR.glob("*.json")):
        key = load_key(path)
        articles = list(load_articles(sorted(str(p) for p in story_folder(key.story).glob("*.txt"))))
        cases.append(Case(key, articles, prepare(articles, embedder)))
    return cases


def evaluate(cases: list[Case], levels: list[float]) -> dict[tuple[str, float], tuple[Scores, int]]:
    out = {}
    for case in cases:
        for s in levels:
            groups = group(case.basis, s)
            out[case.key.name, s] = (score(case.key, case.articles, groups), len(groups))
    return out


def main(argv: list[str]) -> int:
    from reader.embedding.embed import default_embedder

    levels = [float(x) for x in (argv or ["0.3", "0.5", "0.7"])]
    cases = load_cases(default_embedder())
    results = evaluate(cases, levels)
    for case in cases:
        for s in levels:
            sc, n_groups = results[case.key.name, s]
            print(
                f"{case.key.name:16s} s={s:.2f} P={sc.precision:.3f} R={sc.recall:.3f} F1={sc.f1:.3f} "
                f"lookalikes={sc.lookalikes_joined}/{sc.lookalikes} groups={n_groups}"
            )
    for s in levels:
        held = [results[c.key.name, s][0].f1 for c in cases if c.key.story != "demo"]
        every = [results[c.key.name, s][0].f1 for c in cases]
        print(
            f"macro F1 s={s:.2f}  non-demo ({len(held)} keys) {sum(held) / max(1, len(held)):.3f}  "
            f"all ({len(every)} keys) {sum(every) / max(1, len(every)):.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
