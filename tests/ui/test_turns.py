"""The UI thread's one queue of small steps, and the panels that use it (issue 19, UI stalls).

Speed itself is measured by bench/bench_ui.py and bench/bench_scale.py, never here: these tests pin
down the behaviour the speed rests on (steps take turns; the reader's row never moves while panes are
made; the table is laid out and measured before its tab comes to the front; a new comparison fills
the panels over several turns and ends complete)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QObject

from reader.model import Comparison, Group


def _articles(n: int, sentences: int = 12):
    from bench.corpus import generated_corpus

    return tuple(generated_corpus(n, sentences))


def _comparison(n: int) -> Comparison:
    arts = _articles(n)
    groups = tuple(Group(f"g{k + 1}", (s.id,), 1.0) for k, s in enumerate(s for a in arts for s in a.sentences))
    return Comparison(arts, groups, (), (), "fake", 0.5)


# --------------------------------------------------------------------------- the queue


def test_steps_take_turns_and_a_step_that_waits_runs_once_a_turn(qtbot) -> None:
    from ui.turns import DONE, LATER, MORE, Turns

    queue, owner = Turns(), QObject()
    calls: list[str] = []
    left = {"a": 3, "b": 3}

    def step(name: str):
        def run() -> int:
            calls.append(name)
            left[name] -= 1
            return MORE if left[name] else DONE
        return run

    def waiting() -> int:
        calls.append("w")
        return LATER

    queue.add(owner, "a", step("a"))
    queue.add(owner, "b", step("b"))
    queue.add(owner, "w", waiting)
    queue._run()  # one turn
    assert calls[:3] == ["a", "b", "w"], "each queued job gets a step before any gets a second"
    assert calls.count("w") == 1, "a step that answered LATER is not called again in the same turn"
    qtbot.waitUntil(lambda: not left["a"] and not left["b"], timeout=5000)
    assert calls.count("a") == calls.count("b") == 3
    assert queue.queued(owner, "w") and not queue.queued(owner, "a")
    queue.discard(owner, "w")
    assert not queue.queued(owner, "w")


def test_a_newer_step_replaces_the_older_and_a_deleted_owner_is_skipped(qtbot) -> None:
    from ui.turns import Turns

    queue, owner, gone = Turns(), QObject(), QObject()
    calls: list[str] = []
    queue.add(owner, "job", lambda: calls.append("old") and False)
    queue.add(owner, "job", lambda: calls.append("new") and False)  # the newer work makes the older moot
    queue.add(gone, "job", lambda: calls.append("gone") and False)
    import shiboken6

    shiboken6.delete(gone)
    queue._run()
    assert calls == ["new"]


# --------------------------------------------------------------------------- the reader


@pytest.mark.timeout(120)
def test_the_readers_row_is_laid_out_once_and_panes_take_their_slots(qtbot, window) -> None:
    reader = window.reader
    window.tabs.setCurrentIndex(1)
    arts = _articles(30)
    reader.set_articles(arts, {})
    QCoreApplication.sendPostedEvents()  # the row's layout request, as the event loop sends it first
    # Before any pane is made, every article already holds its place: the row has its final width.
    assert not reader.panes and len(reader._slots) == 30
    slots = [s.geometry() for s in reader._slots]
    width = reader.widget().width()
    assert len({g.width() for g in slots}) == 1 and width >= slots[-1].right()
    qtbot.waitUntil(lambda: len(reader.panes) == 30, timeout=60_000)
    reader._row.activate()
    assert reader.widget().width() == width, "making panes never changed the row's width"
    assert [p.geometry() for p in reader.panes] == slots, "each pane took its slot's place: nothing moved"
    assert not reader._slots and all(p.article is a for p, a in zip(reader.panes, arts, strict=True))
    # The panes' headers wrap inside their panes, but the row does not ask them their height for a width.
    assert not reader._row.hasHeightForWidth()


# --------------------------------------------------------------------------- the table


def test_row_numbers_are_measured_once_per_change_of_their_text(qtbot, window) -> None:
    window.session.adopt(_comparison(4))
    qtbot.waitUntil(window.panels_ready, timeout=10_000)
    header = window.aligned.verticalHeader()
    hint = header.sizeHint()
    assert header._hint is not None and hint.width() > 0
    window.aligned.resizeRowToContents(0)  # Qt forgets its own hint here; ours stays
    assert header._hint is hint or header._hint == hint
    window.aligned.filter.set_notes({window.model.group_id(0): "check this"})  # the numbers' text changes
    assert header._hint is None
    assert header.sizeHint().width() > hint.width(), "the note mark widens the numbers"


@pytest.mark.timeout(120)
def test_the_table_is_laid_out_and_measured_behind_the_reader_then_shown(qtbot, window, story_files) -> None:
    with qtbot.waitSignal(window.session.articlesChanged, timeout=30_000):
        window.session.add_sources(story_files)
    assert window.tabs.currentIndex() == 1  # the text first, while the facts are lined up
    qtbot.waitUntil(lambda: window.session.comparison is not None, timeout=30_000)
    view = window.aligned
    # Still behind the reader, the table already has the size it will have in front, and measures the
    # rows in view at the columns' real widths.
    assert window.tabs.currentIndex() == 1 or window.panels_ready()
    # (the area the table is given, scroll bars aside: whether they show depends on the rows measured)
    size = view.maximumViewportSize()
    assert size.width() > 300 and size.height() > 100
    qtbot.waitUntil(window.panels_ready, timeout=10_000)
    assert window.tabs.currentIndex() == 0
    assert view.maximumViewportSize() == size, "shown at the size it was laid out for"
    widths = [view.columnWidth(c) for c in range(window.model.columnCount())]
    measured = set(view._measured)
    assert measured, "the rows in view were measured before the tab came to the front"
    qtbot.waitUntil(lambda: not view.sizing, timeout=10_000)
    assert [view.columnWidth(c) for c in range(window.model.columnCount())] == widths
    assert measured <= view._measured, "showing the table kept the rows measured behind the reader"


# --------------------------------------------------------------------------- showing a comparison


@pytest.mark.timeout(120)
def test_a_new_comparison_fills_the_panels_over_several_turns_and_ends_complete(qtbot, window) -> None:
    c = _comparison(12)
    window.session.adopt(c)
    # Nothing but the model reset happens in the turn the comparison arrives.
    assert not window.panels_ready()
    assert window.differences.topLevelItemCount() == 0 and window.reader.comparison is None
    qtbot.waitUntil(window.panels_ready, timeout=30_000)
    assert window.tabs.currentIndex() == 0 and window.aligned.updatesEnabled()
    assert window.differences.topLevelItemCount() == 1  # "no differences found" for this comparison
    assert window.reader.comparison is c and window.reader.table is window.session.table
    qtbot.waitUntil(lambda: len(window.reader.panes) == 12 and not window.reader._pending_render, timeout=30_000)
    assert all(p.comparison_shown for p in window.reader.panes)
