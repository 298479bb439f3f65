"""Desktop-citizen behaviour: drops, restoring removed text, remembered settings, palettes, accessibility."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QWidget

from ui.session import Entry


def test_dropping_files_adds_them(qtbot, window, story_files):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(p) for p in story_files[:2]])
    event = QDropEvent(
        QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(window.session.articlesChanged, timeout=30_000):
        window.dropEvent(event)
    assert [e.article.source for e in window.session.entries] == story_files[:2]


def test_restoring_a_removed_piece_puts_it_back(qtbot, window):
    from reader.model import RawDocument

    text = (
        "Bridge reopens in Lowford\n\nThe Lowford bridge reopened on Monday after eight months of repairs.\n\n"
        "Share this article\n\nThe council said the work cost 4 million pounds.\n\nLeave a comment\n\n12 comments"
    )
    raw = RawDocument("lowford.txt", text)
    with qtbot.waitSignal(window.session.articlesChanged, timeout=30_000):
        window.session.add_sources([raw])
    entry: Entry = window.session.entries[0]
    removed = entry.article.removed
    assert removed, "the cleaner should take out the share and comment lines"
    before = len(entry.article.body)
    with qtbot.waitSignal(window.session.articlesChanged, timeout=30_000):
        window.session.restore(entry.article.id, frozenset({removed[0].position}))
    after = window.session.entries[0]
    assert len(after.article.body) > before and after.restore == frozenset({removed[0].position})


def test_settings_are_remembered(qtbot, fake_embedder):
    from ui.mainwindow import MainWindow

    first = MainWindow(lambda: fake_embedder)
    qtbot.addWidget(first)
    first.slider.setValue(73)
    first.split.setSizes([500, 900])
    first.close()
    second = MainWindow(lambda: fake_embedder)
    qtbot.addWidget(second)
    assert second.slider.value() == 73
    assert second.session.strictness == 0.73
    second.close()


def test_dark_palette_changes_the_marks(qapp):
    from ui import theme

    light = theme.marks()
    qapp.setPalette(theme.dark_palette())
    try:
        dark = theme.marks()
    finally:
        qapp.setPalette(qapp.style().standardPalette())
    assert dark.dark and dark.changed_bg != light.changed_bg


def test_outlet_colours_are_okabe_ito_and_distinct():
    from ui.theme import OKABE_ITO, outlet_colour

    colours = [outlet_colour(i).name().upper() for i in range(7)]
    assert len(set(colours)) == 7 and set(colours) <= set(OKABE_ITO)


def test_interactive_widgets_have_accessible_names(story_window):
    named = [
        story_window.aligned,
        story_window.reader,
        story_window.differences,
        story_window.overview,
        story_window.slider,
        story_window.search,
        story_window.filter,
        story_window.sources.tree,
    ]
    assert all(isinstance(w, QWidget) and w.accessibleName() for w in named)
    assert all(b.toolTip() for b in story_window.sources.buttons.values())
