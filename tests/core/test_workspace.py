"""The workspace: ids, names, columns, hiding, restoring and projects, driven without a window."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.intake.articles import build_article
from reader.intake.sources import pasted
from reader.pipeline import load_each
from reader.project.projectfile import Project
from reader.workspace import Workspace, from_project

# An invented gallery fire, as two outlets tell it; the second page carries a caption cleaning removes.
TEXTS = {
    "north.txt": (
        "Gallery fire in Tarrow\n\nA fire broke out at the Tarrow gallery on Monday. Nine paintings were lost.\n"
    ),
    "south.txt": (
        "Tarrow gallery burns\n\nPhoto: Ana Pell / Tarrow Daily\n\n"
        "Flames swept through the Tarrow gallery on Monday. Eleven paintings burned.\n"
    ),
}


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    paths = []
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths


def _load(ws: Workspace, sources: list) -> tuple[Workspace, tuple[str, ...]]:  # type: ignore[type-arg]
    ws, first = ws.reserve(len(sources))
    return ws.with_loaded(sources, load_each(sources, first_id=first))


def test_sources_get_fresh_ids_colours_and_distinct_names(files: list[str]) -> None:
    ws, errors = _load(Workspace(), [*files, "/nowhere/missing.txt"])
    assert len(errors) == 1 and "missing.txt" in errors[0]
    assert [e.article.id for e in ws.entries] == ["a1", "a2"]  # a3 went to the missing file and is not reused
    ws, _ = _load(ws.without("a2"), [files[1]])
    assert [e.article.id for e in ws.entries] == ["a1", "a4"]
    assert [e.colour for e in ws.entries] == [0, 2]  # colours are never handed out twice either
    twice, _ = _load(ws, [files[0]])
    names = [e.article.outlet for e in twice.entries]
    assert len(set(names)) == len(names)


def test_edits_return_new_workspaces_and_leave_the_old_one(files: list[str]) -> None:
    ws, _ = _load(Workspace(), files)
    renamed = ws.renamed("a1", "  North   Star ")
    assert renamed.entry("a1").article.outlet == "North Star" and ws.entry("a1").article.outlet != "North Star"
    assert renamed.renamed("a1", "   ") is renamed  # a blank name is refused
    hidden = renamed.with_hidden("a2", True)
    assert [a.id for a in hidden.visible()] == ["a1"] and hidden.order() == ("a1",)
    moved = ws.moved("a2", -5)
    assert moved.order() == ("a2", "a1") and moved.moved("a2", -1).order() == ("a2", "a1")
    with pytest.raises(KeyError):
        ws.with_hidden("a9", True)


def test_basis_key_follows_texts_and_order_not_names(files: list[str]) -> None:
    ws, _ = _load(Workspace(), files)
    assert ws.renamed("a1", "Other").basis_key() == ws.basis_key()
    assert ws.moved("a2", -1).basis_key() != ws.basis_key()
    assert ws.with_hidden("a2", True).basis_key() != ws.basis_key()


def test_restoring_keeps_the_first_cleanings_list_and_the_name(files: list[str]) -> None:
    ws, _ = _load(Workspace(), files)
    ws = ws.renamed("a2", "South Daily")
    entry = ws.entry("a2")
    assert entry.removed and entry.removed == entry.article.removed
    positions = frozenset(r.position for r in entry.removed)
    rebuilt = build_article(entry.raw, "a2", restore=positions)
    after = ws.with_restored("a2", rebuilt, positions)
    restored = after.entry("a2")
    assert restored.article.outlet == "South Daily" and restored.restore == positions
    assert restored.article.removed == () and restored.removed == entry.removed  # the dialog still lists them
    assert after.basis_key() != ws.basis_key()


def test_project_round_trip_keeps_ids_names_hidden_and_restores(files: list[str]) -> None:
    ws, _ = _load(Workspace(), files)
    entry = ws.entry("a2")
    positions = frozenset(r.position for r in entry.removed)
    ws = ws.renamed("a1", "North Star").with_hidden("a2", True)
    ws = ws.with_restored("a2", build_article(entry.raw, "a2", restore=positions), positions)
    project = Project(ws.project_sources())
    articles = [build_article(s.raw, s.article_id, outlet=s.outlet, restore=s.restored) for s in project.sources]
    again = from_project(project, articles, [ws.entry("a1").removed, entry.removed])
    assert [(e.article.id, e.article.outlet, e.hidden, e.restore) for e in again.entries] == [
        (e.article.id, e.article.outlet, e.hidden, e.restore) for e in ws.entries
    ]
    assert again.entry("a2").removed == entry.removed
    assert again.reserve(1)[1] == 3


def test_pastes_and_web_pages_are_work_a_file_list_is_not(files: list[str]) -> None:
    ws, _ = _load(Workspace(), files)
    assert not ws.has_own_work()
    with_paste, _ = _load(ws, [pasted("Nine paintings were lost in the fire on Monday.", "Tarrow Radio")])
    assert with_paste.has_own_work() and with_paste.entries[-1].pasted
