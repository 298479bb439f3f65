"""Desktop app figures: launch to text on screen, launch to finished comparison (cold and warm),
and the longest UI-thread stall during a 50- and a 200-article comparison (a 5 ms QTimer heartbeat).

``main()`` prints the figures; ``make bench`` runs it. Every run is a separate process with a fresh
PARALLAX_HOME (cold: empty embedding and parse caches; warm: the same home again), so no run finds
spaCy, torch or a parse already loaded by an earlier one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAUNCH_ROUNDS = 3  # the cores are shared: one launch can be a second off


def _imported(name: str) -> bool:
    # keep_torch_out() leaves a None entry for torch: that is a module kept out, not imported.
    return sys.modules.get(name) is not None


def _child() -> None:
    """Run inside a fresh process: open the window on the demo and report event times."""
    t0 = float(os.environ["BENCH_UI_T0"])
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer

    from reader.paths import demo_sources
    from ui.app import application, keep_torch_out, model_process, start_model
    from ui.mainwindow import MainWindow

    keep_torch_out()  # as ui.app.run does, and the model's process parses too
    model_process()
    app = application()
    window = MainWindow(remember=False)
    window.show()
    times: dict[str, float] = {}
    QTimer.singleShot(0, start_model)  # as ui.app.run does: the model's process starts with the window

    def text_shown() -> None:
        # The reader's panes are made on the turns after the articles arrive (ui.turns): wait for the first.
        if "text" in times:
            return
        if not window.reader.panes:
            QTimer.singleShot(5, text_shown)
            return
        app.processEvents()  # let the panes paint once
        times["text"] = time.time() - t0

    def compared() -> None:
        if window.session.comparison is not None and "compared" not in times:
            app.processEvents()
            times["compared"] = time.time() - t0
            times["torch_before_text"] = float(window.property("torch_before_text") or 0)
            times["torch_in_app"] = float(_imported("torch"))
            times["spacy_in_app"] = float(_imported("spacy"))
            from reader.embedding.process import shared_process_embedder

            times["runtime"] = shared_process_embedder().info.get("runtime", "")  # type: ignore[assignment]
            filled()

    def filled() -> None:
        # The table, the differences and the reader's marks fill on later turns (ui.turns): all of them shown.
        if not window.panels_ready():
            QTimer.singleShot(5, filled)
            return
        times["panels"] = time.time() - t0
        window.session.shutdown()
        app.quit()

    def note_torch() -> None:
        window.setProperty("torch_before_text", 1.0 if _imported("torch") else 0.0)

    window.session.articlesChanged.connect(text_shown)
    window.session.articlesChanged.connect(note_torch)
    window.session.comparisonChanged.connect(compared)
    window.session.errorRaised.connect(lambda m: (print(json.dumps({"error": m})), app.quit()))
    QTimer.singleShot(0, lambda: window.session.add_sources([str(p) for p in demo_sources()]))
    app.exec()
    print(json.dumps(times))


def _launch(home: str, pycache: str | None = None) -> dict[str, float]:
    """One launch in a fresh process. ``pycache``: a private bytecode cache, as an installed copy has one
    (None: as the environment says; with PYTHONDONTWRITEBYTECODE=1 every launch compiles the app's sources,
    0.2-0.3 s no user pays).

    The start time travels in BENCH_UI_T0, not a PARALLAX_ variable: those are settings, part of the key of
    every kept result (reader.resultcache), and a new value per launch made every cached launch a miss."""
    env = dict(
        os.environ,
        PARALLAX_HOME=home,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        HF_HUB_OFFLINE="1",
        BENCH_UI_T0=repr(time.time()),
    )
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"launch failed: {out.stderr.strip().splitlines()[-1:] or out.returncode}")
    return json.loads(lines[-1])


def _stall(n_articles: int = 50, kind: str = "thread") -> dict:
    """In a fresh process: the longest gap between 5 ms heartbeats while ``n_articles`` are loaded,
    embedded and compared, the stage it fell in, and the few next-longest.

    ``kind``: "thread" runs the model and the parser in this process (the command line's way),
    "process" in the app's model process, set up as ``ui.app`` sets it up (the app's way)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer

    from reader.embedding.embed import load_model_embedder
    from reader.intake.sources import load_source
    from reader.paths import demo_sources
    from ui.app import application, keep_torch_out
    from ui.mainwindow import MainWindow

    app = application()
    if kind == "process":
        import ui.app

        keep_torch_out()  # as ui.app.run does
        embedder = ui.app.model_process()  # no disk cache: every sentence is really embedded
    else:
        embedder = load_model_embedder()
    embedder.encode(["warm the model up"])
    base = [load_source(str(p)) for p in demo_sources()]
    from dataclasses import replace

    raws = [
        replace(
            base[i % len(base)],
            source=f"copy-{i}",
            outlet_hint=f"Outlet {i + 1}",
            text=base[i % len(base)].text + f"\n\nEditor's note {i}: this copy was filed {i} minutes later.",
        )
        for i in range(n_articles)
    ]
    window = MainWindow(lambda: embedder, remember=False)
    window.resize(1600, 1000)
    window.show()
    clock = QElapsedTimer()
    gaps: list[tuple[float, str]] = []
    beat = QTimer()
    beat.setInterval(5)
    stage = {"now": "start"}

    def tick() -> None:
        if clock.isValid():
            gaps.append((clock.nsecsElapsed() / 1e6 - 5.0, stage["now"]))
        clock.restart()

    window.session.progressed.connect(lambda p: stage.__setitem__("now", p.stage))
    window.session.comparisonChanged.connect(lambda: stage.__setitem__("now", "showing the comparison"))

    beat.timeout.connect(tick)
    done = {"t": 0.0}
    start = time.perf_counter()

    def finished() -> None:
        if window.session.comparison is not None and not done["t"]:
            done["t"] = time.perf_counter() - start
            QTimer.singleShot(50, settle)

    def settle() -> None:
        # Keep the heartbeat running until the rows are measured and every article is laid out.
        if window.aligned.sizing or window.reader._queue or window.reader.pending_layout():
            QTimer.singleShot(50, settle)
        else:
            QTimer.singleShot(200, app.quit)

    window.session.comparisonChanged.connect(finished)
    window.session.errorRaised.connect(lambda m: (print(json.dumps({"error": m})), app.quit()))
    beat.start()
    window.session.add_sources(raws)
    app.exec()
    beat.stop()
    window.session.shutdown()
    rows = window.model.rowCount()
    window.close()
    if kind == "process":
        embedder.close()
    worst = sorted(gaps, reverse=True)
    return {
        "stall": worst[0][0] if worst else 0.0,
        "during": worst[0][1] if worst else "",
        "next": [round(g) for g, _ in worst[1:4]],
        "took": done["t"],
        "rows": rows,
        "spacy_in_app": _imported("spacy"),
    }


def _stall_run(n_articles: int, kind: str) -> dict:
    """``_stall`` in a fresh process and PARALLAX_HOME: no model, parser or parse cache left by another run."""
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as home:
        env = dict(
            os.environ,
            PARALLAX_HOME=home,
            HF_HUB_OFFLINE="1",
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        )
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--stall", str(n_articles), kind],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"stall run failed: {out.stderr.strip().splitlines()[-1:] or out.returncode}")
    return json.loads(lines[-1])


def main() -> dict[str, str]:
    """Prints the figures; returns the rows of the speed table (issue 19) for ``bench/__main__``."""
    table: dict[str, str] = {}
    runs: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory(prefix="parallax-pyc-") as pycache:
        with tempfile.TemporaryDirectory(prefix="parallax-bench-") as home:
            _launch(home, pycache)  # compiles the bytecode once, as an install does; not measured
        for _ in range(LAUNCH_ROUNDS):  # each round a fresh home: empty cache, then the same home again
            with tempfile.TemporaryDirectory(prefix="parallax-bench-") as home:
                runs["cold"].append(_launch(home, pycache))
                runs["warm"].append(_launch(home, pycache))
    for label, tries in runs.items():
        failed = [t["error"] for t in tries if "error" in t]
        if failed:
            print(f"ui launch {label}: failed: {failed[0]}")
            continue
        t = tries[-1]
        done = [x["compared"] for x in tries]
        shown = [x["text"] for x in tries if "text" in x]
        span = f"{min(done):.2f}-{max(done):.2f} s"
        row = "app launch -> demo comparison finished, " + ("empty cache" if label == "cold" else "cached")
        table[row] = f"{span} (target <= {4.0 if label == 'cold' else 1.2} s)"
        text = f"{min(shown):.2f}-{max(shown):.2f} s" if shown else "not seen"
        panels = [x["panels"] for x in tries if "panels" in x]
        filled = f"{min(panels):.2f}-{max(panels):.2f} s" if panels else "not seen"
        print(
            f"ui launch {label}, {len(tries)} rounds (min-max): demo text on screen {text}, comparison finished {span}"
            f", every panel filled {filled}"
            f" (targets: empty cache <= 4 s, cached <= 1.2 s; model process on {t.get('runtime') or 'cache only'};"
            f" imported in the window's process: torch before text {'yes' if t.get('torch_before_text') else 'no'},"
            f" by the end {'yes' if t.get('torch_in_app') else 'no'}; spaCy {'yes' if t.get('spacy_in_app') else 'no'})"
        )
    # The app's way (model and parser in its child process) at 50 and 200 articles; then both in the
    # window's own process, for comparison. Each run is a fresh process with empty caches.
    for n, kind in ((50, "process"), (200, "process"), (50, "thread")):
        r = _stall_run(n, kind)
        if "error" in r:
            print(f"ui {n}-article comparison, model in a {kind}: failed: {r['error']}")
            continue
        print(
            f"ui {n}-article comparison, model in a {kind}: {r['took']:.1f} s to finish, {r['rows']} rows;"
            f" longest UI-thread stall {r['stall']:.0f} ms (during: {r['during']}; next {r['next']} ms);"
            f" spaCy in the window's process: {'yes' if r['spacy_in_app'] else 'no'}"
        )
        if (n, kind) == (200, "process"):
            table["longest UI-thread stall, 200 articles"] = (
                f"{r['stall']:.0f} ms during {r['during']} (target <= 40 ms)"
            )
    return table


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    elif "--stall" in sys.argv:
        at = sys.argv.index("--stall")
        print(json.dumps(_stall(int(sys.argv[at + 1]), sys.argv[at + 2])))
    else:
        main()
