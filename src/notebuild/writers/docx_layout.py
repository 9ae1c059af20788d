"""Lay out a Word table from its content: column widths and which rows may break across pages.

Text is measured with Liberation Sans' advance widths (glyph_widths.py), the face every client
shows where KBH is missing (font_chain.py), so the widths hold in Word, LibreOffice and the
browser alike. The rules, in order:

1. Nothing that must stay on one line breaks: a figure (a numeric column's cell, line by line),
   a header line holding a figure or unit ("1.000 kr., 2023 p/l", "2024"), a word (text breaks
   only at spaces and after a slash; "2016-17" is written with a non-breaking hyphen).
2. A header cell takes at most two lines ("Indtægt/udgift (I/U)" not on three).
3. What room is left goes to the columns whose text would otherwise wrap, in proportion to how
   much wider they would like to be (CSS's automatic table layout): activity names get room,
   year columns stay as wide as their figures.
4. Room a text column can spare (beyond what sets each of its cells on at most two lines)
   widens the figure columns to what their figures take in DejaVu Sans, the wider face
   LibreOffice takes on Debian when it opens the file without notebuild's font configuration:
   a figure broken over two lines ("1.00" / "0") misreads. Where labels would wrap to three
   lines or more for it (the ten-column appropriation tables), the figures keep the widths
   Arial's metrics give, which Word, notebuild's PDF and the browser set.

Sibling tables — tables of one kind in one document, e.g. the appropriation tables for service
and for transfers — are laid out together, so their columns line up.
"""

from __future__ import annotations

import collections
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from notebuild.document.model import Cell, Row, Table, plain_text
from notebuild.writers import glyph_widths

TABLE_FONT_PT = 9.0  # the Tabeltekst style's size, used if the template does not say
CELL_MARGINS_TWIPS = 2 * 57
HOUSE_TEXT_WIDTH = 9072  # the text width of templates/husformat.docx (A4), in twips

# A row taller than this many lines may break across pages (its header row repeats); a
# shorter one is kept whole, so a page never ends in the middle of a two-line activity.
MAX_UNBROKEN_LINES = 4
HEADER_MAX_LINES = 2
# Room added to what must fit on one line: LibreOffice and Word lay text out on their own
# grid (LibreOffice at 1/1440 in rounded per glyph, borders inside the cell), so a column
# exactly as wide as its text wraps its last character.
SLACK = 1.03
SLACK_TWIPS = 30
_DIGIT = re.compile(r"\d")
_UNIT_WORD = re.compile(r"\b(?:kr|pct|p/l)\.?(?!\w)")
# A hyphen between digits ("2016-17"), which must not end a line.
FIGURE_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")

_REGULAR = dict(zip(glyph_widths.CHARACTERS, glyph_widths.REGULAR, strict=True))
_BOLD = dict(zip(glyph_widths.CHARACTERS, glyph_widths.BOLD, strict=True))
_FALLBACK_REGULAR = dict(zip(glyph_widths.CHARACTERS, glyph_widths.FALLBACK_REGULAR, strict=True))
_FALLBACK_BOLD = dict(zip(glyph_widths.CHARACTERS, glyph_widths.FALLBACK_BOLD, strict=True))
# A character Liberation Sans lacks counts as its widest glyph.
_WIDEST = max(glyph_widths.BOLD)
_FALLBACK_WIDEST = max(glyph_widths.FALLBACK_BOLD)


@dataclass(frozen=True, slots=True)
class Measure:
    """How a table's text is set: its size in points and each cell's two side margins."""

    font_pt: float
    margins: int  # left + right cell margin, in twips


@functools.lru_cache(maxsize=65536)  # a budget round repeats its labels, years and figures
def text_twips(text: str, font_pt: float, bold: bool) -> float:
    """Return the width of `text` on one line, in twips, set in Liberation Sans at `font_pt`."""
    widths, units = (
        (_BOLD, glyph_widths.BOLD_UNITS_PER_EM)
        if bold
        else (_REGULAR, glyph_widths.REGULAR_UNITS_PER_EM)
    )
    return sum(widths.get(char, _WIDEST) for char in text) * font_pt * 20 / units


@functools.lru_cache(maxsize=65536)
def unbroken_twips(text: str, font_pt: float, bold: bool) -> float:
    """Return the room `text` needs on one line in either face: Liberation Sans or DejaVu Sans."""
    widths, units = (
        (_FALLBACK_BOLD, glyph_widths.FALLBACK_BOLD_UNITS_PER_EM)
        if bold
        else (_FALLBACK_REGULAR, glyph_widths.FALLBACK_REGULAR_UNITS_PER_EM)
    )
    fallback = sum(widths.get(char, _FALLBACK_WIDEST) for char in text) * font_pt * 20 / units
    return max(text_twips(text, font_pt, bold), fallback)


def words(line: str) -> list[str]:
    """Return the pieces a line of text may break into: at spaces, and after a slash."""
    return line.replace("/", "/ ").split()


def line_count(text: str, width: float, font_pt: float, bold: bool) -> int:
    """Return how many lines `text` takes in `width` twips, breaking greedily between words."""
    total = 0
    space = text_twips(" ", font_pt, bold)
    for line in text.split("\n"):
        lines, used = 1, 0.0
        for word in words(line):
            size = text_twips(word, font_pt, bold)
            gap = 0.0 if used == 0 or line[-1:] == "/" else space
            if used and used + gap + size > width:
                lines, used = lines + 1, size
            else:
                used += gap + size
        total += lines
    return total


def is_bold(table: Table, position: int, row: Row) -> bool:
    """Return whether row `position` (header rows first) of `table` is set in bold."""
    return position < len(table.header) or row.role in ("header", "total", "group")


def rows_of(table: Table) -> Iterator[tuple[Row, bool, bool]]:
    """Yield each row with whether it is a header row and whether it is bold."""
    for position, row in enumerate((*table.header, *table.body)):
        header = position < len(table.header) or row.role == "header"
        yield row, header, is_bold(table, position, row)


def single_cells(row: Row) -> Iterator[tuple[int, Cell]]:
    """Yield each cell that spans one column, with its column."""
    column = 0
    for cell in row.cells:
        if cell.colspan == 1:
            yield column, cell
        column += cell.colspan


def unbreakable_pieces(text: str, numeric: bool, header: bool) -> list[tuple[str, bool]]:
    """Return the pieces of a cell's text that must each stay on one line (rule 1), each with
    whether it is a figure (to be measured in the wider fallback face too)."""
    pieces: list[tuple[str, bool]] = []
    for line in text.split("\n"):
        if numeric or (header and _DIGIT.search(line)):
            pieces.append((line, True))
        else:
            pieces += [(word, False) for word in words(line)]
    return pieces


def two_line_width(text: str, font_pt: float, bold: bool) -> float:
    """Return the narrowest width that sets each line of `text` on at most two lines."""
    widest = 0.0
    for line in text.split("\n"):
        pieces = words(line)
        best = text_twips(line, font_pt, bold)
        for cut in range(1, len(pieces)):
            first = " ".join(pieces[:cut]).replace("/ ", "/")
            second = " ".join(pieces[cut:]).replace("/ ", "/")
            best = min(
                best, max(text_twips(first, font_pt, bold), text_twips(second, font_pt, bold))
            )
        widest = max(widest, best)
    return widest


def sibling_key(table: Table) -> tuple:
    """Return what tables of one kind share: their columns and their header's text columns."""
    texts = tuple(
        plain_text(cell.children)
        for row in table.header
        for column, cell in single_cells(row)
        if not table.columns[column].numeric
    )
    columns = tuple((c.align, c.numeric) for c in table.columns)
    return (columns, texts[1:])  # the first header cell is the unit, which may differ


def column_widths(tables: Sequence[Table], text_width: int, measure: Measure) -> list[int]:
    """Return column widths in twips, summing to `text_width`, for tables laid out together."""
    columns = tables[0].columns
    count = len(columns)
    hard = [float(measure.margins)] * count  # the least each column may have (rules 1 and 2)
    wish = [float(measure.margins)] * count  # its width with every cell on one line
    safe = [float(measure.margins)] * count  # its figures' width in the fallback face (rule 4)
    texts: list[list[tuple[str, bool]]] = [[] for _ in range(count)]  # a text column's cells
    for table in tables:
        for row, header, bold in rows_of(table):
            for column, cell in single_cells(row):
                text = plain_text(cell.children)
                numeric = columns[column].numeric
                need, fallback, natural = _cell_twips(text, numeric, header, bold, measure.font_pt)
                hard[column] = max(hard[column], need * SLACK + SLACK_TWIPS + measure.margins)
                wish[column] = max(wish[column], natural * SLACK + SLACK_TWIPS + measure.margins)
                safe[column] = max(safe[column], fallback * SLACK + SLACK_TWIPS + measure.margins)
                if not numeric:
                    texts[column].append((text, bold))
    numeric = [c.numeric for c in columns]
    widths = _distribute(hard, wish, numeric, text_width)
    if all(w >= f for w, f, n in zip(widths, safe, numeric, strict=True) if n):
        return _rounded(widths, text_width)  # the figures fit in the fallback face already
    # The width each text column may give room down to: its cells on at most two lines.
    floor = [
        max(
            [h]
            + [
                _two_lines(text, measure.font_pt, bold) * SLACK + SLACK_TWIPS + measure.margins
                for text, bold in cells
            ]
        )
        for h, cells in zip(hard, texts, strict=True)
    ]
    return _rounded(_widen_figures(widths, floor, safe, numeric), text_width)


@functools.lru_cache(maxsize=65536)  # a round repeats its labels, years and zeros
def _cell_twips(
    text: str, numeric: bool, header: bool, bold: bool, font_pt: float
) -> tuple[float, float, float]:
    """Return what a cell's text needs on one line (rules 1 and 2), its figures' width in the
    fallback face (rule 4) and its width with every line unbroken."""
    # A numeric column's heading in words ("Korrigeret budget") may take two lines like any
    # heading; its figures, and a heading with a figure or a unit ("Budgetreduktion (mio.
    # kr.)"), may not.
    worded = header and not _UNIT_WORD.search(text)
    pieces = unbreakable_pieces(text, numeric and not worded, header)
    need = max((text_twips(piece, font_pt, bold) for piece, _ in pieces), default=0.0)
    fallback = max(
        (unbroken_twips(piece, font_pt, bold) for piece, figure in pieces if figure),
        default=0.0,
    )
    if header and (worded or not numeric):
        need = max(need, _two_lines(text, font_pt, bold))
    natural = max((text_twips(line, font_pt, bold) for line in text.split("\n")), default=0.0)
    return need, fallback, natural


@functools.lru_cache(maxsize=16384)  # a header's width is asked for twice, labels recur
def _two_lines(text: str, font_pt: float, bold: bool) -> float:
    return two_line_width(text, font_pt, bold)


def _widen_figures(
    widths: list[float], floor: list[float], safe: list[float], numeric: list[bool]
) -> list[float]:
    """Move room the text columns can spare (down to `floor`) to the figure columns, up to
    what their figures take in the fallback face (rule 4)."""
    short = [max(f - w, 0.0) if n else 0.0 for w, f, n in zip(widths, safe, numeric, strict=True)]
    free = [
        max(w - x, 0.0) if not n else 0.0 for w, x, n in zip(widths, floor, numeric, strict=True)
    ]
    moved = min(sum(short), sum(free))
    if moved <= 0:
        return widths
    return [
        w + moved * s / sum(short) - moved * f / sum(free)
        for w, s, f in zip(widths, short, free, strict=True)
    ]


def _distribute(
    hard: list[float], wish: list[float], numeric: list[bool], room: int
) -> list[float]:
    """Share `room` among the columns: each its hard minimum, the rest by how much it wishes."""
    if sum(hard) > room:
        # Not even the minimums fit: figures keep theirs, the text columns share what is left
        # as far as it goes, the longest word giving up room first.
        figures = sum(h for h, n in zip(hard, numeric, strict=True) if n)
        if figures >= room or all(numeric):
            return [room * h / sum(hard) for h in hard]
        cap = _cap([h for h, n in zip(hard, numeric, strict=True) if not n], room - figures)
        return [h if n else min(h, cap) for h, n in zip(hard, numeric, strict=True)]
    spare = room - sum(hard)
    extra = [max(w - h, 0.0) for w, h in zip(wish, hard, strict=True)]
    if sum(extra) >= spare:
        return [h + spare * e / sum(extra) for h, e in zip(hard, extra, strict=True)]
    # Everything fits on one line: what is left widens the text columns, by their wish.
    widths = [w if w > h else h for w, h in zip(wish, hard, strict=True)]
    left = room - sum(widths)
    texts = [w if not n else 0.0 for w, n in zip(widths, numeric, strict=True)]
    weights = texts if sum(texts) else widths
    return [w + left * weight / sum(weights) for w, weight in zip(widths, weights, strict=True)]


def _cap(needs: list[float], room: float) -> float:
    """Return the width that, capping every need at it, makes the needs add up to `room`."""
    ordered = sorted(needs, reverse=True)
    rest = sum(ordered)
    for count, need in enumerate(ordered, start=1):
        rest -= need
        cap = (room - rest) / count
        if cap >= (ordered[count] if count < len(ordered) else 0):
            return cap
    return room / len(ordered)  # pragma: no cover - the last step always returns


def _rounded(widths: list[float], text_width: int) -> list[int]:
    """Round widths to whole twips that add up to exactly the text width."""
    result = [round(w) for w in widths]
    result[-1] += text_width - sum(result)
    return result


def row_may_break(
    table: Table, row: Row, bold: bool, widths: Sequence[int], measure: Measure
) -> bool:
    """Return whether a row is so tall (more than a few lines) that it may break across pages."""
    tallest = 0
    column = 0
    for cell in row.cells:
        width = sum(widths[column : column + cell.colspan]) - measure.margins
        text = plain_text(cell.children)
        if text:
            tallest = max(tallest, line_count(text, width, measure.font_pt, bold))
        column += cell.colspan
    return tallest > MAX_UNBROKEN_LINES


def layouts(tables: Sequence[Table], text_width: int, measure: Measure) -> dict[int, list[int]]:
    """Return each table's column widths by its position, siblings sharing theirs.

    Word and HTML lay out the same document's tables alike (the house template's width and
    font): the layout made for one writer is handed to the other, not worked out again
    (1 ms of a budget note). The tables are held with the layout, so their ids stay theirs.
    """
    key = (tuple(id(table) for table in tables), text_width, measure)
    for known, held, result in _RECENT:
        if known == key and all(a is b for a, b in zip(held, tables, strict=True)):
            return result
    result = _layouts(tables, text_width, measure)
    _RECENT.appendleft((key, tuple(tables), result))
    return result


# The last few layouts made, with the tables they were made for.
_RECENT: collections.deque[tuple[tuple, tuple[Table, ...], dict[int, list[int]]]] = (
    collections.deque(maxlen=2)
)


def _layouts(tables: Sequence[Table], text_width: int, measure: Measure) -> dict[int, list[int]]:
    groups: dict[tuple, list[int]] = {}
    for index, table in enumerate(tables):
        groups.setdefault(sibling_key(table), []).append(index)
    result: dict[int, list[int]] = {}
    for members in groups.values():
        widths = column_widths([tables[i] for i in members], text_width, measure)
        for index in members:
            result[index] = widths
    return result


def house_layouts(tables: Sequence[Table]) -> dict[int, list[int]]:
    """Return the column widths the house template gives `tables` (for a writer without the
    template, such as HTML, so its columns keep Word's proportions)."""
    return layouts(tables, HOUSE_TEXT_WIDTH, Measure(TABLE_FONT_PT, CELL_MARGINS_TWIPS))
