"""Results kept on disk: keyed by the code and settings, damaged or planted entries never trusted."""

from __future__ import annotations

import os
import pickle
import time
import types
from pathlib import Path

import pytest

from reader import resultcache
from reader.model import Group, Span
from reader.resultcache import ResultCache, key_of


def test_a_value_comes_back_equal(tmp_path: Path) -> None:
    store = ResultCache("things", limit=8, folder=tmp_path)
    value = {"groups": (Group("g1", ("a1.s1", "a2.s1"), 0.75),), "spans": [Span("a1.s1", "river", 4, 9)],
             "ids": frozenset({"a1", "a2"})}
    store.put("k1", value)
    assert store.get("k1") == value
    assert store.get("k2") is None


def test_the_key_follows_parts_settings_and_code(monkeypatch: pytest.MonkeyPatch) -> None:
    base = key_of("article", 1, "text")
    assert key_of("article", 1, "text") == base
    assert key_of("article", 1, "text!") != base
    monkeypatch.setenv("PARALLAX_BF16", "1")  # a setting that can change vectors, hence results
    assert key_of("article", 1, "text") != base
    monkeypatch.delenv("PARALLAX_BF16")
    monkeypatch.setenv("PARALLAX_HOME", "/elsewhere")  # where the cache lives is no part of a result
    assert key_of("article", 1, "text") == base
    monkeypatch.setattr(resultcache, "_fingerprint", "other code")  # any edit of a source file
    assert key_of("article", 1, "text") != base


def test_the_code_fingerprint_covers_every_source_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "pkg"
    (package / "stage").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    rule = package / "stage" / "rule.py"
    rule.write_text("THRESHOLD = 0.5\n")
    monkeypatch.setattr(resultcache, "reader", types.SimpleNamespace(__file__=str(package / "__init__.py")))
    monkeypatch.setattr(resultcache, "_fingerprint", None)
    first = resultcache.fingerprint()
    assert resultcache.fingerprint() == first
    rule.write_text("THRESHOLD = 0.55\n")  # one figure in one module of a sub-package
    monkeypatch.setattr(resultcache, "_fingerprint", None)
    assert resultcache.fingerprint() != first
    assert any(n.startswith("numpy-") for n in resultcache._installed())  # package versions count too


def test_a_damaged_entry_is_a_miss_and_removed(tmp_path: Path) -> None:
    store = ResultCache("things", limit=8, folder=tmp_path)
    store.put("k1", ("one", 1))
    path = tmp_path / f"k1{resultcache.SUFFIX}"
    path.write_bytes(path.read_bytes()[:-7])
    assert store.get("k1") is None
    assert not path.exists()


def test_an_entry_under_another_key_is_a_miss(tmp_path: Path) -> None:
    store = ResultCache("things", limit=8, folder=tmp_path)
    store.put("k1", "value of k1")
    os.replace(tmp_path / f"k1{resultcache.SUFFIX}", tmp_path / f"k2{resultcache.SUFFIX}")
    assert store.get("k2") is None


class _Planted:
    def __reduce__(self):  # what a hostile file would do on loading: run a function
        return (os.mkdir, (self.target,))

    def __init__(self, target: str) -> None:
        self.target = target


def test_a_planted_pickle_runs_nothing(tmp_path: Path) -> None:
    store = ResultCache("things", limit=8, folder=tmp_path / "store")
    target = tmp_path / "ran"
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / f"k1{resultcache.SUFFIX}").write_bytes(pickle.dumps(("k1", _Planted(str(target)))))
    assert store.get("k1") is None
    assert not target.exists()


def test_the_newest_entries_are_kept(tmp_path: Path) -> None:
    store = ResultCache("things", limit=3, folder=tmp_path)
    for k in range(5):
        store.put(f"k{k}", k)
        then = time.time() - 100 + k  # mtimes apart even on a coarse clock
        os.utime(tmp_path / f"k{k}{resultcache.SUFFIX}", (then, then))
    store.put("k5", 5)
    assert sorted(p.stem for p in tmp_path.glob("*.pickle")) == ["k3", "k4", "k5"]


def test_no_more_than_max_bytes_are_kept_but_the_newest_always(tmp_path: Path) -> None:
    store = ResultCache("things", limit=10, max_bytes=2500, folder=tmp_path)
    for k in range(4):
        store.put(f"k{k}", "x" * 1000)
        then = time.time() - 100 + k
        os.utime(tmp_path / f"k{k}{resultcache.SUFFIX}", (then, then))
    assert sorted(p.stem for p in tmp_path.glob("*.pickle")) == ["k2", "k3"]
    store.put("big", "y" * 5000)  # alone over the budget, yet the one just made
    assert [p.stem for p in tmp_path.glob("*.pickle")] == ["big"]


def test_an_unwritable_folder_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = ResultCache("things", limit=3, folder=blocker / "sub")
    store.put("k1", 1)  # no exception
    assert store.get("k1") is None
