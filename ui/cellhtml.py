"""Sentence text as Qt rich text, with differences, changed words, figures, names and search hits marked.

Which stretches to mark comes from the core: the fact table (``reader.facts``) holds each cell's
difference values and changed words; figures and names come from ``reader.differences``. This
module only turns spans into markup. Every mark has a non-colour cue as well as its tint:

- where a difference rests: tinted and underlined;
- words most other outlets do not use in this fact: a dotted underline;
- figures: bold; names: italic;
- search hits: a strong tint with a line above and below.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Sequence
from functools import lru_cache

from reader.facts import Cell, CellMark, FactTable
from reader.text import fold_chars
from ui.theme import Marks

log = logging.getLogger(__name__)

CHANGED, FIGURE, NAME, FOCUS, DISPUTED, SEARCH = 1, 2, 4, 8, 16, 32

LEGEND = (
    "Tinted and underlined: where Parallax found a difference (see the Differences panel).\n"
    "Dotted underline: words most other outlets do not use for this fact.\n"
    "Bold: a figure (number, amount, date).\n"
    "Italic: a person's or place's name."
)


@lru_cache(maxsize=65536)
def marked_spans(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, flag) for the figures and names in ``text``."""
    from reader.differences.figures import find_figures
    from reader.differences.names import find_names

    out: list[tuple[int, int, int]] = []
    for finder, flag in ((find_figures, FIGURE), (find_names, NAME)):
        try:
            items: Iterable[object] = finder(text)
        except Exception:  # a marker bug must never blank a cell; the text still shows
            log.exception("could not mark %s in a sentence", "figures" if flag == FIGURE else "names")
            continue
        out.extend((int(getattr(i, "start")), int(getattr(i, "end")), flag) for i in items)  # noqa: B009
    return tuple(out)


def search_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` occurs in ``text``, ignoring case and typography (curly or straight quotes, dashes,
    odd spaces: the core's one fold), as the search box and the reader count."""
    if not needle:
        return []
    plain, want_plain = fold_chars(text), fold_chars(needle)  # one for one: offsets still fit ``text``
    folded, want = plain.casefold(), want_plain.casefold()
    if len(folded) != len(text):  # casefold changed lengths ("ß"): fall back to a plain lower()
        folded, want = plain.lower(), want_plain.lower()
    out, start = [], folded.find(want)
    while start >= 0 and want:
        out.append((start, start + len(want)))
        start = folded.find(want, start + len(want))
    return out


def sentence_html(
    text: str,
    marks: Marks,
    *,
    spans: Sequence[CellMark] = (),
    focus: bool = False,
    figures_and_names: bool = True,
    needle: str = "",
) -> str:
    """``spans``: the fact table's marks on this text (difference values and changed words)."""
    flags = [FOCUS if focus else 0] * len(text)
    found: list[tuple[int, int, int]] = [(m.start, m.end, CHANGED if m.kind == "changed" else DISPUTED) for m in spans]
    if figures_and_names:
        found.extend(marked_spans(text))
    found.extend((s, e, SEARCH) for s, e in search_spans(text, needle))
    for start, end, flag in found:
        for i in range(max(0, start), min(len(text), end)):
            flags[i] |= flag
    parts: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and flags[j] == flags[i]:
            j += 1
        parts.append(_run(text[i:j], flags[i], marks))
        i = j
    return "".join(parts)


def cell_html(cell: Cell, marks: Marks, *, needle: str = "") -> str:
    return sentence_html(cell.text, marks, spans=(*cell.disputed, *cell.changed), needle=needle)


def _run(chunk: str, flag: int, marks: Marks) -> str:
    escaped = html.escape(chunk)
    if not flag:
        return escaped
    style: list[str] = []
    lines: list[str] = []
    if flag & SEARCH:
        style.append(f"background-color:{marks.search_bg}")
        style.append(f"color:{marks.search_fg}")
        lines += ["underline", "overline"]
    elif flag & DISPUTED:
        style.append(f"background-color:{marks.changed_bg}")
        lines.append("underline")
    elif flag & FOCUS:
        style.append(f"background-color:{marks.focus_bg}")
    if lines:
        style.append(f"text-decoration:{' '.join(lines)}")
    elif flag & CHANGED:
        # Dotted, as in the reports: Qt draws it from its own property (on its own; with
        # text-decoration: underline the line is solid), and a difference keeps the solid line.
        style.append("text-underline-style:dotted")
    if flag & FIGURE:
        style.append("font-weight:bold")
        if not flag & SEARCH:
            style.append(f"color:{marks.figure}")
    if flag & NAME:
        # Italic only, in the text's colour: a news sentence is full of names, and a coloured one
        # on every other word drowned the marks that say where outlets differ.
        style.append("font-style:italic")
    return f'<span style="{";".join(style)}">{escaped}</span>'


def plain_tip(text: str) -> str:
    """A tooltip that shows article text literally: Qt would render ``<b>`` in a plain string as markup."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def warm(table: FactTable) -> None:
    """Worker side: every cell's figures and names found once, so the UI thread only lays out text."""
    for fact in table.facts:
        for cell in fact.cells:
            marked_spans(cell.text)


def warm_sentences(texts: Sequence[str]) -> None:
    for text in texts:
        marked_spans(text)
