"""A Word draft holds each problem as a comment by "notebuild", anchored at its figure or text."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from notebuild.pipeline import render_outputs
from tests.libreoffice import pdf_texts, pdf_with_comments
from tests.reviewer_drafts import drafts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


@pytest.fixture(scope="module")
def words(tmp_path_factory) -> dict[str, bytes]:
    found = drafts(tmp_path_factory.mktemp("kilder"))
    out = {name: render_outputs(d.review, ("docx",))["docx"] for name, d in found.items()}
    out |= {
        f"{name}-offentlig": render_outputs(d.published, ("docx",))["docx"]
        for name, d in found.items()
        if d.published is not None
    }
    return out


def _parts(docx: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(docx))


def comments(docx: bytes) -> dict[str, dict]:
    """Return each comment by id: its author, text and the text it is anchored at."""
    package = _parts(docx)
    root = etree.fromstring(package.read("word/comments.xml"))
    body = etree.fromstring(package.read("word/document.xml"))
    found = {}
    for comment in root.iter(f"{W}comment"):
        number = comment.get(f"{W}id")
        found[number] = {
            "author": comment.get(f"{W}author"),
            "date": comment.get(f"{W}date"),
            "text": "\n".join(
                "".join(t.text or "" for t in p.iter(f"{W}t")) for p in comment.iter(f"{W}p")
            ),
            "anchored": _anchored(body, number),
        }
    return found


def _anchored(body: etree._Element, number: str) -> dict:
    """Return the text between a comment's range markers, and the cell or paragraph it is in."""
    start = body.find(f".//{W}commentRangeStart[@{W}id='{number}']")
    end = body.find(f".//{W}commentRangeEnd[@{W}id='{number}']")
    reference = body.find(f".//{W}commentReference[@{W}id='{number}']")
    assert start is not None and end is not None and reference is not None
    inside, text = False, []
    for element in body.iter():
        if element is start:
            inside = True
        elif element is end:
            break
        elif inside and element.tag == f"{W}t":
            text.append(element.text or "")
    cell = start.getparent()
    while cell is not None and cell.tag not in (f"{W}tc", f"{W}body"):
        cell = cell.getparent()
    return {"text": "".join(text), "in_cell": cell is not None and cell.tag == f"{W}tc"}


def test_a_wrong_total_is_a_comment_at_the_computed_figure(words):
    (comment,) = comments(words["BI19-fejl"]).values()
    assert comment["author"] == "notebuild"
    assert comment["date"] is None  # the same bytes every time
    assert comment["anchored"] == {"text": "36.960", "in_cell": True}
    assert comment["text"].startswith(
        "Fejl 1: Tabel 2, Udgifter i alt (netto), I alt: angivet 36.991, men alle rækker og år "
        "giver 36.960"
    )
    assert "Forfatteren har skrevet 36.991" in comment["text"]
    assert "Ret tallet til 36.960" in comment["text"]


def test_a_rounding_difference_is_a_comment_at_the_stated_figure(words):
    (comment,) = comments(words["delaftale-afrunding"]).values()
    assert comment["anchored"] == {"text": "4,0", "in_cell": True}
    assert comment["text"].startswith("Advarsel 1:")
    assert "Forskellen kan skyldes afrunding" in comment["text"]


def test_an_unknown_code_is_a_comment_at_the_sentence_that_prints_it(words):
    (comment,) = comments(words["memo-kode"]).values()
    assert comment["anchored"] == {"text": "BIQ indstiller,", "in_cell": False}
    assert "ukendt forvaltning 'BIQ'" in comment["text"]


def test_each_placeholder_with_a_place_is_a_comment_there(words):
    found = comments(words["BI30-udfyld"]).values()
    anchored = [c["anchored"]["text"] for c in found]
    assert len(anchored) == 14
    # A text placeholder is shown as written; a code's is checked (and printed) as a neutral
    # stand-in, which the comment marks as not yet filled.
    stand_ins = [text for text in anchored if "UDFYLD" not in text]
    assert sorted(stand_ins) == ["00.00", "Service", "ØU"], anchored
    assert sum(1 for c in found if c["anchored"]["in_cell"]) >= 4  # Tabel 1 and Tabel 2
    assert all("mangler at blive udfyldt" in c["text"] for c in found)


def test_the_comments_part_has_its_relationship_and_content_type(words):
    package = _parts(words["BI19-fejl"])
    types = etree.fromstring(package.read("[Content_Types].xml"))
    assert any(
        o.get("PartName") == "/word/comments.xml" and o.get("ContentType") == COMMENTS_TYPE
        for o in types
    )
    rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    assert [r.get("Target") for r in rels if r.get("Type") == COMMENTS_REL] == ["comments.xml"]


def test_the_published_edition_has_no_comments(words):
    assert "word/comments.xml" not in _parts(words["delaftale-afrunding-offentlig"]).namelist()
    body = _parts(words["delaftale-afrunding-offentlig"]).read("word/document.xml")
    assert b"commentRangeStart" not in body and b"UDKAST" not in body


def _annotations(pdf: Path) -> list[tuple[str, tuple[float, ...]]]:
    """Return each text annotation (a comment) in a PDF: its text and its rectangle."""
    data = pdf.read_bytes()
    found = []
    for match in re.finditer(rb"/Subtype /Text /Rect\[([^\]]*)\].*?/Contents <([0-9A-F]+)>", data):
        rect = tuple(float(v) for v in match[1].split())
        found.append((bytes.fromhex(match[2].decode()).decode("utf-16"), rect))
    return found


def _word_boxes(pdf: Path, word: str) -> list[tuple[float, float, float, float]]:
    """Return where `word` is printed (x0, y0, x1, y1 from the page's top), by pdftotext."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
    return [
        tuple(float(v) for v in m.groups())
        for m in re.finditer(pattern + re.escape(word) + "</word>", html)
    ]


def test_libreoffice_reads_the_comment_at_the_figure(words, tmp_path):
    pdf = pdf_with_comments(tmp_path, "BI19-fejl", words["BI19-fejl"])
    ((text, rect),) = _annotations(pdf)
    assert text.startswith("Fejl 1: Tabel 2, Udgifter i alt (netto), I alt: angivet 36.991")
    height = 841.89  # A4, in points; the PDF counts from the bottom, pdftotext from the top
    (box,) = _word_boxes(pdf, "36.960")
    assert box[1] - 2 <= height - rect[3] <= box[3] + 2  # on the figure's line
    assert box[0] - 2 <= rect[0] <= box[2] + 12  # at the figure's end, where its range ends


def test_libreoffice_converts_every_draft_with_comments(words, tmp_path):
    texts = pdf_texts(tmp_path, {name: data for name, data in words.items()})
    assert "36.960" in texts["BI19-fejl"]
    assert "BIQ indstiller," in texts["memo-kode"]
    assert "UDFYLD" in texts["BI30-udfyld"]
