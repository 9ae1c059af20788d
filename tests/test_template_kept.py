"""A municipality's own Word template, as Word or LibreOffice saved it, is used whole: its
styles are found by name, id or Danish name, and its page header (a logo, a line of text) stays,
with the sender block at the template's marker or after its content."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from lxml import etree

from notebuild.pipeline import check_file, compose
from notebuild.writers.docx import render_docx
from notebuild.writers.docx_template import TemplateError, open_template

from .conftest import NOTES, ROOT

HOUSE = ROOT / "templates" / "husformat.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
LOGO_TEXT = "Københavns Kommune · Testlogo"
SENDER = "KØBENHAVNS KOMMUNE"


def png(width: int = 8, height: int = 8) -> bytes:
    """Return a small blue PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x00\x3c\x71" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def with_logo(path: Path, *, marker: bool = False, first_page: bool = False) -> Path:
    """Write the house template with a logo and a line of text in its page header.

    `marker` puts a {{afsender}} paragraph between the logo and the text; `first_page` gives
    the first page a header of its own.
    """
    word = docx.Document(str(HOUSE))
    section = word.sections[0]
    header = section.header
    logo = header.paragraphs[0]
    image = path.parent / "logo.png"
    image.write_bytes(png())
    logo.add_run().add_picture(str(image))
    if marker:
        header.add_paragraph("{{ afsender }}")
    header.add_paragraph(LOGO_TEXT)
    if first_page:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = "Første side"
    word.save(str(path))
    return path


def saved_by_libreoffice(source: Path, folder: Path) -> Path:
    """Return `source` opened and saved again as .docx by LibreOffice."""
    assert shutil.which("soffice"), "LibreOffice (soffice) is missing: run `make test`"
    out = folder / "lo"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation={(folder / 'profil').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return out / source.name


def rendered(template: Path, note: str = "BI19") -> bytes:
    return render_docx(compose(check_file(NOTES / f"{note}.yaml")), template)


def header_parts(data: bytes) -> dict[str, etree._Element]:
    """Return each header part the body's section refers to, by its type."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    body = etree.fromstring(archive.read("word/document.xml"))
    rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    found = {}
    for reference in body.iterfind(".//w:sectPr/w:headerReference", NS):
        target = targets[reference.get(f"{{{NS['r']}}}id")]
        found[reference.get(f"{{{W}}}type")] = etree.fromstring(archive.read(f"word/{target}"))
    return found


def lines(header: etree._Element) -> list[str]:
    """Return each header paragraph's text, a tab as a tab."""
    return [
        "".join(
            "\t" if e.tag == f"{{{W}}}tab" else e.text or ""
            for e in p.iter(f"{{{W}}}t", f"{{{W}}}tab")
        )
        for p in header.iterfind("w:p", NS)
    ]


def has_picture(paragraph: etree._Element) -> bool:
    return paragraph.find(".//w:drawing", NS) is not None


def test_the_house_template_saved_by_libreoffice_is_accepted(tmp_path):
    template = saved_by_libreoffice(shutil.copy(HOUSE, tmp_path / "hus.docx"), tmp_path)
    word = open_template(template)
    # LibreOffice names the styles "Heading 1", "Header", "Footnote Text" (ids of its own):
    # found, and given the names the writer looks for.
    for name in ("Heading 1", "Header", "footnote text", "List Bullet 3", "KBH Tabel"):
        assert word.styles[name] is not None
    data = rendered(template)
    assert SENDER in "".join(lines(header_parts(data)["default"]))


def test_a_header_with_a_logo_saved_by_libreoffice_keeps_it_and_adds_the_sender_after(tmp_path):
    template = saved_by_libreoffice(with_logo(tmp_path / "logo.docx"), tmp_path)
    header = header_parts(rendered(template))["default"]
    paragraphs = header.findall("w:p", NS)
    assert has_picture(paragraphs[0])
    texts = lines(header)
    assert texts.index(LOGO_TEXT) < texts.index(f"{SENDER}\tBudgetnotat BI19")
    assert texts[-1] == "Beskæftigelses- og Integrationsforvaltningen"


def test_the_sender_block_stands_at_the_templates_marker(tmp_path):
    template = with_logo(tmp_path / "markeret.docx", marker=True)
    header = header_parts(rendered(template))["default"]
    texts = lines(header)
    assert not any("afsender" in text for text in texts)
    assert has_picture(header.findall("w:p", NS)[0])
    assert texts[1:] == [
        f"{SENDER}\tBudgetnotat BI19",
        "Beskæftigelses- og Integrationsforvaltningen",
        LOGO_TEXT,
    ]


def test_a_different_first_page_header_is_kept_and_gets_the_sender_too(tmp_path):
    template = with_logo(tmp_path / "forside.docx", first_page=True)
    headers = header_parts(rendered(template))
    assert set(headers) == {"default", "first"}
    assert lines(headers["first"])[0] == "Første side"
    assert f"{SENDER}\tBudgetnotat BI19" in lines(headers["first"])
    assert has_picture(headers["default"].findall("w:p", NS)[0])


def localized(path: Path) -> Path:
    """Write the house template with Danish style names and ids, as a Danish template may."""
    word = docx.Document(str(HOUSE))
    styles = word.styles.element
    for level in range(1, 7):
        style = styles.get_by_name(f"heading {level}")
        style.find("w:name", NS).set(f"{{{W}}}val", f"Overskrift {level}")
        old = style.get(f"{{{W}}}styleId")
        for reference in styles.iter(f"{{{W}}}basedOn", f"{{{W}}}next", f"{{{W}}}link"):
            if reference.get(f"{{{W}}}val") == old:
                reference.set(f"{{{W}}}val", f"Overskrift{level}")
        style.set(f"{{{W}}}styleId", f"Overskrift{level}")
    styles.get_by_name("header").find("w:name", NS).set(f"{{{W}}}val", "sidehoved")
    word.save(str(path))
    return path


def test_styles_with_danish_names_and_ids_are_used(tmp_path):
    data = rendered(localized(tmp_path / "dansk.docx"))
    archive = zipfile.ZipFile(io.BytesIO(data))
    body = etree.fromstring(archive.read("word/document.xml"))
    first = body.find("w:body/w:p", NS)
    assert first.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Overskrift1"


def test_a_style_of_the_wrong_type_says_which_and_why(tmp_path):
    word = docx.Document(str(HOUSE))
    styles = word.styles.element
    styles.remove(styles.get_by_name("Tabelnote"))
    table = styles.get_by_name("KBH Tabel")
    copy = etree.fromstring(etree.tostring(table))
    copy.set(f"{{{W}}}styleId", "Tabelnote")
    copy.find("w:name", NS).set(f"{{{W}}}val", "Tabelnote")
    styles.append(copy)
    path = tmp_path / "forkert.docx"
    word.save(str(path))
    with pytest.raises(TemplateError) as error:
        open_template(path)
    assert '- Tabelnote: "Tabelnote" findes, men er ikke en afsnitstypografi' in str(error.value)
