"""Bytes to text for files and pages in whatever encoding they arrive.

Order matters: a byte-order mark is proof, strict UTF-8 is near-proof (random
8-bit text almost never decodes as UTF-8), and only then do we guess. Binary
files are refused before any guessing, because a guesser will happily "decode"
a PDF into plausible-looking garbage.

The same goes for HTML nested deeper than parsers will follow: it is unwrapped
here, before any parser sees it (``flatten_deep_html``).
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from reader.errors import SourceError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# File signatures of formats people rename or mis-save as text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a zip archive (an office document?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
)

# Non-Latin 8-bit code pages and the script each one writes.
_SCRIPT_PAGES = (("cp1256", "ARABIC"), ("cp1251", "CYRILLIC"), ("cp1253", "GREEK"), ("cp1255", "HEBREW"))
_SAMPLE = 200_000


def _high_byte_runs(data: bytes) -> float:
    """Share of non-ASCII bytes that sit next to another non-ASCII byte.

    In Arabic, Cyrillic, Greek or Hebrew 8-bit text whole words are non-ASCII,
    so such bytes come in runs; in Western European text they are single
    accented letters and quotes among ASCII ones. Statistical guessers confuse
    the Windows code pages on short texts; this one structural fact does not.
    """
    high = [i for i, byte in enumerate(data) if byte >= 0x80]
    if not high:
        return 0.0
    positions = set(high)
    paired = sum(1 for i in high if i - 1 in positions or i + 1 in positions)
    return paired / len(high)


def _script_share(text: str, script: str) -> float:
    import unicodedata

    letters = [ch for ch in text if ord(ch) >= 0x80 and ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if unicodedata.name(ch, "").startswith(script)) / len(letters)


def _guess_8bit(data: bytes, declared: str | None) -> str:
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    sample = data[:_SAMPLE]
    if _high_byte_runs(sample) > 0.6:
        best = max(_SCRIPT_PAGES, key=lambda page: _script_share(sample.decode(page[0], errors="replace"), page[1]))
        if _script_share(sample.decode(best[0], errors="replace"), best[1]) > 0.8:
            return data.decode(best[0], errors="replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    guess = from_bytes(sample).best()
    # Undecodable bytes become U+FFFD rather than an exception: a stray byte must not lose the article.
    return data.decode(guess.encoding if guess is not None else "latin-1", errors="replace")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM: every other byte is NUL for Latin text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) > 0.4 * len(zeros):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:8192]:
        return "binary data"
    return None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first few kilobytes, if any."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii", "replace") if found else None


def _mixed_utf8(data: bytes, declared: str | None) -> str | None:
    """A file pasted together from UTF-8 and 8-bit pieces: each line in its own encoding.

    Only when some non-ASCII lines are valid UTF-8 and others are not: guessing one
    code page for the whole file would turn every UTF-8 accent into two wrong letters.
    """
    lines = data.splitlines(keepends=True)
    utf8, other = 0, 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
    if not utf8 or not other:
        return None
    out = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(_guess_8bit(line, declared))
    return "".join(out)


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> str:
    """Decode ``data`` (named ``name`` in messages); ``declared`` is a charset a server or meta tag claimed."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SourceError(f"{name}: damaged {codec} text ({exc.reason})") from None
    utf16 = _utf16_without_bom(data[:65536]) and _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    kind = _binary_kind(data)
    if kind is not None:
        raise SourceError(f"{name}: this is {kind}, not text; save the article as text or HTML")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _mixed_utf8(data, declared) or _guess_8bit(data, declared)


# --------------------------------------------------------------------------- markup nested too deep

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
