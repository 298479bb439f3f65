"""Pairwise P/R/F1 of the aligner on every answer key at a few strictness levels.

    .venv/bin/python bench/evalrun.py [strictness ...]     (default 0.3 0.5 0.7)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evalkey import load_key, score  # noqa: E402
from reader.align import group, prepare  # noqa: E402
from reader.embed import default_embedder  # noqa: E402
from reader.pipeline import load_articles  # noqa: E402

STORIES = {
    "demo-full": ("tests/data/eval/demo-full.json", "resources/demo/tal-afar"),
    "demo-old": ("tests/data/eval/demo.json", "resources/demo/tal-afar"),
    "jirgal": ("tests/data/eval/jirgal-quake.json", "tests/data/stories/jirgal-quake"),
    "tessel": ("tests/data/eval/tessel-flood.json", "tests/data/stories/tessel-flood"),
}


def main(argv: list[str]) -> int:
    levels = [float(x) for x in (argv or ["0.3", "0.5", "0.7"])]
    embedder = default_embedder()
    for name, (key_path, folder) in STORIES.items():
        key = load_key(ROOT / key_path)
        articles = load_articles(sorted(str(p) for p in (ROOT / folder).glob("*.txt")))
        basis = prepare(articles, embedder)
        for s in levels:
            groups = group(basis, s)
            sc = score(key, articles, groups)
            print(
                f"{name:10s} s={s:.2f} P={sc.precision:.3f} R={sc.recall:.3f} F1={sc.f1:.3f} "
                f"lookalikes={sc.lookalikes_joined}/{sc.lookalikes} groups={len(groups)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
