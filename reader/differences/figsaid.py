"""A figure in one outlet's sentence, and how a summary says it.

What every figure finder works on (``FigAt``: the figure, its sentence, a bracketed conversion restating it),
which numbers are labels rather than figures (routes, case numbers, emergency numbers), and the words a
summary uses: the figure as written ("nearly $15 million"), as a reader says it ("312 voters"), what it
measures ("Distance to the capital") and the rest of its phrase ("The town of 40,000 people was cut off").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.differences.figures import Figure, find_figures
from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.units import format_number
from reader.model import Discrepancy, Group


@dataclass(frozen=True)
class FigAt:
    """A figure in one outlet's sentence."""

    at: Mention
    fig: Figure
    conversion: Figure | None  # "(19 miles)" restating it


_TOPIC = re.compile(r"^\s*\)?\s*(?:\([^)]*\)\s*)?(of|from|to)\s+((?:the\s+)?[\w’'-]+(?:['’]s)?(?:\s+[a-z][\w-]+)?)")
_LABELS = {"distance": "Distance", "percent": "Percentage", "magnitude": "Magnitude", "duration": "Duration",
           "mass": "Weight", "area": "Area", "speed": "Speed", "volume": "Volume",
           "temperature": "Temperature", "share": "Share"}  # fmt: skip


def figures_in(mentions: Sequence[Mention]) -> list[FigAt]:
    """The figures of these sentences a finder compares: no dates, times, identifiers, or conversions."""
    out = []
    for m in mentions:
        figs = find_figures(m.sentence.text)
        for i, f in enumerate(figs):
            if f.converts_previous or f.kind in ("date", "time") or f.low is None or is_identifier(m.sentence.text, f):
                continue
            nxt = figs[i + 1] if i + 1 < len(figs) and figs[i + 1].converts_previous else None
            out.append(FigAt(m, f, nxt))
    return out


# Numbers that name rather than count: "Route 9", "Interstate 80", "Amendment 12", "No. 4", "Case 17-208".
_NAMING_WORD = re.compile(
    r"(?i)\b(?:route|interstate|highway|hwy|i|us|no|number|amendment|article|section|case|bill|flight|resolution|"
    r"proposition|prop|chapter|room|suite|apartment|apt|unit|precinct|ward|lot|gate|platform|pier|exit|"
    r"docket|order|rule|form|line|channel|district|title|paragraph|clause|hr|s)\.?\s*[-#]?\s*$"
)
_EMERGENCY = frozenset({"911", "999", "112", "000", "101", "311"})


def is_identifier(text: str, f: Figure) -> bool:
    """A route, interstate, amendment, case or bill number, a rank ("No. 4") or an emergency number:
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


def lemma(word: str) -> str:
    for suffix, repl in (("ies", "y"), ("men", "man"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


def say_figure(f: Figure, with_head: bool = True) -> str:
    """A figure as a reader would say it: "312 voters", "30 km", "about 3,000 to 5,000"."""
    if f.kind == "vague":
        return re.sub(r"\s+of$", "", " ".join(f.text.split()))  # "scores of" -> "scores"
    if f.kind == "share":
        return " ".join(f.text.split())  # "one in six", never its percentage
    if f.hedge or f.low != f.high or f.low is None:
        return " ".join(f.text.split())
    unit = f.unit if f.unit != "%" else ""
    said = format_number(f.low) + ("%" if f.unit == "%" else "") + (f" {unit}" if unit else "")
    return said + (f" {f.head}" if with_head and f.head and f.kind == "count" else "")


def figure_label(x: FigAt) -> str:
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


def around(x: FigAt) -> str:
    """The figure with the rest of its phrase, for a summary line: back to the clause's start and on to its end
    (at most six words either way, "…" where it stops short), never cut mid-phrase ("was taken just")."""
    text = x.at.sentence.text
    before = re.split(r"[,;:—–(][\"”’')]*\s|\.[\"”’']*\s", text[: x.fig.start])[-1].split()
    after = re.split(r"[,;:—–)]|\.(?:\s|$)", text[x.fig.end :])[0].split()
    head = ("… " if len(before) > 6 else "") + " ".join(before[-6:])
    tail = " ".join(after[:6]) + (" …" if len(after) > 6 else "")
    return " ".join(p for p in (head, x.fig.text.strip(), tail) if p)


def figure_finding(
    kind: str, group: Group, summary: str, sides: Sequence[FigAt], detail: str, conf: float, why: str = ""
) -> Discrepancy:
    values = []
    for s in sides:
        values.append(span_of(s.at, s.fig.start, s.fig.end))
        if s.conversion:
            values.append(span_of(s.at, s.conversion.start, s.conversion.end))
    outlets = outlets_of([s.at for s in sides])
    return Discrepancy("", kind, group.id, summary, tuple(values), outlets, detail, conf, why)  # type: ignore[arg-type]


def topic_word(x: FigAt) -> str:
    """The first word of what a measure runs to or from: "capital" in "within 30 km of the capital"."""
    end = x.conversion.end if x.conversion else x.fig.end
    topic = _TOPIC.match(x.at.sentence.text[end:])
    if not topic:
        return ""
    words = [w for w in topic.group(2).split() if w.casefold() != "the"]
    return re.sub(r"['’]s$", "", words[0]).casefold() if words else ""
