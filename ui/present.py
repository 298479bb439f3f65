"""Present a comparison to a class from the command line: ``python -m ui.present PROJECT.parallax | SOURCE...``.

``--screenshot OUT.png`` renders one screen (1600x900) and exits, for documentation and tests;
``--fact N`` opens on fact N as the app numbers it; ``--reveal K`` reveals K differences first.
"""

from __future__ import annotations

from reader.model import Comparison
from ui.classroom import ClassroomView


def _comparison_from(specs: list[str], strictness: float | None, fake: bool) -> Comparison:
    """A project file, or sources to compare, as the presentation's comparison (real model unless ``fake``)."""
    from reader.align.grouping import prepare
    from reader.pipeline import build_comparison, load_articles, require_comparable
    from reader.project.projectfile import load_project, project_articles

    if len(specs) == 1 and specs[0].lower().endswith(".parallax"):
        project = load_project(specs[0])
        articles = project_articles(project)
        chosen = project.strictness if strictness is None else strictness
    else:
        articles = load_articles(specs)
        chosen = 0.5 if strictness is None else strictness
    require_comparable(articles)
    if fake:  # for trying the screen without the model: a hashing embedder, weak but real
        import hashlib

        import numpy as np

        class _Hashing:
            name = "hashing"

            def encode(self, texts):  # type: ignore[no-untyped-def]
                out = np.zeros((len(texts), 256), dtype=np.float32)
                for row, text in enumerate(texts):
                    for word in text.lower().split():
                        out[row, hashlib.blake2b(word.encode(), digest_size=4).digest()[0]] += 1.0
                    out[row] /= max(1e-6, float(np.linalg.norm(out[row])))
                return out

        embedder = _Hashing()
    else:
        from reader.embedding.embed import default_embedder

        embedder = default_embedder()
    return build_comparison(articles, prepare(articles, embedder), chosen)


def main(argv: list[str] | None = None) -> int:
    """``python -m ui.present PROJECT.parallax | SOURCE... [--screenshot OUT.png --fact N --reveal K]``."""
    import argparse
    import sys

    from PySide6.QtWidgets import QApplication

    from reader.errors import ParallaxError

    p = argparse.ArgumentParser(prog="python -m ui.present", description="Present a comparison to a class.")
    p.add_argument("sources", nargs="+", help="a .parallax project, or two or more article files")
    p.add_argument("--screenshot", metavar="PNG", help="render one screen to PNG (1600x900) and exit")
    p.add_argument("--fact", type=int, default=1,
                   help="fact number to show first, as the app numbers it (or the next fact several outlets tell)")
    p.add_argument("--reveal", type=int, default=0, help="differences to reveal on that fact (screenshot)")
    p.add_argument("--strictness", type=float, default=None)
    p.add_argument("--fake-embedder", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        comparison = _comparison_from(args.sources, args.strictness, args.fake_embedder)
    except ParallaxError as exc:
        print(f"classroom: {exc.message}", file=sys.stderr)
        return 2
    view = ClassroomView(comparison)
    if 1 <= args.fact <= len(view.table.facts):
        view.go_to_group(view.table.facts[args.fact - 1].group)
    if args.screenshot:
        view.resize(1600, 900)
        view.show()
        for _ in range(args.reveal):
            view.reveal_next()
        app.processEvents()
        return 0 if view.grab().save(args.screenshot) else 1
    view.start()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
