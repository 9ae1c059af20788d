"""Amounts as typed in Word cells: "8 320", "(1.260)", "−1.260", "-" for zero, "" for none."""

from __future__ import annotations

import re

from ..amounts import AmountError, parse_amount

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_DASHES = {"-", "–", "—", "−", "‒"}
_MINUS = "−–—‒"


class CellAmount:
    """A cell read as an amount: `text` as notebuild writes it ("1.260", "-0,5"), or why not."""

    __slots__ = ("empty", "error", "text", "zero_dash")

    def __init__(
        self, text: str = "", *, empty: bool = False, error: str = "", zero_dash: bool = False
    ):
        self.text = text
        self.empty = empty
        self.error = error
        self.zero_dash = zero_dash


def read_amount(raw: str) -> CellAmount:
    """Return the amount a cell shows; spaces as thousands separators, brackets as minus."""
    text = _SPACES.sub("", raw).replace("*", "")
    for unit in ("kr.", "kr", "mio.", "mia."):
        if text.endswith(unit) and len(text) > len(unit):
            text = text[: -len(unit)]
    if not text:
        return CellAmount(empty=True)
    if text in _DASHES:
        return CellAmount("0", zero_dash=True)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text[0] in _MINUS or text[0] == "-":
        negative, text = not negative, text[1:]
    text = _thousands(text)
    try:
        value = parse_amount(text)
    except AmountError as exc:
        return CellAmount(error=exc.message)
    if negative and value != 0:
        text = "-" + text
    return CellAmount(text)


def _thousands(text: str) -> str:
    """Return digits typed without separators ("8320") grouped the Danish way ("8.320")."""
    whole, comma, decimals = text.partition(",")
    if whole.isdigit() and len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = ".".join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])
    return whole + comma + decimals
