"""Notes a person attaches to a fact (group) or a difference (discrepancy).

Group and discrepancy ids are renumbered whenever the strictness changes, so a
note also remembers the sentences it was written about (its anchor). Resolving
notes against a new comparison follows the anchor: the note lands on the group
that shares most of those sentences, or on the same kind of difference inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from reader.model import Comparison, Discrepancy, Group

NoteKind = Literal["group", "discrepancy"]
NOTE_KINDS: tuple[NoteKind, ...] = ("group", "discrepancy")
MAX_NOTE_CHARS = 20_000
# Ids come from our own pipeline ("g3", "d12", "a1.s4"); anything else in a file is refused.
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$")


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Note:
    target: str  # the group or discrepancy id the note was written on
    kind: NoteKind
    text: str
    anchor: tuple[str, ...] = ()  # sentence ids of the target when the note was written
    detail: str = ""  # for a discrepancy: its kind ("figure", ...), to find it again after regrouping
    created: str = ""
    modified: str = ""


@dataclass(frozen=True)
class Notes:
    """An immutable set of notes, at most one per target; edits return a new Notes."""

    items: tuple[Note, ...] = ()

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Note]:
        return iter(self.items)

    def get(self, target: str) -> Note | None:
        for note in self.items:
            if note.target == target:
                return note
        return None

    def without(self, target: str) -> Notes:
        return Notes(tuple(n for n in self.items if n.target != target))

    def with_note(self, note: Note) -> Notes:
        """Add or replace the note on ``note.target``; an empty text removes it."""
        if not note.text.strip():
            return self.without(note.target)
        old = self.get(note.target)
        if old is not None and old.created:
            note = replace(note, created=old.created)
        return Notes((*(n for n in self.items if n.target != note.target), note))


def note_on_group(comparison: Comparison, group_id: str, text: str, *, when: str | None = None) -> Note:
    group = _group(comparison, group_id)
    stamp = when or now_iso()
    return Note(group.id, "group", _clip(text), tuple(group.sentences), "", stamp, stamp)


def note_on_discrepancy(comparison: Comparison, discrepancy_id: str, text: str, *, when: str | None = None) -> Note:
    found = [d for d in comparison.discrepancies if d.id == discrepancy_id]
    if not found:
        raise KeyError(discrepancy_id)
    d = found[0]
    stamp = when or now_iso()
    anchor = tuple(dict.fromkeys(v.sentence for v in d.values))
    return Note(d.id, "discrepancy", _clip(text), anchor, d.kind, stamp, stamp)


def _clip(text: str) -> str:
    return text.strip()[:MAX_NOTE_CHARS]


def _group(comparison: Comparison, group_id: str) -> Group:
    for g in comparison.groups:
        if g.id == group_id:
            return g
    raise KeyError(group_id)


def _overlap(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def _find_group(comparison: Comparison, note: Note) -> Group | None:
    by_id = {g.id: g for g in comparison.groups}
    same = by_id.get(note.target)
    if same is not None and (not note.anchor or set(note.anchor) <= set(same.sentences)):
        return same
    best = max(comparison.groups, key=lambda g: _overlap(g.sentences, note.anchor), default=None)
    return best if best is not None and _overlap(best.sentences, note.anchor) > 0 else None


def _find_discrepancy(comparison: Comparison, note: Note) -> Discrepancy | None:
    for d in comparison.discrepancies:
        if d.id == note.target and (not note.anchor or {v.sentence for v in d.values} == set(note.anchor)):
            return d
    scored = [
        (_overlap((v.sentence for v in d.values), note.anchor), d)
        for d in comparison.discrepancies
        if not note.detail or d.kind == note.detail
    ]
    scored = [(s, d) for s, d in scored if s > 0]
    return max(scored, key=lambda sd: sd[0])[1] if scored else None


def resolve(notes: Notes | None, comparison: Comparison) -> dict[str, Note]:
    """Map each current group/discrepancy id to its note; notes that find no home are left out."""
    resolved: dict[str, Note] = {}
    for note in notes or ():
        home = _find_group(comparison, note) if note.kind == "group" else _find_discrepancy(comparison, note)
        if home is not None and home.id not in resolved:
            resolved[home.id] = note
    return resolved


def orphans(notes: Notes | None, comparison: Comparison) -> tuple[Note, ...]:
    """Notes whose fact or difference no longer exists at this strictness: reports still list them."""
    placed = {id(n) for n in resolve(notes, comparison).values()}
    return tuple(n for n in notes or () if id(n) not in placed)
