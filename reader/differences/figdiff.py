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

from reader.differences.attributes import frames_apart, measure_of, nouns_apart
from reader.differences.figures import Figure, dimension, figure_relation, find_figures
from reader.differences.mentions import CONTEXT_STOP, Mention, outlets_of, quoted, span_of
from reader.differences.units import format_number
from reader.differences.worddiff import tokens
from reader.model import Agreement, Discrepancy, Group


@dataclass(frozen=True)
class _Fig:
    at: Mention
    fig: Figure
    conversion: Figure | None  # "(19 miles)" restating it


# ---------------------------------------------------------------- figures

_TOPIC = re.compile(r"^\s*\)?\s*(?:\([^)]*\)\s*)?(of|from|to)\s+((?:the\s+)?[\w’'-]+(?:['’]s)?(?:\s+[a-z][\w-]+)?)")
_LABELS = {"distance": "Distance", "percent": "Percentage", "magnitude": "Magnitude", "duration": "Duration",
           "mass": "Weight", "area": "Area", "speed": "Speed", "volume": "Volume",
           "temperature": "Temperature"}  # fmt: skip


def _figures(mentions: Sequence[Mention]) -> list[_Fig]:
    out = []
    for m in mentions:
        figs = find_figures(m.sentence.text)
        for i, f in enumerate(figs):
            if f.converts_previous or f.kind in ("date", "time") or f.low is None or is_identifier(m.sentence.text, f):
                continue
            nxt = figs[i + 1] if i + 1 < len(figs) and figs[i + 1].converts_previous else None
            out.append(_Fig(m, f, nxt))
    return out


# Numbers that name rather than count: "Route 9", "Interstate 80", "Amendment 64", "No. 2", "Case 14-331".
_NAMING_WORD = re.compile(
    r"(?i)\b(?:route|interstate|highway|hwy|i|us|no|number|amendment|article|section|case|bill|flight|resolution|"
    r"proposition|prop|chapter|room|suite|apartment|apt|unit|precinct|ward|lot|gate|platform|pier|exit|"
    r"docket|order|rule|form|line|channel|district|title|paragraph|clause|hr|s)\.?\s*[-#]?\s*$"
)
_EMERGENCY = frozenset({"911", "999", "112", "000", "101", "311"})


def is_identifier(text: str, f: Figure) -> bool:
    """A route, interstate, amendment, case or bill number, a rank ("No. 2") or an emergency number:
    a label, not a quantity, so never a corroborated figure nor a conflict."""
    if f.kind != "count" or f.hedge:
        return False
    raw = f.text.strip()
    if raw in _EMERGENCY or re.fullmatch(r"\d{3}-\d{3,4}(?:-\d{4})?|\d+-\d+-\d+", raw):
        return True
    before = text[max(0, f.start - 16) : f.start]
    return _NAMING_WORD.search(before) is not None or (
        re.search(r"[-–]\s*$", before.rstrip()[-2:] or "") is not None
        and bool(re.search(r"[A-Z]{1,3}[-–]\s*$", before))
    )


def said_as(figs: Sequence[Figure]) -> str:
    """A figure as the outlets wrote it: "six seats", "14 / fourteen", "nearly $15 million / $14,959,450"."""
    forms: dict[str, str] = {}
    for f in figs:
        text = " ".join(f.text.split())
        forms.setdefault(text.casefold(), text)
    heads = {f.head for f in figs}
    head = figs[0].head if len(heads) == 1 and figs[0].kind == "count" else ""
    return " / ".join(f"{form} {head}" if head else form for form in forms.values())


def _within(a: Figure, b: Figure, factor: float) -> bool:
    """The numbers two figures state ("up to 1.6 million" states 1.6 million) are within ``factor`` of each other."""
    lo, hi = sorted((abs(_stated(a, False) or 0.0), abs(_stated(b, False) or 0.0)))
    return hi - lo <= 3 or hi <= factor * lo


def _framed_apart(a: _Fig, b: _Fig) -> bool:
    """The parse says the two figures belong to different owners or different times (``frames_apart``)."""
    ma, mb = measure_of(a.at.sentence.text, a.fig), measure_of(b.at.sentence.text, b.fig)
    return ma is not None and mb is not None and frames_apart(ma, mb)


# The extent a length measures, written after it: "100 metres (328 feet) deep", "about 100 meters... high".
_EXTENT = re.compile(
    r"^\s*\)?\s*(?:\([^)]*\)\s*)?[.…,]*\s*(deep|high|tall|long|wide|thick|across|above|below|away|offshore)\b"
)


def _extent(x: _Fig) -> str:
    end = x.conversion.end if x.conversion else x.fig.end
    m = _EXTENT.match(x.at.sentence.text[end:])
    return m.group(1) if m else ""


def _measured_apart(a: _Fig, b: _Fig) -> bool:
    """The parse says the two figures measure different things ("100 metres deep", "100 metres high")."""
    if _extent(a) and _extent(b) and _extent(a) != _extent(b):
        return True
    ma, mb = measure_of(a.at.sentence.text, a.fig), measure_of(b.at.sentence.text, b.fig)
    return ma is not None and mb is not None and nouns_apart(ma, mb)


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
    """Do two counterpart figures from different outlets count one thing? ``alone``: each is its outlet's only one.

    Only called on figures already paired as counterparts inside one aligned group.
    """
    if a.fig.frame != b.fig.frame or _framed_apart(a, b):
        return False
    if dimension(a.fig) == "count" and not _within(a.fig, b.fig, 10.0):
        return False  # 9 against 149: a part against a total, a year against a decade, far more often than a misreport
    if a.fig.head and b.fig.head:
        if _lemma(a.fig.head) != _lemma(b.fig.head):
            return False
        # The aligner says the sentences report one fact and the nouns match, so a paraphrased verb
        # ("taken off safely" / "rescued") is no reason to doubt it; two different places are.
        return dimension(a.fig) != "count" or not _different_settings(a, b)
    if dimension(a.fig) != "count":
        return alone or len(_context(a) & _context(b)) >= 2
    return False  # two bare counts: too easily about different things to call a conflict


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


def _settings(x: _Fig) -> frozenset[str]:
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
        found.update(caps or [_lemma(last)])
    return frozenset(found)


# Place words that may stand for a place the other outlet names ("the town" for a named town).
_GENERIC_PLACES = frozenset(
    "town city village area region country capital province district place site scene coast border".split()
)


def _different_settings(a: _Fig, b: _Fig) -> bool:
    """Both sentences say where or in what, specifically, and share none of it ("on the trail" vs "at the hut")."""
    sa, sb = _settings(a) - _GENERIC_PLACES, _settings(b) - _GENERIC_PLACES
    return bool(sa and sb and not sa & sb)


def _different_things(a: _Fig, b: _Fig) -> bool:
    # Only the frame is trusted here: "rebels" and "fighters" can count the same people.
    return a.fig.frame != b.fig.frame


def _points_back(x: _Fig) -> bool:
    text = x.at.sentence.text
    return (
        x.fig.kind == "count"
        and not x.fig.hedge
        and x.fig.text.isalpha()
        and (x.fig.low or 0) <= 10
        and re.search(r"\b(?:the|these|those|both)\s+$", text[max(0, x.fig.start - 8) : x.fig.start], re.I) is not None
    )


def _heads_fit(a: _Fig, b: _Fig) -> bool:
    """Nothing says the two figures count different nouns ("300 rebels" vs "300 fighters" does)."""
    return not (a.fig.head and b.fig.head) or _lemma(a.fig.head) == _lemma(b.fig.head)


def _agree(a: _Fig, b: _Fig) -> bool:
    """Two figures that say the same: related as same or compatible, and a bound close to what it bounds.

    "At least 37" fits "about 200" without contradicting it, but does not confirm it.
    """
    if figure_relation(a.fig, b.fig) not in ("same", "compatible") or _different_things(a, b):
        return False
    if not _bounded(a, b):
        return True
    # A bound confirms only the same bound: "at least 37" and "37", "more than $60,000" and "about $60,000",
    # "up to 1.6 million" and "1.5 million" are different claims (told apart as "hedged differently").
    return a.fig.hedge == b.fig.hedge


def _close(a: _Fig, b: _Fig) -> bool:
    """The numbers the two figures state are within 15% ("more than $60,000" and "about $60,000")."""
    converted = a.fig.unit != b.fig.unit and a.fig.base_low is not None and b.fig.base_low is not None
    pa, pb = _stated(a.fig, converted), _stated(b.fig, converted)
    return pa is not None and pb is not None and abs(pa - pb) <= 0.15 * max(abs(pa), abs(pb))


def _bounded(a: _Fig, b: _Fig) -> bool:
    return bool({a.fig.hedge, b.fig.hedge} & {"max", "min"})


def _stated(f: Figure, converted: bool) -> float | None:
    """The number a figure states: the bound of "at least 37", the middle of "30 to 40"."""
    low, high = (f.base_low, f.base_high) if converted else (f.low, f.high)
    if low is None or high is None:
        return None
    return low if f.hedge == "min" else high if f.hedge == "max" else (low + high) / 2


def _neighbours(x: _Fig) -> tuple[str, str]:
    """The nearest content word before and after a figure (past its head noun)."""
    text = x.at.sentence.text
    end = x.conversion.end if x.conversion else x.fig.end
    before = [t.norm for t in tokens(text[max(0, x.fig.start - 60) : x.fig.start]) if t.is_word]
    after = [t.norm for t in tokens(text[end : end + 60]) if t.is_word]
    before = [w for w in before if w not in CONTEXT_STOP and not w[0].isdigit()]
    after = [w for w in after if w not in CONTEXT_STOP and not w[0].isdigit() and w != x.fig.head.casefold()]
    return (before[-1] if before else "", after[0] if after else "")


def _pair_score(a: _Fig, b: _Fig, ordinal: dict[int, int], ia: int, ib: int) -> float:
    """How surely ``b`` is the figure that reports what ``a`` reports (higher is surer)."""
    if a.at.sentence.text == b.at.sentence.text and a.fig.start == b.fig.start:
        return 100.0  # the same sentence word for word: each figure is its own counterpart
    score = 10.0 if _agree(a, b) else 0.0
    if a.fig.head and b.fig.head and _lemma(a.fig.head) == _lemma(b.fig.head):
        score += 3
    if a.fig.unit == b.fig.unit:
        score += 1
    ca, cb = _context(a), _context(b)
    score += 2 * len(ca & cb) / max(1, len(ca | cb))
    na, nb = _neighbours(a), _neighbours(b)
    score += 2 * (bool(na[0]) and na[0] == nb[0]) + 2 * (bool(na[1]) and na[1] == nb[1])
    return score + 0.5 * (ordinal[ia] == ordinal[ib])


def _counterparts(figs: Sequence[_Fig]) -> set[tuple[int, int]]:
    """One-to-one pairs (i < j) of figures that report the same thing, per pair of outlets.

    A sentence with two distances ("12 km offshore at a depth of 10 km") must meet the
    other outlet's 12 and 10 each with its own counterpart, never crosswise.
    """
    ordinal: dict[int, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for i, x in enumerate(figs):
        key = (x.at.sentence.id, dimension(x.fig))
        ordinal[i] = seen.get(key, 0)
        seen[key] = ordinal[i] + 1
    candidates = [
        (_pair_score(figs[i], figs[j], ordinal, i, j), i, j)
        for i in range(len(figs))
        for j in range(i + 1, len(figs))
        if figs[i].at.outlet != figs[j].at.outlet and dimension(figs[i].fig) == dimension(figs[j].fig)
    ]
    used: set[tuple[int, str]] = set()  # (figure, the other outlet) already paired
    pairs: set[tuple[int, int]] = set()
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if (i, figs[j].at.outlet) in used or (j, figs[i].at.outlet) in used:
            continue
        used.update({(i, figs[j].at.outlet), (j, figs[i].at.outlet)})
        pairs.add((i, j))
    return pairs


def _say(f: Figure, with_head: bool = True) -> str:
    """A figure as a reader would say it: "312 voters", "30 km", "about 3,000 to 5,000"."""
    if f.kind == "vague":
        return re.sub(r"\s+of$", "", " ".join(f.text.split()))  # "scores of" -> "scores"
    if f.hedge or f.low != f.high or f.low is None:
        return " ".join(f.text.split())
    unit = f.unit if f.unit != "%" else ""
    said = format_number(f.low) + ("%" if f.unit == "%" else "") + (f" {unit}" if unit else "")
    return said + (f" {f.head}" if with_head and f.head and f.kind == "count" else "")


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
            if _agree(x, y) and not _measured_apart(x, y):
                cluster.append(y)
                in_cluster[j] = len(agreed)
        # "dozens" twice corroborates little, and neither does "the two countries" twice: a definite
        # small number word points back at things already named rather than reporting a figure.
        if len(cluster) >= 2 and x.fig.kind != "vague" and not all(_points_back(c) for c in cluster):
            in_cluster[i] = len(agreed)
            agreed.append(cluster)
    agreements = [
        Agreement("figure", group.id, said_as([x.fig for x in c]),
                  tuple(dict.fromkeys(x.at.sentence.id for x in c)), outlets_of([x.at for x in c]))
        for c in agreed
    ]  # fmt: skip
    found: list[Discrepancy] = []
    count: dict[tuple[str, str], int] = {}
    for x in figs:
        count[(x.at.outlet, dimension(x.fig))] = count.get((x.at.outlet, dimension(x.fig)), 0) + 1
    conflicts: dict[int, set[int]] = {}
    flagged_same_number: set[tuple[int, int]] = set()
    hedged: list[tuple[int, int]] = []
    counterparts = _counterparts(figs)
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
            elif (
                rel in ("same", "compatible")
                and not same_cluster
                and (i, j) in counterparts
                and _bounded(x, y)
                and x.fig.hedge != y.fig.hedge
                and _close(x, y)
                and _same_thing(x, y, True)
            ):
                hedged.append((i, j))
            elif rel == "conflict" and not same_cluster and (i, j) in counterparts and not _both_told(figs, x, y):
                alone = count[(x.at.outlet, dimension(x.fig))] == 1 and count[(y.at.outlet, dimension(y.fig))] == 1
                if _same_thing(x, y, alone):
                    conflicts.setdefault(i, set()).add(j)
    for i, j in sorted(flagged_same_number):
        x, y = figs[i], figs[j]
        summary = (
            f"Same number, different things: {x.fig.text.strip()} in {x.at.outlet} ({quoted(_around(x), 90)}) "
            f"vs {y.at.outlet} ({quoted(_around(y), 90)})"
        )
        why = "One number that the two sentences use for different things (a size and a count, say): check which"
        found.append(_disc("figure", group, summary, [x, y], "same number, different things", 0.6, why))
    for sides in _conflict_sets(figs, {i: {j for a, j in hedged if a == i} for i, _ in hedged}):
        written: dict[str, tuple[str, list[str]]] = {}
        for side in sides:
            value = " ".join(side.fig.text.split())
            said_by = written.setdefault(value.casefold(), (value, []))[1]
            if side.at.outlet not in said_by:
                said_by.append(side.at.outlet)
        summary = f"{_label(sides[0])}: " + " vs ".join(f"{v} ({', '.join(o)})" for v, o in written.values())
        why = (
            "The sentences report the same fact with nearly the same number, but one outlet gives a bound "
            "(“at least”, “more than”, “up to”) where another does not: not quite the same claim"
        )
        found.append(_disc("figure", group, summary, sides, "hedged differently", 0.5, why))
    for sides in _conflict_sets(figs, conflicts):
        x, others = sides[0], sides[1:]
        said: dict[str, tuple[str, list[str]]] = {}
        for side in sides:
            value = _say(side.fig)
            said_by = said.setdefault(value.casefold(), (value, []))[1]
            if side.at.outlet not in said_by:
                said_by.append(side.at.outlet)
        summary = f"{_label(x)}: " + " vs ".join(f"{value} ({', '.join(o)})" for value, o in said.values())
        if all(s.conversion for s in sides):
            summary += "; " + " vs ".join(" ".join(s.conversion.text.split()) for s in sides if s.conversion)
        confidence = 0.8 if dimension(x.fig) != "count" else 0.6
        if any(s.fig.kind == "vague" for s in sides):
            confidence = 0.45
        bounds = x.fig.hedge in ("max", "min") and all(s.fig.hedge == x.fig.hedge for s in others)
        detail = "different bounds" if bounds else "conflict"
        what = f"count {x.fig.head}" if x.fig.head and x.fig.kind == "count" else f"give the {_label(x).lower()}"
        why = f"The sentences report the same fact and both {what}, with values that cannot both be right"
        found.append(_disc("figure", group, summary, sides, detail, confidence, why))
    return found, agreements


def _both_told(figs: Sequence[_Fig], x: _Fig, y: _Fig) -> bool:
    """A third outlet gives both values ("the index fell 3.2 percent" and "its shares fell 64 percent"):
    they are two things, each with its counterpart, not one thing the outlets disagree on. (Two
    outlets saying 37 against two saying 35 stay a conflict: nobody gives both.)"""
    for o in {f.at.outlet for f in figs} - {x.at.outlet, y.at.outlet}:
        mine = [f for f in figs if f.at.outlet == o]
        if any(_agree(f, x) for f in mine) and any(_agree(f, y) for f in mine):
            return True
    return False


def _conflict_sets(figs: Sequence[_Fig], conflicts: dict[int, set[int]]) -> list[list[_Fig]]:
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


def _around(x: _Fig) -> str:
    """The figure with the rest of its phrase, for a summary line: back to the clause's start and on to its end
    (at most six words either way, "…" where it stops short), never cut mid-phrase ("was taken just")."""
    text = x.at.sentence.text
    before = re.split(r"[,;:—–(][\"”’')]*\s|\.[\"”’']*\s", text[: x.fig.start])[-1].split()
    after = re.split(r"[,;:—–)]|\.(?:\s|$)", text[x.fig.end :])[0].split()
    head = ("… " if len(before) > 6 else "") + " ".join(before[-6:])
    tail = " ".join(after[:6]) + (" …" if len(after) > 6 else "")
    return " ".join(p for p in (head, x.fig.text.strip(), tail) if p)


def _disc(
    kind: str, group: Group, summary: str, sides: Sequence[_Fig], detail: str, conf: float, why: str = ""
) -> Discrepancy:
    values = []
    for s in sides:
        values.append(span_of(s.at, s.fig.start, s.fig.end))
        if s.conversion:
            values.append(span_of(s.at, s.conversion.start, s.conversion.end))
    outlets = outlets_of([s.at for s in sides])
    return Discrepancy("", kind, group.id, summary, tuple(values), outlets, detail, conf, why)  # type: ignore[arg-type]


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
    # Only figures that share a bucket can pair: a quantity measured from one named place, or one large
    # count of one noun. Buckets keep this linear-ish at 200 outlets (all pairs were 12 million there).
    buckets: dict[tuple[object, ...], list[int]] = {}
    for i, x in enumerate(figs):
        if x.fig.kind in _STORY_KINDS and _topic_word(x):
            buckets.setdefault(("place", x.fig.kind, _topic_word(x)), []).append(i)
        elif x.fig.kind == "count" and x.fig.low is not None and x.fig.low >= 1000 and x.fig.head:
            buckets.setdefault(("count", x.fig.low, _lemma(x.fig.head)), []).append(i)
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
        if x.fig.kind in _STORY_KINDS and _topic_word(x) and _topic_word(x) == _topic_word(y):
            if figure_relation(x.fig, y.fig) != "conflict":
                continue
            summary = f"{_label(x)}: {_say(x.fig)} ({x.at.outlet}) vs {_say(y.fig)} ({y.at.outlet})"
            if x.conversion and y.conversion:
                summary += f"; {' '.join(x.conversion.text.split())} vs {' '.join(y.conversion.text.split())}"
            bounds = x.fig.hedge in ("max", "min") and x.fig.hedge == y.fig.hedge
            why = f"Both measure from {_topic_word(x).capitalize()}, in sentences the outlets tell in different places"
            detail = "different bounds" if bounds else "conflict"
            found.append(_disc("figure", home, summary, [x, y], detail, 0.6, why))
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
                f"({quoted(_around(x), 90)}) vs {y.at.outlet} ({quoted(_around(y), 90)})"
            )
            why = "One large number counts one thing in one sentence and another in the other"
            found.append(_disc("figure", home, summary, [x, y], "same number, different things", 0.5, why))
            seen.add(key)
    return found
