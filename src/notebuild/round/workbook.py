"""The activity workbook (aktiviteter.xlsx) written as SpreadsheetML text.

A round's workbook has about ten thousand rows of thirteen cells. A spreadsheet library
spends microseconds on each cell (XlsxWriter ~4 µs: 0.45 s for a 500-note round); here each
row is one formatted string and each distinct text is escaped once, into the shared-string
table, as Excel itself writes it. The parts are the few a workbook needs (no theme, no
calculation chain); the zip has fixed times, so the same rows give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Protocol

from ..files.zipfiles import zip_entries

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAX_WIDTH = 60
# Excel stores a column's width with the cell padding (5 px of a 7 px digit in Calibri 11):
# a width of 10 characters is written 10.7109375, as Excel and XlsxWriter write it.
_WIDTH_PADDING = 182 / 256
_COLUMNS = "ABCDEFGHIJKLM"

# The row's fields in column order (activities.HEADERS), by how a cell is written.
_FIELDS = (
    "note",
    "title",
    "model",
    "model_name",
    "activity",
    "committee",
    "area",
    "appropriation",
    "direction",
    "year",
    "amount",
    "unit",
    "price_level",
)
_NUMBERS = frozenset({"model", "year"})
_AMOUNT = "amount"


class Row(Protocol):
    """What the workbook reads of a row: activities.ActivityRow (which imports this module)."""

    @property
    def note(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def model(self) -> int: ...
    @property
    def model_name(self) -> str: ...
    @property
    def activity(self) -> str: ...
    @property
    def committee(self) -> str: ...
    @property
    def area(self) -> str: ...
    @property
    def appropriation(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def unit(self) -> str: ...
    @property
    def price_level(self) -> str: ...
    @property
    def decimals(self) -> int: ...


# XML 1.0 forbids most control characters even as references; OOXML writes any UTF-16 unit
# as _xHHHH_ (ECMA-376 part 1, 22.9.2.19 ST_Xstring). A carriage return is written so too, or
# the XML parser would make it a line feed; a lone surrogate, or UTF-8 could not encode it.
# A literal "_x0041_" gets its underscore escaped (_x005F_) so it reads back unchanged.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _unit(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def xml_text(text: str) -> str:
    """Return `text` as SpreadsheetML character data that reads back as `text`."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _UNSAFE.sub(_unit, text.replace('"', "&quot;"))


class _SharedStrings(dict[str, str]):
    """Each distinct text's cell ending (after `<c r="B2" `), its index in the string table.

    The empty text gives an empty cell, as a spreadsheet leaves it.
    """

    def __init__(self) -> None:
        super().__init__({"": "/>"})
        self.items_xml: list[str] = []

    def __missing__(self, text: str) -> str:
        self.items_xml.append(f'<si><t xml:space="preserve">{xml_text(str(text))}</t></si>')
        ending = self[text] = f't="s"><v>{len(self.items_xml) - 1}</v></c>'
        return ending


def workbook_bytes(
    rows: Sequence[Row],
    headers: Sequence[str],
    sheet_title: str,
    properties: dict[str, str],
) -> bytes:
    """Return the rows as an .xlsx: a bold frozen header row with an autofilter, widths from
    the content, years and models as numbers, amounts as exact numbers formatted "#,##0" with
    the row's decimals, and every other cell as text (a title starting with "=" stays text).

    `properties` are the core properties: title, creator and created (W3CDTF).
    """
    assert len(headers) == len(_FIELDS)
    strings = _SharedStrings()
    decimals = sorted({row.decimals for row in rows})
    amount_style = {d: str(index) for index, d in enumerate(decimals, 2)}
    last = len(rows) + 1
    cells = f"A1:{_COLUMNS[-1]}{last}"
    header = "".join(
        f'<c r="{column}1" s="1" {strings[text]}'
        for column, text in zip(_COLUMNS, headers, strict=True)
    )
    body = [f'<row r="1">{header}</row>']
    body.extend(_rows(rows, strings, amount_style))
    sheet = (
        f'{_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<dimension ref="{cells}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{_columns(rows, headers)}</cols>"
        f"<sheetData>{''.join(body)}</sheetData>"
        f'<autoFilter ref="{cells}"/>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    shared = (
        f'{_DECLARATION}<sst xmlns="{_MAIN}" count="{_text_cells(rows, headers)}"'
        f' uniqueCount="{len(strings.items_xml)}">{"".join(strings.items_xml)}</sst>'
    )
    return zip_entries(
        [
            ("[Content_Types].xml", _CONTENT_TYPES.encode()),
            ("_rels/.rels", _PACKAGE_RELS.encode()),
            ("docProps/app.xml", _app(sheet_title).encode()),
            ("docProps/core.xml", _core(properties).encode()),
            ("xl/workbook.xml", _workbook(sheet_title, last).encode()),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.encode()),
            ("xl/styles.xml", _styles(decimals).encode()),
            ("xl/sharedStrings.xml", shared.encode()),
            ("xl/worksheets/sheet1.xml", sheet.encode()),
        ],
        level=1,
    )


def _rows(rows: Sequence[Row], strings: _SharedStrings, amount_style: dict[int, str]) -> list[str]:
    # One string per row, the cell references written out: the whole cost of the workbook.
    return [
        f'<row r="{n}">'
        f'<c r="A{n}" {strings[row.note]}'
        f'<c r="B{n}" {strings[row.title]}'
        f'<c r="C{n}"><v>{row.model:d}</v></c>'
        f'<c r="D{n}" {strings[row.model_name]}'
        f'<c r="E{n}" {strings[row.activity]}'
        f'<c r="F{n}" {strings[row.committee]}'
        f'<c r="G{n}" {strings[row.area]}'
        f'<c r="H{n}" {strings[row.appropriation]}'
        f'<c r="I{n}" {strings[row.direction]}'
        f'<c r="J{n}"><v>{row.year:d}</v></c>'
        f'<c r="K{n}" s="{amount_style[row.decimals]}"><v>{row.amount:f}</v></c>'
        f'<c r="L{n}" {strings[row.unit]}'
        f'<c r="M{n}" {strings[row.price_level]}'
        "</row>"
        for n, row in enumerate(rows, 2)
    ]


def _columns(rows: Sequence[Row], headers: Sequence[str]) -> str:
    """Each column as wide as its header or widest shown value, plus two, at most 60."""
    widths = []
    for index, (field, header) in enumerate(zip(_FIELDS, headers, strict=True), 1):
        values = set(map(attrgetter(field), rows))  # distinct first: a round repeats most
        shown = map(len, map(_shown, values))
        width = min(_MAX_WIDTH, max(len(header), *shown, 0) + 2)
        widths.append(
            f'<col min="{index}" max="{index}" width="{width + _WIDTH_PADDING}" customWidth="1"/>'
        )
    return "".join(widths)


def _shown(value: object) -> str:
    return f"{value:,f}" if isinstance(value, Decimal) else str(value)


def _text_cells(rows: Sequence[Row], headers: Sequence[str]) -> int:
    """Return how many cells hold a shared string: the headers and every non-empty text."""
    texts = [field for field in _FIELDS if field not in _NUMBERS and field != _AMOUNT]
    empty = sum(list(map(attrgetter(field), rows)).count("") for field in texts)
    return len(headers) + len(texts) * len(rows) - empty


def _styles(decimals: Sequence[int]) -> str:
    """Styles 0 (plain), 1 (bold header) and 2… (an amount with 0, 1… decimals, in order)."""
    formats = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="#,##0{"." + "0" * d if d else ""}"/>'
        for i, d in enumerate(decimals)
    )
    amounts = "".join(
        f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0"'
        ' applyNumberFormat="1"/>'
        for i in range(len(decimals))
    )
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    return (
        f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
        + (f'<numFmts count="{len(decimals)}">{formats}</numFmts>' if decimals else "")
        + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="{2 + len(decimals)}">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        f"{amounts}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _workbook(sheet_title: str, last: int) -> str:
    absolute = f"$A$1:${_COLUMNS[-1]}${last}"
    return (
        f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095"'
        ' windowHeight="9660"/></bookViews>'
        f'<sheets><sheet name="{xml_text(sheet_title)}" sheetId="1" r:id="rId1"/></sheets>'
        # The autofilter's range, as Excel names it: without it Excel repairs the file.
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{xml_text(_sheet_reference(sheet_title))}!{absolute}</definedName></definedNames>"
        "</workbook>"
    )


def _sheet_reference(sheet_title: str) -> str:
    """Return the sheet's name as a formula names it: quoted unless letters and digits."""
    if re.fullmatch(r"[^\W\d]\w*", sheet_title):
        return sheet_title
    return "'" + sheet_title.replace("'", "''") + "'"


def _core(properties: dict[str, str]) -> str:
    title = xml_text(properties["title"])
    creator = xml_text(properties["creator"])
    created = properties["created"]
    return (
        f"{_DECLARATION}<cp:coreProperties"
        ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:dcmitype="http://purl.org/dc/dcmitype/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>"
        f"<cp:lastModifiedBy>{creator}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _app(sheet_title: str) -> str:
    return (
        f"{_DECLARATION}<Properties"
        ' xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Application>notebuild</Application>"
        '<HeadingPairs><vt:vector size="2" baseType="variant">'
        "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>"
        "<vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        '<TitlesOfParts><vt:vector size="1" baseType="lpstr">'
        f"<vt:lpstr>{xml_text(sheet_title)}</vt:lpstr></vt:vector></TitlesOfParts>"
        "</Properties>"
    )


_CT = "application/vnd.openxmlformats-officedocument"
_CONTENT_TYPES = (
    f"{_DECLARATION}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels"'
    ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
    '<Override PartName="/docProps/core.xml"'
    ' ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml"'
    f' ContentType="{_CT}.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml"'
    f' ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships'
    '/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
