"""The main window: sources and differences on the left, aligned facts or whole articles in the middle."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
)

from reader.progress import Progress
from ui import dialogs, status
from ui.aligned_page import EMPTY, TABLE, WAITING
from ui.chrome import WindowChrome
from ui.heap import freeze_heap
from ui.keys import KeysDialog, all_rows
from ui.models import AlignedModel
from ui.navigation import Stepper
from ui.notes import NoteEditor
from ui.projectio import ProjectIO
from ui.requests import SourceRequests
from ui.session import Session
from ui.settings import restore_window, save_window
from ui.theme import apply_system_theme
from ui.turns import DONE, LATER, turns

# A new table is shown once the rows in view are measured (their cells are then laid out and their
# heights final: its first paint went from 39 to about 5 ms at 200 outlets, and nothing jumps), or
# after this long whatever happens. The steps of showing a comparison (the table, then the differences
# panel, then the reader) each take a turn of the UI thread's queue (``ui.turns``) of their own: with
# zero-delay timers the three steps and two paints ran in one 70 ms turn.
REVEAL_WAIT_MS = 500
# "Drop two or more articles here" is shown only once the window has had this long to start the
# sources it was given: before, it flashed on every start while the demo was being read.
EMPTY_HINT_DELAY_MS = 400


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
        self._first_table = True  # the first comparison shown opens on its first shared fact
        self._empty_allowed = False
        self._last_progress: Progress | None = None
        self.session = Session(embedder_factory, self)
        self.model = AlignedModel(self)
        self.stepper = Stepper()
        self._user_chose_tab = False
        self.io = ProjectIO(self.session, self, remember=remember)  # before the menus: they call it
        self.requests = SourceRequests(self.session, self.io, self, remember=remember)
        self.notes = NoteEditor(self.session, self)
        self._build()
        self._wire()
        if remember:
            restore_window(self)
        self.io.attach()
        self._update_actions()
        QTimer.singleShot(EMPTY_HINT_DELAY_MS, self._allow_empty_hint)
        freeze_heap()  # the modules and widgets made so far (no collection first: it would delay the first paint)

    def _wire(self) -> None:
        s = self.session
        s.articlesChanged.connect(self._articles_changed)
        s.comparisonChanged.connect(self._comparison_changed)
        s.progressed.connect(self._progress)
        s.busyChanged.connect(self._busy)
        s.errorRaised.connect(self.show_error)
        s.cancelled.connect(lambda: self.message.setText("Stopped. Everything loaded so far is kept."))
        r = self.requests
        self.sources.addFilesRequested.connect(r.ask_files)
        self.sources.addUrlRequested.connect(r.ask_url)
        self.sources.pasteRequested.connect(r.ask_paste)
        self.sources.renameRequested.connect(r.ask_rename)
        self.sources.removedRequested.connect(r.ask_removed)
        r.errorRaised.connect(self.show_error)
        r.said.connect(self.message.setText)
        self.sources.removeRequested.connect(s.remove)
        self.sources.moveRequested.connect(s.move)
        self.sources.hiddenToggled.connect(s.set_hidden)
        self.slider.valueChanged.connect(self._strictness)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.search.textChanged.connect(self._search)
        self.next_button.clicked.connect(self.next_difference)
        self.prev_button.clicked.connect(self.previous_difference)
        self.cancel_button.clicked.connect(s.cancel)
        self.differences.groupChosen.connect(self.go_to_group)
        self.differences.discrepancyChosen.connect(self.stepper.chosen)
        self.differences.noteRequested.connect(self.notes.note_on_discrepancy)
        self.aligned.noteRequested.connect(self.notes.note_on_group)
        self.aligned.nearestRequested.connect(self.go_to_group)
        self.overview.rowClicked.connect(lambda row: self.go_to_group(self.model.group_id(row)))
        self.aligned.rowActivated.connect(self._row_activated)
        self.reader.sentenceFocused.connect(self._sentence_focused)
        self.tabs.currentChanged.connect(lambda _i: setattr(self, "_user_chose_tab", True))
        io = self.io
        io.said.connect(self.message.setText)
        io.errorRaised.connect(self.show_error)
        io.titleChanged.connect(self.setWindowTitle)
        io.strictnessOpened.connect(self.set_strictness_quietly)
        self.notes.notesPlaced.connect(self._notes_placed)
        self.notes.said.connect(self.message.setText)
        io.classroomLeft.connect(self._classroom_left)
        s.articlesChanged.connect(self._update_actions)
        s.comparisonChanged.connect(self._update_actions)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    def _scheme_changed(self, _scheme) -> None:
        """The system switched light/dark: new palette, and every cell re-marked in its colours."""
        apply_system_theme(QGuiApplication.instance())
        self._build_legend()
        self.reader.set_articles(self.session.visible(), self.session.colour_of())
        self.reader.set_comparison(self.session.comparison, self.session.table)
        self._comparison_changed()

    # -- session → widgets ------------------------------------------------------
    def _allow_empty_hint(self) -> None:
        self._empty_allowed = True
        self._show_state()

    def _show_state(self) -> None:
        if self.session.comparison is not None:
            self.page.show_face(TABLE)
        elif self.session.busy or not self._empty_allowed or len(self.session.visible()) >= 2:
            # Reading the articles, or lining them up: never the "drop here" hint meanwhile.
            busy = self.session.busy or bool(self.session.visible())
            self.page.show_face(WAITING, status.waiting_text(self._last_progress, len(self.session.visible()))
                                if busy else "")
        else:
            self.page.show_face(EMPTY)

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
        c, table = self.session.comparison, self.session.table
        current = self.aligned.current_group()
        self.model.set_comparison(c, table, self.session.workspace.order(), self.session.colour_of())
        if table is not None and not table.shared() and self.filter.currentData() == "shared":
            self.filter.setCurrentIndex(self.filter.findData("all"))  # nothing shared: every fact is one outlet's
        row_of = {f.group: i for i, f in enumerate(table.facts)} if table else {}
        # The table first; the differences panel and the (hidden) reader tab on later turns of the event
        # loop: done in one go, the three took 70-170 ms on 50 articles and froze the window that long.
        self._pending_differences, self._pending_reader = (c, row_of), (c, table)
        self.stepper.reset(table)
        if c is not None and table is not None:
            self.message.setText(status.comparison_text(table, len(c.articles), len(c.discrepancies),
                                                        len(c.agreements)))
            if self._first_table and table.shared():
                current = table.shared()[0].group  # open on outlets side by side, not a lone outlet's row
            self._first_table = False
        # The table is shown and painted on a later turn: the model reset (30 ms at 200 outlets), the
        # switch to its tab (16 ms) and its first paint (30-60 ms) in one turn froze the window 105 ms.
        self.aligned.setUpdatesEnabled(False)
        self._pending_reveal = current
        self._reveal_clock.start()
        if c is not None and self.tabs.currentIndex() != 0 and not self._user_chose_tab:
            self.page.lay_out_hidden(self.tabs.currentWidget().geometry())
        turns().add(self, "show comparison", self._show_step)
        self.overview.update()
        self._say_search()

    def _show_step(self) -> int:
        """One step of showing a new comparison: the table, then the differences panel, then the reader."""
        if self._pending_reveal is not False:
            if not self.aligned.rows_in_view_measured and not self._reveal_clock.hasExpired(REVEAL_WAIT_MS):
                return LATER
            if self.overview.prepare():
                return LATER  # the lanes on a turn of their own, the table's first paint on the next
            self._reveal()
            return LATER
        if self._pending_differences is not None:
            self._fill_differences()
            return LATER
        if self._pending_reader is not False:
            self._fill_reader()
        return DONE

    def _reveal(self) -> None:
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

    def _fill_reader(self) -> None:
        pending, self._pending_reader = self._pending_reader, False
        if pending is not False:
            self.reader.set_comparison(*pending)
            freeze_heap()

    def _progress(self, p: Progress) -> None:
        self._last_progress = p
        if p.total <= 0:
            self.progress.setRange(0, 0)  # a wait of unknown length: the bar moves without a number
        else:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
        # The status line says what the wait is for even while the Reader tab is in front.
        self.message.setText(status.waiting_text(p, len(self.session.visible())).splitlines()[0])
        self._show_state()

    def _busy(self, busy: bool) -> None:
        if not busy:
            self._last_progress = None
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

    # -- filter and search ---------------------------------------------------------
    def _filter_changed(self, _index: int) -> None:
        self.aligned.filter.set_mode(self.filter.currentData())
        self._say_search()

    def _search(self, text: str) -> None:
        self.aligned.set_search(text)
        self.reader.search(text)
        self._say_search()
        if not text.strip() and self.session.table is not None and self.session.comparison is not None:
            c = self.session.comparison
            self.message.setText(status.comparison_text(self.session.table, len(c.articles),
                                                        len(c.discrepancies), len(c.agreements)))

    def _say_search(self) -> None:
        needle = self.search.text().strip()
        if not needle:
            return
        f = self.aligned.filter
        rows = range(self.model.rowCount())
        matching = sum(1 for r in rows if self.model.matches(r, needle))
        hits = self.reader.search(needle) if self.reader.panes else 0
        self.message.setText(status.search_text(needle, hits, matching, f.rowCount(), f.mode))

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- navigation -------------------------------------------------------------
    def go_to_group(self, group_id: str) -> None:
        if not self.aligned.show_group(group_id):
            self.filter.setCurrentIndex(self.filter.findData("all"))  # a filter hid the row: show everything
            self.search.clear()
            self.aligned.show_group(group_id)
        self.reader.focus_group(group_id)
        self.overview.set_current(self.model.row_of_group(group_id))

    def current_group(self) -> str | None:
        """The fact the person is on: the selected difference's when that panel has the keys, else the table's."""
        disc = self.differences.current_discrepancy() if self.differences.hasFocus() else None
        c = self.session.comparison
        if disc and c is not None:
            return next((d.group for d in c.discrepancies if d.id == disc), None)
        return self.aligned.current_group()

    def _row_activated(self, group_id: str) -> None:
        self.overview.set_current(self.model.row_of_group(group_id))

    def _sentence_focused(self, sentence_id: str) -> None:
        row = self.model.row_of_sentence(sentence_id)
        if row >= 0:
            self.aligned.show_group(self.model.group_id(row))
            self.overview.set_current(row)

    def _step(self, forward: bool) -> None:
        current = self.aligned.current_group()
        stop = self.stepper.step(self.model.row_of_group(current) if current else -1, forward)
        if stop is None:
            self.message.setText("No differences to step through.")
            return
        pos = self.stepper.pos
        self.go_to_group(stop.group)
        self.stepper.pos = pos
        self.differences.select_discrepancy(stop.discrepancy)
        self.message.setText(f"Difference {pos + 1} of {len(self.stepper.stops)}")

    def next_difference(self) -> None:
        self._step(True)

    def previous_difference(self) -> None:
        self._step(False)

    # -- notes and classroom (NoteEditor and ProjectIO do the work) --------------------------
    def note_here(self) -> None:
        """Ctrl+Shift+N: a note on the selected difference when that panel has the keys, else on the fact."""
        disc = self.differences.current_discrepancy()
        if self.differences.hasFocus() and disc:
            self.notes.note_on_discrepancy(disc)
        elif group := self.aligned.current_group():
            self.notes.note_on_group(group)
        else:
            self.message.setText("Select a fact or a difference first, then add a note.")

    def _notes_placed(self, groups: dict, discrepancies: dict) -> None:
        self.aligned.filter.set_notes(groups)
        self.differences.set_notes(discrepancies)

    def enter_classroom(self) -> None:
        """Classroom mode, opening on the fact (or difference) selected here."""
        self.io.enter_classroom(self.current_group())

    def _classroom_left(self, group_id: str) -> None:
        self.activateWindow()
        if group_id:
            self.go_to_group(group_id)  # back where the class left off
        self.aligned.setFocus()

    # -- dialogs and drops ------------------------------------------------------
    def add_pasted(self, text: str, outlet: str) -> None:
        self.requests.add_pasted(text, outlet)

    def show_error(self, message: str) -> None:
        dialogs.show_error(self, message)
        self.message.setText(message.splitlines()[0])
        self.errorShown.emit(message)

    def show_keys(self) -> KeysDialog:
        dialog = KeysDialog(all_rows(self.menuBar()), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        c = self.session.comparison
        QMessageBox.about(self, "About Parallax", dialogs.about_text(c.model if c else "all-MiniLM-L6-v2"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.requests.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.requests.drop(event.mimeData()):
            event.acceptProposedAction()

    def closeEvent(self, event) -> None:
        if not self.io.may_discard():
            event.ignore()
            return
        if self.remember:
            save_window(self)
        self.io.close()
        self.session.shutdown()
        super().closeEvent(event)
