"""Render a composed document to Word (.docx) on the house template."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path

from docx.blkcntnr import BlockItemContainer
from docx.document import Document as WordDocument
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph

from notebuild.document.model import (
    Block,
    Cell,
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
    Strong,
    Table,
    Text,
    plain_text,
)
from notebuild.writers import (
    docx_comments,
    docx_header,
    docx_layout,
    docx_table,
    docx_template,
    docx_xml,
)
from notebuild.writers.docx_package import package_bytes

AUTHOR = "Københavns Kommune"
DRAFT_LABEL = "UDKAST"
DRAFT_COLOR = RGBColor(0xC0, 0x00, 0x00)
TABLE_STYLE = "KBH Tabel"
TABLE_LABEL = "Tabel"
COLUMNS_LABEL = "Kolonner"
# Every build carries the same timestamps, so equal input gives byte-identical files.
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
MAX_LIST_LEVEL = 3
KEEP_WHOLE_ROWS = 20  # a table of at most this many short rows is kept on one page
TABLE_TEXT_STYLE = "Tabeltekst"
TABLE_FONT_PT = docx_layout.TABLE_FONT_PT
CELL_MARGINS_TWIPS = docx_layout.CELL_MARGINS_TWIPS
# Word's own Quote and Signature styles, which Danish Word shows as "Citat" and "Underskrift".
QUOTE_STYLE = "Quote"
META_STYLE = "Oplysninger"
ROLE_STYLES = {"body": None, "lead": "Indledning", "signature": "Signature", "note": "Tabelnote"}

# Adds a paragraph of the given style (None = the container's default) to a container.
NewParagraph = Callable[[str | None], WordParagraph]


def render_docx(document: Document, template: Path) -> bytes:
    """Return the document as .docx bytes built on the Word template at `template`."""
    word = docx_template.open_template(template)
    _Writer(word, document).render()
    return package_bytes(word)


class _Writer:
    """Walk one document and write it into one Word document."""

    def __init__(self, word: WordDocument, document: Document) -> None:
        self.word = word
        self.document = document
        self.section = word.sections[0]
        self.text_width = Emu(
            self.section.page_width - self.section.left_margin - self.section.right_margin
        ).twips
        self._style_ids: dict[str, str] = {}
        self._indents: dict[str, tuple[int, int]] = {}

    def _style(self, name: str | None) -> str | None:
        """Return the id of the template's style `name`, looked up once per document.

        A missing style raises KeyError here, naming the style the template lacks.
        """
        return None if name is None else self._style_id(name)

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.word.styles[name].style_id
        return self._style_ids[name]

    @functools.cached_property
    def _table_look(self) -> docx_table.TableLook:
        """Return what every table of the document takes from the template, looked up once."""
        return docx_table.TableLook(
            table_style=self._style_id(TABLE_STYLE),
            text_style=self._style_id(TABLE_TEXT_STYLE),
            header_fill=self._header_shading(),
            margin=CELL_MARGINS_TWIPS // 2,
        )

    @functools.cached_property
    def _table_font_pt(self) -> float:
        """Return the size in points of the template's table text."""
        size = self.word.styles[TABLE_TEXT_STYLE].font.size
        return TABLE_FONT_PT if size is None else size.pt

    @functools.cached_property
    def _measure(self) -> docx_layout.Measure:
        return docx_layout.Measure(self._table_font_pt, CELL_MARGINS_TWIPS)

    @functools.cached_property
    def _layouts(self) -> dict[int, list[int]]:
        """Return the column widths of every body table by its id, siblings alike."""
        tables = [block for block in self.document.blocks if isinstance(block, Table)]
        widths = docx_layout.layouts(tables, self.text_width, self._measure)
        return {id(table): widths[index] for index, table in enumerate(tables)}

    def _indent(self, name: str) -> tuple[int, int]:
        """Return the (left, hanging) indent of the template's style `name`, looked up once."""
        if name not in self._indents:
            self._indents[name] = docx_xml.style_indent(self.word, name)
        return self._indents[name]

    def _paragraph(self, container: BlockItemContainer, style: str | None) -> WordParagraph:
        """Add a paragraph with the style `style` (a style name) to `container`."""
        paragraph = WordParagraph(docx_xml.append_paragraph(container._element), container)
        docx_xml.set_paragraph_style(paragraph, self._style(style))
        return paragraph

    def render(self) -> None:
        """Write the page header, the body and the core properties."""
        self._page_header()
        self._meta()
        previous: Block | None = None
        for block in self.document.blocks:
            if isinstance(block, ListBlock) and isinstance(previous, Paragraph):
                # The sentence that introduces a list ("… følgende:") goes with its first item.
                docx_xml.set_keep_with_next(self.word.element.body[-2])
            elif (
                isinstance(previous, Table)
                and isinstance(block, Paragraph)
                and block.role == "note"
            ):
                # A table's note ("Note til tabel 2: …") stays on the page of its last row.
                last_row = self.word.element.body[-2].findall(qn("w:tr"))[-1]
                for p in last_row.iter(qn("w:p")):
                    docx_xml.set_keep_with_next(p)
            self._block(block, self._body_paragraph)
            previous = block
        self._core_properties()

    # --- document-level parts ---------------------------------------------------------------

    def _page_header(self) -> None:
        """Add the sender block to the template's page header, and to its first page's.

        What the template's header holds (a logo, a line of text) stays; the sender block
        takes the place of a paragraph reading {{afsender}}, or follows the content.
        """
        headers = [self.section.header]
        if self.section.different_first_page_header_footer:
            headers.append(self.section.first_page_header)
        for header in headers:
            marker = docx_header.prepare(header._element)
            start = len(header._element)
            self._sender_block(header)
            docx_header.place(header._element, start, marker)

    def _sender_block(self, header) -> None:
        """Write the sender, the kind and identifier, and any draft mark, into `header`."""
        lines = list(self.document.sender) or [""]
        if self.document.draft:
            mark = self._paragraph(header, "Header")
            mark.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
            run = mark.add_run(DRAFT_LABEL)
            run.bold = True
            run.font.size = Pt(16)
            run.font.color.rgb = DRAFT_COLOR
        for index, line in enumerate(lines):
            p = self._paragraph(header, "Header")._p
            docx_xml.append_run(p, line, bold=index == 0)
            if index == 0 and (self.document.identifier or self.document.kind_label):
                # One tab to the Header style's only tab stop, at the right margin: a run of
                # tabs would read as blank characters to a screen reader. There the kind of
                # document ("Budgetnotat") and its identifier, as the HTML's header shows them.
                docx_xml.append_run(p, "\t")
                if self.document.kind_label:
                    space = " " if self.document.identifier else ""
                    docx_xml.append_run(p, f"{self.document.kind_label}{space}")
                if self.document.identifier:
                    docx_xml.append_run(p, self.document.identifier, bold=True)

    def _meta(self) -> None:
        """Write the label/value lines ("Mødedato: ...") that open the body, above the title."""
        for label, value in self.document.meta:
            p = self._body_paragraph(META_STYLE)._p
            docx_xml.append_run(p, f"{label}:", bold=True)
            docx_xml.append_run(p, f" {value}")

    def _core_properties(self) -> None:
        """Set title, subject, language and fixed timestamps in docProps/core.xml."""
        core = self.word.core_properties
        title = self.document.title
        # Word's core properties hold at most 255 characters; the printed title stays whole.
        core.title = _property(f"{DRAFT_LABEL}: {title}" if self.document.draft else title)
        core.subject = _property(self.document.subject)
        core.language = self.document.language
        docx_xml.set_default_language(self.word, self.document.language)
        core.author = AUTHOR
        core.keywords = _property(self.document.identifier)
        core.category = _property(self.document.kind_label)
        core.comments = ""
        core.last_modified_by = "notebuild"
        core.revision = 1
        core.created = FIXED_TIME
        core.modified = FIXED_TIME
        core.last_printed = FIXED_TIME

    # --- blocks -----------------------------------------------------------------------------

    def _body_paragraph(self, style: str | None) -> WordParagraph:
        """Add a paragraph at the end of the body."""
        return self._paragraph(self.word._body, style)

    def _block(
        self, block: Block, new: NewParagraph, list_level: int = 0, quoted: bool = False
    ) -> None:
        """Write one block through `new`, which adds paragraphs where the block belongs.

        `quoted` says the block stands inside a quote, whose paragraphs take the quote style.
        """
        if isinstance(block, Heading):
            self._inlines(new(f"Heading {min(max(block.level, 1), 9)}"), block.children)
        elif isinstance(block, Paragraph):
            style = ROLE_STYLES[block.role]
            self._inlines(new(QUOTE_STYLE if quoted and style is None else style), block.children)
        elif isinstance(block, ListBlock):
            self._list(block, new, list_level + 1, quoted)
        elif isinstance(block, Quote):
            for child in block.blocks:
                self._block(child, new, list_level, quoted=True)
        elif isinstance(block, Table):
            if new != self._body_paragraph:
                raise ValueError("En tabel kan kun stå i dokumentets brødtekst.")
            self._table(block)
        else:  # pragma: no cover - the model has no other blocks
            raise TypeError(f"unknown block {block!r}")

    def _list(self, block: ListBlock, new: NewParagraph, level: int, quoted: bool = False) -> None:
        """Write a list: one list paragraph per item, nested lists one level deeper.

        Inside a quote the items take the quote style instead, numbered and indented as the
        list style would, plus the quote's indent.
        """
        depth = min(level, MAX_LIST_LEVEL)
        kind = "List Number" if block.ordered else "List Bullet"
        style = kind if depth == 1 else f"{kind} {depth}"
        continuation = "List Continue" if depth == 1 else f"List Continue {depth}"
        if block.ordered:
            num_id: int | None = docx_xml.restart_numbering(self.word, style, block.start)
        else:
            num_id = docx_xml.style_numbering(self.word, style) if quoted else None
        last = len(block.items) - 1
        for position, item in enumerate(block.items):
            first = True
            # The first item goes with the second and the last but one with the last, so no
            # page begins or ends with a single item of a list.
            keep = last > 0 and position in (0, last - 1)
            for child in item:
                if isinstance(child, Paragraph):
                    list_style = style if first else continuation
                    paragraph = new(QUOTE_STYLE if quoted else list_style)
                    if quoted:
                        left, hanging = self._indent(list_style)
                        docx_xml.set_indent(paragraph, self._indent(QUOTE_STYLE)[0] + left, hanging)
                        # As the list styles do: no space between the items.
                        docx_xml.set_contextual_spacing(paragraph)
                    if first and num_id is not None:
                        docx_xml.set_numbering(paragraph, num_id)
                    if first and keep:
                        docx_xml.set_keep_with_next(paragraph._p)
                    self._inlines(paragraph, child.children)
                    first = False
                else:
                    self._block(child, new, level, quoted)

    def _table(self, table: Table) -> None:
        """Write a caption paragraph, then the table with the house table style."""
        caption = self._body_paragraph(None)
        caption_style = self._style_id(docx_xml.CAPTION_STYLE)
        if table.number is None:
            docx_xml.set_paragraph_style(caption, caption_style)
            docx_xml.append_run(caption._p, table.caption)
        else:
            docx_xml.add_caption(caption, caption_style, TABLE_LABEL, table.number, table.caption)

        def fill(p, cell: Cell, bold: bool, italic: bool) -> None:
            paragraph = WordParagraph(p, self.word._body)
            self._inlines(paragraph, cell.children, bold=bold, italic=italic)
            if cell.remarks:  # the reviewer's edition: the problems found at this figure
                runs = docx_comments.runs_of(p)
                docx_comments.comment(self.word, paragraph, runs, cell.remarks)

        widths = self._layouts.get(id(table)) or docx_layout.column_widths(
            [table], self.text_width, self._measure
        )
        breakable = frozenset(
            position
            for position, (row, header, bold) in enumerate(docx_layout.rows_of(table))
            if not header and docx_layout.row_may_break(table, row, bold, widths, self._measure)
        )
        element = docx_table.table_element(
            table, widths, self._table_look, _table_description(table), fill, breakable
        )
        if not breakable and len(table.header) + len(table.body) <= KEEP_WHOLE_ROWS:
            # A table that fits on a page is kept on one: each row goes with the next, as
            # Word's own "keep with next" on every row but the last does.
            for tr in element.findall(qn("w:tr"))[:-1]:
                for p in tr.iter(qn("w:p")):
                    docx_xml.set_keep_with_next(p)
        self.word.element.body._insert_tbl(element)

    def _header_shading(self) -> str | None:
        """Return the fill the table style gives its first row, for further header rows."""
        style = self.word.styles[TABLE_STYLE].element
        for conditional in style.findall(qn("w:tblStylePr")):
            if conditional.get(qn("w:type")) == "firstRow":
                shd = conditional.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
                if shd is not None:
                    return shd.get(qn("w:fill"))
        return None

    # --- inline content ---------------------------------------------------------------------

    def _inlines(
        self,
        paragraph: WordParagraph,
        children: tuple[Inline, ...],
        *,
        bold: bool = False,
        italic: bool = False,
        link: bool = False,
        container=None,
        in_footnote: bool = False,
    ) -> None:
        """Append inline content to the paragraph (or to `container` inside it) as runs."""
        for child in children:
            if isinstance(child, Text | Computed):
                # A computed figure shows only its value; the explanation is for HTML.
                self._run(paragraph, child.text, bold, italic, link, container)
            elif isinstance(child, Strong | Emphasis):
                self._inlines(
                    paragraph,
                    child.children,
                    bold=bold or isinstance(child, Strong),
                    italic=italic or isinstance(child, Emphasis),
                    link=link,
                    container=container,
                    in_footnote=in_footnote,
                )
            elif isinstance(child, Link):
                hyperlink = docx_xml.add_hyperlink(paragraph, child.href, container)
                self._inlines(
                    paragraph,
                    child.children,
                    bold=bold,
                    italic=italic,
                    link=True,
                    container=hyperlink,
                    in_footnote=in_footnote,
                )
            elif isinstance(child, LineBreak):
                docx_xml.append_break(paragraph._p if container is None else container)
            elif isinstance(child, Placed):
                target = paragraph._p if container is None else container
                start = len(docx_comments.runs_of(target)) if child.remarks else 0
                self._inlines(
                    paragraph,
                    child.children,
                    bold=bold,
                    italic=italic,
                    link=link,
                    container=container,
                    in_footnote=in_footnote,
                )
                if child.remarks:  # the reviewer's edition: problems found in this text
                    runs = docx_comments.runs_of(target, start)
                    docx_comments.comment(self.word, paragraph, runs, child.remarks)
            elif isinstance(child, FootnoteRef):
                if in_footnote:
                    raise ValueError("En fodnote kan ikke have sin egen fodnote.")
                self._footnote(paragraph, child, container)
            else:  # pragma: no cover - the model has no other inlines
                raise TypeError(f"unknown inline {child!r}")

    def _run(
        self, paragraph: WordParagraph, text: str, bold: bool, italic: bool, link: bool, container
    ) -> None:
        """Append one run of text with the given formatting."""
        docx_xml.append_run(
            paragraph._p if container is None else container,
            text,
            style_id=self._style(docx_xml.HYPERLINK_STYLE) if link else None,
            bold=bold,
            italic=italic,
        )

    def _footnote(self, paragraph: WordParagraph, note: FootnoteRef, container) -> None:
        """Add a real Word footnote whose text is the note's blocks."""
        footnote = docx_xml.add_footnote(paragraph, container)

        def new(style: str | None) -> WordParagraph:
            added = footnote.add_paragraph()
            if style is not None:
                docx_xml.set_paragraph_style(added, self._style(style))
            return added

        for block in note.blocks:
            if isinstance(block, Paragraph):
                self._inlines(new(None), block.children, in_footnote=True)
            elif isinstance(block, ListBlock):
                self._footnote_list(block, new)
            else:
                raise ValueError("En fodnote kan kun indeholde afsnit og lister.")

    def _footnote_list(self, block: ListBlock, new: NewParagraph) -> None:
        """Write a list inside a footnote as marked FootnoteText paragraphs."""
        for number, item in enumerate(block.items, start=block.start):
            mark = f"{number}. " if block.ordered else "• "
            for position, child in enumerate(item):
                if isinstance(child, Paragraph):
                    paragraph = new(None)
                    if position == 0:
                        paragraph.add_run(mark)
                    self._inlines(paragraph, child.children, in_footnote=True)
                elif isinstance(child, ListBlock):
                    self._footnote_list(child, new)


def _table_description(table: Table) -> str:
    """Return the table's alt text: its label and what each column holds, read off its header.

    Word shows this description (not the title) in its Alt Text pane and to screen readers
    that announce a table before entering it.
    """
    if table.description:
        return table.description
    names: list[list[str]] = [[] for _ in table.columns]
    for row in table.header:
        index = 0
        for cell in row.cells:
            # A unit line under a column name ("1.000 kr., 2023 p/l") reads as its parenthesis.
            first, *rest = [
                " ".join(line.split()) for line in plain_text(cell.children).split("\n")
            ]
            rest = [line for line in rest if line]
            text = f"{first} ({', '.join(rest)})" if first and rest else first or ", ".join(rest)
            for column in range(index, min(index + cell.colspan, len(names))):
                if text and text not in names[column]:
                    names[column].append(text)
            index += cell.colspan
    label = table.label.rstrip()
    columns = [" ".join(parts) for parts in names if parts]
    if not columns:
        return label
    return f"{label.rstrip('.')}. {COLUMNS_LABEL}: {'; '.join(columns)}."


def _property(text: str, limit: int = 255) -> str:
    """Return `text` cut to Word's core-property limit, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
