"""UI fixtures: a window per test, closed and joined afterwards so no worker outlives its test."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from story import crane_comparison

STORY_FILES = {
    "gazette.txt": (
        "Harbour Gazette",
        "Crane collapses at Saltmere docks\n\n"
        "A container crane collapsed at Saltmere docks on Friday morning. "
        "Port officials said four workers were injured.\n\n"
        "Harbourmaster Tomas Reyes said the crane had passed an inspection in March. "
        "The east quay will stay closed for ten days.\n",
    ),
    "wire.txt": (
        "Coastal Wire",
        "Four hurt as crane falls in Saltmere\n\n"
        "A dockside crane fell at the Saltmere port early on Friday. "
        "Six workers were hurt, two of them seriously, the port said.\n\n"
        "Harbour master Tomás Reyes told reporters the crane was inspected in May.\n",
    ),
    "evening.txt": (
        "Saltmere Evening News",
        "Docks crane collapse\n\n"
        "A crane collapsed at the docks in Saltmere on Friday. "
        "Unions have called for an inquiry into safety at the port. "
        "The union said cranes at the port are too old.\n",
    ),
}


@pytest.fixture
def story_files(tmp_path: Path) -> list[str]:
    manifest = {"articles": [{"file": name, "outlet": outlet} for name, (outlet, _t) in STORY_FILES.items()]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    paths = []
    for name, (_outlet, text) in STORY_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths


@pytest.fixture
def window(qtbot, fake_embedder):
    from ui.mainwindow import MainWindow

    w = MainWindow(lambda: fake_embedder, remember=False)
    qtbot.addWidget(w)
    w.resize(1300, 800)
    w.show()
    yield w
    w.session.shutdown()
    assert not w.session.jobs or all(not j.running for j in w.session.jobs)


@pytest.fixture
def story_window(qtbot, window):
    window.session.adopt(crane_comparison())
    qtbot.waitUntil(window.panels_ready)  # the side panels fill on the next turns of the event loop
    return window
