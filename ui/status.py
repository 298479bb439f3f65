"""What the window says in words: the wait, the comparison's shape, the search. Pure functions, no widgets."""

from __future__ import annotations

from reader.facts import FactTable
from reader.progress import Progress

FILTERS = (
    ("shared", "Facts several outlets report"),
    ("differences", "Facts with differences"),
    ("single", "Reported by one outlet only"),
    ("all", "All facts, in story order"),
)
FILTER_KEYS = {key: f"Alt+{i + 1}" for i, (key, _text) in enumerate(FILTERS)}


def _n(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def waiting_text(progress: Progress | None, articles: int) -> str:
    """What the aligned tab says while the facts are lined up: what the wait is for, in plain words."""
    if progress is None:
        return "Reading the articles…" if articles < 2 else "Lining up the facts…"
    stage, done, total = progress.stage, progress.done, progress.total
    if stage == "load":
        return progress.message or "Reading the articles…"
    if stage == "model" or (stage == "embed" and done == 0):
        what = f" to read {_n(total, 'sentence')}" if stage == "embed" and total else ""
        return (f"Waiting for the sentence model{what}.\n"
                "It starts once per session and takes a few seconds; the next comparisons are quicker.")
    if stage == "embed":
        return (f"Lining up the facts: reading the sentences, {done} of {total}.\n"
                "Parallax turns each sentence into numbers to match them.")
    if stage == "align":
        return "Matching the sentences that report the same fact…"
    if stage == "compare":
        return f"{progress.message or 'Finding the differences'}…"
    return progress.message or "Working…"


def comparison_text(table: FactTable, outlets: int, differences: int, agreements: int) -> str:
    """The status line once a comparison is shown: its shape, and where the rest is."""
    shared = len(table.shared())
    alone = len(table) - shared
    parts = [_n(outlets, "outlet"), f"{_n(shared, 'fact')} told by two or more"]
    if alone:
        parts.append(f"{alone} by one outlet alone ({FILTER_KEYS['single']})")
    parts.append(f"{_n(differences, 'difference')} (F3 steps through them)" if differences else "no differences found")
    if agreements:
        parts.append(_n(agreements, "agreement"))
    return " · ".join(parts)


def search_text(needle: str, hits: int, matching: int, shown: int, mode: str) -> str:
    """The status line for a search: matches in the text, facts that match, and what the filter hides."""
    if not needle:
        return ""
    if hits == 0:
        return f"“{needle}”: not found in the articles."
    line = f"“{needle}”: {_n(hits, 'match', 'matches')} in the articles, in {_n(matching, 'fact')}"
    hidden = matching - shown
    if hidden > 0 and mode != "all":
        label = dict(FILTERS)[mode].lower()
        line += (f"; {shown} shown, {hidden} hidden by the filter “{label}” "
                 f"(show all: {FILTER_KEYS['all']})")
    return line + "."
