"""Parallax: ``python main.py [SOURCE...]`` opens the reader; ``parallax compare ...`` runs the command line.

Neither Qt nor torch is imported before it is needed: ``compare`` never loads Qt,
and the window shows before the sentence model is touched.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if args and args[0] in {"compare", "--version"}:
        if argv is None:  # a process of its own (the console script), as `python -m reader`: see reader/__main__.py
            from reader.embedding.runtimes import keep_torch_out_if_unused

            keep_torch_out_if_unused()
        from reader.cli import main as cli_main

        return cli_main(args)
    try:
        from ui.app import run
    except ImportError as exc:  # no Qt: say so in one line instead of a traceback
        print(f"parallax: the desktop app needs PySide6 ({exc})", file=sys.stderr)
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
