"""Claims compared across the whole story, wherever the aligner put their sentences: how badly people were
hurt, and where one thing was found or left (``reader.differences.wherediff``).

``story_claim_findings`` is the one entry the story-wide pass calls.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.differences.mentions import Mention, outlets_of, span_of
from reader.differences.wherediff import place_findings
from reader.model import Article, Discrepancy, Group

# How badly someone was hurt, in the words news copy uses. "Serious" alone is too loose ("a serious fire"):
# only its forms that speak of a person's state count.
_MILD = re.compile(
    r"\b(?:minor|moderate|non-life-threatening|not\s+life-threatening|superficial|slight)\s+"
    r"(?:injur(?:y|ies)|wounds?|burns?|cuts)\b",
    re.I,
)
_GRAVE = re.compile(
    r"\bin\s+(?:critical|serious|grave)\s+(?:but\s+stable\s+)?condition\b|"
    r"\b(?:critical|serious|grave|life-threatening)\s+(?:condition|injur(?:y|ies)|wounds?|burns?)\b|"
    r"\b(?:critically|seriously|gravely)\s+(?:injured|wounded|hurt|burned|ill)\b",
    re.I,
)


def story_claim_findings(
    articles: Sequence[Article], groups: Sequence[Group], index: dict[str, Mention]
) -> list[Discrepancy]:
    return severity_findings(articles, groups, index) + place_findings(articles, groups, index)


def severity_findings(
    articles: Sequence[Article], groups: Sequence[Group], index: dict[str, Mention]
) -> list[Discrepancy]:
    """Outlets that tell of minor injuries only, against outlets that tell of someone critically hurt.

    An outlet that gives both ("two critically hurt, a dozen with minor injuries") has told the range; one
    that gives only minor injuries while another has someone in critical condition has left out, or
    contradicts, the worst of it: worth a look either way."""
    home_of: dict[str, str] = {}
    for g in groups:
        for sid in g.sentences:
            home_of.setdefault(sid, g.id)
    mild: list[tuple[Mention, re.Match[str]]] = []
    grave: list[tuple[Mention, re.Match[str]]] = []
    for article in articles:
        hits = [(kind, index[s.id], m) for s in article.sentences if s.id in index for kind, m in _severity(s.text)]
        if any(kind == "grave" for kind, _, _ in hits):
            grave.extend((mention, m) for kind, mention, m in hits if kind == "grave")
        else:
            mild.extend((mention, m) for kind, mention, m in hits)
    if not mild or not grave:
        return []
    (ma, a), (_, b) = mild[0], grave[0]
    if ma.sentence.id not in home_of:
        return []
    mild_outlets = outlets_of([m for m, _ in mild])
    grave_outlets = outlets_of([m for m, _ in grave])
    summary = (
        f"Injuries: “{a.group()}” ({', '.join(mild_outlets)}) vs “{b.group()}” ({', '.join(grave_outlets)}); "
        "one side tells of minor injuries only"
    )
    firsts: dict[str, tuple[Mention, re.Match[str]]] = {}
    for m, x in sorted(mild + grave, key=lambda mx: (mx[0].order, mx[0].sentence.start)):
        firsts.setdefault(m.outlet, (m, x))  # each outlet's first mention, in the outlets' order
    values = tuple(span_of(m, x.start(), x.end()) for m, x in firsts.values())
    why = "One outlet tells only of minor injuries, another of someone critically or seriously hurt"
    outlets = outlets_of([m for m, _ in firsts.values()])
    return [Discrepancy("", "claim", home_of[ma.sentence.id], summary, values, outlets, "severity", 0.45, why=why)]


def _severity(text: str) -> list[tuple[str, re.Match[str]]]:
    return [("grave", m) for m in _GRAVE.finditer(text)] + [("mild", m) for m in _MILD.finditer(text)]
