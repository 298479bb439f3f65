"""Cleaning does work in proportion to its input: four times the page is about four times the work.

Work is counted, not timed: every line of Python that runs while a page is cleaned is one
operation (``sys.settrace``), so the test says the same on a loaded 2-core machine as on a fast
one. Each shape below is a kind of page that once made a step quadratic (the headline search
normalised every line for every line: 5,000 one-word lines took 15 s) or could: lines that all
fill the width without a full stop, a page of comment headers, bullets, copies, title lines.

Not counted: time inside C functions (a regular expression's own scan). Those are per block,
and a block's size is capped with the page (``MAX_ARTICLE_CHARS``); see docs/guarantees.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from reader.errors import SourceError
from reader.intake.cleaning.page import clean
from reader.model import RawDocument

# Four times the input: linear work grows four times, n log n about 4.6 times, quadratic work up to
# sixteen times (less while each block's own linear work still dominates).
GROWTH = 4
MAX_GROWTH = 5.2
SIZE = 500


class _OverBudget(Exception):
    pass


def operations(work: Callable[[], object], budget: int | None = None) -> int:
    """Lines of Python executed by ``work()``; stops it (``_OverBudget``) once past ``budget``."""
    count = 0

    def trace(frame, event, arg):  # the signature settrace calls with
        nonlocal count
        if event == "line":
            count += 1
            if budget is not None and count > budget:
                raise _OverBudget
        return trace

    sys.settrace(trace)
    try:
        work()
    except SourceError:
        pass  # a refusal is an answer; its cost is what is measured
    finally:
        sys.settrace(None)
    return count


def _one_word_lines(n: int) -> str:
    return "\n".join(f"word{i}" for i in range(n))


def _title_lines(n: int) -> str:
    # "Headline - Site" lines with their bare copies: the suffix test compares each with all the others.
    return "\n".join(f"Storm warning number {i} issued - Coastal Post\nStorm warning number {i} issued"
                     for i in range(n // 2))


def _full_width_lines(n: int) -> str:
    # One chunk of lines that all fill the width and never end a sentence: each used to scan ahead to the end.
    return "\n".join(f"Line {i:05d} of a hard-wrapped wire report that never reaches its full stop at all"
                     for i in range(n))


def _comment_headers(n: int) -> str:
    # Headers with too little reporting above them to end the article: each asked how much prose came before.
    prose = "Engineers inspected the dam on Tuesday and said the water level was falling slowly."
    return prose + "\n\n" + "\n\n".join("Comments" for _ in range(n))


def _bullets(n: int) -> str:
    return "Flood update\n\n" + "\n".join(f"• Road {i} is closed" for i in range(n))


def _copies(n: int) -> str:
    para = "The council said the river had risen by three metres overnight and more rain was expected."
    return "\n\n".join([para] * n)


def _short_sentences(n: int) -> str:
    return "Dams hold\n\n" + " ".join(f"Dam {i % 97} held." for i in range(4 * n))


def _html_paragraphs(n: int) -> str:
    paras = "".join(f"<p>Report {i}: the river rose again near the bridge, officials said.</p>" for i in range(n))
    return f"<!DOCTYPE html><html><body><article><h1>River rises</h1>{paras}</article></body></html>"


SHAPES: dict[str, Callable[[int], str]] = {
    "one-word-lines": _one_word_lines,
    "title-lines": _title_lines,
    "full-width-lines": _full_width_lines,
    "comment-headers": _comment_headers,
    "bullets": _bullets,
    "copies": _copies,
    "short-sentences": _short_sentences,
}


def _clean(text: str, html: bool = False) -> Callable[[], object]:
    return lambda: clean(RawDocument("shape.html" if html else "shape.txt", text, is_html=html))


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_cleaning_work_grows_in_proportion_to_the_page(shape: str) -> None:
    make = SHAPES[shape]
    _clean(make(20))()  # warm-up: lazy imports and compiled patterns are not the page's work
    small = operations(_clean(make(SIZE)))
    bigger = operations(_clean(make(GROWTH * SIZE)), budget=int(MAX_GROWTH * small) + 1)
    assert bigger <= MAX_GROWTH * small, (shape, small, bigger)


def test_the_counter_sees_quadratic_work() -> None:
    """The yardstick itself: a quadratic loop exceeds the budget, a linear one does not."""

    def quadratic(n: int) -> Callable[[], object]:
        return lambda: [1 for _ in range(n) for _ in range(n)]

    def linear(n: int) -> Callable[[], object]:
        return lambda: [1 for _ in range(n)]

    assert operations(linear(GROWTH * SIZE)) <= MAX_GROWTH * operations(linear(SIZE))
    small = operations(quadratic(SIZE))
    with pytest.raises(_OverBudget):
        operations(quadratic(GROWTH * SIZE), budget=int(MAX_GROWTH * small) + 1)


def test_the_html_path_is_linear_in_our_own_steps() -> None:
    """Our passes over a page (slimming, unwrapping, blocks) are linear; trafilatura's main pass is not
    (it grows with the square of the blocks, which is why pages are capped at MAX_PAGE_BLOCKS), so
    it is left out of the count by cleaning its output as text."""
    from reader.intake.rawhtml import flatten_deep_html, slim_html

    def ours(n: int) -> Callable[[], object]:
        page = _html_paragraphs(n)
        return lambda: flatten_deep_html(slim_html(page), cap=3)

    ours(20)()
    small = operations(ours(SIZE))
    assert operations(ours(GROWTH * SIZE), budget=int(MAX_GROWTH * small) + 1) <= MAX_GROWTH * small
