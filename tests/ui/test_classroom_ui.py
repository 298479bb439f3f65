"""Classroom mode entered from the window's View menu: enter, step, reveal, leave, back to the reader."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication


def test_classroom_is_offered_once_a_comparison_exists(window) -> None:
    assert not window.act_classroom.isEnabled()
    keys = {k.toString() for k in window.act_classroom.shortcuts()}
    assert keys == {QKeySequence("F11").toString(), QKeySequence("Ctrl+Shift+P").toString()}


def test_enter_step_reveal_leave_from_the_menu(qtbot, story_window) -> None:
    assert story_window.act_classroom.isEnabled()
    story_window.act_classroom.trigger()
    view = story_window.io.classroom
    assert view is not None
    qtbot.waitExposed(view)
    # The presentation has the keys (the window's own Esc means Cancel there).
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=5000)
    assert view.isFullScreen() and view.comparison is story_window.session.comparison
    assert view.position.text().startswith("Fact 1 · 1 of 3 ")  # the crane story: three facts several outlets tell
    with qtbot.waitSignal(view.factChanged, timeout=2000) as moved:
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert moved.args == [1]
    fact = view.current
    assert fact is not None and fact.differences, "the second shared fact has a figure difference"
    assert "[1]" not in view.answers.text()
    with qtbot.waitSignal(view.revealedChanged, timeout=2000) as shown:
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert shown.args == [1] and fact.differences[0].summary in view.answers.text()
    with qtbot.waitSignal(view.closed, timeout=2000):
        qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert story_window.io.classroom is None
    # The window is back on the fact the class left, and presents again from there.
    assert story_window.session.comparison is not None and story_window.aligned.current_group() == fact.group
    story_window.act_classroom.trigger()
    assert story_window.io.classroom is not None and story_window.io.classroom.current == fact
    story_window.io.classroom.leave()


def test_classroom_opens_on_the_selected_difference_with_the_tables_numbers(qtbot, story_window) -> None:
    tree = story_window.differences
    story_window.differences.select_discrepancy("d2")  # on fact 3 (the crane's inspection)
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus, timeout=2000)
    story_window.act_classroom.trigger()
    view = story_window.io.classroom
    assert view is not None and view.current is not None and view.current.group == "g3"
    row = story_window.model.row_of_group("g3")
    header = str(story_window.model.headerData(row, Qt.Orientation.Vertical))
    assert view.position.text().startswith(f"Fact {row + 1} ") and header.startswith(f"{row + 1}")
    assert tree.currentItem().text(0).startswith(f"Fact {row + 1}:")
    view.leave()


def test_closing_the_window_closes_the_presentation(qtbot, story_window) -> None:
    story_window.act_classroom.trigger()
    view = story_window.io.classroom
    with qtbot.waitSignal(view.closed, timeout=2000):
        story_window.close()
