"""File ▸ Export… from the window: every format written and checked for content, notes included, errors shown."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest

NOTE = "Called the port office: six hurt is the latest figure."


def _export(window, kind: str, path: Path) -> None:
    window.io.ask_export = lambda: (kind, path)
    assert window.act_export.isEnabled()
    window.act_export.trigger()


def test_export_is_disabled_until_there_is_a_comparison(window) -> None:
    assert not window.act_export.isEnabled() and not window.act_classroom.isEnabled()


@pytest.mark.parametrize("kind", ["html", "md"])
def test_reports_carry_outlets_differences_and_notes(story_window, tmp_path: Path, kind: str) -> None:
    story_window.notes.set_note("d1", "discrepancy", NOTE)
    out = tmp_path / f"report.{kind}"
    _export(story_window, kind, out)
    text = out.read_text("utf-8")
    assert "Harbour Gazette" in text and "Saltmere Evening News" in text
    assert "four workers injured" in text and "six workers hurt" in text
    assert html.escape(NOTE) in text if kind == "html" else NOTE in text
    assert story_window.message.text().startswith("Exported")


def test_csv_has_one_row_per_difference(story_window, tmp_path: Path) -> None:
    out = tmp_path / "diffs.csv"
    _export(story_window, "csv", out)
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    body = "\n".join(",".join(r) for r in rows[1:])
    assert len(rows) - 1 >= len(story_window.session.comparison.discrepancies)
    assert "Tomas Reyes vs Tomás Reyes" in body and "Coastal Wire" in body


def test_json_is_source_compare_1(story_window, tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    _export(story_window, "json", out)
    doc = json.loads(out.read_text("utf-8"))
    assert doc["schema"] == "source-compare/1"
    assert [a["outlet"] for a in doc["articles"]] == ["Harbour Gazette", "Coastal Wire", "Saltmere Evening News"]


def test_pdf_is_a_pdf(story_window, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    _export(story_window, "pdf", out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000


def test_worksheet_and_answer_sheet(story_window, tmp_path: Path) -> None:
    out = tmp_path / "class-worksheet.html"
    _export(story_window, "worksheet", out)
    sheet = out.read_text("utf-8")
    answers = (tmp_path / "class-worksheet-answers.html").read_text("utf-8")
    assert "Harbour Gazette" in sheet and "Harbour Gazette" in answers
    # The worksheet asks; only the answer sheet gives the differences away.
    assert "six workers hurt" not in sheet and "six workers hurt" in answers


def test_export_into_a_missing_folder_shows_one_line_and_writes_nothing(qtbot, story_window, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "r.html"
    with qtbot.waitSignal(story_window.errorShown, timeout=10_000) as blocker:
        _export(story_window, "html", out)
    assert "does not exist" in blocker.args[0] and not out.exists()


def test_export_never_overwrites_a_source(qtbot, window, story_files, tmp_path: Path) -> None:
    window.session.add_sources(story_files)
    qtbot.waitUntil(lambda: window.session.comparison is not None and not window.session.busy, timeout=30_000)
    before = Path(story_files[0]).read_text("utf-8")
    with qtbot.waitSignal(window.errorShown, timeout=10_000):
        _export(window, "md", Path(story_files[0]))
    assert Path(story_files[0]).read_text("utf-8") == before


def test_export_dialog_offers_every_format_with_a_matching_extension(qtbot, tmp_path: Path) -> None:
    from ui.dialogs import EXPORT_FORMATS, ExportDialog

    dialog = ExportDialog(tmp_path, "crane")
    qtbot.addWidget(dialog)
    seen = {}
    for i in range(dialog.format.count()):
        dialog.format.setCurrentIndex(i)
        seen[dialog.kind()] = dialog.target()
    assert set(seen) == {k for k, *_ in EXPORT_FORMATS}
    assert seen["pdf"] == tmp_path / "crane.pdf" and seen["csv"] == tmp_path / "crane.csv"
    assert seen["worksheet"] == tmp_path / "crane-worksheet.html"
    assert seen["json"] == tmp_path / "crane.json"
