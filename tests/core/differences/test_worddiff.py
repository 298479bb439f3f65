"""Word-level diff on normalised tokens, reported as original character offsets."""

from __future__ import annotations

from reader.differences.worddiff import changed_spans, word_diff


def test_chunks_point_at_original_characters() -> None:
    a = "The court’s verdict was read on Tuesday."
    b = "The Court's ruling was read out on Tuesday."
    chunks = word_diff(a, b)
    changed = [(a[c.a_start : c.a_end], b[c.b_start : c.b_end], c.tag) for c in chunks if c.tag != "equal"]
    assert ("verdict", "ruling", "replace") in changed  # case and curly apostrophe are not changes
    assert ("", "out", "insert") in changed
    assert chunks[0].tag == "equal" and a[chunks[0].a_start : chunks[0].a_end] == "The court’s"


def test_identical_and_empty() -> None:
    assert [c.tag for c in word_diff("Rain fell.", "Rain fell.")] == ["equal"]
    assert word_diff("", "") == ()
    assert [c.tag for c in word_diff("", "Rain")] == ["insert"]


def test_long_sentences_do_not_junk_common_words() -> None:
    # 300 tokens where "the" is half of them: difflib's autojunk would stop matching it.
    a = " ".join(f"the river{i}" for i in range(150))
    b = a.replace("the river75 ", "a river75 ")
    changed = [(a[c.a_start : c.a_end], b[c.b_start : c.b_end]) for c in word_diff(a, b) if c.tag != "equal"]
    assert changed == [("the", "a")]


def test_changed_spans_against_one_and_many() -> None:
    text = "Rescuers pulled twelve people from the rubble on Monday."
    others = ["Rescuers pulled ten people from the rubble on Monday.", "Rescuers pulled ten people from rubble."]
    spans = changed_spans(text, others)
    assert [text[s:e] for s, e in spans] == ["twelve"]
    assert [text[s:e] for s, e in changed_spans(text, others[:1])] == ["twelve"]
    # "the" and "on Monday" are missing from only one of two others: not highlighted
    assert changed_spans(text, []) == ()


def test_case_and_punctuation_are_not_differences() -> None:
    text = "The crowd crossed the Old Bridge at 7:15 to co-ordinate the march."
    other = "the crowd crossed the old bridge at 7:15, to coordinate the march"
    assert changed_spans(text, [other]) == ()
    # a clock time is one token: a different time is one changed span, not two
    spans = changed_spans(text, [other.replace("7:15", "7:45")])
    assert [text[s:e] for s, e in spans] == ["7:15"]
