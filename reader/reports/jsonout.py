"""The ``source-compare/1`` JSON: the stable, documented shape of a comparison.

Field meanings never change within a schema version; fields may be added.
"""

from __future__ import annotations

from typing import Any

from reader import __version__
from reader.model import Article, Comparison, Discrepancy, Group

SCHEMA = "source-compare/1"


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published,
        "author": article.author,
        "url": article.url,
        "sentences": [
            {"id": s.id, "text": s.text, "paragraph": s.paragraph, "start": s.start, "end": s.end}
            for s in article.sentences
        ],
        "removed": [{"text": r.text, "reason": r.reason, "position": r.position} for r in article.removed],
    }


def _group(comparison: Comparison, g: Group) -> dict[str, Any]:
    outlets = sorted({comparison.article_of(s).id for s in g.sentences}, key=lambda a: int(a[1:]))
    return {
        "id": g.id,
        "sentences": list(g.sentences),
        "score": round(float(g.score), 4),
        "articles": outlets,
        # per outlet absent from the group, its closest sentence when one came near (weak match): a
        # pointer for the reader, never evidence that the outlet reports the fact
        "nearest": list(g.nearest),
    }


def _discrepancy(d: Discrepancy) -> dict[str, Any]:
    return {
        "id": d.id,
        "kind": d.kind,
        "group": d.group,
        "summary": d.summary,
        "detail": d.detail,
        "confidence": round(float(d.confidence), 3),
        "why": d.why,  # added in this schema version: plain words for what ties the values together
        "outlets": list(d.outlets),
        "values": [{"sentence": v.sentence, "text": v.text, "start": v.start, "end": v.end} for v in d.values],
    }


def to_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generator": f"parallax {__version__}",
        "model": comparison.model,
        "strictness": comparison.strictness,
        "articles": [_article(a) for a in comparison.articles],
        "groups": [_group(comparison, g) for g in comparison.groups],
        "discrepancies": [_discrepancy(d) for d in comparison.discrepancies],
        "agreements": [
            {
                "kind": a.kind,
                "group": a.group,
                "value": a.value,
                "sentences": list(a.sentences),
                "outlets": list(a.outlets),
            }
            for a in comparison.agreements
        ],
    }
