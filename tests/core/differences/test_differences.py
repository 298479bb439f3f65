"""find_discrepancies / find_agreements on hand-made groups about invented events."""

from __future__ import annotations

import pytest
from fakes import article as _article

from reader.differences.discrepancies import find_agreements, find_discrepancies
from reader.differences.figures import find_figures
from reader.model import Article, Group, Sentence

A = _article("a1", "River Post", [
    "Floodwaters came within 40 kilometres (25 miles) of the capital, officials said.",
    "District official Karim Haddad said 1,200 homes were flooded.",
    "Rescue chief Omar Yousef said twelve people had died.",
    "“We have no intention to organise a recount programme in the valley,” Volkov said.",
    "Volunteers held off the floodwaters at the dam.",
    "The town of 40,000 people was cut off.",
    "The storm is said to have destroyed the old bridge.",
])  # fmt: skip
B = _article("a2", "Valley Wire", [
    "Floodwaters came less than 60 kilometres (37 miles) from the capital.",
    "Governor Karim Nasser said 1,200 homes were flooded.",
    "Rescue chief Omar Youssef said 12 people had died.",
    "Volkov said “we have no intention to organize a recount program in the valley.”",
    "Floodwaters overran the dam.",
    "Some 40,000 people had fled the area.",
    "The storm destroyed the old bridge.",
])  # fmt: skip
C = _article("a3", "Hill Times", ["The capital was spared."])
GROUPS = (*(Group(f"g{i}", (f"a1.s{i}", f"a2.s{i}"), 0.9) for i in range(1, 8)), Group("g8", ("a3.s1",), 0.9))


def _found():
    return find_discrepancies([A, B, C], GROUPS)


def test_every_kind_is_found_and_explained() -> None:
    found = _found()
    by = {(d.group, d.kind, d.detail) for d in found}
    assert ("g1", "figure", "different bounds") in by
    assert ("g2", "name", "different name") in by
    assert ("g3", "name", "spelling variant") in by
    assert ("g4", "quote", "reworded quote") in by
    assert ("g5", "claim", "opposite outcome") in by
    assert ("g6", "figure", "same number, different things") in by
    assert ("g7", "claim", "certainty changed") in by
    dist = next(d for d in found if d.group == "g1" and d.kind == "figure")
    assert "River Post" in dist.summary and "Valley Wire" in dist.summary and "25 miles vs 37 miles" in dist.summary
    assert [d.id for d in found] == [f"d{i}" for i in range(1, len(found) + 1)]


def test_spans_are_exact_and_outlets_named() -> None:
    sentences = {s.id: s for a in (A, B, C) for s in a.sentences}
    for d in _found():
        assert d.summary and "\n" not in d.summary
        assert d.why and "\n" not in d.why, f"every flag says why in plain words: {d.summary}"
        assert len(d.outlets) >= 2 and 0 < d.confidence <= 1
        for v in d.values:
            assert sentences[v.sentence].text[v.start : v.end] == v.text


def test_agreeing_figures_are_agreements_not_conflicts() -> None:
    found = _found()
    assert not [d for d in found if d.group in ("g2", "g3") and d.kind == "figure"]
    agreed = {(a.group, a.value) for a in find_agreements([A, B, C], GROUPS)}
    assert ("g2", "1,200 homes") in agreed and ("g3", "twelve people / 12 people") in agreed
    assert all(len(a.outlets) >= 2 for a in find_agreements([A, B, C], GROUPS))


def test_single_outlet_groups_and_order() -> None:
    assert not [d for d in _found() if d.group == "g8"]
    groups = [d.group for d in _found()]
    assert groups == sorted(groups, key=lambda g: int(g[1:]))
    assert find_discrepancies([A, B, C], ()) == ()
    assert _found() == _found()  # deterministic


def test_a_same_number_summary_quotes_whole_phrases() -> None:
    x = _article("a1", "Rail Daily", ["The town of 40,000 people was cut off just before dawn on Monday by the river."])
    y = _article("a2", "Metro Wire", ["Aid groups said, after the flood, that some 40,000 people had fled the valley."])
    found = find_discrepancies([x, y], (Group("g1", ("a1.s1", "a2.s1"), 1),))
    (d,) = [d for d in found if d.detail == "same number, different things"]
    assert "“The town of 40,000 people was cut off just before …”" in d.summary  # never "...cut off just"
    assert "“that some 40,000 people had fled the valley”" in d.summary
    assert d.confidence < 0.6  # a reading hint: both outlets may be right about their own thing


def test_count_conflicts_need_the_same_thing() -> None:
    x = _article("a1", "Quake Daily", ["Rescuers said 14 people were pulled alive from the rubble of the school."])
    y = _article("a2", "Fault Line", ["Rescuers said 19 people were pulled alive from the rubble."])
    found = find_discrepancies([x, y], (Group("g1", ("a1.s1", "a2.s1"), 1),))
    assert [(d.kind, d.detail) for d in found] == [("figure", "conflict")]
    assert found[0].summary == "Number of people: 14 people (Quake Daily) vs 19 people (Fault Line)"
    # Same head noun and verb, different events: not one count.
    x = _article("a1", "Quake Daily", ["A landslide buried nine hikers on the northern trail, rangers said."])
    y = _article("a2", "Fault Line", ["Four hikers were buried by snow near the summit hut on Sunday."])
    assert not find_discrepancies([x, y], (Group("g1", ("a1.s1", "a2.s1"), 1),))


def test_story_wide_pass_catches_what_the_aligner_kept_apart() -> None:
    x = _article(
        "a1", "Quake Daily", ["Judge Maria Lopez adjourned the trial.", "The quake hit within 30 km of Dunmore."]
    )
    y = _article("a2", "Fault Line", ["The epicentre was less than 50 km from Dunmore.", "Judge Maria Lopes spoke."])
    groups = (
        Group("g1", ("a1.s1",), 1),
        Group("g2", ("a1.s2",), 1),
        Group("g3", ("a2.s1",), 1),
        Group("g4", ("a2.s2",), 1),
    )
    found = find_discrepancies([x, y], groups)
    assert {(d.group, d.kind) for d in found} == {("g1", "name"), ("g2", "figure")}
    assert all(d.confidence < 0.8 for d in found)
    assert all(d.why for d in found), "a story-wide flag says why too"
    dist = next(d for d in found if d.kind == "figure")
    assert dist.summary.startswith("Distance") and "Quake Daily" in dist.summary


def test_wording_only_when_it_changes_the_claim() -> None:
    x = _article("a1", "Polls Today", ["The minister will resign on Friday, aides said.", "The river burst its banks."])
    y = _article(
        "a2", "Vote Watch", ["The minister may resign on Friday, aides said.", "The river overflowed its banks."]
    )
    groups = (Group("g1", ("a1.s1", "a2.s1"), 1), Group("g2", ("a1.s2", "a2.s2"), 1))
    found = find_discrepancies([x, y], groups)
    assert [(d.group, d.kind) for d in found] == [("g1", "wording")]
    assert [v.text for v in found[0].values] == ["will", "may"]


# ---------------------------------------------------------------- the demo, model-free, general assertions only


def _demo():
    from reader.differences.worddiff import similarity
    from reader.intake.articles import build_article
    from reader.intake.sources import load_source
    from reader.paths import demo_sources

    articles = [build_article(load_source(str(p)), f"a{i}") for i, p in enumerate(demo_sources(), start=1)]
    # A structural stand-in for the aligner: sentences from different outlets sharing most words go together.
    sentences = [(a.id, s) for a in articles for s in a.sentences]
    parent = list(range(len(sentences)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, (ai, si) in enumerate(sentences):
        for j in range(i + 1, len(sentences)):
            aj, sj = sentences[j]
            if ai != aj and similarity(si.text, sj.text) >= 0.4:
                parent[root(j)] = root(i)
    members: dict[int, list[str]] = {}
    for i, (_, s) in enumerate(sentences):
        members.setdefault(root(i), []).append(s.id)
    groups = tuple(Group(f"g{k}", tuple(ids), 0.5) for k, ids in enumerate(members.values(), start=1))
    return articles, groups


def test_demo_structural_properties() -> None:
    articles, groups = _demo()
    found = find_discrepancies(articles, groups)
    agreed = find_agreements(articles, groups)
    sentences = {s.id: s for a in articles for s in a.sentences}
    for d in found:
        assert d.why, f"every flag says why in plain words: {d.summary}"
        for v in d.values:
            assert sentences[v.sentence].text[v.start : v.end] == v.text
    distance = [
        d
        for d in found
        if d.kind == "figure" and any(f.kind == "distance" for v in d.values for f in find_figures(v.text))
    ]
    assert distance, "a distance conflict between outlets"
    details = {(d.kind, d.detail) for d in found}
    assert ("name", "different name") in details and ("name", "spelling variant") in details
    assert any(d.kind == "quote" for d in found)
    assert any(len(a.outlets) >= 2 for a in agreed), "a figure corroborated by two outlets"
    for d in found:
        if d.kind == "figure" and d.detail in ("conflict", "different bounds"):
            values = {f.low for v in d.values for f in find_figures(v.text) if f.low is not None and f.kind != "vague"}
            assert len(values) != 1, f"figures that agree reported as a conflict: {d.summary}"


@pytest.mark.model
def test_demo_with_the_real_aligner(real_embedder) -> None:
    from reader.align.grouping import align
    from reader.intake.articles import build_article
    from reader.intake.sources import load_source
    from reader.paths import demo_sources

    articles = [build_article(load_source(str(p)), f"a{i}") for i, p in enumerate(demo_sources(), start=1)]
    groups = align(articles, real_embedder)
    found = find_discrepancies(articles, groups)
    details = {(d.kind, d.detail) for d in found}
    assert ("name", "different name") in details and ("name", "spelling variant") in details
    assert any(
        f.kind == "distance" for d in found if d.kind == "figure" for v in d.values for f in find_figures(v.text)
    )
    assert any(d.kind == "quote" for d in found)
    assert any(len(a.outlets) >= 3 for a in find_agreements(articles, groups))


def _pair(a: str, b: str) -> tuple[Article, Article, tuple[Group, ...]]:
    x = _article("a1", "Alpine Daily", [a])
    y = _article("a2", "Summit News", [b])
    return x, y, (Group("g1", ("a1.s1", "a2.s1"), 1),)


def test_aligned_counts_of_one_noun_conflict_when_the_verbs_are_paraphrased() -> None:
    x, y, groups = _pair("All 48 climbers were brought down safely by helicopter crews.", "46 climbers were rescued.")
    found = find_discrepancies([x, y], groups)
    assert [(d.kind, d.detail) for d in found] == [("figure", "conflict")]
    assert found[0].summary == "Number of climbers: 48 climbers (Alpine Daily) vs 46 climbers (Summit News)"
    # the same paraphrase with agreeing counts is an agreement, never a conflict
    x, y, groups = _pair("All 48 climbers were brought down safely.", "Rescuers saved 48 climbers.")
    assert find_discrepancies([x, y], groups) == ()
    assert [a.value for a in find_agreements([x, y], groups)] == ["48 climbers"]


def test_counts_of_two_known_outcomes_are_two_things() -> None:
    # homes destroyed and homes damaged, people killed and people hurt: two counts, neither a conflict nor agreed
    for a, b in (
        ("A wildfire destroyed 40 homes near the ridge on Sunday.", "The wildfire near the ridge damaged 120 homes."),
        ("The blast killed 9 people at the depot.", "14 people were injured by the blast at the depot."),
        ("A wildfire destroyed 40 homes near the ridge on Sunday.", "The wildfire near the ridge damaged 40 homes."),
    ):
        x, y, groups = _pair(a, b)
        assert find_discrepancies([x, y], groups) == ()
        assert find_agreements([x, y], groups) == ()
    # one outcome in other words still conflicts
    x, y, groups = _pair("A wildfire destroyed 40 homes near the ridge.", "The wildfire razed 120 homes there.")
    assert [(d.kind, d.detail) for d in find_discrepancies([x, y], groups)] == [("figure", "conflict")]
    # money told from two sides (raised / received) is one amount
    x, y, groups = _pair(
        "The festival will boost takings in the town by $2 million.",
        "The town will get a $2 million boost from the festival.",
    )
    assert [a.value for a in find_agreements([x, y], groups)] == ["$2 million"]


def test_a_count_two_sources_give_differently_is_worth_a_look() -> None:
    # each outlet may report its own source right: the sources disagree, not necessarily the outlets
    x, y, groups = _pair(
        "Police said about 3,000 people joined the vigil in the square.",
        "Organisers said 9,000 people joined the vigil in the square.",
    )
    (d,) = find_discrepancies([x, y], groups)
    assert d.detail == "conflict" and d.confidence < 0.6 and "different sources" in d.summary
    # one teller, spelt two ways, or a hedge ("said to have") rather than a teller: as sure as before
    for a, b in (
        ("Fire chief Ivo Marek said 30 homes burned.", "Fire chief Ivo Mareck said 45 homes burned."),
        ("Rebels are said to have seized 30 trucks.", "Rebels seized 45 trucks, officials said."),
    ):
        x, y, groups = _pair(a, b)
        (d,) = [d for d in find_discrepancies([x, y], groups) if d.kind == "figure"]
        assert d.detail == "conflict" and d.confidence >= 0.6 and "sources" not in d.summary


def test_opposite_outcomes_on_two_days_are_two_votes_and_one_swap_is_told_once() -> None:
    x, y, groups = _pair(
        "The council rejected the ferry plan in March.", "The council approved the ferry plan on Tuesday."
    )
    assert [d for d in find_discrepancies([x, y], groups) if d.kind in ("claim", "wording")] == []
    # one day in both: the outcome differs, told once as an opposite outcome, not again as a wording swap
    x, y, groups = _pair(
        "The council rejected the ferry plan on Tuesday.", "The council passed the ferry plan on Tuesday."
    )
    assert [(d.kind, d.detail) for d in find_discrepancies([x, y], groups)] == [("claim", "opposite outcome")]


def test_counts_placed_in_different_settings_do_not_conflict() -> None:
    x, y, groups = _pair(
        "Near the northern port of Halvik, a car bomb killed five people, police said.",
        "Nine people were killed in shelling of the town.",
    )
    assert find_discrepancies([x, y], groups) == ()


def test_two_figures_in_one_sentence_meet_their_own_counterparts() -> None:
    text = "The flood crest passed 30 kilometres north of Orvik at a height of 4 metres, hydrologists said."
    x, y, groups = _pair(text, text)
    assert find_discrepancies([x, y], groups) == ()
    assert sorted(a.value for a in find_agreements([x, y], groups)) == ["30 kilometres", "4 metres"]
    x, y, groups = _pair(text, text.replace("4 metres", "5 metres"))
    found = find_discrepancies([x, y], groups)
    assert [v.text for d in found for v in d.values] == ["4 metres", "5 metres"]
    # reordered by the other outlet, still paired by unit and wording, not by position
    other = "Hydrologists said the crest, 5 metres high, passed 30 kilometres north of Orvik."
    x, y, groups = _pair(text, other)
    assert [v.text for d in find_discrepancies([x, y], groups) for v in d.values] == ["4 metres", "5 metres"]


def test_an_agreement_names_a_noun_only_when_every_outlet_uses_it() -> None:
    x, y, groups = _pair("Police arrested 31 protesters outside parliament.", "Officers detained 31 demonstrators.")
    assert [a.value for a in find_agreements([x, y], groups)] == ["31"]


def test_opposite_outcomes_need_the_same_place() -> None:
    x, y, groups = _pair("Rebels captured the river port of Halvik on Friday.", "Troops repelled an attack on Dunmore.")
    assert find_discrepancies([x, y], groups) == ()
    x, y, groups = _pair("Rebels captured the river port of Halvik on Friday.", "Troops repelled an attack on Halvik.")
    assert [(d.kind, d.detail) for d in find_discrepancies([x, y], groups)] == [("claim", "opposite outcome")]


def test_a_sentence_in_two_groups_gives_its_difference_once() -> None:
    x = _article("a1", "Alpine Daily", ["Rescuers said 14 people were pulled alive from the rubble.", "Rain fell."])
    y = _article("a2", "Summit News", ["Rescuers said 19 people were pulled alive from the rubble.", "Rain fell."])
    groups = (Group("g1", ("a1.s1", "a2.s1"), 1), Group("g2", ("a1.s1", "a1.s2", "a2.s1", "a2.s2"), 0.5))
    found = find_discrepancies([x, y], groups)
    assert [(d.id, d.group, d.kind) for d in found] == [("d1", "g1", "figure")]


def test_a_definite_small_number_word_is_no_corroborated_figure() -> None:
    x, y, groups = _pair("Talks between the two clubs resumed.", "The two sides met again on Friday.")
    assert find_agreements([x, y], groups) == ()
    x, y, groups = _pair("Two players were injured.", "The club said two players were hurt.")
    assert [a.value for a in find_agreements([x, y], groups)] == ["Two players"]


def test_a_bound_confirms_only_what_it_states_and_one_conflict_names_every_outlet() -> None:
    x = _article("a1", "Rail Daily", ["At least 23 people were killed when the tram derailed, police said."])
    y = _article("a2", "Metro Wire", ["At least 19 people were killed and about 80 hurt when the tram left the rails."])
    z = _article("a3", "City Desk", ["The derailment killed at least 23 people, police said."])
    groups = (Group("g1", ("a1.s1", "a2.s1", "a3.s1"), 1),)
    found = find_discrepancies([x, y, z], groups)
    assert [(d.kind, d.detail) for d in found] == [("figure", "different bounds")]
    assert found[0].summary == "Number of people: At least 23 (Rail Daily, City Desk) vs At least 19 (Metro Wire)"
    assert found[0].outlets == ("Rail Daily", "Metro Wire", "City Desk")
    # "about 80 hurt" fits inside "at least 23" but does not confirm it
    assert [(a.value, a.outlets) for a in find_agreements([x, y, z], groups)] == [
        ("At least 23 people", ("Rail Daily", "City Desk"))
    ]


def test_attribution_changes_only_between_reports_of_one_statement() -> None:
    x, y, groups = _pair(
        "The rebel group claimed it had shot down two army drones over the pass.",
        "Army officials said two drones had been shot down over the pass.",
    )
    assert [(d.kind, d.detail) for d in find_discrepancies([x, y], groups)] == [("claim", "attribution changed")]
    x, y, groups = _pair(
        "The rebel group claimed it had shot down two army drones over the pass.",
        "A defence ministry spokesman said talks with the mediators would resume next week.",
    )
    assert find_discrepancies([x, y], groups) == ()


def test_a_finder_that_breaks_costs_its_finding_not_the_comparison(monkeypatch) -> None:
    """Outside the tests (PARALLAX_STRICT unset) a bug in one kind of finder is logged and the others stand."""
    from reader.differences import discrepancies as differences

    def sentence(aid: str, k: int, text: str) -> Sentence:
        return Sentence(f"{aid}.s{k}", text, 0, 0, len(text), text.casefold())

    texts = {
        "a1": "Officials said 40 people died in the fire, Mayor Ana Petrov said.",
        "a2": "Officials said 45 people died in the fire, Mayor Anna Petrova said.",
    }
    articles = [Article(aid, f"{aid}.txt", aid.upper(), "t", t, (sentence(aid, 1, t),)) for aid, t in texts.items()]
    groups = [Group("g1", ("a1.s1", "a2.s1"), 0.9)]

    def broken(*_args):
        raise ValueError("a bug")

    monkeypatch.setattr(differences.namediff, "name_findings", broken)
    with pytest.raises(ValueError):
        differences.find_discrepancies(articles, groups)
    monkeypatch.delenv("PARALLAX_STRICT")
    found = differences.find_discrepancies(articles, groups)
    assert [d.kind for d in found] == ["figure"]


def test_two_values_one_outlet_gives_both_are_two_things_not_a_conflict() -> None:
    from reader.differences import discrepancies as differences

    def art(aid: str, texts: list[str]) -> Article:
        body = "\n\n".join(texts)
        sents, pos = [], 0
        for k, t in enumerate(texts, start=1):
            start = body.index(t, pos)
            sents.append(Sentence(f"{aid}.s{k}", t, k - 1, start, start + len(t), t.casefold()))
            pos = start + len(t)
        return Article(aid, f"{aid}.txt", aid.upper(), "t", body, tuple(sents))

    index = art("a1", ["The SX-40 index fell 3.2 percent on Monday."])
    shares = art("a2", ["Its shares fell 64 percent on Monday."])
    both = art("a3", ["Vantor's shares fell 64 percent on Monday.", "The SX-40 index closed 3.2 percent lower."])
    groups = [Group("g1", ("a1.s1", "a2.s1", "a3.s1", "a3.s2"), 0.5)]
    found = differences.find_discrepancies([index, shares, both], groups)
    assert not [d for d in found if d.kind == "figure" and d.detail == "conflict"], found
    # two outlets against two, nobody giving both: still a conflict
    w = [art(f"b{k}", [f"The fire killed {n} people, officials said."]) for k, n in enumerate((37, 37, 35, 35), 1)]
    found = differences.find_discrepancies(w, [Group("g1", tuple(a.sentences[0].id for a in w), 0.8)])
    assert [d.detail for d in found if d.kind == "figure"] == ["conflict"]


def test_identifiers_are_not_figures_and_agreements_quote_the_outlets() -> None:
    x, y, groups = _pair(
        "Crews closed Route 9 and Interstate 80 after the spill; residents were told to call 911.",
        "Route 9 and Interstate 80 stayed shut, and 911 took hundreds of calls.",
    )
    assert find_agreements([x, y], groups) == ()
    x, y, groups = _pair("Eleven ferries were cancelled.", "The port said 11 ferries were cancelled.")
    assert [a.value for a in find_agreements([x, y], groups)] == ["Eleven ferries / 11 ferries"]


def test_a_loose_fit_another_outlet_disputes_is_no_agreement() -> None:
    x = _article("a1", "Rail Daily", ["The charity spent $4,872,300 on shelters last year."])
    y = _article("a2", "Metro Wire", ["The charity spent nearly $5 million on shelters last year."])
    z = _article("a3", "City Desk", ["The charity spent $4.2 million on shelters last year."])
    groups = (Group("g1", ("a1.s1", "a2.s1", "a3.s1"), 1),)
    assert [a for a in find_agreements([x, y, z], groups) if a.kind == "figure"] == []  # "last year" agrees
    assert [d.detail for d in find_discrepancies([x, y, z], groups) if d.kind == "figure"] == ["conflict"]
