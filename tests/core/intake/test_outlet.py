"""Naming an article's outlet from what the source says about itself."""

from __future__ import annotations

import pytest

from reader.intake.outlet import distinct_outlets, guess_outlet, readable_name
from reader.model import CleanText, RawDocument


def _guess(text: str = "", paragraphs: tuple[str, ...] = (), **raw) -> str:
    doc = RawDocument(source=raw.pop("source", "/tmp/x.txt"), text=text, **raw)
    return guess_outlet(doc, CleanText(title="", paragraphs=paragraphs, removed=()))


def test_hint_beats_everything() -> None:
    guess = _guess(outlet_hint="Valley Post", site_name="Other", paragraphs=("LONDON (AP) — Rain fell.",))
    assert guess == "Valley Post"


def test_site_name_metadata() -> None:
    assert _guess(site_name="Nordland Daily", title="Vote count ends - Nordland Daily") == "Nordland Daily"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Bridge collapses in storm | THE HARBOUR TIMES English Edition 2001-2020", "Harbour Times"),
        ("Bridge collapses in storm | Harbour Times", "Harbour Times"),
        ("Home News Sport | Harbour Times", "Harbour Times"),
    ],
)
def test_title_suffix(title: str, expected: str) -> None:
    assert expected in _guess(title=title)


def test_title_line_in_a_saved_text_page() -> None:
    text = "Menu\n\nStriker signs for rivals | CITY SPORTS DAILY\n\nThe striker signed on Monday.\n"
    assert _guess(text=text) == "City Sports Daily"


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("LISBON (Reuters) - A strong earthquake shook the coast on Monday.", "Reuters"),
        ("(AP) — Floodwater rose overnight across the valley.", "AP"),
        ("Nairobi and Geneva, Reuters—Aid agencies warned of famine on Tuesday.", "Reuters"),
    ],
)
def test_wire_credit_in_the_dateline(first: str, expected: str) -> None:
    assert _guess(paragraphs=(first, "More text followed.")) == expected


def test_dateline_without_agency_is_not_an_outlet() -> None:
    assert _guess(paragraphs=("ROME: The strike began on Monday.",), filename="rome-strike.txt") == "Rome Strike"


def test_self_reference_of_a_correspondent() -> None:
    paras = ("The dam held overnight.", "Engineers are worried, says the ABC's Jane Holt in Cairns.")
    assert _guess(paragraphs=paras) == "ABC"


def test_quoting_another_outlet_is_not_a_self_reference() -> None:
    paras = ("The minister told Reuters the talks had failed.", "He told the BBC there would be no deal.")
    assert _guess(paragraphs=paras, filename="valley_post.txt") == "Valley Post"


def test_fallbacks_to_file_name_and_web_host() -> None:
    assert _guess(filename="evening-gazette.txt") == "Evening Gazette"
    assert _guess(source="https://www.harbourtimes.example/news/1", url="https://www.harbourtimes.example/news/1") == (
        "harbourtimes.example"
    )
    assert _guess(filename="0042_9f8e7d6c5b4a3921.txt") == "0042_9f8e7d6c5b4a3921"


def test_shouting_names_are_title_cased_but_acronyms_kept() -> None:
    assert readable_name("THE HARBOUR TIMES") == "The Harbour Times"
    assert readable_name("BBC") == "BBC"
    assert readable_name("AL-MADINA DAILY") == "Al-Madina Daily"
    assert readable_name("The Guardian") == "The Guardian"


def test_distinct_outlets() -> None:
    assert distinct_outlets(["Reuters", "AP", "Reuters", "reuters"]) == ["Reuters", "AP", "Reuters (2)", "reuters (3)"]
    assert distinct_outlets(["AP", "AP (2)", "AP"]) == ["AP", "AP (2)", "AP (3)"]
    assert distinct_outlets([]) == []


@pytest.mark.parametrize(
    "line",
    [
        "Top losers: Meranti Aerospace Holdings -9.6% | Delta Shipping -3.2%",  # a market ticker
        "Nous joindre / Contact us | Politique de confidentialité / Privacy policy",  # bilingual footer links
        "LETTERS PAGE 14 | EDITORIAL: A welcome worth remembering — PAGE 15",  # a dash inside a bar line
        "اردو ویب سائٹ پر جائیں | Visit Urdu website",  # a link and its translation
        "Privacy Notice | Terms | Cookie Policy | Manage Cookies",  # a footer menu
        "Also Read | Monsoon likely to be delayed by a week, says weather office",  # a teaser label
    ],
)
def test_chrome_lines_with_a_bar_do_not_name_the_outlet(line: str) -> None:
    text = f"Menu\n\n{line}\n\nThe ferry sank on Monday, officials said, and 31 people died.\n"
    assert _guess(text=text, filename="story.txt") == "Story"
