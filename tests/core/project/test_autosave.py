"""Autosave, crash recovery (a real process killed mid-session) and the recent projects list."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from reader.model import RawDocument
from reader.paths import config_dir, data_dir
from reader.project.autosave import Autosaver, autosave_dir, discard_recovery, find_recoverable, recover
from reader.project.projectfile import new_project
from reader.project.recent import MAX_RECENT, add_recent, clear_recent, recent_projects, remove_recent

ROOT = Path(__file__).resolve().parents[3]


def _project(title: str = "Bridge closure"):  # type: ignore[no-untyped-def]
    return new_project((RawDocument("a.txt", "The bridge closed at noon."),
                        RawDocument("b.txt", "Engineers shut the bridge at midday.")), title=title)


def test_live_session_is_not_offered_and_clean_exit_leaves_nothing() -> None:
    saver = Autosaver(Path("/tmp/bridge.parallax"))
    saver.save(_project())
    assert saver.path.parent == data_dir() / "autosave" == autosave_dir()
    assert find_recoverable() == ()  # its window is still open
    saver.close()
    assert find_recoverable() == ()
    assert list(autosave_dir().iterdir()) == []


def test_discard_after_a_user_save_forgets_the_autosave() -> None:
    saver = Autosaver()
    saver.save(_project())
    saver.discard()
    assert not saver.path.exists()
    saver.close()


CRASHER = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from reader.project.autosave import Autosaver
from reader.model import RawDocument
from reader.project.projectfile import new_project
saver = Autosaver(Path(sys.argv[2]))
saver.save(new_project((RawDocument("a.txt", "Flood warning lifted."), RawDocument("b.txt", "Warning ends.")),
                       title="Flood warning"))
print("saved", flush=True)
signal.pause()
"""


def test_session_killed_by_a_crash_is_offered_for_recovery(tmp_path: Path) -> None:
    env = dict(os.environ)  # PARALLAX_HOME (set by conftest) points the child at this test's folders
    child = subprocess.Popen([sys.executable, "-c", CRASHER, str(ROOT), str(tmp_path / "flood.parallax")],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "saved"
        assert find_recoverable() == ()  # alive: holding its lock
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    found = find_recoverable()
    assert len(found) == 1
    rec = found[0]
    assert rec.original == tmp_path / "flood.parallax" and rec.title == "Flood warning" and rec.sources == 2
    project = recover(rec)
    assert [s.raw.text for s in project.sources] == ["Flood warning lifted.", "Warning ends."]
    discard_recovery(rec)
    assert find_recoverable() == ()


def test_damaged_autosave_is_skipped_not_an_error() -> None:
    folder = autosave_dir()
    folder.mkdir(parents=True)
    (folder / "deadbeef.parallax").write_bytes(b'{"format": "parallax-project", "format_ver')
    assert find_recoverable() == ()


def test_recent_list_orders_dedupes_and_caps(tmp_path: Path) -> None:
    files = []
    for i in range(MAX_RECENT + 3):
        f = tmp_path / f"p{i}.parallax"
        f.write_text("{}")
        files.append(f)
        add_recent(f)
    add_recent(files[2])
    recent = recent_projects()
    assert recent[0] == files[2].resolve()
    assert len(recent) == MAX_RECENT and len(set(recent)) == MAX_RECENT
    files[-1].unlink()
    assert files[-1].resolve() not in recent_projects()
    assert files[-1].resolve() in recent_projects(existing_only=False)
    remove_recent(files[2])
    assert files[2].resolve() not in recent_projects()
    clear_recent()
    assert recent_projects() == ()


def test_damaged_recent_list_reads_as_empty_and_recovers(tmp_path: Path) -> None:
    config_dir().mkdir(parents=True, exist_ok=True)
    for junk in ("not json", '{"recent": 5}', "[1,2]", '{"recent": [3, null, "\\u0000x"]}'):
        (config_dir() / "recent.json").write_text(junk)
        assert recent_projects(existing_only=False) == ()
    f = tmp_path / "x.parallax"
    f.write_text("{}")
    add_recent(f)
    assert recent_projects() == (f.resolve(),)


def test_locks_of_sessions_that_died_before_their_first_autosave_are_swept() -> None:
    live = Autosaver()  # open, nothing saved yet: its lock must survive the sweep
    folder = autosave_dir()
    (folder / "deadbeef.lock").write_text("12345", encoding="utf-8")  # a crashed session's leftover, unlocked
    (folder / "deadbeef.json").write_text("{}", encoding="utf-8")
    assert find_recoverable() == ()
    names = sorted(p.name for p in folder.iterdir())
    assert "deadbeef.lock" not in names and "deadbeef.json" not in names
    assert f"{live.session}.lock" in names
    live.close()
