"""What a sentence claims and how firmly: outcome words, who the claim is attributed to, hedges.

Small, general lexicons rather than a model: they catch the differences a
careful reader notices ("repelled" vs "captured", "officials said" vs "the
group claimed", "reportedly" vs stated as fact). The summaries say these are
cues, and the confidence stays moderate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

# Pairs of outcome families: a sentence using one side contradicts one using the other.
OUTCOME_PAIRS: tuple[tuple[str, str, str, str], ...] = (
    (
        "held off the attack",
        r"repell?(?:ed|s)?|repulsed|fought off|beat back|beaten back|held off|thwarted|foiled|defended|"
        r"recaptured|retook|retaken|regained",
        "took the place",
        r"captured|seized|seize|seizes|seizing|overran|overrun|took control of|taken control of|fell to|stormed|"
        r"took over",
    ),
    # "X defeated Y" is X's win; only the passive ("was defeated") is a loss
    (
        "won",
        r"won|wins|victory|victorious|elected|re-elected|defeated",
        "lost",
        r"lost|loses|(?:was|were|been|be)\s+defeated|conceded defeat",
    ),
    ("acquitted", r"acquitted|cleared|found not guilty", "convicted", r"convicted|found guilty|sentenced"),
    ("rose", r"rose|increased|climbed|jumped|surged", "fell", r"fell|decreased|dropped|declined|plunged"),
    ("approved", r"approved|passed|accepted|agreed to", "rejected", r"rejected|blocked|refused|vetoed|turned down"),
    ("survived", r"survived|rescued|alive", "died", r"died|killed|dead|perished"),
)
# "can repel", "tried to enter", "did not capture": an ability, an aim or a denial, not an outcome.
_NOT_AN_OUTCOME = re.compile(
    r"\b(?:can|could|cannot|will|would|may|might|must|shall|should|to|not|never|n[’']t)\s+(?:[a-z]+ly\s+)?$", re.I
)
_OUTCOMES = tuple(
    (name_a, re.compile(rf"\b(?:{a})\b", re.I), name_b, re.compile(rf"\b(?:{b})\b", re.I))
    for name_a, a, name_b, b in OUTCOME_PAIRS
)
# Wording that says the writer does not vouch for the fact.
_HEDGE = re.compile(
    r"\b(?:(?:is|are|was|were)\s+)?(?:said|believed|thought|reported|alleged|understood|feared)\s+to\s+(?:have|be)\b|"
    r"\breportedly\b|\ballegedly\b|\bpurportedly\b|\bapparently\b|\bpurporting\b|\bunconfirmed\b|"
    r"\bappears?\s+to\b|\bappeared\s+to\b|\bseem(?:s|ed)?\s+to\b|\bmay\s+have\b|\bmight\s+have\b|"
    r"\bcould\s+not\s+be\s+(?:independently\s+)?(?:verified|confirmed)\b|\bnot\s+(?:been\s+)?independently\s+"
    r"(?:verified|confirmed)\b|\bno\s+way\s+(?:of|to)\s+(?:independently\s+)?(?:verify|verifying|confirm|confirming)\b|"
    r"\bunverified\b",
    re.I,
)
_NEUTRAL_VERBS = r"said|says|told|announced|reported|confirmed|stated|added"
_DISTANCING_VERBS = r"claimed|claims|claiming|alleged|alleges|insisted|insists|boasted"
_ATTRIB = re.compile(
    rf"\b(?P<subj>(?:[\w’'-]+\s+){{0,2}}?[\w’'-]+)\s+(?P<verb>{_NEUTRAL_VERBS}|{_DISTANCING_VERBS})\b|"
    rf"\b(?P<verb2>{_NEUTRAL_VERBS}|{_DISTANCING_VERBS})\s+(?P<subj2>(?:the\s+|a\s+)?[\w’'-]+(?:\s+[\w’'-]+)?)|"
    r"\baccording\s+to\s+(?P<subj3>(?:the\s+|a\s+)?[\w’'-]+(?:\s+[\w’'-]+)?)",
    re.I,
)
# Who speaks, by kind: the same fact from "officials" and from "the group" is a different claim.
SOURCE_KINDS = {
    "authorities": "officials official government ministry military army police authorities spokesman spokeswoman "
    "minister ministers mayor governor officers commander court prosecutors prosecutor",
    "witnesses": "residents resident witnesses witness eyewitnesses locals survivors villagers doctors doctor",
    "the other side": "militants rebels insurgents group fighters opposition defence defense lawyers",
    "media": "media reports report agency newspaper television broadcaster",
}
_KIND_OF = {w: kind for kind, words in SOURCE_KINDS.items() for w in words.split()}


@dataclass(frozen=True)
class Cue:
    """A piece of a sentence that says something about its claim."""

    kind: str  # "outcome", "hedge", "attribution"
    text: str  # == sentence[start:end]
    start: int
    end: int
    value: str  # outcome family ("captured"), "hedged", or "said by authorities" / "claimed by the other side"


def _attribution(m: re.Match[str]) -> tuple[str, str]:
    verb = (m.group("verb") or m.group("verb2") or "said").casefold()
    subj = (m.group("subj") or m.group("subj2") or m.group("subj3") or "").casefold().split()
    kind = "+".join(sorted({_KIND_OF[w] for w in subj if w in _KIND_OF}))
    claimed = re.fullmatch(_DISTANCING_VERBS, verb) is not None
    return kind, "claimed" if claimed else "said"


def _outcomes(rx: re.Pattern[str], text: str) -> list[re.Match[str]]:
    return [h for h in rx.finditer(text) if not _NOT_AN_OUTCOME.search(text[max(0, h.start() - 30) : h.start()])]


@lru_cache(maxsize=8192)
def find_cues(text: str) -> tuple[Cue, ...]:
    cues: list[Cue] = []
    for name_a, rx_a, name_b, rx_b in _OUTCOMES:
        hits_b = _outcomes(rx_b, text)
        taken = [h.span() for h in hits_b]
        hits_a = [h for h in _outcomes(rx_a, text) if not any(s <= h.start() < e for s, e in taken)]
        if hits_a and hits_b:
            continue  # both sides in one sentence: a narrative, not a verdict
        for hit, name in [(h, name_a) for h in hits_a] + [(h, name_b) for h in hits_b]:
            cues.append(Cue("outcome", hit.group(), hit.start(), hit.end(), name))
    for m in _HEDGE.finditer(text):
        cues.append(Cue("hedge", m.group(), m.start(), m.end(), "hedged"))
    for m in _ATTRIB.finditer(text):
        kind, verb = _attribution(m)
        if kind or verb == "claimed":
            cues.append(Cue("attribution", m.group(), m.start(), m.end(), f"{verb} by {kind or 'someone'}"))
    cues.sort(key=lambda c: c.start)
    return tuple(cues)


# Words that hand a statement to a source: the writer reports it rather than vouching for it.
_SOURCED = re.compile(
    r"\b(?:said|says|say|told|tells|according\s+to|reported|reports|believed|believes|stated|claimed|claims|"
    r"alleged|alleges|announced|confirmed|citing|cited|testified|wrote|writes|estimated|estimates|"
    r"(?:court\s+)?(?:records|documents?|papers|filings?)\s+(?:show|showed|say|said|state|stated))\b",
    re.I,
)


def attributes(text: str) -> bool:
    """Does the sentence hand its statement to a source ("the department said", "according to police")?"""
    return _SOURCED.search(text) is not None


def outcome_pair(value_a: str, value_b: str) -> bool:
    """Are two outcome families opposite sides of one pair?"""
    return any({value_a, value_b} == {a, b} for a, _, b, _ in OUTCOME_PAIRS)


_NOT_TELLERS = frozenset(
    "he she it they we i you who which that this there one the a an its their his her is are was were be been "
    "has have had also and but as".split()
)


def tellers(text: str) -> frozenset[str]:
    """Who the sentence has its statement from, one key per teller: the kind of source when a word of it is a known
    one ("police" and "county officials" are both "authorities"), else its head word ("organisers", a surname).
    Empty when nobody is named ("he said", or no attribution)."""
    out = set()
    for m in _ATTRIB.finditer(text):
        if re.match(r"\s+to\s", text[m.end() :]):
            continue  # "militants said to have killed": a hedge, not a teller
        said = (m.group("subj") or m.group("subj2") or m.group("subj3") or "").split()
        words = [w.strip("’'") for w in said if w.strip("’'").casefold() not in _NOT_TELLERS]
        if not words:
            continue
        kinds = {_KIND_OF[w.casefold()] for w in words if w.casefold() in _KIND_OF}
        # "Police said", "according to the county coroner": the last word; "said Mayor Ana": the first
        out |= kinds or {words[0] if m.group("subj2") else words[-1]}
    return frozenset(out)


def tellers_apart(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sentences that have a statement from different sources ("police said" / "organisers said"); a name
    spelt two ways ("Yousef" / "Youssef") is one teller."""
    fa, fb = {x.casefold() for x in a}, {y.casefold() for y in b}
    return bool(fa and fb) and not any(x == y or SequenceMatcher(None, x, y).ratio() >= 0.8 for x in fa for y in fb)
