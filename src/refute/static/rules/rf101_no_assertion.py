"""RF101 no-assertion: the test contains nothing that can fail on a wrong result.

What it does
    Flags a test in which no statement can make it fail because of what the code under test
    returns or does: no ``assert``, no ``self.assert*``, no mock assertion, no ``pytest.raises``,
    no ``pytest.fail``, no ``warnings.simplefilter("error")`` (which fails the test when the
    code warns), no object of a test double whose methods assert, no function the test
    defines and hands to the code with assertions in it (a command run by
    ``runner.invoke(cli, catch_exceptions=False)``, a hook; not a thread's target, whose
    assertions cannot fail the test), and no assertion helper or fixture that asserts
    (``subTest`` bodies and helpers are searched transitively).

Why is this bad
    Such a test only proves that the code does not crash on one input. It raises line coverage
    while checking nothing, so a wrong result walks through a green CI.

Example
    def test_export():
        report = export(orders)
        render(report)

Use instead
    def test_export():
        report = export(orders)
        assert report.total == Decimal("41.50")
        assert report.lines[0] == ("ord-1", "2 x widget", Decimal("20.75"))
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.rules.base import Hit, TestView

CODE = "RF101"
NAME = "no-assertion"
SEVERITY = Severity.ERROR
PHASE = 2


def check(view: TestView) -> Iterator[Hit]:
    if view.facts.checks:
        return
    node = view.facts.node
    yield Hit(node.lineno, node.col_offset + 1,
              f"`{node.name}` has no assertion: nothing in it, or in the helpers and fixtures "
              "it uses, can fail on a wrong result")
