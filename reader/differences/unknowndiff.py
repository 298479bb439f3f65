"""What one outlet says is not known, and another states: "the cause of the fire is under investigation" /
"the fire was caused by a faulty heater"; "the victim has not been identified" / "police identified the victim
as ..."; "her relationship to the couple was unclear" / "the mother of the bride was killed".

Three things news copy often leaves open are read: a cause, who someone is, and how someone is related to
the people of the story. The open side needs a word that says it is not known ("unclear", "not known", "has not
said", "under investigation", "too early to say", "not identified") and a word for the thing left open ("how",
"why", "what caused", "cause"; "identified", "identity", "name"; "relationship"). The stated side needs that
thing stated ("caused by", "blamed on", "died of", "pointed to"; "identified as"; a family word such as
"mother" or "stepson" in a sentence about someone killed or hurt).

Only for one event: the two sentences must name a same noun ("the rhinos", "the bride"), and an outlet that
states the thing anywhere itself has told both (an early "unclear" and a later answer). One outlet may simply
be older than the other, so the finding is worth a look.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.differences.attributes import noun_key
from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.parse import parse, parse_all
from reader.model import Article, Discrepancy, Group

_NOT_YET = r"not\s+(?:yet\s+|immediately\s+)?"  # "not yet known", "not immediately clear"
_OPEN = (
    rf"(?:is|are|was|were|remains?|remained)\s+(?:still\s+)?(?:unclear|{_NOT_YET}(?:clear|known)|unknown|"
    rf"under\s+investigation)|(?:has|have|had)\s+{_NOT_YET}(?:said|disclosed|released|been\s+(?:released|"
    rf"identified|determined|disclosed))|(?:was|were)\s+{_NOT_YET}(?:identified|named|released)|"
    r"(?:declined|refused)\s+to\s+(?:say|identify|name)|(?:did|would)\s+not\s+say|too\s+early\s+to\s+say|"
    r"could\s+not\s+(?:say|confirm)"
)
_OPEN_RX = re.compile(rf"\b(?:{_OPEN})\b", re.I)
# What is left open, near the open words.
_TOPIC_OPEN = {
    # "how many" or "how long" asks for a figure, not a cause
    "cause": re.compile(
        r"\b(?:how(?!\s+(?:many|much|long|far|often|soon|old|big|large|high|deep)\b)|why|"
        r"what\s+(?:may\s+have\s+)?(?:caused|led\s+to|triggered)|cause)\b",
        re.I,
    ),
    "identity": re.compile(r"\b(?:identified|identity|identities|names?d?)\b", re.I),
    "relationship": re.compile(r"\brelationships?\b", re.I),
}
_KIN = (
    r"mother|father|son|daughter|wife|husband|brother|sister|grandmother|grandfather|grandson|granddaughter|aunt|"
    r"uncle|cousin|niece|nephew|stepdaughter|stepson|stepfather|stepmother|fianc[ée]e?|girlfriend|boyfriend"
)
_TOPIC_STATED = {
    "cause": re.compile(
        r"\b(?:caused\s+by|blamed\s+on|due\s+to|because\s+of|died\s+(?:of|from)|pointed\s+to|(?:the\s+)?result\s+of|"
        r"attributed\s+to|triggered\s+by|sparked\s+by|traced\s+to|linked\s+to)\b(?:\s+[^\s,;.]+){1,5}",
        re.I,
    ),
    "identity": re.compile(r"\bidentified\s+(?:[\w’'-]+\s+){0,4}?as(?:\s+[^\s,;.]+){1,5}", re.I),
    "relationship": re.compile(rf"\b(?:{_KIN})\b(?:\s+of\s+(?:the\s+)?[\w-]+)?", re.I),
}
_CLAUSE = re.compile(r"(?:\s+[^\s,;.]+){0,6}")
# A family word tells how someone is related only in a sentence about someone killed or hurt.
_HARM = re.compile(r"\b(?:killed|died|dead|death|injured|hurt|wounded|victims?)\b", re.I)
_GENERAL = frozenset(
    "people person time official police authority statement report year day week be have say do tell make "
    "take get go come give".split()
)


@dataclass(frozen=True)
class Said:
    """One outlet's sentence that leaves a thing open, or states it."""

    at: Mention
    topic: str  # "cause", "identity", "relationship"
    open: bool
    start: int
    end: int


def _open(m: Mention) -> list[Said]:
    text = m.sentence.text
    found = _OPEN_RX.search(text)
    if found is None:
        return []
    out = []
    for topic, rx in _TOPIC_OPEN.items():
        # the thing left open is named near the words that leave it open, not anywhere in a long sentence
        hit = next((h for h in rx.finditer(text) if _near(h.span(), found.span())), None)
        if hit is not None:
            start, end = min(hit.start(), found.start()), max(hit.end(), found.end())
            if hit.start() > found.start():  # "has not said how" + "the rhinos died": the question's own words
                end += len(_CLAUSE.match(text, end).group())  # type: ignore[union-attr]
            out.append(Said(m, topic, True, start, end))
    return out


def _near(a: tuple[int, int], b: tuple[int, int], reach: int = 90) -> bool:
    return max(a[0], b[0]) - min(a[1], b[1]) <= reach


def _stated(m: Mention) -> list[Said]:
    text = m.sentence.text
    if _OPEN_RX.search(text):
        return []
    out = []
    for topic, rx in _TOPIC_STATED.items():
        if topic == "relationship" and not _HARM.search(text):
            continue
        hit = rx.search(text)
        if hit is not None:
            out.append(Said(m, topic, False, hit.start(), hit.end()))
    return out


def _words(text: str, verbs: bool) -> set[str]:
    """The nouns (and verbs) of a sentence that can tie it to an event ("rhino", "die"; "fire", "cause")."""
    p = parse(text)
    if p is None:
        return set()
    # "rhinos" may be parsed as a name, with itself for a lemma: the noun key makes it "rhino" either way
    keys = {noun_key(w.lemma) for w in p.words if w.pos in ("NOUN", "PROPN")}
    if verbs:
        keys |= {w.lemma for w in p.words if w.pos == "VERB"}
    return keys - _GENERAL


def _one_event(a: Said, b: Said) -> bool:
    """Do the two sentences name a same noun? Enough to pair an open question with another outlet's answer."""
    return bool(_words(a.at.sentence.text, False) & _words(b.at.sentence.text, False))


def _answers(a: Said, b: Said) -> bool:
    """Does ``b``, of the open outlet itself, answer ``a``? It takes two shared nouns or verbs: "rhinos" alone joins
    "how the rhinos died" to "moving rhinos needs care due to their value"; "fire" and "cause" join "the cause of
    the fire was unclear" to "the fire was caused by a heater"."""
    return len(_words(a.at.sentence.text, True) & _words(b.at.sentence.text, True)) >= 2


def unknown_findings(
    articles: Sequence[Article], groups: Sequence[Group], index: dict[str, Mention]
) -> list[Discrepancy]:
    """One finding per topic and pair of outlets where one leaves open what the other states."""
    mentions = [index[s.id] for a in articles for s in a.sentences if s.id in index]
    opened = [x for m in mentions for x in _open(m)]
    if not opened:
        return []
    stated = [x for m in mentions for x in _stated(m)]
    parse_all(x.at.sentence.text for x in opened + stated)
    home_of: dict[str, str] = {}
    for g in groups:
        for sid in g.sentences:
            home_of.setdefault(sid, g.id)
    found: list[Discrepancy] = []
    done: set[tuple[str, str, str]] = set()
    for a in opened:
        for b in stated:
            key = (a.topic, a.at.outlet, b.at.outlet)
            if b.topic != a.topic or b.at.outlet == a.at.outlet or key in done or a.at.sentence.id not in home_of:
                continue
            if not _one_event(a, b):
                continue  # nothing in common: another event's cause, another person
            if any(x.topic == a.topic and x.at.outlet == a.at.outlet and _answers(a, x) for x in stated):
                continue  # the open outlet states it for the same event too: it has told both
            done.add(key)
            found.append(_finding(a, b, home_of))
    return found


_SAID = {"cause": "the cause", "identity": "who it is", "relationship": "how someone is related"}


def _finding(a: Said, b: Said, home_of: dict[str, str]) -> Discrepancy:
    wa, wb = a.at.sentence.text[a.start : a.end], b.at.sentence.text[b.start : b.end]
    what = _SAID[a.topic]
    summary = f"Not known vs stated ({what}): “{wa}” ({a.at.outlet}) vs “{wb}” ({b.at.outlet})"
    why = (
        f"One outlet says {what} is not known or not said, another states it: one may be older, "
        "or have it from another source"
    )
    values = (span_of(a.at, a.start, a.end), span_of(b.at, b.start, b.end))
    outlets = outlets_of([a.at, b.at])
    return Discrepancy("", "claim", home_of[a.at.sentence.id], summary, values, outlets, "not known", 0.45, why=why)
