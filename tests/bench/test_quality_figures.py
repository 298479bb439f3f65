"""`make bench` and `python -m bench.evalrun` print the same alignment-quality figures, from one scorer
(bench.evalkey.score) and one embedder choice (bench.evalrun.quality_embedder, the product's runtime).

Before, the two disagreed (the demo's partial key: F1 0.83 in one, 0.67 in the other) because each had
its own scorer and its own embedder. These tests fail if either bench grows its own again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import FakeEmbedder

from bench import bench_align, evalrun
from bench.evalkey import score
from reader.align.grouping import group

# An invented ferry grounding told by two outlets; each sentence is its own paragraph.
STORY = {
    "01_harbour.txt": [
        "Ferry aground off Penwick",
        "The Penwick ferry ran aground on a sandbar on Tuesday morning with 60 passengers aboard.",
        "Coastguard boats took every passenger ashore within two hours, the harbour master said.",
        "The harbour master praised the volunteer lifeboat crew from Penwick village.",
    ],
    "02_coast.txt": [
        "Penwick ferry stuck on sandbar",
        "A ferry carrying 60 passengers ran aground on a Penwick sandbar on Tuesday morning.",
        "All passengers were brought ashore by coastguard boats in under two hours.",
        "The volunteer lifeboat crew from Penwick village was thanked by the ferry company.",
    ],
}


def _write_story(tmp_path: Path) -> Path:
    """The story and a partial key for it; returns the keys' folder."""
    story = tmp_path / "story"
    story.mkdir()
    for name, paragraphs in STORY.items():
        (story / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    keys = tmp_path / "keys"
    keys.mkdir()
    # Partial key. Its writer judged the harbour master's praise and the company's thanks two different facts,
    # and named both sentences only in look-alikes with other sentences. The fake embedder groups the two
    # (they share most words): the strict scorer counts that pair wrong (both sentences are named, it is not
    # gold), a scorer that only counts the listed look-alikes does not.
    key = {
        "story": str(story),
        "complete": False,
        "facts": [
            ["ferry ran aground on a sandbar", "A ferry carrying 60 passengers"],
            ["Coastguard boats took every passenger", "All passengers were brought ashore"],
        ],
        "lookalikes": [
            ["harbour master praised", "All passengers were brought ashore"],
            ["Coastguard boats took every passenger", "thanked by the ferry company"],
        ],
    }
    (keys / "ferry-aground.json").write_text(json.dumps(key), encoding="utf-8")
    return keys


@pytest.fixture
def tiny_eval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    keys = _write_story(tmp_path)
    monkeypatch.setattr(evalrun, "EVAL_DIR", keys)
    monkeypatch.setattr(evalrun, "quality_embedder", FakeEmbedder)
    return keys


def test_make_bench_prints_exactly_what_evalrun_prints(tiny_eval: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert evalrun.main([]) == 0
    from_evalrun = capsys.readouterr().out.splitlines()
    bench_align.bench_quality()
    from_bench = capsys.readouterr().out.splitlines()
    assert from_bench[0] == "" and from_bench[1].startswith("-- alignment quality")  # the bench's section title
    assert from_bench[2:] == from_evalrun
    # the embedder line names the fake: the bench took evalrun's embedder choice, not one of its own
    assert from_evalrun[0] == f"embedder {FakeEmbedder.name}"


def test_the_figures_are_the_strict_scorers(tiny_eval: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, cases = evalrun.quality_cases()
    (case,) = cases
    groups = group(case.basis, 0.5)
    joined = {tuple(g.sentences) for g in groups if len(g.sentences) > 1}
    assert ("a1.s3", "a2.s3") in joined  # the pair the key's writer called two facts: the test's premise
    strict = score(case.key, case.articles, groups)
    assert (strict.correct_pairs, strict.predicted_pairs, strict.gold_pairs) == (2, 3, 2)
    assert strict.lookalikes_joined == 0  # so a look-alikes-only precision would read 1.000
    bench_align.bench_quality()
    lines = capsys.readouterr().out.splitlines()
    row = next(line for line in lines if line.startswith("ferry-aground") and " 0.50 " in line)
    assert row.split()[3:6] == ["0.667", "1.000", "0.800"]  # P R F1


def test_quality_embedder_is_the_product_runtime() -> None:
    # Constructing embedders loads no model: the classes are compared, not vectors.
    from reader.embedding.embed import default_embedder, load_model_embedder

    chosen = evalrun.quality_embedder()
    assert type(chosen) is type(load_model_embedder())  # also what the tests' real_embedder fixture returns
    assert type(chosen) is type(default_embedder().inner)  # what the app and the command line encode with


def test_a_key_whose_story_has_no_texts_is_a_one_line_error(tmp_path: Path) -> None:
    from bench.evalkey import KeyFileError

    path = tmp_path / "lost.json"
    path.write_text(json.dumps({"story": str(tmp_path / "nowhere"), "facts": []}), encoding="utf-8")
    with pytest.raises(KeyFileError, match=r"has no \.txt files") as err:
        evalrun.load_case(path, FakeEmbedder())
    assert "\n" not in str(err.value)
