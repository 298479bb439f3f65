"""Sentence splitting on news prose: hand-marked paragraphs, exact offsets, normalisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.intake.segment import normalise, split_sentences

GOLD = json.loads((Path(__file__).resolve().parents[2] / "data" / "intake" / "sentences_gold.json").read_text("utf-8"))


@pytest.mark.parametrize("expected", GOLD, ids=[g[0][:30] for g in GOLD])
def test_hand_marked_news_paragraphs_split_exactly(expected: list[str]) -> None:
    got = [s.text for s in split_sentences([" ".join(expected)], "a1")]
    assert got == expected


def test_ids_paragraphs_and_offsets_point_into_the_joined_body() -> None:
    paras = ["Rain fell all night. Rivers rose.", "• Schools closed on Monday", "The mayor said: “Stay home.”"]
    sentences = split_sentences(paras, "a3")
    body = "\n\n".join(paras)
    assert [s.id for s in sentences] == ["a3.s1", "a3.s2", "a3.s3", "a3.s4"]
    assert [s.paragraph for s in sentences] == [0, 0, 1, 2]
    for s in sentences:
        assert body[s.start : s.end] == s.text


def test_arabic_question_mark_ends_a_sentence() -> None:
    text = "هل ستستمر الأمطار؟ لا أحد يعرف."
    assert len(split_sentences([text], "a1")) == 2


def test_punctuation_only_paragraphs_give_no_sentences() -> None:
    assert split_sentences([", , , ,", "   "], "a1") == ()


def test_normalise_folds_case_quotes_dashes_and_space() -> None:
    assert normalise("  “It’s   OVER” — she said… ") == "\"it's over\" - she said..."


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab .?!“”'()—Mr.U.S\n")), max_size=80), max_size=4))
def test_offsets_are_exact_for_any_text(paragraphs: list[str]) -> None:
    body = "\n\n".join(paragraphs)
    previous_end = 0
    for s in split_sentences(paragraphs, "a1"):
        assert body[s.start : s.end] == s.text
        assert s.start >= previous_end
        previous_end = s.end


@pytest.mark.parametrize(
    "expected",
    [
        ["The ferry left the pier at 3:20 p.m. Sept. 8 with 40 people aboard, the operator said.", "Two are missing."],
        ["Voting closes at 8 p.m. March 3, 2019, in most districts.", "Counting starts at once."],
        ["The market reopens at 9:30 a.m. ET on Monday.", "Traders expect a calm day."],
        ["The siren sounded at 6 a.m. Jan. 14th across the valley.", "Nobody was hurt."],
        # a clock time that does end its sentence stays the end of it
        ["The gates open at 7 p.m.", "No tickets are sold at the door."],
        ["The gates open at 7 p.m.", "May is the busiest month for the fair."],
        ["The gates open at 7 p.m.", "IT staff will help visitors with the app."],
    ],
    ids=lambda e: e[0][:30],
)
def test_a_clock_time_runs_on_into_its_date_or_zone(expected: list[str]) -> None:
    # invented sentences: "3:20 p.m. Sept. 8" is one time, not the end of a sentence followed by another
    assert [s.text for s in split_sentences([" ".join(expected)], "a1")] == expected
