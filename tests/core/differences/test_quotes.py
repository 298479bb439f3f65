"""Quoted speech, speakers, and how two versions of a quote differ."""

from __future__ import annotations

from reader.differences.quotecompare import differing_words, quote_relation
from reader.differences.quotes import find_quotes


def _q(text: str):
    (q,) = find_quotes(text)
    assert text[q.start : q.end] == q.text
    return q


def test_speakers_before_and_after() -> None:
    q = _q("Coach Dmitri Volkov said “there is no agreement, no offer to sell our players.”")
    assert q.speaker_name == ("dmitri", "volkov")
    assert _q('"We will appeal this verdict at once," defence lawyer Ana Ruiz said.').speaker_name == ("ana", "ruiz")
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


# ---------------------------------------------------------------- what is a quote, and whose


def test_paraphrase_outside_the_marks_is_not_pulled_into_the_quote() -> None:
    # two quoted words after paraphrase: a scare quote, and the paraphrase is never read as speech
    assert find_quotes('Mayor Ilse Varn said the levee had "held firm".') == ()
    assert find_quotes('NORDBY (Wire) — Nine sheep are dead, the ministry said, calling it "rare" in a decade.') == ()
    (q,) = find_quotes('The harbour master said the pier "cannot take another storm like this one" at all.')
    assert q.text == "cannot take another storm like this one"
    # a sentence that begins inside a quote opened in the sentence before
    (q,) = find_quotes("We will rebuild the pier by spring,” the harbour master said.")
    assert q.text == "We will rebuild the pier by spring" and q.speaker == "the harbour master"
    assert find_quotes("” The decision comes two days after the storm hit the coast.") == ()


def test_names_in_quotation_marks_are_not_quotes() -> None:
    assert find_quotes("Growers launched a campaign called “Save Our Orchards Now” on Monday.") == ()
    assert find_quotes("The mayor praised the “Clean Rivers for Everyone” initiative.") == ()
    assert find_quotes('The story was featured in the "Morning Tide Report" podcast episode.') == ()
    assert find_quotes('Fans call the goalkeeper "The Wall of Ostend" these days.') == ()
    # ordinary speech in title-free words stays a quote
    assert len(find_quotes("Varn called it “a shameful day for this town” on Monday.")) == 1


def test_speakers_with_abbreviations_appositives_and_no_speaker() -> None:
    q = _q("“The water rose faster than any model said,” Lena Dorsey, a harbour pilot, said on Sunday.")
    assert q.speaker_name == ("lena", "dorsey")
    q = _q("“We need the dredger back before winter,” said Rep. Tomas K. Brill of the coastal district.")
    assert q.speaker_name == ("tomas", "k", "brill")
    q = _q("“The pier will not reopen this year,” he said.")
    assert q.speaker == "he" and q.speaker_is_pronoun and q.speaker_name == ()
    q = _q("“The pier will not reopen this year,” he said Tuesday, and the crowd fell silent.")
    assert q.speaker == "he"
    q = _q("“The pier will not reopen this year,” said Tuesday's statement.")
    assert q.speaker_name == ()


def test_shortened_extended_and_one_inserted_word() -> None:
    full = _q("“The ferry will sail again once the harbour is safe,” Dorsey said.")
    cut = _q("“The ferry will sail again once the harbour is safe,” Dorsey said.".replace("once the", "once"))
    assert quote_relation(cut, full) == "shortened quote"
    assert differing_words(cut, full) == ("", "the")
    bracket = _q("“The [local] ferry will sail again once the harbour is safe,” Dorsey said.")
    assert quote_relation(full, bracket) == "extended quote"
    both = _q("“Dorsey and I have talked, and both believe the harbour is safe,” the pilot said.")
    one = _q("The pilot said they “believe the harbour is safe” now.")
    assert quote_relation(both, one) == "part"  # a stretch of the same words
    # "&" and "and", curly and straight apostrophes: the same words
    amp = _q("“Safety & trust come first, and we won’t cut corners,” Dorsey said.")
    plain = _q('"Safety and trust come first, and we won\'t cut corners," Dorsey said.')
    assert quote_relation(amp, plain) == "same"


def test_two_remarks_sharing_a_few_words_are_not_one_reworded() -> None:
    upset = _q("“They are upset over the fact that there were so many boats out that night,” Ames said.")
    sad = _q("“The fact that this happened with so many boats out is just heartbreaking,” Ames said.")
    assert quote_relation(upset, sad) == "unrelated"
    history = _q("“I think it shows they are on the wrong side of the river,” Ames said.")
    other = _q("“They waste money on lawyers. These people are on the wrong side of the river,” Bo Lind said.")
    assert quote_relation(history, other) == "part"  # a shared phrase, different stretches: nothing inside differs


def test_a_quote_with_an_ellipsis_is_compared_stretch_by_stretch() -> None:
    from reader.differences.quotecompare import compare_quotes

    joined = _q('Dorsey tweeted that "the ferry is safe & ready...the sailing is put on hold..."')
    second = _q("“As a precaution, the sailing is being put on hold until the storm passes.”")
    d = compare_quotes(joined, second)
    assert d.relation == "shortened quote" and d.a.text == "the sailing is put on hold"
    assert differing_words(joined, second) == ("", "being")
