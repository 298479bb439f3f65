"""The passes over an article's body once its start is known: lines, lists, embeds, the tail, link lists.

Split from ``reader.intake.cleaning.page`` (which cuts a page into blocks, finds where the article starts and
where comments begin, and picks the headline); the same rules of form and place, no word lists
about any story.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from reader.intake.cleaning import rules as r
from reader.intake.segment import strip_bullet
from reader.text import normalise


@dataclass
class Block:
    position: int
    text: str
    reason: str | None = None
    kept_text: str | None = None  # the text to keep when it differs from ``text`` (bullet or caption cut off)
    cut: str | None = None  # a glued caption cut off the front, removed with its own reason


def _introduces_a_list(text: str) -> bool:
    """ "Mandatory evacuation orders are in place for the following zones:": a sentence, not a heading."""
    return text.rstrip().endswith(":") and len(r.words(text)) >= 5


def mark_body_lines(blocks: list[Block], body_start: int) -> None:
    listed = False  # inside a list that a sentence introduced ("... the following zones:")
    for b in blocks:
        if b.reason is not None or b.position < body_start:
            continue
        text = b.kept_text or b.text
        bullet = r.BULLET.match(text)
        if bullet:
            item = strip_bullet(text)
            # Menus are short lines; a list the article introduced, or items carrying figures
            # ("Ana Korvač (Civic Renewal): 50.9%"), are reporting however short.
            figures = len(r.words(item)) >= 2 and any(ch.isdigit() for ch in item)
            if len(r.words(item)) >= 6 or figures or (listed and len(r.words(item)) >= 2):
                b.kept_text = item
            else:
                b.reason = r.MENU
            continue
        listed = _introduces_a_list(text)
        if (r.BYLINE_RE.match(text) and len(r.words(text)) <= 8) or r.DATE_ONLY.match(text):
            b.reason = r.BYLINE
        elif (r.is_menu_like(text) and not listed) or (len(r.words(text)) <= 6 and r.QUESTION_HEADING.match(text)):
            b.reason = r.HEADING
        elif _looks_like_caption(text) and not listed:
            b.reason = r.CAPTION_LINE


def mark_embeds_and_tail(blocks: list[Block], body_start: int) -> None:
    """The text of an embedded post above its "— Name (@handle) date" line; and at the article's end, what
    newsrooms append after the story: reporting credits and the author's biography."""
    for i, b in enumerate(blocks):
        if b.reason == r.SOCIAL_EMBED and r.SOCIAL_ATTRIBUTION.match(b.text) and i > 0:
            post = blocks[i - 1]
            if post.reason is None and post.position >= body_start and len(r.words(post.text)) <= 60:
                post.reason = r.SOCIAL_EMBED
    kept = [b for b in blocks if b.reason is None and b.position >= body_start]
    for b in kept[-4:]:
        text = b.kept_text or b.text
        if len(r.words(text)) <= 60 and r.CREDIT_RE.search(text):
            b.reason = r.CREDIT_LINE
        elif len(r.words(text)) <= 80 and r.AUTHOR_BIO_RE.match(text):
            b.reason = r.AUTHOR_BIO


def mark_link_lists(blocks: list[Block]) -> None:
    """Under a "Most read" / "Related" / "More for you" heading, headline after headline is other stories,
    until a paragraph of prose shows the article (or another) has resumed."""
    in_list = False
    for b in blocks:
        text = b.kept_text or b.text
        if r.LINK_LIST.match(text) and r.is_menu_like(text):
            in_list = True
            continue
        if not in_list:
            continue
        if b.reason is None:
            if r.is_headline_shaped(text):
                b.reason = r.TEASER
            else:
                in_list = False
        elif b.reason in (r.COMMENTS,):
            in_list = False


def _looks_like_caption(text: str) -> bool:
    """One unpunctuated descriptive line: what photo galleries leave in saved text.

    Prose that merely lost its full stop still reads as prose: it ends in a
    quotation or a colon, or has more than one sentence.
    """
    return (
        not r.has_terminal(text)
        and len(r.words(text)) <= 40
        and text.rstrip()[-1:] not in ":\"”’»'"
        and r.sentence_count(text) == 1
    )


def mark_duplicates(blocks: list[Block]) -> None:
    seen: set[str] = set()
    for b in blocks:
        if b.reason is not None:
            continue
        key = normalise(b.kept_text or b.text)
        if key in seen:
            b.reason = r.DUPLICATE
        seen.add(key)


def mark_teasers(blocks: list[Block]) -> None:
    """Paragraphs about another story: ellipsis-cut, or under a "see also" heading at the end of the article,
    and sharing almost no words with the article."""
    kept = [b for b in blocks if b.reason is None]
    words_of = {b.position: r.content_words(b.kept_text or b.text) for b in kept}
    counts = Counter(w for ws in words_of.values() for w in ws)

    def share(b: Block) -> float:
        mine = words_of[b.position]
        # a word is shared when some other kept paragraph has it too
        return sum(1 for w in mine if counts[w] > 1) / len(mine) if mine else 1.0

    # where the article's own reporting ends: after its last paragraph that shares its words
    last_on_topic = max((b.position for b in kept if share(b) >= 0.3), default=-1)
    for b in kept[3:]:
        previous = blocks[b.position - 1] if b.position > 0 else None
        under_box = (
            previous is not None
            and previous.reason in (r.HEADING, r.CAPTION_LINE)
            and bool(r.SEE_ALSO.search(previous.text))
        )
        ellipsis = r.ends_with_ellipsis(b.kept_text or b.text)
        if (ellipsis and share(b) < 0.3) or (under_box and b.position > last_on_topic and share(b) < 0.15):
            b.reason = r.TEASER


