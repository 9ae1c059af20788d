"""Every XML part the text writer writes is what lxml writes of it, for every kind of note.

The writer writes WordprocessingML as text (writers/docx.py) and copies the template's other
parts as they are (writers/docx_parts.py). Parsing each part and writing it again with lxml,
as python-docx saves a part, must give the same bytes: the text is well-formed, escaped as
lxml escapes, and declares no namespace twice. Every shipped note in both editions, draft
and final, the notes with each kind of problem (comments), a document with every construct,
and templates with a logo, the {{afsender}} marker and a first page of its own, Danish style
names, a .dotx without a footnotes part.

When this writer replaced the one on python-docx's object model, the whole .docx of each
of these was byte-identical to that writer's (the test that held them so went with it).
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from notebuild.document.model import (
    Cell,
    Column,
    Document,
    FootnoteRef,
    Link,
    ListBlock,
    Paragraph,
    Placed,
    Remark,
    Row,
    Strong,
    Table,
    Text,
)
from notebuild.pipeline import check_file, compose
from notebuild.writers.docx import render_docx

from ..conftest import NOTES, ROOT
from ..reviewer_drafts import drafts
from ..sample_document import sample_document
from ..test_template import _every_construct, make_template
from ..test_template_kept import localized, with_logo

HOUSE = ROOT / "templates" / "husformat.docx"
SHIPPED = sorted(NOTES.glob("*.yaml"))
# The parts a note writes into; the template's others are copied as they are.
WRITTEN = re.compile(
    r"word/(document|header\d*|footnotes|numbering|styles|comments)\.xml$"
    r"|word/_rels/document\.xml\.rels$|docProps/core\.xml$|\[Content_Types\]\.xml$"
)
EMPTY = re.compile(r"<([\w:]+)((?:\s[^<>]*[^/<>])?)></\1>")


def assert_parts_are_as_lxml_writes_them(data: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert sum(bool(WRITTEN.match(name)) for name in archive.namelist()) >= 7
    for name in archive.namelist():
        if not WRITTEN.match(name):
            continue
        written = archive.read(name).decode()
        again = etree.tostring(
            etree.fromstring(written.encode()), encoding="UTF-8", standalone=True
        )
        # An element whose text python-docx set to "" (dc:description) reads back empty.
        assert again.decode() == EMPTY.sub(r"<\1\2/>", written), name


@pytest.mark.parametrize("source", SHIPPED, ids=lambda path: path.stem)
@pytest.mark.parametrize("draft", [False, True], ids=["final", "draft"])
@pytest.mark.parametrize("edition", ["review", "publish"])
def test_every_shipped_note(source, draft, edition):
    document = compose(check_file(source), draft=draft, edition=edition)
    assert_parts_are_as_lxml_writes_them(render_docx(document, HOUSE))


def test_notes_with_problems_in_both_editions(tmp_path):
    found = drafts(tmp_path)
    names = [
        zipfile.ZipFile(io.BytesIO(render_docx(d.review, HOUSE))).namelist() for d in found.values()
    ]
    assert any("word/comments.xml" in listed for listed in names)
    for draft in found.values():
        assert_parts_are_as_lxml_writes_them(render_docx(draft.review, HOUSE))
        if draft.published is not None:
            assert_parts_are_as_lxml_writes_them(render_docx(draft.published, HOUSE))


@pytest.mark.parametrize("draft", [False, True], ids=["final", "draft"])
def test_every_construct(draft):
    assert_parts_are_as_lxml_writes_them(render_docx(sample_document(draft=draft), HOUSE))
    assert_parts_are_as_lxml_writes_them(render_docx(_every_construct(), HOUSE))


@pytest.mark.parametrize(
    "make",
    [
        lambda folder: with_logo(folder / "marker.docx", marker=True, first_page=True),
        lambda folder: localized(folder / "dansk.docx"),
        lambda folder: make_template(
            folder / "dansk.dotx",
            dotx=True,
            style_ids={"footnote text": "Fodnotetekst", "footnote reference": "Fodnotehenvisning"},
            footnotes=False,
            body_text="Skriv overskriften her",
        ),
    ],
    ids=["marker-first-page", "danish-names", "dotx-no-footnotes"],
)
def test_templates_of_every_shape(tmp_path, make):
    template = make(tmp_path)
    assert_parts_are_as_lxml_writes_them(render_docx(_every_construct(), template))
    note = compose(check_file(NOTES / "delaftale-2014.yaml"), draft=True)
    assert_parts_are_as_lxml_writes_them(render_docx(note, template))


R1 = Remark(1, "error", "l1", "Fejl her", "Ret det", "1.000")
R2 = Remark(2, "warning", "l2", "Advarsel")
SHARED = "https://kk.dk/a?b=1&c=2"


def _tangled() -> Document:
    """Links in the body, a cell and footnotes (one address twice), comments nested, on no
    text, inside a link and a footnote: what relates to which part and anchors where."""
    in_footnote = FootnoteRef(
        1,
        (
            Paragraph((Text("Se "), Link(SHARED, (Text("her"),)), Link("mailto:x@kk.dk", ()))),
            ListBlock(
                True, ((Paragraph((Text("2016-17 "), Placed((Text("y"),), (), (R1,)))),),), 3
            ),
        ),
    )
    return Document(
        title="Svært & <godt>",
        draft=True,
        blocks=(
            Paragraph(
                (
                    Link(SHARED, (Text("kk.dk"),)),
                    in_footnote,
                    Placed((Strong((Text("x"), Placed((Text("y"),), (), (R2,)))),), (), (R1, R2)),
                    Placed((Link("https://kk.dk/z", (Text("z"),)),), (), (R1,)),
                )
            ),
            Paragraph((Link(SHARED, (Placed((Text("i"),), (), (R2,)),)), FootnoteRef(2, ()))),
            Table(
                "Tabel",
                (Column(), Column("right", 1, numeric=True)),
                header=(Row((Cell((Text("Post"),)), Cell((Text("Beløb"),)))),),
                body=(
                    Row(
                        (
                            Cell((Link("https://kk.dk/n", (Text("n"),)),)),
                            Cell((Text("1"),), remarks=(R2, R1)),
                        )
                    ),
                ),
            ),
        ),
    )


def test_every_relationship_resolves_in_the_relationships_of_its_own_part():
    data = render_docx(_tangled(), HOUSE)
    assert_parts_are_as_lxml_writes_them(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    targets = {}
    for part in ("document", "footnotes"):
        rels = etree.fromstring(archive.read(f"word/_rels/{part}.xml.rels"))
        ids = {rel.get("Id"): rel.get("Target") for rel in rels}
        used = re.findall(rb'r:id="(rId\d+)"', archive.read(f"word/{part}.xml"))
        targets[part] = {ids[rid.decode()] for rid in used}
    assert targets["footnotes"] == {SHARED, "mailto:x@kk.dk"}
    assert {SHARED, "https://kk.dk/z", "https://kk.dk/n"} <= targets["document"]
    comments = etree.fromstring(archive.read("word/comments.xml"))
    assert len(comments) == 8
