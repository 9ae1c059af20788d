"""Danish amounts: parse what the author wrote, format what the reader sees, and a money type."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"  # the typographic minus sign printed in documents
# The most digits an amount may have before and after the comma. Decimal computes with 28
# significant digits: within these limits every sum of a budget's amounts is exact, and no
# amount is too long to be rounded and printed.
MAX_WHOLE_DIGITS = 15
MAX_DECIMAL_DIGITS = 10

# Thousands groups with ".", optional decimals with ",": 8.320  0,5  1.000.000  -3.500  12,75
# A first group of 0 is no thousands grouping: "0.500" is an English 0.5 (see parse_amount).
# Digits are ASCII only: "８.３２０" or "٣٤" is no amount an author typed on purpose.
_GROUPED = re.compile(r"(?P<int>[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?", re.ASCII)
# Digits, one dot, digits, that are not thousands groups: 8.32 or 1.5, an English decimal point?
_DOT_DECIMAL = re.compile(r"\d+\.\d+", re.ASCII)


class AmountError(ValueError):
    """An amount that cannot be read; `message` and `hint` are Danish, for the author."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_amount(text: str) -> Decimal:
    """Return the amount a Danish author meant by `text` ("8.320", "0,5", "-3.500").

    "." groups thousands and "," starts decimals. Text that a reader could take two ways, such
    as "8.32" (eight point three two, or a mistyped 8.320?) or "0.500" (an English 0.5?), is
    refused rather than guessed: a dot is read as a thousands separator only when every group
    after it has three digits and the first group is 1-999. An amount may have at most
    MAX_WHOLE_DIGITS digits before the comma and MAX_DECIMAL_DIGITS after it.
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
            if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
                raise _too_big(raw)
            thousands = _grouped((whole + frac.ljust(3, "0")[:3]).lstrip("0") or "0")
            raise AmountError(
                f"'{raw}' kan læses på to måder",
                f"Skriv {thousands} for tusinder eller {whole},{frac} for "
                "decimaler: punktum skiller tusinder, komma decimaler.",
            )
        raise AmountError(
            f"'{raw}' er ikke et beløb",
            "Skriv beløbet med cifre som i dokumentet, fx 8.320, 0,5 eller -3.500.",
        )
    digits = match["int"].replace(".", "")
    if len(digits.lstrip("0")) > MAX_WHOLE_DIGITS:
        raise _too_big(raw)
    if match["dec"] and len(match["dec"]) > MAX_DECIMAL_DIGITS:
        raise AmountError(
            f"'{raw}' har for mange decimaler",
            f"Et beløb kan have højst {MAX_DECIMAL_DIGITS} decimaler; afrund det.",
        )
    value = Decimal(digits + ("." + match["dec"] if match["dec"] else ""))
    return sign * value


def income_sign_hint(value: Decimal) -> str:
    """Return how to write an income amount that was written with a minus.

    The sign rule for every table: amounts are written as they are, an income without a minus;
    `art: I` makes the row an income, printed with a minus and subtracted in every total.
    """
    written = format_amount(abs(value), decimals_of(value))
    return (
        f"Skriv {written} uden minus: 'art: I' gør rækken til en indtægt, som notebuild viser "
        "med minus og trækker fra i totalerne. Er det en mindre udgift, så skriv 'art: U' og "
        "beløbet med minus."
    )


def _too_big(raw: str) -> AmountError:
    return AmountError(
        f"'{raw}' er for stort et beløb",
        f"Et beløb kan have højst {MAX_WHOLE_DIGITS} cifre før kommaet; skriv det i en større "
        "enhed, fx mio. kr.",
    )


@functools.lru_cache(maxsize=65536)  # a round prints the same figures (0, totals) many times
def format_amount(value: Decimal, decimals: int = 0) -> str:
    """Return `value` as printed in a KK document: 8.320; 36.960; 0,5; −3.500."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    negative = rounded < 0
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    text = _grouped(whole)
    if decimals:
        text += "," + frac.ljust(decimals, "0")
    if negative and rounded != 0:
        text = MINUS + text
    return text


def _grouped(digits: str) -> str:
    """Return a string of digits with "." between groups of three: 1234567 -> 1.234.567."""
    head = len(digits) % 3 or 3
    return ".".join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


def decimals_of(value: Decimal) -> int:
    """Return how many decimals `value` was written with (0 for whole numbers)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True, slots=True)
class StatedFigure:
    """A figure the author stated, at `path` in the source, and the one computed for it;
    `decimals` is how many it is written with when made to agree (`notebuild fix`)."""

    path: tuple[str | int, ...]
    stated: Decimal
    computed: Decimal
    decimals: int


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
