"""A budget round's activities as rows, their sums, and the CSV and XLSX a finance department reads.

One row per note, model, activity and year, with the amount signed as in the notes'
appropriation tables (an income, art I, is negative), so a column sum is the net expense.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .workbook import workbook_bytes

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..kind.organisation import Organisation
    from ..kind.round_spec import ActivitiesSpec

HEADERS = (
    "Notat",
    "Titel",
    "Model",
    "Modelnavn",
    "Aktivitet",
    "Udvalg",
    "Styringsområde",
    "Bevilling",
    "I/U",
    "År",
    "Beløb",
    "Enhed",
    "Prisniveau",
)
SHEET_TITLE = "Aktiviteter"
# Fixed so that the same activities give the same bytes (a build system and a reviewer diff).
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """One activity's amount in one year, in one model of one budget note."""

    note: str
    title: str
    model: int  # 1-based; a note without `modeller` has model 1
    model_name: str  # "" for a note without `modeller`
    activity: str
    committee: str
    area: str
    appropriation: str
    direction: str
    year: int
    amount: Decimal  # signed: an income (I) is negative
    unit: str
    price_level: str
    decimals: int

    def values(self) -> tuple[object, ...]:
        """Return the row's cells in the order of HEADERS."""
        return (
            self.note,
            self.title,
            self.model,
            self.model_name,
            self.activity,
            self.committee,
            self.area,
            self.appropriation,
            self.direction,
            self.year,
            self.amount,
            self.unit,
            self.price_level,
        )

    def to_json(self) -> dict[str, object]:
        # Field by field: dataclasses.asdict deep-copies every value, a build's slowest part.
        data: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        data["amount"] = str(self.amount)
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ActivityRow:
        return cls(**{**data, "amount": Decimal(str(data["amount"]))})  # type: ignore[arg-type]


def activity_rows(
    spec: ActivitiesSpec, note: BaseModel, identifier: str, title: str, org: Organisation
) -> list[ActivityRow]:
    """Return the note's activities as its kind declares them (`runde: aktiviteter:` in its
    kind.yaml), one row per model, activity and year with an amount."""
    # Here: a build's parent process reads rows (ActivityRow) but never makes them, and must
    # not import the schema (pydantic, ~0.1 s) before its workers start.
    from ..kind.round_spec import activities, text_at

    unit_code = text_at(note, spec.unit)
    unit = org.units.get(unit_code)
    decimals = unit.decimals if unit else 0
    price_level = text_at(note, spec.price_level)
    rows = []
    for activity in activities(spec, note):
        area = org.areas.get(activity.area)
        sign = -1 if activity.direction == "I" else 1
        for year in sorted(activity.amounts):
            rows.append(
                ActivityRow(
                    note=identifier,
                    title=title,
                    model=activity.model,
                    model_name=activity.model_name,
                    activity=activity.name,
                    committee=activity.committee,
                    area=area.name if area else activity.area,
                    appropriation=activity.appropriation,
                    direction=activity.direction,
                    year=year,
                    amount=sign * activity.amounts[year],
                    unit=unit_code,
                    price_level=price_level,
                    decimals=decimals,
                )
            )
    return rows


# --- sums ---------------------------------------------------------------------------------


def scenario(rows: Iterable[ActivityRow], model: int) -> list[ActivityRow]:
    """Return the rows of model `model` of each note; a note with fewer models gives its last.

    Models of one note are alternatives, so a sum takes one model from each note: "model 2"
    is every note's model 2 where it has one, and its only (or last) model where it has not.
    """
    rows = list(rows)
    last: dict[str, int] = {}
    for row in rows:
        last[row.note] = max(last.get(row.note, 0), row.model)
    return [row for row in rows if row.model == min(model, last[row.note])]


@dataclass(frozen=True, slots=True)
class Sums:
    """Sums per year of each group (a committee, an area, a note), in first-seen order."""

    years: tuple[int, ...]
    groups: dict[str, dict[int, Decimal]]

    def total(self, group: str) -> Decimal:
        return sum(self.groups[group].values(), Decimal(0))

    def year_total(self, year: int) -> Decimal:
        return sum((amounts.get(year, Decimal(0)) for amounts in self.groups.values()), Decimal(0))

    def grand_total(self) -> Decimal:
        return sum((self.total(group) for group in self.groups), Decimal(0))


def sums_by(rows: Iterable[ActivityRow], key: Callable[[ActivityRow], str]) -> Sums:
    """Return the rows' amounts summed per `key` and year."""
    rows = list(rows)
    groups: dict[str, dict[int, Decimal]] = {}
    for row in rows:
        amounts = groups.setdefault(key(row), {})
        amounts[row.year] = amounts.get(row.year, Decimal(0)) + row.amount
    return Sums(tuple(sorted({row.year for row in rows})), groups)


# --- files --------------------------------------------------------------------------------


def _csv_amount(value: Decimal) -> str:
    """Return an amount as Danish Excel reads it: no thousands separator, decimal comma."""
    return f"{value:f}".replace(".", ",")


# A text cell starting with one of these is a formula to Excel, LibreOffice and Sheets
# (=HYPERLINK("http://…"&A1) sends the sheet away). As OWASP's "CSV Injection" page advises,
# such a cell gets a leading apostrophe, which the spreadsheet shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> str:
    """Return a text cell that no spreadsheet reads as a formula and that stays on its row."""
    text = " ".join(str(value).splitlines())  # a line break would split the row in many tools
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(rows: Iterable[ActivityRow]) -> bytes:
    """Return the rows as CSV for Danish Excel: UTF-8 with BOM, ';' between fields.

    Amounts and years are written as numbers; every other cell as inert text (csv_text).
    """
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    text = _CsvTexts()  # a round repeats its texts: each made inert once, not per cell
    writer.writerows(
        (
            text[row.note],
            text[row.title],
            row.model,
            text[row.model_name],
            text[row.activity],
            text[row.committee],
            text[row.area],
            text[row.appropriation],
            text[row.direction],
            row.year,
            _csv_amount(row.amount),
            text[row.unit],
            text[row.price_level],
        )
        for row in rows
    )
    return stream.getvalue().encode("utf-8-sig")


class _CsvTexts(dict[str, str]):
    """Each distinct text as its CSV cell (csv_text), made the first time it is asked for."""

    def __missing__(self, value: str) -> str:
        cell = self[value] = csv_text(value)
        return cell


def xlsx_bytes(rows: Iterable[ActivityRow]) -> bytes:
    """Return the rows as an Excel workbook: numbers as numbers, a frozen bold header row.

    Written as SpreadsheetML text (workbook.py), a round's ten thousand rows in tens of
    milliseconds; every text is written as text (a title starting with "=" is no formula).
    """
    properties = {
        "title": "Budgetnotaternes aktiviteter",
        "creator": "notebuild",
        "created": FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return workbook_bytes(list(rows), HEADERS, SHEET_TITLE, properties)
