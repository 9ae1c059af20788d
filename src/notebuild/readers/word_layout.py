"""A Word document's layout: title, preamble and sections, captions joined to their tables."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .source_data import Notice
from .word_document import Block, Paragraph, Table, WordDocument, is_caption
from .word_markdown import typed_footnote

_CAPTION = re.compile(r"^\s*tabel\s*(\d+)\s*[-–—:.]?\s*(.*?)\s*$", re.IGNORECASE | re.DOTALL)
_MODEL = re.compile(r"\s*\((model\s*\w+)\)\s*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_FOOTNOTE_HEADINGS = {"fodnoter", "noter", "fodnote"}


def normal(text: str) -> str:
    """Return a heading or label as compared: case folded, spaces collapsed, no end colon."""
    return " ".join(text.split()).strip().rstrip(":").strip().casefold()


def heading_key(text: str) -> str:
    """Return a heading as compared with a kind's headings: normal, without its number ("2.")."""
    return _NUMBERED.sub("", normal(text))


@dataclass(slots=True)
class Section:
    """A section: its heading paragraph and the blocks under it."""

    heading: Paragraph
    blocks: list[Block] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(self.heading.text.split())


@dataclass(slots=True)
class Layout:
    title: Paragraph | None
    preamble: list[Block]
    sections: list[Section]
    section_level: int
    typed_notes: dict[int, Paragraph]


def caption_parts(caption: str) -> tuple[int | None, str, str | None]:
    """Return a caption's table number, its title and the model it names ("model 1")."""
    match = _CAPTION.match(caption)
    number, title = (int(match[1]), match[2]) if match else (None, caption.strip())
    model = _MODEL.search(title)
    if model:
        title = title[: model.start()].rstrip()
        return number, title, " ".join(model[1].split()).lower()
    return number, title, None


def table_label(table: Table) -> str:
    """Return the table as a Word reader names it: "Tabel 2", or "tabel nr. 3 (uden titel)"."""
    number, _, _ = caption_parts(table.caption) if table.caption else (None, "", None)
    if number is not None:
        return f"Tabel {number}"
    if table.caption:
        return f'tabellen "{table.caption[:60]}"'
    return f"tabel nr. {table.number} i dokumentet (uden titel)"


def cell_place(table: Table, row: int, column: int, header: str = "") -> str:
    """Return where a cell stands as Word shows it: table, row and column, 1-based."""
    where = f"{table_label(table)}, række {row + 1}, kolonne {column + 1}"
    return f'{where} ("{header}")' if header else where


def attach_captions(blocks: list[Block], notices: list[Notice]) -> list[Block]:
    """Return the blocks with each caption moved onto its table; a repeated number is noted."""
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Paragraph) and is_caption(block) and not block.level:
            following = _next_table(blocks, index + 1)
            if following is not None and not following.caption:
                following.caption = " ".join(block.text.split())
                index += 1
                continue
        if isinstance(block, Paragraph) and (
            normal(block.style) == "tabelnote" or normal(block.text).startswith("note til tabel")
        ):
            index += 1  # the rounding note notebuild writes under a table: made again on render
            continue
        if isinstance(block, Table) and not block.caption and index + 1 < len(blocks):
            after = blocks[index + 1]
            if isinstance(after, Paragraph) and is_caption(after) and not after.level:
                block.caption = " ".join(after.text.split())
                out.append(block)
                index += 2
                continue
        out.append(block)
        index += 1
    seen: dict[int, Table] = {}
    for block in out:
        if isinstance(block, Table) and block.caption:
            number, _, _ = caption_parts(block.caption)
            if number is None:
                continue
            if number in seen:
                notices.append(
                    Notice(
                        "word-table-number",
                        f"to tabeller hedder Tabel {number} (tabel nr. {seen[number].number} og "
                        f"nr. {block.number} i dokumentet); notebuild nummererer selv tabellerne "
                        "fortløbende",
                        f"Tabel {number}, tabel nr. {block.number} i dokumentet",
                        hint="Henvisninger i teksten til tabellernes numre skal måske rettes.",
                    )
                )
            else:
                seen[number] = block
    return out


def _next_table(blocks: list[Block], start: int) -> Table | None:
    for block in blocks[start:]:
        if isinstance(block, Table):
            return block
        if block.text.strip():
            return None
    return None


def lay_out(doc: WordDocument, known: set[str], notices: list[Notice]) -> Layout:
    """Return the document split at its section headings (those of `known`, normalised)."""
    blocks = attach_captions([b for b in doc.blocks if not _empty(b)], notices)
    blocks, typed = _typed_footnotes(blocks)
    levels = Counter(
        b.level
        for b in blocks
        if isinstance(b, Paragraph) and b.level > 0 and heading_key(b.text) in known
    )
    if levels:
        section_level = levels.most_common(1)[0][0]
    else:
        present = sorted({b.level for b in blocks if isinstance(b, Paragraph) and b.level > 0})
        section_level = present[1] if len(present) > 1 and present[0] == 1 else (present or [2])[0]
    for block in blocks:  # a heading typed as a plain (often bold) line of its own
        if (
            isinstance(block, Paragraph)
            and not block.level
            and not block.list_kind
            and heading_key(block.text) in known
        ):
            block.level = section_level
    title = None
    preamble: list[Block] = []
    sections: list[Section] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.level:
            is_title = block.level == -1 or (0 < block.level < section_level)
            if is_title and title is None and not sections and heading_key(block.text) not in known:
                title = block
                continue
            if block.level == section_level or (
                block.level > 0
                and heading_key(block.text) in known
                and block.level <= section_level
            ):
                sections.append(Section(block))
                continue
        if sections:
            sections[-1].blocks.append(block)
        else:
            preamble.append(block)
    if title is None:  # no heading above the sections: a first bold line is the title
        for block in preamble:
            if (
                isinstance(block, Paragraph)
                and block.runs
                and all(r.bold for r in block.runs if r.text.strip())
            ):
                title = block
                preamble.remove(block)
                break
    return Layout(title, preamble, sections, section_level, typed)


def _empty(block: Block) -> bool:
    return (
        isinstance(block, Paragraph)
        and not block.text.strip()
        and not any(r.footnote for r in block.runs)
    )


def _typed_footnotes(blocks: list[Block]) -> tuple[list[Block], dict[int, Paragraph]]:
    """Take out footnotes typed by hand: under a heading "Fodnoter", or "¹ …" lines at the end."""
    typed: dict[int, Paragraph] = {}
    out: list[Block] = []
    inside = 0
    for block in blocks:
        if isinstance(block, Paragraph) and (
            block.level or normal(block.text) in _FOOTNOTE_HEADINGS
        ):
            inside = 1 if normal(block.text) in _FOOTNOTE_HEADINGS else 0
            if inside:
                continue
        if inside and isinstance(block, Paragraph):
            found = typed_footnote(block)
            if found:
                typed[found[0]] = found[1]
                continue
        out.append(block)
    while out and isinstance(out[-1], Paragraph) and out[-1].runs and out[-1].runs[0].superscript:
        found = typed_footnote(out[-1])
        if not found:
            break
        typed[found[0]] = found[1]
        out.pop()
    return out, typed
