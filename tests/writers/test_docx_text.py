"""The text writer (writers/docx_text.py) gives the same bytes as the object-model writer.

Every shipped note in both editions, draft and final, the notes with each kind of problem,
a document with every construct, and templates of every shape the template tests know (a
logo and text in the header, the {{afsender}} marker, a first page of its own, Danish style
names and ids, a .dotx without a footnotes part): the whole .docx, byte for byte.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from notebuild.pipeline import check_file, compose
from notebuild.writers import docx as object_writer
from notebuild.writers import docx_text

from ..conftest import NOTES, ROOT
from ..reviewer_drafts import drafts
from ..sample_document import sample_document
from ..test_template import _every_construct, make_template
from ..test_template_kept import localized, with_logo

HOUSE = ROOT / "templates" / "husformat.docx"
SHIPPED = sorted(NOTES.glob("*.yaml"))


def assert_same(document, template: Path) -> None:
    old = object_writer.render_docx(document, template)
    new = docx_text.render_docx(document, template)
    if old == new:
        return
    old_zip, new_zip = (zipfile.ZipFile(io.BytesIO(data)) for data in (old, new))
    assert new_zip.namelist() == old_zip.namelist()
    for name in old_zip.namelist():
        assert new_zip.read(name).decode() == old_zip.read(name).decode(), name
    assert new == old  # the same parts, zipped otherwise


@pytest.mark.parametrize("source", SHIPPED, ids=lambda path: path.stem)
@pytest.mark.parametrize("draft", [False, True], ids=["final", "draft"])
@pytest.mark.parametrize("edition", ["review", "publish"])
def test_every_shipped_note_gives_the_same_bytes(source, draft, edition):
    assert_same(compose(check_file(source), draft=draft, edition=edition), HOUSE)


def test_notes_with_problems_give_the_same_bytes_in_both_editions(tmp_path):
    for draft in drafts(tmp_path).values():
        assert_same(draft.review, HOUSE)
        if draft.published is not None:
            assert_same(draft.published, HOUSE)


@pytest.mark.parametrize("draft", [False, True], ids=["final", "draft"])
def test_every_construct_gives_the_same_bytes(draft):
    assert_same(sample_document(draft=draft), HOUSE)
    assert_same(_every_construct(), HOUSE)


@pytest.mark.parametrize(
    "make",
    [
        lambda folder: with_logo(folder / "logo.docx"),
        lambda folder: with_logo(folder / "marker.docx", marker=True, first_page=True),
        lambda folder: localized(folder / "dansk.docx"),
        lambda folder: make_template(
            folder / "dansk.dotx",
            dotx=True,
            style_ids={"footnote text": "Fodnotetekst", "footnote reference": "Fodnotehenvisning"},
            footnotes=False,
            body_text="Skriv overskriften her",
        ),
        lambda folder: make_template(folder / "other.docx"),
    ],
    ids=["logo", "marker-first-page", "danish-names", "dotx-no-footnotes", "other-look"],
)
def test_templates_of_every_shape_give_the_same_bytes(tmp_path, make):
    template = make(tmp_path)
    assert_same(_every_construct(), template)
    assert_same(compose(check_file(NOTES / "BI19.yaml"), draft=True), template)
    assert_same(compose(check_file(NOTES / "delaftale-2014.yaml"), draft=True), template)
