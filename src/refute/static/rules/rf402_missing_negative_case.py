"""RF402 missing-negative-case: a function raises, and no test expects it to.

What it does
    Reports (as information) a public function or method of the project that raises an explicit
    exception (``raise ValueError(...)``), is called by tests, and is never called inside a
    ``pytest.raises``/``assertRaises`` block, nor does any test expect that exception.

Why is this bad
    Generated suites test the happy path. The error path, often where the bugs are (a check
    inverted, a limit off by one), stays unchecked: deleting the ``raise`` breaks no test.

Example
    def withdraw(self, amount):          # src/bank/account.py
        if amount > self.balance:
            raise InsufficientFunds(amount)
        ...
    def test_withdraw():                 # the only test
        assert Account(10).withdraw(5) == 5

Use instead
    def test_withdraw_more_than_balance():
        with pytest.raises(InsufficientFunds):
            Account(10).withdraw(11)
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.suite import Suite, SuiteFinding

CODE = "RF402"
NAME = "missing-negative-case"
SEVERITY = Severity.INFO
PHASE = 1


def check_suite(suite: Suite) -> Iterator[SuiteFinding]:
    callers: dict[str, list[frozenset[str]]] = {}
    in_raises: set[str] = set()
    for test in suite.tests:
        for name in test.called:
            callers.setdefault(name, []).append(test.expected)
        in_raises.update(test.called_in_raises)
    for fn in suite.raising:
        if fn.qualname not in callers or fn.qualname in in_raises:
            continue
        expected = set().union(*callers[fn.qualname])
        if set(fn.raises) & expected:
            continue
        n = len(callers[fn.qualname])
        names = ", ".join(fn.raises)
        pronoun = "it" if len(fn.raises) == 1 else "them"
        callers_expect = f"the one test that calls it does not expect {pronoun}" if n == 1 \
            else f"none of the {n} tests that call it expects {pronoun}"
        yield SuiteFinding(fn.rel, fn.line, 1, None,
                           f"missing negative case: `{fn.qualname}` raises {names} but "
                           f"{callers_expect}")
