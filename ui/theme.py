"""Colours and palettes: Okabe–Ito for outlets and marks, light or dark after the system.

Colour is never the only signal: every highlight also carries an underline or a
mark (see ``ui.cellhtml``), so differences survive greyscale print and projectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap

# Okabe & Ito (2008), the palette designed to stay distinct for the common colour-vision deficiencies.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
# Outlet colours skip black (it is the text colour) and yellow first (weak on white).
OUTLET_ORDER = (0, 1, 2, 4, 5, 6, 3)


def outlet_colour(index: int) -> QColor:
    return QColor(OKABE_ITO[OUTLET_ORDER[index % len(OUTLET_ORDER)]])


@dataclass(frozen=True)
class Marks:
    """The colours the cells and the overview use, chosen for the current palette."""

    dark: bool
    changed_bg: str  # where a difference rests (tinted and underlined)
    figure: str  # figures: bold in this colour
    name: str  # names: italic in this colour
    focus_bg: str  # the sentence the reader clicked and its counterparts
    silent: str  # the "not reported" cell text
    text: str
    # Search hits: Okabe-Ito's reddish purple, a hue no other mark uses (the old yellow was the
    # "differs" tint's), with black text at 7:1, and lines above and below as the non-colour cue.
    search_bg: str = "#CC79A7"
    search_fg: str = "#000000"


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def marks() -> Marks:
    if is_dark():
        return Marks(True, "#6b4f00", "#56B4E9", "#E69F00", "#1f4a66", "#9a9a9a", "#eeeeee")
    return Marks(False, "#FBE3A4", "#0072B2", "#D55E00", "#CDE7F6", "#6f6f6f", "#111111")


def dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#e8e8e8")
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor("#26282b")),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.ToolTipBase, QColor("#3c3f41")),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Highlight, QColor("#0072B2")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.PlaceholderText, QColor("#9a9a9a")),
        (QPalette.ColorRole.Link, QColor("#56B4E9")),
    ):
        p.setColor(role, colour)
    return p


def apply_system_theme(app: QGuiApplication) -> None:
    """Follow the system: Fusion keeps both palettes legible on every desktop."""
    from PySide6.QtWidgets import QApplication

    if isinstance(app, QApplication):
        app.setStyle("Fusion")
    if QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        app.setPalette(dark_palette())
    elif isinstance(app, QApplication):
        app.setPalette(app.style().standardPalette())


def swatch(colour: QColor, size: int = 14) -> QIcon:
    """A small rounded square in an outlet's colour, for lists and column headers."""
    # Painted once per colour: a header asks for its icons on every layout, 200 outlets at a time.
    return _swatch(colour.rgba(), size)


@lru_cache(maxsize=256)
def _swatch(rgba: int, size: int) -> QIcon:
    colour = QColor.fromRgba(rgba)
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(colour)
    p.setPen(colour.darker(150))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    p.end()
    return QIcon(pix)
