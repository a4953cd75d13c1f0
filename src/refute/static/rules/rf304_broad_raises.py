"""RF304 broad-raises: an expected exception so broad that any error satisfies it.

What it does
    Flags ``pytest.raises(Exception)``/``pytest.raises(BaseException)``, ``assertRaises(Exception)``
    and ``except Exception`` used to expect an error, when no ``match`` pins the message; and, as
    advice, ``pytest.raises`` blocks holding several statements.

Why is this bad
    A ``TypeError`` from a wrong call, an ``AttributeError`` from a typo or a ``KeyError`` from
    broken setup all satisfy it, so the test passes whether or not the code raises the error it
    is specified to raise. With several statements in the block, the exception may come from the
    setup line rather than the call under test.

Example
    def test_withdraw_too_much():
        with pytest.raises(Exception):
            account = Account(balance=10)
            account.withdraw(20)

Use instead
    def test_withdraw_too_much():
        account = Account(balance=10)
        with pytest.raises(InsufficientFunds, match="balance 10 < 20"):
            account.withdraw(20)
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Kind, Strength
from refute.static.names import BROAD_EXCEPTIONS
from refute.static.rules.base import Hit, TestView, each_check

CODE = "RF304"
NAME = "broad-raises"
SEVERITY = Severity.WARNING
PHASE = 1

_RAISES = {"raises", "assertRaises", "failUnlessRaises", "try/except"}


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.RAISES, Kind.TRY_EXPECT):
        broad = [e for e in chk.exceptions if e in BROAD_EXCEPTIONS]
        if chk.name in _RAISES and broad and not chk.has_match and \
                any(e in ("Exception", "BaseException") for e in broad):
            yield Hit(chk.line, chk.col,
                      f"broad raises: `{chk.name}({broad[0]})` without `match` passes for any "
                      "error, including a TypeError from a wrong call", chk, Strength.WEAK)
        elif chk.name == "warns" and broad and not chk.has_match:
            yield Hit(chk.line, chk.col,
                      f"broad raises: `warns({broad[0]})` without `match` passes for any warning",
                      chk, Strength.WEAK)
        if chk.kind is Kind.RAISES and chk.name in ("raises", "assertRaises") and \
                len(chk.body) > 1:
            yield Hit(chk.line, chk.col,
                      f"broad raises: the `{chk.name}` block has {len(chk.body)} statements; "
                      "keep only the call that should raise inside it")
