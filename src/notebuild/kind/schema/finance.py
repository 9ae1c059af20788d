"""A finance table as its author writes it, for every kind: columns, rows, groups, totals.

A column is a heading, or a computed column `{navn, formel, decimaler, enhed, art}`. A row is
stated (`navn`, `beløb`), a group (`gruppe`, `rækker`, `i_alt`), or computed (`sum`, `forskel`,
`formel`, `andel`); `heraf: ja` makes a row a part of the row above. The shape is checked here;
what needs the whole table or note (references, formulas, columns that exist, the unit and
precision, stated totals) is checked by `notebuild.finance`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag, field_validator
from pydantic_core import PydanticCustomError

from .common import Amount, SourceModel, Text, parse_year

_TRUE = {"ja", "true", "yes", "on"}
_FALSE = {"nej", "false", "no", "off"}


def _as_text(value: Any) -> Any:
    """Accept a number from a model built in code (2014) where the loader gives "2014"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold() if value is not None else ""
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise PydanticCustomError("bool_parsing", "skriv ja eller nej, ikke '{value}'", {"value": text})


def _blank(value: Any) -> Any:
    """Return None for a value left empty (the loader gives "" for `2014:` with nothing)."""
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def _amounts_kind(value: Any) -> str:
    return "dict[kolonne, beløb]" if isinstance(value, dict) else "beløb"


Label = Annotated[Text, BeforeValidator(_as_text)]
Flag = Annotated[bool, BeforeValidator(_flag)]
# A column left empty is a blank cell. An empty value under a key that is no column is kept
# (as None) so the engine can report the key: `{2014: 0,5}` in YAML is 2014: 0 and a key 5.
MaybeAmount = Annotated[Amount | None, BeforeValidator(_blank)]
# One amount for a one-column table, or amounts by column heading: {2014: 1.000, 2015: 2.000}.
# The tag names keep a problem's path the author's path: "beløb" vanishes under a scalar and
# "dict[...]" reads as a type name, so validate points at the key itself.
Amounts = Annotated[
    Annotated[Amount, Tag("beløb")]
    | Annotated[dict[Label, MaybeAmount], Tag("dict[kolonne, beløb]")],
    Discriminator(_amounts_kind),
]


def _hidden_kind(value: Any) -> str:
    if isinstance(value, str) and value.strip().casefold() == "skjult":
        return "literal-skjult"
    return _amounts_kind(value)


HIDDEN = "skjult"
# A group's stated totals, or `skjult`: the subtotal is computed (and may be referred to) but
# not printed.
GroupTotal = Annotated[
    Annotated[Literal["skjult"], Tag("literal-skjult")]
    | Annotated[Amount, Tag("beløb")]
    | Annotated[dict[Label, MaybeAmount], Tag("dict[kolonne, beløb]")],
    Discriminator(_hidden_kind),
]


def _rows(value: Any) -> Any:
    return [] if _blank(value) is None else value  # an empty group is reported once, by the engine


class FinanceRow(SourceModel):
    """One entry of `rækker`: a row of amounts, a computed row, or a group of rows.

    Which one is told by its keys: `gruppe` makes a group, `forskel` or `sum` a computed row,
    otherwise it is a row of amounts. The engine reports keys that do not fit the kind.
    """

    name: Text | None = Field(None, alias="navn", description="Rækkens navn.")
    group: Text | None = Field(
        None,
        alias="gruppe",
        description=(
            "Gør rækken til en gruppe med denne overskrift; gruppens rækker står under rækker."
        ),
    )
    id: Label | None = Field(
        None, alias="id", description="Et kort navn, som forskel og sum kan henvise til rækken ved."
    )
    direction: Literal["U", "I"] = Field(
        "U", alias="art", description="U for udgift (standard), I for indtægt (tælles negativt)."
    )
    formula: Text | None = Field(
        None,
        alias="formel",
        description=(
            "En beregnet række: en formel over rækkernes id'er (og tabel.række.kolonne i andre "
            "tabeller), regnet kolonne for kolonne, fx ramme - disponeret."
        ),
    )
    share: list[Label] | None = Field(
        None,
        alias="andel",
        min_length=2,
        max_length=2,
        description="En beregnet række: den første række i procent af den anden, fx [rest, ramme].",
    )
    part_of: Flag = Field(
        False,
        alias="heraf",
        description="ja: rækken er en del af rækken over den (vises i kursiv, tælles ikke med).",
    )
    row_decimals: Label | None = Field(
        None,
        alias="decimaler",
        description="Rækkens viste decimaler (en andel: 1); standard er tabellens.",
    )
    amounts: Amounts | None = Field(
        None,
        alias="beløb",
        description=(
            "Ét beløb (i en tabel med én kolonne) eller beløb pr. kolonne, fx {2014: 1.000}."
        ),
    )
    difference: list[Label] | None = Field(
        None,
        alias="forskel",
        min_length=1,
        description="En beregnet række: den første række minus de følgende (navne eller id).",
    )
    sum_of: list[Label] | None = Field(
        None,
        alias="sum",
        min_length=1,
        description="En beregnet række: summen af de nævnte rækker (navne eller id).",
    )
    rows: Annotated[list[FinanceRow], BeforeValidator(_rows)] = Field(
        default_factory=list, alias="rækker", description="Gruppens rækker."
    )
    total: GroupTotal | None = Field(
        None,
        alias="i_alt",
        description=(
            "Gruppens angivne I alt pr. kolonne (notebuild kontrollerer den), eller skjult: "
            "I alt beregnes, men vises ikke."
        ),
    )
    total_name: Text | None = Field(
        None, alias="i_alt_navn", description="Navnet på gruppens I alt-række."
    )
    total_place: Literal["række", "overskrift"] = Field(
        "række",
        alias="i_alt_placering",
        description="overskrift: gruppens I alt står på overskriftens linje, ikke i en egen række.",
    )

    @property
    def kind(self) -> Literal["gruppe", "forskel", "sum", "formel", "andel", "række"]:
        if self.group is not None:
            return "gruppe"
        if self.difference is not None:
            return "forskel"
        if self.sum_of is not None:
            return "sum"
        if self.formula is not None:
            return "formel"
        if self.share is not None:
            return "andel"
        return "række"

    @property
    def hidden_total(self) -> bool:
        return self.total == HIDDEN

    @property
    def stated_total(self) -> Any:
        """Return the group's stated totals (None when hidden or not stated)."""
        return None if self.total == HIDDEN else self.total

    @property
    def label(self) -> str:
        """Return the name printed in the table (a group's heading without its colon)."""
        return self.group or self.name or ""

    @property
    def key(self) -> str:
        """Return the name other rows refer to it by: its id, or else its name."""
        return self.id or self.label

    @property
    def income(self) -> bool:
        return self.direction == "I"


def _grand_total(value: Any) -> Any:
    """Accept `i_alt: ja` (or `i_alt:` left empty) for a total row with the default name."""
    if isinstance(value, str) and not value.strip():
        return {}
    if isinstance(value, str):
        return {} if _flag(value) else None
    return value


class GrandTotal(SourceModel):
    """The table's last row: the top-level rows and groups summed, income counted negatively."""

    name: Text = Field(
        "I alt", alias="navn", description="Navnet på totalrækken; standard er I alt."
    )
    amounts: Amounts | None = Field(
        None, alias="beløb", description="Angivne totaler pr. kolonne; notebuild kontrollerer dem."
    )


class ColumnSpec(SourceModel):
    """A column with more than a heading: computed by a formula, or with its own decimals,
    unit or sign."""

    name: Label = Field(alias="navn", description="Kolonnens overskrift.")
    formula: Text | None = Field(
        None,
        alias="formel",
        description=(
            "Kolonnen beregnes i hver række af rækkens andre kolonner, fx Vedtaget + Tillæg "
            "eller andel(Afvigelse, Korrigeret); navne med mellemrum skrives [Vedtaget budget]."
        ),
    )
    decimals: Label | None = Field(
        None, alias="decimaler", description="Kolonnens viste decimaler; standard er tabellens."
    )
    unit: Literal["pct."] | None = Field(
        None, alias="enhed", description="pct.: kolonnen er en andel i procent (1 decimal)."
    )
    direction: Literal["U", "I"] = Field(
        "U",
        alias="art",
        description=(
            "I: kolonnen er indtægter; beløbene skrives uden minus og vises og tælles med minus."
        ),
    )


def _column_kind(value: Any) -> str:
    return "[kolonne]" if isinstance(value, dict) else "str"


# A heading, or a column with a formula, decimals, unit or sign.
ColumnEntry = Annotated[
    Annotated[Label, Tag("str")] | Annotated[ColumnSpec, Tag("[kolonne]")],
    Discriminator(_column_kind),
]


def column_name(entry: str | ColumnSpec) -> str:
    return entry if isinstance(entry, str) else entry.name


class FinanceTable(SourceModel):
    """A finance table: its caption, unit, columns and rows."""

    id: Label | None = Field(
        None,
        alias="id",
        description=(
            "Tabellens id, som formler og tekst i notatet henviser til, fx ansøgninger.i_alt.Beløb."
        ),
    )
    title: Text = Field(
        alias="titel", description="Tabellens titel; notebuild nummererer tabellerne."
    )
    # `enhed` and `kolonner` may come from the kind (a field's `tabel:`); the engine reports
    # them missing when neither the note nor the kind gives them.
    unit: Text | None = Field(
        None, alias="enhed", description="Beløbenes enhed: kr., 1.000 kr. eller mio. kr."
    )
    # Read as text so that 7, -1 and "to" are all reported the same way by the engine.
    decimals: Label | None = Field(
        None, alias="decimaler", description="Antal viste decimaler; standard er enhedens."
    )
    price_level: Label | None = Field(
        None, alias="prisniveau", description="Prisniveauets år, fx 2013, eller løbende."
    )
    stub: Text | None = Field(
        None, alias="forspalte", description="Overskriften over rækkernes navne."
    )
    columns: list[ColumnEntry] | None = Field(
        None,
        alias="kolonner",
        min_length=1,
        description=(
            "Kolonnernes overskrifter, fx [2014, 2015, 2016], eller en beregnet kolonne: "
            "{navn: Korrigeret, formel: Vedtaget + Tillæg}."
        ),
    )
    total_column: Flag = Field(
        False, alias="i_alt_kolonne", description="ja giver en I alt-kolonne til sidst."
    )
    rows: list[FinanceRow] = Field(
        alias="rækker", min_length=1, description="Tabellens rækker, grupper og beregnede rækker."
    )
    total: Annotated[GrandTotal | None, BeforeValidator(_grand_total)] = Field(
        None, alias="i_alt", description="Totalrækken: ja, eller navn og angivne beløb."
    )

    @field_validator("price_level", mode="before")
    @classmethod
    def _price_level(cls, value: object) -> object:
        if isinstance(value, (str, int)) and str(value).strip() != "løbende":
            parse_year(value)
        return value


class TableDefaults(SourceModel):
    """What a kind declares for every finance table of a field (kind.yaml `tabel:`): the
    columns with their formulas, the unit, decimals and stub. A table's own keys win."""

    unit: Text | None = Field(None, alias="enhed", description="Beløbenes enhed.")
    decimals: Label | None = Field(None, alias="decimaler", description="Viste decimaler.")
    price_level: Label | None = Field(None, alias="prisniveau", description="Prisniveauets år.")
    stub: Text | None = Field(None, alias="forspalte", description="Overskrift over rækkerne.")
    columns: list[ColumnEntry] | None = Field(
        None, alias="kolonner", min_length=1, description="Kolonnerne, med formler."
    )
    total_column: Flag | None = Field(
        None, alias="i_alt_kolonne", description="ja giver en I alt-kolonne til sidst."
    )
    total: Annotated[GrandTotal | None, BeforeValidator(_grand_total)] = Field(
        None, alias="i_alt", description="Totalrækken: ja, eller navn."
    )
    fixed_rows: list[FinanceRow] = Field(
        default_factory=list,
        alias="faste_rækker",
        description=(
            "Rækker, som hver tabel får efter forfatterens, typisk beregnede, fx "
            "{navn: Rest, formel: ramme - i_alt}."
        ),
    )


def with_defaults(table: FinanceTable, defaults: TableDefaults | None) -> FinanceTable:
    """Return `table` with what it leaves out taken from the kind's `defaults`."""
    if defaults is None:
        return table
    given = {
        name: getattr(defaults, name)
        for name in defaults.model_fields_set
        if name not in table.model_fields_set
        and name != "fixed_rows"
        and getattr(defaults, name) is not None
    }
    if defaults.fixed_rows:
        given["rows"] = [*table.rows, *defaults.fixed_rows]
    return table.model_copy(update=given) if given else table
