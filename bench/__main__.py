"""`make bench`: run every bench/bench_*.py module's main() in one process, one after another.

Each module prints its own labelled figures; ratios against plain
sentence-transformers are computed inside one run so machine speed cancels out.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main(argv: list[str]) -> int:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    wanted = [n for n in names if not argv or any(a in n for a in argv)]
    failed = 0
    table: dict[str, str] = {}  # a module's main() may return rows of the speed table (issue 19)
    for name in wanted:
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        try:
            rows = importlib.import_module(f"bench.{name}").main()
            if isinstance(rows, dict):
                table.update(rows)
        except Exception as exc:  # one broken bench must not hide the others' figures
            failed += 1
            print(f"{name} FAILED: {type(exc).__name__}: {exc}")
        print(f"({name} took {time.perf_counter() - start:.1f} s)", flush=True)
    if table:
        print("\n=== where users wait (issue 19's table) ===")
        for row, figure in table.items():
            print(f"{row:<55} {figure}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
