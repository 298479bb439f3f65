"""Bytes to text for files and pages in whatever encoding they arrive.

Order matters: a byte-order mark is proof, strict UTF-8 is near-proof (random
8-bit text almost never decodes as UTF-8), and only then do we guess. Binary
files are refused before any guessing, because a guesser will happily "decode"
a PDF into plausible-looking garbage.

A charset a server, a page or an e-mail declares is a stranger's claim: it is
used only when it names a real character set (never Python's own codecs such as
``unicode_escape`` or ``idna``, which turn text into code points no file holds),
and whatever comes out is valid Unicode (no lone surrogates), so it can always
be shown, saved and exported. HTML before parsing lives in ``reader.intake.rawhtml``.
"""

from __future__ import annotations

import codecs
import re

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


# Codecs Python offers that are not character sets of any file: escape-sequence interpreters, the
# internationalised-domain codecs, UTF-7 (which can write lone surrogates) and platform-only ones.
_NOT_A_CHARSET = frozenset(
    "idna punycode unicode_escape raw_unicode_escape utf_7 undefined mbcs oem".split()
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def usable_charset(declared: str | None) -> str | None:
    """The codec for a declared charset name, or None when it names no real text encoding."""
    if not declared:
        return None
    try:
        info = codecs.lookup(declared.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    name = info.name.replace("-", "_")
    if name in _NOT_A_CHARSET or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def sound_text(text: str) -> str:
    """``text`` with any lone surrogate (no character at all) shown as U+FFFD, so it can be encoded."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _guess_8bit(data: bytes, declared: str | None) -> str:
    charset = usable_charset(declared)
    if charset:
        try:
            return data.decode(charset)
        except UnicodeError:
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


def _utf32_without_bom(data: bytes) -> str | None:
    """UTF-32 saved without a BOM: the top byte of every four is NUL, the next nearly always.

    Checked before UTF-16, which would otherwise read it as text full of NUL characters.
    """
    if len(data) < 8 or len(data) % 4:
        return None
    for top, second, codec in ((data[3::4], data[2::4], "utf-32-le"), (data[0::4], data[1::4], "utf-32-be")):
        if top.count(0) == len(top) and second.count(0) > 0.9 * len(second):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


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
    return sound_text(_decode(data, name, declared))


def decode_declared(data: bytes, name: str, declared: str | None) -> str:
    """Decode text whose charset its container states and usually states right (an e-mail part).

    The declared charset wins when it is a real one and decodes the bytes cleanly; otherwise the
    bytes are read as any file is.
    """
    charset = usable_charset(declared)
    if charset:
        try:
            return sound_text(data.decode(charset))
        except UnicodeError:
            pass
    return decode_bytes(data, name)


def _decode(data: bytes, name: str, declared: str | None) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SourceError(f"{name}: damaged {codec} text ({exc.reason})") from None
    for without_bom in (_utf32_without_bom, _utf16_without_bom):
        text = without_bom(data[:65536]) and without_bom(data)
        if text is not None:
            return text
    kind = _binary_kind(data)
    if kind is not None:
        raise SourceError(f"{name}: this is {kind}, not text; save the article as text or HTML")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _mixed_utf8(data, declared) or _guess_8bit(data, declared)
