"""Quotes across outlets, across the whole story: the same speaker's words shortened, extended or reworded.

A quote is matched by its words, wherever the aligner put its sentence: the same remark is often quoted
in the lead by one outlet and ten paragraphs down by another. Each quote is paired at most once with
each other outlet (its closest version there), so two separate remarks by one speaker are never read as
one remark worded differently. Who said a quote is read from its sentence, or, when the sentence only
says "he" or nothing at all, from the paragraph around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from reader.differences.mentions import Mention, outlets_of, quoted, span_of
from reader.differences.names import SAME_PERSON, find_names, name_relation
from reader.differences.quotecompare import QuoteDiff, compare_stretches, cut_short, in_context
from reader.differences.quotes import Quote, QuoteWord, find_quotes, pieces, quote_words, quoted_spans, speaker_label
from reader.model import Article, Discrepancy, Group

_FLAGGED = ("shortened quote", "extended quote", "reworded quote", "reordered quote", "cut short")
_WEAK_PAIR = frozenset("the a an of in on at to for and or is was it that we i".split())


@dataclass(frozen=True)
class Said:
    """One quote in one outlet's sentence, with the speaker the story gives it."""

    at: Mention
    quote: Quote
    speaker: tuple[str, ...]  # core name tokens, () when nobody is named
    label: str  # the name as written, for summaries


def _people(text: str, before: int | None = None) -> list[tuple[tuple[str, ...], str]]:
    """Named people in ``text`` (up to ``before``), in reading order, as (core tokens, name as written). A name
    inside quotation marks is someone the speaker talks about, never the speaker."""
    inside = quoted_spans(text)
    return [
        (n.tokens, n.text)
        for n in find_names(text)
        if n.kind == "person"
        and n.tokens
        and (before is None or n.end <= before)
        and not any(s <= n.start and n.end <= e for s, e in inside)
    ]


def attributed_quotes(articles: Sequence[Article], index: dict[str, Mention]) -> list[Said]:
    """Every quote of every article with its speaker: named in its sentence; a pronoun resolved to the nearest
    person named before it in the paragraph (or at the end of the one before); a sentence that is all quote
    takes the speaker of the quote next to it in the paragraph. Otherwise the speaker stays unknown."""
    out: list[Said] = []
    for article in articles:
        paragraph = -1
        last_person: tuple[tuple[str, ...], str] | None = None
        previous_person: tuple[tuple[str, ...], str] | None = None
        run: list[int] = []  # this paragraph's quotes, as positions in ``out``
        for s in article.sentences:
            if s.paragraph != paragraph:
                _fill_from_neighbours(out, run)
                previous_person, last_person, run, paragraph = last_person, None, [], s.paragraph
            m = index.get(s.id)
            for q in find_quotes(s.text) if m is not None else ():
                who = _speaker_of(q, s.text, [out[k] for k in run], last_person or previous_person)
                out.append(Said(m, q, *(who or ((), ""))))  # type: ignore[arg-type]
                run.append(len(out) - 1)
                if who:
                    last_person = who
            people = _people(s.text)
            if people:
                last_person = people[-1]
        _fill_from_neighbours(out, run)
    return out


def _speaker_of(
    q: Quote, text: str, earlier: Sequence[Said], nearest: tuple[tuple[str, ...], str] | None
) -> tuple[tuple[str, ...], str] | None:
    if q.speaker_name:
        return q.speaker_name, speaker_label(q)
    if q.speaker_is_pronoun:
        here = _people(text, q.start)
        return here[-1] if here else nearest
    if not q.speaker and len(q.text) >= 0.6 * len(text.strip()):
        return next(((s.speaker, s.label) for s in reversed(earlier) if s.speaker), None)
    return None  # a phrase that names nobody ("the statement"), or a few words quoted inside narration


def _fill_from_neighbours(out: list[Said], run: list[int]) -> None:
    """A paragraph's whole-sentence quotes with no speaker yet take the next named one after them
    ("“We had no warning.” “The water came at night,” Ruiz said.")."""
    for pos, k in enumerate(run):
        said = out[k]
        if said.speaker or said.quote.speaker or len(said.quote.text) < 0.6 * len(said.at.sentence.text.strip()):
            continue
        later = next((out[j] for j in run[pos + 1 :] if out[j].speaker), None)
        if later is not None:
            out[k] = Said(said.at, said.quote, later.speaker, later.label)


@dataclass(frozen=True)
class _Unit:
    """A quote, or one stretch of it between ellipses, as compared; ``parts`` names the stretches it covers."""

    said: int  # position in the list of Said
    quote: Quote
    parts: frozenset[tuple[int, int]]


def _units(said: Sequence[Said]) -> list[_Unit]:
    out = []
    for k, s in enumerate(said):
        parts = pieces(s.quote)
        ids = frozenset((k, p) for p in range(len(parts)))
        out.append(_Unit(k, s.quote, ids))
        if len(parts) > 1:
            out.extend(_Unit(k, part, frozenset({(k, p)})) for p, part in enumerate(parts))
    return out


def _candidates(units: Sequence[_Unit], said: Sequence[Said]) -> list[tuple[int, int]]:
    """Pairs of units from different outlets that share two words in a row (not both very common)."""
    postings: dict[tuple[str, str], list[int]] = {}
    for u, unit in enumerate(units):
        words = unit.quote.words
        for pair in set(pairwise(words)):
            if not (pair[0] in _WEAK_PAIR and pair[1] in _WEAK_PAIR):
                postings.setdefault(pair, []).append(u)
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        for i, u in enumerate(ids):
            for v in ids[i + 1 :]:
                if said[units[u].said].at.outlet != said[units[v].said].at.outlet:
                    pairs.add((min(u, v), max(u, v)))
    return sorted(pairs)


# What follows a quote the writer closes with a comma and hands to its speaker: `,” Ana Ruiz said.`, `,” said the
# mayor.` (the speaker's sentence, as the outlet tells it, ends there).
_ATTRIBUTION_AFTER = re.compile(
    r"^,?\s*[”\"’']\s*,?\s*(?:[\w.’'-]+\s+){0,6}?(?:said|says|told|added|adds|wrote|writes|explained|stated)\b[^“\"”]*$",
    re.I,
)


def _closed_before_attribution(d: QuoteDiff, a: Said, b: Said) -> QuoteDiff:
    """“The levee was never built for this,” the engineer said. against a version that quotes on (“..., and we
    warned the state twice”): cut short, as a quote closed with a full stop is. Not when the outlet quotes on
    after the attribution (“We will rebuild,” he said, “and ...”): then the sentence holds another quote."""
    for x, sx, flip in ((d.a, a, False), (d.b, b, True)):
        after = sx.at.sentence.text[x.end :]
        if not _ATTRIBUTION_AFTER.match(after):
            continue
        other = d.a if flip else d.b
        if not _starts_a_sentence(x, other):
            continue  # a middle stretch of the other's sentence ("... I think this is X, and Y"): ordinary quoting
        closed = Quote(x.text.rstrip(" ,") + ".", x.start, x.end, x.speaker, x.speaker_name)
        cut = cut_short(other, closed) if flip else cut_short(closed, other)
        if cut is not None:
            return QuoteDiff("cut short", d.a, d.b, (cut,), d.matched, d.longest)
    return d


def _starts_a_sentence(short: Quote, long: Quote) -> bool:
    """Does the other version's sentence start where the short one does (its first words open the other quote,
    or follow a full stop there)?"""
    ws, wl = quote_words(short.text), quote_words(long.text)
    if len(ws) < 3:
        return False
    head = tuple(w.norm for w in ws[:3])
    for k in range(len(wl) - 2):
        if tuple(w.norm for w in wl[k : k + 3]) == head:
            before = long.text[: wl[k].start].rstrip()
            return not before or before[-1] in ".!?:"
    return False


def _speakers_clash(a: Said, b: Said) -> bool:
    return bool(a.speaker and b.speaker) and name_relation(a.speaker, b.speaker) not in SAME_PERSON


@dataclass
class _Finding:
    sides: list[list[_Unit]]  # [one version's units, the other version's units]
    diff: QuoteDiff


def story_quote_findings(
    articles: Sequence[Article], groups: Sequence[Group], index: dict[str, Mention]
) -> list[Discrepancy]:
    said = attributed_quotes(articles, index)
    units = _units(said)
    scored = []
    clashing: list[tuple[int, int, QuoteDiff]] = []
    for u, v in _candidates(units, said):
        a, b = said[units[u].said], said[units[v].said]
        d = compare_stretches(units[u].quote, units[v].quote)
        if d.relation == "unrelated":
            continue
        if d.relation == "part":
            d = _closed_before_attribution(d, a, b)
        if _speakers_clash(a, b):
            if d.longest >= _ATTRIBUTED_RUN:
                clashing.append((u, v, d))
            continue
        scored.append((d.matched, -len(units[u].parts) - len(units[v].parts), u, v, d))
    # Each quote (or stretch) meets each other outlet once, its closest version there first.
    used: set[tuple[tuple[int, int], str]] = set()
    chosen: list[_Finding] = []
    for _, _, u, v, d in sorted(scored, key=lambda x: (-x[0], -x[1], x[2], x[3])):
        ou, ov = said[units[u].said].at.outlet, said[units[v].said].at.outlet
        keys = {(p, ov) for p in units[u].parts} | {(p, ou) for p in units[v].parts}
        if keys & used:
            continue
        used |= keys
        if d.relation in _FLAGGED:
            chosen.append(_Finding([[units[u]], [units[v]]], d))
    found = [_discrepancy(f, said, groups) for f in _merged(chosen)]
    # One passage credited to two named people, when neither outlet has it from the same person elsewhere.
    for u, v, d in sorted(clashing, key=lambda x: (-x[2].matched, x[0], x[1])):
        ou, ov = said[units[u].said].at.outlet, said[units[v].said].at.outlet
        keys = {(p, ov) for p in units[u].parts} | {(p, ou) for p in units[v].parts}
        if not keys & used:
            used |= keys
            one = _misattributed(said[units[u].said], units[u], said[units[v].said], units[v], d, groups)
            if one is not None:
                found.append(one)
    return [d for d in found if d.group]  # a sentence in no group (a partial grouping) has no row to show it


# Words in a row two quotes must share before two different speakers for them say something: a short
# stock phrase ("we are doing everything we can") may well come from two people.
_ATTRIBUTED_RUN = 5


def _misattributed(a: Said, ua: _Unit, b: Said, ub: _Unit, d: QuoteDiff, groups: Sequence[Group]) -> Discrepancy | None:
    """One passage, two named speakers, in sentences aligned as one fact. In sentences about different facts
    two people sharing a phrase ("on the wrong side of history") is more likely than a slip."""
    values = (span_of(a.at, ua.quote.start, ua.quote.end), span_of(b.at, ub.quote.start, ub.quote.end))
    home, apart = _home([v.sentence for v in values], groups)
    if apart:
        return None
    wa = _w(d.a)
    blocks = [m for m in SequenceMatcher(None, d.a.words, d.b.words, autojunk=False).get_matching_blocks() if m.size]
    shared = d.a.text[wa[blocks[0].a].start : wa[blocks[-1].a + blocks[-1].size - 1].end]  # first to last shared word
    summary = (
        f"Quote attributed to different people: {quoted(shared, 60)} is {a.label or 'unnamed'}'s in "
        f"{a.at.outlet}, {b.label or 'unnamed'}'s in {b.at.outlet}"
    )
    why = (
        f"Both quote the same passage ({d.longest} words in a row are the same), each naming another speaker: "
        "one outlet may have the speaker wrong, or both people said it"
    )
    outlets = outlets_of([a.at, b.at])
    return Discrepancy("", "quote", home, summary, values, outlets, "attributed differently", 0.5, why=why)


def _merged(found: list[_Finding]) -> list[_Finding]:
    """One finding per difference: "A and C leave out X that B quotes", not A vs B and C vs B apart."""
    out: list[_Finding] = []
    for f in found:
        fit = next(((g, side) for g in out if (side := _fit(g, f)) is not None), None)
        if fit is None:
            out.append(f)
            continue
        g, (theirs, extra) = fit
        g.sides[theirs].extend(x for x in extra if x not in g.sides[theirs])
    return out


def _fit(g: _Finding, f: _Finding) -> tuple[int, list[_Unit]] | None:
    """Where ``f`` joins ``g``: they share a version on one side and give the same words on the other."""
    if g.diff.relation != f.diff.relation:
        return None
    for mine in (0, 1):
        for theirs in (0, 1):
            shared = {x.quote for x in g.sides[theirs]} & {x.quote for x in f.sides[mine]}
            if shared and f.sides[1 - mine][0].quote.words == g.sides[1 - theirs][0].quote.words:
                return 1 - theirs, f.sides[1 - mine]
    return None


def _discrepancy(f: _Finding, said: Sequence[Said], groups: Sequence[Group]) -> Discrepancy:
    a_units, b_units = f.sides
    if f.diff.a not in {u.quote for u in a_units}:
        a_units, b_units = b_units, a_units  # the diff was made the other way round
    a_said = [said[u.said] for u in a_units]
    b_said = [said[u.said] for u in b_units]
    label = max((s.label for s in a_said + b_said), key=len, default="")  # the fullest form: "Mira Solberg"
    by = f" by {label}" if label else ""
    a_out, b_out = outlets_of([s.at for s in a_said]), outlets_of([s.at for s in b_said])
    names_a, names_b = ", ".join(a_out), ", ".join(b_out)
    rel = f.diff.relation
    left, right = in_context(f.diff.a, f.diff.b)
    if rel == "reordered quote":
        summary = (
            f"Quote{by}: the same words in another order: {quoted(f.diff.a.text, 60)} ({names_a}) vs "
            f"{quoted(f.diff.b.text, 60)} ({names_b})"
        )
        conf = 0.75
    elif rel == "reworded quote":
        summary = f"Quote{by} worded differently: {quoted(left, 60)} ({names_a}) vs {quoted(right, 60)} ({names_b})"
        conf = 0.75
    else:
        a_has_more = all(op[0] == "delete" for op in f.diff.ops)
        extra = " … ".join(
            f.diff.a.text[_w(f.diff.a)[i1].start : _w(f.diff.a)[i2 - 1].end]
            if a_has_more
            else f.diff.b.text[_w(f.diff.b)[j1].start : _w(f.diff.b)[j2 - 1].end]
            for _, i1, i2, j1, j2 in f.diff.ops
        )
        long_names, short_names = (names_a, names_b) if a_has_more else (names_b, names_a)
        long_n, short_n = (len(a_out), len(b_out)) if a_has_more else (len(b_out), len(a_out))
        if rel == "cut short":
            short_quote = f.diff.b if a_has_more else f.diff.a
            words = short_quote.text.split()
            end = " ".join(words) if len(words) <= 8 else "… " + " ".join(words[-5:])
            summary = (
                f"Quote{by} cut short: {short_names} {_verb(short_n, 'ends', 'end')} the sentence at {quoted(end)}, "
                f"where {long_names} {_verb(long_n, 'quotes', 'quote')} on: {quoted(extra, 60)}"
            )
            conf = 0.45
        elif rel == "extended quote":
            summary = (
                f"Quote{by}: {long_names} {_verb(long_n, 'adds', 'add')} {quoted(extra, 60)} in brackets, "
                f"which {short_names} {_verb(short_n, 'does', 'do')} not have"
            )
            conf = 0.75
        else:
            short_quote = f.diff.b if a_has_more else f.diff.a
            marked = " (marked with an ellipsis)" if short_quote.has_ellipsis else ""
            around = left if a_has_more else right
            where = f" (“{around}”)" if len(extra.split()) <= 3 and around != extra and len(around) <= 60 else ""
            summary = (
                f"Quote{by} shortened: {short_names} {_verb(short_n, 'leaves', 'leave')} out {quoted(extra, 60)}"
                f"{where}{marked} that {long_names} {_verb(long_n, 'quotes', 'quote')}"
            )
            conf = 0.8
    if not label and f.diff.longest < 5:
        conf = 0.55  # nobody named and little in common: worth a look, not a finding
    cited = zip(a_said + b_said, a_units + b_units, strict=True)
    values = tuple(span_of(s.at, u.quote.start, u.quote.end) for s, u in cited)
    home, apart = _home([v.sentence for v in values], groups)
    of = f" of {label}" if label else ""
    if rel == "cut short":
        why = f"Both quote the same sentence{of}; one closes it with a full stop where the other quotes it going on"
    elif rel == "reordered quote":
        why = f"Both quote the same words{of}, not in the same order"
    else:
        same = f"{f.diff.longest} words in a row are the same"
        why = f"Both quote the same passage{of}: {same} and the rest differs only there"
    if apart:
        why += ", in sentences the outlets tell in different places"
        conf -= 0.05
    return Discrepancy(
        "", "quote", home, summary, values, outlets_of([s.at for s in a_said + b_said]), rel, round(conf, 2), why=why
    )


def _w(q: Quote) -> tuple[QuoteWord, ...]:
    return quote_words(q.text)


def _verb(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _home(sentences: Sequence[str], groups: Sequence[Group]) -> tuple[str, bool]:
    """The group that holds every sentence, or else the first group that holds any (and True: apart)."""
    wanted = set(sentences)
    first = ""
    for g in groups:
        held = wanted & set(g.sentences)
        if held == wanted:
            return g.id, False
        if held and not first:
            first = g.id
    return first, True
