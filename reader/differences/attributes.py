"""What a figure measures, read from the sentence's dependency parse.

"82" in "Ana Ruiz, 82," is Ana Ruiz's age; "36" in "a 36-page ruling" is the ruling's length in
pages; "seven" in "a seven-day search" is the search's duration; "$12 million" in "paid $12 million in
import duties" is what was paid, in duties. Two outlets' figures are comparable, wherever the aligner put
their sentences, when they measure the same thing: ``reader.differences.measurecompare.same_thing`` says
how sure that pairing is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reader.differences.figrelation import dimension
from reader.differences.figures import Figure
from reader.differences.names import core_tokens
from reader.differences.parse import Parsed, parse

# Nouns that count people without saying which: "five others", "seven other people", "one person".
_PEOPLE = frozenset("people person other individual one".split())
# Nouns that say nothing about what is counted or measured.
_EMPTY = frozenset("total number figure amount lot sum part rest dozen percent percentage cent".split())
# "over ten years", "in the next month": when or how long, never what an amount is of.
_TIME_NOUNS = frozenset(
    "second minute hour day night week month quarter year decade century time monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august september october november "
    "december".split()
)
_HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame".split())
_SUBJECTS = ("nsubj", "nsubjpass", "agent", "csubj")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_SHOCK_YEAR = re.compile(r"\b(?:in|of)\s+((?:1[89]|20)\d\d)\b|\b((?:1[89]|20)\d\d)\s+(?:earth)?quake", re.I)
_LAST_YEAR = re.compile(r"\b(?:last|past|previous)\s+year\b|\ba\s+year\s+(?:ago|earlier|before)\b", re.I)
# Modifiers that do not make two things different: "the total cost", "a new figure".
_VAGUE_MODS = frozenset("total new overall other more additional further estimated reported official latest".split())
# A possibility ("aid can reach 90,000 people") is no reported figure; a future ("the deal will cut $8 billion")
# may be the forecast of what another outlet reports as done, so it only makes a pairing less sure.
_MODALS = frozenset("can could may might would should must".split())
_FUTURE = frozenset("will shall".split())


@dataclass(frozen=True)
class Measure:
    """What one figure measures, as lemmas (lower case); "" where the sentence does not say."""

    dimension: str  # "count", "money:USD", "distance", ..., or "age"
    head: str  # the noun counted or measured: "wolf", "page", "search"; "" for bare amounts
    thing: str  # what the head measures, when the head is a unit: "ruling" (36-page), "span" (eight-year)
    verb: str  # the verb that governs it: "kill", "earn", "pay"
    topics: frozenset[str]  # nouns the verb attaches by prepositions or as objects: {"tax", "income"}
    owner: tuple[str, ...]  # whose attribute it is, as name tokens: ("ana", "ruiz") for an age
    subject: frozenset[str]  # the verb's subject words, when the figure is not the subject itself
    qualifiers: frozenset[tuple[str, str]]  # (noun, modifier): ("tax", "federal"), ("wolf", "grey")
    agents: frozenset[str]  # the proper names among the subject's words: {"lindqvist"} in "Eva Lindqvist released..."
    first_year: int  # the earliest year the sentence gives ("since 2007", "2007 to 2014"), 0 when none
    negated: bool
    years: int = 0  # how many years the sentence names: one ("in 1998") dates a past event, two are a span
    modal: bool = False  # "aid can reach its 90,000 people": a possibility, not a reported figure
    whose: frozenset[str] = frozenset()  # whose figure: "his tax rate" after "Mr. Lindqvist said" -> {"lindqvist"}
    future: bool = False  # "the deal will cut $8 billion": told as what will happen


def noun_key(word: str) -> str:
    """A noun's plain form from its text: "taxes" -> "tax", "wolves" -> "wolf" (spaCy's small model reads
    "taxes" as "taxis"); people-words fold into "person"."""
    w = word.casefold().strip("’'")
    for suffix, repl in (("ies", "y"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss"), ("s", "")):
        if w.endswith(suffix) and len(w) >= len(suffix) + 2 and not w.endswith("ss"):
            w = w[: -len(suffix)] + repl
            break
    return "person" if w in _PEOPLE or w == "others" else w


def _key(p: Parsed, i: int) -> str:
    w = p.words[i]
    return noun_key(w.text) if w.pos in ("NOUN", "PROPN") else w.lemma


def _qualifiers(p: Parsed, i: int) -> frozenset[tuple[str, str]]:
    """(noun, modifier) pairs: "federal taxes" -> {("tax", "federal")}."""
    mods = [p.words[j] for j in p.children(i) if p.words[j].dep in ("amod", "compound") and p.words[j].pos != "NUM"]
    noun = _key(p, i)
    return frozenset((noun, noun_key(m.text)) for m in mods if m.text[:1].isalpha() and m.lemma not in _VAGUE_MODS)


def _compound_words(p: Parsed, i: int) -> list[int]:
    """A noun with its compound and flat-name parts: "Ana Ruiz" for "Ruiz"."""
    return sorted([i] + [j for j in p.children(i) if p.words[j].dep in ("compound", "flat")])


def _name_of(p: Parsed, i: int) -> tuple[str, ...]:
    if p.words[i].pos != "PROPN":
        return ()
    ids = _compound_words(p, i)
    name = core_tokens(" ".join(p.words[j].text for j in ids if p.words[j].pos == "PROPN"))
    return tuple(t for t in name if t not in _HONORIFICS) or name  # "Ms. Ruiz, 76," is Ruiz's age


def _top_of_figure(p: Parsed, fig: Figure) -> int | None:
    """The figure's highest word inside its own span ("million" of "$12 million"), or None."""
    ids = p.covering(fig.start, fig.end)
    if not ids:
        return None
    inside = set(ids)
    # Prefer the number itself: the unit word of "30 km" is the head of "30", outside the figure's count.
    nums = [i for i in ids if p.words[i].pos == "NUM" or p.words[i].text[:1].isdigit()]
    i = nums[-1] if nums else ids[-1]
    seen = {i}
    while p.words[i].head in inside and p.words[i].head not in seen and p.words[p.words[i].head].pos in ("NUM", "SYM"):
        i = p.words[i].head
        seen.add(i)
    return i


def _climb_to_verb(p: Parsed, i: int) -> tuple[int | None, int | None]:
    """From a noun up to the verb governing it: (verb index, the first noun passed through a preposition)."""
    thing = None
    steps = 0
    while steps < 5:
        steps += 1
        w = p.words[i]
        if w.head == i:
            return None, thing
        h = p.words[w.head]
        if h.pos in ("VERB", "AUX"):
            return w.head, thing
        passes = w.dep in ("pobj", "compound", "amod", "npadvmod", "nmod") or w.pos == "ADP"
        if h.pos in ("NOUN", "PROPN") and thing is None and passes:
            thing = w.head
        i = w.head
    return None, thing


def _topics(p: Parsed, verb: int, skip: set[int]) -> frozenset[str]:
    out: set[str] = set()
    for c in p.children(verb):
        w = p.words[c]
        if w.dep == "prep":
            for g in p.children(c):
                if p.words[g].dep == "pobj" and g not in skip and p.words[g].pos in ("NOUN", "PROPN"):
                    out.add(_key(p, g))  # "from the program", "from Eldercare": what the amount comes from
        elif w.dep in ("dobj", "attr") and c not in skip and w.pos == "NOUN":
            out.add(_key(p, c))
    return frozenset(out - _EMPTY - _TIME_NOUNS)


def _subject(p: Parsed, verb: int, skip: set[int]) -> tuple[frozenset[str], frozenset[str]]:
    """The verb's subject words, and the proper names among them."""
    for c in p.children(verb):
        if p.words[c].dep in _SUBJECTS and c not in skip:
            heads = [c] + [j for j in p.children(c) if p.words[j].dep == "conj"]  # "she and Tomas Okafor"
            ids = [k for h in heads for k in _compound_words(p, h)]
            words = frozenset(_key(p, j) for j in ids if p.words[j].pos in ("NOUN", "PROPN"))
            return words, frozenset(_key(p, j) for j in ids if p.words[j].pos == "PROPN")
    return frozenset(), frozenset()


def _age(p: Parsed, top: int) -> tuple[str, ...] | None:
    """The owner of an age: "Ana Ruiz, 82," or "the 81-year-old Ana Ruiz"; None when the figure is no age."""
    w = p.words[top]
    h = p.words[w.head]
    if w.dep == "appos" and h.pos == "PROPN":
        return _name_of(p, w.head)
    # 81 -> year (nummod) -> old (npadvmod) -> Ruiz (amod)
    if h.lemma == "year" and w.head != top:
        old = p.words[h.head]
        if old.lemma == "old" and h.head != w.head:
            owner = old.head
            if p.words[owner].pos == "PROPN":
                return _name_of(p, owner)
            if p.words[owner].pos == "NOUN":
                # "her 58-year-old brother, Ivo Marek,": the name in apposition is whose age it is
                named = [c for c in p.children(owner) if p.words[c].dep == "appos" and p.words[c].pos == "PROPN"]
                return _name_of(p, named[0]) if named else (p.words[owner].lemma,)
    return None


def _words_in(text: str, start: int, end: int) -> str:
    return text[max(0, start) : end]


@lru_cache(maxsize=16384)
def measure_of(text: str, fig: Figure) -> Measure | None:
    """What ``fig`` (found in ``text``) measures, or None when the sentence cannot be parsed."""
    p = parse(text)
    if p is None:
        return None
    top = _top_of_figure(p, fig)
    if top is None:
        return None
    first_year, years = _years_named(text, fig)
    negated = _negated(p, top)
    owner = _age(p, top)
    if owner is not None:
        empty: frozenset = frozenset()
        return Measure("age", "year", "", "", empty, owner, empty, empty, empty, first_year, negated, years)
    if fig.kind == "magnitude":  # what it measures is the shock the figure names, whatever the parse says
        # Only a year that dates the shock ("in 1974", "the 1974 quake") makes it another one; "the strongest
        # since 1974" compares this one with the past.
        dated = [int(m.group(1) or m.group(2)) for m in _SHOCK_YEAR.finditer(text)]
        empty_set: frozenset = frozenset()
        return Measure(
            "magnitude", fig.head, "", "", empty_set, (), empty_set, empty_set, empty_set, min(dated, default=0),
            negated, len(dated),
        )  # fmt: skip
    return _measured(p, fig, top, first_year, negated, years)


def _negated(p: Parsed, i: int) -> bool:
    """A "not" on the way from the figure up to its clause's root ("did not pay $5", "it is not true that he
    paid $5"); one elsewhere ("The mayor cut $4 million. ... That's not the point.") says nothing of the figure."""
    seen = set()
    while i not in seen:
        seen.add(i)
        if any(p.words[c].dep == "neg" for c in p.children(i)):
            return True
        i = p.words[i].head
    return False


def _years_named(text: str, fig: Figure) -> tuple[int, int]:
    """The earliest year the sentence gives around the figure (0 when none), and how many it names."""
    years = [int(y) for y in _YEAR.findall(_words_in(text, 0, fig.start) + " " + _words_in(text, fig.end, len(text)))]
    first_year = min(years) if years else 0
    years += [0] * len(_LAST_YEAR.findall(text))  # "last year" dates a figure as a year does, to no number
    return first_year, len(years)


def _measured(p: Parsed, fig: Figure, top: int, first_year: int, negated: bool, years: int) -> Measure:
    """The measure of a figure that is neither an age nor a magnitude, from the words around ``top``."""
    head_i, start, thing = _counted(p, top)
    head = _key(p, head_i) if head_i != top else ""
    verb_i, passed = _governing_verb(p, start)
    if not thing and passed is not None:
        thing = _key(p, passed)
    skip = {top, start} | ({head_i} if head_i is not None else set())
    verb = p.words[verb_i].lemma if verb_i is not None else ""
    if verb == "raise" and dimension(fig).startswith("money") and p.words[start].dep == "dobj":
        verb = "collect"  # "raised $60,000" for a cause collects it; "raised the fee by $5" stays a rise
    topics = _topics(p, verb_i, skip) if verb_i is not None else frozenset()
    # "paid $44 million in federal taxes": the preposition may hang on the figure rather than the verb
    topics |= _topics(p, start, skip) | (_topics(p, top, skip) if top != start else frozenset())
    subject, agents = _subject(p, verb_i, skip) if verb_i is not None else (frozenset(), frozenset())
    quals: frozenset[tuple[str, str]] = frozenset()
    for i in {head_i, start, passed} - {None, top}:
        quals |= _qualifiers(p, i)  # type: ignore[arg-type]
    quals = _reached_qualifiers(p, verb_i, skip, quals)
    topics -= {head, thing}
    auxes = {p.words[c].lemma for c in p.children(verb_i) if p.words[c].dep == "aux"} if verb_i is not None else set()
    modal, future = bool(auxes & _MODALS), bool(auxes & _FUTURE)
    nouns = [i for i in (start, passed, head_i) if i is not None]
    if verb_i is not None and p.words[verb_i].lemma == "be":  # "his tax rate was 36 percent": the subject
        nouns += [c for c in p.children(verb_i) if p.words[c].dep in _SUBJECTS and p.words[c].pos == "NOUN"]
    whose = _possessors(p, nouns) or agents or _main_owner(p, verb_i)
    return Measure(
        dimension(fig), head, thing, verb, topics, (), subject, quals, agents, first_year, negated, years, modal,
        whose, future,
    )  # fmt: skip


def _counted(p: Parsed, top: int) -> tuple[int, int, str]:
    """(the noun the figure counts or measures, or the figure itself; the noun the measure belongs to,
    where the verb is looked for; what a unit head measures, or "")."""
    w = p.words[top]
    head_i: int | None = None
    if w.dep in ("nummod", "quantmod", "compound", "amod", "appos") and p.words[w.head].pos in ("NOUN", "PROPN"):
        head_i = w.head
    else:
        head_i = top
    thing = ""
    start = head_i if head_i is not None else top
    if head_i is not None and head_i != top and p.words[head_i].dep in ("compound", "amod", "npadvmod", "nmod"):
        # "48 -> page -> complaint", "seven -> day -> search": the head is a unit of something else
        outer = p.words[head_i].head
        if p.words[outer].pos in ("NOUN", "PROPN"):
            thing = _key(p, outer)
            start = outer
    return head_i, start, thing


def _governing_verb(p: Parsed, start: int) -> tuple[int | None, int | None]:
    """The verb that says what happened to the measured noun (None when none), and the first noun passed
    through a preposition on the way up to it."""
    verb_i, passed = _climb_to_verb(p, start)
    if verb_i is not None and p.words[verb_i].lemma in ("leave", "keep"):
        # "the collapse left nine people injured": what happened to them is the complement
        done = [c for c in p.children(verb_i) if p.words[c].dep in ("oprd", "xcomp", "ccomp", "acomp")]
        if done:
            verb_i = done[0]
    return verb_i, passed


def _reached_qualifiers(
    p: Parsed, verb_i: int | None, skip: set[int], quals: frozenset[tuple[str, str]]
) -> frozenset[tuple[str, str]]:
    """``quals`` with the qualifiers of the nouns the verb reaches through objects and preposition chains:
    "died in a fire at a garment factory"."""
    todo = [(c, 0) for c in p.children(verb_i)] if verb_i is not None else []
    while todo:
        g, depth = todo.pop()
        if p.words[g].dep in ("ccomp", "advcl", "relcl", "conj", "xcomp") or depth > 4:
            continue
        if p.words[g].pos == "NOUN" and g not in skip:
            quals |= _qualifiers(p, g)
        todo.extend((k, depth + 1) for k in p.children(g))
    return quals


def _possessors(p: Parsed, nouns: list[int]) -> frozenset[str]:
    """The named owner of the measured nouns: "the Okafors' tax rate" -> {"okafors"}; "his tax rate" after
    "Mr. Lindqvist said" -> {"lindqvist"} (a possessive pronoun is the nearest person named before it)."""
    out: set[str] = set()
    for n in nouns:
        for c in p.children(n):
            w = p.words[c]
            if w.dep != "poss":
                continue
            if w.pos == "PROPN":
                out.update(_key(p, j) for j in _compound_words(p, c) if p.words[j].pos == "PROPN")
            elif w.lemma in ("his", "her", "their", "its", "he", "she", "they", "it"):
                named = [j for j in range(c) if p.words[j].pos == "PROPN" and p.words[j].dep in _SUBJECTS]
                if named:
                    out.add(_key(p, named[-1]))
    return frozenset(out)


def _main_owner(p: Parsed, verb_i: int | None) -> frozenset[str]:
    """A figure in a clause that names no owner ("while the effective rate was 45.8 percent") belongs to the
    owner of the sentence's main clause ("the Okafors' tax rate for 2019 was 22.4 percent, while ...")."""
    root = next((i for i, w in enumerate(p.words) if w.head == i), None)
    if root is None or root == verb_i or verb_i is None or p.words[verb_i].dep not in ("advcl", "conj"):
        return frozenset()
    subjects = [c for c in p.children(root) if p.words[c].dep in _SUBJECTS]
    owners = _possessors(p, subjects)
    names = frozenset(_key(p, j) for c in subjects for j in _compound_words(p, c) if p.words[j].pos == "PROPN")
    return owners or names
