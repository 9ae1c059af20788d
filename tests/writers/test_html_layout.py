"""HTML tables lay out as Word's: "2016-17" on one line, and the columns' measured proportions."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from notebuild.document.model import Cell, Column, Document, Heading, Row, Table, Text
from notebuild.pipeline import check_file, compose, render_outputs
from notebuild.writers.html import render_html

from ..conftest import NOTES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_a_hyphenated_figure_in_a_cell_is_kept_on_one_line_and_its_text_unchanged():
    table = Table(
        caption="Tidligere afsatte midler",
        columns=(Column(), Column("right", numeric=True)),
        header=(Row((Cell((Text("1.000 kr."),)), Cell((Text("2017"),))), role="header"),),
        body=(Row((Cell((Text("Overførselssagen 2016-17"),)), Cell((Text("300"),)))),),
        number=5,
    )
    page = render_html(Document(title="T", blocks=(Heading(1, (Text("T"),)), table)))
    assert 'Overførselssagen <span class="nowrap">2016-17</span>' in page
    assert ".nowrap {\n  white-space: nowrap;" in page


def _word_widths(data: bytes) -> list[list[float]]:
    """Return each body table's column widths in the .docx, as shares of the table."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    shares = []
    for grid in body.iter(f"{{{W}}}tblGrid"):
        widths = [int(col.get(f"{{{W}}}w")) for col in grid.iter(f"{{{W}}}gridCol")]
        shares.append([w / sum(widths) * 100 for w in widths])
    return shares


def _html_widths(page: str) -> list[list[float]]:
    """Return each table's <col> widths in the page, in per cent."""
    return [
        [float(w) for w in re.findall(r'<col style="width: ([\d.]+)%">', group)]
        for group in re.findall(r"<colgroup>(.*?)</colgroup>", page, re.S)
    ]


@pytest.mark.parametrize("note", sorted(NOTES.glob("*.yaml")), ids=lambda p: p.stem)
def test_html_tables_keep_the_column_proportions_of_the_word_file(note):
    outputs = render_outputs(compose(check_file(note), edition="publish"), ("docx", "html"))
    word, html = _word_widths(outputs["docx"]), _html_widths(outputs["html"].decode("utf-8"))
    assert len(word) == len(html)  # the memos have no tables; the others several
    for in_word, in_html in zip(word, html, strict=True):
        assert in_html == pytest.approx(in_word, abs=0.01)
