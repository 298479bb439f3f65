"""What the window is showing: the workspace, the comparison being built, and its fact table.

Kept apart from the widgets so the window stays view code. Every rule about the sources is the
core's pure ``reader.workspace.Workspace`` (ids, names, order, hiding, restoring, the basis key,
what a project keeps), and every step of the work is the core's too; this object only decides
*when* to run a step and on which thread, swaps in the new workspace, and keeps the latest answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from reader.facts import FactTable, build_fact_table
from reader.model import Article, Comparison, RawDocument, Removed
from reader.progress import CancelToken, Progress
from reader.project.notes import Notes
from reader.workspace import Entry, Source, Workspace, from_comparison, from_project
from ui import cellhtml
from ui.worker import Job

if TYPE_CHECKING:  # the pipeline and projects are imported on the worker, off the start-up path
    from reader.pipeline import LoadOutcome
    from reader.project.projectfile import Project, ProjectSource

DEFAULT_STRICTNESS = 0.5
MODEL_WAIT = "Starting the sentence model (a few seconds, once per session)"
FINDING = "Finding what the outlets report differently"

__all__ = ["DEFAULT_STRICTNESS", "Entry", "Session"]


def load_sources(
    sources: Sequence[Source], first_id: int, progress: Callable[[Progress], None], cancel: CancelToken
) -> tuple[LoadOutcome, ...]:
    """Worker side: the core's per-source intake. The figures and names to mark are found later, by
    the comparison's job: found here, they held the articles' text back from the screen 2 s on the demo."""
    from reader.pipeline import load_each

    return load_each(sources, first_id=first_id, progress=progress, cancel=cancel)


def _comparing(progress: Callable[[Progress], None]) -> Callable[[Progress], None]:
    """The comparison cache's progress in the window's words: its "compare" steps become the first of the
    window's two ("Finding ..."), the second ("Marking ...") is the window's own."""

    def report(p: Progress) -> None:
        if p.stage != "compare":
            progress(p)
        elif p.done == 0:
            progress(Progress("compare", 0, 2, FINDING))

    return report


class Session(QObject):
    articlesChanged = Signal()
    comparisonChanged = Signal()
    progressed = Signal(object)  # Progress
    busyChanged = Signal(bool)
    errorRaised = Signal(str)
    cancelled = Signal()
    edited = Signal()  # the person changed something a project keeps (not a recomputation)
    sourcesAdded = Signal()  # files or pages were read in: a project would keep them, but nothing is lost
    notesChanged = Signal()
    projectOpened = Signal(object, object)  # Project, the Path it came from (None: recovered or new)

    def __init__(self, embedder_factory: Callable[[], Any] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._embedder_factory = embedder_factory
        # Finished comparisons kept on disk (reader.project.comparisoncache) with the app's own model, whose
        # vectors the disk cache holds; a test's or a benchmark's embedder is asked every time.
        self.keep_comparisons = embedder_factory is None
        self._embedder: Any = None
        self.workspace = Workspace()
        self.strictness = DEFAULT_STRICTNESS
        self.comparison: Comparison | None = None
        self.table: FactTable | None = None  # the comparison's fact table, built with it on the worker
        self.notes = Notes()
        self.basis: Any = None
        self._basis_key: tuple[str, ...] = ()
        self.jobs: list[Job] = []
        self._compare_job: Job | None = None
        self._regroup = QTimer(self, singleShot=True, interval=120)
        self._regroup.timeout.connect(self.recompute)

    # -- what the views read ---------------------------------------------------
    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.workspace.entries

    def visible(self) -> tuple[Article, ...]:
        return self.workspace.visible()

    def colour_of(self) -> dict[str, int]:
        return self.workspace.colour_of()

    def entry(self, article_id: str) -> Entry:
        return self.workspace.entry(article_id)

    def removed(self, article_id: str) -> tuple[Removed, ...]:
        """Everything cleaning took out of this source, put back or not (from the first cleaning)."""
        return self.workspace.entry(article_id).removed

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
        self.workspace = from_comparison(comparison, raws)
        self.strictness = comparison.strictness
        self.comparison, self.table = comparison, build_fact_table(comparison)
        self.notes = Notes()
        self.basis, self._basis_key = None, ()
        self.articlesChanged.emit()
        self.comparisonChanged.emit()

    def add_sources(self, sources: Sequence[Source]) -> Job | None:
        sources = list(sources)
        if not sources:
            return None
        self.workspace, first = self.workspace.reserve(len(sources))
        job = Job(lambda progress, cancel: (sources, load_sources(sources, first, progress, cancel)), "load")
        # Bound methods only, never a lambda: a slot with no receiving object runs on the worker's thread.
        job.succeeded.connect(self._loaded)
        return self._start(job)

    def _loaded(self, result: tuple[Sequence[Source], tuple[LoadOutcome, ...]]) -> None:
        sources, outcomes = result
        before = len(self.workspace.entries)
        self.workspace, errors = self.workspace.with_loaded(sources, outcomes)
        added = self.workspace.entries[before:]
        if added:
            self.articlesChanged.emit()
            # A pasted text or a fetched page exists nowhere else: losing it is losing work.
            (self.edited if any(e.pasted for e in added) else self.sourcesAdded).emit()
            self.recompute()
        if errors:
            self.errorRaised.emit("\n".join(errors))

    # -- edits --------------------------------------------------------------------
    def rename(self, article_id: str, outlet: str) -> None:
        self._edit(self.workspace.renamed(article_id, outlet))

    def set_hidden(self, article_id: str, hidden: bool) -> None:
        self._edit(self.workspace.with_hidden(article_id, hidden))

    def move(self, article_id: str, step: int) -> None:
        moved = self.workspace.moved(article_id, step)
        if moved.entries == self.workspace.entries:
            return
        self.workspace = moved
        self.articlesChanged.emit()
        self.edited.emit()
        if self._compare_job is not None:
            self.recompute()  # the running job's answer is for the old order and will be dropped
        self.comparisonChanged.emit()  # column order only: the grouping is unchanged

    def remove(self, article_id: str) -> None:
        self._edit(self.workspace.without(article_id))

    def restore(self, article_id: str, positions: frozenset[int]) -> Job | None:
        """Put removed pieces back: the article is rebuilt on a worker, then everything regroups."""
        entry = self.workspace.entry(article_id)
        if positions == entry.restore:
            return None
        raw, outlet = entry.raw, entry.article.outlet

        def work(progress: Callable[[Progress], None], cancel: CancelToken) -> Article:
            from reader.intake.articles import build_article

            progress(Progress("load", 0, 1, f"Putting text back into {outlet}"))
            article = build_article(raw, article_id, outlet=outlet, restore=positions)
            return article_id, article, positions

        job = Job(work, "restore")
        job.succeeded.connect(self._restored)
        return self._start(job)

    def _restored(self, result: tuple[str, Article, frozenset[int]]) -> None:
        article_id, article, positions = result
        if any(e.article.id == article_id for e in self.workspace.entries):  # not removed meanwhile
            self._edit(self.workspace.with_restored(article_id, article, positions))

    def _edit(self, workspace: Workspace) -> None:
        if workspace is self.workspace:
            return
        self.workspace = workspace
        self.articlesChanged.emit()
        self.edited.emit()
        self.recompute()

    def set_strictness(self, value: float) -> None:
        if value != self.strictness:
            self.edited.emit()
        self.strictness = value
        self._regroup.start()

    def set_strictness_quietly(self, value: float) -> None:
        """A saved setting: no regrouping, no edit."""
        self.strictness = value
        self._regroup.stop()

    # -- projects and notes --------------------------------------------------------
    def set_notes(self, notes: Notes) -> None:
        self.notes = notes
        self.notesChanged.emit()
        self.edited.emit()

    def project_sources(self) -> tuple[ProjectSource, ...]:
        return self.workspace.project_sources()

    def load_project(self, project: Any, origin: Any = None) -> Job:
        """Open a project (a ``Project``, or a path to read) on a worker: texts rebuilt, then recomputed.

        A damaged file fails on the worker, before anything shown is touched.
        """

        def work(progress: Callable[[Progress], None], cancel: CancelToken):
            from reader.intake.articles import build_article
            from reader.project.projectfile import load_project, project_articles

            progress(Progress("load", 0, 2, "Opening the project"))
            opened = project if hasattr(project, "sources") else load_project(project)
            cancel.check()
            articles = project_articles(opened)
            # A source with pieces put back lists only the others; its first cleaning lists them all.
            removed = [build_article(s.raw, a.id).removed if s.restored else a.removed
                       for s, a in zip(opened.sources, articles, strict=True)]
            progress(Progress("load", 2, 2, "Project read"))
            return opened, articles, removed, origin

        job = Job(work, "project")
        job.succeeded.connect(self._project_read)
        return self._start(job)

    def _project_read(self, result: tuple[Project, Sequence[Article], Sequence[tuple[Removed, ...]], Any]) -> None:
        opened, articles, removed, origin = result
        self.open_project(opened, articles, removed, origin=origin)

    def open_project(
        self, project: Project, articles: Sequence[Article], removed: Sequence[tuple[Removed, ...]] = (),
        *, origin: Any = None,
    ) -> None:
        """Replace everything shown by the project's sources, choices and notes, then regroup."""
        self.cancel()  # a load or regroup still running belongs to what was shown before
        self.workspace = from_project(project, articles, removed)
        self.strictness = project.strictness
        self.notes = project.notes
        self.comparison, self.table = None, None
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
            self.comparison, self.table = None, None
            self.comparisonChanged.emit()
            return None
        key = self.workspace.basis_key()
        basis = self.basis if key == self._basis_key else None
        strictness = self.strictness

        def work(progress: Callable[[Progress], None], cancel: CancelToken):
            b = basis
            if b is None and self._embedder is None:
                progress(Progress("model", 0, 0, MODEL_WAIT))
                self._embedder = self._make_embedder()
            if b is None and self.keep_comparisons:
                # A finished comparison of the same articles, strictness and stored vectors is read back,
                # not made again (alignment, differences, numpy and the parser all skipped), and a new one
                # is kept for the next launch (the demo reopened: launch to comparison 1.27-1.58 -> 0.79-1.00 s).
                from reader.project.comparisoncache import compare_kept

                comparison, b = compare_kept(articles, self._embedder, strictness, progress=_comparing(progress),
                                             cancel=cancel)
            else:
                from reader.align.grouping import prepare
                from reader.pipeline import build_comparison

                if b is None:
                    b = prepare(articles, self._embedder, progress=progress, cancel=cancel)
                cancel.check()
                progress(Progress("compare", 0, 2, FINDING))
                comparison = build_comparison(articles, b, strictness, cancel=cancel)
            cancel.check()
            progress(Progress("compare", 1, 2, "Marking the differences"))
            table = build_fact_table(comparison)
            cellhtml.warm(table)
            cellhtml.warm_sentences([s.text for a in articles for s in a.sentences])  # for the reader
            return key, b, comparison, table

        job = Job(work, "compare")
        job.succeeded.connect(self._compared)
        self._compare_job = job
        return self._start(job)

    def _make_embedder(self) -> Any:
        if self._embedder_factory is not None:
            return self._embedder_factory()
        # The model runs in a child process: torch on a worker thread here stalled the UI thread.
        from reader.embedding.process import process_embedder

        return process_embedder()

    def _compared(self, result) -> None:
        key, basis, comparison, table = result
        if key != self.workspace.basis_key():
            return  # the person changed the sources meanwhile; a newer job is on its way
        self.basis, self._basis_key = basis, key
        self.comparison, self.table = comparison, table
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
