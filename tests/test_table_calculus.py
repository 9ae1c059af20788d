"""The table calculus in finance tables: computed columns, formula, share and "heraf" rows,
hidden and heading subtotals, income columns, references across tables, and bad input."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from textwrap import dedent

from click.testing import CliRunner

from notebuild.cli import main
from notebuild.document.model import Computed, Emphasis, Table
from notebuild.finance import NoteTables, evaluate_note_tables
from notebuild.kind.organisation import organisation
from notebuild.kind.registry import load_kinds
from notebuild.kind.schema.finance import FinanceTable
from notebuild.pipeline import check_file, compose
from notebuild.readers.loader import load

from .conftest import NOTES, ROOT, line_of

FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_KINDS = FIXTURES / "kinds"


def note(tmp_path, text: str) -> tuple[NoteTables, object]:
    """Evaluate the tables under `tabeller:` (a list of `- tabel:`) as one note's tables."""
    file = tmp_path / "kilde.yaml"
    file.write_text(dedent(text), "utf-8")
    source, problems = load(file)
    assert source is not None and not problems
    [key] = source.data  # tabeller (or økonomi in the docs' examples)
    tables = [
        ((key, i, "tabel"), FinanceTable.model_validate(item["tabel"]))
        for i, item in enumerate(source.data[key])
    ]
    return evaluate_note_tables(tables, source, organisation()), file


def table(found: NoteTables, index: int = 0) -> Table:
    result = found.results[("tabeller", index, "tabel")]
    block = result.blocks(index + 1)[0]
    assert isinstance(block, Table)
    return block


def texts(row) -> list[str]:
    return [_text(cell.children) for cell in row.cells]


def _text(inlines) -> str:
    out = ""
    for inline in inlines:
        if isinstance(inline, Emphasis):
            out += _text(inline.children)
        else:
            out += inline.text
    return out


def problems(found: NoteTables) -> list:
    return [*found.problems, *(p for r in found.results.values() for p in r.problems)]


def codes(found: NoteTables) -> list[str]:
    return [p.code for p in problems(found)]


REGNSKAB = """
    tabeller:
      - tabel:
          id: regnskab
          titel: Regnskab 2025
          enhed: mio. kr.
          decimaler: 1
          kolonner:
            - Vedtaget
            - Tillæg
            - {navn: Korrigeret, formel: Vedtaget + Tillæg}
            - Regnskab
            - {navn: Afvigelse, formel: Korrigeret - Regnskab}
            - {navn: Afvigelse i pct., formel: "andel(Afvigelse, Korrigeret)", enhed: pct.}
          rækker:
            - navn: Service
              beløb: {Vedtaget: "100,0", Tillæg: "20,0", Regnskab: "90,0"{stated}}
            - navn: Overførsler
              beløb: {Vedtaget: "50,0", Tillæg: "0,0", Regnskab: "60,0"}
          i_alt: ja
    """


PLAIN = REGNSKAB.replace("{stated}", "")


def test_computed_columns_are_computed_in_every_row_and_shares_of_totals(tmp_path):
    found, _ = note(tmp_path, PLAIN)
    assert not problems(found)
    body = table(found).body
    assert texts(body[0])[1:] == ["100,0", "20,0", "120,0", "90,0", "30,0", "25,0"]
    assert texts(body[1])[1:] == ["50,0", "0,0", "50,0", "60,0", "−10,0", "−20,0"]
    # The total row's share is the share of the totals (20 / 170), not a sum of shares.
    assert texts(body[2]) == ["I alt", "150,0", "20,0", "170,0", "150,0", "20,0", "11,8"]
    share = body[2].cells[6].children[0]
    assert isinstance(share, Computed)
    assert share.explanation == "Afvigelse i pct.: 20,0 / 170,0 × 100 = 11,8"
    korrigeret = body[0].cells[3].children[0]
    assert isinstance(korrigeret, Computed)
    assert korrigeret.explanation == "Korrigeret: 100,0 + 20,0 = 120,0"


def test_a_stated_figure_in_a_computed_column_is_checked(tmp_path):
    ok, _ = note(tmp_path, REGNSKAB.replace("{stated}", ', Korrigeret: "120,0"'))
    assert not problems(ok)
    wrong, file = note(tmp_path, REGNSKAB.replace("{stated}", ', Korrigeret: "125,0"'))
    [problem] = problems(wrong)
    assert problem.code == "total-mismatch"
    assert "Korrigeret: angivet 125,0" in problem.message
    assert problem.position.line == line_of(file, 'Korrigeret: "125,0"')


def test_a_share_from_rounded_figures_is_a_rounding_difference_inside_the_interval(tmp_path):
    # 0,3 / 0,7 = 42,9 %, but 0,3 and 0,7 are rounded: 0,25 / 0,75 … 0,35 / 0,65 = 33,3 … 53,8.
    text = """
        tabeller:
          - tabel:
              titel: Andel
              enhed: mio. kr.
              kolonner:
                - Del
                - Helhed
                - {navn: Andel, formel: "andel(Del, Helhed)", enhed: pct.}
              rækker:
                - navn: Tiltag
                  beløb: {Del: "0,3", Helhed: "0,7", Andel: "STATED"}
        """
    inside, _ = note(tmp_path, text.replace("STATED", "43,0"))
    assert codes(inside) == ["rounding-difference"]
    assert inside.results[("tabeller", 0, "tabel")].notes  # the visible note under the table
    outside, _ = note(tmp_path, text.replace("STATED", "60,0"))
    assert codes(outside) == ["total-mismatch"]
    exact, _ = note(tmp_path, text.replace("STATED", "42,9"))
    assert not problems(exact)


POOL = """
    tabeller:
      - tabel:
          id: status
          titel: Puljens status
          enhed: kr.
          kolonner: [Beløb]
          rækker:
            - {navn: Puljens ramme, id: ramme, beløb: 500.000}
            - {navn: Disponeret på tidligere møder, id: disponeret, beløb: 320.000}
            - {navn: Disponeret på dette møde, id: dette, formel: ansøgninger.i_alt.Bevilget}
            - {navn: Rest, formel: "ramme - disponeret - dette"}
            - {navn: Rest i pct. af rammen, andel: [Rest, ramme]}
      - tabel:
          id: ansøgninger
          titel: Ansøgninger
          enhed: kr.
          kolonner: [Ansøgt, Bevilget]
          rækker:
            - {navn: Sommerfest, beløb: {Ansøgt: 60.000, Bevilget: 50.000}}
            - {navn: Loppemarked, beløb: {Ansøgt: 25.000, Bevilget: 20.000}}
          i_alt: ja
    """


def test_a_row_refers_to_the_total_of_a_later_table(tmp_path):
    found, _ = note(tmp_path, POOL)
    assert not problems(found)
    body = table(found).body
    assert [texts(r) for r in body] == [
        ["Puljens ramme", "500.000"],
        ["Disponeret på tidligere møder", "320.000"],
        ["Disponeret på dette møde", "70.000"],
        ["Rest", "110.000"],
        ["Rest i pct. af rammen", "22,0"],
    ]
    rest = body[3].cells[1].children[0]
    assert isinstance(rest, Computed)
    assert rest.explanation == "500.000 − 320.000 − 70.000 = 110.000"
    assert found.sheet.find(("status", "Rest"))[1].value == 110000


def test_heraf_rows_print_in_italics_and_are_never_added(tmp_path):
    found, _ = note(
        tmp_path,
        """
        tabeller:
          - tabel:
              titel: Udgifter
              enhed: 1.000 kr.
              kolonner: [2025, 2026]
              rækker:
                - {navn: Løn, beløb: {2025: 1.000, 2026: 1.000}}
                - {navn: heraf vikarer, heraf: ja, beløb: {2025: 200, 2026: 250}}
                - {navn: Drift, beløb: {2025: 500, 2026: 500}}
                - {navn: Husleje, heraf: ja, beløb: {2025: 100, 2026: 100}}
              i_alt: {beløb: {2025: 1.500, 2026: 1.500}}
        """,
    )
    assert not problems(found)
    body = table(found).body
    assert texts(body[1]) == ["\u2003heraf vikarer", "200", "250"]
    assert isinstance(body[1].cells[0].children[1], Emphasis)
    assert isinstance(body[1].cells[1].children[0], Emphasis)
    assert texts(body[3])[0] == "\u2003heraf husleje"
    assert texts(body[4]) == ["I alt", "1.500", "1.500"]


def test_a_hidden_subtotal_is_computed_and_can_be_referred_to(tmp_path):
    found, _ = note(
        tmp_path,
        """
        tabeller:
          - tabel:
              id: t
              titel: Grupper
              enhed: 1.000 kr.
              kolonner: [2025]
              rækker:
                - gruppe: Service
                  id: service
                  i_alt: skjult
                  rækker:
                    - {navn: Skoler, beløb: 300}
                    - {navn: Klubber, beløb: 200}
                - gruppe: Overførsler
                  i_alt_placering: overskrift
                  rækker:
                    - {navn: Ydelser, beløb: 1.000}
                - {navn: Service i pct. af i alt, andel: [service, i_alt]}
              i_alt: ja
        """,
    )
    assert not problems(found)
    rows = [texts(r) for r in table(found).body]
    assert rows == [
        ["Service:", ""],
        ["Skoler", "300"],
        ["Klubber", "200"],
        ["Overførsler", "1.000"],  # the subtotal on the heading line
        ["Ydelser", "1.000"],
        ["Service i pct. af i alt", "33,3"],
        ["I alt", "1.500"],
    ]
    assert found.sheet.find(("t", "service"))[1].value == 500


def test_expense_and_income_columns_with_a_net_column(tmp_path):
    found, file = note(
        tmp_path,
        """
        tabeller:
          - tabel:
              titel: Udgifter og indtægter
              enhed: 1.000 kr.
              kolonner:
                - 2026 Udgift
                - {navn: 2026 Indtægt, art: I}
                - {navn: 2026 Netto, formel: "[2026 Udgift] + [2026 Indtægt]"}
              rækker:
                - {navn: Botilbud, beløb: {2026 Udgift: 1.000, 2026 Indtægt: 400}}
                - {navn: Salg af pladser, beløb: {2026 Indtægt: 100, 2026 Netto: -100}}
              i_alt: ja
        """,
    )
    assert not problems(found)
    rows = [texts(r) for r in table(found).body]
    assert rows == [
        ["Botilbud", "1.000", "−400", "600"],
        ["Salg af pladser", "", "−100", "−100"],
        ["I alt", "1.000", "−500", "500"],
    ]
    wrong, _ = note(tmp_path, file.read_text("utf-8").replace("Indtægt: 100", "Indtægt: -100"))
    assert "income-sign" in codes(wrong)


# --- bad input ------------------------------------------------------------------------------


def test_an_unknown_id_in_a_formula_is_an_error_at_its_column_with_did_you_mean(tmp_path):
    found, file = note(tmp_path, POOL.replace("ramme - disponeret - dette", "ramme - disponerte"))
    [problem] = problems(found)
    assert problem.code == "unknown-reference"
    assert "Mente du 'disponeret'?" in problem.hint
    line = line_of(file, "ramme - disponerte")
    assert problem.position.line == line
    text = file.read_text("utf-8").splitlines()[line - 1]
    assert problem.position.column == text.index("disponerte") + 1


def test_an_unknown_table_in_a_formula_says_what_was_meant(tmp_path):
    found, _ = note(tmp_path, POOL.replace("ansøgninger.i_alt", "ansøgningerne.i_alt"))
    [problem] = problems(found)
    assert problem.code == "unknown-reference"
    assert "Mente du 'ansøgninger'?" in problem.hint


def test_tables_that_refer_to_each_other_are_one_error_naming_the_circle(tmp_path):
    circle = POOL.replace(
        "- {navn: Loppemarked, beløb: {Ansøgt: 25.000, Bevilget: 20.000}}",
        "- {navn: Loppemarked, formel: status.Rest}",
    )
    found, _ = note(tmp_path, circle)
    assert codes(found) == ["table-cycle"]
    [problem] = problems(found)
    assert "status → ansøgninger → status" in problem.message or (
        "ansøgninger → status → ansøgninger" in problem.message
    )


def test_rows_that_refer_to_each_other_are_an_error_naming_them(tmp_path):
    found, _ = note(tmp_path, POOL.replace("ramme - disponeret - dette", "ramme - Rest"))
    assert codes(found) == ["row-cycle"]


def test_a_share_of_zero_is_an_error_at_the_cell(tmp_path):
    found, file = note(tmp_path, POOL.replace("beløb: 500.000", "beløb: 0"))
    [problem] = [p for p in problems(found) if p.code == "division-by-zero"]
    assert "andel af nul" in problem.message
    assert problem.position.line == line_of(file, "andel: [Rest, ramme]")


def test_division_by_zero_in_a_column_formula_is_an_error_at_the_row(tmp_path):
    zero = PLAIN.replace('Vedtaget: "50,0", Tillæg: "0,0"', 'Vedtaget: "0,0"')
    found, file = note(tmp_path, zero)
    [problem] = [p for p in problems(found) if p.code == "division-by-zero"]
    assert "Overførsler" in problem.message and "Afvigelse i pct." in problem.message
    assert problem.position.line == line_of(file, 'Vedtaget: "0,0"')


def test_a_column_formula_naming_a_column_the_table_lacks_names_both(tmp_path):
    found, file = note(tmp_path, PLAIN.replace("Vedtaget + Tillæg", "Vedtaget + Tilæg"))
    [problem] = problems(found)
    assert problem.code == "bad-column"
    assert "kolonnen 'Korrigeret'" in problem.message and "'Tilæg'" in problem.message
    assert "Mente du 'Tillæg'?" in problem.hint
    line = line_of(file, "Vedtaget + Tilæg")
    text = file.read_text("utf-8").splitlines()[line - 1]
    assert (problem.position.line, problem.position.column) == (line, text.index("Tilæg") + 1)


def test_broken_formula_syntax_is_an_error_at_its_line_and_column(tmp_path):
    found, file = note(tmp_path, POOL.replace('"ramme - disponeret - dette"', '"ramme - (dette"'))
    [problem] = problems(found)
    assert problem.code == "bad-formula"
    line = line_of(file, "ramme - (dette")
    text = file.read_text("utf-8").splitlines()[line - 1]
    assert (problem.position.line, problem.position.column) == (line, text.index("(dette") + 1)


# --- figures in the prose of memos and agreements ---------------------------------------------


def test_agreement_prose_is_bound_to_its_tables(tmp_path):
    source = (NOTES / "delaftale-2014.yaml").read_text("utf-8")
    checked = check_file(NOTES / "delaftale-2014.yaml")
    text = str(compose(checked))
    assert "Finansieringsbehovet på indsatsbudgettet på 4 mio. kr. i 2014 jf. tabel 1" in text
    assert "ordinær uddannelse på 0,5 mio. kr. mens" in text
    edited = source.replace("beløb: 3,4", "beløb: 3,5")
    (tmp_path / "delaftale-2014.yaml").write_text(edited, "utf-8")
    checked = check_file(tmp_path / "delaftale-2014.yaml")
    assert "reduceres med 3,5 mio. kr." in str(compose(checked))


def test_an_unknown_reference_in_agreement_prose_is_an_error_at_its_column(tmp_path):
    source = (NOTES / "delaftale-2014.yaml").read_text("utf-8")
    wrong = source.replace("oversigt.Indsatsudgifter.2014", "oversigt.Indsatsudgifer.2014")
    file = tmp_path / "delaftale-2014.yaml"
    file.write_text(wrong, "utf-8")
    [problem] = [p for p in check_file(file).problems if p.code == "unknown-reference"]
    assert "Mente du 'Indsatsudgifter'?" in problem.hint
    line = line_of(file, "Indsatsudgifer.2014")
    column = file.read_text("utf-8").splitlines()[line - 1].index("{{ tal: oversigt") + 1
    assert (problem.position.line, problem.position.column) == (line, column)


# --- tables declared by the kind --------------------------------------------------------------

KIND_TABLE = """
  økonomi:
    type: finanstabel
    tabel:
      enhed: mio. kr.
      decimaler: 1
      kolonner:
        - Vedtaget
        - Tillæg
        - {navn: Korrigeret, formel: "Vedtaget + Tillæg"}
"""


def kind_with_table(tmp_path, table: str) -> Path:
    kinds = tmp_path / "kinds"
    shutil.copytree(FIXTURE_KINDS / "orienteringsnotat", kinds / "orienteringsnotat")
    kind = kinds / "orienteringsnotat" / "kind.yaml"
    text = kind.read_text("utf-8")
    assert "  økonomi: {type: finanstabel}\n" in text
    kind.write_text(text.replace("  økonomi: {type: finanstabel}\n", table), "utf-8")
    return kinds


MEMO_TABLE = """økonomi:
  titel: Regnskab
  rækker:
    - {navn: Mentorer, beløb: {Vedtaget: "1,5", Tillæg: "0,5", Korrigeret: "2,0"}}
  i_alt: ja
"""


def memo_with_table(tmp_path) -> Path:
    memo = (FIXTURES / "orienteringsnotat.yaml").read_text("utf-8")
    start, end = memo.index("økonomi:\n"), memo.index("resumé:")
    file = tmp_path / "orienteringsnotat.yaml"
    file.write_text(memo[:start] + MEMO_TABLE + "\n" + memo[end:], "utf-8")
    return file


def test_a_kind_declares_the_columns_and_formulas_and_the_author_states_the_figures(tmp_path):
    kinds = load_kinds((kind_with_table(tmp_path, KIND_TABLE),))
    assert not kinds.problems
    checked = check_file(memo_with_table(tmp_path), kinds)
    assert checked.ok, [p.message for p in checked.problems]
    [table] = [b for b in compose(checked).blocks if isinstance(b, Table)]
    assert [texts(r) for r in table.body] == [
        ["Mentorer", "1,5", "0,5", "2,0"],
        ["I alt", "1,5", "0,5", "2,0"],
    ]


def test_a_broken_formula_in_a_kind_is_an_error_at_its_line_and_other_kinds_still_work(tmp_path):
    kinds_dir = kind_with_table(tmp_path, KIND_TABLE.replace("Vedtaget + Tillæg", "Vedtaget +"))
    kinds = load_kinds((kinds_dir,))
    [problem] = kinds.problems
    assert problem.code == "bad-formula"
    kind_file = kinds_dir / "orienteringsnotat" / "kind.yaml"
    assert problem.file == kind_file
    assert problem.position.line == line_of(kind_file, '"Vedtaget +"')
    assert kinds.get("orienteringsnotat") is None
    assert check_file(NOTES / "delaftale-2014.yaml", kinds).ok  # the shipped kinds still work
    missing = KIND_TABLE.replace("Vedtaget + Tillæg", "Vedtaget + Tilæg")
    [problem] = load_kinds((kind_with_table(tmp_path / "b", missing),)).problems
    assert "'Tilæg'" in problem.message and "Mente du 'Tillæg'?" in problem.hint


def test_the_skeleton_of_a_kind_with_a_declared_table_asks_only_for_stated_figures(
    tmp_path, monkeypatch
):
    kinds = kind_with_table(tmp_path, KIND_TABLE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main,
        ["new", "orienteringsnotat", "2025-09-02-x", "--kinds", str(kinds), "--udvalg", "BIU"],
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "notes" / "2025-09-02-x.yaml").read_text("utf-8")
    assert "kolonner:" not in text and "enhed:" not in text  # the kind gives them
    assert "Vedtaget: UDFYLD" in text and "Tillæg: UDFYLD" in text
    assert "Korrigeret: UDFYLD" not in text  # computed by the kind's formula


def test_the_table_examples_in_the_docs_check_without_problems(tmp_path):
    doc = (ROOT / "docs" / "delaftale.md").read_text("utf-8")
    examples = [b for b in re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL) if "formel" in b]
    assert len(examples) >= 3
    for example in examples:
        found, _ = note(tmp_path, example)
        assert not problems(found), example
        assert all(r.computed_count for r in found.results.values())


def test_a_wrong_figure_in_a_computed_column_is_marked_at_its_cell_for_the_reviewer(tmp_path):
    kinds = load_kinds((kind_with_table(tmp_path, KIND_TABLE),))
    file = memo_with_table(tmp_path)
    file.write_text(file.read_text("utf-8").replace('Korrigeret: "2,0"', 'Korrigeret: "2,5"'))
    checked = check_file(file, kinds)
    assert [p.code for p in checked.problems] == ["total-mismatch"]
    [table] = [b for b in compose(checked, draft=True).blocks if isinstance(b, Table)]
    cell = table.body[0].cells[3]
    assert cell.remarks and cell.origin == ("økonomi", "rækker", 0, "beløb", "Korrigeret")
    explained = cell.children[0]
    assert isinstance(explained, Computed) and explained.explanation.endswith("= 2,0")


def test_a_share_formula_row_is_computed_in_every_column_and_not_added_across(tmp_path):
    found, _ = note(
        tmp_path,
        """
        tabeller:
          - tabel:
              titel: Andele
              enhed: 1.000 kr.
              i_alt_kolonne: ja
              kolonner:
                - Vedtaget
                - Tillæg
                - {navn: Korrigeret, formel: Vedtaget + Tillæg}
                - {navn: Tillæg i pct., formel: "andel(Tillæg, Vedtaget)"}
              rækker:
                - {navn: Service, id: s, beløb: {Vedtaget: 300, Tillæg: 30}}
                - {navn: Overførsler, id: o, beløb: {Vedtaget: 600, Tillæg: 10}}
                - {navn: Service i pct., formel: "andel(s, i_alt)"}
                - {navn: Service pr. krone, formel: "s / o", decimaler: 2}
              i_alt: ja
        """,
    )
    assert not problems(found)
    rows = [texts(r) for r in table(found).body]
    assert rows[0] == ["Service", "300", "30", "330", "10,0", "330"]
    # andel(s, i_alt) in each column, the computed Korrigeret too; the share column and the
    # I alt column stay blank: a share of shares or a sum of shares says nothing.
    assert rows[2] == ["Service i pct.", "33,3", "75,0", "35,1", "", ""]
    assert rows[3] == ["Service pr. krone", "0,50", "3,00", "0,54", "", ""]
    assert rows[4] == ["I alt", "900", "40", "940", "4,4", "940"]


def test_a_kind_may_declare_rows_every_table_ends_with(tmp_path):
    fixed = KIND_TABLE + '      faste_rækker:\n        - {navn: Halvdelen, formel: "i_alt / 2"}\n'
    kinds = load_kinds((kind_with_table(tmp_path, fixed),))
    assert not kinds.problems
    checked = check_file(memo_with_table(tmp_path), kinds)
    assert checked.ok, [p.message for p in checked.problems]
    [table] = [b for b in compose(checked).blocks if isinstance(b, Table)]
    assert [texts(r) for r in table.body] == [
        ["Mentorer", "1,5", "0,5", "2,0"],
        ["Halvdelen", "0,8", "0,3", "1,0"],
        ["I alt", "1,5", "0,5", "2,0"],
    ]
    broken = fixed.replace('"i_alt / 2"', '"i_alt /"')
    [problem] = load_kinds((kind_with_table(tmp_path / "b", broken),)).problems
    assert problem.code == "bad-formula" and "Halvdelen" in problem.message


def test_heraf_on_the_first_row_is_an_error_at_the_key(tmp_path):
    found, file = note(
        tmp_path,
        """
        tabeller:
          - tabel:
              titel: Udgifter
              enhed: kr.
              kolonner: [2025]
              rækker:
                - {navn: heraf løn, heraf: ja, beløb: 100}
                - {navn: Drift, beløb: 500}
        """,
    )
    [problem] = problems(found)
    assert problem.code == "conflicting-fields" and "første række" in problem.message
    assert problem.position.line == line_of(file, "heraf: ja")
