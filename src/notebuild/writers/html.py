"""Render a document as one self-contained, accessible HTML page."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files

import jinja2
from markupsafe import Markup, escape

from notebuild.document.model import (
    Block,
    Cell,
    Column,
    Computed,
    Document,
    Emphasis,
    FootnoteRef,
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
from notebuild.writers import docx_layout, html_remarks

_TEMPLATES = files("notebuild.templates") / "html"


def _load(name: str) -> str | None:
    # Read through importlib.resources so the templates also load from a wheel or a zip.
    resource = _TEMPLATES / name
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


def _kind(node: object) -> str:
    """Return the node's type name in lower case, e.g. "paragraph" or "footnoteref"."""
    return type(node).__name__.lower()


def _unknown(node: object) -> str:
    # A node type the templates do not know must fail loudly, not vanish from the page.
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


def _inline_html(nodes: tuple[Inline, ...], ids: _Ids) -> Markup:
    """Return inline content as HTML: text escaped, footnote and figure ids handed out by `ids`.

    A footnote reference links to its note and back (the first reference carries the id the
    note links back to); a computed figure carries its explanation as a tooltip, reachable by
    keyboard and read by screen readers.
    """
    return Markup("".join(_inline_pieces(nodes, ids)))


def _cell_html(tag: str, cell: Cell, cls: str, scope: str, ids: _Ids) -> Markup:
    """Return a table cell (`tag` "th" or "td") with its scope, span, class and content."""
    attributes = f' scope="{scope}"' if scope else ""
    if cell.colspan > 1:
        attributes += f' colspan="{cell.colspan}"'
    if cls:
        attributes += f' class="{cls}"'
    content = _unbroken_figures(_inline_html(cell.children, ids))
    if cell.remarks:  # the reviewer's edition: the problems found at this figure or text
        attributes += html_remarks.cell_attributes(cell)
        content = html_remarks.stated_figures(cell.remarks) + content
        content += html_remarks.marks(cell.remarks)
    return Markup(f"<{tag}{attributes}>{content}</{tag}>")


_TAG = re.compile(r"(<[^>]*>)")
_HYPHENATED_FIGURE = re.compile(r"\d+(?:-\d+)+")


def _unbroken_figures(html: str) -> Markup:
    """Return cell HTML with "2016-17" and the like kept on one line (a nowrap span), as the
    Word file's non-breaking hyphen keeps it; only text between tags is touched."""
    if "-" not in html:
        return Markup(html)
    pieces = _TAG.split(html)
    for index in range(0, len(pieces), 2):  # the even pieces are text, the odd ones tags
        pieces[index] = _HYPHENATED_FIGURE.sub(r'<span class="nowrap">\g<0></span>', pieces[index])
    return Markup("".join(pieces))  # escaped already: only a span was added around digits


def _inline_pieces(nodes: tuple[Inline, ...], ids: _Ids) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Text):
            yield escape(node.text)
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
            yield html_remarks.placed_html(inner, node.remarks) if node.remarks else inner
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


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Return a cache of compiled templates shared by runs, or None where none can be kept.

    Compiling the templates costs a new process about a tenth of a second; entries are keyed
    by the template's source, so an edited template is compiled again.
    """
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(root, "notebuild", "jinja")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(folder) if os.access(folder, os.W_OK) else None


@functools.cache
def environment() -> jinja2.Environment:
    """Return the jinja2 environment of the HTML writer (built once per process)."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    stylesheet = _load("style.css")
    if stylesheet is None:
        raise FileNotFoundError("templates/html/style.css is missing")
    if "</" in stylesheet:
        raise ValueError("templates/html/style.css must not contain '</' (it is inlined)")
    env.filters["kind"] = _kind
    env.globals.update(
        kind=_kind,
        unknown=_unknown,
        column_widths=_column_widths,
        cells=_cells,
        inline_html=_inline_html,
        cell_html=_cell_html,
        is_simple_item=_is_simple_item,
        row_class=html_remarks.row_class,
        # The house stylesheet is ours and inlined verbatim: nothing is fetched at view time.
        stylesheet=Markup(stylesheet),
        remarks_stylesheet=Markup(_load("remarks.css") or ""),
    )
    return env


def render_html(document: Document) -> str:
    """Return the document as one self-contained HTML page."""
    template = environment().get_template("document.html.j2")
    tables = [block for block in document.blocks if isinstance(block, Table)]
    widths = docx_layout.house_layouts(tables)
    measured = {id(table): widths[index] for index, table in enumerate(tables)}
    return template.render(
        document=document,
        footnotes=_footnotes(document),
        ids=_Ids(),
        column_widths=functools.partial(_column_widths, measured=measured),
    )
