"""Finished comparisons kept on disk: the same articles compared again skip alignment and differences.

A journalist re-running a story, a teacher reopening the demo: the articles, the strictness and the
code are the same as last time, and so are the sentence vectors in the embedding cache. Then the
groups, flags and agreements are the same too, and recomputing them (and importing what computes
them: numpy, spaCy, hundreds of regular expressions) was most of a cached command-line run.

The key (``reader.resultcache.key_of``) holds the code, the installed packages and the settings, the
articles exactly as intake made them (every field, by ``repr``), the strictness and the model's name.
The sentence vectors are checked too: an entry remembers which texts (and piece spans) were embedded
and a hash of the vectors that came back, and it is used only while the vectors stored for those
texts hash the same. An embedding cache that was cleared, or refilled by another runtime or
precision, therefore misses. The articles are not stored: they are the key's own, put back from this
run's intake.

Two ways to check the vectors. With the disk-cached model (the command line, ``reuse``) the stored
rows are read and hashed straight from the embedding cache's file, without numpy or the model.
With any other embedder (the tests' fake) the texts are asked of it again and its answer hashed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.embedding import cachefile
from reader.embedding.bundled import MODEL_NAME
from reader.model import Article, Comparison
from reader.progress import NEVER, CancelToken, Progress, ProgressCallback, no_progress
from reader.resultcache import ResultCache, key_of

if TYPE_CHECKING:  # numpy and the embedders are imported only when a comparison is made
    import numpy as np

    from reader.align.grouping import AlignmentBasis
    from reader.embedding.embed import Embedder
    from reader.embedding.minilm import PooledVectors

FORMAT = 1  # bumped when what an entry holds changes
STORE = ResultCache("comparisons", limit=32, max_bytes=200 << 20)  # the demo ~45 KB, 200 articles ~5 MB
FILE, ASKED = "file", "asked"  # how an entry's vectors are checked (see the module's doc)


def comparison_key(articles: Sequence[Article], strictness: float, model_name: str) -> str:
    """Everything a comparison's result depends on, but the vectors (checked when an entry is read)."""
    return key_of("comparison", FORMAT, model_name, repr(float(strictness)), tuple(articles))


class _Recorder:
    """Passes every call to the embedder and remembers what was asked and the vectors that came back."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.requests: list[cachefile.Request] = []
        self.rows: list[bytes] = []  # float32 bytes in ``cachefile.layout`` order

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        out = self.inner.encode(texts)
        self.requests.append((list(texts), None))
        self.rows += [r.tobytes() for r in np.asarray(out, dtype=np.float32)]
        return out

    def plain(self) -> bool | None:
        """True when every call was ``encode``, False when every one was ``encode_pieces``; None if mixed."""
        kinds = {spans is None for _, spans in self.requests}
        return kinds.pop() if len(kinds) == 1 else None


class _PieceRecorder(_Recorder):
    def encode_pieces(self, texts: Sequence[str], spans: Sequence[Sequence[cachefile.Span]]) -> PooledVectors:
        import numpy as np

        out = self.inner.encode_pieces(texts, spans)  # type: ignore[attr-defined]
        spans = [[(int(a), int(b)) for a, b in s] for s in spans]
        self.requests.append((list(texts), spans))
        sentences = np.asarray(out.sentences, dtype=np.float32)
        pieces = np.asarray(out.pieces, dtype=np.float32)
        k = 0
        for i, s in enumerate(spans):
            self.rows.append(sentences[i].tobytes())
            self.rows += [pieces[k + p].tobytes() for p in range(len(s))]
            k += len(s)
        return out


def _asked_again(embedder: Embedder, requests: list[cachefile.Request]) -> str | None:
    """The hash of what the embedder answers today for the stored requests, asked in one call."""
    recorder = _recorder(embedder)
    texts = [t for ts, _ in requests for t in ts]
    if requests and requests[0][1] is None:
        recorder.encode(texts)
    elif isinstance(recorder, _PieceRecorder):
        recorder.encode_pieces(texts, [s for _, ss in requests for s in (ss or [])])
    else:
        return None
    return cachefile.digest(recorder.rows)


def _recorder(embedder: Embedder) -> _Recorder:
    from reader.embedding.embed import PieceEmbedder

    return _PieceRecorder(embedder) if isinstance(embedder, PieceEmbedder) else _Recorder(embedder)


def _result(entry: Any, articles: Sequence[Article]) -> Comparison:
    groups, discrepancies, agreements, model_name, strictness = entry["result"]
    return Comparison(tuple(articles), groups, discrepancies, agreements, model_name, strictness)


def _entry(key: str, store: ResultCache) -> dict[str, Any] | None:
    entry = store.get(key)
    return entry if isinstance(entry, dict) and entry.get("format") == FORMAT else None


def reuse(articles: Sequence[Article], strictness: float, store: ResultCache = STORE) -> Comparison | None:
    """The stored comparison made with the disk-cached bundled model, if its vectors are still stored;
    else None. Imports neither numpy nor any model: a reopened story costs only reading files."""
    key = comparison_key(articles, strictness, MODEL_NAME)
    entry = _entry(key, store)
    folder = cachefile.default_folder()  # where the command line's model keeps its vectors
    if entry is None or entry.get("check") != FILE or entry.get("folder") != str(folder):
        return None
    if cachefile.stored_digest(MODEL_NAME, entry["requests"], folder) != entry["vectors"]:
        return None
    return _result(entry, articles)


def _load(key: str, articles: Sequence[Article], embedder: Embedder, store: ResultCache) -> Comparison | None:
    entry = _entry(key, store)
    if entry is None:
        return None
    if entry.get("check") == FILE:
        if not _is_disk_cached(embedder, entry["folder"]):
            return None
        now = cachefile.stored_digest(embedder.name, entry["requests"], Path(entry["folder"]))
    else:
        now = _asked_again(embedder, entry["requests"])
    return _result(entry, articles) if now is not None and now == entry["vectors"] else None


def _is_disk_cached(embedder: Embedder, folder: Any) -> bool:
    """The disk cache over a model that pools pieces (as the command line's): its rows are keyed as
    ``cachefile.layout`` reads them (a fake that cannot pool has its pieces kept as sentences)."""
    from reader.embedding.cache import CachedEmbedder
    from reader.embedding.embed import PieceEmbedder

    return (isinstance(embedder, CachedEmbedder) and not embedder.disabled and isinstance(embedder.inner, PieceEmbedder)
            and (folder is None or str(embedder.folder) == folder))


def _save(key: str, recorder: _Recorder, comparison: Comparison, store: ResultCache) -> None:
    if recorder.plain() is None or not recorder.rows:
        return
    vectors = cachefile.digest(recorder.rows)
    check, folder = ASKED, None
    inner = recorder.inner
    if _is_disk_cached(inner, None):
        # the rows on disk must be the very vectors this comparison used (another process may have
        # replaced one since): then later runs can check them straight from the file
        folder = str(inner.folder)  # type: ignore[attr-defined]
        if cachefile.stored_digest(inner.name, recorder.requests, inner.folder) != vectors:  # type: ignore[attr-defined]
            return
        check = FILE
    c = comparison
    store.put(key, {
        "format": FORMAT,
        "check": check,
        "folder": folder,
        "requests": recorder.requests,
        "vectors": vectors,
        "result": (c.groups, c.discrepancies, c.agreements, c.model, c.strictness),
    })


def compare_stored(
    articles: Sequence[Article],
    embedder: Embedder,
    strictness: float,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
    store: ResultCache = STORE,
) -> Comparison:
    """``prepare`` then ``build_comparison``, or the stored result of the same inputs: identical either way.

    Alignment and differences are imported only when they run, so a stored comparison costs neither
    their import nor their time."""
    return compare_kept(articles, embedder, strictness, progress=progress, cancel=cancel, store=store)[0]


def compare_kept(
    articles: Sequence[Article],
    embedder: Embedder,
    strictness: float,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
    store: ResultCache = STORE,
) -> tuple[Comparison, AlignmentBasis | None]:
    """``compare_stored``, with the alignment basis it made: None when the comparison was stored.

    The app keeps the basis to regroup when the strictness slider moves; a stored comparison has none,
    and the first move makes it from the cached vectors."""
    key = comparison_key(articles, strictness, embedder.name)
    stored = _load(key, articles, embedder, store)
    cancel.check()
    if stored is not None:
        progress(Progress("compare", 1, 1, "Same articles as before: comparison reused"))
        return stored, None
    from reader.align.grouping import prepare
    from reader.pipeline import build_comparison

    recorder = _recorder(embedder)
    basis = prepare(articles, recorder, progress=progress, cancel=cancel)
    cancel.check()
    progress(Progress("compare", 0, 1, "Finding differences"))
    comparison = build_comparison(articles, basis, strictness, cancel=cancel)
    _save(key, recorder, comparison, store)
    progress(Progress("compare", 1, 1, "Done"))
    return comparison, basis
