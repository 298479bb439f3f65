"""The real-news corpus: multi-outlet clusters of real coverage, rebuilt from two public research sets.

    .venv/bin/python -m bench.realnews build --basil GITDIR --multinews GITDIR [--out .realnews]
    .venv/bin/python -m bench.realnews list
    .venv/bin/python -m bench.realnews check bench/realkeys/*.json

``build`` reads the two repositories' git snapshots (a bare or normal git
directory; only ``git show``/``git ls-tree`` at the pinned commit) and writes
``.realnews/<cluster>/NN_outlet.txt`` plus a ``manifest.json`` naming each outlet.
The texts belong to their publishers: ``.realnews/`` is git-ignored and nothing
here is ever committed except the cluster table below.

Only BASIL triplets from 2010 and 2012-2017 and Multi-News records 10-49 may be
read; the other years and records are reserved for outside checks, and the
builder refuses them (``_allowed``), so no command here can open one by mistake.

``check`` validates answer keys against the texts without running Parallax: every
``"NN|fragment"`` must occur exactly once in that outlet's file (whitespace
normalised) and every ``words`` inside its fragment. Key writers use it while
writing; it never shows alignment or differences.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / ".realnews"
KEYS_DIR = Path(__file__).resolve().parent / "realkeys"

# The snapshots every figure in the README was measured on. Rebuilding from another
# commit is refused: a changed text would silently move every fragment of the keys.
BASIL_COMMIT = "4fdbc4f68d5ddae648990063cb6dd11424d96222"
MULTINEWS_COMMIT = "876b440fb24b2d6b2fc1dc9cb34490c9759dff0a"
MULTINEWS_FILE = "T5/mn_T5/mn_test_100.json"
BASIL_YEARS = frozenset({2010, 2012, 2013, 2014, 2015, 2016, 2017})
MULTINEWS_RECORDS = range(10, 50)  # 0-based, end exclusive
SPLIT_SALT = "parallax-realnews-split/v1"
# Round 2 has its own salt and its own split, so adding clusters never moves a round-1 cluster
# from one half to the other (its held-out figures were already reported).
SPLIT_SALT_R2 = "parallax-realnews-split/r2"
SPLIT_SALT_R3 = "parallax-realnews-split/r3"
BASIL_OUTLETS = {"nyt": ("nyt", "New York Times"), "fox": ("fox", "Fox News"), "hpo": ("huffpost", "HuffPost")}


@dataclass(frozen=True)
class Cluster:
    id: str
    corpus: str  # "basil" or "multinews"
    ref: str  # BASIL "YEAR/uuid-prefix", Multi-News the record index
    beat: str
    held_out: bool
    round: int = 1


def _held_out(ids: list[str], salt: str = SPLIT_SALT) -> set[str]:
    """Half of each set, chosen by a salted hash of the id: nobody picked which clusters are held out."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{salt}{i}".encode()).hexdigest())
    return set(ranked[: len(ranked) // 2])


# Chosen for variety of beat from the sets' own event titles (BASIL's main-event,
# the first line of a Multi-News summary) and for at least two articles of 100+
# words; which half each falls in is the hash's decision, not ours.
_CHOSEN: tuple[tuple[str, str, str, str], ...] = (
    ("basil-2010-df5fe55a", "basil", "2010/df5fe55a", "economy: a tax bill in Congress"),
    ("basil-2013-70c744ad", "basil", "2013/70c744ad", "policy: tax filing rule"),
    ("basil-2013-f506aafc", "basil", "2013/f506aafc", "courts: a guilty plea"),
    ("basil-2014-33521e65", "basil", "2014/33521e65", "courts: federal charges"),
    ("basil-2014-b764f81f", "basil", "2014/b764f81f", "courts: states sue a state"),
    ("basil-2014-ee05c9b3", "basil", "2014/ee05c9b3", "politics: a primary upset"),
    ("basil-2015-6e502405", "basil", "2015/6e502405", "politics: tax returns released"),
    ("basil-2016-1b96a5db", "basil", "2016/1b96a5db", "politics: a veto override"),
    ("basil-2016-79bf99c6", "basil", "2016/79bf99c6", "politics: a leadership vote"),
    ("basil-2017-542cd22c", "basil", "2017/542cd22c", "environment: an import rule reversed"),
    ("mn-010", "multinews", "10", "crime: hoax distress calls"),
    ("mn-014", "multinews", "14", "science: a new volcanic island"),
    ("mn-021", "multinews", "21", "environment: animals die after a move"),
    ("mn-023", "multinews", "23", "business: a mining season"),
    ("mn-025", "multinews", "25", "courts: a plea in a stabbing case"),
    ("mn-026", "multinews", "26", "crime: a murder charge"),
    ("mn-027", "multinews", "27", "courts: a lawsuit against a university"),
    ("mn-037", "multinews", "37", "science: drought and vegetation"),
    ("mn-042", "multinews", "42", "disaster: a fatal accident"),
    ("mn-044", "multinews", "44", "business: an exchange halted"),
)
_HELD = _held_out([c[0] for c in _CHOSEN if c[1] == "basil"]) | _held_out(
    [c[0] for c in _CHOSEN if c[1] == "multinews"]
)
# Round 2, added when round 1's held-out figures had been reported: ten more of each set,
# chosen the same way (event titles, two articles of 100+ words), with keys written blind
# before Parallax first ran on them. It doubles the material the figures stand on.
_CHOSEN_R2: tuple[tuple[str, str, str, str], ...] = (
    ("basil-2010-85475456", "basil", "2010/85475456", "politics: a candidate's military record"),
    ("basil-2012-2ec04201", "basil", "2012/2ec04201", "politics: campaigns argue over a health program"),
    ("basil-2013-1bb79cc1", "basil", "2013/1bb79cc1", "politics: e-mails on official talking points"),
    ("basil-2013-526cabb7", "basil", "2013/526cabb7", "policy: executive action on guns"),
    ("basil-2013-d3a1ce0a", "basil", "2013/d3a1ce0a", "politics: an interim senator named"),
    ("basil-2014-c99adbdd", "basil", "2014/c99adbdd", "politics: a leadership challenge"),
    ("basil-2014-d1344998", "basil", "2014/d1344998", "courts: campaign documents subpoenaed"),
    ("basil-2015-13792511", "basil", "2015/13792511", "politics: a candidacy announced"),
    ("basil-2016-7a97de89", "basil", "2016/7a97de89", "politics: a governor stays in office"),
    ("basil-2017-dd1e6e3b", "basil", "2017/dd1e6e3b", "politics: messages with a leak site"),
    ("mn-012", "multinews", "12", "crime: two deaths in an apartment"),
    ("mn-015", "multinews", "15", "economy: children on food aid"),
    ("mn-022", "multinews", "22", "world: a soldier defects"),
    ("mn-029", "multinews", "29", "crime: a murder and a text message"),
    ("mn-032", "multinews", "32", "crime: a bank robbery"),
    ("mn-036", "multinews", "36", "politics: campaign fundraisers"),
    ("mn-038", "multinews", "38", "crime: a prison escape"),
    ("mn-041", "multinews", "41", "science: a transplant"),
    ("mn-043", "multinews", "43", "society: a marriage law takes effect"),
    ("mn-047", "multinews", "47", "science: a tomb opened"),
)
_HELD_R2 = _held_out([c[0] for c in _CHOSEN_R2 if c[1] == "basil"], SPLIT_SALT_R2) | _held_out(
    [c[0] for c in _CHOSEN_R2 if c[1] == "multinews"], SPLIT_SALT_R2
)
# Round 3, added when round 2's held-out figures had been reported, chosen the same way from the event
# titles left in the allowed years and records (two BASIL events and two Multi-News records that retell a
# round-1 or round-2 event were passed over, as were records with one article of 100+ words or with an
# article too long to key by hand). Keys written blind and committed before Parallax first ran on them.
_CHOSEN_R3: tuple[tuple[str, str, str, str], ...] = (
    ("basil-2010-97b1305c", "basil", "2010/97b1305c", "politics: a civil-rights group's resolution"),
    ("basil-2012-b5eefefb", "basil", "2012/b5eefefb", "politics: a televised debate"),
    ("basil-2013-84678e18", "basil", "2013/84678e18", "politics: an official refuses to testify"),
    ("basil-2013-a4f1d515", "basil", "2013/a4f1d515", "policy: a surveillance program"),
    ("basil-2014-58ed2376", "basil", "2014/58ed2376", "policy: a governor urged to veto a bill"),
    ("basil-2014-ed8c136f", "basil", "2014/ed8c136f", "justice: an attorney general on a police shooting"),
    ("basil-2015-2b9468af", "basil", "2015/2b9468af", "world: a foreign leader's speech to Congress"),
    ("basil-2016-76810849", "basil", "2016/76810849", "crime: reactions to a mass shooting"),
    ("basil-2016-8385a996", "basil", "2016/8385a996", "courts: a justice's remarks on a candidate"),
    ("basil-2017-47a209b0", "basil", "2017/47a209b0", "courts: a Supreme Court nomination"),
    ("mn-011", "multinews", "11", "politics: celebrities campaign before an election"),
    ("mn-016", "multinews", "16", "business: a drive-thru for deaf customers"),
    ("mn-018", "multinews", "18", "society: a celebrity divorce"),
    ("mn-019", "multinews", "19", "politics: a primary debate"),
    ("mn-020", "multinews", "20", "media: a television star's remarks"),
    ("mn-024", "multinews", "24", "business: a renovation gone wrong"),
    ("mn-028", "multinews", "28", "politics: a campaign adviser on the talk shows"),
    ("mn-031", "multinews", "31", "entertainment: a halftime act chosen"),
    ("mn-033", "multinews", "33", "world: a city's Christmas tree"),
    ("mn-045", "multinews", "45", "health: the risks of shovelling snow"),
)
_HELD_R3 = _held_out([c[0] for c in _CHOSEN_R3 if c[1] == "basil"], SPLIT_SALT_R3) | _held_out(
    [c[0] for c in _CHOSEN_R3 if c[1] == "multinews"], SPLIT_SALT_R3
)
CLUSTERS: tuple[Cluster, ...] = (
    tuple(Cluster(i, corpus, ref, beat, i in _HELD) for i, corpus, ref, beat in _CHOSEN)
    + tuple(Cluster(i, corpus, ref, beat, i in _HELD_R2, 2) for i, corpus, ref, beat in _CHOSEN_R2)
    + tuple(Cluster(i, corpus, ref, beat, i in _HELD_R3, 3) for i, corpus, ref, beat in _CHOSEN_R3)
)


class BuildError(Exception):
    """The snapshots cannot give the corpus (wrong directory, missing commit or file)."""


def _allowed(cluster: Cluster) -> None:
    if cluster.corpus == "basil" and int(cluster.ref.split("/")[0]) not in BASIL_YEARS:
        raise BuildError(f"{cluster.id}: BASIL year outside 2010 and 2012-2017 is reserved")
    if cluster.corpus == "multinews" and int(cluster.ref) not in MULTINEWS_RECORDS:
        raise BuildError(f"{cluster.id}: Multi-News record outside 10-49 is reserved")


def _git(gitdir: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", f"--git-dir={gitdir}", *args], capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"git failed on {gitdir}: {exc}") from None
    if done.returncode != 0:
        msg = done.stderr.decode(errors="replace").strip().splitlines()
        raise BuildError(f"git {' '.join(args[:2])} in {gitdir}: {msg[-1] if msg else 'failed'}")
    return done.stdout


def _git_dir(path: Path) -> Path:
    """Accept a work tree (with .git inside) or a git directory itself."""
    return path / ".git" if (path / ".git").is_dir() else path


def _paragraphs(lines: list[str]) -> str:
    paras = [" ".join(p.split()) for p in lines]
    return "\n\n".join(p for p in paras if p)


def _basil_texts(gitdir: Path, cluster: Cluster, commit: str) -> list[tuple[str, str, str]]:
    """(file stem, outlet, text) for one triplet, New York Times, Fox News, HuffPost in that order."""
    year, prefix = cluster.ref.split("/")
    listing = _git(gitdir, "ls-tree", "-r", "--name-only", commit, f"articles/{year}").decode().split()
    files = [f for f in listing if Path(f).name.startswith(prefix)]
    if not files:
        raise BuildError(f"{cluster.id}: no BASIL files for {cluster.ref} at {commit[:12]}")
    found: dict[str, tuple[str, str, str]] = {}
    for f in files:
        doc = json.loads(_git(gitdir, "show", f"{commit}:{f}"))
        source = str(doc.get("source", "")).lower()
        if source not in BASIL_OUTLETS:
            raise BuildError(f"{cluster.id}: unknown BASIL source {source!r} in {f}")
        stem, outlet = BASIL_OUTLETS[source]
        body = [" ".join(p) if isinstance(p, list) else str(p) for p in doc.get("body-paragraphs", [])]
        title = " ".join(str(doc.get("title", "")).split())
        found[source] = (stem, outlet, (title + "\n\n" if title else "") + _paragraphs(body) + "\n")
    return [found[s] for s in BASIL_OUTLETS if s in found]


def _multinews_records(gitdir: Path, commit: str) -> dict[int, str]:
    """The allowed records only: the others are dropped as soon as the file is parsed."""
    records = json.loads(_git(gitdir, "show", f"{commit}:{MULTINEWS_FILE}"))
    return {i: str(records[i]["document"]) for i in MULTINEWS_RECORDS if i < len(records)}


def _multinews_texts(document: str) -> list[tuple[str, str, str]]:
    out = []
    for n, doc in enumerate(d for d in document.split("|||||") if d.strip()):
        lines = doc.replace("NEWLINE_CHAR", "\n").split("\n")
        out.append((f"source{n + 1}", f"Source {n + 1}", _paragraphs(lines) + "\n"))
    return out


def build(
    basil: Path,
    multinews: Path,
    out: Path = DEFAULT_OUT,
    *,
    basil_commit: str = BASIL_COMMIT,
    multinews_commit: str = MULTINEWS_COMMIT,
    clusters: tuple[Cluster, ...] = CLUSTERS,
) -> list[Path]:
    """Write every cluster's texts and manifest under ``out``; return the cluster folders."""
    basil, multinews = _git_dir(basil), _git_dir(multinews)
    for c in clusters:
        _allowed(c)
    records = _multinews_records(multinews, multinews_commit) if any(c.corpus == "multinews" for c in clusters) else {}
    folders = []
    for c in clusters:
        if c.corpus == "basil":
            texts, origin = _basil_texts(basil, c, basil_commit), f"launchnlp/BASIL@{basil_commit[:12]} {c.ref}"
        else:
            if int(c.ref) not in records:
                raise BuildError(f"{c.id}: record {c.ref} is not in {MULTINEWS_FILE}")
            texts = _multinews_texts(records[int(c.ref)])
            origin = f"Multi-News sample@{multinews_commit[:12]} record {c.ref}"
        if len(texts) < 2:
            raise BuildError(f"{c.id}: fewer than two articles")
        folder = out / c.id
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.txt"):
            old.unlink()
        manifest = []
        for n, (stem, outlet, text) in enumerate(texts, 1):
            name = f"{n:02d}_{stem}.txt"
            (folder / name).write_text(text, encoding="utf-8")
            manifest.append({"file": name, "outlet": outlet})
        doc = {"title": c.id, "origin": origin, "beat": c.beat, "held_out": c.held_out, "articles": manifest}
        (folder / "manifest.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        folders.append(folder)
    return folders


def cluster_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.txt"))


# --- key checking (no Parallax involved) -------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


def parse_ref(ref: str) -> tuple[int, str]:
    """``"02|some words"`` -> (2, "some words")."""
    num, sep, frag = ref.partition("|")
    if not sep or not num.strip().isdigit() or not frag.strip():
        raise ValueError(f"{ref!r} is not 'NN|fragment'")
    return int(num), _norm(frag)


def _refs(key: dict) -> list[tuple[str, str, str | None]]:
    """(where, ref, words) for every sentence reference a key makes."""
    out: list[tuple[str, str, str | None]] = []
    for i, fact in enumerate(key.get("facts", [])):
        out += [(f"fact {i + 1}", r, None) for r in fact.get("sentences", [])]
    for i, pair in enumerate(key.get("lookalikes", [])):
        out += [(f"look-alike {i + 1}", r, None) for r in pair]
    for field in ("differences", "traps", "agreements"):
        for i, item in enumerate(key.get(field, [])):
            out += [(f"{field[:-1]} {i + 1}", v.get("at", ""), v.get("words")) for v in item.get("values", [])]
    return out


def check_key(path: Path, corpus: Path = DEFAULT_OUT) -> list[str]:
    """Problems with one key file: fragments not found once, words outside their fragment, long fragments."""
    key = json.loads(path.read_text(encoding="utf-8"))
    folder = corpus / str(key.get("cluster", path.stem))
    if not folder.is_dir():
        return [f"{path.name}: cluster folder {folder} not built"]
    texts = {int(p.name[:2]): _norm(p.read_text(encoding="utf-8")) for p in cluster_files(folder)}
    problems = []
    for where, ref, words in _refs(key):
        try:
            num, frag = parse_ref(ref)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if num not in texts:
            problems.append(f"{where}: no article {num:02d}")
            continue
        count = texts[num].count(frag)
        if count != 1:
            problems.append(f"{where}: {ref!r} occurs {count} times in article {num:02d}")
        if len(frag.split()) > 20:
            problems.append(f"{where}: {ref!r} is over 20 words")
        if words is not None and _norm(words) not in frag:
            problems.append(f"{where}: words {words!r} are not inside {ref!r}")
    return [f"{path.name}: {p}" for p in problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realnews")
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write .realnews/ from the two repositories' git snapshots")
    b.add_argument("--basil", required=True, type=Path, help="git directory (or work tree) of launchnlp/BASIL")
    b.add_argument(
        "--multinews",
        required=True,
        type=Path,
        help="git directory (or work tree) of emmieguo/Implications-of-Reporting-Bias-within-...",
    )
    b.add_argument("--out", type=Path, default=DEFAULT_OUT)
    sub.add_parser("list", help="the clusters, their halves, and whether they are built")
    c = sub.add_parser("check", help="validate answer keys against the texts (no Parallax run)")
    c.add_argument("keys", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "build":
        try:
            folders = build(args.basil, args.multinews, args.out)
        except BuildError as exc:
            print(f"realnews: {exc}", file=sys.stderr)
            return 2
        print(f"built {len(folders)} clusters in {args.out}")
        return 0
    if args.cmd == "list":
        for cl in CLUSTERS:
            built = (DEFAULT_OUT / cl.id).is_dir()
            half = "held-out" if cl.held_out else "tuning"
            print(f"{cl.id:22s} round {cl.round} {half:8s} {'built' if built else 'not built':9s} {cl.beat}")
        return 0
    keys = args.keys or sorted(KEYS_DIR.glob("*.json"))
    problems = [p for k in keys for p in check_key(k)]
    print("\n".join(problems) if problems else f"{len(keys)} keys: every fragment found once")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
