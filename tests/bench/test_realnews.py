"""The real-news builder on tiny synthetic snapshots made here (no real corpus needed)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bench import realnews
from bench.realnews import BuildError, Cluster, build, check_key


def _repo(path: Path, files: dict[str, str]) -> str:
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    env = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    subprocess.run(["git", "add", "."], cwd=path, check=True)
    subprocess.run(["git", *env, "commit", "-qm", "snapshot"], cwd=path, check=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True).stdout.strip()


def _basil_doc(source: str, title: str, paras: list[list[str]]) -> str:
    return json.dumps({"source": source, "title": title, "body-paragraphs": paras, "triplet-uuid": "abc"})


@pytest.fixture
def snapshots(tmp_path: Path) -> tuple[Path, str, Path, str]:
    basil = tmp_path / "basil"
    basil_commit = _repo(
        basil,
        {
            "articles/2012/abcd1234-0000_1.json": _basil_doc("hpo", "Ferry  sinks", [["A ferry sank.", "All lived."]]),
            "articles/2012/abcd1234-0000_2.json": _basil_doc(
                "NYT", "Boat lost", [["The boat sank on Sunday."], ["Nine were rescued."]]
            ),
            "articles/2012/abcd1234-0000_3.json": _basil_doc("fox", "Sinking", [["A vessel went down."]]),
            "articles/2011/ffff0000-0000_1.json": _basil_doc("nyt", "Reserved", [["Never read."]]),
        },
    )
    records = [{"document": f"doc {i} one ||||| doc {i} two", "summary": "s"} for i in range(60)]
    records[12]["document"] = "Line one.NEWLINE_CHAR NEWLINE_CHAR Line two. ||||| Other outlet text.NEWLINE_CHAR More."
    mn = tmp_path / "mn"
    mn_commit = _repo(mn, {realnews.MULTINEWS_FILE: json.dumps(records)})
    return basil, basil_commit, mn, mn_commit


def test_build_writes_each_outlet_in_a_fixed_order_with_a_manifest(snapshots, tmp_path: Path) -> None:
    basil, bc, mn, mc = snapshots
    clusters = (
        Cluster("basil-2012-abcd1234", "basil", "2012/abcd1234", "test", False),
        Cluster("mn-012", "multinews", "12", "test", True),
    )
    out = tmp_path / "out"
    folders = build(basil, mn, out, basil_commit=bc, multinews_commit=mc, clusters=clusters)
    assert [f.name for f in folders] == ["basil-2012-abcd1234", "mn-012"]
    b = out / "basil-2012-abcd1234"
    assert sorted(p.name for p in b.glob("*.txt")) == ["01_nyt.txt", "02_fox.txt", "03_huffpost.txt"]
    assert (b / "01_nyt.txt").read_text() == "Boat lost\n\nThe boat sank on Sunday.\n\nNine were rescued.\n"
    assert (b / "03_huffpost.txt").read_text() == "Ferry sinks\n\nA ferry sank. All lived.\n"
    manifest = json.loads((b / "manifest.json").read_text())
    assert [a["outlet"] for a in manifest["articles"]] == ["New York Times", "Fox News", "HuffPost"]
    m = out / "mn-012"
    assert (m / "01_source1.txt").read_text() == "Line one.\n\nLine two.\n"
    assert (m / "02_source2.txt").read_text() == "Other outlet text.\n\nMore.\n"
    assert json.loads((m / "manifest.json").read_text())["held_out"] is True


@pytest.mark.parametrize(
    "cluster",
    [
        Cluster("b", "basil", "2011/ffff0000", "x", False),
        Cluster("b", "basil", "2018/ffff0000", "x", False),
        Cluster("m", "multinews", "9", "x", False),
        Cluster("m", "multinews", "50", "x", False),
    ],
)
def test_reserved_years_and_records_are_refused_before_anything_is_read(snapshots, tmp_path, cluster) -> None:
    basil, bc, mn, mc = snapshots
    with pytest.raises(BuildError, match="reserved"):
        build(basil, mn, tmp_path / "out", basil_commit=bc, multinews_commit=mc, clusters=(cluster,))
    assert not (tmp_path / "out").exists()


def test_a_missing_commit_is_a_one_line_error(snapshots, tmp_path) -> None:
    basil, _, mn, mc = snapshots
    cluster = Cluster("basil-2012-abcd1234", "basil", "2012/abcd1234", "t", False)
    with pytest.raises(BuildError, match="git"):
        build(basil, mn, tmp_path / "o", basil_commit="0" * 40, multinews_commit=mc, clusters=(cluster,))


def test_the_held_out_half_is_the_hash_rule_not_a_choice() -> None:
    salts = {1: realnews.SPLIT_SALT, 2: realnews.SPLIT_SALT_R2, 3: realnews.SPLIT_SALT_R3}
    for rnd, salt in salts.items():
        for corpus in ("basil", "multinews"):
            ids = [c.id for c in realnews.CLUSTERS if c.corpus == corpus and c.round == rnd]
            held = {c.id for c in realnews.CLUSTERS if c.corpus == corpus and c.round == rnd and c.held_out}
            assert held == realnews._held_out(ids, salt)
            assert len(ids) == 10 and len(held) == 5
    assert len({c.id for c in realnews.CLUSTERS}) == len({(c.corpus, c.ref) for c in realnews.CLUSTERS}) == 60
    assert all(c.corpus != "basil" or int(c.ref[:4]) in realnews.BASIL_YEARS for c in realnews.CLUSTERS)
    assert all(c.corpus != "multinews" or int(c.ref) in realnews.MULTINEWS_RECORDS for c in realnews.CLUSTERS)


def test_check_key_finds_each_kind_of_problem(tmp_path: Path) -> None:
    folder = tmp_path / "c1"
    folder.mkdir()
    (folder / "01_a.txt").write_text("Title\n\nThe river rose two metres. The river fell.\n")
    (folder / "02_b.txt").write_text("Head\n\nWater rose by 2 m overnight.\n")
    key = {
        "cluster": "c1",
        "facts": [{"label": "rise", "sentences": ["01|river rose two metres", "02|Water rose by 2 m", "02|not there"]}],
        "lookalikes": [["01|The river", "02|Water"]],
        "differences": [{"values": [{"at": "01|rose two metres", "words": "three"}, {"at": "03|x", "words": "x"}]}],
    }
    path = tmp_path / "c1.json"
    path.write_text(json.dumps(key))
    problems = check_key(path, tmp_path)
    assert any("'02|not there' occurs 0 times" in p for p in problems)
    assert any("'01|The river' occurs 2 times" in p for p in problems)
    assert any("words 'three' are not inside" in p for p in problems)
    assert any("no article 03" in p for p in problems)
    assert len(problems) == 4
