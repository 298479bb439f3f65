"""The fact table: one per comparison, read by every view (cells, joined text, marks, numbering)."""

from __future__ import annotations

from data.projects.flood_story import flood_comparison, make_article, span

from reader.facts import JOIN, MOSTLY_CHANGED, build_fact_table, changed_words
from reader.model import Comparison, Discrepancy, Group


def _ferry() -> Comparison:
    """An invented ferry grounding; one outlet tells the first fact in two sentences, out of order in the group."""
    a1 = make_article("a1", "Isle Herald", "Ferry runs aground", [[
        "The ferry Marisol ran aground off Kell Point on Sunday.",
        "All 86 passengers were taken off by lifeboat.",
    ]])
    a2 = make_article("a2", "Sound Radio", "Marisol aground", [[
        "The Marisol struck a sandbank off Kell Point.",
        "It happened on Sunday evening.",
        "Coastguards lifted 68 passengers to safety.",
    ]])
    a3 = make_article("a3", "Kell Gazette", "Ferry trouble", [["Harbour fees will rise next year."]])
    arts = (a1, a2, a3)
    groups = (
        Group("g1", ("a2.s2", "a1.s1", "a2.s1"), 0.8),  # a2's two sentences listed out of article order
        Group("g2", ("a1.s2", "a2.s3"), 0.7),
        Group("g3", ("a3.s1",), 1.0),
    )
    diffs = (
        Discrepancy("d1", "figure", "g2", "86 vs 68 passengers",
                    (span(arts, "a1.s2", "86 passengers"), span(arts, "a2.s3", "68 passengers"))),
        # a story-wide difference whose value sits in another fact's sentence
        Discrepancy("d2", "figure", "g2", "Sunday vs Sunday evening", (span(arts, "a2.s2", "Sunday evening"),)),
    )
    return Comparison(arts, groups, diffs, (), "fake", 0.5)


def test_cells_join_an_outlets_sentences_in_article_order_with_offsets() -> None:
    table = build_fact_table(_ferry())
    first = table.facts[0]
    assert [c.article for c in first.cells] == ["a1", "a2"]
    cell = first.cell("a2")
    assert cell is not None
    assert cell.sentences == ("a2.s1", "a2.s2")
    assert cell.text == "The Marisol struck a sandbank off Kell Point." + JOIN + "It happened on Sunday evening."
    for sid in cell.sentences:
        start, end = cell.sentence_range(sid)
        assert cell.text[start:end] == _ferry().sentence(sid).text


def test_difference_values_land_on_the_cell_that_holds_their_sentence() -> None:
    table = build_fact_table(_ferry())
    g2 = table.facts[1].cell("a2")
    assert g2 is not None and [(g2.text[m.start:m.end], m.label) for m in g2.disputed] == [("68 passengers", "d1")]
    g1 = table.facts[0].cell("a2")
    assert g1 is not None
    marks = [(g1.text[m.start:m.end], m.label) for m in g1.disputed]
    assert marks == [("Sunday evening", "d2")]  # the second sentence of the cell: offsets shifted by the join
    assert [m.label for m in g1.marks_in("a2.s2", changed=False)] == ["d2"]
    inner = g1.marks_in("a2.s2", changed=False)[0]
    assert "It happened on Sunday evening."[inner.start:inner.end] == "Sunday evening"
    assert table.disputed_by_sentence()["a2.s2"] == g1.marks_in("a2.s2", changed=False)


def test_numbers_follow_story_order_over_all_facts_and_shared_skips_lone_ones() -> None:
    table = build_fact_table(flood_comparison())
    assert [f.number for f in table.facts] == [1, 2, 3, 4, 5, 6]
    assert [f.group for f in table.shared()] == ["g1", "g2", "g3", "g4", "g5"]
    assert not table.facts[5].shared and table.facts[5].cells[0].changed == ()
    assert table.index_of_group("g4") == 3 and table.index_of_group("nope") == -1
    assert table.fact("g3") is table.facts[2]
    assert [d.id for d in table.facts[2].differences] == ["d2", "d3"]


def test_counterparts_and_sentence_lookup() -> None:
    table = build_fact_table(_ferry())
    assert table.counterparts("a1.s1") == {"a1.s1", "a2.s1", "a2.s2"}
    assert table.index_of_sentence("a2.s3") == 1
    assert table.counterparts("a9.s9") == {"a9.s9"}


def test_changed_words_leave_out_function_words_case_and_wholesale_rewording() -> None:
    a = "The bridge was closed on Monday by the council."
    b = "The Bridge was shut on Monday by police."
    spans = [a[s:e] for s, e in changed_words(a, [b])]
    assert spans == ["closed", "council"]  # "the", "by" trimmed; "bridge"/"Bridge" is not a change
    assert changed_words("Completely other words here entirely.", ["Nothing alike at all in this one."]) == ()
    moved = "On Monday the council closed the bridge."
    assert changed_words(moved, [a]) == ()  # the same words in another order: nothing to underline
    c = "Police did not close the road."
    assert [c[s:e] for s, e in changed_words(c, ["Police did close the road."])] == ["not"]  # negations stay


def test_a_word_is_changed_when_most_other_outlets_lack_it() -> None:
    c = flood_comparison()
    table = build_fact_table(c)
    for fact in table.shared():
        for cell in fact.cells:
            others = [o.text for o in fact.cells if o is not cell]
            assert cell.changed == tuple(
                m for m in cell.changed if m.kind == "changed"
            ) and [(m.start, m.end) for m in cell.changed] == list(changed_words(cell.text, others))


def test_a_stale_sentence_id_in_a_group_is_skipped() -> None:
    c = flood_comparison()
    broken = Comparison(c.articles, (Group("g1", ("a1.s1", "a9.s9"), 0.5), *c.groups[1:]), (), (), c.model, 0.5)
    table = build_fact_table(broken)
    assert [cell.article for cell in table.facts[0].cells] == ["a1"]


def test_a_paraphrase_is_reworded_and_left_unmarked_while_near_copies_get_their_few_words() -> None:
    table = build_fact_table(flood_comparison())
    rain = table.facts[3]  # each outlet tells the rain in its own words
    assert all(c.reworded and c.changed == () for c in rain.cells)
    river = table.facts[0].cell("a2")
    assert river is not None and not river.reworded
    assert [river.text[m.start:m.end] for m in river.changed] == ["Floodwater", "swept", "late"]
    share = sum(m.end - m.start for m in river.changed) / len(river.text)
    assert share <= MOSTLY_CHANGED
