"""Projects from the window: save and reopen, damaged files, drop, recent list, autosave and crash recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QMenu

ROOT = Path(__file__).resolve().parents[2]


def _settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.session.comparison is not None and not window.session.busy, timeout=30_000)


def _compare(qtbot, window, sources) -> None:
    window.session.add_sources(sources)
    _settle(qtbot, window)


def _new_window(qtbot, fake_embedder):
    from ui.mainwindow import MainWindow

    w = MainWindow(lambda: fake_embedder, remember=False)
    qtbot.addWidget(w)
    w.show()
    return w


def _state(window):
    s = window.session
    c = s.comparison
    return {
        "outlets": [e.article.outlet for e in s.entries],
        "hidden": [e.hidden for e in s.entries],
        "texts": [e.raw.text for e in s.entries],
        "strictness": s.strictness,
        "notes": sorted((n.kind, n.text, n.anchor) for n in s.notes),
        "groups": [g.sentences for g in c.groups],
        "discrepancies": [(d.kind, d.summary) for d in c.discrepancies],
    }


def test_save_then_reopen_gives_the_same_comparison(qtbot, window, story_files, fake_embedder, tmp_path):
    _compare(qtbot, window, story_files)
    io = window.io
    # Files read from disk are not unsaved work (nothing is lost by closing); an edit is.
    assert window.act_save_project.isEnabled() and window.windowTitle() == "Untitled comparison — Parallax"
    first = window.session.entries[0].article.id
    with qtbot.waitSignal(window.session.comparisonChanged, timeout=30_000):
        window.session.rename(first, "The Harbour Gazette (print)")
    assert window.windowTitle().startswith("• ")
    _settle(qtbot, window)
    window.slider.setValue(60)
    qtbot.waitUntil(lambda: window.session.comparison.strictness == 0.6 and not window.session.busy, timeout=30_000)
    c = window.session.comparison
    window.notes.ask_note = lambda _heading, _current: "Called the port: four injured, two of them seriously."
    window.aligned.show_group(window.session.table.shared()[0].group)
    window.act_note.trigger()
    if c.discrepancies:
        window.notes.set_note(c.discrepancies[0].id, "discrepancy", "Check the union's statement.")
    assert len(window.session.notes) == (2 if c.discrepancies else 1)
    # A hidden outlet is kept in the file, and so is everything else the person chose.
    window.session.set_hidden(window.session.entries[2].article.id, True)
    _settle(qtbot, window)
    before = _state(window)

    assert io.save_to(tmp_path / "crane")
    saved = tmp_path / "crane.parallax"
    assert saved.is_file() and io.path == saved
    assert window.windowTitle() == "crane — Parallax"

    other = _new_window(qtbot, fake_embedder)
    other.io.open_file(saved)
    _settle(qtbot, other)
    assert _state(other) == before
    assert other.slider.value() == 60 and other.windowTitle() == "crane — Parallax"
    assert before["hidden"] == [False, False, True] and before["outlets"][0] == "The Harbour Gazette (print)"
    # The note shows on its row in the reopened window.
    rows = other.aligned.model()
    marked = [rows.headerData(r, Qt.Orientation.Vertical) for r in range(rows.rowCount())]
    assert sum("✎" in str(m) for m in marked) == 1


def test_save_as_asks_for_a_path_and_the_recent_menu_lists_it(qtbot, window, story_files, tmp_path):
    _compare(qtbot, window, story_files)
    window.io.ask_save_path = lambda: tmp_path / "inquiry.parallax"
    window.act_save_as.trigger()
    assert (tmp_path / "inquiry.parallax").is_file()
    menu = QMenu()
    window.io.fill_recent(menu)
    names = [a.text() for a in menu.actions()]
    assert names[0] == "inquiry.parallax"
    # Save (Ctrl+S) now writes to the same file without asking.
    window.io.ask_save_path = lambda: pytest.fail("Save must not ask again")
    window.session.rename(window.session.entries[1].article.id, "Coast Wire")
    assert window.windowTitle().startswith("• ")
    window.act_save_project.trigger()
    assert "Coast Wire" in (tmp_path / "inquiry.parallax").read_text("utf-8")
    assert not window.windowTitle().startswith("• ")


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"format": "parallax-project", "format_version": 99, "sources": []}', b"\xff\xfe\x00"],
    ids=["truncated", "newer", "binary"],
)
def test_damaged_project_shows_the_error_and_keeps_the_comparison(qtbot, story_window, tmp_path, content):
    bad = tmp_path / "bad.parallax"
    bad.write_bytes(content)
    before = story_window.session.comparison
    entries = story_window.session.entries
    with qtbot.waitSignal(story_window.errorShown, timeout=30_000) as blocker:
        story_window.io.open_file(bad)
    assert "bad.parallax" in blocker.args[0] and "Traceback" not in blocker.args[0]
    qtbot.waitUntil(lambda: not story_window.session.busy, timeout=30_000)
    assert story_window.session.comparison is before and story_window.session.entries == entries
    assert story_window.io.path is None


def test_dropping_a_project_opens_it_instead_of_reading_it_as_an_article(qtbot, window, story_files, tmp_path,
                                                                           fake_embedder):
    _compare(qtbot, window, story_files)
    assert window.io.save_to(tmp_path / "dropped.parallax")
    target = _new_window(qtbot, fake_embedder)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "dropped.parallax"))])
    event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    target.dropEvent(event)
    _settle(qtbot, target)
    assert [e.article.outlet for e in target.session.entries] == [e.article.outlet for e in window.session.entries]
    assert not any(e.raw.source.endswith(".parallax") for e in target.session.entries)
    assert target.io.path == tmp_path / "dropped.parallax"


def test_autosave_writes_changes_and_a_clean_close_leaves_nothing(qtbot, window, story_files):
    from reader.project.autosave import autosave_dir, find_recoverable
    from reader.project.projectfile import load_project

    _compare(qtbot, window, story_files)
    saver = window.io.autosaver
    assert saver is not None
    window.io.autosave()  # written on the autosave thread
    window.io.wait_autosave()
    assert [s.raw.text for s in load_project(saver.path).sources] == [e.raw.text for e in window.session.entries]
    assert find_recoverable() == ()  # this window is alive
    window.close()
    assert not [p for p in autosave_dir().iterdir() if p.suffix in (".parallax", ".json")]


def test_a_failing_autosave_says_so_and_tries_again_on_the_next_tick(qtbot, window, story_files):
    from reader.project.projectfile import load_project

    _compare(qtbot, window, story_files)
    saver = window.io.autosaver
    assert saver is not None
    saver.path.unlink(missing_ok=True)
    saver.path.mkdir()  # the autosave file's place is taken: writing it fails with an OSError
    window.io.autosave(wait=True)
    qtbot.waitUntil(lambda: window.message.text().startswith("Autosave failed"), timeout=10_000)
    assert window.session.comparison is not None  # the work on screen is untouched
    saver.path.rmdir()
    window.io.autosave(wait=True)  # not marked saved after the failure: the next tick writes it
    assert [s.raw.text for s in load_project(saver.path).sources] == [e.raw.text for e in window.session.entries]


CRASHER = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
from reader.project.autosave import Autosaver
from reader.model import RawDocument
from reader.project.projectfile import new_project
saver = Autosaver()
saver.save(new_project((
    RawDocument("north.txt", "Ferry runs aground\\n\\nA ferry ran aground near Kellby on Sunday. "
                "All 212 passengers were taken off safely, the coastguard said.", outlet_hint="North Post"),
    RawDocument("south.txt", "Passengers rescued from stranded ferry\\n\\nA ferry ran aground off Kellby on Sunday. "
                "The coastguard said 210 passengers were rescued.", outlet_hint="South Radio"),
), title="Kellby ferry"))
print("saved", flush=True)
signal.pause()
"""


def _crash_a_session() -> None:
    """A real process autosaves and is killed, as reader/autosave's own tests do."""
    child = subprocess.Popen([sys.executable, "-c", CRASHER, str(ROOT)], stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ))
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "saved"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)


def test_recovery_is_offered_after_a_crash_and_accepted(qtbot, window):
    from reader.project.autosave import find_recoverable
    from ui.app import start

    _crash_a_session()
    asked = []
    window.io.ask_recover = lambda r: asked.append(r.title) or True
    start(window, ["never-read.txt"])
    _settle(qtbot, window)
    assert asked == ["Kellby ferry"]
    assert [e.article.outlet for e in window.session.entries] == ["North Post", "South Radio"]
    assert window.io.path is None and window.windowTitle() == "• Kellby ferry — Parallax"
    assert find_recoverable() == ()  # taken over by this window's own (live) autosave
    assert window.io.autosaver is not None and window.io.autosaver.path.is_file()


def test_declined_recovery_is_discarded(qtbot, window):
    from reader.project.autosave import find_recoverable

    _crash_a_session()
    window.io.ask_recover = lambda r: False
    assert window.io.offer_recovery() is False
    assert find_recoverable() == () and window.session.entries == ()


def test_notes_on_a_row_and_a_difference_show_and_an_empty_note_removes_it(qtbot, story_window):
    c = story_window.session.comparison
    story_window.notes.ask_note = lambda _heading, _current: "The port confirmed six."
    story_window.differences.noteRequested.emit("d1")  # what its context menu sends
    assert "The port confirmed six." in story_window.differences._items["d1"].text(0)
    story_window.aligned.show_group("g3")
    story_window.aligned.noteRequested.emit("g3")
    rows = story_window.aligned.model()
    row = story_window.model.row_of_group("g3")
    assert "✎" in rows.headerData(row, Qt.Orientation.Vertical)
    assert "six" in rows.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert {n.target for n in story_window.session.notes} == {"d1", "g3"} and c is story_window.session.comparison
    # Both stay on screen when the panels are filled again (here: the system switched light/dark).
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    qtbot.waitUntil(story_window.panels_ready)
    assert "The port confirmed six." in story_window.differences._items["d1"].text(0)
    assert "✎" in rows.headerData(row, Qt.Orientation.Vertical)
    # Editing shows the old text; an empty answer removes the note.
    seen = []
    story_window.notes.ask_note = lambda _heading, current: seen.append(current) or "  "
    story_window.differences.noteRequested.emit("d1")
    assert seen == ["The port confirmed six."]
    assert {n.target for n in story_window.session.notes} == {"g3"}
    assert "✎" not in story_window.differences._items["d1"].text(0)


def test_unsaved_work_is_offered_for_saving_before_the_window_closes(qtbot, story_window, tmp_path):
    io = story_window.io
    io.confirm_unsaved = True
    story_window.session.rename("a1", "Gazette")
    assert io.dirty
    io.ask_unsaved = lambda: "cancel"
    story_window.close()
    assert story_window.isVisible() and io.autosaver is not None
    io.ask_unsaved = lambda: "save"
    io.ask_save_path = lambda: tmp_path / "kept.parallax"
    story_window.close()
    assert not story_window.isVisible() and (tmp_path / "kept.parallax").is_file()


def test_open_from_the_menu_and_from_the_command_line(qtbot, window, story_files, tmp_path, fake_embedder):
    from ui.app import start

    _compare(qtbot, window, story_files)
    assert window.io.save_to(tmp_path / "menu.parallax")
    by_menu = _new_window(qtbot, fake_embedder)
    by_menu.io.ask_open_path = lambda: tmp_path / "menu.parallax"
    by_menu.act_open_project.trigger()
    _settle(qtbot, by_menu)
    by_args = _new_window(qtbot, fake_embedder)
    start(by_args, [str(tmp_path / "menu.parallax")])
    _settle(qtbot, by_args)
    expected = [e.article.outlet for e in window.session.entries]
    assert [e.article.outlet for e in by_menu.session.entries] == expected
    assert [e.article.outlet for e in by_args.session.entries] == expected
    assert by_args.io.path == tmp_path / "menu.parallax"
