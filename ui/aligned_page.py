"""The aligned tab's three faces: how to start, what the window is waiting for, or the table."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHBoxLayout, QLabel, QStackedWidget, QWidget

EMPTY, WAITING, TABLE = "empty", "waiting", "table"


class AlignedPage(QStackedWidget):
    def __init__(self, overview: QWidget, table: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty = QLabel(
            "<h2>Drop two or more articles here</h2><p>or use <b>Add files…</b>, <b>Add URL…</b> or <b>Paste…</b>."
            "<br>Parallax lines up the sentences that report the same fact and marks what differs.</p>"
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.waiting = QLabel("")
        self.waiting.setObjectName("waiting")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting.setWordWrap(True)
        self.waiting.setTextFormat(Qt.TextFormat.PlainText)
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(overview)
        row.addWidget(table, 1)
        self.table = table
        self._faces = {EMPTY: self.empty, WAITING: self.waiting, TABLE: holder}
        for face in self._faces.values():
            self.addWidget(face)
        self.setCurrentWidget(self.waiting)  # blank until the window knows what it is showing

    def show_face(self, face: str, waiting_text: str = "") -> None:
        self.setCurrentWidget(self._faces[face])
        if face == WAITING:
            self.waiting.setText(waiting_text)

    @property
    def face(self) -> str:
        return next(name for name, widget in self._faces.items() if widget is self.currentWidget())

    def lay_out_hidden(self, area: QRect) -> None:
        """Give the page, hidden behind another tab, the geometry ``area`` it will have in front.

        A hidden tab's widgets keep the size they last had (or none), so a table measured hidden measured
        its rows for columns of the wrong width, and measured them again in the turn that showed it, with
        its first paint (50-60 ms of the UI thread at 50 outlets). Laid out at its real size, the table
        measures the rows in view while the other tab is still in front, and showing it only paints
        laid-out cells. Qt does the same when it shows the tab (the layout, then a resize event); here
        they come early, and the table's own resize event then finds its columns as they were."""
        self.setGeometry(area)
        self.ensurePolished()  # a widget's first show polishes it, which makes the headers measure again
        face = self.currentWidget()
        face.setGeometry(self.rect())
        if face.layout() is not None:
            face.layout().setGeometry(face.rect())
        if face is self._faces[TABLE] and isinstance(self.table, QAbstractItemView):
            QApplication.sendEvent(self.table, QResizeEvent(self.table.size(), self.table.size()))
            # Its scroll ranges were reckoned for the old size: reckoned again, they show or hide the
            # scroll bars as showing the tab would, and the viewport gets its final size.
            self.table.updateGeometries()
