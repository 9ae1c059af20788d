"""The Word writer: real headings, tables, footnotes and links on the house template."""

from __future__ import annotations

import importlib.util
import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from notebuild.document import (
    Cell,
    Column,
    Document,
    FootnoteRef,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Row,
    Table,
    Text,
)
from notebuild.writers.docx import render_docx
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


def test_column_widths_follow_relative_weights_over_the_text_width(body):
    tbl = economy_table(body)
    widths = [int(col.get(w("w"))) for col in tbl.findall("w:tblGrid/w:gridCol", NS)]
    # A4 (11906 twips) less two 2.5 cm margins; weights 4:2:1:1:1.
    assert sum(widths) == 9072
    assert widths == [4032, 2016, 1008, 1008, 1008]
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
