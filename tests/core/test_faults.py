"""Faults: a damaged embedding cache is rebuilt, never trusted; a cache that cannot be written costs
speed, not the comparison; damaged or future project files are refused in one line.

Killing a save mid-write is tested with a real killed child process in
``tests/core/test_project.py::test_killing_the_writer_mid_save_leaves_the_previous_file_whole``, and the
autosave's crash recovery in ``tests/core/test_autosave.py::test_session_killed_by_a_crash_is_offered_for_recovery``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/core helpers (--import-mode=importlib)

from hostile import QUAKE_A, QUAKE_B

from reader.embedding.cache import FILE_NAME, CachedEmbedder
from reader.errors import ProjectError
from reader.model import RawDocument
from reader.pipeline import compare
from reader.project.projectfile import FORMAT_VERSION, load_project, new_project, save_project, to_dict

TEXTS = [f"Rescue team {k} reached the collapsed block on street {k * 7} before noon." for k in range(600)]


def _filled_cache(folder: Path, fake_embedder) -> Path:
    cache = CachedEmbedder(fake_embedder, folder)
    cache.encode(TEXTS)
    path = folder / FILE_NAME
    # Fold the write-ahead log into the main file, so damage to the file is damage to the data.
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    assert path.stat().st_size > 100_000
    return path


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "flipped bytes mid-file":
        rng = np.random.default_rng(9)
        for at in rng.integers(4096, len(data) - 1, 3000):
            data[at] ^= 0xFF
    elif how == "truncated":
        del data[len(data) // 2 :]
    elif how == "header zeroed":
        data[:100] = bytes(100)
    elif how == "page in the middle zeroed":
        mid = (len(data) // 2) // 4096 * 4096
        data[mid : mid + 4096 * 4] = bytes(4096 * 4)
    path.write_bytes(bytes(data))


HOW = ["flipped bytes mid-file", "truncated", "header zeroed", "page in the middle zeroed"]


@pytest.mark.parametrize("how", HOW)
def test_damaged_cache_gives_the_same_vectors_as_a_fresh_encode(tmp_path: Path, fake_embedder, how: str) -> None:
    path = _filled_cache(tmp_path, fake_embedder)
    _damage(path, how)
    fresh = type(fake_embedder)().encode(TEXTS)
    out = CachedEmbedder(fake_embedder, tmp_path).encode(TEXTS)
    np.testing.assert_allclose(out, fresh, atol=1e-6)  # nothing damaged was trusted


@pytest.mark.parametrize("how", HOW)
def test_damaged_cache_is_rebuilt_not_abandoned(tmp_path: Path, fake_embedder, how: str, caplog) -> None:
    path = _filled_cache(tmp_path, fake_embedder)
    _damage(path, how)
    with caplog.at_level(logging.WARNING):
        CachedEmbedder(fake_embedder, tmp_path).encode(TEXTS)
    assert caplog.records, "damage is reported in the log"
    again = CachedEmbedder(fake_embedder, tmp_path)
    out = again.encode(TEXTS)
    np.testing.assert_allclose(out, fake_embedder.encode(TEXTS), atol=1e-6)
    assert not again.disabled and again.misses == 0, "the next run is served from a rebuilt cache"


def _blocked_cache(tmp_path: Path, fake_embedder) -> CachedEmbedder:
    # Tests run as root, where chmod 0o500 does not stop writes: a cache folder under a *file* cannot be made.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    return CachedEmbedder(fake_embedder, blocker / "cache")


class _DiskFullCache(CachedEmbedder):
    """A cache on a disk that fills up at once: SQLite's page limit gives the same SQLITE_FULL error."""

    def _open(self) -> sqlite3.Connection:
        conn = super()._open()
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn


@pytest.mark.parametrize("kind", ["unwritable folder", "disk full"])
def test_a_cache_that_cannot_be_written_costs_speed_not_the_comparison(
    tmp_path: Path, fake_embedder, kind: str, caplog
) -> None:
    stories = tmp_path / "stories"
    stories.mkdir()
    paths = []
    for name, text in (("post.txt", QUAKE_A), ("wire.txt", QUAKE_B)):
        (stories / name).write_text(text, encoding="utf-8")
        paths.append(str(stories / name))
    plain = compare(paths, type(fake_embedder)())
    cache = _blocked_cache(tmp_path, fake_embedder) if kind == "unwritable folder" else (
        _DiskFullCache(fake_embedder, tmp_path / "full"))
    with caplog.at_level(logging.WARNING):
        cached = compare(paths, cache)
        cached_again = compare(paths, cache)
    assert cached.groups == plain.groups == cached_again.groups
    assert cached.discrepancies == plain.discrepancies
    assert cache.disabled
    assert any(r.levelno == logging.WARNING and "without it" in r.getMessage() for r in caplog.records)


# --------------------------------------------------------------------------- project files


def _project_file(tmp_path: Path) -> Path:
    project = new_project((RawDocument("post.txt", QUAKE_A, filename="post.txt"),
                           RawDocument("wire.txt", QUAKE_B, filename="wire.txt")))
    path = tmp_path / "quake.parallax"
    save_project(project, path)
    return path


def test_truncated_project_file_is_refused_at_every_cut(tmp_path: Path) -> None:
    data = _project_file(tmp_path).read_bytes()
    bad = tmp_path / "cut.parallax"
    for cut in range(0, len(data), max(1, len(data) // 97)):
        bad.write_bytes(data[:cut])
        with pytest.raises(ProjectError) as err:
            load_project(bad)
        assert "\n" not in str(err.value)
        assert bad.read_bytes() == data[:cut]


def test_project_file_from_the_future_is_refused_and_kept(tmp_path: Path) -> None:
    path = _project_file(tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["format_version"] = FORMAT_VERSION + 40
    doc["hologram"] = {"unknown": "field"}
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="newer") as err:
        load_project(path)
    assert "\n" not in str(err.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "data",
    [b'{"format": "parallax-project", "format_version": 1e999, "sources": []}',
     b'{"format": "parallax-project", "format_version": 1, "strictness": 1e999, "sources": []}',
     b"\xef\xbb\xbf" + b'{"format": "parallax-project"',
     b'{"format": "parallax-project", "format_version": 1, "sources": [{"source": "s", "text": "\\ud800"}]}',
     json.dumps(to_dict(new_project(()))).encode("utf-16")],
    ids=["version-infinite", "strictness-infinite", "bom-and-cut", "lone-surrogate", "utf-16"],
)
def test_malformed_project_file_is_one_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "odd.parallax"
    path.write_bytes(data)
    try:
        project = load_project(path)
    except ProjectError as exc:
        assert "\n" not in str(exc)
    else:  # accepting is fine only if what was read is sound
        assert 0.0 <= project.strictness <= 1.0
        json.dumps(to_dict(project), allow_nan=False)
