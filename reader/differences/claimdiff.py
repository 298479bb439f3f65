"""Claims and wording across outlets: opposite outcomes, attribution and certainty, a swapped word that matters."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.differences.claims import Cue, attributes, find_cues, outcome_pair
from reader.differences.datefind import date_figures
from reader.differences.figures import find_figures
from reader.differences.mentions import CONTEXT_STOP, Mention, outlets_of, span_of
from reader.differences.names import SAME_PERSON, find_names, name_relation
from reader.differences.quotes import find_quotes
from reader.differences.worddiff import similarity, tokens, word_diff
from reader.model import Discrepancy, Group

# Certainty and attribution compare how two outlets present one statement: the sentences must
# share enough words to be reports of that statement, not two statements a group happens to hold.
_SAME_STATEMENT = 0.3


def _cue_pair(
    group: Group, a: tuple[Mention, Cue], b: tuple[Mention, Cue], summary: str, label: str, confidence: float, why: str
) -> Discrepancy:
    """A claim difference between two outlets' cue words, each value the cue's span in its sentence."""
    (ma, ca), (mb, cb) = a, b
    values = (span_of(ma, ca.start, ca.end), span_of(mb, cb.start, cb.end))
    return Discrepancy("", "claim", group.id, summary, values, outlets_of([ma, mb]), label, confidence, why=why)


def claim_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
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
                or not _same_event(ma, ca, mb, cb)
                or _two_moments(ma.sentence.text, mb.sentence.text)
            ):
                continue
            done.add(frozenset({ca.value, cb.value}))
            summary = (
                f"Opposite outcomes: “{ca.text}” ({ma.outlet}) vs “{cb.text}” ({mb.outlet}); "
                "a wording cue, read both sentences"
            )
            found.append(
                _cue_pair(
                    group, (ma, ca), (mb, cb), summary, "opposite outcome", 0.6,
                    "Words for opposite outcomes in two reports of one event (the same statement or target)",
                )
            )
    by_outlet: dict[str, list[Mention]] = {}
    for m in mentions:
        by_outlet.setdefault(m.outlet, []).append(m)
    hedged = {o: [(m, c) for m, c in cues if m.outlet == o and c.kind == "hedge"] for o in by_outlet}
    # An outlet that attributes the statement ("the department said", "according to police") does not state it
    # as fact either: only an unattributed version makes a hedge elsewhere a change of certainty.
    plain = [o for o, h in hedged.items() if not h and not any(attributes(m.sentence.text) for m in by_outlet[o])]
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
                    "",
                    "claim",
                    group.id,
                    summary,
                    hedge_values,
                    tuple(hedgers + plain),
                    "certainty changed",
                    0.5,
                    why="One outlet hedges a statement that another gives without hedging or naming a source",
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
            found.append(
                _cue_pair(
                    group, (ma, ca), (mb, cb), summary, "attribution changed", 0.5,
                    "One statement credited to different kinds of source (officials, witnesses, the other side)",
                )
            )
            break
    return found


def _when(text: str) -> set[str]:
    return {re.sub(r"^(?:on|in|at|by)\s+", "", " ".join(f.text.casefold().split())) for f in date_figures(text)}


def _two_moments(a: str, b: str) -> bool:
    """Both sentences date what they tell, on different days ("rejected the plan in March" / "approved it on
    Tuesday"): two votes, not one told two ways. A date conflict, if it is one, is the dates' finding."""
    wa, wb = _when(a), _when(b)
    return bool(wa and wb) and not wa & wb


def _same_event(ma: Mention, ca: Cue, mb: Mention, cb: Cue) -> bool:
    """Opposite outcome words say something only about one event: the two sentences must report one
    statement, or name the same target after the verbs ("lost its connection" and "was re-elected" do not)."""
    if similarity(ma.sentence.text, mb.sentence.text) >= _SAME_STATEMENT:
        return True
    ta, tb = _targets(ma.sentence.text[ca.end :]), _targets(mb.sentence.text[cb.end :])
    return any(name_relation(x, y) in SAME_PERSON for x in ta for y in tb)


def _targets(after: str) -> list[tuple[str, ...]]:
    """Names in the words just after an outcome verb: what was taken or held ("the port of Halvik")."""
    window = after[:60]
    return [n.tokens for n in find_names(window) if n.kind != "organisation" and n.end < len(window)]


def _different_targets(after_a: str, after_b: str) -> bool:
    """ "Rebels captured Halvik" and "troops repelled an attack on Dunmore" are about two places."""
    ta, tb = _targets(after_a), _targets(after_b)
    return bool(ta and tb) and not any(name_relation(x, y) in SAME_PERSON for x in ta for y in tb)


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


def wording_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
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


def _opposite_outcomes(a: str, span_a: tuple[int, int], b: str, span_b: tuple[int, int]) -> bool:
    def inside(text: str, span: tuple[int, int]) -> list[str]:
        return [c.value for c in find_cues(text) if c.kind == "outcome" and span[0] <= c.start and c.end <= span[1]]

    return any(outcome_pair(x, y) for x in inside(a, span_a) for y in inside(b, span_b))


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
        if _opposite_outcomes(a, (chunk.a_start, chunk.a_end), b, (chunk.b_start, chunk.b_end)):
            continue  # "rejected" / "passed" is an opposite outcome: told (or ruled out) as one, never twice
        if similarity(wa.replace("-", ""), wb.replace("-", "")) > 0.5:
            continue
        # Only substitutions that change what is claimed (negation, modality, quantity, harm);
        # "burst" vs "overflowed" is style, and flagging style drowns the signal.
        if not (words_a ^ words_b) & _INFORMATIVE:
            continue
        summary = f"Wording: “{wa}” ({ma.outlet}) vs “{wb}” ({mb.outlet}) in otherwise matching sentences"
        values = (span_of(ma, chunk.a_start, chunk.a_end), span_of(mb, chunk.b_start, chunk.b_end))
        conf = 0.7 if sim >= 0.8 else 0.55
        why = "Otherwise matching sentences differ in a word that changes the claim (a negation, a modal, a quantity)"
        return Discrepancy(
            "", "wording", group.id, summary, values, outlets_of([ma, mb]), "substitution", conf, why=why
        )
    return None
