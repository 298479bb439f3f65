"""The window driving the real core with the fake embedder: add, regroup, cancel, hide, rename, paste."""

from __future__ import annotations

import threading

import pytest
from fakes import FakeEmbedder
from PySide6.QtCore import Qt


def _compare(qtbot, window, start):
    with qtbot.waitSignal(
        window.session.comparisonChanged,
        timeout=30_000,
        check_params_cb=lambda *a: window.session.comparison is not None,
    ):
        start()
    qtbot.waitUntil(lambda: not window.session.busy, timeout=30_000)
    return window.session.comparison


def test_add_files_shows_text_then_the_comparison(qtbot, window, story_files):
    with qtbot.waitSignal(window.session.articlesChanged, timeout=30_000):
        window.session.add_sources(story_files)
    # The text is on screen before alignment: every article has its place in the reader at once, and
    # its pane on the next turns of the UI thread's queue.
    assert len(window.reader._slots) + len(window.reader.panes) == 3
    qtbot.waitUntil(lambda: len(window.reader.panes) == 3, timeout=5000)
    qtbot.waitUntil(lambda: window.session.comparison is not None and not window.session.busy, timeout=30_000)
    assert window.sources.tree.topLevelItemCount() == 3
    assert window.model.columnCount() == 3
    assert {window.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)} == {
        "Harbour Gazette",
        "Coastal Wire",
        "Saltmere Evening News",
    }
    assert window.model.rowCount() >= 4
    # The table is painted a turn later, then shown on its tab and painting again.
    qtbot.waitUntil(window.panels_ready, timeout=5000)
    assert window.tabs.currentIndex() == 0
    assert window.aligned.updatesEnabled() and window.aligned.viewport().updatesEnabled()


def test_slider_regroups_without_re_embedding(qtbot, window, story_files, fake_embedder):
    _compare(qtbot, window, lambda: window.session.add_sources(story_files))
    calls = list(fake_embedder.calls)
    seen = {}
    for value in (0, 100):
        c = _compare(qtbot, window, lambda v=value: window.slider.setValue(v))
        assert c.strictness == value / 100
        seen[value] = c.groups
    assert seen[0] != seen[100]
    assert fake_embedder.calls == calls


def test_regrouping_again_and_again_leaves_nothing_behind_in_the_frozen_heap(qtbot, window, story_files):
    """The window freezes the heap after each comparison (gc.freeze, against collector pauses): what
    a replaced comparison leaves must still be freed, or every slider move would leak."""
    import gc

    _compare(qtbot, window, lambda: window.session.add_sources(story_files))
    counts = []
    for k in range(12):
        _compare(qtbot, window, lambda v=k: window.slider.setValue(20 + 60 * (v % 2)))
        qtbot.waitUntil(window.panels_ready)
        counts.append(gc.get_freeze_count())
    assert max(counts[4:]) - min(counts[4:]) < 2_000, counts  # steady, not growing by a comparison a move
    assert counts[-1] - counts[3] < 1_000, counts


class GatedEmbedder(FakeEmbedder):
    """A real (fake) embedder that waits at a gate, so a test can press Cancel mid-way."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.gate = threading.Event()

    def encode(self, texts):
        self.entered.set()
        self.gate.wait(30)
        return super().encode(texts)


def test_cancel_stops_a_running_comparison_and_keeps_the_articles(qtbot, story_files):
    from ui.mainwindow import MainWindow

    slow = GatedEmbedder()
    window = MainWindow(lambda: slow, remember=False)
    qtbot.addWidget(window)
    window.show()
    window.session.add_sources(story_files)
    qtbot.waitUntil(slow.entered.is_set, timeout=30_000)
    assert window.cancel_button.isVisible()
    with qtbot.waitSignal(window.session.cancelled, timeout=30_000):
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
        slow.gate.set()
    qtbot.waitUntil(lambda: not window.session.busy, timeout=30_000)
    assert window.session.comparison is None
    assert len(window.session.entries) == 3 and len(window.reader.panes) == 3
    assert "Stopped" in window.message.text()
    window.session.shutdown()


def test_hide_outlet_leaves_it_out_without_losing_it(qtbot, window, story_files):
    _compare(qtbot, window, lambda: window.session.add_sources(story_files))
    item = window.sources.tree.topLevelItem(2)
    c = _compare(qtbot, window, lambda: item.setCheckState(0, Qt.CheckState.Unchecked))
    assert len(c.articles) == 2 and window.model.columnCount() == 2
    assert window.sources.tree.topLevelItemCount() == 3
    c = _compare(qtbot, window, lambda: window.sources.tree.topLevelItem(2).setCheckState(0, Qt.CheckState.Checked))
    assert len(c.articles) == 3


def test_rename_outlet_keeps_the_embeddings(qtbot, window, story_files, fake_embedder):
    _compare(qtbot, window, lambda: window.session.add_sources(story_files))
    calls = list(fake_embedder.calls)
    first = window.session.entries[0].article.id
    c = _compare(qtbot, window, lambda: window.session.rename(first, "Gazette of the Harbour"))
    assert c.articles[0].outlet == "Gazette of the Harbour"
    assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Gazette of the Harbour"
    assert window.sources.tree.topLevelItem(0).text(0) == "Gazette of the Harbour"
    assert fake_embedder.calls == calls


def test_reorder_moves_the_column(qtbot, window, story_files):
    _compare(qtbot, window, lambda: window.session.add_sources(story_files))
    first = window.model.headerData(0, Qt.Orientation.Horizontal)
    window.sources.tree.setCurrentItem(window.sources.tree.topLevelItem(0))
    qtbot.mouseClick(window.sources.buttons["down"], Qt.MouseButton.LeftButton)
    assert window.model.headerData(1, Qt.Orientation.Horizontal) == first


def test_pasted_article_joins_the_comparison(qtbot, window, story_files):
    _compare(qtbot, window, lambda: window.session.add_sources(story_files[:2]))
    text = "Crane accident in Saltmere\n\nA crane collapsed at Saltmere port on Friday, injuring five workers."
    c = _compare(qtbot, window, lambda: window.add_pasted(text, "Radio Saltmere"))
    assert "Radio Saltmere" in {a.outlet for a in c.articles}


@pytest.mark.parametrize("count", [1])
def test_one_article_asks_for_another(qtbot, window, story_files, count):
    with qtbot.waitSignal(window.session.articlesChanged, timeout=30_000):
        window.session.add_sources(story_files[:count])
    qtbot.waitUntil(lambda: not window.session.busy, timeout=30_000)
    assert window.session.comparison is None
    assert "at least one more" in window.message.text()


def test_a_flood_of_progress_reaches_the_ui_thread_coalesced_and_ends_on_the_newest(qtbot):
    """A step reporting faster than the UI thread takes reports must not queue one call per report
    (each waits for the interpreter lock while the worker runs): the UI thread gets a few, in order,
    and always the last one."""
    from reader.progress import Progress
    from ui.worker import Job

    release = threading.Event()

    def work(progress, cancel):
        progress(Progress("load", 0, 5000, "first"))
        release.wait(5)  # the UI thread is busy elsewhere while the rest arrive
        for i in range(1, 5001):
            progress(Progress("load", i, 5000, f"item {i}"))
        return "done"

    seen: list[int] = []
    job = Job(work, "flood")
    job.progressed.connect(lambda p: seen.append(p.done))
    with qtbot.waitSignal(job.finished, timeout=10_000):
        job.start()
        qtbot.wait(20)
        release.set()
    job.wait()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] == 5000, timeout=5000)
    qtbot.wait(50)
    assert seen[-1] == 5000
    assert seen == sorted(seen)
    assert len(seen) < 100, f"{len(seen)} separate deliveries for 5001 reports"


def test_full_collections_wait_while_jobs_run_and_the_survivors_are_frozen_after(qtbot):
    """A full collection walks every object a job has made, holding the interpreter lock (92 ms at
    200 articles): none may start while a job runs, and once the last job has finished what it left
    alive is frozen (so the next full collection does not walk it) and the thresholds are back."""
    import gc

    from ui.worker import Job, full_collections

    qtbot.waitUntil(lambda: not full_collections.held, timeout=30_000)  # another test's job, still ending
    before = gc.get_threshold()
    seen: dict[str, object] = {}
    gate = threading.Event()

    def work(progress, cancel):
        seen["threshold"] = gc.get_threshold()
        full = []
        callback = lambda phase, info: phase == "stop" and info["generation"] == 2 and full.append(1)  # noqa: E731
        gc.callbacks.append(callback)
        try:
            kept = [[object()] for _ in range(300_000)]  # enough young survivors for several full collections
        finally:
            gc.callbacks.remove(callback)
        seen["full"] = len(full)
        gate.wait(5)
        return kept

    other_gate = threading.Event()
    other = Job(lambda progress, cancel: other_gate.wait(5), "other")
    job = Job(work, "alloc")
    results: list[object] = []
    ended: list[str] = []
    job.succeeded.connect(results.append)
    job.finished.connect(lambda: ended.append("alloc"))
    other.finished.connect(lambda: ended.append("other"))
    frozen = gc.get_freeze_count()
    other.start()
    job.start()
    gate.set()
    qtbot.waitUntil(lambda: ended == ["alloc"], timeout=10_000)
    assert seen["threshold"][2] > 1_000_000 and seen["full"] == 0
    assert results and gc.get_threshold()[2] > 1_000_000, "one job ended while another still runs: still held"
    other_gate.set()
    qtbot.waitUntil(lambda: ended == ["alloc", "other"], timeout=10_000)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() - frozen >= 250_000  # the result (300,001 lists), frozen as it arrived
    other.wait()
    job.wait()


def test_a_reopened_story_reads_its_kept_comparison_and_regroups_from_the_kept_vectors(qtbot, story_files, tmp_path):
    """The app keeps finished comparisons: a second window on the same files shows the same comparison without
    asking the model or aligning again, and its first slider move makes the alignment from the stored vectors."""
    from reader.embedding.cache import CachedEmbedder
    from ui.mainwindow import MainWindow

    fake = FakeEmbedder()
    shown = []
    for _ in range(2):
        w = MainWindow(lambda: CachedEmbedder(fake, folder=tmp_path / "vectors"), remember=False)
        qtbot.addWidget(w)
        w.session.keep_comparisons = True
        calls = list(fake.calls)
        shown.append(_compare(qtbot, w, lambda w=w: w.session.add_sources(story_files)))
        made_again = w.session.basis is not None
        w.session.shutdown()
    assert fake.calls == calls  # the second window's vectors all came from the disk cache
    assert not made_again  # read back, not aligned again
    assert shown[1] == shown[0]
    regrouped = _compare(qtbot, w, lambda: w.slider.setValue(90))
    assert regrouped.strictness == 0.9 and w.session.basis is not None
    assert fake.calls == calls
    w.session.shutdown()
