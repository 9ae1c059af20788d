"""The source line under a problem is the file as it is now, also in a long-running process."""

from __future__ import annotations

import os

from notebuild.problems import TOTAL_MISMATCH, Position
from notebuild.report.reporting import format_problem


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
