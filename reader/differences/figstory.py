"""Figures compared across the whole story by what they measure, wherever the aligner put their sentences.

"Ana Ruiz, 82," in one outlet and "the 81-year-old Ana Ruiz" in another; "a 36-page ruling" and
"the 35-page ruling says" inside a quote; "paid $12 million in import duties" and "paid
$12,406,150 in import duties": each figure is tied to what it measures (``attributes.measure_of``)
and two outlets' figures for one thing that do not agree are a conflict, with a confidence that says
how sure the pairing is and a reason in plain words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from reader.differences.attributes import Measure, measure_of
from reader.differences.figrelation import figure_relation
from reader.differences.figures import Figure, find_figures
from reader.differences.measurecompare import UNSURE, past_tense, same_thing
from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.parse import parse_all
from reader.differences.units import format_number
from reader.model import Discrepancy, Group

# Below this a pairing is a guess: such figures are not flagged at all.
MIN_PAIRING = 0.6
_YEAR_RANGE = re.compile(r"(?:1[89]|20)\d\d\D+(?:1[89]|20)\d\d")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


@dataclass(frozen=True)
class Item:
    at: Mention
    fig: Figure
    measure: Measure


def figure_sentences(mentions: Sequence[Mention]) -> list[str]:
    """The sentences worth parsing: those with a figure the story-wide pass can compare."""
    return [m.sentence.text for m in mentions if any(_usable(f) for f in find_figures(m.sentence.text))]


def _usable(f: Figure) -> bool:
    if f.kind in ("date", "time", "vague") or f.low is None or f.converts_previous or f.frame == "period":
        return False
    return not (f.kind == "count" and _YEAR_RANGE.search(f.text))  # "between 2005 and 2017" is no count


def measured_items(mentions: Sequence[Mention], mates: dict[str, list[str]]) -> list[Item]:
    parse_all(figure_sentences(mentions))
    out = []
    for m in mentions:
        for f in find_figures(m.sentence.text):
            if _usable(f):
                measure = measure_of(m.sentence.text, f)
                if measure is not None:
                    out.append(Item(m, f, _dated_by_mates(measure, f, mates.get(m.sentence.id, []))))
    return out


def _dated_by_mates(measure: Measure, fig: Figure, mates: list[str]) -> Measure:
    """A figure its sentence does not date takes the year that aligned sentences give with the same figure:
    "Thirty-one people died at a shoe factory" told beside "in 2019, 31 people died" is the 2019 toll."""
    if measure.years:
        return measure
    for text in mates:
        year = _only_year(text)
        if year is not None and any(figure_relation(fig, g) == "same" for g in find_figures(text)):
            return replace(measure, first_year=year, years=1)
    return measure


@lru_cache(maxsize=8192)
def _only_year(text: str) -> int | None:
    """The one year a sentence names, if it names one. Kept by text: at 200 articles a sentence is every
    figure's group-mate in hundreds of others."""
    years = {int(y) for y in _YEAR.findall(text)}
    return years.pop() if len(years) == 1 else None


def _say(f: Figure, age: bool = False) -> str:
    if age and f.low is not None:
        return format_number(f.low)
    return " ".join(f.text.split())  # as the outlet wrote it: "$2.4 million", "about a mile"


def _label(x: Item) -> str:
    m = x.measure
    if m.dimension == "age":
        return "Age of " + " ".join(w.capitalize() for w in m.owner)
    what = m.thing or (m.head if m.head not in ("", "person") else "")
    what = "" if what in ("them", "it", "they", "those", "these", "this", "that") else what
    if m.dimension.startswith("money"):
        return f"Amount {past_tense(m.verb)}" if m.verb else "Amount"
    if m.dimension == "count":
        counted = "people" if m.head == "person" else m.head or "them"
        return f"Number of {counted}" + (f" {past_tense(m.verb)}" if m.verb and m.verb not in ("be", "have") else "")
    if m.dimension == "magnitude":
        return f"Magnitude of the {m.head or 'quake'}"
    labels = {"distance": "Distance", "duration": "Duration", "percent": "Percentage", "speed": "Speed"}
    base = (labels | {"share": "Share"}).get(m.dimension, "Figure")
    return f"{base} of the {what}" if what and what not in ("percent", "percentage") else base


def relation(x: Item, y: Item) -> str:
    """As ``figure_relation``, but an age is an age however it is written ("82," or "81-year-old")."""
    if x.measure.dimension == "age" and y.measure.dimension == "age":
        return "same" if x.fig.low == y.fig.low else "conflict"
    return figure_relation(x.fig, y.fig)


def _plausible(a: Figure, b: Figure) -> bool:
    """Two values far apart (420,000 vs 512 million) are two things far more often than one misreported."""
    lo, hi = sorted((abs(a.low or 0.0), abs(b.low or 0.0)))
    return hi - lo <= 3 or hi <= 2.5 * lo


def story_attribute_findings(
    mentions: Sequence[Mention],
    home_of: dict[str, Group],
    order: dict[str, int],
    flagged: set[tuple[str, int]],
    mates: dict[str, list[str]],
) -> list[Discrepancy]:
    """Conflicting figures for one measured thing, wherever their sentences sit.

    ``flagged``: (sentence id, start) of figures a per-group finding already names; a conflict
    between two of them is not reported twice. ``mates``: each sentence's group-mates from other outlets.
    """
    items = measured_items(mentions, mates)
    found = []
    for members, (sure, why) in _conflicting(items):
        sides = _sides(items, members)
        outlets = [{x.at.outlet for x in side} for side in sides]
        if any(outlets[i] & outlets[j] for i in range(len(outlets)) for j in range(i + 1, len(outlets))):
            continue  # an outlet on two sides gives both values itself: two things, or an update it reports
        if len(sides) < 2 or all((x.at.sentence.id, x.fig.start) in flagged for side in sides for x in side):
            continue
        homes = [home_of[x.at.sentence.id] for side in sides for x in side if x.at.sentence.id in home_of]
        if not homes:
            continue
        home = min(homes, key=lambda g: order[g.id])
        first = sides[0][0]
        summary = f"{_label(first)}: " + " vs ".join(
            f"{_say(side[0].fig, side[0].measure.dimension == 'age')} ({', '.join(outlets_of([x.at for x in side]))})"
            for side in sides
        )
        bounds = all(x.fig.hedge == first.fig.hedge and x.fig.hedge in ("max", "min") for s in sides for x in s)
        values = tuple(span_of(x.at, x.fig.start, x.fig.end) for side in sides for x in side)
        in_rows = len({home_of[x.at.sentence.id].id for side in sides for x in side if x.at.sentence.id in home_of})
        where = ", in sentences the outlets tell in different places" if in_rows > 1 else ""
        found.append(
            Discrepancy(
                "",
                "figure",
                home.id,
                summary,
                values,
                outlets_of([x.at for side in sides for x in side]),
                "different bounds" if bounds else "conflict",
                round(sure * 0.9, 2),
                why=f"{why[:1].upper()}{why[1:]}{where}",
            )
        )
    return found + _hedge_findings(items, home_of, order, flagged)


def _hedge_findings(
    items: Sequence[Item], home_of: dict[str, Group], order: dict[str, int], flagged: set[tuple[str, int]]
) -> list[Discrepancy]:
    """One amount for one thing that one outlet bounds and another states ("more than $60,000" / "about
    $60,000", "90-plus percent" / "90 percent"), wherever the sentences sit: not quite the same claim. Only
    worth a look: the pairing rests on the parse, and a bound is often the writer's caution."""
    found = []
    for groups in _by_dimension(items).values():
        for n, left in enumerate(groups):
            for right in groups[n + 1 :]:
                xs, ys = [items[i] for i in left], [items[j] for j in right]
                x, y = xs[0], ys[0]
                if x.fig.hedge == y.fig.hedge or not {x.fig.hedge, y.fig.hedge} & {"max", "min"}:
                    continue
                if relation(x, y) not in ("same", "compatible") or not _near(x.fig, y.fig):
                    continue
                sure, why = same_thing(x.measure, y.measure)
                if sure < MIN_PAIRING or {z.at.outlet for z in xs} & {z.at.outlet for z in ys}:
                    continue
                if all((z.at.sentence.id, z.fig.start) in flagged for z in xs + ys):
                    continue
                homes = [home_of[z.at.sentence.id] for z in xs + ys if z.at.sentence.id in home_of]
                if not homes:
                    continue
                summary = f"{_label(x)}: " + " vs ".join(
                    f"{_say(side[0].fig)} ({', '.join(outlets_of([z.at for z in side]))})" for side in (xs, ys)
                )
                found.append(
                    Discrepancy(
                        "",
                        "figure",
                        min(homes, key=lambda g: order[g.id]).id,
                        summary,
                        tuple(span_of(z.at, z.fig.start, z.fig.end) for z in xs + ys),
                        outlets_of([z.at for z in xs + ys]),
                        "hedged differently",
                        round(sure * 0.6, 2),
                        why=f"{why[:1].upper()}{why[1:]}, one as a bound (“at least”, “more than”, “up to”), the "
                        "other not: not quite the same claim",
                    )
                )
    return found


def _near(a: Figure, b: Figure) -> bool:
    """The numbers two figures state (the bound of "at least 37") are within 15% of each other."""
    converted = a.unit != b.unit and a.base_low is not None and b.base_low is not None

    def stated(f: Figure) -> float:
        low, high = (f.base_low, f.base_high) if converted else (f.low, f.high)
        low, high = low or 0.0, high or 0.0
        return low if f.hedge == "min" else high if f.hedge == "max" else (low + high) / 2

    pa, pb = stated(a), stated(b)
    return abs(pa - pb) <= 0.15 * max(abs(pa), abs(pb))


def _signature(x: Item) -> tuple[object, ...]:
    """What pairing a figure depends on; outlets that repeat one sentence (wire copies) give one signature."""
    f = x.fig
    return (x.measure, f.kind, f.low, f.high, f.unit, f.hedge, f.frame, " ".join(f.text.casefold().split()))


def _conflicting(items: Sequence[Item]) -> list[tuple[set[int], tuple[float, str]]]:
    """Sets of figures (item positions) joined by conflicts between outlets, each with its surest pairing.

    Pairs are made between signatures, not single mentions: at 200 outlets retelling one story the
    mentions run to thousands, their signatures to a few hundred. A pair stands between the mentions of
    outlets that do not themselves give a figure agreeing with the other value (``_told_both``).
    """
    tells = _Tellers(items)
    parent: dict[int, int] = {}  # union-find over item positions
    best: list[tuple[int, tuple[float, str]]] = []
    for groups in _by_dimension(items).values():
        for n, left in enumerate(groups):
            for right in groups[n + 1 :]:
                pairing = _conflict_pairing(items, left, right, tells)
                if pairing is None:
                    continue
                xs, ys, score = pairing
                for k in xs + ys:
                    parent[_root(parent, k)] = _root(parent, xs[0])
                best.append((xs[0], score))
    members: dict[int, set[int]] = {}
    for i in list(parent):
        members.setdefault(_root(parent, i), set()).add(i)
    surest: dict[int, tuple[float, str]] = {}
    for k, score in best:
        r = _root(parent, k)
        surest[r] = max(surest.get(r, score), score)
    return [(members[r], surest[r]) for r in sorted(members, key=lambda r: min(members[r]))]


def _by_dimension(items: Sequence[Item]) -> dict[str, list[list[int]]]:
    """Item positions grouped by signature, the groups by what the figures measure."""
    signatures: dict[tuple[object, ...], list[int]] = {}
    for i, x in enumerate(items):
        signatures.setdefault(_signature(x), []).append(i)
    by_dimension: dict[str, list[list[int]]] = {}
    for ids in signatures.values():
        by_dimension.setdefault(items[ids[0]].measure.dimension, []).append(ids)
    return by_dimension


class _Tellers:
    """Does an outlet itself give a figure that agrees with item ``k`` for the same thing? Asked once per
    (outlet, item), however many signatures share them."""

    def __init__(self, items: Sequence[Item]) -> None:
        self._items = items
        self._own: dict[tuple[str, str], list[Item]] = {}  # (outlet, dimension) -> its figures
        for x in items:
            self._own.setdefault((x.at.outlet, x.measure.dimension), []).append(x)
        self._memo: dict[tuple[str, int], bool] = {}

    def __call__(self, outlet: str, k: int) -> bool:
        if (outlet, k) not in self._memo:
            own = self._own.get((outlet, self._items[k].measure.dimension), [])
            self._memo[(outlet, k)] = _told_both(own, None, self._items[k])
        return self._memo[(outlet, k)]


def _conflict_pairing(
    items: Sequence[Item], left: list[int], right: list[int], tells: _Tellers
) -> tuple[list[int], list[int], tuple[float, str]] | None:
    """Two signatures' conflict: the mentions on each side whose outlet does not also tell the other value,
    and how sure the pairing is (with why); None when the two are no conflict between outlets."""
    x, y = items[left[0]], items[right[0]]
    if not _plausible(x.fig, y.fig):
        return None
    sure, why = same_thing(x.measure, y.measure)
    if sure < MIN_PAIRING or relation(x, y) != "conflict":
        return None
    if _rounds(x.fig, y.fig) or _rounds(y.fig, x.fig):
        sure, why = min(sure, UNSURE), why + ", one maybe the other rounded"
    xs = [i for i in left if not tells(items[i].at.outlet, right[0])]
    ys = [j for j in right if not tells(items[j].at.outlet, left[0])]
    if not xs or not ys or len({items[k].at.outlet for k in xs + ys}) < 2:
        return None
    return xs, ys, (sure, why)


def _rounds(rough: Figure, precise: Figure) -> bool:
    """``rough`` is ``precise`` rounded to fewer digits: "$300 million" for "$312 million" (but "$27 million" is
    no rounding of "$27,640,118": that would be $28 million)."""
    if rough.low is None or precise.low is None or rough.low != rough.high or precise.low != precise.high:
        return False
    if rough.low < 1000 or precise.hedge or rough.hedge not in ("", "approx"):
        return False  # "40 died" against "37 died" is a conflict, not a rounding
    digits = len(f"{rough.low:.6e}".split("e")[0].replace(".", "").rstrip("0"))
    if digits >= len(f"{precise.low:.6e}".split("e")[0].replace(".", "").rstrip("0")):
        return False
    unit = 10 ** (math.floor(math.log10(rough.low)) - digits + 1)
    return round(precise.low / unit) * unit == rough.low


def _root(parent: dict[int, int], i: int) -> int:
    while parent.setdefault(i, i) != i:
        i = parent[i]
    return i


def _sides(items: Sequence[Item], members: set[int]) -> list[list[Item]]:
    """The conflicting figures split into what each value is, each with every mention that gives it
    (an outlet that says "five" twice is cited twice), in story order."""
    sides: list[list[Item]] = []
    placed: set[int] = set(members)
    for i in sorted(members, key=lambda k: (items[k].at.order, items[k].at.sentence.start, items[k].fig.start)):
        x = items[i]
        side = next((s for s in sides if relation(s[0], x) in ("same", "compatible")), None)
        if side is None:
            sides.append([x])
        else:
            side.append(x)
    for side in sides:  # other mentions of the same value for the same thing, found by no pair
        for k, y in enumerate(items):
            if k in placed or y.measure.dimension != side[0].measure.dimension:
                continue
            if relation(side[0], y) == "same" and same_thing(side[0].measure, y.measure)[0] >= MIN_PAIRING:
                side.append(y)
                placed.add(k)
    return sides


def _told_both(own: Sequence[Item], x: Item | None, y: Item) -> bool:
    """An outlet (``own``: its figures) that disputes ``y`` with ``x`` also gives a figure that agrees with ``y``
    for the same thing: two things, or an update it reports itself ("seven [now eight]"), not a
    disagreement between outlets. (``x`` itself conflicts with ``y``, so it never counts.)"""
    for z in own:
        if z is x:
            continue
        if relation(z, y) in ("same", "compatible") and same_thing(z.measure, y.measure)[0] > 0:
            return True
    return False
