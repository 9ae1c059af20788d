"""A prepared Word template kept on disk gives the very bytes of one prepared anew.

The writer takes the template from ~/.cache/notebuild/templates when it was prepared before
(writers/docx_template_cache.py). Each "new process" here is the in-process memo cleared;
with python-docx's path made to fail, a render can only have come from the kept file, and
every question the writer asks must have been answered beforehand. tests/test_start_imports.py
holds that a new process writing from a kept template imports no python-docx.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from notebuild.pipeline import check_file, compose
from notebuild.writers import docx_parts_builder, docx_prepared, docx_template_cache
from notebuild.writers.docx import render_docx
from notebuild.writers.docx_template import TemplateError

from ..conftest import NOTES, ROOT
from ..reviewer_drafts import drafts
from ..test_template import _every_construct, make_template

HOUSE = ROOT / "templates" / "husformat.docx"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """Return an empty cache folder of this test's own, with nothing prepared in the process."""
    root = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root))
    monkeypatch.setattr(docx_prepared, "_PREPARED", {})
    return root / "notebuild" / "templates"


def new_process() -> None:
    """Forget what this process prepared, as a new process starts without it."""
    docx_prepared._PREPARED.clear()


def without_python_docx(monkeypatch) -> None:
    """Make preparing a template on python-docx fail: what renders came from the kept file."""

    def refuse(path: Path, data: bytes):
        raise AssertionError("the template was prepared on python-docx, not taken from disk")

    monkeypatch.setattr(docx_prepared, "_build", refuse)


def without_cache(monkeypatch, tmp_path) -> None:
    """Point the cache at a file, where no folder can be made: prepared anew, nothing kept."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    new_process()


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Return BI19, and BI19 with a wrong total as the reviewer's draft with Word comments."""
    review = drafts(tmp_path_factory.mktemp("drafts"))["BI19-fejl"].review
    return {
        "BI19": compose(check_file(NOTES / "BI19.yaml")),
        "BI19-fejl": review,
        "every-construct": _every_construct(),
    }


def members(data: bytes) -> set[str]:
    return set(zipfile.ZipFile(io.BytesIO(data)).namelist())


def kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pickle")) if cache.is_dir() else []


@pytest.mark.parametrize("name", ["BI19", "BI19-fejl", "every-construct"])
def test_a_kept_template_gives_the_bytes_of_one_prepared_anew(
    cache, documents, name, monkeypatch, tmp_path
):
    document = documents[name]
    first = render_docx(document, HOUSE)  # prepared on python-docx, and kept
    assert len(kept(cache)) == 1
    new_process()
    with monkeypatch.context() as patch:
        without_python_docx(patch)
        from_disk = render_docx(document, HOUSE)
    without_cache(monkeypatch, tmp_path)
    anew = render_docx(document, HOUSE)

    assert from_disk == first == anew
    if name == "BI19-fejl":
        assert "word/comments.xml" in members(from_disk)


def test_what_was_not_asked_beforehand_is_answered_on_python_docx(cache):
    data = HOUSE.read_bytes()
    docx_prepared.template_parts(HOUSE)
    parts = docx_template_cache.load(
        docx_template_cache.key(data), docx_prepared._slow(HOUSE, data)
    )
    assert parts is not None
    built = docx_parts_builder.template_parts(HOUSE, data)
    assert "Normal" not in parts.style_ids and "en-GB" not in parts.styles_by_language
    assert parts.style_id("Normal") == built.style_id("Normal")
    assert parts.indent("Normal") == built.indent("Normal")
    assert parts.styles("en-GB") == built.styles("en-GB") != parts.styles("da-DK")
    with pytest.raises(KeyError):
        parts.style_id("Ingen sådan typografi")
    with pytest.raises(ValueError, match="er ikke nummereret"):
        parts.style_num_id("Quote")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-10] + bytes(10), id="corrupt"),
        pytest.param(lambda data: b"", id="empty"),
        # Still a pickle, of a body the writer would write around: the checksum tells.
        pytest.param(lambda data: data.replace(b"<w:body>", b"<w:bodx>", 1), id="altered"),
        pytest.param(lambda data: os.urandom(len(data)), id="foreign"),
    ],
)
def test_a_damaged_kept_template_is_passed_over_and_replaced(cache, documents, damage):
    expected = render_docx(documents["BI19"], HOUSE)
    [file] = kept(cache)
    good = file.read_bytes()
    assert damage(good) != good
    file.write_bytes(damage(good))
    new_process()

    assert render_docx(documents["BI19"], HOUSE) == expected
    assert file.read_bytes() == good


def test_a_planted_file_cannot_run_code(cache, documents, tmp_path):
    expected = render_docx(documents["BI19"], HOUSE)
    [file] = kept(cache)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    # A file that passes every check but what the unpickler may make.
    payload = pickle.dumps(Payload(), protocol=5)
    header = docx_template_cache.MAGIC + bytes.fromhex(file.stem)
    file.write_bytes(header + hashlib.sha256(payload).digest() + payload)
    new_process()

    assert render_docx(documents["BI19"], HOUSE) == expected
    assert not marker.exists()
    assert docx_template_cache.load(file.stem, lambda: None) is not None  # rebuilt


def test_a_file_kept_under_another_key_is_not_taken(cache, documents, tmp_path):
    other = make_template(tmp_path / "kk.docx")
    render_docx(documents["BI19"], other)
    [file] = kept(cache)
    house_key = docx_template_cache.key(HOUSE.read_bytes())
    shutil.copy(file, cache / f"{house_key}.pickle")
    new_process()

    assert docx_template_cache.load(house_key, lambda: None) is None
    house = render_docx(documents["BI19"], HOUSE)
    assert house != render_docx(documents["BI19"], other)


def test_without_a_writable_cache_folder_it_renders_all_the_same(documents, monkeypatch, tmp_path):
    without_cache(monkeypatch, tmp_path)
    first = render_docx(documents["BI19"], HOUSE)
    new_process()
    assert render_docx(documents["BI19"], HOUSE) == first
    assert (tmp_path / "not-a-folder").read_text() == ""


def test_an_edited_template_is_prepared_anew_not_taken_from_the_old_entry(
    cache, documents, monkeypatch, tmp_path
):
    template = tmp_path / "skabelon.docx"
    shutil.copy(HOUSE, template)
    before = render_docx(documents["BI19"], template)
    make_template(template)  # the same file, edited: other fonts, colours and margins
    new_process()
    after = render_docx(documents["BI19"], template)
    without_cache(monkeypatch, tmp_path)

    assert after != before
    assert after == render_docx(documents["BI19"], template)
    assert len(kept(cache)) == 2


def _with_dde_field(path: Path) -> Path:
    """Write the house template with a DDE field in its page header: refused, never used."""
    word = docx.Document(str(HOUSE))
    paragraph = word.sections[0].header.paragraphs[0]._p
    paragraph.append(
        etree.fromstring(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            ' w:instr=" DDE Excel Ark1 R1C1 "/>'
        )
    )
    word.save(str(path))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: make_template(path, drop=("Heading 2",)), "mangler 1 typografi"),
        (_with_dde_field, "DDE"),
    ],
    ids=["missing-style", "active-content"],
)
def test_a_template_that_cannot_be_used_is_refused_on_every_run(cache, tmp_path, make, message):
    template = make(tmp_path / "skabelon.docx")
    said = []
    for _ in range(2):
        new_process()
        with pytest.raises(TemplateError) as error:
            docx_prepared.template_parts(template)
        said.append(str(error.value))
    assert said[0] == said[1]
    assert message in said[0]
    assert kept(cache) == []


def test_the_key_covers_every_writer_module_that_prepares_a_template():
    # A module of writers/ that the preparing code imports but the key leaves out would let a
    # change to it go unseen: the entries kept by the old code would still be taken.
    listed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys; import notebuild.writers.docx_parts_builder; "
            "print(json.dumps([m.__file__ for n, m in sys.modules.items() "
            "if n.startswith('notebuild.writers.') and getattr(m, '__file__', None)]))",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    imported = {Path(file).name for file in json.loads(listed.stdout)}
    assert imported - set(docx_template_cache.BUILDER_MODULES) == set()
    here = Path(docx_template_cache.__file__).parent
    assert all((here / name).is_file() for name in docx_template_cache.BUILDER_MODULES)
