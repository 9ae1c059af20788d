"""Tables derived by declaration from a list of source rows (kind.yaml: `afledte_tabeller`).

A declaration says which field names a row, which fields are printed as text columns, which
field (if any) holds the row's stated I alt, when a row's amounts count negatively, whether the
rows are split into one table per group of a field, and how a year with no amount shows. Every
row gets one figure per year and an I alt; every table gets a total row; each is a `Figure`
with its `Derivation`. Every total the author states (a row's I alt, the total row's years and
I alt) is compared with the computed one by the one rounding policy (`rounding.py`); a rounding
difference prints the stated figure with a note under the table.

Tables derived from the same rows cannot disagree: they are sums of the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

from ..amounts import format_amount
from .figures import Comparison, Figure, Path_, total
from .rounding import judge


class Declaration(Protocol):
    """What a kind declares of one derived table (kind.yaml: `afledte_tabeller`)."""

    @property
    def name(self) -> list[str]: ...  # the fields that name a row, the first one filled

    @property
    def texts(self) -> list[str]: ...  # the fields printed as text columns

    @property
    def row_total(self) -> str | None: ...  # the field of a row's stated I alt

    @property
    def negative(self) -> Mapping[str, str]: ...  # field -> value that makes a row count negatively

    @property
    def group_by(self) -> str | None: ...  # one table per value of this field

    @property
    def empty_years(self) -> Literal["tom", "nul"]: ...  # a year with no amount: blank or 0


@dataclass(frozen=True, slots=True)
class Record:
    """One source row: its fields by source key, its amounts by year, its YAML path."""

    values: Mapping[str, Any]
    amounts: Mapping[int, Decimal]
    origin: Path_ = ()


@dataclass(frozen=True, slots=True)
class StatedTotals:
    """The totals an author states for a total row: by year and I alt, at `path`."""

    amounts: Mapping[int, Decimal]
    total: Decimal | None
    path: Path_


@dataclass(frozen=True, slots=True)
class DerivedRow:
    label: str
    texts: tuple[str, ...]
    years: tuple[Figure, ...]
    total: Figure | None
    role: Literal["body", "total"] = "body"
    origin: Path_ = ()  # the YAML path of the row's source, if any


@dataclass(frozen=True, slots=True)
class DerivedTable:
    """One derived table: `group` is the value of the grouping field (None when ungrouped)."""

    number: int
    group: str | None
    rows: tuple[DerivedRow, ...]
    notes: tuple[str, ...]  # rounding notes, printed under the table


@dataclass(slots=True)
class Comparer:
    """Compares stated figures with computed ones at `decimals`; collects the comparisons and
    the rounding notes of the table being derived."""

    decimals: int
    comparisons: list[Comparison] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def compare(self, where: str, stated: Decimal, figure: Figure, basis: str) -> Figure:
        """Compare a stated figure with `figure`; return the figure the table prints."""
        computed = figure.value or Decimal(0)
        verdict = judge(stated, figure, self.decimals)
        self.comparisons.append(
            Comparison(figure.path, stated, computed, self.decimals, where, basis, verdict)
        )
        if verdict != "rounding":
            return figure
        shown = format_amount(computed, self.decimals)
        self.notes.append(
            f"{where.partition(', ')[2]} er angivet som {format_amount(stated, self.decimals)}; "
            f"de viste tal summer til {shown}. Forskellen kan skyldes afrunding."
        )
        return Figure(stated, None, figure.path)

    def take_notes(self) -> tuple[str, ...]:
        notes, self.notes = tuple(self.notes), []
        return notes

    def total_row(
        self,
        label: str,
        texts: tuple[str, ...],
        years: Sequence[int],
        rows: Sequence[Mapping[int, Decimal]],
        stated: StatedTotals | None,
        path: Path_,
        table: str,
        *,
        blank_as_zero: bool,
        with_total: bool = True,
    ) -> DerivedRow:
        """Return the total row of `rows` (amounts by year), its stated totals compared."""
        figures = []
        for year in years:
            values = [Figure(r[year]) for r in rows if year in r]
            figure = total(
                values,
                (*path, "beløb", str(year)),
                blank_when_empty=not blank_as_zero,
                label=str(year),
            )
            if figure.value is None:  # a blank cell, still where a stated total is compared
                figure = Figure(None, path=(*path, "beløb", str(year)))
            if stated and year in stated.amounts:
                figure = self.compare(
                    f"{table}, {label}, {year}", stated.amounts[year], figure, f"rækkerne i {year}"
                )
            figures.append(figure)
        row_total = None
        if with_total:
            values = [Figure(v) for r in rows for y, v in r.items() if y in years]
            row_total = total(values, (*path, "i_alt"), blank_when_empty=False, label="I alt")
            if stated and stated.total is not None:
                row_total = self.compare(
                    f"{table}, {label}, I alt", stated.total, row_total, "alle rækker og år"
                )
        return DerivedRow(label, texts, tuple(figures), row_total, "total")


def derive(
    declaration: Declaration,
    records: Sequence[Record],
    years: Sequence[int],
    comparer: Comparer,
    next_number: Callable[[], int],
    *,
    total_name: str,
    stated: Mapping[str | None, StatedTotals],
    stated_path: Path_,
    groups: Sequence[str] = (),
    shown: Mapping[str, Mapping[str, str]] | None = None,
) -> list[DerivedTable]:
    """Return the declared table(s) of `records` over `years`, numbered by `next_number`.

    `stated`: the stated totals by group (key None when ungrouped); `stated_path`: where they
    stand (a group's under its key). `groups`: the grouping field's values in the order the
    tables come (groups without rows are left out). `shown`: per field, how a code is printed
    (a code not there prints as written).
    """
    shown = shown or {}
    if declaration.group_by is None:
        parts: list[tuple[str | None, list[Record]]] = [(None, list(records))]
    else:
        key = declaration.group_by
        parts = [(g, [r for r in records if r.values.get(key) == g]) for g in groups]
        parts = [(g, rows) for g, rows in parts if rows]
    tables = []
    for group, rows in parts:
        number = next_number()
        path = stated_path if group is None else (*stated_path, group)
        tables.append(
            _table(
                declaration,
                rows,
                years,
                comparer,
                number,
                group,
                total_name,
                stated.get(group),
                path,
                shown,
            )
        )
    return tables


def _signed(declaration: Declaration, record: Record) -> dict[int, Decimal]:
    negative = any(record.values.get(k) == v for k, v in declaration.negative.items())
    factor = -1 if negative else 1
    return {year: factor * amount for year, amount in record.amounts.items()}


def _label(declaration: Declaration, record: Record) -> str:
    for name in declaration.name:
        if record.values.get(name):
            return str(record.values[name])
    return ""


def _table(
    declaration: Declaration,
    records: list[Record],
    years: Sequence[int],
    comparer: Comparer,
    number: int,
    group: str | None,
    total_name: str,
    stated: StatedTotals | None,
    path: Path_,
    shown: Mapping[str, Mapping[str, str]],
) -> DerivedTable:
    table = f"Tabel {number}"
    zero = declaration.empty_years == "nul"
    rows = []
    signed = []
    for record in records:
        amounts = _signed(declaration, record)
        signed.append(amounts)
        label = _label(declaration, record)
        texts = tuple(
            shown.get(k, {}).get(str(record.values.get(k)), str(record.values.get(k) or ""))
            for k in declaration.texts
        )
        cells = tuple(Figure(amounts.get(y, Decimal(0)) if zero else amounts.get(y)) for y in years)
        if declaration.row_total is None:
            row_total = total((Figure(v) for v in amounts.values()), blank_when_empty=False)
        else:
            row_total = total(
                (Figure(amounts[y]) for y in years if y in amounts),
                (*record.origin, declaration.row_total),
                blank_when_empty=False,
            )
            stated_total = record.values.get(declaration.row_total)
            if stated_total is not None:
                row_total = comparer.compare(
                    f'{table}, rækken "{label}", I alt', stated_total, row_total, "årene"
                )
        rows.append(DerivedRow(label, texts, cells, row_total, origin=record.origin))
    rows.append(
        comparer.total_row(
            total_name,
            ("",) * len(declaration.texts),
            years,
            signed,
            stated,
            path,
            table,
            blank_as_zero=zero,
        )
    )
    return DerivedTable(number, group, tuple(rows), comparer.take_notes())
