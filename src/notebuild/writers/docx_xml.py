"""Raw WordprocessingML: footnotes, fields, captions, numbering, and fast runs and styles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.parts.story import StoryPart
from docx.text.paragraph import Paragraph

from notebuild.document.model import (
    Computed,
    Emphasis,
    Inline,
    LineBreak,
    Placed,
    Strong,
    Text,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.parts.document import DocumentPart

FOOTNOTE_TEXT_STYLE = "FootnoteText"
FOOTNOTE_REFERENCE_STYLE = "FootnoteReference"
HYPERLINK_STYLE = "Hyperlink"
CAPTION_STYLE = "Caption"
TABLE_STYLE = "KBH Tabel"
TABLE_TEXT_STYLE = "Tabeltekst"

# The zip entries' timestamp; the earliest a zip can hold, so rebuilds are byte-identical.


class _StoryParent:
    """Stand in as the parent of paragraphs that live in a part python-docx does not model."""

    def __init__(self, part: StoryPart) -> None:
        self.part = part


class Footnote:
    """One footnote's body in word/footnotes.xml, to which paragraphs are added."""

    def __init__(self, element: BaseOxmlElement, footnote_id: int, part: StoryPart) -> None:
        self.element = element
        self.id = footnote_id
        self.part = part

    def add_paragraph(self) -> Paragraph:
        """Append a FootnoteText paragraph; the first one opens with the footnote's number."""
        first = len(self.element) == 0
        p = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        p_pr.append(_val("w:pStyle", FOOTNOTE_TEXT_STYLE))
        p.append(p_pr)
        self.element.append(p)
        if first:
            mark = _styled_run(FOOTNOTE_REFERENCE_STYLE)
            mark.append(OxmlElement("w:footnoteRef"))
            p.append(mark)
            space = OxmlElement("w:r")
            space.append(_text(" "))
            p.append(space)
        return Paragraph(p, _StoryParent(self.part))  # type: ignore[arg-type]


def footnotes_part(document_part: DocumentPart) -> StoryPart:
    """Return the document's footnotes part, loaded as a story part so it can hold runs."""
    for rel in document_part.rels.values():
        if rel.reltype != RT.FOOTNOTES or rel.is_external:
            continue
        part = rel.target_part
        if isinstance(part, StoryPart):
            return part
        # python-docx loads footnotes.xml as an opaque blob; swap in a story part over its XML.
        story = StoryPart.load(part.partname, part.content_type, part.blob, part.package)
        for old in part.rels.values():
            story.rels.add_relationship(old.reltype, old._target, old.rId, old.is_external)
        rel._target = story
        return story
    raise ValueError("Word-skabelonen mangler en fodnotedel (word/footnotes.xml).")


# The next footnote id of each footnotes part: the template's own ids are read once, so a
# note with n footnotes costs n steps, not n² (20,000 footnotes took minutes).
_next_footnote_id: WeakKeyDictionary[StoryPart, int] = WeakKeyDictionary()


def add_footnote(paragraph: Paragraph, container: BaseOxmlElement | None = None) -> Footnote:
    """Add a footnote reference run to the paragraph (or `container`) and return its body."""
    part = footnotes_part(paragraph.part.package.main_document_part)
    root = part.element
    footnote_id = _next_footnote_id.get(part)
    if footnote_id is None:
        ids = [int(fn.get(qn("w:id"))) for fn in root.findall(qn("w:footnote"))]
        footnote_id = max([0, *ids]) + 1
    _next_footnote_id[part] = footnote_id + 1
    element = OxmlElement("w:footnote", {qn("w:id"): str(footnote_id)})
    root.append(element)
    reference = _styled_run(FOOTNOTE_REFERENCE_STYLE)
    reference.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(footnote_id)}))
    (paragraph._p if container is None else container).append(reference)
    return Footnote(element, footnote_id, part)


def add_hyperlink(
    paragraph: Paragraph, url: str, container: BaseOxmlElement | None = None
) -> BaseOxmlElement:
    """Append an external hyperlink to the paragraph and return it, ready for runs."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink", {qn("r:id"): r_id, qn("w:history"): "1"})
    (paragraph._p if container is None else container).append(link)
    return link


def append_run(
    parent: BaseOxmlElement,
    text: str,
    *,
    style_id: str | None = None,
    bold: bool = False,
    italic: bool = False,
) -> BaseOxmlElement:
    """Append a run of `text` to `parent` (a w:p or a w:hyperlink) and return it.

    The same elements python-docx makes for `run.text = text`, built directly: it walks the
    XML once per property, which made runs a large part of a note's render time. A tab
    becomes w:tab and a line break w:br; text keeps its outer spaces.
    """
    r = parent.makeelement(_R)
    parent.append(r)
    if style_id is not None or bold or italic:
        r_pr = r.makeelement(_R_PR)
        r.append(r_pr)
        if style_id is not None:
            r_pr.append(r_pr.makeelement(_R_STYLE, {_VAL: style_id}))
        if bold:
            r_pr.append(r_pr.makeelement(_B))
        if italic:
            r_pr.append(r_pr.makeelement(_I))
    for piece in _BREAKS.split(text):
        if piece == "\t":
            r.append(r.makeelement(_TAB))
        elif piece in ("\n", "\r"):
            r.append(r.makeelement(_BR))
        elif piece == "-":
            t = r.makeelement(_T)
            t.text = piece
            r.append(t)
        elif piece:
            t = r.makeelement(_T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_XML_SPACE, "preserve")
            r.append(t)
    return r


def runs_xml(
    children: tuple[Inline, ...], *, bold: bool = False, italic: bool = False
) -> str | None:
    """Return the runs of plain inline content as XML text: what `append_run` makes of it.

    For text, computed figures, bold, italic and line breaks; a hyphen between digits
    ("2016-17") is a non-breaking hyphen, so a cell never breaks there. None when it holds a
    link or a footnote, which need the document's relationships and are written as elements.
    """
    xml: list[str] = []
    for child in children:
        if isinstance(child, Text | Computed):
            xml.append(_run_xml(child.text, bold, italic))
        elif isinstance(child, Strong | Emphasis):
            inner = runs_xml(
                child.children,
                bold=bold or isinstance(child, Strong),
                italic=italic or isinstance(child, Emphasis),
            )
            if inner is None:
                return None
            xml.append(inner)
        elif isinstance(child, LineBreak):
            xml.append("<w:r><w:br/></w:r>")
        elif isinstance(child, Placed) and not child.remarks:
            inner = runs_xml(child.children, bold=bold, italic=italic)
            if inner is None:
                return None
            xml.append(inner)
        else:
            return None
    return "".join(xml)


def run_xml(
    text: str,
    *,
    style_id: str | None = None,
    bold: bool = False,
    italic: bool = False,
    hyphens: bool = True,
) -> str:
    """Return a run of `text` as XML text: a tab becomes w:tab, a line break w:br.

    Text keeps its outer spaces. With `hyphens`, a hyphen between digits stands in a w:t of
    its own, as the writer has always written it; without, the text is split only at tabs
    and breaks, as python-docx's `run.text` does.
    """
    properties = ""
    if style_id is not None:
        properties += f"<w:rStyle w:val={quoteattr(style_id)}/>"
    if bold:
        properties += "<w:b/>"
    if italic:
        properties += "<w:i/>"
    xml = [f"<w:rPr>{properties}</w:rPr>" if properties else ""]
    for piece in (_BREAKS if hyphens else _TABS_AND_BREAKS).split(text):
        if piece == "\t":
            xml.append("<w:tab/>")
        elif piece in ("\n", "\r"):
            xml.append("<w:br/>")
        elif piece == "-":
            xml.append("<w:t>-</w:t>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            xml.append(f"<w:t{space}>{escape(piece)}</w:t>")
    inner = "".join(xml)
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


def _run_xml(text: str, bold: bool, italic: bool) -> str:
    """Return one run of `text` as XML text, formatted and split as in `append_run`."""
    properties = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    xml = ["<w:r>", f"<w:rPr>{properties}</w:rPr>" if properties else ""]
    for piece in _BREAKS.split(text):
        if piece == "\t":
            xml.append("<w:tab/>")
        elif piece in ("\n", "\r"):
            xml.append("<w:br/>")
        elif piece == "-":
            xml.append("<w:noBreakHyphen/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            xml.append(f"<w:t{space}>{escape(piece)}</w:t>")
    xml.append("</w:r>")
    return "".join(xml)


def escape(text: str) -> str:
    """Return `text` safe as XML character data.

    Not xml.sax.saxutils: importing it imports urllib and ssl, 40 ms of every start.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """Return `text` as a quoted XML attribute value, as lxml would write it."""
    escaped = escape(text).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def append_paragraph(story: BaseOxmlElement) -> BaseOxmlElement:
    """Append an empty paragraph to a body, header or footer (before a body's sectPr)."""
    p = story.makeelement(_P)
    last = story[-1] if len(story) else None
    if last is not None and last.tag == _SECT_PR:
        last.addprevious(p)
    else:
        story.append(p)
    return p


def append_break(parent: BaseOxmlElement) -> None:
    """Append a run holding a line break (w:br) to `parent`."""
    r = parent.makeelement(_R)
    r.append(r.makeelement(_BR))
    parent.append(r)


def add_simple_field(
    paragraph: Paragraph, instruction: str, result: str, container: BaseOxmlElement | None = None
) -> BaseOxmlElement:
    """Append a simple field (e.g. PAGE) showing `result` until Word updates it."""
    field = OxmlElement("w:fldSimple", {qn("w:instr"): f" {instruction} "})
    r = OxmlElement("w:r")
    r.append(_text(result))
    field.append(r)
    (paragraph._p if container is None else container).append(field)
    return field


def add_caption(paragraph: Paragraph, style_id: str, label: str, number: int, caption: str) -> None:
    """Fill the paragraph with "<label> N - caption", N a SEQ field, in the caption style."""
    set_paragraph_style(paragraph, style_id)
    append_run(paragraph._p, f"{label} ")
    # `\r N` resets the sequence to the composed number, so updating fields cannot renumber.
    add_simple_field(paragraph, f"SEQ {label} \\* ARABIC \\r {number}", str(number))
    append_run(paragraph._p, f" - {caption}")


def style_numbering(word: WordDocument, style: str) -> int:
    """Return the id of the numbering instance the list style `style` numbers with."""
    style_el = word.styles[style].element
    num_id_el = style_el.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id_el is None:
        raise ValueError(f"Typografien {style!r} er ikke nummereret i Word-skabelonen.")
    return int(num_id_el.get(qn("w:val")))


def restart_numbering(word: WordDocument, style: str, start: int = 1) -> int:
    """Return a new numbering instance of the list style's numbering that starts at `start`."""
    numbering = word.part.numbering_part.element
    num = numbering.num_having_numId(style_numbering(word, style))
    abstract_id = num.abstractNumId.val
    new_num = numbering.add_num(abstract_id)
    override = new_num.add_lvlOverride(ilvl=0)
    override.add_startOverride(start)
    return new_num.numId


def set_numbering(paragraph: Paragraph, num_id: int, level: int = 0) -> None:
    """Number the paragraph with numbering instance `num_id` at list level `level`."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def style_indent(word: WordDocument, style: str) -> tuple[int, int]:
    """Return the (left, hanging) indent in twips that paragraphs of `style` get.

    The style's own indent wins; a list style without one takes its numbering level's.
    """
    style_el = word.styles[style].element
    ind = style_el.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    if ind is None and style_el.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
        numbering = word.part.numbering_part.element
        num = numbering.num_having_numId(style_numbering(word, style))
        abstract = numbering.find(
            f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{num.abstractNumId.val}']"
        )
        ind = abstract.find(f"{qn('w:lvl')}[@{qn('w:ilvl')}='0']/{qn('w:pPr')}/{qn('w:ind')}")
    if ind is None:
        return 0, 0
    left = ind.get(qn("w:left")) or ind.get(qn("w:start")) or "0"
    return int(left), int(ind.get(qn("w:hanging")) or 0)


def set_indent(paragraph: Paragraph, left: int, hanging: int = 0) -> None:
    """Indent the paragraph `left` twips, its first line hanging `hanging` twips to the left.

    Direct indentation outranks both the paragraph style and the numbering level.
    """
    p_pr = paragraph._p.get_or_add_pPr()
    ind = p_pr.get_or_add_ind()
    ind.set(qn("w:left"), str(left))
    if hanging:
        ind.set(qn("w:hanging"), str(hanging))


def set_keep_with_next(p: BaseOxmlElement) -> None:
    """Keep the paragraph `p` (a w:p) on the page of the paragraph after it."""
    if p.tag != _P:
        return
    p_pr = p.find(_P_PR)
    if p_pr is None:
        p_pr = p.makeelement(_P_PR)
        p.insert(0, p_pr)
    if p_pr.find(_KEEP_NEXT) is None:
        keep = p_pr.makeelement(_KEEP_NEXT)
        style = p_pr.find(_P_STYLE)
        # w:keepNext follows w:pStyle in w:pPr's child order.
        if style is None:
            p_pr.insert(0, keep)
        else:
            style.addnext(keep)


def set_contextual_spacing(paragraph: Paragraph) -> None:
    """Drop the space between this paragraph and neighbours of the same style, as in a list."""
    _ensure(paragraph._p.get_or_add_pPr(), "w:contextualSpacing", CT_PPR_ORDER)


def set_default_language(word: WordDocument, language: str) -> None:
    """Set the language every run defaults to (docDefaults), e.g. "da-DK"."""
    set_styles_language(word.styles.element, language)


def set_styles_language(styles: BaseOxmlElement, language: str) -> None:
    """Set the language every run defaults to in a styles part (w:styles), e.g. "da-DK"."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        r_pr_default.append(r_pr)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)


# --- internals ------------------------------------------------------------------------------

_VAL = qn("w:val")
_R = qn("w:r")
_R_PR = qn("w:rPr")
_R_STYLE = qn("w:rStyle")
_B = qn("w:b")
_I = qn("w:i")
_T = qn("w:t")
_TAB = qn("w:tab")
_BR = qn("w:br")
_P = qn("w:p")
_P_PR = qn("w:pPr")
_SECT_PR = qn("w:sectPr")
_P_STYLE = qn("w:pStyle")
_KEEP_NEXT = qn("w:keepNext")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# A tab, a line break, or a hyphen between digits ("2016-17"), which a table cell writes as
# Word's non-breaking hyphen so a label never ends a line at it.
_BREAKS = re.compile(r"([\t\r\n]|(?<=\d)-(?=\d))")
_TABS_AND_BREAKS = re.compile(r"([\t\r\n])")

CT_PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def set_paragraph_style(paragraph: Paragraph, style_id: str | None) -> None:
    """Give `paragraph` the style with `style_id` (None: the default paragraph style).

    Directly in the XML: python-docx's `paragraph.style = …` scans every style on each call.
    """
    p = paragraph._p
    p_pr = p.find(_P_PR)
    if p_pr is None:
        if style_id is None:
            return  # already the default; an empty w:pPr would only add bytes
        p_pr = p.makeelement(_P_PR)
        p.insert(0, p_pr)
    p_style = p_pr.find(_P_STYLE)
    if style_id is None:
        if p_style is not None:
            p_pr.remove(p_style)
        return
    if p_style is None:
        p_style = p_pr.makeelement(_P_STYLE)
        p_pr.insert(0, p_style)
    p_style.set(_VAL, style_id)


def _ensure(parent: BaseOxmlElement, tag: str, order: Sequence[str]) -> BaseOxmlElement:
    """Return the child `tag` of `parent`, adding it at its schema position if missing."""
    existing = parent.find(qn(tag))
    if existing is not None:
        return existing
    successors = order[order.index(tag) + 1 :]
    return parent.insert_element_before(OxmlElement(tag), *successors)


def _val(tag: str, value: str) -> BaseOxmlElement:
    """Return an element `tag` with w:val set."""
    return OxmlElement(tag, {qn("w:val"): value})


def _text(text: str) -> BaseOxmlElement:
    """Return a w:t that keeps leading and trailing spaces."""
    t = OxmlElement("w:t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    t.text = text
    return t


def _styled_run(style_id: str) -> BaseOxmlElement:
    """Return a w:r whose run properties name the character style `style_id`."""
    r = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    r_pr.append(_val("w:rStyle", style_id))
    r.append(r_pr)
    return r
