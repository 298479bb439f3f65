"""Classroom worksheet and answer sheet: same facts, same numbers, answers only on the answer sheet."""

from __future__ import annotations

import re

from data.projects.flood_story import IMG, SCRIPT, flood_comparison, hostile_comparison

from reader.model import Comparison
from reader.reports.worksheet import render_answer_sheet, render_worksheet, shared_facts


def _text(html: str) -> str:
    body = re.sub(r"<style>.*?</style>|<title>.*?</title>", "", html, flags=re.S)
    body = re.sub(r'<sup class="ref">.*?</sup>', "", body)
    return re.sub(r"<[^>]+>", "", body).replace("&quot;", '"').replace("&#x27;", "'").replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&amp;", "&")


def test_shared_facts_are_groups_with_two_or_more_outlets_in_order() -> None:
    facts = shared_facts(flood_comparison())
    assert [f.group for f in facts] == ["g1", "g2", "g3", "g4", "g5"]  # g6 is one outlet alone
    assert [f.number for f in facts] == [1, 2, 3, 4, 5]
    assert [c.outlet for c in facts[0].cells] == ["Northern Courier", "Valley Post", "Radio Meridian"]
    assert [d.id for d in facts[2].differences] == ["d2", "d3"]
    assert facts[3].differences == ()


def test_worksheet_shows_every_shared_fact_and_no_answer() -> None:
    c = flood_comparison()
    html = render_worksheet(c)
    text = _text(html)
    for fact in shared_facts(c):
        assert f"Fact {fact.number}" in text
        for cell in fact.cells:
            assert cell.text in text and cell.outlet in text
    assert "Schools will stay closed" not in text  # not shared: nothing to compare
    for d in c.discrepancies:
        assert d.summary not in text
    assert "<mark" not in html and "[d1]" not in text and 'class="chg"' not in html
    assert text.count("What differs?") == 5


def test_answer_sheet_marks_and_explains_each_difference() -> None:
    c = flood_comparison()
    html = render_answer_sheet(c)
    text = _text(html)
    for d in c.discrepancies:
        assert d.summary in text and f"[{d.id}]" in html
    assert re.search(r'<mark class="k-figure"[^>]*>1,200 residents</mark><sup class="ref">\[d1\]</sup>', html)
    assert re.search(r'<mark class="k-claim"[^>]*>was breached in two places</mark>', html)
    assert "Parallax flagged no difference" in text  # fact 4 has no difference
    # the same numbering on both sheets
    assert re.findall(r"Fact \d+", text) == re.findall(r"Fact \d+", _text(render_worksheet(c)))


def test_worksheets_escape_hostile_text() -> None:
    c = hostile_comparison()
    for html in (render_worksheet(c), render_answer_sheet(c)):
        assert "<script" not in html.lower() and "<img" not in html.lower()
        assert SCRIPT in _text(html) and IMG in _text(html)


def test_no_shared_fact_says_so() -> None:
    c = flood_comparison()
    alone = Comparison(c.articles, c.groups[-1:], (), (), c.model, c.strictness)
    assert shared_facts(alone) == ()
    assert "No fact is reported by two or more" in render_worksheet(alone)
    assert "No fact is reported by two or more" in render_answer_sheet(alone)
