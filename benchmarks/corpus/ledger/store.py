"""A JSON store over a key-value client (the client is a boundary)."""

from __future__ import annotations

import json
from typing import Any


class Store:
    def __init__(self, client: Any) -> None:
        self.client = client

    def load(self, key: str) -> Any:
        raw = self.client.get(key)
        if raw is None:
            return None
        return json.loads(raw)

    def save(self, key: str, obj: Any) -> None:
        self.client.set(key, json.dumps(obj, sort_keys=True))

    def fetch(self, key: str) -> Any:
        return self.client.get(key)
