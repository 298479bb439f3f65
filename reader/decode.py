"""Bytes to text for files and pages in whatever encoding they arrive.

Order matters: a byte-order mark is proof, strict UTF-8 is near-proof (random
8-bit text almost never decodes as UTF-8), and only then do we guess. Binary
files are refused before any guessing, because a guesser will happily "decode"
a PDF into plausible-looking garbage.
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
