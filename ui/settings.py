"""Remembered between runs: geometry, splitters, last folder, strictness (QSettings, INI in config_dir)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from reader.paths import config_dir

if TYPE_CHECKING:
    from ui.mainwindow import MainWindow

VERSION = 1


def settings() -> QSettings:
    # An INI file under PARALLAX_HOME/config_dir: tests and portable installs stay private.
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    s = QSettings(str(folder / "parallax.ini"), QSettings.Format.IniFormat)
    if s.value("version", VERSION, int) != VERSION:
        s.clear()  # an unknown layout is dropped, never trusted
    s.setValue("version", VERSION)
    return s


def float_value(s: QSettings, key: str, default: float) -> float:
    try:
        return float(s.value(key, default))
    except (TypeError, ValueError):  # a damaged file must never stop the app
        return default


def restore_window(window: MainWindow) -> None:
    """The window's size, its splitters and the strictness as they were last time."""
    s = settings()
    geometry = s.value("geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    for name, splitter in (("mainSplitter", window.split), ("leftSplitter", window.left)):
        state = s.value(name)
        if isinstance(state, QByteArray):
            splitter.restoreState(state)
    window.set_strictness_quietly(float_value(s, "strictness", 0.5))
    window.session.set_strictness_quietly(window.slider.value() / 100)


def save_window(window: MainWindow) -> None:
    s = settings()
    s.setValue("geometry", window.saveGeometry())
    s.setValue("mainSplitter", window.split.saveState())
    s.setValue("leftSplitter", window.left.saveState())
    s.setValue("strictness", window.slider.value() / 100)
