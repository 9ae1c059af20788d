"""Build templates/husformat.docx, the house Word template, from python-docx's default template.

Run `python tools/make_word_template.py` after changing the look; the output is deterministic,
so an unchanged script rebuilds a byte-identical template.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path
from typing import NamedTuple

import docx
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from notebuild.files.zipfiles import fixed_zip
from notebuild.writers.docx_template import FOOTNOTES_XML

OUTPUT = Path(__file__).resolve().parents[1] / "templates" / "husformat.docx"

HEADING_FONT = "KBH"
BODY_FONT = "KBH Tekst"
DARK_BLUE = "003C71"
LIGHT_BLUE = "DCE6F2"
RULE_GREY = "A6A6A6"
LINK_BLUE = "0563C1"
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)

# A4 with 2.5 cm side margins: a 16 cm (9071 twips) text width.
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(30)
MARGIN_BOTTOM = Mm(25)
MARGIN_SIDE = Mm(25)
HEADER_DISTANCE = Mm(12.5)
FOOTER_DISTANCE = Mm(12.5)
TEXT_WIDTH_TWIPS = Emu(PAGE_WIDTH - 2 * MARGIN_SIDE).twips
QUOTE_INDENT = 567  # 1 cm, in twips
SINGLE = 240  # single line spacing, in 240ths of a line

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# Theme colours the default template's styles use that stand for the house's dark blue.
HOUSE_THEME_COLOURS = {"accent1", "text2"}

# Table styles of the default template that the house format never uses.
KEPT_TABLE_STYLES = {"TableNormal", "TableGrid"}


def fonts(name: str) -> str:
    """Return a w:rFonts element naming `name` for every script."""
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


class Spacing(NamedTuple):
    """Space before and after a paragraph (twips) and its line height (240ths of a line)."""

    before: int | None = None
    after: int | None = None
    line: int | None = None


class Para(NamedTuple):
    """A style's paragraph properties; only those set are written, in the schema's order."""

    keep_next: bool = False
    keep_lines: bool = False
    tabs: tuple[tuple[str, int], ...] = ()  # (alignment, position in twips)
    spacing: Spacing | None = None
    indent: int | None = None  # left and right alike, in twips
    contextual_spacing: bool = False
    align: str | None = None
    outline_level: int | None = None


class Run(NamedTuple):
    """A style's run properties; only those set are written, in the schema's order."""

    font: str | None = None
    bold: bool | None = None  # False writes an explicit "not bold", None leaves it inherited
    italic: bool = False
    colour: str | None = None
    size_pt: int | None = None
    underline: str | None = None
    vert_align: str | None = None


class Style(NamedTuple):
    """One house style: where it stands in Word's style list, and how it looks."""

    style_id: str
    name: str
    ui_priority: int
    type: str = "paragraph"
    based_on: str = "Normal"
    next: str | None = None  # the style of the paragraph after; None keeps this one
    unhide: bool = False  # w:unhideWhenUsed
    q_format: bool = True  # shown in the quick style gallery
    custom: bool = False  # the house's own style, not one of Word's built-in ones
    para: Para | None = None
    run: Run | None = None
    table: str = ""  # a table style's w:tblPr and w:tblStylePr, as XML


def element(tag: str, **attributes: object) -> str:
    """Return an empty w: element with the attributes that are not None, in the order given."""
    written = "".join(
        f' w:{name}="{value}"' for name, value in attributes.items() if value is not None
    )
    return f"<w:{tag}{written}/>"


def para_xml(para: Para) -> str:
    """Return the w:pPr of a style's paragraph properties."""
    tabs = "".join(element("tab", val=align, pos=pos) for align, pos in para.tabs)
    spacing = ""
    if para.spacing is not None:
        before, after, line = para.spacing
        line_rule = None if line is None else "auto"
        spacing = element("spacing", before=before, after=after, line=line, lineRule=line_rule)
    return "".join(
        [
            "<w:pPr>",
            "<w:keepNext/>" if para.keep_next else "",
            "<w:keepLines/>" if para.keep_lines else "",
            f"<w:tabs>{tabs}</w:tabs>" if tabs else "",
            spacing,
            "" if para.indent is None else element("ind", left=para.indent, right=para.indent),
            "<w:contextualSpacing/>" if para.contextual_spacing else "",
            element("jc", val=para.align) if para.align else "",
            "" if para.outline_level is None else element("outlineLvl", val=para.outline_level),
            "</w:pPr>",
        ]
    )


def run_xml(run: Run) -> str:
    """Return the w:rPr of a style's run properties."""
    weight = {None: "", True: "<w:b/><w:bCs/>", False: '<w:b w:val="0"/><w:bCs w:val="0"/>'}
    half_points = None if run.size_pt is None else run.size_pt * 2
    return "".join(
        [
            "<w:rPr>",
            fonts(run.font) if run.font else "",
            weight[run.bold],
            "<w:i/><w:iCs/>" if run.italic else "",
            element("color", val=run.colour) if run.colour else "",
            element("sz", val=half_points) + element("szCs", val=half_points)
            if half_points
            else "",
            element("u", val=run.underline) if run.underline else "",
            element("vertAlign", val=run.vert_align) if run.vert_align else "",
            "</w:rPr>",
        ]
    )


def style_xml(style: Style) -> str:
    """Return the w:style element of a house style."""
    custom = ' w:customStyle="1"' if style.custom else ""
    return "".join(
        [
            f'<w:style {nsdecls("w")} w:type="{style.type}"{custom} w:styleId="{style.style_id}">',
            element("name", val=style.name),
            element("basedOn", val=style.based_on),
            element("next", val=style.next) if style.next else "",
            element("uiPriority", val=style.ui_priority),
            "<w:unhideWhenUsed/>" if style.unhide else "",
            "<w:qFormat/>" if style.q_format else "",
            para_xml(style.para) if style.para else "",
            run_xml(style.run) if style.run else "",
            style.table,
            "</w:style>",
        ]
    )


def heading(level: int, size_pt: int, bold: bool, before: int, after: int) -> Style:
    """Return the house style for heading `level`: KBH in the dark blue, kept with what follows."""
    return Style(
        f"Heading{level}",
        f"heading {level}",
        ui_priority=9,
        next="Normal",
        unhide=level != 1,
        para=Para(
            keep_next=True,
            keep_lines=True,
            spacing=Spacing(before, after, SINGLE),
            outline_level=level - 1,
        ),
        run=Run(font=HEADING_FONT, bold=bold, colour=DARK_BLUE, size_pt=size_pt),
    )


# What only a table style has: its borders, its cell margins and the look of its header row.
KBH_TABLE = f"""
      <w:tblPr>
        <w:tblInd w:w="0" w:type="dxa"/>
        <w:tblBorders>
          <w:top w:val="single" w:sz="8" w:space="0" w:color="{DARK_BLUE}"/>
          <w:bottom w:val="single" w:sz="8" w:space="0" w:color="{DARK_BLUE}"/>
          <w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE_GREY}"/>
        </w:tblBorders>
        <w:tblCellMar>
          <w:top w:w="28" w:type="dxa"/>
          <w:left w:w="57" w:type="dxa"/>
          <w:bottom w:w="28" w:type="dxa"/>
          <w:right w:w="57" w:type="dxa"/>
        </w:tblCellMar>
      </w:tblPr>
      <w:tblStylePr w:type="firstRow">
        <w:rPr><w:b/><w:bCs/></w:rPr>
        <w:tcPr>
          <w:shd w:val="clear" w:color="auto" w:fill="{LIGHT_BLUE}"/>
        </w:tcPr>
      </w:tblStylePr>"""

STYLES = [
    heading(1, 22, True, 0, 240),
    heading(2, 14, False, 360, 120),
    heading(3, 12, False, 240, 80),
    heading(4, 12, False, 200, 60),
    *(heading(level, 10, True, 200, 60) for level in range(5, 10)),
    Style(
        "Caption",
        "caption",
        ui_priority=35,
        next="Normal",
        unhide=True,
        para=Para(
            keep_next=True, keep_lines=True, spacing=Spacing(before=240, after=80, line=SINGLE)
        ),
        run=Run(bold=True, colour=DARK_BLUE, size_pt=9),
    ),
    # Table cells get their own paragraph style: a paragraph style outranks the table style,
    # so the table style's 9 pt would lose to Normal's 10 pt.
    Style(
        "Tabeltekst",
        "Tabeltekst",
        ui_priority=39,
        custom=True,
        para=Para(spacing=Spacing(before=20, after=20, line=SINGLE)),
        run=Run(size_pt=9),
    ),
    # A quoted passage (e.g. a party's protocol remark). Word's own Quote style, which Danish
    # Word shows as "Citat": a custom style of that name would clash with it. The writer adds
    # this indent to a list's own indent for list items inside a quote.
    Style(
        "Quote",
        "Quote",
        ui_priority=29,
        next="Normal",
        para=Para(indent=QUOTE_INDENT),
        run=Run(italic=True),
    ),
    # Label/value lines above the title ("Mødedato: ..."): no space between them, a clear
    # gap after the last.
    Style(
        "Oplysninger",
        "Oplysninger",
        ui_priority=29,
        next="Normal",
        custom=True,
        para=Para(
            keep_next=True, spacing=Spacing(before=0, after=360, line=264), contextual_spacing=True
        ),
    ),
    # A prominent line right under the title, e.g. "DELAFTALE - Aktivitetsparate".
    Style(
        "Indledning",
        "Indledning",
        ui_priority=29,
        next="Normal",
        custom=True,
        para=Para(
            keep_next=True, keep_lines=True, spacing=Spacing(before=0, after=240, line=SINGLE)
        ),
        run=Run(font=HEADING_FONT, bold=True, colour=DARK_BLUE, size_pt=13),
    ),
    # The signature line after the body. Word's own Signature style, which Danish Word shows
    # as "Underskrift".
    Style(
        "Signature",
        "Signature",
        ui_priority=99,
        unhide=True,
        para=Para(keep_lines=True, spacing=Spacing(before=480, after=120)),
    ),
    # A small note right under a table ("Note til tabel 2: ...").
    Style(
        "Tabelnote",
        "Tabelnote",
        ui_priority=39,
        next="Normal",
        custom=True,
        para=Para(spacing=Spacing(before=80, after=240, line=SINGLE)),
        run=Run(size_pt=8),
    ),
    # One right tab stop only: the writer puts the note's id at the right margin with a single
    # tab, never a run of tabs (which Word's accessibility checker reports as blank characters).
    Style(
        "Header",
        "header",
        ui_priority=99,
        unhide=True,
        q_format=False,
        para=Para(tabs=(("right", TEXT_WIDTH_TWIPS),), spacing=Spacing(after=0, line=SINGLE)),
        run=Run(font=HEADING_FONT, colour=DARK_BLUE, size_pt=8),
    ),
    Style(
        "Footer",
        "footer",
        ui_priority=99,
        unhide=True,
        q_format=False,
        para=Para(
            tabs=(("center", TEXT_WIDTH_TWIPS // 2), ("right", TEXT_WIDTH_TWIPS)),
            spacing=Spacing(after=0, line=SINGLE),
            align="right",
        ),
        run=Run(size_pt=8),
    ),
    Style(
        "FootnoteText",
        "footnote text",
        ui_priority=99,
        unhide=True,
        q_format=False,
        para=Para(spacing=Spacing(after=40, line=SINGLE)),
        run=Run(size_pt=8),
    ),
    Style(
        "FootnoteReference",
        "footnote reference",
        ui_priority=99,
        type="character",
        based_on="DefaultParagraphFont",
        unhide=True,
        q_format=False,
        run=Run(vert_align="superscript"),
    ),
    Style(
        "Hyperlink",
        "Hyperlink",
        ui_priority=99,
        type="character",
        based_on="DefaultParagraphFont",
        unhide=True,
        q_format=False,
        run=Run(colour=LINK_BLUE, underline="single"),
    ),
    # The house table: horizontal rules only, a light blue header row with bold text.
    Style(
        "KBHTabel",
        "KBH Tabel",
        ui_priority=59,
        type="table",
        based_on="TableNormal",
        para=Para(spacing=Spacing(before=20, after=20, line=SINGLE)),
        run=Run(size_pt=9),
        table=KBH_TABLE,
    ),
]


# KBH is KK's own typeface; where it is missing, Word substitutes from the family and panose
# (Arial's), so the text stays sans-serif.
FONT_ENTRY = """<w:font {ns} w:name="{name}">
  <w:altName w:val="Arial"/>
  <w:panose1 w:val="020B0604020202020204"/>
  <w:charset w:val="00"/>
  <w:family w:val="swiss"/>
  <w:pitch w:val="variable"/>
</w:font>"""


def set_doc_defaults(styles_el) -> None:
    """Make KBH Tekst 10 pt, Danish, the default for every run, and every paragraph keep at
    least two lines on a page (widow and orphan control, which LibreOffice otherwise leaves
    off for a Word file that does not ask for it)."""
    defaults = styles_el.find(qn("w:docDefaults"))
    styles_el.remove(defaults)
    styles_el.insert(
        0,
        parse_xml(f"""
        <w:docDefaults {nsdecls("w")}>
          <w:rPrDefault>
            <w:rPr>
              {fonts(BODY_FONT)}
              <w:sz w:val="20"/>
              <w:szCs w:val="20"/>
              <w:lang w:val="da-DK" w:eastAsia="da-DK" w:bidi="ar-SA"/>
            </w:rPr>
          </w:rPrDefault>
          <w:pPrDefault>
            <w:pPr>
              <w:widowControl/>
              <w:spacing w:after="120" w:line="264" w:lineRule="auto"/>
            </w:pPr>
          </w:pPrDefault>
        </w:docDefaults>"""),
    )


def set_styles(styles_el) -> None:
    """Replace the default template's styles with the house styles and drop unused ones."""
    by_id = {s.get(qn("w:styleId")): s for s in styles_el.findall(qn("w:style"))}
    for style_id, style in by_id.items():
        unused_table = style.get(qn("w:type")) == "table" and style_id not in KEPT_TABLE_STYLES
        # Linked character styles ("Heading 1 Char") would keep the old theme fonts.
        old_link = style_id.endswith("Char")
        if unused_table or old_link:
            styles_el.remove(style)
    for link in styles_el.iter(qn("w:link")):
        link.getparent().remove(link)
    for style in STYLES:
        new = parse_xml(style_xml(style))
        old = by_id.get(new.get(qn("w:styleId")))
        if old is not None and old.getparent() is not None:
            old.addprevious(new)
            styles_el.remove(old)
        else:
            styles_el.append(new)


def set_house_fonts_and_colours(styles_el) -> None:
    """Name KBH where a default style used the theme's fonts, and the dark blue for its accent.

    The default template's Title and Subtitle take the theme's Calibri, and a few styles the
    theme's mid blue; Word reads the theme, LibreOffice the literal value, so both are made
    explicit and the same.
    """
    theme_attributes = [qn(f"w:{name}") for name in ("themeColor", "themeShade", "themeTint")]
    for r_fonts in styles_el.iter(qn("w:rFonts")):
        if any(name.lower().endswith("theme") for name in r_fonts.attrib):
            r_fonts.attrib.clear()
            for script in ("ascii", "hAnsi", "eastAsia", "cs"):
                r_fonts.set(qn(f"w:{script}"), HEADING_FONT)
    for element in styles_el.iter():
        if element.get(qn("w:themeColor")) in HOUSE_THEME_COLOURS:
            element.set(qn("w:color" if element.tag != qn("w:color") else "w:val"), DARK_BLUE)
            for name in theme_attributes:
                element.attrib.pop(name, None)


def set_theme(document) -> None:
    """Make the theme's heading and body fonts KBH and its accent and link colours the house's."""
    part = document.part.part_related_by(RT.THEME)
    root = parse_xml(part.blob)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for scheme, font in (("majorFont", HEADING_FONT), ("minorFont", BODY_FONT)):
        root.find(f".//{a}fontScheme/{a}{scheme}/{a}latin").set("typeface", font)
    for slot, colour in (("dk2", DARK_BLUE), ("accent1", DARK_BLUE), ("hlink", LINK_BLUE)):
        root.find(f".//{a}clrScheme/{a}{slot}/{a}srgbClr").set("val", colour)
    part._blob = _serialize(root)


def set_bullets(numbering_el) -> None:
    """Use the Unicode bullet in the text font instead of the Symbol font's private glyph."""
    for lvl in numbering_el.iter(qn("w:lvl")):
        fmt = lvl.find(qn("w:numFmt"))
        if fmt is None or fmt.get(qn("w:val")) != "bullet":
            continue
        lvl.find(qn("w:lvlText")).set(qn("w:val"), "•")
        r_pr = lvl.find(qn("w:rPr"))
        if r_pr is not None:
            lvl.remove(r_pr)


def set_page(section) -> None:
    """Set A4 with the house margins."""
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_SIDE
    section.right_margin = MARGIN_SIDE
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = FOOTER_DISTANCE
    section.gutter = 0


def add_simple_field(paragraph, instruction: str, result: str) -> None:
    """Append a simple field (e.g. PAGE) showing `result` until Word updates it."""
    field = OxmlElement("w:fldSimple", {qn("w:instr"): f" {instruction} "})
    run = OxmlElement("w:r")
    text = OxmlElement("w:t", {qn("xml:space"): "preserve"})
    text.text = result
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def set_header_footer(section) -> None:
    """Give the header an empty Header paragraph (filled per document) and number the pages."""
    header = section.header
    header.is_linked_to_previous = False
    header.paragraphs[0].style = "Header"
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
    paragraph.add_run("Side ")
    add_simple_field(paragraph, "PAGE", "1")
    paragraph.add_run(" af ")
    add_simple_field(paragraph, "NUMPAGES", "1")


def add_footnotes_part(document) -> None:
    """Add word/footnotes.xml with the separator footnotes Word expects, and declare them."""
    package = document.part.package
    part = XmlPart(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(FOOTNOTES_XML), package
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    settings = document.settings.element
    footnote_pr = parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    )
    settings.insert_element_before(
        footnote_pr, "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr"
    )


def set_settings(document) -> None:
    """Make the settings Danish: theme language and decimal/list separators."""
    settings = document.settings.element
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), "da-DK")
    settings.find(qn("w:decimalSymbol")).set(qn("w:val"), ",")
    settings.find(qn("w:listSeparator")).set(qn("w:val"), ";")
    # Hyphenate as the hand-made notes do ("Bevil-ling"): narrow table columns then break
    # words at a syllable instead of anywhere. autoHyphenation follows defaultTabStop.
    settings.find(qn("w:defaultTabStop")).addnext(
        parse_xml(f'<w:autoHyphenation {nsdecls("w")} w:val="true"/>')
    )
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)
    # The default template's document id would be shared by every note; Word makes its own.
    for doc_id in settings.findall(qn("w14:docId")):
        settings.remove(doc_id)


def drop_revision_ids(*roots) -> None:
    """Drop the editing-session ids (rsid) the default template carries in styles and sectPr.

    They mean nothing for a generated file and would be the same in every note.
    """
    for root in roots:
        for element in list(root.iter(qn("w:rsid"))):
            element.getparent().remove(element)
        for element in root.iter():
            for name in [a for a in element.attrib if a.startswith(qn("w:rsid"))]:
                del element.attrib[name]


def set_font_table(document) -> None:
    """Declare KBH and KBH Tekst in the font table with a sans-serif fallback."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    for name in (HEADING_FONT, BODY_FONT):
        root.append(parse_xml(FONT_ENTRY.format(ns=nsdecls("w"), name=name)))
    part._blob = _serialize(root)


def drop_extras(document) -> None:
    """Drop the default template's thumbnail, custom XML and Word 2010 style copy."""
    package = document.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]
    for r_id, rel in list(document.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, STYLES_WITH_EFFECTS):
            document.part.drop_rel(r_id)


def set_app_properties(document) -> None:
    """Name notebuild as the producing application in docProps/app.xml."""
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            part = rel.target_part
            root = parse_xml(part.blob)
            ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
            root.find(f"{ns}Application").text = "notebuild"
            part._blob = _serialize(root)


def set_core_properties(document) -> None:
    """Set neutral, fixed core properties; the writer fills in each document's own."""
    core = document.core_properties
    core.author = "Københavns Kommune"
    core.comments = ""
    core.last_modified_by = "notebuild"
    core.language = "da-DK"
    core.revision = 1
    core.created = FIXED_TIME
    core.modified = FIXED_TIME
    core.last_printed = FIXED_TIME


def _serialize(element) -> bytes:
    """Return an element as a standalone XML part."""
    from lxml import etree

    return etree.tostring(element, encoding="UTF-8", standalone=True)


def build() -> bytes:
    """Return the bytes of the house template."""
    document = docx.Document()
    drop_extras(document)
    styles_el = document.styles.element
    set_doc_defaults(styles_el)
    set_styles(styles_el)
    set_house_fonts_and_colours(styles_el)
    drop_revision_ids(styles_el, document.element)
    set_bullets(document.part.numbering_part.element)
    section = document.sections[0]
    set_page(section)
    set_header_footer(section)
    add_footnotes_part(document)
    set_settings(document)
    set_font_table(document)
    set_theme(document)
    set_app_properties(document)
    set_core_properties(document)
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue())


def main() -> None:
    """Write the template next to the other templates."""
    OUTPUT.write_bytes(build())
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
