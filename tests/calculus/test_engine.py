"""Formulas evaluated over figures, and figures found by id across a note's tables."""

from decimal import Decimal as D

import pytest

from notebuild.calculus.engine import EvalError, Sheet, SheetTable, evaluate
from notebuild.calculus.figures import Figure
from notebuild.calculus.formula import parse


def sheet() -> Sheet:
    applications = SheetTable(
        "ansøgninger",
        "Ansøgninger",
        "kr.",
        0,
        ["Beløb"],
        {"a": {"Beløb": Figure(D(100))}, "i_alt": {"Beløb": Figure(D(350))}},
        {"Ansøgning A": "a"},
    )
    budget = SheetTable("budget", "Budget", "1.000 kr.", 0, ["2024", "2025"])
    budget.rows["drift"] = {"2024": Figure(D(11000)), "2025": Figure(D(12000))}
    out = Sheet()
    out.add(applications)
    out.add(budget)
    return out


def test_a_difference_keeps_its_derivation():
    values = {"Korrigeret": D(120), "Regnskab": D(100)}
    figure = evaluate(parse("Korrigeret - Regnskab"), lambda r: Figure(values[r.parts[0]]))
    assert figure.value == 20
    assert figure.explain(0) == "120 \u2212 100 = 20"


def test_nested_sums_are_one_sum():
    values = {"a": D(1), "b": D(2), "c": D(3)}
    figure = evaluate(parse("a + b + c"), lambda r: Figure(values[r.parts[0]]))
    assert figure.explain(0) == "1 + 2 + 3 = 6"


def test_a_blank_figure_adds_nothing_and_multiplies_to_blank():
    values = {"a": D(1), "b": None}
    lookup = lambda r: Figure(values[r.parts[0]])  # noqa: E731
    assert evaluate(parse("a + b"), lookup).value == 1
    assert evaluate(parse("a * b"), lookup).value is None


@pytest.mark.parametrize(
    ("formula", "words"), [("a / b", "division med nul"), ("andel(a, b)", "andel af nul")]
)
def test_division_by_zero_is_an_error_at_the_operator(formula, words):
    values = {"a": D(1), "b": D(0)}
    with pytest.raises(EvalError) as caught:
        evaluate(parse(formula), lambda r: Figure(values[r.parts[0]]))
    assert words in caught.value.message
    assert caught.value.at == (2 if "/" in formula else 0)


def test_a_row_of_another_table_by_id_or_by_name():
    found = sheet()
    assert found.find(("ansøgninger", "i_alt"))[1].value == 350
    assert found.find(("ansøgninger", "Ansøgning A", "Beløb"))[1].value == 100
    assert found.find(("budget", "drift"), column="2025")[1].value == 12000


@pytest.mark.parametrize(
    ("parts", "words", "hint"),
    [
        (("ansøgningr", "i_alt"), "ingen tabel med id'et 'ansøgningr'", "Mente du 'ansøgninger'?"),
        (("ansøgninger", "i_al"), "ingen række 'i_al'", "Mente du 'i_alt'?"),
        (("budget", "drift", "2026"), "ingen kolonne '2026'", "Mente du '2025'?"),
        (("budget", "drift"), "flere kolonner", "budget.drift.[2024]"),
    ],
)
def test_an_unknown_id_says_what_was_meant(parts, words, hint):
    with pytest.raises(EvalError) as caught:
        sheet().find(parts)
    assert words in caught.value.message
    assert hint in caught.value.hint
