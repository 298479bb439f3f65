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
from reader.model import DISCREPANCY_KINDS, Comparison
from reader.project.notes import Notes, orphans, resolve
from reader.reports.html import KIND_NAMES, KIND_TITLES, diffs_by_group, group_articles, outlet_of, plural

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#!{}()])")


def md(text: object) -> str:
    """Inline-safe Markdown for untrusted text: one line, no markup, no HTML."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", escape(flat, quote=False))


def _differences(comparison: Comparison, notes: dict) -> list[str]:
    lines = ["## Differences", ""]
    if not comparison.discrepancies:
        lines += ["Parallax found no differences between the outlets.", ""]
    for kind in DISCREPANCY_KINDS:
        found = [d for d in comparison.discrepancies if d.kind == kind]
        if not found:
            continue
        lines += [f"### {KIND_TITLES[kind]} ({len(found)})", ""]
        for n, d in enumerate(found, 1):
            facts = [md(d.detail)] if d.detail else []
            facts += [f"confidence {round(d.confidence * 100)}%", f"fact {md(d.group)}"]
            lines.append(f"{n}. **\\[{md(d.id)}\\] {md(d.summary)}** ({' · '.join(facts)})")
            lines += [f"   - **{md(outlet_of(comparison, v.sentence))}**: “{md(v.text)}”" for v in d.values]
            if d.id in notes:
                lines.append(f"   - *Note:* {md(notes[d.id].text)}")
        lines.append("")
    return lines


def _agreements(comparison: Comparison) -> list[str]:
    lines = ["## Agreements", ""]
    if not comparison.agreements:
        return [*lines, "No figure is reported alike by several outlets.", ""]
    lines += ["| Value | Kind | Outlets that agree | Fact |", "|---|---|---|---|"]
    for a in comparison.agreements:
        outlets = ", ".join(dict.fromkeys(outlet_of(comparison, s) for s in a.sentences))
        lines.append(f"| {md(a.value)} | {md(a.kind)} | {md(outlets)} | {md(a.group)} |")
    return [*lines, ""]


def _aligned(comparison: Comparison, notes: dict) -> list[str]:
    lines = ["## Aligned facts", ""]
    by_group = diffs_by_group(comparison)
    for g in comparison.groups:
        per = group_articles(comparison, g)
        present = [a for a in comparison.articles if per[a.id]]
        label = plural(len(present), "outlet") if len(present) >= 2 else "one outlet alone"
        lines += [f"### {md(g.id)} ({label})", ""]
        for a in present:
            text = " ".join(comparison.sentence(s).text for s in per[a.id])
            lines.append(f"- **{md(a.outlet)}**: {md(text)}")
        for d in by_group.get(g.id, []):
            lines.append(f"- *{KIND_NAMES.get(d.kind, d.kind)} difference* \\[{md(d.id)}\\]: {md(d.summary)}")
        if g.id in notes:
            lines.append(f"- *Note:* {md(notes[g.id].text)}")
        lines.append("")
    return lines


def _sources(comparison: Comparison) -> list[str]:
    lines = ["## Sources", "", "| Id | Outlet | Title | Published | Author | Source |", "|---|---|---|---|---|---|"]
    for a in comparison.articles:
        cells = [a.id, a.outlet, a.title, a.published or "", a.author or "", a.url or a.source]
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    return [*lines, ""]


def render_markdown(comparison: Comparison, notes: Notes | None = None) -> str:
    placed = resolve(notes, comparison)
    shared = sum(1 for g in comparison.groups if sum(1 for v in group_articles(comparison, g).values() if v) >= 2)
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
        f"- {plural(len(comparison.groups), 'fact')}: {shared} reported by two or more outlets, "
        f"{len(comparison.groups) - shared} by one outlet alone",
        f"- {plural(len(comparison.discrepancies), 'difference')}",
        f"- {plural(len(comparison.agreements), 'figure')} corroborated by several outlets",
        "",
        *_differences(comparison, placed),
        *_agreements(comparison),
        *_aligned(comparison, placed),
        *_sources(comparison),
    ]
    if notes and len(notes):
        lines += ["## Notes", ""]
        lines += [f"- {md(target)}: {md(n.text)}" for target, n in placed.items()]
        lines += [f"- {md(n.target)} (not found at this strictness): {md(n.text)}" for n in orphans(notes, comparison)]
        lines.append("")
    return "\n".join(lines)
