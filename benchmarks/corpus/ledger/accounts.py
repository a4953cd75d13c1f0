"""Accounts and a bank that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field


class InsufficientFunds(Exception):
    pass


@dataclass
class Account:
    owner: str
    balance: int = 0
    history: list[tuple[str, int]] = field(default_factory=list)

    def deposit(self, amount: int) -> int:
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))
        return self.balance

    def withdraw(self, amount: int) -> int:
        if amount > self.balance:
            raise InsufficientFunds(f"{self.owner} has {self.balance}")
        self.balance -= amount
        self.history.append(("withdraw", amount))
        return self.balance


class Bank:
    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}

    def open(self, owner: str) -> Account:
        if owner in self._accounts:
            raise KeyError(owner)
        account = Account(owner)
        self._accounts[owner] = account
        return account

    def get(self, owner: str) -> Account | None:
        return self._accounts.get(owner)

    def transfer(self, source: str, target: str, amount: int) -> None:
        src = self._accounts[source]
        dst = self._accounts[target]
        src.withdraw(amount)
        dst.deposit(amount)

    def total(self) -> int:
        return sum(a.balance for a in self._accounts.values())
