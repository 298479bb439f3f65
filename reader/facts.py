"""The fact table: per fact and outlet, which sentences tell it, their joined text, and what to mark.

CollateX computes one alignment table and hands it to every renderer; Parallax does the same. A
comparison's groups are facts in story order; each fact has one cell per outlet that reports it,
holding that outlet's sentences in article order, joined by one space, with the offsets of each
sentence in the joined text, the stretches a difference rests on and the words the other outlets
do not use. The app's table, the reader, classroom mode, the worksheet and every report read this
table; none of them regroups sentences or recomputes a mark.

Numbers: a fact's ``number`` is its place in story order (1-based) among all facts, so "Fact 7" is
the same fact on the table's row header, in the differences panel, on the projector and on paper.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from reader.differences.worddiff import Token, tokens
from reader.model import Agreement, Comparison, Discrepancy

JOIN = " "  # between two sentences of one outlet in one cell
# Above this share of a cell's characters, changed words are not marked (the cell is "reworded"):
# underlining most of a paraphrase tells the reader nothing and hides the marks that matter. Marks
# are for versions that are mostly alike. Measured on the demo and the seven invented stories
# (words as below, function words trimmed): at 0.6, 22-30% of the characters of shared facts were
# underlined; at 0.35, 2-11%, on 12-62% of the cells, the ones where a few words differ.
MOSTLY_CHANGED = 0.35
# Words that carry no fact of their own. A changed stretch is trimmed of them at either end and
# dropped when nothing else is left: "is" or "of the" underlined on their own made the marks noise.
# Negations and hedges ("not", "no", "only") change what a sentence says and are never trimmed.
FUNCTION_WORDS = frozenset(
    """a an the and or but nor so yet of in on at to for from by with as into onto upon over under
    about after before than then that this these those there here which who whom whose what when
    where while is are was were be been being am has have had having do does did it its he she
    they them their his her we our you your i me my also""".split()
)
_WORD = re.compile(r"\w+(?:[’'.\-]\w+)*", re.UNICODE)


@dataclass(frozen=True)
class CellMark:
    """A stretch of a cell's text to mark: where a difference rests (``kind`` its kind, ``label``
    its id) or, with ``kind == "changed"``, words most other outlets do not use in this fact."""

    start: int
    end: int
    kind: str
    label: str = ""


@dataclass(frozen=True)
class Cell:
    """One outlet's telling of one fact."""

    article: str  # article id
    outlet: str
    sentences: tuple[str, ...]  # sentence ids, in article order
    starts: tuple[int, ...]  # where each sentence begins in ``text``
    text: str  # the sentences joined by ``JOIN``
    disputed: tuple[CellMark, ...] = ()  # where differences rest, any fact's (a story-wide one may land here)
    changed: tuple[CellMark, ...] = ()  # words the other outlets' versions mostly lack; () when one outlet
    reworded: bool = False  # so much is worded differently that no word is marked (see MOSTLY_CHANGED)

    def sentence_range(self, sentence_id: str) -> tuple[int, int]:
        """Where ``sentence_id`` sits in ``text``."""
        i = self.sentences.index(sentence_id)
        start = self.starts[i]
        end = self.starts[i + 1] - len(JOIN) if i + 1 < len(self.starts) else len(self.text)
        return start, end

    def marks_in(self, sentence_id: str, *, changed: bool = True) -> tuple[CellMark, ...]:
        """This cell's marks that fall in one sentence, as offsets into that sentence's own text."""
        start, end = self.sentence_range(sentence_id)
        marks = (*self.disputed, *self.changed) if changed else self.disputed
        return tuple(
            CellMark(max(m.start, start) - start, min(m.end, end) - start, m.kind, m.label)
            for m in marks
            if m.start < end and m.end > start
        )


@dataclass(frozen=True)
class Nearest:
    """Where an outlet that does not report a fact came closest to it (``Group.nearest``): a weak match,
    shown so the reader can check whether that outlet tells the fact in other words."""

    article: str  # the other outlet's article id
    sentence: str  # its closest sentence
    fact: int  # the number of the fact that sentence sits in


@dataclass(frozen=True)
class Fact:
    """One group of the comparison, as every view shows it."""

    number: int  # 1-based story order among all facts: the number every view shows
    group: str  # group id
    cells: tuple[Cell, ...]  # the outlets that report it, in the comparison's article order
    differences: tuple[Discrepancy, ...]  # the comparison's discrepancies on this fact, in its order
    agreements: tuple[Agreement, ...]
    score: float
    nearest: tuple[Nearest, ...] = ()  # one per absent outlet that came near, in article order

    def nearest_in(self, article_id: str) -> Nearest | None:
        return next((n for n in self.nearest if n.article == article_id), None)

    @property
    def shared(self) -> bool:
        """Reported by two or more outlets: something to compare."""
        return len(self.cells) >= 2

    def cell(self, article_id: str) -> Cell | None:
        return next((c for c in self.cells if c.article == article_id), None)


@dataclass(frozen=True)
class FactTable:
    facts: tuple[Fact, ...]
    articles: tuple[str, ...]  # article ids, in the comparison's order
    _by_group: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    _by_sentence: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        by_group = {f.group: i for i, f in enumerate(self.facts)}
        by_sentence: dict[str, int] = {}
        for i, f in enumerate(self.facts):
            for c in f.cells:
                for sid in c.sentences:
                    by_sentence.setdefault(sid, i)  # a sentence in two groups belongs to the first
        object.__setattr__(self, "_by_group", MappingProxyType(by_group))
        object.__setattr__(self, "_by_sentence", MappingProxyType(by_sentence))

    def __len__(self) -> int:
        return len(self.facts)

    def index_of_group(self, group_id: str) -> int:
        """The fact's 0-based place in story order, or -1."""
        return self._by_group.get(group_id, -1)

    def index_of_sentence(self, sentence_id: str) -> int:
        return self._by_sentence.get(sentence_id, -1)

    def fact(self, group_id: str) -> Fact | None:
        i = self.index_of_group(group_id)
        return self.facts[i] if i >= 0 else None

    def shared(self) -> tuple[Fact, ...]:
        """Facts two or more outlets report, in story order: what classroom mode and the worksheet show."""
        return tuple(f for f in self.facts if f.shared)

    def counterparts(self, sentence_id: str) -> frozenset[str]:
        """The sentence and every sentence told alongside it in its fact."""
        i = self.index_of_sentence(sentence_id)
        if i < 0:
            return frozenset({sentence_id})
        return frozenset(sid for c in self.facts[i].cells for sid in c.sentences)

    def disputed_by_sentence(self) -> dict[str, tuple[CellMark, ...]]:
        """Sentence id -> the difference marks in it, as offsets into the sentence (the reader's view)."""
        out: dict[str, tuple[CellMark, ...]] = {}
        for f in self.facts:
            for c in f.cells:
                if c.disputed:
                    for sid in c.sentences:
                        marks = c.marks_in(sid, changed=False)
                        if marks:
                            out[sid] = marks
        return out


def build_fact_table(comparison: Comparison) -> FactTable:
    """The table every view reads; built once per comparison (on a worker in the app)."""
    order = {a.id: i for i, a in enumerate(comparison.articles)}
    outlet = {a.id: a.outlet for a in comparison.articles}
    disputed = _disputed_by_sentence(comparison)
    by_group: dict[str, list[Discrepancy]] = {}
    for d in comparison.discrepancies:
        by_group.setdefault(d.group, []).append(d)
    agreed: dict[str, list[Agreement]] = {}
    for a in comparison.agreements:
        agreed.setdefault(a.group, []).append(a)
    number_of: dict[str, int] = {}
    for n, g in enumerate(comparison.groups, 1):
        for sid in g.sentences:
            number_of.setdefault(sid, n)  # as FactTable.index_of_sentence: a sentence belongs to its first fact
    facts = []
    for n, g in enumerate(comparison.groups, 1):
        per: dict[str, list[str]] = {}
        for sid in g.sentences:
            if sid in comparison.sentence_index:  # a stale id (an older project's note, a bad file) is skipped
                per.setdefault(comparison.article_of(sid).id, []).append(sid)
        cells = [
            _cell(comparison, aid, outlet[aid], _article_order(comparison, sids), disputed)
            for aid, sids in sorted(per.items(), key=lambda kv: order[kv[0]])
        ]
        if len(cells) >= 2:
            cells = _with_changed(cells)
        near = tuple(
            Nearest(comparison.article_of(sid).id, sid, number_of[sid])
            for sid in g.nearest
            if sid in comparison.sentence_index and sid in number_of
        )
        facts.append(
            Fact(
                n, g.id, tuple(cells), tuple(by_group.get(g.id, ())), tuple(agreed.get(g.id, ())), float(g.score), near
            )
        )
    return FactTable(tuple(facts), tuple(a.id for a in comparison.articles))


def _article_order(comparison: Comparison, sentence_ids: list[str]) -> tuple[str, ...]:
    return tuple(sorted(sentence_ids, key=lambda sid: comparison.sentence_index[sid][1]))


def _disputed_by_sentence(comparison: Comparison) -> dict[str, list[tuple[int, int, str, str]]]:
    """Sentence id -> (start, end, kind, discrepancy id) of every difference value in it."""
    out: dict[str, list[tuple[int, int, str, str]]] = {}
    for d in comparison.discrepancies:
        for v in d.values:
            if v.sentence not in comparison.sentence_index or not v.text:
                continue
            text = comparison.sentence(v.sentence).text
            start, end = v.start, v.end
            if text[start:end] != v.text:  # offsets from an older text (a project from another version)
                start = text.find(v.text)
                end = start + len(v.text)
            if start >= 0:
                out.setdefault(v.sentence, []).append((start, end, d.kind, d.id))
    return out


def _cell(
    comparison: Comparison,
    article_id: str,
    outlet: str,
    sentence_ids: tuple[str, ...],
    disputed: dict[str, list[tuple[int, int, str, str]]],
) -> Cell:
    starts: list[int] = []
    parts: list[str] = []
    marks: list[CellMark] = []
    offset = 0
    for sid in sentence_ids:
        text = comparison.sentence(sid).text
        starts.append(offset)
        parts.append(text)
        marks.extend(CellMark(offset + s, offset + e, kind, label) for s, e, kind, label in disputed.get(sid, ()))
        offset += len(text) + len(JOIN)
    return Cell(article_id, outlet, sentence_ids, tuple(starts), JOIN.join(parts), tuple(marks))


def _with_changed(cells: list[Cell]) -> list[Cell]:
    toks = [tokens(c.text) for c in cells]
    words = [{t.norm for t in ts if t.is_word} for ts in toks]
    used_by: dict[str, int] = {}  # word -> how many cells use it
    for bag in words:
        for w in bag:
            used_by[w] = used_by.get(w, 0) + 1
    out = []
    for cell, ts, bag in zip(cells, toks, words, strict=True):
        others = len(cells) - 1
        # Outlets other than this one that lack the word: changed when most of them do.
        lacking = {w: others - (used_by[w] - 1) for w in bag}
        spans = _changed_spans(cell.text, ts, _lacked_by_most(lacking, others))
        reworded = sum(e - s for s, e in spans) > MOSTLY_CHANGED * len(cell.text)
        marks = () if reworded else tuple(CellMark(s, e, "changed") for s, e in spans)
        out.append(Cell(cell.article, cell.outlet, cell.sentences, cell.starts, cell.text, cell.disputed,
                        marks, reworded))
    return out


def _lacked_by_most(lacking: dict[str, int], others: int) -> Callable[[Token], bool]:
    return lambda t: lacking[t.norm] * 2 > others


def changed_words(text: str, others: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """The stretches of ``text`` worth underlining as "worded differently" against ``others``.

    A word is changed when most of the other versions do not use it, anywhere (case, quotes and
    dashes folded, as ``reader.differences.worddiff`` compares them): the same words in another
    order are not a difference to mark. Neighbouring changed words make one stretch, trimmed of
    function words at either end; nothing is marked when most of the text is changed.
    """
    bags = [{t.norm for t in tokens(o) if t.is_word} for o in others]
    if not bags:
        return ()
    spans = _changed_spans(text, tokens(text), lambda t: sum(t.norm not in b for b in bags) * 2 > len(bags))
    return () if sum(e - s for s, e in spans) > MOSTLY_CHANGED * len(text) else spans


def _changed_spans(text: str, toks: Sequence[Token], changed: Callable[[Token], bool]) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for tok in toks:
        if not tok.is_word or not changed(tok):
            continue
        gap = text[spans[-1][1]:tok.start] if spans else "x"
        if len(gap) <= 3 and not any(c.isalnum() for c in gap):
            spans[-1] = (spans[-1][0], tok.end)  # "took control of" in one piece
        else:
            spans.append((tok.start, tok.end))
    return tuple(t for t in (_trim(text, s, e) for s, e in spans) if t is not None)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    words = [m for m in _WORD.finditer(text, start, end) if m.group().casefold() not in FUNCTION_WORDS]
    if not words:
        return None
    return words[0].start(), words[-1].end()
