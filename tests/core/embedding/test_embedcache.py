"""The disk cache: only new sentences are encoded, damage is rebuilt, an unwritable folder only costs speed."""

from __future__ import annotations

import logging
import sqlite3
import threading

import numpy as np

from reader.embedding.cache import FILE_NAME, CachedEmbedder


def test_reuses_vectors_across_instances(tmp_path, fake_embedder):
    first = CachedEmbedder(fake_embedder, tmp_path)
    a = first.encode(["one fact", "another fact", "one fact"])
    assert fake_embedder.calls == [2]  # duplicates encoded once
    again = CachedEmbedder(fake_embedder, tmp_path)  # "reopening the comparison"
    b = again.encode(["one fact", "another fact", "a new article's sentence"])
    assert fake_embedder.calls == [2, 1]  # only the new sentence
    np.testing.assert_array_equal(a[:2], b[:2])
    assert again.name == fake_embedder.name


def test_default_folder_is_under_the_cache_dir(fake_embedder):
    from reader.paths import cache_dir

    cached = CachedEmbedder(fake_embedder)
    cached.encode(["x y z"])
    assert (cache_dir() / "embeddings" / FILE_NAME).is_file()


def test_keyed_by_model_name(tmp_path, fake_embedder):
    CachedEmbedder(fake_embedder, tmp_path).encode(["same text"])

    class Other:
        name = "another-model"

        def __init__(self):
            self.calls = 0

        def encode(self, texts):
            self.calls += 1
            return np.ones((len(texts), 384), dtype=np.float32) / np.sqrt(384)

    other = Other()
    CachedEmbedder(other, tmp_path).encode(["same text"])
    assert other.calls == 1


def test_damaged_file_is_rebuilt(tmp_path, fake_embedder, caplog):
    CachedEmbedder(fake_embedder, tmp_path).encode(["a sentence"])
    (tmp_path / FILE_NAME).write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"{FILE_NAME}{suffix}").unlink(missing_ok=True)
    with caplog.at_level(logging.WARNING):
        out = CachedEmbedder(fake_embedder, tmp_path).encode(["a sentence"])
    np.testing.assert_allclose(out, fake_embedder.encode(["a sentence"]))
    assert "damaged" in caplog.text
    assert CachedEmbedder(fake_embedder, tmp_path).encode(["a sentence"]).shape == (1, 384)


def test_damaged_vector_is_never_trusted(tmp_path, fake_embedder):
    CachedEmbedder(fake_embedder, tmp_path).encode(["a sentence", "b sentence"])
    with sqlite3.connect(tmp_path / FILE_NAME) as conn:
        conn.execute("UPDATE vectors SET vec = zeroblob(1536)")  # right length, wrong bytes (checksum)
    calls = len(fake_embedder.calls)
    out = CachedEmbedder(fake_embedder, tmp_path).encode(["a sentence", "b sentence"])
    assert len(fake_embedder.calls) == calls + 1
    np.testing.assert_allclose(out, fake_embedder.encode(["a sentence", "b sentence"]))


def test_unwritable_folder_degrades_to_no_cache(tmp_path, fake_embedder, caplog):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    cached = CachedEmbedder(fake_embedder, blocker / "embeddings")
    with caplog.at_level(logging.WARNING):
        out = cached.encode(["still works"])
    assert out.shape == (1, 384) and cached.disabled
    assert "without it" in caplog.text


def test_concurrent_writers_do_not_corrupt(tmp_path, fake_embedder):
    texts = [f"sentence {k}" for k in range(200)]
    errors = []

    def work(offset):
        try:
            CachedEmbedder(type(fake_embedder)(), tmp_path).encode(texts[offset:] + texts[:offset])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k * 37,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    check = CachedEmbedder(fake_embedder, tmp_path)
    np.testing.assert_allclose(check.encode(texts), fake_embedder.encode(texts), atol=1e-6)
    assert check.misses == 0


def test_damage_met_mid_file_is_rebuilt_not_abandoned(tmp_path, fake_embedder, caplog):
    texts = [f"Rescue team {k} reached block {k * 7} before noon." for k in range(600)]
    CachedEmbedder(fake_embedder, tmp_path).encode(texts)
    path = tmp_path / FILE_NAME
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    mid = (len(data) // 2) // 4096 * 4096
    data[mid : mid + 4 * 4096] = bytes(4 * 4096)  # the header is fine: SQLite opens it and fails on a query
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        first = CachedEmbedder(fake_embedder, tmp_path)
        np.testing.assert_allclose(first.encode(texts), fake_embedder.encode(texts), atol=1e-6)
    assert "damaged" in caplog.text
    again = CachedEmbedder(fake_embedder, tmp_path)
    again.encode(texts)
    assert not again.disabled and again.misses == 0
