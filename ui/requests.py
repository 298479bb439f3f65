"""Asking the person for sources and source edits: files, a web address, a paste, a name, removed text.

The dialogs live here; the session does the work. Drops on the window come through ``drop`` too,
so a project dropped on the window opens as a project instead of being read as an article.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from ui import dialogs
from ui.settings import settings

if TYPE_CHECKING:
    from ui.projectio import ProjectIO
    from ui.session import Session

FILE_FILTER = "Articles (*.txt *.md *.html *.htm *.docx *.eml);;All files (*)"


class SourceRequests(QObject):
    errorRaised = Signal(str)
    said = Signal(str)

    def __init__(self, session: Session, io: ProjectIO, host: QWidget, *, remember: bool) -> None:
        super().__init__(host)
        self.session, self.io, self.host, self.remember = session, io, host, remember

    def _last_folder(self) -> str:
        return str(settings().value("lastFolder", str(Path.home()))) if self.remember else str(Path.home())

    def ask_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.host, "Add articles", self._last_folder(), FILE_FILTER)
        if paths:
            if self.remember:
                settings().setValue("lastFolder", str(Path(paths[0]).parent))
            self.session.add_sources(paths)

    def ask_url(self) -> None:
        url, ok = QInputDialog.getText(self.host, "Add an article from the web", "Web address (https://…):")
        if ok and url.strip():
            self.session.add_sources([url.strip()])

    def ask_paste(self) -> None:
        dialog = dialogs.PasteDialog(self.host)
        if dialog.exec() and dialog.text.toPlainText().strip():
            self.add_pasted(dialog.text.toPlainText(), dialog.outlet.text().strip() or "Pasted article")

    def add_pasted(self, text: str, outlet: str) -> None:
        from reader.errors import ParallaxError
        from reader.intake.sources import pasted

        try:
            raw = pasted(text, outlet)
        except ParallaxError as exc:
            self.errorRaised.emit(exc.message)
            return
        self.session.add_sources([raw])

    def ask_rename(self, article_id: str) -> None:
        old = self.session.entry(article_id).article.outlet
        name, ok = QInputDialog.getText(self.host, "Rename outlet", "Outlet name:", QLineEdit.EchoMode.Normal, old)
        if ok:
            self.session.rename(article_id, name)

    def ask_removed(self, article_id: str) -> None:
        entry = self.session.entry(article_id)
        # The first cleaning's list: every piece, put back or not, without cleaning the page again.
        dialog = dialogs.RemovedDialog(entry.article, entry.removed, entry.restore, self.host)
        if dialog.exec():
            self.session.restore(article_id, dialog.restored())

    @staticmethod
    def accepts(mime: QMimeData) -> bool:
        return mime.hasUrls() or (mime.hasText() and mime.text().strip().startswith(("http://", "https://")))

    def drop(self, mime: QMimeData) -> bool:
        """Files, addresses or a project dropped on the window; False when there was nothing to take."""
        sources = [url.toLocalFile() if url.isLocalFile() else url.toString() for url in mime.urls()]
        if not sources and mime.hasText():
            sources = [line.strip() for line in mime.text().splitlines() if line.strip()]
        projects = [s for s in sources if s.lower().endswith(".parallax") and "://" not in s]
        if projects:
            # A project is the whole comparison, not one more article: open it (the first, if several).
            if self.io.may_discard():
                self.io.open_file(projects[0])
                if len(sources) > 1:
                    self.said.emit(f"Opened the project {Path(projects[0]).name}; the other dropped files were left.")
            return True
        if sources:
            self.session.add_sources(sources)
        return bool(sources)
