"""Rules for the fields of a data-defined kind: codes, party letters, clauses, finance tables.

Each field type that needs more than its schema has one check here; every kind that uses the
type gets it. Finance tables are evaluated here too, and their results kept for composing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import problems as P
from ..calculus.engine import Sheet
from ..document.model import Document
from ..finance import FinanceResult, evaluate_note_tables
from ..kind.clauses import clean_clause
from ..kind.codes import KIND_CODES_DOCS, unknown_code_hint
from ..kind.organisation import Organisation
from ..kind.registry import Kind, field_text, names_in
from ..kind.schema.fields import Decision, Recommendation, Section, Signatory, TableItem
from ..kind.schema.finance import FinanceTable, with_defaults
from ..problems import Path_, Problem, did_you_mean
from ..readers.loader import Source
from .prose_refs import prose_reference_problems, texts_in


@dataclass(slots=True)
class FieldFindings:
    """What the field rules found: problems, and each finance table's result by its path."""

    problems: list[Problem] = field(default_factory=list)
    tables: dict[Path_, FinanceResult] = field(default_factory=dict)
    # The note's tables with an id, for formulas and prose that refer to their figures.
    sheet: Sheet = field(default_factory=Sheet)
    # The (final) document composed while checking the kind's templates, for `compose` to
    # reuse instead of composing it again.
    document: Document | None = None


def check_fields(kind: Kind, model: Any, source: Source, org: Organisation) -> FieldFindings:
    """Return every problem the field rules find in a source of `kind`."""
    found = FieldFindings()
    ctx = _Context(source, org, found, kind)
    values = kind.values(model)
    for key, value in values.items():
        if value is None:
            continue
        check = _CHECKS.get(kind.spec.fields[key].type)
        if check is not None:
            check(ctx, (key,), value)
    evaluated = evaluate_note_tables(ctx.pending, source, org)
    found.problems += evaluated.problems
    for path, result in evaluated.results.items():
        found.problems += result.problems
        found.tables[path] = result
    found.sheet = evaluated.sheet
    # Figures in prose: every Markdown field's `{{ tal: … }}` names a figure of the Sheet.
    prose = [
        text
        for key, value in values.items()
        if value is not None and kind.spec.fields[key].type in PROSE_TYPES
        for text in texts_in(value, (key,))
    ]
    found.problems += prose_reference_problems(source, prose, evaluated.sheet)
    return found


# The field types whose Markdown may hold `{{ tal: … }}` (composed with the figures bound).
PROSE_TYPES = ("markdown", "liste", "punkter", "beslutning", "indhold", "afsnit")


@dataclass(slots=True)
class _Context:
    source: Source
    org: Organisation
    found: FieldFindings
    kind: Kind
    # The note's finance tables in document order, evaluated together once all are found.
    pending: list[tuple[Path_, FinanceTable]] = field(default_factory=list)

    def code(self, path: Path_, value: str, codes: dict[str, str], what: str, noun: str) -> None:
        if value in codes:
            return
        self.found.problems.append(
            P.UNKNOWN_CODE(
                self.source.file,
                path,
                self.source.position(path),
                what=what,
                value=value,
                hint=unknown_code_hint(value, codes, noun, KIND_CODES_DOCS),
            )
        )


def _committee(ctx: _Context, path: Path_, value: str) -> None:
    # The body whose agenda it is: a committee, or Borgerrepræsentationen itself.
    ctx.code(path, value, ctx.org.agenda_bodies(), "udvalg", "udvalg")


def _administration(ctx: _Context, path: Path_, value: str) -> None:
    names = {code: a.name for code, a in ctx.org.administrations.items()}
    ctx.code(path, value, names, "forvaltning", "forvaltninger")


def _local_committee(ctx: _Context, path: Path_, value: str) -> None:
    ctx.code(path, value, ctx.org.local_committee_names(), "lokaludvalg", "lokaludvalg")


def _recommendation(ctx: _Context, path: Path_, value: Recommendation) -> None:
    _recommender(ctx, path, value)
    if value.committee is not None:
        ctx.code(
            (*path, "over_for"),
            value.committee,
            ctx.org.recipients(),
            "udvalg, BR eller lokaludvalg",
            "modtagere",
        )
    _clauses(ctx, path, value)


def _recommender(ctx: _Context, path: Path_, value: Recommendation) -> None:
    """Check who recommends: a forvaltning or any body, not both, and named when the kind's
    sentence names the recommender."""
    file, source = ctx.source.file, ctx.source
    if value.administration is not None:
        _administration(ctx, (*path, "forvaltning"), value.administration)
    if value.recommender is not None:
        ctx.code(
            (*path, "indstiller"),
            value.recommender,
            ctx.org.recommenders(),
            "indstiller",
            "indstillere",
        )
    if value.administration is not None and value.recommender is not None:
        where = (*path, "indstiller")
        ctx.found.problems.append(
            P.CONFLICT(
                file,
                where,
                source.position(where, key=True),
                detail="indstillingen har både 'forvaltning' og 'indstiller'",
                hint="Skriv kun den ene: forvaltning: BIF for en forvaltning, eller "
                "indstiller: med et udvalg, BR eller et lokaludvalg, fx indstiller: AVLU.",
            )
        )
    field = ctx.kind.spec.fields[path[0]]
    named = names_in(field_text(field, "indledning")) & {"forvaltning", "indstiller"}
    if named and value.administration is None and value.recommender is None:
        ctx.found.problems.append(
            P.MISSING_FIELD(
                file,
                path,
                source.position(path, key=True),
                key="forvaltning",
                hint="Indstillingen skal sige, hvem der indstiller: forvaltning: BIF, eller "
                "indstiller: med et udvalg, BR eller et lokaludvalg, fx indstiller: AVLU. "
                f"Alle koder står i {KIND_CODES_DOCS}.",
            )
        )


def _clauses(ctx: _Context, path: Path_, value: Recommendation) -> None:
    file = ctx.source.file
    for index, raw in enumerate(value.clauses):
        where = (*path, "punkter", index)
        position = ctx.source.position(where)
        clause = clean_clause(raw)
        number = index + 1
        if not clause.begins_with_at:
            ctx.found.problems.append(
                P.CLAUSE_NOT_AT(
                    file,
                    where,
                    position,
                    number=number,
                    start=" ".join(clause.text.split()[:3]),
                    hint="Hvert punkt i en indstilling begynder med 'at', fx 'at udvalget "
                    "godkender …'. Skriv punktet om, eller flyt teksten til Problemstilling.",
                )
            )
        details = []
        if clause.removed_number:
            details.append(f"nummeret '{clause.removed_number}' er fjernet")
        if clause.removed_punctuation:
            details.append(f"'{clause.removed_punctuation}' til sidst er fjernet")
        if clause.capital_at:
            details.append("'At' er rettet til 'at'")
        if details:
            ctx.found.problems.append(
                P.CLAUSE_FORM(
                    file,
                    where,
                    position,
                    number=number,
                    detail=", ".join(details),
                    hint="notebuild nummererer punkterne og sætter komma efter hvert og punktum "
                    "efter det sidste. Skriv kun 'at …' uden tal og tegn til sidst.",
                )
            )


def _party(ctx: _Context, path: Path_, letter: str) -> None:
    ctx.code(path, letter, ctx.org.parties, "partibogstav", "partibogstaver")


def _signatories(ctx: _Context, path: Path_, value: list[Signatory]) -> None:
    for index, signatory in enumerate(value):
        _party(ctx, (*path, index, "parti"), signatory.party)


def _decision(ctx: _Context, path: Path_, value: Decision) -> None:
    for index, remark in enumerate(value.remarks):
        where = (*path, "protokolbemærkninger", index)
        _party(ctx, (*where, "parti"), remark.party)
        for j, letter in enumerate(remark.joined):
            _party(ctx, (*where, "tilsluttet", j), letter)


def _finance_table(ctx: _Context, path: Path_, value: Any) -> None:
    spec = ctx.kind.spec.fields.get(str(path[0]))
    defaults = spec.table if spec is not None and spec.type != "afsnit" else None
    ctx.pending.append((path, with_defaults(value, defaults)))


def _content(ctx: _Context, path: Path_, value: Any) -> None:
    for item_path, table in content_tables(path, value):
        _finance_table(ctx, item_path, table)


def _sections(ctx: _Context, path: Path_, value: list[Section]) -> None:
    placeable = [n for s in ctx.kind.spec.sections for n in s.field_names]
    for index, section in enumerate(value):
        _content(ctx, (*path, index, "tekst"), section.content)
        if section.after is not None and section.after not in placeable:
            where = (*path, index, "efter")
            ctx.found.problems.append(
                P.UNKNOWN_CODE(
                    ctx.source.file,
                    where,
                    ctx.source.position(where),
                    what="afsnit at placere efter",
                    value=section.after,
                    hint=did_you_mean(section.after, placeable)
                    or f"Skriv navnet på et felt, fx {', '.join(placeable[:4])}.",
                )
            )


def content_tables(path: Path_, value: Any) -> Iterator[tuple[Path_, Any]]:
    """Yield each finance table in a content field with its path."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, TableItem):
                yield (*path, index, "tabel"), item.table


_CHECKS: dict[str, Callable[[_Context, Path_, Any], None]] = {
    "udvalg": _committee,
    "forvaltning": _administration,
    "lokaludvalg": _local_committee,
    "indstilling": _recommendation,
    "underskrivere": _signatories,
    "beslutning": _decision,
    "indhold": _content,
    "afsnit": _sections,
    "finanstabel": _finance_table,
}
