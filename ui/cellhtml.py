"""Sentence text as Qt rich text, with differing words, figures and names marked.

The spans come from the core (``reader.differences.worddiff``, ``reader.differences.figures``,
``reader.differences.names``); this module only turns them into markup. Each mark has a
non-colour cue too: differing words are underlined, figures bold, names italic.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from functools import lru_cache

from ui.theme import Marks

CHANGED, FIGURE, NAME, FOCUS = 1, 2, 4, 8
MOSTLY_CHANGED = 0.6  # share of a sentence's characters above which changed words are not marked

LEGEND = (
    "Underlined on a tint: words most other outlets do not use in this fact\n"
    "(not marked when the whole sentence is worded differently).\n"
    "Bold: a figure (number, amount, date).\n"
    "Italic: a person's or place's name."
)


def _finder(module: str, function: str) -> Callable[[str], Sequence[object]] | None:
    # figures/names land from other issues; until then the cells simply carry fewer marks.
    try:
        mod = __import__(f"reader.{module}", fromlist=[function])
    except ImportError:
        return None
    return getattr(mod, function, None)


@lru_cache(maxsize=1)
def _finders() -> tuple[Callable[[str], Sequence[object]] | None, Callable[[str], Sequence[object]] | None]:
    return _finder("figures", "find_figures"), _finder("names", "find_names")


@lru_cache(maxsize=65536)
def changed(text: str, others: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    from reader.differences.worddiff import changed_spans

    return tuple(changed_spans(text, others))


@lru_cache(maxsize=65536)
def marked_spans(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, flag) for figures and names in ``text``."""
    out: list[tuple[int, int, int]] = []
    figures, names = _finders()
    for finder, flag in ((figures, FIGURE), (names, NAME)):
        if finder is None:
            continue
        try:
            items = finder(text)
        except Exception:  # a marker bug must never blank a cell; the text still shows
            continue
        out.extend((int(getattr(i, "start")), int(getattr(i, "end")), flag) for i in items)  # noqa: B009
    return tuple(out)


def sentence_html(
    text: str,
    marks: Marks,
    *,
    others: Sequence[str] = (),
    focus: bool = False,
    figures_and_names: bool = True,
    disputed: Sequence[tuple[int, int]] = (),
) -> str:
    """``disputed``: spans a discrepancy rests on; always marked, however much else differs."""
    flags = [FOCUS if focus else 0] * len(text)
    diff = changed(text, tuple(others)) if others else ()
    if sum(e - s for s, e in diff) > MOSTLY_CHANGED * len(text):
        # Worded differently throughout: marking nearly every word tells the reader nothing,
        # and hides the figures and names that do matter.
        diff = ()
    spans: list[tuple[int, int, int]] = [(s, e, CHANGED) for s, e in (*diff, *disputed)]
    if figures_and_names:
        spans.extend(marked_spans(text))
    for start, end, flag in spans:
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


def _run(chunk: str, flag: int, marks: Marks) -> str:
    escaped = html.escape(chunk)
    if not flag:
        return escaped
    style: list[str] = []
    if flag & FOCUS:
        style.append(f"background-color:{marks.focus_bg}")
    if flag & CHANGED:
        style.append(f"background-color:{marks.changed_bg}")
        style.append("text-decoration:underline")
    if flag & FIGURE:
        style.append("font-weight:bold")
        style.append(f"color:{marks.figure}")
    if flag & NAME:
        style.append("font-style:italic")
        if not flag & FIGURE:
            style.append(f"color:{marks.name}")
    return f'<span style="{";".join(style)}">{escaped}</span>'


def plain_tip(text: str) -> str:
    """A tooltip that shows article text literally: Qt would render ``<b>`` in a plain string as markup."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


_last_rows: tuple[object, tuple[str, ...], list[dict[str, str]]] | None = None


def row_texts(comparison, columns: Sequence[str]) -> list[dict[str, str]]:
    """Per group, each shown outlet's text in it: what a cell shows and what it is diffed against.

    The worker's ``warm`` computes them; the UI thread then finds them here (the same comparison
    object and columns) instead of spending 30 ms of a 200-outlet comparison doing it again.
    """
    global _last_rows
    last = _last_rows
    if last is not None and last[0] is comparison and last[1] == tuple(columns):
        return last[2]
    out = _row_texts(comparison, columns)
    _last_rows = (comparison, tuple(columns), out)  # one assignment: safe to read from the other thread
    return out


def _row_texts(comparison, columns: Sequence[str]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for group in comparison.groups:
        parts: dict[str, list[str]] = {}
        for sid in group.sentences:
            parts.setdefault(comparison.article_of(sid).id, []).append(comparison.sentence(sid).text)
        out.append({c: " ".join(parts[c]) for c in columns if c in parts})
    return out


_last_disputed: tuple[object, dict[str, dict[str, list[tuple[int, int]]]]] | None = None


def disputed_by_article(comparison) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """Article id -> sentence id -> the spans a discrepancy rests on (cached like ``row_texts``)."""
    global _last_disputed
    last = _last_disputed
    if last is not None and last[0] is comparison:
        return last[1]
    out: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for d in comparison.discrepancies:
        for v in d.values:
            out.setdefault(v.sentence.split(".")[0], {}).setdefault(v.sentence, []).append((v.start, v.end))
    _last_disputed = (comparison, out)
    return out


def warm(comparison, columns: Sequence[str]) -> None:
    """Worker side: compute every cell's spans once so the UI thread only lays out text."""
    disputed_by_article(comparison)
    for texts in row_texts(comparison, columns):
        for aid, text in texts.items():
            changed(text, tuple(t for o, t in texts.items() if o != aid))
            marked_spans(text)


def warm_sentences(texts: Sequence[str]) -> None:
    for text in texts:
        marked_spans(text)
