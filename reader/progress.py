"""Progress reports and cancellation for long steps (the Meld habit).

Every long step takes a ``progress`` callback and a ``cancel`` token. The step
calls ``cancel.check()`` between small units of work, so a Cancel press stops it
within one unit; the UI runs the step on a worker thread and relays progress by
signal, so the callback never touches a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from reader.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    stage: str  # "load", "clean", "embed", "align", "compare"
    done: int
    total: int
    message: str = ""

    @property
    def fraction(self) -> float:
        return 0.0 if self.total <= 0 else min(1.0, self.done / self.total)


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """The default callback: report nothing."""


class CancelToken:
    """Thread-safe stop flag shared between the UI thread and a worker."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


NEVER = CancelToken()  # a token nobody cancels; safe to share because nobody calls cancel() on it
