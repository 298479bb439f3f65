"""Figures across the outlets of a group: which agree, which conflict, which are one number for two things.

Runs on every strictness-slider move, so it only does per-group work on cached
per-sentence extractions (figures, names, quotes, cues are memoised by text).
Agreement is checked before conflict: figures that agree are never reported as
a conflict, and a conflict needs evidence the two figures count the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.differences.attributes import measure_of
from reader.differences.claims import tellers, tellers_apart
from reader.differences.figpairs import GroupFigures, bounded, context, different_things, periods_apart
from reader.differences.figplace import different_settings
from reader.differences.figrelation import dimension, figure_relation
from reader.differences.figsaid import (
    FigAt,
    around,
    figure_finding,
    figure_label,
    figures_in,
    lemma,
    said_as,
    say_figure,
)
from reader.differences.figures import Figure
from reader.differences.measurecompare import frames_apart, nouns_apart, outcomes_apart, same_thing
from reader.differences.mentions import Mention, outlets_of, quoted
from reader.model import Agreement, Discrepancy, Group

# ---------------------------------------------------------------- figures


def _within(a: Figure, b: Figure, factor: float) -> bool:
    """The numbers two figures state ("up to 1.6 million" states 1.6 million) are within ``factor`` of each other."""
    converted = a.unit != b.unit and a.base_low is not None and b.base_low is not None  # "2 km" and "400 m"
    lo, hi = sorted((abs(_stated(a, converted) or 0.0), abs(_stated(b, converted) or 0.0)))
    return hi - lo <= 3 or hi <= factor * lo


def _framed_apart(a: FigAt, b: FigAt) -> bool:
    """The parse says the two figures belong to different owners or different times (``frames_apart``), or count
    two known outcomes ("destroyed" / "damaged": ``outcomes_apart``)."""
    ma, mb = measure_of(a.at.sentence.text, a.fig), measure_of(b.at.sentence.text, b.fig)
    return ma is not None and mb is not None and (frames_apart(ma, mb) or outcomes_apart(ma, mb))


# The extent a length measures, written after it: "100 metres (328 feet) deep", "about 100 meters... high".
_EXTENT = re.compile(
    r"^\s*\)?\s*(?:\([^)]*\)\s*)?[.…,]*\s*(deep|high|tall|long|wide|thick|across|above|below|away|offshore)\b"
)


def _extent(x: FigAt) -> str:
    end = x.conversion.end if x.conversion else x.fig.end
    m = _EXTENT.match(x.at.sentence.text[end:])
    return m.group(1) if m else ""


def _measured_apart(a: FigAt, b: FigAt) -> bool:
    """The parse says the two figures measure different things ("100 metres deep", "100 metres high"; "homes
    destroyed", "homes damaged")."""
    if _extent(a) and _extent(b) and _extent(a) != _extent(b):
        return True
    ma, mb = measure_of(a.at.sentence.text, a.fig), measure_of(b.at.sentence.text, b.fig)
    return ma is not None and mb is not None and (nouns_apart(ma, mb) or outcomes_apart(ma, mb))


def _same_thing(a: FigAt, b: FigAt, alone: bool) -> bool:
    """Do two counterpart figures from different outlets count one thing? ``alone``: each is its outlet's only one.

    Only called on figures already paired as counterparts inside one aligned group.
    """
    if a.fig.frame != b.fig.frame or _framed_apart(a, b) or periods_apart(a, b):
        return False
    if not _within(a.fig, b.fig, 10.0 if dimension(a.fig) == "count" else 2.5):
        # 9 against 149: a part against a total, a year against a decade, far more often than a misreport;
        # 2.5 percent against 71 percent, or $40 against $3 million, is two things
        return False
    if a.fig.head and b.fig.head:
        if lemma(a.fig.head) != lemma(b.fig.head):
            return False
        # The aligner says the sentences report one fact and the nouns match, so a paraphrased verb
        # ("taken off safely" / "rescued") is no reason to doubt it; two different places are.
        return dimension(a.fig) != "count" or not different_settings(a, b)
    if dimension(a.fig) != "count":
        return alone or len(context(a) & context(b)) >= 2
    return False  # two bare counts: too easily about different things to call a conflict


def _unanchored(a: FigAt, b: FigAt) -> bool:
    """Two percentages or sums of money that the parse ties to nothing in common: no shared verb, owner,
    subject or object ("he won 58 percent in the province" and "turnout was 61.3 percent"). A story has many
    shares and sums (turnout, vote, growth; paid, raised, owed), so being each outlet's only one in the group
    is too little to call them one thing that conflicts. (A length or a distance is rarer: "at a height of 4
    metres" still meets "5 metres high".)"""
    if not dimension(a.fig).startswith(("percent", "money")):
        return False
    ma, mb = measure_of(a.at.sentence.text, a.fig), measure_of(b.at.sentence.text, b.fig)
    return ma is not None and mb is not None and same_thing(ma, mb)[0] == 0


def _points_back(x: FigAt) -> bool:
    text = x.at.sentence.text
    return (
        x.fig.kind == "count"
        and not x.fig.hedge
        and x.fig.text.isalpha()
        and (x.fig.low or 0) <= 10
        and re.search(r"\b(?:the|these|those|both)\s+$", text[max(0, x.fig.start - 8) : x.fig.start], re.I) is not None
    )


def _heads_fit(a: FigAt, b: FigAt) -> bool:
    """Nothing says the two figures count different nouns ("300 rebels" vs "300 fighters" does)."""
    return not (a.fig.head and b.fig.head) or lemma(a.fig.head) == lemma(b.fig.head)


def _close(a: FigAt, b: FigAt) -> bool:
    """The numbers the two figures state are within 15% ("more than $25,000" and "about $25,000")."""
    converted = a.fig.unit != b.fig.unit and a.fig.base_low is not None and b.fig.base_low is not None
    pa, pb = _stated(a.fig, converted), _stated(b.fig, converted)
    return pa is not None and pb is not None and abs(pa - pb) <= 0.15 * max(abs(pa), abs(pb))


def _stated(f: Figure, converted: bool) -> float | None:
    """The number a figure states: the bound of "at least 37", the middle of "30 to 40"."""
    low, high = (f.base_low, f.base_high) if converted else (f.low, f.high)
    if low is None or high is None:
        return None
    return low if f.hedge == "min" else high if f.hedge == "max" else (low + high) / 2


def figure_findings(group: Group, mentions: Sequence[Mention]) -> tuple[list[Discrepancy], list[Agreement]]:
    figs = figures_in(mentions)
    outlets = {x.at.outlet for x in figs}
    if len(outlets) < 2:
        return [], []
    pairs = GroupFigures(figs)  # each pair's agreement and each figure's words, worked out once per group
    agreed, in_cluster = _agreeing(pairs)
    agreements = [
        Agreement("figure", group.id, said_as([x.fig for x in c]),
                  tuple(dict.fromkeys(x.at.sentence.id for x in c)), outlets_of([x.at for x in c]))
        for c in agreed
    ]  # fmt: skip
    flagged_same_number, hedged, conflicts = _paired(pairs, in_cluster)
    found = [_same_number_finding(group, figs[i], figs[j]) for i, j in sorted(flagged_same_number)]
    hedges = {i: {j for a, j in hedged if a == i} for i, _ in hedged}
    found += [_hedged_finding(group, sides) for sides in _conflict_sets(figs, hedges)]
    found += [_conflict_finding(group, sides) for sides in _conflict_sets(figs, conflicts)]
    return found, agreements


def _agreeing(pairs: GroupFigures) -> tuple[list[list[FigAt]], dict[int, int]]:
    """Clusters of figures that outlets give alike (one figure per outlet), and each member's cluster."""
    figs = pairs.figs
    agreed: list[list[FigAt]] = []
    in_cluster: dict[int, int] = {}
    for i, x in enumerate(figs):
        if i in in_cluster:
            continue
        cluster = [x]
        for j in range(i + 1, len(figs)):
            y = figs[j]
            if j in in_cluster or y.at.outlet in {c.at.outlet for c in cluster}:
                continue
            if pairs.agree(i, j) and not _measured_apart(x, y):
                cluster.append(y)
                in_cluster[j] = len(agreed)
        # "dozens" twice corroborates little, and neither does "the two countries" twice: a definite
        # small number word points back at things already named rather than reporting a figure.
        if len(cluster) >= 2 and x.fig.kind != "vague" and not all(_points_back(c) for c in cluster):
            in_cluster[i] = len(agreed)
            agreed.append(cluster)
    return agreed, in_cluster


def _paired(
    pairs: GroupFigures, in_cluster: dict[int, int]
) -> tuple[set[tuple[int, int]], list[tuple[int, int]], dict[int, set[int]]]:
    """Pairs of figures (i < j) from two outlets that are one number for different things, the same
    figure hedged differently, and conflicting counterparts (i -> the j it conflicts with)."""
    figs = pairs.figs
    count: dict[tuple[str, str], int] = {}
    for x in figs:
        count[(x.at.outlet, dimension(x.fig))] = count.get((x.at.outlet, dimension(x.fig)), 0) + 1
    conflicts: dict[int, set[int]] = {}
    flagged_same_number: set[tuple[int, int]] = set()
    hedged: list[tuple[int, int]] = []
    counterparts = pairs.counterparts()
    for i, x in enumerate(figs):
        for j in range(i + 1, len(figs)):
            y = figs[j]
            if x.at.outlet == y.at.outlet:
                continue
            same_cluster = i in in_cluster and in_cluster.get(j) == in_cluster[i]
            if (i, j) not in counterparts and not (x.fig.low == y.fig.low and different_things(x, y)):
                continue  # none of the three below can hold: skip the relation (a 200-outlet group has 10^5 pairs)
            rel = figure_relation(x.fig, y.fig)
            if rel in ("same", "compatible") and x.fig.low == y.fig.low and different_things(x, y) and not same_cluster:
                flagged_same_number.add((i, j))
            elif (
                rel in ("same", "compatible")
                and not same_cluster
                and (i, j) in counterparts
                and bounded(x, y)
                and x.fig.hedge != y.fig.hedge
                and _close(x, y)
                and _same_thing(x, y, True)
            ):
                hedged.append((i, j))
            elif rel == "conflict" and not same_cluster and (i, j) in counterparts and not pairs.both_told(i, j):
                alone = count[(x.at.outlet, dimension(x.fig))] == 1 and count[(y.at.outlet, dimension(y.fig))] == 1
                if _same_thing(x, y, alone) and not _unanchored(x, y):
                    conflicts.setdefault(i, set()).add(j)
    return flagged_same_number, hedged, conflicts


def _same_number_finding(group: Group, x: FigAt, y: FigAt) -> Discrepancy:
    summary = (
        f"Same number, different things: {x.fig.text.strip()} in {x.at.outlet} ({quoted(around(x), 90)}) "
        f"vs {y.at.outlet} ({quoted(around(y), 90)})"
    )
    why = "One number that the two sentences use for different things (a size and a count, say): check which"
    # A reading hint, not two outlets disagreeing: both may be right about their own thing, so worth a look only.
    return figure_finding("figure", group, summary, [x, y], "same number, different things", 0.5, why)


def _hedged_finding(group: Group, sides: list[FigAt]) -> Discrepancy:
    written: dict[str, tuple[str, list[str]]] = {}
    for side in sides:
        value = " ".join(side.fig.text.split())
        said_by = written.setdefault(value.casefold(), (value, []))[1]
        if side.at.outlet not in said_by:
            said_by.append(side.at.outlet)
    summary = f"{figure_label(sides[0])}: " + " vs ".join(f"{v} ({', '.join(o)})" for v, o in written.values())
    why = (
        "The sentences report the same fact with nearly the same number, but one outlet gives a bound "
        "(“at least”, “more than”, “up to”) where another does not: not quite the same claim"
    )
    return figure_finding("figure", group, summary, sides, "hedged differently", 0.5, why)


def _conflict_finding(group: Group, sides: list[FigAt]) -> Discrepancy:
    x, others = sides[0], sides[1:]
    said: dict[str, tuple[str, list[str]]] = {}
    for side in sides:
        value = say_figure(side.fig)
        said_by = said.setdefault(value.casefold(), (value, []))[1]
        if side.at.outlet not in said_by:
            said_by.append(side.at.outlet)
    summary = f"{figure_label(x)}: " + " vs ".join(f"{value} ({', '.join(o)})" for value, o in said.values())
    if all(s.conversion for s in sides):
        summary += "; " + " vs ".join(" ".join(s.conversion.text.split()) for s in sides if s.conversion)
    confidence = 0.8 if dimension(x.fig) != "count" else 0.6
    if any(s.fig.kind == "vague" for s in sides):
        confidence = 0.45
    bounds = x.fig.hedge in ("max", "min") and all(s.fig.hedge == x.fig.hedge for s in others)
    detail = "different bounds" if bounds else "conflict"
    what = f"count {x.fig.head}" if x.fig.head and x.fig.kind == "count" else f"give the {figure_label(x).lower()}"
    why = f"The sentences report the same fact and both {what}, with values that cannot both be right"
    told = [tellers(s.at.sentence.text) for s in sides]
    if _any_tellers_apart(told):
        # "police said 2,000 marched" / "organisers said 10,000": each outlet may report its source right
        confidence = min(confidence, 0.45)
        who = " / ".join(dict.fromkeys(", ".join(sorted(t)) for t in told if t))
        summary += f"; told by different sources ({who})"
        why = f"Both {what}, each from a different source ({who}): the sources disagree, and each outlet may be right"
    return figure_finding("figure", group, summary, sides, detail, confidence, why)


def _any_tellers_apart(told: list[frozenset[str]]) -> bool:
    """Are ``told[i]`` and ``told[j]`` apart for some i < j? A conflict at 200 articles has hundreds of sides but
    few distinct tellers, so each ordered pair of distinct values is asked once: (a, b) occurs as some
    (told[i], told[j]) exactly when a's first place is before b's last."""
    first: dict[frozenset[str], int] = {}
    last: dict[frozenset[str], int] = {}
    for k, t in enumerate(told):
        first.setdefault(t, k)
        last[t] = k
    return any(tellers_apart(a, b) for a in first for b in last if first[a] < last[b])


def _conflict_sets(figs: Sequence[FigAt], conflicts: dict[int, set[int]]) -> list[list[FigAt]]:
    """Conflicting counterparts joined into one finding: "37 (A, C) vs 35 (B)", not "37 (A) vs 35 (B)" twice."""
    parent = {i: i for i in conflicts} | {j: j for js in conflicts.values() for j in js}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, js in conflicts.items():
        for j in js:
            parent[root(j)] = root(i)
    members: dict[int, list[int]] = {}
    for i in sorted(parent):
        members.setdefault(root(i), []).append(i)
    return [[figs[i] for i in ids] for ids in sorted(members.values())]
