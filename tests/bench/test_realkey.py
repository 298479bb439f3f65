"""The real-news scorer on a key and a comparison made by hand: every count is known, so a wrong one fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.realkey import Locator, is_headline, is_lost, load_realkey, score_alignment, score_differences
from reader.model import Agreement, Article, Comparison, Discrepancy, Group, Sentence, Span

# An invented ferry accident told by three outlets.
TEXTS = {
    "a1": (
        "Ferry sinks off Varna, nine rescued",
        [
            "The ferry Morska sank off Varna on Sunday night.",
            "Coastguards rescued nine passengers, Captain Ilse M. Toral Jr. said.",
            "The 40-year-old vessel was carrying 52 people.",
            "Route 7 services are suspended.",
        ],
    ),
    "a2": (
        "Varna ferry lost",
        [
            "A ferry went down near Varna late on Sunday.",
            "Eleven passengers were rescued, Toral said.",
            "The ship, built 40 years ago, had 52 people aboard.",
            "The port reopened on Monday.",
        ],
    ),
    "a3": (
        "Ferry disaster",
        [
            "The Morska sank on Sunday.",
            "Rescuers saved nine people.",
            "Officials said the port would reopen on Monday.",
        ],
    ),
}


def _articles() -> tuple[Article, ...]:
    out = []
    for aid, (title, sents) in TEXTS.items():
        body = " ".join(sents)
        sentences, at = [], 0
        for i, s in enumerate(sents, 1):
            sentences.append(Sentence(f"{aid}.s{i}", s, 0, at, at + len(s)))
            at += len(s) + 1
        out.append(Article(aid, f"{aid}.txt", aid.upper(), title, body, tuple(sentences)))
    return tuple(out)


def _span(arts, sid: str, words: str) -> Span:
    aid = sid.split(".")[0]
    s = next(a for a in arts if a.id == aid).sentence(sid)
    at = s.text.index(words)
    return Span(sid, words, at, at + len(words))


KEY = {
    "cluster": "ferry",
    "complete": True,
    "facts": [
        {
            "label": "sank on Sunday",
            "sentences": [
                "01|sank off Varna on Sunday",
                "02|went down near Varna",
                "03|The Morska sank",
                "02|Varna ferry lost",
            ],
        },
        {"label": "rescued", "sentences": ["01|Coastguards rescued nine", "02|Eleven passengers", "03|saved nine"]},
        {"label": "vessel", "sentences": ["01|40-year-old vessel", "02|built 40 years ago"]},
        {"label": "port", "sentences": ["02|port reopened on Monday", "03|port would reopen", "01|not in the text"]},
    ],
    "lookalikes": [["01|Route 7 services", "02|port reopened on Monday"]],
    "differences": [
        {
            "kind": "figure",
            "level": "must",
            "what": "rescued",
            "values": [
                {"at": "01|Coastguards rescued nine", "words": "nine"},
                {"at": "02|Eleven passengers", "words": "Eleven"},
            ],
        },
        {
            "kind": "claim",
            "level": "optional",
            "what": "port reopened or will",
            "values": [
                {"at": "02|port reopened on Monday", "words": "reopened"},
                {"at": "03|port would reopen", "words": "would reopen"},
            ],
        },
        {
            "kind": "name",
            "level": "must",
            "what": "headline only",
            "values": [
                {"at": "01|Ferry sinks off Varna", "words": "Ferry"},
                {"at": "03|Ferry disaster", "words": "Ferry"},
            ],
        },
    ],
    "traps": [
        {
            "kind": "same-person",
            "what": "captain more or less fully",
            "values": [
                {"at": "01|Captain Ilse M. Toral Jr. said", "words": "Captain Ilse M. Toral Jr."},
                {"at": "02|rescued, Toral said", "words": "Toral"},
            ],
        },
        {
            "kind": "identifier",
            "what": "route number",
            "values": [{"at": "01|Route 7 services", "words": "7"}, {"at": "02|port reopened", "words": "port"}],
        },
    ],
    "agreements": [
        {
            "what": "people aboard",
            "value": "52",
            "values": [
                {"at": "01|carrying 52 people", "words": "52"},
                {"at": "02|had 52 people aboard", "words": "52"},
            ],
        },
        {
            "what": "vessel age",
            "value": "40",
            "values": [{"at": "01|40-year-old vessel", "words": "40"}, {"at": "02|built 40 years ago", "words": "40"}],
        },
    ],
}


@pytest.fixture
def key(tmp_path: Path):
    path = tmp_path / "ferry.json"
    path.write_text(json.dumps(KEY))
    return load_realkey(path)


def test_fragments_are_found_in_sentences_headlines_or_marked_lost() -> None:
    loc = Locator(_articles())
    assert loc.find("01|sank off Varna on Sunday") == "a1.s1"
    assert loc.find("02|Eleven passengers") == "a2.s2"
    assert is_headline(loc.find("02|Varna ferry lost"))
    assert is_lost(loc.find("01|not in the text"))
    # a fragment that straddles two sentences goes to the one holding most of it
    assert loc.find("03|on Sunday. Rescuers saved nine people") == "a3.s2"


def test_alignment_counts(key) -> None:
    arts = _articles()
    groups = (
        Group("g1", ("a1.s1", "a2.s1", "a3.s1"), 0.9),  # 3 gold pairs
        Group("g2", ("a1.s2", "a3.s2"), 0.8),  # 1 gold pair; a2.s2 missed (2 pairs)
        Group("g3", ("a1.s4", "a2.s4", "a3.s3"), 0.5),  # look-alike a1.s4~a2.s4 joined: 2 false + 1 gold
        Group("g4", ("a1.s3",), 0.4),
        Group("g5", ("a2.s3",), 0.4),  # vessel pair missed
    )
    comp = Comparison(arts, groups, (), (), "m", 0.5)
    s = score_alignment(key, Locator(arts), comp)
    # gold: fact1 3 pairs (headline pairs apart: 2), fact2 3, fact3 1, fact4 1 + 2 with the lost sentence = 10
    assert (s.gold, s.headline_pairs, s.lost_sentences) == (10, 2, 1)
    assert (s.predicted, s.correct, s.found) == (7, 5, 5)
    assert s.precision == pytest.approx(5 / 7)
    assert s.recall == pytest.approx(5 / 10)
    assert (s.lookalikes, s.lookalikes_joined) == (1, 1)
    assert ("a1.s4", "a2.s4") in s.false
    # sentence level: 11 sentences have a gold partner (10 body sentences and the lost one); 7 sit beside
    # one: a1.s1 a2.s1 a3.s1, a1.s2 a3.s2, a2.s4 a3.s3 (a2.s2, a1.s3, a2.s3 and the lost one do not)
    assert (s.sentences_gold, s.sentences_found) == (11, 7)
    # shown beside others: a1.s1 a2.s1 a3.s1 (all true), a1.s2 a3.s2 (true), a1.s4 (0 of 2 true),
    # a2.s4 (1 of 2: a3.s3), a3.s3 (1 of 2: a2.s4)
    assert s.sentences_shown == 8
    assert s.partner_share == pytest.approx(5 + 0 + 0.5 + 0.5)


def test_flags_are_right_trap_or_not_in_key_and_musts_are_counted(key) -> None:
    arts = _articles()
    d = (
        Discrepancy(
            "d1",
            "figure",
            "g2",
            "nine vs eleven rescued",
            (_span(arts, "a1.s2", "nine"), _span(arts, "a2.s2", "Eleven")),
        ),
        Discrepancy(
            "d2",
            "name",
            "g2",
            "different names",
            (_span(arts, "a1.s2", "Captain Ilse M. Toral Jr."), _span(arts, "a2.s2", "Toral")),
        ),
        Discrepancy(
            "d3",
            "claim",
            "g3",
            "reopened vs would reopen",
            (_span(arts, "a2.s4", "reopened"), _span(arts, "a3.s3", "would reopen")),
        ),
        Discrepancy(
            "d4",
            "figure",
            "g1",
            "Sunday vs Sunday night",
            (_span(arts, "a1.s1", "Sunday night"), _span(arts, "a2.s1", "Sunday")),
        ),
        # the right sentences but a figure flag for a claim difference: not a match
        Discrepancy("d5", "figure", "g3", "Monday", (_span(arts, "a2.s4", "Monday"), _span(arts, "a3.s3", "Monday"))),
    )
    comp = Comparison(arts, (), d, (), "m", 0.5)
    s = score_differences(key, Locator(arts), comp)
    assert [f.verdict for f in s.flags] == ["right", "trap", "right", "unmentioned", "unmentioned"]
    assert (s.must, s.must_found, s.optional, s.optional_found, s.headline_only) == (1, 1, 1, 1, 1)
    assert s.missed == ()


def test_agreement_verdicts(key) -> None:
    arts = _articles()
    agreements = (
        Agreement("figure", "g4", "52", ("a1.s3", "a2.s3")),  # right
        Agreement("figure", "g4", "52", ("a1.s3", "a2.s3")),  # the same again
        Agreement("figure", "g2", "9", ("a1.s2", "a3.s2")),  # both say nine: not listed in the key
        Agreement("figure", "g2", "9", ("a1.s2", "a2.s2")),  # a2 says eleven: the figure is missing
        Agreement("figure", "g3", "7", ("a1.s4", "a2.s4")),  # "7" missing from a2.s4 before it is a trap
    )
    comp = Comparison(arts, (), (), agreements, "m", 0.5)
    s = score_differences(key, Locator(arts), comp)
    assert [a.verdict for a in s.agreements] == ["right", "duplicate", "not in key", "missing figure", "missing figure"]
    assert (s.key_agreements, s.key_agreements_found, s.agreements_right()) == (2, 1, 1)


def test_an_agreement_on_a_key_conflict_or_trap_is_wrong(tmp_path: Path) -> None:
    arts = _articles()
    changed = json.loads(json.dumps(KEY))
    people, age = changed.pop("agreements")
    changed["differences"].append(
        {"kind": "figure", "level": "must", "what": "52 people or 52 passengers", "values": people["values"]}
    )
    changed["traps"].append({"kind": "two-things", "what": "age vs years in service", "values": age["values"]})
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed))
    agreements = (
        Agreement("figure", "g4", "52", ("a1.s3", "a2.s3")),
        Agreement("figure", "g4", "40", ("a1.s3", "a2.s3")),
    )
    s = score_differences(load_realkey(path), Locator(arts), Comparison(arts, (), (), agreements, "m", 0.5))
    assert [a.verdict for a in s.agreements] == ["conflict", "trap"]


def test_a_trap_that_calls_a_pair_the_same_thing_does_not_make_its_agreement_wrong(tmp_path: Path) -> None:
    arts = _articles()
    changed = json.loads(json.dumps(KEY))
    changed["traps"].append(
        {"kind": "other", "what": "the same people counted alike", "values": changed["agreements"][0]["values"]}
    )
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed))
    agreements = (Agreement("figure", "g4", "52", ("a1.s3", "a2.s3")),)
    s = score_differences(load_realkey(path), Locator(arts), Comparison(arts, (), (), agreements, "m", 0.5))
    assert [a.verdict for a in s.agreements] == ["right"]
