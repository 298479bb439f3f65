"""Every figure in a sentence: counts, quantities with units, ranges, hedges, dates, vague amounts.

Home-made patterns rather than quantulum3: measured on our own test sentences,
quantulum3 found the quantities but dropped every hedge ("within", "less than",
"about"), missed vague amounts ("scores of"), read "3:15 am" as attometres and
"June 9" as a bare 9, and costs about 4 s on first use (import plus its unit
tables). A hedge is the difference between "within 30 km" and "less than 45 km",
so extraction stays here; pint (in ``reader.differences.units``) does the unit conversions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from reader.differences.figrates import frame_rates_and_periods
from reader.differences.units import (
    CURRENCY_SIGNS,
    SCALES,
    SHORT_SCALES,
    SMALL,
    UNITS,
    VAGUE,
    factor_to_base,
    to_float,
    unit_info,
    words_to_number,
)


@dataclass(frozen=True)
class Figure:
    """One figure, with character offsets into the text it was found in."""

    text: str  # == source[start:end], hedge included ("less than 100 kilometres")
    start: int
    end: int
    kind: str  # "count", "distance", "percent", "money:USD", "duration", ..., "vague", "date", "time"
    low: float | None = None  # interval the figure claims, in its own unit
    high: float | None = None
    unit: str = ""  # short label of the unit as written ("km", "miles", "%"), "" for counts
    hedge: str = ""  # "approx", "max" (upper bound), "min" (lower bound), "" (stated exactly)
    head: str = ""  # the noun the figure quantifies ("people", "soldiers"), "" when unknown
    frame: str = ""  # "size" for "a town of 35,000": the figure describes a thing, not an event
    label: str = ""  # for dates/times: normalised wording ("monday", "june 9")
    converts_previous: bool = False  # "(19 miles)" restating the figure just before it
    per: str = ""  # what a rate is per: "month" for "$40 a month", "person" for "$5 per person"
    base_low: float | None = None  # the interval in the dimension's base unit (km, kg, day), when convertible
    base_high: float | None = None

    @property
    def value(self) -> float | None:
        if self.low is None or self.high is None:
            return None
        return (self.low + self.high) / 2


_NUM_WORDS = sorted(list(SMALL) + list(SCALES) + ["dozen"], key=len, reverse=True)
_NW = "(?:" + "|".join(_NUM_WORDS) + ")"
_DIG = r"[0-9٠-٩۰-۹]+(?:[,.٫٬][0-9٠-٩۰-۹]+)*(?:[eE][+-]?[0-9]+)?"
_SCALE = r"(?:\s*(?:" + "|".join(SCALES) + r")\b|(?:" + "|".join(SHORT_SCALES) + r")\b)?"
_WORDNUM = rf"(?:a\s+(?:dozen|hundred|thousand|million|billion)|{_NW}(?:(?:\s+|-)(?:and\s+)?{_NW})*)"
# "two and a half", "2-and-a-half", "two-and-half": a half more than the number before it.
_HALF = r"(?:(?:\s+|-)and(?:\s+|-)(?:a(?:\s+|-))?half\b)"
_NUMBER = rf"(?:(?<![\w.]){_DIG}{_HALF}?{_SCALE}|\b{_WORDNUM}\b{_HALF}?{_SCALE})"
_CUR = "(?:" + "|".join(re.escape(c) for c in CURRENCY_SIGNS) + r")\s?"
# Units that are also ordinary words or letters are only read straight after a digit.
_RISKY_UNITS = {"m", "mi", "b", "ha", "min", "sec", "pound", "pounds", "ton", "tons", "lb"}
_UNIT_NAMES = sorted((u for u in UNITS if u not in CURRENCY_SIGNS and u not in _RISKY_UNITS), key=len, reverse=True)
_UNIT = "(?:" + "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in _UNIT_NAMES) + ")"
_HEDGES = {
    "approx": "about|around|approximately|roughly|some|an estimated|estimated|close to|nearly|almost",
    # "as many as 1,000" is a ceiling, like "up to 1,000"
    "max": "within less than|within|less than|fewer than|under|up to|at most|no more than|just under|below|as many as",
    "min": "more than|over|at least|upwards of|just over|above|in excess of",
}
_MORE = frozenset("more older above over higher greater".split())
_HEDGE = "(?:" + "|".join(h.replace(" ", r"\s+") for v in _HEDGES.values() for h in v.split("|")) + ")"

_QUANTITY = re.compile(
    rf"""
    (?:(?P<hedge>\b{_HEDGE})\s+)?
    (?:(?P<between>between)\s+)?
    (?P<cur>{_CUR})?
    (?P<n1>{_NUMBER})
    (?P<plus>\s*-?\s*plus\b|\+)?
    (?:\s*(?:-|–|—|to|and)\s*(?:{_CUR})?(?P<n2>{_NUMBER}))?
    (?:\s*-?\s*(?P<unit>%|{_UNIT}\b|(?:pounds|pound|tons|tons|lb)\b(?!\s+of\b)))?
    (?:\s+or\s+(?P<bound>more|older|above|over|higher|greater|fewer|less|younger|under|below|lower)\b)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "one in six", "about one out of every eight": a share, not two counts ("five out of 12 wolves" stays counts).
_RATIO = re.compile(
    rf"(?:(?P<hedge>\b{_HEDGE})\s+)?(?P<n1>{_NUMBER})\s+(?:in|out\s+of\s+(?:every|each))\s+(?P<n2>{_NUMBER})\b"
    rf"(?!\s*(?:%|[-–]|{_UNIT}\b))",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens|scores|hundreds|thousands|millions)\b(?:\s+of\b)?",
    re.IGNORECASE,
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MON = rf"(?:{_MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DATE = re.compile(
    rf"""
    \b(?:
      (?:on\s+)?(?P<day>{_DAYS})(?:\s+(?:morning|afternoon|evening|night))?
    | (?P<md>{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)
    | (?P<dm>\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON}(?:,?\s+\d{{4}})?)
    | (?P<my>(?:{_MONTHS})\s+\d{{4}})
    | (?P<year>(?:in|since|until|by|from|of|early|late|mid)\s+(?:1[89]\d\d|20\d\d))
    | (?P<ago>(?:(?:nearly|almost|about|some|more\s+than|over)\s+)?(?:{_WORDNUM}|\d+|a|an)\s+
        (?:days?|weeks?|months?|years?|decades?)\s+ago)
    | (?P<rel>(?:last|next|this)\s+(?:week|month|year|weekend)|yesterday|today|tonight)
    )\b
    """,
    re.VERBOSE,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.|GMT|UTC)?|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)", re.I)
_SIZE_FRAME = re.compile(
    r"\b(?:city|town|village|country|nation|population|district|region|area|province|capital|community|island|"
    r"state|county|suburb|municipality)\s+of\s+(?:some\s+|about\s+|around\s+|nearly\s+|roughly\s+)?$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
# Words that may sit between a figure and the noun it counts ("twelve other people").
_SKIP_HEAD = frozenset("other more extra additional new further of".split())
_NOT_HEAD = frozenset(
    "the a an and or but to in on at by for from with as than that this these those them it its their his her "
    "was were is are be been had has have will would could may might who which when while after before since "
    "all in each per percent".split()
)
# Paragraph-initial lone "one" ("one of the options") is a pronoun, not a count.
_PRONOUN_NUMBERS = frozenset({"one", "a dozen"})


def _hedge_class(hedge: str) -> str:
    h = " ".join(hedge.casefold().split())
    for cls, words in _HEDGES.items():
        if h in words.split("|"):
            return cls
    return ""


def _number(text: str) -> float | None:
    t = " ".join(text.split())
    half = re.search(_HALF, t, re.I)
    if half:  # "two and a half million": (2 + 0.5) million
        base, scale = _number(t[: half.start()]), t[half.end() :].strip().casefold()
        mult = SCALES.get(scale) or SHORT_SCALES.get(scale) or (1 if not scale else None)
        return (base + 0.5) * mult if base is not None and mult is not None else None
    m = re.fullmatch(rf"({_DIG})\s*([A-Za-z]*)", t)
    if m:
        value = to_float(m.group(1))
        scale = m.group(2).casefold()
        if value is None:
            return None
        mult = SCALES.get(scale) or SHORT_SCALES.get(scale) or (1 if not scale else None)
        return value * mult if mult is not None else None
    return words_to_number(t)


def _head_after(text: str, pos: int) -> str:
    for m in _WORD.finditer(text, pos, min(len(text), pos + 60)):
        w = m.group().casefold().strip("’'")
        if w in _SKIP_HEAD or m.group()[:1].isupper():
            continue
        if w in _NOT_HEAD:
            return ""
        return w
    return ""


def _interval(n1: float, n2: float | None, hedge: str) -> tuple[float, float]:
    if n2 is not None:
        return min(n1, n2), max(n1, n2)
    if hedge == "max":
        return 0.0, n1
    if hedge == "min":
        return n1, float("inf")
    return n1, n1


def _quantity(text: str, m: re.Match[str]) -> Figure | None:
    n1 = _number(m.group("n1"))
    n2 = _number(m.group("n2")) if m.group("n2") else None
    if n1 is None or (m.group("n2") and n2 is None):
        return None
    if n2 is not None and n2 < n1 and n2 < 100 <= n1:
        return None  # "450-5" style page noise or "2014-15" seasons: not a range we can read
    # "90-plus percent", "40+ people", "21 or older", "30 or more": the number is a bound
    bound = (m.group("bound") or "").casefold()
    tail = "min" if m.group("plus") or bound in _MORE else "max" if bound else ""
    hedge = _hedge_class(m.group("hedge") or "") or tail
    unit_text = m.group("unit") or ""
    cur = (m.group("cur") or "").strip()
    info = unit_info(cur) if cur else unit_info(" ".join(unit_text.split())) if unit_text else None
    start, end = m.start(), m.end()
    raw = m.group("n1").strip().casefold()
    if info is None and n2 is None and not hedge and raw in _PRONOUN_NUMBERS and raw != "a dozen":
        return None
    if info is None and n2 is None and re.fullmatch(r"(1[89]|20)\d\d", raw):
        return None  # a bare year; the date pattern speaks for years with a preposition
    low, high = _interval(n1, n2, hedge)
    kind, label, base_low, base_high = "count", "", None, None
    if info is not None:
        pint_name, kind, label = info
        factor = factor_to_base(pint_name, kind)
        if factor is not None:
            base_low, base_high = low * factor, high * factor
    head = _head_after(text, end) if kind == "count" or kind.startswith("money") else ""
    frame = "size" if _SIZE_FRAME.search(text[max(0, start - 40) : start]) else ""
    return Figure(
        text[start:end], start, end, kind, low, high, label, hedge, head, frame, base_low=base_low, base_high=base_high
    )


def _taken(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def _date_label(m: re.Match[str]) -> str:
    words = m.group().casefold().split()
    if words and words[0] in ("on", "in", "since", "until", "by", "from", "of"):
        words = words[1:]
    return " ".join(w.rstrip(",.") for w in words)


@lru_cache(maxsize=8192)
def find_figures(text: str) -> tuple[Figure, ...]:
    """Every figure in ``text``, in reading order. Never raises on odd input ("1e308", "٣٠٠")."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    # Earlier finders win a stretch of text: a date before a magnitude, a share ("one in six") before counts.
    for fig in chain(_dates(text), _magnitudes(text), _times(text), _vagues(text), _shares(text), _one_units(text)):
        if not _taken(taken, fig.start, fig.end):
            found.append(fig)
            taken.append((fig.start, fig.end))
    for m in _quantities(text):
        if not m.group("n1") or _taken(taken, m.start("n1"), m.end()):
            continue
        quantity = _quantity(text, m)
        if quantity is not None:
            found.append(quantity)
            taken.append((quantity.start, quantity.end))
    found.sort(key=lambda f: f.start)
    magnitudes = [f for f in found if f.kind == "magnitude"]
    if magnitudes:
        # "put its magnitude at 6.2, lower than the 6.4 reported abroad": a bare one-decimal number beside a
        # magnitude is another reading of it
        found = [
            Figure(f.text, f.start, f.end, "magnitude", f.low, f.high, "", "", magnitudes[0].head)
            if f.kind == "count" and not f.hedge and re.fullmatch(r"\d\.\d", f.text.strip())
            else f
            for f in found
        ]
    return tuple(frame_rates_and_periods(text, _mark_conversions(text, found)))


def _quantities(text: str) -> Iterator[re.Match[str]]:
    """The quantity matches, where a "range" that runs downwards is two figures: "outraised him $5.4 million to
    $200,000", "the court split five to four" (seasons and page noise, "2014-15", are dropped by ``_quantity``)."""
    pos = 0
    while (m := _QUANTITY.search(text, pos)) is not None:
        n1, n2 = _number(m.group("n1") or ""), _number(m.group("n2") or "") if m.group("n2") else None
        if n1 is not None and n2 is not None and n2 < n1 and not n2 < 100 <= n1:
            first = _QUANTITY.match(text, m.start(), m.end("n1"))
            if first is not None:
                yield first
            pos = m.end("n1")
            continue
        yield m
        pos = max(m.end(), pos + 1)


def _dates(text: str) -> Iterator[Figure]:
    for m in _DATE.finditer(text):
        yield Figure(m.group(), m.start(), m.end(), "date", label=_date_label(m))


def _times(text: str) -> Iterator[Figure]:
    for m in _TIME.finditer(text):
        yield Figure(m.group(), m.start(), m.end(), "time", label=" ".join(m.group().casefold().split()))


def _vagues(text: str) -> Iterator[Figure]:
    for m in _VAGUE.finditer(text):
        low, high = VAGUE[re.sub(r"\s+of$", "", " ".join(m.group().casefold().split()))]
        yield Figure(m.group(), m.start(), m.end(), "vague", low, high, "", "approx", _head_after(text, m.end()))


# An earthquake's magnitude: "magnitude 6.4", "a 5.3-magnitude aftershock", "measured at 6.4", "put its magnitude
# at 6.2", "a 6.4 earthquake". A number on no unit, so without this it was a bare count nobody compared.
_MAGNITUDE = re.compile(
    r"\bmagnitude(?:\s+(?:of|at|was|is|put\s+at))?[\s-]+(?P<a>\d(?:\.\d)?)\b(?![.,]\d)"
    r"|\b(?P<b>\d(?:\.\d)?)[\s-]+magnitude\b"
    r"|\bmeasur(?:ed|ing)\s+(?:at\s+)?(?P<c>\d(?:\.\d)?)\b(?![.,]\d|\s*(?:%|percent|[a-z]))"
    r"|\b(?P<d>\d\.\d)[\s-]+(?:on\s+the\s+Richter\s+scale|(?:earth)?quake|tremor|temblor|aftershock|foreshock)\b",
    re.I,
)
_SHOCK = re.compile(r"\b(earthquake|quake|tremor|temblor|aftershock|foreshock)s?\b", re.I)


def _magnitudes(text: str) -> list[Figure]:
    """Earthquake magnitudes, each with the shock it measures ("quake" or "aftershock") as its head."""
    out = []
    for m in _MAGNITUDE.finditer(text):
        group = next(g for g in "abcd" if m.group(g))
        start, end = m.span(group)
        if group == "c" and not _SHOCK.search(text) and "magnitude" not in text.casefold():
            continue  # "measured at 6.4" in a story with no shock in sight: some other measure
        value = float(m.group(group))
        shocks = sorted(_SHOCK.finditer(text), key=lambda s: min(abs(s.start() - end), abs(s.end() - start)))
        near = [s for s in shocks if abs(s.start() - end) <= 40 or abs(s.end() - start) <= 40]
        word = near[0].group(1).casefold() if near else "quake"
        head = word if word in ("aftershock", "foreshock") else "quake"
        out.append(Figure(text[start:end], start, end, "magnitude", value, value, "", "", head))
    return out


# "about a mile from the camp", "within a kilometre of the coast": "a" is one, when a hedge says it is an amount.
_A_UNIT = re.compile(rf"(?P<hedge>\b{_HEDGE})\s+an?\s+(?P<unit>{_UNIT})\b", re.IGNORECASE)
_ONE_KINDS = frozenset({"distance", "area", "mass", "volume"})


def _one_units(text: str) -> Iterator[Figure]:
    for m in _A_UNIT.finditer(text):
        info = unit_info(" ".join(m.group("unit").split()))
        if info is None or info[1] not in _ONE_KINDS:
            continue  # "about an hour", "nearly a year": times are the dates' and durations' business
        pint_name, kind, label = info
        hedge = _hedge_class(m.group("hedge"))
        low, high = _interval(1.0, None, hedge)
        factor = factor_to_base(pint_name, kind)
        base = (low * factor, high * factor) if factor is not None else (None, None)
        yield Figure(m.group(), m.start(), m.end(), kind, low, high, label, hedge, base_low=base[0], base_high=base[1])


def _shares(text: str) -> list[Figure]:
    """ "one in four pupils": the share (25, as a percentage) that two numbers make, one figure."""
    out = []
    for m in _RATIO.finditer(text):
        n1, n2 = _number(m.group("n1")), _number(m.group("n2"))
        if n1 is None or not n2 or not 0 < n1 < n2 or re.fullmatch(r"(1[89]|20)\d\d", m.group("n2").strip()):
            continue
        value = 100 * n1 / n2
        hedge = _hedge_class(m.group("hedge") or "")
        out.append(Figure(m.group(), m.start(), m.end(), "share", value, value, "", hedge, _head_after(text, m.end())))
    return out


def _mark_conversions(text: str, figures: list[Figure]) -> list[Figure]:
    """ "30 kilometres (19 miles)": the bracketed figure restates the one before it."""
    out: list[Figure] = []
    for f in figures:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == f.kind
            and prev.unit != f.unit
            and prev.base_low is not None
            and re.fullmatch(r"\s*[(\[,]\s*(?:or\s+|about\s+|some\s+)?", text[prev.end : f.start])
        ):
            f = Figure(**{**f.__dict__, "converts_previous": True})
        out.append(f)
    return out
