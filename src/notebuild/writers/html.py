"""Render a document as one self-contained, accessible HTML page."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files

import jinja2
from markupsafe import Markup

from notebuild.document import (
    Block,
    Cell,
    Column,
    Document,
    Emphasis,
    FootnoteRef,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Row,
    Strong,
    Table,
)

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


def _column_widths(table: Table) -> list[str]:
    total = sum(column.width for column in table.columns)
    if total <= 0:
        return ["" for _ in table.columns]
    return [_percent(column.width, total) for column in table.columns]


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


def _inline_children(node: Inline) -> tuple[Inline, ...]:
    if isinstance(node, Strong | Emphasis | Link):
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
        is_simple_item=_is_simple_item,
        # The house stylesheet is ours and inlined verbatim: nothing is fetched at view time.
        stylesheet=Markup(stylesheet),
    )
    return env


def render_html(document: Document) -> str:
    """Return the document as one self-contained HTML page."""
    template = environment().get_template("document.html.j2")
    return template.render(
        document=document,
        footnotes=_footnotes(document),
        ids=_Ids(),
    )
