"""One source through every stage: load, validate, rules, totals, compose, render, write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import problems as P
from .amounts import StatedFigure
from .compose.editions import published, reviewed
from .config import DEFAULT_EDITION, Edition
from .document.model import Document
from .engines import Checking, engine_for
from .files.sources import WORD_SUFFIXES
from .kind.organisation import organisation
from .kind.partial import validate_readable
from .kind.registry import Kind, Kinds, load_kinds
from .kind.scaffold import fill_placeholders
from .problems import Problem
from .readers.loader import load, load_text


@dataclass(slots=True)
class Checked:
    """What checking one source found: its kind, model and what its engine found when readable."""

    file: Path
    problems: list[Problem] = field(default_factory=list)
    kind: Kind | None = None
    note: BaseModel | None = None
    found: Checking | None = None  # what the kind's engine found; set when it can be composed
    data: dict = field(default_factory=dict)  # the source's top-level mapping, as loaded
    # Every stated figure and the one computed for it, also when the source has errors.
    figures: list[StatedFigure] = field(default_factory=list)
    checked_totals: int = 0  # how many stated figures were compared with computed ones

    @property
    def ok(self) -> bool:
        return not any(p.blocks_final for p in self.problems)

    @property
    def renderable_as_draft(self) -> bool:
        return self.note is not None and self.found is not None

    @property
    def tables(self) -> Any:
        """Return the engine's computed tables (its own type), or None."""
        return self.found.tables if self.found is not None else None


def check_file(file: Path, kinds: Kinds | None = None, raw: bytes | None = None) -> Checked:
    """Return every problem in `file`, and its model and tables when they could be built.

    `raw`: the file's bytes, already read (loader.read_source), so they are read only once.
    """
    kinds = kinds if kinds is not None else load_kinds()
    if file.suffix.lower() in WORD_SUFFIXES:
        return _check_word(file, kinds)
    result = _check(file, kinds, raw)
    result.problems = _in_file_order(result.problems)
    return result


def _check_word(file: Path, kinds: Kinds) -> Checked:
    """Check a Word note's stated totals in place: imported in memory, told by Word's places."""
    # Imported here, not above: the Word reader (lxml) costs a YAML-only check ~40 ms.
    from .kind.word_import import import_word

    word = import_word(file, kinds)
    if word.text is None:
        return Checked(file, word.problems)
    result = _check(file, kinds, text=word.text)
    result.problems = word.problems + [word.place(p) for p in _in_file_order(result.problems)]
    return result


def _check(file: Path, kinds: Kinds, raw: bytes | None = None, text: str | None = None) -> Checked:
    result = Checked(file)
    # A duplicate key is reported; its first value kept.
    source, load_problems = load(file, raw) if text is None else load_text(file, text)
    result.problems += load_problems
    if source is None:
        return result
    if isinstance(source.data, dict):
        result.data = source.data
    # `notebuild new`'s placeholders (UDFYLD): to-fill warnings, typed stand-ins (scaffold.py).
    source, to_fill = fill_placeholders(source, kinds)
    result.problems += to_fill
    validated = validate_readable(source, kinds)
    kind, note, shape_problems = validated.kind, validated.model, validated.problems
    result.problems += shape_problems
    if kind is None or note is None:
        return result
    engine = engine_for(kind)
    found = engine.check(kind, note, source, organisation(), stand_ins=bool(validated.replaced))
    result.figures, result.checked_totals = found.figures, found.checked_totals
    rule_problems = found.problems
    # Of a note read in part, what the parts that could not be read may have caused is left out.
    rule_problems = [p for p in rule_problems if validated.trusts(p)]
    result.problems += rule_problems
    # A wrong total or an unknown code still leaves a note that can be shown as a draft, each
    # problem at its place (the computed figure, the code as written).
    shown_in_draft = (P.TOTAL_MISMATCH.code, P.UNKNOWN_CODE.code)
    unrenderable = [p for p in rule_problems if p.code not in shown_in_draft]
    # A loader warning (a control character read as a space) leaves a note that can be shown.
    unreadable = [p for p in load_problems if p.severity == "error"]
    if not (unreadable or shape_problems or any(p.severity == "error" for p in unrenderable)):
        result.kind, result.note, result.found = kind, note, found
    return result


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(
        problems, key=lambda p: (p.position.line, p.position.column) if p.position else (0, 0)
    )


def compose(
    checked: Checked, *, draft: bool = False, edition: Edition = DEFAULT_EDITION
) -> Document:
    """Return the document of a checked source in `edition` (compose/editions.py).

    The reviewer's edition lists the source's problems and puts each at its place; the
    published one carries no tool marks (and is never a draft).
    """
    kind, note, found = checked.kind, checked.note, checked.found
    assert kind is not None and note is not None and found is not None
    document = engine_for(kind).compose(kind, note, found, organisation(), draft=draft)
    if edition == "publish":
        return published(document)
    return reviewed(document, checked.problems)


class Outputs(dict[str, bytes]):
    """Each rendered format's bytes, in the order asked for.

    `failures` holds, for each format that could not be made (a PDF without LibreOffice),
    why; the other formats are still there to be written.
    """

    def __init__(self) -> None:
        super().__init__()
        self.failures: dict[str, str] = {}


# No file notebuild writes may be larger: a note is read in minutes, not megabytes by the
# hundred (a kind template made 600 MB of HTML). Far above any real note (BI07: 40 kB).
MAX_OUTPUT_MB = 100


def render_outputs(
    document: Document, formats: Iterable[str], template: Path | None = None
) -> Outputs:
    """Return each requested format's bytes; nothing is written here.

    Word is rendered on `template` (default: the shipped house template); a PDF is that Word
    file printed by LibreOffice. A template that cannot be used raises TemplateError. A format
    that could not be made (no LibreOffice, over MAX_OUTPUT_MB) is in `failures`, with why.
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
    for fmt, data in list(outputs.items()):
        if len(data) > MAX_OUTPUT_MB * 1024 * 1024:
            del outputs[fmt]
            outputs.failures[fmt] = (
                f"Filen ville fylde {len(data) / (1024 * 1024):.0f} MB; højst {MAX_OUTPUT_MB} MB "
                "(MAX_OUTPUT_MB). Del notatet op, eller flyt store bilag ud af kilden."
            )
    return outputs


def _render_word(document: Document, template: Path | None) -> bytes:
    from .writers.docx import render_docx

    if template is not None:
        return render_docx(document, template)
    with as_file(files("notebuild.templates") / "husformat.docx") as shipped:
        return render_docx(document, shipped)
