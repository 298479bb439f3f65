"""How far a measure goes, told two ways: "the bill cuts the benefits" / "the bill eliminates the benefits".

Read from the dependency parse of aligned sentences: a verb that lessens something ("reduce", "cut", "trim",
"scale back") against one that ends it ("eliminate", "abolish", "scrap", "wipe out"), acting on the same noun
(its object, or the subject of its passive: "benefits were cut"). That is the effect of a cut told as a
smaller or a larger one, a difference a reader checking the story wants to see.

Not a difference: a counted object ("cut 200 jobs" is eliminating those 200 jobs), two kinds of one thing
("housing benefits" / "fuel benefits"), a sentence that tells both on that thing ("cuts the benefits for most
and ends them for some" tells the range), a negated verb. Who is affected may still differ between the two
("for families" / "for retirees"), so the finding is only worth a look.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.parse import Parsed, parse, parse_all
from reader.model import Discrepancy, Group

_DEGREES: dict[str, str] = {
    word: degree
    for degree, words in {
        "lessens it": "reduce cut trim lower shrink slash curb decrease pare scale_back",
        "ends it": "eliminate abolish scrap terminate cancel end wipe_out phase_out",
    }.items()
    for word in words.split()
}
_DEGREE_WORDS = re.compile(
    r"\b(?:reduc|cut|trim|lower|shrink|shrank|shrunk|slash|curb|decreas|pare|paring|scal|eliminat|abolish|scrap|"
    r"terminat|cancel|end|wip|phas)",
    re.I,
)
_SCOPING = frozenset("for of to on".split())
# Things that cutting ends: "cut ties", "cut contact".
_CUT_IS_END = frozenset("tie link relation contact communication connection".split())
_QUANTITIES = frozenset("hundred hundreds thousand thousands million millions dozen dozens number".split())
# Nouns that measure rather than name a thing: "cut 40 percent", "trimmed $2 billion".
_MEASURES = frozenset("percent billion million thousand dollar amount number share level rate".split())


@dataclass(frozen=True)
class Acted:
    """A verb of some degree acting on a thing."""

    at: Mention
    degree: str  # "lessens it" / "ends it"
    thing: str  # lemma of the object: "benefit"
    kinds: frozenset[str]  # its compound nouns: "stamp" and "food" in "food stamp benefits"
    scope: frozenset[str]  # the nouns after its own "for", "of", "to", "on": "school" in "funding for schools"
    start: int  # the verb through its object: "reduce food stamp benefits"
    end: int


def _acted(m: Mention, p: Parsed) -> list[Acted]:
    out = []
    for v, w in enumerate(p.words):
        if w.pos != "VERB":
            continue
        kids = p.children(v)
        particle = next((p.words[c].lemma for c in kids if p.words[c].dep == "prt"), "")
        degree = _DEGREES.get(f"{w.lemma}_{particle}" if particle else w.lemma, "")
        if not degree or any(p.words[c].dep == "neg" for c in kids):
            continue
        for c in kids:
            o = p.words[c]
            if o.dep not in ("dobj", "nsubjpass") or o.pos != "NOUN" or o.lemma in _MEASURES:
                continue
            level = "ends it" if o.lemma in _CUT_IS_END else degree  # "cut ties with the supplier" ends them
            mods = [p.words[k] for k in p.children(c)]
            if any(k.dep == "nummod" or k.pos == "NUM" for k in mods):
                continue  # "cut 200 jobs": those jobs are gone either way
            kinds = frozenset(k.lemma for k in mods if k.dep == "compound" and k.pos in ("NOUN", "PROPN"))
            # the parser hangs "for libraries" on the noun or on the verb, as it likes
            preps = [k for k in [*p.children(c), *kids] if p.words[k].dep == "prep" and p.words[k].lemma in _SCOPING]
            scope = frozenset(p.words[g].lemma for k in preps for g in p.children(k) if _names_a_kind(p, g))
            whole = [o, *(p.words[k] for k in p.children(c) if p.words[k].dep in ("compound", "amod"))]
            start, end = min(w.start, *(x.start for x in whole)), max(w.end, o.end)
            out.append(Acted(m, level, o.lemma, kinds, scope, start, end))
    return out


def _names_a_kind(p: Parsed, g: int) -> bool:
    """ "for libraries" names what kind of grant; "for 4,000 pupils" or "for thousands of homes" counts who is
    affected, which outlets tell in other units ("homes", "people") for one cut."""
    w = p.words[g]
    if w.pos not in ("NOUN", "PROPN") or w.lemma in _QUANTITIES:
        return False
    return not any(p.words[k].dep == "nummod" or p.words[k].pos == "NUM" for k in p.children(g))


def degree_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
    """One finding per pair of outlets of the group that lessen and end the same thing."""
    # Only sentences with a word of either degree are parsed: most groups have none.
    mentions = [m for m in mentions if _DEGREE_WORDS.search(m.sentence.text)]
    if len({m.outlet for m in mentions}) < 2:
        return []
    parse_all(m.sentence.text for m in mentions)
    acted = [x for m in mentions if (p := parse(m.sentence.text)) is not None for x in _acted(m, p)]
    told: dict[tuple[str, str], set[str]] = {}
    for x in acted:
        told.setdefault((x.at.sentence.id, x.thing), set()).add(x.degree)
    found: list[Discrepancy] = []
    done: set[frozenset[str]] = set()
    for i, a in enumerate(acted):
        for b in acted[i + 1 :]:
            pair = frozenset({a.at.outlet, b.at.outlet})
            if a.at.outlet == b.at.outlet or pair in done or a.thing != b.thing or a.degree == b.degree:
                continue
            if len(told[(a.at.sentence.id, a.thing)]) > 1 or len(told[(b.at.sentence.id, b.thing)]) > 1:
                continue  # one sentence tells both: the range, not one side
            if (a.kinds and b.kinds and not a.kinds & b.kinds) or (a.scope and b.scope and not a.scope & b.scope):
                continue  # "housing benefits" / "fuel benefits", "funding for schools" / "for roads": two things
            done.add(pair)
            found.append(_finding(group, a, b))
    return found


def _finding(group: Group, a: Acted, b: Acted) -> Discrepancy:
    wa, wb = a.at.sentence.text[a.start : a.end], b.at.sentence.text[b.start : b.end]
    summary = f"How far it goes: “{wa}” ({a.at.outlet}) vs “{wb}” ({b.at.outlet})"
    why = f"One outlet says the {a.thing}s are {_said(a.degree)}, another that they are {_said(b.degree)}"
    values = (span_of(a.at, a.start, a.end), span_of(b.at, b.start, b.end))
    return Discrepancy("", "claim", group.id, summary, values, outlets_of([a.at, b.at]), "degree", 0.45, why=why)


def _said(degree: str) -> str:
    return "reduced" if degree == "lessens it" else "ended"
