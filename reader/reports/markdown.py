"""A Markdown report, for a newsroom wiki or a CMS.

Article text is untrusted: most Markdown renderers pass raw HTML through, so
``<``, ``>`` and ``&`` become entities and Markdown's own syntax characters are
backslash-escaped. A story's ``<script>`` shows as text and no link or image
can be smuggled in by an article.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import escape

from reader import __version__
from reader.facts import FactTable, build_fact_table
from reader.model import DISCREPANCY_KINDS, Comparison
from reader.project.notes import Notes, orphans, resolve
from reader.reports.html import outlet_of
from reader.reports.markup import KIND_NAMES, KIND_TITLES, plural

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#!{}()])")


def md(text: object) -> str:
    """Inline-safe Markdown for untrusted text: one line, no markup, no HTML."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", escape(flat, quote=False))


def _fact(table: FactTable, group_id: str) -> str:
    i = table.index_of_group(group_id)
    return f"fact {i + 1}" if i >= 0 else f"fact {md(group_id)}"


def _differences(comparison: Comparison, table: FactTable, notes: dict) -> list[str]:
    lines = ["## Differences", ""]
    if not comparison.discrepancies:
        lines += ["Parallax found no differences between the outlets.", ""]
    for kind in DISCREPANCY_KINDS:
        found = [d for d in comparison.discrepancies if d.kind == kind]
        if not found:
            continue
        lines += [f"### {KIND_TITLES[kind]} ({len(found)})", ""]
        for n, d in enumerate(found, 1):
            facts = [md(d.detail)] if d.detail and d.detail not in d.summary else []
            facts += [f"confidence {round(d.confidence * 100)}%", _fact(table, d.group)]
            lines.append(f"{n}. **\\[{md(d.id)}\\] {md(d.summary)}** ({' · '.join(facts)})")
            lines += [f"   - **{md(outlet_of(comparison, v.sentence))}**: “{md(v.text)}”" for v in d.values]
            if d.id in notes:
                lines.append(f"   - *Note:* {md(notes[d.id].text)}")
        lines.append("")
    return lines


def _agreements(comparison: Comparison, table: FactTable) -> list[str]:
    lines = ["## Agreements", ""]
    if not comparison.agreements:
        return [*lines, "No figure is reported alike by several outlets.", ""]
    lines += ["| Value | Kind | Outlets that agree | Fact |", "|---|---|---|---|"]
    for a in comparison.agreements:
        outlets = ", ".join(dict.fromkeys(outlet_of(comparison, s) for s in a.sentences))
        lines.append(f"| {md(a.value)} | {md(a.kind)} | {md(outlets)} | {_fact(table, a.group)} |")
    return [*lines, ""]


def _aligned(comparison: Comparison, table: FactTable, notes: dict) -> list[str]:
    lines = ["## Aligned facts", ""]
    for fact in table.facts:
        label = plural(len(fact.cells), "outlet") if fact.shared else "one outlet alone"
        lines += [f"### Fact {fact.number} ({label})", ""]
        lines += [f"- **{md(c.outlet)}**: {md(c.text)}" for c in fact.cells]
        for d in fact.differences:
            lines.append(f"- *{KIND_NAMES.get(d.kind, d.kind)} difference* \\[{md(d.id)}\\]: {md(d.summary)}")
        if fact.nearest:
            near = "; ".join(f"{md(outlet_of(comparison, n.sentence))}, fact {n.fact}" for n in fact.nearest)
            lines.append(f"- *Nearest elsewhere:* {near} (weak matches: they may tell this in other words)")
        if fact.group in notes:
            lines.append(f"- *Note:* {md(notes[fact.group].text)}")
        lines.append("")
    return lines


def _sources(comparison: Comparison) -> list[str]:
    lines = ["## Sources", "", "| Id | Outlet | Title | Published | Author | Source |", "|---|---|---|---|---|---|"]
    for a in comparison.articles:
        cells = [a.id, a.outlet, a.title, a.published or "", a.author or "", a.url or a.source]
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    return [*lines, ""]


def render_markdown(comparison: Comparison, notes: Notes | None = None, table: FactTable | None = None) -> str:
    table = table or build_fact_table(comparison)
    placed = resolve(notes, comparison)
    shared = len(table.shared())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# Parallax comparison: {len(comparison.articles)} articles",
        "",
        f"*{md(', '.join(a.outlet for a in comparison.articles))}*",
        "",
        f"Generated {stamp} by Parallax {__version__} · model {md(comparison.model)} · "
        f"strictness {comparison.strictness:.2f}",
        "",
        "## Summary",
        "",
        f"- {plural(len(table), 'fact')}: {shared} reported by two or more outlets, "
        f"{len(table) - shared} by one outlet alone",
        f"- {plural(len(comparison.discrepancies), 'difference')}",
        f"- {plural(len(comparison.agreements), 'figure')} corroborated by several outlets",
        "",
        *_differences(comparison, table, placed),
        *_agreements(comparison, table),
        *_aligned(comparison, table, placed),
        *_sources(comparison),
    ]
    if notes and len(notes):
        lines += ["## Notes", ""]
        lines += [f"- {_fact(table, target) if n.kind == 'group' else md(target)}: {md(n.text)}"
                  for target, n in placed.items()]
        lines += [f"- {md(n.target)} (not found at this strictness): {md(n.text)}" for n in orphans(notes, comparison)]
        lines.append("")
    return "\n".join(lines)
