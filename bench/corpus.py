"""Test and bench material for alignment: stories as articles, answer keys, generated corpora.

Stories load through the real intake (``reader.intake.articles.build_article``) when
it is present, else through a plain stand-in splitter, so the evaluation keeps
working while intake is being built. Answer keys name sentences by a short
substring, never by id, so a change in segmentation does not break them.
"""

from __future__ import annotations

import json
import random
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reader.model import Article, Group, Sentence

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "data" / "eval"
STORIES_DIR = ROOT / "tests" / "data" / "stories"
_SENTENCE_END = re.compile(r"(?:(?<=[.!?][\"”’)])|(?<=[.!?]))\s+(?=[\"“‘(]?[A-Z0-9])")


def stand_in_article(path: Path, article_id: str) -> Article:
    """Title = first line; paragraphs split on blank lines; sentences on end punctuation."""
    text = path.read_text(encoding="utf-8")
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip()]
    title, paragraphs = (blocks[0], blocks[1:]) if len(blocks) > 1 else ("", blocks)
    body = "\n\n".join(paragraphs)
    sentences: list[Sentence] = []
    offset = 0
    for p, para in enumerate(paragraphs):
        start = 0
        for piece in _SENTENCE_END.split(para):
            at = para.index(piece, start)
            start = at + len(piece)
            sid = f"{article_id}.s{len(sentences) + 1}"
            sentences.append(Sentence(sid, piece, p, offset + at, offset + start, piece.lower()))
        offset += len(para) + 2
    return Article(article_id, str(path), path.stem, title, body, tuple(sentences))


def load_articles(paths: Sequence[Path]) -> list[Article]:
    try:
        from reader.intake.articles import build_article
        from reader.intake.sources import load_source

        return [build_article(load_source(str(p)), f"a{i + 1}") for i, p in enumerate(paths)]
    except Exception as exc:  # intake is another team's work in progress: keep alignment measurable meanwhile
        warnings.warn(f"intake unavailable ({type(exc).__name__}: {exc}); using the stand-in splitter", stacklevel=2)
        return [stand_in_article(p, f"a{i + 1}") for i, p in enumerate(paths)]


def story_paths(story: str) -> list[Path]:
    if story == "demo":
        from reader.paths import demo_sources

        return demo_sources()
    return sorted((ROOT / "tests" / "data" / story).glob("*.txt"))


@dataclass(frozen=True)
class EvalSet:
    name: str
    story: str
    complete: bool  # every true pair listed: precision is exact, not estimated from look-alikes
    facts: tuple[tuple[str, ...], ...]
    lookalikes: tuple[tuple[str, str], ...]
    pairs: tuple[tuple[str, str], ...]


def eval_sets() -> list[EvalSet]:
    out = []
    for path in sorted(EVAL_DIR.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        out.append(
            EvalSet(
                path.stem,
                raw["story"],
                bool(raw.get("complete", False)),
                tuple(tuple(f) for f in raw.get("facts", [])),
                tuple((a, b) for a, b in raw.get("lookalikes", [])),
                tuple((a, b) for a, b in raw.get("pairs", [])),
            )
        )
    return out


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    lookalikes: int
    lookalikes_joined: int


def find_sentence(articles: Sequence[Article], needle: str) -> str:
    hits = [s.id for a in articles for s in a.sentences if needle in " ".join(s.text.split())]
    if len(hits) != 1:
        raise ValueError(f"answer key substring {needle!r} matches {len(hits)} sentences")
    return hits[0]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def quality(articles: Sequence[Article], groups: Sequence[Group], key: EvalSet) -> Quality:
    art = {s.id: a.id for a in articles for s in a.sentences}
    predicted = {
        _pair(x, y) for g in groups for i, x in enumerate(g.sentences) for y in g.sentences[i + 1 :] if art[x] != art[y]
    }
    truth: set[tuple[str, str]] = set()
    for fact in key.facts:
        ids = [find_sentence(articles, f) for f in fact]
        truth |= {_pair(x, y) for i, x in enumerate(ids) for y in ids[i + 1 :] if art[x] != art[y]}
    truth |= {_pair(find_sentence(articles, a), find_sentence(articles, b)) for a, b in key.pairs}
    looks = {_pair(find_sentence(articles, a), find_sentence(articles, b)) for a, b in key.lookalikes}
    tp = len(truth & predicted)
    if key.complete:
        fp = len(predicted - truth)
    else:  # only the annotated look-alikes are known to be wrong
        fp = len(looks & predicted)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(precision, recall, f1, len(truth), len(looks), len(looks & predicted))


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
