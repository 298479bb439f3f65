"""The child side of ``reader.embedding.process``: load the model, answer requests until stdin closes.

Run as ``python -m reader.embedding.processchild`` by ``ProcessEmbedder``; the wire format and the
services are described there. A service is imported on its first call, so a child that is only asked
for vectors never loads a parser.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np

from reader.embedding.process import (
    _SHAPE,
    FEED_ENV,
    NICE_ENV,
    SERVICES_ENV,
    THREADS_ENV,
    WARM_ENV,
    _frame,
    _one_line,
    _read_frame,
    default_threads,
)


def _step_back(nice: int) -> int:
    """Lower every thread of this process to ``nice`` (a nice value); the niceness it then has.

    Called once the model is loaded: the import and the load are what the first comparison waits for,
    so they run at full priority; the encoding and parsing that follow share the cores with the window,
    whose UI thread must win a core the moment it wakes (a 5 ms heartbeat waited 50-100 ms behind
    this process at 50 articles). Linux gives each thread its own niceness and a new thread inherits
    its creator's, so the threads already running (a runtime's pool) are lowered one by one."""
    if nice <= 0 or not hasattr(os, "setpriority"):
        return os.getpriority(os.PRIO_PROCESS, 0) if hasattr(os, "getpriority") else 0
    tasks = Path("/proc/self/task")
    ids = [int(t) for t in os.listdir(tasks)] if tasks.is_dir() else [0]
    for tid in ids:
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            os.setpriority(os.PRIO_PROCESS, tid, max(nice, os.getpriority(os.PRIO_PROCESS, tid)))
    return os.getpriority(os.PRIO_PROCESS, 0)


def _send(out: IO[bytes], kind: bytes, payload: bytes) -> None:
    out.write(_frame(kind, payload))
    out.flush()


class _Services:
    """The services the parent named (``{"name": "module:function"}``), each imported once, on first use."""

    def __init__(self, named: str) -> None:
        try:
            table = json.loads(named or "{}")
        except ValueError:
            table = {}
        self._where = {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}
        self._loaded: dict[str, Callable[..., Any]] = {}
        self._lock = threading.Lock()  # a warm-up thread and the request loop may both ask first

    def call(self, name: str, args: list[Any]) -> Any:
        with self._lock:
            if name not in self._loaded:
                where = self._where.get(name)
                if where is None or ":" not in where:
                    raise LookupError(f"no service named {name!r}")
                module, _, function = where.partition(":")
                self._loaded[name] = getattr(importlib.import_module(module), function)
            service = self._loaded[name]
        return service(*args)

    def warm(self, name: str, args: list[Any]) -> None:
        """Call a service once on a thread of its own, so what it loads overlaps with the first requests."""

        def run() -> None:
            with contextlib.suppress(Exception):  # the real call reports it
                self.call(name, args)

        threading.Thread(target=run, name=f"parallax-warm-{name}", daemon=True).start()


class _Feed:
    """The texts of every embedding request, passed on a thread of their own to the services the parent
    named to be fed (``{"parse": ...}`` parses them ahead, so the comparison's parse requests find them
    done). The model's thread only queues the request's bytes; they are read and passed on here."""

    def __init__(self, services: _Services, names: list[str]) -> None:
        self._services, self._names = services, names
        self._queue: queue.SimpleQueue[tuple[bytes, bytes]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def put(self, kind: bytes, payload: bytes) -> None:
        if not self._names:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="parallax-feed", daemon=True)
            self._thread.start()
        self._queue.put((kind, payload))

    def _run(self) -> None:
        while True:
            kind, payload = self._queue.get()
            with contextlib.suppress(Exception):  # feeding is only ever ahead of time: a request does it anyway
                request = json.loads(payload)
                texts = [str(t) for t in (request["texts"] if kind == b"P" else request)]
                for name in self._names:
                    self._services.call(name, [texts])


def _answer(embedder: Any, services: _Services, kind: bytes, payload: bytes) -> tuple[bytes, bytes]:
    """One request's reply frame (kind and payload)."""
    if kind == b"C":
        request = json.loads(payload)
        answer = services.call(str(request["service"]), list(request.get("args", [])))
        return b"J", json.dumps(answer, ensure_ascii=False).encode("utf-8")
    if kind == b"P":
        request = json.loads(payload)
        spans = [[(int(a), int(b)) for a, b in s] for s in request["spans"]]
        pooled = embedder.encode_pieces(request["texts"], spans)
        rows = np.ascontiguousarray(np.concatenate([pooled.sentences, pooled.pieces]), dtype="<f4")
    else:
        rows = np.ascontiguousarray(embedder.encode(json.loads(payload)), dtype="<f4")
    return b"V", _SHAPE.pack(*rows.shape) + rows.tobytes()


def serve() -> int:
    """Load the model, then answer requests until stdin closes or ``Q`` arrives."""
    # The parent owns our life through the pipe: Ctrl+C in its terminal must not print our traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Frames go to a private copy of stdout; stray prints from libraries land on stderr instead.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    niceness = os.environ.get(NICE_ENV, "0")
    nice = int(niceness) if niceness.lstrip("-").isdigit() else 0
    threads = default_threads()
    os.environ[THREADS_ENV] = str(threads)  # the runtime reads it (reader.embedding.minilm.default_threads)
    from reader.embedding.embed import load_model_embedder
    from reader.embedding.runtimes import keep_torch_out_if_unused

    # On ONNX this process needs no torch, and a parser service (spaCy's thinc) would import it for nothing.
    keep_torch_out_if_unused()
    try:
        embedder = load_model_embedder()
        embedder.encode(["The model is loaded."])  # loads it, and pays the first call's one-off costs
    except Exception as exc:
        _send(out, b"X", _one_line(exc).encode("utf-8"))
        return 1
    facts = {
        "pid": os.getpid(),
        "nice": _step_back(nice),
        "threads": threads,
        "bf16": bool(getattr(embedder, "bf16", False)),
        "runtime": str(getattr(embedder, "runtime", "")),
    }
    _send(out, b"R", json.dumps(facts).encode("ascii"))
    services = _Services(os.environ.get(SERVICES_ENV, ""))
    try:
        warm = json.loads(os.environ.get(WARM_ENV, "") or "{}")
    except ValueError:
        warm = None
    try:
        fed = json.loads(os.environ.get(FEED_ENV, "") or "[]")
    except ValueError:
        fed = []
    feed = _Feed(services, [str(n) for n in fed] if isinstance(fed, list) else [])
    while (frame := _read_frame(inp)) is not None:
        kind, payload = frame
        if kind == b"Q":
            break
        if kind in (b"E", b"P") and isinstance(warm, dict):
            # New text to embed means new sentences to parse soon: the services warm up beside the model.
            # A reopened comparison, all of it cached, sends nothing and loads nothing.
            for name, args in warm.items():
                services.warm(str(name), list(args))
            warm = None
        if kind in (b"E", b"P"):
            feed.put(kind, payload)
        try:
            reply = _answer(embedder, services, kind, payload)
        except Exception as exc:  # one bad request must not end the child
            reply = (b"X", _one_line(exc).encode("utf-8"))
        try:
            _send(out, *reply)
        except OSError:  # the parent is gone
            break
    return 0


if __name__ == "__main__":
    sys.exit(serve())
