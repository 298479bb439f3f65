"""What a suit, a petition or an appeal asks for, told two ways: "asks the court to strike down the rule" /
"seeks an order to block the rule".

Read from the dependency parse: a request verb ("ask", "seek", "urge", "sue", ...), the action it asks for
(its "to ..." clause, or the clause of the order it seeks: "seeking an order to block"), and what that action
acts on. Actions are sorted into a few remedies a court reporter tells apart: undoing a measure (strike down,
overturn, declare unconstitutional), stopping it (block, halt, bar, enjoin), making someone pay, freeing
someone, restoring something, dropping a case. Words of one remedy are one claim told in other words ("block"
/ "halt"), and an action outside these families is never compared: a difference needs two known remedies.

A request differs only for one request: the two sentences must be aligned (one group), the actions must act
on a same noun ("the rule"), the requesters must not be two different parties ("the city asked" / "the
union asked"), and a sentence that names two remedies ("block the rule and then strike it down") tells the
range, not one side. Even then two requests may be two moments of one case (first an order to halt, later a
ruling to undo): the finding is only worth a look.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.parse import Parsed, parse, parse_all
from reader.model import Article, Discrepancy, Group

# What a party asks for, and what a court orders: one structure ("ordered the city to halt the fee").
_REQUEST_VERBS = frozenset("ask seek urge petition demand request sue move appeal order direct".split())
# Remedy families, by the action's lemma ("strike_down" with its particle). "Throw out" is left out: it undoes a
# law but drops a case ("throw out the charges" is "dismiss the charges").
_REMEDIES: dict[str, str] = {
    word: family
    for family, words in {
        "undo it": "strike_down overturn invalidate nullify void annul reverse vacate repeal rescind quash",
        "stop it": "block halt stop prevent bar enjoin suspend freeze prohibit",
        "make someone pay": "pay compensate award reimburse",
        "free someone": "release free",
        "restore it": "reinstate restore reopen",
        "drop the case": "dismiss drop",
    }.items()
    for word in words.split()
}
_ASKS = re.compile(
    r"\b(?:ask|seek|sought|urg|petition|demand|request|su(?:e|ed|es|ing)\b|mov|appeal|order|direct)", re.I
)
# "declare the rule unconstitutional" undoes it
_VOID_WORDS = frozenset("unconstitutional invalid illegal unlawful void null".split())
# Nouns too general to make two actions one request's ("the court", "an order", "the case").
_GENERAL = frozenset("court judge order case suit lawsuit complaint petition request part parts".split())


@dataclass(frozen=True)
class Request:
    """One remedy a sentence says someone asks for."""

    at: Mention
    family: str  # "undo it", "stop it", ...
    nouns: tuple[tuple[str, int, int], ...]  # the nouns the action acts on: (lemma, depth under it, where it ends)
    requester: frozenset[str]  # lemmas of who asks ("lawsuit", "city")
    start: int  # where the action starts in the sentence: "strike down key parts of the measure"

    @property
    def targets(self) -> frozenset[str]:
        return frozenset(lemma for lemma, _, _ in self.nouns)

    def depth(self, lemma: str) -> int:
        return min(d for n, d, _ in self.nouns if n == lemma)

    def end(self, lemma: str) -> int:
        """The action up to a noun both outlets name: "prevent the city from enforcing the rule"."""
        return next(end for n, _, end in self.nouns if n == lemma)


def _under(p: Parsed, i: int) -> set[int]:
    out, todo = {i}, [i]
    while todo:
        for c in p.children(todo.pop()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def _depth(p: Parsed, k: int, top: int) -> int:
    depth = 0
    while k != top and p.words[k].head != k:
        k, depth = p.words[k].head, depth + 1
    return depth


def _family(p: Parsed, a: int) -> str:
    w = p.words[a]
    kids = [p.words[c] for c in p.children(a)]
    particle = next((k.lemma for k in kids if k.dep == "prt"), "")
    if w.lemma == "declare" and any(k.lemma in _VOID_WORDS for k in kids):
        return "undo it"
    return _REMEDIES.get(f"{w.lemma}_{particle}" if particle else w.lemma, "")


def _actions(p: Parsed, r: int) -> list[int]:
    """The actions a request verb asks for: "asks the court to strike down", "seeking an order to block"."""
    out = []
    for c in p.children(r):
        w = p.words[c]
        if w.dep in ("xcomp", "ccomp", "advcl") and w.pos == "VERB":
            out.append(c)
        elif w.dep == "dobj":
            out += [g for g in p.children(c) if p.words[g].dep in ("acl", "relcl") and p.words[g].pos == "VERB"]
    return out


def _requester(p: Parsed, r: int) -> frozenset[str]:
    """Who asks: the request verb's subject, the subject of the verb it is joined to ("was brought ... and asks"),
    or the noun it qualifies ("a lawsuit seeking")."""
    w = p.words[r]
    subjects = [c for c in p.children(r) if p.words[c].dep in ("nsubj", "nsubjpass")]
    if not subjects and w.dep == "conj":
        subjects = [c for c in p.children(w.head) if p.words[c].dep in ("nsubj", "nsubjpass")]
    if not subjects and w.dep == "acl":
        subjects = [w.head]
    return frozenset(p.words[k].lemma for s in subjects for k in _under(p, s) if p.words[k].pos in ("NOUN", "PROPN"))


def _requests(m: Mention, p: Parsed) -> list[Request]:
    out = []
    for r, w in enumerate(p.words):
        if w.pos != "VERB" or w.lemma not in _REQUEST_VERBS:
            continue
        if any(p.words[c].dep == "neg" for c in p.children(r)):
            continue  # "does not seek to overturn": what is not asked is no request
        for a in _actions(p, r):
            family = _family(p, a)
            if not family:
                continue
            subjects = {k for c in p.children(a) if p.words[c].dep in ("nsubj", "nsubjpass") for k in _under(p, c)}
            acted = sorted(_under(p, a) - subjects)
            nouns = [k for k in acted if p.words[k].pos in ("NOUN", "PROPN") and p.words[k].lemma not in _GENERAL]
            said = tuple((p.words[k].lemma, _depth(p, k, a), p.words[k].end) for k in nouns)
            out.append(Request(m, family, said, _requester(p, r), p.words[a].start))
    return out


def request_findings(
    articles: Sequence[Article], groups: Sequence[Group], index: dict[str, Mention]
) -> list[Discrepancy]:
    """One finding per pair of outlets that tell one request as asking for two remedies, anywhere in the story.

    Each outlet's requests are pooled: an outlet that names the other's remedy for the same thing anywhere
    (in another paragraph, or as a later step) has told it, and nothing is flagged. Pairs in one aligned group
    come first."""
    # Only sentences with a request word are parsed: most have none, and a parse costs far more.
    mentions = [m for a in articles for s in a.sentences if (m := index.get(s.id)) and _ASKS.search(s.text)]
    if len({m.outlet for m in mentions}) < 2:
        return []
    parse_all(m.sentence.text for m in mentions)
    requests = [x for m in mentions if (p := parse(m.sentence.text)) is not None for x in _requests(m, p)]
    home_of: dict[str, str] = {}
    for g in groups:
        for sid in g.sentences:
            home_of.setdefault(sid, g.id)
    pairs = [
        (a, b)
        for i, a in enumerate(requests)
        for b in requests[i + 1 :]
        if a.at.outlet != b.at.outlet and a.at.sentence.id in home_of and a.targets & b.targets
    ]
    pairs.sort(key=lambda ab: home_of.get(ab[0].at.sentence.id) != home_of.get(ab[1].at.sentence.id))
    found: list[Discrepancy] = []
    told: set[frozenset[str]] = set()
    for a, b in pairs:
        outlets = frozenset({a.at.outlet, b.at.outlet})
        if outlets in told or _tells(requests, a.at.outlet, b) or _tells(requests, b.at.outlet, a):
            continue  # one remedy in both (the range told, or two steps), or a pair already told
        if _two_parties(a, b):
            continue
        told.add(outlets)
        found.append(_finding(home_of, a, b))
    return found


def _tells(requests: Sequence[Request], outlet: str, x: Request) -> bool:
    """Does ``outlet`` ask anywhere for ``x``'s remedy on one of the things ``x`` acts on?"""
    return any(r.at.outlet == outlet and r.family == x.family and r.targets & x.targets for r in requests)


def _two_parties(a: Request, b: Request) -> bool:
    """ "The city asked" and "the union asked": two requests, each with its own requester."""
    if not a.requester or not b.requester or a.requester & b.requester:
        return False
    text_a, text_b = a.at.sentence.text.casefold(), b.at.sentence.text.casefold()
    return not any(w in text_b for w in a.requester) and not any(w in text_a for w in b.requester)


def _finding(home_of: dict[str, str], a: Request, b: Request) -> Discrepancy:
    shared = a.targets & b.targets
    # the noun both actions reach most directly ("the rule" they act on, not a name inside a clause about it)
    noun = min(sorted(shared), key=lambda n: max(a.depth(n), b.depth(n)))
    ea, eb = a.end(noun), b.end(noun)
    wa, wb = a.at.sentence.text[a.start : ea], b.at.sentence.text[b.start : eb]
    summary = f"What is asked: to {a.family}, “{wa}” ({a.at.outlet}) vs to {b.family}, “{wb}” ({b.at.outlet})"
    why = (
        f"The same request (on the {noun}) asks for a different remedy in each outlet (to {a.family} / to {b.family}); "
        "it may also be two steps of one case"
    )
    if home_of.get(a.at.sentence.id) != home_of.get(b.at.sentence.id):
        why += "; in sentences the outlets tell in different places"
    values = (span_of(a.at, a.start, ea), span_of(b.at, b.start, eb))
    home = home_of[a.at.sentence.id]
    return Discrepancy("", "claim", home, summary, values, outlets_of([a.at, b.at]), "request", 0.45, why=why)
