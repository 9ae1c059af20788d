"""A budget note's tables, numbered in document order, with every total computed in Decimal.

Each activity's amounts are written once; Tabel 2 (all styringsområder) and the appropriation
tables are derived from them here, so they cannot disagree. Every total an author states is
compared with the computed one by the calculus' one rounding policy (calculus/rounding.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .amounts import format_amount
from .calculus.engine import Sheet, SheetTable
from .calculus.figures import Comparison, Figure, total
from .calculus.rounding import judge
from .kind.organisation import Organisation
from .kind.schema.budget_note import (
    Activity,
    BudgetNote,
    EffectRow,
    NoteTexts,
    StatedTotal,
    finance_models,
)
from .problems import Path_


@dataclass(frozen=True, slots=True)
class AmountRow:
    label: str
    texts: tuple[str, ...]
    years: tuple[Figure, ...]
    total: Figure | None
    role: Literal["body", "total"] = "body"
    origin: Path_ = ()  # the YAML path of the row's source (an activity), if any


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
    text_keys: tuple[str, ...] = ()  # the source's key of each text column, e.g. "udvalg"
    notes: tuple[str, ...] = ()  # "Note til tabel N: …" under the table (rounding differences)
    total_header: str = "I alt"  # the heading over the total column


@dataclass(frozen=True, slots=True)
class EffectTable:
    number: int
    caption: str
    rows: tuple[EffectRow, ...]
    headers: tuple[str, ...]
    path: Path_ = ()  # the YAML path of the rows' list


@dataclass(slots=True)
class NoteTables:
    effect: list[EffectTable] = field(default_factory=list)
    economy: list[AmountTable] = field(default_factory=list)
    appropriation: list[AmountTable] = field(default_factory=list)
    earlier: AmountTable | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    # The economy tables by id (økonomi, or each model's name: model-1), for prose references.
    sheet: Sheet = field(default_factory=Sheet)

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


def slug(name: str) -> str:
    """Return a name as an id part: "model 1" -> "model-1"."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.casefold()).split())


def build_tables(note: BudgetNote, org: Organisation, texts: NoteTexts) -> NoteTables:
    """Return the note's tables in document order and its stated-versus-computed comparisons.

    `texts`: the tables' fixed texts, the kind's with the note's own in their place (merged).
    """
    return _Builder(note, org, texts).build()


def _signed(activity: Activity) -> dict[int, Decimal]:
    factor = -1 if activity.direction == "I" else 1
    return {year: factor * amount for year, amount in activity.amounts.items()}


def _text(text: str | None) -> str:
    """Return a fixed text; the kind declares every one (registry checks), so None is a bug."""
    assert text is not None, "a budget-note kind declares every fixed text (kind.yaml: tekster)"
    return text


class _Builder:
    def __init__(self, note: BudgetNote, org: Organisation, texts: NoteTexts) -> None:
        self.note, self.org, self.texts = note, org, texts
        unit = org.units.get(note.unit)  # an unknown unit is reported by the rules
        self.decimals = unit.decimals if unit else 0
        self.out = NoteTables()
        self.number = 0
        self.notes: list[str] = []  # the rounding notes of the table being built

    def next_number(self) -> int:
        self.number += 1
        return self.number

    def sheet_table(self, ident: str, table: AmountTable) -> SheetTable:
        """Return `table` as prose sees it: rows by name (and slug), columns by year and I alt."""
        columns = [str(y) for y in table.years] + ["I alt"]
        out = SheetTable(ident, table.caption, self.note.unit, table.decimals, columns)
        for row in table.rows:
            key = "i_alt" if row.role == "total" else slug(row.label)
            cells = dict(zip(columns, (*row.years, row.total), strict=False))
            out.rows[key] = {c: f for c, f in cells.items() if f is not None}
            out.aliases[row.label] = key
        return out

    def take_notes(self) -> tuple[str, ...]:
        notes, self.notes = tuple(self.notes), []
        return notes

    def unit_line(self) -> str:
        if self.texts.unit_line:
            return self.texts.unit_line
        level = self.note.price_level
        return f"{self.note.unit}, {level} p/l"

    def build(self) -> NoteTables:
        models = finance_models(self.note)
        several = len(models) > 1 or models[0].name is not None
        for model in models:
            suffix = f" ({model.name})" if several else " af budgetønsket"
            self.out.effect.append(
                EffectTable(
                    self.next_number(),
                    _text(self.texts.effect_caption) + suffix,
                    tuple(model.effect),
                    tuple(self.texts.effect_headers or ()),
                    model.effect_path,
                )
            )
        for model in models:
            suffix = f" ({model.name})" if several else ""
            economy = self.economy(model, suffix)
            self.out.economy.append(economy)
            self.out.sheet.add(self.sheet_table(slug(model.name or "økonomi"), economy))
        for model in models:
            suffix = f" ({model.name})" if several else ""
            for area in self.org.areas.values():
                activities = [a for a in model.activities if a.area == area.code]
                if activities:
                    stated = model.appropriation_totals.get(area.code)
                    path = (*model.appropriation_path, area.code)
                    origins = [
                        (*model.activities_path, i)
                        for i, a in enumerate(model.activities)
                        if a.area == area.code
                    ]
                    self.out.appropriation.append(
                        self.appropriation(
                            area.table_caption + suffix, activities, stated, path, origins
                        )
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
        figure = total(
            (Figure(amounts[y]) for y in self.note.years if y in amounts),
            path,
            blank_when_empty=False,
        )
        if stated is not None:
            return self.compare(f'{table}, rækken "{label}", I alt', stated, figure, "årene")
        return figure

    def compare(self, where: str, stated: Decimal, figure: Figure, basis: str) -> Figure:
        """Compare a stated figure with `figure`; return the figure the table prints."""
        computed = figure.value or Decimal(0)
        verdict = judge(stated, figure, self.decimals)
        self.out.comparisons.append(
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
                    f"{table}, {label}, {year}",
                    stated.amounts[year],
                    figure,
                    f"rækkerne i {year}",
                )
            figures.append(figure)
        row_total = None
        if with_total:
            values = [Figure(v) for r in rows for y, v in r.items() if y in years]
            row_total = total(values, (*path, "i_alt"), blank_when_empty=False, label="I alt")
            if stated and stated.total is not None:
                row_total = self.compare(
                    f"{table}, {label}, I alt",
                    stated.total,
                    row_total,
                    "alle rækker og år",
                )
        return AmountRow(label, texts, tuple(figures), row_total, "total")

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
                    origin=(*model.activities_path, i),
                )
            )
        rows.append(
            self.total_row(
                _text(self.texts.economy_total),
                ("",),
                self.note.years,
                signed,
                model.total,
                model.total_path,
                table,
                blank_as_zero=False,
            )
        )
        stub, area = self.texts.economy_headers or ("", "")
        return AmountTable(
            number,
            _text(self.texts.economy_caption) + suffix,
            (stub, self.unit_line()),
            (area,),
            self.note.years,
            tuple(rows),
            self.decimals,
            text_keys=("styringsområde",),
            notes=self.take_notes(),
            total_header=_text(self.texts.total_header),
        )

    def appropriation(
        self,
        caption: str,
        activities: list[Activity],
        stated: StatedTotal | None,
        path: Path_,
        origins: list[Path_],
    ) -> AmountTable:
        number = self.next_number()
        table = f"Tabel {number}"
        rows = []
        signed = []
        for activity, origin in zip(activities, origins, strict=True):
            amounts = _signed(activity)
            signed.append(amounts)
            label = activity.appropriation_name or activity.name
            rows.append(
                AmountRow(
                    label,
                    (activity.committee, activity.appropriation, activity.direction),
                    tuple(Figure(amounts.get(y, Decimal(0))) for y in self.note.years),
                    total((Figure(v) for v in amounts.values()), blank_when_empty=False),
                    origin=origin,
                )
            )
        rows.append(
            self.total_row(
                _text(self.texts.appropriation_total),
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
            tuple(self.texts.appropriation_headers or ("", "", "")),
            self.note.years,
            tuple(rows),
            self.decimals,
            text_keys=("udvalg", "bevilling", "art"),
            notes=self.take_notes(),
            total_header=_text(self.texts.total_header),
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
                _text(self.texts.earlier_total),
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
            _text(self.texts.earlier_caption),
            (corner,),
            (),
            funds.years,
            tuple(rows),
            self.decimals,
            has_total_column=False,
            notes=self.take_notes(),
        )
