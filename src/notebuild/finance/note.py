"""A note's finance tables evaluated together: one Sheet, references across tables, in order.

Every table with an `id` is in the note's Sheet. A table is evaluated after the tables its
formulas name (a reference to a later table is fine); tables that name each other in a circle
are one error naming the circle, and their references to each other stay blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import problems as P
from ..calculus.engine import Sheet
from ..calculus.formula import FormulaError, parse, refs
from ..kind.organisation import Organisation
from ..kind.schema.finance import FinanceRow, FinanceTable
from ..problems import Path_, Problem
from ..readers.loader import Source
from .table import FinanceResult, evaluate_table


@dataclass(slots=True)
class NoteTables:
    """Each table's result by its path (document order), the note's Sheet, and the problems
    that concern tables together (a shared id, a circle)."""

    results: dict[Path_, FinanceResult] = field(default_factory=dict)
    sheet: Sheet = field(default_factory=Sheet)
    problems: list[Problem] = field(default_factory=list)


def evaluate_note_tables(
    tables: list[tuple[Path_, FinanceTable]], source: Source, org: Organisation
) -> NoteTables:
    """Return every table of a note evaluated, in document order, with the note's Sheet."""
    out = NoteTables()
    by_id: dict[str, Path_] = {}
    for path, table in tables:
        if table.id is None:
            continue
        if table.id in by_id:
            where = (*path, "id")
            first = source.position(by_id[table.id])
            out.problems.append(
                P.BAD_ID(
                    source.file,
                    where,
                    source.position(where),
                    detail=f"to tabeller har id'et '{table.id}' (den første står på linje "
                    f"{first.line if first else '?'})",
                    hint="Giv tabellerne hver sit id, så en henvisning kun kan betyde én tabel.",
                )
            )
            continue
        by_id[table.id] = path
    given = dict(tables)
    uses = {path: _tables_named(table, by_id) for path, table in tables}
    order: list[Path_] = []
    quiet: dict[Path_, frozenset[str]] = {}
    visiting: list[Path_] = []

    def visit(path: Path_) -> None:
        if path in order or path in visiting:
            return
        visiting.append(path)
        for name in uses[path]:
            target = by_id[name]
            if target in visiting:
                circle = visiting[visiting.index(target) :]
                names = [given[p].id or "" for p in circle]
                for member in circle:
                    quiet[member] = frozenset(names)
                where = (*target, "id")
                out.problems.append(
                    P.TABLE_CYCLE(
                        source.file,
                        where,
                        source.position(where),
                        detail="tabellerne henviser til hinanden i ring: "
                        + " → ".join([*names, names[0]]),
                        hint="En tabel kan bygge på en anden tabels tal, men ikke omvendt også; "
                        "fjern en af henvisningerne.",
                    )
                )
                continue
            visit(target)
        visiting.pop()
        order.append(path)

    for path, _ in tables:
        visit(path)
    for path in order:
        result = evaluate_table(
            given[path], path, source, org, out.sheet, quiet.get(path, frozenset()), tuple(by_id)
        )
        if result.sheet is not None and result.sheet.id not in out.sheet.tables:
            out.sheet.add(result.sheet)
        out.results[path] = result
    out.results = {path: out.results[path] for path, _ in tables}
    return out


def _tables_named(table: FinanceTable, by_id: dict[str, Path_]) -> list[str]:
    """Return the ids of other tables that `table`'s row formulas name."""
    own = {name for row in _rows(table.rows) for name in (row.id, row.label) if name}
    found: list[str] = []
    for row in _rows(table.rows):
        if row.formula is None:
            continue
        try:
            expr = parse(row.formula)
        except FormulaError:
            continue  # reported when the table is evaluated
        for ref in refs(expr):
            head = ref.parts[0]
            if head in by_id and head not in own and head != table.id and head not in found:
                found.append(head)
    return found


def _rows(rows: list[FinanceRow]) -> list[FinanceRow]:
    return [r for row in rows for r in (row, *_rows(row.rows))]
