"""A Word document as a source of one of notebuild's kinds: which kind, and its fields.

The kind is given, or guessed from what the document shows (an id such as BI19 in the title,
"Mødedato:", "DELAFTALE", the section headings of each kind). What cannot be placed in a field
is kept in the source as a comment and listed as a notice; nothing is dropped silently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..readers.source_data import Imported, Notice, Prose
from ..readers.word_document import Paragraph, Table, WordDocument
from ..readers.word_layout import Layout, heading_key, lay_out, normal
from ..readers.word_markdown import Footnoting, MarkdownWriter
from .organisation import Organisation
from .word_budget_note import ID, BudgetNoteReader
from .word_fields import KindReader

if TYPE_CHECKING:  # kinds are passed in; the readers do not load them
    from .registry import Kind, Kinds


class ImportError_(Exception):
    """The document cannot be made a source; the message is Danish and says what to do."""


def headings_of(kind: Kind) -> dict[str, str]:
    """Return a kind's section headings (normalised) and the first field each holds."""
    out = {}
    for section in kind.spec.sections:
        if section.heading:
            out[normal(section.heading)] = (section.field_names or [""])[0]
    return out


def guess_kind(doc: WordDocument, kinds: Kinds) -> str | None:
    """Return the kind whose headings and marks the document shows most of."""
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    headings = {heading_key(b.text) for b in doc.blocks if isinstance(b, Paragraph)}
    top = " ".join(texts[:8]) + " " + " ".join(doc.header_lines) + " " + doc.title
    scores: dict[str, int] = {}
    for name in kinds:
        kind = kinds.get(name)
        assert kind is not None
        score = len(headings & set(headings_of(kind)))
        spec = kind.spec
        if spec.model == "budgetnotat":
            first = next((b.text for b in doc.blocks if isinstance(b, Paragraph) and b.level), "")
            if ID.match(first) or ID.match(doc.title):
                score += 3
        for label in spec.meta:
            if f"{label.casefold()}:" in top.casefold():
                score += 2
        for section in spec.sections:
            if section.text and section.role == "lead":
                lead = section.text.split("{")[0].strip(" –-")
                if lead and lead.casefold() in top.casefold():
                    score += 3
        scores[name] = score
    best = max(scores.items(), key=lambda item: item[1], default=(None, 0))
    return best[0] if best[1] > 0 else None


def word_to_source(
    doc: WordDocument, kinds: Kinds, org: Organisation, kind_name: str | None = None
) -> Imported:
    """Return the document as a source of `kind_name` (guessed when None)."""
    name = kind_name or guess_kind(doc, kinds)
    if name is None:
        raise ImportError_(
            "det kan ikke ses, hvilken slags dokument det er (ingen kendte overskrifter som "
            "Baggrund, Resumé eller UDFORDRINGER). Angiv typen med --kind, fx --kind budgetnotat."
        )
    kind = kinds.get(name)
    if kind is None:
        raise ImportError_(f"ukendt dokumenttype '{name}'; vælg blandt {', '.join(sorted(kinds))}.")
    notices: list[Notice] = [Notice(n.code, n.message) for n in doc.notices]
    places: dict[tuple[str, ...], str] = {}
    known = set(headings_of(kind))
    layout = lay_out(doc, known, notices)
    notes = Footnoting(real=doc.footnotes, typed=dict(layout.typed_notes))
    writer = MarkdownWriter(notes, layout.section_level)
    leftover: list = []
    if kind.spec.model == "budgetnotat":
        data = _budget_note(kind, org, writer, notices, places, layout, doc, leftover)
    else:
        reader = KindReader(kind, org, writer, notices, places)
        data = reader.read(layout, doc.header_lines, leftover)
    comments = _leftovers(leftover, writer, notices)
    if notes.unmatched:
        marks = ", ".join(str(m) for m in dict.fromkeys(notes.unmatched))
        notices.append(
            Notice(
                "word-footnote-mark",
                f"fodnotemærke {marks} er skrevet med hævet skrift, men har ingen fodnotetekst; "
                "mærket står som tekst",
                hint="Indsæt fodnoten i Word med Referencer > Indsæt fodnote.",
            )
        )
    for number, paragraph in sorted(notes.typed.items()):
        notices.append(
            Notice(
                "word-unmapped",
                f"fodnote {number} ('{paragraph.text[:60]}') henvises der ikke til; den er ikke "
                "taget med",
                "fodnoterne",
            )
        )
    return Imported(kind.type, data, places, notices, comments)


def _budget_note(
    kind: Kind,
    org: Organisation,
    writer: MarkdownWriter,
    notices: list[Notice],
    places: dict,
    layout: Layout,
    doc: WordDocument,
    leftover: list,
) -> dict:
    fields = headings_of(kind)
    sections: dict[str, list] = {}
    for section in layout.sections:
        field_name = fields.get(heading_key(section.name))
        if field_name:
            sections.setdefault(field_name, []).append(section)
        else:
            notices.append(
                Notice(
                    "word-unknown-section",
                    f'afsnittet "{section.name}" hører ikke til et budgetnotat; det står som '
                    "kommentar sidst i kilden",
                    f'overskriften "{section.name}"',
                )
            )
            leftover.append((section.name, section.blocks))
    title = layout.title.text if layout.title is not None else doc.title
    if layout.preamble:
        leftover.append(("før første overskrift", layout.preamble))
    assert kind.spec.texts is not None  # a budget-note kind declares its texts (registry)
    reader = BudgetNoteReader(org, writer, notices, places, kind.spec.texts)
    return reader.read(" ".join(title.split()), doc.header_lines, sections, leftover)


def _leftovers(leftover: list, writer: MarkdownWriter, notices: list[Notice]) -> list[str]:
    """Return what no field holds as comment lines for the end of the source, and say so."""
    comments: list[str] = []
    for where, blocks in leftover:
        blocks = blocks if isinstance(blocks, list) else [blocks]
        lines: list[str] = []
        paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
        if paragraphs:
            lines += writer.field(paragraphs).splitlines()
        for block in blocks:
            if isinstance(block, Table):
                lines.append(f"[{block.caption or f'tabel nr. {block.number}'}]")
                lines += [" | ".join(c.text for c in row if not c.covered) for row in block.rows]
            elif isinstance(block, Prose):
                lines += block.splitlines()
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        notices.append(
            Notice(
                "word-unmapped",
                f'{len(lines)} linjer under "{where}" passer ikke i et felt; de står som '
                "kommentar sidst i kilden",
                f'"{where}"',
                hint="Flyt teksten ind i et felt, eller slet kommentaren.",
            )
        )
        comments.append(f"Ikke overført fra Word ({where}):")
        comments += [f"  {line}" for line in lines]
    return comments
