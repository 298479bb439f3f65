"""Hostile input, tried for real: through the command line (a child process) and the app's intake.

Every case ends in a good result or one plain line, never a traceback or a hang,
never a changed input file, and the good sources next to it survive.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from localserver import serve

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/core helpers (--import-mode=importlib)

from hostile import (
    CASES,
    CLI_SHIM,
    FLOOD_ARTICLE,
    NESTED_PARAGRAPH,
    QUAKE_A,
    Case,
    active_markup,
    case,
    read_page,
    snapshot,
    write_case,
    write_stories,
)
from schema import check_source_compare

from reader.errors import ParallaxError, SourceError
from reader.intake.sources import load_source
from reader.model import Comparison
from reader.pipeline import compare, load_each
from reader.reports.jsonout import to_json

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m reader`` as a user runs it, with the fake sentence model (see ``hostile.CLI_SHIM``)."""
    return subprocess.run(
        [sys.executable, "-c", CLI_SHIM, str(ROOT), str(TESTS), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )


def assert_one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("parallax: error:"), done.stderr[-2000:]
    return done.stderr.strip()


def assert_clean_answer(done: subprocess.CompletedProcess[str], c: Case, out: Path) -> None:
    assert "Traceback" not in done.stderr + done.stdout
    if c.expect == "error" or (c.expect == "either" and done.returncode != 0):
        message = assert_one_line_error(done)
        assert c.name in message or "article" in message, message  # the user can tell which source failed
        assert not out.exists()
    else:
        assert done.returncode == 0, done.stderr[-2000:]
        doc = json.loads(out.read_text(encoding="utf-8"))
        check_source_compare(doc)
        assert len(doc["articles"]) == 2


@pytest.fixture
def stories(tmp_path: Path) -> dict[str, Path]:
    return write_stories(tmp_path / "stories")


# --------------------------------------------------------------------------- the command line


def _with_size_marks(cases: list[Case]) -> list[object]:
    """Every case as a test parameter; the huge ones marked slow and given more time."""
    slow = [pytest.mark.slow, pytest.mark.timeout(300)]
    return [pytest.param(c, id=c.name, marks=slow if c.big else ()) for c in cases]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("c", _with_size_marks(CASES))
def test_command_line_answers_each_hostile_file_in_one_line(tmp_path: Path, stories, c: Case) -> None:
    bad = write_case(tmp_path, c)
    good = stories["quake-post.txt"]
    before = snapshot([bad, good])
    out = tmp_path / "out.json"
    done = run_cli("compare", str(good), str(bad), "--json", str(out), "-q")
    assert_clean_answer(done, c, out)
    assert snapshot([bad, good]) == before, "an input file was altered"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["stories", c.name] + (["out.json"] * out.exists()))


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "which",
    [["quake-post.txt"], ["quake-post.txt", "missing.txt"], ["missing.txt", "gone.txt"], []],
    ids=["single-article", "one-good-and-a-missing-one", "two-missing", "no-source"],
)
def test_command_line_refuses_what_cannot_be_compared(stories, which: list[str]) -> None:
    folder = stories["quake-post.txt"].parent
    done = run_cli("compare", *[str(folder / w) for w in which])
    assert_one_line_error(done)


@pytest.mark.timeout(120)
def test_command_line_compares_the_same_file_given_twice(tmp_path: Path, stories) -> None:
    out = tmp_path / "twice.json"
    path = str(stories["quake-post.txt"])
    done = run_cli("compare", path, path, "--json", str(out), "-q")
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_source_compare(doc)
    assert len({a["outlet"] for a in doc["articles"]}) == 2, "two copies stay distinguishable"


# --------------------------------------------------------------------------- the app's intake


@pytest.mark.timeout(120)
@pytest.mark.parametrize("c", _with_size_marks(CASES))
def test_intake_keeps_the_good_sources_next_to_a_hostile_one(tmp_path: Path, stories, c: Case) -> None:
    bad = write_case(tmp_path, c)
    sources = [str(stories["quake-post.txt"]), str(bad), str(stories["quake-wire.txt"])]
    outcomes = load_each(sources)
    assert [o.source for o in outcomes] == sources
    assert outcomes[0].article is not None and outcomes[2].article is not None
    assert (outcomes[0].article.id, outcomes[2].article.id) == ("a1", "a3")
    hostile = outcomes[1]
    if c.expect == "error":
        assert hostile.article is None
    if c.expect == "ok":
        assert hostile.article is not None, hostile.error
    if hostile.article is None:
        assert hostile.error and "\n" not in hostile.error and "Traceback" not in hostile.error
    else:
        a = hostile.article
        assert a.id == "a2" and a.sentences
        assert all(a.body[s.start : s.end] == s.text for s in a.sentences)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("name", ["nested-5000.html", "nested-100000.html"])
def test_a_paragraph_nested_thousands_of_levels_deep_is_read(tmp_path: Path, stories, name: str) -> None:
    """Parsers drop whatever sits below 256 open elements; the paragraph must still reach the user, whole."""
    nested = write_case(tmp_path, case(name))
    out = tmp_path / "out.json"
    done = run_cli("compare", str(stories["quake-post.txt"]), str(nested), "--json", str(out), "-q")
    assert done.returncode == 0, done.stderr[-2000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_source_compare(doc)
    assert " ".join(s["text"] for s in doc["articles"][1]["sentences"]) == NESTED_PARAGRAPH
    outcome = load_each([str(nested)])[0]
    assert outcome.article is not None, outcome.error
    assert outcome.article.body == NESTED_PARAGRAPH


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_huge_saved_page_gives_its_article_or_one_line_and_the_others_survive(tmp_path: Path, stories) -> None:
    """19.5 MB pages: the article under megabytes of junk is read whole; a page that is all article is refused,
    naming the limit, and the good sources on either side are loaded."""
    page = write_case(tmp_path, case("saved-page-19mb.html"))
    huge = write_case(tmp_path, case("saved-page-huge-article-19mb.html"))
    outcomes = load_each([str(stories["quake-post.txt"]), str(page), str(huge), str(stories["quake-wire.txt"])])
    assert outcomes[0].article is not None and outcomes[3].article is not None
    article = outcomes[1].article
    assert article is not None, outcomes[1].error
    assert article.body == "\n\n".join(FLOOD_ARTICLE) and article.title == "River floods Marbeck as residents flee"
    assert outcomes[2].article is None and outcomes[2].error is not None
    assert "\n" not in outcomes[2].error and huge.name in outcomes[2].error
    assert "page too large" in outcomes[2].error and "Parallax reads pages" in outcomes[2].error


def test_scripts_iframes_and_remote_images_never_become_text(tmp_path: Path) -> None:
    article = load_each([str(write_case(tmp_path, case("scripts-iframes-images.html")))])[0].article
    assert article is not None
    text = article.title + "\n" + article.body
    for trace in ("Injected", "alert", "fetch(", "203.0.113.9", "document.", "<", "onerror"):
        assert trace not in text, trace
    assert "temporary shelters" in text and "400 homes" in text


def test_page_in_arabic_script_is_an_article(tmp_path: Path) -> None:
    article = load_each([str(write_case(tmp_path, case("arabic.html")))])[0].article
    assert article is not None and len(article.sentences) >= 2
    assert "٣٠٠" in article.body


def test_mixed_and_invalid_encodings_keep_the_prose(tmp_path: Path) -> None:
    for name in ("mixed-encoding.txt", "invalid-utf8.txt"):
        article = load_each([str(write_case(tmp_path, case(name)))])[0].article
        assert article is not None
        assert "seismic agency" in article.body and "Wednesday" in article.body
    mixed = load_each([str(tmp_path / "mixed-encoding.txt")])[0].article
    assert mixed is not None and "Café" in mixed.body and "São" in mixed.body


# --------------------------------------------------------------------------- comparisons of odd sets


def _shared(c: Comparison) -> list[set[str]]:
    return [{c.article_of(s).id for s in g.sentences} for g in c.groups]


def test_duplicate_articles_pair_every_sentence_and_differ_nowhere(stories, fake_embedder) -> None:
    c = compare([str(stories["quake-post.txt"]), str(stories["quake-post-copy.txt"])], fake_embedder)
    assert all(outlets == {"a1", "a2"} for outlets in _shared(c))
    assert c.discrepancies == ()
    assert len({a.outlet for a in c.articles}) == 2


def test_one_word_changed_is_found_and_nothing_else(stories, fake_embedder) -> None:
    c = compare([str(stories["quake-post.txt"]), str(stories["quake-post-one-word.txt"])], fake_embedder)
    assert all(outlets == {"a1", "a2"} for outlets in _shared(c))
    assert c.discrepancies, "three vs four apartment blocks is a difference"
    texts = {v.text.lower() for d in c.discrepancies for v in d.values}
    assert any("three" in t for t in texts) and any("four" in t for t in texts), texts
    assert len({d.group for d in c.discrepancies}) == 1, "only the sentence that changed differs"


def test_articles_that_share_nothing_have_no_shared_fact(stories, fake_embedder) -> None:
    c = compare([str(stories["quake-post.txt"]), str(stories["transfer.txt"])], fake_embedder)
    assert all(len(outlets) == 1 for outlets in _shared(c))
    assert c.discrepancies == () and c.agreements == ()


def test_extreme_numbers_compare_without_error(tmp_path: Path, fake_embedder) -> None:
    first = write_case(tmp_path, case("numbers.txt"))
    second = tmp_path / "numbers-other.txt"
    text = first.read_text(encoding="utf-8")
    second.write_text(text.replace("1e309", "1e307").replace("٣٠٠", "٣٥٠").replace("۴۵", "47"), encoding="utf-8")
    c = compare([str(first), str(second)], fake_embedder)
    assert c.discrepancies, "350 vs 300 families is a difference, whatever digits write it"
    for d in c.discrepancies:
        assert "\n" not in d.summary and "nan" not in d.summary.lower()
        for v in d.values:
            assert c.sentence(v.sentence).text[v.start : v.end] == v.text
    json.dumps(to_json(c), allow_nan=False)


def test_one_word_sentences_inside_an_article_survive(tmp_path: Path, stories, fake_embedder) -> None:
    path = write_case(tmp_path, case("one-word-sentences.txt"))
    c = compare([str(path), str(stories["quake-wire.txt"])], fake_embedder)
    assert len(c.articles) == 2
    covered = {s for g in c.groups for s in g.sentences}
    assert covered == {s.id for a in c.articles for s in a.sentences}


# --------------------------------------------------------------------------- web addresses


class _Hostile(BaseHTTPRequestHandler):
    sent: ClassVar[dict[str, int]] = {}
    requests: ClassVar[list[tuple[str, str, str | None, int]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        type(self).requests.append(
            ("GET", self.path, self.headers.get("Content-Length"), len(self.headers.get("Cookie", "")))
        )
        path = self.path
        if path.startswith("/forever/"):
            n = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", f"/forever/{n + 1}")  # never the same address twice
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/hostname")
            self.end_headers()
        elif path == "/slow":
            time.sleep(30)  # longer than any limit; the client has long gone by then
        elif path in ("/endless", "/gigabyte"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if path == "/gigabyte":
                self.send_header("Content-Length", str(1 << 30))
            self.end_headers()
            chunk = b"<p>" + b"flood " * 10_000 + b"</p>\n"
            sent = 0
            with contextlib.suppress(OSError):
                while sent < (1 << 30):
                    self.wfile.write(chunk)
                    sent += len(chunk)
                    type(self).sent[path] = sent
        elif path == "/binary":
            body = bytes(range(256)) * 64
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve(_Hostile) as url:
        yield url


URL_CASES = ["/forever/0", "/endless", "/gigabyte", "/binary", "/to-file"]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("path", URL_CASES)
def test_command_line_answers_hostile_addresses_in_one_line(server: str, stories, path: str) -> None:
    done = run_cli("compare", str(stories["quake-post.txt"]), server + path, "-q")
    message = assert_one_line_error(done)
    assert "127.0.0.1" in message


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_command_line_gives_up_on_a_server_that_never_answers(server: str, stories) -> None:
    done = run_cli("compare", str(stories["quake-post.txt"]), server + "/slow", "-q")
    assert "no answer" in assert_one_line_error(done) or "longer than" in done.stderr


@pytest.mark.timeout(120)
def test_intake_keeps_good_sources_next_to_hostile_addresses(server: str, stories) -> None:
    sources = [str(stories["quake-post.txt"]), *(server + p for p in URL_CASES), str(stories["quake-wire.txt"])]
    outcomes = load_each(sources)
    assert outcomes[0].article is not None and outcomes[-1].article is not None
    for o in outcomes[1:-1]:
        assert o.article is None and o.error and "\n" not in o.error


@pytest.mark.timeout(60)
def test_endless_body_is_cut_at_the_cap_not_read_to_the_end(server: str) -> None:
    cap = 2_000_000
    with pytest.raises(SourceError, match="limit"):
        load_source(server + "/endless", timeout=20, max_bytes=cap)
    time.sleep(0.5)  # the server notices the closed socket on its next write
    assert _Hostile.sent["/endless"] < 20 * cap, "the fetcher kept reading far past its cap"
    with pytest.raises(SourceError, match="limit"):
        load_source(server + "/gigabyte", timeout=20, max_bytes=cap)


@pytest.mark.timeout(60)
def test_a_slow_server_is_abandoned_within_the_time_limit(server: str) -> None:
    start = time.monotonic()
    with pytest.raises(SourceError):
        load_source(server + "/slow", timeout=1.0)
    assert time.monotonic() - start < 20, "a hang guard, not a speed test: the limit was 1 s"


@pytest.mark.parametrize(
    "spec", ["file:///etc/hostname", "FILE:///etc/hostname", "ftp://127.0.0.1/x", "data:text/html,<p>x</p>",
             "javascript:alert(1)", "gopher://127.0.0.1/"],
)
def test_only_http_and_https_are_fetched(spec: str) -> None:
    with pytest.raises(ParallaxError) as err:
        load_source(spec)
    assert "\n" not in str(err.value)


@pytest.mark.timeout(60)
def test_fetching_never_sends_local_files(server: str, tmp_path: Path) -> None:
    _Hostile.requests.clear()
    secret = tmp_path / "secret.txt"
    secret.write_text("the source's phone number", encoding="utf-8")
    with pytest.raises(SourceError, match="file"):
        load_source(server + "/to-file")
    with pytest.raises(SourceError):
        load_source(f"file://{secret}")
    assert _Hostile.requests, "the redirecting request reached the server"
    for method, _path, length, cookie in _Hostile.requests:
        assert method == "GET" and length in (None, "0") and cookie == 0  # no body, nothing of ours uploaded


# --------------------------------------------------------------------------- exported pages


HOSTILE_PROSE = """Council website defaced during the storm

Police said the council's page showed <script>alert("owned")</script> for an hour on Tuesday night.

A banner reading <img src="http://203.0.113.9/pixel.png" onerror="alert(1)"> appeared above the flood warnings.

Officials said <iframe src="http://203.0.113.9/"></iframe> had been planted by the attackers, who were not named.

Engineers restored the page before the evacuation order was issued at 11 pm, the council said.
"""


@pytest.mark.timeout(180)
def test_exported_pages_show_article_markup_as_text_and_run_nothing(tmp_path: Path) -> None:
    a, b = tmp_path / "council.txt", tmp_path / "herald.txt"
    a.write_text(HOSTILE_PROSE, encoding="utf-8")
    b.write_text(HOSTILE_PROSE.replace("an hour", "two hours").replace("11 pm", "10 pm"), encoding="utf-8")
    html_out, sheet = tmp_path / "report.html", tmp_path / "sheet.html"
    done = run_cli("compare", str(a), str(b), "--html", str(html_out), "--worksheet", str(sheet), "-q")
    assert done.returncode == 0, done.stderr
    for page_path in (html_out, sheet, sheet.with_name("sheet-answers.html")):
        page = read_page(page_path.read_text(encoding="utf-8"))
        assert active_markup(page) == [], page_path.name
        for _tag, attrs in page.tags:
            assert not any("203.0.113.9" in (v or "") for v in attrs.values()), attrs
        visible = " ".join(" ".join(page.text).split())
        if page_path == html_out:
            assert '<script>alert("owned")</script>' in visible
            assert '<iframe src="http://203.0.113.9/"></iframe>' in visible


@pytest.mark.parametrize("name", ["truncated.parallax", "from-the-future.parallax"])
def test_a_project_file_given_as_an_article_is_named_as_such(tmp_path: Path, name: str) -> None:
    outcome = load_each([str(write_case(tmp_path, case(name)))])[0]
    assert outcome.article is None and outcome.error and "project" in outcome.error.lower()


# --------------------------------------------------------------------------- odd options, outputs and interrupts


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "extra",
    [["--strictness", "nan"], ["--strictness", "inf"], ["--strictness", "-0.1"], ["--json", "{folder}"],
     ["--json", "{story}/out.json"], ["--html", "{missing}/out.html"]],
    ids=["strictness-nan", "strictness-inf", "strictness-negative", "json-onto-a-folder", "json-under-a-file",
         "html-in-a-missing-folder"],
)
def test_command_line_refuses_odd_options_and_outputs_in_one_line(tmp_path: Path, stories, extra: list[str]) -> None:
    a, b = stories["quake-post.txt"], stories["quake-wire.txt"]
    folder = tmp_path / "a-folder"
    folder.mkdir()
    args = [x.format(folder=folder, story=a, missing=tmp_path / "nowhere") for x in extra]
    before = snapshot([a, b])
    done = run_cli("compare", str(a), str(b), *args, "-q")
    assert_one_line_error(done)
    assert snapshot([a, b]) == before
    assert list(folder.iterdir()) == [], "nothing half-written is left behind"


@pytest.mark.timeout(120)
def test_strictness_at_both_ends_gives_valid_comparisons(tmp_path: Path, stories) -> None:
    for value in ("0", "1"):
        out = tmp_path / f"s{value}.json"
        done = run_cli("compare", str(stories["quake-post.txt"]), str(stories["quake-wire.txt"]),
                       str(stories["transfer.txt"]), "--strictness", value, "--json", str(out), "-q")
        assert done.returncode == 0, done.stderr
        check_source_compare(json.loads(out.read_text(encoding="utf-8")))


@pytest.mark.timeout(180)
def test_interrupting_the_command_line_leaves_one_line_and_no_partial_output(tmp_path: Path) -> None:
    import signal

    from bench.corpus import generated_corpus

    paths = []
    for a in generated_corpus(120, 40):
        p = tmp_path / f"{a.id}.txt"
        p.write_text(f"Report {a.id} on the regional crisis\n\n{a.body}\n", encoding="utf-8")
        paths.append(str(p))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    started = tmp_path / "embedding-started"
    # The fake model says when it is at work and then works slowly, so the interrupt lands mid-way
    # whatever the machine's speed (a fixed sleep let a fast run finish first).
    shim = CLI_SHIM.replace(
        "from reader.cli import main",
        "import pathlib, signal, time\n"
        # As in a terminal: a test runner started in the background (nohup, CI) ignores SIGINT,
        # and its children inherit that, so the interrupt would never arrive.
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "class SlowFake(FakeEmbedder):\n"
        "    def encode(self, texts):\n"
        f"        pathlib.Path({str(started)!r}).touch()\n"
        "        time.sleep(0.5)\n"
        "        return super().encode(texts)\n"
        "reader.embedding.embed.default_embedder = SlowFake\n"
        "reader.embedding.embed.load_model_embedder = SlowFake\n"
        "from reader.cli import main",
    )
    child = subprocess.Popen(
        [sys.executable, "-c", shim, str(ROOT), str(TESTS), "compare", *paths,
         "--json", str(out_dir / "out.json"), "-q"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while not started.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), "the comparison never reached the model"
    child.send_signal(signal.SIGINT)
    _stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 130, (child.returncode, stderr[-2000:])
    assert stderr.strip() == "parallax: interrupted" and "Traceback" not in stderr
    assert list(out_dir.iterdir()) == []


@pytest.mark.model
@pytest.mark.timeout(300)
def test_real_command_line_with_the_real_model_on_hostile_but_readable_pages(tmp_path: Path, stories) -> None:
    """No shim: ``python -m reader`` exactly as a user runs it, with the bundled model and its cache."""
    pages = [write_case(tmp_path, case(n)) for n in ("scripts-iframes-images.html", "arabic.html", "numbers.txt")]
    out = tmp_path / "real.json"
    sources = [str(stories["quake-post.txt"]), str(stories["quake-wire.txt"]), *map(str, pages)]
    before = snapshot([Path(s) for s in sources])
    done = subprocess.run([sys.executable, "-m", "reader", "compare", *sources, "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=290, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_source_compare(doc)
    assert len(doc["articles"]) == 5
    quake = {"a1", "a2"}
    assert any(quake <= set(g["articles"]) for g in doc["groups"]), "the two quake reports share facts"
    assert snapshot([Path(s) for s in sources]) == before


@pytest.mark.timeout(120)
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path, stories) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.extend(load_each([str(fifo)])), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # let the stuck reader go: a writer that closes at once gives it end-of-file
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(10)
        pytest.fail("reading a named pipe hung")
    assert outcome and outcome[0].article is None and "\n" not in outcome[0].error  # type: ignore[attr-defined]
    done = run_cli("compare", str(stories["quake-post.txt"]), str(fifo), timeout=60)
    assert_one_line_error(done)


@pytest.mark.timeout(120)
def test_a_manifest_that_is_a_named_pipe_is_ignored(tmp_path: Path) -> None:
    import os

    (tmp_path / "post.txt").write_text(QUAKE_A, encoding="utf-8")
    os.mkfifo(tmp_path / "manifest.json")
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.extend(load_each([str(tmp_path / "post.txt")])), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():
        fd = os.open(tmp_path / "manifest.json", os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(10)
        pytest.fail("reading the folder's manifest hung")
    assert outcome and outcome[0].article is not None  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_source_that_never_ends_is_given_up_at_the_deadline_by_the_command_line(tmp_path: Path, stories) -> None:
    """Issue 17, class 8: /proc/kmsg calls itself a regular file and never ends; a pipe whose writer never
    closes is the same to a reader. One line and exit 2 once the 15 s read deadline passes."""
    import os

    fifo = tmp_path / "kmsg.txt"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # held open, never closed: no end of file
    try:
        done = run_cli("compare", str(stories["quake-post.txt"]), str(fifo), "-q", timeout=90)
    finally:
        os.close(writer)
    assert "kmsg.txt" in assert_one_line_error(done) and "within 15 s" in done.stderr


def test_every_test_named_in_the_guarantees_exists() -> None:
    """docs/guarantees.md names the test behind each promise; a renamed or removed test must not leave a
    promise pointing at nothing. ``path::test`` names a test, ``::test`` one in the file named just before."""
    import ast
    import re

    text = (ROOT / "docs" / "guarantees.md").read_text(encoding="utf-8")
    defined: dict[str, set[str]] = {}
    missing, current, named = [], None, 0
    for m in re.finditer(r"`(tests/[\w/]+\.py)?::(test_\w+)`", text):
        current = m.group(1) or current
        assert current is not None, f"{m.group(0)} names no file"
        if current not in defined:
            tree = ast.parse((ROOT / current).read_text(encoding="utf-8"))
            defined[current] = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        named += 1
        if m.group(2) not in defined[current]:
            missing.append(f"{current}::{m.group(2)}")
    assert named > 80 and missing == []
