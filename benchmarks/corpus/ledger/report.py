"""Reports over accounts."""

from __future__ import annotations

import re

from ledger.accounts import Account
from ledger.money import format_amount


def summarize(accounts: list[Account]) -> dict[str, object]:
    balances = [a.balance for a in accounts]
    return {
        "count": len(accounts),
        "total": sum(balances),
        "largest": max(balances) if balances else None,
    }


def to_csv(accounts: list[Account]) -> str:
    rows = ["owner,balance"]
    rows += [f"{a.owner},{format_amount(a.balance)}" for a in accounts]
    return "\n".join(rows) + "\n"


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise ValueError("nothing left to slug")
    return slug


def owners(accounts: list[Account]) -> list[str]:
    return sorted(a.owner for a in accounts)
