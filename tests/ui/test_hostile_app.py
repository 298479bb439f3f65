"""The real window against hostile input: errors shown in plain words, nothing loaded is lost,
Cancel leaves the app usable, and article text is always shown as text, never run as markup."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

CORE = Path(__file__).resolve().parents[1] / "core"
sys.path.insert(0, str(CORE))  # the hostile corpus lives with the core tests

from hostile import CASES, QUAKE_A, QUAKE_B, case, write_case  # noqa: E402
from story import article  # noqa: E402

from reader.model import Comparison, Discrepancy, Group, Span  # noqa: E402
from ui.models import HTML_ROLE  # noqa: E402

ERRORS = [c for c in CASES if c.expect == "error" and not c.big]
HOSTILE_TEXT = (
    'Police said the page showed <script>alert("owned")</script> before it was taken down.',
    'A banner read <img src="http://203.0.113.9/pixel.png" onerror="alert(1)"> on the council site.',
    'Officials said <iframe src="http://203.0.113.9/"></iframe> had been embedded by the attackers.',
    "Engineers counted 12 damaged buildings & 3 bridges <b>closed</b> on Monday.",
)
TAGS = ("<script", "<img", "<iframe", "<b>")


def _visible_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def _close_boxes() -> None:
    for box in _visible_boxes():
        box.close()


def _shows_literally(label: QLabel, needle: str) -> bool:
    """Would ``label`` show ``needle`` as the characters it is (not as markup)?"""
    if needle not in label.text() and needle.replace("<", "&lt;") not in label.text():
        return True  # not shown here at all
    plain = label.textFormat() == Qt.TextFormat.PlainText or (
        label.textFormat() == Qt.TextFormat.AutoText and not QtGui.Qt.mightBeRichText(label.text())
    )
    if plain:
        return needle in label.text()
    doc = QTextDocument()
    doc.setHtml(label.text())
    return needle in doc.toPlainText()


# --------------------------------------------------------------------------- errors keep what is loaded


@pytest.mark.timeout(120)
@pytest.mark.parametrize("c", ERRORS, ids=[c.name for c in ERRORS])
def test_hostile_file_shows_one_error_and_keeps_the_comparison(qtbot, story_window, tmp_path: Path, c) -> None:
    bad = write_case(tmp_path, c)
    before = [e.article for e in story_window.session.entries]
    rows = story_window.model.rowCount()
    with qtbot.waitSignal(story_window.errorShown, timeout=60_000) as blocker:
        story_window.session.add_sources([str(bad)])
    message = blocker.args[0]
    assert c.name in message and "Traceback" not in message and len(message.splitlines()) == 1
    assert _visible_boxes() and _visible_boxes()[-1].objectName() == "errorDialog"
    assert [e.article for e in story_window.session.entries] == before
    assert story_window.model.rowCount() == rows and story_window.session.comparison is not None
    qtbot.waitUntil(lambda: not story_window.session.busy, timeout=30_000)
    _close_boxes()


@pytest.mark.timeout(120)
def test_dropping_good_and_hostile_files_together_keeps_the_good_ones(qtbot, window, tmp_path: Path) -> None:
    good_a, good_b = tmp_path / "post.txt", tmp_path / "wire.txt"
    good_a.write_text(QUAKE_A, encoding="utf-8")
    good_b.write_text(QUAKE_B, encoding="utf-8")
    bad = [write_case(tmp_path, case(n)) for n in ("binary.txt", "empty.txt", "navigation-only.html")]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (good_a, bad[0], good_b, bad[1], bad[2])])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignals([window.errorShown, window.session.comparisonChanged], timeout=60_000, order="none"):
        window.dropEvent(event)
    qtbot.waitUntil(lambda: window.session.comparison is not None, timeout=60_000)
    assert [Path(str(e.source)).name for e in window.session.entries] == ["post.txt", "wire.txt"]
    assert window.model.rowCount() > 0
    box = _visible_boxes()[-1]
    listed = box.informativeText()
    assert all(p.name in listed for p in bad) and "Traceback" not in listed
    qtbot.waitUntil(lambda: not window.session.busy, timeout=30_000)
    _close_boxes()


@pytest.mark.timeout(60)
def test_error_about_a_file_named_like_markup_shows_the_name_literally(qtbot, story_window, tmp_path: Path) -> None:
    name = "<h1>BIG<img src=x>.txt"
    bad = tmp_path / name
    bad.write_bytes(b"")
    with qtbot.waitSignal(story_window.errorShown, timeout=30_000):
        story_window.session.add_sources([str(bad)])
    labels = [story_window.message, *(lab for box in _visible_boxes() for lab in box.findChildren(QLabel))]
    for label in labels:
        assert _shows_literally(label, name), f"{label.objectName()!r} renders {label.text()!r} as markup"
    qtbot.waitUntil(lambda: not story_window.session.busy, timeout=30_000)
    _close_boxes()


# --------------------------------------------------------------------------- cancel


class SlowFake:
    """The fake embedder at the real model's pace (about 64 sentences a twentieth of a second)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name

    def encode(self, texts):
        time.sleep(0.05)
        return self.inner.encode(texts)


@pytest.mark.timeout(300)
def test_cancel_during_a_large_comparison_leaves_the_app_usable(qtbot, tmp_path: Path, fake_embedder) -> None:
    from bench.corpus import generated_corpus
    from ui.mainwindow import MainWindow

    w = MainWindow(lambda: SlowFake(fake_embedder), remember=False)
    qtbot.addWidget(w)
    w.show()
    try:
        paths = []
        for a in generated_corpus(40, 30):
            p = tmp_path / f"{a.id}.txt"
            p.write_text(f"Generated report {a.id} on the regional crisis\n\n{a.body}\n", encoding="utf-8")
            paths.append(str(p))
        embedding = []
        w.session.progressed.connect(lambda p: embedding.append(p) if p.stage == "embed" else None)
        w.session.add_sources(paths)
        qtbot.waitUntil(lambda: len(embedding) >= 2, timeout=120_000)
        with qtbot.waitSignal(w.session.cancelled, timeout=60_000):
            w.cancel_button.click()
        qtbot.waitUntil(lambda: not w.session.busy, timeout=60_000)
        assert len(w.session.entries) == 40, "Cancel keeps every article already loaded"
        assert "Stopped" in w.message.text()
        # Usable: the next change starts a fresh comparison that finishes.
        w.session.remove(w.session.entries[-1].article.id)
        qtbot.waitUntil(lambda: w.session.comparison is not None, timeout=240_000)
        assert len(w.session.comparison.articles) == 39
    finally:
        w.session.shutdown()


# --------------------------------------------------------------------------- article text is text


def hostile_comparison() -> Comparison:
    a1 = article(
        "a1", "Coastal <b>Post</b>", "Hack <img src=x> at council", [list(HOSTILE_TEXT[:2]), [HOSTILE_TEXT[2]]]
    )
    a2 = article("a2", "Wire", "Council site defaced", [[HOSTILE_TEXT[0], HOSTILE_TEXT[3]], [HOSTILE_TEXT[1]]])
    groups = (
        Group("g1", ("a1.s1", "a2.s1"), 0.9),
        Group("g2", ("a1.s2", "a2.s3"), 0.8),
        Group("g3", ("a1.s3",), 1.0),
        Group("g4", ("a2.s2",), 1.0),
    )
    s1 = a1.sentence("a1.s2")
    s2 = a2.sentence("a2.s3")
    tag1, tag2 = s1.text.index("<img"), s2.text.index("<img")
    values = (
        Span("a1.s2", s1.text[tag1 : tag1 + 40], tag1, tag1 + 40),
        Span("a2.s3", s2.text[tag2 : tag2 + 35], tag2, tag2 + 35),
    )
    disc = Discrepancy(
        "d1",
        "wording",
        "g2",
        "<script>alert(2)</script> vs <iframe src=x>",
        values,
        ("Coastal <b>Post</b>", "Wire"),
        "<i>detail</i>",
    )
    return Comparison((a1, a2), groups, (disc,), (), "fake", 0.5)


def test_aligned_cells_show_article_markup_as_text(qtbot, window) -> None:
    c = hostile_comparison()
    window.session.adopt(c)
    model = window.model
    assert model.rowCount() == 4
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            sids = [
                s
                for g in c.groups
                if g.id == model.group_id(row)
                for s in g.sentences
                if c.article_of(s).id == model.columns[col]
            ]
            if not sids:
                continue
            expected = " ".join(c.sentence(s).text for s in sids)
            assert model.data(index, Qt.ItemDataRole.DisplayRole).split() == expected.split()
            doc = QTextDocument()
            doc.setHtml(model.data(index, HTML_ROLE))
            assert doc.toPlainText().split() == expected.split(), "the cell lost or ran some of the text"
            images = [f for f in doc.allFormats() if f.isImageFormat() and QTextImageFormat(f).name()]
            assert not images, "an article's <img> became an image to load"


def test_tooltips_never_carry_article_markup(qtbot, window) -> None:
    window.session.adopt(hostile_comparison())
    model = window.model
    tips = [
        model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) for i in range(model.columnCount())
    ]
    tips += [model.headerData(i, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole) for i in range(model.rowCount())]
    tips += [
        model.data(model.index(r, c), Qt.ItemDataRole.ToolTipRole)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]
    tree = window.differences
    tips += [
        tree.topLevelItem(i).child(j).toolTip(0)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
    ]
    for tip in filter(None, tips):
        if QtGui.Qt.mightBeRichText(tip):
            doc = QTextDocument()
            doc.setHtml(tip)
            shown = doc.toPlainText()
            assert not any(tag in tip and tag not in shown for tag in TAGS), f"tooltip renders markup: {tip!r}"


def test_differences_panel_shows_summaries_literally(qtbot, window) -> None:
    window.session.adopt(hostile_comparison())
    qtbot.waitUntil(window.panels_ready)
    tree = window.differences
    items = [
        tree.topLevelItem(i).child(j)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
    ]
    assert items
    for item in items:
        markup = item.data(0, HTML_ROLE)
        if markup:
            doc = QTextDocument()
            doc.setHtml(markup)
            assert "<script>alert(2)</script>" in doc.toPlainText()


def test_reader_view_shows_article_markup_as_text(qtbot, window) -> None:
    c = hostile_comparison()
    with qtbot.waitSignal(window.reader.filled, timeout=30_000):
        window.session.adopt(c)
    window.tabs.setCurrentIndex(1)  # articles are laid out when they come into view
    qtbot.waitUntil(lambda: all(p.browser.toPlainText().strip() for p in window.reader.panes), timeout=30_000)
    for pane, art in zip(window.reader.panes, c.articles, strict=True):
        shown = pane.browser.toPlainText()
        for s in art.sentences:
            assert s.text in shown.replace("\u2029", "\n"), s.text
        for label in pane.findChildren(QLabel):
            for needle in (art.outlet, art.title):
                assert _shows_literally(label, needle)
        doc = pane.browser.document()
        assert not [f for f in doc.allFormats() if f.isImageFormat()], "an article's <img> became an image"


def _many_articles_comparison(n: int = 40) -> Comparison:
    from bench.corpus import generated_corpus

    arts = tuple(generated_corpus(n, 30))
    groups = tuple(Group(f"g{k + 1}", (s.id,), 1.0) for k, s in enumerate(s for a in arts for s in a.sentences))
    return Comparison(arts, groups, (), (), "fake", 0.5)


@pytest.mark.timeout(120)
def test_replacing_the_articles_while_the_reader_is_still_laying_out(qtbot, window) -> None:
    c = _many_articles_comparison()
    window.session.adopt(c)
    assert window.reader._pending_render or window.reader._queue, "the layout is time-sliced"
    window.session.adopt(c)  # a project opened, or a source removed, before the first layout finished
    qtbot.waitUntil(lambda: not window.reader._pending_render and not window.reader._queue, timeout=60_000)
    qtbot.wait(300)
    assert len(window.reader.panes) == 40


def test_thousands_of_differences_fill_the_panel_in_batches(qtbot, window) -> None:
    base = _many_articles_comparison(40)
    sentences = [s for a in base.articles for s in a.sentences]
    discs = tuple(
        Discrepancy(f"d{k}", "wording", base.groups[k % len(base.groups)].id, f"Wording differs, case {k}",
                    (Span(s.id, s.text[:5], 0, 5),))
        for k, s in ((k, sentences[k % len(sentences)]) for k in range(3000))
    )
    c = Comparison(base.articles, base.groups, discs, (), "fake", 0.5)
    panel = window.differences
    panel.set_comparison(c, {g.id: i for i, g in enumerate(c.groups)})
    assert panel.filling, "3,000 entries are made over several turns of the event loop"
    assert not panel._items, "the headings at once, the entries on the UI thread's queue"
    qtbot.waitUntil(lambda: len(panel._items) > 0, timeout=10_000)
    assert len(panel._items) < 3000 and panel.filling
    panel.select_discrepancy("d2999")  # navigation to one not made yet makes the rest at once
    assert not panel.filling and panel.current_discrepancy() == "d2999"
    assert sum(panel.topLevelItem(i).childCount() for i in range(panel.topLevelItemCount())) == 3000


@pytest.mark.timeout(120)
def test_forty_articles_are_laid_out_only_as_they_come_into_view(qtbot, window) -> None:
    c = _many_articles_comparison()
    window.session.adopt(c)
    window.tabs.setCurrentIndex(1)
    reader = window.reader
    qtbot.waitUntil(lambda: len(reader.panes) == 40 and not reader.pending_layout(), timeout=60_000)
    laid = [p for p in reader.panes if p.laid_out]
    assert 0 < len(laid) < 20, "only the panes in view (and half a screen beside) are laid out"
    assert all(p.browser.toPlainText().strip() for p in laid)
    assert not any(p.browser.toPlainText().strip() for p in reader.panes if not p.laid_out)

    # Search counts what is in every article, laid out or not, the same way.
    needle = c.articles[-1].sentences[0].text.split()[1]
    before = reader.search(needle)
    assert before > 0
    bar = reader.horizontalScrollBar()
    # The scroll range takes in the last batch of panes a turn after they are made (a posted layout request).
    qtbot.waitUntil(lambda: bar.maximum() + reader.viewport().width() > reader.panes[-1].geometry().right())
    bar.setValue(bar.maximum())  # the person scrolls to the last outlet
    qtbot.waitUntil(lambda: reader.panes[-1].laid_out and not reader.pending_layout(), timeout=30_000)
    assert c.articles[-1].sentences[0].text in reader.panes[-1].browser.toPlainText()
    assert reader.search(needle) == before


# --------------------------------------------------------------------------- addresses and huge files


@pytest.fixture(scope="module")
def hostile_server():
    from localserver import serve
    from test_hostile_inputs import _Hostile

    with serve(_Hostile) as url:
        yield url


@pytest.mark.timeout(120)
def test_hostile_addresses_show_errors_and_keep_the_comparison(qtbot, story_window, hostile_server) -> None:
    before = [e.article for e in story_window.session.entries]
    urls = [hostile_server + p for p in ("/forever/0", "/endless", "/binary", "/to-file")]
    with qtbot.waitSignal(story_window.errorShown, timeout=90_000) as blocker:
        story_window.session.add_sources(urls)
    lines = blocker.args[0].splitlines()
    assert len(lines) == len(urls) and all("127.0.0.1" in line for line in lines)
    assert "Traceback" not in blocker.args[0]
    assert [e.article for e in story_window.session.entries] == before
    qtbot.waitUntil(lambda: not story_window.session.busy, timeout=30_000)
    _close_boxes()


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_50_mb_file_shows_an_error_and_keeps_the_comparison(qtbot, story_window, tmp_path: Path) -> None:
    bad = write_case(tmp_path, case("50mb.txt"))
    before = [e.article for e in story_window.session.entries]
    with qtbot.waitSignal(story_window.errorShown, timeout=120_000) as blocker:
        story_window.session.add_sources([str(bad)])
    assert "50mb.txt" in blocker.args[0] and len(blocker.args[0].splitlines()) == 1
    assert [e.article for e in story_window.session.entries] == before
    qtbot.waitUntil(lambda: not story_window.session.busy, timeout=30_000)
    _close_boxes()


@pytest.mark.timeout(60)
def test_pasting_nothing_or_markup_keeps_the_window_whole(qtbot, story_window) -> None:
    before = [e.article for e in story_window.session.entries]
    with qtbot.waitSignal(story_window.errorShown, timeout=10_000) as blocker:
        story_window.add_pasted(" \n\t \n", "Evening <b>Star</b>")
    assert len(blocker.args[0].splitlines()) == 1
    assert [e.article for e in story_window.session.entries] == before
    _close_boxes()
    with qtbot.waitSignal(story_window.session.articlesChanged, timeout=30_000):
        story_window.add_pasted(PASTED, "Evening <b>Star</b>")
    added = story_window.session.entries[-1].article
    assert added.outlet == "Evening <b>Star</b>"
    assert "<script>alert(1)</script>" in added.body and len(story_window.session.entries) == len(before) + 1
    qtbot.waitUntil(lambda: not story_window.session.busy, timeout=60_000)


def test_a_pasted_article_is_not_titled_with_a_piece_of_its_outlet() -> None:
    from reader.intake.articles import build_article
    from reader.intake.sources import pasted

    a = build_article(pasted(PASTED, "Evening <b>Star</b>"), "a1")
    assert a.title in a.body or a.title in ("pasted text", a.outlet, f"pasted: {a.outlet}"), a.title


PASTED = (
    "Police said the council page showed <script>alert(1)</script> for an hour on Tuesday night "
    "before engineers restored it, a spokesman for the council said."
)


@pytest.mark.timeout(60)
def test_an_error_line_names_the_file_once(qtbot, story_window, tmp_path: Path) -> None:
    bad = write_case(tmp_path, case("empty.txt"))
    with qtbot.waitSignal(story_window.errorShown, timeout=30_000) as blocker:
        story_window.session.add_sources([str(bad)])
    qtbot.waitUntil(lambda: not story_window.session.busy, timeout=30_000)
    _close_boxes()
    assert blocker.args[0].count("empty.txt") == 1, blocker.args[0]


# ------------------------------------------------------------------ exports: the command line's checks (issue 17, 20)


def _export(window, kind: str, path: Path | str) -> None:
    window.io.ask_export = lambda: (kind, path)
    window.act_export.trigger()


@pytest.mark.parametrize("alias", ["trailing-space", "symlink", "hard-link", "parent-hop"])
def test_an_export_naming_a_loaded_file_another_way_is_refused(qtbot, window, story_files, tmp_path: Path,
                                                               alias: str) -> None:
    """The app shares the command line's export service: a source is a source however it is written."""
    from hostile import path_aliases, snapshot

    window.session.add_sources(story_files)
    qtbot.waitUntil(lambda: window.session.comparison is not None and not window.session.busy, timeout=30_000)
    source = Path(story_files[0])
    scratch = tmp_path / "links"
    scratch.mkdir()
    given = path_aliases(source, home=tmp_path, cwd=Path.cwd(), scratch=scratch)[alias]
    before = snapshot([Path(p) for p in story_files])
    with qtbot.waitSignal(window.errorShown, timeout=10_000) as blocker:
        _export(window, "md", given)
    assert "one of the sources" in blocker.args[0] and "\n" not in blocker.args[0]
    assert snapshot([Path(p) for p in story_files]) == before


def test_an_export_onto_a_device_is_refused_and_the_device_kept(qtbot, story_window) -> None:
    import os
    import stat

    with qtbot.waitSignal(story_window.errorShown, timeout=10_000) as blocker:
        _export(story_window, "json", "/dev/null")
    assert "regular file" in blocker.args[0]
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_app_exports_get_the_umask(qtbot, story_window, tmp_path: Path) -> None:
    import os

    current = os.umask(0o027)
    try:
        _export(story_window, "worksheet", tmp_path / "week3.html")
    finally:
        os.umask(current)
    for name in ("week3.html", "week3-answers.html"):  # the command line's answer-sheet name too
        assert os.stat(tmp_path / name).st_mode & 0o777 == 0o640
