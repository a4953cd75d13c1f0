"""RF306 unenforced-raises: ``try/except`` expects an exception but passes without one.

What it does
    Flags ``try: call() except SomeError: ...`` used to test an error path when neither the
    ``try`` body (after the call) nor an ``else`` calls ``pytest.fail``/``self.fail`` or raises
    ``AssertionError``. A handler that only passes, in a test that checks something after the
    ``try``, lets a set-up step fail (``except Timeout: pass`` before the real checks): it
    checks nothing and is not reported. A ``try`` inside a ``pytest.raises`` block is
    enforced by that block.

Why is this bad
    If the code stops raising, the ``except`` branch is skipped and the test passes. The
    assertions on the exception inside the handler never run.

Example
    def test_rejects_negative():
        try:
            withdraw(account, -5)
        except ValueError as exc:
            assert "negative" in str(exc)

Use instead
    def test_rejects_negative():
        with pytest.raises(ValueError, match="negative"):
            withdraw(account, -5)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Check, Kind, Strength
from refute.static.nodes import walk
from refute.static.rules.base import Hit, TestView, each_check

CODE = "RF306"
NAME = "unenforced-raises"
SEVERITY = Severity.ERROR
PHASE = 1


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.TRY_EXPECT):
        if not chk.enforced and _tolerated(view, chk):
            # `try: sock.recv() except Timeout: pass` and then the test's checks: a step it
            # lets fail, not the expected error; it checks nothing, and says nothing
            yield Hit(chk.line, chk.col, "", chk, Strength.NONE)
        elif not chk.enforced:
            names = ", ".join(chk.exceptions)
            yield Hit(chk.line, chk.col,
                      f"unenforced raises: nothing fails when `{names}` is not raised; add "
                      "`pytest.fail()` after the call or use `pytest.raises`", chk, Strength.NONE)
            # the handler's assertions run only when the exception comes: they cannot fail
            # the test when it does not
            handlers = getattr(chk.node, "handlers", [])
            inside = {id(n) for h in handlers for s in h.body for n in walk(s)}
            for other in view.facts.checks:
                if other is not chk and id(other.node) in inside:
                    yield Hit(other.line, other.col, "", other, Strength.NONE)


def _tolerated(view: TestView, chk: Check) -> bool:
    """Every handler only passes, and the test checks something after the ``try``."""
    handlers = getattr(chk.node, "handlers", [])
    if not all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr)
                                            and isinstance(s.value, ast.Constant))
               for h in handlers for s in h.body):
        return False
    end = getattr(chk.node, "end_lineno", None) or chk.line
    return any(other.kind is not Kind.TRY_EXPECT and other.line > end
               for other in view.facts.checks)
