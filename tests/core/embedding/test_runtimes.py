"""The app's runtimes against sentence-transformers, the reference that defines the vectors; pieces
pooled from one forward pass against a brute-force reference; both bf16 and fp32 on any CPU."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bench.corpus import load_articles, story_paths
from reader.embedding.embed import ModelEmbedder, embed_with_pieces
from reader.embedding.minilm import MiniLMEmbedder, piece_tokens
from reader.embedding.runtimes import onnx_available

# (runtime, bf16): every path the app can take, whatever this CPU is (emulated bf16 is only slower)
PATHS = [("torch", False), ("torch", True)]
if onnx_available():
    PATHS.append(("onnx", False))


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    # real wire copy: the demo's sentences and one invented story's, long and short
    texts = [s.text for name in ("demo", "tessel-flood") for a in load_articles(story_paths(name)) for s in a.sentences]
    return texts[::3]


@pytest.fixture(scope="module")
def reference():
    fp32 = ModelEmbedder(bf16=False)
    model = fp32._load()
    fp32.bf16 = False
    bf16 = ModelEmbedder(bf16=True)
    bf16._model, bf16.bf16 = model, True
    return {False: fp32, True: bf16}


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_piece_tokens_take_the_words_inside_the_span():
    # [CLS] the flood , which rose fast [SEP] ; offsets as the tokenizer gives them
    offsets = [(0, 0), (0, 3), (4, 9), (9, 10), (11, 16), (17, 21), (22, 26), (0, 0)]
    special = [1, 0, 0, 0, 0, 0, 0, 1]
    assert piece_tokens(offsets, special, (0, 9)) == [1, 2]
    assert piece_tokens(offsets, special, (11, 26)) == [4, 5, 6]
    assert piece_tokens(offsets, special, (30, 40)) == []


@pytest.mark.model
@pytest.mark.parametrize(("runtime", "bf16"), PATHS)
def test_runtime_vectors_match_sentence_transformers(runtime, bf16, sentences, reference):
    ours = MiniLMEmbedder(runtime=runtime, bf16=bf16)
    got = ours.encode(sentences)
    assert ours.runtime == runtime and ours.bf16 == bf16
    assert got.dtype == np.float32 and got.shape == (len(sentences), 384)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert _cos(got, reference[bf16].encode(sentences)).min() >= 0.9999
    assert _cos(got, reference[False].encode(sentences)).min() >= 0.9999  # bf16 stays close to fp32 too


def _brute_force_pieces(model, texts: list[str], spans: list[list[tuple[int, int]]]) -> np.ndarray:
    """Sentence-transformers' own token vectors and transformers' offsets, pooled here, one text at a time."""
    out = []
    for text, its in zip(texts, spans, strict=True):
        tokens = model.encode(text, output_value="token_embeddings", convert_to_numpy=True)
        enc = model.tokenizer(text, return_offsets_mapping=True, truncation=True, max_length=256)
        for start, end in its:
            rows = [t for t, (a, b) in enumerate(enc["offset_mapping"]) if b > a and start <= a < end]
            vec = np.asarray(tokens)[rows].mean(axis=0)
            out.append(vec / np.linalg.norm(vec))
    return np.asarray(out, dtype=np.float32)


def _spans(texts: list[str]) -> list[list[tuple[int, int]]]:
    """Cut at commas (a piece per clause), plus a few spans that cut a word or reach past the end."""
    spans = []
    for text in texts:
        cuts = [-1] + [k for k, c in enumerate(text) if c == ","] + [len(text)]
        spans.append([(a + 1, b) for a, b in itertools.pairwise(cuts) if b - a > 12])
    spans[0] = [*spans[0], (3, 17), (0, 10_000)]
    return spans


@pytest.mark.model
@pytest.mark.parametrize("runtime", [p[0] for p in PATHS if not p[1]])
def test_pieces_from_one_pass_equal_pooling_done_separately(runtime, sentences, reference):
    texts = sentences[:40]
    spans = _spans(texts)
    ours = MiniLMEmbedder(runtime=runtime, bf16=False)
    pooled = ours.encode_pieces(texts, spans)
    assert pooled.pieces.shape == (sum(map(len, spans)), 384)
    assert pooled.owner.tolist() == [i for i, s in enumerate(spans) for _ in s]
    assert _cos(pooled.sentences, ours.encode(texts)).min() >= 0.99999  # the same pass gives the same sentence
    expected = _brute_force_pieces(reference[False]._load(), texts, spans)
    assert _cos(pooled.pieces, expected).min() >= 0.9999
    # a piece is not its sentence: pooling really used the span
    assert _cos(pooled.pieces, pooled.sentences[pooled.owner]).min() < 0.99


@pytest.mark.model
def test_embed_with_pieces_batches_like_one_call(real_embedder, sentences):
    texts = sentences[:30]
    spans = _spans(texts)
    whole = real_embedder.encode_pieces(texts, spans)
    seen = []
    batched = embed_with_pieces(real_embedder, texts, spans, progress=seen.append, batch_size=7)
    assert _cos(batched.sentences, whole.sentences).min() >= 0.9999
    assert _cos(batched.pieces, whole.pieces).min() >= 0.9999
    assert seen[-1].done == seen[-1].total == len(texts)


def test_embed_with_pieces_without_a_piece_embedder_encodes_the_pieces_as_texts(fake_embedder):
    texts = ["Floodwater rose overnight, and the bridge closed at dawn.", "Shops stayed shut."]
    spans = [[(0, 24), (26, 56)], []]
    out = embed_with_pieces(fake_embedder, texts, spans)
    np.testing.assert_allclose(out.pieces, fake_embedder.encode([texts[0][0:24], texts[0][26:56]]), atol=1e-6)
    np.testing.assert_allclose(out.sentences, fake_embedder.encode(texts), atol=1e-6)
    assert out.owner.tolist() == [0, 0]


@pytest.mark.skipif(not onnx_available(), reason="no exported ONNX graph installed")
def test_a_graph_saved_with_its_fusions_made_gives_the_same_vectors_bit_for_bit(tmp_path, sentences):
    # the install saves the graph with ONNX Runtime's portable fusions made, so each start skips them
    # (reader.embedding.export._optimise); saving it so must leave the arithmetic exactly as it was
    from reader.embedding import export
    from reader.embedding.embed import checked_model_path
    from reader.embedding.minilm import _tokenizer
    from reader.embedding.runtimes import OnnxModel, onnx_file

    source = onnx_file()
    fused = tmp_path / "fused.onnx"
    export._optimise(str(source), str(fused))
    encs = _tokenizer(checked_model_path(verify=False)).encode_batch(sentences[:24])
    ids = np.zeros((len(encs), max(len(e.ids) for e in encs)), dtype=np.int64)
    for r, e in enumerate(encs):
        ids[r, : len(e.ids)] = e.ids
    mask = (ids != 0).astype(np.int64)
    before, after = (OnnxModel(path, threads=1).forward(ids, mask) for path in (source, fused))
    assert np.array_equal(before, after)
