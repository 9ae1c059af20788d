"""Markdown prose to document blocks, with footnotes numbered across the document."""

from __future__ import annotations

import re
from functools import cache
from itertools import count
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from ..document.model import (
    Block,
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
    Text,
)

SAFE_SCHEMES = ("http://", "https://", "mailto:")
MAX_INLINE_DEPTH = 8  # nested emphasis and links kept; deeper ones keep only their text


@cache
def _parser() -> MarkdownIt:
    # Raw HTML is never passed through: a source is text, not markup for the browser.
    return MarkdownIt("commonmark", {"html": False}).use(footnote_plugin)


class Footnotes:
    """Numbers footnotes in document order across every prose field of one document."""

    def __init__(self) -> None:
        self._numbers = count(1)

    def next(self) -> int:
        return next(self._numbers)


def to_blocks(text: str | None, footnotes: Footnotes, heading_level: int = 3) -> list[Block]:
    """Return the blocks of Markdown `text`; its headings start at `heading_level`."""
    if not text:
        return []
    plain = plain_paragraphs(text)
    if plain is not None:
        return [Paragraph((Text(paragraph),)) for paragraph in plain]
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    body, notes = _split_footnotes(tokens)
    levels = [int(t.tag[1]) for t in body if t.type == "heading_open"]
    shift = heading_level - min(levels) if levels else 0
    converter = _Converter(footnotes, notes, shift)
    return converter.blocks(body)


# Plain prose, which Markdown reads as paragraphs of text and nothing else: no character that
# starts inline markup (emphasis, code, links, footnotes, escapes, entities, autolinks), no
# hard break (two spaces at a line's end), no other space ending a line (the parser strips
# it), and no line that could open a block (a heading, quote, list item, rule, fence, setext
# underline, indented code). Most of a round's texts are such prose; they need not go
# through the parser (a third of composing a note).
_NOT_PLAIN = re.compile(r"[\\`*_\[\]!<>&\t\r\0]|  \n| $|[^\S \n](?:\n|$)")
_BLOCK_START = re.compile(r"[#>\-*+=_~`|<]|\d{1,9}[.)](?:\s|$)|\s")


def plain_paragraphs(text: str) -> list[str] | None:
    """Return the paragraphs of `text` as Markdown reads them if it is plain prose, else None.

    A paragraph's lines are joined by a space (a soft break); blank lines part paragraphs.
    tests/test_markdown_plain.py holds this to the parser's result on generated texts.
    """
    if _NOT_PLAIN.search(text):
        return None
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in text.split("\n"):
        if not line.strip(" "):
            if lines:
                paragraphs.append(" ".join(lines))
                lines = []
            continue
        line = line.rstrip(" ")
        if _BLOCK_START.match(line) or line[-1].isspace():
            return None
        lines.append(line)
    if lines:
        paragraphs.append(" ".join(lines))
    return paragraphs


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], dict[int, list[Token]]]:
    """Separate the footnote definitions (collected at the end by the plugin) from the body."""
    body: list[Token] = []
    notes: dict[int, list[Token]] = {}
    current: list[Token] | None = None
    inside_block = False
    for token in tokens:
        if token.type == "footnote_block_open":
            inside_block = True
        elif token.type == "footnote_block_close":
            inside_block = False
        elif token.type == "footnote_open":
            current = notes.setdefault(token.meta["id"], [])
        elif token.type == "footnote_close":
            current = None
        elif token.type == "footnote_anchor":
            continue
        elif inside_block:
            if current is not None:
                current.append(token)
        else:
            body.append(token)
    return body, notes


class _Converter:
    def __init__(self, footnotes: Footnotes, notes: dict[int, list[Token]], shift: int) -> None:
        self.footnotes = footnotes
        self.notes = notes
        self.shift = shift
        self.inside_footnote = False

    def blocks(self, tokens: list[Token]) -> list[Block]:
        out: list[Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "paragraph_open":
                out.append(Paragraph(self.inlines(tokens[i + 1].children or [])))
                i += 3
            elif kind == "heading_open":
                level = min(6, int(token.tag[1]) + self.shift)
                out.append(Heading(level, self.inlines(tokens[i + 1].children or [])))
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                end = _closing(tokens, i)
                out.append(self.list_block(tokens[i : end + 1]))
                i = end + 1
            elif kind in ("fence", "code_block"):
                out.append(Paragraph((Text(token.content.rstrip("\n")),)))
                i += 1
            elif kind == "blockquote_open":
                end = _closing(tokens, i)
                out.append(Quote(tuple(self.blocks(tokens[i + 1 : end]))))
                i = end + 1
            else:  # hr and anything else carries no text
                i += 1
        return out

    def list_block(self, tokens: list[Token]) -> ListBlock:
        opening = tokens[0]
        ordered = opening.type == "ordered_list_open"
        start = int(opening.attrs.get("start", 1)) if ordered else 1
        items: list[tuple[Block, ...]] = []
        i = 1
        while i < len(tokens) - 1:
            if tokens[i].type == "list_item_open":
                end = _closing(tokens, i)
                items.append(tuple(self.blocks(tokens[i + 1 : end])))
                i = end + 1
            else:
                i += 1
        return ListBlock(ordered, tuple(items), start)

    def inlines(self, tokens: list[Token]) -> tuple[Inline, ...]:
        stack: list[tuple[str, Any, list[Inline]]] = [("root", None, [])]
        for token in tokens:
            kind = token.type
            children = stack[-1][2]
            if kind == "text" or kind == "code_inline":
                _append_text(children, token.content)
            elif kind == "softbreak":
                _append_text(children, " ")
            elif kind == "hardbreak":
                children.append(LineBreak())
            elif kind in ("strong_open", "em_open", "link_open"):
                # Past a sane depth, emphasis is dropped (its text kept): thousands of nested
                # "**" must not exhaust the writers' recursion.
                passing = len(stack) > MAX_INLINE_DEPTH
                stack.append(("pass" if passing else kind, token.attrs.get("href"), []))
            elif kind in ("strong_close", "em_close", "link_close"):
                opened, href, inner = stack.pop()
                if opened == "pass":
                    stack[-1][2].extend(inner)
                else:
                    stack[-1][2].extend(_wrap(opened, href, tuple(inner)))
            elif kind == "image":
                _append_text(children, token.content or "")
            elif kind == "footnote_ref":
                if self.inside_footnote:  # a footnote referring to a footnote: plain text
                    _append_text(children, token.content or f"[^{token.meta['label']}]")
                    continue
                note = self.notes.get(token.meta["id"], [])
                number = self.footnotes.next()
                self.inside_footnote = True
                try:
                    children.append(FootnoteRef(number, tuple(self.blocks(note))))
                finally:
                    self.inside_footnote = False
            else:
                _append_text(children, token.content)
        return tuple(stack[0][2])


def _wrap(opened: str, href: Any, inner: tuple[Inline, ...]) -> list[Inline]:
    if opened == "strong_open":
        return [Strong(inner)]
    if opened == "em_open":
        return [Emphasis(inner)]
    if isinstance(href, str) and href.lower().startswith(SAFE_SCHEMES):
        return [Link(href, inner)]
    return list(inner)  # an unsafe or relative link keeps its text, loses its target


def _append_text(children: list[Inline], text: str) -> None:
    if not text:
        return
    if children and isinstance(children[-1], Text):
        children[-1] = Text(children[-1].text + text)
    else:
        children.append(Text(text))


def _closing(tokens: list[Token], start: int) -> int:
    """Return the index of the token that closes `tokens[start]`."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1
