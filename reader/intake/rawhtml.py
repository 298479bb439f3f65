"""HTML before any parser sees it: is a text a page at all, what no reader sees, nesting too deep, size limits.

Split from ``reader.intake.decode`` (which turns bytes into text): these steps run on
text already decoded, in one linear scan each, so a hostile page is unwrapped, slimmed
or refused in seconds before lxml or trafilatura spend minutes on it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader.errors import SourceError

# A page starts with its doctype or <html> (an XHTML page with its XML declaration); a fragment saved
# as text starts with a block tag. A text file that merely mentions "<p>" in a sentence is no page.
_PAGE_START = re.compile(r"<(?:!doctype\s+html|html|\?xml|body|head|p|div|article|section|main|h[1-6])[\s>/]")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` (from a file, a paste or a server that gave no content type) is HTML to parse.

    The one test every door uses (files, pastes, web pages, the cleaner), so a page is read the
    same way whichever way it came in.
    """
    head = text[:2048].lstrip().lower()
    return bool(_PAGE_START.match(head)) or ("<body" in head and "</" in text)



# libxml2, under lxml and trafilatura, silently drops everything below 256 open elements (2048 with
# huge_tree), so a paragraph wrapped in thousands of <div>s vanished and the user was told the page
# had no article. Real pages nest a few dozen levels; below this depth wrappers carry no meaning.
MAX_NESTING = 150

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # an unterminated comment runs to the end, as in browsers (and keeps this linear)
    r"|<[!?][^>]*+(?:>|\Z)"
    r"|</([A-Za-z][^\s/>]*+)[^>]*+(?:>|\Z)"
    r"""|<([A-Za-z][^\s/>]*+)((?:[^>"']++|"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))*+)(?:>|\Z)""",
    re.DOTALL,
)
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
_VOID = frozenset("area base basefont br col embed frame hr img input keygen link meta param source track wbr".split())
# Elements whose content is never article text: below the cap they go with everything inside them.
_NO_TEXT = frozenset("head noscript template svg math select button object canvas audio video".split())
_BLOCK = frozenset(
    "address article aside blockquote caption center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary table tbody td tfoot "
    "th thead tr ul".split()
)
# Start tags that close an open element of these names on top, as HTML parsers do (unclosed <p>, <li>...).
_CLOSES = {
    "p": ("p",), "li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
    "td": ("td", "th"), "th": ("td", "th"), "option": ("option",), "a": ("a",),
}
_SINGLETONS = frozenset(("html", "head", "body"))
# libxml2 ignores an end tag that would close an element of higher priority on its way ("</span>" inside
# an open <div>); without this rule the stack here would be shallower than the parser's.
_END_PRIORITY = {"div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180, "tfoot": 180,
                 "table": 190, "head": 200, "body": 200, "html": 220}
_DEFAULT_PRIORITY = 100


@lru_cache(maxsize=16)
def _raw_text_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}(?=[\s/>])[^>]*+(?:>|\Z)", re.IGNORECASE)


class _Flattener:
    """One pass over the tags, keeping a stack of open elements as an HTML parser would.

    Elements opened at or below ``cap`` lose their tags, never their text: inline
    ones (span, b, a) let their words run on, block ones (div, p, li, br) end
    the paragraph, and each run of words between block edges becomes one
    ``<p>`` at the cap. Script, style and other never-text elements down there
    go whole. Only the parts that change are copied, so a page that never
    nests that deep costs one scan.
    """

    def __init__(self, html: str, cap: int) -> None:
        self.html, self.cap = html, cap
        self.stack: list[str] = []
        self.where: dict[str, list[int]] = {}  # stack indices of the open elements of each name
        self.high: dict[int, list[int]] = {p: [] for p in set(_END_PRIORITY.values())}  # same, by priority
        self.out: list[str] = []
        self.copied = 0  # html[:copied] is already in ``out``
        self.para_open = False  # a <p> we opened at the cap and have not closed yet
        self.skip_at = -1  # stack index of a never-text element being dropped with its content

    def _emit(self, start: int, end: int, replacement: str) -> None:
        """Output everything up to ``start``, then ``replacement`` instead of html[start:end]."""
        if start > self.copied:
            self.out.append(self.html[self.copied : start])
        if replacement or not self.out:  # the first edit marks the page as changed, even when it only deletes
            self.out.append(replacement)
        self.copied = end

    def _close_para(self) -> str:
        was_open, self.para_open = self.para_open, False
        return "</p>" if was_open else ""

    def _push(self, name: str) -> None:
        at = len(self.stack)
        self.stack.append(name)
        self.where.setdefault(name, []).append(at)
        if name in _END_PRIORITY:
            self.high[_END_PRIORITY[name]].append(at)

    def _pop(self) -> None:
        name = self.stack.pop()
        self.where[name].pop()
        if name in _END_PRIORITY:
            self.high[_END_PRIORITY[name]].pop()
        if len(self.stack) <= self.skip_at:
            self.skip_at = -1

    def _closes(self, name: str) -> int:
        """Stack index of the element ``</name>`` closes, or -1 when a parser ignores it."""
        open_at = self.where.get(name)
        if not open_at:
            return -1
        at = open_at[-1]
        mine = _END_PRIORITY.get(name, _DEFAULT_PRIORITY)
        if any(found and found[-1] > at for level, found in self.high.items() if level > mine):
            return -1
        return at

    def _text(self, start: int, end: int) -> None:
        if end <= start:
            return
        if self.skip_at >= 0:
            self._emit(start, end, "")
        elif len(self.stack) > self.cap and not self.para_open and not self.html[start:end].isspace():
            self._emit(start, start, "<p>")
            self.para_open = True

    def _end_tag(self, m: re.Match[str]) -> None:
        at = self._closes(m.group(1).lower())
        if at < 0:
            if len(self.stack) > self.cap or self.skip_at >= 0:
                self._emit(m.start(), m.end(), "")  # a stray end tag down there means nothing
            return
        name = self.stack[at]
        skipping = self.skip_at >= 0
        while len(self.stack) > at:
            self._pop()
        if len(self.stack) < self.cap:  # it closes an element that kept its tags
            if self.para_open:
                self._emit(m.start(), m.start(), self._close_para())
        elif skipping or name not in _BLOCK:
            self._emit(m.start(), m.end(), "")
        else:
            self._emit(m.start(), m.end(), self._close_para())

    def _start_tag(self, m: re.Match[str]) -> int:
        """Handle a start tag; return where scanning resumes (after a script's or style's content)."""
        name = m.group(2).lower()
        end = m.end()
        if name in _RAW_TEXT:
            closing = _raw_text_end(name).search(self.html, end)
            end = closing.end() if closing else len(self.html)
        if name in _CLOSES:
            while self.stack and self.stack[-1] in _CLOSES[name]:
                self._pop()
        deep = len(self.stack) >= self.cap
        if not deep:
            if self.para_open:
                self._emit(m.start(), m.start(), self._close_para())
        elif self.skip_at >= 0 or not (name in _BLOCK or name in _NO_TEXT or name == "br"):
            self._emit(m.start(), end, "")
        else:
            self._emit(m.start(), end, self._close_para())
        if name in _RAW_TEXT or name in _VOID or m.group(3).endswith("/"):
            return end  # nothing stays open: libxml2 closes <div/> at once
        if name in _SINGLETONS and self.where.get(name):
            return end  # a second <body> is ignored by parsers
        if deep and name in _NO_TEXT and self.skip_at < 0:
            self.skip_at = len(self.stack)
        self._push(name)
        return end

    def run(self) -> str:
        html, pos = self.html, 0
        while (m := _TOKEN.search(html, pos)) is not None:
            self._text(pos, m.start())
            if m.group(1) is not None:
                self._end_tag(m)
                pos = m.end()
            elif m.group(2) is not None:
                pos = self._start_tag(m)
            else:  # a comment, doctype or processing instruction
                if len(self.stack) > self.cap or self.skip_at >= 0:
                    self._emit(m.start(), m.end(), "")
                pos = m.end()
        self._text(pos, len(html))
        if not self.out:
            return html  # never nested too deep: the page goes to the parser untouched
        self._emit(len(html), len(html), self._close_para())
        return "".join(self.out)


def flatten_deep_html(html: str, cap: int = MAX_NESTING) -> str:
    """``html`` with elements nested below ``cap`` levels unwrapped, their text and paragraph breaks kept.

    Linear in the page's size and never recursive; a page that never nests
    that deep is returned as it is. Only tags are removed or added, never a
    word, so whatever a parser reads from the result was in the page.
    """
    return _Flattener(html, cap).run()


# --------------------------------------------------------------------------- what no parser needs to see

# Saved pages carry megabytes below the article that no reader ever sees: inline scripts and JSON
# state, stylesheets, HTML comments, images inlined as base64. Parsers and trafilatura pay for every
# byte of it (a 20 MB page took minutes), so it goes first, in one linear scan that reads no word of
# text. Title and textarea content are skipped over whole, so a "<!--" inside them stays text.
_HEAVY = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|title|textarea)\b([^>]*+)(?:>|\Z)(.*?)(?:</\1(?=[\s/>])[^>]*+(?:>|\Z)|\Z)"
    r"|(data:[\w.+-]+/[\w.+-]+(?:;[\w.+=-]+)*;base64,)[A-Za-z0-9+/=\r\n]{256,}",
    re.DOTALL | re.IGNORECASE,
)
# JSON-LD is where most pages state their date and author: kept unless it is a data dump itself.
_MAX_LINKED_DATA = 100_000


def _slimmed(m: re.Match[str]) -> str:
    element = m.group(1)
    if element is None:
        return m.group(4) or ""  # a comment goes; a data: URL keeps its type and loses its payload
    if element.lower() in ("title", "textarea"):
        return m.group(0)
    if element.lower() == "script" and "ld+json" in m.group(2).lower() and len(m.group(0)) <= _MAX_LINKED_DATA:
        return m.group(0)
    return ""


def slim_html(html: str) -> str:
    """``html`` without scripts (JSON-LD aside), styles, HTML comments and base64 payloads of data: URLs.

    Linear in the page's size; only markup and payloads are removed, never
    a word a browser would show.
    """
    return _HEAVY.sub(_slimmed, html)


# Measured here (2 shared cores) on what trafilatura is slowest at, one article of short paragraphs:
# its main pass grows with the square of the blocks it walks (40,000 took 2.7 s, 80,000 took 11 s).
# A real page with megabytes of comments and related links stays far below both limits once slimmed.
MAX_PAGE_CHARS = 8_000_000
MAX_PAGE_BLOCKS = 60_000
_BLOCK_TAG = re.compile(r"<(?:p|div|li|h[1-6]|td|th|tr|dd|dt|br|pre|blockquote|section|article)\b", re.IGNORECASE)


def check_page_size(page: str, name: str) -> None:
    """SourceError in one line when ``page`` (slimmed) is more HTML than Parallax reads in a few seconds."""
    if len(page) > MAX_PAGE_CHARS:
        raise SourceError(
            f"{name}: page too large: {len(page) / 1e6:.1f} MB of HTML once scripts, styles and inline images "
            f"are set aside; Parallax reads pages up to {MAX_PAGE_CHARS // 1_000_000} MB"
        )


def check_page_blocks(page: str, name: str) -> None:
    """SourceError in one line when ``page`` (slimmed and flattened) has more blocks than trafilatura walks quickly.

    Counted after ``flatten_deep_html``: wrappers below the depth cap are no blocks to a parser any more.
    """
    blocks = sum(1 for _ in _BLOCK_TAG.finditer(page))
    if blocks > MAX_PAGE_BLOCKS:
        raise SourceError(
            f"{name}: page too large: {blocks:,} paragraphs and other blocks; Parallax reads pages of up to "
            f"{MAX_PAGE_BLOCKS:,}"
        )
