"""Where articles come from: files, web addresses and pasted text, all as RawDocument.

Every failure is a SourceError naming the file in one line: a journalist with
five sources needs to know which one is wrong and why, not read a traceback.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import stat
from dataclasses import replace
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from reader.errors import SourceError
from reader.intake.decode import check_page_size, decode_bytes, meta_charset, slim_html
from reader.intake.fetch import fetch_url, html_metadata
from reader.model import RawDocument

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(//)?")
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MANIFEST = "manifest.json"


def _is_web_address(spec: str) -> bool:
    found = _SCHEME.match(spec)
    # "C:\news\a.txt" has a one-letter scheme-like prefix: that is a Windows drive, not an address.
    return found is not None and (found.group(2) is not None or len(found.group(1)) > 1)


def load_manifest(folder: Path | str) -> dict[str, str]:
    """File name -> outlet from a folder's manifest.json; empty when absent or unreadable."""
    path = Path(folder) / MANIFEST
    try:
        if not path.is_file() or path.stat().st_size > 1_000_000:  # a pipe would block, a huge file is no manifest
            return {}
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    items = doc.get("articles", []) if isinstance(doc, dict) else []
    return {
        str(item["file"]): str(item["outlet"]).strip()
        for item in items
        if isinstance(item, dict) and item.get("file") and str(item.get("outlet") or "").strip()
    }


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def _from_markdown(text: str) -> str:
    # Headline markers and link syntax are markup, not words; everything else reads fine as text.
    return _MD_LINK.sub(r"\1", _MD_HEADING.sub("", text))


def _docx_text(path: Path, name: str) -> tuple[str, str | None, str | None]:
    import docx  # python-docx; imported here so plain-text users never pay for it

    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for damaged files
        raise SourceError(f"{name}: not a readable Word document ({type(exc).__name__})") from None
    paras = [p.text.strip() for p in doc.paragraphs if p.text.strip()]
    title = (doc.core_properties.title or "").strip() or None
    if title is None:
        styled = [p for p in doc.paragraphs if p.style is not None and p.style.name.startswith(("Title", "Head"))]
        heads = [p.text.strip() for p in styled if p.text.strip()]
        title = heads[0] if heads else None
    author = (doc.core_properties.author or "").strip() or None
    return "\n\n".join(paras), title, author


def _eml_parts(msg: EmailMessage) -> tuple[str, bool]:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", False
    try:
        content = body.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = body.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        content = decode_bytes(payload, "e-mail body")
    return str(content), body.get_content_type() == "text/html"


def _eml(path: Path, data: bytes, name: str) -> RawDocument:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise SourceError(f"{name}: not a readable e-mail message")
    text, is_html = _eml_parts(msg)
    if not text.strip():
        raise SourceError(f"{name}: the e-mail has no text body")
    published = None
    if msg.get("Date"):
        try:
            published = parsedate_to_datetime(str(msg["Date"])).date().isoformat()
        except (TypeError, ValueError):
            published = None
    sender = msg.get("From")
    author = sender.addresses[0].display_name or None if sender and sender.addresses else None
    return RawDocument(
        source=str(path), text=text, is_html=is_html, title=str(msg.get("Subject") or "").strip() or None,
        published=published, author=author, filename=path.name,
    )


def _read_file(path: Path, spec: str, max_bytes: int) -> bytes:
    name = path.name or spec
    try:
        if not path.exists():
            raise SourceError(f"{spec}: no such file")
        if path.is_dir():
            raise SourceError(f"{spec}: is a folder, not a file")
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a named pipe or a device would block the read, or never end
            raise SourceError(f"{spec}: not a regular file")
        size = info.st_size
        if size > max_bytes:
            raise SourceError(f"{name}: the file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may grow between stat and read
    except PermissionError:
        raise SourceError(f"{spec}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{spec}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise SourceError(f"{name}: the file is over the {max_bytes:,}-byte limit")
    if not data.strip():
        raise SourceError(f"{name}: the file is empty")
    return data


def _load_file(spec: str, max_bytes: int) -> RawDocument:
    path = Path(spec).expanduser()
    if path.suffix.lower() == ".parallax":
        # Its JSON would otherwise be "cleaned" into an article of braces and keys.
        raise SourceError(f"{path.name}: this is a Parallax project, not an article; open it as a project")
    data = _read_file(path, spec, max_bytes)
    name, suffix = path.name, path.suffix.lower()
    hint = load_manifest(path.parent).get(name)
    if suffix == ".docx":
        text, title, author = _docx_text(path, name)
        raw = RawDocument(source=spec, text=text, title=title, author=author, filename=name)
    elif suffix == ".eml":
        raw = _eml(path, data, name)
    else:
        declared = meta_charset(data) if suffix in _HTML_SUFFIXES else None
        text = decode_bytes(data, name, declared=declared)
        if suffix == ".md":
            text = _from_markdown(text)
        is_html = suffix in _HTML_SUFFIXES or _looks_like_html(text)
        if is_html:
            check_page_size(slim_html(text), name)  # before any parser: a refusal must come in seconds, not minutes
        meta = html_metadata(text) if is_html else {}
        raw = RawDocument(
            source=spec, text=text, is_html=is_html, title=meta.get("title"), site_name=meta.get("site_name"),
            published=meta.get("published"), author=meta.get("author"), filename=name,
        )
    if not raw.text.strip():
        raise SourceError(f"{name}: the file has no text")
    if hint:
        raw = replace(raw, outlet_hint=hint)
    return raw


def load_source(spec: str, *, timeout: float = 15.0, max_bytes: int = 20_000_000) -> RawDocument:
    """A file path or an http(s) URL, read and decoded; SourceError with one line naming it otherwise."""
    spec = str(spec).strip()
    if not spec:
        raise SourceError("empty source: give a file path or an http(s) address")
    # "Reuters: flood.txt" looks like an address with a "reuters:" scheme; an existing file wins.
    if _is_web_address(spec) and not Path(spec).expanduser().is_file():
        scheme = _SCHEME.match(spec).group(1).lower()  # type: ignore[union-attr]
        if scheme not in ("http", "https"):
            raise SourceError(f"{spec}: {scheme}: addresses are not supported; use http(s) or a file path")
        return fetch_url(spec, timeout=timeout, max_bytes=max_bytes)
    return _load_file(spec, max_bytes)


def pasted(text: str, outlet: str, title: str | None = None) -> RawDocument:
    """Text a user pasted, with the outlet name they typed."""
    outlet = " ".join(outlet.split())
    if not text.strip():
        raise SourceError(f"pasted: {outlet or 'text'}: nothing was pasted")
    is_html = _looks_like_html(text)
    return RawDocument(
        source=f"pasted: {outlet}" if outlet else "pasted text",
        text=text,
        is_html=is_html,
        title=(title or "").strip() or None,
        outlet_hint=outlet or None,
    )
