"""One queue for the UI thread's piecemeal work, shared by every panel.

The table measures its rows, the differences panel makes its entries, the reader makes, lays out and
re-marks its panes, the delegate destroys forgotten documents: each job was cut into pieces, but each
piece ran on its own timer with its own 8 ms budget, so when a comparison arrived their pieces came due
together and ran in one turn of the event loop, with the paint they caused on top. Measured in a
window fed a finished 50-article comparison with nothing else running (so the thread's own work, not
waiting for a core): the longest turn took 47-63 ms of the UI thread's CPU while the comparison was
shown, 29-33 ms while the articles came in; with a loaded machine halving the CPU the thread gets,
those became 90-180 ms gaps between 5 ms heartbeats.

Here every piece is a *step* on one queue: a turn runs steps, the jobs taking turns a step each, until
``BUDGET_MS`` is spent, then the queue waits ``PAUSE_MS`` so the paint those steps caused, the
person's input and every other timer run on turns of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer
from shiboken6 import isValid

BUDGET_MS = 8  # of steps per turn of the event loop, well under the 50 ms a person notices
PAUSE_MS = 6  # between turns of steps: the paint they caused runs on a turn of its own

DONE, MORE, LATER = 0, 1, 2  # what a step answers: finished; more to do; more, but not in this turn
Step = Callable[[], int]  # does one small piece of work and answers DONE, MORE (or True) or LATER


class Turns(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: dict[tuple[int, Hashable], tuple[QObject, Step]] = {}  # in the order they take turns
        self._timer = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self._timer.timeout.connect(self._run)

    def add(self, owner: QObject, name: Hashable, step: Step, *, now: bool = False) -> None:
        """Call ``step`` on later turns until it answers DONE (or False) or ``owner`` is deleted; a step that
        answers LATER (waiting for something, or after a piece as long as a turn) is not called again in
        the same turn.

        A step ``owner`` already queued under ``name`` is replaced (the newer work makes the older moot)
        and keeps its place. ``now``: the first turn comes at the next pass of the event loop, not after
        the pause (a panel's first piece, which the person is waiting to see)."""
        self._steps[(id(owner), name)] = (owner, step)
        if now:
            self._timer.start(0)
        elif not self._timer.isActive():
            self._timer.start(PAUSE_MS)

    def discard(self, owner: QObject, name: Hashable) -> None:
        self._steps.pop((id(owner), name), None)

    def queued(self, owner: QObject, name: Hashable) -> bool:
        return (id(owner), name) in self._steps

    def _run(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        resting: set[tuple[int, Hashable]] = set()  # answered LATER: not called again in this turn
        while clock.elapsed() < BUDGET_MS:
            key = next((k for k in self._steps if k not in resting), None)
            if key is None:
                break
            owner, step = self._steps.pop(key)
            if not isValid(owner):
                continue  # its widget is gone (a closed window): nothing left to show it in
            answer = step()
            if answer and key not in self._steps:
                self._steps[key] = (owner, step)  # to the back of the queue: the others go first
                if answer == LATER:
                    resting.add(key)
        if self._steps:
            self._timer.start(PAUSE_MS)


_turns: Turns | None = None


def turns() -> Turns:
    """The UI thread's one queue (made on first use, on the UI thread)."""
    global _turns
    if _turns is None or not isValid(_turns):
        _turns = Turns()
    return _turns
