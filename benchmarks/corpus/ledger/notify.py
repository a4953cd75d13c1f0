"""Outbound notifications: the mailer is a boundary."""

from __future__ import annotations

from typing import Any

from ledger.accounts import Account
from ledger.money import format_amount


class Notifier:
    def __init__(self, mailer: Any) -> None:
        self.mailer = mailer

    def low_balance(self, account: Account, threshold: int) -> None:
        if account.balance < threshold:
            self.mailer.send(
                to=account.owner,
                subject="Low balance",
                body=f"Your balance is {format_amount(account.balance)}",
            )

    def statement(self, account: Account) -> str:
        lines = [f"{kind} {format_amount(amount)}" for kind, amount in account.history]
        text = "\n".join(lines)
        self.mailer.send(to=account.owner, subject="Statement", body=text)
        return text
