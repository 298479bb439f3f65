"""Alignment quality on hand-made answer keys (tests/data/eval), with floors that catch regressions.

The flood and earthquake stories (invented) and demo-full (real wire copy) have
complete keys (exact precision); the older demo key lists pairs and look-alike
non-pairs read off the articles (precision counts only those).
"""

from __future__ import annotations

import pytest

from bench.corpus import eval_sets, load_articles, quality, story_paths
from reader.align.grouping import group, prepare

KEYS = {k.name: k for k in eval_sets()}
# (precision, recall, look-alikes joined at most) at the default strictness, real model, a few points below the
# levels measured with topic-relative scores, sentence pieces, restatements and the majority bar for a merged
# sentence's second group (printed by `python -m bench.evalrun`; causes by `python -m bench.aligndiag`):
# tessel 1.00/0.88/0, jirgal 0.86/0.83/3, demo-full 0.56/0.38/9, demo 0.87/0.79/4, and the two held-out stories
# (keys written before any aligner run) dassora-fire 0.85/0.76/8, vardel-ruling 0.72/0.78/13. The raw-cosine
# aligner before them measured demo-full 0.44/0.32 and fails its floor.
FLOORS = {
    "tessel-flood": (0.90, 0.80, 1),
    "jirgal-quake": (0.82, 0.78, 4),
    "demo-full": (0.52, 0.35, 10),
    "demo": (0.80, 0.72, 5),
    "dassora-fire": (0.80, 0.71, 9),
    "vardel-ruling": (0.68, 0.74, 14),
    # three harder clusters written to copy real coverage (0.714/0.723/10, 0.617/0.637/11, 0.708/0.829/5)
    "karsalo-mutiny": (0.67, 0.68, 12),
    "kiboro-cyclone": (0.57, 0.59, 13),
    "vantor-collapse": (0.66, 0.78, 7),
}


def test_answer_keys_name_one_sentence_each():
    from bench.corpus import find_sentence

    for key in KEYS.values():
        articles = load_articles(story_paths(key.story))
        needles = [n for f in key.facts for n in f] + [n for p in key.pairs + key.lookalikes for n in p]
        for needle in needles:
            find_sentence(articles, needle)


def test_fake_embedder_still_aligns_the_flood(fake_embedder):
    # Shared words alone (the fake embedder hashes words) must already find most facts.
    key = KEYS["tessel-flood"]
    articles = load_articles(story_paths(key.story))
    q = quality(articles, group(prepare(articles, fake_embedder), 0.5), key)
    assert q.precision >= 0.8 and q.recall >= 0.4


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_floor_real_model(name, real_embedder):
    key = KEYS[name]
    articles = load_articles(story_paths(key.story))
    basis = prepare(articles, real_embedder)
    q = quality(articles, group(basis, 0.5), key)
    min_p, min_r, max_lookalikes = FLOORS[name]
    assert q.precision >= min_p, q
    assert q.recall >= min_r, q
    assert q.lookalikes_joined <= max_lookalikes, q
    # stricter never finds more of the answer key's pairs joined wrongly than looser
    loose, strict = quality(articles, group(basis, 0.1), key), quality(articles, group(basis, 0.9), key)
    assert strict.lookalikes_joined <= loose.lookalikes_joined


@pytest.mark.model
def test_demo_structure(real_embedder):
    articles = load_articles(story_paths("demo"))
    groups = group(prepare(articles, real_embedder), 0.5)
    ids = [s.id for a in articles for s in a.sentences]
    assert {sid for g in groups for sid in g.sentences} == set(ids)
    shared = [g for g in groups if len({sid.split(".")[0] for sid in g.sentences}) > 1]
    assert len(shared) >= 15  # five outlets on one event share many facts
    assert all(len(g.sentences) <= 2 * len(articles) for g in groups)


@pytest.mark.model
def test_flood_split_sits_in_one_group(real_embedder):
    # One outlet tells the deaths in two consecutive sentences; the others in one: one group holds both halves.
    from bench.corpus import find_sentence

    articles = load_articles(story_paths("stories/tessel-flood"))
    groups = group(prepare(articles, real_embedder), 0.5)
    halves = {find_sentence(articles, "two people lost their lives"), find_sentence(articles, "One of them was a")}
    partner = find_sentence(articles, "Two deaths have been reported")
    assert any(halves | {partner} <= set(g.sentences) for g in groups)
