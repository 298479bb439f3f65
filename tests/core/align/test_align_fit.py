"""The pair-model experiment's tools (bench/fitpairs.py): word overlaps, rival gap, logistic fit."""

from __future__ import annotations

import itertools

import numpy as np

from bench.fitpairs import LOCAL_FEATURES, fit_logistic, pair_overlaps, rival_gap, text_signals

COL = {n: k - 3 for k, n in enumerate(LOCAL_FEATURES) if k >= 3}


def _overlaps(texts, a=0, b=1):
    return pair_overlaps(text_signals(texts), np.asarray([a]), np.asarray([b]))[0]


def test_transliterated_names_and_number_words_meet():
    texts = [
        "Rescuers reached Kholmatov village where nine people died.",
        "In Xolmatov, 9 residents were killed, rescuers said.",
        "The bridge over the river reopened on Monday.",
    ]
    got = _overlaps(texts)
    assert got[COL["names"]] == 1.0 and got[COL["numbers"]] == 1.0
    other = _overlaps(texts, 0, 2)
    assert other[COL["names"]] == 0.0 and other[COL["numbers"]] == 0.0


def test_containment_sees_a_shortened_sentence_inside_a_long_one():
    short = "The dam burst after three days of rain."
    long = "The dam burst after three days of rain, flooding two districts as the army sent boats and the mayor asked"
    texts = [short, long + " for calm.", "Schools stay closed."]
    got = _overlaps(texts)
    assert got[COL["contain"]] > 0.9 > got[COL["jaccard"]]
    assert got[COL["length"]] < 0.5


def test_rival_gap_matches_brute_force():
    rng = np.random.default_rng(3)
    art = np.asarray([0, 0, 0, 1, 1, 2, 2, 2])
    pairs = [(a, b) for a, b in itertools.combinations(range(len(art)), 2) if art[a] != art[b]]
    i = np.asarray([p[0] for p in pairs])
    j = np.asarray([p[1] for p in pairs])
    base = rng.random(len(pairs)).round(1)  # ties on purpose
    got = rival_gap(i, j, base, art)
    val = dict(zip(pairs, base, strict=True))
    for k, (a, b) in enumerate(pairs):
        rivals = [v for (x, y), v in val.items() if (x, y) != (a, b) and (
            (a in (x, y) and art[y if x == a else x] == art[b]) or (b in (x, y) and art[y if x == b else x] == art[a]))]
        assert np.isclose(got[k], base[k] - max(rivals, default=0.0))


def test_logistic_fit_recovers_the_direction():
    rng = np.random.default_rng(0)
    x = rng.random((4000, 2))
    y = (rng.random(4000) < 1 / (1 + np.exp(-(6 * x[:, 0] - 3)))).astype(float)
    w, b = fit_logistic(x, y, 1e-6)
    assert abs(w[0] - 6) < 1.0 and abs(w[1]) < 0.6 and abs(b + 3) < 0.6
