"""The cleaner on pages it has never seen: each kind of junk goes, with its reason; reporting stays."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import SourceError
from reader.intake.articles import build_article
from reader.intake.cleaning.page import clean, html_blocks, text_blocks
from reader.intake.rawhtml import MAX_NESTING, MAX_PAGE_BLOCKS, MAX_PAGE_CHARS, flatten_deep_html, slim_html
from reader.intake.sources import load_source
from reader.model import RawDocument

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/core helpers (--import-mode=importlib)

from hostile import FLOOD_ARTICLE, huge_page

DATA = Path(__file__).resolve().parents[2] / "data" / "intake"


def _raw(name: str) -> RawDocument:
    path = DATA / name
    return RawDocument(source=str(path), text=path.read_text(encoding="utf-8"), is_html=name.endswith(".html"),
                       filename=name)


def _reasons(cleaned) -> dict[str, str]:
    return {r.text: r.reason for r in cleaned.removed}


def _kept_text(cleaned) -> str:
    return "\n".join(cleaned.paragraphs)


@pytest.fixture(scope="module")
def flood():
    return clean(_raw("flood_blog.txt"))


def test_flood_keeps_every_reporting_paragraph_in_order(flood) -> None:
    assert flood.title == "River Lune bursts its banks as storm hits"
    starts = [p.split()[0] for p in flood.paragraphs]
    assert starts == ["Residents", "The", "Councillor", "Mountain", "Forecasters"]
    assert flood.positions == tuple(sorted(flood.positions))


def test_glued_caption_is_cut_off_and_the_sentence_kept(flood) -> None:
    assert flood.paragraphs[0].startswith("Residents were evacuated from more than 300 homes")
    assert _reasons(flood)["Flooded high street"] == "photo caption glued to the next sentence"


@pytest.mark.parametrize(
    ("piece", "reason_part"),
    [
        ("News Weather Sport | The Valley Courier", "site name"),
        ("Skip to content", "site chrome"),
        ("Story ID: 88412093", "ID"),
        ("(Photo: Jane Ellis/Courier)", "photo caption"),
        ("Please enable JavaScript", "JavaScript"),
        ("as Tom Hale reports", "media caption"),
        ("Rescue boats", "section heading"),
        ("Трансляция", "another script"),
        (", , , , ,", "widget residue"),
        ("Council approves new car park", "teaser"),
        ("12 Comments", "comment section"),
        ("martin_b 12 March 2024", "comment section"),
        ("Stay safe everyone", "comment section"),
    ],
)
def test_each_kind_of_junk_is_removed_with_its_reason(flood, piece: str, reason_part: str) -> None:
    matches = [r for r in flood.removed if piece in r.text]
    assert matches, f"{piece!r} was not removed"
    assert reason_part.lower() in matches[0].reason.lower()
    assert piece not in _kept_text(flood)


def test_every_kept_paragraph_is_a_piece_of_the_input(flood) -> None:
    source = (DATA / "flood_blog.txt").read_text(encoding="utf-8")
    for para in flood.paragraphs:
        assert para.strip() in source


def test_removed_pieces_carry_block_positions_that_put_them_back_in_order(flood) -> None:
    blocks = text_blocks((DATA / "flood_blog.txt").read_text(encoding="utf-8"))
    for r in flood.removed:
        assert r.text in blocks[r.position]
    for pos, para in zip(flood.positions, flood.paragraphs, strict=True):
        assert para in blocks[pos]


def test_a_page_that_is_all_comments_keeps_nothing() -> None:
    cleaned = clean(_raw("all_comments.txt"))
    assert cleaned.paragraphs == ()
    assert {r.reason for r in cleaned.removed} == {"comment section"}


def test_fact_box_items_stay_as_paragraphs_and_menus_go() -> None:
    cleaned = clean(_raw("factbox.txt"))
    assert "Prosecutors said he accepted $240,000 in cash and gifts over four years" in cleaned.paragraphs
    assert not any(p.startswith("•") for p in cleaned.paragraphs)
    assert cleaned.paragraphs[-1].startswith("Sentencing is set")
    reasons = _reasons(cleaned)
    assert reasons["Key facts"] == "section heading"
    assert reasons["• Home"] == "menu or navigation item"


def test_html_page_loses_scripts_navigation_comments_and_keeps_the_body() -> None:
    cleaned = clean(_raw("election.html"))
    text = _kept_text(cleaned)
    assert cleaned.title == "Coalition wins narrow majority in Nordland election"
    assert len(cleaned.paragraphs) == 5
    assert cleaned.paragraphs[0].startswith("The centre-left coalition won 88")
    assert cleaned.paragraphs[-1].startswith("Analysts said")
    for junk in ("SHOULD NEVER APPEAR", "cookies", "Most read", "Rigged", "viking77", "Home", "rights reserved"):
        assert junk not in text


def test_arabic_page_keeps_arabic_body_and_drops_latin_chrome() -> None:
    cleaned = clean(_raw("arabic.txt"))
    assert len(cleaned.paragraphs) == 3
    assert all(re.search(r"[\u0600-\u06FF]", p) for p in cleaned.paragraphs)
    assert any("another script" in r.reason and "Home" in r.text for r in cleaned.removed)


def test_plain_article_without_junk_loses_nothing() -> None:
    text = (
        "Ferry strike enters third week\n\nFerry crews walked out again on Monday.\n\n"
        "Talks resume on Friday, the union said.\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert cleaned.title == "Ferry strike enters third week"
    assert cleaned.paragraphs == ("Ferry crews walked out again on Monday.", "Talks resume on Friday, the union said.")
    assert cleaned.removed == ()


def test_duplicate_paragraph_is_removed_once() -> None:
    para = "The transfer fee was reported to be 40 million euros, a club record for the Portuguese side."
    text = f"Striker joins rivals\n\n{para}\n\nHe signed a four-year contract on Thursday.\n\n{para.upper()}\n"
    cleaned = clean(RawDocument(source="x", text=text))
    assert cleaned.paragraphs.count(para) == 1
    assert [r.reason for r in cleaned.removed] == ["duplicate of an earlier paragraph"]


def test_dated_gallery_captions_are_removed_but_dated_prose_is_kept() -> None:
    text = (
        "Earthquake shakes coastal city\n\n"
        "A magnitude 6.1 earthquake struck the coastal city of Portvale early on Sunday, officials said.\n\n"
        "Rescuers search rubble in the old town (3 May 2021)Hundreds of volunteers joined the search overnight\n\n"
        "Buildings in the harbour district (3 May 2021)The tremor was felt 200 km away, seismologists said.\n\n"
        "The last major quake in the region (in 1987) killed 12 people.\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert "The tremor was felt 200 km away, seismologists said." in cleaned.paragraphs
    assert "The last major quake in the region (in 1987) killed 12 people." in cleaned.paragraphs
    assert not any("Hundreds of volunteers" in p or "Rescuers search" in p for p in cleaned.paragraphs)


def test_camel_case_names_are_not_mistaken_for_glued_captions() -> None:
    text = ("Streaming record broken\n\nFans watched the final on YouTube and PlayStation consoles, "
            "the league said on Monday, and iPhone sales rose.\n")
    cleaned = clean(RawDocument(source="x", text=text))
    assert cleaned.paragraphs[0].startswith("Fans watched the final on YouTube")
    assert cleaned.removed == ()


def test_comment_word_inside_the_body_does_not_cut_the_article() -> None:
    text = (
        "Minister quits over leak\n\n"
        "The health minister resigned on Tuesday after leaked emails were published by a newspaper.\n\n"
        "Comments\n\n"
        "Her office declined to comment on the emails, which date from 2019.\n\n"
        "A successor will be named this week, the prime minister said.\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert cleaned.paragraphs[-1].startswith("A successor")


def test_hard_wrapped_wire_copy_is_joined_into_paragraphs() -> None:
    text = (
        "Port workers strike\n\n"
        "Dock workers at the port of Halden walked off the job on Monday in a dispute\n"
        "over pay, halting container traffic for the second time this year, union\n"
        "officials said.\n\n"
        "The strike is expected to last three days.\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert len(cleaned.paragraphs) == 2
    assert cleaned.paragraphs[0].endswith("union\nofficials said.")


def test_demo_files_follow_the_general_rules(demo_paths) -> None:
    from reader.intake.sources import load_source

    for path in demo_paths:
        cleaned = clean(load_source(str(path)))
        assert len(cleaned.paragraphs) >= 20, path.name
        assert cleaned.title
        for para in cleaned.paragraphs:
            assert any(ch.isalpha() for ch in para)
            assert not re.search(r"[\u0600-\u06FF]", para), "non-Latin run in a Latin article"
        comment_starts = [r.position for r in cleaned.removed if r.reason == "comment section"]
        if comment_starts:
            assert max(cleaned.positions) < min(comment_starts), "a paragraph follows the comment section start"


def test_line_in_another_language_of_the_same_script_is_removed() -> None:
    text = (
        "Port strike spreads\n\n"
        "Dock workers in three more ports joined the strike on Monday, the union said in a statement.\n\n"
        "Lire aussi : la grève continue dans les ports du nord et les négociations sont au point mort\n\n"
        "Ships were queuing outside the harbour, and exporters said the delays were costing them millions.\n\n"
        "Talks with the port authority are due to resume on Thursday.\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert len(cleaned.paragraphs) == 3
    (removed,) = cleaned.removed
    assert removed.reason == "line in another language than the article (French, article in English)"


def test_a_french_article_is_judged_as_french() -> None:
    text = (
        "La grève s'étend\n\n"
        "Les dockers de trois autres ports ont rejoint la grève lundi, a indiqué le syndicat dans un communiqué.\n\n"
        "Des navires attendaient devant le port et les exportateurs ont dit que les retards leur coûtaient cher.\n\n"
        "Read more: the strike in the northern ports is in its second week and the talks have failed\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert len(cleaned.paragraphs) == 2 and cleaned.paragraphs[0].startswith("Les dockers")


def test_comments_inside_the_article_markup_are_cut_after_extraction() -> None:
    cleaned = clean(_raw("transfer_comments_inside.html"))
    assert cleaned.title == "Transfer: Silva joins Porto for 40m"
    assert cleaned.paragraphs[-1].startswith("Benfica said the fee")
    assert len(cleaned.paragraphs) == 4
    assert _reasons(cleaned)["Silva poses with the shirt at the Dragao stadium. Photo: Ana Reis"] == "photo caption"
    assert not any("Traitor" in p or "porto_fan" in p for p in cleaned.paragraphs)


def test_html_with_remote_images_and_iframes_is_cleaned_without_touching_the_network(monkeypatch) -> None:
    import socket

    def refuse(*_args, **_kwargs):
        raise AssertionError("cleaning tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert len(clean(_raw("election.html")).paragraphs) == 5


def test_markup_in_a_document_not_marked_as_html_is_still_read_as_html() -> None:
    html = (DATA / "election.html").read_text(encoding="utf-8")
    cleaned = clean(RawDocument(source="paste", text=html, is_html=False))
    assert len(cleaned.paragraphs) == 5 and "<p>" not in "".join(cleaned.paragraphs)


def test_unpunctuated_caption_goes_but_prose_missing_its_full_stop_stays() -> None:
    text = (
        "Wildfire forces evacuations\n\n"
        "Firefighters battled a wildfire near the town of Alder Creek on Saturday, forcing 2,000 people to leave.\n\n"
        "A firefighter sprays water on a burning hillside near Alder Creek on Saturday afternoon\n\n"
        "“We have never seen it move this fast,” said fire chief Dana Wells. “The wind did the rest”\n\n"
        "The fire chief told residents: “Leave now and do not come back for your things”\n\n"
        "Officials expect the evacuation order to stay in place until Monday.\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert [r.reason for r in cleaned.removed] == ["caption (a line without sentence punctuation)"]
    assert len(cleaned.paragraphs) == 4


def test_share_buttons_promotions_inline_teasers_and_closed_comments() -> None:
    text = (
        "Rail fares to rise by 5%\n\n"
        "Share this:\n\nFacebook Twitter WhatsApp Email\n\n"
        "Rail fares in England will rise by 5% in March, the transport department said on Wednesday.\n\n"
        "READ MORE: Drivers vote to strike over summer rosters\n\n"
        "Passenger groups called the increase unaffordable for commuters already facing higher costs.\n\n"
        "Sign up for our daily newsletter to get the latest travel news.\n\n"
        "Advertisement\n\n"
        "The rise is below inflation, ministers said, and season tickets will be capped.\n\n"
        "Comments are closed.\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert [p.split()[0] for p in cleaned.paragraphs] == ["Rail", "Passenger", "The"]
    reasons = _reasons(cleaned)
    assert reasons["Facebook Twitter WhatsApp Email"] == "share or like buttons"
    assert reasons["READ MORE: Drivers vote to strike over summer rosters"] == "teaser for another story"
    assert reasons["Advertisement"] == "site promotion or notice"
    assert reasons["Comments are closed."] == "comment section"


def test_publication_dates_above_and_inside_the_article_are_not_a_comment_thread() -> None:
    text = (
        "Museum reopens after fire\n\n"
        "Published 3 May 2023, 10:02\n\nUpdated 3 May 2023, 14:30\n\n"
        "The city museum reopened on Wednesday, two years after a fire destroyed its east wing.\n\n"
        "Updated 4 May 2023, 09:00\n\n"
        "More than 3,000 visitors came on the first day, the director said.\n\n"
        "Restoration cost 18 million euros, most of it paid by insurers.\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert [p.split()[0] for p in cleaned.paragraphs] == ["The", "More", "Restoration"]
    assert "comment section" not in {r.reason for r in cleaned.removed}


def test_a_discussion_section_heading_in_the_body_is_not_a_comment_thread() -> None:
    paras = [f"Paragraph {n} of the report says the budget talks continued through the night." for n in range(4)]
    text = "Budget talks stall\n\n" + "\n\n".join(paras[:3]) + "\n\nDiscussion\n\n" + paras[3] + "\n"
    cleaned = clean(RawDocument(source="x", text=text))
    assert len(cleaned.paragraphs) == 4
    assert _reasons(cleaned)["Discussion"] == "section heading"


def test_known_title_loses_its_site_suffix() -> None:
    raw = RawDocument(source="x", text="Some text here that is long enough to be a sentence, they said.",
                      title="Budget talks stall - Harbour Times", site_name="Harbour Times")
    assert clean(raw).title == "Budget talks stall"


def test_menu_lines_above_the_headline_are_not_the_title() -> None:
    text = (
        "Home\nWorld News\nSport\n\nVolcano erupts on remote island\n\nBy Sam Reed\n\n"
        "A volcano erupted on the island of Tamsa on Friday, sending ash 10 km into the sky.\n"
    )
    cleaned = clean(RawDocument(source="x", text=text))
    assert cleaned.title == "Volcano erupts on remote island"
    (only,) = cleaned.paragraphs
    assert only == "A volcano erupted on the island of Tamsa on Friday, sending ash 10 km into the sky."
    assert _reasons(cleaned)["By Sam Reed"] == "byline or date line"
    assert _reasons(cleaned)["World News"] == "site chrome (before the article)"


_PROSE = [
    "The bridge was closed to traffic on Monday after engineers found cracks in two of its supports.",
    "About 40,000 vehicles cross it every day, the highways agency said in a statement.",
    "\u201cWe will not reopen it until it is safe,\u201d said chief engineer Lena Fox.",
    "Repairs are expected to take at least six weeks and cost 3 million pounds.",
    "Local businesses said the closure would hit trade during the busiest month of the year.",
]
_JUNK = [
    ", , , ,", "Menu", "Skip to content", "12 Comments", "joe_b 3 May 2023, 10:02", "Please enable JavaScript.",
    "Crews inspect the bridge (3 May 2023)", "Story ID: 4411223", "Related: Rail strike called off\u2026",
    "\u0627\u0644\u0645\u0632\u064a\u062f \u0645\u0646 \u0627\u0644\u0623\u062e\u0628\u0627\u0631", "Share this:",
    "You are commenting using your account.", "", "   ", "\u2022 Home", "Bridge closed | CITY POST",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_PROSE + _JUNK), min_size=1, max_size=14), st.sampled_from(["\n\n", "\n", "\n \n"]))
def test_cleaning_invariants_on_random_pages(pieces: list[str], joiner: str) -> None:
    text = joiner.join(pieces)
    cleaned = clean(RawDocument(source="x", text=text))
    blocks = text_blocks(text)
    assert len(cleaned.positions) == len(cleaned.paragraphs)
    assert list(cleaned.positions) == sorted(set(cleaned.positions))
    for pos, para in zip(cleaned.positions, cleaned.paragraphs, strict=True):
        assert para.strip() and para in blocks[pos], "a kept paragraph must be a piece of its block"
    for removed in cleaned.removed:
        assert removed.reason and removed.text in blocks[removed.position]
    accounted = set(cleaned.positions) | {r.position for r in cleaned.removed}
    assert len(set(range(len(blocks))) - accounted) <= 1, "only the headline may be neither kept nor removed"


def test_page_pasted_one_line_per_item() -> None:
    """A browser copy: every menu entry, caption and paragraph on its own line, no blank lines."""
    cleaned = clean(_raw("quake_single_lines.txt"))
    assert cleaned.title == "Death toll from Turkey-Syria earthquake passes 20,000"
    starts = [p.split()[0] for p in cleaned.paragraphs]
    assert starts == ["Rescuers", "The", "In", "The", "“Time"]
    reasons = _reasons(cleaned)
    assert reasons["Related: Turkey-Syria earthquake: what we know so far"] == "teaser for another story"
    caption = "Rescue workers search through rubble in Adıyaman. Photograph: Umit Bektas/Reuters"
    assert reasons[caption] == "photo caption"
    assert reasons["Skip to main contentSkip to navigation"] == "site chrome (before the article)"
    for tail in ("Reuse this content", "Most viewed", "Explore more on these topics"):
        assert tail in reasons


# --------------------------------------------------------------------------- markup nested too deep

_FLOOD = [
    "Flood water rose above the river wall in Marrow Bridge on Tuesday night, forcing hundreds from their homes.",
    "The county council said 340 households had been moved to emergency shelters in two schools and a hall.",
    "Forecasters warned that another 60 millimetres of rain could fall on saturated ground before Friday.",
]


def _deep_flood_page(depth: int) -> str:
    """A flood report whose body and comment thread sit ``depth`` wrappers deep, as some page builders nest."""
    body = (
        "".join(f"<p>{p}</p>" for p in _FLOOD[:2])
        + "<figure><img src='boats.jpg'><figcaption>Rescue boats on the high street (Photo: Jo Hart/Courier)"
        "</figcaption></figure>"
        + f"<p>{_FLOOD[2]}</p><script>var teaser = '<p>Injected by a script, never text.</p>';</script>"
    )
    thread = "<section class='comments'><h2>12 Comments</h2>" + "".join(
        f"<div class='comment'><p>reader{i} says:</p><p>The council knew that wall was weak, number {i}!</p></div>"
        for i in range(3)
    ) + "</section>"

    def wrap(inner: str) -> str:
        return "<div class='w'>" * depth + inner + "</div>" * depth

    return (
        "<!DOCTYPE html><html><head><title>River bursts its banks | Valley Courier</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
        + wrap("<article><h1>River bursts its banks</h1>" + wrap(body) + "</article>" + wrap(thread))
        + "<footer>All rights reserved</footer></body></html>"
    )


@pytest.mark.parametrize("depth", [300, 5000, 100_000])
def test_deeply_nested_article_keeps_its_paragraphs_and_loses_its_junk(depth: int) -> None:
    cleaned = clean(RawDocument(source="x", text=_deep_flood_page(depth), is_html=True, title="River bursts its banks"))
    assert cleaned.paragraphs == tuple(_FLOOD)
    reasons = _reasons(cleaned)
    assert reasons["Rescue boats on the high street (Photo: Jo Hart/Courier)"] == "photo caption"
    assert reasons["12 Comments"] == "comment section"
    assert "Injected" not in " ".join(cleaned.paragraphs + tuple(reasons))


def test_paragraph_breaks_and_inline_words_survive_below_the_depth_limit() -> None:
    deep = "<div>" * 5000 + "<p>The <b>dam</b> held<span>,</span> engineers said.</p><p>Rain eased by noon.</p>"
    blocks = html_blocks("<html><body>" + deep + "</div>" * 5000 + "</body></html>")
    assert blocks == ["The dam held, engineers said.", "Rain eased by noon."]


def test_pages_that_never_nest_too_deep_reach_the_parser_untouched() -> None:
    for path in sorted(DATA.glob("*.html")):
        page = path.read_text(encoding="utf-8")
        assert flatten_deep_html(page) is page, path.name
    shallow = "<div>" * (MAX_NESTING - 5) + "<p>x</p>" + "</div>" * (MAX_NESTING - 5)
    assert flatten_deep_html(shallow) is shallow
    assert flatten_deep_html("<div>" * (MAX_NESTING + 5) + "<p>x</p>") != "<div>" * (MAX_NESTING + 5) + "<p>x</p>"


# Tag soup: opening and closing tags in any order (mismatched, unclosed, stray), text words w0, w1, ...
# and scripts whose words must never become text.
_SOUP_TAGS = ["div", "span", "p", "b", "a", "li", "ul", "table", "tr", "td", "section", "font", "form", "dl", "dt"]
_SOUP = st.lists(
    st.one_of(
        st.tuples(st.just("open"), st.sampled_from(_SOUP_TAGS)),
        st.tuples(st.just("close"), st.sampled_from(_SOUP_TAGS)),
        st.tuples(st.just("text"), st.just("")),
        st.tuples(st.just("script"), st.just("")),
        # runs of wrappers, some with end tags a parser ignores ("</span>" cannot close the <div> inside it)
        st.tuples(st.just("deep"), st.sampled_from(["<div>", "<span>", "<table>", "<span><div></span>",
                                                    "<a><div></a>", "<td><div></td>"])),
    ),
    max_size=60,
)


def _soup_html(ops: list[tuple[str, str]]) -> tuple[str, list[str]]:
    parts, words = ["<html><body>"], []
    for kind, tag in ops:
        if kind == "open":
            parts.append(f"<{tag} class='x'>")
        elif kind == "close":
            parts.append(f"</{tag}>")
        elif kind == "text":
            words.append(f"w{len(words)}")
            parts.append(f" {words[-1]} ")
        elif kind == "script":
            parts.append("<script>var s = '<p>secret</p>';</script><!-- secret -->")
        else:
            parts.append(tag * 40)
    return "".join(parts) + "</body></html>", words


@settings(max_examples=150, deadline=None)
@given(_SOUP, st.sampled_from([3, 10, MAX_NESTING]))
def test_flattening_any_tag_soup_keeps_every_word_in_order_and_invents_none(ops, cap: int) -> None:
    import lxml.html

    html, words = _soup_html(ops)
    parser = lxml.html.HTMLParser()
    root = lxml.html.fromstring(flatten_deep_html(html, cap), parser=parser)
    assert not [e for e in parser.error_log if "depth" in e.message.lower()], "the parser still hit its limit"
    for script in root.iter("script"):
        script.drop_tree()
    text = root.text_content().split()
    assert text == words, "every word, once, in order, and no other"
    depth = max((sum(1 for _ in el.iterancestors()) for el in root.iter()), default=0)
    assert depth <= cap + 3, depth  # html, body and one paragraph of our own above the cap


# --------------------------------------------------------------------------- huge pages: slimmed, measured, refused


def test_slimming_drops_scripts_styles_comments_and_inline_images_but_no_word() -> None:
    payload = "iVBORw0KGgo" * 100
    page = (
        "<html><head><title>Dam <!-- holds --> firm</title><style>p{color:red}</style>"
        '<script type="application/ld+json">{"datePublished": "2024-05-02"}</script>'
        "<script>document.write('<p>Injected paragraph.</p>')</script></head><body><!-- ad slot 3 -->"
        f'<p>The dam held overnight, engineers said.</p><img alt="" src="data:image/png;base64,{payload}">'
        "<textarea>Leave a <!-- note --></textarea><SCRIPT>var x = '</p>';</SCRIPT >"
        "<p>Rain eased by noon.</p><script>never closed"
    )
    slim = slim_html(page)
    for kept in ("<title>Dam <!-- holds --> firm</title>", '"datePublished": "2024-05-02"',
                 "<p>The dam held overnight, engineers said.</p>", "data:image/png;base64,",
                 "<textarea>Leave a <!-- note --></textarea>", "<p>Rain eased by noon.</p>"):
        assert kept in slim, kept
    for gone in ("Injected", "color:red", "ad slot", payload[:40], "var x", "never closed"):
        assert gone not in slim, gone
    assert slim_html(slim) == slim


def test_slimming_changes_nothing_the_cleaner_keeps_or_removes_on_real_pages() -> None:
    for path in sorted(DATA.glob("*.html")):
        raw = _raw(path.name)
        assert html_blocks(slim_html(raw.text)) == html_blocks(raw.text), path.name


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """The parsers' entry points, counted: how often each ran and how many characters it was handed."""
    import trafilatura

    seen: dict[str, list[int]] = {"extract": [], "extract_metadata": [], "extensive": []}
    extract, extract_metadata = trafilatura.extract, trafilatura.extract_metadata

    def counted_extract(html, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen["extract"].append(len(html))
        return extract(html, *args, **kwargs)

    def counted_metadata(html, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen["extract_metadata"].append(len(html))
        seen["extensive"].append(kwargs.get("extensive", True))
        return extract_metadata(html, *args, **kwargs)

    monkeypatch.setattr(trafilatura, "extract", counted_extract)
    monkeypatch.setattr(trafilatura, "extract_metadata", counted_metadata)
    return seen


@pytest.mark.parametrize("limit", ["blocks", "size"])
def test_a_page_past_the_limits_is_refused_in_one_line_before_any_parser_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    if limit == "blocks":
        page = "<html><body>" + "<p>Rain.</p>" * (MAX_PAGE_BLOCKS + 1) + "</body></html>"
        expected = f"{MAX_PAGE_BLOCKS + 1:,} paragraphs and other blocks; Parallax reads pages of up to"
    else:
        page = "<html><body><p>" + "Rain fell. " * (MAX_PAGE_CHARS // 11 + 10) + "</p></body></html>"
        expected = (f"8.0 MB of HTML once scripts, styles and inline images are set aside; Parallax reads pages "
                    f"up to {MAX_PAGE_CHARS // 1_000_000} MB")
    seen = _counting(monkeypatch)
    path = tmp_path / "huge.html"
    path.write_text(page, encoding="utf-8")
    for attempt in (lambda: build_article(load_source(str(path)), "a1"),
                    lambda: clean(RawDocument(source="pasted", text=page))):
        with pytest.raises(SourceError) as err:
            attempt()
        assert "\n" not in err.value.message and "page too large" in err.value.message
        assert expected in err.value.message, err.value.message
    assert seen["extract"] == [], "the limits come before trafilatura's main pass"
    if limit == "size":
        assert seen["extract_metadata"] == [], "a page too large is refused before its metadata is read"


def test_scripts_json_and_inline_images_never_reach_the_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    """What trafilatura and htmldate are handed is a fifth of the page at 1 MB and at 4 MB, and the date
    search that ran dateparser over every comment line (17 s a megabyte) is never run."""
    from reader.intake.fetch import html_metadata

    seen = _counting(monkeypatch)
    for size in (30_000, 1_000_000, 4_000_000):
        page = huge_page(size)
        html_metadata(page)
        cleaned = clean(RawDocument(source="page.html", text=page, is_html=True))
        assert cleaned.paragraphs == FLOOD_ARTICLE
        assert seen["extract"][-1] < size / 4 and seen["extract_metadata"][-1] < size / 4
        assert seen["extensive"][-1] is False


def test_a_commenters_time_stamp_is_never_taken_for_the_articles_date() -> None:
    from reader.intake.fetch import html_metadata

    page = (DATA / "transfer_comments_inside.html").read_text(encoding="utf-8")
    assert "3 Aug 2023" in page  # a commenter's time; the page's markup names no date
    assert html_metadata(page)["published"] is None
    assert html_metadata((DATA / "election.html").read_text(encoding="utf-8"))["published"] == "2023-09-11"


def test_the_authors_biography_goes_but_a_source_introduced_last_stays() -> None:
    body = ("Fuel prices rose for a third week\n\n"
            "Petrol prices rose by 4 cents a litre on Monday, the energy regulator said in its weekly report.\n\n"
            "Diesel rose by 6 cents, the steepest weekly rise since the spring, the regulator added.\n\n")
    source = "Jane Roe is an analyst at Capital Economics who follows the fuel market."
    bio = "Kit Harlan is the Herald's senior energy reporter, covering oil and gas."
    cleaned = clean(RawDocument(source="x", text=body + source + "\n\n" + bio + "\n"))
    assert cleaned.paragraphs[-1] == source
    assert _reasons(cleaned)[bio] == "about the author"
