"""The two everyday jobs, `check` and `render`, over many sources: report, then one outcome."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..checks.duplicate_ids import id_in, shared_id_problems
from ..config import DEFAULT_EDITION, Edition
from ..files import parallel
from ..files.output import display_path, name_problem, shown_name, write_all_atomic
from ..files.sources import source_files
from ..kind.registry import load_kinds
from ..pipeline import Checked, check_file, compose, render_outputs
from ..problems import Position, Problem
from ..readers.loader import read_source
from ..report.reporting import compared_totals, format_problem, summary

if TYPE_CHECKING:
    from ..report.formats import CheckRun


@dataclass(frozen=True, slots=True)
class Outcome:
    failed: bool
    summary: str
    problems: tuple[Problem, ...] = ()


def _check_each(
    files: list[Path], problems: list[Problem], kind_dirs: tuple[Path, ...], echo: bool = True
) -> Iterator[Checked]:
    """Check each file, add its problems to `problems` (printing them with `echo`), yield it.

    Problems in the kinds' own kind.yaml files come first: they concern every source.
    """
    kinds = load_kinds(kind_dirs)
    _collect(kinds.problems, problems, echo)
    for file in files:
        checked = check_file(file, kinds)
        _collect(checked.problems, problems, echo)
        yield checked


# From this many sources `check` uses a process per core: starting them costs ~50 ms.
PARALLEL_CHECK_FROM = 20


# What checking one source gives back: its problems, how many stated totals were compared,
# and the id it declares (with where), so shared ids are found without reading it again.
Found = tuple[list[Problem], int, tuple[str, Position] | None]


def _check_one(file: Path, kind_dirs: tuple[Path, ...]) -> Found:
    """Check a source (in a worker); return what the run needs of it."""
    raw, _ = read_source(file)  # what stops the reading is reported by check_file
    checked = check_file(file, load_kinds(kind_dirs), raw)
    return checked.problems, checked.checked_totals, id_in(raw)


def _check_broken(file: Path) -> Found:
    problem = Problem(
        "internal-error",
        "error",
        "processen, der kontrollerede notatet, stoppede uventet (måske for lidt hukommelse)",
        file,
        hint="Kør check igen på færre notater ad gangen.",
    )
    return [problem], 0, id_in(read_source(file)[0])


def _collect(found: list[Problem], problems: list[Problem], echo: bool) -> None:
    if echo:
        for problem in found:
            click.echo(format_problem(problem), err=True)
    problems += found


def check_files(
    paths: Iterable[Path],
    *,
    strict: bool = False,
    kind_dirs: tuple[Path, ...] = (),
    echo: bool = True,
) -> CheckRun:
    """Check every source under `paths`; `strict` fails on warnings.

    With `echo` each problem is printed as it is found (the author's terminal); without, the
    run is only returned, for a report in another format.
    """
    # Here, not at the top: `render` has no report to give and need not import the formats.
    from ..report.formats import CheckRun

    files = source_files(paths)
    problems: list[Problem] = []
    checked_totals = 0

    _collect(load_kinds(kind_dirs).problems, problems, echo)
    # A few notes are checked here; more are spread over the cores (results in file order).
    jobs = None if len(files) >= PARALLEL_CHECK_FROM else 1
    check = functools.partial(_check_one, kind_dirs=kind_dirs)
    declared = []
    for file, (found, totals, identifier) in zip(
        files, parallel.ordered(check, files, jobs, _check_broken), strict=True
    ):
        _collect(found, problems, echo)
        checked_totals += totals
        declared.append((file, identifier))
    _collect(shared_id_problems(declared, shown_names(files)), problems, echo)
    failing = ("error", "warning") if strict else ("error",)
    failed = any(p.severity in failing for p in problems) or not files
    text = summary(problems, len(files)) if files else "ingen .yaml-filer fundet"
    if not failed and checked_totals:
        text += f" {compared_totals(checked_totals)}"
    elif strict and files and not any(p.severity == "error" for p in problems):
        text += " Med --strict tæller advarsler som fejl."
    return CheckRun(tuple(files), tuple(problems), failed, text, strict, checked_totals)


def shown_names(files: list[Path]) -> dict[Path, str]:
    return {file: display_path(file) for file in files}


def render_files(
    files: Iterable[Path],
    out: Path,
    formats: tuple[str, ...],
    *,
    draft: bool = False,
    kind_dirs: tuple[Path, ...] = (),
    template: Path | None = None,
    edition: Edition = DEFAULT_EDITION,
) -> Outcome:
    """Render each source that has no errors (or, as a draft, each that can be read).

    `edition` is the reviewer's ("review") or the published ("publish", never a draft).

    A Word template that cannot be used stops the run before anything is written. Without
    LibreOffice no PDF is made, but the other formats are still written; the run fails.
    """
    if template is not None and {"docx", "pdf"} & set(formats):
        from ..writers.docx_prepared import TemplateError, check_template

        try:
            check_template(template)
        except TemplateError as exc:
            return Outcome(True, str(exc))
    without_pdf = ""
    if "pdf" in formats:
        from ..writers.pdf import PdfError, find_soffice

        try:
            find_soffice()
        except PdfError as exc:
            click.echo(f"fejl: {exc}", err=True)
            formats = tuple(fmt for fmt in formats if fmt != "pdf")
            without_pdf = " Ingen PDF er lavet (se ovenfor)."
    files = source_files(files)
    problems: list[Problem] = []
    unwritten = 0  # sources left unwritten for their problems or names
    not_written: list[str] = []  # outputs that could not be made or written
    for checked in _check_each(files, problems, kind_dirs):
        file = checked.file
        usable = checked.ok or (draft and checked.renderable_as_draft)
        if not usable:
            errors = any(p.severity == "error" for p in checked.problems)
            why = "ret fejlene ovenfor" if errors else "udfyld det, der mangler, eller brug --draft"
            click.echo(f"{display_path(file)}: intet skrevet ({why})", err=True)
            unwritten += 1
            continue
        refused = _name_refused(file, out, formats)
        if refused:
            click.echo(f"{display_path(file)}: intet skrevet ({refused})", err=True)
            unwritten += 1
            continue
        document = compose(checked, draft=draft, edition=edition)
        # All in memory before anything is written.
        outputs = render_outputs(document, formats, template)
        targets = [(out / f"{file.stem}.{fmt}", data) for fmt, data in outputs.items()]
        try:
            write_all_atomic(targets)  # a note's formats together, or none of them
        except OSError as exc:
            reason = exc.strerror or str(exc)
            failed_at = Path(exc.filename) if exc.filename else out
            click.echo(
                f"{display_path(failed_at)}: kan ikke skrives ({reason}). Tjek at mappen "
                "findes, at du må skrive i den, og at disken ikke er fuld. "
                f"{display_path(file)}: intet skrevet.",
                err=True,
            )
            not_written += [display_path(target) for target, _ in targets]
        else:
            for target, _ in targets:
                click.echo(f"{display_path(target)}{' (UDKAST)' if draft else ''}")
        for fmt, reason in outputs.failures.items():
            target = out / f"{file.stem}.{fmt}"
            click.echo(f"{display_path(target)}: fejl: ikke skrevet. {reason}", err=True)
            not_written.append(display_path(target))
    # A draft that was written is what the author asked for; without --draft, any error fails.
    failed = (
        unwritten > 0
        or bool(not_written)
        or bool(without_pdf)
        or (not draft and any(p.severity == "error" for p in problems))
    )
    text = summary(problems, len(files)) + without_pdf
    if not_written:  # "ingen fejl" in the sources is not the whole story
        noun = "fil" if len(not_written) == 1 else "filer"
        text += f" {len(not_written)} {noun} blev ikke skrevet: {', '.join(not_written)}."
    return Outcome(failed, text, tuple(problems))


def _name_refused(file: Path, out: Path, formats: tuple[str, ...]) -> str | None:
    """Return why `file`'s outputs cannot be written under their names, or None.

    The names come from the file's name alone; one that Windows keeps for a device, that holds
    a control character or is too long is refused, and so is an output that would be the
    source itself (a source named BI19.html rendered into its own folder).
    """
    for fmt in formats:
        name = f"{file.stem}.{fmt}"
        reason = name_problem(name)
        if reason is not None:
            return f"{shown_name(name)}: {reason}; giv filen et andet navn"
        target = out / name
        try:
            same = target.exists() and target.samefile(file)
        except OSError:
            same = False
        if same:
            return f"{display_path(target)} er kilden selv; skriv til en anden mappe med --out"
    return None
