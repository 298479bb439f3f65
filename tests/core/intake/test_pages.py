"""The blind page-dump corpus (tests/data/pages): each saved page cleans down to its article.

The pages and their gold texts were written by someone who had not read the cleaner (see the
corpus README); the ten in ``heldout/`` were measured once before any rule was changed for them.
Every gold paragraph must survive in order, the headline must be found, and the junk listed for
each page must go; a few known leaks are allowed for in one total per batch, so any new one fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.intake.articles import build_article
from reader.intake.sources import load_source

PAGES = Path(__file__).resolve().parents[2] / "data" / "pages"
FIRST_BATCH = sorted(PAGES.glob("*.txt"))
HELD_OUT = sorted((PAGES / "heldout").glob("*.txt"))  # measured once before any rule saw it (README)
# Leaks left as they are. Batch 1: a teaser pair joined with the line above it, one site's footer
# ("Our Standards: ..."). Held out: two bilingual chrome lines our small French word list misses, a
# poster's note on an aggregator, an e-paper's unrelated brief, a horoscope line.
LEAKS = {"first": 2, "heldout": 6}  # held out: one more, the wrong headline below (the poster's words)
# The aggregator post's own reworded title is taken for the pasted article's headline.
WRONG_HEADLINES = {"05_heatwave_aggregator_thread"}


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _measure(page: Path) -> tuple[list[str], list[str], str, str]:
    gold = json.loads(page.with_suffix(".gold.json").read_text(encoding="utf-8"))
    junk = json.loads(page.with_suffix(".junk.json").read_text(encoding="utf-8"))
    article = build_article(load_source(str(page)), "a1")
    body = _norm(article.body)
    lost, at = [], 0
    for para in map(_norm, gold["paragraphs"]):
        found = body.find(para, at)
        if found < 0:
            lost.append(para)
        else:
            at = found + len(para)
    leaked = [j for j in junk if _norm(j) in body or _norm(j) in _norm(article.title)]
    return lost, leaked, _norm(article.title), _norm(gold["headline"])


def test_the_corpus_is_there() -> None:
    assert len(FIRST_BATCH) >= 16 and len(HELD_OUT) >= 10


@pytest.mark.parametrize("page", FIRST_BATCH + HELD_OUT, ids=lambda p: p.stem)
def test_every_gold_paragraph_survives_in_order_and_the_headline_is_found(page: Path) -> None:
    lost, _, title, headline = _measure(page)
    assert lost == [], f"{page.name}: lost {lost}"
    assert (title == headline) != (page.stem in WRONG_HEADLINES)


@pytest.mark.parametrize("batch", ["first", "heldout"])
def test_the_junk_goes(batch: str) -> None:
    pages = FIRST_BATCH if batch == "first" else HELD_OUT
    leaks = {p.stem: leaked for p in pages for leaked in [_measure(p)[1]] if leaked}
    assert sum(map(len, leaks.values())) <= LEAKS[batch], leaks
