"""Render a composed document to Word (.docx) on the house template, writing OOXML as text.

One walk over the document model writes the body, the page header's sender block, the
footnotes, the reviewer's comments, list numbering and core properties as XML text; the
template's parts, read and checked once (docx_prepared.py: kept on disk between runs, so a
note is written without python-docx), are put around it and zipped with the parts a note does
not change copied as compressed bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

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
    Remark,
    Strong,
    Table,
    Text,
    plain_text,
)
from notebuild.writers import docx_layout, docx_parts, docx_prepared, docx_table
from notebuild.writers.docx_comments import comment_xml
from notebuild.writers.docx_parts import Rel, TemplateParts, rels_xml
from notebuild.writers.docx_xml import (
    CAPTION_STYLE,
    FOOTNOTE_REFERENCE_STYLE,
    FOOTNOTE_TEXT_STYLE,
    HYPERLINK_STYLE,
    TABLE_STYLE,
    TABLE_TEXT_STYLE,
    quoteattr,
    run_xml,
)
from notebuild.writers.docx_zip import entry, zip_bytes

AUTHOR = docx_parts.AUTHOR
DRAFT_LABEL = "UDKAST"
DRAFT_RUN = (
    '<w:r><w:rPr><w:b/><w:color w:val="C00000"/><w:sz w:val="32"/></w:rPr>'
    f"<w:t>{DRAFT_LABEL}</w:t></w:r>"
)
TABLE_LABEL = "Tabel"
COLUMNS_LABEL = "Kolonner"
MAX_LIST_LEVEL = 3
KEEP_WHOLE_ROWS = 20  # a table of at most this many short rows is kept on one page
# Text right after a table stands this far from it (twips; 10 pt), as a heading, a caption and
# a table's note do by their styles; otherwise it reads as the table's last row.
AFTER_TABLE_TWIPS = 200
TABLE_FONT_PT = docx_layout.TABLE_FONT_PT
CELL_MARGINS_TWIPS = docx_layout.CELL_MARGINS_TWIPS
# Word's own Quote and Signature styles, which Danish Word shows as "Citat" and "Underskrift".
QUOTE_STYLE = "Quote"
META_STYLE = "Oplysninger"
ROLE_STYLES = {"body": None, "lead": "Indledning", "signature": "Signature", "note": "Tabelnote"}
_FOOTNOTE_MARK = (
    f'<w:r><w:rPr><w:rStyle w:val="{FOOTNOTE_REFERENCE_STYLE}"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
)


def render_docx(document: Document, template: Path) -> bytes:
    """Return the document as .docx bytes built on the Word template at `template`."""
    return _Writer(docx_prepared.template_parts(template), document).render()


class _Content:
    """The XML of a paragraph's or a hyperlink's content, piece by piece; which are runs."""

    __slots__ = ("pieces", "runs")

    def __init__(self) -> None:
        self.pieces: list[str | _Content] = []
        self.runs: list[bool] = []  # per piece: a w:r, which a comment can be anchored at

    def add(self, xml: str, run: bool = True) -> None:
        self.pieces.append(xml)
        self.runs.append(run)

    def run_count(self) -> int:
        return sum(self.runs)

    def inner(self) -> str:
        return "".join(p if isinstance(p, str) else p.xml() for p in self.pieces)

    def xml(self) -> str:  # pragma: no cover - subclasses say
        raise NotImplementedError


class _Hyperlink(_Content):
    __slots__ = ("rid",)

    def __init__(self, rid: str) -> None:
        super().__init__()
        self.rid = rid

    def xml(self) -> str:
        start = f'<w:hyperlink r:id={quoteattr(self.rid)} w:history="1"'
        inner = self.inner()
        return f"{start}>{inner}</w:hyperlink>" if inner else f"{start}/>"


class _Paragraph(_Content):
    """A w:p: its properties in schema order, then its content."""

    __slots__ = (
        "align",
        "before",
        "contextual",
        "indent",
        "keep",
        "num_id",
        "prefix",
        "style",
    )

    def __init__(self, style: str | None = None, prefix: str = "") -> None:
        super().__init__()
        self.style = style  # a style id
        self.keep = False
        self.num_id: int | None = None
        self.before: int | None = None  # space before, in twips, where the style's won't do
        self.indent: tuple[int, int] | None = None
        self.contextual = False
        self.align: str | None = None
        self.prefix = prefix  # properties written already (a table cell's)

    def properties(self) -> str:
        xml = []
        if self.style is not None:
            xml.append(f"<w:pStyle w:val={quoteattr(self.style)}/>")
        if self.keep:
            xml.append("<w:keepNext/>")
        if self.num_id is not None:
            xml.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{self.num_id}"/></w:numPr>')
        if self.before is not None:
            xml.append(f'<w:spacing w:before="{self.before}"/>')
        if self.indent is not None:
            left, hanging = self.indent
            extra = f' w:hanging="{hanging}"' if hanging else ""
            xml.append(f'<w:ind w:left="{left}"{extra}/>')
        if self.contextual:
            xml.append("<w:contextualSpacing/>")
        if self.align is not None:
            xml.append(f"<w:jc w:val={quoteattr(self.align)}/>")
        return f"<w:pPr>{''.join(xml)}</w:pPr>" if xml else ""

    def xml(self) -> str:
        inner = (self.prefix or self.properties()) + self.inner()
        return f"<w:p>{inner}</w:p>" if inner else "<w:p/>"


# Adds a paragraph of the given style (a style name; None = the default) where it belongs.
NewParagraph = Callable[[str | None], _Paragraph]


class _Writer:
    """Walk one document and write it as the parts of one .docx."""

    def __init__(self, parts: TemplateParts, document: Document) -> None:
        self.parts = parts
        self.document = document
        self.body: list[_Paragraph | str] = []
        self.footnotes: list[str] = []
        self.next_footnote_id = parts.first_footnote_id
        self.nums: list[str] = []
        self.num_ids = set(parts.num_ids)
        self.rels: list[Rel] = list(parts.rels)
        self.footnote_rels: list[Rel] = list(parts.footnote_rels)
        # Where a link relates to: the part the paragraph being written stands in.
        self.story_rels = self.rels
        self.comments: list[str] = []
        self.comment_rel = False

    def _style(self, name: str | None) -> str | None:
        return None if name is None else self.parts.style_id(name)

    @functools.cached_property
    def _table_look(self) -> docx_table.TableLook:
        """Return what every table of the document takes from the template, looked up once."""
        return docx_table.TableLook(
            table_style=self.parts.style_id(TABLE_STYLE),
            text_style=self.parts.style_id(TABLE_TEXT_STYLE),
            header_fill=self.parts.header_fill,
            margin=CELL_MARGINS_TWIPS // 2,
        )

    @functools.cached_property
    def _measure(self) -> docx_layout.Measure:
        size = self.parts.table_font_pt
        return docx_layout.Measure(TABLE_FONT_PT if size is None else size, CELL_MARGINS_TWIPS)

    @functools.cached_property
    def _layouts(self) -> dict[int, list[int]]:
        """Return the column widths of every body table by its id, siblings alike."""
        tables = [block for block in self.document.blocks if isinstance(block, Table)]
        widths = docx_layout.layouts(tables, self.parts.text_width, self._measure)
        return {id(table): widths[index] for index, table in enumerate(tables)}

    def _body_paragraph(self, style: str | None) -> _Paragraph:
        paragraph = _Paragraph(self._style(style))
        after_table = bool(self.body) and isinstance(self.body[-1], str)  # a table's XML
        spaced = style is not None and (
            style in (CAPTION_STYLE, ROLE_STYLES["note"]) or "Heading" in style
        )
        if after_table and not spaced:
            paragraph.before = AFTER_TABLE_TWIPS
        self.body.append(paragraph)
        return paragraph

    # --- the package ------------------------------------------------------------------------

    def render(self) -> bytes:
        """Write every part of the note and return the package."""
        headers = self._headers()
        self._meta()
        blocks = self.document.blocks
        previous: Block | None = None
        for position, block in enumerate(blocks):
            if isinstance(block, ListBlock) and isinstance(previous, Paragraph):
                # The sentence that introduces a list ("… følgende:") goes with its first item.
                last = self.body[-1]
                if isinstance(last, _Paragraph):
                    last.keep = True
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            self._block(block, self._body_paragraph, following=following)
            previous = block
        return self._package(headers)

    def _package(self, headers: dict[str, bytes]) -> bytes:
        parts = self.parts
        made = dict(headers)
        body = "".join(p if isinstance(p, str) else p.xml() for p in self.body)
        made[parts.document.member] = parts.document.around(body)
        if self.footnotes:
            made[parts.footnotes.member] = parts.footnotes.around("".join(self.footnotes))
        if self.nums:
            made[parts.numbering.member] = parts.numbering.around("".join(self.nums))
        if self.rels != list(parts.rels):
            made[parts.document_rels_member] = rels_xml(self.rels).encode("utf-8")
        order = parts.with_comments.order if self.comments else parts.order
        if self.footnote_rels != list(parts.footnote_rels):
            made[parts.footnote_rels_member] = rels_xml(self.footnote_rels).encode("utf-8")
            if parts.footnote_rels_member not in order:
                # The footnotes' relationships follow their part, as python-docx lists them.
                at = order.index(parts.footnotes.member) + 1
                order = (*order[:at], parts.footnote_rels_member, *order[at:])
        made[parts.core_member] = docx_parts.core_xml(parts.core, self._core_values())
        fixed = dict(parts.fixed)
        styles = parts.styles(self.document.language)
        fixed[styles.name.decode("utf-8")] = styles
        if self.comments:
            extra = parts.with_comments
            fixed[extra.content_types.name.decode("utf-8")] = extra.content_types
            made[extra.comments.member] = extra.comments.around("".join(self.comments))
        return zip_bytes(entry(name, made[name]) if name in made else fixed[name] for name in order)

    def _core_values(self) -> dict[str, str]:
        """Return title, subject, language, keywords and category of docProps/core.xml."""
        title = self.document.title
        # Word's core properties hold at most 255 characters; the printed title stays whole.
        return {
            "title": _property(f"{DRAFT_LABEL}: {title}" if self.document.draft else title),
            "subject": _property(self.document.subject),
            "language": self.document.language,
            "keywords": _property(self.document.identifier),
            "category": _property(self.document.kind_label),
        }

    def _relate(
        self, reltype: str, target: str, external: bool, rels: list[Rel] | None = None
    ) -> str:
        """Return the rId of a relationship to `target`, added if new, as python-docx does.

        In `rels`, by default those of the part being written (the body's or the footnotes').
        """
        rels = self.story_rels if rels is None else rels
        if external:
            for rel in rels:
                if rel.external and rel.reltype == reltype and rel.target == target:
                    return rel.rid
        taken = {rel.rid for rel in rels}
        rid = next(f"rId{n}" for n in range(1, len(rels) + 2) if f"rId{n}" not in taken)
        rels.append(Rel(rid, reltype, target, external))
        return rid

    # --- document-level parts ---------------------------------------------------------------

    def _headers(self) -> dict[str, bytes]:
        """Return each page header with the sender block where the template says."""
        block = self._sender_block()
        return {split.member: split.around(block) for split in self.parts.headers}

    def _sender_block(self) -> str:
        """Return the sender, the kind and identifier, and any draft mark, as paragraphs."""
        header = self._style("Header")
        paragraphs: list[_Paragraph] = []
        if self.document.draft:
            mark = _Paragraph(header)
            mark.align = "right"
            mark.add(DRAFT_RUN)
            paragraphs.append(mark)
        for index, line in enumerate(list(self.document.sender) or [""]):
            p = _Paragraph(header)
            p.add(run_xml(line, bold=index == 0))
            if index == 0 and (self.document.identifier or self.document.kind_label):
                # One tab to the Header style's only tab stop, at the right margin: a run of
                # tabs would read as blank characters to a screen reader. There the kind of
                # document ("Budgetnotat") and its identifier, as the HTML's header shows them.
                p.add(run_xml("\t"))
                if self.document.kind_label:
                    space = " " if self.document.identifier else ""
                    p.add(run_xml(f"{self.document.kind_label}{space}"))
                if self.document.identifier:
                    p.add(run_xml(self.document.identifier, bold=True))
            paragraphs.append(p)
        return "".join(p.xml() for p in paragraphs)

    def _meta(self) -> None:
        """Write the label/value lines ("Mødedato: ...") that open the body, above the title."""
        for label, value in self.document.meta:
            p = self._body_paragraph(META_STYLE)
            p.add(run_xml(f"{label}:", bold=True))
            p.add(run_xml(f" {value}"))

    # --- blocks -----------------------------------------------------------------------------

    def _block(
        self,
        block: Block,
        new: NewParagraph,
        list_level: int = 0,
        quoted: bool = False,
        following: Block | None = None,
    ) -> None:
        """Write one block through `new`, which adds paragraphs where the block belongs.

        `quoted` says the block stands inside a quote, whose paragraphs take the quote style;
        `following` is the block after it in the body, if any.
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
            # A table's note ("Note til tabel 2: …") stays on the page of its last row.
            noted = isinstance(following, Paragraph) and following.role == "note"
            self._table(block, noted)
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
            num_id: int | None = self._restart_numbering(style, block.start)
        else:
            num_id = self.parts.style_num_id(style) if quoted else None
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
                        left, hanging = self.parts.indent(list_style)
                        paragraph.indent = (self.parts.indent(QUOTE_STYLE)[0] + left, hanging)
                        # As the list styles do: no space between the items.
                        paragraph.contextual = True
                    if first and num_id is not None:
                        paragraph.num_id = num_id
                    if first and keep:
                        paragraph.keep = True
                    self._inlines(paragraph, child.children)
                    first = False
                else:
                    self._block(child, new, level, quoted)

    def _restart_numbering(self, style: str, start: int) -> int:
        """Return a new numbering instance of the list style's numbering from `start`."""
        abstract = self.parts.abstract_id(style)
        num_id = next(n for n in range(1, len(self.num_ids) + 2) if n not in self.num_ids)
        self.num_ids.add(num_id)
        self.nums.append(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            "</w:num>"
        )
        return num_id

    def _table(self, table: Table, noted: bool) -> None:
        """Write a caption paragraph, then the table with the house table style."""
        caption = self._body_paragraph(CAPTION_STYLE)
        if table.number is None:
            caption.add(run_xml(table.caption))
        else:
            number = table.number
            caption.add(run_xml(f"{TABLE_LABEL} "))
            # `\r N` resets the sequence to the composed number, so updating fields cannot
            # renumber.
            instruction = f" SEQ {TABLE_LABEL} \\* ARABIC \\r {number} "
            caption.add(
                f"<w:fldSimple w:instr={quoteattr(instruction)}><w:r>"
                f'<w:t xml:space="preserve">{number}</w:t></w:r></w:fldSimple>',
                run=False,
            )
            caption.add(run_xml(f" - {table.caption}"))

        def fill(prefix: str, cell: Cell, bold: bool, italic: bool) -> str:
            paragraph = _Paragraph(prefix=prefix)
            self._inlines(paragraph, cell.children, bold=bold, italic=italic)
            if cell.remarks:  # the reviewer's edition: the problems found at this figure
                self._comment(paragraph, paragraph, 0, cell.remarks)
            return paragraph.xml()

        widths = self._layouts.get(id(table)) or docx_layout.column_widths(
            [table], self.parts.text_width, self._measure
        )
        breakable = frozenset(
            position
            for position, (row, header, bold) in enumerate(docx_layout.rows_of(table))
            if not header and docx_layout.row_may_break(table, row, bold, widths, self._measure)
        )
        rows = len(table.header) + len(table.body)
        # A table that fits on a page is kept on one: each row goes with the next, as Word's
        # own "keep with next" on every row but the last does.
        keep_all = not breakable and rows <= KEEP_WHOLE_ROWS
        kept = frozenset(range(rows - 1) if keep_all else ()) | (
            frozenset({rows - 1}) if noted and rows else frozenset()
        )
        self.body.append(
            docx_table.table_xml(
                table, widths, self._table_look, _table_description(table), fill, breakable, kept
            )
        )

    # --- inline content ---------------------------------------------------------------------

    def _inlines(
        self,
        paragraph: _Paragraph,
        children: tuple[Inline, ...],
        *,
        bold: bool = False,
        italic: bool = False,
        link: bool = False,
        container: _Content | None = None,
        in_footnote: bool = False,
    ) -> None:
        """Append inline content to the paragraph (or to `container` inside it) as runs."""
        target = paragraph if container is None else container
        for child in children:
            if isinstance(child, Text | Computed):
                # A computed figure shows only its value; the explanation is for HTML.
                style = self._style(HYPERLINK_STYLE) if link else None
                target.add(run_xml(child.text, style_id=style, bold=bold, italic=italic))
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
                rid = self._relate(_HYPERLINK, child.href, external=True)
                hyperlink = _Hyperlink(rid)
                target.pieces.append(hyperlink)
                target.runs.append(False)
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
                target.add("<w:r><w:br/></w:r>")
            elif isinstance(child, Placed):
                start = target.run_count() if child.remarks else 0
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
                    self._comment(paragraph, target, start, child.remarks)
            elif isinstance(child, FootnoteRef):
                if in_footnote:
                    raise ValueError("En fodnote kan ikke have sin egen fodnote.")
                self._footnote(target, child)
            else:  # pragma: no cover - the model has no other inlines
                raise TypeError(f"unknown inline {child!r}")

    def _comment(
        self, paragraph: _Paragraph, target: _Content, start: int, remarks: tuple[Remark, ...]
    ) -> None:
        """Anchor a comment for each remark at the runs of `target` from the `start`th on.

        Where there are none, an empty run is added to the paragraph to anchor them at.
        """
        if not remarks:
            return
        positions = [i for i, run in enumerate(target.runs) if run][start:]
        if not positions:
            target = paragraph
            target.add("<w:r/>")
            positions = [len(target.pieces) - 1]
        first, last = positions[0], positions[-1]
        for remark in remarks:
            comment_id = len(self.comments)
            if not self.comment_rel:
                extra = self.parts.with_comments
                self._relate(extra.reltype, extra.target, external=False, rels=self.rels)
                self.comment_rel = True
            self.comments.append(comment_xml(comment_id, remark))
            target.pieces.insert(first, f'<w:commentRangeStart w:id="{comment_id}"/>')
            target.runs.insert(first, False)
            first += 1
            last += 1
            target.pieces[last + 1 : last + 1] = [
                f'<w:commentRangeEnd w:id="{comment_id}"/>',
                '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                f'<w:commentReference w:id="{comment_id}"/></w:r>',
            ]
            target.runs[last + 1 : last + 1] = [False, True]

    def _footnote(self, target: _Content, note: FootnoteRef) -> None:
        """Add a real Word footnote whose text is the note's blocks."""
        footnote_id = self.next_footnote_id
        self.next_footnote_id += 1
        target.add(
            f'<w:r><w:rPr><w:rStyle w:val="{FOOTNOTE_REFERENCE_STYLE}"/></w:rPr>'
            f'<w:footnoteReference w:id="{footnote_id}"/></w:r>'
        )
        paragraphs: list[_Paragraph] = []

        def new(style: str | None) -> _Paragraph:
            added = _Paragraph(FOOTNOTE_TEXT_STYLE if style is None else self._style(style))
            if not paragraphs:
                added.prefix = added.properties() + _FOOTNOTE_MARK
            paragraphs.append(added)
            return added

        # Reserved now: footnotes are numbered, and stand in the part, in order of reference.
        index = len(self.footnotes)
        self.footnotes.append("")
        self.story_rels = self.footnote_rels  # a link in a footnote is the footnotes part's
        try:
            for block in note.blocks:
                if isinstance(block, Paragraph):
                    self._inlines(new(None), block.children, in_footnote=True)
                elif isinstance(block, ListBlock):
                    self._footnote_list(block, new)
                else:
                    raise ValueError("En fodnote kan kun indeholde afsnit og lister.")
        finally:
            self.story_rels = self.rels
        inner = "".join(p.xml() for p in paragraphs)
        start = f'<w:footnote w:id="{footnote_id}"'
        self.footnotes[index] = f"{start}>{inner}</w:footnote>" if inner else f"{start}/>"

    def _footnote_list(self, block: ListBlock, new: NewParagraph) -> None:
        """Write a list inside a footnote as marked FootnoteText paragraphs."""
        for number, item in enumerate(block.items, start=block.start):
            mark = f"{number}. " if block.ordered else "• "
            for position, child in enumerate(item):
                if isinstance(child, Paragraph):
                    paragraph = new(None)
                    if position == 0:
                        paragraph.add(run_xml(mark, hyphen=None))
                    self._inlines(paragraph, child.children, in_footnote=True)
                elif isinstance(child, ListBlock):
                    self._footnote_list(child, new)


_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


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
