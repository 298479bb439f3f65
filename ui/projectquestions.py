"""The questions ``ui.projectio.ProjectIO`` asks the person, as modal dialogs: save changes, which project
to open, where to save it, what to export where, whether to recover work after a crash.

``ProjectIO`` holds each question as an attribute (``ask_unsaved``, ``ask_open_path``, ...) whose default
calls the function here, so tests answer it without a modal loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui import dialogs

if TYPE_CHECKING:
    from reader.project.autosave import Recovery

PROJECT_FILTER = "Parallax projects (*.parallax);;All files (*)"


def ask_unsaved(host: QWidget, name: str) -> str:
    """The answer about the unsaved work called ``name``: "save", "discard" or "cancel"."""
    buttons = QMessageBox.StandardButton
    # Cancel is the default: Return or Esc keep the window open, and nothing is lost by either.
    answer = QMessageBox.question(
        host, "Save changes?", f"“{name}” has changes that are not saved in a project file.",
        buttons.Save | buttons.Discard | buttons.Cancel, buttons.Cancel,
    )
    return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")


def ask_open_path(host: QWidget, folder: str) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(host, "Open project", folder, PROJECT_FILTER)
    return Path(path) if path else None


def ask_save_path(host: QWidget, start: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(host, "Save project", str(start), PROJECT_FILTER)
    return Path(path) if path else None


def ask_export(host: QWidget, folder: Path, name: str) -> tuple[str, Path] | None:
    """The export's kind and file, starting in ``folder`` with a file named after the work ``name``."""
    stem = name.replace("/", "-") or "parallax-comparison"
    dialog = dialogs.ExportDialog(folder, stem, host)
    if dialog.exec() and dialog.target() is not None:
        target = dialog.target()
        assert target is not None
        return dialog.kind(), target
    return None


def ask_recover(host: QWidget, r: Recovery) -> bool:
    what = r.title or (r.original.name if r.original else "an unsaved comparison")
    when = f"{r.saved[:16].replace('T', ' ')} UTC" if r.saved else "earlier"
    answer = QMessageBox.question(
        host,
        "Recover unsaved work?",
        f"Parallax did not close properly last time.\n\nRecover “{what}” ({r.sources} sources, "
        f"autosaved {when})?\n\nNo discards it.",
    )
    return answer == QMessageBox.StandardButton.Yes
