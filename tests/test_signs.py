"""Signs: income is written as a positive amount with `art: I`; every other form is an error.

The rule (docs/budgetnotat.md, docs/delaftale.md, the skeletons): an amount is written without
a minus when `art: I` makes its row an income; notebuild prints it with a minus and subtracts it
in every total. A minus on an income row would be counted twice (or not at all), so it is an
error at the amount that says how to write it. An expense row (`art: U`) may be negative: a
smaller expense (a saving) is counted as written.
"""

from __future__ import annotations

from decimal import Decimal

from click.testing import CliRunner

from notebuild.cli import main
from notebuild.pipeline import check_file

from .conftest import line_of
from .test_finance import evaluate

THIRD = (
    '      bevilling: "35.10"\n      art: U\n'
    "      beløb: {2024: 1.260, 2025: 1.260, 2026: 1.260, 2027: 1.260}\n      i_alt: 5.040"
)
NET_STATED = "beløb: {2023: 720, 2024: 7.500, 2025: 9.580, 2026: 9.580, 2027: 9.580}"
SERVICE_STATED = "beløb: {2023: 720, 2024: 1.260, 2025: 1.260, 2026: 1.260, 2027: 1.260}"


def income_variant(tmp_path, bi19_text: str, amounts: str, total: str) -> object:
    """BI19 with its third activity turned into an income with `amounts`, stated totals as-is."""
    assert bi19_text.count(THIRD) == 1
    income = f'      bevilling: "35.10"\n      art: I\n      beløb: {amounts}\n      i_alt: {total}'
    text = bi19_text.replace(THIRD, income)
    path = tmp_path / "BI19.yaml"
    path.write_text(text, "utf-8")
    return path


def test_income_written_negative_is_an_error_at_the_amount_that_says_how_to_write_it(
    tmp_path, bi19_text
):
    path = income_variant(
        tmp_path,
        bi19_text,
        "{2024: -1.260, 2025: -1.260, 2026: -1.260, 2027: -1.260}",
        "5.040",
    )
    checked = check_file(path)
    signs = [p for p in checked.problems if p.code == "income-sign"]
    assert len(signs) == 4, [(p.code, p.message) for p in checked.problems]
    first = signs[0]
    assert first.severity == "error"
    assert first.path == ("økonomi", "aktiviteter", 2, "beløb", "2024")
    assert first.position.line == line_of(path, "art: I") + 1
    assert first.position.column == line_of_text(path, "-1.260").index("-1.260") + 1
    assert "−1.260" in first.message or "-1.260" in first.message
    assert "1.260" in first.hint and "art: I" in first.hint
    # Nothing wrong reaches an output: the note cannot be rendered, not even as a draft.
    assert checked.note is None and not checked.renderable_as_draft


def line_of_text(path, text: str) -> str:
    return path.read_text("utf-8").splitlines()[line_of(path, text) - 1]


def test_check_strict_fails_on_income_written_negative(tmp_path, bi19_text):
    path = income_variant(
        tmp_path, bi19_text, "{2024: -1.260, 2025: -1.260, 2026: -1.260, 2027: -1.260}", "5.040"
    )
    result = CliRunner().invoke(main, ["check", "--strict", str(path)])
    assert result.exit_code == 1
    assert "[income-sign]" in result.stderr


def test_income_written_positive_is_subtracted_in_every_total(tmp_path, bi19_text):
    path = income_variant(
        tmp_path, bi19_text, "{2024: 1.260, 2025: 1.260, 2026: 1.260, 2027: 1.260}", "−5.040"
    )
    text = path.read_text("utf-8")
    text = text.replace(
        NET_STATED, "beløb: {2023: 720, 2024: 4.980, 2025: 7.060, 2026: 7.060, 2027: 7.060}"
    ).replace("i_alt: 36.960", "i_alt: 26.880")
    text = text.replace(
        SERVICE_STATED, "beløb: {2023: 720, 2024: −1.260, 2025: −1.260, 2026: −1.260, 2027: −1.260}"
    ).replace("i_alt: 5.760", "i_alt: −4.320")
    path.write_text(text, "utf-8")
    checked = check_file(path)
    assert checked.problems == [], [(p.code, p.message) for p in checked.problems]
    [economy] = checked.tables.economy
    net = economy.rows[-1]
    assert net.label == "Udgifter i alt (netto)"
    assert net.total.value == Decimal("26880")


def test_a_stated_income_total_with_the_wrong_sign_says_so(tmp_path, bi19_text):
    path = income_variant(
        tmp_path, bi19_text, "{2024: 1.260, 2025: 1.260, 2026: 1.260, 2027: 1.260}", "5.040"
    )
    checked = check_file(path)
    [row] = [p for p in checked.problems if p.path == ("økonomi", "aktiviteter", 2, "i_alt")]
    assert row.code == "total-mismatch"
    assert "fortegn" in row.hint and "−5.040" in row.hint


def test_an_expense_may_be_negative_a_saving_counted_as_written(tmp_path, bi19_text):
    assert bi19_text.count(THIRD) == 1
    text = bi19_text.replace(
        THIRD,
        '      bevilling: "35.10"\n      art: U\n'
        "      beløb: {2024: -1.260, 2025: -1.260, 2026: -1.260, 2027: -1.260}\n"
        "      i_alt: -5.040",
    )
    path = tmp_path / "BI19.yaml"
    path.write_text(text, "utf-8")
    checked = check_file(path)
    assert not [p for p in checked.problems if p.code == "income-sign"]
    # The stated net totals (which assumed +1.260) are now wrong, and reported as such.
    assert any(
        p.code == "total-mismatch" and p.path == ("økonomi", "i_alt", "i_alt")
        for p in checked.problems
    )


def test_a_finance_table_income_row_written_negative_is_an_error_at_the_amount(tmp_path):
    result, file = evaluate(
        tmp_path,
        """
        tabel:
          titel: Netto
          enhed: 1.000 kr.
          kolonner: [2024, 2025]
          rækker:
            - navn: Udgift
              beløb: {2024: 1.000, 2025: 1.000}
            - navn: Brugerbetaling
              art: I
              beløb: {2025: -250}
          i_alt:
            navn: Udgifter i alt (netto)
        """,
    )
    [problem] = [p for p in result.problems if p.code == "income-sign"]
    assert problem.severity == "error"
    assert problem.path == ("tabel", "rækker", 1, "beløb", "2025")
    assert problem.position.line == line_of(file, "beløb: {2025: -250}")
    assert "250" in problem.hint and "art: I" in problem.hint


def test_a_one_column_finance_income_written_negative_is_an_error(tmp_path):
    result, _ = evaluate(
        tmp_path,
        """
        tabel:
          titel: Finansiering
          enhed: mio. kr.
          kolonner: ["mio. kr."]
          rækker:
            - navn: Udgift
              beløb: 4,0
            - navn: Tilskud
              art: I
              beløb: -0,5
        """,
    )
    assert [p.path for p in result.problems if p.code == "income-sign"] == [
        ("tabel", "rækker", 1, "beløb")
    ]
