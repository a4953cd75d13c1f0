"""Tests for the carrier client."""
from unittest.mock import MagicMock, Mock, patch

import pytest

from shipping.client import CarrierClient, CarrierError
from shipping.models import Order


@pytest.fixture
def session():
    return MagicMock()


@pytest.fixture
def client(session):
    return CarrierClient(session, "https://carrier.test/api/", "s3cret")


def make_response(status=200, payload=None):
    response = Mock()
    response.status_code = status
    response.json.return_value = payload or {}
    return response


def test_create_label_returns_tracking(client, session, order):
    session.post.return_value = make_response(payload={"tracking": "ZX-000123"})
    assert client.create_label(order) == "ZX-000123"


def test_create_label_posts_payload(client, session, order):
    session.post.return_value = make_response(payload={"tracking": "ZX-000123"})
    client.create_label(order)
    session.post.assert_called_once_with(
        "https://carrier.test/api/labels",
        json={"ref": 7, "to": "12 Analytical Row, London", "kg": 2.5},
        headers={"Authorization": "Bearer s3cret"},
        timeout=10,
    )


def test_create_label_calls_session(client, session, order):
    session.post.return_value = make_response(payload={"tracking": "ZX-000123"})
    client.create_label(order)
    session.post.assert_called_once()


def test_create_label_called(client, session, order):
    session.post.return_value = make_response(payload={"tracking": "ZX-000123"})
    client.create_label(order)
    assert session.post.called
    assert session.post.call_count == 1


def test_create_label_mock_result(client, session, order):
    session.post.return_value = make_response(payload={"tracking": "ZX-000123"})
    result = client.create_label(order)
    assert result is not None


def test_create_label_error(client, session, order):
    session.post.return_value = make_response(status=502)
    with pytest.raises(CarrierError, match="carrier refused order 7: 502"):
        client.create_label(order)


def test_create_label_4xx(client, session, order):
    session.post.return_value = make_response(status=400)
    with pytest.raises(CarrierError):
        client.create_label(order)


def test_create_label_error_swallowed(client, session, order):
    session.post.return_value = make_response(status=500)
    try:
        client.create_label(order)
        assert False, "should have raised"
    except Exception:
        pass


def test_create_label_headers(client, session, order):
    session.post.return_value = make_response(payload={"tracking": "AB-000001"})
    client.create_label(order)
    _, kwargs = session.post.call_args
    assert kwargs["headers"]["Authorization"] == "Bearer s3cret"


def test_create_label_called_once_with_typo(client, session, order):
    session.post.return_value = make_response(payload={"tracking": "AB-000001"})
    client.create_label(order)
    session.post.called_once_with("https://carrier.test/api/labels")


def test_json_echo(session):
    response = make_response(payload={"tracking": "AB-000001"})
    session.post.return_value = response
    assert session.post().json()["tracking"] == "AB-000001"


def test_cancel_ok(client, session):
    session.delete.return_value = make_response(status=204)
    assert client.cancel("AB-000001") is True
    session.delete.assert_called_once_with("https://carrier.test/api/labels/AB-000001",
                                           timeout=10)


def test_cancel_not_found(client, session):
    session.delete.return_value = make_response(status=404)
    assert client.cancel("AB-000001") is False


def test_cancel_patched():
    with patch.object(CarrierClient, "cancel", return_value=True):
        client = CarrierClient(Mock(), "https://x", "t")
        assert client.cancel("AB-000001") is True


def test_base_url_trailing_slash_stripped(session):
    client = CarrierClient(session, "https://carrier.test/api/", "t")
    assert client.base_url == "https://carrier.test/api"


def test_client_is_mock_free(session):
    client = CarrierClient(session, "https://carrier.test", "t")
    assert client.session


@patch("shipping.client.requests")
def test_patched_requests(mock_requests, order):
    mock_requests.post.return_value.json.return_value = {"tracking": "AB-000001"}
    client = CarrierClient(mock_requests, "https://x", "t")
    assert client.create_label(order) == "AB-000001"


def test_order_values_sent(client, session, order):
    session.post.return_value = make_response(payload={"tracking": "AB-000001"})
    client.create_label(order)
    sent = session.post.call_args.kwargs["json"]
    assert sent == {"ref": 7, "to": "12 Analytical Row, London", "kg": 2.5}


def test_unused_call_args(client, session, order):
    session.post.return_value = make_response(payload={"tracking": "AB-000001"})
    client.create_label(order)
    args = session.post.call_args
    assert session.post.called
