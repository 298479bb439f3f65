"""Quotes across outlets: the same speaker's words shortened or reworded by another outlet."""

from __future__ import annotations

from collections.abc import Sequence

from reader.differences.mentions import Mention, outlets_of, quoted, span_of
from reader.differences.quotes import Quote, differing_words, find_quotes, quote_relation, speaker_label
from reader.model import Discrepancy, Group


def quote_findings(group: Group, mentions: Sequence[Mention]) -> list[Discrepancy]:
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
