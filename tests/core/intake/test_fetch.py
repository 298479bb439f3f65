"""Fetching obeys its limits, against a real local server (127.0.0.1, never the internet)."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from localserver import serve

from reader.errors import SourceError
from reader.intake.fetch import fetch_url
from reader.intake.sources import load_source

PAGE = (Path(__file__).resolve().parents[2] / "data" / "intake" / "election.html").read_bytes()
ARABIC = (Path(__file__).resolve().parents[2] / "data" / "intake" / "arabic.txt").read_text(encoding="utf-8")


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, code: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (a timeout test): nothing to do
            self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path = self.path
        if path == "/article":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif path == "/plain":
            self._send(200, "text/plain", b"Ferry strike ends\n\nCrews returned to work on Monday after a week.\n")
        elif path == "/arabic":
            body = f"<html><body><h1>{ARABIC.splitlines()[0]}</h1><p>{ARABIC.splitlines()[4]}</p></body></html>"
            self._send(200, "text/html; charset=windows-1256", body.encode("cp1256"))
        elif path == "/slow":
            time.sleep(3)
            self._send(200, "text/html", PAGE)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(60):
                    self.wfile.write(b"<p>drip</p>\n")
                    self.wfile.flush()
                    time.sleep(0.1)
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(200):
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
        elif path == "/biglength":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(10**10))
            self.end_headers()
        elif path in ("/loop-a", "/loop-b"):
            self._redirect("/loop-b" if path == "/loop-a" else "/loop-a")
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            self._redirect(f"/chain/{n - 1}") if n > 0 else self._send(200, "text/html", PAGE)
        elif path == "/to-ftp":
            self._redirect("ftp://127.0.0.1/file.txt")
        elif path == "/pdf":
            self._send(200, "application/pdf", b"%PDF-1.4 not a page")
        elif path == "/empty":
            self._send(200, "text/html", b"   ")
        else:
            self._send(404, "text/html", b"<h1>Not found</h1>")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve(_Handler) as url:
        yield url


def _error(url: str, **kw: float) -> str:
    with pytest.raises(SourceError) as err:
        fetch_url(url, **{"timeout": 2.0, "max_bytes": 1_000_000, **kw})
    message = str(err.value)
    assert message and "\n" not in message
    return message


def test_page_and_its_metadata(server: str) -> None:
    raw = fetch_url(f"{server}/article", timeout=5, max_bytes=1_000_000)
    assert raw.is_html and raw.url == f"{server}/article" and raw.source == f"{server}/article"
    assert raw.site_name == "Nordland Daily" and raw.published == "2023-09-11" and raw.author == "Erik Lund"
    assert raw.title and raw.title.startswith("Coalition wins")


def test_load_source_dispatches_urls(server: str) -> None:
    assert load_source(f"{server}/plain", timeout=5).text.startswith("Ferry strike ends")


def test_declared_windows_1256_is_decoded(server: str) -> None:
    raw = fetch_url(f"{server}/arabic", timeout=5, max_bytes=1_000_000)
    assert ARABIC.splitlines()[4] in raw.text


def test_slow_server_times_out(server: str) -> None:
    assert "1 s" in _error(f"{server}/slow", timeout=1.0)


def test_server_that_drips_bytes_hits_the_total_time_limit(server: str) -> None:
    assert "longer than 1 s" in _error(f"{server}/drip", timeout=1.0)


def test_huge_body_is_cut_off_at_the_size_limit(server: str) -> None:
    assert "limit" in _error(f"{server}/huge", max_bytes=200_000)


def test_announced_huge_body_is_refused_before_reading(server: str) -> None:
    assert "limit" in _error(f"{server}/biglength")


def test_redirect_loop_ends(server: str) -> None:
    assert "redirect" in _error(f"{server}/loop-a")


def test_long_redirect_chain_ends_but_a_short_one_is_followed(server: str) -> None:
    assert "redirect" in _error(f"{server}/chain/12")
    assert fetch_url(f"{server}/chain/2", timeout=5, max_bytes=1_000_000).url == f"{server}/chain/0"


def test_redirect_to_ftp_is_refused(server: str) -> None:
    assert "ftp" in _error(f"{server}/to-ftp")


def test_non_html_content_type_is_refused(server: str) -> None:
    assert "application/pdf" in _error(f"{server}/pdf")


def test_http_error_and_empty_page(server: str) -> None:
    assert "404" in _error(f"{server}/nothing-here")
    assert "empty" in _error(f"{server}/empty")


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert "could not connect" in _error(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/a.txt", "http://", "gopher://x"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    _error(url)
