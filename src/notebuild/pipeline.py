"""One source through every stage: load, validate, rules, totals, compose, render, write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import problems as P
from .amounts import format_amount
from .compose.budget_note import compose_budget_note
from .compose.kind_document import TemplateFailure, compose_kind
from .document.model import Document
from .field_rules import FieldFindings, check_fields
from .kind.organisation import Organisation, organisation
from .kind.registry import Kind, Kinds, load_kinds
from .kind.scaffold import fill_placeholders
from .kind.schema.budget_note import BudgetNote
from .kind.source_kind import validate
from .problems import Problem
from .readers.loader import Source, load
from .rules import check_budget_note
from .tables import Comparison, NoteTables, build_tables


@dataclass(slots=True)
class Checked:
    """What checking one source found: its kind, model and computed tables when readable."""

    file: Path
    problems: list[Problem] = field(default_factory=list)
    kind: Kind | None = None
    note: BaseModel | None = None
    tables: NoteTables | FieldFindings | None = None
    data: dict = field(default_factory=dict)  # the source's top-level mapping, as loaded

    @property
    def ok(self) -> bool:
        return not any(p.blocks_final for p in self.problems)

    @property
    def renderable_as_draft(self) -> bool:
        return self.note is not None and self.tables is not None

    @property
    def checked_totals(self) -> int:
        """Return how many stated figures were compared with computed ones."""
        if isinstance(self.tables, NoteTables):
            return len(self.tables.comparisons)
        if isinstance(self.tables, FieldFindings):
            return sum(len(t.checks) for t in self.tables.tables.values())
        return 0


def check_file(file: Path, kinds: Kinds | None = None) -> Checked:
    """Return every problem in `file`, and its model and tables when they could be built."""
    result = _check(file, kinds if kinds is not None else load_kinds())
    result.problems = _in_file_order(result.problems)
    return result


def _check(file: Path, kinds: Kinds) -> Checked:
    result = Checked(file)
    source, load_problems = load(file)  # a duplicate key is reported; its first value kept
    result.problems += load_problems
    if source is None:
        return result
    if isinstance(source.data, dict):
        result.data = source.data
    # `notebuild new`'s placeholders (UDFYLD): to-fill warnings, typed stand-ins (scaffold.py).
    source, to_fill = fill_placeholders(source, kinds)
    result.problems += to_fill
    kind, note, shape_problems = validate(source, kinds)
    result.problems += shape_problems
    if kind is None or note is None:
        return result
    org = organisation()
    tables: NoteTables | FieldFindings
    if isinstance(note, BudgetNote):
        rule_problems = check_budget_note(note, source, org)
        # Totals are compared even when something else is wrong, so one run reports every
        # kind of problem; but only a note with nothing else wrong may be rendered (as a draft).
        tables = build_tables(note, org)
        rule_problems += [_mismatch(source, c) for c in tables.comparisons if not c.ok]
    else:
        tables = check_fields(kind, note, source, org)
        if not any(p.severity == "error" for p in tables.problems):
            tables.problems += _template_problems(kind, note, tables, org)
        rule_problems = tables.problems
    result.problems += rule_problems
    unrenderable = [p for p in rule_problems if p.code != P.TOTAL_MISMATCH.code]
    # A loader warning (a control character read as a space) leaves a note that can be shown.
    unreadable = [p for p in load_problems if p.severity == "error"]
    if not (unreadable or shape_problems or any(p.severity == "error" for p in unrenderable)):
        result.kind, result.note, result.tables = kind, note, tables
    return result


def _template_problems(
    kind: Kind, model: Any, found: FieldFindings, org: Organisation
) -> list[Problem]:
    """Fill in the kind's templates with this source's values: `check` finds what `render` would.

    A template can parse and still fail on the values ({{ dato.lnag }}); it is reported at its
    line in the kind.yaml, not as a traceback from `render`.
    """
    try:
        found.document = compose_kind(kind, model, found.tables, org)
    except TemplateFailure as failure:
        return [failure.problem()]
    return []


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
        hint=_mismatch_hint(comparison, computed),
    )


def _mismatch_hint(comparison: Comparison, computed: str) -> str:
    if comparison.stated == -comparison.computed:
        return (
            f"Tallet har forkert fortegn: en indtægt (art: I) vises og tælles med minus. Skriv "
            f"{computed}."
        )
    return f"Ret tallet til {computed}, eller ret de beløb, det er summen af."


def compose(checked: Checked, *, draft: bool = False) -> Document:
    """Return the document of a checked source (with its problems listed when a draft)."""
    kind, note, tables = checked.kind, checked.note, checked.tables
    assert kind is not None and note is not None and tables is not None
    problems = tuple(_for_reviewer(p) for p in checked.problems) if draft else ()
    if isinstance(note, BudgetNote):
        assert isinstance(tables, NoteTables)
        return compose_budget_note(
            note, tables, organisation(), kind, draft=draft, problems=problems
        )
    assert isinstance(tables, FieldFindings)
    if not draft and tables.document is not None:
        return tables.document  # composed by check, which fills in the kind's templates
    return compose_kind(kind, note, tables.tables, organisation(), draft=draft, problems=problems)


class Outputs(dict[str, bytes]):
    """Each rendered format's bytes, in the order asked for.

    `failures` holds, for each format that could not be made (a PDF without LibreOffice),
    why; the other formats are still there to be written.
    """

    def __init__(self) -> None:
        super().__init__()
        self.failures: dict[str, str] = {}


def render_outputs(
    document: Document, formats: Iterable[str], template: Path | None = None
) -> Outputs:
    """Return each requested format's bytes; nothing is written here.

    Word is rendered on `template` (default: the shipped house template); a PDF is that Word
    file printed by LibreOffice. A template that cannot be used raises TemplateError.
    """
    outputs = Outputs()
    word: bytes | None = None
    for fmt in formats:
        if fmt in ("docx", "pdf"):
            if word is None:
                word = _render_word(document, template)
            if fmt == "docx":
                outputs[fmt] = word
                continue
            from .writers.pdf import PdfError, docx_to_pdf

            try:
                outputs[fmt] = docx_to_pdf(word)
            except PdfError as exc:
                outputs.failures[fmt] = str(exc)
        elif fmt == "html":
            from .writers.html import render_html

            outputs[fmt] = render_html(document).encode("utf-8")
        else:  # the CLI only passes known formats
            raise ValueError(f"unknown format {fmt!r}")
    return outputs


def _render_word(document: Document, template: Path | None) -> bytes:
    from .writers.docx import render_docx

    if template is not None:
        return render_docx(document, template)
    with as_file(files("notebuild.templates") / "husformat.docx") as shipped:
        return render_docx(document, shipped)
