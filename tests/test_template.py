"""`render --template`: another Word template's look is used, and a template that lacks what
notebuild needs is one plain error, before anything is written."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from docx.styles import BabelFish
from lxml import etree

from notebuild.document.model import Heading, ListBlock, Paragraph, Quote, Text
from notebuild.writers.docx import render_docx
from notebuild.writers.docx_template import NEEDED_STYLES, TEMPLATE_MAIN

from .conftest import NOTES, ROOT
from .sample_document import sample_document
from .test_cli import run

HOUSE = ROOT / "templates" / "husformat.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TITLE = "BI19 Forankring af metoder fra Projekt Trædesten"

HEADING_FONT = "Georgia"
HEADING_RED = "B22222"
BODY_FONT = "Cambria"
HEADER_GREEN = "2E7D32"
FOOTER_TEXT = "Testskabelon til notebuild"
# 30 mm left, 20 mm right, 35 mm top, in twips.
MARGINS = {"left": 1701, "right": 1134, "top": 1984}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def make_template(
    path: Path,
    *,
    dotx: bool = False,
    drop: tuple[str, ...] = (),
    style_ids: dict[str, str] | None = None,
    body_text: str = "",
    footnotes: bool = True,
) -> Path:
    """Write a template made from the house template with other fonts, colours and margins.

    `drop` removes styles by name; `style_ids` gives styles (by name) other ids, as Danish
    Word does; `body_text` leaves a paragraph in the body; `footnotes=False` drops the
    footnotes part. `dotx` saves it as a Word template (.dotx content type).
    """
    word = docx.Document(str(HOUSE))
    styles = word.styles.element
    heading = styles.get_by_name("heading 1")
    r_pr = heading.find("w:rPr", NS)
    for old in r_pr.findall("w:rFonts", NS) + r_pr.findall("w:color", NS):
        r_pr.remove(old)
    r_pr.insert(0, etree.fromstring(_fonts(HEADING_FONT)))
    r_pr.append(etree.fromstring(f'<w:color xmlns:w="{W}" w:val="{HEADING_RED}"/>'))
    header_color = styles.get_by_name("header").find("w:rPr/w:color", NS)
    header_color.set(w("val"), HEADER_GREEN)
    default_fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        default_fonts.set(w(attribute), BODY_FONT)
    for name in drop:
        styles.remove(styles.get_by_name(BabelFish.ui2internal(name)))
    for name, new_id in (style_ids or {}).items():
        element = styles.get_by_name(name)
        old_id = element.get(w("styleId"))
        for reference in styles.iter(w("basedOn"), w("next"), w("link")):
            if reference.get(w("val")) == old_id:
                reference.set(w("val"), new_id)
        element.set(w("styleId"), new_id)
    section = word.sections[0]
    section.left_margin, section.right_margin, section.top_margin = Mm(30), Mm(20), Mm(35)
    footer = section.footer.paragraphs[0]
    footer._p.insert(1, footer.add_run(f"{FOOTER_TEXT} · ")._r)  # after pPr, before "Side "
    if body_text:
        word.add_paragraph(body_text)
    if not footnotes:
        for r_id, rel in list(word.part.rels.items()):
            if rel.reltype.endswith("/footnotes"):
                word.part.drop_rel(r_id)
        footnote_pr = word.settings.element.find("w:footnotePr", NS)
        word.settings.element.remove(footnote_pr)
    buffer = io.BytesIO()
    word.save(buffer)
    data = buffer.getvalue()
    if dotx:
        data = _retype(data, DOCUMENT_MAIN, TEMPLATE_MAIN)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _fonts(name: str) -> str:
    return (
        f'<w:rFonts xmlns:w="{W}" w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" '
        f'w:cs="{name}"/>'
    )


def _retype(data: bytes, old: str, new: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "[Content_Types].xml":
                assert old.encode() in content
                content = content.replace(old.encode(), new.encode())
            out.writestr(entry, content)
    return target.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts(data)[name])


def text_of(data: bytes, kind: str) -> str:
    """Return the text of every header (or footer) part."""
    return "".join(
        "".join(etree.fromstring(content).itertext())
        for name, content in parts(data).items()
        if name.startswith(f"word/{kind}")
    )


def style_named(styles: etree._Element, name: str) -> etree._Element:
    for style in styles.findall("w:style", NS):
        if style.find("w:name", NS).get(w("val")) == name:
            return style
    raise AssertionError(f"no style named {name!r}")


def assert_has_the_templates_look(data: bytes) -> None:
    styles = xml(data, "word/styles.xml")
    heading = style_named(styles, "heading 1")
    assert heading.find("w:rPr/w:rFonts", NS).get(w("ascii")) == HEADING_FONT
    assert heading.find("w:rPr/w:color", NS).get(w("val")) == HEADING_RED
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert default.get(w("ascii")) == BODY_FONT
    header_style = style_named(styles, "header")
    assert header_style.find("w:rPr/w:color", NS).get(w("val")) == HEADER_GREEN

    body = xml(data, "word/document.xml").find("w:body", NS)
    margins = body.find("w:sectPr/w:pgMar", NS)
    assert {side: int(margins.get(w(side))) for side in MARGINS} == MARGINS
    first = body.find("w:p", NS)
    assert first.find("w:pPr/w:pStyle", NS).get(w("val")) == heading.get(w("styleId"))
    assert "".join(first.itertext()) == TITLE

    # The writer fills the header with the note's sender (in the template's Header style);
    # the footer is the template's own.
    assert "Beskæftigelses- og Integrationsforvaltningen" in text_of(data, "header")
    assert FOOTER_TEXT in text_of(data, "footer")


def test_render_with_a_template_uses_its_fonts_colours_margins_header_and_footer(tmp_path):
    template = make_template(tmp_path / "skabelon.docx")
    result = run("render", NOTES / "BI19.yaml", "-o", tmp_path / "b", "--template", template)
    assert result.exit_code == 0, result.output
    assert_has_the_templates_look((tmp_path / "b" / "BI19.docx").read_bytes())
    assert (tmp_path / "b" / "BI19.html").exists()


def test_render_without_a_template_keeps_the_house_look(tmp_path):
    result = run("render", NOTES / "BI19.yaml", "-o", tmp_path, "--format", "docx")
    assert result.exit_code == 0, result.output
    with pytest.raises(AssertionError):
        assert_has_the_templates_look((tmp_path / "BI19.docx").read_bytes())


def test_a_dotx_template_works_and_the_output_is_a_docx(tmp_path):
    template = make_template(tmp_path / "kk.dotx", dotx=True)
    with pytest.raises(ValueError, match="not a Word file"):
        docx.Document(str(template))  # what python-docx alone says of a .dotx
    result = run("render", NOTES / "BI19.yaml", "-o", tmp_path / "b", "-t", template)
    assert result.exit_code == 0, result.output
    data = (tmp_path / "b" / "BI19.docx").read_bytes()
    content_types = parts(data)["[Content_Types].xml"].decode()
    assert DOCUMENT_MAIN in content_types and TEMPLATE_MAIN not in content_types
    assert_has_the_templates_look(data)
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == TITLE


def test_a_template_without_needed_styles_is_one_error_listing_each_and_writes_nothing(tmp_path):
    out = tmp_path / "build"
    good = run("render", NOTES / "BI19.yaml", "-o", out)
    assert good.exit_code == 0, good.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    template = make_template(tmp_path / "mangler.dotx", dotx=True, drop=("Heading 2", "Caption"))

    result = run("render", NOTES / "BI19.yaml", "-o", out, "--template", template)

    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.count("fejl:") == 1
    assert result.output.startswith(f"{template}: fejl: Word-skabelonen mangler 2 typografier")
    assert "    - Heading 2 (i dansk Word: Overskrift 2)\n" in result.output
    assert "    - Caption (i dansk Word: Billedtekst)\n" in result.output
    assert "Heading 1" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_list_style_without_numbering_is_named(tmp_path):
    template = make_template(tmp_path / "kk.docx")
    word = docx.Document(str(template))
    style = word.styles["List Number"].element
    style.find("w:pPr", NS).remove(style.find("w:pPr/w:numPr", NS))
    word.save(str(template))
    result = run("render", NOTES / "BI19.yaml", "-o", tmp_path / "b", "-t", template)
    assert result.exit_code == 1
    # It says which style it found and why that one cannot serve.
    assert (
        '- List Number (i dansk Word: Opstilling med tal): "List Number" findes, men er ikke '
        "nummereret"
    ) in result.output
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Dette er ikke en Word-fil\n", "er ikke en Word-fil"),
        (b"", "er ikke en Word-fil"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "gamle Word-format (.doc/.dot)"),
        ("zip", "er ikke en Word-fil"),
        ("xlsx", "er ikke en Word-fil"),
        ("docm", "makroer"),
    ],
)
def test_a_template_that_is_not_a_word_file_is_a_clear_error(tmp_path, content, message):
    template = tmp_path / "skabelon.docx"
    if content == "zip":
        with zipfile.ZipFile(template, "w") as archive:
            archive.writestr("noter.txt", "ikke Word")
    elif content in ("xlsx", "docm"):
        kind = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
            if content == "xlsx"
            else "application/vnd.ms-word.document.macroEnabled.main+xml"
        )
        template.write_bytes(_retype(HOUSE.read_bytes(), DOCUMENT_MAIN, kind))
    else:
        template.write_bytes(content)
    result = run("render", NOTES / "BI19.yaml", "-o", tmp_path / "b", "--template", template)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{template}: fejl: " in result.output
    assert message in result.output
    assert not (tmp_path / "b").exists()


def test_a_template_that_does_not_exist_is_a_usage_error_naming_it(tmp_path):
    missing = tmp_path / "findes-ikke.dotx"
    result = run("render", NOTES / "BI19.yaml", "-o", tmp_path / "b", "--template", missing)
    assert result.exit_code == 2
    assert result.output == f"fejl: Word-skabelonen {missing} (--template) findes ikke.\n"
    assert not (tmp_path / "b").exists()


def test_the_template_is_not_needed_for_html_only(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not word")
    result = run("render", NOTES / "BI19.yaml", "-o", tmp_path, "-f", "html", "-t", broken)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "BI19.html").exists()


def test_danish_style_ids_and_a_missing_footnotes_part_still_give_styled_footnotes(tmp_path):
    template = make_template(
        tmp_path / "dansk.dotx",
        dotx=True,
        style_ids={"footnote text": "Fodnotetekst", "footnote reference": "Fodnotehenvisning"},
        footnotes=False,
        body_text="Skriv overskriften her",
    )
    data = render_docx(sample_document(), template)

    styles = xml(data, "word/styles.xml")
    assert style_named(styles, "footnote text").get(w("styleId")) == "FootnoteText"
    assert style_named(styles, "footnote reference").get(w("styleId")) == "FootnoteReference"
    footnotes = xml(data, "word/footnotes.xml")
    note = [f for f in footnotes.findall("w:footnote", NS) if int(f.get(w("id"))) > 0]
    assert len(note) == 1
    assert note[0].find("w:p/w:pPr/w:pStyle", NS).get(w("val")) == "FootnoteText"
    assert "Kilde: Jobindsats.dk" in "".join(note[0].itertext())
    ids = {s.get(w("styleId")) for s in styles.findall("w:style", NS)}
    referenced = {e.get(w("val")) for e in styles.iter(w("basedOn"), w("next"), w("link"))}
    assert referenced <= ids
    # The template's placeholder text is not part of the note.
    assert b"Skriv overskriften her" not in parts(data)["word/document.xml"]


def _every_construct():
    """Return a draft with every block the writer knows, headings 1–6 and lists 3 deep."""
    sample = sample_document(draft=True)

    def nested(ordered: bool, depth: int) -> ListBlock:
        item: tuple = (Paragraph((Text(f"punkt {depth}"),)), Paragraph((Text("fortsat"),)))
        if depth < 3:
            item += (nested(ordered, depth + 1),)
        return ListBlock(ordered, (item,))

    extra = (
        *(Heading(level, (Text(f"Niveau {level}"),)) for level in range(1, 7)),
        nested(False, 1),
        nested(True, 1),
        Quote((nested(True, 1), nested(False, 1))),
    )
    return dataclasses.replace(sample, blocks=sample.blocks + extra)


def test_every_style_the_writer_uses_is_in_the_needed_list():
    data = render_docx(_every_construct(), HOUSE)
    styles = xml(data, "word/styles.xml")
    names = {
        s.get(w("styleId")): s.find("w:name", NS).get(w("val"))
        for s in styles.findall("w:style", NS)
    }
    used = set()
    for name, content in parts(data).items():
        # The footer is the template's own; everything else here is written by notebuild.
        if name == "word/document.xml" or name.startswith(("word/header", "word/footnotes")):
            root = etree.fromstring(content)
            for reference in root.iter(w("pStyle"), w("rStyle"), w("tblStyle")):
                used.add(names[reference.get(w("val"))])
    needed = {BabelFish.ui2internal(need.name) for need in NEEDED_STYLES}
    assert used - needed == set()
    # And the list is no longer than what is used.
    assert needed - used == set()
