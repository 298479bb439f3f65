"""Remembered between runs: geometry, splitters, last folder, strictness (QSettings, INI in config_dir)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from reader.paths import config_dir

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
