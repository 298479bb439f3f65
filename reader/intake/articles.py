"""One source to one Article: clean, optionally restore removed pieces, segment, name the outlet."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath

from reader.errors import SourceError
from reader.intake.cleaning.page import clean
from reader.intake.outlet import guess_outlet
from reader.intake.segment import PARAGRAPH_SEPARATOR, split_sentences
from reader.model import Article, CleanText, RawDocument

# A 10,000-word long read has about 500 sentences, a 100-page court ruling about 2,000. A file of
# 70,000 short sentences fits under the size limit and would keep the model busy for many minutes (and
# take 1.4 GB): it is refused before it is split. Between them, two articles at the limit are the
# 8,000-sentence comparison the scale tests hold to.
MAX_SENTENCES = 4_000
_SENTENCE_END = re.compile(r"[.!?…؟。]+(?=[\s\"'”’)\]]|$)")


def check_sentence_count(paragraphs: Sequence[str], name: str) -> None:
    """SourceError when the text holds far more sentences than an article can, counted before splitting.

    A rough count (every full stop ends a sentence here, even after "Dr", and every paragraph ends
    one) refuses only at twice the limit, so abbreviations never cost a real article; between the
    two, the exact count after splitting decides, and splitting that much takes about a second.
    """
    estimate = sum(len(_SENTENCE_END.findall(p)) + 1 for p in paragraphs)
    if estimate > 2 * MAX_SENTENCES:
        raise SourceError(
            f"{name}: about {estimate:,} sentences is far more than a news article holds (limit "
            f"{MAX_SENTENCES:,}); load the article on its own"
        )


def restored_paragraphs(cleaned: CleanText, restore: frozenset[int]) -> tuple[str, ...]:
    """The kept paragraphs with the removed blocks at ``restore`` positions put back where they were.

    A caption that was cut off the front of a paragraph shares that paragraph's
    position and goes back in front of it, as its own paragraph.
    """
    if not restore:
        return cleaned.paragraphs
    positions = cleaned.positions or tuple(range(len(cleaned.paragraphs)))
    entries = [(pos, 1, i, text) for i, (pos, text) in enumerate(zip(positions, cleaned.paragraphs, strict=True))]
    entries += [(r.position, 0, i, r.text) for i, r in enumerate(cleaned.removed) if r.position in restore]
    return tuple(text for *_, text in sorted(entries))


def _fallback_title(raw: RawDocument) -> str:
    # A file or page is named by its file name; a paste's label is free text, where a slash is no folder.
    if raw.filename or raw.url:
        return PurePath(_label(raw)).stem
    return raw.outlet_hint or raw.source


def _label(raw: RawDocument) -> str:
    return raw.filename or raw.source


def build_article(
    raw: RawDocument, article_id: str, *, outlet: str | None = None, restore: frozenset[int] = frozenset()
) -> Article:
    cleaned = clean(raw)
    paragraphs = restored_paragraphs(cleaned, restore)
    check_sentence_count(paragraphs, _label(raw))
    sentences = split_sentences(paragraphs, article_id)
    if not sentences:
        raise SourceError(f"{_label(raw)}: no article text found after cleaning")
    if len(sentences) > MAX_SENTENCES:
        raise SourceError(
            f"{_label(raw)}: {len(sentences):,} sentences is far more than a news article holds (limit "
            f"{MAX_SENTENCES:,}); load the article on its own"
        )
    title = cleaned.title or (raw.title or "").strip() or _fallback_title(raw)
    restored = {r.position for r in cleaned.removed} & restore
    return Article(
        id=article_id,
        source=raw.source,
        outlet=(outlet or "").strip() or guess_outlet(raw, cleaned),
        title=title,
        body=PARAGRAPH_SEPARATOR.join(paragraphs),
        sentences=sentences,
        removed=tuple(r for r in cleaned.removed if r.position not in restored),
        published=raw.published,
        author=raw.author,
        url=raw.url,
    )
