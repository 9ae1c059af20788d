"""Danish amounts: what an author types, and what a reader sees."""

from decimal import Decimal

import pytest

from notebuild.amounts import AmountError, Money, Unit, format_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", "0"),
        ("8.320", "8320"),
        ("8320", "8320"),
        ("0,5", "0.5"),
        ("1.000.000", "1000000"),
        ("-3.500", "-3500"),
        ("\u22123.500", "-3500"),
        ("+720", "720"),
        ("12,75", "12.75"),
        ("1.234,5", "1234.5"),
        (" 36.960 ", "36960"),
    ],
)
def test_danish_amounts_are_read_as_written(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["8.32", "1.5", "35.10", "8.3200"])
def test_a_dot_that_could_be_a_decimal_point_is_refused_as_ambiguous(text):
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert "to måder" in caught.value.message or "ikke et beløb" in caught.value.message


def test_ambiguous_amount_hint_offers_both_readings():
    with pytest.raises(AmountError) as caught:
        parse_amount("8.32")
    assert "8.320" in caught.value.hint and "8,32" in caught.value.hint


@pytest.mark.parametrize("text", ["", "otte", "8,3,2", "1.00.000", "8 320", "--5", "1e5"])
def test_text_that_is_not_an_amount_is_refused(text):
    with pytest.raises(AmountError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        ("0", 0, "0"),
        ("8320", 0, "8.320"),
        ("36960", 0, "36.960"),
        ("0.5", 1, "0,5"),
        ("-3500", 0, "\u22123.500"),
        ("1000000", 0, "1.000.000"),
        ("3.9", 1, "3,9"),
        ("3.95", 1, "4,0"),
        ("-0.04", 1, "0,0"),
        ("720", 2, "720,00"),
    ],
)
def test_amounts_are_printed_the_danish_way(value, decimals, text):
    assert format_amount(Decimal(value), decimals) == text


@pytest.mark.parametrize("text", ["0", "8.320", "-3.500", "0,5", "1.000.000", "12,75"])
def test_parsing_what_was_printed_gives_the_same_amount(text):
    value = parse_amount(text)
    decimals = len(text.split(",")[1]) if "," in text else 0
    assert parse_amount(format_amount(value, decimals).replace("\u2212", "-")) == value


def test_money_adds_within_one_unit_and_refuses_to_mix_units():
    thousand = Unit("1.000 kr.", "1.000 kr.", 0)
    million = Unit("mio. kr.", "mio. kr.", 1)
    assert (Money(Decimal(720), thousand) + Money(Decimal(6240), thousand)).format() == "6.960"
    with pytest.raises(TypeError):
        Money(Decimal(1), thousand) + Money(Decimal(1), million)
