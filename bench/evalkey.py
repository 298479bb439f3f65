"""Answer keys for sentence alignment, and a pairwise score of grouped sentences against them.

A key names sentences by a short substring that must occur in exactly one
sentence of the story (whitespace is normalised on both sides). It holds:

- ``facts``: lists of sentences that report the same fact; every pair of
  sentences from different articles inside one fact is a true pair;
- ``pairs`` (the older format): true pairs listed one by one;
- ``lookalikes``: pairs that look alike but report different facts.

Scoring is over unordered pairs of sentences from *different* articles. A
predicted pair is any such pair inside one predicted group. Precision depends on
the key:

- complete key (``"complete": true``): over ALL predicted pairs; a pair not in
  the gold set is an error;
- partial key: over the predicted pairs whose two sentences are BOTH named
  somewhere in the key (facts, pairs or look-alikes); among those, a pair not in
  the gold set is an error. Pairs touching unannotated sentences are not counted.

Recall is over all gold pairs. With nothing to count, precision or recall is 1.0
(nothing claimed, nothing missed) and F1 follows from them.

``score`` is the only alignment scorer for these keys: ``bench.evalrun`` (and through it
``make bench`` and the quality floors) reads every figure from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.errors import ParallaxError
from reader.model import Article, Group

Pair = tuple[str, str]

PRECISION_ALL = "all predicted pairs"
PRECISION_ANNOTATED = "predicted pairs whose two sentences are both named in the key"


class KeyFileError(ParallaxError):
    """An answer key cannot be read, or does not fit the story it is scored on."""


@dataclass(frozen=True)
class Key:
    name: str  # file stem, e.g. "demo-full"
    story: str  # "demo" or a folder under tests/data, e.g. "stories/tessel-flood"
    complete: bool
    facts: tuple[tuple[str, ...], ...]
    pairs: tuple[Pair, ...]
    lookalikes: tuple[Pair, ...]
    note: str = ""


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    gold_pairs: int  # cross-article pairs the key says are true
    predicted_pairs: int  # predicted cross-article pairs that precision was counted over
    correct_pairs: int  # of those, how many are gold
    lookalikes: int  # look-alike pairs in the key
    lookalikes_joined: int  # look-alike pairs the grouping put together (wrongly)
    precision_basis: str  # PRECISION_ALL or PRECISION_ANNOTATED


def _strings(value: object, where: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KeyFileError(f"{path.name}: {where} must be a list of non-empty strings")
    return tuple(value)


def _pairs(value: object, field: str, path: Path) -> tuple[Pair, ...]:
    if not isinstance(value, list):
        raise KeyFileError(f"{path.name}: '{field}' must be a list of pairs")
    out: list[Pair] = []
    for i, item in enumerate(value):
        got = _strings(item, f"'{field}' entry {i + 1}", path)
        if len(got) != 2:
            raise KeyFileError(f"{path.name}: '{field}' entry {i + 1} must name exactly two sentences")
        out.append((got[0], got[1]))
    return tuple(out)


def load_key(path: str | Path) -> Key:
    """Read an answer key in either format ("facts" or the older "pairs"); both may be present."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeyFileError(f"{path.name}: cannot read answer key ({type(exc).__name__})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("story"), str):
        raise KeyFileError(f"{path.name}: an answer key is a JSON object with a 'story' string")
    if "facts" not in raw and "pairs" not in raw:
        raise KeyFileError(f"{path.name}: an answer key needs 'facts' or 'pairs'")
    facts_raw = raw.get("facts", [])
    if not isinstance(facts_raw, list):
        raise KeyFileError(f"{path.name}: 'facts' must be a list of lists")
    facts = tuple(_strings(f, f"fact {i + 1}", path) for i, f in enumerate(facts_raw))
    return Key(
        name=path.stem,
        story=raw["story"],
        complete=bool(raw.get("complete", False)),
        facts=facts,
        pairs=_pairs(raw.get("pairs", []), "pairs", path),
        lookalikes=_pairs(raw.get("lookalikes", []), "lookalikes", path),
        note=str(raw.get("note", "")),
    )


class _Story:
    """Sentence lookup for one story: substring -> sentence id, sentence id -> article id."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.article_of = {s.id: a.id for a in articles for s in a.sentences}
        # whitespace-normalised so a key survives line wrapping in the source files
        self._texts = [(s.id, " ".join(s.text.split())) for a in articles for s in a.sentences]

    def find(self, needle: str) -> str:
        want = " ".join(needle.split())
        hits = [sid for sid, text in self._texts if want in text]
        if len(hits) != 1:
            raise KeyFileError(f"answer key substring {needle!r} matches {len(hits)} sentences, not 1")
        return hits[0]

    def cross_pairs(self, ids: Iterable[str]) -> set[Pair]:
        ordered = sorted(set(ids))
        return {
            (x, y)
            for i, x in enumerate(ordered)
            for y in ordered[i + 1 :]
            if self.article_of[x] != self.article_of[y]
        }


def find_sentence(articles: Sequence[Article], needle: str) -> str:
    """The id of the one sentence that holds ``needle`` (whitespace-normalised); KeyFileError otherwise."""
    return _Story(articles).find(needle)


def gold_pairs(key: Key, articles: Sequence[Article]) -> set[Pair]:
    """Every true cross-article pair the key names, as sorted sentence-id pairs."""
    story = _Story(articles)
    gold: set[Pair] = set()
    for fact in key.facts:
        gold |= story.cross_pairs(story.find(n) for n in fact)
    for a, b in key.pairs:
        gold |= story.cross_pairs((story.find(a), story.find(b)))
    return gold


def _names(key: Key) -> set[str]:
    return {n for fact in key.facts for n in fact} | {n for pair in key.pairs + key.lookalikes for n in pair}


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def score(key: Key, articles: Sequence[Article], groups: Sequence[Group]) -> Scores:
    """Pairwise precision, recall and F1 of ``groups`` against ``key`` (see the module note for precision)."""
    story = _Story(articles)
    for g in groups:
        unknown = [sid for sid in g.sentences if sid not in story.article_of]
        if unknown:
            raise KeyFileError(f"group {g.id} names sentence {unknown[0]!r}, which is in none of the articles")
    gold = gold_pairs(key, articles)
    looks = set()
    for a, b in key.lookalikes:
        looks |= story.cross_pairs((story.find(a), story.find(b)))
    predicted: set[Pair] = set()
    for g in groups:
        predicted |= story.cross_pairs(g.sentences)
    if key.complete:
        counted, basis = predicted, PRECISION_ALL
    else:
        named = {story.find(n) for n in _names(key)}
        counted = {p for p in predicted if p[0] in named and p[1] in named}
        basis = PRECISION_ANNOTATED
    correct = len(counted & gold)
    precision = _ratio(correct, len(counted))
    recall = _ratio(len(gold & predicted), len(gold))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(
        precision=precision,
        recall=recall,
        f1=f1,
        gold_pairs=len(gold),
        predicted_pairs=len(counted),
        correct_pairs=correct,
        lookalikes=len(looks),
        lookalikes_joined=len(looks & predicted),
        precision_basis=basis,
    )
