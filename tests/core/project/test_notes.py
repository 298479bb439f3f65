"""Notes: one per target, edits return new sets, and notes follow their sentences when groups renumber."""

from __future__ import annotations

from dataclasses import replace

import pytest
from data.projects.flood_story import flood_comparison

from reader.model import Group
from reader.project.notes import Note, Notes, note_on_discrepancy, note_on_group, orphans, resolve


def test_add_replace_remove() -> None:
    c = flood_comparison()
    notes = Notes().with_note(note_on_group(c, "g2", "Ask the council for the count.", when="2031-03-04T10:00:00Z"))
    assert len(notes) == 1 and notes.get("g2").anchor == ("a1.s2", "a2.s2")
    edited = notes.with_note(note_on_group(c, "g2", "Council says 1,350.", when="2031-03-05T09:00:00Z"))
    assert len(edited) == 1 and edited.get("g2").text == "Council says 1,350."
    assert edited.get("g2").created == "2031-03-04T10:00:00Z" and edited.get("g2").modified.startswith("2031-03-05")
    assert notes.get("g2").text == "Ask the council for the count."  # the old set is unchanged
    assert len(edited.with_note(replace(edited.get("g2"), text="   "))) == 0  # empty text removes
    assert len(edited.without("g2")) == 0


def test_unknown_target_is_a_key_error() -> None:
    c = flood_comparison()
    with pytest.raises(KeyError):
        note_on_group(c, "g42", "x")
    with pytest.raises(KeyError):
        note_on_discrepancy(c, "d42", "x")


def test_discrepancy_note_remembers_kind_and_sentences() -> None:
    note = note_on_discrepancy(flood_comparison(), "d2", "Spelling is Varga.")
    assert note.kind == "discrepancy" and note.detail == "name" and note.anchor == ("a1.s3", "a2.s3")


def test_notes_follow_their_sentences_when_ids_change() -> None:
    c = flood_comparison()
    notes = (Notes().with_note(note_on_group(c, "g3", "Mayor's quote checked against video."))
             .with_note(note_on_discrepancy(c, "d2", "Spelling is Varga.")))
    # A stricter run renumbers everything: the mayor's fact is now g7 and the name difference d9.
    regrouped = replace(
        c,
        groups=(Group("g6", ("a3.s2",), 1.0), Group("g7", ("a1.s3", "a2.s3"), 0.9), Group("g3", ("a1.s1",), 1.0)),
        discrepancies=(replace(c.discrepancies[2], id="d8", group="g7"), replace(c.discrepancies[1], id="d9",
                                                                                  group="g7")),
    )
    placed = resolve(notes, regrouped)
    assert placed["g7"].text.startswith("Mayor's quote")
    assert "g3" not in placed  # the old id now names another fact: the note does not stick to the id
    assert placed["d9"].text == "Spelling is Varga."  # the name difference, not the quote one (d8)
    assert orphans(notes, regrouped) == ()


def test_note_whose_fact_is_gone_is_an_orphan() -> None:
    c = flood_comparison()
    notes = Notes().with_note(Note("g1", "group", "Lost", ("a9.s1", "a9.s2")))
    assert resolve(notes, c) == {}
    assert [n.text for n in orphans(notes, c)] == ["Lost"]
    assert resolve(None, c) == {} and orphans(None, c) == ()
