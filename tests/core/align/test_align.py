"""The aligner against a brute-force reference, its invariants, and the prepare/group contract."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.align.features import (
    CANDIDATE_FLOOR,
    CENTRE_K,
    CTX_FLOOR,
    PIECE_CONTEXT,
    W_COS,
    W_CTX,
    W_LEX,
    W_PIECE,
    W_POS,
    PairTable,
    Pieces,
    centred,
    lexical_vectors,
    pair_table,
    piece_spans,
    relative_positions,
    split_pieces,
)
from reader.align.grouping import (
    LINK_SLACK,
    MAX_GROUPS_PER_SENTENCE,
    MAX_PER_OUTLET,
    ONE_SIDED_MARGIN,
    align,
    align_embeddings,
    cluster,
    group,
    prepare,
    threshold,
)
from reader.align.linking import RESTATE_MARGIN, RUN_GAP, RUN_MARGIN, TraceEvent
from reader.align.remarks import MIN_WORDS, SHARED_BELOW, quoted_words
from reader.align.remarks import PENALTY as REMARK_PENALTY
from reader.errors import Cancelled
from reader.progress import CancelToken

STORY = Path(__file__).resolve().parents[2] / "data" / "stories" / "tessel-flood"
WORDS = "flood river town police bridge power rain army school mayor toll vote court fire".split()


# --- random inputs -----------------------------------------------------------------------------------


def random_case(seed: int, n_articles: int, max_len: int, dim: int = 12):
    """Articles retelling a few shared 'facts' (centres) with noise, plus random texts for the lexical signal."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, max_len + 1, n_articles)
    article_of = np.repeat(np.arange(n_articles), sizes)
    centres = rng.standard_normal((max_len + 2, dim))
    fact = rng.integers(0, len(centres), len(article_of))
    emb = centres[fact] + rng.uniform(0.3, 1.2) * rng.standard_normal((len(article_of), dim))
    emb = (emb / np.linalg.norm(emb, axis=1, keepdims=True)).astype(np.float32)
    texts = [" ".join(rng.choice(WORDS, 4)) + f" {int(fact[r])}" for r in range(len(article_of))]
    return emb, article_of, lexical_vectors(texts)


def random_quotes(seed: int, n: int) -> list[set[str] | None]:
    """Per row, the words a sentence quotes (None: no quotation of remark length), so that some pairs share
    most of a quotation and others almost nothing."""
    rng = np.random.default_rng(seed + 2)
    return [
        set(rng.choice(WORDS, int(rng.integers(MIN_WORDS, 7)), replace=False)) if rng.random() < 0.5 else None
        for _ in range(n)
    ]


def quoted_texts(quotes: list[set[str] | None]) -> list[str]:
    return [f"He said “{' '.join(sorted(q))}” today." if q else "No quotation here." for q in quotes]


def random_pieces(seed: int, emb: np.ndarray) -> Pieces:
    """Some rows are 'long sentences' cut into two or three pieces: the row's vector, bent by noise."""
    rng = np.random.default_rng(seed + 1)
    vecs, owner = [], []
    for row in range(len(emb)):
        if rng.random() < 0.4:
            for _ in range(int(rng.integers(2, 4))):
                v = emb[row] + 0.8 * rng.standard_normal(emb.shape[1])
                vecs.append(v / np.linalg.norm(v))
                owner.append(row)
    dim = emb.shape[1]
    # half the cases as pieces pooled in their sentence's pass, half as pieces encoded alone
    in_context = bool(seed % 2)
    return Pieces(np.asarray(vecs, dtype=np.float32).reshape(-1, dim), np.asarray(owner, dtype=np.int64), in_context)


# --- brute-force reference ---------------------------------------------------------------------------


def reference_table(emb, article_of, lexical, pieces=None, quotes=None) -> PairTable:
    """Every pair, one at a time, in float64: the documented formula, no blocks, no top-k, no sorting tricks.
    ``quotes``: per row the set of words it quotes, or None."""
    n = len(article_of)
    # topic-relative: subtract n / (n + CENTRE_K) of the story's mean embedding, then unit length again
    raw = [[float(x) for x in row] for row in emb]
    dim = len(raw[0]) if raw else 0
    mean = [sum(row[d] for row in raw) / n for d in range(dim)]
    share = n / (n + CENTRE_K)

    def centre(row):
        v = [float(row[d]) - share * mean[d] for d in range(dim)]
        norm = sum(x * x for x in v) ** 0.5
        return np.asarray([x / norm for x in v], dtype=np.float64)

    emb = [centre(row) for row in raw]
    units = {r: [emb[r]] for r in range(n)}  # a sentence's units: itself and its pieces
    if pieces is not None:
        for vec, row in zip(pieces.emb, pieces.owner, strict=True):
            if pieces.in_context:  # pooled in its sentence's pass: PIECE_CONTEXT of the sentence taken out
                v = [float(vec[d]) - PIECE_CONTEXT * raw[int(row)][d] for d in range(dim)]
                norm = sum(x * x for x in v) ** 0.5
                vec = [x / norm for x in v]
            units[int(row)].append(centre(vec))
    dense_lex = lexical.to_scipy().toarray().astype(np.float64)
    pos = relative_positions(article_of)
    rows = [r for r in range(n)]
    prev = {r: max((q for q in rows if q < r and article_of[q] == article_of[r]), default=None) for r in rows}
    nxt = {r: min((q for q in rows if q > r and article_of[q] == article_of[r]), default=None) for r in rows}
    cos = {}
    lex = {}
    for i, j in itertools.combinations(range(n), 2):
        if article_of[i] != article_of[j]:
            c, lx = float(emb[i] @ emb[j]), float(dense_lex[i] @ dense_lex[j])
            if c >= CANDIDATE_FLOOR or lx >= CANDIDATE_FLOOR:
                if len(units[i]) > 1 or len(units[j]) > 1:
                    best = max(float(u @ v) for u in units[i] for v in units[j])
                    c = (1 - W_PIECE) * c + W_PIECE * best
                cos[i, j], lex[i, j] = c, lx

    def base(a, b):
        key = (min(a, b), max(a, b))
        if key not in cos:
            return 0.0
        return W_COS * cos[key] + W_LEX * lex[key]

    pairs = sorted(cos)
    score = {}
    ctx = {}
    for i, j in pairs:
        around = [base(a, b) for a, b in ((prev[i], prev[j]), (nxt[i], nxt[j])) if a is not None and b is not None]
        ctx[i, j] = max([0.0, *around])
        s = base(i, j) + W_CTX * max(0.0, ctx[i, j] - CTX_FLOOR) + W_POS * (0.5 - abs(pos[i] - pos[j]))
        qi, qj = (quotes[i], quotes[j]) if quotes else (None, None)
        if qi and qj and len(qi & qj) < SHARED_BELOW * min(len(qi), len(qj)):
            s -= REMARK_PENALTY  # two remarks
        score[i, j] = min(1.0, max(0.0, s))
    best: dict[tuple[int, int], float] = {}
    for (i, j), s in score.items():
        for a, other in ((i, j), (j, i)):
            key = (a, int(article_of[other]))
            best[key] = max(best.get(key, -1.0), s)
    mutual = [
        score[i, j] >= best[i, int(article_of[j])] and score[i, j] >= best[j, int(article_of[i])] for i, j in pairs
    ]
    arr = np.asarray
    return PairTable(
        arr([p[0] for p in pairs], dtype=np.int32), arr([p[1] for p in pairs], dtype=np.int32),
        arr([cos[p] for p in pairs], dtype=np.float32), arr([lex[p] for p in pairs], dtype=np.float32),
        arr([ctx[p] for p in pairs], dtype=np.float32), arr([score[p] for p in pairs], dtype=np.float32),
        arr(mutual, dtype=bool),
    )


def reference_cluster(table: PairTable, article_of, strictness: float) -> list[list[int]]:
    """The grouping rules written the slow, obvious way: lists of sets, everything recomputed."""
    art = [int(a) for a in article_of]
    t = threshold(strictness)
    tl = t - LINK_SLACK
    sc = {(int(a), int(b)): float(s) for a, b, s in zip(table.i, table.j, table.score, strict=True)}
    mu = {(int(a), int(b)): bool(m) for a, b, m in zip(table.i, table.j, table.mutual, strict=True)}

    def s(a, b):
        return sc.get((min(a, b), max(a, b)), 0.0)

    def adjacent(x, y):
        return not any(art[r] == art[x] for r in range(min(x, y) + 1, max(x, y)))

    def most(x, group):
        return bool(group) and 2 * sum(s(x, m) >= tl for m in group) > len(group)

    home = {r: {r} for r in range(len(art))}  # row -> its primary group (shared set objects)
    edges = sorted(sc, key=lambda p: (-sc[p], p[0], p[1]))
    left = []
    for a, b in edges:
        if sc[a, b] < t:
            break
        ga, gb = home[a], home[b]
        if ga is gb:
            continue
        if not mu[a, b] and sc[a, b] < t + ONE_SIDED_MARGIN:
            left.append((a, b))
            continue
        union = ga | gb
        per_art = {x: [r for r in union if art[r] == x] for x in {art[r] for r in union}}
        doubled = [v for v in per_art.values() if len(v) > 1]
        if {art[r] for r in ga} & {art[r] for r in gb} and not (
            len(doubled) == 1 and len(doubled[0]) == 2 and adjacent(*doubled[0])
        ):
            left.append((a, b))
            continue
        cross = [(x, y) for x in ga for y in gb if art[x] != art[y]]
        if 2 * sum(s(x, y) >= tl for x, y in cross) <= len(cross):
            left.append((a, b))
            continue
        for r in union:
            home[r] = union
    groups = {id(g): g for g in home.values()}
    extra = {}
    for (a, b), restating in [(e, False) for e in left] + [(e, True) for e in left]:
        moves = []
        for x, y in ((a, b), (b, a)):
            gx, gy = home[x], home[y]
            if restating:
                # y restates x's group's fact, y's outlet already there once (no split there yet)
                if y in gx or sum(art[m] == art[y] for m in gx) != 1 or len({art[m] for m in gx}) < len(gx):
                    continue
                if len(gy) > 1 and extra.get(y, 0) + 1 >= MAX_GROUPS_PER_SENTENCE:
                    continue
                others = [m for m in gx if art[m] != art[y]]
                (z,) = [m for m in gx if art[m] == art[y]]
                if any(y in g and z in g for g in groups.values()):
                    continue
                if len({art[m] for m in others}) >= 2:
                    restates = 2 * sum(s(y, m) >= t for m in others) > len(others)
                else:  # one other outlet: as close to it as the first sentence, well above t
                    restates = all(s(y, m) >= max(t + RESTATE_MARGIN, s(z, m) - LINK_SLACK) for m in others)
                if restates:
                    moves.append((sum(s(y, m) for m in others) / len(others), -1, x, y))
                continue
            same = [m for m in gy if art[m] == art[x]]
            others = [m for m in gy if art[m] != art[x]]
            no_split_yet = len({art[m] for m in gy}) == len(gy)
            splits = gx is not gy and len(gx) == 1 and len(same) == 1 and adjacent(x, same[0]) and no_split_yet
            if splits and most(x, others):
                moves.append((sum(s(x, m) for m in others) / len(others), 1, x, y))
            if id(gx) not in groups or y in gx or any(art[m] == art[y] for m in gx):
                continue
            if len(home[y]) == 1 or extra.get(y, 0) + 1 >= MAX_GROUPS_PER_SENTENCE or len(gx) < 2:
                continue
            if 2 * sum(s(y, m) >= t for m in gx) <= len(gx):  # most members at t itself
                continue
            moves.append((sum(s(y, m) for m in gx) / len(gx), 0, x, y))
        if moves:
            _, is_split, x, y = max(moves)
            if is_split == 1:
                home[y].add(x)
                del groups[id(home[x])]
                home[x] = home[y]
            elif is_split == -1 and len(home[y]) == 1:
                home[x].add(y)
                del groups[id(home[y])]
                home[y] = home[x]
            else:
                home[x].add(y)
                extra[y] = extra.get(y, 0) + 1
    return [list(g) for g in reference_runs([sorted(g) for g in groups.values()], art, s, t + RUN_MARGIN)]


def reference_runs(groups, art, s, bar):
    """Rule 6 the obvious way: every (group, nearby sentence) candidate weighed on the groups as they stood."""
    place = {r: sum(art[q] == art[r] for q in range(r)) for r in range(len(art))}
    cands = []
    for k, g in enumerate(groups):
        if len({art[m] for m in g}) < 2:
            continue
        for r in range(len(art)):
            mine = [m for m in g if art[m] == art[r]]
            if r in g or not mine or len(mine) >= MAX_PER_OUTLET:
                continue
            if min(abs(place[r] - place[m]) for m in mine) > RUN_GAP:
                continue
            others = [m for m in g if art[m] != art[r]]
            if 2 * sum(s(r, m) >= bar for m in others) > len(others):
                cands.append((-sum(s(r, m) for m in others) / len(others), min(g), r, k))
    gone = set()
    for _, _, r, k in sorted(cands):
        g = groups[k]
        if k in gone or r in g or sum(art[m] == art[r] for m in g) >= MAX_PER_OUTLET:
            continue
        mine = [q for q, h in enumerate(groups) if r in h and q not in gone]
        if len(mine) == 1 and len(groups[mine[0]]) == 1:
            gone.add(mine[0])
        elif len(mine) >= MAX_GROUPS_PER_SENTENCE:
            continue
        g.append(r)
    return sorted({tuple(sorted(g)) for q, g in enumerate(groups) if q not in gone})


# --- properties --------------------------------------------------------------------------------------

STRICTNESS = st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0])
cases = st.tuples(st.integers(0, 10_000), st.integers(2, 4), st.integers(1, 8), STRICTNESS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_features_match_brute_force(case):
    seed, n_articles, max_len, _ = case
    emb, article_of, lexical = random_case(seed, n_articles, max_len)
    pieces = random_pieces(seed, emb)
    quotes = random_quotes(seed, len(article_of))
    fast = pair_table(emb, article_of, lexical, pieces=pieces, quoted=quoted_words(quoted_texts(quotes)))
    slow = reference_table(emb, article_of, lexical, pieces, quotes)
    assert fast.i.tolist() == slow.i.tolist() and fast.j.tolist() == slow.j.tolist()
    for name in ("cos", "lex", "ctx", "score"):
        np.testing.assert_allclose(getattr(fast, name), getattr(slow, name), atol=2e-5, err_msg=name)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_grouping_matches_brute_force(case):
    seed, n_articles, max_len, strictness = case
    emb, article_of, lexical = random_case(seed, n_articles, max_len)
    pieces = random_pieces(seed, emb)
    table = pair_table(emb, article_of, lexical, pieces=pieces)
    assert sorted(cluster(table, article_of, strictness)) == reference_cluster(table, article_of, strictness)
    got = align_embeddings(emb, article_of, strictness=strictness, lexical=lexical, pieces=pieces)
    assert sorted(got) == reference_cluster(table, article_of, strictness)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_invariants(case):
    seed, n_articles, max_len, strictness = case
    emb, article_of, lexical = random_case(seed, n_articles, max_len)
    groups = align_embeddings(emb, article_of, strictness=strictness, lexical=lexical)
    seen = [r for g in groups for r in g]
    assert set(seen) == set(range(len(article_of)))  # every row somewhere
    assert all(len(g) == len(set(g)) for g in groups)  # no row twice in a group
    assert len({frozenset(g) for g in groups}) == len(groups)  # no group twice
    assert max(seen.count(r) for r in set(seen)) <= MAX_GROUPS_PER_SENTENCE
    for g in groups:
        per = {}
        for r in g:
            per.setdefault(int(article_of[r]), []).append(r)
        # a split, a restatement or a run: never more than MAX_PER_OUTLET sentences of one outlet, and a
        # group holding several of one outlet spans outlets (a fact one outlet tells alone is one sentence)
        assert all(len(rows) <= MAX_PER_OUTLET for rows in per.values())
        assert len(per) > 1 or len(g) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases, st.randoms(use_true_random=False))
def test_independent_of_article_order(case, rnd):
    seed, n_articles, max_len, strictness = case
    emb, article_of, _ = random_case(seed, n_articles, max_len)
    before = align_embeddings(emb, article_of, strictness=strictness)
    # Reorder whole articles (blocks of rows) and relabel them: the same sentences must group the same.
    labels = list(range(n_articles))
    rnd.shuffle(labels)
    new_rows = [r for a in labels for r in np.flatnonzero(article_of == a)]
    after = align_embeddings(emb[new_rows], [labels.index(int(article_of[r])) for r in new_rows], strictness=strictness)
    mapped = sorted(sorted(int(new_rows[r]) for r in g) for g in after)
    assert mapped == sorted(sorted(g) for g in before)


def test_chaining_is_blocked():
    # a ~ b and b ~ c strongly, but a and c are unrelated: a chain must not put all three together.
    e = np.zeros((3, 3), dtype=np.float32)
    e[0] = [1, 0, 0]
    e[1] = [0.7071, 0.7071, 0]
    e[2] = [0, 1, 0]
    e[2] += [0.0, 0.0, 0.001]
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    groups = align_embeddings(e, [0, 1, 2], strictness=0.3)
    assert [0, 1, 2] not in groups


def test_mutual_best_beats_one_sided_lookalike():
    # Article 0 has a sentence and its look-alike; article 1 reports only the first fact.
    true = np.array([1, 0.2, 0, 0], dtype=np.float32)
    look = np.array([0.85, 0, 0.5, 0], dtype=np.float32)
    other = np.array([0.98, 0.15, 0.1, 0], dtype=np.float32)
    between = np.array([0, 0, 0, 1], dtype=np.float32)
    # three sentences apart: neither a split nor a run (rule 6 reaches RUN_GAP sentences)
    e = np.stack([true, *[between] * RUN_GAP, between, look, other])
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    look_row, other_row = RUN_GAP + 2, RUN_GAP + 3
    groups = align_embeddings(e, [0] * (RUN_GAP + 3) + [1], strictness=0.5)
    assert [0, other_row] in groups and [look_row] in groups


def test_a_fact_restated_far_apart_sits_in_one_group():
    # Outlet 0 gives the fact in its first sentence and again in its fourth, with other facts between;
    # outlets 1 and 2 give it once. Both of outlet 0's sentences belong in the fact's group.
    fact = np.array([1, 0, 0, 0, 0, 0], dtype=np.float32)
    noise = np.eye(6, dtype=np.float32)[1:]
    e = np.stack([fact, noise[0], noise[1], fact + 0.15 * noise[2], fact + 0.1 * noise[3], fact + 0.1 * noise[4]])
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    groups = align_embeddings(e, [0, 0, 0, 0, 1, 2], strictness=0.5)
    assert [0, 3, 4, 5] in groups
    # With one other outlet there is no corroboration. A second sentence that gives the fact about as
    # closely as the first (wire copy stating it in the lede and again lower down) joins it...
    assert [0, 3, 4] in align_embeddings(e[[0, 1, 2, 3, 4]], [0, 0, 0, 0, 1], strictness=0.5)
    # ...one that matches the other outlet clearly less well than the first stays apart: it may be a
    # look-alike of the fact, and nothing but its partner vouches for it
    loose = e[[0, 1, 2, 3, 4]].copy()
    loose[3] = fact + 0.4 * noise[2]
    loose /= np.linalg.norm(loose, axis=1, keepdims=True)
    assert not any({0, 3} <= set(g) for g in align_embeddings(loose, [0, 0, 0, 0, 1], strictness=0.5))


def _merged_sentence_case(terse: int) -> tuple[np.ndarray, list[int]]:
    """Outlet 0 reports facts A and B in one sentence; outlet 1 reports A; outlets 2-5 report B, the
    last ``terse`` of them in other words (close to the other B sentences, far from outlet 0's)."""
    e = np.eye(8, dtype=np.float32)
    rows = [1.15 * e[0] + e[1], e[0] + 0.2 * e[2]]
    for k in range(4):
        rows.append(e[1] + 1.1 * e[6] + 0.4 * e[3 + k % 3] if k >= 4 - terse else e[1] + 0.2 * e[3 + k])
    emb = np.stack(rows)
    return emb / np.linalg.norm(emb, axis=1, keepdims=True), [0, 1, 2, 3, 4, 5]


def test_a_merged_sentence_joins_a_second_fact_that_most_outlets_confirm():
    # Outlet 0's sentence sits with outlet 1 (fact A) and also in fact B's group: it matches three of
    # B's four outlets; the fourth words B too tersely to match it. One weak member must not refuse it.
    emb, art = _merged_sentence_case(terse=1)
    groups = align_embeddings(emb, art, strictness=0.5)
    assert [0, 1] in groups and [0, 2, 3, 4, 5] in groups
    # matching only half of B's outlets is no corroboration: B's group stays without it
    emb, art = _merged_sentence_case(terse=2)
    groups = align_embeddings(emb, art, strictness=0.5)
    assert [0, 1] in groups and [2, 3, 4, 5] in groups


def _topic_story(seed: int, n_articles: int, n_facts: int, topic_weight: float):
    """Each article retells the same facts; every sentence also carries the story's shared topic."""
    rng = np.random.default_rng(seed)
    dim = 64
    topic = rng.standard_normal(dim)
    facts = rng.standard_normal((n_facts, dim))
    noise = 0.6 * rng.standard_normal((n_articles * n_facts, dim))
    rows = [topic_weight * topic + facts[r % n_facts] + noise[r] for r in range(n_articles * n_facts)]
    emb = np.asarray(rows)
    emb = (emb / np.linalg.norm(emb, axis=1, keepdims=True)).astype(np.float32)
    return emb, np.repeat(np.arange(n_articles), n_facts)


def test_centring_measures_similarity_against_the_story():
    # With a strong shared topic, raw cosines between different facts are high; centred ones are not,
    # while sentences reporting the same fact stay clearly alike.
    emb, article_of = _topic_story(3, 4, 10, topic_weight=1.5)
    fact = np.tile(np.arange(10), 4)
    cross = article_of[:, None] != article_of[None, :]
    same, other = cross & (fact[:, None] == fact[None, :]), cross & (fact[:, None] != fact[None, :])
    raw, cen = emb @ emb.T, centred(emb) @ centred(emb).T
    assert raw[other].mean() > 0.5  # the topic alone makes unrelated sentences look alike
    assert abs(cen[other].mean()) < 0.2
    assert cen[same].mean() - cen[other].mean() > raw[same].mean() - raw[other].mean()
    np.testing.assert_allclose(np.linalg.norm(centred(emb), axis=1), 1.0, atol=1e-5)


def test_centring_is_gentle_on_tiny_inputs():
    # Two sentences are not a story: subtracting their full mean would make them opposite (cosine -1).
    e = np.asarray([[1.0, 0.2, 0.0], [0.9, 0.0, 0.3]], dtype=np.float32)
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    c = centred(e)
    assert float(c[0] @ c[1]) > 0.5
    assert align_embeddings(e, [0, 1], strictness=0.5) == [[0, 1]]
    assert centred(np.zeros((0, 3), np.float32)).shape == (0, 3)


def test_strong_topic_does_not_glue_facts_together():
    emb, article_of = _topic_story(11, 4, 10, topic_weight=1.5)
    groups = align_embeddings(emb, article_of, strictness=0.5)
    fact = np.tile(np.arange(10), 4)
    assert all(len({int(fact[r]) for r in g}) == 1 for g in groups)  # no group mixes facts
    assert sum(len(g) == 4 for g in groups) >= 8  # and most facts are found in all four outlets


def test_split_pieces_cuts_long_sentences_at_punctuation():
    texts = [
        "The river burst its banks on Tuesday, flooding the lower town – and the bridge was closed by police.",
        "Officials said, however, that it held.",  # fragments under the minimum: not cut
        "No punctuation inside this fairly long sentence about the council vote",
    ]
    parts, owner = split_pieces(texts)
    assert owner == [0, 0, 0]
    assert parts == [
        "The river burst its banks on Tuesday",
        "flooding the lower town",
        "and the bridge was closed by police.",
    ]
    assert split_pieces([]) == ([], [])
    # the same pieces as character spans into the sentence (what the model pools them from)
    assert [texts[0][a:b] for a, b in piece_spans(texts[0])] == parts
    assert piece_spans(texts[1]) == [] and piece_spans("") == []
    spaced = "  The mayor spoke to the crowd ;  then the council met again at noon  "
    assert [spaced[a:b] for a, b in piece_spans(spaced)] == [
        "The mayor spoke to the crowd", "then the council met again at noon",
    ]


class PoolingFake:
    """The tests' fake embedder with the model's ``encode_pieces``: records what it was asked to pool."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.spans: list = []

    def encode(self, texts):
        return self.inner.encode(texts)

    def encode_pieces(self, texts, spans):
        from reader.embedding.minilm import PooledVectors

        self.spans.extend(zip(texts, spans, strict=True))
        owner = np.asarray([i for i, s in enumerate(spans) for _ in s], dtype=np.int64)
        parts = [t[a:b] for t, s in zip(texts, spans, strict=True) for a, b in s]
        pieces = self.inner.encode(parts) if parts else np.zeros((0, 384), np.float32)
        return PooledVectors(self.inner.encode(texts), pieces, owner)


def test_prepare_pools_pieces_from_the_sentences_pass(story_articles, fake_embedder, monkeypatch):
    """An embedder that pools pieces is asked for each sentence's piece spans (no piece sent as a text of its
    own), and its pieces reach the evidence marked as pooled in context."""
    import reader.align.grouping as grouping

    seen = []
    real_table = grouping.pair_table

    def spy(*args, **kwargs):
        seen.append(kwargs["pieces"])
        return real_table(*args, **kwargs)

    monkeypatch.setattr(grouping, "pair_table", spy)
    pooling = PoolingFake(fake_embedder)
    prepare(story_articles, pooling)
    texts = [s.text for a in story_articles for s in a.sentences]
    assert sorted(pooling.spans) == sorted((t, piece_spans(t)) for t in texts)  # in length-sorted batches
    n_pieces = sum(len(s) for _, s in pooling.spans)
    assert sum(fake_embedder.calls) == len(texts) + n_pieces
    assert seen[0].in_context and len(seen[0].owner) == n_pieces > 0
    prepare(story_articles, fake_embedder)  # an embedder that cannot pool: pieces encoded as texts
    assert not seen[1].in_context


def test_a_piece_of_a_long_sentence_finds_its_short_partner():
    # Article 0 reports two facts in one long sentence; article 1 reports only the first, briefly.
    rng = np.random.default_rng(2)
    dim = 32
    fact_a, fact_b, other = (rng.standard_normal(dim) for _ in range(3))
    long = fact_a + fact_b
    short = fact_a + 0.3 * rng.standard_normal(dim)
    filler = [rng.standard_normal(dim) for _ in range(6)]
    emb = np.stack([long, *filler[:3], short, other, *filler[3:]])
    emb = (emb / np.linalg.norm(emb, axis=1, keepdims=True)).astype(np.float32)
    article_of = [0, 0, 0, 0, 1, 1, 1, 1, 1]
    halves = np.stack([fact_a + 0.2 * rng.standard_normal(dim), fact_b + 0.2 * rng.standard_normal(dim)])
    pieces = Pieces((halves / np.linalg.norm(halves, axis=1, keepdims=True)).astype(np.float32), np.array([0, 0]))
    plain = pair_table(emb, article_of)
    cut = pair_table(emb, article_of, pieces=pieces)

    def cos_of(table, a, b):
        return float(table.cos[(table.i == a) & (table.j == b)][0])

    assert cos_of(cut, 0, 4) > cos_of(plain, 0, 4) + 0.05
    uncut = (plain.i != 0) & (plain.j != 0)  # pairs of uncut sentences keep their cosine
    assert uncut.any()
    np.testing.assert_allclose(cut.cos[(cut.i != 0) & (cut.j != 0)], plain.cos[uncut], atol=1e-6)


def test_no_dense_matrix_for_large_inputs():
    rng = np.random.default_rng(1)
    emb = rng.standard_normal((3000, 16)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    table = pair_table(emb, np.repeat(np.arange(60), 50))
    assert len(table.i) <= 3000 * 48  # top-k per row, not n^2
    assert table.score.dtype == np.float32


# --- prepare / group / align on a real story ---------------------------------------------------------


@pytest.fixture
def story_articles():
    from bench.corpus import load_articles

    return load_articles(sorted(STORY.glob("*.txt")))


def test_group_contract(story_articles, fake_embedder):
    basis = prepare(story_articles, fake_embedder)
    calls = len(fake_embedder.calls)
    for strictness in (0.0, 0.5, 1.0):
        groups = group(basis, strictness)
        assert [g.id for g in groups] == [f"g{k}" for k in range(1, len(groups) + 1)]
        ids = {s.id for a in story_articles for s in a.sentences}
        assert {sid for g in groups for sid in g.sentences} == ids
        order = {s.id: k for k, s in enumerate(s for a in story_articles for s in a.sentences)}
        for g in groups:
            assert list(g.sentences) == sorted(g.sentences, key=order.__getitem__)
            assert 0.0 <= g.score <= 1.0
    assert len(fake_embedder.calls) == calls, "moving the slider must not re-embed"
    loose = sum(len(g.sentences) > 1 for g in group(basis, 0.0))
    strict = sum(len(g.sentences) > 1 for g in group(basis, 1.0))
    assert strict <= loose


def test_story_order_follows_each_article(story_articles, fake_embedder):
    groups = align(story_articles, fake_embedder)
    first = {}
    for k, g in enumerate(groups):
        for sid in g.sentences:
            first.setdefault(sid, k)
    # Within one outlet, most consecutive sentences appear in rows that go forward.
    forward = total = 0
    for a in story_articles:
        rows = [first[s.id] for s in a.sentences]
        forward += sum(b >= a_ for a_, b in itertools.pairwise(rows))
        total += len(rows) - 1
    assert forward / total >= 0.7


def test_prepare_reports_progress_and_cancels(story_articles, fake_embedder):
    seen = []
    prepare(story_articles, fake_embedder, progress=seen.append)
    assert {p.stage for p in seen} >= {"embed", "align"}
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        prepare(story_articles, fake_embedder, cancel=token)


def test_empty_and_single_inputs(fake_embedder):
    from reader.model import Article, Sentence

    empty = Article("a1", "x", "X", "t", "", ())
    one = Article("a2", "y", "Y", "t", "Hello there.", (Sentence("a2.s1", "Hello there.", 0, 0, 12, "hello there."),))
    assert align([empty, one], fake_embedder) == align([one], fake_embedder)
    assert [g.sentences for g in align([empty, one], fake_embedder)] == [("a2.s1",)]
    assert align([empty, empty], fake_embedder) == ()
    assert align_embeddings(np.zeros((0, 384), np.float32), []) == []


def _run_case(far: bool):
    """Outlet 0 tells one fact over three sentences (each a different part of it), outlets 1 and 2 in one
    sentence each; outlet 0's fourth sentence is about something else. With ``far`` the third part sits
    after two unrelated sentences instead."""
    e = np.eye(10, dtype=np.float32)
    fact = e[0] + e[1]
    parts = [fact + 0.5 * e[2], fact + 0.5 * e[3], fact + 0.5 * e[4]]
    other = [e[5], e[6], e[7]]
    rows0 = [parts[0], parts[1], other[0], other[1], parts[2]] if far else [parts[0], parts[1], parts[2], other[0]]
    rows = [*rows0, fact + 0.3 * e[8], other[2], fact + 0.3 * e[9]]
    emb = np.stack(rows)
    art = [0] * len(rows0) + [1, 1, 2]
    return emb / np.linalg.norm(emb, axis=1, keepdims=True), art


def test_a_fact_told_over_three_sentences_sits_in_one_group():
    emb, art = _run_case(far=False)
    groups = align_embeddings(emb, art, strictness=0.5)
    assert [0, 1, 2, 4, 6] in groups
    # the third part far from the others (beyond RUN_GAP sentences) is not pulled in by the group alone
    emb, art = _run_case(far=True)
    groups = align_embeddings(emb, art, strictness=0.5)
    assert not any({0, 1, 4} <= set(g) for g in groups)


def test_a_nearby_lookalike_matching_one_outlet_only_stays_out():
    # Outlet 0's second sentence resembles outlet 1's version of the fact, not outlet 2's: it matches
    # half of the other outlets' members, not most, so the group does not take it (no chains).
    e = np.eye(8, dtype=np.float32)
    fact = e[0] + e[1]
    rows = [fact + 0.3 * e[2], e[3] + 0.9 * e[4], fact + 0.3 * e[4], fact + 0.3 * e[5]]
    emb = np.stack(rows)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    groups = align_embeddings(emb, [0, 0, 1, 2], strictness=0.5)
    assert [0, 2, 3] in groups and [1] in groups


def test_trace_reports_every_decision():
    emb, art = _run_case(far=False)
    table = pair_table(emb, np.asarray(art))
    events: list[TraceEvent] = []
    groups = cluster(table, np.asarray(art), 0.5, trace=events.append)
    assert groups == cluster(table, np.asarray(art), 0.5)  # tracing changes nothing
    t = threshold(0.5)
    links = [e for e in events if e.step == "link"]
    assert len(links) == int((table.score >= t).sum())  # one event per candidate pair at or above t
    assert all(e.outcome in {"linked", "already together", "one-sided", "shared outlet", "join majority"}
               for e in links)
    joined = [e for e in events if e.step != "link"]
    assert {e.step for e in joined} <= {"split", "merge", "restate", "run"}
    # every sentence that entered a group in a later pass sits in that group
    assert all(any({e.a, e.b} <= set(g) for g in groups) for e in joined)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(1, 6), st.sampled_from([-0.5, 0.0, 0.12, 0.3]))
def test_candidate_search_matches_brute_force_top_k(seed, k, floor):
    # Blocks of the upper triangle, survivors sorted, per-block pruning: the same pairs as "each row's k best
    # cross-article cosines at or above the floor, either side" computed on the full matrix.
    from reader.align import candidates

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 90))
    emb = rng.standard_normal((n, 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    art = rng.integers(0, int(rng.integers(2, 6)), n)
    full = emb.astype(np.float64) @ emb.T.astype(np.float64)
    want = set()
    for r in range(n):
        cols = [c for c in range(n) if art[c] != art[r] and full[r, c] >= floor]
        for c in sorted(cols, key=lambda c: -full[r, c])[:k]:
            want.add((min(r, c), max(r, c)))
    old = candidates.BLOCK
    try:
        candidates.BLOCK = 16  # several blocks, so the triangle and the pruning are exercised
        i, j, cos = candidates.cosine_candidates(emb, art, k, floor)
    finally:
        candidates.BLOCK = old
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == want
    np.testing.assert_allclose(cos, full[i, j], atol=1e-5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(1, 12), st.booleans())
def test_top_k_of_each_matches_sorting(seed, k, ties):
    # The binned first pass keeps exactly what sorting each row would: its k largest, ties to the earlier entry
    # (-0.0 and 0.0 are equal).
    from reader.align.candidates import top_k_of_each

    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 300))
    ends = rng.integers(0, int(rng.integers(1, 25)), m)
    values = rng.standard_normal(m).astype(np.float32)
    if ties:
        values = (np.round(values * 2) / 2).astype(np.float32)  # many equal values, and both zeros
    want = np.zeros(m, dtype=bool)
    for row in set(ends.tolist()):
        entries = [q for q in range(m) if ends[q] == row]
        for q in sorted(entries, key=lambda q: (-float(values[q]), q))[:k]:
            want[q] = True
    assert top_k_of_each(ends, values, k).tolist() == want.tolist()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(1, 6), st.sampled_from([0.05, 0.12, 0.3]))
def test_shared_word_candidates_match_brute_force(seed, k, floor):
    # Each row's k best shared-word scores at or above the floor (other articles), either side, from blocks
    # of the sparse product filtered on its own arrays.
    from reader.align import candidates

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 70))
    texts = [" ".join(rng.choice(WORDS, int(rng.integers(1, 6)))) for _ in range(n)]
    art = rng.integers(0, int(rng.integers(2, 5)), n)
    lex = lexical_vectors(texts).to_scipy()
    full = (lex @ lex.T).toarray()
    # short texts tie often, and which of equal scores is kept is arbitrary: compare up to ties
    kth = np.full(n, np.inf)
    for r in range(n):
        vals = sorted((full[r, c] for c in range(n) if art[c] != art[r] and full[r, c] >= floor), reverse=True)
        kth[r] = vals[k - 1] if len(vals) >= k else floor
    old = candidates.BLOCK
    try:
        candidates.BLOCK = 16
        i, j = candidates.lexical_candidates(lex, art, k, floor)
    finally:
        candidates.BLOCK = old
    got = set(zip(i.tolist(), j.tolist(), strict=True))
    eps = 1e-5
    for a, b in itertools.combinations(range(n), 2):
        v = full[a, b]
        if art[a] == art[b] or v < floor - eps:
            assert (a, b) not in got
        elif v > kth[a] + eps or v > kth[b] + eps:
            assert (a, b) in got  # strictly among one side's k best
        elif (a, b) in got:
            assert v >= min(kth[a], kth[b]) - eps  # a tie at one side's k-th place at most
    assert len(got) == len(set(got))
