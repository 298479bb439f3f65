"""The headline among the lines above an article, and what else up there is chrome, not reporting.

Split from ``reader.intake.cleaning.page`` (which cuts a page into blocks and finds where the
article and its comments start). Every line above the article competes by how many of the
article's own words it shares; a "Headline | Site" page title competes with its headline part.
Linear in the lines: each line is normalised once (``_spellings``), never once per other line.
"""

from __future__ import annotations

from reader.intake.cleaning import rules as r
from reader.intake.cleaning.body import Block as _Block
from reader.model import RawDocument
from reader.text import normalise


def _title_from(candidates: list[_Block], body_words: set[str]) -> tuple[_Block | None, str]:
    """The headline among the lines above the article.

    Lines of four words or more (menu entries are shorter) compete; a "Headline | Site" page
    title competes with its headline part. The headline is the line that shares most of the
    article's words, counted and as a share of its own: "Skip to main content" shares none,
    and a three-word weather alert whose words all recur below loses to a headline that shares
    nine of its eleven (counted up to eight). A line of over 22 words counts half (a standfirst under
    the headline shares more words only by being longer). A page title gets a small bonus, and gives
    way to the page's heading when that says the same headline at more length.
    """
    scored: list[tuple[float, int, _Block, str]] = []
    spelled = _spellings(candidates)
    for k, b in enumerate(candidates):
        if any(rule.match(b.text) for rule in (r.DATE_ONLY, r.BYLINE_RE, r.PUBLISHED, r.TICKER)):
            continue
        parts = r.page_title_parts(b.text) if " | " in b.text else None
        text = parts[0] if parts else b.text
        if parts is None and _suffixed_copy(b.text, spelled):
            continue  # "Headline - Site" with the bare "Headline" further down: that one is the headline
        mine = r.content_words(text)
        if len(r.words(text)) < 4 or (" | " in b.text and parts is None):
            continue
        shared = len(mine & body_words)
        ratio = shared / len(mine) if mine else 0.0
        # Past eight shared words, more says the line is longer, not that it is the headline; over 22
        # words a line is more often the standfirst under the headline than a headline.
        length = 0.5 if len(r.words(text)) > 22 else 1.0
        scored.append((round(min(shared, 8) * ratio * length, 2) + (0.5 if parts else 0.0), -k, b, text))
    if scored:
        _, _, best, text = max(scored, key=lambda x: (x[0], x[1]))  # the topmost of equals
        if text != best.text:  # a page title's headline: the page's own heading may give it in full
            fuller = [c for c in candidates if c is not best and normalise(c.text).startswith(normalise(text))]
            if fuller:
                return fuller[0], fuller[0].text
        return best, text
    eligible = [b for b in candidates if not r.DATE_ONLY.match(b.text) and not r.BYLINE_RE.match(b.text)
                and " | " not in b.text]
    longest = max(eligible, key=lambda b: len(r.words(b.text)), default=None)
    if longest is not None and len(r.words(longest.text)) >= 2:
        return longest, longest.text
    return None, ""


def _spellings(candidates: list[_Block]) -> dict[str, set[str]]:
    """Normalised line -> up to two of the lines that normalise to it, built once per page.

    Asking "is there another line that reads like this?" of this table keeps the headline search
    linear; normalising every line for every line took 15 s on 5,000 one-word lines.
    """
    spelled: dict[str, set[str]] = {}
    for c in candidates:
        seen = spelled.setdefault(normalise(c.text), set())
        if len(seen) < 2:
            seen.add(c.text)
    return spelled


def _suffixed_copy(text: str, spelled: dict[str, set[str]]) -> bool:
    for sep in r.TITLE_SEPARATORS:
        head, found, _ = text.rpartition(sep)
        if found and any(other != text for other in spelled.get(normalise(head), ())):
            return True
    return False


def _with_suffix(line: str, title: str) -> bool:
    return any(line.startswith(title + sep.rstrip()) for sep in r.TITLE_SEPARATORS)


def strip_site_suffix(title: str, site_name: str | None) -> str:
    """ "Headline | Site" -> "Headline"; "Headline - Site" only when Site is the known site name."""
    if " | " in title:
        return r.split_title(title)[0]
    if site_name:
        for sep in r.TITLE_SEPARATORS:
            head, found, tail = title.rpartition(sep)
            if found and head and normalise(site_name) in normalise(tail):
                return head.strip()
    return title.strip()


def mark_leading(blocks: list[_Block], body_start: int, raw: RawDocument) -> str:
    lead = [b for b in blocks if b.reason is None and b.position < body_start]
    if raw.title:
        title = strip_site_suffix(raw.title, raw.site_name)
        chosen = None
    else:
        body_words: set[str] = set()
        for b in blocks:
            if b.reason is None and b.position >= body_start:
                body_words |= r.content_words(b.kept_text or b.text)
        chosen, title = _title_from([b for b in lead if (len(r.words(b.text)) <= 30 and not r.has_terminal(b.text))
                                     or (r.words(b.text) and b.text.rstrip()[-1:] in "?!")], body_words)
    norm_title = normalise(title)

    def limit(b: _Block) -> int:
        # An unpunctuated line under the headline may be its standfirst; above it, a site's tagline.
        return 16 if chosen is not None and b.position < chosen.position else 12

    for b in lead:
        if b is chosen:
            b.reason = ""  # the headline: neither a paragraph nor removed
        elif norm_title and (normalise(b.text) == norm_title or _with_suffix(normalise(b.text), norm_title)):
            b.reason = r.HEADLINE_AGAIN
        elif " | " in b.text and len(r.words(b.text)) <= 20:
            b.reason = r.PAGE_TITLE
        elif len(r.words(b.text)) < 10 or (not r.has_terminal(b.text) and len(r.words(b.text)) < limit(b)):
            b.reason = r.BYLINE if r.BYLINE_RE.match(b.text) or r.DATE_ONLY.match(b.text) else r.CHROME
    return title
