"""Text out of container formats — Word documents (.docx) and e-mails (.eml) — within caps on what they unpack to.

A container is small on disk and can be huge inside: a 1.4 MB .docx whose XML unpacks to
400 MB took the whole machine's memory, and an e-mail nested a thousand multiparts deep
overflowed the parser's stack. Each is measured before it is opened: a .docx's members are
unpacked once in pieces and counted (the sizes a zip declares may lie), an e-mail's parts are
counted and its nesting walked without recursion. Refusals are one SourceError line.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import zipfile
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime

from reader.errors import SourceError
from reader.intake.decode import decode_declared, sound_text
from reader.model import RawDocument

MAX_UNPACKED_BYTES = 64_000_000  # all of a .docx's members together; a long report is a few MB of XML
MAX_RATIO = 200  # unpacked / packed for a member over 1 MB; Word's XML packs 5-20 times, a bomb 1,000
MAX_MEMBERS = 5_000
MAX_MAIL_PARTS = 200  # a newsletter with attachments has a dozen
MAX_MAIL_DEPTH = 20
_PIECE = 1 << 20
_MULTIPART = re.compile(rb"(?im)^content-type:[ \t]*multipart/")


# --------------------------------------------------------------------------- Word documents


def _check_zip(data: bytes, name: str) -> None:
    """SourceError unless the archive unpacks to a sane size; every member is really unpacked to count it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise SourceError(f"{name}: the document holds {len(members):,} files; not a Word document")
            total = 0
            for info in members:
                size = 0
                with archive.open(info) as fh:  # reads at most the declared size, then checks the CRC
                    while piece := fh.read(_PIECE):
                        size += len(piece)
                        total += len(piece)
                        if total > MAX_UNPACKED_BYTES:
                            raise SourceError(
                                f"{name}: the document unpacks to over {MAX_UNPACKED_BYTES // 1_000_000} MB "
                                "(a compression bomb?); Parallax reads Word documents up to that size"
                            )
                if size > _PIECE and size > MAX_RATIO * max(info.compress_size, 1):
                    raise SourceError(
                        f"{name}: a part of the document unpacks {size // max(info.compress_size, 1):,} times its "
                        "size (a compression bomb?); not read"
                    )
    except SourceError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
        raise SourceError(f"{name}: not a readable Word document ({type(exc).__name__})") from None


def docx_text(data: bytes, name: str) -> tuple[str, str | None, str | None]:
    """Paragraph text, title and author of a .docx held in ``data``."""
    _check_zip(data, name)
    import docx  # python-docx; imported here so plain-text users never pay for it

    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for damaged files
        raise SourceError(f"{name}: not a readable Word document ({type(exc).__name__})") from None
    paras = [p.text.strip() for p in doc.paragraphs if p.text.strip()]
    title = (doc.core_properties.title or "").strip() or None
    if title is None:
        styled = [p for p in doc.paragraphs if p.style is not None and p.style.name.startswith(("Title", "Head"))]
        heads = [p.text.strip() for p in styled if p.text.strip()]
        title = heads[0] if heads else None
    author = (doc.core_properties.author or "").strip() or None
    return "\n\n".join(paras), title, author


# --------------------------------------------------------------------------- e-mails


def _depth(msg: Message) -> int:
    """How deep the parts nest, walked with a stack (the parser's own walk recurses)."""
    deepest, stack = 0, [(msg, 1)]
    while stack:
        part, depth = stack.pop()
        deepest = max(deepest, depth)
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend((child, depth + 1) for child in payload if isinstance(child, Message))
    return deepest


def _body(msg: EmailMessage, name: str) -> tuple[str, bool]:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", False
    payload = body.get_payload(decode=True)  # base64 and quoted-printable only ever shrink
    raw = payload if isinstance(payload, bytes) else str(payload or "").encode("utf-8", "replace")
    # The part's own charset first, through the same allow-list as every page: a declared
    # "unicode_escape" or "idna" is no character set and is never used.
    return decode_declared(raw, f"{name} (e-mail body)", body.get_content_charset()), (
        body.get_content_type() == "text/html"
    )


def eml_document(data: bytes, name: str, source: str) -> RawDocument:
    parts = len(_MULTIPART.findall(data))
    if parts > MAX_MAIL_PARTS:
        raise SourceError(f"{name}: the e-mail has {parts:,} multipart sections; Parallax reads up to {MAX_MAIL_PARTS}")
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
        if not isinstance(msg, EmailMessage) or not msg.keys():
            raise SourceError(f"{name}: not a readable e-mail message")
        if _depth(msg) > MAX_MAIL_DEPTH:
            raise SourceError(f"{name}: the e-mail's parts nest over {MAX_MAIL_DEPTH} levels deep; not read")
        text, is_html = _body(msg, name)
        subject, date, sender = msg.get("Subject"), msg.get("Date"), msg.get("From")
        author = None
        addresses = getattr(sender, "addresses", ())
        if addresses:
            author = addresses[0].display_name or None
    except SourceError:
        raise
    except (RecursionError, LookupError, UnicodeError, ValueError, TypeError, AttributeError, IndexError) as exc:
        # The e-mail package raises these on malformed headers and parts; the message is the stranger's.
        raise SourceError(f"{name}: not a readable e-mail message ({type(exc).__name__})") from None
    if not text.strip():
        raise SourceError(f"{name}: the e-mail has no text body")
    published = None
    if date:
        try:
            published = parsedate_to_datetime(str(date)).date().isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            published = None
    return RawDocument(
        source=source, text=text, is_html=is_html, title=sound_text(str(subject or "")).strip() or None,
        published=published, author=sound_text(author) if author else None, filename=name,
    )
