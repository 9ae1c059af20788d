"""One source through every stage: load, validate, rules, totals, compose, render, write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path

from . import problems as P
from .amounts import format_amount
from .compose.budget_note import compose_budget_note
from .document import Document
from .loader import Source, load
from .organisation import organisation
from .problems import Problem
from .rules import check_budget_note
from .schema.budget_note import BudgetNote
from .tables import Comparison, NoteTables, build_tables
from .validate import validate

FORMATS = ("docx", "html")
SOURCE_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class Checked:
    """What checking one source found: its model and tables when it could be read."""

    file: Path
    problems: list[Problem] = field(default_factory=list)
    note: BudgetNote | None = None
    tables: NoteTables | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def renderable_as_draft(self) -> bool:
        return self.note is not None and self.tables is not None


def check_file(file: Path) -> Checked:
    """Return every problem in `file`, and its model and tables when they could be built."""
    result = _check(file)
    result.problems = _in_file_order(result.problems)
    return result


def _check(file: Path) -> Checked:
    result = Checked(file)
    source, load_problems = load(file)  # a duplicate key is reported; its first value kept
    result.problems += load_problems
    if source is None:
        return result
    note, shape_problems = validate(source)
    result.problems += shape_problems
    if note is None:
        return result
    assert isinstance(note, BudgetNote)
    org = organisation()
    rule_problems = check_budget_note(note, source, org)
    result.problems += rule_problems
    # Totals are compared even when something else is wrong, so one run reports every kind
    # of problem; but only a note with nothing else wrong may be rendered (as a draft).
    tables = build_tables(note, org)
    for comparison in tables.comparisons:
        if not comparison.ok:
            result.problems.append(_mismatch(source, comparison))
    if not (load_problems or shape_problems or rule_problems):
        result.note, result.tables = note, tables
    return result


def _for_reviewer(problem: Problem) -> str:
    """Return a problem as one line for the draft's summary: where in the source, and what."""
    where = problem.file.name
    if problem.position:
        where += f", linje {problem.position.line}"
    return f"{where} ({problem.yaml_path}): {problem.message}"


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(
        problems, key=lambda p: (p.position.line, p.position.column) if p.position else (0, 0)
    )


def _mismatch(source: Source, comparison: Comparison) -> Problem:
    stated = format_amount(comparison.stated, comparison.decimals)
    computed = format_amount(comparison.computed, comparison.decimals)
    return P.TOTAL_MISMATCH(
        source.file,
        comparison.path,
        source.position(comparison.path),
        where=comparison.where,
        stated=stated,
        computed=computed,
        basis=comparison.basis,
        hint=f"Ret tallet til {computed}, eller ret de beløb, det er summen af.",
    )


def compose(checked: Checked, *, draft: bool = False) -> Document:
    """Return the document of a checked source (with its problems listed when a draft)."""
    assert checked.note is not None and checked.tables is not None
    problems = tuple(_for_reviewer(p) for p in checked.problems) if draft else ()
    return compose_budget_note(
        checked.note, checked.tables, organisation(), draft=draft, problems=problems
    )


def render_outputs(
    document: Document, formats: Iterable[str], template: Path | None = None
) -> dict[str, bytes]:
    """Return each requested format's bytes; nothing is written here."""
    outputs: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "docx":
            from .writers.docx import render_docx

            if template is None:
                with as_file(files("notebuild.templates") / "husformat.docx") as shipped:
                    outputs[fmt] = render_docx(document, shipped)
            else:
                outputs[fmt] = render_docx(document, template)
        elif fmt == "html":
            from .writers.html import render_html

            outputs[fmt] = render_html(document).encode("utf-8")
        else:  # the CLI only passes known formats
            raise ValueError(f"unknown format {fmt!r}")
    return outputs


def source_files(paths: Iterable[Path]) -> list[Path]:
    """Return the sources named by `paths`: files as given, folders searched for .yaml files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()
            )
        else:
            found.append(path)
    return found
