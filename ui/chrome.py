"""The window's chrome: its layout, toolbar, menus and status bar, kept apart from the window's behaviour."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSlider,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ui.aligned_page import AlignedPage
from ui.aligned_view import AlignedView
from ui.differences_panel import DifferencesPanel
from ui.overview import OverviewStrip
from ui.reader_view import ReaderView
from ui.sources_panel import SourcesPanel
from ui.status import FILTERS
from ui.theme import marks


class WindowChrome:
    """Mixed into ``MainWindow``: builds the widgets around the views and the actions behind the keys."""

    def _build(self) -> None:
        """The window's widgets: sources and differences on the left, the two views on the right."""
        self.sources = SourcesPanel(self)
        self.differences = DifferencesPanel(self)
        self.aligned = AlignedView(self.model, self)
        self.overview = OverviewStrip(self.model, self)
        self.reader = ReaderView(self)
        self.page = AlignedPage(self.overview, self.aligned, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("views")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.page, "&Aligned facts")
        self.tabs.addTab(self.reader, "&Reader")
        self.tabs.setTabToolTip(0, "One row per fact, one column per outlet (Ctrl+1)")
        self.tabs.setTabToolTip(1, "The whole articles side by side; click a sentence (Ctrl+2)")

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
        # 360 px for sources and differences: the rest holds five outlets' columns in the reader at 1480.
        self.split.setSizes([360, 1120])
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

    def _update_actions(self) -> None:
        has_sources, compared = bool(self.session.entries), self.session.comparison is not None
        self.act_save_project.setEnabled(has_sources)
        self.act_save_as.setEnabled(has_sources)
        for act in (self.act_export, self.act_classroom, self.act_note):
            act.setEnabled(compared)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main", self)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("strictness")
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.slider.setFixedWidth(160)
        self.slider.setAccessibleName("Match strictness")
        self.slider.setToolTip(
            "Match strictness: left groups looser paraphrases together, right keeps only close matches"
        )
        self.strict_label = QLabel("Match: 0.50 ")
        self.filter = QComboBox(self)
        self.filter.setObjectName("rowFilter")
        self.filter.setAccessibleName("Which facts to show")
        for key, text in FILTERS:
            self.filter.addItem(text, key)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search all articles (Ctrl+F)")
        self.search.setAccessibleName("Search all articles")
        self.search.setClearButtonEnabled(True)
        self.search.setFixedWidth(260)
        self.prev_button = QPushButton("◀ Previous", self)
        self.next_button = QPushButton("Next difference ▶", self)
        self.prev_button.setToolTip("Previous difference (Shift+F3 or p)")
        self.next_button.setToolTip("Next difference (F3 or n)")
        bar.addWidget(QLabel(" Loose "))
        bar.addWidget(self.slider)
        bar.addWidget(QLabel(" Strict  "))
        bar.addWidget(self.strict_label)
        bar.addSeparator()
        bar.addWidget(QLabel(" Show: "))
        bar.addWidget(self.filter)
        bar.addSeparator()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        bar.addSeparator()
        bar.addWidget(self.search)

    def _build_status(self) -> None:
        status = self.statusBar()
        self.legend = QLabel()
        self._build_legend()
        self.legend.setToolTip("What the marks in the cells mean")
        self.message = QLabel("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("progress")
        self.progress.setFixedWidth(140)
        # The bar shows the percentage only: the words go in the message beside it (and on the waiting
        # page); "Read 384 of 461 sentences 83%" did not fit a status-bar bar and overlapped itself.
        self.progress.setFormat("%p%")
        self.progress.setTextVisible(True)
        self.progress.setAccessibleName("Progress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setToolTip("Stop the running work (Esc); what is loaded stays")
        self.cancel_button.setVisible(False)
        status.addWidget(self.message, 1)
        status.addPermanentWidget(self.legend)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)

    def _build_legend(self) -> None:
        m = marks()
        self.legend.setText(
            f'<span style="background:{m.changed_bg};text-decoration:underline">&nbsp;difference&nbsp;</span> '
            '<span style="text-underline-style:dotted">other words</span> '
            f'<b style="color:{m.figure}">figure</b> <i>name</i> '
            f'<span style="background:{m.search_bg};color:{m.search_fg};text-decoration:underline overline">'
            "&nbsp;search&nbsp;</span> ▨ not reported &nbsp;● differences &nbsp;¹ one outlet only"
        )

    def _action(self, menu, text: str, keys, handler, tip: str = "") -> QAction:
        act = QAction(text, self)
        if keys:
            act.setShortcuts(keys if isinstance(keys, list) else [QKeySequence(keys)])
        act.setToolTip(tip or text)
        act.setStatusTip(tip)
        if handler is not None:
            act.triggered.connect(handler)
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        f = bar.addMenu("&File")
        r = self.requests
        self.act_add = self._action(f, "&Add files…", "Ctrl+Shift+O", r.ask_files, "Add article files to compare")
        self.act_url = self._action(f, "Add &URL…", "Ctrl+L", r.ask_url, "Fetch an article from the web")
        self.act_paste = self._action(f, "&Paste an article…", "Ctrl+Shift+V", r.ask_paste,
                                      "Paste an article's text and name its outlet")
        f.addSeparator()
        io = self.io
        self.act_open_project = self._action(
            f, "&Open project…", QKeySequence.StandardKey.Open, io.ask_and_open, "Open a saved .parallax project"
        )
        self.recent_menu = f.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(lambda: io.fill_recent(self.recent_menu))
        self.act_save_project = self._action(
            f, "&Save project", QKeySequence.StandardKey.Save, io.save, "Keep the sources, names, notes and settings"
        )
        self.act_save_as = self._action(f, "Save project &as…", "Ctrl+Shift+S", io.save_as)
        self.act_export = self._action(
            f, "&Export…", "Ctrl+E", io.export, "HTML or PDF report, Markdown, CSV, JSON, classroom worksheet"
        )
        f.addSeparator()
        self._action(f, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        e = bar.addMenu("&Edit")
        self.act_note = self._action(
            e, "Add or edit &note…", "Ctrl+Shift+N", self.note_here, "A note on the selected fact or difference"
        )
        v = bar.addMenu("&View")
        self._action(v, "&Aligned facts", "Ctrl+1", lambda: self.tabs.setCurrentIndex(0), "Show the aligned facts")
        self._action(v, "&Reader", "Ctrl+2", lambda: self.tabs.setCurrentIndex(1), "Show the whole articles")
        v.addSeparator()
        for i, (_key, text) in enumerate(FILTERS):
            self._action(v, text, f"Alt+{i + 1}", lambda _=False, i=i: self.filter.setCurrentIndex(i),
                         f"Show: {text.lower()}")
        v.addSeparator()
        self._action(v, "&Search", QKeySequence.StandardKey.Find, self._focus_search, "Search all articles")
        v.addSeparator()
        self.act_classroom = self._action(
            v, "&Classroom mode", [QKeySequence("F11"), QKeySequence("Ctrl+Shift+P")], self.enter_classroom,
            "Full screen, one fact at a time from the one selected, differences revealed one by one",
        )
        g = bar.addMenu("&Go")
        self.act_next = self._action(
            g, "&Next difference", [QKeySequence("F3"), QKeySequence("N")], self.next_difference
        )
        self.act_prev = self._action(
            g, "&Previous difference", [QKeySequence("Shift+F3"), QKeySequence("P")], self.previous_difference
        )
        self.act_cancel = self._action(g, "&Cancel", "Esc", self.session.cancel, "Stop the running work")
        h = bar.addMenu("&Help")
        self._action(h, "&Keys…", "F1", self.show_keys, "Every key, searchable")
        self._action(h, "&About Parallax", None, self.show_about)
