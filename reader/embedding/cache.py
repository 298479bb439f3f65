"""A disk cache of sentence embeddings, keyed by model name and exact sentence text.

Reopening a comparison, or adding one article to it, encodes only sentences
the cache has not seen. Storage is one SQLite file (WAL mode, busy timeout):
SQLite's locking lets several Parallax processes share the file without
corrupting it. Every vector carries its length and a CRC32, and is checked on
read; a row that fails is dropped and re-encoded, a file SQLite cannot open is
deleted and rebuilt. A cache folder that cannot be written (read-only, disk
full) only costs speed: a warning is logged and encoding goes on uncached.
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from reader.embedding.cachefile import FILE_NAME, default_folder, piece_key, sentence_key
from reader.embedding.embed import DIM, Embedder, PieceEmbedder
from reader.embedding.minilm import PooledVectors, Span
from reader.errors import ParallaxError

log = logging.getLogger(__name__)

__all__ = ["FILE_NAME", "CachedEmbedder"]
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS vectors "
    "(key BLOB PRIMARY KEY, dim INTEGER NOT NULL, crc INTEGER NOT NULL, vec BLOB NOT NULL)"
)
_BATCH = 500  # SQLite's bound-variable limit is 999 on old builds


_key = sentence_key  # the row keys are the file's (reader.embedding.cachefile)


class CachedEmbedder:
    """Wraps an embedder; same contract, same ``name``, vectors remembered on disk."""

    def __init__(self, inner: Embedder, folder: Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.folder = Path(folder) if folder is not None else default_folder()
        self.path = self.folder / FILE_NAME
        self.disabled = False
        self.hits = 0
        self.misses = 0
        # called once, just before the first texts go to the model: new text to embed means new sentences
        # to parse, so the command line starts loading the parser then, beside the model (issue 19)
        self.before_model: Callable[[], None] | None = None

    # --- storage -------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self.disabled:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            return self._open()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                return self._give_up(exc)
            return self._rebuild(exc)
        except OSError as exc:
            return self._give_up(exc)

    def _rebuild(self, exc: BaseException) -> sqlite3.Connection | None:
        """Damage (at open or found later in a page): delete the file and start an empty cache."""
        log.warning("embedding cache %s is damaged (%s); rebuilding it", self.path, exc)
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._open()
        except (OSError, sqlite3.Error) as again:
            return self._give_up(again)

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            # no fsync per commit: in WAL mode this never corrupts the file, a power cut can only lose the
            # last vectors written, which are encoded again. The fsyncs cost 0.1-0.2 s of a cold run.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            conn.execute("SELECT count(*) FROM vectors WHERE rowid = 1").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn

    def _give_up(self, exc: BaseException) -> sqlite3.Connection | None:
        # always None; typed as a connection so callers can `return self._give_up(exc)`
        log.warning("embedding cache %s unavailable (%s); going on without it", self.folder, exc)
        self.disabled = True
        return None

    def _lookup(self, conn: sqlite3.Connection, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        bad: list[bytes] = []
        for start in range(0, len(keys), _BATCH):
            part = keys[start : start + _BATCH]
            marks = ",".join("?" * len(part))
            for key, dim, crc, blob in conn.execute(
                f"SELECT key, dim, crc, vec FROM vectors WHERE key IN ({marks})", part
            ):
                vec = _decode(dim, crc, blob)
                if vec is None:
                    bad.append(key)
                else:
                    found[key] = vec
        if bad:
            log.warning("embedding cache: %d damaged vectors dropped, re-encoding them", len(bad))
            self._write(conn, [(k, None) for k in bad], delete=True)
        return found

    def _write(self, conn: sqlite3.Connection, rows: list[tuple[bytes, np.ndarray | None]], *, delete=False) -> None:
        try:
            with conn:
                if delete:
                    conn.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k, _ in rows])
                else:
                    conn.executemany(
                        "INSERT OR REPLACE INTO vectors (key, dim, crc, vec) VALUES (?, ?, ?, ?)",
                        [(k, int(v.shape[0]), zlib.crc32(v.tobytes()), v.tobytes()) for k, v in rows if v is not None],
                    )
        except sqlite3.OperationalError as exc:  # read-only file, disk full: keep working uncached
            self._give_up(exc)
        except sqlite3.Error as exc:  # damage met while writing: the next run starts from an empty cache
            log.warning("embedding cache %s is damaged (%s); it will be rebuilt", self.path, exc)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _model(self) -> Any:  # the inner embedder; a PieceEmbedder where encode_pieces is called on it
        """The inner model, about to be used: the ``before_model`` hook runs first, once."""
        hook, self.before_model = self.before_model, None
        if hook is not None:
            hook()
        return self.inner

    # --- Embedder ------------------------------------------------------------------------------

    def _found(self, conn: sqlite3.Connection, keys: list[bytes]) -> tuple[sqlite3.Connection | None, dict]:
        """The stored vectors for ``keys``, and the connection to go on with (None: work uncached)."""
        try:
            return conn, self._lookup(conn, list(dict.fromkeys(keys)))
        except sqlite3.DatabaseError as exc:
            conn.close()
            # a damaged page turns up only when a query reaches it: rebuild, never trust a partial read
            damaged = not isinstance(exc, sqlite3.OperationalError)
            return (self._rebuild(exc) if damaged else self._give_up(exc)), {}
        except sqlite3.Error as exc:
            self._give_up(exc)
            return conn, {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        conn = self._connect()
        if conn is None:
            return self._model().encode(texts)
        try:
            keys = [_key(self.name, t) for t in texts]
            conn, found = self._found(conn, keys)
            if conn is None:
                return np.asarray(self._model().encode(texts), dtype=np.float32)
            missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
            self.hits += len(texts) - sum(1 for k in keys if k not in found)
            self.misses += len(missing)
            if missing:
                fresh = np.asarray(self._model().encode(missing), dtype=np.float32)
                new = {_key(self.name, t): fresh[i] for i, t in enumerate(missing)}
                found.update(new)
                if not self.disabled:
                    self._write(conn, list(new.items()))
            if not texts:
                return np.asarray(self.inner.encode([]), dtype=np.float32)
            return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)
        finally:
            if conn is not None:
                conn.close()

    def encode_pieces(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> PooledVectors:
        """Sentences and pieces, remembered like sentences: a piece is keyed by its sentence's text and
        its span. Only sentences with something missing go to the model, each in one pass."""
        texts = list(texts)
        spans = [[(int(a), int(b)) for a, b in s] for s in spans]
        if len(spans) != len(texts):
            raise ParallaxError("encode_pieces needs one list of spans per text.")
        owner = np.asarray([i for i, s in enumerate(spans) for _ in s], dtype=np.int64)
        if not isinstance(self.inner, PieceEmbedder):  # the tests' fake: each piece encoded as a text
            piece_texts = [texts[i][a:b] for i, s in enumerate(spans) for a, b in s]
            both = self.encode(texts + piece_texts)
            return PooledVectors(both[: len(texts)], both[len(texts) :], owner, in_context=False)
        conn = self._connect()
        if conn is None:
            return self._model().encode_pieces(texts, spans)
        try:
            skeys = [_key(self.name, t) for t in texts]
            pkeys = [[_piece_key(self.name, t, span) for span in s] for t, s in zip(texts, spans, strict=True)]
            conn, found = self._found(conn, skeys + [k for ks in pkeys for k in ks])
            if conn is None:
                return self._model().encode_pieces(texts, spans)
            todo: dict[tuple[str, tuple[Span, ...]], int] = {}
            for i, t in enumerate(texts):
                if skeys[i] not in found or any(k not in found for k in pkeys[i]):
                    todo.setdefault((t, tuple(spans[i])), i)
            self.hits += len(texts) - sum(1 for i in range(len(texts)) if skeys[i] not in found)
            self.misses += len(todo)
            if todo:
                rows = list(todo.values())
                fresh = self._model().encode_pieces([texts[i] for i in rows], [spans[i] for i in rows])
                new: dict[bytes, np.ndarray] = {}
                k = 0
                for r, i in enumerate(rows):
                    new[skeys[i]] = np.asarray(fresh.sentences[r], dtype=np.float32)
                    for key in pkeys[i]:
                        new[key] = np.asarray(fresh.pieces[k], dtype=np.float32)
                        k += 1
                found.update(new)
                if not self.disabled:
                    self._write(conn, list(new.items()))
            sentences = np.stack([found[k] for k in skeys]) if texts else np.zeros((0, DIM), np.float32)
            flat = [found[k] for ks in pkeys for k in ks]
            pieces = np.stack(flat) if flat else np.zeros((0, DIM), np.float32)
            return PooledVectors(sentences.astype(np.float32), pieces.astype(np.float32), owner)
        finally:
            if conn is not None:
                conn.close()


_piece_key = piece_key


def _decode(dim: int, crc: int, blob: bytes) -> np.ndarray | None:
    """The stored vector, or None when its length, checksum or values give it away as damaged."""
    if not isinstance(blob, bytes) or dim <= 0 or len(blob) != dim * 4 or zlib.crc32(blob) != crc:
        return None
    vec = np.frombuffer(blob, dtype=np.float32).copy()
    if not np.all(np.isfinite(vec)) or abs(float(vec @ vec) - 1.0) > 1e-2:
        return None
    return vec
