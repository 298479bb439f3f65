"""One export service for the command line and the app: which files an export writes, checked before any work.

``plan_exports`` turns what a person asked for ("--json out.json --worksheet w.html") into
every file that will be written — derived ones included (a worksheet's answer sheet) —
through ``reader.fileio.canonical_path``, the same normalisation the loader uses for sources
(surrounding spaces, ``~``, symbolic links). All of them are checked before a comparison
starts: none may be a source (by name or by inode), none may be named twice, an existing one
must be a regular file (never a device, pipe or folder), and its folder must exist and take a
new file now. ``write_exports`` then writes them atomically, with the process umask (or the
permissions of the file replaced).

The core never imports Qt, so a PDF is printed by a writer the caller supplies: the app passes
its Qt printer; the command line finds the installed one through the ``parallax.pdf_writers``
entry point (``installed_pdf_writer``), which the desktop package registers in pyproject.toml.
The core names no UI module, not even in a string (a test holds it to that): the link runs from
the UI to the core, declared in the packaging metadata, the direction the import contract allows.
Before, the command line ran the UI's printer as a child process by module name, a core-to-UI
link that no contract could see.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reader.errors import ParallaxError
from reader.fileio import (
    atomic_write_bytes,
    atomic_write_text,
    canonical_path,
    probe_folder,
    same_file,
    writable_target,
)
from reader.model import Comparison
from reader.project.notes import Notes

KINDS = ("json", "html", "md", "csv", "pdf", "worksheet")
ANSWERS = "answers"  # the worksheet's answer sheet: not asked for by itself, always written with it
PDF_ENTRY_POINTS = "parallax.pdf_writers"


class PdfWriter(Protocol):
    """Prints ``html`` to the PDF file ``out`` (written whole or not at all); ParallaxError on failure."""

    def __call__(self, html: str, out: Path, *, title: str) -> object: ...


@dataclass(frozen=True)
class Target:
    kind: str  # one of KINDS, or ANSWERS
    path: Path  # canonical: what is written
    given: str  # as the person wrote it (or the answer sheet's name): what messages show


@dataclass(frozen=True)
class ExportPlan:
    targets: tuple[Target, ...]

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(t.path for t in self.targets)

    @property
    def needs_pdf(self) -> bool:
        return any(t.kind == "pdf" for t in self.targets)


def answers_path(worksheet: Path) -> Path:
    """The answer sheet written beside a worksheet: ``week3.html`` -> ``week3-answers.html``."""
    return worksheet.with_name(f"{worksheet.stem}-answers.html")


def _source_paths(sources: Iterable[str]) -> list[Path]:
    # An address is no file; everything else is named the way the loader reads it.
    return [canonical_path(s) for s in sources if "://" not in s]


def _check_target(t: Target, named: str) -> None:
    folder = t.path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ParallaxError(f"{named}: folder {folder} {what}")
    try:
        writable_target(t.path)
    except OSError as exc:
        raise ParallaxError(f"{named}: {exc.strerror}") from None
    try:
        probe_folder(folder)  # a read-only folder is refused now, not after the whole comparison
    except OSError as exc:
        raise ParallaxError(f"{named}: cannot write in {folder} ({exc.strerror or exc})") from None


def command_line_flag(kind: str) -> str:
    """How messages name an output on the command line: ``--json out.json``."""
    return f"--{'worksheet' if kind == ANSWERS else kind} "


def plan_exports(
    requests: Sequence[tuple[str, str | Path]],
    sources: Iterable[str] = (),
    *,
    flag: Callable[[str], str] = command_line_flag,
) -> ExportPlan:
    """Every file ``requests`` ((kind, path) pairs) will write, checked; ParallaxError in one line otherwise.

    ``sources`` are the files being compared, as the loader was given them (addresses are skipped);
    ``flag`` names an output's kind in messages (the app names none: ``lambda kind: ""``).
    """
    targets: list[Target] = []
    for kind, given in requests:
        if kind not in KINDS:
            raise ParallaxError(f"cannot export {kind!r}: Parallax writes {', '.join(KINDS)}")
        text = str(given)
        if not text.strip():
            raise ParallaxError(f"{flag(kind).strip() or kind}: give a file name")
        path = canonical_path(text)
        targets.append(Target(kind, path, text))
        if kind == "worksheet":
            answers = answers_path(path)
            targets.append(Target(ANSWERS, answers, f"{text} (its answer sheet {answers.name})"))
    inputs = _source_paths(sources)
    for i, t in enumerate(targets):
        named = f"{flag(t.kind)}{t.given}"
        if any(same_file(t.path, source) for source in inputs):
            raise ParallaxError(f"{named} is one of the sources; refusing to overwrite it")
        for earlier in targets[:i]:
            if same_file(t.path, earlier.path):
                raise ParallaxError(f"{named} and {flag(earlier.kind)}{earlier.given} are the same file; "
                                    "give each output its own name")
        _check_target(t, named)
    return ExportPlan(tuple(targets))


def _json(comparison: Comparison) -> str:
    from reader.reports.jsonout import to_json

    return json.dumps(to_json(comparison), ensure_ascii=False, indent=2) + "\n"


def _render(kind: str, comparison: Comparison, notes: Notes | None) -> str:
    if kind == "json":
        return _json(comparison)
    if kind == "html":
        from reader.reports.html import render_html

        return render_html(comparison, notes)
    if kind == "pdf":
        # Paper has its own layout: agreements as a list, each fact a block that a page break never cuts.
        from reader.reports.html import render_print_html

        return render_print_html(comparison, notes)
    if kind == "md":
        from reader.reports.markdown import render_markdown

        return render_markdown(comparison, notes)
    if kind == "csv":
        from reader.reports.csvout import render_csv

        return render_csv(comparison, notes)
    from reader.reports.worksheet import render_answer_sheet, render_worksheet

    return render_worksheet(comparison) if kind == "worksheet" else render_answer_sheet(comparison)


def _write_pdf(html: str, target: Path, writer: PdfWriter, title: str) -> None:
    # The writer prints into a private folder; the bytes then go through the same atomic write as
    # every other output, so a PDF gets the same permissions and the same no-half-file promise.
    with tempfile.TemporaryDirectory(prefix="parallax-pdf-") as tmp:
        printed = Path(tmp) / "report.pdf"
        writer(html, printed, title=title)
        atomic_write_bytes(target, printed.read_bytes())


def write_exports(
    comparison: Comparison,
    plan: ExportPlan,
    *,
    notes: Notes | None = None,
    pdf_writer: PdfWriter | None = None,
    written: Callable[[Target], None] = lambda target: None,
) -> None:
    """Write every file of ``plan``; ParallaxError in one line on the first that fails.

    ``written`` hears of each file as it lands, so a caller can say what was written before a failure.
    """
    if plan.needs_pdf and pdf_writer is None:
        raise ParallaxError(no_pdf_writer_message())
    for t in plan.targets:
        try:
            if t.kind == "pdf":
                assert pdf_writer is not None
                outlets = ", ".join(a.outlet for a in comparison.articles)
                _write_pdf(_render("pdf", comparison, notes), t.path, pdf_writer, f"Parallax comparison: {outlets}")
            else:
                atomic_write_text(t.path, _render(t.kind, comparison, notes))
        except OSError as exc:
            raise ParallaxError(f"could not write {t.given}: {exc.strerror or exc}") from exc
        written(t)


# --------------------------------------------------------------------------- the PDF seam


def no_pdf_writer_message() -> str:
    return ("--pdf needs Parallax's printing support (the desktop app's Qt), which is not installed here; "
            "install Parallax with 'make' or 'pip install -e .', or export --html and print that")


def installed_pdf_writer() -> PdfWriter | None:
    """The PDF writer an installed package registers under the ``parallax.pdf_writers`` entry point.

    The one place the command line finds Qt's printing (the desktop package registers its printer in
    pyproject.toml). Loaded only when a PDF is asked for, so other exports never import Qt.
    """
    from importlib.metadata import distributions

    # Every installed distribution is asked, not importlib's de-duplicated view: in a source checkout a
    # stale ``*.egg-info`` folder beside the code can shadow the installed metadata that has the entry.
    found = {(e.name, e.value): e for d in distributions() for e in d.entry_points if e.group == PDF_ENTRY_POINTS}
    for _key, entry in sorted(found.items()):
        try:
            writer = entry.load()
        except ImportError:  # registered, but its toolkit is missing from this installation
            continue
        if callable(writer):
            return writer
    return None
