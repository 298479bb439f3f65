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

from reader.differences.attributes import noun_key
from reader.differences.dateagree import group_date_agreements, story_date_agreements
from reader.differences.dates import NOT_EVENTS, PEOPLE, PUBLISHING, When, attached_verb, differ, weekdays_of, whens_in
from reader.differences.daypart import daypart_findings
from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.names import SAME_PERSON, name_relation
from reader.differences.parse import parse
from reader.differences.weekdays import WEEKDAYS, Calendar, article_dates, story_calendar
from reader.model import Agreement, Article, Discrepancy, Group

TOPIC_SHARE = 0.1


def _same_names(a: When, b: When) -> bool | None:
    if a.names and b.names:
        return name_relation(a.names, b.names) in SAME_PERSON
    return None


def _same_event(a: When, b: When, together: bool) -> float:
    """How sure it is that two dates date one event (0 when nothing says so)."""
    names = _same_names(a, b)
    if names is False:
        return 0.0
    shared = (a.verbs & b.verbs) - NOT_EVENTS
    specific = (a.subject & b.subject) - PEOPLE
    if shared and (names or specific):
        return 0.75 if together else 0.7
    if a.planned and b.planned and specific and not (a.verbs & NOT_EVENTS or b.verbs & NOT_EVENTS):
        return 0.45  # one subject's planned event on two days, told with different verbs: worth a look
    if _one_document(a, b):
        return 0.45  # "a notice issued Tuesday" / "a notice published Wednesday": one, or a draft and its print
    return 0.0


def _one_document(a: When, b: When) -> bool:
    """Both dates date the publishing of a document of one kind ("a notice issued ...", "a notice published ...")."""
    return bool(a.thing) and a.thing == b.thing and a.verbs <= PUBLISHING and b.verbs <= PUBLISHING


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
    refs = article_dates((a.id, a.published, a.sentences[0].text if a.sentences else "") for a in articles)
    whens = whens_in(mentions, calendar, refs)
    homes: dict[str, list[str]] = {}
    for g in groups:
        for sid in g.sentences:
            homes.setdefault(sid, []).append(g.id)
    order = {g.id: i for i, g in enumerate(groups)}
    # a date that qualifies a noun ("the 2019 fishing ban") dates no event of a subject: it can agree, not conflict
    conflicts = _conflicts([w for w in whens if w.on_verb], homes, order, calendar)
    agreements = group_date_agreements(whens, homes, calendar)
    disputed = {(v.sentence, v.start) for d in conflicts for v in d.values}
    conflicts += daypart_findings(whens, homes, order, calendar)  # the day itself agrees: no dispute
    agreements += story_date_agreements(whens, homes, order, calendar, agreements, disputed, _topic(mentions))
    return conflicts, agreements


def _topic(mentions: Sequence[Mention], share: float = TOPIC_SHARE) -> frozenset[str]:
    """The story's topic words: those in more than ``share`` of its sentences (the harbour board in a story about the
    harbour board). Two dates tied only by them are not tied."""
    seen: dict[str, int] = {}
    for m in mentions:
        for word in {noun_key(t) for t in re.findall(r"[A-Za-z][\w.'’-]*", m.sentence.text)}:
            seen[word] = seen.get(word, 0) + 1
    return frozenset(w for w, n in seen.items() if n > share * len(mentions) and n >= 3)  # not in a short story


def _signature(w: When) -> tuple[object, ...]:
    """What pairing a date depends on: wire copies of one sentence in many outlets give one signature."""
    return (w.kind, w.values, w.prep, w.verbs, w.subject, w.names, w.planned, w.unknown)


def _candidates(reps: Sequence[When]) -> list[tuple[int, int]]:
    """Pairs of signatures that share an event verb or a subject word: nothing else can date one event."""
    keys: dict[str, list[int]] = {}
    for i, w in enumerate(reps):
        for k in (
            {f"v:{v}" for v in w.verbs - NOT_EVENTS}
            | {f"s:{s}" for s in w.subject - PEOPLE}
            | ({f"d:{w.thing}"} if w.thing else set())
        ):
            keys.setdefault(k, []).append(i)
    return sorted({(i, j) for ids in keys.values() for n, i in enumerate(ids) for j in ids[n + 1 :]})


def _day_key(w: When, calendar: Calendar) -> tuple[object, ...]:
    """What a date says, so that "March 4" and "Monday" fall on one side when the story's week fixes it."""
    days = weekdays_of(w, calendar)
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
        if not sure or not differ(a, b, calendar):
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
    shared = sorted(set.intersection(*(set(w.verbs) for w in first)) - NOT_EVENTS)
    if shared:
        names = next((w.names for w in first if w.names), ())
        subjects = set.intersection(*(set(w.subject) for w in first)) - PEOPLE
        who = " ".join(n.capitalize() for n in names) or next(iter(sorted(subjects)), "")
        why = f"Both date the same event: “{shared[0]}”" + (f", with the same subject ({who})" if who else "")
    elif _one_document(first[0], first[1]):
        why = f"Both date the publishing of one document: “{first[0].thing}”; it may be one, or a draft and its print"
    else:
        why = "Both give the day of one planned event of the same subject, told with different verbs"
    if len({w.kind for w in first}) > 1:
        why += "; the story's own dates fix the weekdays"
    if not shared_rows:
        why += ", in sentences the outlets tell in different places"
    values = tuple(span_of(w.at, w.start, w.end) for w in every)
    outlets = outlets_of([w.at for w in every])
    return Discrepancy("", "figure", home, summary, values, outlets, "conflict", round(sure, 2), why=why)
