"""Fetching one web page over http(s), within limits a user can trust.

urllib from the standard library is enough for one page at a time. The limits
are ours because urllib has none that hold against a hostile or broken server:
its timeout is per socket operation (a server dripping one byte a second never
trips it), it reads bodies of any size, and it follows redirects to ftp://.
"""

from __future__ import annotations

import email.message
import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from reader.errors import SourceError
from reader.intake.decode import check_page_size, decode_bytes, meta_charset, slim_html
from reader.model import RawDocument

MAX_REDIRECTS = 5
_CHUNK = 65536
_ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_USER_AGENT = "Parallax/0.1 (news comparison reader)"


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2  # a loop between two addresses ends on its second visit

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise SourceError(f"{req.full_url}: redirected to a {scheme}:// address, which Parallax does not follow")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


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


def _read_capped(resp: http.client.HTTPResponse, url: str, deadline: float, timeout: float, max_bytes: int) -> bytes:
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise SourceError(f"{url}: the page is {int(length):,} bytes, over the {max_bytes:,}-byte limit")
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise SourceError(f"{url}: the page took longer than {timeout:g} s to download")
        chunk = resp.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(f"{url}: the page is over the {max_bytes:,}-byte limit")
        chunks.append(chunk)


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


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head


def fetch_url(url: str, *, timeout: float = 15.0, max_bytes: int = 20_000_000) -> RawDocument:
    """Download one http(s) page: at most ``max_bytes``, at most ``timeout`` seconds in all."""
    url = check_web_address(url)
    opener = urllib.request.build_opener(_Redirects())
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "text/html, text/plain"})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as resp:
            ctype, charset = _content_type(resp.headers)
            if ctype and ctype not in _ACCEPTED_TYPES:
                raise SourceError(f"{url}: the server sent {ctype}, not a web page or text")
            data = _read_capped(resp, url, deadline, timeout, max_bytes)
            final_url = resp.geturl()
    except SourceError:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code in (301, 302, 303, 307, 308):
            raise SourceError(f"{url}: too many redirects (more than {MAX_REDIRECTS}, or a loop)") from None
        raise SourceError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise SourceError(f"{url}: no answer within {timeout:g} s") from None
        raise SourceError(f"{url}: could not connect ({exc.reason})") from None
    except TimeoutError:
        raise SourceError(f"{url}: no answer within {timeout:g} s") from None
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise SourceError(f"{url}: the download failed ({type(exc).__name__}: {exc})") from None
    if not data.strip():
        raise SourceError(f"{url}: the server sent an empty page")
    text = decode_bytes(data, url, declared=charset or meta_charset(data))
    is_html = ctype in ("text/html", "application/xhtml+xml") or (ctype != "text/plain" and _looks_like_html(text))
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
