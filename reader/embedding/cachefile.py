"""The embedding cache's file as data: where it is, how a vector's row is keyed, and a hash of stored rows.

Kept apart from ``reader.embedding.cache`` (the embedder that fills it) and free of numpy, whose import
costs about 0.1 s: a reopened comparison checks that the vectors it was made from are still the ones
stored (``stored_digest``) without importing numpy or loading a model.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import zlib
from collections.abc import Sequence
from pathlib import Path

from reader.paths import cache_dir

FILE_NAME = "embeddings.sqlite3"
_BATCH = 500  # SQLite's bound-variable limit is 999 on old builds

Span = tuple[int, int]
# What an embedder was asked: texts, and per text its pieces' (start, end) spans (None: plain encode).
Request = tuple[Sequence[str], Sequence[Sequence[Span]] | None]


def default_folder() -> Path:
    return cache_dir() / "embeddings"


def sentence_key(model: str, text: str) -> bytes:
    return hashlib.blake2b(f"{model}\x00{text}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


def piece_key(model: str, text: str, span: Span) -> bytes:
    # \x01 keeps a piece's key apart from any sentence's: no text holds it after segmentation's cleaning,
    # and the span is in it too
    return sentence_key(model, f"\x01{span[0]}:{span[1]}\x01{text}")


def layout(model: str, requests: Sequence[Request]) -> list[bytes]:
    """The rows' keys in digest order: per text, its sentence row, then its pieces' rows in span order."""
    keys: list[bytes] = []
    for texts, spans in requests:
        for i, text in enumerate(texts):
            keys.append(sentence_key(model, text))
            if spans is not None:
                keys += [piece_key(model, text, (int(a), int(b))) for a, b in spans[i]]
    return keys


def digest(rows: Sequence[bytes]) -> str:
    """The hash of float32 vectors' bytes, in order (``Recorder`` in the comparison cache hashes alike)."""
    h = hashlib.blake2b(digest_size=20)
    for row in rows:
        h.update(len(row).to_bytes(4, "little") + row)
    return h.hexdigest()


def stored_digest(model: str, requests: Sequence[Request], folder: Path | None = None) -> str | None:
    """``digest`` of the stored vectors for ``requests``; None when the file or any row is missing or damaged."""
    path = (folder or default_folder()) / FILE_NAME
    if not path.is_file():
        return None
    keys = layout(model, requests)
    found: dict[bytes, bytes] = {}
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn:
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), _BATCH):
                part = unique[start : start + _BATCH]
                marks = ",".join("?" * len(part))
                for key, dim, crc, blob in conn.execute(
                    f"SELECT key, dim, crc, vec FROM vectors WHERE key IN ({marks})", part
                ):
                    if isinstance(blob, bytes) and len(blob) == dim * 4 and zlib.crc32(blob) == crc:
                        found[key] = blob
    except sqlite3.Error:
        return None  # unreadable now: the caller computes afresh, and the embedder deals with the file
    if any(k not in found for k in keys):
        return None
    return digest([found[k] for k in keys])
