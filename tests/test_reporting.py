"""The source line under a problem is the file as it is now, also in a long-running process."""

from __future__ import annotations

import itertools
import os

from notebuild.problems import TOTAL_MISMATCH, Position
from notebuild.report.reporting import compared_totals, format_problem


def test_the_quoted_source_line_follows_edits_to_the_same_file(tmp_path):
    source = tmp_path / "note.yaml"
    source.write_text("a: 1\ni_alt: 5.700\n", "utf-8")
    problem = TOTAL_MISMATCH(
        source,
        ("i_alt",),
        Position(2, 8),
        where="I alt",
        stated="5.700",
        computed="5.760",
        basis="rækkerne",
    )
    assert "i_alt: 5.700" in format_problem(problem)
    source.write_text("a: 1\ni_alt: 5.710\n", "utf-8")
    os.utime(source, ns=(1, 1))  # a different modification time, whatever the clock did
    assert "i_alt: 5.710" in format_problem(problem)


def _caret_under(report: str) -> str:
    """Return the text of the quoted line that the caret line underlines."""
    lines = report.splitlines()
    for quoted, carets in itertools.pairwise(lines):
        if set(carets.split("| ", 1)[-1].strip()) == {"^"}:
            start = carets.index("^")
            return quoted[start : start + carets.count("^")]
    raise AssertionError(report)


def test_the_caret_under_a_danish_decimal_covers_the_whole_number(tmp_path):
    source = tmp_path / "note.yaml"
    source.write_text("i_alt: 17,4\nbeløb: {2024: 17,4, 2025: 3}\n", "utf-8")
    problem = TOTAL_MISMATCH(
        source,
        ("i_alt",),
        Position(1, 8),
        where="I alt",
        stated="17,4",
        computed="17,5",
        basis="rækkerne",
    )
    assert _caret_under(format_problem(problem)) == "17,4"
    in_braces = TOTAL_MISMATCH(
        source,
        ("beløb", "2024"),
        Position(2, 15),
        where="2024",
        stated="17,4",
        computed="17,5",
        basis="rækkerne",
    )
    assert _caret_under(format_problem(in_braces)) == "17,4"


def test_the_closing_line_of_a_check_says_one_total_in_the_singular():
    assert compared_totals(1) == "1 angiven total er sammenlignet med den beregnede."
    assert compared_totals(4) == "4 angivne totaler er sammenlignet med de beregnede."


def test_the_preview_marks_the_whole_danish_decimal_too(tmp_path):
    from notebuild.preview.server import problem_page

    source = tmp_path / "note.yaml"
    source.write_text("beløb: {2024: 17,4, 2025: 3}\n", "utf-8")
    problem = TOTAL_MISMATCH(
        source,
        ("beløb", "2024"),
        Position(1, 15),
        where="2024",
        stated="17,4",
        computed="17,5",
        basis="rækkerne",
    )
    assert "<mark>17,4</mark>" in problem_page("note", source, [problem])
