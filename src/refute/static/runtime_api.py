"""The assertion API of the running Python's ``unittest`` and ``unittest.mock`` (the "target
Python" of RF202): read from the classes themselves, not from a list that can go stale.

The tables are read on first use (PEP 562's module ``__getattr__``): ``unittest.mock``
imports ``asyncio``, 25 ms that a run answering every file from its cache never needs.
Read them as ``runtime_api.NAME``; ``from runtime_api import NAME`` reads them at once.
"""

from __future__ import annotations

from typing import Any

_TABLES = ("REAL_MOCK_ATTRIBUTES", "MOCK_ASSERT_METHODS", "UNITTEST_ASSERTS")
#: Every public attribute of the running Python's mock classes (the "target Python").
REAL_MOCK_ATTRIBUTES: frozenset[str]
#: Those of them that assert: ``assert_called_once_with``...
MOCK_ASSERT_METHODS: frozenset[str]
#: ``TestCase``'s assertion methods, with the deprecated aliases older suites use.
UNITTEST_ASSERTS: frozenset[str]


def _load() -> None:
    import unittest
    import unittest.mock

    names: set[str] = set()
    for cls in (unittest.mock.NonCallableMock, unittest.mock.Mock, unittest.mock.MagicMock,
                unittest.mock.AsyncMock):
        names.update(a for a in dir(cls) if not a.startswith("_"))
    real = frozenset(names)
    tables = globals()
    tables["REAL_MOCK_ATTRIBUTES"] = real
    tables["MOCK_ASSERT_METHODS"] = frozenset(a for a in real if a.startswith("assert_"))
    tables["UNITTEST_ASSERTS"] = frozenset(
        a for a in dir(unittest.TestCase)
        if a.startswith(("assert", "fail")) and a != "failureException"
    ) | {"assertEquals", "assertNotEquals", "assertAlmostEquals", "assertNotAlmostEquals",
         "assert_", "failUnless", "failIf", "failUnlessEqual", "failIfEqual",
         "assertItemsEqual", "failUnlessRaises", "assertRaisesRegexp",
         "assertRegexpMatches", "assertDictContainsSubset"}


def __getattr__(name: str) -> Any:
    if name in _TABLES:
        _load()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load() -> None:
    """Read the tables now (before forking workers that would each read them)."""
    if "REAL_MOCK_ATTRIBUTES" not in globals():
        _load()
