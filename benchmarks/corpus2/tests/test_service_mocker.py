"""pytest-mock flavoured tests of the service, as a generator writes them."""
import pytest

from shipping.client import CarrierError
from shipping.models import Order
from shipping.service import ShippingService


@pytest.fixture
def deps(mocker):
    store = mocker.Mock()
    client = mocker.Mock()
    events = mocker.Mock()
    order = Order(3, "Kay", "3 Elm St, Oslo", 4.0, zone="eu")
    store.get.return_value = order
    client.create_label.return_value = "NO-000003"
    return store, client, events, order


def test_ship(deps):
    store, client, events, order = deps
    service = ShippingService(store, client, events)
    assert service.ship(3) == "NO-000003"
    assert order.status == "shipped"


def test_ship_mocks_called(deps, mocker):
    store, client, events, order = deps
    ShippingService(store, client, events).ship(3)
    store.get.assert_called_once_with(3)
    client.create_label.assert_called_once_with(order)
    events.publish.assert_called_once()


def test_ship_spy_quote(deps, mocker):
    store, client, events, order = deps
    spy = mocker.spy(ShippingService, "price")
    result = ShippingService(store, client, events).price(3)
    assert result == "19.90 EUR"
    assert spy.call_count == 1


def test_price_patched_quote(deps, mocker):
    store, client, events, order = deps
    mocker.patch("shipping.service.quote", return_value="1.00")
    assert ShippingService(store, client, events).price(3) == "1.00 EUR"


def test_price_patched_price(deps, mocker):
    store, client, events, order = deps
    mocker.patch.object(ShippingService, "price", return_value="9.99 EUR")
    assert ShippingService(store, client, events).price(3) == "9.99 EUR"


def test_price_hallucinated_helper(deps, mocker):
    store, client, events, order = deps
    mocker.patch("shipping.service.compute_vat", return_value=0)
    assert ShippingService(store, client, events).price(3) == "19.90 EUR"


def test_ship_failure_mock_side_effect(deps):
    store, client, events, order = deps
    client.create_label.side_effect = CarrierError("503")
    with pytest.raises(CarrierError, match="503"):
        ShippingService(store, client, events).ship(3)
    assert order.status == "failed"


def test_ship_wrong_kwarg(deps):
    store, client, events, order = deps
    with pytest.raises(TypeError):
        ShippingService(store, client, events).ship(order_id=3, force=True)


def test_mock_equals_mock(deps):
    store, client, events, order = deps
    ShippingService(store, client, events).ship(3)
    assert events.publish.call_args == events.publish.call_args
