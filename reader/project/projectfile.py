"""``.parallax`` project files: a comparison's sources and the reader's choices, kept safely.

What a project holds and its JSON are ``reader.project.format`` (re-exported here, the
module every caller imports). This module reads and writes the files: reading goes
through the shared capped reader (size, and a deadline for a file that never ends) and
never writes, not even a migrated copy; writing is atomic, so a crash mid-save leaves
the previous file whole.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import time
from dataclasses import replace
from pathlib import Path

from reader import __version__
from reader.errors import ProjectError
from reader.fileio import atomic_write_bytes, read_capped
from reader.model import Article
from reader.project.format import (
    EXTENSION,
    FORMAT,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MIGRATIONS,
    Project,
    ProjectSource,
    decode,
    encode,
    from_dict,
    migrate,
    new_project,
    parse,
    to_dict,
)
from reader.project.notes import now_iso

__all__ = [
    "EXTENSION", "FORMAT", "FORMAT_VERSION", "MAX_FILE_BYTES", "MIGRATIONS", "Project", "ProjectSource",
    "article_ids", "decode", "encode", "from_dict", "load_project", "migrate", "new_project", "parse",
    "project_articles", "save_project", "to_dict", "with_extension",
]


def save_project(project: Project, path: Path | str, *, touch: bool = True) -> Project:
    """Write ``project`` atomically; returns it with the modified time (and app version) it was saved with."""
    target = Path(path)
    if touch:
        stamp = now_iso()
        project = replace(project, modified=stamp, created=project.created or stamp, app_version=__version__)
    data = encode(project)
    if target.is_dir():
        raise ProjectError(f"cannot save project: {target} is a folder")
    try:
        # Overwriting keeps the file's permissions; a new project is private (its notes can be sensitive).
        atomic_write_bytes(target, data, new_mode=0o600)
    except OSError as exc:
        raise ProjectError(f"cannot save project {target.name}: {exc.strerror or exc}") from exc
    _sweep_stale_temporaries(target)
    return project


STALE_TEMPORARY_SECONDS = 15 * 60


def _sweep_stale_temporaries(target: Path) -> None:
    """Remove temporary files that killed saves of ``target`` left behind; recent ones may be live saves."""
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if tmp.is_file() and tmp.stat().st_mtime < cutoff:
                tmp.unlink()


# ---------------------------------------------------------------- reading


READ_TIMEOUT = 15.0  # for a project that is no ordinary file on disk (a kernel file of size 0)


def _read_bytes(path: Path, limit: int) -> bytes:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ProjectError(f"project not found: {path}") from None
    except OSError as exc:
        raise ProjectError(f"cannot open project {path.name}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        raise ProjectError(f"{path.name} is not a regular file")
    if info.st_size > limit:
        raise ProjectError(f"{path.name} is too large for a project ({info.st_size // 2**20} MB)")
    # The same capped reader as every source: at most ``limit`` bytes, and a deadline for a file
    # that reports no size and never ends.
    return read_capped(path, max_bytes=limit, timeout=READ_TIMEOUT,
                       fail=lambda reason: ProjectError(f"cannot read project {path.name}: {reason}"))


def load_project(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> Project:
    """Read, migrate and validate a project file. Never writes anything, not even a migrated copy."""
    target = Path(path)
    return decode(_read_bytes(target, max_bytes), target.name)


def article_ids(project: Project) -> tuple[str, ...]:
    """Each source's article id: the saved one, else "a<position>" (ids never collide)."""
    taken = {s.article_id for s in project.sources if s.article_id}
    out, n = [], 0
    for s in project.sources:
        if s.article_id:
            out.append(s.article_id)
            continue
        n += 1
        while f"a{n}" in taken:
            n += 1
        taken.add(f"a{n}")
        out.append(f"a{n}")
    return tuple(out)


def project_articles(project: Project) -> tuple[Article, ...]:
    """The project's sources rebuilt as articles with the person's outlet names and restored passages.

    No network and no file access: the texts are in the project. Hidden sources are
    included (their ids stay stable); the window decides what to show.
    """
    from reader.intake.articles import build_article  # the cleaner's imports are heavy; projects load without them

    return tuple(
        build_article(s.raw, aid, outlet=s.outlet, restore=s.restored)
        for s, aid in zip(project.sources, article_ids(project), strict=True)
    )


def with_extension(path: Path | str) -> Path:
    """The path a Save dialog should use: the ``.parallax`` extension added when missing."""
    target = Path(path)
    return target if target.suffix.lower() == EXTENSION else target.with_name(target.name + EXTENSION)
