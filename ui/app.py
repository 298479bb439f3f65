"""Start the desktop app: ``run(argv)`` opens the window; ``--screenshot OUT.png`` photographs it and exits."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from reader.paths import RESOURCES, demo_sources
from ui.mainwindow import MainWindow
from ui.theme import apply_system_theme

if TYPE_CHECKING:
    from reader.embedding.process import ProcessEmbedder

EXIT_OK, EXIT_BAD_INPUT = 0, 2
SCREENSHOT_TIMEOUT_MS = 600_000
# Sentences per request to the model's process for their parses. The answer is JSON, and decoding it
# is one call into C that holds this process's interpreter lock throughout: a 200-article story sent
# 3,000 sentences at once, whose 3.7 MB answer took 180-320 ms to decode (the window frozen that long);
# 256 sentences decode in 2-5 ms. Parsing 2,400 sentences took 5.3 s in one request, 5.4-5.6 s at 128
# per request, 5.2-5.3 s at 512.
PARSE_BATCH = 256
ICON = RESOURCES / "icons" / "parallax.svg"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="parallax", description="Open the Parallax reader.")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="article files or http(s) URLs (default: the demo)")
    p.add_argument("--screenshot", metavar="OUT.png", help="render the window once the comparison is done, save, exit")
    p.add_argument(
        "--view",
        choices=("aligned", "reader", "differences"),
        default="aligned",
        help="with --screenshot: which view to show",
    )
    p.add_argument("--size", default="1600x1000", help="with --screenshot: window size WxH")
    return p


def application(argv: Sequence[str] = ()) -> QApplication:
    # Workers run the core in Python threads, and every Python slot, delegate paint and size hint
    # the UI thread runs must first win the GIL from them: the switch interval is how long each of
    # those waits at worst. Measured, longest UI stall: 5 ms (Python's default) 401 ms at 50
    # articles; 1 ms 66-80 ms at 200; 0.2 ms 51-60 ms at 200, with no loss of worker throughput.
    sys.setswitchinterval(0.0002)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0], *argv])
        apply_system_theme(app)
    app.setApplicationName("Parallax")
    app.setOrganizationName("Parallax")
    app.setDesktopFileName("parallax")
    app.setWindowIcon(QIcon(str(ICON)))
    return app


def keep_torch_out() -> None:
    """The window's process never runs the model (its own process does, ``reader.embedding.process``),
    yet spaCy's thinc imports torch merely because it is installed: 1.2 s of CPU on an idle 2-core
    machine, and while it loads on a worker thread the UI thread waits for the interpreter lock (worst
    gap 1,025 ms, 226 ms without torch, measured on a loaded machine). A None entry in sys.modules
    makes ``import torch`` fail here, so thinc goes on without it; the model's process is untouched."""
    sys.modules.setdefault("torch", None)  # type: ignore[arg-type]


def model_process() -> ProcessEmbedder:
    """The app's model process, which also parses: spaCy on a worker thread of the window's process held
    its interpreter lock 130-226 ms at a time (longest UI stall, 50 articles); in the model's process it
    holds none of ours. Must run before anything asks for the shared process (``ui.session`` does)."""
    from reader.differences.parse import parse_elsewhere
    from reader.embedding.process import shared_process_embedder

    process = shared_process_embedder(
        services={
            "parse": "reader.differences.parse:words_here",
            "parse_ahead": "reader.differences.parse:parse_ahead",
        },
        warm={"parse": [["The parser is loaded."]]},  # spaCy loads while the articles are read and embedded
        # and parses what the model embeds, on the core the model leaves free: the comparison's parse
        # requests then find their sentences done
        feed=["parse_ahead"],
    )
    if "parse" in process.services:  # else the shared process was made before this call: parse here
        parse_elsewhere(lambda texts: parse_in(process, texts))
    return process


def parse_in(process: ProcessEmbedder, texts: list[str]) -> list | None:
    """The parses of ``texts`` from the model's process, asked ``PARSE_BATCH`` at a time; None when that
    process has no parser (its first answer says so)."""
    words: list = []
    for start in range(0, len(texts), PARSE_BATCH):
        answer = process.call("parse", texts[start : start + PARSE_BATCH])
        if answer is None:
            return None
        words.extend(answer)
    return words


def run(argv: Sequence[str]) -> int:
    keep_torch_out()
    model_process()
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    sources = args.sources or [str(p) for p in demo_sources()]
    headless = not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in ("win32", "darwin")
    )
    if headless and "QT_QPA_PLATFORM" not in os.environ:
        if not args.screenshot:
            print(
                "parallax: no display to open a window on (use --screenshot OUT.png, or set DISPLAY)", file=sys.stderr
            )
            return EXIT_BAD_INPUT
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    app = application()
    if args.screenshot:
        return _screenshot(app, sources, Path(args.screenshot), args.view, args.size)
    window = MainWindow()
    window.io.confirm_unsaved = True
    window.show()
    window.raise_()
    window.activateWindow()  # keys reach the window at once, even without a window manager
    # The window paints first; the recovery question and reading the articles come after.
    QTimer.singleShot(0, start_model)
    QTimer.singleShot(0, lambda: start(window, sources))
    return app.exec()


def start_model() -> None:
    """Start the sentence model's process now: its 4 s torch import overlaps with reading the articles."""
    from reader.embedding.process import start_process_embedder

    start_process_embedder()


def start(window: MainWindow, sources: list[str]) -> None:
    """What the window opens with: work recovered after a crash, a project, or the sources given."""
    if window.io.offer_recovery():
        return
    if len(sources) == 1 and sources[0].lower().endswith(".parallax"):
        window.io.open_file(sources[0])
    else:
        window.session.add_sources(sources)


def _window_size(size: str) -> tuple[int, int]:
    """``--size WxH`` as numbers; the default size when it cannot be read."""
    try:
        w, h = (int(x) for x in size.lower().split("x"))
    except ValueError:
        w, h = 1600, 1000
    return w, h


def _show_view(window: MainWindow, view: str, width: int) -> None:
    """Put the window in the state ``--view`` asks for, the first difference selected."""
    if view == "reader":
        window.tabs.setCurrentIndex(1)
        window.split.setSizes([300, width - 300])
    window.next_difference()
    if view == "differences":
        window.differences.setFocus()
        window.split.setSizes([620, width - 620])


def _screenshot(app: QApplication, sources: list[str], out: Path, view: str, size: str) -> int:
    window = MainWindow(remember=False)
    w, h = _window_size(size)
    window.resize(w, h)
    outcome: dict[str, str | int] = {}  # "code" and "message" once finished

    def finish(code: int, message: str = "") -> None:
        if "code" not in outcome:
            outcome["code"], outcome["message"] = code, message
            window.session.shutdown()
            app.quit()

    def shoot() -> None:
        if not window.panels_ready():  # the panels fill on later turns of the event loop
            QTimer.singleShot(50, shoot)
            return
        _show_view(window, view, w)
        QTimer.singleShot(400, save)

    def save() -> None:
        app.processEvents()
        ok = window.grab().save(str(out), "PNG")
        finish(EXIT_OK if ok else EXIT_BAD_INPUT, "" if ok else f"could not write {out}")

    def settled(busy: bool) -> None:
        if busy or "code" in outcome or "shooting" in outcome:
            return
        if window.session.comparison is None:
            finish(EXIT_BAD_INPUT, "Parallax compares two or more articles; fewer could be read.")
        else:
            outcome["shooting"] = 1
            QTimer.singleShot(300, shoot)

    window.session.busyChanged.connect(settled)
    window.session.errorRaised.connect(lambda m: finish(EXIT_BAD_INPUT, m.splitlines()[0]))
    # A hung fetch or a stuck worker must not hang a script that asked for one picture.
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, lambda: finish(EXIT_BAD_INPUT, "timed out waiting for the comparison"))
    window.show()
    QTimer.singleShot(0, lambda: window.session.add_sources(sources))
    app.exec()
    if outcome.get("code", EXIT_BAD_INPUT) != EXIT_OK:
        print(f"parallax: {outcome.get('message') or 'no comparison'}", file=sys.stderr)
    return int(outcome.get("code", EXIT_BAD_INPUT))


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.exit(run(sys.argv[1:]))
