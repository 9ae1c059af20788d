"""`check --format json|github|junit [--output FILE]` as CI reads it, and what ships for CI.

The sources are the shipped notes changed as an author would: BI19 with a stated total that no
longer matches, and the 2014 agreement with its rounding-difference warning. Each test runs
the command in a folder holding them as notes/, so the reports name notes/<file>.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from notebuild.cli import main

from .conftest import NOTES, ROOT, line_of

TOTAL_MESSAGE = "Tabel 3, Udgifter i alt, I alt: angivet 5.700, men alle rækker og år giver 5.760"
TOTAL_HINT = "Ret tallet til 5.760, eller ret de beløb, det er summen af."
ROUNDING_MESSAGE = (
    "Tabel 'Det lokale råderum for indsatsklare ledige', rækken 'I alt': angivet 4,0, men de "
    "viste tal summer til 3,9 (0,5 + 3,4). Forskellen kan skyldes afrunding."
)
ROUNDING_HINT = (
    "Skriv de uafrundede beløb (med flere decimaler end 0,5), så beregner notebuild totalen af "
    "dem, eller ret totalen til 3,9."
)
SUMMARY = "2 filer kontrolleret: 1 fejl i 1 fil og 1 advarsel."


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild")


@pytest.fixture
def notes(tmp_path, monkeypatch, bi19_text) -> Path:
    """Return notes/ in a fresh working folder: BI19 with a wrong total, the 2014 agreement."""
    folder = tmp_path / "notes"
    folder.mkdir()
    assert bi19_text.count("i_alt: 5.760") == 1
    (folder / "BI19.yaml").write_text(bi19_text.replace("i_alt: 5.760", "i_alt: 5.700"), "utf-8")
    shutil.copy(NOTES / "delaftale-2014.yaml", folder)
    monkeypatch.chdir(tmp_path)
    return folder


def place(path: Path, text: str, value: str) -> tuple[int, int]:
    """Return the line and column where `value` stands on the line holding `text`."""
    line = line_of(path, text)
    return line, path.read_text("utf-8").splitlines()[line - 1].index(value) + 1


# --- json ------------------------------------------------------------------------------------


def test_json_report_gives_every_problem_with_its_code_place_field_message_and_hint(notes):
    result = run("check", "--format", "json", "notes/")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert list(report) == ["version", "files", "summary", "problems"]
    assert report["version"] == 1
    assert report["files"] == 2
    assert report["summary"] == {
        "errors": 1,
        "warnings": 1,
        "files_with_errors": 1,
        "checked_totals": 30,
        "strict": False,
        "passed": False,
        "text": SUMMARY,
    }
    total_line, total_column = place(notes / "BI19.yaml", "i_alt: 5.700", "5.700")
    rounding_line, rounding_column = place(notes / "delaftale-2014.yaml", "beløb: 4,0", "4,0")
    assert report["problems"] == [
        {
            "code": "total-mismatch",
            "severity": "error",
            "file": "notes/BI19.yaml",
            "line": total_line,
            "column": total_column,
            "path": "økonomi.bevilling_i_alt.service.i_alt",
            "message": TOTAL_MESSAGE,
            "hint": TOTAL_HINT,
        },
        {
            "code": "rounding-difference",
            "severity": "warning",
            "file": "notes/delaftale-2014.yaml",
            "line": rounding_line,
            "column": rounding_column,
            "path": "finansiering[1].tabel.i_alt.beløb",
            "message": ROUNDING_MESSAGE,
            "hint": ROUNDING_HINT,
        },
    ]
    # Danish letters as they are, and the summary beside the report, not in it.
    assert "økonomi" in result.stdout and "\\u00f8" not in result.stdout
    assert result.stderr.strip() == SUMMARY


def test_json_problems_are_sorted_by_file_line_and_column_whatever_order_they_were_found(notes):
    (notes / "a.yaml").write_text("type: budgetnotat\nid: BI20\nukendt: x\n", "utf-8")
    result = run(
        "check", "-f", "json", "notes/delaftale-2014.yaml", "notes/BI19.yaml", "notes/a.yaml"
    )
    problems = json.loads(result.stdout)["problems"]
    places = [(p["file"], p["line"] or 0, p["column"] or 0) for p in problems]
    assert places == sorted(places)
    assert problems[0]["file"] == "notes/BI19.yaml"
    assert {"missing-field", "unknown-field"} <= {p["code"] for p in problems}


def test_a_problem_without_a_place_has_null_line_and_column_and_an_empty_path(notes):
    (notes / "tom.yaml").write_bytes(b"")
    result = run("check", "-f", "json", "notes/tom.yaml")
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["code"] == "empty-file"
    assert (problem["line"], problem["column"], problem["path"]) == (None, None, "")


def test_json_of_warnings_alone_passes_and_fails_only_with_strict(notes):
    plain = run("check", "-f", "json", "notes/delaftale-2014.yaml")
    strict = run("check", "-f", "json", "--strict", "notes/delaftale-2014.yaml")
    assert (plain.exit_code, strict.exit_code) == (0, 1)
    assert json.loads(plain.stdout)["summary"]["passed"] is True
    assert json.loads(strict.stdout)["summary"] | {"text": ""} == {
        "errors": 0,
        "warnings": 1,
        "files_with_errors": 0,
        "checked_totals": 4,
        "strict": True,
        "passed": False,
        "text": "",
    }


# --- github ----------------------------------------------------------------------------------


ESCAPED = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def unescape(text: str) -> str:
    """Read an escaped workflow-command value back, as the runner does."""
    return re.sub("|".join(ESCAPED), lambda m: ESCAPED[m[0]], text)


def test_github_report_is_one_workflow_command_per_problem_then_the_summary(notes):
    result = run("check", "--format", "github", "notes/")
    assert result.exit_code == 1
    total_line, total_column = place(notes / "BI19.yaml", "i_alt: 5.700", "5.700")
    rounding_line, rounding_column = place(notes / "delaftale-2014.yaml", "beløb: 4,0", "4,0")
    assert result.stdout.splitlines() == [
        f"::error file=notes/BI19.yaml,line={total_line},col={total_column},"
        f"title=total-mismatch::{TOTAL_MESSAGE}%0Afelt: økonomi.bevilling_i_alt.service.i_alt"
        f"%0A{TOTAL_HINT}",
        f"::warning file=notes/delaftale-2014.yaml,line={rounding_line},col={rounding_column},"
        f"title=rounding-difference::{ROUNDING_MESSAGE}%0Afelt: finansiering[1].tabel.i_alt.beløb"
        f"%0A{ROUNDING_HINT}",
        f"::notice title=notebuild check::{SUMMARY}",
    ]


def test_github_report_escapes_percent_line_breaks_and_in_properties_colon_and_comma(
    notes, bi19_text
):
    # A quoted YAML key may hold any character; an unknown one is quoted in the message.
    odd = notes / "a,b:c.yaml"
    odd.write_text(bi19_text + '"ba%g:\\r\\ngrund": x\n', "utf-8")
    result = run("check", "--format", "github", odd.relative_to(notes.parent))
    assert result.exit_code == 1
    line = line_of(odd, '"ba%g:')
    assert result.stdout.splitlines() == [
        f"::error file=notes/a%2Cb%3Ac.yaml,line={line},col=1,title=unknown-field::"
        "ukendt felt 'ba%25g:%0D%0Agrund'%0Afelt: ba%25g:%0D%0Agrund%0AMente du 'baggrund'?",
        "::notice title=notebuild check::1 fil kontrolleret: 1 fejl i 1 fil.",
    ]
    # Read back as GitHub reads it, the command gives the problem exactly as JSON gives it.
    command = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<data>.*)", result.stdout.splitlines()[0])
    properties = dict(p.split("=", 1) for p in command["props"].split(","))
    (problem,) = json.loads(run("check", "-f", "json", "notes/a,b:c.yaml").stdout)["problems"]
    assert unescape(properties["file"]) == problem["file"] == "notes/a,b:c.yaml"
    assert unescape(command["data"]) == "\n".join(
        [problem["message"], f"felt: {problem['path']}", problem["hint"]]
    )
    assert problem["message"] == "ukendt felt 'ba%g:\r\ngrund'"


# --- junit -----------------------------------------------------------------------------------


def junit(result) -> ET.Element:
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(result.stdout.encode("utf-8"))


def counts(element: ET.Element) -> dict[str, str]:
    return {k: element.get(k) for k in ("tests", "failures", "errors", "skipped")}


def test_junit_report_has_one_case_per_file_and_a_failure_for_the_file_with_errors(notes):
    result = run("check", "--format", "junit", "notes/")
    assert result.exit_code == 1
    root = junit(result)
    assert root.tag == "testsuites"
    (suite,) = root
    assert suite.tag == "testsuite" and suite.get("name") == "notebuild check"
    expected = {"tests": "2", "failures": "1", "errors": "0", "skipped": "0"}
    assert counts(root) == counts(suite) == expected
    bi19, agreement = suite.findall("testcase")
    assert (bi19.get("name"), agreement.get("name")) == (
        "notes/BI19.yaml",
        "notes/delaftale-2014.yaml",
    )
    (failure,) = bi19.findall("failure")
    total_line, total_column = place(notes / "BI19.yaml", "i_alt: 5.700", "5.700")
    assert failure.get("type") == "total-mismatch" and failure.get("message") == "1 fejl"
    assert f"notes/BI19.yaml:{total_line}:{total_column}: fejl: {TOTAL_MESSAGE}" in failure.text
    assert TOTAL_HINT in failure.text
    # Without --strict the warning is reported, but the file passes.
    assert agreement.find("failure") is None
    rounding_line, rounding_column = place(notes / "delaftale-2014.yaml", "beløb: 4,0", "4,0")
    out = agreement.find("system-out").text
    assert f"notes/delaftale-2014.yaml:{rounding_line}:{rounding_column}: advarsel: " in out


def test_junit_with_strict_fails_the_file_with_a_warning(notes):
    root = junit(run("check", "--format", "junit", "--strict", "notes/"))
    assert counts(root)["failures"] == "2"
    agreement = root.find("testsuite/testcase[@name='notes/delaftale-2014.yaml']")
    failure = agreement.find("failure")
    assert failure.get("message") == "1 advarsel"
    assert failure.get("type") == "rounding-difference"
    assert ROUNDING_MESSAGE in failure.text and agreement.find("system-out") is None


def test_junit_report_is_the_same_bytes_on_every_run(notes):
    first, second = (run("check", "-f", "junit", "notes/").stdout for _ in range(2))
    assert first == second


def test_junit_report_stays_valid_xml_when_a_message_holds_markup_and_a_control_character(
    notes, bi19_text
):
    odd = notes / "odd.yaml"
    odd.write_text(bi19_text + '"<b>&\\e": x\n', "utf-8")
    root = junit(run("check", "-f", "junit", "notes/odd.yaml"))
    failure = root.find("testsuite/testcase/failure")
    assert "ukendt felt '<b>&\ufffd'" in failure.text


def test_junit_gives_a_broken_kind_file_its_own_failing_case(notes, tmp_path):
    kind = tmp_path / "typer" / "notat" / "kind.yaml"
    kind.parent.mkdir(parents=True)
    kind.write_text("type: [\n", "utf-8")
    root = junit(run("check", "-f", "junit", "--kinds", "typer", "notes/delaftale-2014.yaml"))
    names = [case.get("name") for case in root.iter("testcase")]
    assert names == ["notes/delaftale-2014.yaml", "typer/notat/kind.yaml"]
    assert root.find("testsuite/testcase[@name='typer/notat/kind.yaml']/failure") is not None
    assert counts(root) == {"tests": "2", "failures": "1", "errors": "0", "skipped": "0"}


# --- text, --output, exit codes ----------------------------------------------------------------


def test_text_report_is_unchanged_problems_on_stderr_summary_on_stdout(notes):
    failing = run("check", "notes/")
    assert failing.exit_code == 1
    assert failing.stdout == ""
    assert failing.stderr.startswith("notes/BI19.yaml:")
    assert failing.stderr.rstrip().endswith(SUMMARY)
    passing = run("check", "--format", "text", "notes/delaftale-2014.yaml")
    assert passing.exit_code == 0
    assert passing.stdout == (
        "1 fil kontrolleret: ingen fejl (1 advarsel). "
        "4 angivne totaler er sammenlignet med de beregnede.\n"
    )
    assert "rounding-difference" in passing.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit"])
def test_output_writes_the_report_to_the_file_and_nothing_to_stdout(notes, tmp_path, fmt):
    target = tmp_path / "rapporter" / f"check.{fmt}"
    result = run("check", "--format", fmt, "--output", target, "notes/")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{SUMMARY} Rapporten står i {target}." in result.stderr
    written = target.read_text("utf-8")
    if fmt == "text":  # what the terminal would have shown, in the order found
        assert written == run("check", "notes/").stderr
    else:
        assert written == run("check", "--format", fmt, "notes/").stdout
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left


def test_output_replaces_an_earlier_report_whole(notes, tmp_path):
    target = tmp_path / "check.json"
    target.write_text("gammel rapport, meget længere end den nye" * 1000, "utf-8")
    assert run("check", "-f", "json", "-o", target, "notes/delaftale-2014.yaml").exit_code == 0
    assert json.loads(target.read_text("utf-8"))["files"] == 1


def test_output_that_is_a_folder_is_a_usage_error_in_danish(notes, tmp_path):
    result = run("check", "-f", "json", "--output", tmp_path, "notes/")
    assert result.exit_code == 2
    assert "er en mappe. Giv --output et filnavn" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error_naming_the_formats(notes):
    result = run("check", "--format", "xml", "notes/")
    assert result.exit_code == 2
    assert "ukendt format xml; vælg blandt text, json, github, junit" in result.stderr


# --- what ships for CI -----------------------------------------------------------------------


def test_pre_commit_hook_runs_notebuild_check_on_the_notes():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "notebuild-check"
    assert hook["entry"] == "notebuild check"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("notes/BI19.yaml") and files.search("notes/ny/BI20.yml")
    assert not files.search("docs/ci.md") and not files.search("kinds/delaftale/kind.yaml")
    # pre-commit appends the staged files to the entry: that is a working command.
    program, *args = shlex.split(hook["entry"])
    assert program == "notebuild"
    assert run(*args, NOTES / "BI19.yaml").exit_code == 0


def workflow_steps() -> list[dict]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "notebuild.yml").read_text("utf-8"))
    # YAML 1.1 reads the key `on` as true; GitHub reads it as "on".
    assert set(workflow[True]) == {"push", "pull_request"}
    (job,) = workflow["jobs"].values()
    return job["steps"]


def test_workflow_installs_with_the_constraints_and_annotates_with_format_github():
    steps = workflow_steps()
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/upload-artifact"]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    runs = [s["run"] for s in steps if "run" in s]
    assert "pip install -c constraints.txt -e ." in runs
    assert "notebuild check --format github notes/" in runs


def test_workflow_uploads_the_junit_report_its_check_step_writes(notes):
    steps = workflow_steps()
    (command,) = [s["run"] for s in steps if "--format junit" in s.get("run", "")]
    program, *args = shlex.split(command.split("||")[0])
    assert program == "notebuild"
    report = args[args.index("--output") + 1]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == report
    # Run as the workflow runs it, from the top of a repository with notes/.
    result = run(*args)
    assert result.exit_code == 1  # the changed total; the step tolerates 1, not 2
    assert ET.parse(report).getroot().get("failures") == "1"


def test_ci_documentation_shows_the_real_reports(notes):
    doc = (ROOT / "docs" / "ci.md").read_text("utf-8")
    blocks = dict.fromkeys(("json", "xml", ""), "")
    for language, text in re.findall(r"```(\w*)\n(.*?)```", doc, re.DOTALL):
        if text.startswith(("{", "<?xml", "::")):
            blocks[language] = text
    assert blocks["json"] == run("check", "-f", "json", "notes/").stdout
    assert blocks["xml"] == run("check", "-f", "junit", "notes/").stdout
    assert blocks[""] == run("check", "-f", "github", "notes/").stdout
    for name in (".github/workflows/notebuild.yml", ".pre-commit-hooks.yaml", "notebuild-check"):
        assert name in doc
