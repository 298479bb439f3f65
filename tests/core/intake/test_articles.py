"""From a source to an Article: body, sentences in context, outlet, and restoring removed pieces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.errors import SourceError
from reader.intake.articles import build_article
from reader.intake.sources import load_source, pasted
from reader.model import RawDocument

DATA = Path(__file__).resolve().parents[2] / "data" / "intake"


def _flood() -> RawDocument:
    return load_source(str(DATA / "flood_blog.txt"))


def test_article_fields_and_exact_sentence_offsets() -> None:
    article = build_article(_flood(), "a2")
    assert article.id == "a2" and article.title == "River Lune bursts its banks as storm hits"
    assert article.outlet == "The Valley Courier"
    assert article.sentences[0].id == "a2.s1"
    paragraphs = article.body.split("\n\n")
    for s in article.sentences:
        assert article.body[s.start : s.end] == s.text
        assert s.text in paragraphs[s.paragraph]
    assert all("comment" not in r.reason or "martin_b" not in article.body for r in article.removed)


def test_outlet_argument_wins() -> None:
    assert build_article(_flood(), "a1", outlet="My Paper").outlet == "My Paper"


def test_restore_puts_removed_blocks_back_in_place() -> None:
    plain = build_article(_flood(), "a1")
    heading = next(r for r in plain.removed if r.text == "Rescue boats")
    glued = next(r for r in plain.removed if r.text == "Flooded high street")
    restored = build_article(_flood(), "a1", restore=frozenset({heading.position, glued.position}))
    paras = restored.body.split("\n\n")
    assert paras[0] == "Flooded high street"
    assert paras[1].startswith("Residents were evacuated")
    assert paras[paras.index("Rescue boats") + 1].startswith("Mountain rescue teams")
    assert paras.index("Rescue boats") == paras.index(next(p for p in paras if p.startswith("Councillor"))) + 1
    assert heading not in restored.removed and glued not in restored.removed
    assert len(restored.removed) == len(plain.removed) - 2


def test_restoring_the_comment_section_brings_comments_after_the_body() -> None:
    plain = build_article(_flood(), "a1")
    comments = frozenset(r.position for r in plain.removed if r.reason == "comment section")
    restored = build_article(_flood(), "a1", restore=comments)
    assert restored.body.endswith("Stay safe everyone in the valley!")


def test_all_comments_page_is_a_clear_error() -> None:
    with pytest.raises(SourceError, match=r"all_comments\.txt: no article text found after cleaning"):
        build_article(load_source(str(DATA / "all_comments.txt")), "a1")


def test_arabic_page_gives_arabic_sentences(tmp_path: Path) -> None:
    path = tmp_path / "arabic.txt"
    path.write_bytes((DATA / "arabic.txt").read_text(encoding="utf-8").encode("cp1256"))
    article = build_article(load_source(str(path)), "a1")
    assert len(article.sentences) == 5
    assert all(re.search(r"[\u0600-\u06FF]", s.text) for s in article.sentences)


def test_html_article_metadata_flows_through() -> None:
    article = build_article(load_source(str(DATA / "election.html")), "a1")
    assert article.outlet == "Nordland Daily" and article.published == "2023-09-11" and article.author == "Erik Lund"
    assert len(article.sentences) == 5


def test_pasted_article() -> None:
    raw = pasted("Quarry blast\n\nA blast at the quarry shook homes on Friday, police said.", "Echo")
    article = build_article(raw, "a1")
    assert article.outlet == "Echo" and article.source == "pasted: Echo" and article.title == "Quarry blast"


def test_demo_articles_keep_only_prose(demo_paths) -> None:
    for i, path in enumerate(demo_paths, start=1):
        article = build_article(load_source(str(path)), f"a{i}")
        assert len(article.sentences) >= 25, path.name
        assert article.outlet
        for s in article.sentences:
            assert any(ch.isalpha() for ch in s.text), "punctuation-only sentence"
            assert not re.search(r"[\u0600-\u06FF\u0400-\u04FF]", s.text), "non-Latin run in a Latin article"
            assert not re.search(r"javascript", s.text, re.IGNORECASE)
            assert len(s.text.split()) >= 3
    assert len({build_article(load_source(str(p)), "a1").outlet for p in demo_paths}) == 5


def test_a_book_length_text_is_refused_with_a_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_text("The council said the river rose again on Monday. " * 30_000, encoding="utf-8")
    with pytest.raises(SourceError, match=r"dump\.txt: .* far longer than a news article"):
        build_article(load_source(str(path)), "a1")


@pytest.mark.parametrize(
    "text",
    ["U.S. " * 5000 + ".", "word. " * 5000, "word " * 50_000, "The river rose again. " * 3000, "\x0b\x0c\x1b" * 10],
)
def test_pathological_text_gives_an_article_or_a_clear_error(text: str) -> None:
    try:
        article = build_article(RawDocument(source="odd.txt", text=text), "a1")
    except SourceError as err:
        assert "odd.txt" in str(err)
    else:
        assert all(article.body[s.start : s.end] == s.text for s in article.sentences)


@pytest.mark.parametrize("sentences", [70_000, 9_000])
def test_a_text_of_tens_of_thousands_of_sentences_is_refused_before_splitting(sentences: int, monkeypatch) -> None:
    """Issue 17, class 2: 70,000 short sentences fit under the size limit, then took 10 s to split and
    1.4 GB and minutes in the aligner. A rough count refuses them before the splitter ever runs."""
    import reader.intake.articles

    def never(*_args: object) -> None:
        raise AssertionError("the text was split before it was refused")

    monkeypatch.setattr(reader.intake.articles, "split_sentences", never)
    text = "Dams hold\n\n" + " ".join(f"Dam {i % 97} held." for i in range(sentences))
    with pytest.raises(SourceError, match=r"dams\.txt: about [\d,]+ sentences is far more"):
        build_article(RawDocument(source="dams.txt", text=text, filename="dams.txt"), "a1")


def test_an_article_just_over_the_sentence_limit_is_refused_after_splitting() -> None:
    from reader.intake.articles import MAX_SENTENCES

    text = "Dams hold\n\n" + " ".join(f"Dam number {i} held firm." for i in range(MAX_SENTENCES + 10))
    with pytest.raises(SourceError, match=rf"{MAX_SENTENCES + 10:,} sentences"):
        build_article(RawDocument(source="dams.txt", text=text, filename="dams.txt"), "a1")


def test_a_long_read_is_far_under_the_sentence_limit() -> None:
    text = "Long read\n\n" + "\n\n".join(
        " ".join(f"Paragraph {p} says that Dr. Lena Ostrov and the U.S. team met on day {s}." for s in range(5))
        for p in range(150)
    )
    assert len(build_article(RawDocument(source="long.txt", text=text), "a1").sentences) == 750
