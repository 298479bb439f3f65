"""The reader view: whole articles side by side; a clicked sentence lights up its counterparts."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from reader.facts import CellMark, FactTable
from reader.model import Article, Comparison
from ui import cellhtml
from ui.cellhtml import search_spans
from ui.theme import marks, outlet_colour
from ui.turns import turns

SCHEME = "sentence"
MARK_PER_STEP = 25  # panes that learn a new comparison's marks per step of the UI thread's queue
# Five outlets side by side in the default 1480 px window (1,120 px for the views): at 220 px the
# fifth article was cut off. Narrower than 190 px, a column of text is a few words a line.
PANE_MIN_WIDTH = 190


Spans = dict[str, tuple[CellMark, ...]]  # sentence id -> the fact table's marks in it


def _slot_policy(widget: QWidget) -> None:
    """Every column of the row shares the width by stretch alone, whatever its content asks for, so a
    pane that takes its placeholder's slot gets exactly the placeholder's geometry."""
    widget.setMinimumWidth(PANE_MIN_WIDTH)
    widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)


class _Slot(QWidget):
    """Holds an article's place in the row until its pane is made: the row is laid out once, at its final
    width, so making a pane neither moves the others nor repaints them."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        _slot_policy(self)


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
        _slot_policy(self)

    def hasHeightForWidth(self) -> bool:
        # The header wraps its title to the pane's width inside the pane's own layout. Said to the row,
        # "my height depends on my width" made the scroll area ask every pane's header to lay out its
        # text again on each change of the row: with 200 panes, a fifth of the UI thread's time while
        # articles came in. The row's height is the viewport's anyway.
        return False

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

    Each article first holds its place in the row with an empty slot, so the row is laid out once at its
    final width; panes are then made a step at a time on the UI thread's shared queue (``ui.turns``),
    each taking its slot's geometry, and an article is laid out only when its pane comes into view (or
    half a screen before), so two hundred articles never hold the UI thread for longer than one
    article's layout, and making a pane off screen neither moves nor repaints those in view.
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
        self._slots: list[_Slot] = []  # the places of the articles in _queue, in the same order
        self._pending_render: list[ArticlePane] = []
        self._to_mark: list[ArticlePane] = []  # panes still to learn the comparison's marks
        self._marks: dict[str, Spans] = {}  # article id -> its sentences' marks in the comparison shown
        self._holder = QWidget()
        self._row = QHBoxLayout(self._holder)
        self._row.setContentsMargins(4, 4, 4, 4)
        self.setWidget(self._holder)
        # Scrolling, resizing and new panes all ask for the same check, one queued step at a time.
        self.horizontalScrollBar().valueChanged.connect(lambda _value: self._want_layout())

    def set_articles(self, articles: Sequence[Article], colour_of: dict[str, int]) -> None:
        for widget in [*self.panes, *self._slots]:
            self._row.removeWidget(widget)
            widget.setParent(None)
            widget.deleteLater()
        self.panes = []
        self._pending_render = []  # those panes are gone: never lay them out again
        self._to_mark = []
        self.focus, self._focused = frozenset(), {}
        self._queue = [(a, colour_of.get(a.id, i)) for i, a in enumerate(articles)]
        self._slots = [_Slot(self._holder) for _ in self._queue]
        for slot in self._slots:
            self._row.addWidget(slot, 1)
            slot.show()  # now: a layout shows a new widget a turn later, and counts it as absent until then
        if self._queue:
            turns().add(self, "make panes", self._make_pane, now=True)
        else:
            self.filled.emit()

    def _make_pane(self) -> bool:
        """One step: the next article's pane, in its slot."""
        if not self._queue:
            return False
        article, colour = self._queue.pop(0)
        slot = self._slots.pop(0)
        pane = ArticlePane(article, colour, self._holder)
        if self.comparison is not None:  # made after the comparison came: its marks from the start
            pane.disputed, pane.comparison_shown = self._marks.get(article.id, {}), True
        pane.sentenceClicked.connect(self.focus_sentence)
        self._row.replaceWidget(slot, pane)
        pane.show()  # now, in its slot's place: shown a turn later, the row would close up and open again
        slot.setParent(None)
        slot.deleteLater()
        self.panes.append(pane)
        self._want_layout()
        if not self._queue:
            self.filled.emit()
        return bool(self._queue)

    def pending_layout(self) -> list[ArticlePane]:
        """Panes in view (or half a screen either side) whose text is not laid out yet, nearest first."""
        if not self.isVisible():
            return []
        self._row.activate()  # panes made this turn take their slots' geometry when the layout runs
        width = self.viewport().width()
        left = self.horizontalScrollBar().value()
        middle = left + width / 2
        near = [
            p
            for p in self.panes
            if not p.laid_out and p.geometry().right() >= left - width / 2 and p.geometry().left() <= left + 1.5 * width
        ]
        return sorted(near, key=lambda p: abs(p.geometry().center().x() - middle))

    def _want_layout(self) -> None:
        turns().add(self, "lay out", self._lay_out_step, now=True)

    def _lay_out_step(self) -> bool:
        """One step: the pending pane nearest the middle of the view is laid out."""
        waiting = self.pending_layout()
        if waiting:
            waiting[0].lay_out(self.focus, self._focused, self._needle)
        return len(waiting) > 1

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._want_layout()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._want_layout()

    def set_comparison(self, comparison: Comparison | None, table: FactTable | None = None) -> None:
        """Mark the comparison's differences in the panes: which panes need it is worked out a few dozen
        panes per step (200 panes in one go held the UI thread 14 ms), then each is laid out again on a
        step of its own."""
        self.comparison, self.table = comparison, table if comparison is not None else None
        by_article: dict[str, Spans] = {}
        for sid, spans in (self.table.disputed_by_sentence() if self.table else {}).items():
            by_article.setdefault(sid.split(".")[0], {})[sid] = spans
        self._pending_render = []
        self._to_mark = list(self.panes)
        self._marks = by_article
        turns().discard(self, "render")
        turns().add(self, "mark", self._mark_step)

    def _mark_step(self) -> int:
        """One step: a few dozen panes learn their marks; once all have, the focus is shown again and
        the panes whose marks changed are laid out again, one per step."""
        shown = self.comparison is not None
        for pane in self._to_mark[:MARK_PER_STEP]:
            mine = self._marks.get(pane.article.id, {})
            if mine != pane.disputed or pane.comparison_shown != shown:
                pane.disputed = mine
                pane.comparison_shown = shown
                pane.shown_focus = None  # marks changed: lay out again
                if pane.laid_out:
                    self._pending_render.append(pane)
        del self._to_mark[:MARK_PER_STEP]
        if self._to_mark:
            return True
        if self.focus:
            self.focus_sentence(sorted(self.focus)[0], emit=False)
        self._pending_render = [p for p in self._pending_render if p.shown_focus is None]
        if self._pending_render:
            turns().add(self, "render", self._render_step)
        return False

    def _render_step(self) -> bool:
        """One step: a laid-out pane whose marks changed is laid out again."""
        while self._pending_render:
            pane = self._pending_render.pop(0)
            if pane in self.panes and pane.shown_focus is None:
                pane.render(self.focus, self._focused)
                break
        return bool(self._pending_render)

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

