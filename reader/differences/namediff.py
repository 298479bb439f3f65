"""Names across outlets: a spelling variant of one person, or a different name in the same role."""

from __future__ import annotations

from collections.abc import Sequence

from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.names import NameMention, find_names, name_relation, roles_compatible
from reader.model import Discrepancy, Group


def _with_role(m: Mention, n: NameMention) -> str:
    # a role read from just after a dateline may start at its dash ("KARSALO (Lodestar) - Temeshi ...")
    return m.sentence.text[n.role_start : n.end].lstrip(" -–—,;:(") if n.role_start >= 0 else n.text


def name_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
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
    apart = ""
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
            f"({mb.outlet}); likely the same person{apart}"
        )
        conf = 0.85 if min(len(na.tokens), len(nb.tokens)) >= 2 else 0.6
    values = (span_of(ma, na.start, na.end), span_of(mb, nb.start, nb.end))
    if rel == "different name":
        why = "The two names share one part and differ in another, in the same role"
    else:
        why = "The names differ only as transliterations or spellings of one name do"
    if penalty:
        why += ", in sentences the outlets tell in different places"
    conf = round(conf - penalty, 2)
    return Discrepancy("", "name", group.id, summary, values, outlets_of([ma, mb]), rel, conf, why=why)


def _has_match(n: NameMention, other: Mention, names: Sequence[tuple[Mention, NameMention]]) -> bool:
    """Does ``other``'s outlet name this same person (same spelling or a variant) elsewhere in the group?"""
    return any(
        m.outlet == other.outlet and name_relation(n.tokens, o.tokens) in ("same", "shortened", "spelling variant")
        for m, o in names
    )


def story_name_findings(
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
