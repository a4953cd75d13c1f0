"""An audit keeps no file's syntax tree alive once that file is analysed.

A tree kept alive makes every later parse slower (the allocator cannot reuse its memory):
on CPython's Lib/test a module-level memo of class texts holding 256 class trees made
parsing take 1.7 x as long as a bare parse of the same files.
"""

from __future__ import annotations

import ast
import gc
from pathlib import Path

from conftest import write
from refute.static.context import CheckOptions
from refute.static.engine import audit

_CASE = '''
import unittest
from shop import price


class TestPrice(unittest.TestCase):
    currency = "EUR"

    def test_net(self):
        total = price(10, self.currency)
        self.assertEqual(total.amount, 10)
        self.assertEqual(total.currency, "EUR")

    def test_gross(self):
        total = price(10, self.currency)
        self.assertEqual(total.amount, 10)
        self.assertEqual(total.currency, "EUR")
'''


def _syntax_nodes_alive() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, ast.AST))


def test_no_tree_outlives_the_audit(tmp_path: Path) -> None:
    write(tmp_path, {"shop.py": "def price(amount, currency):\n    return amount\n",
                     "tests/test_a.py": _CASE, "tests/test_b.py": _CASE,
                     "tests/test_c.py": _CASE.replace('currency = "EUR"', 'currency = "USD"')})
    options = CheckOptions(jobs=1, use_cache=False)
    audit([str(tmp_path / "tests")], options)  # imports and interned singletons settle
    before = _syntax_nodes_alive()
    result = audit([str(tmp_path / "tests")], options)
    assert _syntax_nodes_alive() == before
    # the fingerprint still joins the class attributes the tests read: the copies in test_a
    # and test_b are duplicates of test_a's first test; test_c's (another currency) are not,
    # only its own two tests duplicate each other
    first = "same body as `test_a.py::TestPrice::test_net` (test_a.py:8)"
    assert [(f.rule, f.path, f.line, f.message) for f in result.findings] == [
        ("RF401", "test_a.py", 13, f"duplicate test: {first}"),
        ("RF401", "test_b.py", 8, f"duplicate test: {first}"),
        ("RF401", "test_b.py", 13, f"duplicate test: {first}"),
        ("RF401", "test_c.py", 13, "duplicate test: same body as "
                                   "`test_c.py::TestPrice::test_net` (test_c.py:8)"),
    ]
    assert len(result.tests) == 6


def test_trees_are_freed_without_the_cycle_collector(tmp_path: Path) -> None:
    """Nothing the analysis attaches to a tree points back into it, so a file's tree is
    freed as soon as its analysis ends, not at the cyclic collector's next full run."""
    write(tmp_path, {"shop.py": "def price(amount, currency):\n    return amount\n",
                     "tests/test_a.py": _CASE})
    options = CheckOptions(jobs=1, use_cache=False)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = audit([str(tmp_path / "tests")], options)
        gc.collect()
        cyclic = [obj for obj in gc.garbage if isinstance(obj, ast.AST)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert cyclic == []
    assert [(t.id, t.verdict.value) for t in result.tests] == [
        ("test_a.py::TestPrice::test_net", "ok"), ("test_a.py::TestPrice::test_gross", "ok")]
