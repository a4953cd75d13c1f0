"""Assertion helpers shared by the corpus tests."""

from ledger.accounts import Account


def assert_balance(account: Account, expected: int) -> None:
    assert account.balance == expected, f"{account.owner}: {account.balance} != {expected}"


def assert_history(account: Account, *entries: tuple[str, int]) -> None:
    if list(account.history) != list(entries):
        raise AssertionError(f"history {account.history} != {entries}")


def check_exists(account: object) -> None:
    assert account is not None


def log_state(account: Account) -> None:
    print(account.owner, account.balance)
