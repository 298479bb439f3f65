"""Long work on a worker thread: the step reports progress by signal and stops on Cancel.

A ``Job`` wraps a callable ``fn(progress, cancel) -> result``. It runs on its own
QThread; every signal it emits is queued to the UI thread, so only the UI
thread ever touches a widget (the habit Mu broke and Meld keeps).

Progress is coalesced: the worker only ever has one report on its way to the UI
thread, and the UI thread shows the newest one when it gets there. A step that
reports faster than the UI thread can take reports (two hundred small articles
read in a second) otherwise queues hundreds of calls, and while a worker holds
the interpreter lock each of them waits its turn for it (5-8 ms each, measured):
forty of them made one 230-480 ms stall.

While any job runs, the cyclic collector's full collections are held back (see
``_FullCollections``): a full collection walks every object the job has made so
far holding the interpreter lock, and at 200 articles those were the longest
stalls of the window (71-92 ms each, on the worker thread, measured with
``gc.callbacks``).
"""

from __future__ import annotations

import gc
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, SignalInstance, Slot

from reader.errors import Cancelled, ParallaxError
from reader.progress import CancelToken, Progress

log = logging.getLogger(__name__)

Work = Callable[[Callable[[Progress], None], CancelToken], Any]


class _Relay(QObject):
    """Lives on the UI thread and hands it the newest progress report, one call at a time."""

    poked = Signal()
    progressed = Signal(object)  # Progress, emitted on the UI thread

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._latest: Progress | None = None
        self._pending = False
        # Queued: poked is emitted on the worker thread and this object stays on the UI thread.
        self.poked.connect(self._flush)

    def offer(self, progress: Progress) -> None:
        """Called on the worker: keep the newest report; ask for a delivery unless one is on its way."""
        with self._lock:
            self._latest = progress
            if self._pending:
                return
            self._pending = True
        self.poked.emit()

    @Slot()
    def _flush(self) -> None:
        with self._lock:
            progress, self._latest, self._pending = self._latest, None, False
        if progress is not None:
            self.progressed.emit(progress)


class _FullCollections:
    """Holds back the cyclic collector's full collections while jobs run, and freezes the heap after.

    CPython 3.11's collector is not incremental: a full collection walks every tracked
    object not frozen, and it runs in whichever thread allocates when it is due, holding
    the interpreter lock throughout, so the window cannot paint meanwhile. A comparison
    job makes hundreds of thousands of objects (figures, names, word diffs, cell marks),
    and the full collections it set off grew with them to 92 ms each. Young collections
    (generations 0 and 1) still run, so short-lived garbage cycles are still freed, and
    reference counting frees the rest as usual. When the last running job ends, what is
    alive (its result among it) is frozen (``gc.freeze``: no walk, just moving lists), so
    the collections that follow walk only what is new since.

    Held and released on the job's own thread, in one ``try``/``finally``, so a job that
    fails, is cancelled or whose window is gone can never leave collections held.
    """

    HELD = 1 << 30  # generation-1 collections before a full one: never, in practice

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holds = 0
        self._saved: tuple[int, int, int] | None = None

    def hold(self) -> None:
        with self._lock:
            if self._holds == 0:
                self._saved = gc.get_threshold()
                gc.set_threshold(self._saved[0], self._saved[1], self.HELD)
            self._holds += 1

    def release(self) -> None:
        with self._lock:
            self._holds -= 1
            if self._holds == 0 and self._saved is not None:
                gc.freeze()
                gc.set_threshold(*self._saved)
                self._saved = None

    @property
    def held(self) -> bool:
        return self._holds > 0


full_collections = _FullCollections()


class Job(QObject):
    succeeded = Signal(object)  # whatever fn returned
    failed = Signal(str)  # one plain line for a dialog
    cancelled = Signal()
    finished = Signal()  # after exactly one of succeeded / failed / cancelled

    def __init__(self, fn: Work, name: str = "job") -> None:
        super().__init__()
        self.fn = fn
        self.name = name
        self.token = CancelToken()
        # Made before moveToThread and not a child of the job, so it stays on the UI thread.
        self._relay = _Relay()
        self.thread = QThread()
        self.thread.setObjectName(f"parallax-{name}")
        self.moveToThread(self.thread)
        self.thread.started.connect(self.run)

    @property
    def progressed(self) -> SignalInstance:
        """Progress reports (``Progress``) on the UI thread: the newest one each time it gets there."""
        return self._relay.progressed

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def running(self) -> bool:
        return self.thread.isRunning()

    def wait(self, ms: int = 30_000) -> bool:
        return self.thread.wait(ms)

    @Slot()
    def run(self) -> None:
        full_collections.hold()
        try:
            result = self.fn(self._relay.offer, self.token)
            # A Cancel pressed after the last check still wins: the user asked for nothing.
            if self.token.cancelled:
                raise Cancelled()
        except Cancelled:
            self.cancelled.emit()
        except ParallaxError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:  # the window must survive a core bug; the log keeps the detail
            log.error("%s failed:\n%s", self.name, traceback.format_exc())
            self.failed.emit(f"Something went wrong ({type(exc).__name__}: {exc}). The details are in the log.")
        else:
            self.succeeded.emit(result)  # queued: the result is alive here, and frozen just below
        finally:
            full_collections.release()
        # Home to the UI thread before the thread ends, so deleteLater there works.
        self.moveToThread(QCoreApplication.instance().thread())
        self.thread.quit()
        self.finished.emit()
