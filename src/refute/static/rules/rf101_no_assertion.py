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

    Assertion libraries count as assertions: fluent ones (sure's ``x.should.equal(y)`` and
    ``expect(x).to.equal(y)``, assertpy, expects, grappa), pytest-check's ``check.equal``,
    pytest-regressions' ``data_regression.check(data)`` and its siblings, and pytester's
    ``result.stdout.fnmatch_lines([...])``. A fixture that returns a function it defines
    (``create_and_test_logger(fmt=...)``) is that function when the test calls it, and an
    assertion helper counts wherever it is called: in a ``return``, or in an assignment
    that keeps what it returns.

    A call, as a statement, of one of the project's own validators is a check: a function
    named for checking (``check_type``, ``validate``, ``ensure_valid``) that raises and
    returns nothing, ``True`` or what it was given. Raising is its only answer, so the test
    checks that it accepts the value (typeguard's ``check_type(3, int)``).

    A benchmark (a test that takes the ``benchmark`` fixture of pytest-benchmark or
    pytest-codspeed, or is marked ``@pytest.mark.benchmark``) that asserts nothing is
    flagged too, with a message that says it is one.

Why is this bad
    Such a test only proves that the code does not crash on one input. It raises line coverage
    while checking nothing, so a wrong result walks through a green CI. A benchmark times the
    code; kept beside the tests, it counts as a test that cannot fail.

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

import ast
from collections.abc import Iterator

from refute.model import Severity
from refute.static.names import dotted
from refute.static.rules.base import Hit, TestView

CODE = "RF101"
NAME = "no-assertion"
SEVERITY = Severity.ERROR
PHASE = 2


def check(view: TestView) -> Iterator[Hit]:
    if view.facts.checks:
        return
    node = view.facts.node
    if _benchmark(node):
        yield Hit(node.lineno, node.col_offset + 1,
                  f"`{node.name}` is a benchmark with no assertion: it times the code and "
                  "cannot fail on a wrong result; assert on what the timed call returns, or "
                  "leave benchmarks out of the audit (`per-file-ignores`)")
        return
    yield Hit(node.lineno, node.col_offset + 1,
              f"`{node.name}` has no assertion: nothing in it, or in the helpers and fixtures "
              "it uses, can fail on a wrong result")


def _benchmark(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Takes the ``benchmark`` fixture (pytest-benchmark, pytest-codspeed), or is marked
    ``@pytest.mark.benchmark``."""
    if any(a.arg == "benchmark" for a in [*node.args.posonlyargs, *node.args.args,
                                          *node.args.kwonlyargs]):
        return True
    return any(dotted(d.func if isinstance(d, ast.Call) else d) in
               ("pytest.mark.benchmark", "mark.benchmark") for d in node.decorator_list)
