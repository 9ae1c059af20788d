"""The parts a finance table is evaluated from: its columns and rows as the engine sees them,
and what a formula's shape says (a share, a ratio)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..calculus.engine import EvalError
from ..calculus.figures import Figure, total
from ..calculus.formula import Binary, Call, Expr, FormulaError, Negate, parse
from ..kind.schema.finance import ColumnSpec, FinanceRow
from ..problems import Path_

TOTAL = "I alt"  # the heading of the optional sum-across column, and a key for its stated figure
MAX_DECIMALS = 3
SHARE_DECIMALS = 1  # a share in pct. shows one decimal unless told otherwise


def typed(value: Decimal, path: Path_ = ()) -> Figure:
    return Figure(value, None, path)


def blank_sum(figures: Iterable[Figure | None]) -> Figure:
    """Return the computed sum of the figures that are not blank; blank when all are."""
    return total(figures)


@dataclass(slots=True)
class Col:
    """A column as the engine sees it: stated or computed, its decimals, unit and sign."""

    name: str
    index: int
    formula: Expr | None = None
    text: str = ""  # the formula as written
    decimals: int | None = None  # None: the row's or the table's
    share: bool = False
    income: bool = False

    @property
    def computed(self) -> bool:
        return self.formula is not None or bool(self.text)


@dataclass(eq=False, slots=True)
class Entry:
    """A row, computed row or group, where it stands, and its figures once evaluated."""

    row: FinanceRow
    path: Path_
    parent: Entry | None = None
    members: list[Entry] = field(default_factory=list)
    values: dict[str, Figure] = field(default_factory=dict)
    stated: dict[str, tuple[Decimal, Path_]] = field(default_factory=dict)
    done: bool = False
    decimals: int | None = None  # the row's own (a share: 1)
    # A share, product or quotient of rows: computed in every column (a computed column's
    # formula over its cells would say nothing), and never added across.
    ratio: bool = False

    @property
    def kind(self) -> str:
        return self.row.kind

    @property
    def noun(self) -> str:
        return "gruppen" if self.kind == "gruppe" else "rækken"

    @property
    def total_label(self) -> str:
        return self.row.total_name or f"{self.row.label} i alt"

    @property
    def counted(self) -> bool:
        """Say whether the row is added into its group and the table's total."""
        return self.kind == "række" and not self.row.part_of


def column_of(entry: str | ColumnSpec, index: int) -> Col:
    if isinstance(entry, str):
        return Col(entry, index)
    return Col(
        entry.name,
        index,
        text=entry.formula or "",
        share=entry.unit == "pct." or is_share(entry.formula or ""),
        income=entry.direction == "I",
    )


def parsed(text: str) -> Expr | None:
    try:
        return parse(text)
    except FormulaError:
        return None


def is_share(text: str) -> bool:
    """Say whether a formula is a share in pct.: andel(del, helhed)."""
    expr = parsed(text)
    return isinstance(expr, Call) and expr.name == "andel"


def is_ratio(text: str) -> bool:
    """Say whether a formula multiplies, divides or takes a share (is not a sum of rows)."""

    def walk(expr: Expr) -> bool:
        if isinstance(expr, Binary):
            return expr.op in "*/" or walk(expr.left) or walk(expr.right)
        if isinstance(expr, Call):
            return expr.name == "andel" or any(walk(a) for a in expr.args)
        if isinstance(expr, Negate):
            return walk(expr.operand)
        return False

    expr = parsed(text)
    return expr is not None and walk(expr)


def is_arithmetic(error: EvalError) -> bool:
    return "nul" in error.message and ("division" in error.message or "andel" in error.message)


def ref_text(text: str, at: int) -> str:
    """Return the id that starts at `at` in a formula (for a message)."""
    end = at
    while end < len(text) and text[end] not in " +-*/()×÷−,":
        end += 1
    return text[at:end] or text
