import sqlite3

import pytest

from shipping.models import Order
from shipping.store import NotFound, OrderStore


def test_add_and_get(store, order):
    assert store.get(7) == order


def test_get_missing(store):
    with pytest.raises(NotFound):
        store.get(404)


def test_get_missing_keyerror(store):
    with pytest.raises(KeyError) as excinfo:
        store.get(404)
    assert excinfo.value.args == (404,)


def test_get_returns_order(store):
    assert isinstance(store.get(7), Order)


def test_get_has_fields(store):
    fetched = store.get(7)
    assert hasattr(fetched, "customer")
    assert hasattr(fetched, "tracking")


def test_update_persists(store, order):
    order.status = "shipped"
    order.tracking = "ZX-000007"
    store.update(order)
    again = store.get(7)
    assert (again.status, again.tracking) == ("shipped", "ZX-000007")


def test_pending_lists_only_pending(store):
    store.add(Order(8, "Grace", "1 Cobol Way, Arlington", 1.0, status="shipped"))
    store.add(Order(9, "Linus", "2 Kernel St, Helsinki", 1.0))
    assert [o.id for o in store.pending()] == [7, 9]


def test_pending_not_empty(store):
    assert len(store.pending()) > 0


def test_pending_each_is_pending(store):
    for order in store.pending():
        assert order.status == "pending"


def test_pending_all_pending_comprehension(store):
    assert all(o.status == "pending" for o in store.pending())


def test_duplicate_id_rejected(store, order):
    with pytest.raises(sqlite3.IntegrityError):
        store.add(order)


def test_file_backed_store(tmp_path):
    path = tmp_path / "orders.db"
    first = OrderStore(str(path))
    first.add(Order(1, "A", "x, y", 1.0))
    first.db.commit()
    second = OrderStore(str(path))
    assert second.get(1).customer == "A"


def test_store_smoke(tmp_path):
    store = OrderStore(str(tmp_path / "orders.db"))
    store.add(Order(1, "A", "x, y", 1.0))
    store.get(1)
    store.pending()


def test_roundtrip_express(store):
    store.add(Order(10, "Z", "a, b", 1.0, express=True))
    assert store.get(10).express is True


def test_get_twice_same(store):
    assert store.get(7) == store.get(7)


class TestStoreWithInit:
    def __init__(self):
        self.store = OrderStore()

    def test_never_collected(self):
        assert self.store.pending() == []
