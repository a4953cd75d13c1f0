import pytest

from ledger.accounts import Account, Bank


@pytest.fixture
def bank():
    b = Bank()
    b.open("ann").deposit(500)
    b.open("bob").deposit(100)
    return b


@pytest.fixture
def ann():
    return Account("ann", 1000)


@pytest.fixture
def checked_account():
    account = Account("zoe", 50)
    yield account
    assert account.balance >= 0, "balance went negative"
