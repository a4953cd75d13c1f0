"""RF304 broad-raises: an expected exception so broad that any error satisfies it.

What it does
    Flags ``pytest.raises(Exception)``/``pytest.raises(BaseException)``, ``assertRaises(Exception)``
    and ``except Exception`` used to expect an error, when no ``match`` pins the message and no
    later assertion pins what was caught (``isinstance(excinfo.value, ResponseError)``,
    ``"too long" in str(excinfo.value)``); and, as advice, ``pytest.raises`` blocks holding
    several statements (context managers entered in the same ``with`` are not counted).

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

import ast
from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Check, Kind, Strength
from refute.static.names import BROAD_EXCEPTIONS
from refute.static.nodes import walk
from refute.static.rules.base import (
    Hit,
    TestView,
    caught_exception,
    each_check,
    specific_exception_classes,
)

CODE = "RF304"
NAME = "broad-raises"
SEVERITY = Severity.WARNING
PHASE = 1

_RAISES = {"raises", "assertRaises", "failUnlessRaises", "try/except"}


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.RAISES, Kind.TRY_EXPECT):
        broad = [e for e in chk.exceptions if e in BROAD_EXCEPTIONS]
        if chk.name in _RAISES and broad and not chk.has_match and \
                any(e in ("Exception", "BaseException") for e in broad) and \
                not _pinned_after(view, chk):
            yield Hit(chk.line, chk.col,
                      f"broad raises: `{chk.name}({broad[0]})` without `match` passes for any "
                      "error, including a TypeError from a wrong call", chk, Strength.WEAK)
        elif chk.name == "warns" and broad and not chk.has_match:
            yield Hit(chk.line, chk.col,
                      f"broad raises: `warns({broad[0]})` without `match` passes for any warning",
                      chk, Strength.WEAK)
        statements = len(chk.body) - chk.entered
        if chk.kind is Kind.RAISES and chk.name in ("raises", "assertRaises") and \
                statements > 1:
            yield Hit(chk.line, chk.col,
                      f"broad raises: the `{chk.name}` block has {statements} statements; "
                      "keep only the call that should raise inside it")


def _pinned_after(view: TestView, chk: Check) -> bool:
    """A later assertion pins what the broad block caught: its class
    (``isinstance(ctx.value, ResponseError)``, ``type(ctx.value) is KeyError``) or its
    message compared with something (``assert "too long" in str(ctx.value)``)."""
    if not chk.binding:
        return False
    for other in view.facts.checks:
        if other is chk or other.kind not in (Kind.ASSERT, Kind.UNITTEST):
            continue
        for part in view.parts(other):
            nodes = [part.left[0], *([part.right[0]] if part.right else [])]
            if not any(_reads_caught(view, chk, n) for n in nodes):
                continue
            if part.op in ("isinstance", "issubclass", "is", "=="):
                if part.right is not None and specific_exception_classes(part.right[0]):
                    return True
            if part.op in ("==", "in", "not in") and part.right is not None and any(
                    isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value
                    for n in nodes):
                return True
    return False


def _reads_caught(view: TestView, chk: Check, node: ast.expr) -> bool:
    """``node`` is, or reads, the exception ``chk`` caught (``str(ctx.value)``)."""
    return any(isinstance(n, ast.expr) and caught_exception(view, n) is chk for n in walk(node))
