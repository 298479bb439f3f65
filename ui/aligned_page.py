"""The aligned tab's three faces: how to start, what the window is waiting for, or the table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QWidget

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
