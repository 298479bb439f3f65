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

from collections.abc import Sequence
from dataclasses import dataclass

from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.parse import Parsed, parse, parse_all
from reader.model import Article, Discrepancy, Group

_PLACE_PREPS = frozenset({"in", "into", "inside", "at"})
# Nouns after "in"/"at" that name a part, a time or a manner, not a place.
_NOT_PLACES = frozenset(
    "end side edge middle top bottom back front part center centre corner area way case time fact order "
    "morning afternoon evening night day week month year hour minute moment period season weekend "
    "statement interview report court hearing response connection addition place custody condition".split()
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


def _placed(m: Mention, p: Parsed) -> list[Placed]:
    out = []
    for v, w in enumerate(p.words):
        if w.pos != "VERB":
            continue
        things: set[str] = set()
        places: list[int] = []
        for c in p.children(v):
            child = p.words[c]
            if child.dep in ("dobj", "nsubjpass") and child.pos == "NOUN":
                things.add(child.lemma)
            elif child.dep == "prep" and child.lemma == "of":  # "getting rid of the box"
                things |= {p.words[g].lemma for g in p.children(c) if _noun(p, g, "pobj")}
            elif child.dep == "prep" and child.lemma in _PLACE_PREPS:
                places += [g for g in p.children(c) if _noun(p, g, "pobj") and p.words[g].lemma not in _NOT_PLACES]
        for g in places[:1]:  # the first place the verb is given; later ones say more about it
            start = min([g, *(k for k in p.children(g) if k < g)], key=lambda k: p.words[k].start)
            for thing in sorted(things):
                out.append(Placed(m, w.lemma, thing, p.words[g].lemma, p.words[start].start, p.words[g].end))
    return out


def _noun(p: Parsed, i: int, dep: str) -> bool:
    return p.words[i].dep == dep and p.words[i].pos == "NOUN"


def place_findings(
    articles: Sequence[Article], groups: Sequence[Group], index: dict[str, Mention]
) -> list[Discrepancy]:
    """One finding per thing two outlets place differently, anywhere in the story."""
    mentions = sorted(index.values(), key=lambda m: (m.order, m.sentence.start))
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
            if a.at.outlet == b.at.outlet or (a.verb, a.thing) != (b.verb, b.thing) or a.place == b.place:
                continue
            if a.place in b.at.sentence.text.casefold() or b.place in a.at.sentence.text.casefold():
                continue  # the other sentence names this place too: two places of one story, not a conflict
            key = (a.verb, a.thing, frozenset({a.at.outlet, b.at.outlet}))
            if key in seen or a.at.sentence.id not in home_of:
                continue
            seen.add(key)
            found.append(_finding(a, b, home_of))
    return found


def _finding(a: Placed, b: Placed, home_of: dict[str, str]) -> Discrepancy:
    wa, wb = a.at.sentence.text[a.start : a.end], b.at.sentence.text[b.start : b.end]
    summary = f"Where: the {a.thing} {_past(a.verb)} in “{wa}” ({a.at.outlet}) vs “{wb}” ({b.at.outlet})"
    why = f"Both tell the same thing done to the same {a.thing} (“{a.verb}”), each in another place"
    if home_of.get(a.at.sentence.id) != home_of.get(b.at.sentence.id):
        why += ", in sentences the outlets tell in different places"
    values = (span_of(a.at, a.start, a.end), span_of(b.at, b.start, b.end))
    outlets = outlets_of([a.at, b.at])
    return Discrepancy("", "claim", home_of[a.at.sentence.id], summary, values, outlets, "place", 0.45, why=why)


def _past(verb: str) -> str:
    return {"find": "found", "leave": "left", "hide": "hidden", "dispose": "disposed of", "put": "put"}.get(
        verb, f"{verb}d" if verb.endswith("e") else f"{verb}ed"
    )
