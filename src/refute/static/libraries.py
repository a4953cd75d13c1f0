"""The assertion APIs of other libraries, and the names that mark a check, as refute knows
them. The walker asks; nothing here walks a test.

- fluent assertion libraries: sure's ``x.should.equal(y)`` and ``expect(x).to.equal(y)``,
  assertpy's ``assert_that(x).is_equal_to(y)``, expects, grappa, and pytest-check's soft
  ``check.equal(x, y)`` (``fluent_operands``);
- pytest's ``LineMatcher`` (pytester's ``result.stdout.fnmatch_lines([...])``) and
  pytest-regressions' ``data_regression.check(data)`` and its siblings;
- names that mark a check: a test-side helper named for checking (``assert_performance``)
  fails by raising a builtin error, and a helper that calls nothing named like a check is
  not worth judging when its result is only kept.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Container

from refute.static.names import call_arguments, dotted

# pytest's LineMatcher (pytester's `result.stdout`), whose methods fail when lines differ
LINE_MATCHERS = frozenset({"fnmatch_lines", "re_match_lines", "no_fnmatch_line",
                           "no_re_match_line", "fnmatch_lines_random", "re_match_lines_random"})
# pytest-regressions' fixtures, whose ``check`` compares with a recorded file
REGRESSION_FIXTURES = frozenset({"data_regression", "file_regression", "num_regression",
                                 "dataframe_regression", "image_regression",
                                 "ndarrays_regression"})
# builtin exception classes: what a checking helper raises to fail (a class of the test's
# own is a signal its caller catches, as Lib/test's `raise NoAll(modname)`)
BUILTIN_ERRORS = frozenset(name for name, value in vars(builtins).items()
                           if isinstance(value, type) and issubclass(value, Exception))
# a test-side helper named for checking: its raises are its failures
CHECK_HELPER = re.compile(r"_*(assert|check|verify|expect)")

_SHOULD = frozenset({"should", "should_not", "must", "must_not"})
_FLUENT_LIBRARIES = ("sure.", "expects.", "assertpy.", "grappa.")
_CHECKING_WORDS = ("assert", "check", "verify", "expect", "fail", "validate", "ensure",
                   "compare", "match")


def checking_name(func: ast.expr) -> bool:
    """``self.nameCheck``, ``assert_log_message``, ``pytest.fail``: named like a check."""
    name = (func.attr if isinstance(func, ast.Attribute) else
            func.id if isinstance(func, ast.Name) else "").lower()
    return any(word in name for word in _CHECKING_WORDS)


def fluent_operands(value: ast.expr, bound: Container[str],
                    origin: Callable[[str], str]) -> list[ast.expr] | None:
    """A fluent assertion library's statement: its operands, the subject and every argument
    along the chain; None for any other expression. ``bound``: the names the test binds
    itself (``check = print`` is not pytest-check's); ``origin``: what an imported name
    stands for."""
    if not isinstance(value, (ast.Call, ast.Attribute)):
        return None
    args: list[ast.expr] = []
    node: ast.expr = value
    root: ast.expr = value  # the innermost call: `expect(x)` in `expect(x).to.equal(y)`
    while True:
        if isinstance(node, ast.Call):
            args[:0] = call_arguments(node)
            root = node
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr in _SHOULD:
                return [node.value, *args]
            node = node.value
        else:
            break
    name = dotted(root.func) if isinstance(root, ast.Call) else None
    if name is None or name.partition(".")[0] in bound or (root is value and "." not in name):
        return None  # not a call, a name of the test's own, or a plain call (`f(x)`)
    where = origin(name)
    if where.startswith(_FLUENT_LIBRARIES) and root is not value:
        return args
    if where.startswith("pytest_check.") and root is value:
        return args
    return None
