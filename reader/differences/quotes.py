"""Quoted speech, who said it, and how two outlets' versions of a quote differ.

Quote integrity is a media-literacy lesson: a quote cut with an ellipsis or
"tidied" into other words is worth pointing out even when the meaning survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from reader.differences.names import core_tokens, find_names, name_relation
from reader.differences.worddiff import tokens

QuoteRelation = Literal["same", "part", "shortened quote", "reworded quote", "unrelated"]


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words without the quote marks, == source[start:end]
    start: int
    end: int
    speaker: str = ""  # as written: "coast guard spokeswoman Captain Ana Ruiz", "he", "a farmer"
    speaker_name: tuple[str, ...] = ()  # core tokens of the speaker's name when one is given

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(t.norm for t in tokens(self.text) if t.is_word)

    @property
    def has_ellipsis(self) -> bool:
        return "…" in self.text or "..." in self.text


_PAIR = re.compile(r"[\"“„«]([^\"“”„«»]+)[\"”»]?")
_VERBS = r"(?:said|says|told|added|stated|warned|explained|insisted|claimed|wrote|tweeted|declared|announced)"
_AFTER = re.compile(rf"^[\s,.;:]*(?:{_VERBS}\s+(?P<a>[^,.;:\"“”]+)|(?P<b>[^,.;:\"“”]{{1,80}}?)\s+{_VERBS}\b)")
_BEFORE = re.compile(
    rf"(?P<s>[^,.;:\"“”]{{1,80}}?)\s+{_VERBS}(?:\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?(?:\s+that)?[\s,:]*$"
)
_ACCORDING = re.compile(r"according\s+to\s+(?P<s>[^,.;:\"“”]+)", re.I)
_PRONOUNS = frozenset({"He", "She", "They", "It", "We", "I"})
_SPEAKER_TAIL = re.compile(r"\s+(?:in|on|at|to|during|after|before|from|who|when|while|as)\s.*$")


def _clean_speaker(phrase: str) -> str:
    phrase = _SPEAKER_TAIL.sub("", phrase.strip())
    return phrase.strip(" ,")


def _speaker(text: str, start: int, end: int) -> str:
    after = _AFTER.match(text[end : end + 120])
    if after:
        return _clean_speaker(after.group("a") or after.group("b") or "")
    before = _BEFORE.search(text[max(0, start - 121) : max(0, start - 1)])
    if before:
        return _clean_speaker(before.group("s"))
    according = _ACCORDING.search(text)
    return _clean_speaker(according.group("s")) if according else ""


def _quote(text: str, inner: str, start: int, speaker: str) -> Quote:
    names = [n for n in find_names(speaker) if n.kind in ("person", "other")] if speaker else []
    if names:
        name = names[-1].tokens
    elif re.fullmatch(r"[A-Z][\w’'-]+", speaker) and speaker not in _PRONOUNS:
        name = core_tokens(speaker)  # a surname on its own: "..., Volkov said."
    else:
        name = ()
    return Quote(inner, start, start + len(inner), speaker, name)


@lru_cache(maxsize=8192)
def find_quotes(text: str) -> tuple[Quote, ...]:
    """Quoted passages of three words or more, with their speaker when the sentence names one.

    Short scare quotes ("historic") are left out: they are words, not speech to compare.
    """
    out: list[Quote] = []
    for m in _PAIR.finditer(text):
        inner_start, inner_end = m.start(1), m.end(1)
        # A quote that runs past the sentence end (multi-sentence speech) has no closing mark here.
        inner = text[inner_start:inner_end].rstrip()
        if len(re.findall(r"\w+", inner)) < 3:
            continue
        inner = inner.rstrip(",;: ")
        out.append(_quote(text, inner, inner_start, _speaker(text, m.start(), m.end())))
    if not out:
        closing = re.match(r"^([^\"“”]{12,})[\"”]", text)  # the end of a quote opened in an earlier sentence
        if closing and len(re.findall(r"\w+", closing.group(1))) >= 3:
            inner = closing.group(1).rstrip(",;: ")
            out.append(_quote(text, inner, 0, _speaker(text, 0, closing.end())))
    return tuple(out)


def same_speaker(a: Quote, b: Quote) -> bool:
    if a.speaker_name and b.speaker_name:
        return name_relation(a.speaker_name, b.speaker_name) in ("same", "shortened", "spelling variant")
    return False


def _inner_ops(a: Quote, b: Quote) -> list[tuple[str, int, int, int, int]]:
    """Word opcodes between two quotes, without the stretches one quote has beyond the other's ends.

    Outlets often quote different stretches of one statement; only differences
    inside the stretch both quote say anything about quote integrity.
    """
    ops = SequenceMatcher(None, a.words, b.words, autojunk=False).get_opcodes()
    while ops and ops[0][0] in ("insert", "delete"):
        ops = ops[1:]
    while ops and ops[-1][0] in ("insert", "delete"):
        ops = ops[:-1]
    if ops and ops[-1][0] == "replace":
        # "activities between X and Y" vs "activity" at the end: compare only as many words as both have.
        tag, i1, i2, j1, j2 = ops[-1]
        n = min(i2 - i1, j2 - j1)
        ops[-1] = (tag, i1, i1 + n, j1, j1 + n)
    if ops and ops[0][0] == "replace":
        tag, i1, i2, j1, j2 = ops[0]
        n = min(i2 - i1, j2 - j1)
        ops[0] = (tag, i2 - n, i2, j2 - n, j2)
    return [op for op in ops if op[0] != "equal"]


def quote_relation(a: Quote, b: Quote) -> QuoteRelation:
    """How two quotes relate: the same words, one a plain excerpt of the other, shortened, reworded, or unrelated."""
    wa, wb = a.words, b.words
    if wa == wb:
        return "same"
    if not wa or not wb:
        return "unrelated"
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    blocks = [blk for blk in matcher.get_matching_blocks() if blk.size]
    matched = sum(blk.size for blk in blocks)
    longest = max((blk.size for blk in blocks), default=0)
    overlap = matched / min(len(wa), len(wb))
    if (overlap < 0.5 or longest < 2) and not (same_speaker(a, b) and overlap >= 0.3 and longest >= 2):
        return "unrelated"
    inner = _inner_ops(a, b)
    if not inner:
        return "part"  # each quotes a stretch of the same words: ordinary partial quoting
    if all(op[0] in ("insert", "delete") for op in inner) and len({op[0] for op in inner}) == 1:
        return "shortened quote"  # words left out inside the quote, with or without an ellipsis
    return "reworded quote"


def differing_words(a: Quote, b: Quote) -> tuple[str, str]:
    """The words that differ inside two versions of a quote, as written in each ("…" joins separate places)."""
    ta = [t for t in tokens(a.text) if t.is_word]
    tb = [t for t in tokens(b.text) if t.is_word]
    left: list[str] = []
    right: list[str] = []
    for _, i1, i2, j1, j2 in _inner_ops(a, b):
        if i1 < i2:
            left.append(a.text[ta[i1].start : ta[i2 - 1].end])
        if j1 < j2:
            right.append(b.text[tb[j1].start : tb[j2 - 1].end])
    return " … ".join(left), " … ".join(right)


def speaker_label(q: Quote) -> str:
    """The speaker for a summary line: the name when there is one, else the phrase ("a farmer")."""
    names = find_names(q.speaker) if q.speaker_name else ()
    return names[-1].text if names else q.speaker
