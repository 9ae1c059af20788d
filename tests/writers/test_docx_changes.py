"""`notebuild diff --format docx`: the new version in Word, its differences as tracked changes."""

from __future__ import annotations

import copy
import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from notebuild.pipeline import check_file, compose, render_outputs
from tests.libreoffice import pdf_texts

ROOT = Path(__file__).resolve().parents[2]
BI19 = ROOT / "notes" / "BI19.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WHEN = "2026-12-05T10:00"

# The new version: a changed sentence, a changed amount (and the totals it moves), a row of
# earlier funds removed and one added.
EDITS = (
    ("og støttet af AP Møller Fonden.", "og finansieret af AP Møller Fonden."),
    ("      beløb: {2023: 720}\n      i_alt: 720", "      beløb: {2023: 800}\n      i_alt: 800"),
    (
        "    beløb: {2023: 720, 2024: 7.500, 2025: 9.580, 2026: 9.580, 2027: 9.580}\n"
        "    i_alt: 36.960",
        "    beløb: {2023: 800, 2024: 7.500, 2025: 9.580, 2026: 9.580, 2027: 9.580}\n"
        "    i_alt: 37.040",
    ),
    (
        "      beløb: {2023: 720, 2024: 1.260, 2025: 1.260, 2026: 1.260, 2027: 1.260}\n"
        "      i_alt: 5.760",
        "      beløb: {2023: 800, 2024: 1.260, 2025: 1.260, 2026: 1.260, 2027: 1.260}\n"
        "      i_alt: 5.840",
    ),
    ("    - navn: Overførelssagen 2016-17\n      beløb: {2017: 300}\n", ""),
    (
        "    - navn: Budgetaftale 2021\n      beløb: {2022: 300, 2023: 300}\n",
        "    - navn: Budgetaftale 2021\n      beløb: {2022: 300, 2023: 300}\n"
        "    - navn: Budgetaftale 2023\n      beløb: {2024: 500}\n",
    ),
    (
        "    beløb: {2017: 300, 2018: 2.266, 2019: 2.266, 2020: 2.266, 2022: 300, 2023: 300}",
        "    beløb: {2018: 2.266, 2019: 2.266, 2020: 2.266, 2022: 300, 2023: 300, 2024: 500}",
    ),
)


def _new_version(folder: Path) -> Path:
    text = BI19.read_text("utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    target = folder / "ny" / "BI19.yaml"
    target.parent.mkdir()
    target.write_text(text, "utf-8")
    return target


def _body(docx: bytes) -> etree._Element:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    return root.find(f"{W}body")


def _accepted(body: etree._Element, keep: str = "ins") -> etree._Element:
    """Return the body with every change accepted (keep="ins") or rejected (keep="del"), as
    Word does: the kept kind unwrapped, the other dropped with its rows and paragraph marks."""
    drop = "del" if keep == "ins" else "ins"
    body = copy.deepcopy(body)
    for row in list(body.iter(f"{W}tr")):
        if row.find(f"{W}trPr/{W}{drop}") is not None:
            row.getparent().remove(row)
    for paragraph in list(body.iter(f"{W}p")):
        if (
            paragraph.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None
            and paragraph.getparent() is not None
        ):
            paragraph.getparent().remove(paragraph)
    for element in list(body.iter(f"{W}{drop}")):
        if element.getparent() is not None and element.getparent().tag != f"{W}rPr":
            element.getparent().remove(element)
    for element in list(body.iter(f"{W}{keep}")):
        parent = element.getparent()
        if parent is not None and parent.tag not in (f"{W}rPr", f"{W}trPr"):
            for child in list(element):
                element.addprevious(child)
            parent.remove(element)
    for text in body.iter(f"{W}delText"):
        text.tag = f"{W}t"
    return body


def _texts(body: etree._Element) -> list[str]:
    """Return the text of each paragraph of the body (table cells included), in order."""
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def _word(path: Path) -> bytes:
    checked = check_file(path)
    assert checked.ok, [p.message for p in checked.problems]
    return render_outputs(compose(checked), ("docx",))["docx"]


@pytest.fixture(scope="module")
def changes(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("aendringer")
    new = _new_version(folder)
    out = folder / "BI19-ændringer.docx"
    done = subprocess.run(
        [
            ROOT / ".venv" / "bin" / "notebuild",
            "diff",
            BI19,
            new,
            "--format",
            "docx",
            "--date",
            WHEN,
            "--out",
            out,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {"folder": folder, "new": new, "docx": out.read_bytes(), "stdout": done.stdout}


def test_accepting_every_change_gives_the_new_version_and_rejecting_the_old(changes):
    body = _body(changes["docx"])
    assert _texts(_accepted(body, "ins")) == _texts(_body(_word(changes["new"])))
    assert _texts(_accepted(body, "del")) == _texts(_body(_word(BI19)))


def test_a_changed_sentence_is_tracked_word_by_word(changes):
    body = _body(changes["docx"])
    (paragraph,) = [p for p in body.iter(f"{W}p") if "AP Møller Fonden" in "".join(p.itertext())]
    deleted = ["".join(d.itertext()) for d in paragraph.iter(f"{W}del")]
    inserted = ["".join(i.itertext()) for i in paragraph.iter(f"{W}ins")]
    assert deleted == ["støttet"] and inserted == ["finansieret"]
    for mark in (*paragraph.iter(f"{W}del"), *paragraph.iter(f"{W}ins")):
        assert mark.get(f"{W}author") == "notebuild"
        assert mark.get(f"{W}date") == "2026-12-05T10:00:00Z"


def _first_cell(row: etree._Element) -> str:
    """Return the text of a row's first cell; a non-breaking hyphen (2016-17) reads as "-"."""
    cell = row.find(f"{W}tc")
    if cell is None:
        return ""
    pieces = cell.iter(f"{W}t", f"{W}delText", f"{W}noBreakHyphen")
    return "".join("-" if p.tag == f"{W}noBreakHyphen" else p.text or "" for p in pieces)


def _row(body: etree._Element, first: str) -> etree._Element:
    (row,) = [r for r in body.iter(f"{W}tr") if _first_cell(r) == first]
    return row


def test_a_changed_amount_is_tracked_in_its_cell(changes):
    body = _body(changes["docx"])
    row = _row(body, "1 årsværk i 2023 til udarbejdelse af udbuddet")
    cells = row.findall(f"{W}tc")
    changed = [
        ("".join(c.find(f".//{W}del").itertext()), "".join(c.find(f".//{W}ins").itertext()))
        for c in cells
        if c.find(f".//{W}del") is not None
    ]
    assert changed == [("720", "800"), ("720", "800")]  # the year and the row's I alt
    total = _row(body, "Udgifter i alt (netto)")
    assert [("".join(d.itertext())) for d in total.iter(f"{W}del")] == ["720", "36.960"]
    assert [("".join(i.itertext())) for i in total.iter(f"{W}ins")] == ["800", "37.040"]


def test_an_added_and_a_removed_row_are_tracked_as_rows(changes):
    body = _body(changes["docx"])
    added = _row(body, "Budgetaftale 2023")
    assert added.find(f"{W}trPr/{W}ins") is not None
    assert added.find(f".//{W}t") is not None and added.find(f".//{W}del") is None
    removed = _row(body, "Overførelssagen 2016-17")
    assert removed.find(f"{W}trPr/{W}del") is not None
    assert removed.find(f".//{W}t") is None  # its text is all deleted text
    rows = [_first_cell(r) for r in removed.getparent().findall(f"{W}tr")]
    # The removed row stands where it stood; the added one where the new version has it.
    assert rows.index("Overførelssagen 2016-17") < rows.index("Budgetaftale 2018")
    assert rows.index("Budgetaftale 2021") < rows.index("Budgetaftale 2023")


def test_revision_ids_are_unique_and_the_file_is_the_same_when_made_again(changes):
    body = _body(changes["docx"])
    ids = [m.get(f"{W}id") for tag in ("ins", "del") for m in body.iter(f"{W}{tag}")]
    assert len(ids) == len(set(ids)) > 10
    again = changes["folder"] / "igen.docx"
    subprocess.run(
        [
            ROOT / ".venv" / "bin" / "notebuild",
            "diff",
            BI19,
            changes["new"],
            "--format",
            "docx",
            "--date",
            WHEN,
            "--out",
            again,
        ],
        capture_output=True,
        check=True,
    )
    assert again.read_bytes() == changes["docx"]


def test_libreoffice_opens_the_tracked_changes(changes, tmp_path):
    (text,) = pdf_texts(tmp_path, {"aendringer": changes["docx"]}).values()
    # LibreOffice prints the changes shown: the old word struck through before the new one,
    # the removed row and the added one.
    shown = " ".join(text.split())
    assert "støttetfinansieret af AP Møller Fonden" in shown
    assert "Overførelssagen 2016-17" in shown and "Budgetaftale 2023" in shown
