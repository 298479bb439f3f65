"""How two outlets' versions of a quote differ: the same words, a plain excerpt, shortened, extended, reworded.

Outlets often quote different stretches of one statement, and that is ordinary partial quoting. Only
differences inside the stretch both quote say anything about quote integrity: a word left out
("could have been worse" for "could have been a lot worse"), an editor's insertion in brackets
("[local]"), or other words ("coming in January" for "that will come into Washington in January").
Two remarks that share a few words ("the fact that", "so many") are two remarks, not one reworded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from reader.differences.names import SAME_PERSON, name_relation
from reader.differences.quotes import CENSORED, Quote, QuoteWord, pieces, quote_words

QuoteRelation = Literal[
    "same", "part", "shortened quote", "extended quote", "reworded quote", "reordered quote", "cut short", "unrelated"
]
Op = tuple[str, int, int, int, int]  # difflib opcode over the two quotes' words

# Words too common to anchor a shared stretch on their own ("that", "of the").
_WEAK = frozenset(
    "the a an of in on at to for and or but is are was were be been it its that this these those we i you he she "
    "they our my your his her their with as by from so just there have has had do did not".split()
)


@dataclass(frozen=True)
class QuoteDiff:
    """Two quotes (or the stretches of them that were compared) and how they relate."""

    relation: QuoteRelation
    a: Quote  # the quote, or the stretch between its ellipses, that was compared
    b: Quote
    ops: tuple[Op, ...]  # the differing word opcodes inside the stretch both quote
    matched: int  # words the two have in common
    longest: int  # the longest run of words in common


def same_speaker(a: Quote, b: Quote) -> bool:
    if a.speaker_name and b.speaker_name:
        return name_relation(a.speaker_name, b.speaker_name) in SAME_PERSON
    return False


def _similar(x: str, y: str) -> bool:
    """One word written two ways ("players"/"player", "hostage-taking"/"hostage"), not two words."""
    if x == y:
        return True
    if min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x)):
        return True
    return fuzz.ratio(x, y) >= 75


def _shared_ops(wa: tuple[str, ...], wb: tuple[str, ...]) -> tuple[list[Op], int, int]:
    """The opcodes inside the stretch both quotes share, the words matched, and the longest run.

    The shared stretch runs from the first to the last run of two or more words in common (or of one word
    that is not a weak word, or that both quotes start or end with); what lies beyond it on either side is a
    different stretch of the statement. A replaced word just beyond it counts only when it is the same word
    written another way; other words there on both sides mean the quotes go their own ways.
    """
    ops: list[Op] = list(SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes())

    def anchor(op: Op) -> bool:
        tag, i1, i2, j1, j2 = op
        both_ends = (i1 == j1 == 0) or (i2 == len(wa) and j2 == len(wb))  # "The [local] ferry" / "The ferry"
        return tag == "equal" and (i2 - i1 >= 2 or wa[i1] not in _WEAK or both_ends)

    anchors = [k for k, op in enumerate(ops) if anchor(op)]
    if not anchors:
        return [], 0, 0
    first, last = anchors[0], anchors[-1]
    inside = [op for op in ops[first : last + 1] if op[0] != "equal"]
    equal = [op for op in ops[first : last + 1] if op[0] == "equal"]
    matched = sum(i2 - i1 for _, i1, i2, _, _ in equal)
    longest = max(i2 - i1 for _, i1, i2, _, _ in equal)
    # A word replaced just beyond either end, when it is that word written another way ("activities"/"activity").
    diverge = False  # both quotes go on beyond the shared stretch, each with words of its own
    if first > 0 and ops[first - 1][0] == "replace":
        _, i1, i2, j1, j2 = ops[first - 1]
        if _similar(wa[i2 - 1], wb[j2 - 1]):
            inside.insert(0, ("replace", i2 - 1, i2, j2 - 1, j2))
        else:
            diverge = True
    if last + 1 < len(ops) and ops[last + 1][0] == "replace":
        _, i1, i2, j1, j2 = ops[last + 1]
        if _similar(wa[i1], wb[j1]):
            inside.append(("replace", i1, i1 + 1, j1, j1 + 1))
        else:
            diverge = True
    if diverge and inside and longest < 5:
        return [], 0, 0  # a short shared phrase inside two remarks that each go their own way
    return inside, matched, longest


@lru_cache(maxsize=16384)
def compare_stretches(a: Quote, b: Quote) -> QuoteDiff:
    """How two quotes relate, compared as wholes (see ``compare_quotes`` for stretches between ellipses)."""
    return _compare(a, b)


def _uncensored(wa: tuple[str, ...], wb: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A censored word ("b*" for "b----") read as the word the other version spells out ("bitch"), when that
    version has one word that starts so: the same insult, printed two ways."""

    def fill(x: tuple[str, ...], y: tuple[str, ...]) -> tuple[str, ...]:
        out = list(x)
        for k, w in enumerate(x):
            if w.endswith(CENSORED):
                hidden = [v for v in y if v.startswith(w[:-1]) and len(v) > len(w) - 1 and not v.endswith(CENSORED)]
                if len(set(hidden)) == 1:
                    out[k] = hidden[0]
        return tuple(out)

    return fill(wa, wb), fill(wb, wa)


def _compare(a: Quote, b: Quote) -> QuoteDiff:
    wa, wb = _uncensored(a.words, b.words)
    if wa == wb:
        return QuoteDiff("same", a, b, (), len(wa), len(wa))
    if not wa or not wb:
        return QuoteDiff("unrelated", a, b, (), 0, 0)
    inside, matched, longest = _shared_ops(wa, wb)
    overlap = matched / min(len(wa), len(wb))
    related = (overlap >= 0.5 and longest >= 2) or (same_speaker(a, b) and overlap >= 0.3 and longest >= 4)
    # Other words in place of as many words as the two share: two remarks, not one reworded. (A long
    # stretch left out of one version is still one remark shortened.)
    changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in inside)
    if not related or (any(op[0] == "replace" for op in inside) and changed > matched):
        return QuoteDiff("unrelated", a, b, (), matched, longest)  # two remarks that share some words
    if not inside:
        cut = cut_short(a, b)
        if cut is not None:
            return QuoteDiff("cut short", a, b, (cut,), matched, longest)
        return QuoteDiff("part", a, b, (), matched, longest)  # each quotes a stretch of the same words
    if {op[0] for op in inside} in ({"insert"}, {"delete"}):
        extra = _extra_words(a, b, inside)
        kind: QuoteRelation = "extended quote" if extra and all(w.bracketed for w in extra) else "shortened quote"
        if kind == "shortened quote" and _moved(extra, a, b, inside):
            kind = "reordered quote"  # "A, B and C" / "B, A and C": nothing is left out, the order changed
        return QuoteDiff(kind, a, b, tuple(inside), matched, longest)
    return QuoteDiff("reworded quote", a, b, tuple(inside), matched, longest)


_CONTINUES = re.compile(r"^\s*(?:[,;:]|\s[—–-]{1,2})\s")


def cut_short(a: Quote, b: Quote) -> Op | None:
    """The words one version quotes on after the other ends the sentence: “We will rebuild.” against “We will
    rebuild, and we will be stronger.” (an op over the longer version's extra words), or None. Quoting a
    stretch is ordinary; closing it with a full stop where the speaker went on changes the sentence."""
    for x, y, flip in ((a, b, False), (b, a, True)):
        wx, wy = quote_words(x.text), quote_words(y.text)
        if len(wx) < 4 or len(wy) < len(wx) + 3 or not re.fullmatch(r"[.!?]", x.text[wx[-1].end :].strip()):
            continue
        if not x.text[:1].isupper():
            continue  # a fragment woven into the writer's sentence ends with the writer's full stop
        tail = tuple(w.norm for w in wx[-4:])  # the short version's last words, found in the longer one
        ends = [k + 4 for k in range(len(wy) - 3) if tuple(w.norm for w in wy[k : k + 4]) == tail]
        if len(ends) != 1 or len(wy) - ends[0] < 3 or not _CONTINUES.match(y.text[wy[ends[0] - 1].end :]):
            continue
        k = ends[0]
        return ("delete", k, len(wy), len(wx), len(wx)) if flip else ("insert", len(wx), len(wx), k, len(wy))
    return None


def _moved(extra: list[QuoteWord], a: Quote, b: Quote, ops: list[Op]) -> bool:
    """Do the words one version "leaves out" stand elsewhere in it, outside the stretch compared?"""
    shorter = b.words if ops[0][0] == "delete" else a.words
    left = list(shorter)
    for w in extra:
        if w.norm in _WEAK or w.norm not in left:  # "the" stands everywhere: it says nothing moved
            return False
        left.remove(w.norm)
    return len(shorter) >= len(extra) + 2


def _extra_words(a: Quote, b: Quote, ops: list[Op]) -> list[QuoteWord]:
    """The words one version has that the other leaves out (ops are all deletes or all inserts)."""
    qa, qb = quote_words(a.text), quote_words(b.text)
    return [w for _, i1, i2, j1, j2 in ops for w in (qa[i1:i2] if i2 > i1 else qb[j1:j2])]


@lru_cache(maxsize=16384)
def compare_quotes(a: Quote, b: Quote) -> QuoteDiff:
    """How ``a`` and ``b`` relate. A quote with ellipses ("A...B") is also compared stretch by stretch,
    since its stretches may be quoted in two sentences elsewhere; the closest relation wins."""
    whole = _compare(a, b)
    if whole.relation != "unrelated" or not (a.has_ellipsis or b.has_ellipsis):
        return whole
    best = whole
    for pa in pieces(a):
        for pb in pieces(b):
            d = _compare(pa, pb)
            if d.relation != "unrelated" and (best.relation == "unrelated" or d.matched > best.matched):
                best = d
    return best


def quote_relation(a: Quote, b: Quote) -> QuoteRelation:
    """How two quotes relate: the same words, an excerpt, shortened, extended, reworded, or unrelated."""
    return compare_quotes(a, b).relation


def _stretch(q: Quote, words: tuple[QuoteWord, ...], i: int, j: int) -> str:
    return q.text[words[i].start : words[j - 1].end] if i < j else ""


def differing_words(a: Quote, b: Quote) -> tuple[str, str]:
    """The words that differ inside two versions of a quote, as written in each ("…" joins separate places)."""
    d = compare_quotes(a, b)
    wa, wb = quote_words(d.a.text), quote_words(d.b.text)
    left = [_stretch(d.a, wa, i1, i2) for _, i1, i2, _, _ in d.ops if i2 > i1]
    right = [_stretch(d.b, wb, j1, j2) for _, _, _, j1, j2 in d.ops if j2 > j1]
    return " … ".join(left), " … ".join(right)


def in_context(a: Quote, b: Quote) -> tuple[str, str]:
    """Each version's differing words with one shared word either side, as written: "administration coming
    in" / "administration that will come into Washington in"; separate places are joined by "…"."""
    d = compare_quotes(a, b)
    wa, wb = quote_words(d.a.text), quote_words(d.b.text)
    left, right = [], []
    for _, i1, i2, j1, j2 in d.ops:
        left.append(_stretch(d.a, wa, max(0, i1 - 1), min(len(wa), i2 + 1)))
        right.append(_stretch(d.b, wb, max(0, j1 - 1), min(len(wb), j2 + 1)))
    return " … ".join(x for x in left if x), " … ".join(x for x in right if x)
