"""The built-in budget-note engine (`model: budgetnotat`): its rules, derived tables, document."""

from __future__ import annotations

from pydantic import BaseModel

from .. import problems as P
from ..amounts import StatedFigure, decimals_of, format_amount
from ..calculus.figures import Comparison
from ..checks.prose_refs import prose_reference_problems
from ..checks.rules import check_budget_note
from ..compose.budget_note import compose_budget_note
from ..document.model import Document
from ..kind.organisation import Organisation
from ..kind.registry import Kind
from ..kind.schema.budget_note import BudgetNote, merged
from ..problems import Path_, Problem, did_you_mean
from ..readers.loader import Source
from ..tables import NoteTables, build_tables
from .interface import Checking


class BudgetNoteEngine:
    """Checks and composes a budget note: Tabel 2 and the appropriation tables are derived
    from its activities, and every total its author states is compared with them."""

    def check(
        self, kind: Kind, note: BaseModel, source: Source, org: Organisation, *, stand_ins: bool
    ) -> Checking:
        assert isinstance(note, BudgetNote)
        problems = check_budget_note(note, source, org)
        # Totals are compared even when something else is wrong, so one run reports every
        # kind of problem; but only a note with nothing else wrong may be rendered (as a draft).
        assert kind.spec.texts is not None  # a budget-note kind declares its texts (registry)
        tables = build_tables(note, org, merged(kind.spec.texts, note.texts), kind.spec.derived)
        problems += [_mismatch(source, c) for c in tables.comparisons if not c.ok]
        problems += [_rounding(source, c) for c in tables.comparisons if c.rounding]
        problems += _prose_references(source, note, tables)
        problems += _unknown_headings(source, note, kind)
        return Checking(
            problems=problems,
            tables=tables,
            figures=[
                StatedFigure(c.path, c.stated, c.computed, max(c.decimals, decimals_of(c.computed)))
                for c in tables.comparisons
            ],
            checked_totals=len(tables.comparisons),
            sheet=tables.sheet,
        )

    def compose(
        self, kind: Kind, note: BaseModel, found: Checking, org: Organisation, *, draft: bool
    ) -> Document:
        assert isinstance(note, BudgetNote) and isinstance(found.tables, NoteTables)
        return compose_budget_note(note, found.tables, org, kind, draft=draft)


def _unknown_headings(source: Source, note: BudgetNote, kind: Kind) -> list[Problem]:
    """Return a problem at each heading the note words for a section its kind does not have."""
    sections = [s.field_ for s in kind.spec.sections if s.field_]
    found = []
    for key in note.texts.headings or {}:
        if key not in sections:
            path = ("tekster", "overskrifter", key)
            found.append(
                P.UNKNOWN_FIELD(
                    source.file,
                    path,
                    source.position(path, key=True),
                    key=key,
                    hint=did_you_mean(key, sections) or f"Afsnittene er: {', '.join(sections)}.",
                )
            )
    return found


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


def _rounding(source: Source, comparison: Comparison) -> Problem:
    shown = format_amount(comparison.computed, comparison.decimals)
    return P.ROUNDING_DIFFERENCE(
        source.file,
        comparison.path,
        source.position(comparison.path),
        where=comparison.where,
        stated=format_amount(comparison.stated, comparison.decimals),
        computed=shown,
        terms=comparison.basis,
        hint=f"Skriv de uafrundede beløb, så beregner notebuild totalen af dem, eller ret "
        f"totalen til {shown}.",
    )


def prose_fields(note: BudgetNote) -> dict[Path_, str | None]:
    """Return a budget note's Markdown texts by their path."""
    return {
        ("baggrund",): note.background,
        ("indhold",): note.content,
        ("effekt", "tekst"): note.effect.text,
        ("økonomi", "tekst"): note.economy.text,
        ("risikovurdering",): note.risk,
    }


def _prose_references(source: Source, note: BudgetNote, tables: NoteTables) -> list[Problem]:
    """Return a problem at each reference in prose that names no figure of the note."""
    return prose_reference_problems(source, prose_fields(note).items(), tables.sheet)
