"""Fetching one web page over http(s), within limits a user can trust.

urllib from the standard library is enough for one page at a time. The limits
are ours because urllib has none that hold against a hostile or broken server:
its timeout is per socket operation (a server dripping one byte a second — in
its status line, its headers, its chunk sizes or its body — never trips it), it
reads bodies of any size, and it follows redirects to ftp://. So the whole fetch
runs against one wall-clock deadline: a watchdog shuts the connection's socket
when it passes, whatever the fetch was waiting for, and the caller is answered
at the deadline even if name resolution itself hangs. A compressed body is
unpacked in pieces, capped in size and in ratio.
"""

from __future__ import annotations

import contextlib
import email.message
import functools
import http.client
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from typing import Any

from reader.errors import SourceError
from reader.intake.decode import decode_bytes, meta_charset
from reader.intake.rawhtml import check_page_size, looks_like_html, slim_html
from reader.model import RawDocument

MAX_REDIRECTS = 5
MAX_RATIO = 200  # unpacked / packed: HTML packs 5-20 times, a gzip bomb 1,000
_CHUNK = 65536
_ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_USER_AGENT = "Parallax/0.1 (news comparison reader)"
_REDIRECT_CODES = (301, 302, 303, 307, 308)


class _Watchdog:
    """Shuts every socket of one fetch when its deadline passes, from a timer thread."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(timeout, self.expire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            self._shut(sock)
        return sock

    def remaining(self) -> float:
        return max(0.05, self.deadline - time.monotonic())

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    def stop(self) -> None:
        self._timer.cancel()

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        # shutdown, not close: it wakes a recv blocked in another thread at once, on every platform.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _watching(watchdog: _Watchdog) -> Any:
    def create(*args: Any, **kwargs: Any) -> socket.socket:
        return watchdog.watch(socket.create_connection(*args, **kwargs))

    return create


# The raw socket is watched from the moment it exists, before any TLS handshake on it.
class _WatchedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, *, watchdog: _Watchdog, **kwargs: Any) -> None:
        kwargs["timeout"] = watchdog.remaining()
        super().__init__(host, **kwargs)
        self._create_connection = _watching(watchdog)


class _WatchedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, *, watchdog: _Watchdog, **kwargs: Any) -> None:
        kwargs["timeout"] = watchdog.remaining()
        super().__init__(host, **kwargs)
        self._create_connection = _watching(watchdog)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self.watchdog = watchdog

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        return super().do_open(functools.partial(_WatchedHTTP, watchdog=self.watchdog), req, **kwargs)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self.watchdog = watchdog

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        return super().do_open(functools.partial(_WatchedHTTPS, watchdog=self.watchdog), req, **kwargs)


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2  # a loop between two addresses ends on its second visit

    def http_error_302(self, req, fp, code, msg, headers):  # urllib calls it with these
        # urllib refuses a javascript: or file: target with an error that reads like a redirect loop;
        # the person should hear where the page tried to send them.
        target = headers.get("location") or headers.get("uri")
        if target:
            scheme = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, target)).scheme.lower()
            if scheme not in ("http", "https"):
                fp.close()
                raise SourceError(
                    f"{req.full_url}: redirected to a {scheme}: address, which Parallax does not follow"
                )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def check_web_address(url: str) -> str:
    """The URL if Parallax may fetch it (http or https with a host); SourceError otherwise."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError(f"{url}: only http:// and https:// addresses can be fetched")
    if not parts.hostname:
        raise SourceError(f"{url}: the address has no host name")
    return url.strip()


def _content_type(headers: email.message.Message) -> tuple[str, str | None]:
    ctype = headers.get_content_type() if headers.get("Content-Type") else ""
    return ctype, headers.get_content_charset()


class _Unpacker:
    """The body as sent (identity) or unpacked from gzip/deflate in pieces, never past the caps."""

    def __init__(self, encoding: str, url: str, max_bytes: int) -> None:
        self.url, self.max_bytes = url, max_bytes
        self.packed = self.size = 0
        if encoding in ("", "identity"):
            self.inflater = None
        elif encoding in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.inflater = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise SourceError(
                f"{url}: the server sent the page packed as {encoding[:20]!r}, which Parallax cannot read"
            )

    def feed(self, chunk: bytes) -> bytes:
        self.packed += len(chunk)
        if self.inflater is None:
            out = chunk
        else:
            try:
                # At most one byte past the cap is unpacked from any piece: a bomb never fills memory.
                out = self.inflater.decompress(chunk, self.max_bytes + 1 - self.size)
                if self.inflater.unconsumed_tail:
                    raise self._too_large()
            except zlib.error as exc:
                raise SourceError(f"{self.url}: the server sent a damaged compressed page ({exc})") from None
        self.size += len(out)
        if self.size > self.max_bytes:
            raise self._too_large()
        if self.inflater is not None and self.size > (1 << 20) and self.size > MAX_RATIO * self.packed:
            raise SourceError(f"{self.url}: the page unpacks {self.size // self.packed:,} times its size "
                              "(a compression bomb?); not read")
        return out

    def finish(self) -> None:
        """SourceError when a compressed body stopped before its end (a damaged or cut-off stream)."""
        if self.inflater is not None and not self.inflater.eof:
            raise SourceError(f"{self.url}: the server sent a damaged compressed page (it stops before its end)")

    def _too_large(self) -> SourceError:
        return SourceError(f"{self.url}: the page is over the {self.max_bytes:,}-byte limit")


def _read_body(resp: http.client.HTTPResponse, url: str, max_bytes: int) -> bytes:
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise SourceError(f"{url}: the page is {int(length):,} bytes, over the {max_bytes:,}-byte limit")
    unpacker = _Unpacker((resp.headers.get("Content-Encoding") or "").strip().lower(), url, max_bytes)
    chunks: list[bytes] = []
    while chunk := resp.read1(_CHUNK):
        chunks.append(unpacker.feed(chunk))
    unpacker.finish()
    return b"".join(chunks)


# htmldate's "extensive" date search runs dateparser (30-100 ms a line here, after 4-5 s of loading its
# locales) over every date-like line of text, comment threads included: 17 s for a 1 MB page, minutes
# for 20 MB. Worse, on a page whose markup gives no date it picks a commenter's time stamp as the
# article's date (tests/data/intake/transfer_comments_inside.html). The date comes from the markup
# only (meta tags, JSON-LD, <time>, the address): no date is better than a wrong one.


def html_metadata(html: str, url: str | None = None) -> dict[str, str | None]:
    """Title, site name, date and author of a page, as trafilatura reads them (None where absent)."""
    import trafilatura

    page = slim_html(html)
    try:
        meta = trafilatura.extract_metadata(page, default_url=url, extensive=False)
    except Exception:  # a metadata failure must never lose the article itself
        meta = None
    if meta is None:
        return {"title": None, "site_name": None, "published": None, "author": None}
    return {"title": meta.title, "site_name": meta.sitename, "published": meta.date, "author": meta.author}


def _download(url: str, watchdog: _Watchdog, max_bytes: int) -> tuple[bytes, str, str | None, str]:
    opener = urllib.request.build_opener(_Redirects(), _HTTPHandler(watchdog), _HTTPSHandler(watchdog))
    request = urllib.request.Request(
        url, headers={"User-Agent": _USER_AGENT, "Accept": "text/html, text/plain", "Accept-Encoding": "gzip"}
    )
    with opener.open(request, timeout=watchdog.remaining()) as resp:
        ctype, charset = _content_type(resp.headers)
        if ctype and ctype not in _ACCEPTED_TYPES:
            raise SourceError(f"{url}: the server sent {ctype}, not a web page or text")
        return _read_body(resp, url, max_bytes), ctype, charset, resp.geturl()


def _failure(url: str, exc: BaseException, timeout: float) -> SourceError:
    if isinstance(exc, SourceError):
        return exc
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code in _REDIRECT_CODES:
            return SourceError(f"{url}: too many redirects (more than {MAX_REDIRECTS}, or a loop)")
        return SourceError(f"{url}: the server answered {exc.code} {exc.reason}")
    if isinstance(exc, urllib.error.URLError):
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            return SourceError(f"{url}: no answer within {timeout:g} s")
        return SourceError(f"{url}: could not connect ({exc.reason})")
    if isinstance(exc, TimeoutError):
        return SourceError(f"{url}: no answer within {timeout:g} s")
    return SourceError(f"{url}: the download failed ({type(exc).__name__}: {exc})")


def _fetch_within(url: str, timeout: float, max_bytes: int) -> tuple[bytes, str, str | None, str]:
    """The download, run on a helper thread so the caller hears back at the deadline, whatever hangs."""
    watchdog = _Watchdog(timeout)
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(_download(url, watchdog, max_bytes))
        except BaseException as exc:  # handed to the caller's thread, which decides what to say
            outcome.append(exc)

    worker = threading.Thread(target=run, name="parallax-fetch", daemon=True)
    watchdog.start()
    worker.start()
    try:
        worker.join(timeout + 1.0)  # the watchdog has shut the socket by then; a hung name lookup is left behind
    except BaseException:  # Ctrl+C or SIGTERM while waiting: the download stops with us
        watchdog.expire()
        raise
    finally:
        watchdog.stop()
    if watchdog.expired or not outcome:
        raise SourceError(f"{url}: the page took longer than {timeout:g} s to download")
    result = outcome[0]
    if isinstance(result, BaseException):
        if isinstance(result, Exception):
            raise _failure(url, result, timeout)
        raise result
    return result


def fetch_url(url: str, *, timeout: float = 15.0, max_bytes: int = 20_000_000) -> RawDocument:
    """Download one http(s) page: at most ``max_bytes``, at most ``timeout`` seconds in all."""
    url = check_web_address(url)
    data, ctype, charset, final_url = _fetch_within(url, timeout, max_bytes)
    if not data.strip():
        raise SourceError(f"{url}: the server sent an empty page")
    text = decode_bytes(data, url, declared=charset or meta_charset(data))
    is_html = ctype in ("text/html", "application/xhtml+xml") or (ctype != "text/plain" and looks_like_html(text))
    if is_html:
        check_page_size(slim_html(text), url)  # before any parser: a refusal must come in seconds, not minutes
    meta = html_metadata(text, final_url) if is_html else {}
    return RawDocument(
        source=url,
        text=text,
        is_html=is_html,
        title=meta.get("title"),
        site_name=meta.get("site_name"),
        published=meta.get("published"),
        author=meta.get("author"),
        url=final_url,
    )
