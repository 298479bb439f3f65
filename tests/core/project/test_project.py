"""Project files: round trip, migration, hostile input, and saves that survive a killed writer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from reader.errors import ProjectError
from reader.model import RawDocument
from reader.project.notes import Note, Notes
from reader.project.projectfile import (
    FORMAT_VERSION,
    Project,
    ProjectSource,
    load_project,
    new_project,
    save_project,
    to_dict,
    with_extension,
)

ROOT = Path(__file__).resolve().parents[3]
PROJECTS = ROOT / "tests" / "data" / "projects"


def _project() -> Project:
    sources = (
        RawDocument("storm/coast-herald.txt", "Gales close the coast road\n\nWinds reached 130 km/h on Friday.",
                    title="Gales close the coast road", published="2030-11-02", filename="coast-herald.txt"),
        RawDocument("https://bay.example/storm",
                    "<html><body><h1>Storm shuts coast road</h1><p>Winds reached 120 km/h on the coast on Friday, "
                    "the weather office said.</p><p>The coast road stayed closed overnight — «record» gusts.</p>"
                    "</body></html>",
                    is_html=True, site_name="Bay Online", url="https://bay.example/storm", author="Ünal Şahin"),
    )
    project = new_project(sources, strictness=0.62, title="Coastal storm")
    first, second = project.sources
    notes = Notes().with_note(Note("g2", "group", "Checked with the weather office: 130 is the gust.",
                                   ("a1.s2", "a2.s1"), "", "2030-11-03T10:00:00Z", "2030-11-03T10:00:00Z"))
    notes = notes.with_note(Note("d1", "discrepancy", "Ask Bay Online for their source.", ("a2.s1",), "figure"))
    return replace(project, sources=(replace(first, outlet="Coast Herald", restored=frozenset({3, 7})),
                                     replace(second, hidden=True)), notes=notes)


def test_round_trip_is_identical(tmp_path: Path) -> None:
    path = tmp_path / "storm.parallax"
    saved = save_project(_project(), path)
    loaded = load_project(path)
    assert loaded == saved
    assert loaded.sources[0].restored == frozenset({3, 7}) and loaded.sources[1].hidden
    assert loaded.sources[1].raw.text.endswith("«record» gusts.</p></body></html>")
    assert loaded.notes.get("d1").detail == "figure"
    assert saved.modified and saved.created
    # and a second save of what was loaded writes the same document
    again = save_project(loaded, tmp_path / "again.parallax", touch=False)
    assert to_dict(again) == to_dict(saved)


def test_file_is_documented_json_with_version(tmp_path: Path) -> None:
    path = save_project(_project(), tmp_path / "storm.parallax") and tmp_path / "storm.parallax"
    doc = json.loads(path.read_text("utf-8"))
    assert doc["format"] == "parallax-project" and doc["format_version"] == FORMAT_VERSION
    assert set(doc["sources"][0]) >= {"source", "text", "is_html", "title", "site_name", "published", "author",
                                      "url", "filename", "outlet_hint", "outlet", "hidden", "restored"}
    documented = (ROOT / "docs" / "project-format.md").read_text("utf-8")
    for key in doc["sources"][0]:
        assert f"`{key}`" in documented, key


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    save_project(_project(), tmp_path / "a.parallax")
    save_project(_project(), tmp_path / "a.parallax")
    assert [p.name for p in tmp_path.iterdir()] == ["a.parallax"]


def test_version_0_file_is_migrated_and_left_untouched(tmp_path: Path) -> None:
    original = PROJECTS / "v0-election.parallax"
    before = original.read_bytes()
    project = load_project(original)
    assert original.read_bytes() == before
    assert project.title == "Council election count"
    assert project.strictness == pytest.approx(0.65)
    assert [s.outlet for s in project.sources] == ["Harbour Times", None]
    assert project.sources[0].raw.filename == "harbour-times.txt"
    assert project.sources[1].raw.is_html
    assert project.notes.get("g2").text.startswith("Called the returning officer")
    resaved = save_project(project, tmp_path / "v1.parallax")
    assert load_project(tmp_path / "v1.parallax") == resaved


def test_file_from_a_newer_parallax_is_refused(tmp_path: Path) -> None:
    doc = to_dict(_project())
    doc["format_version"] = FORMAT_VERSION + 1
    doc["app_version"] = "9.0"
    path = tmp_path / "future.parallax"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(ProjectError, match="newer Parallax") as err:
        load_project(path)
    assert "\n" not in str(err.value) and "9.0" in str(err.value)


def _valid() -> dict:
    return to_dict(_project())


def _with(**changes) -> bytes:  # type: ignore[no-untyped-def]
    doc = _valid()
    for dotted, value in changes.items():
        node = doc
        keys = dotted.split("__")
        for k in keys[:-1]:
            node = node[int(k)] if isinstance(node, list) else node[k]
        node[keys[-1]] = value
    return json.dumps(doc).encode()


HOSTILE = {
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "not json": b"Winds reached 130 km/h",
    "top-level list": b"[1, 2, 3]",
    "deeply nested": b'{"format": "parallax-project", "format_version": 1, "sources": ' + b"[" * 200_000
    + b"]" * 200_000 + b"}",
    "nested past the format": b'{"format": "parallax-project", "format_version": 1, "sources": [[[[[[[[[[]]]]]]]]]]}',
    "duplicate keys": b'{"format": "parallax-project", "format_version": 1, "format_version": 0, "sources": []}',
    "NaN strictness": b'{"format": "parallax-project", "format_version": 1, "strictness": NaN, "sources": []}',
    "other format": b'{"format": "vector-drawing", "format_version": 1}',
    "version as text": _with(format_version="1"),
    "negative version": _with(format_version=-1),
    "strictness as text": _with(strictness="high"),
    "strictness out of range": _with(strictness=7),
    "sources as object": _with(sources={"a": 1}),
    "text as number": _with(sources__0__text=42),
    "hidden as text": _with(sources__1__hidden="yes"),
    "negative position": _with(sources__0__restored=[-1]),
    "boolean position": _with(sources__0__restored=[True]),
    "path trick filename": _with(sources__0__filename="../../etc/passwd"),
    "folder in filename": _with(sources__0__filename="stories/a.txt"),
    "NUL in source": _with(sources__0__source="a\x00b"),
    "note kind": _with(notes__0__kind="script"),
    "note target": _with(notes__0__target="<img src=x>"),
    "too many sources": _with(sources=[{"source": "s", "text": "t"}] * 501),
    "v0 articles not a list": b'{"version": 0, "articles": "none"}',
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_or_damaged_file_gives_one_line_and_changes_nothing(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad.parallax"
    path.write_bytes(HOSTILE[name])
    stamp = os.stat(path).st_mtime_ns
    with pytest.raises(ProjectError) as err:
        load_project(path)
    message = str(err.value)
    assert message and "\n" not in message and len(message) < 300, message
    assert path.read_bytes() == HOSTILE[name] and os.stat(path).st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == ["bad.parallax"]


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.parallax"
    save_project(_project(), good)
    data = good.read_bytes()
    for cut in (1, len(data) // 3, len(data) - 3):
        bad = tmp_path / "cut.parallax"
        bad.write_bytes(data[:cut])
        with pytest.raises(ProjectError, match=r"not a (readable )?Parallax project"):
            load_project(bad)


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.parallax"
    with open(huge, "wb") as fh:  # sparse: costs no disk, but stat says 1 GB
        fh.truncate(2**30)
    with pytest.raises(ProjectError, match="too large"):
        load_project(huge)


def test_missing_folder_and_fifo_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="not found"):
        load_project(tmp_path / "nothing.parallax")
    with pytest.raises(ProjectError, match="not a regular file"):
        load_project(tmp_path)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.parallax"
        os.mkfifo(fifo)
        with pytest.raises(ProjectError, match="not a regular file"):
            load_project(fifo)  # would block forever if opened


def test_save_to_a_folder_or_missing_folder_is_a_project_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError):
        save_project(_project(), tmp_path)
    with pytest.raises(ProjectError):
        save_project(_project(), tmp_path / "no" / "such" / "x.parallax")


def test_with_extension() -> None:
    assert with_extension("story") == Path("story.parallax")
    assert with_extension("story.PARALLAX") == Path("story.PARALLAX")
    assert with_extension("flood.v2") == Path("flood.v2.parallax")


WRITER = """
import sys
from dataclasses import replace
sys.path.insert(0, sys.argv[1])
from reader.model import RawDocument
from reader.project.projectfile import new_project, save_project
target = sys.argv[2]
para = "The river rose another forty centimetres overnight, the harbour master said. " * 40
text = "\\n\\n".join(para for _ in range(1500))  # about 5 MB a source
project = new_project(tuple(RawDocument(f"s{i}.txt", text, filename=f"s{i}.txt") for i in range(4)))
i = 0
save_project(replace(project, title="v0"), target)
print("ready", flush=True)
while True:
    i += 1
    save_project(replace(project, title=f"v{i}"), target)
"""


@pytest.mark.slow
def test_killing_the_writer_mid_save_leaves_the_previous_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "big.parallax"
    killed_mid_write = 0
    for _round in range(3):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(ROOT), str(target)],
                                 stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            # Kill while a temporary file is being written: that is the moment a naive save would corrupt.
            for _ in range(20_000):
                if any(p.suffix == ".tmp" and p.stat().st_size > 0 for p in tmp_path.iterdir()):
                    break
                time.sleep(0.001)
            mid = any(p.suffix == ".tmp" for p in tmp_path.iterdir())
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait(timeout=30)
        killed_mid_write += mid
        assert child.returncode == -signal.SIGKILL
        project = load_project(target)
        assert project.title.startswith("v") and len(project.sources) == 4
        assert all(len(s.raw.text) > 4_000_000 for s in project.sources)
    assert killed_mid_write >= 1  # at least one kill really landed mid-write


def test_project_sources_keep_order_and_choices() -> None:
    p = _project()
    assert isinstance(p.sources[0], ProjectSource)
    assert [s.raw.source for s in p.sources] == ["storm/coast-herald.txt", "https://bay.example/storm"]


def test_demo_project_reopens_without_its_files(tmp_path: Path, demo_paths: list[Path]) -> None:
    import shutil

    from reader.intake.articles import build_article
    from reader.intake.sources import load_source
    from reader.project.projectfile import project_articles

    copies = []
    for p in demo_paths:
        shutil.copy(p, tmp_path / p.name)
        copies.append(tmp_path / p.name)
    raws = tuple(load_source(str(p)) for p in copies)
    expected = tuple(build_article(r, f"a{i + 1}") for i, r in enumerate(raws))
    path = tmp_path / "demo.parallax"
    save_project(new_project(raws), path)
    for p in copies:
        p.unlink()  # the project must not need them
    articles = project_articles(load_project(path))
    assert articles == expected
    assert len(articles) == len(demo_paths) and all(a.sentences for a in articles)


def test_article_ids_survive_a_removed_source_and_outlet_names_apply(tmp_path: Path) -> None:
    from reader.project.projectfile import article_ids, project_articles

    p = _project()
    first, second = p.sources
    p = replace(p, sources=(replace(first, article_id="a3", outlet="Coast Herald"), second))
    assert article_ids(p) == ("a3", "a1")
    path = tmp_path / "ids.parallax"
    save_project(p, path)
    loaded = load_project(path)
    assert article_ids(loaded) == ("a3", "a1")
    articles = project_articles(loaded)
    assert [a.id for a in articles] == ["a3", "a1"] and articles[0].outlet == "Coast Herald"
    doc = to_dict(p)
    doc["sources"][1]["article_id"] = "a3"
    (tmp_path / "dup.parallax").write_text(json.dumps(doc), "utf-8")
    with pytest.raises(ProjectError, match="repeat an article_id"):
        load_project(tmp_path / "dup.parallax")
    doc["sources"][1]["article_id"] = "../a"
    (tmp_path / "bad.parallax").write_text(json.dumps(doc), "utf-8")
    with pytest.raises(ProjectError, match="article_id"):
        load_project(tmp_path / "bad.parallax")


def test_save_sweeps_temporaries_left_by_killed_saves_but_not_fresh_ones(tmp_path: Path) -> None:
    target = tmp_path / "flood.parallax"
    old = tmp_path / ".flood.parallax.abc123.tmp"
    fresh = tmp_path / ".flood.parallax.def456.tmp"
    other = tmp_path / ".other.parallax.abc123.tmp"
    for f in (old, fresh, other):
        f.write_bytes(b"half a project")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    save_project(_project(), target)
    assert not old.exists() and fresh.exists() and other.exists()


def test_many_notes_load_quickly_enough_to_not_hang(tmp_path: Path) -> None:
    doc = to_dict(_project())
    doc["notes"] = [{"target": f"g{i}", "kind": "group", "text": "n"} for i in range(10_000)]
    path = tmp_path / "notes.parallax"
    path.write_text(json.dumps(doc), "utf-8")
    assert len(load_project(path).notes) == 10_000


def test_new_project_is_private_and_overwrite_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "p.parallax"
    save_project(_project(), target)
    assert os.stat(target).st_mode & 0o777 == 0o600  # notes can be sensitive
    os.chmod(target, 0o640)
    save_project(_project(), target)
    assert os.stat(target).st_mode & 0o777 == 0o640
