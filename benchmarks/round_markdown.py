"""Write a composed notebuild Document as pandoc Markdown, for benchmarks/round.py.

The Markdown holds the same content notebuild renders: the sender block and meta lines, every
heading, paragraph, list, quote, footnote and table (pipe tables with their captions). The
title is left out of the body; pandoc gets it as metadata (`--metadata title=...`), as the
benchmark's pandoc command does. It is a fair input for pandoc, not a faithful copy of the
house format: column widths, table styles and the reviewer summary have no Markdown form.
"""

from __future__ import annotations

import re

from notebuild.document.model import (
    Block,
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
    Quote,
    Strong,
    Table,
    Text,
)

# Characters pandoc's Markdown reads as markup anywhere in a line: emphasis, links, code,
# raw HTML, math, superscript, subscript/strikeout, citations, footnotes.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>$^~@])")
# What would start a block at the beginning of a line: a heading, quote, list item, table.
_MARK_START = re.compile(r"^(\s*)(>|\||[#+*-](?=\s|$))", re.M)
_NUMBER_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.M)


def escape(text: str) -> str:
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _MARK_START.sub(r"\1\\\2", text)
    return _NUMBER_START.sub(r"\1\\\2", text)


class MarkdownWriter:
    """Turns one Document into Markdown; footnotes are collected and written at the end."""

    def __init__(self) -> None:
        self.footnotes: list[tuple[int, tuple[Block, ...]]] = []

    def document(self, document: Document) -> str:
        parts = []
        lines = [*document.sender, *(f"{label}: {value}" for label, value in document.meta)]
        if lines:
            parts.append("\\\n".join(escape(line) for line in lines))
        blocks = list(document.blocks)
        if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
            blocks = blocks[1:]  # the title; pandoc prints it from the metadata
        parts += [self.block(block) for block in blocks]
        for number, note in self.footnotes:
            body = "\n\n".join(self.block(b) for b in note)
            parts.append(f"[^{number}]: " + _indent(body, "    ").lstrip())
        return "\n\n".join(p for p in parts if p) + "\n"

    # --- blocks -----------------------------------------------------------------------------

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            return "#" * block.level + " " + self.inline(block.children)
        if isinstance(block, Paragraph):
            text = self.inline(block.children)
            return f"*{text}*" if block.role == "note" and text else text
        if isinstance(block, ListBlock):
            return self.list(block)
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Quote):
            body = "\n\n".join(self.block(b) for b in block.blocks)
            return "\n".join(("> " + line).rstrip() for line in body.split("\n"))
        raise TypeError(f"unknown block {type(block).__name__}")

    def list(self, block: ListBlock) -> str:
        items = []
        for n, item in enumerate(block.items, block.start):
            marker = f"{n}." if block.ordered else "-"
            body = "\n\n".join(self.block(b) for b in item)
            pad = " " * (len(marker) + 1)
            items.append(marker + " " + _indent(body, pad).lstrip())
        return "\n".join(items)

    def table(self, table: Table) -> str:
        width = len(table.columns)
        header = [self.cells(row.cells, width) for row in table.header] or [[""] * width]
        body = [self.cells(row.cells, width, bold=row.role != "body") for row in table.body]
        body = [[f"**{c}**" if c else c for c in cells] for cells in header[1:]] + body
        rule = {"left": ":---", "right": "---:", "center": ":---:"}
        lines = [
            _row(header[0]),
            _row([rule[column.align] for column in table.columns]),
            *(_row(cells) for cells in body),
        ]
        return "\n".join(lines) + "\n\nTable: " + escape(table.label)

    def cells(self, cells, width: int, bold: bool = False) -> list[str]:
        out = []
        for cell in cells:
            text = self.inline(cell.children, in_table=True)
            out.append(f"**{text}**" if bold and text else text)
            out += [""] * (cell.colspan - 1)
        return (out + [""] * width)[:width]

    # --- inline content ---------------------------------------------------------------------

    def inline(self, children: tuple[Inline, ...], in_table: bool = False) -> str:
        parts = []
        for child in children:
            if isinstance(child, Text | Computed):
                text = escape(child.text)
                parts.append(text.replace("|", "\\|") if in_table else text)
            elif isinstance(child, Strong):
                parts.append(_wrap("**", self.inline(child.children, in_table)))
            elif isinstance(child, Emphasis):
                parts.append(_wrap("*", self.inline(child.children, in_table)))
            elif isinstance(child, Link):
                label = self.inline(child.children, in_table)
                parts.append(f"[{label}]({child.href.replace(')', '%29')})")
            elif isinstance(child, LineBreak):
                parts.append(" " if in_table else "\\\n")
            elif isinstance(child, FootnoteRef):
                self.footnotes.append((child.number, child.blocks))
                parts.append(f"[^{child.number}]")
        return "".join(parts)


def _wrap(mark: str, text: str) -> str:
    # Emphasis cannot open or close next to a space in Markdown: keep spaces outside it.
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("\n", " ") for c in cells) + " |"


def _indent(text: str, pad: str) -> str:
    return "\n".join(pad + line if line else line for line in text.split("\n"))


def to_markdown(document: Document) -> str:
    """Return `document` as pandoc Markdown (without the title, which is metadata)."""
    return MarkdownWriter().document(document)
