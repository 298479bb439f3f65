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
TRANSCRIPT = "video transcript"
BYLINE = "byline or date line"
DUPLICATE = "duplicate of an earlier paragraph"
TEASER = "teaser for another story"
SHARE = "share or like buttons"
PROMO = "site promotion or notice"
CONSENT = "cookie or privacy notice"
AUTHOR_BIO = "about the author"
CREDIT_LINE = "reporting credits"
CORRECTION = "correction or amendment note"
SOCIAL_EMBED = "embedded social media post"
OTHER_SCRIPT = "line in another script than the article ({script}, article in {body})"
OTHER_LANGUAGE = "line in another language than the article ({language}, article in {body})"

TERMINAL = re.compile(r"[.!?…؟。]['\"”’»)\]]*\s*$")
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)['\"”’»)\]]*\s*$")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
BULLET = re.compile(r"^\s*(?:[-–*•·▪●◦‣■□▸►▶◆♦◼➤✓✔]|\d{1,2}[.)])\s+")

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
# A day or month name ends a caption as often as a lower-case word does: "... in Gulzarpur on TuesdaySurvivors ..."
GLUED = re.compile(r"(?:(?<=\s)|^)(?:[a-z]{3,}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March"
                   r"|April|June|July|August|September|October|November|December)(?=[A-Z][a-z])")

_COMMENT_WORD = r"(?:comments?|replies|reply|responses?|discussion|conversation)"
# "12 Comments", "Comments (4)", "Comments: 5", "Comments", "Leave a comment", "Join the discussion", "Reader comments".
# Words that also head ordinary news sections ("Discussion", "Responses") count only with a number or a verb.
COMMENT_HEADER = re.compile(
    rf"^\W*(?:\d+\s+{_COMMENT_WORD}|(?:comments?|replies)\s*[:(]?\s*\d*\)?"
    rf"|(?:\w+\s+){{1,3}}(?:an?|your|the)\s+{_COMMENT_WORD}"
    rf"|(?:reader|readers'?|user|show|view|hide|all|latest|top)\s+(?:comments|replies)(?:\s*\(?\d+\)?)?)\W*$",
    re.IGNORECASE,
)
# WordPress and friends: "4 thoughts on “Bus drivers walk out”", "12 responses to 'Title'"
COMMENT_TITLE_HEADER = re.compile(r"^\W*\d+\s+(?:thoughts?|responses?|replies|comments?)\s+(?:on|to)\s+[“\"‘']",
                                  re.IGNORECASE)
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
    r"|\bto (?:play|view) this (?:video|media)\b|\bthis (?:video|media) (?:can ?not|cannot|can't) be played\b",
    re.IGNORECASE,
)
PHOTO_CREDIT = re.compile(
    r"\((?:[^()]{0,40}/)?\s*(?:[A-Z]{2,}\s+)?(?:photo|photograph|picture|image|pic|file photo|video)s?\b[^()]{0,60}\)"
    r"|(?:^|[.)]\s+)(?:photo|photograph|picture|image|credit)s?\s*(?:by|:|©)\s"
    r"|\b(?:image|media|video|photo) (?:copyright|caption|source)\b|©|\b(?:getty images|shutterstock|file photo)\b"
    r"|/(?:AFP|AP|EPA|Reuters|Getty)\b|^enlarge\s*/\s|\bcredit:\s*[A-Z][\w&./ ]{1,40}$"
    r"|\s[—–]\s*(?:(?:photo|picture|image)s?\s*(?:by|:)\s|[\w .&]{1,30}\s(?:photo|picture)s?\s*$)",
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
    r"|\bwe use cookies\b|\baccept (?:all )?cookies\b|\bregistered (?:charity|company|office|in england)\b"
    r"|\bcompany (?:no|number)\b|^\W*(?:was this|did you find this) (?:article |page )?(?:helpful|useful)\W*$",
    re.IGNORECASE,
)
# A consent banner talks about cookies in the first and second person ("We and our partners store
# information on your device"); reporting about cookies quotes such words, it does not say them itself.
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_YOU = re.compile(r"\b(?:you|your|device|browse|browsing)\b", re.IGNORECASE)


def is_consent_notice(text: str) -> bool:
    return bool(_COOKIE.search(text) and _WE.search(text) and _YOU.search(text)) and text.lstrip()[:1] not in "\"“‘'"


# What is left of a time stamp line once the time is gone, when it names nobody: zones, "ago", "at".
_TIME_RESIDUE = re.compile(r"\b(?:[A-Z]{2,5}|ago|at|on|am|pm|h|m|updated)\b|[^\w]", re.IGNORECASE)


def names_someone_beside_a_time(text: str) -> bool:
    """ "phillipo 16 June 2014, 09:23" names a commenter; "14.32 BST" and "2h ago" (a live blog's entries) do not."""
    rest = TIMESTAMP.sub(" ", text)
    rest = re.sub(r"\d+", " ", rest)
    return bool(re.search(r"[^\W\d_]{2,}", _TIME_RESIDUE.sub(" ", rest)))


# Marketing and gambling small print: longer than a button, as formulaic (PROMO_RE covers the short ones).
SMALL_PRINT = re.compile(
    r"\bt\s?&\s?cs? apply\b|\b18\+|\bnew customers only\b|\bplay responsibly\b|\bgamble ?aware\b|\bfree bets?\b"
    r"|\bunsubscribe at any time\b|\bby signing up\b|\bunlimited access\b|\bcancel (?:at )?any ?time\b"
    r"|\bdownload (?:our|the)\b[^.]{0,40}\bapp\b|\bbreaking news alerts\b|\bsent every (?:day|week|morning|friday)\b"
    r"|\bsubscribe to (?:continue|keep) reading\b|\bbe the first to (?:hear|know)\b"
    r"|\bforwarded this (?:email |newsletter |post )?to you\b|\bsign up below\b|\bnot for resale\b"
    r"|\beditorial use only\b|\bno commercial use\b|\blicensed to subscriber\b|\bprinted and published by\b"
    r"|\bregistered as a newspaper\b|\bmodel release\b",
    re.IGNORECASE,
)
# "Nadia Shah is ShopWise's senior product safety researcher.", "Kit Harlan is Stacktrace's security reporter":
# a newsroom's own job titles, or any job at the outlet itself ("X's ... analyst"); "Jane Roe is an analyst at
# Capital Economics" is a source introduced in the last paragraph, and stays.
_BIO_NAME = r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}\s+is\s+(?:the\s+|a\s+|an\s+)?"
AUTHOR_BIO_RE = re.compile(
    _BIO_NAME + r"(?:(?:[\w&.-]+['’]s?\s+)?(?:[\w-]+\s+){0,4}(?:reporter|correspondent|editor|writer|journalist"
    r"|columnist|producer)\b|[\w&.-]+['’]s\s+(?:[\w-]+\s+){0,4}(?:researcher|analyst)\b)"
)
# "(Reporting by ...; Editing by ...)", "X reported from Y.", "Z contributed to this report."
CREDIT_RE = re.compile(
    r"\bcontributed (?:reporting )?to this (?:report|story|article)\b|^\W*(?:additional )?(?:reporting|writing|editing)"
    r" by\b|^[A-Z][\w'’. -]{2,40}\s+reported from\s+[A-Z][\w' -]{1,40}\.",
)
CORRECTION_RE = re.compile(
    r"^\W*(?:correction|clarification)\s*[:.—–-]|^this (?:article|story|report|piece) (?:was|has been) "
    r"(?:amended|corrected)\b|^an earlier version of this (?:article|story|report)\b|^\W*edit\s*\d*\s*:",
    re.IGNORECASE,
)
# "— Dr Hana Velde (@HVelde_volc) October 9, 2024": the attribution line under an embedded post
SOCIAL_ATTRIBUTION = re.compile(r"^\s*[—–-]\s*[^()]{2,80}\(@\w{1,30}\)")
# Headings of link lists: what follows them, headline after headline, is other stories.
LINK_LIST = re.compile(
    r"^\W*(?:see also|read more|related(?: stories| articles| content)?|more on this(?: story)?|you may also like"
    r"|recommended(?: for you)?|also read|more for you|more from [\w ]{1,30}|most (?:read|viewed|popular|shared)"
    r"|trending(?: now)?|top stories|latest (?:news|stories)|more stories|popular now|editor'?s picks)\W*$",
    re.IGNORECASE,
)


# A news ticker's banner above the headline: "BREAKING: ...", "JUST IN: ..."
TICKER = re.compile(r"^\W*(?:breaking(?: news)?|just in|developing|news alert)\s*[:|—–-]", re.IGNORECASE)


# ">> ANCHOR: TONIGHT, ..." : a broadcast transcript's speaker lines
TRANSCRIPT_LINE = re.compile(r"^\s*>>\s*[A-Z][A-Z .'’-]{1,30}:")
# "What happens next?", "Who is behind it?": a question of a few words standing alone is a subheading
QUESTION_HEADING = re.compile(
    r"^\W*(?:what|why|who|how|where|when|which|is|are|can|will|does|do|should|could)\b[^.!?\"“”]{0,40}\?\s*$",
    re.IGNORECASE,
)


def is_headline_shaped(text: str) -> bool:
    """A link's text: short, no full stop at the end (a question or a quotation may end it)."""
    return len(words(text)) <= 25 and not re.search(r"\.['\"”’»)\]]*\s*$", text)


def glued_after_credit(text: str) -> int | None:
    """ "... Photo: Renata Cole / The Harbor TimesHarbor pilot records show ...": where a credited caption runs
    into the next sentence with no space, the credit's last word capitalised. Only after a credit: camel-case
    names ("YouTube", "MacDonald") glue the same way."""
    credit = PHOTO_CREDIT.search(text) or _CREDIT_LABEL.search(text)
    if credit is None or "©" in credit.group(0):  # a copyright line is a footer, not a caption
        return None
    if credit.group(0).endswith(")") and text[credit.end() : credit.end() + 1].isupper():
        return credit.end()  # "... (Photo by Owen Pryce/Lumen Press)The report found ..."
    glue = _GLUE_ANY.search(text, credit.end())
    if glue is None:
        return None
    head = text[: glue.end()]
    if len(words(head)) > 30 or re.search(r"[.!?]\s+[A-Z]", head[credit.end():]):
        return None
    return glue.end()


_CREDIT_LABEL = re.compile(r"\b(?:Credit|Photo|Picture|Image)s?:\s*(?=[A-Z])")
_GLUE_ANY = re.compile(r"(?:[A-Z]{2,}|[A-Za-z][a-z]{2,})(?=[A-Z][a-z])")


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
    credited = glued_after_credit(text)
    if credited is not None:
        return credited
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


def page_title_parts(line: str, separator: str = " | ") -> tuple[str, str] | None:
    """ "Headline | Site" -> (headline, site) when the line reads as a page title, else None.

    A page title is the headline first, then the site (optionally a section label before the
    headline): two or three parts, the headline four words or more. Menus ("News | Sport |
    Jobs | Events"), footers ("Privacy | Terms | Cookies"), labels in front of a teaser ("Also
    Read | ..."), date lines ("12.05.2024 | 07:58 CET") and post footers ("Posted in ... | 4
    Comments") share the separator but not that shape.
    """
    if separator != " | " and " | " in line:
        return None  # "A | B — C": the bar is the page title's separator; the dash is inside one part
    parts = [p.strip() for p in line.split(separator) if p.strip()]
    if not 2 <= len(parts) <= 3 or any("%" in p or " / " in p for p in parts):
        return None  # tickers ("Delta Shipping -3.2%") and bilingual link pairs ("Contact / Nous joindre")
    if len(parts) == 3 and len(words(parts[0])) <= 2:
        parts = parts[1:]  # "World | Headline | Site": a section label first
    head, site = parts[0], parts[-1]
    if len(words(head)) < 4 or len(words(site)) > 8 or not words(site) or has_terminal(site):
        return None
    if PUBLISHED.match(head) or DATE_ONLY.match(head) or TIMESTAMP.search(site) or COMMENT_HEADER.match(site):
        return None
    if main_script(script_counts(head)) != main_script(script_counts(site)):
        return None  # "اردو ویب سائٹ پر جائیں | Visit Urdu website": a link and its translation
    return head, site


def overlap(text: str, reference: set[str]) -> float:
    mine = content_words(text)
    return 1.0 if not mine else len(mine & reference) / len(mine)
