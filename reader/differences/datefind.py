"""Dates a sentence gives that the figures finder leaves out or reads as a plain phrase: a month named
without a day ("in March"), a year that qualifies a noun ("the 2019 fishing ban"), a date told relative to
the article's own ("last month", "early last year"). ``reader.differences.dates`` reads what each dates."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.differences.figures import Figure, find_figures
from reader.differences.parse import Parsed
from reader.differences.weekdays import MONTH

_RELATIVE = re.compile(
    r"^(?:(?:early|late|earlier|later|mid)[\s-]+)?(?P<when>last|this|next)\s+(?P<unit>week|month|year)$", re.I
)
_UNITS = ("week", "month", "year")
_OFFSETS = {"last": -1, "this": 0, "next": 1}


def relative_value(text: str, ref: tuple[int, int] | None) -> tuple[str, tuple[int, ...], str] | None:
    """ "last month", "early last year": the month or year the article's own date makes it, else a relative
    date (unit, offset) that only the same wording in another outlet of the story can meet."""
    m = _RELATIVE.match(text)
    if m is None:
        return None
    unit, offset = _UNITS.index(m.group("unit").casefold()), _OFFSETS[m.group("when").casefold()]
    if ref is not None and unit == 2:
        return "year", (ref[0] + offset,), "in"
    if ref is not None and unit == 1:
        k = ref[1] - 1 + offset
        return "month", (k % 12 + 1, ref[0] + k // 12), ""
    return "relative", (unit, offset), ""


# A month named after a word that makes it a time ("in March", "since September", "last July"), so that
# "May" the verb and "March" the walk are never read as months.
_BARE_MONTH = re.compile(
    rf"\b(?:in|since|until|till|by|during|before|after|early|late|mid|last|this|next|of)[\s-]+(?P<mon>{MONTH})(?![\w-]|\s*\d)",
    re.I,
)
_FULL_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
BARE_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def date_figures(text: str) -> list[Figure]:
    """The dates and times of a sentence: the figures' own, and a month named without a day."""
    figs = [f for f in find_figures(text) if f.kind in ("date", "time")]
    for m in re.finditer(r"\b(?:last|this|next)\s+(?:week|month|year)\b", text, re.I):
        if not any(f.start < m.end() and m.start() < f.end for f in figs):  # "Last month, ..." at the start
            figs.append(Figure(m.group(), m.start(), m.end(), "date", label=m.group().casefold()))
    for m in _BARE_MONTH.finditer(text):
        start, end = m.span("mon")
        if text[start:end].endswith(".") and text[start : end - 1].casefold() in _FULL_MONTHS:
            end -= 1  # "in January." ends the sentence; "Sept." is an abbreviation
        word = text[start:end]
        if word[0].isupper() and not any(f.start < end and start < f.end for f in figs):
            figs.append(Figure(word, start, end, "date", label=word.casefold().rstrip(".")))
    return sorted(figs, key=lambda f: f.start)


def noun_years(p: Parsed, figs: Sequence[Figure]) -> list[Figure]:
    """A year that qualifies a noun ("the 2019 fishing ban", "the 2019 season"): it dates the thing the noun names."""
    out = []
    for m in BARE_YEAR.finditer(p.text):
        if any(f.start < m.end() and m.start() < f.end for f in figs):
            continue
        ids = p.covering(m.start(), m.end())
        if len(ids) == 1 and p.words[ids[0]].dep in ("nummod", "compound", "amod", "nmod"):
            head = p.words[ids[0]].head
            if p.words[head].pos == "NOUN" and head > ids[0]:
                out.append(Figure(m.group(), m.start(), m.end(), "date", label=m.group()))
    return out
