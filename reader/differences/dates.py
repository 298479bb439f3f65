"""Dates and times in one outlet's sentence, each with the event it dates (``When``), read from the
dependency parse: the verb the date hangs from, the verbs it is told with, its subject, and whether it
is planned rather than reported. ``reader.differences.datediff`` compares them across outlets."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.differences.attributes import noun_key
from reader.differences.figures import Figure, find_figures
from reader.differences.mentions import Mention
from reader.differences.names import core_tokens
from reader.differences.parse import Parsed, parse, parse_all
from reader.differences.weekdays import WEEKDAYS, Calendar, month_number

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
_CLOCK = re.compile(r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)?", re.I)


def _value(f: Figure, calendar: Calendar) -> tuple[str, tuple[int, ...], str] | None:
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
        return "time", (hour * 60 + minute,), ""
    label = f.label
    for i, day in enumerate(WEEKDAYS):
        if label.startswith(day):
            return "weekday", (i,), ""
    year = _YEAR.match(text)
    if year:
        return "year", (int(year.group("y")),), (year.group("prep") or "in").casefold()
    md = _MD.match(text) or _DM.match(text)
    if md:
        month = month_number(md.group("mon"))
        if month is not None:
            return "day", (month, int(md.group("d"))), ""
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


def whens_in(mentions: Sequence[Mention], calendar: Calendar) -> list[When]:
    """Every date and time the mentions give that hangs from a verb, with the event it dates."""
    dated = [m for m in mentions if any(f.kind in ("date", "time") for f in find_figures(m.sentence.text))]
    parse_all(m.sentence.text for m in dated)
    out = []
    for m in dated:
        figs = [f for f in find_figures(m.sentence.text) if f.kind in ("date", "time")]
        p = parse(m.sentence.text)
        if p is None:
            continue
        for run in _alternatives(m.sentence.text, figs):
            placed = [(f, _value(f, calendar)) for f in run]
            known = [(f, v) for f, v in placed if v is not None]
            if not known or len({v[0] for _, v in known}) > 1:
                continue
            verb = attached_verb(p, run[0])
            if verb is None:
                continue
            verbs, subject, names, planned = _event(p, verb)
            kind, prep = known[0][1][0], known[0][1][2]
            values = frozenset(v[1] for _, v in known)
            out.append(When(m, tuple(run), kind, values, prep, verbs, subject, names, planned, len(known) < len(run)))
    return out


def _alternatives(text: str, figs: list[Figure]) -> list[list[Figure]]:
    """Dates joined by "or" are one date with alternatives ("today or Tuesday")."""
    runs: list[list[Figure]] = []
    for f in figs:
        if runs and re.fullmatch(r"\s+or\s+", text[runs[-1][-1].end : f.start]):
            runs[-1].append(f)
        else:
            runs.append([f])
    return runs
