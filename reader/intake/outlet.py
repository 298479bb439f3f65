"""Which outlet an article comes from, read from what the source says about itself.

Order of trust: a name the user (or a manifest) gave; the page's own site-name
metadata; a "Headline | SITE" title suffix; a wire credit in the dateline
("(AP)", "City, Reuters—"); a self-reference ("the BBC's correspondent"); and
last a readable form of the file name or web host.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from pathlib import PurePath

from reader.model import CleanText, RawDocument

_SEPARATORS = (" | ", " — ", " – ", " :: ")
_NAME = r"[A-Z][A-Za-z&.'’-]*(?:\s+[A-Z][A-Za-z&.'’-]*){0,3}"
# "KORVALE (Reuters) -", "(AP) —" at the start of a paragraph
_CREDIT = re.compile(rf"^(?:[A-Z][\w .,'’-]{{0,60}}?\s*)?\(({_NAME})\)\s*[-—–:]")
# "Dunmere and Washington, Reuters—The ..." : a dateline whose last item is the agency
_DATELINE = re.compile(rf"^[A-Z][\w .'’-]{{1,60}},\s*({_NAME})\s*[—–]\s*\S")
# "the BBC's Jim Muir", "the Herald's correspondent"
_SELF = re.compile(
    rf"\bthe ({_NAME})['’]s\s+(?:(?:[a-z]+\s+){{0,2}}(?:correspondent|reporter|editor)\b|[A-Z][a-z]+\s+[A-Z][a-z]+\s+"
    rf"(?:reports|in|says|said)\b)"
)
_BYLINE_ROLE = re.compile(rf",\s*({_NAME})\s+(?:[a-z]+\s+){{0,2}}(?:correspondent|editor|reporter)\b")
_YEARS = re.compile(r"\b(?:19|20)\d{2}\s*[-–]?\s*(?:(?:19|20)\d{2})?\b")
_SHORT_WORDS = frozenset("THE OF AND FOR NEW SUN DAY ONE OUR AL EL LA LE DE DU".split())
_HEXISH = re.compile(r"^(?:[0-9a-f]{8,}|\d+)$", re.IGNORECASE)


def readable_name(name: str) -> str:
    """Tidy an outlet name: fold whitespace, title-case SHOUTING words longer than an acronym."""
    name = " ".join(name.split()).strip(" -|:,")
    if not name:
        return ""
    if name.upper() != name:
        return name
    fixed = []
    for word in name.split(" "):
        letters = re.sub(r"[^A-Za-z]", "", word)
        # Three letters or fewer (BBC, AFP, AP), or no vowel at all (NPR, WSJ): an acronym, kept in capitals.
        acronym = (len(letters) <= 3 and letters not in _SHORT_WORDS) or not re.search(r"[AEIOU]", letters)
        if acronym and "-" not in word:
            fixed.append(word)
        else:
            fixed.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(fixed)


def _site_from_title(title: str, *, strict: bool) -> str | None:
    """The site a "Headline | Site" title names. ``strict`` for lines found in the page's text, where menus,
    footers and teaser labels share the separator (``page_title_parts``); the page's own <title> is not."""
    from reader.intake.cleaning.rules import page_title_parts, split_title  # its patterns: only when guessing

    for sep in _SEPARATORS:
        if sep in title:
            if strict:
                parts = page_title_parts(title, sep)
                if parts is None:
                    continue
                site = parts[1]
            else:
                _, site = split_title(title, sep)
                if not site:
                    continue
            shouting = re.findall(r"\b[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+)*", site)
            if shouting:
                site = max(shouting, key=len)
            site = _YEARS.sub("", site).strip()
            if site and len(site.split()) <= 6:
                return readable_name(site)
    return None


def _title_lines(raw: RawDocument, cleaned: CleanText) -> list[tuple[str, bool]]:
    """Lines that may be "Headline | Site" titles, each with whether it needs the strict test."""
    lines = [(raw.title, False)] if raw.title else []
    lines += [(r.text, True) for r in cleaned.removed if " | " in r.text and len(r.text) < 200]
    if not raw.is_html:
        head = [ln.strip() for ln in raw.text[:3000].splitlines() if ln.strip()][:8]
        # Only a page-title line carries a site suffix: short, unpunctuated, with a "|" (prose uses dashes).
        lines += [(ln, True) for ln in head if " | " in ln and len(ln.split()) <= 25 and ln.rstrip()[-1:] not in ".!?"]
    return lines


def _from_title_lines(lines: Sequence[tuple[str, bool]]) -> str | None:
    """The site name a "Headline | SITE" line carries; a longer headline beats a bare section page title."""
    from reader.intake.cleaning.rules import split_title

    best: tuple[int, str] | None = None
    for line, strict in lines:
        site = _site_from_title(line, strict=strict)
        if site:
            headline_words = max(len(split_title(line, sep)[0].split()) for sep in _SEPARATORS if sep in line)
            if best is None or headline_words > best[0]:
                best = (headline_words, site)
    return best[1] if best else None


def _from_body(paragraphs: Sequence[str]) -> str | None:
    for para in paragraphs[:2]:
        for pattern in (_CREDIT, _DATELINE):
            found = pattern.match(para)
            if found:
                return readable_name(found.group(1))
    for para in paragraphs:
        found = _SELF.search(para) or _BYLINE_ROLE.search(para)
        if found:
            return readable_name(found.group(1))
    return None


def _from_location(raw: RawDocument) -> str:
    if raw.url or raw.source.startswith(("http://", "https://")):
        host = urllib.parse.urlsplit(raw.url or raw.source).hostname or ""
        return host.removeprefix("www.") or raw.source
    stem = PurePath(raw.filename or raw.source).stem
    words = [w for w in re.split(r"[\s_.-]+", stem) if w and not _HEXISH.match(w)]
    if not words:
        return stem or "Unknown outlet"
    return " ".join(w if not w.islower() else w.capitalize() for w in words)


def guess_outlet(raw: RawDocument, cleaned: CleanText) -> str:
    """The outlet's name as a reader would write it."""
    for name in (raw.outlet_hint, raw.site_name):
        if name and name.strip():
            return readable_name(name)
    return (
        _from_title_lines(_title_lines(raw, cleaned))
        or _from_body(cleaned.paragraphs)
        or _from_location(raw)
    )


def distinct_outlets(names: Sequence[str]) -> list[str]:
    """Names made distinguishable: the second "Reuters" becomes "Reuters (2)", the third "Reuters (3)"."""
    counts: dict[str, int] = {}
    taken = {n.casefold() for n in names}
    out: list[str] = []
    for name in names:
        key = name.casefold()
        counts[key] = counts.get(key, 0) + 1
        if counts[key] == 1:
            out.append(name)
            continue
        n = counts[key]
        while f"{name} ({n})".casefold() in taken:
            n += 1
        taken.add(f"{name} ({n})".casefold())
        out.append(f"{name} ({n})")
    return out
