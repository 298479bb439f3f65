"""Where articles come from: files, web addresses and pasted text, all as RawDocument.

Every failure is a SourceError naming the file in one line: a journalist with
five sources needs to know which one is wrong and why, not read a traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from reader.errors import SourceError
from reader.fileio import read_capped
from reader.intake.containers import docx_text, eml_document
from reader.intake.decode import decode_bytes, meta_charset, sound_text
from reader.intake.fetch import fetch_url, html_metadata
from reader.intake.rawhtml import check_page_size, looks_like_html, slim_html
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
        if not path.is_file():  # a pipe or device is no manifest
            return {}
        data = read_capped(path, max_bytes=1_000_000, timeout=1.0, fail=lambda reason: ValueError(reason))
        doc = json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    items = doc.get("articles", []) if isinstance(doc, dict) else []
    return {
        str(item["file"]): str(item["outlet"]).strip()
        for item in items
        if isinstance(item, dict) and item.get("file") and str(item.get("outlet") or "").strip()
    }


def _from_markdown(text: str) -> str:
    # Headline markers and link syntax are markup, not words; everything else reads fine as text.
    return _MD_LINK.sub(r"\1", _MD_HEADING.sub("", text))


def _read_file(path: Path, spec: str, max_bytes: int, timeout: float) -> bytes:
    # One capped reader for every file: a pipe or a device gets ``timeout`` seconds, a file ``max_bytes``.
    data = read_capped(path, max_bytes=max_bytes, timeout=timeout, fail=lambda reason: SourceError(f"{spec}: {reason}"))
    if not data.strip():
        raise SourceError(f"{path.name or spec}: the file is empty")
    return data


def _load_file(spec: str, max_bytes: int, timeout: float) -> RawDocument:
    path = Path(spec).expanduser()
    if path.suffix.lower() == ".parallax":
        # Its JSON would otherwise be "cleaned" into an article of braces and keys.
        raise SourceError(f"{path.name}: this is a Parallax project, not an article; open it as a project")
    data = _read_file(path, spec, max_bytes, timeout)
    name, suffix = path.name, path.suffix.lower()
    hint = load_manifest(path.parent).get(name)
    if suffix == ".docx":
        text, title, author = docx_text(data, name)
        raw = RawDocument(source=spec, text=text, title=title, author=author, filename=name)
    elif suffix == ".eml":
        raw = eml_document(data, name, str(path))
    else:
        declared = meta_charset(data) if suffix in _HTML_SUFFIXES else None
        text = decode_bytes(data, name, declared=declared)
        if suffix == ".md":
            text = _from_markdown(text)
        is_html = suffix in _HTML_SUFFIXES or looks_like_html(text)
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
    """A file path or an http(s) URL, read and decoded; SourceError with one line naming it otherwise.

    ``timeout`` bounds a download, and the reading of anything that is not an ordinary file (a pipe, a
    device); ``max_bytes`` bounds what is read either way.
    """
    spec = str(spec).strip()
    if not spec:
        raise SourceError("empty source: give a file path or an http(s) address")
    # "Reuters: flood.txt" looks like an address with a "reuters:" scheme; an existing file wins.
    if _is_web_address(spec) and not Path(spec).expanduser().is_file():
        scheme = _SCHEME.match(spec).group(1).lower()  # type: ignore[union-attr]
        if scheme not in ("http", "https"):
            raise SourceError(f"{spec}: {scheme}: addresses are not supported; use http(s) or a file path")
        return fetch_url(spec, timeout=timeout, max_bytes=max_bytes)
    return _load_file(spec, max_bytes, timeout)


def pasted(text: str, outlet: str, title: str | None = None) -> RawDocument:
    """Text a user pasted, with the outlet name they typed."""
    outlet = " ".join(outlet.split())
    if not text.strip():
        raise SourceError(f"pasted: {outlet or 'text'}: nothing was pasted")
    text = sound_text(text)  # a clipboard can hand over a lone surrogate; it could never be saved
    is_html = looks_like_html(text)
    return RawDocument(
        source=f"pasted: {outlet}" if outlet else "pasted text",
        text=text,
        is_html=is_html,
        title=(title or "").strip() or None,
        outlet_hint=outlet or None,
    )
