"""A check run as CI reads it: the author's text, JSON, GitHub Actions annotations or JUnit XML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..files.output import display_path
from ..problems import Problem
from .reporting import format_problem

FORMATS = ("text", "json", "github", "junit")
JSON_VERSION = 1
# Characters XML 1.0 cannot hold at all; an author's text may still carry one (YAML's "\e").
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class CheckRun:
    """What one `check` found: the sources, every problem in the order found, and the outcome."""

    files: tuple[Path, ...]
    problems: tuple[Problem, ...]
    failed: bool
    summary: str
    strict: bool = False
    checked_totals: int = 0

    def fails_on(self, problem: Problem) -> bool:
        """Return whether `problem` makes the run fail (warnings only with --strict)."""
        return problem.severity == "error" or self.strict


def file_name(file: Path) -> str:
    """Return the file as the reports name it: relative to the working folder, with '/'."""
    return PurePath(display_path(file)).as_posix()


def _in_order(problems: tuple[Problem, ...]) -> list[Problem]:
    """Return the problems by file, line and column; within one place, in the order found."""

    def key(problem: Problem) -> tuple[str, int, int]:
        where = problem.position
        return (file_name(problem.file), where.line if where else 0, where.column if where else 0)

    return sorted(problems, key=key)


def as_text(run: CheckRun) -> str:
    """Return the report an author reads on the terminal: each problem, then the summary."""
    return "".join(f"{format_problem(p)}\n" for p in run.problems) + f"{run.summary}\n"


def as_json(run: CheckRun) -> str:
    """Return the report as a JSON document (documented in docs/ci.md; `version` on change)."""
    import json

    errors = sum(1 for p in run.problems if p.severity == "error")
    document = {
        "version": JSON_VERSION,
        "files": len(run.files),
        "summary": {
            "errors": errors,
            "warnings": len(run.problems) - errors,
            "files_with_errors": len(
                {file_name(p.file) for p in run.problems if p.severity == "error"}
            ),
            "checked_totals": run.checked_totals,
            "strict": run.strict,
            "passed": not run.failed,
            "text": run.summary,
        },
        "problems": [
            {
                "code": p.code,
                "severity": p.severity,
                "file": file_name(p.file),
                "line": p.position.line if p.position else None,
                "column": p.position.column if p.position else None,
                "path": p.yaml_path,
                "message": p.message,
                "hint": p.hint,
            }
            for p in _in_order(run.problems)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """Return the problem as one GitHub Actions workflow command (::error or ::warning)."""
    properties = [("file", file_name(problem.file))]
    if problem.position:
        properties += [("line", str(problem.position.line)), ("col", str(problem.position.column))]
    properties.append(("title", problem.code))
    fields = ",".join(f"{name}={_escape_property(value)}" for name, value in properties)
    lines = [problem.message]
    if problem.path:
        lines.append(f"felt: {problem.yaml_path}")
    if problem.hint:
        lines.append(problem.hint)
    message = _escape_data("\n".join(lines))
    return f"::{problem.severity} {fields}::{message}"


def as_github(run: CheckRun) -> str:
    """Return one annotation per problem, then the summary as a notice."""
    lines = [annotation(p) for p in _in_order(run.problems)]
    lines.append(f"::notice title=notebuild check::{_escape_data(run.summary)}")
    return "\n".join(lines) + "\n"


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def as_junit(run: CheckRun) -> str:
    """Return a JUnit XML report: one test case per file, failing when it has failing problems.

    Warnings that do not fail the run (without --strict) are listed in the case's system-out.
    Nothing in it depends on the clock or the machine, so the same sources give the same bytes.
    """
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Problem]] = {file_name(f): [] for f in run.files}
    for problem in _in_order(run.problems):
        by_file.setdefault(file_name(problem.file), []).append(problem)
    cases = sorted(by_file.items())
    failures = sum(1 for _, found in cases if any(run.fails_on(p) for p in found))
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", {"name": "notebuild", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "notebuild check", **counts})
    for name, found in cases:
        case = ET.SubElement(
            suite, "testcase", {"name": name, "classname": "notebuild.check", "file": name}
        )
        failing = [p for p in found if run.fails_on(p)]
        other = [p for p in found if not run.fails_on(p)]
        if failing:
            errors = sum(1 for p in failing if p.severity == "error")
            warnings = len(failing) - errors
            counted = [f"{errors} fejl"] if errors else []
            if warnings:
                counted.append(f"{warnings} {'advarsel' if warnings == 1 else 'advarsler'}")
            failure = ET.SubElement(
                case,
                "failure",
                {
                    "message": _xml_text(" og ".join(counted)),
                    "type": " ".join(dict.fromkeys(p.code for p in failing)),
                },
            )
            failure.text = _xml_text("\n".join(format_problem(p) for p in failing)) + "\n"
        if other:
            out = ET.SubElement(case, "system-out")
            out.text = _xml_text("\n".join(format_problem(p) for p in other)) + "\n"
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


RENDERERS = {"text": as_text, "json": as_json, "github": as_github, "junit": as_junit}


def render_report(fmt: str, run: CheckRun) -> str:
    """Return the run's report in `fmt`, one of FORMATS."""
    return RENDERERS[fmt](run)


class ReportNotWritten(Exception):
    """The report file could not be written; the message says why, in Danish."""


def write_report(report: str, target: Path) -> None:
    """Write the report to `target` atomically, as UTF-8."""
    from ..files.output import write_atomic

    if target.is_dir():
        raise ReportNotWritten(
            f"{display_path(target)} er en mappe. Giv --output et filnavn, fx "
            f"{PurePath(display_path(target), 'notebuild-check.xml').as_posix()}."
        )
    try:
        write_atomic(target, report.encode("utf-8"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ReportNotWritten(
            f"{display_path(target)}: rapporten kan ikke skrives ({reason}). Vælg en fil i en "
            "mappe, du må skrive i, med --output."
        ) from None
