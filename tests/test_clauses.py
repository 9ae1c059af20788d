"""The tool owns an Indstilling's numbering and punctuation; what the author typed is cleaned."""

from __future__ import annotations

import pytest

from notebuild.kind.clauses import clean_clause, punctuated


def test_each_clause_ends_with_a_comma_and_the_last_with_a_full_stop():
    assert punctuated(["at a", "at b", "at c"]) == ["at a,", "at b,", "at c."]


@pytest.mark.parametrize(
    ("typed", "text", "number", "punctuation"),
    [
        ("1. at godkende,", "at godkende", "1.", ","),
        ("2) at godkende.", "at godkende", "2)", "."),
        ("at godkende;", "at godkende", "", ";"),
        ("at godkende", "at godkende", "", ""),
    ],
)
def test_typed_numbers_and_closing_punctuation_are_removed_and_remembered(
    typed, text, number, punctuation
):
    clause = clean_clause(typed)
    assert (clause.text, clause.removed_number, clause.removed_punctuation) == (
        text,
        number,
        punctuation,
    )


def test_a_clause_may_end_in_an_abbreviation_whose_full_stop_stays():
    clause = clean_clause("at afsætte 4 mio. kr.")
    assert clause.text == "at afsætte 4 mio. kr." and clause.removed_punctuation == ""
    assert punctuated(["at afsætte 4 mio. kr.", "at bruge 2 mio. kr.,"]) == [
        "at afsætte 4 mio. kr.,",
        "at bruge 2 mio. kr.",
    ]


def test_a_capital_at_is_lowered_and_an_at_less_clause_is_recognised():
    assert clean_clause("At godkende").text == "at godkende"
    assert clean_clause("At godkende").capital_at
    assert not clean_clause("udvalget godkender").begins_with_at
    assert not clean_clause("atten punkter").begins_with_at
