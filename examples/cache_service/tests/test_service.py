"""Tidy, green, model-style tests: they mock the cache and check that it was called."""

from datetime import date
from unittest.mock import MagicMock, Mock, patch

from cache_service.serializer import to_payload
from cache_service.service import ProfileService

RECORD = {"id": 7, "first_name": "Ada", "last_name": "Lovelace",
          "email": " Ada@Example.com ", "created": date(2019, 5, 1)}


def test_get_profile_returns_payload():
    cache = Mock()
    repository = Mock()
    repository.fetch_user.return_value = RECORD
    service = ProfileService(cache, repository)

    result = service.get_profile(7)

    assert result is not None


def test_get_profile_uses_cache():
    cache = Mock()
    cache.get.return_value = {"id": 7}
    repository = Mock()
    service = ProfileService(cache, repository)

    service.get_profile(7)

    cache.get.assert_called_once_with("profile:7")
    repository.fetch_user.assert_not_called()


def test_get_profile_stores_payload_in_cache():
    cache = MagicMock()
    cache.get.return_value = None
    repository = MagicMock()
    repository.fetch_user.return_value = RECORD
    service = ProfileService(cache, repository)

    profile = service.get_profile(7)

    cache.set.assert_called_once()
    assert cache.set.call_count == 1


def test_invalidate_deletes_key():
    cache = Mock()
    service = ProfileService(cache, Mock())

    service.invalidate(7)

    cache.delete.was_called_with("profile:7")


def test_cache_returns_cached_profile():
    cache = MagicMock()
    cache.get.return_value = {"id": 7, "name": "Ada Lovelace"}

    assert cache.get("profile:7") == {"id": 7, "name": "Ada Lovelace"}


def test_payload_has_expected_fields():
    payload = to_payload(RECORD)

    assert isinstance(payload["email"], str)
    assert isinstance(payload["name"], str)
    assert len(payload["name"]) > 0


@patch("cache_service.serializer.to_payload")
def test_serializer_is_used(mock_to_payload):
    mock_to_payload.return_value = {"id": 7}
    result = mock_to_payload(RECORD)
    assert result == {"id": 7}


def test_serializer_rejects_bad_records():
    try:
        to_payload({"first_name": "Ada"})
    except Exception:
        pass


def test_get_profile_smoke():
    service = ProfileService(MagicMock(), MagicMock())
    service.get_profile(7)
