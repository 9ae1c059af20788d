"""A command imports only what it uses: one note cold is mostly the time spent importing.

Each command runs in a new Python process, as a user starts it, and lists the modules it
imported; what another command needs (python-docx for Word, watchfiles for `serve`, the report
formats for `check --format`) must not be among them. The times are in benchmarks/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import NOTES

RUN = """\
import json, sys
from notebuild.cli import main
try:
    main(sys.argv[2:], prog_name="notebuild")
except SystemExit:
    pass
with open(sys.argv[1], "w") as file:
    json.dump(sorted(sys.modules), file)
"""
OTHER_COMMANDS = tuple(
    f"notebuild.commands.{name}" for name in ("build", "diff", "fix", "import_", "new", "schema")
)


def imported(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    shutil.copy(NOTES / "BI19.yaml", tmp_path / "BI19.yaml")
    listed = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", RUN, str(listed), *args],
        cwd=tmp_path,
        check=True,
        timeout=120,
        env=env,
    )
    return set(json.loads(listed.read_text()))


def under(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_help_imports_no_validation_parsing_or_writing(tmp_path):
    modules = imported(tmp_path, "--help")
    assert (
        under(modules, "pydantic", "yaml", "jinja2", "markdown_it", "docx", "notebuild.kind") == []
    )


def test_check_imports_no_writer_and_no_other_command(tmp_path):
    modules = imported(tmp_path, "check", "BI19.yaml")
    assert "notebuild.pipeline" in modules  # it did check
    assert under(modules, "notebuild.writers", "docx", "lxml", "xlsxwriter") == []
    assert under(modules, "notebuild.preview", "notebuild.round", "watchfiles") == []
    assert under(modules, "notebuild.commands.serve", *OTHER_COMMANDS) == []


@pytest.mark.parametrize(
    ("formats", "unused"),
    [("html", ("docx", "lxml", "notebuild.writers.docx")), ("docx,html", ())],
)
def test_render_imports_only_the_writers_of_its_formats(tmp_path, formats, unused):
    modules = imported(tmp_path, "render", "BI19.yaml", "--out", "out", "--format", formats)
    assert (tmp_path / "out" / "BI19.html").exists()
    assert under(modules, *unused) == []
    assert under(modules, "notebuild.preview", "notebuild.round", "watchfiles") == []
    assert under(modules, "notebuild.report.formats", "notebuild.commands.serve") == []
    assert under(modules, *OTHER_COMMANDS) == []


# What only preparing a Word template needs: python-docx, lxml and the template's checks.
PREPARING = (
    "docx",
    "lxml",
    "notebuild.writers.docx_template",
    "notebuild.writers.docx_template_safety",
    "notebuild.writers.template_styles",
    "notebuild.writers.docx_header",
    "notebuild.writers.docx_parts_builder",
)


def test_render_from_a_kept_template_imports_no_python_docx(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = ("render", "BI19.yaml", "--out", "out", "--format", "docx")
    cold = imported(tmp_path, *args, env=env)  # nothing kept yet: prepared on python-docx
    first = (tmp_path / "out" / "BI19.docx").read_bytes()
    assert "docx" in cold
    assert len(list((tmp_path / "cache" / "notebuild" / "templates").iterdir())) == 1

    warm = imported(tmp_path, *args, env=env)

    assert under(warm, *PREPARING) == []
    assert (tmp_path / "out" / "BI19.docx").read_bytes() == first


def test_a_build_with_nothing_changed_reads_no_schema_and_renders_nothing(tmp_path):
    # The first build writes the notes; the second finds them unchanged by their hashes.
    imported(tmp_path, "build", ".", "--out", "ud")
    modules = imported(tmp_path, "build", ".", "--out", "ud")
    assert (tmp_path / "ud" / "BI19.docx").exists()
    assert under(modules, "pydantic", "notebuild.kind.registry", "notebuild.pipeline") == []
    assert under(modules, "notebuild.writers", "docx", "markdown_it") == []
