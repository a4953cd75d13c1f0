import pytest

from shipping.models import Order
from shipping.store import OrderStore


@pytest.fixture
def order():
    return Order(id=7, customer="Ada Lovelace", address="12 Analytical Row, London", weight_kg=2.5)


@pytest.fixture
def store(order):
    s = OrderStore()
    s.add(order)
    return s


def assert_money(value, expected):
    assert str(value) == expected, f"{value} != {expected}"
