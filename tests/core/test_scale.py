"""Scale: two hundred articles compare without running out of memory, and Cancel stops a large comparison.

Times are never asserted here (``make bench`` measures them, with the real
model, in ``bench/bench_scale.py``); the limits below are hang and memory guards.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/core helpers (--import-mode=importlib)

from hostile import CLI_SHIM
from schema import check_source_compare

from bench.corpus import generated_corpus
from reader.errors import Cancelled
from reader.pipeline import compare
from reader.progress import CancelToken, Progress

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT_MB = 1500  # 8,000 sentences: a dense float64 all-pairs matrix alone would be 512 MB


def write_articles(folder: Path, n: int, sentences: int = 40) -> list[str]:
    """``n`` generated wire stories retelling a shared pool of facts, as text files (~``sentences`` each)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in generated_corpus(n, sentences):
        path = folder / f"{a.id}.txt"
        path.write_text(f"Generated report {a.id} on the regional crisis\n\n{a.body}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


# The CLI in a child process that reports its own peak memory above what importing cost.
MEASURED_CLI = CLI_SHIM.replace(
    "from reader.cli import main\nsys.exit(main(sys.argv[3:]))",
    """import json, resource
from reader.cli import main
import reader.pipeline, reader.align.grouping, reader.differences.discrepancies, reader.intake.cleaning.page
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
code = main(sys.argv[4:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
open(sys.argv[3], "w").write(json.dumps({"base_kb": base, "peak_kb": peak}))
sys.exit(code)""",
)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_two_hundred_articles_compare_from_the_command_line_within_memory(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "wire", 200)
    out, mem = tmp_path / "out.json", tmp_path / "memory.json"
    done = subprocess.run(
        [sys.executable, "-c", MEASURED_CLI, str(ROOT), str(ROOT / "tests"), str(mem),
         "compare", *paths, "--json", str(out), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=590, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_source_compare(doc)  # every sentence grouped, no sentence twice in a group
    assert len(doc["articles"]) == 200
    assert sum(len(a["sentences"]) for a in doc["articles"]) >= 7_500
    assert any(len(g["articles"]) >= 10 for g in doc["groups"]), "shared facts were found across outlets"
    used = json.loads(mem.read_text())
    growth_mb = (used["peak_kb"] - used["base_kb"]) / 1024
    assert growth_mb < MEMORY_LIMIT_MB, f"comparing 200 articles took {growth_mb:.0f} MB above start-up"


def _cancel_at(stage: str, sources: list[str], embedder) -> tuple[BaseException | None, list[Progress]]:
    """Run ``compare`` on a worker; a second thread presses Cancel once ``stage`` reports progress."""
    token = CancelToken()
    reached, pressed = threading.Event(), threading.Event()
    stages: list[Progress] = []
    outcome: list[BaseException | None] = [None]

    def progress(p: Progress) -> None:
        stages.append(p)
        if p.stage == stage and (p.done > 0 or stage in ("align", "compare")) and not reached.is_set():
            reached.set()
            pressed.wait(60)  # the user's press lands now, whatever the thread scheduler does

    def work() -> None:
        try:
            compare(sources, embedder, progress=progress, cancel=token)
        except BaseException as exc:
            outcome[0] = exc

    worker = threading.Thread(target=work, daemon=True)
    def press() -> None:
        if reached.wait(300):
            token.cancel()
            pressed.set()

    presser = threading.Thread(target=press, daemon=True)
    presser.start()
    worker.start()
    worker.join(300)  # a hang guard only
    assert not worker.is_alive(), "the comparison ignored Cancel"
    return outcome[0], stages


@pytest.mark.timeout(300)
@pytest.mark.parametrize("stage", ["load", "embed", "align"])
def test_cancel_from_another_thread_stops_a_comparison(tmp_path: Path, fake_embedder, stage: str) -> None:
    paths = write_articles(tmp_path / "wire", 12, sentences=30)
    error, stages = _cancel_at(stage, paths, fake_embedder)
    assert isinstance(error, Cancelled), f"expected Cancelled, got {error!r}"
    assert stage in {p.stage for p in stages}
    assert not any(p.stage == "compare" and p.done == p.total for p in stages), "the work ran on to the end"


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("stage", ["load", "embed", "align"])
def test_cancel_stops_a_two_hundred_article_comparison(tmp_path: Path, fake_embedder, stage: str) -> None:
    paths = write_articles(tmp_path / "wire", 200)
    error, _stages = _cancel_at(stage, paths, fake_embedder)
    assert isinstance(error, Cancelled), f"expected Cancelled, got {error!r}"


def test_a_cancelled_comparison_leaves_the_next_one_whole(tmp_path: Path, fake_embedder) -> None:
    paths = write_articles(tmp_path / "wire", 6, sentences=10)
    error, _ = _cancel_at("embed", paths, fake_embedder)
    assert isinstance(error, Cancelled)
    again = compare(paths, fake_embedder)
    assert len(again.articles) == 6
    assert {s for g in again.groups for s in g.sentences} == {s.id for a in again.articles for s in a.sentences}


def test_cancel_during_matching_stops_before_matching_completes(tmp_path: Path, fake_embedder) -> None:
    paths = write_articles(tmp_path / "wire", 12, sentences=30)
    error, stages = _cancel_at("align", paths, fake_embedder)
    assert isinstance(error, Cancelled)
    assert not any(p.stage == "align" and p.done == p.total for p in stages), "matching ran to the end after Cancel"


def test_cancel_while_finding_differences_is_honoured(tmp_path: Path, fake_embedder) -> None:
    paths = write_articles(tmp_path / "wire", 12, sentences=30)
    error, _stages = _cancel_at("compare", paths, fake_embedder)
    assert isinstance(error, Cancelled), f"expected Cancelled, got {error!r}"
