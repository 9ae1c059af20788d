"""The command line as a user meets it: outputs, exit codes, messages, nothing lost."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from notebuild import __version__
from notebuild.cli import main

from .conftest import NOTES, line_of


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild")


def test_version_is_printed():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"notebuild {__version__}"


@pytest.mark.parametrize("command", [[], ["render"], ["check"]])
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert re.search(r"^\s+notebuild (render|check) notes/", result.output, re.MULTILINE)


def test_render_writes_word_and_html_named_after_the_source(tmp_path):
    result = run("render", NOTES / "BI19.yaml", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(tmp_path / "BI19.docx").testzip() is None
    assert "<html" in (tmp_path / "BI19.html").read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BI19.docx", "BI19.html"]


def test_render_only_the_requested_format(tmp_path):
    result = run("render", NOTES / "BI19.yaml", "--out", tmp_path, "--format", "html")
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["BI19.html"]


def test_render_of_a_note_with_a_wrong_total_writes_nothing_and_keeps_earlier_outputs(
    tmp_path, variant
):
    out = tmp_path / "build"
    good = run("render", NOTES / "BI19.yaml", "--out", out)
    assert good.exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = variant("i_alt: 36.960", "i_alt: 36.991")
    result = run("render", broken, "--out", out)
    assert result.exit_code == 1
    assert f"BI19.yaml:{line_of(broken, 'i_alt: 36.991')}:" in result.output
    assert "36.991" in result.output and "36.960" in result.output
    assert "intet skrevet" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_draft_renders_with_computed_totals_and_a_visible_marking(tmp_path, variant):
    broken = variant("i_alt: 36.960", "i_alt: 36.991")
    result = run("render", broken, "--out", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "BI19.html").read_text("utf-8")
    assert "UDKAST" in html and "36.960" in html and "36.991" in html  # listed as a problem
    document = zipfile.ZipFile(tmp_path / "BI19.docx")
    header_xml = "".join(document.read(n).decode() for n in document.namelist() if "header" in n)
    assert "UDKAST" in header_xml


def test_draft_cannot_render_a_note_that_cannot_be_read(tmp_path, variant):
    broken = variant("i_alt: 36.960", "i_alt: tre")
    result = run("render", broken, "--out", tmp_path / "b", "--draft")
    assert result.exit_code == 1
    assert not (tmp_path / "b").exists()


def test_a_draft_with_an_unknown_code_shows_the_code_where_it_stands(tmp_path, variant):
    broken = variant("forvaltning: BIF", "forvaltning: XYZ")
    assert run("render", broken, "--out", tmp_path / "a").exit_code == 1
    assert not (tmp_path / "a").exists()
    result = run("render", broken, "--out", tmp_path / "b", "--draft")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "b" / "BI19.html").read_text("utf-8")
    assert "ukendt forvaltning &#39;XYZ&#39;" in html and "UDKAST" in html


def test_the_published_edition_is_refused_for_a_note_with_errors_and_never_a_draft(
    tmp_path, variant
):
    broken = variant("i_alt: 36.960", "i_alt: 36.991")
    result = run("render", broken, "--out", tmp_path / "a", "--edition", "publish")
    assert result.exit_code == 1
    assert "intet skrevet (ret fejlene ovenfor)" in result.output
    assert not (tmp_path / "a").exists()
    result = run("render", broken, "--out", tmp_path / "a", "--edition", "publish", "--draft")
    assert result.exit_code == 2
    assert "en offentlig udgave er aldrig et udkast" in result.output
    assert not (tmp_path / "a").exists()


def test_the_published_edition_of_a_good_note_has_no_tool_marks(tmp_path):
    result = run("render", NOTES / "BI19.yaml", "--out", tmp_path, "--edition", "publish")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "BI19.html").read_text("utf-8")
    assert 'class="verification' not in html and 'class="computed"' not in html
    assert "notebuild har beregnet" not in html and "Beregnet:" not in html
    assert "<h1>BI19 Forankring af metoder fra Projekt Trædesten</h1>" in html


def test_check_of_the_shipped_notes_passes_and_counts_the_verified_totals():
    result = run("check", NOTES)
    assert result.exit_code == 0, result.output
    assert "ingen fejl (1 advarsel)" in result.output
    assert "angivne totaler er sammenlignet med de beregnede" in result.output


def test_strict_check_fails_on_the_shipped_rounding_difference():
    result = run("check", "--strict", NOTES)
    assert result.exit_code == 1, result.output
    assert "rounding-difference" in result.output
    assert "Med --strict tæller advarsler som fejl." in result.output


def test_check_of_a_folder_reports_problems_in_every_file_then_exits_1(tmp_path, bi19_text):
    (tmp_path / "a.yaml").write_text(bi19_text.replace("id: BI19", "id: BI20x9"), "utf-8")
    (tmp_path / "b.yaml").write_text(bi19_text.replace("i_alt: 5.760", "i_alt: 5.700"), "utf-8")
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert "a.yaml:" in result.output and "b.yaml:" in result.output
    assert "2 filer" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["render", "notes/findes-ikke.yaml"],
        ["render", NOTES / "BI19.yaml", "--format", "pdf2"],
        ["check"],
        ["bogus"],
    ],
)
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02binary",
        "titel: Tr\xe6desten\n".encode("latin-1"),
        b"type: budgetnotat\n  - nonsense: [",
        b"- a\n- b\n",
        b"type: budgetnotat\nid: !!python/object:os.system ls\n",
        b"type: budgetnotat\nbaggrund: &a x\nindhold: *a\n",
        b"type: memo\n",
        b"type: budgetnotat\n",
    ],
)
def test_bad_sources_give_a_message_and_exit_1_never_a_traceback(tmp_path, content):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = run("check", path)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "bad.yaml" in result.output


def test_the_installed_command_runs_as_a_process(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "notebuild",
            "render",
            str(NOTES / "BI19.yaml"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "BI19.docx").exists()


def test_an_output_folder_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "build"
    blocker.write_text("a file where the folder should be", "utf-8")
    result = run("render", NOTES / "BI19.yaml", "--out", blocker / "sub")
    assert result.exit_code == 1
    assert "kan ikke skrives" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
