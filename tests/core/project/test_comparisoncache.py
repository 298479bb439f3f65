"""Kept comparisons: reused only for the same articles, settings, code and vectors, and then identical."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from fakes import FakeEmbedder

import reader.align.grouping
from reader import cli
from reader.embedding.bundled import MODEL_NAME
from reader.embedding.cache import CachedEmbedder
from reader.embedding.cachefile import FILE_NAME, default_folder, sentence_key
from reader.embedding.minilm import PooledVectors
from reader.pipeline import build_comparison, load_articles
from reader.project import comparisoncache
from reader.project.comparisoncache import compare_stored, reuse
from reader.reports.jsonout import to_json

ROOT = Path(__file__).resolve().parents[3]
STORY = sorted((ROOT / "tests" / "data" / "stories" / "tessel-flood").glob("*.txt"))


class NamedFake(FakeEmbedder):
    """The fake under the bundled model's name, pooling pieces as the model does (here: each encoded on
    its own, yet called pooled as the cache reports it): what the command line's model looks like to the caches."""

    name = MODEL_NAME

    def encode_pieces(self, texts, spans) -> PooledVectors:
        owner = np.asarray([i for i, s in enumerate(spans) for _ in s], dtype=np.int64)
        pieces = [texts[i][a:b] for i, s in enumerate(spans) for a, b in s]
        both = self.encode(list(texts) + pieces)
        return PooledVectors(both[: len(texts)], both[len(texts):], owner)


class ShiftedFake(FakeEmbedder):
    """Another runtime or precision of "the same model": same name, vectors a little apart."""

    def encode(self, texts):
        out = super().encode(texts)
        out[:, 0] += 0.01
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _json(comparison) -> str:
    return json.dumps(to_json(comparison), ensure_ascii=False, indent=2)


def _fresh(articles, embedder, strictness: float = 0.5) -> str:
    return _json(build_comparison(articles, reader.align.grouping.prepare(articles, embedder), strictness))


@pytest.fixture(scope="module")
def articles():
    return load_articles([str(p) for p in STORY])


def _no_alignment(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("aligned again instead of reusing the kept comparison")

    monkeypatch.setattr(reader.align.grouping, "prepare", refuse)


@pytest.mark.parametrize("cached", [True, False], ids=["disk-cached model", "any embedder"])
def test_a_reused_comparison_is_identical_to_a_fresh_one(articles, monkeypatch, cached: bool) -> None:
    embedder = CachedEmbedder(NamedFake()) if cached else FakeEmbedder()
    first = compare_stored(articles, embedder, 0.5)
    assert _json(first) == _fresh(articles, NamedFake() if cached else FakeEmbedder())
    _no_alignment(monkeypatch)
    again = compare_stored(articles, embedder, 0.5)
    assert _json(again) == _json(first)
    assert again == first
    if cached:
        assert reuse(articles, 0.5) == first  # the command line's check: straight from the files


def test_the_app_gets_the_basis_it_made_and_none_for_a_kept_comparison(articles, monkeypatch) -> None:
    embedder = CachedEmbedder(NamedFake())
    made, basis = comparisoncache.compare_kept(articles, embedder, 0.5)
    assert basis is not None and len(basis.sentence_ids) == sum(len(a.sentences) for a in articles)
    _no_alignment(monkeypatch)
    kept, none = comparisoncache.compare_kept(articles, embedder, 0.5)
    assert none is None and kept == made


def test_strictness_articles_and_settings_each_miss(articles, monkeypatch) -> None:
    embedder = CachedEmbedder(NamedFake())
    compare_stored(articles, embedder, 0.5)
    assert reuse(articles, 0.5) is not None
    assert reuse(articles, 0.6) is None
    assert reuse(articles[:-1], 0.5) is None
    renamed = (replace(articles[0], outlet="Another Outlet"), *articles[1:])
    assert reuse(renamed, 0.5) is None
    monkeypatch.setenv("PARALLAX_BF16", "1")
    assert reuse(articles, 0.5) is None
    monkeypatch.delenv("PARALLAX_BF16")
    monkeypatch.setattr("reader.resultcache._fingerprint", "edited code")
    assert reuse(articles, 0.5) is None


def test_other_vectors_under_the_same_name_miss(articles, monkeypatch) -> None:
    compare_stored(articles, FakeEmbedder(), 0.5)
    shifted = ShiftedFake()
    assert _json(compare_stored(articles, shifted, 0.5)) == _fresh(articles, ShiftedFake())
    assert shifted.calls  # asked again, answered otherwise, so compared afresh


def test_a_changed_stored_vector_misses(articles) -> None:
    embedder = CachedEmbedder(NamedFake())
    compare_stored(articles, embedder, 0.5)
    text = articles[0].sentences[0].text
    other = np.zeros(384, dtype=np.float32)
    other[7] = 1.0
    import zlib

    with sqlite3.connect(default_folder() / FILE_NAME) as conn:
        conn.execute("UPDATE vectors SET vec = ?, crc = ? WHERE key = ?",
                     (other.tobytes(), zlib.crc32(other.tobytes()), sentence_key(MODEL_NAME, text)))
    assert reuse(articles, 0.5) is None
    fresh = compare_stored(articles, embedder, 0.5)  # made again from the vectors now stored
    assert reuse(articles, 0.5) == fresh


def test_a_cleared_embedding_cache_misses(articles) -> None:
    compare_stored(articles, CachedEmbedder(NamedFake()), 0.5)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{default_folder() / FILE_NAME}{suffix}").unlink(missing_ok=True)
    assert reuse(articles, 0.5) is None


def test_an_embedder_with_another_folder_is_not_the_command_lines(articles, tmp_path) -> None:
    compare_stored(articles, CachedEmbedder(NamedFake(), tmp_path / "elsewhere"), 0.5)
    assert reuse(articles, 0.5) is None


def test_a_damaged_entry_is_compared_afresh(articles) -> None:
    embedder = CachedEmbedder(NamedFake())
    first = compare_stored(articles, embedder, 0.5)
    for entry in comparisoncache.STORE.folder.glob("*.pickle"):
        entry.write_bytes(b"\x80\x05garbage")
    assert reuse(articles, 0.5) is None
    assert compare_stored(articles, embedder, 0.5) == first


def test_the_command_line_reopens_without_numpy_alignment_or_differences(tmp_path, monkeypatch) -> None:
    # first run in this process with the fake under the model's name: the vectors, articles and
    # comparison are kept; the second run, a process of its own, must find all three
    monkeypatch.setattr("reader.embedding.embed.default_embedder", lambda: CachedEmbedder(NamedFake()))
    # one code fingerprint for both processes: others may be editing this checkout while the suite runs
    monkeypatch.setattr("reader.resultcache._fingerprint", "this code")
    out1, out2 = tmp_path / "one.json", tmp_path / "two.json"
    files = [str(p) for p in STORY]
    assert cli.main(["compare", *files, "-q", "--json", str(out1)]) == 0
    code = (
        "import sys\n"
        "import reader.resultcache\n"
        "reader.resultcache._fingerprint = 'this code'\n"
        "from reader.cli import main\n"
        f"code = main(['compare', *{files!r}, '-q', '--json', {str(out2)!r}])\n"
        "heavy = ('numpy', 'reader.align', 'reader.differences', 'reader.intake.cleaning', 'pysbd', 'spacy')\n"
        "print(code, sorted({m.split('.')[0] if m.startswith(('numpy', 'pysbd', 'spacy')) else m\n"
        "                    for m in sys.modules if m.startswith(heavy)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
                          env=dict(os.environ))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "0 []", done.stdout
    assert out2.read_bytes() == out1.read_bytes()


def test_no_cache_keeps_nothing(tmp_path, monkeypatch) -> None:
    from reader.paths import cache_dir

    monkeypatch.setattr("reader.embedding.embed.load_model_embedder", NamedFake)
    out = tmp_path / "out.json"
    assert cli.main(["compare", *[str(p) for p in STORY], "-q", "--no-cache", "--json", str(out)]) == 0
    assert out.is_file()
    assert not any((cache_dir() / kind).exists() for kind in ("articles", "comparisons", "embeddings"))


def test_reuse_looks_where_the_command_lines_model_keeps_its_vectors() -> None:
    # reuse() checks entries without building the embedder: it must look under the same name and folder
    from reader.embedding import embed
    from reader.embedding.embed import PieceEmbedder

    model = embed.default_embedder()  # nothing is loaded until the first encode
    assert isinstance(model, CachedEmbedder) and isinstance(model.inner, PieceEmbedder)
    assert (model.name, model.folder) == (MODEL_NAME, default_folder())
