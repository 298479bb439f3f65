"""The reader view: whole articles side by side; a clicked sentence lights up its counterparts."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QTextBrowser, QTextEdit, QVBoxLayout, QWidget

from reader.facts import CellMark, FactTable
from reader.model import Article, Comparison
from ui import cellhtml
from ui.cellhtml import search_spans
from ui.theme import marks, outlet_colour

SCHEME = "sentence"
BUDGET_MS = 8  # UI work per turn of the event loop, well under the 50 ms a person notices
PANES_PER_TURN = 4
PAUSE_MS = 10  # between batches of panes: each batch and its paint get a turn of their own
# Five outlets side by side in the default 1480 px window (1,120 px for the views): at 220 px the
# fifth article was cut off. Narrower than 190 px, a column of text is a few words a line.
PANE_MIN_WIDTH = 190


Spans = dict[str, tuple[CellMark, ...]]  # sentence id -> the fact table's marks in it


def article_html(article: Article, focus: frozenset[str], spans: Spans, *, figures_and_names: bool = True) -> str:
    """The body as paragraphs, each sentence an anchor so a click names it.

    ``spans``: the marks to show per sentence, from the fact table (where differences rest
    everywhere; changed words in the focused fact only). Figures and names are marked once the
    comparison's job has found them: before, finding them here would hold the UI thread.
    """
    m = marks()
    out: list[str] = ["<p>"]
    pos = 0
    for s in article.sentences:
        gap = article.body[pos : s.start]
        out.append(_gap(gap))
        inner = cellhtml.sentence_html(
            s.text, m, spans=spans.get(s.id, ()), focus=s.id in focus, figures_and_names=figures_and_names
        )
        out.append(f'<a name="{s.id}" href="{SCHEME}:{s.id}">{inner}</a>')
        pos = s.end
    out.append(_gap(article.body[pos:]))
    out.append("</p>")
    return "".join(out)


def _gap(text: str) -> str:
    return "</p><p>".join(html.escape(part) for part in text.split("\n\n"))


class ArticlePane(QFrame):
    sentenceClicked = Signal(str)

    def __init__(self, article: Article, colour_index: int, parent=None) -> None:
        super().__init__(parent)
        self.article = article
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        colour = outlet_colour(colour_index).name()
        meta = " · ".join(x for x in (article.published, article.author) if x)
        head = QLabel(
            f'<div><span style="color:{colour}">■</span><b>&nbsp;{html.escape(article.outlet)}</b>'
            f'<br>&nbsp;<span style="font-size:large">{html.escape(article.title)}</span>'
            + (f"<br>&nbsp;<small>{html.escape(meta)}</small>" if meta else "")
            + "</div>"
        )
        head.setWordWrap(True)
        # Equal headers keep the articles' first lines level across the panes.
        head.setMinimumHeight(head.fontMetrics().lineSpacing() * 4 + 6)
        head.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        head.setStyleSheet(f"border-bottom: 4px solid {colour}; padding-bottom: 2px;")
        head.setTextFormat(Qt.TextFormat.RichText)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(f"{article.outlet} article")
        self.browser.setToolTip("Click a sentence to light up the same fact in the other articles.")
        text_colour = self.palette().color(self.foregroundRole()).name()
        self.browser.document().setDefaultStyleSheet(f"a {{ color: {text_colour}; text-decoration: none; }}")
        self.browser.anchorClicked.connect(self._clicked)
        layout.addWidget(head)
        layout.addWidget(self.browser, 1)
        self.shown_focus: frozenset[str] | None = None
        self.disputed: Spans = {}  # this article's sentences' difference marks
        self.comparison_shown = False  # figures and names are marked once a comparison has found them
        # The body is laid out only when the pane first comes into view (ReaderView): laying out
        # fifty articles up front held the UI thread 35-60 ms per article.
        self.laid_out = False
        self._anchor: str | None = None  # where to scroll once laid out

    def lay_out(self, focus: frozenset[str], focused: Spans, needle: str) -> None:
        self.laid_out = True
        self.render(focus, focused)
        if needle:
            self.highlight_search(needle)
        if self._anchor is not None:
            self.scroll_to(self._anchor)

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() == SCHEME:
            self.sentenceClicked.emit(url.path())

    def render(self, focus: frozenset[str], focused: Spans) -> None:
        """Re-lay out only when this article's focus or the comparison's marks changed.

        ``focused``: every mark (changed words too) of the focused fact's sentences.
        """
        if not self.laid_out:
            return  # lay_out renders the state current then
        mine = frozenset(s.id for s in self.article.sentences if s.id in focus)
        if mine == self.shown_focus:
            return  # nothing of this article changed: re-laying out 50 articles per click is slow
        self.shown_focus = mine
        bar = self.browser.verticalScrollBar().value()
        spans = {**self.disputed, **{sid: focused[sid] for sid in mine if sid in focused}}
        marks_ready = self.comparison_shown
        self.browser.setHtml(article_html(self.article, focus, spans, figures_and_names=marks_ready))
        self.browser.verticalScrollBar().setValue(bar)

    def highlight_search(self, needle: str) -> int:
        if not self.laid_out:
            # Counted on the text alone, as the laid-out pane finds them: within a paragraph.
            return sum(len(search_spans(part, needle)) for part in self.article.body.split("\n\n")) if needle else 0
        selections = []
        doc = self.browser.document()
        if needle:
            fmt = QTextCharFormat()
            m = marks()  # the search's own colour: the "differs" tint was a yellow too
            fmt.setBackground(QColor(m.search_bg))
            fmt.setForeground(QColor(m.search_fg))
            fmt.setFontUnderline(True)
            fmt.setFontOverline(True)
            # Found as the table finds them (search_spans: case, quotes and dashes folded), block by block;
            # QTextDocument.find would miss "don't" in "don’t".
            block = doc.begin()
            while block.isValid():
                for start, end in search_spans(block.text(), needle):
                    cursor = QTextCursor(doc)
                    cursor.setPosition(block.position() + start)
                    cursor.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
                    sel = QTextEdit.ExtraSelection()
                    sel.cursor = cursor
                    sel.format = fmt
                    selections.append(sel)
                block = block.next()
        self.browser.setExtraSelections(selections)
        return len(selections)

    def scroll_to(self, sentence_id: str) -> None:
        self._anchor = sentence_id
        if self.laid_out:
            self.browser.scrollToAnchor(sentence_id)

    def reset_find(self) -> None:
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)


class ReaderView(QScrollArea):
    """Articles as columns; each column scrolls on its own, like Meld's panes.

    Panes are made a few per turn of the event loop, and an article is laid out only
    when its pane comes into view (or half a screen before), so two hundred articles
    never hold the UI thread for longer than one article's layout.
    """

    sentenceFocused = Signal(str)
    filled = Signal()  # every article's pane exists (its text is laid out once it is in view)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("readerView")
        self.setAccessibleName("Articles side by side")
        self.setWidgetResizable(True)
        self.panes: list[ArticlePane] = []
        self.comparison: Comparison | None = None
        self.table: FactTable | None = None
        self.focus: frozenset[str] = frozenset()
        self._focused: Spans = {}
        self._needle = ""
        self._queue: list[tuple[Article, int]] = []
        self._pending_render: list[ArticlePane] = []
        self._holder = QWidget()
        self._row = QHBoxLayout(self._holder)
        self._row.setContentsMargins(4, 4, 4, 4)
        self.setWidget(self._holder)
        # One coalescing timer: scrolling, resizing and new panes all ask for the same check.
        self._layout_timer = QTimer(self, singleShot=True, interval=0)
        self._layout_timer.timeout.connect(self._lay_out_visible)
        self.horizontalScrollBar().valueChanged.connect(lambda _value: self._layout_timer.start())

    def set_articles(self, articles: Sequence[Article], colour_of: dict[str, int]) -> None:
        for pane in self.panes:
            pane.setParent(None)
            pane.deleteLater()
        self.panes = []
        self._pending_render = []  # those panes are gone: never lay them out again
        self.focus, self._focused = frozenset(), {}
        self._queue = [(a, colour_of.get(a.id, i)) for i, a in enumerate(articles)]
        self._add_some()

    def _add_some(self) -> None:
        # A few panes per turn, then a pause: each batch costs a relayout of the whole row of panes
        # and a paint on top of its own making, and those must not pile into one turn.
        clock = QElapsedTimer()
        clock.start()
        made = 0
        while self._queue and clock.elapsed() < BUDGET_MS and made < PANES_PER_TURN:
            made += 1
            article, colour = self._queue.pop(0)
            pane = ArticlePane(article, colour, self._holder)
            pane.setMinimumWidth(PANE_MIN_WIDTH)
            pane.sentenceClicked.connect(self.focus_sentence)
            self._row.addWidget(pane, 1)
            self.panes.append(pane)
        self._layout_timer.start()
        if self._queue:
            QTimer.singleShot(PAUSE_MS, self, self._add_some)
        else:
            self.filled.emit()

    def pending_layout(self) -> list[ArticlePane]:
        """Panes in view (or half a screen either side) whose text is not laid out yet, nearest first."""
        if not self.isVisible():
            return []
        self._row.activate()  # panes added this turn have no geometry until the layout runs
        width = self.viewport().width()
        left = self.horizontalScrollBar().value()
        middle = left + width / 2
        near = [
            p
            for p in self.panes
            if not p.laid_out and p.geometry().right() >= left - width / 2 and p.geometry().left() <= left + 1.5 * width
        ]
        return sorted(near, key=lambda p: abs(p.geometry().center().x() - middle))

    def _lay_out_visible(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        waiting = self.pending_layout()
        while waiting:
            waiting.pop(0).lay_out(self.focus, self._focused, self._needle)
            if clock.elapsed() >= BUDGET_MS:
                break
        if waiting:
            self._layout_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._layout_timer.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._layout_timer.start()

    def set_comparison(self, comparison: Comparison | None, table: FactTable | None = None) -> None:
        self.comparison, self.table = comparison, table if comparison is not None else None
        by_article: dict[str, Spans] = {}
        for sid, spans in (self.table.disputed_by_sentence() if self.table else {}).items():
            by_article.setdefault(sid.split(".")[0], {})[sid] = spans
        for pane in self.panes:
            mine = by_article.get(pane.article.id, {})
            if mine != pane.disputed or pane.comparison_shown != (comparison is not None):
                pane.disputed = mine
                pane.comparison_shown = comparison is not None
                pane.shown_focus = None  # marks changed: lay out again
        self._pending_render = [p for p in self.panes if p.laid_out and p.shown_focus is None]
        if self.focus:
            self.focus_sentence(sorted(self.focus)[0], emit=False)
        self._render_some()

    def _render_some(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        while self._pending_render and clock.elapsed() < BUDGET_MS:
            pane = self._pending_render.pop(0)
            if pane in self.panes and pane.shown_focus is None:
                pane.render(self.focus, self._focused)
        if self._pending_render:
            QTimer.singleShot(0, self, self._render_some)

    def counterparts(self, sentence_id: str) -> frozenset[str]:
        return self.table.counterparts(sentence_id) if self.table else frozenset({sentence_id})

    def focus_group(self, group_id: str) -> None:
        fact = self.table.fact(group_id) if self.table else None
        if fact is not None and fact.cells:
            self.focus_sentence(fact.cells[0].sentences[0], emit=False)

    def focus_sentence(self, sentence_id: str, *, emit: bool = True) -> None:
        self.focus = self.counterparts(sentence_id)
        focused: Spans = {}
        if self.table is not None and len(self.focus) > 1:
            fact = self.table.facts[self.table.index_of_sentence(sentence_id)]
            focused = {sid: cell.marks_in(sid) for cell in fact.cells for sid in cell.sentences}
        self._focused = focused
        for pane in self.panes:
            pane.render(self.focus, focused)
            first = next((s.id for s in pane.article.sentences if s.id in self.focus), None)
            if first is not None:
                pane.scroll_to(first)
        if self._needle:
            self.search(self._needle)
        if emit:
            self.sentenceFocused.emit(sentence_id)

    def search(self, needle: str) -> int:
        self._needle = needle.strip()
        return sum(p.highlight_search(self._needle) for p in self.panes)

