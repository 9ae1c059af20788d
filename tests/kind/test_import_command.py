"""`notebuild import` and `notebuild check FILE.docx` on the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from notebuild.cli import main

from .test_word_handmade import _tabel2, budget_note


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_import_writes_a_source_that_checks_and_never_overwrites(tmp_path):
    word = tmp_path / "BI20.docx"
    word.write_bytes(budget_note())
    target = tmp_path / "notes" / "BI20.yaml"
    result = _run("import", str(word), "--out", str(target))
    assert result.exit_code == 0, result.output
    assert "er skrevet (budgetnotat)" in result.output
    text = target.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert _run("check", str(target)).exit_code == 0
    again = _run("import", str(word), "--out", str(target))
    assert again.exit_code == 1 and "overskrives ikke" in again.output
    assert target.read_text("utf-8") == text


def test_import_of_an_old_doc_writes_nothing(tmp_path):
    word = tmp_path / "gammel.doc"
    word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = _run("import", str(word))
    assert result.exit_code == 1 and ".doc" in result.output and "intet skrevet" in result.output
    assert list(tmp_path.iterdir()) == [word]


def test_import_with_an_unknown_kind_is_a_usage_error(tmp_path):
    word = tmp_path / "BI20.docx"
    word.write_bytes(budget_note())
    result = _run("import", str(word), "--kind", "budgetnota")
    assert result.exit_code == 2 and "ukendt dokumenttype" in result.output


def test_check_of_a_word_note_names_table_row_and_column_in_every_format(tmp_path):
    word = tmp_path / "BI20.docx"
    word.write_bytes(budget_note(tabel2=_tabel2("9.590")))
    place = 'Tabel 2, række 6, kolonne 5 ("2025")'
    text = _run("check", str(word))
    assert text.exit_code == 1 and place in text.output and "[total-mismatch]" in text.output
    report = json.loads(_run("check", "--format", "json", str(word)).stdout)
    (problem,) = [p for p in report["problems"] if p["code"] == "total-mismatch"]
    assert problem["message"].startswith(place) and problem["line"] is None
    github = _run("check", "--format", "github", str(word)).stdout
    assert "::error file=" in github and "Tabel 2, række 6, kolonne 5" in github
    junit = _run("check", "--format", "junit", str(word)).stdout
    assert "<failure" in junit and place in junit
