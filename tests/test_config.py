"""notebuild.toml: render settings found from the working folder, overridden by options."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebuild.config import find_config, load_config

from .conftest import NOTES
from .test_cli import run
from .test_template import HEADING_FONT, make_template, style_named, xml

NOTE = NOTES / "BI19.yaml"


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "notebuild.toml"
    path.write_text(text, "utf-8")
    return path


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def heading_font(docx_file: Path) -> str:
    styles = xml(docx_file.read_bytes(), "word/styles.xml")
    return style_named(styles, "heading 1").find("w:rPr/w:rFonts", {"w": W}).get(f"{{{W}}}ascii")


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_the_config_in_the_working_folder_sets_out_and_format(tmp_path, monkeypatch):
    write_config(tmp_path, '[render]\nout = "ud"\nformat = ["html"]\n')
    monkeypatch.chdir(tmp_path)
    result = run("render", NOTE)
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path) == ["notebuild.toml", "ud/BI19.html"]


def test_the_nearest_config_above_is_used_and_its_paths_are_relative_to_it(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()  # the project's repository: the search may go up to here
    write_config(tmp_path, '[render]\nout = "ud"\nformat = "docx"\n')
    write_config(tmp_path / "a", '[render]\nout = "nærmest"\nformat = "html"\n')
    (tmp_path / "a" / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a" / "b")
    result = run("render", NOTE)
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path) == ["a/notebuild.toml", "a/nærmest/BI19.html", "notebuild.toml"]


def test_options_on_the_command_line_win_over_the_config(tmp_path, monkeypatch):
    write_config(tmp_path, '[render]\nout = "ud"\nformat = ["html"]\ntemplate = "mangler.dotx"\n')
    template = make_template(tmp_path / "andre" / "kk.dotx", dotx=True)
    monkeypatch.chdir(tmp_path)
    result = run("render", NOTE, "--out", "cli", "--format", "docx", "--template", template)
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path) == ["andre/kk.dotx", "cli/BI19.docx", "notebuild.toml"]
    assert heading_font(tmp_path / "cli" / "BI19.docx") == HEADING_FONT


def test_a_relative_template_is_found_from_the_config_file_not_the_working_folder(
    tmp_path, monkeypatch
):
    (tmp_path / ".git").mkdir()
    write_config(tmp_path, '[render]\ntemplate = "skabeloner/kk.dotx"\nformat = "docx"\n')
    make_template(tmp_path / "skabeloner" / "kk.dotx", dotx=True)
    (tmp_path / "noter").mkdir()
    monkeypatch.chdir(tmp_path / "noter")
    result = run("render", NOTE)
    assert result.exit_code == 0, result.output
    # `out` was not set: the default, build/ in the working folder.
    assert heading_font(tmp_path / "noter" / "build" / "BI19.docx") == HEADING_FONT


def test_without_a_config_the_defaults_apply(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_config(tmp_path) is None
    result = run("render", NOTE)
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path) == ["build/BI19.docx", "build/BI19.html"]


def test_an_unknown_key_is_named_with_its_line_and_a_suggestion(tmp_path, monkeypatch):
    write_config(tmp_path, '# projektets indstillinger\n[render]\ntemplat = "kk.dotx"\n')
    monkeypatch.chdir(tmp_path)
    result = run("render", NOTE)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        "notebuild.toml:3: fejl: ukendt nøgle 'templat' i [render]; mente du 'template'?"
        in result.output
    )
    assert "Kendte nøgler: template, out, format, edition." in result.output
    assert files_in(tmp_path) == ["notebuild.toml"]


def test_every_wrong_value_and_section_is_listed_in_one_run(tmp_path, monkeypatch):
    write_config(
        tmp_path,
        'out = "build"\n[render]\nout = 42\nformat = ["docx", "pdff"]\n[check]\nstrict = true\n',
    )
    monkeypatch.chdir(tmp_path)
    result = run("render", NOTE)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "notebuild.toml:1: fejl: 'out' skal stå under [render]" in lines
    assert any(
        line.startswith("notebuild.toml:3: fejl: 'out' skal være en tekst med stien til en mappe")
        and line.endswith("ikke tallet 42")
        for line in lines
    )
    assert any(
        line.startswith("notebuild.toml:4: fejl: 'format' skal være en liste af formater")
        and "valgt blandt docx, html, pdf" in line
        and line.endswith('ikke listen ["docx", "pdff"]')
        for line in lines
    )
    assert "notebuild.toml:5: fejl: ukendt afsnit [check]" in lines
    assert files_in(tmp_path) == ["notebuild.toml"]


def test_a_toml_syntax_error_gives_line_and_column(tmp_path, monkeypatch):
    write_config(tmp_path, "[render]\nout = build\n")
    monkeypatch.chdir(tmp_path)
    result = run("render", NOTE)
    assert result.exit_code == 2
    assert result.output.startswith("notebuild.toml:2:7: fejl: filen kan ikke læses som TOML")
    assert "Traceback" not in result.output


def test_a_template_in_the_config_that_does_not_exist_names_the_config_line(tmp_path, monkeypatch):
    write_config(tmp_path, '[render]\nformat = "docx"\ntemplate = "skabeloner/kk.dotx"\n')
    monkeypatch.chdir(tmp_path)
    result = run("render", NOTE)
    assert result.exit_code == 2
    expected = (
        "notebuild.toml:3: fejl: Word-skabelonen skabeloner/kk.dotx (template) findes ikke.\n"
        f"    En relativ sti læses fra mappen med notebuild.toml: {tmp_path}\n"
    )
    assert result.output == expected
    assert files_in(tmp_path) == ["notebuild.toml"]


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ('[render]\nout = "x"\n', "out", 2),
        ('render.out = "x"\n', "out", 1),
        ('# [render]\n\n[ "render" ]  # her\n"format" = "docx"\n', "format", 4),
    ],
)
def test_the_line_of_a_key_is_found_in_the_plain_forms(tmp_path, text, key, line):
    config = load_config(write_config(tmp_path, text))
    assert config.lines == {key: line}


# --- where the search stops ---------------------------------------------------------------------


@pytest.fixture
def elsewhere(tmp_path, monkeypatch) -> Path:
    """Return a shared folder (like /tmp) that is neither a repository nor the home folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    shared = tmp_path / "shared"
    shared.mkdir()
    return shared


def test_a_config_in_a_shared_folder_above_a_project_is_not_used(elsewhere, monkeypatch):
    # Someone else's notebuild.toml in /tmp: it would send the outputs away and swap the template.
    write_config(elsewhere, '[render]\nout = "stjålet"\nformat = "html"\n')
    project = elsewhere / "projekt"
    project.mkdir()
    monkeypatch.chdir(project)
    result = run("render", NOTE)
    assert result.exit_code == 0, result.output
    assert files_in(project) == ["build/BI19.docx", "build/BI19.html"]
    assert "Indstillinger fra" not in result.output
    assert not (elsewhere / "stjålet").exists()


def test_a_config_above_the_repository_root_is_not_used(elsewhere, monkeypatch):
    write_config(elsewhere, '[render]\nout = "udenfor"\n')
    repository = elsewhere / "repo"
    (repository / ".git").mkdir(parents=True)
    (repository / "notes").mkdir()
    monkeypatch.chdir(repository / "notes")
    result = run("render", NOTE)
    assert result.exit_code == 0, result.output
    assert files_in(repository / "notes") == ["build/BI19.docx", "build/BI19.html"]


def test_the_config_at_the_repository_root_is_used_and_named(elsewhere, monkeypatch):
    repository = elsewhere / "repo"
    (repository / ".git").mkdir(parents=True)
    write_config(repository, '[render]\nout = "ud"\nformat = "html"\n')
    (repository / "notes" / "udvalg").mkdir(parents=True)
    monkeypatch.chdir(repository / "notes" / "udvalg")
    result = run("render", NOTE)
    assert result.exit_code == 0, result.output
    assert (repository / "ud" / "BI19.html").is_file()
    assert "Indstillinger fra " in result.stderr and "notebuild.toml" in result.stderr


def test_the_config_in_the_home_folder_is_used_below_it(elsewhere, monkeypatch, tmp_path):
    home = tmp_path / "home"
    write_config(home, '[render]\nout = "ud"\nformat = "html"\n')
    (home / "noter" / "2026").mkdir(parents=True)
    monkeypatch.chdir(home / "noter" / "2026")
    result = run("render", NOTE)
    assert result.exit_code == 0, result.output
    assert (home / "ud" / "BI19.html").is_file()
    assert find_config(home / "noter" / "2026") == home / "notebuild.toml"
    assert find_config(elsewhere / "a") is None


def test_the_config_chooses_the_edition_and_the_option_wins(tmp_path, monkeypatch):
    write_config(tmp_path, '[render]\nedition = "publish"\nformat = ["html"]\n')
    monkeypatch.chdir(tmp_path)
    assert run("render", NOTE).exit_code == 0
    assert 'class="verification' not in (tmp_path / "build" / "BI19.html").read_text("utf-8")
    assert run("render", NOTE, "--edition", "review").exit_code == 0
    assert 'class="verification' in (tmp_path / "build" / "BI19.html").read_text("utf-8")


def test_a_wrong_edition_in_the_config_is_named_with_its_line(tmp_path, monkeypatch):
    write_config(tmp_path, '[render]\n\nedition = "offentlig"\n')
    monkeypatch.chdir(tmp_path)
    result = run("render", NOTE)
    assert result.exit_code == 2
    assert (
        "notebuild.toml:3: fejl: 'edition' skal være \"review\" (redaktionens udgave) eller "
        '"publish" (den offentlige), ikke teksten "offentlig"' in result.output
    )
