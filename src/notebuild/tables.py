"""A budget note's tables, numbered in document order, with every total computed in Decimal.

Each activity's amounts are written once; Tabel 2 (all styringsområder) and the appropriation
tables are derived from them here, so they cannot disagree. Every total an author states is
compared with the computed one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .amounts import MINUS, format_amount
from .kind.organisation import Organisation
from .kind.schema.budget_note import Activity, BudgetNote, EffectRow, StatedTotal, finance_models
from .problems import Path_

ECONOMY_CAPTION = "Oversigt over ønskets aktiviteter på alle styringsområder"
EFFECT_CAPTION = "Oversigt over målsætning for effekter og evaluering"
EARLIER_CAPTION = "Tidligere afsatte midler"


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in a table; `value` None is a blank cell, `explanation` set when computed."""

    value: Decimal | None
    explanation: str = ""

    @property
    def computed(self) -> bool:
        return bool(self.explanation)


@dataclass(frozen=True, slots=True)
class AmountRow:
    label: str
    texts: tuple[str, ...]
    years: tuple[Figure, ...]
    total: Figure | None
    role: Literal["body", "total"] = "body"


@dataclass(frozen=True, slots=True)
class AmountTable:
    """A table of amounts per year: Tabel 2, an appropriation table, earlier funds."""

    number: int
    caption: str
    corner: tuple[str, ...]
    text_headers: tuple[str, ...]
    years: tuple[int, ...]
    rows: tuple[AmountRow, ...]
    decimals: int
    has_total_column: bool = True


@dataclass(frozen=True, slots=True)
class EffectTable:
    number: int
    caption: str
    rows: tuple[EffectRow, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """A stated figure compared with the computed one."""

    where: str
    stated: Decimal
    computed: Decimal
    basis: str
    path: Path_
    decimals: int

    @property
    def ok(self) -> bool:
        return self.stated == self.computed


@dataclass(slots=True)
class NoteTables:
    effect: list[EffectTable] = field(default_factory=list)
    economy: list[AmountTable] = field(default_factory=list)
    appropriation: list[AmountTable] = field(default_factory=list)
    earlier: AmountTable | None = None
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def computed_count(self) -> int:
        tables = [*self.economy, *self.appropriation, *([self.earlier] if self.earlier else [])]
        return sum(
            1
            for table in tables
            for row in table.rows
            for figure in (*row.years, row.total)
            if figure is not None and figure.computed
        )


def explain(values: Iterable[Decimal], decimals: int) -> str:
    """Return how a sum was formed: "720 + 6.240 − 100 = 6.860"."""
    values = list(values)
    total = sum(values, Decimal(0))
    if not values:
        return f"ingen beløb = {format_amount(total, decimals)}"
    text = format_amount(values[0], decimals)
    for value in values[1:]:
        sign = f" {MINUS} " if value < 0 else " + "
        text += sign + format_amount(abs(value), decimals)
    return f"{text} = {format_amount(total, decimals)}"


def build_tables(note: BudgetNote, org: Organisation) -> NoteTables:
    """Return the note's tables in document order and its stated-versus-computed comparisons."""
    return _Builder(note, org).build()


def _signed(activity: Activity) -> dict[int, Decimal]:
    factor = -1 if activity.direction == "I" else 1
    return {year: factor * amount for year, amount in activity.amounts.items()}


class _Builder:
    def __init__(self, note: BudgetNote, org: Organisation) -> None:
        self.note, self.org = note, org
        unit = org.units.get(note.unit)  # an unknown unit is reported by the rules
        self.decimals = unit.decimals if unit else 0
        self.out = NoteTables()
        self.number = 0

    def next_number(self) -> int:
        self.number += 1
        return self.number

    def unit_line(self) -> str:
        level = self.note.price_level
        return f"{self.note.unit}, {level} p/l"

    def build(self) -> NoteTables:
        models = finance_models(self.note)
        several = len(models) > 1 or models[0].name is not None
        for model in models:
            suffix = f" ({model.name})" if several else " af budgetønsket"
            self.out.effect.append(
                EffectTable(self.next_number(), EFFECT_CAPTION + suffix, tuple(model.effect))
            )
        for model in models:
            suffix = f" ({model.name})" if several else ""
            self.out.economy.append(self.economy(model, suffix))
        for model in models:
            suffix = f" ({model.name})" if several else ""
            for area in self.org.areas.values():
                activities = [a for a in model.activities if a.area == area.code]
                if activities:
                    stated = model.appropriation_totals.get(area.code)
                    path = (*model.appropriation_path, area.code)
                    self.out.appropriation.append(
                        self.appropriation(area.table_caption + suffix, activities, stated, path)
                    )
        if self.note.earlier_funds:
            self.out.earlier = self.earlier()
        return self.out

    def row_total(
        self,
        label: str,
        amounts: dict[int, Decimal],
        stated: Decimal | None,
        path: Path_,
        table: str,
    ) -> Figure:
        values = [amounts[y] for y in self.note.years if y in amounts]
        figure = Figure(sum(values, Decimal(0)), explain(values, self.decimals))
        if stated is not None:
            self.compare(f'{table}, rækken "{label}", I alt', stated, figure.value, "årene", path)
        return figure

    def compare(
        self, where: str, stated: Decimal, computed: Decimal | None, basis: str, path: Path_
    ) -> None:
        self.out.comparisons.append(
            Comparison(where, stated, computed or Decimal(0), basis, path, self.decimals)
        )

    def total_row(
        self,
        label: str,
        texts: tuple[str, ...],
        years: tuple[int, ...],
        rows: list[dict[int, Decimal]],
        stated: StatedTotal | None,
        path: Path_,
        table: str,
        blank_as_zero: bool,
        with_total: bool = True,
    ) -> AmountRow:
        figures = []
        for year in years:
            values = [r[year] for r in rows if year in r]
            if values or blank_as_zero:
                figures.append(
                    Figure(sum(values, Decimal(0)), f"{year}: {explain(values, self.decimals)}")
                )
            else:
                figures.append(Figure(None))
            if stated and year in stated.amounts:
                self.compare(
                    f"{table}, {label}, {year}",
                    stated.amounts[year],
                    figures[-1].value,
                    f"rækkerne i {year}",
                    (*path, "beløb", str(year)),
                )
        total = None
        if with_total:
            values = [v for r in rows for y, v in r.items() if y in years]
            total = Figure(sum(values, Decimal(0)), f"I alt: {explain(values, self.decimals)}")
            if stated and stated.total is not None:
                self.compare(
                    f"{table}, {label}, I alt",
                    stated.total,
                    total.value,
                    "alle rækker og år",
                    (*path, "i_alt"),
                )
        return AmountRow(label, texts, tuple(figures), total, "total")

    def economy(self, model, suffix: str) -> AmountTable:
        number = self.next_number()
        table = f"Tabel {number}"
        rows = []
        signed = []
        for i, activity in enumerate(model.activities):
            amounts = _signed(activity)
            signed.append(amounts)
            area = self.org.areas.get(activity.area)
            rows.append(
                AmountRow(
                    activity.name,
                    (area.name if area else activity.area,),
                    tuple(Figure(amounts.get(y)) for y in self.note.years),
                    self.row_total(
                        activity.name,
                        amounts,
                        activity.total,
                        (*model.activities_path, i, "i_alt"),
                        table,
                    ),
                )
            )
        rows.append(
            self.total_row(
                "Udgifter i alt (netto)",
                ("",),
                self.note.years,
                signed,
                model.total,
                model.total_path,
                table,
                blank_as_zero=False,
            )
        )
        return AmountTable(
            number,
            ECONOMY_CAPTION + suffix,
            ("Aktiviteter i forslaget", self.unit_line()),
            ("Styringsområde",),
            self.note.years,
            tuple(rows),
            self.decimals,
        )

    def appropriation(
        self, caption: str, activities: list[Activity], stated: StatedTotal | None, path: Path_
    ) -> AmountTable:
        number = self.next_number()
        table = f"Tabel {number}"
        rows = []
        signed = []
        for activity in activities:
            amounts = _signed(activity)
            signed.append(amounts)
            label = activity.appropriation_name or activity.name
            rows.append(
                AmountRow(
                    label,
                    (activity.committee, activity.appropriation, activity.direction),
                    tuple(Figure(amounts.get(y, Decimal(0))) for y in self.note.years),
                    Figure(
                        sum(amounts.values(), Decimal(0)),
                        explain(list(amounts.values()), self.decimals),
                    ),
                )
            )
        rows.append(
            self.total_row(
                "Udgifter i alt",
                ("", "", ""),
                self.note.years,
                signed,
                stated,
                path,
                table,
                blank_as_zero=True,
            )
        )
        return AmountTable(
            number,
            caption,
            (self.unit_line(),),
            ("Udvalg", "Bevilling", "Indtægt/udgift (I/U)"),
            self.note.years,
            tuple(rows),
            self.decimals,
        )

    def earlier(self) -> AmountTable:
        funds = self.note.earlier_funds
        assert funds is not None
        number = self.next_number()
        rows = [
            AmountRow(row.name, (), tuple(Figure(row.amounts.get(y)) for y in funds.years), None)
            for row in funds.rows
        ]
        rows.append(
            self.total_row(
                "Afsatte midler i alt",
                (),
                funds.years,
                [r.amounts for r in funds.rows],
                funds.total,
                ("tidligere_afsatte_midler", "i_alt"),
                f"Tabel {number}",
                blank_as_zero=False,
                with_total=False,
            )
        )
        corner = f"{self.note.unit}, {funds.price_level} p/l"
        return AmountTable(
            number,
            EARLIER_CAPTION,
            (corner,),
            (),
            funds.years,
            tuple(rows),
            self.decimals,
            has_total_column=False,
        )
