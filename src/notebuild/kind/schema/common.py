"""Building blocks every kind's schema shares: the base model and Danish scalar types."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from ...amounts import AmountError, parse_amount


class SourceModel(BaseModel):
    """A part of a source: Danish keys (aliases), nothing unknown, immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=False,
        str_strip_whitespace=True,
        defer_build=True,  # a model's validator is built when first used, not at import
    )


def _text(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        raise PydanticCustomError(
            "wrong_type",
            "skal være tekst, ikke {shape}",
            {"shape": "en liste" if isinstance(value, list) else "felter"},
        )
    if value is None:
        raise PydanticCustomError("empty_value", "må ikke være tom")
    return value


def _amount(value: Any) -> Decimal:
    if isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        return Decimal(value)  # already exact: a model built in code, not read from a source
    if not isinstance(value, str):
        _text(value)
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise PydanticCustomError(
            "bad_amount", "{message}. {hint}", {"message": exc.message, "hint": exc.hint}
        ) from None


_YEAR = re.compile(r"\d{4}")
_YEAR_RANGE = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


def parse_year(value: Any) -> int:
    """Return the year in `value` ("2024"); refuse anything that is not a four-digit year."""
    text = str(value).strip() if value is not None else ""
    if not _YEAR.fullmatch(text) or not 1900 <= int(text) <= 2200:
        raise PydanticCustomError(
            "bad_year", "'{value}' er ikke et årstal. Skriv fx 2024.", {"value": text}
        )
    return int(text)


def _years(value: Any) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        years = tuple(parse_year(v) for v in value)
    else:
        text = str(_text(value)).strip()
        match = _YEAR_RANGE.fullmatch(text)
        if match is None:
            raise PydanticCustomError(
                "bad_year", "'{value}' er ikke en periode. Skriv fx 2023-2027.", {"value": text}
            )
        first, last = parse_year(match[1]), parse_year(match[2])
        if last < first:
            raise PydanticCustomError(
                "bad_year", "perioden {value} slutter før den begynder.", {"value": text}
            )
        years = tuple(range(first, last + 1))
    if not years:  # `år: []`: a table needs a column
        raise PydanticCustomError("bad_year", "der står ingen år. Skriv fx 2023-2027.")
    if len(set(years)) != len(years) or list(years) != sorted(years):
        raise PydanticCustomError("bad_year", "årene skal stå i rækkefølge, hvert år én gang.")
    return years


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
Amount = Annotated[Decimal, BeforeValidator(_amount)]
Year = Annotated[int, BeforeValidator(parse_year)]
Years = Annotated[tuple[int, ...], BeforeValidator(_years)]
Markdown = Text
