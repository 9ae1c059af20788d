"""The two editions of a composed document: the reviewer's and the published.

The reviewer's edition lists every problem found in the source in the verification summary and
puts each at its place in the document: the table cell or text whose `origin` is the problem's
YAML path. The published edition carries no tool marks at all: no summary, no explanations of
computed figures, no problems, no draft mark. Both are documents; the writers only walk them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from .. import problems as P
from ..document.model import (
    Block,
    Cell,
    Computed,
    Document,
    Emphasis,
    FootnoteRef,
    Heading,
    Inline,
    Link,
    ListBlock,
    Origin,
    Paragraph,
    Placed,
    Quote,
    Remark,
    Row,
    Strong,
    Table,
    Text,
    Verification,
)
from ..problems import Problem


def summary_line(problem: Problem) -> str:
    """Return a problem as one line for the summary: where in the source, and what."""
    where = problem.file.name
    if problem.position:
        where += f", linje {problem.position.line}"
    return f"{where} ({problem.yaml_path}): {problem.message}"


def remarks_of(problems: Iterable[Problem]) -> list[tuple[Origin, Remark]]:
    """Return each problem as a remark numbered in order, with the path it was found at."""
    return [
        (
            tuple(problem.path),
            Remark(
                number,
                problem.severity,
                summary_line(problem),
                problem.message,
                problem.hint,
                # Only a wrong stated total is shown replaced (by the computed figure); a
                # rounding difference keeps the author's figure in the table.
                problem.stated if problem.code == P.TOTAL_MISMATCH.code else "",
            ),
        )
        for number, problem in enumerate(problems, start=1)
    ]


def reviewed(document: Document, problems: Iterable[Problem]) -> Document:
    """Return the reviewer's edition: every problem in the summary, each at its place.

    A problem goes to the first cell or text (in document order) whose origin is its path;
    one without such a place (a problem with the note's id, say) is in the summary only.
    """
    found = remarks_of(problems)
    if not found:
        return document  # nothing to show: the same document (a round's notes are mostly so)
    waiting: dict[Origin, list[Remark]] = {}
    for origin, remark in found:
        if origin:
            waiting.setdefault(origin, []).append(remark)
    placed: set[int] = set()

    def take(origin: Origin) -> tuple[Remark, ...]:
        remarks = tuple(waiting.pop(origin, ())) if origin else ()
        placed.update(r.number for r in remarks)
        return tuple(replace(r, placed=True) for r in remarks)

    def cell(c: Cell) -> Cell:
        children = _inlines(c.children, inline)
        remarks = take(c.origin)
        if remarks or children != c.children:
            return replace(c, children=children, remarks=c.remarks + remarks)
        return c

    def inline(node: Inline) -> Iterable[Inline]:
        if isinstance(node, Placed):
            children = _inlines(node.children, inline)
            return (replace(node, children=children, remarks=node.remarks + take(node.origin)),)
        return (node,)

    blocks = _blocks(document.blocks, inline, cell)
    listed = tuple(replace(r, placed=r.number in placed) for _, r in found)
    verification = replace(document.verification, problems=listed)
    return replace(document, blocks=blocks, verification=verification)


def published(document: Document) -> Document:
    """Return the published edition: the same text, without any of the tool's marks."""

    def inline(node: Inline) -> Iterable[Inline]:
        if isinstance(node, Computed):
            return (Text(node.text),)
        if isinstance(node, Placed):
            return _inlines(node.children, inline)
        return (node,)

    def cell(c: Cell) -> Cell:
        return replace(c, children=_inlines(c.children, inline), remarks=())

    return replace(
        document,
        blocks=_blocks(document.blocks, inline, cell),
        draft=False,
        verification=Verification(),
    )


# --- one walk over the blocks, rebuilding what changed -----------------------------------------

InlineMap = Callable[[Inline], Iterable[Inline]]


def _inlines(nodes: tuple[Inline, ...], inline: InlineMap) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Strong | Emphasis | Link):
            node = replace(node, children=_inlines(node.children, inline))
        elif isinstance(node, FootnoteRef):
            node = replace(node, blocks=_blocks(node.blocks, inline, lambda c: c))
        out.extend(inline(node))
    return tuple(out)


def _blocks(
    blocks: tuple[Block, ...], inline: InlineMap, cell: Callable[[Cell], Cell]
) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            block = replace(block, children=_inlines(block.children, inline))
        elif isinstance(block, ListBlock):
            items = tuple(_blocks(item, inline, cell) for item in block.items)
            block = replace(block, items=items)
        elif isinstance(block, Quote):
            block = replace(block, blocks=_blocks(block.blocks, inline, cell))
        elif isinstance(block, Table):
            block = replace(
                block,
                header=tuple(_row(r, cell) for r in block.header),
                body=tuple(_row(r, cell) for r in block.body),
            )
        out.append(block)
    return tuple(out)


def _row(row: Row, cell: Callable[[Cell], Cell]) -> Row:
    return replace(row, cells=tuple(cell(c) for c in row.cells))


def placed(blocks: list[Block], origin: Origin) -> list[Block]:
    """Return `blocks` (composed from the source's value at `origin`) with their first
    paragraph's text marked as coming from there, so a problem found there is shown at it."""
    out = list(blocks)
    for index, block in enumerate(out):
        if isinstance(block, Paragraph | Heading):
            out[index] = replace(block, children=(Placed(block.children, origin),))
            return out
        if isinstance(block, ListBlock) and block.items:
            first = tuple(placed(list(block.items[0]), origin))
            out[index] = replace(block, items=(first, *block.items[1:]))
            return out
    return out
