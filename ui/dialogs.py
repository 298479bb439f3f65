"""Small dialogs: paste text, removed pieces, About, and human error messages."""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.model import Article, Removed
from ui.cellhtml import plain_tip


class PasteDialog(QDialog):
    """Paste an article: its text and the outlet it came from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paste an article")
        form = QFormLayout(self)
        self.outlet = QLineEdit(self)
        self.outlet.setPlaceholderText("e.g. Evening Standard")
        self.outlet.setAccessibleName("Outlet name")
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText("Paste the headline and the article's text here")
        self.text.setAccessibleName("Article text")
        self.text.setMinimumSize(520, 320)
        form.addRow("&Outlet:", self.outlet)
        form.addRow("&Text:", self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class RemovedDialog(QDialog):
    """What cleaning took out of one article, with a tick to put a piece back."""

    def __init__(self, article: Article, removed: tuple[Removed, ...], restored: frozenset[int], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Removed from {article.outlet}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Cleaning took these pieces out of the article (menus, captions, comments…).\n"
            "Tick a piece to put it back into the text that is compared."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Removed pieces")
        self.list.setWordWrap(True)
        for r in removed:
            short = r.text if len(r.text) < 240 else r.text[:240] + "…"
            item = QListWidgetItem(f"[{r.reason}] {short}")
            item.setToolTip(plain_tip(r.text))
            item.setData(Qt.ItemDataRole.UserRole, r.position)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if r.position in restored else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if not removed:
            self.list.addItem("Nothing was removed from this article.")
        self.list.setMinimumSize(560, 300)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def restored(self) -> frozenset[int]:
        out = set()
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() == Qt.CheckState.Checked and item.data(Qt.ItemDataRole.UserRole) is not None:
                out.add(int(item.data(Qt.ItemDataRole.UserRole)))
        return frozenset(out)


# key, label, file extension, file-dialog filter
EXPORT_FORMATS = (
    ("html", "HTML report (self-contained, printable)", ".html", "HTML (*.html *.htm)"),
    ("pdf", "PDF report", ".pdf", "PDF (*.pdf)"),
    ("md", "Markdown (newsroom wiki, CMS)", ".md", "Markdown (*.md)"),
    ("csv", "CSV of the differences (spreadsheet)", ".csv", "CSV (*.csv)"),
    ("json", "source-compare/1 JSON", ".json", "JSON (*.json)"),
    ("worksheet", "Classroom worksheet + answer sheet (HTML)", ".html", "HTML (*.html)"),
)


class ExportDialog(QDialog):
    """One dialog for every export: pick the format, then where to write it."""

    def __init__(self, folder: Path, stem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export the comparison")
        self.folder, self.stem = folder, stem
        form = QFormLayout(self)
        self.format = QComboBox(self)
        self.format.setAccessibleName("Export format")
        for key, label, _ext, _filter in EXPORT_FORMATS:
            self.format.addItem(label, key)
        self.path = QLineEdit(self)
        self.path.setAccessibleName("File to write")
        self.path.setMinimumWidth(420)
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form.addRow("&Format:", self.format)
        where = QLabel("&Save to:", self)
        where.setBuddy(self.path)  # a row holding a layout gets no buddy of its own: "&" would show literally
        form.addRow(where, row)
        form.addRow("", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    def kind(self) -> str:
        return str(self.format.currentData())

    def _ext(self) -> str:
        return next(e for k, _l, e, _f in EXPORT_FORMATS if k == self.kind())

    def _format_changed(self, _i: int = 0) -> None:
        current = Path(self.path.text()) if self.path.text().strip() else self.folder / self.stem
        suffix = "-worksheet" if self.kind() == "worksheet" else ""
        stem = current.stem.removesuffix("-worksheet")
        self.path.setText(str(current.with_name(f"{stem}{suffix}{self._ext()}")))
        self.note.setText(
            "Two files: the worksheet (no answers) and, beside it, “…-answers.html”."
            if self.kind() == "worksheet"
            else ""
        )

    def _browse(self) -> None:
        filt = next(f for k, _l, _e, f in EXPORT_FORMATS if k == self.kind())
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(), f"{filt};;All files (*)")
        if path:
            self.path.setText(path)

    def target(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None


def show_error(parent: QWidget | None, message: str, title: str = "Parallax could not do that") -> QMessageBox:
    """A non-blocking error box: the window keeps everything it had."""
    box = QMessageBox(parent)
    box.setObjectName("errorDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and messages are shown as typed, never as markup
    box.setWindowTitle(title)
    lines = message.splitlines()
    box.setText(lines[0] if len(lines) == 1 else "Some sources could not be read:")
    if len(lines) > 1:
        box.setInformativeText("\n".join(lines))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _versions() -> str:
    # Package metadata, not imports: About must not pay torch's seconds-long import.
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for dist in ("sentence-transformers", "torch", "trafilatura"):
        try:
            out.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            out.append(f"{dist} (not installed)")
    return " · ".join(out)


def about_text(model: str) -> str:
    from PySide6 import __version__ as pyside

    from reader import __version__ as version

    return (
        f"<h3>Parallax {html.escape(version)}</h3>"
        "<p>Several news articles about one event, side by side: the sentences that report the same fact "
        "are lined up, and what each outlet reports differently is marked.</p>"
        f"<p>Sentence model: <b>{html.escape(model)}</b> (bundled, runs offline)<br>"
        f"Qt for Python {html.escape(pyside)} · Python {platform.python_version()}<br>"
        f"{html.escape(_versions())}</p>"
        "<p>Colours: Okabe–Ito palette, safe for colour-blind readers; every mark also has an underline, "
        "bold or italic cue.</p>"
    )
