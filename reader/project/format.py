"""The ``.parallax`` format: what a project holds, and its JSON both ways (documented in docs/project-format.md).

A file holds the sources exactly as loaded, so it reopens without the network, and
only what a person chose (outlet names, hidden outlets, restored paragraphs,
strictness, notes): everything else is recomputed. Reading is defensive: a file
is a stranger's input, so depth, types and values are all checked (numbers by
type and range before any arithmetic, text for NUL and lone surrogates), older
formats are migrated step by step, and any problem is one ProjectError line.
Reading and writing files is ``reader.project.projectfile``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader import __version__
from reader.errors import ProjectError
from reader.model import RawDocument
from reader.project.notes import ID_PATTERN, MAX_NOTE_CHARS, NOTE_KINDS, Note, Notes, now_iso

FORMAT = "parallax-project"
FORMAT_VERSION = 1
EXTENSION = ".parallax"
MAX_FILE_BYTES = 256 * 1024 * 1024  # far above any real story; stops a hostile file eating memory
MAX_DEPTH = 8  # our format nests at most 4 deep
MAX_SOURCES = 500
MAX_NOTES = 10_000
MAX_LABEL_CHARS = 4096
MAX_POSITION = 1_000_000
_ARTICLE_ID = re.compile(r"^a[1-9][0-9]{0,5}$")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class ProjectSource:
    """One source as loaded, plus what the reader decided about it."""

    raw: RawDocument
    outlet: str | None = None  # the outlet name the user typed, overriding the guess
    hidden: bool = False
    restored: frozenset[int] = frozenset()  # positions of removed blocks put back
    article_id: str = ""  # "a3": kept so notes' sentence ids ("a3.s2") survive a removed source; "" = by position


@dataclass(frozen=True)
class Project:
    sources: tuple[ProjectSource, ...]
    strictness: float = 0.5
    notes: Notes = field(default_factory=Notes)
    title: str = ""
    created: str = ""
    modified: str = ""
    app_version: str = __version__  # the Parallax that last saved it


def new_project(sources: tuple[RawDocument, ...], *, strictness: float = 0.5, title: str = "") -> Project:
    stamp = now_iso()
    return Project(tuple(ProjectSource(r) for r in sources), strictness, Notes(), title, stamp, stamp)


# ---------------------------------------------------------------- to JSON


def _source_dict(s: ProjectSource) -> dict[str, Any]:
    r = s.raw
    return {
        "source": r.source, "text": r.text, "is_html": r.is_html, "title": r.title, "site_name": r.site_name,
        "published": r.published, "author": r.author, "url": r.url, "filename": r.filename,
        "outlet_hint": r.outlet_hint, "outlet": s.outlet, "hidden": s.hidden, "restored": sorted(s.restored),
        "article_id": s.article_id or None,
    }


def _note_dict(n: Note) -> dict[str, Any]:
    return {"target": n.target, "kind": n.kind, "text": n.text, "anchor": list(n.anchor), "detail": n.detail,
            "created": n.created, "modified": n.modified}


def to_dict(project: Project) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "title": project.title,
        "created": project.created,
        "modified": project.modified,
        "strictness": project.strictness,
        "sources": [_source_dict(s) for s in project.sources],
        "notes": [_note_dict(n) for n in project.notes],
    }


def encode(project: Project) -> bytes:
    return (json.dumps(to_dict(project), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ---------------------------------------------------------------- from JSON


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key[:40]!r}")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _depth(doc: Any) -> int:
    """Deepest nesting of a parsed document, walked without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def parse(data: bytes, name: str = "project") -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectError(f"{name} is not a Parallax project (not UTF-8 text)") from None
    try:
        # json's C scanner raises RecursionError on absurd nesting rather than crashing.
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except RecursionError:
        raise ProjectError(f"{name} is not a Parallax project (nested too deeply)") from None
    except ValueError as exc:
        raise ProjectError(f"{name} is not a readable Parallax project (damaged or truncated JSON: {exc})") from None
    if _depth(doc) > MAX_DEPTH:
        raise ProjectError(f"{name} is not a Parallax project (nested too deeply)")
    if not isinstance(doc, dict):
        raise ProjectError(f"{name} is not a Parallax project (no top-level object)")
    return doc


def _version_of(doc: dict[str, Any], name: str) -> int:
    if "format_version" in doc:
        if doc.get("format") != FORMAT:
            raise ProjectError(f"{name} is not a Parallax project (format {str(doc.get('format'))[:40]!r})")
        version = doc["format_version"]
    elif "version" in doc and "articles" in doc:
        version = doc["version"]  # the 0.0 prototype's layout
    else:
        raise ProjectError(f"{name} is not a Parallax project (no format version)")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ProjectError(f"{name} has an invalid format version")
    if version > FORMAT_VERSION:
        saved_by = doc.get("app_version")
        by = f" (saved by Parallax {saved_by[:20]})" if isinstance(saved_by, str) else ""
        raise ProjectError(
            f"{name} uses project format {version}{by}; this Parallax {__version__} reads up to "
            f"format {FORMAT_VERSION}: it needs a newer Parallax"
        )
    return version


def _migrate_0_to_1(doc: dict[str, Any]) -> dict[str, Any]:
    """Format 0 (the prototype): 'articles' with path/text/outlet, strictness in percent, notes by group id."""
    articles = doc.get("articles")
    if not isinstance(articles, list):
        raise ValueError("articles must be a list")
    sources: list[dict[str, Any]] = []
    for a in articles:
        if not isinstance(a, dict):
            raise ValueError("each article must be an object")
        path = a.get("path")
        sources.append({
            "source": path, "text": a.get("text"), "is_html": bool(a.get("html", False)), "title": a.get("title"),
            "filename": Path(path).name if isinstance(path, str) and path else None,
            "outlet": a.get("outlet"), "hidden": False, "restored": [],
        })
    strictness = _fraction(doc.get("strictness", 50), 100.0)
    if strictness is None:
        raise ValueError("strictness must be a number between 0 and 100")
    notes = doc.get("notes", {})
    if not isinstance(notes, dict):
        raise ValueError("notes must be an object")
    saved = doc.get("saved") if isinstance(doc.get("saved"), str) else ""
    return {
        "format": FORMAT, "format_version": 1, "app_version": "0.0", "title": doc.get("title", ""),
        "created": saved, "modified": saved, "strictness": strictness, "sources": sources,
        "notes": [{"target": k, "kind": "group", "text": v} for k, v in notes.items()],
    }


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _migrate_0_to_1}


def migrate(doc: dict[str, Any], name: str = "project") -> dict[str, Any]:
    """Bring a parsed document of any older format up to FORMAT_VERSION, one step at a time."""
    version = _version_of(doc, name)
    try:
        while version < FORMAT_VERSION:
            doc = MIGRATIONS[version](doc)
            version = doc["format_version"]
    except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
        raise ProjectError(f"{name} is damaged (format {version}: {exc})") from None
    return doc


def _fraction(value: Any, scale: float = 1.0) -> float | None:
    """``value / scale`` when it is a real number within 0..1 after scaling; None otherwise.

    JSON gives ints of any size (10**400) and floats up to infinity; both are refused here before any
    arithmetic that could overflow.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not 0 <= value <= scale:
        return None
    return float(value) / scale


class _Shape:
    """Type checks that name the field at fault, so the one-line error is useful."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, what: str) -> ProjectError:
        return ProjectError(f"{self.name} is damaged: {where} {what}")

    def text(self, obj: dict[str, Any], key: str, where: str, *, optional: bool = False, limit: int = 0) -> Any:
        value = obj.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", "must be text")
        if limit and len(value) > limit:
            raise self.fail(f"{where}.{key}", "is too long")
        if "\x00" in value:
            raise self.fail(f"{where}.{key}", "contains a NUL character")
        if _SURROGATE.search(value):  # loads, but could never be saved again
            raise self.fail(f"{where}.{key}", "is not valid Unicode (a lone surrogate)")
        return value


def _raw(shape: _Shape, s: dict[str, Any], where: str) -> RawDocument:
    text = shape.text(s, "text", where)
    filename = shape.text(s, "filename", where, optional=True, limit=255)
    # A file name is only ever a label; folders or '..' in it are a path trick, not data.
    if filename is not None and (any(c in filename for c in "/\\") or filename in {".", ".."}):
        raise shape.fail(f"{where}.filename", "must be a bare file name")
    published = shape.text(s, "published", where, optional=True, limit=64)
    is_html = s.get("is_html", False)
    if not isinstance(is_html, bool):
        raise shape.fail(f"{where}.is_html", "must be true or false")
    meta = {k: shape.text(s, k, where, optional=True, limit=MAX_LABEL_CHARS)
            for k in ("title", "site_name", "author", "url", "outlet_hint")}
    return RawDocument(
        source=shape.text(s, "source", where, limit=MAX_LABEL_CHARS), text=text, is_html=is_html,
        published=published, filename=filename, **meta,
    )


def _source(shape: _Shape, s: Any, i: int) -> ProjectSource:
    where = f"sources[{i}]"
    if not isinstance(s, dict):
        raise shape.fail(where, "must be an object")
    hidden = s.get("hidden", False)
    if not isinstance(hidden, bool):
        raise shape.fail(f"{where}.hidden", "must be true or false")
    restored = s.get("restored", [])
    if not isinstance(restored, list) or not all(
        isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= MAX_POSITION for p in restored
    ):
        raise shape.fail(f"{where}.restored", "must be a list of block positions")
    outlet = shape.text(s, "outlet", where, optional=True, limit=200)
    article_id = shape.text(s, "article_id", where, optional=True, limit=12) or ""
    if article_id and not _ARTICLE_ID.match(article_id):
        raise shape.fail(f"{where}.article_id", "must look like a1, a2, ...")
    return ProjectSource(_raw(shape, s, where), outlet.strip() or None if outlet else None, hidden,
                         frozenset(restored), article_id)


def _note(shape: _Shape, n: Any, i: int) -> Note:
    where = f"notes[{i}]"
    if not isinstance(n, dict):
        raise shape.fail(where, "must be an object")
    target = shape.text(n, "target", where, limit=64)
    kind = n.get("kind")
    if kind not in NOTE_KINDS:
        raise shape.fail(f"{where}.kind", "must be 'group' or 'discrepancy'")
    anchor = n.get("anchor", [])
    if not isinstance(anchor, list) or len(anchor) > 1000 or not all(
        isinstance(a, str) and ID_PATTERN.match(a) for a in anchor
    ):
        raise shape.fail(f"{where}.anchor", "must be a list of sentence ids")
    if not ID_PATTERN.match(target):
        raise shape.fail(f"{where}.target", "is not a group or difference id")
    return Note(
        target, kind, shape.text(n, "text", where, limit=MAX_NOTE_CHARS), tuple(anchor),
        shape.text(n, "detail", where, optional=True, limit=40) or "",
        shape.text(n, "created", where, optional=True, limit=64) or "",
        shape.text(n, "modified", where, optional=True, limit=64) or "",
    )


def from_dict(doc: dict[str, Any], name: str = "project") -> Project:
    """Validate a document of the current format and build the Project."""
    shape = _Shape(name)
    sources, notes = doc.get("sources"), doc.get("notes", [])
    if not isinstance(sources, list):
        raise shape.fail("sources", "must be a list")
    if len(sources) > MAX_SOURCES:
        raise shape.fail("sources", f"has more than {MAX_SOURCES} entries")
    if not isinstance(notes, list) or len(notes) > MAX_NOTES:
        raise shape.fail("notes", "must be a list of notes")
    strictness = _fraction(doc.get("strictness", 0.5))
    if strictness is None:
        raise shape.fail("strictness", "must be a number between 0 and 1")
    # Each source is checked whole (types first) before any check across sources: an article_id that
    # is a list is "must be text", never a TypeError from hashing it.
    project_sources = tuple(_source(shape, s, i) for i, s in enumerate(sources))
    ids = [s.article_id for s in project_sources if s.article_id]
    if len(ids) != len(set(ids)):
        raise shape.fail("sources", "repeat an article_id")
    by_target: dict[str, Note] = {}
    for i, n in enumerate(notes):
        note = _note(shape, n, i)
        if note.text.strip():
            by_target[note.target] = note  # one note per target, the last one wins (as with_note would)
    note_items = Notes(tuple(by_target.values()))
    return Project(
        sources=project_sources,
        strictness=strictness,
        notes=note_items,
        title=shape.text(doc, "title", "project", optional=True, limit=MAX_LABEL_CHARS) or "",
        created=shape.text(doc, "created", "project", optional=True, limit=64) or "",
        modified=shape.text(doc, "modified", "project", optional=True, limit=64) or "",
        app_version=shape.text(doc, "app_version", "project", optional=True, limit=40) or "",
    )


def decode(data: bytes, name: str = "project") -> Project:
    return from_dict(migrate(parse(data, name), name), name)
