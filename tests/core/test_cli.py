"""The command line: a real comparison end to end, one-line errors (exit 2) on bad input, every output
checked before any work (issue 17), unreadable sources skipped with exit status 3 (issue 18), and the
export service it shares with the app (issue 20)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from schema import check_source_compare

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/core helpers (--import-mode=importlib)

from hostile import CLI_SHIM, path_aliases, snapshot

from reader import cli
from reader.errors import ComparisonError, ParallaxError
from reader.pipeline import compare, load_each
from reader.reports.export import answers_path, installed_pdf_writer, plan_exports
from reader.reports.jsonout import to_json

ROOT = Path(__file__).resolve().parents[2]

FLOOD_A = """River bursts its banks in Eastbrook

Floodwater swept through the market town of Eastbrook on Tuesday after the river rose 3 metres overnight.

About 1,200 residents were moved to emergency shelters, the county council said.

Mayor Helen Okafor said the defences had held for twelve hours before failing.

Rail services between Eastbrook and the coast were suspended.
"""
FLOOD_B = """Eastbrook floods as river overwhelms defences

The river in Eastbrook rose by 3 metres overnight and flooded the town centre on Tuesday.

The county council said roughly 1,500 people had been evacuated to shelters.

Local official Helen Okafor said the barriers held for 12 hours.

Insurers expect claims to run into millions of pounds.
"""


@pytest.fixture
def flood_files(tmp_path: Path) -> list[Path]:
    a, b = tmp_path / "eastbrook-gazette.txt", tmp_path / "county-herald.txt"
    a.write_text(FLOOD_A, encoding="utf-8")
    b.write_text(FLOOD_B, encoding="utf-8")
    return [a, b]


def test_compare_two_articles_produces_valid_json(flood_files, fake_embedder) -> None:
    comparison = compare([str(p) for p in flood_files], fake_embedder)
    doc = json.loads(json.dumps(to_json(comparison)))
    check_source_compare(doc)
    assert [a["source"] for a in doc["articles"]] == [str(p) for p in flood_files]
    shared = [g for g in doc["groups"] if len(g["articles"]) == 2]
    assert shared, "two reports of the same flood share at least one fact"


def test_single_article_is_refused(flood_files, fake_embedder) -> None:
    with pytest.raises(ComparisonError, match="two or more"):
        compare([str(flood_files[0])], fake_embedder)


def test_one_bad_source_does_not_sink_the_others(flood_files, tmp_path) -> None:
    missing = tmp_path / "nope.txt"
    outcomes = load_each([str(flood_files[0]), str(missing), str(flood_files[1])])
    assert [o.article is not None for o in outcomes] == [True, False, True]
    assert outcomes[1].error and "\n" not in outcomes[1].error
    assert [o.article.id for o in outcomes if o.article] == ["a1", "a3"]


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.mark.parametrize(
    "make_args",
    [
        lambda tmp, good: ["compare", str(tmp / "missing.txt"), good],
        lambda tmp, good: ["compare", good],
        lambda tmp, good: ["compare", str(tmp / "empty.txt"), good],
        lambda tmp, good: ["compare", str(tmp / "binary.txt"), good],
        lambda tmp, good: ["compare", good, good, "--json", good],
        lambda tmp, good: ["compare", good, good, "--strictness", "7"],
        lambda tmp, good: ["frobnicate"],
    ],
    ids=["missing", "single", "empty", "binary", "overwrite-source", "bad-strictness", "bad-command"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, flood_files, make_args) -> None:
    (tmp_path / "empty.txt").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff" * 200)
    good = str(flood_files[0])
    before = flood_files[0].read_bytes()
    done = _run(*make_args(tmp_path, good))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("parallax: error:"), done.stderr
    assert "Traceback" not in done.stderr
    assert flood_files[0].read_bytes() == before


def test_summary_names_outlets_and_counts(flood_files, fake_embedder) -> None:
    text = cli.summary(compare([str(p) for p in flood_files], fake_embedder))
    assert "2 articles" in text and "Facts:" in text and "Differences:" in text


@pytest.mark.model
def test_demo_end_to_end_with_the_real_model(tmp_path, demo_paths) -> None:
    """The README's promise: the bundled demo compares from the command line into valid JSON."""
    out = tmp_path / "demo.json"
    done = _run("compare", *map(str, demo_paths), "--json", str(out))
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_source_compare(doc)
    assert len(doc["articles"]) == 5
    assert len({a["outlet"] for a in doc["articles"]}) == 5
    multi = [g for g in doc["groups"] if len(g["articles"]) >= 2]
    assert len(multi) >= 15, "five reports of one day's events share many facts"
    assert {d["kind"] for d in doc["discrepancies"]} >= {"figure", "name"}
    assert doc["agreements"], "several outlets corroborate at least one figure"
    assert "5 articles" in done.stdout


# --------------------------------------------------------------------------- issue 17: outputs, checked before any work

TESTS = ROOT / "tests"
# The fake model leaves a mark when it is asked for: an output refused "before any work" leaves none.
MARKING_SHIM = CLI_SHIM.replace(
    "from reader.cli import main",
    "import os, pathlib\n"
    "class MarkingFake(FakeEmbedder):\n"
    "    def __init__(self, *a, **k):\n"
    "        pathlib.Path(os.environ['PARALLAX_WORK_MARK']).touch()\n"
    "        super().__init__(*a, **k)\n"
    "reader.embedding.embed.default_embedder = MarkingFake\n"
    "reader.embedding.embed.load_model_embedder = MarkingFake\n"
    "from reader.cli import main",
)


def run_marked(tmp: Path, *args: str, shim: str = MARKING_SHIM, umask: int | None = None,
               **env: str) -> tuple[subprocess.CompletedProcess[str], bool]:
    """The command line with the fake model; also says whether the model was ever asked for."""
    import os

    mark = tmp / ".model-was-asked"
    mark.unlink(missing_ok=True)
    environment = dict(os.environ, PARALLAX_WORK_MARK=str(mark), **env)
    done = subprocess.run(
        [sys.executable, "-c", shim, str(ROOT), str(TESTS), *args], cwd=tmp, env=environment,
        capture_output=True, text=True, timeout=300, check=False,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )
    return done, mark.exists()


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("parallax: error:"), done.stderr
    return done.stderr.strip()


@pytest.fixture
def home(tmp_path: Path, flood_files: list[Path]) -> Path:
    """A home folder holding the two flood stories, as ``~/`` names them."""
    return flood_files[0].parent


@pytest.mark.parametrize("alias", ["tilde", "trailing-space", "parent-hop", "symlink", "hard-link"])
def test_an_output_that_names_a_source_another_way_is_refused_before_any_work(
    tmp_path: Path, flood_files: list[Path], home: Path, alias: str
) -> None:
    """Issue 17, class 1: '~/v.txt' quoted, 'v.txt ' with the space the loader strips, links of every kind."""
    source = flood_files[1]
    scratch = tmp_path / "links"
    scratch.mkdir()
    given = path_aliases(source, home=home, cwd=tmp_path, scratch=scratch)[alias]
    before = snapshot(flood_files)
    done, worked = run_marked(tmp_path, "compare", str(flood_files[0]), str(source), "--json", given, "-q",
                              HOME=str(home))
    assert "one of the sources" in one_line(done)
    assert not worked, "the comparison ran before the output was refused"
    assert snapshot(flood_files) == before


def test_a_worksheets_answer_sheet_may_not_overwrite_a_source(tmp_path: Path, flood_files: list[Path]) -> None:
    answers = tmp_path / "w-answers.html"
    answers.write_text(FLOOD_B, encoding="utf-8")
    before = snapshot([answers])
    done, worked = run_marked(tmp_path, "compare", str(flood_files[0]), str(answers), "--worksheet",
                              str(tmp_path / "w.html"), "-q")
    assert "answer sheet" in one_line(done) and not worked
    assert snapshot([answers]) == before and not (tmp_path / "w.html").exists()


@pytest.mark.parametrize(
    ("outputs", "words"),
    [(["--json", "{d}/x.json", "--md", "{d}/./x.json"], "same file"),
     (["--json", "/dev/null"], "regular file"),
     (["--html", "{d}"], "folder"),
     (["--csv", "{unwritable}/out.csv"], "cannot write")],
    ids=["two-outputs-one-file", "device-node", "a-folder", "unwritable-folder"],
)
def test_outputs_that_cannot_be_written_are_refused_before_any_work(
    tmp_path: Path, flood_files: list[Path], unwritable: Path, outputs: list[str], words: str
) -> None:
    import os
    import stat

    args = [o.format(d=tmp_path, unwritable=unwritable) for o in outputs]
    done, worked = run_marked(tmp_path, "compare", *map(str, flood_files), *args, "-q")
    assert words in one_line(done)
    assert not worked, "the comparison ran before the output was refused"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode), "the device node is still a device"


@pytest.fixture
def unwritable(tmp_path: Path) -> Path:
    """A folder nobody may create files in: chmod for a user; for root, /sys (root may write anywhere else)."""
    import os

    from reader.fileio import probe_folder

    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o555)
        return folder
    try:
        probe_folder(Path("/sys"))
    except OSError:
        return Path("/sys")
    pytest.skip("no folder here refuses new files to root")


def test_outputs_get_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path, flood_files: list[Path]) -> None:
    """Issue 17 class 7 and issue 18 point 9: reports were created 0600 whatever the umask, and reset on overwrite."""
    import os

    kept = tmp_path / "kept.md"
    kept.write_text("old", encoding="utf-8")
    os.chmod(kept, 0o604)
    fresh = tmp_path / "fresh.json"
    done, _ = run_marked(tmp_path, "compare", *map(str, flood_files), "--json", str(fresh), "--md", str(kept),
                         "--worksheet", str(tmp_path / "w.html"), "-q", umask=0o027)
    assert done.returncode == 0, done.stderr
    assert os.stat(fresh).st_mode & 0o777 == 0o640
    assert os.stat(tmp_path / "w-answers.html").st_mode & 0o777 == 0o640
    assert os.stat(kept).st_mode & 0o777 == 0o604 and kept.read_text(encoding="utf-8") != "old"


@pytest.mark.timeout(180)
def test_sigterm_mid_write_leaves_no_temporary_file_and_one_line(tmp_path: Path, flood_files: list[Path]) -> None:
    """Issue 17 class 7: SIGTERM left a hidden '.o.json.*.tmp' beside the output and said nothing."""
    import signal
    import time

    writing = tmp_path / "writing"
    shim = CLI_SHIM.replace(
        "from reader.cli import main",
        "import os, pathlib, time\n"
        "real_fsync = os.fsync\n"
        "def slow_fsync(fd):\n"  # only the output's own temporary file: other files (caches) are not held up
        "    if '.o.json.' in os.readlink(f'/proc/self/fd/{fd}'):\n"
        f"        pathlib.Path({str(writing)!r}).touch()\n"
        "        time.sleep(60)\n"
        "    real_fsync(fd)\n"
        "os.fsync = slow_fsync\n"
        "from reader.cli import main",
    )
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    child = subprocess.Popen([sys.executable, "-c", shim, str(ROOT), str(TESTS), "compare", *map(str, flood_files),
                              "--json", str(out_dir / "o.json"), "-q"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not writing.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert writing.exists(), "the output was never being written"
    assert next(p.name for p in out_dir.iterdir()).endswith(".tmp"), "the write goes through a temporary file"
    child.send_signal(signal.SIGTERM)
    _out, err = child.communicate(timeout=60)
    assert child.returncode == 128 + signal.SIGTERM, (child.returncode, err[-2000:])
    assert err.strip() == "parallax: interrupted (SIGTERM)"
    assert list(out_dir.iterdir()) == [], "a temporary file was left behind"


# --------------------------------------------------------------------------- issue 18 point 9: some sources unreadable


def test_one_missing_file_among_five_is_skipped_and_the_exit_status_says_so(
    tmp_path: Path, flood_files: list[Path]
) -> None:
    copies = []
    for i in range(3):
        copy = tmp_path / f"copy-{i}.txt"
        copy.write_text(FLOOD_B.replace("1,500", f"1,{500 + i}"), encoding="utf-8")
        copies.append(str(copy))
    out = tmp_path / "out.json"
    sources = [str(flood_files[0]), str(tmp_path / "gone.txt"), *copies]
    done, _ = run_marked(tmp_path, "compare", *sources, "--json", str(out))
    assert done.returncode == cli.EXIT_SKIPPED == 3, done.stderr
    assert done.stderr.splitlines() == [f"parallax: skipped: {tmp_path / 'gone.txt'}: no such file"]
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_source_compare(doc)
    assert len(doc["articles"]) == 4
    assert "Skipped 1 of 5 sources" in done.stdout


@pytest.mark.parametrize("bad", [1, 2], ids=["one-bad-one-good", "two-bad-one-good"])
def test_fewer_than_two_readable_articles_is_one_line_naming_the_first_bad_source(
    tmp_path: Path, flood_files: list[Path], bad: int
) -> None:
    missing = [str(tmp_path / f"gone-{i}.txt") for i in range(bad)]
    done, worked = run_marked(tmp_path, "compare", *missing, str(flood_files[0]), "--json", str(tmp_path / "o.json"))
    message = one_line(done)
    assert "gone-0.txt: no such file" in message and "only one article" in message
    assert ("1 more source" in message) == (bad == 2)
    assert not worked and not (tmp_path / "o.json").exists()


# --------------------------------------------------------------------------- issue 17 class 10: no library noise


def test_no_model_progress_bar_reaches_stderr(tmp_path: Path, flood_files: list[Path]) -> None:
    """The model library's "Loading weights" bar appeared on stderr even with -q."""
    shim = CLI_SHIM.replace(
        "from reader.cli import main",
        "class LoadingFake(FakeEmbedder):\n"
        "    def __init__(self, *a, **k):\n"
        "        from transformers.utils.logging import tqdm\n"
        "        for _ in tqdm(range(3), desc='Loading weights'):\n"
        "            pass\n"
        "        super().__init__(*a, **k)\n"
        "reader.embedding.embed.default_embedder = LoadingFake\n"
        "reader.embedding.embed.load_model_embedder = LoadingFake\n"
        "from reader.cli import main",
    )
    done, _ = run_marked(tmp_path, "compare", *map(str, flood_files), "-q", shim=shim)
    assert done.returncode == 0 and done.stderr == "", done.stderr


# --------------------------------------------------------------------------- issue 20 step 4: one export service


def test_the_command_line_finds_qt_printing_through_the_entry_point() -> None:
    """The one seam between the core and Qt's PDF printer: an entry point the ui package registers."""
    pytest.importorskip("PySide6")
    from ui.pdfexport import html_to_pdf

    assert installed_pdf_writer() is html_to_pdf


def test_no_module_of_the_core_names_the_ui() -> None:
    """The core's only way to Qt is the entry point: no import and no string naming a ui module, so
    the import contract sees every link (the PDF used to be printed by 'python -m ui.pdfexport')."""
    import re

    naming = re.compile(r"""\bui\.[a-z_]+|["']ui["']|-m\s+ui\b""")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "reader").rglob("*.py")
                 if naming.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_a_pdf_goes_through_the_writer_the_caller_supplies(
    tmp_path: Path, flood_files: list[Path], monkeypatch
) -> None:
    import os

    from fakes import FakeEmbedder

    import reader.embedding.embed

    monkeypatch.setattr(reader.embedding.embed, "default_embedder", FakeEmbedder)
    printed: list[str] = []

    def writer(html: str, out: Path, *, title: str) -> None:
        printed.append(title)
        out.write_bytes(b"%PDF-1.4 " + html[:20].encode())

    out = tmp_path / "r.pdf"
    assert cli.main(["compare", *map(str, flood_files), "--pdf", str(out), "-q"], pdf_writer=writer) == 0
    assert out.read_bytes().startswith(b"%PDF") and printed and printed[0].startswith("Parallax comparison")
    assert os.stat(out).st_mode & 0o777 == 0o666 & ~_umask()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _umask() -> int:
    import os

    current = os.umask(0)
    os.umask(current)
    return current


def test_without_a_pdf_writer_pdf_is_refused_before_any_work(tmp_path: Path, flood_files: list[Path],
                                                           monkeypatch, capsys) -> None:
    import reader.cli
    import reader.embedding.embed

    def no_model() -> None:
        raise AssertionError("the comparison started")

    monkeypatch.setattr(reader.embedding.embed, "default_embedder", no_model)
    monkeypatch.setattr(reader.cli, "installed_pdf_writer", lambda: None)
    assert cli.main(["compare", *map(str, flood_files), "--pdf", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--pdf needs" in err


def test_the_app_and_the_command_line_name_the_answer_sheet_alike(tmp_path: Path) -> None:
    plan = plan_exports([("worksheet", str(tmp_path / "week3.html"))])
    assert [t.path.name for t in plan.targets] == ["week3.html", "week3-answers.html"]
    assert answers_path(tmp_path / "week3.htm").name == "week3-answers.html"
    with pytest.raises(ParallaxError, match="give a file name"):
        plan_exports([("json", "  ")])
