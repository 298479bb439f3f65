"""What someone is charged with, told two ways across the story: "charged with murder" / "charged with
manslaughter", "first-degree murder" / "second-degree murder", "murder" / "attempted murder".

Read from the dependency parse: a verb of one legal step (charged, indicted or accused; convicted or found
guilty; pleaded guilty), the person it is about (its passive subject or its object, by name; "he" is the last
person the article named just before), and the offences after "with", "of" or "to" ("two counts of attempted
murder" is attempted murder). Each outlet's offences for one person and one step are pooled over the whole
story, so an outlet that tells the charges over two sentences has told them all.

A difference only when neither outlet's offences hold the other's: one that names fewer charges ("murder"
against "murder and evidence tampering") has left some out, which is no conflict. Steps are never mixed
("arrested on suspicion of murder" and "charged with manslaughter" may be two moments of one case). One outlet
may still name one charge of several, so the finding is worth a look.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.names import SAME_PERSON, find_names, name_relation
from reader.differences.parse import Parsed, parse, parse_all
from reader.model import Article, Discrepancy, Group

# The legal step a verb tells, and the preposition its offence follows.
_STEPS = {"charge": ("charged", "with"), "indict": ("charged", "on"), "accuse": ("charged", "of"),
          "convict": ("convicted", "of"), "plead": ("pleaded guilty", "to")}  # fmt: skip
_STEP_WORDS = re.compile(r"\b(?:charg|indict|accus|convict|plead|pled)", re.I)
_COUNTING = frozenset("count charge charges".split())  # "two counts of murder", "charges of fraud"
_PRONOUNS = frozenset("he she they him her them".split())
_LOOK_BACK = 3  # sentences before a pronoun in which its person may be named


@dataclass(frozen=True)
class Charge:
    """One offence one outlet says a person faces at one step."""

    at: Mention
    step: str  # "charged", "convicted", "pleaded guilty"
    person: tuple[str, ...]  # the person's name tokens
    offence: str  # the offence's noun: "murder"
    modifiers: frozenset[str]  # what qualifies it: {"attempt"}, {"first", "degree"}
    start: int  # the offence as written: "first-degree murder"
    end: int


def _under(p: Parsed, i: int) -> set[int]:
    out, todo = {i}, [i]
    while todo:
        for c in p.children(todo.pop()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def _offences(p: Parsed, prep: int) -> list[int]:
    """The offence nouns after a preposition: the noun, what it is joined to ("murder and arson"), and the
    offence inside a count ("two counts of murder")."""
    out = []
    for g in p.children(prep):
        if p.words[g].dep != "pobj" or p.words[g].pos != "NOUN":
            continue
        heads = [g, *(k for k in _under(p, g) if p.words[k].dep == "conj" and p.words[k].pos == "NOUN")]
        for h in heads:
            if p.words[h].lemma in _COUNTING:
                out += [x for c in p.children(h) if p.words[c].lemma == "of" for x in _offences(p, c)]
            else:
                out.append(h)
    return out


def _person(p: Parsed, v: int, named: tuple[str, ...]) -> tuple[str, ...]:
    """Who the step is about, by name: the passive subject or the object; "he" is ``named`` (the last person
    named before), and a common noun ("the driver") names nobody."""
    for c in p.children(v):
        if p.words[c].dep not in ("nsubjpass", "dobj"):
            continue
        if p.words[c].lemma in _PRONOUNS:
            return named
        span = sorted(_under(p, c))
        start, end = p.words[span[0]].start, p.words[span[-1]].end
        # a surname alone ("charged Ruiz") is no full name to the name finder, but it is the person's
        people = [n.tokens for n in find_names(p.text[start:end]) if n.kind in ("person", "other") and n.tokens]
        return people[0] if people else tuple(p.words[k].text.casefold() for k in span if p.words[k].pos == "PROPN")
    return ()


def _charges(m: Mention, p: Parsed, named: tuple[str, ...]) -> list[Charge]:
    out = []
    for v, w in enumerate(p.words):
        if w.pos != "VERB" or w.lemma not in _STEPS or any(p.words[c].dep == "neg" for c in p.children(v)):
            continue
        step, prep = _STEPS[w.lemma]
        person = _person(p, v, named)
        if not person:
            continue
        for c in p.children(v):
            if p.words[c].dep != "prep" or p.words[c].lemma != prep:
                continue
            for o in _offences(p, c):
                mods = [k for k in p.children(o) if p.words[k].dep in ("amod", "compound")]
                words = {
                    p.words[x].lemma for k in mods for x in _under(p, k) if p.words[x].pos in ("ADJ", "NOUN", "VERB")
                }
                start = min([p.words[o].start, *(p.words[x].start for k in mods for x in _under(p, k))])
                out.append(Charge(m, step, person, p.words[o].lemma, frozenset(words), start, p.words[o].end))
    return out


def _last_named(texts: Sequence[str]) -> tuple[str, ...]:
    for text in reversed(texts):
        people = [n.tokens for n in find_names(text) if n.kind == "person" and n.tokens]
        if people:
            return people[-1]
    return ()


def charge_findings(
    articles: Sequence[Article], groups: Sequence[Group], index: dict[str, Mention]
) -> list[Discrepancy]:
    """One finding per person, step and pair of outlets whose offences neither hold the other's."""
    home_of: dict[str, str] = {}
    for g in groups:
        for sid in g.sentences:
            home_of.setdefault(sid, g.id)
    charges: list[Charge] = []
    for article in articles:
        said = [s for s in article.sentences if s.id in index]
        # Only sentences with a word of a legal step are parsed (the names a pronoun may stand for are read
        # without a parse): most stories have none, and a parse costs far more than the check.
        steps = [k for k, s in enumerate(said) if _STEP_WORDS.search(s.text)]
        parse_all(said[k].text for k in steps)
        for k in steps:
            s = said[k]
            p = parse(s.text)
            if p is not None:
                named = _last_named([x.text for x in said[max(0, k - _LOOK_BACK) : k + 1]])
                charges += _charges(index[s.id], p, named)
    found: list[Discrepancy] = []
    outlets = list(dict.fromkeys(c.at.outlet for c in charges))
    for i, oa in enumerate(outlets):
        for ob in outlets[i + 1 :]:
            for a in (c for c in charges if c.at.outlet == oa):
                pool_a = [c for c in charges if c.at.outlet == oa and _one_case(c, a)]
                pool_b = [c for c in charges if c.at.outlet == ob and _one_case(c, a)]
                if not pool_b or any(_told(d, pool_b) for d in found if d.outlets == (oa, ob)):
                    continue
                only_a = [c for c in pool_a if not any(_same_offence(c, x) for x in pool_b)]
                only_b = [c for c in pool_b if not any(_same_offence(c, x) for x in pool_a)]
                if only_a and only_b and only_a[0].at.sentence.id in home_of:
                    found.append(_finding(only_a[0], only_b[0], home_of))
    return found


def _one_case(c: Charge, a: Charge) -> bool:
    return c.step == a.step and name_relation(c.person, a.person) in SAME_PERSON


def _same_offence(a: Charge, b: Charge) -> bool:
    """One offence, told more or less fully ("murder" and "first-degree murder"); not "first-degree" and
    "second-degree" murder, nor murder and attempted murder."""
    if a.offence != b.offence:
        return False
    if ("attempt" in a.modifiers) != ("attempt" in b.modifiers):
        return False
    ma, mb = a.modifiers, b.modifiers
    return not ma or not mb or ma <= mb or mb <= ma  # {"first", "degree"} / {"second", "degree"}: two offences


def _told(d: Discrepancy, pool: list[Charge]) -> bool:
    return any(v.sentence == c.at.sentence.id for v in d.values for c in pool)


def _finding(a: Charge, b: Charge, home_of: dict[str, str]) -> Discrepancy:
    wa, wb = a.at.sentence.text[a.start : a.end], b.at.sentence.text[b.start : b.end]
    who = " ".join(t.capitalize() for t in (a.person if len(a.person) >= len(b.person) else b.person))
    summary = f"{a.step.capitalize()} with what: {who} {a.step} with “{wa}” ({a.at.outlet}) vs “{wb}” ({b.at.outlet})"
    why = (
        f"The outlets name different offences for {who} at one step ({a.step}), and neither names the other's: "
        "one may name only some of the charges"
    )
    values = (span_of(a.at, a.start, a.end), span_of(b.at, b.start, b.end))
    home = home_of[a.at.sentence.id]
    return Discrepancy("", "claim", home, summary, values, outlets_of([a.at, b.at]), "charge", 0.5, why=why)
