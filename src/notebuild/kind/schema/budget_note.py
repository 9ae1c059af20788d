"""The budget note (budgetnotat) as its author writes it: Danish keys, amounts as typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, field_validator

from .common import Amount, Markdown, SourceModel, Text, Year, Years, parse_year

AmountsByYear = dict[Year, Amount]


class StatedTotal(SourceModel):
    """Totals the author states for a table's total row; each is checked."""

    amounts: AmountsByYear = Field(
        default_factory=dict,
        alias="beløb",
        description="De angivne totaler pr. år, fx {2024: 7.500}; notebuild kontrollerer dem.",
    )
    total: Amount | None = Field(
        None,
        alias="i_alt",
        description="Den angivne total for alle år; notebuild kontrollerer den.",
    )


class EffectRow(SourceModel):
    """One row of the effect table (Tabel 1)."""

    target_group: Text = Field(
        alias="målgruppe", description="Hvem indsatsen er for (kolonnen Målgruppe i Tabel 1)."
    )
    intervention: Text = Field(alias="indsats", description="Hvad der gøres (kolonnen Indsats).")
    objective: Text = Field(
        alias="målsætning", description="Hvad indsatsen skal opnå (kolonnen Målsætning)."
    )
    follow_up: Text = Field(
        alias="opfølgning", description="Hvordan der følges op (kolonnen Opfølgning)."
    )


class Activity(SourceModel):
    """One activity: its amounts are written once and feed every table they appear in."""

    name: Text = Field(alias="navn", description="Aktivitetens navn, som det står i Tabel 2.")
    appropriation_name: Text | None = Field(
        None,
        alias="bevillingsnavn",
        description="Et kortere navn i bevillingstabellen; uden det står navn der.",
    )
    area: Text = Field(
        alias="styringsområde", description="Styringsområdet: service, overførsler eller anlæg."
    )
    committee: Text = Field(alias="udvalg", description="Udvalgets kode, fx BIU.")
    appropriation: Text = Field(
        alias="bevilling",
        pattern=r"^\d{2}\.\d{2}$",
        description='Bevillingens nummer: to cifre, punktum, to cifre i anførselstegn, fx "35.10".',
    )
    direction: Literal["U", "I"] = Field(
        "U", alias="art", description="U for udgift (standard), I for indtægt."
    )
    amounts: AmountsByYear = Field(
        alias="beløb",
        description=(
            "Beløbene pr. år i notatets enhed, fx {2024: 6.240, 2025: 8.320}. Hvert beløb "
            "skrives én gang; tabellerne laves af dem."
        ),
    )
    total: Amount | None = Field(
        None, alias="i_alt", description="Rækkens angivne I alt; notebuild kontrollerer den."
    )


class Model(SourceModel):
    """A costed model of the proposal (BI07 has model 1 and model 2)."""

    name: Text = Field(alias="navn", description="Modellens navn, fx Model 1.")
    effect: list[EffectRow] = Field(
        alias="effekt", min_length=1, description="Modellens rækker i Tabel 1 (forventet effekt)."
    )
    activities: list[Activity] = Field(
        alias="aktiviteter", min_length=1, description="Modellens aktiviteter med beløb pr. år."
    )
    total: StatedTotal | None = Field(
        None,
        alias="i_alt",
        description="Modellens angivne Udgifter i alt (netto); notebuild kontrollerer dem.",
    )
    appropriation_totals: dict[str, StatedTotal] = Field(
        default_factory=dict,
        alias="bevilling_i_alt",
        description="Angivne Udgifter i alt i bevillingstabellerne, pr. styringsområde.",
    )


class EffectSection(SourceModel):
    """Forventet effekt og opfølgning: prose and, for a one-model note, the table rows."""

    text: Markdown | None = Field(
        None, alias="tekst", description="Tekst (Markdown) under Forventet effekt og opfølgning."
    )
    rows: list[EffectRow] | None = Field(
        None,
        alias="tabel",
        min_length=1,
        description="Rækkerne i Tabel 1, hver med målgruppe, indsats, målsætning og opfølgning.",
    )


class EconomySection(SourceModel):
    """Økonomi: prose and, for a one-model note, the activities and stated totals."""

    text: Markdown | None = Field(
        None, alias="tekst", description="Tekst (Markdown) under Økonomi, før tabellerne."
    )
    activities: list[Activity] | None = Field(
        None,
        alias="aktiviteter",
        min_length=1,
        description="Aktiviteterne med beløb pr. år; Tabel 2 og bevillingstabellerne laves af dem.",
    )
    total: StatedTotal | None = Field(
        None,
        alias="i_alt",
        description="Angivne Udgifter i alt (netto) i Tabel 2; notebuild kontrollerer dem.",
    )
    appropriation_totals: dict[str, StatedTotal] = Field(
        default_factory=dict,
        alias="bevilling_i_alt",
        description=(
            "Angivne Udgifter i alt i bevillingstabellerne, pr. styringsområde, fx service."
        ),
    )


class EarlierRow(SourceModel):
    """One earlier decision that set money aside ("Budgetaftale 2018")."""

    name: Text = Field(
        alias="navn", description="Beslutningen, der afsatte midlerne, fx Budgetaftale 2018."
    )
    amounts: AmountsByYear = Field(alias="beløb", description="Beløbene pr. år.")


class EarlierFunds(SourceModel):
    """Tidligere afsatte midler: earlier decisions per year, in current prices by default."""

    years: Years = Field(alias="år", description="Tabellens år, fx 2017-2024.")
    price_level: Text = Field(
        "løbende", alias="prisniveau", description="Prisniveauet; standard er løbende."
    )
    rows: list[EarlierRow] = Field(
        alias="bevillinger", min_length=1, description="Én række pr. tidligere beslutning."
    )
    total: StatedTotal | None = Field(
        None,
        alias="i_alt",
        description="Angivne Afsatte midler i alt pr. år; notebuild kontrollerer dem.",
    )


class NoteTexts(SourceModel):
    """The fixed texts of a budget note's tables.

    The kind declares them all (`tekster` in kinds/budgetnotat/kind.yaml); a note may word any
    of them as its document does, under its own `tekster` (see `merged`).
    """

    effect_caption: Text | None = Field(
        None,
        alias="effekttabel",
        description="Effekttabellens titel; standard er 'Oversigt over målsætning for effekter "
        "og evaluering'.",
    )
    effect_headers: Annotated[list[Text], Field(min_length=4, max_length=4)] | None = Field(
        None,
        alias="effektkolonner",
        description="Effekttabellens fire kolonneoverskrifter, fx [Målgruppe, Indsats, "
        "Målsætning, Opfølgning på og/eller evaluering af indsatsen].",
    )
    economy_caption: Text | None = Field(
        None,
        alias="økonomitabel",
        description="Økonomitabellens titel; standard er 'Oversigt over ønskets aktiviteter på "
        "alle styringsområder'.",
    )
    economy_headers: Annotated[list[Text], Field(min_length=2, max_length=2)] | None = Field(
        None,
        alias="økonomikolonner",
        description="Økonomitabellens to tekstkolonners overskrifter; standard er "
        "[Aktiviteter i forslaget, Styringsområde].",
    )
    economy_total: Text | None = Field(
        None,
        alias="økonomi_i_alt",
        description="Økonomitabellens totalrække; standard er 'Udgifter i alt (netto)'.",
    )
    appropriation_headers: Annotated[list[Text], Field(min_length=3, max_length=3)] | None = Field(
        None,
        alias="bevillingskolonner",
        description="Bevillingstabellernes tre tekstkolonners overskrifter; standard er "
        "[Udvalg, Bevilling, Indtægt/udgift (I/U)].",
    )
    appropriation_total: Text | None = Field(
        None,
        alias="bevilling_i_alt_navn",
        description="Bevillingstabellernes totalrække; standard er 'Udgifter i alt'.",
    )
    earlier_caption: Text | None = Field(
        None,
        alias="tidligere_tabel",
        description="Titlen på tabellen over tidligere afsatte midler; standard er 'Tidligere "
        "afsatte midler'.",
    )
    earlier_total: Text | None = Field(
        None,
        alias="tidligere_i_alt",
        description="Totalrækken i tabellen over tidligere afsatte midler; standard er "
        "'Afsatte midler i alt'.",
    )
    total_header: Text | None = Field(
        None,
        alias="i_alt_kolonne",
        description="Overskriften over tabellernes sidste kolonne; standard er 'I alt'.",
    )
    districts_caption: Text | None = Field(
        None,
        alias="bydeletabel",
        description="Titlen på skemaet over bydele; standard er 'Bydele'.",
    )
    citywide: Text | None = Field(
        None,
        alias="bydækkende",
        description="Bydeleskemaets første felt; standard er 'Bydækkende'.",
    )
    address: Text | None = Field(
        None,
        alias="adressetekst",
        description="Bydeleskemaets sidste felt; standard er 'Adresse'.",
    )
    headings: dict[str, Text] | None = Field(
        None,
        alias="overskrifter",
        description="Afsnitsoverskrifter, som notatet ordlyder anderledes end typen, pr. "
        "afsnittets felt, fx {effekt: Forventet effekt}.",
    )
    unit_line: Text | None = Field(
        None,
        alias="enhedslinje",
        description="Linjen med enhed og prisniveau i tabellernes hjørne; standard er fx "
        "'1.000 kr., 2023 p/l'.",
    )


# The sections the built-in model composes; the kind's `opbygning` orders and heads them.
SECTIONS = (
    "baggrund",
    "indhold",
    "effekt",
    "økonomi",
    "risikovurdering",
    "bevilling",
    "øvrige",
    "tidligere",
)

# The texts a kind must declare: all but the unit line, which is made of the note's unit and
# price level unless a note words it, and the headings, which the kind's `opbygning` holds.
KIND_TEXTS = tuple(n for n in NoteTexts.model_fields if n not in ("unit_line", "headings"))


def merged(kind: NoteTexts, note: NoteTexts) -> NoteTexts:
    """Return the kind's texts with those the note words itself in their place."""
    own = {name: getattr(note, name) for name in note.model_fields_set}
    return kind.model_copy(update={k: v for k, v in own.items() if v is not None})


class BudgetNote(SourceModel):
    """A budget note for the budget negotiations, one per proposal."""

    kind: Literal["budgetnotat"] = Field(alias="type", description="Dokumenttypen: budgetnotat.")
    id: Text = Field(
        alias="id",
        description=(
            "Forvaltningens forkortelse og et nummer, evt. med et bogstav, fx BI19 eller BI6b."
        ),
    )
    category: Text | None = Field(
        None,
        alias="kategori",
        description="Står foran titlen: Specifik udfordring, Need to eller Rettidig omhu.",
    )
    title: Text = Field(alias="titel", description="Notatets titel, uden id.")
    administration: Text = Field(
        alias="forvaltning",
        description="Forvaltningens kode, fx BIF; id'ets forkortelse skal passe til den.",
    )
    center: Text | None = Field(
        None,
        alias="center",
        description="Center eller enhed; vises under forvaltningen i afsenderblokken.",
    )
    unit: Text = Field(alias="enhed", description="Beløbenes enhed: kr., 1.000 kr. eller mio. kr.")
    price_level: Text = Field(
        alias="prisniveau", description="Prisniveauets år, fx 2023 (vises 2023 p/l), eller løbende."
    )
    years: Years = Field(
        alias="år", description="Notatets år, fx 2023-2027; hvert år får en kolonne i tabellerne."
    )
    background: Markdown = Field(alias="baggrund", description="Tekst (Markdown) under Baggrund.")
    content: Markdown = Field(alias="indhold", description="Tekst (Markdown) under Indhold.")
    # Optional as wholes: a note with `modeller` may have no shared prose. A one-model note
    # without its table or activities is reported by the rules, at the missing key.
    effect: EffectSection = Field(
        default_factory=EffectSection,
        alias="effekt",
        description=(
            "Forventet effekt og opfølgning: tekst og Tabel 1 (når notatet ikke har modeller)."
        ),
    )
    economy: EconomySection = Field(
        default_factory=EconomySection,
        alias="økonomi",
        description=(
            "Økonomi: tekst, aktiviteterne og de angivne totaler (når notatet ikke har modeller)."
        ),
    )
    models: list[Model] | None = Field(
        None,
        alias="modeller",
        min_length=1,
        description="Når forslaget har flere modeller: hver med navn, effekt og aktiviteter.",
    )
    risk: Markdown = Field(
        alias="risikovurdering", description="Tekst (Markdown) under Risikovurdering og proces."
    )
    districts: Literal["bydækkende"] | list[Text] = Field(
        alias="bydele", description="bydækkende, eller en liste af bydele, fx [Nørrebro, Valby]."
    )
    address: Text | None = Field(None, alias="adresse", description="Adressen i bydelsskemaet.")
    earlier_funds: EarlierFunds | None = Field(
        None, alias="tidligere_afsatte_midler", description="Tabellen Tidligere afsatte midler."
    )
    texts: NoteTexts = Field(
        default_factory=NoteTexts,
        alias="tekster",
        description="Tabellernes faste tekster, når notatet skal ordlyde dem som dokumentet; "
        "standarden står i typens kind.yaml.",
    )

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
