"""Write the document model's blocks as HTML: headings, paragraphs, lists, tables, footnotes.

One method per block type (a table keyed by the node's type), each returning escaped HTML;
inline content, table cells and the reviewer's remarks (html_remarks.py) are functions too.
Only the page around the blocks is a Jinja template (templates/html/document.html.j2): the
blocks were Jinja macros once, and a macro call per block, row and cell made the page the
slowest part of a note in a budget round. Every value from the document is escaped here
(markupsafe.escape) before it joins the page; what is not escaped is markup written here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from notebuild.document.model import (
    Block,
    Cell,
    Column,
    Computed,
    Document,
    Emphasis,
    FootnoteRef,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Placed,
    Quote,
    Row,
    Strong,
    Table,
    Text,
)
from notebuild.writers import html_remarks


def _unknown(node: object) -> str:
    # A node type the writer does not know must fail loudly, not vanish from the page.
    raise TypeError(f"the HTML writer cannot render {type(node).__name__}: {node!r}")


def _percent(weight: float, total: float) -> str:
    """Return a column's share of the table width as a CSS percentage, e.g. "44.44%"."""
    return f"{weight / total * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _column_widths(table: Table, measured: dict[int, list[int]] | None = None) -> list[str]:
    """Return each column's CSS width: as measured for Word where the table is a body table
    (the same proportions as the Word file and the PDF), else by the columns' weights."""
    weights = (measured or {}).get(id(table)) or [column.width for column in table.columns]
    total = sum(weights)
    if total <= 0 or len(weights) != len(table.columns):
        return ["" for _ in table.columns]
    return [_percent(weight, total) for weight in weights]


def _cells(table: Table, row: Row) -> list[tuple[Cell, str, int]]:
    """Pair each cell with its alignment class and the index of the column it starts in.

    A cell spanning several columns takes their alignment only when they all agree, so text
    spanning a figure column and a text column reads from the left.
    """
    result = []
    index = 0
    for cell in row.cells:
        spanned = table.columns[index : index + cell.colspan] or (Column(),)
        classes = {_align_class(column) for column in spanned}
        result.append((cell, classes.pop() if len(classes) == 1 else "", index))
        index += cell.colspan
    return result


def _align_class(column: Column) -> str:
    """Return the CSS class that aligns a column's cells: "num", "right", "center" or ""."""
    if column.numeric:
        return "num"
    if column.align == "right":
        return "right"
    if column.align == "center":
        return "center"
    return ""


def _inline_html(nodes: tuple[Inline, ...], ids: _Ids) -> str:
    """Return inline content as HTML: text escaped, footnote and figure ids handed out by `ids`.

    A footnote reference links to its note and back (the first reference carries the id the
    note links back to); a computed figure carries its explanation as a tooltip, reachable by
    keyboard and read by screen readers.
    """
    return "".join(_inline_pieces(nodes, ids))


def _cell_html(tag: str, cell: Cell, cls: str, scope: str, ids: _Ids) -> str:
    """Return a table cell (`tag` "th" or "td") with its scope, span, class and content."""
    attributes = f' scope="{scope}"' if scope else ""
    if cell.colspan > 1:
        attributes += f' colspan="{cell.colspan}"'
    if cls:
        attributes += f' class="{cls}"'
    content = _unbroken_figures(_inline_html(cell.children, ids))
    if cell.remarks:  # the reviewer's edition: the problems found at this figure or text
        attributes += html_remarks.cell_attributes(cell)
        content = f"{html_remarks.stated_figures(cell.remarks)}{content}"
        content += str(html_remarks.marks(cell.remarks))
    return f"<{tag}{attributes}>{content}</{tag}>"


_SPECIAL = re.compile(r"[&<>'\"]")  # what markupsafe.escape replaces
_TAG = re.compile(r"(<[^>]*>)")
_HYPHENATED_FIGURE = re.compile(r"\d+(?:-\d+)+")


def _unbroken_figures(html: str) -> str:
    """Return cell HTML with "2016-17" and the like kept on one line (a nowrap span), as the
    Word file's non-breaking hyphen keeps it; only text between tags is touched."""
    if "-" not in html:
        return html
    pieces = _TAG.split(html)
    for index in range(0, len(pieces), 2):  # the even pieces are text, the odd ones tags
        pieces[index] = _HYPHENATED_FIGURE.sub(r'<span class="nowrap">\g<0></span>', pieces[index])
    return "".join(pieces)  # escaped already: only a span was added around digits


def _inline_pieces(nodes: tuple[Inline, ...], ids: _Ids) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Text):
            # Most cells are words and figures: nothing to escape, no Markup made for them.
            yield str(escape(node.text)) if _SPECIAL.search(node.text) else node.text
        elif isinstance(node, Strong):
            yield f"<strong>{_inline_html(node.children, ids)}</strong>"
        elif isinstance(node, Emphasis):
            yield f"<em>{_inline_html(node.children, ids)}</em>"
        elif isinstance(node, Link):
            yield f'<a href="{escape(node.href)}">{_inline_html(node.children, ids)}</a>'
        elif isinstance(node, LineBreak):
            yield "<br>"
        elif isinstance(node, FootnoteRef):
            number = node.number
            anchor = f' id="fnref-{number}"' if ids.claim(f"fnref-{number}") else ""
            yield (
                f'<sup class="fnref"><a href="#fn-{number}"{anchor} '
                f'aria-describedby="footnotes-label">{number}</a></sup>'
            )
        elif isinstance(node, Computed):
            calc = ids.next("calc")
            yield (
                f'<span class="computed" tabindex="0" aria-describedby="{calc}">'
                f'{escape(node.text)}<span class="how" role="tooltip" id="{calc}">'
                f"Beregnet: {escape(node.explanation)}</span></span>"
            )
        elif isinstance(node, Placed):
            inner = _inline_html(node.children, ids)
            yield html_remarks.placed_html(Markup(inner), node.remarks) if node.remarks else inner
        else:
            _unknown(node)


def _inline_children(node: Inline) -> tuple[Inline, ...]:
    if isinstance(node, Strong | Emphasis | Link | Placed):
        return node.children
    return ()


def _walk_inlines(inlines: tuple[Inline, ...]) -> Iterator[FootnoteRef]:
    for node in inlines:
        if isinstance(node, FootnoteRef):
            yield node
            yield from _walk_blocks(node.blocks)
        else:
            yield from _walk_inlines(_inline_children(node))


def _walk_blocks(blocks: tuple[Block, ...]) -> Iterator[FootnoteRef]:
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from _walk_blocks(item)
        elif isinstance(block, Quote):
            yield from _walk_blocks(block.blocks)
        elif isinstance(block, Table):
            for row in (*block.header, *block.body):
                for cell in row.cells:
                    yield from _walk_inlines(cell.children)
        else:
            yield from _walk_inlines(block.children)


def _footnotes(document: Document) -> list[FootnoteRef]:
    """Return each footnote once, in document order, keeping the numbers compose gave them."""
    seen: dict[int, FootnoteRef] = {}
    for ref in _walk_blocks(document.blocks):
        seen.setdefault(ref.number, ref)
    return list(seen.values())


def _is_simple_item(item: tuple[Block, ...]) -> bool:
    """Return whether a list item is one paragraph, which renders without its own <p>."""
    return len(item) == 1 and isinstance(item[0], Paragraph)


@dataclass
class _Ids:
    """Hand out element ids in document order, so two renders give the same bytes."""

    counters: dict[str, int] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def next(self, prefix: str) -> str:
        """Return the next id with this prefix: "calc-1", "calc-2", ..."""
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}-{self.counters[prefix]}"

    def claim(self, name: str) -> bool:
        """Return True the first time `name` is asked for, so a repeated id is not emitted."""
        if name in self.taken:
            return False
        self.taken.add(name)
        return True


def page_content(document: Document, measured: dict[int, list[int]]) -> Markup:
    """Return the page's blocks, with the footnotes where compose put them (default: last).

    `measured` holds the column widths measured for Word, by the id of each body table.
    """
    writer = BlockWriter(measured)
    at = document.footnotes_at if document.footnotes_at is not None else len(document.blocks)
    # In document order, so ids are handed out as a reader meets them.
    before = writer.blocks(document.blocks[:at])
    notes = writer.footnotes(_footnotes(document))
    return Markup(before + notes + writer.blocks(document.blocks[at:]))


class BlockWriter:
    """Write blocks as HTML, one method per block type, handing out ids in document order."""

    def __init__(self, measured: dict[int, list[int]]) -> None:
        self.ids = _Ids()
        self._measured = measured
        self._writers: dict[type, Callable] = {
            Heading: self.heading,
            Paragraph: self.paragraph,
            ListBlock: self.list_block,
            Table: self.table,
            Quote: self.quote,
        }

    def block(self, node: Block) -> str:
        """Return one block's HTML (without a newline after it)."""
        write = self._writers.get(type(node))
        return write(node) if write is not None else _unknown(node)

    def blocks(self, nodes: tuple[Block, ...]) -> str:
        """Return blocks' HTML, each followed by a newline."""
        return "".join(f"{self.block(node)}\n" for node in nodes)

    def inlines(self, nodes: tuple[Inline, ...]) -> str:
        return _inline_html(nodes, self.ids)

    def heading(self, node: Heading) -> str:
        level = min(max(node.level, 1), 6)
        return f"<h{level}>{self.inlines(node.children)}</h{level}>"

    def paragraph(self, node: Paragraph, after: str = "") -> str:
        """Return a paragraph; its role ("lead", "signature", "note") is its class."""
        role = f' class="{escape(node.role)}"' if node.role != "body" else ""
        tail = f" {after}" if after else ""
        return f"<p{role}>{self.inlines(node.children)}{tail}</p>"

    def list_block(self, node: ListBlock) -> str:
        tag = "ol" if node.ordered else "ul"
        start = f' start="{escape(node.start)}"' if node.ordered and node.start != 1 else ""
        parts = [f"<{tag}{start}>\n"]
        for item in node.items:
            if _is_simple_item(item):
                parts.append(f"<li>{self.inlines(item[0].children)}</li>\n")
            else:
                parts.append(f"<li>\n{self.blocks(item)}</li>\n")
        parts.append(f"</{tag}>")
        return "".join(parts)

    def quote(self, node: Quote) -> str:
        return f"<blockquote>\n{self.blocks(node.blocks)}</blockquote>"

    def table(self, node: Table) -> str:
        # A numbered table is addressable as #tabel-N, the number readers see.
        number = node.number
        caption = escape(f"tabel-{number}" if number is not None else self.ids.next("skema"))
        wide = " wide" if len(node.columns) > 5 else ""
        # Focusable and named, so keyboard users can scroll a table wider than the screen.
        parts = [
            f'<div class="table-scroll{wide}" role="region" aria-labelledby="{caption}" '
            f'tabindex="0">\n<table>\n<caption id="{caption}">{escape(node.label)}</caption>\n'
            "<colgroup>\n"
        ]
        for width in _column_widths(node, self._measured):
            parts.append(f'<col style="width: {escape(width)}">\n' if width else "<col>\n")
        parts.append("</colgroup>\n")
        if node.header:
            parts.append("<thead>\n")
            parts += [f"{self._row(node, row, header=True)}\n" for row in node.header]
            parts.append("</thead>\n")
        parts.append("<tbody>\n")
        parts += [f"{self._row(node, row, row.role == 'header')}\n" for row in node.body]
        parts.append("</tbody>\n</table>\n</div>")
        return "".join(parts)

    def _row(self, table: Table, row: Row, header: bool) -> str:
        """Return a row: a header row's named cells are column headers, a body row's first
        cell (in a table with row headers) is the row's header, every other cell is data."""
        parts = ["<tr>\n" if header else f"<tr{html_remarks.row_class(row)}>\n"]
        for cell, cls, index in _cells(table, row):
            scope = ""
            if cell.children:  # a blank corner cell is data, not a header without a name
                scope = "col" if header else "row" if table.row_headers and index == 0 else ""
            tag = "th" if scope else "td"
            parts.append(f"{_cell_html(tag, cell, cls, scope, self.ids)}\n")
        parts.append("</tr>")
        return "".join(parts)

    def footnotes(self, refs: list[FootnoteRef]) -> str:
        """Return the footnotes' section ("" without footnotes), each note linking back."""
        if not refs:
            return ""
        items = "".join(f"{self._footnote(ref)}\n" for ref in refs)
        return (
            '<section class="footnotes" aria-labelledby="footnotes-label">\n'
            f'<h2 id="footnotes-label">Fodnoter</h2>\n<ol>\n{items}</ol>\n</section>\n'
        )

    def _footnote(self, ref: FootnoteRef) -> str:
        number = escape(ref.number)
        back = (
            f'<a class="backref" href="#fnref-{number}" '
            'aria-label="Tilbage til teksten">\u21a9&#xFE0E;</a>'
        )
        parts = [f'<li id="fn-{number}" value="{number}">\n']
        if not ref.blocks:
            parts.append(f"<p>{back}</p>\n")
        for index, node in enumerate(ref.blocks):
            last = index == len(ref.blocks) - 1
            if last and isinstance(node, Paragraph):  # the way back ends the note's text
                parts.append(f"{self.paragraph(node, back)}\n")
            else:
                parts.append(f"{self.block(node)}\n")
                if last:
                    parts.append(f"<p>{back}</p>\n")
        parts.append("</li>")
        return "".join(parts)
