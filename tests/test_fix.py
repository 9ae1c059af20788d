"""`notebuild fix`: the stated totals follow the amounts, and not one other byte changes."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from notebuild.cli import main
from notebuild.pipeline import check_file

from .conftest import NOTES, line_of

SHIPPED = sorted(NOTES.glob("*.yaml"))


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild")
    assert "Traceback" not in result.output, result.output
    return result


def copy(tmp_path, name: str, *replacements: tuple[str, str], newline: str = "\n") -> object:
    text = (NOTES / name).read_text("utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


@pytest.mark.parametrize("note", SHIPPED, ids=[n.stem for n in SHIPPED])
def test_fixing_a_correct_note_changes_no_byte(tmp_path, note):
    path = tmp_path / note.name
    shutil.copyfile(note, path)
    before = path.read_bytes()
    result = run("fix", path)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert "ingen totaler at rette" in result.output
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


AMOUNT = (
    "art: U\n      beløb: {2024: 6.240, 2025: 8.320,",
    "art: U\n      beløb: {2024: 6.240, 2025: 8.330,",
)
# Every total the changed amount is part of, as it stands in BI19 and as it must read after.
FOLLOWING = [
    ("      i_alt: 31.200\n    - navn: 2 årsværk", "      i_alt: 31.210\n    - navn: 2 årsværk"),
    (
        "beløb: {2023: 720, 2024: 7.500, 2025: 9.580, 2026",
        "beløb: {2023: 720, 2024: 7.500, 2025: 9.590, 2026",
    ),
    ("    i_alt: 36.960\n", "    i_alt: 36.970\n"),
    (
        "    overførsler:\n      beløb: {2024: 6.240, 2025: 8.320, 2026: 8.320, 2027: 8.320}\n"
        "      i_alt: 31.200\n",
        "    overførsler:\n      beløb: {2024: 6.240, 2025: 8.330, 2026: 8.320, 2027: 8.320}\n"
        "      i_alt: 31.210\n",
    ),
]


def _expected(path, newline="\n"):
    text = path.read_bytes().decode("utf-8").replace(newline, "\n")
    for old, new in FOLLOWING:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.replace("\n", newline).encode("utf-8")


def test_fix_writes_the_computed_figures_into_every_stated_total_and_nothing_else(tmp_path):
    path = copy(tmp_path, "BI19.yaml", AMOUNT)
    expected = _expected(path)
    result = run("fix", path)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == expected
    assert not [p for p in check_file(path).problems]
    line = line_of(path, "i_alt: 36.970")
    assert f"BI19.yaml:{line}: 36.960 → 36.970" in result.output
    assert "5 totaler rettet" in result.output


def test_fix_keeps_crlf_a_bom_comments_and_quotes(tmp_path):
    path = copy(
        tmp_path,
        "BI19.yaml",
        AMOUNT,
        ("    i_alt: 36.960\n", '    i_alt: "36.960"   # fra regnearket, 36.960\n'),
        newline="\r\n",
    )
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    text = path.read_bytes().decode("utf-8-sig")
    expected = "\ufeff" + text.replace(
        '    i_alt: "36.960"   # fra regnearket, 36.960\r\n',
        '    i_alt: "36.970"   # fra regnearket, 36.960\r\n',
    )
    for old, new in FOLLOWING:
        if "36.960" not in old:
            expected = expected.replace(old.replace("\n", "\r\n"), new.replace("\n", "\r\n"))
    result = run("fix", path)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == expected.encode("utf-8")


def test_fix_rewrites_totals_in_block_mappings(tmp_path):
    path = copy(
        tmp_path,
        "BI19.yaml",
        AMOUNT,
        (
            "    beløb: {2023: 720, 2024: 7.500, 2025: 9.580, 2026: 9.580, 2027: 9.580}\n",
            "    beløb:\n      2023: 720\n      2024: 7.500\n      2025:   '9.580'\n"
            "      2026: 9.580\n      2027: 9.580\n",
        ),
    )
    result = run("fix", path)
    assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    assert "      2025:   '9.590'\n      2026: 9.580\n" in text
    assert not check_file(path).problems


def test_fix_corrects_a_finance_table_and_leaves_a_rounding_difference(tmp_path):
    path = copy(
        tmp_path,
        "delaftale-2014.yaml",
        (
            "beløb: {2014: 1.000, 2015: 1.000, 2016: 1.000}",
            "beløb: {2014: 1.500, 2015: 1.000, 2016: 1.000}",
        ),
    )
    result = run("fix", path)
    assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    assert "i_alt: {2014: 4.500, 2015: 4.000, 2016: 4.000}" in text
    assert "        beløb: 4,0\n" in text  # the agreement's own rounding, kept on purpose
    assert [p.code for p in check_file(path).problems] == ["rounding-difference"]


def test_fix_refuses_a_source_with_other_errors_unless_asked(tmp_path):
    path = copy(tmp_path, "BI19.yaml", AMOUNT, ("forvaltning: BIF", "forvaltning: BIFF"))
    before = path.read_bytes()
    result = run("fix", path)
    assert result.exit_code == 1
    assert path.read_bytes() == before
    assert "unknown-code" in result.output and "--despite-errors" in result.output
    result = run("fix", "--despite-errors", path)
    assert result.exit_code == 0, result.output
    assert "forvaltning: BIFF" in path.read_text("utf-8")
    assert [p.code for p in check_file(path).problems] == ["unknown-code"]


def test_fix_never_writes_a_figure_it_could_not_compute(tmp_path):
    # 720 unreadable: the totals it is part of are unknown, and stay as they are
    path = copy(tmp_path, "BI19.yaml", AMOUNT, ("beløb: {2023: 720}", "beløb: {2023: syv}"))
    result = run("fix", "--despite-errors", path)
    assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    assert "i_alt: 31.210" in text  # activity 1's own total does not depend on the 720
    assert re.search(r"^    i_alt: 36.960$", text, re.M)  # the grand total does: kept


def _with_every_total_wrong(note, newline: str) -> bytes:
    """Return the note's bytes with each stated total that agrees made wrong (a 1 before it)."""
    from notebuild.readers.loader import load

    source, _ = load(note)
    lines = note.read_text("utf-8").split("\n")
    agreeing = [
        f
        for f in check_file(note).figures
        if round(f.stated, f.decimals) == round(f.computed, f.decimals)
    ]
    assert agreeing
    starts = {f.path: source.value_position(f.path) for f in agreeing}
    for figure in sorted(agreeing, key=lambda f: starts[f.path].column, reverse=True):
        position = source.value_position(figure.path)
        line = lines[position.line - 1]
        column = position.column - 1 + (line[position.column - 1] in "'\"")
        lines[position.line - 1] = line[:column] + "1" + line[column:]
    return newline.join(lines).encode("utf-8")


# The shipped notes that state totals (the memos state none).
WITH_TOTALS = [note for note in SHIPPED if check_file(note).figures]


def test_the_budget_notes_and_the_agreement_state_totals():
    assert {n.stem for n in WITH_TOTALS} >= {"BI19", "BI07", "delaftale-2014"}


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("note", WITH_TOTALS, ids=[n.stem for n in WITH_TOTALS])
def test_fix_restores_every_wrong_total_of_a_shipped_note_byte_for_byte(tmp_path, note, newline):
    original = note.read_bytes().replace(b"\n", newline.encode())
    path = tmp_path / note.name
    path.write_bytes(_with_every_total_wrong(note, newline))
    assert path.read_bytes() != original
    result = run("fix", path)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == original
