"""The sentence model in a long-lived child process, for the desktop app.

Why a process: with the model on a worker thread, the UI thread's heartbeat
stalled 87-155 ms (812 ms once) while 50 articles were compared. The watchdog
showed the UI thread idle in Qt's event loop and the worker inside torch:
torch's intra-op threads took both cores, and ``import torch`` held the GIL
while native libraries loaded. In a child process none of that touches the
app's GIL, the app process never imports torch (about 400 MB less), and the
child runs one intra-op thread fewer than there are cores.

``ProcessEmbedder`` implements ``reader.embedding.embed.Embedder``. The child is started
on the first ``encode`` or by ``start()``, loads the model through
``reader.embedding.embed.load_model_embedder()`` (same checksum check, same bf16 choice:
it inherits the environment, ``PARALLAX_BF16`` included) and answers requests
one at a time until its stdin closes, so it never outlives the app. A child
that dies, hangs or cannot start costs one ``ParallaxError`` line; the next
``encode`` starts a fresh one. The command line keeps the in-process model.

Wire format, both ways, on the child's stdin/stdout: one kind byte, a 4-byte
big-endian length, the payload. Parent to child: ``E`` + JSON list of texts,
``P`` + JSON ``{"texts": [...], "spans": [[[start, end], ...], ...]}`` (sentences and
their pieces from one forward pass), ``C`` + JSON ``{"service": name, "args": [...]}``
(a service, below), ``Q`` (quit). Child to parent: ``R`` + JSON facts once the model
is loaded, ``V`` + rows and dim (2 x 4 bytes) + little-endian float32 (for ``P``: the
sentences' rows, then the pieces'), ``J`` + a service's JSON answer, ``X`` + a
one-line error. JSON and raw floats, not pickle: nothing from the pipe is executed.

Services: other heavy work the app wants off its own interpreter lock (the dependency
parser: spaCy held the UI thread 130-226 ms while it parsed on a worker thread). The
parent names them at construction, ``{"parse": "package.module:function"}``; the child
imports a service's module on its first call and accepts no name the parent did not
give. A service may also be warmed: called once on a thread of the child's when the first text
to embed arrives, so the parser loads beside the model's work (app launch to the demo's finished
comparison on an empty cache: 4.3-4.7 s -> 3.6-3.7 s), while a reopened comparison, all of it
cached, sends no text and loads nothing. A service may also be fed: called, on a thread of the
child's, with the texts of every embedding request (the app's parser parses them ahead, on the core
the model leaves free, so the comparison's parse requests find them done: the differences stage of
the demo's first comparison 1.07 -> 0.43 s). This module never imports them: the layer that owns a
service wires it (the app).
The child's side is ``reader.embedding.processchild``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from reader.embedding.embed import DIM, MODEL_NAME, Embedder
from reader.embedding.minilm import PooledVectors, Span
from reader.errors import ParallaxError

_HEADER = struct.Struct("!cI")
_SHAPE = struct.Struct("!II")
_EOF = b""  # what the reader thread posts when the child's stdout closes
_MAX_TEXTS = 512  # per request: keeps one pipe write and one reply modest
START_TIMEOUT = 300.0  # import + load: 4 s when idle, much more on a crowded machine
REPLY_TIMEOUT = 120.0  # one request; a batch of 64 sentences takes well under a second
THREADS_ENV = "PARALLAX_EMBED_THREADS"
NICE_ENV = "PARALLAX_EMBED_NICE"
# How much the child steps back for the window once its model is loaded (a nice value; the environment
# variable above overrides it, 0 keeps its priority). Linux shares the CPU between sessions first
# (autogroups) and only then between the threads of a session, so this costs the child nothing against
# other programs: it only lets the window's own threads go first when they want a core at the same time.
CHILD_NICE = 10
SERVICES_ENV = "PARALLAX_CHILD_SERVICES"
WARM_ENV = "PARALLAX_CHILD_WARM"
FEED_ENV = "PARALLAX_CHILD_FEED"


def default_threads() -> int:
    """Intra-op threads for the child: every core but one, which stays free for the UI thread."""
    override = os.environ.get(THREADS_ENV, "")
    if override.isdigit() and int(override) > 0:
        return int(override)
    return max(1, (os.cpu_count() or 2) - 1)


def _frame(kind: bytes, payload: bytes) -> bytes:
    return _HEADER.pack(kind, len(payload)) + payload


def _read_exact(stream: BinaryIO, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream: BinaryIO) -> tuple[bytes, bytes] | None:
    head = _read_exact(stream, _HEADER.size)
    if head is None:
        return None
    kind, length = _HEADER.unpack(head)
    payload = _read_exact(stream, length) if length else b""
    return None if payload is None else (kind, payload)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, ParallaxError):
        return exc.message
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"The sentence model failed ({type(exc).__name__}: {text[:300]})."


class ProcessEmbedder:
    """all-MiniLM-L6-v2 in a child process; same contract as ``ModelEmbedder``."""

    name = MODEL_NAME

    def __init__(
        self,
        *,
        threads: int | None = None,
        nice: int | None = None,
        start_timeout: float = START_TIMEOUT,
        reply_timeout: float = REPLY_TIMEOUT,
        services: Mapping[str, str] | None = None,
        warm: Mapping[str, Sequence[Any]] | None = None,
        feed: Sequence[str] = (),
    ) -> None:
        self.services = dict(services or {})  # name -> "module:function", run in the child on request
        # name -> arguments: called once, on a thread of the child's, when the first text to embed arrives
        self.warm = {k: list(v) for k, v in (warm or {}).items() if k in self.services}
        # services called with the texts of every embedding request, on a thread of the child's
        self.feed = [k for k in feed if k in self.services]
        self.threads = threads or default_threads()
        niceness = os.environ.get(NICE_ENV, str(CHILD_NICE)) if nice is None else str(nice)
        self.nice = int(niceness) if niceness.lstrip("-").isdigit() else 0
        self.start_timeout = start_timeout
        self.reply_timeout = reply_timeout
        self.starts = 0  # children started so far (a restart after a crash adds one)
        self.info: dict[str, Any] = {}  # what the child said once loaded: bf16, threads, pid, nice
        self._request = threading.Lock()  # one request in flight; held across a whole round trip
        self._state = threading.Lock()  # guards the fields below; only ever held briefly
        self._proc: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[tuple[bytes, bytes]] | None = None
        self._ready = False

    # -- life of the child ---------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def start(self) -> None:
        """Start the child if none is running; returns at once (the model loads meanwhile)."""
        with self._state:
            if self._proc is not None and self._proc.poll() is None:
                return
            self._reap_locked()
            env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
            threads = str(self.threads)
            env.update({THREADS_ENV: threads, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads})
            env[NICE_ENV] = str(self.nice)
            env[SERVICES_ENV] = json.dumps(self.services)
            env[WARM_ENV] = json.dumps(self.warm)
            env[FEED_ENV] = json.dumps(self.feed)
            # The child finds this package even when the app was started from another folder.
            root = str(Path(__file__).resolve().parent.parent)
            env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
            flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
            try:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "reader.embedding.processchild"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    env=env,
                    creationflags=flags,
                )
            except OSError as exc:
                raise ParallaxError(f"Could not start the sentence model's process ({exc.strerror or exc}).") from None
            replies: queue.Queue[tuple[bytes, bytes]] = queue.Queue()
            assert proc.stdout is not None
            reader = threading.Thread(
                target=_pump, args=(proc.stdout, replies), name="parallax-embed-reader", daemon=True
            )
            reader.start()
            self._proc, self._replies, self._ready = proc, replies, False
            self.starts += 1

    def close(self) -> None:
        """Stop the child (politely, then by force); the next ``encode`` would start a new one."""
        with self._state:
            self._reap_locked()

    def _reap_locked(self) -> None:
        proc, self._proc, self._replies, self._ready = self._proc, None, None, False
        if proc is None:
            return
        try:
            if proc.poll() is None and proc.stdin is not None:
                proc.stdin.write(_frame(b"Q", b""))
                proc.stdin.flush()
        except OSError:
            pass
        try:
            if proc.stdin is not None:
                proc.stdin.close()  # EOF: the child leaves its loop even if it missed the Q
        except OSError:
            pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def _died(self, proc: subprocess.Popen[bytes], what: str) -> ParallaxError:
        """Forget a child that stopped answering and say so in one line."""
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait(timeout=5)
        with self._state:
            if self._proc is proc:
                self._proc, self._replies, self._ready = None, None, False
        return ParallaxError(f"The sentence model's process {what} (exit code {code}); it restarts on the next try.")

    # -- requests ------------------------------------------------------------------------------
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._request:
            parts = [self._round_trip(texts[i : i + _MAX_TEXTS]) for i in range(0, len(texts), _MAX_TEXTS)]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def encode_pieces(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> PooledVectors:
        """Sentences and their pieces from one forward pass in the child (``MiniLMEmbedder.encode_pieces``)."""
        texts = list(texts)
        if len(spans) != len(texts):
            raise ParallaxError("encode_pieces needs one list of spans per text.")
        owner = np.asarray([i for i, s in enumerate(spans) for _ in s], dtype=np.int64)
        if not texts:
            return PooledVectors(np.zeros((0, DIM), np.float32), np.zeros((0, DIM), np.float32), owner)
        sentences, pieces = [], []
        with self._request:
            for i in range(0, len(texts), _MAX_TEXTS):
                part = [[list(map(int, span)) for span in s] for s in spans[i : i + _MAX_TEXTS]]
                n = len(part)
                rows = self._round_trip(texts[i : i + _MAX_TEXTS], part, n + sum(len(s) for s in part))
                sentences.append(rows[:n])
                pieces.append(rows[n:])
        return PooledVectors(np.concatenate(sentences), np.concatenate(pieces), owner)

    def call(self, service: str, *args: Any) -> Any:
        """Run a service the parent named at construction in the child; its JSON answer."""
        if service not in self.services:
            raise ParallaxError(f"The model's process offers no service named {service!r}.")
        with self._request:
            kind, payload, proc = self._exchange(_frame(b"C", json.dumps({"service": service, "args": args}).encode()))
        if kind != b"J":
            raise self._unexpected(proc, kind, payload)
        return json.loads(payload)

    def _round_trip(
        self, texts: list[str], spans: list[list[list[int]]] | None = None, expect: int | None = None
    ) -> np.ndarray:
        if spans is None:
            request = _frame(b"E", json.dumps(texts).encode("ascii"))
        else:
            request = _frame(b"P", json.dumps({"texts": texts, "spans": spans}).encode("ascii"))
        kind, payload, proc = self._exchange(request)
        if kind != b"V":
            raise self._unexpected(proc, kind, payload)
        rows, dim = _SHAPE.unpack_from(payload)
        body = payload[_SHAPE.size :]
        if rows != (len(texts) if expect is None else expect) or len(body) != rows * dim * 4:
            proc.kill()
            raise self._died(proc, "sent a malformed answer")
        return np.frombuffer(body, dtype="<f4").reshape(rows, dim).astype(np.float32)

    def _exchange(self, request: bytes) -> tuple[bytes, bytes, subprocess.Popen[bytes]]:
        """Send one request once the child is ready; its reply (the caller holds ``_request``)."""
        self.start()
        with self._state:
            proc, replies, ready = self._proc, self._replies, self._ready
        assert proc is not None and replies is not None and proc.stdin is not None
        if not ready:
            kind, payload = self._reply(proc, replies, self.start_timeout, "did not finish loading the model")
            if kind != b"R":
                raise self._unexpected(proc, kind, payload)
            self.info = json.loads(payload)
            with self._state:
                self._ready = self._proc is proc
        try:
            proc.stdin.write(request)
            proc.stdin.flush()
        except (OSError, ValueError):  # a closed pipe: the child is gone
            raise self._died(proc, "stopped unexpectedly") from None
        kind, payload = self._reply(proc, replies, self.reply_timeout, "stopped answering")
        return kind, payload, proc

    def _reply(self, proc: subprocess.Popen[bytes], replies: queue.Queue, timeout: float, what: str):
        try:
            kind, payload = replies.get(timeout=timeout)
        except queue.Empty:
            proc.kill()
            raise self._died(proc, what) from None
        if kind == _EOF:
            raise self._died(proc, "stopped unexpectedly")
        return kind, payload

    def _unexpected(self, proc: subprocess.Popen[bytes], kind: bytes, payload: bytes) -> ParallaxError:
        if kind == b"X":
            message = payload.decode("utf-8", "replace")
            if proc.poll() is not None or not self._ready:
                self._died(proc, "stopped")  # a child that failed to load exits; forget it
            return ParallaxError(message)
        proc.kill()
        return self._died(proc, f"sent an unexpected answer ({kind!r})")


def _pump(stream: BinaryIO, replies: queue.Queue) -> None:
    """Parent side, own thread: every frame the child writes goes to the queue, then one EOF mark."""
    try:
        while (frame := _read_frame(stream)) is not None:
            replies.put(frame)
    except (OSError, ValueError, struct.error):
        pass
    finally:
        replies.put((_EOF, b""))


# -- one per process, for the app ----------------------------------------------------------------
_shared_lock = threading.Lock()
_shared: ProcessEmbedder | None = None


def shared_process_embedder(
    services: Mapping[str, str] | None = None,
    warm: Mapping[str, Sequence[Any]] | None = None,
    feed: Sequence[str] = (),
) -> ProcessEmbedder:
    """The app's one child process (90 MB of model, 400 MB of torch), stopped at interpreter exit.

    ``services``, ``warm`` and ``feed`` count only on the call that creates it (the app's start)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ProcessEmbedder(services=services, warm=warm, feed=feed)
            atexit.register(_shared.close)
        return _shared


def process_embedder() -> Embedder:
    """The shared child behind the disk cache (the cache folder is looked up on each call)."""
    from reader.embedding.cache import CachedEmbedder

    return CachedEmbedder(shared_process_embedder())


def start_process_embedder() -> None:
    """Start the shared child now, so the model's 4 s import overlaps with the person reading."""
    # On failure the first encode tries again and reports it where the window can show it.
    with contextlib.suppress(ParallaxError):
        shared_process_embedder().start()
