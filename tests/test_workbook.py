"""The activity workbook (aktiviteter.xlsx), written as SpreadsheetML text, read back by two
clients: LibreOffice Calc (a real spreadsheet, converting it to CSV) and openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl

from notebuild.round.activities import HEADERS, ActivityRow, xlsx_bytes


def row(title: str, amount: str, decimals: int, model_name: str = "", year: int = 2026):
    return ActivityRow(
        "BI99", title, 2 if model_name else 1, model_name, "Aktivitet", "BIU", "Service", "",
        "U", year, Decimal(amount), "mio. kr." if decimals else "1.000 kr.", "2026-pl", decimals,
    )  # fmt: skip


# Texts XML must escape (&, <, >, quotes), OOXML must escape (_x0041_ is a character to a
# spreadsheet unless its underscore is escaped) and spaces a parser would otherwise drop.
READABLE = [
    row("=cmd|' /C calc'!A0", "1234567.8", 1),
    row("_x0041_ og _X00e6_", "-12", 0, "model 2", 2027),
    row("  foran og bagved  ", "0.1", 1),
    row("<&> \"citat\" 'enkelt'", "-0.25", 2),
    row("æøå — ✓ 𝄞 linje\nto\ttab", "1000000", 0),
]
# Characters XML 1.0 forbids (and a carriage return, which a parser makes a line feed).
CONTROL = [row("Styk\x01ke\x1f med\rretur", "42", 0)]

# --- LibreOffice ----------------------------------------------------------------------------


def libreoffice_csv(workdir: Path, data: dict[str, bytes], shown: bool) -> dict[str, list]:
    """Return each named workbook's cells as LibreOffice Calc exports them to CSV: the
    cells' values, or (`shown`) the values as their number formats show them."""
    # No skip: a machine without the real client must fail here, not pass quietly.
    # `make test` installs it (Debian package libreoffice-calc-nogui).
    assert shutil.which("soffice"), "LibreOffice (soffice) is missing: run `make test`"
    sources = []
    for name, content in data.items():
        (workdir / f"{name}.xlsx").write_bytes(content)
        sources.append(str(workdir / f"{name}.xlsx"))
    # Separator ;, quote ", UTF-8, from line 1, …, "save cell contents as shown".
    options = f"59,34,76,1,,1033,false,true,{'true' if shown else 'false'},false"
    out = workdir / ("shown" if shown else "values")
    run = subprocess.run(
        [
            shutil.which("soffice"),
            "--headless",
            f"-env:UserInstallation={(workdir / 'lo').as_uri()}",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(out),
            *sources,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "LC_ALL": "C.UTF-8"},  # "1,234.5": the en-US separators
    )
    assert run.returncode == 0, run.stderr
    cells = {}
    for name in data:
        path = out / f"{name}.csv"
        assert path.exists(), f"LibreOffice could not read {name}.xlsx:\n{run.stderr}"
        text = path.read_bytes().decode("utf-8")  # not read_text: it makes \r a \n
        cells[name] = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return cells


def test_libreoffice_reads_the_cells_the_rows_hold(tmp_path):
    rows = READABLE + CONTROL
    workbooks = {"rows": xlsx_bytes(rows), "empty": xlsx_bytes([])}
    values = libreoffice_csv(tmp_path, workbooks, shown=False)
    header, *lines = values["rows"]
    assert header == list(HEADERS)
    assert values["empty"] == [list(HEADERS)]
    amount = HEADERS.index("Beløb")
    assert len(lines) == len(rows)
    for cells, source in zip(lines, rows, strict=True):
        expected = [str(value) for value in source.values()]
        assert cells[:amount] + cells[amount + 1 :] == expected[:amount] + expected[amount + 1 :]
        assert Decimal(cells[amount]) == source.amount
    shown = libreoffice_csv(tmp_path, {"rows": workbooks["rows"]}, shown=True)["rows"]
    assert [cells[amount] for cells in shown[1:]] == [
        "1,234,567.8",
        "-12",
        "0.1",
        "-0.25",
        "1,000,000",
        "42",
    ]


# --- openpyxl -------------------------------------------------------------------------------


def test_openpyxl_reads_every_cell_type_back():
    # Not CONTROL: openpyxl reads _x0001_ in a shared string as those seven characters.
    data = xlsx_bytes(READABLE)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "Aktiviteter"
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M6"
    for line, source in enumerate(READABLE, 2):
        cells = [sheet.cell(line, column) for column in range(1, len(HEADERS) + 1)]
        for cell, value in zip(cells, source.values(), strict=True):
            if isinstance(value, Decimal):
                assert type(cell.value) in (int, float), (line, cell.value)
                assert Decimal(str(cell.value)) == value
                places = "." + "0" * source.decimals if source.decimals else ""
                assert cell.number_format == "#,##0" + places, line
            elif isinstance(value, int):
                assert type(cell.value) is int and cell.value == value, line
            elif value == "":
                assert cell.value is None, line  # no cell, as a spreadsheet leaves it
            else:
                assert cell.data_type == "s" and cell.value == value, (line, cell.value)
    assert sheet.max_row == len(READABLE) + 1
    assert book.properties.title == "Budgetnotaternes aktiviteter"
    assert book.properties.creator == "notebuild"
    assert book.properties.created == dt.datetime(2000, 1, 1)


def test_the_column_widths_follow_the_widest_shown_value():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(READABLE))).active
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKLM"]
    titles = max(len(r.title) for r in READABLE)
    # Excel stores a width with the cell padding (5 px of a 7 px digit): +182/256.
    assert widths[1] == titles + 2 + 182 / 256
    assert widths[10] == len("1,234,567.8") + 2 + 182 / 256  # the amount as shown
    assert widths[9] == len("År") + 4 + 182 / 256  # the year's four digits
    assert widths[6] == len("Styringsområde") + 2 + 182 / 256
    long = [row("x" * 200, "1", 0)]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(long))).active
    assert sheet.column_dimensions["B"].width == 60 + 182 / 256


def test_an_empty_round_gives_a_workbook_with_the_header():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([]))).active
    assert [[cell.value for cell in line] for line in sheet.iter_rows()] == [list(HEADERS)]
    assert sheet.auto_filter.ref == "A1:M1"


def test_every_part_is_well_formed_xml_and_the_filter_range_is_named():
    package = zipfile.ZipFile(io.BytesIO(xlsx_bytes(READABLE + CONTROL)))
    for name in package.namelist():
        ElementTree.fromstring(package.read(name))  # raises on a control character
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    (name,) = workbook.iter(f"{main}definedName")
    assert name.get("name") == "_xlnm._FilterDatabase"
    assert name.get("localSheetId") == "0"
    assert name.text == "Aktiviteter!$A$1:$M$7"
    shared = package.read("xl/sharedStrings.xml").decode("utf-8")
    sheet = ElementTree.fromstring(package.read("xl/worksheets/sheet1.xml"))
    texts = [cell for cell in sheet.iter(f"{main}c") if cell.get("t") == "s"]
    table = ElementTree.fromstring(shared)
    assert table.get("count") == str(len(texts))
    assert table.get("uniqueCount") == str(len(table))
    assert "Styk_x0001_ke_x001F_ med_x000D_retur" in shared
    assert "_x005F_x0041_ og _X00e6_" in shared  # an upper-case X escapes nothing
    assert "&lt;&amp;&gt;" in shared


def test_the_same_rows_give_the_same_bytes():
    assert xlsx_bytes(READABLE + CONTROL) == xlsx_bytes(list(READABLE + CONTROL))
    dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(xlsx_bytes([]))).infolist()}
    assert dates == {(1980, 1, 1, 0, 0, 0)}
