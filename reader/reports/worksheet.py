"""Classroom material: the shared facts one at a time, a printable worksheet and its answer sheet.

``shared_facts`` is also what the classroom presentation steps through, so the
fact numbers on a pupil's worksheet match the ones on the projector.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.model import Comparison, Discrepancy
from reader.reports.html import BASE_CSS, KIND_NAMES, Mark, diffs_by_group, esc, group_articles, legend, marked, page

WORKSHEET_CSS = BASE_CSS + """
body { max-width: 60em; font-size: 16px; }
section.fact { margin: 1.2em 0 1.6em; page-break-inside: avoid; break-inside: avoid; }
section.fact h2 { font-size: 1.2em; }
td.outlet { width: 11em; font-weight: bold; }
.lines div { border-bottom: 1px solid #555; height: 2em; }
.name { margin: 1em 0 1.5em; } .name span { display: inline-block; border-bottom: 1px solid #555; width: 16em; }
ul.answers li { margin: .3em 0; }
"""


@dataclass(frozen=True)
class FactRow:
    article: str  # article id
    outlet: str
    sentences: tuple[str, ...]
    text: str  # the outlet's sentences in this group, joined


@dataclass(frozen=True)
class Fact:
    number: int  # 1-based, the number a class sees
    group: str
    rows: tuple[FactRow, ...]
    differences: tuple[Discrepancy, ...]


def shared_facts(comparison: Comparison) -> tuple[Fact, ...]:
    """Facts (groups) reported by two or more outlets, in story order, numbered from 1."""
    by_group = diffs_by_group(comparison)
    facts: list[Fact] = []
    for g in comparison.groups:
        per = group_articles(comparison, g)
        rows = tuple(
            FactRow(a.id, a.outlet, tuple(per[a.id]), " ".join(comparison.sentence(s).text for s in per[a.id]))
            for a in comparison.articles
            if per[a.id]
        )
        if len(rows) >= 2:
            facts.append(Fact(len(facts) + 1, g.id, rows, tuple(by_group.get(g.id, ()))))
    return tuple(facts)


def row_marks(comparison: Comparison, row: FactRow, differences: tuple[Discrepancy, ...]) -> list[Mark]:
    """Where ``differences`` touch this row's text (its sentences joined by one space)."""
    marks: list[Mark] = []
    offset = 0
    for sid in row.sentences:
        text = comparison.sentence(sid).text
        for d in differences:
            for v in d.values:
                if v.sentence == sid:
                    start = v.start if text[v.start:v.end] == v.text else text.find(v.text)
                    if start >= 0 and v.text:
                        marks.append(Mark(offset + start, offset + start + len(v.text), d.kind, d.id))
        offset += len(text) + 1
    return marks


def _header(comparison: Comparison, heading: str, intro: str) -> str:
    outlets = ", ".join(a.outlet for a in comparison.articles)
    return (f"<h1>{esc(heading)}</h1><p class=\"meta\">{esc(outlets)}</p>"
            f'<p class="name">Name: <span></span> Date: <span></span></p><p>{intro}</p>')


def render_worksheet(comparison: Comparison) -> str:
    """The aligned facts without any answer: pupils find and write down what differs."""
    facts = shared_facts(comparison)
    parts = [_header(
        comparison, "Spot the difference: worksheet",
        "Each fact below is reported by several news outlets. Read how each one tells it. "
        "Underline what differs (numbers, names, quoted words, claims) and write it on the lines.",
    )]
    if not facts:
        parts.append("<p>No fact is reported by two or more of these outlets.</p>")
    for fact in facts:
        rows = "".join(f'<tr><td class="outlet">{esc(r.outlet)}</td><td>{esc(r.text)}</td></tr>' for r in fact.rows)
        parts.append(
            f'<section class="fact"><h2>Fact {fact.number}</h2><table>{rows}</table>'
            '<p>What differs?</p><div class="lines"><div></div><div></div><div></div></div></section>'
        )
    return page("Spot the difference: worksheet", "".join(parts), WORKSHEET_CSS)


def render_answer_sheet(comparison: Comparison) -> str:
    """The same facts, numbered alike, with every difference marked and explained."""
    facts = shared_facts(comparison)
    parts = [f"<h1>Spot the difference: answer sheet</h1><p class=\"meta\">"
             f"{esc(', '.join(a.outlet for a in comparison.articles))}</p>", legend()]
    if not facts:
        parts.append("<p>No fact is reported by two or more of these outlets.</p>")
    for fact in facts:
        rows = "".join(
            f'<tr><td class="outlet">{esc(r.outlet)}</td>'
            f"<td>{marked(r.text, row_marks(comparison, r, fact.differences))}</td></tr>"
            for r in fact.rows
        )
        if fact.differences:
            answers = "".join(
                f"<li><b>[{esc(d.id)}] {esc(KIND_NAMES.get(d.kind, d.kind))}</b>: {esc(d.summary)}</li>"
                for d in fact.differences
            )
            answer = f'<ul class="answers">{answers}</ul>'
        else:
            answer = "<p>Parallax flagged no difference in this fact: look for yourself.</p>"
        parts.append(f'<section class="fact"><h2>Fact {fact.number}</h2><table>{rows}</table>{answer}</section>')
    return page("Spot the difference: answer sheet", "".join(parts), WORKSHEET_CSS)
