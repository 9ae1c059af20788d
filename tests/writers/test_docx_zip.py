"""A zip of entries compressed once is the zip `zip_entries` writes of the same files."""

from __future__ import annotations

import io
import zipfile

from notebuild.files.zipfiles import zip_entries
from notebuild.writers.docx_zip import entry, zip_bytes

from ..conftest import ROOT


def test_the_same_bytes_as_zipfile_for_a_template_an_empty_file_and_a_non_ascii_name():
    template = zipfile.ZipFile(ROOT / "templates" / "husformat.docx")
    files = [(info.filename, template.read(info)) for info in template.infolist()]
    files += [("word/tom.xml", b""), ("word/bilag-æøå.xml", "Ærø".encode() * 500)]

    made = zip_bytes(entry(name, content) for name, content in files)

    assert made == zip_entries(files, level=1)
    archive = zipfile.ZipFile(io.BytesIO(made))
    assert archive.testzip() is None
    assert [(info.filename, archive.read(info)) for info in archive.infolist()] == files


def test_an_entry_compressed_once_can_go_into_many_zips():
    shared = entry("word/styles.xml", b"<w:styles/>" * 100)
    first = zip_bytes([entry("a.xml", b"<a/>"), shared])
    second = zip_bytes([entry("b.xml", b"<bb/>"), shared])
    assert zipfile.ZipFile(io.BytesIO(first)).read("word/styles.xml") == b"<w:styles/>" * 100
    assert zipfile.ZipFile(io.BytesIO(second)).read("word/styles.xml") == b"<w:styles/>" * 100
