"""Build a Word table (w:tbl) from a model table, element by element.

python-docx's table API finds each cell through the whole grid and walks the XML again for
every property it sets, which made tables most of a budget note's render time. This module
builds the same elements Word would get from that API — table properties, grid, rows, cells
and their first paragraph — directly with lxml; the writer fills each cell's paragraph.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from notebuild.document import Cell, Row, Table

_VAL = qn("w:val")
_W = qn("w:w")
_TYPE = qn("w:type")
_TBL_PR = qn("w:tblPr")
_TBL_GRID = qn("w:tblGrid")
_GRID_COL = qn("w:gridCol")
_TR = qn("w:tr")
_TR_PR = qn("w:trPr")
_TC = qn("w:tc")
_TC_PR = qn("w:tcPr")
_TC_W = qn("w:tcW")
_GRID_SPAN = qn("w:gridSpan")
_SHD = qn("w:shd")
_V_ALIGN = qn("w:vAlign")
_P = qn("w:p")
_P_PR = qn("w:pPr")
_P_STYLE = qn("w:pStyle")
_JC = qn("w:jc")

# Word 2007's bitmask form of the tblLook flags: 0x20 first row, 0x200/0x400 no banding.
_LOOK_FIRST_ROW = 0x20
_LOOK_NO_BANDS = 0x200 | 0x400

# Fills a cell's paragraph (a w:p) with the model cell's content, bold and/or italic.
FillCell = Callable[[BaseOxmlElement, Cell, bool, bool], None]


@dataclass(frozen=True, slots=True)
class TableLook:
    """What the template gives every table: its style ids, header fill and cell margins."""

    table_style: str
    text_style: str
    header_fill: str | None  # the style's first-row fill, repeated on further header rows
    margin: int  # left and right cell margin, in twips


def table_element(
    table: Table,
    widths: Sequence[int],
    look: TableLook,
    description: str,
    fill: FillCell,
) -> BaseOxmlElement:
    """Return the w:tbl for `table`: full text width, columns `widths` twips wide.

    Header rows repeat on every page and stay whole; every row is kept on one page. Each
    cell's paragraph has the table-text style and the column's alignment, and `fill` writes
    its content (header, total and group rows bold; group rows italic).
    """
    tbl = OxmlElement("w:tbl")
    _table_properties(tbl, look, bool(table.header), table.label, description)
    grid = tbl.makeelement(_TBL_GRID)
    tbl.append(grid)
    for width in widths:
        _child(grid, _GRID_COL, (_W, str(width)))
    columns = table.columns
    cells = _Cells(tbl, widths, look.text_style)
    for index, row in enumerate((*table.header, *table.body)):
        in_header = index < len(table.header)
        is_header = in_header or row.role == "header"
        tr = _child(tbl, _TR)
        tr_pr = _child(tr, _TR_PR)
        _child(tr_pr, qn("w:cantSplit"))
        if in_header:
            _child(tr_pr, qn("w:tblHeader"))
        shaded = look.header_fill if in_header and index > 0 else None
        bold = is_header or row.role in ("total", "group")
        italic = row.role == "group"
        vertical = "bottom" if is_header else "top"
        for cell, column in _placed(row, len(columns)):
            key = (column, cell.colspan, shaded, vertical, columns[column].align)
            fill(cells.add(tr, key), cell, bold, italic)
    return tbl


def _table_properties(
    tbl: BaseOxmlElement, look: TableLook, first_row: bool, title: str, description: str
) -> None:
    """Add w:tblPr: style, full width, fixed layout, margins, look, caption and description."""
    pr = _child(tbl, _TBL_PR)
    _child(pr, qn("w:tblStyle"), (_VAL, look.table_style))
    _child(pr, qn("w:tblW"), (_TYPE, "pct"), (_W, "5000"))
    _child(pr, qn("w:tblLayout"), (_TYPE, "fixed"))
    # The style says the same margins, but LibreOffice ignores a table style's cell margins.
    margins = _child(pr, qn("w:tblCellMar"))
    for side in ("w:left", "w:right"):
        _child(margins, qn(side), (_W, str(look.margin)), (_TYPE, "dxa"))
    flags = _LOOK_NO_BANDS | (_LOOK_FIRST_ROW if first_row else 0)
    _child(
        pr,
        qn("w:tblLook"),
        (_VAL, f"{flags:04X}"),
        (qn("w:firstRow"), "1" if first_row else "0"),
        (qn("w:lastRow"), "0"),
        (qn("w:firstColumn"), "0"),
        (qn("w:lastColumn"), "0"),
        (qn("w:noHBand"), "1"),
        (qn("w:noVBand"), "1"),
    )
    _child(pr, qn("w:tblCaption"), (_VAL, title))
    if description:
        _child(pr, qn("w:tblDescription"), (_VAL, description))


def _placed(row: Row, ncols: int) -> list[tuple[Cell, int]]:
    """Return each cell of the row with the grid column it starts in."""
    placed = []
    column = 0
    for cell in row.cells:
        if column + cell.colspan > ncols:
            raise ValueError(f"Rækken har flere celler end tabellens {ncols} kolonner.")
        placed.append((cell, column))
        column += cell.colspan
    if column < ncols:  # a short row is padded with empty cells, as Word's grid needs
        placed += [(Cell(()), c) for c in range(column, ncols)]
    return placed


# A cell's first column, span, fill (or None), vertical and horizontal alignment.
_Look = tuple[int, int, str | None, str, str]


class _Cells:
    """Adds cells to rows as copies of one empty cell per look, built once per table.

    Copying a finished w:tc is one call into lxml; building it is eight.
    """

    def __init__(self, tbl: BaseOxmlElement, widths: Sequence[int], text_style: str) -> None:
        self.tbl, self.widths, self.text_style = tbl, widths, text_style
        self.made: dict[_Look, BaseOxmlElement] = {}

    def add(
        self, tr: BaseOxmlElement, key: tuple[int, int, str | None, str, str]
    ) -> BaseOxmlElement:
        """Add a cell to the row; return its paragraph, styled and aligned, for the content."""
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = self._make(*key)
        tc = copy.deepcopy(made)
        tr.append(tc)
        return tc[-1]

    def _make(
        self, column: int, span: int, fill: str | None, vertical: str, align: str
    ) -> BaseOxmlElement:
        tc = self.tbl.makeelement(_TC)
        tc_pr = _child(tc, _TC_PR)
        width = sum(self.widths[column : column + span])
        _child(tc_pr, _TC_W, (_TYPE, "dxa"), (_W, str(width)))
        if span > 1:
            _child(tc_pr, _GRID_SPAN, (_VAL, str(span)))
        if fill is not None:
            _child(tc_pr, _SHD, (_VAL, "clear"), (qn("w:color"), "auto"), (qn("w:fill"), fill))
        _child(tc_pr, _V_ALIGN, (_VAL, vertical))
        p_pr = _child(_child(tc, _P), _P_PR)
        _child(p_pr, _P_STYLE, (_VAL, self.text_style))
        _child(p_pr, _JC, (_VAL, align))
        return tc


def _child(parent: BaseOxmlElement, tag: str, *attributes: tuple[str, str]) -> BaseOxmlElement:
    """Append and return a new element `tag` (a Clark name), attributes set in the given order."""
    element = parent.makeelement(tag)
    for name, value in attributes:
        element.set(name, value)
    parent.append(element)
    return element
