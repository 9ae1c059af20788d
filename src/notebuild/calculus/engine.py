"""Evaluate formulas over the figures of a note's tables, and find figures by id.

A note's evaluated tables are kept in a `Sheet` by their id, so a row, a cell or a sentence of
prose can refer to a figure of another table: `ansøgninger.i_alt.Beløb`. Every figure the
engine computes keeps its `Derivation`; a division by zero, an unknown id or a reference that
goes round in a circle is an `EvalError` at the place in the formula it concerns.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .figures import Derivation, Figure
from .formula import Binary, Call, Expr, Negate, Number, Ref

TOTAL_ROW = "i_alt"  # the id of a table's total row


class EvalError(ValueError):
    """A formula that cannot be evaluated: Danish `message` and `hint`, `at` in the formula."""

    def __init__(self, message: str, at: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.at = at
        self.hint = hint


def suggest(word: str, choices: Iterable[str]) -> str:
    """Return "Mente du 'x'?" for the closest choice, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"Mente du '{close[0]}'?" if close else ""


Lookup = Callable[[Ref], Figure]


def evaluate(expr: Expr, lookup: Lookup) -> Figure:
    """Return the figure `expr` computes, each id's figure found by `lookup`."""
    return _Evaluation(lookup).run(expr)


class _Evaluation:
    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self.own: set[int] = set()  # sums made here, flattened into the sums that use them

    def made(self, figure: Figure) -> Figure:
        self.own.add(id(figure))
        return figure

    def run(self, expr: Expr) -> Figure:
        if isinstance(expr, Number):
            return Figure(expr.value, Derivation("constant", ()))
        if isinstance(expr, Ref):
            return self.lookup(expr)
        if isinstance(expr, Negate):
            operand = self.run(expr.operand)
            return operand.negated() if operand.value is not None else operand
        if isinstance(expr, Call):
            args = [self.run(a) for a in expr.args]
            if expr.name == "sum":
                return self.add(args)
            return self.divide(args[0], args[1], expr, share=True)
        assert isinstance(expr, Binary)
        left, right = self.run(expr.left), self.run(expr.right)
        if expr.op == "+":
            return self.add([left, right])
        if expr.op == "-":
            return self.add([left, right.negated()])
        if expr.op == "*":
            if left.value is None or right.value is None:
                return Figure(None)
            return self.made(Figure(left.value * right.value, Derivation("product", (left, right))))
        return self.divide(left, right, expr, share=False)

    def add(self, figures: list[Figure]) -> Figure:
        operands: list[Figure] = []
        for figure in figures:
            if figure.value is None:
                continue
            derivation = figure.derivation
            if id(figure) in self.own and derivation is not None and derivation.op == "sum":
                operands += derivation.operands
            else:
                operands.append(figure)
        if not operands:
            return Figure(None)
        value = sum((f.value for f in operands if f.value is not None), Decimal(0))
        return self.made(Figure(value, Derivation("sum", tuple(operands))))

    def divide(self, left: Figure, right: Figure, expr: Binary | Call, share: bool) -> Figure:
        if left.value is None or right.value is None:
            return Figure(None)
        if right.value == 0:
            if share:
                raise EvalError(
                    "en andel af nul kan ikke beregnes",
                    expr.at,
                    "Helheden, andelen regnes af, er 0 her; lad cellen stå tom, eller ret tallet.",
                )
            raise EvalError(
                "division med nul", expr.at, "Tallet, der deles med, er 0 her; ret formlen."
            )
        value = left.value / right.value * (100 if share else 1)
        return self.made(Figure(value, Derivation("share" if share else "quotient", (left, right))))


@dataclass(slots=True)
class SheetTable:
    """An evaluated table as other tables and prose see it: figures by row and column."""

    id: str
    title: str
    unit: str
    decimals: int
    columns: list[str]
    rows: dict[str, dict[str, Figure]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # a row's name -> its key

    def row(self, name: str) -> dict[str, Figure] | None:
        key = self.aliases.get(name, name)
        return self.rows.get(key)

    @property
    def row_names(self) -> list[str]:
        return [*self.rows, *(a for a in self.aliases if a not in self.rows)]


@dataclass(slots=True)
class Sheet:
    """Every evaluated table of one note, by id, in document order."""

    tables: dict[str, SheetTable] = field(default_factory=dict)

    def add(self, table: SheetTable) -> None:
        self.tables[table.id] = table

    def find(self, parts: tuple[str, ...], column: str | None = None) -> tuple[SheetTable, Figure]:
        """Return the table and figure `tabel.række.kolonne` names (the column may be implied).

        Raise EvalError (at 0) with "Mente du …?" when a part names nothing.
        """
        if not parts or parts[0] not in self.tables:
            name = parts[0] if parts else ""
            known = list(self.tables)
            raise EvalError(
                f"der er ingen tabel med id'et '{name}'",
                hint=suggest(name, known)
                or (
                    f"Tabellerne har id'erne: {', '.join(known)}."
                    if known
                    else "Giv tabellen et id (fx 'id: ansøgninger'), og henvis til det."
                ),
            )
        table = self.tables[parts[0]]
        return table, find_in(table, parts[1:], column)


def find_in(table: SheetTable, parts: tuple[str, ...], column: str | None) -> Figure:
    """Return the figure at `række[.kolonne]` of `table`; the column may be implied."""
    if not parts:
        raise EvalError(
            f"henvisningen til tabellen '{table.id}' mangler en række",
            hint=f"Skriv fx {table.id}.{TOTAL_ROW}; rækkerne er: {', '.join(table.row_names)}.",
        )
    row = table.row(parts[0])
    if row is None:
        raise EvalError(
            f"tabellen '{table.id}' har ingen række '{parts[0]}'",
            hint=suggest(parts[0], table.row_names)
            or f"Rækkerne er: {', '.join(table.row_names)}.",
        )
    if len(parts) > 2:
        raise EvalError(
            f"'{'.'.join(parts)}' har for mange led",
            hint="Skriv tabel.række.kolonne, fx ansøgninger.i_alt.Beløb.",
        )
    if len(parts) == 2:
        wanted = parts[1]
    elif column is not None and column in table.columns:
        wanted = column
    elif len(table.columns) == 1:
        wanted = table.columns[0]
    else:
        raise EvalError(
            f"tabellen '{table.id}' har flere kolonner; skriv hvilken",
            hint=f"Skriv fx {table.id}.{parts[0]}.{_part(table.columns[0])}; kolonnerne er: "
            f"{', '.join(table.columns)}.",
        )
    if wanted not in table.columns:
        raise EvalError(
            f"tabellen '{table.id}' har ingen kolonne '{wanted}'",
            hint=suggest(wanted, table.columns) or f"Kolonnerne er: {', '.join(table.columns)}.",
        )
    return row.get(wanted) or Figure(None)


def _part(name: str) -> str:
    return (
        name
        if name.replace("_", "").replace("-", "").isalnum() and not name[0].isdigit()
        else f"[{name}]"
    )
