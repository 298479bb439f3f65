"""The whole comparison, stage by stage: load → clean → segment → embed → align → compare.

Three entry points, because the desktop app needs the stages apart: the articles'
text goes on screen first (``load_articles``), embedding runs on a worker
(``reader.align.prepare``), and moving the strictness slider only re-runs the
cheap last step (``build_comparison``). ``compare`` strings them together for the
command line and tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reader.align import AlignmentBasis, group, prepare
from reader.articles import build_article
from reader.differences import find_agreements, find_discrepancies
from reader.embed import Embedder
from reader.errors import ComparisonError, ParallaxError
from reader.model import Article, Comparison, RawDocument
from reader.outlet import distinct_outlets
from reader.progress import NEVER, CancelToken, Progress, ProgressCallback, no_progress
from reader.sources import load_source

Source = str | RawDocument
DEFAULT_STRICTNESS = 0.5


@dataclass(frozen=True)
class LoadOutcome:
    """One source's fate: an article, or the one-line reason it could not be read."""

    source: str
    article: Article | None
    error: str | None


def _label(source: Source) -> str:
    return source if isinstance(source, str) else source.source


def load_each(
    sources: Sequence[Source], *, progress: ProgressCallback = no_progress, cancel: CancelToken = NEVER
) -> tuple[LoadOutcome, ...]:
    """Load every source on its own: one bad file never sinks the others.

    Article ids follow the sources' positions ("a1" is the first source even if
    the second one failed), so ids stay stable when the user fixes a source.
    """
    outcomes: list[LoadOutcome] = []
    for i, source in enumerate(sources):
        cancel.check()
        progress(Progress("load", i, len(sources), f"Reading {_label(source)}"))
        try:
            raw = load_source(source) if isinstance(source, str) else source
            outcomes.append(LoadOutcome(_label(source), build_article(raw, f"a{i + 1}"), None))
        except ParallaxError as exc:
            outcomes.append(LoadOutcome(_label(source), None, exc.message))
    progress(Progress("load", len(sources), len(sources), "Articles read"))
    return _with_distinct_outlets(outcomes)


def _with_distinct_outlets(outcomes: list[LoadOutcome]) -> tuple[LoadOutcome, ...]:
    loaded = [o for o in outcomes if o.article is not None]
    names = distinct_outlets([o.article.outlet for o in loaded if o.article is not None])
    renamed = {id(o): n for o, n in zip(loaded, names, strict=True)}
    return tuple(
        replace(o, article=replace(o.article, outlet=renamed[id(o)])) if o.article is not None else o for o in outcomes
    )


def load_articles(
    sources: Sequence[Source], *, progress: ProgressCallback = no_progress, cancel: CancelToken = NEVER
) -> tuple[Article, ...]:
    """All sources as articles; the first source that cannot be read raises its SourceError."""
    outcomes = load_each(sources, progress=progress, cancel=cancel)
    for outcome in outcomes:
        if outcome.error is not None:
            raise ParallaxError(outcome.error)
    return tuple(o.article for o in outcomes if o.article is not None)


def require_comparable(articles: Sequence[Article]) -> None:
    if len(articles) < 2:
        got = "none" if not articles else f"only one ({articles[0].outlet})"
        raise ComparisonError(f"Parallax compares two or more articles; got {got}.")


def build_comparison(
    articles: Sequence[Article], basis: AlignmentBasis, strictness: float, *, cancel: CancelToken = NEVER
) -> Comparison:
    """Group at ``strictness`` and find what differs: cheap, re-run on every slider move.

    Cancel is checked between the steps: at 200 articles finding differences
    takes seconds, and a press during it must not hand back a comparison.
    """
    groups = group(basis, strictness, cancel=cancel)
    cancel.check()
    discrepancies = find_discrepancies(articles, groups)
    cancel.check()
    agreements = find_agreements(articles, groups)
    cancel.check()
    return Comparison(
        articles=tuple(articles),
        groups=groups,
        discrepancies=discrepancies,
        agreements=agreements,
        model=basis.model,
        strictness=strictness,
    )


def compare(
    sources: Sequence[Source],
    embedder: Embedder,
    *,
    strictness: float = DEFAULT_STRICTNESS,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
) -> Comparison:
    articles = load_articles(sources, progress=progress, cancel=cancel)
    require_comparable(articles)
    basis = prepare(articles, embedder, progress=progress, cancel=cancel)
    cancel.check()
    progress(Progress("compare", 0, 1, "Finding differences"))
    comparison = build_comparison(articles, basis, strictness, cancel=cancel)
    progress(Progress("compare", 1, 1, "Done"))
    return comparison
