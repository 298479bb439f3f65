"""Dates two or more outlets give alike for one event: in one aligned group, or anywhere in the story when
what the dates are attached to is the same ("the bill passed in March" / "lawmakers passed it in March";
"the 2019 fishing ban" in three outlets).

A date agrees only where it dates one thing. Two outlets that each give "Monday" in aligned sentences may be
dating two events (one outlet's "the mayor confirmed it Monday night", the other's "a bulletin published
Monday"): the words the date is attached to in the parse (``When.anchors``: the verb and what it governs,
the noun a participle qualifies) must have something in common, unless the two dates date one verb.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.differences.dates import NOT_EVENTS, When, differ
from reader.differences.mentions import outlets_of
from reader.differences.weekdays import Calendar
from reader.model import Agreement


def _vague(w: When) -> bool:
    """ "this week", "this month": the period the story is told in, which dates nearly all of it."""
    return w.kind == "relative" and any(offset == 0 for _, offset in w.values)


_PART = re.compile(r"\s*\b(?:early|late)?\s*\b(?:morning|afternoon|evening|night|overnight)\b", re.I)


def _said(cluster: Sequence[When]) -> str:
    """The date as the outlets write it ("Friday / Friday evening"); where they put it at two parts of the
    day, only the day they agree on ("Sunday morning" and "Sunday night" agree on Sunday)."""
    forms = dict.fromkeys(re.sub(r"^on\s+", "", " ".join(c.text.split()), flags=re.I) for c in cluster)
    parts = {m.group().strip().casefold() for f in forms for m in _PART.finditer(f)}
    if len(parts) > 1:
        forms = dict.fromkeys(_PART.sub("", f).strip() for f in forms)
    return " / ".join(dict((f.casefold(), f) for f in forms).values())


# Verbs that date a statement or a publication: the date of the telling, not of the event told.
_TELLING = NOT_EVENTS | frozenset("publish issue release post tweet".split())
_DOCUMENTS = frozenset("report survey study poll notice statement release article story document letter".split())
# Verbs that say when or whether something happens, not what: "starting Monday" and "expected to start
# tying the knot Monday" share no event.
_ASPECT = frozenset("start begin continue resume end finish expect plan schedule set try seek".split())


def _two_tellings(a: When, b: When) -> bool:
    """Both dates date a telling (said, confirmed, published) by two tellers: one outlet's "the mayor confirmed it
    Monday night" and another's "a bulletin published Monday" are two tellings. (A passive "the permits were
    disclosed Tuesday" names no teller, and a statement's teller may be named with its noun: "in a notice
    issued Tuesday, the port office said".)"""
    tellings = a.verbs and b.verbs and a.verbs <= _TELLING and b.verbs <= _TELLING
    if not (tellings and a.teller and b.teller) or a.teller & b.anchors or b.teller & a.anchors:
        return False
    # "the president said" and "Holt told supporters": a role and a name may be one person; a document
    # ("a report", "a survey") is never the person another outlet names
    role = [not (w.teller & w.proper) and not (w.teller & _DOCUMENTS) for w in (a, b)]
    named = [bool(w.teller & w.proper) and not (w.teller & _DOCUMENTS) for w in (a, b)]
    return not ((role[0] and named[1]) or (role[1] and named[0]))


def _one_thing(a: When, b: When, topic: frozenset[str] = frozenset()) -> bool:
    """The two dates are attached to one thing: the same event verb, or a name or two words in common that
    are not the story's topic ("the harbour board" in every other sentence of a harbour story ties
    nothing); a date that qualifies a noun ("the 2019 fishing ban") only meets the same noun."""
    if a.on_verb != b.on_verb or _two_tellings(a, b):
        return False
    if not a.on_verb:
        return a.thing == b.thing
    shared = (a.anchors & b.anchors) - topic - _ASPECT
    return bool((a.verbs & b.verbs) - _TELLING - _ASPECT) or bool(shared & (a.proper | b.proper)) or len(shared) >= 2


def group_date_agreements(whens: Sequence[When], homes: dict[str, list[str]], calendar: Calendar) -> list[Agreement]:
    """Days, dates, years and times that outlets of one aligned group give alike for what they report."""
    by_group: dict[str, list[When]] = {}
    for w in whens:
        for g in homes.get(w.at.sentence.id, []):
            by_group.setdefault(g, []).append(w)
    out: list[Agreement] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    for gid, ws in by_group.items():
        for cluster in _alike([w for w in ws if not w.unknown and len(w.values) == 1 and not _vague(w)], calendar):
            said = _said(cluster)
            sentences = tuple(dict.fromkeys(c.at.sentence.id for c in cluster))
            key = (said.casefold(), frozenset(sentences))
            if key not in seen:
                seen.add(key)
                out.append(Agreement("date", gid, said, sentences, outlets_of([c.at for c in cluster])))
    return out


def _alike(ws: list[When], calendar: Calendar) -> list[list[When]]:
    """The dates of one group that two outlets or more give alike (one date per outlet), for one event, or
    where each sentence gives only one date of its kind and it is attached to something in common."""
    counts: dict[tuple[str, str], int] = {}
    for w in ws:  # a date that qualifies a noun ("a 2019 ban") is no rival to the date of the sentence's event
        if w.on_verb:
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
            if differ(a, b, calendar) is not False:
                continue
            if a.on_verb != b.on_verb or (not a.on_verb and a.thing != b.thing):
                continue
            alone = counts.get((a.at.sentence.id, a.kind), 1) == 1 and counts.get((b.at.sentence.id, b.kind), 1) == 1
            if (a.verbs & b.verbs) - NOT_EVENTS or (alone and not _two_tellings(a, b)):
                cluster.append(b)
                used.add(j)
        if len(cluster) >= 2:
            clusters.append(cluster)
    return clusters


def story_date_agreements(
    whens: Sequence[When],
    homes: dict[str, list[str]],
    order: dict[str, int],
    calendar: Calendar,
    found: Sequence[Agreement],
    disputed: set[tuple[str, int]],
    topic: frozenset[str] = frozenset(),
) -> list[Agreement]:
    """Dates outlets give alike for one thing in sentences the aligner kept apart. A date a date conflict
    cites is left out (the conflict says who gives what), and so is one an aligned group
    already confirms from the same sentences."""
    ws = [
        w
        for w in whens
        if not w.unknown
        and not _vague(w)
        and len(w.values) == 1
        and homes.get(w.at.sentence.id)
        and (w.at.sentence.id, w.start) not in disputed
        and not _quoted(w)
    ]
    out = []
    for cluster in _story_clusters(ws, calendar, topic):
        if len({w.at.outlet for w in cluster}) < 2:
            continue
        sentences = tuple(dict.fromkeys(w.at.sentence.id for w in cluster))
        if any(set(sentences) <= set(a.sentences) for a in found if a.kind == "date"):
            continue
        home = min((g for w in cluster for g in homes[w.at.sentence.id]), key=order.__getitem__)
        out.append(Agreement("date", home, _said(cluster), sentences, outlets_of([w.at for w in cluster])))
    return out


def _story_clusters(ws: Sequence[When], calendar: Calendar, topic: frozenset[str]) -> list[list[When]]:
    """The dates joined, two at a time, where two outlets give them alike for one thing (``_one_thing``); each
    cluster in the order of its dates, the clusters in the order of their first.

    At 200 articles a story has thousands of dates and most are wire copies of a few, so the dates are not
    compared two by two. Whether two dates join reads only their ``_class`` and their outlets: dates of one
    class and one outlet meet the same dates, so those (class, outlet) nodes are what is joined, and each
    pair of classes is checked once. ``_join_classes`` joins their nodes as the date pairs would.
    """
    classes: dict[tuple[object, ...], int] = {}
    nodes: list[tuple[int, str]] = []
    reps: list[When] = []
    outlets: list[dict[str, None]] = []
    for w in ws:
        c = classes.setdefault(_class(w), len(classes))
        if c == len(reps):
            reps.append(w)
            outlets.append({})
        outlets[c][w.at.outlet] = None
        nodes.append((c, w.at.outlet))
    parent: dict[tuple[int, str], tuple[int, str]] = {}
    buckets: dict[tuple[object, ...], list[int]] = {}
    for c, w in enumerate(reps):
        buckets.setdefault(_day_bucket(w), []).append(c)
    for ids in buckets.values():
        for n, c in enumerate(ids):
            for d in ids[n:]:
                a, b = reps[c], reps[d]
                if differ(a, b, calendar) is False and _one_thing(a, b, topic):
                    _join_classes(parent, c, list(outlets[c]), d, list(outlets[d]))
    members: dict[object, list[When]] = {}
    for k, w in enumerate(ws):  # a date whose node met no other stays alone
        members.setdefault(_find(parent, nodes[k]) if nodes[k] in parent else k, []).append(w)
    return list(members.values())


def _class(w: When) -> tuple[object, ...]:
    """Everything of a date that ``differ`` and ``_one_thing`` read."""
    return (w.kind, w.values, w.prep, w.on_verb, w.thing, w.verbs, w.anchors, w.proper, w.teller)


def _join_classes(parent: dict[tuple[int, str], tuple[int, str]], c: int, oc: list[str], d: int, od: list[str]) -> None:
    """Join what the date pairs between classes ``c`` and ``d`` (outlets ``oc`` and ``od``) would join: every two
    dates of different outlets. Within one class, that joins all its nodes when it has two outlets or more.
    Between two, it is a complete bipartite graph less the pairs of one outlet: connected when each side has two
    outlets or more, unless both have the same two (then it is two pairs); otherwise its edges are few."""
    if c == d:
        edges = [((c, oc[0]), (c, o)) for o in oc[1:]]
    elif min(len(oc), len(od)) == 1 or (len(oc) == len(od) == 2 and set(oc) == set(od)):
        edges = [((c, x), (d, y)) for x in oc for y in od if x != y]
    else:
        edges = [((c, oc[0]), (c, o)) for o in oc[1:]] + [((c, oc[0]), (d, o)) for o in od]
    for x, y in edges:
        parent.setdefault(x, x)
        parent.setdefault(y, y)
        parent[_find(parent, y)] = _find(parent, x)


def _find(parent: dict[tuple[int, str], tuple[int, str]], x: tuple[int, str]) -> tuple[int, str]:
    while parent[x] != x:
        parent[x] = parent[parent[x]]  # path halving: which node is the root does not matter, only who is joined
        x = parent[x]
    return x


def _day_bucket(w: When) -> tuple[object, ...]:
    """What two dates of one value each must share for ``differ`` to call them one: their kind, and the value
    (a clock time up to a.m./p.m., since "6:00" may be 18:00)."""
    (value,) = w.values
    return (w.kind, value[0] % 720) if w.kind == "time" else (w.kind, value)


def _quoted(w: When) -> bool:
    """A date inside quotation marks: a speaker's words, not the outlet's own dating of an event."""
    before = w.at.sentence.text[: w.start]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1

