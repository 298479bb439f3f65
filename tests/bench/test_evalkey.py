"""The answer-key scorer gives exact pairwise figures on a hand-made story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.evalkey import PRECISION_ALL, PRECISION_ANNOTATED, KeyFileError, load_key, score
from reader.model import Article, Group, Sentence


def _article(aid: str, texts: list[str]) -> Article:
    sentences = tuple(Sentence(f"{aid}.s{i + 1}", t, 0, 0, len(t)) for i, t in enumerate(texts))
    return Article(aid, f"{aid}.txt", aid.upper(), "t", " ".join(texts), sentences)


# Three outlets on a ferry sinking; ids a1.s1 ... c1.s3.
ARTICLES = (
    _article("a1", ["The ferry sank at dawn near the harbour.", "Forty passengers were rescued by fishermen.",
                    "The captain was arrested on Friday."]),
    _article("b1", ["At dawn the ferry went down off the harbour.", "Fishermen pulled forty people from the sea.",
                    "Police arrested two dock workers on Friday."]),
    _article("c1", ["A ferry sank early on Thursday.", "The weather was calm.", "Officials blamed overloading."]),
)


def _key(tmp_path: Path, body: dict) -> Path:
    path = tmp_path / "ferry.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


FACTS_KEY = {
    "story": "stories/ferry",
    "complete": True,
    "facts": [
        ["ferry sank at dawn", "the ferry went down", "A ferry sank early"],  # 3 gold pairs
        ["Forty passengers were rescued", "Fishermen pulled forty"],  # 1 gold pair
    ],
    "lookalikes": [["The captain was arrested", "Police arrested two dock"]],
}


def _groups(*members: tuple[str, ...]) -> tuple[Group, ...]:
    return tuple(Group(f"g{i + 1}", m, 1.0) for i, m in enumerate(members))


def test_complete_key_counts_every_predicted_pair(tmp_path: Path) -> None:
    key = load_key(_key(tmp_path, FACTS_KEY))
    groups = _groups(
        ("a1.s1", "b1.s1"),  # 1 correct pair; c1.s1 missed (2 gold pairs missed)
        ("a1.s2", "b1.s2", "c1.s2"),  # 3 pairs, 1 correct
        ("a1.s3", "b1.s3"),  # the look-alike, wrong
        ("c1.s3",),
    )
    got = score(key, ARTICLES, groups)
    assert got.precision_basis == PRECISION_ALL
    assert (got.gold_pairs, got.predicted_pairs, got.correct_pairs) == (4, 5, 2)
    assert got.precision == pytest.approx(2 / 5)
    assert got.recall == pytest.approx(2 / 4)
    assert got.f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert (got.lookalikes, got.lookalikes_joined) == (1, 1)


def test_same_article_pairs_are_never_counted(tmp_path: Path) -> None:
    key = load_key(_key(tmp_path, FACTS_KEY))
    groups = _groups(("a1.s1", "a1.s2", "a1.s3"), ("b1.s1", "b1.s2"))
    got = score(key, ARTICLES, groups)
    assert (got.predicted_pairs, got.correct_pairs, got.precision, got.recall) == (0, 0, 1.0, 0.0)
    assert got.f1 == 0.0


def test_perfect_grouping_scores_one(tmp_path: Path) -> None:
    key = load_key(_key(tmp_path, FACTS_KEY))
    groups = _groups(("a1.s1", "b1.s1", "c1.s1"), ("a1.s2", "b1.s2"), ("a1.s3",), ("b1.s3",))
    got = score(key, ARTICLES, groups)
    assert (got.precision, got.recall, got.f1, got.lookalikes_joined) == (1.0, 1.0, 1.0, 0)


def test_old_pairs_format_and_partial_precision(tmp_path: Path) -> None:
    key = load_key(_key(tmp_path, {
        "story": "stories/ferry",
        "complete": False,
        "pairs": [
            ["ferry sank at dawn", "the ferry went down"],
            ["Forty passengers were rescued", "Fishermen pulled forty"],
        ],
        "lookalikes": [["The captain was arrested", "Police arrested two dock"]],
    }))
    assert key.facts == () and len(key.pairs) == 2 and not key.complete
    groups = _groups(
        ("a1.s1", "b1.s1", "c1.s1"),  # 3 pairs; only a1.s1-b1.s1 has both sentences named: correct
        ("a1.s2", "b1.s3"),  # both named, not gold: wrong
        ("a1.s3", "b1.s2", "c1.s2"),  # a1.s3-b1.s2 named and wrong; pairs with c1.s2 not counted
    )
    got = score(key, ARTICLES, groups)
    assert got.precision_basis == PRECISION_ANNOTATED
    assert (got.gold_pairs, got.predicted_pairs, got.correct_pairs) == (2, 3, 1)
    assert got.precision == pytest.approx(1 / 3)
    assert got.recall == pytest.approx(1 / 2)
    assert got.lookalikes_joined == 0


def test_substring_must_name_exactly_one_sentence(tmp_path: Path) -> None:
    key = load_key(_key(tmp_path, {"story": "s", "complete": True, "facts": [["ferry", "Fishermen pulled forty"]]}))
    with pytest.raises(KeyFileError, match="matches 3 sentences"):
        score(key, ARTICLES, ())


@pytest.mark.parametrize("body", ["not json", json.dumps([1]), json.dumps({"story": "s"}),
                                  json.dumps({"story": "s", "pairs": [["only one"]]})])
def test_bad_key_files_raise_one_line(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(KeyFileError) as err:
        load_key(path)
    assert "\n" not in str(err.value)


def test_repo_keys_load() -> None:
    folder = Path(__file__).resolve().parents[1] / "data" / "eval"
    keys = [load_key(p) for p in sorted(folder.glob("*.json"))]
    assert keys and all(k.facts or k.pairs for k in keys)



def _sentence_ids(articles: tuple, fact: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        sorted({s.id for a in articles for s in a.sentences for n in fact if n in " ".join(s.text.split())})
    )


@pytest.mark.parametrize("name", ["demo-full", "jirgal-quake", "dassora-fire", "vardel-ruling"])
def test_full_keys_fit_their_stories(name: str) -> None:
    from bench.corpus import load_articles, story_paths

    key = load_key(Path(__file__).resolve().parents[1] / "data" / "eval" / f"{name}.json")
    articles = tuple(load_articles(story_paths(key.story)))
    # grouping exactly by the key's facts: every substring must name one sentence (score raises otherwise),
    # and no look-alike may also sit inside a fact
    perfect = tuple(Group(f"g{i}", _sentence_ids(articles, f), 1.0) for i, f in enumerate(key.facts))
    got = score(key, articles, perfect)
    assert key.complete and got.lookalikes >= 15
    assert (got.precision, got.recall, got.lookalikes_joined) == (1.0, 1.0, 0)
    assert got.predicted_pairs == got.gold_pairs
