"""The workspace: the sources a person is comparing and what they decided about each one.

napari's ``ViewerModel`` holds layers and selection with no Qt, and the Qt window follows it. Here
the window's ``Session`` only schedules work; every rule about the sources lives in this pure,
immutable value: which article ids new sources get, which outlet names they show, the column order,
hidden and renamed outlets, removed passages put back, the key that says when the alignment
basis can be reused, and what a project file keeps. Each edit returns a new ``Workspace``, so a
worker can read one while the window moves on to the next.

Cleaning runs once per source: the first article built from a source keeps the full list of
what cleaning removed, so the "Removed…" dialog never cleans the page again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reader.intake.outlet import distinct_outlets
from reader.model import Article, Comparison, RawDocument, Removed

if TYPE_CHECKING:  # the app imports this module at start-up; the pipeline's imports take 0.4 s
    from reader.pipeline import LoadOutcome
    from reader.project.projectfile import Project, ProjectSource

Source = str | RawDocument


@dataclass(frozen=True)
class Entry:
    """One source the person gave, and the article made from it."""

    source: Source  # as given: a path or URL, or the pasted document
    raw: RawDocument
    article: Article
    colour: int  # the outlet's colour, kept when columns move or others are removed
    hidden: bool = False
    restore: frozenset[int] = frozenset()  # positions of removed blocks put back
    removed: tuple[Removed, ...] = ()  # everything the first cleaning took out, put back or not

    @property
    def pasted(self) -> bool:
        """Text that exists nowhere else: pasted, or fetched from a page that may change."""
        return not isinstance(self.source, str) or "://" in self.source


@dataclass(frozen=True)
class Workspace:
    entries: tuple[Entry, ...] = ()
    next_id: int = 1  # the number of the next article id ("a7"): ids are never reused
    next_colour: int = 0

    # -- what the views read -------------------------------------------------------
    def visible(self) -> tuple[Article, ...]:
        """The articles compared, in column order."""
        return tuple(e.article for e in self.entries if not e.hidden)

    def order(self) -> tuple[str, ...]:
        """The compared articles' ids, in column order."""
        return tuple(a.id for a in self.visible())

    def colour_of(self) -> dict[str, int]:
        return {e.article.id: e.colour for e in self.entries}

    def entry(self, article_id: str) -> Entry:
        for e in self.entries:
            if e.article.id == article_id:
                return e
        raise KeyError(article_id)

    def basis_key(self) -> tuple[str, ...]:
        """Equal keys: the same texts in the same order, so the embedded basis can be reused.

        Outlet names are left out (renaming regroups without embedding again); the text and
        its sentence split are in (a restored passage embeds again).
        """
        return basis_key(self.visible())

    def has_own_work(self) -> bool:
        """Something that would be lost on closing without a project: a paste or a fetched page."""
        return any(e.pasted for e in self.entries)

    # -- adding sources -------------------------------------------------------------
    def reserve(self, count: int) -> tuple[Workspace, int]:
        """Ids for ``count`` sources about to load: the first number, and the workspace that will not reuse them."""
        return replace(self, next_id=self.next_id + count), self.next_id

    def with_loaded(
        self, sources: Sequence[Source], outcomes: Sequence[LoadOutcome]
    ) -> tuple[Workspace, tuple[str, ...]]:
        """The sources that loaded (one outcome per source, in order) added as new columns, their
        outlet names made distinct; and the one-line errors of those that did not."""
        good = [(s, o) for s, o in zip(sources, outcomes, strict=True) if o.article is not None and o.raw is not None]
        names = distinct_outlets([e.article.outlet for e in self.entries] + [o.article.outlet for _s, o in good])  # type: ignore[union-attr]
        added = []
        for i, ((source, o), name) in enumerate(zip(good, names[len(self.entries):], strict=True)):
            assert o.article is not None and o.raw is not None
            article = replace(o.article, outlet=name)
            added.append(Entry(source, o.raw, article, self.next_colour + i, removed=o.article.removed))
        errors = tuple(o.error for o in outcomes if o.error)
        return replace(self, entries=self.entries + tuple(added), next_colour=self.next_colour + len(added)), errors

    # -- edits -------------------------------------------------------------------------
    def renamed(self, article_id: str, outlet: str) -> Workspace:
        """The outlet shown for one article; blank names are refused (the workspace is returned unchanged)."""
        outlet = " ".join(outlet.split())
        if not outlet:
            return self
        return self._swap(article_id, lambda e: replace(e, article=replace(e.article, outlet=outlet)))

    def with_hidden(self, article_id: str, hidden: bool) -> Workspace:
        return self._swap(article_id, lambda e: replace(e, hidden=hidden))

    def moved(self, article_id: str, step: int) -> Workspace:
        """One column ``step`` places left (negative) or right, stopping at either end."""
        entries = list(self.entries)
        i = next(i for i, e in enumerate(entries) if e.article.id == article_id)
        j = max(0, min(len(entries) - 1, i + step))
        entries.insert(j, entries.pop(i))
        return replace(self, entries=tuple(entries))

    def without(self, article_id: str) -> Workspace:
        return replace(self, entries=tuple(e for e in self.entries if e.article.id != article_id))

    def with_restored(self, article_id: str, article: Article, positions: frozenset[int]) -> Workspace:
        """The article rebuilt with the removed pieces at ``positions`` put back (built on a worker)."""
        return self._swap(article_id, lambda e: replace(e, article=replace(article, outlet=e.article.outlet),
                                                        restore=positions))

    def _swap(self, article_id: str, change: Callable[[Entry], Entry]) -> Workspace:
        self.entry(article_id)  # an unknown id is a bug in the caller: say so
        return replace(self, entries=tuple(change(e) if e.article.id == article_id else e for e in self.entries))

    # -- projects -----------------------------------------------------------------------
    def project_sources(self) -> tuple[ProjectSource, ...]:
        """What a project keeps of each source: the text as loaded and the person's choices.

        The outlet shown is saved even when it was guessed: the project reopens with the same columns.
        """
        from reader.project.projectfile import ProjectSource

        return tuple(ProjectSource(e.raw, e.article.outlet, e.hidden, e.restore, e.article.id) for e in self.entries)


def basis_key(articles: Sequence[Article]) -> tuple[str, ...]:
    return tuple(f"{a.id}:{len(a.sentences)}:{hash(a.body)}" for a in articles)


def from_project(
    project: Project, articles: Sequence[Article], removed: Sequence[tuple[Removed, ...]] = ()
) -> Workspace:
    """A project's sources as a workspace (``articles`` rebuilt from it on a worker).

    ``removed``: per source, everything its first cleaning removed, when some pieces were put
    back (the article itself no longer lists those); by default the article's own list.
    """
    names = distinct_outlets([a.outlet for a in articles])
    full = list(removed) or [a.removed for a in articles]
    entries = tuple(
        Entry(s.raw, s.raw, replace(a, outlet=name), i, s.hidden, s.restored, gone)
        for i, (s, a, name, gone) in enumerate(zip(project.sources, articles, names, full, strict=True))
    )
    return Workspace(entries, 1 + _highest_id(articles), len(entries))


def from_comparison(comparison: Comparison, raws: Sequence[RawDocument] = ()) -> Workspace:
    """A finished comparison shown as it is (a test story, a comparison made elsewhere).

    Without the raw documents, each article's own text stands in for its source.
    """
    raw_of = {r.source: r for r in raws}
    entries = []
    for i, a in enumerate(comparison.articles):
        raw = raw_of.get(a.source) or RawDocument(
            a.source, f"{a.title}\n\n{a.body}", title=a.title, outlet_hint=a.outlet
        )
        entries.append(Entry(a.source, raw, a, i, removed=a.removed))
    return Workspace(tuple(entries), 1 + _highest_id(comparison.articles), len(entries))


def _highest_id(articles: Sequence[Article]) -> int:
    # Ids are "a<number>"; new sources continue after the highest, so a note's "a3.s2" never
    # comes to name a sentence of another article.
    return max((int(a.id[1:]) for a in articles if a.id[1:].isdigit()), default=0)
