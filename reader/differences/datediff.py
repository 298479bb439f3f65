"""Dates and days across outlets: one event dated two ways ("since 2011" / "since 2012"; "detained March 4",
a Monday, / "detained Tuesday"), and the days and times that aligned outlets give alike.

A date says when something happened, so two dates conflict only when they date one event: the same
verb ("arrested", "led") of the same subject, read from the dependency parse, with the date attached
to that verb itself (in "arrested Wednesday on suspicion of murdering X on Sept. 8" the murder, not the
arrest, is dated Sept. 8). What is said when ("officials said Friday") is not an event to compare.
Two planned events of one subject on different days ("expected to inspect today or Tuesday",
"scheduled to arrive on Sunday") are shown apart, as worth a look. The dates and the events they
date are read in ``reader.differences.dates``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.differences.dates import When, attached_verb, whens_in
from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.names import SAME_PERSON, name_relation
from reader.differences.parse import parse
from reader.differences.weekdays import WEEKDAYS, Calendar, story_calendar
from reader.model import Agreement, Article, Discrepancy, Group

# Verbs that date a statement or a state, not an event: "said Friday", "has been part of since 2003".
_NOT_EVENTS = frozenset(
    "be have say tell announce add state report confirm write tweet post publish issue release note "
    "explain claim insist argue describe call comment speak testify deny warn estimate predict suggest "
    "acknowledge admit allege accuse urge vow promise pledge threaten reveal disclose indicate show".split()
)
_PEOPLE = frozenset("person people official officials police authority authorities he she they it we".split())


def _weekdays(w: When, calendar: Calendar) -> frozenset[int] | None:
    if w.kind == "weekday":
        return frozenset(v[0] for v in w.values)
    if w.kind == "day":
        days = {calendar.weekday(*v) for v in w.values}
        return None if None in days else frozenset(d for d in days if d is not None)
    return None


def _differ(a: When, b: When, calendar: Calendar) -> bool | None:
    """True when the two dates cannot be one day (or year, or time), False when they are, None when they
    cannot be compared ("since 2011" and "in 2011"; a weekday and a date the story does not place)."""
    if a.kind == b.kind:
        if a.kind == "year" and a.prep != b.prep:
            return None
        return not (a.values & b.values)
    if {a.kind, b.kind} == {"weekday", "day"}:
        wa, wb = _weekdays(a, calendar), _weekdays(b, calendar)
        return None if wa is None or wb is None else not (wa & wb)
    return None


def _same_names(a: When, b: When) -> bool | None:
    if a.names and b.names:
        return name_relation(a.names, b.names) in SAME_PERSON
    return None


def _same_event(a: When, b: When, together: bool) -> float:
    """How sure it is that two dates date one event (0 when nothing says so)."""
    names = _same_names(a, b)
    if names is False:
        return 0.0
    shared = (a.verbs & b.verbs) - _NOT_EVENTS
    specific = (a.subject & b.subject) - _PEOPLE
    if shared and (names or specific):
        return 0.75 if together else 0.7
    if a.planned and b.planned and specific and not (a.verbs & _NOT_EVENTS or b.verbs & _NOT_EVENTS):
        return 0.45  # one subject's planned event on two days, told with different verbs: worth a look
    return 0.0


def _say(w: When, calendar: Calendar) -> str:
    said = w.text
    if w.kind == "day" and len(w.values) == 1:
        (value,) = w.values
        day = calendar.weekday(*value)
        if day is not None:
            said += f", a {WEEKDAYS[day].capitalize()}"
    return said


def _verb_words(w: When) -> str:
    p = parse(w.at.sentence.text)
    verb = attached_verb(p, w.figs[0]) if p is not None else None
    return p.words[verb].text if p is not None and verb is not None else ""


def date_findings(
    articles: Sequence[Article], groups: Sequence[Group], index: dict[str, Mention]
) -> tuple[list[Discrepancy], list[Agreement]]:
    """Dates that conflict for one event, anywhere in the story; dates aligned outlets give alike."""
    mentions = sorted(index.values(), key=lambda m: (m.order, m.sentence.start))
    calendar = story_calendar((s.text for a in articles for s in a.sentences), (a.published for a in articles))
    whens = whens_in(mentions, calendar)
    homes: dict[str, list[str]] = {}
    for g in groups:
        for sid in g.sentences:
            homes.setdefault(sid, []).append(g.id)
    order = {g.id: i for i, g in enumerate(groups)}
    return _conflicts(whens, homes, order, calendar), _agreements(whens, homes, calendar)


def _signature(w: When) -> tuple[object, ...]:
    """What pairing a date depends on: wire copies of one sentence in many outlets give one signature."""
    return (w.kind, w.values, w.prep, w.verbs, w.subject, w.names, w.planned, w.unknown)


def _candidates(reps: Sequence[When]) -> list[tuple[int, int]]:
    """Pairs of signatures that share an event verb or a subject word: nothing else can date one event."""
    keys: dict[str, list[int]] = {}
    for i, w in enumerate(reps):
        for k in {f"v:{v}" for v in w.verbs - _NOT_EVENTS} | {f"s:{s}" for s in w.subject - _PEOPLE}:
            keys.setdefault(k, []).append(i)
    return sorted({(i, j) for ids in keys.values() for n, i in enumerate(ids) for j in ids[n + 1 :]})


def _day_key(w: When, calendar: Calendar) -> tuple[object, ...]:
    """What a date says, so that "March 4" and "Monday" fall on one side when the story's week fixes it."""
    days = _weekdays(w, calendar)
    return ("weekday", days) if days is not None else (w.kind, w.values, w.prep)


def _conflicts(
    whens: Sequence[When], homes: dict[str, list[str]], order: dict[str, int], calendar: Calendar
) -> list[Discrepancy]:
    """One finding per event that outlets date differently, each side with every mention that gives its date."""
    signatures: dict[tuple[object, ...], list[int]] = {}
    for i, w in enumerate(whens):
        if homes.get(w.at.sentence.id):
            signatures.setdefault(_signature(w), []).append(i)
    groups_of = list(signatures.values())
    sure_of = _disputed(whens, groups_of, homes, calendar)
    parent = list(range(len(groups_of)))
    for i, j in sure_of:
        parent[_root(parent, j)] = _root(parent, i)
    components: dict[int, list[int]] = {}
    for i, _ in sure_of:
        components.setdefault(_root(parent, i), [])
    for k in range(len(groups_of)):
        if _root(parent, k) in components:
            components[_root(parent, k)].append(k)
    found = []
    for r, members in components.items():
        sure = max(v for (i, j), v in sure_of.items() if _root(parent, i) == r)
        d = _finding([whens[x] for m in members for x in groups_of[m]], sure, homes, order, calendar)
        if d is not None:
            found.append(d)
    return found


def _disputed(
    whens: Sequence[When], groups_of: list[list[int]], homes: dict[str, list[str]], calendar: Calendar
) -> dict[tuple[int, int], float]:
    """Pairs of signatures (positions in ``groups_of``) that date one event differently in two outlets or
    more, with how sure it is that the event is one."""
    reps = [whens[ids[0]] for ids in groups_of]
    sure_of: dict[tuple[int, int], float] = {}
    for i, j in _candidates(reps):
        a, b = reps[i], reps[j]
        together = any(
            set(homes[whens[x].at.sentence.id]) & set(homes[whens[y].at.sentence.id])
            for x in groups_of[i][:3]
            for y in groups_of[j][:3]
        )
        sure = _same_event(a, b, together)
        if not sure or not _differ(a, b, calendar):
            continue
        outlets = {whens[k].at.outlet for k in groups_of[i] + groups_of[j]}
        if len(outlets) < 2:
            continue
        sure_of[(i, j)] = sure
    return sure_of


def _root(parent: list[int], k: int) -> int:
    while parent[k] != k:
        k = parent[k]
    return k


def _finding(
    mentions: list[When], sure: float, homes: dict[str, list[str]], order: dict[str, int], calendar: Calendar
) -> Discrepancy | None:
    sides: dict[tuple[object, ...], list[When]] = {}
    for w in sorted(mentions, key=lambda w: (w.at.order, w.at.sentence.start, w.start)):
        sides.setdefault(_day_key(w, calendar), []).append(w)
    if len(sides) < 2:
        return None
    told = [{w.at.outlet for w in side} for side in sides.values()]
    if any(told[i] & told[j] for i in range(len(told)) for j in range(i + 1, len(told))):
        return None  # one outlet gives two of the dates itself: two events, or an update it reports
    every = [w for side in sides.values() for w in side]
    rows = [set(homes[w.at.sentence.id]) for w in every]
    shared_rows = set.intersection(*rows)
    home = min(shared_rows, key=order.__getitem__) if shared_rows else min(set().union(*rows), key=order.__getitem__)
    if any(w.unknown for w in every):
        sure = min(sure, 0.45)  # "today or Tuesday": one alternative nobody can place
    first = [side[0] for side in sides.values()]
    verbs = " / ".join(dict.fromkeys(x for x in (_verb_words(w) for w in first) if x))
    said = " vs ".join(
        f"{_say(side[0], calendar)} ({', '.join(outlets_of([w.at for w in side]))})" for side in sides.values()
    )
    summary = f"Date{f' ({verbs})' if verbs else ''}: {said}"
    shared = sorted(set.intersection(*(set(w.verbs) for w in first)) - _NOT_EVENTS)
    if shared:
        names = next((w.names for w in first if w.names), ())
        subjects = set.intersection(*(set(w.subject) for w in first)) - _PEOPLE
        who = " ".join(n.capitalize() for n in names) or next(iter(sorted(subjects)), "")
        why = f"Both date the same event: “{shared[0]}”" + (f", with the same subject ({who})" if who else "")
    else:
        why = "Both give the day of one planned event of the same subject, told with different verbs"
    if len({w.kind for w in first}) > 1:
        why += "; the story's own dates fix the weekdays"
    if not shared_rows:
        why += ", in sentences the outlets tell in different places"
    values = tuple(span_of(w.at, w.start, w.end) for w in every)
    outlets = outlets_of([w.at for w in every])
    return Discrepancy("", "figure", home, summary, values, outlets, "conflict", round(sure, 2), why=why)


def _agreements(whens: Sequence[When], homes: dict[str, list[str]], calendar: Calendar) -> list[Agreement]:
    """Days, dates, years and times that outlets of one aligned group give alike for what they report."""
    by_group: dict[str, list[When]] = {}
    for w in whens:
        for g in homes.get(w.at.sentence.id, []):
            by_group.setdefault(g, []).append(w)
    out: list[Agreement] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    for gid, ws in by_group.items():
        for cluster in _alike([w for w in ws if not w.unknown and len(w.values) == 1], calendar):
            forms = dict.fromkeys(re.sub(r"^on\s+", "", " ".join(c.text.split()), flags=re.I) for c in cluster)
            said = " / ".join(dict((f.casefold(), f) for f in forms).values())
            sentences = tuple(dict.fromkeys(c.at.sentence.id for c in cluster))
            key = (said.casefold(), frozenset(sentences))
            if key not in seen:
                seen.add(key)
                out.append(Agreement("date", gid, said, sentences, outlets_of([c.at for c in cluster])))
    return out


def _alike(ws: list[When], calendar: Calendar) -> list[list[When]]:
    """The dates of one group that two outlets or more give alike (one date per outlet), for one event or
    where each sentence gives only one date of its kind."""
    counts: dict[tuple[str, str], int] = {}
    for w in ws:
        counts[(w.at.sentence.id, w.kind)] = counts.get((w.at.sentence.id, w.kind), 0) + 1
    clusters: list[list[When]] = []
    used: set[int] = set()
    for i, a in enumerate(ws):
        if i in used:
            continue
        cluster = [a]
        for j in range(i + 1, len(ws)):
            b = ws[j]
            if j in used or b.at.outlet in {c.at.outlet for c in cluster} or b.kind != a.kind:
                continue
            if _differ(a, b, calendar) is not False:
                continue
            alone = counts[(a.at.sentence.id, a.kind)] == 1 and counts[(b.at.sentence.id, b.kind)] == 1
            if (a.verbs & b.verbs) - _NOT_EVENTS or alone:
                cluster.append(b)
                used.add(j)
        if len(cluster) >= 2:
            clusters.append(cluster)
    return clusters
