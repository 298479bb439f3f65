"""Two figures' measures compared: does something say they measure different things (``measure_apart``,
``nouns_apart``, ``frames_apart``), and how sure is it that they measure one thing (``same_thing``).
The measures themselves are read from the parse in ``reader.differences.attributes``."""

from __future__ import annotations

from functools import lru_cache

from reader.differences.attributes import Measure
from reader.differences.names import SAME_PERSON, name_relation

# A pairing at or below this is shown apart, as worth a look (its flag's confidence stays under the app's line).
UNSURE = 0.6
# Heads that are units of something else: "a 62-page complaint" counts pages of the complaint.
_UNIT_WORDS = frozenset(
    "year day week month hour minute second decade page mile kilometer kilometre meter metre foot inch yard "
    "pound ton tonne kilogram acre hectare dollar cent".split()
)
# Subjects that stand for a named one: "the couple" for "the Okafors", "the firm" for its name.
_REFERRING = frozenset(
    "couple family pair group company firm government authority agency official state city country man woman "
    "person people it they he she we team side party administration campaign ministry department".split()
)
# Nouns that count groups of people or things, never the members: "three families" are not "three people".
_COLLECTIVE = frozenset(
    "family couple group team crew party delegation unit battalion company brigade squad tribe clan "
    "village town community school class convoy fleet herd flock pack set pair batch".split()
)
# Verbs that say only that something is so, not what happened: "the toll is 30", "it has 16 rooms".
_LIGHT_VERBS = frozenset("be have include say tell show report add become remain".split())
# Verbs news copy uses for one another when it retells an amount ("cut $3.4 million", "trimmed $3.2 million"),
# each family one direction: a cut is never a rise, a payment never a receipt.
_VERB_FAMILIES = (
    "cut trim slash reduce shave chop pare lower decrease take steal remove strip drain siphon eliminate",
    "raise increase boost hike lift",
    "pay spend give donate contribute hand",
    "earn make receive collect get gross",
    "fall drop decline slide slip plunge sink tumble lose shed",
    "rise climb jump gain soar surge",
    "kill claim",
    "injure wound hurt",
    "arrest detain apprehend",
    "rescue save",
    "evacuate displace",
    "destroy flatten raze",
    "damage hit",
)
_FAMILY = {verb: n for n, family in enumerate(_VERB_FAMILIES) for verb in family.split()}


def same_verb(a: str, b: str) -> bool:
    """One verb, or two that news copy uses for one another ("cut" and "trimmed")."""
    return bool(a) and (a == b or (a in _FAMILY and _FAMILY.get(b) == _FAMILY[a]))


# What happened to people or property: outcomes that never stand for one another, unlike money, which one
# outlet tells as paid and another as received ("will boost tourism by $5 million" / "will get a $5 million boost").
_OUTCOMES = frozenset(_FAMILY[v] for v in "kill injure arrest rescue evacuate destroy damage".split())


def outcomes_apart(a: Measure, b: Measure) -> bool:
    """Two figures counted by verbs of two outcomes ("destroyed 40 homes" / "damaged 120 homes", "killed" /
    "injured", "arrested" / "rescued"): two things, however alike the sentences. Verbs outside these families
    may be paraphrases and say nothing."""
    fa, fb = _FAMILY.get(a.verb), _FAMILY.get(b.verb)
    return fa in _OUTCOMES and fb in _OUTCOMES and fa != fb


def owners_apart(a: Measure, b: Measure) -> bool:
    """Both figures belong to someone named, and not the same someone: "his rate" (Lindqvist) vs "the Okafors' rate"."""
    return (
        bool(a.whose and b.whose)
        and not (a.whose & b.whose)
        and not any(
            name_relation((x,), (y,)) in SAME_PERSON for x in a.whose for y in b.whose
        )
    )


def frames_apart(a: Measure, b: Measure) -> bool:
    """What says two figures that the aligner put side by side are about different things, whatever their nouns:
    different owners, different years, a dated past event against an undated one, a span of years against
    a single time. (Verbs and nouns are left out: aligned outlets paraphrase them.)"""
    if owners_apart(a, b):
        return True
    if a.first_year and b.first_year and a.first_year != b.first_year:
        return True
    if (a.years >= 2) != (b.years >= 2) and max(a.years, b.years) >= 2:
        return True  # "212 wolves between 1998 and 2009" against "six wolves last year"
    return (a.years == 1 and not b.years) or (b.years == 1 and not a.years)


def nouns_apart(a: Measure, b: Measure) -> bool:
    """The two figures count or measure different nouns ("100 metres deep" of the sea, "100 metres high" of an
    island; "three people" and "three families"): the narrow test for figures the aligner already paired."""
    if a.dimension != b.dimension or a.dimension == "age":
        return a.dimension != b.dimension
    if a.thing and b.thing and a.thing != b.thing:
        return True  # (two different counted nouns may be synonyms: "protesters", "demonstrators")
    if a.head and b.head and a.head != b.head and (a.head in _COLLECTIVE or b.head in _COLLECTIVE):
        return True  # "three other people" and "three families": people, and groups of them
    return _qualified_apart(a.qualifiers, b.qualifiers)


def measure_apart(a: Measure, b: Measure) -> bool:
    """Does something in the two sentences say the figures measure different things?"""
    if a.dimension != b.dimension or a.negated != b.negated or a.modal != b.modal:
        return True
    if a.first_year and b.first_year and a.first_year != b.first_year:
        return True  # "22.4 percent in 2019" and "19.8 percent from 2012 to 2019" are two rates
    if a.dimension != "age" and ((a.years == 1 and not b.years) or (b.years == 1 and not a.years)):
        return True  # "the 1998 flood killed four people" against this flood's toll ("Ana Ruiz, 76, who has led
        # since 2005" is still her age now)
    if a.dimension == "age":
        return not (
            a.owner and b.owner and name_relation(a.owner, b.owner) in SAME_PERSON
        )
    if a.dimension == "magnitude":
        return a.head != b.head  # the quake and an aftershock; verbs and subjects vary too much to tell more
    if (a.head and b.head and a.head != b.head) or (a.thing and b.thing and a.thing != b.thing):
        return True
    if (
        a.verb
        and b.verb
        and not same_verb(a.verb, b.verb)
        and a.verb not in _LIGHT_VERBS
        and b.verb not in _LIGHT_VERBS
    ):
        return True
    if a.topics and b.topics and not a.topics & b.topics:
        return True
    if a.agents and b.agents and not a.agents & b.agents:
        return True  # "Okafor released six years of returns", "Lindqvist released 20 years of returns"
    if owners_apart(a, b):
        return True
    if a.subject and b.subject and not a.subject & b.subject and not (a.subject | b.subject) & _REFERRING:
        return True  # "its shares lost 12 percent", "the index fell 3 percent"
    return _qualified_apart(a.qualifiers, b.qualifiers)  # "state taxes" and "federal taxes"


@lru_cache(maxsize=65536)
def same_thing(a: Measure, b: Measure) -> tuple[float, str]:
    """How sure it is that two figures measure one thing (0 when something says they do not), and why.

    The reason is plain words for the reader: "both give the age of Ana Ruiz".
    """
    if measure_apart(a, b):
        return 0.0, ""
    if a.dimension == "age":
        who = " ".join(w.capitalize() for w in (a.owner if len(a.owner) >= len(b.owner) else b.owner))
        sure = 0.85 if min(len(a.owner), len(b.owner)) >= 2 or len(a.owner[0]) > 3 else 0.6
        return sure, f"both give the age of {who}"
    if a.dimension == "magnitude":
        return 0.75, f"both give the magnitude of the {a.head or 'quake'}"
    anchors = []
    one_verb = same_verb(a.verb, b.verb) and a.verb not in _LIGHT_VERBS
    if a.head and a.head == b.head and a.head not in _UNIT_WORDS and (a.head != "person" or one_verb):
        anchors.append("people" if a.head == "person" else f"“{a.head}”")
    if a.thing and a.thing == b.thing:
        anchors.append(f"the {a.thing}")
        if a.head and a.head == b.head and a.head in _UNIT_WORDS:
            anchors.append(f"its {a.head}s")  # "a 62-page complaint": pages of the complaint
    if one_verb:
        anchors.append(f"what was {past_tense(a.verb)}")
    shared = sorted(a.topics & b.topics)
    if shared:
        anchors.append(f"“{shared[0]}”")
    if a.subject & b.subject:
        anchors.append(f"“{sorted(a.subject & b.subject)[0]}”")
    if len(anchors) < 2:
        return 0.0, ""
    sure = min(0.9, 0.45 + 0.15 * len(anchors))
    why = "both count or measure " + " and ".join(anchors[:3])
    if a.future != b.future:  # "the plan will cut $3.4 million" and "the budget trimmed $3.2 million"
        return min(sure, UNSURE), why + ", one told as what will happen"
    return sure, why


def _qualified_apart(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> bool:
    for noun in {n for n, _ in a} & {n for n, _ in b}:
        ma, mb = {m for n, m in a if n == noun}, {m for n, m in b if n == noun}
        if not ma & mb:
            return True
    return False


def past_tense(verb: str) -> str:
    """The past participle for "what was paid": common irregular verbs from a table, the rest by rule."""
    if verb in ("cut", "hit", "cost", "put", "set", "shed", "spread", "let", "bid", "quit", "hurt", "split"):
        return verb
    irregular = {"steal": "stolen", "get": "got", "lend": "lent",
                 "pay": "paid", "win": "won", "lose": "lost", "take": "taken", "find": "found", "give": "given",
                 "hold": "held", "leave": "left", "make": "made", "spend": "spent", "sell": "sold", "raise": "raised",
                 "seek": "sought", "bring": "brought", "buy": "bought", "build": "built", "send": "sent"}  # fmt: skip
    if verb in irregular:
        return irregular[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"
