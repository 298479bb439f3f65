"""A fact one outlet reports alone, where another outlet came near: the empty cell says where to look."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from story import crane_comparison

from reader.facts import build_fact_table
from ui.models import HTML_ROLE, NOT_REPORTED, SILENT_ROLE, AlignedModel


def _model(qtbot, comparison) -> AlignedModel:
    model = AlignedModel()
    model.set_comparison(comparison, build_fact_table(comparison), [a.id for a in comparison.articles], {})
    return model


def test_an_outlet_that_came_near_gets_a_pointer_not_not_reported(qtbot):
    base = crane_comparison()
    # the evening paper's call for an inquiry (fact 5) came closest to the gazette's closed quay (fact 4)
    groups = tuple(dataclasses.replace(g, nearest=("a1.s4",)) if g.id == "g5" else g for g in base.groups)
    model = _model(qtbot, dataclasses.replace(base, groups=groups))
    row = 4  # fact 5, one outlet only
    gazette, wire = model.index(row, 0), model.index(row, 1)
    assert gazette.data(SILENT_ROLE) is True  # still not a match: nothing is joined
    assert gazette.data() == "no match, nearest: fact 4"
    assert "nearest: fact 4" in gazette.data(HTML_ROLE)
    assert "may tell this in other words" in gazette.data(Qt.ItemDataRole.ToolTipRole)
    assert wire.data() == NOT_REPORTED  # the outlet that came nowhere near keeps "not reported"
    assert "does not report" in wire.data(Qt.ItemDataRole.ToolTipRole)
    tip = model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert "Reported by one outlet only, as far as Parallax can tell" in tip
    assert "may tell it in other words: Harbour Gazette (fact 4)" in tip


def test_without_a_near_outlet_the_cells_say_not_reported(qtbot):
    model = _model(qtbot, crane_comparison())
    for column in range(2):
        assert model.index(4, column).data() == NOT_REPORTED
    assert "other words" not in model.headerData(4, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)


def test_a_hidden_outlet_is_not_pointed_to(qtbot):
    base = crane_comparison()
    groups = tuple(dataclasses.replace(g, nearest=("a1.s4",)) if g.id == "g5" else g for g in base.groups)
    comparison = dataclasses.replace(base, groups=groups)
    model = AlignedModel()
    model.set_comparison(comparison, build_fact_table(comparison), ["a2", "a3"], {})  # the gazette hidden
    tip = model.headerData(4, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert "other words" not in tip and tip.count("Reported by one outlet only") == 1


def test_double_clicking_the_pointer_goes_to_that_fact(qtbot, window):
    base = crane_comparison()
    groups = tuple(dataclasses.replace(g, nearest=("a1.s4",)) if g.id == "g5" else g for g in base.groups)
    window.session.adopt(dataclasses.replace(base, groups=groups))
    qtbot.waitUntil(window.panels_ready)
    view = window.aligned
    window.filter.setCurrentIndex(window.filter.findData("all"))
    source = window.model.index(4, 0)  # fact 5, the gazette's empty cell
    index = view.filter.mapFromSource(source)
    assert index.isValid()
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.current_group() == "g4"  # fact 4: where the gazette came closest
    # a cell with text double-clicks as before: nothing jumps
    shared = view.filter.mapFromSource(window.model.index(0, 0))
    view.scrollTo(shared)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(shared).center())
    assert view.current_group() == "g1"
