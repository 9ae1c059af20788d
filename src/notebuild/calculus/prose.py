"""Figures in prose: a reference in Markdown to a figure of the note's tables, printed Danish.

    Med tilførelse af {{ tal: model-1.i_alt.2023 | mio. kr. }} årligt …    → 11 mio. kr.
    {{ tal: økonomi.i_alt.[I alt] }}                                        → 36.960
    {{ tal: ansøgninger.i_alt | 1.000 kr. | 1 }}                            → 350,0 1.000 kr.

The id is `tabel.række[.kolonne]` as in formulas; after "|" an optional unit to convert to
(printed after the figure) and the decimals to show. Without decimals a converted figure shows
as few as it needs, at most the unit's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..amounts import decimals_of, format_amount
from .engine import EvalError, Sheet
from .formula import FormulaError, Ref, parse

# "tal:" marks a reference, so other text in {{ }} (a template in quoted text) stays text.
REFERENCE = re.compile(r"\{\{\s*tal:(?P<body>[^{}]*)\}\}")
# How many kroner one unit is; the units a figure may be converted between.
UNIT_FACTORS = {
    "kr.": Decimal(1),
    "1.000 kr.": Decimal(1000),
    "mio. kr.": Decimal(10) ** 6,
    "mia. kr.": Decimal(10) ** 9,
}
UNIT_DECIMALS = {"kr.": 0, "1.000 kr.": 0, "mio. kr.": 1, "mia. kr.": 2}


@dataclass(frozen=True, slots=True)
class Reference:
    """One `{{ … }}` in a text: where it starts, what it says, and the text it prints."""

    start: int
    source: str
    text: str = ""
    error: EvalError | None = None


def references(text: str, sheet: Sheet) -> Iterator[Reference]:
    """Yield each reference in `text`, resolved against `sheet` (or with its error)."""
    for match in REFERENCE.finditer(text or ""):
        try:
            printed = _resolve(match["body"], sheet)
        except EvalError as error:
            yield Reference(match.start(), match[0], error=error)
        else:
            yield Reference(match.start(), match[0], printed)


def bind(text: str, sheet: Sheet) -> str:
    """Return `text` with each reference replaced by the figure it names (errors left as is)."""
    if not text or "{{" not in text:
        return text
    found = {r.start: r for r in references(text, sheet)}
    return REFERENCE.sub(lambda m: found[m.start()].text or m[0], text)


def _resolve(body: str, sheet: Sheet) -> str:
    ref_text, *options = (part.strip() for part in body.split("|"))
    try:
        expr = parse(ref_text)
    except FormulaError as error:
        raise EvalError(error.message, hint=error.hint) from error
    if not isinstance(expr, Ref):
        raise EvalError(
            f"'{ref_text}' er ingen henvisning til et tal",
            hint="Skriv tabel.række.kolonne, fx {{ tal: økonomi.i_alt.2024 }}.",
        )
    table, figure = sheet.find(expr.parts)
    if figure.value is None:
        raise EvalError(
            f"'{ref_text}' er en tom celle", hint="Henvis til en celle, der har et tal."
        )
    unit = options[0] if options and options[0] else None
    decimals: int | None = None
    if len(options) > 1:
        if not options[1].isdigit() or int(options[1]) > 3:
            raise EvalError(
                f"'{options[1]}' er ikke et antal decimaler",
                hint="Skriv et helt tal fra 0 til 3, fx "
                "{{ tal: økonomi.i_alt.2024 | mio. kr. | 1 }}.",
            )
        decimals = int(options[1])
    if unit is None:
        return format_amount(figure.value, table.decimals if decimals is None else decimals)
    if unit not in UNIT_FACTORS or table.unit not in UNIT_FACTORS:
        wrong = unit if unit not in UNIT_FACTORS else table.unit
        raise EvalError(
            f"'{wrong}' kan ikke omregnes",
            hint=f"Omregn mellem {', '.join(UNIT_FACTORS)}.",
        )
    value = figure.value * UNIT_FACTORS[table.unit] / UNIT_FACTORS[unit]
    if decimals is None:
        decimals = min(decimals_of(value.normalize()), UNIT_DECIMALS[unit])
    return f"{format_amount(value, decimals)} {unit}"
