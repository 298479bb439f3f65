"""The aligned view: one column per outlet, one row per fact, cells wrapped as rich text."""

from __future__ import annotations

import html
from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QBrush, QColor, QPainter, QPalette, QPen, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
)

from ui.cellhtml import plain_tip
from ui.headers import MeasuredHeader
from ui.models import HTML_ROLE, SILENT_ROLE, AlignedFilter, AlignedModel
from ui.turns import turns

PAD = 6
DOC_CACHE = 3000
MIN_COLUMN = 170  # px: narrower columns wrap a sentence into a ribbon of single words
SWEEP_PER_STEP = 100  # forgotten documents destroyed per step: under 1 ms

Index = QModelIndex | QPersistentModelIndex


def mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


class HtmlDelegate(QStyledItemDelegate):
    """Paints a cell's rich text wrapped to the column width; silent cells get a hatched gap."""

    frame_colour: QColor | None = None

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # Laid-out cells, reused between measuring a row and painting it (and on every scroll).
        self._docs: OrderedDict[tuple[int, int, int, int], QTextDocument] = OrderedDict()
        self._trash: list[OrderedDict] = []  # forgotten documents, destroyed a few per step

    def forget(self) -> None:
        # Destroying 3,000 laid-out documents took 19 ms in the turn that showed a new comparison:
        # they are destroyed a hundred per step of the UI thread's queue instead.
        if self._docs:
            self._trash.append(self._docs)
            self._docs = OrderedDict()
            turns().add(self, "sweep", self._sweep)

    def _sweep(self) -> bool:
        while self._trash and not self._trash[0]:
            self._trash.pop(0)
        if not self._trash:
            return False
        docs = self._trash[0]
        for _ in range(min(SWEEP_PER_STEP, len(docs))):
            docs.popitem(last=False)
        return True

    def _document(self, option: QStyleOptionViewItem, index: Index, width: float) -> QTextDocument:
        key = (index.row(), index.column(), index.parent().row(), int(width))
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
            return doc
        doc = self._new_document(option, index, width)
        self._docs[key] = doc
        if len(self._docs) > DOC_CACHE:
            self._docs.popitem(last=False)
        return doc

    def _new_document(self, option: QStyleOptionViewItem, index: Index, width: float) -> QTextDocument:
        # The item's own font (the differences panel's bold headings) is read only for a document not
        # laid out yet: every role asked of the Python model costs, and a paint draws a hundred cells.
        self.initStyleOption(option, index)
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(PAD)
        markup = index.data(HTML_ROLE)
        doc.setHtml(markup if markup is not None else html.escape(str(index.data() or "")))
        doc.setTextWidth(max(40.0, width))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        # No initStyleOption here: the view has set the state, rect and palette this paint uses, and the
        # cell is drawn from its document (_new_document reads the item's font when it makes one).
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected and isinstance(self.parent(), QTreeView):
            tint = QColor(self.frame_colour or option.palette.color(QPalette.ColorRole.Highlight))
            tint.setAlpha(50)
            painter.fillRect(option.rect, tint)
        if index.data(SILENT_ROLE):
            hatch = QColor(option.palette.color(QPalette.ColorRole.Text))
            hatch.setAlpha(28)
            painter.fillRect(option.rect, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        doc = self._document(option, index, option.rect.width())
        painter.translate(option.rect.topLeft())
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text))
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
        if selected or option.state & QStyle.StateFlag.State_HasFocus:
            painter.save()
            pen = QPen(self.frame_colour or option.palette.color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            r = option.rect.adjusted(1, 1, -1, -1)
            painter.drawLine(r.topLeft(), r.topRight())
            painter.drawLine(r.bottomLeft(), r.bottomRight())
            if option.state & QStyle.StateFlag.State_HasFocus:
                painter.drawRect(r)
            painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        view = self.parent()
        width = option.rect.width()
        if isinstance(view, QTreeView):
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width = view.viewport().width() - view.indentation() * (depth + 1) - 4
        elif isinstance(view, QTableView) and width <= 0:
            width = view.columnWidth(index.column())
        doc = self._document(option, index, width)
        return QSize(int(width), int(doc.size().height()) + 1)


NOTE_MARK = "✎"


class NotedFilter(AlignedFilter):
    """The row filter, plus a note marker and the note's text on the row numbers of noted facts."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.notes: dict[str, str] = {}  # group id -> note text

    def set_notes(self, notes: dict[str, str]) -> None:
        if notes == self.notes:
            return  # each new comparison sends its notes; asking every row header again cost 10 ms
        self.notes = dict(notes)
        if self.rowCount():
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, self.rowCount() - 1)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        # Asks the Python model directly: returning what QSortFilterProxyModel.headerData gave back
        # (None for most roles) crashed the interpreter at exit with PySide6 6.12 (a None refcount bug).
        source = self.sourceModel()
        if not isinstance(source, AlignedModel):
            return None
        if orientation == Qt.Orientation.Horizontal:
            return source.headerData(section, orientation, role)
        index = self.mapToSource(self.index(section, 0))
        if not index.isValid():
            return None
        value = source.headerData(index.row(), orientation, role)
        note = self.notes.get(source.group_id(index.row())) if self.notes and value is not None else None
        if note is None:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value} {NOTE_MARK}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(f"Note: {note}") + str(value)
        return value


class AlignedView(QTableView):
    """Rows stay aligned across outlets because they are rows of one table."""

    rowActivated = Signal(str)  # group id of the current row
    nearestRequested = Signal(str)  # group id of the fact an empty cell points to ("nearest: fact N")
    noteRequested = Signal(str)  # group id the person wants to write a note on

    def __init__(self, model: AlignedModel, parent=None) -> None:
        super().__init__(parent)
        self.setVerticalHeader(MeasuredHeader(Qt.Orientation.Vertical, self))
        self.setHorizontalHeader(MeasuredHeader(Qt.Orientation.Horizontal, self))
        self.source = model
        self.filter = NotedFilter(self)
        self.filter.setSourceModel(model)
        self.setModel(self.filter)
        delegate = HtmlDelegate(self)
        self.setItemDelegate(delegate)
        # The style paints the selected row in this colour under the delegate: keep it a tint so
        # the marks stay readable, and let the delegate draw a strong frame instead.
        palette = self.palette()
        strong = palette.color(QPalette.ColorRole.Highlight)
        delegate.frame_colour = strong
        palette.setColor(QPalette.ColorRole.Highlight, mix(palette.color(QPalette.ColorRole.Base), strong, 0.22))
        palette.setColor(QPalette.ColorRole.HighlightedText, palette.color(QPalette.ColorRole.Text))
        self.setPalette(palette)
        self.setObjectName("alignedView")
        self.setAccessibleName("Aligned facts")
        self.setAccessibleDescription("One row per fact in story order, one column per outlet.")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.setShowGrid(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        # Columns share the width but never get narrower than a readable column: with many
        # outlets the table scrolls sideways instead of squeezing every sentence into a sliver.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Measure a row on the columns in view only (Qt's default reads up to 1,000 columns:
        # 200 outlets made one row take 1.9 s); a sideways scroll measures again (below).
        self.verticalHeader().setResizeContentsPrecision(0)
        # Rows not measured yet start about four lines tall: fewer cells to lay out on the first paint.
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() * 4 + 2 * PAD)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        # Row heights are measured a few rows per turn of the event loop, visible rows first:
        # measuring 8,000 rich-text cells at once froze the window for over a second.
        self._relayout = QTimer(self, singleShot=True, interval=60)
        self._relayout.timeout.connect(self._start_sizing)
        self._refit_timer = QTimer(self, singleShot=True, interval=60)
        self._refit_timer.timeout.connect(self._refit)
        self._pending: list[int] = []
        self._in_view_left = 0  # rows in view still to measure, the first ones in _pending
        self._measured: set[int] = set()  # rows measured at the present column widths and content
        self._content_changed = True  # the rows changed since they were last measured
        header.sectionResized.connect(lambda *_: self._relayout.start())
        # Qt measures a row on the columns in view only: measure again after a sideways scroll.
        self.horizontalScrollBar().valueChanged.connect(lambda *_: self._relayout.start())
        for signal in (self.filter.modelReset, self.filter.layoutChanged, self.filter.rowsInserted,
                       self.filter.rowsRemoved):
            signal.connect(delegate.forget)
        # Columns are fitted, then the rows in view measured, before the window shows a new table
        # (``rows_in_view_measured``): fitting 200 columns in the reset's own turn cost 15 ms.
        self.filter.modelReset.connect(self._reset)
        self.filter.layoutChanged.connect(self._relayout.start)
        self.filter.rowsInserted.connect(self._relayout.start)
        self.filter.rowsRemoved.connect(self._relayout.start)

    def _fit_columns(self) -> bool:
        """Share the width out among the columns; whether any column's width changed."""
        columns = self.model().columnCount()
        if columns == 0:
            return False
        width = max(MIN_COLUMN, self.viewport().width() // columns)
        header = self.horizontalHeader()
        if all(header.sectionSize(c) == width for c in range(columns)):
            return False
        header.blockSignals(True)  # one relayout for all columns, not one per column
        for c in range(columns):
            header.resizeSection(c, width)
        header.blockSignals(False)
        self.updateGeometries()
        self.viewport().update()
        return True

    def _reset(self) -> None:
        self._content_changed = True
        self._refit_timer.start()

    def _refit(self) -> None:
        """After a reset or a resize: share the width out again, then measure the rows that need it. A
        resize that leaves the columns' widths (a taller window, the table shown at the size it was
        measured for while hidden) keeps the rows already measured."""
        widths_changed = self._fit_columns()
        self._start_sizing(keep=not widths_changed and not self._content_changed)

    def _start_sizing(self, keep: bool = False) -> None:
        """Measure the rows again, those in view first. ``keep``: rows already measured stay measured."""
        if not keep:
            self._measured = set()
        self._content_changed = False
        rows = self.model().rowCount()
        top = max(0, self.rowAt(0))
        bottom = self.rowAt(self.viewport().height())
        bottom = rows - 1 if bottom < 0 else bottom
        first = [r for r in range(top, min(rows, bottom + 3)) if r not in self._measured]
        seen = set(first) | self._measured
        self._pending = list(reversed(first + [r for r in range(rows) if r not in seen]))  # popped from the end
        self._in_view_left = len(first)
        if self._pending:
            turns().add(self, "size rows", self._size_step, now=True)

    def _size_step(self) -> bool:
        """One step: the next row's height, measured on the columns in view."""
        if not self._pending:
            return False
        row = self._pending.pop()
        self._in_view_left = max(0, self._in_view_left - 1)
        if row < self.model().rowCount():
            self.resizeRowToContents(row)
            self._measured.add(row)
        return bool(self._pending)

    @property
    def sizing(self) -> bool:
        return bool(self._pending)

    @property
    def rows_in_view_measured(self) -> bool:
        """True once the rows in view have their heights; the rest are measured on later turns."""
        return self._in_view_left == 0 and not self._refit_timer.isActive() and not self._relayout.isActive()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._refit_timer.start()

    def mouseDoubleClickEvent(self, event) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid():
            source = self.filter.mapToSource(index)
            target = self.source.nearest_group(source.row(), self.source.columns[source.column()])
            if target is not None:  # an empty cell that came near another fact: go and look
                self.nearestRequested.emit(target)
                return
        super().mouseDoubleClickEvent(event)

    def currentChanged(self, current: Index, previous: Index) -> None:
        super().currentChanged(current, previous)
        if current.isValid():
            self.rowActivated.emit(self.source.group_id(self.filter.mapToSource(current).row()))

    def contextMenuEvent(self, event) -> None:
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        group = self.source.group_id(self.filter.mapToSource(index).row())
        menu = QMenu(self)
        has_note = group in self.filter.notes
        act = menu.addAction("Edit note…" if has_note else "Add note…")
        act.setShortcut("Ctrl+Shift+N")
        act.triggered.connect(lambda: self.noteRequested.emit(group))
        menu.exec(event.globalPos())

    def set_search(self, text: str) -> None:
        """Show only the facts that contain ``text``, with every occurrence marked in the cells."""
        self.source.set_needle(text)
        delegate = self.itemDelegate()
        if isinstance(delegate, HtmlDelegate):
            delegate.forget()  # the laid-out cells carry the old marks
        self.filter.set_search(text)
        self._content_changed = True
        self._relayout.start()
        self.viewport().update()

    def current_group(self) -> str | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.source.group_id(self.filter.mapToSource(index).row())

    def show_group(self, group_id: str) -> bool:
        """Select the group's row and scroll it into view; False when a filter hides it."""
        row = self.source.row_of_group(group_id)
        if row < 0:
            return False
        proxy = self.filter.mapFromSource(self.source.index(row, 0))
        if not proxy.isValid():
            return False
        column = max(0, self.currentIndex().column())
        target = self.filter.index(proxy.row(), column)
        self.setCurrentIndex(target)
        self.scrollTo(target, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True
