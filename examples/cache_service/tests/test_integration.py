"""The one test that runs the real cache and the real serialization path."""

from datetime import date

import pytest

from cache_service.cache import InMemoryCache
from cache_service.service import ProfileService, UserNotFound


class DictRepository:
    def __init__(self, users):
        self.users = users
        self.fetches = 0

    def fetch_user(self, user_id):
        self.fetches += 1
        return self.users.get(user_id)


@pytest.mark.xfail(strict=True, reason="serializer.to_payload does not lower-case the email")
def test_profile_roundtrip_through_real_cache():
    repository = DictRepository({7: {"id": 7, "first_name": "Ada", "last_name": "Lovelace",
                                     "email": " Ada@Example.com ",
                                     "created": date(2019, 5, 1)}})
    service = ProfileService(InMemoryCache(ttl=60), repository)

    expected = {"id": 7, "name": "Ada Lovelace", "email": "ada@example.com",
                "member_since": 2019}
    assert service.get_profile(7) == expected
    assert service.get_profile(7) == expected
    assert repository.fetches == 1


def test_unknown_user_is_reported():
    service = ProfileService(InMemoryCache(), DictRepository({}))
    with pytest.raises(UserNotFound):
        service.get_profile(404)
