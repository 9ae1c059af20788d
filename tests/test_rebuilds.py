"""Byte-identical rebuilds: the same note gives the same .docx and .html, every time.

A reviewer diffs outputs and a build system caches them, so nothing may depend on the clock,
the time zone, the output folder, hash randomisation or the order a dict happened to take.
Each note is rendered twice in this process and twice by the CLI in separate processes that
differ in all of those; the .docx zip is also read for what would make it vary: timestamps,
file attributes, part order, core-property dates and editing-session ids (rsid) or
document ids that Word would otherwise mint at random.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from notebuild.pipeline import check_file, compose, render_outputs

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
NOTE_IDS = tuple(sorted(path.stem for path in NOTES.glob("*.yaml")))
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_CORE_TIME = "2000-01-01T00:00:00Z"
# The parts of every note's .docx, in the order they are written.
PART_ORDER = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/settings.xml",
    "word/webSettings.xml",
    "word/fontTable.xml",
    "word/theme/theme1.xml",
    "word/numbering.xml",
    "word/header1.xml",
    "word/footer1.xml",
    "word/footnotes.xml",
]
# Identifiers Word mints per editing session or per file; a generated file must carry none.
RANDOM_IDS = re.compile(rb"rsid|w14:paraId|w14:textId|w14:docId|w15:docId|w:docId", re.I)


def render(note_id: str) -> dict[str, bytes]:
    checked = check_file(NOTES / f"{note_id}.yaml")
    assert checked.ok, [p.message for p in checked.problems]
    return render_outputs(compose(checked), ("docx", "html"))


@cache
def rendered(note_id: str) -> dict[str, bytes]:
    return render(note_id)


def cli_render(out: Path, env: dict[str, str]) -> dict[str, bytes]:
    """Render every note with the CLI in a fresh process; return the files it wrote."""
    subprocess.run(
        [sys.executable, "-m", "notebuild", "render", str(NOTES), "--out", str(out)],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
        timeout=120,
    )
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def two_cli_builds(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    first = cli_render(
        tmp_path_factory.mktemp("first") / "build",
        {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"},
    )
    second = cli_render(
        tmp_path_factory.mktemp("second") / "ud" / "andet",
        {"PYTHONHASHSEED": "2", "TZ": "Pacific/Auckland", "LC_ALL": "C"},
    )
    return first, second


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_rendering_twice_in_one_process_gives_identical_bytes(note_id):
    first, second = rendered(note_id), render(note_id)
    assert first["docx"] == second["docx"]
    assert first["html"] == second["html"]


def test_cli_in_two_processes_writes_identical_files(two_cli_builds):
    first, second = two_cli_builds
    expected = {f"{note_id}.{fmt}" for note_id in NOTE_IDS for fmt in ("docx", "html")}
    assert set(first) == set(second) == expected
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_cli_writes_what_the_pipeline_renders(two_cli_builds, note_id):
    first, _ = two_cli_builds
    assert first[f"{note_id}.docx"] == rendered(note_id)["docx"]
    assert first[f"{note_id}.html"] == rendered(note_id)["html"]


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_docx_zip_has_fixed_timestamps_attributes_and_part_order(note_id):
    archive = zipfile.ZipFile(io.BytesIO(rendered(note_id)["docx"]))
    entries = archive.infolist()
    names = [entry.filename for entry in entries]
    # A note with a warning carries it as a Word comment (the reviewer's edition): one part more,
    # written last.
    comments = ["word/comments.xml"] if "word/comments.xml" in names else []
    assert names == PART_ORDER + comments
    for entry in entries:
        assert entry.date_time == FIXED_ZIP_TIME, entry.filename
        assert (entry.create_system, entry.external_attr) == (0, 0o600 << 16), entry.filename
        assert entry.compress_type == zipfile.ZIP_DEFLATED, entry.filename
        assert entry.extra == b"", entry.filename


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_core_properties_carry_fixed_dates(note_id):
    archive = zipfile.ZipFile(io.BytesIO(rendered(note_id)["docx"]))
    core = etree.fromstring(archive.read("docProps/core.xml"))
    terms = "{http://purl.org/dc/terms/}"
    cp = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    assert core.find(f"{terms}created").text == FIXED_CORE_TIME
    assert core.find(f"{terms}modified").text == FIXED_CORE_TIME
    assert core.find(f"{cp}lastPrinted").text == FIXED_CORE_TIME
    assert core.find(f"{cp}revision").text == "1"


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_docx_carries_no_session_or_random_ids(note_id):
    archive = zipfile.ZipFile(io.BytesIO(rendered(note_id)["docx"]))
    found = {
        name: sorted({m.decode() for m in RANDOM_IDS.findall(archive.read(name))})
        for name in archive.namelist()
    }
    assert {name: ids for name, ids in found.items() if ids} == {}


def test_random_id_check_would_see_an_rsid():
    assert RANDOM_IDS.search(b'<w:p w:rsidR="00FC693F">')
    assert RANDOM_IDS.search(b'<w:p w14:paraId="1A2B3C4D">')
    assert not RANDOM_IDS.search(b"<w:p><w:r><w:t>Udgifter i alt</w:t></w:r></w:p>")
