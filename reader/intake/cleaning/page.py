"""From a saved page or pasted text down to the article: headline plus paragraphs (the headline search is headline.py).

The page is cut into blocks (paragraphs, or single lines where lines are clearly
separate items), every block is judged by its form and its place, and whatever
is not reporting is set aside with a reason and its block position, so the user
can see it and put it back where it was (``reader.intake.articles.build_article``).

HTML first goes through trafilatura, the field's reference extractor, for the
main text; its output then meets the same block judge as plain text, because
pages saved as text (the common case in a newsroom) carry the same junk.

Cleaning never writes words: every kept paragraph is a piece of the input,
except that a caption glued to the front of a sentence is cut off.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from reader.errors import SourceError
from reader.intake.cleaning import rules as r
from reader.intake.cleaning.body import Block as _Block
from reader.intake.cleaning.body import (
    mark_body_lines,
    mark_duplicates,
    mark_embeds_and_tail,
    mark_link_lists,
    mark_teasers,
)
from reader.intake.cleaning.headline import mark_leading
from reader.intake.rawhtml import check_page_blocks, check_page_size, flatten_deep_html, looks_like_html, slim_html
from reader.model import CleanText, RawDocument, Removed

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_COMMENT_LOOKAHEAD = 4
MAX_ARTICLE_CHARS = 1_000_000


# --------------------------------------------------------------------------- blocks


def _sentence_ends_ahead(lines: list[str], width: int) -> list[bool]:
    """For each line: does the text from it on reach a line that ends a sentence before a short line?

    One backward pass, so ``_wrapped`` never scans ahead line by line (a chunk of thousands of
    full-width lines without a full stop took quadratic time).
    """
    ahead = [False] * len(lines)
    reaches = False
    for j in range(len(lines) - 1, -1, -1):
        if r.has_terminal(lines[j]):
            reaches = True
        elif len(lines[j]) < 0.8 * width:
            reaches = False
        ahead[j] = reaches
    return ahead


def _wrapped(lines: list[str], i: int, width: int, ahead: list[bool]) -> bool:
    """Is ``lines[i]`` hard-wrapped prose that continues on the next line?

    Wrapped prose (wire copy, e-mail) fills lines to a fixed width and runs on
    until a line ends a sentence; a line well short of the width, or one in a
    page whose lines are paragraphs of any length, is an item of its own.
    """
    line, following = lines[i], lines[i + 1]
    if len(line) < 50 or r.has_terminal(line) or r.BULLET.match(following):
        return False
    if following[:1].islower():
        return True
    if width > 100 or len(line) < 0.8 * width:
        return False
    return ahead[i + 1]


def text_blocks(text: str) -> list[str]:
    """Paragraphs split on blank lines; lines of one paragraph apart when they are separate items."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[str] = []
    for chunk in _BLANK_LINE.split(text):
        lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
        width = max(map(len, lines), default=0)
        ahead = _sentence_ends_ahead(lines, width) if width <= 100 else []
        current = ""
        for i, line in enumerate(lines):
            current = f"{current}\n{line}" if current else line
            if i + 1 == len(lines) or not _wrapped(lines, i, width, ahead):
                blocks.append(current)
                current = ""
    return blocks


def _html_fallback_blocks(html: str) -> list[str]:
    """Block texts of a page trafilatura found no article in (all comments, a tiny page)."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return []
    for bad in root.xpath("//script|//style|//noscript|//template|//iframe|//svg|//head"):
        bad.drop_tree()
    tags = "//p|//h1|//h2|//h3|//h4|//h5|//h6|//li|//blockquote|//pre|//dt|//dd|//figcaption|//td"
    found = [" ".join(el.text_content().split()) for el in root.xpath(tags)]
    found = [t for t in found if t]
    return found or text_blocks(root.text_content())


def html_blocks(html: str, url: str | None = None) -> list[str]:
    """Block texts of a page, best given as ``slim_html`` leaves it (``clean`` does)."""
    import trafilatura

    # Parsers silently drop whatever sits below their depth limit; unwrapped, it reaches them whole.
    html = flatten_deep_html(html)
    try:
        main = trafilatura.extract(
            html, url=url, include_comments=False, include_tables=True, include_images=False, include_links=False,
            deduplicate=False,
        )
    except Exception:  # a parser crash on a hostile page falls back to our own reading
        main = None
    if main and main.strip():
        return [ln.strip() for ln in main.split("\n") if ln.strip()]
    return _html_fallback_blocks(html)


# --------------------------------------------------------------------------- rules


def _mark_scripts(blocks: list[_Block]) -> None:
    totals: dict[str, int] = {}
    per_block = []
    for b in blocks:
        counts = r.script_counts(b.text)
        per_block.append(counts)
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    body = r.main_script(totals)
    for b, counts in zip(blocks, per_block, strict=True):
        mine = r.main_script(counts)
        if b.reason is None and body and mine and mine != body and counts[mine] > sum(counts.values()) / 2:
            b.reason = r.OTHER_SCRIPT.format(script=mine, body=body)


def _mark_languages(blocks: list[_Block]) -> None:
    """Whole lines in another language of the same script (a French "read also" line in English copy)."""
    live = [b for b in blocks if b.reason is None]
    totals: Counter[str] = Counter()
    votes = {}
    for b in live:
        votes[b.position] = r.language_votes(b.text)
        totals.update(votes[b.position])
    if not totals or totals.most_common(1)[0][1] < 10:
        return  # too little text, or a language we have no word list for: judge nothing
    body = totals.most_common(1)[0][0]
    for b in live:
        mine = votes[b.position]
        other, count = max(mine.items(), key=lambda kv: kv[1])
        if other != body and count >= 3 and count >= 3 * mine[body] and len(r.words(b.text)) >= 5:
            b.reason = r.OTHER_LANGUAGE.format(language=other, body=body)


# One block on its own: (at most this many words, the test, the reason), first match wins. Word counts
# come first: most blocks are long paragraphs that no pattern applies to.
_SINGLE_RULES: tuple[tuple[int, Callable[[str], object], str], ...] = (
    (30, r.MEDIA_NOTICE_RE.search, r.MEDIA_NOTICE),
    (80, lambda t: r.PHOTO_CREDIT.search(t) and not _caption_then_sentence(t), r.PHOTO_CAPTION),
    (8, r.ID_LINE.match, r.CHROME_ID),
    (10, r.SHARE_RE.match, r.SHARE),
    (25, r.PROMO_RE.search, r.PROMO),
    (150, r.is_consent_notice, r.CONSENT),
    (40, r.SMALL_PRINT.search, r.PROMO),
    (60, r.CORRECTION_RE.search, r.CORRECTION),
    (40, r.SOCIAL_ATTRIBUTION.match, r.SOCIAL_EMBED),
    (10**9, r.TRANSCRIPT_LINE.match, r.TRANSCRIPT),
    (30, r.INLINE_TEASER.match, r.TEASER),
)


def _mark_single(b: _Block) -> None:
    if r.is_residue(b.text):
        b.reason = r.RESIDUE
        return
    n = len(r.words(b.text))
    for most, test, reason in _SINGLE_RULES:
        if n <= most and test(b.text):
            b.reason = reason
            return


def _caption_then_sentence(text: str) -> bool:
    """A credited caption glued to the next paragraph: ``_mark_glued`` cuts the caption, the sentence stays."""
    at = r.glued_split(text)
    if at is None or not r.PHOTO_CREDIT.search(text[:at]):
        return False
    rest = text[at:].strip()
    return r.has_terminal(rest) and len(r.words(rest)) >= 4


def _is_comment_structure(text: str) -> bool:
    """Lines that only appear inside comment threads: commenter name/time lines, form chrome."""
    short = len(r.words(text)) <= 12
    return bool(
        (r.COMMENT_FORM.search(text) and len(r.words(text)) <= 25)
        or (short and r.COMMENT_AUTHOR.match(text))
        or (short and r.TIMESTAMP.search(text) and not r.has_terminal(text) and not r.DATE_ONLY.match(text)
            and not r.PUBLISHED.match(text) and r.names_someone_beside_a_time(text))
    )


def _comment_start(blocks: list[_Block], body_start: int) -> int | None:
    """First block of a comment section, found by structure (header, commenter lines, form chrome)."""
    candidates = [b for b in blocks if b.reason is None or b.reason == r.RESIDUE]
    prose_seen, counted = 0, 0  # prose blocks after the body's start among candidates[:counted]
    for i, b in enumerate(candidates):
        text = b.text
        header = (bool(r.COMMENT_HEADER.match(r.BULLET.sub("", text))) and len(r.words(text)) <= 8) or (
            bool(r.COMMENT_TITLE_HEADER.match(text)) and len(r.words(text)) <= 40)
        form = bool(r.COMMENT_FORM.search(text)) and len(r.words(text)) <= 25
        if not (header or form or _is_comment_structure(text)):
            continue
        if not (header or form) and b.position < body_start:
            continue  # dated lines above the article are its own publication dates, not commenters
        after = candidates[i + 1 : i + 1 + _COMMENT_LOOKAHEAD]
        if header:  # counted as far as needed, never again from the top: a page of headers stays linear
            prose_seen += sum(1 for c in candidates[counted:i] if c.position > body_start and _is_prose(c.text))
            counted = i
        confirmed = (
            form
            or any(_is_comment_structure(a.text) for a in after)
            # a bare header ends the article only once real reporting has been seen above it
            or (header and prose_seen >= 3)
        )
        if confirmed:
            return b.position
    return None


def _is_prose(text: str) -> bool:
    return len(r.words(text)) >= 8 and r.has_terminal(text)


def _mark_media_neighbours(blocks: list[_Block]) -> None:
    """The lines either side of a media-player notice are the player's title and caption."""
    for i, b in enumerate(blocks):
        if b.reason != r.MEDIA_NOTICE:
            continue
        if i > 0 and blocks[i - 1].reason is None and r.is_menu_like(blocks[i - 1].text):
            blocks[i - 1].reason = r.MEDIA_CAPTION
        if any(blocks[k].reason == r.PHOTO_CAPTION for k in range(max(0, i - 2), i)):
            continue  # the player's caption is labelled above it ("Media caption, ..."): what follows is prose
        if i + 1 < len(blocks):
            nxt = blocks[i + 1]
            if nxt.reason is None and len(r.words(nxt.text)) <= 60 and r.sentence_count(nxt.text) <= 2:
                nxt.reason = r.MEDIA_CAPTION


def _mark_glued(b: _Block) -> None:
    at = r.glued_split(b.text)
    if at is None:
        return
    rest = b.text[at:].strip()
    if not rest or not r.has_terminal(rest) or len(r.words(rest)) < 4:
        # No sentence after the glue: a dated gallery caption is one; anything else is judged by its place.
        if r.DATED_CAPTION.match(b.text):
            b.reason = r.PHOTO_CAPTION
        return
    b.cut = b.text[:at].strip()
    b.kept_text = rest


def _body_start(blocks: list[_Block]) -> int:
    for b in blocks:
        # the first real sentence: six words is short for news prose but long for a menu or a cookie button
        text = b.kept_text or b.text
        if b.reason is None and r.has_terminal(text) and len(r.words(text)) >= 6 and not r.BULLET.match(text):
            return b.position
    return len(blocks)


def _check_length(raw: RawDocument, chars: int) -> None:
    # Long-form journalism tops out near 200,000 characters; a book or a data dump is not an article,
    # and cleaning and splitting it would keep the user waiting for minutes.
    if chars > MAX_ARTICLE_CHARS:
        name = raw.filename or raw.source
        raise SourceError(f"{name}: {chars:,} characters of text is far longer than a news article (limit "
                          f"{MAX_ARTICLE_CHARS:,}); load the article on its own")


def clean(raw: RawDocument) -> CleanText:
    """The article body of ``raw``: headline, paragraphs in order, and every removed piece with its reason."""
    # A RawDocument built by hand (a paste, another tool) may carry markup without saying so.
    is_html = raw.is_html or looks_like_html(raw.text)
    if not is_html:
        _check_length(raw, len(raw.text))
    if is_html:
        # Scripts, styles and inline images go before any parser sees the page, and what is left is
        # measured before the expensive work: a huge page is refused in seconds, not after minutes.
        name = raw.filename or raw.source
        page = slim_html(raw.text)
        check_page_size(page, name)
        page = flatten_deep_html(page)
        check_page_blocks(page, name)
        texts = html_blocks(page, raw.url)
    else:
        texts = text_blocks(raw.text)
    if is_html:
        _check_length(raw, sum(map(len, texts)))
    blocks = [_Block(i, t) for i, t in enumerate(texts)]
    for b in blocks:
        _mark_single(b)
    _mark_scripts(blocks)
    _mark_languages(blocks)
    _mark_media_neighbours(blocks)
    for b in blocks:
        if b.reason is None:
            _mark_glued(b)
    body_start = _body_start(blocks)
    start = _comment_start(blocks, body_start)
    if start is not None:
        for b in blocks[start:]:
            if b.reason is None or b.reason == r.RESIDUE:
                b.reason, b.cut, b.kept_text = r.COMMENTS, None, None
        body_start = min(body_start, start)
    title = mark_leading(blocks, body_start, raw)
    mark_body_lines(blocks, body_start)
    mark_embeds_and_tail(blocks, body_start)
    mark_link_lists(blocks)
    mark_duplicates(blocks)
    mark_teasers(blocks)
    return _result(blocks, title)


def _result(blocks: list[_Block], title: str) -> CleanText:
    paragraphs: list[str] = []
    positions: list[int] = []
    removed: list[Removed] = []
    for b in blocks:
        if b.reason == "":
            continue
        if b.reason is not None:
            removed.append(Removed(text=b.text, reason=b.reason, position=b.position))
            continue
        if b.cut:
            removed.append(Removed(text=b.cut, reason=r.GLUED_CAPTION, position=b.position))
        paragraphs.append(b.kept_text or b.text)
        positions.append(b.position)
    return CleanText(title=title, paragraphs=tuple(paragraphs), removed=tuple(removed), positions=tuple(positions))
