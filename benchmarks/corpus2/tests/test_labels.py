import pytest

from shipping.labels import label_text, parse_tracking, slug
from shipping.models import Order


@pytest.mark.parametrize("name,expected", [
    ("Ada Lovelace", "ada-lovelace"),
    ("  Grace  Hopper!! ", "grace-hopper"),
    ("ALAN", "alan"),
])
def test_slug(name, expected):
    assert slug(name) == expected


@pytest.mark.parametrize("name,expected", [
    ("Ada Lovelace", "ada-lovelace"),
    ("Ada Lovelace", "ada-lovelace"),
])
def test_slug_duplicated_cases(name, expected):
    assert slug(name) == expected


def test_label_text(order):
    assert label_text(order) == "ADA LOVELACE\n12 Analytical Row\nLondon"


def test_label_text_express(order):
    order.express = True
    assert label_text(order).splitlines()[0] == "*** EXPRESS ***"


def test_label_text_contains_customer(order):
    assert "ADA LOVELACE" in label_text(order)


def test_label_text_not_empty(order):
    assert label_text(order)


def test_label_text_length(order):
    assert len(label_text(order)) > 0


def test_label_text_print(order, capsys):
    print(label_text(order))
    captured = capsys.readouterr()


def test_label_text_print_checked(order, capsys):
    print(label_text(order))
    assert capsys.readouterr().out == "ADA LOVELACE\n12 Analytical Row\nLondon\n"


def test_parse_tracking():
    assert parse_tracking("ZX-000123") == ("ZX", 123)


def test_parse_tracking_invalid():
    with pytest.raises(ValueError, match="not a tracking code"):
        parse_tracking("zx-123")


def test_parse_tracking_tuple():
    prefix, number = parse_tracking("ZX-000123")
    assert prefix
    assert number


def test_parse_tracking_unpacked():
    prefix, number = parse_tracking("AB-000042")
    assert prefix == "AB"
    assert number == 42


def test_parse_tracking_swallow():
    try:
        assert parse_tracking("AB-000042") == ("AB", 42)
    except AssertionError:
        print("tracking parse mismatch")


def test_parse_tracking_return_early():
    result = parse_tracking("AB-000042")
    return
    assert result == ("AB", 42)


def test_parse_tracking_skip():
    pytest.skip("flaky on CI")
    assert parse_tracking("AB-000042") == ("AB", 42)


def test_parse_tracking_tuple_assert():
    assert (parse_tracking("AB-000042"), ("AB", 42))


def test_parse_tracking_or_true():
    assert parse_tracking("AB-000042") == ("AB", 42) or True


def test_parse_tracking_copy():
    assert parse_tracking("CD-000001") == ("CD", 1)


def test_parse_tracking_copy_2():
    assert parse_tracking("CD-000001") == ("CD", 1)


def check_tracking(code, prefix, number):
    parsed = parse_tracking(code)
    assert parsed[0] == prefix
    assert parsed[1] == number


def test_parse_tracking_via_helper():
    check_tracking("EF-000777", "EF", 777)


def print_tracking(code):
    print(parse_tracking(code))


def test_parse_tracking_via_printing_helper():
    print_tracking("EF-000777")


def test_parse_tracking_isinstance_object():
    assert isinstance(parse_tracking("EF-000777"), object)
