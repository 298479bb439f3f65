"""Loading each kind of source, and a one-line error naming the file for each kind of bad one."""

from __future__ import annotations

import json
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from reader.errors import SourceError
from reader.intake.sources import load_manifest, load_source, pasted

DATA = Path(__file__).resolve().parents[2] / "data" / "intake"
STORY = "Bridge reopens after repairs\n\nThe Old Mill bridge reopened to traffic on Saturday after €3m of repairs.\n"


def test_plain_text_file(tmp_path: Path) -> None:
    path = tmp_path / "valley-post.txt"
    path.write_text(STORY, encoding="utf-8")
    raw = load_source(str(path))
    assert raw.text == STORY and not raw.is_html
    assert raw.filename == "valley-post.txt" and raw.source == str(path)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_text_file_in_each_encoding(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(STORY.encode(codec))
    assert load_source(str(path)).text == STORY


def test_arabic_file_in_windows_1256(tmp_path: Path) -> None:
    text = (DATA / "arabic.txt").read_text(encoding="utf-8")
    path = tmp_path / "arabic.txt"
    path.write_bytes(text.encode("cp1256"))
    assert load_source(str(path)).text == text


def test_markdown_loses_heading_marks_and_link_syntax(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Bridge reopens\n\nThe [council](https://example.org) said so on Saturday.\n", encoding="utf-8")
    raw = load_source(str(path))
    assert raw.text.startswith("Bridge reopens\n") and "The council said so" in raw.text


def test_html_file_gets_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    shutil.copy(DATA / "election.html", path)
    raw = load_source(str(path))
    assert raw.is_html
    assert raw.site_name == "Nordland Daily"
    assert raw.title and raw.title.startswith("Coalition wins narrow majority")
    assert raw.published == "2023-09-11"


def test_docx_file(tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading("Hospital opens new wing", level=1)
    doc.add_paragraph("The new children's wing opened on Monday with 40 beds.")
    doc.add_paragraph("It cost 12 million pounds, the health board said.")
    path = tmp_path / "wire.docx"
    doc.save(str(path))
    raw = load_source(str(path))
    assert raw.title == "Hospital opens new wing"
    assert "40 beds." in raw.text and "12 million pounds" in raw.text


def test_eml_file(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["Subject"] = "Harbour strike ends"
    msg["From"] = "Desk Editor <desk@example.org>"
    msg["Date"] = "Tue, 14 Mar 2023 09:30:00 +0000"
    msg.set_content("Dock workers returned to work on Tuesday after a two-week strike.\n")
    path = tmp_path / "alert.eml"
    path.write_bytes(bytes(msg))
    raw = load_source(str(path))
    assert raw.title == "Harbour strike ends" and raw.published == "2023-03-14" and raw.author == "Desk Editor"
    assert "two-week strike" in raw.text


def test_manifest_names_the_outlet(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "manifest.json").write_text(
        json.dumps({"articles": [{"file": "a.txt", "outlet": "Valley Post"}, {"file": "b.txt"}]}), encoding="utf-8"
    )
    assert load_manifest(tmp_path) == {"a.txt": "Valley Post"}
    assert load_source(str(tmp_path / "a.txt")).outlet_hint == "Valley Post"


def test_damaged_manifest_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    assert load_source(str(tmp_path / "a.txt")).outlet_hint is None


def test_pasted_text() -> None:
    raw = pasted(STORY, "  Evening   Gazette ", title="Bridge")
    assert raw.source == "pasted: Evening Gazette" and raw.outlet_hint == "Evening Gazette" and raw.title == "Bridge"
    with pytest.raises(SourceError):
        pasted("   \n ", "Gazette")


def _error(spec: str, **kw) -> str:
    with pytest.raises(SourceError) as err:
        load_source(spec, **kw)
    message = str(err.value)
    assert "\n" not in message and message
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in _error(str(tmp_path / "gone.txt"))


@pytest.mark.parametrize(
    ("content", "word"), [(b"", "empty"), (b"  \n\t\n  ", "empty"), (b"\x00\x01\x02" * 50, "binary")]
)
def test_empty_whitespace_and_binary_files(tmp_path: Path, content: bytes, word: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    message = _error(str(path))
    assert "bad.txt" in message and word in message


def test_pdf_renamed_to_txt(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n5 0 obj\n<</Length 6 0 R>>\nstream\n")
    assert "PDF" in _error(str(path))


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50_000_000)
    message = _error(str(path))  # refused on its size, before a byte is read
    assert "huge.txt" in message and "limit" in message


def test_a_big_file_under_a_raised_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(STORY * 20_000, encoding="utf-8")
    assert len(load_source(str(path), max_bytes=50_000_000).text) == len(STORY) * 20_000


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    assert "folder" in _error(str(tmp_path))


@pytest.mark.parametrize("spec", ["file:///etc/passwd", "ftp://example.org/a.txt", "javascript:alert(1)"])
def test_other_address_schemes_are_refused(spec: str) -> None:
    assert "not supported" in _error(spec)


def test_html_file_in_windows_1256_with_meta_charset(tmp_path: Path) -> None:
    body = (DATA / "arabic.txt").read_text(encoding="utf-8").splitlines()[4]
    html = f'<html><head><meta charset="windows-1256"></head><body><p>{body}</p></body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1256"))
    assert body in load_source(str(path)).text


def test_a_file_whose_name_looks_like_an_address_scheme_is_still_a_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("wire:flood.txt").write_text(STORY, encoding="utf-8")
    assert load_source("wire:flood.txt").text == STORY
