"""The output-neutral document model that every writer walks.

Compose builds it once; the Word and HTML writers only read it. Nothing here knows about YAML,
the source model or a particular document kind. Every figure is already formatted as the reader
sees it, every table is already numbered, and every computed figure carries its explanation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# --- inline content -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    """Bold text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Italic text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; `href` is already checked to be a safe http(s)/mailto address."""

    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A line break inside a paragraph or cell."""


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A footnote, placed where its reference mark stands; numbered document-wide by compose."""

    number: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Computed:
    """A figure the tool computed; `explanation` says how (e.g. "720 + 7.500 = 8.220")."""

    text: str
    explanation: str
    # The YAML path of the stated figure this one is checked against (or stands for), so a
    # problem can be tied to its cell; () when there is none.
    path: tuple[str | int, ...] = ()


@dataclass(frozen=True, slots=True)
class Remark:
    """A problem the tool found, as the reviewer's edition shows it.

    `number` is its place in the verification summary (1-based) and names it in every writer;
    `line` is the summary's line (where in the source, and what); `message` and `hint` are what
    the place in the document says; `stated` is the author's figure where the place shows the
    computed one instead. `placed` says compose found the problem's place in the document.
    """

    number: int
    severity: Literal["error", "warning"]
    line: str
    message: str = ""
    hint: str = ""
    stated: str = ""
    placed: bool = False


Origin = tuple[str | int, ...]  # where in the source something came from: keys and indices


@dataclass(frozen=True, slots=True)
class Placed:
    """Inline content that came from the source at `origin` (e.g. ("baggrund",)).

    `remarks` are the problems found there; without any, it reads as its children.
    """

    children: tuple[Inline, ...]
    origin: Origin = ()
    remarks: tuple[Remark, ...] = ()


Inline = Text | Strong | Emphasis | Link | LineBreak | FootnoteRef | Computed | Placed


def plain_text(children: tuple[Inline, ...], *, footnote_marks: bool = False) -> str:
    """Return inline content as a reader sees it: line breaks as newlines, footnote marks as
    their numbers when `footnote_marks`, otherwise left out."""
    parts = []
    for child in children:
        if isinstance(child, Text | Computed):
            parts.append(child.text)
        elif isinstance(child, Strong | Emphasis | Link | Placed):
            parts.append(plain_text(child.children, footnote_marks=footnote_marks))
        elif isinstance(child, LineBreak):
            parts.append("\n")
        elif isinstance(child, FootnoteRef) and footnote_marks:
            parts.append(str(child.number))
    return "".join(parts)


# --- blocks ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; level 1 is the document title, 2 a section, 3+ sub-headings."""

    level: int
    children: tuple[Inline, ...]


ParagraphRole = Literal["body", "lead", "signature", "note"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph; `role` says what it is for, not how it looks.

    "body" is running text; "lead" a prominent line right under the title (e.g. "DELAFTALE -
    Aktivitetsparate"); "signature" the signature line after the body; "note" a small note
    under a table (e.g. "Note til tabel 2: ...").
    """

    children: tuple[Inline, ...]
    role: ParagraphRole = "body"


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bulleted or numbered list; each item is a sequence of blocks."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


Align = Literal["left", "right", "center"]
RowRole = Literal["header", "body", "total", "group"]


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: how its cells align and its relative width."""

    align: Align = "left"
    width: float = 1.0
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell; an empty `children` is a blank cell.

    `origin` is where in the source its figure or text was stated (the stated total it shows
    or replaces), so that compose can put the problems found there in `remarks`.
    """

    children: tuple[Inline, ...] = ()
    colspan: int = 1
    origin: Origin = ()
    remarks: tuple[Remark, ...] = ()


@dataclass(frozen=True, slots=True)
class Row:
    """A table row; `role` decides header styling, bold totals and group headings."""

    cells: tuple[Cell, ...]
    role: RowRole = "body"


@dataclass(frozen=True, slots=True)
class Table:
    """A table with its caption; `number` is None for an unnumbered table (e.g. a grid).

    `row_headers` says the first cell of each body row names the row (rendered as a row header).
    `description` tells a screen reader how to read a table without header rows (e.g. the grid
    of districts); a table with header rows is described from them.
    """

    caption: str
    columns: tuple[Column, ...]
    header: tuple[Row, ...]
    body: tuple[Row, ...]
    number: int | None = None
    row_headers: bool = True
    description: str = ""

    @property
    def label(self) -> str:
        """Return the caption as printed, e.g. "Tabel 2 - Oversigt over ..."."""
        if self.number is None:
            return self.caption
        return f"Tabel {self.number} - {self.caption}"


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted passage (e.g. a party's protocol remark); may hold paragraphs and lists."""

    blocks: tuple[Block, ...]


Block = Heading | Paragraph | ListBlock | Table | Quote

# --- the document ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Check:
    """One stated figure the tool compared with its own computation.

    `rounding` marks a difference the rounding of the shown figures explains: reported as a
    warning, printed with a note, and not counted as a failure.
    """

    where: str
    stated: str
    computed: str
    ok: bool
    rounding: bool = False


@dataclass(frozen=True, slots=True)
class Verification:
    """What was verified, for the reviewer summary at the top of the HTML."""

    checks: tuple[Check, ...] = ()
    computed_count: int = 0
    problems: tuple[Remark, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document, ready for any writer.

    `sender` is the block that opens a note ("KØBENHAVNS KOMMUNE", the administration, ...);
    `identifier` is the short id shown in the page header (e.g. "BI19"); `draft` marks the
    document as a draft ("UDKAST") in every format. `meta` holds label/value lines shown under
    the sender block and above the title, e.g. (("Mødedato", "17.06.2024, kl. 16:00"),).
    """

    title: str
    blocks: tuple[Block, ...]
    kind_label: str = ""
    identifier: str = ""
    sender: tuple[str, ...] = ()
    language: str = "da-DK"
    subject: str = ""
    draft: bool = False
    verification: Verification = field(default_factory=Verification)
    meta: tuple[tuple[str, str], ...] = ()
    # Where a list of the footnotes stands, as the index of the block it precedes (the memo's
    # "Fodnoter" before "Beslutning"); None puts it after the last block. Word keeps its
    # footnotes at the foot of their page either way.
    footnotes_at: int | None = None
