"""Next and previous difference (F3, Shift+F3): the order, and where the reader is in it. No widgets."""

from __future__ import annotations

from dataclasses import dataclass

from reader.facts import FactTable
from reader.model import DISCREPANCY_KINDS


@dataclass(frozen=True)
class Stop:
    row: int  # the fact's place in story order (the table's source row)
    discrepancy: str
    group: str


class Stepper:
    """Differences in story order (by fact, then by kind as the panel lists them), and a position."""

    def __init__(self) -> None:
        self.stops: list[Stop] = []
        self.pos = -1

    def reset(self, table: FactTable | None) -> None:
        rank = {k: i for i, k in enumerate(DISCREPANCY_KINDS)}
        items = [] if table is None else [
            (row, rank[d.kind], d.id, fact.group)
            for row, fact in enumerate(table.facts)
            for d in fact.differences
        ]
        self.stops = [Stop(row, did, group) for row, _rank, did, group in sorted(items)]
        self.pos = -1

    def chosen(self, discrepancy: str) -> None:
        """The reader picked a difference in the panel: stepping continues from it."""
        self.pos = next((i for i, s in enumerate(self.stops) if s.discrepancy == discrepancy), self.pos)

    def step(self, row: int, forward: bool) -> Stop | None:
        """The next stop from the reader's row (-1: none selected); None when there is nothing to step to."""
        if not self.stops:
            return None
        pos = self.pos
        if pos == -1 and forward and row <= 0:
            pos = 0  # a fresh comparison: the first difference, even on the first row
        elif not (0 <= pos < len(self.stops)) or self.stops[pos].row != row:
            # The reader moved on their own: continue from the row they are on.
            after = [i for i, s in enumerate(self.stops) if (s.row > row if forward else s.row < row)]
            pos = (after[0] if forward else after[-1]) if after else (0 if forward else len(self.stops) - 1)
        else:
            pos = (pos + (1 if forward else -1)) % len(self.stops)
        self.pos = pos
        return self.stops[pos]
