"""Turns repository records into the payloads the API returns."""

from __future__ import annotations

from datetime import date
from typing import Any


def to_payload(record: dict[str, Any]) -> dict[str, Any]:
    """The public profile of a user record.

    ``name`` is "First Last", ``email`` is stripped and lower-cased (emails are compared
    case-insensitively everywhere else), ``member_since`` is the year the account was created.
    """
    if "id" not in record:
        raise ValueError("record has no id")
    created: date = record["created"]
    return {
        "id": record["id"],
        "name": f"{record['first_name']} {record['last_name']}",
        "email": record["email"].strip(),  # BUG: the spec says lower-cased
        "member_since": created.year,
    }
