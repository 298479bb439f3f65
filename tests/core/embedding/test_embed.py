"""The embedder contract: lazy import, batching with progress and Cancel, the bundled model's bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from reader.embedding.embed import (
    WEIGHTS_SHA256,
    cpu_has_native_bf16,
    embed_texts,
    model_path,
    weights_sha256,
)
from reader.embedding.minilm import MiniLMEmbedder
from reader.errors import Cancelled, ParallaxError
from reader.progress import CancelToken

ROOT = Path(__file__).resolve().parents[3]


def test_import_is_light():
    code = (
        "import sys; import reader.embedding.embed, reader.embedding.cache, reader.align.grouping; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_embed_texts_keeps_order_and_matches_one_call(fake_embedder):
    texts = [f"sentence number {k} " + "word " * (k % 7) for k in range(150)]
    batched = embed_texts(fake_embedder, texts, batch_size=16)
    assert batched.shape == (150, fake_embedder.dim) and batched.dtype == np.float32
    np.testing.assert_allclose(batched, fake_embedder.encode(texts), atol=1e-6)
    assert max(fake_embedder.calls[:-1]) <= 16


def test_embed_texts_reports_progress_and_stops_between_batches(fake_embedder):
    texts = [f"text {k}" for k in range(100)]
    seen = []
    token = CancelToken()

    def progress(p):
        seen.append(p)
        if p.done >= 40:
            token.cancel()

    with pytest.raises(Cancelled):
        embed_texts(fake_embedder, texts, progress=progress, cancel=token, batch_size=20)
    assert all(p.stage == "embed" for p in seen)
    assert sum(fake_embedder.calls) == 40  # stopped after the batch that crossed the line


def test_empty_input(fake_embedder):
    assert embed_texts(fake_embedder, []).shape[0] == 0


def test_bf16_override(monkeypatch):
    monkeypatch.setenv("PARALLAX_BF16", "0")
    assert cpu_has_native_bf16() is False
    monkeypatch.setenv("PARALLAX_BF16", "1")
    assert cpu_has_native_bf16() is True


def test_bundled_weights_are_the_known_bytes():
    assert (model_path() / "model.safetensors").is_file()
    assert weights_sha256() == WEIGHTS_SHA256


@pytest.mark.model
def test_real_model_contract(real_embedder):
    texts = ["The cat sits on the mat.", "A cat is sitting on a mat.", "Stock markets fell sharply."]
    out = real_embedder.encode(texts)
    assert real_embedder.name == "all-MiniLM-L6-v2"
    assert out.shape == (3, 384) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-4)
    assert out[0] @ out[1] > 0.9 and out[0] @ out[2] < 0.3
    # order independence: the length sort must put every row back in its place
    np.testing.assert_allclose(real_embedder.encode(texts[::-1])[::-1], out, atol=2e-3)


@pytest.mark.model
def test_bf16_stays_close_to_fp32():
    texts = [
        "Floodwater swept through the town before dawn after the river overflowed.",
        "Police said two people had died and the toll could rise.",
        "The council said some 1,400 people had been evacuated from their homes.",
    ]
    fp32 = MiniLMEmbedder(runtime="torch", bf16=False)
    bf16 = MiniLMEmbedder(runtime="torch", bf16=True)
    cos = np.sum(fp32.encode(texts) * bf16.encode(texts), axis=1)
    assert bf16.bf16 and not fp32.bf16
    assert cos.min() > 0.999


def test_runtime_choice(monkeypatch):
    from reader.embedding.runtimes import choose_runtime, onnx_available

    monkeypatch.setenv("PARALLAX_RUNTIME", "torch")
    assert choose_runtime() == "torch"
    monkeypatch.setenv("PARALLAX_RUNTIME", "onnx")
    assert choose_runtime() == "onnx"
    monkeypatch.setenv("PARALLAX_RUNTIME", "something else")
    assert choose_runtime() == ("onnx" if onnx_available() else "torch")


def test_unknown_runtime_is_one_line():
    from reader.embedding.runtimes import load_runtime

    with pytest.raises(ParallaxError) as info:
        load_runtime("tpu", model_path(), bf16=False, threads=None)
    assert "\n" not in info.value.message


def test_import_of_the_runtime_is_light():
    code = (
        "import sys; from reader.embedding.embed import load_model_embedder; "
        "from reader.embedding.runtimes import onnx_available; "
        "e = load_model_embedder(); ok = onnx_available(); e.encode(['A flood.']) if ok else None; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
        "print(ok, e.runtime, heavy); sys.exit(1 if heavy else 0)"
    )
    env = dict(os.environ)
    env.pop("PARALLAX_RUNTIME", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_default_embedder_is_cached_model(tmp_path, monkeypatch):
    from reader.embedding.cache import CachedEmbedder
    from reader.embedding.embed import default_embedder

    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    first, second = default_embedder(), default_embedder()
    assert isinstance(first, CachedEmbedder) and first.name == "all-MiniLM-L6-v2"
    assert isinstance(first.inner, MiniLMEmbedder)  # the app's runtime, not sentence-transformers
    assert first.inner is second.inner  # one model per process
    assert first.folder == tmp_path / "cache" / "embeddings"


def test_an_entry_point_on_onnx_can_keep_torch_out():
    code = (
        "import sys; from reader.embedding.runtimes import keep_torch_out_if_unused, choose_runtime, onnx_available; "
        "kept = keep_torch_out_if_unused(); import thinc.compat; "
        "print(kept, choose_runtime(), thinc.compat.has_torch); "
        "onnx = choose_runtime() == 'onnx' and onnx_available(); "
        "sys.exit(0 if kept == onnx != thinc.compat.has_torch else 1)"
    )
    for runtime in ("onnx", "torch"):
        env = dict(os.environ, PARALLAX_RUNTIME=runtime)
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env=env)
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_damaged_graph_after_torch_was_kept_out_falls_back_to_torch(tmp_path: Path) -> None:
    """The command line keeps torch out betting on ONNX; if the graph then fails to load, torch must come back."""
    code = (
        "import sys, reader.embedding.runtimes as r\n"
        "from reader.embedding.embed import model_path\n"
        "bad = sys.argv[1]; open(bad, 'wb').write(b'not a graph')\n"
        "r.onnx_file = lambda: __import__('pathlib').Path(bad)\n"
        "r.onnx_available = lambda: True\n"
        "assert r.keep_torch_out_if_unused()\n"
        "model = r.load_runtime('onnx', model_path(), bf16=False, threads=1)\n"
        "print(type(model).__name__)\n"
    )
    env = dict(os.environ, PARALLAX_RUNTIME="onnx")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "bad.onnx")], cwd=ROOT, capture_output=True,
                          text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "TorchModel"
