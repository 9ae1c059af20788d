"""Word tables as a kind's tables: header rows, column roles, rows, totals, amounts as printed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .source_data import Amount, Flow, Notice
from .word_amounts import read_amount
from .word_document import Cell, Table
from .word_layout import cell_place, normal

_YEAR = re.compile(r"^(19|20)\d\d$")
_UNIT = re.compile(r"(mio\.?\s*kr\.?|1[.\s]?000\s*kr\.?|\bkr\.)", re.IGNORECASE)
_PRICE = re.compile(r"(\d{4})\s*-?\s*p\s*/\s*l|(løbende)\s*p\s*/\s*l", re.IGNORECASE)


def unit_of(text: str) -> str | None:
    """Return the unit a header names ("1.000 kr., 2023 p/l" -> "1.000 kr.")."""
    match = _UNIT.search(text)
    if not match:
        return None
    found = match[1].casefold().replace(" ", "")
    if found.startswith("mio"):
        return "mio. kr."
    if found.startswith("1"):
        return "1.000 kr."
    return "kr."


def price_level_of(text: str) -> str | None:
    """Return the price level a header names: "2023" or "løbende"."""
    match = _PRICE.search(text)
    if not match:
        return None
    return match[1] or "løbende"


@dataclass(slots=True)
class Column:
    index: int
    header: str
    year: int | None = None


@dataclass(slots=True)
class BodyRow:
    index: int  # row in the Word table, 0-based
    cells: list[Cell]

    def text(self, column: int) -> str:
        return " ".join(self.cells[column].text.split()) if column < len(self.cells) else ""

    @property
    def name(self) -> str:
        return self.text(0)

    @property
    def bold(self) -> bool:
        runs = [r for p in self.cells[0].paragraphs for r in p.runs if r.text.strip()]
        return bool(runs) and all(r.bold for r in runs)

    @property
    def italic(self) -> bool:
        runs = [r for p in self.cells[0].paragraphs for r in p.runs if r.text.strip()]
        return bool(runs) and all(r.italic for r in runs)


@dataclass(slots=True)
class Grid:
    """A table read as header columns and body rows."""

    table: Table
    columns: list[Column]
    header_text: str
    rows: list[BodyRow] = field(default_factory=list)

    @property
    def years(self) -> list[Column]:
        return [c for c in self.columns if c.year is not None]

    def column(self, *words: str) -> Column | None:
        for word in words:
            for column in self.columns:
                if word in normal(column.header):
                    return column
        return None

    def place(self, row: BodyRow | int, column: Column | int | None = None) -> str:
        index = row.index if isinstance(row, BodyRow) else row
        if column is None:
            return cell_place(self.table, index, 0, "").rsplit(", kolonne", 1)[0]
        col = column if isinstance(column, Column) else self.columns[column]
        return cell_place(self.table, index, col.index, col.header)


def grid(table: Table) -> Grid:
    """Return a table's columns (named by the header rows, merged cells included) and rows."""
    rows = table.rows
    header_count = table.header_rows or 1
    for index, row in enumerate(rows[:4]):
        if any(_YEAR.match(c.text) for c in row if not c.covered):
            header_count = max(header_count, index + 1)
            break
    header_count = min(header_count, len(rows))
    width = table.width
    columns = []
    for col in range(width):
        texts = []
        for row in rows[:header_count]:
            cell = _owner(row, col)
            if cell is not None and cell.text and cell.text not in texts:
                texts.append(cell.text)
        header = " ".join(" ".join(texts).split())
        bottom = rows[header_count - 1][col] if rows and col < len(rows[header_count - 1]) else None
        year = None
        if bottom is not None and not bottom.covered and _YEAR.match(bottom.text):
            year = int(bottom.text)
        columns.append(Column(col, header if year is None else str(year), year))
    body = [
        BodyRow(index, row)
        for index, row in enumerate(rows[header_count:], start=header_count)
        if any(c.text for c in row)
    ]
    header_text = " ".join(c.header for c in columns)
    return Grid(table, columns, header_text, body)


def _owner(row: list[Cell], col: int) -> Cell | None:
    """Return the cell that shows in grid column `col`: a spanning cell to its left included."""
    while col >= 0 and col < len(row):
        if not row[col].covered or row[col].paragraphs:
            return row[col]
        col -= 1
    return None


def is_total(row: BodyRow, last: bool) -> bool:
    """Return whether a row states a total ("Udgifter i alt", "I alt", "… i alt")."""
    name = normal(row.name)
    return (
        name == "i alt"
        or name.endswith(" i alt")
        or (" i alt " in f" {name} " and (last or row.bold))
    )


class AmountReader:
    """Reads amounts from cells, noting each that cannot be read, with its place."""

    def __init__(self, notices: list[Notice], places: dict[tuple[str, ...], str]) -> None:
        self.notices = notices
        self.places = places

    def amounts(
        self,
        grid: Grid,
        row: BodyRow,
        columns: list[Column],
        path: tuple | None,
        *,
        dash_is_zero: bool,
    ) -> Flow:
        """Return the row's amounts by column key (year or header), as printed."""
        out = Flow()
        for column in columns:
            where = (*path, _key(column)) if path is not None else None
            value = self.cell(grid, row, column, where, dash_is_zero=dash_is_zero)
            if value is not None:
                out[_key(column)] = value
        return out

    def cell(
        self, grid: Grid, row: BodyRow, column: Column, path: tuple | None, *, dash_is_zero: bool
    ) -> Amount | None:
        """Return the amount in one cell (recording its place under `path`, when given)."""
        raw = row.text(column.index)
        read = read_amount(raw)
        place = grid.place(row, column)
        if read.error:
            self.notices.append(
                Notice(
                    "word-amount",
                    f"'{raw}' kan ikke læses som et beløb ({read.error}); cellen er sprunget over",
                    place,
                    "error",
                    "Ret tallet i Word, fx til 8.320, 0,5 eller (1.260) for et negativt beløb.",
                )
            )
            return None
        if read.empty or (read.zero_dash and not dash_is_zero):
            return None
        if path is not None:
            self.places[tuple(str(p) for p in path)] = place
        return Amount(read.text)


def _key(column: Column) -> int | str:
    return column.year if column.year is not None else column.header
