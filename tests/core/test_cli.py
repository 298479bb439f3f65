"""The command line: a real comparison end to end, and one-line errors (exit 2) on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from schema import check_source_compare

from reader import cli
from reader.errors import ComparisonError
from reader.pipeline import compare, load_each
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
