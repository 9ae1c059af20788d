"""Table layout from content: siblings alike, tall rows may break, "2016-17" does not."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from notebuild.document.model import Cell, Column, Document, Heading, Row, Table, Text
from notebuild.pipeline import check_file, compose, render_outputs
from notebuild.writers import docx_layout
from notebuild.writers.docx import render_docx

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates" / "husformat.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find("w:body", NS)


def grid(tbl: etree._Element) -> list[int]:
    return [int(c.get(f"{{{W}}}w")) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]


def note_docx(name: str) -> bytes:
    checked = check_file(ROOT / "notes" / f"{name}.yaml")
    return render_outputs(compose(checked), ("docx",))["docx"]


def caption_of(tbl: etree._Element) -> str:
    return tbl.find("w:tblPr/w:tblCaption", NS).get(f"{{{W}}}val")


def test_appropriation_tables_of_one_note_share_their_column_widths():
    tables = {caption_of(t): grid(t) for t in body(note_docx("BI19")).iter(f"{{{W}}}tbl")}
    service = next(g for c, g in tables.items() if "Udgifter til service" in c)
    transfers = next(g for c, g in tables.items() if "Udgifter til overførsler" in c)
    assert service == transfers


def table(label: str, rows: int = 1) -> Table:
    header = Row((Cell((Text("1.000 kr., 2023 p/l"),)), Cell((Text("2024"),))), role="header")
    body_rows = tuple(Row((Cell((Text(label),)), Cell((Text("8.320"),)))) for _ in range(rows))
    return Table(
        caption="Prøve",
        columns=(Column(), Column("right", numeric=True)),
        header=(header,),
        body=body_rows,
        number=1,
    )


def test_a_row_taller_than_a_few_lines_may_break_and_a_short_one_may_not():
    long_text = " ".join(["Beskæftigelsesrettet aktivering for borgere"] * 40)
    document = Document(
        title="T",
        blocks=(Heading(1, (Text("T"),)), table("Kort"), table(long_text)),
    )
    short, tall = body(render_docx(document, TEMPLATE)).findall("w:tbl", NS)
    rows = [tr.find("w:trPr", NS) for tr in short.findall("w:tr", NS)]
    assert all(r.find("w:cantSplit", NS) is not None for r in rows)
    header, row = tall.findall("w:tr", NS)
    assert header.find("w:trPr/w:tblHeader", NS) is not None
    assert header.find("w:trPr/w:cantSplit", NS) is not None
    assert row.find("w:trPr/w:cantSplit", NS) is None


def test_a_hyphen_between_digits_is_a_non_breaking_hyphen():
    document = Document(
        title="T", blocks=(Heading(1, (Text("T"),)), table("Overførselssagen 2016-17"))
    )
    cell = body(render_docx(document, TEMPLATE)).findall(".//w:tc", NS)[2]
    assert cell.find(".//w:noBreakHyphen", NS) is not None
    assert (
        "".join(t.text for t in cell.iter(f"{{{W}}}t")) == "Overførselssagen 201617"
    )  # + the hyphen


def test_a_header_takes_at_most_two_lines_and_a_unit_line_none_broken():
    measure = docx_layout.Measure(9.0, 114)
    header = Row(
        (
            Cell((Text("Aktiviteter i forslaget\n1.000 kr., 2023 p/l"),)),
            Cell((Text("Indtægt/udgift (I/U)"),)),
        ),
        role="header",
    )
    narrow = Table("x", (Column(), Column()), (header,), ())
    widths = docx_layout.column_widths([narrow], 3600, measure)
    assert widths[0] >= docx_layout.text_twips("1.000 kr., 2023 p/l", 9.0, True) + 114
    assert docx_layout.line_count("Indtægt/udgift (I/U)", widths[1] - 114, 9.0, True) <= 2


def test_text_is_measured_with_arials_widths():
    # Arial/Liberation Sans: "0" is 1139/2048 em, "W" 1933/2048 em; 10 pt = 200 twips per em.
    assert round(docx_layout.text_twips("0", 10, False), 2) == round(1139 / 2048 * 200, 2)
    assert round(docx_layout.text_twips("W", 10, False), 2) == round(1933 / 2048 * 200, 2)


# A machine with neither KBH nor notebuild's fontconfig alias: LibreOffice opening the .docx
# as a reviewer does sets the KBH text in fontconfig's choice, DejaVu Sans on Debian, which is
# up to a quarter wider than Arial in bold figures.
_ALIAS = (
    '<alias binding="strong"><family>{}</family>'
    "<prefer><family>DejaVu Sans</family></prefer></alias>"
)
_DEJAVU_FOR_KBH = (
    '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
    '<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
    + "".join(_ALIAS.format(family) for family in ("KBH", "KBH Tekst"))
    + "</fontconfig>\n"
)


def _figures(data: bytes) -> list[str]:
    """Return every figure in a right-aligned (numeric) table cell: "1.260", "−0,5", "2024"."""
    found = []
    for paragraph in body(data).iter(f"{{{W}}}p"):
        if paragraph.find("w:pPr/w:jc[@w:val='right']", NS) is None:
            continue
        text = "".join(paragraph.itertext()).strip()
        if re.fullmatch(r"[\u2212-]?\d[\d.,]*", text):
            found.append(text)
    return found


def test_figures_stay_on_one_line_where_libreoffice_falls_back_to_dejavu_sans(tmp_path):
    names = ("delaftale-2014", "BI19", "BI07")
    for name in names:
        (tmp_path / f"{name}.docx").write_bytes(note_docx(name))
    config = tmp_path / "fonts.conf"
    config.write_text(_DEJAVU_FOR_KBH, encoding="utf-8")
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / f"{name}.docx") for name in names),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
    )
    for name in names:
        pdf = tmp_path / f"{name}.pdf"
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "DejaVuSans" in fonts  # the fallback this test is about was really used
        lines = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        tokens = set(lines.split())
        broken = [f for f in _figures((tmp_path / f"{name}.docx").read_bytes()) if f not in tokens]
        assert not broken, f"{name}: figures broken across lines: {broken}"
