"""Danish amounts: parse what the author wrote, format what the reader sees, and a money type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"  # the typographic minus sign printed in documents

# Thousands groups with ".", optional decimals with ",": 8.320  0,5  1.000.000  -3.500  12,75
_GROUPED = re.compile(r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?")
# Digits, one dot, digits, that are not thousands groups: 8.32 or 1.5, an English decimal point?
_DOT_DECIMAL = re.compile(r"\d+\.\d+")


class AmountError(ValueError):
    """An amount that cannot be read; `message` and `hint` are Danish, for the author."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_amount(text: str) -> Decimal:
    """Return the amount a Danish author meant by `text` ("8.320", "0,5", "-3.500").

    "." groups thousands and "," starts decimals. Text that a reader could take two ways, such
    as "8.32" (eight point three two, or a mistyped 8.320?), is refused rather than guessed.
    """
    raw = text.strip()
    if not raw:
        raise AmountError("beløbet er tomt", "Skriv et tal, fx 8.320, eller fjern linjen.")
    sign = 1
    body = raw
    if body[0] in "-\u2212+":
        sign = -1 if body[0] != "+" else 1
        body = body[1:].strip()
    match = _GROUPED.fullmatch(body)
    if match is None:
        if _DOT_DECIMAL.fullmatch(body):
            whole, frac = body.split(".")
            raise AmountError(
                f"'{raw}' kan læses på to måder",
                f"Skriv {whole}.{frac.ljust(3, '0')[:3]} for tusinder eller {whole},{frac} for "
                "decimaler: punktum skiller tusinder, komma decimaler.",
            )
        raise AmountError(
            f"'{raw}' er ikke et beløb",
            "Skriv beløbet med cifre som i dokumentet, fx 8.320, 0,5 eller -3.500.",
        )
    digits = match["int"].replace(".", "")
    value = Decimal(digits + ("." + match["dec"] if match["dec"] else ""))
    return sign * value


def format_amount(value: Decimal, decimals: int = 0) -> str:
    """Return `value` as printed in a KK document: 8.320; 36.960; 0,5; −3.500."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    negative = rounded < 0
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    if decimals:
        text += "," + frac.ljust(decimals, "0")
    if negative and rounded != 0:
        text = MINUS + text
    return text


def decimals_of(value: Decimal) -> int:
    """Return how many decimals `value` was written with (0 for whole numbers)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of money as printed in a table header ("1.000 kr.") with its decimals."""

    code: str
    label: str
    decimals: int


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in a unit; adding amounts of different units is a programming error."""

    value: Decimal
    unit: Unit

    def __add__(self, other: Money) -> Money:
        if other.unit != self.unit:
            raise TypeError(f"cannot add {other.unit.label} to {self.unit.label}")
        return Money(self.value + other.value, self.unit)

    def __neg__(self) -> Money:
        return Money(-self.value, self.unit)

    def format(self) -> str:
        """Return the amount as printed, in the unit's precision."""
        return format_amount(self.value, self.unit.decimals)
