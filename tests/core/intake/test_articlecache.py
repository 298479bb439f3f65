"""Kept articles: the same source read again gives the article build_article gives, without rebuilding it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.errors import SourceError
from reader.intake import articlecache
from reader.intake.articles import build_article
from reader.model import RawDocument
from reader.resultcache import ResultCache

ROOT = Path(__file__).resolve().parents[3]
PAGE = """<html><head><title>Dam gates opened at Morrow Creek | The Valley Courier</title></head><body>
<nav>Home | News | Sport</nav>
<p>Engineers opened two gates of the Morrow Creek dam on Friday, releasing 400 cubic metres a second.</p>
<p class="caption">Photo: the spillway at dawn.</p>
<p>Dr. Ines Alvarado, who runs the reservoir, said the level had risen 2.5 metres since Monday.</p>
<p>Residents of Lowford were told to keep away from the banks.</p>
</body></html>"""
TEXT = """Dam gates opened at Morrow Creek

Engineers opened two gates of the Morrow Creek dam on Friday, releasing 400 cubic metres a second.

Advertisement

Dr. Ines Alvarado, who runs the reservoir, said the level had risen 2.5 metres since Monday.

Residents of Lowford were told to keep away from the banks.
"""


@pytest.fixture
def store(tmp_path: Path) -> ResultCache:
    return ResultCache("articles", limit=16, folder=tmp_path)


def test_a_kept_article_equals_a_fresh_one(store: ResultCache, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = RawDocument("courier.html", PAGE, is_html=True, filename="courier.html")
    fresh = build_article(raw, "a1")
    assert articlecache.article(raw, "a1", store=store) == fresh
    import reader.intake.articles

    def no_rebuild(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt a kept article")

    monkeypatch.setattr(reader.intake.articles, "build_article", no_rebuild)
    kept = articlecache.article(raw, "a1", store=store)
    assert kept == fresh
    assert [s.norm for s in kept.sentences] == [s.norm for s in fresh.sentences]  # not part of ==: checked apart


@pytest.mark.parametrize("change", ["text", "id", "outlet", "restore"])
def test_anything_that_shapes_the_article_misses(store: ResultCache, change: str) -> None:
    raw = RawDocument("courier.txt", TEXT, filename="courier.txt")
    first = articlecache.article(raw, "a1", store=store)
    assert first.removed  # the advertisement line, which "restore" puts back
    args: dict = {"raw": raw, "article_id": "a1"}
    if change == "text":
        args["raw"] = RawDocument("courier.txt", TEXT.replace("2.5 metres", "3 metres"), filename="courier.txt")
    elif change == "id":
        args["article_id"] = "a2"
    elif change == "outlet":
        args["outlet"] = "Lowford Weekly"
    else:
        args["restore"] = frozenset(r.position for r in first.removed)
    kwargs = {k: v for k, v in args.items() if k not in ("raw", "article_id")}
    got = articlecache.article(args["raw"], args["article_id"], store=store, **kwargs)
    assert got == build_article(args["raw"], args["article_id"], **kwargs)
    assert got != first


def test_an_unbuildable_source_raises_every_time(store: ResultCache) -> None:
    raw = RawDocument("empty.txt", "   \n\n  ", filename="empty.txt")
    for _ in range(2):
        with pytest.raises(SourceError):
            articlecache.article(raw, "a1", store=store)
    assert not list(store.folder.glob("*.pickle"))


def test_a_kept_article_loads_without_the_cleaner_or_the_splitter(tmp_path: Path) -> None:
    page = tmp_path / "courier.html"
    page.write_text(PAGE, encoding="utf-8")
    code = (
        "import sys\n"
        "import reader.resultcache\n"
        "reader.resultcache._fingerprint = 'this code'  # others may be editing the checkout meanwhile\n"
        "from reader.pipeline import load_each\n"
        f"out = load_each([{str(page)!r}])\n"
        "assert out[0].article is not None, out[0].error\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pysbd', 'reader.intake.cleaning', "
        "'reader.intake.segment'))))\n"
    )
    env = {"PARALLAX_HOME": str(tmp_path / "home")}
    runs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
                           env={**__import__("os").environ, **env}) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr[-2000:]
    assert runs[0].stdout.strip() != "[]"  # the first run builds it
    assert runs[1].stdout.strip() == "[]"  # the second reads it back
