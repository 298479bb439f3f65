"""The whole comparison, stage by stage: load → clean → segment → embed → align → compare.

Three entry points, because the desktop app needs the stages apart: the articles'
text goes on screen first (``load_articles``), embedding runs on a worker
(``reader.align.grouping.prepare``), and moving the strictness slider only re-runs the
cheap last step (``build_comparison``). ``compare`` strings them together for the
command line and tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import TYPE_CHECKING

from reader.errors import ComparisonError, ParallaxError
from reader.intake.articlecache import article as kept_article
from reader.intake.articlecache import build_article
from reader.intake.outlet import distinct_outlets
from reader.intake.sources import load_source
from reader.model import Article, Comparison, RawDocument
from reader.progress import NEVER, CancelToken, Progress, ProgressCallback, no_progress

if TYPE_CHECKING:  # alignment and differences are imported where they run: reading articles needs neither
    from reader.align.grouping import AlignmentBasis
    from reader.embedding.embed import Embedder

Source = str | RawDocument
DEFAULT_STRICTNESS = 0.5


@dataclass(frozen=True)
class LoadOutcome:
    """One source's fate: the document and its article, or the one-line reason it could not be read."""

    source: str  # the path, URL or paste label as given
    raw: RawDocument | None
    article: Article | None
    error: str | None


def _label(source: Source) -> str:
    return source if isinstance(source, str) else source.source


def _naming(label: str, message: str) -> str:
    # Intake's messages usually name the file already; the label is added only when they do not.
    return message if PurePath(label).name in message else f"{label}: {message}"


def load_each(
    sources: Sequence[Source],
    *,
    first_id: int = 1,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
    kept: bool = True,
) -> tuple[LoadOutcome, ...]:
    """Load every source on its own: one bad file never sinks the others.

    Article ids follow the sources' positions from ``first_id`` ("a1" is the first source even if the
    second one failed), so ids stay stable when the user fixes a source or adds more later.
    Outlet names are left as found; ``load_articles`` (or the app, across all it holds) makes them distinct.
    An article built before from the same document is read back (``reader.intake.articlecache``) unless
    ``kept`` is False.
    """
    outcomes: list[LoadOutcome] = []
    for i, source in enumerate(sources):
        cancel.check()
        label = _label(source)
        progress(Progress("load", i, len(sources), f"Reading {label}"))
        try:
            raw = load_source(source) if isinstance(source, str) else source
            article_id = f"a{first_id + i}"
            article = kept_article(raw, article_id) if kept else build_article(raw, article_id)
            outcomes.append(LoadOutcome(label, raw, article, None))
        except ParallaxError as exc:
            outcomes.append(LoadOutcome(label, None, None, _naming(label, exc.message)))
    progress(Progress("load", len(sources), len(sources), "Articles read"))
    return tuple(outcomes)


def load_articles(
    sources: Sequence[Source], *, progress: ProgressCallback = no_progress, cancel: CancelToken = NEVER
) -> tuple[Article, ...]:
    """All sources as articles with distinct outlet names; the first unreadable source raises its error."""
    outcomes = load_each(sources, progress=progress, cancel=cancel)
    for outcome in outcomes:
        if outcome.error is not None:
            raise ParallaxError(outcome.error)
    articles = [o.article for o in outcomes if o.article is not None]
    names = distinct_outlets([a.outlet for a in articles])
    return tuple(replace(a, outlet=name) for a, name in zip(articles, names, strict=True))


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
    from reader.align.grouping import group
    from reader.differences.discrepancies import find_agreements, find_discrepancies

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
    from reader.align.grouping import prepare

    articles = load_articles(sources, progress=progress, cancel=cancel)
    require_comparable(articles)
    basis = prepare(articles, embedder, progress=progress, cancel=cancel)
    cancel.check()
    progress(Progress("compare", 0, 1, "Finding differences"))
    comparison = build_comparison(articles, basis, strictness, cancel=cancel)
    progress(Progress("compare", 1, 1, "Done"))
    return comparison
