import json
from unittest import mock
from unittest.mock import MagicMock

import pytest

from ledger.store import Store


@pytest.fixture
def client():
    return MagicMock(spec=["get", "set"])


def test_load_decodes_json(client):
    client.get.return_value = '{"a": 1}'
    assert Store(client).load("k") == {"a": 1}


def test_load_missing_is_none(client):
    client.get.return_value = None
    assert Store(client).load("k") is None


def test_load_asks_for_key(client):
    client.get.return_value = "[]"
    assert Store(client).load("k") == []
    client.get.assert_called_once_with("k")


def test_load_only_called(client):
    client.get.return_value = "[]"
    Store(client).load("k")
    client.get.assert_called_once()


def test_load_called_with_ignores_value(client):
    client.get.return_value = '{"a": 1}'
    Store(client).load("k")
    client.get.assert_called_once_with("k")


def test_save_writes_sorted_json(client):
    Store(client).save("k", {"b": 2, "a": 1})
    client.set.assert_called_once_with("k", '{"a": 1, "b": 2}')


def test_save_payload_roundtrip(client):
    Store(client).save("k", {"x": [1, 2]})
    key, raw = client.set.call_args.args
    assert key == "k"
    assert json.loads(raw) == {"x": [1, 2]}


def test_save_called(client):
    Store(client).save("k", {"x": 1})
    assert client.set.called


def test_fetch_passes_through(client):
    client.get.return_value = "raw"
    assert Store(client).fetch("k") == "raw"


def test_load_stub_echo(client):
    client.get.return_value = '"v"'
    assert client.get("k") == '"v"'


def test_load_result_unused_stub_echo(client):
    client.get.return_value = '{"a": 1}'
    Store(client).load("k")
    assert client.get.return_value == '{"a": 1}'


def test_load_error_propagates(client):
    client.get.side_effect = ConnectionError("down")
    with pytest.raises(ConnectionError, match="down"):
        Store(client).load("k")


def test_load_bad_json(client):
    client.get.return_value = "{nope"
    with pytest.raises(json.JSONDecodeError):
        Store(client).load("k")


def test_load_swallowed(client):
    client.get.return_value = "[1]"
    try:
        assert Store(client).load("k") == [2]
    except Exception:
        pass


def test_load_swallowed_reraised(client):
    client.get.return_value = "[1]"
    try:
        assert Store(client).load("k") == [1]
    except AssertionError:
        print("load failed")
        raise


def test_load_patched_subject(client):
    with mock.patch.object(Store, "load", return_value={"a": 1}):
        assert Store(client).load("k") == {"a": 1}


def test_load_conditional(client):
    client.get.return_value = '{"a": 1}'
    data = Store(client).load("k")
    if data:
        assert data["a"] == 1


def test_load_keys_in_comprehension(client):
    client.get.return_value = '{"a": 1}'
    data = Store(client).load("k")
    assert all(value == 1 for value in data.values())


def test_load_key_present(client):
    client.get.return_value = '{"a": 1}'
    assert "a" in Store(client).load("k")


def test_load_returned_dict_length(client):
    client.get.return_value = '{"a": 1, "b": 2}'
    assert len(Store(client).load("k")) == 2


def test_load_len_positive(client):
    client.get.return_value = '{"a": 1, "b": 2}'
    assert len(Store(client).load("k")) > 0


def test_create_true_patch(client):
    with mock.patch("ledger.store.decode", create=True):
        client.get.return_value = "[]"
        assert Store(client).load("k") == []
