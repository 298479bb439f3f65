"""Sentence embeddings. Owned by the alignment work (issue 4); this is the contract.

``Embedder`` is anything with a ``name`` and an ``encode`` that returns one
L2-normalised float32 row per text. torch and sentence-transformers are
imported lazily inside the real embedder, never at module import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        ...
