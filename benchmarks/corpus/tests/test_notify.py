from unittest import mock
from unittest.mock import ANY, MagicMock, call, create_autospec

import pytest

from ledger.accounts import Account
from ledger.notify import Notifier


class Mailer:
    def send(self, to, subject, body):
        raise NotImplementedError


@pytest.fixture
def mailer():
    return create_autospec(Mailer, instance=True)


def test_low_balance_sends_exact_mail(mailer):
    Notifier(mailer).low_balance(Account("ann", 50), threshold=100)
    mailer.send.assert_called_once_with(
        to="ann", subject="Low balance", body="Your balance is 0.50"
    )


def test_low_balance_silent_above_threshold(mailer):
    Notifier(mailer).low_balance(Account("ann", 500), threshold=100)
    mailer.send.assert_not_called()


def test_low_balance_called_only(mailer):
    Notifier(mailer).low_balance(Account("ann", 50), threshold=100)
    mailer.send.assert_called_once()


def test_low_balance_called_flag(mailer):
    Notifier(mailer).low_balance(Account("ann", 50), threshold=100)
    assert mailer.send.called


def test_low_balance_call_count(mailer):
    Notifier(mailer).low_balance(Account("ann", 50), threshold=100)
    assert mailer.send.call_count == 1


def test_low_balance_any_args(mailer):
    Notifier(mailer).low_balance(Account("ann", 50), threshold=100)
    mailer.send.assert_called_once_with(to=ANY, subject=ANY, body=ANY)


def test_low_balance_call_args_compared(mailer):
    Notifier(mailer).low_balance(Account("ann", 1), threshold=100)
    assert mailer.send.call_args.kwargs["body"] == "Your balance is 0.01"


def test_low_balance_typo_called_once_with():
    mailer = MagicMock()
    Notifier(mailer).low_balance(Account("ann", 50), threshold=100)
    mailer.send.called_once_with(to="ann", subject="Low balance", body="Your balance is 0.50")


def test_low_balance_typo_has_calls():
    mailer = MagicMock()
    Notifier(mailer).low_balance(Account("ann", 50), threshold=100)
    mailer.send.has_calls([call(to="ann", subject="Low balance", body="Your balance is 0.50")])


def test_low_balance_assert_of_assert():
    mailer = MagicMock()
    Notifier(mailer).low_balance(Account("ann", 50), threshold=100)
    assert mailer.send.assert_called_with(to="ann", subject="Low balance", body=ANY)


def test_low_balance_misspelt_assert():
    mailer = mock.Mock()
    Notifier(mailer).low_balance(Account("ann", 50), threshold=100)
    mailer.send.asssert_called_once()


def test_low_balance_not_called_typo():
    mailer = mock.Mock()
    Notifier(mailer).low_balance(Account("ann", 500), threshold=100)
    mailer.send.not_called()


def test_statement_returns_text(mailer):
    account = Account("ann")
    account.deposit(150)
    account.withdraw(25)
    text = Notifier(mailer).statement(account)
    assert text == "deposit 1.50\nwithdraw 0.25"


def test_statement_mails_text(mailer):
    account = Account("ann")
    account.deposit(100)
    Notifier(mailer).statement(account)
    mailer.send.assert_called_once_with(to="ann", subject="Statement", body="deposit 1.00")


def test_statement_mail_ignored_result(mailer):
    account = Account("ann")
    account.deposit(100)
    Notifier(mailer).statement(account)
    mailer.send.assert_called_once()


def test_statement_has_calls(mailer):
    account = Account("bo")
    Notifier(mailer).statement(account)
    mailer.send.assert_has_calls([call(to="bo", subject="Statement", body="")])


def test_statement_mock_any_comparison(mailer):
    account = Account("ann")
    account.deposit(100)
    text = Notifier(mailer).statement(account)
    assert text == ANY


def test_statement_not_none(mailer):
    account = Account("ann")
    assert Notifier(mailer).statement(account) is not None


def test_statement_with_mock_account(mailer):
    account = MagicMock()
    account.history = [("deposit", 100)]
    account.owner = "mo"
    text = Notifier(mailer).statement(account)
    assert text == "deposit 1.00"


def test_patch_nonexistent_helper(mailer):
    with mock.patch("ledger.notify.render_body", return_value="x"):
        Notifier(mailer).low_balance(Account("ann", 1), threshold=100)
    mailer.send.assert_called_once_with(to="ann", subject="Low balance", body="Your balance is 0.01")


def test_patch_format_where_defined(mailer):
    with mock.patch("ledger.money.format_amount", return_value="X"):
        Notifier(mailer).low_balance(Account("ann", 1), threshold=100)
    mailer.send.assert_called_once_with(to="ann", subject="Low balance", body="Your balance is 0.01")


def test_patch_format_where_used(mailer):
    with mock.patch("ledger.notify.format_amount", return_value="X"):
        Notifier(mailer).low_balance(Account("ann", 1), threshold=100)
    mailer.send.assert_called_once_with(to="ann", subject="Low balance", body="Your balance is X")


def test_low_balance_wrong_keyword(mailer):
    with pytest.raises(TypeError):
        Notifier(mailer).low_balance(Account("ann", 1), limit=100)


def test_mock_compares_with_itself():
    mailer = MagicMock()
    mailer.send.return_value = "queued"
    assert mailer.send("x") == "queued"


def test_low_balance_both_mocks():
    mailer = MagicMock()
    other = MagicMock()
    Notifier(mailer).low_balance(Account("ann", 1), threshold=100)
    assert mailer.send.return_value == other.send.return_value


def test_unspecced_mock_exact_args():
    mailer = mock.Mock()
    Notifier(mailer).low_balance(Account("ann", 1), threshold=100)
    mailer.send.assert_called_once_with(to="ann", subject="Low balance", body="Your balance is 0.01")


def test_calls_list_compared(mailer):
    notifier = Notifier(mailer)
    notifier.low_balance(Account("a", 1), threshold=10)
    notifier.low_balance(Account("b", 2), threshold=10)
    assert mailer.send.mock_calls == [
        call(to="a", subject="Low balance", body="Your balance is 0.01"),
        call(to="b", subject="Low balance", body="Your balance is 0.02"),
    ]
