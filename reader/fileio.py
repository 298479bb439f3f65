"""Reading and writing files so that no input can hang Parallax and no crash leaves half a file.

Three promises every stage relies on, kept here once:

- ``canonical_path``: the one way a path a person typed is turned into the file it names, for
  sources and outputs alike, so "is this output one of my sources?" compares like with like.
- ``read_capped``: at most ``max_bytes``, and for anything that is not an ordinary file on disk
  (a pipe, a device, ``/proc/kmsg``) at most ``timeout`` seconds; sources and projects both read
  through it.
- ``atomic_write_bytes``: temporary file, fsync, rename, created with the process umask (or the
  replaced file's own permissions), and never onto a device or folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path

try:  # poll() waits on a pipe or device without blocking past the deadline; Windows has neither
    import select

    _HAS_POLL = hasattr(select, "poll")
except ImportError:  # pragma: no cover
    _HAS_POLL = False

_CHUNK = 1 << 16


# --------------------------------------------------------------------------- naming files


def canonical_path(spec: str | os.PathLike[str]) -> Path:
    """The file ``spec`` names, as Parallax reads or writes it.

    Surrounding whitespace is dropped (a trailing space pasted into a terminal is never meant),
    ``~`` is expanded, and the path is made absolute with symbolic links followed. A loop of links
    cannot be followed; such a path is returned absolute, as written, and fails when opened.
    """
    text = os.fspath(spec).strip()
    return Path(os.path.realpath(os.path.expanduser(text)))


def same_file(a: Path, b: Path) -> bool:
    """Whether two canonical paths are one file: equal, or the same inode (hard links, case-folding disks)."""
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


# --------------------------------------------------------------------------- reading


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links, not a file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EISDIR:
        return "is a folder, not a file"
    if exc.errno == errno.ENOTDIR:
        return "no such file (a part of the path is not a folder)"
    return f"cannot be read ({exc.strerror or exc})"


def read_capped(
    path: Path | str,
    *,
    max_bytes: int,
    timeout: float,
    fail: Callable[[str], Exception],
) -> bytes:
    """The bytes of ``path``; ``fail(reason)`` is raised with a one-line reason otherwise.

    A regular file with a size is read to its end (at most ``max_bytes``). Anything else — a named
    pipe, a terminal, a character device, a kernel file that reports size 0 and never ends — is
    read without blocking, and given up on after ``timeout`` seconds in all: such a source may send
    nothing for ever (``/proc/kmsg``) or never stop (``/dev/zero``).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise fail(_describe(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise fail("is a folder, not a file")
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise fail(f"the file is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit")
        ordinary = stat.S_ISREG(info.st_mode) and info.st_size > 0
        deadline = None if ordinary else time.monotonic() + timeout
        return _read_fd(fd, max_bytes, deadline, timeout, fail, fifo=stat.S_ISFIFO(info.st_mode))
    except OSError as exc:
        raise fail(_describe(exc)) from None
    finally:
        os.close(fd)


FIFO_WRITER_GRACE = 3.0  # seconds a named pipe's writer may take to open it


def _read_fd(
    fd: int,
    max_bytes: int,
    deadline: float | None,
    timeout: float,
    fail: Callable[[str], Exception],
    *,
    fifo: bool = False,
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    writer_seen = False
    poller = select.poll() if _HAS_POLL and deadline is not None else None
    if poller is not None:
        poller.register(fd, select.POLLIN | select.POLLPRI)
    while True:
        if deadline is not None and time.monotonic() > deadline:
            raise fail(f"gave no end of file within {timeout:g} s (a pipe or device that never ends?)")
        try:
            chunk = os.read(fd, _CHUNK)
        except BlockingIOError:  # nothing to read yet: wait for data, at most until the deadline
            if poller is None or deadline is None:
                raise fail("cannot be read without waiting (a pipe or device?)") from None
            poller.poll(max(0.0, deadline - time.monotonic()) * 1000)
            continue
        if not chunk:
            if fifo and not writer_seen and not chunks and poller is not None and deadline is not None:
                # A named pipe opened without blocking reads as ended until its writer opens it, and a
                # writer started beside us (process substitution where /dev/fd is missing) may be a
                # moment late: give it a short grace (poll wakes on its data or its close), then read
                # again. A pipe nobody ever opens stays what it is, empty, not a 15-second wait.
                grace = min(FIFO_WRITER_GRACE, max(0.0, deadline - time.monotonic()))
                poller.poll(grace * 1000)
                writer_seen = True  # waited once: what the pipe says now is its answer
                continue
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise fail(f"the file is over the {max_bytes:,}-byte limit")
        chunks.append(chunk)


# --------------------------------------------------------------------------- writing


def writable_target(path: Path) -> os.stat_result | None:
    """The existing file at ``path`` (None if there is none); OSError if it is not a regular file.

    Replacing a device node, a pipe or a folder by a regular file (``--json /dev/null`` as root)
    destroys something the person never meant to write.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, pipe or socket)"
        raise OSError(errno.EEXIST, f"is {kind}; Parallax writes only regular files", str(path))
    return info


def atomic_write_bytes(path: Path | str, data: bytes, *, new_mode: int | None = None) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename over ``path``.

    os.replace is atomic on POSIX and Windows, so readers see the old file or the new one, never a
    mixture; the fsync makes the rename safe across a power cut. A symbolic link is written through
    (the link stays). The file keeps the permissions of the one it replaces; a new one gets the
    process umask's, like any editor's, or ``new_mode`` (projects and autosaves are private).
    """
    target = Path(os.path.realpath(path))
    existing = writable_target(target)
    mode = new_mode if existing is None else stat.S_IMODE(existing.st_mode)
    tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666 if mode is None else mode)  # the kernel applies the umask to 0o666
    try:
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)  # exactly the kept (or asked-for) permissions, whatever the umask
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:  # an interrupt or SIGTERM mid-write leaves no hidden temporary behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(target.parent)


def probe_folder(folder: Path) -> None:
    """OSError unless a file can be created in ``folder`` now: checked before work that would be lost."""
    tmp = folder / f".parallax-probe.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    # The rename lives in the folder's entry: fsync it too, or a power cut can lose the new name.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_text(path: Path | str, text: str, *, new_mode: int | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), new_mode=new_mode)
