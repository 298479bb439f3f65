"""The window on a hand-made comparison: navigation, filters, panels, search, error dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.models import NOT_REPORTED, SILENT_ROLE


def _rows(window) -> list[str]:
    f = window.aligned.filter
    return [window.model.group_id(f.mapToSource(f.index(r, 0)).row()) for r in range(f.rowCount())]


def test_one_column_per_outlet_and_silent_cells(story_window):
    m = story_window.model
    assert m.columnCount() == 3 and m.rowCount() == 5
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Harbour Gazette",
        "Coastal Wire",
        "Saltmere Evening News",
    ]
    silent = m.index(1, 2)  # the evening paper does not report the injuries
    assert silent.data(SILENT_ROLE) is True and silent.data() == NOT_REPORTED
    assert "does not report" in silent.data(Qt.ItemDataRole.ToolTipRole)


def test_cells_mark_differing_words_and_figures(story_window):
    from ui.models import HTML_ROLE

    html = story_window.model.index(1, 1).data(HTML_ROLE)
    assert "text-decoration:underline" in html  # differing words: underline, not colour alone
    assert "Six" in html


def test_filters(story_window):
    combo = story_window.filter
    combo.setCurrentIndex(combo.findData("differences"))
    assert _rows(story_window) == ["g2", "g3"]
    combo.setCurrentIndex(combo.findData("single"))
    assert _rows(story_window) == ["g4", "g5"]
    combo.setCurrentIndex(combo.findData("all"))
    assert len(_rows(story_window)) == 5
    combo.setCurrentIndex(combo.findData("shared"))
    assert _rows(story_window) == ["g1", "g2", "g3"]


def test_f3_and_shift_f3_step_through_differences(qtbot, story_window):
    story_window.aligned.setFocus()
    qtbot.keyClick(story_window.aligned, Qt.Key.Key_F3)
    assert story_window.aligned.current_group() == "g2"
    qtbot.keyClick(story_window.aligned, Qt.Key.Key_F3)
    assert story_window.aligned.current_group() == "g3"
    qtbot.keyClick(story_window.aligned, Qt.Key.Key_F3)  # a second difference in the same fact
    assert story_window.aligned.current_group() == "g3"
    assert story_window.differences.currentItem().text(0).startswith("Fact 3: Tomas Reyes")
    qtbot.keyClick(story_window.aligned, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(story_window.aligned, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert story_window.aligned.current_group() == "g2"


def test_n_and_p_keys(qtbot, story_window):
    story_window.aligned.setFocus()
    qtbot.keyClick(story_window.aligned, Qt.Key.Key_N)
    qtbot.keyClick(story_window.aligned, Qt.Key.Key_N)
    assert story_window.aligned.current_group() == "g3"
    qtbot.keyClick(story_window.aligned, Qt.Key.Key_P)
    assert story_window.aligned.current_group() == "g2"


def test_clicking_a_difference_selects_its_row(qtbot, story_window):
    tree = story_window.differences
    item = next(
        tree.topLevelItem(i).child(j)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
        if "Tomas Reyes" in tree.topLevelItem(i).child(j).text(0)
    )
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    assert story_window.aligned.current_group() == "g3"
    assert "a1.s3" in story_window.reader.focus and "a2.s3" in story_window.reader.focus


def test_a_difference_hidden_by_a_filter_still_opens(qtbot, story_window):
    story_window.filter.setCurrentIndex(story_window.filter.findData("single"))
    story_window.next_difference()
    assert story_window.aligned.current_group() == "g2"
    assert story_window.filter.currentData() == "all"


def test_overview_click_jumps(qtbot, story_window):
    strip = story_window.overview
    y = int(strip.height() * 4.5 / 5)  # the last of five rows
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(5, y))
    assert story_window.aligned.current_group() == "g5"


def test_reader_sentence_click_lights_counterparts(story_window):
    story_window.tabs.setCurrentIndex(1)
    story_window.reader.focus_sentence("a2.s2")
    assert story_window.reader.focus == frozenset({"a1.s2", "a2.s2"})
    assert story_window.aligned.current_group() == "g2"


def test_search_filters_rows_marks_matches_and_counts_hits(story_window):
    from ui.models import HTML_ROLE

    story_window.search.setText("inspect")
    assert _rows(story_window) == ["g3"]
    assert "2 matches in the articles, in 1 fact." in story_window.message.text()
    row = story_window.model.row_of_group("g3")
    marked = story_window.model.index(row, 0).data(HTML_ROLE)
    assert "overline" in marked and ">inspect</span>" in marked  # the match is marked in the cell, its own way
    story_window.search.clear()
    assert _rows(story_window) == ["g1", "g2", "g3"]  # back to the facts several outlets tell
    assert "overline" not in story_window.model.index(row, 0).data(HTML_ROLE)
    assert "“inspect”" not in story_window.message.text()


def test_search_says_when_the_filter_hides_every_match(story_window):
    story_window.filter.setCurrentIndex(story_window.filter.findData("differences"))
    story_window.search.setText("union")  # only in the evening paper's lone fact
    assert _rows(story_window) == []
    text = story_window.message.text()
    assert "in 1 fact; 0 shown, 1 hidden by the filter" in text and "Alt+4" in text
    story_window.filter.setCurrentIndex(story_window.filter.findData("all"))  # the line follows the filter
    assert _rows(story_window) == ["g5"] and "hidden" not in story_window.message.text()


def test_error_dialog_is_human_and_keeps_what_was_loaded(qtbot, story_window, tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02\xff" * 200)
    before = [e.article.id for e in story_window.session.entries]
    with qtbot.waitSignal(story_window.errorShown, timeout=10_000) as blocker:
        story_window.session.add_sources([str(bad)])
    assert "broken.txt" in blocker.args[0] and "Traceback" not in blocker.args[0]
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and boxes[-1].objectName() == "errorDialog"
    assert [e.article.id for e in story_window.session.entries] == before
    assert story_window.model.rowCount() == 5
    boxes[-1].close()


def test_about_names_the_model():
    from ui.dialogs import about_text

    assert "all-MiniLM-L6-v2" in about_text("all-MiniLM-L6-v2")


@pytest.mark.parametrize("outlets", [3, 60])  # a lane per outlet with marks; one pixel per cell when dense
def test_overview_paints_each_reported_fact_in_its_outlets_lane(qtbot, window, outlets):
    from bench.corpus import generated_corpus
    from reader.model import Comparison, Group
    from ui.theme import outlet_colour

    articles = tuple(generated_corpus(outlets, 2))
    groups = tuple(Group(f"g{k + 1}", (s.id,), 1.0) for k, s in enumerate(s for a in articles for s in a.sentences))
    window.session.adopt(Comparison(articles, groups, (), (), "fake", 0.5))
    qtbot.waitUntil(window.panels_ready)
    strip = window.overview
    image = strip.grab().toImage()
    rows, step = len(groups), min(17, (strip.width() - 3) / outlets)
    gap = 3 if step > 6 else 1
    base = strip.palette().color(QPalette.ColorRole.Base).name()
    for row in (0, rows // 2, rows - 1):
        y = int((row + 0.5) * strip.height() / rows)
        mine = int(groups[row].sentences[0].split(".")[0][1:]) - 1  # article ids are a1, a2, ...
        x_of = lambda col: int(gap + (col + 0.4) * step)  # noqa: E731
        shade = image.pixelColor(x_of(mine), y)
        expected = outlet_colour(window.model.colour_of.get(articles[mine].id, mine))
        assert shade.name() != base and abs(shade.hue() - expected.hue()) <= 12, (row, shade.name())
        other = (mine + 1) % outlets
        assert image.pixelColor(x_of(other), y).name() != shade.name()  # a silent outlet's lane stays empty


def test_a_fact_told_in_two_sentences_by_one_outlet_is_one_cell(qtbot, window):
    """The aligner may give one outlet several sentences in a fact: one cell, both sentences, each one's marks."""
    from dataclasses import replace

    from story import crane_comparison

    from reader.model import Discrepancy, Group, Span
    from ui.models import HTML_ROLE, SENTENCES_ROLE

    c = crane_comparison()
    second = c.sentence("a1.s4")  # "The east quay will stay closed for ten days."
    groups = (Group("g3", ("a1.s3", "a2.s3", "a1.s4"), 0.7), *(g for g in c.groups if g.id not in ("g3", "g4")))
    disputed = Discrepancy("d9", "figure", "g3", "ten days vs not said", (Span("a1.s4", "ten days", 35, 43),))
    assert second.text[35:43] == "ten days"
    window.session.adopt(replace(c, groups=groups, discrepancies=(disputed,)))
    qtbot.waitUntil(window.panels_ready)
    row = window.model.row_of_group("g3")
    cell = window.model.index(row, 0)
    assert cell.data(SENTENCES_ROLE) == ("a1.s3", "a1.s4")
    assert cell.data() == f"{c.sentence('a1.s3').text} {second.text}"
    html = cell.data(HTML_ROLE)
    assert ">ten days</span>" in html and "background-color" in html.split(">ten days</span>")[0].rsplit("<span", 1)[1]
    window.reader.focus_sentence("a1.s4", emit=False)
    assert window.reader.focus == {"a1.s3", "a1.s4", "a2.s3"}


def test_reader_search_hits_have_their_own_colour_not_the_differs_tint(qtbot, story_window):
    from PySide6.QtGui import QColor

    from ui.theme import marks

    story_window.tabs.setCurrentIndex(1)
    reader = story_window.reader
    qtbot.waitUntil(lambda: all(p.laid_out for p in reader.panes), timeout=10_000)
    assert reader.search("crane") > 0
    selections = [s for p in reader.panes for s in p.browser.extraSelections()]
    assert selections
    colours = {s.format.background().color().name() for s in selections}
    assert colours == {QColor(marks().search_bg).name()} and QColor(marks().changed_bg).name() not in colours


def test_search_folds_typography_like_the_core(qtbot, window):
    """Typing a straight apostrophe or a hyphen finds the curly one and the en dash, in the table and the reader."""
    from data.projects.flood_story import make_article

    from reader.model import Comparison, Group
    from ui.models import HTML_ROLE

    a1 = make_article("a1", "Valley Post", "Mill fire", [["The owner said she didn’t know about the 2–3 a.m. alarm."]])
    a2 = make_article("a2", "River Wire", "Fire at mill", [["The owner didn’t hear the alarm, she said."]])
    window.session.adopt(Comparison((a1, a2), (Group("g1", ("a1.s1", "a2.s1"), 0.9),), (), (), "m", 0.5))
    qtbot.waitUntil(window.panels_ready)
    window.search.setText("didn't")
    assert _rows(window) == ["g1"]
    assert "overline" in window.model.index(0, 0).data(HTML_ROLE)
    window.search.setText("2-3 A.M.")
    assert _rows(window) == ["g1"]
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: all(p.laid_out for p in window.reader.panes), timeout=10_000)
    assert window.reader.search("didn't") == 2
