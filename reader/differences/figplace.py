"""Two narrow story-wide figure comparisons, wherever the aligner put the sentences: a physical quantity
measured from one named place ("within 30 km of the capital" / "less than 50 km from the capital"), and one
large count used for two things ("a city of 40,000" / "40,000 had fled").

The broad comparison by what each figure measures is ``reader.differences.figstory``. Also here: where a
sentence places what it counts ("on the trail", "at the hut"), which keeps two aligned counts apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.differences.figrelation import figure_relation
from reader.differences.figsaid import (
    FigAt,
    around,
    figure_finding,
    figure_label,
    figures_in,
    lemma,
    say_figure,
    topic_word,
)
from reader.differences.mentions import CONTEXT_STOP, Mention, quoted
from reader.model import Discrepancy, Group

# Physical quantities with a named reference point ("within 30 km of the capital") are one claim
# wherever the aligner put the sentences; counts are not (two "12" can be anything).
_STORY_KINDS = frozenset({"distance", "area", "speed", "mass", "volume"})


def story_figure_findings(
    mentions: Sequence[Mention], group_of: dict[str, Group], order: dict[str, int]
) -> list[Discrepancy]:
    """Figure conflicts between sentences the aligner kept in different groups.

    Only two narrow cases, both with lowered confidence: a physical quantity
    measured from the same named place, and one large count used for two things
    ("a city of 40,000" vs "40,000 had fled").
    """
    figs = figures_in(mentions)
    found: list[Discrepancy] = []
    seen: set[tuple[str, str]] = set()
    # Only figures that share a bucket can pair: a quantity measured from one named place, or one large
    # count of one noun. Buckets keep this linear-ish at 200 outlets (all pairs were 12 million there).
    buckets: dict[tuple[object, ...], list[int]] = {}
    for i, x in enumerate(figs):
        if x.fig.kind in _STORY_KINDS and topic_word(x):
            buckets.setdefault(("place", x.fig.kind, topic_word(x)), []).append(i)
        elif x.fig.kind == "count" and x.fig.low is not None and x.fig.low >= 1000 and x.fig.head:
            buckets.setdefault(("count", x.fig.low, lemma(x.fig.head)), []).append(i)
    candidates = sorted({(i, j) for ids in buckets.values() for n, i in enumerate(ids) for j in ids[n + 1 :]})
    for i, j in candidates:
        x, y = figs[i], figs[j]
        gx, gy = group_of.get(x.at.sentence.id), group_of.get(y.at.sentence.id)
        if x.at.outlet == y.at.outlet or gx is None or gy is None or gx.id == gy.id:
            continue
        home = gx if order[gx.id] <= order[gy.id] else gy
        key = (x.at.sentence.id, y.at.sentence.id)
        if key in seen:
            continue
        if x.fig.kind in _STORY_KINDS and topic_word(x) and topic_word(x) == topic_word(y):
            if figure_relation(x.fig, y.fig) != "conflict":
                continue
            summary = f"{figure_label(x)}: {say_figure(x.fig)} ({x.at.outlet}) vs {say_figure(y.fig)} ({y.at.outlet})"
            if x.conversion and y.conversion:
                summary += f"; {' '.join(x.conversion.text.split())} vs {' '.join(y.conversion.text.split())}"
            bounds = x.fig.hedge in ("max", "min") and x.fig.hedge == y.fig.hedge
            why = f"Both measure from {topic_word(x).capitalize()}, in sentences the outlets tell in different places"
            detail = "different bounds" if bounds else "conflict"
            found.append(figure_finding("figure", home, summary, [x, y], detail, 0.6, why))
            seen.add(key)
        elif (
            x.fig.kind == y.fig.kind == "count"
            and x.fig.low == y.fig.low
            and x.fig.low is not None
            and x.fig.low >= 1000
            and x.fig.frame != y.fig.frame
            and x.fig.head
            and lemma(x.fig.head) == lemma(y.fig.head)
        ):
            summary = (
                f"Same number, different things: {x.fig.text.strip()} in {x.at.outlet} "
                f"({quoted(around(x), 90)}) vs {y.at.outlet} ({quoted(around(y), 90)})"
            )
            why = "One large number counts one thing in one sentence and another in the other"
            found.append(figure_finding("figure", home, summary, [x, y], "same number, different things", 0.5, why))
            seen.add(key)
    return found


# "in the valley", "near the summit hut", "at Dunmore": where the counted thing happened.
_SETTING = re.compile(
    r"\b(?i:in|on|at|near|outside|inside|across|along|beside|behind|throughout)\s+(?:the\s+|a\s+|an\s+)?"
    r"((?:[\w’'-]+\s+){0,3}?[\w’'-]+)(?=\s*(?:[,;:.()–—]|$|\s(?:and|or|but|on|in|at|after|before|when|where|"
    r"which|who|that|as|with|by|from|to|of|near|for)\b))"
)
_NOT_PLACES = frozenset(
    "least most all total first last time times morning afternoon evening night day days week weeks month months "
    "year years hours hour minutes dawn midnight noon past wake aftermath meantime addition response statement "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december".split()
)


def _settings(x: FigAt) -> frozenset[str]:
    """Where (or in what) the sentence of a figure places it: {"trail"}, {"dunmore"}, {"blast"}."""
    found: set[str] = set()
    for m in _SETTING.finditer(x.at.sentence.text):
        words = m.group(1).split()
        last = words[-1].strip("’'").casefold()
        if last in _NOT_PLACES or last in CONTEXT_STOP or words[0].casefold() in _NOT_PLACES:
            continue  # "on Tuesday", "at least 35 people", "in all"
        if any(w[:1].isdigit() for w in words):
            continue
        caps = [w.strip("’',").casefold() for w in words if w[:1].isupper()]
        found.update(caps or [lemma(last)])
    return frozenset(found)


# Place words that may stand for a place the other outlet names ("the town" for a named town).
_GENERIC_PLACES = frozenset(
    "town city village area region country capital province district place site scene coast border".split()
)


def different_settings(a: FigAt, b: FigAt) -> bool:
    """Both sentences say where or in what, specifically, and share none of it ("on the trail" vs "at the hut")."""
    sa, sb = _settings(a) - _GENERIC_PLACES, _settings(b) - _GENERIC_PLACES
    return bool(sa and sb and not sa & sb)
