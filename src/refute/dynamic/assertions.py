"""Lines of test-side code that check something, to count the assertions a test executed.

coverage.py records which lines each test ran; a test whose run touched none of these lines
(in the test, its helpers, its fixtures or conftest) executed no assertion at all.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

_CHECK_CALLS = ("assert", "fail", "raises", "warns", "deprecated_call", "approx", "expect",
                "check", "verify")


def _is_check_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else (
        func.id if isinstance(func, ast.Name) else "")
    lowered = name.lower()
    return lowered.startswith(_CHECK_CALLS) or "assert" in lowered


def _checks(stmt: ast.stmt) -> bool:
    if isinstance(stmt, (ast.Expr, ast.Assign, ast.Return)) and stmt.value is not None:
        return any(_is_check_call(n) for n in ast.walk(stmt.value))
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return any(_is_check_call(item.context_expr) for item in stmt.items)
    return False


@functools.cache
def _check_lines_of(path: Path) -> set[int] | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    lines: set[int] = set()
    for stmt in ast.walk(tree):
        if not isinstance(stmt, ast.stmt):
            continue
        if isinstance(stmt, ast.Assert):
            lines.add(stmt.lineno)
        elif isinstance(stmt, ast.Raise):
            lines.add(stmt.lineno)  # `raise AssertionError` and `if bad: raise ...`
        elif _checks(stmt):
            lines.add(stmt.lineno)
    return lines


def check_lines_of(filename: str) -> set[int]:
    """The check lines of one test-side file, parsed once per process, on first need."""
    return _check_lines_of(Path(filename)) or set()
