"""What a suit asks for, told two ways, on an invented story (ferry operators sue over a harbour fee)."""

from __future__ import annotations

from fakes import article as _article

from reader.differences.mentions import index_sentences
from reader.differences.requestdiff import request_findings
from reader.model import Group


def _found(a: str | list[str], b: str | list[str], together: bool = True):
    arts = [_article("a1", "Harbour Post", [a] if isinstance(a, str) else a)]
    arts.append(_article("a2", "Coast Radio", [b] if isinstance(b, str) else b))
    if together:
        groups = [Group("g1", ("a1.s1", "a2.s1"), 0.9)]
    else:
        groups = [Group(f"g{i}", (s.id,), 0.9) for i, s in enumerate((s for x in arts for s in x.sentences), start=1)]
    return request_findings(arts, groups, index_sentences(arts))


def test_a_suit_told_as_asking_for_two_remedies_is_worth_a_look() -> None:
    (d,) = _found(
        "The lawsuit was filed by three ferry operators and asks a federal judge to strike down the new harbour fee.",
        "The operators filed a lawsuit seeking an injunction to stop the city from collecting the harbour fee.",
    )
    assert d.kind == "claim" and d.detail == "request" and d.confidence < 0.6
    assert [v.text for v in d.values] == [
        "strike down the new harbour fee",
        "stop the city from collecting the harbour fee",
    ]
    assert "undo it" in d.summary and "stop it" in d.summary and "fee" in d.why


def test_what_a_court_orders_is_told_the_same_way() -> None:
    (d,) = _found(
        "A federal judge ordered the city to halt the harbour fee.",
        "The judge ordered the city to repeal the harbour fee.",
    )
    assert d.detail == "request" and "stop it" in d.summary and "undo it" in d.summary


def test_one_remedy_in_other_words_is_no_difference() -> None:
    assert not _found(
        "The operators asked a federal judge to block the harbour fee.",
        "The operators filed a lawsuit seeking an order to halt the harbour fee.",
    )
    assert not _found(  # "overturn" and "declare it unconstitutional" both undo the fee
        "The operators asked the court to overturn the harbour fee.",
        "The operators asked the court to declare the harbour fee unconstitutional.",
    )


def test_look_alikes_are_not_flagged() -> None:
    # "throw out the charges" drops them, as "dismiss" does; it is read as no remedy rather than a wrong one
    assert not _found(
        "The lawyers asked the judge to throw out the fraud charges.",
        "The lawyers asked the judge to dismiss the fraud charges.",
    )
    # two parties, each with its own request
    assert not _found(
        "The city council asked the judge to strike down the harbour fee.",
        "The fishermen's union asked the judge to halt the harbour fee.",
    )
    # a sentence that tells both remedies tells the range
    assert not _found(
        "The operators ask the judge to halt the harbour fee at once and then strike it down.",
        "The operators asked the judge to block the harbour fee.",
    )
    # two actions on two things
    assert not _found(
        "The operators asked the judge to strike down the harbour fee.",
        "The operators asked the judge to block the new pier.",
    )
    # what a suit does not ask for is no request
    assert not _found(
        "The suit does not seek to overturn the harbour fee.",
        "The operators asked the judge to block the harbour fee.",
    )


def test_requests_told_in_sentences_kept_apart_are_compared_with_all_an_outlet_says() -> None:
    a = ["Ferry operators went to court on Monday.", "Their suit asks a judge to strike down the harbour fee."]
    b = ["The operators filed a lawsuit seeking an order to halt the harbour fee.", "The city would not comment."]
    (d,) = _found(a, b, together=False)
    assert d.detail == "request" and "different places" in d.why
    # the other outlet names the same remedy elsewhere: it has told both steps, nothing to flag
    b2 = [*b, "Ultimately the suit asks the judge to overturn the harbour fee."]
    assert _found(a, b2, together=False) == []
