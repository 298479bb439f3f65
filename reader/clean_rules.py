"""What one block of a page looks like: the structural tests the cleaner combines.

Each test looks at form (length, punctuation, position, script, numbers,
timestamps), plus a handful of words every comment form and media player on
the web uses ("comment", "reply", "JavaScript", "photo"). None of it knows any
particular story or outlet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Reasons, in the plain words the user sees beside each removed piece.
COMMENTS = "comment section"
RESIDUE = "widget residue (no words)"
MEDIA_NOTICE = "JavaScript or media player notice"
MEDIA_CAPTION = "media caption (next to a media player notice)"
PHOTO_CAPTION = "photo caption"
GLUED_CAPTION = "photo caption glued to the next sentence"
CAPTION_LINE = "caption (a line without sentence punctuation)"
CHROME = "site chrome (before the article)"
CHROME_ID = "site chrome (an ID number)"
PAGE_TITLE = "page title with the site name"
HEADLINE_AGAIN = "headline repeated"
HEADING = "section heading"
MENU = "menu or navigation item"
BYLINE = "byline or date line"
DUPLICATE = "duplicate of an earlier paragraph"
TEASER = "teaser for another story"
SHARE = "share or like buttons"
PROMO = "site promotion or notice"
OTHER_SCRIPT = "line in another script than the article ({script}, article in {body})"
OTHER_LANGUAGE = "line in another language than the article ({language}, article in {body})"

TERMINAL = re.compile(r"[.!?…؟。]['\"”’»)\]]*\s*$")
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)['\"”’»)\]]*\s*$")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
BULLET = re.compile(r"^\s*(?:[-*•·▪●◦‣]|\d{1,2}[.)])\s+")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}\s+{_MONTH}\s*,?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
)
_TIME = r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago)"
TIMESTAMP = re.compile(rf"(?:{_DATE}|{_TIME})", re.IGNORECASE)
DATE_ONLY = re.compile(
    rf"^\W*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?{_DATE}(?:\s*,?\s*(?:at\s+)?{_TIME})?\W*$", re.IGNORECASE
)
# A dated caption: "Soldiers in the square (3 May 2019)" with or without text glued after it.
DATED_CAPTION = re.compile(rf"^([^.!?]{{3,200}}?)\s*\((?:{_DATE}|\d{{4}})\)\s*", re.IGNORECASE)
# "...the flooded streetsResidents waded..." : a caption whose last word runs into the next sentence.
GLUED = re.compile(r"(?:(?<=\s)|^)[a-z]{3,}(?=[A-Z][a-z])")

_COMMENT_WORD = r"(?:comments?|replies|reply|responses?|discussion|conversation)"
# "12 Comments", "Comments (4)", "Comments: 5", "Comments", "Leave a comment", "Join the discussion", "Reader comments".
# Words that also head ordinary news sections ("Discussion", "Responses") count only with a number or a verb.
COMMENT_HEADER = re.compile(
    rf"^\W*(?:\d+\s+{_COMMENT_WORD}|(?:comments?|replies)\s*[:(]?\s*\d*\)?"
    rf"|(?:\w+\s+){{1,3}}(?:an?|your|the)\s+{_COMMENT_WORD}"
    rf"|(?:reader|readers'?|user|show|view|hide|all|latest|top)\s+(?:comments|replies)(?:\s*\(?\d+\)?)?)\W*$",
    re.IGNORECASE,
)
COMMENT_FORM = re.compile(
    r"\bcommenting\b|\byour (?:e-?mail )?address will not be published\b|\blog(?:ged)? in to (?:comment|reply)\b"
    r"|\bcomments (?:are|have been) (?:closed|disabled)\b|\bbe the first to comment\b|\bno comments yet\b"
    r"|\brequired fields are marked\b|\bnotify me of (?:new|follow-up) (?:comments|posts)\b|\bcomment policy\b",
    re.IGNORECASE,
)
# "Jane Doe says:", "1. J. Smith on", "jsmith wrote:" - a commenter's name line
COMMENT_AUTHOR = re.compile(r"^\s*(?:\d{1,3}[.)]\s+)?[\w .'’-]{2,40}?\s+(?:says|said|wrote|on|replied)\s*:?\s*$",
                            re.IGNORECASE)
MEDIA_NOTICE_RE = re.compile(
    r"\bjavascript\b|\byour browser (?:does not|doesn't|can ?not) (?:support|play)|\benable (?:cookies|flash)\b"
    r"|\bmedia (?:playback|player) is (?:unsupported|not supported)\b|\bflash player\b"
    r"|\bto (?:play|view) this (?:video|media)\b",
    re.IGNORECASE,
)
PHOTO_CREDIT = re.compile(
    r"\((?:[^()]{0,40}/)?\s*(?:[A-Z]{2,}\s+)?(?:photo|photograph|picture|image|pic|file photo|video)s?\b[^()]{0,60}\)"
    r"|(?:^|[.)]\s+)(?:photo|photograph|picture|image|credit)s?\s*(?:by|:|©)\s"
    r"|\bimage (?:copyright|caption|source)\b|©|\b(?:getty images|shutterstock|file photo)\b"
    r"|/(?:AFP|AP|EPA|Reuters|Getty)\b",
    re.IGNORECASE,
)
ID_LINE = re.compile(r"^[\w .-]{0,30}\b(?:ID|No|Ref|Article|Story)\b\s*[:#.]?\s*[\w-]*\d{3,}[\w-]*\s*$", re.IGNORECASE)
PUBLISHED = re.compile(r"^\W*(?:updated|published|posted|last (?:updated|modified)|first published)\b", re.IGNORECASE)
BYLINE_RE = re.compile(r"^\s*(?:by|written by|reporting by|words by|posted by|published by)\s+\S", re.IGNORECASE)
SEE_ALSO = re.compile(r"\b(?:see also|read more|related|more on this|you may also like|recommended|also read)\b",
                      re.IGNORECASE)
INLINE_TEASER = re.compile(r"^\W*(?:see also|read more|related|more on this story|also read|read next|watch)\s*:\s*\S",
                           re.IGNORECASE)
SHARE_RE = re.compile(
    r"^\W*(?:(?:share|like|tweet|email|print|save)(?: this| article| story| on \w+)?|facebook|twitter|x|whatsapp|"
    r"linkedin|pinterest|reddit|telegram|messenger|copy link)(?:\W+(?:share|facebook|twitter|x|whatsapp|linkedin|"
    r"pinterest|reddit|telegram|email|print|messenger|copy link))*\W*$",
    re.IGNORECASE,
)
PROMO_RE = re.compile(
    r"\bsign up (?:for|to)\b|\bsubscribe (?:to|now|for)\b|\bour (?:daily |weekly )?newsletters?\b|\bfollow us on\b"
    r"|\bdownload (?:our|the) app\b|\bclick here\b|^\W*advertisement\W*$|\ball rights reserved\b|\bsponsored content\b"
    r"|\bwe use cookies\b|\baccept (?:all )?cookies\b",
    re.IGNORECASE,
)
TITLE_SEPARATORS = (" | ", " \u2014 ", " \u2013 ", " - ", " :: ", " · ")

_STOP = frozenset(
    "that this with from have were been they their there which would could should about after before when while "
    "said says also into over than then them what where more most some such only other being very just will".split()
)


# The commonest function words of the languages news in Latin script most often mixes: enough to tell
# a French "read also" line inside an English article, never used to judge the article itself.
_FUNCTION_WORDS = {
    "English": frozenset("the and of to in is was that for on with as by at from it his her are were have has".split()),
    "French": frozenset("le la les des et est dans pour que une du sur au aux avec qui pas ce sont ont".split()),
    "Spanish": frozenset("el los las y es del que por con para una se al su lo como más pero fue".split()),
    "German": frozenset("der die das und ist nicht mit den von zu ein eine für auf dem des sich im wird".split()),
    "Italian": frozenset("il gli e di che per con una del non sono della nel alla anche è".split()),
    "Portuguese": frozenset("os e de que em um uma para com não do da dos das no na foi".split()),
    "Dutch": frozenset("het een en van is dat op te met voor niet zijn ook aan door".split()),
}


def language_votes(text: str) -> dict[str, int]:
    """How many of each language's function words ``text`` uses."""
    tokens = [w.casefold() for w in words(text)]
    return {lang: sum(1 for t in tokens if t in fw) for lang, fw in _FUNCTION_WORDS.items()}


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def content_words(text: str) -> set[str]:
    return {w for w in (m.casefold() for m in _CONTENT_WORD.findall(text)) if w not in _STOP}


def has_terminal(text: str) -> bool:
    return bool(TERMINAL.search(text))


def ends_with_ellipsis(text: str) -> bool:
    return bool(_ELLIPSIS_END.search(text))


def is_residue(text: str) -> bool:
    return not any(ch.isalpha() for ch in text)


def sentence_count(text: str) -> int:
    return max(1, len(re.findall(r"[.!?…](?:['\"”’)]*)\s+(?=[\"“‘'(]?[A-Z])", text)) + 1)


_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str | None:
    """The Unicode script of a letter ("Latin", "Arabic", ...), from its character name; None if not a letter."""
    if not ch.isalpha():
        return None
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    first = name.split(" ", 1)[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA"):
        return "CJK"
    if first in ("MODIFIER", "FULLWIDTH"):
        return None
    return first.title()


def script_counts(text: str) -> dict[str, int]:
    """Letters per script; ASCII letters are counted by a regex, only the rest one by one (speed)."""
    counts: dict[str, int] = {}
    latin = len(_ASCII_LETTERS.findall(text))
    if latin:
        counts["Latin"] = latin
    for ch in _NON_ASCII.findall(text):
        script = script_of(ch)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return counts


def main_script(counts: dict[str, int]) -> str | None:
    return max(counts, key=counts.__getitem__) if counts else None


def is_menu_like(text: str) -> bool:
    """Short, no sentence punctuation: a heading, a menu entry, a label."""
    return len(words(text)) <= 10 and len(text) <= 90 and not has_terminal(text)


def glued_split(text: str) -> int | None:
    """Where a caption runs into the real text without a space, if it does near the start; else None."""
    dated = DATED_CAPTION.match(text)
    if dated is not None:
        return dated.end()
    glued = GLUED.search(text)
    if glued is None:
        return None
    head = text[: glued.end()]
    if len(words(head)) > 20 or TERMINAL.search(head[:-1] + " ") or re.search(r"[.!?]\s", head):
        return None
    return glued.end()


def split_title(line: str, separator: str = " | ") -> tuple[str, str]:
    """ "Headline | Site name" -> ("Headline", "Site name"): the headline comes first unless it is a bare label."""
    parts = [p.strip() for p in line.split(separator) if p.strip()]
    if len(parts) < 2:
        return line.strip(), ""
    head = parts[0]
    if len(words(head)) <= 2 or head.upper() == head:
        head = max(parts, key=lambda p: len(words(p)))
    site = parts[-1] if parts[-1] is not head else parts[0]
    return head, site


def overlap(text: str, reference: set[str]) -> float:
    mine = content_words(text)
    return 1.0 if not mine else len(mine & reference) / len(mine)
