"""What every kind of difference finder works on: one outlet's sentence, and the spans and labels made from it.

Shared by the per-kind finders (figures, names, quotes, claims, wording) and the story-wide pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.model import Article, Group, Sentence, Span


@dataclass(frozen=True)
class Mention:
    """Something found in one outlet's sentence of a group."""

    outlet: str
    order: int  # the outlet's article position, for stable output
    sentence: Sentence


def span_of(m: Mention, start: int, end: int) -> Span:
    return Span(m.sentence.id, m.sentence.text[start:end], start, end)


def outlets_of(mentions: Sequence[Mention]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    for m in mentions:
        seen.setdefault(m.outlet, m.order)
    return tuple(sorted(seen, key=seen.__getitem__))


def by_outlet(group: Group, index: dict[str, Mention]) -> list[Mention]:
    found = [index[s] for s in group.sentences if s in index]
    return sorted(found, key=lambda m: (m.order, m.sentence.start))


def index_sentences(articles: Sequence[Article]) -> dict[str, Mention]:
    return {s.id: Mention(a.outlet, i, s) for i, a in enumerate(articles) for s in a.sentences}


def quoted(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


# Words that say nothing about what a figure or a sentence is about.
CONTEXT_STOP = frozenset(
    "the a an of in on at to for and or but is are was were be been by with as that this it its from has have had "
    "he she they their his her said says about some more than less within nearly around".split()
)
