"""Run by ``test_app.py`` in a real X window (Xvfb): the demo's first screen, then classroom mode.

``python tests/ui/xvfb_session.py OUT_DIR`` opens the window as a person would (real model, the
demo), waits for the comparison, checks what the first screen shows, steps to a difference,
presses F11 the way a keyboard does, checks the presentation opens on that fact, full screen,
with the table's number, reveals, leaves with Esc, and photographs each screen into OUT_DIR.
Prints one line per check; exits 0 when all hold, 1 otherwise.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reader.paths import demo_sources  # noqa: E402
from ui.app import application  # noqa: E402
from ui.mainwindow import MainWindow  # noqa: E402

TIMEOUT_S = 280


def _wait(app, ready, timeout: float = TIMEOUT_S) -> bool:
    end = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > end:
            return False
        app.processEvents()
        time.sleep(0.02)
    return True


def main(out: Path) -> int:
    app = application()
    window = MainWindow(remember=False)
    window.show()
    window.raise_()
    window.activateWindow()
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            failures.append(what)

    QTimer.singleShot(0, lambda: window.session.add_sources([str(p) for p in demo_sources()]))
    done = _wait(app, lambda: window.session.comparison is not None and not window.session.busy
                 and window.panels_ready())
    check(done, "the demo's comparison is shown")
    if not done:
        return 1
    _wait(app, lambda: False, 0.5)
    window.grab().save(str(out / "first.png"))
    view, model = window.aligned, window.model
    proxy = view.model()
    first = [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount())
             if view.rowViewportPosition(r) < view.viewport().height()]
    check(bool(first) and all(len(model.reporting(r)) >= 2 for r in first),
          f"every row on the first screen has two or more outlets ({len(first)} rows)")
    check(window.aligned.current_group() == window.session.table.shared()[0].group, "the first shared fact is selected")
    check("told by two or more" in window.message.text(), f"the status line says so: {window.message.text()!r}")

    QTest.keyClick(window.aligned, Qt.Key.Key_F3)
    group = window.aligned.current_group()
    fact = window.session.table.fact(group) if group else None
    check(fact is not None and bool(fact.differences), f"F3 goes to a fact with a difference ({group})")
    QTest.keyClick(window.aligned, Qt.Key.Key_F11)
    shown = _wait(app, lambda: window.io.classroom is not None and window.io.classroom.isVisible()
                  and QGuiApplication.focusWindow() is not None, 20)
    classroom = window.io.classroom
    check(shown and classroom is not None, "F11 opens classroom mode")
    if classroom is None or fact is None:
        return 1
    _wait(app, lambda: classroom.isFullScreen(), 10)
    check(classroom.isFullScreen(), "it covers the screen")
    check(classroom.current is not None and classroom.current.group == group, "on the fact selected in the window")
    check(classroom.position.text().startswith(f"Fact {fact.number} "),
          f"with the table's number: {classroom.position.text()!r}")
    _wait(app, lambda: False, 0.3)
    classroom.grab().save(str(out / "classroom.png"))
    QTest.keyClick(classroom, Qt.Key.Key_Space)
    check(classroom.revealed == 1, "Space reveals the first difference")
    _wait(app, lambda: False, 0.3)
    classroom.grab().save(str(out / "classroom-revealed.png"))
    QTest.keyClick(classroom, Qt.Key.Key_Escape)
    check(_wait(app, lambda: window.io.classroom is None, 10), "Esc leaves")
    check(window.aligned.current_group() == group, "the window is back on the same fact")
    window.session.shutdown()
    window.io.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
