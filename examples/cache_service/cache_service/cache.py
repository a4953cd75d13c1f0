"""A small in-memory cache with expiry."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class InMemoryCache:
    def __init__(self, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.ttl = ttl
        self._clock = clock
        self._data: dict[str, tuple[float, Any]] = {}

    def get(self, key: str) -> Any | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            del self._data[key]
            return None
        return value

    def set(self, key: str, value: Any) -> None:
        self._data[key] = (self._clock() + self.ttl, value)

    def delete(self, key: str) -> None:
        self._data.pop(key, None)
