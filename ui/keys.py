"""The keys sheet (F1): every key the app answers, read from the actions themselves so it cannot drift.

Menu actions bring their own text, shortcuts and tip; keys that belong to a view rather than a
menu (classroom mode's, the table's arrows) come from the tables those views dispatch on. A
filter box narrows the list as you type: "note", "classroom", "Ctrl+S" all find their row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Keys a view handles itself, not through a menu: the aligned table's.
VIEW_KEYS = (
    ("Aligned facts", "↑ ↓ ← →", "move between facts and outlets"),
    ("Aligned facts", "Page Up / Page Down", "a screen of facts up or down"),
    ("Reader", "click a sentence", "light up the same fact in every article"),
)


@dataclass(frozen=True)
class KeyRow:
    where: str  # the menu or view
    keys: str  # as a person types them, in this platform's words
    does: str


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def action_rows(menus: Iterable[QMenu]) -> list[KeyRow]:
    """One row per menu action that has a key (submenus included)."""
    rows: list[KeyRow] = []
    for menu in menus:
        where = _plain(menu.title())
        for act in menu.actions():
            if act.menu() is not None:
                rows += action_rows([act.menu()])
            elif not act.isSeparator() and act.shortcuts():
                keys = " or ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts())
                what = _plain(act.text())
                tip = act.statusTip()
                rows.append(KeyRow(where, keys, f"{what}: {tip}" if tip and tip != what else what))
    return rows


def all_rows(menu_bar: QMenuBar) -> list[KeyRow]:
    from ui.classroom import KEYS as CLASSROOM_KEYS

    menus = [a.menu() for a in menu_bar.actions() if isinstance(a.menu(), QMenu)]
    rows = action_rows(m for m in menus if m is not None)
    rows += [KeyRow(where, keys, does) for where, keys, does in VIEW_KEYS]
    rows += [KeyRow("Classroom mode", k.names, k.does) for k in CLASSROOM_KEYS]
    return rows


class KeysDialog(QDialog):
    """The keys sheet: a filter box over a table of where, keys and what they do."""

    def __init__(self, rows: Sequence[KeyRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keysDialog")
        self.setWindowTitle("Parallax keys")
        self.rows = list(rows)
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Type to find a key or what it does (e.g. note, classroom, Ctrl+S)")
        self.filter.setAccessibleName("Find a key")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(len(self.rows), 3, self)
        self.table.setObjectName("keysTable")
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "What it does"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for r, row in enumerate(self.rows):
            for c, text in enumerate((row.where, row.keys, row.does)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.count = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self.narrow)
        self.resize(760, 560)
        self.narrow("")
        self.filter.setFocus(Qt.FocusReason.OtherFocusReason)

    def narrow(self, text: str) -> None:
        words = text.casefold().split()
        shown = 0
        for r, row in enumerate(self.rows):
            haystack = f"{row.where} {row.keys} {row.does}".casefold()
            hide = not all(w in haystack for w in words)
            self.table.setRowHidden(r, hide)
            shown += not hide
        self.table.resizeRowsToContents()
        self.count.setText(f"{shown} of {len(self.rows)} keys" if words else f"{len(self.rows)} keys")

    def visible_rows(self) -> list[KeyRow]:
        return [row for r, row in enumerate(self.rows) if not self.table.isRowHidden(r)]


def keys_for(action: QAction) -> str:
    return " or ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
