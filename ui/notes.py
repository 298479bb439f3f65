"""Notes on facts and differences: asked for, written into the session's notes, shown where they belong.

Notes are kept by the core (``reader.project.notes``) and survive regrouping; this object asks the
person for a note's text (``ask_note``, an attribute so tests answer it without a dialog), writes it,
and says where each note of the current comparison lands (``notesPlaced``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from reader.project.notes import Notes, note_on_discrepancy, note_on_group, resolve

if TYPE_CHECKING:
    from ui.session import Session


class NoteEditor(QObject):
    said = Signal(str)
    notesPlaced = Signal(dict, dict)  # note texts on facts (group id ->) and on differences (discrepancy id ->)

    def __init__(self, session: Session, host: QWidget) -> None:
        super().__init__(host)
        self.session, self.host = session, host
        self.ask_note: Callable[[str, str], str | None] = self._ask_note
        session.comparisonChanged.connect(self.show_notes)
        session.notesChanged.connect(self.show_notes)

    def _say(self, text: str) -> None:
        self.said.emit(text)

    def show_notes(self) -> None:
        c = self.session.comparison
        placed = resolve(self.session.notes, c) if c is not None else {}
        self.notesPlaced.emit({k: n.text for k, n in placed.items() if n.kind == "group"},
                              {k: n.text for k, n in placed.items() if n.kind == "discrepancy"})

    def note_on_group(self, group_id: str) -> None:
        table = self.session.table
        number = table.index_of_group(group_id) + 1 if table is not None else 0
        self._edit_note(group_id, "group", f"Note on fact {number}" if number else "Note on this fact")

    def note_on_discrepancy(self, discrepancy_id: str) -> None:
        c = self.session.comparison
        d = next((d for d in c.discrepancies if d.id == discrepancy_id), None) if c else None
        self._edit_note(discrepancy_id, "discrepancy", f"Note on: {d.summary[:80]}" if d else "Note")

    def _edit_note(self, target: str, kind: str, heading: str) -> None:
        c = self.session.comparison
        if c is None:
            return
        old = resolve(self.session.notes, c).get(target)
        text = self.ask_note(heading, old.text if old else "")
        if text is not None:
            self.set_note(target, kind, text)

    def _ask_note(self, heading: str, current: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(
            self.host, heading, "Your note (leave it empty to remove it):", current
        )
        return text if ok else None

    def set_note(self, target: str, kind: str, text: str) -> None:
        """Write, change or (empty text) remove the note on a fact or difference of the current comparison."""
        c = self.session.comparison
        if c is None:
            return
        notes = self.session.notes
        old = resolve(notes, c).get(target)
        if old is not None:  # the note that lands here may carry an id from another strictness
            notes = Notes(tuple(n for n in notes if n is not old))
        if text.strip():
            make = note_on_group if kind == "group" else note_on_discrepancy
            note = make(c, target, text)
            notes = notes.with_note(replace(note, created=old.created) if old and old.created else note)
        self.session.set_notes(notes)
        self._say("Note saved with the project." if text.strip() else "Note removed.")
