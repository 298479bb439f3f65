"""The shared-word products by numpy (no scipy import on a story's size) against scipy.sparse, bit for bit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.align import candidates, wordproducts
from reader.align.features import lexical_vectors, pair_lexical
from reader.align.wordproducts import Products

ROOT = Path(__file__).resolve().parents[3]
WORDS = "flood river town police bridge power rain army school mayor toll vote court fire 1,200 40".split()


def _texts(seed: int, n: int) -> list[str]:
    rng = np.random.default_rng(seed)
    texts = [" ".join(rng.choice(WORDS, int(rng.integers(0, 9)))) for _ in range(n)]
    return [t.title() if r % 3 == 0 else t for r, t in enumerate(texts)]  # capitals weigh more


def _bits(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float32).view(np.int32)


def _both(texts: list[str]) -> tuple[Products, Products]:
    lv = lexical_vectors(texts)
    return (Products(lv.indptr, lv.indices, lv.data, lv.vocabulary, use_numpy=True),
            Products(lv.indptr, lv.indices, lv.data, lv.vocabulary, use_numpy=False))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 90), st.integers(1, 40), st.sampled_from([0.0, 0.12, 0.3]))
def test_blocks_equal_scipy_bit_for_bit_and_in_order(seed: int, n: int, block: int, floor: float) -> None:
    # the order of a row's entries matters: top_k_of_each keeps the earlier of tied values
    fast, slow = _both(_texts(seed, n))
    for r0 in range(0, n, block):
        got, want = fast.block(r0, min(n, r0 + block), floor), slow.block(r0, min(n, r0 + block), floor)
        assert np.array_equal(got[0], want[0])
        assert np.array_equal(got[1], want[1])
        assert np.array_equal(_bits(got[2]), _bits(want[2]))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 90))
def test_pair_products_equal_scipy_bit_for_bit(seed: int, n: int) -> None:
    fast, slow = _both(_texts(seed, n))
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, n, 300), rng.integers(0, n, 300)
    assert np.array_equal(_bits(fast.pairs(i, j)), _bits(slow.pairs(i, j)))
    assert len(fast.pairs(i[:0], j[:0])) == 0


def test_a_real_size_story_is_equal_too() -> None:
    # the invented stories' sentences together (~1,100 rows): long rows, figures, many shared words
    texts = [line for p in sorted((ROOT / "tests" / "data" / "stories").glob("*/*.txt"))
             for line in p.read_text(encoding="utf-8").replace(". ", ".\n").splitlines() if line.strip()]
    fast, slow = _both(texts)
    assert len(texts) > 500
    for r0 in range(0, len(texts), 256):
        got, want = fast.block(r0, min(len(texts), r0 + 256), 0.12), slow.block(r0, min(len(texts), r0 + 256), 0.12)
        assert all(np.array_equal(_bits(a) if a.dtype == np.float32 else a, _bits(b) if b.dtype == np.float32 else b)
                   for a, b in zip(got, want, strict=True))
    rng = np.random.default_rng(1)
    i, j = rng.integers(0, len(texts), 5000), rng.integers(0, len(texts), 5000)
    assert np.array_equal(_bits(fast.pairs(i, j)), _bits(slow.pairs(i, j)))


def test_candidates_and_pair_lexical_are_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts(7, 120)
    art = np.arange(120) % 4
    lv = lexical_vectors(texts)
    fast = candidates.lexical_candidates(lv.products(), art, 5, 0.12)
    slow = candidates.lexical_candidates(lv.to_scipy(), art, 5, 0.12)
    assert lv.products().numpy
    assert all(np.array_equal(a, b) for a, b in zip(fast, slow, strict=True))
    i, j = fast
    with_numpy = pair_lexical(lv, i, j)
    monkeypatch.setattr(wordproducts, "WORK_LIMIT", 0)  # every story "too big": scipy runs
    assert not lv.products().numpy
    assert np.array_equal(_bits(pair_lexical(lv, i, j)), _bits(with_numpy))
    assert all(np.array_equal(a, b) for a, b in
               zip(candidates.lexical_candidates(lv.products(), art, 5, 0.12), fast, strict=True))


def test_work_counts_the_word_products() -> None:
    # words 0 and 2 in two rows each, word 1 in one: 4 + 1 + 4
    assert wordproducts.work(np.array([0, 1, 2, 0, 2])) == 9
    assert wordproducts.work(np.array([], dtype=np.int64)) == 0


def test_a_story_compared_without_scipy_imported() -> None:
    code = (
        "import sys\n"
        "from reader.align.grouping import align\n"
        "from reader.intake.articles import build_article\n"
        "from reader.model import RawDocument\n"
        "from tests.fakes import FakeEmbedder\n"
        "body = 'The river rose 3 metres in Tessaly. Police closed the bridge. The mayor spoke.'\n"
        "def art(k):\n"
        "    return build_article(RawDocument(f'o{k}.txt', body), f'a{k}')\n"
        "align([art(1), art(2)], FakeEmbedder())\n"
        "print('scipy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
