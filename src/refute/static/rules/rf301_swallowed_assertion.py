"""RF301 swallowed-assertion: a failing assertion is caught by the test's own ``except``.

What it does
    Flags assertions inside a ``try`` whose handler catches ``AssertionError``, ``Exception``,
    ``BaseException`` or everything, and neither re-raises nor fails. ``pytest.fail`` and a
    failed ``pytest.raises`` are only swallowed by ``BaseException`` or a bare ``except``.

Why is this bad
    When the assertion fails, the handler catches the ``AssertionError`` and the test passes.
    Generated tests wrap bodies in try/except to "handle errors gracefully".

Example
    def test_parse():
        try:
            assert parse("1,2") == [1, 2]
        except Exception as exc:
            print(exc)

Use instead
    def test_parse():
        assert parse("1,2") == [1, 2]
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Strength, escapes
from refute.static.rules.base import Hit, TestView

CODE = "RF301"
NAME = "swallowed-assertion"
SEVERITY = Severity.ERROR
PHASE = 1


def check(view: TestView) -> Iterator[Hit]:
    for chk in view.facts.checks:
        if not chk.swallowed or chk.unreachable:
            continue
        if escapes(chk, chk.swallowed):
            continue
        yield Hit(chk.line, chk.col,
                  f"swallowed assertion: a failure here is caught by {chk.swallowed} and the "
                  "test passes anyway", chk, Strength.NONE)
