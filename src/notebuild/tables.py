"""A budget note's tables, numbered in document order, with every total computed in Decimal.

Each activity's amounts are written once; Tabel 2 (all styringsområder) and the appropriation
tables are derived from them as the kind declares (kind.yaml: afledte_tabeller) by the
calculus (calculus/derived.py), so they cannot disagree. Here stand what the budget note adds:
its models, where its stated totals are, the organisation's names and captions, the effect and
earlier-funds tables. Every total an author states is compared with the computed one by the
calculus' one rounding policy (calculus/rounding.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .calculus.derived import Comparer, DerivedRow, Record, StatedTotals, derive
from .calculus.engine import Sheet, SheetTable
from .calculus.figures import Comparison, Figure
from .kind.derived_spec import DerivedTableSpec
from .kind.organisation import Organisation
from .kind.schema.budget_note import (
    Activity,
    BudgetNote,
    EffectRow,
    FinanceModel,
    NoteTexts,
    StatedTotal,
    finance_models,
)
from .problems import Path_

AmountRow = DerivedRow  # a row of an amount table, derived or stated


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


def build_tables(
    note: BudgetNote,
    org: Organisation,
    texts: NoteTexts,
    derived: list[DerivedTableSpec],
) -> NoteTables:
    """Return the note's tables in document order and its stated-versus-computed comparisons.

    `texts`: the tables' fixed texts, the kind's with the note's own in their place (merged).
    `derived`: the kind's derived tables (kind.yaml: afledte_tabeller), in document order.
    """
    return _Builder(note, org, texts, derived).build()


# An activity's source keys and the attributes holding them: a derived table names keys.
_ACTIVITY_KEYS = {f.alias or name: name for name, f in Activity.model_fields.items()}
_TEXT_KEYS = {f.alias or name: name for name, f in NoteTexts.model_fields.items()}


def _keys(declaration: DerivedTableSpec) -> list[tuple[str, str]]:
    """Return the activity keys the declaration reads, each with its attribute."""
    named = [*declaration.name, *declaration.texts, *declaration.negative]
    named += [k for k in (declaration.row_total, declaration.group_by) if k]
    return [(key, _ACTIVITY_KEYS[key]) for key in dict.fromkeys(named)]


def _values(activity: Activity, keys: list[tuple[str, str]]) -> dict[str, object]:
    return {key: getattr(activity, name) for key, name in keys}


def _stated(model: FinanceModel, key: str | None) -> tuple[dict[str | None, StatedTotals], Path_]:
    """Return the model's stated totals under `key` (by group, or under None) and their path."""
    if key is None:
        return {}, ()
    named = {
        "i_alt": (model.total, model.total_path),
        "bevilling_i_alt": (model.appropriation_totals, model.appropriation_path),
    }
    value, path = named[key]
    if isinstance(value, dict):
        return {g: _totals(t, (*path, g)) for g, t in value.items()}, path
    return ({None: _totals(value, path)} if value is not None else {}), path


def _totals(stated: StatedTotal, path: Path_) -> StatedTotals:
    return StatedTotals(stated.amounts, stated.total, path)


def _text(text: str | None) -> str:
    """Return a fixed text; the kind declares every one (registry checks), so None is a bug."""
    assert text is not None, "a budget-note kind declares every fixed text (kind.yaml: tekster)"
    return text


class _Builder:
    def __init__(
        self,
        note: BudgetNote,
        org: Organisation,
        texts: NoteTexts,
        derived: list[DerivedTableSpec],
    ) -> None:
        self.note, self.org, self.texts, self.declarations = note, org, texts, derived
        unit = org.units.get(note.unit)  # an unknown unit is reported by the rules
        self.decimals = unit.decimals if unit else 0
        self.out = NoteTables()
        self.number = 0
        self.comparer = Comparer(self.decimals, self.out.comparisons)

    def text(self, key: str):
        """Return the fixed text under `key` in the kind's `tekster` (None when not there)."""
        name = _TEXT_KEYS.get(key)
        return getattr(self.texts, name) if name else None

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
        for declaration in self.declarations:
            self.derived(declaration, models)
        if self.note.earlier_funds:
            self.out.earlier = self.earlier()
        return self.out

    def derived(self, declaration: DerivedTableSpec, models: list[FinanceModel]) -> None:
        """Add the declared table(s) of each model, in the models' order."""
        several = len(models) > 1 or models[0].name is not None
        headers = tuple(self.text(declaration.headers) or ())
        texts = len(declaration.texts)
        if len(headers) > texts:  # the name column has a heading: above the unit line
            corner, text_headers = (
                (*headers[: len(headers) - texts], self.unit_line()),
                headers[len(headers) - texts :],
            )
        else:
            corner, text_headers = (self.unit_line(),), headers or ("",) * texts
        # The organisation's lists a row key's codes come from: their order, names, captions.
        areas = self.org.areas.values()
        captions = {"styringsområde": {a.code: a.table_caption for a in areas}}
        shown = {"styringsområde": {a.code: a.name for a in areas}}
        groups = captions[declaration.group_by] if declaration.group_by else {}
        keys = _keys(declaration)
        for model in models:
            suffix = f" ({model.name})" if several else ""
            stated, stated_path = _stated(model, declaration.stated)
            records = [
                Record(_values(activity, keys), activity.amounts, (*model.activities_path, i))
                for i, activity in enumerate(model.activities)
            ]
            for derived in derive(
                declaration,
                records,
                self.note.years,
                self.comparer,
                self.next_number,
                total_name=_text(self.text(declaration.total_name)),
                stated=stated,
                stated_path=stated_path,
                groups=list(groups),
                shown=shown,
            ):
                if derived.group is None:
                    caption = _text(self.text(declaration.caption or "")) + suffix
                else:
                    caption = groups[derived.group] + suffix
                table = AmountTable(
                    derived.number,
                    caption,
                    corner,
                    text_headers,
                    self.note.years,
                    derived.rows,
                    self.decimals,
                    text_keys=tuple(declaration.texts),
                    notes=derived.notes,
                    total_header=_text(self.texts.total_header),
                )
                if declaration.group_by is None:
                    self.out.economy.append(table)
                    self.out.sheet.add(self.sheet_table(slug(model.name or declaration.id), table))
                else:
                    self.out.appropriation.append(table)

    def earlier(self) -> AmountTable:
        funds = self.note.earlier_funds
        assert funds is not None
        number = self.next_number()
        path: Path_ = ("tidligere_afsatte_midler", "i_alt")
        rows = [
            AmountRow(row.name, (), tuple(Figure(row.amounts.get(y)) for y in funds.years), None)
            for row in funds.rows
        ]
        rows.append(
            self.comparer.total_row(
                _text(self.texts.earlier_total),
                (),
                funds.years,
                [r.amounts for r in funds.rows],
                _totals(funds.total, path) if funds.total else None,
                path,
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
            notes=self.comparer.take_notes(),
        )
