"""Write a Word table (w:tbl) from a model table, as XML text.

python-docx's table API finds each cell through the whole grid and walks the XML again for
every property it sets: tables of a budget round's hundreds of cells were most of a note's
render time. This module writes the table — properties, grid, rows, cells and their
paragraph — as XML text, with the plain text of the cells in it. A cell holding a link, a
footnote or remarks is written by the writer's own inline walk (docx.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from notebuild.document.model import Cell, Row, Table
from notebuild.writers.docx_xml import quoteattr, runs_xml

# Word 2007's bitmask form of the tblLook flags: 0x20 first row, 0x200/0x400 no banding.
_LOOK_FIRST_ROW = 0x20
_LOOK_NO_BANDS = 0x200 | 0x400


@dataclass(frozen=True, slots=True)
class TableLook:
    """What the template gives every table: its style ids, header fill and cell margins."""

    table_style: str
    text_style: str
    header_fill: str | None  # the style's first-row fill, repeated on further header rows
    margin: int  # left and right cell margin, in twips


# Writes a cell's paragraph: given its opening properties (w:pPr), returns the whole w:p.
FillText = Callable[[str, Cell, bool, bool], str]


def table_xml(
    table: Table,
    widths: Sequence[int],
    look: TableLook,
    description: str,
    fill: FillText,
    breakable: frozenset[int] = frozenset(),
    kept: frozenset[int] = frozenset(),
) -> str:
    """Return the w:tbl for `table` as XML text: full text width, columns `widths` twips wide.

    Header rows repeat on every page and stay whole; every other row is kept on one page
    unless its position (header rows counted first) is in `breakable`: a row so tall that
    keeping it whole would leave much of a page blank. The paragraphs of the rows at the
    positions in `kept` go with the next paragraph (w:keepNext). Each cell's paragraph has
    the table-text style and the column's alignment; its content is bold in header, total
    and group rows, italic in group rows. A cell with a link, a footnote or remarks, which
    need the document's relationships, footnotes or comments, is written by `fill`.
    """
    xml = ["<w:tbl>", _properties(look, table, description), "<w:tblGrid>"]
    xml += [f'<w:gridCol w:w="{width}"/>' for width in widths]
    xml.append("</w:tblGrid>")
    columns = table.columns
    for index, row in enumerate((*table.header, *table.body)):
        in_header = index < len(table.header)
        is_header = in_header or row.role == "header"
        xml.append(_ROW_HEADER if in_header else _ROW_BREAKABLE if index in breakable else _ROW)
        shaded = look.header_fill if in_header and index > 0 else None
        bold = is_header or row.role in ("total", "group")
        italic = row.role == "group"
        vertical = "bottom" if is_header else "top"
        keep = index in kept
        for cell, column in _placed(row, len(columns)):
            width = sum(widths[column : column + cell.colspan])
            start, properties = _cell_parts(
                width, cell.colspan, shaded, vertical, columns[column].align, look.text_style, keep
            )
            xml.append(start)
            runs = None if cell.remarks else runs_xml(cell.children, bold=bold, italic=italic)
            if runs is None:
                xml.append(fill(properties, cell, bold, italic))
            else:
                xml.append(f"<w:p>{properties}{runs}</w:p>")
            xml.append("</w:tc>")
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml)


def _cell_parts(
    width: int,
    span: int,
    fill: str | None,
    vertical: str,
    align: str,
    text_style: str,
    keep: bool,
) -> tuple[str, str]:
    """Return a cell's opening (w:tc and its properties) and its paragraph's w:pPr."""
    key = (width, span, fill, vertical, align, text_style, keep)
    made = _PARTS.get(key)
    if made is None:
        start = f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>'
        if span > 1:
            start += f'<w:gridSpan w:val="{span}"/>'
        if fill is not None:
            start += f'<w:shd w:val="clear" w:color="auto" w:fill={quoteattr(fill)}/>'
        start += f'<w:vAlign w:val="{vertical}"/></w:tcPr>'
        properties = (
            f"<w:pPr><w:pStyle w:val={quoteattr(text_style)}/>"
            + ("<w:keepNext/>" if keep else "")
            + f"<w:jc w:val={quoteattr(align)}/></w:pPr>"
        )
        made = (start, properties)
        if len(_PARTS) >= _MAX_STARTS:
            _PARTS.clear()
        _PARTS[key] = made
    return made


# Cell openings by look, shared by every table this process writes: a round's tables repeat
# the same few widths and alignments.
_PARTS: dict[tuple[int, int, str | None, str, str, str, bool], tuple[str, str]] = {}
_MAX_STARTS = 4096


_ROW = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
_ROW_BREAKABLE = "<w:tr>"
_ROW_HEADER = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"


def _properties(look: TableLook, table: Table, description: str) -> str:
    """Return w:tblPr: style, full width, fixed layout, margins, look, caption, description."""
    first_row = bool(table.header)
    flags = _LOOK_NO_BANDS | (_LOOK_FIRST_ROW if first_row else 0)
    # The style says the same margins, but LibreOffice ignores a table style's cell margins.
    margin = f'w:w="{look.margin}" w:type="dxa"'
    xml = (
        f"<w:tblPr><w:tblStyle w:val={quoteattr(look.table_style)}/>"
        '<w:tblW w:type="pct" w:w="5000"/><w:tblLayout w:type="fixed"/>'
        f"<w:tblCellMar><w:left {margin}/><w:right {margin}/></w:tblCellMar>"
        f'<w:tblLook w:val="{flags:04X}" w:firstRow="{int(first_row)}" w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"<w:tblCaption w:val={quoteattr(table.label)}/>"
    )
    if description:
        xml += f"<w:tblDescription w:val={quoteattr(description)}/>"
    return xml + "</w:tblPr>"


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
