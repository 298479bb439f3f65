"""The differences as CSV, one row per discrepancy, for a spreadsheet.

Quoting is the csv module's. Cells that a spreadsheet would run as a formula
(starting with = + - @ or a tab/carriage return) get a leading apostrophe, the
usual defence against CSV injection: an article cannot make Excel call out.
"""

from __future__ import annotations

import csv
import io

from reader.facts import FactTable, build_fact_table
from reader.model import Comparison
from reader.project.notes import Notes, resolve

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# "fact" is the number the app, the reports and classroom mode show for the group ("Fact 7").
FIXED_COLUMNS = ("id", "kind", "detail", "group", "fact", "summary", "outlets", "confidence")


def cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(comparison: Comparison, notes: Notes | None = None, table: FactTable | None = None) -> str:
    """Columns: the fixed ones, then one "value: <outlet>" column per article, then the note."""
    table = table or build_fact_table(comparison)
    placed = resolve(notes, comparison)
    arts = comparison.articles
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([*FIXED_COLUMNS, *(cell(f"value: {a.outlet}") for a in arts), "note"])
    for d in comparison.discrepancies:
        values: dict[str, list[str]] = {a.id: [] for a in arts}
        for v in d.values:
            if v.sentence in comparison.sentence_index:
                values[comparison.article_of(v.sentence).id].append(v.text)
        note = placed.get(d.id)
        index = table.index_of_group(d.group)
        fact = index + 1 if index >= 0 else ""
        row = [d.id, d.kind, d.detail, d.group, fact, d.summary, "; ".join(d.outlets), f"{d.confidence:.2f}",
               *(" / ".join(values[a.id]) for a in arts), note.text if note else ""]
        writer.writerow([cell(v) for v in row])
    return out.getvalue()
