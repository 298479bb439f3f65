"""The figures of one aligned group, and how two of them pair: do they agree, which is whose counterpart.

A group of 50 or 200 outlets holds hundreds of figures, and ``figdiff`` asks about every pair of them several
times (agreement clusters, counterparts, conflicts, "does a third outlet give both?"). ``GroupFigures`` keeps
what belongs to one figure (its context words, its neighbours, its dimension) and the answer for one pair of
figures (``agree``, by their positions) so each is worked out once per group; the answers are the same as
computing them afresh.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.differences.figrates import spanned_amount
from reader.differences.figrelation import dimension, figure_relation
from reader.differences.figsaid import FigAt, lemma
from reader.differences.mentions import CONTEXT_STOP
from reader.differences.worddiff import tokens


def different_things(a: FigAt, b: FigAt) -> bool:
    # Only the frame is trusted here: "rebels" and "fighters" can count the same people.
    return a.fig.frame != b.fig.frame


def periods_apart(a: FigAt, b: FigAt) -> bool:
    """Two periods ("over ten years") are one only where they spread the same amount: "$39 billion over ten
    years" and "$40 billion over 10 years" are two plans' spans, whatever the years."""
    if a.fig.frame != "period" and b.fig.frame != "period":
        return False
    sa, sb = spanned_amount(a.at.sentence.text, a.fig), spanned_amount(b.at.sentence.text, b.fig)
    return sa is None or sb is None or figure_relation(sa, sb) not in ("same", "compatible")


def bounded(a: FigAt, b: FigAt) -> bool:
    return bool({a.fig.hedge, b.fig.hedge} & {"max", "min"})


def agree(a: FigAt, b: FigAt) -> bool:
    """Two figures that say the same: related as same or compatible, and a bound close to what it bounds.

    "At least 37" fits "about 200" without contradicting it, but does not confirm it.
    """
    if figure_relation(a.fig, b.fig) not in ("same", "compatible") or different_things(a, b):
        return False
    if periods_apart(a, b):
        return False
    if not bounded(a, b):
        return True
    # A bound confirms only the same bound: "at least 37" and "37", "more than $25,000" and "about $25,000",
    # "up to 1.6 million" and "1.5 million" are different claims (told apart as "hedged differently").
    return a.fig.hedge == b.fig.hedge


def context(x: FigAt) -> set[str]:
    text = x.at.sentence.text
    window = text[max(0, x.fig.start - 50) : x.fig.end + 50]
    return {t.norm for t in tokens(window) if t.is_word and t.norm not in CONTEXT_STOP and not t.norm[0].isdigit()}


def neighbours(x: FigAt) -> tuple[str, str]:
    """The nearest content word before and after a figure (past its head noun)."""
    text = x.at.sentence.text
    end = x.conversion.end if x.conversion else x.fig.end
    before = [t.norm for t in tokens(text[max(0, x.fig.start - 60) : x.fig.start]) if t.is_word]
    after = [t.norm for t in tokens(text[end : end + 60]) if t.is_word]
    before = [w for w in before if w not in CONTEXT_STOP and not w[0].isdigit()]
    after = [w for w in after if w not in CONTEXT_STOP and not w[0].isdigit() and w != x.fig.head.casefold()]
    return (before[-1] if before else "", after[0] if after else "")


class GroupFigures:
    """The figures of one group, with per-figure features and per-pair agreement worked out once.

    Figures are named by their position in ``figs``; ``agree(i, j)`` is ``agree(figs[i], figs[j])``, kept.
    """

    def __init__(self, figs: Sequence[FigAt]) -> None:
        self.figs = figs
        self.dims = [dimension(x.fig) for x in figs]
        self._agree: dict[tuple[int, int], bool] = {}
        self._context: dict[int, set[str]] = {}
        self._neighbours: dict[int, tuple[str, str]] = {}
        self._agreeing_outlets: dict[int, set[str]] = {}

    def agree(self, i: int, j: int) -> bool:
        key = (i, j)
        if key not in self._agree:
            self._agree[key] = agree(self.figs[i], self.figs[j])
        return self._agree[key]

    def context(self, i: int) -> set[str]:
        if i not in self._context:
            self._context[i] = context(self.figs[i])
        return self._context[i]

    def neighbours(self, i: int) -> tuple[str, str]:
        if i not in self._neighbours:
            self._neighbours[i] = neighbours(self.figs[i])
        return self._neighbours[i]

    def pair_score(self, ordinal: dict[int, int], i: int, j: int) -> float:
        """How surely figure ``j`` is the figure that reports what figure ``i`` reports (higher is surer)."""
        a, b = self.figs[i], self.figs[j]
        if a.at.sentence.text == b.at.sentence.text and a.fig.start == b.fig.start:
            return 100.0  # the same sentence word for word: each figure is its own counterpart
        score = 10.0 if self.agree(i, j) else 0.0
        if a.fig.head and b.fig.head and lemma(a.fig.head) == lemma(b.fig.head):
            score += 3
        if a.fig.unit == b.fig.unit:
            score += 1
        ca, cb = self.context(i), self.context(j)
        score += 2 * len(ca & cb) / max(1, len(ca | cb))
        na, nb = self.neighbours(i), self.neighbours(j)
        score += 2 * (bool(na[0]) and na[0] == nb[0]) + 2 * (bool(na[1]) and na[1] == nb[1])
        return score + 0.5 * (ordinal[i] == ordinal[j])

    def counterparts(self) -> set[tuple[int, int]]:
        """One-to-one pairs (i < j) of figures that report the same thing, per pair of outlets.

        A sentence with two distances ("12 km offshore at a depth of 10 km") must meet the
        other outlet's 12 and 10 each with its own counterpart, never crosswise.
        """
        figs, dims = self.figs, self.dims
        ordinal: dict[int, int] = {}
        seen: dict[tuple[str, str], int] = {}
        for i, x in enumerate(figs):
            key = (x.at.sentence.id, dims[i])
            ordinal[i] = seen.get(key, 0)
            seen[key] = ordinal[i] + 1
        candidates = [
            (self.pair_score(ordinal, i, j), i, j)
            for i in range(len(figs))
            for j in range(i + 1, len(figs))
            if figs[i].at.outlet != figs[j].at.outlet and dims[i] == dims[j]
        ]
        used: set[tuple[int, str]] = set()  # (figure, the other outlet) already paired
        pairs: set[tuple[int, int]] = set()
        for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
            if (i, figs[j].at.outlet) in used or (j, figs[i].at.outlet) in used:
                continue
            used.update({(i, figs[j].at.outlet), (j, figs[i].at.outlet)})
            pairs.add((i, j))
        return pairs

    def both_told(self, i: int, j: int) -> bool:
        """A third outlet gives both values ("the index fell 3.2 percent" and "its shares fell 64 percent"):
        they are two things, each with its counterpart, not one thing the outlets disagree on. (Two
        outlets saying 37 against two saying 35 stay a conflict: nobody gives both.)

        Asked as "is there an outlet, not i's or j's, with a figure agreeing with i and one agreeing with j",
        from each figure's set of agreeing outlets (kept), instead of every third outlet's figures per pair.
        """
        apart = {self.figs[i].at.outlet, self.figs[j].at.outlet}
        return bool((self._agreeing(i) & self._agreeing(j)) - apart)

    def _agreeing(self, i: int) -> set[str]:
        """The outlets with a figure ``f`` such that ``agree(f, figs[i])``."""
        if i not in self._agreeing_outlets:
            self._agreeing_outlets[i] = {f.at.outlet for k, f in enumerate(self.figs) if self.agree(k, i)}
        return self._agreeing_outlets[i]
