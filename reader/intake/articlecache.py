"""Articles kept on disk: a source read again is not cleaned and split into sentences again.

Cleaning a page and splitting it into sentences (pysbd compiles hundreds of regular expressions on
first use) was half of a reopened comparison's time on the command line. An article is a pure
function of the document as read, its id, the outlet the user named and the removed blocks put back,
so it is kept under those (and under ``reader.resultcache.fingerprint()``: the code, the installed
packages, the settings) and handed back as it was built. A source that cannot be built is not kept:
its error is raised afresh each time.
"""

from __future__ import annotations

from reader.model import Article, RawDocument
from reader.resultcache import ResultCache, key_of

FORMAT = 1  # bumped when what an entry holds changes
STORE = ResultCache("articles", limit=512, max_bytes=100 << 20)  # a news article ~20-60 KB


def build_article(
    raw: RawDocument, article_id: str, *, outlet: str | None = None, restore: frozenset[int] = frozenset()
) -> Article:
    """``reader.intake.articles.build_article``, imported on first use (not kept)."""
    from reader.intake import articles  # the cleaner's and splitter's imports are heavy

    return articles.build_article(raw, article_id, outlet=outlet, restore=restore)


def article(
    raw: RawDocument, article_id: str, *, outlet: str | None = None, restore: frozenset[int] = frozenset(),
    store: ResultCache = STORE,
) -> Article:
    """``build_article(raw, article_id, outlet=outlet, restore=restore)``, kept and reused."""
    key = key_of("article", FORMAT, raw, article_id, outlet, tuple(sorted(restore)))
    kept = store.get(key)
    if isinstance(kept, Article):
        return kept
    built = build_article(raw, article_id, outlet=outlet, restore=restore)
    store.put(key, built)
    return built
