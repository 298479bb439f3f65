"""Classroom mode: one shared fact at a time, across the outlets, on a projector.

Full screen, large type, white on black. The presenter steps with the arrow keys or a clicker
(Page Up / Page Down, which most clickers send). "Spot the difference": a fact's differences stay
hidden until the presenter reveals them one by one (Space or Return), so the class can guess
first; the last reveal underlines the words the outlets do not share. Backspace hides the last
one again; D steps through the facts with differences only; Escape leaves.

The facts and their numbers come from the comparison's fact table (``reader.facts``): "Fact 7" here
is fact 7 on the app's table, in the differences panel and on the printed worksheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from reader.facts import Fact, FactTable, build_fact_table
from reader.model import Comparison
from reader.reports.markup import KIND_NAMES, Mark, cell_marks, esc, marked
from reader.reports.worksheet import no_difference_text

BACKGROUND = "#000000"
TEXT = "#ffffff"
OUTLET = "#ffd84d"  # outlet names: yellow on black, 15:1 contrast
HIGHLIGHT_BG = "#ffd84d"
HIGHLIGHT_FG = "#000000"
DIM = "#bdbdbd"
LARGEST_PT, SMALLEST_PT = 40, 14

_MARK_OPEN = re.compile(r'<mark class="k-\w+"[^>]*>')
_REF = re.compile(r'<sup class="ref">\[([^\]]*)\]</sup>')


@dataclass(frozen=True)
class Key:
    """One key of the presentation: what it does, for the key handler and the keys sheet alike."""

    keys: tuple[Qt.Key, ...]
    names: str  # as the keys sheet shows them
    does: str
    action: str  # the ClassroomView method it calls


KEYS = (
    Key((Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Down), "→ / Page Down / ↓", "next fact", "next_fact"),
    Key((Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up), "← / Page Up / ↑", "previous fact", "previous_fact"),
    Key((Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter), "Space / Return",
        "reveal the next difference, then the words that differ", "reveal_next"),
    Key((Qt.Key.Key_Backspace,), "Backspace", "hide the last thing revealed", "hide_last"),
    Key((Qt.Key.Key_D,), "D", "step through facts with differences only (press again for all)",
        "toggle_differences_only"),
    Key((Qt.Key.Key_Home,), "Home", "first fact", "first_fact"),
    Key((Qt.Key.Key_End,), "End", "last fact", "last_fact"),
    Key((Qt.Key.Key_Escape,), "Esc", "leave classroom mode", "leave"),
)


def _projector_html(fragment: str) -> str:
    """The report's marks, restyled inline: a QLabel has no style sheet for classes."""
    span = f'<span style="background-color:{HIGHLIGHT_BG}; color:{HIGHLIGHT_FG}; text-decoration: underline;">'
    out = _MARK_OPEN.sub(span, fragment).replace("</mark>", "</span>")
    out = out.replace('<span class="chg">', '<span style="text-decoration: underline;">')
    return _REF.sub(lambda m: f'<sup><b style="color:{OUTLET};">[{m.group(1)}]</b></sup>', out)


def steps(fact: Fact) -> int:
    """How many reveals a fact has: each difference, then its changed words when the outlets word it differently."""
    return len(fact.differences) + (1 if any(c.changed for c in fact.cells) else 0)


class ClassroomView(QWidget):
    """The presentation. ``start()`` shows it full screen; it emits ``closed`` when the presenter leaves."""

    closed = Signal()
    factChanged = Signal(int)  # 0-based index of the fact now shown, among the shared facts
    revealedChanged = Signal(int)  # how many of this fact's reveals are shown

    def __init__(
        self, comparison: Comparison, parent: QWidget | None = None, *, table: FactTable | None = None
    ) -> None:
        super().__init__(parent)
        self.comparison = comparison
        self.table = table or build_fact_table(comparison)
        self.facts: tuple[Fact, ...] = self.table.shared()
        self.differences_only = False
        self._index = 0
        self._revealed = 0
        self._said = ""  # a one-off line under the answers: what a key press did not do, and why
        self._handlers: dict[Qt.Key, Callable[[], None]] = {
            k: getattr(self, key.action) for key in KEYS for k in key.keys
        }
        self.setWindowTitle("Parallax: classroom mode")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            f"ClassroomView, QWidget#body {{ background: {BACKGROUND}; }} "
            f"QLabel {{ color: {TEXT}; background: transparent; }}"
        )
        self.setObjectName("body")

        self.position = QLabel()
        self.hint = QLabel("← → step · Space reveal · Backspace hide · D differences only · Esc leave")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Neither may ask for more width than it gets: a line wider than a small projector's screen
        # stopped the window going full screen. They share the top line and clip if they must.
        for label in (self.position, self.hint):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.addWidget(self.position, 1)
        top.addWidget(self.hint, 1)

        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(18)
        self.row_labels: list[QLabel] = []
        self.answers = QLabel()
        self.answers.setWordWrap(True)
        self.answers.setTextFormat(Qt.TextFormat.RichText)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet(f"color: {DIM}; background: {DIM}; max-height: 2px;")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 28, 48, 28)
        outer.addLayout(top)
        outer.addSpacing(12)
        outer.addLayout(self.rows_box)
        outer.addStretch(1)
        outer.addWidget(rule)
        outer.addWidget(self.answers)
        self._render()

    # ------------------------------------------------------------ state

    @property
    def index(self) -> int:
        return self._index

    @property
    def revealed(self) -> int:
        return self._revealed

    @property
    def current(self) -> Fact | None:
        return self.facts[self._index] if self.facts else None

    def start(self) -> None:
        self.showFullScreen()
        self.activateWindow()
        self.setFocus()

    def go_to(self, index: int) -> None:
        if not self.facts:
            return
        index = max(0, min(index, len(self.facts) - 1))
        if index != self._index:
            self._index = index
            self._revealed = 0  # a new fact starts hidden: the class guesses first
            self._said = ""
            self._render()
            self.factChanged.emit(index)

    def go_to_group(self, group_id: str) -> None:
        """Show the fact the window had selected, or the next one the class can compare."""
        place = self.table.index_of_group(group_id)
        if place < 0 or not self.facts:
            return
        after = [i for i, f in enumerate(self.facts) if f.number - 1 >= place]
        self.go_to(after[0] if after else len(self.facts) - 1)

    def _step(self, forward: bool) -> None:
        order = range(self._index + 1, len(self.facts)) if forward else range(self._index - 1, -1, -1)
        target = next((i for i in order if not self.differences_only or self.facts[i].differences), None)
        if target is None:
            self._say("This is the last fact" if forward else "This is the first fact",
                      " with differences" if self.differences_only else "")
            return
        self.go_to(target)

    def next_fact(self) -> None:
        self._step(True)

    def previous_fact(self) -> None:
        self._step(False)

    def first_fact(self) -> None:
        self.go_to(0)

    def last_fact(self) -> None:
        self.go_to(len(self.facts) - 1)

    def toggle_differences_only(self) -> None:
        self.differences_only = not self.differences_only
        fact = self.current
        if self.differences_only and fact is not None and not fact.differences:
            self._step(True)
        self._render()

    def reveal_next(self) -> None:
        fact = self.current
        if fact is None:
            return
        if self._revealed >= steps(fact):
            self._say("Nothing more to reveal on this fact: → for the next one", "")
            return
        self._revealed += 1
        self._said = ""
        self._render()
        self.revealedChanged.emit(self._revealed)

    def hide_last(self) -> None:
        if self._revealed == 0:
            self._say("Nothing is revealed on this fact yet: Space reveals", "")
            return
        self._revealed -= 1
        self._said = ""
        self._render()
        self.revealedChanged.emit(self._revealed)

    def leave(self) -> None:
        self.close()

    def _say(self, text: str, extra: str) -> None:
        self._said = f"{text}{extra}."
        self._render()

    # ------------------------------------------------------------ events

    def keyPressEvent(self, event: QKeyEvent) -> None:
        handler = self._handlers.get(Qt.Key(event.key()))
        if handler is None:
            super().keyPressEvent(event)
        else:
            handler()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().closeEvent(event)
        self.closed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_type()

    # ------------------------------------------------------------ drawing

    def _shown(self, fact: Fact) -> tuple[dict[str, str], bool]:
        """The revealed differences (id -> the number the class sees) and whether the changed words show."""
        shown = fact.differences[: self._revealed]
        return {d.id: str(i + 1) for i, d in enumerate(shown)}, self._revealed > len(fact.differences)

    def _row_html(self, fact: Fact, row_index: int) -> str:
        cell = fact.cells[row_index]
        numbers, words = self._shown(fact)
        marks = [Mark(m.start, m.end, m.kind, numbers[m.label] if m.label else "")
                 for m in cell_marks(cell, labels=numbers, changed=words)]
        return (
            f'<div><span style="color:{OUTLET}; font-weight:bold;">{esc(cell.outlet)}</span><br>'
            f"{_projector_html(marked(cell.text, marks))}</div>"
        )

    def _answers_html(self, fact: Fact) -> str:
        total = steps(fact)
        numbers, words = self._shown(fact)
        lines = [
            f"<b>[{numbers[d.id]}]</b> {esc(KIND_NAMES.get(d.kind, d.kind).capitalize())}: {esc(d.summary)}"
            for d in fact.differences
            if d.id in numbers
        ]
        if words:
            lines.append("Worded differently: the underlined words are not in most other outlets' versions.")
        if not fact.differences and not words:
            lines.append(f'<span style="color:{DIM};">{esc(no_difference_text(fact))}</span>')
        left = len(fact.differences) - min(self._revealed, len(fact.differences))
        if left:
            what = "1 difference hidden: spot it" if left == 1 else f"{left} differences hidden: spot them"
            lines.append(f'<span style="color:{DIM};">{what}, then press Space</span>')
        else:
            n = len(fact.differences)
            done = "" if not n else "The difference is shown. " if n == 1 else f"All {n} differences shown. "
            more = "Space underlines the words the outlets do not share." if self._revealed < total else ""
            if done or more:
                lines.append(f'<span style="color:{DIM};">{done}{more}</span>')
        if self._said:
            lines.append(f'<span style="color:{OUTLET};">{esc(self._said)}</span>')
        return "<br>".join(lines)

    def _set_rows(self, count: int) -> None:
        while len(self.row_labels) < count:
            label = QLabel()
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            self.rows_box.addWidget(label)
            self.row_labels.append(label)
        for i, label in enumerate(self.row_labels):
            label.setVisible(i < count)

    def _render(self) -> None:
        fact = self.current
        if fact is None:
            self.position.setText("Classroom mode")
            self._set_rows(1)
            self.row_labels[0].setText("No fact is reported by two or more of these outlets.")
            self.answers.setText("")
        else:
            only = " · differences only (D for all)" if self.differences_only else ""
            # The table's number first (the one on the worksheet), then the place among the shared facts.
            self.position.setText(f"Fact {fact.number} · {self._index + 1} of {len(self.facts)} shared{only}")
            self._set_rows(len(fact.cells))
            for i in range(len(fact.cells)):
                self.row_labels[i].setText(self._row_html(fact, i))
            self.answers.setText(self._answers_html(fact))
        self._fit_type()

    def _fit_type(self) -> None:
        """The largest type at which the whole fact fits the screen: projectors are read from far away."""
        labels = [lab for lab in self.row_labels if not lab.isHidden()]
        width = max(200, self.width() - 110)
        room = max(200, self.height() - 220)
        chosen = SMALLEST_PT
        for size in range(LARGEST_PT, SMALLEST_PT - 1, -2):
            font = QFont(self.font())
            font.setPointSize(size)
            for lab in labels:
                lab.setFont(font)
            needed = sum(lab.heightForWidth(width) for lab in labels) + 18 * len(labels)
            if needed <= room * 0.85:
                chosen = size
                break
        body = QFont(self.font())
        body.setPointSize(chosen)
        for lab in labels:
            lab.setFont(body)
        small = QFont(self.font())
        small.setPointSize(max(SMALLEST_PT, chosen * 2 // 3))
        self.answers.setFont(small)
        self.position.setFont(small)
        hint = QFont(self.font())
        hint.setPointSize(max(10, chosen // 3))
        self.hint.setFont(hint)
        self.hint.setStyleSheet(f"color: {DIM};")


if __name__ == "__main__":
    from ui.present import main

    raise SystemExit(main())
