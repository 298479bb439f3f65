"""Names of people, places and organisations, and the roles that introduce them.

No NER model: capitalised sequences plus title and role patterns, which is what
news prose leans on ("police spokesman Maj Gen X", "Governor Y", "X, a district official").
How two names relate is ``reader.differences.namecompare`` (its API is re-exported here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from reader.differences.namecompare import (
    PARTICLES,
    SAME_PERSON,
    NameRelation,
    core_tokens,
    demonym,
    name_relation,
    short_form,
    skeleton,
    token_relation,
)

__all__ = [
    "SAME_PERSON",
    "NameKind",
    "NameMention",
    "NameRelation",
    "core_tokens",
    "demonym",
    "find_names",
    "gender_of",
    "name_relation",
    "role_heads",
    "roles_compatible",
    "short_form",
    "skeleton",
    "token_relation",
]

NameKind = Literal["person", "place", "organisation", "other"]


@dataclass(frozen=True)
class NameMention:
    text: str  # the name without its title, == source[start:end]
    start: int
    end: int
    kind: NameKind
    role: str = ""  # as written: "District official", "police spokesman Maj Gen", "Governor"
    role_start: int = -1  # where the role begins (-1 when there is none)

    @property
    def tokens(self) -> tuple[str, ...]:
        return core_tokens(self.text)

    @property
    def role_heads(self) -> frozenset[str]:
        return role_heads(self.role)


# Titles written in front of a name (capitalised, part of the capitalised run).
_TITLES = (
    "Lieutenant General|Lt Gen|Lt-Gen|Lt. Gen.|Major General|Maj Gen|Maj. Gen.|Brigadier General|Brig Gen|"
    "Rear Admiral|Vice Admiral|Field Marshal|Prime Minister|Foreign Minister|Defence Minister|Defense Minister|"
    "Interior Minister|Vice President|Deputy Prime Minister|Secretary of State|Secretary-General|Secretary General|"
    "President|Mayor|Governor|Minister|Secretary|Senator|Sen.|Rep.|General|Gen.|Gen|Colonel|Col.|Col|Major|Maj.|"
    "Captain|Capt.|Sergeant|Sgt.|Brigadier|Brig|Admiral|Commander|Lieutenant|Lt.|Lt|Judge|Justice|Chancellor|"
    "Ambassador|Chief|Inspector|Detective|Superintendent|Commissioner|Speaker|Coach|Dr.|Dr|Mr.|Mr|Mrs.|Mrs|Ms.|Ms|"
    "Representative|Congressman|Congresswoman|Assemblyman|Assemblywoman|Councilman|Councilwoman|Sheriff|"
    "Professor|Prof.|Sheikh|Sheik|Imam|Ayatollah|Rabbi|Father|Bishop|Archbishop|Pope|King|Queen|Prince|Princess|"
    "Baroness|Baron|Lord|Lady|Sir|Dame|Emir|Sultan|Crown Prince|Premier|Mullah|Grand Ayatollah"
)
_TITLE_ALT = "|".join(re.escape(t) for t in sorted(_TITLES.split("|"), key=len, reverse=True))
_TITLE_ANY = re.compile(rf"(?<![\w-])(?:(?:{_TITLE_ALT})\s+)+")
_TITLE_WORDS = frozenset(t.casefold().replace(".", "") for t in _TITLES.split("|"))
# Lowercase role nouns that introduce a name ("police spokesman X", "district official X").
ROLE_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson official officials minister mayor governor chief commander coach manager "
    "striker midfielder defender goalkeeper judge prosecutor lawyer attorney director president chairman "
    "chairwoman head leader secretary ambassador envoy witness resident defendant candidate officer analyst "
    "professor doctor adviser advisor aide deputy colonel general lieutenant captain source engineer "
    "seismologist meteorologist forecaster economist researcher scientist reporter correspondent representative "
    "congressman congresswoman senator lawmaker sheriff".split()
)
# Titles and roles that say a man or a woman: "Mr. Ames" is not "spokeswoman Lena Ames".
_MALE = frozenset(
    "mr sir lord king prince baron father brother spokesman chairman congressman councilman assemblyman businessman "
    "sheikh sheik emir sultan".split()
)
_FEMALE = frozenset(
    "mrs ms miss madam lady dame queen princess baroness sister spokeswoman chairwoman congresswoman councilwoman "
    "assemblywoman businesswoman".split()
)

# Roles general enough to name the same person as a more specific one ("official" vs "governor").
GENERIC_ROLES = frozenset({"official", "officials", "source", "officer", "aide"})
_ROLE_SYNONYMS = {"spokeswoman": "spokesman", "spokesperson": "spokesman", "lt gen": "lieutenant general",
                  "lt-gen": "lieutenant general", "maj gen": "major general", "gen": "general", "col": "colonel",
                  "advisor": "adviser", "capt": "captain", "dr": "doctor", "prof": "professor",
                  "brig gen": "brigadier general", "brig": "brigadier", "lt": "lieutenant", "rep": "representative",
                  "congressman": "representative", "congresswoman": "representative", "sen": "senator",
                  "chairwoman": "chairman", "assemblywoman": "assemblyman", "councilwoman": "councilman"}  # fmt: skip

_CAP = r"(?:[A-Z][\w’'.-]*|(?:al|el|ad|ar|as|ash|an|at|az|ul)-[A-Z][\w’'-]*)"
_RUN = re.compile(rf"{_CAP}(?:(?:\s+|\s+{PARTICLES}\s+){_CAP})*")
# Capitalised words that are not names (sentence openers, months, weekdays, pronouns).
_NOT_NAMES = frozenset(
    "The A An In On At But And Or If As It Its He She They We I You His Her Their Our This That These Those "
    "Meanwhile Earlier Later However Elsewhere Still Also After Before When While Although Despite Asked "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December There Here What Where Who Why How Some Many Most Several "
    "Both Each Every No Not Only Police Officials Residents Witnesses Eyewitnesses Publicly Usually Second "
    "First Third Last Next Now Then Today Yesterday Tomorrow Nearly About Around Almost Since Until".split()
)
_ORG_WORDS = frozenset(
    "Ministry Department Council Party Army Forces Force Agency News Association Union Court Committee Bank "
    "Club FC United Nations Organisation Organization Group Company Corp Corporation Inc Ltd Police University "
    "Commission Parliament Government Assembly Congress Senate Institute Foundation Office Service Times Post "
    "Journal Press Network Television Radio Airlines Federation League Board Authority Front Movement "
    "Brigade Brigades Guard Guards Coalition Alliance Church Hospital School House".split()
)
_PLACE_WORDS = frozenset(
    "Province Governorate City Town Village River Valley Street Road Square Mountains Mountain Island Islands "
    "County District Region Lake Sea Ocean Gulf Bay Desert Coast Border Airport Bridge Camp Zone".split()
)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion "
    "dozen dozens hundreds thousands millions".split()
)
_LEADING_NOT_NAMES = re.compile(r"(?:(?:" + "|".join(_NOT_NAMES) + r")\s+)+")
_SAID = re.compile(r"^\s*(?:,\s*)?(?:said|says|told|added|stated|explained|warned|claimed|insisted)\b")
_PLACE_PREP = re.compile(r"\b(?:in|near|from|to|at|into|outside|across|towards?|of|around)\s+(?:the\s+)?$")
_ROLE_BEFORE = re.compile(r"((?:[\w’'-]+\s+){0,3}?)([a-z][\w-]*)(?:'s)?,?\s+$")


def role_heads(role: str) -> frozenset[str]:
    """The words that say what a person is: "District official" -> {"official"}, "Maj Gen" -> {"major general"}."""
    words = role.casefold().replace(".", "").replace(",", "").split()
    heads = set()
    skip = -1
    for i, w in enumerate(words):
        if i == skip:
            continue
        pair = " ".join(words[i : i + 2])
        if pair in _ROLE_SYNONYMS or pair in _TITLE_WORDS:
            heads.add(_ROLE_SYNONYMS.get(pair, pair))
            skip = i + 1
        elif w in ROLE_NOUNS or w in _TITLE_WORDS:
            heads.add(_ROLE_SYNONYMS.get(w, w))
    return frozenset(heads)


def gender_of(role: str) -> str:
    """ "m" or "f" when a title or role says a man or a woman ("Mr.", "spokeswoman"), else ""."""
    words = set(role.casefold().replace(".", " ").replace(",", " ").split())
    male, female = bool(words & _MALE), bool(words & _FEMALE)
    return "m" if male and not female else "f" if female and not male else ""


def roles_compatible(a: str, b: str) -> bool:
    """Could both roles describe one person? Unknown or generic roles ("official") fit anything."""
    ha, hb = role_heads(a), role_heads(b)
    return not ha or not hb or bool(ha & hb) or bool((ha | hb) & GENERIC_ROLES)


def _kind(words: list[str], text: str, start: int, end: int, role: str) -> NameKind:
    if any(w in _ORG_WORDS for w in words) or (len(words) == 1 and words[0].isupper() and len(words[0]) > 1):
        return "organisation"
    if any(w in _PLACE_WORDS for w in words):
        return "place"
    if role or _SAID.match(text[end:]):
        return "person"
    if _PLACE_PREP.search(text[max(0, start - 12) : start]):
        return "place"
    return "person" if 2 <= len(words) <= 4 else "other"


_ROLE_STOPS = frozenset(
    "the a an said says and or but told by of with their his her its our your before after on in at to for from as "
    "that who when while".split()
)


def _role_before(text: str, start: int) -> tuple[str, int]:
    m = _ROLE_BEFORE.search(text[max(0, start - 60) : start])
    if not m or m.group(2) not in ROLE_NOUNS:
        return "", -1
    offset = max(0, start - 60)
    mods = m.group(1).split()
    # Keep the modifiers back to the nearest function word: "said police spokesman" -> "police spokesman",
    # "before dawn and their commander" -> "commander".
    kept: list[str] = []
    for word in reversed(mods):
        if word.casefold() in _ROLE_STOPS:
            break
        kept.append(word)
    mods = kept[::-1]
    role_text = " ".join([*mods, m.group(2)])
    role_start = offset + m.start(2) - sum(len(x) + 1 for x in mods) if mods else offset + m.start(2)
    role_start = text.find(role_text.split()[0], role_start)
    return text[role_start : offset + m.end(2)], role_start


def _last_title_end(run: str) -> int:
    """Where the titles in a capitalised run end ("Reformist Prime Minister Murad X" -> after "Minister"), or 0.
    A capitalised role noun is a title too ("State House Minority Leader Ken X" -> after "Leader")."""
    end = 0
    for m in _TITLE_ANY.finditer(run):
        if run[m.end() :].strip():
            end = m.end()
    for m in re.finditer(r"\b[A-Z][a-z]+\b\s+", run):
        if m.start() >= end and m.group().strip().casefold() in ROLE_NOUNS and run[m.end() :].strip():
            end = m.end()
    return end


# A title with "of" in it, then the name: "Secretary of State Lena Varga", "Minister of the Interior Ana Ruiz".
_OF_TITLE = re.compile(
    r"(?:[A-Z][\w.’'-]*\s+)*?(?:Secretary|Minister|Chief|Head|Director|Commissioner|Governor|Chancellor|Speaker|"
    r"Ambassador|Commander|Chairman|Chairwoman|Chair|President|Mayor)\s+of\s+(?:the\s+)?"
    r"(?P<run>[A-Z][\w’'-]*(?:\s+[A-Z][\w.’'-]*)+)"
)


def _of_titles(text: str) -> list[NameMention]:
    """Names after a title that has "of" in it. The capitalised run after "of" holds the title's object and
    then the name; the name is its last two words (three with a middle initial), or its last word when the
    run has two ("Secretary of State Varga")."""
    out = []
    for m in _OF_TITLE.finditer(text):
        words = list(re.finditer(r"\S+", m.group("run")))
        if len(words) < 2:
            continue
        take = 1 if len(words) == 2 else 3 if len(words) >= 4 and re.fullmatch(r"[A-Z]\.", words[-2].group()) else 2
        first = words[-take]
        start = m.start("run") + first.start()
        end = m.start("run") + words[-1].end()
        name = re.sub(r"(?:['’]s|[.,])$", "", text[start:end])
        out.append(NameMention(name, start, start + len(name), "person", text[m.start() : start].strip(), m.start()))
    return out


@lru_cache(maxsize=8192)
def find_names(text: str) -> tuple[NameMention, ...]:
    """People, places and organisations in ``text``, each with the role that introduces it."""
    out: list[NameMention] = _of_titles(text)
    titled = [(n.role_start, n.end) for n in out]
    runs = [(m.start(), m.end()) for m in _RUN.finditer(text)]
    while runs:
        run_start, run_end = runs.pop(0)
        if any(run_start < e and s < run_end for s, e in titled):
            continue  # part of "Secretary of State Lena Varga", read whole above
        start, end = run_start, run_end
        run = text[run_start:run_end]
        title_end = _last_title_end(run)
        if any(w in _ORG_WORDS for w in run[title_end:].split()):
            title_end = 0  # "General Assembly", "Supreme Court": the title word belongs to a name
        title_text = run[:title_end].strip() if title_end else ""
        start += title_end
        lead = _LEADING_NOT_NAMES.match(text[start:end])
        if lead:
            start += lead.end()
        # A possessive ends the name: "Mr Sabri's party allies" names "Sabri", and "Sabri's" marks "Sabri".
        # What follows it may be a name of its own: "the agency's Lena Ames" names the agency and Lena Ames.
        owner = re.search(r"['’]s\b", text[start:end])
        if owner:
            rest = re.match(r"\s*", text[start + owner.end() : end])
            rest_start = start + owner.end() + (rest.end() if rest else 0)
            if rest_start < end:
                runs.insert(0, (rest_start, end))
            end = start + owner.start()
        name = text[start:end]
        name = re.sub(r"(?:['’]s|(?<=s)['’])$", "", name).rstrip(".,")  # "Sabri's", "Ames'" name Sabri, Ames
        end = start + len(name)
        words = name.split()
        if not words or all(w in _NOT_NAMES or w.casefold().strip(",.") in _NUMBER_WORDS for w in words):
            continue  # "Twelve", "Two Hundred": sentence-initial number words, not names
        at_sentence_start = not text[:run_start].strip() or text[:run_start].rstrip()[-1:] in '.!?"“'
        if len(words) == 1 and at_sentence_start and not title_text and not _SAID.match(text[end:]):
            continue  # a lone capitalised opener is more often an ordinary word than a name
        if not text[start:end].strip():
            continue
        role, role_start = (title_text, run_start) if title_text else ("", -1)
        before, before_start = _role_before(text, run_start)
        if before:
            role = text[before_start : run_start + len(title_text)].strip().rstrip(",")
            role_start = before_start
            owner = re.search(r"['’]s\s+", role)  # "the minister's spokesman X": the role is "spokesman"
            if owner:
                role, role_start = role[owner.end() :], role_start + owner.end()
        out.append(NameMention(name, start, end, _kind(words, text, start, end, role), role, role_start))
    return tuple(sorted(out, key=lambda n: n.start))
