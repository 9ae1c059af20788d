"""What a kind declares for the budget round (`runde:` in kind.yaml), and reading it off a note.

The round (the overview, aktiviteter.csv/xlsx) knows no kind: it asks the kind which field holds
a note's title and administration, which rows are its activities and which of their keys hold
udvalg, styringsområde, bevilling, art and the amounts per year. A kind that declares no
activities has none in the round's sums and files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import BaseModel, Field

from .schema.common import SourceModel


class FromNote(SourceModel):
    """A value every activity of a note shares: a field of the note, not a key of its rows."""

    field: str = Field(alias="felt")


# A key of each activity row, or `{felt: …}`, a field of the note.
RowValue = str | FromNote


class ModelsSpec(SourceModel):
    """Alternative models of one note (BI07's model 1 and 2): each has its own activities."""

    list_: str = Field(alias="liste")
    name: str = Field("navn", alias="navn")
    rows: str = Field(alias="rækker")


class ActivitiesSpec(SourceModel):
    """Which rows of a note are its activities, and where each of their values stands."""

    rows: str = Field(alias="rækker")
    # A key under which a row holds rows of its own (a finance table's group): walked into.
    groups: str | None = Field(None, alias="grupper")
    models: ModelsSpec | None = Field(None, alias="modeller")
    name: RowValue = Field("navn", alias="navn")
    committee: RowValue = Field(alias="udvalg")
    area: RowValue = Field(alias="styringsområde")
    appropriation: RowValue = Field(alias="bevilling")
    direction: RowValue = Field("art", alias="art")
    amounts: str = Field("beløb", alias="beløb")
    unit: str = Field(alias="enhed")  # the note's fields
    price_level: str | None = Field(None, alias="prisniveau")

    def note_fields(self) -> list[tuple[tuple[str, ...], str]]:
        """Return each of the note's fields this names, with the key naming it."""
        named = [(("enhed",), self.unit), (("rækker",), self.rows)]
        if self.price_level:
            named.append((("prisniveau",), self.price_level))
        if self.models:
            named.append((("modeller", "liste"), self.models.list_))
        for key, value in (
            ("navn", self.name),
            ("udvalg", self.committee),
            ("styringsområde", self.area),
            ("bevilling", self.appropriation),
            ("art", self.direction),
        ):
            if isinstance(value, FromNote):
                named.append(((key, "felt"), value.field))
        return named


class RoundSpec(SourceModel):
    """A kind's `runde:` block."""

    title: str | None = Field(None, alias="titel")
    administration: str | None = Field(None, alias="forvaltning")
    activities: ActivitiesSpec | None = Field(None, alias="aktiviteter")

    def note_fields(self) -> list[tuple[tuple[str, ...], str]]:
        """Return each field of the note this block names, with the path of its key."""
        named = [((key,), value) for key, value in (("titel", self.title),) if value]
        if self.administration:
            named.append((("forvaltning",), self.administration))
        if self.activities:
            named += [(("aktiviteter", *p), v) for p, v in self.activities.note_fields()]
        return named


# --- reading a note -----------------------------------------------------------------------


@cache
def _attributes(model: type[BaseModel]) -> dict[str, str]:
    """Return a model's attribute names by the source keys (aliases) its fields are read from."""
    return {info.alias or name: name for name, info in model.model_fields.items()}


def value_at(value: Any, path: str) -> Any:
    """Return what stands at `path` ("økonomi.aktiviteter") in a typed source, or None."""
    for key in path.split("."):
        if value is None:
            return None
        if isinstance(value, BaseModel):
            name = _attributes(type(value)).get(key)
            value = getattr(value, name) if name else None
        elif isinstance(value, dict):
            value = value.get(key)
        else:
            return None
    return value


@dataclass(frozen=True, slots=True)
class DeclaredActivity:
    """One activity row as its kind declares it, with its amounts per year (unsigned)."""

    model: int  # 1-based
    model_name: str
    name: str
    committee: str
    area: str
    appropriation: str
    direction: str
    amounts: dict[int, Decimal]


def text_at(note: BaseModel, path: str | None) -> str:
    """Return the text a note holds at `path`, or "" when it holds none."""
    value = value_at(note, path) if path else None
    return "" if value is None else str(value)


def activities(spec: ActivitiesSpec, note: BaseModel) -> Iterator[DeclaredActivity]:
    """Yield the note's activities: of each model when it has models, else of the note."""
    models = value_at(note, spec.models.list_) if spec.models else None
    if spec.models and models:
        for number, model in enumerate(models, 1):
            name = text_at(model, spec.models.name)
            for row in _rows(spec, value_at(model, spec.models.rows)):
                yield _activity(spec, note, row, number, name)
        return
    for row in _rows(spec, value_at(note, spec.rows)):
        yield _activity(spec, note, row, 1, "")


def _rows(spec: ActivitiesSpec, rows: Any) -> Iterator[Any]:
    for row in rows or ():
        inner = value_at(row, spec.groups) if spec.groups else None
        if inner:
            yield from _rows(spec, inner)
        elif isinstance(value_at(row, spec.amounts), dict):
            yield row


def _activity(
    spec: ActivitiesSpec, note: BaseModel, row: Any, model: int, model_name: str
) -> DeclaredActivity:
    def get(value: RowValue) -> str:
        found = value_at(note, value.field) if isinstance(value, FromNote) else value_at(row, value)
        return "" if found is None else str(found)

    amounts: dict[int, Decimal] = {}
    for year, amount in value_at(row, spec.amounts).items():
        if amount is not None and str(year).strip().isdigit():
            amounts[int(str(year).strip())] = amount
    return DeclaredActivity(
        model=model,
        model_name=model_name,
        name=get(spec.name),
        committee=get(spec.committee),
        area=get(spec.area),
        appropriation=get(spec.appropriation),
        direction=get(spec.direction) or "U",
        amounts=amounts,
    )
