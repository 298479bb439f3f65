"""Pair evidence for alignment: sparse candidate pairs and the signals a careful reader uses.

Nothing here depends on the strictness setting, so it is computed once per
comparison (``reader.align.grouping.prepare``) and the slider only re-runs grouping.

Signals, per candidate pair of sentences from different articles:
- ``cos``: topic-relative embedding cosine. Every sentence of one story shares
  its topic, so raw cosines are high everywhere and a look-alike about another
  incident can beat a true paraphrase. The story's mean embedding is
  subtracted first (``centred``), so the cosine measures how much more alike
  two sentences are than the rest of the story. On the answer keys this ranks
  true pairs better than raw cosine, than per-sentence z-scores and than the
  earlier k-nearest-neighbour margin (which was dropped). Wire sentences often
  carry two facts ("X said ..., as Y ..."), so a long sentence is also cut into
  pieces at punctuation and the best piece-to-piece (or piece-to-sentence)
  cosine is blended in: a short sentence that reports one half of a long one
  still finds it.
- ``lex``: shared rare words. Each sentence is a bag of content tokens
  weighted by inverse sentence frequency *within this comparison*, so words
  every outlet repeats ("said", the town's name in every line) weigh little and
  a surname or a figure two outlets share weighs a lot; numbers and
  capitalised words inside a sentence count extra. No word lists.
- ``ctx``: the neighbours agree. The evidence of the previous pair (i-1, j-1)
  or the next pair (i+1, j+1), so a follow-up ("the toll could not be
  verified") travels with the sentence it follows.
- ``score``: the three combined, in [0, 1], less a penalty when both sentences quote and the quotations
  share few words: two remarks, not one fact (``reader.align.remarks``).
- ``mutual``: the pair is each side's best match in the other's article: a
  sentence's rank among the other outlet's sentences means more than any
  absolute value.

Memory and speed: candidates come from ``reader.align.candidates`` (float32 blocks of the
upper triangle, values under the floor dropped at once, each row's top-k kept), so 20,000
sentences never need a dense all-pairs matrix; every later step works on the candidate arrays
(no Python loop per pair).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reader.align.candidates import candidate_pairs
from reader.align.remarks import PENALTY as REMARK_PENALTY
from reader.align.remarks import QuotedWords, distinct_remarks
from reader.align.wordproducts import Products
from reader.progress import NEVER, CancelToken, ProgressCallback, no_progress

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_SUFFIXES = ("ing", "ed", "es", "s")

# Weights of the combined score. Set by hand on our own test stories
# (tests/data/stories: tessel-flood, jirgal-quake) and checked, not tuned, on the demo's answer keys.
W_COS = 0.62  # on topic-relative cosines (see ``centred``)
W_LEX = 0.55
CENTRE_K = 20.0  # rows at which half the story's mean is subtracted; few rows say little about the topic
W_PIECE = 0.5  # share of the best piece cosine in ``cos``
# Share of its sentence's vector taken out of a piece pooled in context (``Pieces.in_context``). 0.5 gives
# the spread of pieces encoded alone; measured 0, 0.3, 0.5, 0.7: the tuning half is flat (pooled F1
# 0.402-0.405 against 0.406 encoded alone), and 0.7 is the one that keeps every invented story's floor
# (demo-full precision 0.51 at 0 and 0.5, 0.52 at 0.7; 0.55 with pieces encoded alone)
PIECE_CONTEXT = 0.7
PIECE_MIN_WORDS = 4  # shorter fragments ("officials said") carry no fact of their own
_PIECE_CUT = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
W_CTX = 0.30
CTX_FLOOR = 0.35  # neighbours below this say nothing
W_POS = 0.06  # a small prior: outlets reorder, but not wildly
CANDIDATE_FLOOR = 0.12  # pairs weaker than this on every signal are never candidates
TOP_K = 48


@dataclass(frozen=True)
class LexicalVectors:
    """Sentence-by-token weights (CSR, rows L2-normalised), built from the comparison's own text."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    vocabulary: int

    def products(self) -> Products:
        """Its products with itself, by numpy on a story's size (no scipy import: ``wordproducts``)."""
        return Products(self.indptr, self.indices, self.data, self.vocabulary)

    def to_scipy(self):
        from scipy.sparse import csr_matrix

        n = len(self.indptr) - 1
        return csr_matrix((self.data, self.indices, self.indptr), shape=(n, self.vocabulary))


@dataclass(frozen=True)
class PairTable:
    """Candidate pairs (i < j, different articles) and their strictness-independent evidence."""

    i: np.ndarray  # int32
    j: np.ndarray  # int32
    cos: np.ndarray  # float32
    lex: np.ndarray
    ctx: np.ndarray
    score: np.ndarray
    mutual: np.ndarray  # bool


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)][:8]
    return word[:8]


def tokens(text: str) -> list[tuple[str, float]]:
    """Content tokens with a boost: figures and mid-sentence capitals are the strongest anchors."""
    out: list[tuple[str, float]] = []
    for k, m in enumerate(_TOKEN.finditer(text)):
        tok = m.group(0)
        if tok[0].isdigit():
            out.append((re.sub(r"[.,](?=\d{3}\b)", "", tok), 1.5))
        elif len(tok) >= 3:
            name = k > 0 and tok[0].isupper()
            out.append((_stem(tok.lower()), 1.4 if name else 1.0))
    return out


def lexical_vectors(texts: Sequence[str]) -> LexicalVectors:
    vocab: dict[str, int] = {}
    rows: list[dict[int, float]] = []
    for text in texts:
        row: dict[int, float] = {}
        for tok, boost in tokens(text):
            col = vocab.setdefault(tok, len(vocab))
            row[col] = max(row.get(col, 0.0), boost)
        rows.append(row)
    df = np.zeros(len(vocab), dtype=np.float64)
    for row in rows:
        for col in row:
            df[col] += 1
    n = max(1, len(texts))
    idf = np.log((n + 1) / (df + 1))
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for row in rows:
        # a word every sentence uses weighs 0: left out, it would only fill the sparse products with zeros
        cols = [c for c in sorted(row) if idf[c] > 0]
        vals = [row[c] * idf[c] for c in cols]
        norm = math.sqrt(sum(v * v for v in vals)) or 1.0
        indices.extend(cols)
        data.extend(v / norm for v in vals)
        indptr.append(len(indices))
    return LexicalVectors(
        np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int32), np.asarray(data, dtype=np.float32),
        len(vocab),
    )


def neighbours(article_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Previous and next row of the same article (-1 at an article's edge), in matrix row order."""
    n = len(article_of)
    prev = np.full(n, -1, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    last: dict[int, int] = {}
    for row, art in enumerate(article_of.tolist()):
        if art in last:
            prev[row] = last[art]
            nxt[last[art]] = row
        last[art] = row
    return prev, nxt


def relative_positions(article_of: np.ndarray) -> np.ndarray:
    counts: dict[int, int] = {}
    index = np.zeros(len(article_of), dtype=np.float64)
    for row, art in enumerate(article_of.tolist()):
        index[row] = counts.get(art, 0)
        counts[art] = counts.get(art, 0) + 1
    sizes = np.asarray([counts[a] for a in article_of.tolist()], dtype=np.float64)
    return ((index + 0.5) / np.maximum(sizes, 1)).astype(np.float32)


@dataclass(frozen=True)
class Pieces:
    """Embeddings of parts of long sentences; ``owner[k]`` is the sentence row piece k comes from.

    ``in_context``: the vectors were pooled from the tokens of their sentence's own forward pass
    (``reader.embedding.embed.embed_with_pieces`` with the model), not encoded as texts of their own.
    Such a piece has read its whole sentence: its cosine to its sentence is 0.87 on average against
    0.63 for the same piece encoded alone (tuning half and invented stories), so the evidence first
    takes ``PIECE_CONTEXT`` of the sentence's vector out of it (``piece_residuals``)."""

    emb: np.ndarray
    owner: np.ndarray
    in_context: bool = False


def piece_spans(text: str) -> list[tuple[int, int]]:
    """Where a sentence is cut into pieces: at commas, semicolons, colons, brackets and dashes, pieces
    of at least PIECE_MIN_WORDS words, (start, end) character offsets without the spaces around them;
    only a sentence that gives two or more such pieces is cut (else []). Punctuation, not word lists,
    so it works the same for any outlet's style."""
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in [*_PIECE_CUT.finditer(text), None]:
        end = len(text) if cut is None else cut.start()
        part = text[start:end]
        a = start + len(part) - len(part.lstrip())
        b = start + len(part.rstrip())
        if b > a and len(text[a:b].split()) >= PIECE_MIN_WORDS:
            spans.append((a, b))
        if cut is not None:
            start = cut.end()
    return spans if len(spans) >= 2 else []


def split_pieces(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The pieces of every sentence as texts (``piece_spans``), and the row each comes from."""
    parts: list[str] = []
    owner: list[int] = []
    for row, text in enumerate(texts):
        for a, b in piece_spans(text):
            parts.append(text[a:b])
            owner.append(row)
    return parts, owner


def centred(emb: np.ndarray, mean: np.ndarray | None = None, n: int | None = None) -> np.ndarray:
    """Rows minus the story's mean embedding, L2-normalised again.

    Every sentence of one story shares its topic, so raw cosines are high
    everywhere; what tells two sentences report the same fact is how much more
    alike they are than the rest of the story. The mean is subtracted in part
    when there are few rows (weight n / (n + CENTRE_K)): the mean of a handful
    of sentences is those sentences, not the topic. The mean is summed in float64
    so it does not depend on row order; each row is then worked in float32 (the
    float64 copy of 20,000 rows cost a quarter of the evidence's time). ``mean``
    and ``n`` give the story's own mean and size when centring pieces of its sentences.
    """
    emb = np.asarray(emb, dtype=np.float32)
    if n is None:
        n = emb.shape[0]
    if emb.shape[0] == 0:
        return np.zeros_like(emb, dtype=np.float32)
    if mean is None:
        mean = emb.mean(axis=0, dtype=np.float64)
    out = emb - np.asarray((n / (n + CENTRE_K)) * np.asarray(mean, dtype=np.float64), dtype=np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", out, out))[:, None]
    out /= np.where(norms > 1e-6, norms, 1.0)
    return out


def pair_lexical(lexical: LexicalVectors | None, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    if lexical is None or len(i) == 0:
        return np.zeros(len(i), dtype=np.float32)
    return lexical.products().pairs(i, j)


def pair_cosine(emb: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    out = np.empty(len(i), dtype=np.float32)
    step = 65536
    for s in range(0, len(i), step):
        out[s : s + step] = np.einsum("ij,ij->i", emb[i[s : s + step]], emb[j[s : s + step]])
    return out


def piece_residuals(sentences: np.ndarray, pieces: Pieces) -> Pieces:
    """Pieces pooled in context minus ``PIECE_CONTEXT`` of their sentence's (raw) vector, unit length
    again: what the piece says beyond the sentence around it. Pieces encoded alone are returned as they are."""
    if not pieces.in_context or not len(pieces.owner):
        return pieces
    out = np.asarray(pieces.emb, dtype=np.float64) - PIECE_CONTEXT * np.asarray(sentences, np.float64)[pieces.owner]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    out = out / np.where(norms > 1e-12, norms, 1.0)
    return Pieces(out.astype(np.float32), pieces.owner, in_context=False)


def piece_cosine(
    emb: np.ndarray, pieces: Pieces, i: np.ndarray, j: np.ndarray, mean: np.ndarray, n: int
) -> np.ndarray:
    """Per pair, the best cosine between any unit of i and any unit of j, where a sentence's units are
    itself and its pieces (all centred on the story). Pairs of uncut sentences get their plain cosine."""
    pe = centred(pieces.emb, mean, n) if len(pieces.owner) else np.zeros((0, emb.shape[1]), np.float32)
    units = np.vstack([emb, pe])
    owner = np.concatenate([np.arange(n), np.asarray(pieces.owner, dtype=np.int64)])
    order = np.argsort(owner, kind="stable")
    count = np.bincount(owner, minlength=n)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    ca, cb = count[i], count[j]
    rep = (ca * cb).astype(np.int64)
    out = np.empty(len(i), dtype=np.float32)
    # chunks of about 65,536 unit pairs (not sentence pairs): memory stays ~200 MB at most whatever the cutting
    ends = np.cumsum(rep)
    bounds = np.searchsorted(ends, np.arange(0, int(ends[-1]) if len(ends) else 0, 65536), side="right")
    cuts = sorted({0, len(i), *bounds.tolist()})
    for lo, hi in itertools.pairwise(cuts):
        if hi <= lo:
            continue
        sl = slice(lo, hi)
        r = rep[sl]
        pid = np.repeat(np.arange(len(r)), r)
        k = np.arange(int(r.sum())) - np.repeat(np.cumsum(r) - r, r)
        ua = order[start[i[sl]][pid] + k // cb[sl][pid]]
        ub = order[start[j[sl]][pid] + k % cb[sl][pid]]
        dots = np.einsum("ij,ij->i", units[ua], units[ub])
        out[sl] = np.maximum.reduceat(dots, np.concatenate([[0], np.cumsum(r)[:-1]]))
    return out


def base_score(cos: np.ndarray, lex: np.ndarray) -> np.ndarray:
    return (W_COS * cos + W_LEX * lex).astype(np.float32)


def _lookup(keys: np.ndarray, values: np.ndarray, want: np.ndarray) -> np.ndarray:
    """values[key == want] for each wanted key, 0 where the pair is not a candidate."""
    out = np.zeros(len(want), dtype=np.float32)
    if len(keys) == 0:
        return out
    pos = np.clip(np.searchsorted(keys, want), 0, len(keys) - 1)
    hit = keys[pos] == want
    out[hit] = values[pos[hit]]
    return out


def context_score(
    i: np.ndarray, j: np.ndarray, base: np.ndarray, prev: np.ndarray, nxt: np.ndarray, n: int
) -> np.ndarray:
    """max(base(i-1, j-1), base(i+1, j+1)): the neighbours' agreement."""
    keys = i.astype(np.int64) * n + j
    order = np.argsort(keys)
    skeys, sbase = keys[order], base[order]
    best = np.zeros(len(i), dtype=np.float32)
    for side in (prev, nxt):
        a, b = side[i], side[j]
        ok = (a >= 0) & (b >= 0)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        vals = _lookup(skeys, sbase, np.where(ok, lo * n + hi, -1))
        best = np.maximum(best, np.where(ok, vals, 0.0))
    return best


def mutual_best(i: np.ndarray, j: np.ndarray, score: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """True where each side of the pair is the other's best candidate in that article."""
    m = len(i)
    if m == 0:
        return np.zeros(0, dtype=bool)
    n_art = int(article_of.max()) + 1
    # one slot per (sentence, other article) seen: the best score that sentence reaches there
    key_i = i.astype(np.int64) * n_art + article_of[j]
    key_j = j.astype(np.int64) * n_art + article_of[i]
    keys, inverse = np.unique(np.concatenate([key_i, key_j]), return_inverse=True)
    best = np.full(len(keys), -np.inf, dtype=np.float32)
    np.maximum.at(best, inverse, np.concatenate([score, score]))
    return (score >= best[inverse[:m]]) & (score >= best[inverse[m:]])


def pair_table(
    emb: np.ndarray,
    article_of: np.ndarray,
    lexical: LexicalVectors | None = None,
    positions: np.ndarray | None = None,
    *,
    k: int = TOP_K,
    pieces: Pieces | None = None,
    quoted: QuotedWords | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER,
) -> PairTable:
    article_of = np.asarray(article_of, dtype=np.int64)
    n = emb.shape[0]
    pos = relative_positions(article_of) if positions is None else np.asarray(positions, dtype=np.float32)
    raw = np.asarray(emb, dtype=np.float32)
    mean = raw.mean(axis=0, dtype=np.float64) if n else np.zeros(raw.shape[1] if raw.ndim == 2 else 0)
    emb = centred(raw, mean, n)
    i, j, cos, known = candidate_pairs(
        emb, article_of, lexical, k=k, floor=CANDIDATE_FLOOR, progress=progress, cancel=cancel
    )
    cancel.check()
    if not known.all():  # pairs only shared words found: their cosine was never computed
        cos[~known] = pair_cosine(emb, i[~known], j[~known])
    if pieces is not None and len(pieces.owner):
        units = piece_residuals(raw, pieces)
        cos = ((1.0 - W_PIECE) * cos + W_PIECE * piece_cosine(emb, units, i, j, mean, n)).astype(np.float32)
    lex = pair_lexical(lexical, i, j)
    base = base_score(cos, lex)
    prev, nxt = neighbours(article_of)
    ctx = context_score(i, j, base, prev, nxt, n)
    drift = np.abs(pos[i] - pos[j]) if len(i) else np.zeros(0, np.float32)
    score = base + W_CTX * np.maximum(0.0, ctx - CTX_FLOOR) + W_POS * (0.5 - drift)
    score = score - REMARK_PENALTY * distinct_remarks(quoted, i, j)
    score = np.clip(score, 0.0, 1.0).astype(np.float32)
    mutual = mutual_best(i, j, score, article_of)
    return PairTable(i.astype(np.int32), j.astype(np.int32), cos, lex, ctx.astype(np.float32), score, mutual)
