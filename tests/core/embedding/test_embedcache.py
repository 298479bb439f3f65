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


class _PieceFake:
    """The fake model with ``encode_pieces`` (pieces encoded as texts): counts what reaches it."""

    def __init__(self, fake):
        self.fake = fake
        self.name = fake.name
        self.piece_calls: list[list[str]] = []

    def encode(self, texts):
        return self.fake.encode(texts)

    def encode_pieces(self, texts, spans):
        from reader.embedding.minilm import PooledVectors

        self.piece_calls.append(list(texts))
        parts = [t[a:b] for t, s in zip(texts, spans, strict=True) for a, b in s]
        owner = np.asarray([i for i, s in enumerate(spans) for _ in s], dtype=np.int64)
        return PooledVectors(self.fake.encode(texts), self.fake.encode(parts).reshape(-1, 384), owner)


TEXTS = ["The dam held overnight, engineers said, and the road reopened.", "Schools stayed shut."]
SPANS = [[(0, 21), (38, 62)], []]


def test_pieces_are_cached_with_their_sentence(tmp_path, fake_embedder):
    inner = _PieceFake(fake_embedder)
    first = CachedEmbedder(inner, tmp_path).encode_pieces(TEXTS, SPANS)
    assert inner.piece_calls == [TEXTS]
    again = CachedEmbedder(inner, tmp_path).encode_pieces(TEXTS[::-1], SPANS[::-1])
    assert inner.piece_calls == [TEXTS]  # nothing new reached the model
    np.testing.assert_array_equal(again.sentences[::-1], first.sentences)
    np.testing.assert_array_equal(again.pieces, first.pieces)
    assert again.owner.tolist() == [1, 1]
    # another cut of a known sentence: that sentence alone goes back to the model, in one pass
    other = CachedEmbedder(inner, tmp_path).encode_pieces(TEXTS, [[(0, 21)], [(0, 7)]])
    assert inner.piece_calls == [TEXTS, [TEXTS[1]]]
    np.testing.assert_array_equal(other.pieces[0], first.pieces[0])
    np.testing.assert_allclose(other.pieces[1], fake_embedder.encode([TEXTS[1][0:7]])[0], atol=1e-6)


def test_piece_keys_never_collide_with_sentence_keys(tmp_path, fake_embedder):
    cached = CachedEmbedder(_PieceFake(fake_embedder), tmp_path)
    whole = cached.encode_pieces(TEXTS[:1], [[(0, len(TEXTS[0]))]])
    sentence_only = CachedEmbedder(fake_embedder, tmp_path).encode(TEXTS[:1])
    np.testing.assert_array_equal(whole.sentences, sentence_only)
    assert cached.misses == 1


def test_pieces_through_a_plain_embedder_are_encoded_as_texts(tmp_path, fake_embedder):
    out = CachedEmbedder(fake_embedder, tmp_path).encode_pieces(TEXTS, SPANS)
    np.testing.assert_allclose(out.pieces, fake_embedder.encode([TEXTS[0][0:21], TEXTS[0][38:62]]), atol=1e-6)


def test_pieces_without_a_usable_cache_still_work(tmp_path, fake_embedder):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    inner = _PieceFake(fake_embedder)
    cached = CachedEmbedder(inner, blocker / "embeddings")
    out = cached.encode_pieces(TEXTS, SPANS)
    assert cached.disabled and out.pieces.shape == (2, 384) and inner.piece_calls == [TEXTS]


def test_before_model_runs_once_and_only_when_the_model_is_needed(tmp_path, fake_embedder):
    # the command line starts loading the parser there: new text for the model means new sentences to parse
    calls: list[int] = []
    cached = CachedEmbedder(fake_embedder, tmp_path)
    cached.before_model = lambda: calls.append(len(fake_embedder.calls))
    cached.encode(["a first fact", "a second fact"])
    cached.encode(["a third fact"])
    assert calls == [0]  # once, before the model's first call
    again = CachedEmbedder(fake_embedder, tmp_path)
    again.before_model = lambda: calls.append(-1)
    again.encode(["a first fact", "a third fact"])
    assert calls == [0]  # everything was stored: the model, and the hook, never called
