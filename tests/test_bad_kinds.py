"""Hostile kinds: a kind.yaml's templates are code, bounded in time, size and arithmetic.

Each case puts one template in the title of a copy of the test kind and runs `build` as a user
does (a new process, with a timeout a hang would hit): the note of that kind gets one Danish
problem at the title's line in kind.yaml, the budget note beside it is built, and nothing hangs,
explodes or prints a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notebuild.kind import sandbox

from .conftest import NOTES, ROOT, line_of

KIND = ROOT / "tests" / "fixtures" / "kinds" / "orienteringsnotat" / "kind.yaml"
MEMO = ROOT / "tests" / "fixtures" / "orienteringsnotat.yaml"
TITLE = 'titel: "Orientering om {{ titel }}"'
DOUBLING = "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = OP %}{% endfor %}"
LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"

# (id, template, words the problem must say)
HOSTILE = [
    ("power-folded-when-compiled", "{{ 2**(10**5) }}", "MAX_INT_BITS"),
    ("power-of-a-hundred-million", "{{ 7**(10**8) > 1 }}", "MAX_INT_BITS"),
    ("power-of-a-power", "{{ (2**1000)**1000 }}", "MAX_INT_BITS"),
    ("product-of-huge-numbers", "{{ (2**3999) * (2**3999) }}", "MAX_INT_BITS"),
    ("nested-empty-loops", LOOPS, "MAX_TEMPLATE_SECONDS"),
    (
        "nested-loops-captured",
        "{% set x %}"
        + LOOPS.replace("{% endfor %}{% endfor", "x{% endfor %}{% endfor")
        + "{% endset %}{{ x }}",
        "MAX_TEMPLATE_SECONDS",
    ),
    (
        "gigabyte-of-output",
        "{% for i in range(100000) %}{% for j in range(1000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
        "MAX_TEXT_CHARS",
    ),
    ("string-repeat", "{{ 'x' * 10**9 }}", "MAX_TEXT_CHARS"),
    ("list-repeat", "{{ range(100000)|list * 100000 }}", "MAX_TEXT_CHARS"),
    (
        "doubling-by-concatenation",
        DOUBLING.replace("OP", "ns.s ~ ns.s") + "{{ ns.s }}",
        "MAX_TEXT_CHARS",
    ),
    (
        "doubling-by-plus",
        DOUBLING.replace("OP", "ns.s + ns.s") + "{{ ns.s }}",
        "MAX_TEXT_CHARS",
    ),
    ("percent-width", "{{ '%999999999d' % 1 }}", "MAX_WIDTH"),
    ("percent-star-width", "{{ '%*d' % (999999999, 1) }}", "MAX_WIDTH"),
    ("format-width", "{{ '{:>999999999}'.format(1) }}", "MAX_WIDTH"),
    ("format-filter-width", "{{ '%999999999s' | format('x') }}", "MAX_WIDTH"),
    ("center-filter", "{{ 'x' | center(999999999) }}", "MAX_TEXT_CHARS"),
    ("indent-filter", "{{ (('a' ~ '\\n') * 50000) | indent(999999) }}", "MAX_TEXT_CHARS"),
    ("ljust-method", "{{ 'x'.ljust(10**9) }}", "MAX_TEXT_CHARS"),
    ("replace-filter", "{{ ('x' * 100000) | replace('x', 'xxxxxxxxxx') }}", "MAX_TEXT_CHARS"),
    ("replace-method", "{{ ('x' * 100000).replace('x', 'xxxxxxxxxx') }}", "MAX_TEXT_CHARS"),
    ("join-filter", "{{ range(100000) | list | join(',') }}", "MAX_TEXT_CHARS"),
    ("og-filter", "{{ range(100000) | list | og }}", "MAX_TEXT_CHARS"),
    ("endless-recursion", "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "kalder sig selv"),
]


def hostile_kind(folder: Path, template: str) -> Path:
    text = KIND.read_text("utf-8")
    assert text.count(TITLE) == 1
    kind = folder / "kinds" / "orienteringsnotat" / "kind.yaml"
    kind.parent.mkdir(parents=True)
    quoted = "'" + template.replace("'", "''") + "'"
    kind.write_text(text.replace(TITLE, f"titel: {quoted}"), "utf-8")
    return kind


def notebuild(*args: object, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "NOTEBUILD_KINDS": ""}
    return subprocess.run(
        [sys.executable, "-m", "notebuild", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,  # a template without bounds hangs here: the test fails, not the suite
        env=env,
    )


@pytest.mark.parametrize(
    ("template", "words"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE]
)
def test_a_hostile_template_is_a_problem_at_its_line_and_other_notes_are_built(
    tmp_path, template, words
):
    kind = hostile_kind(tmp_path, template)
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(MEMO, notes)
    shutil.copy(NOTES / "BI19.yaml", notes)
    result = notebuild("build", "notes", "--kinds", "kinds", "--out", "out", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    line = line_of(kind, "titel: ")
    assert re.search(
        rf"kinds/orienteringsnotat/kind\.yaml:{line}:\d+: fejl: .*skabelonen kan ikke udfyldes: "
        rf".*\[wrong-type\]",
        output,
    ), output
    assert words in output
    built = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "BI19.html" in built and "BI19.docx" in built
    assert not any(name.startswith("orienteringsnotat") for name in built)


def test_a_template_that_fails_when_compiled_is_a_problem_and_other_kinds_go_on(tmp_path):
    # A number Python will not read (over 4,300 digits): it fails in Jinja's lexer, not when
    # filled in, and is reported where the kind.yaml is read.
    kind = hostile_kind(tmp_path, "{{ " + "9" * 5000 + " }}")
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(NOTES / "BI19.yaml", notes)
    shutil.copy(MEMO, notes)
    result = notebuild("build", "notes", "--kinds", "kinds", "--out", "out", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    line = line_of(kind, "titel: ")
    assert re.search(rf"kind\.yaml:{line}:\d+: fejl: skabelonen kan ikke læses: ", output), output
    assert (tmp_path / "out" / "BI19.html").exists()


def test_the_limits_are_named_constants():
    assert sandbox.MAX_TEMPLATE_SECONDS <= 5
    assert sandbox.MAX_TEXT_CHARS <= 1_000_000 and sandbox.VALUES_FACTOR <= 4
    assert sandbox.MAX_INT_BITS < 100_000


def test_an_output_over_the_size_limit_is_not_written_and_says_why(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from notebuild import pipeline
    from notebuild.cli import main

    monkeypatch.setattr(pipeline, "MAX_OUTPUT_MB", 0.01)  # 10 kB: BI19's files are larger
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(NOTES / "BI19.yaml", notes)
    rendered = CliRunner().invoke(
        main, ["render", str(notes / "BI19.yaml"), "-o", str(tmp_path / "r")]
    )
    assert rendered.exit_code == 1
    assert (
        "ikke skrevet. Filen ville fylde" in rendered.output and "MAX_OUTPUT_MB" in rendered.output
    )
    assert "blev ikke skrevet" in rendered.output.splitlines()[-1]
    built = CliRunner().invoke(
        main, ["build", str(notes), "--out", str(tmp_path / "b"), "--jobs", "1"]
    )
    assert built.exit_code == 1
    assert "notatets .docx skrives ikke [output-too-large]" in built.output
    assert not (tmp_path / "b" / "BI19.html").exists()  # all formats or none


def test_a_template_that_runs_out_of_memory_says_so():
    from notebuild.compose.kind_document import TemplateFailure
    from notebuild.kind.registry import load_kinds

    kind = load_kinds((KIND.parent.parent,)).get("orienteringsnotat")
    problem = TemplateFailure(kind, kind.spec.title, MemoryError()).problem()
    assert problem.message.startswith("skabelonen kan ikke udfyldes: der var ikke hukommelse nok")
