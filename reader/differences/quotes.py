"""Quoted speech in one sentence: where each quotation starts and ends, and who the sentence says said it.

Only text between quotation marks is a quote. Paraphrase around the marks ("Stavik said the republic had
“stood firm”") stays outside; a name in quotation marks (a campaign, a podcast, a nickname) is no
speech; short scare quotes ("historic") are words, not speech to compare. How two outlets' versions
of a quote differ is ``reader.differences.quotecompare``; who says a quote whose sentence only gives
"he" is resolved across the paragraph in ``reader.differences.quotediff``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reader.differences.names import core_tokens, find_names
from reader.differences.worddiff import Token, tokens

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words without the quote marks, == source[start:end]
    start: int
    end: int
    speaker: str = ""  # as written: "coast guard spokeswoman Captain Ana Ruiz", "he", "a farmer"
    speaker_name: tuple[str, ...] = ()  # core tokens of the speaker's name when one is given

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w.norm for w in quote_words(self.text))

    @property
    def has_ellipsis(self) -> bool:
        return "…" in self.text or "..." in self.text

    @property
    def speaker_is_pronoun(self) -> bool:
        return self.speaker.casefold() in PRONOUNS


@dataclass(frozen=True)
class QuoteWord:
    """One word of a quote: its compared form, its place in the quote text, and whether the outlet set it in
    brackets (an editor's insertion such as "[now eight]" or "(local)", not the speaker's word)."""

    norm: str
    start: int
    end: int
    bracketed: bool


# House style, never a difference in what was said: "ten" / "10", "Sept." / "September", "C.I.A." / "CIA",
# "per cent" / "percent" / "%", and a word censored with dashes ("b----"), which quotecompare matches to the
# word it hides.
_NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
_MONTHS = {"jan": "january", "feb": "february", "aug": "august", "sep": "september", "sept": "september",
           "oct": "october", "nov": "november", "dec": "december"}  # fmt: skip
_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]\.?")
CENSORED = "*"  # ends the norm of a censored word: "b*" for "b----"


def _style(t: Token, rest: Sequence[Token]) -> str:
    norm = t.norm
    if _ACRONYM.fullmatch(norm):
        return norm.replace(".", "")
    if norm in _NUMBER_WORDS:
        return _NUMBER_WORDS[norm]
    nxt = rest[0] if rest else None
    if norm in _MONTHS and nxt is not None and nxt.text == "." and nxt.start == t.end:
        return _MONTHS[norm]
    marks = [r for r in rest[:2] if r.text in "-*—–"]
    if len(marks) == 2 and marks[0].start == t.end and marks[1].start == marks[0].end:
        return norm + CENSORED
    return norm


@lru_cache(maxsize=8192)
def quote_words(text: str) -> tuple[QuoteWord, ...]:
    """The words of a quote as compared: case, quote glyphs and inner marks folded, "&" read as "and", and
    house style folded (numbers, month abbreviations, acronyms' dots, "per cent", censoring)."""
    out: list[QuoteWord] = []
    depth = 0
    toks = tokens(text)
    for k, t in enumerate(toks):
        if t.text in "([":
            depth += 1
        elif t.text in ")]":
            depth = max(0, depth - 1)
        elif t.text == "&":
            out.append(QuoteWord("and", t.start, t.end, depth > 0))
        elif t.text == "%":
            out.append(QuoteWord("percent", t.start, t.end, depth > 0))
        elif t.is_word:
            if t.norm == "cent" and out and out[-1].norm == "per" and not out[-1].bracketed:
                out[-1] = QuoteWord("percent", out[-1].start, t.end, depth > 0)
                continue
            out.append(QuoteWord(_style(t, toks[k + 1 :]), t.start, t.end, depth > 0))
    return tuple(out)


# ---------------------------------------------------------------- quotation marks

_OPENING = "“„«"
_CLOSING = "”»"
_OPEN_BEFORE = set(" \t\n([{—–-/")
_CLOSE_AFTER = set(" \t\n.,;:!?)]}—–-…")


def _marks(text: str) -> list[tuple[int, str]]:
    """Every double quotation mark with its role: "open", "close", or "either" (a straight mark whose
    neighbours do not tell)."""
    out = []
    for i, ch in enumerate(text):
        if ch in _OPENING:
            out.append((i, "open"))
        elif ch in _CLOSING:
            out.append((i, "close"))
        elif ch == '"':
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before in _OPEN_BEFORE and after not in _CLOSE_AFTER:
                out.append((i, "open"))
            elif after in _CLOSE_AFTER and before not in _OPEN_BEFORE:
                out.append((i, "close"))
            else:
                out.append((i, "either"))
    return out


def quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the text inside every pair of quotation marks, names in quotes and short quotes too."""
    return tuple(_stretches(text))


def _stretches(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of marks. A quote still open at the sentence end runs on
    into the next sentence; a closing mark before any opening one ends a quote begun in an earlier sentence."""
    found: list[tuple[int, int]] = []
    opened: int | None = None
    marks = _marks(text)
    for n, (pos, role) in enumerate(marks):
        if opened is None:
            if role == "close" and n == 0:
                found.append((len(text) - len(text.lstrip()), pos))
            elif role in ("open", "either"):
                opened = pos + 1
        elif role in ("close", "either"):
            found.append((opened, pos))
            opened = None
        else:
            opened = pos + 1  # an opening mark never closed; the next one starts the quote
    if opened is not None:
        found.append((opened, len(text)))
    return found


# ---------------------------------------------------------------- names in quotation marks

# Nouns a name in quotation marks belongs to: 'the "Keep the Herds" campaign', 'the "Start Over" podcast'.
_TITLE_NOUNS = frozenset(
    "campaign podcast page show program programme series film movie documentary book novel song album slogan "
    "hashtag website site blog account group operation initiative movement act law bill report column newsletter "
    "video channel app tour exhibition festival motto banner".split()
)
_NAMING_BEFORE = re.compile(
    r"\b(?:dubbed|nicknamed|titled|entitled|named|called|known\s+as|billed\s+as|branded)\s*$", re.I
)
_SMALL_WORDS = frozenset("a an and the of in on at to for by or with from".split())


def _title_cased(inner: str) -> bool:
    words = re.findall(r"[^\W\d_][\w’'-]*", inner)
    if not words or len(words) > 8 or re.search(r"[.!?;,]\s", inner + " "):
        return False
    big = [w for w in words if w.casefold() not in _SMALL_WORDS]
    return bool(big) and words[0][:1].isupper() and all(w[:1].isupper() for w in big)


def is_name_in_quotes(text: str, start: int, end: int) -> bool:
    """Is the quoted stretch text[start:end] a name (a campaign, a page, a nickname) rather than speech?"""
    inner = text[start:end]
    after = re.match(r"[\"”»’']?\s*([\w-]+)", text[end:])
    if after and after.group(1).casefold() in _TITLE_NOUNS:
        return True
    before = text[: max(0, start - 1)]
    if _NAMING_BEFORE.search(before) and (_title_cased(inner) or len(inner.split()) <= 5):
        return True
    return _title_cased(inner)


# ---------------------------------------------------------------- speakers

_VERBS = r"(?:said|says|told|added|stated|warned|explained|insisted|claimed|wrote|tweeted|declared|announced)"
_PHRASE = r"[^,.;:\"“”]"
_AFTER = re.compile(
    rf"^[\s,]*(?:{_VERBS}\s+(?P<a>{_PHRASE}+)(?:,\s*(?P<appos_a>{_PHRASE}+))?|(?P<b>{_PHRASE}{{1,80}}?)(?:,\s*(?P<appos>[^;:\"“”]{{1,100}}?),)?\s+{_VERBS}\b)"
)
_BEFORE = re.compile(
    rf"(?P<s>{_PHRASE}{{1,80}}?)\s+{_VERBS}(?:\s+[A-Z][\w.·]*(?:\s+[A-Z][\w.·]*)*)?(?:\s+that)?[\s,:]*$"
)
_ACCORDING = re.compile(rf"according\s+to\s+(?P<s>{_PHRASE}+)", re.I)
_SPEAKER_TAIL = re.compile(r"(?:^|\s+)(?:in|on|at|to|during|after|before|from|who|when|while|as)\s.*$")
_DAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight|earlier|later"
_SPEAKER_LEAD = re.compile(rf"^(?:(?:and|but|or|so|then|as|while|also|again|on|{_DAYS})\s+)+", re.I)
_SPEAKER_TIME = re.compile(rf"\s+(?:on\s+)?(?:{_DAYS})(?:\s+(?:morning|afternoon|evening|night))?$", re.I)
_FUNCTION = frozenset("and but or so then as while also later again the a an this that there it its".split())
# Periods that end an abbreviation or an initial, not a clause: "Rep. Jo Ames", "Carolyn B. Maloney", "U.S.".
_ABBREVIATION = re.compile(
    r"\b(?:Rep|Sen|Gov|Sgt|Lt|Gen|Col|Capt|Cmdr|Adm|Maj|Dr|Mr|Mrs|Ms|St|Jr|Sr|Prof|Rev|Supt|Det|Insp|Atty|"
    r"Pres|Gen|Cpl|Pvt|Fr|No|Mt|Ft)\.|\b[A-Z]\.(?=\s*[A-Z]|\s*$)"
)


def _masked(text: str) -> str:
    """``text`` with abbreviation periods replaced by a middle dot of the same length, so a speaker pattern
    that stops at a clause's period does not stop inside "Rep. Jo Ames"."""
    return _ABBREVIATION.sub(lambda m: m.group()[:-1] + "·", text)


def _clean_speaker(phrase: str) -> str:
    phrase = _SPEAKER_TAIL.sub("", phrase.strip())
    phrase = _SPEAKER_LEAD.sub("", phrase.strip(" ,"))
    phrase = _SPEAKER_TIME.sub("", phrase)  # "said Tuesday", "Ruiz said on Monday"
    if re.fullmatch(rf"(?i:{_DAYS})", phrase.strip()):
        return ""
    words = [w.strip("·.,").casefold() for w in phrase.split()]
    if not any(w and w not in _FUNCTION for w in words):
        return ""  # "and", "as it": no speaker at all
    return phrase.strip(" ,")


def _speaker(text: str, start: int, end: int) -> str:
    """The speaker the sentence gives for the quote at text[start:end] (marks excluded), as written."""
    masked = _masked(text)
    close = end + 1 if end < len(text) else end
    after = _AFTER.match(masked[close : close + 160])
    if after:
        group = "a" if after.group("a") else "b"
        s, e = after.span(group)
        phrase = _clean_speaker(text[close + s : close + e])
        appos = "appos" if group == "b" else "appos_a"
        if after.group(appos) and not _person_in(phrase):
            # "the party's leader, Ana Ruiz, said", "said a party spokesman, Ana Ruiz": the appositive names
            # the speaker the phrase describes
            s, e = after.span(appos)
            named = _clean_speaker(text[close + s : close + e])
            if _person_in(named):
                return f"{phrase}, {named}" if phrase else named
        return phrase
    open_ = max(0, start - 1)
    window_start = max(0, open_ - 120)
    before = _BEFORE.search(masked[window_start:open_])
    if before:
        s, e = before.span("s")
        return _clean_speaker(text[window_start + s : window_start + e])
    according = _ACCORDING.search(masked)
    if according:
        s, e = according.span("s")
        return _clean_speaker(text[s:e])
    return ""


def _person_in(phrase: str) -> bool:
    return any(n.kind == "person" and len(n.tokens) >= 2 for n in find_names(phrase))


def speaker_names(phrase: str) -> tuple[str, ...]:
    """Core tokens of the person a speaker phrase names: "Deputy Chief Jo Ames of the fire service" -> jo ames."""
    # A lone capitalised word before a noun is an adjective, not a name: "the Republican leader".
    names = [n for n in find_names(phrase) if n.kind == "person" or (n.kind == "other" and len(n.tokens) >= 2)]
    if names:
        return names[0].tokens if len(names[0].tokens) >= len(names[-1].tokens) else names[-1].tokens
    if re.fullmatch(r"[A-Z][\w’'-]+", phrase) and phrase.casefold() not in PRONOUNS:
        return core_tokens(phrase)  # a surname on its own: "..., Volkov said."
    return ()


def speaker_label(q: Quote) -> str:
    """The speaker's name as written, for a summary line; "" when the sentence names nobody."""
    if not q.speaker_name:
        return ""
    names = [n for n in find_names(q.speaker) if n.kind in ("person", "other") and n.tokens == q.speaker_name]
    return names[0].text if names else q.speaker


def _quote(inner: str, start: int, speaker: str) -> Quote:
    return Quote(inner, start, start + len(inner), speaker, speaker_names(speaker) if speaker else ())


@lru_cache(maxsize=8192)
def find_quotes(text: str) -> tuple[Quote, ...]:
    """Quoted passages of three words or more, with their speaker when the sentence names one."""
    out: list[Quote] = []
    for start, end in _stretches(text):
        inner = text[start:end].rstrip()
        inner_start = start + len(inner) - len(inner.lstrip())
        inner = inner.strip().rstrip(",;: ")
        if len(re.findall(r"\w+", inner)) < 3 or is_name_in_quotes(text, inner_start, inner_start + len(inner)):
            continue
        out.append(_quote(inner, inner_start, _speaker(text, inner_start, end)))
    return tuple(out)


_ELLIPSIS = re.compile(r"\s*(?:…|\.\s?\.\s?\.)\s*")


def pieces(q: Quote) -> tuple[Quote, ...]:
    """The stretches of a quote between its ellipses, each of three words or more (the quote itself when it
    has no ellipsis): an outlet that writes "A...B" quotes two passages, which may sit in two sentences elsewhere."""
    if not q.has_ellipsis:
        return (q,)
    out = []
    pos = 0
    for m in [*_ELLIPSIS.finditer(q.text), None]:
        stop = m.start() if m else len(q.text)
        part = q.text[pos:stop].strip(" ,;:")
        if len(re.findall(r"\w+", part)) >= 3:
            offset = q.text.find(part, pos)
            out.append(Quote(part, q.start + offset, q.start + offset + len(part), q.speaker, q.speaker_name))
        pos = m.end() if m else pos
    return tuple(out)
