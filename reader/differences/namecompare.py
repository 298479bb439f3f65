"""How two names relate: the same name written more or less fully, a short form of the given name, a spelling
variant (a transliteration), a different name, or unrelated.

Two names are compared token by token on a transliteration skeleton, because a
whole-string ratio cannot tell "Yousef"/"Youssef" (one name) from a different surname.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

NameRelation = Literal["same", "shortened", "short form", "spelling variant", "different name", "unrelated"]
# The relations that name one person: written alike, more or less fully, with a familiar short form of the
# given name ("Dave"/"David"), or spelled as another transliteration.
SAME_PERSON = frozenset({"same", "shortened", "short form", "spelling variant"})
PARTICLES = r"(?:al|el|ul|bin|ibn|bint|abu|de|del|della|der|di|da|dos|du|la|le|van|von|ben|ter|y)"


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def core_tokens(name: str) -> tuple[str, ...]:
    """Name tokens without particles ("al-", "bin") or possessives, casefolded and accent-free."""
    out = []
    for raw in re.split(r"\s+", _strip_accents(name).casefold()):
        tok = re.sub(r"(?:['’]s|['’])$", "", raw).strip(".,")
        tok = re.sub(r"^(?:al|el|ul|ad|ar|as|ash|an|at|az)-", "", tok)
        if tok and not re.fullmatch(PARTICLES, tok):
            out.append(re.sub(r"[-'’.]", "", tok))
    return tuple(out)


_SKELETON_RULES = (
    ("tch", "ch"), ("dzh", "j"), ("zh", "j"), ("kh", "k"), ("gh", "g"), ("ph", "f"), ("sh", "s"), ("ch", "c"),
    ("dh", "d"), ("th", "t"), ("ck", "k"), ("q", "k"), ("x", "ks"), ("w", "v"), ("ou", "u"), ("ee", "i"),
    ("oo", "u"), ("y", "i"), ("c", "k"), ("z", "s"),
)  # fmt: skip


@lru_cache(maxsize=4096)
def skeleton(token: str) -> str:
    """A transliteration-blind key: digraphs folded, inner vowels dropped, doubles collapsed.

    "yousef" and "youssef" both give "isf"; "mourad" and "murad" give "mrd"; "karim" and "kamal" stay apart.
    """
    s = token
    if s[:1] in ("g", "q"):
        s = "k" + s[1:]  # Arabic qaf is written q, k or g ("Qadhafi"/"Gaddafi")
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    if not s:
        return s
    # Inside a name, g and h write one Slavic letter (Г: "Bogdan"/"Bohdan", "Oleg"/"Oleh")
    s = s[0] + re.sub(r"[aeiou]", "", s[1:]).replace("g", "h")
    return re.sub(r"(.)\1+", r"\1", s)


_GUTTURAL = re.compile(r"^(?:kh|h|x)")


def token_relation(a: str, b: str) -> Literal["same", "variant", "different"]:
    """One name token against another: identical, a transliteration of it, or another name.

    Both tests must agree for a variant: the skeletons match (or nearly, and the
    letters do too), and the raw letters are not too far apart ("haddad"/"hadi"
    share a skeleton but are different names).
    """
    if a == b or a.rstrip("s") == b.rstrip("s"):
        return "same"  # "Arab"/"Arabs": an inflection, not another spelling
    ka, kb = skeleton(a), skeleton(b)
    raw = fuzz.ratio(a, b)
    if ka == kb and raw > 60:
        return "variant"
    # One guttural sound starts a name as "Kh", "H" or "X" (Kholmatov/Holmatov/Xolmatov).
    initial = _GUTTURAL.match(a) and _GUTTURAL.match(b)
    if initial and raw > 70 and skeleton(_GUTTURAL.sub("", a)) == skeleton(_GUTTURAL.sub("", b)):
        return "variant"
    if ka[:1] == kb[:1] and raw >= 80 and fuzz.ratio(ka, kb) >= 80:
        return "variant"
    return "different"


_PairRelation = Literal["same", "initial", "short", "variant", "different", "demonym"]
_ORDER: tuple[_PairRelation, ...] = ("same", "initial", "short", "variant", "demonym", "different")


def _pair_relation(a: str, b: str, *, given: bool) -> _PairRelation:
    """One token of a name against the token in its place in another: ``token_relation`` plus what only a
    name's position tells: an initial ("j" for "john"), a familiar short form of a given name ("dave" for
    "david"), a place's adjective in a place's name ("korean" for "korea")."""
    if a != b and min(len(a), len(b)) == 1 and a[0] == b[0]:
        return "initial"
    rel = token_relation(a, b)
    if rel == "same":
        return rel
    if given and short_form(a, b):
        return "short"
    if demonym(a, b):
        return "demonym"
    return rel


@lru_cache(maxsize=16384)
def name_relation(a: tuple[str, ...], b: tuple[str, ...]) -> NameRelation:
    """How two names (core tokens) relate: one spelling, one name more or less fully, a short form of the
    given name, a spelling variant, a different name, or unrelated.

    Tokens are aligned first-with-first and last-with-last so "Murad Sabri" and
    "Sabri" line up on the surname.
    """
    if not a or not b:
        return "unrelated"
    if a == b:
        return "same"
    # Middle initials and suffixes make a name fuller, not different: "Maria T. Olsen Jr." is "Maria Olsen".
    # A formal full name written with initials against its familiar form ("J. Daniel Ames" / "Dan Ames") is
    # the same name in two registers, not a choice to check: shortened too.
    a2, b2 = _without_extras(a), _without_extras(b)
    if (a2, b2) != (a, b) and a2 and b2:
        fuller = name_relation(a2, b2)
        return "shortened" if fuller in ("same", "short form") else fuller
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    k = len(short)
    if any(long_[i : i + k] == short for i in range(len(long_) - k + 1)):
        # "Jonas Velde" inside "Administrator Jonas Velde" (a title not known as one, read as a name)
        return "shortened"
    rel: list[_PairRelation]
    if len(short) == 1:
        # A lone token is a surname ("Sabri") or a first name used alone: match it wherever it fits best.
        rel = [min((_pair_relation(short[0], t, given=False) for t in long_), key=_ORDER.index)]
    else:
        pairs = (
            list(zip(short, long_, strict=True))
            if len(short) == len(long_)
            else [(short[0], long_[0]), (short[-1], long_[-1])]
        )
        rel = [_pair_relation(x, y, given=i == 0) for i, (x, y) in enumerate(pairs)]
    if rel[-1] == "demonym":
        return "unrelated"  # "South Korean" officials are not a person called "South Korea"
    if all(r in ("same", "initial") for r in rel):
        return "shortened" if len(a) != len(b) or "initial" in rel else "same"
    if all(r in ("same", "initial", "short") for r in rel):
        return "short form"
    if "different" not in rel:
        return "spelling variant"
    if len(rel) >= 2 and any(r != "different" for r in rel):
        if rel[0] == "different" and rel[-1] != "same":
            return "unrelated"  # another given name and a surname only alike ("Ana Ruiz" / "Lena Ruis"): two people
        return "different name"
    return "unrelated"


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Given names and their familiar forms, both ways ("david" -> {"dave", "davey", ...}, "dave" -> {"david"})."""
    from nicknames import NickNamer  # a curated list of English given names and their short forms

    out: dict[str, set[str]] = {}
    for full, shorts in NickNamer.default_lookup().items():
        for short in shorts:
            out.setdefault(full, set()).add(short)
            out.setdefault(short, set()).add(full)
    return {k: frozenset(v) for k, v in out.items()}


def short_form(a: str, b: str) -> bool:
    """Is one given name a familiar short form of the other ("Ken"/"Kenneth", "Tony"/"Anthony")?"""
    return b in _nicknames().get(a, frozenset())


# The endings that make a place's adjective (and its people's name) of a place name: "Kenya"/"Kenyan",
# "Sudan"/"Sudanese", "Iraq"/"Iraqi", "Italy"/"Italian".
_DEMONYM_ENDINGS = ("n", "an", "ian", "ean", "ese", "i", "ish")


def demonym(a: str, b: str) -> bool:
    """Is one token the other's adjective of nationality ("freedonian" for "freedonia")?"""
    place, adj = (a, b) if len(a) < len(b) else (b, a)
    if len(place) < 4:
        return False
    stems = {place, place[:-1]} if place[-1] in "aeiouy" else {place}
    return any(adj == stem + end for stem in stems for end in _DEMONYM_ENDINGS)


_SUFFIXES = frozenset("jr sr ii iii iv v".split())


def _without_extras(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A name without suffixes and initials ("J. Daniel Ames Jr." -> daniel ames), as long as a given name and
    a surname are left ("J. Ames" keeps its initial)."""
    kept = tuple(t for t in tokens if t not in _SUFFIXES)
    if len(kept) > 2:
        kept = (*(t for t in kept[:-1] if len(t) > 1), kept[-1]) if sum(len(t) > 1 for t in kept[:-1]) else kept
    return kept
