"""Word-level differences between aligned sentences, as character spans of the originals.

Matching runs on normalised word tokens (case, curly quotes, dashes) so "Kenya’s"
and "Kenya's" agree, while every chunk points back at the original characters
so the reader view highlights the right letters (the CollateX/Meld habit).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from reader.text import fold

DiffTag = Literal["equal", "replace", "delete", "insert"]

# A word keeps its inner apostrophes, hyphens and digit separators ("Kenya's",
# "well-known", "4,350", a clock time "7:15"); any other non-space character is a token of its own.
_TOKEN = re.compile(r"\w+(?:[’'.,\-‐‑–]\w+|(?<=\d):(?=\d)\w+)*|[^\w\s]", re.UNICODE)
# Inside a word, hyphens and apostrophes are spelling, not meaning: "co-ordinate" is "coordinate".
_INNER_MARKS = re.compile(r"(?<=\w)[’'\-‐‑–](?=\w)")


@dataclass(frozen=True)
class DiffChunk:
    """One difflib opcode, with character offsets into the two texts."""

    tag: DiffTag
    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True)
class Token:
    text: str
    norm: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum() or self.text[:1] == "_"


def tokens(text: str) -> tuple[Token, ...]:
    """Word and punctuation tokens; ``norm`` folds case, quote and dash variants and a word's inner marks
    (case and punctuation are never a difference between two outlets)."""
    return tuple(
        Token(m.group(), _INNER_MARKS.sub("", fold(m.group())), m.start(), m.end()) for m in _TOKEN.finditer(text)
    )


def _span(toks: Sequence[Token], i: int, j: int, text_len: int) -> tuple[int, int]:
    if i < j:
        return toks[i].start, toks[j - 1].end
    # An empty side sits where the other side's change happens: before token i.
    pos = toks[i].start if i < len(toks) else text_len
    return pos, pos


def word_diff(a: str, b: str) -> tuple[DiffChunk, ...]:
    """difflib opcodes over word tokens of ``a`` and ``b``, as character offsets."""
    ta, tb = tokens(a), tokens(b)
    matcher = SequenceMatcher(None, [t.norm for t in ta], [t.norm for t in tb], autojunk=False)
    chunks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a0, a1 = _span(ta, i1, i2, len(a))
        b0, b1 = _span(tb, j1, j2, len(b))
        chunks.append(DiffChunk(tag, a0, a1, b0, b1))
    return tuple(chunks)


def similarity(a: str, b: str) -> float:
    """Share of word tokens the two texts have in common, in order (difflib ratio)."""
    ta = [t.norm for t in tokens(a) if t.is_word]
    tb = [t.norm for t in tokens(b) if t.is_word]
    if not ta and not tb:
        return 1.0
    return SequenceMatcher(None, ta, tb, autojunk=False).ratio()


def changed_spans(text: str, others: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Character spans of ``text`` whose words most of ``others`` do not have.

    A word counts as changed when it is unmatched in more than half of the other
    versions (with one other version: unmatched in it). Neighbouring changed words
    merge into one span so a highlight covers "took control of" in one piece.
    """
    toks = tokens(text)
    if not others or not toks:
        return ()
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2([t.norm for t in toks])  # ``text`` is seq2 so difflib indexes it once
    unmatched = [0] * len(toks)
    for other in others:
        matched = [False] * len(toks)
        matcher.set_seq1([t.norm for t in tokens(other)])
        for block in matcher.get_matching_blocks():
            for k in range(block.b, block.b + block.size):
                matched[k] = True
        for k, ok in enumerate(matched):
            if not ok:
                unmatched[k] += 1
    spans: list[tuple[int, int]] = []
    for tok, misses in zip(toks, unmatched, strict=True):
        if not tok.is_word or misses * 2 <= len(others):
            continue
        if spans and _only_space_or_punct_between(text, spans[-1][1], tok.start):
            spans[-1] = (spans[-1][0], tok.end)
        else:
            spans.append((tok.start, tok.end))
    return tuple(spans)


def _only_space_or_punct_between(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return len(gap) <= 3 and not any(c.isalnum() for c in gap)
