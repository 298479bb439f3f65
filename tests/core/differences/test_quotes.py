"""Quoted speech, speakers, and how two versions of a quote differ."""

from __future__ import annotations

from reader.differences.quotes import differing_words, find_quotes, quote_relation


def _q(text: str):
    (q,) = find_quotes(text)
    assert text[q.start : q.end] == q.text
    return q


def test_speakers_before_and_after() -> None:
    q = _q("Coach Dmitri Volkov said “there is no agreement, no offer to sell our players.”")
    assert q.speaker_name == ("dmitri", "volkov")
    assert _q("\"We will appeal this verdict at once,\" defence lawyer Ana Ruiz said.").speaker_name == ("ana", "ruiz")
    assert _q("“There is no offer to sell our players,” Volkov said.").speaker_name == ("volkov",)
    assert _q("“We have lost everything,” said a farmer who asked not to be named.").speaker == "a farmer"
    assert find_quotes("Residents described the flood as “biblical”.") == ()  # a scare quote, not speech


def test_reworded_shortened_and_partial() -> None:
    a = _q("“We have no intention to organise a recount programme in the valley,” Volkov said.")
    b = _q("Volkov said “we have no intention to organize a recount program in the valley.”")
    assert quote_relation(a, b) == "reworded quote"
    left, right = differing_words(a, b)
    assert "organise" in left and "organize" in right and "program" in right
    full = _q('"The verdict handed down today is a disgrace to this court," lawyer Ana Ruiz said.')
    cut = _q("“The verdict … is a disgrace to this court,” lawyer Ana Ruiz said.")
    assert quote_relation(cut, full) == "shortened quote"
    part = _q("Ruiz called it “a disgrace to this court” in a statement.")
    assert quote_relation(part, full) == "part"
    assert quote_relation(full, full) == "same"
    # each quotes a different stretch; only the words inside the shared stretch count
    long_ = _q("“We have absolutely no plan to sell players between now and the summer window,” Volkov said.")
    short = _q("Volkov said there was “no plan to sell player” at all.")
    assert quote_relation(long_, short) == "reworded quote"
    assert differing_words(long_, short) == ("players", "player")
