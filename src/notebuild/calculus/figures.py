"""Figures, how they were derived, and stated figures compared with computed ones.

One set of types for every table of every kind: a `Figure` is a value in Decimal (None is a
blank cell) with the `Derivation` that computed it (None when the author stated it) and the
YAML path of the figure it stands for. A `Comparison` keeps the stated figure, the computed
one, the decimals they are shown with and the stated figure's YAML path, and says what the
rounding policy (`rounding.py`) makes of the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..amounts import MINUS, decimals_of, format_amount

Path_ = tuple[str | int, ...]
Op = Literal["sum", "product", "quotient", "share", "negate", "constant"]


@dataclass(frozen=True, slots=True)
class Derivation:
    """How a figure was computed: an operation over the figures it is made of.

    A difference is a sum with the later operands negated, so a derivation reads as the
    author's figures added and subtracted ("720 + 6.240 − 100 = 6.860").
    """

    op: Op
    operands: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in a table: `value` None is a blank cell; `derivation` None when stated."""

    value: Decimal | None
    derivation: Derivation | None = None
    path: Path_ = ()
    # What the figure is, when its explanation must say so: "2025", "I alt".
    label: str = ""

    @property
    def computed(self) -> bool:
        return self.derivation is not None

    @property
    def leaves(self) -> tuple[Decimal, ...]:
        """Return the stated figures this one is made of (itself when stated)."""
        if self.derivation is None:
            return () if self.value is None else (self.value,)
        inner = tuple(v for f in self.derivation.operands for v in f.leaves)
        return tuple(-v for v in inner) if self.derivation.op == "negate" else inner

    @property
    def constant(self) -> bool:
        return self.derivation is not None and self.derivation.op == "constant"

    @property
    def parts(self) -> tuple[Decimal, ...] | None:
        """Return the signed figures a computed sum adds up; None when stated."""
        derivation = self.derivation
        if derivation is None:
            return None
        if derivation.op == "negate":
            inner = derivation.operands[0]
            parts = inner.parts if inner.parts is not None else (inner.value,)
            return tuple(-v for v in parts if v is not None)
        return tuple(f.value for f in derivation.operands if f.value is not None)

    def negated(self) -> Figure:
        if self.value is None:
            return self
        return Figure(-self.value, Derivation("negate", (self,)), self.path)

    def explain(self, decimals: int) -> str:
        """Return how the figure was formed: "720 + 6.240 − 100 = 6.860"."""
        derivation = self.derivation
        value = self.value if self.value is not None else Decimal(0)
        if derivation is None:
            return format_amount(value, decimals)
        text = f"{self.terms(decimals)} = {format_amount(value, decimals)}"
        return f"{self.label}: {text}" if self.label else text

    def terms(self, decimals: int) -> str:
        """Return the left side of the explanation: "720 + 6.240 − 100"."""
        derivation = self.derivation
        if derivation is None:
            return format_amount(self.value or Decimal(0), decimals)
        if derivation.op == "constant":
            return format_amount(
                self.value or Decimal(0), max(decimals, decimals_of(self.value or Decimal(0)))
            )
        if derivation.op == "sum" or derivation.op == "negate":
            return explain_terms(self.parts or (), decimals)
        a, b = (format_amount(f.value or Decimal(0), decimals) for f in derivation.operands[:2])
        if derivation.op == "product":
            return f"{a} \u00d7 {b}"
        if derivation.op == "share":
            return f"{a} / {b} \u00d7 100"
        return f"{a} / {b}"


def explain_terms(values: tuple[Decimal, ...] | list[Decimal], decimals: int) -> str:
    """Return "720 + 6.240 − 100" for the signed values, or "ingen beløb"."""
    if not values:
        return "ingen beløb"
    text = format_amount(values[0], decimals)
    for value in values[1:]:
        sign = f" {MINUS} " if value < 0 else " + "
        text += sign + format_amount(abs(value), decimals)
    return text


def explain(values, decimals: int) -> str:
    """Return how a sum was formed: "720 + 6.240 − 100 = 6.860"."""
    values = list(values)
    total = sum(values, Decimal(0))
    return f"{explain_terms(values, decimals)} = {format_amount(total, decimals)}"


def stated(value: Decimal | None, path: Path_ = ()) -> Figure:
    """Return a figure the author wrote."""
    return Figure(value, None, path)


def total(figures, path: Path_ = (), *, blank_when_empty: bool = True, label: str = "") -> Figure:
    """Return the sum of the figures that are not blank (blank when all are, if asked)."""
    present = tuple(f for f in figures if f is not None and f.value is not None)
    if not present and blank_when_empty:
        return Figure(None, Derivation("sum", ()), path, label)
    value = sum((f.value for f in present if f.value is not None), Decimal(0))
    return Figure(value, Derivation("sum", present), path, label)


def exact_decimals(figure: Figure, shown: int) -> int:
    """Return the decimals that show `figure`'s parts without rounding them."""
    return max([shown, *(decimals_of(v) for v in figure.parts or ())])


Verdict = Literal["ok", "rounding", "mismatch"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """A stated figure compared with the computed one, at the decimals the table shows.

    `path` is the YAML path of the stated figure; `verdict` comes from the rounding policy.
    """

    path: Path_
    stated: Decimal
    computed: Decimal
    decimals: int
    where: str = ""
    basis: str = ""
    verdict: Verdict = "ok"

    @property
    def ok(self) -> bool:
        """Return whether the stated figure may stand (equal, or a rounding difference)."""
        return self.verdict != "mismatch"

    @property
    def rounding(self) -> bool:
        return self.verdict == "rounding"
