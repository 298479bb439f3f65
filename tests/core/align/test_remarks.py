"""Two quotations with different words are two remarks: the alignment evidence against such pairs."""

from __future__ import annotations

import numpy as np

from reader.align.remarks import MIN_WORDS, SHARED_BELOW, distinct_remarks, quoted_words

# An invented story: a ferry company's chief executive and a harbour master after a collision.
SAME_REMARK_A = "“We will pay for every repair to the pier and the boats,” chief executive Lena Marsh said."
SAME_REMARK_B = 'Marsh told reporters: "We will pay for every repair to the pier."'
OTHER_REMARK = "“Our crews acted fast and nobody was hurt on board,” Marsh said later on Tuesday."
HARBOUR = "“The channel stays closed until divers have checked the hull,” harbour master Ivo Kern said."
PARAPHRASE = "The company promised to pay for all repairs to the pier and to the damaged boats."
TITLE = "The ferry, nicknamed “Old Gull”, had sailed the route since 1998, Marsh said."


def _distinct(a: str, b: str) -> bool:
    quoted = quoted_words([a, b])
    return bool(distinct_remarks(quoted, np.array([0]), np.array([1]))[0])


def test_the_same_remark_quoted_twice_is_one_remark():
    assert not _distinct(SAME_REMARK_A, SAME_REMARK_B)  # one outlet quotes less of it: still its words


def test_two_remarks_of_one_speaker_are_two():
    assert _distinct(SAME_REMARK_A, OTHER_REMARK)


def test_two_speakers_saying_different_things_are_two_remarks():
    assert _distinct(OTHER_REMARK, HARBOUR)


def test_a_paraphrase_without_quotation_marks_is_no_evidence_either_way():
    assert not _distinct(SAME_REMARK_A, PARAPHRASE)


def test_a_quoted_name_of_a_word_or_two_is_not_a_remark():
    assert quoted_words([TITLE]).sizes().tolist() == [0]
    assert not _distinct(TITLE, OTHER_REMARK)


def test_function_words_are_not_shared_wording():
    a = "“It is what it is and we are where we are with the storm,” she said."
    b = "“It is what it is and we are where we are with the budget,” he said."
    words = quoted_words([a, b])
    # only content words count: one each (storm / budget), too few to be a remark at all
    assert words.sizes().tolist() == [0, 0]
    assert not _distinct(a, b)
    c = "“We are where we are: the storm took the roof, the barn and the harvest,” she said."
    d = "“The storm took the roof, the barn and half of the harvest,” the farmer said."
    assert not _distinct(c, d)


def test_the_threshold_is_a_share_of_the_shorter_quotation():
    # six content words against many: one shared word is under a quarter, two are not
    short_one = "“Pumps failed, levees held, water rose,” he said."  # pumps failed levees held water rose
    long_one = "“The pumps worked all night, the roads flooded, the school shut and the mayor left,” she said."
    assert MIN_WORDS <= 6 and 1 / 6 < SHARED_BELOW <= 2 / 6
    assert _distinct(short_one, long_one)  # one shared word (pumps) of six
    two_shared = "“The levees held and the pumps worked through the night, the mayor said with relief,” she said."
    assert not _distinct(short_one, two_shared)  # levees, pumps: two of six


def test_many_pairs_at_once_match_one_at_a_time():
    texts = [SAME_REMARK_A, SAME_REMARK_B, OTHER_REMARK, HARBOUR, PARAPHRASE, TITLE]
    quoted = quoted_words(texts)
    i, j = np.triu_indices(len(texts), 1)
    together = distinct_remarks(quoted, i, j)
    alone = [_distinct(texts[a], texts[b]) for a, b in zip(i, j, strict=True)]
    assert together.tolist() == alone
    assert distinct_remarks(None, i, j).tolist() == [False] * len(i)
