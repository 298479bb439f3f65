"""Start-up: no torch before the window; --screenshot on the demo; a real X window under Xvfb."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def test_window_shows_without_importing_torch():
    code = (
        "import sys; from ui.app import application; from ui.mainwindow import MainWindow;"
        "app = application(); w = MainWindow(remember=False); w.show(); app.processEvents();"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules];"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_compare_subcommand_never_imports_qt(tmp_path):
    code = "main.py compare must stay Qt-free"
    out = subprocess.run(
        [sys.executable, "-c", "import sys, main; print(any(m.startswith('PySide6') for m in sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "False", code


def test_screenshot_of_a_bad_source_exits_2_with_one_line(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--screenshot",
            str(tmp_path / "x.png"),
            str(tmp_path / "nope.txt"),
            str(tmp_path / "nope2.txt"),
        ],
        cwd=ROOT,
        env=_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    lines = [line for line in out.stderr.splitlines() if line.startswith("parallax:")]
    assert len(lines) == 1 and "Traceback" not in out.stderr
    assert not (tmp_path / "x.png").exists()


def _variance(path: Path) -> float:
    from PySide6.QtGui import QImage

    img = QImage(str(path)).scaled(200, 125)
    values = [img.pixelColor(x, y).lightness() for x in range(img.width()) for y in range(img.height())]
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


@pytest.mark.model
def test_screenshot_of_the_demo_is_not_blank(tmp_path):
    shot = tmp_path / "demo.png"
    out = subprocess.run(
        [sys.executable, "main.py", "--screenshot", str(shot)],
        cwd=ROOT,
        env=_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert _variance(shot) > 100


@pytest.mark.xvfb
@pytest.mark.model
@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_real_window_under_xvfb(tmp_path):
    """The demo in a real X window: a screenshot, then the first screen and classroom mode driven by keys."""
    display = f":{150 + os.getpid() % 100}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        shot = tmp_path / "xvfb.png"
        env = _env(DISPLAY=display, QT_QPA_PLATFORM="xcb")
        out = subprocess.run(
            [sys.executable, "main.py", "--screenshot", str(shot)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert out.returncode == 0, out.stderr
        assert _variance(shot) > 100
        # The first screen and classroom mode, as a person meets them (tests/ui/xvfb_session.py says each check).
        session = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "ui" / "xvfb_session.py"), str(tmp_path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=400,
        )
        assert session.returncode == 0, session.stdout + session.stderr
        assert "FAIL" not in session.stdout and session.stdout.count("ok ") >= 12, session.stdout
        for name in ("first.png", "classroom.png", "classroom-revealed.png"):
            assert _variance(tmp_path / name) > 100, name
    finally:
        xvfb.terminate()
        xvfb.wait(10)


class _Child:
    """Stands in for the model's process: answers each parse request with one entry per sentence."""

    def __init__(self, answers: bool = True) -> None:
        self.asked: list[tuple[str, list[str]]] = []
        self.answers = answers

    def call(self, service: str, texts: list[str]):
        self.asked.append((service, list(texts)))
        return [[t] for t in texts] if self.answers else None


def test_parses_are_asked_of_the_model_process_a_batch_at_a_time() -> None:
    from ui.app import PARSE_BATCH, parse_in

    child = _Child()
    texts = [f"Sentence {i}." for i in range(2 * PARSE_BATCH + 5)]
    assert parse_in(child, texts) == [[t] for t in texts]  # in order, all of them
    assert [len(t) for _, t in child.asked] == [PARSE_BATCH, PARSE_BATCH, 5]
    assert {service for service, _ in child.asked} == {"parse"}
    assert parse_in(_Child(answers=False), texts) is None  # no parser there: said at once
