import pytest

from ledger import money
from ledger.money import apply_rate, format_amount, is_round, parse_amount, split


def test_parse_whole():
    assert parse_amount("12") == 1200


def test_parse_fraction():
    assert parse_amount("12.3") == 1230


def test_parse_negative():
    assert parse_amount("-0.05") == -5


def test_parse_strips_spaces():
    assert parse_amount("  7.10 ") == 710


def test_parse_empty_raises_with_match():
    with pytest.raises(ValueError, match="empty amount"):
        parse_amount("   ")


def test_parse_garbage_raises_specific():
    with pytest.raises(ValueError):
        parse_amount("12.345")


def test_parse_returns_something():
    result = parse_amount("3.50")
    assert result is not None


def test_parse_returns_int():
    assert isinstance(parse_amount("3.50"), int)


def test_parse_no_assert():
    parse_amount("9.99")


def test_parse_tautology():
    result = parse_amount("1.00")
    assert result == result


def test_parse_mirrored():
    assert parse_amount("2.50") == parse_amount("2.50")


def test_parse_broad_raises():
    with pytest.raises(Exception):
        parse_amount("abc")


def test_parse_unenforced_raises():
    try:
        parse_amount("abc")
    except ValueError:
        pass


def test_parse_enforced_raises_in_else():
    try:
        parse_amount("abc")
    except ValueError as exc:
        assert "not an amount" in str(exc)
    else:
        pytest.fail("no error raised")


def test_parse_swallowed():
    try:
        assert parse_amount("1.5") == 150
    except AssertionError:
        pass


def test_format_positive():
    assert format_amount(1234) == "12.34"


def test_format_negative():
    assert format_amount(-5) == "-0.05"


def test_format_roundtrip():
    assert format_amount(parse_amount("45.60")) == "45.60"


def test_format_is_str():
    assert type(format_amount(10)) is str


def test_format_has_length():
    assert len(format_amount(10)) > 0


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "0.00"), (1, "0.01"), (100, "1.00"), (-250, "-2.50")],
)
def test_format_cases(cents, text):
    assert format_amount(cents) == text


def test_split_even():
    assert split(90, 3) == [30, 30, 30]


def test_split_remainder_goes_first():
    assert split(10, 3) == [4, 3, 3]


def test_split_sum_preserved():
    parts = split(1001, 7)
    assert sum(parts) == 1001
    assert max(parts) - min(parts) <= 1


def test_split_zero_parts():
    with pytest.raises(ValueError, match="positive"):
        split(10, 0)


def test_split_each_part_loop_over_result():
    for part in split(10, 3):
        assert part >= 3


def test_split_len_only():
    assert len(split(10, 4)) >= 0


def test_apply_rate_rounds():
    assert apply_rate(1000, 0.075) == 75


def test_apply_rate_approx():
    assert apply_rate(333, 1 / 3) == pytest.approx(111)


def test_is_round_true():
    assert is_round(300)


def test_is_round_false():
    assert not is_round(301)


def test_is_round_module_attr():
    assert money.is_round(1200) is True


def test_is_round_or_true():
    assert is_round(301) or True


def test_split_tuple_assert():
    assert (split(4, 2), [2, 2])


def test_every_value_in_table():
    for text, cents in [("1", 100), ("0.5", 50), ("2.25", 225)]:
        assert parse_amount(text) == cents


def test_unreachable_after_return():
    value = parse_amount("1.00")
    return
    assert value == 100


def test_skip_then_assert():
    pytest.skip("flaky on windows")
    assert format_amount(1) == "0.01"
