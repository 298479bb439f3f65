"""Quotes compared across the whole story, on invented events (a harbour storm): speakers resolved from the
paragraph, each remark paired once per outlet, the same difference reported once."""

from __future__ import annotations

from reader.differences.discrepancies import find_discrepancies
from reader.model import Article, Group, Sentence


def _article(aid: str, outlet: str, paragraphs: list[list[str]]) -> Article:
    sentences, pos, n = [], 0, 0
    for p, texts in enumerate(paragraphs):
        for t in texts:
            n += 1
            sentences.append(Sentence(f"{aid}.s{n}", t, p, pos, pos + len(t)))
            pos += len(t) + 1
        pos += 1
    body = "\n\n".join(" ".join(ts) for ts in paragraphs)
    return Article(aid, f"{outlet}.txt", outlet, "", body, tuple(sentences))


def _apart(*articles: Article) -> tuple[Group, ...]:
    """Every sentence in a group of its own: the aligner kept them all apart."""
    ids = [s.id for a in articles for s in a.sentences]
    return tuple(Group(f"g{i}", (sid,), 0.9) for i, sid in enumerate(ids, start=1))


def _quotes(*articles: Article, groups: tuple[Group, ...] | None = None):
    found = find_discrepancies(list(articles), groups or _apart(*articles))
    return [d for d in found if d.kind == "quote"]


PIER = _article("a1", "Harbour Post", [
    ["Harbour master Lena Dorsey inspected the pier on Monday.", "“The pier will not reopen this year,” she said."],
    ["Fishermen were angry.", "“We have lost the whole autumn season to this storm,” one skipper said."],
])  # fmt: skip


def test_a_pronoun_takes_the_nearest_person_named_in_the_paragraph() -> None:
    other = _article("a2", "Coast Radio", [["“The pier will not reopen before next year,” Dorsey said."]])
    (d,) = _quotes(PIER, other)
    assert d.summary.startswith("Quote by Lena Dorsey worded differently")
    assert "“" in d.summary and "“”" not in d.summary
    assert "different places" in d.why and d.group == "g2"
    assert {v.sentence for v in d.values} == {"a1.s2", "a2.s1"}


def test_a_pronoun_with_nobody_named_before_it_is_dropped() -> None:
    lone = _article("a1", "Harbour Post", [["“The pier will not reopen this year,” he said."]])
    other = _article("a2", "Coast Radio", [["“The pier will not reopen before next year,” a skipper said."]])
    (d,) = _quotes(lone, other)
    assert " by he " not in d.summary and not d.summary.startswith("Quote by")


def test_a_sentence_that_is_all_quote_takes_the_speaker_of_its_paragraph() -> None:
    a = _article("a1", "Harbour Post", [[
        "“The pier held,” Dorsey said.",
        "“Next week we will test every bollard on it before the ferries come back.”",
    ]])  # fmt: skip
    b = _article("a2", "Coast Radio", [["“Next week we will test each bollard on it before the ferries come back.”"]])
    (d,) = _quotes(a, b)
    assert d.summary.startswith("Quote by Dorsey worded differently: “test every bollard” (Harbour Post)")


def test_two_remarks_of_one_speaker_are_each_paired_once() -> None:
    a = _article("a1", "Harbour Post", [
        ["“The fact that this happened with so many boats out is just heartbreaking,” Dorsey said."],
        ["“They are upset that there were so many boats out at night,” Dorsey said."],
    ])  # fmt: skip
    b = _article("a2", "Coast Radio", [
        ["“The fact that this happened with so many boats out, it is heartbreaking,” Dorsey said."],
    ])  # fmt: skip
    found = _quotes(a, b)
    assert len(found) == 1 and {v.sentence for v in found[0].values} == {"a1.s1", "a2.s1"}


def test_one_word_left_out_is_found_and_one_difference_names_every_outlet() -> None:
    said = "“The storm broke the breakwater in two places and nobody could stop it,” Dorsey said."
    a = _article("a1", "Harbour Post", [[said]])
    b = _article("a2", "Coast Radio", [[said.replace("in two places ", "in places ")]])
    c = _article("a3", "Bay Times", [[said]])
    (d,) = _quotes(a, b, c)
    assert d.detail == "shortened quote"
    assert d.summary == (
        "Quote by Dorsey shortened: Coast Radio leaves out “two” (“in two places”) that Harbour Post, Bay Times quote"
    )
    assert set(d.outlets) == {"Harbour Post", "Coast Radio", "Bay Times"}


def test_an_editors_insertion_in_brackets_is_an_extended_quote() -> None:
    said = "“The storm broke the breakwater in two places and nobody could stop it,” Dorsey said."
    a = _article("a1", "Harbour Post", [[said]])
    b = _article("a2", "Coast Radio", [[said.replace("The storm", "The [autumn] storm")]])
    (d,) = _quotes(a, b, groups=(Group("g1", ("a1.s1", "a2.s1"), 0.9),))
    assert d.detail == "extended quote" and "adds “autumn” in brackets" in d.summary
    assert d.group == "g1" and "different places" not in d.why and d.confidence >= 0.6


def _together(*articles: Article) -> tuple[Group, ...]:
    """The n-th sentence of every article in one group: the aligner matched them."""
    most = max(len(a.sentences) for a in articles)
    return tuple(
        Group(f"g{n}", tuple(a.sentences[n - 1].id for a in articles if len(a.sentences) >= n), 0.9)
        for n in range(1, most + 1)
    )


def test_the_speaker_named_in_an_appositive_is_the_speaker() -> None:
    from reader.differences.quotes import find_quotes

    (q,) = find_quotes("“The pier is safe again,” the port's deputy director, Lena Dorsey, said on Monday.")
    assert q.speaker_name == ("lena", "dorsey")
    (q,) = find_quotes("“The pier is safe again,” said a Harbour Board spokesman, Tomas Vell.")
    assert q.speaker_name == ("tomas", "vell")
    (q,) = find_quotes("“The pier is safe again,” the Liberal councillor said.")
    assert q.speaker_name == ()  # "Liberal" describes the speaker; it names nobody


def test_a_short_form_of_the_speakers_given_name_is_the_same_speaker() -> None:
    a = _article(
        "a1", "Harbour Post", [["“The old pier will not reopen this year,” Harbour master Kenneth Dorsey said."]]
    )
    b = _article("a2", "Coast Radio", [["“The pier will not reopen this year,” Harbour master Ken Dorsey said."]])
    (d,) = _quotes(a, b, groups=_together(a, b))
    assert d.detail == "shortened quote" and "old" in d.summary


def test_a_name_inside_a_quote_is_not_its_speaker() -> None:
    a = _article("a1", "Harbour Post", [[
        "Union spokeswoman Ana Petrov said, “Mayor Tomas Vell’s plan is reckless.” The cuts, she said, “do not "
        "save a single job on the whole waterfront.”"
    ]])  # fmt: skip
    b = _article("a2", "Coast Radio", [["“The cuts do not save a single job on the waterfront,” Petrov said."]])
    found = _quotes(a, b, groups=_together(a, b))
    assert found and all(d.detail != "attributed differently" for d in found)
    assert all("Vell" not in d.summary for d in found)


def test_one_passage_credited_to_two_people_in_aligned_sentences_is_worth_a_look() -> None:
    a = _article("a1", "Harbour Post", [
        ["The cause of the fire is unknown, said Officer Ana Petrov, a police spokeswoman."],
        ["“We don’t know yet,” she said.", "“But we are not looking for any other suspects in the fire.”"],
    ])  # fmt: skip
    b = _article("a2", "Coast Radio", [
        ["Firefighters were called at noon."],
        ["The fire is out.", "“We are not looking for other suspects in the fire at this time,” Tomas Vell said."],
    ])  # fmt: skip
    (d,) = _quotes(a, b, groups=_together(a, b))
    assert d.detail == "attributed differently" and d.confidence < 0.6
    assert "Ana Petrov" in d.summary and "Tomas Vell" in d.summary and "not looking for" in d.summary
    # told about different facts, two people may well share the words: nothing
    assert [q.detail for q in _quotes(a, b)] == []


def test_a_quote_closed_where_the_speaker_went_on_is_cut_short() -> None:
    a = _article("a1", "Harbour Post", [["“We will rebuild the harbour wall.”", "Mayor Ana Petrov spoke on Monday."]])
    b = _article("a2", "Coast Radio", [[
        "“We will rebuild the harbour wall, and every boat will be back at sea by spring,” Mayor Ana Petrov said."
    ]])  # fmt: skip
    (d,) = _quotes(a, b, groups=_together(a, b))
    assert d.detail == "cut short" and d.confidence < 0.6
    assert "harbour wall." in d.summary and "every boat will be back at sea by spring" in d.summary
    # a fragment woven into the writer's own sentence ends with the writer's full stop: ordinary quoting
    woven = _article("a1", "Harbour Post", [["The new wall, she said, “will rebuild the harbour wall.”"]])
    assert [q.detail for q in _quotes(woven, b, groups=_together(woven, b))] == []


def test_a_quote_handed_to_its_speaker_with_a_comma_where_the_speaker_went_on_is_cut_short() -> None:
    b = _article("a2", "Coast Radio", [[
        "“We will rebuild the harbour wall, and every boat will be back at sea by spring,” Mayor Ana Petrov said."
    ]])  # fmt: skip
    a = _article("a1", "Harbour Post", [["“We will rebuild the harbour wall,” Mayor Ana Petrov said on Monday."]])
    (d,) = _quotes(a, b, groups=_together(a, b))
    assert d.detail == "cut short" and d.confidence < 0.6 and "every boat will be back at sea" in d.summary
    # the outlet quotes on after the attribution: nothing was cut
    a = _article("a1", "Harbour Post", [["“We will rebuild the harbour wall,” she said, “and every boat will sail.”"]])
    assert [q.detail for q in _quotes(a, b, groups=_together(a, b)) if q.detail == "cut short"] == []
    # a stretch from the middle of the speaker's sentence is ordinary quoting
    b = _article("a2", "Coast Radio", [[
        "“I think we will rebuild the harbour wall, and every boat will be back at sea,” Mayor Ana Petrov said."
    ]])  # fmt: skip
    a = _article("a1", "Harbour Post", [["“We will rebuild the harbour wall,” Mayor Ana Petrov said."]])
    assert [q.detail for q in _quotes(a, b, groups=_together(a, b)) if q.detail == "cut short"] == []


def test_the_same_words_in_another_order_are_not_words_left_out() -> None:
    a = _article("a1", "Harbour Post", [["Boats like “Gull, Tern (and) Heron” were lost, Ana Petrov said."]])
    b = _article("a2", "Coast Radio", [["Boats like “Tern, Gull and Heron” were lost, Ana Petrov said."]])
    (d,) = _quotes(a, b, groups=_together(a, b))
    assert d.detail == "reordered quote" and "another order" in d.summary and "leaves out" not in d.summary


def test_house_style_is_not_a_reworded_quote() -> None:
    # numbers, month abbreviations, acronyms' dots, "per cent", and one insult printed censored and in full
    for said_a, said_b in (
        ("“We lost 10 percent of the herd in Sept.,” farmer Joe Dunn said.",
         "“We lost ten per cent of the herd in September,” farmer Joe Dunn said."),
        ("“The C.I.A. warned the harbour office twice,” Senator Ann Boyd said.",
         "“The CIA warned the harbour office twice,” Senator Ann Boyd said."),
        ("“You little son-of-a-b----, get off my boat,” Captain Ivo Marek shouted.",
         "“You little son-of-a-bitch, get off my boat,” Captain Ivo Marek shouted."),
    ):  # fmt: skip
        a, b = _article("a1", "Harbour Post", [[said_a]]), _article("a2", "Coast Radio", [[said_b]])
        assert _quotes(a, b, groups=_together(a, b)) == [], said_a
    # a word that differs is still a difference, censored or not
    said = "“You little son-of-a-{}, get off my boat right now,” Captain Ivo Marek shouted."
    a = _article("a1", "Harbour Post", [[said.format("b----")]])
    b = _article("a2", "Coast Radio", [[said.format("gun")]])
    assert [q.detail for q in _quotes(a, b, groups=_together(a, b))] == ["reworded quote"]
