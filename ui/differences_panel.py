"""Every discrepancy grouped by kind, and the figures several outlets agree on."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem

from reader.model import DISCREPANCY_KINDS, SURE_CONFIDENCE, Agreement, Comparison, Discrepancy
from ui.aligned_view import HtmlDelegate
from ui.cellhtml import plain_tip
from ui.models import HTML_ROLE, KIND_WORDS
from ui.turns import LATER, turns

DISC_ROLE = Qt.ItemDataRole.UserRole + 10
GROUP_ROLE = Qt.ItemDataRole.UserRole + 11

KIND_HELP = {
    "figure": "Outlets give different numbers, amounts or dates for the same fact.",
    "name": "Outlets name or spell a person or place differently.",
    "quote": "Outlets quote the same speaker with different words.",
    "claim": "Outlets state contradicting facts.",
    "wording": "Outlets describe the same fact in noticeably different words.",
}


NOTE_MARK = "✎"
SURE = SURE_CONFIDENCE  # below this confidence a flag is listed apart, under "Worth a look"
BATCH = 40  # entries per turn of the event loop: the paint after it measures them all (2 ms of Python here)


class DifferencesPanel(QTreeWidget):
    groupChosen = Signal(str)
    discrepancyChosen = Signal(str)
    noteRequested = Signal(str)  # discrepancy id the person wants to write a note on

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("differencesPanel")
        self.setAccessibleName("Differences and agreements")
        self.setAccessibleDescription("Each entry jumps to its fact. F3 and Shift+F3 step through them.")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.header().setStretchLastSection(True)
        self.setAllColumnsShowFocus(True)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._plain: dict[str, tuple[str, str, str]] = {}  # discrepancy id -> line, html, tip without a note
        self._todo: list[tuple[QTreeWidgetItem, Discrepancy | Agreement]] = []  # entries not made yet
        self._row_of: dict[str, int] = {}
        self._rows_of_sentence: dict[str, int] = {}
        self._outlet_of: dict[str, str] = {}
        self._comparison: Comparison | None = None
        self.notes: dict[str, str] = {}
        self._delegate = HtmlDelegate(self)
        self.setItemDelegate(self._delegate)
        self._delegate.frame_colour = self.palette().color(self.palette().ColorRole.Highlight)
        self._relayout = QTimer(self, singleShot=True, interval=80)
        self._relayout.timeout.connect(self.doItemsLayout)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout.start()

    def set_comparison(self, comparison: Comparison | None, row_of: dict[str, int]) -> None:
        """The headings at once, their entries a batch per turn of the event loop.

        Two hundred outlets can give thousands of differences: made in one go, their
        items held the UI thread for 200 ms.
        """
        self._delegate.forget()
        self.clear()
        self._items.clear()
        self._plain.clear()
        self._todo = []
        # self.notes stays: the window sends the notes placed on each new comparison as it arrives,
        # before the panel fills (a turn later), and the entries made from here on show them.
        if comparison is None:
            return
        self._row_of = row_of
        self._outlet_of = {a.id: a.outlet for a in comparison.articles}
        self._comparison = comparison
        # Each value's own row: a story-wide difference may join sentences the table shows in two rows.
        self._rows_of_sentence = {}
        for g in comparison.groups:
            for sid in g.sentences:
                self._rows_of_sentence.setdefault(sid, row_of.get(g.id, -1))
        for kind in DISCREPANCY_KINDS:
            found = sorted(
                (d for d in comparison.discrepancies if d.kind == kind and d.confidence >= SURE),
                key=lambda d: row_of.get(d.group, 0),
            )
            if found:
                top = self._heading(f"{KIND_WORDS[kind]} ({len(found)})", KIND_HELP[kind])
                self._todo.extend((top, d) for d in found)
        unsure = sorted(
            (d for d in comparison.discrepancies if d.confidence < SURE), key=lambda d: row_of.get(d.group, 0)
        )
        if unsure:
            top = self._heading(
                f"Worth a look ({len(unsure)})",
                "Less certain: Parallax is not sure these values are about one thing. Read both sentences.",
            )
            self._todo.extend((top, d) for d in unsure)
        if comparison.agreements:
            top = self._heading(
                f"Agreed by several outlets ({len(comparison.agreements)})",
                "Figures, days, dates and times that two or more outlets report the same way: corroborated.",
            )
            self._todo.extend((top, a) for a in comparison.agreements)
        if not self._todo:
            QTreeWidgetItem(self, ["No differences found at this strictness."])
        self._todo.reverse()  # popped from the end
        if self._todo:
            turns().add(self, "entries", self._add_some, now=True)

    @property
    def filling(self) -> bool:
        return bool(self._todo)

    def finish(self) -> None:
        """Make every entry now (navigation asked for one not made yet)."""
        while self._todo:
            self._add_one(*self._todo.pop())

    def _heading(self, text: str, tip: str) -> QTreeWidgetItem:
        top = QTreeWidgetItem(self, [text])
        top.setToolTip(0, tip)
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        top.setExpanded(True)
        return top

    def _add_some(self) -> int:
        """One step of the UI thread's queue: a batch of entries, then the next turn.

        Qt measures every new entry's rich text on the next paint, seen or not: a bounded batch and
        a paint on a turn of its own keep each turn short (thousands at once: 60-200 ms)."""
        for _ in range(min(BATCH, len(self._todo))):
            self._add_one(*self._todo.pop())
        return LATER if self._todo else False

    def _add_one(self, top: QTreeWidgetItem, entry: Discrepancy | Agreement) -> None:
        if isinstance(entry, Agreement):
            comparison = self._comparison
            outlets = sorted({self._outlet_of.get(o, o) for o in entry.outlets}) or sorted(
                {comparison.article_of(s).outlet for s in entry.sentences}
            )
            item = QTreeWidgetItem(top, [f"✓ {entry.value} — {', '.join(outlets)}"])
            item.setData(0, GROUP_ROLE, entry.group)
            self._items.setdefault(f"agreement:{entry.group}:{entry.value}", item)
            return
        d = entry
        item = QTreeWidgetItem(top, [])
        item.setData(0, DISC_ROLE, d.id)
        item.setData(0, GROUP_ROLE, d.group)
        self._items[d.id] = item
        rows = self._rows(d)
        self._plain[d.id] = (
            self._line(d, self._row_of, rows),
            self._html(d, self._row_of, rows),
            self._tip(d, self._comparison),
        )
        self._show(d.id)

    def set_notes(self, notes: dict[str, str]) -> None:
        """Show each difference's note under its summary (and in full in its tooltip)."""
        # Only the entries whose note changed: a new comparison brings its notes while thousands of
        # entries of the old one are still in the panel, and redoing them all took 50 ms and more.
        old, self.notes = self.notes, dict(notes)
        changed = [did for did in old.keys() | self.notes.keys() if old.get(did) != self.notes.get(did)]
        shown = [did for did in changed if did in self._plain]
        for did in shown:
            self._show(did)
        if shown:
            self._delegate.forget()
            self.doItemsLayout()

    def _show(self, did: str) -> None:
        line, markup, tip = self._plain[did]
        item = self._items[did]
        note = self.notes.get(did)
        if note is None:
            item.setText(0, line)
            item.setData(0, HTML_ROLE, markup)
            item.setToolTip(0, plain_tip(tip))
            return
        short = note if len(note) <= 200 else note[:200] + "…"
        item.setText(0, f"{line} {NOTE_MARK} {short}")
        item.setData(0, HTML_ROLE, f"{markup}<br><i>{NOTE_MARK} {html.escape(short)}</i>")
        item.setToolTip(0, plain_tip(f"{tip}\n\nNote: {note}"))

    def current_discrepancy(self) -> str | None:
        item = self.currentItem()
        return item.data(0, DISC_ROLE) if item is not None else None

    def contextMenuEvent(self, event) -> None:
        item = self.itemAt(event.pos())
        disc = item.data(0, DISC_ROLE) if item is not None else None
        if not disc:
            return
        self.setCurrentItem(item)
        menu = QMenu(self)
        act = menu.addAction("Edit note…" if disc in self.notes else "Add note…")
        act.setShortcut("Ctrl+Shift+N")
        act.triggered.connect(lambda: self.noteRequested.emit(disc))
        menu.exec(event.globalPos())

    def _rows(self, d: Discrepancy) -> list[int]:
        """The table rows the difference's values sit in, in order (one row for most differences)."""
        rows = {self._rows_of_sentence.get(v.sentence, -1) for v in d.values}
        return sorted(r for r in rows if r >= 0)

    @staticmethod
    def _where(d: Discrepancy, row_of: dict[str, int], rows: list[int]) -> str:
        if len(rows) > 1:
            return "Facts " + ", ".join(str(r + 1) for r in rows[:-1]) + f" and {rows[-1] + 1}"
        row = row_of.get(d.group, -1)
        return f"Fact {row + 1}" if row >= 0 else ""

    @staticmethod
    def _line(d: Discrepancy, row_of: dict[str, int], rows: list[int] = []) -> str:  # noqa: B006
        where = DifferencesPanel._where(d, row_of, rows)
        why = f" — {d.why}" if d.why else ""
        return f"{where + ': ' if where else ''}{d.summary}{why}"

    @staticmethod
    def _html(d: Discrepancy, row_of: dict[str, int], rows: list[int] = []) -> str:  # noqa: B006
        where = DifferencesPanel._where(d, row_of, rows)
        where = f"<b>{where}</b> · " if where else ""
        detail = f' <span style="color:gray">({html.escape(d.detail)})</span>' if d.detail else ""
        why = f'<br><span style="color:gray">Why: {html.escape(d.why)}</span>' if d.why else ""
        return f"{where}{html.escape(d.summary)}{detail}{why}"

    @staticmethod
    def _tip(d: Discrepancy, comparison: Comparison | None = None) -> str:
        # the whole sentences side by side (one per line), each with its outlet: a story-wide difference
        # may join sentences the table shows rows apart
        lines = []
        for v in d.values:
            if comparison is not None and v.sentence in comparison.sentence_index:
                outlet = comparison.article_of(v.sentence).outlet
                lines.append(f"• {outlet}: “{comparison.sentence(v.sentence).text}”")
            else:
                lines.append(f"• “{v.text}”")
        values = "\n".join(dict.fromkeys(lines))
        extra = f" ({d.detail})" if d.detail else ""
        outlets = ", ".join(d.outlets)
        why = f"\nWhy: {d.why}" if d.why else ""
        sure = f"\nConfidence {d.confidence:.0%}"
        return f"{KIND_WORDS[d.kind]}{extra}: {d.summary}{why}\n{values}\n{outlets}{sure}".strip()

    def select_discrepancy(self, discrepancy_id: str) -> None:
        if discrepancy_id not in self._items:
            self.finish()
        item = self._items.get(discrepancy_id)
        if item is not None:
            self.blockSignals(True)
            self.setCurrentItem(item)
            self.scrollToItem(item)
            self.blockSignals(False)

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        group = item.data(0, GROUP_ROLE)
        disc = item.data(0, DISC_ROLE)
        if disc:
            self.discrepancyChosen.emit(disc)
        if group:
            self.groupChosen.emit(group)
