"""Scale figures with the real model: a 200-article comparison's peak memory and time, how fast
Cancel stops it, and the longest UI-thread stall while the app compares 50 and 200 articles.

``main()`` prints the figures; ``make bench`` runs it. Each measurement runs in a fresh child
process (its own PARALLAX_HOME, so the embedding cache starts empty and nothing is shared),
because peak memory is a per-process figure. The articles are generated wire stories
(``bench.corpus.generated_corpus``: 40 sentences of ~25 words each), written as text files so the
whole intake runs too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEARTBEAT_MS = 10


def _write(folder: Path, n: int, seed: int = 7) -> list[str]:
    from bench.corpus import generated_corpus

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in generated_corpus(n, 40, seed=seed):
        path = folder / f"{a.id}-{seed}.txt"
        path.write_text(f"Generated report {a.id} on the regional crisis\n\n{a.body}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def _rss_mb() -> float:
    """Peak resident memory of this process. Linux's VmHWM belongs to the process's own address space;
    ru_maxrss survives exec, so a child started by ``make bench`` (whose parent had loaded torch models
    for the earlier benches) reported the parent's 1.35 GB as its own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- children


def _child_compare(n: int, folder: Path) -> dict[str, float]:
    """Peak memory and time of ``compare`` on ``n`` articles, the model loaded and warmed first."""
    from reader.embedding.embed import default_embedder
    from reader.pipeline import compare

    paths = _write(folder, n)
    embedder = default_embedder()
    embedder.encode(["warm the model up"])
    base = _rss_mb()
    start = time.perf_counter()
    c = compare(paths, embedder)
    seconds = time.perf_counter() - start
    return {"articles": len(c.articles), "sentences": sum(len(a.sentences) for a in c.articles),
            "groups": len(c.groups), "seconds": seconds, "base_mb": base, "peak_mb": _rss_mb()}


def _child_cancel(n: int, folder: Path) -> dict[str, float]:
    """Time from Cancel to the worker stopping, pressed from another thread some way into each stage."""
    from reader.embedding.embed import load_model_embedder
    from reader.errors import Cancelled
    from reader.pipeline import compare
    from reader.progress import CancelToken, Progress

    paths = _write(folder, n)
    embedder = load_model_embedder()
    embedder.encode(["warm the model up"])
    out: dict[str, float] = {}
    for stage, delay in (("load", 0.3), ("embed", 3.0), ("align", 0.3), ("compare", 0.3)):
        token = CancelToken()
        began: dict[str, float] = {}
        result: dict[str, float] = {}

        def progress(p: Progress, began: dict[str, float] = began) -> None:
            began.setdefault(p.stage, time.perf_counter())

        def work(token: CancelToken = token, progress=progress, result: dict[str, float] = result) -> None:
            try:
                compare(paths, embedder, progress=progress, cancel=token)
                result["cancelled"] = 0.0
            except Cancelled:
                result["cancelled"] = 1.0
            result["end"] = time.perf_counter()

        def press(stage: str = stage, delay: float = delay, token: CancelToken = token,
                  began: dict[str, float] = began, result: dict[str, float] = result) -> None:
            while stage not in began and "end" not in result:
                time.sleep(0.001)
            if "end" in result:
                return
            time.sleep(max(0.0, began[stage] + delay - time.perf_counter()))
            result["pressed"] = time.perf_counter()
            token.cancel()

        thread = threading.Thread(target=work)
        presser = threading.Thread(target=press)
        presser.start()
        thread.start()
        thread.join()
        presser.join()
        key = f"{stage}+{delay:g}s"
        ok = "pressed" in result and result["end"] >= result["pressed"]
        out[key] = (result["end"] - result["pressed"]) * 1000 if ok else -1.0
        out[key + ":outcome"] = "cancelled" if result.get("cancelled") else "finished"  # type: ignore[assignment]
    return out


def _child_ui(n: int, folder: Path) -> dict[str, float]:
    """Longest gap between UI-thread heartbeats while the app loads, embeds and compares ``n`` files,
    then how fast Cancel in the app stops a second load."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import application, keep_torch_out, model_process
    from ui.mainwindow import MainWindow

    paths = _write(folder, n)
    app = application()
    keep_torch_out()  # set up as ui.app.run does: the model and the parser in the model's process
    embedder = model_process()  # no disk cache: every sentence is really embedded
    embedder.encode(["warm the model up"])
    window = MainWindow(lambda: embedder, remember=False)
    window.resize(1600, 1000)
    window.show()
    result = _ui_stalls(app, window, paths, n)
    result.update(_app_cancel(app, window, _write(folder / "more", min(n, 50), seed=11)))
    window.session.shutdown()
    embedder.close()
    return result


def _ui_stalls(app, window, paths: list[str], n: int) -> dict[str, float]:
    """Heartbeats every ``HEARTBEAT_MS`` on the UI thread while ``window`` loads and compares ``paths`` and
    shows the result; the gaps beyond the interval, and during which stage the worst one fell."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    clock = QElapsedTimer()
    gaps: list[float] = []
    where: list[str] = []
    stage = {"now": "load"}
    window.session.progressed.connect(lambda p: stage.__setitem__("now", p.stage))

    def tick() -> None:
        if clock.isValid():
            gaps.append(clock.nsecsElapsed() / 1e6 - HEARTBEAT_MS)
            where.append(stage["now"])
        clock.restart()

    beat = QTimer()
    beat.setInterval(HEARTBEAT_MS)
    beat.timeout.connect(tick)
    state = {"done": 0.0, "cancel_ms": -1.0}
    start = time.perf_counter()

    def settle() -> None:
        if getattr(window.aligned, "sizing", False) or window.reader._queue or window.session.busy:
            QTimer.singleShot(50, settle)
        else:
            QTimer.singleShot(300, app.quit)

    def compared() -> None:
        if window.session.comparison is not None and not state["done"]:
            state["done"] = time.perf_counter() - start
            stage["now"] = "show"
            QTimer.singleShot(50, settle)

    window.session.comparisonChanged.connect(compared)
    window.session.errorRaised.connect(lambda m: (print(json.dumps({"error": m})), app.quit()))
    beat.start()
    window.session.add_sources(paths)
    app.exec()
    beat.stop()
    worst = max(range(len(gaps)), key=gaps.__getitem__) if gaps else -1
    ordered = sorted(gaps)
    return {
        "articles": n, "seconds": state["done"], "beats": len(gaps),
        "worst_ms": gaps[worst] if gaps else 0.0, "worst_during": where[worst] if gaps else "",
        "p99_ms": ordered[int(0.99 * (len(ordered) - 1))] if gaps else 0.0,
        "over_100ms": sum(1 for g in gaps if g > 100),
    }


def _app_cancel(app, window, paths: list[str]) -> dict[str, float]:
    """Cancel in the app: add more articles, press Cancel while their sentences are embedded, and time
    the press to the job's "Stopped" and to the window being idle again."""
    from PySide6.QtCore import QTimer

    pressed = {"t": 0.0}
    stopped = {"t": 0.0, "idle": 0.0}

    def on_cancelled() -> None:
        if pressed["t"] and not stopped["t"]:
            stopped["t"] = time.perf_counter()

    def on_busy(busy: bool) -> None:
        if pressed["t"] and not busy and not stopped["idle"]:
            stopped["idle"] = time.perf_counter()
            QTimer.singleShot(100, app.quit)

    def maybe_cancel(p) -> None:
        if p.stage == "embed" and p.done >= 320 and not pressed["t"]:
            pressed["t"] = time.perf_counter()
            window.cancel_button.click()

    window.session.cancelled.connect(on_cancelled)
    window.session.busyChanged.connect(on_busy)
    window.session.progressed.connect(maybe_cancel)
    window.session.add_sources(paths)
    QTimer.singleShot(600_000, app.quit)
    app.exec()
    result: dict[str, float] = {}
    if pressed["t"] and stopped["t"]:
        result["app_cancel_ms"] = (stopped["t"] - pressed["t"]) * 1000
    if pressed["t"] and stopped["idle"]:
        result["app_idle_ms"] = (stopped["idle"] - pressed["t"]) * 1000
    return result


CHILDREN = {"compare": _child_compare, "cancel": _child_cancel, "ui": _child_ui}


def _run_child(kind: str, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as home:
        env = dict(os.environ, PARALLAX_HOME=home, HF_HUB_OFFLINE="1",
                   QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        done = subprocess.run(
            [sys.executable, "-m", "bench.bench_scale", "--child", kind, str(n), home],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600, check=False,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise RuntimeError(f"{kind} {n}: {tail}")
    return json.loads(lines[-1])


def main() -> None:
    c = _run_child("compare", 200)
    print(f"200 articles ({c['sentences']:.0f} sentences, {c['groups']:.0f} groups), real model, cold cache: "
          f"{c['seconds']:.1f} s; peak RSS {c['peak_mb']:.0f} MB ({c['peak_mb'] - c['base_mb']:.0f} MB above "
          f"the loaded model's {c['base_mb']:.0f} MB)", flush=True)
    k = _run_child("cancel", 200)
    for key, value in k.items():
        if not key.endswith(":outcome"):
            print(f"Cancel pressed at {key:<12} stopped after {value:7.0f} ms ({k[key + ':outcome']})", flush=True)
    for n in (50, 200):
        u = _run_child("ui", n)
        print(f"App, {n} articles: compared in {u['seconds']:.1f} s; longest UI-thread stall {u['worst_ms']:.0f} ms "
              f"(during {u['worst_during']}), p99 {u['p99_ms']:.0f} ms, {u['over_100ms']:.0f} stalls over 100 ms "
              f"of {u['beats']:.0f} beats; Cancel in the app stopped the work after "
              f"{u.get('app_cancel_ms', -1):.0f} ms, window idle after {u.get('app_idle_ms', -1):.0f} ms",
              flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        kind, n, home = sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
        print(json.dumps(CHILDREN[kind](n, home / "articles")), flush=True)
    else:
        main()
