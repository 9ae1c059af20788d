"""What a comparison of two documents found: changed words, cells, rows, tables and sections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["same", "changed", "added", "removed"]


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of text that is unchanged ("same"), inserted ("ins") or deleted ("del")."""

    change: Literal["same", "ins", "del"]
    text: str


@dataclass(frozen=True, slots=True)
class UnitDiff:
    """One paragraph, list item or line of a section, and how it changed."""

    status: Status
    kind: str  # "p", "li", "quote", "heading", "line"
    label: str  # shown before the text, e.g. "Titel" or "Underskrift"; may be empty
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A run of unchanged paragraphs left out of the page."""

    count: int


@dataclass(frozen=True, slots=True)
class CellDiff:
    """One cell: its old and new text (None where the row or column did not exist)."""

    old: str | None
    new: str | None
    difference: str = ""  # e.g. "+100" for a figure that moved

    @property
    def status(self) -> Status:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "same" if self.old == self.new else "changed"


@dataclass(frozen=True, slots=True)
class ColumnDiff:
    label: str
    old_label: str
    status: Status
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class RowDiff:
    status: Status
    role: str
    cells: tuple[CellDiff, ...]  # one per column of the TableDiff; the first names the row


@dataclass(frozen=True, slots=True)
class MovedTotal:
    """A total whose figure changed, e.g. Udgifter i alt, 2025: 8.320 → 8.420 (+100)."""

    table: str
    row: str
    column: str
    old: str
    new: str
    difference: str

    @property
    def text(self) -> str:
        change = f"{self.old or '(tom)'} → {self.new or '(tom)'}"
        return f"{self.row}, {self.column}: {change}" + (
            f" ({self.difference})" if self.difference else ""
        )


@dataclass(frozen=True, slots=True)
class TableDiff:
    label: str  # as printed in the new document ("Tabel 2 - ..."), or the old for a removed one
    old_label: str
    status: Status
    columns: tuple[ColumnDiff, ...]
    rows: tuple[RowDiff, ...]
    header_changes: tuple[str, ...] = ()
    moved_totals: tuple[MovedTotal, ...] = ()

    @property
    def changed_cells(self) -> int:
        """Return how many cells of rows in both versions changed, totals not counted."""
        return sum(
            1
            for row in self.rows
            if row.status == "changed"
            for c in row.cells
            if c.status == "changed"
        ) - len(self.moved_totals)

    def rows_with(self, status: Status) -> int:
        return sum(1 for row in self.rows if row.status == status)


@dataclass(frozen=True, slots=True)
class SectionDiff:
    title: str
    status: Status
    title_pieces: tuple[Piece, ...]  # the heading, word by word when it was renamed
    items: tuple[UnitDiff | Unchanged, ...] = ()
    tables: tuple[TableDiff, ...] = ()

    @property
    def renamed(self) -> bool:
        return any(p.change != "same" for p in self.title_pieces)


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    """Everything that changed between two documents, in the new document's order."""

    sections: tuple[SectionDiff, ...]
    unchanged_sections: tuple[str, ...] = ()

    @property
    def identical(self) -> bool:
        return not self.sections

    def count(self, status: Status) -> int:
        return sum(1 for s in self.sections if s.status == status)

    @property
    def tables(self) -> list[TableDiff]:
        return [t for s in self.sections for t in s.tables]

    @property
    def moved_totals(self) -> list[MovedTotal]:
        return [m for t in self.tables for m in t.moved_totals]

    @property
    def changed_cells(self) -> int:
        return sum(t.changed_cells for t in self.tables)

    def summary(self) -> str:
        """Return the changes in one Danish sentence, e.g. "2 afsnit ændret, 1 celle ændret"."""
        if self.identical:
            return "Ingen ændringer."
        tables = self.tables
        parts = [
            _count(self.count("changed"), "afsnit ændret", "afsnit ændret"),
            _count(self.count("added"), "afsnit tilføjet", "afsnit tilføjet"),
            _count(self.count("removed"), "afsnit fjernet", "afsnit fjernet"),
            _count(
                sum(1 for t in tables if t.status == "added"), "tabel tilføjet", "tabeller tilføjet"
            ),
            _count(
                sum(1 for t in tables if t.status == "removed"), "tabel fjernet", "tabeller fjernet"
            ),
            _count(self.changed_cells, "celle ændret", "celler ændret"),
            _count(
                sum(t.rows_with("added") for t in tables if t.status == "changed"),
                "række tilføjet",
                "rækker tilføjet",
            ),
            _count(
                sum(t.rows_with("removed") for t in tables if t.status == "changed"),
                "række fjernet",
                "rækker fjernet",
            ),
            _count(len(self.moved_totals), "total flyttet", "totaler flyttet"),
        ]
        return ", ".join(p for p in parts if p) + "."


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}" if n else ""
