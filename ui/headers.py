"""The aligned table's headers, measured once per change of their text."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHeaderView


class MeasuredHeader(QHeaderView):
    """A header (the fact numbers down the left, the outlets along the top) whose size hint is measured
    once per change of its text.

    Qt forgets a header's size hint whenever one of its sections is resized, and when the table is first
    shown, and the table asks for it again after each row is measured: the hint reads the text of up to
    200 sections (800-1,400 calls into the Python model, 4-10 ms) each time, and rows are measured a few
    at a time for a second or more after a comparison arrives. The text changes only with the model's
    rows, columns or notes."""

    def __init__(self, orientation: Qt.Orientation, parent=None) -> None:
        super().__init__(orientation, parent)
        self.setSectionsClickable(True)  # as the header QTableView makes for itself
        self.setHighlightSections(True)
        self._hint: QSize | None = None

    def setModel(self, model) -> None:
        old = self.model()
        if old is not None:
            for signal in self._text_signals(old):
                signal.disconnect(self.forget_hint)
        super().setModel(model)
        if model is not None:
            for signal in self._text_signals(model):
                signal.connect(self.forget_hint)
        self.forget_hint()

    @staticmethod
    def _text_signals(model) -> tuple:
        return (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                model.columnsInserted, model.columnsRemoved, model.headerDataChanged)

    def forget_hint(self, *_args) -> None:
        self._hint = None

    def sizeHint(self) -> QSize:
        if self._hint is None:
            self._hint = super().sizeHint()
        return self._hint

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        self._hint = None  # a new font or style measures the numbers anew
