"""Figures two or more outlets give alike for one measured thing, wherever the aligner put their sentences.

"Ana Ruiz, 82," in one outlet and "the 82-year-old Ana Ruiz" in another tell one age; "paid $12,406,150 in
import duties" told in two outlets' different paragraphs is one corroborated amount. The per-group pass
only sees figures the aligner put side by side; this pass pairs them by what they measure
(``measurecompare.same_thing``), as the story-wide conflicts do, and only where the pairing is sure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.differences.figsaid import said_as
from reader.differences.figstory import Item, measured_items, relation
from reader.differences.measurecompare import same_thing
from reader.differences.mentions import Mention, outlets_of
from reader.differences.namecompare import SAME_PERSON, name_relation
from reader.model import Agreement, Group

# People an unnamed owner may be ("a 71-year-old resident"); a thing's age ("a 40-year-old bridge") is not one.
_PEOPLE = frozenset(
    "person resident driver passenger victim suspect patient pedestrian neighbor neighbour worker employee "
    "student teacher officer soldier pilot farmer fisherman mom dad grandmother grandfather".split()
)

# An agreement found by the parse alone needs a surer pairing than a conflict: two anchors and a verb, a
# named owner, or a document's length (same_thing gives 0.75 for two anchors, 0.85 for a named age).
SURE_AGREEMENT = 0.75


def story_agreements(
    mentions: Sequence[Mention], home_of: dict[str, Group], order: dict[str, int], mates: dict[str, list[str]]
) -> list[Agreement]:
    """One agreement per measured thing that two or more outlets give with the same value."""
    items = [x for x in measured_items(mentions, mates) if not _points_back(x)]
    buckets: dict[tuple[object, ...], list[int]] = {}
    for i, x in enumerate(items):
        # an age is an age however it is written ("Ana Ruiz, 82," and "the 82-year-old Ana Ruiz")
        age = x.measure.dimension == "age"
        key = (
            (x.measure.dimension, x.fig.low)
            if age
            else (x.measure.dimension, x.fig.low, x.fig.high, x.fig.hedge, x.fig.unit)
        )
        buckets.setdefault(key, []).append(i)
    parent: dict[int, int] = {}
    for ids in buckets.values():
        for n, i in enumerate(ids):
            for j in ids[n + 1 :]:
                x, y = items[i], items[j]
                if x.at.outlet == y.at.outlet or relation(x, y) != "same":
                    continue
                if same_thing(x.measure, y.measure)[0] >= SURE_AGREEMENT:
                    parent[_root(parent, j)] = _root(parent, i)
        if items[ids[0]].measure.dimension == "age" and _one_person([items[i] for i in ids]):
            for i in ids[1:]:
                parent[_root(parent, i)] = _root(parent, ids[0])
    members: dict[int, list[int]] = {}
    for i in list(parent):
        members.setdefault(_root(parent, i), []).append(i)
    out = []
    for ids in sorted(members.values(), key=min):
        xs = sorted((items[k] for k in ids), key=lambda x: (x.at.order, x.at.sentence.start))
        homes = [home_of[x.at.sentence.id] for x in xs if x.at.sentence.id in home_of]
        if len({x.at.outlet for x in xs}) < 2 or not homes:
            continue
        age = xs[0].measure.dimension == "age"
        value = str(int(xs[0].fig.low)) if age and xs[0].fig.low is not None else said_as([x.fig for x in xs])
        home = min(homes, key=lambda g: order[g.id])
        sentences = tuple(dict.fromkeys(x.at.sentence.id for x in xs))
        out.append(Agreement("figure", home.id, value, sentences, outlets_of([x.at for x in xs])))
    return out


_MALE = frozenset("man boy father stepfather son stepson husband brother grandfather uncle nephew he".split())
_FEMALE = frozenset("woman girl mother stepmother daughter stepdaughter wife sister grandmother aunt niece she".split())


def _one_person(xs: Sequence[Item]) -> bool:
    """Every outlet that gives this age gives it to one person, and nothing says the outlets mean two: at most
    one name among them (written more or less fully), and no man against a woman. Then "a 71-year-old man",
    "her 71-year-old stepfather" and "71-year-old Ana Ruiz" are one age, though the parse ties no owner."""
    if len({x.at.outlet for x in xs}) < 2:
        return False
    names = [x.measure.owner for x in xs if _named(x)]
    if any(name_relation(names[0], n) not in SAME_PERSON for n in names[1:]):
        return False
    words = {w for x in xs if not _named(x) for w in x.measure.owner}
    return not (words & _MALE and words & _FEMALE) and all(w in _MALE | _FEMALE | _PEOPLE for w in words)


def _named(x: Item) -> bool:
    """The owner is a name as the sentence writes it (capitalised, not at the sentence's start)."""
    text = x.at.sentence.text
    for token in x.measure.owner:
        m = re.search(rf"(?<!^)\b{re.escape(token)}\b", text, re.I)
        if m is None or not m.group()[0].isupper():
            return False
    return bool(x.measure.owner)


def _points_back(x: Item) -> bool:
    """ "the two countries": a small number word that points back at things already named, not a figure."""
    before = x.at.sentence.text[max(0, x.fig.start - 8) : x.fig.start]
    return (
        x.fig.kind == "count"
        and x.fig.text.isalpha()
        and (x.fig.low or 0) <= 10
        and re.search(r"\b(?:the|these|those|both)\s+$", before, re.I) is not None
    )


def _root(parent: dict[int, int], i: int) -> int:
    while parent.setdefault(i, i) != i:
        i = parent[i]
    return i
