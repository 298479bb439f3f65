"""Projects, exports, autosave and classroom mode for the main window (issue 7).

The core does the work (``reader.project.projectfile``, ``reader.project.autosave``, ``reader.reports``);
this object decides when, asks the person, and keeps the window's title honest. It knows the
session and a parent widget for its dialogs, nothing else of the window: what it has to say goes
out by signal (``said``, ``errorRaised``, ``titleChanged``, ``strictnessOpened``, ``classroomLeft``),
and the window decides how to show it. Notes are edited in ``ui.notes``.
Every question that would open a modal dialog is an attribute holding a callable
(``ask_open_path``, ``ask_save_path``, ``ask_export``, ``ask_recover``, ``ask_unsaved``; the dialogs
themselves are in ``ui.projectquestions``), so tests answer it without a modal loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget

from reader.errors import ParallaxError, ProjectError
from ui import projectquestions as questions
from ui.settings import settings

if TYPE_CHECKING:
    from reader.project.autosave import Autosaver, Recovery
    from reader.project.projectfile import Project
    from ui.classroom import ClassroomView
    from ui.session import Session
    from ui.worker import Job

log = logging.getLogger(__name__)

AUTOSAVE_MS = 60_000


class ProjectIO(QObject):
    """Owns the open project's file, its autosave, its notes' editing and the exports."""

    _autosaveFailed = Signal(str)  # from the autosave thread; handled on the UI thread
    said = Signal(str)  # a one-line status message
    errorRaised = Signal(str)  # a failure to show in the error dialog
    titleChanged = Signal(str)  # the window title: project name, a bullet when unsaved
    strictnessOpened = Signal(float)  # an opened project's strictness, to show without regrouping
    classroomLeft = Signal(str)  # the group the presentation was on when it ended

    def __init__(self, session: Session, host: QWidget, *, remember: bool = True) -> None:
        super().__init__(host)
        self.host = host  # the parent of this object's dialogs
        self.remember = remember
        self.session = session
        self.path: Path | None = None
        self.title = ""
        self.created = ""
        self.dirty = False
        self._autosaved = True
        self._recovered_from: Path | None = None  # the file a recovered autosave was editing
        self._save_hint: Path | None = None  # where Save As starts for recovered work
        self.classroom: ClassroomView | None = None
        self.ask_open_path: Callable[[], Path | None] = self._ask_open_path
        self.ask_save_path: Callable[[], Path | None] = self._ask_save_path
        self.ask_export: Callable[[], tuple[str, Path] | None] = self._ask_export
        self.ask_recover: Callable[[Recovery], bool] = self._ask_recover
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved  # "save", "discard" or "cancel"
        # The desktop app asks before unsaved work is dropped; test windows (and scripts) do not.
        self.confirm_unsaved = False
        self.autosaver: Autosaver | None = None
        try:
            from reader.project.autosave import Autosaver

            self.autosaver = Autosaver()
        except ProjectError as exc:  # a read-only data folder costs the autosave, not the app
            log.warning("no autosave: %s", exc.message)
        # The project is written on its own thread: two hundred articles are megabytes of JSON
        # and an fsync, which held the UI thread 20-300 ms when written from the timer.
        self._saver_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parallax-autosave")
        self._saving: Future | None = None
        self._autosaveFailed.connect(self._autosave_failed)
        self.timer = QTimer(self, interval=AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    def attach(self) -> None:
        """Called once the window listens to this object's signals."""
        s = self.session
        s.edited.connect(self._edited)
        s.sourcesAdded.connect(self._sources_added)
        s.projectOpened.connect(self._opened)
        self._update_title()

    # -- state shown in the window ---------------------------------------------------
    def _edited(self) -> None:
        if not self.session.entries and self.path is None:
            return  # nothing a project would keep
        self.dirty, self._autosaved = True, False
        self._update_title()

    def _sources_added(self) -> None:
        # Files or pages read in: kept in the autosave (a crash should not cost the list), but
        # not "unsaved work" to ask about on closing: the files can be opened again as they are.
        self._autosaved = False
        self._update_title()

    def name(self) -> str:
        if self.path is not None:
            return self.path.stem
        return self.title or ("Untitled comparison" if self.session.entries else "")

    def _update_title(self) -> None:
        name = self.name()
        self.titleChanged.emit(f"{'• ' if self.dirty else ''}{name} — Parallax" if name else "Parallax")

    def _say(self, text: str) -> None:
        self.said.emit(text)

    def _error(self, message: str) -> None:
        self.errorRaised.emit(message)

    # -- opening -------------------------------------------------------------------------
    def may_discard(self) -> bool:
        """Before the shown work is replaced or the window closes: offer to save unsaved changes.

        Only work would be lost is asked about: an edit (a name, a hidden or moved outlet, a restored
        passage, a note, the strictness) or a pasted text or fetched page. Files read from disk, the
        demo or a project just opened can be opened again as they are: closing them asks nothing.
        """
        if not (self.confirm_unsaved and self.dirty and self.session.entries):
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def _ask_unsaved(self) -> str:
        return questions.ask_unsaved(self.host, self.name())

    def ask_and_open(self) -> None:
        if not self.may_discard():
            return
        path = self.ask_open_path()
        if path is not None:
            self.open_file(path)

    def _ask_open_path(self) -> Path | None:
        return questions.ask_open_path(self.host, self._folder("projectFolder"))

    def open_file(self, path: Path | str) -> Job:
        """Read on a worker; a damaged file shows one line and leaves the comparison as it was."""
        target = Path(path)
        self._say(f"Opening {target.name}…")
        return self.session.load_project(target, origin=target)

    def _open_recent(self, path: Path) -> None:
        if self.may_discard():
            self.open_file(path)

    def _opened(self, project: Project, origin: object) -> None:
        self.title, self.created = project.title, project.created
        recovered_from, self._recovered_from = self._recovered_from, None
        self.strictnessOpened.emit(project.strictness)
        if isinstance(origin, Path):
            self.path, self.dirty, self._autosaved, self._save_hint = origin, False, True, None
            self._kept_in(origin)
            self._say(f"Opened {origin.name}: lining up the facts again…")
        else:  # recovered: unsaved until the person saves it, and autosaved from now on
            self.path, self.dirty, self._autosaved = None, True, False
            self.title = self.title or (recovered_from.stem if recovered_from else "")
            self._save_hint = recovered_from
            self.autosave(wait=True)  # the recovered work is safe again before anything else happens
        self._update_title()

    def fill_recent(self, menu: QMenu) -> None:
        """File ▸ Open Recent, rebuilt each time it opens: files moved since are left out."""
        from reader.project.recent import clear_recent, recent_projects

        menu.clear()
        paths = recent_projects()
        for p in paths:
            act = menu.addAction(p.name, lambda p=p: self._open_recent(p))
            act.setToolTip(str(p))
            act.setStatusTip(str(p))
        if not paths:
            menu.addAction("No recent projects").setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction("Clear the list", clear_recent)

    # -- saving ----------------------------------------------------------------------------
    def project(self) -> Project:
        from reader.project.notes import now_iso
        from reader.project.projectfile import Project

        title = self.title or (self.path.stem if self.path else "")
        return Project(self.session.project_sources(), self.session.strictness, self.session.notes, title,
                       created=self.created or now_iso())

    def save(self) -> bool:
        return self.save_to(self.path) if self.path is not None else self.save_as()

    def save_as(self) -> bool:
        path = self.ask_save_path()
        return self.save_to(path) if path is not None else False

    def _ask_save_path(self) -> Path | None:
        fresh = Path(self._folder("projectFolder")) / f"{self.name() or 'comparison'}.parallax"
        return questions.ask_save_path(self.host, self.path or self._save_hint or fresh)

    def save_to(self, path: Path | str) -> bool:
        from reader.project.projectfile import save_project, with_extension

        if not self.session.entries:
            self._say("Nothing to save yet: add two or more articles first.")
            return False
        target = with_extension(path)
        try:
            saved = save_project(self.project(), target)
        except ProjectError as exc:
            self._error(exc.message)
            return False
        self.path, self.title, self.created, self._save_hint = target, saved.title, saved.created, None
        self.dirty, self._autosaved = False, True
        self._kept_in(target)
        self._update_title()
        self._say(f"Saved {target}")
        return True

    def _kept_in(self, path: Path) -> None:
        """The work is safe in ``path`` (opened or saved): remember it, and retarget the autosave."""
        from reader.project.recent import add_recent

        add_recent(path)
        self._remember_folder("projectFolder", path)
        if self.autosaver is not None:
            self.wait_autosave()  # a write still running would bring back the file discarded here
            self.autosaver.discard()
            self.autosaver.set_original(path)

    # -- autosave and recovery -------------------------------------------------------------
    def autosave(self, *, wait: bool = False) -> None:
        """Write the work to the autosave file on the autosave thread; ``wait``: until it is written."""
        if self.autosaver is None or self._autosaved or not self.session.entries:
            if wait:
                self.wait_autosave()
            return
        if self._saving is not None and not self._saving.done():
            return  # the next tick writes what changed meanwhile
        # Built here (frozen dataclasses, cheap); only the writing leaves the UI thread.
        project, saver = self.project(), self.autosaver
        self._autosaved = True  # an edit during the write sets it back, and the next tick saves again
        self._saving = self._saver_thread.submit(self._write_autosave, saver, project)
        if wait:
            self.wait_autosave()

    def _write_autosave(self, saver: Autosaver, project: Project) -> None:
        try:
            saver.save(project)
        except (ProjectError, OSError) as exc:  # shown in the status bar, never a dialog a minute
            self._autosaveFailed.emit(str(getattr(exc, "message", exc)))

    def _autosave_failed(self, message: str) -> None:
        log.warning("autosave failed: %s", message)
        self._autosaved = False
        self._say(f"Autosave failed: {message}")

    def wait_autosave(self) -> None:
        """Block until a running autosave is written (before the file is discarded or replaced)."""
        if self._saving is not None:
            self._saving.result()
            self._saving = None

    def offer_recovery(self) -> bool:
        """After a crash: ask about each abandoned autosave; open the first one accepted.

        Declined ones are discarded; once one is open, any others wait for the next start.
        """
        from reader.project.autosave import discard_recovery, find_recoverable, recover

        for r in find_recoverable():
            if not self.ask_recover(r):
                discard_recovery(r)
                continue
            try:
                project = recover(r)
            except ProjectError as exc:
                self._error(exc.message)
                continue
            self._recovered_from = r.original
            self.session.load_project(project, origin=None)
            discard_recovery(r)  # the opened copy is autosaved by this window from now on
            return True
        return False

    def _ask_recover(self, r: Recovery) -> bool:
        return questions.ask_recover(self.host, r)

    def close(self) -> None:
        """The window closes cleanly: stop the timer, leave classroom mode, release the autosave."""
        self.timer.stop()
        if self.classroom is not None:
            self.classroom.close()
        self.wait_autosave()
        self._saver_thread.shutdown(wait=True)
        if self.autosaver is not None:
            self.autosaver.close()
            self.autosaver = None

    # -- exports ------------------------------------------------------------------------------
    def export(self) -> None:
        if self.session.comparison is None:
            self._say("Nothing to export yet: the comparison is not ready.")
            return
        choice = self.ask_export()
        if choice is not None:
            self.export_to(*choice)

    def _ask_export(self) -> tuple[str, Path] | None:
        return questions.ask_export(self.host, Path(self._folder("exportFolder")), self.name())

    def export_to(self, kind: str, path: Path | str) -> bool:
        """Write one export through the command line's export service: the same file names (a worksheet's
        answer sheet), the same checks before writing (no source overwritten, no device, a folder that
        takes the file), the same atomic write; every failure is one line in the error dialog."""
        from reader.reports.export import plan_exports, write_exports
        from ui.pdfexport import html_to_pdf

        c = self.session.comparison
        if c is None:
            return False
        files = [e.raw.source for e in self.session.entries if e.raw.filename and not e.raw.url]
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            plan = plan_exports([(kind, str(path))], files, flag=lambda _kind: "")
            write_exports(c, plan, notes=self.session.notes, pdf_writer=html_to_pdf)
        except ParallaxError as exc:
            self._error(exc.message)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        target = plan.targets[0].path
        self._remember_folder("exportFolder", target)
        self._say(f"Exported {target}")
        return True

    # -- classroom -----------------------------------------------------------------------------
    def enter_classroom(self, group_id: str | None = None) -> ClassroomView | None:
        """Present the comparison, from the fact ``group_id`` (the one selected in the window) if given."""
        c = self.session.comparison
        if c is None:
            self._say("Classroom mode needs a finished comparison.")
            return None
        if self.classroom is None or self.classroom.comparison is not c:
            from ui.classroom import ClassroomView

            if self.classroom is not None:
                self.classroom.close()
            view = ClassroomView(c, table=self.session.table)
            view.closed.connect(self._left_classroom)
            self.classroom = view
            # On the window's screen, and covering it even where no window manager honours full screen.
            view.setGeometry(self.host.screen().geometry())
        if group_id:
            self.classroom.go_to_group(group_id)
        self.classroom.start()
        return self.classroom

    def _left_classroom(self) -> None:
        view, self.classroom = self.classroom, None
        fact = view.current if view is not None else None
        if view is not None:
            view.deleteLater()
        self.classroomLeft.emit(fact.group if fact is not None else "")

    # -- settings ---------------------------------------------------------------------------------
    def _folder(self, key: str) -> str:
        if not self.remember:
            return str(Path.home())
        return str(settings().value(key, settings().value("lastFolder", str(Path.home()))))

    def _remember_folder(self, key: str, path: Path) -> None:
        if self.remember:
            settings().setValue(key, str(path.parent))
