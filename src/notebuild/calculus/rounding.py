"""The one rounding policy for every stated figure in every table.

A figure an author states is compared with the computed one at the decimals the table shows:
equal there, it stands. Otherwise the figures it is computed from may themselves be rounded:
each stated figure written with no more decimals than the table shows may be off by half a
unit of the last shown decimal. Carried through the derivation (sums, differences, products,
quotients and shares alike) that gives an interval for the exact value. A stated figure inside
the interval is a rounding difference — a warning, printed with a note under the table; one
outside it is an error.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..amounts import decimals_of
from .figures import Figure, Verdict

Interval = tuple[Decimal, Decimal]
_UNBOUNDED: Interval = (Decimal("-Infinity"), Decimal("Infinity"))


def round_shown(value: Decimal, decimals: int) -> Decimal:
    """Return `value` rounded as it is printed (half up, as format_amount does)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-(decimals + 1))


def bounds(figure: Figure, decimals: int) -> Interval:
    """Return the interval the exact value of `figure` lies in, given rounded stated figures."""
    value = figure.value if figure.value is not None else Decimal(0)
    derivation = figure.derivation
    if derivation is None:
        if decimals_of(value) <= decimals:
            half = half_unit(decimals)
            return value - half, value + half
        return value, value  # written with more decimals than shown: exact
    if derivation.op == "constant":
        return value, value
    spans = [bounds(f, decimals) for f in derivation.operands]
    if derivation.op == "sum":
        return sum((s[0] for s in spans), Decimal(0)), sum((s[1] for s in spans), Decimal(0))
    if derivation.op == "negate":
        low, high = spans[0]
        return -high, -low
    (a_low, a_high), (b_low, b_high) = spans[0], spans[1]
    if derivation.op == "product":
        corners = [a_low * b_low, a_low * b_high, a_high * b_low, a_high * b_high]
        return min(corners), max(corners)
    if b_low <= 0 <= b_high or not all(x.is_finite() for x in (a_low, a_high, b_low, b_high)):
        return _UNBOUNDED
    corners = [a_low / b_low, a_low / b_high, a_high / b_low, a_high / b_high]
    scale = Decimal(100) if derivation.op == "share" else Decimal(1)
    return min(corners) * scale, max(corners) * scale


def judge(
    stated: Decimal, figure: Figure, decimals: int, operand_decimals: int | None = None
) -> Verdict:
    """Return what the policy makes of `stated` against the computed `figure`, shown with
    `decimals`; the figures it is computed from are shown with `operand_decimals` (a share in
    pct. with one decimal of amounts with none), by default the same."""
    computed = figure.value if figure.value is not None else Decimal(0)
    if round_shown(stated, decimals) == round_shown(computed, decimals):
        return "ok"
    low, high = bounds(figure, decimals if operand_decimals is None else operand_decimals)
    return "rounding" if low <= stated <= high else "mismatch"
