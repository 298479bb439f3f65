"""Autosave and crash recovery, in ``data_dir()/autosave`` (the pure part; the app owns timers and dialogs).

Each running window owns a session: ``<id>.parallax`` (the last autosave, same
format as a project) plus ``<id>.json`` (what it belongs to) and ``<id>.lock``.
A live session holds an exclusive lock on its ``.lock`` file; the kernel drops
the lock when the process dies, however it dies. So on the next start, every
session whose lock can be taken is a crashed one, and its autosave is offered
for recovery. A clean exit (or a normal save) discards the session's files.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reader.errors import ProjectError
from reader.fileio import atomic_write_text
from reader.paths import data_dir
from reader.project.projectfile import Project, load_project, save_project

try:
    import fcntl
except ImportError:  # Windows: no flock; fall back to "another process id"
    fcntl = None  # type: ignore[assignment]


def autosave_dir() -> Path:
    return data_dir() / "autosave"


@dataclass(frozen=True)
class Recovery:
    """An autosave left by a session that ended without closing cleanly."""

    session: str
    path: Path  # the autosaved project
    original: Path | None  # the project file it was editing, None for an unsaved comparison
    saved: str  # ISO time of the last autosave
    title: str
    sources: int


def _lock(path: Path) -> IO[str] | None:
    """Open and exclusively lock ``path``; None when another live process holds it."""
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open for the session's life
    if fcntl is None:
        return fh
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        return None
    return fh


class Autosaver:
    """One window's autosave session. Call ``save`` from a timer when the project changed."""

    def __init__(self, original: Path | None = None, *, folder: Path | None = None) -> None:
        self.folder = folder or autosave_dir()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"cannot autosave to {self.folder}: {exc.strerror or exc}") from exc
        self.session = secrets.token_hex(6)
        self.original = original
        self._lock = _lock(self.folder / f"{self.session}.lock")
        if self._lock is not None:
            self._lock.write(str(os.getpid()))
            self._lock.flush()

    @property
    def path(self) -> Path:
        return self.folder / f"{self.session}.parallax"

    def set_original(self, original: Path | None) -> None:
        """After Save As: the autosave now belongs to another file."""
        self.original = original

    def save(self, project: Project) -> Project:
        saved = save_project(project, self.path)
        meta = {"original": str(self.original) if self.original else None, "saved": saved.modified,
                "pid": os.getpid()}
        atomic_write_text(self.folder / f"{self.session}.json", json.dumps(meta), new_mode=0o600)
        return saved

    def discard(self) -> None:
        """The work is safe (saved by the user, or the window closed cleanly): forget the autosave."""
        for suffix in (".parallax", ".json"):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / f"{self.session}{suffix}").unlink()

    def close(self) -> None:
        """Clean exit: discard and release the session."""
        self.discard()
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        with contextlib.suppress(FileNotFoundError):
            (self.folder / f"{self.session}.lock").unlink()


def _meta(path: Path) -> dict[str, object]:
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _abandoned(folder: Path, session: str) -> bool:
    lock_path = folder / f"{session}.lock"
    if not lock_path.exists():
        return True
    if fcntl is None:
        return _meta(folder / f"{session}.json").get("pid") != os.getpid()
    fh = _lock(lock_path)
    if fh is None:
        return False  # its window is still open
    fh.close()
    return True


def _sweep_orphans(folder: Path) -> None:
    """Remove what sessions that died before their first autosave left behind: nothing there to recover."""
    for lock_path in folder.glob("*.lock"):
        session = lock_path.stem
        if (folder / f"{session}.parallax").exists() or not _abandoned(folder, session):
            continue
        for suffix in (".json", ".lock"):
            with contextlib.suppress(OSError):
                (folder / f"{session}{suffix}").unlink()


def find_recoverable(folder: Path | None = None) -> tuple[Recovery, ...]:
    """Autosaves of sessions that did not end cleanly, newest first. Damaged ones are skipped."""
    folder = folder or autosave_dir()
    if not folder.is_dir():
        return ()
    _sweep_orphans(folder)
    found = []
    for path in folder.glob("*.parallax"):
        session = path.stem
        if not _abandoned(folder, session):
            continue
        try:
            project = load_project(path)
        except ProjectError:
            continue
        meta = _meta(folder / f"{session}.json")
        original = meta.get("original")
        found.append(Recovery(session, path, Path(original) if isinstance(original, str) else None,
                              project.modified, project.title, len(project.sources)))
    return tuple(sorted(found, key=lambda r: r.saved, reverse=True))


def recover(recovery: Recovery) -> Project:
    """The autosaved project; keep the files until the user saves it, then call ``discard_recovery``."""
    return load_project(recovery.path)


def discard_recovery(recovery: Recovery) -> None:
    folder = recovery.path.parent
    for suffix in (".parallax", ".json", ".lock"):
        with contextlib.suppress(FileNotFoundError):
            (folder / f"{recovery.session}{suffix}").unlink()
