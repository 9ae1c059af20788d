"""What a kind declares of its derived tables (`afledte_tabeller:` in kind.yaml).

Each entry declares one table (or one per group) derived from the note's rows by the calculus
(`calculus/derived.py`): the fields naming a row and printed beside it, the field of a row's
stated I alt, when a row counts negatively, the grouping field, and the kind's texts (`tekster`)
that give the table its caption, column headings and total row.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .schema.common import SourceModel


class DerivedTableSpec(SourceModel):
    """One derived table: a declaration over the rows named by `kilde`."""

    id: str = Field(alias="id")
    # The rows: each model's activities (økonomi.aktiviteter, or modeller[].aktiviteter).
    source: Literal["aktiviteter"] = Field(alias="kilde")
    name: list[str] = Field(alias="navn", min_length=1)  # the first filled names the row
    texts: list[str] = Field(default_factory=list, alias="tekster")
    row_total: str | None = Field(None, alias="række_i_alt")
    negative: dict[str, str] = Field(default_factory=dict, alias="negativ")
    group_by: str | None = Field(None, alias="gruppér_efter")
    empty_years: Literal["tom", "nul"] = Field("tom", alias="tomme_år")
    # The model's key holding the stated totals (by group under it, when grouped).
    stated: str | None = Field(None, alias="angivet")
    # The kind's texts: the caption (a group's own caption when left out), the column
    # headings (one more than `tekster` when the name column has a heading) and the total row.
    caption: str | None = Field(None, alias="titel")
    headers: str = Field(alias="kolonner")
    total_name: str = Field(alias="i_alt")
