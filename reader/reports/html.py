"""A self-contained HTML report of a comparison: one file a person can mail, archive or print.

The page is built from the fact table (``reader.facts``) with the shared markup of
``reader.reports.markup``: every piece of article text, title, outlet name and note is escaped,
the page forbids scripts and remote loads, and differences carry an underline style and a
bracketed label as well as a colour. Facts are numbered as in the app ("Fact 7").
"""

from __future__ import annotations

from datetime import UTC, datetime

from reader import __version__
from reader.facts import Fact, FactTable, build_fact_table
from reader.model import DISCREPANCY_KINDS, Article, Comparison, Discrepancy
from reader.project.notes import Note, Notes, orphans, resolve
from reader.reports.markup import (
    KIND_NAMES,
    KIND_TITLES,
    cell_marks,
    esc,
    legend,
    marked,
    page,
    plural,
)


def outlet_of(comparison: Comparison, sentence_id: str) -> str:
    try:
        return comparison.article_of(sentence_id).outlet
    except KeyError:
        return "?"


def fact_link(table: FactTable, group_id: str) -> str:
    """'fact 7', linked to its row of the aligned table."""
    i = table.index_of_group(group_id)
    return f'fact <a href="#{esc(group_id)}">{i + 1 if i >= 0 else esc(group_id)}</a>'


def _note_html(note: Note | None) -> str:
    return f'<p class="note">Note: {esc(note.text)}</p>' if note else ""


def _header(comparison: Comparison) -> str:
    outlets = ", ".join(a.outlet for a in comparison.articles)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<header><h1>Parallax comparison: {len(comparison.articles)} articles</h1>"
        f'<p class="meta">{esc(outlets)}</p>'
        f'<p class="meta">Generated {stamp} by Parallax {esc(__version__)} · model {esc(comparison.model)} · '
        f"strictness {comparison.strictness:.2f}</p></header>"
        '<nav class="muted"><a href="#summary">Summary</a> · <a href="#differences">Differences</a> · '
        '<a href="#agreements">Agreements</a> · <a href="#aligned">Aligned facts</a> · '
        '<a href="#sources">Sources</a> · <a href="#notes">Notes</a></nav>'
    )


def _summary(comparison: Comparison, table: FactTable) -> str:
    shared = len(table.shared())
    kinds = [(k, sum(1 for d in comparison.discrepancies if d.kind == k)) for k in DISCREPANCY_KINDS]
    kinds_text = ", ".join(plural(n, KIND_NAMES[k]) for k, n in kinds if n) or "none"
    return (
        '<section id="summary"><h2>Summary</h2><ul>'
        f"<li>{plural(len(table), 'fact')}: {shared} reported by two or more outlets, "
        f"{len(table) - shared} by one outlet alone</li>"
        f"<li>{plural(len(comparison.discrepancies), 'difference')}: {kinds_text}</li>"
        f"<li>{plural(len(comparison.agreements), 'figure')} corroborated by several outlets</li></ul></section>"
    )


def _difference(comparison: Comparison, table: FactTable, d: Discrepancy, note: Note | None) -> str:
    values = "".join(
        f"<li><b>{esc(outlet_of(comparison, v.sentence))}</b>: “{esc(v.text)}”</li>" for v in d.values
    )
    facts = [esc(d.detail)] if d.detail and d.detail not in d.summary else []
    facts.append(f"confidence {round(d.confidence * 100)}%")
    facts.append(fact_link(table, d.group))
    return (
        f'<li id="{esc(d.id)}"><p><b>[{esc(d.id)}] {esc(d.summary)}</b></p>'
        f'<p class="muted">{" · ".join(facts)}</p><ul class="values">{values}</ul>{_note_html(note)}</li>'
    )


def _differences(comparison: Comparison, table: FactTable, notes: dict[str, Note]) -> str:
    parts = ['<section id="differences"><h2>Differences</h2>']
    if not comparison.discrepancies:
        parts.append("<p>Parallax found no differences between the outlets.</p>")
    for kind in DISCREPANCY_KINDS:
        found = [d for d in comparison.discrepancies if d.kind == kind]
        if found:
            items = "".join(_difference(comparison, table, d, notes.get(d.id)) for d in found)
            parts.append(f'<h3>{KIND_TITLES[kind]} ({len(found)})</h3><ol class="diffs">{items}</ol>')
    parts.append("</section>")
    return "".join(parts)


_NO_AGREEMENTS = (
    '<section id="agreements"><h2>Agreements</h2><p>No figure is reported alike by several outlets.</p></section>'
)


def _agreements(comparison: Comparison, table: FactTable) -> str:
    if not comparison.agreements:
        return _NO_AGREEMENTS
    rows = "".join(
        f"<tr><td>{esc(a.value)}</td><td>{esc(a.kind)}</td>"
        f"<td>{esc(', '.join(dict.fromkeys(outlet_of(comparison, s) for s in a.sentences)))}</td>"
        f"<td>{fact_link(table, a.group)}</td></tr>"
        for a in comparison.agreements
    )
    return (
        '<section id="agreements"><h2>Agreements</h2><table class="agreements"><thead><tr><th>Value</th>'
        f"<th>Kind</th><th>Outlets that agree</th><th>Fact</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _row(fact: Fact, articles: tuple[Article, ...]) -> str:
    cells = []
    for a in articles:
        cell = fact.cell(a.id)
        # Marks of a story-wide difference that lands in this fact's sentences are shown too: the
        # reader follows its [d] label to the Differences section.
        near = fact.nearest_in(a.id)
        if cell is None and near is not None:
            # an outlet that came near this fact without matching: a weak match, worth checking in other words
            cells.append(f'<td class="empty">— nearest: fact {near.fact} —</td>')
        elif cell is None:
            cells.append('<td class="empty">—</td>')
        else:
            cells.append(f"<td>{marked(cell.text, cell_marks(cell))}</td>")
    label = plural(len(fact.cells), "outlet") if fact.shared else f"only {esc(fact.cells[0].outlet)}" \
        if fact.cells else ""
    return (f'<tr id="{esc(fact.group)}"{"" if fact.shared else " class=alone"}><th>{fact.number}<br>'
            f'<span class="muted">{label}</span></th>{"".join(cells)}</tr>')


def _aligned(comparison: Comparison, table: FactTable, notes: dict[str, Note]) -> str:
    arts = comparison.articles
    head = "".join(f"<th>{esc(a.outlet)}</th>" for a in arts)
    rows = []
    for fact in table.facts:
        rows.append(_row(fact, arts))
        if fact.group in notes:
            rows.append(f'<tr><td colspan="{len(arts) + 1}">{_note_html(notes[fact.group])}</td></tr>')
    return (
        '<section id="aligned"><h2>Aligned facts</h2>' + legend()
        + f'<table class="aligned"><thead><tr><th>Fact</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table></section>"
    )


def _source(article: Article) -> str:
    meta = [("Title", article.title), ("Source", article.source), ("Published", article.published),
            ("Author", article.author), ("Address", article.url)]
    rows = "".join(f"<tr><th>{k}</th><td>{esc(v)}</td></tr>" for k, v in meta if v)
    removed = "".join(f"<li>{esc(r.reason)}: “{esc(r.text[:200])}”</li>" for r in article.removed)
    removed_html = f"<p>Removed before comparing:</p><ul>{removed}</ul>" if removed else ""
    # The address is shown as text, never as a link: a javascript: URL in a source must stay inert.
    return (
        f'<div class="source" id="{esc(article.id)}"><h3>{esc(article.id)} · {esc(article.outlet)}</h3>'
        f"<table>{rows}<tr><th>Sentences</th><td>{len(article.sentences)}</td></tr></table>{removed_html}</div>"
    )


def _notes(comparison: Comparison, table: FactTable, notes: Notes | None, placed: dict[str, Note]) -> str:
    if not notes or not len(notes):
        return '<section id="notes"><h2>Notes</h2><p class="muted">No notes.</p></section>'
    items = "".join(f"<li>{_target(table, target, n)}: {esc(n.text)}</li>" for target, n in placed.items())
    lost = "".join(f"<li>{esc(n.target)} (not found at this strictness): {esc(n.text)}</li>"
                   for n in orphans(notes, comparison))
    return f'<section id="notes"><h2>Notes</h2><ul>{items}{lost}</ul></section>'


def _target(table: FactTable, target: str, note: Note) -> str:
    return fact_link(table, target) if note.kind == "group" else f'<a href="#{esc(target)}">[{esc(target)}]</a>'


def _agreements_list(comparison: Comparison, table: FactTable) -> str:
    """The agreements as a list, for paper: a long table broke across pages leaving empty row pieces."""
    if not comparison.agreements:
        return _NO_AGREEMENTS
    items = "".join(
        f"<li><b>{esc(a.value)}</b> ({esc(a.kind)}): "
        f"{esc(', '.join(dict.fromkeys(outlet_of(comparison, s) for s in a.sentences)))} · {fact_link(table, a.group)}"
        "</li>"
        for a in comparison.agreements
    )
    return f'<section id="agreements"><h2>Agreements</h2><ul class="agreements">{items}</ul></section>'


def _fact_blocks(table: FactTable, notes: dict[str, Note]) -> str:
    """The aligned facts for paper: each fact its own small table, one outlet a row, the text the page's width.

    Five outlets' columns on A4 left a few words per line and a 48-page report; the blocks also
    let the printer keep each fact on one page.
    """
    blocks = []
    for fact in table.facts:
        label = plural(len(fact.cells), "outlet") if fact.shared else f"only {esc(fact.cells[0].outlet)}" \
            if fact.cells else ""
        # Widths as attributes: Qt's printing reads no CSS width on a cell, and every fact's table alike.
        rows = "".join(f'<tr><td class="outlet" width="22%">{esc(c.outlet)}</td>'
                       f"<td>{marked(c.text, cell_marks(c))}</td></tr>" for c in fact.cells)
        note = _note_html(notes.get(fact.group))
        blocks.append(f'<h3 id="{esc(fact.group)}">Fact {fact.number} · {label}</h3><table>{rows}</table>{note}')
    return '<section id="aligned"><h2>Aligned facts</h2>' + legend() + "".join(blocks) + "</section>"


def render_html(comparison: Comparison, notes: Notes | None = None, table: FactTable | None = None) -> str:
    """The report; ``table``: the comparison's fact table when the caller has it already."""
    return _report(comparison, notes, table, paper=False)


def render_print_html(comparison: Comparison, notes: Notes | None = None, table: FactTable | None = None) -> str:
    """The same report laid out for A4 (the PDF): agreements as a list, each fact as its own block."""
    return _report(comparison, notes, table, paper=True)


def _report(comparison: Comparison, notes: Notes | None, table: FactTable | None, *, paper: bool) -> str:
    table = table or build_fact_table(comparison)
    placed = resolve(notes, comparison)
    body = "".join([
        _header(comparison),
        _summary(comparison, table),
        _differences(comparison, table, placed),
        (_agreements_list if paper else _agreements)(comparison, table),
        _fact_blocks(table, placed) if paper else _aligned(comparison, table, placed),
        '<section id="sources"><h2>Sources</h2>' + "".join(_source(a) for a in comparison.articles) + "</section>",
        _notes(comparison, table, notes, placed),
        f'<footer class="muted"><p>Made with Parallax {esc(__version__)}. Highlights mark where outlets differ; '
        "they are leads to check, not verdicts.</p></footer>",
    ])
    return page(f"Parallax comparison: {', '.join(a.outlet for a in comparison.articles)}", body)
