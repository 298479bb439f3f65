"""Figures across the outlets of a group: which agree, which conflict, which are one number for two things.

Runs on every strictness-slider move, so it only does per-group work on cached
per-sentence extractions (figures, names, quotes, cues are memoised by text).
Agreement is checked before conflict: figures that agree are never reported as
a conflict, and a conflict needs evidence the two figures count the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.figures import Figure, dimension, figure_relation, find_figures
from reader.model import Agreement, Article, Discrepancy, Group, Sentence, Span
from reader.units import format_number
from reader.worddiff import tokens


@dataclass(frozen=True)
class Mention:
    """Something found in one outlet's sentence of a group."""

    outlet: str
    order: int  # the outlet's article position, for stable output
    sentence: Sentence


@dataclass(frozen=True)
class _Fig:
    at: Mention
    fig: Figure
    conversion: Figure | None  # "(19 miles)" restating it


def span_of(m: Mention, start: int, end: int) -> Span:
    return Span(m.sentence.id, m.sentence.text[start:end], start, end)


def outlets_of(mentions: Sequence[Mention]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    for m in mentions:
        seen.setdefault(m.outlet, m.order)
    return tuple(sorted(seen, key=seen.__getitem__))


def by_outlet(group: Group, index: dict[str, Mention]) -> list[Mention]:
    found = [index[s] for s in group.sentences if s in index]
    return sorted(found, key=lambda m: (m.order, m.sentence.start))


def index_sentences(articles: Sequence[Article]) -> dict[str, Mention]:
    return {s.id: Mention(a.outlet, i, s) for i, a in enumerate(articles) for s in a.sentences}


def quoted(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


# ---------------------------------------------------------------- figures

CONTEXT_STOP = frozenset(
    "the a an of in on at to for and or but is are was were be been by with as that this it its from has have had "
    "he she they their his her said says about some more than less within nearly around".split()
)
_TOPIC = re.compile(r"^\s*\)?\s*(?:\([^)]*\)\s*)?(of|from|to)\s+((?:the\s+)?[\w’'-]+(?:['’]s)?(?:\s+[a-z][\w-]+)?)")
_LABELS = {"distance": "Distance", "percent": "Percentage", "duration": "Duration", "mass": "Weight",
           "area": "Area", "speed": "Speed", "volume": "Volume", "temperature": "Temperature"}  # fmt: skip


def _figures(mentions: Sequence[Mention]) -> list[_Fig]:
    out = []
    for m in mentions:
        figs = find_figures(m.sentence.text)
        for i, f in enumerate(figs):
            if f.converts_previous or f.kind in ("date", "time") or f.low is None:
                continue
            nxt = figs[i + 1] if i + 1 < len(figs) and figs[i + 1].converts_previous else None
            out.append(_Fig(m, f, nxt))
    return out


def _context(x: _Fig) -> set[str]:
    text = x.at.sentence.text
    window = text[max(0, x.fig.start - 50) : x.fig.end + 50]
    return {t.norm for t in tokens(window) if t.is_word and t.norm not in CONTEXT_STOP and not t.norm[0].isdigit()}


def _lemma(word: str) -> str:
    for suffix, repl in (("ies", "y"), ("men", "man"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


def _same_thing(a: _Fig, b: _Fig, alone: bool) -> bool:
    """Do two figures (from different outlets) count the same thing? ``alone``: each is its outlet's only one."""
    if a.fig.frame != b.fig.frame:
        return False
    if a.fig.head and b.fig.head:
        if _lemma(a.fig.head) != _lemma(b.fig.head):
            return False
        # "six people killed" in one town and "ten people killed" in another share only the head and
        # the verb: ask for two more shared words around the figures before calling it one count.
        shared = (_context(a) & _context(b)) - {a.fig.head, b.fig.head}
        return dimension(a.fig) != "count" or len(shared) >= 2
    if dimension(a.fig) != "count":
        return alone or len(_context(a) & _context(b)) >= 2
    return False  # two bare counts: too easily about different things to call a conflict


def _different_things(a: _Fig, b: _Fig) -> bool:
    # Only the frame is trusted here: "rebels" and "fighters" can count the same people.
    return a.fig.frame != b.fig.frame


def _say(f: Figure) -> str:
    """A figure as a reader would say it: "312 voters", "30 km", "about 3,000 to 5,000"."""
    if f.kind == "vague":
        return re.sub(r"\s+of$", "", " ".join(f.text.split()))  # "scores of" -> "scores"
    if f.hedge or f.low != f.high or f.low is None:
        return " ".join(f.text.split())
    unit = f.unit if f.unit != "%" else ""
    said = format_number(f.low) + ("%" if f.unit == "%" else "") + (f" {unit}" if unit else "")
    return said + (f" {f.head}" if f.head and f.kind == "count" else "")


def _label(x: _Fig) -> str:
    kind = x.fig.kind
    if kind.startswith("money"):
        base = "Amount"
    elif kind in _LABELS:
        base = _LABELS[kind]
    else:
        base = f"Number of {x.fig.head}" if x.fig.head else "Figure"
    end = x.conversion.end if x.conversion else x.fig.end
    topic = _TOPIC.match(x.at.sentence.text[end:])
    if topic and kind in _LABELS:
        prep = "to" if kind == "distance" and topic.group(1) == "of" else topic.group(1)  # "within 30 km of X"
        return f"{base} {prep} {topic.group(2)}"
    return base


def figure_findings(group: Group, mentions: Sequence[Mention]) -> tuple[list[Discrepancy], list[Agreement]]:
    figs = _figures(mentions)
    outlets = {x.at.outlet for x in figs}
    if len(outlets) < 2:
        return [], []
    agreed: list[list[_Fig]] = []
    in_cluster: dict[int, int] = {}
    for i, x in enumerate(figs):
        if i in in_cluster:
            continue
        cluster = [x]
        for j in range(i + 1, len(figs)):
            y = figs[j]
            if j in in_cluster or y.at.outlet in {c.at.outlet for c in cluster}:
                continue
            if figure_relation(x.fig, y.fig) in ("same", "compatible") and not _different_things(x, y):
                cluster.append(y)
                in_cluster[j] = len(agreed)
        if len(cluster) >= 2 and x.fig.kind != "vague":  # "dozens" twice corroborates little
            in_cluster[i] = len(agreed)
            agreed.append(cluster)
    agreements = [
        Agreement("figure", group.id, _say(c[0].fig), tuple(dict.fromkeys(x.at.sentence.id for x in c)),
                  outlets_of([x.at for x in c]))
        for c in agreed
    ]  # fmt: skip
    found: list[Discrepancy] = []
    count = {}
    for x in figs:
        count[(x.at.outlet, dimension(x.fig))] = count.get((x.at.outlet, dimension(x.fig)), 0) + 1
    conflicts: dict[int, set[int]] = {}
    flagged_same_number: set[tuple[int, int]] = set()
    for i, x in enumerate(figs):
        for j in range(i + 1, len(figs)):
            y = figs[j]
            if x.at.outlet == y.at.outlet:
                continue
            rel = figure_relation(x.fig, y.fig)
            same_cluster = i in in_cluster and in_cluster.get(j) == in_cluster[i]
            if (
                rel in ("same", "compatible")
                and x.fig.low == y.fig.low
                and _different_things(x, y)
                and not same_cluster
            ):
                flagged_same_number.add((i, j))
            elif rel == "conflict" and not same_cluster:
                alone = count[(x.at.outlet, dimension(x.fig))] == 1 and count[(y.at.outlet, dimension(y.fig))] == 1
                if _same_thing(x, y, alone):
                    conflicts.setdefault(i, set()).add(j)
    for i, j in sorted(flagged_same_number):
        x, y = figs[i], figs[j]
        summary = (
            f"Same number, different things: {x.fig.text.strip()} in {x.at.outlet} ({quoted(_around(x), 60)}) "
            f"vs {y.at.outlet} ({quoted(_around(y), 60)})"
        )
        found.append(_disc("figure", group, summary, [x, y], "same number, different things", 0.6))
    for i in sorted(conflicts):
        x = figs[i]
        others = [figs[j] for j in sorted(conflicts[i])]
        sides = [x, *others]
        said: dict[str, list[str]] = {}
        for side in sides:
            outlets = said.setdefault(_say(side.fig), [])
            if side.at.outlet not in outlets:
                outlets.append(side.at.outlet)
        summary = f"{_label(x)}: " + " vs ".join(f"{value} ({', '.join(o)})" for value, o in said.items())
        if all(s.conversion for s in sides):
            summary += "; " + " vs ".join(" ".join(s.conversion.text.split()) for s in sides if s.conversion)
        confidence = 0.8 if dimension(x.fig) != "count" else 0.6
        if x.fig.kind == "vague" or any(o.fig.kind == "vague" for o in others):
            confidence = 0.45
        bounds = x.fig.hedge in ("max", "min") and x.fig.hedge == others[0].fig.hedge
        detail = "different bounds" if bounds else "conflict"
        found.append(_disc("figure", group, summary, sides, detail, confidence))
    return found, agreements


def _around(x: _Fig) -> str:
    """A few whole words either side of a figure, for a summary line."""
    text = x.at.sentence.text
    before = text[: x.fig.start].split()[-4:]
    after = text[x.fig.end :].split()[:4]
    return " ".join([*before, x.fig.text.strip(), *after])


def _disc(kind: str, group: Group, summary: str, sides: Sequence[_Fig], detail: str, conf: float) -> Discrepancy:
    values = []
    for s in sides:
        values.append(span_of(s.at, s.fig.start, s.fig.end))
        if s.conversion:
            values.append(span_of(s.at, s.conversion.start, s.conversion.end))
    return Discrepancy("", kind, group.id, summary, tuple(values), outlets_of([s.at for s in sides]), detail, conf)  # type: ignore[arg-type]


# ---------------------------------------------------------------- across groups

# Physical quantities with a named reference point ("within 30 km of the capital") are one claim
# wherever the aligner put the sentences; counts are not (two "12" can be anything).
_STORY_KINDS = frozenset({"distance", "area", "speed", "mass", "volume"})


def _topic_word(x: _Fig) -> str:
    end = x.conversion.end if x.conversion else x.fig.end
    topic = _TOPIC.match(x.at.sentence.text[end:])
    if not topic:
        return ""
    words = [w for w in topic.group(2).split() if w.casefold() != "the"]
    return re.sub(r"['’]s$", "", words[0]).casefold() if words else ""


def story_figure_findings(
    mentions: Sequence[Mention], group_of: dict[str, Group], order: dict[str, int]
) -> list[Discrepancy]:
    """Figure conflicts between sentences the aligner kept in different groups.

    Only two narrow cases, both with lowered confidence: a physical quantity
    measured from the same named place, and one large count used for two things
    ("a city of 40,000" vs "40,000 had fled").
    """
    figs = _figures(mentions)
    found: list[Discrepancy] = []
    seen: set[tuple[str, str]] = set()
    for i, x in enumerate(figs):
        for y in figs[i + 1 :]:
            gx, gy = group_of.get(x.at.sentence.id), group_of.get(y.at.sentence.id)
            if x.at.outlet == y.at.outlet or gx is None or gy is None or gx.id == gy.id:
                continue
            home = gx if order[gx.id] <= order[gy.id] else gy
            key = (x.at.sentence.id, y.at.sentence.id)
            if key in seen:
                continue
            if x.fig.kind in _STORY_KINDS and _topic_word(x) and _topic_word(x) == _topic_word(y):
                if figure_relation(x.fig, y.fig) != "conflict":
                    continue
                summary = f"{_label(x)}: {_say(x.fig)} ({x.at.outlet}) vs {_say(y.fig)} ({y.at.outlet})"
                if x.conversion and y.conversion:
                    summary += f"; {' '.join(x.conversion.text.split())} vs {' '.join(y.conversion.text.split())}"
                bounds = x.fig.hedge in ("max", "min") and x.fig.hedge == y.fig.hedge
                found.append(_disc("figure", home, summary, [x, y], "different bounds" if bounds else "conflict", 0.6))
                seen.add(key)
            elif (
                x.fig.kind == y.fig.kind == "count"
                and x.fig.low == y.fig.low
                and x.fig.low is not None
                and x.fig.low >= 1000
                and x.fig.frame != y.fig.frame
                and x.fig.head
                and _lemma(x.fig.head) == _lemma(y.fig.head)
            ):
                summary = (
                    f"Same number, different things: {x.fig.text.strip()} in {x.at.outlet} "
                    f"({quoted(_around(x), 60)}) vs {y.at.outlet} ({quoted(_around(y), 60)})"
                )
                found.append(_disc("figure", home, summary, [x, y], "same number, different things", 0.5))
                seen.add(key)
    return found
