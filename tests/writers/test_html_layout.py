"""HTML tables keep "2016-17" on one line, as Word's non-breaking hyphen does."""

from __future__ import annotations

from notebuild.document.model import Cell, Column, Document, Heading, Row, Table, Text
from notebuild.writers.html import render_html


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
