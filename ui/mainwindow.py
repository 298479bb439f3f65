"""The main window: sources and differences on the left, aligned facts or whole articles in the middle."""

from __future__ import annotations

import gc
import itertools
from pathlib import Path

from PySide6.QtCore import QByteArray, QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader.model import DISCREPANCY_KINDS
from reader.progress import Progress
from ui import dialogs
from ui.aligned_view import AlignedView
from ui.chrome import WindowChrome
from ui.differences_panel import DifferencesPanel
from ui.models import AlignedModel
from ui.overview import OverviewStrip
from ui.projectio import ProjectIO
from ui.reader_view import ReaderView
from ui.session import Session
from ui.settings import float_value, settings
from ui.sources_panel import SourcesPanel
from ui.theme import apply_system_theme

# Between the steps of showing a new comparison (the table, then the differences panel, then the
# reader): long enough that each step's paint and the user's input get a turn of their own, too
# short to see. With zero-delay timers the three steps and two paints ran in one 70 ms turn.
STEP_PAUSE_MS = 10
# A new table is shown once the rows in view are measured (their cells are then laid out and their
# heights final: its first paint went from 39 to about 5 ms at 200 outlets, and nothing jumps), or
# after this long whatever happens.
REVEAL_WAIT_MS = 500
FILE_FILTER = "Articles (*.txt *.md *.html *.htm *.docx *.eml);;All files (*)"
KEYS_HELP = (
    "F3 / n: next difference    Shift+F3 / p: previous difference\n"
    "Ctrl+1: aligned view    Ctrl+2: reader view    Ctrl+F: search\n"
    "Ctrl+Shift+O: add files    Ctrl+L: add a web address    Ctrl+Shift+V: paste an article\n"
    "Ctrl+O: open a project    Ctrl+S: save it    Ctrl+E: export    Ctrl+Shift+N: note on a fact or difference\n"
    "F11 / Ctrl+Shift+P: classroom mode (arrows step, Space reveals, Esc leaves)\n"
    "Esc: cancel the running work    Arrow keys move between facts and outlets"
)


def freeze_heap() -> None:
    """Take what is alive now out of the cyclic collector's sight (``gc.freeze``).

    A full collection walks every tracked object holding the interpreter lock: with 200
    articles open that was 130,000 objects and 50-90 ms, a stall of the window each time.
    What is alive once a comparison is on screen mostly stays alive (the articles, the
    comparison, the widgets), so it is frozen and later collections walk only what came
    since. Frozen objects are still freed by reference counting as usual; only garbage
    cycles among them would outlive their use, and the comparison's objects hold none.
    """
    gc.freeze()


class MainWindow(WindowChrome, QMainWindow):
    errorShown = Signal(str)

    def __init__(self, embedder_factory=None, *, remember: bool = True) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Parallax")
        self.setAcceptDrops(True)
        self.remember = remember
        self._pending_differences: tuple | None = None  # (comparison, row_of) not yet in the panel
        self._pending_reader: object = False  # a comparison (or None) not yet in the reader; False: none
        self._pending_reveal: str | bool | None = False  # False: shown; else the group to keep in view
        self._reveal_clock = QElapsedTimer()
        self.session = Session(embedder_factory, self)
        self.model = AlignedModel(self)
        self._nav_pos = -1
        self._user_chose_tab = False
        self.io = ProjectIO(self)  # before the menus: they call it
        self._build()
        self._wire()
        self._restore_settings()
        self.io.attach()
        freeze_heap()  # the modules and widgets made so far (no collection first: it would delay the first paint)

    # -- layout --------------------------------------------------------------------
    def _build(self) -> None:
        self.sources = SourcesPanel(self)
        self.differences = DifferencesPanel(self)
        self.aligned = AlignedView(self.model, self)
        self.overview = OverviewStrip(self.model, self)
        self.reader = ReaderView(self)
        self.empty = QLabel(
            "<h2>Drop two or more articles here</h2><p>or use <b>Add files…</b>, <b>Add URL…</b> or <b>Paste…</b>."
            "<br>Parallax lines up the sentences that report the same fact and marks what differs.</p>"
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        table_page = QWidget(self)
        row = QHBoxLayout(table_page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.overview)
        row.addWidget(self.aligned, 1)
        self.waiting = QLabel("Lining up the facts…\nThe articles are already readable in the Reader tab (Ctrl+2).")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # What the aligned tab shows: how to start, the wait for the alignment, or the table.
        aligned_page = QStackedWidget(self)
        for page in (self.empty, self.waiting, table_page):
            aligned_page.addWidget(page)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("views")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(aligned_page, "&Aligned facts")
        self.tabs.addTab(self.reader, "&Reader")
        self.tabs.setTabToolTip(0, "One row per fact, one column per outlet (Ctrl+1)")
        self.tabs.setTabToolTip(1, "The whole articles side by side; click a sentence (Ctrl+2)")
        self._aligned_page = aligned_page

        self.left = QSplitter(Qt.Orientation.Vertical, self)
        self.left.setObjectName("leftSplitter")
        self.left.addWidget(self._titled("Sources", self.sources))
        self.left.addWidget(self._titled("Differences", self.differences))
        self.left.setStretchFactor(1, 2)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.setObjectName("mainSplitter")
        self.split.addWidget(self.left)
        self.split.addWidget(self.tabs)
        self.split.setStretchFactor(1, 3)
        self.split.setSizes([400, 1080])
        self.setCentralWidget(self.split)
        self._build_toolbar()
        self._build_status()
        self._build_menus()
        # Tab follows the screen left to right: what to compare, what differs, then the facts.
        chain = [self.slider, self.filter, self.prev_button, self.next_button, self.search, self.sources.tree,
                 *self.sources.buttons.values(), self.differences, self.tabs, self.overview, self.aligned]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)
        self.overview.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a mouse shortcut; the table has the keys
        self.resize(1480, 900)

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 0)
        label = QLabel(f"<b>{title}</b>")
        label.setBuddy(widget)
        layout.addWidget(label)
        layout.addWidget(widget, 1)
        return box

    def _wire(self) -> None:
        s = self.session
        s.articlesChanged.connect(self._articles_changed)
        s.comparisonChanged.connect(self._comparison_changed)
        s.progressed.connect(self._progress)
        s.busyChanged.connect(self._busy)
        s.errorRaised.connect(self.show_error)
        s.cancelled.connect(lambda: self.message.setText("Stopped. Everything loaded so far is kept."))
        self.sources.addFilesRequested.connect(self.ask_files)
        self.sources.addUrlRequested.connect(self.ask_url)
        self.sources.pasteRequested.connect(self.ask_paste)
        self.sources.renameRequested.connect(self.ask_rename)
        self.sources.removedRequested.connect(self.ask_removed)
        self.sources.removeRequested.connect(s.remove)
        self.sources.moveRequested.connect(s.move)
        self.sources.hiddenToggled.connect(s.set_hidden)
        self.slider.valueChanged.connect(self._strictness)
        self.filter.currentIndexChanged.connect(lambda _i: self.aligned.filter.set_mode(self.filter.currentData()))
        self.search.textChanged.connect(self._search)
        self.next_button.clicked.connect(self.next_difference)
        self.prev_button.clicked.connect(self.previous_difference)
        self.cancel_button.clicked.connect(s.cancel)
        self.differences.groupChosen.connect(self.go_to_group)
        self.differences.discrepancyChosen.connect(self._disc_chosen)
        self.overview.rowClicked.connect(lambda row: self.go_to_group(self.model.group_id(row)))
        self.aligned.rowActivated.connect(self._row_activated)
        self.reader.sentenceFocused.connect(self._sentence_focused)
        self.tabs.currentChanged.connect(lambda _i: setattr(self, "_user_chose_tab", True))
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    def _scheme_changed(self, _scheme) -> None:
        """The system switched light/dark: new palette, and every cell re-marked in its colours."""
        apply_system_theme(QGuiApplication.instance())
        self._build_legend()
        self.reader.set_articles(self.session.visible(), self.session.colour_of())
        self.reader.set_comparison(self.session.comparison)
        self._comparison_changed()

    # -- session → widgets ------------------------------------------------------
    def _show_state(self) -> None:
        if self.session.comparison is not None:
            self._aligned_page.setCurrentIndex(2)
        elif len(self.session.visible()) >= 2 and self.session.busy:
            self._aligned_page.setCurrentIndex(1)
        else:
            self._aligned_page.setCurrentIndex(0)

    def _articles_changed(self) -> None:
        self._show_state()
        self.sources.set_entries(self.session.entries)
        self.reader.set_articles(self.session.visible(), self.session.colour_of())
        freeze_heap()  # the articles just read stay for the whole comparison
        if self.session.comparison is None and not self._user_chose_tab and len(self.session.visible()) > 0:
            # The text shows before the alignment is ready.
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(1)
            self.tabs.blockSignals(False)

    def _comparison_changed(self) -> None:
        self._show_state()
        c = self.session.comparison
        current = self.aligned.current_group()
        order = [e.article.id for e in self.session.entries if not e.hidden]
        self.model.set_comparison(c, order, self.session.colour_of())
        row_of = {g.id: i for i, g in enumerate(c.groups)} if c else {}
        # The table first; the differences panel and the (hidden) reader tab on later turns of the event
        # loop: done in one go, the three took 70-170 ms on 50 articles and froze the window that long.
        self._pending_differences, self._pending_reader = (c, row_of), c
        self._nav = self._navigation_order()
        self._nav_pos = -1
        if c is not None:
            shared = sum(1 for i in range(self.model.rowCount()) if len(self.model.reporting(i)) > 1)
            self.message.setText(
                f"{len(c.articles)} outlets · {len(c.groups)} facts, {shared} reported by more than one · "
                f"{len(c.discrepancies)} differences · {len(c.agreements)} agreements"
            )
        # The table is shown and painted on a later turn: the model reset (30 ms at 200 outlets), the
        # switch to its tab (16 ms) and its first paint (30-60 ms) in one turn froze the window 105 ms.
        self.aligned.setUpdatesEnabled(False)
        self._pending_reveal = current
        self._reveal_clock.start()
        QTimer.singleShot(STEP_PAUSE_MS, self, self._reveal)
        self.overview.update()

    def _reveal(self) -> None:
        if self._pending_reveal is False:
            return  # a newer comparison's turn already showed it
        if not self.aligned.rows_in_view_measured and not self._reveal_clock.hasExpired(REVEAL_WAIT_MS):
            QTimer.singleShot(STEP_PAUSE_MS, self, self._reveal)
            return
        current, self._pending_reveal = self._pending_reveal, False
        if self.session.comparison is not None:
            if not self._user_chose_tab:
                self.tabs.blockSignals(True)
                self.tabs.setCurrentIndex(0)
                self.tabs.blockSignals(False)
            if current and self.model.row_of_group(current) >= 0:
                self.aligned.show_group(current)
            focused = self.focusWidget()
            if focused is None or focused is self.tabs.tabBar():
                self.aligned.setFocus()  # arrow keys, F3 and n/p work at once
        self.aligned.setUpdatesEnabled(True)
        QTimer.singleShot(STEP_PAUSE_MS, self, self._fill_differences)

    def panels_ready(self) -> bool:
        """True once the table, the differences panel and the reader show the current comparison."""
        return (
            self._pending_reveal is False
            and self._pending_differences is None
            and self._pending_reader is False
            and not self.differences.filling
        )

    def _fill_differences(self) -> None:
        # Each panel shows the newest comparison once; a stale timer finds nothing left to do.
        pending, self._pending_differences = self._pending_differences, None
        if pending is not None:
            self.differences.set_comparison(*pending)
        QTimer.singleShot(STEP_PAUSE_MS, self, self._fill_reader)

    def _fill_reader(self) -> None:
        pending, self._pending_reader = self._pending_reader, False
        if pending is not False:
            self.reader.set_comparison(pending)
            freeze_heap()

    def _navigation_order(self) -> list[tuple[int, str, str]]:
        c = self.session.comparison
        if c is None:
            return []
        rank = {k: i for i, k in enumerate(DISCREPANCY_KINDS)}
        items = [(self.model.row_of_group(d.group), rank[d.kind], d.id, d.group) for d in c.discrepancies]
        return [(row, did, group) for row, _r, did, group in sorted(items)]

    def _progress(self, p: Progress) -> None:
        self.progress.setMaximum(max(1, p.total))
        self.progress.setValue(p.done)
        self.progress.setFormat(f"{p.message or p.stage} %p%")
        self.message.setText(p.message)

    def _busy(self, busy: bool) -> None:
        self._show_state()
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        if not busy and self.session.comparison is None and len(self.session.visible()) == 1:
            self.message.setText("Add at least one more article to compare.")

    def set_strictness_quietly(self, value: float) -> None:
        """Show a project's strictness on the slider without regrouping or marking the project changed."""
        self.slider.blockSignals(True)
        self.slider.setValue(round(100 * value))
        self.slider.blockSignals(False)
        self.strict_label.setText(f"Match: {self.slider.value() / 100:.2f} ")

    def _strictness(self, value: int) -> None:
        self.strict_label.setText(f"Match: {value / 100:.2f} ")
        self.session.set_strictness(value / 100)

    def _search(self, text: str) -> None:
        self.aligned.filter.set_search(text)
        hits = self.reader.search(text)
        if text.strip():
            self.message.setText(
                f"“{text.strip()}”: {hits} match(es) in the articles, {self.aligned.filter.rowCount()} fact(s) shown"
            )

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- navigation -------------------------------------------------------------
    def go_to_group(self, group_id: str) -> None:
        if not self.aligned.show_group(group_id):
            self.filter.setCurrentIndex(0)  # a filter hid the row: show everything rather than fail
            self.search.clear()
            self.aligned.show_group(group_id)
        self.reader.focus_group(group_id)
        row = self.model.row_of_group(group_id)
        self.overview.set_current(row)

    def _row_activated(self, group_id: str) -> None:
        self.overview.set_current(self.model.row_of_group(group_id))

    def _disc_chosen(self, disc_id: str) -> None:
        self._nav_pos = next((i for i, n in enumerate(self._nav) if n[1] == disc_id), self._nav_pos)

    def _sentence_focused(self, sentence_id: str) -> None:
        row = self.model.row_of_sentence(sentence_id)
        if row >= 0:
            self.aligned.show_group(self.model.group_id(row))
            self.overview.set_current(row)

    def _step(self, forward: bool) -> None:
        if not self._nav:
            self.message.setText("No differences to step through.")
            return
        current = self.aligned.current_group()
        row = self.model.row_of_group(current) if current else -1
        pos = self._nav_pos
        if pos == -1 and forward and row <= 0:
            pos = 0  # a fresh comparison: the first difference, even on the first row
        elif not (0 <= pos < len(self._nav)) or self._nav[pos][0] != row:
            # The reader moved on their own: continue from the row they are on.
            after = [i for i, n in enumerate(self._nav) if (n[0] > row if forward else n[0] < row)]
            pos = (after[0] if forward else after[-1]) if after else (0 if forward else len(self._nav) - 1)
        else:
            pos = (pos + (1 if forward else -1)) % len(self._nav)
        self._nav_pos = pos
        _row, disc_id, group = self._nav[pos]
        self.go_to_group(group)
        self._nav_pos = pos
        self.differences.select_discrepancy(disc_id)
        self.message.setText(f"Difference {pos + 1} of {len(self._nav)}")

    def next_difference(self) -> None:
        self._step(True)

    def previous_difference(self) -> None:
        self._step(False)

    # -- asking the user ------------------------------------------------------
    def _last_folder(self) -> str:
        return str(settings().value("lastFolder", str(Path.home()))) if self.remember else str(Path.home())

    def ask_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add articles", self._last_folder(), FILE_FILTER)
        if paths:
            if self.remember:
                settings().setValue("lastFolder", str(Path(paths[0]).parent))
            self.session.add_sources(paths)

    def ask_url(self) -> None:
        url, ok = QInputDialog.getText(self, "Add an article from the web", "Web address (https://…):")
        if ok and url.strip():
            self.session.add_sources([url.strip()])

    def ask_paste(self) -> None:
        dialog = dialogs.PasteDialog(self)
        if dialog.exec() and dialog.text.toPlainText().strip():
            self.add_pasted(dialog.text.toPlainText(), dialog.outlet.text().strip() or "Pasted article")

    def add_pasted(self, text: str, outlet: str) -> None:
        from reader.errors import ParallaxError
        from reader.intake.sources import pasted

        try:
            raw = pasted(text, outlet)
        except ParallaxError as exc:
            self.show_error(exc.message)
            return
        self.session.add_sources([raw])

    def ask_rename(self, article_id: str) -> None:
        old = self.session.entry(article_id).article.outlet
        name, ok = QInputDialog.getText(self, "Rename outlet", "Outlet name:", QLineEdit.EchoMode.Normal, old)
        if ok:
            self.session.rename(article_id, name)

    def ask_removed(self, article_id: str) -> None:
        entry = self.session.entry(article_id)
        removed = self._all_removed(entry)
        dialog = dialogs.RemovedDialog(entry.article, removed, entry.restore, self)
        if dialog.exec():
            self.session.restore(article_id, dialog.restored())

    @staticmethod
    def _all_removed(entry):
        # Restored pieces leave ``article.removed``; the first build still knows them all.
        if not entry.restore:
            return entry.article.removed
        from reader.intake.articles import build_article

        return build_article(entry.raw, entry.article.id).removed

    def show_error(self, message: str) -> None:
        dialogs.show_error(self, message)
        self.message.setText(message.splitlines()[0])
        self.errorShown.emit(message)

    def show_keys(self) -> None:
        QMessageBox.information(self, "Keys", KEYS_HELP)

    def show_about(self) -> None:
        c = self.session.comparison
        QMessageBox.about(self, "About Parallax", dialogs.about_text(c.model if c else "all-MiniLM-L6-v2"))

    # -- drag and drop ----------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or (mime.hasText() and mime.text().strip().startswith(("http://", "https://"))):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        sources: list[str] = []
        for url in mime.urls():
            sources.append(url.toLocalFile() if url.isLocalFile() else url.toString())
        if not sources and mime.hasText():
            sources = [line.strip() for line in mime.text().splitlines() if line.strip()]
        projects = [s for s in sources if s.lower().endswith(".parallax") and "://" not in s]
        if projects:
            # A project is the whole comparison, not one more article: open it (the first, if several).
            event.acceptProposedAction()
            if not self.io.may_discard():
                return
            self.io.open_file(projects[0])
            if len(sources) > 1:
                self.message.setText(f"Opened the project {Path(projects[0]).name}; the other dropped files were left.")
        elif sources:
            event.acceptProposedAction()
            self.session.add_sources(sources)

    # -- settings --------------------------------------------------------------
    def _restore_settings(self) -> None:
        if not self.remember:
            return
        s = settings()
        geometry = s.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for name, splitter in (("mainSplitter", self.split), ("leftSplitter", self.left)):
            state = s.value(name)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        self.slider.setValue(round(100 * float_value(s, "strictness", 0.5)))
        self.session.strictness = self.slider.value() / 100
        self.session._regroup.stop()

    def closeEvent(self, event) -> None:
        if not self.io.may_discard():
            event.ignore()
            return
        if self.remember:
            s = settings()
            s.setValue("geometry", self.saveGeometry())
            s.setValue("mainSplitter", self.split.saveState())
            s.setValue("leftSplitter", self.left.saveState())
            s.setValue("strictness", self.slider.value() / 100)
        self.io.close()
        self.session.shutdown()
        super().closeEvent(event)
