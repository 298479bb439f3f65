"""The overview strip: each outlet a lane, story position top to bottom, shaded by difference."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.models import AlignedModel
from ui.theme import outlet_colour

LANE = 14
GAP = 3
MAX_WIDTH = 170
DENSE_CELLS = 4000  # above this many cells, and too small for marks, the lanes are drawn as an image


class OverviewStrip(QWidget):
    """CATview-style map: a filled cell where an outlet reports a fact, a gap where it is silent."""

    rowClicked = Signal(int)

    def __init__(self, model: AlignedModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.current = -1
        self.setObjectName("overviewStrip")
        self.setAccessibleName("Overview of the story")
        self.setAccessibleDescription("Lanes are outlets, top to bottom is story order; darker means more differences.")
        self.setToolTip(
            "Story overview: one lane per outlet, story order from top to bottom.\n"
            "Filled: the outlet reports the fact (darker with more differences, a dot marks a difference).\n"
            "Empty: the outlet is silent. Click to jump."
        )
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._map: QPixmap | None = None  # the lanes, drawn once per comparison and size
        model.modelReset.connect(self._resized)

    def _resized(self) -> None:
        self._map = None
        self.updateGeometry()
        self.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # The lanes are drawn again when the strip's size differs from theirs (prepare): forgetting them
        # here also threw away those drawn for a hidden tab when it came to the front at the same size.

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._map = None

    def sizeHint(self) -> QSize:
        # Never wider than MAX_WIDTH: with dozens of outlets the lanes thin out instead.
        return QSize(min(MAX_WIDTH, max(1, len(self.model.columns)) * (LANE + GAP) + GAP), 200)

    def set_current(self, row: int) -> None:
        self.current = row
        self.update()

    def _row_at(self, y: float) -> int:
        rows = self.model.rowCount()
        if rows == 0:
            return -1
        return max(0, min(rows - 1, int(y / max(1, self.height()) * rows)))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row >= 0:
            self.rowClicked.emit(row)

    def prepare(self) -> bool:
        """Draw the lanes now if they are due (a step of their own before the window shows a new table,
        which then paints without them: 3 ms at 50 outlets); whether there was anything to draw."""
        if self._map is None or self._map.size() != self.size() * self.devicePixelRatioF():
            self._map = self._draw_map()
            return True
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        # 200 outlets x 160 facts is 30,000 cells: drawn once into a pixmap, not on every repaint
        # (moving the current row repaints the strip).
        self.prepare()
        p = QPainter(self)
        p.drawPixmap(0, 0, self._map)
        rows = self.model.rowCount()
        if 0 <= self.current < rows:
            h = self.height() / rows
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
            p.setPen(pen)
            p.drawRect(QRectF(1, self.current * h, self.width() - 2, max(2.0, h)))
        p.end()

    def _draw_map(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pix = QPixmap(self.size() * ratio)
        pix.setDevicePixelRatio(ratio)
        p = QPainter(pix)
        base = self.palette().color(QPalette.ColorRole.Base)
        p.fillRect(self.rect(), base)
        rows = self.model.rowCount()
        if rows == 0:
            p.end()
            return pix
        h = self.height() / rows
        dark = base.lightness() < 128
        columns = max(1, len(self.model.columns))
        step = min(LANE + GAP, (self.width() - GAP) / columns)
        lane, gap = (step - GAP, GAP) if step > 6 else (max(1.0, step - 1), 1.0)
        levels = [self.model.difference_level(row) for row in range(rows)]
        reporting = [set(self.model.reporting(row)) for row in range(rows)]
        if rows * columns > DENSE_CELLS and (h < 4 or lane < 6):
            # Too small for marks: one pixel per cell, scaled up (30,000 fillRect calls took 20 ms).
            p.drawImage(QRectF(gap, 0, step * columns, self.height()), _cells_image(self.model, levels, reporting))
            p.end()
            return pix
        dot = QColor("#ffffff" if dark else "#000000")
        for col, aid in enumerate(self.model.columns):
            colour = outlet_colour(self.model.colour_of.get(aid, col))
            x = gap + col * step
            for row in range(rows):
                if aid not in reporting[row]:
                    continue
                level = levels[row]
                fill = QColor(colour)
                fill.setAlphaF(0.35 + 0.65 * level)
                rect = QRectF(x, row * h, lane, max(1.0, h - (1 if h > 3 else 0)))
                p.fillRect(rect, fill)
                if level > 0 and h >= 4 and lane >= 6:
                    # A mark as well as a shade, so the strip reads in greyscale too.
                    p.fillRect(QRectF(x + lane / 2 - 2, row * h + h / 2 - 1.5, 4, 3), dot)
        p.end()
        return pix


def _cells_image(model: AlignedModel, levels: list[float], reporting: list[set[str]]) -> QImage:
    """One pixel per (fact, outlet): the outlet's colour, more opaque with more differences."""
    import numpy as np  # off the window's start-up path

    rows, columns = len(levels), len(model.columns)
    rgba = np.zeros((rows, columns, 4), dtype=np.uint8)
    alpha = np.round(255 * (0.35 + 0.65 * np.asarray(levels, dtype=float))).astype(np.uint8)
    for col, aid in enumerate(model.columns):
        colour = outlet_colour(model.colour_of.get(aid, col))
        on = np.fromiter((aid in r for r in reporting), dtype=bool, count=rows)
        rgba[on, col, :3] = (colour.red(), colour.green(), colour.blue())
        rgba[on, col, 3] = alpha[on]
    image = QImage(rgba.data, columns, rows, columns * 4, QImage.Format.Format_RGBA8888)
    return image.copy()  # own the pixels: the array goes away with this call
