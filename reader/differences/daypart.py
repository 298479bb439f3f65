"""One event put at two times of day ("the crane fell Sunday morning" / "toppled Sunday night").

Two outlets that give one day for one event but a different part of it (morning, afternoon, night) tell the
time differently; it is rarely a flat contradiction (an evening is the end of an afternoon), so it is shown
as worth a look, worded differently. Adjacent parts (afternoon and evening, evening and night) are no
difference. The event is one when the dates hang from one verb, or two verbs news copy uses for one another
("fell" / "toppled"), or when the words around them have two in common ("the fish market at the harbour").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.differences.dates import NOT_EVENTS, When, differ
from reader.differences.mentions import outlets_of, span_of
from reader.differences.weekdays import Calendar
from reader.model import Discrepancy

_PART = re.compile(r"\b(morning|afternoon|evening|night|overnight|tonight)\b", re.I)
_HOURS = {"morning": (5, 12), "afternoon": (12, 18), "evening": (17, 22), "night": (20, 29)}
_ALIASES = {"overnight": "night", "tonight": "night"}
# Verbs news copy uses for one another when it tells one event.
_FAMILIES = ("fall topple collapse crash tumble", "die kill", "strike hit", "burn blaze")
_FAMILY = {v: n for n, family in enumerate(_FAMILIES) for v in family.split()}
UNSURE = 0.45


def _part(w: When) -> str:
    m = _PART.search(w.text)
    return _ALIASES.get(m.group(1).casefold(), m.group(1).casefold()) if m else ""


def _plain(w: When) -> str:
    return re.sub(r"^on\s+", "", " ".join(w.text.split()), flags=re.I)


def _apart(a: str, b: str) -> bool:
    (lo_a, hi_a), (lo_b, hi_b) = _HOURS[a], _HOURS[b]
    return hi_a < lo_b or hi_b < lo_a  # afternoon (12-18) and evening (17-22) touch: no difference


def _one_event(a: When, b: When) -> bool:
    if a.verbs <= NOT_EVENTS or b.verbs <= NOT_EVENTS:
        return False  # "said Sunday night": a statement, made whenever
    families = [{_FAMILY[v] for v in w.verbs if v in _FAMILY} for w in (a, b)]
    same = bool((a.verbs & b.verbs) - NOT_EVENTS) or bool(families[0] & families[1])
    return same or len(a.anchors & b.anchors) >= 2


def daypart_findings(
    whens: Sequence[When], homes: dict[str, list[str]], order: dict[str, int], calendar: Calendar
) -> list[Discrepancy]:
    """One finding per event that outlets put at parts of one day far apart."""
    ws = [w for w in whens if w.on_verb and _part(w) and w.kind in ("weekday", "day") and homes.get(w.at.sentence.id)]
    found = []
    used: set[int] = set()
    for i, a in enumerate(ws):
        if i in used:
            continue
        side_a: list[When] = [a]
        side_b: list[When] = []
        for j in range(i + 1, len(ws)):
            b = ws[j]
            if j in used or differ(a, b, calendar) is not False or not _one_event(a, b):
                continue
            if _part(b) == _part(a):
                side_a.append(b)
                used.add(j)
            elif _apart(_part(a), _part(b)) and (not side_b or _part(b) == _part(side_b[0])):
                side_b.append(b)
                used.add(j)
        outlets_a, outlets_b = {w.at.outlet for w in side_a}, {w.at.outlet for w in side_b}
        if not side_b or outlets_a & outlets_b:
            continue  # one outlet gives both: two moments of the day it tells apart
        every = side_a + side_b
        rows = [set(homes[w.at.sentence.id]) for w in every]
        home = min(set().union(*rows), key=order.__getitem__)
        said = " vs ".join(f"{_plain(s[0])} ({', '.join(outlets_of([w.at for w in s]))})" for s in (side_a, side_b))
        values = tuple(span_of(w.at, w.start, w.end) for w in every)
        why = "Both give the same day for one event, told at parts of the day that do not meet"
        found.append(
            Discrepancy(
                "", "wording", home, f"Time of day: {said}", values, outlets_of([w.at for w in every]),
                "time of day", UNSURE, why=why,
            )
        )  # fmt: skip
    return found
