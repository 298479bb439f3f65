"""A deterministic stand-in for the sentence model, for fast unit tests.

It hashes word unigrams and bigrams into a fixed-size vector (signed feature
hashing), so sentences that share words are close and unrelated ones are near
orthogonal, the same every run on every machine. It is not a mock: it is a
real, if weak, embedder with the same contract as the model.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence

import numpy as np

from reader.model import Article, Sentence

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(
    "a an the of in on at to for and or but is are was were be been by with as that this it its from has have had "
    "he she they their his her said says".split()
)


def _bucket(token: str, dim: int) -> tuple[int, float]:
    h = int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")
    return h % dim, 1.0 if (h >> 63) & 1 else -1.0


class FakeEmbedder:
    name = "fake-hashing-384"

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.calls: list[int] = []  # how many texts each encode() call received

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
            feats = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
            for tok in feats:
                col, sign = _bucket(tok, self.dim)
                out[row, col] += sign
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
            else:
                out[row, _bucket(text, self.dim)[0]] = 1.0
        return out


def article(aid: str, outlet: str, texts: list[str]) -> Article:
    """An invented article whose sentences are ``texts`` in order, one paragraph each."""
    sentences, pos = [], 0
    for i, t in enumerate(texts, start=1):
        sentences.append(Sentence(f"{aid}.s{i}", t, i - 1, pos, pos + len(t)))
        pos += len(t) + 2
    return Article(aid, f"{outlet}.txt", outlet, "", "\n\n".join(texts), tuple(sentences))
