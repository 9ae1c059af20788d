"""Every shipped note survives render -> import -> check -> render: same problems, same Word."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebuild.kind.registry import load_kinds
from notebuild.kind.word_import import import_word
from notebuild.pipeline import check_file, compose, render_outputs

from ..docx_dump import dump_docx

NOTES = sorted((Path(__file__).resolve().parents[2] / "notes").glob("*.yaml"))


@pytest.fixture(scope="module")
def kinds():
    return load_kinds()


@pytest.mark.parametrize("note", NOTES, ids=[n.stem for n in NOTES])
def test_rendered_note_imports_to_a_source_that_renders_the_same_word(tmp_path, kinds, note):
    original = check_file(note, kinds)
    word = tmp_path / f"{note.stem}.docx"
    word.write_bytes(render_outputs(compose(original), ["docx"])["docx"])

    imported = import_word(word, kinds)
    assert imported.problems == []
    source = tmp_path / f"{note.stem}.yaml"
    source.write_text(imported.text, "utf-8")
    again = check_file(source, kinds)
    # The note's own warnings (the 2014 agreement's 4,0 for 0,5 + 3,4), and nothing else.
    assert [p.code for p in again.problems] == [p.code for p in original.problems]
    assert again.ok
    assert dump_docx(render_outputs(compose(again), ["docx"])["docx"]) == dump_docx(
        word.read_bytes()
    )
    # Checking the Word file in place finds what checking its source finds.
    in_place = check_file(word, kinds)
    assert [p.code for p in in_place.problems] == [p.code for p in original.problems]
