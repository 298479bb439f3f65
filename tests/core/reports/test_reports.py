"""HTML, Markdown and CSV reports: content, escaping of hostile text, and a real browser render."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from data.projects.flood_story import IMG, SCRIPT, flood_comparison, hostile_comparison
from hostile import active_markup, read_page
from hypothesis import given, settings
from hypothesis import strategies as st
from schema import check_source_compare

from reader.model import DISCREPANCY_KINDS
from reader.project.notes import Note, Notes, note_on_discrepancy, note_on_group
from reader.reports.csvout import FIXED_COLUMNS, render_csv
from reader.reports.html import render_html
from reader.reports.jsonout import to_json
from reader.reports.markdown import render_markdown
from reader.reports.markup import BASE_CSS, Mark, marked

CHROMIUM = Path("/usr/bin/chromium")


def _without_refs(html: str) -> str:
    return read_page(re.sub(r'<sup class="ref">.*?</sup>', "", html)).visible


def _notes(c):  # type: ignore[no-untyped-def]
    return (Notes()
            .with_note(note_on_discrepancy(c, "d2", "Called the mayor's office: spelling is Varga."))
            .with_note(note_on_group(c, "g5", "Dam operator to confirm by noon."))
            .with_note(Note("g99", "group", "About a fact that no longer exists.", ("a9.s9",))))


def test_html_report_has_every_part() -> None:
    c = flood_comparison()
    html = render_html(c, _notes(c))
    page = read_page(html)
    text, plain = page.visible, _without_refs(html)
    for section in ("summary", "differences", "agreements", "aligned", "sources", "notes"):
        assert any(tag == "section" and attrs.get("id") == section for tag, attrs in page.tags), section
    for d in c.discrepancies:
        assert d.summary in text and f"[{d.id}]" in text
        for v in d.values:
            assert v.text in text
    for a in c.articles:
        assert a.outlet in text and a.title in text and a.source in text
        for s in a.sentences:
            assert s.text in plain  # the aligned table shows every sentence
    assert "140 mm" in text and "Figures (1)" in text and "Claims (1)" in text
    assert "spelling is Varga" in text and "Dam operator to confirm" in text
    assert "About a fact that no longer exists" in text and "not found at this strictness" in text
    assert "2031-03-04" in text and "P. Lind" in text and "share buttons" in text


def test_html_highlights_values_with_marks_and_labels_not_colour_alone() -> None:
    html = render_html(flood_comparison())
    assert re.search(r'<mark class="k-figure"[^>]*>1,200 residents</mark><sup class="ref">\[d1\]</sup>', html)
    assert re.search(r'<mark class="k-name"[^>]*>Helena Vargas</mark><sup class="ref">\[d2\]</sup>', html)
    styles = {k: re.search(rf"mark\.k-{k} \{{[^}}]*text-decoration: underline (\w+)", BASE_CSS) for k in
              DISCREPANCY_KINDS}
    assert all(styles.values())
    assert len({m.group(1) for m in styles.values() if m}) == len(DISCREPANCY_KINDS)  # one line style per kind
    assert "@media print" in html and "page-break-inside: avoid" in html


def test_html_table_marks_changed_words_in_shared_facts_only() -> None:
    html = render_html(flood_comparison())
    row_g6 = re.search(r'<tr id="g6".*?</tr>', html, re.S)
    assert row_g6 and 'class="chg"' not in row_g6.group(0)  # a fact one outlet reports alone has nothing to diff
    row_g1 = re.search(r'<tr id="g1".*?</tr>', html, re.S)
    assert row_g1 and 'class="chg"' in row_g1.group(0)


def test_html_is_self_contained() -> None:
    c = flood_comparison()
    html = render_html(c, _notes(c))
    page = read_page(html)
    for tag, attrs in page.tags:
        assert tag not in {"script", "img", "iframe", "object", "embed", "link", "base", "form", "video", "audio"}
        assert "src" not in attrs
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href
    assert "url(" not in html and "@import" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_hostile_article_text_is_shown_and_runs_nothing() -> None:
    c = hostile_comparison()
    html = render_html(c, Notes().with_note(note_on_group(c, "g1", f"note {SCRIPT}")))
    page = read_page(html)
    assert active_markup(page) == []
    text = page.visible
    assert SCRIPT in text and IMG in text and "Harbour <b>Times</b>" in text and "javascript:alert(1)" in text
    assert "<script" not in html.lower() and "<img" not in html.lower()


def test_markdown_report_content_and_escaping() -> None:
    c = flood_comparison()
    md = render_markdown(c, _notes(c))
    for d in c.discrepancies:
        assert d.summary.replace("'", "'") in md.replace("\\", "")
    for heading in ("## Summary", "## Differences", "### Figures (1)", "## Agreements", "## Aligned facts",
                    "### Fact 1 (3 outlets)", "### Fact 6 (one outlet alone)", "## Sources", "## Notes"):
        assert heading in md, heading
    assert "| 140 mm | figure | Northern Courier, Valley Post | fact 4 |" in md
    assert "spelling is Varga" in md

    hostile = render_markdown(hostile_comparison())
    assert "<" not in hostile and ">" not in hostile.replace("&gt;", "")
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in hostile
    assert "](javascript" not in hostile and "\\[link\\]\\(javascript:alert\\(1\\)\\)" in hostile
    assert "=cmd\\|" in hostile  # a pipe in an outlet name cannot break the sources table


def test_csv_has_one_row_per_difference_with_each_value() -> None:
    c = flood_comparison()
    rows = list(csv.reader(io.StringIO(render_csv(c, _notes(c)))))
    header, body = rows[0], rows[1:]
    assert tuple(header[: len(FIXED_COLUMNS)]) == FIXED_COLUMNS
    assert header[len(FIXED_COLUMNS):] == [f"value: {a.outlet}" for a in c.articles] + ["note"]
    assert [r[0] for r in body] == [d.id for d in c.discrepancies]
    d1 = dict(zip(header, body[0], strict=True))
    assert d1["kind"] == "figure" and d1["group"] == "g2" and d1["detail"] == "conflict"
    assert d1["summary"] == "1,200 evacuated vs about 1,500 left their homes"  # commas survive quoting
    assert d1["value: Northern Courier"] == "1,200 residents" and d1["value: Valley Post"] == "1,500 people"
    assert d1["value: Radio Meridian"] == ""
    assert d1["outlets"] == "Northern Courier; Valley Post"
    d2 = dict(zip(header, body[1], strict=True))
    assert d2["note"] == "Called the mayor's office: spelling is Varga."


def test_csv_quotes_and_defuses_formulas() -> None:
    c = hostile_comparison()
    text = render_csv(c)
    rows = list(csv.reader(io.StringIO(text)))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert row["detail"] == "'=HYPERLINK(\"http://evil.example\")"
    assert "'value: =cmd|' /C calc'!A0" not in header and "value: =cmd|' /C calc'!A0" in header
    assert row["value: Harbour <b>Times</b>"] == f"61 percent {IMG}"  # CSV is data: text kept exactly
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=40),
       st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45), st.sampled_from([*DISCREPANCY_KINDS, "changed"])),
                max_size=6))
def test_marked_never_loses_or_repeats_text(text: str, raw_marks: list[tuple[int, int, str]]) -> None:
    marks = [Mark(a, b, k, f"d{i}" if k != "changed" else "") for i, (a, b, k) in enumerate(raw_marks)]
    out = marked(text, marks)
    assert _without_refs(f"<p>{out}</p>") == text


def _shoot(html_path: Path, png: Path, tmp: Path) -> None:
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp / 'chromium-profile'}", f"--screenshot={png}", "--window-size=1200,1600",
         html_path.as_uri()],
        capture_output=True, timeout=120, check=False, cwd=tmp,
    )


@pytest.mark.chromium
@pytest.mark.skipif(not CHROMIUM.exists() or shutil.which("chromium") is None, reason="chromium not installed")
def test_html_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage  # only to read the PNG's pixels; the report itself has no Qt

    html_path = tmp_path / "report.html"
    html_path.write_text(render_html(flood_comparison()), "utf-8")
    png = tmp_path / "report.png"
    _shoot(html_path, png, tmp_path)
    assert png.exists() and png.stat().st_size > 10_000
    image = QImage(str(png))
    assert image.width() == 1200 and image.height() == 1600
    colours: set[int] = set()
    dark = 0
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            rgb = image.pixel(x, y) & 0xFFFFFF
            colours.add(rgb)
            dark += (rgb >> 16 & 0xFF) < 100
    assert dark > 500  # text was drawn
    assert len(colours) > 20  # not one flat colour: text, rules, highlights
    assert any((c >> 16 & 0xFF) >= 0xF0 and 0xC0 <= (c >> 8 & 0xFF) <= 0xE8 and (c & 0xFF) < 0xA0 for c in colours)


def test_every_export_from_the_demo_has_its_content(demo_paths: list[Path], fake_embedder) -> None:  # type: ignore[no-untyped-def]
    """Structural checks only: every outlet, fact and difference the comparison holds reaches each format."""
    from reader.pipeline import compare
    from reader.reports.worksheet import render_answer_sheet, render_worksheet, shared_facts

    c = compare([str(p) for p in demo_paths], fake_embedder)
    html = render_html(c)
    page = read_page(html)
    plain = _without_refs(html)
    for a in c.articles:
        assert a.outlet in page.visible and a.title in page.visible
    for d in c.discrepancies:
        assert d.summary in page.visible and f'id="{d.id}"' in html
    row_ids = {attrs.get("id") for tag, attrs in page.tags if tag == "tr"}
    assert {g.id for g in c.groups} <= row_ids
    sample = [s for a in c.articles for s in a.sentences][:: max(1, len(c.articles) * 5)]
    assert all(s.text in plain for s in sample)
    assert not {tag for tag, _ in page.tags} & {"script", "img", "iframe", "link"}

    md = render_markdown(c)
    assert md.count("\n### Fact ") == len(c.groups)
    for a in c.articles:
        assert f"**{a.outlet}**" in md.replace("\\", "") or a.outlet in md.replace("\\", "")

    rows = list(csv.reader(io.StringIO(render_csv(c))))
    assert [r[0] for r in rows[1:]] == [d.id for d in c.discrepancies]
    assert rows[0][len(FIXED_COLUMNS):-1] == [f"value: {a.outlet}" for a in c.articles]

    facts = shared_facts(c)
    assert facts and render_worksheet(c).count("What differs?") == len(facts)
    assert render_answer_sheet(c).count("<h2>Fact ") == len(facts)


def test_stale_ids_and_offsets_do_not_break_any_export() -> None:
    """A difference pointing at a sentence or group that is gone, or at wrong offsets, is shown as best we can."""
    from dataclasses import replace

    from reader.model import Agreement, Discrepancy, Span
    from reader.reports.worksheet import render_answer_sheet, render_worksheet

    c = flood_comparison()
    stale = (
        Discrepancy("d9", "figure", "g2", "stale offsets", (Span("a1.s2", "1,200 residents", 90, 120),)),
        Discrepancy("d10", "name", "g77", "gone group", (Span("a7.s1", "Nobody", 0, 6),)),
    )
    broken = replace(c, discrepancies=c.discrepancies + stale,
                     agreements=(*c.agreements, Agreement("figure", "g88", "3", ("a9.s9",))))
    html = render_html(broken)
    assert re.search(r'<mark class="k-figure" title="d1 figure, d9 figure">1,200 residents</mark>', html)
    assert "gone group" in html and "stale offsets" in html
    for out in (render_markdown(broken), render_csv(broken), render_worksheet(broken), render_answer_sheet(broken)):
        assert out


def test_a_detail_the_summary_already_says_is_not_repeated() -> None:
    from dataclasses import replace

    c = flood_comparison()
    d2 = next(d for d in c.discrepancies if d.id == "d2")
    said = replace(d2, summary=f"{d2.summary} ({d2.detail})")
    c = replace(c, discrepancies=tuple(said if d.id == "d2" else d for d in c.discrepancies))
    html = render_html(c)
    entry = html[html.index('<li id="d2">'):]
    entry = entry[:entry.index("</li>")]
    assert entry.count(d2.detail) == 1  # in the summary, not again in the line under it
    line = next(x for x in render_markdown(c).splitlines() if "[d2" in x.replace("\\", ""))
    assert line.count(d2.detail) == 1, line


def test_the_export_service_prints_the_paper_layout_and_writes_the_screen_report(tmp_path: Path) -> None:
    """One service for the app and the command line: --pdf gets the A4 layout, --html the screen one."""
    from reader.reports.export import plan_exports, write_exports
    from reader.reports.html import render_print_html

    comparison = flood_comparison()
    printed: list[str] = []

    def writer(html: str, out: Path, *, title: str) -> None:
        printed.append(html)
        out.write_bytes(b"%PDF-1.4 test\n")

    plan = plan_exports([("pdf", str(tmp_path / "r.pdf")), ("html", str(tmp_path / "r.html"))])
    write_exports(comparison, plan, pdf_writer=writer)
    assert printed == [render_print_html(comparison)]
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == render_html(comparison)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_a_lone_fact_names_where_another_outlet_came_near():
    import dataclasses

    base = flood_comparison()
    # the radio's school closures (g6, one outlet) came closest to the courier's dam sentence
    groups = tuple(dataclasses.replace(g, nearest=("a1.s5",)) if g.id == "g6" else g for g in base.groups)
    near = dataclasses.replace(base, groups=groups)
    number = next(n for n, g in enumerate(groups, 1) if "a1.s5" in g.sentences)
    assert f"*Nearest elsewhere:* Northern Courier, fact {number} (weak matches" in render_markdown(near)
    assert f'<td class="empty">— nearest: fact {number} —</td>' in render_html(near)
    assert "Nearest elsewhere" not in render_markdown(base) and "nearest: fact" not in render_html(base)
    doc = to_json(near)
    check_source_compare(doc)
    assert next(g for g in doc["groups"] if g["id"] == "g6")["nearest"] == ["a1.s5"]
    assert all(g["nearest"] == [] for g in to_json(base)["groups"])
