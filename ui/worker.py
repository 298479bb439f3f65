"""Long work on a worker thread: the step reports progress by signal and stops on Cancel.

A ``Job`` wraps a callable ``fn(progress, cancel) -> result``. It runs on its own
QThread; every signal it emits is queued to the UI thread, so only the UI
thread ever touches a widget (the habit Mu broke and Meld keeps).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from reader.errors import Cancelled, ParallaxError
from reader.progress import CancelToken, Progress

log = logging.getLogger(__name__)

Work = Callable[[Callable[[Progress], None], CancelToken], Any]


class Job(QObject):
    progressed = Signal(object)  # Progress
    succeeded = Signal(object)  # whatever fn returned
    failed = Signal(str)  # one plain line for a dialog
    cancelled = Signal()
    finished = Signal()  # after exactly one of succeeded / failed / cancelled

    def __init__(self, fn: Work, name: str = "job") -> None:
        super().__init__()
        self.fn = fn
        self.name = name
        self.token = CancelToken()
        self.thread = QThread()
        self.thread.setObjectName(f"parallax-{name}")
        self.moveToThread(self.thread)
        self.thread.started.connect(self.run)

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
        try:
            result = self.fn(self.progressed.emit, self.token)
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
            self.succeeded.emit(result)
        # Home to the UI thread before the thread ends, so deleteLater there works.
        self.moveToThread(QCoreApplication.instance().thread())
        self.thread.quit()
        self.finished.emit()
