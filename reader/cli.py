"""``python -m reader compare SOURCE... [--json OUT] [--html OUT] ...`` (also ``parallax compare``).

Prints a readable summary and writes the comparison in the formats asked for.
Every output is checked before any work (``reader.reports.export``): a bad one
ends the run at once, never after a comparison of minutes. A source that cannot
be read is reported in one line and left out, as the app does; the run goes on
while two or more articles remain, and its exit status says so:

    0   compared every source, outputs written
    1   internal error (a bug: one line here, the traceback in the log folder)
    2   bad input: nothing compared, nothing written (one line on stderr)
    3   compared, outputs written, but some sources were skipped (one line each on stderr)
    130 / 143 / 129   interrupted by SIGINT / SIGTERM / SIGHUP: no partial output left behind
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import signal
import sys
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from reader import __version__
from reader.errors import Cancelled, ParallaxError
from reader.model import Comparison
from reader.paths import log_dir
from reader.progress import Progress
from reader.reports.export import (
    KINDS,
    PdfWriter,
    installed_pdf_writer,
    no_pdf_writer_message,
    plan_exports,
    write_exports,
)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_SKIPPED = 3
EXIT_INTERRUPTED = 130

log = logging.getLogger("parallax")

_EXIT_HELP = """exit status: 0 all compared; 2 bad input, nothing written; 3 compared and written, but some
sources could not be read (each named on stderr); 1 internal error; 130/143 interrupted, nothing half-written."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse prints usage + exits 2; keep it to one line
        raise ParallaxError(f"{message} (see 'python -m reader compare --help')")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="parallax", description="Compare news articles about one event, fact by fact.")
    p.add_argument("--version", action="version", version=f"parallax {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("compare", help="compare two or more articles (files or http(s) URLs)", epilog=_EXIT_HELP)
    c.add_argument("sources", nargs="+", metavar="SOURCE", help="file (.txt .md .html .docx .eml) or http(s) URL")
    c.add_argument("--json", metavar="OUT", help="write the source-compare/1 JSON")
    c.add_argument("--html", metavar="OUT", help="write a self-contained HTML report")
    c.add_argument("--pdf", metavar="OUT", help="write a PDF report (through Qt's printing support)")
    c.add_argument("--csv", metavar="OUT", help="write the differences as CSV")
    c.add_argument("--md", metavar="OUT", help="write a Markdown report")
    c.add_argument("--worksheet", metavar="OUT", help="write a classroom worksheet (HTML) and OUT-answers.html")
    c.add_argument("--strictness", type=float, default=0.5, help="match strictness 0..1 (default 0.5)")
    c.add_argument("--no-cache", action="store_true", help="do not read or write the caches (vectors, kept results)")
    c.add_argument("-q", "--quiet", action="store_true", help="print no summary")
    return p


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


def _quiet_model_loading() -> None:
    """No library progress bars ("Loading weights …") on stderr: the command line draws its own, or none with -q."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # read by huggingface_hub and transformers at import
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TQDM_DISABLE", "1")
    transformers_logging = sys.modules.get("transformers.utils.logging")
    if transformers_logging is not None:  # already imported (a test calling main in-process)
        transformers_logging.disable_progress_bar()


def _checked_strictness(value: float) -> float:
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ParallaxError(f"--strictness must be between 0 and 1, got {value}")
    return value


def _too_few(errors: list[str], readable: int) -> str:
    """The one line for a run that cannot go on: the first unreadable source, and what is left."""
    more = f" (and {len(errors) - 1} more sources could not be read)" if len(errors) > 1 else ""
    left = "no article" if readable == 0 else "only one article"
    return f"{errors[0]}{more}; {left} left to compare, and Parallax compares two or more"


def _warm_parser() -> None:
    """Load the dependency parser on a thread of its own while the model embeds the new sentences.

    Sentences the model has not seen are sentences spaCy has not parsed either, and loading it (about
    1.5 s of mostly Python) would otherwise wait until the differences need it, after the embedding
    (mostly ONNX Runtime's own threads, which leave the interpreter lock free). The parse's own lock
    makes the first real parse wait for the load. Daemon: a run that ends sooner does not wait for it."""
    from reader.differences.parse import words_here

    def load() -> None:
        with contextlib.suppress(Exception):  # the real parse reports a parser that cannot load
            words_here(["The parser is ready."])

    threading.Thread(target=load, name="parallax-parser-warm-up", daemon=True).start()


def _compare(args: argparse.Namespace, show: Callable[[Progress], None]) -> tuple[Comparison, list[str]]:
    from reader.intake.outlet import distinct_outlets
    from reader.pipeline import build_comparison, load_each, require_comparable
    from reader.project.comparisoncache import compare_stored, reuse

    outcomes = load_each(args.sources, progress=show, kept=not args.no_cache)
    errors = [o.error for o in outcomes if o.error is not None]
    loaded = [o.article for o in outcomes if o.article is not None]
    if errors and len(loaded) < 2:
        raise ParallaxError(_too_few(errors, len(loaded)))
    require_comparable(loaded)
    names = distinct_outlets([a.outlet for a in loaded])
    articles = [replace(a, outlet=name) for a, name in zip(loaded, names, strict=True)]
    if not args.no_cache:  # the same articles, settings and vectors as a stored comparison: reused
        kept = reuse(articles, args.strictness)  # checked without numpy or the model: a reopen costs ~0.2 s
        if kept is not None:
            show(Progress("compare", 1, 1, "Same articles as before: comparison reused"))
            return kept, errors
        from reader.embedding.embed import default_embedder  # numpy and the model: only when comparing

        embedder = default_embedder()
        if hasattr(embedder, "before_model"):  # the disk cache: new text for the model starts the parser
            embedder.before_model = _warm_parser
        return compare_stored(articles, embedder, args.strictness, progress=show), errors
    from reader.align.grouping import prepare
    from reader.embedding.embed import load_model_embedder

    basis = prepare(articles, load_model_embedder(), progress=show)
    show(Progress("compare", 0, 1, "Finding differences"))
    comparison = build_comparison(articles, basis, args.strictness)
    show(Progress("compare", 1, 1, "Done"))
    return comparison, errors


def _run_compare(args: argparse.Namespace, pdf_writer: PdfWriter | None) -> int:
    args.strictness = _checked_strictness(args.strictness)
    requests = [(kind, getattr(args, kind)) for kind in KINDS if getattr(args, kind) is not None]
    plan = plan_exports(requests, args.sources)  # every output checked before any work
    if plan.needs_pdf and pdf_writer is None:
        pdf_writer = installed_pdf_writer()
        if pdf_writer is None:
            raise ParallaxError(no_pdf_writer_message())
    _quiet_model_loading()
    tty = sys.stderr.isatty() and not args.quiet
    comparison, skipped = _compare(args, _progress_printer(tty))
    if tty:
        print(file=sys.stderr)
    for message in skipped:  # after the progress line, one line per source left out
        print(f"parallax: skipped: {message}", file=sys.stderr)
    write_exports(comparison, plan, pdf_writer=pdf_writer)
    if not args.quiet:
        print(summary(comparison))
        if skipped:
            print(f"Skipped {len(skipped)} of {len(args.sources)} sources (see above); exit status {EXIT_SKIPPED}")
        for t in plan.targets:
            print(f"Wrote {t.kind.upper()}: {t.path}")
    return EXIT_SKIPPED if skipped else EXIT_OK


class _Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so it unwinds exactly as Ctrl+C does."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP handled like SIGINT while the command runs: temporary files go, one line is said.

    Only in the main thread, and only where the signal has its default action (``nohup`` ignores
    SIGHUP on purpose); the previous handlers come back afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}

    def raise_terminated(signum: int, _frame: object) -> None:
        raise _Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, raise_terminated)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


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


def main(argv: Sequence[str] | None = None, *, pdf_writer: PdfWriter | None = None) -> int:
    """Run the command line; ``pdf_writer`` prints PDFs (default: the installed one, found only if --pdf is given)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        with _stop_signals():
            args = _parser().parse_args(argv)
            return _run_compare(args, pdf_writer)
    except ParallaxError as exc:
        print(f"parallax: error: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (Cancelled, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, _Terminated) else int(signal.SIGINT)
        name = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
        print(f"parallax: interrupted{name}", file=sys.stderr)
        return 128 + signum
    except MemoryError:
        print("parallax: error: not enough memory for these sources", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug: one line for the user, the traceback for us
        where = _log_crash()
        hint = f" (details in {where})" if where else ""
        print(f"parallax: internal error: {type(exc).__name__}: {exc}{hint}", file=sys.stderr)
        return EXIT_INTERNAL
