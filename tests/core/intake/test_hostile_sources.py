"""Issue 17's hostile sources, each class as a family of variants (Hypothesis where the space is large).

Every variant ends in an article or one SourceError line: never another exception, never a hang
(the fetch and pipe cases carry a pytest timeout far above their own deadline), never memory
in proportion to what a container claims to unpack.
"""

from __future__ import annotations

import contextlib
import encodings.aliases
import gzip
import os
import socket
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from localserver import serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/core helpers (--import-mode=importlib)

from hostile import QUAKE_A, QUAKE_B, docx_bomb, nested_eml, plain_docx

from reader.errors import SourceError
from reader.intake.containers import MAX_MAIL_DEPTH, MAX_UNPACKED_BYTES, eml_document
from reader.intake.decode import decode_bytes, decode_declared, usable_charset
from reader.intake.sources import load_source

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def one_line_error(spec: str, **kw: object) -> str:
    with pytest.raises(SourceError) as err:
        load_source(spec, **kw)  # type: ignore[arg-type]
    message = str(err.value)
    assert message and "\n" not in message
    return message


def _sound(text: str) -> bool:
    """Valid Unicode that can be saved: no lone surrogate, so UTF-8 encoding never fails."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --------------------------------------------------------------------------- class 3: containers that unpack huge


@pytest.mark.parametrize("variant", ["honest-sizes", "lying-sizes", "high-ratio", "many-members"])
def test_a_word_document_bomb_is_refused_without_unpacking_it(tmp_path: Path, variant: str) -> None:
    path = tmp_path / f"{variant}.docx"
    path.write_bytes(docx_bomb(variant))
    tracemalloc.start()
    try:
        message = one_line_error(str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert path.name in message
    assert peak < MAX_UNPACKED_BYTES // 4, f"{peak:,} bytes held while refusing a {path.stat().st_size:,}-byte file"


def test_an_ordinary_word_document_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "wire.docx"
    path.write_bytes(plain_docx(QUAKE_A))
    raw = load_source(str(path))
    assert "seismic agency" in raw.text and raw.title == "Earthquake shakes Verano before dawn"


@pytest.mark.parametrize("depth", [MAX_MAIL_DEPTH + 5, 300, 1200])
def test_an_email_nested_deeper_than_any_real_one_is_one_line(tmp_path: Path, depth: int) -> None:
    path = tmp_path / f"nested-{depth}.eml"
    path.write_bytes(nested_eml(depth, QUAKE_A))
    assert path.name in one_line_error(str(path))


def test_an_email_nested_a_little_is_read(tmp_path: Path) -> None:
    path = tmp_path / "forwarded.eml"
    path.write_bytes(nested_eml(3, QUAKE_A))
    assert "seismic agency" in load_source(str(path)).text


# Python's own codecs that are no character set of any file (escape interpreters, domain names, bytes
# to bytes), drawn half the time; every other codec name Python knows the other half.
PYTHONS_OWN = ["idna", "punycode", "unicode_escape", "raw_unicode_escape", "utf-7", "undefined", "mbcs", "oem",
               "rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "x-unknown", "", "utf-16", "utf-32"]
CODEC_NAMES = st.one_of(
    st.sampled_from(PYTHONS_OWN),
    st.sampled_from(sorted(set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values()))),
)


@SETTINGS
@given(charset=CODEC_NAMES, body=st.one_of(
    st.just(QUAKE_A.replace("Sunday", "Sunday \\ud800").encode("utf-8")),
    st.binary(min_size=1, max_size=300),
    st.just(QUAKE_B.encode("utf-16-le")),
))
def test_an_email_in_any_declared_charset_is_text_or_one_line(charset: str, body: bytes) -> None:
    msg = EmailMessage()
    msg["Subject"] = "Quake"
    msg["From"] = "Desk <desk@example.org>"
    data = bytes(msg) + body
    data = data.replace(b"\n\n", f'\nContent-Type: text/plain; charset="{charset}"\n\n'.encode(), 1)
    try:
        raw = eml_document(data, "odd.eml", "odd.eml")
    except SourceError as exc:
        assert "\n" not in str(exc)
        return
    assert _sound(raw.text) and _sound(raw.title or "")


@SETTINGS
@given(charset=CODEC_NAMES, data=st.binary(max_size=400))
def test_any_declared_charset_decodes_to_sound_text_or_one_line(charset: str, data: bytes) -> None:
    for decode in (decode_bytes, decode_declared):
        try:
            text = decode(data, "page.html", charset)
        except SourceError as exc:
            assert "\n" not in str(exc)
            continue
        assert _sound(text)


@pytest.mark.parametrize("name", ["idna", "punycode", "unicode_escape", "raw-unicode-escape", "utf-7", "rot13",
                                  "zlib_codec", "undefined"])
def test_pythons_own_codecs_are_not_charsets(name: str) -> None:
    assert usable_charset(name) is None
    assert usable_charset("UTF-8") == "utf-8" and usable_charset("windows-1256") == "cp1256"


# --------------------------------------------------------------------------- class 5: paths that are no file


def test_a_loop_of_symbolic_links_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    assert "loop" in one_line_error(str(tmp_path / "loop1"))


# --------------------------------------------------------------------------- class 8: sources that never end


@contextlib.contextmanager
def dripping_fifo(folder: Path, *, every: float = 0.05) -> Iterator[Path]:
    """A named pipe whose writer holds it open for ever, sending a byte now and then (never an end of file).

    The writer is there before the reader comes, as the kernel is behind /proc/kmsg.
    """
    fifo = folder / "kmsg.txt"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer that never blocks and never closes
    stop = threading.Event()

    def writer() -> None:
        with contextlib.suppress(OSError):
            while not stop.is_set():
                os.write(fd, b"x")
                stop.wait(every)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield fifo
    finally:
        stop.set()
        thread.join(5)
        os.close(fd)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("every", [0.05, 3600.0], ids=["drips", "silent"])
def test_a_pipe_that_never_ends_is_given_up_at_the_deadline(tmp_path: Path, every: float) -> None:
    """/proc/kmsg reports itself a regular file of size 0 and never ends: a writer that never closes
    is the same to the reader, whether it sends a byte now and then or nothing at all."""
    with dripping_fifo(tmp_path, every=every) as fifo:
        message = one_line_error(str(fifo), timeout=1.0)
    assert "within 1 s" in message


def test_a_pipe_with_nobody_writing_is_empty_not_a_wait(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "empty" in one_line_error(str(fifo), timeout=5.0)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_that_never_stops_is_cut_at_the_size_limit(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is missing here")
    assert "limit" in one_line_error(device, max_bytes=1_000_000, timeout=30.0)


def test_a_pipe_that_ends_is_read_like_a_file(tmp_path: Path) -> None:
    """Process substitution (``parallax compare <(curl …) b.txt``) hands over a pipe that ends."""
    assert _read_pipe_written(tmp_path / "story.txt", after=0.0) == QUAKE_A


# --------------------------------------------------------------------------- class 9: UTF-32 without a byte-order mark

# Text of the Basic Multilingual Plane, as articles are; U+FEFF and U+FFFE would read as byte-order marks.
_PROSE = st.text(
    alphabet=st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs", "Cc", "Cn", "Co"),
                           blacklist_characters="\ufeff\ufffe"),
    min_size=2, max_size=200,
)


@SETTINGS
@given(text=st.one_of(_PROSE, st.just(QUAKE_A), st.just("زلزال يضرب مدينة ساحلية فجر يوم الأحد")),
       codec=st.sampled_from(["utf-32-le", "utf-32-be"]))
def test_utf32_without_a_bom_is_read_as_utf32(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec), "x.txt") == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_still_utf16(codec: str) -> None:
    assert decode_bytes(QUAKE_B.encode(codec), "x.txt") == QUAKE_B


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_a_utf32_file_without_a_bom_loads_without_nul_characters(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "wire.txt"
    path.write_bytes(QUAKE_B.encode(codec))
    assert load_source(str(path)).text == QUAKE_B


# --------------------------------------------------------------------------- class 4: servers slow before the body


class _Slow(BaseHTTPRequestHandler):
    """Answers one byte at a time in the phase named by the path, for ever (until the client hangs up)."""

    protocol_version = "HTTP/1.1"
    every: ClassVar[float] = 0.05

    def log_message(self, *args: object) -> None:
        pass

    def _drip(self, data: bytes, *, forever: bytes = b"") -> None:
        sock: socket.socket = self.connection
        with contextlib.suppress(OSError):
            for i in range(len(data)):
                sock.sendall(data[i : i + 1])
                time.sleep(self.every)
            while forever:
                for i in range(len(forever)):
                    sock.sendall(forever[i : i + 1])
                    time.sleep(self.every)

    def do_GET(self) -> None:
        sock: socket.socket = self.connection
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        with contextlib.suppress(OSError):
            if self.path == "/status-line":
                self._drip(b"HTTP/1.1 200 ", forever=b"O")
            elif self.path == "/headers":
                sock.sendall(b"HTTP/1.1 200 OK\r\n")
                self._drip(b"", forever=b"X-Padding: slow\r\n")
            elif self.path == "/chunk-sizes":
                sock.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n")
                self._drip(b"", forever=b"1\r\nx\r\n")
            elif self.path == "/body":
                sock.sendall(head + b"Content-Length: 100000\r\n\r\n")
                self._drip(b"", forever=b"<p>flood</p>")


@pytest.fixture(scope="module")
def slow_server() -> Iterator[str]:
    with serve(_Slow) as url:
        yield url


@pytest.mark.timeout(30)
@pytest.mark.parametrize("phase", ["status-line", "headers", "chunk-sizes", "body"])
def test_a_server_dripping_any_part_of_its_answer_is_given_up_at_the_deadline(slow_server: str, phase: str) -> None:
    message = one_line_error(f"{slow_server}/{phase}", timeout=1.0)
    assert "longer than 1 s" in message


# --------------------------------------------------------------------------- compressed bodies and redirects


def _gzip_bomb(unpacked: int = 200 << 20) -> bytes:
    """``unpacked`` bytes of one paragraph that pack to about 200 kB, built in pieces (never held whole)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    piece = b"a" * (1 << 20)
    out = [packer.compress(b"<p>")]
    out += [packer.compress(piece) for _ in range(unpacked // len(piece))]
    return b"".join(out) + packer.flush()


GZIP_BOMB = _gzip_bomb()


class _Packed(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, body: bytes, encoding: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def do_GET(self) -> None:
        page = ("<html><head><title>Quake</title></head><body><article>"
                + "".join(f"<p>{p}</p>" for p in QUAKE_A.split("\n\n")[1:] if p.strip())
                + "</article></body></html>").encode("utf-8")
        if self.path == "/gzip":
            self._send(gzip.compress(page), "gzip")
        elif self.path == "/deflate":
            self._send(zlib.compress(page), "deflate")
        elif self.path == "/gzip-bomb":
            self._send(GZIP_BOMB, "gzip")
        elif self.path == "/damaged":
            self._send(gzip.compress(page)[:-40] + b"\x00" * 40, "gzip")
        elif self.path == "/brotli":
            self._send(b"\x1b\x00\x00", "br")
        elif self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/to/"):].replace("_", "/"))
            self.send_header("Content-Length", "0")
            self.end_headers()


@pytest.fixture(scope="module")
def packed_server() -> Iterator[str]:
    with serve(_Packed) as url:
        yield url


@pytest.mark.parametrize("path", ["/gzip", "/deflate"])
def test_a_compressed_page_is_unpacked(packed_server: str, path: str) -> None:
    raw = load_source(packed_server + path)
    assert raw.is_html and "seismic agency" in raw.text


@pytest.mark.timeout(60)
def test_a_gzip_bomb_is_refused_in_pieces(packed_server: str) -> None:
    tracemalloc.start()
    try:
        message = one_line_error(packed_server + "/gzip-bomb", max_bytes=5_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "limit" in message or "bomb" in message
    assert peak < 50_000_000, f"{peak:,} bytes held for a page capped at 5 MB"


@pytest.mark.parametrize(("path", "words"), [("/damaged", "damaged"), ("/brotli", "cannot read")])
def test_a_badly_packed_page_is_one_line(packed_server: str, path: str, words: str) -> None:
    assert words in one_line_error(packed_server + path)


@pytest.mark.parametrize("target", ["javascript:alert(1)", "file:___etc_hostname", "data:text_html,x", "ftp:__h_x"])
def test_a_redirect_to_another_scheme_says_where_it_went(packed_server: str, target: str) -> None:
    scheme = target.split(":", 1)[0]
    message = one_line_error(f"{packed_server}/to/{target}")
    assert f"redirected to a {scheme}: address" in message and "too many redirects" not in message


def test_a_pipe_whose_writer_comes_late_is_still_read(tmp_path: Path) -> None:
    """The writer of process substitution may open the pipe after Parallax does: wait for it."""
    assert _read_pipe_written(tmp_path / "late.txt", after=0.5) == QUAKE_A


def _read_pipe_written(fifo: Path, *, after: float) -> str:
    """Load a named pipe that another thread opens ``after`` seconds later and fills with a story."""
    os.mkfifo(fifo)

    def writer() -> None:
        time.sleep(after)
        with open(fifo, "wb") as fh:
            fh.write(QUAKE_A.encode("utf-8"))

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    raw = load_source(str(fifo), timeout=10.0)
    thread.join(5)
    return raw.text
