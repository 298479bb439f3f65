"""The sources panel: each article with its outlet colour, headline, date and size."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.workspace import Entry
from ui.cellhtml import plain_tip
from ui.theme import outlet_colour, swatch

ID_ROLE = Qt.ItemDataRole.UserRole + 20


class SourcesPanel(QWidget):
    addFilesRequested = Signal()
    addUrlRequested = Signal()
    pasteRequested = Signal()
    renameRequested = Signal(str)
    removedRequested = Signal(str)
    removeRequested = Signal(str)
    moveRequested = Signal(str, int)
    hiddenToggled = Signal(str, bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sourcesPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("sourcesList")
        self.tree.setAccessibleName("Sources")
        self.tree.setAccessibleDescription("Untick an outlet to leave it out of the comparison without losing it.")
        # Headline last and stretched: the panel is narrow, and the outlet and sentence count must stay in view.
        self.tree.setHeaderLabels(["Outlet", "Sentences", "Date", "Headline"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.tree.itemChanged.connect(self._changed)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.setToolTip("Tick: compared. Untick: kept but left out. Double-click to rename the outlet.")
        layout.addWidget(self.tree, 1)
        # Two rows: adding sources, then editing the selected one; one row made the panel 430 px wide.
        rows = (QHBoxLayout(), QHBoxLayout())
        self.buttons: dict[str, QToolButton] = {}
        for key, text, tip, handler in (
            (
                "files",
                "Add files…",
                "Add article files (.txt, .html, .md, .docx, .eml); you can also drop them here",
                self.addFilesRequested.emit,
            ),
            ("url", "Add URL…", "Fetch an article from the web", self.addUrlRequested.emit),
            ("paste", "Paste…", "Paste an article's text and name its outlet", self.pasteRequested.emit),
            ("rename", "Rename", "Rename the selected outlet", lambda: self._with_current(self.renameRequested.emit)),
            (
                "up",
                "▲",
                "Move the selected outlet left (earlier column)",
                lambda: self._with_current(lambda a: self.moveRequested.emit(a, -1)),
            ),
            (
                "down",
                "▼",
                "Move the selected outlet right (later column)",
                lambda: self._with_current(lambda a: self.moveRequested.emit(a, 1)),
            ),
            (
                "removed",
                "Removed…",
                "See and restore what cleaning took out of the selected article",
                lambda: self._with_current(self.removedRequested.emit),
            ),
            ("remove", "✕", "Close the selected article", lambda: self._with_current(self.removeRequested.emit)),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(handler)
            rows[0 if key in ("files", "url", "paste") else 1].addWidget(button)
            self.buttons[key] = button
        for row in rows:
            row.addStretch(1)
            layout.addLayout(row)
        self._filling = False

    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, ID_ROLE)

    def _with_current(self, fn) -> None:
        aid = self.current_id()
        if aid is not None:
            fn(aid)

    def set_entries(self, entries: Sequence[Entry]) -> None:
        current = self.current_id()
        self._filling = True
        self.tree.clear()
        for e in entries:
            a = e.article
            item = QTreeWidgetItem(self.tree, [a.outlet, str(len(a.sentences)), a.published or "", a.title])
            item.setData(0, ID_ROLE, a.id)
            item.setIcon(0, swatch(outlet_colour(e.colour)))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked if e.hidden else Qt.CheckState.Checked)
            removed = f"\n{len(a.removed)} piece(s) removed by cleaning" if a.removed else ""
            item.setToolTip(3, plain_tip(f"{a.title}\n{a.source}{removed}"))
            item.setToolTip(0, plain_tip(a.outlet))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if e.hidden:
                for col in range(4):
                    font = item.font(col)
                    font.setStrikeOut(True)
                    item.setFont(col, font)
            if a.id == current:
                self.tree.setCurrentItem(item)
        # No source has a date (plain-text files rarely do): an empty column only costs width.
        self.tree.setColumnHidden(2, not any(e.article.published for e in entries))
        self._filling = False

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        aid = item.data(0, ID_ROLE)
        # Later: the rename rebuilds this list, and the item must outlive its own signal.
        QTimer.singleShot(0, lambda: self.renameRequested.emit(aid))

    def _changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0:
            return
        aid, hidden = item.data(0, ID_ROLE), item.checkState(0) != Qt.CheckState.Checked
        # Later, not now: the reply rebuilds this list, and the item must outlive its own signal.
        QTimer.singleShot(0, lambda: self.hiddenToggled.emit(aid, hidden))
