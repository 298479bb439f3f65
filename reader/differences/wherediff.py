"""Where one thing was found, left or taken, told two ways across outlets: "buried the box in a garden" /
"buried the box in a nearby field".

A place conflicts only for one event: the same verb acting on the same thing (its object, or the noun after
"of": "getting rid of the box"), read from the dependency parse, with the place attached to that verb. Only
common nouns are compared ("garden", "field"): a named place against a common noun is usually the same place
told at two levels ("in Ohio" / "in a parking lot"), and a place the other sentence also names is no
conflict. Words that say where inside something ("the end of", "the side of") or when ("in the morning")
are not places. Synonyms ("home" / "house") are beyond a parse: the finding is only worth a look.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.parse import Parsed, may_hold, parse, parse_all
from reader.model import Article, Discrepancy, Group

_PLACE_PREPS = frozenset({"in", "into", "inside", "at"})
# Nouns after "in"/"at" that name a part, a time or a manner, not a place.
_NOT_PLACES = frozenset(
    "end side edge middle top bottom back front part center centre corner area way case time fact order "
    "morning afternoon evening night day week month year hour minute moment period season weekend "
    "statement interview report court hearing response connection addition place custody condition "
    # a state someone is found or held in: "found in contempt", "in violation of", "in breach of", "in danger"
    "contempt violation breach danger trouble need charge control power office debt favour favor support "
    "question doubt shock pain tears love fear line touch contact possession anger protest silence panic haste "
    "cash person public private secret".split()
)


@dataclass(frozen=True)
class Placed:
    """A thing a verb acts on, and the place the sentence gives for it."""

    at: Mention
    verb: str  # lemma: "dispose", "find"
    thing: str  # lemma of its object: "box"
    place: str  # lemma of the place noun: "garden"
    start: int  # the place phrase in the sentence: "the garden", "a nearby field"
    end: int
    described: frozenset[str] = frozenset()  # nouns that describe the thing: "blood" for "a shirt with blood on it"
    said: str = ""  # the thing as written ("clothes", whose lemma the parser gives as "clothe")
    named: frozenset[str] = frozenset()  # the place's nouns: "creek" and "bed" for "the creek bed"


def _placed(m: Mention, p: Parsed) -> list[Placed]:
    out = []
    for v, w in enumerate(p.words):
        if w.pos != "VERB":
            continue
        things: set[int] = set()
        places: list[int] = []
        # What the thing was like: its own phrase ("two shirts with paint on them"), a "with" the parser hangs
        # on the verb ("found shirts with paint"), a participle without a subject ("clothes smeared with paint").
        # Never the verb's other adjuncts ("in the morning", "after a tip"): those tell the event, not the thing.
        told: set[int] = set()
        for c in p.children(v):
            child = p.words[c]
            if child.dep in ("dobj", "nsubjpass") and child.pos == "NOUN":
                things.add(c)
            elif child.dep == "prep" and child.lemma == "of":  # "getting rid of the box"
                things |= {g for g in p.children(c) if _noun(p, g, "pobj")}
            elif child.dep == "prep" and child.lemma in _PLACE_PREPS:
                places += [g for g in p.children(c) if _noun(p, g, "pobj")]
            elif _describes(p, c):
                told |= _under(p, c)
        phrase = set().union(*(_under(p, t) for t in things), told) if things else set()
        # a place may hang from a noun of the thing's phrase: "two shirts with paint on them in the shed"; not
        # through an "of", which says which thing it is ("control of the market in the old town")
        places += [
            g for g in phrase
            if _noun(p, g, "pobj") and p.words[p.words[g].head].lemma in _PLACE_PREPS
            and p.words[p.words[p.words[g].head].head].pos == "NOUN" and not _through_of(p, g, v)
        ]  # fmt: skip
        # A phrase before the verb sets the scene ("In the latest raid, police found ..."): not where the thing was.
        places = [g for g in sorted(set(places)) if g > v and p.words[g].lemma not in _NOT_PLACES]
        for g in places[:1]:  # the first place the verb is given; later ones say more about it
            start = min([g, *(k for k in p.children(g) if k < g)], key=lambda k: p.words[k].start)
            named = frozenset(p.words[k].lemma for k in [g, *p.children(g)] if p.words[k].pos in ("NOUN", "PROPN"))
            near = frozenset(
                p.words[k].lemma
                for k in phrase - things - _under(p, g)
                if p.words[k].pos == "NOUN" and p.words[k].lemma not in _NOT_PLACES
            )
            for t in sorted(things, key=lambda k: p.words[k].lemma):
                word, place = p.words[t], p.words[g]
                out.append(
                    Placed(m, w.lemma, word.lemma, place.lemma, p.words[start].start, place.end, near, word.text, named)
                )
    return out


def _under(p: Parsed, i: int) -> set[int]:
    """Every word of the subtree of word ``i``, itself included."""
    out, todo = {i}, [i]
    while todo:
        for c in p.children(todo.pop()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def _through_of(p: Parsed, g: int, top: int) -> bool:
    """Is there an "of" between the word ``g`` and the verb ``top`` it hangs from?"""
    k = p.words[g].head
    while k != top and p.words[k].head != k:
        if p.words[k].dep == "prep" and p.words[k].lemma == "of":
            return True
        k = p.words[k].head
    return False


def _describes(p: Parsed, c: int) -> bool:
    """A child of the verb that tells what its thing was like: "with paint", "smeared with paint"."""
    child = p.words[c]
    if child.dep == "prep":
        return child.lemma == "with"
    return child.dep in ("advcl", "acl", "ccomp") and child.pos == "VERB" and not _has_subject(p, c)


def _has_subject(p: Parsed, i: int) -> bool:
    """A clause with its own subject ("when the crew arrived") tells another event, not what the thing was like."""
    return any(p.words[c].dep in ("nsubj", "nsubjpass") for c in p.children(i))


def _noun(p: Parsed, i: int, dep: str) -> bool:
    return p.words[i].dep == dep and p.words[i].pos == "NOUN"


def _one_thing(a: Placed, b: Placed) -> bool:
    """The same thing: the same noun, or two nouns told with the same description ("shirts with mud on them" /
    "clothes caked in mud": what was found is the muddy clothing either way)."""
    return a.thing == b.thing or bool(a.described & b.described)


def _names_place(m: Mention, x: Placed) -> bool:
    """Does the sentence of ``m`` name the place of ``x`` too ("the creek" beside "the creek bed")?"""
    words = {w.casefold() for w in re.findall(r"[\w-]+", m.sentence.text)}
    return any(n in words or f"{n}s" in words for n in x.named)


def place_findings(
    articles: Sequence[Article], groups: Sequence[Group], index: dict[str, Mention]
) -> list[Discrepancy]:
    """One finding per thing two outlets place differently, anywhere in the story."""
    mentions = sorted(index.values(), key=lambda m: (m.order, m.sentence.start))
    mentions = [m for m in mentions if may_hold(m.sentence.text, _PLACE_PREPS)]  # no place without one (parse.py)
    parse_all(m.sentence.text for m in mentions)
    placed = [x for m in mentions if (p := parse(m.sentence.text)) is not None for x in _placed(m, p)]
    home_of: dict[str, str] = {}
    for g in groups:
        for sid in g.sentences:
            home_of.setdefault(sid, g.id)
    found: list[Discrepancy] = []
    seen: set[tuple[str, str, frozenset[str]]] = set()
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            if a.at.outlet == b.at.outlet or a.verb != b.verb or not _one_thing(a, b) or a.place == b.place:
                continue
            if _names_place(b.at, a) or _names_place(a.at, b):
                continue  # the other sentence names this place too: two places of one story, not a conflict
            key = (a.verb, a.thing, frozenset({a.at.outlet, b.at.outlet}))
            if key in seen or a.at.sentence.id not in home_of:
                continue
            seen.add(key)
            found.append(_finding(a, b, home_of))
    return found


def _finding(a: Placed, b: Placed, home_of: dict[str, str]) -> Discrepancy:
    wa, wb = a.at.sentence.text[a.start : a.end], b.at.sentence.text[b.start : b.end]
    thing = a.thing if a.thing == b.thing else f"{a.said.casefold()} / {b.said.casefold()}"
    summary = f"Where: the {thing} {_past(a.verb)} in “{wa}” ({a.at.outlet}) vs “{wb}” ({b.at.outlet})"
    if a.thing == b.thing:
        why = f"Both tell the same thing done to the same {a.thing} (“{a.verb}”), each in another place"
    else:
        shared = ", ".join(sorted(a.described & b.described))
        why = f"Both tell “{a.verb}” done to {thing} described alike ({shared}), each in another place"
    if home_of.get(a.at.sentence.id) != home_of.get(b.at.sentence.id):
        why += ", in sentences the outlets tell in different places"
    values = (span_of(a.at, a.start, a.end), span_of(b.at, b.start, b.end))
    outlets = outlets_of([a.at, b.at])
    return Discrepancy("", "claim", home_of[a.at.sentence.id], summary, values, outlets, "place", 0.45, why=why)


def _past(verb: str) -> str:
    irregular = {"find": "found", "leave": "left", "hide": "hidden", "dispose": "disposed of", "put": "put",
                 "take": "taken", "throw": "thrown", "keep": "kept", "hold": "held", "bury": "buried"}  # fmt: skip
    return irregular.get(verb, f"{verb}d" if verb.endswith("e") else f"{verb}ed")
