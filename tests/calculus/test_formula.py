"""The formula language: what it reads, and where it says it cannot."""

from decimal import Decimal

import pytest

from notebuild.calculus.formula import (
    Binary,
    Call,
    FormulaError,
    Negate,
    Number,
    Ref,
    parse,
    refs,
)


def test_operators_in_both_spellings_bind_as_in_arithmetic():
    assert parse("a + b × c") == parse("a + b * c")
    tree = parse("a − b ÷ c")
    assert isinstance(tree, Binary) and tree.op == "-"
    assert isinstance(tree.right, Binary) and tree.right.op == "/"


def test_parentheses_group_and_unary_minus_negates():
    tree = parse("-(a + b) * 2")
    assert isinstance(tree, Binary) and tree.op == "*"
    assert isinstance(tree.left, Negate)
    assert tree.right == Number(Decimal(2), 11)


def test_ids_have_parts_and_bracketed_parts_hold_spaces():
    tree = parse("ansøgninger.i_alt.[Bevilget beløb] + [Vedtaget budget]")
    assert [r.parts for r in refs(tree)] == [
        ("ansøgninger", "i_alt", "Bevilget beløb"),
        ("Vedtaget budget",),
    ]


def test_a_column_named_by_a_year_is_written_in_brackets():
    assert refs(parse("[2024] - [2023]"))[0] == Ref(("2024",), 0)
    assert parse("2024") == Number(Decimal(2024), 0)


def test_numbers_take_a_decimal_comma():
    assert parse("0,5") == Number(Decimal("0.5"), 0)


def test_sum_and_share_are_functions():
    tree = parse("sum(a, b, c) + andel(d, e)")
    assert isinstance(tree, Binary)
    assert isinstance(tree.left, Call) and len(tree.left.args) == 3
    assert isinstance(tree.right, Call) and tree.right.name == "andel"


def test_a_hyphen_inside_a_name_belongs_to_the_name():
    assert refs(parse("pulje-2024 - brugt"))[0].parts == ("pulje-2024",)


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("a +", 3, "slutter for tidligt"),
        ("(a + b", 0, "( mangler sin )"),
        ("a b", 2, "'b' kan ikke stå her"),
        ("a % b", 2, "tegnet '%'"),
        ("1.000 + a", 0, "tusindtalspunktum"),
        ("andel(a)", 0, "to led"),
        ("[Tillæg", 0, "[ mangler sin ]"),
        ("", 0, "tom"),
        ("2024a", 0, "hverken et tal eller et navn"),
    ],
)
def test_a_broken_formula_says_what_and_where(text, column, words):
    with pytest.raises(FormulaError) as caught:
        parse(text)
    assert words in caught.value.message
    assert caught.value.column == column
    assert caught.value.hint


def test_python_is_never_evaluated():
    with pytest.raises(FormulaError):
        parse("__import__('os').system('true')")
