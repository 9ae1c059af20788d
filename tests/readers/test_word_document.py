"""The .docx reader: styles by Danish and English names, lists, merged cells, split tables."""

from __future__ import annotations

import pytest

from notebuild.readers.word_amounts import read_amount
from notebuild.readers.word_document import Paragraph, Table, WordError, read_word_bytes

from .word_files import cell, docx, p, table


def _paragraphs(data: bytes) -> list[Paragraph]:
    return [b for b in read_word_bytes(data).blocks if isinstance(b, Paragraph)]


def test_heading_levels_from_danish_and_english_style_names_and_outline_level():
    styles = [
        ("Normal", "Normal", None, None),
        ("Overskrift1", "heading 1", None, None),
        ("Overskrift2", "Overskrift 2", None, None),
        ("Titel", "Titel", None, None),
        ("MinOverskrift", "Min overskrift", "Overskrift2", None),
    ]
    outlined = '<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Tre</w:t></w:r></w:p>'
    found = _paragraphs(
        docx(
            p("Titlen", style="Titel"),
            p("En", style="Overskrift1"),
            p("To", style="Overskrift2"),
            p("Arvet", style="MinOverskrift"),
            outlined,
            p("Brødtekst"),
            styles=styles,
        )
    )
    assert [(x.text, x.level) for x in found] == [
        ("Titlen", -1),
        ("En", 1),
        ("To", 2),
        ("Arvet", 2),
        ("Tre", 3),
        ("Brødtekst", 0),
    ]


def test_list_kind_comes_from_the_numbering_format():
    found = _paragraphs(
        docx(p("punkt", style="Opstilling-punkttegn"), p("nummer", style="Opstilling-talformat"))
    )
    assert [x.list_kind for x in found] == ["bullet", "number"]


def test_merged_cells_cover_the_grid_columns_they_span():
    (grid,) = [
        b
        for b in read_word_bytes(
            docx(
                table(
                    [
                        [cell("Navn", vmerge="restart"), cell("Beløb", span=2)],
                        [cell(vmerge="continue"), "2024", "2025"],
                        ["Aktivitet", "1", "2"],
                    ],
                    header_rows=2,
                )
            )
        ).blocks
        if isinstance(b, Table)
    ]
    assert [[c.text for c in row] for row in grid.rows] == [
        ["Navn", "Beløb", ""],
        ["", "2024", "2025"],
        ["Aktivitet", "1", "2"],
    ]
    assert grid.rows[0][2].covered and grid.rows[1][0].covered and grid.header_rows == 2


def test_a_table_continued_after_a_page_break_is_one_table_without_its_repeated_header():
    head = ["Aktivitet", "2024"]
    blocks = read_word_bytes(
        docx(
            table([head, ["A", "1"]]),
            p(""),
            p("Tabel 1 (fortsat)"),
            table([head, ["B", "2"]]),
            p("Tekst"),
            table([head, ["C", "3"]]),
        )
    ).blocks
    tables = [b for b in blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in tables[0].rows] == [head, ["A", "1"], ["B", "2"]]
    assert tables[0].pieces == 2 and len(tables) == 2


def test_not_a_zip_is_a_clear_error():
    with pytest.raises(WordError, match="beskadiget"):
        read_word_bytes(b"just text")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("8.320", "8.320"),
        ("8 320", "8.320"),
        ("8\u00a0320", "8.320"),
        ("8\u202f320", "8.320"),
        ("8320", "8.320"),
        ("(1.260)", "-1.260"),
        ("−1.260", "-1.260"),
        ("–1.260", "-1.260"),
        ("0,5", "0,5"),
        ("1.234.567,25", "1.234.567,25"),
        ("4,0 mio. kr.", "4,0"),
    ],
)
def test_amounts_as_typed_in_word(typed, amount):
    assert read_amount(typed).text == amount


def test_dash_is_zero_empty_is_none_and_words_are_errors():
    assert read_amount("-").zero_dash and read_amount("-").text == "0"
    assert read_amount(" ").empty
    assert "ikke et beløb" in read_amount("ca. 80").error
    assert "to måder" in read_amount("8.32").error
