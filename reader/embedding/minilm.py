"""all-MiniLM-L6-v2 without sentence-transformers: tokenizer, one forward pass, mean pooling, pieces.

Why not sentence-transformers at run time: ``import sentence_transformers`` took 3.7-4.6 s on the
2-core machine (transformers' config machinery, scikit-learn and scipy through its ``util``), while
the model needs a tokenizer (``tokenizers``, 0.05 s), the weights (``safetensors``) and a six-layer
BERT. sentence-transformers stays the reference that defines the vectors:
``reader.embedding.embed.ModelEmbedder`` is it, and the tests check every runtime here against it
(cosine >= 0.9999 on real sentences, fp32 and bf16).

Two runtimes compute the same forward pass (``reader.embedding.runtimes``): ONNX Runtime on a graph
exported once at install time (``python -m reader.embedding.export``; no torch import, so the model
is ready in under a second), the default, and plain torch (bf16 autocast on CPUs that compute it
natively, about 1.5x the ONNX throughput there). ``runtimes.choose_runtime`` says why.

Pieces without a second pass: a piece of a sentence (a character span) gets the mean of the token
vectors of the sentence's own forward pass that fall inside the span, L2-normalised like the
sentence vector. The sentence's vector is the mean over all its tokens ([CLS] and [SEP] included),
exactly sentence-transformers' pooling.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from reader.embedding.bundled import MODEL_NAME
from reader.errors import ParallaxError

log = logging.getLogger(__name__)

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model (sentence_bert_config.json)
DIM = 384
RUNTIME_ENV = "PARALLAX_RUNTIME"  # "onnx" or "torch"; anything else: chosen by ``choose_runtime``

Span = tuple[int, int]


@dataclass(frozen=True)
class PooledVectors:
    """One forward pass's results: a vector per sentence and per piece, all rows L2-normalised.

    ``pieces[k]`` is piece k in the order the spans were given (sentence by sentence), and
    ``owner[k]`` the index of its sentence."""

    sentences: np.ndarray  # (n, DIM) float32
    pieces: np.ndarray  # (m, DIM) float32
    owner: np.ndarray  # (m,) int64
    # pooled from the sentence's own pass (True), or each piece encoded as a text of its own (an embedder
    # that cannot pool, such as the tests' fake, behind a cache): the aligner treats the two differently
    in_context: bool = True


class TokenModel(Protocol):
    """A runtime: token ids and mask in, the last layer's token vectors out (float32)."""

    name: str

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray: ...


def _tokenizer(folder: Path) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.no_padding()  # the batches are padded here, to their own longest sentence
    tok.enable_truncation(MAX_TOKENS)
    return tok


def pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of each row's real tokens, L2-normalised (sentence-transformers' Pooling + Normalize)."""
    m = mask[:, :, None].astype(np.float32)
    sums = (hidden * m).sum(axis=1)
    return _unit(sums / np.maximum(m.sum(axis=1), 1e-9))


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.where(norms > 1e-12, norms, 1.0)).astype(np.float32)


def piece_tokens(offsets: Sequence[tuple[int, int]], special: Sequence[int], span: Span) -> list[int]:
    """Token positions whose characters lie inside ``span`` (start inclusive, end exclusive).
    A word cut by the span's edge counts when it starts inside; special tokens never do."""
    start, end = span
    return [t for t, (a, b) in enumerate(offsets) if not special[t] and b > a and start <= a < end]


class MiniLMEmbedder:
    """The sentence model through one runtime; loaded on the first ``encode``. Thread-safe."""

    name = MODEL_NAME  # the key of its vectors in the cache, and of kept comparisons

    def __init__(self, *, runtime: str | None = None, bf16: bool | None = None, threads: int | None = None,
                 batch_size: int = 64, verify: bool = True) -> None:
        self._wanted = runtime
        self._bf16_wanted = bf16
        self.threads = threads
        self.batch_size = batch_size
        self._verify = verify
        self._lock = threading.Lock()
        self._model: TokenModel | None = None
        self._tok: Any = None
        self.runtime = ""  # "onnx" or "torch", once loaded
        self.bf16 = False

    def load(self) -> TokenModel:
        with self._lock:
            if self._model is not None:
                return self._model
            from reader.embedding.embed import checked_model_path, cpu_has_native_bf16
            from reader.embedding.runtimes import choose_runtime, load_runtime, onnx_available

            bf16 = cpu_has_native_bf16() if self._bf16_wanted is None else self._bf16_wanted
            runtime = self._wanted or choose_runtime()
            # ONNX reads its own graph, exported from weights whose bytes the export checked: hashing the
            # 90 MB safetensors file again would cost 0.1-0.3 s of every start for nothing it then reads.
            folder = checked_model_path(verify=self._verify and not (runtime == "onnx" and onnx_available()))
            self._tok = _tokenizer(folder)
            self._model = load_runtime(runtime, folder, bf16=bf16, threads=self.threads)
            self.runtime = self._model.name
            self.bf16 = bf16 and self.runtime == "torch"  # ONNX Runtime computes fp32 only
            log.info("loaded %s on %s (bf16: %s)", self.name, self.runtime, self.bf16)
            return self._model

    # -- Embedder -------------------------------------------------------------------------------
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_pieces(texts, [()] * len(texts)).sentences

    def encode_pieces(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> PooledVectors:
        """Sentence vectors and piece vectors (character spans into each text) from one pass."""
        texts = list(texts)
        if len(spans) != len(texts):
            raise ParallaxError("encode_pieces needs one list of spans per text.")
        owner = np.asarray([i for i, s in enumerate(spans) for _ in s], dtype=np.int64)
        sentences = np.zeros((len(texts), DIM), dtype=np.float32)
        pieces = np.zeros((len(owner), DIM), dtype=np.float32)
        if not texts:
            return PooledVectors(sentences, pieces, owner)
        model = self.load()
        first_piece = np.concatenate([[0], np.cumsum([len(s) for s in spans])]).astype(int)
        encs = self._tok.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))  # less padding
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            width = max(len(encs[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encs[i].ids)
                ids[r, :n] = encs[i].ids
                mask[r, :n] = 1
            hidden = model.forward(ids, mask)
            sentences[rows] = pool(hidden, mask)
            for r, i in enumerate(rows):
                for k, span in enumerate(spans[i]):
                    tokens = piece_tokens(encs[i].offsets, encs[i].special_tokens_mask, span)
                    # a span past the 256-token cut has no tokens left: it stands for its sentence
                    pieces[first_piece[i] + k] = hidden[r, tokens].mean(axis=0) if tokens else sentences[i]
        return PooledVectors(sentences, _unit(pieces), owner)


def default_threads() -> int | None:
    """Threads from PARALLAX_EMBED_THREADS (the app's child sets it); None lets the runtime choose."""
    value = os.environ.get("PARALLAX_EMBED_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None
