"""What the outlets of each group say differently, and which figures two or more of them confirm.

Runs on every strictness-slider move, so it only does per-group work on cached
per-sentence extractions (figures, names, quotes, cues are memoised by text).
Figures live in ``reader.differences.figdiff``; names, quotes, claims and wording here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from reader.differences.claims import find_cues, outcome_pair
from reader.differences.figdiff import (
    CONTEXT_STOP,
    Mention,
    by_outlet,
    figure_findings,
    index_sentences,
    outlets_of,
    quoted,
    span_of,
    story_figure_findings,
)
from reader.differences.figures import find_figures
from reader.differences.names import NameMention, find_names, name_relation, roles_compatible
from reader.differences.quotes import Quote, differing_words, find_quotes, quote_relation, speaker_label
from reader.differences.worddiff import similarity, tokens, word_diff
from reader.model import DISCREPANCY_KINDS, Agreement, Article, Discrepancy, Group

# ---------------------------------------------------------------- names


def _with_role(m: Mention, n: NameMention) -> str:
    # a role read from just after a dateline may start at its dash ("KARSALO (Lodestar) - Temeshi ...")
    return m.sentence.text[n.role_start : n.end].lstrip(" -–—,;:(") if n.role_start >= 0 else n.text


def _name_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
    names = [(m, n) for m in mentions for n in find_names(m.sentence.text) if n.kind in ("person", "other")]
    found: list[Discrepancy] = []
    seen: set[frozenset[str]] = set()
    for i, (ma, na) in enumerate(names):
        for mb, nb in names[i + 1 :]:
            key = frozenset({na.text, nb.text})
            if ma.outlet == mb.outlet or key in seen:
                continue
            one = _name_pair(group, ma, na, mb, nb, names, 0.0)
            if one is not None:
                seen.add(key)
                found.append(one)
    return found


def _name_pair(
    group: Group,
    ma: Mention,
    na: NameMention,
    mb: Mention,
    nb: NameMention,
    names: Sequence[tuple[Mention, NameMention]],
    penalty: float,
) -> Discrepancy | None:
    """A name discrepancy between two mentions from different outlets, or None.

    "Different name" needs a role on at least one side, compatible roles, and
    neither outlet naming the other's person the same way elsewhere in ``names``.
    """
    rel = name_relation(na.tokens, nb.tokens)
    if rel not in ("spelling variant", "different name"):
        return None
    if min(len(na.tokens), len(nb.tokens)) < 2 and not (na.role and nb.role):
        return None  # a lone word ("Kenya"/"Kenyan") is too often not a name at all
    apart = "; the aligner put these sentences in different groups" if penalty else ""
    if rel == "different name":
        if not (na.role or nb.role) or not roles_compatible(na.role, nb.role):
            return None
        if _has_match(na, mb, names) or _has_match(nb, ma, names):
            return None
        both_roles = bool(na.role and nb.role)
        summary = (
            f"Different names for one {'role' if both_roles else 'person'}: “{_with_role(ma, na)}” "
            f"({ma.outlet}) vs “{_with_role(mb, nb)}” ({mb.outlet}); check which is right{apart}"
        )
        conf = 0.75 if both_roles else 0.5
    else:
        summary = (
            f"Name spelled differently: “{_with_role(ma, na)}” ({ma.outlet}) vs “{_with_role(mb, nb)}” "
            f"({mb.outlet}); likely the same person (spelling variant){apart}"
        )
        conf = 0.85 if min(len(na.tokens), len(nb.tokens)) >= 2 else 0.6
    values = (span_of(ma, na.start, na.end), span_of(mb, nb.start, nb.end))
    return Discrepancy("", "name", group.id, summary, values, outlets_of([ma, mb]), rel, round(conf - penalty, 2))


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
                    f"Quote{by} shortened: {short_m.outlet} leaves out {quoted(cut, 60)} that {long_m.outlet} quotes"
                )
                conf = 0.8
            else:
                summary = (
                    f"Quote{by} worded differently: {quoted(left or '—', 50)} ({ma.outlet}) vs "
                    f"{quoted(right or '—', 50)} ({mb.outlet})"
                )
                conf = 0.75
            values = (span_of(ma, qa.start, qa.end), span_of(mb, qb.start, qb.end))
            found.append(Discrepancy("", "quote", group.id, summary, values, outlets_of([ma, mb]), rel, conf))
    return found


# ---------------------------------------------------------------- claims and wording


# Certainty and attribution compare how two outlets present one statement: the sentences must
# share enough words to be reports of that statement, not two statements a group happens to hold.
_SAME_STATEMENT = 0.3


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
                or _different_targets(ma.sentence.text[ca.end :], mb.sentence.text[cb.end :])
            ):
                continue
            done.add(frozenset({ca.value, cb.value}))
            summary = (
                f"Opposite outcomes: “{ca.text}” ({ma.outlet}) vs “{cb.text}” ({mb.outlet}); "
                "a wording cue, read both sentences"
            )
            values = (span_of(ma, ca.start, ca.end), span_of(mb, cb.start, cb.end))
            found.append(
                Discrepancy("", "claim", group.id, summary, values, outlets_of([ma, mb]), "opposite outcome", 0.6)
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
        if similarity(m0.sentence.text, plain_m.sentence.text) >= _SAME_STATEMENT:
            summary = (
                f"Certainty changed: {', '.join(hedgers)} {'hedges' if len(hedgers) == 1 else 'hedge'} "
                f"(“{c0.text}”) where {', '.join(plain)} {'states' if len(plain) == 1 else 'state'} it as fact"
            )
            hedge_values = tuple(span_of(m, c.start, c.end) for o in hedgers for m, c in hedged[o][:1])
            found.append(
                Discrepancy(
                    "", "claim", group.id, summary, hedge_values, tuple(hedgers + plain), "certainty changed", 0.5
                )
            )
    attributions = [(m, c) for m, c in cues if c.kind == "attribution"]
    for i, (ma, ca) in enumerate(attributions):
        pair = next(
            (
                (mb, cb)
                for mb, cb in attributions[i + 1 :]
                if mb.outlet != ma.outlet
                and _attribution_differs(ca.value, cb.value)
                and similarity(ma.sentence.text, mb.sentence.text) >= _SAME_STATEMENT
            ),
            None,
        )
        if pair is not None:
            mb, cb = pair
            summary = f"Attribution changed: “{ca.text}” ({ma.outlet}) vs “{cb.text}” ({mb.outlet})"
            values = (span_of(ma, ca.start, ca.end), span_of(mb, cb.start, cb.end))
            found.append(
                Discrepancy("", "claim", group.id, summary, values, outlets_of([ma, mb]), "attribution changed", 0.5)
            )
            break
    return found


def _targets(after: str) -> list[tuple[str, ...]]:
    """Names in the words just after an outcome verb: what was taken or held ("the port of Halvik")."""
    window = after[:60]
    return [n.tokens for n in find_names(window) if n.kind != "organisation" and n.end < len(window)]


def _different_targets(after_a: str, after_b: str) -> bool:
    """ "Rebels captured Halvik" and "troops repelled an attack on Dunmore" are about two places."""
    ta, tb = _targets(after_a), _targets(after_b)
    same = ("same", "shortened", "spelling variant")
    return bool(ta and tb) and not any(name_relation(x, y) in same for x in ta for y in tb)


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
    "nearly almost dead killed wounded injured missing arrested released confirmed denied planned attempted "
    "failed refused agreed ruled rejected".split()
)
_STOP = CONTEXT_STOP | frozenset("will would could should may might can".split()) - _INFORMATIVE


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
        # Only substitutions that change what is claimed (negation, modality, quantity, harm);
        # "burst" vs "overflowed" is style, and flagging style drowns the signal.
        if not (words_a ^ words_b) & _INFORMATIVE:
            continue
        summary = f"Wording: “{wa}” ({ma.outlet}) vs “{wb}” ({mb.outlet}) in otherwise matching sentences"
        values = (span_of(ma, chunk.a_start, chunk.a_end), span_of(mb, chunk.b_start, chunk.b_end))
        conf = 0.7 if sim >= 0.8 else 0.55
        return Discrepancy("", "wording", group.id, summary, values, outlets_of([ma, mb]), "substitution", conf)
    return None


# ---------------------------------------------------------------- public API

log = logging.getLogger(__name__)


def _guarded(what: str, where: str, finder: Callable[[], Sequence], /) -> list:
    """One finder on one group. A bug there costs that finding, not the whole comparison: it is logged and
    the rest goes on. Tests set PARALLAX_STRICT=1, so the same bug still fails them."""
    try:
        return list(finder())
    except Exception:
        if os.environ.get("PARALLAX_STRICT") == "1":
            raise
        log.exception("finding %s differences in %s failed; the other findings stand", what, where)
        return []



def find_discrepancies(articles: Sequence[Article], groups: Sequence[Group]) -> tuple[Discrepancy, ...]:
    """Every difference between the outlets of each group, ordered by group, then kind; ids "d1", "d2", ...

    After the per-group pass, a narrow story-wide pass catches names and measured
    distances the aligner kept in different groups; those are filed under the
    earlier group, with lower confidence.
    """
    index = index_sentences(articles)
    per_group: dict[str, list[Discrepancy]] = {g.id: [] for g in groups}
    for group in groups:
        mentions = by_outlet(group, index)
        if len({m.outlet for m in mentions}) < 2:
            continue  # a fact one outlet reports alone: nothing to compare
        finders = (
            ("figure", lambda g=group, m=mentions: figure_findings(g, m)[0]),
            ("name", lambda g=group, m=mentions: _name_findings(g, m)),
            ("quote", lambda g=group, m=mentions: _quote_findings(g, m)),
            ("claim", lambda g=group, m=mentions: _claim_findings(g, m)),
            ("wording", lambda g=group, m=mentions: _wording_findings(g, m)),
        )
        for what, finder in finders:
            per_group[group.id].extend(_guarded(what, group.id, finder))
    for d in _guarded("story-wide", "the story", lambda: _story_findings(articles, groups, index, per_group)):
        per_group[d.group].append(d)
    out = [d for g in groups for d in sorted(per_group[g.id], key=lambda d: DISCREPANCY_KINDS.index(d.kind))]
    # A sentence may sit in more than one group: one difference between the same words is reported once.
    seen: set[tuple[str, str, frozenset[tuple[str, int, int]]]] = set()
    unique = []
    for d in out:
        key = (d.kind, d.detail, frozenset((v.sentence, v.start, v.end) for v in d.values))
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return tuple(replace(d, id=f"d{i}") for i, d in enumerate(unique, start=1))


def _story_findings(
    articles: Sequence[Article],
    groups: Sequence[Group],
    index: dict[str, Mention],
    per_group: dict[str, list[Discrepancy]],
) -> list[Discrepancy]:
    group_of: dict[str, Group] = {}
    for g in groups:
        for sid in g.sentences:
            group_of.setdefault(sid, g)
    order = {g.id: i for i, g in enumerate(groups)}
    mentions = sorted(index.values(), key=lambda m: (m.order, m.sentence.start))
    found = story_figure_findings(mentions, group_of, order)
    reported = {frozenset(v.text for v in d.values) for ds in per_group.values() for d in ds if d.kind == "name"}
    found += _story_name_findings(mentions, group_of, order, reported)
    return found


def _story_name_findings(
    mentions: Sequence[Mention], group_of: dict[str, Group], order: dict[str, int], reported: set[frozenset[str]]
) -> list[Discrepancy]:
    names = [
        (m, n)
        for m in mentions
        for n in find_names(m.sentence.text)
        if n.kind in ("person", "other") and (len(n.tokens) >= 2 or n.role)
    ]
    firsts: dict[tuple[str, tuple[str, ...]], tuple[Mention, NameMention]] = {}
    for m, n in names:
        firsts.setdefault((m.outlet, n.tokens), (m, n))
    distinct = list(firsts.values())
    found: list[Discrepancy] = []
    seen: set[frozenset[tuple[str, ...]]] = set()
    for i, (ma, na) in enumerate(distinct):
        for mb, nb in distinct[i + 1 :]:
            ga, gb = group_of.get(ma.sentence.id), group_of.get(mb.sentence.id)
            if ma.outlet == mb.outlet or ga is None or gb is None or ga.id == gb.id:
                continue
            key = frozenset({na.tokens, nb.tokens})
            if key in seen or frozenset({na.text, nb.text}) in reported:
                continue
            found_one = _name_pair(ga if order[ga.id] <= order[gb.id] else gb, ma, na, mb, nb, names, 0.1)
            if found_one is not None:
                seen.add(key)
                found.append(found_one)
    return found


def _agreeing(group: Group, mentions: list[Mention]) -> list[Agreement]:
    return list(figure_findings(group, mentions)[1])


def find_agreements(articles: Sequence[Article], groups: Sequence[Group]) -> tuple[Agreement, ...]:
    """Figures that two or more outlets of a group give alike (same, or compatible after rounding/conversion)."""
    index = index_sentences(articles)
    out: list[Agreement] = []
    for group in groups:
        mentions = by_outlet(group, index)
        if len({m.outlet for m in mentions}) >= 2:
            out.extend(_guarded("agreeing figure", group.id, partial(_agreeing, group, mentions)))
    return tuple(out)
