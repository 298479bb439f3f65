"""PDF reports through Qt's own printing: QTextDocument lays the HTML report out, QPdfWriter pages it.

Works offscreen (no printer, no display). The pure command line calls this
module in a child process, so the core never imports Qt:

    python -m ui.pdfexport IN.html OUT.pdf

exits 0, or 2 with one line on stderr. The PDF is written beside OUT and
renamed over it, so a failure never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import (
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from reader.errors import ParallaxError
from reader.model import Comparison
from reader.project.notes import Notes
from reader.reports.markup import COLOURS

MARGIN_MM = 15.0
RESOLUTION_DPI = 300
MAX_HTML_BYTES = 64 * 1024 * 1024

# QTextDocument knows only a CSS subset (no @media, no :root, no text-decoration styles), so the
# report's screen style sheet is swapped for this one. Qt draws a dotted, dashed or wavy underline
# from its own "text-underline-style" (on its own: with "text-decoration: underline" it is solid):
# each kind keeps a line of its own on a black-and-white printout, and changed words stay dotted.
# Qt has no double line; names get dot-dash. The [d1] labels say it in words as well.
PRINT_UNDERLINES = {"figure": "solid", "name": "dot-dash", "quote": "dashed", "claim": "wave",
                    "wording": "dot-dot-dash"}
PRINT_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9pt; color: #000000; }
h1 { font-size: 15pt; } h2 { font-size: 12.5pt; } h3 { font-size: 10.5pt; }
table { border-collapse: collapse; } th, td { padding: 3px; border: 1px solid #888888; }
thead th { background-color: #eeeeee; }
td.outlet { font-weight: bold; width: 22%; }
.meta, .muted { color: #444444; font-size: 8pt; }
sup { font-size: 6.5pt; font-weight: bold; }
.chg { text-underline-style: dotted; }
.note { background-color: #f0f0f0; font-style: italic; }
.empty { color: #777777; }
""" + "".join(
    f"mark.k-{kind} {{ background-color: {colour}; text-underline-style: {PRINT_UNDERLINES[kind]}; }}\n"
    for kind, colour in COLOURS.items()
)
# The style sheet is replaced, and the on-screen contents links mean nothing on paper.
_STYLE = re.compile(r"<style>.*?</style>|<nav\b.*?</nav>", re.S)


def _ensure_app() -> None:
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # Kept on the module so it is not garbage-collected while documents are laid out.
        _ensure_app.app = QGuiApplication(["parallax-pdf"])  # type: ignore[attr-defined]


def _document(html: str, page: QSizeF) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(PRINT_CSS)
    # Qt sizes tables to their content unless told otherwise in an attribute, not in CSS.
    doc.setHtml(_STYLE.sub("", html).replace("<table>", '<table width="100%" cellspacing="0">'))
    doc.setPageSize(page)
    keep_together(doc)
    return doc


def keep_together(doc: QTextDocument) -> int:
    """Page breaks before what would otherwise be cut badly; returns how many were added.

    Qt's printing has no "avoid a break inside": a table that starts near a page's foot leaves a
    piece of an empty row there, and a heading can end a page alone. Walking the laid-out document
    from the top, a table shorter than a page that would straddle a page break, and a heading whose
    next lines would not follow it on its page, start a new page (with the heading before the
    table, if there is one). Each break moves what follows, so each is decided after the one before.
    """
    height = doc.pageSize().height()
    if height <= 0:
        return 0
    layout = doc.documentLayout()
    added = 0
    block = doc.firstBlock()
    while block.isValid():
        cursor = QTextCursor(block)
        table = cursor.currentTable()
        if table is not None:
            rect = layout.frameBoundingRect(table)
            block = table.lastCursorPosition().block().next()
            if rect.height() < 0.9 * height and int(rect.top() // height) != int((rect.bottom() - 1) // height):
                heading = table.firstCursorPosition().block().previous()
                target = heading if heading.isValid() and heading.blockFormat().headingLevel() else \
                    table.firstCursorPosition().block()
                added += _break_before(target)
            continue
        if block.blockFormat().headingLevel():
            rect = layout.blockBoundingRect(block)
            room = height - rect.top() % height
            if room < rect.height() + 3 * QFontMetricsF(block.charFormat().font()).lineSpacing():
                added += _break_before(block)
        block = block.next()
    return added


def _break_before(block: QTextBlock) -> int:
    fmt = block.blockFormat()
    if fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
        return 0
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)
    # Qt lays out again lazily, and left blocks after a change with no lines at all: everything from
    # here on is laid out now, so the next decision reads where things really are.
    doc = block.document()
    doc.markContentsDirty(block.position(), doc.characterCount() - block.position())
    doc.pageCount()
    return 1


def html_to_pdf(html: str, out: Path | str, *, title: str = "Parallax report") -> int:
    """Print ``html`` to the PDF ``out`` (A4, 15 mm margins); returns the number of pages."""
    _ensure_app()
    target = Path(out)
    if not target.parent.is_dir():
        raise ParallaxError(f"cannot write PDF {target}: folder {target.parent} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer = QPdfWriter(str(tmp))
        writer.setTitle(title)
        writer.setCreator("Parallax")
        writer.setResolution(RESOLUTION_DPI)
        layout = QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
        writer.setPageLayout(layout)
        # Laid out in points, so the 9 pt body is 9 pt on paper; print_ scales to the writer's dots.
        doc = _document(html, layout.paintRect(QPageLayout.Unit.Point).size())
        pages = doc.pageCount()
        doc.print_(writer)
        del writer  # the file is complete only once the writer is gone
        if tmp.stat().st_size == 0:
            raise ParallaxError(f"cannot write PDF {target}: Qt produced an empty file")
        os.replace(tmp, target)
        return pages
    except OSError as exc:
        raise ParallaxError(f"cannot write PDF {target}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def export_pdf(comparison: Comparison, out: Path | str, notes: Notes | None = None) -> int:
    """The report laid out for paper, printed: what File ▸ Export ▸ PDF calls."""
    from reader.reports.html import render_print_html

    outlets = ", ".join(a.outlet for a in comparison.articles)
    return html_to_pdf(render_print_html(comparison, notes), out, title=f"Parallax comparison: {outlets}")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m ui.pdfexport IN.html OUT.pdf", file=sys.stderr)
        return 2
    source, out = Path(args[0]), Path(args[1])
    try:
        if source.resolve() == out.resolve():
            raise ParallaxError("the PDF would overwrite its own HTML source")
        if not source.is_file():
            raise ParallaxError(f"no such HTML file: {source}")
        if source.stat().st_size > MAX_HTML_BYTES:
            raise ParallaxError(f"{source} is too large to print")
        html = source.read_text("utf-8", errors="replace")
        pages = html_to_pdf(html, out)
    except ParallaxError as exc:
        print(f"pdfexport: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"pdfexport: cannot read {source}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({pages} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
