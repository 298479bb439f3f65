"""What the window is showing: the sources, their articles, and the comparison being built.

Kept apart from the widgets so the window stays view code. All the work is the
core's (``reader.pipeline`` and friends); this object only decides *when* to run
it and on which thread, and keeps the latest answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from reader.model import Article, Comparison, RawDocument
from reader.progress import CancelToken, Progress
from reader.project.notes import Notes
from ui import cellhtml
from ui.worker import Job

if TYPE_CHECKING:  # the pipeline is imported on the worker, off the start-up path
    from reader.pipeline import LoadOutcome

Source = str | RawDocument
DEFAULT_STRICTNESS = 0.5


@dataclass(frozen=True)
class Entry:
    """One source the user gave, and the article made from it."""

    source: Source
    raw: RawDocument
    article: Article
    colour: int
    hidden: bool = False
    restore: frozenset[int] = frozenset()


def load_sources(
    sources: Sequence[Source], first_id: int, progress: Callable[[Progress], None], cancel: CancelToken
) -> tuple[LoadOutcome, ...]:
    """Worker side: the core's per-source intake, plus the cells' markup made ready off the UI thread."""
    from reader.pipeline import load_each

    outcomes = load_each(sources, first_id=first_id, progress=progress, cancel=cancel)
    for outcome in outcomes:
        if outcome.article is not None:
            cellhtml.warm_sentences([s.text for s in outcome.article.sentences])
    return outcomes


class Session(QObject):
    articlesChanged = Signal()
    comparisonChanged = Signal()
    progressed = Signal(object)  # Progress
    busyChanged = Signal(bool)
    errorRaised = Signal(str)
    cancelled = Signal()
    edited = Signal()  # the person changed something a project keeps (not a recomputation)
    notesChanged = Signal()
    projectOpened = Signal(object, object)  # Project, the Path it came from (None: recovered or new)

    def __init__(self, embedder_factory: Callable[[], Any] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._embedder_factory = embedder_factory
        self._embedder: Any = None
        self.entries: list[Entry] = []
        self.strictness = DEFAULT_STRICTNESS
        self.comparison: Comparison | None = None
        self.notes = Notes()
        self.basis: Any = None
        self._basis_key: tuple[str, ...] = ()
        self._next_id = 1
        self._colour = 0
        self.jobs: list[Job] = []
        self._compare_job: Job | None = None
        self._regroup = QTimer(self, singleShot=True, interval=120)
        self._regroup.timeout.connect(self.recompute)

    # -- what the views read ---------------------------------------------------
    def visible(self) -> list[Article]:
        return [e.article for e in self.entries if not e.hidden]

    def colour_of(self) -> dict[str, int]:
        return {e.article.id: e.colour for e in self.entries}

    def entry(self, article_id: str) -> Entry:
        return next(e for e in self.entries if e.article.id == article_id)

    @property
    def busy(self) -> bool:
        # Until its finished signal is handled, not merely until its thread stops: the window
        # updates itself in that handler, and "not busy" must mean the window is up to date.
        return bool(self.jobs)

    # -- loading ----------------------------------------------------------------
    def adopt(self, comparison: Comparison, raws: Sequence[RawDocument] = ()) -> None:
        """Show a finished comparison (an opened project, a test story) without recomputing it.

        Without the raw documents, the strictness slider cannot regroup until the
        texts are embedded again; that happens on the next change, on a worker.
        """
        self.cancel()
        raw_of = {r.source: r for r in raws}
        self.entries = []
        for i, a in enumerate(comparison.articles):
            raw = raw_of.get(a.source) or RawDocument(
                a.source, f"{a.title}\n\n{a.body}", title=a.title, outlet_hint=a.outlet
            )
            self.entries.append(Entry(a.source, raw, a, i))
        self._colour = len(self.entries)
        self._next_id = (
            len(self.entries) + 1 + max((int(a.id[1:]) for a in comparison.articles if a.id[1:].isdigit()), default=0)
        )
        self.strictness = comparison.strictness
        self.comparison = comparison
        self.notes = Notes()
        self.basis, self._basis_key = None, ()
        self.articlesChanged.emit()
        self.comparisonChanged.emit()

    def add_sources(self, sources: Sequence[Source]) -> Job | None:
        sources = list(sources)
        if not sources:
            return None
        first = self._next_id
        self._next_id += len(sources)
        job = Job(lambda progress, cancel: load_sources(sources, first, progress, cancel), "load")
        job.succeeded.connect(self._loaded)
        return self._start(job)

    def _loaded(self, results: tuple[LoadOutcome, ...]) -> None:
        from reader.intake.outlet import distinct_outlets

        good = [r for r in results if r.article is not None and r.raw is not None]
        names = distinct_outlets([e.article.outlet for e in self.entries] + [r.article.outlet for r in good])  # type: ignore[union-attr]
        for r, name in zip(good, names[len(self.entries) :], strict=True):
            assert r.article is not None and r.raw is not None
            self.entries.append(Entry(r.source, r.raw, replace(r.article, outlet=name), self._colour))
            self._colour += 1
        errors = [r.error for r in results if r.error]
        if good:
            self.articlesChanged.emit()
            self.edited.emit()
            self.recompute()
        if errors:
            self.errorRaised.emit("\n".join(errors))

    # -- edits --------------------------------------------------------------------
    def rename(self, article_id: str, outlet: str) -> None:
        outlet = " ".join(outlet.split())
        if not outlet:
            return
        self._swap(article_id, lambda e: replace(e, article=replace(e.article, outlet=outlet)))

    def set_hidden(self, article_id: str, hidden: bool) -> None:
        self._swap(article_id, lambda e: replace(e, hidden=hidden))

    def move(self, article_id: str, step: int) -> None:
        i = next(i for i, e in enumerate(self.entries) if e.article.id == article_id)
        j = max(0, min(len(self.entries) - 1, i + step))
        if i == j:
            return
        self.entries.insert(j, self.entries.pop(i))
        self.articlesChanged.emit()
        self.edited.emit()
        self.comparisonChanged.emit()  # column order only: the grouping is unchanged

    def remove(self, article_id: str) -> None:
        self.entries = [e for e in self.entries if e.article.id != article_id]
        self.articlesChanged.emit()
        self.edited.emit()
        self.recompute()

    def restore(self, article_id: str, positions: frozenset[int]) -> None:
        from reader.intake.articles import build_article

        old = self.entry(article_id)
        try:
            article = build_article(old.raw, article_id, outlet=old.article.outlet, restore=positions)
        except Exception as exc:  # a restore must never cost the user the article they have
            self.errorRaised.emit(f"Could not put the removed text back: {exc}")
            return
        self._swap(article_id, lambda e: replace(e, article=article, restore=positions))

    def _swap(self, article_id: str, change: Callable[[Entry], Entry]) -> None:
        self.entries = [change(e) if e.article.id == article_id else e for e in self.entries]
        self.articlesChanged.emit()
        self.edited.emit()
        self.recompute()

    def set_strictness(self, value: float) -> None:
        if value != self.strictness:
            self.edited.emit()
        self.strictness = value
        self._regroup.start()

    # -- projects and notes --------------------------------------------------------
    def set_notes(self, notes: Notes) -> None:
        self.notes = notes
        self.notesChanged.emit()
        self.edited.emit()

    def project_sources(self) -> tuple:
        """What a project keeps of each source: the text as loaded and the person's choices."""
        from reader.project.projectfile import ProjectSource

        # The outlet shown is saved even when it was guessed: the project reopens with the same columns.
        return tuple(
            ProjectSource(e.raw, e.article.outlet, e.hidden, e.restore, e.article.id) for e in self.entries
        )

    def load_project(self, project: Any, origin: Any = None) -> Job:
        """Open a project (a ``Project``, or a path to read) on a worker: texts rebuilt, then recomputed.

        A damaged file fails on the worker, before anything shown is touched.
        """

        def work(progress: Callable[[Progress], None], cancel: CancelToken):
            from reader.project.projectfile import load_project, project_articles

            progress(Progress("load", 0, 2, "Opening the project"))
            opened = project if hasattr(project, "sources") else load_project(project)
            cancel.check()
            articles = project_articles(opened)
            for a in articles:
                cellhtml.warm_sentences([s.text for s in a.sentences])
            progress(Progress("load", 2, 2, "Project read"))
            return opened, articles

        job = Job(work, "project")
        job.succeeded.connect(lambda result: self.open_project(*result, origin=origin))
        return self._start(job)

    def open_project(self, project: Any, articles: Sequence[Article], *, origin: Any = None) -> None:
        """Replace everything shown by the project's sources, choices and notes, then regroup."""
        from reader.intake.outlet import distinct_outlets

        self.cancel()  # a load or regroup still running belongs to what was shown before
        names = distinct_outlets([a.outlet for a in articles])
        self.entries = [
            Entry(s.raw, s.raw, replace(a, outlet=name), i, s.hidden, s.restored)
            for i, (s, a, name) in enumerate(zip(project.sources, articles, names, strict=True))
        ]
        self._colour = len(self.entries)
        self._next_id = 1 + max((int(a.id[1:]) for a in articles if a.id[1:].isdigit()), default=0)
        self.strictness = project.strictness
        self.notes = project.notes
        self.comparison = None
        self.basis, self._basis_key = None, ()
        self.projectOpened.emit(project, origin)
        self.articlesChanged.emit()
        self.comparisonChanged.emit()
        self.notesChanged.emit()
        self.recompute()

    # -- comparing --------------------------------------------------------------
    def recompute(self) -> Job | None:
        """Regroup when only strictness or names changed; re-embed only for new texts."""
        self._regroup.stop()
        articles = self.visible()
        if self._compare_job is not None:
            self._compare_job.cancel()
        if len(articles) < 2:
            self.comparison = None
            self.comparisonChanged.emit()
            return None
        key = tuple(f"{a.id}:{len(a.sentences)}:{hash(a.body)}" for a in articles)
        basis = self.basis if key == self._basis_key else None
        strictness = self.strictness
        factory = self._embedder_factory

        def work(progress: Callable[[Progress], None], cancel: CancelToken):
            from reader.align.grouping import prepare
            from reader.pipeline import build_comparison

            b = basis
            if b is None:
                if self._embedder is None:
                    self._embedder = factory() if factory else _default_embedder()
                b = prepare(articles, self._embedder, progress=progress, cancel=cancel)
            cancel.check()
            progress(Progress("compare", 0, 1, "Finding differences"))
            comparison = build_comparison(articles, b, strictness)
            cancel.check()
            progress(Progress("compare", 1, 2, "Marking the differences"))
            cellhtml.warm(comparison, [a.id for a in articles])
            return key, b, comparison

        job = Job(work, "compare")
        job.succeeded.connect(self._compared)
        self._compare_job = job
        return self._start(job)

    def _compared(self, result) -> None:
        key, basis, comparison = result
        current = tuple(f"{a.id}:{len(a.sentences)}:{hash(a.body)}" for a in self.visible())
        if key != current:
            return  # the user changed the sources meanwhile; a newer job is on its way
        self.basis, self._basis_key = basis, key
        self.comparison = comparison
        self.comparisonChanged.emit()

    def cancel(self) -> None:
        for job in self.jobs:
            job.cancel()

    def _start(self, job: Job) -> Job:
        self.jobs.append(job)
        job.progressed.connect(self.progressed)
        job.failed.connect(self.errorRaised)
        job.cancelled.connect(self.cancelled)
        job.finished.connect(self._job_finished)
        job.start()
        self.busyChanged.emit(True)
        return job

    def _job_finished(self) -> None:
        job = self.sender()
        if not isinstance(job, Job):
            return
        job.wait()
        if job in self.jobs:
            self.jobs.remove(job)
        if job is self._compare_job:
            self._compare_job = None
        job.deleteLater()
        self.busyChanged.emit(self.busy)

    def shutdown(self) -> None:
        """Stop and join every worker: no thread may outlive the window."""
        self.cancel()
        for job in list(self.jobs):
            job.wait()


def _default_embedder():
    # The model runs in a child process: torch on a worker thread here stalled the UI thread.
    from reader.embedding.process import process_embedder

    return process_embedder()
