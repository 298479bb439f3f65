"""A self-contained HTML report of a comparison: one file a person can mail, archive or print.

Every piece of article text, title, outlet name and note goes through
``html.escape``; the page carries a Content-Security-Policy that forbids scripts
and remote loads as a second wall. No external resources: CSS is inline, there
are no images or fonts to fetch. Highlights never rely on colour alone: each
kind of difference has its own underline style and a bracketed label ([d2]), so
the report reads on a black-and-white printout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from itertools import pairwise

from reader import __version__
from reader.differences.worddiff import changed_spans
from reader.model import DISCREPANCY_KINDS, Article, Comparison, Discrepancy, Group
from reader.project.notes import Note, Notes, orphans, resolve

KIND_NAMES = {"figure": "figure", "name": "name", "quote": "quote", "claim": "claim", "wording": "wording"}
KIND_TITLES = {"figure": "Figures", "name": "Names", "quote": "Quotes", "claim": "Claims", "wording": "Wording"}
UNDERLINES = {"figure": "solid", "name": "double", "quote": "dashed", "claim": "wavy", "wording": "dotted"}
COLOURS = {"figure": "#ffe08a", "name": "#cfe3ff", "quote": "#e6d8ff", "claim": "#ffcccc", "wording": "#d6f2cf"}

# A meta CSP stops scripts, plugins, frames and every remote load even if escaping ever failed.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

BASE_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #111; background: #fff;
       margin: 1.5em auto; max-width: 1400px; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { border-bottom: 2px solid #333; padding-bottom: .15em; margin-top: 1.6em; }
.meta, .muted { color: #444; font-size: .9em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .4em .5em; vertical-align: top; text-align: left; }
thead th { background: #eee; }
mark { color: inherit; padding: 0 .05em; text-decoration-thickness: 2px; text-underline-offset: 3px; }
""" + "".join(
    f"mark.k-{k} {{ background: {COLOURS[k]}; text-decoration: underline {UNDERLINES[k]} #000; }}\n"
    for k in DISCREPANCY_KINDS
) + """
.chg { text-decoration: underline dotted #555; text-underline-offset: 3px; }
sup.ref { font-size: .7em; font-weight: bold; white-space: nowrap; }
.note { border-left: 4px solid #333; background: #f4f4f4; padding: .3em .6em; margin: .4em 0; font-style: italic; }
.alone td, .alone th { background: #fafafa; color: #333; }
.empty { color: #777; }
.source th { width: 9em; }
.legend span { margin-right: 1.2em; white-space: nowrap; }
ol.diffs > li { margin-bottom: .8em; } .values { margin: .2em 0; }
@media print {
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  tr, li, .source { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { page-break-after: avoid; break-after: avoid; }
}
"""


@dataclass(frozen=True)
class Mark:
    """A stretch of one sentence to highlight: a difference's value, or a changed word."""

    start: int
    end: int
    kind: str  # a discrepancy kind, or "changed" for a word-level change
    label: str = ""  # the discrepancy id shown after the stretch, e.g. "d2"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def _open_tag(active: Sequence[Mark]) -> str:
    found = [m for m in active if m.kind != "changed"]
    if found:
        title = ", ".join(f"{m.label} {m.kind}" for m in found)
        return f'<mark class="k-{esc(found[0].kind)}" title="{esc(title)}">'
    return '<span class="chg">' if active else ""


def marked(text: str, marks: Sequence[Mark]) -> str:
    """``text`` escaped, with possibly overlapping marks flattened into runs of <mark> (no nesting).

    Changed words inside a difference's value are not marked twice: the value's
    mark already says "look here".
    """
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    run_tag, run_text = "", ""

    def flush() -> None:
        if run_text:
            close = "</mark>" if run_tag.startswith("<mark") else "</span>" if run_tag else ""
            out.append(f"{run_tag}{run_text}{close}")

    for a, b in pairwise(cuts):
        tag = _open_tag([m for m in valid if m.start <= a and b <= m.end])
        if tag != run_tag:
            flush()
            run_tag, run_text = tag, ""
        run_text += esc(text[a:b])
        labels = [m.label for m in valid if m.end == b and m.label]
        if labels:
            flush()
            out.append(f'<sup class="ref">[{esc(", ".join(dict.fromkeys(labels)))}]</sup>')
            run_text = ""
    flush()
    return "".join(out)


def outlet_of(comparison: Comparison, sentence_id: str) -> str:
    try:
        return comparison.article_of(sentence_id).outlet
    except KeyError:
        return "?"


def group_articles(comparison: Comparison, group: Group) -> dict[str, list[str]]:
    """Article id -> the group's sentence ids from that article, in article order."""
    by_article: dict[str, list[str]] = {a.id: [] for a in comparison.articles}
    for sid in group.sentences:
        if sid in comparison.sentence_index:
            by_article[comparison.article_of(sid).id].append(sid)
    return by_article


def sentence_marks(
    comparison: Comparison, group: Group, sentence_id: str, diffs: Sequence[Discrepancy], *, words: bool = True
) -> list[Mark]:
    """Where the group's differences touch this sentence, plus its changed words against the others."""
    text = comparison.sentence(sentence_id).text
    marks: list[Mark] = []
    for d in diffs:
        for v in d.values:
            if v.sentence != sentence_id:
                continue
            start, end = v.start, v.end
            if text[start:end] != v.text:  # offsets from an older text: find the words again
                start = text.find(v.text)
                end = start + len(v.text)
            if start >= 0 and v.text:
                marks.append(Mark(start, end, d.kind, d.id))
    if words:
        own = comparison.article_of(sentence_id).id
        others = [comparison.sentence(s).text for s in group.sentences
                  if s in comparison.sentence_index and comparison.article_of(s).id != own]
        if others:
            marks.extend(Mark(a, b, "changed") for a, b in changed_spans(text, others))
    return marks


def diffs_by_group(comparison: Comparison) -> dict[str, list[Discrepancy]]:
    out: dict[str, list[Discrepancy]] = {}
    for d in comparison.discrepancies:
        out.setdefault(d.group, []).append(d)
    return out


def page(title: str, body: str, css: str = BASE_CSS) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def legend() -> str:
    items = "".join(
        f'<span><mark class="k-{k}">{KIND_NAMES[k]}</mark> {UNDERLINES[k]} underline</span> '
        for k in DISCREPANCY_KINDS
    )
    return (f'<p class="legend muted">Key: {items}<span><span class="chg">changed words</span> dotted grey</span> '
            "<span>[d1] = difference number</span></p>")


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


def _summary(comparison: Comparison) -> str:
    shared = sum(1 for g in comparison.groups if sum(1 for v in group_articles(comparison, g).values() if v) >= 2)
    kinds = [(k, sum(1 for d in comparison.discrepancies if d.kind == k)) for k in DISCREPANCY_KINDS]
    kinds_text = ", ".join(plural(n, KIND_NAMES[k]) for k, n in kinds if n) or "none"
    return (
        '<section id="summary"><h2>Summary</h2><ul>'
        f"<li>{plural(len(comparison.groups), 'fact')}: {shared} reported by two or more outlets, "
        f"{len(comparison.groups) - shared} by one outlet alone</li>"
        f"<li>{plural(len(comparison.discrepancies), 'difference')}: {kinds_text}</li>"
        f"<li>{plural(len(comparison.agreements), 'figure')} corroborated by several outlets</li></ul></section>"
    )


def _difference(comparison: Comparison, d: Discrepancy, note: Note | None) -> str:
    values = "".join(
        f"<li><b>{esc(outlet_of(comparison, v.sentence))}</b>: “{esc(v.text)}”</li>" for v in d.values
    )
    facts = [esc(d.detail)] if d.detail else []
    facts.append(f"confidence {round(d.confidence * 100)}%")
    facts.append(f'fact <a href="#{esc(d.group)}">{esc(d.group)}</a>')
    return (
        f'<li id="{esc(d.id)}"><p><b>[{esc(d.id)}] {esc(d.summary)}</b></p>'
        f'<p class="muted">{" · ".join(facts)}</p><ul class="values">{values}</ul>{_note_html(note)}</li>'
    )


def _differences(comparison: Comparison, notes: dict[str, Note]) -> str:
    parts = ['<section id="differences"><h2>Differences</h2>']
    if not comparison.discrepancies:
        parts.append("<p>Parallax found no differences between the outlets.</p>")
    for kind in DISCREPANCY_KINDS:
        found = [d for d in comparison.discrepancies if d.kind == kind]
        if found:
            items = "".join(_difference(comparison, d, notes.get(d.id)) for d in found)
            parts.append(f'<h3>{KIND_TITLES[kind]} ({len(found)})</h3><ol class="diffs">{items}</ol>')
    parts.append("</section>")
    return "".join(parts)


def _agreements(comparison: Comparison) -> str:
    if not comparison.agreements:
        return '<section id="agreements"><h2>Agreements</h2><p>No figure is reported alike by several outlets.</p>' \
               "</section>"
    rows = "".join(
        f"<tr><td>{esc(a.value)}</td><td>{esc(a.kind)}</td>"
        f"<td>{esc(', '.join(dict.fromkeys(outlet_of(comparison, s) for s in a.sentences)))}</td>"
        f'<td><a href="#{esc(a.group)}">{esc(a.group)}</a></td></tr>'
        for a in comparison.agreements
    )
    return (
        '<section id="agreements"><h2>Agreements</h2><table><thead><tr><th>Value</th><th>Kind</th>'
        f"<th>Outlets that agree</th><th>Fact</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _cell(comparison: Comparison, group: Group, sids: list[str], diffs: list[Discrepancy], shared: bool) -> str:
    if not sids:
        return '<td class="empty">—</td>'
    texts = [marked(comparison.sentence(s).text, sentence_marks(comparison, group, s, diffs, words=shared))
             for s in sids]
    return "<td>" + " ".join(texts) + "</td>"


def _aligned(comparison: Comparison, notes: dict[str, Note]) -> str:
    arts = comparison.articles
    head = "".join(f"<th>{esc(a.outlet)}</th>" for a in arts)
    by_group = diffs_by_group(comparison)
    rows = []
    for g in comparison.groups:
        per = group_articles(comparison, g)
        present = [a for a in arts if per[a.id]]
        shared = len(present) >= 2
        label = f"{len(present)} outlets" if shared else f"only {esc(present[0].outlet)}" if present else ""
        cells = "".join(_cell(comparison, g, per[a.id], by_group.get(g.id, []), shared) for a in arts)
        rows.append(f'<tr id="{esc(g.id)}"{"" if shared else " class=alone"}><th>{esc(g.id)}<br>'
                    f'<span class="muted">{label}</span></th>{cells}</tr>')
        if g.id in notes:
            rows.append(f'<tr><td colspan="{len(arts) + 1}">{_note_html(notes[g.id])}</td></tr>')
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


def _notes(comparison: Comparison, notes: Notes | None, placed: dict[str, Note]) -> str:
    if not notes or not len(notes):
        return '<section id="notes"><h2>Notes</h2><p class="muted">No notes.</p></section>'
    items = "".join(
        f'<li><a href="#{esc(target)}">{esc(target)}</a>: {esc(n.text)}</li>' for target, n in placed.items()
    )
    lost = "".join(f"<li>{esc(n.target)} (not found at this strictness): {esc(n.text)}</li>"
                   for n in orphans(notes, comparison))
    return f'<section id="notes"><h2>Notes</h2><ul>{items}{lost}</ul></section>'


def render_html(comparison: Comparison, notes: Notes | None = None) -> str:
    placed = resolve(notes, comparison)
    body = "".join([
        _header(comparison),
        _summary(comparison),
        _differences(comparison, placed),
        _agreements(comparison),
        _aligned(comparison, placed),
        '<section id="sources"><h2>Sources</h2>' + "".join(_source(a) for a in comparison.articles) + "</section>",
        _notes(comparison, notes, placed),
        f'<footer class="muted"><p>Made with Parallax {esc(__version__)}. Highlights mark where outlets differ; '
        "they are leads to check, not verdicts.</p></footer>",
    ])
    return page(f"Parallax comparison: {', '.join(a.outlet for a in comparison.articles)}", body)
