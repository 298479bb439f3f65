"""The HTML pieces every printed or shown page shares: escaping, marks, the page shell, the legend.

The report (``reader.reports.html``), the worksheet, classroom mode and the PDF use these; none
of them builds its own. Every piece of article text goes through ``esc``; a page carries a
Content-Security-Policy that forbids scripts and remote loads as a second wall. Highlights never
rely on colour alone: each kind of difference has its own underline style and a bracketed label
([d2]), so a page reads on a black-and-white printout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from reader.facts import Cell, CellMark
from reader.model import DISCREPANCY_KINDS

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
    """A stretch of text to highlight: a difference's value, or a changed word."""

    start: int
    end: int
    kind: str  # a discrepancy kind, or "changed" for a word-level change
    label: str = ""  # the discrepancy id shown after the stretch, e.g. "d2"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def cell_marks(cell: Cell, *, labels: Iterable[str] | None = None, changed: bool = True) -> list[Mark]:
    """A fact-table cell's marks for ``marked``: its differences (only those in ``labels`` when given)
    and, with ``changed``, its changed words."""
    wanted = None if labels is None else set(labels)
    found: list[CellMark] = [m for m in cell.disputed if wanted is None or m.label in wanted]
    if changed:
        found.extend(cell.changed)
    return [Mark(m.start, m.end, m.kind, m.label) for m in found]


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


def page(title: str, body: str, css: str = BASE_CSS) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def legend() -> str:
    """The key to the marks, as samples of each: their look says it on screen, on paper and in grey."""
    items = "".join(f'<span><mark class="k-{k}">{KIND_NAMES[k]}</mark></span> ' for k in DISCREPANCY_KINDS)
    return (f'<p class="legend muted">Key: {items}<span><span class="chg">changed words</span></span> '
            "<span>[d1] = the difference's number</span></p>")
