"""The budget note (budgetnotat) as its author writes it: Danish keys, amounts as typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, field_validator

from .common import Amount, Markdown, SourceModel, Text, Year, Years, parse_year

AmountsByYear = dict[Year, Amount]


class StatedTotal(SourceModel):
    """Totals the author states for a table's total row; each is checked."""

    amounts: AmountsByYear = Field(default_factory=dict, alias="beløb")
    total: Amount | None = Field(None, alias="i_alt")


class EffectRow(SourceModel):
    """One row of the effect table (Tabel 1)."""

    target_group: Text = Field(alias="målgruppe")
    intervention: Text = Field(alias="indsats")
    objective: Text = Field(alias="målsætning")
    follow_up: Text = Field(alias="opfølgning")


class Activity(SourceModel):
    """One activity: its amounts are written once and feed every table they appear in."""

    name: Text = Field(alias="navn")
    appropriation_name: Text | None = Field(None, alias="bevillingsnavn")
    area: Text = Field(alias="styringsområde")
    committee: Text = Field(alias="udvalg")
    appropriation: Text = Field(alias="bevilling", pattern=r"^\d{2}\.\d{2}$")
    direction: Literal["U", "I"] = Field("U", alias="art")
    amounts: AmountsByYear = Field(alias="beløb")
    total: Amount | None = Field(None, alias="i_alt")


class Model(SourceModel):
    """A costed model of the proposal (BI07 has model 1 and model 2)."""

    name: Text = Field(alias="navn")
    effect: list[EffectRow] = Field(alias="effekt", min_length=1)
    activities: list[Activity] = Field(alias="aktiviteter", min_length=1)
    total: StatedTotal | None = Field(None, alias="i_alt")
    appropriation_totals: dict[str, StatedTotal] = Field(
        default_factory=dict, alias="bevilling_i_alt"
    )


class EffectSection(SourceModel):
    """Forventet effekt og opfølgning: prose and, for a one-model note, the table rows."""

    text: Markdown | None = Field(None, alias="tekst")
    rows: list[EffectRow] | None = Field(None, alias="tabel", min_length=1)


class EconomySection(SourceModel):
    """Økonomi: prose and, for a one-model note, the activities and stated totals."""

    text: Markdown | None = Field(None, alias="tekst")
    activities: list[Activity] | None = Field(None, alias="aktiviteter", min_length=1)
    total: StatedTotal | None = Field(None, alias="i_alt")
    appropriation_totals: dict[str, StatedTotal] = Field(
        default_factory=dict, alias="bevilling_i_alt"
    )


class EarlierRow(SourceModel):
    """One earlier decision that set money aside ("Budgetaftale 2018")."""

    name: Text = Field(alias="navn")
    amounts: AmountsByYear = Field(alias="beløb")


class EarlierFunds(SourceModel):
    """Tidligere afsatte midler: earlier decisions per year, in current prices by default."""

    years: Years = Field(alias="år")
    price_level: Text = Field("løbende", alias="prisniveau")
    rows: list[EarlierRow] = Field(alias="bevillinger", min_length=1)
    total: StatedTotal | None = Field(None, alias="i_alt")


class BudgetNote(SourceModel):
    """A budget note for the budget negotiations, one per proposal."""

    kind: Literal["budgetnotat"] = Field(alias="type")
    id: Text = Field(alias="id")
    category: Text | None = Field(None, alias="kategori")
    title: Text = Field(alias="titel")
    administration: Text = Field(alias="forvaltning")
    center: Text | None = Field(None, alias="center")
    unit: Text = Field(alias="enhed")
    price_level: Text = Field(alias="prisniveau")
    years: Years = Field(alias="år")
    background: Markdown = Field(alias="baggrund")
    content: Markdown = Field(alias="indhold")
    # Optional as wholes: a note with `modeller` may have no shared prose. A one-model note
    # without its table or activities is reported by the rules, at the missing key.
    effect: EffectSection = Field(default_factory=EffectSection, alias="effekt")
    economy: EconomySection = Field(default_factory=EconomySection, alias="økonomi")
    models: list[Model] | None = Field(None, alias="modeller", min_length=1)
    risk: Markdown = Field(alias="risikovurdering")
    districts: Literal["bydækkende"] | list[Text] = Field(alias="bydele")
    address: Text | None = Field(None, alias="adresse")
    earlier_funds: EarlierFunds | None = Field(None, alias="tidligere_afsatte_midler")

    @field_validator("price_level", mode="before")
    @classmethod
    def _price_level(cls, value: object) -> object:
        if isinstance(value, str) and value.strip() != "løbende":
            parse_year(value)
        return value


@dataclass(frozen=True, slots=True)
class FinanceModel:
    """A model as the tables see it, with where each part stands in the source."""

    name: str | None
    effect: list[EffectRow]
    activities: list[Activity]
    total: StatedTotal | None
    appropriation_totals: dict[str, StatedTotal]
    effect_path: tuple[str | int, ...]
    activities_path: tuple[str | int, ...]
    total_path: tuple[str | int, ...]
    appropriation_path: tuple[str | int, ...]


def finance_models(note: BudgetNote) -> list[FinanceModel]:
    """Return the note's models: its `modeller`, or the one model its sections describe."""
    if note.models:
        return [
            FinanceModel(
                m.name,
                m.effect,
                m.activities,
                m.total,
                m.appropriation_totals,
                ("modeller", i, "effekt"),
                ("modeller", i, "aktiviteter"),
                ("modeller", i, "i_alt"),
                ("modeller", i, "bevilling_i_alt"),
            )
            for i, m in enumerate(note.models)
        ]
    return [
        FinanceModel(
            None,
            note.effect.rows or [],
            note.economy.activities or [],
            note.economy.total,
            note.economy.appropriation_totals,
            ("effekt", "tabel"),
            ("økonomi", "aktiviteter"),
            ("økonomi", "i_alt"),
            ("økonomi", "bevilling_i_alt"),
        )
    ]
