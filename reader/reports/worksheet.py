"""Classroom material: the shared facts one at a time, a printable worksheet and its answer sheet.

The facts come from the fact table (``reader.facts``): the ones two or more outlets report, in
story order, numbered as the app numbers them ("Fact 7" on the table, in the differences panel,
on the projector and on the pupils' sheet). Numbers skip the facts one outlet reports alone.
"""

from __future__ import annotations

from reader.facts import Fact, FactTable, build_fact_table
from reader.model import Comparison
from reader.reports.markup import BASE_CSS, KIND_NAMES, cell_marks, esc, legend, marked, page

WORKSHEET_CSS = BASE_CSS + """
body { max-width: 60em; font-size: 16px; }
section.fact { margin: 1.2em 0 1.6em; page-break-inside: avoid; break-inside: avoid; }
section.fact h2 { font-size: 1.2em; }
td.outlet { width: 11em; font-weight: bold; }
.lines div { border-bottom: 1px solid #555; height: 2em; }
.name { margin: 1em 0 1.5em; } .name span { display: inline-block; border-bottom: 1px solid #555; width: 16em; }
ul.answers li { margin: .3em 0; }
"""


def shared_facts(comparison: Comparison, table: FactTable | None = None) -> tuple[Fact, ...]:
    """Facts two or more outlets report, in story order: what the worksheet and classroom mode show."""
    return (table or build_fact_table(comparison)).shared()


def no_difference_text(fact: Fact) -> str:
    """What to say on a shared fact Parallax flagged nothing on: never "no difference" when the words differ."""
    if any(c.reworded for c in fact.cells):
        return ("Parallax flagged no difference in figures, names, quotes or claims here, but the outlets tell "
                "it in quite different words: does each one report the same thing?")
    if any(c.changed for c in fact.cells):
        return ("Parallax flagged no difference in figures, names, quotes or claims here, but the outlets "
                "word it differently (underlined): is that a difference in what they report?")
    return "Parallax flagged no difference here, and the outlets tell it in much the same words."


def _header(comparison: Comparison, heading: str, intro: str) -> str:
    outlets = ", ".join(a.outlet for a in comparison.articles)
    return (f"<h1>{esc(heading)}</h1><p class=\"meta\">{esc(outlets)}</p>"
            f'<p class="name">Name: <span></span> Date: <span></span></p><p>{intro}</p>')


def render_worksheet(comparison: Comparison, table: FactTable | None = None) -> str:
    """The aligned facts without any answer: pupils find and write down what differs."""
    facts = shared_facts(comparison, table)
    parts = [_header(
        comparison, "Spot the difference: worksheet",
        "Each fact below is reported by several news outlets. Read how each one tells it. "
        "Underline what differs (numbers, names, quoted words, claims) and write it on the lines.",
    )]
    if not facts:
        parts.append("<p>No fact is reported by two or more of these outlets.</p>")
    for fact in facts:
        rows = "".join(f'<tr><td class="outlet">{esc(c.outlet)}</td><td>{esc(c.text)}</td></tr>' for c in fact.cells)
        parts.append(
            f'<section class="fact"><h2>Fact {fact.number}</h2><table>{rows}</table>'
            '<p>What differs?</p><div class="lines"><div></div><div></div><div></div></div></section>'
        )
    return page("Spot the difference: worksheet", "".join(parts), WORKSHEET_CSS)


def render_answer_sheet(comparison: Comparison, table: FactTable | None = None) -> str:
    """The same facts, numbered alike, with every difference marked and explained."""
    facts = shared_facts(comparison, table)
    parts = [f"<h1>Spot the difference: answer sheet</h1><p class=\"meta\">"
             f"{esc(', '.join(a.outlet for a in comparison.articles))}</p>", legend()]
    if not facts:
        parts.append("<p>No fact is reported by two or more of these outlets.</p>")
    for fact in facts:
        own = [d.id for d in fact.differences]  # a story-wide difference is answered on its own fact
        rows = "".join(
            f'<tr><td class="outlet">{esc(c.outlet)}</td>'
            f"<td>{marked(c.text, cell_marks(c, labels=own))}</td></tr>"
            for c in fact.cells
        )
        if fact.differences:
            answers = "".join(
                f"<li><b>[{esc(d.id)}] {esc(KIND_NAMES.get(d.kind, d.kind))}</b>: {esc(d.summary)}</li>"
                for d in fact.differences
            )
            answer = f'<ul class="answers">{answers}</ul>'
        else:
            answer = f"<p>{no_difference_text(fact)}</p>"
        parts.append(f'<section class="fact"><h2>Fact {fact.number}</h2><table>{rows}</table>{answer}</section>')
    return page("Spot the difference: answer sheet", "".join(parts), WORKSHEET_CSS)
