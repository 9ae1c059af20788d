"""Finance tables: totals in Decimal, references between rows, the rounding policy, problems."""

from __future__ import annotations

from textwrap import dedent

import pytest

from notebuild.document.model import Computed, Paragraph, Table, Text
from notebuild.finance import FinanceResult, evaluate_table
from notebuild.kind.organisation import organisation
from notebuild.kind.schema.finance import FinanceTable
from notebuild.readers.loader import load

from .conftest import line_of

FINANCING = """
    tabel:
      titel: Det lokale råderum for indsatsklare ledige
      enhed: mio. kr.
      kolonner: ["Budgetreduktion (mio. kr.)"]
      rækker:
        - navn: Ordinær uddannelse
          beløb: {first}
        - navn: Voksenlærlinge
          beløb: {second}
      i_alt:
        beløb: {total}
    """

AGREEMENT = """
    tabel:
      titel: Økonomi
      enhed: 1.000 kr.
      prisniveau: "2013"
      kolonner: [2014, 2015, 2016]
      rækker:
        - gruppe: Indsatsudgifter
          rækker:
            - navn: Virksomhedsrettet indsats
              beløb: {2014: 2.500, 2015: 2.500, 2016: 2.500}
            - navn: Mentorer
              beløb: {2014: 1.500, 2015: 1.500}
          i_alt: {2014: 4.000, 2015: 4.000, 2016: 2.500}
        - navn: Administration
          beløb: {2014: 500, 2015: 500, 2016: 500}
      i_alt: {}
    """
ADMINISTRATION = "{2014: 500, 2015: 500, 2016: 500}"  # the amounts of AGREEMENT's last row


def evaluate(tmp_path, text: str) -> tuple[FinanceResult, object]:
    file = tmp_path / "kilde.yaml"
    file.write_text(dedent(text), "utf-8")
    source, load_problems = load(file)
    assert source is not None and not load_problems
    table = FinanceTable.model_validate(source.data["tabel"])
    return evaluate_table(table, ("tabel",), source, organisation()), file


def evaluate_with_load_problems(tmp_path, text: str) -> tuple[FinanceResult, object]:
    """Evaluate a source the loader reads with problems (e.g. a duplicate key) but keeps."""
    file = tmp_path / "kilde.yaml"
    file.write_text(dedent(text), "utf-8")
    source, _ = load(file)
    assert source is not None
    table = FinanceTable.model_validate(source.data["tabel"])
    return evaluate_table(table, ("tabel",), source, organisation()), file


def table_of(result: FinanceResult, number: int = 1) -> Table:
    table = result.blocks(number)[0]
    assert isinstance(table, Table)
    return table


def texts(row) -> list[str]:
    return ["".join(i.text for i in cell.children) for cell in row.cells]


def body(result: FinanceResult) -> list[tuple[str, list[str]]]:
    return [(row.role, texts(row)) for row in table_of(result).body]


def codes(result: FinanceResult) -> list[str]:
    return [p.code for p in result.problems]


def only(result: FinanceResult, code: str):
    assert codes(result) == [code], [p.message for p in result.problems]
    return result.problems[0]


def problem_at(tmp_path, text: str, code: str, at: str, evaluator=evaluate):
    """Evaluate `text`; assert it gives one problem, `code`, on the line with `at`; return it."""
    result, file = evaluator(tmp_path, text)
    problem = only(result, code)
    assert problem.position.line == line_of(file, at)
    return problem


def notes(result: FinanceResult, number: int = 2) -> list[str]:
    return [
        "".join(i.text for i in block.children)
        for block in result.blocks(number)
        if isinstance(block, Paragraph)
    ]


# --- sums, groups, computed rows ------------------------------------------------------------


def test_group_has_heading_rows_and_subtotal_and_the_grand_total_sums_groups_and_rows(tmp_path):
    result, _ = evaluate(tmp_path, AGREEMENT)
    assert result.problems == []
    assert body(result) == [
        ("group", ["Indsatsudgifter:", "", "", ""]),
        ("body", ["Virksomhedsrettet indsats", "2.500", "2.500", "2.500"]),
        ("body", ["Mentorer", "1.500", "1.500", ""]),
        ("total", ["Indsatsudgifter i alt", "4.000", "4.000", "2.500"]),
        ("body", ["Administration", "500", "500", "500"]),
        ("total", ["I alt", "4.500", "4.500", "3.000"]),
    ]
    assert [c.ok for c in result.checks] == [True, True, True]
    assert result.checks[0].where == "Tabel 'Økonomi', rækken 'Indsatsudgifter i alt', 2014"
    assert result.computed_count == 6


def test_computed_figures_carry_how_they_were_computed(tmp_path):
    result, _ = evaluate(tmp_path, AGREEMENT)
    subtotal = table_of(result).body[3]
    figure = subtotal.cells[1].children[0]
    assert figure == Computed("4.000", "2014: 2.500 + 1.500 = 4.000")
    plain = table_of(result).body[1].cells[1].children[0]
    assert plain == Text("2.500")


def test_difference_row_is_the_pool_minus_what_is_granted(tmp_path):
    result, _ = evaluate(
        tmp_path,
        """
        tabel:
          titel: Puljen
          enhed: 1.000 kr.
          kolonner: [2024]
          rækker:
            - navn: Pulje
              beløb: 10.000
            - navn: Projekt A
              beløb: 3.000
            - navn: Projekt B
              id: b
              beløb: 2.500
            - navn: Bevilget i alt
              sum: [Projekt A, b]
              beløb: 5.500
            - navn: Restpulje
              forskel: [Pulje, Bevilget i alt]
        """,
    )
    assert result.problems == []
    rows = table_of(result).body
    assert texts(rows[3]) == ["Bevilget i alt", "5.500"]
    assert texts(rows[4]) == ["Restpulje", "4.500"]
    assert rows[4].cells[1].children[0].explanation == "10.000 − 5.500 = 4.500"
    assert [(c.stated, c.computed, c.ok) for c in result.checks] == [("5.500", "5.500", True)]


def test_income_counts_negatively_in_subtotals_and_the_grand_total(tmp_path):
    result, _ = evaluate(
        tmp_path,
        """
        tabel:
          titel: Netto
          enhed: 1.000 kr.
          kolonner: [2024, 2025]
          rækker:
            - gruppe: Drift
              rækker:
                - navn: Udgift
                  beløb: {2024: 1.000, 2025: 1.000}
                - navn: Brugerbetaling
                  art: I
                  beløb: {2025: 250}
          i_alt:
            navn: Udgifter i alt (netto)
        """,
    )
    assert result.problems == []
    assert body(result)[2:] == [
        ("body", ["Brugerbetaling", "", "−250"]),
        ("total", ["Drift i alt", "1.000", "750"]),
        ("total", ["Udgifter i alt (netto)", "1.000", "750"]),
    ]


def test_total_column_sums_each_row_across_its_columns(tmp_path):
    text = AGREEMENT.replace(
        "kolonner: [2014, 2015, 2016]", "kolonner: [2014, 2015, 2016]\n      i_alt_kolonne: ja"
    )
    result, _ = evaluate(tmp_path, text)
    assert result.problems == []
    table = table_of(result)
    assert texts(table.header[0])[-1] == "I alt"
    assert [texts(row)[-1] for row in table.body] == [
        "",
        "7.500",
        "3.000",
        "10.500",
        "1.500",
        "12.000",
    ]
    assert table.body[2].cells[-1].children[0].explanation == "I alt: 1.500 + 1.500 = 3.000"
    assert [c.numeric for c in table.columns] == [False, True, True, True, True]
    assert [c.align for c in table.columns][1:] == ["right"] * 4


def test_a_stated_total_for_the_total_column_is_checked(tmp_path):
    text = AGREEMENT.replace(
        "kolonner: [2014, 2015, 2016]", "kolonner: [2014, 2015, 2016]\n      i_alt_kolonne: ja"
    )
    text = text.replace(
        "beløb: {2014: 500, 2015: 500, 2016: 500}",
        "beløb: {2014: 500, 2015: 500, 2016: 500, I alt: 1.600}",
    )
    problem = problem_at(tmp_path, text, "total-mismatch", at="I alt: 1.600")
    assert problem.message == (
        "Tabel 'Økonomi', rækken 'Administration', I alt: angivet 1.600, men 500 + 500 + 500 "
        "giver 1.500"
    )


# --- formatting and the header ------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "extra", "amount", "shown"),
    [
        ("1.000 kr.", "", "1.000", "1.000"),
        ("mio. kr.", "", "0,5", "0,5"),
        ("mio. kr.", "", "2", "2,0"),
        ("mio. kr.", "decimaler: 2", "0,5", "0,50"),
        ("mio. kr.", "decimaler: 0", "-3,4", "−3"),
        ("kr.", "", "-3.500", "−3.500"),
    ],
)
def test_figures_are_shown_with_the_units_decimals_or_the_tables(
    tmp_path, unit, extra, amount, shown
):
    result, _ = evaluate(
        tmp_path,
        f"""
        tabel:
          titel: T
          enhed: {unit}
          {extra}
          kolonner: [2024]
          rækker:
            - navn: R
              beløb: {amount}
        """,
    )
    assert result.problems == []
    assert body(result) == [("body", ["R", shown])]


@pytest.mark.parametrize(
    ("extra", "stub"),
    [
        ("", "mio. kr."),
        ('prisniveau: "2013"', "mio. kr. - 2013 p/l"),
        ("prisniveau: løbende", "mio. kr. - løbende p/l"),
        ("forspalte: Aktivering", "Aktivering"),
    ],
)
def test_header_names_the_unit_and_price_level_unless_the_author_names_the_column(
    tmp_path, extra, stub
):
    result, _ = evaluate(
        tmp_path,
        f"""
        tabel:
          titel: Det lokale råderum
          enhed: mio. kr.
          {extra}
          kolonner: [2014, Budgetreduktion (mio. kr.)]
          rækker:
            - navn: R
              beløb: {{2014: 1}}
        """,
    )
    table = table_of(result, 3)
    assert texts(table.header[0]) == [stub, "2014", "Budgetreduktion (mio. kr.)"]
    assert table.header[0].role == "header"
    assert table.label == "Tabel 3 - Det lokale råderum"
    assert body(result) == [("body", ["R", "1,0", ""])]


# --- the rounding policy ------------------------------------------------------------------


def test_shown_figures_that_miss_their_stated_total_by_rounding_give_a_warning_and_a_note(
    tmp_path,
):
    result, file = evaluate(tmp_path, FINANCING.format(first="0,5", second="3,4", total="4,0"))
    problem = only(result, "rounding-difference")
    assert problem.severity == "warning"
    assert problem.message == (
        "Tabel 'Det lokale råderum for indsatsklare ledige', rækken 'I alt': angivet 4,0, men de "
        "viste tal summer til 3,9 (0,5 + 3,4). Forskellen kan skyldes afrunding."
    )
    assert "uafrundede" in problem.hint and "3,9" in problem.hint
    assert problem.position.line == line_of(file, "beløb: 4,0")
    assert problem.path == ("tabel", "i_alt", "beløb")
    assert result.ok
    # The author's figure is shown, and the note says why it differs from its lines.
    assert body(result)[-1] == ("total", ["I alt", "4,0"])
    assert notes(result) == [
        "Note til tabel 2: I alt er angivet som 4,0; de viste tal summer til 3,9. Forskellen "
        "kan skyldes afrunding."
    ]
    assert [(c.stated, c.computed, c.ok, c.rounding) for c in result.checks] == [
        ("4,0", "3,9", False, True)
    ]


def test_unrounded_amounts_give_the_total_rounded_once_and_a_note_about_per_line_rounding(
    tmp_path,
):
    result, _ = evaluate(tmp_path, FINANCING.format(first="0,54", second="3,44", total="4,0"))
    assert result.problems == []
    assert body(result) == [
        ("body", ["Ordinær uddannelse", "0,5"]),
        ("body", ["Voksenlærlinge", "3,4"]),
        ("total", ["I alt", "4,0"]),
    ]
    total = table_of(result).body[-1].cells[1].children[0]
    assert total == Computed("4,0", "0,54 + 3,44 = 3,98")
    assert notes(result, 5) == [
        "Note til tabel 5: Beløbene er afrundet hver for sig; totalerne er beregnet af de "
        "uafrundede beløb og kan derfor afvige fra summen af de viste tal."
    ]


def test_a_total_further_off_than_rounding_can_explain_is_an_error(tmp_path):
    result, file = evaluate(tmp_path, FINANCING.format(first="0,5", second="3,4", total="4,5"))
    problem = only(result, "total-mismatch")
    assert problem.severity == "error"
    assert problem.message == (
        "Tabel 'Det lokale råderum for indsatsklare ledige', rækken 'I alt': angivet 4,5, men "
        "0,5 + 3,4 giver 3,9"
    )
    assert problem.position.line == line_of(file, "beløb: 4,5")
    assert not result.ok


def test_with_unrounded_amounts_any_difference_is_an_error_as_the_exact_sum_is_known(tmp_path):
    result, _ = evaluate(tmp_path, FINANCING.format(first="0,5", second="3,44", total="4,0"))
    problem = only(result, "total-mismatch")
    assert "0,50 + 3,44 giver 3,94" in problem.message
    assert "3,9" in problem.hint


def test_rounding_tolerance_grows_with_the_number_of_figures_summed(tmp_path):
    three = FINANCING.replace(
        "      i_alt:", "        - navn: Tredje\n          beløb: 0,1\n      i_alt:"
    )
    warned, _ = evaluate(tmp_path, three.format(first="0,5", second="3,4", total="4,15"))
    assert codes(warned) == ["rounding-difference"]
    failed, _ = evaluate(tmp_path, three.format(first="0,5", second="3,4", total="4,2"))
    assert codes(failed) == ["total-mismatch"]


def test_unrounded_amounts_whose_shown_figures_add_up_need_no_note(tmp_path):
    result, _ = evaluate(tmp_path, FINANCING.format(first="0,52", second="3,41", total="3,9"))
    assert result.problems == []
    assert notes(result) == []


def test_rounding_warning_in_a_year_column_names_the_column(tmp_path):
    text = AGREEMENT.replace("enhed: 1.000 kr.", "enhed: mio. kr.")
    # Quoted: inside {…} a comma separates entries, so 2,5 would be read as 2 and a key 5.
    text = text.replace("2.500, 2015: 2.500, 2016: 2.500}", '"2,5", 2015: "2,5", 2016: "2,5"}')
    text = text.replace("1.500, 2015: 1.500}", '"1,5", 2015: "1,4"}')
    text = text.replace("{2014: 4.000, 2015: 4.000, 2016: 2.500}", '{2014: "4,0", 2015: "4,0"}')
    text = text.replace("{2014: 500, 2015: 500, 2016: 500}", '{2014: "0,5"}')
    result, file = evaluate(tmp_path, text)
    problem = only(result, "rounding-difference")
    assert problem.message.startswith(
        "Tabel 'Økonomi', rækken 'Indsatsudgifter i alt', 2015: angivet 4,0, men de viste tal "
        "summer til 3,9 (2,5 + 1,4)."
    )
    assert problem.path == ("tabel", "rækker", 0, "i_alt", "2015")
    assert problem.position.line == line_of(file, "i_alt: {2014")
    assert notes(result)[0].startswith("Note til tabel 2: Indsatsudgifter i alt (2015) er angivet")


# --- problems -------------------------------------------------------------------------------

POOL = """
    tabel:
      titel: Puljen
      enhed: 1.000 kr.
      kolonner: [2024]
      rækker:
        - navn: Pulje
          beløb: 10.000
        - navn: Projekt A
          beløb: 3.000
        - navn: Restpulje
          forskel: [{refs}]
    """


def test_reference_to_a_row_that_does_not_exist_suggests_the_closest(tmp_path):
    result, file = evaluate(tmp_path, POOL.format(refs="Pulje, Projekt  A"))
    problem = only(result, "unknown-row")
    assert problem.message == (
        "Tabel 'Puljen', rækken 'Restpulje': henviser til 'Projekt  A', som ikke findes i tabellen"
    )
    assert problem.hint == "Mente du 'Projekt A'?"
    assert problem.path == ("tabel", "rækker", 2, "forskel", 1)
    assert problem.position.line == line_of(file, "forskel:")
    assert problem.position.column == line_of_column(file, "Projekt  A")


def test_reference_far_from_every_row_lists_the_rows(tmp_path):
    result, _ = evaluate(tmp_path, POOL.format(refs="Pulje, xyz"))
    assert only(result, "unknown-row").hint == (
        "Henvis til en rækkes id eller navn: Pulje, Projekt A, Restpulje."
    )


def test_row_referring_to_itself_is_reported_at_the_reference(tmp_path):
    text = POOL.format(refs="Pulje, Restpulje")
    problem = problem_at(tmp_path, text, "row-cycle", at="forskel:")
    assert "henviser til sig selv" in problem.message
    assert "Restpulje" in problem.message


def test_rows_referring_to_each_other_in_a_ring_are_reported_once(tmp_path):
    result, file = evaluate(
        tmp_path,
        """
        tabel:
          titel: Ring
          enhed: kr.
          kolonner: [2024]
          rækker:
            - navn: A
              sum: [B]
            - navn: B
              sum: [A]
        """,
    )
    problem = only(result, "row-cycle")
    assert "A → B → A" in problem.message
    assert problem.position.line == line_of(file, "sum: [A]")


@pytest.mark.parametrize(("rows", "offset"), [("rækker: []", 1), ("rækker:", 1), ("", 0)])
def test_group_without_rows_is_one_problem_whether_empty_or_left_out(tmp_path, rows, offset):
    text = f"""
    tabel:
      titel: Grupper
      enhed: kr.
      kolonner: [2024]
      rækker:
        - navn: R
          beløb: 1
        - gruppe: Tom
          {rows}
          i_alt: 5
    """
    result, file = evaluate(tmp_path, text)
    problem = only(result, "empty-group")
    assert problem.message == "Tabel 'Grupper', gruppen 'Tom' har ingen rækker"
    assert problem.position.line == line_of(file, "gruppe: Tom") + offset


@pytest.mark.parametrize("value", ["7", "-1", "to", "1,5"])
def test_impossible_precision_is_reported_at_the_field(tmp_path, value):
    text = FINANCING.format(first="0,5", second="3,5", total="4,0").replace(
        "enhed: mio. kr.", f"enhed: mio. kr.\n      decimaler: {value}"
    )
    problem = problem_at(tmp_path, text, "bad-precision", at="decimaler:")
    assert problem.message == (
        f"Tabel 'Det lokale råderum for indsatsklare ledige': '{value}' er ikke et muligt antal "
        "decimaler"
    )
    assert "0 til 3" in problem.hint and "mio. kr.: 1" in problem.hint


def test_unknown_unit_is_reported_with_the_known_units(tmp_path):
    text = FINANCING.format(first="0,5", second="3,5", total="4,0").replace(
        "enhed: mio. kr.", "enhed: mio kr"
    )
    problem = problem_at(tmp_path, text, "unknown-code", at="enhed:")
    assert problem.message == "ukendt enhed 'mio kr'"
    assert problem.hint.startswith("Mente du 'mio. kr.'?")
    assert "Det lokale råderum for indsatsklare ledige" in problem.hint


def test_amount_for_a_column_the_table_does_not_have(tmp_path):
    text = AGREEMENT.replace(ADMINISTRATION, "{2014: 500, 2017: 500}")
    problem = problem_at(tmp_path, text, "bad-column", at="2017: 500")
    assert problem.message == (
        "Tabel 'Økonomi', rækken 'Administration': '2017' er ikke en af tabellens kolonner"
    )
    assert problem.hint == "Mente du '2016'? Kolonnerne er: 2014, 2015, 2016."
    assert problem.path == ("tabel", "rækker", 1, "beløb", "2017")


def test_one_amount_for_a_table_with_several_columns(tmp_path):
    text = AGREEMENT.replace(ADMINISTRATION, "500")
    problem = problem_at(tmp_path, text, "bad-column", at="beløb: 500")
    assert "ét beløb, men tabellen har 3 kolonner" in problem.message


def test_decimal_comma_inside_braces_is_one_load_problem_and_the_amount_is_read(tmp_path):
    file = tmp_path / "kilde.yaml"
    file.write_text(dedent(AGREEMENT.replace(ADMINISTRATION, "{2014: 0,5}")), "utf-8")
    _source, load_problems = load(file)
    [problem] = load_problems
    assert problem.code == "decimal-comma-in-braces"
    line = next(i for i, t in enumerate(file.read_text("utf-8").splitlines(), 1) if "0,5" in t)
    assert (problem.position.line, problem.position.column) == (
        line,
        file.read_text("utf-8").splitlines()[line - 1].index("0,5") + 1,
    )
    assert '2014: "0,5"' in problem.hint
    result, _ = evaluate_with_load_problems(
        tmp_path, AGREEMENT.replace(ADMINISTRATION, "{2014: 0,5}")
    )
    assert "bad-column" not in codes(result)


def test_i_alt_amount_without_a_total_column(tmp_path):
    text = AGREEMENT.replace(ADMINISTRATION, "{2014: 500, I alt: 500}")
    result, _ = evaluate(tmp_path, text)
    assert "i_alt_kolonne: ja" in only(result, "bad-column").hint


def test_an_id_two_rows_answer_to_is_reported_at_the_second(tmp_path):
    text = POOL.format(refs="Pulje, Projekt A").replace(
        "- navn: Projekt A\n", "- navn: Projekt A\n          id: Pulje\n"
    )
    result, file = evaluate(tmp_path, text)
    problems = [p for p in result.problems if p.code == "duplicate-row"]
    assert len(problems) == 1
    assert "id'et 'Pulje' bruges også af rækken 'Pulje'" in problems[0].message
    assert problems[0].position.line == line_of(file, "id: Pulje")


def test_rows_that_share_a_name_are_fine_until_a_reference_cannot_tell_them_apart(tmp_path):
    text = """
    tabel:
      titel: Grupper
      enhed: kr.
      kolonner: [2024]
      rækker:
        - gruppe: A
          rækker:
            - navn: Administration
              beløb: 1
        - gruppe: B
          rækker:
            - navn: Administration
              beløb: 2
    """
    fine, _ = evaluate(tmp_path, text)
    assert fine.problems == []
    text += "    - navn: Rest\n          sum: [Administration]\n"
    problem = problem_at(tmp_path, text, "duplicate-row", at="sum: [Administration]")
    assert "'Administration' kan betyde flere rækker" in problem.message


def test_a_group_cannot_carry_amounts_of_its_own(tmp_path):
    text = AGREEMENT.replace(
        "- gruppe: Indsatsudgifter", "- gruppe: Indsatsudgifter\n          beløb: 5"
    )
    problem = problem_at(tmp_path, text, "conflicting-fields", at="beløb: 5")
    assert problem.message == (
        "Tabel 'Økonomi', gruppen 'Indsatsudgifter': 'beløb' kan ikke stå i en gruppe"
    )


def test_a_stated_difference_that_disagrees_is_an_error_at_its_line(tmp_path):
    text = POOL.format(refs="Pulje, Projekt A").rstrip() + "\n          beløb: 6.000\n"
    problem = problem_at(tmp_path, text, "total-mismatch", at="beløb: 6.000")
    assert problem.message == (
        "Tabel 'Puljen', rækken 'Restpulje': angivet 6.000, men 10.000 − 3.000 giver 7.000"
    )


def test_row_without_amounts(tmp_path):
    text = POOL.format(refs="Pulje, Projekt A").replace("          beløb: 3.000\n", "")
    problem = problem_at(tmp_path, text, "no-amounts", at="navn: Projekt A")
    assert problem.message == "Tabel 'Puljen', rækken 'Projekt A' har ingen beløb"


def line_of_column(path, text):
    for line in path.read_text("utf-8").splitlines():
        if text in line:
            return line.index(text) + 1
    raise AssertionError(text)


def test_computed_rows_in_a_group_are_shown_but_not_added_into_its_subtotal(tmp_path):
    result, _ = evaluate(
        tmp_path,
        """
        tabel:
          titel: Projekter
          enhed: 1.000 kr.
          kolonner: [2024]
          rækker:
            - gruppe: Bevillinger
              rækker:
                - navn: A
                  beløb: 300
                - navn: B
                  beløb: 200
                - navn: A og B
                  sum: [A, B]
          i_alt: ja
        """,
    )
    assert result.problems == []
    assert body(result)[3:] == [
        ("body", ["A og B", "500"]),
        ("total", ["Bevillinger i alt", "500"]),
        ("total", ["I alt", "500"]),
    ]


def test_unknown_unit_compares_totals_at_the_authors_own_precision(tmp_path):
    text = FINANCING.format(first="0,5", second="3,4", total="3,9").replace(
        "enhed: mio. kr.", "enhed: mia. kr."
    )
    result, _ = evaluate(tmp_path, text)
    assert codes(result) == ["unknown-code"]
    assert [c.ok for c in result.checks] == [True]


def test_row_without_a_name_is_reported_naming_the_table(tmp_path):
    text = POOL.format(refs="Pulje, a").replace("- navn: Projekt A", "- id: a")
    problem = problem_at(tmp_path, text, "missing-field", at="- id: a")
    assert problem.message == "feltet 'navn' mangler"
    assert problem.hint.startswith("Tabel 'Puljen': skriv rækkens navn")


def test_schema_problems_point_at_the_column_key_the_author_wrote(tmp_path):
    from pydantic import Field

    from notebuild.kind.schema.common import SourceModel
    from notebuild.readers.validate import validate_model

    class Holder(SourceModel):
        table: FinanceTable = Field(alias="tabel")

    file = tmp_path / "kilde.yaml"
    file.write_text(
        dedent(AGREEMENT.replace(ADMINISTRATION, "{2014: 500, 2015: x}")),
        "utf-8",
    )
    source, _ = load(file)
    model, problems = validate_model(source, Holder)
    assert model is None
    assert [(p.code, p.path) for p in problems] == [
        ("bad-amount", ("tabel", "rækker", 1, "beløb", "2015"))
    ]
    assert problems[0].position.line == line_of(file, "2015: x")


def test_a_stated_figure_for_a_column_with_nothing_to_add_up_is_checked_against_zero(tmp_path):
    text = AGREEMENT.replace("{2014: 4.000, 2015: 4.000, 2016: 2.500}", "{2016: 2.500, 2014: 0}")
    text = text.replace("2.500, 2015: 2.500, 2016: 2.500}", "2.500, 2015: 2.500}")
    result, _ = evaluate(tmp_path, text)
    problems = [(p.code, p.message) for p in result.problems]
    assert problems == [
        (
            "total-mismatch",
            "Tabel 'Økonomi', rækken 'Indsatsudgifter i alt', 2014: angivet 0, men 2.500 + "
            "1.500 giver 4.000",
        ),
        (
            "total-mismatch",
            "Tabel 'Økonomi', rækken 'Indsatsudgifter i alt', 2016: angivet 2.500, men rækkerne "
            "giver 0",
        ),
    ]


def test_a_rounding_warning_on_a_sum_of_one_group_names_what_the_group_is_made_of(tmp_path):
    result, _ = evaluate(
        tmp_path,
        """
        tabel:
          titel: Råderum
          enhed: mio. kr.
          kolonner: ["mio. kr."]
          rækker:
            - gruppe: Reduktioner
              rækker:
                - navn: Ordinær uddannelse
                  beløb: 0,5
                - navn: Voksenlærlinge
                  beløb: 3,4
            - navn: Råderum i alt
              sum: [Reduktioner]
              beløb: 4,0
        """,
    )
    [problem] = [p for p in result.problems if p.code == "rounding-difference"]
    assert "(0,5 + 3,4)" in problem.message, problem.message
