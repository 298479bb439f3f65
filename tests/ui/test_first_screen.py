"""The first impression (issue 18): what a new person sees, and what the window says while they wait."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from story import crane_comparison

from reader.model import Group
from reader.progress import Progress


def _shown_groups(window) -> list[str]:
    f = window.aligned.filter
    return [window.model.group_id(f.mapToSource(f.index(r, 0)).row()) for r in range(f.rowCount())]


def _lone_facts_first():
    """The crane story as real coverage runs: it opens on facts one outlet tells alone."""
    c = crane_comparison()
    lone = (Group("g0a", ("a1.s4",), 1.0), Group("g0b", ("a3.s2",), 1.0))
    return replace(c, groups=(*lone, *(g for g in c.groups if len(g.sentences) > 1)))


def test_opens_on_outlets_side_by_side_and_says_where_the_rest_is(qtbot, window):
    window.session.adopt(_lone_facts_first())
    qtbot.waitUntil(window.panels_ready)
    shown = _shown_groups(window)
    assert shown == ["g1", "g2", "g3"]  # not the two lone facts the story opens with
    assert all(len(window.model.reporting(window.model.row_of_group(g))) >= 2 for g in shown)
    assert window.aligned.current_group() == "g1"  # the first shared fact, ready for F3
    assert window.filter.currentData() == "shared"
    text = window.message.text()
    assert "3 facts told by two or more" in text and "2 by one outlet alone (Alt+3)" in text and "F3" in text
    # Numbers stay the story's: the first row shown is fact 3.
    assert window.aligned.model().headerData(0, Qt.Orientation.Vertical).startswith("3")


def test_a_story_with_nothing_shared_shows_every_fact(qtbot, window):
    c = crane_comparison()
    window.session.adopt(replace(c, groups=tuple(Group(f"g{i}", (s,), 1.0) for i, s in
                                                 enumerate(sid for g in c.groups for sid in g.sentences))))
    qtbot.waitUntil(window.panels_ready)
    assert window.filter.currentData() == "all" and window.aligned.filter.rowCount() == window.model.rowCount()


def test_the_drop_hint_never_flashes_while_sources_load(qtbot, window, story_files):
    faces = []
    window.page.currentChanged.connect(lambda _i: faces.append(window.page.face))
    window.session.add_sources(story_files)
    qtbot.waitUntil(lambda: window.session.comparison is not None and not window.session.busy, timeout=30_000)
    assert "empty" not in faces and window.page.face == "table"


def test_an_empty_window_shows_the_drop_hint_once_it_has_started(qtbot, window):
    qtbot.waitUntil(lambda: window.page.face == "empty", timeout=3000)
    assert "Drop two or more articles here" in window.page.empty.text()


def test_the_wait_is_named_and_the_progress_bar_holds_only_a_percentage(qtbot, window, story_files):
    window.session.add_sources(story_files[:1])
    window.session.add_sources(story_files[1:])
    window._progress(Progress("model", 0, 0, "Starting the sentence model"))
    assert "sentence model" in window.page.waiting.text() and "once per session" in window.page.waiting.text()
    window._progress(Progress("embed", 120, 461, "Read 120 of 461 sentences"))
    assert "120 of 461" in window.page.waiting.text()
    assert window.message.text().startswith("Lining up the facts")  # said in the status line too, on any tab
    assert window.progress.format() == "%p%" and "sentences" not in window.progress.text()
    qtbot.waitUntil(lambda: window.session.comparison is not None and not window.session.busy, timeout=30_000)


def test_five_outlets_fit_the_reader_at_the_default_size(qtbot, fake_embedder, tmp_path):
    from ui.mainwindow import MainWindow

    w = MainWindow(lambda: fake_embedder, remember=False)
    qtbot.addWidget(w)
    w.show()
    assert (w.width(), w.height()) == (1480, 900)
    paths = []
    for i, place in enumerate(("Harbour", "Valley", "Coast", "Market", "River")):
        p = tmp_path / f"{place.lower()}.txt"
        p.write_text(f"{place} report\n\nA crane fell at the {place} docks on Friday. Workers were hurt.\n")
        paths.append(str(p))
        assert i < 5
    w.session.add_sources(paths)
    qtbot.waitUntil(lambda: len(w.reader.panes) == 5, timeout=30_000)
    w.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: w.reader.isVisible())
    QApplication.processEvents()
    last = w.reader.panes[-1]
    right = last.mapTo(w.reader.viewport(), last.rect().topRight()).x()
    assert right <= w.reader.viewport().width(), "the fifth outlet is cut off"
    w.session.shutdown()


def test_closing_files_read_from_disk_asks_nothing(qtbot, window, story_files):
    io = window.io
    io.confirm_unsaved = True
    io.ask_unsaved = lambda: (_ for _ in ()).throw(AssertionError("asked to save untouched files"))
    window.session.add_sources(story_files)
    qtbot.waitUntil(lambda: window.session.comparison is not None and not window.session.busy, timeout=30_000)
    assert io.may_discard() and not window.windowTitle().startswith("•")
    window.add_pasted("A crane fell at the Saltmere docks on Friday, a reader wrote to us.", "Reader letter")
    qtbot.waitUntil(lambda: len(window.session.entries) == 4 and not window.session.busy, timeout=30_000)
    asked = []
    io.ask_unsaved = lambda: asked.append(1) or "cancel"
    assert not io.may_discard() and asked  # a pasted text exists nowhere else: that is asked about


def test_the_save_question_defaults_to_cancel(qtbot, story_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    seen = {}

    def question(parent, title, text, buttons, default):
        seen["default"] = default
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    story_window.session.rename("a1", "Gazette")
    assert story_window.io._ask_unsaved() == "cancel"
    assert seen["default"] == QMessageBox.StandardButton.Cancel


def test_keys_sheet_is_generated_from_the_actions_and_searchable(qtbot, story_window):
    from ui.keys import KeysDialog

    story_window.menuBar().setFocus()
    dialog = story_window.show_keys()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, KeysDialog)
    keys = {(r.keys, r.does.split(":")[0]) for r in dialog.rows}
    for i in range(1, 5):
        assert any(k == f"Alt+{i}" for k, _ in keys), f"Alt+{i} missing"
    assert any("Backspace" in r.keys and r.where == "Classroom mode" for r in dialog.rows)
    every_shortcut = {s.toString() for a in story_window.findChildren(type(story_window.act_note))
                      for s in a.shortcuts()}
    listed = " ".join(r.keys for r in dialog.rows)
    assert all(s in listed for s in every_shortcut), every_shortcut
    dialog.filter.setText("note")
    assert dialog.visible_rows() and all("note" in f"{r.does} {r.where}".lower() for r in dialog.visible_rows())
    dialog.filter.setText("Ctrl+S")
    assert any("Save" in r.does for r in dialog.visible_rows())
    dialog.close()
