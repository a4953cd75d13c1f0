"""RF306 unenforced-raises: ``try/except`` expects an exception but passes without one.

What it does
    Flags ``try: call() except SomeError: ...`` used to test an error path when neither the
    ``try`` body (after the call) nor an ``else`` calls ``pytest.fail``/``self.fail`` or raises
    ``AssertionError``.

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

from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Kind, Strength
from refute.static.nodes import walk
from refute.static.rules.base import Hit, TestView, each_check

CODE = "RF306"
NAME = "unenforced-raises"
SEVERITY = Severity.ERROR
PHASE = 1


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.TRY_EXPECT):
        if not chk.enforced:
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
