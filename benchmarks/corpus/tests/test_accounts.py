import unittest
from unittest import mock

import pytest

from helpers import assert_balance, assert_history, check_exists, log_state
from ledger.accounts import Account, Bank, InsufficientFunds


def test_deposit_returns_new_balance(ann):
    assert ann.deposit(250) == 1250


def test_deposit_records_history(ann):
    ann.deposit(5)
    assert ann.history == [("deposit", 5)]


def test_deposit_rejects_zero(ann):
    with pytest.raises(ValueError, match="positive"):
        ann.deposit(0)


def test_withdraw_too_much(ann):
    with pytest.raises(InsufficientFunds, match="ann has 1000"):
        ann.withdraw(5000)


def test_withdraw_via_helper(ann):
    ann.withdraw(400)
    assert_balance(ann, 600)


def test_history_via_helper(ann):
    ann.deposit(1)
    ann.withdraw(2)
    assert_history(ann, ("deposit", 1), ("withdraw", 2))


def test_exists_via_helper(ann):
    ann.deposit(1)
    check_exists(ann)


def test_only_logs(ann):
    ann.withdraw(1)
    log_state(ann)


def test_fixture_asserts_on_teardown(checked_account):
    checked_account.withdraw(50)


def test_withdraw_runs(ann):
    ann.withdraw(10)


def test_open_returns_account(bank):
    account = bank.open("cy")
    assert account.owner == "cy"
    assert account.balance == 0


def test_open_twice_raises(bank):
    with pytest.raises(KeyError):
        bank.open("ann")


def test_get_missing_is_none(bank):
    assert bank.get("nobody") is None


def test_get_existing_not_none(bank):
    assert bank.get("ann") is not None


def test_get_existing_balance(bank):
    assert bank.get("ann").balance == 500


def test_transfer_moves_money(bank):
    bank.transfer("ann", "bob", 200)
    assert bank.get("ann").balance == 300
    assert bank.get("bob").balance == 300


def test_transfer_keeps_total(bank):
    before = bank.total()
    bank.transfer("ann", "bob", 50)
    assert bank.total() == before


def test_transfer_insufficient(bank):
    with pytest.raises(InsufficientFunds):
        bank.transfer("bob", "ann", 1000)


def test_transfer_unknown_owner_broad(bank):
    with pytest.raises(Exception):
        bank.transfer("ann", "zed", 1)


def test_total(bank):
    assert bank.total() == 600


def test_total_is_int(bank):
    assert isinstance(bank.total(), int)


def test_total_hasattr(bank):
    assert hasattr(bank, "total")


def test_account_truthy(bank):
    assert bank.get("ann")


def test_withdraw_patched_subject():
    with mock.patch.object(Account, "withdraw", return_value=0):
        account = Account("x", 10)
        assert account.withdraw(10) == 0


def test_mock_account_compares_itself():
    account = mock.Mock()
    account.balance = 10
    assert account.balance == 10


def test_assert_mock_truthy():
    account = mock.Mock(spec=Account)
    assert account


def test_balance_under_if(ann):
    result = ann.deposit(1)
    if result > 2000:
        assert result == 2001


class TestAccountUnit(unittest.TestCase):
    def setUp(self):
        self.account = Account("dan", 100)

    def test_deposit(self):
        self.assertEqual(self.account.deposit(50), 150)

    def test_withdraw_raises(self):
        with self.assertRaises(InsufficientFunds):
            self.account.withdraw(101)

    def test_withdraw_raises_callable_form(self):
        self.assertRaises(InsufficientFunds, self.account.withdraw, 101)

    def test_assert_true_with_message_arg(self):
        self.assertTrue(self.account.deposit(1), 101)

    def test_assert_true_constant(self):
        self.account.deposit(1)
        self.assertTrue(True)

    def test_assert_equal_same(self):
        balance = self.account.deposit(1)
        self.assertEqual(balance, balance)

    def test_is_not_none(self):
        self.assertIsNotNone(self.account.deposit(1))

    def test_is_instance(self):
        self.assertIsInstance(self.account.deposit(1), int)

    def test_history_in(self):
        self.account.deposit(7)
        self.assertIn(("deposit", 7), self.account.history)

    def test_subtest_values(self):
        for amount, expected in [(1, 101), (9, 110)]:
            with self.subTest(amount=amount):
                self.assertEqual(self.account.deposit(amount), expected)

    def test_broad_assert_raises(self):
        with self.assertRaises(Exception):
            self.account.withdraw(1000)

    def test_nothing(self):
        self.account.deposit(3)


class AccountAssertions(unittest.TestCase):
    def assertBalance(self, account, expected):
        self.assertEqual(account.balance, expected)


class TestWithCustomAssert(AccountAssertions):
    def test_custom_assert(self):
        account = Account("eve", 1)
        account.deposit(1)
        self.assertBalance(account, 2)


class TestWithInit:
    def __init__(self):
        self.x = 1

    def test_not_collected(self):
        pass
