"""The Qt binding itself: a PySide6 that leaks references to None aborts Parallax at exit."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel


def test_an_invalid_qvariant_reaching_python_keeps_none_alive(qapp) -> None:
    # PySide6 6.12.0 returned Py_None without a new reference here; every table repaint does this
    # hundreds of times, and the interpreter died with "none_dealloc" when it shut down.
    model = QStandardItemModel(1, 1)
    model.setItem(0, 0, QStandardItem("x"))
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(200):
        assert index.data(Qt.ItemDataRole.UserRole + 7) is None
        assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.UserRole + 7) is None
    assert sys.getrefcount(None) >= before - 10
