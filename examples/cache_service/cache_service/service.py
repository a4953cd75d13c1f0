"""The profile service: cache first, repository on a miss."""

from __future__ import annotations

from typing import Any, Protocol

from cache_service.serializer import to_payload


class Cache(Protocol):
    def get(self, key: str) -> Any | None: ...
    def set(self, key: str, value: Any) -> None: ...
    def delete(self, key: str) -> None: ...


class Repository(Protocol):
    def fetch_user(self, user_id: int) -> dict[str, Any] | None: ...


class UserNotFound(LookupError):
    pass


class ProfileService:
    def __init__(self, cache: Cache, repository: Repository) -> None:
        self.cache = cache
        self.repository = repository

    @staticmethod
    def key(user_id: int) -> str:
        return f"profile:{user_id}"

    def get_profile(self, user_id: int) -> dict[str, Any]:
        cached = self.cache.get(self.key(user_id))
        if cached is not None:
            return cached
        record = self.repository.fetch_user(user_id)
        if record is None:
            raise UserNotFound(user_id)
        payload = to_payload(record)
        self.cache.set(self.key(user_id), payload)
        return payload

    def invalidate(self, user_id: int) -> None:
        self.cache.delete(self.key(user_id))
