"""The field types a kind's schema is written in: each name a kind.yaml may use, and its model.

A kind (kinds/<type>/kind.yaml) lists its fields by these names; the parts that need rules or
a layout (a recommendation's clauses, a decision's protocol remarks, a finance table) are
models here, so every kind that uses them is checked and rendered the same way.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, PlainValidator, Tag
from pydantic_core import PydanticCustomError

from .common import Markdown, SourceModel, Text, Year
from .finance import FinanceTable

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LONG = re.compile(r"(\d{1,2})\.\s+(\w+)\s+(\d{4})")
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


class Day(date):
    """A date that prints the Danish ways: "17.06.2024" and (as `.lang`) "17. juni 2024"."""

    def __str__(self) -> str:
        return f"{self.day:02d}.{self.month:02d}.{self.year}"

    @property
    def lang(self) -> str:
        return f"{self.day}. {MONTHS[self.month - 1]} {self.year}"


def parse_day(value: Any) -> Day:
    """Return the date in "17.06.2024", "2024-06-17" or "8. april 2013"."""
    text = str(value).strip() if value is not None else ""
    parts: tuple[int, int, int] | None = None
    if match := _DOTTED.fullmatch(text):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := _ISO.fullmatch(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif (match := _LONG.fullmatch(text)) and match[2].lower() in MONTHS:
        parts = (int(match[3]), MONTHS.index(match[2].lower()) + 1, int(match[1]))
    try:
        if parts is None:
            raise ValueError
        return Day(*parts)
    except ValueError:
        raise PydanticCustomError(
            "bad_date",
            "'{value}' er ikke en dato. Skriv fx 17.06.2024 eller 8. april 2013.",
            {"value": text},
        ) from None


def parse_time(value: Any) -> str:
    """Return a time of day as "16:00"."""
    text = str(value).strip() if value is not None else ""
    match = _TIME.fullmatch(text)
    if match is None:
        raise PydanticCustomError(
            "bad_date", "'{value}' er ikke et klokkeslæt. Skriv fx 16:00.", {"value": text}
        )
    return f"{int(match[1]):02d}:{match[2]}"


DateField = Annotated[Day, PlainValidator(parse_day)]
TimeField = Annotated[str, BeforeValidator(parse_time)]


class Attachment(SourceModel):
    """One attachment in the "Se alle bilag" list."""

    title: Text = Field(
        alias="titel", description='Bilagets titel, fx "Bilag 1: Nuværende samarbejder".'
    )
    link: Text | None = Field(
        None, alias="link", description="Adressen på bilaget (http, https eller mailto)."
    )


class Recommendation(SourceModel):
    """Indstilling: who recommends, to whom, and the numbered "at …" clauses.

    Who recommends is a forvaltning (`forvaltning`) or any body (`indstiller`: a forvaltning,
    an udvalg, Borgerrepræsentationen or a lokaludvalg); the field rules require one of them
    when the kind's sentence names the recommender.
    """

    administration: Text | None = Field(
        None, alias="forvaltning", description="Den indstillende forvaltnings kode, fx BIF."
    )
    recommender: Text | None = Field(
        None,
        alias="indstiller",
        description="Koden på den, der indstiller, når det ikke er en forvaltning: et udvalg, "
        "BR (Borgerrepræsentationen) eller et lokaludvalg, fx AVLU.",
    )
    committee: Text | None = Field(
        None,
        alias="over_for",
        description="Koden på den, indstillingen er over for: et udvalg, BR eller et lokaludvalg.",
    )
    clauses: list[Text] = Field(
        alias="punkter",
        min_length=1,
        description="Punkterne; hvert begynder med 'at' og skrives uden nummer og tegn til sidst.",
    )


class Point(SourceModel):
    """A numbered point with a bold lead-in ("Kompetent til job (+30):")."""

    lead: Text = Field(
        alias="overskrift", description="Punktets fede indledning, fx Kompetent til job (+30)."
    )
    text: Markdown = Field(alias="tekst", description="Punktets tekst (Markdown).")


class Signatory(SourceModel):
    """A member who signs: name and party letter."""

    name: Text = Field(alias="navn", description="Medlemmets navn.")
    party: Text = Field(alias="parti", description="Partiets listebogstav, fx A.")


class Remark(SourceModel):
    """A protocol remark: the party that made it, the parties that joined, the remark."""

    party: Text = Field(
        alias="parti", description="Listebogstavet på det parti, der fremsatte bemærkningen."
    )
    joined: list[Text] = Field(
        default_factory=list,
        alias="tilsluttet",
        description="Listebogstaverne på de partier, der tilsluttede sig.",
    )
    text: Markdown = Field(alias="tekst", description="Bemærkningens tekst (Markdown).")


class Decision(SourceModel):
    """Beslutning: what the committee decided, and any protocol remarks."""

    text: Markdown = Field(alias="tekst", description="Udvalgets beslutning (Markdown).")
    remarks: list[Remark] = Field(
        default_factory=list,
        alias="protokolbemærkninger",
        description="Protokolbemærkningerne, hver med parti, tilsluttet og tekst.",
    )


class TableItem(SourceModel):
    """A finance table placed in running prose."""

    table: FinanceTable = Field(alias="tabel", description="En økonomitabel i teksten.")


def _content_kind(value: Any) -> str:
    return "list[indhold]" if isinstance(value, list) else "str"


def _item_kind(value: Any) -> str:
    return "[tabel]" if isinstance(value, dict) else "str"


# Prose, or prose and tables in the author's order. The discriminators let a problem speak of
# the branch the author wrote (a list, a table) instead of every branch pydantic tried; their
# tag names read as type names, so validate leaves them out of the path.
ContentItem = Annotated[
    Annotated[Markdown, Tag("str")] | Annotated[TableItem, Tag("[tabel]")],
    Discriminator(_item_kind),
]
Content = Annotated[
    Annotated[Markdown, Tag("str")] | Annotated[list[ContentItem], Tag("list[indhold]")],
    Discriminator(_content_kind),
]


class Section(SourceModel):
    """An extra section, in the author's order: where the kind puts its field, or `efter` the
    section of the field it names (e.g. `efter: løsning`)."""

    heading: Text = Field(alias="overskrift", description="Afsnittets overskrift.")
    content: Content = Field(
        alias="tekst",
        description="Afsnittets tekst (Markdown), eller en liste af tekst og tabeller.",
    )
    after: Text | None = Field(
        None,
        alias="efter",
        description="Feltet, hvis afsnit dette afsnit skal stå efter, fx løsning.",
    )


Kind_ = Literal[
    "tekst",
    "markdown",
    "dato",
    "klokkeslæt",
    "år",
    "udvalg",
    "forvaltning",
    "lokaludvalg",
    "liste",
    "bilag",
    "indstilling",
    "punkter",
    "underskrivere",
    "underskrift",
    "beslutning",
    "indhold",
    "afsnit",
    "finanstabel",
]

# The annotation each field type validates with.
ANNOTATIONS: dict[str, Any] = {
    "tekst": Text,
    "markdown": Markdown,
    "dato": DateField,
    "klokkeslæt": TimeField,
    "år": Year,
    "udvalg": Text,
    "forvaltning": Text,
    "lokaludvalg": Text,
    "liste": Annotated[list[Markdown], Field(min_length=1)],
    "bilag": Annotated[list[Attachment], Field(min_length=1)],
    "indstilling": Recommendation,
    "punkter": Annotated[list[Point], Field(min_length=1)],
    "underskrivere": Annotated[list[Signatory], Field(min_length=1)],
    "underskrift": Annotated[list[Text], Field(min_length=1)],
    "beslutning": Decision,
    "indhold": Content,
    "afsnit": Annotated[list[Section], Field(min_length=1)],
    "finanstabel": FinanceTable,
}
