"""Issue 17, class 6: any value in any field of a project file is refused in one line or loaded soundly.

A sound project is one that can be saved again and reloads the same: the probe found files that
loaded and then could not be saved (a lone surrogate in an outlet's name), and values that raised
TypeError or OverflowError instead of a ProjectError (``article_id: ["a1"]``, ``strictness: 10**400``).
Hypothesis puts a value from a hostile pool at a field of a valid project, of the current format
and of the prototype's format 0.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import ProjectError
from reader.model import RawDocument
from reader.project.notes import Note, Notes
from reader.project.projectfile import decode, load_project, new_project, save_project, to_dict

HOSTILE_VALUES = [
    None, True, False, 0, -1, 7, 10**400, -(10**400), 1e308, 0.5, -0.0, math.inf, -math.inf,
    "", " ", "a1", "a0", "a1234567", "g1", "x" * 5000, "\ud800", "outlet \udfff name", "a\x00b", "../../etc/passwd",
    [], ["a1"], [0, 1], [-1], [10**400], [True], [[[[[[[[[]]]]]]]]], {}, {"a": 1}, {"text": "t"},
]
SOURCE_KEYS = ["source", "text", "is_html", "title", "site_name", "published", "author", "url", "filename",
               "outlet_hint", "outlet", "hidden", "restored", "article_id", "unknown"]
NOTE_KEYS = ["target", "kind", "text", "anchor", "detail", "created", "modified"]
TOP_KEYS = ["format_version", "app_version", "title", "created", "modified", "strictness", "sources", "notes"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

STORY = "Floodwater reached the first floors of the riverside district on Tuesday night, the council said."


def _document() -> dict[str, Any]:
    project = new_project((RawDocument("post.txt", STORY, filename="post.txt", title="Flood"),
                           RawDocument("wire.txt", STORY.replace("Tuesday", "Monday"), filename="wire.txt")))
    note = Note("g1", "group", "called the council: confirmed", ("a1.s1",), "", "2026-01-01", "2026-01-01")
    return to_dict(project.__class__(project.sources, 0.5, Notes((note,)), "Flood", "t", "t"))


def _format_zero() -> dict[str, Any]:
    return {"version": 0, "saved": "2025-01-01", "strictness": 50, "notes": {"g1": "checked"},
            "articles": [{"path": "post.txt", "text": STORY, "outlet": "Post"},
                         {"path": "wire.txt", "text": STORY, "outlet": "Wire", "html": False}]}


@st.composite
def damaged(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document, current format or format 0, with one field given a hostile value (or added)."""
    value = draw(st.sampled_from(HOSTILE_VALUES))
    if draw(st.booleans()):
        doc = _format_zero()
        where = draw(st.sampled_from(["strictness", "notes", "articles", "title", "saved", "article"]))
        if where == "article":
            doc["articles"][0][draw(st.sampled_from(["path", "text", "outlet", "html", "title"]))] = value
        else:
            doc[where] = value
        return doc
    doc = _document()
    where = draw(st.sampled_from(["top", "source", "note"]))
    if where == "top":
        doc[draw(st.sampled_from(TOP_KEYS))] = value
    elif where == "source":
        doc["sources"][draw(st.integers(0, 1))][draw(st.sampled_from(SOURCE_KEYS))] = value
    else:
        doc["notes"][0][draw(st.sampled_from(NOTE_KEYS))] = value
    return doc


def _sound(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


@FUZZ
@given(doc=damaged())
def test_any_value_in_any_field_is_one_line_or_a_project_that_saves_again(
    doc: dict[str, Any], tmp_path_factory
) -> None:
    data = json.dumps(doc).encode("utf-8")  # surrogates travel as \ud800 escapes, infinities as Infinity
    try:
        project = decode(data, "odd.parallax")
    except ProjectError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("odd.parallax")
        return
    assert isinstance(project.strictness, float) and 0.0 <= project.strictness <= 1.0
    for s in project.sources:
        texts = [s.raw.source, s.raw.text, s.outlet or "", s.article_id, *(
            getattr(s.raw, k) or "" for k in ("title", "site_name", "published", "author", "url", "filename"))]
        assert all(isinstance(t, str) and _sound(t) for t in texts)
        assert not s.article_id or re.fullmatch(r"a[1-9][0-9]{0,5}", s.article_id)
        assert all(isinstance(p, int) and not isinstance(p, bool) and p >= 0 for p in s.restored)
    assert all(_sound(n.text) and _sound(n.target) for n in project.notes)
    path = tmp_path_factory.mktemp("fuzz") / "again.parallax"
    save_project(project, path, touch=False)  # the probe's files loaded and then failed here
    again = load_project(path)
    assert to_dict(again) == to_dict(project)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [("article_id", ["a1"], "must be text"), ("outlet", "Post \ud800", "lone surrogate"),
     ("restored", [10**400], "block positions"), ("hidden", "yes", "true or false")],
)
def test_the_probes_project_values_are_refused_by_name(tmp_path: Path, field: str, value: object, words: str) -> None:
    doc = _document()
    doc["sources"][0][field] = value
    path = tmp_path / "probe.parallax"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ProjectError, match=words) as err:
        load_project(path)
    assert f"sources[0].{field}" in str(err.value)


def test_a_format_zero_strictness_too_large_for_a_float_is_one_line(tmp_path: Path) -> None:
    doc = _format_zero()
    doc["strictness"] = 10**400
    with pytest.raises(ProjectError, match="strictness"):
        decode(json.dumps(doc).encode(), "old.parallax")
