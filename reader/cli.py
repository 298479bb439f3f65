"""``python -m reader compare SOURCE... [--json OUT] [--html OUT] ...`` (also ``parallax compare``).

Prints a readable summary and writes the comparison in the formats asked for.
Bad input ends with one line on stderr and exit status 2, never a traceback;
no file the user named as a source is ever written to.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from reader import __version__
from reader.errors import Cancelled, ParallaxError
from reader.fileio import atomic_write_text
from reader.model import Comparison
from reader.paths import log_dir
from reader.progress import Progress

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130

log = logging.getLogger("parallax")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse prints usage + exits 2; keep it to one line
        raise ParallaxError(f"{message} (see 'python -m reader compare --help')")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="parallax", description="Compare news articles about one event, fact by fact.")
    p.add_argument("--version", action="version", version=f"parallax {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("compare", help="compare two or more articles (files or http(s) URLs)")
    c.add_argument("sources", nargs="+", metavar="SOURCE", help="file (.txt .md .html .docx .eml) or http(s) URL")
    c.add_argument("--json", metavar="OUT", help="write the source-compare/1 JSON")
    c.add_argument("--html", metavar="OUT", help="write a self-contained HTML report")
    c.add_argument("--pdf", metavar="OUT", help="write a PDF report (through Qt's printing support)")
    c.add_argument("--csv", metavar="OUT", help="write the differences as CSV")
    c.add_argument("--md", metavar="OUT", help="write a Markdown report")
    c.add_argument("--worksheet", metavar="OUT", help="write a classroom worksheet (HTML) and OUT's answer sheet")
    c.add_argument("--strictness", type=float, default=0.5, help="match strictness 0..1 (default 0.5)")
    c.add_argument("--no-cache", action="store_true", help="do not read or write the embedding cache")
    c.add_argument("-q", "--quiet", action="store_true", help="print no summary")
    return p


def _html(c: Comparison) -> str:
    from reader.reports.html import render_html

    return render_html(c)


def _markdown(c: Comparison) -> str:
    from reader.reports.markdown import render_markdown

    return render_markdown(c)


def _csv(c: Comparison) -> str:
    from reader.reports.csvout import render_csv

    return render_csv(c)


def _json(c: Comparison) -> str:
    from reader.reports.jsonout import to_json

    return json.dumps(to_json(c), ensure_ascii=False, indent=2) + "\n"


TEXT_WRITERS: dict[str, Callable[[Comparison], str]] = {"json": _json, "html": _html, "md": _markdown, "csv": _csv}


def _check_outputs(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """Refuse, before any work, outputs that would overwrite a source or cannot be written."""
    inputs = {Path(s).resolve() for s in args.sources if "://" not in s}
    outputs = []
    for kind in ("json", "html", "md", "csv", "pdf", "worksheet"):
        value = getattr(args, kind)
        if value is None:
            continue
        path = Path(value)
        if path.resolve() in inputs:
            raise ParallaxError(f"--{kind} {value} is one of the sources; refusing to overwrite it")
        if not path.parent.resolve().is_dir():
            raise ParallaxError(f"--{kind} {value}: folder {path.parent} does not exist")
        outputs.append((kind, path))
    if not 0.0 <= args.strictness <= 1.0:
        raise ParallaxError(f"--strictness must be between 0 and 1, got {args.strictness}")
    return outputs


def _write_pdf(comparison: Comparison, out: Path) -> None:
    # Qt lives in ui/, never in the core: the PDF is printed by a child process.
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "report.html"
        html_path.write_text(_html(comparison), encoding="utf-8")
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        root = Path(__file__).resolve().parent.parent
        done = subprocess.run(
            [sys.executable, "-m", "ui.pdfexport", str(html_path), str(out)],
            cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False,
        )
        if done.returncode != 0:
            lines = (done.stderr or done.stdout or "").strip().splitlines()
            raise ParallaxError(f"could not write PDF {out}: {lines[-1] if lines else 'printer failed'}")


def _write_outputs(comparison: Comparison, outputs: list[tuple[str, Path]]) -> None:
    for kind, path in outputs:
        try:
            if kind == "pdf":
                _write_pdf(comparison, path)
            elif kind == "worksheet":
                from reader.reports.worksheet import render_answer_sheet, render_worksheet

                atomic_write_text(path, render_worksheet(comparison))
                answers = path.with_name(f"{path.stem}-answers{path.suffix or '.html'}")
                atomic_write_text(answers, render_answer_sheet(comparison))
            else:
                atomic_write_text(path, TEXT_WRITERS[kind](comparison))
        except OSError as exc:
            raise ParallaxError(f"could not write {path}: {exc.strerror or exc}") from exc


def summary(comparison: Comparison) -> str:
    """A few lines a person reads in a terminal: outlets, shared facts, the top differences."""
    arts = comparison.articles
    by_id = {a.id: a for a in arts}
    lines = [f"{len(arts)} articles, model {comparison.model}, strictness {comparison.strictness:.2f}"]
    for a in arts:
        lines.append(f"  {a.id}  {a.outlet}: {a.title[:70]} ({len(a.sentences)} sentences, {len(a.removed)} removed)")
    outlets_per_group = [len({comparison.article_of(s).id for s in g.sentences}) for g in comparison.groups]
    shared = sum(1 for n in outlets_per_group if n >= 2)
    lines.append(f"Facts: {len(comparison.groups)} in all, {shared} reported by two or more outlets, "
                 f"{len(comparison.groups) - shared} by one outlet alone")
    kinds = Counter(d.kind for d in comparison.discrepancies)
    lines.append("Differences: " + (", ".join(f"{n} {k}" for k, n in kinds.most_common()) or "none"))
    for d in comparison.discrepancies[:12]:
        lines.append(f"  [{d.kind}] {d.summary}")
    if comparison.agreements:
        lines.append(f"Corroborated figures: {len(comparison.agreements)}")
        for ag in comparison.agreements[:8]:
            outlets = ", ".join(by_id[o].outlet if o in by_id else o for o in ag.outlets)
            lines.append(f"  {ag.value} ({outlets})")
    return "\n".join(lines)


def _progress_printer(enabled: bool) -> Callable[[Progress], None]:
    def show(p: Progress) -> None:
        if enabled:
            print(f"\r{p.stage:>8}: {p.done}/{p.total} {p.message[:60]:<60}", end="", file=sys.stderr, flush=True)
    return show


def _run_compare(args: argparse.Namespace) -> int:
    outputs = _check_outputs(args)
    from reader.embedding.embed import default_embedder, load_model_embedder
    from reader.pipeline import compare

    embedder = load_model_embedder() if args.no_cache else default_embedder()
    tty = sys.stderr.isatty() and not args.quiet
    comparison = compare(args.sources, embedder, strictness=args.strictness, progress=_progress_printer(tty))
    if tty:
        print(file=sys.stderr)
    _write_outputs(comparison, outputs)
    if not args.quiet:
        print(summary(comparison))
        for kind, path in outputs:
            print(f"Wrote {kind.upper()}: {path}")
    return 0


def _log_crash() -> Path | None:
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "crash.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        return path
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(argv)
        return _run_compare(args)
    except ParallaxError as exc:
        print(f"parallax: error: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (Cancelled, KeyboardInterrupt):
        print("parallax: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MemoryError:
        print("parallax: error: not enough memory for these sources", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug: one line for the user, the traceback for us
        where = _log_crash()
        hint = f" (details in {where})" if where else ""
        print(f"parallax: internal error: {type(exc).__name__}: {exc}{hint}", file=sys.stderr)
        return EXIT_INTERNAL
