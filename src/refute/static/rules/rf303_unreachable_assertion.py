"""RF303 unreachable-assertion: an assertion after ``return``, ``raise`` or a skip.

What it does
    Flags assertions that follow, in the same block, a ``return``, a ``raise``,
    ``pytest.skip()``/``pytest.xfail()`` or ``self.skipTest()``, and assertions in a loop over
    an empty literal (``for case in []:``, ``range(0)``), which runs zero times.

Why is this bad
    The assertion never runs. Tests that were "temporarily" disabled with an early return, or
    that skip before checking, stay green forever.

Example
    def test_refund():
        result = refund(order)
        return
        assert result.amount == 10

Use instead
    def test_refund():
        assert refund(order).amount == 10
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Strength
from refute.static.rules.base import Hit, TestView

CODE = "RF303"
NAME = "unreachable-assertion"
SEVERITY = Severity.ERROR
PHASE = 1


def check(view: TestView) -> Iterator[Hit]:
    for chk in view.facts.checks:
        if chk.unreachable:
            why = f"it is {chk.unreachable}" if chk.unreachable.startswith("in ") else \
                f"it comes after {chk.unreachable} and never runs"
            yield Hit(chk.line, chk.col, f"unreachable assertion: {why}",
                      chk, Strength.NONE)
