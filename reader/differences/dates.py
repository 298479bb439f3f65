"""Dates and times in one outlet's sentence, each with the event it dates (``When``), read from the
dependency parse: the verb the date hangs from, the verbs it is told with, its subject, and whether it
is planned rather than reported. ``reader.differences.datediff`` compares them across outlets."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.differences.attributes import noun_key
from reader.differences.datefind import BARE_YEAR, date_figures, noun_years, relative_value
from reader.differences.figures import Figure
from reader.differences.mentions import Mention
from reader.differences.names import core_tokens
from reader.differences.parse import Parsed, parse, parse_all
from reader.differences.weekdays import MONTH, WEEKDAYS, Calendar, month_number

# Verbs that plan an event rather than report it: "is expected to inspect", "are scheduled to arrive".
_PLANNING = frozenset("expect schedule plan set due intend aim hope".split())


@dataclass(frozen=True)
class When:
    """A date or a day in one outlet's sentence, with the event it dates."""

    at: Mention
    figs: tuple[Figure, ...]  # "today or Tuesday" is one date given as two alternatives
    kind: str  # "weekday", "day" (month and day), "year", "time"
    values: frozenset[tuple[int, ...]]  # weekday: (0..6,), day: (month, day), year: (year,), time: (minutes,)
    prep: str  # "since", "in", "by", ... for a year
    verbs: frozenset[str]  # the dated verb and the verbs it hangs from ("inspect", "expect")
    subject: frozenset[str]  # the subject's words ("aiello", "arborist")
    names: tuple[str, ...]  # the subject's name tokens, when it is a name
    planned: bool
    unknown: bool  # one alternative is a day nobody can place ("today")
    anchors: frozenset[str] = frozenset()  # content words of what the date is attached to (see _anchors)
    proper: frozenset[str] = frozenset()  # the names among them
    teller: frozenset[str] = frozenset()  # who acts (its active subject), or what a participle qualifies
    thing: str = ""  # the noun a date qualifies ("ban" for "the 2019 fishing ban"), or the document a participle dates
    on_verb: bool = True  # False: the date qualifies a noun ("the 2019 fishing ban", "a March 3 letter")

    @property
    def text(self) -> str:
        return " or ".join(" ".join(f.text.split()) for f in self.figs)

    @property
    def start(self) -> int:
        return self.figs[0].start

    @property
    def end(self) -> int:
        return self.figs[-1].end


_YEAR = re.compile(r"^(?:(?P<prep>in|since|until|by|from|of|early|late|mid)\s+)?(?P<y>(?:1[89]|20)\d\d)$", re.I)
_MD = re.compile(r"^(?P<mon>[A-Za-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+\d{4})?$")
_DM = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]+)\.?(?:,?\s+\d{4})?$")
_MON_YEAR = re.compile(r"^(?P<mon>[A-Za-z]+)\.?(?:,?\s+(?P<y>(?:1[89]|20)\d\d))?$")
_CLOCK = re.compile(r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)?", re.I)


def _value(
    f: Figure, calendar: Calendar, ref: tuple[int, int] | None = None
) -> tuple[str, tuple[int, ...], str] | None:
    """(kind, value, preposition) of one date or time, or None for what cannot be placed ("last week")."""
    text = " ".join(f.text.split())
    if f.kind == "time":
        m = _CLOCK.match(text)
        if not m:
            return None
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        ap = (m.group("ap") or "").casefold().replace(".", "")
        if ap == "pm" and hour < 12:
            hour += 12
        elif ap == "am" and hour == 12:
            hour = 0
        # "at 6:00" with no a.m. or p.m. may be either: differ() compares it on a 12-hour clock
        return "time", (hour * 60 + minute, int(not ap and 0 < hour < 12)), ""
    relative = relative_value(text, ref)
    if relative is not None:
        return relative
    label = f.label
    for i, day in enumerate(WEEKDAYS):
        if label.startswith(day):
            return "weekday", (i,), ""
    year = _YEAR.match(text)
    if year:
        return "year", (int(year.group("y")),), (year.group("prep") or "in").casefold()
    return _calendar_value(text, ref)


def _calendar_value(text: str, ref: tuple[int, int] | None) -> tuple[str, tuple[int, ...], str] | None:
    """A month and day ("March 9"), or a month with or without its year ("June 2019", "September")."""
    md = _MD.match(text) or _DM.match(text)
    if md:
        month = month_number(md.group("mon"))
        if month is not None:
            return "day", (month, int(md.group("d"))), ""
    my = _MON_YEAR.match(text)
    if my and re.fullmatch(MONTH, my.group("mon") + "."):
        month = month_number(my.group("mon"))
        if month is not None:  # "June 2019", "in September": a month, with its year when written (0 when not)
            year = int(my.group("y") or 0)
            if not year and ref is not None:  # news style: a month without a year is the latest such month
                year = ref[0] if month <= ref[1] else ref[0] - 1
            return "month", (month, year), ""
    return None


def attached_verb(p: Parsed, f: Figure) -> int | None:
    """The verb the date hangs from directly ("arrested Wednesday", "led ... since 2011"), or None when it hangs
    from a noun on the way ("on suspicion of murdering X on Sept. 8" dates the murder, not the arrest)."""
    ids = p.covering(f.start, f.end)
    if not ids:
        return None
    i = next((k for k in ids if p.words[k].head not in ids), ids[0])
    while p.words[i].dep == "conj" and p.words[p.words[i].head].pos in ("NOUN", "PROPN", "NUM"):
        i = p.words[i].head  # "today or Tuesday": the first alternative carries the attachment
    head = p.words[i].head
    if head == ids[-1] + 1 and re.fullmatch(r"[A-Z]{2,4}", p.words[head].text):
        i, head = head, p.words[head].head  # "6:40 p.m. PT": the time zone carries the attachment
    if p.words[head].pos == "ADP":
        head = p.words[head].head  # "on Sunday", "since 2011"
    return head if p.words[head].pos in ("VERB", "AUX") and head != i else None


def _event(p: Parsed, verb: int) -> tuple[frozenset[str], frozenset[str], tuple[str, ...], bool]:
    """The verbs an event is told with (the verb, the verbs it is an infinitive or a coordinate of), its
    subject's words, the subject's name, and whether it is planned rather than reported."""
    chain = [verb]
    k = verb
    while p.words[k].dep in ("xcomp", "conj") and len(chain) < 4:
        k = p.words[k].head
        chain.append(k)
    verbs = frozenset(p.words[v].lemma for v in chain)
    subject: set[str] = set()
    names: tuple[str, ...] = ()
    for v in chain:
        for c in p.children(v):
            if p.words[c].dep in ("nsubj", "nsubjpass"):
                parts = [c] + [j for j in p.children(c) if p.words[j].dep in ("compound", "flat")]
                subject.update(noun_key(p.words[j].text) for j in parts if p.words[j].pos in ("NOUN", "PROPN"))
                proper = " ".join(p.words[j].text for j in sorted(parts) if p.words[j].pos == "PROPN")
                names = names or core_tokens(proper)
    will = any(p.words[c].lemma in ("will", "shall") for v in chain for c in p.children(v))
    return verbs, frozenset(subject), names, will or bool(verbs & _PLANNING)


def whens_in(
    mentions: Sequence[Mention], calendar: Calendar, refs: dict[str, tuple[int, int]] | None = None
) -> list[When]:
    """Every date and time the mentions give that hangs from a verb (an event) or qualifies a noun ("the 2014
    ban"), with the event it dates. ``refs`` gives each article's own (year, month), by article id, when every
    article of the story has one: "last month" then is a month."""
    found = {m.sentence.id: date_figures(m.sentence.text) for m in mentions}
    dated = [m for m in mentions if found[m.sentence.id] or BARE_YEAR.search(m.sentence.text)]
    parse_all(m.sentence.text for m in dated)
    out = []
    for m in dated:
        p = parse(m.sentence.text)
        if p is None:
            continue
        figs = found[m.sentence.id] + noun_years(p, found[m.sentence.id])
        for run in _alternatives(m.sentence.text, sorted(figs, key=lambda f: f.start)):
            ref = (refs or {}).get(m.sentence.id.split(".")[0])
            placed = [(f, _value(f, calendar, ref)) for f in run]
            known = [(f, v) for f, v in placed if v is not None]
            if not known or len({v[0] for _, v in known}) > 1:
                continue
            attached = _attachment(p, run[0], figs)
            if attached is None:
                continue
            head, on_verb = attached
            if on_verb:
                verbs, subject, names, planned = _event(p, head)
            else:
                verbs, subject, names, planned = frozenset(), frozenset(), (), False
            kind, prep = known[0][1][0], known[0][1][2]
            values = frozenset(v[1] for _, v in known)
            words, proper, teller = _anchors(p, head, on_verb, figs)
            anchors = (words | subject | frozenset(names)) - _GENERIC
            proper = (proper | frozenset(names)) - _GENERIC
            thing = noun_key(p.words[head].text) if not on_verb else _published(p, head)
            out.append(
                When(m, tuple(run), kind, values, prep, verbs, subject, names, planned, len(known) < len(run),
                     anchors, proper, teller - _GENERIC, thing, on_verb)
            )  # fmt: skip
    return out


def _attachment(p: Parsed, f: Figure, others: Sequence[Figure] = ()) -> tuple[int, bool] | None:
    """The word a date hangs from and whether it is a verb: attached_verb's verb, else the noun it qualifies
    ("a March 3 letter", "the 2019 fishing ban", "a statement on Friday"). A date that hangs from another date or
    time of the sentence ("at 7 p.m. Friday") is one moment with it and shares its attachment."""
    ids = p.covering(f.start, f.end)
    if ids:
        head = p.words[next((k for k in ids if p.words[k].head not in ids), ids[0])].head
        other = next((g for g in others if g is not f and g.start <= p.words[head].start < g.end), None)
        if other is not None:
            return _attachment(p, other)
    verb = attached_verb(p, f)
    if verb is not None:
        return verb, True
    ids = p.covering(f.start, f.end)
    if not ids:
        return None
    i = next((k for k in ids if p.words[k].head not in ids), ids[0])
    head = p.words[i].head
    if p.words[head].pos == "ADP":
        head = p.words[head].head
    while p.words[head].dep == "compound" and p.words[p.words[head].head].pos == "NOUN":
        head = p.words[head].head  # "the 2019 fishing ban": the ban
    return (head, False) if head != i and p.words[head].pos == "NOUN" else None


# Words that say nothing about which event a date belongs to: parts of the day and calendar, people and
# officials in general (in "officials said Friday" the officials are no event).
_GENERIC = (
    frozenset(
        "day week month year time today tonight yesterday tomorrow morning afternoon evening night noon midnight "
        "weekend date people person official authority police he she they it we i you who that which what "
        "be have do make take get go come include say tell statement interview remark comment".split()
    )
    | frozenset(WEEKDAYS)
    | frozenset("january february march april may june july august september october november december".split())
)
_CLAUSES = frozenset({"relcl", "advcl", "parataxis", "ccomp"})


def _anchors(
    p: Parsed, head: int, on_verb: bool, dates: Sequence[Figure]
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """What a date is attached to, as content words (and the names among them): the verb and the words it
    governs in its own clause (not a clause of its own inside it), and the noun a participle or a relative
    clause qualifies ("a bulletin published Monday": the bulletin). For a noun: the noun and the words that
    name it ("a March 3 letter"). A statement dated by its noun ("in a notice issued Tuesday", "in a Tuesday
    statement") belongs to whoever made it: the subject of the verb the noun hangs from. The third set is the
    teller: the verb's active subject, or the noun a participle qualifies with whoever made it."""
    inside = {k for f in dates for k in p.covering(f.start, f.end)}  # the sentence's dates tie nothing
    scope: set[int] = set()
    tell: set[int] = set()
    noun = head
    if on_verb:
        todo = [head]
        while todo:
            k = todo.pop()
            scope.add(k)
            todo += [c for c in p.children(k) if p.words[c].dep not in _CLAUSES and c not in scope]
        if p.words[head].dep in ("acl", "relcl"):
            noun = p.words[head].head
            scope |= {noun}
        else:
            tell |= _subject(p, head, ("nsubj",))
    if not on_verb or noun != head:
        near = _noun_side(p, noun, on_verb)
        scope |= near
        tell |= near if on_verb else set()
    words, proper = set(), set()
    teller = {noun_key(p.words[k].text) for k in tell - inside if p.words[k].pos in ("NOUN", "PROPN")}
    for k in scope - inside:
        w = p.words[k]
        if w.pos in ("NOUN", "PROPN") or (w.pos == "VERB" and w.lemma not in _STATEMENTS):
            words.add(noun_key(w.text) if w.pos != "VERB" else w.lemma.casefold())
            if w.pos == "PROPN":
                proper.add(noun_key(w.text))
    return frozenset(words), frozenset(proper), frozenset(teller)


# Verbs whose participle dates a document: "a notice issued Tuesday", "the bulletin, published Monday".
PUBLISHING = frozenset("publish issue release post file submit send unveil".split())


def _published(p: Parsed, verb: int) -> str:
    """The document a participle of publishing dates ("notice" for "a notice issued Tuesday"), else ""."""
    w = p.words[verb]
    if w.lemma in PUBLISHING and w.dep == "acl" and p.words[w.head].pos == "NOUN":
        return noun_key(p.words[w.head].text)
    return ""


def _noun_side(p: Parsed, noun: int, on_verb: bool) -> set[int]:
    """The noun a date or a dated participle qualifies, the words that name it, and whoever made it when it
    is a statement ("the port office said in a notice issued Tuesday")."""
    near = {noun} | {c for c in p.children(noun) if p.words[c].dep in ("compound", "amod")}
    up = p.words[noun].head
    if p.words[noun].dep == "pobj" and p.words[up].lemma == "of" and p.words[p.words[up].head].pos == "NOUN":
        outer = p.words[up].head  # "a study of harbours released Tuesday": the survey, too
        near |= {outer} | {c for c in p.children(outer) if p.words[c].dep == "compound"}
        up = p.words[outer].head
    for c in p.children(noun):
        if p.words[c].dep == "prep":
            near |= {g for g in p.children(c) if p.words[g].dep == "pobj"}
    if p.words[up].pos == "ADP":
        up = p.words[up].head
    if up != noun and p.words[up].pos == "VERB" and (p.words[up].lemma in _STATEMENTS or not on_verb):
        near |= _subject(p, up, ("nsubj", "nsubjpass"))
    return near


def _subject(p: Parsed, verb: int, deps: tuple[str, ...]) -> set[int]:
    """The subject of a verb with the words of its name ("the Harbour Authority"), looked up the chain of
    verbs it is an infinitive or a coordinate of ("was arrested and charged")."""
    k = verb
    for _ in range(3):
        for c in p.children(k):
            if p.words[c].dep in deps:
                return {c} | {j for j in p.children(c) if p.words[j].dep in ("compound", "flat")}
        if p.words[k].dep not in ("xcomp", "conj") or p.words[k].head == k:
            break
        k = p.words[k].head
    return set()


# Verbs that only report: a date on them dates a statement (whose words are not the event's).
_STATEMENTS = frozenset(
    "say tell announce add state report confirm write note explain claim insist argue describe call comment "
    "speak testify deny warn estimate predict suggest acknowledge admit".split()
)


def _alternatives(text: str, figs: list[Figure]) -> list[list[Figure]]:
    """Dates joined by "or" are one date with alternatives ("today or Tuesday")."""
    runs: list[list[Figure]] = []
    for f in figs:
        if runs and re.fullmatch(r"\s+or\s+", text[runs[-1][-1].end : f.start]):
            runs[-1].append(f)
        else:
            runs.append([f])
    return runs


# Verbs that date a statement or a state, not an event: "said Friday", "has been part of since 2003".
NOT_EVENTS = frozenset(
    "be have say tell announce add state report confirm write tweet post publish issue release note "
    "explain claim insist argue describe call comment speak testify deny warn estimate predict suggest "
    "acknowledge admit allege accuse urge vow promise pledge threaten reveal disclose indicate show".split()
)
PEOPLE = frozenset("person people official officials police authority authorities he she they it we".split())


def _same_time(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Two clock times, in minutes, each with a flag for "no a.m. or p.m." (then 6:00 may be 18:00)."""
    if a[1] or b[1]:
        return a[0] % 720 == b[0] % 720
    return a[0] == b[0]


def weekdays_of(w: When, calendar: Calendar) -> frozenset[int] | None:
    if w.kind == "weekday":
        return frozenset(v[0] for v in w.values)
    if w.kind == "day":
        days = {calendar.weekday(*v) for v in w.values}
        return None if None in days else frozenset(d for d in days if d is not None)
    return None


def differ(a: When, b: When, calendar: Calendar) -> bool | None:
    """True when the two dates cannot be one day (or year, or time), False when they are, None when they
    cannot be compared ("since 2011" and "in 2011"; a weekday and a date the story does not place)."""
    if a.kind == b.kind:
        if a.kind == "year" and a.prep != b.prep:
            return None
        if a.kind == "time":
            return not any(_same_time(x, y) for x in a.values for y in b.values)
        # "July" and "July 2019" cannot be compared: the year may not be the one named
        if a.kind == "month" and {bool(y) for _, y in a.values} != {bool(y) for _, y in b.values}:
            return None
        return not (a.values & b.values)
    if {a.kind, b.kind} == {"weekday", "day"}:
        wa, wb = weekdays_of(a, calendar), weekdays_of(b, calendar)
        return None if wa is None or wb is None else not (wa & wb)
    return None
