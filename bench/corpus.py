"""Test and bench material: the stories as articles, and generated corpora for speed.

Stories load through the product's own intake (``reader.pipeline.load_articles``), the
same articles the app would show. There used to be a stand-in splitter for when intake
was unfinished, and a lenient scorer beside ``bench.evalkey.score``: both are gone, so
that every alignment-quality figure comes from one path (``bench.evalrun``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from reader.model import Article, Sentence

ROOT = Path(__file__).resolve().parent.parent


def load_articles(paths: Sequence[Path]) -> list[Article]:
    """The files as the app reads them: ids a1, a2, ... in the given order, outlet names made distinct."""
    from reader.pipeline import load_articles as product_load

    return list(product_load([str(p) for p in paths]))


def story_paths(story: str) -> list[Path]:
    """An answer key's ``story``: "demo" (the bundled demo), a folder under tests/data, or an absolute folder."""
    if story == "demo":
        from reader.paths import demo_sources

        return demo_sources()
    folder = Path(story)
    return sorted((folder if folder.is_absolute() else ROOT / "tests" / "data" / story).glob("*.txt"))


# --- generated corpora for speed --------------------------------------------------------------------

_SUBJECTS = ["Officials", "Witnesses", "The ministry", "Rescue teams", "The company", "Police", "Local residents",
             "The army", "Prosecutors", "The council", "Analysts", "Doctors", "The union", "Investors"]
_VERBS = ["said", "reported", "confirmed", "denied", "warned", "announced", "estimated", "claimed"]
_OBJECTS = ["the death toll had risen to {n}", "{n} people had been evacuated from the area",
            "talks would resume on {d}", "the bridge would stay closed until {d}",
            "prices had climbed by {n} percent", "about {n} homes were without power",
            "the vote would be held on {d}", "{n} arrests had been made overnight",
            "the fire had spread across {n} hectares", "a further {n} troops would be deployed"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def generated_corpus(n_articles: int, sentences: int = 40, seed: int = 7) -> list[Article]:
    """Articles that retell a shared pool of facts in varied words and order, ~25 words a sentence."""
    rng = random.Random(seed)
    pool = [
        (rng.choice(_SUBJECTS), rng.choice(_OBJECTS), rng.randint(2, 9000), rng.choice(_DAYS))
        for _ in range(sentences * 3)
    ]
    articles = []
    for a in range(n_articles):
        facts = rng.sample(pool, sentences)
        facts.sort(key=lambda f: pool.index(f) + rng.randint(-10, 10))
        sents = []
        offset = 0
        for k, (subj, obj, n, d) in enumerate(facts):
            text = (
                f"{subj} {rng.choice(_VERBS)} on {d} that {obj.format(n=n, d=rng.choice(_DAYS))}, "
                f"according to a statement issued in the capital late in the day."
            )
            sents.append(Sentence(f"a{a + 1}.s{k + 1}", text, k, offset, offset + len(text), text.lower()))
            offset += len(text) + 2
        body = "\n\n".join(s.text for s in sents)
        articles.append(Article(f"a{a + 1}", f"generated-{a + 1}", f"Outlet {a + 1}", "Generated", body, tuple(sents)))
    return articles


def fake_embeddings(n_rows: int, n_articles: int, dim: int = 384, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Clustered unit vectors: each article retells shared facts with noise, so alignment has real work."""
    rng = np.random.default_rng(seed)
    n_facts = max(1, n_rows // 6)  # a fact is retold by about six outlets, as in a large news archive
    centres = rng.standard_normal((n_facts, dim)).astype(np.float32)
    per = n_rows // n_articles
    article_of = np.repeat(np.arange(n_articles), per)[:n_rows]
    if len(article_of) < n_rows:
        article_of = np.concatenate([article_of, np.full(n_rows - len(article_of), n_articles - 1)])
    fact = rng.integers(0, n_facts, n_rows)
    emb = centres[fact] + 0.9 * rng.standard_normal((n_rows, dim)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    return emb.astype(np.float32), article_of
