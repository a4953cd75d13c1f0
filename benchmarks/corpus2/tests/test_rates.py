"""Tests for shipping.rates."""
from decimal import Decimal

import pytest

from shipping import rates
from shipping.rates import RateError, cheapest, quote
from tests.conftest import assert_money


class TestQuote:
    def test_domestic_one_kilo(self):
        assert quote(1, "domestic") == Decimal("5.70")

    def test_partial_kilo_rounds_up(self):
        assert quote(1.2, "eu") == Decimal("14.90")

    def test_express_surcharge(self):
        assert quote(1, "domestic", express=True) == Decimal("8.55")

    def test_returns_decimal(self):
        result = quote(3, "world")
        assert isinstance(result, Decimal)

    def test_quote_is_positive(self):
        assert quote(3, "world") > 0

    def test_quote_matches_formula(self):
        expected = quote(2, "eu")
        assert quote(2, "eu") == expected

    def test_quote_formula_spelled_out(self):
        expected = rates.ZONES["eu"] + rates.PER_KG["eu"] * 2
        assert quote(2, "eu") == expected

    def test_zero_weight_rejected(self):
        with pytest.raises(RateError, match="weight must be positive"):
            quote(0, "eu")

    def test_unknown_zone_rejected(self):
        with pytest.raises(ValueError):
            quote(1, "mars")

    def test_bad_input_raises(self):
        with pytest.raises(Exception):
            quote(-1, "eu")

    def test_negative_weight_try_except(self):
        try:
            quote(-5, "eu")
        except RateError:
            pass

    def test_negative_weight_try_except_fail(self):
        try:
            quote(-5, "eu")
            pytest.fail("expected RateError")
        except RateError as exc:
            assert "positive" in str(exc)

    def test_helper_money(self):
        assert_money(quote(1, "world"), "25.00")


@pytest.mark.parametrize(
    "weight,zone,expected",
    [
        (0.5, "domestic", "5.70"),
        (2, "domestic", "6.90"),
        (2, "world", "31.00"),
    ],
)
def test_quote_table(weight, zone, expected):
    assert quote(weight, zone) == Decimal(expected)


@pytest.mark.parametrize("zone", ["domestic", "eu", "world"])
def test_every_zone_quotes(zone):
    price = quote(1, zone)
    assert price is not None


def test_cheapest_picks_domestic():
    assert cheapest(1, ["world", "domestic", "eu"]) == "domestic"


def test_cheapest_empty():
    with pytest.raises(RateError) as excinfo:
        cheapest(1, [])


def test_cheapest_empty_message():
    with pytest.raises(RateError) as excinfo:
        cheapest(1, [])
    assert str(excinfo.value) == "no zones"


def test_quotes_sorted_loop():
    previous = Decimal(0)
    for kg in [1, 2, 3]:
        price = quote(kg, "eu")
        assert price > previous
        previous = price


def test_quote_empty_loop():
    for zone in []:
        assert quote(1, zone) == Decimal("0")


def test_zones_constant():
    assert rates.ZONES["eu"] == Decimal("9.90")
