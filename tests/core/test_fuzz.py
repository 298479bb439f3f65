"""Property tests (Hypothesis) on the pure core: odd text never raises, spans point at their text,
cleaning never invents words, and alignment does not care in which order articles were added."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.align.grouping import MAX_GROUPS_PER_SENTENCE, align_embeddings
from reader.differences.figures import find_figures
from reader.differences.names import find_names
from reader.differences.worddiff import fold, tokens, word_diff
from reader.errors import SourceError
from reader.intake.cleaning.page import clean
from reader.intake.segment import PARAGRAPH_SEPARATOR, split_sentences
from reader.model import RawDocument

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOWER = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words a news paragraph is made of, plus the debris real pages carry.
_WORDS = [
    "The", "river", "rose", "3", "metres", "on", "Tuesday", "Mayor", "Ana", "Lindqvist", "said", "U.S.", "Dr.",
    "1,200", "people", "were", "evacuated", "about", "80", "km", "(50", "miles)", "“We", "are", "ready,”", "she",
    "Comments", "Reply", "Share", "|", ",", "—", "...", "•", "-", "1.", "Photo:", "AP", "Loading…", "12:30",
    "1e308", "٣٠٠", "São", "Zürich", "إعصار", "洪水", "🌊", "a.m.", "Gen.", "Lt", "Jr.", "St.", "no.", "5%", "$4bn",
]
_END = [".", "!", "?", "", "…", ".”", ":"]


@st.composite
def sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14))
    return " ".join(words) + draw(st.sampled_from(_END))


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(sentence(), min_size=1, max_size=4)))


text_noise = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200
)
paragraphs = st.lists(st.one_of(paragraph(), paragraph(), text_noise), min_size=0, max_size=8)
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# --------------------------------------------------------------------------- cleaning


@FAST
@given(paras=paragraphs, sep=st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n \n"]))
def test_cleaning_plain_text_never_raises_and_never_invents_text(paras: list[str], sep: str) -> None:
    text = sep.join(paras)
    try:
        cleaned = clean(RawDocument("fuzz.txt", text))
    except SourceError:
        return  # a one-line refusal is an honest answer
    source = squash(text)
    assert len(cleaned.positions) == len(cleaned.paragraphs)
    for kept in (*cleaned.paragraphs, *(r.text for r in cleaned.removed), cleaned.title):
        # Cleaning may cut a glued caption or a bullet off a block's front, never write a word.
        assert squash(kept) in source, kept


@SLOWER
@given(paras=st.lists(paragraph(), min_size=1, max_size=6), heading=paragraph())
def test_cleaning_html_never_raises_and_never_invents_text(paras: list[str], heading: str) -> None:
    def html_safe(s: str) -> str:
        return s.replace("&", " ").replace("<", " ").replace(">", " ")

    paras = [html_safe(p) for p in paras]
    body = "".join(f"<p>{p}</p>" for p in paras)
    head = html_safe(heading)
    page = f"<html><head><title>{head}</title></head><body><h1>{head}</h1>{body}</body></html>"
    try:
        cleaned = clean(RawDocument("fuzz.html", page, is_html=True))
    except SourceError:
        return
    source = squash(" ".join([html_safe(heading), *paras]))
    for kept in cleaned.paragraphs:
        assert squash(kept) in source, kept


# --------------------------------------------------------------------------- sentences


@FAST
@given(paras=st.lists(st.one_of(paragraph(), text_noise), max_size=6))
def test_sentence_spans_are_exact_ordered_and_disjoint(paras: list[str]) -> None:
    paras = [p for p in paras if "\n\n" not in p]  # a paragraph never holds the separator itself
    body = PARAGRAPH_SEPARATOR.join(paras)
    sentences = split_sentences(paras, "a1")
    previous_end = 0
    for n, s in enumerate(sentences, start=1):
        assert s.id == f"a1.s{n}"
        assert body[s.start : s.end] == s.text and s.text.strip()
        assert s.start >= previous_end, "sentences overlap or run backwards"
        assert body[s.start : s.end] in paras[s.paragraph]
        previous_end = s.end


# --------------------------------------------------------------------------- figures and names


@FAST
@given(text=st.one_of(paragraph(), text_noise, st.text(alphabet="0123456789.,eE+-٠١٢٣ %$km ", max_size=60)))
def test_figures_are_exact_substrings_in_reading_order(text: str) -> None:
    figures = find_figures(text)
    for f in figures:
        assert text[f.start : f.end] == f.text and f.text
        if f.low is not None and f.high is not None:
            assert not (np.isnan(f.low) or np.isnan(f.high))
    assert [f.start for f in figures] == sorted(f.start for f in figures)


@FAST
@given(text=st.one_of(paragraph(), text_noise))
def test_names_and_their_roles_are_exact_substrings(text: str) -> None:
    for n in find_names(text):
        assert text[n.start : n.end] == n.text and n.text.strip()
        if n.role_start >= 0:
            assert text[n.role_start : n.role_start + len(n.role)] == n.role


# --------------------------------------------------------------------------- word diff


@FAST
@given(a=st.one_of(paragraph(), text_noise), b=st.one_of(paragraph(), text_noise))
def test_word_diff_chunks_cover_both_texts_consistently(a: str, b: str) -> None:
    chunks = word_diff(a, b)
    ta, tb = tokens(a), tokens(b)
    seen_a: list[str] = []
    seen_b: list[str] = []
    last_a = last_b = 0
    for c in chunks:
        assert last_a <= c.a_start <= c.a_end <= len(a) and last_b <= c.b_start <= c.b_end <= len(b)
        in_a = [t.norm for t in ta if c.a_start <= t.start and t.end <= c.a_end]
        in_b = [t.norm for t in tb if c.b_start <= t.start and t.end <= c.b_end]
        if c.tag == "equal":
            assert in_a == in_b and in_a
        elif c.tag == "delete":
            assert in_a and not in_b
        elif c.tag == "insert":
            assert in_b and not in_a
        else:
            assert in_a and in_b
        seen_a += in_a
        seen_b += in_b
        last_a, last_b = c.a_end, c.b_end
    assert seen_a == [t.norm for t in ta], "every word of a in exactly one chunk, in order"
    assert seen_b == [t.norm for t in tb]
    if fold(a).split() == fold(b).split():
        assert all(c.tag == "equal" for c in chunks)


# --------------------------------------------------------------------------- alignment


@st.composite
def stories(draw: st.DrawFn) -> tuple[np.ndarray, list[int]]:
    """Articles retelling some of a pool of facts (a fact vector plus noise), in their own order."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_articles = draw(st.integers(2, 5))
    dim = 24
    facts = rng.standard_normal((draw(st.integers(2, 10)), dim))
    noise = draw(st.sampled_from([0.05, 0.3, 0.6, 1.5]))
    rows, article_of = [], []
    for a in range(n_articles):
        for f in rng.integers(0, len(facts), draw(st.integers(1, 8))):
            rows.append(facts[f] + noise * rng.standard_normal(dim))
            article_of.append(a)
    emb = np.asarray(rows, dtype=np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    return emb, article_of


def _as_sets(groups: list[list[int]], label: list[tuple[int, int]]) -> set[frozenset[tuple[int, int]]]:
    return {frozenset(label[r] for r in g) for g in groups}


def _labels(article_of: list[int]) -> list[tuple[int, int]]:
    seen: dict[int, int] = {}
    out = []
    for a in article_of:
        out.append((a, seen.get(a, 0)))
        seen[a] = seen.get(a, 0) + 1
    return out


@SLOWER
@given(story=stories(), strictness=st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0]))
def test_alignment_groups_every_sentence_never_twice(story, strictness: float) -> None:
    emb, article_of = story
    groups = align_embeddings(emb, article_of, strictness=strictness)
    counts = np.zeros(len(article_of), dtype=int)
    for g in groups:
        assert g and len(set(g)) == len(g), "a sentence twice in one group"
        counts[g] += 1
    assert counts.min() >= 1, "a sentence left out of every group"
    assert counts.max() <= MAX_GROUPS_PER_SENTENCE
    assert len({frozenset(g) for g in groups}) == len(groups), "the same group twice"


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(story=stories(), order=st.randoms(use_true_random=False), strictness=st.sampled_from([0.2, 0.5, 0.8]))
def test_alignment_does_not_depend_on_the_order_articles_were_added(story, order, strictness: float) -> None:
    emb, article_of = story
    n_articles = max(article_of) + 1
    perm = list(range(n_articles))
    order.shuffle(perm)
    # Re-stack the rows article by article in the new order, each article keeping its reading order.
    rows = [r for a in perm for r in range(len(article_of)) if article_of[r] == a]
    emb2 = emb[rows]
    article_of2 = [perm.index(article_of[r]) for r in rows]  # renumbered: the first added is article 0
    first = _as_sets(align_embeddings(emb, article_of, strictness=strictness), _labels(article_of))
    label2 = [_labels(article_of)[r] for r in rows]
    second = _as_sets(align_embeddings(emb2, article_of2, strictness=strictness), label2)
    assert first == second


def _seeded_story(seed: int) -> tuple[np.ndarray, list[int]]:
    """The same kind of story as ``stories``, from a plain seed: a counterexample Hypothesis once found."""
    rng = np.random.default_rng(seed)
    n_articles, dim = int(rng.integers(2, 6)), 24
    facts = rng.standard_normal((int(rng.integers(2, 11)), dim))
    noise = [0.05, 0.3, 0.6, 1.5][int(rng.integers(0, 4))]
    rows, article_of = [], []
    for a in range(n_articles):
        for f in rng.integers(0, len(facts), int(rng.integers(1, 9))):
            rows.append(facts[f] + noise * rng.standard_normal(dim))
            article_of.append(a)
    emb = np.asarray(rows, dtype=np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    return emb, article_of


def test_alignment_order_independence_on_a_found_counterexample() -> None:
    emb, article_of = _seeded_story(7)
    perm = [4, 0, 3, 1, 2]
    rows = [r for a in perm for r in range(len(article_of)) if article_of[r] == a]
    article_of2 = [perm.index(article_of[r]) for r in rows]
    label = _labels(article_of)
    for strictness in (0.2, 0.5, 0.8):
        first = _as_sets(align_embeddings(emb, article_of, strictness=strictness), label)
        second = _as_sets(align_embeddings(emb[rows], article_of2, strictness=strictness), [label[r] for r in rows])
        assert first == second, strictness


def test_alignment_of_nothing_and_of_one_sentence() -> None:
    assert align_embeddings(np.zeros((0, 8), dtype=np.float32), []) == []
    one = np.ones((1, 8), dtype=np.float32) / np.sqrt(8)
    assert align_embeddings(one, [0]) == [[0]]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_alignment_survives_broken_vectors(value: float) -> None:
    rng = np.random.default_rng(1)
    emb = rng.standard_normal((6, 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    emb[2, 3] = value
    groups = align_embeddings(emb, [0, 0, 0, 1, 1, 1])
    assert {r for g in groups for r in g} == set(range(6)), "a damaged vector costs its match, not the comparison"


# --------------------------------------------------------------------------- bytes from anywhere

_TAGS = ["p", "div", "span", "article", "nav", "script", "style", "table", "td", "li", "ul", "h1", "iframe", "a",
         "b", "br", "img", "figure", "figcaption", "aside", "footer", "header", "section", "noscript", "svg"]


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    parts = ["<html><body>"]
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(_TAGS))
        if kind == 0:
            parts.append(f"<{tag}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(paragraph()))
    return "".join(parts)


@SLOWER
@given(page=tag_soup())
def test_cleaning_tag_soup_never_raises(page: str) -> None:
    try:
        cleaned = clean(RawDocument("soup.html", page, is_html=True))
    except SourceError:
        return
    assert all(p.strip() for p in cleaned.paragraphs)


@FAST
@given(data=st.one_of(st.binary(max_size=3000), st.text(max_size=500).map(lambda t: t.encode("utf-8", "replace"))))
def test_any_bytes_decode_or_are_refused_in_one_line(data: bytes) -> None:
    from reader.intake.decode import decode_bytes

    try:
        text = decode_bytes(data, "fuzz.txt")
    except SourceError as exc:
        assert "\n" not in str(exc) and "fuzz.txt" in str(exc)
    else:
        assert isinstance(text, str)


@SLOWER
@given(data=st.binary(min_size=1, max_size=4000))
def test_any_file_becomes_an_article_with_exact_spans_or_one_line(tmp_path_factory, data: bytes) -> None:
    from reader.pipeline import load_each

    path = tmp_path_factory.mktemp("fuzz") / "any.txt"
    path.write_bytes(data)
    outcome = load_each([str(path)])[0]
    if outcome.article is None:
        assert outcome.error and "\n" not in outcome.error
    else:
        a = outcome.article
        assert all(a.body[s.start : s.end] == s.text for s in a.sentences)


def _valid_project_bytes() -> bytes:
    from reader.project.projectfile import encode, new_project

    return encode(new_project((RawDocument("a.txt", "River rises.\n\nTown floods.", filename="a.txt"),
                               RawDocument("b.txt", "Flood hits town.", filename="b.txt"))))


@FAST
@given(edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255), st.booleans()),
                      min_size=1, max_size=6))
def test_damaged_project_bytes_load_or_fail_in_one_line(edits: list[tuple[float, int, bool]]) -> None:
    from reader.errors import ProjectError
    from reader.project.projectfile import decode

    data = bytearray(_valid_project_bytes())
    for where, byte, delete in edits:
        at = int(where * len(data))
        if delete:
            del data[at:]
        elif at < len(data):
            data[at] = byte
    try:
        project = decode(bytes(data), "fuzz.parallax")
    except ProjectError as exc:
        assert "\n" not in str(exc)
    else:
        assert 0.0 <= project.strictness <= 1.0


_OUTLETS = ["Reuters", "REUTERS", "Reuters (2)", "Straße", "STRASSE", "AP", "ap (3)"]


@FAST
@given(names=st.lists(st.one_of(st.sampled_from(_OUTLETS), st.text(min_size=1, max_size=12)), max_size=12))
def test_outlet_names_are_made_distinct_and_keep_their_order(names: list[str]) -> None:
    from reader.intake.outlet import distinct_outlets

    out = distinct_outlets(names)
    assert len(out) == len(names)
    assert len({n.casefold() for n in out}) == len(out), out
    assert all(o == n or o.startswith(n + " (") for o, n in zip(out, names, strict=True))


# --------------------------------------------------------------------------- the whole pipeline


_PROSE = ("rescue teams reached the flooded villages north of the river on Tuesday after the bridge "
          "collapsed and officials said about 300 families had been moved to schools").split()


@st.composite
def prose(draw: st.DrawFn) -> str:
    """A paragraph the cleaner keeps: sentences of ordinary words that end with a full stop."""
    sentences = []
    for _ in range(draw(st.integers(1, 3))):
        words = draw(st.lists(st.sampled_from(_PROSE), min_size=7, max_size=16))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


@SLOWER
@given(articles=st.lists(st.tuples(prose(), st.lists(st.one_of(prose(), paragraph(), text_noise), max_size=5)),
                         min_size=2, max_size=4))
def test_any_set_of_articles_compares_to_valid_json_or_one_line(articles: list[tuple[str, list[str]]]) -> None:
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fakes import FakeEmbedder
    from schema import check_source_compare

    from reader.errors import ParallaxError
    from reader.intake.sources import pasted
    from reader.pipeline import compare
    from reader.reports.jsonout import to_json

    try:
        raws = [pasted("\n\n".join([first, *paras]), f"Outlet {k}") for k, (first, paras) in enumerate(articles)]
        c = compare(raws, FakeEmbedder())
    except ParallaxError as exc:
        assert "\n" not in str(exc)
        return
    doc = json.loads(json.dumps(to_json(c), allow_nan=False))
    check_source_compare(doc)
    for d in c.discrepancies:
        for v in d.values:
            assert c.sentence(v.sentence).text[v.start : v.end] == v.text


# --------------------------------------------------------------------------- outputs (issue 17, class 1)

ALIASES = ["absolute", "relative", "dot-slash", "trailing-space", "leading-space", "trailing-tab", "parent-hop",
           "double-slash", "tilde", "symlink", "symlinked-folder", "hard-link"]
KINDS = ["json", "html", "md", "csv", "pdf", "worksheet"]


@pytest.fixture(scope="module")
def story_and_aliases(tmp_path_factory: pytest.TempPathFactory):
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from hostile import QUAKE_A, path_aliases

    home = tmp_path_factory.mktemp("home")
    story = home / "news" / "v.txt"
    story.parent.mkdir()
    story.write_text(QUAKE_A, encoding="utf-8")
    scratch = tmp_path_factory.mktemp("links")
    old_home, old_cwd = os.environ.get("HOME"), os.getcwd()
    os.environ["HOME"] = str(home)
    os.chdir(home)
    try:
        yield story, path_aliases(story, home=home, cwd=home, scratch=scratch)
    finally:
        os.chdir(old_cwd)
        if old_home is None:
            os.environ.pop("HOME")
        else:
            os.environ["HOME"] = old_home


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source_alias=st.sampled_from(ALIASES), output_alias=st.sampled_from(ALIASES), kind=st.sampled_from(KINDS))
def test_an_output_naming_a_source_any_way_is_refused(story_and_aliases, source_alias: str, output_alias: str,
                                                      kind: str) -> None:
    """However the source and the output are written, one file is one file (checked in-process; the
    command line's end-to-end runs are in test_cli.py)."""
    from reader.errors import ParallaxError
    from reader.reports.export import plan_exports

    _story, aliases = story_and_aliases
    with pytest.raises(ParallaxError, match="one of the sources") as err:
        plan_exports([(kind, aliases[output_alias])], [aliases[source_alias]])
    assert "\n" not in str(err.value)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.sampled_from(ALIASES), second=st.sampled_from(ALIASES),
       kinds=st.lists(st.sampled_from(KINDS), min_size=2, max_size=2, unique=True))
def test_two_outputs_naming_one_file_are_refused(story_and_aliases, first: str, second: str,
                                                 kinds: list[str]) -> None:
    from reader.errors import ParallaxError
    from reader.reports.export import plan_exports

    _story, aliases = story_and_aliases
    with pytest.raises(ParallaxError, match="same file"):
        plan_exports([(kinds[0], aliases[first]), (kinds[1], aliases[second])])
