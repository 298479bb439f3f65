"""Sentences with exact positions, for news prose.

pysbd (rule-based, the Golden Rules set) splits each paragraph; we then repair
the few things news copy does that it gets wrong, and locate every sentence in
the paragraph ourselves, because a highlight must land on the right letters:
``body[start:end] == text`` always holds.

pysbd was chosen over syntok after measuring both on 25 hand-marked news
paragraphs (tests/data/intake/sentences_gold.json): pysbd split 24 exactly
right, syntok 21 (it cuts inside multi-sentence quotations and after "Gov."),
and pysbd plus the repairs below gets all 25. syntok is about ten times faster,
but pysbd costs only ~30 ms for the five demo articles because paragraphs with
no inner sentence end skip it and long ones are fed to it in 2 kB pieces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from reader.model import Sentence
from reader.text import normalise

PARAGRAPH_SEPARATOR = "\n\n"


# Titles and short forms after which a full stop does not end a sentence in news copy.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt cpt sgt cpl adm cmdr brig gov sen rep rev fr st sr jr hon pres "
    "no nos vol art fig ft jan feb mar apr jun jul aug sep sept oct nov dec mt ave blvd dept est inc ltd corp co "
    "vs etc al approx".split()
)
_LAST_WORD = re.compile(r"([A-Za-z]+)\.[\"'”’)]*\s*$")
_INITIALISM_END = re.compile(r"(?:\b[A-Z]\.){2,}\s*$")  # "U.S." "U.N." at a segment end
_CLOCK_END = re.compile(r"\b[ap]\.m\.\s*$", re.IGNORECASE)
# What may follow a clock time inside one sentence: its day, its date ("Sept. 8", "March 3, 2019") or its
# time zone ("ET", "GMT", "local time"). A new sentence seldom opens with any of these, while news copy
# writes "at 3:20 p.m. Sept. 8" all the time, and pysbd ends the sentence at "p.m.".
_DAY_OR_ZONE = re.compile(
    r"(?i:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|(?:GMT|UTC|BST|CES?T|[ECMP][SD]?T|local time)\b"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
)
_CHUNK = 2000
_CHUNK_END = re.compile(r"[.!?]['\"”’)]*\s+(?=[\"“‘']?[A-Z])")
_INNER_STOP = re.compile(r"[.!?…؟;]['\"”’)\]]*\s+\S")
_ARABIC_STOP = re.compile(r"(?<=[؟۔])\s+")
_BULLET = re.compile(r"^\s*(?:[-–*•·▪●◦‣■□▸►▶◆♦◼➤✓✔]|\d{1,2}[.)])\s+")


@lru_cache(maxsize=1)
def _segmenter() -> Any:  # pysbd has no type hints
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _continues(previous: str, following: str) -> bool:
    """Should ``following`` be glued back onto ``previous`` (a split pysbd should not have made)?"""
    stripped = following.lstrip()
    if not stripped:
        return True
    if stripped[0].islower() or stripped[0] in ",;:)]}" or (stripped[:1] in ("”", "’") and len(stripped) < 3):
        return True
    word = _LAST_WORD.search(previous)
    if word and word.group(1).lower() in _ABBREVIATIONS and previous.rstrip()[-1] == ".":
        return True
    if _CLOCK_END.search(previous) and _DAY_OR_ZONE.match(stripped):
        return True  # "at 2 a.m. Saturday", "at 3:20 p.m. Sept. 8": the time runs on into its day or date
    # "the U.S. Army" splits after "U.S." only when the next word is a name, not a new sentence.
    return bool(_INITIALISM_END.search(previous) and len(stripped.split()[0]) > 1 and stripped.split()[0].istitle()
                and len(stripped.split()) > 1 and stripped.split()[1][:1].isupper())


def _chunks(paragraph: str) -> list[str]:
    """A long paragraph cut at likely sentence ends into pieces pysbd handles quickly.

    pysbd's time grows faster than linearly with input length (2 s for 64 kB of
    prose here), so a pasted book-length paragraph must never reach it whole.
    The repairs in ``_continues`` run across the cuts, so a cut in a wrong place
    is mended like any other wrong split.
    """
    if len(paragraph) <= _CHUNK:
        return [paragraph]
    chunks: list[str] = []
    start = 0
    while len(paragraph) - start > _CHUNK:
        window = paragraph[start + _CHUNK // 2 : start + _CHUNK]
        ends = list(_CHUNK_END.finditer(window)) or list(re.finditer(r"\s+", window))
        cut = start + _CHUNK // 2 + ends[-1].end() if ends else start + _CHUNK
        chunks.append(paragraph[start:cut])
        start = cut
    chunks.append(paragraph[start:])
    return chunks


def _pieces(paragraph: str) -> list[str]:
    if not paragraph.strip():
        return []
    if not _INNER_STOP.search(paragraph.rstrip()):
        return [paragraph]  # nothing inside could end a sentence: spare pysbd the work
    raw = [s for chunk in _chunks(paragraph) for s in _segmenter().segment(chunk) if s.strip()]
    merged: list[list[str]] = []  # lists, not strings: thousands of merges must not copy text each time
    for piece in raw:
        if merged and _continues(merged[-1][-1], piece):
            merged[-1].append(piece)
        else:
            merged.append([piece])
    out: list[str] = []
    for parts in merged:
        out.extend(p for p in _ARABIC_STOP.split("".join(parts)) if p.strip())
    return out


def _locate(paragraph: str, pieces: Sequence[str]) -> list[tuple[int, int]]:
    """Exact (start, end) of each piece in the paragraph, trimmed of surrounding space."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        core = piece.strip()
        at = paragraph.find(core, cursor)
        if at < 0:
            # pysbd altered the text (it should not with clean=False): fall back to its first word.
            first = core.split()[0]
            at = paragraph.find(first, cursor)
            if at < 0:
                continue
            end = at + len(first)
        else:
            end = at + len(core)
        spans.append((at, end))
        cursor = end
    if spans:
        # Text pysbd skipped (never expected) stays with the last sentence rather than vanish.
        last_start, _ = spans[-1]
        spans[-1] = (last_start, len(paragraph.rstrip()))
    return spans


def split_sentences(paragraphs: Sequence[str], article_id: str) -> tuple[Sentence, ...]:
    """Sentences of ``paragraphs`` with ids "<article_id>.s1"..., offsets into the paragraphs joined by a blank line."""
    sentences: list[Sentence] = []
    offset = 0
    for p_index, paragraph in enumerate(paragraphs):
        for start, end in _locate(paragraph, _pieces(paragraph)):
            text = paragraph[start:end]
            if not any(ch.isalnum() for ch in text):
                continue
            sentences.append(
                Sentence(
                    id=f"{article_id}.s{len(sentences) + 1}",
                    text=text,
                    paragraph=p_index,
                    start=offset + start,
                    end=offset + end,
                    norm=normalise(text),
                )
            )
        offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return tuple(sentences)


def strip_bullet(line: str) -> str:
    """A fact-box line without its bullet marker (a suffix of the line, so nothing is invented)."""
    found = _BULLET.match(line)
    return line[found.end():] if found else line
