"""The Word writer: real headings, tables, footnotes and links on the house template."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from notebuild.document.model import (
    Cell,
    Column,
    Document,
    FootnoteRef,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Row,
    Strong,
    Table,
    Text,
)
from notebuild.writers.docx import render_docx
from notebuild.writers.font_chain import font_environment
from tests.docx_dump import dump_docx
from tests.libreoffice import pdf_texts
from tests.sample_document import sample_document

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates" / "husformat.docx"
GOLDEN = ROOT / "tests" / "golden" / "sample_document.docx.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
HYPERLINK_REL = f"{R}/hyperlink"
FOOTNOTES_REL = f"{R}/footnotes"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(data: bytes, name: str) -> etree._Element:
    """Return one XML part of a .docx."""
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def style_of(p: etree._Element) -> str | None:
    style = p.find("w:pPr/w:pStyle", NS)
    return None if style is None else style.get(w("val"))


@pytest.fixture(scope="module")
def sample() -> bytes:
    return render_docx(sample_document(), TEMPLATE)


@pytest.fixture(scope="module")
def body(sample: bytes) -> etree._Element:
    return part(sample, "word/document.xml").find("w:body", NS)


def economy_table(body: etree._Element) -> etree._Element:
    return body.findall("w:tbl", NS)[0]


def render_table(table: Table) -> etree._Element:
    """Render a document holding only `table` and return its w:tbl."""
    data = render_docx(Document(title="Prøve", blocks=(table,)), TEMPLATE)
    return part(data, "word/document.xml").find("w:body/w:tbl", NS)


def test_headings_use_real_heading_styles_in_document_order(body):
    headings = [
        (style_of(p), text_of(p))
        for p in body.findall("w:p", NS)
        if (style_of(p) or "").startswith("Heading")
    ]
    assert headings == [
        ("Heading1", "BI19 Forankring af metoder fra Projekt Trædesten"),
        ("Heading2", "Baggrund"),
        ("Heading3", "Sagsantallets betydning"),
        ("Heading2", "Økonomi"),
        ("Heading2", "Øvrige tekniske oplysninger"),
    ]


def test_body_has_no_empty_paragraphs_for_spacing(body):
    empty = [p for p in body.findall("w:p", NS) if not text_of(p).strip()]
    assert empty == []


def test_header_row_repeats_on_every_page_and_body_rows_do_not(body):
    rows = economy_table(body).findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])


def test_caption_precedes_each_table_with_its_numbered_label(body):
    captions = []
    for tbl in body.findall("w:tbl", NS):
        before = tbl.getprevious()
        assert before.tag == w("p")
        assert style_of(before) == "Caption"
        captions.append(text_of(before))
    assert captions == [
        "Tabel 2 - Oversigt over ønskets aktiviteter på alle styringsområder",
        "Bydele",
    ]


def test_numbered_caption_counts_with_a_seq_field_fixed_to_the_number(body):
    caption = economy_table(body).getprevious()
    field = caption.find("w:fldSimple", NS)
    assert field.get(w("instr")).split() == ["SEQ", "Tabel", "\\*", "ARABIC", "\\r", "2"]
    assert text_of(field) == "2"


def test_table_title_for_accessibility_is_the_label(body):
    titles = [t.find("w:tblPr/w:tblCaption", NS).get(w("val")) for t in body.findall("w:tbl", NS)]
    assert titles == [
        "Tabel 2 - Oversigt over ønskets aktiviteter på alle styringsområder",
        "Bydele",
    ]


def test_numeric_columns_are_right_aligned_including_header_cells(body):
    for row in economy_table(body).findall("w:tr", NS):
        aligns = [
            (
                tc.find("w:p/w:pPr/w:jc", NS).get(w("val"))
                if tc.find("w:p/w:pPr/w:jc", NS) is not None
                else "left"
            )
            for tc in row.findall("w:tc", NS)
        ]
        assert aligns[2:] == ["right", "right", "right"]
        assert aligns[0] == "left"


def test_total_row_is_bold_and_ordinary_rows_are_not(body):
    rows = economy_table(body).findall("w:tr", NS)

    def bold_runs(row):
        return [r.find("w:rPr/w:b", NS) is not None for r in row.iter(w("r")) if text_of(r).strip()]

    assert all(bold_runs(rows[-1]))
    assert not any(bold_runs(rows[1]))


def test_group_row_is_bold_and_italic():
    tbl = render_table(
        Table(
            caption="Grupper",
            columns=(Column(), Column("right", numeric=True)),
            header=(),
            body=(
                Row((Cell((Text("Indsatsudgifter:"),)), Cell()), role="group"),
                Row((Cell((Text("Mentor"),)), Cell((Text("500"),)))),
            ),
        )
    )
    group = tbl.findall("w:tr", NS)[0].find(".//w:r", NS)
    assert group.find("w:rPr/w:b", NS) is not None
    assert group.find("w:rPr/w:i", NS) is not None


def test_colspan_merges_cells_across_the_grid(body):
    grid = body.findall("w:tbl", NS)[1]
    last = grid.findall("w:tr", NS)[-1]
    cells = last.findall("w:tc", NS)
    assert len(cells) == 2
    assert cells[1].find("w:tcPr/w:gridSpan", NS).get(w("val")) == "3"
    assert text_of(cells[1]) == "Saxogade 3"


def test_column_widths_come_from_the_content_and_fill_the_text_width(body):
    tbl = economy_table(body)
    widths = [int(col.get(w("w"))) for col in tbl.findall("w:tblGrid/w:gridCol", NS)]
    # A4 (11906 twips) less two 2.5 cm margins.
    assert sum(widths) == 9072
    # The figure columns are as wide as their widest figure (a little slack, the margins), in
    # DejaVu Sans as this table has room to spare (docx_layout rule 4); the activity names,
    # which would wrap, get the rest, not the weights 4:2:1:1:1.
    assert all(600 < width < 800 for width in widths[2:]), widths
    assert widths[0] > 2 * widths[1] > 2 * max(widths[2:]), widths
    assert tbl.find("w:tblPr/w:tblLayout", NS).get(w("type")) == "fixed"
    table_width = tbl.find("w:tblPr/w:tblW", NS)
    assert (table_width.get(w("type")), table_width.get(w("w"))) == ("pct", "5000")


def test_table_without_header_does_not_get_the_header_shading(body):
    looks = [t.find("w:tblPr/w:tblLook", NS).get(w("firstRow")) for t in body.findall("w:tbl", NS)]
    assert looks == ["1", "0"]


def test_footnote_is_a_real_word_footnote_referenced_from_the_text(sample, body):
    reference = body.find(".//w:footnoteReference", NS)
    assert reference is not None
    footnote_id = reference.get(w("id"))
    footnotes = part(sample, "word/footnotes.xml")
    notes = {fn.get(w("id")): fn for fn in footnotes.findall("w:footnote", NS)}
    assert text_of(notes[footnote_id]).strip() == "Kilde: Jobindsats.dk"
    assert notes[footnote_id].find(".//w:footnoteRef", NS) is not None
    rels = part(sample, "word/_rels/document.xml.rels")
    assert any(rel.get("Type") == FOOTNOTES_REL for rel in rels)
    types = part(sample, "[Content_Types].xml")
    assert any(
        o.get("PartName") == "/word/footnotes.xml" and o.get("ContentType") == FOOTNOTES_CT
        for o in types
    )


def test_link_is_a_hyperlink_with_an_external_relationship(sample, body):
    link = body.find(".//w:hyperlink", NS)
    assert text_of(link) == "kk.dk"
    assert link.find("w:r/w:rPr/w:rStyle", NS).get(w("val")) == "Hyperlink"
    rels = {rel.get("Id"): rel for rel in part(sample, "word/_rels/document.xml.rels")}
    rel = rels[link.get(f"{{{R}}}id")]
    assert rel.get("Type") == HYPERLINK_REL
    assert rel.get("Target") == "https://www.kk.dk"
    assert rel.get("TargetMode") == "External"


def test_numbered_lists_restart_at_their_own_start():
    document = Document(
        title="Lister",
        blocks=tuple(
            ListBlock(True, ((Paragraph((Text(word),)),),), start=start)
            for word, start in (("a", 1), ("b", 1), ("c", 4))
        ),
    )
    data = render_docx(document, TEMPLATE)
    paragraphs = part(data, "word/document.xml").findall("w:body/w:p", NS)
    num_ids = [p.find("w:pPr/w:numPr/w:numId", NS).get(w("val")) for p in paragraphs]
    assert len(set(num_ids)) == 3
    numbering = part(data, "word/numbering.xml")
    starts = []
    for num_id in num_ids:
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        starts.append(num.find("w:lvlOverride/w:startOverride", NS).get(w("val")))
    assert starts == ["1", "1", "4"]


def test_core_properties_carry_title_subject_and_danish_language(sample):
    core = part(sample, "docProps/core.xml")
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.find(f"{dc}title").text == "BI19 Forankring af metoder fra Projekt Trædesten"
    assert core.find(f"{dc}subject").text == "Budgetnotat"
    assert core.find(f"{dc}language").text == "da-DK"
    assert core.find(f"{dc}creator").text == "Københavns Kommune"


def test_styles_default_to_danish_and_the_kbh_typeface(sample):
    styles = part(sample, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:lang", NS).get(w("val")) == "da-DK"
    assert defaults.find("w:rFonts", NS).get(w("ascii")) == "KBH Tekst"
    fonts = part(sample, "word/fontTable.xml")
    kbh = fonts.find("w:font[@w:name='KBH']", NS)
    assert kbh.find("w:family", NS).get(w("val")) == "swiss"


def test_page_header_holds_sender_and_identifier(sample):
    header = text_of(part(sample, "word/header1.xml"))
    assert "KØBENHAVNS KOMMUNE" in header
    assert "Beskæftigelses- og Integrationsforvaltningen" in header
    assert "BI19" in header
    assert "UDKAST" not in header


def test_footer_numbers_pages_with_page_and_numpages_fields(sample):
    footer = part(sample, "word/footer1.xml")
    instructions = [f.get(w("instr")).strip() for f in footer.iter(w("fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert text_of(footer).startswith("Side ")


def test_draft_shows_udkast_in_the_header_and_the_title():
    data = render_docx(sample_document(draft=True), TEMPLATE)
    header = part(data, "word/header1.xml")
    first = header.find("w:p", NS)
    assert text_of(first) == "UDKAST"
    assert first.find(".//w:rPr/w:b", NS) is not None
    title = part(data, "docProps/core.xml").find("{http://purl.org/dc/elements/1.1/}title")
    assert title.text == "UDKAST: BI19 Forankring af metoder fra Projekt Trædesten"


def test_two_renders_give_identical_bytes(sample):
    assert render_docx(sample_document(), TEMPLATE) == sample


def test_committed_template_matches_its_build_script():
    spec = importlib.util.spec_from_file_location(
        "make_word_template", ROOT / "tools" / "make_word_template.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == TEMPLATE.read_bytes()


def test_dump_of_sample_document_matches_golden(sample):
    dump = dump_docx(sample)
    if os.environ.get("NOTEBUILD_REGENERATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(dump, encoding="utf-8")
    assert dump == GOLDEN.read_text(encoding="utf-8")


def test_libreoffice_opens_the_sample_and_prints_title_and_total(sample, tmp_path):
    text = pdf_texts(tmp_path, {"sample": sample})["sample"]
    assert "BI19 Forankring af metoder fra" in text
    assert "6.960" in text
    assert "Tabel 2 - Oversigt" in text


def test_narrow_numeric_column_is_widened_so_its_figures_do_not_wrap():
    tbl = render_table(
        Table(
            caption="Smal",
            columns=(Column(width=20), Column("right", 0.1, numeric=True)),
            header=(),
            body=(Row((Cell((Text("Udgifter i alt"),)), Cell((Text("36.960"),)))),),
        )
    )
    widths = [int(col.get(w("w"))) for col in tbl.findall("w:tblGrid/w:gridCol", NS)]
    # Weights alone would give the figure column 45 twips; six characters need far more.
    assert widths[1] >= 6 * 115
    assert sum(widths) == 9072


# --- quotes, meta lines and paragraph roles -------------------------------------------------


def _para(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def _style_element(data: bytes, style_id: str) -> etree._Element:
    style = part(data, "word/styles.xml").find(f"w:style[@w:styleId='{style_id}']", NS)
    assert style is not None, f"the template has no style {style_id}"
    return style


def _num_id(p: etree._Element) -> str | None:
    num_id = p.find("w:pPr/w:numPr/w:numId", NS)
    return None if num_id is None else num_id.get(w("val"))


def _indent(p: etree._Element) -> tuple[str | None, str | None]:
    ind = p.find("w:pPr/w:ind", NS)
    return (None, None) if ind is None else (ind.get(w("left")), ind.get(w("hanging")))


def test_sample_quote_paragraph_and_its_bullets_carry_the_quote_style(body):
    paragraphs = body.findall("w:p", NS)
    texts = [text_of(p) for p in paragraphs]
    start = texts.index("Enhedslisten finder, at forankringen skal omfatte:")
    quote = paragraphs[start : start + 3]
    assert [style_of(p) for p in quote] == ["Quote", "Quote", "Quote"]
    assert [text_of(p) for p in quote[1:]] == ["flere mentorer", "opfølgning efter et år"]
    assert _num_id(quote[0]) is None
    # The bullets keep the List Bullet numbering (the template's numId 1).
    assert [_num_id(p) for p in quote[1:]] == ["1", "1"]
    # The paragraph before the quote is ordinary body text.
    assert style_of(paragraphs[start - 1]) is None


def test_lists_in_a_quote_keep_numbering_and_get_the_quote_indent_on_top():
    quote = Quote(
        (
            _para("indledning"),
            ListBlock(False, ((_para("punkt"), ListBlock(False, ((_para("underpunkt"),),))),)),
            ListBlock(True, ((_para("tre"), _para("fortsat")), (_para("fire"),)), start=3),
        )
    )
    data = render_docx(Document(title="Citat", blocks=(quote,)), TEMPLATE)
    paragraphs = part(data, "word/document.xml").findall("w:body/w:p", NS)
    assert [text_of(p) for p in paragraphs] == [
        "indledning",
        "punkt",
        "underpunkt",
        "tre",
        "fortsat",
        "fire",
    ]
    assert {style_of(p) for p in paragraphs} == {"Quote"}
    quote_left = _style_element(data, "Quote").find("w:pPr/w:ind", NS).get(w("left"))
    assert quote_left == "567"
    # Each list level's own indent (360, 720 with a 360 hanging bullet) plus the quote's 567.
    assert [_indent(p) for p in paragraphs] == [
        (None, None),
        ("927", "360"),
        ("1287", "360"),
        ("927", "360"),
        ("927", None),
        ("927", "360"),
    ]
    bullets, nested, three, continued, four = (_num_id(p) for p in paragraphs[1:])
    assert continued is None
    assert three == four
    assert len({bullets, nested, three}) == 3
    numbering = part(data, "word/numbering.xml")

    def format_and_start(num_id: str) -> tuple[str, str | None]:
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        abstract_id = num.find("w:abstractNumId", NS).get(w("val"))
        abstract = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)
        fmt = abstract.find("w:lvl/w:numFmt", NS).get(w("val"))
        start = num.find("w:lvlOverride/w:startOverride", NS)
        return fmt, None if start is None else start.get(w("val"))

    assert format_and_start(bullets) == ("bullet", None)
    assert format_and_start(nested) == ("bullet", None)
    assert format_and_start(three) == ("decimal", "3")


def test_quote_style_is_indented_and_italic(sample):
    style = _style_element(sample, "Quote")
    assert style.find("w:name", NS).get(w("val")) == "Quote"  # Danish Word shows "Citat"
    assert style.find("w:pPr/w:ind", NS).get(w("left")) == "567"
    assert style.find("w:rPr/w:i", NS) is not None


def test_meta_lines_open_the_body_before_the_title(body):
    paragraphs = body.findall("w:p", NS)
    assert [(style_of(p), text_of(p)) for p in paragraphs[:3]] == [
        ("Oplysninger", "Mødedato: 17.06.2024, kl. 16:00"),
        ("Oplysninger", "Mødested: Rådhuset, 1. sal, værelse 57"),
        ("Heading1", "BI19 Forankring af metoder fra Projekt Trædesten"),
    ]
    label = paragraphs[0].find("w:r", NS)
    assert text_of(label) == "Mødedato:"
    assert label.find("w:rPr/w:b", NS) is not None


def test_document_without_meta_starts_with_its_first_block():
    data = render_docx(Document(title="T", blocks=(Heading(1, (Text("T"),)),)), TEMPLATE)
    first = part(data, "word/document.xml").find("w:body/w:p", NS)
    assert style_of(first) == "Heading1"


def test_paragraph_roles_map_to_their_styles(body):
    styles = {text_of(p): style_of(p) for p in body.findall("w:p", NS)}
    assert styles["DELAFTALE - Aktivitetsparate"] == "Indledning"
    assert styles["Henrik Lund / Marianne Becker Andersen"] == "Signature"
    assert styles["Note til tabel 2: Tallene kan afvige på grund af afrunding."] == "Tabelnote"
    assert styles["Enhedslisten ønskede følgende tilført protokollen:"] is None


def test_note_follows_its_table_and_lead_follows_the_title(body):
    note = next(p for p in body.findall("w:p", NS) if style_of(p) == "Tabelnote")
    assert note.getprevious().tag == w("tbl")
    lead = next(p for p in body.findall("w:p", NS) if style_of(p) == "Indledning")
    assert style_of(lead.getprevious()) == "Heading1"


def test_role_styles_look_as_the_house_style_says(sample):
    def size(style_id: str) -> str:
        return _style_element(sample, style_id).find("w:rPr/w:sz", NS).get(w("val"))

    assert size("Tabelnote") == "16"  # 8 pt
    lead = _style_element(sample, "Indledning")
    assert lead.find("w:rPr/w:b", NS) is not None
    assert lead.find("w:rPr/w:color", NS).get(w("val")) == "003C71"
    assert lead.find("w:pPr/w:keepNext", NS) is not None
    signature = _style_element(sample, "Signature")
    assert int(signature.find("w:pPr/w:spacing", NS).get(w("before"))) >= 240
    meta = _style_element(sample, "Oplysninger")
    assert meta.find("w:pPr/w:contextualSpacing", NS) is not None


def test_footnote_inside_a_quote_is_a_word_footnote():
    note = FootnoteRef(1, (_para("Kilde"),))
    quote = Quote((Paragraph((Text("citeret"), note)),))
    data = render_docx(Document(title="T", blocks=(quote,)), TEMPLATE)
    p = part(data, "word/document.xml").find("w:body/w:p", NS)
    assert style_of(p) == "Quote"
    assert p.find(".//w:footnoteReference", NS) is not None


# --- the house look, on the template and on every note ----------------------------------------

DARK_BLUE = "003C71"
# Arial's classification: where KBH is missing, Word picks a sans-serif of these metrics.
ARIAL_PANOSE = "020B0604020202020204"


def _note_header_lines(data: bytes) -> list[str]:
    """Return the page header's paragraphs as text, a tab as "\\t"."""
    lines = []
    for p in part(data, "word/header1.xml").iter(w("p")):
        pieces = ["\t" if e.tag == w("tab") else (e.text or "") for e in p.iter(w("t"), w("tab"))]
        lines.append("".join(pieces))
    return lines


def test_kbh_is_named_for_headings_and_body_with_a_sans_serif_fallback(sample):
    styles = part(sample, "word/styles.xml")
    body_fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert {body_fonts.get(w(a)) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"KBH Tekst"}
    for level in range(1, 10):
        fonts = styles.find(f"w:style[@w:styleId='Heading{level}']/w:rPr/w:rFonts", NS)
        assert (fonts.get(w("ascii")), fonts.get(w("hAnsi"))) == ("KBH", "KBH"), level
    named = set()
    for style in styles.iter(w("style")):
        for fonts in style.iter(w("rFonts")):
            # A theme font would be Calibri or Cambria in Word, whatever the theme says here.
            assert not [a for a in fonts.attrib if a.lower().endswith("theme")], style.attrib
            named |= {fonts.get(w(a)) for a in ("ascii", "hAnsi")}
    assert named - {"Courier"} <= {"KBH", "KBH Tekst"}  # Courier: Word's "macro" code style
    font_table = part(sample, "word/fontTable.xml")
    for name in ("KBH", "KBH Tekst"):
        font = font_table.find(f"w:font[@w:name='{name}']", NS)
        assert font.find("w:altName", NS).get(w("val")) == "Arial"
        assert font.find("w:panose1", NS).get(w("val")) == ARIAL_PANOSE
        assert font.find("w:family", NS).get(w("val")) == "swiss"
        assert font.find("w:pitch", NS).get(w("val")) == "variable"
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    theme = part(sample, "word/theme/theme1.xml")
    assert theme.find(f".//{a}majorFont/{a}latin").get("typeface") == "KBH"
    assert theme.find(f".//{a}minorFont/{a}latin").get("typeface") == "KBH Tekst"


def test_dark_blue_marks_headings_captions_the_page_header_and_table_rules(sample):
    styles = part(sample, "word/styles.xml")

    def colour(style_id: str) -> str:
        return styles.find(f"w:style[@w:styleId='{style_id}']/w:rPr/w:color", NS).get(w("val"))

    for style_id in ("Heading1", "Heading2", "Heading3", "Heading4", "Caption", "Header"):
        assert colour(style_id) == DARK_BLUE, style_id
    borders = styles.find("w:style[@w:styleId='KBHTabel']/w:tblPr/w:tblBorders", NS)
    assert {borders.find(f"w:{side}", NS).get(w("color")) for side in ("top", "bottom")} == {
        DARK_BLUE
    }
    # LibreOffice shows a colour's literal value, Word its theme colour: the house blue is
    # never left to the theme.
    theme_blues = [
        e for e in styles.iter() if e.get(w("themeColor")) in ("accent1", "text2", "dark2")
    ]
    assert theme_blues == []


def test_header_style_has_one_tab_stop_at_the_right_margin(sample):
    stops = part(sample, "word/styles.xml").findall(
        "w:style[@w:styleId='Header']/w:pPr/w:tabs/w:tab", NS
    )
    assert [(s.get(w("val")), int(s.get(w("pos")))) for s in stops] == [("right", 9071)]


def test_template_and_output_carry_no_editing_session_ids(sample):
    archive = zipfile.ZipFile(io.BytesIO(sample))
    for name in archive.namelist():
        if name.endswith(".xml"):
            text = archive.read(name).decode("utf-8")
            assert "rsid" not in text.lower(), name
            assert "w14:docId" not in text, name


@pytest.fixture(scope="module")
def notes():
    from tests.test_word_accessibility import NOTE_IDS, built_note

    return {note_id: built_note(note_id) for note_id in NOTE_IDS}


def _note_ids():
    from tests.test_word_accessibility import NOTE_IDS

    return NOTE_IDS


@pytest.mark.parametrize("note_id", _note_ids())
def test_page_header_opens_with_the_sender_block_and_the_kind_and_id(notes, note_id):
    document, data = notes[note_id]
    assert document.sender[0] == "KØBENHAVNS KOMMUNE"
    assert len(document.sender) >= 2  # the administration or the committee
    assert document.identifier
    assert _note_header_lines(data) == [
        f"{document.sender[0]}\t{document.kind_label} {document.identifier}",
        *document.sender[1:],
    ]
    first = part(data, "word/header1.xml").find("w:p", NS)
    assert first.find("w:r/w:rPr/w:b", NS) is not None


@pytest.mark.parametrize("note_id", _note_ids())
def test_footer_reads_side_x_af_y(notes, note_id):
    _, data = notes[note_id]
    footer = part(data, "word/footer1.xml")
    pieces = []
    for node in footer.find("w:p", NS):
        if node.tag == w("r"):
            pieces.append(text_of(node))
        elif node.tag == w("fldSimple"):
            pieces.append("{" + node.get(w("instr")).strip() + "}")
    assert "".join(pieces) == "Side {PAGE} af {NUMPAGES}"


# --- tables fit the page ------------------------------------------------------------------------


def _font_metrics(path: str) -> Callable[[str], float]:
    """Return a function giving a character's advance width in em, read from a TrueType file.

    Just enough of the format for that: the cmap's Windows Unicode subtable (format 4), hmtx.
    """
    data = Path(path).read_bytes()
    count = struct.unpack_from(">H", data, 4)[0]
    offsets = {}
    for index in range(count):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        offsets[tag.decode("latin-1")] = offset
    units = struct.unpack_from(">H", data, offsets["head"] + 18)[0]
    metrics = struct.unpack_from(">H", data, offsets["hhea"] + 34)[0]
    advances = struct.unpack_from(f">{2 * metrics}H", data, offsets["hmtx"])[::2]
    cmap = offsets["cmap"]
    subtable = next(
        cmap + struct.unpack_from(">I", data, cmap + 8 + 8 * index)[0]
        for index in range(struct.unpack_from(">H", data, cmap + 2)[0])
        if struct.unpack_from(">HH", data, cmap + 4 + 8 * index) == (3, 1)
    )
    segments = struct.unpack_from(">H", data, subtable + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, subtable + 14)
    starts = struct.unpack_from(f">{segments}H", data, subtable + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, subtable + 16 + 4 * segments)
    ranges = subtable + 16 + 6 * segments

    def glyph(code: int) -> int:
        for k in range(segments):
            if starts[k] <= code <= ends[k]:
                range_offset = struct.unpack_from(">H", data, ranges + 2 * k)[0]
                if range_offset == 0:
                    return (code + deltas[k]) & 0xFFFF
                at = ranges + 2 * k + range_offset + 2 * (code - starts[k])
                found = struct.unpack_from(">H", data, at)[0]
                return (found + deltas[k]) & 0xFFFF if found else 0
        return 0

    return lambda char: advances[min(glyph(ord(char)), metrics - 1)] / units


@cache
def _fallback_metrics(bold: bool) -> Callable[[str], float]:
    """Return the metrics of the face LibreOffice shows for KBH Tekst, read from its file.

    fontconfig is asked with the configuration `render --format pdf` gives LibreOffice: KBH
    where installed, else Liberation Sans (Arial's widths, which Word falls back to).
    """
    assert shutil.which("fc-match"), "fontconfig (fc-match) is missing: run `make test`"
    pattern = "KBH Tekst:bold" if bold else "KBH Tekst"
    with tempfile.TemporaryDirectory() as folder:
        path = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern],
            check=True,
            capture_output=True,
            text=True,
            env=font_environment(Path(folder)),
        ).stdout
    assert path.endswith((".ttf", ".TTF")), f"{pattern} falls back to {path}, not a TrueType file"
    return _font_metrics(path)


def _text_twips(text: str, size_pt: float, bold: bool) -> float:
    """Return the width in twips of `text` at `size_pt` in the fallback face."""
    width = _fallback_metrics(bold)
    return sum(width(char) for char in text) * size_pt * 20


def _text_width(data: bytes) -> int:
    """Return the page's text width in twips, from the body's section properties."""
    section = part(data, "word/document.xml").find("w:body/w:sectPr", NS)
    page = int(section.find("w:pgSz", NS).get(w("w")))
    margins = section.find("w:pgMar", NS)
    return page - int(margins.get(w("left"))) - int(margins.get(w("right")))


def _font_size(styles: etree._Element, style_id: str) -> float:
    """Return the font size in points a paragraph of `style_id` gets, through basedOn."""
    while style_id:
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        size = style.find("w:rPr/w:sz", NS)
        if size is not None:
            return int(size.get(w("val"))) / 2
        based = style.find("w:basedOn", NS)
        style_id = None if based is None else based.get(w("val"))
    size = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS)
    return int(size.get(w("val"))) / 2


def _cell_lines(tc: etree._Element) -> list[str]:
    """Return the cell's lines of text: paragraphs split at their line breaks."""
    lines = []
    for p in tc.findall("w:p", NS):
        pieces = {w("br"): "\n", w("noBreakHyphen"): "-"}
        lines += "".join(
            pieces.get(e.tag) or e.text or "" for e in p.iter(w("t"), w("br"), w("noBreakHyphen"))
        ).split("\n")
    return lines


def _bold(tc: etree._Element) -> bool:
    """Return whether any text of the cell is bold (header, total and group rows)."""
    return any(r.find("w:rPr/w:b", NS) is not None for r in tc.iter(w("r")))


def _grid_cells(tbl: etree._Element):
    """Yield (row index, first column, span, w:tc) for every cell of the table."""
    for index, tr in enumerate(tbl.findall("w:tr", NS)):
        column = 0
        for tc in tr.findall("w:tc", NS):
            span = tc.find("w:tcPr/w:gridSpan", NS)
            span = 1 if span is None else int(span.get(w("val")))
            yield index, column, span, tc
            column += span


def _tables(note):
    from tests.test_word_accessibility import model_tables

    document, data = note
    body = part(data, "word/document.xml").find("w:body", NS)
    word_tables = body.findall("w:tbl", NS)
    tables = list(model_tables(document.blocks))
    assert len(word_tables) == len(tables)
    return list(zip(tables, word_tables, strict=True))


def _margins(tbl: etree._Element) -> int:
    margins = tbl.find("w:tblPr/w:tblCellMar", NS)
    return sum(int(margins.find(f"w:{side}", NS).get(w("w"))) for side in ("left", "right"))


@pytest.mark.parametrize("note_id", _note_ids())
def test_every_table_fits_the_text_width(notes, note_id):
    data = notes[note_id][1]
    text_width = _text_width(data)
    for table, tbl in _tables(notes[note_id]):
        grid = [int(c.get(w("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert len(grid) == len(table.columns)
        assert sum(grid) <= text_width, table.label
        table_width = tbl.find("w:tblPr/w:tblW", NS)
        if table_width.get(w("type")) == "pct":
            assert int(table_width.get(w("w"))) <= 5000
        else:
            assert int(table_width.get(w("w"))) <= text_width
        # A fixed layout: Word keeps the widths instead of growing columns to their content.
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(w("type")) == "fixed"
        indent = tbl.find("w:tblPr/w:tblInd", NS)
        assert indent is None or int(indent.get(w("w"))) == 0
        for _, column, span, tc in _grid_cells(tbl):
            cell_width = int(tc.find("w:tcPr/w:tcW", NS).get(w("w")))
            assert cell_width == sum(grid[column : column + span]), table.label


@pytest.mark.parametrize("note_id", _note_ids())
def test_figures_and_unit_headers_fit_their_column_on_one_line(notes, note_id):
    styles = part(notes[note_id][1], "word/styles.xml")
    for table, tbl in _tables(notes[note_id]):
        grid = [int(c.get(w("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
        margins = _margins(tbl)
        checked = 0
        header_rows = len(table.header)
        for row, column, span, tc in _grid_cells(tbl):
            if span != 1:
                continue
            size = _font_size(styles, tc.find("w:p/w:pPr/w:pStyle", NS).get(w("val")))
            # A figure, and a header line with a figure or unit ("1.000 kr., 2023 p/l").
            lines = [
                line
                for line in _cell_lines(tc)
                if table.columns[column].numeric or (row < header_rows and re.search(r"\d", line))
            ]
            for line in lines:
                need = _text_twips(line, size, _bold(tc)) + margins
                assert need <= grid[column], (table.label, line, need, grid[column])
                checked += 1
        assert checked or not any(c.numeric for c in table.columns)


def _pieces(tc: etree._Element, numeric: bool) -> list[str]:
    """Return what must not break inside a cell: each line of a figure, each word of text.

    A line may break at a space or after a slash ("Indtægt/ udgift").
    """
    lines = _cell_lines(tc)
    if numeric:
        return [line for line in lines if line]
    return " ".join(lines).replace("/", "/ ").split()


def broken_words(note, text_width: int) -> list[tuple[str, str]]:
    """Return (table, word) for each word that cannot fit on one line of its column.

    A table whose widest figures and longest words need more than the text width must break
    something: there only the words of the one text column with the longest word may break
    (it wraps anyway, and a long compound hyphenates where a short word would look torn).
    """
    _, data = note
    styles = part(data, "word/styles.xml")
    broken = []
    for table, tbl in _tables(note):
        grid = [int(c.get(w("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
        margins = _margins(tbl)
        need = [float(margins)] * len(grid)
        misses = []
        for _, column, span, tc in _grid_cells(tbl):
            assert tc.find("w:tcPr/w:noWrap", NS) is None  # text wraps
            size = _font_size(styles, tc.find("w:p/w:pPr/w:pStyle", NS).get(w("val")))
            numeric = table.columns[column].numeric
            for piece in _pieces(tc, numeric):
                width = _text_twips(piece, size, _bold(tc)) + margins
                if span == 1:
                    need[column] = max(need[column], width)
                if not numeric and width > sum(grid[column : column + span]):
                    misses.append((column, piece))
        text_columns = [i for i, c in enumerate(table.columns) if not c.numeric]
        widest = max(text_columns, key=lambda i: need[i], default=None)
        overfull = sum(need) > text_width
        broken += [
            (table.label, word) for column, word in misses if not overfull or column != widest
        ]
    return broken


@pytest.mark.parametrize("note_id", _note_ids())
def test_text_columns_wrap_long_names_between_words(notes, note_id):
    assert broken_words(notes[note_id], _text_width(notes[note_id][1])) == []


def _with_grid(data: bytes, widths: list[int]) -> bytes:
    """Return the .docx with its first table's grid columns set to `widths` twips."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "word/document.xml":
                root = etree.fromstring(content)
                columns = root.findall(".//w:tbl/w:tblGrid/w:gridCol", NS)
                for column, width in zip(columns, widths, strict=True):
                    column.set(w("w"), str(width))
                content = etree.tostring(root)
            out.writestr(entry, content)
    return target.getvalue()


def test_a_word_in_a_column_squeezed_below_it_is_reported_as_broken():
    table = Table(
        caption="Klemt",
        columns=(Column(), Column("right", numeric=True)),
        header=(Row((Cell((Text("Bevillingstekniske"),)), Cell((Text("I alt"),))), role="header"),),
        body=(Row((Cell((Text("Udvalg"),)), Cell((Text("36.960"),)))),),
    )
    document = Document(title="T", blocks=(Heading(1, (Text("T"),)), table))
    data = render_docx(document, TEMPLATE)
    assert broken_words((document, data), 9072) == []
    squeezed = _with_grid(data, [600, 8472])
    assert broken_words((document, squeezed), 9072) == [
        ("Klemt", "Bevillingstekniske"),
        ("Klemt", "Udvalg"),
    ]


def test_a_numeric_column_too_narrow_for_its_figure_fails_the_fit_check():
    from tests.test_word_accessibility import rendered

    table = Table(
        caption="Smal",
        columns=(Column(width=20), Column("right", 0.1, numeric=True)),
        header=(),
        body=(Row((Cell((Text("Udgifter i alt"),)), Cell((Text("36.960"),)))),),
    )
    document = Document(title="T", blocks=(Heading(1, (Text("T"),)), table))
    data = rendered(document)
    tbl = part(data, "word/document.xml").find("w:body/w:tbl", NS)
    width = int(tbl.find("w:tblGrid/w:gridCol[2]", NS).get(w("w")))
    need = _text_twips("36.960", 9, bold=False) + _margins(tbl)
    assert need <= width
    # The same figure in a column of the weight alone (45 twips) would wrap.
    assert need > 9072 * 0.1 / 20.1


def test_a_title_longer_than_words_property_limit_is_printed_whole_and_cut_in_the_properties():
    title = "Et meget langt dagsordenpunkt " * 12  # 360 characters
    data = render_docx(
        Document(title=title, blocks=(Heading(1, (Text(title),)),), identifier="X" * 300),
        TEMPLATE,
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        body = archive.read("word/document.xml").decode("utf-8")
    stored = re.search(r"<dc:title>(.*?)</dc:title>", core).group(1)
    assert len(stored) == 255 and stored.endswith("…")
    assert title.strip() in body


# --- tables written as XML text ---------------------------------------------------------------


def test_a_cell_with_a_link_or_a_footnote_gets_them_among_cells_written_as_text():
    note = FootnoteRef(1, (Paragraph((Text("Kilde: budgetmodellen"),)),))
    cells = (
        Cell((Text("før "), Strong((Text("fed"),)), Text(" & <efter>"))),
        Cell((Text("Se "), Link("https://www.kk.dk/budget", (Text("budgettet"),)))),
        Cell((Text("1.200"), note)),
    )
    table = Table(
        "Blandet indhold",
        (Column(), Column(), Column("right", 1, numeric=True)),
        header=(Row(tuple(Cell((Text(t),)) for t in ("Tekst", "Link", "Beløb"))),),
        body=(Row(cells),),
        number=1,
    )
    data = render_docx(Document(title="Celler", blocks=(table,)), TEMPLATE)
    body = part(data, "word/document.xml").find("w:body", NS)
    row = body.findall("w:tbl/w:tr", NS)[1]
    first, second, third = row.findall("w:tc", NS)
    assert text_of(first) == "før fed & <efter>"
    runs = first.findall("w:p/w:r", NS)
    assert [r.find("w:rPr/w:b", NS) is not None for r in runs] == [False, True, False]
    link = second.find(".//w:hyperlink", NS)
    rels = {rel.get("Id"): rel for rel in part(data, "word/_rels/document.xml.rels")}
    assert rels[link.get(f"{{{R}}}id")].get("Target") == "https://www.kk.dk/budget"
    assert text_of(second) == "Se budgettet"
    reference = third.find(".//w:footnoteReference", NS)
    notes = {
        fn.get(w("id")): text_of(fn)
        for fn in part(data, "word/footnotes.xml").findall("w:footnote", NS)
    }
    assert notes[reference.get(w("id"))].strip() == "Kilde: budgetmodellen"
    # Every cell keeps its paragraph style and alignment, whichever way it was written.
    aligns = [tc.find("w:p/w:pPr/w:jc", NS).get(w("val")) for tc in row.findall("w:tc", NS)]
    assert aligns == ["left", "left", "right"]


@pytest.mark.parametrize(
    "text",
    ["plain", " leading", "trailing ", "a\tb", "line\nbreak\r", "&<>\"'", "", "\t", "æøå – €"],
)
@pytest.mark.parametrize("bold,italic", [(False, False), (True, False), (True, True)])
def test_runs_written_as_text_equal_runs_built_as_elements(text, bold, italic):
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls

    from notebuild.writers.docx_xml import append_run, runs_xml

    built = OxmlElement("w:p")
    append_run(built, text, bold=bold, italic=italic)
    written = parse_xml(
        f"<w:p {nsdecls('w')}>{runs_xml((Text(text),), bold=bold, italic=italic)}</w:p>"
    )
    assert etree.tostring(written, method="c14n") == etree.tostring(built, method="c14n")


def test_a_caption_with_quotes_ampersands_and_line_breaks_is_kept_exactly_in_the_table_title():
    caption = 'Udgifter "netto" & <brutto>\tfor 2026\nog frem'
    table = Table(
        caption,
        (Column(), Column("right", 1, numeric=True)),
        header=(Row((Cell((Text("Post"),)), Cell((Text("Beløb"),)))),),
        body=(Row((Cell((Text("A & B"),)), Cell((Text("1"),)))),),
        number=3,
    )
    data = render_docx(Document(title="Tegn", blocks=(table,)), TEMPLATE)
    tbl = part(data, "word/document.xml").find("w:body/w:tbl", NS)
    assert tbl.find("w:tblPr/w:tblCaption", NS).get(w("val")) == table.label
    assert text_of(tbl.findall("w:tr", NS)[1]) == "A & B1"


def test_twenty_thousand_footnotes_are_numbered_once_each_in_linear_time(tmp_path):
    """Each footnote once, numbered in order; in a process with a timeout, since finding the next
    number by reading every footnote so far took 198 s for 16,000 (a few seconds now)."""
    count = 20_000
    memo = (ROOT / "notes" / "memo-2024-06-17.yaml").read_text("utf-8")
    marks = " ".join(f"Sætning {n}.[^f{n}]" for n in range(1, count + 1))
    notes = "\n".join(f"  [^f{n}]: Kilde {n}." for n in range(1, count + 1))
    assert memo.count("resumé: |\n") == 1
    source = tmp_path / "fodnoter.yaml"
    source.write_text(
        memo.replace("resumé: |\n", f"resumé: |\n  {marks}\n\n{notes}\n\n", 1), "utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "notebuild", "render", source.name, "-f", "docx", "-o", "ud"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with zipfile.ZipFile(tmp_path / "ud" / "fodnoter.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
        footnotes = etree.fromstring(package.read("word/footnotes.xml"))
    references = [r.get(w("id")) for r in body.iter(w("footnoteReference"))]
    bodies = {fn.get(w("id")): fn for fn in footnotes.findall("w:footnote", NS)}
    assert len(references) == len(set(references)) >= count
    assert all(reference in bodies for reference in references)
    assert text_of(bodies[references[count - 1]]).strip() == f"Kilde {count}."
    assert [int(r) for r in references] == sorted(int(r) for r in references)
