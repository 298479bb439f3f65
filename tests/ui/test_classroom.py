"""Classroom mode driven like a presenter would: enter, step, reveal one by one, leave."""

from __future__ import annotations

from pathlib import Path

import pytest
from data.projects.flood_story import IMG, SCRIPT, flood_comparison, hostile_comparison
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from reader.model import Comparison, Group
from ui.classroom import HIGHLIGHT_BG, ClassroomView

HIGHLIGHTED = f'<span style="background-color:{HIGHLIGHT_BG}; color:#000000; text-decoration: underline;">'



@pytest.fixture
def view(qtbot):  # type: ignore[no-untyped-def]
    v = ClassroomView(flood_comparison())
    qtbot.addWidget(v)
    v.start()
    qtbot.waitExposed(v)
    return v


def _rows(v: ClassroomView) -> list[str]:
    return [lab.text() for lab in v.row_labels if not lab.isHidden()]


def test_enter_shows_first_shared_fact_full_screen(view: ClassroomView) -> None:
    assert view.isFullScreen()
    assert view.position.text().startswith("Fact 1 · 1 of 5 ")
    rows = _rows(view)
    assert len(rows) == 3
    assert "Northern Courier" in rows[0] and "The River Maren burst its banks" in rows[0]
    assert "Radio Meridian" in rows[2]
    # large type for the back of the room, even on the small offscreen "projector" (800 x 600)
    body = view.row_labels[0].font().pointSize()
    assert body >= 18 and body > view.answers.font().pointSize() > view.hint.font().pointSize()


def test_arrows_and_clicker_keys_step_through_facts(qtbot, view: ClassroomView) -> None:
    with qtbot.waitSignal(view.factChanged, timeout=1000) as moved:
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert moved.args == [1] and view.position.text().startswith("Fact 2 · 2 of 5 ")
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.index == 2 and "Helena Varga" in _rows(view)[0]
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.index == 0
    qtbot.keyClick(view, Qt.Key.Key_Left)  # already at the first fact
    assert view.index == 0
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.index == 4 and view.position.text().startswith("Fact 5 · 5 of 5 ")
    qtbot.keyClick(view, Qt.Key.Key_Right)  # already at the last
    assert view.index == 4


def test_differences_stay_hidden_until_revealed_one_by_one(qtbot, view: ClassroomView) -> None:
    view.go_to(2)  # the mayor: a name and a quote difference
    assert view.revealed == 0
    assert "Helena Varga vs Helena Vargas" not in view.answers.text()
    assert "2 differences hidden" in view.answers.text()
    assert all("background-color" not in r for r in _rows(view))  # nothing marked yet

    with qtbot.waitSignal(view.revealedChanged, timeout=1000) as shown:
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert shown.args == [1]
    assert "Helena Varga vs Helena Vargas" in view.answers.text()
    assert "The mayor's words differ" not in view.answers.text().replace("&#x27;", "'")
    assert "1 difference hidden" in view.answers.text()
    assert "Helena Vargas</span>" in _rows(view)[1] and "[1]" in _rows(view)[1]

    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.revealed == 2 and "All 2 differences shown" in view.answers.text()
    assert "words differ between outlets" in view.answers.text()
    assert 'text-decoration: underline;">' not in "".join(_rows(view)).replace(HIGHLIGHTED, "")
    qtbot.keyClick(view, Qt.Key.Key_Space)  # last: the words the outlets do not share
    assert view.revealed == 3 and "Worded differently" in view.answers.text()
    assert 'text-decoration: underline;">' in "".join(_rows(view)).replace(HIGHLIGHTED, "")
    qtbot.keyClick(view, Qt.Key.Key_Space)  # nothing more to reveal, and the screen says so
    assert view.revealed == 3 and "Nothing more to reveal" in view.answers.text()

    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert view.revealed == 1 and "Nothing more" not in view.answers.text()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.revealed == 0  # coming back to a fact hides its answers again


def test_fact_without_differences_never_says_none_where_the_words_differ(view: ClassroomView) -> None:
    view.go_to(3)  # the rain: no flagged difference, but each outlet tells it in its own words
    assert "flagged no difference" in view.answers.text() and "quite different words" in view.answers.text()
    assert "found no difference" not in view.answers.text()
    view.reveal_next()  # a paraphrase throughout has no words to underline: the screen says so
    assert view.revealed == 0 and "Nothing more to reveal" in view.answers.text()
    view.go_to(0)  # the river: one outlet's version is mostly the others' words, with a few of its own
    view.reveal_next()
    assert view.revealed == 1 and "Worded differently" in view.answers.text()


def test_space_on_a_fact_with_nothing_to_reveal_says_so(qtbot) -> None:  # type: ignore[no-untyped-def]
    from data.projects.flood_story import make_article

    same = "The ferry sailed at noon."
    arts = (make_article("a1", "Isle Herald", "Ferry", [[same]]), make_article("a2", "Sound Radio", "Ferry", [[same]]))
    v = ClassroomView(Comparison(arts, (Group("g1", ("a1.s1", "a2.s1"), 1.0),), (), (), "fake", 0.5))
    qtbot.addWidget(v)
    v.show()
    assert "much the same words" in v.answers.text()
    qtbot.keyClick(v, Qt.Key.Key_Space)
    assert v.revealed == 0 and "Nothing more to reveal" in v.answers.text()
    qtbot.keyClick(v, Qt.Key.Key_Right)  # the only shared fact: the screen says it is the last
    assert "last fact" in v.answers.text()
    qtbot.keyClick(v, Qt.Key.Key_Backspace)
    assert "Nothing is revealed" in v.answers.text()


def test_numbers_are_the_tables_and_the_window_can_open_on_any_fact(qtbot) -> None:  # type: ignore[no-untyped-def]
    c = flood_comparison()
    lone_first = Comparison(c.articles, (c.groups[5], *c.groups[:5]), c.discrepancies, c.agreements, c.model, 0.5)
    v = ClassroomView(lone_first)
    qtbot.addWidget(v)
    v.show()
    assert v.position.text().startswith("Fact 2 · 1 of 5 ")  # fact 1 is one outlet's alone: not shown
    v.go_to_group("g3")
    assert v.current is not None and v.current.group == "g3" and v.position.text().startswith("Fact 4 · 3 of 5 ")
    v.go_to_group(c.groups[5].id)  # a fact one outlet tells: the next one the class can compare
    assert v.index == 0


def test_d_steps_through_facts_with_differences_only(qtbot, view: ClassroomView) -> None:
    with_differences = [i for i, f in enumerate(view.facts) if f.differences]
    assert len(with_differences) < len(view.facts)
    qtbot.keyClick(view, Qt.Key.Key_D)
    assert view.differences_only and "differences only" in view.position.text()
    seen = [view.index]
    for _ in range(len(view.facts)):
        qtbot.keyClick(view, Qt.Key.Key_Right)
        seen.append(view.index)
    assert sorted(set(seen)) == with_differences
    assert "last fact with differences" in view.answers.text()
    qtbot.keyClick(view, Qt.Key.Key_D)
    assert not view.differences_only


def test_escape_leaves(qtbot, view: ClassroomView) -> None:
    with qtbot.waitSignal(view.closed, timeout=1000):
        qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_hostile_text_is_shown_not_interpreted(qtbot) -> None:  # type: ignore[no-untyped-def]
    v = ClassroomView(hostile_comparison())
    qtbot.addWidget(v)
    v.show()
    v.go_to(1)
    v.reveal_next()
    rows = " ".join(_rows(v)) + v.answers.text()
    assert "<img" not in rows and "<script" not in rows and "<b>Times" not in rows
    assert "&lt;img src=x onerror=alert(1)&gt;" in rows
    v.go_to(0)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in " ".join(_rows(v))
    assert SCRIPT and IMG  # the fixture's strings, shown escaped above


def test_no_shared_fact(qtbot) -> None:  # type: ignore[no-untyped-def]
    c = flood_comparison()
    v = ClassroomView(Comparison(c.articles, c.groups[-1:], (), (), c.model, c.strictness))
    qtbot.addWidget(v)
    v.show()
    qtbot.keyClick(v, Qt.Key.Key_Right)
    qtbot.keyClick(v, Qt.Key.Key_Space)
    assert v.current is None and "No fact is reported" in _rows(v)[0]


def test_screen_is_high_contrast(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    v = ClassroomView(flood_comparison())
    qtbot.addWidget(v)
    v.resize(1600, 900)
    v.show()
    qtbot.waitExposed(v)
    v.go_to(1)
    v.reveal_next()
    png = tmp_path / "classroom.png"
    assert v.grab().save(str(png))
    image = QImage(str(png))
    black = white = yellow = 0
    for y in range(0, image.height(), 6):
        for x in range(0, image.width(), 6):
            c = image.pixelColor(x, y)
            black += c.lightness() < 15
            white += c.red() > 240 and c.green() > 240 and c.blue() > 240
            yellow += c.red() > 240 and c.green() > 200 and c.blue() < 110
    total = (image.height() // 6 + 1) * (image.width() // 6 + 1)
    assert black > total * 0.6  # a dark screen
    assert white > 100 and yellow > 100  # white text, yellow outlet names and highlights


def test_command_line_screenshot_from_a_project(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from data.projects.flood_story import flood_sources

    from reader.project.projectfile import new_project, save_project
    from ui.present import main

    project = tmp_path / "flood.parallax"
    save_project(new_project(flood_sources()), project)
    png = tmp_path / "shot.png"
    assert main([str(project), "--screenshot", str(png), "--fake-embedder", "--reveal", "1"]) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1600, 900)
    one = tmp_path / "one.parallax"
    save_project(new_project(flood_sources()[:1]), one)
    assert main([str(one), "--screenshot", str(png), "--fake-embedder"]) == 2
