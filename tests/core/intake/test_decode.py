"""Every encoding a real news file arrives in decodes to the same words; binary is refused."""

from __future__ import annotations

import codecs

import pytest

from reader.errors import SourceError
from reader.intake.decode import decode_bytes

ENGLISH = "Café owners in Orléans said the “worst flood in memory” cost €2m – naïve hopes dashed.\n" * 3
ARABIC = (
    "ضربت عاصفة قوية مدينة "
    "الإسكندرية يوم الثلاث"
    "اء، وقال المحافظ إن فرق "
    "الإنقاذ تعمل على مدار "
    "الساعة.\n"
) * 3


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ENGLISH.encode("utf-8"), ENGLISH),
        (codecs.BOM_UTF8 + ENGLISH.encode("utf-8"), ENGLISH),
        (ENGLISH.encode("utf-16"), ENGLISH),
        (ENGLISH.encode("utf-16-le"), ENGLISH),
        (ENGLISH.encode("cp1252"), ENGLISH),
        (ARABIC.encode("utf-8"), ARABIC),
        (ARABIC.encode("cp1256"), ARABIC),
        (ARABIC.encode("utf-16"), ARABIC),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-no-bom", "cp1252", "arabic-utf8", "arabic-cp1256", "arabic-utf16"],
)
def test_encodings_decode_without_mangling(data: bytes, expected: str) -> None:
    assert decode_bytes(data, "story.txt") == expected


def test_declared_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    assert decode_bytes(ARABIC.encode("cp1256"), "page", declared="windows-1256") == ARABIC


@pytest.mark.parametrize(
    ("data", "word"),
    [(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"), (b"plain\x00text\x00with\x00nul", "binary"),
     (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG")],
)
def test_binary_files_are_refused_with_a_line_naming_the_file(data: bytes, word: str) -> None:
    with pytest.raises(SourceError) as err:
        decode_bytes(data, "notes.txt")
    assert "notes.txt" in str(err.value) and word in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("text", "html"),
    [("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
     ("  \n<html lang='en'><p>Quake</p></html>", True),
     ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', True),
     ("<p>A fragment copied from a CMS.</p><p>Second paragraph.</p>", True),
     ("<div class='story'><h1>Headline</h1></div>", True),
     ("Saved text\n\n<body>and some markup later</body>", True),
     ("The page used a <p> tag where a <br> was meant, the developer said.", False),
     ("Plain article text about a flood.\n\nSecond paragraph.", False),
     ("<3 the new stadium, fans wrote.", False)],
)
def test_one_test_of_html_for_files_pastes_pages_and_the_cleaner(text: str, html: bool) -> None:
    """Issue 20: three copies of looks_like_html disagreed (a fetched fragment was HTML, the same text in a
    file was not); now one, in rawhtml.py, used by every door."""
    from reader.intake.rawhtml import looks_like_html
    from reader.intake.sources import pasted

    assert looks_like_html(text) is html
    assert pasted(text, "Desk").is_html is html
