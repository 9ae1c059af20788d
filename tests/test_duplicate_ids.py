"""Two sources with one id are an error naming both files: never counted twice in a round."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal

import pytest
from click.testing import CliRunner

from notebuild.cli import main
from notebuild.duplicate_ids import declared_id

from .conftest import NOTES, line_of


@pytest.fixture
def round_with_copy(tmp_path, monkeypatch):
    """A copy of notes/ with BI19 copied as BI19-kopi.yaml (same id), run from its parent."""
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)
    shutil.copy(notes / "BI19.yaml", notes / "BI19-kopi.yaml")
    monkeypatch.chdir(tmp_path)
    return notes


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="notebuild")


def test_check_reports_a_shared_id_in_both_files_at_their_id_lines(round_with_copy):
    result = invoke("check", "--strict", "notes")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "[duplicate-id]" in line]
    original = round_with_copy / "BI19.yaml"
    line = line_of(original, "id: BI19")
    assert sorted(lines) == sorted(
        [
            f"notes/BI19-kopi.yaml:{line}:5: fejl: id'et 'BI19' bruges også af "
            "notes/BI19.yaml [duplicate-id]",
            f"notes/BI19.yaml:{line}:5: fejl: id'et 'BI19' bruges også af "
            "notes/BI19-kopi.yaml [duplicate-id]",
        ]
    )


def test_ids_are_the_same_whatever_the_quotes_and_letter_case(round_with_copy):
    copy = round_with_copy / "BI19-kopi.yaml"
    copy.write_text(copy.read_text("utf-8").replace("id: BI19", 'id: "bi19"  # kopi'), "utf-8")
    result = invoke("check", "notes")
    assert result.exit_code == 1
    assert result.stderr.count("[duplicate-id]") == 2


def test_notes_with_different_ids_are_not_reported(round_with_copy):
    copy = round_with_copy / "BI19-kopi.yaml"
    copy.write_text(copy.read_text("utf-8").replace("id: BI19", "id: BI20"), "utf-8")
    result = invoke("check", "notes")
    assert "[duplicate-id]" not in result.stderr
    assert result.exit_code == 0, result.stderr


def csv_amounts(path) -> dict[str, Decimal]:
    """Return the sum of aktiviteter.csv's amounts per note id."""
    text = path.read_text("utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader)
    note, amount = header.index("Notat"), header.index("Beløb")
    sums: dict[str, Decimal] = {}
    for row in reader:
        value = Decimal(row[amount].replace(",", "."))
        sums[row[note]] = sums.get(row[note], Decimal(0)) + value
    return sums


def test_build_fails_both_notes_and_counts_neither_twice(round_with_copy, tmp_path):
    result = invoke("build", "notes", "--out", "build")
    assert result.exit_code == 1
    assert result.stderr.count("[duplicate-id]") == 2
    build = tmp_path / "build"
    assert not (build / "BI19.docx").exists() and not (build / "BI19-kopi.docx").exists()
    sums = csv_amounts(build / "aktiviteter.csv")
    assert "BI19" not in sums  # neither copy is summed: which one is meant is for the author
    assert sums["BI07"] > 0
    page = (build / "index.html").read_text("utf-8")
    assert "bruges også af" in page


def test_build_counts_the_note_once_when_the_copy_is_removed(round_with_copy, tmp_path):
    assert invoke("build", "notes", "--out", "build").exit_code == 1
    (round_with_copy / "BI19-kopi.yaml").unlink()
    result = invoke("build", "notes", "--out", "build")
    assert result.exit_code == 0, result.stderr
    sums = csv_amounts(tmp_path / "build" / "aktiviteter.csv")
    assert sums["BI19"] == Decimal("36960")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("type: budgetnotat\nid: BI19\n", ("BI19", 2, 5)),
        ('id: "BI 19"  # kopi\n', ("BI 19", 1, 5)),
        ("'id':   'ØK26'\n", ("ØK26", 1, 9)),
        ("økonomi:\n  rækker:\n    - id: pulje\n", None),  # a row's id is no note's id
        ("id:\n", None),
        ("# id: BI19\n", None),
    ],
)
def test_the_declared_id_is_the_top_level_id_and_where_its_value_stands(text, expected):
    found = declared_id(text)
    if expected is None:
        assert found is None
    else:
        value, line, column = expected
        assert found is not None and found[0] == value
        assert (found[1].line, found[1].column) == (line, column)


def test_build_reports_a_copys_own_problems_beside_the_shared_id(round_with_copy):
    copy = round_with_copy / "BI19-kopi.yaml"
    copy.write_text(copy.read_text("utf-8").replace("i_alt: 36.960", "i_alt: 36.961"), "utf-8")
    result = invoke("build", "notes", "--out", "build")
    assert result.exit_code == 1
    assert "notes/BI19-kopi.yaml:" in result.stderr
    copy_lines = [line for line in result.stderr.splitlines() if "BI19-kopi.yaml:" in line]
    assert any("[total-mismatch]" in line for line in copy_lines)
    assert any("[duplicate-id]" in line for line in copy_lines)
