"""Real-news answer keys (bench/realkeys/*.json) and the score of one comparison against one key.

The key format is described in bench/README.md. A key names sentences by
``"NN|fragment"``: article NN (1-based, in file order) and a verbatim piece of one
of its sentences. Here a fragment is found in Parallax's own sentences (the one
holding most of it, since Parallax may split a sentence the writer kept whole); a
fragment that lies in the article's headline is *headline*: Parallax shows
headlines as titles and aligns only body sentences, so pairs and entries that rest
on a headline are counted apart, never silently dropped; a fragment that is in no
sentence (cleaning removed it) is *lost*, and every gold pair it is in counts as a
miss.

Everything here is pure: a key, the articles and a comparison in, frozen scores out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.model import Agreement, Article, Comparison, Discrepancy

HEADLINE = ".headline"  # suffix of the pseudo-id of an article's headline: "a2.headline"
LOST = ".lost|"  # infix of the pseudo-id of a sentence cleaning removed: "a2.lost|fragment"


def is_headline(sid: str) -> bool:
    return sid.endswith(HEADLINE)


def is_lost(sid: str) -> bool:
    return LOST in sid


def is_body(sid: str) -> bool:
    return not is_headline(sid) and not is_lost(sid)


# What kind of flag may stand for a key difference of each kind.
ACCEPTS = {
    "figure": {"figure"},
    "name": {"name"},
    "quote": {"quote", "wording"},
    "claim": {"claim", "wording"},
    "wording": {"wording", "quote", "claim"},
}
TWO_THINGS = frozenset({"two-things", "total-vs-part", "forecast-vs-current", "identifier"})
_STOP = frozenset(
    "a an the of to in on at by for and or but with from as is was were be been are that this it its he she they "
    "his her their said says".split()
)


class RealKeyError(Exception):
    """A key cannot be read or does not fit its cluster."""


@dataclass(frozen=True)
class Value:
    ref: str  # "NN|fragment"
    words: str


@dataclass(frozen=True)
class Entry:
    """A key difference, trap or agreement: what it is about and the words in each outlet."""

    kind: str
    what: str
    values: tuple[Value, ...]
    level: str = ""  # differences: "must" or "optional"
    value: str = ""  # agreements: the figure


@dataclass(frozen=True)
class Fact:
    label: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class RealKey:
    cluster: str
    complete: bool
    facts: tuple[Fact, ...]
    lookalikes: tuple[tuple[str, str], ...]
    differences: tuple[Entry, ...]
    traps: tuple[Entry, ...]
    agreements: tuple[Entry, ...]
    note: str = ""


def _entries(raw: object, field_name: str, path: Path) -> tuple[Entry, ...]:
    if not isinstance(raw, list):
        raise RealKeyError(f"{path.name}: '{field_name}' must be a list")
    out = []
    for i, item in enumerate(raw):
        values = item.get("values") if isinstance(item, dict) else None
        if not isinstance(values, list) or len(values) < 2:
            raise RealKeyError(f"{path.name}: {field_name} {i + 1} needs at least two values")
        vals = tuple(Value(str(v.get("at", "")), str(v.get("words", ""))) for v in values if isinstance(v, dict))
        out.append(
            Entry(
                kind=str(item.get("kind", "figure" if field_name == "agreements" else "")),
                what=str(item.get("what", "")),
                values=vals,
                level=str(item.get("level", "")),
                value=str(item.get("value", "")),
            )
        )
    return tuple(out)


def load_realkey(path: str | Path) -> RealKey:
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RealKeyError(f"{path.name}: cannot read ({type(exc).__name__})") from exc
    if not isinstance(raw, dict):
        raise RealKeyError(f"{path.name}: a key is a JSON object")
    facts = tuple(
        Fact(str(f.get("label", "")), tuple(str(r) for r in f.get("sentences", []))) for f in raw.get("facts", [])
    )
    looks = tuple((str(p[0]), str(p[1])) for p in raw.get("lookalikes", []) if isinstance(p, list) and len(p) == 2)
    return RealKey(
        cluster=str(raw.get("cluster", path.stem)),
        complete=bool(raw.get("complete", False)),
        facts=facts,
        lookalikes=looks,
        differences=_entries(raw.get("differences", []), "differences", path),
        traps=_entries(raw.get("traps", []), "traps", path),
        agreements=_entries(raw.get("agreements", []), "agreements", path),
        note=str(raw.get("note", "")),
    )


def _ws(text: str) -> str:
    return " ".join(text.split())


def tokens(text: str) -> set[str]:
    """Lower-case words and digit runs without accents or function words: 'Sánchez,' -> {'sanchez'}."""
    flat = unicodedata.normalize("NFKD", text.lower())
    flat = "".join(c for c in flat if not unicodedata.combining(c))
    return {t for t in re.findall(r"[a-z0-9]+", flat) if t not in _STOP}


class Locator:
    """``"NN|fragment"`` -> a sentence id of the comparison, or a headline or lost pseudo-id."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        self._flat: list[tuple[str, list[tuple[int, int, str]]]] = []
        for a in self.articles:
            pieces, spans, at = [], [], 0
            for s in a.sentences:
                t = _ws(s.text)
                spans.append((at, at + len(t), s.id))
                pieces.append(t)
                at += len(t) + 1
            self._flat.append((" ".join(pieces), spans))
        self._cache: dict[str, str] = {}

    def find(self, ref: str) -> str:
        if ref in self._cache:
            return self._cache[ref]
        num, sep, frag = ref.partition("|")
        if not sep or not num.strip().isdigit():
            raise RealKeyError(f"{ref!r} is not 'NN|fragment'")
        n, frag = int(num), _ws(frag)
        if not 1 <= n <= len(self.articles):
            raise RealKeyError(f"{ref!r}: no article {n:02d}")
        flat, spans = self._flat[n - 1]
        at = flat.find(frag)
        aid = self.articles[n - 1].id
        if at < 0:
            found = aid + HEADLINE if frag in _ws(self.articles[n - 1].title) else f"{aid}{LOST}{frag}"
        else:
            end = at + len(frag)
            found = max(spans, key=lambda sp: min(end, sp[1]) - max(at, sp[0]))[2]
        self._cache[ref] = found
        return found


Pair = tuple[str, str]


def _pairs(ids: Iterable[str]) -> set[Pair]:
    ordered = sorted(set(ids))
    return {(x, y) for i, x in enumerate(ordered) for y in ordered[i + 1 :] if x.split(".")[0] != y.split(".")[0]}


def _body(ids: Iterable[str]) -> list[str]:
    return [i for i in ids if is_body(i)]


@dataclass(frozen=True)
class AlignScore:
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int
    correct: int
    found: int  # gold pairs predicted
    lookalikes: int
    lookalikes_joined: int
    headline_pairs: int  # gold pairs with a headline side: not counted, Parallax aligns body sentences
    lost_sentences: int  # key sentences cleaning removed: their pairs count as misses
    missed: tuple[Pair, ...] = ()
    false: tuple[Pair, ...] = ()
    # Sentence level, what a reader of one row sees: of the sentences that have a counterpart in the key,
    # how many sit beside at least one (``sentences_found`` of ``sentences_gold``); of the partners shown
    # beside each sentence, the share that are true, summed over the sentences shown beside any
    # (``partner_share`` over ``sentences_shown``).
    sentences_gold: int = 0
    sentences_found: int = 0
    sentences_shown: int = 0
    partner_share: float = 0.0


def _partners(pairs: Iterable[Pair]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a, b in pairs:
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def score_alignment(key: RealKey, loc: Locator, comparison: Comparison) -> AlignScore:
    every: set[Pair] = set()
    for fact in key.facts:
        every |= _pairs(loc.find(r) for r in fact.refs)
    # Pairs with a headline side are reported apart; a lost sentence keeps its pseudo-id, so its pairs
    # stay in the gold set and can only be misses.
    gold = {p for p in every if not is_headline(p[0]) and not is_headline(p[1])}
    headline_pairs = len(every) - len(gold)
    lost = {loc.find(r) for f in key.facts for r in f.refs if is_lost(loc.find(r))}
    predicted: set[Pair] = set()
    for g in comparison.groups:
        predicted |= _pairs(g.sentences)
    named = {loc.find(r) for f in key.facts for r in f.refs} | {loc.find(r) for p in key.lookalikes for r in p}
    counted = predicted if key.complete else {p for p in predicted if p[0] in named and p[1] in named}
    looks: set[Pair] = set()
    for a, b in key.lookalikes:
        looks |= _pairs(_body((loc.find(a), loc.find(b))))
    correct = counted & gold
    precision, recall = _ratio(len(correct), len(counted)), _ratio(len(gold & predicted), len(gold))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    gold_of, shown_of = _partners(gold), _partners(counted)
    return AlignScore(
        precision=precision,
        recall=recall,
        f1=f1,
        gold=len(gold),
        predicted=len(counted),
        correct=len(correct),
        found=len(gold & predicted),
        lookalikes=len(looks),
        lookalikes_joined=len(looks & predicted),
        headline_pairs=headline_pairs,
        lost_sentences=len(lost),
        missed=tuple(sorted(gold - predicted)),
        false=tuple(sorted(counted - gold)),
        sentences_gold=len(gold_of),
        sentences_found=sum(1 for s, g in gold_of.items() if g & shown_of.get(s, set())),
        sentences_shown=len(shown_of),
        partner_share=sum(len(p & gold_of.get(s, set())) / len(p) for s, p in shown_of.items()),
    )


# --- differences, traps and agreements ------------------------------------------------------------


def _value_hits(entry: Entry, loc: Locator, spans: Sequence[tuple[str, str]]) -> bool:
    """Two of ``spans`` (sentence id, text), in different articles, each on a key value's sentence and words."""
    hit_articles: set[str] = set()
    for value in entry.values:
        sid = loc.find(value.ref)
        if not is_body(sid):
            continue
        want = tokens(value.words)
        for span_sid, text in spans:
            if span_sid == sid and (tokens(text) & want or not want):
                hit_articles.add(sid.split(".")[0])
    return len(hit_articles) >= 2


def _on_headline(entry: Entry, loc: Locator) -> bool:
    """Fewer than two outlets' values sit in body sentences: Parallax cannot compare it."""
    body = {loc.find(v.ref).split(".")[0] for v in entry.values if is_body(loc.find(v.ref))}
    return len(body) < 2 and any(is_headline(loc.find(v.ref)) for v in entry.values)


def flag_spans(d: Discrepancy) -> list[tuple[str, str]]:
    return [(v.sentence, v.text) for v in d.values]


def matches(entry: Entry, d: Discrepancy, loc: Locator, *, kind_matters: bool = True) -> bool:
    if kind_matters and d.kind not in ACCEPTS.get(entry.kind, {entry.kind}):
        return False
    return _value_hits(entry, loc, flag_spans(d))


@dataclass(frozen=True)
class FlagVerdict:
    flag: Discrepancy
    verdict: str  # "right", "trap" or "unmentioned"
    entry: Entry | None = None


@dataclass(frozen=True)
class AgreementVerdict:
    agreement: Agreement
    verdict: str  # "right", "not in key", "missing figure", "trap", "conflict", "duplicate"
    entry: Entry | None = None


@dataclass(frozen=True)
class DiffScore:
    must: int
    must_found: int
    optional: int
    optional_found: int
    headline_only: int  # key differences that rest on headlines (not counted above)
    flags: tuple[FlagVerdict, ...]
    missed: tuple[Entry, ...]
    agreements: tuple[AgreementVerdict, ...]
    key_agreements: int
    key_agreements_found: int
    extra: dict[str, int] = field(default_factory=dict)

    def count(self, verdict: str) -> int:
        return sum(1 for f in self.flags if f.verdict == verdict)

    def agreements_right(self) -> int:
        return sum(1 for a in self.agreements if a.verdict == "right")


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}


def numbers(text: str) -> set[float]:
    """The numbers a reader sees in ``text``: digits (commas dropped) and the number words up to twenty."""
    out = {float(m.group().replace(",", "")) for m in _NUMBER.finditer(text) if m.group().replace(",", "")}
    low = text.lower()
    out |= {float(n) for w, n in _WORDS.items() if re.search(rf"\b{w}\b", low)}
    scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion)", low):
        out.add(float(m.group(1)) * scale[m.group(2)])
    return out


def _agreement_verdict(
    a: Agreement, key: RealKey, loc: Locator, comparison: Comparison, seen: list[Agreement]
) -> AgreementVerdict:
    want = numbers(a.value)
    if want:
        for sid in a.sentences:
            have = numbers(comparison.sentence(sid).text)
            # Parallax may say a figure its own way ("2.5 million" for 2,500,000): either form counts.
            if not (want & have):
                return AgreementVerdict(a, "missing figure")
    spans = [(sid, a.value) for sid in a.sentences]
    for other in seen:
        if numbers(other.value) == want and len(set(other.sentences) & set(a.sentences)) >= 2:
            return AgreementVerdict(a, "duplicate")
    for d in key.differences:
        if d.kind == "figure" and _value_hits(d, loc, spans):
            return AgreementVerdict(a, "conflict", d)
    for t in key.traps:
        # Only a trap that says the figures are two things makes an agreement wrong; one that says a pair
        # is the same thing written two ways (a person more or less fully, a day as "Wednesday morning")
        # is what an agreement claims.
        if t.kind in TWO_THINGS and _value_hits(t, loc, spans):
            return AgreementVerdict(a, "trap", t)
    for k in key.agreements:
        if _value_hits(k, loc, spans):
            return AgreementVerdict(a, "right", k)
    return AgreementVerdict(a, "not in key")


def score_differences(key: RealKey, loc: Locator, comparison: Comparison) -> DiffScore:
    counted = [d for d in key.differences if not _on_headline(d, loc)]
    verdicts = []
    for flag in comparison.discrepancies:
        right = next((d for d in key.differences if matches(d, flag, loc)), None)
        if right is not None:
            verdicts.append(FlagVerdict(flag, "right", right))
            continue
        trap = next((t for t in key.traps if matches(t, flag, loc, kind_matters=False)), None)
        verdicts.append(FlagVerdict(flag, "trap", trap) if trap else FlagVerdict(flag, "unmentioned"))
    found = {id(v.entry) for v in verdicts if v.verdict == "right"}
    must = [d for d in counted if d.level == "must"]
    optional = [d for d in counted if d.level != "must"]
    seen: list[Agreement] = []
    agreements = []
    for a in comparison.agreements:
        agreements.append(_agreement_verdict(a, key, loc, comparison, seen))
        seen.append(a)
    key_found = {id(v.entry) for v in agreements if v.verdict == "right"}
    return DiffScore(
        must=len(must),
        must_found=sum(1 for d in must if id(d) in found),
        optional=len(optional),
        optional_found=sum(1 for d in optional if id(d) in found),
        headline_only=len(key.differences) - len(counted),
        flags=tuple(verdicts),
        missed=tuple(d for d in must + optional if id(d) not in found),
        agreements=tuple(agreements),
        key_agreements=len(key.agreements),
        key_agreements_found=sum(1 for k in key.agreements if id(k) in key_found),
    )
