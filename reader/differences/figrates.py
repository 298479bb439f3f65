"""Figures that are not plain amounts: rates ("$40 a month", "$5 per person") and the period an amount is
spread over ("$12 billion over ten years").

A rate and a total are two things however close their numbers: "cut grants by $40 a month" and "cut
$3 million" never conflict, and "50 km per hour" is no distance. ``Figure.per`` says what a rate is per, and
``figures.dimension`` keeps rates apart from totals. The period of an amount ("over 10 years" is not
"more than 10 years") is marked ``frame="period"``: it is the same period only where it spreads the same
amount (``spanned_amount``), so two outlets' "over ten years" for two different cuts confirm nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.differences.figures import Figure

# What "a"/"each"/"every" may make a rate of: units of time, and the people or things a sum is shared by.
_RATE_NOUNS = frozenset(
    "second minute hour day night week month quarter year decade person head capita household family home child "
    "student resident worker employee member patient visitor passenger ticket share vote barrel gallon litre "
    "liter tonne ton piece game season".split()
)
_RATE = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:(?P<per>per)|a|an|each|every)\s+(?P<noun>[a-z]+)\b"
    r"(?!\s+(?:ago|earlier|later|before|after|old|from|or|and)\b)",
    re.IGNORECASE,
)
_RATE_ADVERBS = {"annually": "year", "yearly": "year", "monthly": "month", "weekly": "week", "daily": "day",
                 "hourly": "hour", "apiece": "each", "each": "each", "a piece": "each"}  # fmt: skip
_RATE_ADVERB = re.compile(r"^\s*(?:\([^)]*\)\s*)?(annually|yearly|monthly|weekly|daily|hourly|apiece|a piece)\b", re.I)
# "$40 billion over 10 years", "over the next five years": the span an amount is spread over.
_PERIOD_LEAD = re.compile(r"\b(?:over|across|during)\s+(?:the\s+)?(?:next|past|last|coming|following|first)\s+$", re.I)
# Kinds that may carry a rate; a date, a time or a magnitude never does.
_RATED = ("count", "money", "mass", "volume", "distance", "area", "duration")


def _singular(word: str) -> str:
    w = word.casefold()
    return w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w


def rate_of(text: str, f: Figure) -> str:
    """What the figure ``f`` of ``text`` is a rate per ("month", "person", "each"), or ""."""
    if not f.kind.startswith(_RATED) or f.per:
        return ""
    after = text[f.end :]
    if f.head:  # "15,000 people a year": the rate follows the noun counted
        head = re.match(rf"\s+(?:[\w’'-]+\s+){{0,2}}?{re.escape(f.head)}\b", after, re.I)
        after = after[head.end() :] if head else after
    adverb = _RATE_ADVERB.match(after)
    if adverb:
        return _RATE_ADVERBS[" ".join(adverb.group(1).casefold().split())]
    m = _RATE.match(after)
    if m is None:
        return ""
    noun = _singular(m.group("noun"))
    if m.group("per") or noun in _RATE_NOUNS:
        return noun
    return ""


def _spanned(text: str, f: Figure, figures: list[Figure]) -> Figure | None:
    """The amount a period ("over 10 years", "over the next three years") spreads, told in the same clause
    just before or after it; None when ``f`` is no such period."""
    if f.kind != "duration" or f.per:
        return None
    own = re.match(r"(?i)(?:over|across|during)\s", f.text) is not None
    if not own and _PERIOD_LEAD.search(text[max(0, f.start - 40) : f.start]) is None:
        return None
    near = [
        g for g in figures
        if g is not f and g.kind not in ("date", "time", "duration", "vague") and not g.converts_previous
        and not g.per and min(abs(g.start - f.end), abs(f.start - g.end)) <= 80
        and not re.search(r"[;.!?]\s", text[min(g.end, f.end) : max(g.start, f.start)])
    ]  # fmt: skip
    return min(near, key=lambda g: min(abs(g.start - f.end), abs(f.start - g.end)), default=None)


def spanned_amount(text: str, f: Figure) -> Figure | None:
    """The amount the period ``f`` of ``text`` spreads ("$40 billion" for "over 10 years"), or None."""
    from reader.differences.figures import find_figures  # figures imports this module

    return _spanned(text, f, list(find_figures(text))) if f.frame == "period" else None


def frame_rates_and_periods(text: str, figures: list[Figure]) -> list[Figure]:
    """``figures`` (of ``text``, in reading order) with rates marked (``per``) and periods framed."""
    rated = [replace(f, per=per) if (per := rate_of(text, f)) else f for f in figures]
    out: list[Figure] = []
    for f in rated:
        if f.low is not None and _spanned(text, f, rated) is not None:
            # "over 10 years" is the span, not a lower bound: the number as stated
            factor = (f.base_low / f.low) if f.base_low is not None and f.low else None
            f = replace(
                f, hedge="", high=f.low, frame="period",
                base_low=f.low * factor if factor else None, base_high=f.low * factor if factor else None,
            )  # fmt: skip
        out.append(f)
    return out
