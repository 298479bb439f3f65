"""What the outlets of each group say differently, and which figures two or more of them confirm.

Runs on every strictness-slider move, so it only does per-group work on cached
per-sentence extractions (figures, names, quotes, cues are memoised by text).
Each kind has its own module (figdiff per group; figstory and figplace story-wide; datediff, namediff,
quotediff, claimdiff); this one runs them per group and story-wide, guarded, and numbers what they find.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from reader.differences import namediff
from reader.differences.chargediff import charge_findings
from reader.differences.claimdiff import claim_findings, wording_findings
from reader.differences.claimstory import story_claim_findings
from reader.differences.datediff import date_findings
from reader.differences.degreediff import degree_findings
from reader.differences.figagree import story_agreements
from reader.differences.figdiff import figure_findings
from reader.differences.figplace import story_figure_findings
from reader.differences.figstory import figure_sentences, story_attribute_findings
from reader.differences.figures import find_figures
from reader.differences.mentions import Mention, by_outlet, index_sentences
from reader.differences.parse import parse_all
from reader.differences.quotediff import story_quote_findings
from reader.differences.requestdiff import request_findings
from reader.differences.unknowndiff import unknown_findings
from reader.model import DISCREPANCY_KINDS, Agreement, Article, Discrepancy, Group

# ---------------------------------------------------------------- public API

log = logging.getLogger(__name__)


def _guarded(what: str, where: str, finder: Callable[[], Sequence], /) -> list:
    """One finder on one group. A bug there costs that finding, not the whole comparison: it is logged and
    the rest goes on. Tests set PARALLAX_STRICT=1, so the same bug still fails them."""
    try:
        return list(finder())
    except Exception:
        if os.environ.get("PARALLAX_STRICT") == "1":
            raise
        log.exception("finding %s differences in %s failed; the other findings stand", what, where)
        return []


@dataclass
class _Run:
    """One find_discrepancies run: its inputs, its result, and what find_agreements reads again from it.

    ``figures`` (per group position) and ``dates`` hold the figure and date finders' whole results, agreements
    included: at 200 articles they take most of the stage's time, and find_agreements would otherwise redo
    them for the same articles and groups.
    """

    articles: tuple[Article, ...]
    groups: tuple[Group, ...]
    found: tuple[Discrepancy, ...] = ()
    figures: dict[int, tuple[list[Discrepancy], list[Agreement]]] = field(default_factory=dict)
    dates: tuple[list[Discrepancy], list[Agreement]] | None = None

    def figure_findings(self, k: int, mentions: list[Mention]) -> tuple[list[Discrepancy], list[Agreement]]:
        if k not in self.figures:
            self.figures[k] = figure_findings(self.groups[k], mentions)
        return self.figures[k]

    def date_findings(self, index: dict[str, Mention]) -> tuple[list[Discrepancy], list[Agreement]]:
        if self.dates is None:
            self.dates = date_findings(self.articles, self.groups, index)
        return self.dates


# The last run, kept by the identity of its inputs: find_agreements needs the conflicts that
# find_discrepancies just found for the same articles and groups (the pipeline calls one after the other),
# and reuses its figure and date findings.
_LAST: list[_Run] = []


def find_discrepancies(articles: Sequence[Article], groups: Sequence[Group]) -> tuple[Discrepancy, ...]:
    """Every difference between the outlets of each group, ordered by group, then kind; ids "d1", "d2", ...

    After the per-group pass, a story-wide pass compares quotes, names and figures wherever the
    aligner put their sentences; those are filed under the earlier group.
    """
    arts, grps = tuple(articles), tuple(groups)
    return _run(arts, grps).found


def _run(articles: tuple[Article, ...], groups: tuple[Group, ...]) -> _Run:
    """The run of find_discrepancies on these very articles and groups: the last one, or a new one."""
    last = _LAST[0] if _LAST else None
    if last is not None and _same_objects(last.articles, articles) and _same_objects(last.groups, groups):
        return last
    run = _Run(articles, groups)
    run.found = _find_discrepancies(run)
    _LAST[:] = [run]
    return run


def _same_objects(a: Sequence[object], b: Sequence[object]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _find_discrepancies(run: _Run) -> tuple[Discrepancy, ...]:
    articles, groups = run.articles, run.groups
    index = index_sentences(articles)
    parse_all(figure_sentences(sorted(index.values(), key=lambda m: (m.order, m.sentence.start))))
    per_group: dict[str, list[Discrepancy]] = {g.id: [] for g in groups}
    for k, group in enumerate(groups):
        mentions = by_outlet(group, index)
        if len({m.outlet for m in mentions}) < 2:
            continue  # a fact one outlet reports alone: nothing to compare
        finders = (
            ("figure", lambda k=k, m=mentions: run.figure_findings(k, m)[0]),
            ("name", lambda g=group, m=mentions: namediff.name_findings(g, m)),
            ("claim", lambda g=group, m=mentions: claim_findings(g, m)),
            ("wording", lambda g=group, m=mentions: wording_findings(g, m)),
            ("degree", lambda g=group, m=mentions: degree_findings(g, m)),
        )
        for what, finder in finders:
            per_group[group.id].extend(_guarded(what, group.id, finder))
    for d in _guarded("story-wide", "the story", lambda: _story_findings(run, index, per_group)):
        per_group[d.group].append(d)
    out = [d for g in groups for d in sorted(per_group[g.id], key=lambda d: DISCREPANCY_KINDS.index(d.kind))]
    # A sentence may sit in more than one group: one difference between the same words is reported once.
    seen: set[tuple[str, str, frozenset[tuple[str, int, int]]]] = set()
    unique = []
    for d in out:
        key = (d.kind, d.detail, frozenset((v.sentence, v.start, v.end) for v in d.values))
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return tuple(replace(d, id=f"d{i}") for i, d in enumerate(unique, start=1))


def _story_findings(run: _Run, index: dict[str, Mention], per_group: dict[str, list[Discrepancy]]) -> list[Discrepancy]:
    articles, groups = run.articles, run.groups
    group_of, mates = _homes(groups, index)
    order = {g.id: i for i, g in enumerate(groups)}
    mentions = sorted(index.values(), key=lambda m: (m.order, m.sentence.start))
    found = story_figure_findings(mentions, group_of, order)
    flagged = {(v.sentence, v.start) for ds in per_group.values() for d in ds if d.kind == "figure" for v in d.values}
    found += _guarded(
        "story-wide figure", "the story", lambda: story_attribute_findings(mentions, group_of, order, flagged, mates)
    )
    found += _guarded("quote", "the story", lambda: story_quote_findings(articles, groups, index))
    found += _guarded("date", "the story", lambda: run.date_findings(index)[0])
    found += _guarded("story-wide claim", "the story", lambda: story_claim_findings(articles, groups, index))
    found += _guarded("charge", "the story", lambda: charge_findings(articles, groups, index))
    found += _guarded("request", "the story", lambda: request_findings(articles, groups, index))
    found += _guarded("not known", "the story", lambda: unknown_findings(articles, groups, index))
    reported = {frozenset(v.text for v in d.values) for ds in per_group.values() for d in ds if d.kind == "name"}
    found += namediff.story_name_findings(mentions, group_of, order, reported)
    return found


def _homes(groups: Sequence[Group], index: dict[str, Mention]) -> tuple[dict[str, Group], dict[str, list[str]]]:
    """Each sentence's first group, and the texts of its group-mates from other outlets."""
    group_of: dict[str, Group] = {}
    mates: dict[str, list[str]] = {}
    for g in groups:
        for sid in g.sentences:
            group_of.setdefault(sid, g)
            if sid in index:
                own = index[sid].outlet
                mates.setdefault(sid, []).extend(
                    index[o].sentence.text for o in g.sentences if o in index and index[o].outlet != own
                )
    return group_of, mates


def _numbers(text: str) -> set[float]:
    return {f.low for f in find_figures(text) if f.low is not None}


def _contested(
    articles: Sequence[Article], groups: Sequence[Group], details: tuple[str, ...]
) -> set[tuple[str, float]]:
    """(sentence, value) of every figure some finding of these ``details`` names: a figure another outlet
    contradicts ("conflict") or bounds otherwise ("different bounds")."""
    found = find_discrepancies(articles, groups)
    return {
        (v.sentence, n)
        for d in found
        if d.kind == "figure" and d.detail in details
        for v in d.values
        for n in _numbers(v.text)
    }


def _disputes(articles: Sequence[Article], groups: Sequence[Group]) -> dict[tuple[str, float], set[float]]:
    """(sentence, value) of every figure a conflict names -> the values the other outlets give against it."""
    out: dict[tuple[str, float], set[float]] = {}
    for d in find_discrepancies(articles, groups):
        if d.kind == "figure" and d.detail == "conflict":
            said = [(v.sentence, _numbers(v.text)) for v in d.values]
            every = set().union(*(ns for _, ns in said))
            for sid, ns in said:
                for n in ns:
                    out.setdefault((sid, n), set()).update(every - ns)
    return out


def _refutes(other: float, agreed: float) -> bool:
    """Does another outlet's ``other`` dispute the ``agreed`` figure? Not when it only says it with fewer digits
    ("$43 million" for "$43,885,310"), nor when it is too far off to be the same thing misreported (a conflict
    between 3.2 and 64 percent pairs two things, and must not unsettle either)."""

    def digits(x: float) -> int:
        return len(f"{abs(x):.6e}".split("e")[0].replace(".", "").rstrip("0"))

    lo, hi = sorted((abs(other), abs(agreed)))
    if hi > 2.5 * lo:
        return False
    return not (digits(other) < digits(agreed) and hi - lo <= 0.05 * hi)


def _agreeing(run: _Run, k: int, mentions: list[Mention]) -> list[Agreement]:
    return list(run.figure_findings(k, mentions)[1])


def find_agreements(articles: Sequence[Article], groups: Sequence[Group]) -> tuple[Agreement, ...]:
    """Figures that two or more outlets of a group give alike (same, or compatible after rounding/conversion)."""
    index = index_sentences(articles)
    story = sorted(index.values(), key=lambda m: (m.order, m.sentence.start))
    parse_all(figure_sentences(story))
    bounded = _contested(articles, groups, ("conflict", "different bounds"))
    disputed = _disputes(articles, groups)
    # The figure and date findings of find_discrepancies' run on these articles and groups (the calls above
    # made sure there is one), not worked out again.
    run = _run(tuple(articles), tuple(groups))
    out: list[Agreement] = []
    for k, group in enumerate(groups):
        mentions = by_outlet(group, index)
        if len({m.outlet for m in mentions}) >= 2:
            found = _guarded("agreeing figure", group.id, partial(_agreeing, run, k, mentions))
            out += [a for a in found if _undisputed(a, bounded, disputed)]
    # Figures alike for one measured thing in sentences the aligner kept apart (an age, a document's length).
    group_of, mates = _homes(groups, index)
    order = {g.id: i for i, g in enumerate(groups)}
    found = _guarded(
        "story-wide agreeing figure", "the story", partial(story_agreements, story, group_of, order, mates)
    )
    out += [a for a in found if _undisputed(a, bounded, disputed) and not _told_already(a, out)]
    # Days, dates and times the outlets of a group give alike, in story order with the figures.
    dates = _guarded("agreeing date", "the story", lambda: run.date_findings(index)[1])
    merged = sorted(out + dates, key=lambda a: order.get(a.group, len(order)))
    return tuple(_merge_repeats(merged))


def _undisputed(a: Agreement, bounded: set[tuple[str, float]], disputed: dict[tuple[str, float], set[float]]) -> bool:
    values = _numbers(a.value)
    if len(values) > 1 and any((sid, n) in bounded for sid in a.sentences for n in values):
        # "nearly $18 million" fits "$17,904,220", but a third outlet's "$17 million" disputes the
        # figure: a loose fit is no corroboration then
        return False
    # "five injured" in two outlets and "seven" in a third: the conflict names who says five; listing five as
    # confirmed too would call a disputed figure settled. (A third outlet's "$43 million" for "$43,885,310"
    # rounds the figure two outlets give to the dollar: that stays corroborated, beside the flag.)
    return not any(_refutes(r, n) for sid in a.sentences for n in values for r in disputed.get((sid, n), ()))


def _told_already(a: Agreement, found: Sequence[Agreement]) -> bool:
    """A story-wide agreement whose figure an aligned group already confirms from one of its sentences ("two
    men" again in a later paragraph) adds no corroboration."""
    numbers = _numbers(a.value)
    return any(set(a.sentences) & set(b.sentences) and numbers <= _numbers(b.value) for b in found)


def _forms(a: Agreement) -> set[str]:
    return {f.strip().casefold() for f in a.value.split(" / ")}


def _merge_repeats(agreements: Sequence[Agreement]) -> list[Agreement]:
    """One agreement per corroboration: a sentence in two groups, or a group that adds one outlet's sentence
    to another group's pair, gives the same figure from the same sentences again. An agreement that shares
    two or more sentences and its numbers with an earlier one joins it (the sentences and outlets of both)."""
    out: list[Agreement] = []
    for a in agreements:
        numbers = _numbers(a.value)
        for k, b in enumerate(out):
            if b.kind != a.kind or len(set(a.sentences) & set(b.sentences)) < 2:
                continue
            if numbers == _numbers(b.value) if numbers else bool(_forms(a) & _forms(b)):
                said = dict.fromkeys([*b.value.split(" / "), *a.value.split(" / ")])
                out[k] = replace(
                    b, value=" / ".join(said), sentences=tuple(dict.fromkeys(b.sentences + a.sentences)),
                    outlets=tuple(dict.fromkeys(b.outlets + a.outlets)),
                )  # fmt: skip
                break
        else:
            out.append(a)
    return out
