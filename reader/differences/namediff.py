"""Names across outlets: a spelling variant of one person, a short form of the given name, or a different name
in the same role.

Two mentions are one person only when nothing says otherwise: a title or role of the other gender ("Mr." /
"spokeswoman"), or the outlet itself naming the other person elsewhere, says two people. Across the story
(sentences the aligner kept apart) a shared given name is too common to tie two names together: "different
name" there needs the surname to agree, or a role on both sides (and is only worth a look unless the roles
name one specific post).
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.names import (
    GENERIC_ROLES,
    SAME_PERSON,
    NameMention,
    find_names,
    gender_of,
    name_relation,
    roles_compatible,
    token_relation,
)
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
        return None  # a short form of the given name ("Ken"/"Kenneth") is the same person, written familiarly
    if min(len(na.tokens), len(nb.tokens)) < 2 and not (na.role and nb.role):
        return None  # a lone word ("Kenya"/"Kenyan") is too often not a name at all
    ga, gb = gender_of(na.role), gender_of(nb.role)
    if ga and gb and ga != gb:
        return None  # "Mr. Ames" and "spokeswoman Lena Amis" are two people
    if _names_exactly(nb, ma, names) or _names_exactly(na, mb, names):
        return None  # the outlet names the other outlet's person itself: two people in its story
    if rel == "different name":
        if not (na.role or nb.role) or not roles_compatible(na.role, nb.role):
            return None
        both_roles = bool(na.role and nb.role)
        given_only = token_relation(na.tokens[-1], nb.tokens[-1]) == "different"
        if penalty and given_only and not both_roles:
            return None  # only a given name in common, in sentences about different facts: two people
        if _has_match(na, mb, names) or _has_match(nb, ma, names):
            return None
        summary = (
            f"Different names for one {'role' if both_roles else 'person'}: “{_with_role(ma, na)}” "
            f"({ma.outlet}) vs “{_with_role(mb, nb)}” ({mb.outlet}); check which is right"
        )
        conf = 0.75 if both_roles else 0.5
        if penalty and given_only and not _same_post(na, nb):
            conf = 0.55  # a given name and a role that fits, in different facts: worth a look
        why = "The two names share one part and differ in another, in the same role"
    else:
        summary = (
            f"Name spelled differently: “{_with_role(ma, na)}” ({ma.outlet}) vs “{_with_role(mb, nb)}” "
            f"({mb.outlet}); likely the same person"
        )
        conf = 0.85 if min(len(na.tokens), len(nb.tokens)) >= 2 else 0.6
        why = "The names differ only as transliterations or spellings of one name do"
    values = (span_of(ma, na.start, na.end), span_of(mb, nb.start, nb.end))
    if penalty:
        why += ", in sentences the outlets tell in different places"
    conf = round(conf - penalty, 2)
    return Discrepancy("", "name", group.id, summary, values, outlets_of([ma, mb]), rel, conf, why=why)


def _same_post(na: NameMention, nb: NameMention) -> bool:
    """Do both roles name one specific post ("commission chairwoman" / "Commission chairman"), not a generic one?"""
    return bool((na.role_heads & nb.role_heads) - GENERIC_ROLES)


def _has_match(n: NameMention, other: Mention, names: Sequence[tuple[Mention, NameMention]]) -> bool:
    """Does ``other``'s outlet name this same person (same spelling or a variant) elsewhere in ``names``?"""
    return any(m.outlet == other.outlet and name_relation(n.tokens, o.tokens) in SAME_PERSON for m, o in names)


def _names_exactly(n: NameMention, other: Mention, names: Sequence[tuple[Mention, NameMention]]) -> bool:
    """Does ``other``'s outlet write this very name, as fully or more (a surname alone says nothing), in ``names``?"""
    return any(
        m.outlet == other.outlet
        and len(o.tokens) >= len(n.tokens)
        and name_relation(n.tokens, o.tokens) in ("same", "shortened")
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
