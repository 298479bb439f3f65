"""What the outlets of each group say differently, and which figures two or more of them confirm.

Runs on every strictness-slider move, so it only does per-group work on cached
per-sentence extractions (figures, names, quotes, cues are memoised by text).
Agreement is checked before conflict: figures that agree are never reported as
a conflict, and a conflict needs evidence the two figures count the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reader.claims import find_cues, outcome_pair
from reader.figures import Figure, dimension, figure_relation, find_figures
from reader.model import DISCREPANCY_KINDS, Agreement, Article, Discrepancy, Group, Sentence, Span
from reader.names import NameMention, find_names, name_relation, roles_compatible
from reader.quotes import Quote, differing_words, find_quotes, quote_relation, speaker_label
from reader.units import format_number
from reader.worddiff import similarity, tokens, word_diff


@dataclass(frozen=True)
class Mention:
    """Something found in one outlet's sentence of a group."""

    outlet: str
    order: int  # the outlet's article position, for stable output
    sentence: Sentence


@dataclass(frozen=True)
class _Fig:
    at: Mention
    fig: Figure
    conversion: Figure | None  # "(50 miles)" restating it


def _span(m: Mention, start: int, end: int) -> Span:
    return Span(m.sentence.id, m.sentence.text[start:end], start, end)


def _outlets(mentions: Sequence[Mention]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    for m in mentions:
        seen.setdefault(m.outlet, m.order)
    return tuple(sorted(seen, key=seen.__getitem__))


def _by_outlet(group: Group, index: dict[str, Mention]) -> list[Mention]:
    found = [index[s] for s in group.sentences if s in index]
    return sorted(found, key=lambda m: (m.order, m.sentence.start))


def _index(articles: Sequence[Article]) -> dict[str, Mention]:
    return {s.id: Mention(a.outlet, i, s) for i, a in enumerate(articles) for s in a.sentences}


def _quoted(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


# ---------------------------------------------------------------- figures

_CONTEXT_STOP = frozenset(
    "the a an of in on at to for and or but is are was were be been by with as that this it its from has have had "
    "he she they their his her said says about some more than less within nearly around".split()
)
_TOPIC = re.compile(r"^\s*(?:\([^)]*\)\s*)?(of|from|to)\s+((?:the\s+)?[\w’'-]+(?:['’]s)?(?:\s+[a-z][\w-]+)?)")
_LABELS = {"distance": "Distance", "percent": "Percentage", "duration": "Duration", "mass": "Weight",
           "area": "Area", "speed": "Speed", "volume": "Volume", "temperature": "Temperature"}  # fmt: skip


def _figures(mentions: Sequence[Mention]) -> list[_Fig]:
    out = []
    for m in mentions:
        figs = find_figures(m.sentence.text)
        for i, f in enumerate(figs):
            if f.converts_previous or f.kind in ("date", "time") or f.low is None:
                continue
            nxt = figs[i + 1] if i + 1 < len(figs) and figs[i + 1].converts_previous else None
            out.append(_Fig(m, f, nxt))
    return out


def _context(x: _Fig) -> set[str]:
    text = x.at.sentence.text
    window = text[max(0, x.fig.start - 50) : x.fig.end + 50]
    return {t.norm for t in tokens(window) if t.is_word and t.norm not in _CONTEXT_STOP and not t.norm[0].isdigit()}


def _lemma(word: str) -> str:
    for suffix, repl in (("ies", "y"), ("men", "man"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


def _same_thing(a: _Fig, b: _Fig, alone: bool) -> bool:
    """Do two figures (from different outlets) count the same thing? ``alone``: each is its outlet's only one."""
    if a.fig.frame != b.fig.frame:
        return False
    if a.fig.head and b.fig.head:
        return _lemma(a.fig.head) == _lemma(b.fig.head)
    if dimension(a.fig) != "count":
        return alone or len(_context(a) & _context(b)) >= 2
    return False  # two bare counts: too easily about different things to call a conflict


def _different_things(a: _Fig, b: _Fig) -> bool:
    # Only the frame is trusted here: "militants" and "terrorists" can count the same dead.
    return a.fig.frame != b.fig.frame


def _say(f: Figure) -> str:
    """A figure as a reader would say it: "279 soldiers", "80 km", "about 3,000 to 5,000"."""
    if f.hedge or f.kind == "vague" or f.low != f.high or f.low is None:
        return " ".join(f.text.split())
    unit = f.unit if f.unit != "%" else ""
    said = format_number(f.low) + ("%" if f.unit == "%" else "") + (f" {unit}" if unit else "")
    return said + (f" {f.head}" if f.head and f.kind == "count" else "")


def _label(x: _Fig) -> str:
    kind = x.fig.kind
    if kind.startswith("money"):
        base = "Amount"
    elif kind in _LABELS:
        base = _LABELS[kind]
    else:
        base = f"Number of {x.fig.head}" if x.fig.head else "Figure"
    end = x.conversion.end if x.conversion else x.fig.end
    topic = _TOPIC.match(x.at.sentence.text[end:])
    if topic and kind in _LABELS:
        return f"{base} {topic.group(1)} {topic.group(2)}"
    return base


def _figure_findings(group: Group, mentions: Sequence[Mention]) -> tuple[list[Discrepancy], list[Agreement]]:
    figs = _figures(mentions)
    outlets = {x.at.outlet for x in figs}
    if len(outlets) < 2:
        return [], []
    agreed: list[list[_Fig]] = []
    in_cluster: dict[int, int] = {}
    for i, x in enumerate(figs):
        if i in in_cluster:
            continue
        cluster = [x]
        for j in range(i + 1, len(figs)):
            y = figs[j]
            if j in in_cluster or y.at.outlet in {c.at.outlet for c in cluster}:
                continue
            if figure_relation(x.fig, y.fig) in ("same", "compatible") and not _different_things(x, y):
                cluster.append(y)
                in_cluster[j] = len(agreed)
        if len(cluster) >= 2 and x.fig.kind != "vague":  # "dozens" twice corroborates little
            in_cluster[i] = len(agreed)
            agreed.append(cluster)
    agreements = [
        Agreement("figure", group.id, _say(c[0].fig), tuple(dict.fromkeys(x.at.sentence.id for x in c)),
                  _outlets([x.at for x in c]))
        for c in agreed
    ]  # fmt: skip
    found: list[Discrepancy] = []
    count = {}
    for x in figs:
        count[(x.at.outlet, dimension(x.fig))] = count.get((x.at.outlet, dimension(x.fig)), 0) + 1
    conflicts: dict[int, set[int]] = {}
    flagged_same_number: set[tuple[int, int]] = set()
    for i, x in enumerate(figs):
        for j in range(i + 1, len(figs)):
            y = figs[j]
            if x.at.outlet == y.at.outlet:
                continue
            rel = figure_relation(x.fig, y.fig)
            same_cluster = i in in_cluster and in_cluster.get(j) == in_cluster[i]
            if (
                rel in ("same", "compatible")
                and x.fig.low == y.fig.low
                and _different_things(x, y)
                and not same_cluster
            ):
                flagged_same_number.add((i, j))
            elif rel == "conflict" and not same_cluster:
                alone = count[(x.at.outlet, dimension(x.fig))] == 1 and count[(y.at.outlet, dimension(y.fig))] == 1
                if _same_thing(x, y, alone):
                    conflicts.setdefault(i, set()).add(j)
    for i, j in sorted(flagged_same_number):
        x, y = figs[i], figs[j]
        summary = (
            f"Same number, different things: {x.fig.text.strip()} in {x.at.outlet} ({_quoted(_around(x), 60)}) "
            f"vs {y.at.outlet} ({_quoted(_around(y), 60)})"
        )
        found.append(_disc("figure", group, summary, [x, y], "same number, different things", 0.6))
    for i in sorted(conflicts):
        x = figs[i]
        others = [figs[j] for j in sorted(conflicts[i])]
        sides = [x, *others]
        parts = [f"{_say(s.fig)} ({s.at.outlet})" for s in sides]
        summary = f"{_label(x)}: " + " vs ".join(parts)
        if all(s.conversion for s in sides):
            summary += "; " + " vs ".join(" ".join(s.conversion.text.split()) for s in sides if s.conversion)
        confidence = 0.8 if dimension(x.fig) != "count" else 0.6
        if x.fig.kind == "vague" or any(o.fig.kind == "vague" for o in others):
            confidence = 0.45
        bounds = x.fig.hedge in ("max", "min") and x.fig.hedge == others[0].fig.hedge
        detail = "different bounds" if bounds else "conflict"
        found.append(_disc("figure", group, summary, sides, detail, confidence))
    return found, agreements


def _around(x: _Fig) -> str:
    text = x.at.sentence.text
    return text[max(0, x.fig.start - 25) : x.fig.end + 25].strip()


def _disc(kind: str, group: Group, summary: str, sides: Sequence[_Fig], detail: str, conf: float) -> Discrepancy:
    values = []
    for s in sides:
        values.append(_span(s.at, s.fig.start, s.fig.end))
        if s.conversion:
            values.append(_span(s.at, s.conversion.start, s.conversion.end))
    return Discrepancy("", kind, group.id, summary, tuple(values), _outlets([s.at for s in sides]), detail, conf)  # type: ignore[arg-type]


# ---------------------------------------------------------------- names


def _with_role(m: Mention, n: NameMention) -> str:
    return m.sentence.text[n.role_start : n.end] if n.role_start >= 0 else n.text


def _name_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
    names = [(m, n) for m in mentions for n in find_names(m.sentence.text) if n.kind in ("person", "other")]
    found: list[Discrepancy] = []
    seen: set[frozenset[str]] = set()
    for i, (ma, na) in enumerate(names):
        for mb, nb in names[i + 1 :]:
            if ma.outlet == mb.outlet:
                continue
            rel = name_relation(na.tokens, nb.tokens)
            key = frozenset({na.text, nb.text})
            if rel not in ("spelling variant", "different name") or key in seen:
                continue
            if min(len(na.tokens), len(nb.tokens)) < 2 and not (na.role and nb.role):
                continue  # a lone word ("Iraq"/"Iraqi") is too often not a name at all
            if rel == "different name":
                if not (na.role or nb.role) or not roles_compatible(na.role, nb.role):
                    continue
                if _has_match(na, mb, names) or _has_match(nb, ma, names):
                    continue
                both_roles = bool(na.role and nb.role)
                summary = (
                    f"Different names for one {'role' if both_roles else 'person'}: “{_with_role(ma, na)}” "
                    f"({ma.outlet}) vs “{_with_role(mb, nb)}” ({mb.outlet}); check which is right"
                )
                conf = 0.75 if both_roles else 0.5
            else:
                summary = (
                    f"Name spelled differently: “{_with_role(ma, na)}” ({ma.outlet}) vs “{_with_role(mb, nb)}” "
                    f"({mb.outlet}); likely the same person (spelling variant)"
                )
                conf = 0.85 if min(len(na.tokens), len(nb.tokens)) >= 2 else 0.6
            seen.add(key)
            values = (_span(ma, na.start, na.end), _span(mb, nb.start, nb.end))
            found.append(Discrepancy("", "name", group.id, summary, values, _outlets([ma, mb]), rel, conf))
    return found


def _has_match(n: NameMention, other: Mention, names: Sequence[tuple[Mention, NameMention]]) -> bool:
    """Does ``other``'s outlet name this same person (same spelling or a variant) elsewhere in the group?"""
    return any(
        m.outlet == other.outlet and name_relation(n.tokens, o.tokens) in ("same", "shortened", "spelling variant")
        for m, o in names
    )


# ---------------------------------------------------------------- quotes


def _quote_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
    quotes: list[tuple[Mention, Quote]] = [(m, q) for m in mentions for q in find_quotes(m.sentence.text)]
    found: list[Discrepancy] = []
    for i, (ma, qa) in enumerate(quotes):
        for mb, qb in quotes[i + 1 :]:
            if ma.outlet == mb.outlet:
                continue
            rel = quote_relation(qa, qb)
            if rel not in ("shortened quote", "reworded quote"):
                continue
            who = speaker_label(qa) or speaker_label(qb)
            by = f" by {who}" if who else ""
            left, right = differing_words(qa, qb)
            if rel == "shortened quote":
                short_m, long_m, cut = (ma, mb, right) if len(qa.words) < len(qb.words) else (mb, ma, left)
                summary = (
                    f"Quote{by} shortened: {short_m.outlet} leaves out {_quoted(cut, 60)} that {long_m.outlet} quotes"
                )
                conf = 0.8
            else:
                summary = (
                    f"Quote{by} worded differently: {_quoted(left or '—', 50)} ({ma.outlet}) vs "
                    f"{_quoted(right or '—', 50)} ({mb.outlet})"
                )
                conf = 0.75
            values = (_span(ma, qa.start, qa.end), _span(mb, qb.start, qb.end))
            found.append(Discrepancy("", "quote", group.id, summary, values, _outlets([ma, mb]), rel, conf))
    return found


# ---------------------------------------------------------------- claims and wording


def _claim_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
    found: list[Discrepancy] = []
    cues = [(m, c) for m in mentions for c in find_cues(m.sentence.text)]
    outcomes = [(m, c) for m, c in cues if c.kind == "outcome"]
    done: set[frozenset[str]] = set()
    for i, (ma, ca) in enumerate(outcomes):
        for mb, cb in outcomes[i + 1 :]:
            if (
                ma.outlet == mb.outlet
                or not outcome_pair(ca.value, cb.value)
                or frozenset({ca.value, cb.value}) in done
            ):
                continue
            done.add(frozenset({ca.value, cb.value}))
            summary = (
                f"Opposite outcomes: “{ca.text}” ({ma.outlet}) vs “{cb.text}” ({mb.outlet}); "
                "a wording cue, read both sentences"
            )
            values = (_span(ma, ca.start, ca.end), _span(mb, cb.start, cb.end))
            found.append(
                Discrepancy("", "claim", group.id, summary, values, _outlets([ma, mb]), "opposite outcome", 0.6)
            )
    by_outlet: dict[str, list[Mention]] = {}
    for m in mentions:
        by_outlet.setdefault(m.outlet, []).append(m)
    hedged = {o: [(m, c) for m, c in cues if m.outlet == o and c.kind == "hedge"] for o in by_outlet}
    plain = [o for o, h in hedged.items() if not h]
    hedgers = [o for o, h in hedged.items() if h]
    if plain and hedgers:
        m0, c0 = hedged[hedgers[0]][0]
        plain_m = by_outlet[plain[0]][0]
        if similarity(m0.sentence.text, plain_m.sentence.text) >= 0.3:
            summary = (
                f"Certainty changed: {', '.join(hedgers)} {'hedges' if len(hedgers) == 1 else 'hedge'} "
                f"(“{c0.text}”) where {', '.join(plain)} {'states' if len(plain) == 1 else 'state'} it as fact"
            )
            values = tuple(_span(m, c.start, c.end) for o in hedgers for m, c in hedged[o][:1])
            found.append(
                Discrepancy("", "claim", group.id, summary, values, tuple(hedgers + plain), "certainty changed", 0.5)
            )
    attributions = [(m, c) for m, c in cues if c.kind == "attribution"]
    for i, (ma, ca) in enumerate(attributions):
        pair = next(
            (
                (mb, cb)
                for mb, cb in attributions[i + 1 :]
                if mb.outlet != ma.outlet and _attribution_differs(ca.value, cb.value)
            ),
            None,
        )
        if pair is not None:
            mb, cb = pair
            summary = f"Attribution changed: “{ca.text}” ({ma.outlet}) vs “{cb.text}” ({mb.outlet})"
            values = (_span(ma, ca.start, ca.end), _span(mb, cb.start, cb.end))
            found.append(
                Discrepancy("", "claim", group.id, summary, values, _outlets([ma, mb]), "attribution changed", 0.5)
            )
            break
    return found


def _attribution_differs(a: str, b: str) -> bool:
    verb_a, _, who_a = a.partition(" by ")
    verb_b, _, who_b = b.partition(" by ")
    if verb_a != verb_b:
        return True
    if "someone" in (who_a, who_b):
        return False
    return not set(who_a.split("+")) & set(who_b.split("+"))  # "officials and residents" vs "officials": same


_INFORMATIVE = frozenset(
    "not no never none all some most many few several only every may might could would will must should "
    "nearly almost dead killed wounded injured missing arrested released confirmed denied".split()
)
_STOP = _CONTEXT_STOP | frozenset("will would could should may might can".split()) - _INFORMATIVE


def _wording_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
    firsts: dict[str, Mention] = {}
    for m in mentions:
        firsts.setdefault(m.outlet, m)
    ms = list(firsts.values())
    for i, ma in enumerate(ms):
        for mb in ms[i + 1 :]:
            found = _substitution(group, ma, mb)
            if found is not None:
                return [found]
    return []


def _covered(m: Mention, start: int, end: int) -> bool:
    text = m.sentence.text
    spans = [(f.start, f.end) for f in find_figures(text)] + [(n.start, n.end) for n in find_names(text)]
    spans += [(q.start, q.end) for q in find_quotes(text)]
    return any(start < e and s < end for s, e in spans)


def _substitution(group: Group, ma: Mention, mb: Mention) -> Discrepancy | None:
    a, b = ma.sentence.text, mb.sentence.text
    sim = similarity(a, b)
    if sim < 0.6:
        return None
    for chunk in word_diff(a, b):
        if chunk.tag != "replace":
            continue
        wa, wb = a[chunk.a_start : chunk.a_end], b[chunk.b_start : chunk.b_end]
        words_a = {t.norm for t in tokens(wa) if t.is_word}
        words_b = {t.norm for t in tokens(wb) if t.is_word}
        if not (words_a - _STOP) or not (words_b - _STOP) or len(words_a) > 4 or len(words_b) > 4:
            continue
        if _covered(ma, chunk.a_start, chunk.a_end) or _covered(mb, chunk.b_start, chunk.b_end):
            continue
        if similarity(wa.replace("-", ""), wb.replace("-", "")) > 0.5:
            continue
        informative = bool((words_a ^ words_b) & _INFORMATIVE)
        if not informative and sim < 0.8:
            continue
        summary = f"Wording: “{wa}” ({ma.outlet}) vs “{wb}” ({mb.outlet}) in otherwise matching sentences"
        values = (_span(ma, chunk.a_start, chunk.a_end), _span(mb, chunk.b_start, chunk.b_end))
        conf = 0.55 if informative else 0.35
        return Discrepancy("", "wording", group.id, summary, values, _outlets([ma, mb]), "substitution", conf)
    return None


# ---------------------------------------------------------------- public API


def find_discrepancies(articles: Sequence[Article], groups: Sequence[Group]) -> tuple[Discrepancy, ...]:
    """Every difference between the outlets of each group, ordered by group, then kind; ids "d1", "d2", ..."""
    index = _index(articles)
    out: list[Discrepancy] = []
    for group in groups:
        mentions = _by_outlet(group, index)
        if len({m.outlet for m in mentions}) < 2:
            continue  # a fact one outlet reports alone: nothing to compare
        found = _figure_findings(group, mentions)[0]
        found += _name_findings(group, mentions)
        found += _quote_findings(group, mentions)
        found += _claim_findings(group, mentions)
        found += _wording_findings(group, mentions)
        out.extend(sorted(found, key=lambda d: DISCREPANCY_KINDS.index(d.kind)))
    return tuple(replace(d, id=f"d{i}") for i, d in enumerate(out, start=1))


def find_agreements(articles: Sequence[Article], groups: Sequence[Group]) -> tuple[Agreement, ...]:
    """Figures that two or more outlets of a group give alike (same, or compatible after rounding/conversion)."""
    index = _index(articles)
    out: list[Agreement] = []
    for group in groups:
        mentions = _by_outlet(group, index)
        if len({m.outlet for m in mentions}) >= 2:
            out.extend(_figure_findings(group, mentions)[1])
    return tuple(out)
