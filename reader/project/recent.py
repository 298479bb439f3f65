"""The recent projects list (File ▸ Open Recent), kept in ``config_dir()/recent.json``.

A damaged or foreign list is never an error: it reads as empty and is replaced
on the next change, so a bad settings file cannot stop the app from starting.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from reader.fileio import atomic_write_text
from reader.paths import config_dir

MAX_RECENT = 10


def _file() -> Path:
    return config_dir() / "recent.json"


def recent_projects(*, existing_only: bool = True) -> tuple[Path, ...]:
    """Most recent first. Files since deleted or moved are left out unless asked for."""
    try:
        doc = json.loads(_file().read_text("utf-8"))
    except (OSError, ValueError):
        return ()
    items = doc.get("recent") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        return ()
    paths = [Path(p) for p in items if isinstance(p, str) and p and "\x00" not in p][:MAX_RECENT]
    return tuple(p for p in paths if not existing_only or p.is_file())


def _write(paths: list[Path]) -> None:
    folder = config_dir()
    with contextlib.suppress(OSError):  # a read-only config folder costs the list, not the save
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(_file(), json.dumps({"version": 1, "recent": [str(p) for p in paths[:MAX_RECENT]]}))


def add_recent(path: Path | str) -> tuple[Path, ...]:
    target = Path(path).resolve()
    paths = [target, *(p for p in recent_projects(existing_only=False) if p != target)]
    _write(paths)
    return tuple(paths[:MAX_RECENT])


def remove_recent(path: Path | str) -> None:
    target = Path(path).resolve()
    _write([p for p in recent_projects(existing_only=False) if p != target])


def clear_recent() -> None:
    _write([])
