"""Results kept on disk, keyed by everything that made them: the inputs, this code, the installed packages.

Cleaning and segmenting an article, aligning and comparing a story: each is a pure function of its
inputs and of the code and libraries that run it. Kept on disk, a result computed once is handed
back the next time those are the same, and a reopened story skips the work and the imports behind
it (``reader.intake.articlecache``, ``reader.project.comparisoncache``). A result handed back must be
what a fresh run would give, byte for byte in every report, so every key holds ``fingerprint()``:
- a hash of every ``reader`` source file: any edit of a rule, a threshold or a list misses;
- the Python version and the installed distributions with their versions (the names of the
  ``*.dist-info`` folders: spaCy and its model, pysbd, numpy ...);
- the ``PARALLAX_*`` settings of the environment (precision, runtime, strict mode).

Entries are pickles of ``reader.model`` dataclasses, plain containers, strings and numbers, read by
an unpickler that admits nothing else, so a planted file cannot run code. A damaged or unreadable
entry is a miss and is deleted; a folder that cannot be written only costs the next run its speed.
Each kind keeps its newest ``limit`` entries.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import io
import logging
import os
import pickle
import secrets
import sys
from dataclasses import is_dataclass
from pathlib import Path
from typing import Any

import reader
from reader import model
from reader.paths import cache_dir

log = logging.getLogger(__name__)

SUFFIX = ".pickle"
_fingerprint: str | None = None


def _installed() -> list[str]:
    """The installed distributions with their versions: the names of the ``*.dist-info`` folders."""
    names: list[str] = []
    for entry in sys.path:
        if Path(entry).name in {"site-packages", "dist-packages"} and os.path.isdir(entry):
            names += sorted(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
    return names


def fingerprint() -> str:
    """The code, Python, packages and settings a result depends on (computed once per process, a few ms)."""
    global _fingerprint
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("PARALLAX_") and k != "PARALLAX_HOME")
    if _fingerprint is None:
        root = Path(reader.__file__).parent
        h = hashlib.blake2b(digest_size=16)
        for path in sorted(root.rglob("*.py")):
            h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
        h.update(repr((sys.version, _installed())).encode())
        _fingerprint = h.hexdigest()
    return f"{_fingerprint}:{settings!r}"  # settings read each time: tests and the app may change them


def key_of(*parts: object) -> str:
    """A key for ``parts`` (their ``repr``s) under this code's ``fingerprint()``."""
    h = hashlib.blake2b(digest_size=20)
    for part in (fingerprint(), *parts):
        h.update(repr(part).encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


_ALLOWED = {n for n in dir(model) if isinstance(getattr(model, n), type) and is_dataclass(getattr(model, n))}


class _ModelOnly(pickle.Unpickler):
    """Admits ``reader.model``'s dataclasses, sets and frozensets, and nothing else: no function, no code."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "reader.model" and name in _ALLOWED:
            return getattr(model, name)
        if module == "builtins" and name in {"frozenset", "set"}:
            return getattr(builtins, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a kept result")


def _write(path: Path, data: bytes) -> None:
    """Atomic (a temporary file renamed over the entry) but not flushed to disk: a cache needs no
    durability, and a file a power cut truncates fails to load and is computed again. Each fsync cost
    5-30 ms on a busy disk (``reader.fileio.atomic_write_bytes`` keeps them for the user's own files)."""
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class ResultCache:
    """One kind of result (a folder of the cache): its newest ``limit`` entries kept, and no more than
    ``max_bytes`` in all (the newest entry always stays)."""

    def __init__(self, kind: str, limit: int, *, max_bytes: int = 200 << 20, folder: Path | None = None) -> None:
        self.kind = kind
        self.limit = limit
        self.max_bytes = max_bytes
        self._folder = folder

    @property
    def folder(self) -> Path:
        # looked up on each use: a changed PARALLAX_HOME (tests, portable installs) is honoured
        return self._folder if self._folder is not None else cache_dir() / self.kind

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or None (never stored, damaged, or unreadable)."""
        path = self.folder / f"{key}{SUFFIX}"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("kept %s %s unreadable (%s); computing afresh", self.kind, path.name, exc)
            return None
        try:
            stored_key, value = _ModelOnly(io.BytesIO(data)).load()
            if stored_key != key:
                raise ValueError("the entry holds another key")
        except Exception as exc:  # damaged, truncated, planted: never trusted, and removed
            log.warning("kept %s %s is damaged (%s); computing afresh", self.kind, path.name, exc)
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used: among the newest again
        return value

    def put(self, key: str, value: Any) -> None:
        folder = self.folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write(folder / f"{key}{SUFFIX}", pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            log.warning("could not keep the %s in %s (%s); the next run computes it afresh", self.kind, folder, exc)
            return
        self._prune(folder)

    def _prune(self, folder: Path) -> None:
        try:
            entries = [(p, p.stat()) for p in folder.glob(f"*{SUFFIX}")]
            entries.sort(key=lambda e: e[1].st_mtime, reverse=True)
            total = 0
            for n, (path, st) in enumerate(entries):
                total += st.st_size
                if n >= self.limit or (n > 0 and total > self.max_bytes):
                    path.unlink()
        except OSError:
            pass  # another process pruned at the same time, or the folder went: nothing to keep tidy
