"""PDF through Qt's printing: a real PDF with the report's text, in-process and as the CLI's child process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from data.projects.flood_story import IMG, SCRIPT, flood_comparison, hostile_comparison

from reader.project.notes import Notes, note_on_discrepancy
from reader.reports.html import render_html
from ui.pdfexport import export_pdf, main

ROOT = Path(__file__).resolve().parents[2]
PDFTOTEXT = shutil.which("pdftotext")


def _pdf_text(pdf: Path) -> str:
    done = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def _page_objects(pdf: Path) -> int:
    data = pdf.read_bytes()
    return data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page>")


def test_export_pdf_writes_a_paged_pdf(qapp, tmp_path: Path) -> None:
    c = flood_comparison()
    out = tmp_path / "flood.pdf"
    pages = export_pdf(c, out, Notes().with_note(note_on_discrepancy(c, "d2", "Spelling is Varga.")))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert pages >= 2 and _page_objects(out) == pages
    assert [p.name for p in tmp_path.iterdir()] == ["flood.pdf"]  # no temporary file left


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) not installed")
def test_pdf_contains_the_report_text(qapp, tmp_path: Path) -> None:
    c = flood_comparison()
    out = tmp_path / "flood.pdf"
    export_pdf(c, out, Notes().with_note(note_on_discrepancy(c, "d2", "Spelling is Varga.")))
    text = _pdf_text(out).replace("ﬁ", "fi").replace("ﬀ", "ff").replace("ﬂ", "fl").replace("ﬃ", "ffi")
    for d in c.discrepancies:
        assert d.summary in text, d.summary
    for a in c.articles:
        assert a.outlet in text
    assert "Spelling is Varga." in text and "[d1]" in text and "Aligned facts" in text


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) not installed")
def test_pdf_shows_hostile_text_as_text(qapp, tmp_path: Path) -> None:
    out = tmp_path / "hostile.pdf"
    export_pdf(hostile_comparison(), out)
    text = _pdf_text(out)
    assert SCRIPT in text and IMG in text


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "ui.pdfexport", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_command_line_prints_html_to_pdf(tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    html.write_text(render_html(flood_comparison()), "utf-8")
    done = _run(str(html), str(tmp_path / "report.pdf"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_command_line_bad_input_is_one_line_and_leaves_the_old_pdf(tmp_path: Path) -> None:
    old = tmp_path / "old.pdf"
    old.write_bytes(b"%PDF-1.4 previous")
    for args in (
        [str(tmp_path / "missing.html"), str(old)],
        [str(old), str(old)],
        [str(old), str(tmp_path / "no" / "dir" / "x.pdf")],
        ["only-one-argument"],
    ):
        done = _run(*args)
        assert done.returncode == 2, args
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert old.read_bytes() == b"%PDF-1.4 previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.pdf"]


def test_main_in_process_reports_missing_input(qapp, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.html"), str(tmp_path / "x.pdf")]) == 2
    assert "no such HTML file" in capsys.readouterr().err


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) not installed")
def test_demo_pdf_names_every_outlet(qapp, tmp_path: Path, demo_paths: list[Path], fake_embedder) -> None:  # type: ignore[no-untyped-def]
    from reader.pipeline import compare

    c = compare([str(p) for p in demo_paths], fake_embedder)
    out = tmp_path / "demo.pdf"
    pages = export_pdf(c, out)
    text = _pdf_text(out)
    assert pages >= 3 and _page_objects(out) == pages
    for a in c.articles:
        assert a.outlet in text
    assert "Aligned facts" in text and "Sources" in text
    assert all(f"[{d.id}]" in text for d in c.discrepancies)


def _paper(comparison, html: str | None = None):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    from reader.reports.html import render_print_html
    from ui.pdfexport import _document

    layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                         QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    return _document(html or render_print_html(comparison), layout.paintRect(QPageLayout.Unit.Point).size())


def test_changed_words_print_dotted_and_each_kind_keeps_its_own_line(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextCharFormat, QTextCursor

    c = flood_comparison()
    doc = _paper(c)
    styles: dict[str, QTextCharFormat.UnderlineStyle] = {}
    for needle, what in (("Floodwater", "changed"), ("1,200 residents", "figure"), ("Helena Vargas", "name"),
                         ("was breached in two places", "claim")):
        found = doc.find(needle, doc.find("Aligned facts"))
        assert not found.isNull(), needle
        cursor = QTextCursor(doc)
        cursor.setPosition(found.selectionStart() + 1)
        styles[what] = cursor.charFormat().underlineStyle()
    assert styles["changed"] == QTextCharFormat.UnderlineStyle.DotLine  # it printed solid
    assert len(set(styles.values())) == len(styles)


def test_no_table_or_heading_is_cut_by_a_page_break(qapp) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from PySide6.QtGui import QTextCursor

    from reader.model import Agreement

    c = flood_comparison()
    # Enough agreements and facts that page breaks fall in the middle of them.
    many = tuple(Agreement("figure", "g4", f"{7 * i} mm", ("a1.s4", "a2.s4"), ("a1", "a2")) for i in range(70))
    c = replace(c, agreements=many, groups=c.groups * 8)
    doc = _paper(c)
    height = doc.pageSize().height()
    layout = doc.documentLayout()
    assert doc.pageCount() >= 4
    tables = headings = 0
    block = doc.firstBlock()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None:
            rect = layout.frameBoundingRect(table)
            assert int(rect.top() // height) == int((rect.bottom() - 1) // height), "a table runs over a page break"
            tables += 1
            block = table.lastCursorPosition().block().next()
            continue
        if block.blockFormat().headingLevel():
            rect = layout.blockBoundingRect(block)
            assert height - rect.top() % height > 3 * rect.height(), f"{block.text()} ends a page"
            headings += 1
        block = block.next()
    assert tables > 40 and headings > 40
